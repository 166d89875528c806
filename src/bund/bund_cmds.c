/*
 * Bundle commands: create/destroy/select, `set bundle`, `set ipcp`, and
 * the bundle-side show commands (commands.md §10, §12); the interface's
 * are in iface/iface_cmds.c.
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
#include "core/daemon.h"
#include "bund/bund_bw.h"
#include "bund/bund_ipcp.h"
#include "iface/iface.h"
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
	{"radius-acct", false, BOPT_RADIUS_ACCT}, /* = `set auth enable radius-acct` on the links that join */
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

static struct optset *bund_optset(struct cmd_ctx *c, struct optset *scratch)
{
	(void)scratch;
	return &c->bund->conf.opts;
}

/* Remember what was set explicitly: multilink's default depends on it. */
static void bund_opts_changed(struct cmd_ctx *c, const struct optset *before, const struct optset *now,
			      uint32_t named)
{
	(void)before;
	(void)now;
	c->bund->conf.opts_set |= named;
}

/* Protocols other issues build (without them the session would silently do less than mpd5's),
 * and mpd 4.x bundle options mpd5 moved elsewhere (`set auth enable radius-auth`,
 * `set global enable tcp-wrapper`) for features this build does not have yet. crypt-reqd acts:
 * with no encryption a bundle refuses to open its NCPs (bundle.c). */
static const char *const bund_later[] = {"ipv6cp", "compression", "encryption", "radius-auth",
					 "radius-fallback", "tcp-wrapper", NULL};
static const struct cmd_optmenu bund_optmenu = {bund_opts, bund_optset, bund_opts_changed, bund_later, NULL};

static struct optset *ipcp_optset(struct cmd_ctx *c, struct optset *scratch)
{
	(void)scratch;
	return &c->bund->ipconf.opts;
}

static const char *const ipcp_later[] = {"vjcomp", NULL};
static const struct cmd_optmenu ipcp_optmenu = {ipcp_opts, ipcp_optset, NULL, ipcp_later, NULL};

/* ---- set bundle ---- */

static void *bund_conf_of(struct cmd_ctx *c)
{
	return &c->bund->conf;
}

#define BUND_FIELD(member, lo, hi, msg) \
	{CMD_FIELD_AT(struct bund_conf, member), .type = CMD_F_UINT, .min = lo, .max = hi, .err = msg, \
	 .obj = bund_conf_of}

static const struct cmd_field f_bund_fsm_timeout = BUND_FIELD(fsm_timeout, 1, 10, "fsm-timeout must be 1 to 10 seconds");
static const struct cmd_field f_period = BUND_FIELD(period, 6, 3600, "period must be 6 to 3600 seconds");
static const struct cmd_field f_lowat = BUND_FIELD(lowat, 0, 100, "a percentage 0 to 100 is needed");
static const struct cmd_field f_hiwat = BUND_FIELD(hiwat, 0, 100, "a percentage 0 to 100 is needed");
static const struct cmd_field f_min_con = BUND_FIELD(min_con, 0, 100000, "");
static const struct cmd_field f_min_dis = BUND_FIELD(min_dis, 0, 100000, "");

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

#define CMD_END {NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL}

const struct cmd bund_set_cmds[] = {
	CMD_FIELD("period", "{seconds}", "BoD sampling period", CTX_BUNDLE, f_period),
	CMD_FIELD("lowat", "{percent}", "BoD low water mark", CTX_BUNDLE, f_lowat),
	CMD_FIELD("hiwat", "{percent}", "BoD high water mark", CTX_BUNDLE, f_hiwat),
	CMD_FIELD("min-con", "{seconds}", "BoD min connected time", CTX_BUNDLE, f_min_con),
	CMD_FIELD("min-dis", "{seconds}", "BoD min disconnected time", CTX_BUNDLE, f_min_dis),
	{"links", "{link} ...", "Links to open (demand, bandwidth management)", bund_set_links, NULL, CTX_BUNDLE,
	 PRIV_ADMIN, NULL, NULL},
	CMD_FIELD("fsm-timeout", "{seconds}", "FSM retry timeout", CTX_BUNDLE, f_bund_fsm_timeout),
	CMD_FIELD("retry", "{seconds}", "FSM retry timeout (mpd 4 name of fsm-timeout)", CTX_BUNDLE, f_bund_fsm_timeout),
	CMD_OPT_VERBS(bund_optmenu, CTX_BUNDLE),
	CMD_END,
};

/* ---- set ipcp ---- */

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
	if (ac < 1 || ip_range_parse(av[0], r) < 0)
		return -1;
	pool[0] = '\0';
	return 1;
}

static void *ipcp_conf_of(struct cmd_ctx *c)
{
	return &c->bund->ipconf;
}

static const struct cmd_field f_dns = {CMD_FIELD_AT(struct ipcp_settings, dns), .type = CMD_F_IPV4, .err = "",
				       .obj = ipcp_conf_of};
static const struct cmd_field f_nbns = {CMD_FIELD_AT(struct ipcp_settings, nbns), .type = CMD_F_IPV4, .err = "",
					.obj = ipcp_conf_of};

static int ipcp_set_ranges(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	struct ipcp_settings *ip = &c->bund->ipconf;
	struct ip_range s, p;
	char sp[16], pp[16];
	(void)arg;

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

const struct cmd ipcp_set_cmds[] = {
	{"ranges", "(ip[/width]|ippool {pool}) (ip[/width]|ippool {pool})", "Allowed IP address ranges",
	 ipcp_set_ranges, NULL, CTX_BUNDLE, PRIV_ADMIN, NULL, NULL},
	CMD_FIELD("dns", "{ip1} [{ip2}]", "Set peer DNS servers", CTX_BUNDLE, f_dns),
	CMD_FIELD("nbns", "{ip1} [{ip2}]", "Set peer NBNS servers", CTX_BUNDLE, f_nbns),
	CMD_OPT_VERBS(ipcp_optmenu, CTX_BUNDLE),
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
		if (!iface_exists(&b->iface))
			continue;
		if (ac == 0)
			cmd_printf(c, "\t%s\t%s\n", iface_name(&b->iface), b->name);
		else if (strcmp(iface_name(&b->iface), av[0]) == 0) {
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
	int rc = iface_cmd_show(c, ac, av, arg);
	if (rc != CMD_OK)
		return rc;
	for (int i = 0; i < b->nlinks; i++) {
		struct cmd_ctx sub = *c;
		sub.link = b->links[i];
		link_show_device(&sub, 0, NULL, NULL);
	}
	return CMD_OK;
}
