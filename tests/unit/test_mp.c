/*
 * Multilink engine: header codec, fragmentation plans, and two engines back
 * to back through a fake network that reorders, repeats and loses fragments
 * per link; endpoint discriminator codec.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/pbuf.h"
#include "ppp/mp.h"

#define QMAX 512
#define GOTMAX 512

/* Both engines and the wire between them. */
struct tnet {
	uint64_t now;
	struct mp *tx, *rx;
	struct pbuf *q[MP_MAX_LINKS][QMAX];	/* in flight, per link, in send order */
	int qn[MP_MAX_LINKS];
	struct pbuf *got[GOTMAX];
	int ngot;
	unsigned timer_ms;
	int timer_calls;
	bool headroom_ok;
};

static void t_send(void *arg, int slot, struct pbuf *f)
{
	struct tnet *n = arg;

	if (pbuf_headroom(f) < PBUF_HEADROOM)
		n->headroom_ok = false;
	assert_true(slot >= 0 && slot < MP_MAX_LINKS);
	assert_true(n->qn[slot] < QMAX);
	n->q[slot][n->qn[slot]++] = f;
}

static void t_deliver(void *arg, struct pbuf *p)
{
	struct tnet *n = arg;

	assert_true(n->ngot < GOTMAX);
	n->got[n->ngot++] = p;
}

static void t_timer(void *arg, unsigned ms)
{
	struct tnet *n = arg;

	n->timer_ms = ms;
	n->timer_calls++;
}

static uint64_t t_now(void *arg)
{
	return ((struct tnet *)arg)->now;
}

static struct mp_conf conf_default(void)
{
	return (struct mp_conf){ .name = "t", .peer_mrru = 4000, .mrru = 4000 };
}

static struct tnet *net_new(const struct mp_conf *c, int nlinks, const struct mp_link_param *p)
{
	struct tnet *n = calloc(1, sizeof(*n));
	struct mp_owner o = { n, t_send, t_deliver, t_timer, t_now };

	n->now = 1000;
	n->headroom_ok = true;
	n->tx = mp_new(c, &o);
	n->rx = mp_new(c, &o);
	assert_non_null(n->tx);
	assert_non_null(n->rx);
	for (int i = 0; i < nlinks; i++) {
		assert_int_equal(mp_link_add(n->tx, i, &p[i]), 0);
		assert_int_equal(mp_link_add(n->rx, i, &p[i]), 0);
	}
	return n;
}

static void net_free(struct tnet *n)
{
	for (int s = 0; s < MP_MAX_LINKS; s++)
		for (int i = 0; i < n->qn[s]; i++)
			pbuf_free(n->q[s][i]);
	for (int i = 0; i < n->ngot; i++)
		pbuf_free(n->got[i]);
	mp_free(n->tx);
	mp_free(n->rx);
	free(n);
}

/* Packet k: length len, bytes from k so every packet differs. */
static void pkt_fill(uint8_t *b, size_t len, int k)
{
	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)(k * 31 + i * 7 + (i >> 8));
}

static void send_pkt(struct tnet *n, size_t len, int k)
{
	struct pbuf *p = pbuf_new(PBUF_HEADROOM, len);
	uint8_t *d = pbuf_put(p, len);

	pkt_fill(d, len, k);
	mp_output(n->tx, p);
}

static void assert_got(const struct tnet *n, int i, size_t len, int k)
{
	uint8_t want[8192];

	assert_true(i < n->ngot);
	assert_int_equal(n->got[i]->len, len);
	pkt_fill(want, len, k);
	assert_memory_equal(n->got[i]->data, want, len);
}

/* Hand fragment i of link s to the receiver (NULL slot entries were dropped). */
static void pass(struct tnet *n, int s, int i)
{
	if (n->q[s][i] != NULL)
		mp_input(n->rx, s, n->q[s][i]);
	n->q[s][i] = NULL;
}

static void drop(struct tnet *n, int s, int i)
{
	pbuf_free(n->q[s][i]);
	n->q[s][i] = NULL;
}

/* Deliver a whole link's queue, in order. */
static void flush_link(struct tnet *n, int s)
{
	for (int i = 0; i < n->qn[s]; i++)
		pass(n, s, i);
	n->qn[s] = 0;
}

/* Links in the given order, each entirely: the worst reordering a per-link FIFO allows. */
static void flush_order(struct tnet *n, const int *order, int k)
{
	for (int i = 0; i < k; i++)
		flush_link(n, order[i]);
}

static const struct mp_link_param P1M = { 1000000, 0, 1500 };

/* ---- header codec ---- */

