/* Internal to the multilink engine: the state shared by mp.c, mp_sched.c and mp_reasm.c. */
#ifndef MPD_PPP_MP_LOCAL_H
#define MPD_PPP_MP_LOCAL_H

#include "ppp/mp.h"

/* A member link as the sender and the receiver see it. */
struct mp_link {
	bool active;
	struct mp_link_param param;
	uint64_t busy_us;	/* virtual time its send backlog drains (usec) */
	bool rx_seen;		/* a fragment arrived since it joined */
	int64_t rx_last;	/* widened sequence number of that last fragment */
	struct mp_link_stats stats;
};

/* One fragment waiting for reassembly. */
struct mp_frag {
	struct mp_frag *prev, *next;
	int64_t seq;		/* widened */
	uint64_t arrived_ms;
	bool begin, end;
	struct pbuf *pb;	/* fragment data, header stripped */
};

struct mp {
	struct mp_conf conf;
	struct mp_owner owner;
	struct mp_link link[MP_MAX_LINKS];
	struct mp_stats stats;
	/* sending */
	uint32_t tx_seq;
	int rr_next;		/* round-robin: slot to try first */
	/* receiving */
	struct mp_frag *head, *tail;	/* sorted by seq, ascending */
	size_t nfrags;
	bool rx_any;		/* rx_top is valid */
	int64_t rx_top;		/* highest widened sequence number seen */
	bool synced;		/* rx_next is valid */
	int64_t rx_next;	/* lowest sequence number not yet consumed */
	bool discarding;	/* the packet at rx_next lost a fragment: skip to a B */
	uint64_t timer_at;	/* deadline the owner's timer is armed for, 0 = stopped */
};

/* Header length of a direction. */
static inline size_t mp_hdrlen(bool shortseq)
{
	return shortseq ? MP_HDR_SHORT : MP_HDR_LONG;
}

/* Receiving side: a link joined or left (M changes); flush everything on free. */
void mp_reasm_link_changed(struct mp *mp);
/* Drop every queued fragment without delivering. */
void mp_reasm_clear(struct mp *mp);
/* Commit a sent fragment of `bytes` to a link's virtual busy time. */
void mp_sched_commit(struct mp *mp, int slot, size_t bytes, uint64_t now_ms);

#endif
