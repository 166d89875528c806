/*
 * Per-interface sysctls. IPv6 on a bundle's interface costs the kernel a
 * walk of the whole IPv6 routing table at every up, down and MTU change
 * (fib6_ifup, rt6_mtu_change, ...) for the link-local and multicast
 * routes it adds: quadratic in the number of sessions. An interface that
 * does not run IPv6CP keeps IPv6 off.
 */
#ifndef MPD_NET_IF_SYSCTL_H
#define MPD_NET_IF_SYSCTL_H

#include <stdbool.h>

/* Write net.ipv6.conf.IFNAME.disable_ipv6; -errno (-ENOENT without IPv6). */
int if_sysctl_ipv6_disable(const char *ifname, bool off);

#endif
