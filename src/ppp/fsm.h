/*
 * The RFC 1661 §4 option-negotiation automaton, shared by LCP, IPCP,
 * IPv6CP, CCP and ECP. It does no I/O: it hands packets and timer
 * requests to its owner through struct fsm_owner and asks the protocol
 * (struct fsm_proto) about options.
 *
 * Owner contract:
 *  - send(arg, proto, pkt): transmit one control packet; pkt->data starts at
 *    the Code field and has PBUF_HEADROOM in front for the lower layers'
 *    headers. The owner takes the buffer and frees it.
 *  - timer(arg, ms): (re)arm the restart timer to fire once after ms; 0 stops
 *    it. When it fires the owner calls fsm_timeout().
 *  - rand32(arg): a random number (magic numbers, challenges).
 *  - event(arg, f, ev, val): FSM_EV_UP/DOWN/STARTED/FINISHED are This-Layer-
 *    Up/Down/Started/Finished; protocols add their own events from
 *    FSM_EV_PROTO on. Events are raised after the state has changed, as the
 *    last step of handling an input, so the owner may call fsm_open(),
 *    fsm_close() etc. from inside its event callback.
 */
#ifndef MPD_PPP_FSM_H
#define MPD_PPP_FSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/log.h"
#include "ppp/opt.h"

struct pbuf;
struct fsm;

enum fsm_state {
	FSM_INITIAL,
	FSM_STARTING,
	FSM_CLOSED,
	FSM_STOPPED,
	FSM_CLOSING,
	FSM_STOPPING,
	FSM_REQSENT,
	FSM_ACKRCVD,
	FSM_ACKSENT,
	FSM_OPENED,
	FSM_NSTATES
};

/* Events for the owner; protocol-specific ones start at FSM_EV_PROTO. */
enum fsm_ev {
	FSM_EV_UP,		/* This-Layer-Up */
	FSM_EV_DOWN,		/* This-Layer-Down */
	FSM_EV_STARTED,		/* This-Layer-Started: the lower layer is wanted */
	FSM_EV_FINISHED,	/* This-Layer-Finished: the lower layer may go */
	FSM_EV_PROTO = 16,
};

struct fsm_owner {
	void *arg;
	void (*send)(void *arg, uint16_t proto, struct pbuf *pkt);
	void (*timer)(void *arg, unsigned ms);
	uint32_t (*rand32)(void *arg);
	void (*event)(void *arg, struct fsm *f, int ev, uint32_t val);
};

/* Our answer to a peer's Configure-Request, filled by the protocol's recv_req. */
struct fsm_cr {
	struct pbuf *nak;	/* our suggestions */
	struct pbuf *rej;	/* the peer's options we refuse, verbatim */
	struct pbuf *nak_orig;	/* the peer's originals of nak'ed options, rejected instead after Max-Failure */
	bool overflow;		/* an answer did not fit: the request is dropped */
	const char *fail;	/* with FSM_FAIL: the close reason (default "Negotiation failed") */
};

/* Return values of recv_req/recv_nak/recv_rej. FSM_FAIL: no agreement is possible, the
 * automaton closes (recv_req may name why in fsm_cr.fail). */
enum { FSM_OK = 0, FSM_DISCARD = -1, FSM_FAIL = -2 };

/* What a protocol's extra-code handler made of a packet. */
enum fsm_xcode {
	FSM_X_UNKNOWN,	/* not a code of this protocol: the FSM sends Code-Reject */
	FSM_X_DONE,	/* handled (or silently dropped) */
	FSM_X_RXJP,	/* a permitted reject (RXJ+) */
	FSM_X_RXJM,	/* a catastrophic reject (RXJ-) */
};

