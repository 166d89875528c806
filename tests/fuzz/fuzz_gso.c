/* Arbitrary virtio-net headers and packets into the TUN segmenter (dp/gso.h). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dp/gso.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct virtio_net_hdr vh;
	struct gso_iter g;
	static uint8_t out[2048];

	if (size < sizeof(vh) + 2)
		return 0;
	memcpy(&vh, data, sizeof(vh));
	size_t mtu = (size_t)(data[sizeof(vh)] << 8 | data[sizeof(vh) + 1]);
	/* A copy of exactly the packet's size, so reads past it are caught. */
	size_t len = size - sizeof(vh) - 2;
	uint8_t *pkt = malloc(len ? len : 1);
	if (pkt == NULL)
		return 0;
	memcpy(pkt, data + sizeof(vh) + 2, len);
	int n = gso_init(&g, &vh, pkt, len, mtu);
	size_t total = 0;
	for (int i = 0; i < n; i++) {
		size_t l = gso_next(&g, out, sizeof(out));
		if (l == 0)
			break;
		if (l > sizeof(out))
			abort();
		total += l;
	}
	(void)total;
	free(pkt);
	return 0;
}
