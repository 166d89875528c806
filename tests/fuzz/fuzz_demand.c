/* Dial-on-demand classifier under arbitrary packets: never reads past len. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "iface/iface_demand.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy so ASan flags any read beyond the packet */
	uint8_t *p = malloc(size ? size : 1);
	if (p == NULL)
		return 0;
	memcpy(p, data, size);
	const char *why = NULL;
	enum demand_class c = demand_classify(p, size, &why);
	if (why == NULL || (c != DEMAND_YES && c != DEMAND_NO && c != DEMAND_BAD))
		abort();
	free(p);
	return 0;
}
