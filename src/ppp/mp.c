/* Multilink PPP (RFC 1990): header codec, member links, sending. */
#include "ppp/mp.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/pbuf.h"
#include "ppp/mp_local.h"

#define MP_B 0x80
#define MP_E 0x40
#define SEQ_MASK(s) ((s) ? 0xfffu : 0xffffffu)

int mp_hdr_decode(const uint8_t *p, size_t len, bool shortseq, struct mp_hdr *h)
{
	size_t hl = mp_hdrlen(shortseq);

	if (len < hl)
		return -1;
	h->begin = (p[0] & MP_B) != 0;
	h->end = (p[0] & MP_E) != 0;
	if (shortseq)
		h->seq = ((uint32_t)(p[0] & 0x0f) << 8) | p[1];
	else
		h->seq = ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
	return (int)hl;
}

size_t mp_hdr_encode(uint8_t *p, bool shortseq, const struct mp_hdr *h)
{
	uint32_t seq = h->seq & SEQ_MASK(shortseq);
	uint8_t flags = (uint8_t)((h->begin ? MP_B : 0) | (h->end ? MP_E : 0));

	if (shortseq) {
		p[0] = (uint8_t)(flags | (seq >> 8));
		p[1] = (uint8_t)seq;
		return MP_HDR_SHORT;
	}
	p[0] = flags;
	p[1] = (uint8_t)(seq >> 16);
	p[2] = (uint8_t)(seq >> 8);
	p[3] = (uint8_t)seq;
	return MP_HDR_LONG;
}

struct mp *mp_new(const struct mp_conf *c, const struct mp_owner *o)
{
	struct mp *mp = calloc(1, sizeof(*mp));

	if (mp == NULL)
		return NULL;
	mp->conf = *c;
	mp->owner = *o;
	if (mp->conf.name == NULL)
		mp->conf.name = "mp";
	if (mp->conf.peer_mrru == 0)
		mp->conf.peer_mrru = 1500;	/* RFC 1990's default */
	if (mp->conf.reasm_timeout_ms == 0)
		mp->conf.reasm_timeout_ms = 1000;
	mp->tx_seq = c->tx_seq_start & SEQ_MASK(c->tx_shortseq);
	return mp;
}

void mp_free(struct mp *mp)
{
	if (mp == NULL)
		return;
	mp_reasm_clear(mp);
	free(mp);
}

static bool slot_ok(int slot)
{
	return slot >= 0 && slot < MP_MAX_LINKS;
}

int mp_link_add(struct mp *mp, int slot, const struct mp_link_param *p)
{
	if (!slot_ok(slot) || p->mtu <= mp_hdrlen(mp->conf.tx_shortseq)) {
		log_msg(LG_WARN, mp->conf.name, "MP: refusing link slot %d (mtu %u)", slot, p->mtu);
		return -1;
	}
	struct mp_link *l = &mp->link[slot];
	bool joined = !l->active;

	l->param = *p;
	if (l->param.bandwidth == 0)
		l->param.bandwidth = 64000;
	if (joined) {
		l->active = true;
		l->busy_us = 0;
		l->rx_seen = false;
		l->quiet = false;
		l->rx_at = mp->owner.now_ms(mp->owner.arg);
		memset(&l->stats, 0, sizeof(l->stats));
		log_msg(LG_BUND, mp->conf.name, "MP: link slot %d joined (%u bit/s, %u us, mtu %u)",
			slot, l->param.bandwidth, l->param.latency, l->param.mtu);
		mp_reasm_link_changed(mp);
	}
	return 0;
}

void mp_link_remove(struct mp *mp, int slot)
{
	if (!slot_ok(slot) || !mp->link[slot].active)
		return;
	mp->link[slot].active = false;
	log_msg(LG_BUND, mp->conf.name, "MP: link slot %d left", slot);
	mp_reasm_link_changed(mp);
}

int mp_link_count(const struct mp *mp)
{
	int n = 0;

	for (int i = 0; i < MP_MAX_LINKS; i++)
		n += mp->link[i].active;
	return n;
}

const struct mp_link_stats *mp_link_stats(const struct mp *mp, int slot)
{
	return slot_ok(slot) ? &mp->link[slot].stats : NULL;
}

const struct mp_stats *mp_stats(const struct mp *mp)
{
	return &mp->stats;
}

/* One fragment: a fresh buffer so the owner may prepend its framing. */
static struct pbuf *frag_make(struct mp *mp, const uint8_t *data, size_t len, bool begin, bool end)
{
	size_t hl = mp_hdrlen(mp->conf.tx_shortseq);
	struct pbuf *f = pbuf_new(PBUF_HEADROOM + hl, len);
	struct mp_hdr h = { begin, end, mp->tx_seq };

	/* The number is spent even on failure, so the peer sees a gap, not a short packet. */
	mp->tx_seq = (mp->tx_seq + 1) & SEQ_MASK(mp->conf.tx_shortseq);
	if (f == NULL)
		return NULL;
	pbuf_append(f, data, len);
	mp_hdr_encode(pbuf_push(f, hl), mp->conf.tx_shortseq, &h);
	return f;
}

void mp_output(struct mp *mp, struct pbuf *pkt)
{
	int order[MP_MAX_FRAGS];
	size_t bytes[MP_MAX_FRAGS];
	uint64_t now = mp->owner.now_ms(mp->owner.arg);
	int n = -1;

	if (pkt->len == 0 || pkt->len > (size_t)mp->conf.peer_mrru + 2)
		log_msg(LG_BUND, mp->conf.name, "MP: dropping %zu-byte packet (peer MRRU %u)",
			pkt->len, mp->conf.peer_mrru);
	else
		n = mp_plan(mp, pkt->len, now, order, bytes);
	if (n <= 0) {
		mp->stats.tx_dropped++;
		pbuf_free(pkt);
		return;
	}
	if (mp->conf.round_robin)
		mp->rr_next = (order[0] + 1) % MP_MAX_LINKS;
	size_t off = 0;
	for (int i = 0; i < n; i++) {
		struct pbuf *f = frag_make(mp, pkt->data + off, bytes[i], i == 0, i == n - 1);

		off += bytes[i];
		if (f == NULL) {
			log_msg(LG_ERR, mp->conf.name, "MP: out of memory");
			continue;
		}
		struct mp_link_stats *ls = &mp->link[order[i]].stats;
		ls->tx_frags++;
		ls->tx_octets += f->len;
		mp_sched_commit(mp, order[i], f->len, now);
		mp->owner.send(mp->owner.arg, order[i], f);
	}
	mp->stats.tx_packets++;
	pbuf_free(pkt);
}
