#include "core/idalloc.h"

#include <string.h>

#define SID_MAX 0xfffe

static void sid_set(struct idmap16 *m, unsigned id)
{
	m->bits[id / 64] |= 1ULL << (id % 64);
}

bool idmap16_used(const struct idmap16 *m, uint16_t sid)
{
	return (m->bits[sid / 64] >> (sid % 64)) & 1;
}

void idmap16_init(struct idmap16 *m, uint16_t start)
{
	memset(m->bits, 0, sizeof(m->bits));
	sid_set(m, 0);
	sid_set(m, 0xffff);
	m->next = start;
	m->used = 0;
}

uint16_t idmap16_alloc(struct idmap16 *m)
{
	if (m->used >= SID_MAX)
		return 0;
	unsigned id = m->next;
	/* At most one lap; whole words that are full are skipped at once. */
	for (unsigned seen = 0; seen <= 65536; ) {
		if (id % 64 == 0 && m->bits[id / 64] == ~0ULL) {
			id = (id + 64) & 0xffff;
			seen += 64;
			continue;
		}
		if (!idmap16_used(m, (uint16_t)id)) {
			sid_set(m, id);
			m->used++;
			m->next = (uint16_t)(id + 1);
			return (uint16_t)id;
		}
		id = (id + 1) & 0xffff;
		seen++;
	}
	return 0;
}

void idmap16_free(struct idmap16 *m, uint16_t sid)
{
	if (sid == 0 || sid == 0xffff || !idmap16_used(m, sid))
		return;
	m->bits[sid / 64] &= ~(1ULL << (sid % 64));
	m->used--;
}
