/* IPCP option negotiation: addresses and the RFC 1877 server options. */
#include "ppp/ipcp.h"

#include <arpa/inet.h>
#include <string.h>

#include "core/pbuf.h"
#include "ppp/proto.h"

#define P(f) FSM_CONTAINER(f, struct ipcp, fsm)

static const unsigned req_bit[IPCP_NSRV] = {
	IPCP_O_REQPRIDNS, IPCP_O_REQPRINBNS, IPCP_O_REQSECDNS, IPCP_O_REQSECNBNS,
};
static const char *const srv_name[IPCP_NSRV] = {
	"PRIDNS", "PRINBNS", "SECDNS", "SECNBNS",
};

bool ipcp_in_range(struct in_addr a, struct in_addr base, unsigned width)
{
	if (width == 0)
		return true;
	uint32_t mask = width >= 32 ? 0xffffffffu : ~(0xffffffffu >> width);

	return (ntohl(a.s_addr) & mask) == (ntohl(base.s_addr) & mask);
}

/* Server slot i of a dns[2]/nbns[2] pair: even slots are primaries. */
static struct in_addr *srv_slot(struct in_addr *dns, struct in_addr *nbns, unsigned i)
{
	return (i & 1) ? &nbns[i >> 1] : &dns[i >> 1];
}

static struct in_addr opt_addr(const struct ppp_opt *o)
{
	struct in_addr a;

	memcpy(&a.s_addr, o->data, 4);
	return a;
}

