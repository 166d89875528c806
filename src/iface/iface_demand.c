/*
 * Dial-on-demand: the packet classifier, the one-packet cache and the
 * interface's demand addresses (commands.md §3.8).
 */
#include "iface/iface_demand.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf/cmd.h"
#include "core/daemon.h"
#include "core/log.h"
#include "core/pbuf.h"
#include "iface/iface_local.h"

/* ---- the classifier (pure) ---- */

enum { IPPROTO_ICMP_ = 1, IPPROTO_IGMP_ = 2, IPPROTO_TCP_ = 6, IPPROTO_UDP_ = 17 };
enum { ICMP_ECHOREPLY_ = 0, ICMP_UNREACH_ = 3, ICMP_REDIRECT_ = 5 };
#define NTP_PORT 123
#define TCP_RST 0x04

static enum demand_class cls(const char **why, enum demand_class c, const char *text)
{
	if (why != NULL)
		*why = text;
	return c;
}

/* The transport part of an IPv4 packet: l4 points after the IP header, l4len is what's left. */
static enum demand_class classify_l4(uint8_t proto, const uint8_t *l4, size_t l4len, bool first_frag,
				     const char **why)
{
	if (proto == IPPROTO_IGMP_)
		return cls(why, DEMAND_NO, "IGMP");
	if (!first_frag)
		return cls(why, DEMAND_YES, "IPv4 fragment");
	switch (proto) {
	case IPPROTO_ICMP_:
		if (l4len < 1)
			return cls(why, DEMAND_BAD, "truncated ICMP");
		if (l4[0] == ICMP_ECHOREPLY_)
			return cls(why, DEMAND_NO, "ICMP echo-reply");
		if (l4[0] == ICMP_UNREACH_)
			return cls(why, DEMAND_NO, "ICMP unreachable");
		if (l4[0] == ICMP_REDIRECT_)
			return cls(why, DEMAND_NO, "ICMP redirect");
		return cls(why, DEMAND_YES, "ICMP");
	case IPPROTO_UDP_:
		if (l4len < 4)
			return cls(why, DEMAND_BAD, "truncated UDP");
		if ((l4[2] << 8 | l4[3]) == NTP_PORT)
			return cls(why, DEMAND_NO, "UDP to NTP");
		return cls(why, DEMAND_YES, "UDP");
	case IPPROTO_TCP_:
		if (l4len < 14)
			return cls(why, DEMAND_BAD, "truncated TCP");
		if (l4[13] & TCP_RST)
			return cls(why, DEMAND_NO, "TCP RST");
		return cls(why, DEMAND_YES, "TCP");
	default:
		return cls(why, DEMAND_YES, "IPv4");
	}
}

enum demand_class demand_classify(const uint8_t *pkt, size_t len, const char **why)
{
	if (pkt == NULL || len < 1)
		return cls(why, DEMAND_BAD, "empty packet");
	unsigned version = pkt[0] >> 4;
	if (version == 6) {
		if (len < 40)
			return cls(why, DEMAND_BAD, "truncated IPv6 header");
		/* Linux's own neighbour discovery and MLD chatter on a fresh interface goes to
		 * interface- or link-scope multicast; it must not dial (docs/differences.md) */
		if (pkt[24] == 0xff && (pkt[25] & 0x0f) <= 2)
			return cls(why, DEMAND_NO, "IPv6 link-local multicast");
		return cls(why, DEMAND_YES, "IPv6");
	}
	if (version != 4)
		return cls(why, DEMAND_BAD, "not IP");
	size_t ihl = (size_t)(pkt[0] & 0x0f) * 4;
	if (len < 20 || ihl < 20 || ihl > len)
		return cls(why, DEMAND_BAD, "truncated IPv4 header");
	size_t total = (size_t)(pkt[2] << 8 | pkt[3]);
	if (total < ihl)
		return cls(why, DEMAND_BAD, "bad IPv4 total length");
	if (total > len)
		total = len; /* read what is there; a short packet is judged on its bytes */
	bool first_frag = ((pkt[6] & 0x1f) << 8 | pkt[7]) == 0;
	return classify_l4(pkt[9], pkt + ihl, total - ihl, first_frag, why);
}

/* ---- the interface's demand state ---- */

struct iface_demand {
	bool active;   /* `open iface` given, on-demand enabled */
	bool addrs_on; /* the demand addresses are on the interface */
	bool ncp_up;   /* IPCP up: negotiated addresses on the interface */
	struct pbuf *cached;
	uint64_t cached_ms;
	uint64_t opens, ignored, bad;
};

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void drop_cache(struct iface_demand *dm)
{
	pbuf_free(dm->cached);
	dm->cached = NULL;
}

/* Put the demand addresses, routes and up-script in place (as an IPv4 up). */
static void demand_addrs_on(struct iface *ifp)
{
	struct iface_demand *dm = ifp->demand;
	if (dm->addrs_on || ifp->ip_up || ifp->dpi == NULL || ifp->d->shutting_down)
		return;
	ifp->v4.self = ifp->conf.self.addr;
	ifp->v4.peer = ifp->conf.peer.addr;
	if (iface_v4_add(ifp) < 0) {
		log_msg(LG_ERR, ifp->log_name, "IFACE: can't enter demand mode on %s", ifp->name);
		return;
	}
	dm->addrs_on = true;
	log_msg(LG_IFACE, ifp->log_name, "IFACE: %s in demand mode", ifp->name);
}

