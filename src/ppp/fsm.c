/*
 * RFC 1661 §4 automaton. Each event handler follows one row of the state
 * transition table of §4.1: packet actions first, then the new state, then
 * the layer event, so an owner reacting to the event sees a settled state.
 */
#include "ppp/fsm.h"

#include <string.h>

#include "core/pbuf.h"
#include "ppp/proto.h"

#define MAX_CONFIGURE 10
#define MAX_TERMINATE 2
#define MAX_FAILURE 5

/* No layer event pending. */
#define EV_NONE (-1)

static const char *const state_names[FSM_NSTATES] = {
	"Initial", "Starting", "Closed", "Stopped", "Closing",
	"Stopping", "Req-Sent", "Ack-Rcvd", "Ack-Sent", "Opened",
};

const char *fsm_state_name(enum fsm_state s)
{
	return (unsigned)s < FSM_NSTATES ? state_names[s] : "?";
}

void fsm_init(struct fsm *f, const struct fsm_proto *proto, const struct fsm_owner *owner,
	      const struct fsm_conf *conf)
{
	memset(f, 0, sizeof(*f));
	f->proto = proto;
	f->owner = *owner;
	f->conf = *conf;
	if (f->conf.timeout == 0)
		f->conf.timeout = 2;
	if (f->conf.max_configure == 0)
		f->conf.max_configure = MAX_CONFIGURE;
	if (f->conf.max_terminate == 0)
		f->conf.max_terminate = MAX_TERMINATE;
	if (f->conf.max_failure == 0)
		f->conf.max_failure = MAX_FAILURE;
	f->state = FSM_INITIAL;
	f->peer_mru = 1500;
}

void fsm_event(struct fsm *f, int ev, uint32_t val)
{
	if (f->owner.event != NULL)
		f->owner.event(f->owner.arg, f, ev, val);
}

uint32_t fsm_rand32(struct fsm *f)
{
	return f->owner.rand32 != NULL ? f->owner.rand32(f->owner.arg) : 0x5a5aa5a5u;
}

uint8_t fsm_next_id(struct fsm *f)
{
	return ++f->id;
}

int fsm_send(struct fsm *f, uint8_t code, uint8_t id, const void *data, size_t len)
{
	if (len > 0xffff - PPP_HDRLEN)
		return -1;
	struct pbuf *b = pbuf_new(PBUF_HEADROOM, PPP_HDRLEN + len);
	if (b == NULL) {
		log_msg(LG_ERR, f->conf.name, "%s: out of memory", f->proto->name);
		return -1;
	}
	uint8_t *p = pbuf_put(b, PPP_HDRLEN + len);
	p[0] = code;
	p[1] = id;
	put16(p + 2, (uint16_t)(PPP_HDRLEN + len));
	if (len > 0)
		memcpy(p + PPP_HDRLEN, data, len);
	log_msg(f->proto->logf, f->conf.name, "%s: send %s #%u len %zu",
		f->proto->name, ppp_code_name(code), id, len + PPP_HDRLEN);
	f->owner.send(f->owner.arg, f->proto->proto, b);
	return 0;
}

static void timer_arm(struct fsm *f)
{
	f->timer_on = true;
	f->owner.timer(f->owner.arg, f->conf.timeout * 1000u);
}

static void timer_stop(struct fsm *f)
{
	if (!f->timer_on)
		return;
	f->timer_on = false;
	f->owner.timer(f->owner.arg, 0);
}

static bool state_has_timer(enum fsm_state s)
{
	return s == FSM_CLOSING || s == FSM_STOPPING || s == FSM_REQSENT ||
	       s == FSM_ACKRCVD || s == FSM_ACKSENT;
}

static void new_state(struct fsm *f, enum fsm_state s)
{
	if (f->state != s)
		log_msg(LG_FSM, f->conf.name, "%s: state change %s --> %s", f->proto->name,
			fsm_state_name(f->state), fsm_state_name(s));
	f->state = s;
	if (!state_has_timer(s))
		timer_stop(f);
}

