/* CHAP (RFC 1994) with MD5, MS-CHAP v1 (RFC 2433) and v2 (RFC 2759): authenticator and peer sides. */
#include "ppp/chap.h"

#include <nettle/md5.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/pbuf.h"
#include "ppp/auth_util.h"
#include "ppp/proto.h"

#define MSG_WELCOME "Welcome"
#define MSG_INVALID "Login incorrect"
#define MSG_AUTHRESP_BAD "MS-CHAPv2 authenticator response mismatch"

void chap_md5_response(uint8_t id, const void *secret, size_t secret_len,
		       const uint8_t *challenge, size_t challenge_len, uint8_t out[CHAP_MD5_LEN])
{
	struct md5_ctx ctx;

	md5_init(&ctx);
	md5_update(&ctx, 1, &id);
	md5_update(&ctx, secret_len, secret);
	md5_update(&ctx, challenge_len, challenge);
	md5_digest(&ctx, CHAP_MD5_LEN, out);
}

static bool alg_ms(uint8_t alg)
{
	return alg == CHAP_ALG_MSV1 || alg == CHAP_ALG_MSV2;
}

static const char *alg_name(uint8_t alg)
{
	return alg == CHAP_ALG_MSV1 ? "MS-CHAPv1" : alg == CHAP_ALG_MSV2 ? "MS-CHAPv2" : "CHAP";
}

/* Challenge length each algorithm sends. */
static size_t alg_chal_len(uint8_t alg)
{
	return alg == CHAP_ALG_MSV1 ? MSCHAP_V1_CHAL_LEN : CHAP_CHAL_LEN;
}

/* Response Value-Size each algorithm expects. */
static size_t alg_resp_len(uint8_t alg)
{
	return alg_ms(alg) ? MSCHAP_RESP_LEN : CHAP_MD5_LEN;
}

void chap_init(struct chap *c, const struct chap_conf *conf, const struct chap_owner *owner)
{
	memset(c, 0, sizeof(*c));
	c->conf = *conf;
	c->owner = *owner;
	c->salg = c->calg = CHAP_ALG_MD5;
	if (c->conf.timeout == 0)
		c->conf.timeout = 2;
	if (c->conf.max_tries == 0)
		c->conf.max_tries = 5;
}

static void chap_send(struct chap *c, uint8_t code, uint8_t id, const void *a, size_t alen,
		      const void *b, size_t blen)
{
	struct pbuf *pb = auth_packet(code, id, a, alen, b, blen);

	if (pb == NULL) {
		log_msg(LG_ERR, c->conf.name, "CHAP: out of memory");
		return;
	}
	c->owner.send(c->owner.arg, PROTO_CHAP, pb);
}

/* Value-Size, Value, Name: the body of Challenge and Response. */
static void send_value_name(struct chap *c, uint8_t code, uint8_t id, const uint8_t *val,
			    uint8_t vlen, const char *name)
{
	uint8_t body[1 + 255];

	body[0] = vlen;
	memcpy(body + 1, val, vlen);
	chap_send(c, code, id, body, 1u + vlen, name, strlen(name));
}

static void fill_random(struct chap *c, uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i += 4) {
		uint32_t r = c->owner.rand32(c->owner.arg);
		memcpy(buf + i, &r, len - i < 4 ? len - i : 4);
	}
}

/* ---- server ---- */

static void send_challenge(struct chap *c)
{
	c->stries++;
	log_msg(LG_AUTH, c->conf.name, "%s: sending Challenge #%u (try %u)", alg_name(c->salg), c->sid,
		c->stries);
	send_value_name(c, CHAP_CHALLENGE, c->sid, c->chal, (uint8_t)alg_chal_len(c->salg), c->sname);
	c->owner.timer(c->owner.arg, c->conf.timeout * 1000u);
}

void chap_server_start_alg(struct chap *c, const char *ourname, uint8_t alg)
{
	size_t n = strlen(ourname);

	if (n > CHAP_MAXNAME)
		n = CHAP_MAXNAME;
	memcpy(c->sname, ourname, n);
	c->sname[n] = '\0';
	c->salg = alg_ms(alg) ? alg : CHAP_ALG_MD5;
	fill_random(c, c->chal, CHAP_CHAL_LEN);
	/* A fresh Identifier per authentication, so old Responses cannot match. */
	c->sid = (uint8_t)(c->sid + 1 + (c->owner.rand32(c->owner.arg) & 0x7f));
	c->stries = 0;
	c->serror = 0;
	c->peer_name[0] = '\0';
	c->sstate = CHAP_S_WAIT;
	send_challenge(c);
}

