#include "dp/gro.h"

#include <stdbool.h>
#include <string.h>

#include "core/byteorder.h"
#include "dp/csum.h"

#define TCP_ACK 0x10
#define TCP_PSH 0x08

#define PROTO_TCP 6
#define PROTO_UDP 17

/* Where a TCP segment's or UDP datagram's parts are. */
struct seg {
	bool v6, udp;
	size_t l3, hlen, plen;
	uint32_t seq;
	uint8_t flags;
};

/* Parse a plain UDP datagram (after the IP header) whose length agrees with len. */
static bool udp_parse(const uint8_t *p, size_t len, struct seg *s)
{
	if (s->l3 + 8 > len || get16(p + s->l3 + 4) != len - s->l3)
		return false;
	s->udp = true;
	s->hlen = s->l3 + 8;
	s->plen = len - s->hlen;
	s->seq = 0;
	s->flags = 0;
	return true;
}

/* Parse a plain TCP segment or UDP datagram whose length fields agree with len; false otherwise. */
static bool seg_parse(const uint8_t *p, size_t len, struct seg *s)
{
	uint8_t proto;

	if (len < 20)
		return false;
	if ((p[0] >> 4) == 4) {
		if (p[0] != 0x45 || get16(p + 2) != len || (get16(p + 6) & 0x3fff) != 0)
			return false;
		s->v6 = false;
		s->l3 = 20;
		proto = p[9];
	} else if ((p[0] >> 4) == 6) {
		if (len < 40 || (size_t)get16(p + 4) + 40 != len)
			return false;
		s->v6 = true;
		s->l3 = 40;
		proto = p[6];
	} else {
		return false;
	}
	if (proto == PROTO_UDP)
		return udp_parse(p, len, s);
	if (proto != PROTO_TCP)
		return false;
	s->udp = false;
	if (s->l3 + 20 > len)
		return false;
	size_t l4 = (size_t)(p[s->l3 + 12] >> 4) * 4;
	if (l4 < 20 || s->l3 + l4 > len)
		return false;
	s->hlen = s->l3 + l4;
	s->plen = len - s->hlen;
	const uint8_t *t = p + s->l3 + 4;
	s->seq = (uint32_t)t[0] << 24 | (uint32_t)t[1] << 16 | (uint32_t)t[2] << 8 | t[3];
	s->flags = p[s->l3 + 13];
	return true;
}

/* Same flow and the same header apart from lengths, ids, sequence, PSH and checksums. */
static bool same_headers(const uint8_t *a, const uint8_t *b, const struct seg *s)
{
	if (s->v6) {
		if (memcmp(a, b, 4) != 0 || memcmp(a + 6, b + 6, 34) != 0)
			return false;
	} else if (a[1] != b[1] || get16(a + 6) != get16(b + 6) || memcmp(a + 8, b + 8, 2) != 0 ||
		   memcmp(a + 12, b + 12, 8) != 0) {
		return false;
	}
	const uint8_t *ta = a + s->l3, *tb = b + s->l3;
	if (s->udp)
		return memcmp(ta, tb, 4) == 0;
	/* ports, ack, offset, window, urgent and options; flags are checked by the caller */
	return memcmp(ta, tb, 4) == 0 && memcmp(ta + 8, tb + 8, 5) == 0 && memcmp(ta + 14, tb + 14, 2) == 0 &&
	       memcmp(ta + 18, tb + 18, s->hlen - s->l3 - 18) == 0;
}

/* A segment is merged only when its checksum holds: the kernel will not check it again. */
static bool seg_csum_ok(const uint8_t *p, size_t len, const struct seg *s)
{
	size_t alen = s->v6 ? 16 : 4;
	const uint8_t *src = s->v6 ? p + 8 : p + 12;
	uint8_t proto = s->udp ? PROTO_UDP : PROTO_TCP;
	/* An IPv4 datagram sent without a checksum (RFC 768) can't be checked: leave it alone. */
	if (s->udp && get16(p + s->l3 + 6) == 0)
		return false;
	uint64_t sum = csum_pseudo(src, src + alen, alen, proto, (uint32_t)(len - s->l3));

	return csum_fold(csum_add(sum, p + s->l3, len - s->l3)) == 0xffff;
}

