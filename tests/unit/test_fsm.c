/* The RFC 1661 automaton against the §4.1 state transition table, with a toy protocol. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ppp_harness.h"
#include "ppp/proto.h"

/* Toy protocol: we ask for option 1 = {7}; the peer's option 99 is nak'ed, 98 rejected. */
static int toy_build(struct fsm *f, struct pbuf *b)
{
	(void)f;
	uint8_t v = 7;
	return opt_put(b, 1, &v, 1);
}

static int toy_req(struct fsm *f, const uint8_t *opts, size_t len, struct fsm_cr *cr)
{
	struct opt_iter it;
	struct ppp_opt o;

	(void)f;
	opt_iter_init(&it, opts, len);
	while (opt_next(&it, &o) == 1) {
		if (o.type == 99) {
			uint8_t v = 1;
			fsm_cr_nak(cr, &o, 99, &v, 1);
		} else if (o.type == 98) {
			fsm_cr_rej(cr, &o);
		}
	}
	return FSM_OK;
}

static enum fsm_xcode toy_extra(struct fsm *f, uint8_t code, uint8_t id, const uint8_t *d, size_t len)
{
	if (code != CODE_ECHOREQ)
		return FSM_X_UNKNOWN;
	if (f->state == FSM_OPENED)
		fsm_send(f, CODE_ECHOREP, id, d, len);
	return FSM_X_DONE;
}

static const struct fsm_proto toy = {
	.name = "TOY", .proto = 0x8999, .logf = LG_FSM,
	.build_req = toy_build, .recv_req = toy_req, .extra = toy_extra,
};

struct fx {
	struct rec r;
	struct fsm f;
	const char *veto;	/* what toy_strict's open_veto answers */
	bool refuse_req;	/* toy_strict's recv_req fails every request */
};

/* The toy protocol with the hooks that stop it coming up: open_veto and a failing recv_req. */
static const char *strict_veto(struct fsm *f)
{
	return FSM_CONTAINER(f, struct fx, f)->veto;
}

static int strict_req(struct fsm *f, const uint8_t *opts, size_t len, struct fsm_cr *cr)
{
	if (FSM_CONTAINER(f, struct fx, f)->refuse_req) {
		cr->fail = "nothing to agree on";
		return FSM_FAIL;
	}
	return toy_req(f, opts, len, cr);
}

static const struct fsm_proto toy_strict = {
	.name = "STRICT", .proto = 0x8999, .logf = LG_FSM,
	.build_req = toy_build, .recv_req = strict_req, .extra = toy_extra,
	.open_veto = strict_veto,
};

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));
	struct fsm_owner o = rec_owner(&x->r);
	struct fsm_conf c = { .name = "t", .timeout = 3 };

	fsm_init(&x->f, &toy, &o, &c);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static void feed(struct fsm *f, uint8_t code, uint8_t id, const uint8_t *d, size_t len)
{
	uint8_t p[600];

	p[0] = code;
	p[1] = id;
	put16(p + 2, (uint16_t)(len + 4));
	if (len > 0)
		memcpy(p + 4, d, len);
	fsm_input(f, p, len + 4);
}

static const uint8_t good_opts[] = { 1, 3, 5 };
static const uint8_t bad_opts[] = { 99, 3, 5 };

static void rcr(struct fsm *f, bool good)
{
	feed(f, CODE_CONFREQ, 42, good ? good_opts : bad_opts, 3);
}

static void rca(struct fsm *f)
{
	feed(f, CODE_CONFACK, f->reqid, f->req, f->req_len);
}

static void rcn(struct fsm *f)
{
	static const uint8_t nak[] = { 1, 3, 8 };
	feed(f, CODE_CONFNAK, f->reqid, nak, sizeof(nak));
}

static void rxj(struct fsm *f, uint8_t code)
{
	uint8_t rej[] = { code, 9, 0, 4 };
	feed(f, CODE_CODEREJ, 77, rej, sizeof(rej));
}

