/*
 * A PACKET_TX_RING for the fast path: frames are built straight in memory
 * shared with the kernel, which sends every frame marked ready on one
 * send() call and takes their data by reference rather than copying it.
 * One ring per Ethernet interface, on a socket of its own (bound to no
 * protocol, so it receives nothing), shared by the sessions on it; the
 * event loop runs one callback at a time, so no locking.
 */
#ifndef MPD_DP_TXRING_H
#define MPD_DP_TXRING_H

#include <stddef.h>
#include <stdint.h>

struct dp_txring {
	int fd;                 /* -1: no ring */
	uint8_t *mem;
	size_t len;
	unsigned frame_size, nframes, cur;
	size_t room;            /* frame bytes a slot takes */
	unsigned pending;       /* frames marked ready since the last kick */
};

/* Open a ring sending on interface ifindex; -1 with t->fd == -1 when the kernel refuses. */
int dp_txring_open(struct dp_txring *t, int ifindex);
/* Close the ring, if any; t->fd becomes -1. */
void dp_txring_close(struct dp_txring *t);
/* Where the next frame goes (room bytes), or NULL while the kernel still holds every slot. */
uint8_t *dp_txring_slot(struct dp_txring *t);
/* Mark the frame dp_txring_slot gave (len bytes) ready and move on. */
void dp_txring_commit(struct dp_txring *t, size_t len);
/* Have the kernel send the ready frames; 0 or -errno (frames it could not take stay ready). */
int dp_txring_kick(struct dp_txring *t);

#endif
