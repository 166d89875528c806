/*
 * The peer-authentication chain: one table of backends (aaa/auth_backend.h)
 * tried in mpd5's order until one accepts. Every check ends in a result
 * delivered from the loop, never from inside auth_start(): the caller can
 * always finish its own bookkeeping first. `set auth timeout` bounds the
 * whole chain.
 */
#include "aaa/auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aaa/auth_backend.h"
#include "aaa/auth_prog.h"
#include "conf/secret.h"
#include "core/daemon.h"
#include "core/log.h"
#include "core/timer.h"
#include "ppp/chap.h"
#include "ppp/mschap.h"

struct auth_pending {
	struct daemon *d;
	struct auth_request req;
	struct auth_result res;
	struct event *deliver;     /* the next step of the chain, run from the loop */
	struct timer deadline;     /* `set auth timeout` for the whole chain */
	struct auth_prog *prog;    /* a `!program` password still running */
	auth_done_fn done;
	auth_own_fn own_done;      /* set instead of done for our own credentials */
	void *arg;
	char own_name[AUTH_MAXNAME];
	size_t stage;              /* the row of backends[] running or next */
	bool running;              /* backends[stage] started and has not answered */
	bool finished;             /* the verdict is final: deliver at the next step */
	void *bstate;              /* the running backend's private state */
};

static void internal_start(struct auth_pending *p);
static void internal_cancel(struct auth_pending *p);

/* mpd5's order (commands.md §9.1). Rows with a NULL start are backends not built yet. */
static const struct auth_backend backends[] = {
	{AOPT_EXT_AUTH, "ext-auth", NULL, NULL},
	{AOPT_RADIUS_AUTH, "radius-auth", auth_radius_start, auth_radius_cancel},
	{AOPT_PAM_AUTH, "pam-auth", NULL, NULL},
	{AOPT_SYSTEM_AUTH, "system-auth", NULL, NULL},
	{AOPT_OPIE, "opie", NULL, NULL},
	{AOPT_INTERNAL, "internal", internal_start, internal_cancel},
};
#define NBACKENDS (sizeof(backends) / sizeof(backends[0]))

/* Constant-time comparison: the verdict must not leak how much matched. */
static bool bytes_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint8_t diff = 0;
	for (size_t i = 0; i < n; i++)
		diff |= a[i] ^ b[i];
	return diff == 0;
}

static const char *method_name(enum auth_method m)
{
	static const char *const names[] = {
		[AUTH_PAP] = "PAP", [AUTH_CHAP_MD5] = "CHAP-MD5", [AUTH_EAP_MD5] = "EAP-MD5",
		[AUTH_MSCHAP_V1] = "MS-CHAPv1", [AUTH_MSCHAP_V2] = "MS-CHAPv2",
	};
	return names[m];
}

static void pending_free(struct auth_pending *p)
{
	timer_stop(&p->deadline);
	if (p->deliver != NULL)
		event_free(p->deliver);
	explicit_bzero(p, sizeof(*p));
	free(p);
}

/* Hand the result over and forget the request; its secrets are wiped on the way out. */
static void pending_deliver(struct auth_pending *p)
{
	p->done(&p->res, p->arg);
	pending_free(p);
}

static void result_init(struct auth_result *r)
{
	memset(r, 0, sizeof(*r));
	r->ms_error = MSCHAP_E_AUTH_FAILURE;
	r->session_timeout = r->idle_timeout = r->mtu = AUTH_UNSET_U32;
	r->limit_in = r->limit_out = AUTH_UNSET_U32;
	r->acct_interim = r->acct_lim_recv = r->acct_lim_xmit = AUTH_UNSET_U32;
	r->mppe_policy = r->mppe_types = AUTH_UNSET_U32;
	r->framed_ipv6_prefix_len = r->delegated_prefix_len = -1;
}

/* The login has no usable entry (or its program failed): refused without saying why. */
static void verdict_unknown(struct auth_pending *p)
{
	log_pmsg(LG_AUTH, LP_NOTICE, p->req.link_name, "Auth: user \"%s\" not found in mpd.secret", p->req.name);
	p->res.ok = false;
}