static void test_hdr_long(void **state)
{
	(void)state;
	uint8_t b[4];
	struct mp_hdr h = { true, false, 0x123456 }, d;

	assert_int_equal(mp_hdr_encode(b, false, &h), 4);
	assert_memory_equal(b, "\x80\x12\x34\x56", 4);
	h = (struct mp_hdr){ false, true, 0xff000001 };	/* masked to 24 bits */
	mp_hdr_encode(b, false, &h);
	assert_memory_equal(b, "\x40\x00\x00\x01", 4);
	assert_int_equal(mp_hdr_decode((const uint8_t *)"\xc0\xab\xcd\xef", 4, false, &d), 4);
	assert_true(d.begin && d.end);
	assert_int_equal(d.seq, 0xabcdef);
	/* reserved bits ignored */
	assert_int_equal(mp_hdr_decode((const uint8_t *)"\x3f\x00\x00\x07", 4, false, &d), 4);
	assert_false(d.begin || d.end);
	assert_int_equal(d.seq, 7);
	assert_int_equal(mp_hdr_decode(b, 3, false, &d), -1);
}

static void test_hdr_short(void **state)
{
	(void)state;
	uint8_t b[2];
	struct mp_hdr h = { true, true, 0xabc }, d;

	assert_int_equal(mp_hdr_encode(b, true, &h), 2);
	assert_memory_equal(b, "\xca\xbc", 2);
	h = (struct mp_hdr){ false, false, 0x1fff };	/* masked to 12 bits */
	mp_hdr_encode(b, true, &h);
	assert_memory_equal(b, "\x0f\xff", 2);
	assert_int_equal(mp_hdr_decode((const uint8_t *)"\x85\x01", 2, true, &d), 2);
	assert_true(d.begin);
	assert_false(d.end);
	assert_int_equal(d.seq, 0x501);
	/* reserved bits (0x30) ignored */
	assert_int_equal(mp_hdr_decode((const uint8_t *)"\x70\x02", 2, true, &d), 2);
	assert_true(d.end);
	assert_int_equal(d.seq, 2);
	assert_int_equal(mp_hdr_decode(b, 1, true, &d), -1);
	assert_int_equal(mp_hdr_decode(b, 0, true, &d), -1);
}

/* ---- plans ---- */

static size_t plan_sum(int n, const size_t *bytes)
{
	size_t s = 0;

	for (int i = 0; i < n; i++)
		s += bytes[i];
	return s;
}

static void test_plan_equal(void **state)
{
	(void)state;
	struct mp_conf c = conf_default();
	struct mp_link_param p[3] = { P1M, P1M, P1M };
	struct tnet *n = net_new(&c, 3, p);
	int order[MP_MAX_FRAGS];
	size_t bytes[MP_MAX_FRAGS];

	int k = mp_plan(n->tx, 1200, n->now, order, bytes);
	assert_int_equal(k, 3);
	bool seen[3] = { false };
	for (int i = 0; i < k; i++) {
		assert_int_equal(bytes[i], 400);
		seen[order[i]] = true;
	}
	assert_true(seen[0] && seen[1] && seen[2]);
	/* odd sizes still add up */
	k = mp_plan(n->tx, 1001, n->now, order, bytes);
	assert_int_equal(k, 3);
	assert_int_equal(plan_sum(k, bytes), 1001);
	for (int i = 0; i < k; i++)
		assert_true(bytes[i] >= 333 && bytes[i] <= 335);
	net_free(n);
}

static void test_plan_bandwidth_ratio(void **state)
{
	(void)state;
	struct mp_conf c = conf_default();
	struct mp_link_param p[2] = { { 2000000, 0, 1500 }, { 1000000, 0, 1500 } };
	struct tnet *n = net_new(&c, 2, p);
	int order[MP_MAX_FRAGS];
	size_t bytes[MP_MAX_FRAGS], per[2] = { 0 };

	int k = mp_plan(n->tx, 1200, n->now, order, bytes);
	assert_int_equal(k, 2);
	for (int i = 0; i < k; i++)
		per[order[i]] += bytes[i];
	assert_true(per[0] >= 798 && per[0] <= 802);
	assert_int_equal(per[0] + per[1], 1200);
	net_free(n);
}

