/*
 * The link's protocol engines: LCP, and PAP/CHAP (MD5, MS-CHAP v1/v2)/EAP
 * in both directions, with the owner callbacks they need (frames, timers,
 * randomness, verdicts), the keep-alive tick, the overall authentication
 * timer and the MPPE keys an MS-CHAP exchange leaves behind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aaa/auth.h"
#include "bund/bundle.h"
#include "core/log.h"
#include "core/pbuf.h"
#include "core/rand.h"
#include "core/timer.h"
#include "core/daemon.h"
#include "link/link.h"
#include "dev/pppoe/pppoe.h"
#include "link/link_ppp.h"
#include "ppp/chap.h"
#include "ppp/eap.h"
#include "ppp/lcp.h"
#include "ppp/mschap.h"
#include "ppp/pap.h"
#include "ppp/proto.h"

struct link_ppp {
	struct link *l;
	struct lcp lcp;
	struct pap pap;
	struct chap chap;
	struct eap eap;
	struct timer lcp_timer, pap_timer, chap_timer, eap_timer, auth_timer, ka_timer;
	bool need_peer, need_self;   /* directions still to finish */
	enum lcp_auth auth_peer, auth_self;
	char peer_result[96], self_result[96];
	char self_name[AUTH_MAXNAME]; /* the name we authenticated as */
	/* MPPE keys: from the peer's authentication when it was MS-CHAP, else from ours */
	struct mschap_keys keys;
	bool keys_from_peer;
	struct auth_wait *peer_wait, *self_wait; /* requests outstanding in aaa/ */
};

static void ppp_send(void *arg, uint16_t proto, struct pbuf *pkt)
{
	struct link_ppp *p = arg;
	link_send(p->l, proto, pkt);
}

/* ---- timers ---- */

static void ppp_arm(struct timer *t, unsigned ms)
{
	if (ms == 0)
		timer_stop(t);
	else
		timer_start(t, ms);
}

static void lcp_timer_set(void *arg, unsigned ms) { ppp_arm(&((struct link_ppp *)arg)->lcp_timer, ms); }
static void pap_timer_set(void *arg, unsigned ms) { ppp_arm(&((struct link_ppp *)arg)->pap_timer, ms); }
static void chap_timer_set(void *arg, unsigned ms) { ppp_arm(&((struct link_ppp *)arg)->chap_timer, ms); }
static void eap_timer_set(void *arg, unsigned ms) { ppp_arm(&((struct link_ppp *)arg)->eap_timer, ms); }
static void lcp_timer_cb(void *arg) { fsm_timeout(&((struct link_ppp *)arg)->lcp.fsm); }
static void pap_timer_cb(void *arg) { pap_timeout(&((struct link_ppp *)arg)->pap); }
static void chap_timer_cb(void *arg) { chap_timeout(&((struct link_ppp *)arg)->chap); }
static void eap_timer_cb(void *arg) { eap_timeout(&((struct link_ppp *)arg)->eap); }

static void ka_cb(void *arg)
{
	struct link_ppp *p = arg;
	struct link *l = p->l;
	bool seen = l->rx_seen;
	l->rx_seen = false;
	if (lcp_keepalive(&p->lcp, seen) < 0) {
		log_pmsg(LG_LINK, LP_WARNING, l->name, "Link: no reply to %u echo requests",
			 l->conf.ka_max / l->conf.ka_interval);
		snprintf(l->down_reason, sizeof(l->down_reason), "Echo timeout");
		l->dev->close(l); /* a link failure: the redial policy decides what follows */
		return;
	}
	timer_start(&p->ka_timer, l->conf.ka_interval * 1000);
}

static void auth_timer_cb(void *arg)
{
	struct link_ppp *p = arg;
	link_auth_failed(p->l, "Authentication timeout");
}

/* ---- authentication phase ---- */

static void auth_maybe_done(struct link_ppp *p)
{
	if (p->need_peer || p->need_self)
		return;
	timer_stop(&p->auth_timer);
	/* mpd5 identifies itself on entering NETWORK, before joining a bundle (RFC 1570 §2.1) */
	if (p->l->conf.ident[0] != '\0') {
		if (lcp_send_ident(&p->lcp, p->l->conf.ident) < 0)
			log_msg(LG_LCP, p->l->name, "LCP: can't send Identification");
		else
			log_msg(LG_LCP2, p->l->name, "LCP: sent Identification \"%s\"", p->l->conf.ident);
	}
	link_phase_network(p->l);
}

