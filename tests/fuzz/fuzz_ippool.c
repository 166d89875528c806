/*
 * IP pools driven by arbitrary add/alloc/free sequences, checked against
 * a plain reference model (linear scans over small pools).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/ippool.h"

#define NPOOLS 3
#define REF_MAX 4096

struct ref_pool {
	uint32_t addr[REF_MAX];
	bool used[REF_MAX];
	unsigned n;
	bool exists;
};

static const char *const names[NPOOLS] = {"a", "pool_b", "0123456789abcde"};

static int ref_find(const struct ref_pool *r, uint32_t a)
{
	for (unsigned i = 0; i < r->n; i++)
		if (r->addr[i] == a)
			return (int)i;
	return -1;
}

/* Addresses come from a small window so ranges overlap and duplicates are common. */
static uint32_t addr_of(uint8_t x)
{
	return 0x0a000000u + x;
}

static void op_add(struct ippool *ps, struct ref_pool *ref, const uint8_t *p)
{
	int k = p[0] % NPOOLS;
	uint32_t first = addr_of(p[1]), last = addr_of(p[2]);
	if (p[0] & 0x80) {
		first = 0; /* 0.0.0.0 must be refused */
		last = p[2];
	}
	int want = 0;
	struct ref_pool *r = &ref[k];
	if (first == 0)
		want = -EDOM;
	else if (first > last)
		want = -EINVAL;
	else
		for (uint32_t a = first; a <= last; a++)
			want += ref_find(r, a) < 0;
	int got = ippool_add(ps, names[k], (struct in_addr){htonl(first)},
			     (struct in_addr){htonl(last)});
	if (got != want)
		abort();
	if (got < 0)
		return;
	r->exists = true;
	for (uint32_t a = first; a <= last; a++)
		if (ref_find(r, a) < 0 && r->n < REF_MAX)
			r->addr[r->n++] = a;
}

static void op_alloc(struct ippool *ps, struct ref_pool *ref, const uint8_t *p)
{
	int k = p[0] % NPOOLS;
	struct ref_pool *r = &ref[k];
	struct in_addr got;
	int rc = ippool_alloc(ps, names[k], &got);
	int i = 0;
	while (i < (int)r->n && r->used[i])
		i++;
	int want = !r->exists ? -ENOENT : i == (int)r->n ? -EADDRNOTAVAIL : 0;
	if (rc != want || (rc == 0 && ntohl(got.s_addr) != r->addr[i]))
		abort();
	if (rc == 0)
		r->used[i] = true;
}

static void op_free(struct ippool *ps, struct ref_pool *ref, const uint8_t *p)
{
	int k = p[0] % NPOOLS;
	struct ref_pool *r = &ref[k];
	uint32_t a = addr_of(p[1]);
	int i = ref_find(r, a);
	int want = !r->exists || i < 0 ? -ENOENT : !r->used[i] ? -EALREADY : 0;
	if (ippool_free(ps, names[k], (struct in_addr){htonl(a)}) != want)
		abort();
	if (want == 0)
		r->used[i] = false;
	unsigned used = 0, total = 0, u, t;
	for (unsigned j = 0; j < r->n; j++)
		used += r->used[j];
	total = r->n;
	if (r->exists && (ippool_stat(ps, names[k], &u, &t) != 0 || u != used || t != total))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ref_pool ref[NPOOLS];
	memset(ref, 0, sizeof(ref));
	struct ippool *ps = ippool_new();
	for (size_t i = 0; i + 4 <= size; i += 4) {
		const uint8_t *p = data + i + 1;
		switch (data[i] % 3) {
		case 0: op_add(ps, ref, p); break;
		case 1: op_alloc(ps, ref, p); break;
		default: op_free(ps, ref, p); break;
		}
	}
	ippool_destroy(ps);
	return 0;
}
