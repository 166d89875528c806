/* IPCP: address assignment, RFC 1877 servers, and refusals, with engines back to back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>

#include "ppp_harness.h"
#include "ppp/ipcp.h"
#include "ppp/proto.h"

struct side {
	struct rec r;
	struct ipcp p;
};

struct pair {
	struct side a, b;
};

#define BIT(x) (1u << (x))

static void in(void *eng, const uint8_t *p, size_t len)
{
	ipcp_input(eng, p, len);
}

static struct in_addr ip(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a;
}

#define assert_ip(a, s) assert_int_equal((a).s_addr, ip(s).s_addr)

/* A server: 10.0.0.1, gives 10.0.0.5 out of 10.0.0.0/24, offers DNS and one NBNS. */
static struct ipcp_conf server_conf(void)
{
	struct ipcp_conf c = {
		.name = "srv", .timeout = 2,
		.local = ip("10.0.0.1"), .local_width = 32,
		.remote = ip("10.0.0.0"), .remote_width = 24,
		.assigned = ip("10.0.0.5"),
		.dns = { ip("8.8.8.8"), ip("8.8.4.4") },
		.nbns = { ip("10.0.0.53"), { 0 } },
	};
	return c;
}

/* A client: wants an address and all four servers. */
static struct ipcp_conf client_conf(void)
{
	struct ipcp_conf c = {
		.name = "cli", .timeout = 2,
		.opts.enable = BIT(IPCP_O_REQPRIDNS) | BIT(IPCP_O_REQSECDNS) |
			       BIT(IPCP_O_REQPRINBNS) | BIT(IPCP_O_REQSECNBNS),
	};
	return c;
}

static struct pair *negotiate(const struct ipcp_conf *ca, const struct ipcp_conf *cb)
{
	struct pair *p = calloc(1, sizeof(*p));
	struct fsm_owner oa = rec_owner(&p->a.r), ob = rec_owner(&p->b.r);

	ipcp_init(&p->a.p, ca, &oa);
	ipcp_init(&p->b.p, cb, &ob);
	fsm_open(&p->a.p.fsm);
	fsm_open(&p->b.p.fsm);
	fsm_up(&p->a.p.fsm);
	fsm_up(&p->b.p.fsm);
	pump(&p->a.r, &p->a.p, in, &p->b.r, &p->b.p, in);
	return p;
}

static void test_assign_and_dns(void **state)
{
	(void)state;
	struct ipcp_conf s = server_conf(), c = client_conf();
	struct pair *p = negotiate(&s, &c);

	assert_int_equal(p->a.p.fsm.state, FSM_OPENED);
	assert_int_equal(p->b.p.fsm.state, FSM_OPENED);
	assert_ip(p->a.p.neg.local, "10.0.0.1");
	assert_ip(p->a.p.neg.peer, "10.0.0.5");
	assert_ip(p->b.p.neg.local, "10.0.0.5");
	assert_ip(p->b.p.neg.peer, "10.0.0.1");
	assert_ip(p->b.p.neg.dns[0], "8.8.8.8");
	assert_ip(p->b.p.neg.dns[1], "8.8.4.4");
	assert_ip(p->b.p.neg.nbns[0], "10.0.0.53");
	assert_ip(p->b.p.neg.nbns[1], "0.0.0.0");
	/* The server had no secondary NBNS: rejected, and the client stopped asking. */
	assert_false(p->b.p.want.srv[IPCP_SECNBNS - IPCP_PRIDNS]);
	assert_true(p->b.p.want.srv[IPCP_PRIDNS - IPCP_PRIDNS]);
	free(p);
}

static void test_peer_out_of_range(void **state)
{
	(void)state;
	struct ipcp_conf s = server_conf(), c = client_conf();

	c.local = ip("192.168.1.9");	/* the client insists, but accepts a Nak */
	struct pair *p = negotiate(&s, &c);
	assert_int_equal(p->b.p.fsm.state, FSM_OPENED);
	assert_ip(p->b.p.neg.local, "10.0.0.5");
	assert_ip(p->a.p.neg.peer, "10.0.0.5");
	free(p);

	/* In range: the peer's own choice stands. */
	c.local = ip("10.0.0.77");
	c.local_width = 32;
	p = negotiate(&s, &c);
	assert_int_equal(p->b.p.fsm.state, FSM_OPENED);
	assert_ip(p->a.p.neg.peer, "10.0.0.77");
	free(p);
}

static void test_pretend_ip(void **state)
{
	(void)state;
	struct ipcp_conf s = server_conf(), c = client_conf();

	s.opts.enable |= BIT(IPCP_O_PRETENDIP);
	c.local = ip("192.168.1.9");
	c.local_width = 32;
	struct pair *p = negotiate(&s, &c);
	assert_int_equal(p->a.p.fsm.state, FSM_OPENED);
	assert_ip(p->a.p.neg.peer, "192.168.1.9");
	free(p);
}