static void auth_direction_done(struct link_ppp *p, bool server, bool ok, const char *msg)
{
	struct link *l = p->l;
	char *res = server ? p->peer_result : p->self_result;
	snprintf(res, sizeof(p->peer_result), "%s%s%.80s", ok ? "success" : "failure", !ok && msg && *msg ? ": " : "",
		 ok || msg == NULL ? "" : msg);
	if (!ok) {
		char reason[128];
		snprintf(reason, sizeof(reason), "%s failed: %s", server ? "Peer authentication" : "Authentication by peer",
			 msg && *msg ? msg : "Login incorrect");
		link_auth_failed(l, reason);
		return;
	}
	log_msg(LG_AUTH, l->name, "Auth: %s %s", server ? "peer" : "we", server ? "authenticated" : "were authenticated");
	if (server)
		p->need_peer = false;
	else
		p->need_self = false;
	auth_maybe_done(p);
}

/* ---- asking aaa/ ---- */

/* One request outstanding in aaa/. The link holds it to cancel it; the answer finds the link
 * again through its handle, because the peer may have hung up while the backend thought. */
struct auth_wait {
	struct daemon *d;
	struct handle h;
	struct auth_pending *pending;
	enum auth_method method;
};

static struct auth_wait *auth_wait_new(struct link *l, enum auth_method m)
{
	struct auth_wait *w = calloc(1, sizeof(*w));
	if (w != NULL)
		*w = (struct auth_wait){.d = l->d, .h = link_handle(l), .method = m};
	return w;
}

static void auth_wait_cancel(struct auth_wait **wp)
{
	if (*wp == NULL)
		return;
	auth_cancel((*wp)->pending);
	free(*wp);
	*wp = NULL;
}

/* The engines an answer is for: only while the link exists and still waits for this very request. */
static struct link_ppp *auth_wait_owner(struct auth_wait *w, bool self)
{
	struct link *l = link_by_handle(w->d, w->h);
	if (l == NULL || l->ppp == NULL)
		return NULL;
	struct auth_wait **slot = self ? &l->ppp->self_wait : &l->ppp->peer_wait;
	if (*slot != w)
		return NULL;
	*slot = NULL;
	return l->ppp;
}

static void auth_refusal(struct auth_result *r, const char *msg, unsigned ms_error)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->msg, sizeof(r->msg), "%s", msg);
	r->ms_error = ms_error;
}

/* Answer the engine that asked; MS-CHAP also takes the error code, authenticator and keys. */
static void peer_answer(struct link_ppp *p, enum auth_method m, const struct auth_result *r)
{
	switch (m) {
	case AUTH_PAP:
		pap_server_result(&p->pap, r->ok, r->msg);
		break;
	case AUTH_EAP_MD5:
		eap_server_result(&p->eap, r->ok);
		break;
	case AUTH_CHAP_MD5:
		chap_server_result(&p->chap, r->ok, r->msg);
		break;
	case AUTH_MSCHAP_V1:
	case AUTH_MSCHAP_V2: {
		struct chap_verdict vd = {.ok = r->ok, .msg = r->msg, .ms_error = r->ms_error, .authresp = r->authresp};
		if (r->ok) {
			p->keys = r->keys;
			p->keys_from_peer = true;
		}
		chap_server_verdict(&p->chap, &vd);
		break;
	}
	}
}

/* `set auth max-logins` counts per link template (linux.md), not globally. */
static bool max_logins_reached(struct link *l, const char *name)
{
	unsigned max = l->auth.max_logins;
	if (max == 0 || bunds_count_peer(l->d, l->tmpl, name, l->auth.max_logins_ci) < max)
		return false;
	log_msg(LG_AUTH, l->name, "Auth: user \"%s\" reached max-logins %u", name, max);
	return true;
}

/* What only the link knows, judged before any backend is asked: 0, or -1 with the refusal in r. */
static int peer_precheck(struct link *l, const char *name, struct auth_result *r)
{
	snprintf(l->peer_authname, sizeof(l->peer_authname), "%.*s", (int)sizeof(l->peer_authname) - 1, name);
	if (name[0] == '\0')
		auth_refusal(r, "Empty login name", MSCHAP_E_AUTH_FAILURE);
	else if (link_action_drops(l, name))
		auth_refusal(r, "Login dropped by action", MSCHAP_E_NO_DIALIN);
	else if (max_logins_reached(l, name))
		auth_refusal(r, "Login limit reached", MSCHAP_E_NO_DIALIN);
	else
		return 0;
	return -1;
}

