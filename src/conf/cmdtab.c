/*
 * The root of the command tree (commands.md §6-§13).  Menus of other layers
 * are plugged in here: each "LAYER:" comment marks an entry that answers
 * "not supported yet" until that layer exports its table; replace the STUB
 * line with the layer's entry, e.g.
 *	{"link", NULL, "Link specific stuff", NULL, link_set_cmds, CTX_LINK, PRIV_ADMIN, NULL, NULL},
 * Entries stay in alphabetical order so `help` lists read well.
 */
#include "conf/cmd.h"
#include "conf/cmd_global.h"

#define STUB(name, usage, help, priv, what) \
	{name, usage, help, cmd_unsupported, NULL, 0, priv, NULL, what}
#define LEAF(name, usage, help, fn, priv) {name, usage, help, fn, NULL, 0, priv, NULL, NULL}
#define MENU(name, help, sub, priv) {name, NULL, help, NULL, sub, 0, priv, NULL, NULL}
#define END {NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL}

static int set_ng(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)ac;
	(void)av;
	(void)arg;
	return cmd_error(c, "there is no netgraph on Linux: use the exec device");
}

static const struct cmd set_cmds[] = {
	STUB("auth", "...", "Auth configuration", PRIV_ADMIN, "set auth"),           /* LAYER: link (auth) */
	STUB("bundle", "...", "Bundle configuration", PRIV_ADMIN, "set bundle"),     /* LAYER: link (bundle) */
	STUB("ccp", "...", "CCP configuration", PRIV_ADMIN, "set ccp"),
	STUB("console", "...", "Console configuration", PRIV_USER, "set console"),   /* LAYER: ctl (console_set_cmds; its own entries set privileges) */
	LEAF("debug", "{level}", "Set data-path debug level", cmd_set_debug, PRIV_ADMIN),
	STUB("eap", "...", "EAP configuration", PRIV_ADMIN, "set eap"),
	STUB("ecp", "...", "ECP configuration", PRIV_ADMIN, "set ecp"),
	STUB("exec", "...", "Exec device configuration", PRIV_ADMIN, "set exec"),     /* LAYER: dev (exec) */
	MENU("global", "Global configuration", global_set_cmds, PRIV_ADMIN),
	STUB("iface", "...", "Interface configuration", PRIV_ADMIN, "set iface"),    /* LAYER: net/link (iface) */
	STUB("ipcp", "...", "IPCP configuration", PRIV_ADMIN, "set ipcp"),           /* LAYER: link (ipcp) */
	STUB("ippool", "...", "IP pool configuration", PRIV_ADMIN, "set ippool"),    /* LAYER: net (ippool_set_cmds) */
	STUB("ipv6cp", "...", "IPV6CP configuration", PRIV_ADMIN, "set ipv6cp"),
	STUB("l2tp", "...", "L2TP device configuration", PRIV_ADMIN, "set l2tp"),
	STUB("link", "...", "Link configuration", PRIV_ADMIN, "set link"),           /* LAYER: link (link_set_cmds) */
	STUB("modem", "...", "Modem device configuration", PRIV_ADMIN, "set modem"),
	STUB("mppc", "...", "MPPC configuration", PRIV_ADMIN, "set mppc"),
	STUB("nat", "...", "NAT configuration", PRIV_ADMIN, "set nat"),
	STUB("netflow", "...", "NetFlow configuration", PRIV_ADMIN, "set netflow"),
	LEAF("ng", "...", "Netgraph device (FreeBSD only)", set_ng, PRIV_ADMIN),
	STUB("pppoe", "...", "PPPoE device configuration", PRIV_ADMIN, "set pppoe"), /* LAYER: dev (dev_pppoe.cmds, devtype "pppoe") */
	STUB("pptp", "...", "PPTP device configuration", PRIV_ADMIN, "set pptp"),
	STUB("radius", "...", "RADIUS configuration", PRIV_ADMIN, "set radius"),
	STUB("radsrv", "...", "RADIUS server configuration", PRIV_ADMIN, "set radsrv"),
	STUB("tcp", "...", "TCP device configuration", PRIV_ADMIN, "set tcp"),
	STUB("udp", "...", "UDP device configuration", PRIV_ADMIN, "set udp"),
	LEAF("user", "{name} {password} [admin|operator|user]", "Add console user", cmd_set_user, PRIV_ADMIN),
	STUB("web", "...", "Web server configuration", PRIV_ADMIN, "set web"),
	END,
};