/* Tell the protocol, then the owner; always the last step of a transition. */
static void layer_event(struct fsm *f, int ev)
{
	void (*hook)(struct fsm *) = NULL;

	switch (ev) {
	case FSM_EV_UP: hook = f->proto->up; break;
	case FSM_EV_DOWN: hook = f->proto->down; break;
	case FSM_EV_STARTED: hook = f->proto->started; break;
	case FSM_EV_FINISHED: hook = f->proto->finished; break;
	default: return;
	}
	log_msg(LG_FSM, f->conf.name, "%s: LayerEvent %s", f->proto->name,
		ev == FSM_EV_UP ? "Up" : ev == FSM_EV_DOWN ? "Down" :
		ev == FSM_EV_STARTED ? "Start" : "Finish");
	if (hook != NULL)
		hook(f);
	fsm_event(f, ev, 0);
}

static void irc_conf(struct fsm *f)
{
	f->restart = f->conf.max_configure;
}

static void irc_term(struct fsm *f)
{
	f->restart = f->conf.max_terminate;
}

/* zrc: pause one timeout before the final state so the peer sees our Terminate-Ack. */
static void zrc(struct fsm *f)
{
	f->restart = 0;
	timer_arm(f);
}

/* A new negotiation begins: let the protocol forget refusals from the last one. */
static void begin(struct fsm *f)
{
	f->failure = f->conf.max_failure;
	if (f->proto->reset != NULL)
		f->proto->reset(f);
}

static void scr(struct fsm *f, bool retransmit)
{
	struct pbuf *b = pbuf_new(0, FSM_MAX_REQ);

	if (b == NULL) {
		log_msg(LG_ERR, f->conf.name, "%s: out of memory", f->proto->name);
		return;
	}
	if (f->proto->build_req != NULL && f->proto->build_req(f, b) != 0)
		log_msg(LG_ERR, f->conf.name, "%s: request options do not fit", f->proto->name);
	/* RFC 1661 §5.1: a retransmission of unchanged options may keep its Identifier. */
	bool same = retransmit && b->len == f->req_len && memcmp(b->data, f->req, b->len) == 0;
	if (!same)
		f->reqid = fsm_next_id(f);
	memcpy(f->req, b->data, b->len);
	f->req_len = b->len;
	pbuf_free(b);
	if (f->restart > 0)
		f->restart--;
	fsm_send(f, CODE_CONFREQ, f->reqid, f->req, f->req_len);
	timer_arm(f);
}

static void str(struct fsm *f)
{
	if (f->restart > 0)
		f->restart--;
	fsm_send(f, CODE_TERMREQ, fsm_next_id(f), NULL, 0);
	timer_arm(f);
}

static void sta(struct fsm *f, uint8_t id)
{
	fsm_send(f, CODE_TERMACK, id, NULL, 0);
}

static void scj(struct fsm *f, const uint8_t *pkt, size_t len)
{
	size_t max = f->peer_mru > PPP_HDRLEN ? f->peer_mru - PPP_HDRLEN : 0;

	fsm_send(f, CODE_CODEREJ, fsm_next_id(f), pkt, len < max ? len : max);
}

void fsm_up(struct fsm *f)
{
	switch (f->state) {
	case FSM_INITIAL:
		new_state(f, FSM_CLOSED);
		break;
	case FSM_STARTING:
		begin(f);
		irc_conf(f);
		if (f->conf.passive) {
			new_state(f, FSM_STOPPED);
			break;
		}
		scr(f, false);
		new_state(f, FSM_REQSENT);
		break;
	default:
		log_msg(LG_FSM, f->conf.name, "%s: Up event in state %s ignored", f->proto->name,
			fsm_state_name(f->state));
		break;
	}
}

