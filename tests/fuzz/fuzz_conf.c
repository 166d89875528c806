/* Fuzz the command language: splitting, the file reader, the label index
 * and the dispatcher with option lists, help and completion on a tiny tree. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/cmd.h"
#include "conf/labels.h"
#include "conf/lexer.h"
#include "core/log.h"

static size_t out_bytes;

static void sink(void *arg, const char *s)
{
	(void)arg;
	out_bytes += strlen(s);
}

static int leaf(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	if (ac > 2)
		return CMD_USAGE;
	if (ac == 1 && av[0][0] == 'e')
		return cmd_error(c, "bad value '%s'", av[0]);
	return CMD_OK;
}

static const struct cmd_opt opts[] = {
	{"alpha", true, 0}, {"alps", false, 1}, {"beta", true, 31}, {NULL, false, 0},
};
static struct optset the_set;
static struct optset *get_set(struct cmd_ctx *c, struct optset *scratch)
{
	(void)scratch;
	return c->link != NULL ? &the_set : NULL;
}
static const char *const later[] = {"beta", NULL};
static const char *const both[] = {"alpha", "alps", NULL};
static const struct cmd_optalias aliases[] = {{"al", both}, {NULL, NULL}};
static const struct cmd_optmenu optmenu = {opts, get_set, NULL, later, aliases, NULL};

static const struct cmd sub[] = {
	{"mru", "{n}", "MRU", leaf, NULL, 0, PRIV_ADMIN, NULL, NULL},
	{"mtu", "{n}", "MTU", leaf, NULL, CTX_BUNDLE, PRIV_ADMIN, NULL, NULL},
	{"dev", "", "dev", leaf, NULL, 0, PRIV_ADMIN, "pppoe", NULL},
	CMD_OPT_VERBS(optmenu, CTX_LINK),
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
};
static const struct cmd set[] = {
	{"link", NULL, "link", NULL, sub, 0, PRIV_USER, NULL, NULL},
	{"lin", NULL, "lin", NULL, sub, 0, PRIV_USER, NULL, NULL},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
};
static const struct cmd root[] = {
	{"set", NULL, "set", NULL, set, 0, PRIV_USER, NULL, NULL},
	{"show", "", "show", leaf, NULL, 0, PRIV_USER, NULL, NULL},
	{"shutdown", "", "stop", leaf, NULL, 0, PRIV_ADMIN | CMD_FULLWORD, NULL, NULL},
	{"help", "", "help", leaf, NULL, 0, PRIV_USER, NULL, NULL},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
};

static int fake_link;

static const char *fake_type(const struct link *l)
{
	(void)l;
	return "tcp";
}

static const char *fake_name(const struct link *l)
{
	(void)l;
	return "L";
}

static const struct cmd_names names = {fake_type, fake_name, NULL, NULL};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool quiet;
	if (!quiet) {
		for (int f = 0; f < LG_NFLAGS; f++)
			log_set((enum log_flag)f, false);
		quiet = true;
	}
	if (size > 64 * 1024)
		return 0;
	/* the whole input as one line */
	char *line = malloc(size + 1);
	if (line == NULL)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	struct conf_args a;
	conf_args_split(&a, line);
	char *buf = malloc(size + 1);
	char *av[8];
	if (buf != NULL)
		conf_split(line, buf, size + 1, av, 8); /* strlen+1 must always suffice */
	free(buf);

	struct cmd_ctx c = {.priv = size & 1 ? PRIV_ADMIN : PRIV_USER, .out = sink,
			    .root = root, .file = "fuzz", .link = (struct link *)&fake_link,
			    .names = &names};
	char comp[256];
	cmd_help_line(&c, line);
	cmd_complete(&c, line, comp, sizeof(comp));
	cmd_prompt(&c, comp, sizeof(comp));
	free(line);

	/* the whole input as a file */
	FILE *fp = fmemopen((void *)data, size, "r");
	if (fp == NULL)
		return 0;
	struct conf_reader r;
	struct conf_line *l = malloc(sizeof(*l));
	char label[64] = "";
	conf_reader_init(&r, fp, "fuzz", 0);
	while (l != NULL && conf_reader_next(&r, l)) {
		c.line = l->lineno;
		if (l->label) {
			if (label[0] == '\0')
				conf_label_name(l->text, label, sizeof(label));
			continue;
		}
		cmd_run_line(&c, l->text);
		cmd_complete(&c, l->text, comp, sizeof(comp));
	}
	free(l);
	long off;
	int lineno;
	if (label[0] != '\0')
		conf_labels_find(NULL, "fuzz", fp, label, &off, &lineno);
	fclose(fp);
	return 0;
}
