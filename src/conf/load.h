/* `load [file] label` and the per-file label index (commands.md §4.1, F-003). */
#ifndef MPD_CONF_LOAD_H
#define MPD_CONF_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/cmd.h"

#define CONF_MAX_DEPTH 20      /* nested loads before "Recursion detected" */
#define CONF_LOAD_MISSING (-100) /* the file (or, for conf_load, the label) can't be read */

struct daemon;
struct conf_cache;

/* What one conf_load_ex run did. */
struct conf_result {
	bool found;      /* the label exists and its commands ran */
	unsigned errors; /* commands that failed, nested loads included */
};

/* The path load uses for file: NULL = the main config file; relative names are in confdir. */
void conf_path(const struct daemon *d, const char *file, char *buf, size_t len);
/* Run label from file without printing anything about a missing file or label:
 * 0 when the file was read (see r), CONF_LOAD_MISSING when it can't be opened,
 * CMD_RECURSE when nested too deep, CMD_ERR for URLs (message in c->err). */
int conf_load_ex(struct cmd_ctx *c, const char *file, const char *label, struct conf_result *r);
/* Run label from file; a missing file or label prints "can't read configuration
 * for LABEL from FILE" and returns CONF_LOAD_MISSING.  Otherwise the number of
 * commands that failed (0 = clean), or CMD_RECURSE / CMD_ERR as conf_load_ex. */
int conf_load(struct cmd_ctx *c, const char *file, const char *label);

/* Free the label indexes kept in d (at exit). */
void conf_cache_free(struct daemon *d);
/* How many times files were (re-)indexed through this cache; for tests. */
unsigned conf_cache_indexings(const struct conf_cache *cache);

#endif
