/*
 * The console on the daemon's own stdin/stdout (foreground mode): admin
 * without login, logging on. A terminal is switched to non-canonical,
 * no-echo mode so the line editor sees every key; signals stay on, so
 * Ctrl-C still stops a foreground daemon. Stdin may also be a pipe, a
 * file or /dev/null; at its end the console stops and the daemon runs on.
 */
#include "ctl/console_priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <unistd.h>
#include <event2/event.h>

#include "core/daemon.h"

#define STDIN_CHUNK 1024

/* Regular files and /dev/null cannot be polled (epoll refuses them) but never block. */
static bool fd_pollable(int fd)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = {.events = EPOLLIN};

	if (ep < 0)
		return true;
	bool ok = epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0;
	close(ep);
	return ok;
}

/* In the foreground core/log.c already prints every line on stderr. */
static bool same_file(int a, int b)
{
	struct stat sa, sb;

	if (fstat(a, &sa) != 0 || fstat(b, &sb) != 0)
		return false;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static void tty_raw(struct console_session *s)
{
	struct termios t;

	if (!isatty(s->infd) || tcgetattr(s->infd, &s->tio) != 0)
		return;
	s->tty_saved = true;
	t = s->tio;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	tcsetattr(s->infd, TCSANOW, &t);
}

void con_stdin_release(struct console_session *s)
{
	if (s->rev != NULL) {
		event_free(s->rev);
		s->rev = NULL;
	}
	if (s->tty_saved) {
		tcsetattr(s->infd, TCSANOW, &s->tio);
		s->tty_saved = false;
	}
}

static void stdin_read(evutil_socket_t fd, short what, void *arg)
{
	struct console_session *s = arg;
	char buf[STDIN_CHUNK];
	ssize_t n;

	(void)what;
	do
		n = read(fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return;
	if (n <= 0) {
		log_msg(LG_CONSOLE, NULL, "CONSOLE: end of standard input");
		con_sess_close(s);
		return;
	}
	con_sess_enter(s);
	con_sess_input(s, buf, (size_t)n);
	/* Without polling, come back for the next chunk after other events had their turn. */
	if (!s->pollable && !s->doomed && !s->closing)
		event_active(s->rev, EV_READ, 0);
	con_sess_leave(s);
}

/* Deferred to the first loop iteration, after the startup config ran in this context. */
static void first_prompt(void *arg)
{
	struct console_session *s = arg;
	char buf[128];

	buf[0] = '\0';
	con_ctx_load(s);
	con_interp(s->con)->prompt(&s->ctx, buf, sizeof(buf));
	con_ctx_save(s);
	buf[sizeof(buf) - 1] = '\0';
	con_sess_write(s, buf, strlen(buf));
	if (s->rev != NULL && !s->pollable)
		event_active(s->rev, EV_READ, 0);
}

static int stdin_events(struct console_session *s, struct event_base *base)
{
	s->pollable = fd_pollable(s->infd);
	if (s->pollable)
		s->rev = event_new(base, s->infd, EV_READ | EV_PERSIST, stdin_read, s);
	else
		s->rev = event_new(base, s->infd, 0, stdin_read, s);
	if (s->rev == NULL)
		return -1;
	if (s->pollable && event_add(s->rev, NULL) != 0)
		return -1;
	return 0;
}

int console_stdin_start(struct daemon *d)
{
	return con_stdin_start_fds(d, STDIN_FILENO, STDOUT_FILENO);
}

int con_stdin_start_fds(struct daemon *d, int infd, int outfd)
{
	struct console *con = console_get(d);

	if (con == NULL)
		return -1;
	if (con->stdin_sess != NULL)
		return 0;
	struct console_session *s = con_sess_new(con, SESS_STDIN);
	if (s == NULL)
		return -1;
	s->infd = infd;
	s->outfd = outfd;
	snprintf(s->user, sizeof(s->user), "root");
	snprintf(s->peer, sizeof(s->peer), "stdin");
	s->ctx.priv = PRIV_ADMIN;
	s->ctx.logging = true;
	s->skip_log = same_file(outfd, STDERR_FILENO);
	s->state = SS_CMD;
	con_edit_set_cmdmode(&s->ed, true);
	con->stdin_sess = s;
	if (stdin_events(s, d->base) != 0) {
		log_msg(LG_ERR, NULL, "CONSOLE: can't watch standard input");
		con_sess_close(s);
		return -1;
	}
	tty_raw(s);
	timer_init(&s->login_timer, d->base, first_prompt, s);
	timer_start(&s->login_timer, 0);
	return 0;
}

struct cmd_ctx *console_stdin_ctx(struct daemon *d)
{
	if (d->console == NULL || d->console->stdin_sess == NULL)
		return NULL;
	return &d->console->stdin_sess->ctx;
}

void console_stdin_stop(struct daemon *d)
{
	if (d->console != NULL && d->console->stdin_sess != NULL)
		con_sess_close(d->console->stdin_sess);
}

void con_write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, buf, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return;
		buf += k;
		n -= (size_t)k;
	}
}

void console_stdout(void *arg, const char *s)
{
	(void)arg;
	con_write_all(STDOUT_FILENO, s, strlen(s));
}
