/*
 * The fast path's batches. Sending: packets read from the TUN device are
 * cut (dp/gso.h) straight into frame slots behind the session's
 * encapsulation, so each byte is copied once, and the frames of a whole
 * read batch leave in sendmmsg calls. Receiving: the device's batch of IP
 * packets is coalesced (dp/gro.h) and written with one writev per merge,
 * from the device's receive buffers, without a copy.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "core/log.h"
#include "core/pbuf.h"
#include "dp/dp_var.h"
#include "dp/gso.h"
#include "net/tun.h"

/* Frames per sendmmsg; a 64 KiB super-packet of 1400-byte segments is 47. */
#define TX_SLOTS 64

/* One read batch's frames, on the stack of the read callback: nothing per session. */
struct tx_batch {
	unsigned n;
	struct mmsghdr msg[TX_SLOTS];
	struct iovec iov[TX_SLOTS];
	unsigned iplen[TX_SLOTS];
	uint8_t slot[TX_SLOTS][TX_SLOT_SIZE];
};

static void count(struct dp_count *c, unsigned nc, uint64_t frames, uint64_t octets)
{
	for (unsigned i = 0; i < nc; i++) {
		if (c[i].frames != NULL)
			*c[i].frames += frames;
		if (c[i].octets != NULL)
			*c[i].octets += octets + frames * c[i].extra;
	}
}

static void tx_flush(struct dp_iface *di, struct tx_batch *tb)
{
	unsigned sent = 0;
	uint64_t octets = 0;

	while (sent < tb->n) {
		int r = sendmmsg(di->bind.fd, tb->msg + sent, tb->n - sent, MSG_DONTWAIT);
		di->st.tx_batches++;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != ENOBUFS)
				log_msg(LG_PHYS2, di->name, "IFACE: fast path send: %s", strerror(errno));
			break;
		}
		sent += (unsigned)r;
	}
	for (unsigned i = 0; i < sent; i++)
		octets += tb->iplen[i];
	count(di->bind.tx, di->bind.ntx, sent, octets);
	di->st.tx_frames += sent;
	if (sent < tb->n) {
		di->st.tx_drops += tb->n - sent;
		if (di->bind.tx_drops != NULL)
			*di->bind.tx_drops += tb->n - sent;
	}
	tb->n = 0;
}

/* Room for the next frame, flushing a full batch first; the IP packet goes after the header. */
static uint8_t *tx_slot(struct dp_iface *di, struct tx_batch *tb)
{
	if (tb->n == TX_SLOTS)
		tx_flush(di, tb);
	return tb->slot[tb->n] + di->bind.hdr_len;
}

static void tx_commit(struct dp_iface *di, struct tx_batch *tb, size_t iplen)
{
	const struct dp_bind *bd = &di->bind;
	uint8_t *f = tb->slot[tb->n];
	unsigned plen = (unsigned)iplen + bd->len_adj;

	memcpy(f, bd->hdr, bd->hdr_len);
	f[bd->len_off] = (uint8_t)(plen >> 8);
	f[bd->len_off + 1] = (uint8_t)plen;
	tb->iov[tb->n] = (struct iovec){f, bd->hdr_len + iplen};
	memset(&tb->msg[tb->n], 0, sizeof(tb->msg[0]));
	tb->msg[tb->n].msg_hdr.msg_iov = &tb->iov[tb->n];
	tb->msg[tb->n].msg_hdr.msg_iovlen = 1;
	tb->iplen[tb->n] = (unsigned)iplen;
	tb->n++;
}

void dp_slow_packet(struct dp_iface *di, const uint8_t *rd, size_t n)
{
	struct virtio_net_hdr vh;
	struct gso_iter g;

	if (n < sizeof(vh))
		return;
	memcpy(&vh, rd, sizeof(vh));
	if (gso_init(&g, &vh, rd + sizeof(vh), n - sizeof(vh), 0xffff) < 0) {
		di->st.tx_drops++;
		return;
	}
	for (;;) {
		struct pbuf *b = pbuf_new(PBUF_HEADROOM, PBUF_SIZE);
		if (b == NULL)
			return;
		size_t len = gso_next(&g, b->data, pbuf_tailroom(b));
		if (len == 0) {
			pbuf_free(b);
			return;
		}
		b->len = len;
		di->ops->from_iface(di->arg, b);
	}
}

/* Cut one packet read from the device into frames of the batch. */
static void fast_packet(struct dp_iface *di, struct tx_batch *tb, const uint8_t *rd, size_t n)
{
	struct virtio_net_hdr vh;
	struct gso_iter g;
	size_t room = TX_SLOT_SIZE - di->bind.hdr_len;
	size_t mtu = di->bind.mtu < room ? di->bind.mtu : room;

	/* Not IPv4 (or too short to be): the bundle decides, as without the fast path. */
	if (n < sizeof(vh) + 20 || (rd[sizeof(vh)] >> 4) != 4) {
		dp_slow_packet(di, rd, n);
		return;
	}
	memcpy(&vh, rd, sizeof(vh));
	int segs = gso_init(&g, &vh, rd + sizeof(vh), n - sizeof(vh), mtu);
	if (segs < 0 || (segs == 1 && g.len > mtu)) {
		di->st.tx_drops++;
		if (di->bind.tx_drops != NULL)
			(*di->bind.tx_drops)++;
		return;
	}
	if (g.seg) {
		di->st.gso_pkts++;
		di->st.gso_segs += (unsigned)segs;
	}
	size_t len;
	while ((len = gso_next(&g, tx_slot(di, tb), room)) > 0)
		tx_commit(di, tb, len);
}

void dp_fast_read(struct dp_iface *di)
{
	/* On the stack: the loop runs one callback at a time, and idle sessions cost no memory. */
	struct tx_batch batch, *tb = &batch;
	uint8_t rd[DP_READ_MAX];

	tb->n = 0;
	for (int i = 0; i < DP_READ_BATCH && di->bound; i++) {
		ssize_t n = tun_read_buf(di->fd, rd, DP_READ_MAX);
		if (n < 0) {
			if (n != -EAGAIN && n != -EINTR)
				log_msg(LG_ERR, di->name, "IFACE: read: %s", strerror((int)-n));
			break;
		}
		fast_packet(di, tb, rd, (size_t)n);
	}
	/* The ops path may have unbound us (session down) mid-batch: then the frames are stale. */
	if (di->bound && tb->n > 0)
		tx_flush(di, tb);
}

void dp_iface_deliver(struct dp_iface *di, struct gro_pkt *pkts, size_t n)
{
	struct iovec iov[GRO_MAX_SEGS + 1];
	struct virtio_net_hdr vh;

	for (size_t i = 0; i < n;) {
		size_t k = gro_run(pkts + i, n - i, di->gro_flags);
		uint64_t octets = 0;
		for (size_t j = 0; j < k; j++)
			octets += pkts[i + j].len;
		size_t niov = gro_merge(pkts + i, k, &vh, iov + 1);
		iov[0] = (struct iovec){&vh, sizeof(vh)};
		if (tun_writev(di->fd, iov, (int)niov + 1) < 0) {
			di->st.rx_drops += k;
		} else if (k > 1) {
			di->st.gro_writes++;
			di->st.gro_segs += k;
		}
		di->st.rx_pkts += k;
		if (di->bound)
			count(di->bind.rx, di->bind.nrx, k, octets);
		i += k;
	}
	if (n > 0 && di->bound && di->bind.rx_seen != NULL)
		*di->bind.rx_seen = true;
}
