/*
 * Bundle commands: create/destroy/select, `set bundle`, `set iface`,
 * `set ipcp`, and the bundle-side show commands (commands.md §10-12).
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
#include "dp/dp.h"
#include "bund/bund_bw.h"
#include "bund/bund_ipcp.h"
#include "iface/iface_demand.h"
#include "bund/bund_mp.h"
#include "bund/bundle.h"
#include "link/link.h"

static const struct cmd_opt bund_opts[] = {
	{"ipcp", false, BOPT_IPCP},
	{"ipv6cp", false, BOPT_IPV6CP},
	{"compression", false, BOPT_COMPRESSION},
	{"encryption", false, BOPT_ENCRYPTION},
	{"crypt-reqd", false, BOPT_CRYPT_REQD},
	{"bw-manage", false, BOPT_BW_MANAGE},
	{"round-robin", false, BOPT_ROUND_ROBIN},
	/* mpd 4 bundle options, applied to the bundle's links when it opens them */
	{"multilink", false, BOPT_MULTILINK},
	{"shortseq", false, BOPT_SHORTSEQ},
	{"noretry", false, BOPT_NORETRY},
	{NULL, false, 0},
};

static const struct cmd_opt iface_opts[] = {
	{"on-demand", false, IOPT_ON_DEMAND},
	{"proxy-arp", false, IOPT_PROXY_ARP},
	{"keep-timeout", false, IOPT_KEEP_TIMEOUT},
	{"tcpmssfix", false, IOPT_TCPMSSFIX},
	{"tee", false, IOPT_TEE},
	{"nat", false, IOPT_NAT},
	{"netflow-in", false, IOPT_NETFLOW_IN},
	{"netflow-out", false, IOPT_NETFLOW_OUT},
	{"netflow-once", false, IOPT_NETFLOW_ONCE},
	{"ipacct", false, IOPT_IPACCT},
	{NULL, false, 0},
};

static const struct cmd_opt ipcp_opts[] = {
	{"vjcomp", true, IPOPT_VJCOMP},
	{"req-pri-dns", false, IPOPT_REQ_PRI_DNS},
	{"req-sec-dns", false, IPOPT_REQ_SEC_DNS},
	{"req-pri-nbns", false, IPOPT_REQ_PRI_NBNS},
	{"req-sec-nbns", false, IPOPT_REQ_SEC_NBNS},
	{"pretend-ip", false, IPOPT_PRETEND_IP},
	{NULL, false, 0},
};

/* Bits of the options av names (unique case-insensitive prefixes, as cmd_opts_apply matches). */
static uint32_t bund_opts_named(int ac, char **av)
{
	uint32_t bits = 0;
	for (int i = 0; i < ac; i++) {
		size_t len = strlen(av[i]);
		const struct cmd_opt *hit = NULL;
		int n = 0;
		for (const struct cmd_opt *o = bund_opts; o->name != NULL && len > 0; o++) {
			if (strcasecmp(o->name, av[i]) == 0) {
				hit = o;
				n = 1;
				break;
			}
			if (strncasecmp(o->name, av[i], len) == 0)
				hit = o, n++;
		}
		if (n == 1)
			bits |= 1u << hit->bit;
	}
	return bits;
}

static int bund_opt_verb(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	enum cmd_optverb verb = (enum cmd_optverb)(intptr_t)arg;
	if (ac < 1)
		return CMD_USAGE;
	struct bund_conf *bc = &c->bund->conf;
	uint32_t before = bc->opts.enable;
	cmd_opts_apply(c, verb, ac, av, bund_opts, &bc->opts);
	bc->opts_set |= bund_opts_named(ac, av);
	/* protocols other issues build: stored and shown now, used once they exist */
	static const struct { unsigned bit; const char *what; } later[] = {
		{BOPT_IPV6CP, "IPv6CP"}, {BOPT_COMPRESSION, "CCP"}, {BOPT_ENCRYPTION, "ECP"},
	};
	for (size_t i = 0; i < sizeof(later) / sizeof(later[0]); i++)
		if (!(before & (1u << later[i].bit)) && opt_enabled(&bc->opts, later[i].bit))
			log_msg(LG_BUND, c->bund->name, "Bundle: %s enabled; it runs once this build has %s",
				later[i].what, later[i].what);
	return CMD_OK;
}

