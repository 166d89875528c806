/*
 * IPCP for a bundle: which address the peer gets (commands.md §12.1:
 * AAA/mpd.secret range, then pool, then the configured range), the
 * engine's owner callbacks, and the interface going up and down with it.
 */
#include "bund/bund_ipcp.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "aaa/auth.h"
#include "aaa/auth_attr.h"
#include "core/log.h"
#include "core/pbuf.h"
#include "core/rand.h"
#include "core/timer.h"
#include "core/daemon.h"
#include "bund/bundle.h"
#include "link/link.h"
#include "net/ippool.h"
#include "net/nl.h"
#include "ppp/ipcp.h"
#include "ppp/proto.h"

struct bund_ipcp {
	struct bundle *b;
	struct ipcp ipcp;
	struct timer timer;
	struct timer free_timer;
	char pool[16];          /* pool the peer's address came from, "" = none */
	struct in_addr pooled;
	char self_pool[16];
	struct in_addr self_pooled;
};

static void bi_send(void *arg, uint16_t proto, struct pbuf *pkt)
{
	struct bund_ipcp *bi = arg;
	bund_send(bi->b, proto, pkt);
}

static void bi_timer(void *arg, unsigned ms)
{
	struct bund_ipcp *bi = arg;
	if (ms == 0)
		timer_stop(&bi->timer);
	else
		timer_start(&bi->timer, ms);
}

static void bi_timeout(void *arg)
{
	struct bund_ipcp *bi = arg;
	fsm_timeout(&bi->ipcp.fsm);
}

static void bi_event(void *arg, struct fsm *f, int ev, uint32_t val)
{
	(void)f;
	(void)val;
	struct bund_ipcp *bi = arg;
	struct bundle *b = bi->b;
	switch (ev) {
	case FSM_EV_UP: {
		struct iface_ipv4 a = {
			.self = bi->ipcp.neg.local,
			.peer = bi->ipcp.neg.peer,
			.dns = {bi->ipcp.neg.dns[0], bi->ipcp.neg.dns[1]},
		};
		bund_ipcp_up(b, &a);
		break;
	}
	case FSM_EV_DOWN:
		bund_ipcp_down(b);
		break;
	case FSM_EV_FINISHED:
		bund_ncp_finished(b);
		break;
	}
}

/* Take an address of pool `name` for the peer; -1 (logged) when there is none. */
static int bi_pool_peer(struct bund_ipcp *bi, const char *name, struct ipcp_conf *ic)
{
	struct bundle *b = bi->b;
	int rc = ippool_alloc(b->d->pools, name, &bi->pooled);
	if (rc < 0) {
		log_msg(LG_WARN, b->name, "IPCP: no address from pool \"%s\": %s", name,
			rc == -ENOENT ? "no such pool" : "pool exhausted");
		return -1;
	}
	snprintf(bi->pool, sizeof(bi->pool), "%s", name);
	ic->assigned = bi->pooled;
	ic->remote = bi->pooled;
	ic->remote_width = 32;
	return 0;
}

/* What AAA said about the peer's address (RFC 2865 §5.8, §5.88): 1 when it decided (ic filled),
 * 0 to go on with our own choice, -1 when its pool has no address. */
static int bi_aaa_peer(struct bund_ipcp *bi, const struct auth_result *r, struct ipcp_conf *ic)
{
	enum auth_addr_kind k = r->framed_ip_set ? auth_addr_kind(r->framed_ip) : AUTH_ADDR_NAS_CHOOSES;
	if (k == AUTH_ADDR_EXACT) {
		ic->assigned = ic->remote = r->framed_ip;
		ic->remote_width = 32;
		return 1;
	}
	if (k == AUTH_ADDR_PEER_CHOOSES) {
		ic->assigned.s_addr = 0;        /* nothing to offer... */
		ic->remote.s_addr = 0;          /* ...and any address the peer names is fine */
		ic->remote_width = 0;
		return 1;
	}
	if (r->pool[0] != '\0')
		return bi_pool_peer(bi, r->pool, ic) < 0 ? -1 : 1;
	/* 255.255.255.254 (or only a pool-less grant): ours to choose, as without AAA */
	return r->framed_ip_set ? 2 : 0;
}

