/*
 * Bandwidth management and link slots (commands.md §3.4, §3.9): the
 * sampler ring and the decision rule, and their binding to a bundle.
 */
#include "bund/bund_bw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf/cmd.h"
#include "core/log.h"
#include "core/rand.h"
#include "core/timer.h"
#include "core/daemon.h"
#include "bund/bundle.h"
#include "link/link.h"

/* ---- the pure part ---- */

void bw_ring_reset(struct bw_ring *r)
{
	memset(r, 0, sizeof(*r));
}

void bw_ring_add(struct bw_ring *r, uint64_t octets_in, uint64_t octets_out, uint64_t bandwidth,
		 unsigned interval_ms)
{
	if (bandwidth < BW_MIN_BANDWIDTH)
		bandwidth = BW_MIN_BANDWIDTH;
	struct bw_sample *s = &r->s[r->next % BW_RING_SLOTS];
	/* octets fit 61 bits for any real counter delta; clamp so *8 can't wrap */
	s->bits_in = (octets_in > UINT64_MAX / 8 ? UINT64_MAX / 8 : octets_in) * 8;
	s->bits_out = (octets_out > UINT64_MAX / 8 ? UINT64_MAX / 8 : octets_out) * 8;
	s->capacity = bandwidth * interval_ms / 1000;
	r->next = (r->next + 1) % BW_RING_SLOTS;
	if (r->count < BW_RING_SLOTS)
		r->count++;
}

static unsigned pct(uint64_t bits, uint64_t cap)
{
	if (cap == 0)
		return 0;
	/* bits may be huge after a counter jump: divide first when *100 would wrap */
	uint64_t p = bits > UINT64_MAX / 100 ? bits / cap * 100 : bits * 100 / cap;
	return p > 100000 ? 100000 : (unsigned)p;
}

void bw_ring_util(const struct bw_ring *r, unsigned *in_pct, unsigned *out_pct)
{
	uint64_t in = 0, out = 0, cap = 0;
	for (unsigned i = 0; i < r->count && i < BW_RING_SLOTS; i++) {
		in += r->s[i].bits_in / 8;
		out += r->s[i].bits_out / 8;
		cap += r->s[i].capacity / 8;
	}
	/* summed in octets so six full-rate samples never overflow */
	*in_pct = pct(in, cap);
	*out_pct = pct(out, cap);
}

const char *bw_action_name(enum bw_action a)
{
	return a == BW_OPEN ? "open" : a == BW_CLOSE ? "close" : "none";
}

/* Seconds (rounded up) still to wait for `need` seconds since `since`; 0 when passed or never. */
static unsigned bw_wait(uint64_t now, uint64_t since, unsigned need)
{
	if (since == 0 || now >= since + (uint64_t)need * 1000)
		return 0;
	return (unsigned)((since + (uint64_t)need * 1000 - now + 999) / 1000);
}

enum bw_action bw_decide(const struct bw_ring *r, const struct bw_input *in, struct bw_verdict *v)
{
	memset(v, 0, sizeof(*v));
	bw_ring_util(r, &v->util_in, &v->util_out);
	unsigned hi = v->util_in > v->util_out ? v->util_in : v->util_out;
	if (r->count == 0 || in->nlinks == 0) {
		snprintf(v->reason, sizeof(v->reason), "no samples");
		return v->action = BW_NONE;
	}
	if (hi >= in->hiwat) {
		unsigned w = bw_wait(in->now_ms, in->last_add_ms, in->min_con);
		if (in->nconnecting > 0)
			snprintf(v->reason, sizeof(v->reason), "utilisation %u%% >= %u%%, a link is still connecting",
				 hi, in->hiwat);
		else if (w > 0)
			snprintf(v->reason, sizeof(v->reason), "utilisation %u%% >= %u%%, min-con: %us to wait",
				 hi, in->hiwat, w);
		else {
			snprintf(v->reason, sizeof(v->reason), "utilisation %u%% >= hiwat %u%%", hi, in->hiwat);
			return v->action = BW_OPEN;
		}
		return v->action = BW_NONE;
	}
	if (v->util_in < in->lowat && v->util_out < in->lowat && in->nlinks > 1) {
		unsigned w = bw_wait(in->now_ms, in->last_remove_ms, in->min_dis);
		if (w > 0) {
			snprintf(v->reason, sizeof(v->reason), "utilisation %u%% < %u%%, min-dis: %us to wait",
				 hi, in->lowat, w);
			return v->action = BW_NONE;
		}
		snprintf(v->reason, sizeof(v->reason), "utilisation %u%% < lowat %u%%", hi, in->lowat);
		return v->action = BW_CLOSE;
	}
	snprintf(v->reason, sizeof(v->reason), "utilisation %u%% within %u%%..%u%%", hi, in->lowat, in->hiwat);
	return v->action = BW_NONE;
}

