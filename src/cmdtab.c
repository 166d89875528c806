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
#include "ctl/console.h"
#include "dev/pppoe/pppoe.h"
#include "bund/bundle.h"
#include "iface/iface.h"
#include "compat4.h"
#include "link/link.h"
#include "net/ippool.h"

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

/* bund: mpd 4's `set phys type` in mpd.links */
static const struct cmd phys_set_cmds[] = {
	{"type", "{type}", "Device type (fixed at creation)", compat4_cmd_link_type, NULL, CTX_LINK, PRIV_ADMIN, NULL, NULL},
	END,
};

static const struct cmd create_cmds[] = {
	LEAF("link", "[template|static] {name} {type|template}", "Create link", link_cmd_create, PRIV_ADMIN),
	LEAF("bundle", "[template|static] {name} [{template}]", "Create bundle", bund_cmd_create, PRIV_ADMIN),
	END,
};

static const struct cmd destroy_cmds[] = {
	LEAF("link", "[{name}]", "Destroy link", link_cmd_destroy, PRIV_ADMIN),
	LEAF("bundle", "[{name}]", "Destroy bundle", bund_cmd_destroy, PRIV_ADMIN),
	END,
};

static const struct cmd set_cmds[] = {
	{"auth", NULL, "Auth configuration", NULL, auth_set_cmds, CTX_LINK, PRIV_ADMIN, NULL, NULL},
	{"bundle", NULL, "Bundle configuration", NULL, bund_set_cmds, CTX_BUNDLE, PRIV_ADMIN, NULL, NULL},
	STUB("ccp", "...", "CCP configuration", PRIV_ADMIN, "set ccp"),
	MENU("console", "Console configuration", console_set_cmds, PRIV_USER),     /* ctl: entries set their own privileges */
	LEAF("debug", "{level}", "Set data-path debug level", cmd_set_debug, PRIV_ADMIN),
	{"eap", NULL, "EAP configuration", NULL, eap_set_cmds, CTX_LINK, PRIV_ADMIN, NULL, NULL},
	STUB("ecp", "...", "ECP configuration", PRIV_ADMIN, "set ecp"),
	STUB("exec", "...", "Exec device configuration", PRIV_ADMIN, "set exec"),     /* LAYER: dev (exec) */
	MENU("global", "Global configuration", global_set_cmds, PRIV_ADMIN),
	{"iface", NULL, "Interface configuration", NULL, iface_set_cmds, CTX_BUNDLE, PRIV_ADMIN, NULL, NULL},
	{"ipcp", NULL, "IPCP configuration", NULL, ipcp_set_cmds, CTX_BUNDLE, PRIV_ADMIN, NULL, NULL},
	MENU("ippool", "IP pool configuration", ippool_set_cmds, PRIV_ADMIN),
	STUB("ipv6cp", "...", "IPV6CP configuration", PRIV_ADMIN, "set ipv6cp"),
	STUB("l2tp", "...", "L2TP device configuration", PRIV_ADMIN, "set l2tp"),
	{"link", NULL, "Link configuration", NULL, link_set_cmds, CTX_LINK, PRIV_ADMIN, NULL, NULL},
	STUB("modem", "...", "Modem device configuration", PRIV_ADMIN, "set modem"),
	STUB("mppc", "...", "MPPC configuration", PRIV_ADMIN, "set mppc"),
	STUB("nat", "...", "NAT configuration", PRIV_ADMIN, "set nat"),
	STUB("netflow", "...", "NetFlow configuration", PRIV_ADMIN, "set netflow"),
	LEAF("ng", "...", "Netgraph device (FreeBSD only)", set_ng, PRIV_ADMIN),
	{"phys", NULL, "Device type (mpd 4 compatibility)", NULL, phys_set_cmds, CTX_LINK, PRIV_ADMIN, NULL, NULL}, /* bund */
	{"pppoe", NULL, "PPPoE device configuration", NULL, pppoe_cmds, CTX_LINK, PRIV_ADMIN, "pppoe", NULL},
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
	{"auth", "", "Auth status", link_show_auth, NULL, CTX_LINK, PRIV_USER, NULL, NULL},
	LEAF("bundle", "[{name}]", "Bundle status", bund_show_bundle, PRIV_USER),
	STUB("ccp", "", "CCP status", PRIV_USER, "show ccp"),
	LEAF("console", "", "Console status", console_show, PRIV_USER),          /* ctl */
	{"customer", "", "Customer summary", bund_show_customer, NULL, CTX_BUNDLE, PRIV_USER, NULL, NULL},
	{"device", "", "Device status", link_show_device, NULL, CTX_LINK, PRIV_USER, NULL, NULL},
	{"eap", "", "EAP status", link_show_eap, NULL, CTX_LINK, PRIV_USER, NULL, NULL},
	STUB("ecp", "", "ECP status", PRIV_USER, "show ecp"),
	LEAF("events", "", "Pending events", show_events, PRIV_USER),
	LEAF("global", "", "Global settings", show_global, PRIV_USER),
	{"iface", "", "Interface status", iface_cmd_show, NULL, CTX_BUNDLE, PRIV_USER, NULL, NULL},
	{"ipcp", "", "IPCP status", bund_show_ipcp, NULL, CTX_BUNDLE, PRIV_USER, NULL, NULL},
	LEAF("ippool", "", "IP pool status", ippool_cmd_show, PRIV_USER),
	STUB("ipv6cp", "", "IPV6CP status", PRIV_USER, "show ipv6cp"),
	STUB("l2tp", "", "L2TP tunnels", PRIV_USER, "show l2tp"),
	LEAF("layers", "", "Layers to open/close", show_layers, PRIV_USER),
	{"lcp", "", "LCP status", link_show_lcp, NULL, CTX_LINK, PRIV_USER, NULL, NULL},
	LEAF("link", "[{name}]", "Link status", link_show_link, PRIV_USER),
	LEAF("mem", "", "Memory usage", show_mem, PRIV_USER),
	STUB("mppc", "", "MPPC status", PRIV_USER, "show mppc"),
	STUB("nat", "", "NAT status", PRIV_USER, "show nat"),
	STUB("netflow", "", "NetFlow status", PRIV_USER, "show netflow"),
	STUB("pptp", "", "PPTP tunnels", PRIV_USER, "show pptp"),
	STUB("radius", "", "RADIUS status", PRIV_USER, "show radius"),
	STUB("radsrv", "", "RADIUS server status", PRIV_USER, "show radsrv"),
	STUB("repeater", "[{name}]", "Repeater status", PRIV_USER, "show repeater"),
	STUB("routes", "", "IP routing table", PRIV_USER, "show routes"),
	LEAF("sessions", "[{filter} {value}]", "Active sessions", link_show_sessions, PRIV_USER),
	LEAF("summary", "", "Daemon status summary", link_show_summary, PRIV_USER),
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
	LEAF("authname", "[{name} [CI]]", "Choose link by auth name", link_cmd_authname, PRIV_USER),
	LEAF("bundle", "[{name}]", "Choose/list bundles", bund_cmd_select, PRIV_USER),
	LEAF("close", "[{layer}]", "Close a layer", link_cmd_close, PRIV_OPERATOR),
	MENU("create", "Create new item", create_cmds, PRIV_ADMIN),
	MENU("destroy", "Destroy item", destroy_cmds, PRIV_ADMIN),
	LEAF("exit", "", "Exit console", cmd_exit, PRIV_USER),
	LEAF("help", "[{command}]", "Help on any command", cmd_help, PRIV_USER),
	LEAF("iface", "[{iface}]", "Choose bundle by iface", bund_cmd_iface, PRIV_USER),
	LEAF("link", "[{name}|[{index}]]", "Choose link", link_cmd_select, PRIV_USER),
	LEAF("load", "[{file}] {label}", "Read from config file", cmd_load, PRIV_USER),
	LEAF("log", "[+/-{opt} ...]", "Set/view log options", cmd_log, PRIV_ADMIN),
	LEAF("msession", "[{msesid}]", "Choose bundle by msession-id", bund_cmd_msession, PRIV_USER),
	LEAF("new", "[-i {iface}] {bundle} {link} ...", "Create bundle and links (mpd 4)", compat4_cmd_new, PRIV_ADMIN), /* bund */
	LEAF("open", "[{layer}]", "Open a layer", link_cmd_open, PRIV_OPERATOR),
	STUB("repeater", "[{name}]", "Choose/list repeaters", PRIV_USER, "repeater"),
	LEAF("session", "[{sesid}]", "Choose link by session-id", link_cmd_session, PRIV_USER),
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
