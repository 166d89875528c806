#include "core/logins.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/rand.h"

struct login_ent {
	struct hnode node;
	const void *scope;
	unsigned n;
	char name[];
};

static unsigned char fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* FNV-1a over the (optionally folded) name, mixed with the scope's address. */
static uint64_t key_of(const void *scope, const char *name, bool folded)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (const unsigned char *p = (const unsigned char *)name; *p != '\0'; p++) {
		h ^= folded ? fold(*p) : *p;
		h *= 0x100000001b3ULL;
	}
	return h ^ (uint64_t)(uintptr_t)scope * 0x9e3779b97f4a7c15ULL;
}

static bool same(const struct login_ent *e, const void *scope, const char *name, bool folded)
{
	return e->scope == scope && (folded ? strcasecmp(e->name, name) == 0 : strcmp(e->name, name) == 0);
}

static struct login_ent *lookup(const struct htab *t, const void *scope, const char *name, bool folded)
{
	uint64_t key = key_of(scope, name, folded);
	for (struct hnode *n = htab_find(t, key, NULL); n != NULL; n = htab_find(t, key, n)) {
		struct login_ent *e = (struct login_ent *)(void *)n;
		if (same(e, scope, name, folded))
			return e;
	}
	return NULL;
}

int logins_init(struct logins *lc)
{
	memset(lc, 0, sizeof(*lc));
	if (htab_init(&lc->exact, rand_u64()) < 0)
		return -1;
	if (htab_init(&lc->folded, rand_u64()) < 0) {
		htab_free(&lc->exact);
		return -1;
	}
	return 0;
}

static void table_free(struct htab *t)
{
	for (size_t i = 0; i < t->nb; i++)
		for (struct hnode *n = t->b[i], *next; n != NULL; n = next) {
			next = n->next;
			free(n);
		}
	htab_free(t);
}

void logins_free(struct logins *lc)
{
	table_free(&lc->exact);
	table_free(&lc->folded);
}

static int bump(struct htab *t, const void *scope, const char *name, bool folded)
{
	struct login_ent *e = lookup(t, scope, name, folded);
	if (e == NULL) {
		size_t len = strlen(name);
		e = malloc(sizeof(*e) + len + 1);
		if (e == NULL)
			return -1;
		e->scope = scope;
		e->n = 0;
		memcpy(e->name, name, len + 1);
		htab_insert(t, &e->node, key_of(scope, name, folded));
	}
	e->n++;
	return 0;
}

static void drop(struct htab *t, const void *scope, const char *name, bool folded)
{
	struct login_ent *e = lookup(t, scope, name, folded);
	if (e == NULL || --e->n > 0)
		return;
	htab_remove(t, &e->node);
	free(e);
}

int logins_add(struct logins *lc, const void *scope, const char *name)
{
	if (lc->exact.b == NULL || bump(&lc->exact, scope, name, false) < 0)
		return -1;
	if (bump(&lc->folded, scope, name, true) < 0) {
		drop(&lc->exact, scope, name, false);
		return -1;
	}
	return 0;
}

void logins_del(struct logins *lc, const void *scope, const char *name)
{
	if (lc->exact.b == NULL)
		return;
	drop(&lc->exact, scope, name, false);
	drop(&lc->folded, scope, name, true);
}

unsigned logins_count(const struct logins *lc, const void *scope, const char *name, bool ci)
{
	if (lc->exact.b == NULL)
		return 0;
	const struct login_ent *e = ci ? lookup(&lc->folded, scope, name, true) : lookup(&lc->exact, scope, name, false);
	return e != NULL ? e->n : 0;
}
