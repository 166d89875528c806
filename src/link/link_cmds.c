/*
 * Link commands: create/destroy/select, `set link`, `set auth`, open and
 * close by layer, and the link-side show commands (commands.md §6, §7, §9).
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/cmd.h"
#include "conf/cmd_field.h"
#include "conf/cmd_global.h"
#include "conf/cmd_later.h"
#include "core/log.h"
#include "core/daemon.h"
#include "bund/bund_mp.h"
#include "bund/bundle.h"
#include "iface/iface.h"
#include "iface/iface_demand.h"
#include "link/link.h"
#include "link/link_ppp.h"

static const struct cmd_opt link_opts[] = {
	{"incoming", false, LOPT_INCOMING},
	{"pap", true, LOPT_PAP},
	{"chap-md5", true, LOPT_CHAP_MD5},
	{"chap-msv1", true, LOPT_CHAP_MSV1},
	{"chap-msv2", true, LOPT_CHAP_MSV2},
	{"eap", true, LOPT_EAP},
	{"acfcomp", true, LOPT_ACFCOMP},
	{"protocomp", true, LOPT_PROTOCOMP},
	{"magicnum", false, LOPT_MAGICNUM},
	{"check-magic", false, LOPT_CHECK_MAGIC},
	{"passive", false, LOPT_PASSIVE},
	{"callback", false, LOPT_CALLBACK},
	{"no-orig-auth", false, LOPT_NO_ORIG_AUTH},
	{"keep-ms-domain", false, LOPT_KEEP_MS_DOMAIN},
	{"multilink", false, LOPT_MULTILINK},
	{"shortseq", true, LOPT_SHORTSEQ},
	{"time-remain", false, LOPT_TIME_REMAIN},
	{"peer-as-calling", false, LOPT_PEER_AS_CALLING},
	{"report-mac", false, LOPT_REPORT_MAC},
	{"remove-tee", false, LOPT_REMOVE_TEE},
	{NULL, false, 0},
};

static const struct cmd_opt auth_opts[] = {
	{"internal", false, AOPT_INTERNAL},
	{"radius-auth", false, AOPT_RADIUS_AUTH},
	{"radius-acct", false, AOPT_RADIUS_ACCT},
	{"ext-auth", false, AOPT_EXT_AUTH},
	{"ext-acct", false, AOPT_EXT_ACCT},
	{"pam-auth", false, AOPT_PAM_AUTH},
	{"pam-acct", false, AOPT_PAM_ACCT},
	{"system-auth", false, AOPT_SYSTEM_AUTH},
	{"system-acct", false, AOPT_SYSTEM_ACCT},
	{"opie", false, AOPT_OPIE},
	{"acct-mandatory", false, AOPT_ACCT_MANDATORY},
	{"strict-attrs", false, AOPT_STRICT_ATTRS},
	{NULL, false, 0},
};

static const struct cmd_opt eap_opts[] = {
	{"md5", true, EOPT_MD5},
	{"radius-proxy", false, EOPT_RADIUS_PROXY},
	{NULL, false, 0},
};

/* ---- set link ---- */

static struct optset *link_optset(struct cmd_ctx *c, struct optset *scratch)
{
	(void)scratch;
	return &c->link->conf.opts;
}

/* The device listens for calls only with `incoming`: tell it when that changed. */
static void link_opts_changed(struct cmd_ctx *c, const struct optset *before, const struct optset *now,
			      uint32_t named)
{
	(void)named;
	if (opt_enabled(before, LOPT_INCOMING) != opt_enabled(now, LOPT_INCOMING) && c->link->dev->update)
		c->link->dev->update(c->link);
}

/* Calling-Station-Id rewriting waits for RADIUS and the tunnel devices; Linux has no tee node to remove. */
static const char *const link_later[] = {"callback", "time-remain", "peer-as-calling", "report-mac", "remove-tee",
					 NULL};
/* `chap` is shorthand for the three CHAP variants (commands.md §9). */
static const char *const chap_all[] = {"chap-md5", "chap-msv1", "chap-msv2", NULL};
static const struct cmd_optalias link_aliases[] = {{"chap", chap_all}, {NULL, NULL}};
static const struct cmd_optmenu link_optmenu = {link_opts, link_optset, link_opts_changed, link_later,
						link_aliases};