static void test_plan_latency(void **state)
{
	(void)state;
	struct mp_conf c = conf_default();
	/* same bandwidth; the second link is 20 ms further away */
	struct mp_link_param p[2] = { { 1000000, 0, 1500 }, { 1000000, 20000, 1500 } };
	struct tnet *n = net_new(&c, 2, p);
	int order[MP_MAX_FRAGS];
	size_t bytes[MP_MAX_FRAGS], per[2] = { 0 };

	/* 1000 bytes take 8 ms at 1 Mbit/s: arrives before the far link's first byte could */
	int k = mp_plan(n->tx, 1000, n->now, order, bytes);
	assert_int_equal(k, 1);
	assert_int_equal(order[0], 0);
	assert_int_equal(bytes[0], 1000);
	/* a large packet uses both, the far link less: 4000 B finish at equal time */
	c.peer_mrru = 8000;
	struct mp_link_param q[2] = { { 1000000, 0, 4000 }, { 1000000, 20000, 4000 } };
	struct tnet *m = net_new(&c, 2, q);
	k = mp_plan(m->tx, 4000, m->now, order, bytes);
	assert_int_equal(k, 2);
	for (int i = 0; i < k; i++)
		per[order[i]] += bytes[i];
	/* T - 0 = T - 20000 + ...: near link gets (4000 + 2500) / 2 = 3250 bytes */
	assert_true(per[0] >= 3248 && per[0] <= 3252);
	assert_int_equal(per[0] + per[1], 4000);
	assert_int_equal(order[0], 0);	/* the near link's fragment is numbered first */
	net_free(n);
	net_free(m);
}

static void test_plan_small_whole(void **state)
{
	(void)state;
	struct mp_conf c = conf_default();
	struct mp_link_param p[4] = { P1M, P1M, P1M, P1M };
	struct tnet *n = net_new(&c, 4, p);
	int order[MP_MAX_FRAGS];
	size_t bytes[MP_MAX_FRAGS];

	/* 100 bytes over 4 links would be 25-byte fragments: below the floor */
	int k = mp_plan(n->tx, 100, n->now, order, bytes);
	assert_int_equal(k, 1);
	assert_int_equal(bytes[0], 100);
	/* 200 bytes: split in fragments of at least MP_MIN_FRAG */
	k = mp_plan(n->tx, 200, n->now, order, bytes);
	assert_true(k >= 2 && k <= 3);
	for (int i = 0; i < k; i++)
		assert_true(bytes[i] >= MP_MIN_FRAG);
	assert_int_equal(plan_sum(k, bytes), 200);
	/* consecutive small packets spread over the links by their virtual backlog */
	bool used[4] = { false };
	for (int i = 0; i < 4; i++) {
		send_pkt(n, 100, i);
	}
	for (int s = 0; s < 4; s++)
		used[s] = n->qn[s] == 1;
	assert_true(used[0] && used[1] && used[2] && used[3]);
	net_free(n);
}

static void test_plan_mtu(void **state)
{
	(void)state;
	struct mp_conf c = conf_default();
	struct mp_link_param p[2] = { { 1000000, 0, 300 }, { 1000000, 0, 600 } };
	struct tnet *n = net_new(&c, 2, p);
	int order[MP_MAX_FRAGS];
	size_t bytes[MP_MAX_FRAGS];

	int k = mp_plan(n->tx, 3000, n->now, order, bytes);
	assert_true(k > 0);
	assert_int_equal(plan_sum(k, bytes), 3000);
	for (int i = 0; i < k; i++)
		assert_true(bytes[i] <= (order[i] == 0 ? 296u : 596u));
	/* 3000 bytes need at least 3000 / (296 + 596) rounds */
	assert_true(k >= 7);
	/* and the frames the engine emits fit the link's MTU, header included */
	send_pkt(n, 3000, 1);
	for (int s = 0; s < 2; s++)
		for (int i = 0; i < n->qn[s]; i++)
			assert_true(n->q[s][i]->len <= p[s].mtu);
	assert_true(n->headroom_ok);
	flush_link(n, 0);
	flush_link(n, 1);
	assert_int_equal(n->ngot, 1);
	assert_got(n, 0, 3000, 1);
	net_free(n);
}

static void test_single_link_over_mtu(void **state)
{
	(void)state;
	struct mp_conf c = conf_default();
	struct mp_link_param p = { 64000, 2000, 500 };
	struct tnet *n = net_new(&c, 1, &p);

	send_pkt(n, 1400, 7);
	send_pkt(n, 40, 8);
	assert_int_equal(n->qn[0], 4);	/* 496 + 496 + 408, then 40 */
	assert_int_equal(n->q[0][0]->len, 500);
	flush_link(n, 0);
	assert_int_equal(n->ngot, 2);
	assert_got(n, 0, 1400, 7);
	assert_got(n, 1, 40, 8);
	assert_int_equal(mp_stats(n->rx)->rx_packets, 2);
	assert_int_equal(mp_stats(n->tx)->tx_packets, 2);
	assert_int_equal(mp_link_stats(n->tx, 0)->tx_frags, 4);
	assert_int_equal(mp_link_stats(n->rx, 0)->rx_frags, 4);
	assert_int_equal(mp_reasm_queued(n->rx), 0);
	net_free(n);
}