/* ---- the bundle's state ---- */

/* Re-open 3 to 4 s after the last link was lost (§3.4). */
#define BW_REOPEN_MS 3000
#define BW_REOPEN_JITTER_MS 1000

struct bund_bw {
	struct bundle *b;
	struct handle inst[BUND_MAX_LINKS]; /* per slot: the link (or template clone) it opened */
	struct bw_ring ring;
	struct bw_verdict last;     /* last decision */
	uint64_t last_decision_ms;
	struct bw_verdict last_act; /* last decision that opened or closed a link */
	uint64_t last_act_ms;
	uint64_t last_add_ms, last_remove_ms, last_sample_ms;
	uint64_t mark_in, mark_out; /* bundle octet counters at the last sample */
	bool sampling;
	struct timer sample_timer, reopen_timer;
};

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000 + 1; /* never 0 */
}

/* A link that is doing anything: opened, connecting, up or closing. */
static bool link_busy(const struct link *l)
{
	return l->admin_open || l->dev_state != DEV_DOWN || l->phase != PHASE_DEAD;
}

/* Links b opened that have not joined it yet. Only bundles that open links of their own
 * (static, demand, bandwidth-managed) walk the links; template sessions never do. */
static unsigned bw_connecting_count(const struct bundle *b)
{
	if (!b->owns_links)
		return 0;
	struct handle me = bund_handle(b);
	unsigned n = 0, cur = 0;
	for (const struct link *l; (l = reg_next(&b->d->links, &cur)) != NULL;)
		if (handle_eq(l->owner, me) && l->bund == NULL && link_busy(l))
			n++;
	return n;
}

static void bw_sample_cb(void *arg);
static void bw_reopen_cb(void *arg);

static struct bund_bw *bw_get(struct bundle *b)
{
	if (b->bw != NULL)
		return b->bw;
	struct bund_bw *bw = calloc(1, sizeof(*bw));
	if (bw == NULL) {
		log_msg(LG_ERR, b->name, "Bundle: out of memory");
		return NULL;
	}
	bw->b = b;
	timer_init(&bw->sample_timer, b->d->base, bw_sample_cb, bw);
	timer_init(&bw->reopen_timer, b->d->base, bw_reopen_cb, bw);
	b->bw = bw;
	return bw;
}

void bund_bw_free(struct bundle *b)
{
	if (b->bw == NULL)
		return;
	timer_stop(&b->bw->sample_timer);
	timer_stop(&b->bw->reopen_timer);
	free(b->bw);
	b->bw = NULL;
}

static bool bw_managed(const struct bundle *b)
{
	return opt_enabled(&b->conf.opts, BOPT_BW_MANAGE);
}

/* The link a configured slot stands for, NULL when it names nothing usable. For a
 * template slot this is the clone it made last, or a new clone when create is set. */
static struct link *slot_link(struct bund_bw *bw, int i, bool create)
{
	struct bundle *b = bw->b;
	struct link *l = link_find(b->d, b->conf.links[i]);
	if (l == NULL)
		return NULL;
	if (l->kind != LINK_TEMPLATE)
		return l;
	struct link *inst = link_by_handle(b->d, bw->inst[i]);
	if (inst != NULL && inst->tmpl == l)
		return inst;
	inst = create ? link_instantiate(l) : NULL;
	bw->inst[i] = inst != NULL ? link_handle(inst) : HANDLE_NONE;
	return inst;
}

/* True when a non-template link's action list sends it to b unconditionally first. */
static bool link_targets(const struct link *l, const struct bundle *b)
{
	return l->kind != LINK_TEMPLATE && l->conf.nactions > 0 && l->conf.actions[0].kind == ACT_BUNDLE &&
	       l->conf.actions[0].pattern == NULL && strcmp(l->conf.actions[0].target, b->name) == 0;
}

