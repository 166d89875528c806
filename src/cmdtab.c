/*
 * The root of the command tree (commands.md §6-§13), wired at the top where
 * every layer is visible.  The fixed entries below name each layer's menu;
 * `set`, `show` and `unset` are completed once, on first use, with the
 * registered device types (dev/dev.c) and the generated "not supported yet"
 * entries of conf/cmd_later.c, then sorted so `help` lists read well.
 *
 * Why assembled arrays and not a lookup hook in the interpreter: the
 * interpreter, help, `?` and TAB completion all walk plain arrays; keeping
 * the menus plain means none of them learns a second way to find entries,
 * and the cost is paid once per process.
 */
#include "cmdtab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/cmd.h"
#include "conf/cmd_global.h"
#include "conf/cmd_later.h"
#include "ctl/console.h"
#include "bund/bundle.h"
#include "iface/iface.h"
#include "compat4.h"
#include "dev/dev.h"
#include "dev/link_dev.h"
#include "link/link.h"
#include "net/ippool.h"

#define LEAF(name, usage, help, fn, priv) {name, usage, help, fn, NULL, 0, priv, NULL, NULL}
#define MENU(name, help, sub, priv) {name, NULL, help, NULL, sub, 0, priv, NULL, NULL}
#define END {NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL}

/* Room of a generated menu: fixed entries + device types + unbuilt features. */
#define MENU_CAP 96

/* Compiled-in features for `show version`; layers update their rows as they land. */
static const struct {
	const char *name;
	const char *state;
} features[] = {
	{"data path", "user (TUN + device sockets)"},
	{"config fetch (http/ftp)", "no"},
	{"tcp-wrapper", "no (address lists)"},
	{"ipfw", "no (nftables)"},
	{"backtrace", "no"},
};

static int show_version(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)ac;
	(void)av;
	(void)arg;
	cmd_printf(c, "mpd5 for Linux version %s\n", MPD_VERSION);
	cmd_printf(c, "  Features:\n");
	for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++)
		cmd_printf(c, "\t%-24s: %s\n", features[i].name, features[i].state);
	cmd_printf(c, "\t%-24s:", "device types");
	for (const struct dev_type *const *t = dev_types(); *t != NULL; t++)
		cmd_printf(c, " %s", (*t)->name);
	cmd_printf(c, "\n");
	return CMD_OK;
}

static int show_types(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)ac;
	(void)av;
	(void)arg;
	cmd_printf(c, "Supported device types:\n");
	for (const struct dev_type *const *t = dev_types(); *t != NULL; t++)
		cmd_printf(c, "\t%-8s %s\n", (*t)->name, (*t)->descr != NULL ? (*t)->descr : "");
	return CMD_OK;
}

static int set_ng(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)ac;
	(void)av;
	(void)arg;
	return cmd_error(c, "there is no netgraph on Linux: use the exec device");
}

