/* Multilink reassembly: the M rule, lost-fragment detection, a bounded queue and a timeout (see mp.h). */
#include <stdlib.h>

#include "core/log.h"
#include "core/pbuf.h"
#include "ppp/mp_local.h"

/* Largest packet reassembled when conf.mrru is 0: the top of `set link mrru`. */
#define MP_DEFAULT_MRRU 4096
/* Widened numbers start here so they never go negative. */
#define MP_SEQ_ORIGIN ((int64_t)1 << 40)

static bool slot_ok(int slot)
{
	return slot >= 0 && slot < MP_MAX_LINKS;
}

/* The received number as a 64-bit one, nearest to the highest seen so far. */
static int64_t seq_widen(struct mp *mp, uint32_t seq)
{
	uint32_t mask = mp->conf.rx_shortseq ? 0xfffu : 0xffffffu;

	if (!mp->rx_any) {
		mp->rx_any = true;
		mp->rx_top = MP_SEQ_ORIGIN + seq;
		return mp->rx_top;
	}
	uint32_t d = (seq - (uint32_t)mp->rx_top) & mask;
	int64_t diff = d > mask / 2 ? (int64_t)d - (int64_t)mask - 1 : (int64_t)d;
	int64_t w = mp->rx_top + diff;
	if (w > mp->rx_top)
		mp->rx_top = w;
	return w;
}

/* M of RFC 1990 §4.2; false while some member link has received nothing. */
static bool seq_min(const struct mp *mp, int64_t *m)
{
	bool any = false;

	for (int i = 0; i < MP_MAX_LINKS; i++) {
		const struct mp_link *l = &mp->link[i];
		if (!l->active)
			continue;
		if (!l->rx_seen)
			return false;
		if (!any || l->rx_last < *m)
			*m = l->rx_last;
		any = true;
	}
	return any;
}

static size_t queue_limit(const struct mp *mp)
{
	if (mp->conf.reasm_max_frags > 0)
		return mp->conf.reasm_max_frags;
	int n = mp_link_count(mp);
	return 64u * (size_t)(n > 0 ? n : 1);
}

static void frag_unlink(struct mp *mp, struct mp_frag *f)
{
	if (f->prev != NULL)
		f->prev->next = f->next;
	else
		mp->head = f->next;
	if (f->next != NULL)
		f->next->prev = f->prev;
	else
		mp->tail = f->prev;
	mp->nfrags--;
}

static void frag_drop(struct mp *mp, struct mp_frag *f)
{
	frag_unlink(mp, f);
	pbuf_free(f->pb);
	free(f);
}

void mp_reasm_clear(struct mp *mp)
{
	while (mp->head != NULL)
		frag_drop(mp, mp->head);
}

size_t mp_reasm_queued(const struct mp *mp)
{
	return mp->nfrags;
}

/* Has a fragment waited the full timeout? Then whatever blocks the queue will not come. */
static bool queue_stale(const struct mp *mp, uint64_t now)
{
	for (const struct mp_frag *f = mp->head; f != NULL; f = f->next)
		if (now >= f->arrived_ms && now - f->arrived_ms >= mp->conf.reasm_timeout_ms)
			return true;
	return false;
}

/* Is the missing number g gone for good? */
static bool gap_lost(const struct mp *mp, int64_t g, uint64_t now, bool *by_timer)
{
	int64_t m = 0;

	if (seq_min(mp, &m) && g < m) {
		*by_timer = false;
		return true;
	}
	*by_timer = true;
	return queue_stale(mp, now);
}

/* The packet at rx_next lost a fragment: count it once and skip to the next B. */
static void packet_lost(struct mp *mp, bool by_timer)
{
	if (!mp->discarding) {
		mp->stats.reasm_lost++;
		if (by_timer)
			mp->stats.timeouts++;
		log_msg(LG_BUND2, mp->conf.name, "MP: fragment %lld lost%s",
			(long long)(mp->rx_next - MP_SEQ_ORIGIN), by_timer ? " (timeout)" : "");
	}
	mp->discarding = true;
	mp->synced = true;
}