enum ev { E_UP, E_DOWN, E_OPEN, E_CLOSE, E_TOP, E_TOM, E_RCRP, E_RCRM, E_RCA, E_RCN,
	  E_RTR, E_RTA, E_RUC, E_RXJP, E_RXJM, E_RXR, E_N };

static const char *const ev_names[E_N] = {
	"Up", "Down", "Open", "Close", "TO+", "TO-", "RCR+", "RCR-", "RCA", "RCN",
	"RTR", "RTA", "RUC", "RXJ+", "RXJ-", "RXR",
};

/* The owner's one-shot timer expires: it is no longer armed. */
static void fire(struct fsm *f)
{
	((struct rec *)f->owner.arg)->timer_ms = 0;
	fsm_timeout(f);
}

static void apply(struct fsm *f, enum ev e)
{
	static const uint8_t echo[] = { 0, 0, 0, 0, 'x' };

	switch (e) {
	case E_UP: fsm_up(f); break;
	case E_DOWN: fsm_down(f); break;
	case E_OPEN: fsm_open(f); break;
	case E_CLOSE: fsm_close(f, "test"); break;
	case E_TOP: f->restart = 1; fire(f); break;
	case E_TOM: f->restart = 0; fire(f); break;
	case E_RCRP: rcr(f, true); break;
	case E_RCRM: rcr(f, false); break;
	case E_RCA: rca(f); break;
	case E_RCN: rcn(f); break;
	case E_RTR: feed(f, CODE_TERMREQ, 5, NULL, 0); break;
	case E_RTA: feed(f, CODE_TERMACK, 5, NULL, 0); break;
	case E_RUC: feed(f, 50, 5, NULL, 0); break;
	case E_RXJP: rxj(f, CODE_ECHOREQ); break;
	case E_RXJM: rxj(f, CODE_CONFREQ); break;
	case E_RXR: feed(f, CODE_ECHOREQ, 5, echo, sizeof(echo)); break;
	default: break;
	}
}

/* Drive a fresh automaton into state s through legal events. */
static void goto_state(struct fsm *f, enum fsm_state s)
{
	switch (s) {
	case FSM_INITIAL: break;
	case FSM_STARTING: fsm_open(f); break;
	case FSM_CLOSED: fsm_up(f); break;
	case FSM_STOPPED: fsm_open(f); fsm_up(f); rxj(f, CODE_CONFREQ); break;
	case FSM_CLOSING: fsm_open(f); fsm_up(f); fsm_close(f, NULL); break;
	case FSM_STOPPING: goto_state(f, FSM_OPENED); apply(f, E_RTR); break;
	case FSM_REQSENT: fsm_open(f); fsm_up(f); break;
	case FSM_ACKRCVD: fsm_open(f); fsm_up(f); rca(f); break;
	case FSM_ACKSENT: fsm_open(f); fsm_up(f); rcr(f, true); break;
	case FSM_OPENED: fsm_open(f); fsm_up(f); rca(f); rcr(f, true); break;
	default: break;
	}
	assert_int_equal(f->state, s);
}

/* Packets and layer events as sorted tokens: order within one transition is not the RFC's concern. */
static void actions(const struct rec *r, char *out, size_t size)
{
	const char *tok[64];
	int n = 0;

	for (int i = 0; i < r->npkts && n < 64; i++) {
		switch (r->pkts[i].data[0]) {
		case CODE_CONFREQ: tok[n++] = "scr"; break;
		case CODE_CONFACK: tok[n++] = "sca"; break;
		case CODE_CONFNAK: case CODE_CONFREJ: tok[n++] = "scn"; break;
		case CODE_TERMREQ: tok[n++] = "str"; break;
		case CODE_TERMACK: tok[n++] = "sta"; break;
		case CODE_CODEREJ: tok[n++] = "scj"; break;
		case CODE_ECHOREP: tok[n++] = "ser"; break;
		default: tok[n++] = "???"; break;
		}
	}
	for (int i = 0; i < r->nevents && n < 64; i++) {
		switch (r->events[i]) {
		case FSM_EV_UP: tok[n++] = "tlu"; break;
		case FSM_EV_DOWN: tok[n++] = "tld"; break;
		case FSM_EV_STARTED: tok[n++] = "tls"; break;
		case FSM_EV_FINISHED: tok[n++] = "tlf"; break;
		default: tok[n++] = "ev?"; break;
		}
	}
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && strcmp(tok[j - 1], tok[j]) > 0; j--) {
			const char *t = tok[j];
			tok[j] = tok[j - 1];
			tok[j - 1] = t;
		}
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (i > 0)
			strncat(out, " ", size - strlen(out) - 1);
		strncat(out, tok[i], size - strlen(out) - 1);
	}
}