/* bund: mpd 4's `set phys type` in mpd.links */
static const struct cmd phys_set_cmds[] = {
	{"type", "{type}", "Device type (fixed at creation)", link_cmd_type, NULL, CTX_LINK, PRIV_ADMIN, NULL, NULL},
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

/* `set` entries besides the device types and the unbuilt features. */
static const struct cmd set_fixed[] = {
	{"auth", NULL, "Auth configuration", NULL, auth_set_cmds, CTX_LINK, PRIV_ADMIN, NULL, NULL},
	{"bundle", NULL, "Bundle configuration", NULL, bund_set_cmds, CTX_BUNDLE, PRIV_ADMIN, NULL, NULL},
	MENU("console", "Console configuration", console_set_cmds, PRIV_USER),     /* ctl: entries set their own privileges */
	/* no low-level debug verbosity to map netgraph's level to (commands.md §8.8) */
	{"debug", "{level}", "Set debug level", cmd_unsupported, NULL, 0, PRIV_ADMIN, NULL, "set debug"},
	{"eap", NULL, "EAP configuration", NULL, eap_set_cmds, CTX_LINK, PRIV_ADMIN, NULL, NULL},
	MENU("global", "Global configuration", global_set_cmds, PRIV_ADMIN),
	{"iface", NULL, "Interface configuration", NULL, iface_set_cmds, CTX_BUNDLE, PRIV_ADMIN, NULL, NULL},
	{"ipcp", NULL, "IPCP configuration", NULL, ipcp_set_cmds, CTX_BUNDLE, PRIV_ADMIN, NULL, NULL},
	MENU("ippool", "IP pool configuration", ippool_set_cmds, PRIV_ADMIN),
	{"link", NULL, "Link configuration", NULL, link_set_cmds, CTX_LINK, PRIV_ADMIN, NULL, NULL},
	LEAF("ng", "...", "Netgraph device (FreeBSD only)", set_ng, PRIV_ADMIN),
	{"phys", NULL, "Device type (mpd 4 compatibility)", NULL, phys_set_cmds, CTX_LINK, PRIV_ADMIN, NULL, NULL}, /* bund */
	{"radius", NULL, "RADIUS configuration", NULL, radius_set_cmds, CTX_LINK, PRIV_ADMIN, NULL, NULL},
	LEAF("user", "{name} {password} [admin|operator|user]", "Add console user", cmd_set_user, PRIV_ADMIN),
	END,
};

/* `show` entries besides the device types and the unbuilt features. */
static const struct cmd show_fixed[] = {
	{"auth", "", "Auth status", link_show_auth, NULL, CTX_LINK, PRIV_USER, NULL, NULL},
	LEAF("bundle", "[{name}]", "Bundle status", bund_show_bundle, PRIV_USER),
	LEAF("console", "", "Console status", console_show, PRIV_USER),          /* ctl */
	{"customer", "", "Customer summary", bund_show_customer, NULL, CTX_BUNDLE, PRIV_USER, NULL, NULL},
	{"device", "", "Device status", link_show_device, NULL, CTX_LINK, PRIV_USER, NULL, NULL},
	{"eap", "", "EAP status", link_show_eap, NULL, CTX_LINK, PRIV_USER, NULL, NULL},
	LEAF("events", "", "Pending events", show_events, PRIV_USER),
	LEAF("global", "", "Global settings", show_global, PRIV_USER),
	{"iface", "", "Interface status", iface_cmd_show, NULL, CTX_BUNDLE, PRIV_USER, NULL, NULL},
	{"ipcp", "", "IPCP status", bund_show_ipcp, NULL, CTX_BUNDLE, PRIV_USER, NULL, NULL},
	LEAF("ippool", "", "IP pool status", ippool_cmd_show, PRIV_USER),
	LEAF("layers", "", "Layers to open/close", show_layers, PRIV_USER),
	{"lcp", "", "LCP status", link_show_lcp, NULL, CTX_LINK, PRIV_USER, NULL, NULL},
	LEAF("link", "[{name}]", "Link status", link_show_link, PRIV_USER),
	LEAF("mem", "", "Memory usage", show_mem, PRIV_USER),
	{"radius", "", "RADIUS status", link_show_radius, NULL, CTX_LINK, PRIV_USER, NULL, NULL},
	LEAF("sessions", "[{filter} {value}]", "Active sessions", link_show_sessions, PRIV_USER),
	LEAF("summary", "", "Daemon status summary", link_show_summary, PRIV_USER),
	LEAF("types", "", "Supported device types", show_types, PRIV_USER),
	LEAF("user", "", "Console users", show_user, PRIV_USER),
	LEAF("version", "", "Version string", show_version, PRIV_USER),
	END,
};

/* `unset` entries besides the unbuilt features. */
static const struct cmd unset_fixed[] = {
	{"radius", NULL, "RADIUS configuration", NULL, radius_unset_cmds, CTX_LINK, PRIV_ADMIN, NULL, NULL},
	END,
};

/* The menus completed by menus_build(); the only state of this file, written once. */
static struct cmd set_cmds[MENU_CAP], show_cmds[MENU_CAP], unset_cmds[MENU_CAP];

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
	{"repeater", "[{name}]", "Choose/list repeaters", cmd_unsupported, NULL, 0, PRIV_USER, NULL, "repeater"},
	LEAF("session", "[{sesid}]", "Choose link by session-id", link_cmd_session, PRIV_USER),
	MENU("set", "Set parameters", set_cmds, PRIV_USER),
	MENU("show", "Show status", show_cmds, PRIV_USER),
	{"shutdown", "", "Shutdown program", cmd_shutdown, NULL, 0, PRIV_ADMIN | CMD_FULLWORD, NULL, NULL},
	MENU("unset", "Unset parameters", unset_cmds, PRIV_ADMIN),
	END,
};

/* A menu being assembled: entries so far, with room for the terminator. */
struct menu_buf {
	struct cmd *e;
	size_t n;
};

static bool menu_has(const struct menu_buf *m, const char *name)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->e[i].name, name) == 0)
			return true;
	return false;
}

/* Add e unless its name is taken (a built feature replaces its "later" entry). */
static void menu_add(struct menu_buf *m, const struct cmd *e)
{
	if (menu_has(m, e->name))
		return;
	if (m->n + 1 >= MENU_CAP) {
		/* a compiled-in table outgrew MENU_CAP: a build error in all but name */
		fprintf(stderr, "mpd5: command menu overflow at \"%s\"\n", e->name);
		abort();
	}
	m->e[m->n++] = *e;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cmd *)a)->name, ((const struct cmd *)b)->name);
}

/* fixed + the device types' entries (dev) + the unbuilt features of verb, sorted. */
static void menu_build(struct cmd *out, const struct cmd *fixed, bool set_dev, bool show_dev,
		       enum cmd_later_verb verb)
{
	struct menu_buf m = {out, 0};
	struct cmd later[MENU_CAP];

	for (const struct cmd *e = fixed; e != NULL && e->name != NULL; e++)
		menu_add(&m, e);
	for (const struct dev_type *const *t = dev_types(); *t != NULL; t++) {
		const struct dev_type *d = *t;
		if (set_dev && d->cmds != NULL) {
			struct cmd e = {d->name, NULL, d->cmds_help, NULL, d->cmds, CTX_LINK, PRIV_ADMIN, d->name, NULL};
			menu_add(&m, &e);
		}
		if (show_dev && d->show_cmd != NULL)
			menu_add(&m, d->show_cmd);
	}
	size_t nl = cmd_later_entries(verb, later, MENU_CAP);
	for (size_t i = 0; i < nl && i < MENU_CAP; i++)
		menu_add(&m, &later[i]);
	qsort(out, m.n, sizeof(out[0]), entry_cmp);
	out[m.n] = (struct cmd)END;
}

const struct cmd *cmd_root(void)
{
	/* one control thread: built before the first command runs, never again */
	static bool built;
	if (!built) {
		menu_build(set_cmds, set_fixed, true, false, LATER_SET);
		menu_build(show_cmds, show_fixed, false, true, LATER_SHOW);
		menu_build(unset_cmds, unset_fixed, false, false, LATER_UNSET);
		built = true;
	}
	return root_cmds;
}

static const char *rep_name(const struct repeater *r)
{
	(void)r;
	return "?"; /* repeaters come with a later issue */
}

static const struct cmd_names top_names = {link_type_name, link_name, bund_name, rep_name};

const struct cmd_names *cmdtab_names(void)
{
	return &top_names;
}