static void test_round_robin(void **state)
{
	(void)state;
	struct mp_conf c = conf_default();
	c.round_robin = true;
	struct mp_link_param p[3] = { P1M, P1M, P1M };
	struct tnet *n = net_new(&c, 3, p);
	struct mp_hdr h;

	for (int i = 0; i < 7; i++)
		send_pkt(n, 1000, i);
	/* 0,1,2,0,1,2,0: whole packets with B and E */
	assert_int_equal(n->qn[0], 3);
	assert_int_equal(n->qn[1], 2);
	assert_int_equal(n->qn[2], 2);
	for (int s = 0; s < 3; s++) {
		for (int i = 0; i < n->qn[s]; i++) {
			assert_int_equal(mp_hdr_decode(n->q[s][i]->data, n->q[s][i]->len, false, &h), 4);
			assert_true(h.begin && h.end);
			assert_int_equal(h.seq, (uint32_t)(i * 3 + s));
		}
	}
	/* a removed link is skipped */
	mp_link_remove(n->tx, 1);
	send_pkt(n, 100, 7);
	send_pkt(n, 100, 8);
	assert_int_equal(n->qn[2], 3);
	assert_int_equal(n->qn[0], 4);
	int order[] = { 2, 1, 0 };
	flush_order(n, order, 3);
	assert_int_equal(n->ngot, 9);
	for (int i = 0; i < 7; i++)
		assert_got(n, i, 1000, i);
	net_free(n);
}

/* ---- reassembly ---- */

static void test_reorder_links(void **state)
{
	(void)state;
	struct mp_conf c = conf_default();
	struct mp_link_param p[3] = { { 2000000, 0, 1500 }, { 1000000, 1000, 1500 }, P1M };
	struct tnet *n = net_new(&c, 3, p);
	static const size_t lens[] = { 1500, 60, 900, 3000, 200, 1400, 128, 2500, 700, 1000 };
	int k = 0;

	for (int r = 0; r < 3; r++)
		for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++, k++)
			send_pkt(n, lens[i], k);
	assert_true(n->qn[0] > 0 && n->qn[1] > 0 && n->qn[2] > 0);
	/* the last link's fragments first, then the others: every packet still whole, in order */
	int order[] = { 2, 1, 0 };
	flush_order(n, order, 3);
	assert_int_equal(n->ngot, k);
	k = 0;
	for (int r = 0; r < 3; r++)
		for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++, k++)
			assert_got(n, k, lens[i], k);
	const struct mp_stats *st = mp_stats(n->rx);
	assert_int_equal(st->reasm_lost, 0);
	assert_int_equal(st->dup_frags, 0);
	assert_int_equal(mp_reasm_queued(n->rx), 0);
	assert_int_equal(n->timer_ms, 0);	/* nothing waits: timer stopped */
	net_free(n);
}

static void test_interleaved_and_dups(void **state)
{
	(void)state;
	struct mp_conf c = conf_default();
	struct mp_link_param p[2] = { P1M, P1M };
	struct tnet *n = net_new(&c, 2, p);

	for (int i = 0; i < 10; i++)
		send_pkt(n, 1000, i);
	/* alternate links fragment by fragment, and repeat each fragment of link 1 */
	int i0 = 0, i1 = 0, dups = 0;
	while (i0 < n->qn[0] || i1 < n->qn[1]) {
		if (i1 < n->qn[1]) {
			struct pbuf *f = n->q[1][i1];
			struct pbuf *copy = pbuf_from(f->data, f->len);
			pass(n, 1, i1++);
			mp_input(n->rx, 1, copy);
			dups++;
		}
		if (i0 < n->qn[0])
			pass(n, 0, i0++);
	}
	n->qn[0] = n->qn[1] = 0;
	assert_int_equal(n->ngot, 10);
	for (int i = 0; i < 10; i++)
		assert_got(n, i, 1000, i);
	assert_int_equal(mp_stats(n->rx)->dup_frags, dups);
	assert_int_equal(mp_stats(n->rx)->reasm_lost, 0);
	net_free(n);
}

