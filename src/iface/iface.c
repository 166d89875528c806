/*
 * The bundle's system interface (commands.md §11): a TUN device from the
 * data path, its MTU, addresses and routes through netlink, and the
 * up/down scripts.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "net/ifscript.h"
#include "core/daemon.h"
#include "dp/dp.h"
#include "bund/bundle.h"
#include "iface/iface_demand.h"
#include "link/link.h"
#include "net/if_sysctl.h"
#include "net/nl.h"

extern const struct dp_iface_ops bund_dp_ops;

/* Up/down scripts get a bounded run time so a hung script can't pile up children. */
#define IFACE_SCRIPT_TIMEOUT_MS 30000

int iface_create(struct bundle *b, char *err, size_t errlen)
{
	char name[16];
	if (b->iconf.name[0] != '\0')
		snprintf(name, sizeof(name), "%s", b->iconf.name);
	else
		snprintf(name, sizeof(name), "ppp%u", b->index);
	b->dpi = dp_iface_new(b->d->base, name, opt_enabled(&b->d->g.opts, GOPT_FASTPATH) ? DP_FAST : 0,
			      &bund_dp_ops, b, err, errlen);
	if (b->dpi == NULL)
		return -1;
	snprintf(b->ifname, sizeof(b->ifname), "%s", dp_iface_name(b->dpi));
	b->mtu = 1500;
	/* Before the first up: IPv6 on thousands of interfaces makes every change O(n) in the kernel. */
	bool v6 = opt_enabled(&b->conf.opts, BOPT_IPV6CP);
	int rc = if_sysctl_ipv6_disable(b->ifname, !v6);
	if (rc < 0 && rc != -ENOENT)
		log_msg(LG_IFACE2, b->name, "IFACE: %s: can't %s IPv6: %s", b->ifname, v6 ? "enable" : "disable",
			strerror(-rc));
	log_msg(LG_IFACE, b->name, "IFACE: interface %s created", b->ifname);
	return 0;
}

void iface_destroy(struct bundle *b)
{
	if (b->ip_up)
		iface_ipv4_down(b);
	iface_demand_free(b); /* bund */
	dp_iface_free(b->dpi);
	b->dpi = NULL;
}

static int iface_index(struct bundle *b)
{
	int idx = nl_ifindex(b->d->nl, b->ifname);
	if (idx < 0)
		log_msg(LG_ERR, b->name, "IFACE: %s: %s", b->ifname, nl_errmsg(b->d->nl));
	return idx;
}

void iface_mtu_update(struct bundle *b)
{
	if (b->dpi == NULL)
		return;
	int idx = iface_index(b);
	if (idx < 0)
		return;
	if (nl_link_mtu(b->d->nl, idx, b->mtu) < 0)
		log_msg(LG_ERR, b->name, "IFACE: %s", nl_errmsg(b->d->nl));
	else
		log_msg(LG_IFACE2, b->name, "IFACE: %s MTU %u", b->ifname, b->mtu);
}

static void iface_script_done(int status, void *arg)
{
	(void)arg;
	if (status != 0)
		log_msg(LG_IFACE, NULL, "IFACE: script exited with status %d", status);
}

static void iface_run_script(struct bundle *b, bool up)
{
	const char *prog = up ? b->iconf.up_script : b->iconf.down_script;
	if (prog[0] == '\0')
		return;
	char peeraddr[64] = "";
	if (b->nlinks > 0 && b->links[0]->dev->peer_addr != NULL)
		b->links[0]->dev->peer_addr(b->links[0], peeraddr, sizeof(peeraddr));
	struct ifscript_info si = {
		.ifname = b->ifname,
		.family = AF_INET,
		.up = up,
		.local4 = b->if_self,
		.peer4 = b->if_peer,
		.width4 = 32,
		.dns1 = b->dns_peer[0],
		.dns2 = b->dns_peer[1],
		.authname = b->peer_authname,
		.peeraddr = peeraddr,
		.filterid = NULL,
	};
	log_msg(LG_IFACE2, b->name, "IFACE: running %s script \"%s\"", up ? "up" : "down", prog);
	if (ifscript_run(b->d->base, prog, &si, IFACE_SCRIPT_TIMEOUT_MS, iface_script_done, NULL) == NULL)
		log_msg(LG_ERR, b->name, "IFACE: can't run %s", prog);
}

int iface_ipv4_up(struct bundle *b)
{
	struct nl *nl = b->d->nl;
	int idx = iface_index(b);
	if (idx < 0)
		return -1;
	char s[INET_ADDRSTRLEN], p[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &b->if_self, s, sizeof(s));
	inet_ntop(AF_INET, &b->if_peer, p, sizeof(p));
	if (nl_link_mtu(nl, idx, b->mtu) < 0 ||
	    (nl_ifaddr4_add(nl, idx, b->if_self, b->if_peer, 32) < 0) ||
	    nl_link_updown(nl, idx, true) < 0) {
		log_msg(LG_ERR, b->name, "IFACE: configuring %s: %s", b->ifname, nl_errmsg(nl));
		nl_ifaddr_flush(nl, idx, AF_INET);
		return -1;
	}
	b->ip_up = true;
	log_msg(LG_IFACE, b->name, "IFACE: Up event, %s %s -> %s, MTU %u", b->ifname, s, p, b->mtu);
	for (int i = 0; i < b->iconf.nroutes; i++) {
		struct iface_route *r = &b->iconf.routes[i];
		struct in_addr none = {0};
		if (nl_route4_add(nl, idx, r->dest, (unsigned)r->width, none) < 0)
			log_msg(LG_ERR, b->name, "IFACE: route %s/%d: %s", inet_ntoa(r->dest), r->width, nl_errmsg(nl));
		else
			log_msg(LG_IFACE, b->name, "IFACE: Add route %s/%d via %s", inet_ntoa(r->dest), r->width, b->ifname);
	}
	iface_run_script(b, true);
	return 0;
}

void iface_ipv4_down(struct bundle *b)
{
	if (!b->ip_up)
		return;
	struct nl *nl = b->d->nl;
	b->ip_up = false;
	iface_run_script(b, false);
	int idx = iface_index(b);
	if (idx < 0)
		return;
	for (int i = 0; i < b->iconf.nroutes; i++) {
		struct iface_route *r = &b->iconf.routes[i];
		struct in_addr none = {0};
		nl_route4_del(nl, idx, r->dest, (unsigned)r->width, none);
	}
	nl_ifaddr4_del(nl, idx, b->if_self, b->if_peer, 32);
	nl_link_updown(nl, idx, false);
	log_msg(LG_IFACE, b->name, "IFACE: Down event, %s", b->ifname);
}
