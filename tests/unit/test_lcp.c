/* LCP: options, extra codes, keep-alive, and two engines negotiating back to back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ppp_harness.h"
#include "ppp/lcp.h"
#include "ppp/proto.h"

struct side {
	struct rec r;
	struct lcp l;
};

struct pair {
	struct side a, b;
};

static void in(void *eng, const uint8_t *p, size_t len)
{
	lcp_input(eng, p, len);
}

#define BIT(x) (1u << (x))

/* mpd's defaults (commands.md §9): acfcomp, protocomp, magicnum, check-magic enabled; pap, chap-md5 accepted. */
static struct lcp_conf defconf(const char *name)
{
	struct lcp_conf c = {
		.name = name, .mru = 1500, .max_mru = 1500, .mtu = 1500, .accmap = 0x000a0000,
		.timeout = 2, .ka_sec = 5, .ka_max = 40,
		.opts = {
			.enable = BIT(LCP_O_ACFCOMP) | BIT(LCP_O_PROTOCOMP) | BIT(LCP_O_MAGICNUM) |
				  BIT(LCP_O_CHECKMAGIC),
			.accept = BIT(LCP_O_ACFCOMP) | BIT(LCP_O_PROTOCOMP) | BIT(LCP_O_PAP) |
				  BIT(LCP_O_CHAPMD5) | BIT(LCP_O_CHAPMSV2) | BIT(LCP_O_EAP),
		},
	};
	return c;
}

static void side_init(struct side *s, const struct lcp_conf *c, uint32_t seed)
{
	struct fsm_owner o = rec_owner(&s->r);

	s->r.seed = seed;
	lcp_init(&s->l, c, &o);
}

static struct pair *negotiate(const struct lcp_conf *ca, const struct lcp_conf *cb)
{
	struct pair *p = calloc(1, sizeof(*p));

	side_init(&p->a, ca, 1);
	side_init(&p->b, cb, 2);
	fsm_open(&p->a.l.fsm);
	fsm_open(&p->b.l.fsm);
	fsm_up(&p->a.l.fsm);
	fsm_up(&p->b.l.fsm);
	pump(&p->a.r, &p->a.l, in, &p->b.r, &p->b.l, in);
	return p;
}

static void test_defaults(void **state)
{
	(void)state;
	struct lcp_conf c = defconf("a");
	struct pair *p = negotiate(&c, &c);
	struct lcp_neg *a = &p->a.l.neg, *b = &p->b.l.neg;

	assert_int_equal(p->a.l.fsm.state, FSM_OPENED);
	assert_int_equal(p->b.l.fsm.state, FSM_OPENED);
	assert_true(rec_has_event(&p->a.r, FSM_EV_UP));
	assert_int_equal(a->mru, 1500);
	assert_int_equal(a->peer_mru, 1500);
	assert_true(a->pfc_recv && a->pfc_xmit && a->acfc_recv && a->acfc_xmit);
	assert_int_equal(a->auth_peer, LCP_AUTH_NONE);
	assert_int_equal(a->auth_self, LCP_AUTH_NONE);
	assert_int_not_equal(a->magic, 0);
	assert_int_equal(a->magic, b->peer_magic);
	assert_int_equal(b->magic, a->peer_magic);
	assert_int_not_equal(a->magic, b->magic);
	/* Not async: ACCM is neither sent nor used. */
	assert_int_equal(a->accm_xmit, 0xffffffff);
	free(p);
}

static void test_pap(void **state)
{
	(void)state;
	struct lcp_conf ca = defconf("a"), cb = defconf("b");

	ca.opts.enable |= BIT(LCP_O_PAP);
	struct pair *p = negotiate(&ca, &cb);

	assert_int_equal(p->a.l.fsm.state, FSM_OPENED);
	assert_int_equal(p->a.l.neg.auth_peer, LCP_AUTH_PAP);
	assert_int_equal(p->b.l.neg.auth_self, LCP_AUTH_PAP);
	assert_int_equal(p->b.l.neg.auth_peer, LCP_AUTH_NONE);
	free(p);
}

