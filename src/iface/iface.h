/*
 * The system interface of a bundle (commands.md §11): a TUN device from
 * the data path, its name, MTU, addresses, routes, up/down scripts, the
 * idle and session timeouts and dial-on-demand. NAT, filters, limits,
 * NetFlow and IPv6 belong here too as they arrive.
 *
 * The bundle holds one struct iface by value: both live and die together,
 * a template carries the configuration without a TUN, and a clone copies
 * it with iface_conf_inherit. The bundle drives it through the functions
 * below; the interface reaches back only through struct iface_ops.
 */
#ifndef MPD_IFACE_H
#define MPD_IFACE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "conf/cmd.h"
#include "core/optset.h"
#include "core/timer.h"

struct daemon;
struct pbuf;
struct dp_iface;
struct iface_demand;

#define IFACE_MAX_ROUTES 32

/* `set iface` options (commands.md §11). */
enum {
	IOPT_ON_DEMAND, IOPT_PROXY_ARP, IOPT_KEEP_TIMEOUT, IOPT_TCPMSSFIX, IOPT_TEE, IOPT_NAT,
	IOPT_NETFLOW_IN, IOPT_NETFLOW_OUT, IOPT_NETFLOW_ONCE, IOPT_IPACCT,
};

struct ip_range {
	struct in_addr addr;
	int width; /* 0..32 */
};

/* Parse "a.b.c.d[/w]" (a missing width means 32); -1 when malformed. */
int ip_range_parse(const char *s, struct ip_range *r);

struct iface_route {
	struct in_addr dest;
	int width; /* 0 with dest 0 = default */
};

struct iface_conf {
	char name[16];            /* `set iface name`, empty = pppN */
	char descr[64];
	unsigned mtu;             /* upper limit */
	bool mtu_override;
	unsigned idle, session;   /* seconds, 0 = off */
	char up_script[256], down_script[256];
	struct ip_range self, peer; /* `set iface addrs` */
	bool have_addrs;
	bool self_force, peer_force; /* `!`: these stay on the interface whatever IPCP agrees */
	struct iface_route routes[IFACE_MAX_ROUTES];
	int nroutes;
	struct optset opts;
};

/* What AAA granted the session (radius.md §2.8), set by the owner before IPv4 comes up and
 * cleared once it is down: it overrides `set iface` for this session only. */
struct iface_authz {
	bool session_set, idle_set;   /* Session-Timeout / Idle-Timeout given (0 = off) */
	unsigned session, idle;       /* seconds */
	unsigned mtu;                 /* Framed-MTU cap, 0 = none */
	struct iface_route routes[IFACE_MAX_ROUTES]; /* Framed-Route, Framed-IP-Netmask subnet */
	int nroutes;
	char filter_id[64];           /* Filter-Id: last argument of the up/down scripts */
	char name[16];                /* mpd-iface-name, "" = none */
	char descr[64];               /* mpd-iface-descr (same specifiers as `set iface description`) */
};

/* IPv4 addresses IPCP negotiated, for iface_ipv4_up. */
struct iface_ipv4 {
	struct in_addr self, peer;
	struct in_addr dns[2];    /* DNS servers the peer gave us (up-script arguments) */
};

/* Who is on the other end, for the scripts. */
struct iface_peer {
	char authname[64];
	char addr[64];            /* the first link's device peer address, "" when unknown */
};

/* The owner's traffic counters (the fast path counts into the bundle's). */
struct iface_traffic {
	uint64_t in_octets, out_octets, in_frames, out_frames;
};

/* What the interface needs from its owner (the bundle); arg is iface_init's. */
struct iface_ops {
	/* A packet from the system for the peer; the owner drops what it can't carry. */
	void (*output)(void *arg, struct pbuf *bf);
	/* The cached demand packet once IPv4 is up: sent to the peer as it is. */
	void (*send)(void *arg, struct pbuf *bf);
	/* True when links are up or being opened (a demand packet then opens nothing). */
	bool (*busy)(void *arg);
	/* Open the bundle's links (a demand packet). */
	void (*open)(void *arg, const char *reason);
	/* Close the bundle (idle or session timeout). */
	void (*close)(void *arg, const char *reason);
	/* The session's peer, for the up/down scripts. */
	void (*peer)(void *arg, struct iface_peer *p);
	/* Frames and octets carried so far (idle detection, show). */
	void (*traffic)(void *arg, struct iface_traffic *t);
};

/* The configuration is the `set iface` commands' to write; the rest is iface/'s own:
 * everyone else goes through the functions below. */
struct iface {
	struct iface_conf conf;

	/* owner */
	struct daemon *d;
	const struct iface_ops *ops;
	void *arg;
	const char *log_name;     /* the owner's name, for log lines */

