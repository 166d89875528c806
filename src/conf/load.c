/*
 * `load`: run the command lines of one label of a config file, in the
 * caller's context, nesting up to CONF_MAX_DEPTH.  Commands that fail are
 * counted through cmd_ctx.nerrors so startup can refuse a broken config.
 */
#include "conf/load.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/labels.h"
#include "conf/lexer.h"
#include "core/daemon.h"

void conf_path(const struct daemon *d, const char *file, char *buf, size_t len)
{
	if (file == NULL)
		file = d != NULL ? d->conffile : "mpd.conf";
	if (file[0] == '/' || d == NULL || d->confdir[0] == '\0')
		snprintf(buf, len, "%s", file);
	else
		snprintf(buf, len, "%s/%s", d->confdir, file);
}

static bool is_url(const char *file)
{
	return strncasecmp(file, "http://", 7) == 0 || strncasecmp(file, "https://", 8) == 0 ||
	       strncasecmp(file, "ftp://", 6) == 0;
}

/* Execute the lines of the entry that starts after offset, up to the next label. */
static void run_entry(struct cmd_ctx *c, FILE *fp, const char *path, int lineno)
{
	struct conf_reader r;
	struct conf_line *line = malloc(sizeof(*line));
	const char *ofile = c->file;
	int oline = c->line;

	if (line == NULL) {
		c->nerrors++;
		return;
	}
	conf_reader_init(&r, fp, path, lineno);
	c->file = path;
	c->depth++;
	while (conf_reader_next(&r, line) && !line->label) {
		c->line = line->lineno;
		cmd_run_line(c, line->text);
	}
	c->depth--;
	c->file = ofile;
	c->line = oline;
	free(line);
}

int conf_load_ex(struct cmd_ctx *c, const char *file, const char *label, struct conf_result *r)
{
	char path[512];
	long offset;
	int lineno;

	memset(r, 0, sizeof(*r));
	if (file != NULL && is_url(file))
		return cmd_error(c, "loading configuration from a URL is not supported");
	if (c->depth >= CONF_MAX_DEPTH) {
		cmd_error(c, "Recursion detected");
		return CMD_RECURSE;
	}
	conf_path(c->d, file, path, sizeof(path));
	FILE *fp = fopen(path, "r");
	if (fp == NULL)
		return CONF_LOAD_MISSING;
	struct conf_cache **cachep = c->d != NULL ? &c->d->confcache : NULL;
	if (conf_labels_find(cachep, path, fp, label, &offset, &lineno) < 0 ||
	    fseek(fp, offset, SEEK_SET) < 0) {
		fclose(fp);
		return 0;
	}
	unsigned before = c->nerrors;
	r->found = true;
	run_entry(c, fp, path, lineno);
	r->errors = c->nerrors - before;
	fclose(fp);
	return 0;
}

int conf_load(struct cmd_ctx *c, const char *file, const char *label)
{
	struct conf_result r;
	int rc = conf_load_ex(c, file, label, &r);
	if (rc == CONF_LOAD_MISSING || (rc == 0 && !r.found)) {
		char path[512];
		conf_path(c->d, file, path, sizeof(path));
		cmd_notice(c, "can't read configuration for %s from %s", label, path);
		return CONF_LOAD_MISSING;
	}
	return rc < 0 ? rc : (int)r.errors;
}

void conf_cache_free(struct daemon *d)
{
	if (d == NULL)
		return;
	conf_labels_free(d->confcache);
	d->confcache = NULL;
}
