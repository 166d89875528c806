/* Interface-level changes: MTU, administrative state, name. */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include <netlink/errno.h>
#include <netlink/route/link.h>

#include "net/nl_priv.h"

/*
 * Build an RTM_NEWLINK change for ifindex from the fields set in `changes`
 * and run it. Consumes changes.
 */
static int nl_link_change(struct nl *n, int ifindex, struct rtnl_link *changes,
			  const char *what)
{
	struct rtnl_link *orig = rtnl_link_alloc();
	struct nl_msg *msg = NULL;
	int rc = -NLE_NOMEM;
	if (orig != NULL) {
		rtnl_link_set_ifindex(orig, ifindex);
		rc = rtnl_link_build_change_request(orig, changes, 0, &msg);
	}
	rtnl_link_put(orig);
	rtnl_link_put(changes);
	if (rc < 0)
		return nl_fail(n, nl_nle_errno(rc), what);
	return nl_exec(n, msg, what);
}

int nl_link_mtu(struct nl *n, int ifindex, unsigned mtu)
{
	char what[64];
	snprintf(what, sizeof(what), "set mtu %u on ifindex %d", mtu, ifindex);
	struct rtnl_link *l = rtnl_link_alloc();
	if (l == NULL)
		return nl_fail(n, -ENOMEM, what);
	rtnl_link_set_mtu(l, mtu);
	return nl_link_change(n, ifindex, l, what);
}

int nl_link_updown(struct nl *n, int ifindex, bool up)
{
	char what[64];
	snprintf(what, sizeof(what), "set ifindex %d %s", ifindex, up ? "up" : "down");
	struct rtnl_link *l = rtnl_link_alloc();
	if (l == NULL)
		return nl_fail(n, -ENOMEM, what);
	if (up)
		rtnl_link_set_flags(l, IFF_UP);
	else
		rtnl_link_unset_flags(l, IFF_UP);
	return nl_link_change(n, ifindex, l, what);
}

int nl_link_rename(struct nl *n, int ifindex, const char *newname)
{
	char what[80];
	snprintf(what, sizeof(what), "rename ifindex %d to %.*s", ifindex, IFNAMSIZ, newname);
	if (newname[0] == '\0' || strlen(newname) >= IFNAMSIZ)
		return nl_fail(n, -EINVAL, what);
	struct rtnl_link *l = rtnl_link_alloc();
	if (l == NULL)
		return nl_fail(n, -ENOMEM, what);
	rtnl_link_set_name(l, newname);
	return nl_link_change(n, ifindex, l, what);
}

int nl_link_alias(struct nl *n, int ifindex, const char *alias)
{
	char what[64];
	snprintf(what, sizeof(what), "set alias on ifindex %d", ifindex);
	struct rtnl_link *l = rtnl_link_alloc();
	if (l == NULL)
		return nl_fail(n, -ENOMEM, what);
	/* "" is sent as a lone NUL, which the kernel stores as an empty alias */
	rtnl_link_set_ifalias(l, alias);
	return nl_link_change(n, ifindex, l, what);
}

int nl_link_stats(struct nl *n, int ifindex, struct nl_link_stats *out)
{
	char what[64];
	snprintf(what, sizeof(what), "read counters of ifindex %d", ifindex);
	struct rtnl_link *l = NULL;
	n->kerr = 0;
	int rc = rtnl_link_get_kernel(n->sk, ifindex, NULL, &l);
	if (rc < 0)
		return nl_fail(n, n->kerr != 0 ? n->kerr : nl_nle_errno(rc), what);
	out->rx_packets = rtnl_link_get_stat(l, RTNL_LINK_RX_PACKETS);
	out->tx_packets = rtnl_link_get_stat(l, RTNL_LINK_TX_PACKETS);
	out->rx_bytes = rtnl_link_get_stat(l, RTNL_LINK_RX_BYTES);
	out->tx_bytes = rtnl_link_get_stat(l, RTNL_LINK_TX_BYTES);
	rtnl_link_put(l);
	return 0;
}
