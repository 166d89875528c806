/*
 * Linux rtnetlink helpers on libnl-route-3: interface MTU, state and name,
 * point-to-point addresses, routes, and the host facts startup needs.
 *
 * One struct nl per daemon (struct daemon's nl), passed explicitly. Every
 * call is a blocking request/ack (the kernel answers in microseconds).
 * Errors return -errno; nl_errmsg() then says what failed, for the log.
 */
#ifndef MPD_NET_NL_H
#define MPD_NET_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

struct nl;

/* Open the daemon's rtnetlink socket; NULL (logged) on failure. */
struct nl *nl_open(void);
/* Close the socket and free the handle; NULL is ignored. */
void nl_free(struct nl *n);
/* Text of the last failure ("set mtu 1400 on ifindex 7: Invalid argument"). */
const char *nl_errmsg(const struct nl *n);

/* Interface index of name; -ENODEV when absent, -EINVAL for a bad name. */
int nl_ifindex(struct nl *n, const char *name);
/* Set the interface MTU. */
int nl_link_mtu(struct nl *n, int ifindex, unsigned mtu);
/* Bring the interface administratively up (true) or down (false). */
int nl_link_updown(struct nl *n, int ifindex, bool up);
/* Rename the interface; the kernel refuses (-EBUSY) while it is up. */
int nl_link_rename(struct nl *n, int ifindex, const char *newname);
/* Set the interface's alias (IFLA_IFALIAS, `ip link show` "alias"); "" clears it. */
int nl_link_alias(struct nl *n, int ifindex, const char *alias);

/* Interface traffic counters, as the kernel keeps them. */
struct nl_link_stats {
	uint64_t rx_packets, tx_packets;
	uint64_t rx_bytes, tx_bytes;
};

/* Read the counters (idle detection when the kernel moves the packets). */
int nl_link_stats(struct nl *n, int ifindex, struct nl_link_stats *out);

/*
 * Add an IPv4 address: local/width, and with a non-zero peer a
 * point-to-point address (IFA_LOCAL = local, IFA_ADDRESS = peer).
 * -EEXIST when already there.
 */
int nl_ifaddr4_add(struct nl *n, int ifindex, struct in_addr local,
		   struct in_addr peer, unsigned width);
/* Delete an address added with nl_ifaddr4_add (same arguments). */
int nl_ifaddr4_del(struct nl *n, int ifindex, struct in_addr local,
		   struct in_addr peer, unsigned width);
/*
 * Add an IPv6 address without DAD, e.g. IPv6CP's fe80::id/64: on a
 * point-to-point link the /64 already reaches the peer's link-local.
 */
int nl_ifaddr6_add(struct nl *n, int ifindex, const struct in6_addr *local, unsigned width);
/* Delete an address added with nl_ifaddr6_add (same arguments). */
int nl_ifaddr6_del(struct nl *n, int ifindex, const struct in6_addr *local, unsigned width);
/* Remove every address of family (AF_INET, AF_INET6 or AF_UNSPEC) from the interface. */
int nl_ifaddr_flush(struct nl *n, int ifindex, int family);

/*
 * Add an IPv4 route dst/width (width 0: the default route) in the main
 * table through the interface; gw 0.0.0.0 makes it a device route.
 * -EEXIST when the same route is already there (never replaced).
 */
int nl_route4_add(struct nl *n, int ifindex, struct in_addr dst, unsigned width,
		  struct in_addr gw);
/* Delete a route added with nl_route4_add (same arguments). */
int nl_route4_del(struct nl *n, int ifindex, struct in_addr dst, unsigned width,
		  struct in_addr gw);

/* MAC of the lowest-index Ethernet interface with a non-zero address; -ENOENT if none. */
int nl_first_ether_mac(struct nl *n, uint8_t mac[6]);
/* First IPv4 address outside 127/8 of the lowest-index up, non-loopback interface; -ENOENT if none. */
int nl_first_ipv4(struct nl *n, struct in_addr *out);

#endif