void fsm_down(struct fsm *f)
{
	int ev = EV_NONE;

	switch (f->state) {
	case FSM_CLOSED:
	case FSM_CLOSING:
		new_state(f, FSM_INITIAL);
		break;
	case FSM_STOPPED:
		new_state(f, FSM_STARTING);
		ev = FSM_EV_STARTED;
		break;
	case FSM_STOPPING:
	case FSM_REQSENT:
	case FSM_ACKRCVD:
	case FSM_ACKSENT:
		new_state(f, FSM_STARTING);
		break;
	case FSM_OPENED:
		new_state(f, FSM_STARTING);
		ev = FSM_EV_DOWN;
		break;
	default:
		log_msg(LG_FSM, f->conf.name, "%s: Down event in state %s ignored", f->proto->name,
			fsm_state_name(f->state));
		break;
	}
	layer_event(f, ev);
}

void fsm_open(struct fsm *f)
{
	int ev = EV_NONE;

	switch (f->state) {
	case FSM_INITIAL:
		new_state(f, FSM_STARTING);
		ev = FSM_EV_STARTED;
		break;
	case FSM_CLOSED:
		begin(f);
		irc_conf(f);
		if (f->conf.passive) {
			new_state(f, FSM_STOPPED);
			break;
		}
		scr(f, false);
		new_state(f, FSM_REQSENT);
		break;
	case FSM_CLOSING:
		new_state(f, FSM_STOPPING);
		break;
	default:
		/* Starting, Stopped, Stopping, Req-Sent..Opened: already open; no restart option. */
		break;
	}
	layer_event(f, ev);
}

void fsm_close(struct fsm *f, const char *reason)
{
	int ev = EV_NONE;

	if (reason != NULL)
		f->reason = reason;
	switch (f->state) {
	case FSM_STARTING:
		new_state(f, FSM_INITIAL);
		ev = FSM_EV_FINISHED;
		break;
	case FSM_STOPPED:
		new_state(f, FSM_CLOSED);
		break;
	case FSM_STOPPING:
		new_state(f, FSM_CLOSING);
		break;
	case FSM_OPENED:
		ev = FSM_EV_DOWN;
		/* FALLTHROUGH */
	case FSM_REQSENT:
	case FSM_ACKRCVD:
	case FSM_ACKSENT:
		irc_term(f);
		str(f);
		new_state(f, FSM_CLOSING);
		break;
	default:
		break;
	}
	layer_event(f, ev);
}

void fsm_timeout(struct fsm *f)
{
	int ev = EV_NONE;

	if (!f->timer_on)
		return;
	f->timer_on = false;
	bool plus = f->restart > 0;

	switch (f->state) {
	case FSM_CLOSING:
	case FSM_STOPPING:
		if (plus) {
			str(f);
			break;
		}
		new_state(f, f->state == FSM_CLOSING ? FSM_CLOSED : FSM_STOPPED);
		ev = FSM_EV_FINISHED;
		break;
	case FSM_REQSENT:
	case FSM_ACKRCVD:
	case FSM_ACKSENT:
		if (plus) {
			scr(f, true);
			if (f->state == FSM_ACKRCVD)
				new_state(f, FSM_REQSENT);
			break;
		}
		log_pmsg(f->proto->logf, LP_WARNING, f->conf.name, "%s: no reply to Configure-Request",
			 f->proto->name);
		f->reason = "Negotiation timeout";
		new_state(f, FSM_STOPPED);
		/* Passive: stay listening in Stopped instead of finishing (RFC 1661 §4.6). */
		if (!f->conf.passive)
			ev = FSM_EV_FINISHED;
		break;
	default:
		break;
	}
	layer_event(f, ev);
}

/*
 * No agreement is possible: close with the reason. From Stopped a Close is
 * silent in the §4.1 table, so the owner is told This-Layer-Finished there.
 */
