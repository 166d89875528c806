/*
 * The bundle's system interface (commands.md §11): a TUN device from the
 * data path, its MTU, addresses and routes through netlink, the up/down
 * scripts and the idle and session timeouts.
 */
#include "iface/iface.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "core/daemon.h"
#include "core/log.h"
#include "core/pbuf.h"
#include "dp/dp.h"
#include "iface/iface_demand.h"
#include "iface/iface_local.h"
#include "net/if_sysctl.h"
#include "net/ifscript.h"
#include "net/nl.h"

/* Up/down scripts get a bounded run time so a hung script can't pile up children. */
#define IFACE_SCRIPT_TIMEOUT_MS 30000

static void iface_idle_cb(void *arg);
static void iface_session_cb(void *arg);

/* A timeout in seconds as timer milliseconds; AAA may send up to 2^32-1 s: saturate, not wrap. */
static unsigned secs_ms(unsigned secs)
{
	uint64_t ms = (uint64_t)secs * 1000;
	return ms > UINT32_MAX ? UINT32_MAX : (unsigned)ms;
}

void iface_conf_defaults(struct iface_conf *ic)
{
	ic->mtu = 1500;
}

void iface_init(struct iface *ifp, struct daemon *d, const struct iface_ops *ops, void *arg,
		const char *log_name)
{
	memset(ifp, 0, sizeof(*ifp));
	iface_conf_defaults(&ifp->conf);
	ifp->d = d;
	ifp->ops = ops;
	ifp->arg = arg;
	ifp->log_name = log_name;
	timer_init(&ifp->idle_timer, d->base, iface_idle_cb, ifp);
	timer_init(&ifp->session_timer, d->base, iface_session_cb, ifp);
}

void iface_conf_inherit(struct iface *ifp, const struct iface *from, bool clone, unsigned index)
{
	ifp->conf = from->conf;
	/* clones of one template can't share a name: the index goes at the end (§11) */
	if (clone && ifp->conf.name[0] != '\0')
		snprintf(ifp->conf.name, sizeof(ifp->conf.name), "%.11s%u", from->conf.name, index);
}

/* The data path hands packets from the system here. */
static void iface_from_system(void *arg, struct pbuf *bf)
{
	struct iface *ifp = arg;
	if (iface_demand_intercept(ifp, bf)) /* dial-on-demand (§3.8) */
		return;
	ifp->ops->output(ifp->arg, bf);
}

static const struct dp_iface_ops iface_dp_ops = {
	.from_iface = iface_from_system,
};

int iface_create(struct iface *ifp, unsigned index, bool ipv6, char *err, size_t errlen)
{
	char name[16];
	if (ifp->conf.name[0] != '\0')
		snprintf(name, sizeof(name), "%s", ifp->conf.name);
	else
		snprintf(name, sizeof(name), "ppp%u", index);
	if (ifp->d->check_only) { /* -t opens no TUN: the name is all a check needs */
		snprintf(ifp->name, sizeof(ifp->name), "%s", name);
		ifp->mtu = 1500;
		return 0;
	}
	unsigned flags = opt_enabled(&ifp->d->g.opts, GOPT_FASTPATH) ? DP_FAST : 0;
	ifp->dpi = dp_iface_new(ifp->d->base, name, flags, &iface_dp_ops, ifp, err, errlen);
	if (ifp->dpi == NULL)
		return -1;
	snprintf(ifp->name, sizeof(ifp->name), "%s", dp_iface_name(ifp->dpi));
	ifp->index = index;
	ifp->mtu = 1500;
	/* Before the first up: IPv6 on thousands of interfaces makes every change O(n) in the kernel. */
	int rc = if_sysctl_ipv6_disable(ifp->name, !ipv6);
	if (rc < 0 && rc != -ENOENT)
		log_msg(LG_IFACE2, ifp->log_name, "IFACE: %s: can't %s IPv6: %s", ifp->name,
			ipv6 ? "enable" : "disable", strerror(-rc));
	log_msg(LG_IFACE, ifp->log_name, "IFACE: interface %s created", ifp->name);
	if (ifp->conf.descr[0] != '\0')
		(void)iface_descr_apply(ifp);
	return 0;
}

void iface_destroy(struct iface *ifp)
{
	timer_stop(&ifp->idle_timer);
	timer_stop(&ifp->session_timer);
	if (ifp->ip_up)
		iface_v4_del(ifp);
	iface_demand_free(ifp);
	dp_iface_free(ifp->dpi);
	ifp->dpi = NULL;
}