static int iface_opt_verb(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	static const char *const later[] = {"proxy-arp", "keep-timeout", "tcpmssfix", "tee",
					    "nat", "netflow-in", "netflow-out", "netflow-once", "ipacct", NULL};
	enum cmd_optverb verb = (enum cmd_optverb)(intptr_t)arg;
	if (ac < 1)
		return CMD_USAGE;
	if (cmd_opts_refuse(c, verb, ac, av, later) < 0)
		return CMD_ERR;
	cmd_opts_apply(c, verb, ac, av, iface_opts, &c->bund->iconf.opts);
	return CMD_OK;
}

static int ipcp_opt_verb(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	static const char *const later[] = {"vjcomp", NULL};
	enum cmd_optverb verb = (enum cmd_optverb)(intptr_t)arg;
	if (ac < 1)
		return CMD_USAGE;
	if (cmd_opts_refuse(c, verb, ac, av, later) < 0)
		return CMD_ERR;
	cmd_opts_apply(c, verb, ac, av, ipcp_opts, &c->bund->ipconf.opts);
	return CMD_OK;
}

/* "a.b.c.d[/w]"; a missing width means 32. */
static int parse_range(const char *s, struct ip_range *r)
{
	char buf[64];
	snprintf(buf, sizeof(buf), "%s", s);
	char *slash = strchr(buf, '/');
	unsigned w = 32;
	if (slash != NULL) {
		*slash = '\0';
		if (cmd_parse_uint(slash + 1, 0, 32, &w) < 0)
			return -1;
	}
	if (inet_pton(AF_INET, buf, &r->addr) != 1)
		return -1;
	r->width = (int)w;
	return 0;
}

/* ---- set bundle ---- */

enum { BS_PERIOD, BS_LOWAT, BS_HIWAT, BS_MIN_CON, BS_MIN_DIS, BS_FSM_TIMEOUT };

static int bund_set_value(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	struct bund_conf *bc = &c->bund->conf;
	unsigned v;
	if (ac != 1)
		return CMD_USAGE;
	switch ((int)(intptr_t)arg) {
	case BS_FSM_TIMEOUT:
		if (cmd_parse_uint(av[0], 1, 10, &v) < 0)
			return cmd_error(c, "fsm-timeout must be 1 to 10 seconds");
		bc->fsm_timeout = v;
		return CMD_OK;
	case BS_PERIOD:
		if (cmd_parse_uint(av[0], 6, 3600, &v) < 0)
			return cmd_error(c, "period must be 6 to 3600 seconds");
		bc->period = v;
		return CMD_OK;
	case BS_LOWAT:
	case BS_HIWAT:
		if (cmd_parse_uint(av[0], 0, 100, &v) < 0)
			return cmd_error(c, "a percentage 0 to 100 is needed");
		*((intptr_t)arg == BS_LOWAT ? &bc->lowat : &bc->hiwat) = v;
		return CMD_OK;
	case BS_MIN_CON:
	case BS_MIN_DIS:
		if (cmd_parse_uint(av[0], 0, 100000, &v) < 0)
			return CMD_USAGE;
		*((intptr_t)arg == BS_MIN_CON ? &bc->min_con : &bc->min_dis) = v;
		return CMD_OK;
	}
	return CMD_USAGE;
}

/* `set bundle links {link} ...`: the ordered link slots (≤ 16); no argument clears them. */
static int bund_set_links(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	struct bund_conf *bc = &c->bund->conf;
	if (ac > BUND_MAX_LINKS)
		return cmd_error(c, "at most %d links", BUND_MAX_LINKS);
	for (int i = 0; i < ac; i++)
		if (strlen(av[i]) == 0 || strlen(av[i]) >= LINK_NAME_MAX)
			return cmd_error(c, "bad link name \"%s\"", av[i]);
	for (int i = 0; i < ac; i++)
		snprintf(bc->links[i], sizeof(bc->links[i]), "%s", av[i]);
	bc->nlinks = ac;
	return CMD_OK;
}