static const char *ntoa(struct in_addr a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static void ipcp_reset(struct fsm *f)
{
	struct ipcp *p = P(f);

	memset(&p->want, 0, sizeof(p->want));
	/* addresses from an earlier negotiation must not pass for agreed ones */
	p->neg.local.s_addr = 0;
	p->neg.peer.s_addr = 0;
	p->want.addr = true;
	p->want.addr_val = p->conf.local;
	for (unsigned i = 0; i < IPCP_NSRV; i++)
		p->want.srv[i] = opt_enabled(&p->conf.opts, req_bit[i]);
}

static int ipcp_build_req(struct fsm *f, struct pbuf *b)
{
	struct ipcp *p = P(f);
	int r = 0;

	if (p->want.addr)
		r |= opt_put(b, IPCP_ADDR, &p->want.addr_val.s_addr, 4);
	for (unsigned i = 0; i < IPCP_NSRV; i++)
		if (p->want.srv[i])
			r |= opt_put(b, (uint8_t)(IPCP_PRIDNS + i), &p->want.srv_val[i].s_addr, 4);
	return r;
}

#define NO_PEER_ADDR "No IP address for the peer"

/* The peer's address option; -1 when no address can be agreed (the NCP fails). */
static int req_addr(struct ipcp *p, const struct ppp_opt *o, struct fsm_cr *cr, struct ipcp_neg *his)
{
	struct in_addr a = opt_addr(o);
	char buf[INET_ADDRSTRLEN];

	if (opt_enabled(&p->conf.opts, IPCP_O_PRETENDIP) ||
	    (a.s_addr != 0 && ipcp_in_range(a, p->conf.remote, p->conf.remote_width))) {
		his->peer = a;
		return 0;
	}
	if (p->conf.assigned.s_addr == 0) {
		/* Rejecting would leave the peer without an address to retry with: nothing can agree. */
		log_pmsg(LG_IPCP, LP_WARNING, p->conf.name, "IPCP: peer wants %s, we have no address for it",
			 ntoa(a, buf));
		cr->fail = NO_PEER_ADDR;
		return -1;
	}
	log_msg(LG_IPCP, p->conf.name, "IPCP: peer address %s not allowed, naking", ntoa(a, buf));
	fsm_cr_nak(cr, o, IPCP_ADDR, &p->conf.assigned.s_addr, 4);
	return 0;
}

static void req_srv(struct ipcp *p, const struct ppp_opt *o, struct fsm_cr *cr)
{
	unsigned i = o->type - IPCP_PRIDNS;
	struct in_addr ours = *srv_slot(p->conf.dns, p->conf.nbns, i);

	if (ours.s_addr == 0) {
		fsm_cr_rej(cr, o);
		return;
	}
	if (opt_addr(o).s_addr != ours.s_addr)
		fsm_cr_nak(cr, o, o->type, &ours.s_addr, 4);
}

static int ipcp_recv_req(struct fsm *f, const uint8_t *opts, size_t len, struct fsm_cr *cr)
{
	struct ipcp *p = P(f);
	struct ipcp_neg his = p->neg;
	bool got_addr = false;
	struct opt_iter it;
	struct ppp_opt o;

	his.peer.s_addr = 0;
	opt_iter_init(&it, opts, len);
	while (opt_next(&it, &o) == 1) {
		if (o.type == IPCP_ADDR && o.len == 4) {
			got_addr = true;
			if (req_addr(p, &o, cr, &his) < 0)
				return FSM_FAIL;
		} else if (o.type >= IPCP_PRIDNS && o.type <= IPCP_SECNBNS && o.len == 4) {
			req_srv(p, &o, cr);
		} else {
			log_msg(LG_IPCP, p->conf.name, "IPCP: rejecting option %u len %u", o.type, o.len);
			fsm_cr_rej(cr, &o);
		}
	}
	/* RFC 1332 §3.3: a peer that names no address is told which one to use, or, when we
	 * have none, asked for its own with 0.0.0.0 (open_veto stops one that never names it). */
	if (!got_addr && !opt_enabled(&p->conf.opts, IPCP_O_PRETENDIP))
		fsm_cr_nak(cr, NULL, IPCP_ADDR, &p->conf.assigned.s_addr, 4);
	if (cr->nak->len == 0 && cr->rej->len == 0) {
		if (!got_addr)
			his.peer = p->conf.assigned;
		p->neg.peer = his.peer;
	}
	return FSM_OK;
}

static void ipcp_recv_ack(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct ipcp *p = P(f);
	struct opt_iter it;
	struct ppp_opt o;

	p->neg.local = p->conf.local;
	memset(p->neg.dns, 0, sizeof(p->neg.dns));
	memset(p->neg.nbns, 0, sizeof(p->neg.nbns));
	opt_iter_init(&it, opts, len);
	while (opt_next(&it, &o) == 1) {
		if (o.len != 4)
			continue;
		if (o.type == IPCP_ADDR)
			p->neg.local = opt_addr(&o);
		else if (o.type >= IPCP_PRIDNS && o.type <= IPCP_SECNBNS)
			*srv_slot(p->neg.dns, p->neg.nbns, o.type - IPCP_PRIDNS) = opt_addr(&o);
	}
}

static int ipcp_recv_nak(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct ipcp *p = P(f);
	struct opt_iter it;
	struct ppp_opt o;
	char buf[INET_ADDRSTRLEN];

	opt_iter_init(&it, opts, len);
	while (opt_next(&it, &o) == 1) {
		if (o.len != 4)
			continue;
		struct in_addr a = opt_addr(&o);
		if (o.type == IPCP_ADDR && p->want.addr) {
			if (a.s_addr != 0 && ipcp_in_range(a, p->conf.local, p->conf.local_width)) {
				p->want.addr_val = a;
				continue;
			}
			log_pmsg(LG_IPCP, LP_WARNING, p->conf.name, "IPCP: peer suggests %s for us, not allowed",
				 ntoa(a, buf));
			/* asking again with 0.0.0.0 would only draw the same answer */
			if (p->want.addr_val.s_addr == 0)
				return FSM_FAIL;
		} else if (o.type >= IPCP_PRIDNS && o.type <= IPCP_SECNBNS &&
			   p->want.srv[o.type - IPCP_PRIDNS]) {
			p->want.srv_val[o.type - IPCP_PRIDNS] = a;
		}
	}
	return FSM_OK;
}

static int ipcp_recv_rej(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct ipcp *p = P(f);
	struct opt_iter it;
	struct ppp_opt o;

	opt_iter_init(&it, opts, len);
	while (opt_next(&it, &o) == 1) {
		if (o.type == IPCP_ADDR) {
			if (p->conf.local.s_addr == 0) {
				log_pmsg(LG_IPCP, LP_WARNING, p->conf.name, "IPCP: peer will not give us an address");
				return FSM_FAIL;
			}
			p->want.addr = false;
		} else if (o.type >= IPCP_PRIDNS && o.type <= IPCP_SECNBNS) {
			log_msg(LG_IPCP, p->conf.name, "IPCP: peer rejects %s, not asking again",
				srv_name[o.type - IPCP_PRIDNS]);
			p->want.srv[o.type - IPCP_PRIDNS] = false;
		}
	}
	return FSM_OK;
}

/* Never up with 0.0.0.0 on either side: the interface would get an address nobody gave. */
static const char *ipcp_open_veto(struct fsm *f)
{
	struct ipcp *p = P(f);

	if (p->neg.local.s_addr == 0)
		return "No IP address for us";
	if (p->neg.peer.s_addr == 0)
		return NO_PEER_ADDR;
	return NULL;
}

static void ipcp_up(struct fsm *f)
{
	struct ipcp *p = P(f);
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	log_msg(LG_IPCP, p->conf.name, "IPCP: up: %s -> %s", ntoa(p->neg.local, a),
		ntoa(p->neg.peer, b));
}

static const struct fsm_proto ipcp_proto = {
	.name = "IPCP",
	.proto = PROTO_IPCP,
	.logf = LG_IPCP,
	.reset = ipcp_reset,
	.build_req = ipcp_build_req,
	.recv_req = ipcp_recv_req,
	.recv_ack = ipcp_recv_ack,
	.recv_nak = ipcp_recv_nak,
	.recv_rej = ipcp_recv_rej,
	.open_veto = ipcp_open_veto,
	.up = ipcp_up,
};

void ipcp_init(struct ipcp *p, const struct ipcp_conf *conf, const struct fsm_owner *owner)
{
	struct fsm_conf fc = { .name = conf->name, .timeout = conf->timeout };

	memset(p, 0, sizeof(*p));
	p->conf = *conf;
	fsm_init(&p->fsm, &ipcp_proto, owner, &fc);
}

void ipcp_input(struct ipcp *p, const uint8_t *pkt, size_t len)
{
	fsm_input(&p->fsm, pkt, len);
}
