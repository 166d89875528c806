/* Internals of the user data path shared by its files. */
#ifndef MPD_DP_VAR_H
#define MPD_DP_VAR_H

#include <net/if.h>

#include "dp/dp.h"

/* Packets read per wake-up: bounded so one bundle can't monopolise the loop. */
#define DP_READ_BATCH 32
/* Bytes per frame the fast path builds: larger sessions (RFC 4638 jumbo) keep the ordinary path. */
#define TX_SLOT_SIZE 2048
/* Room for one read in offload mode: the header and a 64 KiB super-packet. */
#define DP_READ_MAX (sizeof(struct virtio_net_hdr) + 65536 + 64)

struct dp_iface {
	int fd;
	unsigned flags;         /* DP_FAST */
	unsigned gro_flags;     /* GRO_UDP when the device takes USO */
	char name[IFNAMSIZ];
	struct event *ev;
	const struct dp_iface_ops *ops;
	void *arg;
	bool bound;
	struct dp_bind bind;
	struct dp_stats st;
};

/* fast.c */
/* Read up to DP_READ_BATCH packets of a bound interface and send them as batches of frames. */
void dp_fast_read(struct dp_iface *di);
/* A packet read in offload mode that takes the ops path: cut, checksummed, one pbuf each. */
void dp_slow_packet(struct dp_iface *di, const uint8_t *rd, size_t n);

#endif