struct cell {
	int next;	/* -1: unchanged */
	const char *act; /* sorted tokens */
};

/* RFC 1661 §4.1, rows = states, columns = events; "-" cells are no-ops here. */
#define NOP { -1, "" }
static const struct cell table[FSM_NSTATES][E_N] = {
	[FSM_INITIAL] = {
		[E_UP] = { FSM_CLOSED, "" }, [E_DOWN] = NOP, [E_OPEN] = { FSM_STARTING, "tls" },
		[E_CLOSE] = NOP, [E_TOP] = NOP, [E_TOM] = NOP, [E_RCRP] = NOP, [E_RCRM] = NOP,
		[E_RCA] = NOP, [E_RCN] = NOP, [E_RTR] = NOP, [E_RTA] = NOP, [E_RUC] = NOP,
		[E_RXJP] = NOP, [E_RXJM] = NOP, [E_RXR] = NOP,
	},
	[FSM_STARTING] = {
		[E_UP] = { FSM_REQSENT, "scr" }, [E_DOWN] = NOP, [E_OPEN] = NOP,
		[E_CLOSE] = { FSM_INITIAL, "tlf" }, [E_TOP] = NOP, [E_TOM] = NOP, [E_RCRP] = NOP,
		[E_RCRM] = NOP, [E_RCA] = NOP, [E_RCN] = NOP, [E_RTR] = NOP, [E_RTA] = NOP,
		[E_RUC] = NOP, [E_RXJP] = NOP, [E_RXJM] = NOP, [E_RXR] = NOP,
	},
	[FSM_CLOSED] = {
		[E_UP] = NOP, [E_DOWN] = { FSM_INITIAL, "" }, [E_OPEN] = { FSM_REQSENT, "scr" },
		[E_CLOSE] = NOP, [E_TOP] = NOP, [E_TOM] = NOP, [E_RCRP] = { -1, "sta" },
		[E_RCRM] = { -1, "sta" }, [E_RCA] = { -1, "sta" }, [E_RCN] = { -1, "sta" },
		[E_RTR] = { -1, "sta" }, [E_RTA] = NOP, [E_RUC] = { -1, "scj" }, [E_RXJP] = NOP,
		[E_RXJM] = { -1, "tlf" }, [E_RXR] = NOP,
	},
	[FSM_STOPPED] = {
		[E_UP] = NOP, [E_DOWN] = { FSM_STARTING, "tls" }, [E_OPEN] = NOP,
		[E_CLOSE] = { FSM_CLOSED, "" }, [E_TOP] = NOP, [E_TOM] = NOP,
		[E_RCRP] = { FSM_ACKSENT, "sca scr" }, [E_RCRM] = { FSM_REQSENT, "scn scr" },
		[E_RCA] = { -1, "sta" }, [E_RCN] = { -1, "sta" }, [E_RTR] = { -1, "sta" },
		[E_RTA] = NOP, [E_RUC] = { -1, "scj" }, [E_RXJP] = NOP, [E_RXJM] = { -1, "tlf" },
		[E_RXR] = NOP,
	},
	[FSM_CLOSING] = {
		[E_UP] = NOP, [E_DOWN] = { FSM_INITIAL, "" }, [E_OPEN] = { FSM_STOPPING, "" },
		[E_CLOSE] = NOP, [E_TOP] = { -1, "str" }, [E_TOM] = { FSM_CLOSED, "tlf" },
		[E_RCRP] = NOP, [E_RCRM] = NOP, [E_RCA] = NOP, [E_RCN] = NOP,
		[E_RTR] = { -1, "sta" }, [E_RTA] = { FSM_CLOSED, "tlf" }, [E_RUC] = { -1, "scj" },
		[E_RXJP] = NOP, [E_RXJM] = { FSM_CLOSED, "tlf" }, [E_RXR] = NOP,
	},
	[FSM_STOPPING] = {
		[E_UP] = NOP, [E_DOWN] = { FSM_STARTING, "" }, [E_OPEN] = NOP,
		[E_CLOSE] = { FSM_CLOSING, "" }, [E_TOP] = { -1, "str" },
		[E_TOM] = { FSM_STOPPED, "tlf" }, [E_RCRP] = NOP, [E_RCRM] = NOP, [E_RCA] = NOP,
		[E_RCN] = NOP, [E_RTR] = { -1, "sta" }, [E_RTA] = { FSM_STOPPED, "tlf" },
		[E_RUC] = { -1, "scj" }, [E_RXJP] = NOP, [E_RXJM] = { FSM_STOPPED, "tlf" },
		[E_RXR] = NOP,
	},
	[FSM_REQSENT] = {
		[E_UP] = NOP, [E_DOWN] = { FSM_STARTING, "" }, [E_OPEN] = NOP,
		[E_CLOSE] = { FSM_CLOSING, "str" }, [E_TOP] = { -1, "scr" },
		[E_TOM] = { FSM_STOPPED, "tlf" }, [E_RCRP] = { FSM_ACKSENT, "sca" },
		[E_RCRM] = { -1, "scn" }, [E_RCA] = { FSM_ACKRCVD, "" }, [E_RCN] = { -1, "scr" },
		[E_RTR] = { -1, "sta" }, [E_RTA] = NOP, [E_RUC] = { -1, "scj" }, [E_RXJP] = NOP,
		[E_RXJM] = { FSM_STOPPED, "tlf" }, [E_RXR] = NOP,
	},
	[FSM_ACKRCVD] = {
		[E_UP] = NOP, [E_DOWN] = { FSM_STARTING, "" }, [E_OPEN] = NOP,
		[E_CLOSE] = { FSM_CLOSING, "str" }, [E_TOP] = { FSM_REQSENT, "scr" },
		[E_TOM] = { FSM_STOPPED, "tlf" }, [E_RCRP] = { FSM_OPENED, "sca tlu" },
		[E_RCRM] = { -1, "scn" }, [E_RCA] = { FSM_REQSENT, "scr" },
		[E_RCN] = { FSM_REQSENT, "scr" }, [E_RTR] = { FSM_REQSENT, "sta" },
		[E_RTA] = { FSM_REQSENT, "" }, [E_RUC] = { -1, "scj" }, [E_RXJP] = NOP,
		[E_RXJM] = { FSM_STOPPED, "tlf" }, [E_RXR] = NOP,
	},
	[FSM_ACKSENT] = {
		[E_UP] = NOP, [E_DOWN] = { FSM_STARTING, "" }, [E_OPEN] = NOP,
		[E_CLOSE] = { FSM_CLOSING, "str" }, [E_TOP] = { -1, "scr" },
		[E_TOM] = { FSM_STOPPED, "tlf" }, [E_RCRP] = { -1, "sca" },
		[E_RCRM] = { FSM_REQSENT, "scn" }, [E_RCA] = { FSM_OPENED, "tlu" },
		[E_RCN] = { -1, "scr" }, [E_RTR] = { FSM_REQSENT, "sta" }, [E_RTA] = NOP,
		[E_RUC] = { -1, "scj" }, [E_RXJP] = NOP, [E_RXJM] = { FSM_STOPPED, "tlf" },
		[E_RXR] = NOP,
	},
	[FSM_OPENED] = {
		[E_UP] = NOP, [E_DOWN] = { FSM_STARTING, "tld" }, [E_OPEN] = NOP,
		[E_CLOSE] = { FSM_CLOSING, "str tld" }, [E_TOP] = NOP, [E_TOM] = NOP,
		[E_RCRP] = { FSM_ACKSENT, "sca scr tld" }, [E_RCRM] = { FSM_REQSENT, "scn scr tld" },
		[E_RCA] = { FSM_REQSENT, "scr tld" }, [E_RCN] = { FSM_REQSENT, "scr tld" },
		[E_RTR] = { FSM_STOPPING, "sta tld" }, [E_RTA] = { FSM_REQSENT, "scr tld" },
		[E_RUC] = { -1, "scj" }, [E_RXJP] = NOP, [E_RXJM] = { FSM_STOPPING, "str tld" },
		[E_RXR] = { -1, "ser" },
	},
};

