/*
 * Interface commands: `set iface ...` and `show iface` (commands.md §11).
 * The selected bundle's interface comes from bund_iface(); nothing here
 * reads struct bundle.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bund/bundle.h"
#include "conf/cmd.h"
#include "conf/cmd_global.h"
#include "core/log.h"
#include "dp/dp.h"
#include "iface/iface.h"
#include "iface/iface_demand.h"

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

int ip_range_parse(const char *s, struct ip_range *r)
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

static struct optset *iface_optset(struct cmd_ctx *c, struct optset *scratch)
{
	(void)scratch;
	return &bund_iface(c->bund)->conf.opts;
}

static const char *const iface_later[] = {"proxy-arp", "keep-timeout", "tcpmssfix", "tee",
					  "nat", "netflow-in", "netflow-out", "netflow-once", "ipacct", NULL};
static const struct cmd_optmenu iface_optmenu = {iface_opts, iface_optset, NULL, iface_later, NULL};

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

/* A name Linux takes for an interface (and not mpd5's reserved ngN). */
static bool iface_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 15 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0 || strncmp(s, "ng", 2) == 0)
		return false;
	for (; *s != '\0'; s++)
		if (*s <= ' ' || *s >= 0x7f || *s == '/' || *s == ':')
			return false;
	return true;
}

/* Templates only store the name for their clones; an existing TUN is renamed now, or
 * when IPv4 next goes down if it is up (Linux renames only a link that is down). */
static int iface_set_name(struct cmd_ctx *c, struct iface *ifp, const char *name)
{
	char old[sizeof(ifp->conf.name)], err[160];
	snprintf(old, sizeof(old), "%s", ifp->conf.name);
	snprintf(ifp->conf.name, sizeof(ifp->conf.name), "%s", name);
	if (!iface_exists(ifp) || bund_is_template(c->bund))
		return CMD_OK;
	int rc = iface_rename(ifp, err, sizeof(err));
	if (rc < 0) {
		snprintf(ifp->conf.name, sizeof(ifp->conf.name), "%s", old);
		return cmd_error(c, "can't rename %s: %s", iface_name(ifp), err);
	}
	if (rc > 0)
		log_msg(LG_IFACE, ifp->log_name, "IFACE: %s is up: renamed to %s when it goes down", iface_name(ifp),
			name[0] != '\0' ? name : "its original name");
	return CMD_OK;
}

