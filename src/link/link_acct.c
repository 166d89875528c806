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
#include "dev/pppoe/pppoe.h"
#include "iface/iface.h"
#include "link/link.h"
#include "link/link_ppp.h"

/* The AOPT_* bits of the accounting backends. */
#define ACCT_BACKENDS (1u << AOPT_RADIUS_ACCT | 1u << AOPT_EXT_ACCT | 1u << AOPT_PAM_ACCT | 1u << AOPT_SYSTEM_ACCT)

/* The link's accounting backends; mpd 4's `set bundle enable radius-acct` adds RADIUS. */
static uint32_t link_acct_backends(const struct link *l)
{
	uint32_t on = l->auth.opts.enable & ACCT_BACKENDS;
	if (l->bund != NULL && opt_enabled(&l->bund->conf.opts, BOPT_RADIUS_ACCT))
		on |= 1u << AOPT_RADIUS_ACCT;
	return on;
}

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

void link_acct_auth_result(struct link *l, const struct auth_result *r)
{
	struct link_acct *a = &l->acct;
	a->radius_authentic = r->source == AUTH_SRC_RADIUS;
	a->class_len = r->class_len <= sizeof(a->class_attr) ? r->class_len : 0;
	memcpy(a->class_attr, r->class_attr, a->class_len);
	a->state_len = r->state_len <= sizeof(a->state) ? r->state_len : 0;
	memcpy(a->state, r->state, a->state_len);
	a->interim_interval = r->acct_interim != AUTH_UNSET_U32 ? r->acct_interim : 0;
	a->limit_in = r->acct_lim_recv != AUTH_UNSET_U32 ? r->acct_lim_recv : 0;
	a->limit_out = r->acct_lim_xmit != AUTH_UNSET_U32 ? r->acct_lim_xmit : 0;
	a->framed_mask_set = r->framed_netmask_set;
	a->framed_mask = r->framed_netmask;
}

/* RADIUS NAS-Port-Type by device (radius.md §2.1). */
static int nas_port_type(const char *dev)
{
	if (strcmp(dev, "pppoe") == 0)
		return 15; /* Ethernet */
	if (strcmp(dev, "modem") == 0)
		return 0;  /* Async */
	if (strcmp(dev, "ng") == 0)
		return 1;  /* Sync */
	return 5;          /* Virtual: pptp, l2tp, tcp, udp */
}

/* A new connection: nothing AAA said about an earlier one carries over. */
void link_acct_session_reset(struct link *l)
{
	struct link_acct *a = &l->acct;
	a->interim_interval = 0;
	a->limit_in = a->limit_out = 0;
	a->radius_authentic = false;
	a->class_len = a->state_len = 0;
	a->framed_mask_set = false;
}

/* A PPPoE relay's agent id as text (printable bytes only, the rest dropped). */
static void agent_id(const struct link *l, size_t (*get)(const struct link *, const uint8_t **), char *out, size_t cap)
{
	const uint8_t *p = NULL;
	size_t n = get(l, &p), o = 0;
	for (size_t i = 0; p != NULL && i < n && o + 1 < cap; i++)
		if (p[i] >= 0x20 && p[i] < 0x7f)
			out[o++] = (char)p[i];
	out[o] = '\0';
}

