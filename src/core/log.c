/*
 * The log flag set, the output and the list of console sinks are the
 * daemon's only logging state; like the object registries they live for
 * the process.
 */
#include "core/log.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

static const struct {
	const char *name;
	const char *descr;
	bool dflt;
} flags[LG_NFLAGS] = {
	[LG_BUND] = {"bund", "Bundle events", true},
	[LG_BUND2] = {"bund2", "Detailed bundle events", false},
	[LG_LINK] = {"link", "Link events", true},
	[LG_REP] = {"rep", "Repeater events", true},
	[LG_LCP] = {"lcp", "LCP negotiation", true},
	[LG_LCP2] = {"lcp2", "LCP events and debugging", false},
	[LG_AUTH] = {"auth", "Link authentication events", true},
	[LG_AUTH2] = {"auth2", "Link authentication details", false},
	[LG_IPCP] = {"ipcp", "IPCP negotiation", true},
	[LG_IPCP2] = {"ipcp2", "IPCP events and debugging", false},
	[LG_IPV6CP] = {"ipv6cp", "IPV6CP negotiation", true},
	[LG_IPV6CP2] = {"ipv6cp2", "IPV6CP events and debugging", false},
	[LG_CCP] = {"ccp", "CCP events and negotiation", true},
	[LG_CCP2] = {"ccp2", "CCP events and debugging", false},
	[LG_ECP] = {"ecp", "ECP events and negotiation", true},
	[LG_ECP2] = {"ecp2", "ECP events and debugging", false},
	[LG_FSM] = {"fsm", "All FSM events (except echo & reset)", true},
	[LG_ECHO] = {"echo", "Echo/reply events for all automata", false},
	[LG_PHYS] = {"phys", "Physical layer events", true},
	[LG_PHYS2] = {"phys2", "Physical layer debug", false},
	[LG_PHYS3] = {"phys3", "Physical layer control packet dump", false},
	[LG_CHAT] = {"chat", "Modem chat script", true},
	[LG_CHAT2] = {"chat2", "Chat script extra debugging output", false},
	[LG_IFACE] = {"iface", "IP interface and route management", true},
	[LG_IFACE2] = {"iface2", "IP interface and route management debug", false},
	[LG_FRAME] = {"frame", "Dump all incoming & outgoing frames", false},
	[LG_RADIUS] = {"radius", "RADIUS authentication events", true},
	[LG_RADIUS2] = {"radius2", "RADIUS authentication debug", false},
	[LG_CONSOLE] = {"console", "Console events", true},
	[LG_EVENTS] = {"events", "Daemon events debug", false},
};

static unsigned long long enabled = ~0ULL; /* replaced by defaults on first use */
static bool use_syslog;
static struct log_output output; /* a test's capture; write NULL: syslog or stderr */
static struct log_sink *sinks;

/* How long a foreground line may wait for the others of its batch. */
#define LOG_BATCH_MS 2

/*
 * Foreground lines waiting for one write. A session setup logs some fifty
 * lines; one write(2) each was a tenth of a concentrator's time. Only the
 * process that attached batches: a forked child drops the parent's batch
 * (the parent writes it) and writes its own lines at once.
 */
static struct {
	char buf[16384];
	size_t len;
	struct event *ev;
	bool hooked;
} batch;

static void defaults_once(void)
{
	if (enabled != ~0ULL)
		return;
	enabled = 0;
	for (int i = 0; i < LG_NFLAGS; i++)
		if (flags[i].dflt)
			enabled |= 1ULL << i;
}

