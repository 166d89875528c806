/* Multilink fragment scheduling: equal arrival time across links (see mp.h). */
#include <string.h>

#include "ppp/mp_local.h"

/*
 * A link's virtual backlog is capped: when the owner pushes more than the
 * configured bandwidths admit (a default 64 kbit/s on a fast device), all
 * links sit at the cap and shares fall back to the bandwidth ratio, and a
 * link that joins later catches up within this time instead of taking
 * all traffic until it matches hours of backlog.
 */
#define MP_MAX_BACKLOG_US 2000000u

/* One link as a candidate in the current round. */
struct cand {
	int slot;
	double base;	/* earliest arrival of a first byte, usec after now */
	double rate;	/* bytes per usec */
	size_t room;	/* fragment data one frame holds */
	bool out;	/* left out of this round (share under the floor) */
	bool capped;	/* share fixed at room */
	double share;
	size_t bytes;
};

static int cand_collect(const struct mp *mp, uint64_t now_ms, struct cand *c)
{
	uint64_t now_us = now_ms * 1000u;
	size_t hl = mp_hdrlen(mp->conf.tx_shortseq);
	int n = 0;

	for (int i = 0; i < MP_MAX_LINKS; i++) {
		const struct mp_link *l = &mp->link[i];

		if (!l->active)
			continue;
		memset(&c[n], 0, sizeof(c[n]));
		c[n].slot = i;
		c[n].base = (double)(l->busy_us > now_us ? l->busy_us - now_us : 0) + l->param.latency;
		c[n].rate = l->param.bandwidth / 8e6;
		c[n].room = l->param.mtu - hl;
		n++;
	}
	return n;
}

/* Candidates not out and not capped, sorted by base (insertion sort: n <= 16). */
static int free_sorted(struct cand *c, int n, struct cand **f)
{
	int k = 0;

	for (int i = 0; i < n; i++) {
		if (c[i].out || c[i].capped)
			continue;
		int j = k++;
		while (j > 0 && f[j - 1]->base > c[i].base) {
			f[j] = f[j - 1];
			j--;
		}
		f[j] = &c[i];
	}
	return k;
}

/* Shares equalising arrival time for `len` bytes, each capped at its room. */
static void waterfill(struct cand *c, int n, size_t len)
{
	struct cand *f[MP_MAX_LINKS];
	double fixed = 0;

	for (int i = 0; i < n; i++) {
		c[i].capped = false;
		c[i].share = 0;
	}
	for (;;) {
		int k = free_sorted(c, n, f);
		if (k == 0)
			return;
		double left = (double)len - fixed, sr = 0, srb = 0, t = 0;
		int used = 0;
		while (used < k) {
			sr += f[used]->rate;
			srb += f[used]->rate * f[used]->base;
			t = (left + srb) / sr;
			used++;
			if (used < k && t <= f[used]->base)
				break;
		}
		bool again = false;
		for (int i = 0; i < k; i++) {
			f[i]->share = i < used ? (t - f[i]->base) * f[i]->rate : 0;
			if (f[i]->share > (double)f[i]->room) {
				f[i]->share = (double)f[i]->room;
				f[i]->capped = true;
				fixed += (double)f[i]->room;
				again = true;
			}
		}
		if (!again)
			return;
	}
}

/* Whole bytes from the shares, adding up to exactly `total`. */
static void round_bytes(struct cand *c, int n, size_t total)
{
	size_t sum = 0;

	for (int i = 0; i < n; i++) {
		double s = c[i].out ? 0 : c[i].share + 1e-6;
		c[i].bytes = s < 1 ? 0 : (size_t)s;	/* truncation: shares are not negative */
		if (c[i].bytes > c[i].room)
			c[i].bytes = c[i].room;
		if (sum + c[i].bytes > total)
			c[i].bytes = total - sum;
		sum += c[i].bytes;
	}
	/* Rounding leftovers go to links already used, then to any with room. */
	for (int pass = 0; pass < 2 && sum < total; pass++) {
		for (int i = 0; i < n && sum < total; i++) {
			if (c[i].out || (pass == 0 && c[i].bytes == 0))
				continue;
			size_t add = c[i].room - c[i].bytes;
			if (add > total - sum)
				add = total - sum;
			c[i].bytes += add;
			sum += add;
		}
	}
}

static size_t room_total(const struct cand *c, int n)
{
	size_t r = 0;

	for (int i = 0; i < n; i++)
		if (!c[i].out)
			r += c[i].room;
	return r;
}

