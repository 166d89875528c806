/*
 * The data path between a bundle's system interface and its links. The
 * `user` backend moves packets itself through a TUN device; the bundle
 * sees only this interface, so a kernel backend can replace it later.
 */
#ifndef MPD_DP_H
#define MPD_DP_H

#include <stddef.h>
#include <event2/event.h>

struct pbuf;
struct dp_iface;

/* What the data path calls back with. */
struct dp_iface_ops {
	/* A packet the system sent into the interface (an IPv4/IPv6 datagram); callee owns b. */
	void (*from_iface)(void *arg, struct pbuf *b);
};

/* Create the interface `name` and start reading it; NULL with a message in err. */
struct dp_iface *dp_iface_new(struct event_base *base, const char *name,
			      const struct dp_iface_ops *ops, void *arg, char *err, size_t errlen);
/* Stop reading and remove the interface; NULL is ignored. */
void dp_iface_free(struct dp_iface *di);
/* The interface's name as the kernel has it. */
const char *dp_iface_name(const struct dp_iface *di);
/* Deliver a packet from the peer to the system; consumes b; -1 when it was dropped. */
int dp_iface_write(struct dp_iface *di, struct pbuf *b);

#endif
