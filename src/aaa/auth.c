/*
 * The peer-authentication chain. Only `internal` (mpd.secret) exists yet;
 * the others are refused at configuration time, so here they never run.
 */
#include "aaa/auth.h"

#include <stdio.h>
#include <string.h>

#include "conf/secret.h"
#include "core/log.h"
#include "core/daemon.h"
#include "bund/bundle.h"
#include "link/link.h"
#include "ppp/chap.h"
#include "ppp/mschap.h"

/* Constant-time comparison: the verdict must not leak how much matched. */
static bool bytes_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint8_t diff = 0;
	for (size_t i = 0; i < n; i++)
		diff |= a[i] ^ b[i];
	return diff == 0;
}

/* `set auth max-logins` counts per link template (linux.md), not globally. */
static bool auth_max_logins_reached(struct link *l, const char *name)
{
	unsigned max = l->auth.max_logins;
	return max > 0 && bunds_count_peer(l->d, l->tmpl, name, l->auth.max_logins_ci) >= max;
}

/* Common front of every method: name checks, the secret lookup, limits.
 * -1: unknown user; -2: known or not, this login may not dial in (MS-CHAP E=649). */
static int auth_lookup(struct link *l, const char *name, struct secret_entry *e, char *msg, size_t msglen)
{
	snprintf(l->peer_authname, sizeof(l->peer_authname), "%s", name);
	if (name[0] == '\0') {
		snprintf(msg, msglen, "Empty login name");
		return -1;
	}
	if (link_action_drops(l, name)) {
		snprintf(msg, msglen, "Login dropped by action");
		return -2;
	}
	if (!opt_enabled(&l->auth.opts, AOPT_INTERNAL) || secret_lookup(l->d->secrets, name, e) < 0) {
		log_msg(LG_AUTH, l->name, "Auth: user \"%s\" not found in mpd.secret", name);
		snprintf(msg, msglen, "Login incorrect");
		return -1;
	}
	if (auth_max_logins_reached(l, name)) {
		log_msg(LG_AUTH, l->name, "Auth: user \"%s\" reached max-logins %u", name, l->auth.max_logins);
		snprintf(msg, msglen, "Login limit reached");
		explicit_bzero(e->password, sizeof(e->password));
		return -2;
	}
	return 0;
}

/* The end of every check: wipe the secret, log, fill the peer's message, take its address range. */
static int auth_verdict(struct link *l, struct secret_entry *e, const char *method, const char *name, bool ok,
			const char *why, char *msg, size_t msglen)
{
	explicit_bzero(e->password, sizeof(e->password));
	if (!ok) {
		log_msg(LG_AUTH, l->name, "Auth: %s user \"%s\": %s", method, name, why);
		snprintf(msg, msglen, "Login incorrect");
		return -1;
	}
	l->peer_range_set = e->has_range;
	l->peer_range = e->addr;
	l->peer_range_width = (int)e->width;
	log_msg(LG_AUTH, l->name, "Auth: %s user \"%s\" accepted", method, l->peer_authname);
	snprintf(msg, msglen, "Welcome");
	return 0;
}

int auth_check_pap(struct link *l, const char *name, const char *password, char *msg, size_t msglen)
{
	struct secret_entry e;
	if (auth_lookup(l, name, &e, msg, msglen) < 0)
		return -1;
	size_t n = strlen(e.password);
	bool ok = n == strlen(password) && bytes_equal((const uint8_t *)e.password, (const uint8_t *)password, n);
	return auth_verdict(l, &e, "PAP", name, ok, "wrong password", msg, msglen);
}

/* CHAP-MD5 and EAP-MD5 share the computation (RFC 3748 §5.4). */
static int check_md5(struct link *l, const char *method, const char *name, uint8_t id, const uint8_t *chal,
		     size_t clen, const uint8_t *resp, size_t rlen, char *msg, size_t msglen)
{
	struct secret_entry e;
	if (auth_lookup(l, name, &e, msg, msglen) < 0)
		return -1;
	uint8_t want[CHAP_MD5_LEN];
	chap_md5_response(id, e.password, strlen(e.password), chal, clen, want);
	bool ok = rlen == CHAP_MD5_LEN && bytes_equal(want, resp, CHAP_MD5_LEN);
	return auth_verdict(l, &e, method, name, ok, "invalid response (wrong password)", msg, msglen);
}

