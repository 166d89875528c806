/*
 * Segmentation of TUN super-packets (dp/gso.h). Checksums are verified
 * with a plain RFC 1071 loop written here, not with dp/csum.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dp/gso.h"

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)rd16(p) << 16 | rd16(p + 2);
}

/* One's complement sum of big-endian 16-bit words, folded. */
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

static int ip4_ok(const uint8_t *p)
{
	return ref_sum(0, p, (size_t)(p[0] & 15) * 4) == 0xffff;
}

/* The TCP or UDP checksum of an IPv4 or IPv6 packet holds. */
static int l4_ok(const uint8_t *p, size_t len)
{
	int v6 = (p[0] >> 4) == 6;
	size_t l3 = v6 ? 40 : (size_t)(p[0] & 15) * 4;
	uint8_t proto = v6 ? p[6] : p[9];
	uint32_t s = v6 ? ref_sum(0, p + 8, 32) : ref_sum(0, p + 12, 8);
	s += proto + (uint32_t)(len - l3);
	return ref_sum(s, p + l3, len - l3) == 0xffff;
}

/* An IPv4 or IPv6 TCP packet with `payload` bytes of pattern, flags and 12 bytes of options. */
static size_t mk_tcp(uint8_t *p, int v6, size_t payload, uint8_t flags)
{
	size_t l3 = v6 ? 40 : 20, l4 = 32, len = l3 + l4 + payload;
	memset(p, 0, l3 + l4);
	if (v6) {
		p[0] = 0x60;
		p[4] = (uint8_t)((len - 40) >> 8);
		p[5] = (uint8_t)(len - 40);
		p[6] = 6;
		p[7] = 64;
		for (int i = 0; i < 16; i++) {
			p[8 + i] = (uint8_t)(0x20 + i);
			p[24 + i] = (uint8_t)(0x40 + i);
		}
	} else {
		p[0] = 0x45;
		p[2] = (uint8_t)(len >> 8);
		p[3] = (uint8_t)len;
		p[4] = 0x12;
		p[5] = 0x34;
		p[6] = 0x40; /* DF */
		p[8] = 64;
		p[9] = 6;
		memcpy(p + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	}
	uint8_t *t = p + l3;
	memcpy(t, "\x04\x00\x00\x50", 4);           /* ports 1024 -> 80 */
	memcpy(t + 4, "\xff\xff\xff\x00", 4);       /* seq near wrap */
	memcpy(t + 8, "\x01\x02\x03\x04", 4);       /* ack */
	t[12] = (uint8_t)((l4 / 4) << 4);
	t[13] = flags;
	t[14] = 0xff;
	memcpy(t + 20, "\x01\x01\x08\x0a\x00\x00\x00\x01\x00\x00\x00\x02", 12); /* NOP NOP TS */
	for (size_t i = 0; i < payload; i++)
		p[l3 + l4 + i] = (uint8_t)(i * 7 + (i >> 8));
	/* A partial checksum is what the kernel hands over; the segmenter must not rely on it. */
	t[16] = 0xde;
	t[17] = 0xad;
	return len;
}

static struct virtio_net_hdr vh_tso(int v6, uint16_t mss)
{
	struct virtio_net_hdr vh = {0};
	vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh.gso_type = v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4;
	vh.gso_size = mss;
	vh.csum_start = v6 ? 40 : 20;
	vh.csum_offset = 16;
	return vh;
}

static void check_segments(int v6, size_t payload, uint16_t mss, size_t mtu, uint8_t flags)
{
	uint8_t *pkt = malloc(70000), *out = malloc(4096), *joined = malloc(70000);
	size_t len = mk_tcp(pkt, v6, payload, flags);
	size_t l3 = v6 ? 40 : 20, hlen = l3 + 32;
	struct virtio_net_hdr vh = vh_tso(v6, mss);
	struct gso_iter g;
	size_t eff = mss < mtu - hlen ? mss : mtu - hlen;
	int n = gso_init(&g, &vh, pkt, len, mtu);
	assert_int_equal(n, (int)((payload + eff - 1) / eff));
	size_t got = 0, segl;
	for (int i = 0; i < n; i++) {
		segl = gso_next(&g, out, 4096);
		assert_true(segl > hlen && segl <= mtu);
		int last = i == n - 1;
		size_t plen = segl - hlen;
		assert_int_equal(plen, last ? payload - got : eff);
		if (v6) {
			assert_int_equal(rd16(out + 4), segl - 40);
		} else {
			assert_int_equal(rd16(out + 2), segl);
			assert_int_equal(rd16(out + 4), (uint16_t)(0x1234 + i));
			assert_true(ip4_ok(out));
		}
		assert_true(l4_ok(out, segl));
		assert_int_equal(rd32(out + l3 + 4), (uint32_t)(0xffffff00u + got));
		uint8_t f = out[l3 + 13];
		assert_int_equal(f & 0x01, last ? (flags & 0x01) : 0);      /* FIN */
		assert_int_equal(f & 0x08, last ? (flags & 0x08) : 0);      /* PSH */
		assert_int_equal(f & 0x80, i == 0 ? (flags & 0x80) : 0);    /* CWR */
		assert_int_equal(f & 0x10, 0x10);
		assert_memory_equal(out + l3 + 20, pkt + l3 + 20, 12);    /* options on every segment */
		memcpy(joined + got, out + hlen, plen);
		got += plen;
	}
	assert_int_equal(got, payload);
	assert_memory_equal(joined, pkt + hlen, payload);
	assert_int_equal(gso_next(&g, out, 4096), 0);
	free(pkt);
	free(out);
	free(joined);
}

static void test_tcp4_segments(void **state)
{
	(void)state;
	check_segments(0, 64000, 1440, 1492, 0x18);   /* ACK|PSH */
	check_segments(0, 1441, 1440, 1492, 0x19);    /* FIN on the last only */
	check_segments(0, 2880, 1440, 1492, 0x90);    /* CWR on the first only */
	check_segments(0, 10001, 1000, 1492, 0x10);   /* odd tail */
	check_segments(0, 5000, 1440, 600, 0x10);     /* kernel MSS above our MTU: cut smaller */
}

static void test_tcp6_segments(void **state)
{
	(void)state;
	check_segments(1, 65000, 1420, 1492, 0x18);
	check_segments(1, 3001, 1420, 1492, 0x11);
}

static void test_plain_csum_completed(void **state)
{
	(void)state;
	/* A UDP datagram with the pseudo-header sum in its checksum field, as TUN gives it. */
	uint8_t p[64] = {0x45, 0, 0, 40, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
			 0x30, 0x39, 0x00, 0x35, 0, 20, 0, 0};
	for (int i = 28; i < 40; i++)
		p[i] = (uint8_t)(i * 13);
	uint32_t ps = ref_sum(0, p + 12, 8) + 17 + 20;
	while (ps >> 16)
		ps = (ps & 0xffff) + (ps >> 16);
	p[26] = (uint8_t)(ps >> 8);
	p[27] = (uint8_t)ps;
	struct virtio_net_hdr vh = {.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = 20, .csum_offset = 6};
	struct gso_iter g;
	uint8_t out[64];
	assert_int_equal(gso_init(&g, &vh, p, 40, 1492), 1);
	assert_int_equal(gso_next(&g, out, sizeof(out)), 40);
	assert_true(l4_ok(out, 40));
	assert_memory_equal(out + 28, p + 28, 12);
	assert_int_equal(gso_next(&g, out, sizeof(out)), 0);
	/* Without NEEDS_CSUM the packet passes byte for byte. */
	struct virtio_net_hdr none = {0};
	assert_int_equal(gso_init(&g, &none, p, 40, 1492), 1);
	assert_int_equal(gso_next(&g, out, sizeof(out)), 40);
	assert_memory_equal(out, p, 40);
	/* Too little room: nothing written, not a partial packet. */
	assert_int_equal(gso_init(&g, &none, p, 40, 1492), 1);
	assert_int_equal(gso_next(&g, out, 39), 0);
}

/* A UDP super-packet as the kernel hands it with USO: payload pattern, partial checksum. */
static size_t mk_udp(uint8_t *p, int v6, size_t payload)
{
	size_t l3 = v6 ? 40 : 20, len = l3 + 8 + payload;
	memset(p, 0, l3 + 8);
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
		p[4] = 0x22;
		p[8] = 64;
		p[9] = 17;
		memcpy(p + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	}
	memcpy(p + l3, "\x13\x88\x14\x51", 4);
	p[l3 + 4] = (uint8_t)((len - l3) >> 8);
	p[l3 + 5] = (uint8_t)(len - l3);
	p[l3 + 6] = 0xbe;
	p[l3 + 7] = 0xef;
	for (size_t i = 0; i < payload; i++)
		p[l3 + 8 + i] = (uint8_t)(i * 11 + (i >> 7));
	return len;
}

static void check_udp_segments(int v6)
{
	uint8_t *pkt = malloc(70000), *out = malloc(4096), *joined = malloc(70000);
	size_t payload = 5 * 1000 + 123, l3 = v6 ? 40 : 20, hlen = l3 + 8;
	size_t len = mk_udp(pkt, v6, payload);
	struct virtio_net_hdr vh = {.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .gso_type = VIRTIO_NET_HDR_GSO_UDP_L4,
				    .gso_size = 1000, .csum_start = (uint16_t)l3, .csum_offset = 6};
	struct gso_iter g;
	/* Datagrams can't be cut smaller than the sender made them. */
	assert_int_equal(gso_init(&g, &vh, pkt, len, hlen + 999), -1);
	assert_int_equal(gso_init(&g, &vh, pkt, len, 1492), 6);
	size_t got = 0;
	for (int i = 0; i < 6; i++) {
		size_t segl = gso_next(&g, out, 4096);
		size_t plen = i == 5 ? 123 : 1000;
		assert_int_equal(segl, hlen + plen);
		assert_int_equal(rd16(out + l3 + 4), 8 + plen);
		if (v6) {
			assert_int_equal(rd16(out + 4), segl - 40);
		} else {
			assert_int_equal(rd16(out + 2), segl);
			assert_int_equal(rd16(out + 4), (uint16_t)(0x2200 + i));
			assert_true(ip4_ok(out));
		}
		assert_true(l4_ok(out, segl));
		assert_memory_equal(out + l3, pkt + l3, 4);
		memcpy(joined + got, out + hlen, plen);
		got += plen;
	}
	assert_int_equal(gso_next(&g, out, 4096), 0);
	assert_memory_equal(joined, pkt + hlen, payload);
	/* UDP_L4 over a TCP packet, or UDP under a TCP type: refused. */
	pkt[v6 ? 6 : 9] = 6;
	assert_int_equal(gso_init(&g, &vh, pkt, len, 1492), -1);
	free(pkt);
	free(out);
	free(joined);
}

static void test_udp4_segments(void **state)
{
	(void)state;
	check_udp_segments(0);
}

static void test_udp6_segments(void **state)
{
	(void)state;
	check_udp_segments(1);
}

static void test_malformed(void **state)
{
	(void)state;
	uint8_t *pkt = malloc(70000);
	size_t len = mk_tcp(pkt, 0, 3000, 0x10);
	struct gso_iter g;
	struct virtio_net_hdr vh = vh_tso(0, 1440);

	vh.gso_size = 0;
	assert_int_equal(gso_init(&g, &vh, pkt, len, 1492), -1);
	vh = vh_tso(0, 1440);
	vh.gso_type = VIRTIO_NET_HDR_GSO_UDP;
	assert_int_equal(gso_init(&g, &vh, pkt, len, 1492), -1);
	vh.gso_type = 7;
	assert_int_equal(gso_init(&g, &vh, pkt, len, 1492), -1);
	vh = vh_tso(1, 1440); /* says IPv6, is IPv4 */
	assert_int_equal(gso_init(&g, &vh, pkt, len, 1492), -1);
	vh = vh_tso(0, 1440);
	assert_int_equal(gso_init(&g, &vh, pkt, 30, 1492), -1);   /* TCP header cut */
	assert_int_equal(gso_init(&g, &vh, pkt, 0, 1492), -1);
	assert_int_equal(gso_init(&g, &vh, pkt, len, 40), -1);    /* MTU below the headers */
	pkt[9] = 17;                                                /* not TCP */
	assert_int_equal(gso_init(&g, &vh, pkt, len, 1492), -1);
	pkt[9] = 6;
	pkt[6] |= 0x20;                                             /* a fragment */
	assert_int_equal(gso_init(&g, &vh, pkt, len, 1492), -1);
	pkt[6] = 0x40;
	pkt[20 + 12] = 0xf0;                                        /* TCP header past the end */
	assert_int_equal(gso_init(&g, &vh, pkt, 70, 1492), -1);
	pkt[20 + 12] = 0x10;                                        /* data offset below 5 */
	assert_int_equal(gso_init(&g, &vh, pkt, len, 1492), -1);
	struct virtio_net_hdr cs = {.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = 38, .csum_offset = 1};
	assert_int_equal(gso_init(&g, &cs, pkt, 40, 1492), -1);   /* checksum field past the end */
	cs.csum_start = 40;
	cs.csum_offset = 0;
	assert_int_equal(gso_init(&g, &cs, pkt, 40, 1492), -1);
	free(pkt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp4_segments),
		cmocka_unit_test(test_tcp6_segments),
		cmocka_unit_test(test_plain_csum_completed),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_udp4_segments),
		cmocka_unit_test(test_udp6_segments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
