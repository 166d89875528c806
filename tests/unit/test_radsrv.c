/*
 * aaa/radsrv: the RFC 5176 server's decisions without sockets. Requests
 * are built with the codec (rad_pkt) as an AAA server would; a stand-in
 * owner records what it was asked to do.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "aaa/radsrv.h"
#include "core/daemon.h"

static const char secret[] = "coasecret";

struct owner {
	unsigned calls;
	unsigned match, templates;   /* what act() reports */
	struct radsrv_req last;
};

static void owner_act(void *arg, const struct radsrv_req *r, struct radsrv_result *res)
{
	struct owner *o = arg;
	o->calls++;
	o->last = *r;
	res->matched = o->match;
	res->templates = o->templates;
}

static const struct radsrv_ops owner_ops = {owner_act};

struct fx {
	struct daemon d;
	struct radsrv *s;
	struct owner o;
	struct sockaddr_in peer;
};

static int setup(void **state)
{
	static struct fx f;
	memset(&f, 0, sizeof f);
	f.d.radsrv_ops = &owner_ops;
	f.s = radsrv_get(&f.d);
	assert_non_null(f.s);
	f.s->ops_arg = &f.o;
	struct in_addr a;
	inet_pton(AF_INET, "10.9.0.1", &a);
	assert_int_equal(radsrv_peer_set(&f.s->conf, a, secret), 0);
	f.peer = (struct sockaddr_in){.sin_family = AF_INET, .sin_addr = a, .sin_port = htons(40000)};
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	radsrv_free(&f->d);
	assert_null(f->d.radsrv);
	return 0;
}

/* A request as a server sends it; extra(b) adds attributes. */
static size_t request(uint8_t *buf, uint8_t code, uint8_t id, bool ma, const char *sec,
		      void (*extra)(struct rad_builder *b))
{
	struct rad_builder b;
	rad_begin(&b, buf, RAD_MAX_PKT, code, id);
	if (ma)
		rad_add_message_authenticator(&b);
	if (extra)
		extra(&b);
	int n = rad_finish(&b, sec, strlen(sec));
	assert_true(n > 0);
	return (size_t)n;
}

static void by_user(struct rad_builder *b)
{
	rad_add_string(b, RAD_USER_NAME, "alice");
	rad_add_raw(b, RAD_STATE, "st8", 3);
}

/* Parse a reply to req and check it verifies with the secret; returns its Error-Cause (0 none). */
static uint32_t reply_check(const uint8_t *req, size_t reqlen, const uint8_t *out, size_t n, uint8_t code)
{
	struct rad_pkt p;
	struct rad_attr a;
	assert_true(n > 0);
	assert_int_equal(rad_parse(&p, out, n), 0);
	assert_int_equal(p.code, code);
	assert_int_equal(rad_verify_response(&p, req, reqlen, secret, strlen(secret), 0), RAD_OK);
	uint32_t cause = 0;
	if (rad_find(&p, RAD_ERROR_CAUSE, 0, 0, &a))
		assert_true(rad_attr_u32(&a, &cause));
	return cause;
}

static void test_disconnect_ack_state_ma(void **state)
{
	struct fx *f = *state;
	uint8_t req[RAD_MAX_PKT], out[RAD_MAX_PKT];
	size_t n = request(req, RAD_DISCONNECT_REQUEST, 7, true, secret, by_user);
	f->o.match = 1;
	size_t r = radsrv_input(f->s, &f->peer, req, n, 1000, out, sizeof out);
	assert_int_equal(reply_check(req, n, out, r, RAD_DISCONNECT_ACK), 0);
	assert_int_equal(f->o.calls, 1);
	assert_string_equal(f->o.last.user_name, "alice");
	assert_int_equal(f->o.last.code, RAD_DISCONNECT_REQUEST);
	/* State echoed, MA present and right (required here) */
	struct rad_pkt p;
	struct rad_attr a;
	rad_parse(&p, out, r);
	assert_true(rad_find(&p, RAD_STATE, 0, 0, &a));
	assert_int_equal(a.len, 3);
	assert_memory_equal(a.data, "st8", 3);
	assert_int_equal(rad_verify_response(&p, req, n, secret, strlen(secret), RAD_REQUIRE_MA), RAD_OK);
	assert_int_equal(out[20], RAD_MESSAGE_AUTHENTICATOR); /* first */
	assert_int_equal(f->s->stats.acks, 1);

	/* The same datagram again (a retransmission): same reply, no second action. */
	uint8_t out2[RAD_MAX_PKT];
	size_t r2 = radsrv_input(f->s, &f->peer, req, n, 1002, out2, sizeof out2);
	assert_int_equal(r2, r);
	assert_memory_equal(out2, out, r);
	assert_int_equal(f->o.calls, 1);
	assert_int_equal(f->s->stats.duplicates, 1);
	/* Too late to be a retransmission, or from another port: handled again. */
	r2 = radsrv_input(f->s, &f->peer, req, n, 1000 + RADSRV_DUP_SECS + 1, out2, sizeof out2);
	assert_true(r2 > 0);
	assert_int_equal(f->o.calls, 2);
	struct sockaddr_in other = f->peer;
	other.sin_port = htons(40001);
	r2 = radsrv_input(f->s, &other, req, n, 1000, out2, sizeof out2);
	assert_true(r2 > 0);
	assert_int_equal(f->o.calls, 3);

	/* Without an MA in the request, none in the reply. */
	n = request(req, RAD_DISCONNECT_REQUEST, 8, false, secret, by_user);
	r = radsrv_input(f->s, &f->peer, req, n, 1000, out, sizeof out);
	rad_parse(&p, out, r);
	assert_false(rad_find(&p, RAD_MESSAGE_AUTHENTICATOR, 0, 0, &a));
}

