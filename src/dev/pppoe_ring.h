/*
 * A PACKET_RX_RING (TPACKET_V3) on a session socket: the kernel fills
 * blocks of frames in shared memory and wakes the reader once per block
 * (when it is full or a short timeout retires it), so a busy session
 * costs no receive syscall per frame. Packet taps (tcpdump) still see
 * every frame: the ring only changes how this socket receives.
 */
#ifndef MPD_PPPOE_RING_H
#define MPD_PPPOE_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One mapped ring; all zero when the socket has none. */
struct pppoe_ring {
	uint8_t *mem;
	size_t len;
	unsigned block_size, nblocks, cur;
};

/* One received frame, pointing into a block the reader owns. */
struct pppoe_ring_frame {
	const uint8_t *p;
	size_t len;
	bool truncated;
	uint8_t pkttype;        /* PACKET_HOST, ... */
};

/* Set up and map a ring on the bound packet socket fd; -1 (ring left unset) when the kernel refuses. */
int pppoe_ring_open(struct pppoe_ring *r, int fd);
/* Unmap the ring, if any. */
void pppoe_ring_close(struct pppoe_ring *r);
/* The next block the kernel has handed over, or NULL; its frames stay valid until pppoe_ring_release. */
void *pppoe_ring_block(struct pppoe_ring *r);
/* How many frames the block holds. */
unsigned pppoe_ring_count(const void *blk);
/*
 * The frame after *cursor in blk (the first when *cursor is NULL); false
 * at the end or when the block's layout is inconsistent.
 */
bool pppoe_ring_next(const struct pppoe_ring *r, const void *blk, const void **cursor, unsigned *left,
		     struct pppoe_ring_frame *f);
/* Give blk back to the kernel and move on to the next block. */
void pppoe_ring_release(struct pppoe_ring *r, void *blk);

#endif
