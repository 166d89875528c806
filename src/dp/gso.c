#include "dp/gso.h"

#include <string.h>

#include "core/byteorder.h"
#include "dp/csum.h"

#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17
#define TCP_FIN 0x01
#define TCP_PSH 0x08
#define TCP_CWR 0x80

/* A plain packet: copied as is, with a partial checksum finished when asked. */
static int init_plain(struct gso_iter *g, const struct virtio_net_hdr *vh)
{
	if (vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		size_t start = vh->csum_start, pos = (size_t)vh->csum_start + vh->csum_offset;
		if (start >= g->len || pos + 2 > g->len)
			return -1;
		g->csum = true;
		g->csum_start = start;
		g->csum_pos = pos;
	}
	g->nsegs = 1;
	return 1;
}

/* Locate the IP and L4 headers of a super-packet; -1 unless it is plain TCP or UDP (proto). */
static int parse_l4(struct gso_iter *g, bool v6, uint8_t proto)
{
	const uint8_t *p = g->pkt;

	if (v6) {
		if (g->len < 40 || (p[0] >> 4) != 6 || p[6] != proto)
			return -1;
		g->l3 = 40;
	} else {
		if (g->len < 20 || (p[0] >> 4) != 4 || p[9] != proto)
			return -1;
		g->l3 = (size_t)(p[0] & 0x0f) * 4;
		/* A fragment can't be segmented: its L4 header is elsewhere. */
		if (g->l3 < 20 || (get16(p + 6) & 0x3fff) != 0)
			return -1;
	}
	size_t l4 = 8;
	if (proto == IPPROTO_TCP_) {
		if (g->l3 + 20 > g->len)
			return -1;
		l4 = (size_t)(p[g->l3 + 12] >> 4) * 4;
		if (l4 < 20)
			return -1;
	}
	if (g->l3 + l4 > g->len)
		return -1;
	g->hlen = g->l3 + l4;
	g->v6 = v6;
	g->udp = proto == IPPROTO_UDP_;
	g->seq = g->udp ? 0 : get32(p + g->l3 + 4);
	g->ipid = v6 ? 0 : get16(p + 4);
	return 0;
}

int gso_init(struct gso_iter *g, const struct virtio_net_hdr *vh, const uint8_t *pkt, size_t len,
	     size_t mtu)
{
	memset(g, 0, sizeof(*g));
	g->pkt = pkt;
	g->len = len;
	if (len == 0 || len > 0xffff + 40)
		return -1;
	uint8_t type = vh->gso_type & (uint8_t)~VIRTIO_NET_HDR_GSO_ECN;
	if (type == VIRTIO_NET_HDR_GSO_NONE)
		return init_plain(g, vh);
	int rc;
	if (type == VIRTIO_NET_HDR_GSO_TCPV4 || type == VIRTIO_NET_HDR_GSO_TCPV6)
		rc = parse_l4(g, type == VIRTIO_NET_HDR_GSO_TCPV6, IPPROTO_TCP_);
	else if (type == VIRTIO_NET_HDR_GSO_UDP_L4)
		rc = parse_l4(g, len >= 1 && (pkt[0] >> 4) == 6, IPPROTO_UDP_);
	else
		return -1;
	if (vh->gso_size == 0 || rc < 0)
		return -1;
	g->seg = true;
	g->mss = vh->gso_size;
	/* Never exceed the link even if the kernel's MSS would. */
	if (mtu <= g->hlen)
		return -1;
	if (g->mss > mtu - g->hlen) {
		/* Datagram boundaries are the sender's: UDP can't be cut smaller. */
		if (g->udp)
			return -1;
		g->mss = mtu - g->hlen;
	}
	size_t payload = len - g->hlen;
	g->nsegs = payload == 0 ? 1 : (unsigned)((payload + g->mss - 1) / g->mss);
	return (int)g->nsegs;
}

static size_t next_plain(struct gso_iter *g, uint8_t *out, size_t cap)
{
	if (cap < g->len)
		return 0;
	memcpy(out, g->pkt, g->len);
	if (g->csum) {
		/* The field holds the pseudo-header sum: sum from csum_start over it and fold. */
		uint16_t c = (uint16_t)~csum_fold(csum_add(0, out + g->csum_start, g->len - g->csum_start));
		/* UDP sends an all-zero result as all ones (RFC 768). */
		if (c == 0)
			c = 0xffff;
		memcpy(out + g->csum_pos, &c, 2);
	}
	g->idx++;
	return g->len;
}

static void seg_headers(const struct gso_iter *g, uint8_t *out, size_t seglen, bool last)
{
	uint8_t *th = out + g->l3;
	uint8_t *ip = out;

	memcpy(out, g->pkt, g->hlen);
	if (g->v6) {
		put16(ip + 4, (uint16_t)(g->hlen - g->l3 + seglen));
	} else {
		put16(ip + 2, (uint16_t)(g->hlen + seglen));
		put16(ip + 4, (uint16_t)(g->ipid + g->idx));
		csum_ip4_set(ip, g->l3);
	}
	if (g->udp) {
		put16(th + 4, (uint16_t)(8 + seglen));
		th[6] = th[7] = 0;
		return;
	}
	put32(th + 4, g->seq + (uint32_t)(g->idx * g->mss));
	if (!last)
		th[13] &= (uint8_t)~(TCP_FIN | TCP_PSH);
	if (g->idx > 0)
		th[13] &= (uint8_t)~TCP_CWR;
	th[16] = th[17] = 0;
}

static size_t next_seg(struct gso_iter *g, uint8_t *out, size_t cap)
{
	size_t left = g->len - g->hlen - g->off;
	size_t seglen = left < g->mss ? left : g->mss;
	bool last = g->idx + 1 == g->nsegs;

	if (cap < g->hlen + seglen)
		return 0;
	seg_headers(g, out, seglen, last);
	size_t tcplen = g->hlen - g->l3 + seglen; /* TCP or UDP length */
	size_t alen = g->v6 ? 16 : 4;
	const uint8_t *src = g->v6 ? out + 8 : out + 12;
	uint8_t proto = g->udp ? IPPROTO_UDP_ : IPPROTO_TCP_;
	uint64_t sum = csum_pseudo(src, src + alen, alen, proto, (uint32_t)tcplen);
	sum = csum_add(sum, out + g->l3, g->hlen - g->l3);
	sum = csum_copy(sum, out + g->hlen, g->pkt + g->hlen + g->off, seglen);
	uint16_t c = (uint16_t)~csum_fold(sum);
	/* UDP sends an all-zero result as all ones (RFC 768). */
	if (g->udp && c == 0)
		c = 0xffff;
	memcpy(out + g->l3 + (g->udp ? 6 : 16), &c, 2);
	g->off += seglen;
	g->idx++;
	return g->hlen + seglen;
}

size_t gso_next(struct gso_iter *g, uint8_t *out, size_t cap)
{
	if (g->idx >= g->nsegs)
		return 0;
	return g->seg ? next_seg(g, out, cap) : next_plain(g, out, cap);
}
