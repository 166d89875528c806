/*
 * The RADIUS client transport (aaa/rad_client.h): requests, identifiers,
 * retransmission, failover and the dead-server back-off, on the event loop.
 *
 * One struct rad_dest per (address, port, secret, source address) is shared
 * by every link: its connected UDP socket only hears from that server (the
 * kernel drops datagrams from any other address or port), its 256
 * identifiers name the outstanding requests, and its counters and back-off
 * state are what `show radius` prints.
 */
#include "aaa/rad_client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "conf/cmd.h"
#include "core/daemon.h"
#include "core/log.h"
#include "core/timer.h"

TAILQ_HEAD(rad_queue, rad_req);

struct rad_dest {
	struct rad_dest *next;
	struct daemon *d;
	struct sockaddr_in6 addr;       /* v4-mapped for IPv4 */
	uint16_t port;
	bool src_set;
	struct in_addr src;
	char secret[RAD_SECRET_MAX];
	char name[RAD_HOST_MAX + 8];    /* "host:port" */
	int fd;
	struct event *rev;
	struct rad_req *out[256];       /* outstanding requests by identifier */
	unsigned nout;
	uint8_t next_id;
	struct rad_queue waiting;       /* requests waiting for a free identifier */
	time_t dead_until;              /* monotonic seconds; skipped before this while others live */
	struct rad_dest_stats {
		unsigned long requests, retransmissions, timeouts, bad_auth, bad_ma, malformed, unmatched;
		unsigned long accepts, rejects, challenges, acct_responses;
	} st;
	char last_error[128];
	bool refused;                   /* ICMP port unreachable since the last valid response */
};

/* Process-wide client state (struct daemon.radius). */
struct rad_client {
	struct rad_dest *dests;
};

struct rad_req {
	struct daemon *d;
	struct radius_conf rc;
	enum rad_kind kind;
	uint8_t code;
	rad_build_fn build;
	rad_done_fn done;
	void *arg;
	char log_name[32];
	bool tried[RAD_MAX_SERVERS];
	int srv;                        /* index in rc.servers, -1 before the first */
	unsigned tries;                 /* sends to the current server */
	struct rad_dest *dest;
	int id;                         /* -1 while none is held */
	bool queued;
	TAILQ_ENTRY(rad_req) qlink;
	struct timer timer;
	struct event *finish;           /* delivers an outcome known without a response */
	enum rad_outcome outcome;
	uint8_t pkt[RAD_MAX_PKT];
	size_t len;
};

static time_t now_sec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

void radius_conf_defaults(struct radius_conf *rc)
{
	memset(rc, 0, sizeof(*rc));
	rc->timeout = RAD_DEF_TIMEOUT;
	rc->retries = RAD_DEF_RETRIES;
	rc->opts.enable = 1u << RADOPT_REQUIRE_MA;
}

static uint16_t server_port(const struct rad_server_conf *s, enum rad_kind k)
{
	return k == RAD_KIND_AUTH ? s->auth_port : s->acct_port;
}

static struct rad_client *client_of(struct daemon *d)
{
	if (d->radius == NULL)
		d->radius = calloc(1, sizeof(struct rad_client));
	return d->radius;
}

static bool dest_matches(const struct rad_dest *x, const struct rad_server_conf *s, uint16_t port,
			 const struct radius_conf *rc)
{
	return x->port == port && memcmp(&x->addr.sin6_addr, &s->addr.sin6_addr, sizeof(struct in6_addr)) == 0 &&
	       strcmp(x->secret, s->secret) == 0 && x->src_set == rc->src_set &&
	       (!rc->src_set || x->src.s_addr == rc->src_addr.s_addr);
}

/* The shared state of a server, or NULL when it does not exist yet. */
static struct rad_dest *dest_lookup(struct daemon *d, const struct rad_server_conf *s, uint16_t port,
				    const struct radius_conf *rc)
{
	if (d->radius == NULL)
		return NULL;
	for (struct rad_dest *x = d->radius->dests; x != NULL; x = x->next)
		if (dest_matches(x, s, port, rc))
			return x;
	return NULL;
}

static void on_readable(evutil_socket_t fd, short what, void *arg);