static int iface_set_value(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	struct iface *ifp = bund_iface(c->bund);
	struct iface_conf *ic = &ifp->conf;
	unsigned v;
	switch ((int)(intptr_t)arg) {
	case IS_ADDRS: {
		struct ip_range s, p;
		if (ac != 2)
			return CMD_USAGE;
		const char *sa = av[0][0] == '!' ? av[0] + 1 : av[0];
		const char *pa = av[1][0] == '!' ? av[1] + 1 : av[1];
		/* an IPv6 pair is a feature to come (fatal at startup), a mistyped IPv4 one a plain error */
		if (strchr(sa, ':') != NULL || strchr(pa, ':') != NULL)
			return cmd_later_error(c, "IPv6 addresses in 'set iface addrs' are not supported yet");
		if (ip_range_parse(sa, &s) < 0 || ip_range_parse(pa, &p) < 0)
			return cmd_error(c, "bad IPv4 address");
		ic->self = s;
		ic->peer = p;
		ic->have_addrs = true;
		ic->self_force = sa != av[0];
		ic->peer_force = pa != av[1];
		return CMD_OK;
	}
	case IS_ROUTE: {
		struct ip_range r = {0};
		if (ac != 1)
			return CMD_USAGE;
		if (ic->nroutes >= IFACE_MAX_ROUTES)
			return cmd_error(c, "too many routes (max %d)", IFACE_MAX_ROUTES);
		if (strcmp(av[0], "default") != 0 && ip_range_parse(av[0], &r) < 0)
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
		if (ac == 1 && !iface_name_ok(av[0]))
			return cmd_error(c, "interface name must be 1 to 15 printable characters without '/', "
					 "':' or blanks, and not ngN");
		return iface_set_name(c, ifp, ac ? av[0] : "");
	case IS_DESCR:
		if (ac > 1)
			return CMD_USAGE;
		if (ac == 1 && strlen(av[0]) >= sizeof(ic->descr))
			return cmd_error(c, "description too long (at most %zu characters)", sizeof(ic->descr) - 1);
		if (ac == 1 && (v = (unsigned)iface_descr_check(av[0])) != 0)
			return cmd_later_error(c, "'%%%c' in 'set iface description' is not supported yet", (char)v);
		snprintf(ic->descr, sizeof(ic->descr), "%s", ac ? av[0] : "");
		/* an existing interface takes it now; a new one when it is created */
		if (iface_exists(ifp) && iface_descr_apply(ifp) < 0)
			return cmd_error(c, "could not set the description of %s (see the log)", iface_name(ifp));
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

#define IVAL(n, u, h, fn, w) {n, u, h, fn, NULL, CTX_BUNDLE, PRIV_ADMIN, NULL, (const void *)(intptr_t)(w)}
#define ILATER(n, u, full) {n, u, "(not supported yet)", cmd_unsupported, NULL, CTX_BUNDLE, PRIV_ADMIN, NULL, full}
#define CMD_END {NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL}

const struct cmd iface_set_cmds[] = {
	IVAL("addrs", "[!]{local} [!]{remote}", "Interface addresses", iface_set_value, IS_ADDRS),
	IVAL("route", "{dest}[/{width}]|default", "Add IP route", iface_set_value, IS_ROUTE),
	IVAL("mtu", "{size} [override]", "Interface max MTU", iface_set_value, IS_MTU),
	IVAL("name", "[{name}]", "Interface name", iface_set_value, IS_NAME),
	IVAL("description", "[{descr}]", "Interface description", iface_set_value, IS_DESCR),
	ILATER("group", "{group}", "set iface group"),
	IVAL("up-script", "[{progname}]", "Interface up script", iface_set_value, IS_UP_SCRIPT),
	IVAL("down-script", "[{progname}]", "Interface down script", iface_set_value, IS_DOWN_SCRIPT),
	IVAL("idle", "{seconds}", "Idle timeout", iface_set_value, IS_IDLE),
	IVAL("session", "{seconds}", "Session timeout", iface_set_value, IS_SESSION),
	CMD_OPT_VERBS_ED(iface_optmenu, CTX_BUNDLE),
	CMD_END,
};

/* ---- show ---- */

static const char *ip_str(struct in_addr a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* Ours (docs/differences.md): what the fast path (dp/dp.h) did on this interface. */
static void iface_show_fast(struct cmd_ctx *c, const struct iface *ifp)
{
	if (ifp->dpi == NULL)
		return;
	const struct dp_stats *s = dp_iface_stats(ifp->dpi);
	cmd_printf(c, "Fast path:\n\tStatus          : %s\n", dp_iface_bound(ifp->dpi) ? "on" : "off");
	cmd_printf(c, "\tSegmented       : %llu super-packets into %llu packets\n",
		   (unsigned long long)s->gso_pkts, (unsigned long long)s->gso_segs);
	cmd_printf(c, "\tSent            : %llu frames in %llu batches, %llu dropped\n",
		   (unsigned long long)s->tx_frames, (unsigned long long)s->tx_batches,
		   (unsigned long long)s->tx_drops);
	cmd_printf(c, "\tReceived        : %llu packets, %llu in %llu coalesced writes, %llu dropped\n",
		   (unsigned long long)s->rx_pkts, (unsigned long long)s->gro_segs,
		   (unsigned long long)s->gro_writes, (unsigned long long)s->rx_drops);
}

static void iface_show_conf(struct cmd_ctx *c, const struct iface *ifp)
{
	const struct iface_conf *ic = &ifp->conf;
	char a1[INET_ADDRSTRLEN], a2[INET_ADDRSTRLEN];
	cmd_printf(c, "Interface configuration:\n");
	cmd_printf(c, "\tName            : %s\n", ifp->name[0] ? ifp->name : ic->name);
	cmd_printf(c, "\tDescription     : \"%s\"\n", ic->descr);
	cmd_printf(c, "\tMaximum MTU     : %u%s\n", ic->mtu, ic->mtu_override ? " (override)" : "");
	cmd_printf(c, "\tIdle timeout    : %u seconds\n", ic->idle);
	cmd_printf(c, "\tSession timeout : %u seconds\n", ic->session);
	if (ic->have_addrs)
		cmd_printf(c, "\tAdmin addrs     : %s%s/%d %s%s/%d\n", ic->self_force ? "!" : "",
			   ip_str(ic->self.addr, a1), ic->self.width, ic->peer_force ? "!" : "",
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
}

static void iface_show_status(struct cmd_ctx *c, const struct iface *ifp, bool admin_open)
{
	char a1[INET_ADDRSTRLEN], a2[INET_ADDRSTRLEN];
	cmd_printf(c, "Interface status:\n");
	cmd_printf(c, "\tAdmin status    : %s\n", admin_open ? "OPEN" : "CLOSED");
	cmd_printf(c, "\tStatus          : %s\n", iface_demand_status(ifp));
	iface_demand_show(c, ifp);
	cmd_printf(c, "\tMTU             : %u bytes%s\n", ifp->mtu, ifp->authz.mtu ? " (AAA cap)" : "");
	cmd_printf(c, "\tSession timeout : %u seconds%s\n", iface_session_timeout(ifp),
		   ifp->authz.session_set ? " (AAA)" : "");
	cmd_printf(c, "\tIdle timeout    : %u seconds%s\n", iface_idle_timeout(ifp), ifp->authz.idle_set ? " (AAA)" : "");
	if (ifp->authz.filter_id[0] != '\0')
		cmd_printf(c, "\tFilter-Id       : %s\n", ifp->authz.filter_id);
	for (int i = 0; i < ifp->aaa_nroutes; i++)
		cmd_printf(c, "\tDynamic route   : %s/%d\n", ip_str(ifp->aaa_routes[i].dest, a1), ifp->aaa_routes[i].width);
	if (ifp->ip_up)
		cmd_printf(c, "\tIP Addresses    : %s -> %s\n", ip_str(ifp->v4.self, a1), ip_str(ifp->v4.peer, a2));
	struct iface_traffic t = {0};
	ifp->ops->traffic(ifp->arg, &t);
	cmd_printf(c, "Traffic stats:\n\tInput octets    : %llu\n\tOutput octets   : %llu\n",
		   (unsigned long long)t.in_octets, (unsigned long long)t.out_octets);
}

int iface_cmd_show(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)ac;
	(void)av;
	(void)arg;
	if (c->bund == NULL)
		return CMD_CTX;
	const struct iface *ifp = bund_iface(c->bund);
	iface_show_conf(c, ifp);
	iface_show_status(c, ifp, bund_admin_open(c->bund));
	iface_show_fast(c, ifp);
	return CMD_OK;
}