static void negotiation_failed(struct fsm *f, const char *why)
{
	bool stopped = f->state == FSM_STOPPED;

	log_pmsg(f->proto->logf, LP_WARNING, f->conf.name, "%s: %s", f->proto->name, why);
	fsm_close(f, why);
	if (stopped)
		layer_event(f, FSM_EV_FINISHED);
}

/*
 * The protocol may refuse to reach Opened (IPCP without an address): then
 * close as an administrative Close would from here, and no Up is raised.
 */
static bool open_refused(struct fsm *f)
{
	const char *why = f->proto->open_veto != NULL ? f->proto->open_veto(f) : NULL;

	if (why == NULL)
		return false;
	log_pmsg(f->proto->logf, LP_WARNING, f->conf.name, "%s: not coming up: %s",
		 f->proto->name, why);
	f->reason = why;
	irc_term(f);
	str(f);
	new_state(f, FSM_CLOSING);
	return true;
}

void fsm_cr_nak(struct fsm_cr *cr, const struct ppp_opt *orig, uint8_t type,
		const void *val, size_t len)
{
	if (opt_put(cr->nak, type, val, len) != 0)
		cr->overflow = true;
	if (orig != NULL && opt_put_raw(cr->nak_orig, orig) != 0)
		cr->overflow = true;
}

void fsm_cr_rej(struct fsm_cr *cr, const struct ppp_opt *orig)
{
	if (opt_put_raw(cr->rej, orig) != 0)
		cr->overflow = true;
}

/* The answer to a Configure-Request: its code and options, ready to send. */
struct cr_answer {
	uint8_t code;
	uint8_t id;
	const uint8_t *data;
	size_t len;
};

static void send_answer(struct fsm *f, const struct cr_answer *a)
{
	if (a->code == CODE_CONFACK)
		f->failure = f->conf.max_failure;
	else if (a->code == CODE_CONFNAK && f->failure > 0)
		f->failure--;
	fsm_send(f, a->code, a->id, a->data, a->len);
}

/* Run recv_req; false when the request must be dropped (or, with cr->fail set, fails). */
static bool judge_request(struct fsm *f, const uint8_t *opts, size_t len, struct fsm_cr *cr,
			  struct cr_answer *a)
{
	int r = f->proto->recv_req != NULL ? f->proto->recv_req(f, opts, len, cr) : FSM_OK;

	if (r == FSM_FAIL) {
		if (cr->fail == NULL)
			cr->fail = "Negotiation failed";
		return false;
	}
	cr->fail = NULL;
	if (r != FSM_OK || cr->overflow) {
		log_msg(f->proto->logf, f->conf.name, "%s: Configure-Request dropped", f->proto->name);
		return false;
	}
	if (cr->rej->len == 0 && cr->nak->len > 0 && f->failure == 0) {
		/* Max-Failure: the peer does not converge, so refuse what we were nak'ing. */
		log_msg(f->proto->logf, f->conf.name, "%s: too many Naks, rejecting instead",
			f->proto->name);
		if (pbuf_append(cr->rej, cr->nak_orig->data, cr->nak_orig->len) != 0)
			return false;
		if (cr->rej->len == 0) {
			/* Only absent options were nak'ed: accept the request as it stands. */
			cr->nak->len = 0;
		}
	}
	if (cr->rej->len > 0) {
		a->code = CODE_CONFREJ;
		a->data = cr->rej->data;
		a->len = cr->rej->len;
	} else if (cr->nak->len > 0) {
		a->code = CODE_CONFNAK;
		a->data = cr->nak->data;
		a->len = cr->nak->len;
	} else {
		a->code = CODE_CONFACK;
		a->data = opts;
		a->len = len;
	}
	return true;
}

