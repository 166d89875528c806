/* Logging by flag (mpd5's `log +lcp ...`), to stderr, syslog and console sinks. */
#ifndef MPD_LOG_H
#define MPD_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* One bit per `log` flag of commands.md §13a; LG_ERR is always on. */
enum log_flag {
	LG_BUND, LG_BUND2, LG_LINK, LG_REP, LG_LCP, LG_LCP2, LG_AUTH, LG_AUTH2,
	LG_IPCP, LG_IPCP2, LG_IPV6CP, LG_IPV6CP2, LG_CCP, LG_CCP2, LG_ECP, LG_ECP2,
	LG_FSM, LG_ECHO, LG_PHYS, LG_PHYS2, LG_PHYS3, LG_CHAT, LG_CHAT2,
	LG_IFACE, LG_IFACE2, LG_FRAME, LG_RADIUS, LG_RADIUS2, LG_CONSOLE, LG_EVENTS,
	LG_NFLAGS,
	/* Classes logged whatever the flags say, each at its own syslog priority. */
	LG_ERR = LG_NFLAGS, /* errors: something the operator must fix (err) */
	LG_WARN,            /* failures the daemon lives with: a session refused (warning) */
	LG_NOTICE,          /* normal but significant: start, stop, signals (notice) */
};

/*
 * What a line means, which decides its syslog priority. LP_DEFAULT takes
 * the class's: err, warning and notice for the three classes above, info
 * for every flag (most lines are normal events).
 */
enum log_prio { LP_DEFAULT, LP_DEBUG, LP_INFO, LP_NOTICE, LP_WARNING, LP_ERR };

/* Where emitted lines go besides the console sinks: syslog or stderr, or a test's capture. */
struct log_output {
	/* prio is the syslog priority (LOG_INFO ...); line has no newline */
	void (*write)(void *arg, int prio, const char *line);
	void *arg;
};

struct event_base;

/* A console or other listener that wants a copy of every log line. */
struct log_sink {
	void (*write)(void *arg, const char *line); /* line without newline */
	void *arg;
	struct log_sink *next;
};

/* Route output to syslog (background) or stderr (foreground). */
void log_open(const char *ident, bool use_syslog);
/* Close syslog if open. */
void log_close(void);
/*
 * Batch foreground lines on base: they are written together at most
 * LOG_BATCH_MS after the first of them (errors and notices at once), one
 * write per batch instead of per line. Without it every line is one write.
 */
void log_attach(struct event_base *base);
/* Write the batched lines now; async-signal-safe enough for a crash handler. */
void log_flush(void);
/* Stop batching (before the loop is freed); what is batched is written. */
void log_detach(void);
/* True when lines of this flag are emitted. */
bool log_enabled(enum log_flag f);
/* Turn one flag on or off. */
void log_set(enum log_flag f, bool on);
/* Look up a flag by its command name ("lcp", "auth2"); -1 when unknown. */
int log_flag_by_name(const char *name);
/* Name of a flag, for listings. */
const char *log_flag_name(enum log_flag f);
/* One-line description of a flag, for listings. */
const char *log_flag_descr(enum log_flag f);
/* Replace syslog/stderr with out (a test's capture); NULL goes back to what log_open chose. */
void log_set_output(const struct log_output *out);
/* The syslog priority a line of flag f at prio p goes out at. */
int log_syslog_prio(enum log_flag f, enum log_prio p);
/* Emit "[who] message" when flag f is on; who may be NULL for daemon-wide lines. */
void log_msg(enum log_flag f, const char *who, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* log_msg at an explicit priority: a failure reported under a flag (LP_WARNING, LP_NOTICE). */
void log_pmsg(enum log_flag f, enum log_prio p, const char *who, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* va_list form of log_pmsg. */
void log_vmsg(enum log_flag f, enum log_prio p, const char *who, const char *fmt, va_list ap);
/* Add a sink that receives every emitted line. */
void log_sink_add(struct log_sink *s);
/* Remove a sink added with log_sink_add. */
void log_sink_del(struct log_sink *s);

#endif
