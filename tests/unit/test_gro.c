/*
 * Coalescing of received TCP segments (dp/gro.h). Segments are made by
 * hand here; the merged result is checked field by field and its partial
 * checksum against a plain RFC 1071 loop.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dp/gro.h"

#define NSEG 40
#define MSS 1400

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t ref_sum(uint32_t s, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += rd16(p + i);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

static uint32_t pseudo(const uint8_t *p, size_t l4len)
{
	int v6 = (p[0] >> 4) == 6;
	uint32_t s = v6 ? ref_sum(0, p + 8, 32) : ref_sum(0, p + 12, 8);
	return ref_sum(s + 6 + (uint32_t)l4len, NULL, 0);
}

static void set_csums(uint8_t *p, size_t len)
{
	int v6 = (p[0] >> 4) == 6;
	size_t l3 = v6 ? 40 : 20;
	if (!v6) {
		p[10] = p[11] = 0;
		uint16_t c = (uint16_t)~ref_sum(0, p, 20);
		p[10] = (uint8_t)(c >> 8);
		p[11] = (uint8_t)c;
	}
	p[l3 + 16] = p[l3 + 17] = 0;
	uint16_t c = (uint16_t)~ref_sum(pseudo(p, len - l3), p + l3, len - l3);
	p[l3 + 16] = (uint8_t)(c >> 8);
	p[l3 + 17] = (uint8_t)c;
}

/* Segment i of a stream: seq 1000 + i * MSS, payload bytes from the stream offset. */
static struct gro_pkt mk_seg(int v6, unsigned i, size_t plen, uint8_t flags)
{
	size_t l3 = v6 ? 40 : 20, len = l3 + 32 + plen;
	uint8_t *p = calloc(1, len);
	if (v6) {
		p[0] = 0x60;
		p[4] = (uint8_t)((len - 40) >> 8);
		p[5] = (uint8_t)(len - 40);
		p[6] = 6;
		p[7] = 64;
		p[23] = 1;
		p[39] = 2;
	} else {
		p[0] = 0x45;
		p[2] = (uint8_t)(len >> 8);
		p[3] = (uint8_t)len;
		p[4] = (uint8_t)(i >> 8);
		p[5] = (uint8_t)i;
		p[6] = 0x40;
		p[8] = 64;
		p[9] = 6;
		memcpy(p + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	}
	uint8_t *t = p + l3;
	memcpy(t, "\x00\x50\x04\x00", 4);
	uint32_t seq = 1000 + i * MSS;
	t[4] = (uint8_t)(seq >> 24);
	t[5] = (uint8_t)(seq >> 16);
	t[6] = (uint8_t)(seq >> 8);
	t[7] = (uint8_t)seq;
	memcpy(t + 8, "\x00\x00\x77\x77", 4);
	t[12] = 0x80;
	t[13] = flags;
	t[14] = 0x10;
	memcpy(t + 20, "\x01\x01\x08\x0a\x00\x00\x00\x05\x00\x00\x00\x06", 12);
	for (size_t k = 0; k < plen; k++)
		p[l3 + 32 + k] = (uint8_t)((i * MSS + k) * 31 >> 3);
	set_csums(p, len);
	return (struct gro_pkt){p, len};
}

static void free_segs(struct gro_pkt *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i].p);
}

