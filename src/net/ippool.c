/*
 * IP pools. Each pool keeps its addresses in insertion order; a min-heap
 * of free positions gives "first free in insertion order" in O(log n),
 * and an open-addressing hash from address to position makes duplicate
 * checks and frees O(1).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "net/ippool.h"

struct pool_entry {
	uint32_t addr; /* host byte order */
	bool used;
};

struct pool {
	char name[IPPOOL_NAME_MAX + 1];
	struct pool_entry *e; /* insertion order */
	uint32_t n, cap;
	uint32_t *slot;       /* hash: position + 1, 0 = empty */
	unsigned slot_bits;   /* 1 << slot_bits slots, at least twice n */
	uint32_t *heap;       /* free positions, min-heap, capacity cap */
	uint32_t nheap;
	struct pool *next;
};

struct ippool {
	struct pool *head;
	struct pool **tail;
};

struct ippool *ippool_new(void)
{
	struct ippool *ps = calloc(1, sizeof(*ps));
	if (ps != NULL)
		ps->tail = &ps->head;
	return ps;
}

static void pool_free(struct pool *p)
{
	free(p->e);
	free(p->slot);
	free(p->heap);
	free(p);
}

void ippool_destroy(struct ippool *ps)
{
	if (ps == NULL)
		return;
	while (ps->head != NULL) {
		struct pool *p = ps->head;
		ps->head = p->next;
		pool_free(p);
	}
	free(ps);
}