static void rcr_transition(struct fsm *f, const struct cr_answer *a)
{
	bool good = a->code == CODE_CONFACK;
	int ev = EV_NONE;

	switch (f->state) {
	case FSM_STOPPED:
		irc_conf(f);
		scr(f, false);
		send_answer(f, a);
		new_state(f, good ? FSM_ACKSENT : FSM_REQSENT);
		break;
	case FSM_REQSENT:
	case FSM_ACKSENT:
		send_answer(f, a);
		new_state(f, good ? FSM_ACKSENT : FSM_REQSENT);
		break;
	case FSM_ACKRCVD:
		send_answer(f, a);
		if (good && !open_refused(f)) {
			new_state(f, FSM_OPENED);
			ev = FSM_EV_UP;
		}
		break;
	case FSM_OPENED:
		scr(f, false);
		send_answer(f, a);
		new_state(f, good ? FSM_ACKSENT : FSM_REQSENT);
		ev = FSM_EV_DOWN;
		break;
	default:
		break;
	}
	layer_event(f, ev);
}

static void rcv_confreq(struct fsm *f, uint8_t id, const uint8_t *opts, size_t len)
{
	switch (f->state) {
	case FSM_CLOSED:
		sta(f, id);
		return;
	case FSM_STOPPED:
	case FSM_REQSENT:
	case FSM_ACKRCVD:
	case FSM_ACKSENT:
	case FSM_OPENED:
		break;
	default:
		/* Initial, Starting: no lower layer; Closing, Stopping: ignored per §4.1. */
		return;
	}
	if (f->state == FSM_STOPPED || f->state == FSM_OPENED)
		begin(f);

	struct fsm_cr cr = {
		.nak = pbuf_new(0, PBUF_SIZE),
		.rej = pbuf_new(0, PBUF_SIZE),
		.nak_orig = pbuf_new(0, PBUF_SIZE),
	};
	struct cr_answer a = { .id = id };

	if (cr.nak != NULL && cr.rej != NULL && cr.nak_orig != NULL) {
		if (judge_request(f, opts, len, &cr, &a))
			rcr_transition(f, &a);
		else if (cr.fail != NULL)
			negotiation_failed(f, cr.fail);
	}
	pbuf_free(cr.nak);
	pbuf_free(cr.rej);
	pbuf_free(cr.nak_orig);
}

/* RCA/RCN in the states where they only draw a Terminate-Ack or nothing. */
static bool reply_outside_negotiation(struct fsm *f, uint8_t id)
{
	switch (f->state) {
	case FSM_CLOSED:
	case FSM_STOPPED:
		sta(f, id);
		return true;
	case FSM_REQSENT:
	case FSM_ACKRCVD:
	case FSM_ACKSENT:
	case FSM_OPENED:
		return false;
	default:
		return true;
	}
}

static void rca_transition(struct fsm *f)
{
	int ev = EV_NONE;

	switch (f->state) {
	case FSM_REQSENT:
		irc_conf(f);
		new_state(f, FSM_ACKRCVD);
		break;
	case FSM_ACKRCVD:
		/* Crossed connection (§4.1 "x"): start over. */
		scr(f, false);
		new_state(f, FSM_REQSENT);
		break;
	case FSM_ACKSENT:
		irc_conf(f);
		if (open_refused(f))
			break;
		new_state(f, FSM_OPENED);
		ev = FSM_EV_UP;
		break;
	case FSM_OPENED:
		begin(f);
		scr(f, false);
		new_state(f, FSM_REQSENT);
		ev = FSM_EV_DOWN;
		break;
	default:
		break;
	}
	layer_event(f, ev);
}

static void rcv_confack(struct fsm *f, uint8_t id, const uint8_t *opts, size_t len)
{
	if (reply_outside_negotiation(f, id))
		return;
	if (id != f->reqid || len != f->req_len || (len > 0 && memcmp(opts, f->req, len) != 0)) {
		log_msg(f->proto->logf, f->conf.name, "%s: Configure-Ack #%u does not match our request, dropped",
			f->proto->name, id);
		return;
	}
	if (f->proto->recv_ack != NULL)
		f->proto->recv_ack(f, opts, len);
	rca_transition(f);
}

