/*
 * `set console ...` and `show console` (commands.md §8.3, §7). Inside a
 * console session enable/disable act on that session's options, of which
 * only `logging` means anything; the global `auth` can therefore only be
 * changed where no session exists (a config read at startup). There the
 * `logging` bit becomes the starting value of new telnet sessions.
 */
#include "ctl/console_priv.h"

#include <stdio.h>
#include <string.h>

#include "conf/cmd_global.h"
#include "core/daemon.h"

static const struct cmd_opt console_opts[] = {
	{"auth", false, CONSOLE_OPT_AUTH},
	{"logging", false, CONSOLE_OPT_LOGGING},
	{NULL, false, 0},
};

static int set_open(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	struct console *con = console_get(c->d);
	char err[160];

	(void)av;
	(void)arg;
	if (ac != 0)
		return CMD_USAGE;
	if (con == NULL)
		return cmd_error(c, "out of memory");
	if (c->d->check_only) /* -t: address and port were checked by `set console self` */
		return CMD_OK;
	if (console_is_open(con)) {
		/* mpd5 only logs this, so a config that opens twice still loads. */
		log_msg(LG_ERR, NULL, "CONSOLE: console already open");
		return CMD_OK;
	}
	if (console_open(con, err, sizeof(err)) != 0)
		return cmd_error(c, "%s", err);
	return CMD_OK;
}

static int set_close(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)av;
	(void)arg;
	if (ac != 0)
		return CMD_USAGE;
	if (c->d->console != NULL)
		console_close(c->d->console);
	return CMD_OK;
}

static int set_self(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	struct console *con;
	unsigned port = CONSOLE_DEFAULT_PORT;
	char err[160];

	(void)arg;
	if (ac < 1 || ac > 2)
		return CMD_USAGE;
	if (ac == 2 && cmd_parse_uint(av[1], 1, 65535, &port) != 0)
		return cmd_error(c, "invalid port \"%s\"", av[1]);
	if ((con = console_get(c->d)) == NULL)
		return cmd_error(c, "out of memory");
	if (console_set_self(con, av[0], port, err, sizeof(err)) != 0)
		return cmd_error(c, "%s", err);
	return CMD_OK;
}

/* mpd 4's `set console port {port}`: the port of `set console self`, the address kept. */
static int set_port4(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	struct console *con;
	char addr[sizeof(con->self)], err[160];
	unsigned port;

	(void)arg;
	if (ac != 1)
		return CMD_USAGE;
	if (cmd_parse_uint(av[0], 1, 65535, &port) != 0)
		return cmd_error(c, "invalid port \"%s\"", av[0]);
	if ((con = console_get(c->d)) == NULL)
		return cmd_error(c, "out of memory");
	snprintf(addr, sizeof(addr), "%s", con->self);
	if (console_set_self(con, addr, port, err, sizeof(err)) != 0)
		return cmd_error(c, "%s", err);
	return CMD_OK;
}

/* mpd 4's `set console ip {ip}`: the address of `set console self`, the port kept. */
static int set_ip4(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	struct console *con;
	char err[160];

	(void)arg;
	if (ac != 1)
		return CMD_USAGE;
	if ((con = console_get(c->d)) == NULL)
		return cmd_error(c, "out of memory");
	if (console_set_self(con, av[0], con->port, err, sizeof(err)) != 0)
		return cmd_error(c, "%s", err);
	return CMD_OK;
}

/* mpd 4's `set console user {name} {password}`: mpd 4 had no privilege levels, every
 * console user could do everything, so the user is `set user {name} {password} admin`. */
static int set_user4(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	char *args[3];

	if (ac != 2)
		return CMD_USAGE;
	args[0] = av[0];
	args[1] = av[1];
	args[2] = (char *)"admin";
	return cmd_set_user(c, 3, args, arg);
}

/* Inside a session the verbs act on a copy holding the session's logging flag;
 * only that bit is stored back, so `auth` applied there is dropped. */