/* The link where `len` bytes alone arrive first. */
static int best_single(const struct cand *c, int n, size_t len)
{
	int best = -1;
	double bt = 0;

	for (int i = 0; i < n; i++) {
		size_t b = len < c[i].room ? len : c[i].room;
		double t = c[i].base + (double)b / c[i].rate;
		if (best < 0 || t < bt) {
			best = i;
			bt = t;
		}
	}
	return best;
}

/* One round: at most one fragment per link; returns the bytes placed. */
static size_t plan_round(struct cand *c, int n, size_t rem)
{
	for (int i = 0; i < n; i++)
		c[i].out = false;
	for (;;) {
		size_t rt = room_total(c, n);
		size_t total = rem < rt ? rem : rt;
		waterfill(c, n, rem);
		round_bytes(c, n, total);
		int used = 0, small = -1;
		for (int i = 0; i < n; i++) {
			if (c[i].bytes == 0)
				continue;
			used++;
			if (small < 0 || c[i].bytes < c[small].bytes)
				small = i;
		}
		if (used > 1 && c[small].bytes < MP_MIN_FRAG && c[small].bytes < c[small].room) {
			c[small].out = true;
			continue;
		}
		if (used == 1 && total == rem) {
			/* Whole on one link: the one where it lands first, not just the first free. */
			int b = best_single(c, n, rem);
			for (int i = 0; i < n; i++) {
				c[i].out = i != b;
				c[i].bytes = i == b ? (rem < c[i].room ? rem : c[i].room) : 0;
			}
			return c[b].bytes;
		}
		return total;
	}
}

/* Fragments of one round in order of their first byte's arrival. */
static int emit_round(struct cand *c, int n, size_t hl, int nf, int order[MP_MAX_FRAGS],
		      size_t bytes[MP_MAX_FRAGS])
{
	struct cand *f[MP_MAX_LINKS];
	int k = 0;

	for (int i = 0; i < n; i++) {
		if (c[i].bytes == 0)
			continue;
		int j = k++;
		while (j > 0 && f[j - 1]->base > c[i].base) {
			f[j] = f[j - 1];
			j--;
		}
		f[j] = &c[i];
	}
	for (int i = 0; i < k; i++) {
		if (nf >= MP_MAX_FRAGS)
			return -1;
		order[nf] = f[i]->slot;
		bytes[nf] = f[i]->bytes;
		nf++;
		/* later rounds see this link busy for what it was just given */
		f[i]->base += (double)(f[i]->bytes + hl) / f[i]->rate;
	}
	return nf;
}

static int plan_rr(const struct mp *mp, const struct cand *c, int n, size_t len,
		   int order[MP_MAX_FRAGS], size_t bytes[MP_MAX_FRAGS])
{
	const struct cand *pick = NULL;

	for (int i = 0; i < n && pick == NULL; i++)
		if (c[i].slot >= mp->rr_next)
			pick = &c[i];
	if (pick == NULL)
		pick = &c[0];
	int nf = 0;
	for (size_t off = 0; off < len; off += pick->room) {
		if (nf >= MP_MAX_FRAGS)
			return -1;
		order[nf] = pick->slot;
		bytes[nf] = len - off < pick->room ? len - off : pick->room;
		nf++;
	}
	return nf;
}

int mp_plan(const struct mp *mp, size_t len, uint64_t now_ms, int order[MP_MAX_FRAGS],
	    size_t bytes[MP_MAX_FRAGS])
{
	struct cand c[MP_MAX_LINKS];
	int n = cand_collect(mp, now_ms, c);
	int nf = 0;

	if (n == 0 || len == 0)
		return -1;
	if (mp->conf.round_robin)
		return plan_rr(mp, c, n, len, order, bytes);
	for (size_t rem = len; rem > 0;) {
		size_t placed = plan_round(c, n, rem);
		if (placed == 0)
			return -1;
		nf = emit_round(c, n, mp_hdrlen(mp->conf.tx_shortseq), nf, order, bytes);
		if (nf < 0)
			return -1;
		rem -= placed;
	}
	return nf;
}

void mp_sched_commit(struct mp *mp, int slot, size_t bytes, uint64_t now_ms)
{
	struct mp_link *l = &mp->link[slot];
	uint64_t now_us = now_ms * 1000u;
	uint64_t start = l->busy_us > now_us ? l->busy_us : now_us;

	l->busy_us = start + (uint64_t)bytes * 8000000u / l->param.bandwidth;
	if (l->busy_us > now_us + MP_MAX_BACKLOG_US)
		l->busy_us = now_us + MP_MAX_BACKLOG_US;
}
