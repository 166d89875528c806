/*
 * PADO delay (RFC 2516 §5.2 leaves the choice of AC to the host, and hosts
 * take the first PADO): an access concentrator that answers later than its
 * neighbours on the same segment gets fewer new sessions. The delay is a
 * step function of the sessions this daemon holds; the top step may be
 * "silent" (no PADO at all). PADIs waiting for their PADO sit in a bounded
 * queue per interface, so a PADI flood cannot grow memory without bound.
 * The parsing, the step function and the queue bookkeeping do no I/O; the
 * timers in the queue entries are armed by pppoe_server.c.
 */
#ifndef MPD_PPPOE_DELAY_H
#define MPD_PPPOE_DELAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/timer.h"
#include "dev/pppoe/pppoe_proto.h"

#define PPPOE_DELAY_STEPS 8         /* thresholds after the base delay */
#define PPPOE_DELAY_MAX_MS 10000    /* a client resends its PADI within seconds: more is pointless */
#define PPPOE_DELAY_SILENT (-1)     /* the step's answer: send no PADO */
#define PPPOE_PADO_WAIT_MAX 256     /* PADIs waiting for a delayed PADO, per interface */
#define PPPOE_PADO_UNIQ_MAX 64      /* Host-Uniq bytes compared to spot a repeated PADI */

/* One step: from `from` sessions held on, delay PADOs by `ms` (PPPOE_DELAY_SILENT: none). */
struct pppoe_delay_step {
	uint32_t from;
	int32_t ms;
};

/* `set pppoe pado-delay`: step[0].from is 0; n == 0 means no delay at all. */
struct pppoe_pado_delay {
	unsigned n;
	struct pppoe_delay_step step[PPPOE_DELAY_STEPS + 1];
};

/* Parse `{ms} [{ms}@{sessions} ...]` (ms may be "silent"); -1 with a reason in err. */
int pppoe_pado_delay_parse(struct pppoe_pado_delay *out, int ac, char *const *av, char *err, size_t errlen);
/* The delay in ms for a PADI arriving while `sessions` are held; PPPOE_DELAY_SILENT: no PADO. */
int pppoe_pado_delay_ms(const struct pppoe_pado_delay *d, size_t sessions);
/* The setting as `set pppoe pado-delay` takes it ("0" when off). */
void pppoe_pado_delay_text(const struct pppoe_pado_delay *d, char *buf, size_t len);

struct pppoe_padoq;

/* One PADI waiting for its PADO: its sender and tags as received, answered when the timer fires. */
struct pppoe_pado_wait {
	struct timer t;            /* armed by the owner; stopped before removal */
	struct pppoe_padoq *q;
	void *owner;               /* the interface the PADI came in on */
	unsigned slot;
	uint8_t mac[PPPOE_ETH_ALEN];
	uint8_t uniq[PPPOE_PADO_UNIQ_MAX];
	size_t uniq_len;
	bool has_uniq;
	size_t len;
	uint8_t tags[PPPOE_DISC_MAX];  /* the PADI's PPPoE payload */
};

/* The waiting PADIs of one interface and what the delay did there. */
struct pppoe_padoq {
	struct pppoe_pado_wait *w[PPPOE_PADO_WAIT_MAX];
	unsigned n;
	uint64_t delayed;   /* PADOs sent after a delay */
	uint64_t silent;    /* PADIs not answered: above the silent threshold */
	uint64_t full;      /* PADIs dropped: the queue was full */
};

/* The entry of the same peer MAC and Host-Uniq (a repeated PADI), or NULL. */
struct pppoe_pado_wait *pppoe_padoq_find(struct pppoe_padoq *q, const uint8_t mac[PPPOE_ETH_ALEN],
					 const struct pppoe_blob *uniq);
/* A new entry keyed by mac and uniq holding the PADI's tags (len bytes); NULL when full (counted),
 * too long or out of memory. */
struct pppoe_pado_wait *pppoe_padoq_add(struct pppoe_padoq *q, const uint8_t mac[PPPOE_ETH_ALEN],
					const struct pppoe_blob *uniq, const uint8_t *tags, size_t len);
/* Replace the tags kept in w (a repeated PADI carries the newest ones). */
void pppoe_padoq_refresh(struct pppoe_pado_wait *w, const uint8_t *tags, size_t len);
/* Remove and free w; its timer must be stopped already. */
void pppoe_padoq_remove(struct pppoe_pado_wait *w);

#endif