void chap_server_start(struct chap *c, const char *ourname)
{
	chap_server_start_alg(c, ourname, CHAP_ALG_MD5);
}

/* The text of our Failure: plain for MD5, "E=... R=0 ..." for MS-CHAP (F-107). */
static void set_failure_msg(struct chap *c, const char *msg, unsigned error)
{
	if (!alg_ms(c->salg)) {
		snprintf(c->smsg, sizeof(c->smsg), "%s", msg);
		return;
	}
	c->serror = error != 0 ? error : MSCHAP_E_AUTH_FAILURE;
	if (c->salg == CHAP_ALG_MSV1) {
		mschap_format_failure(c->smsg, sizeof(c->smsg), c->serror, NULL, 0, NULL);
		return;
	}
	/* v2 carries a fresh challenge in C= (RFC 2759 §6) and the text in M= */
	uint8_t nchal[MSCHAP_V2_CHAL_LEN];
	char m[128];
	fill_random(c, nchal, sizeof(nchal));
	snprintf(m, sizeof(m), "%s", msg);
	mschap_format_failure(c->smsg, sizeof(c->smsg), c->serror, nchal, sizeof(nchal), m);
}

void chap_timeout(struct chap *c)
{
	if (c->sstate != CHAP_S_WAIT)
		return;
	if (c->stries >= c->conf.max_tries) {
		log_msg(LG_AUTH, c->conf.name, "%s: no response to %u challenges", alg_name(c->salg), c->stries);
		c->sstate = CHAP_S_FAIL;
		set_failure_msg(c, MSG_INVALID, 0);
		c->owner.done(c->owner.arg, c, true, false, "No response");
		return;
	}
	send_challenge(c);
}

static void server_answer(struct chap *c)
{
	chap_send(c, c->sstate == CHAP_S_OK ? CHAP_SUCCESS : CHAP_FAILURE, c->sid, c->smsg,
		  strlen(c->smsg), NULL, 0);
}

static void server_fail(struct chap *c, const char *why)
{
	log_msg(LG_AUTH, c->conf.name, "%s: %s", alg_name(c->salg), why);
	c->sstate = CHAP_S_FAIL;
	set_failure_msg(c, MSG_INVALID, MSCHAP_E_AUTH_FAILURE);
	server_answer(c);
	c->owner.done(c->owner.arg, c, true, false, why);
}

static void server_response(struct chap *c, uint8_t id, const uint8_t *d, size_t len)
{
	if (c->sstate == CHAP_S_IDLE || id != c->sid) {
		log_msg(LG_AUTH, c->conf.name, "CHAP: Response #%u not for Challenge #%u, dropped", id, c->sid);
		return;
	}
	if (c->sstate == CHAP_S_OK || c->sstate == CHAP_S_FAIL) {
		/* Our verdict was lost: repeat it unchanged (RFC 1994 §4.2). */
		server_answer(c);
		return;
	}
	if (c->sstate == CHAP_S_VERIFY)
		return;
	c->owner.timer(c->owner.arg, 0);
	if (len < 1 || (size_t)d[0] + 1 > len) {
		server_fail(c, "malformed Response");
		return;
	}
	size_t vl = d[0];
	if (!auth_cstr(c->peer_name, sizeof(c->peer_name), d + 1 + vl, len - 1 - vl)) {
		c->peer_name[0] = '\0';
		server_fail(c, "bad name in Response");
		return;
	}
	if (vl != alg_resp_len(c->salg)) {
		server_fail(c, "Response value has the wrong size");
		return;
	}
	/* We never accept the LAN Manager response: it is weaker and has no MPPE keys. */
	if (c->salg == CHAP_ALG_MSV1 && d[1 + MSCHAP_V1_FLAG_OFF] != 1) {
		server_fail(c, "peer sent only a LAN Manager response");
		return;
	}
	struct chap_verify v = {
		.name = c->peer_name, .id = id, .alg = c->salg,
		.challenge = c->chal, .challenge_len = alg_chal_len(c->salg),
		.response = d + 1, .response_len = vl,
	};
	log_msg(LG_AUTH, c->conf.name, "%s: peer name \"%s\"", alg_name(c->salg), c->peer_name);
	c->sstate = CHAP_S_VERIFY;
	c->owner.verify(c->owner.arg, c, &v);
}

