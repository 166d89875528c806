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
#include "conf/cmd_global.h"
#include "core/log.h"
#include "core/daemon.h"
#include "bund/bund_mp.h"
#include "bund/bundle.h"
#include "compat4.h"
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
	{NULL, false, 0},
};

static const struct cmd_opt eap_opts[] = {
	{"md5", true, EOPT_MD5},
	{"radius-proxy", false, EOPT_RADIUS_PROXY},
	{NULL, false, 0},
};

/* ---- set link ---- */

/* `chap` is shorthand for the three CHAP variants (commands.md §9). */
static void link_opts_apply(struct cmd_ctx *c, enum cmd_optverb verb, int ac, char **av)
{
	static char *const chap_all[] = {"chap-md5", "chap-msv1", "chap-msv2"};
	for (int i = 0; i < ac; i++) {
		if (strcasecmp(av[i], "chap") == 0)
			cmd_opts_apply(c, verb, 3, (char **)chap_all, link_opts, &c->link->conf.opts);
		else
			cmd_opts_apply(c, verb, 1, av + i, link_opts, &c->link->conf.opts);
	}
}

static int link_opt_verb(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	static const char *const later[] = {"callback", "time-remain", NULL};
	enum cmd_optverb verb = (enum cmd_optverb)(intptr_t)arg;
	if (ac < 1)
		return CMD_USAGE;
	if (cmd_opts_refuse(c, verb, ac, av, later) < 0)
		return CMD_ERR;
	bool was_in = opt_enabled(&c->link->conf.opts, LOPT_INCOMING);
	link_opts_apply(c, verb, ac, av);
	if (was_in != opt_enabled(&c->link->conf.opts, LOPT_INCOMING) && c->link->dev->update)
		c->link->dev->update(c->link);
	return CMD_OK;
}

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
		return cmd_error(c, "'set link action forward' is not supported yet (repeaters)");
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

enum { LS_BANDWIDTH, LS_LATENCY, LS_ACCMAP, LS_MRRU, LS_MRU, LS_MTU, LS_FSM_TIMEOUT,
       LS_MAX_REDIAL, LS_REDIAL_DELAY, LS_MAX_CHILDREN, LS_KEEPALIVE, LS_IDENT };