static void test_chap_both_ways(void **state)
{
	(void)state;
	struct lcp_conf ca = defconf("a"), cb = defconf("b");

	ca.opts.enable |= BIT(LCP_O_CHAPMD5) | BIT(LCP_O_PAP);
	cb.opts.enable |= BIT(LCP_O_PAP);
	struct pair *p = negotiate(&ca, &cb);

	assert_int_equal(p->a.l.fsm.state, FSM_OPENED);
	/* CHAP-MD5 is preferred over PAP. */
	assert_int_equal(p->a.l.neg.auth_peer, LCP_AUTH_CHAPMD5);
	assert_int_equal(p->b.l.neg.auth_self, LCP_AUTH_CHAPMD5);
	assert_int_equal(p->b.l.neg.auth_peer, LCP_AUTH_PAP);
	assert_int_equal(p->a.l.neg.auth_self, LCP_AUTH_PAP);
	free(p);
}

static void test_auth_nak_fallback(void **state)
{
	(void)state;
	struct lcp_conf ca = defconf("a"), cb = defconf("b");

	ca.opts.enable |= BIT(LCP_O_CHAPMD5) | BIT(LCP_O_PAP);
	cb.opts.accept &= ~BIT(LCP_O_CHAPMD5);	/* b only answers PAP: it naks CHAP with PAP */
	struct pair *p = negotiate(&ca, &cb);

	assert_int_equal(p->a.l.fsm.state, FSM_OPENED);
	assert_int_equal(p->a.l.neg.auth_peer, LCP_AUTH_PAP);
	assert_int_equal(p->b.l.neg.auth_self, LCP_AUTH_PAP);
	free(p);
}

static void test_auth_refused(void **state)
{
	(void)state;
	struct lcp_conf ca = defconf("a"), cb = defconf("b");

	ca.opts.enable |= BIT(LCP_O_CHAPMD5);
	cb.opts.accept &= ~(BIT(LCP_O_CHAPMD5) | BIT(LCP_O_PAP) | BIT(LCP_O_CHAPMSV2) | BIT(LCP_O_EAP));
	struct pair *p = negotiate(&ca, &cb);

	/* a must not come up without the authentication it requires. */
	assert_int_not_equal(p->a.l.fsm.state, FSM_OPENED);
	assert_false(rec_has_event(&p->a.r, FSM_EV_UP));
	assert_string_equal(p->a.l.fsm.reason, "Negotiation failed");
	free(p);

	/* With no-orig-auth on a call we placed, a drops the requirement instead. */
	ca.opts.enable |= BIT(LCP_O_NOORIGAUTH);
	ca.originated = true;
	p = negotiate(&ca, &cb);
	assert_int_equal(p->a.l.fsm.state, FSM_OPENED);
	assert_int_equal(p->a.l.neg.auth_peer, LCP_AUTH_NONE);
	free(p);
}

static void test_auth_nak_disabled_falls_next(void **state)
{
	(void)state;
	struct lcp_conf ca = defconf("a"), cb = defconf("b");

	/* a wants CHAP-MD5 then PAP; b accepts only EAP (not implemented: counts as none) and PAP. */
	ca.opts.enable |= BIT(LCP_O_CHAPMD5) | BIT(LCP_O_PAP);
	cb.opts.accept = BIT(LCP_O_PAP) | BIT(LCP_O_ACFCOMP) | BIT(LCP_O_PROTOCOMP);
	struct pair *p = negotiate(&ca, &cb);
	assert_int_equal(p->a.l.neg.auth_peer, LCP_AUTH_PAP);
	free(p);
}

static void test_no_compression(void **state)
{
	(void)state;
	struct lcp_conf ca = defconf("a"), cb = defconf("b");

	ca.opts.enable &= ~(BIT(LCP_O_ACFCOMP) | BIT(LCP_O_PROTOCOMP));
	ca.opts.accept &= ~(BIT(LCP_O_ACFCOMP) | BIT(LCP_O_PROTOCOMP));
	struct pair *p = negotiate(&ca, &cb);

	assert_int_equal(p->a.l.fsm.state, FSM_OPENED);
	assert_false(p->a.l.neg.pfc_recv || p->a.l.neg.pfc_xmit);
	assert_false(p->a.l.neg.acfc_recv || p->a.l.neg.acfc_xmit);
	assert_false(p->b.l.neg.pfc_recv || p->b.l.neg.pfc_xmit);
	assert_false(p->b.l.neg.acfc_recv || p->b.l.neg.acfc_xmit);
	free(p);

	/* One direction only: a asks for compression but refuses to compress itself. */
	ca = defconf("a");
	ca.opts.accept &= ~BIT(LCP_O_PROTOCOMP);
	p = negotiate(&ca, &cb);
	assert_true(p->a.l.neg.pfc_recv);
	assert_false(p->a.l.neg.pfc_xmit);
	assert_true(p->b.l.neg.pfc_xmit);
	assert_false(p->b.l.neg.pfc_recv);
	free(p);
}

