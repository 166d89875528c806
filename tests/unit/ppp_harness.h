/*
 * Test owner for the PPP engines: records what an engine sends, how it
 * drives its timer and which events it raises, and can pump packets
 * between two engines wired back to back.
 */
#ifndef MPD_TEST_PPP_HARNESS_H
#define MPD_TEST_PPP_HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/pbuf.h"
#include "ppp/fsm.h"

#define REC_MAXPKT 64
#define REC_MAXEV 32

struct rec_pkt {
	uint16_t proto;
	size_t len;
	uint8_t data[2048];
};

struct rec {
	struct rec_pkt pkts[REC_MAXPKT];
	int npkts;		/* queued, not yet delivered */
	int sent;		/* total sent since reset */
	unsigned timer_ms;	/* last timer request; 0 = stopped */
	int timer_calls;
	int events[REC_MAXEV];
	uint32_t vals[REC_MAXEV];
	int nevents;
	uint32_t seed;
	bool headroom_ok;
};

static inline void rec_reset(struct rec *r)
{
	r->npkts = 0;
	r->sent = 0;
	r->nevents = 0;
	r->timer_calls = 0;
}

static inline void rec_send(void *arg, uint16_t proto, struct pbuf *pkt)
{
	struct rec *r = arg;

	r->headroom_ok = pbuf_headroom(pkt) >= PBUF_HEADROOM;
	if (r->npkts < REC_MAXPKT && pkt->len <= sizeof(r->pkts[0].data)) {
		struct rec_pkt *p = &r->pkts[r->npkts++];
		p->proto = proto;
		p->len = pkt->len;
		memcpy(p->data, pkt->data, pkt->len);
	}
	r->sent++;
	pbuf_free(pkt);
}

static inline void rec_timer(void *arg, unsigned ms)
{
	struct rec *r = arg;

	r->timer_ms = ms;
	r->timer_calls++;
}

static inline uint32_t rec_rand(void *arg)
{
	struct rec *r = arg;

	r->seed = r->seed * 1103515245u + 12345u;
	return r->seed ^ (r->seed >> 16);
}

static inline void rec_event(void *arg, struct fsm *f, int ev, uint32_t val)
{
	struct rec *r = arg;

	(void)f;
	if (r->nevents < REC_MAXEV) {
		r->vals[r->nevents] = val;
		r->events[r->nevents++] = ev;
	}
}

static inline struct fsm_owner rec_owner(struct rec *r)
{
	struct fsm_owner o = { r, rec_send, rec_timer, rec_rand, rec_event };
	return o;
}

/* True when event ev was raised since the last reset. */
static inline bool rec_has_event(const struct rec *r, int ev)
{
	for (int i = 0; i < r->nevents; i++)
		if (r->events[i] == ev)
			return true;
	return false;
}

/* The last packet sent, or NULL. */
static inline const struct rec_pkt *rec_last(const struct rec *r)
{
	return r->npkts > 0 ? &r->pkts[r->npkts - 1] : NULL;
}

typedef void (*engine_input)(void *eng, const uint8_t *pkt, size_t len);

/* Deliver queued packets both ways until quiet; returns packets delivered. */
static inline int pump(struct rec *ra, void *a, engine_input ina,
		       struct rec *rb, void *b, engine_input inb)
{
	int n = 0;

	for (int round = 0; round < 200 && (ra->npkts > 0 || rb->npkts > 0); round++) {
		struct rec_pkt p;
		if (ra->npkts > 0) {
			p = ra->pkts[0];
			memmove(ra->pkts, ra->pkts + 1, sizeof(ra->pkts[0]) * (size_t)--ra->npkts);
			inb(b, p.data, p.len);
			n++;
		}
		if (rb->npkts > 0) {
			p = rb->pkts[0];
			memmove(rb->pkts, rb->pkts + 1, sizeof(rb->pkts[0]) * (size_t)--rb->npkts);
			ina(a, p.data, p.len);
			n++;
		}
	}
	return n;
}

#endif
