/*
 * One console session: login, the line editor's events turned into
 * commands, help and completion, output with telnet line ends, and a
 * lifetime that survives being closed from inside its own callback
 * (`exit`, `shutdown`). Telnet I/O is here; stdin I/O in console_stdin.c.
 */
#include "ctl/console_priv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "core/daemon.h"
#include "bund/bundle.h"
#include "link/link.h"

#define CLOSE_GRACE_MS 10000 /* how long a closing session may take to flush its output */
#define READ_HIGH (16 * 1024) /* unprocessed input buffered per session */

static const char banner[] = "Multi-link PPP daemon for Linux (mpd5 " MPD_VERSION ")\n\n";

/* IAC WILL SGA, IAC DO SGA, IAC WILL ECHO, IAC DO ECHO: character mode, we echo. */
static const unsigned char negotiation[] = {255, 251, 3, 255, 253, 3, 255, 251, 1, 255, 253, 1};

static size_t out_pending(const struct console_session *s)
{
	if (s->kind != SESS_TELNET || s->bev == NULL)
		return 0;
	return evbuffer_get_length(bufferevent_get_output(s->bev));
}

static void kill_soon(struct console_session *s, unsigned ms)
{
	timer_start(&s->kill_timer, ms);
}

/* Telnet is a network virtual terminal: CR LF line ends, 0xff doubled. */
static void telnet_write(struct console_session *s, const char *buf, size_t n)
{
	struct evbuffer *out = bufferevent_get_output(s->bev);
	size_t start = 0;

	if (evbuffer_get_length(out) > CON_OUT_HARD_MAX) {
		if (!s->doomed) {
			s->doomed = true;
			kill_soon(s, 0);
		}
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const char *esc;
		if (buf[i] == '\n')
			esc = "\r\n";
		else if ((unsigned char)buf[i] == 0xff)
			esc = "\xff\xff";
		else
			continue;
		evbuffer_add(out, buf + start, i - start);
		evbuffer_add(out, esc, 2);
		start = i + 1;
	}
	evbuffer_add(out, buf + start, n - start);
}

void con_sess_write(struct console_session *s, const char *buf, size_t n)
{
	if (s->kind == SESS_TELNET) {
		if (s->bev != NULL)
			telnet_write(s, buf, n);
	} else if (s->outfd >= 0) {
		/* The terminal driver adds CR itself; a failing stdout is simply not written to. */
		con_write_all(s->outfd, buf, n);
	}
}

void con_sess_puts(struct console_session *s, const char *str)
{
	con_sess_write(s, str, strlen(str));
}

static void sess_echo(void *arg, const char *str, size_t n)
{
	con_sess_write(arg, str, n);
}

/* Command output and log lines carry peer-supplied names: keep their control
 * characters (ESC above all) from reaching the operator's terminal. */
static void sess_text(struct console_session *s, const char *str)
{
	char buf[256];
	size_t n = 0;

	for (; *str != '\0'; str++) {
		unsigned char ch = (unsigned char)*str;
		bool ok = ch == '\n' || ch == '\t' || (ch >= 0x20 && ch != 0x7f && ch != 0x9b);
		buf[n++] = ok ? (char)ch : '?';
		if (n == sizeof(buf)) {
			con_sess_write(s, buf, n);
			n = 0;
		}
	}
	con_sess_write(s, buf, n);
}

static void sess_out(void *arg, const char *str)
{
	sess_text(arg, str);
}

void con_sess_log(struct console_session *s, const char *line)
{
	if (s->state != SS_CMD || !s->ctx.logging || s->skip_log || s->doomed || s->closing)
		return;
	if (out_pending(s) > CON_OUT_LOG_MAX) {
		s->dropped++;
		return;
	}
	sess_text(s, line);
	con_sess_puts(s, "\n");
}

static void sess_free(struct console_session *s)
{
	struct console *con = s->con;

	TAILQ_REMOVE(&con->sessions, s, entry);
	con->nsessions--;
	timer_stop(&s->login_timer);
	timer_stop(&s->kill_timer);
	if (s->bev != NULL)
		bufferevent_free(s->bev);
	if (s->kind == SESS_STDIN)
		con_stdin_release(s);
	if (con->stdin_sess == s)
		con->stdin_sess = NULL;
	if (s->dropped > 0)
		log_msg(LG_CONSOLE, NULL, "CONSOLE: %lu log lines not sent to %s (too slow)",
			s->dropped, s->peer);
	log_msg(LG_CONSOLE, NULL, "CONSOLE: session %s%s%s closed", s->user, s->user[0] ? "@" : "",
		s->peer);
	free(s);
}

void con_sess_close(struct console_session *s)
{
	if (s->busy)
		s->doomed = true;
	else
		sess_free(s);
}

/* Close once the output has gone out, but give a client that does not read only so long. */
void con_sess_finish(struct console_session *s)
{
	if (s->closing || s->doomed)
		return;
	if (out_pending(s) == 0) {
		con_sess_close(s);
		return;
	}
	s->closing = true;
	bufferevent_disable(s->bev, EV_READ);
	bufferevent_setwatermark(s->bev, EV_WRITE, 0, 0);
	kill_soon(s, CLOSE_GRACE_MS);
}

