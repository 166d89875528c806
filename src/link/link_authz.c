/*
 * What AAA granted a session (radius.md §2.8): kept on the link once the
 * peer is accepted, checked for what can't be honoured (an unknown pool,
 * mpd-action drop/forward, attributes for mechanisms this build lacks with
 * `set auth enable strict-attrs`), then handed to the bundle and its
 * interface as the link joins. Nothing here is ignored silently: what is
 * only stored, or not applied yet, says so in the log for that session.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aaa/auth.h"
#include "aaa/auth_attr.h"
#include "bund/bundle.h"
#include "core/daemon.h"
#include "core/log.h"
#include "iface/iface.h"
#include "link/link.h"
#include "net/ippool.h"

static const char *const acl_names[] = {
	[AUTH_ACL_RULE] = "mpd-rule", [AUTH_ACL_PIPE] = "mpd-pipe", [AUTH_ACL_QUEUE] = "mpd-queue",
	[AUTH_ACL_TABLE] = "mpd-table", [AUTH_ACL_TABLE_STATIC] = "mpd-table-static",
	[AUTH_ACL_FILTER] = "mpd-filter", [AUTH_ACL_LIMIT] = "mpd-limit",
};

static const char *acl_name(enum auth_acl_kind k)
{
	return k >= AUTH_ACL_RULE && k <= AUTH_ACL_LIMIT ? acl_names[k] : "mpd-acl";
}

/* Attributes whose mechanism this build lacks: each logged for this session; the count decides
 * strict-attrs. */
static unsigned authz_unapplied(const struct link *l, const struct auth_result *r)
{
	unsigned n = 0;
	for (unsigned i = 0; i < r->nacl && i < AUTH_MAX_ACL; i++, n++)
		log_pmsg(LG_AUTH, LP_WARNING, l->name, "Auth: %s \"%s\" not applied yet (no filters or limits in this build)",
			 acl_name(r->acl[i].kind), r->acl[i].text);
	if (r->input_acct[0] != '\0' || r->output_acct[0] != '\0') {
		log_pmsg(LG_AUTH, LP_WARNING, l->name, "Auth: mpd-input-acct/mpd-output-acct \"%s\"/\"%s\" not applied yet "
			 "(no traffic classes in this build)", r->input_acct, r->output_acct);
		n++;
	}
	if (r->vj_compression) {
		log_pmsg(LG_AUTH, LP_WARNING, l->name, "Auth: Framed-Compression (Van Jacobson) not applied yet");
		n++;
	}
	if (r->iface_group[0] != '\0') {
		log_pmsg(LG_AUTH, LP_WARNING, l->name, "Auth: mpd-iface-group \"%s\" not applied yet (no interface groups)",
			 r->iface_group);
		n++;
	}
	if (r->limit_in != AUTH_UNSET_U32 || r->limit_out != AUTH_UNSET_U32 || r->filter_in[0] != '\0' ||
	    r->filter_out[0] != '\0') {
		log_pmsg(LG_AUTH, LP_WARNING, l->name, "Auth: rate limits/filters not applied yet");
		n++;
	}
	return n;
}

/* IPv6 attributes: kept for IPv6CP, which this build does not have yet. */
static void authz_ipv6_note(const struct link *l, const struct auth_result *r)
{
	unsigned v6routes = 0;
	for (unsigned i = 0; i < r->nroutes && i < AUTH_MAX_ROUTES; i++)
		v6routes += r->routes[i].v6;
	if (r->framed_ipv6_set || r->framed_ipv6_prefix_len > 0 || r->delegated_prefix_len > 0 || v6routes > 0)
		log_msg(LG_AUTH, l->name, "Auth: IPv6 attributes stored (Framed-IPv6-Address %s, Framed-IPv6-Prefix %s, "
			"Delegated-IPv6-Prefix %s, %u Framed-IPv6-Route) for IPv6CP, not built yet",
			r->framed_ipv6_set ? "yes" : "no", r->framed_ipv6_prefix_len > 0 ? "yes" : "no",
			r->delegated_prefix_len > 0 ? "yes" : "no", v6routes);
}