static void test_mru_mismatch(void **state)
{
	(void)state;
	struct lcp_conf ca = defconf("a"), cb = defconf("b");

	ca.mru = 1400;
	cb.mtu = 1492;	/* b sends at most 1492 whatever a can take */
	ca.mtu = 1300;
	struct pair *p = negotiate(&ca, &cb);

	assert_int_equal(p->a.l.fsm.state, FSM_OPENED);
	assert_int_equal(p->a.l.neg.mru, 1400);
	assert_int_equal(p->b.l.neg.peer_mru, 1400);
	assert_int_equal(p->b.l.neg.mtu, 1400);
	assert_int_equal(p->a.l.neg.peer_mru, 1500);
	assert_int_equal(p->a.l.neg.mtu, 1300);
	free(p);

	/* A peer MRU below the minimum is nak'ed up to 296. */
	ca = defconf("a");
	ca.mru = 100;
	ca.max_mru = 1500;
	p = negotiate(&ca, &cb);
	assert_int_equal(p->a.l.fsm.state, FSM_OPENED);
	assert_int_equal(p->a.l.neg.mru, LCP_MIN_MRU);
	assert_int_equal(p->b.l.neg.peer_mru, LCP_MIN_MRU);
	free(p);
}

static void test_async_accm(void **state)
{
	(void)state;
	struct lcp_conf ca = defconf("a"), cb = defconf("b");

	ca.async = cb.async = true;
	ca.accmap = 0;
	cb.accmap = 0x000a0000;
	struct pair *p = negotiate(&ca, &cb);
	assert_int_equal(p->a.l.fsm.state, FSM_OPENED);
	assert_int_equal(p->a.l.neg.accm_recv, 0);
	assert_int_equal(p->a.l.neg.accm_xmit, 0x000a0000);
	assert_int_equal(p->b.l.neg.accm_recv, 0x000a0000);
	free(p);

	/* A sync side rejects ACCM; the async side then keeps the default. */
	cb.async = false;
	p = negotiate(&ca, &cb);
	assert_int_equal(p->a.l.fsm.state, FSM_OPENED);
	assert_int_equal(p->a.l.neg.accm_recv, 0xffffffff);
	free(p);
}

/* ---- single-engine codec tests ---- */

static struct side *reqsent(struct lcp_conf *c)
{
	struct side *s = calloc(1, sizeof(*s));

	side_init(s, c, 7);
	fsm_open(&s->l.fsm);
	fsm_up(&s->l.fsm);
	rec_reset(&s->r);
	return s;
}

static void feed(struct side *s, uint8_t code, uint8_t id, const uint8_t *d, size_t len)
{
	uint8_t p[2000];

	p[0] = code;
	p[1] = id;
	put16(p + 2, (uint16_t)(len + 4));
	if (len)
		memcpy(p + 4, d, len);
	lcp_input(&s->l, p, len + 4);
}

static const struct rec_pkt *last(struct side *s)
{
	const struct rec_pkt *p = rec_last(&s->r);
	assert_non_null(p);
	return p;
}

static void test_reject_unknown_options(void **state)
{
	(void)state;
	struct lcp_conf c = defconf("a");
	struct side *s = reqsent(&c);
	/* MRU ok, FCS-alternatives (9), ACCM on a sync link, Quality-Protocol, MRRU, PFC. */
	static const uint8_t req[] = {
		1, 4, 0x05, 0xdc, 9, 3, 2, 2, 6, 0, 0, 0, 0, 4, 4, 0xc0, 0x25, 17, 4, 5, 0xdc, 7, 2,
	};
	static const uint8_t rej[] = { 9, 3, 2, 2, 6, 0, 0, 0, 0, 4, 4, 0xc0, 0x25, 17, 4, 5, 0xdc };

	feed(s, CODE_CONFREQ, 33, req, sizeof(req));
	const struct rec_pkt *p = last(s);
	assert_int_equal(p->proto, PROTO_LCP);
	assert_int_equal(p->data[0], CODE_CONFREJ);
	assert_int_equal(p->data[1], 33);
	assert_int_equal(p->len, 4 + sizeof(rej));
	assert_memory_equal(p->data + 4, rej, sizeof(rej));
	free(s);
}