static int cmd_not_yet(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)ac;
	(void)av;
	return cmd_error(c, "'%s' is not supported yet", (const char *)arg);
}

#define BVERB(n, fn, v, h) {n, "{option ...}", h, fn, NULL, CTX_BUNDLE, PRIV_ADMIN, NULL, (const void *)(intptr_t)(v)}
#define BVAL(n, u, h, fn, w) {n, u, h, fn, NULL, CTX_BUNDLE, PRIV_ADMIN, NULL, (const void *)(intptr_t)(w)}
#define BLATER(n, u, full) {n, u, "(not supported yet)", cmd_not_yet, NULL, CTX_BUNDLE, PRIV_ADMIN, NULL, full}
#define CMD_END {NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL}

const struct cmd bund_set_cmds[] = {
	BVAL("period", "{seconds}", "BoD sampling period", bund_set_value, BS_PERIOD),
	BVAL("lowat", "{percent}", "BoD low water mark", bund_set_value, BS_LOWAT),
	BVAL("hiwat", "{percent}", "BoD high water mark", bund_set_value, BS_HIWAT),
	BVAL("min-con", "{seconds}", "BoD min connected time", bund_set_value, BS_MIN_CON),
	BVAL("min-dis", "{seconds}", "BoD min disconnected time", bund_set_value, BS_MIN_DIS),
	{"links", "{link} ...", "Links to open (demand, bandwidth management)", bund_set_links, NULL, CTX_BUNDLE,
	 PRIV_ADMIN, NULL, NULL},
	BVAL("fsm-timeout", "{seconds}", "FSM retry timeout", bund_set_value, BS_FSM_TIMEOUT),
	BVAL("retry", "{seconds}", "FSM retry timeout (mpd 4 name of fsm-timeout)", bund_set_value, BS_FSM_TIMEOUT),
	BVERB("accept", bund_opt_verb, OPT_ACCEPT, "Accept option"),
	BVERB("deny", bund_opt_verb, OPT_DENY, "Deny option"),
	BVERB("enable", bund_opt_verb, OPT_ENABLE, "Enable option"),
	BVERB("disable", bund_opt_verb, OPT_DISABLE, "Disable option"),
	BVERB("yes", bund_opt_verb, OPT_YES, "Enable and accept option"),
	BVERB("no", bund_opt_verb, OPT_NO, "Disable and deny option"),
	CMD_END,
};

/* ---- set iface ---- */

enum { IS_ADDRS, IS_ROUTE, IS_MTU, IS_NAME, IS_DESCR, IS_UP_SCRIPT, IS_DOWN_SCRIPT, IS_IDLE, IS_SESSION };

static int iface_set_script(char *dst, size_t len, struct cmd_ctx *c, int ac, char **av)
{
	if (ac > 1)
		return CMD_USAGE;
	if (ac == 1 && strlen(av[0]) >= len)
		return cmd_error(c, "script path too long");
	snprintf(dst, len, "%s", ac ? av[0] : "");
	return CMD_OK;
}

