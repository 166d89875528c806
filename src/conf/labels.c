/*
 * Label index per config file.  mpd5 indexes a file once and never looks
 * again; we compare device, inode, size and mtime of the open file with the
 * indexed ones on every lookup, so an edited file is re-indexed.
 */
#include "conf/labels.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf/lexer.h"
#include "conf/load.h"
#include "core/log.h"

#define CACHE_MAX_FILES 64 /* `load` names come from users: bound the cache */

struct conf_label {
	char *name;
	long offset; /* first byte after the label line */
	int lineno;  /* lines before offset */
};

struct conf_index {
	char *path;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	struct conf_label *v;
	size_t n;
};

struct conf_cache {
	struct conf_index files[CACHE_MAX_FILES];
	size_t nfiles;
	unsigned indexings;
};

static void index_clear(struct conf_index *ix)
{
	for (size_t i = 0; i < ix->n; i++)
		free(ix->v[i].name);
	free(ix->v);
	free(ix->path);
	memset(ix, 0, sizeof(*ix));
}

static int index_add(struct conf_index *ix, size_t *cap, const char *name, long off, int lineno)
{
	if (ix->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct conf_label *v = realloc(ix->v, ncap * sizeof(*v));
		if (v == NULL)
			return -1;
		ix->v = v;
		*cap = ncap;
	}
	if ((ix->v[ix->n].name = strdup(name)) == NULL)
		return -1;
	ix->v[ix->n].offset = off;
	ix->v[ix->n].lineno = lineno;
	ix->n++;
	return 0;
}

/* Scan fp from the start and record every label line. */
static int index_build(struct conf_index *ix, const char *path, FILE *fp, const struct stat *st)
{
	struct conf_reader r;
	struct conf_line *line = malloc(sizeof(*line));
	char name[CMD_MAX_LINE + 1];
	size_t cap = 0;
	int rc = 0;

	memset(ix, 0, sizeof(*ix));
	if (line == NULL || (ix->path = strdup(path)) == NULL) {
		free(line);
		return -1;
	}
	rewind(fp);
	conf_reader_init(&r, fp, path, 0);
	while (rc == 0 && conf_reader_next(&r, line)) {
		if (!line->label)
			continue;
		conf_label_name(line->text, name, sizeof(name));
		rc = index_add(ix, &cap, name, ftell(fp), r.lineno);
	}
	free(line);
	if (rc < 0) {
		log_msg(LG_ERR, NULL, "%s: out of memory indexing labels", path);
		index_clear(ix);
		return -1;
	}
	ix->dev = st->st_dev;
	ix->ino = st->st_ino;
	ix->size = st->st_size;
	ix->mtime = st->st_mtim;
	return 0;
}

static bool index_current(const struct conf_index *ix, const struct stat *st)
{
	return ix->dev == st->st_dev && ix->ino == st->st_ino && ix->size == st->st_size &&
	       ix->mtime.tv_sec == st->st_mtim.tv_sec && ix->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

static int index_lookup(const struct conf_index *ix, const char *label, long *offset, int *lineno)
{
	for (size_t i = 0; i < ix->n; i++)
		if (strcmp(ix->v[i].name, label) == 0) {
			*offset = ix->v[i].offset;
			*lineno = ix->v[i].lineno;
			return 0;
		}
	return -1;
}

/* The cache slot for path, re-built when stale; NULL on failure. */
static struct conf_index *cache_get(struct conf_cache *cc, const char *path, FILE *fp,
				    const struct stat *st)
{
	struct conf_index *ix = NULL;
	for (size_t i = 0; i < cc->nfiles; i++)
		if (strcmp(cc->files[i].path, path) == 0)
			ix = &cc->files[i];
	if (ix != NULL && index_current(ix, st))
		return ix;
	if (ix == NULL && cc->nfiles == CACHE_MAX_FILES) {
		index_clear(&cc->files[0]);
		memmove(&cc->files[0], &cc->files[1], (CACHE_MAX_FILES - 1) * sizeof(cc->files[0]));
		cc->nfiles--;
	}
	if (ix == NULL)
		ix = &cc->files[cc->nfiles++];
	else
		index_clear(ix);
	cc->indexings++;
	if (index_build(ix, path, fp, st) == 0)
		return ix;
	/* keep the array dense: move the last slot into the failed one */
	cc->files[ix - cc->files] = cc->files[--cc->nfiles];
	memset(&cc->files[cc->nfiles], 0, sizeof(cc->files[0]));
	return NULL;
}

int conf_labels_find(struct conf_cache **cachep, const char *path, FILE *fp, const char *label,
		     long *offset, int *lineno)
{
	struct stat st;
	if (fstat(fileno(fp), &st) < 0)
		return -1;
	if (cachep == NULL) {
		struct conf_index ix;
		if (index_build(&ix, path, fp, &st) < 0)
			return -1;
		int rc = index_lookup(&ix, label, offset, lineno);
		index_clear(&ix);
		return rc;
	}
	if (*cachep == NULL && (*cachep = calloc(1, sizeof(**cachep))) == NULL)
		return -1;
	struct conf_index *ix = cache_get(*cachep, path, fp, &st);
	return ix != NULL ? index_lookup(ix, label, offset, lineno) : -1;
}

void conf_labels_free(struct conf_cache *cache)
{
	if (cache == NULL)
		return;
	for (size_t i = 0; i < cache->nfiles; i++)
		index_clear(&cache->files[i]);
	free(cache);
}

unsigned conf_cache_indexings(const struct conf_cache *cache)
{
	return cache != NULL ? cache->indexings : 0;
}