/* The peer's address: AAA (Framed-IP-Address, Framed-Pool), mpd.secret range, then pool, then the
 * configured range. */
static int bi_pick_peer(struct bund_ipcp *bi, struct link *l, struct ipcp_conf *ic)
{
	struct bundle *b = bi->b;
	struct ipcp_settings *s = &b->ipconf;
	int aaa = l->authz != NULL ? bi_aaa_peer(bi, l->authz, ic) : 0;
	if (aaa < 0)
		return -1;
	if (aaa == 1)
		return 0;
	if (aaa == 0 && l->peer_range_set) {
		ic->assigned = l->peer_range;
		ic->remote = l->peer_range;
		ic->remote_width = (unsigned)l->peer_range_width;
		return 0;
	}
	if (s->peer_pool[0] != '\0')
		return bi_pool_peer(bi, s->peer_pool, ic);
	ic->assigned = s->peer.addr;
	ic->remote = s->peer.addr;
	ic->remote_width = (unsigned)s->peer.width;
	return 0;
}

static int bi_pick_self(struct bund_ipcp *bi, struct ipcp_conf *ic)
{
	struct bundle *b = bi->b;
	struct ipcp_settings *s = &b->ipconf;
	if (s->self_pool[0] != '\0') {
		if (ippool_alloc(b->d->pools, s->self_pool, &bi->self_pooled) < 0) {
			log_msg(LG_WARN, b->name, "IPCP: no local address from pool \"%s\"", s->self_pool);
			return -1;
		}
		snprintf(bi->self_pool, sizeof(bi->self_pool), "%s", s->self_pool);
		ic->local = bi->self_pooled;
		ic->local_width = 32;
		return 0;
	}
	ic->local = s->self.addr;
	ic->local_width = (unsigned)s->self.width;
	/* unconfigured: the host's first address, movable (commands.md §12.1) */
	if (!s->ranges_set && nl_first_ipv4(b->d->nl, &ic->local) < 0)
		ic->local.s_addr = 0; /* no address on the host: ask the peer for one */
	return 0;
}

static uint32_t ipcp_bits(uint32_t bits)
{
	static const struct { unsigned from, to; } map[] = {
		{IPOPT_VJCOMP, IPCP_O_VJCOMP}, {IPOPT_REQ_PRI_DNS, IPCP_O_REQPRIDNS},
		{IPOPT_REQ_SEC_DNS, IPCP_O_REQSECDNS}, {IPOPT_REQ_PRI_NBNS, IPCP_O_REQPRINBNS},
		{IPOPT_REQ_SEC_NBNS, IPCP_O_REQSECNBNS}, {IPOPT_PRETEND_IP, IPCP_O_PRETENDIP},
	};
	uint32_t out = 0;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (bits >> map[i].from & 1)
			out |= 1u << map[i].to;
	return out;
}

static void bi_release(struct bund_ipcp *bi)
{
	struct daemon *d = bi->b->d;
	if (bi->pool[0] != '\0')
		ippool_free(d->pools, bi->pool, bi->pooled);
	if (bi->self_pool[0] != '\0')
		ippool_free(d->pools, bi->self_pool, bi->self_pooled);
	bi->pool[0] = bi->self_pool[0] = '\0';
}

/* MS-Primary/Secondary-DNS/NBNS-Server (RFC 2548 §2.6.1): offered instead of `set ipcp dns|nbns`,
 * each pair replaced whole when AAA names its primary. */
static void bi_aaa_servers(const struct link *l, struct ipcp_conf *ic)
{
	const struct auth_result *r = l->authz;
	if (r == NULL)
		return;
	if (r->dns[0].s_addr != 0) {
		ic->dns[0] = r->dns[0];
		ic->dns[1] = r->dns[1];
	}
	if (r->nbns[0].s_addr != 0) {
		ic->nbns[0] = r->nbns[0];
		ic->nbns[1] = r->nbns[1];
	}
}

