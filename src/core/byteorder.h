/*
 * Big-endian (network order) reads and writes of unaligned wire fields.
 * Byte by byte on purpose: packet fields sit at any offset, and the
 * compiler turns these into single loads and bswaps where that is legal.
 */
#ifndef MPD_CORE_BYTEORDER_H
#define MPD_CORE_BYTEORDER_H

#include <stdint.h>

/* Read a big-endian 16-bit value. */
static inline uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
/* Read a big-endian 32-bit value. */
static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
/* Write a big-endian 16-bit value. */
static inline void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
/* Write a big-endian 32-bit value. */
static inline void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

#endif