/* Refusals: what can't be honoured at all. 0, or -1 with the reason. */
static int authz_check(const struct link *l, const struct auth_result *r, char *why, size_t len)
{
	if (r->framed_ip_set && auth_addr_kind(r->framed_ip) == AUTH_ADDR_INVALID) {
		snprintf(why, len, "unusable Framed-IP-Address %s", inet_ntoa(r->framed_ip));
		return -1;
	}
	unsigned used, total;
	if (r->pool[0] != '\0' && ippool_stat(l->d->pools, r->pool, &used, &total) == -ENOENT) {
		snprintf(why, len, "Framed-Pool \"%s\" is not a configured ippool", r->pool);
		return -1;
	}
	if (r->action[0] != '\0') {
		enum auth_action k;
		char target[LINK_NAME_BUF];
		if (auth_action_parse(r->action, &k, target, sizeof(target)) < 0) {
			snprintf(why, len, "malformed mpd-action \"%.64s\"", r->action);
			return -1;
		}
		if (k == AUTH_ACTION_DROP) {
			snprintf(why, len, "dropped by mpd-action");
			return -1;
		}
		if (k == AUTH_ACTION_FORWARD) {
			snprintf(why, len, "mpd-action forward is not supported yet");
			return -1;
		}
	}
	unsigned n = authz_unapplied(l, r);
	if (n > 0 && opt_enabled(&l->auth.opts, AOPT_STRICT_ATTRS)) {
		snprintf(why, len, "%u attribute%s this build can't apply yet (strict-attrs)", n, n == 1 ? "" : "s");
		return -1;
	}
	return 0;
}

/* Acct-Interim-Interval: 0 and unset both mean none. */
static bool interim_set(const struct auth_result *r)
{
	return r->acct_interim != 0 && r->acct_interim != AUTH_UNSET_U32;
}

/* Anything beyond the internal backend's range worth a line of its own. */
static void authz_log(const struct link *l, const struct auth_result *r)
{
	char addr[INET_ADDRSTRLEN] = "-";
	if (r->framed_ip_set)
		inet_ntop(AF_INET, &r->framed_ip, addr, sizeof(addr));
	log_msg(LG_AUTH, l->name,
		"Auth: granted user=%s addr=%s pool=%s session-timeout=%d idle-timeout=%d mtu=%d routes=%u "
		"interim=%d class-len=%zu filter-id=%s mppe-keys=%s",
		l->peer_authname, addr, r->pool[0] ? r->pool : "-",
		r->session_timeout == AUTH_UNSET_U32 ? -1 : (int)(r->session_timeout & 0x7fffffff),
		r->idle_timeout == AUTH_UNSET_U32 ? -1 : (int)(r->idle_timeout & 0x7fffffff),
		r->mtu == AUTH_UNSET_U32 ? -1 : (int)r->mtu, r->nroutes,
		interim_set(r) ? (int)(r->acct_interim & 0x7fffffff) : -1, r->class_len,
		r->filter_id[0] ? r->filter_id : "-", r->keys.src != MSCHAP_KEYS_NONE ? "16+16" : "none");
	if (r->mtu != AUTH_UNSET_U32 && !auth_mtu_ok(r->mtu))
		log_pmsg(LG_AUTH, LP_WARNING, l->name, "Auth: Framed-MTU %u ignored (not within %u..%u)", r->mtu,
			 AUTH_MTU_MIN, AUTH_MTU_MAX);
	if (r->framed_netmask_set && auth_mask_width(r->framed_netmask) < 0)
		log_pmsg(LG_AUTH, LP_WARNING, l->name, "Auth: Framed-IP-Netmask %s is not contiguous: no subnet route",
			 inet_ntoa(r->framed_netmask));
}

void link_authz_clear(struct link *l)
{
	if (l->authz == NULL)
		return;
	explicit_bzero(l->authz, sizeof(*l->authz));
	free(l->authz);
	l->authz = NULL;
}

