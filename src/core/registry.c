#include "core/registry.h"

#include <stdlib.h>
#include <string.h>

#include "core/rand.h"

struct reg_slot {
	void *obj;        /* NULL when free */
	uint32_t gen;     /* generation of the current (or next) registration */
	struct hnode name;
};

/*
 * Free slots are found through two levels of bitmaps (bit set = free) so the
 * lowest free slot costs a scan of nslots/4096 words, not a walk of the
 * slots: at 50,000 sessions a churning concentrator adds and removes
 * constantly and must not pay O(n) per call.
 */
struct reg_bits {
	uint64_t *free;     /* one bit per slot */
	uint64_t *nonfull;  /* one bit per word of free[]: that word has a free bit */
};

#define REG_MIN 16 /* as the arrays it replaced: `show mem` reports the same slot counts */

static struct reg_bits *bits_of(const struct registry *r)
{
	return (struct reg_bits *)(void *)(r->slots + r->nslots);
}

static size_t words(unsigned n) { return (n + 63) / 64; }

static uint64_t name_key(const char *name)
{
	return hash_key_bytes((const uint8_t *)name, strlen(name));
}

static void mark(struct registry *r, unsigned slot, bool isfree)
{
	struct reg_bits *b = bits_of(r);
	unsigned w = slot / 64;

	if (isfree) {
		b->free[w] |= 1ULL << (slot % 64);
		b->nonfull[w / 64] |= 1ULL << (w % 64);
	} else {
		b->free[w] &= ~(1ULL << (slot % 64));
		if (b->free[w] == 0)
			b->nonfull[w / 64] &= ~(1ULL << (w % 64));
	}
}

/* Slots, then the bitmaps, in one allocation: growth is one realloc plus a rebuild. */
static int grow(struct registry *r)
{
	unsigned n = r->nslots ? r->nslots * 2 : REG_MIN;
	size_t fw = words(n), nw = words((unsigned)fw);
	size_t sz = n * sizeof(struct reg_slot) + sizeof(struct reg_bits) + (fw + nw) * sizeof(uint64_t);
	struct reg_slot *s = malloc(sz);

	if (s == NULL)
		return -1;
	memset(s, 0, sz);
	if (r->nslots)
		memcpy(s, r->slots, r->nslots * sizeof(*s));
	for (unsigned i = r->nslots; i < n; i++)
		s[i].gen = 1;
	free(r->slots);
	r->slots = s;
	unsigned old = r->nslots;
	r->nslots = n;
	struct reg_bits *b = bits_of(r);
	b->free = (uint64_t *)(void *)(b + 1);
	b->nonfull = b->free + fw;
	for (unsigned i = 0; i < n; i++)
		if (s[i].obj == NULL)
			mark(r, i, true);
	/* The name nodes moved with the slots: index them again. */
	if (r->name_of != NULL) {
		htab_free(&r->names);
		if (htab_init(&r->names, rand_u64()) < 0)
			return -1;
		for (unsigned i = 0; i < old; i++)
			if (s[i].obj != NULL)
				htab_insert(&r->names, &s[i].name, name_key(r->name_of(s[i].obj)));
	}
	return 0;
}

int reg_init(struct registry *r, const char *(*name_of)(const void *obj))
{
	memset(r, 0, sizeof(*r));
	r->name_of = name_of;
	if (name_of != NULL && htab_init(&r->names, rand_u64()) < 0)
		return -1;
	if (grow(r) < 0) {
		reg_free(r);
		return -1;
	}
	return 0;
}

void reg_free(struct registry *r)
{
	if (r->name_of != NULL)
		htab_free(&r->names);
	free(r->slots);
	memset(r, 0, sizeof(*r));
}

static int lowest_free(const struct registry *r)
{
	const struct reg_bits *b = bits_of(r);
	size_t fw = words(r->nslots), nw = words((unsigned)fw);

	for (size_t i = 0; i < nw; i++)
		if (b->nonfull[i] != 0) {
			size_t w = i * 64 + (size_t)__builtin_ctzll(b->nonfull[i]);
			unsigned slot = (unsigned)(w * 64 + (size_t)__builtin_ctzll(b->free[w]));
			return slot < r->nslots ? (int)slot : -1;
		}
	return -1;
}

int reg_add(struct registry *r, void *obj, struct handle *h)
{
	int slot = lowest_free(r);

	if (slot < 0) {
		if (grow(r) < 0)
			return -1;
		slot = lowest_free(r);
	}
	struct reg_slot *s = &r->slots[slot];
	s->obj = obj;
	mark(r, (unsigned)slot, false);
	r->count++;
	if ((unsigned)slot >= r->top)
		r->top = (unsigned)slot + 1;
	if (r->name_of != NULL)
		htab_insert(&r->names, &s->name, name_key(r->name_of(obj)));
	if (h != NULL)
		*h = (struct handle){(uint32_t)slot, s->gen};
	return slot;
}

void reg_remove(struct registry *r, unsigned slot)
{
	if (slot >= r->nslots || r->slots[slot].obj == NULL)
		return;
	struct reg_slot *s = &r->slots[slot];
	if (r->name_of != NULL)
		htab_remove(&r->names, &s->name);
	s->obj = NULL;
	if (++s->gen == 0) /* 0 is HANDLE_NONE's */
		s->gen = 1;
	mark(r, slot, true);
	r->count--;
	while (r->top > 0 && r->slots[r->top - 1].obj == NULL)
		r->top--;
}

void reg_renamed(struct registry *r, unsigned slot)
{
	if (r->name_of == NULL || slot >= r->nslots || r->slots[slot].obj == NULL)
		return;
	struct reg_slot *s = &r->slots[slot];
	htab_remove(&r->names, &s->name);
	htab_insert(&r->names, &s->name, name_key(r->name_of(s->obj)));
}

void *reg_at(const struct registry *r, unsigned slot)
{
	return slot < r->nslots ? r->slots[slot].obj : NULL;
}

void *reg_resolve(const struct registry *r, struct handle h)
{
	if (h.gen == 0 || h.slot >= r->nslots || r->slots[h.slot].gen != h.gen)
		return NULL;
	return r->slots[h.slot].obj;
}

struct handle reg_handle(const struct registry *r, unsigned slot)
{
	if (slot >= r->nslots || r->slots[slot].obj == NULL)
		return HANDLE_NONE;
	return (struct handle){slot, r->slots[slot].gen};
}

void *reg_find(const struct registry *r, const char *name)
{
	if (r->name_of == NULL || r->count == 0)
		return NULL;
	uint64_t key = name_key(name);
	for (const struct hnode *n = htab_find(&r->names, key, NULL); n != NULL; n = htab_find(&r->names, key, n)) {
		const struct reg_slot *s = (const struct reg_slot *)(const void *)((const char *)n - offsetof(struct reg_slot, name));
		if (strcmp(r->name_of(s->obj), name) == 0)
			return s->obj;
	}
	return NULL;
}

void *reg_next(const struct registry *r, unsigned *cursor)
{
	while (*cursor < r->top) {
		void *obj = r->slots[(*cursor)++].obj;
		if (obj != NULL)
			return obj;
	}
	return NULL;
}