static int iface_set_value(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	struct iface_conf *ic = &c->bund->iconf;
	unsigned v;
	switch ((int)(intptr_t)arg) {
	case IS_ADDRS: {
		struct ip_range s, p;
		if (ac != 2)
			return CMD_USAGE;
		const char *sa = av[0][0] == '!' ? av[0] + 1 : av[0];
		const char *pa = av[1][0] == '!' ? av[1] + 1 : av[1];
		if (parse_range(sa, &s) < 0 || parse_range(pa, &p) < 0)
			return cmd_error(c, "bad IPv4 address (IPv6 addresses are not supported yet)");
		ic->self = s;
		ic->peer = p;
		ic->have_addrs = true;
		return CMD_OK;
	}
	case IS_ROUTE: {
		struct ip_range r = {0};
		if (ac != 1)
			return CMD_USAGE;
		if (ic->nroutes >= IFACE_MAX_ROUTES)
			return cmd_error(c, "too many routes (max %d)", IFACE_MAX_ROUTES);
		if (strcmp(av[0], "default") != 0 && parse_range(av[0], &r) < 0)
			return cmd_error(c, "bad route \"%s\" (IPv4 dest[/width] or default)", av[0]);
		uint32_t mask = r.width ? htonl(~0u << (32 - r.width)) : 0;
		ic->routes[ic->nroutes].dest.s_addr = r.addr.s_addr & mask;
		ic->routes[ic->nroutes].width = r.width;
		ic->nroutes++;
		return CMD_OK;
	}
	case IS_MTU:
		if (ac < 1 || ac > 2 || cmd_parse_uint(av[0], 0, 65536, &v) < 0)
			return CMD_USAGE;
		if (ac == 2 && strcmp(av[1], "override") != 0)
			return CMD_USAGE;
		if (ac == 2 && v == 0) {
			ic->mtu_override = false;
			return CMD_OK;
		}
		if (v < 296)
			return cmd_error(c, "MTU must be 296 to 65536");
		ic->mtu = v;
		ic->mtu_override = ac == 2;
		return CMD_OK;
	case IS_NAME:
		if (ac > 1)
			return CMD_USAGE;
		if (ac == 1 && (strlen(av[0]) > 15 || strncmp(av[0], "ng", 2) == 0))
			return cmd_error(c, "interface name must be at most 15 characters and not ngN");
		if (c->bund->dpi != NULL && c->bund->kind != BUND_TEMPLATE)
			return cmd_error(c, "the interface exists already: set the name on the bundle template");
		snprintf(ic->name, sizeof(ic->name), "%s", ac ? av[0] : "");
		return CMD_OK;
	case IS_DESCR:
		if (ac > 1)
			return CMD_USAGE;
		snprintf(ic->descr, sizeof(ic->descr), "%s", ac ? av[0] : "");
		return CMD_OK;
	case IS_UP_SCRIPT:
		return iface_set_script(ic->up_script, sizeof(ic->up_script), c, ac, av);
	case IS_DOWN_SCRIPT:
		return iface_set_script(ic->down_script, sizeof(ic->down_script), c, ac, av);
	case IS_IDLE:
	case IS_SESSION:
		if (ac != 1 || cmd_parse_uint(av[0], 0, 100000000, &v) < 0)
			return CMD_USAGE;
		*((intptr_t)arg == IS_IDLE ? &ic->idle : &ic->session) = v;
		return CMD_OK;
	}
	return CMD_USAGE;
}

const struct cmd iface_set_cmds[] = {
	BVAL("addrs", "[!]{local} [!]{remote}", "Interface addresses", iface_set_value, IS_ADDRS),
	BVAL("route", "{dest}[/{width}]|default", "Add IP route", iface_set_value, IS_ROUTE),
	BVAL("mtu", "{size} [override]", "Interface max MTU", iface_set_value, IS_MTU),
	BVAL("name", "[{name}]", "Interface name", iface_set_value, IS_NAME),
	BVAL("description", "[{descr}]", "Interface description", iface_set_value, IS_DESCR),
	BLATER("group", "{group}", "set iface group"),
	BVAL("up-script", "[{progname}]", "Interface up script", iface_set_value, IS_UP_SCRIPT),
	BVAL("down-script", "[{progname}]", "Interface down script", iface_set_value, IS_DOWN_SCRIPT),
	BVAL("idle", "{seconds}", "Idle timeout", iface_set_value, IS_IDLE),
	BVAL("session", "{seconds}", "Session timeout", iface_set_value, IS_SESSION),
	BVERB("enable", iface_opt_verb, OPT_ENABLE, "Enable option"),
	BVERB("disable", iface_opt_verb, OPT_DISABLE, "Disable option"),
	CMD_END,
};

/* ---- set ipcp ---- */

enum { IPS_RANGES, IPS_DNS, IPS_NBNS };

