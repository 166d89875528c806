#include "core/hash.h"

#include <stdlib.h>

#define HTAB_MIN 64

static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static size_t bucket(const struct htab *t, uint64_t key)
{
	return (size_t)(mix(key ^ t->seed) & (t->nb - 1));
}

int htab_init(struct htab *t, uint64_t seed)
{
	t->b = calloc(HTAB_MIN, sizeof(*t->b));
	if (t->b == NULL)
		return -1;
	t->nb = HTAB_MIN;
	t->n = 0;
	t->seed = seed;
	return 0;
}

void htab_free(struct htab *t)
{
	free(t->b);
	t->b = NULL;
	t->nb = t->n = 0;
}

static void htab_grow(struct htab *t)
{
	size_t onb = t->nb;
	struct hnode **ob = t->b;
	struct hnode **nbkt = calloc(onb * 2, sizeof(*nbkt));

	if (nbkt == NULL)
		return;
	t->b = nbkt;
	t->nb = onb * 2;
	for (size_t i = 0; i < onb; i++) {
		struct hnode *n = ob[i], *next;
		for (; n != NULL; n = next) {
			next = n->next;
			size_t h = bucket(t, n->key);
			n->next = t->b[h];
			t->b[h] = n;
		}
	}
	free(ob);
}

void htab_insert(struct htab *t, struct hnode *n, uint64_t key)
{
	if (t->n >= t->nb && t->nb < ((size_t)1 << 24))
		htab_grow(t);
	size_t h = bucket(t, key);
	n->key = key;
	n->next = t->b[h];
	t->b[h] = n;
	t->n++;
}

void htab_remove(struct htab *t, struct hnode *n)
{
	struct hnode **pp = &t->b[bucket(t, n->key)];

	for (; *pp != NULL; pp = &(*pp)->next)
		if (*pp == n) {
			*pp = n->next;
			n->next = NULL;
			t->n--;
			return;
		}
}

struct hnode *htab_find(const struct htab *t, uint64_t key, const struct hnode *after)
{
	struct hnode *n = after != NULL ? after->next : t->b[bucket(t, key)];

	for (; n != NULL; n = n->next)
		if (n->key == key)
			return n;
	return NULL;
}

uint64_t hash_key_mac16(const uint8_t mac[6], uint16_t sid)
{
	uint64_t k = 0;
	for (int i = 0; i < 6; i++)
		k = k << 8 | mac[i];
	return k << 16 | sid;
}

uint64_t hash_key_bytes(const uint8_t *p, size_t len)
{
	/* FNV-1a; the table's seed keeps collisions unpredictable. */
	uint64_t h = 0xcbf29ce484222325ULL ^ len;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}