static int link_set_action(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	struct link_conf *lc = &c->link->conf;
	if (ac == 1 && strcmp(av[0], "clear") == 0) {
		for (int i = 0; i < lc->nactions; i++)
			if (lc->actions[i].pattern != NULL) {
				regfree(&lc->actions[i].re);
				free(lc->actions[i].pattern);
			}
		lc->nactions = 0;
		return CMD_OK;
	}
	if (ac < 1)
		return CMD_USAGE;
	struct link_action a = {0};
	int rest;
	if (strcmp(av[0], "bundle") == 0 || strcmp(av[0], "forward") == 0) {
		if (ac < 2 || ac > 3)
			return CMD_USAGE;
		a.kind = av[0][0] == 'b' ? ACT_BUNDLE : ACT_FORWARD;
		if (strlen(av[1]) >= sizeof(a.target))
			return cmd_error(c, "name \"%s\" too long", av[1]);
		snprintf(a.target, sizeof(a.target), "%s", av[1]);
		rest = 2;
	} else if (strcmp(av[0], "drop") == 0) {
		if (ac > 2)
			return CMD_USAGE;
		a.kind = ACT_DROP;
		rest = 1;
	} else {
		return CMD_USAGE;
	}
	if (a.kind == ACT_FORWARD)
		return cmd_later_error(c, "'set link action forward' is not supported yet (repeaters)");
	if (lc->nactions >= LINK_MAX_ACTIONS)
		return cmd_error(c, "too many actions (max %d)", LINK_MAX_ACTIONS);
	if (rest < ac) {
		int e = regcomp(&a.re, av[rest], REG_EXTENDED | REG_NOSUB);
		if (e != 0) {
			char msg[128];
			regerror(e, &a.re, msg, sizeof(msg));
			return cmd_error(c, "bad regular expression \"%s\": %s", av[rest], msg);
		}
		a.pattern = strdup(av[rest]);
		if (a.pattern == NULL) {
			regfree(&a.re);
			return cmd_error(c, "out of memory");
		}
	}
	lc->actions[lc->nactions++] = a;
	return CMD_OK;
}

static void *link_conf_of(struct cmd_ctx *c)
{
	return &c->link->conf;
}

static void *link_tmpl_conf_of(struct cmd_ctx *c)
{
	if (c->link->kind != LINK_TEMPLATE) {
		cmd_error(c, "max-children applies to link templates only");
		return NULL;
	}
	return &c->link->conf;
}

/* mpd5 waits at least a second between attempts, whatever was asked. */
static int redial_delay_post(struct cmd_ctx *c, void *obj)
{
	struct link_conf *lc = obj;
	(void)c;
	if (lc->redial_delay < 1)
		lc->redial_delay = 1;
	return CMD_OK;
}

#define LINK_FIELD(member, t, lo, hi, msg) \
	{CMD_FIELD_AT(struct link_conf, member), .type = t, .min = lo, .max = hi, .err = msg, .obj = link_conf_of}

static const struct cmd_field f_bandwidth =
	LINK_FIELD(bandwidth, CMD_F_UINT, 1, 1000000000, "bandwidth must be a positive number of bits per second");
static const struct cmd_field f_latency =
	LINK_FIELD(latency, CMD_F_UINT, 0, 1000000, "latency must be 0 to 1000000 microseconds");
static const struct cmd_field f_accmap = LINK_FIELD(accmap, CMD_F_HEX, 0, 0xffffffff, "bad accmap \"%s\"");
static const struct cmd_field f_mrru = LINK_FIELD(mrru, CMD_F_UINT, 296, 4096, "MRRU must be 296 to 4096");
static const struct cmd_field f_fsm_timeout =
	LINK_FIELD(fsm_timeout, CMD_F_UINT, 1, 10, "fsm-timeout must be 1 to 10 seconds");
static const struct cmd_field f_max_redial =
	LINK_FIELD(max_redial, CMD_F_INT, -1, 1000000, "max-redial must be -1, 0 or a positive count");
static const struct cmd_field f_redial_delay = {CMD_FIELD_AT(struct link_conf, redial_delay), .type = CMD_F_UINT,
						.min = 0, .max = 3600, .err = "", .obj = link_conf_of,
						.post = redial_delay_post};
static const struct cmd_field f_max_children = {CMD_FIELD_AT(struct link_conf, max_children), .type = CMD_F_UINT,
						.min = 0, .max = 100000, .err = "max-children must be 0 to 100000",
						.obj = link_tmpl_conf_of};
static const struct cmd_field f_ident = {CMD_FIELD_AT(struct link_conf, ident), .type = CMD_F_STR,
					 .err = "ident string too long", .obj = link_conf_of};

