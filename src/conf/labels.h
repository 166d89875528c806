/* Label index of config files, re-built when a file changes (conf/ internal). */
#ifndef MPD_CONF_LABELS_H
#define MPD_CONF_LABELS_H

#include <stdio.h>

struct conf_cache;

/* Where label's commands start in the open file fp named path: offset and the
 * number of lines before that offset.  *cachep is created on first use; with
 * cachep NULL the file is indexed for this call only.  0 found, -1 not. */
int conf_labels_find(struct conf_cache **cachep, const char *path, FILE *fp, const char *label,
		     long *offset, int *lineno);
/* Free a cache and every index in it. */
void conf_labels_free(struct conf_cache *cache);

#endif