/* One side of `set ipcp ranges`: "addr[/w]" or "ippool NAME"; returns words used or -1. */
static int ranges_side(char **av, int ac, struct ip_range *r, char *pool, size_t plen)
{
	if (ac >= 2 && strcmp(av[0], "ippool") == 0) {
		if (strlen(av[1]) >= plen)
			return -1;
		snprintf(pool, plen, "%s", av[1]);
		memset(r, 0, sizeof(*r));
		r->width = 32;
		return 2;
	}
	if (ac < 1 || parse_range(av[0], r) < 0)
		return -1;
	pool[0] = '\0';
	return 1;
}

static int ipcp_set_servers(struct in_addr out[2], int ac, char **av)
{
	struct in_addr a[2] = {{0}, {0}};
	if (ac < 1 || ac > 2)
		return -1;
	for (int i = 0; i < ac; i++)
		if (inet_pton(AF_INET, av[i], &a[i]) != 1)
			return -1;
	out[0] = a[0];
	out[1] = a[1];
	return 0;
}

static int ipcp_set_value(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	struct ipcp_settings *ip = &c->bund->ipconf;
	switch ((int)(intptr_t)arg) {
	case IPS_RANGES: {
		struct ip_range s, p;
		char sp[16], pp[16];
		int n1 = ranges_side(av, ac, &s, sp, sizeof(sp));
		if (n1 < 0)
			return CMD_USAGE;
		int n2 = ranges_side(av + n1, ac - n1, &p, pp, sizeof(pp));
		if (n2 < 0 || n1 + n2 != ac)
			return CMD_USAGE;
		ip->self = s;
		ip->peer = p;
		ip->ranges_set = true;
		memcpy(ip->self_pool, sp, sizeof(sp));
		memcpy(ip->peer_pool, pp, sizeof(pp));
		return CMD_OK;
	}
	case IPS_DNS:
		if (ipcp_set_servers(ip->dns, ac, av) < 0)
			return CMD_USAGE;
		return CMD_OK;
	case IPS_NBNS:
		if (ipcp_set_servers(ip->nbns, ac, av) < 0)
			return CMD_USAGE;
		return CMD_OK;
	}
	return CMD_USAGE;
}

const struct cmd ipcp_set_cmds[] = {
	BVAL("ranges", "(ip[/width]|ippool {pool}) (ip[/width]|ippool {pool})", "Allowed IP address ranges",
	     ipcp_set_value, IPS_RANGES),
	BVAL("dns", "{ip1} [{ip2}]", "Set peer DNS servers", ipcp_set_value, IPS_DNS),
	BVAL("nbns", "{ip1} [{ip2}]", "Set peer NBNS servers", ipcp_set_value, IPS_NBNS),
	BVERB("accept", ipcp_opt_verb, OPT_ACCEPT, "Accept option"),
	BVERB("deny", ipcp_opt_verb, OPT_DENY, "Deny option"),
	BVERB("enable", ipcp_opt_verb, OPT_ENABLE, "Enable option"),
	BVERB("disable", ipcp_opt_verb, OPT_DISABLE, "Disable option"),
	BVERB("yes", ipcp_opt_verb, OPT_YES, "Enable and accept option"),
	BVERB("no", ipcp_opt_verb, OPT_NO, "Disable and deny option"),
	CMD_END,
};

/* ---- top level ---- */

int bund_cmd_create(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	enum bund_kind kind = BUND_PLAIN;
	if (ac >= 1 && strcmp(av[0], "template") == 0) {
		kind = BUND_TEMPLATE;
		ac--, av++;
	} else if (ac >= 1 && strcmp(av[0], "static") == 0) {
		kind = BUND_STATIC;
		ac--, av++;
	}
	if (ac < 1 || ac > 2)
		return CMD_USAGE;
	const struct bundle *from = NULL;
	if (ac == 2) {
		from = bund_find(c->d, av[1]);
		if (from == NULL || from->kind != BUND_TEMPLATE)
			return cmd_error(c, "bundle template \"%s\" not found", av[1]);
	}
	char err[160];
	struct bundle *b = bund_create(c->d, av[0], kind, from, err, sizeof(err));
	if (b == NULL)
		return cmd_error(c, "%s", err);
	c->bund = b;
	c->link = NULL;
	c->rep = NULL;
	return CMD_OK;
}