/* The answer for the peer's login, from the loop. */
static void peer_auth_done(const struct auth_result *r, void *arg)
{
	struct auth_wait *w = arg;
	struct link_ppp *p = auth_wait_owner(w, false);
	enum auth_method m = w->method;
	free(w);
	if (p == NULL)
		return;
	struct link *l = p->l;
	char why[128];
	if (r->ok && link_authz_accept(l, r, why, sizeof(why)) < 0) {
		struct auth_result refused;
		auth_refusal(&refused, "Login refused", MSCHAP_E_NO_DIALIN);
		peer_answer(p, m, &refused);
		return;
	}
	/* another session of this login may have come up while the backend thought */
	if (r->ok && max_logins_reached(l, l->peer_authname)) {
		struct auth_result lim;
		auth_refusal(&lim, "Login limit reached", MSCHAP_E_NO_DIALIN);
		peer_answer(p, m, &lim);
		return;
	}
	if (r->ok) {
		link_acct_auth_result(l, r);
		l->peer_range_set = r->peer_range_set;
		l->peer_range = r->peer_range;
		l->peer_range_width = r->peer_range_width;
	}
	peer_answer(p, m, r);
}

/* Who asks, for the backends' log lines and for RADIUS later. */
/* RADIUS NAS-Port-Type of a device (radius.md §2.1, RFC 2865 §5.41). */
static int request_port_type(const char *dev)
{
	if (strcmp(dev, "pppoe") == 0)
		return 15; /* Ethernet */
	if (strcmp(dev, "modem") == 0)
		return 0;  /* Async */
	return 5;          /* Virtual: pptp, l2tp, tcp, udp */
}

/* A PPPoE relay's agent id as text (printable bytes only). */
static void request_agent_id(const struct link *l, size_t (*get)(const struct link *, const uint8_t **), char *out,
			     size_t cap)
{
	const uint8_t *p = NULL;
	size_t n = get(l, &p), o = 0;
	for (size_t i = 0; p != NULL && i < n && o + 1 < cap; i++)
		if (p[i] >= 0x20 && p[i] < 0x7f)
			out[o++] = (char)p[i];
	out[o] = '\0';
}

static void request_fill(const struct link *l, struct auth_request *q)
{
	q->backends = l->auth.opts.enable;
	q->radius = l->auth.radius;
	q->timeout = l->auth.timeout;
	snprintf(q->link_name, sizeof(q->link_name), "%s", l->name);
	q->nas_port = l->index;
	snprintf(q->session_id, sizeof(q->session_id), "%s", l->session_id);
	if (l->dev->peer_addr != NULL) {
		char buf[sizeof(q->calling)];
		const char *s = l->dev->peer_addr(l, buf, sizeof(buf));
		snprintf(q->calling, sizeof(q->calling), "%s", s != NULL ? s : "");
	}
	snprintf(q->dev_type, sizeof(q->dev_type), "%s", l->dev->name);
	q->nas_port_type = request_port_type(l->dev->name);
	if (strcmp(l->dev->name, "pppoe") == 0 && l->dev_priv != NULL) {
		char buf[sizeof(q->called)];
		snprintf(q->called, sizeof(q->called), "%s", pppoe_called_id(l, buf, sizeof(buf)));
		snprintf(q->nas_port_id, sizeof(q->nas_port_id), "%s", pppoe_session_iface(l));
		/* TR-101 (RFC 4679): what a PPPoE relay told us about the subscriber line */
		request_agent_id(l, pppoe_agent_circuit_id, q->agent_circuit_id, sizeof(q->agent_circuit_id));
		request_agent_id(l, pppoe_agent_remote_id, q->agent_remote_id, sizeof(q->agent_remote_id));
	}
	if (l->ppp != NULL)
		snprintf(q->peer_ident, sizeof(q->peer_ident), "%.*s", (int)sizeof(q->peer_ident) - 1, l->ppp->lcp.peer_ident);
}

/* Copy the exchange's bytes; anything longer than we ever send cannot match anyway. */
static void request_bytes(struct auth_request *q, const uint8_t *chal, size_t clen, const uint8_t *resp, size_t rlen)
{
	q->challenge_len = clen <= sizeof(q->challenge) ? clen : 0;
	memcpy(q->challenge, chal, q->challenge_len);
	q->response_len = rlen <= sizeof(q->response) ? rlen : 0;
	memcpy(q->response, resp, q->response_len);
}

