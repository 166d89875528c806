#include "dp/txring.h"

#include <errno.h>
#include <linux/if_packet.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

/* 512 slots of 2 KiB: eight 64 KiB super-packets' frames in flight. */
#define TXR_FRAME 2048u
#define TXR_BLOCK (1u << 16)
#define TXR_BLOCKS 16u
/* Where frame data starts in a slot (TPACKET_V2 without PACKET_TX_HAS_OFF). */
#define TXR_DATA TPACKET_ALIGN(sizeof(struct tpacket2_hdr))

static int txr_socket(struct dp_txring *t, int ifindex)
{
	int v = TPACKET_V2, one = 1, buf = 4 << 20;
	struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = 0, .sll_ifindex = ifindex};
	struct tpacket_req req = {.tp_block_size = TXR_BLOCK, .tp_block_nr = TXR_BLOCKS,
				  .tp_frame_size = TXR_FRAME, .tp_frame_nr = TXR_BLOCK / TXR_FRAME * TXR_BLOCKS};

	if ((t->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(t->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0 ||
	    setsockopt(t->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) < 0 ||
	    /* A frame the kernel rejects is skipped rather than stopping the ring. */
	    setsockopt(t->fd, SOL_PACKET, PACKET_LOSS, &one, sizeof(one)) < 0 ||
	    setsockopt(t->fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof(req)) < 0)
		return -1;
	(void)setsockopt(t->fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	t->len = (size_t)TXR_BLOCK * TXR_BLOCKS;
	void *mem = mmap(NULL, t->len, PROT_READ | PROT_WRITE, MAP_SHARED, t->fd, 0);
	if (mem == MAP_FAILED)
		return -1;
	t->mem = mem;
	t->frame_size = TXR_FRAME;
	t->nframes = req.tp_frame_nr;
	t->room = TXR_FRAME - TXR_DATA;
	return 0;
}

int dp_txring_open(struct dp_txring *t, int ifindex)
{
	memset(t, 0, sizeof(*t));
	if (txr_socket(t, ifindex) < 0) {
		int e = errno;
		dp_txring_close(t);
		errno = e;
		return -1;
	}
	return 0;
}

void dp_txring_close(struct dp_txring *t)
{
	if (t->mem != NULL)
		munmap(t->mem, t->len);
	if (t->fd >= 0)
		close(t->fd);
	memset(t, 0, sizeof(*t));
	t->fd = -1;
}

static struct tpacket2_hdr *txr_hdr(const struct dp_txring *t)
{
	return (struct tpacket2_hdr *)(void *)(t->mem + (size_t)t->cur * t->frame_size);
}

uint8_t *dp_txring_slot(struct dp_txring *t)
{
	struct tpacket2_hdr *h = txr_hdr(t);

	if (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_AVAILABLE)
		return NULL;
	return (uint8_t *)h + TXR_DATA;
}

void dp_txring_commit(struct dp_txring *t, size_t len)
{
	struct tpacket2_hdr *h = txr_hdr(t);

	h->tp_len = (uint32_t)len;
	__atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
	t->cur = (t->cur + 1) % t->nframes;
	t->pending++;
}

int dp_txring_kick(struct dp_txring *t)
{
	t->pending = 0;
	for (;;) {
		if (send(t->fd, NULL, 0, MSG_DONTWAIT) >= 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}