/* Success text: v2 puts the authenticator response first (RFC 2759 §5). */
static bool set_success_msg(struct chap *c, const struct chap_verdict *v, const char *msg)
{
	if (c->salg != CHAP_ALG_MSV2) {
		snprintf(c->smsg, sizeof(c->smsg), "%s", msg);
		return true;
	}
	if (v->authresp == NULL || strlen(v->authresp) != MSCHAP_AUTHRESP_LEN)
		return false;
	snprintf(c->smsg, sizeof(c->smsg), "%s M=%.128s", v->authresp, msg);
	return true;
}

void chap_server_verdict(struct chap *c, const struct chap_verdict *v)
{
	if (c->sstate != CHAP_S_VERIFY)
		return;
	bool ok = v->ok;
	const char *msg = v->msg != NULL ? v->msg : ok ? MSG_WELCOME : MSG_INVALID;
	if (ok && !set_success_msg(c, v, msg)) {
		log_msg(LG_ERR, c->conf.name, "MS-CHAPv2: no authenticator response for an accepted peer");
		ok = false;
		msg = MSG_INVALID;
	}
	if (!ok)
		set_failure_msg(c, msg, v->ms_error);
	c->sstate = ok ? CHAP_S_OK : CHAP_S_FAIL;
	if (ok || !alg_ms(c->salg))
		log_msg(LG_AUTH, c->conf.name, "%s: peer \"%s\" %s", alg_name(c->salg), c->peer_name,
			ok ? "accepted" : "refused");
	else
		log_msg(LG_AUTH, c->conf.name, "%s: peer \"%s\" refused: E=%u (%s)", alg_name(c->salg),
			c->peer_name, c->serror, mschap_error_name(c->serror));
	server_answer(c);
	c->owner.done(c->owner.arg, c, true, ok, ok ? msg : c->smsg);
}

void chap_server_result(struct chap *c, bool ok, const char *msg)
{
	struct chap_verdict v = {.ok = ok, .msg = msg};
	chap_server_verdict(c, &v);
}

/* A change-password packet: we keep no password store to change, so refuse it (E=709). */
static void server_change_password(struct chap *c, uint8_t code, uint8_t id)
{
	if (!alg_ms(c->salg) || c->sstate == CHAP_S_IDLE) {
		log_msg(LG_AUTH, c->conf.name, "CHAP: unknown code %u dropped", code);
		return;
	}
	log_msg(LG_AUTH, c->conf.name, "%s: peer asks to change its password: refused (not supported)",
		alg_name(c->salg));
	if (c->sstate == CHAP_S_WAIT || c->sstate == CHAP_S_VERIFY) {
		c->owner.timer(c->owner.arg, 0);
		c->sstate = CHAP_S_FAIL;
		set_failure_msg(c, "Changing the password is not supported", MSCHAP_E_CHANGING_PASSWORD);
		chap_send(c, CHAP_FAILURE, id, c->smsg, strlen(c->smsg), NULL, 0);
		c->owner.done(c->owner.arg, c, true, false, "change-password refused");
		return;
	}
	char m[96];
	mschap_format_failure(m, sizeof(m), MSCHAP_E_CHANGING_PASSWORD, NULL, 0, NULL);
	chap_send(c, CHAP_FAILURE, id, m, strlen(m), NULL, 0);
}

/* ---- client ---- */

int chap_client_start_alg(struct chap *c, const char *name, const void *secret, size_t secret_len, uint8_t alg)
{
	size_t n = strlen(name);

	if (n > CHAP_MAXNAME || secret_len > CHAP_MAXSECRET)
		return -1;
	memcpy(c->cname, name, n + 1);
	memcpy(c->secret, secret, secret_len);
	c->secret_len = secret_len;
	c->calg = alg_ms(alg) ? alg : CHAP_ALG_MD5;
	c->cerror = 0;
	memset(&c->ckeys, 0, sizeof(c->ckeys));
	c->cstate = CHAP_C_WAIT;
	return 0;
}