/* Open the destination's socket: bound to src-addr when set, connected to the server. */
static int dest_open(struct rad_dest *x)
{
	bool v4 = IN6_IS_ADDR_V4MAPPED(&x->addr.sin6_addr);
	x->fd = socket(v4 ? AF_INET : AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (x->fd < 0)
		return -1;
	if (x->src_set && v4) {
		struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr = x->src};
		if (bind(x->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			return -1;
	}
	int rc;
	if (v4) {
		struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(x->port)};
		memcpy(&sa.sin_addr, &x->addr.sin6_addr.s6_addr[12], 4);
		rc = connect(x->fd, (struct sockaddr *)&sa, sizeof(sa));
	} else {
		struct sockaddr_in6 sa = x->addr;
		sa.sin6_port = htons(x->port);
		rc = connect(x->fd, (struct sockaddr *)&sa, sizeof(sa));
	}
	if (rc < 0)
		return -1;
	x->rev = event_new(x->d->base, x->fd, EV_READ | EV_PERSIST, on_readable, x);
	if (x->rev == NULL || event_add(x->rev, NULL) < 0)
		return -1;
	return 0;
}

/* The shared state of a server, created (socket opened) on first use; NULL on failure. */
static struct rad_dest *dest_get(struct daemon *d, const struct rad_server_conf *s, uint16_t port,
				 const struct radius_conf *rc, const char *who)
{
	struct rad_dest *x = dest_lookup(d, s, port, rc);
	if (x != NULL)
		return x;
	struct rad_client *c = client_of(d);
	if (c == NULL || (x = calloc(1, sizeof(*x))) == NULL)
		return NULL;
	x->d = d;
	x->addr = s->addr;
	x->port = port;
	x->src_set = rc->src_set;
	x->src = rc->src_addr;
	x->fd = -1;
	snprintf(x->secret, sizeof(x->secret), "%s", s->secret);
	snprintf(x->name, sizeof(x->name), strchr(s->host, ':') != NULL ? "[%s]:%u" : "%s:%u", s->host, port);
	TAILQ_INIT(&x->waiting);
	if (dest_open(x) < 0) {
		log_pmsg(LG_RADIUS, LP_WARNING, who, "RADIUS: server %s: can't open a socket: %s", x->name,
			 strerror(errno));
		if (x->rev != NULL)
			event_free(x->rev);
		if (x->fd >= 0)
			close(x->fd);
		explicit_bzero(x, sizeof(*x));
		free(x);
		return NULL;
	}
	x->next = c->dests;
	c->dests = x;
	return x;
}

static void dest_error(struct rad_dest *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void dest_error(struct rad_dest *x, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->last_error, sizeof(x->last_error), fmt, ap);
	va_end(ap);
}

static bool dest_dead(const struct rad_dest *x)
{
	return x != NULL && x->dead_until > now_sec();
}

static void req_next_server(struct rad_req *r);
static void req_send_first(struct rad_req *r);

/* Give the request's identifier back, and hand it to the first request waiting for one. */
static void id_release(struct rad_req *r)
{
	struct rad_dest *x = r->dest;
	if (x == NULL)
		return;
	if (r->queued) {
		TAILQ_REMOVE(&x->waiting, r, qlink);
		r->queued = false;
	}
	if (r->id >= 0) {
		x->out[r->id] = NULL;
		x->nout--;
		r->id = -1;
		struct rad_req *w = TAILQ_FIRST(&x->waiting);
		if (w != NULL) {
			TAILQ_REMOVE(&x->waiting, w, qlink);
			w->queued = false;
			req_send_first(w);
		}
	}
	r->dest = NULL;
}

/* Allocate an identifier at the destination (RFC 2865 §3), rotating so a late answer to a
 * freed one is unlikely to meet its successor; -1 when all 256 are outstanding. */
static int id_alloc(struct rad_dest *x, struct rad_req *r)
{
	if (x->nout >= 256)
		return -1;
	while (x->out[x->next_id] != NULL)
		x->next_id++;
	int id = x->next_id++;
	x->out[id] = r;
	x->nout++;
	return id;
}

static void req_free(struct rad_req *r)
{
	id_release(r);
	timer_stop(&r->timer);
	if (r->finish != NULL)
		event_free(r->finish);
	explicit_bzero(r, sizeof(*r));
	free(r);
}

/* The end of a request: the callback sees the outcome, then the request is gone. */
static void req_complete(struct rad_req *r, enum rad_outcome o, const struct rad_pkt *pkt)
{
	const struct rad_server_conf *s = r->srv >= 0 ? &r->rc.servers[r->srv] : NULL;
	struct rad_response resp = {
		.outcome = o,
		.code = pkt != NULL ? pkt->code : 0,
		.pkt = pkt,
		.req_auth = r->pkt + 4,
		.secret = s != NULL ? s->secret : "",
		.server = r->dest != NULL ? r->dest->name : s != NULL ? s->host : "",
	};
	char server[sizeof(r->dest->name)];
	snprintf(server, sizeof(server), "%s", resp.server);
	resp.server = server;
	id_release(r);
	timer_stop(&r->timer);
	r->done(&resp, r->arg);
	req_free(r);
}

static void on_finish(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct rad_req *r = arg;
	req_complete(r, r->outcome, NULL);
}

/* End from the loop with an outcome known now (rad_send must not call back). */
static void req_finish_soon(struct rad_req *r, enum rad_outcome o)
{
	id_release(r);
	timer_stop(&r->timer);
	r->outcome = o;
	event_active(r->finish, EV_TIMEOUT, 1);
}

static unsigned req_timeout(const struct rad_req *r)
{
	const struct rad_server_conf *s = &r->rc.servers[r->srv];
	return s->timeout > 0 ? s->timeout : r->rc.timeout > 0 ? r->rc.timeout : RAD_DEF_TIMEOUT;
}

static unsigned req_retries(const struct rad_req *r)
{
	const struct rad_server_conf *s = &r->rc.servers[r->srv];
	return s->retries > 0 ? s->retries : r->rc.retries > 0 ? r->rc.retries : RAD_DEF_RETRIES;
}

/* Put the packet on the wire; a send error is only recorded, the timer decides. */
static void req_transmit(struct rad_req *r)
{
	struct rad_dest *x = r->dest;
	if (send(x->fd, r->pkt, r->len, 0) < 0) {
		dest_error(x, "send: %s", strerror(errno));
		log_pmsg(LG_RADIUS, LP_WARNING, r->log_name, "RADIUS: %s: send failed: %s", x->name, strerror(errno));
	}
	r->tries++;
	timer_start(&r->timer, req_timeout(r) * 1000);
}

/* Build the packet for the current server with our identifier and send it the first time. */
static void req_send_first(struct rad_req *r)
{
	struct rad_dest *x = r->dest;
	const struct rad_server_conf *s = &r->rc.servers[r->srv];
	int id = id_alloc(x, r);
	if (id < 0) {
		/* all 256 identifiers in flight: wait for one (RFC 2865 §3) */
		TAILQ_INSERT_TAIL(&x->waiting, r, qlink);
		r->queued = true;
		log_msg(LG_RADIUS2, r->log_name, "RADIUS: %s: 256 requests outstanding, queued", x->name);
		return;
	}
	r->id = id;
	struct rad_builder b;
	int len = -1;
	size_t slen = strlen(s->secret);
	if (rad_begin(&b, r->pkt, sizeof(r->pkt), r->code, (uint8_t)id) == 0 &&
	    (r->code != RAD_ACCESS_REQUEST || rad_add_message_authenticator(&b) == 0) &&
	    r->build(&b, s->secret, r->arg) == 0)
		len = rad_finish(&b, s->secret, slen);
	if (len < 0) {
		log_pmsg(LG_RADIUS, LP_WARNING, r->log_name, "RADIUS: %s: the request does not fit in a packet",
			 x->name);
		dest_error(x, "request too large");
		id_release(r);
		req_next_server(r);
		return;
	}
	r->len = (size_t)len;
	r->tries = 0;
	x->st.requests++;
	if (log_enabled(LG_RADIUS2)) {
		struct rad_pkt p;
		char line[1024];
		if (rad_parse(&p, r->pkt, r->len) == 0)
			log_msg(LG_RADIUS2, r->log_name, "RADIUS: send to %s: %s", x->name, rad_print(&p, line, sizeof(line)));
	}
	req_transmit(r);
}

/* Pick the next server: the first untried one that is alive, else the first untried dead one
 * (a last resort, so a request never fails only because every server was recently down). */
static int pick_server(struct rad_req *r)
{
	int dead = -1;
	for (unsigned i = 0; i < r->rc.nservers; i++) {
		const struct rad_server_conf *s = &r->rc.servers[i];
		uint16_t port = server_port(s, r->kind);
		if (r->tried[i] || port == 0)
			continue;
		if (!dest_dead(dest_lookup(r->d, s, port, &r->rc)))
			return (int)i;
		if (dead < 0)
			dead = (int)i;
	}
	return dead;
}

/* Move to the next server, or end with RAD_TIMEOUT when every one was tried. */
static void req_next_server(struct rad_req *r)
{
	for (;;) {
		int i = pick_server(r);
		if (i < 0) {
			bool any = r->srv >= 0;
			log_pmsg(LG_RADIUS, LP_WARNING, r->log_name, "RADIUS: %s", any ? "no server answered" :
				 "no server configured for this request");
			req_finish_soon(r, any ? RAD_TIMEOUT : RAD_NOSERVER);
			return;
		}
		r->tried[i] = true;
		r->srv = i;
		const struct rad_server_conf *s = &r->rc.servers[i];
		struct rad_dest *x = dest_get(r->d, s, server_port(s, r->kind), &r->rc, r->log_name);
		if (x == NULL)
			continue;
		if (dest_dead(x))
			log_msg(LG_RADIUS, r->log_name, "RADIUS: probing %s (marked dead)", x->name);
		r->dest = x;
		req_send_first(r);
		return;
	}
}

/* A try ran out: send again, or give up on this server and mark it dead for a while. */
static void on_timer(void *arg)
{
	struct rad_req *r = arg;
	struct rad_dest *x = r->dest;
	if (r->tries < req_retries(r)) {
		x->st.retransmissions++;
		log_msg(LG_RADIUS2, r->log_name, "RADIUS: %s: no answer, retransmitting (try %u)", x->name,
			r->tries + 1);
		req_transmit(r);
		return;
	}
	x->st.timeouts++;
	x->dead_until = now_sec() + RAD_DEAD_SECS;
	dest_error(x, "no answer after %u tries%s", r->tries, x->refused ? " (port unreachable: nothing listening)" : "");
	log_pmsg(LG_RADIUS, LP_WARNING, r->log_name, "RADIUS: server %s did not answer after %u tries, next server",
		 x->name, r->tries);
	id_release(r);
	req_next_server(r);
}

struct rad_req *rad_send(struct daemon *d, const struct radius_conf *rc, enum rad_kind kind, uint8_t code,
			 rad_build_fn build, rad_done_fn done, void *arg, const char *log_name)
{
	struct rad_req *r = calloc(1, sizeof(*r));
	if (r == NULL)
		return NULL;
	r->d = d;
	r->rc = *rc;
	r->kind = kind;
	r->code = code;
	r->build = build;
	r->done = done;
	r->arg = arg;
	r->srv = -1;
	r->id = -1;
	snprintf(r->log_name, sizeof(r->log_name), "%s", log_name != NULL ? log_name : "");
	timer_init(&r->timer, d->base, on_timer, r);
	r->finish = evtimer_new(d->base, on_finish, r);
	if (r->finish == NULL) {
		free(r);
		return NULL;
	}
	req_next_server(r);
	return r;
}

void rad_cancel(struct rad_req *r)
{
	if (r != NULL)
		req_free(r);
}

/* Count a response by code for `show radius`. */
static void count_code(struct rad_dest *x, uint8_t code)
{
	switch (code) {
	case RAD_ACCESS_ACCEPT:
		x->st.accepts++;
		break;
	case RAD_ACCESS_REJECT:
		x->st.rejects++;
		break;
	case RAD_ACCESS_CHALLENGE:
		x->st.challenges++;
		break;
	default:
		x->st.acct_responses++;
		break;
	}
}

/* A response that fails a check is dropped, logged and counted; the request keeps waiting. */
static void drop(struct rad_dest *x, unsigned long *counter, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void drop(struct rad_dest *x, unsigned long *counter, const char *fmt, ...)
{
	char why[96];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	(*counter)++;
	dest_error(x, "%s", why);
	log_pmsg(LG_RADIUS, LP_WARNING, NULL, "RADIUS: response from %s dropped: %s", x->name, why);
}

/* Match one datagram from the server to an outstanding request and verify it. */
static void handle_datagram(struct rad_dest *x, const uint8_t *buf, size_t n)
{
	struct rad_pkt p;
	if (rad_parse(&p, buf, n) < 0) {
		drop(x, &x->st.malformed, "malformed packet (%zu bytes)", n);
		return;
	}
	struct rad_req *r = x->out[p.id];
	if (r == NULL) {
		drop(x, &x->st.unmatched, "%s id %u matches no outstanding request",
		     rad_code_name(p.code) ? rad_code_name(p.code) : "unknown code", p.id);
		return;
	}
	const struct rad_server_conf *s = &r->rc.servers[r->srv];
	bool access = r->code == RAD_ACCESS_REQUEST;
	unsigned flags = access && opt_enabled(&r->rc.opts, RADOPT_REQUIRE_MA) ? RAD_REQUIRE_MA : 0;
	enum rad_verdict v = rad_verify_response(&p, r->pkt, r->len, s->secret, strlen(s->secret), flags);
	switch (v) {
	case RAD_OK:
		break;
	case RAD_BAD_AUTH:
		drop(x, &x->st.bad_auth, "id %u: bad Response Authenticator", p.id);
		return;
	case RAD_MISSING_MA:
		drop(x, &x->st.bad_ma, "id %u: no Message-Authenticator (required, BlastRADIUS)", p.id);
		return;
	case RAD_BAD_MA:
		drop(x, &x->st.bad_ma, "id %u: wrong Message-Authenticator", p.id);
		return;
	default:
		drop(x, &x->st.malformed, "id %u: %s", p.id, rad_verdict_name(v));
		return;
	}
	struct rad_attr a;
	if (rad_find(&p, RAD_PROXY_STATE, 0, 0, &a)) {
		/* we never send Proxy-State (RFC 2865 §5.33): one in the answer was not for us */
		drop(x, &x->st.malformed, "id %u: Proxy-State we did not send", p.id);
		return;
	}
	count_code(x, p.code);
	x->refused = false;
	if (x->dead_until != 0) {
		log_msg(LG_RADIUS, r->log_name, "RADIUS: server %s is alive again", x->name);
		x->dead_until = 0;
	}
	if (log_enabled(LG_RADIUS2)) {
		char line[1024];
		log_msg(LG_RADIUS2, r->log_name, "RADIUS: from %s: %s", x->name, rad_print(&p, line, sizeof(line)));
	}
	req_complete(r, RAD_ANSWERED, &p);
}

static void on_readable(evutil_socket_t fd, short what, void *arg)
{
	(void)what;
	struct rad_dest *x = arg;
	uint8_t buf[RAD_MAX_PKT + 1];
	for (int i = 0; i < 64; i++) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == ECONNREFUSED) {
				x->refused = true;
				dest_error(x, "port unreachable (nothing listening)");
			}
			return;
		}
		handle_datagram(x, buf, (size_t)n);
	}
}

