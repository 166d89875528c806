/*
 * Login counts per scope: how many sessions each login name holds under a
 * scope (a link template, for `set auth max-logins`). The counts move as
 * sessions come and go, so checking a limit is one hash lookup instead of
 * a walk over every bundle, which at tens of thousands of sessions would
 * make session setup quadratic.
 *
 * Names are counted twice: as given and folded to lower case (ASCII), so
 * both `max-logins N` and `max-logins N CI` are answered by a lookup.
 */
#ifndef MPD_CORE_LOGINS_H
#define MPD_CORE_LOGINS_H

#include <stdbool.h>

#include "core/hash.h"

struct logins {
	struct htab exact;  /* (scope, name) */
	struct htab folded; /* (scope, name in lower case) */
};

/* Empty counts; 0, or -1 when out of memory. */
int logins_init(struct logins *lc);
/* Free every count and the tables. */
void logins_free(struct logins *lc);
/* One more session of name under scope (scope may be NULL); 0, or -1 when out of memory. */
int logins_add(struct logins *lc, const void *scope, const char *name);
/* One session fewer (a name never added is ignored). */
void logins_del(struct logins *lc, const void *scope, const char *name);
/* Sessions of name under scope; ci: names compared ignoring ASCII case. */
unsigned logins_count(const struct logins *lc, const void *scope, const char *name, bool ci);

#endif