static const struct cmd show_cmds[] = {
	STUB("auth", "", "Auth status", PRIV_USER, "show auth"),                 /* LAYER: link */
	STUB("bundle", "[{name}]", "Bundle status", PRIV_USER, "show bundle"),   /* LAYER: link */
	STUB("ccp", "", "CCP status", PRIV_USER, "show ccp"),
	STUB("console", "", "Console status", PRIV_USER, "show console"),        /* LAYER: ctl */
	STUB("customer", "", "Customer summary", PRIV_USER, "show customer"),    /* LAYER: link */
	STUB("device", "", "Device status", PRIV_USER, "show device"),           /* LAYER: link/dev */
	STUB("eap", "", "EAP status", PRIV_USER, "show eap"),
	STUB("ecp", "", "ECP status", PRIV_USER, "show ecp"),
	LEAF("events", "", "Pending events", show_events, PRIV_USER),
	LEAF("global", "", "Global settings", show_global, PRIV_USER),
	STUB("iface", "", "Interface status", PRIV_USER, "show iface"),          /* LAYER: net/link */
	STUB("ipcp", "", "IPCP status", PRIV_USER, "show ipcp"),                 /* LAYER: link */
	STUB("ippool", "", "IP pool status", PRIV_USER, "show ippool"),          /* LAYER: net */
	STUB("ipv6cp", "", "IPV6CP status", PRIV_USER, "show ipv6cp"),
	STUB("l2tp", "", "L2TP tunnels", PRIV_USER, "show l2tp"),
	LEAF("layers", "", "Layers to open/close", show_layers, PRIV_USER),
	STUB("lcp", "", "LCP status", PRIV_USER, "show lcp"),                    /* LAYER: link */
	STUB("link", "", "Link status", PRIV_USER, "show link"),                 /* LAYER: link */
	LEAF("mem", "", "Memory usage", show_mem, PRIV_USER),
	STUB("mppc", "", "MPPC status", PRIV_USER, "show mppc"),
	STUB("nat", "", "NAT status", PRIV_USER, "show nat"),
	STUB("netflow", "", "NetFlow status", PRIV_USER, "show netflow"),
	STUB("pptp", "", "PPTP tunnels", PRIV_USER, "show pptp"),
	STUB("radius", "", "RADIUS status", PRIV_USER, "show radius"),
	STUB("radsrv", "", "RADIUS server status", PRIV_USER, "show radsrv"),
	STUB("repeater", "[{name}]", "Repeater status", PRIV_USER, "show repeater"),
	STUB("routes", "", "IP routing table", PRIV_USER, "show routes"),
	STUB("sessions", "[{filter} {value}]", "Active sessions", PRIV_USER, "show sessions"), /* LAYER: link */
	STUB("summary", "", "Daemon status summary", PRIV_USER, "show summary"), /* LAYER: link */
	LEAF("types", "", "Supported device types", show_types, PRIV_USER),
	LEAF("user", "", "Console users", show_user, PRIV_USER),
	LEAF("version", "", "Version string", show_version, PRIV_USER),
	STUB("web", "", "Web server status", PRIV_USER, "show web"),
	END,
};

static const struct cmd unset_cmds[] = {
	STUB("nat", "...", "NAT configuration", PRIV_ADMIN, "unset nat"),
	STUB("radius", "...", "RADIUS configuration", PRIV_ADMIN, "unset radius"),
	END,
};

static const struct cmd root_cmds[] = {
	STUB("authname", "[{name} [CI]]", "Choose link by auth name", PRIV_USER, "authname"), /* LAYER: link */
	STUB("bundle", "[{name}]", "Choose/list bundles", PRIV_USER, "bundle"),               /* LAYER: link */
	STUB("close", "[{layer}]", "Close a layer", PRIV_OPERATOR, "close"),                  /* LAYER: link */
	STUB("create", "link|bundle ...", "Create new item", PRIV_ADMIN, "create"),          /* LAYER: link */
	STUB("destroy", "link|bundle [{name}]", "Destroy item", PRIV_ADMIN, "destroy"),     /* LAYER: link */
	LEAF("exit", "", "Exit console", cmd_exit, PRIV_USER),
	LEAF("help", "[{command}]", "Help on any command", cmd_help, PRIV_USER),
	STUB("iface", "[{iface}]", "Choose bundle by iface", PRIV_USER, "iface"),            /* LAYER: link */
	STUB("link", "[{name}|[{index}]]", "Choose link", PRIV_USER, "link"),                /* LAYER: link */
	LEAF("load", "[{file}] {label}", "Read from config file", cmd_load, PRIV_USER),
	LEAF("log", "[+/-{opt} ...]", "Set/view log options", cmd_log, PRIV_ADMIN),
	STUB("msession", "[{msesid}]", "Choose bundle by msession-id", PRIV_USER, "msession"), /* LAYER: link */
	STUB("open", "[{layer}]", "Open a layer", PRIV_OPERATOR, "open"),                     /* LAYER: link */
	STUB("repeater", "[{name}]", "Choose/list repeaters", PRIV_USER, "repeater"),
	STUB("session", "[{sesid}]", "Choose link by session-id", PRIV_USER, "session"),      /* LAYER: link */
	MENU("set", "Set parameters", set_cmds, PRIV_USER),
	MENU("show", "Show status", show_cmds, PRIV_USER),
	{"shutdown", "", "Shutdown program", cmd_shutdown, NULL, 0, PRIV_ADMIN | CMD_FULLWORD, NULL, NULL},
	MENU("unset", "Unset parameters", unset_cmds, PRIV_ADMIN),
	END,
};

const struct cmd *cmd_root(void)
{
	return root_cmds;
}
