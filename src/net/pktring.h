/*
 * A PACKET_RX_RING (TPACKET_V3) on a session socket: the kernel fills
 * blocks of frames in shared memory and wakes the reader once per block
 * (when it is full or a short timeout retires it), so a busy session
 * costs no receive syscall per frame. Packet taps (tcpdump) still see
 * every frame: the ring only changes how this socket receives.
 */
#ifndef MPD_NET_PKTRING_H
#define MPD_NET_PKTRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One mapped ring; all zero when the socket has none. */
struct pktring {
	uint8_t *mem;
	size_t len;
	unsigned block_size, nblocks, cur;
};

/* One received frame, pointing into a block the reader owns. */
struct pktring_frame {
	const uint8_t *p;
	size_t len;
	bool truncated;
	uint8_t pkttype;        /* PACKET_HOST, ... */
};

/* Set up and map a ring on the bound packet socket fd; -1 (ring left unset) when the kernel refuses. */
int pktring_open(struct pktring *r, int fd);
/* Unmap the ring, if any. */
void pktring_close(struct pktring *r);
/* The next block the kernel has handed over, or NULL; its frames stay valid until pktring_release. */
void *pktring_block(struct pktring *r);
/* How many frames the block holds. */
unsigned pktring_count(const void *blk);
/*
 * The frame after *cursor in blk (the first when *cursor is NULL); false
 * at the end or when the block's layout is inconsistent.
 */
bool pktring_next(const struct pktring *r, const void *blk, const void **cursor, unsigned *left,
		     struct pktring_frame *f);
/* Give blk back to the kernel and move on to the next block. */
void pktring_release(struct pktring *r, void *blk);

#endif