static void rcn_transition(struct fsm *f)
{
	int ev = EV_NONE;

	switch (f->state) {
	case FSM_REQSENT:
		irc_conf(f);
		scr(f, false);
		break;
	case FSM_ACKRCVD:
		scr(f, false);
		new_state(f, FSM_REQSENT);
		break;
	case FSM_ACKSENT:
		irc_conf(f);
		scr(f, false);
		break;
	case FSM_OPENED:
		begin(f);
		scr(f, false);
		new_state(f, FSM_REQSENT);
		ev = FSM_EV_DOWN;
		break;
	default:
		break;
	}
	layer_event(f, ev);
}

/* Every rejected option must be one we asked for (RFC 1661 §5.4). */
static bool rej_is_subset(const struct fsm *f, const uint8_t *opts, size_t len)
{
	struct opt_iter it;
	struct ppp_opt o;
	int r;

	opt_iter_init(&it, opts, len);
	while ((r = opt_next(&it, &o)) == 1)
		if (!opt_list_has(f->req, f->req_len, &o))
			return false;
	return r == 0;
}

static void rcv_confnak_rej(struct fsm *f, uint8_t code, uint8_t id, const uint8_t *opts, size_t len)
{
	if (reply_outside_negotiation(f, id))
		return;
	if (id != f->reqid) {
		log_msg(f->proto->logf, f->conf.name, "%s: %s #%u is not for our request #%u, dropped",
			f->proto->name, ppp_code_name(code), id, f->reqid);
		return;
	}
	if (!opt_list_valid(opts, len) || (code == CODE_CONFREJ && !rej_is_subset(f, opts, len))) {
		log_msg(f->proto->logf, f->conf.name, "%s: malformed %s dropped", f->proto->name,
			ppp_code_name(code));
		return;
	}
	int (*hook)(struct fsm *, const uint8_t *, size_t) =
		code == CODE_CONFNAK ? f->proto->recv_nak : f->proto->recv_rej;
	int r = hook != NULL ? hook(f, opts, len) : FSM_OK;

	if (r == FSM_DISCARD)
		return;
	if (r == FSM_FAIL) {
		negotiation_failed(f, "Negotiation failed");
		return;
	}
	rcn_transition(f);
}

static void rcv_termreq(struct fsm *f, uint8_t id)
{
	int ev = EV_NONE;

	switch (f->state) {
	case FSM_CLOSED:
	case FSM_STOPPED:
	case FSM_CLOSING:
	case FSM_STOPPING:
		sta(f, id);
		break;
	case FSM_REQSENT:
	case FSM_ACKRCVD:
	case FSM_ACKSENT:
		sta(f, id);
		new_state(f, FSM_REQSENT);
		break;
	case FSM_OPENED:
		f->reason = "Peer terminated";
		zrc(f);
		sta(f, id);
		new_state(f, FSM_STOPPING);
		ev = FSM_EV_DOWN;
		break;
	default:
		break;
	}
	layer_event(f, ev);
}

static void rcv_termack(struct fsm *f)
{
	int ev = EV_NONE;

	switch (f->state) {
	case FSM_CLOSING:
		new_state(f, FSM_CLOSED);
		ev = FSM_EV_FINISHED;
		break;
	case FSM_STOPPING:
		new_state(f, FSM_STOPPED);
		ev = FSM_EV_FINISHED;
		break;
	case FSM_ACKRCVD:
		new_state(f, FSM_REQSENT);
		break;
	case FSM_OPENED:
		begin(f);
		scr(f, false);
		new_state(f, FSM_REQSENT);
		ev = FSM_EV_DOWN;
		break;
	default:
		break;
	}
	layer_event(f, ev);
}