static int link_set_value(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	struct link *l = c->link;
	struct link_conf *lc = &l->conf;
	int what = (int)(intptr_t)arg;
	unsigned v, v2;
	unsigned devmax = l->dev->mtu_max;
	char *end;

	if (what == LS_IDENT) {
		if (ac != 1)
			return CMD_USAGE;
		if (strlen(av[0]) >= sizeof(lc->ident))
			return cmd_error(c, "ident string too long");
		snprintf(lc->ident, sizeof(lc->ident), "%s", av[0]);
		return CMD_OK;
	}
	if (what == LS_KEEPALIVE) {
		if (ac != 2 || cmd_parse_uint(av[0], 0, 3600, &v) < 0 || cmd_parse_uint(av[1], 0, 36000, &v2) < 0)
			return CMD_USAGE;
		lc->ka_interval = v;
		lc->ka_max = v2;
		return CMD_OK;
	}
	if (ac != 1)
		return CMD_USAGE;
	switch (what) {
	case LS_BANDWIDTH:
		if (cmd_parse_uint(av[0], 1, 1000000000, &v) < 0)
			return cmd_error(c, "bandwidth must be a positive number of bits per second");
		lc->bandwidth = v;
		break;
	case LS_LATENCY:
		if (cmd_parse_uint(av[0], 0, 1000000, &v) < 0)
			return cmd_error(c, "latency must be 0 to 1000000 microseconds");
		lc->latency = v;
		break;
	case LS_ACCMAP: {
		unsigned long m = strtoul(av[0], &end, 16);
		if (*av[0] == '\0' || *end != '\0' || m > 0xffffffffUL)
			return cmd_error(c, "bad accmap \"%s\"", av[0]);
		lc->accmap = (uint32_t)m;
		break;
	}
	case LS_MRRU:
		if (cmd_parse_uint(av[0], 296, 4096, &v) < 0)
			return cmd_error(c, "MRRU must be 296 to 4096");
		lc->mrru = v;
		break;
	case LS_MRU:
	case LS_MTU:
		if (cmd_parse_uint(av[0], 296, devmax, &v) < 0)
			return cmd_error(c, "%s must be 296 to %u for %s links", what == LS_MRU ? "MRU" : "MTU",
					 devmax, l->dev->name);
		if (what == LS_MRU)
			lc->mru = v;
		else
			lc->mtu = v;
		break;
	case LS_FSM_TIMEOUT:
		if (cmd_parse_uint(av[0], 1, 10, &v) < 0)
			return cmd_error(c, "fsm-timeout must be 1 to 10 seconds");
		lc->fsm_timeout = v;
		break;
	case LS_MAX_REDIAL: {
		long r = strtol(av[0], &end, 10);
		if (*av[0] == '\0' || *end != '\0' || r < -1 || r > 1000000)
			return cmd_error(c, "max-redial must be -1, 0 or a positive count");
		lc->max_redial = (int)r;
		break;
	}
	case LS_REDIAL_DELAY:
		if (cmd_parse_uint(av[0], 0, 3600, &v) < 0)
			return CMD_USAGE;
		lc->redial_delay = v < 1 ? 1 : v;
		break;
	case LS_MAX_CHILDREN:
		if (l->kind != LINK_TEMPLATE)
			return cmd_error(c, "max-children applies to link templates only");
		if (cmd_parse_uint(av[0], 0, 100000, &v) < 0)
			return cmd_error(c, "max-children must be 0 to 100000");
		lc->max_children = v;
		break;
	}
	return CMD_OK;
}

static int link_not_yet(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)ac;
	(void)av;
	return cmd_error(c, "'%s' is not supported yet", (const char *)arg);
}

#define LINK_VERB(n, v) {n, "{option ...}", #n " link options", link_opt_verb, NULL, CTX_LINK, PRIV_ADMIN, NULL, (const void *)(intptr_t)(v)}
#define LINK_VAL(n, u, h, w) {n, u, h, link_set_value, NULL, CTX_LINK, PRIV_ADMIN, NULL, (const void *)(intptr_t)(w)}

const struct cmd link_set_cmds[] = {
	{"action", "bundle|forward|drop|clear [{target}] [{regex}]", "Set action on incoming call",
	 link_set_action, NULL, CTX_LINK, PRIV_ADMIN, NULL, NULL},
	LINK_VAL("bandwidth", "{bps}", "Link bandwidth", LS_BANDWIDTH),
	LINK_VAL("latency", "{microseconds}", "Link latency", LS_LATENCY),
	LINK_VAL("accmap", "{hex-value}", "Accmap value", LS_ACCMAP),
	LINK_VAL("mrru", "{value}", "Link MRRU value", LS_MRRU),
	LINK_VAL("mru", "{value}", "Link MRU value", LS_MRU),
	LINK_VAL("mtu", "{value}", "Link MTU value", LS_MTU),
	LINK_VAL("fsm-timeout", "{seconds}", "FSM retry timeout", LS_FSM_TIMEOUT),
	LINK_VAL("max-redial", "{num}", "Max connect attempts", LS_MAX_REDIAL),
	LINK_VAL("redial-delay", "{num}", "Delay between connect attempts", LS_REDIAL_DELAY),
	LINK_VAL("max-children", "{num}", "Max number of children", LS_MAX_CHILDREN),
	LINK_VAL("keep-alive", "{secs} {max}", "LCP echo keep-alives", LS_KEEPALIVE),
	LINK_VAL("ident", "{string}", "LCP ident string", LS_IDENT),
	{"type", "{type}", "Device type (mpd 4 mpd.links; fixed at creation)", compat4_cmd_link_type, NULL,
	 CTX_LINK, PRIV_ADMIN, NULL, NULL}, /* bund: mpd 4 compatibility */
	LINK_VERB("accept", OPT_ACCEPT),
	LINK_VERB("deny", OPT_DENY),
	LINK_VERB("enable", OPT_ENABLE),
	LINK_VERB("disable", OPT_DISABLE),
	LINK_VERB("yes", OPT_YES),
	LINK_VERB("no", OPT_NO),
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
};

