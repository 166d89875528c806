/*
 * The RTNLGRP_LINK listener. A plain netlink socket rather than libnl:
 * four attributes of one message type are all we read, and a parser over
 * bytes is one the fuzz harness can drive without a socket.
 */
#include "net/nl_watch.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/filter.h>
#include <linux/if_arp.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <event2/event.h>

#include "core/log.h"

struct nl_watch {
	int fd;
	struct event *ev;
	nl_watch_fn *fn;
	void *arg;
	bool busy;   /* inside fn: nl_watch_free only marks */
	bool dead;
};

/* Copy one attribute's value; attributes are read with memcpy so no input alignment is assumed. */
static void attr_take(struct nl_link_event *ev, unsigned type, const uint8_t *v, size_t n)
{
	uint32_t u;

	switch (type) {
	case IFLA_IFNAME:
		/* The kernel sends the NUL; a name without one within IFNAMSIZ is cut, never overrun. */
		n = strnlen((const char *)v, n);
		if (n >= sizeof(ev->name))
			n = sizeof(ev->name) - 1;
		memcpy(ev->name, v, n);
		ev->name[n] = '\0';
		break;
	case IFLA_MTU:
		if (n >= sizeof(u)) {
			memcpy(&u, v, sizeof(u));
			ev->mtu = u;
		}
		break;
	case IFLA_MASTER:
		if (n >= sizeof(u)) {
			memcpy(&u, v, sizeof(u));
			ev->master = u;
		}
		break;
	case IFLA_ADDRESS:
		if (n <= sizeof(ev->addr)) {
			memcpy(ev->addr, v, n);
			ev->addr_len = n;
		}
		break;
	default:
		break;
	}
}

int nl_link_event_parse(const void *buf, size_t len, struct nl_link_event *ev)
{
	const uint8_t *p = buf;
	struct nlmsghdr h;
	struct ifinfomsg ifi;

	if (len < sizeof(h))
		return -1;
	memcpy(&h, p, sizeof(h));
	if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len)
		return -1;
	if (h.nlmsg_type != RTM_NEWLINK && h.nlmsg_type != RTM_DELLINK)
		return 0;
	size_t at = NLMSG_HDRLEN, end = h.nlmsg_len;
	if (end < at + sizeof(ifi))
		return -1;
	memcpy(&ifi, p + at, sizeof(ifi));
	if (ifi.ifi_family != AF_UNSPEC)
		return 0;
	memset(ev, 0, sizeof(*ev));
	ev->gone = h.nlmsg_type == RTM_DELLINK;
	ev->ifindex = ifi.ifi_index;
	ev->flags = ifi.ifi_flags;
	at += NLMSG_ALIGN(sizeof(ifi));
	while (at + sizeof(struct rtattr) <= end) {
		struct rtattr a;
		memcpy(&a, p + at, sizeof(a));
		if (a.rta_len < sizeof(a) || a.rta_len > end - at)
			return -1;
		attr_take(ev, a.rta_type & NLA_TYPE_MASK, p + at + RTA_LENGTH(0), a.rta_len - RTA_LENGTH(0));
		at += RTA_ALIGN(a.rta_len);
	}
	return 1;
}

unsigned nl_watch_parse(const void *buf, size_t len, nl_watch_fn *fn, void *arg)
{
	const uint8_t *p = buf;
	size_t at = 0;
	unsigned n = 0;
	struct nl_link_event ev;

	while (len - at >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr h;
		memcpy(&h, p + at, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len - at)
			break; /* the rest cannot be framed */
		if (nl_link_event_parse(p + at, len - at, &ev) == 1) {
			fn(&ev, arg);
			n++;
		}
		if (NLMSG_ALIGN(h.nlmsg_len) >= len - at)
			break;
		at += NLMSG_ALIGN(h.nlmsg_len);
	}
	return n;
}

/* Datagrams per wakeup, so a storm of interface changes cannot hold the loop. */
#define WATCH_BURST 16

static void watch_read(evutil_socket_t fd, short what, void *arg)
{
	struct nl_watch *w = arg;
	/* 32 KiB holds any RTM_NEWLINK; the parser assumes no alignment. */
	uint8_t buf[32768];
	(void)what;

	w->busy = true;
	for (int i = 0; i < WATCH_BURST && !w->dead; i++) {
		struct sockaddr_nl from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
		if (n < 0) {
			/* Overflow: events were lost, so whoever listens must look again. */
			if (errno == ENOBUFS) {
				log_msg(LG_PHYS2, NULL, "netlink: interface events lost, rechecking");
				w->fn(NULL, w->arg);
				continue;
			}
			break;
		}
		/* Only the kernel speaks for interfaces; another process could unicast to us. */
		if (fl < sizeof(from) || from.nl_pid != 0)
			continue;
		nl_watch_parse(buf, (size_t)n, w->fn, w->arg);
	}
	w->busy = false;
	if (w->dead)
		nl_watch_free(w);
}

/* A 16-bit host-order field as a classic BPF half-word load sees it (network order). */
static uint32_t bpf_host16(uint16_t v)
{
	uint8_t b[2];
	memcpy(b, &v, sizeof(b));
	return (uint32_t)b[0] << 8 | b[1];
}

/*
 * Leave out interfaces without a link layer (ARPHRD_NONE: TUN devices, among
 * them every session interface of ours). Each session brings its interface
 * up, sets its MTU and takes it down again: without this a concentrator
 * would wake up several times per session to read 1.5 KB messages about
 * interfaces no listener follows. Whoever follows an interface follows an
 * Ethernet-like one. Failure to attach only costs those wakeups.
 */
static void watch_filter(int fd)
{
	enum { IFI_TYPE_AT = NLMSG_HDRLEN + offsetof(struct ifinfomsg, ifi_type) };
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, IFI_TYPE_AT + 2, 0, 2),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, IFI_TYPE_AT),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, bpf_host16(ARPHRD_NONE), 1, 0),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = {.len = sizeof(code) / sizeof(code[0]), .filter = code};

	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0)
		log_msg(LG_PHYS2, NULL, "netlink: no filter for interface events: %s", strerror(errno));
}

struct nl_watch *nl_watch_open(struct event_base *base, nl_watch_fn *fn, void *arg)
{
	struct nl_watch *w = calloc(1, sizeof(*w));
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK};
	int rcv = 1 << 20;

	if (w == NULL)
		return NULL;
	w->fn = fn;
	w->arg = arg;
	w->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (w->fd < 0)
		goto fail;
	/* Many interfaces changing at once (a bridge, a VLAN range) must not overflow us. */
	(void)setsockopt(w->fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	watch_filter(w->fd);
	if (bind(w->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		goto fail;
	w->ev = event_new(base, w->fd, EV_READ | EV_PERSIST, watch_read, w);
	if (w->ev == NULL || event_add(w->ev, NULL) < 0) {
		errno = ENOMEM;
		goto fail;
	}
	return w;
fail:;
	int e = errno;
	if (w->ev != NULL)
		event_free(w->ev);
	if (w->fd >= 0)
		close(w->fd);
	free(w);
	errno = e;
	return NULL;
}

void nl_watch_free(struct nl_watch *w)
{
	if (w == NULL)
		return;
	if (w->busy) {
		w->dead = true;
		return;
	}
	event_free(w->ev);
	close(w->fd);
	free(w);
}
