/* Top-level commands owned by conf/: load, log, exit, shutdown (commands.md §6, §13a). */
#include <string.h>
#include <strings.h>

#include "conf/cmd.h"
#include "conf/cmd_global.h"
#include "conf/cmd_priv.h"
#include "conf/load.h"
#include "core/log.h"
#include "core/daemon.h"

int cmd_load(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	if (ac < 1 || ac > 2)
		return CMD_USAGE;
	int rc = ac == 1 ? conf_load(c, NULL, av[0]) : conf_load(c, av[0], av[1]);
	/* A missing label is reported but is not a command error (§4.1); failures
	 * of the loaded commands were reported and counted one by one. */
	if (rc == CONF_LOAD_MISSING || rc >= 0)
		return CMD_OK;
	return rc;
}

static void log_list(struct cmd_ctx *c)
{
	cmd_printf(c, "Log flags:\n");
	for (int f = 0; f < LG_NFLAGS; f++)
		cmd_printf(c, "  %c%-10s %s\n", log_enabled((enum log_flag)f) ? '+' : '-',
			   log_flag_name((enum log_flag)f), log_flag_descr((enum log_flag)f));
}

/* mpd5 only notes an unknown flag and applies the rest; in a config file it is
 * still reported as "file:line: log ...: reason" and counted, so -t and the
 * startup summary show the typo. */
static void log_unknown_flag(struct cmd_ctx *c, int ac, char **av, const char *name)
{
	char line[CMD_MAX_LINE + 1];
	if (c->file == NULL) {
		cmd_notice(c, "unknown log flag '%s'", name);
		return;
	}
	cmd_join(line, sizeof(line), ac, av);
	cmd_notice(c, "log %s: unknown log flag '%s'", line, name);
	c->nerrors++;
}

int cmd_log(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	if (ac == 0) {
		log_list(c);
		return CMD_OK;
	}
	for (int i = 0; i < ac; i++) {
		const char *name = av[i];
		bool on = true;
		if (name[0] == '+' || name[0] == '-') {
			on = name[0] == '+';
			name++;
		}
		if (strcasecmp(name, "all") == 0) {
			for (int f = 0; f < LG_NFLAGS; f++)
				log_set((enum log_flag)f, on);
			continue;
		}
		int f = log_flag_by_name(name);
		if (f < 0) {
			log_unknown_flag(c, ac, av, name);
			continue;
		}
		log_set((enum log_flag)f, on);
	}
	return CMD_OK;
}

int cmd_exit(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)ac;
	(void)av;
	(void)arg;
	c->exit_req = true;
	return CMD_OK;
}

int cmd_shutdown(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)ac;
	(void)av;
	(void)arg;
	if (c->d == NULL || c->d->shutdown == NULL)
		return cmd_error(c, "shutdown is not available here");
	c->exit_req = true;
	c->d->shutdown(c->d);
	return CMD_OK;
}