static void test_drops(void **state)
{
	struct fx *f = *state;
	uint8_t req[RAD_MAX_PKT], out[RAD_MAX_PKT];
	f->o.match = 1;
	/* wrong secret */
	size_t n = request(req, RAD_DISCONNECT_REQUEST, 1, false, "wrong", by_user);
	assert_int_equal(radsrv_input(f->s, &f->peer, req, n, 1, out, sizeof out), 0);
	assert_int_equal(f->s->stats.bad_auth, 1);
	/* unknown client */
	struct sockaddr_in stranger = f->peer;
	inet_pton(AF_INET, "10.9.0.2", &stranger.sin_addr);
	n = request(req, RAD_DISCONNECT_REQUEST, 2, false, secret, by_user);
	assert_int_equal(radsrv_input(f->s, &stranger, req, n, 1, out, sizeof out), 0);
	assert_int_equal(f->s->stats.unknown_peer, 1);
	/* bad Message-Authenticator with a right Request Authenticator: sign, break MA, re-sign */
	n = request(req, RAD_COA_REQUEST, 3, true, secret, by_user);
	req[25] ^= 1;
	struct rad_builder b;
	rad_begin(&b, req, RAD_MAX_PKT, RAD_COA_REQUEST, 3);
	b.len = n;
	assert_int_equal(rad_finish(&b, secret, strlen(secret)), (int)n);
	assert_int_equal(radsrv_input(f->s, &f->peer, req, n, 1, out, sizeof out), 0);
	assert_int_equal(f->s->stats.bad_ma, 1);
	/* not a Disconnect/CoA-Request; malformed */
	n = request(req, RAD_ACCOUNTING_REQUEST, 4, false, secret, by_user);
	assert_int_equal(radsrv_input(f->s, &f->peer, req, n, 1, out, sizeof out), 0);
	assert_int_equal(f->s->stats.bad_code, 1);
	assert_int_equal(radsrv_input(f->s, &f->peer, req, 10, 1, out, sizeof out), 0);
	assert_int_equal(f->s->stats.malformed, 1);
	assert_int_equal(f->o.calls, 0);
}

static void svc(struct rad_builder *b)
{
	rad_add_string(b, RAD_USER_NAME, "alice");
	rad_add_u32(b, RAD_SERVICE_TYPE, 8);
}
static void nas_ip(struct rad_builder *b)
{
	struct in_addr a;
	inet_pton(AF_INET, "192.0.2.99", &a);
	rad_add_ipv4(b, RAD_NAS_IP_ADDRESS, a);
	rad_add_u32(b, RAD_NAS_PORT, 3);
}
static void no_ident(struct rad_builder *b)
{
	rad_add_u32(b, RAD_SESSION_TIMEOUT, 3);
}
static void bad_size(struct rad_builder *b)
{
	rad_add_raw(b, RAD_NAS_PORT, "abc", 3);
}
static void acl(struct rad_builder *b)
{
	rad_add_vsa_string(b, RAD_VENDOR_MPD, RAD_MPD_LINK, "L1");
	rad_add_vsa_string(b, RAD_VENDOR_MPD, RAD_MPD_LIMIT, "in#1=all rate-limit 8000");
}

