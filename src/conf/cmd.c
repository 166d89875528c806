/*
 * The command dispatcher (commands.md §5.1): walks the menu tree word by
 * word, checks privilege and context, runs the leaf and reports failures in
 * the console's or the config file's format.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/cmd.h"
#include "conf/cmd_priv.h"
#include "conf/lexer.h"
#include "core/log.h"

void cmd_printf(struct cmd_ctx *c, const char *fmt, ...)
{
	char small[512];
	va_list ap;

	if (c->out == NULL)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		c->out(c->out_arg, small);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (big == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	c->out(c->out_arg, big);
	free(big);
}

int cmd_error(struct cmd_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	return CMD_ERR;
}

int cmd_later_error(struct cmd_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	c->err_later = true;
	return CMD_ERR;
}

/* A failure that means "this build lacks the feature". Besides cmd_later_error(),
 * any message saying "not supported yet" counts: an answer written with plain
 * cmd_error() must still stop startup rather than let it run with less. */
static bool failed_later(const struct cmd_ctx *c, int rc)
{
	return rc == CMD_ERR && (c->err_later || strstr(c->err, "not supported yet") != NULL);
}

void cmd_notice(struct cmd_ctx *c, const char *fmt, ...)
{
	char msg[CMD_MAX_LINE + 256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->out == NULL || (c->file != NULL && c->log_errors)) {
		if (c->file != NULL)
			log_msg(LG_ERR, NULL, "%s:%d: %s", c->file, c->line, msg);
		else
			log_msg(LG_ERR, NULL, "%s", msg);
	} else if (c->file != NULL) {
		cmd_printf(c, "%s:%d: %s\n", c->file, c->line, msg);
	} else {
		cmd_printf(c, "%s\n", msg);
	}
}

int cmd_unsupported(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)ac;
	(void)av;
	return cmd_later_error(c, "'%s' is not supported yet", arg != NULL ? (const char *)arg : "command");
}

const struct cmd *cmd_menu_root(const struct cmd_ctx *c)
{
	return c->root != NULL ? c->root : cmd_root();
}

bool cmd_visible(const struct cmd_ctx *c, const struct cmd *e)
{
	return CMD_PRIV(e->priv) <= c->priv;
}

bool cmd_ctx_ok(const struct cmd_ctx *c, const struct cmd *e)
{
	if ((e->ctx & CTX_LINK) && c->link == NULL)
		return false;
	if ((e->ctx & CTX_BUNDLE) && c->bund == NULL)
		return false;
	if ((e->ctx & CTX_REPEATER) && c->rep == NULL)
		return false;
	if (e->devtype != NULL) {
		const char *t = NULL;
		if (c->link != NULL && c->names != NULL && c->names->link_type != NULL)
			t = c->names->link_type(c->link);
		if (t == NULL || strcmp(t, e->devtype) != 0)
			return false;
	}
	return true;
}

const struct cmd *cmd_lookup(const struct cmd_ctx *c, const struct cmd *menu, const char *word,
			     int *rc)
{
	const struct cmd *found = NULL;
	size_t len = strlen(word);
	int n = 0;

	*rc = CMD_UNKNOWN;
	if (len == 0 || menu == NULL)
		return NULL;
	for (const struct cmd *e = menu; e->name != NULL; e++) {
		if (!cmd_visible(c, e))
			continue;
		if (strcmp(e->name, word) == 0)
			return e; /* an exact name beats longer names sharing it */
		if (!(e->priv & CMD_FULLWORD) && strncmp(e->name, word, len) == 0) {
			found = e;
			n++;
		}
	}
	if (n == 1)
		return found;
	*rc = n == 0 ? CMD_UNKNOWN : CMD_AMBIG;
	return NULL;
}

void cmd_join(char *buf, size_t len, int ac, char *const *av)
{
	size_t n = 0;
	if (len == 0)
		return;
	buf[0] = '\0';
	for (int i = 0; i < ac && n < len; i++) {
		bool quote = av[i][0] == '\0' || strpbrk(av[i], " \t\r\n\f\v") != NULL;
		int w = snprintf(buf + n, len - n, "%s%s%s%s", i > 0 ? " " : "", quote ? "\"" : "",
				 av[i], quote ? "\"" : "");
		if (w < 0)
			break;
		n += (size_t)w;
	}
}

/* The failure report: "file:line: <command>: <reason>" while a file runs,
 * the console forms otherwise. */