static void test_wrong_length_rejected(void **state)
{
	(void)state;
	struct lcp_conf c = defconf("a");
	struct side *s = reqsent(&c);
	static const uint8_t req[] = { 1, 3, 5, 5, 6, 1, 2, 3, 4 };	/* 1-byte MRU, 4-byte magic */

	feed(s, CODE_CONFREQ, 1, req, sizeof(req));
	assert_int_equal(last(s)->data[0], CODE_CONFREJ);
	assert_int_equal(last(s)->len, 4 + 3);
	free(s);
}

static void test_malformed_dropped(void **state)
{
	(void)state;
	struct lcp_conf c = defconf("a");
	struct side *s = reqsent(&c);
	static const uint8_t zero[] = { 1, 4, 5, 220, 7, 0 };
	static const uint8_t one[] = { 7, 1 };
	static const uint8_t over[] = { 1, 4, 5, 220, 5, 9, 1, 2 };

	feed(s, CODE_CONFREQ, 1, zero, sizeof(zero));
	feed(s, CODE_CONFREQ, 2, one, sizeof(one));
	feed(s, CODE_CONFREQ, 3, over, sizeof(over));
	feed(s, CODE_CONFNAK, s->l.fsm.reqid, over, sizeof(over));
	feed(s, CODE_CONFREJ, s->l.fsm.reqid, zero, sizeof(zero));
	assert_int_equal(s->r.npkts, 0);
	assert_int_equal(s->l.fsm.state, FSM_REQSENT);
	free(s);
}

static void test_unknown_code(void **state)
{
	(void)state;
	struct lcp_conf c = defconf("a");
	struct side *s = reqsent(&c);
	static const uint8_t junk[] = { 1, 2, 3 };

	feed(s, 42, 9, junk, sizeof(junk));
	const struct rec_pkt *p = last(s);
	assert_int_equal(p->data[0], CODE_CODEREJ);
	assert_int_equal(p->len, 4 + 7);
	assert_int_equal(p->data[4], 42);
	assert_int_equal(p->data[5], 9);
	free(s);
}

static void test_mru_nak_and_quirk(void **state)
{
	(void)state;
	struct lcp_conf c = defconf("a");
	struct side *s = reqsent(&c);
	static const uint8_t low[] = { 1, 4, 0, 100 };
	static const uint8_t nak_mru[] = { 1, 4, 0x05, 0xdc };	/* our own 1500 */

	feed(s, CODE_CONFREQ, 1, low, sizeof(low));
	const struct rec_pkt *p = last(s);
	assert_int_equal(p->data[0], CODE_CONFNAK);
	assert_memory_equal(p->data + 4, "\x01\x04\x01\x28", 4);	/* 296 */
	/* Nak of our MRU with our own value: stop sending MRU. */
	rec_reset(&s->r);
	feed(s, CODE_CONFNAK, s->l.fsm.reqid, nak_mru, sizeof(nak_mru));
	p = last(s);
	assert_int_equal(p->data[0], CODE_CONFREQ);
	assert_int_not_equal(p->data[4], LCP_MRU);
	free(s);
}

static void test_magic_collision(void **state)
{
	(void)state;
	struct lcp_conf c = defconf("a");
	struct side *s = reqsent(&c);
	uint8_t req[6] = { 5, 6 };

	uint32_t ours = s->l.want.magic_val;
	put32(req + 2, ours);
	feed(s, CODE_CONFREQ, 1, req, sizeof(req));
	const struct rec_pkt *p = last(s);
	assert_int_equal(p->data[0], CODE_CONFNAK);
	assert_int_equal(p->data[4], LCP_MAGIC);
	assert_int_not_equal(get32(p->data + 6), ours);
	assert_int_not_equal(get32(p->data + 6), 0);
	assert_int_not_equal(s->l.want.magic_val, ours);
	/* Zero is never acceptable. */
	memset(req + 2, 0, 4);
	feed(s, CODE_CONFREQ, 2, req, sizeof(req));
	assert_int_equal(last(s)->data[0], CODE_CONFNAK);
	free(s);
}