/* Every NAK the server decides itself, and 503/504 from the owner's answer. */
static void test_naks(void **state)
{
	struct fx *f = *state;
	uint8_t req[RAD_MAX_PKT], out[RAD_MAX_PKT];
	struct { uint8_t code; void (*extra)(struct rad_builder *); unsigned match, tmpl; uint32_t cause; bool acts; } c[] = {
		{RAD_DISCONNECT_REQUEST, by_user, 0, 0, RAD_ERR_SESSION_NOT_FOUND, true},
		{RAD_DISCONNECT_REQUEST, by_user, 0, 2, RAD_ERR_SESSION_NOT_REMOVABLE, true},
		{RAD_COA_REQUEST, svc, 1, 0, RAD_ERR_UNSUPPORTED_SERVICE, false},
		{RAD_COA_REQUEST, no_ident, 1, 0, RAD_ERR_MISSING_ATTRIBUTE, false},
		{RAD_DISCONNECT_REQUEST, bad_size, 1, 0, RAD_ERR_INVALID_REQUEST, false},
		{RAD_COA_REQUEST, acl, 1, 0, RAD_ERR_UNSUPPORTED_ATTRIBUTE, false},
		{RAD_DISCONNECT_REQUEST, acl, 1, 0, 0, true}, /* ACL VSAs mean nothing to a Disconnect */
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		f->o.match = c[i].match;
		f->o.templates = c[i].tmpl;
		unsigned calls = f->o.calls;
		size_t n = request(req, c[i].code, (uint8_t)(10 + i), false, secret, c[i].extra);
		size_t r = radsrv_input(f->s, &f->peer, req, n, 50, out, sizeof out);
		uint8_t want = c[i].code == RAD_COA_REQUEST ? (c[i].cause ? RAD_COA_NAK : RAD_COA_ACK)
							    : (c[i].cause ? RAD_DISCONNECT_NAK : RAD_DISCONNECT_ACK);
		assert_int_equal(reply_check(req, n, out, r, want), c[i].cause);
		assert_int_equal(f->o.calls - calls, c[i].acts ? 1 : 0);
	}
	/* NAS-IP-Address: compared only when we listen on one address */
	f->o.match = 1;
	size_t n = request(req, RAD_DISCONNECT_REQUEST, 30, false, secret, nas_ip);
	size_t r = radsrv_input(f->s, &f->peer, req, n, 60, out, sizeof out);
	assert_int_equal(reply_check(req, n, out, r, RAD_DISCONNECT_ACK), 0);
	inet_pton(AF_INET, "192.0.2.1", &f->s->bound);
	n = request(req, RAD_DISCONNECT_REQUEST, 31, false, secret, nas_ip);
	r = radsrv_input(f->s, &f->peer, req, n, 60, out, sizeof out);
	assert_int_equal(reply_check(req, n, out, r, RAD_DISCONNECT_NAK), RAD_ERR_NAS_ID_MISMATCH);
	inet_pton(AF_INET, "192.0.2.99", &f->s->bound);
	n = request(req, RAD_DISCONNECT_REQUEST, 32, false, secret, nas_ip);
	r = radsrv_input(f->s, &f->peer, req, n, 60, out, sizeof out);
	assert_int_equal(reply_check(req, n, out, r, RAD_DISCONNECT_ACK), 0);
	/* a disabled request type: 501 */
	f->s->conf.opts.enable &= ~(1u << RSOPT_COA);
	unsigned calls = f->o.calls;
	n = request(req, RAD_COA_REQUEST, 33, false, secret, by_user);
	r = radsrv_input(f->s, &f->peer, req, n, 60, out, sizeof out);
	assert_int_equal(reply_check(req, n, out, r, RAD_COA_NAK), RAD_ERR_ADMIN_PROHIBITED);
	n = request(req, RAD_DISCONNECT_REQUEST, 34, false, secret, by_user);
	r = radsrv_input(f->s, &f->peer, req, n, 60, out, sizeof out);
	assert_int_equal(reply_check(req, n, out, r, RAD_DISCONNECT_ACK), 0);
	assert_int_equal(f->o.calls - calls, 1);
}

