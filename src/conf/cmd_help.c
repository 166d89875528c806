/*
 * Help for the command tree: the `help` command, the console's `?` and TAB
 * completion.  All three see only what the caller's privilege allows.
 */
#include <string.h>

#include "conf/cmd.h"
#include "conf/cmd_global.h"
#include "conf/cmd_priv.h"
#include "conf/lexer.h"

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\f' || ch == '\v';
}

void cmd_list_menu(struct cmd_ctx *c, const struct cmd *menu)
{
	int col = 0;
	cmd_printf(c, "Available commands:\n");
	for (const struct cmd *e = menu; e != NULL && e->name != NULL; e++) {
		if (!cmd_visible(c, e))
			continue;
		cmd_printf(c, "  %-10s: %-28s%s", e->name, e->help != NULL ? e->help : "",
			   col ? "\n" : "");
		col = !col;
	}
	if (col)
		cmd_printf(c, "\n");
}

static void print_usage(struct cmd_ctx *c, const char *words, const struct cmd *e)
{
	const char *u = e->usage != NULL ? e->usage : "";
	cmd_printf(c, "Usage: %s%s%s\n", words, u[0] ? " " : "", u);
	if (e->help != NULL && e->help[0])
		cmd_printf(c, "  %s\n", e->help);
}

/* Follow n words from the root.  Returns the menu reached, or NULL after
 * printing usage (a leaf was reached) or an error. */
static const struct cmd *walk(struct cmd_ctx *c, int n, char **av, char *words, size_t wlen)
{
	const struct cmd *menu = cmd_menu_root(c);
	size_t used = 0;
	int rc;

	words[0] = '\0';
	for (int i = 0; i < n; i++) {
		const struct cmd *e = cmd_lookup(c, menu, av[i], &rc);
		if (e == NULL) {
			cmd_notice(c, "%s: '%s'", rc == CMD_AMBIG ? "Ambiguous command" : "Unknown command",
				   av[i]);
			return NULL;
		}
		int w = snprintf(words + used, wlen - used, "%s%s", i ? " " : "", e->name);
		if (w > 0 && (size_t)w < wlen - used)
			used += (size_t)w;
		if (e->fn != NULL || e->sub == NULL) {
			print_usage(c, words, e);
			return NULL;
		}
		menu = e->sub;
	}
	return menu;
}

int cmd_help(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	char words[CMD_MAX_LINE + 1];
	(void)arg;
	const struct cmd *menu = walk(c, ac, av, words, sizeof(words));
	if (menu != NULL)
		cmd_list_menu(c, menu);
	return CMD_OK;
}

void cmd_help_line(struct cmd_ctx *c, const char *partial)
{
	struct conf_args a;
	char words[CMD_MAX_LINE + 1];
	size_t len = strlen(partial);
	int rc = conf_args_split(&a, partial);

	if (rc < 0) {
		cmd_notice(c, "%s", conf_split_strerror(rc));
		return;
	}
	bool trailing = len == 0 || is_blank(partial[len - 1]) || a.ac == 0;
	const struct cmd *menu = walk(c, trailing ? a.ac : a.ac - 1, a.av, words, sizeof(words));
	if (menu == NULL)
		return;
	if (trailing) {
		cmd_list_menu(c, menu);
		return;
	}
	const char *pre = a.av[a.ac - 1];
	size_t plen = strlen(pre);
	int n = 0;
	for (const struct cmd *e = menu; e->name != NULL; e++)
		if (cmd_visible(c, e) && strncmp(e->name, pre, plen) == 0) {
			cmd_printf(c, "  %-10s: %s\n", e->name, e->help != NULL ? e->help : "");
			n++;
		}
	if (n == 0)
		cmd_notice(c, "Unknown command: '%s'", pre);
}

/* The one visible entry of menu that word completes to, or NULL. */
static const struct cmd *complete_word(const struct cmd_ctx *c, const struct cmd *menu,
				       const char *word)
{
	const struct cmd *found = NULL;
	size_t len = strlen(word);
	for (const struct cmd *e = menu; e->name != NULL; e++) {
		if (!cmd_visible(c, e) || strncmp(e->name, word, len) != 0)
			continue;
		if (strcmp(e->name, word) == 0)
			return e;
		if (found != NULL)
			return NULL;
		found = e;
	}
	return found;
}

int cmd_complete(struct cmd_ctx *c, const char *partial, char *out, size_t outlen)
{
	struct conf_args a;
	size_t len = strlen(partial);
	int rc;

	if (len == 0 || is_blank(partial[len - 1]) || conf_args_split(&a, partial) <= 0)
		return 0;
	const struct cmd *menu = cmd_menu_root(c);
	for (int i = 0; i < a.ac - 1; i++) {
		const struct cmd *e = cmd_lookup(c, menu, a.av[i], &rc);
		if (e == NULL || e->sub == NULL || e->fn != NULL)
			return 0;
		menu = e->sub;
	}
	const struct cmd *e = complete_word(c, menu, a.av[a.ac - 1]);
	if (e == NULL)
		return 0;
	size_t start = len;
	while (start > 0 && !is_blank(partial[start - 1]))
		start--;
	int w = snprintf(out, outlen, "%.*s%s ", (int)start, partial, e->name);
	return w > 0 && (size_t)w < outlen ? 1 : 0;
}
