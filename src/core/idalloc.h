/* 16-bit ids (PPPoE session ids, L2TP tunnel/session ids): unique, never 0 or 0xffff (RFC 2516 §4). */
#ifndef MPD_CORE_IDALLOC_H
#define MPD_CORE_IDALLOC_H

#include <stdbool.h>
#include <stdint.h>

struct idmap16 {
	uint64_t bits[65536 / 64]; /* bit set = id in use (0 and 0xffff always set) */
	uint16_t next;             /* where the next search starts */
	unsigned used;             /* ids handed out */
};

/* Empty map; searches start at start (pass a random value so ids are not guessable). */
void idmap16_init(struct idmap16 *m, uint16_t start);
/* A free id, now marked used; 0 when all 65534 are taken. */
uint16_t idmap16_alloc(struct idmap16 *m);
/* Return an id; freeing a free or reserved id is ignored. */
void idmap16_free(struct idmap16 *m, uint16_t sid);
/* True when sid is handed out (or reserved). */
bool idmap16_used(const struct idmap16 *m, uint16_t sid);

#endif