static struct pool *pool_find(const struct ippool *ps, const char *name)
{
	if (ps == NULL)
		return NULL;
	for (struct pool *p = ps->head; p != NULL; p = p->next)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

/* Fibonacci hashing: consecutive addresses spread over the table. */
static uint32_t slot_of(uint32_t addr, unsigned bits)
{
	return (uint32_t)(addr * 2654435761u) >> (32 - bits);
}

/* Position of addr in the pool, or -1. */
static int64_t pool_lookup(const struct pool *p, uint32_t addr)
{
	if (p->slot == NULL)
		return -1;
	uint32_t mask = (1u << p->slot_bits) - 1;
	for (uint32_t i = slot_of(addr, p->slot_bits);; i = (i + 1) & mask) {
		uint32_t s = p->slot[i];
		if (s == 0)
			return -1;
		if (p->e[s - 1].addr == addr)
			return s - 1;
	}
}

static void slot_insert(uint32_t *slot, unsigned bits, uint32_t addr, uint32_t pos)
{
	uint32_t mask = (1u << bits) - 1;
	uint32_t i = slot_of(addr, bits);
	while (slot[i] != 0)
		i = (i + 1) & mask;
	slot[i] = pos + 1;
}

static void heap_push(struct pool *p, uint32_t pos)
{
	uint32_t i = p->nheap++;
	while (i > 0 && p->heap[(i - 1) / 2] > pos) {
		p->heap[i] = p->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	p->heap[i] = pos;
}

static uint32_t heap_pop(struct pool *p)
{
	uint32_t top = p->heap[0], last = p->heap[--p->nheap], i = 0;
	for (;;) {
		uint32_t c = 2 * i + 1;
		if (c >= p->nheap)
			break;
		if (c + 1 < p->nheap && p->heap[c + 1] < p->heap[c])
			c++;
		if (p->heap[c] >= last)
			break;
		p->heap[i] = p->heap[c];
		i = c;
	}
	if (p->nheap > 0)
		p->heap[i] = last;
	return top;
}

/* Make room for `want` addresses in total; all-or-nothing so a failed add changes nothing. */
static int pool_reserve(struct pool *p, uint32_t want)
{
	if (want <= p->cap)
		return 0;
	/* Grow geometrically: many one-address `set ippool add` lines stay linear. */
	if (want < p->cap * 2)
		want = p->cap * 2 < IPPOOL_SIZE_MAX ? p->cap * 2 : IPPOOL_SIZE_MAX;
	unsigned bits = 4;
	while ((1u << bits) < 2 * want)
		bits++;
	struct pool_entry *e = malloc((size_t)want * sizeof(*e));
	uint32_t *heap = malloc((size_t)want * sizeof(*heap));
	uint32_t *slot = calloc((size_t)1 << bits, sizeof(*slot));
	if (e == NULL || heap == NULL || slot == NULL) {
		free(e);
		free(heap);
		free(slot);
		return -ENOMEM;
	}
	if (p->n > 0)
		memcpy(e, p->e, (size_t)p->n * sizeof(*e));
	if (p->nheap > 0)
		memcpy(heap, p->heap, (size_t)p->nheap * sizeof(*heap));
	for (uint32_t i = 0; i < p->n; i++)
		slot_insert(slot, bits, e[i].addr, i);
	free(p->e);
	free(p->heap);
	free(p->slot);
	p->e = e;
	p->heap = heap;
	p->slot = slot;
	p->slot_bits = bits;
	p->cap = want;
	return 0;
}

static int range_check(const char *name, uint32_t first, uint32_t last)
{
	size_t len = strlen(name);
	if (len == 0 || len > IPPOOL_NAME_MAX)
		return -ENAMETOOLONG;
	if (first > last)
		return -EINVAL;
	if ((uint64_t)last - first + 1 > IPPOOL_RANGE_MAX)
		return -E2BIG;
	/* Peers never get 0.0.0.0 (IPCP's "assign me one") or a class D/E address. */
	if (first == 0 || last >= 0xe0000000u)
		return -EDOM;
	return 0;
}

static uint32_t range_new_count(const struct pool *p, uint32_t first, uint32_t last)
{
	uint32_t fresh = 0;
	for (uint64_t a = first; a <= last; a++)
		if (pool_lookup(p, (uint32_t)a) < 0)
			fresh++;
	return fresh;
}

static struct pool *pool_create(struct ippool *ps, const char *name)
{
	struct pool *p = calloc(1, sizeof(*p));
	if (p == NULL)
		return NULL;
	memcpy(p->name, name, strlen(name) + 1);
	*ps->tail = p;
	ps->tail = &p->next;
	return p;
}

/* Unlink and free a pool created by a failed add. */
static void pool_unlink_last(struct ippool *ps, struct pool *p)
{
	struct pool **pp = &ps->head;
	while (*pp != p)
		pp = &(*pp)->next;
	*pp = NULL;
	ps->tail = pp;
	pool_free(p);
}

int ippool_add(struct ippool *ps, const char *name, struct in_addr first, struct in_addr last)
{
	uint32_t f = ntohl(first.s_addr), l = ntohl(last.s_addr);
	if (ps == NULL || name == NULL)
		return -EINVAL;
	int rc = range_check(name, f, l);
	if (rc < 0)
		return rc;
	struct pool *p = pool_find(ps, name);
	bool created = p == NULL;
	if (created && (p = pool_create(ps, name)) == NULL)
		return -ENOMEM;
	uint32_t fresh = range_new_count(p, f, l);
	if ((uint64_t)p->n + fresh > IPPOOL_SIZE_MAX)
		rc = -EFBIG;
	else if (fresh > 0)
		rc = pool_reserve(p, p->n + fresh);
	if (rc < 0) {
		if (created)
			pool_unlink_last(ps, p);
		return rc;
	}
	for (uint64_t a = f; a <= l; a++) {
		if (pool_lookup(p, (uint32_t)a) >= 0)
			continue;
		p->e[p->n] = (struct pool_entry){.addr = (uint32_t)a};
		slot_insert(p->slot, p->slot_bits, (uint32_t)a, p->n);
		heap_push(p, p->n);
		p->n++;
	}
	return (int)fresh;
}

const char *ippool_strerror(int err)
{
	switch (err) {
	case -ENAMETOOLONG: return "pool name must have 1 to 15 characters";
	case -EINVAL: return "first address is above the last";
	case -EDOM: return "range contains 0.0.0.0 or a multicast/reserved address";
	case -E2BIG: return "range has more than 65536 addresses";
	case -EFBIG: return "pool would grow beyond its size limit";
	case -ENOENT: return "no such pool";
	case -EADDRNOTAVAIL: return "pool is exhausted";
	case -EALREADY: return "address is not allocated";
	case -ENOMEM: return "out of memory";
	default: return "unknown error";
	}
}

int ippool_alloc(struct ippool *ps, const char *name, struct in_addr *out)
{
	struct pool *p = pool_find(ps, name);
	if (p == NULL)
		return -ENOENT;
	if (p->nheap == 0)
		return -EADDRNOTAVAIL;
	uint32_t pos = heap_pop(p);
	p->e[pos].used = true;
	out->s_addr = htonl(p->e[pos].addr);
	return 0;
}

int ippool_free(struct ippool *ps, const char *name, struct in_addr addr)
{
	struct pool *p = pool_find(ps, name);
	if (p == NULL)
		return -ENOENT;
	int64_t pos = pool_lookup(p, ntohl(addr.s_addr));
	if (pos < 0)
		return -ENOENT;
	if (!p->e[pos].used)
		return -EALREADY;
	p->e[pos].used = false;
	heap_push(p, (uint32_t)pos);
	return 0;
}

int ippool_stat(const struct ippool *ps, const char *name, unsigned *used, unsigned *total)
{
	const struct pool *p = pool_find(ps, name);
	if (p == NULL)
		return -ENOENT;
	*used = p->n - p->nheap;
	*total = p->n;
	return 0;
}

void ippool_foreach(const struct ippool *ps,
		    void (*fn)(const char *name, unsigned used, unsigned total, void *arg),
		    void *arg)
{
	if (ps == NULL)
		return;
	for (const struct pool *p = ps->head; p != NULL; p = p->next)
		fn(p->name, p->n - p->nheap, p->n, arg);
}