/* The end of every judged check: log, fill the peer's message. */
static void verdict(struct auth_pending *p, bool ok)
{
	const char *method = method_name(p->req.method);
	p->res.ok = ok;
	if (!ok) {
		log_pmsg(LG_AUTH, LP_NOTICE, p->req.link_name, "Auth: %s user \"%s\": %s", method, p->req.name,
			 p->req.method == AUTH_PAP ? "wrong password" : "invalid response (wrong password)");
		snprintf(p->res.msg, sizeof(p->res.msg), "Login incorrect");
		return;
	}
	p->res.ms_error = 0;
	log_msg(LG_AUTH, p->req.link_name, "Auth: %s user \"%s\" accepted", method, p->req.name);
	snprintf(p->res.msg, sizeof(p->res.msg), "Welcome");
}

static bool judge_pap(const struct auth_request *q, const char *pw)
{
	size_t n = strlen(pw);
	return n == strlen(q->password) && bytes_equal((const uint8_t *)pw, (const uint8_t *)q->password, n);
}

/* CHAP-MD5 and EAP-MD5 share the computation (RFC 3748 §5.4). */
static bool judge_md5(const struct auth_request *q, const char *pw)
{
	uint8_t want[CHAP_MD5_LEN];
	chap_md5_response(q->id, pw, strlen(pw), q->challenge, q->challenge_len, want);
	bool ok = q->response_len == CHAP_MD5_LEN && bytes_equal(want, q->response, CHAP_MD5_LEN);
	explicit_bzero(want, sizeof(want));
	return ok;
}

/* MS-CHAP v1/v2: the NT-Response we expect from the password, then the authenticator and keys. */
static bool judge_mschap(const struct auth_request *q, const char *pw, struct auth_result *r)
{
	bool v2 = q->method == AUTH_MSCHAP_V2;
	uint8_t hash[MSCHAP_HASH_LEN], nt[MSCHAP_NT_RESP_LEN];
	size_t pwlen = strlen(pw);
	if (q->response_len != MSCHAP_RESP_LEN ||
	    q->challenge_len != (v2 ? MSCHAP_V2_CHAL_LEN : MSCHAP_V1_CHAL_LEN))
		return false;
	mschap_nt_hash(pw, pwlen, hash);
	if (v2)
		mschap2_nt_response(q->challenge, q->response + MSCHAP_V2_PEER_OFF, q->peer_name, hash, nt);
	else
		mschap_challenge_response(q->challenge, hash, nt);
	const uint8_t *got = q->response + (v2 ? MSCHAP_V2_NT_OFF : MSCHAP_V1_NT_OFF);
	bool ok = bytes_equal(nt, got, MSCHAP_NT_RESP_LEN);
	if (ok && v2) {
		mschap2_auth_response(hash, nt, q->response + MSCHAP_V2_PEER_OFF, q->challenge, q->peer_name,
				      r->authresp);
		mschap2_keys(hash, nt, true, &r->keys);
	} else if (ok) {
		mschap1_keys(pw, pwlen, hash, q->challenge, &r->keys);
	}
	explicit_bzero(hash, sizeof(hash));
	explicit_bzero(nt, sizeof(nt));
	return ok;
}

/* Compare the peer's proof with the password we hold. */
static void judge(struct auth_pending *p, const char *pw)
{
	const struct auth_request *q = &p->req;
	bool ok;
	switch (q->method) {
	case AUTH_PAP:
		ok = judge_pap(q, pw);
		break;
	case AUTH_CHAP_MD5:
	case AUTH_EAP_MD5:
		ok = judge_md5(q, pw);
		break;
	default:
		ok = judge_mschap(q, pw, &p->res);
		break;
	}
	if (!ok) {
		p->res.peer_range_set = false;
		explicit_bzero(&p->res.keys, sizeof(p->res.keys));
	}
	verdict(p, ok);
}

/* The internal backend's answer: it is last in the chain, so its failure is final. */
static void internal_answer(struct auth_pending *p, bool found)
{
	if (found)
		p->res.source = AUTH_SRC_INTERNAL;
	auth_backend_done(p, p->res.ok ? AUTH_V_SUCCESS : AUTH_V_FAIL, NULL);
}

/* A `!program` answered for the peer's login: judge with its output, on this loop turn. */
static void on_peer_program(const char *password, void *arg)
{
	struct auth_pending *p = arg;
	p->prog = NULL;
	if (password == NULL)
		verdict_unknown(p);
	else
		judge(p, password);
	internal_answer(p, password != NULL);
}

