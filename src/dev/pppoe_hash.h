/*
 * Intrusive hash of 64-bit keys: sessions by (peer MAC, session id),
 * dialling links by Host-Uniq. Nodes live inside their owners.
 */
#ifndef MPD_PPPOE_HASH_H
#define MPD_PPPOE_HASH_H

#include <stddef.h>
#include <stdint.h>

struct pppoe_hnode {
	uint64_t key;
	struct pppoe_hnode *next;
};

struct pppoe_htab {
	struct pppoe_hnode **b;
	size_t nb;     /* buckets, a power of two */
	size_t n;      /* nodes */
	uint64_t seed; /* keyed so peers cannot aim their MACs at one bucket */
};

/* An empty table; -1 on OOM. */
int pppoe_htab_init(struct pppoe_htab *t, uint64_t seed);
/* Free the buckets (nodes belong to their owners). */
void pppoe_htab_free(struct pppoe_htab *t);
/* Add node n under key; grows when crowded (keeps working if growing fails). */
void pppoe_htab_insert(struct pppoe_htab *t, struct pppoe_hnode *n, uint64_t key);
/* Remove node n, which must be in the table. */
void pppoe_htab_remove(struct pppoe_htab *t, struct pppoe_hnode *n);
/* First node with key (after == NULL) or the next one after `after`; NULL when none. */
struct pppoe_hnode *pppoe_htab_find(const struct pppoe_htab *t, uint64_t key, const struct pppoe_hnode *after);
/* Key of a session: peer MAC and session id packed into 64 bits. */
uint64_t pppoe_key_session(const uint8_t mac[6], uint16_t sid);
/* Key of arbitrary bytes (Host-Uniq values of any length). */
uint64_t pppoe_key_bytes(const uint8_t *p, size_t len);

#endif