/* MRU and MTU: the limit is the device's, and so is the message. */
static int link_set_mtu(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	struct link *l = c->link;
	bool mru = arg != NULL;
	/* up to what another setting may make possible; link_open checks the rest */
	unsigned v, devmax = l->dev->mtu_set_max != 0 ? l->dev->mtu_set_max : l->dev->mtu_max;

	if (ac != 1)
		return CMD_USAGE;
	if (cmd_parse_uint(av[0], 296, devmax, &v) < 0)
		return cmd_error(c, "%s must be 296 to %u for %s links", mru ? "MRU" : "MTU", devmax, l->dev->name);
	*(mru ? &l->conf.mru : &l->conf.mtu) = v;
	return CMD_OK;
}

static int link_set_keepalive(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	struct link_conf *lc = &c->link->conf;
	unsigned v, v2;
	(void)arg;

	if (ac != 2 || cmd_parse_uint(av[0], 0, 3600, &v) < 0 || cmd_parse_uint(av[1], 0, 36000, &v2) < 0)
		return CMD_USAGE;
	lc->ka_interval = v;
	lc->ka_max = v2;
	return CMD_OK;
}

static const int is_mru = 1;

#define LINK_SET(n, u, h, fn, a) {n, u, h, fn, NULL, CTX_LINK, PRIV_ADMIN, NULL, a}

bool link_type_refusal(const char *type, char *buf, size_t len)
{
	const struct cmd_later *later = cmd_later_find(type);
	if (later != NULL && later->device) {
		snprintf(buf, len, "device type \"%s\" is not supported yet", type);
		return true;
	}
	if (strcmp(type, "ng") == 0)
		snprintf(buf, len, "device type 'ng' (netgraph) does not exist on Linux; use the 'exec' device");
	else
		snprintf(buf, len, "unknown device type \"%s\"", type);
	return false;
}

/* The refusal as a command error; a device still to come counts as a feature not built yet. */
static int link_type_refuse(struct cmd_ctx *c, const char *type)
{
	char why[128];
	if (link_type_refusal(type, why, sizeof(why)))
		return cmd_later_error(c, "%s", why);
	return cmd_error(c, "%s", why);
}

int link_cmd_type(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	if (ac != 1)
		return CMD_USAGE;
	if (c->link == NULL)
		return CMD_CTX;
	const struct dev_type *dev = dev_type_find(av[0]);
	if (dev == NULL) {
		/* an mpd 4 mpd.links label of a device to come reads as such, not as a typo */
		return link_type_refuse(c, av[0]);
	}
	if (dev != c->link->dev)
		return cmd_error(c, "link \"%s\" is of type %s: the type is fixed when the link is created",
				 c->link->name, c->link->dev->name);
	return CMD_OK;
}

const struct cmd link_set_cmds[] = {
	LINK_SET("action", "bundle|forward|drop|clear [{target}] [{regex}]", "Set action on incoming call",
		 link_set_action, NULL),
	CMD_FIELD("bandwidth", "{bps}", "Link bandwidth", CTX_LINK, f_bandwidth),
	CMD_FIELD("latency", "{microseconds}", "Link latency", CTX_LINK, f_latency),
	CMD_FIELD("accmap", "{hex-value}", "Accmap value", CTX_LINK, f_accmap),
	CMD_FIELD("mrru", "{value}", "Link MRRU value", CTX_LINK, f_mrru),
	LINK_SET("mru", "{value}", "Link MRU value", link_set_mtu, &is_mru),
	LINK_SET("mtu", "{value}", "Link MTU value", link_set_mtu, NULL),
	CMD_FIELD("fsm-timeout", "{seconds}", "FSM retry timeout", CTX_LINK, f_fsm_timeout),
	CMD_FIELD("max-redial", "{num}", "Max connect attempts", CTX_LINK, f_max_redial),
	CMD_FIELD("redial-delay", "{num}", "Delay between connect attempts", CTX_LINK, f_redial_delay),
	CMD_FIELD("max-children", "{num}", "Max number of children", CTX_LINK, f_max_children),
	LINK_SET("keep-alive", "{secs} {max}", "LCP echo keep-alives", link_set_keepalive, NULL),
	CMD_FIELD("ident", "{string}", "LCP ident string", CTX_LINK, f_ident),
	{"type", "{type}", "Device type (mpd 4 mpd.links; fixed at creation)", link_cmd_type, NULL,
	 CTX_LINK, PRIV_ADMIN, NULL, NULL}, /* bund: mpd 4 compatibility */
	CMD_OPT_VERBS(link_optmenu, CTX_LINK),
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
};

/* ---- set auth ---- */

static void *auth_conf_of(struct cmd_ctx *c)
{
	return &c->link->auth;
}

static const struct cmd_field f_authname = {CMD_FIELD_AT(struct auth_conf, authname), .type = CMD_F_STR,
					    .obj = auth_conf_of};