/* How many datagrams from pkts[0] share its flow and size (the last may be shorter). */
static size_t udp_run(const struct gro_pkt *pkts, size_t n, const struct seg *first)
{
	struct seg s;
	size_t total = pkts[0].len, k = 1;

	while (k < n && k < GRO_MAX_SEGS) {
		const struct gro_pkt *q = &pkts[k];
		if (!seg_parse(q->p, q->len, &s) || !s.udp || s.v6 != first->v6 || s.plen == 0 ||
		    s.plen > first->plen || !same_headers(pkts[0].p, q->p, first) || !seg_csum_ok(q->p, q->len, &s))
			break;
		if (total + s.plen > (first->v6 ? 0xffffu + 40 : 0xffffu))
			break;
		total += s.plen;
		k++;
		/* The kernel cuts at gso_size: only the last datagram may be shorter. */
		if (s.plen < first->plen)
			break;
	}
	return k;
}

size_t gro_run(const struct gro_pkt *pkts, size_t n, unsigned flags)
{
	struct seg first, s;

	if (n < 2 || !seg_parse(pkts[0].p, pkts[0].len, &first) || first.plen == 0 ||
	    (first.udp && !(flags & GRO_UDP)) || (!first.udp && first.flags != TCP_ACK) ||
	    !seg_csum_ok(pkts[0].p, pkts[0].len, &first))
		return 1;
	if (first.udp)
		return udp_run(pkts, n, &first);
	size_t total = pkts[0].len;
	uint32_t next = first.seq + (uint32_t)first.plen;
	size_t k = 1;
	while (k < n && k < GRO_MAX_SEGS) {
		const struct gro_pkt *q = &pkts[k];
		if (!seg_parse(q->p, q->len, &s) || s.udp || s.v6 != first.v6 || s.hlen != first.hlen || s.plen == 0 ||
		    s.plen > first.plen || s.seq != next || (s.flags & (uint8_t)~TCP_PSH) != TCP_ACK ||
		    !same_headers(pkts[0].p, q->p, &first) || !seg_csum_ok(q->p, q->len, &s))
			break;
		if (total + s.plen > (first.v6 ? 0xffffu + 40 : 0xffffu))
			break;
		total += s.plen;
		next += (uint32_t)s.plen;
		k++;
		/* Only the last segment may be short or pushed: the kernel re-cuts at gso_size. */
		if (s.plen < first.plen || (s.flags & TCP_PSH))
			break;
	}
	return k;
}

size_t gro_merge(struct gro_pkt *pkts, size_t k, struct virtio_net_hdr *vh, struct iovec *iov)
{
	struct seg first, s = {0};

	memset(vh, 0, sizeof(*vh));
	iov[0].iov_base = pkts[0].p;
	iov[0].iov_len = pkts[0].len;
	if (k < 2 || !seg_parse(pkts[0].p, pkts[0].len, &first))
		return 1;
	size_t total = pkts[0].len;
	for (size_t i = 1; i < k; i++) {
		seg_parse(pkts[i].p, pkts[i].len, &s);
		iov[i].iov_base = pkts[i].p + s.hlen;
		iov[i].iov_len = s.plen;
		total += s.plen;
	}
	uint8_t *ip = pkts[0].p, *th = ip + first.l3;
	if (first.udp)
		put16(th + 4, (uint16_t)(total - first.l3));
	else
		th[13] |= (uint8_t)(s.flags & TCP_PSH);
	size_t alen;
	const uint8_t *src;
	if (first.v6) {
		put16(ip + 4, (uint16_t)(total - 40));
		alen = 16;
		src = ip + 8;
	} else {
		put16(ip + 2, (uint16_t)total);
		csum_ip4_set(ip, first.l3);
		alen = 4;
		src = ip + 12;
	}
	/* CHECKSUM_PARTIAL: the field carries the pseudo-header sum, the kernel trusts the rest. */
	uint8_t proto = first.udp ? PROTO_UDP : PROTO_TCP;
	uint16_t c = csum_fold(csum_pseudo(src, src + alen, alen, proto, (uint32_t)(total - first.l3)));
	memcpy(th + (first.udp ? 6 : 16), &c, 2);
	vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	if (first.udp)
		vh->gso_type = VIRTIO_NET_HDR_GSO_UDP_L4;
	else
		vh->gso_type = first.v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4;
	vh->gso_size = (uint16_t)first.plen;
	vh->hdr_len = (uint16_t)first.hlen;
	vh->csum_start = (uint16_t)first.l3;
	vh->csum_offset = first.udp ? 6 : 16;
	return k;
}