/* The session as the backends see it now (radius.md §2.3, §5.4). */
static void record_fill(const struct link *l, enum acct_status st, struct acct_record *r)
{
	const struct bundle *b = l->bund;
	memset(r, 0, sizeof(*r));
	r->status = st;
	r->backends = link_acct_backends(l);
	snprintf(r->session_id, sizeof(r->session_id), "%s", l->session_id);
	snprintf(r->user, sizeof(r->user), "%s", l->peer_authname);
	snprintf(r->link, sizeof(r->link), "%s", l->name);
	r->nas_port = l->index;
	snprintf(r->nas_port_type, sizeof(r->nas_port_type), "%s", l->dev->name);
	r->nas_port_type_value = nas_port_type(l->dev->name);
	r->radius = l->auth.radius;
	snprintf(r->ext_script, sizeof(r->ext_script), "%s", l->auth.extacct_script);
	if (l->dev->peer_addr != NULL) {
		char buf[sizeof(r->calling)];
		const char *s = l->dev->peer_addr(l, buf, sizeof(buf));
		snprintf(r->calling, sizeof(r->calling), "%s", s != NULL ? s : "");
		snprintf(r->peer_addr, sizeof(r->peer_addr), "%s", s != NULL ? s : "");
	}
	if (strcmp(l->dev->name, "pppoe") == 0 && l->dev_priv != NULL) {
		/* the peer's MAC, and TR-101 agent ids: self name = circuit id, peer name = remote id */
		snprintf(r->peer_mac, sizeof(r->peer_mac), "%.*s", (int)sizeof(r->peer_mac) - 1, r->calling);
		snprintf(r->peer_iface, sizeof(r->peer_iface), "%s", pppoe_session_iface(l));
		pppoe_called_id(l, r->called, sizeof(r->called));
		agent_id(l, pppoe_agent_circuit_id, r->self_name, sizeof(r->self_name));
		agent_id(l, pppoe_agent_remote_id, r->peer_name, sizeof(r->peer_name));
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
	r->framed_mask_set = a->framed_mask_set;
	r->framed_mask = a->framed_mask;
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

/* The station ids of a session do not change: the Start's stand in when the device no longer knows them. */
static void keep_calling(struct link *l, enum acct_status st, struct acct_record *r)
{
	if (st == ACCT_START) {
		snprintf(l->acct.calling, sizeof(l->acct.calling), "%s", r->calling);
		return;
	}
	if (r->calling[0] != '\0' || l->acct.calling[0] == '\0')
		return;
	snprintf(r->calling, sizeof(r->calling), "%s", l->acct.calling);
	snprintf(r->peer_addr, sizeof(r->peer_addr), "%s", l->acct.calling);
	if (strcmp(l->dev->name, "pppoe") == 0)
		snprintf(r->peer_mac, sizeof(r->peer_mac), "%.*s", (int)sizeof(r->peer_mac) - 1, l->acct.calling);
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
	keep_calling(l, st, r);
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
		log_msg(LG_AUTH, l->name, "Acct: UPDATE skipped: below update-limit-in/out");
	} else {
		a->last_in = l->stats.in_octets;
		a->last_out = l->stats.out_octets;
		acct_send_now(l, ACCT_UPDATE);
	}
	interim_arm(l);
}

/* The session's first record (radius.md §2.6): the interim timer starts with it. */
static void acct_begin(struct link *l)
{
	struct link_acct *a = &l->acct;
	a->start_pending = false;
	a->started = true;
	a->sent = a->failed = a->skipped = 0;
	a->last_in = l->stats.in_octets;
	a->last_out = l->stats.out_octets;
	acct_send_now(l, ACCT_START);
	interim_arm(l);
}

/* The bundle's NCPs are up (or it runs none): a Start now has the peer's address to report. */
static bool ncps_up(const struct bundle *b)
{
	return !opt_enabled(&b->conf.opts, BOPT_IPCP) || iface_ipv4_is_up(&b->iface);
}

void link_acct_start(struct link *l)
{
	log_msg(LG_LINK, l->name, "Link: accounting start (session %s)", l->session_id);
	if (link_acct_backends(l) == 0)
		return;
	if (l->bund != NULL && !ncps_up(l->bund)) {
		l->acct.start_pending = true; /* bund_ipcp_up calls link_acct_ncp_up */
		return;
	}
	acct_begin(l);
}

void link_acct_ncp_up(struct link *l)
{
	if (l->acct.start_pending)
		acct_begin(l);
}

void link_acct_stop(struct link *l)
{
	struct link_acct *a = &l->acct;
	log_msg(LG_LINK, l->name, "Link: accounting stop (session %s)", l->session_id);
	timer_stop(&a->interim);
	a->start_pending = false; /* NCPs never came up: no Start went out, so no Stop either */
	if (!a->started)
		return;
	a->started = false;
	acct_send_now(l, ACCT_STOP);
}

void link_acct_set_interim(struct link *l, uint32_t secs)
{
	l->acct.interim_interval = secs;
	if (!l->acct.started)
		return; /* the Start arms it */
	timer_stop(&l->acct.interim);
	interim_arm(l);
}

void link_acct_set_class(struct link *l, const uint8_t *cls, size_t len)
{
	struct link_acct *a = &l->acct;
	a->class_len = len <= sizeof(a->class_attr) ? len : 0;
	memcpy(a->class_attr, cls, a->class_len);
}

void link_acct_show(struct cmd_ctx *c, const struct link *l)
{
	const struct link_acct *a = &l->acct;
	cmd_printf(c, "Accounting\n");
	if (a->limit_in || a->limit_out)
		cmd_printf(c, "\tLimits from AAA : in %llu, out %llu\n", (unsigned long long)a->limit_in,
			   (unsigned long long)a->limit_out);
	cmd_printf(c, "\tSession         : %s\n", a->started ? "started" : a->start_pending ? "waiting for the NCPs" : "not started");
	cmd_printf(c, "\tInterim interval: %u%s\n", interim_interval(l), a->interim_interval > 0 ? " (from AAA)" : "");
	cmd_printf(c, "\tOutstanding     : %s\n", a->req != NULL ? acct_status_name(a->req_status) : "none");
	cmd_printf(c, "\tLast result     : %s\n", a->last[0] ? a->last : "none");
	cmd_printf(c, "\tRequests        : %u sent, %u failed, %u updates skipped\n", a->sent, a->failed, a->skipped);
	cmd_printf(c, "\tIn flight (all) : %u\n", acct_in_flight(l->d));
}