static const struct cmd_field f_password = {CMD_FIELD_AT(struct auth_conf, password), .type = CMD_F_STR,
					    .obj = auth_conf_of};

static const struct cmd_field f_acct_update = {CMD_FIELD_AT(struct auth_conf, acct_update), .type = CMD_F_UINT,
					       .min = 0, .max = 86400 * 365,
					       .err = "acct-update must be a number of seconds", .obj = auth_conf_of};
static const struct cmd_field f_limit_in = {CMD_FIELD_AT(struct auth_conf, acct_limit_in), .type = CMD_F_UINT,
					    .min = 0, .max = INT64_MAX, .err = "update-limit-in must be a number of bytes",
					    .obj = auth_conf_of};
static const struct cmd_field f_limit_out = {CMD_FIELD_AT(struct auth_conf, acct_limit_out), .type = CMD_F_UINT,
					     .min = 0, .max = INT64_MAX, .err = "update-limit-out must be a number of bytes",
					     .obj = auth_conf_of};

static int auth_set_max_logins(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	struct auth_conf *a = &c->link->auth;
	unsigned v;
	(void)arg;

	if (ac < 1 || ac > 2 || cmd_parse_uint(av[0], 0, 1000000, &v) < 0)
		return CMD_USAGE;
	if (ac == 2 && strcmp(av[1], "CI") != 0)
		return CMD_USAGE;
	a->max_logins = v;
	a->max_logins_ci = ac == 2;
	return CMD_OK;
}

/* Not one range: numbers up to 20 are refused with a reason, other junk is a usage error. */
static int auth_set_timeout(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	unsigned v;
	(void)arg;

	if (ac != 1 || cmd_parse_uint(av[0], 0, 1000000, &v) < 0)
		return CMD_USAGE;
	if (v <= 20)
		return cmd_error(c, "auth timeout must be more than 20 seconds");
	c->link->auth.timeout = v;
	return CMD_OK;
}

static struct optset *auth_optset(struct cmd_ctx *c, struct optset *scratch)
{
	(void)scratch;
	return &c->link->auth.opts;
}

static const char *const auth_later[] = {"ext-auth", "ext-acct",
					 "pam-auth", "pam-acct", "system-auth", "system-acct",
					 "opie", NULL};
static const struct cmd_optmenu auth_optmenu = {auth_opts, auth_optset, NULL, auth_later, NULL};

#define AUTH_LATER(n, u) {n, u, "(not supported yet)", cmd_unsupported, NULL, CTX_LINK, PRIV_ADMIN, NULL, "set auth " n}

const struct cmd auth_set_cmds[] = {
	CMD_FIELD("authname", "{name}", "Authentication name", CTX_LINK, f_authname),
	CMD_FIELD("password", "{password}", "Authentication password", CTX_LINK, f_password),
	LINK_SET("max-logins", "{num} [CI]", "Max concurrent logins", auth_set_max_logins, NULL),
	CMD_FIELD("acct-update", "{seconds}", "Interim accounting interval", CTX_LINK, f_acct_update),
	LINK_SET("timeout", "{seconds}", "Authentication timeout", auth_set_timeout, NULL),
	CMD_FIELD("update-limit-in", "{bytes}", "Interim update suppression, received octets", CTX_LINK, f_limit_in),
	CMD_FIELD("update-limit-out", "{bytes}", "Interim update suppression, sent octets", CTX_LINK, f_limit_out),
	AUTH_LATER("extauth-script", "{script}"),
	AUTH_LATER("extacct-script", "{script}"),
	CMD_OPT_VERBS(auth_optmenu, CTX_LINK),
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
};

/* ---- set eap ---- */

static struct optset *eap_optset(struct cmd_ctx *c, struct optset *scratch)
{
	(void)scratch;
	return &c->link->auth.eap_opts;
}

/* the relaying comes with the RADIUS client */
static const char *const eap_later[] = {"radius-proxy", NULL};
static const struct cmd_optmenu eap_optmenu = {eap_opts, eap_optset, NULL, eap_later, NULL};

const struct cmd eap_set_cmds[] = {
	CMD_OPT_VERBS(eap_optmenu, CTX_LINK),
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
};

int link_show_eap(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)ac;
	(void)av;
	(void)arg;
	if (c->link == NULL)
		return CMD_CTX;
	cmd_printf(c, "EAP configuration:\n");
	cmd_opts_show(c, eap_opts, &c->link->auth.eap_opts);
	return CMD_OK;
}

/* ---- top-level ---- */