/* ---- set auth ---- */

enum { AS_AUTHNAME, AS_PASSWORD, AS_MAX_LOGINS, AS_ACCT_UPDATE, AS_TIMEOUT };

static int auth_set_value(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	struct auth_conf *a = &c->link->auth;
	unsigned v;
	switch ((int)(intptr_t)arg) {
	case AS_AUTHNAME:
	case AS_PASSWORD: {
		if (ac != 1)
			return CMD_USAGE;
		char *dst = (intptr_t)arg == AS_AUTHNAME ? a->authname : a->password;
		if (strlen(av[0]) >= sizeof(a->authname))
			return cmd_error(c, "value too long (max %zu)", sizeof(a->authname) - 1);
		snprintf(dst, sizeof(a->authname), "%s", av[0]);
		return CMD_OK;
	}
	case AS_MAX_LOGINS:
		if (ac < 1 || ac > 2 || cmd_parse_uint(av[0], 0, 1000000, &v) < 0)
			return CMD_USAGE;
		if (ac == 2 && strcmp(av[1], "CI") != 0)
			return CMD_USAGE;
		a->max_logins = v;
		a->max_logins_ci = ac == 2;
		return CMD_OK;
	case AS_ACCT_UPDATE:
		if (ac != 1 || cmd_parse_uint(av[0], 0, 1000000, &v) < 0)
			return CMD_USAGE;
		a->acct_update = v;
		return CMD_OK;
	case AS_TIMEOUT:
		if (ac != 1 || cmd_parse_uint(av[0], 0, 1000000, &v) < 0)
			return CMD_USAGE;
		if (v <= 20)
			return cmd_error(c, "auth timeout must be more than 20 seconds");
		a->timeout = v;
		return CMD_OK;
	}
	return CMD_USAGE;
}

static int auth_opt_verb(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	static const char *const later[] = {"radius-auth", "radius-acct", "ext-auth", "ext-acct",
					    "pam-auth", "pam-acct", "system-auth", "system-acct",
					    "opie", NULL};
	enum cmd_optverb verb = (enum cmd_optverb)(intptr_t)arg;
	if (ac < 1)
		return CMD_USAGE;
	if (cmd_opts_refuse(c, verb, ac, av, later) < 0)
		return CMD_ERR;
	cmd_opts_apply(c, verb, ac, av, auth_opts, &c->link->auth.opts);
	return CMD_OK;
}

#define AUTH_VERB(n, v) {n, "{option ...}", #n " auth options", auth_opt_verb, NULL, CTX_LINK, PRIV_ADMIN, NULL, (const void *)(intptr_t)(v)}
#define AUTH_VAL(n, u, h, w) {n, u, h, auth_set_value, NULL, CTX_LINK, PRIV_ADMIN, NULL, (const void *)(intptr_t)(w)}
#define AUTH_LATER(n, u) {n, u, "(not supported yet)", link_not_yet, NULL, CTX_LINK, PRIV_ADMIN, NULL, "set auth " n}

const struct cmd auth_set_cmds[] = {
	AUTH_VAL("authname", "{name}", "Authentication name", AS_AUTHNAME),
	AUTH_VAL("password", "{password}", "Authentication password", AS_PASSWORD),
	AUTH_VAL("max-logins", "{num} [CI]", "Max concurrent logins", AS_MAX_LOGINS),
	AUTH_VAL("acct-update", "{seconds}", "Set accounting update interval", AS_ACCT_UPDATE),
	AUTH_VAL("timeout", "{seconds}", "Authentication timeout", AS_TIMEOUT),
	AUTH_LATER("update-limit-in", "{bytes}"),
	AUTH_LATER("update-limit-out", "{bytes}"),
	AUTH_LATER("extauth-script", "{script}"),
	AUTH_LATER("extacct-script", "{script}"),
	AUTH_VERB("accept", OPT_ACCEPT),
	AUTH_VERB("deny", OPT_DENY),
	AUTH_VERB("enable", OPT_ENABLE),
	AUTH_VERB("disable", OPT_DISABLE),
	AUTH_VERB("yes", OPT_YES),
	AUTH_VERB("no", OPT_NO),
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
};