static const char *dest_state(const struct rad_dest *x)
{
	if (x == NULL)
		return "unused";
	return dest_dead(x) ? "dead" : "alive";
}

/* One server's line and counters for `show radius`. */
static void show_dest(struct cmd_ctx *c, const char *kind, const struct rad_dest *x)
{
	cmd_printf(c, "\t  %s: %s", kind, dest_state(x));
	if (x == NULL) {
		cmd_printf(c, "\n");
		return;
	}
	if (dest_dead(x))
		cmd_printf(c, " (retry in %ld s)", (long)(x->dead_until - now_sec()));
	unsigned queued = 0;
	const struct rad_req *w;
	TAILQ_FOREACH(w, &x->waiting, qlink)
		queued++;
	cmd_printf(c, ", %u outstanding, %u queued\n", x->nout, queued);
	cmd_printf(c,
		   "\t    requests %lu, retransmissions %lu, timeouts %lu, bad authenticators %lu,"
		   " bad message-authenticators %lu, malformed %lu, unmatched %lu\n",
		   x->st.requests, x->st.retransmissions, x->st.timeouts, x->st.bad_auth, x->st.bad_ma,
		   x->st.malformed, x->st.unmatched);
	cmd_printf(c, "\t    accepts %lu, rejects %lu, challenges %lu, accounting responses %lu\n", x->st.accepts,
		   x->st.rejects, x->st.challenges, x->st.acct_responses);
	if (x->last_error[0] != '\0')
		cmd_printf(c, "\t    last error: %s\n", x->last_error);
}