int link_cmd_create(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	enum link_kind kind = LINK_PLAIN;
	if (ac >= 1 && strcmp(av[0], "template") == 0) {
		kind = LINK_TEMPLATE;
		ac--, av++;
	} else if (ac >= 1 && strcmp(av[0], "static") == 0) {
		kind = LINK_STATIC;
		ac--, av++;
	}
	if (ac != 2)
		return CMD_USAGE;
	const struct dev_type *dev = dev_type_find(av[1]);
	const struct link *from = NULL;
	if (dev == NULL) {
		from = link_find(c->d, av[1]);
		const struct cmd_later *later = from == NULL ? cmd_later_find(av[1]) : NULL;
		if (from == NULL && ((later != NULL && later->device) || strcmp(av[1], "ng") == 0))
			return link_type_refuse(c, av[1]);
		if (from == NULL)
			return cmd_error(c, "unknown device type or link template \"%s\"", av[1]);
		if (from->kind != LINK_TEMPLATE)
			return cmd_error(c, "link \"%s\" is not a template", av[1]);
	}
	char err[128];
	struct link *l = link_create(c->d, av[0], kind, dev, from, err, sizeof(err));
	if (l == NULL)
		return cmd_error(c, "%s", err);
	c->link = l;
	c->bund = NULL;
	c->rep = NULL;
	return CMD_OK;
}

int link_cmd_destroy(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	struct link *l = c->link;
	if (ac > 1)
		return CMD_USAGE;
	if (ac == 1 && (l = link_find(c->d, av[0])) == NULL)
		return cmd_error(c, "link \"%s\" not found", av[0]);
	if (l == NULL)
		return cmd_error(c, "no link selected");
	if (c->link == l)
		c->link = NULL;
	link_destroy(l);
	return CMD_OK;
}

static void link_select(struct cmd_ctx *c, struct link *l)
{
	c->link = l;
	c->bund = l != NULL ? l->bund : NULL;
	c->rep = NULL;
}

int link_cmd_select(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	struct daemon *d = c->d;
	if (ac == 0) {
		cmd_printf(c, "Defined links:\n");
		unsigned cur = 0;
		for (struct link *l; (l = reg_next(&d->links, &cur)) != NULL;)
			cmd_printf(c, "\t%s\t(%s)\n", l->name, l->bund ? l->bund->name : "-");
		return CMD_OK;
	}
	if (ac != 1)
		return CMD_USAGE;
	struct link *l = link_find(d, av[0]);
	if (l == NULL) {
		link_select(c, NULL);
		return cmd_error(c, "link \"%s\" is not defined", av[0]);
	}
	link_select(c, l);
	return CMD_OK;
}

int link_cmd_session(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	struct daemon *d = c->d;
	unsigned cur = 0;
	for (struct link *l; (l = reg_next(&d->links, &cur)) != NULL;) {
		if (l->phase == PHASE_DEAD)
			continue;
		if (ac == 0)
			cmd_printf(c, "\t%s\t%s\n", l->session_id, l->name);
		else if (strcmp(l->session_id, av[0]) == 0) {
			link_select(c, l);
			return CMD_OK;
		}
	}
	if (ac == 0)
		return CMD_OK;
	link_select(c, NULL);
	return cmd_error(c, "session \"%s\" not found", av[0]);
}

int link_cmd_authname(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	struct daemon *d = c->d;
	if (ac > 2 || (ac == 2 && strcmp(av[1], "CI") != 0))
		return CMD_USAGE;
	unsigned cur = 0;
	for (struct link *l; (l = reg_next(&d->links, &cur)) != NULL;) {
		if (l->peer_authname[0] == '\0')
			continue;
		if (ac == 0) {
			cmd_printf(c, "\t%s\t%s\n", l->peer_authname, l->name);
			continue;
		}
		bool eq = ac == 2 ? strcasecmp(l->peer_authname, av[0]) == 0 : strcmp(l->peer_authname, av[0]) == 0;
		if (eq) {
			link_select(c, l);
			return CMD_OK;
		}
	}
	if (ac == 0)
		return CMD_OK;
	link_select(c, NULL);
	return cmd_error(c, "no link with peer login \"%s\"", av[0]);
}

enum layer { LAYER_IFACE, LAYER_IPCP, LAYER_IPV6CP, LAYER_CCP, LAYER_ECP, LAYER_BUND, LAYER_LINK,
	     LAYER_DEVICE, LAYER_NONE };