static bool timer_state(int s)
{
	return s == FSM_CLOSING || s == FSM_STOPPING || s == FSM_REQSENT ||
	       s == FSM_ACKRCVD || s == FSM_ACKSENT;
}

static void test_transition_table(void **state)
{
	(void)state;
	for (int s = 0; s < FSM_NSTATES; s++) {
		for (int e = 0; e < E_N; e++) {
			struct fx *x = calloc(1, sizeof(*x));
			struct fsm_owner o = rec_owner(&x->r);
			struct fsm_conf c = { .name = "t", .timeout = 3 };
			char got[256];

			fsm_init(&x->f, &toy, &o, &c);
			goto_state(&x->f, s);
			rec_reset(&x->r);
			apply(&x->f, e);
			int want = table[s][e].next < 0 ? s : table[s][e].next;
			actions(&x->r, got, sizeof(got));
			if ((int)x->f.state != want || strcmp(got, table[s][e].act) != 0)
				fail_msg("%s x %s: got %s [%s], want %s [%s]", fsm_state_name(s),
					 ev_names[e], fsm_state_name(x->f.state), got,
					 fsm_state_name(want), table[s][e].act);
			/* The restart timer runs exactly in states 4-8 (RFC 1661 §4.6). */
			if ((x->r.timer_ms != 0) != timer_state(x->f.state))
				fail_msg("%s x %s: timer %u in %s", fsm_state_name(s), ev_names[e],
					 x->r.timer_ms, fsm_state_name(x->f.state));
			free(x);
		}
	}
}

