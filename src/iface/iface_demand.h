/*
 * Dial-on-demand (commands.md §3.8, F-160): `open iface` with `set iface
 * enable on-demand` puts the `set iface addrs` addresses on the interface
 * while no link is up; packets the system sends into it are classified,
 * the first that qualifies opens the bundle and the last one (only one) is
 * kept for 30 s and sent once IPCP is up. Closing returns to demand mode.
 */
#ifndef MPD_IFACE_DEMAND_H
#define MPD_IFACE_DEMAND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct iface;
struct pbuf;
struct cmd_ctx;

#define DEMAND_CACHE_MS 30000 /* a cached packet older than this is dropped */

/* Whether a packet may bring the bundle up. */
enum demand_class {
	DEMAND_YES,  /* qualifies */
	DEMAND_NO,   /* one of the non-demand classes: ignored */
	DEMAND_BAD,  /* not a well-formed IPv4/IPv6 header: dropped */
};

/* Classify one packet from the interface (IPv4 or IPv6, starting at the IP header);
 * *why (may be NULL) names the class, e.g. "ICMP echo-reply". Pure. */
enum demand_class demand_classify(const uint8_t *pkt, size_t len, const char **why);

/* `open iface`: enter demand mode; -1 with a message when on-demand or addrs are missing. */
int iface_demand_open(struct iface *ifp, char *err, size_t errlen);
/* `close iface`: leave demand mode; the interface goes down unless an NCP is up. */
void iface_demand_close(struct iface *ifp);
/* A packet from the system while the bundle can't carry it: true when demand mode
 * took it (cached or dropped, bundle maybe opened); false leaves bf to the caller. */
bool iface_demand_intercept(struct iface *ifp, struct pbuf *bf);
/* IPCP is up with negotiated addresses: take the demand addresses off first. */
void iface_demand_ncp_up(struct iface *ifp);
/* The interface is up with the negotiated addresses: send the cached packet. */
void iface_demand_flush(struct iface *ifp);
/* IPCP went down: true when the interface holds only demand addresses and stays as is. */
bool iface_demand_keep(struct iface *ifp);
/* After the negotiated addresses went down: back to demand addresses if still in demand mode. */
void iface_demand_resume(struct iface *ifp);
/* Free the demand state (interface destroyed). */
void iface_demand_free(struct iface *ifp);
/* "DoD", "UP" or "DOWN": the interface status (%S of §11). */
const char *iface_demand_status(const struct iface *ifp);
/* `show iface` lines for demand mode. */
void iface_demand_show(struct cmd_ctx *c, const struct iface *ifp);

#endif