static enum layer layer_find(const char *s)
{
	static const char *const names[] = {"iface", "ipcp", "ipv6cp", "ccp", "ecp", "bund", "link", "device"};
	enum layer found = LAYER_NONE;
	size_t n = strlen(s);
	for (int i = 0; i < 8; i++)
		if (strncasecmp(s, names[i], n) == 0) {
			if (strcasecmp(s, names[i]) == 0)
				return (enum layer)i;
			if (found != LAYER_NONE)
				return LAYER_NONE;
			found = (enum layer)i;
		}
	return found;
}

/* -t: the command was checked; calls, dial-on-demand and bundles stay closed. */
static bool check_only(const struct cmd_ctx *c)
{
	return c->d != NULL && c->d->check_only;
}

static int layer_cmd(struct cmd_ctx *c, int ac, char **av, bool open)
{
	if (ac > 1)
		return CMD_USAGE;
	enum layer ly = ac == 1 ? layer_find(av[0]) : LAYER_LINK;
	if (ly == LAYER_NONE)
		return cmd_error(c, "unknown layer \"%s\" (see 'show layers')", av[0]);
	if (ly == LAYER_LINK || ly == LAYER_DEVICE) {
		if (c->link == NULL)
			return CMD_CTX;
		if (c->link->kind == LINK_TEMPLATE)
			return cmd_error(c, "can't %s a template", open ? "open" : "close");
		if (check_only(c))
			return CMD_OK;
		if (open) {
			c->link->redials = 0;
			link_open(c->link, "Manual");
		} else {
			link_close(c->link, "Manual");
		}
		return CMD_OK;
	}
	if (c->bund == NULL)
		return CMD_CTX;
	if (c->bund->kind == BUND_TEMPLATE)
		return cmd_error(c, "can't %s a template", open ? "open" : "close");
	if (check_only(c) && (ly == LAYER_BUND || ly == LAYER_IFACE || ly == LAYER_IPCP))
		return CMD_OK;
	switch (ly) {
	case LAYER_BUND:
		if (open)
			bund_open(c->bund);
		else
			bund_close(c->bund, "Manual");
		return CMD_OK;
	case LAYER_IFACE: { /* bund: dial-on-demand (iface_demand.c) */
		char err[128];
		if (open && !iface_enabled(bund_iface(c->bund), IOPT_ON_DEMAND))
			log_msg(LG_IFACE, c->bund->name, "IFACE: open without on-demand is useless");
		else if (open && iface_demand_open(bund_iface(c->bund), err, sizeof(err)) < 0)
			return cmd_error(c, "%s", err);
		else if (!open)
			iface_demand_close(bund_iface(c->bund));
		return CMD_OK;
	}
	case LAYER_IPCP:
		if (open)
			bund_open(c->bund);
		else
			bund_close(c->bund, "Manual");
		return CMD_OK;
	default:
		return cmd_later_error(c, "layer \"%s\" is not supported yet", av[0]);
	}
}

int link_cmd_open(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	return layer_cmd(c, ac, av, true);
}

int link_cmd_close(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	return layer_cmd(c, ac, av, false);
}

/* ---- show ---- */

static void show_duration(struct cmd_ctx *c, const char *label, time_t since)
{
	long s = since ? (long)(time(NULL) - since) : 0;
	cmd_printf(c, "\t%-16s%ld seconds\n", label, s);
}

