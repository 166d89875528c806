/* CHAP-MD5 (RFC 1994): authenticator and peer sides. */
#include "ppp/chap.h"

#include <nettle/md5.h>
#include <string.h>

#include "core/log.h"
#include "core/pbuf.h"
#include "ppp/auth_util.h"
#include "ppp/proto.h"

#define MSG_WELCOME "Welcome"
#define MSG_INVALID "Login incorrect"

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

void chap_init(struct chap *c, const struct chap_conf *conf, const struct chap_owner *owner)
{
	memset(c, 0, sizeof(*c));
	c->conf = *conf;
	c->owner = *owner;
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

/* ---- server ---- */

static void send_challenge(struct chap *c)
{
	c->stries++;
	log_msg(LG_AUTH, c->conf.name, "CHAP: sending Challenge #%u (try %u)", c->sid, c->stries);
	send_value_name(c, CHAP_CHALLENGE, c->sid, c->chal, CHAP_CHAL_LEN, c->sname);
	c->owner.timer(c->owner.arg, c->conf.timeout * 1000u);
}

void chap_server_start(struct chap *c, const char *ourname)
{
	size_t n = strlen(ourname);

	if (n > CHAP_MAXNAME)
		n = CHAP_MAXNAME;
	memcpy(c->sname, ourname, n);
	c->sname[n] = '\0';
	for (size_t i = 0; i < CHAP_CHAL_LEN; i += 4) {
		uint32_t r = c->owner.rand32(c->owner.arg);
		memcpy(c->chal + i, &r, 4);
	}
	/* A fresh Identifier per authentication, so old Responses cannot match. */
	c->sid = (uint8_t)(c->sid + 1 + (c->owner.rand32(c->owner.arg) & 0x7f));
	c->stries = 0;
	c->peer_name[0] = '\0';
	c->sstate = CHAP_S_WAIT;
	send_challenge(c);
}

void chap_timeout(struct chap *c)
{
	if (c->sstate != CHAP_S_WAIT)
		return;
	if (c->stries >= c->conf.max_tries) {
		log_msg(LG_AUTH, c->conf.name, "CHAP: no response to %u challenges", c->stries);
		c->sstate = CHAP_S_FAIL;
		strcpy(c->smsg, MSG_INVALID);
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
	log_msg(LG_AUTH, c->conf.name, "CHAP: %s", why);
	c->sstate = CHAP_S_FAIL;
	strcpy(c->smsg, MSG_INVALID);
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
	if (vl != CHAP_MD5_LEN) {
		server_fail(c, "Response value has the wrong size");
		return;
	}
	struct chap_verify v = {
		.name = c->peer_name, .id = id, .alg = CHAP_ALG_MD5,
		.challenge = c->chal, .challenge_len = CHAP_CHAL_LEN,
		.response = d + 1, .response_len = vl,
	};
	log_msg(LG_AUTH, c->conf.name, "CHAP: peer name \"%s\"", c->peer_name);
	c->sstate = CHAP_S_VERIFY;
	c->owner.verify(c->owner.arg, c, &v);
}

void chap_server_result(struct chap *c, bool ok, const char *msg)
{
	if (c->sstate != CHAP_S_VERIFY)
		return;
	if (msg == NULL)
		msg = ok ? MSG_WELCOME : MSG_INVALID;
	size_t n = strlen(msg);
	if (n > CHAP_MAXNAME)
		n = CHAP_MAXNAME;
	memcpy(c->smsg, msg, n);
	c->smsg[n] = '\0';
	c->sstate = ok ? CHAP_S_OK : CHAP_S_FAIL;
	log_msg(LG_AUTH, c->conf.name, "CHAP: peer \"%s\" %s", c->peer_name, ok ? "accepted" : "refused");
	server_answer(c);
	c->owner.done(c->owner.arg, c, true, ok, c->smsg);
}

/* ---- client ---- */

int chap_client_start(struct chap *c, const char *name, const void *secret, size_t secret_len)
{
	size_t n = strlen(name);

	if (n > CHAP_MAXNAME || secret_len > CHAP_MAXSECRET)
		return -1;
	memcpy(c->cname, name, n + 1);
	memcpy(c->secret, secret, secret_len);
	c->secret_len = secret_len;
	c->cstate = CHAP_C_WAIT;
	return 0;
}

static void client_challenge(struct chap *c, uint8_t id, const uint8_t *d, size_t len)
{
	uint8_t resp[CHAP_MD5_LEN];

	if (c->cstate == CHAP_C_IDLE) {
		log_msg(LG_AUTH, c->conf.name, "CHAP: Challenge while not authenticating, dropped");
		return;
	}
	if (len < 1 || d[0] == 0 || (size_t)d[0] + 1 > len) {
		log_msg(LG_AUTH, c->conf.name, "CHAP: malformed Challenge dropped");
		return;
	}
	chap_md5_response(id, c->secret, c->secret_len, d + 1, d[0], resp);
	c->cid = id;
	/* After a Success a new Challenge is a re-authentication: answer and stay OK. */
	if (c->cstate != CHAP_C_OK)
		c->cstate = CHAP_C_WAIT;
	log_msg(LG_AUTH, c->conf.name, "CHAP: answering Challenge #%u as \"%s\"", id, c->cname);
	send_value_name(c, CHAP_RESPONSE, id, resp, CHAP_MD5_LEN, c->cname);
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
	auth_printable(msg, sizeof(msg), d, len);
	c->cstate = ok ? CHAP_C_OK : CHAP_C_FAIL;
	log_msg(LG_AUTH, c->conf.name, "CHAP: peer says %s: \"%s\"", ok ? "Success" : "Failure", msg);
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
}