static void check_merge(int v6)
{
	struct gro_pkt s[NSEG];
	size_t l3 = v6 ? 40 : 20, hlen = l3 + 32;
	for (unsigned i = 0; i < NSEG; i++)
		s[i] = mk_seg(v6, i, i == NSEG - 1 ? 777 : MSS, i == NSEG - 1 ? 0x18 : 0x10);
	assert_int_equal(gro_run(s, NSEG, 0), NSEG);
	struct virtio_net_hdr vh;
	struct iovec iov[GRO_MAX_SEGS];
	assert_int_equal(gro_merge(s, NSEG, &vh, iov), NSEG);
	size_t total = 0;
	uint8_t *buf = malloc(70000);
	for (int i = 0; i < NSEG; i++) {
		memcpy(buf + total, iov[i].iov_base, iov[i].iov_len);
		total += iov[i].iov_len;
	}
	assert_int_equal(total, hlen + (NSEG - 1) * MSS + 777);
	assert_int_equal(vh.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	assert_int_equal(vh.gso_type, v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4);
	assert_int_equal(vh.gso_size, MSS);
	assert_int_equal(vh.hdr_len, hlen);
	assert_int_equal(vh.csum_start, l3);
	assert_int_equal(vh.csum_offset, 16);
	if (v6) {
		assert_int_equal(rd16(buf + 4), total - 40);
	} else {
		assert_int_equal(rd16(buf + 2), total);
		assert_int_equal(ref_sum(0, buf, 20), 0xffff);
	}
	assert_int_equal(rd16(buf + l3 + 4) << 16 | rd16(buf + l3 + 6), 1000);
	assert_int_equal(buf[l3 + 13], 0x18); /* the last segment's PSH */
	/* CHECKSUM_PARTIAL: the field holds the folded pseudo-header sum of the whole. */
	assert_int_equal(rd16(buf + l3 + 16), pseudo(buf, total - l3));
	for (size_t k = 0; k < total - hlen; k++)
		if (buf[hlen + k] != (uint8_t)(k * 31 >> 3))
			fail_msg("payload byte %zu", k);
	free(buf);
	free_segs(s, NSEG);
}

static void test_merge_v4(void **state)
{
	(void)state;
	check_merge(0);
}

static void test_merge_v6(void **state)
{
	(void)state;
	check_merge(1);
}

static void test_run_breaks(void **state)
{
	(void)state;
	struct gro_pkt s[6];
	for (unsigned i = 0; i < 6; i++)
		s[i] = mk_seg(0, i, MSS, 0x10);
	assert_int_equal(gro_run(s, 6, 0), 6);
	assert_int_equal(gro_run(s, 1, 0), 1);

	/* A gap in sequence ends the run before it. */
	free(s[3].p);
	s[3] = mk_seg(0, 4, MSS, 0x10);
	assert_int_equal(gro_run(s, 6, 0), 3);
	free(s[3].p);
	s[3] = mk_seg(0, 3, MSS, 0x10);

	/* PSH in the middle: that segment is the last merged. */
	free(s[2].p);
	s[2] = mk_seg(0, 2, MSS, 0x18);
	assert_int_equal(gro_run(s, 6, 0), 3);
	free(s[2].p);
	s[2] = mk_seg(0, 2, MSS, 0x10);

	/* A short segment ends the run after it. */
	free(s[1].p);
	s[1] = mk_seg(0, 1, 100, 0x10);
	assert_int_equal(gro_run(s, 6, 0), 2);
	free(s[1].p);
	s[1] = mk_seg(0, 1, MSS, 0x10);

	/* A bad checksum is never merged (the kernel would trust it). */
	s[4].p[60] ^= 1;
	assert_int_equal(gro_run(s, 6, 0), 4);
	s[4].p[60] ^= 1;
	s[0].p[60] ^= 1;
	assert_int_equal(gro_run(s, 6, 0), 1);
	s[0].p[60] ^= 1;

	/* Another flow (port), another TTL, another window, other options. */
	s[2].p[21] ^= 1;
	set_csums(s[2].p, s[2].len);
	assert_int_equal(gro_run(s, 6, 0), 2);
	s[2].p[21] ^= 1;
	s[2].p[8] = 63;
	set_csums(s[2].p, s[2].len);
	assert_int_equal(gro_run(s, 6, 0), 2);
	s[2].p[8] = 64;
	s[2].p[20 + 14] = 0x11;
	set_csums(s[2].p, s[2].len);
	assert_int_equal(gro_run(s, 6, 0), 2);
	s[2].p[20 + 14] = 0x10;
	s[2].p[20 + 31] = 9;
	set_csums(s[2].p, s[2].len);
	assert_int_equal(gro_run(s, 6, 0), 2);
	s[2].p[20 + 31] = 6;
	set_csums(s[2].p, s[2].len);
	assert_int_equal(gro_run(s, 6, 0), 6);

	/* Only plain ACK segments start a merge; SYN/FIN/RST anywhere stop it. */
	s[0].p[33] = 0x18;
	set_csums(s[0].p, s[0].len);
	assert_int_equal(gro_run(s, 6, 0), 1);
	s[0].p[33] = 0x10;
	set_csums(s[0].p, s[0].len);
	s[3].p[33] = 0x11;
	set_csums(s[3].p, s[3].len);
	assert_int_equal(gro_run(s, 6, 0), 3);
	free_segs(s, 6);
}

static void test_not_tcp(void **state)
{
	(void)state;
	uint8_t udp[2][48];
	for (int i = 0; i < 2; i++) {
		memset(udp[i], 0, 48);
		udp[i][0] = 0x45;
		udp[i][3] = 48;
		udp[i][9] = 17;
	}
	struct gro_pkt s[2] = {{udp[0], 48}, {udp[1], 48}};
	assert_int_equal(gro_run(s, 2, 0), 1);
	struct virtio_net_hdr vh;
	struct iovec iov[GRO_MAX_SEGS];
	uint8_t before[48];
	memcpy(before, udp[0], 48);
	assert_int_equal(gro_merge(s, 1, &vh, iov), 1);
	assert_int_equal(vh.gso_type, VIRTIO_NET_HDR_GSO_NONE);
	assert_int_equal(vh.flags, 0);
	assert_ptr_equal(iov[0].iov_base, udp[0]);
	assert_int_equal(iov[0].iov_len, 48);
	assert_memory_equal(udp[0], before, 48);
	/* Length field disagreeing with the frame, truncated packets, garbage: never merged. */
	struct gro_pkt t[2];
	t[0] = mk_seg(0, 0, MSS, 0x10);
	t[1] = mk_seg(0, 1, MSS, 0x10);
	t[1].len -= 1;
	assert_int_equal(gro_run(t, 2, 0), 1);
	t[1].len = 30;
	assert_int_equal(gro_run(t, 2, 0), 1);
	t[1].len = 0;
	assert_int_equal(gro_run(t, 2, 0), 1);
	free_segs(t, 2);
}

/* UDP datagram i of a flow: sport 4000 + port_delta, payload from the stream offset, valid checksums. */
static struct gro_pkt mk_udp(int v6, unsigned i, size_t plen, unsigned port_delta)
{
	size_t l3 = v6 ? 40 : 20, len = l3 + 8 + plen;
	uint8_t *p = calloc(1, len);
	if (v6) {
		p[0] = 0x60;
		p[4] = (uint8_t)((len - 40) >> 8);
		p[5] = (uint8_t)(len - 40);
		p[6] = 17;
		p[7] = 64;
		p[23] = 1;
		p[39] = 2;
	} else {
		p[0] = 0x45;
		p[2] = (uint8_t)(len >> 8);
		p[3] = (uint8_t)len;
		p[4] = (uint8_t)(i >> 8);
		p[5] = (uint8_t)i;
		p[8] = 64;
		p[9] = 17;
		memcpy(p + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
		uint16_t c = (uint16_t)~ref_sum(0, p, 20);
		p[10] = (uint8_t)(c >> 8);
		p[11] = (uint8_t)c;
	}
	uint8_t *u = p + l3;
	unsigned sport = 4000 + port_delta;
	u[0] = (uint8_t)(sport >> 8);
	u[1] = (uint8_t)sport;
	u[2] = 0x14;
	u[3] = 0x51;
	u[4] = (uint8_t)((len - l3) >> 8);
	u[5] = (uint8_t)(len - l3);
	for (size_t k = 0; k < plen; k++)
		u[8 + k] = (uint8_t)((i * 64 + k) * 13 >> 2);
	uint32_t ps = pseudo(p, len - l3) - 6 + 17;
	ps = ref_sum(ps, NULL, 0);
	uint16_t c = (uint16_t)~ref_sum(ps, u, len - l3);
	if (c == 0)
		c = 0xffff;
	u[6] = (uint8_t)(c >> 8);
	u[7] = (uint8_t)c;
	return (struct gro_pkt){p, len};
}

static void check_udp_merge(int v6)
{
	enum { N = 10, PL = 36 };
	struct gro_pkt s[N];
	size_t l3 = v6 ? 40 : 20, hlen = l3 + 8;
	for (unsigned i = 0; i < N; i++)
		s[i] = mk_udp(v6, i, i == N - 1 ? PL - 5 : PL, 0);
	/* Without USO on the device UDP is never merged. */
	assert_int_equal(gro_run(s, N, 0), 1);
	assert_int_equal(gro_run(s, N, GRO_UDP), N);
	struct virtio_net_hdr vh;
	struct iovec iov[GRO_MAX_SEGS];
	assert_int_equal(gro_merge(s, N, &vh, iov), N);
	size_t total = 0;
	for (unsigned i = 0; i < N; i++)
		total += iov[i].iov_len;
	assert_int_equal(total, hlen + (N - 1) * PL + PL - 5);
	for (unsigned i = 1; i < N; i++)
		assert_ptr_equal(iov[i].iov_base, s[i].p + hlen);
	assert_int_equal(vh.gso_type, VIRTIO_NET_HDR_GSO_UDP_L4);
	assert_int_equal(vh.gso_size, PL);
	assert_int_equal(vh.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	assert_int_equal(vh.hdr_len, hlen);
	assert_int_equal(vh.csum_start, l3);
	assert_int_equal(vh.csum_offset, 6);
	uint8_t *p = s[0].p;
	assert_int_equal(rd16(p + l3 + 4), total - l3);
	if (v6)
		assert_int_equal(rd16(p + 4), total - 40);
	else {
		assert_int_equal(rd16(p + 2), total);
		assert_int_equal(ref_sum(0, p, 20), 0xffff);
	}
	/* The field holds the pseudo-header sum of the whole, for the kernel to finish per datagram. */
	uint32_t ps = ref_sum(pseudo(p, total - l3) - 6 + 17, NULL, 0);
	assert_int_equal(rd16(p + l3 + 6), ps);
	free_segs(s, N);
}

static void test_udp_merge_v4(void **state)
{
	(void)state;
	check_udp_merge(0);
}

static void test_udp_merge_v6(void **state)
{
	(void)state;
	check_udp_merge(1);
}

static void test_udp_run_breaks(void **state)
{
	(void)state;
	struct gro_pkt s[6];
	for (unsigned i = 0; i < 6; i++)
		s[i] = mk_udp(0, i, 36, i == 3);
	/* Another flow (source port) ends the run. */
	assert_int_equal(gro_run(s, 6, GRO_UDP), 3);
	free_segs(s, 6);
	for (unsigned i = 0; i < 6; i++)
		s[i] = mk_udp(0, i, i == 2 ? 20 : i == 4 ? 50 : 36, 0);
	/* A short datagram is the last; a longer one can't join (gso_size is the first's). */
	assert_int_equal(gro_run(s, 6, GRO_UDP), 3);
	assert_int_equal(gro_run(s + 3, 3, GRO_UDP), 1);
	free_segs(s, 6);
	for (unsigned i = 0; i < 6; i++)
		s[i] = mk_udp(0, i, 36, 0);
	/* A bad checksum is left for the kernel to drop. */
	s[2].p[20 + 8] ^= 1;
	assert_int_equal(gro_run(s, 6, GRO_UDP), 2);
	s[2].p[20 + 8] ^= 1;
	/* IPv4 without a UDP checksum: can't be verified, never merged. */
	s[0].p[26] = s[0].p[27] = 0;
	assert_int_equal(gro_run(s, 6, GRO_UDP), 1);
	/* TCP then UDP: separate runs. */
	free(s[0].p);
	s[0] = mk_seg(0, 0, MSS, 0x10);
	assert_int_equal(gro_run(s, 6, GRO_UDP), 1);
	assert_int_equal(gro_run(s + 1, 5, GRO_UDP), 5);
	free_segs(s, 6);
}

static void test_size_limit(void **state)
{
	(void)state;
	/* 60 full segments would pass 64 KiB: the run stops below it and at GRO_MAX_SEGS. */
	struct gro_pkt s[60];
	for (unsigned i = 0; i < 60; i++)
		s[i] = mk_seg(0, i, MSS, 0x10);
	size_t k = gro_run(s, 60, 0);
	assert_true(k >= 2 && k <= GRO_MAX_SEGS);
	assert_true(52 + k * MSS <= 0xffff);
	assert_true(52 + (k + 1) * MSS > 0xffff || k == GRO_MAX_SEGS);
	free_segs(s, 60);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_v4),
		cmocka_unit_test(test_merge_v6),
		cmocka_unit_test(test_run_breaks),
		cmocka_unit_test(test_not_tcp),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_udp_merge_v4),
		cmocka_unit_test(test_udp_merge_v6),
		cmocka_unit_test(test_udp_run_breaks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
