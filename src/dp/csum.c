#include "dp/csum.h"

#include <string.h>

static uint64_t add32(uint64_t sum, uint32_t v)
{
	return sum + v;
}

uint64_t csum_add(uint64_t sum, const void *p, size_t len)
{
	const uint8_t *s = p;
	uint64_t v;

	while (len >= 8) {
		memcpy(&v, s, 8);
		sum = add32(sum, (uint32_t)v);
		sum = add32(sum, (uint32_t)(v >> 32));
		s += 8;
		len -= 8;
	}
	uint8_t tail[8] = {0};
	memcpy(tail, s, len);
	memcpy(&v, tail, 8);
	sum = add32(sum, (uint32_t)v);
	return add32(sum, (uint32_t)(v >> 32));
}

uint64_t csum_copy(uint64_t sum, void *dst, const void *src, size_t len)
{
	const uint8_t *s = src;
	uint8_t *d = dst;
	uint64_t v;

	while (len >= 8) {
		memcpy(&v, s, 8);
		memcpy(d, &v, 8);
		sum = add32(sum, (uint32_t)v);
		sum = add32(sum, (uint32_t)(v >> 32));
		s += 8;
		d += 8;
		len -= 8;
	}
	memcpy(d, s, len);
	return csum_add(sum, s, len);
}

uint16_t csum_fold(uint64_t sum)
{
	sum = (sum & 0xffffffffu) + (sum >> 32);
	sum = (sum & 0xffffffffu) + (sum >> 32);
	sum = (sum & 0xffffu) + (sum >> 16);
	sum = (sum & 0xffffu) + (sum >> 16);
	return (uint16_t)sum;
}

uint64_t csum_pseudo(const uint8_t *src, const uint8_t *dst, size_t alen, uint8_t proto, uint32_t len)
{
	uint8_t tail[8] = {0, 0, 0, proto, (uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
			   (uint8_t)len};
	uint64_t sum = csum_add(0, src, alen);

	sum = csum_add(sum, dst, alen);
	/* IPv4's 12-byte form sums the same as IPv6's zero-padded 32-bit length and proto. */
	return csum_add(sum, tail, sizeof(tail));
}

void csum_ip4_set(uint8_t *hdr, size_t hlen)
{
	hdr[10] = hdr[11] = 0;
	uint16_t c = (uint16_t)~csum_fold(csum_add(0, hdr, hlen));
	memcpy(hdr + 10, &c, 2);
}