/* Ask aaa/ about the peer's login; the engine waits in its verify state for the answer. */
static void peer_auth_start(struct link_ppp *p, struct auth_request *q)
{
	struct link *l = p->l;
	struct auth_result r;
	if (peer_precheck(l, q->name, &r) < 0) {
		peer_answer(p, q->method, &r);
		return;
	}
	request_fill(l, q);
	auth_wait_cancel(&p->peer_wait);
	struct auth_wait *w = auth_wait_new(l, q->method);
	if (w != NULL && (w->pending = auth_start(l->d, q, peer_auth_done, w)) != NULL) {
		p->peer_wait = w;
		return;
	}
	free(w);
	log_msg(LG_ERR, l->name, "Auth: out of memory");
	auth_refusal(&r, "Login incorrect", MSCHAP_E_AUTH_FAILURE);
	peer_answer(p, q->method, &r);
}

static void pap_verify(void *arg, struct pap *pap, const char *name, const char *password)
{
	(void)pap;
	struct auth_request q = {.method = AUTH_PAP};
	snprintf(q.name, sizeof(q.name), "%s", name);
	snprintf(q.peer_name, sizeof(q.peer_name), "%s", name);
	snprintf(q.password, sizeof(q.password), "%s", password);
	peer_auth_start(arg, &q);
	explicit_bzero(&q, sizeof(q));
}
static void pap_done(void *arg, struct pap *pap, bool server, bool ok, const char *msg)
{
	(void)pap;
	auth_direction_done(arg, server, ok, msg);
}

static void chap_verify(void *arg, struct chap *chap, const struct chap_verify *v)
{
	(void)chap;
	struct link_ppp *p = arg;
	struct auth_request q = {.id = v->id};
	q.method = v->alg == CHAP_ALG_MSV2 ? AUTH_MSCHAP_V2 : v->alg == CHAP_ALG_MSV1 ? AUTH_MSCHAP_V1 : AUTH_CHAP_MD5;
	/* keep-ms-domain: look up and report "DOMAIN\\user" as sent, else only "user" (F-099) */
	bool strip = q.method != AUTH_CHAP_MD5 && !opt_enabled(&p->l->conf.opts, LOPT_KEEP_MS_DOMAIN);
	snprintf(q.name, sizeof(q.name), "%s", strip ? mschap_strip_domain(v->name) : v->name);
	snprintf(q.peer_name, sizeof(q.peer_name), "%s", v->name);
	request_bytes(&q, v->challenge, v->challenge_len, v->response, v->response_len);
	peer_auth_start(p, &q);
	explicit_bzero(&q, sizeof(q));
}
static void chap_done(void *arg, struct chap *chap, bool server, bool ok, const char *msg)
{
	struct link_ppp *p = arg;
	const struct mschap_keys *k = chap_client_keys(chap);
	if (!server && ok && k != NULL && !p->keys_from_peer)
		p->keys = *k;
	auth_direction_done(p, server, ok, msg);
}

static void eap_verify(void *arg, struct eap *eap, const struct eap_verify *v)
{
	(void)eap;
	struct auth_request q = {.method = AUTH_EAP_MD5, .id = v->id};
	snprintf(q.name, sizeof(q.name), "%s", v->identity);
	snprintf(q.peer_name, sizeof(q.peer_name), "%s", v->identity);
	request_bytes(&q, v->challenge, v->challenge_len, v->response, v->response_len);
	peer_auth_start(arg, &q);
	explicit_bzero(&q, sizeof(q));
}
static enum eap_next eap_identity(void *arg, struct eap *eap, const char *identity)
{
	struct link_ppp *p = arg;
	(void)eap;
	log_msg(LG_AUTH, p->l->name, "EAP: peer identity \"%s\"", identity);
	/* radius-proxy is stored and shown, but relaying needs the RADIUS client: go on natively */
	if (opt_enabled(&p->l->auth.eap_opts, EOPT_RADIUS_PROXY))
		log_msg(LG_AUTH, p->l->name, "EAP: radius-proxy is not available yet, using EAP-MD5");
	return EAP_NEXT_NATIVE;
}

static void eap_proxy(void *arg, struct eap *eap, const uint8_t *pkt, size_t len)
{
	(void)arg;
	(void)pkt;
	(void)len;
	eap_proxy_result(eap, false, NULL, 0);
}

static void eap_done(void *arg, struct eap *eap, bool server, bool ok, const char *msg)
{
	(void)eap;
	auth_direction_done(arg, server, ok, msg);
}

/* The CHAP algorithm of a negotiated method. */
static uint8_t chap_alg(enum lcp_auth a)
{
	return a == LCP_AUTH_CHAPMSV2 ? CHAP_ALG_MSV2 : a == LCP_AUTH_CHAPMSV1 ? CHAP_ALG_MSV1 : CHAP_ALG_MD5;
}