int auth_check_chap_md5(struct link *l, const char *name, uint8_t id, const uint8_t *chal, size_t clen,
			const uint8_t *resp, size_t rlen, char *msg, size_t msglen)
{
	return check_md5(l, "CHAP-MD5", name, id, chal, clen, resp, rlen, msg, msglen);
}

int auth_check_eap_md5(struct link *l, const char *name, uint8_t id, const uint8_t *chal, size_t clen,
		       const uint8_t *resp, size_t rlen, char *msg, size_t msglen)
{
	return check_md5(l, "EAP-MD5", name, id, chal, clen, resp, rlen, msg, msglen);
}

/* The NT-Response the peer should have sent, from the password we hold. */
static void mschap_expect(const struct chap_verify *v, const uint8_t hash[MSCHAP_HASH_LEN],
			  uint8_t nt[MSCHAP_NT_RESP_LEN])
{
	if (v->alg == CHAP_ALG_MSV2)
		mschap2_nt_response(v->challenge, v->response + MSCHAP_V2_PEER_OFF, v->name, hash, nt);
	else
		mschap_challenge_response(v->challenge, hash, nt);
}

int auth_check_mschap(struct link *l, const struct chap_verify *v, struct auth_mschap_out *out,
		      char *msg, size_t msglen)
{
	const char *method = v->alg == CHAP_ALG_MSV2 ? "MS-CHAPv2" : "MS-CHAPv1";
	/* keep-ms-domain: look up and report "DOMAIN\\user" as sent, else only "user" (F-099) */
	const char *name = opt_enabled(&l->conf.opts, LOPT_KEEP_MS_DOMAIN) ? v->name : mschap_strip_domain(v->name);
	struct secret_entry e;

	memset(out, 0, sizeof(*out));
	out->ms_error = MSCHAP_E_AUTH_FAILURE;
	int rc = auth_lookup(l, name, &e, msg, msglen);
	if (rc < 0) {
		if (rc == -2)
			out->ms_error = MSCHAP_E_NO_DIALIN;
		return -1;
	}
	uint8_t hash[MSCHAP_HASH_LEN], nt[MSCHAP_NT_RESP_LEN];
	size_t pwlen = strlen(e.password);
	mschap_nt_hash(e.password, pwlen, hash);
	mschap_expect(v, hash, nt);
	const uint8_t *got = v->response + (v->alg == CHAP_ALG_MSV2 ? MSCHAP_V2_NT_OFF : MSCHAP_V1_NT_OFF);
	bool ok = bytes_equal(nt, got, MSCHAP_NT_RESP_LEN);
	if (ok && v->alg == CHAP_ALG_MSV2) {
		mschap2_auth_response(hash, nt, v->response + MSCHAP_V2_PEER_OFF, v->challenge, v->name, out->authresp);
		mschap2_keys(hash, nt, true, &out->keys);
	} else if (ok) {
		mschap1_keys(e.password, pwlen, hash, v->challenge, &out->keys);
	}
	explicit_bzero(hash, sizeof(hash));
	if (ok)
		out->ms_error = 0;
	return auth_verdict(l, &e, method, name, ok, "invalid response (wrong password)", msg, msglen);
}

int auth_own_credentials(struct link *l, char *name, size_t nlen, char *pw, size_t pwlen)
{
	if (l->auth.authname[0] == '\0')
		return -1;
	snprintf(name, nlen, "%s", l->auth.authname);
	if (l->auth.password[0] != '\0') {
		snprintf(pw, pwlen, "%s", l->auth.password);
		return 0;
	}
	struct secret_entry e;
	if (secret_lookup(l->d->secrets, l->auth.authname, &e) < 0)
		return -1;
	snprintf(pw, pwlen, "%s", e.password);
	explicit_bzero(e.password, sizeof(e.password));
	return 0;
}