void rad_client_show(struct cmd_ctx *c, struct daemon *d, const struct radius_conf *rc)
{
	for (unsigned i = 0; i < rc->nservers; i++) {
		const struct rad_server_conf *s = &rc->servers[i];
		cmd_printf(c, "\t%s (secret ***) auth-port %u acct-port %u", s->host, s->auth_port, s->acct_port);
		if (s->timeout > 0 || s->retries > 0)
			cmd_printf(c, " timeout %u retries %u", s->timeout, s->retries);
		cmd_printf(c, "\n");
		if (s->auth_port != 0)
			show_dest(c, "auth", dest_lookup(d, s, s->auth_port, rc));
		if (s->acct_port != 0)
			show_dest(c, "acct", dest_lookup(d, s, s->acct_port, rc));
	}
}

void rad_client_destroy(struct daemon *d)
{
	struct rad_client *c = d->radius;
	if (c == NULL)
		return;
	while (c->dests != NULL) {
		struct rad_dest *x = c->dests;
		c->dests = x->next;
		/* the queue first: freeing an outstanding request would send the next one waiting */
		while (!TAILQ_EMPTY(&x->waiting))
			req_free(TAILQ_FIRST(&x->waiting));
		for (unsigned i = 0; i < 256; i++)
			if (x->out[i] != NULL)
				req_free(x->out[i]);
		if (x->rev != NULL)
			event_free(x->rev);
		if (x->fd >= 0)
			close(x->fd);
		explicit_bzero(x, sizeof(*x));
		free(x);
	}
	free(c);
	d->radius = NULL;
}