static int iface_index(struct iface *ifp)
{
	int idx = nl_ifindex(ifp->d->nl, ifp->name);
	if (idx < 0)
		log_msg(LG_ERR, ifp->log_name, "IFACE: %s: %s", ifp->name, nl_errmsg(ifp->d->nl));
	return idx;
}

/* The name the TUN should carry now: `set iface name`, else pppINDEX. */
static void iface_wanted_name(const struct iface *ifp, char *out, size_t len)
{
	if (ifp->authz.name[0] != '\0') /* mpd-iface-name, for this session */
		snprintf(out, len, "%s", ifp->authz.name);
	else if (ifp->conf.name[0] != '\0')
		snprintf(out, len, "%s", ifp->conf.name);
	else
		snprintf(out, len, "ppp%u", ifp->index);
}

int iface_rename(struct iface *ifp, char *err, size_t errlen)
{
	char want[16];
	iface_wanted_name(ifp, want, sizeof(want));
	if (ifp->dpi == NULL || strcmp(want, ifp->name) == 0)
		return 0;
	if (ifp->ip_up)
		return 1;
	int idx = iface_index(ifp);
	if (idx < 0 || nl_link_rename(ifp->d->nl, idx, want) < 0) {
		snprintf(err, errlen, "%s", nl_errmsg(ifp->d->nl));
		return -1;
	}
	log_msg(LG_IFACE, ifp->log_name, "IFACE: %s renamed to %s", ifp->name, want);
	snprintf(ifp->name, sizeof(ifp->name), "%s", want);
	/* the data path keeps its descriptor: a fast-path binding is unaffected */
	dp_iface_renamed(ifp->dpi, want);
	return 0;
}

/* A name set while IPv4 was up is given once the link is down again. */
static void iface_rename_due(struct iface *ifp)
{
	char err[160];
	if (iface_rename(ifp, err, sizeof(err)) < 0)
		log_msg(LG_ERR, ifp->log_name, "IFACE: can't rename %s to %s: %s", ifp->name,
			ifp->conf.name[0] != '\0' ? ifp->conf.name : "its original name", err);
}

void iface_mtu_set(struct iface *ifp, unsigned link_mtu)
{
	unsigned mtu = link_mtu;
	if (ifp->conf.mtu_override)
		mtu = ifp->conf.mtu;
	else if (mtu > ifp->conf.mtu)
		mtu = ifp->conf.mtu;
	if (ifp->authz.mtu != 0 && mtu > ifp->authz.mtu) /* Framed-MTU: an upper bound (§2.8) */
		mtu = ifp->authz.mtu;
	ifp->mtu = mtu;
	if (ifp->dpi == NULL)
		return;
	int idx = iface_index(ifp);
	if (idx < 0)
		return;
	if (nl_link_mtu(ifp->d->nl, idx, ifp->mtu) < 0)
		log_msg(LG_ERR, ifp->log_name, "IFACE: %s", nl_errmsg(ifp->d->nl));
	else
		log_msg(LG_IFACE2, ifp->log_name, "IFACE: %s MTU %u", ifp->name, ifp->mtu);
}

/* Specifiers of a description template (commands.md §11) this build can't fill yet: they
 * need the first link's name, type, outer address, port or our auth name. */
static const char descr_later[] = "loPtu";

int iface_descr_check(const char *tmpl)
{
	for (const char *p = tmpl; *p != '\0'; p++) {
		if (*p != '%' || p[1] == '\0')
			continue;
		p++;
		if (strchr(descr_later, *p) != NULL)
			return (unsigned char)*p;
	}
	return 0;
}

static void descr_put(char **o, char *end, const char *v)
{
	if (v == NULL || *v == '\0')
		v = "-"; /* as mpd5: an empty value expands to "-" */
	while (*v != '\0' && *o < end)
		*(*o)++ = *v++;
}

/* The value of specifier c, or NULL to copy "%c" as it is. */
static const char *descr_value(struct iface *ifp, char c, char *buf, size_t len)
{
	struct iface_peer peer = {0};
	switch (c) {
	case '%': return "%";
	case 'a': return ifp->ip_up ? inet_ntop(AF_INET, &ifp->v4.self, buf, (socklen_t)len) : "";
	case 'A': return ifp->ip_up ? inet_ntop(AF_INET, &ifp->v4.peer, buf, (socklen_t)len) : "";
	case 'i': snprintf(buf, len, "%u", if_nametoindex(ifp->name)); return buf;
	case 'I': return ifp->name;
	case 'S': return iface_demand_status(ifp);
	case 'U': case 'M': case 'O':
		if (ifp->ops->peer != NULL)
			ifp->ops->peer(ifp->arg, &peer);
		snprintf(buf, len, "%s", c == 'U' ? peer.authname : peer.addr);
		return buf;
	default: return NULL;
	}
}