static void consume_drop(struct mp *mp, struct mp_frag *f)
{
	mp->stats.rx_discarded_frags++;
	frag_drop(mp, f);
}

/* Join head..last into one packet and hand it over; frees the fragments. */
static void run_deliver(struct mp *mp, struct mp_frag *last)
{
	size_t total = 0, max = (mp->conf.mrru ? mp->conf.mrru : MP_DEFAULT_MRRU) + 2u;
	uint64_t count = 0;

	for (struct mp_frag *f = mp->head;; f = f->next) {
		total += f->pb->len;
		count++;
		if (f == last)
			break;
	}
	mp->rx_next = last->seq + 1;
	mp->synced = true;
	struct pbuf *pkt = NULL;
	if (total > max) {
		log_msg(LG_BUND, mp->conf.name, "MP: reassembled %zu bytes exceed MRRU, dropped", total);
		mp->stats.reasm_dropped_frags += count;
	} else if (total > 0 && (pkt = pbuf_new(PBUF_HEADROOM, total)) == NULL) {
		log_msg(LG_ERR, mp->conf.name, "MP: out of memory");
	}
	for (bool done = false; !done;) {
		struct mp_frag *f = mp->head;
		done = f == last;
		if (pkt != NULL)
			pbuf_append(pkt, f->pb->data, f->pb->len);
		frag_drop(mp, f);
	}
	if (pkt != NULL) {
		mp->stats.rx_packets++;
		mp->owner.deliver(mp->owner.arg, pkt);
	}
}

/* The contiguous run from the head: its last fragment (an E, or the one before a gap). */
static struct mp_frag *run_end(struct mp_frag *h)
{
	while (!h->end && h->next != NULL && h->next->seq == h->seq + 1)
		h = h->next;
	return h;
}

/* One step of reassembly at rx_next; false when it must wait for more input. */
static bool reasm_step(struct mp *mp, uint64_t now)
{
	struct mp_frag *h = mp->head;
	bool by_timer;

	if (!mp->synced)
		mp->rx_next = h->seq;
	if (h->seq < mp->rx_next) {
		consume_drop(mp, h);
		return true;
	}
	if (h->seq > mp->rx_next) {
		if (!gap_lost(mp, mp->rx_next, now, &by_timer))
			return false;
		packet_lost(mp, by_timer);
		/* everything missing below M, or below a fragment that waited too long, is gone */
		int64_t m = 0;
		if (by_timer || !seq_min(mp, &m) || m > h->seq)
			m = h->seq;
		mp->rx_next = m;
		return true;
	}
	if (mp->discarding && !h->begin) {
		mp->rx_next++;
		mp->discarding = !h->end;
		consume_drop(mp, h);
		return true;
	}
	mp->discarding = false;
	if (!h->begin) {
		/* Its B is behind us; unsynchronised, it may still arrive late. */
		if (!mp->synced && !gap_lost(mp, h->seq - 1, now, &by_timer))
			return false;
		packet_lost(mp, false);
		return true;	/* discarding now: the next step drops it */
	}
	struct mp_frag *e = run_end(h);
	if (e->end) {
		run_deliver(mp, e);
		return true;
	}
	if (!gap_lost(mp, e->seq + 1, now, &by_timer))
		return false;
	packet_lost(mp, by_timer);
	mp->rx_next = e->seq + 1;
	while (mp->head != e)
		consume_drop(mp, mp->head);
	consume_drop(mp, e);
	return true;
}

