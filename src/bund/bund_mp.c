/*
 * Multilink for a bundle: owns the MP engine (ppp/mp.h), maps its link
 * slots to member links, frames its fragments as protocol 0x003d and
 * feeds reassembled packets back into the bundle's input.
 *
 * The engine may call back into the bundle while the bundle is inside it
 * (a reassembled IPCP Terminate can close every link). So a link leaving
 * or the bundle stopping while the engine is running only marks the slot
 * or the glue; the work is done when the outermost engine call returns.
 */
#include "bund/bund_mp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf/cmd.h"
#include "core/log.h"
#include "core/pbuf.h"
#include "core/timer.h"
#include "core/daemon.h"
#include "core/hash.h"
#include "bund/bundle.h"
#include "link/link.h"
#include "link/link_ppp.h"
#include "ppp/lcp.h"
#include "ppp/mp.h"
#include "ppp/proto.h"

struct bund_mp {
	struct bundle *b;
	struct mp *mp;
	struct link *slots[MP_MAX_LINKS];
	struct link *rx_link;      /* link of the fragment being handed in, for Protocol-Reject */
	struct lcp_neg neg;        /* what the first link negotiated: both ways' MRRU and SSN */
	struct mp_epdisc self_disc;
	struct timer timer;
	int busy;                  /* depth of calls into the engine */
	bool dead;                 /* stopped while busy: freed when the engine returns */
	uint32_t remove_pending;   /* slots left while busy */
};

static unsigned mrru_floor(unsigned v)
{
	return v < BUND_MP_MIN_MRRU ? BUND_MP_MIN_MRRU : v;
}

static void bm_free(struct bund_mp *m)
{
	timer_stop(&m->timer);
	mp_free(m->mp);
	free(m);
}

static void bm_enter(struct bund_mp *m)
{
	m->busy++;
}

/* Leaving the engine: apply what happened meanwhile. */
static void bm_leave(struct bund_mp *m)
{
	if (--m->busy > 0)
		return;
	if (m->dead) {
		bm_free(m);
		return;
	}
	for (int i = 0; i < MP_MAX_LINKS && m->remove_pending != 0; i++)
		if (m->remove_pending & 1u << i) {
			m->remove_pending &= ~(1u << i);
			mp_link_remove(m->mp, i);
		}
}

/* ---- engine owner callbacks ---- */

static void bm_send(void *arg, int slot, struct pbuf *frag)
{
	struct bund_mp *m = arg;
	struct link *l = slot >= 0 && slot < MP_MAX_LINKS ? m->slots[slot] : NULL;
	if (l == NULL || m->dead) {
		pbuf_free(frag);
		return;
	}
	link_send(l, PROTO_MP, frag);
}

/* The protocol field inside MP may be compressed whatever PFC says (RFC 1990 §3). */
static int inner_proto(struct pbuf *pkt, uint16_t *proto)
{
	if (pkt->len >= 1 && (pkt->data[0] & 1)) {
		*proto = pkt->data[0];
		pbuf_pull(pkt, 1);
	} else if (pkt->len >= 2) {
		*proto = (uint16_t)(pkt->data[0] << 8 | pkt->data[1]);
		pbuf_pull(pkt, 2);
	} else {
		return -1;
	}
	return (*proto & 0x0101) == 0x0001 && *proto != PROTO_MP ? 0 : -1;
}

static void bm_protrej(struct bund_mp *m, uint16_t proto, struct pbuf *pkt)
{
	struct link *l = m->rx_link != NULL ? m->rx_link : m->b->nlinks > 0 ? m->b->links[0] : NULL;
	uint8_t *p = pbuf_push(pkt, 2);
	if (l != NULL && p != NULL) {
		p[0] = (uint8_t)(proto >> 8);
		p[1] = (uint8_t)proto;
		l->stats.bad_protos++;
		link_ppp_protrej(l, pkt->data, pkt->len);
	}
	pbuf_free(pkt);
}

