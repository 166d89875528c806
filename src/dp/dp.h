/*
 * The data path between a bundle's system interface and its links. The
 * `user` backend moves packets itself through a TUN device; the bundle
 * sees only this interface, so a kernel backend can replace it later.
 *
 * The fast path: a bundle whose IP packets all go to one device session
 * without per-packet PPP processing (one link, no multilink, compression
 * or encryption) binds that session here. From then on IP packets read
 * from the interface are cut to the session's MTU (dp/gso.h), given the
 * session's prebuilt encapsulation and sent in batches on its socket, and
 * the device hands the session's received IP packets straight back in
 * batches (dp_iface_deliver), coalesced on the way in (dp/gro.h). The
 * layers bypassed keep their counters through the pointers in the binding.
 */
#ifndef MPD_DP_H
#define MPD_DP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <event2/event.h>

#include "dp/gro.h"

struct pbuf;
struct dp_iface;

/* dp_iface_new flags. DP_FAST: TUN offloads and the fast path (else one plain packet per read/write). */
#define DP_FAST 0x1u

#define DP_HDR_MAX 32  /* encapsulation bytes a binding may prepend */
#define DP_NCOUNT 3    /* layers a binding keeps counters for */

/* What the data path calls back with. */
struct dp_iface_ops {
	/* A packet the system sent into the interface (an IPv4/IPv6 datagram); callee owns b. */
	void (*from_iface)(void *arg, struct pbuf *b);
};

/* Frame and octet counters of one bypassed layer; NULL pointers are skipped. */
struct dp_count {
	uint64_t *frames, *octets;
	unsigned extra;         /* bytes the layer counts on top of the IP packet (its headers) */
};

/* A session the fast path sends IPv4 packets on, filled by bundle, link and device in turn. */
struct dp_bind {
	int fd;                 /* bound socket taking one whole frame per message */
	uint8_t hdr[DP_HDR_MAX]; /* prepended to every IP packet */
	size_t hdr_len;
	size_t len_off;         /* 16-bit big-endian length field in hdr */
	unsigned len_adj;       /* written there: IP length + len_adj */
	unsigned mtu;           /* largest IP packet the session carries */
	unsigned rx_proto_len;  /* received IP frames carry a 1- or 2-byte PPP protocol field */
	struct dp_count tx[DP_NCOUNT], rx[DP_NCOUNT];
	unsigned ntx, nrx;
	bool *rx_seen;          /* set on receive (keep-alive), may be NULL */
	uint64_t *tx_drops;     /* frames the socket refused, may be NULL */
};

/* What the fast path did, for `show iface` and the tests. */
struct dp_stats {
	uint64_t gso_pkts, gso_segs;   /* super-packets read and the packets cut from them */
	uint64_t tx_frames, tx_batches, tx_drops;
	uint64_t rx_pkts, gro_writes, gro_segs, rx_drops; /* gro_*: merged writes and their packets */
};

/* Create the interface `name` and start reading it; NULL with a message in err. */
struct dp_iface *dp_iface_new(struct event_base *base, const char *name, unsigned flags,
			      const struct dp_iface_ops *ops, void *arg, char *err, size_t errlen);
/* Stop reading and remove the interface; NULL is ignored. */
void dp_iface_free(struct dp_iface *di);
/* The interface's name as the kernel has it. */
const char *dp_iface_name(const struct dp_iface *di);
/* The interface was renamed (the TUN's descriptor, and so any binding, is unchanged). */
void dp_iface_renamed(struct dp_iface *di, const char *name);
/* Deliver a packet from the peer to the system; consumes b; -1 when it was dropped. */
int dp_iface_write(struct dp_iface *di, struct pbuf *b);
/* Install the fast-path binding (copied); -1 when this interface has no fast path. */
int dp_iface_bind(struct dp_iface *di, const struct dp_bind *bind);
/* Remove the binding, if any: packets take the ops path again. */
void dp_iface_unbind(struct dp_iface *di);
/* True while a binding is installed. */
bool dp_iface_bound(const struct dp_iface *di);
/* IPv4 packets received for the bound session, in order; written (coalesced) before return. */
void dp_iface_deliver(struct dp_iface *di, struct gro_pkt *pkts, size_t n);
/* The fast path's counters since the interface was made. */
const struct dp_stats *dp_iface_stats(const struct dp_iface *di);

#endif