int link_show_link(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	struct link *l = c->link;
	if (ac == 1 && (l = link_find(c->d, av[0])) == NULL)
		return cmd_error(c, "link \"%s\" not found", av[0]);
	if (l == NULL)
		return CMD_CTX;
	struct link_conf *lc = &l->conf;
	cmd_printf(c, "Link %s%s:\n", l->name, l->kind == LINK_TEMPLATE ? " (template)" :
		   l->kind == LINK_STATIC ? " (static)" : "");
	cmd_printf(c, "Configuration:\n");
	cmd_printf(c, "\tDevice type    : %s\n", l->dev->name);
	cmd_printf(c, "\tMRU            : %u bytes\n", lc->mru);
	cmd_printf(c, "\tMRRU           : %u bytes\n", lc->mrru);
	cmd_printf(c, "\tCtrl char map  : 0x%08x bytes\n", lc->accmap);
	cmd_printf(c, "\tRetry timeout  : %u seconds\n", lc->fsm_timeout);
	if (lc->max_redial <= 0) /* as mpd5 words it */
		cmd_printf(c, "\tMax redial     : %s\n", lc->max_redial < 0 ? "no redial" : "unlimited");
	else
		cmd_printf(c, "\tMax redial     : %d connect attempts\n", lc->max_redial);
	cmd_printf(c, "\tRedial delay   : %u seconds\n", lc->redial_delay);
	cmd_printf(c, "\tBandwidth      : %u bits/sec\n", lc->bandwidth);
	cmd_printf(c, "\tLatency        : %u usec\n", lc->latency);
	cmd_printf(c, "\tKeep-alive     : every %u secs, timeout %u\n", lc->ka_interval, lc->ka_max);
	cmd_printf(c, "\tIdent string   : \"%s\"\n", lc->ident);
	if (l->kind == LINK_TEMPLATE)
		cmd_printf(c, "\tMax children   : %u\n", lc->max_children);
	cmd_printf(c, "Link incoming actions:\n");
	for (int i = 0; i < lc->nactions; i++) {
		const struct link_action *a = &lc->actions[i];
		cmd_printf(c, "\t%s\t%s\t%s\n", a->kind == ACT_BUNDLE ? "Bundle" : a->kind == ACT_FORWARD ? "Forward" : "Drop",
			   a->target, a->pattern ? a->pattern : "");
	}
	cmd_printf(c, "Link level options:\n");
	cmd_opts_show(c, link_opts, &lc->opts);
	cmd_printf(c, "Link state:\n");
	cmd_printf(c, "\tState          : %s\n", link_phase_name(l->phase));
	cmd_printf(c, "\tLCP            : %s\n", link_lcp_state_name(l));
	cmd_printf(c, "\tDevice         : %s\n", link_dev_state_name(l->dev_state));
	cmd_printf(c, "\tSession Id     : %s\n", l->session_id);
	cmd_printf(c, "\tPeer authname  : \"%s\"\n", l->peer_authname);
	if (l->kind == LINK_TEMPLATE)
		cmd_printf(c, "\tChildren       : %u\n", l->children);
	else
		show_duration(c, "Session time   :", l->dev_state == DEV_UP ? l->up_since : 0);
	cmd_printf(c, "\tUp reason      : %s\n", l->up_reason);
	cmd_printf(c, "\tDown reason    : %s\n", l->down_reason);
	cmd_printf(c, "Traffic stats:\n");
	cmd_printf(c, "\tInput octets   : %llu\n", (unsigned long long)l->stats.in_octets);
	cmd_printf(c, "\tInput frames   : %llu\n", (unsigned long long)l->stats.in_frames);
	cmd_printf(c, "\tOutput octets  : %llu\n", (unsigned long long)l->stats.out_octets);
	cmd_printf(c, "\tOutput frames  : %llu\n", (unsigned long long)l->stats.out_frames);
	cmd_printf(c, "\tBad protocols  : %llu\n", (unsigned long long)l->stats.bad_protos);
	cmd_printf(c, "\tRunts          : %llu\n", (unsigned long long)l->stats.runts);
	bund_mp_show_link(c, l);
	return CMD_OK;
}

int link_show_lcp(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)ac;
	(void)av;
	(void)arg;
	if (c->link == NULL)
		return CMD_CTX;
	cmd_printf(c, "[%s] LCP [%s], phase %s\n", c->link->name, link_lcp_state_name(c->link),
		   link_phase_name(c->link->phase));
	if (c->link->ppp != NULL)
		link_ppp_show_lcp(c, c->link);
	return CMD_OK;
}

int link_show_auth(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)ac;
	(void)av;
	(void)arg;
	struct link *l = c->link;
	if (l == NULL)
		return CMD_CTX;
	cmd_printf(c, "Configuration:\n");
	cmd_printf(c, "\tMy authname     : %s\n", l->auth.authname);
	cmd_printf(c, "\tMax-Logins      : %u%s\n", l->auth.max_logins, l->auth.max_logins_ci ? " CI" : "");
	cmd_printf(c, "\tAcct Update     : %u\n", l->auth.acct_update);
	cmd_printf(c, "\t   Limit In     : %llu\n", (unsigned long long)l->auth.acct_limit_in);
	cmd_printf(c, "\t   Limit Out    : %llu\n", (unsigned long long)l->auth.acct_limit_out);
	cmd_printf(c, "\tAuth timeout    : %u\n", l->auth.timeout);
	cmd_printf(c, "Auth options\n");
	cmd_opts_show(c, auth_opts, &l->auth.opts);
	cmd_printf(c, "Auth Data\n");
	cmd_printf(c, "\tPeer authname   : %s\n", l->peer_authname);
	if (l->peer_range_set) {
		char a[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &l->peer_range, a, sizeof(a));
		cmd_printf(c, "\tIP range        : %s/%d\n", a, l->peer_range_width);
	}
	link_authz_show(c, l);
	if (l->ppp != NULL)
		link_ppp_show_auth(c, l);
	link_acct_show(c, l);
	return CMD_OK;
}