/* Our own packets come back to us: a looped-back line. */
static void test_loopback(void **state)
{
	(void)state;
	struct lcp_conf c = defconf("a");
	struct side *s = reqsent(&c);

	/* Replay each of s's packets into s itself. */
	struct rec_pkt p;
	fsm_open(&s->l.fsm);
	for (int i = 0; i < 40 && !rec_has_event(&s->r, LCP_EV_LOOPBACK); i++) {
		if (i == 0)
			fsm_timeout(&s->l.fsm);
		if (s->r.npkts == 0)
			break;
		p = s->r.pkts[0];
		memmove(s->r.pkts, s->r.pkts + 1, sizeof(p) * (size_t)--s->r.npkts);
		lcp_input(&s->l, p.data, p.len);
	}
	assert_true(rec_has_event(&s->r, LCP_EV_LOOPBACK));
	free(s);
}

static struct pair *opened(struct lcp_conf *c)
{
	struct pair *p = negotiate(c, c);

	assert_int_equal(p->a.l.fsm.state, FSM_OPENED);
	rec_reset(&p->a.r);
	rec_reset(&p->b.r);
	return p;
}

static void test_echo(void **state)
{
	(void)state;
	struct lcp_conf c = defconf("a");
	struct pair *p = opened(&c);
	uint8_t echo[8];

	put32(echo, p->b.l.neg.magic);
	memcpy(echo + 4, "ping", 4);
	feed(&p->a, CODE_ECHOREQ, 77, echo, sizeof(echo));
	const struct rec_pkt *r = last(&p->a);
	assert_int_equal(r->data[0], CODE_ECHOREP);
	assert_int_equal(r->data[1], 77);
	assert_int_equal(get32(r->data + 4), p->a.l.neg.magic);
	assert_memory_equal(r->data + 8, "ping", 4);
	/* Wrong magic: dropped under check-magic. */
	rec_reset(&p->a.r);
	put32(echo, p->b.l.neg.magic ^ 1);
	feed(&p->a, CODE_ECHOREQ, 78, echo, sizeof(echo));
	/* Our own magic: looped back, dropped. */
	put32(echo, p->a.l.neg.magic);
	feed(&p->a, CODE_ECHOREQ, 79, echo, sizeof(echo));
	/* Too short for a magic number. */
	feed(&p->a, CODE_ECHOREQ, 80, echo, 3);
	/* Discard-Request is silently eaten. */
	put32(echo, p->b.l.neg.magic);
	feed(&p->a, CODE_DISCREQ, 81, echo, sizeof(echo));
	assert_int_equal(p->a.r.npkts, 0);
	free(p);
}

static void test_echo_not_opened(void **state)
{
	(void)state;
	struct lcp_conf c = defconf("a");
	struct side *s = reqsent(&c);
	static const uint8_t echo[4] = { 0 };

	feed(s, CODE_ECHOREQ, 1, echo, sizeof(echo));
	assert_int_equal(s->r.npkts, 0);	/* RXR outside Opened: no reply, no Code-Reject */
	free(s);
}

static void test_keepalive(void **state)
{
	(void)state;
	struct lcp_conf c = defconf("a");
	c.ka_sec = 5;
	c.ka_max = 20;
	struct pair *p = opened(&c);
	int echoes = 0, r = 0, ticks = 0;

	assert_int_equal(lcp_keepalive(&p->a.l, true), 0);
	assert_int_equal(p->a.r.npkts, 0);
	while (r == 0 && ticks < 10) {
		r = lcp_keepalive(&p->a.l, false);
		ticks++;
	}
	for (int i = 0; i < p->a.r.npkts; i++)
		echoes += p->a.r.pkts[i].data[0] == CODE_ECHOREQ;
	assert_int_equal(r, -1);
	assert_int_equal(ticks, 4);	/* 4 quiet intervals x 5 s = 20 s */
	assert_int_equal(echoes, 3);
	assert_string_equal(p->a.l.fsm.reason, "Echo timeout");

	/* An Echo-Reply from the peer resets the count. */
	free(p);
	p = opened(&c);
	for (int i = 0; i < 20; i++) {
		assert_int_equal(lcp_keepalive(&p->a.l, false), 0);
		assert_true(p->a.l.quiet <= 1);
		pump(&p->a.r, &p->a.l, in, &p->b.r, &p->b.l, in);
	}
	free(p);
}

