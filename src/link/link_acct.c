/*
 * A link's accounting (radius.md §2.6): Start when it joins its bundle,
 * Interim-Update on a timer, Stop when it leaves, each a copy of the
 * session handed to aaa/acct (which runs every enabled backend). The
 * link keeps track of its latest request only to skip an Update while one
 * is outstanding and to act on the answer; a request outlives its link.
 */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aaa/acct.h"
#include "bund/bund_ipcp.h"
#include "bund/bundle.h"
#include "core/daemon.h"
#include "core/log.h"
#include "iface/iface.h"
#include "link/link.h"
#include "link/link_ppp.h"

/* The AOPT_* bits of the accounting backends. */
#define ACCT_BACKENDS (1u << AOPT_RADIUS_ACCT | 1u << AOPT_EXT_ACCT | 1u << AOPT_PAM_ACCT | 1u << AOPT_SYSTEM_ACCT)

/* The callback's argument: the link by handle, never by pointer. */
struct acct_wait {
	struct daemon *d;
	struct handle h;
	enum acct_status status;
};

static void interim_cb(void *arg);

void link_acct_init(struct link *l)
{
	timer_init(&l->acct.interim, l->d->base, interim_cb, l);
}

/* Stop tracking the latest request: it goes on, but its answer no longer reaches us. */
static void acct_untrack(struct link *l)
{
	if (l->acct.req == NULL)
		return;
	acct_forget(l->acct.req);
	free(l->acct.wait);
	l->acct.req = NULL;
	l->acct.wait = NULL;
}

void link_acct_free(struct link *l)
{
	timer_stop(&l->acct.interim);
	acct_untrack(l);
}

void link_acct_auth_result(struct link *l, const struct auth_result *r, bool radius)
{
	struct link_acct *a = &l->acct;
	a->radius_authentic = radius;
	a->class_len = r->class_len <= sizeof(a->class_attr) ? r->class_len : 0;
	memcpy(a->class_attr, r->class_attr, a->class_len);
}

/* A new connection: nothing AAA said about an earlier one carries over. */
void link_acct_session_reset(struct link *l)
{
	struct link_acct *a = &l->acct;
	a->interim_interval = 0;
	a->limit_in = a->limit_out = 0;
	a->radius_authentic = false;
	a->class_len = a->state_len = 0;
}

/* The session as the backends see it now (radius.md §2.3, §5.4). */
static void record_fill(const struct link *l, enum acct_status st, struct acct_record *r)
{
	const struct bundle *b = l->bund;
	memset(r, 0, sizeof(*r));
	r->status = st;
	r->backends = l->auth.opts.enable;
	snprintf(r->session_id, sizeof(r->session_id), "%s", l->session_id);
	snprintf(r->user, sizeof(r->user), "%s", l->peer_authname);
	snprintf(r->link, sizeof(r->link), "%s", l->name);
	r->nas_port = l->index;
	snprintf(r->nas_port_type, sizeof(r->nas_port_type), "%s", l->dev->name);
	if (l->dev->peer_addr != NULL) {
		char buf[sizeof(r->calling)];
		const char *s = l->dev->peer_addr(l, buf, sizeof(buf));
		snprintf(r->calling, sizeof(r->calling), "%s", s != NULL ? s : "");
		snprintf(r->peer_addr, sizeof(r->peer_addr), "%s", s != NULL ? s : "");
	}
	const char *ident = link_ppp_peer_ident(l);
	snprintf(r->peer_ident, sizeof(r->peer_ident), "%s", ident != NULL ? ident : "");
	if (b != NULL) {
		snprintf(r->multi_session_id, sizeof(r->multi_session_id), "%s", b->msession_id);
		snprintf(r->bundle, sizeof(r->bundle), "%s", b->name);
		const char *ifn = iface_name(&b->iface);
		snprintf(r->iface, sizeof(r->iface), "%s", ifn);
		r->iface_index = ifn[0] != '\0' ? if_nametoindex(ifn) : 0;
		/* a Stop is sent as the link leaves: it still counts itself */
		r->link_count = (unsigned)b->nlinks + (st == ACCT_STOP ? 1u : 0u);
		r->framed_ip = bund_ipcp_peer(b);
	}
	const struct link_acct *a = &l->acct;
	r->radius_authentic = a->radius_authentic;
	r->class_len = a->class_len;
	memcpy(r->class_attr, a->class_attr, a->class_len);
	r->state_len = a->state_len;
	memcpy(r->state, a->state, a->state_len);
	if (st != ACCT_START) {
		r->in_octets = l->stats.in_octets;
		r->out_octets = l->stats.out_octets;
		r->in_packets = l->stats.in_frames;
		r->out_packets = l->stats.out_frames;
		time_t now = time(NULL);
		r->session_time = l->up_since != 0 && now > l->up_since ? (uint32_t)(now - l->up_since) : 0;
	}
	if (st == ACCT_STOP)
		snprintf(r->term_reason, sizeof(r->term_reason), "%s", l->down_reason);
}