static void test_irc_counts(void **state)
{
	struct fx *x = *state;

	goto_state(&x->f, FSM_REQSENT);
	assert_int_equal(x->f.restart, 9);	/* irc to Max-Configure, one scr sent */
	assert_int_equal(x->r.timer_ms, 3000);
	fsm_close(&x->f, NULL);
	assert_int_equal(x->f.restart, 1);	/* irc to Max-Terminate, one str sent */
	assert_int_equal(x->f.state, FSM_CLOSING);
}

static void test_zrc_on_rtr(void **state)
{
	struct fx *x = *state;

	goto_state(&x->f, FSM_OPENED);
	rec_reset(&x->r);
	apply(&x->f, E_RTR);
	assert_int_equal(x->f.restart, 0);
	assert_int_equal(x->r.timer_ms, 3000);
	fire(&x->f);
	assert_int_equal(x->f.state, FSM_STOPPED);
	assert_true(rec_has_event(&x->r, FSM_EV_FINISHED));
}

static void test_restart_exhaustion(void **state)
{
	struct fx *x = *state;
	int reqs = 0;

	goto_state(&x->f, FSM_REQSENT);
	for (int i = 0; i < 20 && x->f.state == FSM_REQSENT; i++)
		fire(&x->f);
	for (int i = 0; i < x->r.npkts; i++)
		reqs += x->r.pkts[i].data[0] == CODE_CONFREQ;
	assert_int_equal(reqs, 10);		/* Max-Configure */
	assert_int_equal(x->f.state, FSM_STOPPED);
	assert_true(rec_has_event(&x->r, FSM_EV_FINISHED));
	assert_int_equal(x->r.timer_ms, 0);
	/* Retransmissions of unchanged options keep the Identifier. */
	assert_int_equal(x->r.pkts[0].data[1], x->r.pkts[9].data[1]);
}