#define NO_OWN_CREDENTIALS "No credentials to authenticate to the peer (set auth authname/password)"

/* Start our side towards the peer with these credentials. */
static int self_auth_go(struct link_ppp *p, const struct auth_own *own)
{
	int rc;
	snprintf(p->self_name, sizeof(p->self_name), "%s", own->name);
	if (p->auth_self == LCP_AUTH_PAP)
		rc = pap_client_start(&p->pap, own->name, own->password);
	else if (p->auth_self == LCP_AUTH_EAP)
		rc = eap_client_start(&p->eap, own->name, own->password, strlen(own->password));
	else
		rc = chap_client_start_alg(&p->chap, own->name, own->password, strlen(own->password),
					   chap_alg(p->auth_self));
	if (rc < 0)
		link_auth_failed(p->l, "Can't start authentication to the peer");
	return rc;
}

/* Our password came from a `!program`: start our side now (the peer repeats its challenge). */
static void self_creds_done(const struct auth_own *own, void *arg)
{
	struct auth_wait *w = arg;
	struct link_ppp *p = auth_wait_owner(w, true);
	free(w);
	if (p == NULL)
		return;
	if (own == NULL)
		link_auth_failed(p->l, NO_OWN_CREDENTIALS);
	else
		self_auth_go(p, own);
}

static int auth_start_self(struct link_ppp *p)
{
	struct link *l = p->l;
	struct auth_own own;
	struct auth_pending *pending;
	struct auth_wait *w = auth_wait_new(l, AUTH_PAP);
	if (w == NULL) {
		link_auth_failed(l, "Can't start authentication to the peer");
		return -1;
	}
	int rc = auth_own_credentials(l->d, l->auth.authname, l->auth.password, &own, self_creds_done, w, &pending);
	if (rc == 1) {
		snprintf(p->self_name, sizeof(p->self_name), "%s", l->auth.authname);
		w->pending = pending;
		p->self_wait = w;
		return 0;
	}
	free(w);
	if (rc < 0) {
		link_auth_failed(l, NO_OWN_CREDENTIALS);
		return -1;
	}
	rc = self_auth_go(p, &own);
	explicit_bzero(&own, sizeof(own));
	return rc;
}

static void auth_phase_start(struct link_ppp *p)
{
	struct link *l = p->l;
	auth_wait_cancel(&p->peer_wait);
	auth_wait_cancel(&p->self_wait);
	p->auth_peer = p->lcp.neg.auth_peer;
	p->auth_self = p->lcp.neg.auth_self;
	p->need_peer = p->auth_peer != LCP_AUTH_NONE;
	p->need_self = p->auth_self != LCP_AUTH_NONE;
	p->peer_result[0] = p->self_result[0] = '\0';
	p->self_name[0] = '\0';
	explicit_bzero(&p->keys, sizeof(p->keys));
	p->keys_from_peer = false;
	link_authz_clear(l);
	link_phase_auth(l);
	if (!p->need_peer && !p->need_self) {
		auth_maybe_done(p);
		return;
	}
	log_msg(LG_AUTH, l->name, "Auth: peer uses %s, we use %s", lcp_auth_name(p->auth_peer),
		lcp_auth_name(p->auth_self));
	timer_start(&p->auth_timer, l->auth.timeout * 1000);
	if (p->need_self && auth_start_self(p) < 0)
		return;
	const char *ourname = l->auth.authname[0] ? l->auth.authname : "mpd5";
	if (p->auth_peer == LCP_AUTH_PAP)
		pap_server_start(&p->pap);
	else if (p->auth_peer == LCP_AUTH_EAP)
		eap_server_start(&p->eap, ourname);
	else if (p->need_peer)
		chap_server_start_alg(&p->chap, ourname, chap_alg(p->auth_peer));
}

static void auth_phase_stop(struct link_ppp *p)
{
	auth_wait_cancel(&p->peer_wait);
	auth_wait_cancel(&p->self_wait);
	timer_stop(&p->auth_timer);
	pap_stop(&p->pap);
	chap_stop(&p->chap);
	eap_stop(&p->eap);
	timer_stop(&p->pap_timer);
	timer_stop(&p->chap_timer);
	timer_stop(&p->eap_timer);
}

/* ---- LCP events ---- */

