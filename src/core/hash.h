/*
 * Intrusive hash of 64-bit keys (sessions by peer MAC and session id,
 * links by Host-Uniq or name). Nodes live inside their owners.
 */
#ifndef MPD_CORE_HASH_H
#define MPD_CORE_HASH_H

#include <stddef.h>
#include <stdint.h>

struct hnode {
	uint64_t key;
	struct hnode *next;
};

struct htab {
	struct hnode **b;
	size_t nb;     /* buckets, a power of two */
	size_t n;      /* nodes */
	uint64_t seed; /* keyed so peers cannot aim their MACs at one bucket */
};

/* An empty table; -1 on OOM. */
int htab_init(struct htab *t, uint64_t seed);
/* Free the buckets (nodes belong to their owners). */
void htab_free(struct htab *t);
/* Add node n under key; grows when crowded (keeps working if growing fails). */
void htab_insert(struct htab *t, struct hnode *n, uint64_t key);
/* Remove node n, which must be in the table. */
void htab_remove(struct htab *t, struct hnode *n);
/* First node with key (after == NULL) or the next one after `after`; NULL when none. */
struct hnode *htab_find(const struct htab *t, uint64_t key, const struct hnode *after);
/* Key of a 6-byte address and a 16-bit id packed into 64 bits (PPPoE sessions). */
uint64_t hash_key_mac16(const uint8_t mac[6], uint16_t sid);
/* Key of arbitrary bytes (Host-Uniq values of any length). */
uint64_t hash_key_bytes(const uint8_t *p, size_t len);

#endif