static void sess_kill_cb(void *arg)
{
	con_sess_close(arg);
}

void con_sess_enter(struct console_session *s)
{
	s->busy = true;
	s->con->inside++;
}

/* End of a callback: carry out a close that was asked for while it ran. */
void con_sess_leave(struct console_session *s)
{
	struct console *con = s->con;

	s->busy = false;
	con->inside--;
	if (s->doomed || (s->closing && out_pending(s) == 0))
		sess_free(s);
	if (con->dying)
		con_finish_free(con);
}

/*
 * A session outlives any link or bundle it selects, so between lines it holds
 * handles only; the link layer never has to tell the console that an object
 * went away. During one line the interpreter and its handlers use pointers.
 */
void con_ctx_load(struct console_session *s)
{
	struct daemon *d = s->con->d;

	s->ctx.link = link_by_handle(d, s->link_h);
	s->ctx.bund = bund_by_handle(d, s->bund_h);
	s->link_was = s->ctx.link;
	s->bund_was = s->ctx.bund;
	s->ctx.rep = NULL; /* no repeaters yet: they will get a registry and a handle here */
}

void con_ctx_save(struct console_session *s)
{
	/* An unchanged selection keeps its handle: the object may have been destroyed by the
	 * line itself, and then the pointer must not be followed. A changed one was just
	 * looked up by a command and is alive. */
	if ((const void *)s->ctx.link != s->link_was)
		s->link_h = s->ctx.link != NULL ? link_handle(s->ctx.link) : HANDLE_NONE;
	if ((const void *)s->ctx.bund != s->bund_was)
		s->bund_h = s->ctx.bund != NULL ? bund_handle(s->ctx.bund) : HANDLE_NONE;
	s->link_was = s->bund_was = NULL;
	s->ctx.link = NULL;
	s->ctx.bund = NULL;
	s->ctx.rep = NULL;
}

void con_sess_prompt(struct console_session *s)
{
	char buf[128];

	buf[0] = '\0';
	con_ctx_load(s);
	con_interp(s->con)->prompt(&s->ctx, buf, sizeof(buf));
	con_ctx_save(s);
	buf[sizeof(buf) - 1] = '\0';
	sess_text(s, buf);
}

static void run_command(struct console_session *s, const char *line)
{
	if (line[strspn(line, " \t")] != '\0') {
		char shown[CON_LINE_MAX + 8];
		con_redact(line, shown, sizeof(shown));
		log_msg(LG_CONSOLE, NULL, "CONSOLE: %s@%s: %s", s->user, s->peer, shown);
		s->ctx.err[0] = '\0';
		con_ctx_load(s);
		con_interp(s->con)->run_line(&s->ctx, line);
		con_ctx_save(s);
	}
	if (s->ctx.exit_req) {
		con_sess_finish(s);
		return;
	}
	con_sess_prompt(s);
}

static void on_line(struct console_session *s)
{
	char line[CON_LINE_MAX + 1];

	snprintf(line, sizeof(line), "%s", con_edit_line(&s->ed));
	con_edit_clear(&s->ed);
	switch (s->state) {
	case SS_USER:
		con_login_user(s, line);
		break;
	case SS_PASS:
		con_login_pass(s, line);
		break;
	case SS_CMD:
		run_command(s, line);
		break;
	}
}

static void on_help(struct console_session *s)
{
	con_ctx_load(s);
	con_interp(s->con)->help_line(&s->ctx, con_edit_line(&s->ed));
	con_ctx_save(s);
	con_sess_prompt(s);
	con_edit_redraw(&s->ed);
}

static void on_tab(struct console_session *s)
{
	char out[CON_LINE_MAX + 1];

	out[0] = '\0';
	con_ctx_load(s);
	int done = con_interp(s->con)->complete(&s->ctx, con_edit_line(&s->ed), out, sizeof(out));
	con_ctx_save(s);
	if (done == 1) {
		out[sizeof(out) - 1] = '\0';
		con_edit_replace(&s->ed, out);
	} else {
		con_sess_puts(s, "\a");
	}
}

static void on_intr(struct console_session *s)
{
	if (s->state == SS_CMD)
		con_sess_prompt(s);
	else
		con_login_ask(s);
}

/* Stop reading while the client is not taking our output. */
static bool must_pause(struct console_session *s)
{
	if (s->kind != SESS_TELNET || out_pending(s) <= CON_OUT_PAUSE)
		return false;
	s->paused = true;
	bufferevent_disable(s->bev, EV_READ);
	bufferevent_setwatermark(s->bev, EV_WRITE, CON_OUT_RESUME, 0);
	return true;
}

size_t con_sess_input(struct console_session *s, const char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s->doomed || s->closing || s->paused)
			break;
		switch (con_edit_byte(&s->ed, (uint8_t)buf[i])) {
		case CON_ED_NONE:
			continue;
		case CON_ED_LINE:
			on_line(s);
			break;
		case CON_ED_HELP:
			on_help(s);
			break;
		case CON_ED_TAB:
			on_tab(s);
			break;
		case CON_ED_INTR:
			on_intr(s);
			break;
		}
		must_pause(s);
	}
	return i;
}