static void test_loss_m_rule(void **state)
{
	(void)state;
	struct mp_conf c = conf_default();
	struct mp_link_param p[2] = { P1M, P1M };
	struct tnet *n = net_new(&c, 2, p);

	for (int i = 0; i < 6; i++)
		send_pkt(n, 1000, i);	/* each packet: one fragment per link */
	assert_int_equal(n->qn[0], 6);
	assert_int_equal(n->qn[1], 6);
	drop(n, 1, 2);	/* packet 2 loses a fragment */
	flush_link(n, 0);
	/* link 1 has not spoken: packets wait, nothing is declared lost */
	assert_int_equal(n->ngot, 0);
	flush_link(n, 1);
	/* M passed the hole: packet 2 given up, all others delivered, no timer needed */
	assert_int_equal(n->ngot, 5);
	assert_got(n, 0, 1000, 0);
	assert_got(n, 1, 1000, 1);
	assert_got(n, 2, 1000, 3);
	assert_got(n, 4, 1000, 5);
	assert_int_equal(mp_stats(n->rx)->reasm_lost, 1);
	assert_int_equal(mp_stats(n->rx)->timeouts, 0);
	assert_int_equal(mp_stats(n->rx)->rx_discarded_frags, 1);
	assert_int_equal(mp_reasm_queued(n->rx), 0);
	net_free(n);
}

static void test_loss_whole_packet_in_stream(void **state)
{
	(void)state;
	struct mp_conf c = conf_default();
	struct mp_link_param p[2] = { P1M, P1M };
	struct tnet *n = net_new(&c, 2, p);

	/* small packets go whole; lose one on link 0 in the middle of interleaved traffic */
	for (int i = 0; i < 20; i++)
		send_pkt(n, 100, i);
	assert_true(n->qn[0] >= 5 && n->qn[1] >= 5);
	struct mp_hdr h;
	mp_hdr_decode(n->q[0][3]->data, n->q[0][3]->len, false, &h);
	int lost = (int)h.seq;
	drop(n, 0, 3);
	int i0 = 0, i1 = 0;
	while (i0 < n->qn[0] || i1 < n->qn[1]) {
		if (i0 < n->qn[0])
			pass(n, 0, i0++);
		if (i1 < n->qn[1])
			pass(n, 1, i1++);
	}
	n->qn[0] = n->qn[1] = 0;
	/* the last packets wait for M to pass them only if a hole is behind them; here none is */
	assert_int_equal(n->ngot, 19);
	for (int i = 0, k = 0; i < 20; i++) {
		if (i == lost)
			continue;
		assert_got(n, k++, 100, i);
	}
	assert_int_equal(mp_stats(n->rx)->reasm_lost, 1);
	net_free(n);
}

static void test_timeout_unblocks(void **state)
{
	(void)state;
	struct mp_conf c = conf_default();
	c.reasm_timeout_ms = 500;
	struct mp_link_param p[2] = { P1M, P1M };
	struct tnet *n = net_new(&c, 2, p);

	/* sync both links first */
	send_pkt(n, 1000, 0);
	flush_link(n, 0);
	flush_link(n, 1);
	assert_int_equal(n->ngot, 1);
	/* packet 1's fragment on link 1 is lost and link 1 then goes quiet */
	send_pkt(n, 1000, 1);
	drop(n, 1, 0);
	n->qn[1] = 0;
	flush_link(n, 0);
	mp_link_remove(n->tx, 1);
	send_pkt(n, 300, 2);
	send_pkt(n, 300, 3);
	flush_link(n, 0);
	assert_int_equal(n->ngot, 1);	/* M is held by quiet link 1 */
	assert_int_equal(n->timer_ms, 500);
	n->now += 499;
	mp_timeout(n->rx);	/* early: nothing changes */
	assert_int_equal(n->ngot, 1);
	assert_int_equal(n->timer_ms, 1);
	n->now += 1;
	int calls = n->timer_calls;
	mp_timeout(n->rx);
	assert_int_equal(n->timer_calls, calls);	/* fired and nothing left: not re-armed */
	assert_int_equal(n->ngot, 3);
	assert_got(n, 1, 300, 2);
	assert_got(n, 2, 300, 3);
	assert_int_equal(mp_stats(n->rx)->timeouts, 1);
	assert_int_equal(mp_stats(n->rx)->reasm_lost, 1);
	assert_int_equal(mp_reasm_queued(n->rx), 0);
	net_free(n);
}

/* Send packet k now, losing whatever went on link 1, and hand link 0's fragments over. */
static void send_cut(struct tnet *n, size_t len, int k)
{
	send_pkt(n, len, k);
	for (int j = 0; j < n->qn[1]; j++)
		drop(n, 1, j);
	n->qn[1] = 0;
	flush_link(n, 0);
}

