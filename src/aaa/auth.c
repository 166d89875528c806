/*
 * The peer-authentication chain (commands.md §9.1): the enabled backends
 * in their fixed order, each answering now or later; FAIL from ext-auth
 * falls through to the next one. Every check ends in a result delivered
 * from the loop, never from inside auth_start(): the caller can always
 * finish its own bookkeeping first.
 */
#include "aaa/auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aaa/auth_ext.h"
#include "aaa/auth_prog.h"
#include "conf/secret.h"
#include "core/daemon.h"
#include "core/log.h"
#include "ppp/chap.h"
#include "ppp/mschap.h"

struct auth_pending {
	struct daemon *d;
	struct auth_request req;
	struct auth_result res;
	struct event *deliver;     /* after the caller's callback returns, for verdicts known at once */
	struct auth_prog *prog;    /* a `!program` password still running */
	struct auth_ext *ext;      /* an ext-auth program still running */
	size_t stage;              /* the backend asked now: a row of backends[] */
	char fail_msg[AUTH_MSG_MAX]; /* a failing backend's own text for the peer, kept past the next ones */
	unsigned fail_ms_error;
	auth_done_fn done;
	auth_own_fn own_done;      /* set instead of done for our own credentials */
	void *arg;
	char own_name[AUTH_MAXNAME];
};

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

static void on_deliver(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	pending_deliver(arg);
}

void auth_result_init(struct auth_result *r)
{
	memset(r, 0, sizeof(*r));
	r->ms_error = MSCHAP_E_AUTH_FAILURE;
	r->session_timeout = r->idle_timeout = r->mtu = AUTH_UNSET_U32;
	r->limit_in = r->limit_out = r->acct_interim = AUTH_UNSET_U32;
}

/* The login has no usable entry (or its program failed): refused without saying why. */
static void verdict_unknown(struct auth_pending *p)
{
	log_pmsg(LG_AUTH, LP_NOTICE, p->req.link_name, "Auth: user \"%s\" not found in mpd.secret", p->req.name);
	snprintf(p->res.msg, sizeof(p->res.msg), "Login incorrect");
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
		if (p->res.msg[0] == '\0') /* a backend's REPLY_MESSAGE goes to the peer as it is */
			snprintf(p->res.msg, sizeof(p->res.msg), "Login incorrect");
		return;
	}
	p->res.ms_error = 0;
	log_msg(LG_AUTH, p->req.link_name, "Auth: %s user \"%s\" accepted", method, p->req.name);
	if (p->res.msg[0] == '\0')
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

/*
 * MS-CHAP v1/v2: the NT-Response we expect from the NT hash, then the authenticator and keys.
 * pw (NULL when only the hash is known, e.g. ext-auth USER_NT_HASH) adds MS-CHAPv1's LM key.
 */
static bool judge_mschap_hash(const struct auth_request *q, const uint8_t hash[MSCHAP_HASH_LEN], const char *pw,
			      struct auth_result *r)
{
	bool v2 = q->method == AUTH_MSCHAP_V2;
	uint8_t nt[MSCHAP_NT_RESP_LEN];
	size_t pwlen = pw != NULL ? strlen(pw) : 0;
	if (q->response_len != MSCHAP_RESP_LEN ||
	    q->challenge_len != (v2 ? MSCHAP_V2_CHAL_LEN : MSCHAP_V1_CHAL_LEN))
		return false;
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
	explicit_bzero(nt, sizeof(nt));
	return ok;
}

/* MS-CHAP v1/v2 judged from the password we hold. */
static bool judge_mschap(const struct auth_request *q, const char *pw, struct auth_result *r)
{
	uint8_t hash[MSCHAP_HASH_LEN];
	mschap_nt_hash(pw, strlen(pw), hash);
	bool ok = judge_mschap_hash(q, hash, pw, r);
	explicit_bzero(hash, sizeof(hash));
	return ok;
}

