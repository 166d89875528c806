/* Arbitrary batches of received packets into the coalescer (dp/gro.h). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dp/gro.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXPKT 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gro_pkt pkts[MAXPKT];
	size_t n = 0;

	/* Packets are length-prefixed (2 bytes); each gets its own exact-size buffer. */
	while (size >= 2 && n < MAXPKT) {
		size_t len = (size_t)(data[0] << 8 | data[1]);
		data += 2;
		size -= 2;
		if (len > size)
			len = size;
		pkts[n].p = malloc(len ? len : 1);
		if (pkts[n].p == NULL)
			break;
		memcpy(pkts[n].p, data, len);
		pkts[n].len = len;
		data += len;
		size -= len;
		n++;
	}
	for (size_t i = 0; i < n;) {
		struct virtio_net_hdr vh;
		struct iovec iov[GRO_MAX_SEGS];
		size_t k = gro_run(pkts + i, n - i, GRO_UDP);
		if (k == 0 || k > n - i || k > GRO_MAX_SEGS)
			abort();
		size_t niov = gro_merge(pkts + i, k, &vh, iov);
		size_t total = 0;
		for (size_t j = 0; j < niov; j++) {
			const uint8_t *b = iov[j].iov_base;
			/* Every piece lies inside its packet. */
			if (b < pkts[i + j].p || b + iov[j].iov_len > pkts[i + j].p + pkts[i + j].len)
				abort();
			total += iov[j].iov_len;
		}
		if (k > 1 && total > 0xffff + 40)
			abort();
		i += k;
	}
	for (size_t i = 0; i < n; i++)
		free(pkts[i].p);
	return 0;
}
