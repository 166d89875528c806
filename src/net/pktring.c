#include "net/pktring.h"

#include <linux/if_packet.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>

/*
 * 16 blocks of 256 KiB: as much as the 4 MiB socket buffer used without a
 * ring. A block holds ~170 full-size frames, so a busy session is woken
 * about every 0.5 ms; the 1 ms retire timeout bounds the delay a lone
 * frame (an echo, a keep-alive, a TCP ACK) waits in a partial block.
 */
#define RING_BLOCK_SIZE (1u << 18)
#define RING_BLOCKS 16u
#define RING_FRAME_HINT 2048u   /* V3 frames are variable; the kernel only checks the arithmetic */
#define RING_RETIRE_MS 1u

int pktring_open(struct pktring *r, int fd)
{
	int v = TPACKET_V3;
	struct tpacket_req3 req = {
		.tp_block_size = RING_BLOCK_SIZE,
		.tp_block_nr = RING_BLOCKS,
		.tp_frame_size = RING_FRAME_HINT,
		.tp_frame_nr = RING_BLOCK_SIZE / RING_FRAME_HINT * RING_BLOCKS,
		.tp_retire_blk_tov = RING_RETIRE_MS,
	};

	memset(r, 0, sizeof(*r));
	if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) < 0)
		return -1;
	if (setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) < 0)
		goto back;
	size_t len = (size_t)RING_BLOCK_SIZE * RING_BLOCKS;
	/* Kernel pages, never swapped: no MAP_LOCKED, so an idle ring adds nothing to our RSS. */
	void *mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (mem == MAP_FAILED) {
		struct tpacket_req3 none = {0};
		(void)setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &none, sizeof(none));
		goto back;
	}
	r->mem = mem;
	r->len = len;
	r->block_size = RING_BLOCK_SIZE;
	r->nblocks = RING_BLOCKS;
	return 0;
back:
	/* recvmsg on a V3 socket without a ring behaves as V1: fine, but say what we use. */
	v = TPACKET_V1;
	(void)setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v));
	return -1;
}

void pktring_close(struct pktring *r)
{
	if (r->mem != NULL)
		munmap(r->mem, r->len);
	memset(r, 0, sizeof(*r));
}

void *pktring_block(struct pktring *r)
{
	struct tpacket_block_desc *b = (void *)(r->mem + (size_t)r->cur * r->block_size);

	if (r->mem == NULL || !(__atomic_load_n(&b->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
		return NULL;
	return b;
}

unsigned pktring_count(const void *blk)
{
	const struct tpacket_block_desc *b = blk;

	return b->hdr.bh1.num_pkts;
}

bool pktring_next(const struct pktring *r, const void *blk, const void **cursor, unsigned *left,
		     struct pktring_frame *f)
{
	const struct tpacket_block_desc *b = blk;
	const uint8_t *base = blk;
	size_t off;

	if (*left == 0)
		return false;
	if (*cursor == NULL) {
		off = b->hdr.bh1.offset_to_first_pkt;
	} else {
		const struct tpacket3_hdr *prev = *cursor;
		if (prev->tp_next_offset == 0)
			return false;
		off = (size_t)((const uint8_t *)prev - base) + prev->tp_next_offset;
	}
	/* The kernel wrote these offsets, but a bad one would read outside the map: check anyway. */
	size_t sll_at = off + TPACKET_ALIGN(sizeof(struct tpacket3_hdr));
	if (sll_at + sizeof(struct sockaddr_ll) > r->block_size)
		return false;
	const struct tpacket3_hdr *h = (const void *)(base + off);
	const struct sockaddr_ll *sll = (const void *)(base + sll_at);
	if ((size_t)off + h->tp_mac + h->tp_snaplen > r->block_size)
		return false;
	f->p = base + off + h->tp_mac;
	f->len = h->tp_snaplen;
	f->truncated = h->tp_snaplen < h->tp_len;
	f->pkttype = sll->sll_pkttype;
	*cursor = h;
	(*left)--;
	return true;
}

void pktring_release(struct pktring *r, void *blk)
{
	struct tpacket_block_desc *b = blk;

	__atomic_store_n(&b->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
	r->cur = (r->cur + 1) % r->nblocks;
}