/* The internal backend: judge now, or start the `!program` and judge when it answers. */
static void internal_start(struct auth_pending *p)
{
	struct secret_entry e;
	if (secret_lookup(p->d->secrets, p->req.name, &e) < 0 || (e.program && e.password[0] == '\0')) {
		verdict_unknown(p);
		internal_answer(p, false);
		return;
	}
	p->res.peer_range_set = e.has_range;
	p->res.peer_range = e.addr;
	p->res.peer_range_width = (int)e.width;
	if (!e.program) {
		judge(p, e.password);
		internal_answer(p, true);
	} else {
		p->prog = auth_prog_start(p->d->base, e.password, p->req.name, secret_timeout(p->d->secrets),
					  AUTH_MAXPASS, on_peer_program, p);
		if (p->prog == NULL) {
			verdict_unknown(p);
			internal_answer(p, false);
		}
	}
	explicit_bzero(e.password, sizeof(e.password));
}

static void internal_cancel(struct auth_pending *p)
{
	if (p->prog != NULL)
		auth_prog_cancel(p->prog);
	p->prog = NULL;
}

const struct auth_request *auth_pending_req(const struct auth_pending *p) { return &p->req; }
struct auth_result *auth_pending_result(struct auth_pending *p) { return &p->res; }
struct daemon *auth_pending_daemon(const struct auth_pending *p) { return p->d; }
void **auth_pending_state(struct auth_pending *p) { return &p->bstate; }

/* Run the next step from the loop. Activated, not armed as a 0 s timer: it runs as soon as
 * the callback that called us returns, in this same pass of the loop, instead of after every
 * other ready socket and a second poll; each pass added to a login is a session slower to
 * come up on a busy concentrator. */
static void step_soon(struct auth_pending *p)
{
	event_active(p->deliver, EV_TIMEOUT, 1);
}

void auth_backend_done(struct auth_pending *p, enum auth_verdict v, const char *password)
{
	p->running = false;
	switch (v) {
	case AUTH_V_SUCCESS:
		p->res.ok = true;
		p->res.ms_error = 0;
		p->finished = true;
		break;
	case AUTH_V_UNDEF:
		judge(p, password != NULL ? password : "");
		p->finished = true;
		break;
	case AUTH_V_FAIL:
		p->res.ok = false;
		p->stage++;
		break;
	}
	step_soon(p);
}

/* Before the next backend: forget what a failed one returned, but keep its text for the peer. */
static void result_reset_keep_msg(struct auth_result *r)
{
	char msg[AUTH_MSG_MAX], mserr[sizeof(r->mschap_error)];
	memcpy(msg, r->msg, sizeof(msg));
	memcpy(mserr, r->mschap_error, sizeof(mserr));
	result_init(r);
	memcpy(r->msg, msg, sizeof(msg));
	memcpy(r->mschap_error, mserr, sizeof(mserr));
}

/* The end of the chain: a failure without a backend's text gets the standard one. */
static void chain_finish(struct auth_pending *p)
{
	if (!p->res.ok) {
		explicit_bzero(&p->res.keys, sizeof(p->res.keys));
		p->res.peer_range_set = false;
		if (p->res.msg[0] == '\0')
			snprintf(p->res.msg, sizeof(p->res.msg), "Login incorrect");
	} else {
		if (p->res.msg[0] == '\0')
			snprintf(p->res.msg, sizeof(p->res.msg), "Welcome");
	}
	pending_deliver(p);
}

/* Move to the next backend enabled on the link; false at the end of the table. */
static bool next_backend(struct auth_pending *p)
{
	while (p->stage < NBACKENDS &&
	       (backends[p->stage].start == NULL || !(p->req.backends >> backends[p->stage].opt & 1)))
		p->stage++;
	return p->stage < NBACKENDS;
}

static void backend_run(struct auth_pending *p)
{
	result_reset_keep_msg(&p->res);
	p->running = true;
	backends[p->stage].start(p);
}