static void test_cut_link_goes_quiet(void **state)
{
	(void)state;
	struct mp_conf c = conf_default();
	c.reasm_timeout_ms = 500;
	struct mp_link_param p[2] = { P1M, P1M };
	struct tnet *n = net_new(&c, 2, p);

	send_pkt(n, 1000, 0);
	flush_link(n, 0);
	flush_link(n, 1);
	/* link 1 is cut at t=1000: the sender keeps using it until keep-alive notices */
	for (int i = 1; i <= 5; i++) {
		n->now += 100;
		send_cut(n, 1000, i);
	}
	assert_int_equal(n->ngot, 1);	/* M is held by link 1 */
	n->now = 1600;
	mp_timeout(n->rx);
	/* packet 1 by the timer; link 1 (silent 600 ms) stops holding M: 2-4 by the M rule */
	assert_int_equal(mp_stats(n->rx)->timeouts, 1);
	assert_int_equal(mp_stats(n->rx)->reasm_lost, 4);
	assert_int_equal(mp_reasm_queued(n->rx), 1);	/* packet 5's first half: above M */
	/* more traffic on link 0 moves M past packets 5 and 6 without the timer */
	n->now += 10;
	send_cut(n, 1000, 6);
	send_cut(n, 100, 7);	/* small: whole on link 0 */
	assert_int_equal(n->ngot, 2);
	assert_got(n, 1, 100, 7);
	assert_int_equal(mp_stats(n->rx)->reasm_lost, 6);
	assert_int_equal(mp_stats(n->rx)->timeouts, 1);
	assert_int_equal(mp_reasm_queued(n->rx), 0);
	/* the link comes back and carries its share again */
	n->now += 100;
	send_pkt(n, 1000, 8);
	assert_int_equal(n->qn[1], 1);
	flush_link(n, 0);
	assert_int_equal(n->ngot, 2);
	flush_link(n, 1);
	assert_int_equal(n->ngot, 3);
	assert_got(n, 2, 1000, 8);
	assert_int_equal(mp_stats(n->rx)->reasm_lost, 6);
	net_free(n);
}

static void test_link_remove_unblocks(void **state)
{
	(void)state;
	struct mp_conf c = conf_default();
	struct mp_link_param p[2] = { P1M, P1M };
	struct tnet *n = net_new(&c, 2, p);

	send_pkt(n, 1000, 0);
	flush_link(n, 0);
	flush_link(n, 1);
	send_pkt(n, 1000, 1);
	drop(n, 1, 0);	/* lost as the link went down */
	n->qn[1] = 0;
	flush_link(n, 0);
	mp_link_remove(n->tx, 1);
	send_pkt(n, 500, 2);
	flush_link(n, 0);
	assert_int_equal(n->ngot, 1);
	/* the receiver learns that link 1 left: M no longer waits for it */
	mp_link_remove(n->rx, 1);
	assert_int_equal(n->ngot, 2);
	assert_got(n, 1, 500, 2);
	assert_int_equal(mp_stats(n->rx)->reasm_lost, 1);
	assert_int_equal(mp_stats(n->rx)->timeouts, 0);
	net_free(n);
}

static void test_queue_bound(void **state)
{
	(void)state;
	struct mp_conf c = conf_default();
	c.reasm_max_frags = 8;
	c.round_robin = true;
	struct mp_link_param p[2] = { P1M, P1M };
	struct tnet *n = net_new(&c, 2, p);

	send_pkt(n, 100, 0);
	send_pkt(n, 100, 1);
	flush_link(n, 0);
	flush_link(n, 1);
	assert_int_equal(n->ngot, 2);
	/* link 1 carries one packet then goes quiet; link 1's packet is lost */
	for (int i = 2; i < 40; i++)
		send_pkt(n, 100, i);
	for (int i = 0; i < n->qn[1]; i++)
		drop(n, 1, i);
	n->qn[1] = 0;
	for (int i = 0; i < n->qn[0]; i++) {
		pass(n, 0, i);
		assert_true(mp_reasm_queued(n->rx) <= 8);
	}
	n->qn[0] = 0;
	/* the bound forced progress: all but the 8 last of link 0's 19 packets are out */
	assert_true(mp_stats(n->rx)->queue_full >= 1);
	assert_int_equal(n->ngot, 2 + 19 - 8);
	assert_int_equal(mp_reasm_queued(n->rx), 8);
	assert_int_equal(mp_stats(n->rx)->timeouts, 0);
	/* and the timer lets the rest out */
	n->now += 1000;
	mp_timeout(n->rx);
	assert_int_equal(n->ngot, 2 + 19);
	assert_int_equal(mp_reasm_queued(n->rx), 0);
	/* what came out is in order and whole */
	int k = 2;
	for (int i = 2; i < n->ngot; i++) {
		while (k < 40 && n->got[i]->data[0] != (uint8_t)(k * 31))
			k++;
		assert_true(k < 40);
		assert_got(n, i, 100, k);
	}
	net_free(n);
}

