/* Session ids of one Ethernet interface: unique, never 0 or 0xffff (RFC 2516 §4). */
#ifndef MPD_PPPOE_SID_H
#define MPD_PPPOE_SID_H

#include <stdbool.h>
#include <stdint.h>

struct pppoe_sidmap {
	uint64_t bits[65536 / 64]; /* bit set = id in use (0 and 0xffff always set) */
	uint16_t next;             /* where the next search starts */
	unsigned used;             /* ids handed out */
};

/* Empty map; searches start at start (pass a random value so ids are not guessable). */
void pppoe_sid_init(struct pppoe_sidmap *m, uint16_t start);
/* A free id, now marked used; 0 when all 65534 are taken. */
uint16_t pppoe_sid_alloc(struct pppoe_sidmap *m);
/* Return an id; freeing a free or reserved id is ignored. */
void pppoe_sid_free(struct pppoe_sidmap *m, uint16_t sid);
/* True when sid is handed out (or reserved). */
bool pppoe_sid_used(const struct pppoe_sidmap *m, uint16_t sid);

#endif
