/* PAP (RFC 1334 §2): authenticator and peer sides. */
#include "ppp/pap.h"

#include <string.h>

#include "core/log.h"
#include "core/pbuf.h"
#include "ppp/auth_util.h"
#include "ppp/proto.h"

#define MSG_WELCOME "Welcome"
#define MSG_INVALID "Login incorrect"

void pap_init(struct pap *p, const struct pap_conf *conf, const struct pap_owner *owner)
{
	memset(p, 0, sizeof(*p));
	p->conf = *conf;
	p->owner = *owner;
	if (p->conf.timeout == 0)
		p->conf.timeout = 2;
	if (p->conf.max_tries == 0)
		p->conf.max_tries = 10;
}

static void pap_send(struct pap *p, uint8_t code, uint8_t id, const void *a, size_t alen,
		     const void *b, size_t blen)
{
	struct pbuf *pb = auth_packet(code, id, a, alen, b, blen);

	if (pb == NULL) {
		log_msg(LG_ERR, p->conf.name, "PAP: out of memory");
		return;
	}
	p->owner.send(p->owner.arg, PROTO_PAP, pb);
}

/* ---- client ---- */

static void client_send(struct pap *p)
{
	uint8_t body[2 + 2 * PAP_MAXSTR];
	size_t n = 0;

	body[n++] = p->authname_len;
	memcpy(body + n, p->authname, p->authname_len);
	n += p->authname_len;
	body[n++] = p->password_len;
	memcpy(body + n, p->password, p->password_len);
	n += p->password_len;
	p->ctries++;
	log_msg(LG_AUTH, p->conf.name, "PAP: sending Authenticate-Request #%u (try %u)", p->cid, p->ctries);
	pap_send(p, PAP_REQ, p->cid, body, n, NULL, 0);
	p->owner.timer(p->owner.arg, p->conf.timeout * 1000u);
}

int pap_client_start(struct pap *p, const char *name, const char *password)
{
	size_t nl = strlen(name), pl = strlen(password);

	if (nl > PAP_MAXSTR || pl > PAP_MAXSTR)
		return -1;
	memcpy(p->authname, name, nl);
	memcpy(p->password, password, pl);
	p->authname_len = (uint8_t)nl;
	p->password_len = (uint8_t)pl;
	p->cstate = PAP_C_WAIT;
	p->ctries = 0;
	p->cid++;
	client_send(p);
	return 0;
}

void pap_timeout(struct pap *p)
{
	if (p->cstate != PAP_C_WAIT)
		return;
	if (p->ctries >= p->conf.max_tries) {
		log_msg(LG_AUTH, p->conf.name, "PAP: no reply to %u requests", p->ctries);
		p->cstate = PAP_C_DONE;
		p->owner.done(p->owner.arg, p, false, false, "No reply");
		return;
	}
	/* A new Identifier: the peer may have judged and answered the old one already. */
	p->cid++;
	client_send(p);
}

static void client_reply(struct pap *p, uint8_t code, uint8_t id, const uint8_t *d, size_t len)
{
	char msg[PAP_MAXSTR + 1] = "";

	if (p->cstate != PAP_C_WAIT || id != p->cid) {
		log_msg(LG_AUTH, p->conf.name, "PAP: unexpected %s #%u dropped",
			code == PAP_ACK ? "Ack" : "Nak", id);
		return;
	}
	/* The message is optional in practice; a bad Msg-Length only loses the text. */
	if (len >= 1 && d[0] <= len - 1)
		auth_printable(msg, sizeof(msg), d + 1, d[0]);
	p->cstate = PAP_C_DONE;
	p->owner.timer(p->owner.arg, 0);
	log_msg(LG_AUTH, p->conf.name, "PAP: peer says %s: \"%s\"",
		code == PAP_ACK ? "Ack" : "Nak", msg);
	p->owner.done(p->owner.arg, p, false, code == PAP_ACK, msg);
}

/* ---- server ---- */

void pap_server_start(struct pap *p)
{
	p->sstate = PAP_S_WAIT;
	p->peer_name[0] = '\0';
}