static void report(struct cmd_ctx *c, int rc, const char *line, const char *words,
		   const char *usage)
{
	char reason[CMD_MAX_LINE + 64];

	switch (rc) {
	case CMD_UNKNOWN: snprintf(reason, sizeof(reason), "Unknown command"); break;
	case CMD_AMBIG: snprintf(reason, sizeof(reason), "Ambiguous command"); break;
	case CMD_INCOMPLETE: snprintf(reason, sizeof(reason), "Incomplete command"); break;
	case CMD_CTX: snprintf(reason, sizeof(reason), "Incorrect context"); break;
	case CMD_USAGE:
		snprintf(reason, sizeof(reason), "Usage: %s%s%s", words,
			 usage != NULL && usage[0] ? " " : "", usage != NULL ? usage : "");
		break;
	default:
		snprintf(reason, sizeof(reason), "%s",
			 c->err[0] ? c->err : rc == CMD_RECURSE ? "Recursion detected" : "failed");
		break;
	}
	if (c->file != NULL) {
		cmd_notice(c, "%s: %s", line, reason);
		return;
	}
	switch (rc) {
	case CMD_UNKNOWN:
	case CMD_AMBIG:
	case CMD_INCOMPLETE:
		cmd_notice(c, "%s: '%s'. Try \"help\".", reason, line);
		break;
	case CMD_CTX:
		cmd_notice(c, "Incorrect context for: %s", line);
		break;
	case CMD_USAGE:
		cmd_notice(c, "%s", reason);
		break;
	default:
		cmd_notice(c, "Error in '%s': %s", line, reason);
		break;
	}
}

/* Walk the tree and run the leaf; path and depth tell report() what was reached. */
static int dispatch(struct cmd_ctx *c, int ac, char **av, const struct cmd **path, int *depth)
{
	const struct cmd *menu = cmd_menu_root(c);
	int rc;

	for (int i = 0; i < ac; i++) {
		const struct cmd *e = cmd_lookup(c, menu, av[i], &rc);
		if (e == NULL)
			return rc;
		path[(*depth)++] = e;
		if (!cmd_ctx_ok(c, e))
			return CMD_CTX;
		if (e->fn != NULL)
			return e->fn(c, ac - i - 1, av + i + 1, e->arg);
		if (e->sub == NULL)
			return cmd_error(c, "'%s' has no handler", e->name);
		menu = e->sub;
	}
	return CMD_INCOMPLETE;
}

int cmd_run(struct cmd_ctx *c, int ac, char **av)
{
	const struct cmd *path[CMD_MAX_ARGS];
	char line[CMD_MAX_LINE + 1], words[CMD_MAX_LINE + 1];
	int depth = 0;

	if (ac <= 0)
		return CMD_OK;
	if (ac > CMD_MAX_ARGS)
		ac = CMD_MAX_ARGS;
	c->err[0] = '\0';
	c->err_later = false;
	int rc = dispatch(c, ac, av, path, &depth);
	if (rc == CMD_OK)
		return CMD_OK;
	c->nerrors++;
	if (failed_later(c, rc))
		c->nlater++;
	cmd_join(line, sizeof(line), ac, av);
	size_t n = 0;
	words[0] = '\0';
	for (int i = 0; i < depth && n < sizeof(words); i++) {
		int w = snprintf(words + n, sizeof(words) - n, "%s%s", i ? " " : "", path[i]->name);
		n += w > 0 ? (size_t)w : 0;
	}
	report(c, rc, line, words, depth > 0 ? path[depth - 1]->usage : NULL);
	return rc;
}

int cmd_run_line(struct cmd_ctx *c, const char *line)
{
	struct conf_args *a = malloc(sizeof(*a));
	int rc;

	if (a == NULL)
		return cmd_error(c, "out of memory");
	if ((rc = conf_args_split(a, line)) < 0) {
		char shown[CMD_MAX_LINE + 1];
		snprintf(shown, sizeof(shown), "%s", line);
		c->nerrors++;
		cmd_error(c, "%s", conf_split_strerror(rc));
		report(c, CMD_ERR, shown, "", NULL);
		free(a);
		return CMD_ERR;
	}
	rc = cmd_run(c, a->ac, a->av);
	free(a);
	return rc;
}

void cmd_prompt(const struct cmd_ctx *c, char *buf, size_t len)
{
	const struct cmd_names *n = c->names;
	const char *name = "";
	if (n == NULL)
		name = c->link != NULL || c->bund != NULL || c->rep != NULL ? "?" : "";
	else if (c->link != NULL)
		name = n->link != NULL ? n->link(c->link) : "?";
	else if (c->bund != NULL)
		name = n->bund != NULL ? n->bund(c->bund) : "?";
	else if (c->rep != NULL)
		name = n->rep != NULL ? n->rep(c->rep) : "?";
	snprintf(buf, len, "[%s] ", name != NULL ? name : "");
}
