/* Fixture and socket client shared by the console tests. */
#ifndef TEST_CONSOLE_CLIENT_H
#define TEST_CONSOLE_CLIENT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <event2/event.h>

#include "ctl/console.h"
#include "ctl/console_priv.h"
#include "core/daemon.h"

#define WAIT_MS 3000


struct fx {
	struct daemon *d;
	struct console *con;
	unsigned port;
};

struct client {
	int fd;
	char buf[1 << 16];
	size_t len, pos; /* pos: where the next expectation starts looking */
	bool eof;
};

static inline void add_user(struct daemon *d, const char *name, const char *pass, int priv)
{
	struct console_user *u = &d->users[d->nusers++];
	snprintf(u->name, sizeof(u->name), "%s", name);
	snprintf(u->password, sizeof(u->password), "%s", pass);
	u->priv = priv;
}

/* A daemon with users admin (admin) and bob (user) and a console on an ephemeral port. */
static inline int fx_setup(void **state, const struct console_interp *interp)
{
	struct fx *f = calloc(1, sizeof(*f));
	char err[128];

	signal(SIGPIPE, SIG_IGN);
	f->d = calloc(1, sizeof(*f->d));
	f->d->base = event_base_new();
	add_user(f->d, "admin", "secret", PRIV_ADMIN);
	add_user(f->d, "bob", "pw", PRIV_USER);
	f->con = console_get(f->d);
	assert_non_null(f->con);
	assert_ptr_equal(f->d->console, f->con);
	console_set_interp(f->con, interp);
	assert_int_equal(console_set_self(f->con, "127.0.0.1", 0, err, sizeof(err)), 0);
	assert_int_equal(console_open(f->con, err, sizeof(err)), 0);
	assert_true(console_is_open(f->con));
	f->port = console_port(f->con);
	assert_true(f->port > 0);
	*state = f;
	return 0;
}

static inline int fx_teardown(void **state)
{
	struct fx *f = *state;
	console_free(f->d->console);
	assert_null(f->d->console);
	event_base_free(f->d->base);
	free(f->d);
	free(f);
	return 0;
}

static inline void cl_read(struct client *cl)
{
	while (!cl->eof && cl->len < sizeof(cl->buf) - 1) {
		ssize_t n = read(cl->fd, cl->buf + cl->len, sizeof(cl->buf) - 1 - cl->len);
		if (n > 0)
			cl->len += (size_t)n;
		else if (n == 0 || (errno != EAGAIN && errno != EINTR))
			cl->eof = true;
		else
			break;
	}
	cl->buf[cl->len] = '\0';
}

static inline long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Run the loop for ms milliseconds, reading the given clients. */
static inline void pump(struct fx *f, int ms, struct client *a, struct client *b)
{
	long end = now_ms() + ms;
	do {
		event_base_loop(f->d->base, EVLOOP_NONBLOCK);
		if (a != NULL)
			cl_read(a);
		if (b != NULL)
			cl_read(b);
		usleep(1000);
	} while (now_ms() < end);
}

/* Wait until needle shows up after cl->pos; consume through it. */
static inline bool expect(struct fx *f, struct client *cl, const char *needle)
{
	long end = now_ms() + WAIT_MS;
	size_t nl = strlen(needle);
	do {
		event_base_loop(f->d->base, EVLOOP_NONBLOCK);
		cl_read(cl);
		char *p = memmem(cl->buf + cl->pos, cl->len - cl->pos, needle, nl);
		if (p != NULL) {
			cl->pos = (size_t)(p - cl->buf) + nl;
			return true;
		}
		if (cl->eof)
			break;
		usleep(1000);
	} while (now_ms() < end);
	fprintf(stderr, "expected \"%s\", have after pos %zu: \"%s\"\n", needle, cl->pos,
		cl->buf + cl->pos);
	return false;
}

static inline bool expect_eof(struct fx *f, struct client *cl)
{
	long end = now_ms() + WAIT_MS;
	do {
		event_base_loop(f->d->base, EVLOOP_NONBLOCK);
		cl_read(cl);
		if (cl->eof)
			return true;
		usleep(1000);
	} while (now_ms() < end);
	return false;
}

static inline bool wait_sessions(struct fx *f, unsigned n)
{
	long end = now_ms() + WAIT_MS;
	do {
		event_base_loop(f->d->base, EVLOOP_NONBLOCK);
		if (f->d->console == NULL ? n == 0 : console_nsessions(f->d->console) == n)
			return true;
		usleep(1000);
	} while (now_ms() < end);
	return false;
}

static inline void cl_send(struct client *cl, const char *s, size_t n)
{
	assert_int_equal(send(cl->fd, s, n, 0), (ssize_t)n);
}

static inline void cl_puts(struct client *cl, const char *s)
{
	cl_send(cl, s, strlen(s));
}

static inline struct client *cl_connect(struct fx *f)
{
	struct client *cl = calloc(1, sizeof(*cl));
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)f->port)};

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cl->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(cl->fd >= 0);
	assert_int_equal(connect(cl->fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	fcntl(cl->fd, F_SETFL, O_NONBLOCK);
	return cl;
}

static inline void cl_free(struct client *cl)
{
	if (cl->fd >= 0)
		close(cl->fd);
	free(cl);
}

static inline struct client *cl_login(struct fx *f, const char *user, const char *pass)
{
	struct client *cl = cl_connect(f);
	char line[128];

	assert_true(expect(f, cl, "Username: "));
	snprintf(line, sizeof(line), "%s\r\n", user);
	cl_puts(cl, line);
	assert_true(expect(f, cl, "Password: "));
	snprintf(line, sizeof(line), "%s\r\n", pass);
	cl_puts(cl, line);
	assert_true(expect(f, cl, "[] "));
	return cl;
}

#endif