static void bm_deliver(void *arg, struct pbuf *pkt)
{
	struct bund_mp *m = arg;
	uint16_t proto;
	if (m->dead || inner_proto(pkt, &proto) < 0) {
		m->b->stats.dropped++;
		pbuf_free(pkt);
		return;
	}
	if (bund_input(m->b, m->rx_link, proto, pkt) < 0)
		bm_protrej(m, proto, pkt);
}

static void bm_timer_set(void *arg, unsigned ms)
{
	struct bund_mp *m = arg;
	if (ms == 0)
		timer_stop(&m->timer);
	else
		timer_start(&m->timer, ms);
}

static void bm_timer_cb(void *arg)
{
	struct bund_mp *m = arg;
	bm_enter(m);
	m->rx_link = NULL;
	mp_timeout(m->mp);
	bm_leave(m);
}

static uint64_t bm_now_ms(void *arg)
{
	(void)arg;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- joining and leaving ---- */

bool bund_mp_link_ok(const struct link *l)
{
	const struct lcp_neg *n = link_ppp_neg(l);
	return n != NULL && lcp_multilink(n);
}

bool bund_mp_match(const struct bundle *b, const struct link *l)
{
	const struct bund_mp *m = b->mp;
	const struct lcp_neg *n = link_ppp_neg(l);
	if (m == NULL || n == NULL || !lcp_multilink(n))
		return false;
	if (n->peer_disc_set != m->neg.peer_disc_set ||
	    (n->peer_disc_set && !mp_epdisc_equal(&n->peer_disc, &m->neg.peer_disc)))
		return false;
	if (strcmp(l->peer_authname, b->peer_authname) != 0)
		return false;
	/* one sequence space per bundle: every link must carry the same header format */
	return n->ssn_recv == m->neg.ssn_recv && n->ssn_xmit == m->neg.ssn_xmit;
}

/* Hash of what bund_mp_match compares first: the peer's discriminator and auth name. */
static uint64_t peer_key(const struct lcp_neg *n, const char *authname)
{
	uint8_t buf[3 + MP_EPDISC_MAX];
	size_t len = 1;
	buf[0] = n->peer_disc_set;
	if (n->peer_disc_set) {
		buf[len++] = n->peer_disc.class;
		buf[len++] = n->peer_disc.len;
		memcpy(buf + len, n->peer_disc.addr, n->peer_disc.len);
		len += n->peer_disc.len;
	}
	return hash_key_bytes(buf, len) ^ hash_key_bytes((const uint8_t *)authname, strlen(authname));
}

uint64_t bund_mp_link_key(const struct link *l)
{
	const struct lcp_neg *n = link_ppp_neg(l);
	return n != NULL ? peer_key(n, l->peer_authname) : 0;
}

uint64_t bund_mp_key(const struct bundle *b)
{
	return b->mp != NULL ? peer_key(&b->mp->neg, b->peer_authname) : 0;
}

int bund_mp_start(struct bundle *b, struct link *first)
{
	const struct lcp_neg *n = link_ppp_neg(first);
	if (n == NULL)
		return -1;
	struct bund_mp *m = calloc(1, sizeof(*m));
	if (m == NULL)
		return -1;
	m->b = b;
	m->neg = *n;
	m->self_disc.class = (uint8_t)b->d->self_disc_class;
	m->self_disc.len = (uint8_t)b->d->self_disc_len;
	memcpy(m->self_disc.addr, b->d->self_disc, m->self_disc.len);
	timer_init(&m->timer, b->d->base, bm_timer_cb, m);
	struct mp_conf mc = {
		.name = b->name,
		.tx_shortseq = n->ssn_xmit,
		.rx_shortseq = n->ssn_recv,
		.peer_mrru = mrru_floor(n->peer_mrru),
		.mrru = mrru_floor(n->mrru),
		.round_robin = opt_enabled(&b->conf.opts, BOPT_ROUND_ROBIN),
	};
	struct mp_owner mo = {m, bm_send, bm_deliver, bm_timer_set, bm_now_ms};
	m->mp = mp_new(&mc, &mo);
	if (m->mp == NULL) {
		free(m);
		return -1;
	}
	b->mp = m;
	log_msg(LG_BUND, b->name, "Bundle: multilink: mrru %u, peer mrru %u, shortseq in %s out %s%s",
		n->mrru, n->peer_mrru, n->ssn_recv ? "yes" : "no", n->ssn_xmit ? "yes" : "no",
		mc.round_robin ? ", round-robin" : "");
	return 0;
}

void bund_mp_stop(struct bundle *b)
{
	struct bund_mp *m = b->mp;
	if (m == NULL)
		return;
	b->mp = NULL;
	timer_stop(&m->timer);
	if (m->busy > 0)
		m->dead = true;
	else
		bm_free(m);
}

int bund_mp_join(struct bundle *b, struct link *l)
{
	struct bund_mp *m = b->mp;
	int slot;
	if (m == NULL)
		return -1;
	/* a slot whose removal waits for the engine to return is not free yet */
	for (slot = 0; slot < MP_MAX_LINKS; slot++)
		if (m->slots[slot] == NULL && !(m->remove_pending & 1u << slot))
			break;
	if (slot == MP_MAX_LINKS)
		return -1;
	struct mp_link_param p = {
		.bandwidth = l->conf.bandwidth,
		.latency = l->conf.latency,
		.mtu = link_peer_mru(l),
	};
	if (mp_link_add(m->mp, slot, &p) < 0)
		return -1;
	m->slots[slot] = l;
	log_msg(LG_BUND, b->name, "Bundle: multilink slot %d: %s, %u bit/s, %u usec, mtu %u", slot, l->name,
		p.bandwidth, p.latency, p.mtu);
	return 0;
}

static int bm_slot_of(const struct bund_mp *m, const struct link *l)
{
	for (int i = 0; i < MP_MAX_LINKS; i++)
		if (m->slots[i] == l)
			return i;
	return -1;
}

void bund_mp_leave(struct bundle *b, struct link *l)
{
	struct bund_mp *m = b->mp;
	int slot;
	if (m == NULL || (slot = bm_slot_of(m, l)) < 0)
		return;
	m->slots[slot] = NULL;
	if (m->rx_link == l)
		m->rx_link = NULL;
	if (m->busy > 0)
		m->remove_pending |= 1u << slot;
	else
		mp_link_remove(m->mp, slot);
}

unsigned bund_mp_mtu(const struct bundle *b)
{
	unsigned v = b->mp != NULL ? b->mp->neg.peer_mrru : BUND_MP_MIN_MRRU;
	return v > BUND_MP_MAX_MTU ? BUND_MP_MAX_MTU : v;
}

/* ---- data ---- */

void bund_mp_output(struct bundle *b, uint16_t proto, struct pbuf *bf)
{
	struct bund_mp *m = b->mp;
	/* uncompressed inside MP: the peer's PFC applies to links, not to the bundle */
	uint8_t *p = pbuf_push(bf, 2);
	if (p == NULL) {
		b->stats.dropped++;
		pbuf_free(bf);
		return;
	}
	p[0] = (uint8_t)(proto >> 8);
	p[1] = (uint8_t)proto;
	bm_enter(m);
	mp_output(m->mp, bf);
	bm_leave(m);
}

void bund_mp_input(struct bundle *b, struct link *l, struct pbuf *bf)
{
	struct bund_mp *m = b->mp;
	int slot;
	if (m == NULL || (slot = bm_slot_of(m, l)) < 0) {
		pbuf_free(bf);
		return;
	}
	bm_enter(m);
	m->rx_link = l;
	mp_input(m->mp, slot, bf);
	m->rx_link = NULL;
	bm_leave(m);
}

/* ---- show ---- */

void bund_mp_show(struct cmd_ctx *c, const struct bundle *b)
{
	const struct bund_mp *m = b->mp;
	cmd_printf(c, "Member links:\n");
	for (int i = 0; i < b->nlinks; i++) {
		const struct link *l = b->links[i];
		cmd_printf(c, "\t%-15s bandwidth %u bits/sec, latency %u usec\n", l->name, l->conf.bandwidth,
			   l->conf.latency);
	}
	cmd_printf(c, "Multilink PPP:\n");
	cmd_printf(c, "\tStatus         : %s\n", m != NULL ? "Active" : "Inactive");
	if (m == NULL)
		return;
	char self[64], peer[64];
	mp_epdisc_text(&m->self_disc, self, sizeof(self));
	mp_epdisc_text(&m->neg.peer_disc, peer, sizeof(peer));
	cmd_printf(c, "\tSelf MRRU      : %u\n\tSelf SHORTSEQ  : %s\n\tSelf discrim.  : %s\n",
		   m->neg.mrru, m->neg.ssn_recv ? "yes" : "no", self);
	cmd_printf(c, "\tPeer MRRU      : %u\n\tPeer SHORTSEQ  : %s\n\tPeer discrim.  : %s\n",
		   m->neg.peer_mrru, m->neg.ssn_xmit ? "yes" : "no", m->neg.peer_disc_set ? peer : "none");
	cmd_printf(c, "\tRound-robin    : %s\n", opt_enabled(&b->conf.opts, BOPT_ROUND_ROBIN) ? "yes" : "no");
	uint64_t txf = 0, rxf = 0;
	for (int i = 0; i < MP_MAX_LINKS; i++) {
		const struct mp_link_stats *ls = mp_link_stats(m->mp, i);
		if (ls == NULL || m->slots[i] == NULL)
			continue;
		txf += ls->tx_frags;
		rxf += ls->rx_frags;
		cmd_printf(c, "\tSlot %-2d %-15s: fragments out %llu (%llu octets), in %llu (%llu octets)\n", i,
			   m->slots[i]->name, (unsigned long long)ls->tx_frags, (unsigned long long)ls->tx_octets,
			   (unsigned long long)ls->rx_frags, (unsigned long long)ls->rx_octets);
	}
	const struct mp_stats *s = mp_stats(m->mp);
	cmd_printf(c, "\tPackets out    : %llu in %llu fragments\n", (unsigned long long)s->tx_packets,
		   (unsigned long long)txf);
	cmd_printf(c, "\tPackets in     : %llu in %llu fragments\n", (unsigned long long)s->rx_packets,
		   (unsigned long long)rxf);
	cmd_printf(c, "\tDup fragments  : %llu\n\tDropped frags  : %llu\n\tLost packets   : %llu\n"
		   "\tReasm timeouts : %llu\n\tDiscarded frags: %llu\n\tNot sent       : %llu\n",
		   (unsigned long long)s->dup_frags, (unsigned long long)s->reasm_dropped_frags,
		   (unsigned long long)s->reasm_lost, (unsigned long long)s->timeouts,
		   (unsigned long long)s->rx_discarded_frags, (unsigned long long)s->tx_dropped);
}

void bund_mp_show_link(struct cmd_ctx *c, const struct link *l)
{
	const struct bund_mp *m = l->bund != NULL ? l->bund->mp : NULL;
	int slot;
	if (m == NULL || (slot = bm_slot_of(m, l)) < 0)
		return;
	const struct mp_link_stats *ls = mp_link_stats(m->mp, slot);
	const struct mp_stats *s = mp_stats(m->mp);
	if (ls == NULL)
		return;
	cmd_printf(c, "Multilink stats (bundle %s, slot %d):\n", l->bund->name, slot);
	cmd_printf(c, "\tFragments out  : %llu\n\tOctets out     : %llu\n", (unsigned long long)ls->tx_frags,
		   (unsigned long long)ls->tx_octets);
	cmd_printf(c, "\tFragments in   : %llu\n\tOctets in      : %llu\n", (unsigned long long)ls->rx_frags,
		   (unsigned long long)ls->rx_octets);
	/* the engine reassembles per bundle, so drops are the bundle's */
	cmd_printf(c, "\tReasm drops    : %llu (bundle)\n",
		   (unsigned long long)(s->reasm_dropped_frags + s->rx_discarded_frags + s->dup_frags));
}