static void test_client_needs_address(void **state)
{
	(void)state;
	struct ipcp_conf s = server_conf(), c = client_conf();

	s.assigned.s_addr = 0;		/* the server has nothing to give */
	struct pair *p = negotiate(&s, &c);
	assert_int_not_equal(p->b.p.fsm.state, FSM_OPENED);
	assert_false(rec_has_event(&p->b.r, FSM_EV_UP));
	free(p);
}

static void test_peer_names_no_address(void **state)
{
	(void)state;
	struct ipcp_conf s = server_conf();
	struct side *x = calloc(1, sizeof(*x));
	struct fsm_owner o = rec_owner(&x->r);
	static const uint8_t req[] = { 1, 1, 0, 4 };	/* Configure-Request, no options */

	ipcp_init(&x->p, &s, &o);
	fsm_open(&x->p.fsm);
	fsm_up(&x->p.fsm);
	rec_reset(&x->r);
	ipcp_input(&x->p, req, sizeof(req));
	const struct rec_pkt *r = rec_last(&x->r);
	assert_non_null(r);
	assert_int_equal(r->data[0], CODE_CONFNAK);
	assert_int_equal(r->data[4], IPCP_ADDR);
	assert_memory_equal(r->data + 6, &s.assigned.s_addr, 4);
	free(x);
}

static void test_rejects(void **state)
{
	(void)state;
	struct ipcp_conf s = server_conf();
	struct side *x = calloc(1, sizeof(*x));
	struct fsm_owner o = rec_owner(&x->r);
	/* VJ compression, deprecated IP-Addresses, unknown 200, DNS (ok), then a good address. */
	static const uint8_t req[] = {
		1, 9, 0, 34,
		2, 6, 0, 0x2d, 15, 1,
		1, 10, 10, 0, 0, 9, 10, 0, 0, 1,
		200, 2,
		129, 6, 8, 8, 8, 8,
		3, 6, 10, 0, 0, 9,
	};
	static const uint8_t rej[] = { 2, 6, 0, 0x2d, 15, 1, 1, 10, 10, 0, 0, 9, 10, 0, 0, 1, 200, 2 };

	ipcp_init(&x->p, &s, &o);
	fsm_open(&x->p.fsm);
	fsm_up(&x->p.fsm);
	rec_reset(&x->r);
	ipcp_input(&x->p, req, sizeof(req));
	const struct rec_pkt *r = rec_last(&x->r);
	assert_non_null(r);
	assert_int_equal(r->proto, PROTO_IPCP);
	assert_int_equal(r->data[0], CODE_CONFREJ);
	assert_int_equal(r->data[1], 9);
	assert_int_equal(r->len, 4 + sizeof(rej));
	assert_memory_equal(r->data + 4, rej, sizeof(rej));

	/* Wrong DNS value is nak'ed with ours; 0.0.0.0 address is nak'ed with the assigned one. */
	static const uint8_t req2[] = { 1, 10, 0, 16, 129, 6, 1, 2, 3, 4, 3, 6, 0, 0, 0, 0 };
	ipcp_input(&x->p, req2, sizeof(req2));
	r = rec_last(&x->r);
	assert_non_null(r);
	assert_int_equal(r->data[0], CODE_CONFNAK);
	assert_memory_equal(r->data + 4, "\x81\x06\x08\x08\x08\x08\x03\x06\x0a\x00\x00\x05", 12);

	/* Malformed option lengths: dropped without reply. */
	rec_reset(&x->r);
	static const uint8_t bad[] = { 1, 11, 0, 10, 3, 7, 10, 0, 0, 9 };
	ipcp_input(&x->p, bad, sizeof(bad));
	static const uint8_t zero[] = { 1, 12, 0, 6, 3, 0 };
	ipcp_input(&x->p, zero, sizeof(zero));
	assert_int_equal(x->r.npkts, 0);

	/* Unknown code: Code-Reject (IPCP has no codes beyond 7). */
	static const uint8_t code9[] = { 9, 1, 0, 8, 0, 0, 0, 0 };
	ipcp_input(&x->p, code9, sizeof(code9));
	assert_int_equal(x->r.npkts, 1);
	assert_int_equal(x->r.pkts[0].data[0], CODE_CODEREJ);
	free(x);
}

/* One engine alone, opened, with the packets it sent so far forgotten. */
static struct side *alone(const struct ipcp_conf *c)
{
	struct side *x = calloc(1, sizeof(*x));
	struct fsm_owner o = rec_owner(&x->r);

	ipcp_init(&x->p, c, &o);
	fsm_open(&x->p.fsm);
	fsm_up(&x->p.fsm);
	rec_reset(&x->r);
	return x;
}