/* Without `set bundle links`, the bundle's links are those it opened before or that
 * point at it with their first action. Fills ls, returns the count. */
static int implicit_links(struct bundle *b, struct link **ls)
{
	int n = 0;
	struct handle me = bund_handle(b);
	unsigned cur = 0;
	for (struct link *l; n < BUND_MAX_LINKS && (l = reg_next(&b->d->links, &cur)) != NULL;)
		if (l->kind != LINK_TEMPLATE && (handle_eq(l->owner, me) || link_targets(l, b)))
			ls[n++] = l;
	return n;
}

/* Bundle-level link options (mpd 4 compatible): multilink is on when the bundle has more
 * than one link unless set explicitly; shortseq only when set explicitly. */
static void apply_link_opts(struct bundle *b, struct link *l, int nslots)
{
	const struct bund_conf *bc = &b->conf;
	uint32_t ml = 1u << LOPT_MULTILINK, ss = 1u << LOPT_SHORTSEQ;
	if (bc->opts_set & (1u << BOPT_MULTILINK)) {
		if (opt_enabled(&bc->opts, BOPT_MULTILINK))
			l->conf.opts.enable |= ml;
		else
			l->conf.opts.enable &= ~ml;
	} else if (nslots > 1) {
		l->conf.opts.enable |= ml;
	}
	if (bc->opts_set & (1u << BOPT_SHORTSEQ)) {
		if (opt_enabled(&bc->opts, BOPT_SHORTSEQ)) {
			l->conf.opts.enable |= ss;
			l->conf.opts.accept |= ss;
		} else {
			l->conf.opts.enable &= ~ss;
			l->conf.opts.accept &= ~ss;
		}
	}
}

/* Open l for b; -1 when it is busy already. on_demand: opened for demand or bandwidth. */
static int bw_open_link(struct bundle *b, struct link *l, int nslots, bool on_demand, const char *reason)
{
	if (l == NULL || link_busy(l))
		return -1;
	l->owner = bund_handle(b);
	b->owns_links = true;
	apply_link_opts(b, l, nslots);
	if (on_demand)
		l->conf.max_redial = -1; /* the bundle decides when to try again (§3.7) */
	l->redials = 0;
	log_msg(LG_BUND, b->name, "Bundle: opening link \"%s\" (%s)", l->name, reason);
	link_open(l, reason);
	return 0;
}

/* Open the first free configured slot; the link opened, NULL when none could be. */
static struct link *bw_open_next(struct bund_bw *bw, bool on_demand, const char *reason)
{
	struct bundle *b = bw->b;
	if (b->conf.nlinks == 0) {
		struct link *ls[BUND_MAX_LINKS];
		int n = implicit_links(b, ls);
		for (int i = 0; i < n; i++)
			if (bw_open_link(b, ls[i], n, on_demand, reason) == 0)
				return ls[i];
		return NULL;
	}
	for (int i = 0; i < b->conf.nlinks; i++) {
		struct link *l = slot_link(bw, i, false);
		if (l != NULL && link_busy(l))
			continue;
		l = slot_link(bw, i, true);
		if (l == NULL) {
			log_msg(LG_BUND, b->name, "Bundle: link slot %d \"%s\" can't be opened", i + 1, b->conf.links[i]);
			continue;
		}
		if (bw_open_link(b, l, b->conf.nlinks, on_demand, reason) == 0)
			return l;
	}
	return NULL;
}

void bund_bw_open(struct bundle *b, const char *reason)
{
	struct bund_bw *bw = bw_get(b);
	b->open = true;
	if (bw == NULL)
		return;
	timer_stop(&bw->reopen_timer);
	bool managed = bw_managed(b);
	bool demand = iface_demand_made(&b->iface) && strcmp(reason, "Demand") == 0;
	if (managed) {
		/* one link to start with; more when traffic asks for them */
		if (b->nlinks > 0 || bund_bw_connecting(b))
			return;
		if (bw_open_next(bw, true, reason) != NULL)
			bw->last_add_ms = now_ms();
		else
			log_msg(LG_BUND, b->name, "Bundle: no link to open");
		return;
	}
	int opened = 0;
	while (bw_open_next(bw, demand, reason) != NULL)
		opened++;
	if (opened == 0 && b->nlinks == 0 && !bund_bw_connecting(b))
		log_msg(LG_BUND, b->name, "Bundle: no link to open");
}