static void lcp_event(void *arg, struct fsm *f, int ev, uint32_t val)
{
	struct link_ppp *p = arg;
	struct link *l = p->l;
	switch (ev) {
	case FSM_EV_UP:
		if (l->conf.ka_interval > 0) {
			l->rx_seen = true;
			timer_start(&p->ka_timer, l->conf.ka_interval * 1000);
		}
		auth_phase_start(p);
		break;
	case FSM_EV_DOWN:
		/* the peer's Terminate-Request: the session ends at the user's request (radius.md §2.4) */
		if (l->down_reason[0] == '\0' && f->reason != NULL && strcmp(f->reason, "Peer terminated") == 0)
			snprintf(l->down_reason, sizeof(l->down_reason), "Peer disconnect");
		timer_stop(&p->ka_timer);
		auth_phase_stop(p);
		link_lcp_down(l);
		break;
	case FSM_EV_FINISHED:
		link_lcp_finished(l);
		break;
	case LCP_EV_LOOPBACK:
		log_pmsg(LG_LCP, LP_WARNING, l->name, "LCP: the link appears to be looped back");
		snprintf(l->down_reason, sizeof(l->down_reason), "Loopback detected");
		l->dev->close(l);
		break;
	case LCP_EV_PROTREJ:
		/* lcp logged it; an NCP the peer refuses stops at once (RFC 1661 §5.7: RXJ-) */
		if (l->bund != NULL)
			bund_protocol_rejected(l->bund, (uint16_t)val);
		break;
	case LCP_EV_IDENT:
		log_msg(LG_LCP, l->name, "LCP: peer ident \"%s\"", p->lcp.peer_ident);
		break;
	default:
		break;
	}
}

static uint32_t lcp_bits(uint32_t link_bits)
{
	static const struct { unsigned from, to; } map[] = {
		{LOPT_PAP, LCP_O_PAP}, {LOPT_CHAP_MD5, LCP_O_CHAPMD5}, {LOPT_CHAP_MSV1, LCP_O_CHAPMSV1},
		{LOPT_CHAP_MSV2, LCP_O_CHAPMSV2}, {LOPT_EAP, LCP_O_EAP}, {LOPT_ACFCOMP, LCP_O_ACFCOMP},
		{LOPT_PROTOCOMP, LCP_O_PROTOCOMP}, {LOPT_MAGICNUM, LCP_O_MAGICNUM},
		{LOPT_CHECK_MAGIC, LCP_O_CHECKMAGIC}, {LOPT_PASSIVE, LCP_O_PASSIVE},
		{LOPT_CALLBACK, LCP_O_CALLBACK}, {LOPT_NO_ORIG_AUTH, LCP_O_NOORIGAUTH},
		{LOPT_MULTILINK, LCP_O_MULTILINK}, {LOPT_SHORTSEQ, LCP_O_SHORTSEQ},
	};
	uint32_t out = 0;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (link_bits >> map[i].from & 1)
			out |= 1u << map[i].to;
	return out;
}

/* Multilink: the MRRU we announce and the daemon's discriminator (commands.md §1.3). */
static void link_ppp_mp_conf(const struct link *l, struct lcp_conf *lc)
{
	const struct daemon *d = l->d;
	lc->mrru = (uint16_t)l->conf.mrru;
	lc->disc.class = (uint8_t)d->self_disc_class;
	lc->disc.len = (uint8_t)(d->self_disc_len <= sizeof(d->self_disc) ? d->self_disc_len : 0);
	memcpy(lc->disc.addr, d->self_disc, lc->disc.len);
}

struct link_ppp *link_ppp_new(struct link *l)
{
	struct link_ppp *p = calloc(1, sizeof(*p));
	if (p == NULL)
		return NULL;
	p->l = l;
	struct event_base *base = l->d->base;
	timer_init(&p->lcp_timer, base, lcp_timer_cb, p);
	timer_init(&p->pap_timer, base, pap_timer_cb, p);
	timer_init(&p->chap_timer, base, chap_timer_cb, p);
	timer_init(&p->eap_timer, base, eap_timer_cb, p);
	timer_init(&p->auth_timer, base, auth_timer_cb, p);
	timer_init(&p->ka_timer, base, ka_cb, p);

	unsigned devmax = l->dev->mtu ? l->dev->mtu(l) : l->dev->mtu_max;
	struct lcp_conf lc = {
		.name = l->name,
		.mru = (uint16_t)(l->conf.mru < devmax ? l->conf.mru : devmax),
		.max_mru = (uint16_t)devmax,
		.mtu = (uint16_t)(l->conf.mtu < devmax ? l->conf.mtu : devmax),
		.accmap = l->conf.accmap,
		.async = false, /* no async-framed device exists yet */
		.originated = !l->incoming_call,
		.timeout = l->conf.fsm_timeout,
		.ka_sec = l->conf.ka_interval,
		.ka_max = l->conf.ka_max,
		.opts = {lcp_bits(l->conf.opts.enable), lcp_bits(l->conf.opts.accept)},
	};
	link_ppp_mp_conf(l, &lc);
	struct fsm_owner fo = {p, ppp_send, lcp_timer_set, rand_owner_u32, lcp_event};
	lcp_init(&p->lcp, &lc, &fo);