/* `set iface description` with its specifiers expanded now. */
static void descr_expand(struct iface *ifp, char *out, size_t len)
{
	char *o = out, *end = out + len - 1;
	const char *tmpl = ifp->authz.descr[0] != '\0' ? ifp->authz.descr : ifp->conf.descr;
	for (const char *p = tmpl; *p != '\0' && o < end; p++) {
		char buf[INET6_ADDRSTRLEN + 64];
		const char *v = *p == '%' && p[1] != '\0' ? descr_value(ifp, p[1], buf, sizeof(buf)) : NULL;
		if (v == NULL) {
			*o++ = *p;
			continue;
		}
		descr_put(&o, end, v);
		p++;
	}
	*o = '\0';
}

int iface_descr_apply(struct iface *ifp)
{
	char text[sizeof(ifp->conf.descr) * 4];
	if (ifp->dpi == NULL)
		return 0;
	int idx = iface_index(ifp);
	if (idx < 0)
		return -1;
	descr_expand(ifp, text, sizeof(text));
	if (nl_link_alias(ifp->d->nl, idx, text) < 0) {
		log_msg(LG_ERR, ifp->log_name, "IFACE: %s", nl_errmsg(ifp->d->nl));
		return -1;
	}
	log_msg(LG_IFACE2, ifp->log_name, "IFACE: %s description \"%s\"", ifp->name, text);
	return 0;
}

static void iface_script_done(int status, void *arg)
{
	(void)arg;
	if (status != 0)
		log_msg(LG_IFACE, NULL, "IFACE: script exited with status %d", status);
}

static void iface_run_script(struct iface *ifp, bool up)
{
	const char *prog = up ? ifp->conf.up_script : ifp->conf.down_script;
	if (prog[0] == '\0')
		return;
	struct iface_peer peer = {"", ""};
	ifp->ops->peer(ifp->arg, &peer);
	struct ifscript_info si = {
		.ifname = ifp->name,
		.family = AF_INET,
		.up = up,
		.local4 = ifp->v4.self,
		.peer4 = ifp->v4.peer,
		.width4 = 32,
		.dns1 = ifp->v4.dns[0],
		.dns2 = ifp->v4.dns[1],
		.authname = peer.authname,
		.peeraddr = peer.addr,
		.filterid = ifp->authz.filter_id[0] != '\0' ? ifp->authz.filter_id : NULL,
	};
	log_msg(LG_IFACE2, ifp->log_name, "IFACE: running %s script \"%s\"", up ? "up" : "down", prog);
	if (ifscript_run(ifp->d->base, prog, &si, IFACE_SCRIPT_TIMEOUT_MS, iface_script_done, NULL) == NULL)
		log_msg(LG_ERR, ifp->log_name, "IFACE: can't run %s", prog);
}

/* Framed-Route and the Framed-IP-Netmask subnet: via the peer while the session is up. What
 * went in is remembered, so the same routes come out even if AAA's values change meanwhile. */
static void iface_aaa_routes_add(struct iface *ifp, int idx)
{
	struct nl *nl = ifp->d->nl;
	struct in_addr none = {0};
	ifp->aaa_nroutes = 0;
	for (int i = 0; i < ifp->authz.nroutes; i++) {
		const struct iface_route *r = &ifp->authz.routes[i];
		char a[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &r->dest, a, sizeof(a));
		if (nl_route4_add(nl, idx, r->dest, (unsigned)r->width, none) < 0) {
			log_msg(LG_ERR, ifp->log_name, "IFACE: AAA route %s/%d: %s", a, r->width, nl_errmsg(nl));
			continue;
		}
		ifp->aaa_routes[ifp->aaa_nroutes++] = *r;
		log_msg(LG_IFACE, ifp->log_name, "IFACE: Add route %s/%d via %s (AAA)", a, r->width, ifp->name);
	}
}

static void iface_aaa_routes_del(struct iface *ifp, int idx)
{
	struct in_addr none = {0};
	for (int i = 0; i < ifp->aaa_nroutes; i++) {
		const struct iface_route *r = &ifp->aaa_routes[i];
		char a[INET_ADDRSTRLEN];
		if (nl_route4_del(ifp->d->nl, idx, r->dest, (unsigned)r->width, none) == 0)
			log_msg(LG_IFACE, ifp->log_name, "IFACE: Remove route %s/%d (AAA)",
				inet_ntop(AF_INET, &r->dest, a, sizeof(a)), r->width);
	}
	ifp->aaa_nroutes = 0;
}