static struct optset *console_optset(struct cmd_ctx *c, struct optset *scratch)
{
	if (c->session != NULL) {
		scratch->enable = c->logging ? 1u << CONSOLE_OPT_LOGGING : 0;
		return scratch;
	}
	struct console *con = console_get(c->d);
	if (con == NULL)
		cmd_error(c, "out of memory");
	return con != NULL ? &con->opts : NULL;
}

static void console_opts_changed(struct cmd_ctx *c, const struct optset *before, const struct optset *now,
				 uint32_t named)
{
	(void)before;
	(void)named;
	if (c->session != NULL)
		c->logging = opt_enabled(now, CONSOLE_OPT_LOGGING);
}

static const struct cmd_optmenu console_optmenu = {console_opts, console_optset, console_opts_changed,
						   NULL, NULL, NULL};

const struct cmd console_set_cmds[] = {
	{"open", "", "Open the console", set_open, NULL, CTX_GLOBAL, PRIV_ADMIN, NULL, NULL},
	{"close", "", "Close the console", set_close, NULL, CTX_GLOBAL, PRIV_ADMIN, NULL, NULL},
	{"self", "{ip} [{port}]", "Set console ip and port", set_self, NULL, CTX_GLOBAL, PRIV_ADMIN,
	 NULL, NULL},
	/* mpd 4 spellings */
	{"port", "{port}", "Set console port (mpd 4; see self)", set_port4, NULL, CTX_GLOBAL, PRIV_ADMIN, NULL, NULL},
	{"ip", "{ip}", "Set console address (mpd 4; see self)", set_ip4, NULL, CTX_GLOBAL, PRIV_ADMIN, NULL, NULL},
	{"user", "{name} {password}", "Add an admin console user (mpd 4; see set user)", set_user4, NULL,
	 CTX_GLOBAL, PRIV_ADMIN, NULL, NULL},
	/* users may change their own session's logging */
	CMD_OPT_VERBS_ED_PRIV(console_optmenu, CTX_GLOBAL, PRIV_USER, "[opt ...]"),
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
};

static void show_sessions(struct cmd_ctx *c, const struct console *con)
{
	const struct console_session *s;

	cmd_printf(c, "Active sessions:\n");
	cmd_printf(c, "\t%-20s %s\n", "Username", "From");
	TAILQ_FOREACH(s, &con->sessions, entry) {
		if (s->doomed || s->closing)
			continue;
		cmd_printf(c, "\t%-20s %s%s\n", s->state == SS_CMD ? s->user : "(login)", s->peer,
			   (const void *)s == c->session ? " *" : "");
	}
}

int console_show(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	const struct console *con = c->d->console;

	(void)av;
	(void)arg;
	if (ac != 0)
		return CMD_USAGE;
	cmd_printf(c, "Console:\n");
	if (con == NULL) {
		cmd_printf(c, "\tState         : CLOSED\n");
		cmd_printf(c, "\tIP-Address    : %s\n", CONSOLE_DEFAULT_ADDR);
		cmd_printf(c, "\tPort          : %u\n", CONSOLE_DEFAULT_PORT);
		return CMD_OK;
	}
	cmd_printf(c, "\tState         : %s\n", console_is_open(con) ? "OPENED" : "CLOSED");
	cmd_printf(c, "\tIP-Address    : %s\n", con->self);
	cmd_printf(c, "\tPort          : %u\n", console_is_open(con) ? con->bound_port : con->port);
	show_sessions(c, con);
	cmd_printf(c, "Global options:\n");
	cmd_opts_show(c, console_opts, &con->opts);
	if (c->session != NULL) {
		struct optset set = {.enable = c->logging ? 1u << CONSOLE_OPT_LOGGING : 0};
		cmd_printf(c, "Session options:\n");
		cmd_opts_show(c, console_opts, &set);
	}
	return CMD_OK;
}