static void test_protrej(void **state)
{
	(void)state;
	struct lcp_conf c = defconf("a");
	struct pair *p = opened(&c);
	uint8_t frame[3000];

	memset(frame, 0x11, sizeof(frame));
	put16(frame, 0x80fd);
	p->a.l.fsm.peer_mru = 600;
	assert_int_equal(lcp_send_protrej(&p->a.l, frame, sizeof(frame)), 0);
	const struct rec_pkt *r = last(&p->a);
	assert_int_equal(r->data[0], CODE_PROTREJ);
	assert_int_equal(r->len, 600);
	assert_int_equal(get16(r->data + 4), 0x80fd);
	pump(&p->a.r, &p->a.l, in, &p->b.r, &p->b.l, in);
	assert_true(rec_has_event(&p->b.r, LCP_EV_PROTREJ));
	assert_int_equal(p->b.r.vals[0], 0x80fd);
	assert_int_equal(p->b.l.fsm.state, FSM_OPENED);

	/* A Protocol-Reject of LCP itself is fatal (RXJ-). */
	uint8_t lcpf[] = { 0xc0, 0x21, 1, 1, 0, 4 };
	feed(&p->b, CODE_PROTREJ, 5, lcpf, sizeof(lcpf));
	assert_int_equal(p->b.l.fsm.state, FSM_STOPPING);
	assert_true(rec_has_event(&p->b.r, FSM_EV_DOWN));
	free(p);
}

static void test_ident_timeremain(void **state)
{
	(void)state;
	struct lcp_conf c = defconf("a");
	struct pair *p = opened(&c);

	assert_int_equal(lcp_send_ident(&p->a.l, "mpd5\x01 linux"), 0);
	assert_int_equal(lcp_send_time_remaining(&p->a.l, 3600, "bye"), 0);
	pump(&p->a.r, &p->a.l, in, &p->b.r, &p->b.l, in);
	assert_string_equal(p->b.l.peer_ident, "mpd5? linux");
	assert_true(rec_has_event(&p->b.r, LCP_EV_IDENT));
	assert_true(rec_has_event(&p->b.r, LCP_EV_TIMEREMAIN));
	assert_int_equal(p->b.l.peer_time_remaining, 3600);
	/* Truncated Time-Remaining: ignored. */
	uint8_t tr[6] = { 0 };
	put32(tr, p->a.l.neg.magic);
	p->b.l.peer_time_remaining = 0;
	feed(&p->b, CODE_TIMEREM, 1, tr, sizeof(tr));
	assert_int_equal(p->b.l.peer_time_remaining, 0);
	free(p);
}

static void test_callback_and_passive(void **state)
{
	(void)state;
	struct lcp_conf ca = defconf("a"), cb = defconf("b");

	ca.opts.enable |= BIT(LCP_O_CALLBACK);
	ca.originated = true;
	cb.opts.enable |= BIT(LCP_O_PASSIVE);
	struct pair *p = negotiate(&ca, &cb);
	/* b rejects Callback (we never call back); a goes on without it. */
	assert_int_equal(p->a.l.fsm.state, FSM_OPENED);
	assert_false(p->a.l.neg.callback);
	assert_false(p->a.l.want.callback);
	free(p);

	/* Both passive: nobody speaks first. */
	ca = defconf("a");
	ca.opts.enable |= BIT(LCP_O_PASSIVE);
	p = negotiate(&ca, &cb);
	assert_int_equal(p->a.l.fsm.state, FSM_STOPPED);
	assert_int_equal(p->a.r.sent, 0);
	free(p);
}

static void test_renegotiate(void **state)
{
	(void)state;
	struct lcp_conf c = defconf("a");
	struct pair *p = opened(&c);

	/* The peer restarts negotiation from Opened: both end up Opened again. */
	fsm_down(&p->b.l.fsm);
	fsm_up(&p->b.l.fsm);
	pump(&p->a.r, &p->a.l, in, &p->b.r, &p->b.l, in);
	assert_true(rec_has_event(&p->a.r, FSM_EV_DOWN));
	assert_true(rec_has_event(&p->a.r, FSM_EV_UP));
	assert_int_equal(p->a.l.fsm.state, FSM_OPENED);
	assert_int_equal(p->b.l.fsm.state, FSM_OPENED);
	assert_int_equal(p->a.l.neg.peer_magic, p->b.l.neg.magic);
	free(p);
}

/* ---- multilink options (RFC 1990 §5.1) ---- */

static struct lcp_conf mlconf(const char *name, uint8_t tag)
{
	struct lcp_conf c = defconf(name);

	c.opts.enable |= BIT(LCP_O_MULTILINK) | BIT(LCP_O_SHORTSEQ);
	c.opts.accept |= BIT(LCP_O_SHORTSEQ);
	c.mrru = 2048;
	c.disc.class = 3;
	c.disc.len = 6;
	memcpy(c.disc.addr, "\x02\x00\x00\x00\x00", 5);
	c.disc.addr[5] = tag;
	return c;
}