int link_authz_accept(struct link *l, const struct auth_result *r, char *why, size_t len)
{
	link_authz_clear(l);
	if (authz_check(l, r, why, len) < 0) {
		log_pmsg(LG_AUTH, LP_WARNING, l->name, "Auth: session refused: %s", why);
		return -1;
	}
	l->authz = malloc(sizeof(*l->authz));
	if (l->authz == NULL) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	*l->authz = *r;
	/* the link keeps the MPPE keys where the data path will look (link_ppp.c); only their
	 * presence stays here, for show and the log */
	explicit_bzero(l->authz->keys.send, sizeof(l->authz->keys.send));
	explicit_bzero(l->authz->keys.recv, sizeof(l->authz->keys.recv));
	explicit_bzero(l->authz->keys.key8, sizeof(l->authz->keys.key8));
	if (r->user_name[0] != '\0' && strcmp(r->user_name, l->peer_authname) != 0) {
		log_msg(LG_AUTH, l->name, "Auth: peer name \"%s\" replaced by User-Name \"%s\"", l->peer_authname,
			r->user_name);
		snprintf(l->peer_authname, sizeof(l->peer_authname), "%.*s", (int)sizeof(l->peer_authname) - 1,
			 r->user_name);
	}
	if (r->source != AUTH_SRC_INTERNAL && r->source != AUTH_SRC_NONE) {
		authz_log(l, r);
		authz_ipv6_note(l, r);
	}
	return 0;
}

bool link_authz_bundle(const struct link *l, char *target, size_t len)
{
	enum auth_action k;
	return l->authz != NULL && l->authz->action[0] != '\0' &&
	       auth_action_parse(l->authz->action, &k, target, len) == 0 && k == AUTH_ACTION_BUNDLE;
}

/* The routes via the peer: Framed-Route (IPv4) and the subnet a fixed address's netmask implies. */
static void authz_routes(const struct auth_result *r, struct iface_authz *ia)
{
	for (unsigned i = 0; i < r->nroutes && i < AUTH_MAX_ROUTES && ia->nroutes < IFACE_MAX_ROUTES; i++) {
		if (r->routes[i].v6 || r->routes[i].width < 0 || r->routes[i].width > 32)
			continue;
		struct iface_route rt = {.dest = r->routes[i].dst, .width = r->routes[i].width};
		bool dup = false;
		for (int j = 0; j < ia->nroutes; j++)
			dup |= ia->routes[j].dest.s_addr == rt.dest.s_addr && ia->routes[j].width == rt.width;
		if (!dup) /* as mpd5: a repeated route is one route */
			ia->routes[ia->nroutes++] = rt;
	}
	struct auth_route4 sub;
	if (r->framed_ip_set && r->framed_netmask_set && ia->nroutes < IFACE_MAX_ROUTES &&
	    auth_netmask_route(r->framed_ip, r->framed_netmask, &sub) == 1)
		ia->routes[ia->nroutes++] = (struct iface_route){.dest = sub.dest, .width = sub.width};
}

void link_authz_iface(const struct link *l, struct iface_authz *ia)
{
	memset(ia, 0, sizeof(*ia));
	const struct auth_result *r = l->authz;
	if (r == NULL)
		return;
	ia->session_set = r->session_timeout != AUTH_UNSET_U32;
	ia->session = ia->session_set ? r->session_timeout : 0;
	ia->idle_set = r->idle_timeout != AUTH_UNSET_U32;
	ia->idle = ia->idle_set ? r->idle_timeout : 0;
	ia->mtu = r->mtu != AUTH_UNSET_U32 && auth_mtu_ok(r->mtu) ? r->mtu : 0;
	authz_routes(r, ia);
	snprintf(ia->filter_id, sizeof(ia->filter_id), "%s", r->filter_id);
	snprintf(ia->name, sizeof(ia->name), "%s", r->iface_name);
	snprintf(ia->descr, sizeof(ia->descr), "%s", r->iface_descr);
}

int link_authz_timeouts(struct link *l, uint32_t session, uint32_t idle)
{
	if (session == AUTH_UNSET_U32 && idle == AUTH_UNSET_U32)
		return 0;
	if (l->authz != NULL) {
		if (session != AUTH_UNSET_U32)
			l->authz->session_timeout = session;
		if (idle != AUTH_UNSET_U32)
			l->authz->idle_timeout = idle;
	}
	log_msg(LG_AUTH, l->name, "Auth: new timeouts session-timeout=%d idle-timeout=%d",
		session == AUTH_UNSET_U32 ? -1 : (int)(session & 0x7fffffff),
		idle == AUTH_UNSET_U32 ? -1 : (int)(idle & 0x7fffffff));
	if (l->bund == NULL)
		return -1;
	iface_authz_timeouts(bund_iface(l->bund), session != AUTH_UNSET_U32, session, idle != AUTH_UNSET_U32, idle);
	return 0;
}

