/*
 * The console object: configuration of the TCP listener (`set console
 * self/open/close`), the listener itself, the log sink that copies log
 * lines to sessions, and teardown. Sessions live in console_sess.c.
 */
#include "ctl/console_priv.h"

#include <errno.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <event2/listener.h>

#include "core/daemon.h"

#define ACCEPT_RETRY_MS 1000 /* pause after accept fails, e.g. out of descriptors */

static void console_log_line(void *arg, const char *line);

const struct console_interp *con_interp(const struct console *con)
{
	return con->interp != NULL ? con->interp : &console_interp_conf;
}

static void set_port(struct sockaddr_storage *ss, unsigned port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
	else if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
}

static int resolve_ai(const char *addr, int flags, struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = flags};
	struct addrinfo *res;

	if (getaddrinfo(addr, NULL, &hints, &res) != 0)
		return -1;
	int rc = -1;
	for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
		if ((ai->ai_family == AF_INET || ai->ai_family == AF_INET6) &&
		    ai->ai_addrlen <= sizeof(*ss)) {
			memcpy(ss, ai->ai_addr, ai->ai_addrlen);
			*len = ai->ai_addrlen;
			rc = 0;
			break;
		}
	}
	freeaddrinfo(res);
	return rc;
}

/* An interface name stands for its first IPv4 address, else its first IPv6 one. */
static int resolve_ifname(const char *name, struct sockaddr_storage *ss, socklen_t *len)
{
	struct ifaddrs *ifa0;
	const struct sockaddr *v4 = NULL, *v6 = NULL;

	if (getifaddrs(&ifa0) != 0)
		return -1;
	for (struct ifaddrs *ifa = ifa0; ifa != NULL; ifa = ifa->ifa_next) {
		if (ifa->ifa_addr == NULL || strcmp(ifa->ifa_name, name) != 0)
			continue;
		if (ifa->ifa_addr->sa_family == AF_INET && v4 == NULL)
			v4 = ifa->ifa_addr;
		else if (ifa->ifa_addr->sa_family == AF_INET6 && v6 == NULL)
			v6 = ifa->ifa_addr;
	}
	const struct sockaddr *sa = v4 != NULL ? v4 : v6;
	if (sa != NULL) {
		*len = sa->sa_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
		memcpy(ss, sa, *len);
	}
	freeifaddrs(ifa0);
	return sa != NULL ? 0 : -1;
}

static int resolve(const char *addr, struct sockaddr_storage *ss, socklen_t *len)
{
	char buf[128];
	size_t n = strlen(addr);

	/* Accept "[::1]" as written in URLs. */
	if (n >= 2 && n < sizeof(buf) && addr[0] == '[' && addr[n - 1] == ']') {
		memcpy(buf, addr + 1, n - 2);
		buf[n - 2] = '\0';
		addr = buf;
	}
	memset(ss, 0, sizeof(*ss));
	if (resolve_ai(addr, AI_NUMERICHOST, ss, len) == 0)
		return 0;
	if (resolve_ifname(addr, ss, len) == 0)
		return 0;
	return resolve_ai(addr, AI_ADDRCONFIG, ss, len);
}

struct console *console_get(struct daemon *d)
{
	if (d->console != NULL)
		return d->console;
	struct console *con = calloc(1, sizeof(*con));
	if (con == NULL) {
		log_msg(LG_ERR, NULL, "CONSOLE: out of memory");
		return NULL;
	}
	con->d = d;
	TAILQ_INIT(&con->sessions);
	con->opts.enable = 1u << CONSOLE_OPT_AUTH;
	con->login_timeout_ms = CON_LOGIN_TIMEOUT_MS;
	char err[64];
	if (console_set_self(con, CONSOLE_DEFAULT_ADDR, CONSOLE_DEFAULT_PORT, err, sizeof(err)) != 0) {
		free(con);
		return NULL;
	}
	con->sink.write = console_log_line;
	con->sink.arg = con;
	log_sink_add(&con->sink);
	d->console = con;
	return con;
}

void console_set_interp(struct console *con, const struct console_interp *interp)
{
	con->interp = interp;
}

