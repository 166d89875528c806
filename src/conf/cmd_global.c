/*
 * `set global` and `set user` (commands.md §8.1, §8.2). Values are only
 * stored here; the layers that use them read struct daemon. Settings of
 * features this build does not have (PPTP, L2TP, ipfw numbering, the
 * message-queue thresholds) answer "not supported yet" rather than being
 * kept unused.
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "conf/cmd.h"
#include "conf/cmd_field.h"
#include "conf/cmd_global.h"
#include "core/daemon.h"

const struct cmd_opt global_opts[] = {
	{"one-shot", false, GOPT_ONESHOT},
	{"tcp-wrapper", false, GOPT_TCPWRAPPER},
	{"agent-cid", false, GOPT_AGENTCID},
	{"session-time", false, GOPT_SESSTIME},
	{"fast-path", false, GOPT_FASTPATH}, /* ours: dp/dp.h fast path, on by default */
	{NULL, false, 0},
};

void global_conf_defaults(struct global_conf *g)
{
	memset(g, 0, sizeof(*g));
	g->max_children = 10000;
	g->qthresh_min = 64;
	g->qthresh_max = 256;
	g->l2tp_timeout = 10;
	g->l2tp_limit = 100;
	g->pptp_timeout = 10;
	g->pptp_limit = 100;
	g->startrule = 10000;
	g->startpipe = 10000;
	g->startqueue = 10000;
	g->starttable = 32;
	g->opts.enable = 1u << GOPT_FASTPATH;
}

int cmd_parse_uint(const char *s, unsigned min, unsigned max, unsigned *out)
{
	char *end;
	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static struct optset *global_optset(struct cmd_ctx *c, struct optset *scratch)
{
	(void)scratch;
	return c->d != NULL ? &c->d->g.opts : NULL;
}

/* tcp-wrapper: no libwrap on Linux, and the console has no address list yet; agent-cid: `show
 * sessions` has no Agent-Circuit-Id column yet. */
static const char *const global_later[] = {"tcp-wrapper", "agent-cid", NULL};
static const struct cmd_optmenu global_optmenu = {global_opts, global_optset, NULL, global_later, NULL, NULL};

static void *gconf_of(struct cmd_ctx *c)
{
	if (c->d == NULL)
		cmd_error(c, "no daemon state");
	return c->d != NULL ? &c->d->g : NULL;
}

/* A `set global` value that is one number in a range. */
#define GNUM(member, lo, hi) \
	{CMD_FIELD_AT(struct global_conf, member), .type = CMD_F_UINT, .min = lo, .max = hi, \
	 .err = "'%s' is not a number in " #lo ".." #hi, .obj = gconf_of}

static const struct cmd_field g_maxchildren = GNUM(max_children, 0, 65536);

#define GLATER(n, u, h) {n, u, h, cmd_unsupported, NULL, 0, PRIV_ADMIN, NULL, "set global " n}

const struct cmd global_set_cmds[] = {
	CMD_OPT_VERBS_ED(global_optmenu, 0),
	GLATER("startrule", "{num}", "First ipfw/nft rule number"),
	GLATER("startpipe", "{num}", "First pipe number"),
	GLATER("startqueue", "{num}", "First queue number"),
	GLATER("starttable", "{num}", "First table number"),
	GLATER("pptptimeout", "{sec}", "Idle PPTP tunnel timeout"),
	GLATER("pptplimit", "{num}", "Calls per PPTP tunnel"),
	GLATER("l2tptimeout", "{sec}", "Idle L2TP tunnel timeout"),
	GLATER("l2tplimit", "{num}", "Sessions per L2TP tunnel"),
	CMD_FIELD("max-children", "{num}", "Max links cloned from templates", 0, g_maxchildren),
	GLATER("qthreshold", "{min} {max}", "Incoming call refusal thresholds"),
	GLATER("filter", "{num} add|clear [{rule} {filter}]", "Global traffic filters"),
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
};

static int priv_by_name(const char *s)
{
	if (strcmp(s, "admin") == 0)
		return PRIV_ADMIN;
	if (strcmp(s, "operator") == 0)
		return PRIV_OPERATOR;
	if (strcmp(s, "user") == 0)
		return PRIV_USER;
	return -1;
}

int cmd_set_user(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	struct daemon *d = c->d;
	struct console_user *u = NULL;
	int priv = PRIV_USER;
	(void)arg;

	if (ac < 2 || ac > 3 || (ac == 3 && (priv = priv_by_name(av[2])) < 0))
		return CMD_USAGE;
	if (av[0][0] == '\0')
		return cmd_error(c, "empty user name");
	if (strlen(av[0]) >= sizeof(u->name) || strlen(av[1]) >= sizeof(u->password))
		return cmd_error(c, "name or password too long (at most %zu characters)",
				 sizeof(u->name) - 1);
	if (d == NULL)
		return cmd_error(c, "no daemon state");
	for (int i = 0; i < d->nusers; i++)
		if (strcmp(d->users[i].name, av[0]) == 0)
			u = &d->users[i];
	if (u == NULL) {
		if (d->nusers >= MAX_USERS)
			return cmd_error(c, "too many users (at most %d)", MAX_USERS);
		u = &d->users[d->nusers++];
	}
	snprintf(u->name, sizeof(u->name), "%s", av[0]);
	snprintf(u->password, sizeof(u->password), "%s", av[1]);
	u->priv = priv;
	return CMD_OK;
}