static void test_multilink_both(void **state)
{
	(void)state;
	struct lcp_conf ca = mlconf("a", 1), cb = mlconf("b", 2);

	cb.mrru = 1600;
	struct pair *p = negotiate(&ca, &cb);
	struct lcp_neg *a = &p->a.l.neg, *b = &p->b.l.neg;

	assert_int_equal(p->a.l.fsm.state, FSM_OPENED);
	assert_true(lcp_multilink(a));
	assert_true(lcp_multilink(b));
	assert_int_equal(a->mrru, 2048);
	assert_int_equal(a->peer_mrru, 1600);
	assert_int_equal(b->peer_mrru, 2048);
	assert_true(a->ssn_recv && a->ssn_xmit && b->ssn_recv && b->ssn_xmit);
	assert_true(a->peer_disc_set);
	assert_true(mp_epdisc_equal(&a->peer_disc, &cb.disc));
	assert_true(mp_epdisc_equal(&b->peer_disc, &ca.disc));
	free(p);
}

static void test_multilink_refused(void **state)
{
	(void)state;
	struct lcp_conf ca = mlconf("a", 1), cb = defconf("b");
	struct pair *p = negotiate(&ca, &cb);

	/* b has multilink disabled: it rejects MRRU and SSN, and a gives multilink up */
	assert_int_equal(p->a.l.fsm.state, FSM_OPENED);
	assert_false(lcp_multilink(&p->a.l.neg));
	assert_false(p->a.l.neg.mrru_recv);
	assert_false(p->a.l.neg.ssn_recv);
	assert_false(lcp_multilink(&p->b.l.neg));
	assert_false(p->b.l.neg.mrru_xmit);
	/* the discriminator alone is harmless and recorded */
	assert_true(p->b.l.neg.peer_disc_set);
	free(p);
}

static void test_shortseq_one_way(void **state)
{
	(void)state;
	struct lcp_conf ca = mlconf("a", 1), cb = mlconf("b", 2);

	ca.opts.enable &= ~BIT(LCP_O_SHORTSEQ);	/* a does not ask for 12-bit headers */
	cb.opts.accept &= ~BIT(LCP_O_SHORTSEQ);	/* b does not let a have them either */
	struct pair *p = negotiate(&ca, &cb);
	struct lcp_neg *a = &p->a.l.neg, *b = &p->b.l.neg;

	assert_true(lcp_multilink(a) && lcp_multilink(b));
	assert_false(a->ssn_recv);
	assert_false(b->ssn_xmit);
	/* b asked and a accepts: a sends short headers, b receives them */
	assert_true(a->ssn_xmit);
	assert_true(b->ssn_recv);
	free(p);

	/* shortseq disabled and denied on both: long headers both ways */
	ca = mlconf("a", 1);
	cb = mlconf("b", 2);
	ca.opts.enable &= ~BIT(LCP_O_SHORTSEQ);
	ca.opts.accept &= ~BIT(LCP_O_SHORTSEQ);
	cb.opts.enable &= ~BIT(LCP_O_SHORTSEQ);
	cb.opts.accept &= ~BIT(LCP_O_SHORTSEQ);
	p = negotiate(&ca, &cb);
	assert_true(lcp_multilink(&p->a.l.neg));
	assert_false(p->a.l.neg.ssn_recv || p->a.l.neg.ssn_xmit);
	free(p);
}