void log_open(const char *ident, bool syslog_on)
{
	defaults_once();
	use_syslog = syslog_on;
	if (use_syslog)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_close(void)
{
	log_flush();
	if (use_syslog)
		closelog();
	use_syslog = false;
}

bool log_enabled(enum log_flag f)
{
	defaults_once();
	if (f >= LG_NFLAGS)
		return true;
	return (enabled >> f) & 1;
}

void log_set(enum log_flag f, bool on)
{
	defaults_once();
	if (f >= LG_NFLAGS)
		return;
	if (on)
		enabled |= 1ULL << f;
	else
		enabled &= ~(1ULL << f);
}

int log_flag_by_name(const char *name)
{
	for (int i = 0; i < LG_NFLAGS; i++)
		if (strcasecmp(flags[i].name, name) == 0)
			return i;
	return -1;
}

const char *log_flag_name(enum log_flag f)
{
	if (f < LG_NFLAGS)
		return flags[f].name;
	return f == LG_WARN ? "warning" : f == LG_NOTICE ? "notice" : "error";
}

const char *log_flag_descr(enum log_flag f)
{
	if (f < LG_NFLAGS)
		return flags[f].descr;
	return f == LG_WARN ? "Warnings" : f == LG_NOTICE ? "Notices" : "Errors";
}

void log_set_output(const struct log_output *out)
{
	if (out != NULL)
		output = *out;
	else
		output = (struct log_output){0};
}

int log_syslog_prio(enum log_flag f, enum log_prio p)
{
	switch (p) {
	case LP_DEBUG: return LOG_DEBUG;
	case LP_INFO: return LOG_INFO;
	case LP_NOTICE: return LOG_NOTICE;
	case LP_WARNING: return LOG_WARNING;
	case LP_ERR: return LOG_ERR;
	case LP_DEFAULT: break;
	}
	return f == LG_ERR ? LOG_ERR : f == LG_WARN ? LOG_WARNING : f == LG_NOTICE ? LOG_NOTICE : LOG_INFO;
}

static void write_all(const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(STDERR_FILENO, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* stderr is gone: nothing else can report it */
		p += w;
		n -= (size_t)w;
	}
}

void log_flush(void)
{
	if (batch.len == 0)
		return;
	size_t n = batch.len;
	batch.len = 0;
	write_all(batch.buf, n);
}

static void on_batch(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	log_flush();
}

static void on_fork_child(void)
{
	batch.len = 0;
	batch.ev = NULL; /* the parent's loop, not ours */
}

void log_attach(struct event_base *base)
{
	if (batch.ev != NULL)
		return;
	batch.ev = evtimer_new(base, on_batch, NULL);
	if (batch.ev == NULL)
		return; /* unbatched: slower, still correct */
	if (!batch.hooked) {
		batch.hooked = true;
		atexit(log_flush);
		pthread_atfork(NULL, NULL, on_fork_child);
	}
}

void log_detach(void)
{
	log_flush();
	if (batch.ev != NULL)
		event_free(batch.ev);
	batch.ev = NULL;
}

/* Queue one formatted line; urgent ones (errors, notices) go out with what waits before them. */
static void batch_add(const char *text, size_t n, bool urgent)
{
	if (batch.len + n > sizeof(batch.buf))
		log_flush();
	if (n > sizeof(batch.buf)) {
		write_all(text, n);
		return;
	}
	memcpy(batch.buf + batch.len, text, n);
	batch.len += n;
	if (urgent) {
		log_flush();
		return;
	}
	if (!evtimer_pending(batch.ev, NULL)) {
		struct timeval tv = {0, LOG_BATCH_MS * 1000};
		if (evtimer_add(batch.ev, &tv) < 0)
			log_flush();
	}
}

/* Foreground lines carry a timestamp instead of a priority, as before. */
static void write_stderr(const char *line, bool urgent)
{
	struct timespec ts;
	struct tm tm;
	char text[1100];
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	int n = snprintf(text, sizeof(text), "%02d:%02d:%02d.%03ld %s\n", tm.tm_hour, tm.tm_min,
			 tm.tm_sec, ts.tv_nsec / 1000000, line);
	if (n < 0)
		return;
	size_t len = (size_t)n < sizeof(text) ? (size_t)n : sizeof(text) - 1;
	if (batch.ev == NULL) {
		write_all(text, len);
		return;
	}
	batch_add(text, len, urgent);
}

void log_vmsg(enum log_flag f, enum log_prio p, const char *who, const char *fmt, va_list ap)
{
	if (!log_enabled(f))
		return;
	char line[1024];
	int n = 0;
	if (who != NULL)
		n = snprintf(line, sizeof(line), "[%s] ", who);
	if (n < 0 || (size_t)n >= sizeof(line))
		n = 0;
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	int prio = log_syslog_prio(f, p);
	if (output.write != NULL)
		output.write(output.arg, prio, line);
	else if (use_syslog)
		syslog(prio, "%s", line);
	else
		write_stderr(line, prio <= LOG_NOTICE);
	for (struct log_sink *s = sinks; s != NULL; s = s->next)
		s->write(s->arg, line);
}

void log_msg(enum log_flag f, const char *who, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(f, LP_DEFAULT, who, fmt, ap);
	va_end(ap);
}

void log_pmsg(enum log_flag f, enum log_prio p, const char *who, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(f, p, who, fmt, ap);
	va_end(ap);
}

void log_sink_add(struct log_sink *s)
{
	s->next = sinks;
	sinks = s;
}

void log_sink_del(struct log_sink *s)
{
	for (struct log_sink **pp = &sinks; *pp != NULL; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			return;
		}
}
