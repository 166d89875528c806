/*
 * aaa/rad_client against a UDP socket on loopback playing the server:
 * identifiers unique per outstanding request and queued past 256 (RFC 2865
 * §3), responses matched to requests only (id, source, Response
 * Authenticator, Message-Authenticator required for Access-Requests),
 * retransmission with the same id, cancel, failover, radius.conf lines.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "aaa/auth.h"
#include "aaa/rad_client.h"
#include "aaa/rad_conf.h"
#include "aaa/rad_pkt.h"
#include "core/daemon.h"

#define SECRET "s3cret"

static struct daemon d;
static int srv = -1;            /* the fake server's socket */
static uint16_t srv_port;
static struct radius_conf rc;

struct seen {
	int calls;
	enum rad_outcome outcome;
	uint8_t code;
};

static void on_done(const struct rad_response *r, void *arg)
{
	struct seen *s = arg;
	s->calls++;
	s->outcome = r->outcome;
	s->code = r->code;
}

static int build(struct rad_builder *b, const char *secret, void *arg)
{
	(void)arg;
	assert_string_equal(secret, SECRET);
	return rad_add_string(b, RAD_USER_NAME, "alice");
}

static int setup(void **state)
{
	(void)state;
	memset(&d, 0, sizeof(d));
	d.base = event_base_new();
	srv = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t sl = sizeof(sa);
	if (srv < 0 || bind(srv, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(srv, (struct sockaddr *)&sa, &sl) < 0)
		return -1;
	srv_port = ntohs(sa.sin_port);
	radius_conf_defaults(&rc);
	rc.nservers = 1;
	snprintf(rc.servers[0].host, sizeof(rc.servers[0].host), "127.0.0.1");
	snprintf(rc.servers[0].secret, sizeof(rc.servers[0].secret), SECRET);
	rc.servers[0].auth_port = srv_port;
	return rad_host_resolve("127.0.0.1", &rc.servers[0].addr);
}

static int teardown(void **state)
{
	(void)state;
	rad_client_destroy(&d);
	close(srv);
	event_base_free(d.base);
	return 0;
}

/* Let the loop run its ready events a few times. */
static void spin(void)
{
	for (int i = 0; i < 20; i++)
		event_base_loop(d.base, EVLOOP_NONBLOCK);
	usleep(20000);
	for (int i = 0; i < 20; i++)
		event_base_loop(d.base, EVLOOP_NONBLOCK);
}

struct got {
	uint8_t pkt[RAD_MAX_PKT];
	size_t len;
	struct sockaddr_in from;
};

/* Every request the fake server has received, in order; returns how many. */
static int receive_all(struct got *g, int max)
{
	int n = 0;
	for (;;) {
		struct got tmp;
		socklen_t fl = sizeof(tmp.from);
		ssize_t r = recvfrom(srv, tmp.pkt, sizeof(tmp.pkt), 0, (struct sockaddr *)&tmp.from, &fl);
		if (r < 0)
			return n;
		tmp.len = (size_t)r;
		if (n < max)
			g[n] = tmp;
		n++;
	}
}

/* Answer request g with code; ma: 0 none, 1 good, 2 wrong (16 junk bytes, first); secret as given. */
static void answer(const struct got *g, uint8_t code, int ma, const char *secret, int from_fd)
{
	uint8_t out[RAD_MAX_PKT], junk[RAD_AUTH_LEN];
	struct rad_builder b;
	memset(junk, 0x55, sizeof(junk));
	assert_int_equal(rad_begin_reply(&b, out, sizeof(out), code, g->pkt), 0);
	if (ma == 1)
		assert_int_equal(rad_add_message_authenticator(&b), 0);
	else if (ma == 2)
		assert_int_equal(rad_add_raw(&b, RAD_MESSAGE_AUTHENTICATOR, junk, sizeof(junk)), 0);
	assert_int_equal(rad_add_string(&b, RAD_REPLY_MESSAGE, "hi"), 0);
	int len = rad_finish(&b, secret, strlen(secret));
	assert_true(len > 0);
	assert_true(sendto(from_fd, out, (size_t)len, 0, (const struct sockaddr *)&g->from, sizeof(g->from)) == len);
}

static struct got got[300];

/* 300 requests to one server: 256 distinct ids in flight, the rest queued until one frees. */
static void test_ids_and_queue(void **state)
{
	(void)state;
	static struct seen s[300];
	static struct rad_req *req[300];
	memset(s, 0, sizeof(s));
	for (int i = 0; i < 300; i++)
		assert_non_null(req[i] = rad_send(&d, &rc, RAD_KIND_AUTH, RAD_ACCESS_REQUEST, build, on_done, &s[i], "t"));
	spin();
	int n = receive_all(got, 300);
	assert_int_equal(n, 256);
	bool used[256] = {false};
	for (int i = 0; i < n; i++) {
		assert_false(used[got[i].pkt[1]]);
		used[got[i].pkt[1]] = true;
		/* Message-Authenticator is the first attribute (BlastRADIUS) */
		assert_int_equal(got[i].pkt[RAD_HDR_LEN], RAD_MESSAGE_AUTHENTICATOR);
	}
	/* answer request 0 properly: its callback runs, one queued request goes out with the freed id */
	answer(&got[0], RAD_ACCESS_ACCEPT, 1, SECRET, srv);
	spin();
	assert_int_equal(s[0].calls, 1);
	assert_int_equal(s[0].outcome, RAD_ANSWERED);
	assert_int_equal(s[0].code, RAD_ACCESS_ACCEPT);
	struct got more[4];
	assert_int_equal(receive_all(more, 4), 1);
	assert_int_equal(more[0].pkt[1], got[0].pkt[1]);
	/* a second answer to the same id now matches the new request only if it verifies: it does not */
	answer(&got[0], RAD_ACCESS_ACCEPT, 1, SECRET, srv);
	spin();
	for (int i = 0; i < 300; i++)
		assert_int_equal(s[i].calls, i == 0 ? 1 : 0);
	/* the queued ones first (cancelling an outstanding one would send the next in the queue) */
	for (int i = 299; i >= 1; i--)
		rad_cancel(req[i]);
	spin();
	assert_int_equal(receive_all(more, 4), 0);
}

/* Answers that fail a check are dropped and the request keeps waiting for the real one. */
static void test_matching(void **state)
{
	(void)state;
	struct seen s = {0};
	struct rad_req *r = rad_send(&d, &rc, RAD_KIND_AUTH, RAD_ACCESS_REQUEST, build, on_done, &s, "t");
	assert_non_null(r);
	spin();
	struct got g[2];
	assert_int_equal(receive_all(g, 2), 1);
	answer(&g[0], RAD_ACCESS_ACCEPT, 1, "wrong-secret", srv); /* bad Response Authenticator */
	answer(&g[0], RAD_ACCESS_ACCEPT, 0, SECRET, srv);         /* no Message-Authenticator */
	answer(&g[0], RAD_ACCESS_ACCEPT, 2, SECRET, srv);         /* a wrong one */
	/* a good answer from another port of the right host: the connected socket never sees it */
	int other = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(other >= 0);
	answer(&g[0], RAD_ACCESS_ACCEPT, 1, SECRET, other);
	close(other);
	struct got wrong_id = g[0];
	wrong_id.pkt[1] ^= 0x55; /* an id with nothing outstanding */
	answer(&wrong_id, RAD_ACCESS_ACCEPT, 1, SECRET, srv);
	spin();
	assert_int_equal(s.calls, 0);
	answer(&g[0], RAD_ACCESS_REJECT, 1, SECRET, srv);
	spin();
	assert_int_equal(s.calls, 1);
	assert_int_equal(s.code, RAD_ACCESS_REJECT);

	/* the legacy relaxation: a response without Message-Authenticator is taken, a wrong one never */
	struct radius_conf legacy = rc;
	legacy.opts.enable &= ~(1u << RADOPT_REQUIRE_MA);
	struct seen l = {0};
	assert_non_null(rad_send(&d, &legacy, RAD_KIND_AUTH, RAD_ACCESS_REQUEST, build, on_done, &l, "t"));
	spin();
	assert_int_equal(receive_all(g, 2), 1);
	answer(&g[0], RAD_ACCESS_ACCEPT, 2, SECRET, srv);
	spin();
	assert_int_equal(l.calls, 0);
	answer(&g[0], RAD_ACCESS_ACCEPT, 0, SECRET, srv);
	spin();
	assert_int_equal(l.calls, 1);
	assert_int_equal(l.code, RAD_ACCESS_ACCEPT);
}

/* Retransmissions keep id and bytes (RFC 2865 §3); an answer after a cancel is dropped. */
static void test_retransmit_failover(void **state)
{
	(void)state;
	struct radius_conf two = rc;
	two.timeout = 1;
	two.retries = 2;
	/* the first server: a port where nobody listens */
	two.servers[1] = two.servers[0];
	two.servers[0].auth_port = (uint16_t)(srv_port == 65535 ? 1 : srv_port + 1);
	snprintf(two.servers[0].secret, sizeof(two.servers[0].secret), "%s", "other");
	/* ...swapped: first the fake server (which will not answer), then the dead port */
	struct rad_server_conf t = two.servers[0];
	two.servers[0] = two.servers[1];
	two.servers[1] = t;
	two.nservers = 2;
	struct seen s = {0};
	struct rad_req *r = rad_send(&d, &two, RAD_KIND_AUTH, RAD_ACCESS_REQUEST, build, on_done, &s, "t");
	assert_non_null(r);
	struct timeval tv = {1, 500000};
	event_base_loopexit(d.base, &tv);
	event_base_dispatch(d.base);
	struct got g[4];
	assert_int_equal(receive_all(g, 4), 2);
	assert_int_equal(g[0].len, g[1].len);
	assert_memory_equal(g[0].pkt, g[1].pkt, g[0].len);
	assert_int_equal(s.calls, 0);
	/* the second server's secret differs: build() asserts SECRET, so stop before it is asked */
	rad_cancel(r);
	answer(&g[0], RAD_ACCESS_ACCEPT, 1, SECRET, srv);
	spin();
	assert_int_equal(s.calls, 0);
}

/* No server for the kind: the outcome arrives from the loop, never inside rad_send. */
static void test_no_server(void **state)
{
	(void)state;
	struct seen s = {0};
	assert_non_null(rad_send(&d, &rc, RAD_KIND_ACCT, RAD_ACCOUNTING_REQUEST, build, on_done, &s, "t"));
	assert_int_equal(s.calls, 0);
	spin();
	assert_int_equal(s.calls, 1);
	assert_int_equal(s.outcome, RAD_NOSERVER);
}

static int auth_calls;
static bool auth_ok;
static void on_auth(const struct auth_result *r, void *arg)
{
	(void)arg;
	auth_calls++;
	auth_ok = r->ok;
}

/* `set auth timeout` bounds the whole chain: a server that never answers (5 s tries) is cut at 1 s. */
static void test_auth_deadline(void **state)
{
	(void)state;
	struct auth_request q = {.method = AUTH_PAP, .backends = 1u << AOPT_RADIUS_AUTH, .timeout = 1};
	snprintf(q.name, sizeof(q.name), "alice");
	snprintf(q.password, sizeof(q.password), "pw");
	q.radius = rc;
	auth_calls = 0;
	assert_non_null(auth_start(&d, &q, on_auth, NULL));
	struct timeval tv = {1, 400000};
	event_base_loopexit(d.base, &tv);
	event_base_dispatch(d.base);
	assert_int_equal(auth_calls, 1);
	assert_false(auth_ok);
	struct got g[2];
	assert_int_equal(receive_all(g, 2), 1);
	/* the request was cancelled with the check: a late answer reaches nobody */
	answer(&g[0], RAD_ACCESS_ACCEPT, 1, SECRET, srv);
	spin();
	assert_int_equal(auth_calls, 1);
}

/* Daemon exit with requests outstanding and queued: all freed (ASan), no callback runs. */
static void test_destroy_pending(void **state)
{
	(void)state;
	static struct seen s[260];
	memset(s, 0, sizeof(s));
	for (int i = 0; i < 260; i++)
		assert_non_null(rad_send(&d, &rc, RAD_KIND_AUTH, RAD_ACCESS_REQUEST, build, on_done, &s[i], "t"));
	spin();
	assert_int_equal(receive_all(got, 300), 256);
	rad_client_destroy(&d);
	assert_null(d.radius);
	spin();
	assert_int_equal(receive_all(got, 300), 0);
	for (int i = 0; i < 260; i++)
		assert_int_equal(s[i].calls, 0);
}

/* radius.conf lines (libradius format). */
static void test_conf_lines(void **state)
{
	(void)state;
	struct rad_server_conf s;
	char err[160];
	assert_int_equal(rad_conf_line("  # comment", &s, err, sizeof(err)), 0);
	assert_int_equal(rad_conf_line("", &s, err, sizeof(err)), 0);
	assert_int_equal(rad_conf_line("auth 10.0.0.1 sec", &s, err, sizeof(err)), 1);
	assert_string_equal(s.host, "10.0.0.1");
	assert_int_equal(s.auth_port, 1812);
	assert_int_equal(s.acct_port, 0);
	assert_int_equal(rad_conf_line("acct [2001:db8::1]:1700 \"a b\" 3 4 # x", &s, err, sizeof(err)), 1);
	assert_string_equal(s.host, "2001:db8::1");
	assert_string_equal(s.secret, "a b");
	assert_int_equal(s.acct_port, 1700);
	assert_int_equal(s.timeout, 3);
	assert_int_equal(s.retries, 4);
	assert_int_equal(rad_conf_line("auth host:0 x", &s, err, sizeof(err)), -1);
	assert_string_equal(err, "bad port \"0\"");
	assert_int_equal(rad_conf_line("auth host", &s, err, sizeof(err)), -1);
	assert_int_equal(rad_conf_line("both host x", &s, err, sizeof(err)), -1);
	assert_int_equal(rad_conf_line("auth host \"x", &s, err, sizeof(err)), -1);
	assert_string_equal(err, "unterminated quote");
	assert_int_equal(rad_conf_line("auth host x 0", &s, err, sizeof(err)), -1);
	assert_int_equal(rad_conf_line("auth host x 1 2 3", &s, err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids_and_queue),
		cmocka_unit_test(test_matching),
		cmocka_unit_test(test_retransmit_failover),
		cmocka_unit_test(test_no_server),
		cmocka_unit_test(test_auth_deadline),
		cmocka_unit_test(test_destroy_pending),
		cmocka_unit_test(test_conf_lines),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
