/*
 * The accounting dispatcher: one request goes to every enabled backend at
 * once; it is ok when all of them succeeded. In-flight requests are kept on
 * a list hanging off the daemon so that shutdown can wait for them and exit
 * can cancel them; a request whose asker went away (acct_forget) stays on
 * the list until its backends are done.
 */
#include "aaa/acct.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <event2/event.h>

#include "core/daemon.h"
#include "core/log.h"

/* The backend table, NULL-ended: radius-acct, then ext-acct, pam-acct and system-acct (r12ext). */
static const struct acct_backend *const backends[] = {
	&acct_backend_radius,
	NULL,
};
#define NBACKENDS (sizeof(backends) / sizeof(backends[0]) - 1)
#define MAXBACKENDS 4 /* radius, ext, pam, system */
_Static_assert(NBACKENDS <= MAXBACKENDS, "one slot per accounting backend");

struct acct_pending;

/* One backend's part of a request. */
struct acct_slot {
	struct acct_pending *owner;
	const struct acct_backend *be;
	struct acct_job *job; /* NULL once answered */
};

struct acct_pending {
	struct acct_pending *next, **pprev; /* d->acct_head list */
	struct daemon *d;
	acct_done_fn done;                  /* NULL once forgotten */
	void *arg;
	struct acct_reply reply;
	unsigned waiting;                   /* backend jobs not answered yet */
	struct event *deliver;              /* no job ran: report from the loop */
	enum acct_status status;
	char session_id[40];
	char link[ACCT_NAME_MAX];
	struct acct_slot slots[MAXBACKENDS];
};

const char *acct_status_name(enum acct_status s)
{
	switch (s) {
	case ACCT_START: return "START";
	case ACCT_STOP: return "STOP";
	case ACCT_UPDATE: return "UPDATE";
	}
	return "?";
}

void acct_split64(uint64_t v, uint32_t *low, uint32_t *giga)
{
	*low = (uint32_t)(v & 0xffffffffu);
	*giga = (uint32_t)(v >> 32);
}

/* radius.md §2.4: the first word(s) of the recorded reason decide; our own reasons are added. */
unsigned acct_terminate_cause(const char *reason)
{
	static const struct {
		const char *prefix;
		unsigned cause;
	} map[] = {
		{"Manual", 6},            /* Admin-Reset */
		{"Peer disconnect", 1},   /* User-Request */
		{"Admin shutdown", 7},    /* Admin-Reboot */
		{"Fatal shutdown", 11},   /* NAS-Reboot */
		{"Idle timeout", 4},      /* Idle-Timeout */
		{"Session timeout", 5},   /* Session-Timeout */
		{"Dropped", 2},           /* Lost-Carrier */
		{"Echo timeout", 3},      /* Lost-Service */
		{"Protocol error", 15},   /* Service-Unavailable */
		{"Login failed", 17},     /* User-Error */
		{"Decreased demand", 12}, /* Port-Unneeded */
		/* reasons of ours mpd5 does not have */
		{"Link destroyed", 6},    /* `destroy link`: the operator's, Admin-Reset */
		{"Bundle destroyed", 6},
		{"Interface configuration failed", 9}, /* NAS-Error */
		{"Accounting failed", 15}, /* acct-mandatory: Service-Unavailable */
	};
	if (reason == NULL || reason[0] == '\0')
		return 10; /* NAS-Request */
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		size_t n = strlen(map[i].prefix);
		/* a whole word: "Manual" but not "Manually..." */
		if (strncasecmp(reason, map[i].prefix, n) == 0 &&
		    (reason[n] == '\0' || reason[n] == ':' || reason[n] == ' ' || reason[n] == '('))
			return map[i].cause;
	}
	return 8; /* Port-Error */
}

static void pending_free(struct acct_pending *p)
{
	*p->pprev = p->next;
	if (p->next != NULL)
		p->next->pprev = p->pprev;
	if (p->d->acct_count > 0)
		p->d->acct_count--;
	if (p->d->acct_count == 0 && p->d->acct_draining)
		event_base_loopbreak(p->d->base);
	if (p->deliver != NULL)
		event_free(p->deliver);
	free(p);
}

/* Every backend answered: log the outcome, tell the asker if it is still there. */
static void pending_finish(struct acct_pending *p)
{
	log_msg(LG_AUTH, p->link, "Acct: %s session=%s result=%s%s%s", acct_status_name(p->status), p->session_id,
		p->reply.ok ? "ok" : "failed", p->reply.drop_user ? " drop-user=1" : "",
		p->done == NULL ? " (link gone)" : "");
	if (p->done != NULL)
		p->done(&p->reply, p->arg);
	pending_free(p);
}