/* ---- set eap ---- */

static int eap_opt_verb(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	enum cmd_optverb verb = (enum cmd_optverb)(intptr_t)arg;
	if (ac < 1)
		return CMD_USAGE;
	/* radius-proxy is kept and shown now; the relaying comes with the RADIUS client */
	cmd_opts_apply(c, verb, ac, av, eap_opts, &c->link->auth.eap_opts);
	return CMD_OK;
}

#define EAP_VERB(n, v) {n, "{option ...}", #n " EAP options", eap_opt_verb, NULL, CTX_LINK, PRIV_ADMIN, NULL, (const void *)(intptr_t)(v)}

const struct cmd eap_set_cmds[] = {
	EAP_VERB("accept", OPT_ACCEPT),
	EAP_VERB("deny", OPT_DENY),
	EAP_VERB("enable", OPT_ENABLE),
	EAP_VERB("disable", OPT_DISABLE),
	EAP_VERB("yes", OPT_YES),
	EAP_VERB("no", OPT_NO),
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
		if (from == NULL && strcmp(av[1], "ng") == 0)
			return cmd_error(c, "device type 'ng' (netgraph) does not exist on Linux; use the 'exec' device");
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
	switch (ly) {
	case LAYER_BUND:
		if (open)
			bund_open(c->bund);
		else
			bund_close(c->bund, "Manual");
		return CMD_OK;
	case LAYER_IFACE: { /* bund: dial-on-demand (iface_demand.c) */
		char err[128];
		if (open && !opt_enabled(&c->bund->iconf.opts, IOPT_ON_DEMAND))
			log_msg(LG_IFACE, c->bund->name, "IFACE: open without on-demand is useless");
		else if (open && iface_demand_open(c->bund, err, sizeof(err)) < 0)
			return cmd_error(c, "%s", err);
		else if (!open)
			iface_demand_close(c->bund);
		return CMD_OK;
	}
	case LAYER_IPCP:
		if (open)
			bund_open(c->bund);
		else
			bund_close(c->bund, "Manual");
		return CMD_OK;
	default:
		return cmd_error(c, "layer \"%s\" is not supported yet", av[0]);
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
	cmd_printf(c, "\tMax redial     : %s%d\n", lc->max_redial < 0 ? "no redial " : lc->max_redial == 0 ? "unlimited " : "", lc->max_redial);
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
	if (l->ppp != NULL)
		link_ppp_show_auth(c, l);
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
	if (l->bund == NULL || !l->bund->ip_up)
		return "-";
	return inet_ntop(AF_INET, &l->bund->if_peer, buf, (socklen_t)len);
}

static bool session_match(const struct link *l, const char *filter, const char *value)
{
	char buf[64];
	const struct bundle *b = l->bund;
	if (filter == NULL)
		return true;
	if (strcmp(filter, "iface") == 0)
		return strcmp(b->ifname, value) == 0;
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
		cmd_printf(c, "%s\t%s\t%s\t%s\t%s\t%u\t%s\t%s\t%s", l->bund->ifname, peer_ip(l, ip, sizeof(ip)),
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
		cmd_printf(c, "%s\t%s\t\t%s\t%s\t%s\t%s\t\t%s\t\t%s\n", l->bund ? l->bund->ifname : "",
			   l->bund ? l->bund->name : "", l->name, link_lcp_state_name(l), l->dev->name,
			   link_dev_state_name(l->dev_state), l->peer_authname, peer);
	}
	return CMD_OK;
}