static void test_terminate_exhaustion(void **state)
{
	struct fx *x = *state;
	int strs = 0;

	goto_state(&x->f, FSM_OPENED);
	rec_reset(&x->r);
	fsm_close(&x->f, NULL);
	for (int i = 0; i < 5 && x->f.state == FSM_CLOSING; i++)
		fire(&x->f);
	for (int i = 0; i < x->r.npkts; i++)
		strs += x->r.pkts[i].data[0] == CODE_TERMREQ;
	assert_int_equal(strs, 2);		/* Max-Terminate */
	assert_int_equal(x->f.state, FSM_CLOSED);
}

static void test_id_mismatch(void **state)
{
	struct fx *x = *state;
	uint8_t opts[FSM_MAX_REQ];

	goto_state(&x->f, FSM_REQSENT);
	rec_reset(&x->r);
	feed(&x->f, CODE_CONFACK, (uint8_t)(x->f.reqid + 1), x->f.req, x->f.req_len);
	assert_int_equal(x->f.state, FSM_REQSENT);
	feed(&x->f, CODE_CONFNAK, (uint8_t)(x->f.reqid + 1), NULL, 0);
	feed(&x->f, CODE_CONFREJ, (uint8_t)(x->f.reqid - 1), x->f.req, x->f.req_len);
	assert_int_equal(x->r.npkts, 0);
	/* Right id, options not ours: also discarded. */
	memcpy(opts, x->f.req, x->f.req_len);
	opts[2] ^= 1;
	feed(&x->f, CODE_CONFACK, x->f.reqid, opts, x->f.req_len);
	assert_int_equal(x->f.state, FSM_REQSENT);
	/* A Reject naming an option we never asked for is invalid. */
	static const uint8_t alien[] = { 55, 2 };
	feed(&x->f, CODE_CONFREJ, x->f.reqid, alien, sizeof(alien));
	assert_int_equal(x->r.npkts, 0);
	assert_int_equal(x->f.state, FSM_REQSENT);
	rca(&x->f);
	assert_int_equal(x->f.state, FSM_ACKRCVD);
}

static void test_malformed_header(void **state)
{
	struct fx *x = *state;
	static const uint8_t runt[] = { 1, 1, 0 };
	static const uint8_t lenlow[] = { 1, 1, 0, 3, 1, 3, 5 };
	static const uint8_t lenhigh[] = { 1, 1, 0, 9, 1, 3, 5 };
	static const uint8_t zero_opt[] = { 1, 1, 0, 6, 1, 0 };
	static const uint8_t one_opt[] = { 1, 1, 0, 6, 1, 1 };
	static const uint8_t long_opt[] = { 1, 1, 0, 7, 1, 4, 5 };
	static const uint8_t padded[] = { 1, 1, 0, 7, 1, 3, 5, 99, 3, 5 };

	goto_state(&x->f, FSM_REQSENT);
	rec_reset(&x->r);
	fsm_input(&x->f, runt, sizeof(runt));
	fsm_input(&x->f, lenlow, sizeof(lenlow));
	fsm_input(&x->f, lenhigh, sizeof(lenhigh));
	fsm_input(&x->f, zero_opt, sizeof(zero_opt));
	fsm_input(&x->f, one_opt, sizeof(one_opt));
	fsm_input(&x->f, long_opt, sizeof(long_opt));
	fsm_input(&x->f, NULL, 0);
	assert_int_equal(x->r.npkts, 0);
	assert_int_equal(x->f.state, FSM_REQSENT);
	/* Octets after Length are padding: the nak'able option there is not seen. */
	fsm_input(&x->f, padded, sizeof(padded));
	assert_int_equal(x->r.npkts, 1);
	assert_int_equal(x->r.pkts[0].data[0], CODE_CONFACK);
	assert_int_equal(get16(x->r.pkts[0].data + 2), 7);
}

