#include "core/rand.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

void rand_bytes(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len > 0) {
		ssize_t n = getrandom(p, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* No kernel randomness means predictable challenges; refusing to run is the
			 * only safe answer (getrandom exists on every kernel we support). */
			fprintf(stderr, "mpd5: getrandom: %s\n", strerror(errno));
			abort();
		}
		p += n;
		len -= (size_t)n;
	}
}

uint32_t rand_u32(void)
{
	uint32_t v;
	rand_bytes(&v, sizeof(v));
	return v;
}

uint64_t rand_u64(void)
{
	uint64_t v;
	rand_bytes(&v, sizeof(v));
	return v;
}

uint32_t rand_below(uint32_t n)
{
	/* Rejection keeps the result uniform when n does not divide 2^32. */
	uint32_t limit = UINT32_MAX - UINT32_MAX % n, v;
	do
		v = rand_u32();
	while (v >= limit);
	return v % n;
}

uint32_t rand_owner_u32(void *arg)
{
	(void)arg;
	return rand_u32();
}
