/* Shared bits of the PPP engine fuzzers: a silent owner and an input splitter. */
#ifndef MPD_FUZZ_COMMON_H
#define MPD_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "core/log.h"
#include "core/pbuf.h"
#include "ppp/fsm.h"

static inline void fz_send(void *arg, uint16_t proto, struct pbuf *pkt)
{
	(void)arg;
	(void)proto;
	pbuf_free(pkt);
}

static inline void fz_timer(void *arg, unsigned ms)
{
	(void)arg;
	(void)ms;
}

static inline uint32_t fz_rand(void *arg)
{
	uint32_t *s = arg;

	*s = *s * 1103515245u + 12345u;
	return *s;
}

static inline void fz_event(void *arg, struct fsm *f, int ev, uint32_t val)
{
	(void)arg;
	(void)f;
	(void)ev;
	(void)val;
}

/* Quiet logs: the fuzzer runs millions of packets. */
static inline void fz_quiet(void)
{
	for (int i = 0; i < LG_NFLAGS; i++)
		log_set(i, false);
}

/* Next chunk: one length byte, then that many bytes (clipped to what is left). */
static inline int fz_next(const uint8_t **data, size_t *size, const uint8_t **chunk, size_t *len)
{
	if (*size == 0)
		return 0;
	size_t n = **data;

	(*data)++;
	(*size)--;
	if (n > *size)
		n = *size;
	*chunk = *data;
	*len = n;
	*data += n;
	*size -= n;
	return 1;
}

#endif