static void test_code_reject(void **state)
{
	struct fx *x = *state;
	uint8_t pkt[400];

	goto_state(&x->f, FSM_OPENED);
	rec_reset(&x->r);
	x->f.peer_mru = 100;
	memset(pkt, 0xab, sizeof(pkt));
	pkt[0] = 77;
	pkt[1] = 3;
	put16(pkt + 2, sizeof(pkt));
	fsm_input(&x->f, pkt, sizeof(pkt));
	const struct rec_pkt *p = rec_last(&x->r);
	assert_non_null(p);
	assert_int_equal(p->data[0], CODE_CODEREJ);
	assert_int_equal(p->len, 100);		/* truncated to the peer's MRU */
	assert_memory_equal(p->data + 4, pkt, 96);
	assert_int_equal(x->f.state, FSM_OPENED);
	assert_true(x->r.headroom_ok);
}

static void test_max_failure(void **state)
{
	struct fx *x = *state;
	int naks = 0;

	goto_state(&x->f, FSM_REQSENT);
	rec_reset(&x->r);
	for (int i = 0; i < 6; i++)
		rcr(&x->f, false);
	for (int i = 0; i < 5; i++)
		naks += x->r.pkts[i].data[0] == CODE_CONFNAK;
	assert_int_equal(naks, 5);
	assert_int_equal(x->r.pkts[5].data[0], CODE_CONFREJ);
	assert_memory_equal(x->r.pkts[5].data + 4, bad_opts, 3);
}

static void test_reject_beats_nak(void **state)
{
	struct fx *x = *state;
	static const uint8_t mix[] = { 99, 3, 5, 98, 2, 1, 3, 4 };

	goto_state(&x->f, FSM_REQSENT);
	rec_reset(&x->r);
	feed(&x->f, CODE_CONFREQ, 9, mix, sizeof(mix));
	const struct rec_pkt *p = rec_last(&x->r);
	assert_int_equal(p->data[0], CODE_CONFREJ);
	assert_int_equal(p->data[1], 9);
	assert_int_equal(p->len, 6);
	assert_memory_equal(p->data + 4, "\x62\x02", 2);
}

static void test_passive(void **state)
{
	struct fx *x = *state;

	x->f.conf.passive = true;
	fsm_open(&x->f);
	rec_reset(&x->r);
	fsm_up(&x->f);
	assert_int_equal(x->f.state, FSM_STOPPED);
	assert_int_equal(x->r.npkts, 0);
	rcr(&x->f, true);
	assert_int_equal(x->f.state, FSM_ACKSENT);
	assert_int_equal(x->r.pkts[0].data[0], CODE_CONFREQ);
	assert_int_equal(x->r.pkts[1].data[0], CODE_CONFACK);
	/* TO- in passive mode keeps listening: Stopped, no This-Layer-Finished. */
	rec_reset(&x->r);
	for (int i = 0; i < 20 && x->f.state == FSM_ACKSENT; i++)
		fire(&x->f);
	assert_int_equal(x->f.state, FSM_STOPPED);
	assert_false(rec_has_event(&x->r, FSM_EV_FINISHED));
}

static void test_stale_timer(void **state)
{
	struct fx *x = *state;

	goto_state(&x->f, FSM_OPENED);
	rec_reset(&x->r);
	fire(&x->f);
	assert_int_equal(x->r.npkts, 0);
	assert_int_equal(x->f.state, FSM_OPENED);
}

/* LCP Protocol-Reject of this protocol (RFC 1661 §5.7): RXJ-, no more retries. */
static void test_protocol_rejected(void **state)
{
	struct fx *x = *state;

	goto_state(&x->f, FSM_REQSENT);
	rec_reset(&x->r);
	fsm_protocol_rejected(&x->f);
	assert_int_equal(x->f.state, FSM_STOPPED);
	assert_true(rec_has_event(&x->r, FSM_EV_FINISHED));
	assert_int_equal(x->r.npkts, 0);
	assert_int_equal(x->r.timer_ms, 0);	/* no retransmission follows */
	assert_string_equal(x->f.reason, "Rejected by peer");

	/* Opened: down at once, one Terminate-Request, then Stopping. */
	struct fx *y = calloc(1, sizeof(*y));
	struct fsm_owner o = rec_owner(&y->r);
	struct fsm_conf c = { .name = "t", .timeout = 3 };
	fsm_init(&y->f, &toy, &o, &c);
	goto_state(&y->f, FSM_OPENED);
	rec_reset(&y->r);
	fsm_protocol_rejected(&y->f);
	assert_int_equal(y->f.state, FSM_STOPPING);
	assert_true(rec_has_event(&y->r, FSM_EV_DOWN));
	assert_int_equal(y->r.npkts, 1);
	assert_int_equal(y->r.pkts[0].data[0], CODE_TERMREQ);
	free(y);
}

