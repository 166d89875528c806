/*
 * enable/disable/accept/deny/yes/no option lists (commands.md §5.2).  A bad
 * option name is logged and skipped so one typo does not undo the rest of
 * a config line, as in mpd5.
 */
#include <string.h>
#include <strings.h>

#include "conf/cmd.h"
#include "core/log.h"

/* Logged and, in a config file, counted: the rest of the list still applies, as in
 * mpd5, but the startup summary and -t show the typo. */
static void opt_log(struct cmd_ctx *c, const char *name, const char *what)
{
	if (c->file != NULL) {
		log_msg(LG_ERR, NULL, "%s:%d: option \"%s\": %s", c->file, c->line, name, what);
		c->nerrors++;
	} else {
		log_msg(LG_ERR, NULL, "option \"%s\": %s", name, what);
	}
}

/* Case-insensitive unique-prefix match; NULL (logged) when none or ambiguous. */
static const struct cmd_opt *opt_find(struct cmd_ctx *c, const struct cmd_opt *opts,
				      const char *name)
{
	const struct cmd_opt *found = NULL;
	size_t len = strlen(name);
	int n = 0;

	if (len == 0) {
		opt_log(c, name, "unknown option");
		return NULL;
	}
	for (const struct cmd_opt *o = opts; o->name != NULL; o++) {
		if (strcasecmp(o->name, name) == 0)
			return o;
		if (strncasecmp(o->name, name, len) == 0) {
			found = o;
			n++;
		}
	}
	if (n == 1)
		return found;
	opt_log(c, name, n == 0 ? "unknown option" : "ambiguous option");
	return NULL;
}

static void opt_apply_one(struct cmd_ctx *c, enum cmd_optverb verb, const struct cmd_opt *o,
			  struct optset *set)
{
	uint32_t bit = o->bit < 32 ? UINT32_C(1) << o->bit : 0;

	switch (verb) {
	case OPT_ENABLE: set->enable |= bit; break;
	case OPT_DISABLE: set->enable &= ~bit; break;
	case OPT_ACCEPT:
	case OPT_DENY:
		if (!o->bidir) {
			opt_log(c, o->name, "accept/deny not applicable");
			break;
		}
		if (verb == OPT_ACCEPT)
			set->accept |= bit;
		else
			set->accept &= ~bit;
		break;
	case OPT_YES:
		set->enable |= bit;
		if (o->bidir)
			set->accept |= bit;
		break;
	case OPT_NO:
		set->enable &= ~bit;
		if (o->bidir)
			set->accept &= ~bit;
		break;
	}
}

/* Apply verb to the options av names; returns their bits (the ones found). */
static uint32_t opts_apply(struct cmd_ctx *c, enum cmd_optverb verb, int ac, char *const *av,
			   const struct cmd_opt *opts, struct optset *set)
{
	uint32_t named = 0;
	for (int i = 0; i < ac; i++) {
		const struct cmd_opt *o = opt_find(c, opts, av[i]);
		if (o == NULL)
			continue;
		opt_apply_one(c, verb, o, set);
		named |= o->bit < 32 ? UINT32_C(1) << o->bit : 0;
	}
	return named;
}

/* Refuse enabling/accepting any of names (features not built yet): CMD_ERR naming the option, or 0. */
static int cmd_opts_refuse(struct cmd_ctx *c, enum cmd_optverb verb, int ac, char **av, const char *const *names)
{
	if (verb != OPT_ENABLE && verb != OPT_YES && verb != OPT_ACCEPT)
		return 0;
	for (int i = 0; i < ac; i++) {
		size_t n = strlen(av[i]);
		for (int j = 0; names[j] != NULL && n >= 2; j++)
			if (strncasecmp(av[i], names[j], n) == 0)
				return cmd_later_error(c, "option '%s' is not supported yet", names[j]);
	}
	return 0;
}

/* Refuse enabling an option this port never offers, with its reason; CMD_ERR or 0. */
static int cmd_opts_never(struct cmd_ctx *c, enum cmd_optverb verb, int ac, char **av, const struct cmd_optnever *nv)
{
	if (verb != OPT_ENABLE && verb != OPT_YES && verb != OPT_ACCEPT)
		return 0;
	for (int i = 0; i < ac; i++) {
		size_t n = strlen(av[i]);
		for (int j = 0; nv[j].name != NULL && n >= 2; j++)
			if (strncasecmp(av[i], nv[j].name, n) == 0)
				return cmd_error(c, "option '%s' is not available: %s", nv[j].name, nv[j].why);
	}
	return 0;
}

static const struct cmd_optalias *alias_find(const struct cmd_optalias *al, const char *word)
{
	for (; al != NULL && al->name != NULL; al++)
		if (strcasecmp(al->name, word) == 0)
			return al;
	return NULL;
}

/* Apply verb word by word, a shorthand standing for its options. */
static uint32_t menu_apply(struct cmd_ctx *c, const struct cmd_optmenu *m, enum cmd_optverb verb,
			   int ac, char **av, struct optset *set)
{
	uint32_t named = 0;
	for (int i = 0; i < ac; i++) {
		const struct cmd_optalias *al = alias_find(m->aliases, av[i]);
		int n = 0;
		if (al == NULL) {
			named |= opts_apply(c, verb, 1, av + i, m->opts, set);
			continue;
		}
		while (al->expands[n] != NULL)
			n++;
		named |= opts_apply(c, verb, n, (char *const *)al->expands, m->opts, set);
	}
	return named;
}

void cmd_opts_show(struct cmd_ctx *c, const struct cmd_opt *opts, const struct optset *set)
{
	cmd_printf(c, "\tOptions:\n");
	for (const struct cmd_opt *o = opts; o->name != NULL; o++) {
		cmd_printf(c, "\t  %-20s %-8s%s\n", o->name,
			   opt_enabled(set, o->bit) ? "enable" : "disable",
			   !o->bidir ? "" : opt_accepted(set, o->bit) ? "accept" : "deny");
	}
}

static int opt_verb(struct cmd_ctx *c, int ac, char **av, const void *arg, enum cmd_optverb verb)
{
	const struct cmd_optmenu *m = arg;
	struct optset scratch = {0};
	if (ac == 0)
		return CMD_USAGE;
	if (m->later != NULL && cmd_opts_refuse(c, verb, ac, av, m->later) < 0)
		return CMD_ERR;
	if (m->never != NULL && cmd_opts_never(c, verb, ac, av, m->never) < 0)
		return CMD_ERR;
	struct optset *set = m->get(c, &scratch);
	if (set == NULL)
		return c->err[0] ? CMD_ERR : cmd_error(c, "no object selected for these options");
	struct optset before = *set;
	uint32_t named = menu_apply(c, m, verb, ac, av, set);
	if (m->changed != NULL)
		m->changed(c, &before, set, named);
	return CMD_OK;
}

int cmd_opt_enable(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	return opt_verb(c, ac, av, arg, OPT_ENABLE);
}

int cmd_opt_disable(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	return opt_verb(c, ac, av, arg, OPT_DISABLE);
}

int cmd_opt_accept(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	return opt_verb(c, ac, av, arg, OPT_ACCEPT);
}

int cmd_opt_deny(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	return opt_verb(c, ac, av, arg, OPT_DENY);
}

int cmd_opt_yes(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	return opt_verb(c, ac, av, arg, OPT_YES);
}

int cmd_opt_no(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	return opt_verb(c, ac, av, arg, OPT_NO);
}
