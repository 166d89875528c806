/* `set ippool add` and `show ippool` (commands.md §8.7, §7). */
#include <arpa/inet.h>
#include <errno.h>

#include "conf/cmd.h"
#include "core/daemon.h"
#include "net/ippool.h"

static int ippool_cmd_add(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	struct in_addr first, last;
	if (ac != 3)
		return CMD_USAGE;
	if (inet_pton(AF_INET, av[1], &first) != 1)
		return cmd_error(c, "bad IPv4 address \"%s\"", av[1]);
	if (inet_pton(AF_INET, av[2], &last) != 1)
		return cmd_error(c, "bad IPv4 address \"%s\"", av[2]);
	if (c->d->pools == NULL && (c->d->pools = ippool_new()) == NULL)
		return cmd_error(c, "out of memory");
	int rc = ippool_add(c->d->pools, av[0], first, last);
	if (rc < 0)
		return cmd_error(c, "%s", ippool_strerror(rc));
	return CMD_OK;
}

const struct cmd ippool_set_cmds[] = {
	{.name = "add", .usage = "{pool} {first} {last}", .help = "Add IP range to the pool",
	 .fn = ippool_cmd_add, .ctx = CTX_GLOBAL, .priv = PRIV_ADMIN},
	{.name = NULL},
};

static void ippool_show_one(const char *name, unsigned used, unsigned total, void *arg)
{
	cmd_printf(arg, "\t%-15s used %5u of %5u\n", name, used, total);
}

int ippool_cmd_show(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)av;
	(void)arg;
	if (ac != 0)
		return CMD_USAGE;
	cmd_printf(c, "Available IP pools:\n");
	ippool_foreach(c->d->pools, ippool_show_one, c);
	return CMD_OK;
}