static void strict_setup(struct fx *x)
{
	struct fsm_owner o = rec_owner(&x->r);
	struct fsm_conf c = { .name = "t", .timeout = 3 };

	fsm_init(&x->f, &toy_strict, &o, &c);
}

/* A veto keeps the layer from Opened on both ways in (RCA in Ack-Sent, RCR+ in Ack-Rcvd). */
static void test_open_veto(void **state)
{
	struct fx *x = *state;

	strict_setup(x);
	x->veto = "no address";
	goto_state(&x->f, FSM_ACKSENT);
	rec_reset(&x->r);
	rca(&x->f);
	assert_int_equal(x->f.state, FSM_CLOSING);
	assert_false(rec_has_event(&x->r, FSM_EV_UP));
	assert_int_equal(rec_last(&x->r)->data[0], CODE_TERMREQ);
	assert_string_equal(x->f.reason, "no address");
	/* the peer's Terminate-Ack finishes the layer: the owner learns it failed */
	feed(&x->f, CODE_TERMACK, 5, NULL, 0);
	assert_int_equal(x->f.state, FSM_CLOSED);
	assert_true(rec_has_event(&x->r, FSM_EV_FINISHED));

	memset(x, 0, sizeof(*x));
	strict_setup(x);
	x->veto = "no address";
	goto_state(&x->f, FSM_ACKRCVD);
	rec_reset(&x->r);
	rcr(&x->f, true);
	assert_int_equal(x->f.state, FSM_CLOSING);
	assert_false(rec_has_event(&x->r, FSM_EV_UP));
	assert_int_equal(x->r.pkts[0].data[0], CODE_CONFACK);
	assert_int_equal(rec_last(&x->r)->data[0], CODE_TERMREQ);

	/* without a veto the same path opens */
	memset(x, 0, sizeof(*x));
	strict_setup(x);
	goto_state(&x->f, FSM_OPENED);
}

/* recv_req's FSM_FAIL closes with the protocol's reason; from Stopped the owner still hears Finished. */
static void test_request_fails(void **state)
{
	struct fx *x = *state;

	strict_setup(x);
	x->refuse_req = true;
	goto_state(&x->f, FSM_REQSENT);
	rec_reset(&x->r);
	rcr(&x->f, true);
	assert_int_equal(x->f.state, FSM_CLOSING);
	assert_int_equal(x->r.npkts, 1);
	assert_int_equal(x->r.pkts[0].data[0], CODE_TERMREQ);
	assert_string_equal(x->f.reason, "nothing to agree on");

	memset(x, 0, sizeof(*x));
	strict_setup(x);
	x->f.conf.passive = true;
	fsm_open(&x->f);
	fsm_up(&x->f);
	assert_int_equal(x->f.state, FSM_STOPPED);
	x->refuse_req = true;
	rec_reset(&x->r);
	rcr(&x->f, true);
	assert_int_equal(x->f.state, FSM_CLOSED);
	assert_true(rec_has_event(&x->r, FSM_EV_FINISHED));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_transition_table),
		cmocka_unit_test_setup_teardown(test_irc_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zrc_on_rtr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart_exhaustion, setup, teardown),
		cmocka_unit_test_setup_teardown(test_terminate_exhaustion, setup, teardown),
		cmocka_unit_test_setup_teardown(test_id_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_header, setup, teardown),
		cmocka_unit_test_setup_teardown(test_code_reject, setup, teardown),
		cmocka_unit_test_setup_teardown(test_max_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reject_beats_nak, setup, teardown),
		cmocka_unit_test_setup_teardown(test_passive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_timer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_protocol_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_veto, setup, teardown),
		cmocka_unit_test_setup_teardown(test_request_fails, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