/* A server with no address to give and a peer asking for one: IPCP fails at once. */
static void test_server_has_no_address(void **state)
{
	(void)state;
	struct ipcp_conf s = server_conf();

	s.assigned.s_addr = 0;
	s.remote_width = 0;
	struct side *x = alone(&s);
	static const uint8_t req[] = { 1, 1, 0, 10, 3, 6, 0, 0, 0, 0 };
	ipcp_input(&x->p, req, sizeof(req));
	assert_int_equal(x->p.fsm.state, FSM_CLOSING);
	assert_string_equal(x->p.fsm.reason, "No IP address for the peer");
	assert_int_equal(rec_last(&x->r)->data[0], CODE_TERMREQ);
	assert_false(rec_has_event(&x->r, FSM_EV_UP));
	free(x);
}

/* A peer that never names its address, and we have none for it: asked, then refused. */
static void test_peer_never_names_address(void **state)
{
	(void)state;
	struct ipcp_conf s = server_conf();

	s.assigned.s_addr = 0;
	s.remote_width = 0;
	struct side *x = alone(&s);
	static const uint8_t req[] = { 1, 1, 0, 4 };
	ipcp_input(&x->p, req, sizeof(req));
	/* RFC 1332 §3.3: a Nak with 0.0.0.0 asks the peer for its address */
	const struct rec_pkt *r = rec_last(&x->r);
	assert_int_equal(r->data[0], CODE_CONFNAK);
	assert_memory_equal(r->data + 4, "\x03\x06\x00\x00\x00\x00", 6);
	/* our request is acked; the peer goes on naming nothing */
	uint8_t ack[4 + FSM_MAX_REQ] = { CODE_CONFACK, x->p.fsm.reqid, 0, (uint8_t)(4 + x->p.fsm.req_len) };
	memcpy(ack + 4, x->p.fsm.req, x->p.fsm.req_len);
	ipcp_input(&x->p, ack, 4 + x->p.fsm.req_len);
	for (int i = 0; i < 10 && x->p.fsm.state == FSM_ACKRCVD; i++)
		ipcp_input(&x->p, req, sizeof(req));
	assert_int_equal(x->p.fsm.state, FSM_CLOSING);
	assert_false(rec_has_event(&x->r, FSM_EV_UP));
	assert_string_equal(x->p.fsm.reason, "No IP address for the peer");
	free(x);
}

/* A client is never up with an address it was not given. */
static void test_client_not_given_address(void **state)
{
	(void)state;
	struct ipcp_conf c = client_conf();
	static const uint8_t srv_req[] = { 1, 1, 0, 10, 3, 6, 10, 0, 0, 1 };

	/* the server acks our request for an address (0.0.0.0) instead of naking one */
	struct side *x = alone(&c);
	ipcp_input(&x->p, srv_req, sizeof(srv_req));
	assert_int_equal(x->p.fsm.state, FSM_ACKSENT);
	uint8_t ack[4 + FSM_MAX_REQ] = { CODE_CONFACK, x->p.fsm.reqid, 0, (uint8_t)(4 + x->p.fsm.req_len) };
	memcpy(ack + 4, x->p.fsm.req, x->p.fsm.req_len);
	ipcp_input(&x->p, ack, 4 + x->p.fsm.req_len);
	assert_int_equal(x->p.fsm.state, FSM_CLOSING);
	assert_false(rec_has_event(&x->r, FSM_EV_UP));
	assert_string_equal(x->p.fsm.reason, "No IP address for us");
	free(x);

	/* the server naks with 0.0.0.0: it has nothing for us, so no point asking again */
	x = alone(&c);
	uint8_t nak[] = { CODE_CONFNAK, x->p.fsm.reqid, 0, 10, 3, 6, 0, 0, 0, 0 };
	ipcp_input(&x->p, nak, sizeof(nak));
	assert_int_equal(x->p.fsm.state, FSM_CLOSING);
	assert_false(rec_has_event(&x->r, FSM_EV_UP));
	free(x);
}

static void test_range(void **state)
{
	(void)state;
	assert_true(ipcp_in_range(ip("10.1.2.3"), ip("10.0.0.0"), 8));
	assert_false(ipcp_in_range(ip("11.1.2.3"), ip("10.0.0.0"), 8));
	assert_true(ipcp_in_range(ip("1.2.3.4"), ip("0.0.0.0"), 0));
	assert_true(ipcp_in_range(ip("10.0.0.5"), ip("10.0.0.5"), 32));
	assert_false(ipcp_in_range(ip("10.0.0.6"), ip("10.0.0.5"), 32));
	assert_true(ipcp_in_range(ip("10.0.0.4"), ip("10.0.0.5"), 31));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_assign_and_dns),
		cmocka_unit_test(test_peer_out_of_range),
		cmocka_unit_test(test_pretend_ip),
		cmocka_unit_test(test_client_needs_address),
		cmocka_unit_test(test_peer_names_no_address),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_server_has_no_address),
		cmocka_unit_test(test_peer_never_names_address),
		cmocka_unit_test(test_client_not_given_address),
		cmocka_unit_test(test_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