int bund_cmd_destroy(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	struct bundle *b = c->bund;
	if (ac > 1)
		return CMD_USAGE;
	if (ac == 1 && (b = bund_find(c->d, av[0])) == NULL)
		return cmd_error(c, "bundle \"%s\" not found", av[0]);
	if (b == NULL)
		return cmd_error(c, "no bundle selected");
	if (c->bund == b)
		c->bund = NULL;
	if (c->link != NULL && c->link->bund == b)
		c->link = NULL;
	bund_destroy(b);
	return CMD_OK;
}

static void bund_select(struct cmd_ctx *c, struct bundle *b)
{
	c->bund = b;
	c->rep = NULL;
	if (b == NULL)
		c->link = NULL;
	else if (c->link == NULL || c->link->bund != b)
		c->link = b->nlinks > 0 ? b->links[0] : NULL;
}

int bund_cmd_select(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	struct daemon *d = c->d;
	if (ac == 0) {
		cmd_printf(c, "Defined bundles:\n\tBundle\tLinks\n");
		unsigned cur = 0;
		for (struct bundle *b; (b = reg_next(&d->bunds, &cur)) != NULL;) {
			cmd_printf(c, "\t%s\t", b->name);
			for (int j = 0; j < b->nlinks; j++)
				cmd_printf(c, "%s[%s] ", b->links[j]->name, link_lcp_state_name(b->links[j]));
			cmd_printf(c, "\n");
		}
		return CMD_OK;
	}
	if (ac != 1)
		return CMD_USAGE;
	struct bundle *b = bund_find(d, av[0]);
	bund_select(c, b);
	if (b == NULL)
		return cmd_error(c, "bundle \"%s\" not defined", av[0]);
	return CMD_OK;
}

int bund_cmd_iface(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	struct daemon *d = c->d;
	unsigned cur = 0;
	for (struct bundle *b; (b = reg_next(&d->bunds, &cur)) != NULL;) {
		if (b->dpi == NULL)
			continue;
		if (ac == 0)
			cmd_printf(c, "\t%s\t%s\n", b->ifname, b->name);
		else if (strcmp(b->ifname, av[0]) == 0) {
			bund_select(c, b);
			return CMD_OK;
		}
	}
	if (ac == 0)
		return CMD_OK;
	bund_select(c, NULL);
	return cmd_error(c, "interface \"%s\" not found", av[0]);
}

int bund_cmd_msession(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	struct daemon *d = c->d;
	unsigned cur = 0;
	for (struct bundle *b; (b = reg_next(&d->bunds, &cur)) != NULL;) {
		if (b->nlinks == 0)
			continue;
		if (ac == 0)
			cmd_printf(c, "\t%s\t%s\n", b->msession_id, b->name);
		else if (strcmp(b->msession_id, av[0]) == 0) {
			bund_select(c, b);
			return CMD_OK;
		}
	}
	if (ac == 0)
		return CMD_OK;
	bund_select(c, NULL);
	return cmd_error(c, "multi-session \"%s\" not found", av[0]);
}

/* ---- show ---- */

