/*
 * Multilink PPP (RFC 1990) for one bundle: fragmenting outgoing packets
 * across the member links, reassembling incoming fragments, and the
 * Endpoint Discriminator codec. No I/O: the bundle hands in packets, link
 * changes and timer expiries; fragments to send, reassembled packets and
 * timer requests go out through struct mp_owner.
 *
 * Links are identified by a slot 0..MP_MAX_LINKS-1 the owner chooses.
 *
 * Sending (mp_output). One sequence space per bundle, 24 or 12 bits.
 * Each link has a virtual "busy until" time: the moment the bytes already
 * handed to it have left at its `set link bandwidth`, so a link's backlog
 * drains by the owner's clock. A fragment of x bytes given to link i now
 * arrives at
 *	start_i + latency_i + x / rate_i,	start_i = max(now, busy_i).
 * A packet is split so that every link used finishes at the same arrival
 * time T ("water filling"): links are taken in order of start_i +
 * latency_i, and link i gets rate_i * (T - start_i - latency_i) bytes,
 * with T chosen so the shares add up to the packet. A slow or far link
 * whose earliest arrival is after T gets nothing. Then:
 *  - a share above the link's room (mtu minus MP header) is cut to the
 *    room and the rest spread over the others again;
 *  - while a used link's share is below MP_MIN_FRAG bytes (and more than
 *    one link is used) that link is dropped and the split recomputed, so
 *    a small packet goes whole on the link where it arrives first;
 *  - if the packet is larger than one fragment on every link, each round
 *    places one fragment per link, advances the virtual busy times, and
 *    the rest goes in further rounds (this is also how multilink on a
 *    single link carries packets larger than the link's MTU).
 * Fragments are numbered in order of their link's arrival time, earliest
 * first, so the receiver sees them roughly in sequence.
 * Round-robin mode sends each packet whole (B=E=1, still with an MP
 * header, more fragments only if it exceeds the link's room) on the next
 * link in turn.
 *
 * Receiving (mp_input). Sequence numbers are widened to 64 bits against
 * the highest one seen (serial-number arithmetic), so wrap needs no care.
 * Fragments wait in a queue sorted by sequence. A packet is delivered
 * when its fragments B..E are all there and every earlier packet has been
 * delivered or given up. M (RFC 1990 §4.2) is the minimum over the member
 * links of the last sequence number each received; it is known once every
 * member link has received a fragment. A missing sequence number below M
 * can never arrive (each link's numbers only grow), so the packet it
 * belonged to is dropped (stats: reasm_lost). A link leaving removes its
 * term from M, which may let M advance. Against links that go quiet,
 * a missing number is also given up once a later fragment has waited
 * conf.reasm_timeout_ms (stats: timeouts), and the queue holds at most
 * conf.reasm_max_frags fragments: beyond that the lowest-numbered one is
 * dropped (stats: reasm_dropped_frags). Fragments already passed and
 * repeats of queued ones are dropped (stats: dup_frags). Before the first
 * packet is delivered or dropped the receiver is not synchronised: the
 * lowest sequence number queued is taken as the start.
 */
#ifndef MPD_PPP_MP_H
#define MPD_PPP_MP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pbuf;

#define MP_MAX_LINKS 16
/* Most fragments one packet is cut into; a packet needing more is dropped. */
#define MP_MAX_FRAGS 128
/* Smallest fragment payload the scheduler makes on purpose. */
#define MP_MIN_FRAG 64
/* Header lengths of the long (24-bit) and short (12-bit) formats. */
#define MP_HDR_LONG 4
#define MP_HDR_SHORT 2

/* The RFC 1990 fragment header. */
struct mp_hdr {
	bool begin, end;
	uint32_t seq;
};

/* Parse a fragment header; header length, or -1 when too short. Reserved bits are ignored. */
int mp_hdr_decode(const uint8_t *p, size_t len, bool shortseq, struct mp_hdr *h);
/* Write a header (reserved bits zero, seq masked to 12/24 bits); returns 2 or 4. */
size_t mp_hdr_encode(uint8_t *p, bool shortseq, const struct mp_hdr *h);

/* What the scheduler needs to know about one member link. */
struct mp_link_param {
	uint32_t bandwidth;	/* bit/s, `set link bandwidth`; 0 = 64000 */
	uint32_t latency;	/* usec, `set link latency` */
	unsigned mtu;		/* largest MP header + fragment data the link carries (peer MRU) */
};

struct mp_conf {
	const char *name;		/* bundle name for logs */
	bool tx_shortseq;		/* peer accepted our SSN: we send 12-bit headers */
	bool rx_shortseq;		/* we accepted the peer's SSN: we receive 12-bit headers */
	unsigned peer_mrru;		/* largest packet (without its protocol field) the peer reassembles */
	unsigned mrru;			/* largest packet (without its protocol field) we reassemble */
	bool round_robin;		/* whole packets, one link after another */
	unsigned reasm_timeout_ms;	/* give up a missing fragment after this; 0 = 1000 */
	size_t reasm_max_frags;		/* bound of the reassembly queue; 0 = 64 per member link */
	uint32_t tx_seq_start;		/* first sequence number we send (normally 0) */
};

