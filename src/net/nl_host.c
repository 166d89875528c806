/* Facts about the host for startup: the multilink discriminator and IPCP's default address. */
#include <errno.h>
#include <stdbool.h>
#include <limits.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <string.h>

#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>

#include "net/nl_priv.h"

struct nl_best_mac {
	int ifindex; /* best so far, INT_MAX when none */
	uint8_t mac[6];
};

static void nl_mac_pick(struct nl_object *obj, void *arg)
{
	struct nl_best_mac *b = arg;
	struct rtnl_link *l = (struct rtnl_link *)obj;
	struct nl_addr *a = rtnl_link_get_addr(l);
	static const uint8_t zero[6];
	if (rtnl_link_get_arptype(l) != ARPHRD_ETHER || (rtnl_link_get_flags(l) & IFF_LOOPBACK))
		return;
	if (a == NULL || nl_addr_get_len(a) != 6 || memcmp(nl_addr_get_binary_addr(a), zero, 6) == 0)
		return;
	if (rtnl_link_get_ifindex(l) >= b->ifindex)
		return;
	b->ifindex = rtnl_link_get_ifindex(l);
	memcpy(b->mac, nl_addr_get_binary_addr(a), 6);
}

int nl_first_ether_mac(struct nl *n, uint8_t mac[6])
{
	struct nl_cache *cache;
	int rc = rtnl_link_alloc_cache(n->sk, AF_UNSPEC, &cache);
	if (rc < 0)
		return nl_fail(n, nl_nle_errno(rc), "list interfaces");
	struct nl_best_mac b = {.ifindex = INT_MAX};
	nl_cache_foreach(cache, nl_mac_pick, &b);
	nl_cache_free(cache);
	if (b.ifindex == INT_MAX)
		return nl_fail(n, -ENOENT, "find an Ethernet address");
	memcpy(mac, b.mac, 6);
	return 0;
}

struct nl_best_ipv4 {
	struct nl_cache *links;
	int ifindex; /* interface of the pick, INT_MAX when none */
	struct in_addr addr;
};

/* Addresses of loopback or down interfaces are no use to a peer. */
static bool nl_link_usable(struct nl_cache *links, int ifindex)
{
	struct rtnl_link *l = rtnl_link_get(links, ifindex);
	if (l == NULL)
		return false;
	unsigned flags = rtnl_link_get_flags(l);
	rtnl_link_put(l);
	return (flags & IFF_UP) && !(flags & IFF_LOOPBACK);
}

static void nl_ipv4_pick(struct nl_object *obj, void *arg)
{
	struct nl_best_ipv4 *b = arg;
	struct rtnl_addr *ra = (struct rtnl_addr *)obj;
	struct nl_addr *a = rtnl_addr_get_local(ra);
	if (rtnl_addr_get_family(ra) != AF_INET || a == NULL || nl_addr_get_len(a) != 4)
		return;
	const uint8_t *p = nl_addr_get_binary_addr(a);
	/* Strictly lower index only: the first address in dump order wins per interface. */
	if (p[0] == 127 || p[0] == 0 || rtnl_addr_get_ifindex(ra) >= b->ifindex)
		return;
	if (!nl_link_usable(b->links, rtnl_addr_get_ifindex(ra)))
		return;
	b->ifindex = rtnl_addr_get_ifindex(ra);
	memcpy(&b->addr, p, 4);
}

int nl_first_ipv4(struct nl *n, struct in_addr *out)
{
	struct nl_best_ipv4 b = {.ifindex = INT_MAX};
	struct nl_cache *addrs;
	int rc = rtnl_link_alloc_cache(n->sk, AF_UNSPEC, &b.links);
	if (rc < 0)
		return nl_fail(n, nl_nle_errno(rc), "list interfaces");
	rc = rtnl_addr_alloc_cache(n->sk, &addrs);
	if (rc < 0) {
		nl_cache_free(b.links);
		return nl_fail(n, nl_nle_errno(rc), "list addresses");
	}
	nl_cache_foreach(addrs, nl_ipv4_pick, &b);
	nl_cache_free(addrs);
	nl_cache_free(b.links);
	if (b.ifindex == INT_MAX)
		return nl_fail(n, -ENOENT, "find a non-loopback IPv4 address");
	*out = b.addr;
	return 0;
}