static const char *ip_str(struct in_addr a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

int bund_show_bundle(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	struct bundle *b = c->bund;
	if (ac == 1 && (b = bund_find(c->d, av[0])) == NULL)
		return cmd_error(c, "bundle \"%s\" not found", av[0]);
	if (b == NULL)
		return CMD_CTX;
	cmd_printf(c, "Bundle '%s'%s:\n", b->name, b->kind == BUND_TEMPLATE ? " (template)" :
		   b->kind == BUND_STATIC ? " (static)" : "");
	cmd_printf(c, "\tLinks          : ");
	for (int i = 0; i < b->nlinks; i++)
		cmd_printf(c, "%s[%s/%s] ", b->links[i]->name, link_lcp_state_name(b->links[i]),
			   link_dev_state_name(b->links[i]->dev_state));
	cmd_printf(c, "\n\tStatus         : %s\n", b->open ? "OPEN" : "CLOSED");
	cmd_printf(c, "\tSession time   : %ld seconds\n", b->nlinks ? (long)(time(NULL) - b->up_since) : 0L);
	cmd_printf(c, "\tMultiSession Id: %s\n", b->msession_id);
	cmd_printf(c, "\tPeer authname  : \"%s\"\n", b->peer_authname);
	unsigned bw = 0;
	for (int i = 0; i < b->nlinks; i++)
		bw += b->links[i]->conf.bandwidth;
	cmd_printf(c, "\tTotal bandwidth: %u bits/sec\n", bw);
	cmd_printf(c, "Configuration:\n");
	cmd_printf(c, "\tRetry timeout  : %u seconds\n", b->conf.fsm_timeout);
	cmd_printf(c, "\tBW-manage:\n\t  Period       : %u seconds\n\t  Low mark     : %u%%\n"
		   "\t  High mark    : %u%%\n\t  Min conn     : %u seconds\n\t  Min disc     : %u seconds\n",
		   b->conf.period, b->conf.lowat, b->conf.hiwat, b->conf.min_con, b->conf.min_dis);
	cmd_printf(c, "Bundle level options:\n");
	cmd_opts_show(c, bund_opts, &b->conf.opts);
	if (!(b->conf.opts_set & (1u << BOPT_MULTILINK)))
		cmd_printf(c, "\t(multilink: default, on for a bundle of more than one link)\n");
	bund_bw_show(c, b);
	bund_mp_show(c, b);
	cmd_printf(c, "Traffic stats:\n");
	cmd_printf(c, "\tInput octets   : %llu\n\tInput frames   : %llu\n", (unsigned long long)b->stats.in_octets,
		   (unsigned long long)b->stats.in_frames);
	cmd_printf(c, "\tOutput octets  : %llu\n\tOutput frames  : %llu\n", (unsigned long long)b->stats.out_octets,
		   (unsigned long long)b->stats.out_frames);
	cmd_printf(c, "\tDropped        : %llu\n", (unsigned long long)b->stats.dropped);
	return CMD_OK;
}

/* Ours (docs/differences.md): what the fast path (dp/dp.h) did on this interface. */
static void bund_show_fast(struct cmd_ctx *c, const struct bundle *b)
{
	if (b->dpi == NULL)
		return;
	const struct dp_stats *s = dp_iface_stats(b->dpi);
	cmd_printf(c, "Fast path:\n\tStatus          : %s\n", dp_iface_bound(b->dpi) ? "on" : "off");
	cmd_printf(c, "\tSegmented       : %llu super-packets into %llu packets\n",
		   (unsigned long long)s->gso_pkts, (unsigned long long)s->gso_segs);
	cmd_printf(c, "\tSent            : %llu frames in %llu batches, %llu dropped\n",
		   (unsigned long long)s->tx_frames, (unsigned long long)s->tx_batches,
		   (unsigned long long)s->tx_drops);
	cmd_printf(c, "\tReceived        : %llu packets, %llu in %llu coalesced writes, %llu dropped\n",
		   (unsigned long long)s->rx_pkts, (unsigned long long)s->gro_segs,
		   (unsigned long long)s->gro_writes, (unsigned long long)s->rx_drops);
}

int bund_show_iface(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)ac;
	(void)av;
	(void)arg;
	struct bundle *b = c->bund;
	if (b == NULL)
		return CMD_CTX;
	struct iface_conf *ic = &b->iconf;
	char a1[INET_ADDRSTRLEN], a2[INET_ADDRSTRLEN];
	cmd_printf(c, "Interface configuration:\n");
	cmd_printf(c, "\tName            : %s\n", b->ifname[0] ? b->ifname : ic->name);
	cmd_printf(c, "\tDescription     : \"%s\"\n", ic->descr);
	cmd_printf(c, "\tMaximum MTU     : %u%s\n", ic->mtu, ic->mtu_override ? " (override)" : "");
	cmd_printf(c, "\tIdle timeout    : %u seconds\n", ic->idle);
	cmd_printf(c, "\tSession timeout : %u seconds\n", ic->session);
	if (ic->have_addrs)
		cmd_printf(c, "\tAdmin addrs     : %s/%d %s/%d\n", ip_str(ic->self.addr, a1), ic->self.width,
			   ip_str(ic->peer.addr, a2), ic->peer.width);
	cmd_printf(c, "\tUp-script       : \"%s\"\n", ic->up_script);
	cmd_printf(c, "\tDown-script     : \"%s\"\n", ic->down_script);
	cmd_printf(c, "Interface options:\n");
	cmd_opts_show(c, iface_opts, &ic->opts);
	if (ic->nroutes > 0)
		cmd_printf(c, "Static routes via peer:\n");
	for (int i = 0; i < ic->nroutes; i++) {
		if (ic->routes[i].width == 0)
			cmd_printf(c, "\tdefault\n");
		else
			cmd_printf(c, "\t%s/%d\n", ip_str(ic->routes[i].dest, a1), ic->routes[i].width);
	}
	cmd_printf(c, "Interface status:\n");
	cmd_printf(c, "\tAdmin status    : %s\n", b->open ? "OPEN" : "CLOSED");
	cmd_printf(c, "\tStatus          : %s\n", iface_demand_status(b));
	iface_demand_show(c, b);
	cmd_printf(c, "\tMTU             : %u bytes\n", b->mtu);
	if (b->ip_up)
		cmd_printf(c, "\tIP Addresses    : %s -> %s\n", ip_str(b->if_self, a1), ip_str(b->if_peer, a2));
	cmd_printf(c, "Traffic stats:\n\tInput octets    : %llu\n\tOutput octets   : %llu\n",
		   (unsigned long long)b->stats.in_octets, (unsigned long long)b->stats.out_octets);
	bund_show_fast(c, b);
	return CMD_OK;
}