/* One step of the chain: deliver a final verdict, or start the next enabled backend. */
static void on_deliver(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct auth_pending *p = arg;
	if (p->running)
		return;
	if (p->finished) {
		chain_finish(p);
		return;
	}
	if (!next_backend(p)) {
		if (p->res.source == AUTH_SRC_NONE)
			log_pmsg(LG_AUTH, LP_NOTICE, p->req.link_name, "Auth: no backend accepted user \"%s\"",
				 p->req.name);
		chain_finish(p);
		return;
	}
	backend_run(p);
}

/* `set auth timeout` ran out: stop the running backend and refuse. */
static void on_deadline(void *arg)
{
	struct auth_pending *p = arg;
	if (p->running && backends[p->stage].cancel != NULL)
		backends[p->stage].cancel(p);
	p->running = false;
	log_pmsg(LG_AUTH, LP_NOTICE, p->req.link_name, "Auth: user \"%s\": no verdict within %u s (auth timeout)",
		 p->req.name, p->req.timeout);
	result_reset_keep_msg(&p->res);
	p->res.ok = false;
	event_del(p->deliver);
	chain_finish(p);
}

struct auth_pending *auth_start(struct daemon *d, const struct auth_request *req, auth_done_fn done, void *arg)
{
	struct auth_pending *p = calloc(1, sizeof(*p));
	if (p == NULL)
		return NULL;
	p->d = d;
	p->req = *req;
	p->done = done;
	p->arg = arg;
	result_init(&p->res);
	p->deliver = evtimer_new(d->base, on_deliver, p);
	if (p->deliver == NULL) {
		pending_free(p);
		return NULL;
	}
	timer_init(&p->deadline, d->base, on_deadline, p);
	if (req->timeout > 0)
		timer_start(&p->deadline, req->timeout * 1000);
	/* The first backend starts now (mpd.secret is read as it is at this moment, even if a
	 * reload follows); whatever it answers is delivered from the loop. */
	if (next_backend(p))
		backend_run(p);
	else
		step_soon(p);
	return p;
}

void auth_cancel(struct auth_pending *p)
{
	if (p == NULL)
		return;
	if (p->running && backends[p->stage].cancel != NULL)
		backends[p->stage].cancel(p);
	if (p->prog != NULL)
		auth_prog_cancel(p->prog);
	pending_free(p);
}

/* Our password came from a program: hand it over, or NULL when it failed. */
static void on_own_program(const char *password, void *arg)
{
	struct auth_pending *p = arg;
	struct auth_own own;
	p->prog = NULL;
	if (password != NULL) {
		snprintf(own.name, sizeof(own.name), "%s", p->own_name);
		snprintf(own.password, sizeof(own.password), "%s", password);
	}
	p->own_done(password != NULL ? &own : NULL, p->arg);
	explicit_bzero(&own, sizeof(own));
	pending_free(p);
}

/* Run the `!program` that holds our password; -1 when it can't start. */
static int own_program(struct daemon *d, const char *authname, const char *cmd, auth_own_fn done, void *arg,
		       struct auth_pending **pending)
{
	struct auth_pending *p = calloc(1, sizeof(*p));
	if (p == NULL || cmd[0] == '\0') {
		free(p);
		return -1;
	}
	p->d = d;
	p->own_done = done;
	p->arg = arg;
	snprintf(p->own_name, sizeof(p->own_name), "%s", authname);
	p->prog = auth_prog_start(d->base, cmd, authname, secret_timeout(d->secrets), AUTH_MAXPASS,
				  on_own_program, p);
	if (p->prog == NULL) {
		pending_free(p);
		return -1;
	}
	*pending = p;
	return 1;
}

int auth_own_credentials(struct daemon *d, const char *authname, const char *password, struct auth_own *out,
			 auth_own_fn done, void *arg, struct auth_pending **pending)
{
	*pending = NULL;
	if (authname[0] == '\0')
		return -1;
	snprintf(out->name, sizeof(out->name), "%s", authname);
	if (password[0] != '\0') {
		snprintf(out->password, sizeof(out->password), "%s", password);
		return 0;
	}
	struct secret_entry e;
	if (secret_lookup(d->secrets, authname, &e) < 0)
		return -1;
	int rc = 0;
	if (e.program)
		rc = own_program(d, authname, e.password, done, arg, pending);
	else
		snprintf(out->password, sizeof(out->password), "%s", e.password);
	explicit_bzero(e.password, sizeof(e.password));
	return rc;
}
