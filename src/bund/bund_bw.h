/*
 * Bandwidth management ("rubber bandwidth", commands.md §3.9) and the
 * bundle's link slots (`set bundle links`): which links opening a bundle
 * starts, adding one when traffic is high and dropping one when it is low,
 * and re-opening after the last link was lost (§3.4, F-118).
 *
 * The sampler and the decision are pure (bw_ring_*, bw_decide) so they are
 * unit-tested without a loop; the rest binds them to a bundle's timers.
 */
#ifndef MPD_BUND_BW_H
#define MPD_BUND_BW_H

#include <stdbool.h>
#include <stdint.h>

struct bundle;
struct link;
struct cmd_ctx;

#define BW_RING_SLOTS 6      /* samples per averaging period */
#define BW_MIN_BANDWIDTH 9600 /* bit/s counted at least, whatever the links say */

/* One sampling interval: bits carried each way and what the links could carry. */
struct bw_sample {
	uint64_t bits_in, bits_out;
	uint64_t capacity; /* available bit/s x interval */
};

/* The last BW_RING_SLOTS intervals. */
struct bw_ring {
	struct bw_sample s[BW_RING_SLOTS];
	unsigned next;  /* slot the next sample goes to */
	unsigned count; /* valid samples, at most BW_RING_SLOTS */
};

enum bw_action { BW_NONE, BW_OPEN, BW_CLOSE };

/* What the decision looks at besides the ring. Times are monotonic ms; 0 = never. */
struct bw_input {
	unsigned nlinks;       /* links joined (NETWORK phase) */
	unsigned nconnecting;  /* links the bundle opened that have not joined yet */
	unsigned lowat, hiwat; /* percent */
	unsigned min_con, min_dis; /* seconds */
	uint64_t now_ms, last_add_ms, last_remove_ms;
};

/* The decision, with the averages it used and why, for the log and `show bundle`. */
struct bw_verdict {
	enum bw_action action;
	unsigned util_in, util_out; /* percent, averaged over the ring */
	char reason[112];
};

/* Empty the ring. */
void bw_ring_reset(struct bw_ring *r);
/* Record one interval: octets each way, the available bandwidth (bit/s) and its length. */
void bw_ring_add(struct bw_ring *r, uint64_t octets_in, uint64_t octets_out, uint64_t bandwidth,
		 unsigned interval_ms);
/* Average utilisation of each direction over the ring, in percent (0 when empty). */
void bw_ring_util(const struct bw_ring *r, unsigned *in_pct, unsigned *out_pct);
/* The §3.9 rule over the ring and the input: open one link, close one, or nothing. */
enum bw_action bw_decide(const struct bw_ring *r, const struct bw_input *in, struct bw_verdict *v);
/* Name of an action for logs ("open", "close", "none"). */
const char *bw_action_name(enum bw_action a);

/* `open bund` (and a demand packet): open every link slot, or the first free one with
 * bw-manage; reason is the links' up reason. */
void bund_bw_open(struct bundle *b, const char *reason);
/* The bundle was closed: no more sampling or re-opening. */
void bund_bw_closed(struct bundle *b);
/* Link l has joined b (b->links already holds it). */
void bund_bw_link_joined(struct bundle *b, struct link *l);
/* Link l has left b (already removed; b->open not yet cleared for the last one). */
void bund_bw_link_left(struct bundle *b, struct link *l);
/* True while a link the bundle opened is still on its way up. */
bool bund_bw_connecting(const struct bundle *b);
/* Free the bundle's management state (bundle freed). */
void bund_bw_free(struct bundle *b);
/* `show bundle` lines: slots, BoD state, utilisation, last decision. */
void bund_bw_show(struct cmd_ctx *c, const struct bundle *b);

#endif