struct console_session *con_sess_new(struct console *con, enum con_sess_kind kind)
{
	struct console_session *s = calloc(1, sizeof(*s));

	if (s == NULL) {
		log_msg(LG_ERR, NULL, "CONSOLE: out of memory");
		return NULL;
	}
	s->con = con;
	s->kind = kind;
	s->infd = s->outfd = -1;
	struct con_edit_io io = {.echo = sess_echo, .arg = s};
	con_edit_init(&s->ed, kind == SESS_TELNET, &io);
	s->ctx.d = con->d;
	s->ctx.priv = PRIV_USER;
	s->ctx.out = sess_out;
	s->ctx.out_arg = s;
	s->ctx.session = s;
	s->ctx.root = con->root;
	s->ctx.names = con->d->cmd_names;
	timer_init(&s->kill_timer, con->d->base, sess_kill_cb, s);
	TAILQ_INSERT_TAIL(&con->sessions, s, entry);
	con->nsessions++;
	return s;
}

/* Feed what the socket delivered; stops early when paused or closing. */
static void telnet_drain(struct console_session *s)
{
	struct evbuffer *in = bufferevent_get_input(s->bev);

	con_sess_enter(s);
	for (;;) {
		size_t len = evbuffer_get_length(in);
		if (len == 0)
			break;
		size_t k = len < 1024 ? len : 1024;
		const char *p = (const char *)evbuffer_pullup(in, (ev_ssize_t)k);
		if (p == NULL)
			break;
		size_t used = con_sess_input(s, p, k);
		evbuffer_drain(in, used);
		if (used < k)
			break;
	}
	con_sess_leave(s);
}

static void telnet_readcb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	telnet_drain(arg);
}

static void telnet_writecb(struct bufferevent *bev, void *arg)
{
	struct console_session *s = arg;

	if (s->closing) {
		if (out_pending(s) == 0)
			con_sess_close(s);
		return;
	}
	if (s->paused && out_pending(s) <= CON_OUT_RESUME) {
		s->paused = false;
		bufferevent_setwatermark(bev, EV_WRITE, 0, 0);
		bufferevent_enable(bev, EV_READ);
		telnet_drain(s);
	}
}

static void telnet_eventcb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		con_sess_close(arg);
}

static void peer_name(char *buf, size_t len, const struct sockaddr *sa, socklen_t salen)
{
	char a[INET6_ADDRSTRLEN];

	if (sa->sa_family == AF_INET && salen >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *sin = (const void *)sa;
		inet_ntop(AF_INET, &sin->sin_addr, a, sizeof(a));
		snprintf(buf, len, "%s:%u", a, ntohs(sin->sin_port));
	} else if (sa->sa_family == AF_INET6 && salen >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *sin6 = (const void *)sa;
		inet_ntop(AF_INET6, &sin6->sin6_addr, a, sizeof(a));
		snprintf(buf, len, "[%s]:%u", a, ntohs(sin6->sin6_port));
	} else {
		snprintf(buf, len, "?");
	}
}

static void telnet_start(struct console_session *s)
{
	struct evbuffer *out = bufferevent_get_output(s->bev);

	evbuffer_add(out, negotiation, sizeof(negotiation));
	con_sess_puts(s, banner);
	/* The global logging bit (off unless a config turned it on) seeds new sessions. */
	s->ctx.logging = opt_enabled(&s->con->opts, CONSOLE_OPT_LOGGING);
	if (opt_enabled(&s->con->opts, CONSOLE_OPT_AUTH)) {
		timer_start(&s->login_timer, s->con->login_timeout_ms);
		con_login_ask(s);
		return;
	}
	snprintf(s->user, sizeof(s->user), "root");
	s->ctx.priv = PRIV_ADMIN;
	con_login_done(s);
}

void con_sess_accept(struct console *con, int fd, const struct sockaddr *sa, socklen_t salen)
{
	char peer[64];

	peer_name(peer, sizeof(peer), sa, salen);
	if (con->nsessions >= CON_MAX_SESSIONS) {
		log_msg(LG_WARN, NULL, "CONSOLE: too many sessions, refusing %s", peer);
		close(fd);
		return;
	}
	struct console_session *s = con_sess_new(con, SESS_TELNET);
	if (s == NULL) {
		close(fd);
		return;
	}
	snprintf(s->peer, sizeof(s->peer), "%s", peer);
	s->bev = bufferevent_socket_new(con->d->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (s->bev == NULL) {
		close(fd);
		con_sess_close(s);
		return;
	}
	bufferevent_setcb(s->bev, telnet_readcb, telnet_writecb, telnet_eventcb, s);
	bufferevent_setwatermark(s->bev, EV_READ, 0, READ_HIGH);
	bufferevent_enable(s->bev, EV_READ | EV_WRITE);
	timer_init(&s->login_timer, con->d->base, con_login_timeout, s);
	log_msg(LG_CONSOLE, NULL, "CONSOLE: connect from %s", s->peer);
	telnet_start(s);
}
