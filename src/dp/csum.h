/*
 * Internet checksums (RFC 1071) for the data path. Sums are kept in an
 * unfolded 64-bit accumulator over native-order words so whole buffers
 * are summed 8 bytes at a time; only the final fold gives a value to store
 * (with memcpy, in the same native order).
 */
#ifndef MPD_DP_CSUM_H
#define MPD_DP_CSUM_H

#include <stddef.h>
#include <stdint.h>

/* Add len bytes at p to sum; only the last piece of a checksummed range may be odd. */
uint64_t csum_add(uint64_t sum, const void *p, size_t len);
/* Copy len bytes from src to dst and add them to sum in the same pass. */
uint64_t csum_copy(uint64_t sum, void *dst, const void *src, size_t len);
/* Fold an accumulator to 16 bits (not complemented), native order. */
uint16_t csum_fold(uint64_t sum);
/* Sum of the TCP/UDP pseudo header (RFC 793, RFC 8200 §8.1); alen is 4 or 16. */
uint64_t csum_pseudo(const uint8_t *src, const uint8_t *dst, size_t alen, uint8_t proto, uint32_t len);
/* The IPv4 header checksum of hdr (hlen bytes, its checksum field is ignored); stored in place. */
void csum_ip4_set(uint8_t *hdr, size_t hlen);

#endif