/* The verdict of a judged check: a refusal keeps no address and no keys. */
static void judged(struct auth_pending *p, bool ok)
{
	if (!ok) {
		p->res.peer_range_set = false;
		explicit_bzero(&p->res.keys, sizeof(p->res.keys));
	}
	verdict(p, ok);
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
	judged(p, ok);
}

/* Compare an MS-CHAP proof with the NT hash a backend gave us (no clear-text password). */
static void judge_nt_hash(struct auth_pending *p, const uint8_t hash[MSCHAP_HASH_LEN])
{
	bool ms = p->req.method == AUTH_MSCHAP_V1 || p->req.method == AUTH_MSCHAP_V2;
	judged(p, ms && judge_mschap_hash(&p->req, hash, NULL, &p->res));
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
	pending_deliver(p);
}

/* What a backend's start did: settled the verdict, will answer later, or passes to the next one. */
enum step { STEP_DONE, STEP_LATER, STEP_NEXT };

/* The internal backend: judge now (or start the program) and deliver later. */
static enum step internal_start(struct auth_pending *p)
{
	struct secret_entry e;
	if (secret_lookup(p->d->secrets, p->req.name, &e) < 0 || (e.program && e.password[0] == '\0')) {
		verdict_unknown(p);
		return STEP_DONE;
	}
	p->res.peer_range_set = e.has_range;
	p->res.peer_range = e.addr;
	p->res.peer_range_width = (int)e.width;
	if (!e.program) {
		judge(p, e.password);
	} else {
		p->prog = auth_prog_start(p->d->base, e.password, p->req.name, secret_timeout(p->d->secrets),
					  AUTH_MAXPASS, on_peer_program, p);
		if (p->prog == NULL)
			verdict_unknown(p);
	}
	explicit_bzero(e.password, sizeof(e.password));
	return p->prog != NULL ? STEP_LATER : STEP_DONE;
}

static void chain_run(struct auth_pending *p);

/* The MS-CHAP error code in a backend's "E=691 R=0 M=..." text; fallback when it has none. */
static unsigned ms_error_of(const char *text, unsigned fallback)
{
	const char *e = strstr(text, "E=");
	unsigned v = 0;
	if (e == NULL || sscanf(e + 2, "%u", &v) != 1 || v == 0 || v > 9999)
		return fallback;
	return v;
}

/* ext-auth said FAIL (or failed): keep its text for the peer and ask the next backend. */
static void ext_failed(struct auth_pending *p, const struct auth_result *res)
{
	log_pmsg(LG_AUTH, LP_NOTICE, p->req.link_name, "Auth: ext-auth refused user \"%s\"", p->req.name);
	if (res != NULL && res->msg[0] != '\0' && p->fail_msg[0] == '\0') {
		snprintf(p->fail_msg, sizeof(p->fail_msg), "%s", res->msg);
		p->fail_ms_error = ms_error_of(res->ms_error_text, 0);
	} else if (res != NULL && res->ms_error_text[0] != '\0' && p->fail_ms_error == 0) {
		p->fail_ms_error = ms_error_of(res->ms_error_text, 0);
	}
	p->stage++;
	chain_run(p);
}

/* SUCCESS or UNDEF: the verdict is ours now, judged with what the program gave where it can be. */
static void ext_judge(struct auth_pending *p, const struct ext_auth_reply *rep)
{
	bool ms = p->req.method == AUTH_MSCHAP_V1 || p->req.method == AUTH_MSCHAP_V2;
	if (rep->has_password && (rep->result == EXT_UNDEF || ms)) {
		judge(p, rep->password);
	} else if (rep->has_nt_hash && ms) {
		judge_nt_hash(p, rep->nt_hash);
	} else if (rep->result == EXT_SUCCESS) {
		/* without a password or hash there is no MS-CHAPv2 authenticator and no MPPE key */
		if (ms)
			log_msg(LG_AUTH, p->req.link_name, "Auth: ext-auth SUCCESS without USER_PASSWORD/USER_NT_HASH: no MPPE keys");
		verdict(p, true);
	} else {
		log_pmsg(LG_AUTH, LP_WARNING, p->req.link_name,
			 "Auth: ext-auth UNDEF without %s for user \"%s\"", ms ? "USER_PASSWORD or USER_NT_HASH" : "USER_PASSWORD",
			 p->req.name);
		judged(p, false);
	}
}