	struct pap_conf pc = {.name = l->name, .timeout = l->conf.fsm_timeout, .max_tries = 10};
	struct pap_owner po = {p, ppp_send, pap_timer_set, pap_verify, pap_done};
	pap_init(&p->pap, &pc, &po);
	struct chap_conf cc = {.name = l->name, .timeout = l->conf.fsm_timeout, .max_tries = 5};
	struct chap_owner co = {p, ppp_send, chap_timer_set, rand_owner_u32, chap_verify, chap_done};
	chap_init(&p->chap, &cc, &co);
	const struct optset *eo = &l->auth.eap_opts;
	struct eap_conf ec = {.name = l->name, .timeout = l->conf.fsm_timeout, .max_tries = 5,
			      .md5_enable = opt_enabled(eo, EOPT_MD5), .md5_accept = opt_accepted(eo, EOPT_MD5),
			      .radius_proxy = opt_enabled(eo, EOPT_RADIUS_PROXY)};
	struct eap_owner eow = {p, ppp_send, eap_timer_set, rand_owner_u32, eap_identity, eap_verify, eap_proxy, eap_done};
	eap_init(&p->eap, &ec, &eow);
	return p;
}

void link_ppp_free(struct link_ppp *p)
{
	if (p == NULL)
		return;
	auth_phase_stop(p);
	timer_stop(&p->lcp_timer);
	timer_stop(&p->ka_timer);
	explicit_bzero(&p->keys, sizeof(p->keys));
	free(p);
}

void link_ppp_lower_up(struct link *l)
{
	/* The device knows what it carries only now (PPPoE: after PPP-Max-Payload was agreed),
	 * and LCP builds its first request from these when the lower layer comes up. */
	unsigned devmax = l->dev->mtu ? l->dev->mtu(l) : l->dev->mtu_max;
	struct lcp_conf *lc = &l->ppp->lcp.conf;
	lc->mru = (uint16_t)(l->conf.mru < devmax ? l->conf.mru : devmax);
	lc->max_mru = (uint16_t)devmax;
	lc->mtu = (uint16_t)(l->conf.mtu < devmax ? l->conf.mtu : devmax);
	fsm_up(&l->ppp->lcp.fsm);
}

void link_ppp_lower_down(struct link *l)
{
	fsm_down(&l->ppp->lcp.fsm);
}

void link_ppp_open(struct link *l)
{
	fsm_open(&l->ppp->lcp.fsm);
}

void link_ppp_close(struct link *l)
{
	fsm_close(&l->ppp->lcp.fsm, l->down_reason[0] ? l->down_reason : NULL);
}

void link_ppp_input(struct link *l, uint16_t proto, const uint8_t *data, size_t len)
{
	struct link_ppp *p = l->ppp;
	switch (proto) {
	case PROTO_LCP:
		lcp_input(&p->lcp, data, len);
		break;
	case PROTO_PAP:
		if (l->phase == PHASE_AUTHENTICATE || l->phase == PHASE_NETWORK)
			pap_input(&p->pap, data, len);
		break;
	case PROTO_CHAP:
		if (l->phase == PHASE_AUTHENTICATE || l->phase == PHASE_NETWORK)
			chap_input(&p->chap, data, len);
		break;
	case PROTO_EAP:
		if (l->phase == PHASE_AUTHENTICATE || l->phase == PHASE_NETWORK)
			eap_input(&p->eap, data, len);
		break;
	}
}

void link_ppp_protrej(struct link *l, const uint8_t *frame, size_t len)
{
	if (l->ppp != NULL && l->ppp->lcp.fsm.state == FSM_OPENED)
		lcp_send_protrej(&l->ppp->lcp, frame, len);
}

const char *link_ppp_state_name(const struct link *l)
{
	return fsm_state_name(l->ppp->lcp.fsm.state);
}

bool link_ppp_lcp_opened(const struct link *l)
{
	return l->ppp != NULL && l->ppp->lcp.fsm.state == FSM_OPENED;
}

unsigned link_ppp_peer_mru(const struct link *l)
{
	return link_ppp_lcp_opened(l) ? l->ppp->lcp.neg.mtu : 0;
}

const struct lcp_neg *link_ppp_neg(const struct link *l)
{
	return link_ppp_lcp_opened(l) ? &l->ppp->lcp.neg : NULL;
}

