/*
 * LCP (RFC 1661, 1570): link options on top of the shared automaton, plus
 * Echo, Discard, Protocol-Reject, Identification and Time-Remaining.
 *
 * MRU decisions: we announce conf.mru. A peer's Nak of our MRU is taken
 * when it lies in [LCP_MIN_MRU, conf.max_mru]; a Nak carrying our own
 * value makes us stop sending the option (the Windows 2000 PPPoE quirk).
 * The peer's MRU is never Nak'ed for being larger than we send: it only
 * says what the peer can receive, and we send min(peer MRU, conf.mtu)
 * (lcp_neg.mtu), as in commands.md §9 and §11.1. Only a peer MRU below
 * LCP_MIN_MRU is Nak'ed, with LCP_MIN_MRU.
 *
 * Multilink (RFC 1990): with LCP_O_MULTILINK enabled we ask for MRRU and
 * send our endpoint discriminator, plus SSN when LCP_O_SHORTSEQ is enabled;
 * the peer's MRRU is accepted only with LCP_O_MULTILINK (else Rejected),
 * its SSN only when LCP_O_SHORTSEQ is also accepted. A Reject of our MRRU
 * means no multilink on this link, so SSN goes with it. Multilink is in
 * effect only when MRRU went both ways (a one-way MRRU is treated as none,
 * as pppd does). The peer's discriminator is recorded when it parses,
 * Rejected when it does not, and never Nak'ed (RFC 1990 §11.4).
 */
#ifndef MPD_PPP_LCP_H
#define MPD_PPP_LCP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/optset.h"
#include "ppp/fsm.h"
#include "ppp/mp.h"

#define LCP_MIN_MRU 296
#define LCP_DEFAULT_MRU 1500
#define LCP_LOOPBACK_MAX 5	/* magic collisions before we call it a loopback */
#define LCP_MAX_MRRU 4096	/* largest MRRU we take from a Nak (commands.md §9) */

/* LCP option types (RFC 1661, 1570, 1990). */
enum lcp_opt_type {
	LCP_MRU = 1,
	LCP_ACCM = 2,
	LCP_AUTHPROTO = 3,
	LCP_QUALPROTO = 4,
	LCP_MAGIC = 5,
	LCP_PFC = 7,
	LCP_ACFC = 8,
	LCP_CALLBACK = 13,
	LCP_MRRU = 17,
	LCP_SHORTSEQ = 18,
	LCP_EPDISC = 19,
};

/* Link option bits in lcp_conf.opts (enable = we want it, accept = peer may). */
enum lcp_optbit {
	LCP_O_PAP,
	LCP_O_CHAPMD5,
	LCP_O_CHAPMSV1,
	LCP_O_CHAPMSV2,
	LCP_O_EAP,
	LCP_O_ACFCOMP,
	LCP_O_PROTOCOMP,
	LCP_O_MAGICNUM,
	LCP_O_CHECKMAGIC,
	LCP_O_PASSIVE,
	LCP_O_CALLBACK,
	LCP_O_NOORIGAUTH,
	LCP_O_MULTILINK,
	LCP_O_SHORTSEQ,
};

/* Authentication protocols, in mpd's order of preference (best first). */
enum lcp_auth {
	LCP_AUTH_NONE = -1,
	LCP_AUTH_CHAPMSV2 = 0,
	LCP_AUTH_CHAPMSV1,
	LCP_AUTH_CHAPMD5,
	LCP_AUTH_PAP,
	LCP_AUTH_EAP,
	LCP_AUTH_N
};

/* LCP events for the owner (fsm_owner.event), besides the layer events. */
enum lcp_ev {
	LCP_EV_LOOPBACK = FSM_EV_PROTO,	/* the link seems looped back */
	LCP_EV_PROTREJ,			/* val = protocol the peer rejected */
	LCP_EV_IDENT,			/* peer's Identification, in lcp->peer_ident */
	LCP_EV_TIMEREMAIN,		/* val = seconds the peer says remain */
};