int bund_show_ipcp(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)ac;
	(void)av;
	(void)arg;
	struct bundle *b = c->bund;
	if (b == NULL)
		return CMD_CTX;
	struct ipcp_settings *ip = &b->ipconf;
	char a1[INET_ADDRSTRLEN], a2[INET_ADDRSTRLEN];
	cmd_printf(c, "[%s] IPCP [%s]\n", b->name, bund_ipcp_state_name(b));
	cmd_printf(c, "Allowed IP address ranges:\n");
	if (ip->self_pool[0])
		cmd_printf(c, "\tSelf: ippool %s\n", ip->self_pool);
	else
		cmd_printf(c, "\tSelf: %s/%d\n", ip_str(ip->self.addr, a1), ip->self.width);
	if (ip->peer_pool[0])
		cmd_printf(c, "\tPeer: ippool %s\n", ip->peer_pool);
	else
		cmd_printf(c, "\tPeer: %s/%d\n", ip_str(ip->peer.addr, a1), ip->peer.width);
	cmd_printf(c, "IPCP Options:\n");
	cmd_opts_show(c, ipcp_opts, &ip->opts);
	cmd_printf(c, "Configured DNS servers: %s %s\n", ip_str(ip->dns[0], a1), ip_str(ip->dns[1], a2));
	cmd_printf(c, "Configured NBNS servers: %s %s\n", ip_str(ip->nbns[0], a1), ip_str(ip->nbns[1], a2));
	bund_ipcp_show(c, b);
	return CMD_OK;
}

int bund_show_customer(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	struct bundle *b = c->bund;
	if (b == NULL)
		return CMD_CTX;
	int rc = bund_show_iface(c, ac, av, arg);
	if (rc != CMD_OK)
		return rc;
	for (int i = 0; i < b->nlinks; i++) {
		struct cmd_ctx sub = *c;
		sub.link = b->links[i];
		link_show_device(&sub, 0, NULL, NULL);
	}
	return CMD_OK;
}
