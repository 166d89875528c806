/*
 * mpd 4's `new` command (mpd 4.4.1 bundle layer) mapped onto mpd5 objects:
 * a static bundle, its `set bundle links` slots, and static links whose
 * labels in mpd.links are loaded into them.
 */
#include "compat4.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/cmd.h"
#include "conf/labels.h"
#include "conf/lexer.h"
#include "conf/load.h"
#include "core/log.h"
#include "core/daemon.h"
#include "dev/dev.h"
#include "bund/bundle.h"
#include "link/link.h"

void compat4_ifname(const char *in, char *out, size_t outlen)
{
	size_t n = strlen(in);
	bool ng = n > 2 && strncmp(in, "ng", 2) == 0;
	for (size_t i = 2; ng && i < n; i++)
		if (!isdigit((unsigned char)in[i]))
			ng = false;
	if (ng)
		snprintf(out, outlen, "ppp%s", in + 2);
	else
		snprintf(out, outlen, "%s", in);
}

/* True for a `set link type X` or `set phys type X` line. */
static bool is_type_line(const struct conf_args *a)
{
	return a->ac == 4 && strcmp(a->av[0], "set") == 0 &&
	       (strcmp(a->av[1], "link") == 0 || strcmp(a->av[1], "phys") == 0) && strcmp(a->av[2], "type") == 0;
}

static int scan_label(FILE *fp, const char *path, int lineno, char *type, size_t typelen)
{
	struct conf_reader r;
	struct conf_line *line = malloc(sizeof(*line));
	struct conf_args *a = malloc(sizeof(*a));
	int rc = -1;
	if (line == NULL || a == NULL)
		goto out;
	conf_reader_init(&r, fp, path, lineno);
	while (conf_reader_next(&r, line) && !line->label) {
		if (conf_args_split(a, line->text) < 0 || !is_type_line(a))
			continue;
		snprintf(type, typelen, "%s", a->av[3]);
		rc = 0;
		break;
	}
out:
	free(line);
	free(a);
	return rc;
}

int compat4_label_type(const char *path, const char *label, char *type, size_t typelen,
		       char *err, size_t errlen)
{
	FILE *fp = fopen(path, "r");
	long offset;
	int lineno;
	if (fp == NULL) {
		snprintf(err, errlen, "can't read %s", path);
		return -1;
	}
	int rc = -1;
	if (conf_labels_find(NULL, path, fp, label, &offset, &lineno) < 0)
		snprintf(err, errlen, "no label \"%s\" in %s", label, path);
	else if (fseek(fp, offset, SEEK_SET) < 0 || scan_label(fp, path, lineno, type, typelen) < 0)
		snprintf(err, errlen, "label \"%s\" of %s has no 'set link type'", label, path);
	else
		rc = 0;
	fclose(fp);
	return rc;
}

/* Create link name of the type its mpd.links label names, owned by b. */
static struct link *new_link(struct cmd_ctx *c, struct bundle *b, const char *name, const char *path)
{
	char type[32], err[160];
	if (compat4_label_type(path, name, type, sizeof(type), err, sizeof(err)) < 0) {
		cmd_error(c, "%s", err);
		return NULL;
	}
	const struct dev_type *dev = dev_type_find(type);
	if (dev == NULL) {
		if (link_type_refusal(type, err, sizeof(err)))
			cmd_later_error(c, "link \"%s\": %s", name, err);
		else
			cmd_error(c, "link \"%s\": %s", name, err);
		return NULL;
	}
	struct link *l = link_create(c->d, name, LINK_STATIC, dev, NULL, err, sizeof(err));
	if (l == NULL) {
		cmd_error(c, "%s", err);
		return NULL;
	}
	l->owner = bund_handle(b);
	b->owns_links = true;
	return l;
}

static int new_usage_check(struct cmd_ctx *c, int ac, char **av)
{
	if (ac < 2 || ac - 1 > BUND_MAX_LINKS)
		return CMD_USAGE;
	for (int i = 1; i < ac; i++) {
		if (strlen(av[i]) >= sizeof(((struct bund_conf *)0)->links[0]) || strlen(av[i]) >= LINK_NAME_MAX)
			return cmd_error(c, "link name \"%s\" is too long", av[i]);
		for (int j = 1; j < i; j++)
			if (strcmp(av[i], av[j]) == 0)
				return cmd_error(c, "link \"%s\" named twice", av[i]);
		if (link_find(c->d, av[i]) != NULL)
			return cmd_error(c, "link \"%s\" already exists", av[i]);
	}
	return CMD_OK;
}

int compat4_cmd_new(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	char ifname[16] = "";
	if (ac >= 2 && strcmp(av[0], "-i") == 0) {
		if (strlen(av[1]) > 15)
			return cmd_error(c, "interface name \"%s\" is too long", av[1]);
		compat4_ifname(av[1], ifname, sizeof(ifname));
		ac -= 2, av += 2;
	}
	int rc = new_usage_check(c, ac, av);
	if (rc != CMD_OK)
		return rc;
	char path[512];
	conf_path(c->d, COMPAT4_LINKS_FILE, path, sizeof(path));
	char type[32], err[160];
	for (int i = 1; i < ac; i++) { /* refuse before creating anything */
		if (compat4_label_type(path, av[i], type, sizeof(type), err, sizeof(err)) < 0)
			return cmd_error(c, "%s", err);
		if (dev_type_find(type) == NULL) {
			if (link_type_refusal(type, err, sizeof(err)))
				return cmd_later_error(c, "link \"%s\": %s", av[i], err);
			return cmd_error(c, "link \"%s\": %s", av[i], err);
		}
	}

	struct bundle *tmp = calloc(1, sizeof(*tmp));
	if (tmp == NULL)
		return cmd_error(c, "out of memory");
	bund_conf_defaults(tmp);
	snprintf(tmp->iface.conf.name, sizeof(tmp->iface.conf.name), "%s", ifname);
	for (int i = 1; i < ac; i++)
		snprintf(tmp->conf.links[i - 1], sizeof(tmp->conf.links[0]), "%s", av[i]);
	tmp->conf.nlinks = ac - 1;
	tmp->conf.mpd4 = true;
	struct bundle *b = bund_create(c->d, av[0], BUND_STATIC, tmp, err, sizeof(err));
	free(tmp);
	if (b == NULL)
		return cmd_error(c, "%s", err);
	log_msg(LG_BUND, b->name, "Bundle: mpd 4 'new': interface %s, %d link%s", iface_name(&b->iface), ac - 1,
		ac > 2 ? "s" : "");

	struct link *first = NULL;
	for (int i = 1; i < ac; i++) {
		struct link *l = new_link(c, b, av[i], path);
		if (l == NULL)
			return CMD_ERR;
		c->link = l;
		c->bund = b;
		c->rep = NULL;
		if (conf_load(c, COMPAT4_LINKS_FILE, av[i]) != 0)
			log_msg(LG_ERR, l->name, "Link: errors in %s label \"%s\"", path, av[i]);
		if (first == NULL)
			first = l;
	}
	/* as in mpd 4, the new bundle and its first link are selected */
	c->bund = b;
	c->link = first;
	c->rep = NULL;
	return CMD_OK;
}