/* Take the demand addresses off, whatever ifp->v4 holds now. */
static void demand_addrs_off(struct iface *ifp)
{
	struct iface_demand *dm = ifp->demand;
	if (!dm->addrs_on)
		return;
	struct in_addr self = ifp->v4.self, peer = ifp->v4.peer;
	ifp->v4.self = ifp->conf.self.addr;
	ifp->v4.peer = ifp->conf.peer.addr;
	iface_v4_del(ifp);
	ifp->v4.self = self;
	ifp->v4.peer = peer;
	dm->addrs_on = false;
}

int iface_demand_open(struct iface *ifp, char *err, size_t errlen)
{
	if (!opt_enabled(&ifp->conf.opts, IOPT_ON_DEMAND)) {
		snprintf(err, errlen, "on-demand is not enabled (set iface enable on-demand)");
		return -1;
	}
	if (!ifp->conf.have_addrs) {
		snprintf(err, errlen, "demand mode needs 'set iface addrs'");
		return -1;
	}
	if (ifp->demand == NULL && (ifp->demand = calloc(1, sizeof(*ifp->demand))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ifp->demand->active = true;
	demand_addrs_on(ifp);
	return 0;
}

void iface_demand_close(struct iface *ifp)
{
	struct iface_demand *dm = ifp->demand;
	if (dm == NULL || !dm->active)
		return;
	dm->active = false;
	drop_cache(dm);
	demand_addrs_off(ifp);
	log_msg(LG_IFACE, ifp->log_name, "IFACE: %s leaves demand mode", ifp->name);
}

bool iface_demand_intercept(struct iface *ifp, struct pbuf *bf)
{
	struct iface_demand *dm = ifp->demand;
	if (dm == NULL || !dm->active || dm->ncp_up)
		return false;
	const char *why = "";
	enum demand_class c = demand_classify(bf->data, bf->len, &why);
	if (c != DEMAND_YES) {
		if (c == DEMAND_BAD)
			dm->bad++;
		else
			dm->ignored++;
		log_msg(LG_IFACE2, ifp->log_name, "IFACE: %s not a demand packet (%s), dropped", ifp->name, why);
		pbuf_free(bf);
		return true;
	}
	drop_cache(dm);
	dm->cached = bf;
	dm->cached_ms = mono_ms();
	if (!ifp->ops->busy(ifp->arg)) {
		dm->opens++;
		log_msg(LG_IFACE, ifp->log_name, "IFACE: demand packet (%s) on %s: opening the bundle", why,
			ifp->name);
		ifp->ops->open(ifp->arg, "Demand");
	}
	return true;
}

void iface_demand_ncp_up(struct iface *ifp)
{
	struct iface_demand *dm = ifp->demand;
	if (dm == NULL)
		return;
	demand_addrs_off(ifp);
	dm->ncp_up = true;
}

void iface_demand_flush(struct iface *ifp)
{
	struct iface_demand *dm = ifp->demand;
	if (dm == NULL || dm->cached == NULL || !ifp->ip_up)
		return;
	struct pbuf *bf = dm->cached;
	dm->cached = NULL;
	uint64_t age = mono_ms() - dm->cached_ms;
	if (age > DEMAND_CACHE_MS) {
		log_msg(LG_IFACE2, ifp->log_name, "IFACE: cached demand packet too old (%llu ms), dropped",
			(unsigned long long)age);
		pbuf_free(bf);
		return;
	}
	log_msg(LG_IFACE2, ifp->log_name, "IFACE: sending the cached demand packet (%llu ms old)",
		(unsigned long long)age);
	ifp->ops->send(ifp->arg, bf);
}

bool iface_demand_keep(struct iface *ifp)
{
	struct iface_demand *dm = ifp->demand;
	return dm != NULL && dm->addrs_on && !dm->ncp_up;
}

void iface_demand_resume(struct iface *ifp)
{
	struct iface_demand *dm = ifp->demand;
	if (dm == NULL)
		return;
	dm->ncp_up = false;
	if (dm->active)
		demand_addrs_on(ifp);
}

void iface_demand_free(struct iface *ifp)
{
	if (ifp->demand == NULL)
		return;
	drop_cache(ifp->demand);
	free(ifp->demand);
	ifp->demand = NULL;
}

bool iface_demand_made(const struct iface *ifp)
{
	return ifp->demand != NULL;
}

const char *iface_demand_status(const struct iface *ifp)
{
	const struct iface_demand *dm = ifp->demand;
	if (dm != NULL && dm->addrs_on)
		return "DoD";
	return ifp->ip_up ? "UP" : "DOWN";
}

void iface_demand_show(struct cmd_ctx *c, const struct iface *ifp)
{
	const struct iface_demand *dm = ifp->demand;
	if (dm == NULL || !dm->active) {
		cmd_printf(c, "\tDemand mode     : off\n");
		return;
	}
	cmd_printf(c, "\tDemand mode     : on%s\n", dm->addrs_on ? ", waiting for traffic" : "");
	if (dm->cached != NULL)
		cmd_printf(c, "\tCached packet   : %zu bytes, %llu ms old\n", dm->cached->len,
			   (unsigned long long)(mono_ms() - dm->cached_ms));
	cmd_printf(c, "\tDemand opens    : %llu\n\tIgnored packets : %llu (%llu malformed)\n",
		   (unsigned long long)dm->opens, (unsigned long long)(dm->ignored + dm->bad),
		   (unsigned long long)dm->bad);
}