/* Keep the owner's timer on the oldest queued fragment's deadline. */
static void timer_update(struct mp *mp, uint64_t now)
{
	uint64_t deadline = 0;

	for (const struct mp_frag *f = mp->head; f != NULL; f = f->next) {
		uint64_t d = f->arrived_ms + mp->conf.reasm_timeout_ms;
		if (deadline == 0 || d < deadline)
			deadline = d;
	}
	if (deadline == mp->timer_at)
		return;
	mp->timer_at = deadline;
	if (deadline == 0)
		mp->owner.timer(mp->owner.arg, 0);
	else
		mp->owner.timer(mp->owner.arg, deadline > now ? (unsigned)(deadline - now) : 1);
}

static void reasm_run(struct mp *mp)
{
	uint64_t now = mp->owner.now_ms(mp->owner.arg);

	while (mp->head != NULL && reasm_step(mp, now))
		;
	timer_update(mp, now);
}

/* Sorted insert, searching from the tail where new numbers usually go; false for a repeat. */
static bool frag_insert(struct mp *mp, struct mp_frag *n)
{
	struct mp_frag *p = mp->tail;

	while (p != NULL && p->seq > n->seq)
		p = p->prev;
	if (p != NULL && p->seq == n->seq)
		return false;
	n->prev = p;
	n->next = p != NULL ? p->next : mp->head;
	if (n->next != NULL)
		n->next->prev = n;
	else
		mp->tail = n;
	if (p != NULL)
		p->next = n;
	else
		mp->head = n;
	mp->nfrags++;
	return true;
}

/* Over the bound: give up the lowest-numbered fragment and its packet. */
static void queue_trim(struct mp *mp)
{
	while (mp->nfrags > queue_limit(mp)) {
		struct mp_frag *h = mp->head;
		/* the tail of a packet already given up is not a new loss */
		bool known = mp->synced && mp->discarding && h->seq == mp->rx_next && !h->begin;

		mp->stats.reasm_dropped_frags++;
		if (!known)
			mp->stats.reasm_lost++;
		mp->discarding = !h->end;
		mp->rx_next = h->seq + 1;
		mp->synced = true;
		log_msg(LG_BUND2, mp->conf.name, "MP: reassembly queue full, fragment dropped");
		frag_drop(mp, h);
	}
}

void mp_input(struct mp *mp, int slot, struct pbuf *frag)
{
	struct mp_hdr hdr;
	int hl;

	if (!slot_ok(slot) || !mp->link[slot].active ||
	    (hl = mp_hdr_decode(frag->data, frag->len, mp->conf.rx_shortseq, &hdr)) < 0) {
		log_msg(LG_BUND2, mp->conf.name, "MP: bad fragment (%zu bytes, slot %d)", frag->len, slot);
		mp->stats.reasm_dropped_frags++;
		pbuf_free(frag);
		return;
	}
	struct mp_link *l = &mp->link[slot];
	l->stats.rx_frags++;
	l->stats.rx_octets += frag->len;
	pbuf_pull(frag, (size_t)hl);
	int64_t seq = seq_widen(mp, hdr.seq);
	if (!l->rx_seen || seq > l->rx_last)
		l->rx_last = seq;
	l->rx_seen = true;

	struct mp_frag *f = NULL;
	if (mp->synced && seq < mp->rx_next) {
		mp->stats.dup_frags++;
		pbuf_free(frag);
	} else if ((f = malloc(sizeof(*f))) == NULL) {
		log_msg(LG_ERR, mp->conf.name, "MP: out of memory");
		mp->stats.reasm_dropped_frags++;
		pbuf_free(frag);
	} else {
		*f = (struct mp_frag){ .seq = seq, .begin = hdr.begin, .end = hdr.end, .pb = frag,
				       .arrived_ms = mp->owner.now_ms(mp->owner.arg) };
		if (!frag_insert(mp, f)) {
			mp->stats.dup_frags++;
			pbuf_free(frag);
			free(f);
		}
		queue_trim(mp);
	}
	reasm_run(mp);
}

void mp_timeout(struct mp *mp)
{
	mp->timer_at = 0;
	reasm_run(mp);
}

void mp_reasm_link_changed(struct mp *mp)
{
	reasm_run(mp);
}