static void server_answer(struct pap *p)
{
	uint8_t ml = (uint8_t)strlen(p->smsg);

	pap_send(p, p->sstate == PAP_S_OK ? PAP_ACK : PAP_NAK, p->sid, &ml, 1, p->smsg, ml);
}

static void server_fail(struct pap *p, const char *why)
{
	log_msg(LG_AUTH, p->conf.name, "PAP: %s", why);
	p->sstate = PAP_S_FAIL;
	strcpy(p->smsg, MSG_INVALID);
	server_answer(p);
	p->owner.done(p->owner.arg, p, true, false, why);
}

static void server_request(struct pap *p, uint8_t id, const uint8_t *d, size_t len)
{
	char pw[PAP_MAXSTR + 1];

	switch (p->sstate) {
	case PAP_S_IDLE:
		log_msg(LG_AUTH, p->conf.name, "PAP: request while not authenticating, dropped");
		return;
	case PAP_S_VERIFY:
		/* Answer the newest retransmission once the verdict is in. */
		p->sid = id;
		return;
	case PAP_S_OK:
	case PAP_S_FAIL:
		/* Our answer was lost: repeat it (RFC 1334 §2.2.1). */
		p->sid = id;
		server_answer(p);
		return;
	case PAP_S_WAIT:
		break;
	}
	p->sid = id;
	if (len < 1 || (size_t)d[0] + 2 > len || (size_t)d[0] + 2 + d[d[0] + 1] > len) {
		server_fail(p, "malformed Authenticate-Request");
		return;
	}
	size_t nl = d[0], pl = d[nl + 1];
	if (!auth_cstr(p->peer_name, sizeof(p->peer_name), d + 1, nl) ||
	    !auth_cstr(pw, sizeof(pw), d + nl + 2, pl)) {
		p->peer_name[0] = '\0';
		server_fail(p, "NUL byte in name or password");
		return;
	}
	log_msg(LG_AUTH, p->conf.name, "PAP: peer name \"%s\"", p->peer_name);
	p->sstate = PAP_S_VERIFY;
	p->owner.verify(p->owner.arg, p, p->peer_name, pw);
	memset(pw, 0, sizeof(pw));
}

void pap_server_result(struct pap *p, bool ok, const char *msg)
{
	if (p->sstate != PAP_S_VERIFY)
		return;
	if (msg == NULL)
		msg = ok ? MSG_WELCOME : MSG_INVALID;
	size_t n = strlen(msg);
	if (n > PAP_MAXSTR)
		n = PAP_MAXSTR;
	memcpy(p->smsg, msg, n);
	p->smsg[n] = '\0';
	p->sstate = ok ? PAP_S_OK : PAP_S_FAIL;
	log_msg(LG_AUTH, p->conf.name, "PAP: peer \"%s\" %s", p->peer_name, ok ? "accepted" : "refused");
	server_answer(p);
	p->owner.done(p->owner.arg, p, true, ok, p->smsg);
}

void pap_input(struct pap *p, const uint8_t *pkt, size_t len)
{
	long dlen = auth_check_header(pkt, len);

	if (dlen < 0) {
		log_msg(LG_AUTH, p->conf.name, "PAP: bad packet length, dropped");
		return;
	}
	switch (pkt[0]) {
	case PAP_REQ:
		server_request(p, pkt[1], pkt + PPP_HDRLEN, (size_t)dlen);
		break;
	case PAP_ACK:
	case PAP_NAK:
		client_reply(p, pkt[0], pkt[1], pkt + PPP_HDRLEN, (size_t)dlen);
		break;
	default:
		log_msg(LG_AUTH, p->conf.name, "PAP: unknown code %u dropped", pkt[0]);
		break;
	}
}

void pap_stop(struct pap *p)
{
	if (p->cstate == PAP_C_WAIT)
		p->owner.timer(p->owner.arg, 0);
	p->cstate = PAP_C_IDLE;
	p->sstate = PAP_S_IDLE;
	explicit_bzero(p->password, sizeof(p->password));
	p->password_len = 0;
}
