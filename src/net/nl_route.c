/* IPv4 routes through an interface, in the main table. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>

#include <linux/rtnetlink.h>
#include <netlink/addr.h>
#include <netlink/errno.h>
#include <netlink/route/route.h>
#include <netlink/route/nexthop.h>

#include "net/nl_priv.h"

struct nl_route4 {
	int ifindex;
	struct in_addr dst;
	unsigned width;
	struct in_addr gw; /* 0.0.0.0: device route */
};

static int nl_route4_nexthop(struct rtnl_route *rt, const struct nl_route4 *r)
{
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	if (nh == NULL)
		return -NLE_NOMEM;
	rtnl_route_nh_set_ifindex(nh, r->ifindex);
	if (r->gw.s_addr != INADDR_ANY) {
		struct nl_addr *gw = nl_addr_build(AF_INET, &r->gw, 4);
		if (gw == NULL) {
			rtnl_route_nh_free(nh);
			return -NLE_NOMEM;
		}
		rtnl_route_nh_set_gateway(nh, gw);
		nl_addr_put(gw);
	}
	rtnl_route_add_nexthop(rt, nh); /* the route owns nh from here */
	return 0;
}

static int nl_route4_obj(const struct nl_route4 *r, struct rtnl_route **out)
{
	struct rtnl_route *rt = rtnl_route_alloc();
	struct nl_addr *dst = nl_addr_build(AF_INET, &r->dst, 4);
	int rc = -NLE_NOMEM;
	if (rt != NULL && dst != NULL) {
		nl_addr_set_prefixlen(dst, (int)r->width);
		rtnl_route_set_family(rt, AF_INET);
		rtnl_route_set_table(rt, RT_TABLE_MAIN);
		rtnl_route_set_protocol(rt, RTPROT_STATIC);
		rtnl_route_set_type(rt, RTN_UNICAST);
		rtnl_route_set_scope(rt, r->gw.s_addr != INADDR_ANY ? RT_SCOPE_UNIVERSE
								 : RT_SCOPE_LINK);
		rc = rtnl_route_set_dst(rt, dst);
		if (rc >= 0)
			rc = nl_route4_nexthop(rt, r);
	}
	nl_addr_put(dst);
	if (rc < 0) {
		rtnl_route_put(rt);
		return rc;
	}
	*out = rt;
	return 0;
}

static int nl_route4_change(struct nl *n, const struct nl_route4 *r, bool add)
{
	char what[128], d[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &r->dst, d, sizeof(d));
	inet_ntop(AF_INET, &r->gw, g, sizeof(g));
	snprintf(what, sizeof(what), "%s route %s/%u%s%s on ifindex %d", add ? "add" : "delete", d,
		 r->width, r->gw.s_addr != INADDR_ANY ? " via " : "",
		 r->gw.s_addr != INADDR_ANY ? g : "", r->ifindex);
	if (r->width > 32)
		return nl_fail(n, -EINVAL, what);
	/* The kernel refuses host bits under the mask; say so instead of "Invalid argument" later. */
	uint32_t mask = r->width ? htonl(~0u << (32 - r->width)) : 0;
	if ((r->dst.s_addr & ~mask) != 0)
		return nl_fail(n, -EINVAL, what);
	struct rtnl_route *rt;
	struct nl_msg *msg = NULL;
	int rc = nl_route4_obj(r, &rt);
	if (rc >= 0) {
		rc = add ? rtnl_route_build_add_request(rt, NLM_F_CREATE | NLM_F_EXCL, &msg)
			 : rtnl_route_build_del_request(rt, 0, &msg);
		rtnl_route_put(rt);
	}
	if (rc < 0)
		return nl_fail(n, nl_nle_errno(rc), what);
	return nl_exec(n, msg, what);
}

int nl_route4_add(struct nl *n, int ifindex, struct in_addr dst, unsigned width,
		  struct in_addr gw)
{
	struct nl_route4 r = {.ifindex = ifindex, .dst = dst, .width = width, .gw = gw};
	return nl_route4_change(n, &r, true);
}

int nl_route4_del(struct nl *n, int ifindex, struct in_addr dst, unsigned width,
		  struct in_addr gw)
{
	struct nl_route4 r = {.ifindex = ifindex, .dst = dst, .width = width, .gw = gw};
	return nl_route4_change(n, &r, false);
}