int link_show_device(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)ac;
	(void)av;
	(void)arg;
	struct link *l = c->link;
	if (l == NULL)
		return CMD_CTX;
	cmd_printf(c, "Device '%s' (%s)\n", l->name, l->kind == LINK_TEMPLATE ? "template" : "instance");
	cmd_printf(c, "\tType  : %s\n", l->dev->name);
	cmd_printf(c, "\tState : %s\n", link_dev_state_name(l->dev_state));
	if (l->dev->show != NULL)
		l->dev->show(c, l);
	return CMD_OK;
}

static const char *peer_ip(const struct link *l, char *buf, size_t len)
{
	if (l->bund == NULL || !iface_ipv4_is_up(&l->bund->iface))
		return "-";
	struct in_addr peer = iface_ipv4_peer(&l->bund->iface);
	return inet_ntop(AF_INET, &peer, buf, (socklen_t)len);
}

static bool session_match(const struct link *l, const char *filter, const char *value)
{
	char buf[64];
	const struct bundle *b = l->bund;
	if (filter == NULL)
		return true;
	if (strcmp(filter, "iface") == 0)
		return strcmp(iface_name(&b->iface), value) == 0;
	if (strcmp(filter, "ip") == 0)
		return strcmp(peer_ip(l, buf, sizeof(buf)), value) == 0;
	if (strcmp(filter, "user") == 0)
		return strcmp(l->peer_authname, value) == 0;
	if (strcmp(filter, "session") == 0)
		return strcmp(l->session_id, value) == 0;
	if (strcmp(filter, "msession") == 0)
		return strcmp(b->msession_id, value) == 0;
	if (strcmp(filter, "bundle") == 0)
		return strcmp(b->name, value) == 0;
	if (strcmp(filter, "link") == 0)
		return strcmp(l->name, value) == 0 || link_find(l->d, value) == l;
	if (strcmp(filter, "peer") == 0)
		return l->dev->peer_addr != NULL && strcmp(l->dev->peer_addr(l, buf, sizeof(buf)), value) == 0;
	return false;
}

int link_show_sessions(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	static const char *const filters[] = {"iface", "ip", "user", "session", "msession", "bundle", "link", "peer", NULL};
	if (ac != 0 && ac != 2)
		return CMD_USAGE;
	if (ac == 2) {
		int i;
		for (i = 0; filters[i] != NULL && strcmp(filters[i], av[0]) != 0; i++)
			;
		if (filters[i] == NULL)
			return cmd_error(c, "unknown filter \"%s\"", av[0]);
	}
	struct daemon *d = c->d;
	unsigned cur = 0;
	for (struct link *l; (l = reg_next(&d->links, &cur)) != NULL;) {
		if (l->bund == NULL || !session_match(l, ac ? av[0] : NULL, ac ? av[1] : NULL))
			continue;
		char ip[INET_ADDRSTRLEN], peer[64] = "-";
		if (l->dev->peer_addr != NULL)
			l->dev->peer_addr(l, peer, sizeof(peer));
		cmd_printf(c, "%s\t%s\t%s\t%s\t%s\t%u\t%s\t%s\t%s", iface_name(&l->bund->iface), peer_ip(l, ip, sizeof(ip)),
			   l->bund->name, l->bund->msession_id, l->name, l->index, l->session_id,
			   l->peer_authname[0] ? l->peer_authname : "-", peer);
		if (opt_enabled(&d->g.opts, GOPT_SESSTIME))
			cmd_printf(c, "\t%ld", (long)(time(NULL) - l->up_since));
		cmd_printf(c, "\n");
	}
	return CMD_OK;
}

int link_show_summary(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)ac;
	(void)av;
	(void)arg;
	struct daemon *d = c->d;
	cmd_printf(c, "Current daemon status summary\n");
	cmd_printf(c, "Iface\tBund\t\tLink\tLCP\tDevice\t\tUser\t\tFrom\n");
	unsigned cur = 0;
	for (struct link *l; (l = reg_next(&d->links, &cur)) != NULL;) {
		if (l->kind == LINK_TEMPLATE)
			continue;
		char peer[64] = "";
		if (l->dev->peer_addr != NULL && l->dev_state != DEV_DOWN)
			l->dev->peer_addr(l, peer, sizeof(peer));
		cmd_printf(c, "%s\t%s\t\t%s\t%s\t%s\t%s\t\t%s\t\t%s\n", l->bund ? iface_name(&l->bund->iface) : "",
			   l->bund ? l->bund->name : "", l->name, link_lcp_state_name(l), l->dev->name,
			   link_dev_state_name(l->dev_state), l->peer_authname, peer);
	}
	return CMD_OK;
}