static void show_addr(struct cmd_ctx *c, const char *label, struct in_addr a)
{
	char s[INET_ADDRSTRLEN];
	if (a.s_addr != 0)
		cmd_printf(c, "\t%-16s: %s\n", label, inet_ntop(AF_INET, &a, s, sizeof(s)));
}

void link_authz_show(struct cmd_ctx *c, const struct link *l)
{
	const struct auth_result *r = l->authz;
	if (r == NULL || r->source == AUTH_SRC_INTERNAL || r->source == AUTH_SRC_NONE)
		return;
	char a[INET_ADDRSTRLEN];
	if (r->framed_ip_set) {
		enum auth_addr_kind k = auth_addr_kind(r->framed_ip);
		cmd_printf(c, "\tIP address      : %s\n", k == AUTH_ADDR_NAS_CHOOSES ? "chosen by us (pool/ranges)" :
			   k == AUTH_ADDR_PEER_CHOOSES ? "chosen by the peer" : inet_ntop(AF_INET, &r->framed_ip, a, sizeof(a)));
	}
	if (r->framed_netmask_set)
		show_addr(c, "IP netmask", r->framed_netmask);
	if (r->pool[0] != '\0')
		cmd_printf(c, "\tIP pool         : %s\n", r->pool);
	show_addr(c, "DNS", r->dns[0]);
	show_addr(c, "DNS (secondary)", r->dns[1]);
	show_addr(c, "NBNS", r->nbns[0]);
	show_addr(c, "NBNS (secondary)", r->nbns[1]);
	if (r->mtu != AUTH_UNSET_U32)
		cmd_printf(c, "\tMTU             : %u%s\n", r->mtu, auth_mtu_ok(r->mtu) ? "" : " (ignored)");
	if (r->session_timeout != AUTH_UNSET_U32)
		cmd_printf(c, "\tSession timeout : %u\n", r->session_timeout);
	if (r->idle_timeout != AUTH_UNSET_U32)
		cmd_printf(c, "\tIdle timeout    : %u\n", r->idle_timeout);
	if (interim_set(r))
		cmd_printf(c, "\tAcct interim    : %u\n", r->acct_interim);
	for (unsigned i = 0; i < r->nroutes && i < AUTH_MAX_ROUTES; i++) {
		char b[INET6_ADDRSTRLEN];
		const struct auth_route *rt = &r->routes[i];
		cmd_printf(c, "\tRoute           : %s/%d\n", rt->v6 ? inet_ntop(AF_INET6, &rt->dst6, b, sizeof(b)) :
			   inet_ntop(AF_INET, &rt->dst, b, sizeof(b)), rt->width);
	}
	if (r->filter_id[0] != '\0')
		cmd_printf(c, "\tFilter-Id       : %s\n", r->filter_id);
	if (r->class_len > 0)
		cmd_printf(c, "\tClass           : %zu bytes\n", r->class_len);
	if (r->action[0] != '\0')
		cmd_printf(c, "\tAction          : %s\n", r->action);
	if (r->iface_name[0] != '\0' || r->iface_descr[0] != '\0' || r->iface_group[0] != '\0')
		cmd_printf(c, "\tIface           : name \"%s\" descr \"%s\" group \"%s\" (group not applied)\n",
			   r->iface_name, r->iface_descr, r->iface_group);
	for (unsigned i = 0; i < r->nacl && i < AUTH_MAX_ACL; i++)
		cmd_printf(c, "\t%-16s: %s (not applied)\n", acl_name(r->acl[i].kind), r->acl[i].text);
	if (r->mschap_domain[0] != '\0')
		cmd_printf(c, "\tMS domain       : %s\n", r->mschap_domain);
	if (r->mppe_policy != AUTH_UNSET_U32 && r->mppe_policy != 0)
		cmd_printf(c, "\tMPPE policy     : %u types 0x%x\n", r->mppe_policy, r->mppe_types);
}