static void test_multilink_codec(void **state)
{
	(void)state;
	struct lcp_conf c = mlconf("a", 1);
	struct side *s = reqsent(&c);
	/* MRRU 100 (too small), SSN, discriminator class 2 with 3 address bytes (IP needs 4), class 9 */
	static const uint8_t req[] = { 17, 4, 0, 100, 18, 2, 19, 6, 2, 10, 0, 1, 19, 3, 9 };
	static const uint8_t rej[] = { 19, 6, 2, 10, 0, 1, 19, 3, 9 };

	feed(s, CODE_CONFREQ, 5, req, sizeof(req));
	const struct rec_pkt *p = last(s);
	assert_int_equal(p->data[0], CODE_CONFREJ);
	assert_int_equal(p->len, 4 + sizeof(rej));
	assert_memory_equal(p->data + 4, rej, sizeof(rej));
	/* without the bad discriminators the small MRRU is Nak'ed with the minimum */
	rec_reset(&s->r);
	feed(s, CODE_CONFREQ, 6, req, 6);
	p = last(s);
	assert_int_equal(p->data[0], CODE_CONFNAK);
	assert_int_equal(p->len, 4 + 4);
	assert_memory_equal(p->data + 4, "\x11\x04\x01\x28", 4);
	/* our request carries MRRU, SSN and the discriminator */
	rec_reset(&s->r);
	fsm_timeout(&s->l.fsm);
	p = last(s);
	assert_int_equal(p->data[0], CODE_CONFREQ);
	static const uint8_t mine[] = { 17, 4, 8, 0, 18, 2, 19, 9, 3, 2, 0, 0, 0, 0, 1 };
	assert_non_null(memmem(p->data + 4, p->len - 4, mine, sizeof(mine)));
	/* a Nak of our MRRU is taken within bounds */
	static const uint8_t nak[] = { 17, 4, 5, 0xdc };
	rec_reset(&s->r);
	feed(s, CODE_CONFNAK, s->l.fsm.reqid, nak, sizeof(nak));
	p = last(s);
	assert_non_null(memmem(p->data + 4, p->len - 4, "\x11\x04\x05\xdc", 4));
	/* a Reject of MRRU takes SSN with it; the discriminator stays */
	static const uint8_t rj[] = { 17, 4, 5, 0xdc };
	rec_reset(&s->r);
	feed(s, CODE_CONFREJ, s->l.fsm.reqid, rj, sizeof(rj));
	p = last(s);
	assert_int_equal(p->data[0], CODE_CONFREQ);
	assert_null(memmem(p->data + 4, p->len - 4, "\x11\x04", 2));
	assert_null(memmem(p->data + 4, p->len - 4, "\x12\x02", 2));
	assert_non_null(memmem(p->data + 4, p->len - 4, "\x13\x09\x03", 3));
	free(s);
}

static void test_epdisc_classes(void **state)
{
	(void)state;
	struct lcp_conf c = mlconf("a", 1);
	/* null, local (20 bytes), IP, MAC, magic block (8), phone number: all accepted */
	static const uint8_t ok[][24] = {
		{ 19, 3, 0 },
		{ 19, 23, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 },
		{ 19, 7, 2, 10, 0, 0, 1 },
		{ 19, 9, 3, 0, 1, 2, 3, 4, 5 },
		{ 19, 11, 4, 1, 2, 3, 4, 5, 6, 7, 8 },
		{ 19, 8, 5, '5', '5', '5', '1', '2' },
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct side *s = reqsent(&c);
		feed(s, CODE_CONFREQ, 1, ok[i], ok[i][1]);
		assert_int_equal(last(s)->data[0], CODE_CONFACK);
		assert_true(s->l.neg.peer_disc_set);
		assert_int_equal(s->l.neg.peer_disc.class, ok[i][2]);
		assert_int_equal(s->l.neg.peer_disc.len, ok[i][1] - 3);
		free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_pap),
		cmocka_unit_test(test_chap_both_ways),
		cmocka_unit_test(test_auth_nak_fallback),
		cmocka_unit_test(test_auth_refused),
		cmocka_unit_test(test_auth_nak_disabled_falls_next),
		cmocka_unit_test(test_no_compression),
		cmocka_unit_test(test_mru_mismatch),
		cmocka_unit_test(test_async_accm),
		cmocka_unit_test(test_reject_unknown_options),
		cmocka_unit_test(test_wrong_length_rejected),
		cmocka_unit_test(test_malformed_dropped),
		cmocka_unit_test(test_unknown_code),
		cmocka_unit_test(test_mru_nak_and_quirk),
		cmocka_unit_test(test_magic_collision),
		cmocka_unit_test(test_loopback),
		cmocka_unit_test(test_echo),
		cmocka_unit_test(test_echo_not_opened),
		cmocka_unit_test(test_keepalive),
		cmocka_unit_test(test_protrej),
		cmocka_unit_test(test_ident_timeremain),
		cmocka_unit_test(test_callback_and_passive),
		cmocka_unit_test(test_renegotiate),
		cmocka_unit_test(test_multilink_both),
		cmocka_unit_test(test_multilink_refused),
		cmocka_unit_test(test_shortseq_one_way),
		cmocka_unit_test(test_multilink_codec),
		cmocka_unit_test(test_epdisc_classes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