int iface_v4_add(struct iface *ifp)
{
	struct nl *nl = ifp->d->nl;
	iface_rename_due(ifp);
	int idx = iface_index(ifp);
	if (idx < 0)
		return -1;
	char s[INET_ADDRSTRLEN], p[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &ifp->v4.self, s, sizeof(s));
	inet_ntop(AF_INET, &ifp->v4.peer, p, sizeof(p));
	if (nl_link_mtu(nl, idx, ifp->mtu) < 0 ||
	    (nl_ifaddr4_add(nl, idx, ifp->v4.self, ifp->v4.peer, 32) < 0) ||
	    nl_link_updown(nl, idx, true) < 0) {
		log_msg(LG_ERR, ifp->log_name, "IFACE: configuring %s: %s", ifp->name, nl_errmsg(nl));
		nl_ifaddr_flush(nl, idx, AF_INET);
		return -1;
	}
	ifp->ip_up = true;
	log_msg(LG_IFACE, ifp->log_name, "IFACE: Up event, %s %s -> %s, MTU %u", ifp->name, s, p, ifp->mtu);
	for (int i = 0; i < ifp->conf.nroutes; i++) {
		struct iface_route *r = &ifp->conf.routes[i];
		struct in_addr none = {0};
		if (nl_route4_add(nl, idx, r->dest, (unsigned)r->width, none) < 0)
			log_msg(LG_ERR, ifp->log_name, "IFACE: route %s/%d: %s", inet_ntoa(r->dest), r->width,
				nl_errmsg(nl));
		else
			log_msg(LG_IFACE, ifp->log_name, "IFACE: Add route %s/%d via %s", inet_ntoa(r->dest),
				r->width, ifp->name);
	}
	iface_aaa_routes_add(ifp, idx);
	iface_run_script(ifp, true);
	return 0;
}

void iface_v4_del(struct iface *ifp)
{
	if (!ifp->ip_up)
		return;
	struct nl *nl = ifp->d->nl;
	ifp->ip_up = false;
	iface_run_script(ifp, false);
	int idx = iface_index(ifp);
	if (idx < 0)
		return;
	for (int i = 0; i < ifp->conf.nroutes; i++) {
		struct iface_route *r = &ifp->conf.routes[i];
		struct in_addr none = {0};
		nl_route4_del(nl, idx, r->dest, (unsigned)r->width, none);
	}
	iface_aaa_routes_del(ifp, idx);
	nl_ifaddr4_del(nl, idx, ifp->v4.self, ifp->v4.peer, 32);
	nl_link_updown(nl, idx, false);
	log_msg(LG_IFACE, ifp->log_name, "IFACE: Down event, %s", ifp->name);
	iface_rename_due(ifp);
}

static uint64_t iface_frames(struct iface *ifp)
{
	struct iface_traffic t = {0};
	ifp->ops->traffic(ifp->arg, &t);
	return t.in_frames + t.out_frames;
}

/* The idle tick: no frame either way since the last one closes the bundle. */
static void iface_idle_cb(void *arg)
{
	struct iface *ifp = arg;
	uint64_t seen = iface_frames(ifp);
	if (seen == ifp->idle_mark) {
		log_msg(LG_BUND, ifp->log_name, "Bundle: idle timeout after %u seconds", iface_idle_timeout(ifp));
		ifp->ops->close(ifp->arg, "Idle timeout");
		return;
	}
	ifp->idle_mark = seen;
	timer_start(&ifp->idle_timer, secs_ms(iface_idle_timeout(ifp)));
}

static void iface_session_cb(void *arg)
{
	struct iface *ifp = arg;
	log_msg(LG_BUND, ifp->log_name, "Bundle: session timeout after %u seconds", iface_session_timeout(ifp));
	ifp->ops->close(ifp->arg, "Session timeout");
}

int iface_ipv4_up(struct iface *ifp, const struct iface_ipv4 *a)
{
	ifp->v4 = *a;
	/* mpd5: a `!` address of `set iface addrs` wins over the negotiated one */
	if (ifp->conf.have_addrs && ifp->conf.self_force)
		ifp->v4.self = ifp->conf.self.addr;
	if (ifp->conf.have_addrs && ifp->conf.peer_force)
		ifp->v4.peer = ifp->conf.peer.addr;
	if (ifp->conf.self_force || ifp->conf.peer_force)
		log_msg(LG_IFACE2, ifp->log_name, "IFACE: forced addresses from 'set iface addrs'");
	iface_demand_ncp_up(ifp); /* demand addresses off first */
	if (iface_v4_add(ifp) < 0)
		return -1;
	if (ifp->conf.descr[0] != '\0' || ifp->authz.descr[0] != '\0')
		(void)iface_descr_apply(ifp); /* its specifiers may name the new addresses */
	ifp->idle_mark = iface_frames(ifp);
	clock_gettime(CLOCK_MONOTONIC, &ifp->up_at);
	if (iface_idle_timeout(ifp) > 0)
		timer_start(&ifp->idle_timer, secs_ms(iface_idle_timeout(ifp)));
	if (iface_session_timeout(ifp) > 0)
		timer_start(&ifp->session_timer, secs_ms(iface_session_timeout(ifp)));
	return 0;
}