bool bund_bw_connecting(const struct bundle *b)
{
	return bw_connecting_count(b) > 0;
}

void bund_bw_closed(struct bundle *b)
{
	if (b->bw == NULL)
		return;
	timer_stop(&b->bw->reopen_timer);
	timer_stop(&b->bw->sample_timer);
	b->bw->sampling = false;
}

static void bw_sample_start(struct bund_bw *bw)
{
	struct bundle *b = bw->b;
	bw_ring_reset(&bw->ring);
	bw->mark_in = b->stats.in_octets;
	bw->mark_out = b->stats.out_octets;
	bw->last_sample_ms = now_ms();
	bw->sampling = true;
	timer_start(&bw->sample_timer, b->conf.period * 1000 / BW_RING_SLOTS);
}

void bund_bw_link_joined(struct bundle *b, struct link *l)
{
	(void)l;
	struct bund_bw *bw = bw_get(b);
	if (bw == NULL)
		return;
	timer_stop(&bw->reopen_timer);
	if (b->nlinks == 1) {
		bw->last_add_ms = now_ms();
		bw->last_remove_ms = 0;
		memset(&bw->last, 0, sizeof(bw->last));
		bw->last_decision_ms = 0;
	}
	if (bw_managed(b) && !bw->sampling)
		bw_sample_start(bw);
}

static bool bw_has_links(struct bundle *b)
{
	struct link *ls[BUND_MAX_LINKS];
	return b->conf.nlinks > 0 || implicit_links(b, ls) > 0;
}

void bund_bw_link_left(struct bundle *b, struct link *l)
{
	(void)l;
	struct bund_bw *bw = b->bw;
	if (bw == NULL || b->nlinks > 0)
		return;
	timer_stop(&bw->sample_timer);
	bw->sampling = false;
	bool on_demand = iface_enabled(&b->iface, IOPT_ON_DEMAND);
	bool want = bw_managed(b) || b->conf.mpd4;
	if (want && b->open && !on_demand && !b->die && !opt_enabled(&b->conf.opts, BOPT_NORETRY) &&
	    !b->d->shutting_down && bw_has_links(b)) {
		unsigned ms = BW_REOPEN_MS + rand_below(BW_REOPEN_JITTER_MS);
		log_msg(LG_BUND, b->name, "Bundle: last link lost, re-opening in %u ms", ms);
		timer_start(&bw->reopen_timer, ms);
	}
}

static void bw_reopen_cb(void *arg)
{
	struct bund_bw *bw = arg;
	struct bundle *b = bw->b;
	if (b->nlinks > 0 || b->d->shutting_down)
		return;
	bund_bw_open(b, "Bundle re-open");
}

static uint64_t bw_bandwidth(const struct bundle *b)
{
	uint64_t bw = 0;
	for (int i = 0; i < b->nlinks; i++)
		if (b->links[i]->phase == PHASE_NETWORK)
			bw += b->links[i]->conf.bandwidth;
	return bw;
}


/* The joined link with the highest slot number (the last joined when none is a slot). */
static struct link *bw_highest(struct bund_bw *bw)
{
	struct bundle *b = bw->b;
	for (int i = b->conf.nlinks - 1; i >= 0; i--) {
		struct link *l = slot_link(bw, i, false);
		for (int j = 0; l != NULL && j < b->nlinks; j++)
			if (b->links[j] == l)
				return l;
	}
	return b->nlinks > 0 ? b->links[b->nlinks - 1] : NULL;
}

static void bw_act(struct bund_bw *bw, uint64_t now)
{
	struct bundle *b = bw->b;
	struct bw_verdict *v = &bw->last;
	if (v->action == BW_OPEN) {
		struct link *l = bw_open_next(bw, true, "Increased demand");
		if (l == NULL) {
			snprintf(v->reason + strlen(v->reason), sizeof(v->reason) - strlen(v->reason),
				 "; no free link slot");
			v->action = BW_NONE;
			return;
		}
		bw->last_add_ms = now;
		log_msg(LG_BUND, b->name, "Bundle: BoD: opening link \"%s\": %s", l->name, v->reason);
		bw->last_act = *v;
		bw->last_act_ms = now;
	} else if (v->action == BW_CLOSE) {
		struct link *l = bw_highest(bw);
		if (l == NULL)
			return;
		bw->last_remove_ms = now;
		log_msg(LG_BUND, b->name, "Bundle: BoD: closing link \"%s\" (Decreased demand): %s", l->name, v->reason);
		bw->last_act = *v;
		bw->last_act_ms = now;
		link_close(l, "Decreased demand");
	}
}