static void on_ext(const struct ext_auth_reply *rep, const struct auth_result *res, void *arg)
{
	struct auth_pending *p = arg;
	p->ext = NULL;
	if (rep == NULL || rep->result == EXT_FAIL) {
		ext_failed(p, res);
		return;
	}
	p->res = *res;
	p->res.ms_error = MSCHAP_E_AUTH_FAILURE;
	if (p->res.user_name[0] != '\0')
		log_msg(LG_AUTH, p->req.link_name, "Auth: ext-auth renamed user \"%s\" to \"%s\"", p->req.name,
			p->res.user_name);
	ext_judge(p, rep);
	pending_deliver(p);
}

/* ext-auth (radius.md §5): the program answers later; one that can't start passes to the next backend. */
static enum step ext_start(struct auth_pending *p)
{
	p->ext = auth_ext_start(p->d->base, &p->req, on_ext, p);
	return p->ext != NULL ? STEP_LATER : STEP_NEXT;
}

/* The backends in the order of commands.md §9.1; a disabled one is skipped. */
static const struct {
	int opt;
	const char *name;
	enum step (*start)(struct auth_pending *p);
} backends[] = {
	{AOPT_EXT_AUTH, "ext-auth", ext_start},
	{AOPT_INTERNAL, "internal", internal_start},
};
#define NBACKENDS (sizeof(backends) / sizeof(backends[0]))

/* Every enabled backend passed: refused, with the first backend's own text when it gave one. */
static void chain_refuse(struct auth_pending *p)
{
	log_pmsg(LG_AUTH, LP_NOTICE, p->req.link_name, "Auth: no backend accepted user \"%s\"", p->req.name);
	snprintf(p->res.msg, sizeof(p->res.msg), "Login incorrect");
	p->res.ok = false;
}

/* Ask backends from p->stage on until one settles or will answer later; deliver a settled verdict. */
static void chain_run(struct auth_pending *p)
{
	for (; p->stage < NBACKENDS; p->stage++) {
		if (!(p->req.backends >> backends[p->stage].opt & 1))
			continue;
		auth_result_init(&p->res);
		enum step st = backends[p->stage].start(p);
		if (st == STEP_LATER)
			return;
		if (st == STEP_DONE)
			break;
	}
	if (p->stage >= NBACKENDS)
		chain_refuse(p);
	if (!p->res.ok && p->fail_msg[0] != '\0') {
		snprintf(p->res.msg, sizeof(p->res.msg), "%s", p->fail_msg);
		if (p->fail_ms_error != 0)
			p->res.ms_error = p->fail_ms_error;
	}
	/* Activated, not armed as a 0 s timer: it runs as soon as the callback that called us
	 * returns, in this same pass of the loop, instead of after every other ready socket and a
	 * second poll. On a busy concentrator a loop pass takes milliseconds, and each one added to a
	 * login is a session slower to come up. */
	event_active(p->deliver, EV_TIMEOUT, 1);
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
	auth_result_init(&p->res);
	p->deliver = evtimer_new(d->base, on_deliver, p);
	if (p->deliver == NULL) {
		pending_free(p);
		return NULL;
	}
	chain_run(p);
	return p;
}

void auth_cancel(struct auth_pending *p)
{
	if (p == NULL)
		return;
	if (p->prog != NULL)
		auth_prog_cancel(p->prog);
	auth_ext_cancel(p->ext);
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