unsigned iface_session_timeout(const struct iface *ifp)
{
	return ifp->authz.session_set ? ifp->authz.session : ifp->conf.session;
}

unsigned iface_idle_timeout(const struct iface *ifp)
{
	return ifp->authz.idle_set ? ifp->authz.idle : ifp->conf.idle;
}

void iface_authz_set(struct iface *ifp, const struct iface_authz *a)
{
	ifp->authz = *a;
	if (a->name[0] != '\0')
		iface_rename_due(ifp);
}

void iface_authz_clear(struct iface *ifp)
{
	bool renamed = ifp->authz.name[0] != '\0', descr = ifp->authz.descr[0] != '\0';
	memset(&ifp->authz, 0, sizeof(ifp->authz));
	if (renamed)
		iface_rename_due(ifp);
	if (descr)
		(void)iface_descr_apply(ifp); /* back to `set iface description` (or none) */
}

/* Milliseconds left of a deadline secs after IPv4 came up; at least 1. */
static unsigned iface_left_ms(const struct iface *ifp, unsigned secs)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	int64_t gone = (int64_t)(now.tv_sec - ifp->up_at.tv_sec) * 1000 + (now.tv_nsec - ifp->up_at.tv_nsec) / 1000000;
	int64_t left = (int64_t)secs * 1000 - gone;
	return left < 1 ? 1 : left > UINT32_MAX ? UINT32_MAX : (unsigned)left;
}

void iface_authz_timeouts(struct iface *ifp, bool session_set, unsigned session, bool idle_set, unsigned idle)
{
	if (session_set) {
		ifp->authz.session_set = true;
		ifp->authz.session = session;
	}
	if (idle_set) {
		ifp->authz.idle_set = true;
		ifp->authz.idle = idle;
	}
	log_msg(LG_IFACE, ifp->log_name, "IFACE: timeouts now session=%u idle=%u", iface_session_timeout(ifp),
		iface_idle_timeout(ifp));
	if (!ifp->ip_up)
		return; /* armed when IPv4 comes up */
	if (session_set) {
		timer_stop(&ifp->session_timer);
		if (session > 0)
			timer_start(&ifp->session_timer, iface_enabled(ifp, IOPT_KEEP_TIMEOUT) ?
				    iface_left_ms(ifp, session) : secs_ms(session));
	}
	if (idle_set) {
		timer_stop(&ifp->idle_timer);
		ifp->idle_mark = iface_frames(ifp);
		if (idle > 0)
			timer_start(&ifp->idle_timer, secs_ms(idle));
	}
}

void iface_addrs_applied(struct iface *ifp)
{
	iface_demand_flush(ifp);
}

void iface_ipv4_down(struct iface *ifp)
{
	timer_stop(&ifp->idle_timer);
	timer_stop(&ifp->session_timer);
	if (iface_demand_keep(ifp)) /* only demand addresses are on */
		return;
	iface_v4_del(ifp);
	iface_demand_resume(ifp); /* back to demand mode */
}

void iface_write(struct iface *ifp, struct pbuf *bf)
{
	if (!ifp->ip_up || ifp->dpi == NULL) {
		pbuf_free(bf);
		return;
	}
	dp_iface_write(ifp->dpi, bf);
}

bool iface_enabled(const struct iface *ifp, unsigned opt)
{
	return opt_enabled(&ifp->conf.opts, opt);
}

bool iface_ipv4_is_up(const struct iface *ifp)
{
	return ifp->ip_up;
}

struct in_addr iface_ipv4_peer(const struct iface *ifp)
{
	return ifp->v4.peer;
}

const char *iface_name(const struct iface *ifp)
{
	return ifp->name;
}

bool iface_exists(const struct iface *ifp)
{
	return ifp->dpi != NULL;
}

unsigned iface_mtu(const struct iface *ifp)
{
	return ifp->mtu;
}

struct dp_iface *iface_dp(const struct iface *ifp)
{
	return ifp->dpi;
}