/* What one protocol (LCP, IPCP, ...) supplies; unused hooks may be NULL. */
struct fsm_proto {
	const char *name;
	uint16_t proto;
	enum log_flag logf;
	/* A fresh negotiation starts: forget what the peer refused earlier. */
	void (*reset)(struct fsm *f);
	/* Append our options for a Configure-Request. */
	int (*build_req)(struct fsm *f, struct pbuf *b);
	/* Judge the peer's options: nak/reject into cr, remember acceptable values. */
	int (*recv_req)(struct fsm *f, const uint8_t *opts, size_t len, struct fsm_cr *cr);
	/* Our request was acked (already checked to match it exactly). */
	void (*recv_ack)(struct fsm *f, const uint8_t *opts, size_t len);
	/* Our request was nak'ed: adopt suggestions for the next one. */
	int (*recv_nak)(struct fsm *f, const uint8_t *opts, size_t len);
	/* Our request was rejected (checked to be a subset of it): stop sending those. */
	int (*recv_rej)(struct fsm *f, const uint8_t *opts, size_t len);
	/* About to reach Opened: NULL lets it, else why the layer must not come up
	 * (IPCP with no address); the automaton then closes with that reason. */
	const char *(*open_veto)(struct fsm *f);
	void (*up)(struct fsm *f);
	void (*down)(struct fsm *f);
	void (*started)(struct fsm *f);
	void (*finished)(struct fsm *f);
	/* Codes beyond 7 (LCP Echo, CCP Reset, ...). */
	enum fsm_xcode (*extra)(struct fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len);
};

/* Settings of one automaton. */
struct fsm_conf {
	const char *name;	/* log prefix, e.g. the link or bundle name */
	unsigned timeout;	/* restart timer, seconds (`set link fsm-timeout`) */
	bool passive;		/* RFC 1661 §4.6: wait for the peer's Configure-Request */
	unsigned max_configure;	/* 0 means the RFC default 10 */
	unsigned max_terminate;	/* 0 means 2 */
	unsigned max_failure;	/* 0 means 5 */
};

#define FSM_MAX_REQ 512		/* largest Configure-Request options we send */

struct fsm {
	const struct fsm_proto *proto;
	struct fsm_owner owner;
	struct fsm_conf conf;
	enum fsm_state state;
	unsigned restart;	/* restart counter */
	unsigned failure;	/* Naks we may still send before rejecting instead */
	uint8_t id;		/* last identifier used */
	uint8_t reqid;		/* identifier of our last Configure-Request */
	bool timer_on;
	uint16_t peer_mru;	/* replies are truncated to this (Code-Reject, Echo-Reply) */
	const char *reason;	/* why the last close/failure happened, for the owner */
	size_t req_len;		/* options of our last Configure-Request */
	uint8_t req[FSM_MAX_REQ];
};

/* Recover the structure that embeds an fsm. */
#define FSM_CONTAINER(f, type, member) ((type *)(void *)((char *)(f) - offsetof(type, member)))

/* Set up an automaton in the Initial state. */
void fsm_init(struct fsm *f, const struct fsm_proto *proto, const struct fsm_owner *owner,
	      const struct fsm_conf *conf);
/* Up event: the lower layer is ready. */
void fsm_up(struct fsm *f);
/* Down event: the lower layer went away. */
void fsm_down(struct fsm *f);
/* Open event: administrative open. */
void fsm_open(struct fsm *f);
/* Close event: administrative close; reason is kept in f->reason (may be NULL). */
void fsm_close(struct fsm *f, const char *reason);
/* The restart timer the owner armed has fired. */
void fsm_timeout(struct fsm *f);
/* One control packet (Code field first); untrusted, any length. */
void fsm_input(struct fsm *f, const uint8_t *pkt, size_t len);
/* The peer rejected this protocol (LCP Protocol-Reject): an RXJ- event. */
void fsm_protocol_rejected(struct fsm *f);
/* Send a control packet with this code and identifier; -1 when out of memory. */
int fsm_send(struct fsm *f, uint8_t code, uint8_t id, const void *data, size_t len);
/* A fresh identifier for a request packet. */
uint8_t fsm_next_id(struct fsm *f);
/* Raise an owner event (protocols use it for their own events). */
void fsm_event(struct fsm *f, int ev, uint32_t val);
/* Ask the owner for a random number. */
uint32_t fsm_rand32(struct fsm *f);
/* Name of a state, for logs and `show`. */
const char *fsm_state_name(enum fsm_state s);
/* Nak the peer's option orig (NULL when absent) with our suggestion of type/val. */
void fsm_cr_nak(struct fsm_cr *cr, const struct ppp_opt *orig, uint8_t type,
		const void *val, size_t len);
/* Reject the peer's option, copied verbatim. */
void fsm_cr_rej(struct fsm_cr *cr, const struct ppp_opt *orig);

#endif