int bund_ipcp_start(struct bundle *b, struct link *l)
{
	struct bund_ipcp *bi = calloc(1, sizeof(*bi));
	if (bi == NULL)
		return -1;
	bi->b = b;
	timer_init(&bi->timer, b->d->base, bi_timeout, bi);
	struct ipcp_conf ic = {
		.name = b->name,
		.timeout = b->conf.fsm_timeout,
		.dns = {b->ipconf.dns[0], b->ipconf.dns[1]},
		.nbns = {b->ipconf.nbns[0], b->ipconf.nbns[1]},
		.opts = {ipcp_bits(b->ipconf.opts.enable), ipcp_bits(b->ipconf.opts.accept)},
	};
	bi_aaa_servers(l, &ic);
	if (bi_pick_peer(bi, l, &ic) < 0 || bi_pick_self(bi, &ic) < 0) {
		bi_release(bi);
		free(bi);
		return -1;
	}
	struct fsm_owner fo = {bi, bi_send, bi_timer, rand_owner_u32, bi_event};
	ipcp_init(&bi->ipcp, &ic, &fo);
	b->ipcp = bi;
	fsm_open(&bi->ipcp.fsm);
	fsm_up(&bi->ipcp.fsm);
	return 0;
}

static void bi_free_cb(void *arg)
{
	free(arg);
}

void bund_ipcp_free(struct bundle *b)
{
	struct bund_ipcp *bi = b->ipcp;
	if (bi == NULL)
		return;
	b->ipcp = NULL;
	timer_stop(&bi->timer);
	/* no Down event from here: the links are gone, so bring the interface down directly */
	if (iface_ipv4_is_up(&b->iface))
		bund_ipcp_down(b);
	bi_release(bi);
	/* we may be inside this engine's own input or event: free it from the loop */
	timer_init(&bi->free_timer, b->d->base, bi_free_cb, bi);
	timer_start(&bi->free_timer, 0);
}

void bund_ipcp_rejected(struct bundle *b)
{
	if (b->ipcp != NULL)
		fsm_protocol_rejected(&b->ipcp->ipcp.fsm);
}

void bund_ipcp_input(struct bundle *b, const uint8_t *pkt, size_t len)
{
	if (b->ipcp != NULL)
		ipcp_input(&b->ipcp->ipcp, pkt, len);
}

const char *bund_ipcp_state_name(const struct bundle *b)
{
	return b->ipcp != NULL ? fsm_state_name(b->ipcp->ipcp.fsm.state) : "Initial";
}

void bund_ipcp_show(struct cmd_ctx *c, const struct bundle *b)
{
	if (b->ipcp == NULL)
		return;
	const struct ipcp_neg *n = &b->ipcp->ipcp.neg;
	char a1[INET_ADDRSTRLEN], a2[INET_ADDRSTRLEN];
	cmd_printf(c, "Current addressing:\n\tSelf: %s\n\tPeer: %s\n", inet_ntop(AF_INET, &n->local, a1, sizeof(a1)),
		   inet_ntop(AF_INET, &n->peer, a2, sizeof(a2)));
	cmd_printf(c, "Server info we give to peer:\n\tDNS  : %s %s\n",
		   inet_ntop(AF_INET, &b->ipcp->ipcp.conf.dns[0], a1, sizeof(a1)),
		   inet_ntop(AF_INET, &b->ipcp->ipcp.conf.dns[1], a2, sizeof(a2)));
	cmd_printf(c, "Server info peer gave us:\n\tDNS  : %s %s\n", inet_ntop(AF_INET, &n->dns[0], a1, sizeof(a1)),
		   inet_ntop(AF_INET, &n->dns[1], a2, sizeof(a2)));
	cmd_printf(c, "\tNBNS : %s %s\n", inet_ntop(AF_INET, &n->nbns[0], a1, sizeof(a1)),
		   inet_ntop(AF_INET, &n->nbns[1], a2, sizeof(a2)));
}

struct in_addr bund_ipcp_peer(const struct bundle *b)
{
	struct in_addr none = {0};
	return b->ipcp != NULL ? b->ipcp->ipcp.neg.peer : none;
}
