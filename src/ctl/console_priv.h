/* Internals shared by the console's files; nothing outside src/ctl/ includes this. */
#ifndef MPD_CONSOLE_PRIV_H
#define MPD_CONSOLE_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <termios.h>

#include "conf/cmd.h"
#include "core/log.h"
#include "core/registry.h"
#include "core/timer.h"
#include "ctl/console.h"
#include "ctl/console_edit.h"

struct bufferevent;
struct evconnlistener;
struct event;

#define CON_MAX_SESSIONS 128        /* concurrent telnet sessions */
#define CON_LOGIN_TIMEOUT_MS 60000  /* from connect to a successful login */
#define CON_LOGIN_TRIES 5           /* failed logins before the session is dropped */
#define CON_OUT_LOG_MAX (64 * 1024) /* log lines are dropped above this much unsent output */
#define CON_OUT_PAUSE (256 * 1024)  /* stop reading input above this much unsent output */
#define CON_OUT_RESUME (64 * 1024)  /* and read again once it drained to this */
#define CON_OUT_HARD_MAX (8 * 1024 * 1024) /* a client this far behind is disconnected */

enum con_sess_kind { SESS_TELNET, SESS_STDIN };
enum con_sess_state { SS_USER, SS_PASS, SS_CMD };

struct console_session {
	struct console *con;
	enum con_sess_kind kind;
	enum con_sess_state state;
	struct cmd_ctx ctx;       /* ctx.link/ctx.bund are set only while a line runs (con_ctx_load) */
	struct handle link_h, bund_h; /* the selection between lines: gone objects stop resolving */
	const void *link_was, *bund_was; /* what con_ctx_load resolved, compared (never followed) after the line */
	struct con_edit ed;
	char user[64];
	char peer[64];           /* "addr:port", or "stdin" */
	unsigned tries;          /* failed logins */
	struct timer login_timer; /* telnet: login timeout; stdin: first prompt */
	struct timer kill_timer;  /* deferred close */
	bool busy;               /* inside its input callback: free later */
	bool doomed;             /* close as soon as possible */
	bool closing;            /* close once the output drained */
	bool paused;             /* reading stopped until output drains */
	unsigned long dropped;   /* log lines not sent because the client lags */
	/* telnet */
	struct bufferevent *bev;
	/* stdin */
	int infd, outfd;
	struct event *rev;       /* read event, or a manually activated one for unpollable stdin */
	bool pollable;
	bool tty_saved;
	bool skip_log;           /* log lines already reach this terminal through stderr */
	struct termios tio;
	TAILQ_ENTRY(console_session) entry;
};

TAILQ_HEAD(con_sess_list, console_session);

struct console {
	struct daemon *d;
	const struct console_interp *interp;
	const struct cmd *root;       /* root menu of new sessions, NULL for cmd_root() */
	struct optset opts;       /* global options: auth, logging of new telnet sessions */
	char self[128];               /* listen address as configured */
	unsigned port;
	struct sockaddr_storage sa;   /* its resolution */
	socklen_t salen;
	struct evconnlistener *lev;
	unsigned bound_port;
	struct timer accept_retry;    /* listener paused after accept errors (EMFILE) */
	struct con_sess_list sessions;
	unsigned nsessions;
	struct console_session *stdin_sess;
	struct log_sink sink;
	unsigned login_timeout_ms;    /* CON_LOGIN_TIMEOUT_MS; tests shorten it */
	unsigned inside;              /* session callbacks running */
	bool dying;                   /* console_free ran inside a session callback */
};

/* The interpreter in use. */
const struct console_interp *con_interp(const struct console *con);
/* The interpreter of conf/. */
extern const struct console_interp console_interp_conf;

/* Create a telnet session on an accepted socket; closes fd on failure. */
void con_sess_accept(struct console *con, int fd, const struct sockaddr *sa, socklen_t salen);
/* A new session in the console's list, not yet logged in; NULL when out of memory. */
struct console_session *con_sess_new(struct console *con, enum con_sess_kind kind);
/* Feed received bytes inside a busy section; returns how many were taken (it stops
 * when the session pauses or closes). */
size_t con_sess_input(struct console_session *s, const char *buf, size_t n);
/* Mark the session busy (its callback runs). */
void con_sess_enter(struct console_session *s);
/* Leave the busy section; may free s and the console. */
void con_sess_leave(struct console_session *s);
/* Before the interpreter runs for s (a line, help, completion, the prompt): resolve the
 * selected link and bundle into s->ctx; an object destroyed since resolves to NULL. */
void con_ctx_load(struct console_session *s);
/* After it: keep the (possibly new) selection as handles and drop the pointers. */
void con_ctx_save(struct console_session *s);
/* Write text to a session, "\n" meaning a line end. */
void con_sess_write(struct console_session *s, const char *buf, size_t n);
/* Copy a log line to a session that asked for them, unless it lags. */
void con_sess_log(struct console_session *s, const char *line);
/* Close a session now, or as soon as its callback returns. */
void con_sess_close(struct console_session *s);
/* Free the console once nothing runs inside it (used after console_free deferred). */
void con_finish_free(struct console *con);
/* console_stdin_start on other descriptors (tests use pipes and files). */
int con_stdin_start_fds(struct daemon *d, int infd, int outfd);
/* Write a NUL-terminated string to a session as is (prompts, editor output). */
void con_sess_puts(struct console_session *s, const char *str);
/* Print the prompt of the session's context. */
void con_sess_prompt(struct console_session *s);
/* Close once the output has gone out (bounded by a grace time). */
void con_sess_finish(struct console_session *s);
/* Ask for the user name (again). */
void con_login_ask(struct console_session *s);
/* A line typed at "Username:". */
void con_login_user(struct console_session *s, const char *line);
/* A line typed at "Password:": log in, or "Login failed" and start over. */
void con_login_pass(struct console_session *s, const char *line);
/* Enter command mode as s->user with s->ctx.priv set. */
void con_login_done(struct console_session *s);
/* Login timer callback: the client took too long. */
void con_login_timeout(void *arg);
/* Copy a command line for the log with password and secret arguments replaced by "***". */
void con_redact(const char *line, char *out, size_t outlen);
/* write(2) all of buf, retrying on EINTR, giving up silently on errors (blocking fds). */
void con_write_all(int fd, const char *buf, size_t n);
/* Stdin-specific teardown: stop reading, restore the terminal. */
void con_stdin_release(struct console_session *s);

#endif
