/*
 * Interface changes as the kernel announces them (rtnetlink's RTNLGRP_LINK
 * group): a socket of its own on the event loop, so a device can follow
 * an Ethernet interface whose address, MTU, state, name or very existence
 * changes while the daemon runs. The daemon's request socket (nl.h) stays
 * free of unsolicited messages. Interfaces without a link layer (TUN, so
 * every session interface) are filtered out in the kernel: nobody follows
 * them, and a concentrator changes thousands.
 */
#ifndef MPD_NET_NL_WATCH_H
#define MPD_NET_NL_WATCH_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct event_base;
struct nl_watch;

#define NL_LINK_ADDR_MAX 32   /* MAX_ADDR_LEN of the kernel */

/* One interface as an RTM_NEWLINK or RTM_DELLINK message describes it. */
struct nl_link_event {
	bool gone;                       /* RTM_DELLINK: the interface no longer exists here */
	int ifindex;
	unsigned flags;                  /* IFF_UP, IFF_RUNNING, ... */
	char name[IFNAMSIZ];             /* "" when the message carried none */
	unsigned mtu;                    /* 0 when the message carried none */
	unsigned master;                 /* ifindex of its bridge or bond, 0 when none */
	uint8_t addr[NL_LINK_ADDR_MAX];  /* hardware address */
	size_t addr_len;                 /* 0 when the message carried none */
};

/*
 * Called for each interface event; ev is NULL when the kernel dropped
 * events (our socket overflowed), and the listener must look again at
 * every interface it cares about.
 */
typedef void nl_watch_fn(const struct nl_link_event *ev, void *arg);

/*
 * Parse one netlink message (buf holds at least its header): 1 and *ev
 * filled for an interface message, 0 for any other message, -1 when
 * malformed. Bridge-port messages (family AF_BRIDGE) count as "other":
 * they describe a port's bridge state, not the interface.
 */
int nl_link_event_parse(const void *buf, size_t len, struct nl_link_event *ev);
/* Walk a datagram of netlink messages and call fn for each interface event; returns how many. */
unsigned nl_watch_parse(const void *buf, size_t len, nl_watch_fn *fn, void *arg);

/* Subscribe to interface changes; fn runs on base's loop. NULL (errno set) on failure. */
struct nl_watch *nl_watch_open(struct event_base *base, nl_watch_fn *fn, void *arg);
/* Unsubscribe; safe from inside fn (the watch is freed when fn returns). NULL is ignored. */
void nl_watch_free(struct nl_watch *w);

#endif