static void rxj_minus(struct fsm *f)
{
	int ev = EV_NONE;

	f->reason = "Rejected by peer";
	switch (f->state) {
	case FSM_CLOSED:
	case FSM_STOPPED:
		ev = FSM_EV_FINISHED;
		break;
	case FSM_CLOSING:
		new_state(f, FSM_CLOSED);
		ev = FSM_EV_FINISHED;
		break;
	case FSM_STOPPING:
	case FSM_REQSENT:
	case FSM_ACKRCVD:
	case FSM_ACKSENT:
		new_state(f, FSM_STOPPED);
		ev = FSM_EV_FINISHED;
		break;
	case FSM_OPENED:
		irc_term(f);
		str(f);
		new_state(f, FSM_STOPPING);
		ev = FSM_EV_DOWN;
		break;
	default:
		break;
	}
	layer_event(f, ev);
}

void fsm_protocol_rejected(struct fsm *f)
{
	log_pmsg(f->proto->logf, LP_NOTICE, f->conf.name, "%s: protocol rejected by peer", f->proto->name);
	rxj_minus(f);
}

static void rcv_coderej(struct fsm *f, const uint8_t *data, size_t len)
{
	if (len < 1)
		return;
	log_msg(f->proto->logf, f->conf.name, "%s: peer rejected code %u (%s)", f->proto->name,
		data[0], ppp_code_name(data[0]));
	/* The basic codes are vital; anything beyond them the link can live without. */
	if (data[0] >= CODE_CONFREQ && data[0] <= CODE_CODEREJ)
		rxj_minus(f);
}

static void rcv_extra(struct fsm *f, uint8_t code, uint8_t id, const uint8_t *pkt, size_t len)
{
	enum fsm_xcode x = FSM_X_UNKNOWN;

	if (f->proto->extra != NULL)
		x = f->proto->extra(f, code, id, pkt + PPP_HDRLEN, len - PPP_HDRLEN);
	switch (x) {
	case FSM_X_UNKNOWN:
		/* RUC: scj in every state with a lower layer. */
		if (f->state != FSM_INITIAL && f->state != FSM_STARTING)
			scj(f, pkt, len);
		break;
	case FSM_X_RXJM:
		rxj_minus(f);
		break;
	default:
		break;
	}
}

void fsm_input(struct fsm *f, const uint8_t *pkt, size_t len)
{
	if (len < PPP_HDRLEN) {
		log_msg(f->proto->logf, f->conf.name, "%s: runt packet (%zu bytes) dropped",
			f->proto->name, len);
		return;
	}
	uint8_t code = pkt[0], id = pkt[1];
	size_t plen = get16(pkt + 2);

	if (plen < PPP_HDRLEN || plen > len) {
		log_msg(f->proto->logf, f->conf.name, "%s: bad length %zu (received %zu), dropped",
			f->proto->name, plen, len);
		return;
	}
	/* Octets past Length are padding (RFC 1661 §5). */
	const uint8_t *data = pkt + PPP_HDRLEN;
	size_t dlen = plen - PPP_HDRLEN;

	log_msg(f->proto->logf, f->conf.name, "%s: rec'd %s #%u len %zu (%s)", f->proto->name,
		ppp_code_name(code), id, plen, fsm_state_name(f->state));
	switch (code) {
	case CODE_CONFREQ:
		if (!opt_list_valid(data, dlen)) {
			log_msg(f->proto->logf, f->conf.name, "%s: malformed options, dropped",
				f->proto->name);
			return;
		}
		rcv_confreq(f, id, data, dlen);
		break;
	case CODE_CONFACK:
		rcv_confack(f, id, data, dlen);
		break;
	case CODE_CONFNAK:
	case CODE_CONFREJ:
		rcv_confnak_rej(f, code, id, data, dlen);
		break;
	case CODE_TERMREQ:
		rcv_termreq(f, id);
		break;
	case CODE_TERMACK:
		rcv_termack(f);
		break;
	case CODE_CODEREJ:
		rcv_coderej(f, data, dlen);
		break;
	default:
		rcv_extra(f, code, id, pkt, plen);
		break;
	}
}
