/* PADO delay: the setting, its step function and the queue of waiting PADIs (no I/O here). */
#include "dev/pppoe/pppoe_delay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_ms(const char *s, int32_t *ms)
{
	char *end;

	if (strcmp(s, "silent") == 0) {
		*ms = PPPOE_DELAY_SILENT;
		return 0;
	}
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > PPPOE_DELAY_MAX_MS)
		return -1;
	*ms = (int32_t)v;
	return 0;
}

static int parse_count(const char *s, uint32_t *n)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v == 0 || v > UINT32_MAX)
		return -1;
	*n = (uint32_t)v;
	return 0;
}

int pppoe_pado_delay_parse(struct pppoe_pado_delay *out, int ac, char *const *av, char *err, size_t errlen)
{
	struct pppoe_pado_delay d = {0};

	if (ac < 1 || ac > PPPOE_DELAY_STEPS + 1) {
		snprintf(err, errlen, "give a delay and at most %d {ms}@{sessions} steps", PPPOE_DELAY_STEPS);
		return -1;
	}
	if (parse_ms(av[0], &d.step[0].ms) < 0) {
		snprintf(err, errlen, "bad delay \"%s\" (0-%d ms or silent)", av[0], PPPOE_DELAY_MAX_MS);
		return -1;
	}
	d.n = 1;
	for (int i = 1; i < ac; i++) {
		char buf[32];
		char *at = strchr(av[i], '@');
		if (at == NULL || (size_t)(at - av[i]) >= sizeof(buf)) {
			snprintf(err, errlen, "bad step \"%s\" (want {ms}@{sessions})", av[i]);
			return -1;
		}
		memcpy(buf, av[i], (size_t)(at - av[i]));
		buf[at - av[i]] = '\0';
		struct pppoe_delay_step *s = &d.step[d.n];
		if (parse_ms(buf, &s->ms) < 0 || parse_count(at + 1, &s->from) < 0) {
			snprintf(err, errlen, "bad step \"%s\" (0-%d ms or silent, @ 1 or more sessions)", av[i],
				 PPPOE_DELAY_MAX_MS);
			return -1;
		}
		/* Steps in rising order: a lower threshold after a higher one would never apply. */
		if (s->from <= d.step[d.n - 1].from) {
			snprintf(err, errlen, "step \"%s\": session counts must rise from step to step", av[i]);
			return -1;
		}
		d.n++;
	}
	/* A lone 0 is the default: no delay, nothing to look up per PADI. */
	if (d.n == 1 && d.step[0].ms == 0)
		d.n = 0;
	*out = d;
	return 0;
}

int pppoe_pado_delay_ms(const struct pppoe_pado_delay *d, size_t sessions)
{
	int ms = 0;

	for (unsigned i = 0; i < d->n && sessions >= d->step[i].from; i++)
		ms = d->step[i].ms;
	return ms;
}

static void ms_text(int32_t ms, char *buf, size_t len)
{
	if (ms == PPPOE_DELAY_SILENT)
		snprintf(buf, len, "silent");
	else
		snprintf(buf, len, "%d", (int)ms);
}

void pppoe_pado_delay_text(const struct pppoe_pado_delay *d, char *buf, size_t len)
{
	char ms[16];
	size_t o = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (d->n == 0) {
		snprintf(buf, len, "0");
		return;
	}
	for (unsigned i = 0; i < d->n && o < len; i++) {
		ms_text(d->step[i].ms, ms, sizeof(ms));
		int w = i == 0 ? snprintf(buf + o, len - o, "%s", ms)
			       : snprintf(buf + o, len - o, " %s@%u", ms, (unsigned)d->step[i].from);
		if (w < 0)
			break;
		o += (size_t)w;
	}
}

static bool uniq_fits(const struct pppoe_blob *uniq)
{
	return !uniq->set || uniq->len <= PPPOE_PADO_UNIQ_MAX;
}

struct pppoe_pado_wait *pppoe_padoq_find(struct pppoe_padoq *q, const uint8_t mac[PPPOE_ETH_ALEN],
					 const struct pppoe_blob *uniq)
{
	size_t ulen = uniq->set ? uniq->len : 0;

	if (!uniq_fits(uniq))
		return NULL;
	for (unsigned i = 0; i < q->n; i++) {
		struct pppoe_pado_wait *w = q->w[i];
		if (memcmp(w->mac, mac, PPPOE_ETH_ALEN) == 0 && w->has_uniq == uniq->set && w->uniq_len == ulen &&
		    (ulen == 0 || memcmp(w->uniq, uniq->p, ulen) == 0))
			return w;
	}
	return NULL;
}

void pppoe_padoq_refresh(struct pppoe_pado_wait *w, const uint8_t *tags, size_t len)
{
	if (len > sizeof(w->tags))
		return;
	memcpy(w->tags, tags, len);
	w->len = len;
}

struct pppoe_pado_wait *pppoe_padoq_add(struct pppoe_padoq *q, const uint8_t mac[PPPOE_ETH_ALEN],
					const struct pppoe_blob *uniq, const uint8_t *tags, size_t len)
{
	if (q->n >= PPPOE_PADO_WAIT_MAX) {
		q->full++;
		return NULL;
	}
	if (len > PPPOE_DISC_MAX)
		return NULL;
	struct pppoe_pado_wait *w = calloc(1, sizeof(*w));
	if (w == NULL)
		return NULL;
	w->q = q;
	memcpy(w->mac, mac, PPPOE_ETH_ALEN);
	/* A Host-Uniq too long to keep makes every PADI of that peer a new entry: still bounded. */
	w->has_uniq = uniq->set && uniq_fits(uniq);
	w->uniq_len = w->has_uniq ? uniq->len : 0;
	if (w->uniq_len > 0)
		memcpy(w->uniq, uniq->p, w->uniq_len);
	pppoe_padoq_refresh(w, tags, len);
	w->slot = q->n;
	q->w[q->n++] = w;
	return w;
}

void pppoe_padoq_remove(struct pppoe_pado_wait *w)
{
	struct pppoe_padoq *q = w->q;

	/* The last entry moves into the hole: removal stays O(1). */
	q->w[w->slot] = q->w[--q->n];
	q->w[w->slot]->slot = w->slot;
	q->w[q->n] = NULL;
	free(w);
}