static void acct_answer(const struct acct_reply *rep, void *arg)
{
	struct acct_wait *w = arg;
	struct link *l = link_by_handle(w->d, w->h);
	enum acct_status st = w->status;
	free(w);
	if (l == NULL)
		return;
	struct link_acct *a = &l->acct;
	a->req = NULL;
	a->wait = NULL;
	if (!rep->ok)
		a->failed++;
	snprintf(a->last, sizeof(a->last), "%s %s", acct_status_name(st), rep->ok ? "ok" : "failed");
	if (st == ACCT_STOP || !a->started)
		return; /* the session is over already */
	if (st == ACCT_START && !rep->ok && opt_enabled(&l->auth.opts, AOPT_ACCT_MANDATORY)) {
		log_pmsg(LG_AUTH, LP_WARNING, l->name, "Acct: START failed and acct-mandatory is on: closing");
		link_close(l, "Accounting failed");
		return;
	}
	if (rep->drop_user) {
		log_pmsg(LG_AUTH, LP_NOTICE, l->name, "Acct: the accounting server asks to drop the user: closing");
		link_close(l, "Manual");
	}
}

/* Hand a copy of the session to aaa/acct; the previous request goes on untracked. */
static void acct_send_now(struct link *l, enum acct_status st)
{
	struct acct_record *r = malloc(sizeof(*r));
	struct acct_wait *w = malloc(sizeof(*w));
	acct_untrack(l);
	if (r == NULL || w == NULL) {
		free(r);
		free(w);
		log_msg(LG_ERR, l->name, "Acct: out of memory, %s not sent", acct_status_name(st));
		return;
	}
	record_fill(l, st, r);
	*w = (struct acct_wait){.d = l->d, .h = link_handle(l), .status = st};
	log_msg(LG_AUTH, l->name, "Acct: %s session=%s multi_session=%s user=\"%s\" in_octets=%llu out_octets=%llu",
		acct_status_name(st), r->session_id, r->multi_session_id, r->user, (unsigned long long)r->in_octets,
		(unsigned long long)r->out_octets);
	l->acct.req = acct_send(l->d, r, acct_answer, w);
	free(r);
	if (l->acct.req == NULL) {
		free(w);
		l->acct.failed++;
		log_msg(LG_ERR, l->name, "Acct: out of memory, %s not sent", acct_status_name(st));
		return;
	}
	l->acct.wait = w;
	l->acct.req_status = st;
	l->acct.sent++;
}

/* Acct-Interim-Interval from AAA wins over `set auth acct-update` (commands.md §9.1). */
static unsigned interim_interval(const struct link *l)
{
	return l->acct.interim_interval > 0 ? l->acct.interim_interval : l->auth.acct_update;
}

static void interim_arm(struct link *l)
{
	unsigned s = interim_interval(l);
	if (s > 0)
		timer_start(&l->acct.interim, s * 1000);
}

/* radius.md §2.6: both limits set and neither direction moved that much since the last Update. */
static bool interim_quiet(const struct link *l)
{
	const struct link_acct *a = &l->acct;
	uint64_t lin = a->limit_in ? a->limit_in : l->auth.acct_limit_in;
	uint64_t lout = a->limit_out ? a->limit_out : l->auth.acct_limit_out;
	return lin != 0 && lout != 0 && l->stats.in_octets - a->last_in < lin && l->stats.out_octets - a->last_out < lout;
}

static void interim_cb(void *arg)
{
	struct link *l = arg;
	struct link_acct *a = &l->acct;
	if (!a->started)
		return;
	if (a->req != NULL) {
		a->skipped++;
		log_msg(LG_AUTH, l->name, "Acct: UPDATE skipped: the %s before it is still outstanding",
			acct_status_name(a->req_status));
	} else if (interim_quiet(l)) {
		a->skipped++;
		log_msg(LG_AUTH2, l->name, "Acct: UPDATE skipped: below update-limit-in/out");
	} else {
		a->last_in = l->stats.in_octets;
		a->last_out = l->stats.out_octets;
		acct_send_now(l, ACCT_UPDATE);
	}
	interim_arm(l);
}

void link_acct_start(struct link *l)
{
	struct link_acct *a = &l->acct;
	log_msg(LG_LINK, l->name, "Link: accounting start (session %s)", l->session_id);
	if ((l->auth.opts.enable & ACCT_BACKENDS) == 0)
		return;
	a->started = true;
	a->sent = a->failed = a->skipped = 0;
	a->last_in = l->stats.in_octets;
	a->last_out = l->stats.out_octets;
	acct_send_now(l, ACCT_START);
	interim_arm(l);
}

void link_acct_stop(struct link *l)
{
	struct link_acct *a = &l->acct;
	log_msg(LG_LINK, l->name, "Link: accounting stop (session %s)", l->session_id);
	timer_stop(&a->interim);
	if (!a->started)
		return;
	a->started = false;
	acct_send_now(l, ACCT_STOP);
}

void link_acct_show(struct cmd_ctx *c, const struct link *l)
{
	const struct link_acct *a = &l->acct;
	cmd_printf(c, "Accounting\n");
	cmd_printf(c, "\tUpdate limits   : in %llu, out %llu\n", (unsigned long long)l->auth.acct_limit_in,
		   (unsigned long long)l->auth.acct_limit_out);
	cmd_printf(c, "\tSession         : %s\n", a->started ? "started" : "not started");
	cmd_printf(c, "\tInterim interval: %u%s\n", interim_interval(l), a->interim_interval > 0 ? " (from AAA)" : "");
	cmd_printf(c, "\tOutstanding     : %s\n", a->req != NULL ? acct_status_name(a->req_status) : "none");
	cmd_printf(c, "\tLast result     : %s\n", a->last[0] ? a->last : "none");
	cmd_printf(c, "\tRequests        : %u sent, %u failed, %u updates skipped\n", a->sent, a->failed, a->skipped);
	cmd_printf(c, "\tIn flight (all) : %u\n", acct_in_flight(l->d));
}