static void seq_wrap(bool shortseq, uint32_t start)
{
	struct mp_conf c = conf_default();
	c.tx_shortseq = c.rx_shortseq = shortseq;
	c.tx_seq_start = start;
	struct mp_link_param p[3] = { P1M, P1M, P1M };
	struct tnet *n = net_new(&c, 3, p);
	int k = 0;

	for (int r = 0; r < 4; r++) {
		for (int i = 0; i < 10; i++, k++)
			send_pkt(n, 200 + (size_t)k * 37 % 2000, k);
		if (r == 2)
			drop(n, 1, n->qn[1] - 1);
		int order[] = { 1, 2, 0 };
		flush_order(n, order, 3);
	}
	/* every packet but the one that lost its fragment */
	assert_int_equal(n->ngot, 39);
	assert_int_equal(mp_stats(n->rx)->reasm_lost, 1);
	int j = 0;
	for (int i = 0; i < 40 && j < n->ngot; i++) {
		size_t len = 200 + (size_t)i * 37 % 2000;
		if (n->got[j]->len != len)
			continue;	/* the lost one */
		assert_got(n, j++, len, i);
	}
	assert_int_equal(j, 39);
	net_free(n);
}

static void test_seq_wrap_long(void **state)
{
	(void)state;
	seq_wrap(false, 0xffffff - 20);
}

static void test_seq_wrap_short(void **state)
{
	(void)state;
	seq_wrap(true, 0xfff - 20);
}

static void test_mrru_and_malformed(void **state)
{
	(void)state;
	struct mp_conf c = conf_default();
	c.peer_mrru = 1000;
	c.mrru = 500;
	struct mp_link_param p = P1M;
	struct tnet *n = net_new(&c, 1, &p);

	send_pkt(n, 1003, 0);	/* over peer MRRU + protocol field */
	assert_int_equal(mp_stats(n->tx)->tx_dropped, 1);
	assert_int_equal(n->qn[0], 0);
	send_pkt(n, 900, 1);	/* sent, but over our MRRU at the receiver */
	send_pkt(n, 400, 2);
	flush_link(n, 0);
	assert_int_equal(n->ngot, 1);
	assert_got(n, 0, 400, 2);
	assert_int_equal(mp_stats(n->rx)->reasm_dropped_frags, 1);
	/* short, unknown-slot and empty input never crash */
	mp_input(n->rx, 0, pbuf_from("\x80\x00", 2));
	mp_input(n->rx, 5, pbuf_from("\xc0\x00\x00\x09xx", 6));
	mp_input(n->rx, -1, pbuf_from("\xc0\x00\x00\x09xx", 6));
	mp_input(n->rx, 0, pbuf_from("", 0));
	assert_int_equal(n->ngot, 1);
	assert_int_equal(mp_stats(n->rx)->reasm_dropped_frags, 5);
	/* no link: dropped */
	mp_link_remove(n->tx, 0);
	send_pkt(n, 10, 3);
	assert_int_equal(mp_stats(n->tx)->tx_dropped, 2);
	assert_int_equal(mp_link_add(n->tx, MP_MAX_LINKS, &p), -1);
	struct mp_link_param tiny = { 64000, 0, 4 };
	assert_int_equal(mp_link_add(n->tx, 0, &tiny), -1);
	net_free(n);
}

/* ---- endpoint discriminator ---- */