	/* runtime */
	struct dp_iface *dpi;     /* data path: the TUN device; NULL for templates */
	char name[16];            /* the system's name of the TUN */
	unsigned index;           /* the owner's index: pppINDEX is the name without `set iface name` */
	unsigned mtu;
	bool ip_up;               /* IPv4 addresses are on the interface */
	struct iface_ipv4 v4;     /* what is (or goes) on it */
	uint64_t idle_mark;       /* frames seen at the last idle check */
	struct timer idle_timer, session_timer;
	struct iface_demand *demand; /* dial-on-demand state (iface_demand.c), lazily made */
	struct iface_authz authz;    /* this session's AAA overrides (all unset/zero: none) */
	struct iface_route aaa_routes[IFACE_MAX_ROUTES]; /* AAA routes installed now */
	int aaa_nroutes;
	struct timespec up_at;       /* when IPv4 came up (CLOCK_MONOTONIC), for keep-timeout */
};

/* Default `set iface` values. */
void iface_conf_defaults(struct iface_conf *ic);
/* Bind to the owner and reset: defaults, no TUN, timers ready. log_name must outlive ifp. */
void iface_init(struct iface *ifp, struct daemon *d, const struct iface_ops *ops, void *arg,
		const char *log_name);
/* Take a template's configuration; a clone gets its bundle index appended to a configured name. */
void iface_conf_inherit(struct iface *ifp, const struct iface *from, bool clone, unsigned index);
/* Make the TUN (named `set iface name` or pppINDEX); -1 with a reason. */
int iface_create(struct iface *ifp, unsigned index, bool ipv6, char *err, size_t errlen);
/* Give the TUN the name `set iface name` asks for (pppINDEX when none). Linux renames only
 * a link that is down, so while IPv4 is up it is deferred to the next down or up.
 * 0 when done (or nothing to do), 1 when deferred, -1 with a reason in err. */
int iface_rename(struct iface *ifp, char *err, size_t errlen);
/* Take addresses down, drop demand state, stop timers and free the TUN. */
void iface_destroy(struct iface *ifp);

/* IPCP is up: demand addresses off, the negotiated ones, routes and up-script on, timers armed;
 * -1 when the interface could not be configured. */
int iface_ipv4_up(struct iface *ifp, const struct iface_ipv4 *a);
/* The owner has wired the data path to the new addresses: send the cached demand packet. */
void iface_addrs_applied(struct iface *ifp);
/* IPCP went down: timers off, addresses off (or back to demand addresses). */
void iface_ipv4_down(struct iface *ifp);
/* The link MTU changed (or links joined/left): apply it within `set iface mtu`. */
void iface_mtu_set(struct iface *ifp, unsigned link_mtu);
/* Give the interface its `set iface description`, specifiers expanded, as its alias
 * (IFLA_IFALIAS); -1 (logged) on failure. */
int iface_descr_apply(struct iface *ifp);
/* The first specifier of a description template this build can't expand yet, or 0. */
int iface_descr_check(const char *tmpl);
/* Take what AAA granted this session (before IPv4 comes up): name, MTU cap, timeouts, routes,
 * Filter-Id, description. A name is given at once while IPv4 is down. */
void iface_authz_set(struct iface *ifp, const struct iface_authz *a);
/* The session ended: back to `set iface` (name and description restored). */
void iface_authz_clear(struct iface *ifp);
/* Change the running session's timeouts (RADIUS CoA): a given one replaces the AAA value and its
 * timer restarts now (with keep-timeout the session deadline stays counted from the start). */
void iface_authz_timeouts(struct iface *ifp, bool session_set, unsigned session, bool idle_set, unsigned idle);
/* The session and idle timeouts in effect (AAA over `set iface`), seconds, 0 = off. */
unsigned iface_session_timeout(const struct iface *ifp);
unsigned iface_idle_timeout(const struct iface *ifp);
/* A packet from the peer for the system; freed when IPv4 is not up. */
void iface_write(struct iface *ifp, struct pbuf *bf);

/* True when `set iface enable opt`. */
bool iface_enabled(const struct iface *ifp, unsigned opt);
/* True while IPv4 addresses are on the interface. */
bool iface_ipv4_is_up(const struct iface *ifp);
/* The peer's IPv4 address on the interface (valid while iface_ipv4_is_up). */
struct in_addr iface_ipv4_peer(const struct iface *ifp);
/* The system name of the TUN; "" for templates. */
const char *iface_name(const struct iface *ifp);
/* True when the TUN exists (not a template). */
bool iface_exists(const struct iface *ifp);
/* Current MTU. */
unsigned iface_mtu(const struct iface *ifp);
/* The data path interface for fast-path binding; NULL for templates. */
struct dp_iface *iface_dp(const struct iface *ifp);
/* True once demand mode was entered on this interface (`open iface`). */
bool iface_demand_made(const struct iface *ifp);

/* Command menus and handlers (iface_cmds.c). */
extern const struct cmd iface_set_cmds[];
/* `show iface`. */
int iface_cmd_show(struct cmd_ctx *c, int ac, char **av, const void *arg);

#endif