struct mp_owner {
	void *arg;
	/* Send one fragment (MP header + data, PBUF_HEADROOM in front; the owner adds
	 * PPP protocol 0x003d and link framing) on link slot `slot`; the owner frees it. */
	void (*send)(void *arg, int slot, struct pbuf *frag);
	/* A reassembled packet (PPP protocol field + payload, as it was before fragmenting); the owner frees it. */
	void (*deliver)(void *arg, struct pbuf *pkt);
	/* (Re)arm the reassembly timer; 0 = stop. Expiry: mp_timeout(). */
	void (*timer)(void *arg, unsigned ms);
	/* Monotonic milliseconds, for scheduling and timeouts (tests pass a fake clock). */
	uint64_t (*now_ms)(void *arg);
};

struct mp;

/* A new multilink state with no member links; NULL on OOM. */
struct mp *mp_new(const struct mp_conf *c, const struct mp_owner *o);
/* Free it, with any queued fragments; NULL is ignored. Does not call the owner. */
void mp_free(struct mp *mp);
/* A link joined the bundle, or its parameters changed; -1 for a bad slot or an mtu without room. */
int mp_link_add(struct mp *mp, int slot, const struct mp_link_param *p);
/* A link left the bundle: it is no longer used and no longer holds M back. */
void mp_link_remove(struct mp *mp, int slot);
/* Number of member links. */
int mp_link_count(const struct mp *mp);
/* Fragment and send a packet (PPP protocol field + payload); consumed. Dropped when no link or too large. */
void mp_output(struct mp *mp, struct pbuf *pkt);
/* One fragment received on `slot` (the data after PPP protocol 0x003d); consumed; untrusted. */
void mp_input(struct mp *mp, int slot, struct pbuf *frag);
/* The reassembly timer fired. */
void mp_timeout(struct mp *mp);

struct mp_link_stats {
	uint64_t tx_frags, tx_octets, rx_frags, rx_octets;
};
struct mp_stats {
	uint64_t rx_packets, tx_packets;
	uint64_t reasm_dropped_frags;	/* queue overflow, oversized or malformed reassembly */
	uint64_t reasm_lost;		/* packets given up because a fragment was missing below M */
	uint64_t dup_frags;		/* repeats, or fragments already passed */
	uint64_t timeouts;		/* missing fragments given up by the timer */
	uint64_t tx_dropped;		/* packets not sent: no link, too large */
	uint64_t rx_discarded_frags;	/* fragments thrown away with a lost or dropped packet */
};
/* Counters of one slot (zeros for an unused slot); NULL for a bad slot. */
const struct mp_link_stats *mp_link_stats(const struct mp *mp, int slot);
/* Counters of the bundle. */
const struct mp_stats *mp_stats(const struct mp *mp);
/* Fragments waiting in the reassembly queue. */
size_t mp_reasm_queued(const struct mp *mp);

/*
 * The fragmentation plan for a packet of `len` bytes sent at `now_ms`,
 * without sending it (unit tests, `show bundle`): fragment i goes on slot
 * order[i] with bytes[i] bytes, in send order. Returns the number of
 * fragments, or -1 when there is no link or more than MP_MAX_FRAGS are needed.
 */
int mp_plan(const struct mp *mp, size_t len, uint64_t now_ms, int order[MP_MAX_FRAGS],
	    size_t bytes[MP_MAX_FRAGS]);

/* Endpoint Discriminator (LCP option 19, RFC 1990 §5.1.3). */
enum mp_epdisc_class {
	MP_EPD_NULL = 0,
	MP_EPD_LOCAL = 1,
	MP_EPD_IP = 2,
	MP_EPD_MAC = 3,
	MP_EPD_MAGIC = 4,
	MP_EPD_PSN = 5,
};
#define MP_EPDISC_MAX 20

struct mp_epdisc {
	uint8_t class;
	uint8_t len;
	uint8_t addr[MP_EPDISC_MAX];
};

/* Parse the option data (class + address); 0, or -1 for an unknown class or a length the class forbids. */
int mp_epdisc_decode(const uint8_t *p, size_t len, struct mp_epdisc *e);
/* Write the option data; bytes written, 0 when it does not fit or is invalid. */
size_t mp_epdisc_encode(uint8_t *p, size_t room, const struct mp_epdisc *e);
/* Same class and address. */
bool mp_epdisc_equal(const struct mp_epdisc *a, const struct mp_epdisc *b);
/* Readable form for logs and `show` ("ip 10.0.0.1", "mac 00:11:22:33:44:55", ...). */
void mp_epdisc_text(const struct mp_epdisc *e, char *buf, size_t len);

#endif