bool link_ppp_tx_pfc(const struct link *l)
{
	return link_ppp_lcp_opened(l) && l->ppp->lcp.neg.pfc_xmit;
}

bool link_ppp_rx_pfc(const struct link *l)
{
	return link_ppp_lcp_opened(l) && l->ppp->lcp.neg.pfc_recv;
}

bool link_ppp_tx_acfc(const struct link *l)
{
	return link_ppp_lcp_opened(l) && l->ppp->lcp.neg.acfc_xmit;
}

/* The multilink lines of `show lcp`: MRRU, short sequence numbers, discriminators. */
static void show_lcp_mp(struct cmd_ctx *c, const struct link *l)
{
	const struct lcp_neg *n = &l->ppp->lcp.neg;
	char self[64], peer[64];
	mp_epdisc_text(&l->ppp->lcp.conf.disc, self, sizeof(self));
	mp_epdisc_text(&n->peer_disc, peer, sizeof(peer));
	cmd_printf(c, "Multilink: %s\n", lcp_multilink(n) ? "yes" : "no");
	cmd_printf(c, "\tSelf MRRU        : %u%s\n\tSelf SHORTSEQ    : %s\n\tSelf ENDPOINTDISC: %s\n",
		   n->mrru, n->mrru_recv ? "" : " (not negotiated)", n->ssn_recv ? "Yes" : "No", self);
	cmd_printf(c, "\tPeer MRRU        : %u%s\n\tPeer SHORTSEQ    : %s\n\tPeer ENDPOINTDISC: %s\n",
		   n->peer_mrru, n->mrru_xmit ? "" : " (not negotiated)", n->ssn_xmit ? "Yes" : "No",
		   n->peer_disc_set ? peer : "none");
}

void link_ppp_show_lcp(struct cmd_ctx *c, const struct link *l)
{
	const struct lcp_neg *n = &l->ppp->lcp.neg;
	cmd_printf(c, "Self:\n\tMRU      : %u\n\tMAGIC    : 0x%08x\n\tACCMAP   : 0x%08x\n\tACFCOMP  : %s\n"
		   "\tPROTOCOMP: %s\n\tAUTHTYPE : %s\n", n->mru, n->magic, n->accm_recv,
		   n->acfc_recv ? "Yes" : "No", n->pfc_recv ? "Yes" : "No", lcp_auth_name(n->auth_peer));
	cmd_printf(c, "Peer:\n\tMRU      : %u\n\tMAGIC    : 0x%08x\n\tACCMAP   : 0x%08x\n\tACFCOMP  : %s\n"
		   "\tPROTOCOMP: %s\n\tAUTHTYPE : %s\n\tIDENT    : %s\n", n->peer_mru, n->peer_magic, n->accm_xmit,
		   n->acfc_xmit ? "Yes" : "No", n->pfc_xmit ? "Yes" : "No", lcp_auth_name(n->auth_self),
		   l->ppp->lcp.peer_ident);
	show_lcp_mp(c, l);
}

static const char *keysrc_name(enum mschap_keysrc s)
{
	return s == MSCHAP_KEYS_V2 ? "yes (MS-CHAPv2)" : s == MSCHAP_KEYS_V1 ? "yes (MS-CHAPv1)" : "no";
}

void link_ppp_show_auth(struct cmd_ctx *c, const struct link *l)
{
	const struct link_ppp *p = l->ppp;
	cmd_printf(c, "\tPeer auth method: %s (%s)\n", lcp_auth_name(p->auth_peer),
		   p->peer_result[0] ? p->peer_result : p->auth_peer == LCP_AUTH_NONE ? "none" : "pending");
	cmd_printf(c, "\tOur auth method : %s (%s)\n", lcp_auth_name(p->auth_self),
		   p->self_result[0] ? p->self_result : p->auth_self == LCP_AUTH_NONE ? "none" : "pending");
	if (p->auth_self != LCP_AUTH_NONE)
		cmd_printf(c, "\tOur name        : %s\n", p->self_name);
	/* never the keys themselves */
	cmd_printf(c, "\tMPPE keys       : %s\n", keysrc_name(p->keys.src));
}

const struct mschap_keys *link_ppp_mppe_keys(const struct link *l)
{
	if (l->ppp == NULL || l->ppp->keys.src == MSCHAP_KEYS_NONE)
		return NULL;
	return &l->ppp->keys;
}

const char *link_ppp_peer_ident(const struct link *l)
{
	return l->ppp != NULL ? l->ppp->lcp.peer_ident : NULL;
}