/* What the owner fills from `set link` (commands.md §9). */
struct lcp_conf {
	const char *name;	/* link name for logs */
	uint16_t mru;		/* MRU we announce */
	uint16_t max_mru;	/* largest MRU we can receive: the device maximum */
	uint16_t mtu;		/* largest frame we send (caps the peer's MRU) */
	uint32_t accmap;	/* control characters we ask the peer to escape */
	bool async;		/* device uses HDLC-like async framing (ACCM applies) */
	bool originated;	/* we placed the call (callback, no-orig-auth) */
	unsigned timeout;	/* fsm-timeout, seconds */
	unsigned ka_sec;	/* keep-alive interval; 0 disables */
	unsigned ka_max;	/* fail after this many quiet seconds */
	uint16_t mrru;		/* MRRU we announce with multilink (`set link mrru`) */
	struct mp_epdisc disc;	/* our endpoint discriminator, sent with multilink */
	struct optset opts;	/* LCP_O_* bits */
};

/* Result of the negotiation (valid once Opened). */
struct lcp_neg {
	uint16_t mru;		/* our MRU the peer acked */
	uint16_t peer_mru;	/* the peer's MRU we acked */
	uint16_t mtu;		/* what we send: min(peer_mru, conf.mtu) */
	uint32_t accm_recv;	/* our ACCM (peer escapes these toward us) */
	uint32_t accm_xmit;	/* the peer's ACCM (we escape these) */
	enum lcp_auth auth_peer; /* auth we require from the peer */
	enum lcp_auth auth_self; /* auth the peer requires from us */
	uint32_t magic;		/* ours, 0 when not negotiated */
	uint32_t peer_magic;	/* the peer's, 0 when not negotiated */
	bool pfc_recv, pfc_xmit;   /* peer may compress toward us / we may compress */
	bool acfc_recv, acfc_xmit;
	bool callback;		/* peer agreed to call back */
	/* Multilink (RFC 1990 §5.1); an option in X's request says what X receives. */
	bool mrru_recv;		/* the peer acked our MRRU: it may send us MP */
	bool mrru_xmit;		/* we acked the peer's MRRU: we may send MP */
	uint16_t mrru;		/* our MRRU the peer acked */
	uint16_t peer_mrru;	/* the peer's MRRU we acked */
	bool ssn_recv;		/* the peer acked our SSN: we receive 12-bit headers */
	bool ssn_xmit;		/* we acked the peer's SSN: we send 12-bit headers */
	bool peer_disc_set;	/* the peer sent an endpoint discriminator */
	struct mp_epdisc peer_disc;
};

/* What we still ask for in our Configure-Request. */
struct lcp_want {
	bool mru, accm, auth, magic, pfc, acfc, callback;
	bool mrru, ssn, disc;
	uint16_t mru_val;
	uint16_t mrru_val;
	uint32_t accm_val;
	enum lcp_auth auth_val;
	uint32_t magic_val;
};

struct lcp {
	struct fsm fsm;
	struct lcp_conf conf;
	struct lcp_want want;
	struct lcp_neg neg;
	unsigned loops;		/* consecutive magic collisions */
	bool loop_pending;	/* report a loopback once the packet is handled */
	unsigned quiet;		/* keep-alive intervals without input */
	bool echo_seen;		/* an Echo-Reply came since the last keep-alive tick */
	char peer_ident[256];	/* last Identification text from the peer */
	uint32_t peer_time_remaining;
};

/* Set up LCP in the Initial state with its configuration and owner. */
void lcp_init(struct lcp *l, const struct lcp_conf *conf, const struct fsm_owner *owner);
/* One LCP packet from the link. */
void lcp_input(struct lcp *l, const uint8_t *pkt, size_t len);
/* Send Protocol-Reject for a frame (protocol field first) of a protocol we do not run. */
int lcp_send_protrej(struct lcp *l, const uint8_t *frame, size_t len);
/* Send an Identification packet carrying text (RFC 1570). */
int lcp_send_ident(struct lcp *l, const char *text);
/* Send Time-Remaining with seconds left and an optional text (RFC 1570). */
int lcp_send_time_remaining(struct lcp *l, uint32_t seconds, const char *text);
/* Keep-alive tick every conf.ka_sec: sends Echo-Request after a quiet interval; -1 on echo timeout. */
int lcp_keepalive(struct lcp *l, bool rx_seen);
/* Protocol number of an auth method (PROTO_PAP, PROTO_CHAP, ...). */
uint16_t lcp_auth_proto(enum lcp_auth a);
/* Name of an auth method for logs ("PAP", "CHAP-MD5", ...). */
const char *lcp_auth_name(enum lcp_auth a);
/* True when multilink was negotiated both ways (MRRU acked in each direction). */
bool lcp_multilink(const struct lcp_neg *n);

#endif