static void on_deliver(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	pending_finish(arg);
}

static void job_done(bool ok, bool drop_user, void *arg)
{
	struct acct_slot *s = arg;
	struct acct_pending *p = s->owner;
	s->job = NULL;
	if (!ok) {
		p->reply.ok = false;
		log_pmsg(LG_AUTH, LP_WARNING, p->link, "Acct: %s %s session=%s failed", s->be->name,
			 acct_status_name(p->status), p->session_id);
	}
	if (drop_user)
		p->reply.drop_user = true;
	if (--p->waiting == 0)
		pending_finish(p);
}

struct acct_pending *acct_send(struct daemon *d, const struct acct_record *rec, acct_done_fn done, void *arg)
{
	struct acct_pending *p = calloc(1, sizeof(*p));
	if (p == NULL)
		return NULL;
	p->d = d;
	p->done = done;
	p->arg = arg;
	p->reply.ok = true;
	p->status = rec->status;
	snprintf(p->session_id, sizeof(p->session_id), "%s", rec->session_id);
	snprintf(p->link, sizeof(p->link), "%s", rec->link);
	p->next = d->acct_head;
	if (p->next != NULL)
		p->next->pprev = &p->next;
	p->pprev = &d->acct_head;
	d->acct_head = p;
	d->acct_count++;
	/* Count first, start after: a backend never answers from inside start(), but keep the
	 * count whole before any of them runs anyway. */
	for (size_t i = 0; backends[i] != NULL; i++) {
		p->slots[i].owner = p;
		p->slots[i].be = backends[i];
		if (rec->backends & (1u << backends[i]->opt))
			p->waiting++;
	}
	for (size_t i = 0; backends[i] != NULL; i++) {
		struct acct_slot *s = &p->slots[i];
		if (!(rec->backends & (1u << s->be->opt)))
			continue;
		s->job = s->be->start(d, rec, job_done, s);
		if (s->job == NULL) {
			log_pmsg(LG_AUTH, LP_WARNING, p->link, "Acct: %s %s session=%s could not be sent", s->be->name,
				 acct_status_name(p->status), p->session_id);
			p->reply.ok = false;
			p->waiting--;
		}
	}
	if (p->waiting == 0) {
		/* nothing in flight: report from the loop, as promised */
		p->deliver = event_new(d->base, -1, 0, on_deliver, p);
		if (p->deliver == NULL) {
			pending_free(p);
			return NULL;
		}
		event_active(p->deliver, 0, 0);
	}
	return p;
}

void acct_forget(struct acct_pending *p)
{
	if (p == NULL)
		return;
	p->done = NULL;
	p->arg = NULL;
}

unsigned acct_in_flight(const struct daemon *d)
{
	return d->acct_count;
}

static void drain_timeout(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct daemon *d = arg;
	event_base_loopbreak(d->base);
}

void acct_shutdown_wait(struct daemon *d, unsigned max_ms)
{
	if (d->acct_count == 0)
		return;
	log_msg(LG_NOTICE, NULL, "shutdown: waiting up to %u ms for %u accounting request(s)", max_ms, d->acct_count);
	struct event *t = evtimer_new(d->base, drain_timeout, d);
	if (t == NULL)
		return;
	struct timeval tv = {max_ms / 1000, (max_ms % 1000) * 1000};
	evtimer_add(t, &tv);
	d->acct_draining = true;
	event_base_dispatch(d->base);
	d->acct_draining = false;
	event_free(t);
	if (d->acct_count > 0)
		log_pmsg(LG_AUTH, LP_WARNING, NULL, "shutdown: %u accounting request(s) still unanswered, giving up",
			 d->acct_count);
}

void acct_abort_all(struct daemon *d)
{
	while (d->acct_head != NULL) {
		struct acct_pending *p = d->acct_head;
		for (size_t i = 0; backends[i] != NULL; i++) {
			if (p->slots[i].job != NULL) {
				p->slots[i].be->cancel(p->slots[i].job);
				p->slots[i].job = NULL;
			}
		}
		if (p->status == ACCT_STOP)
			log_pmsg(LG_AUTH, LP_WARNING, p->link, "Acct: STOP session=%s abandoned at exit", p->session_id);
		pending_free(p);
	}
}
