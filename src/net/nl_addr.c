/* Interface addresses: IPv4 point-to-point, IPv6 (link-local), flush. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/if_addr.h>
#include <netlink/addr.h>
#include <netlink/errno.h>
#include <netlink/route/addr.h>

#include "net/nl_priv.h"

/* One address as the kernel sees it; peer NULL when not point-to-point (IPv4 only in libnl). */
struct nl_ifaddr {
	int family;
	const void *local;
	const void *peer;
	size_t alen;
	unsigned width;
	unsigned flags; /* IFA_F_* */
};

static int nl_ifaddr_obj(const struct nl_ifaddr *a, int ifindex, struct rtnl_addr **out)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *local = nl_addr_build(a->family, a->local, a->alen);
	struct nl_addr *peer = a->peer ? nl_addr_build(a->family, a->peer, a->alen) : NULL;
	int rc = -NLE_NOMEM;
	if (ra != NULL && local != NULL && (a->peer == NULL || peer != NULL)) {
		rtnl_addr_set_ifindex(ra, ifindex);
		rtnl_addr_set_family(ra, a->family);
		rc = rtnl_addr_set_local(ra, local);
		if (rc >= 0 && peer != NULL)
			rc = rtnl_addr_set_peer(ra, peer);
		/* After set_local/set_peer: libnl copies their prefix length. */
		rtnl_addr_set_prefixlen(ra, (int)a->width);
		if (a->flags != 0)
			rtnl_addr_set_flags(ra, a->flags);
	}
	nl_addr_put(local);
	nl_addr_put(peer);
	if (rc < 0) {
		rtnl_addr_put(ra);
		return rc;
	}
	*out = ra;
	return 0;
}

static int nl_ifaddr_change(struct nl *n, int ifindex, const struct nl_ifaddr *a,
			    bool add)
{
	char what[160], l[INET6_ADDRSTRLEN] = "", p[INET6_ADDRSTRLEN] = "";
	inet_ntop(a->family, a->local, l, sizeof(l));
	if (a->peer != NULL)
		inet_ntop(a->family, a->peer, p, sizeof(p));
	snprintf(what, sizeof(what), "%s address %s%s%s/%u on ifindex %d", add ? "add" : "delete",
		 l, a->peer ? " peer " : "", p, a->width, ifindex);
	if (a->width > a->alen * 8)
		return nl_fail(n, -EINVAL, what);
	struct rtnl_addr *ra;
	struct nl_msg *msg = NULL;
	int rc = nl_ifaddr_obj(a, ifindex, &ra);
	if (rc >= 0) {
		rc = add ? rtnl_addr_build_add_request(ra, NLM_F_CREATE | NLM_F_EXCL, &msg)
			 : rtnl_addr_build_delete_request(ra, 0, &msg);
		rtnl_addr_put(ra);
	}
	if (rc < 0)
		return nl_fail(n, nl_nle_errno(rc), what);
	return nl_exec(n, msg, what);
}

static int nl_ifaddr4(struct nl *n, int ifindex, struct in_addr local, struct in_addr peer,
		      unsigned width, bool add)
{
	struct nl_ifaddr a = {
		.family = AF_INET, .local = &local, .alen = 4, .width = width,
		.peer = peer.s_addr != INADDR_ANY ? &peer : NULL,
	};
	return nl_ifaddr_change(n, ifindex, &a, add);
}

int nl_ifaddr4_add(struct nl *n, int ifindex, struct in_addr local, struct in_addr peer,
		   unsigned width)
{
	return nl_ifaddr4(n, ifindex, local, peer, width, true);
}

int nl_ifaddr4_del(struct nl *n, int ifindex, struct in_addr local, struct in_addr peer,
		   unsigned width)
{
	return nl_ifaddr4(n, ifindex, local, peer, width, false);
}

int nl_ifaddr6_add(struct nl *n, int ifindex, const struct in6_addr *local, unsigned width)
{
	/* A point-to-point link has no neighbour to collide with: skip DAD's delay. */
	struct nl_ifaddr a = {.family = AF_INET6, .local = local, .alen = 16, .width = width,
			      .flags = IFA_F_NODAD};
	return nl_ifaddr_change(n, ifindex, &a, true);
}

int nl_ifaddr6_del(struct nl *n, int ifindex, const struct in6_addr *local, unsigned width)
{
	struct nl_ifaddr a = {.family = AF_INET6, .local = local, .alen = 16, .width = width};
	return nl_ifaddr_change(n, ifindex, &a, false);
}

/* Addresses found by a flush dump, deleted after the dump ends. */
struct nl_flush {
	int ifindex;
	int family;
	struct rtnl_addr **v;
	size_t n, cap;
	bool nomem;
};

static void nl_flush_collect(struct nl_object *obj, void *arg)
{
	struct nl_flush *f = arg;
	struct rtnl_addr *ra = (struct rtnl_addr *)obj;
	if (rtnl_addr_get_ifindex(ra) != f->ifindex)
		return;
	if (f->family != AF_UNSPEC && rtnl_addr_get_family(ra) != f->family)
		return;
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;
		struct rtnl_addr **v = realloc(f->v, cap * sizeof(*v));
		if (v == NULL) {
			f->nomem = true;
			return;
		}
		f->v = v;
		f->cap = cap;
	}
	nl_object_get(obj);
	f->v[f->n++] = ra;
}

static int nl_flush_request(int ifindex, int family, struct nl_msg **out)
{
	struct ifaddrmsg ifa = {.ifa_family = (unsigned char)family, .ifa_index = (unsigned)ifindex};
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_GETADDR, NLM_F_DUMP);
	if (msg == NULL || nlmsg_append(msg, &ifa, sizeof(ifa), NLMSG_ALIGNTO) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	*out = msg;
	return 0;
}

/* Delete the collected addresses; an address already gone with its primary is fine. */
static int nl_flush_delete(struct nl *n, struct nl_flush *f, const char *what)
{
	int rc = 0;
	for (size_t i = 0; i < f->n; i++) {
		struct nl_msg *msg = NULL;
		int r = rtnl_addr_build_delete_request(f->v[i], 0, &msg);
		r = r < 0 ? nl_fail(n, nl_nle_errno(r), what) : nl_exec(n, msg, what);
		if (r < 0 && r != -EADDRNOTAVAIL && rc == 0)
			rc = r;
	}
	return rc;
}

int nl_ifaddr_flush(struct nl *n, int ifindex, int family)
{
	char what[64];
	snprintf(what, sizeof(what), "flush addresses of ifindex %d", ifindex);
	if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6)
		return nl_fail(n, -EAFNOSUPPORT, what);
	struct nl_flush f = {.ifindex = ifindex, .family = family};
	struct nl_msg *msg;
	int rc = nl_flush_request(ifindex, family, &msg);
	if (rc < 0)
		return nl_fail(n, rc, what);
	rc = nl_request_dump(n, msg, what, nl_flush_collect, &f);
	if (rc == 0 && f.nomem)
		rc = nl_fail(n, -ENOMEM, what);
	if (rc == 0)
		rc = nl_flush_delete(n, &f, what);
	for (size_t i = 0; i < f.n; i++)
		rtnl_addr_put(f.v[i]);
	free(f.v);
	return rc;
}