void console_set_root(struct console *con, const struct cmd *root)
{
	con->root = root;
}

int console_set_self(struct console *con, const char *addr, unsigned port, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len = 0;

	if (port > 65535) {
		snprintf(err, errlen, "invalid port %u", port);
		return -1;
	}
	if (strlen(addr) >= sizeof(con->self) || resolve(addr, &ss, &len) != 0) {
		snprintf(err, errlen, "can't resolve address \"%.64s\"", addr);
		return -1;
	}
	set_port(&ss, port);
	con->sa = ss;
	con->salen = len;
	snprintf(con->self, sizeof(con->self), "%s", addr);
	con->port = port;
	return 0;
}

static void accept_cb(struct evconnlistener *lev, evutil_socket_t fd, struct sockaddr *sa,
		      int salen, void *arg)
{
	struct console *con = arg;

	(void)lev;
	con_sess_accept(con, fd, sa, (socklen_t)salen);
}

static void accept_retry(void *arg)
{
	struct console *con = arg;

	if (con->lev != NULL)
		evconnlistener_enable(con->lev);
}

/* Out of descriptors the socket stays readable: pause instead of spinning. */
static void accept_error(struct evconnlistener *lev, void *arg)
{
	struct console *con = arg;
	int err = EVUTIL_SOCKET_ERROR();

	log_msg(LG_ERR, NULL, "CONSOLE: accept: %s", evutil_socket_error_to_string(err));
	evconnlistener_disable(lev);
	timer_start(&con->accept_retry, ACCEPT_RETRY_MS);
}

static int listen_socket(struct console *con, char *err, size_t errlen)
{
	int on = 1;
	int fd = socket(con->sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (con->sa.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&con->sa, con->salen) != 0 || listen(fd, 16) != 0) {
		snprintf(err, errlen, "can't listen on %s %u: %s", con->self, con->port, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static unsigned bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return 0;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return 0;
}

int console_open(struct console *con, char *err, size_t errlen)
{
	if (con->lev != NULL) {
		snprintf(err, errlen, "console already open");
		return -1;
	}
	int fd = listen_socket(con, err, errlen);
	if (fd < 0)
		return -1;
	con->lev = evconnlistener_new(con->d->base, accept_cb, con,
				      LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 0, fd);
	if (con->lev == NULL) {
		close(fd);
		snprintf(err, errlen, "can't create listener");
		return -1;
	}
	evconnlistener_set_error_cb(con->lev, accept_error);
	timer_init(&con->accept_retry, con->d->base, accept_retry, con);
	con->bound_port = bound_port(fd);
	log_msg(LG_CONSOLE, NULL, "CONSOLE: listening on %s %u", con->self, con->bound_port);
	return 0;
}

void console_close(struct console *con)
{
	if (con->lev == NULL)
		return;
	timer_stop(&con->accept_retry);
	evconnlistener_free(con->lev);
	con->lev = NULL;
	con->bound_port = 0;
	log_msg(LG_CONSOLE, NULL, "CONSOLE: listener closed");
}

bool console_is_open(const struct console *con)
{
	return con->lev != NULL;
}

unsigned console_port(const struct console *con)
{
	return con->bound_port;
}

unsigned console_nsessions(const struct console *con)
{
	return con->nsessions;
}

static void console_log_line(void *arg, const char *line)
{
	struct console *con = arg;
	struct console_session *s;

	TAILQ_FOREACH(s, &con->sessions, entry)
		con_sess_log(s, line);
}

void con_finish_free(struct console *con)
{
	if (con->inside > 0 || !TAILQ_EMPTY(&con->sessions))
		return;
	log_sink_del(&con->sink);
	free(con);
}

void console_free(struct console *con)
{
	struct console_session *s, *next;

	if (con == NULL)
		return;
	console_close(con);
	if (con->d->console == con)
		con->d->console = NULL;
	con->dying = true;
	for (s = TAILQ_FIRST(&con->sessions); s != NULL; s = next) {
		next = TAILQ_NEXT(s, entry);
		con_sess_close(s);
	}
	con_finish_free(con);
}