static void bw_sample_cb(void *arg)
{
	struct bund_bw *bw = arg;
	struct bundle *b = bw->b;
	uint64_t now = now_ms();
	uint64_t din = b->stats.in_octets - bw->mark_in, dout = b->stats.out_octets - bw->mark_out;
	bw->mark_in = b->stats.in_octets;
	bw->mark_out = b->stats.out_octets;
	unsigned interval = (unsigned)(now - bw->last_sample_ms);
	bw->last_sample_ms = now;
	bw_ring_add(&bw->ring, din, dout, bw_bandwidth(b), interval);
	struct bw_input in = {
		.nlinks = (unsigned)b->nlinks,
		.nconnecting = bw_connecting_count(b),
		.lowat = b->conf.lowat,
		.hiwat = b->conf.hiwat,
		.min_con = b->conf.min_con,
		.min_dis = b->conf.min_dis,
		.now_ms = now,
		.last_add_ms = bw->last_add_ms,
		.last_remove_ms = bw->last_remove_ms,
	};
	struct bw_verdict v;
	bw_decide(&bw->ring, &in, &v);
	log_msg(LG_BUND2, b->name, "Bundle: BoD sample in %llu out %llu octets in %u ms: %u%%/%u%%, %s (%s)",
		(unsigned long long)din, (unsigned long long)dout, interval, v.util_in, v.util_out,
		bw_action_name(v.action), v.reason);
	bw->last = v;
	bw->last_decision_ms = now;
	bw_act(bw, now);
	if (bw_managed(b) && b->nlinks > 0)
		timer_start(&bw->sample_timer, b->conf.period * 1000 / BW_RING_SLOTS);
	else
		bw->sampling = false;
}

void bund_bw_show(struct cmd_ctx *c, const struct bundle *b)
{
	const struct bund_bw *bw = b->bw;
	cmd_printf(c, "\tLink slots     : ");
	for (int i = 0; i < b->conf.nlinks; i++) {
		const struct link *l = link_find(b->d, b->conf.links[i]);
		const struct link *clone = bw != NULL ? link_by_handle(b->d, bw->inst[i]) : NULL;
		const struct link *inst = l != NULL && l->kind == LINK_TEMPLATE && clone != NULL ? clone : l;
		cmd_printf(c, "%s[%s] ", b->conf.links[i], inst == NULL ? "missing" :
			   inst->bund == b ? "joined" : link_busy(inst) ? "opening" : "free");
	}
	cmd_printf(c, "\n");
	bool managed = opt_enabled(&b->conf.opts, BOPT_BW_MANAGE);
	cmd_printf(c, "BoD status:\n\tBW-manage      : %s%s\n", managed ? "enabled" : "disabled",
		   bw != NULL && bw->sampling ? ", sampling" : "");
	if (bw == NULL)
		return;
	unsigned in, out;
	bw_ring_util(&bw->ring, &in, &out);
	cmd_printf(c, "\tUtilisation    : in %u%% out %u%% (%u of %d samples)\n", in, out, bw->ring.count,
		   BW_RING_SLOTS);
	if (bw->last_decision_ms != 0)
		cmd_printf(c, "\tLast decision  : %s (%s), %llu s ago\n", bw_action_name(bw->last.action),
			   bw->last.reason, (unsigned long long)((now_ms() - bw->last_decision_ms) / 1000));
	else
		cmd_printf(c, "\tLast decision  : none\n");
	if (bw->last_act_ms != 0)
		cmd_printf(c, "\tLast action    : %s (%s), %llu s ago\n", bw_action_name(bw->last_act.action),
			   bw->last_act.reason, (unsigned long long)((now_ms() - bw->last_act_ms) / 1000));
	if (timer_running(&bw->reopen_timer))
		cmd_printf(c, "\tRe-open in     : %u ms\n", timer_remain(&bw->reopen_timer));
}