int chap_client_start(struct chap *c, const char *name, const void *secret, size_t secret_len)
{
	return chap_client_start_alg(c, name, secret, secret_len, CHAP_ALG_MD5);
}

const struct mschap_keys *chap_client_keys(const struct chap *c)
{
	return c->cstate == CHAP_C_OK && c->ckeys.src != MSCHAP_KEYS_NONE ? &c->ckeys : NULL;
}

/* Build our MS-CHAP Response value for the challenge in c->cchal. */
static void ms_response(struct chap *c, uint8_t val[MSCHAP_RESP_LEN])
{
	uint8_t hash[MSCHAP_HASH_LEN];

	memset(val, 0, MSCHAP_RESP_LEN);
	mschap_nt_hash((const char *)c->secret, c->secret_len, hash);
	if (c->calg == CHAP_ALG_MSV1) {
		/* LM response left zero; flag 1: use the NT response */
		mschap_challenge_response(c->cchal, hash, c->cnt);
		memcpy(val + MSCHAP_V1_NT_OFF, c->cnt, MSCHAP_NT_RESP_LEN);
		val[MSCHAP_V1_FLAG_OFF] = 1;
	} else {
		fill_random(c, c->cpeer, sizeof(c->cpeer));
		mschap2_nt_response(c->cchal, c->cpeer, c->cname, hash, c->cnt);
		memcpy(val + MSCHAP_V2_PEER_OFF, c->cpeer, sizeof(c->cpeer));
		memcpy(val + MSCHAP_V2_NT_OFF, c->cnt, MSCHAP_NT_RESP_LEN);
	}
	explicit_bzero(hash, sizeof(hash));
}

static void client_challenge(struct chap *c, uint8_t id, const uint8_t *d, size_t len)
{
	uint8_t resp[MSCHAP_RESP_LEN];
	size_t rlen;

	if (c->cstate == CHAP_C_IDLE) {
		log_msg(LG_AUTH, c->conf.name, "CHAP: Challenge while not authenticating, dropped");
		return;
	}
	if (len < 1 || d[0] == 0 || (size_t)d[0] + 1 > len) {
		log_msg(LG_AUTH, c->conf.name, "CHAP: malformed Challenge dropped");
		return;
	}
	if (alg_ms(c->calg) && d[0] != alg_chal_len(c->calg)) {
		log_msg(LG_AUTH, c->conf.name, "%s: Challenge of %u bytes dropped (want %zu)", alg_name(c->calg),
			d[0], alg_chal_len(c->calg));
		return;
	}
	if (alg_ms(c->calg)) {
		memcpy(c->cchal, d + 1, d[0]);
		ms_response(c, resp);
		rlen = MSCHAP_RESP_LEN;
	} else {
		chap_md5_response(id, c->secret, c->secret_len, d + 1, d[0], resp);
		rlen = CHAP_MD5_LEN;
	}
	c->cid = id;
	/* After a Success a new Challenge is a re-authentication: answer and stay OK. */
	if (c->cstate != CHAP_C_OK)
		c->cstate = CHAP_C_WAIT;
	log_msg(LG_AUTH, c->conf.name, "%s: answering Challenge #%u as \"%s\"", alg_name(c->calg), id, c->cname);
	send_value_name(c, CHAP_RESPONSE, id, resp, (uint8_t)rlen, c->cname);
}

/* MS-CHAP Success: check the v2 authenticator response, then derive the MPPE keys. */
static bool client_ms_success(struct chap *c, const uint8_t *d, size_t len, char *msg, size_t msglen)
{
	uint8_t hash[MSCHAP_HASH_LEN];

	mschap_nt_hash((const char *)c->secret, c->secret_len, hash);
	if (c->calg == CHAP_ALG_MSV2) {
		char got[41], want[MSCHAP_AUTHRESP_LEN + 1];
		mschap2_auth_response(hash, c->cnt, c->cpeer, c->cchal, c->cname, want);
		if (mschap2_parse_success(d, len, got, msg, msglen) < 0 || strcmp(got, want + 2) != 0) {
			explicit_bzero(hash, sizeof(hash));
			snprintf(msg, msglen, "%s", MSG_AUTHRESP_BAD);
			log_msg(LG_AUTH, c->conf.name, MSG_AUTHRESP_BAD);
			return false;
		}
		mschap2_keys(hash, c->cnt, false, &c->ckeys);
	} else {
		auth_printable(msg, msglen, d, len);
		mschap1_keys((const char *)c->secret, c->secret_len, hash, c->cchal, &c->ckeys);
	}
	explicit_bzero(hash, sizeof(hash));
	return true;
}

