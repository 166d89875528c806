/* The list of known-but-unbuilt features and the menu entries made from it. */
#include "conf/cmd_later.h"

#include <string.h>

/* The three answers are spelled out here so the entries need no storage of their own. */
#define LATER(n, seth, showh, showu, uns, dev) \
	{n, seth, showh, showu, uns, dev, "set " n, "show " n, "unset " n}

static const struct cmd_later later[] = {
	LATER("ccp", "CCP configuration", "CCP status", "", false, false),
	LATER("ecp", "ECP configuration", "ECP status", "", false, false),
	LATER("exec", "Exec device configuration", NULL, NULL, false, true),
	LATER("ipv6cp", "IPV6CP configuration", "IPV6CP status", "", false, false),
	LATER("l2tp", "L2TP device configuration", "L2TP tunnels", "", false, true),
	LATER("modem", "Modem device configuration", NULL, NULL, false, true),
	LATER("mppc", "MPPC configuration", "MPPC status", "", false, false),
	LATER("nat", "NAT configuration", "NAT status", "", true, false),
	LATER("netflow", "NetFlow configuration", "NetFlow status", "", false, false),
	LATER("pptp", "PPTP device configuration", "PPTP tunnels", "", false, true),
	LATER("radsrv", "RADIUS server configuration", "RADIUS server status", "", false, false),
	LATER("repeater", NULL, "Repeater status", "[{name}]", false, false),
	LATER("routes", NULL, "IP routing table", "", false, false),
	LATER("tcp", "TCP device configuration", NULL, NULL, false, true),
	LATER("udp", "UDP device configuration", NULL, NULL, false, true),
	LATER("web", "Web server configuration", "Web server status", "", false, false),
	{NULL, NULL, NULL, NULL, false, false, NULL, NULL, NULL},
};

const struct cmd_later *cmd_later_find(const char *name)
{
	for (const struct cmd_later *l = later; l->name != NULL; l++)
		if (strcmp(l->name, name) == 0)
			return l;
	return NULL;
}

/* The entry of l in verb's menu; false when l has none there. */
static bool later_entry(const struct cmd_later *l, enum cmd_later_verb verb, struct cmd *e)
{
	switch (verb) {
	case LATER_SET:
		*e = (struct cmd){l->name, "...", l->set_help, cmd_unsupported, NULL, 0, PRIV_ADMIN, NULL, l->set_what};
		return l->set_help != NULL;
	case LATER_SHOW:
		*e = (struct cmd){l->name, l->show_usage, l->show_help, cmd_unsupported, NULL, 0, PRIV_USER, NULL,
				  l->show_what};
		return l->show_help != NULL;
	case LATER_UNSET:
		*e = (struct cmd){l->name, "...", l->set_help, cmd_unsupported, NULL, 0, PRIV_ADMIN, NULL, l->unset_what};
		return l->unset;
	}
	return false;
}

size_t cmd_later_entries(enum cmd_later_verb verb, struct cmd *out, size_t max)
{
	size_t n = 0;
	for (const struct cmd_later *l = later; l->name != NULL; l++) {
		struct cmd e;
		if (!later_entry(l, verb, &e))
			continue;
		if (n < max)
			out[n] = e;
		n++;
	}
	return n;
}