static void test_epdisc(void **state)
{
	(void)state;
	struct mp_epdisc e, f;
	uint8_t b[32];
	char t[80];

	assert_int_equal(mp_epdisc_decode((const uint8_t *)"\x00", 1, &e), 0);
	assert_int_equal(e.class, 0);
	assert_int_equal(e.len, 0);
	mp_epdisc_text(&e, t, sizeof(t));
	assert_string_equal(t, "null");
	assert_int_equal(mp_epdisc_decode((const uint8_t *)"\x00\x01", 2, &e), -1);

	assert_int_equal(mp_epdisc_decode((const uint8_t *)"\x02\x0a\x00\x00\x01", 5, &e), 0);
	mp_epdisc_text(&e, t, sizeof(t));
	assert_string_equal(t, "ip 10.0.0.1");
	assert_int_equal(mp_epdisc_decode((const uint8_t *)"\x02\x0a\x00\x00", 4, &e), -1);

	assert_int_equal(mp_epdisc_decode((const uint8_t *)"\x03\x00\x11\x22\x33\x44\x55", 7, &e), 0);
	mp_epdisc_text(&e, t, sizeof(t));
	assert_string_equal(t, "mac 00:11:22:33:44:55");
	assert_int_equal(mp_epdisc_decode((const uint8_t *)"\x03\x00\x11\x22\x33\x44\x55\x66", 8, &e), -1);

	uint8_t magic[21] = { 4 };
	for (int i = 1; i < 21; i++)
		magic[i] = (uint8_t)i;
	assert_int_equal(mp_epdisc_decode(magic, 21, &e), 0);	/* 5 magic numbers */
	assert_int_equal(e.len, 20);
	assert_int_equal(mp_epdisc_decode(magic, 5, &e), 0);
	mp_epdisc_text(&e, t, sizeof(t));
	assert_string_equal(t, "magic 01020304");
	assert_int_equal(mp_epdisc_decode(magic, 6, &e), -1);	/* not a multiple of 4 */
	assert_int_equal(mp_epdisc_decode(magic, 1, &e), -1);
	uint8_t magic6[25] = { 4 };
	assert_int_equal(mp_epdisc_decode(magic6, 25, &e), -1);	/* 24 > 20 */

	uint8_t local[22] = { 1, 'a', 'b' };
	assert_int_equal(mp_epdisc_decode(local, 3, &e), 0);
	mp_epdisc_text(&e, t, sizeof(t));
	assert_string_equal(t, "local 6162");
	assert_int_equal(mp_epdisc_decode(local, 21, &e), 0);
	assert_int_equal(mp_epdisc_decode(local, 22, &e), -1);
	assert_int_equal(mp_epdisc_decode(local, 1, &e), -1);

	assert_int_equal(mp_epdisc_decode((const uint8_t *)"\x05" "4930123456", 11, &e), 0);
	mp_epdisc_text(&e, t, sizeof(t));
	assert_string_equal(t, "psn 4930123456");
	assert_int_equal(mp_epdisc_decode((const uint8_t *)"\x05" "1234567890123456", 17, &e), -1);
	assert_int_equal(mp_epdisc_decode((const uint8_t *)"\x05", 1, &e), -1);

	assert_int_equal(mp_epdisc_decode((const uint8_t *)"\x06\x01", 2, &e), -1);
	assert_int_equal(mp_epdisc_decode((const uint8_t *)"", 0, &e), -1);

	/* encode round trip, room, equality */
	assert_int_equal(mp_epdisc_decode((const uint8_t *)"\x03\x00\x11\x22\x33\x44\x55", 7, &e), 0);
	assert_int_equal(mp_epdisc_encode(b, sizeof(b), &e), 7);
	assert_memory_equal(b, "\x03\x00\x11\x22\x33\x44\x55", 7);
	assert_int_equal(mp_epdisc_encode(b, 6, &e), 0);
	assert_int_equal(mp_epdisc_decode(b, 7, &f), 0);
	assert_true(mp_epdisc_equal(&e, &f));
	f.addr[5] ^= 1;
	assert_false(mp_epdisc_equal(&e, &f));
	f = e;
	f.class = MP_EPD_LOCAL;
	assert_false(mp_epdisc_equal(&e, &f));
	struct mp_epdisc bad = { .class = MP_EPD_IP, .len = 3 };
	assert_int_equal(mp_epdisc_encode(b, sizeof(b), &bad), 0);
	/* text never overruns */
	mp_epdisc_text(&e, t, 8);
	assert_true(strlen(t) < 8);
}

int main(void)
{
	for (int i = 0; i < LG_NFLAGS; i++)
		log_set(i, false);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hdr_long),
		cmocka_unit_test(test_hdr_short),
		cmocka_unit_test(test_plan_equal),
		cmocka_unit_test(test_plan_bandwidth_ratio),
		cmocka_unit_test(test_plan_latency),
		cmocka_unit_test(test_plan_small_whole),
		cmocka_unit_test(test_plan_mtu),
		cmocka_unit_test(test_single_link_over_mtu),
		cmocka_unit_test(test_round_robin),
		cmocka_unit_test(test_reorder_links),
		cmocka_unit_test(test_interleaved_and_dups),
		cmocka_unit_test(test_loss_m_rule),
		cmocka_unit_test(test_loss_whole_packet_in_stream),
		cmocka_unit_test(test_timeout_unblocks),
		cmocka_unit_test(test_cut_link_goes_quiet),
		cmocka_unit_test(test_link_remove_unblocks),
		cmocka_unit_test(test_queue_bound),
		cmocka_unit_test(test_seq_wrap_long),
		cmocka_unit_test(test_seq_wrap_short),
		cmocka_unit_test(test_mrru_and_malformed),
		cmocka_unit_test(test_epdisc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