static void coa_all(struct rad_builder *b)
{
	struct in_addr a;
	inet_pton(AF_INET, "10.0.0.7", &a);
	rad_add_ipv4(b, RAD_FRAMED_IP_ADDRESS, a);
	rad_add_string(b, RAD_ACCT_SESSION_ID, "123-L1");
	rad_add_string(b, RAD_ACCT_MULTI_SESSION_ID, "456-B1");
	rad_add_string(b, RAD_CALLING_STATION_ID, "00:11:22:33:44:55");
	rad_add_string(b, RAD_CALLED_STATION_ID, "svc");
	rad_add_u32(b, RAD_NAS_PORT, 4);
	rad_add_vsa_string(b, RAD_VENDOR_MPD, RAD_MPD_BUNDLE, "B1");
	rad_add_vsa_string(b, RAD_VENDOR_MPD, RAD_MPD_IFACE, "ppp0");
	rad_add_vsa_u32(b, RAD_VENDOR_MPD, RAD_MPD_IFACE_INDEX, 17);
	rad_add_u32(b, RAD_SESSION_TIMEOUT, 3);
	rad_add_u32(b, RAD_IDLE_TIMEOUT, 60);
	rad_add_u32(b, RAD_ACCT_INTERIM_INTERVAL, 300);
	rad_add_raw(b, RAD_CLASS, "\x01\x02\x00\x03", 4);
}

/* Every identifier and CoA parameter reaches the owner. */
static void test_parse_all(void **state)
{
	struct fx *f = *state;
	uint8_t req[RAD_MAX_PKT], out[RAD_MAX_PKT];
	f->o.match = 1;
	size_t n = request(req, RAD_COA_REQUEST, 40, true, secret, coa_all);
	size_t r = radsrv_input(f->s, &f->peer, req, n, 70, out, sizeof out);
	assert_int_equal(reply_check(req, n, out, r, RAD_COA_ACK), 0);
	const struct radsrv_req *q = &f->o.last;
	assert_int_equal(q->have, 1u << RSK_FRAMED_IP | 1u << RSK_ACCT_SESSION_ID | 1u << RSK_ACCT_MULTI_SESSION_ID |
				  1u << RSK_CALLING | 1u << RSK_CALLED | 1u << RSK_NAS_PORT | 1u << RSK_MPD_BUNDLE |
				  1u << RSK_MPD_IFACE | 1u << RSK_MPD_IFACE_INDEX);
	assert_string_equal(q->acct_session_id, "123-L1");
	assert_string_equal(q->acct_multi_session_id, "456-B1");
	assert_string_equal(q->calling, "00:11:22:33:44:55");
	assert_string_equal(q->mpd_iface, "ppp0");
	assert_int_equal(q->mpd_iface_index, 17);
	assert_int_equal(q->nas_port, 4);
	assert_true(q->session_timeout_set && q->idle_timeout_set && q->interim_set && q->class_set);
	assert_int_equal(q->session_timeout, 3);
	assert_int_equal(q->idle_timeout, 60);
	assert_int_equal(q->interim, 300);
	assert_int_equal(q->class_len, 4);
	assert_memory_equal(q->class_attr, "\x01\x02\x00\x03", 4);
	assert_true(q->has_ma);
	char ip[16];
	assert_string_equal(inet_ntop(AF_INET, &q->framed_ip, ip, sizeof ip), "10.0.0.7");
}

/* Settings: peers replace their secret, the table has an end, long secrets are refused. */
static void test_peers(void **state)
{
	struct fx *f = *state;
	struct radsrv_conf c;
	radsrv_conf_defaults(&c);
	assert_int_equal(c.port, RADSRV_PORT);
	assert_true(opt_enabled(&c.opts, RSOPT_COA) && opt_enabled(&c.opts, RSOPT_DISCONNECT));
	struct in_addr a = {htonl(0x0a000001)};
	assert_int_equal(radsrv_peer_set(&c, a, "one"), 0);
	assert_int_equal(radsrv_peer_set(&c, a, "two"), 0);
	assert_int_equal(c.npeers, 1);
	assert_string_equal(c.peers[0].secret, "two");
	for (unsigned i = 1; i < RADSRV_MAX_PEERS; i++) {
		a.s_addr = htonl(0x0a000001 + i);
		assert_int_equal(radsrv_peer_set(&c, a, "x"), 0);
	}
	a.s_addr = htonl(0x0b000001);
	assert_int_equal(radsrv_peer_set(&c, a, "x"), -1);
	char longsec[RADSRV_SECRET_MAX + 1];
	memset(longsec, 'k', RADSRV_SECRET_MAX);
	longsec[RADSRV_SECRET_MAX] = 0;
	assert_int_equal(radsrv_peer_set(&f->s->conf, a, longsec), -1);
	longsec[RADSRV_SECRET_MAX - 1] = 0;
	assert_int_equal(radsrv_peer_set(&f->s->conf, a, longsec), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_disconnect_ack_state_ma, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_naks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peers, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