/* MS-CHAP Failure: log what the code asks for; we never retry or change the password. */
static void client_ms_failure(struct chap *c, const uint8_t *d, size_t len, char *msg, size_t msglen)
{
	struct mschap_failure f;

	if (mschap_parse_failure(d, len, &f) < 0) {
		auth_printable(msg, msglen, d, len);
		log_msg(LG_AUTH, c->conf.name, "%s: Failure without an error code: \"%s\"", alg_name(c->calg), msg);
		return;
	}
	c->cerror = f.error;
	snprintf(msg, msglen, "E=%u %s%s%s", f.error, mschap_error_name(f.error), f.msg[0] ? ": " : "", f.msg);
	log_msg(LG_AUTH, c->conf.name, "%s: peer says Failure E=%u (%s)%s%s", alg_name(c->calg), f.error,
		mschap_error_name(f.error), f.msg[0] ? ": " : "", f.msg);
	if (f.error == MSCHAP_E_PASSWD_EXPIRED)
		log_msg(LG_AUTH, c->conf.name, "%s: our password has expired; changing it is not supported",
			alg_name(c->calg));
	else if (f.retry)
		log_msg(LG_AUTH, c->conf.name, "%s: the peer allows a retry; not retried with the same credentials",
			alg_name(c->calg));
}

static void client_result(struct chap *c, uint8_t code, uint8_t id, const uint8_t *d, size_t len)
{
	char msg[CHAP_MAXNAME + 1];
	bool ok = code == CHAP_SUCCESS;

	if (c->cstate == CHAP_C_IDLE || c->cstate == CHAP_C_FAIL || id != c->cid) {
		log_msg(LG_AUTH, c->conf.name, "CHAP: unexpected %s #%u dropped",
			ok ? "Success" : "Failure", id);
		return;
	}
	if (ok && c->cstate == CHAP_C_OK)
		return;
	if (!alg_ms(c->calg))
		auth_printable(msg, sizeof(msg), d, len);
	else if (ok)
		ok = client_ms_success(c, d, len, msg, sizeof(msg));
	else
		client_ms_failure(c, d, len, msg, sizeof(msg));
	c->cstate = ok ? CHAP_C_OK : CHAP_C_FAIL;
	log_msg(LG_AUTH, c->conf.name, "%s: peer says %s: \"%s\"", alg_name(c->calg),
		code == CHAP_SUCCESS ? "Success" : "Failure", msg);
	c->owner.done(c->owner.arg, c, false, ok, msg);
}

void chap_input(struct chap *c, const uint8_t *pkt, size_t len)
{
	long dlen = auth_check_header(pkt, len);

	if (dlen < 0) {
		log_msg(LG_AUTH, c->conf.name, "CHAP: bad packet length, dropped");
		return;
	}
	const uint8_t *d = pkt + PPP_HDRLEN;

	switch (pkt[0]) {
	case CHAP_CHALLENGE:
		client_challenge(c, pkt[1], d, (size_t)dlen);
		break;
	case CHAP_RESPONSE:
		server_response(c, pkt[1], d, (size_t)dlen);
		break;
	case CHAP_SUCCESS:
	case CHAP_FAILURE:
		client_result(c, pkt[0], pkt[1], d, (size_t)dlen);
		break;
	case MSCHAP_CHANGE_PW1:
	case MSCHAP_CHANGE_PW2:
	case MSCHAPV2_CHANGE_PW:
		server_change_password(c, pkt[0], pkt[1]);
		break;
	default:
		log_msg(LG_AUTH, c->conf.name, "CHAP: unknown code %u dropped", pkt[0]);
		break;
	}
}

void chap_stop(struct chap *c)
{
	if (c->sstate == CHAP_S_WAIT)
		c->owner.timer(c->owner.arg, 0);
	c->sstate = CHAP_S_IDLE;
	c->cstate = CHAP_C_IDLE;
	explicit_bzero(c->secret, sizeof(c->secret));
	c->secret_len = 0;
	explicit_bzero(&c->ckeys, sizeof(c->ckeys));
}
