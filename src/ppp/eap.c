/* EAP (RFC 3748) with EAP-MD5: authenticator, pass-through and peer sides. */
#include "ppp/eap.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/pbuf.h"
#include "ppp/auth_util.h"
#include "ppp/chap.h"
#include "ppp/opt.h"
#include "ppp/proto.h"

#define MSG_WELCOME "Authentication succeeded"
#define MSG_INVALID "Login incorrect"

/* Expanded Type header: Type 254, Vendor-Id (3), Vendor-Type (4). */
#define EAP_EXP_LEN 8
#define EAP_EXP_NAK 3	/* Vendor-Type of the Expanded Nak (RFC 3748 §5.3.2) */

const char *eap_type_name(uint8_t type)
{
	switch (type) {
	case EAP_TYPE_IDENTITY: return "Identity";
	case EAP_TYPE_NOTIFICATION: return "Notification";
	case EAP_TYPE_NAK: return "Nak";
	case EAP_TYPE_MD5: return "MD5-Challenge";
	case 5: return "OTP";
	case 6: return "GTC";
	case 13: return "TLS";
	case 17: return "LEAP";
	case 18: return "SIM";
	case 21: return "TTLS";
	case 23: return "AKA";
	case 25: return "PEAP";
	case 26: return "MSCHAPv2";
	case EAP_TYPE_EXPANDED: return "Expanded";
	default: return "unknown";
	}
}

void eap_init(struct eap *e, const struct eap_conf *conf, const struct eap_owner *owner)
{
	memset(e, 0, sizeof(*e));
	e->conf = *conf;
	e->owner = *owner;
	if (e->conf.timeout == 0)
		e->conf.timeout = 2;
	if (e->conf.max_tries == 0)
		e->conf.max_tries = 5;
}

static void eap_send(struct eap *e, uint8_t code, uint8_t id, const void *a, size_t alen,
		     const void *b, size_t blen)
{
	struct pbuf *pb = auth_packet(code, id, a, alen, b, blen);

	if (pb == NULL) {
		log_msg(LG_ERR, e->conf.name, "EAP: out of memory");
		return;
	}
	e->owner.send(e->owner.arg, PROTO_EAP, pb);
}

/* ---- server ---- */

static bool server_waiting(const struct eap *e)
{
	return e->sstate == EAP_S_IDENTITY || e->sstate == EAP_S_MD5 || e->sstate == EAP_S_PROXY;
}

static void send_request(struct eap *e)
{
	e->stries++;
	log_msg(LG_AUTH, e->conf.name, "EAP: sending Request/%s #%u (try %u)",
		eap_type_name(e->sreq_type), e->sid, e->stries);
	eap_send(e, EAP_REQUEST, e->sid, e->sreq + PPP_HDRLEN, e->sreq_len - PPP_HDRLEN, NULL, 0);
	e->owner.timer(e->owner.arg, e->conf.timeout * 1000u);
}

/* A new Request (new Identifier) of type with body a, b; kept for retransmission. */
static void server_request(struct eap *e, uint8_t type, const void *a, size_t alen,
			   const void *b, size_t blen)
{
	size_t len = PPP_HDRLEN + 1 + alen + blen;

	/* Our own Requests are at most 1 + 17 + EAP_MAXNAME bytes of body. */
	if (len > sizeof(e->sreq))
		return;
	e->sid++;
	e->sreq[0] = EAP_REQUEST;
	e->sreq[1] = e->sid;
	put16(e->sreq + 2, (uint16_t)len);
	e->sreq[PPP_HDRLEN] = type;
	if (alen > 0)
		memcpy(e->sreq + PPP_HDRLEN + 1, a, alen);
	if (blen > 0)
		memcpy(e->sreq + PPP_HDRLEN + 1 + alen, b, blen);
	e->sreq_len = len;
	e->sreq_type = type;
	e->stries = 0;
	send_request(e);
}

void eap_timeout(struct eap *e)
{
	if (!server_waiting(e))
		return;
	if (e->stries >= e->conf.max_tries) {
		log_msg(LG_AUTH, e->conf.name, "EAP: no response to %u Request/%s",
			e->stries, eap_type_name(e->sreq_type));
		e->sstate = EAP_S_FAIL;
		e->owner.done(e->owner.arg, e, true, false, "No response");
		return;
	}
	send_request(e);
}

static void server_verdict(struct eap *e)
{
	eap_send(e, e->sstate == EAP_S_OK ? EAP_SUCCESS : EAP_FAILURE, e->sid, NULL, 0, NULL, 0);
}

static void server_fail(struct eap *e, const char *why)
{
	log_msg(LG_AUTH, e->conf.name, "EAP: %s", why);
	e->owner.timer(e->owner.arg, 0);
	e->sstate = EAP_S_FAIL;
	server_verdict(e);
	e->owner.done(e->owner.arg, e, true, false, why);
}

void eap_server_start(struct eap *e, const char *ourname)
{
	size_t n = strlen(ourname);

	if (n > EAP_MAXNAME)
		n = EAP_MAXNAME;
	memcpy(e->sname, ourname, n);
	e->sname[n] = '\0';
	/* A fresh Identifier base per authentication, so old Responses cannot match. */
	e->sid = (uint8_t)(e->sid + 1 + (e->owner.rand32(e->owner.arg) & 0x7f));
	e->peer_name[0] = '\0';
	e->srounds = 0;
	e->sstate = EAP_S_IDENTITY;
	server_request(e, EAP_TYPE_IDENTITY, NULL, 0, NULL, 0);
}

static void server_challenge(struct eap *e)
{
	uint8_t body[1 + EAP_MD5_CHAL_LEN];

	if (!e->conf.md5_enable) {
		server_fail(e, "no EAP method enabled to authenticate the peer");
		return;
	}
	for (size_t i = 0; i < EAP_MD5_CHAL_LEN; i += 4) {
		uint32_t r = e->owner.rand32(e->owner.arg);
		memcpy(e->chal + i, &r, 4);
	}
	body[0] = EAP_MD5_CHAL_LEN;
	memcpy(body + 1, e->chal, EAP_MD5_CHAL_LEN);
	e->srounds++;
	e->sstate = EAP_S_MD5;
	server_request(e, EAP_TYPE_MD5, body, sizeof(body), e->sname, strlen(e->sname));
}

/* Hand the Identity Response, rebuilt from what we kept, to the owner's relay. */
static void server_proxy_identity(struct eap *e)
{
	uint8_t pkt[PPP_HDRLEN + 1 + EAP_MAXIDENT];
	size_t n = strlen(e->peer_name);
	size_t len = PPP_HDRLEN + 1 + n;

	pkt[0] = EAP_RESPONSE;
	pkt[1] = e->sid;
	put16(pkt + 2, (uint16_t)len);
	pkt[PPP_HDRLEN] = EAP_TYPE_IDENTITY;
	memcpy(pkt + PPP_HDRLEN + 1, e->peer_name, n);
	log_msg(LG_AUTH, e->conf.name, "EAP: relaying the exchange with \"%s\"", e->peer_name);
	e->sstate = EAP_S_PROXY_WAIT;
	e->owner.proxy(e->owner.arg, e, pkt, len);
}

static void server_go(struct eap *e, enum eap_next next)
{
	if (next == EAP_NEXT_PROXY && e->owner.proxy != NULL) {
		server_proxy_identity(e);
		return;
	}
	if (next == EAP_NEXT_PROXY)
		log_msg(LG_AUTH, e->conf.name, "EAP: no relay for proxy mode, going on natively");
	server_challenge(e);
}

void eap_server_continue(struct eap *e, enum eap_next next)
{
	if (e->sstate != EAP_S_CHOOSE || next == EAP_NEXT_WAIT)
		return;
	server_go(e, next);
}

static void server_identity(struct eap *e, const uint8_t *d, size_t len)
{
	if (!auth_cstr(e->peer_name, sizeof(e->peer_name), d + 1, len - 1)) {
		e->peer_name[0] = '\0';
		server_fail(e, "bad identity in Response/Identity");
		return;
	}
	e->owner.timer(e->owner.arg, 0);
	log_msg(LG_AUTH, e->conf.name, "EAP: peer identity \"%s\"", e->peer_name);
	e->sstate = EAP_S_CHOOSE;
	enum eap_next next = EAP_NEXT_NATIVE;
	if (e->owner.identity != NULL)
		next = e->owner.identity(e->owner.arg, e, e->peer_name);
	/* The owner may have stopped us or decided already from within the call. */
	if (e->sstate == EAP_S_CHOOSE && next != EAP_NEXT_WAIT)
		server_go(e, next);
}

static void server_md5(struct eap *e, uint8_t id, const uint8_t *d, size_t len)
{
	if (len < 2 || d[1] == 0 || 2u + d[1] > len) {
		log_msg(LG_AUTH, e->conf.name, "EAP: malformed MD5 Response dropped");
		return;
	}
	if (d[1] != EAP_MD5_LEN) {
		server_fail(e, "MD5 Response value has the wrong size");
		return;
	}
	e->owner.timer(e->owner.arg, 0);
	struct eap_verify v = {
		.identity = e->peer_name, .id = id,
		.challenge = e->chal, .challenge_len = EAP_MD5_CHAL_LEN,
		.response = d + 2, .response_len = d[1],
	};
	e->sstate = EAP_S_VERIFY;
	e->owner.verify(e->owner.arg, e, &v);
}

/* "wants: TLS(13) PEAP(25)" from a Nak's type list, truncated to fit. */
static void nak_text(char *buf, size_t size, const uint8_t *types, size_t n)
{
	size_t off = (size_t)snprintf(buf, size, "peer refuses EAP-MD5, wants:");

	for (size_t i = 0; i < n && off < size; i++) {
		int w = types[i] == 0 ? snprintf(buf + off, size - off, " none")
			: snprintf(buf + off, size - off, " %s(%u)", eap_type_name(types[i]), types[i]);
		if (w < 0)
			break;
		off += (size_t)w;
	}
}

static void server_nak(struct eap *e, const uint8_t *d, size_t len)
{
	char msg[160];

	if (e->sstate != EAP_S_MD5) {
		log_msg(LG_AUTH, e->conf.name, "EAP: Nak to Request/%s dropped",
			eap_type_name(e->sreq_type));
		return;
	}
	if (len < 2) {
		log_msg(LG_AUTH, e->conf.name, "EAP: empty Nak dropped");
		return;
	}
	/* Listing MD5 in a Nak of MD5 makes no sense, but retrying a bounded number of times is harmless. */
	if (memchr(d + 1, EAP_TYPE_MD5, len - 1) != NULL && e->srounds < e->conf.max_tries) {
		e->owner.timer(e->owner.arg, 0);
		server_challenge(e);
		return;
	}
	nak_text(msg, sizeof(msg), d + 1, len - 1);
	server_fail(e, msg);
}

/* A Response with Identifier id and body d (Type first); pkt/plen is the whole packet. */
static void server_response(struct eap *e, uint8_t id, const uint8_t *d, size_t len,
			    const uint8_t *pkt, size_t plen)
{
	if (e->sstate == EAP_S_IDLE || id != e->sid) {
		log_msg(LG_AUTH, e->conf.name, "EAP: Response #%u not for Request #%u, dropped", id, e->sid);
		return;
	}
	switch (e->sstate) {
	case EAP_S_OK:
	case EAP_S_FAIL:
		/* Our verdict was lost: repeat it unchanged. */
		server_verdict(e);
		return;
	case EAP_S_CHOOSE:
	case EAP_S_VERIFY:
	case EAP_S_PROXY_WAIT:
		return;		/* a duplicate while the owner works on the first */
	case EAP_S_PROXY:
		e->owner.timer(e->owner.arg, 0);
		e->sstate = EAP_S_PROXY_WAIT;
		e->owner.proxy(e->owner.arg, e, pkt, plen);
		return;
	default:
		break;
	}
	if (d[0] == EAP_TYPE_NAK) {
		server_nak(e, d, len);
		return;
	}
	if (d[0] != e->sreq_type) {
		log_msg(LG_AUTH, e->conf.name, "EAP: Response/%s to Request/%s dropped",
			eap_type_name(d[0]), eap_type_name(e->sreq_type));
		return;
	}
	if (d[0] == EAP_TYPE_IDENTITY)
		server_identity(e, d, len);
	else
		server_md5(e, id, d, len);
}

void eap_server_result(struct eap *e, bool ok)
{
	if (e->sstate != EAP_S_VERIFY)
		return;
	e->sstate = ok ? EAP_S_OK : EAP_S_FAIL;
	log_msg(LG_AUTH, e->conf.name, "EAP: peer \"%s\" %s", e->peer_name, ok ? "accepted" : "refused");
	server_verdict(e);
	e->owner.done(e->owner.arg, e, true, ok, ok ? MSG_WELCOME : MSG_INVALID);
}

int eap_proxy_send(struct eap *e, const uint8_t *pkt, size_t len)
{
	if (e->sstate != EAP_S_PROXY_WAIT || len < PPP_HDRLEN + 1 || pkt[0] != EAP_REQUEST)
		return -1;
	size_t plen = get16(pkt + 2);
	if (plen < PPP_HDRLEN + 1 || plen > len || plen > sizeof(e->sreq))
		return -1;
	memcpy(e->sreq, pkt, plen);
	e->sreq_len = plen;
	e->sid = pkt[1];
	e->sreq_type = pkt[PPP_HDRLEN];
	e->stries = 0;
	e->sstate = EAP_S_PROXY;
	send_request(e);
	return 0;
}

void eap_proxy_result(struct eap *e, bool ok, const uint8_t *pkt, size_t len)
{
	if (e->sstate != EAP_S_PROXY_WAIT)
		return;
	e->sstate = ok ? EAP_S_OK : EAP_S_FAIL;
	log_msg(LG_AUTH, e->conf.name, "EAP: peer \"%s\" %s by the relay", e->peer_name,
		ok ? "accepted" : "refused");
	/* The verdict is the owner's; a relayed packet saying otherwise is replaced. */
	if (pkt != NULL && len >= PPP_HDRLEN && pkt[0] == (ok ? EAP_SUCCESS : EAP_FAILURE))
		eap_send(e, pkt[0], pkt[1], NULL, 0, NULL, 0);
	else
		server_verdict(e);
	e->owner.done(e->owner.arg, e, true, ok, ok ? MSG_WELCOME : MSG_INVALID);
}

/* ---- client ---- */

int eap_client_start(struct eap *e, const char *identity, const void *secret, size_t secret_len)
{
	size_t n = strlen(identity);

	if (n > EAP_MAXIDENT || secret_len > EAP_MAXSECRET)
		return -1;
	memcpy(e->cname, identity, n + 1);
	memcpy(e->secret, secret, secret_len);
	e->secret_len = secret_len;
	e->canswered = false;
	e->cstate = EAP_C_WAIT;
	return 0;
}

/* Send a Response with body a (Type first) and b. */
static void client_respond(struct eap *e, uint8_t id, const uint8_t *a, size_t alen,
			   const void *b, size_t blen)
{
	log_msg(LG_AUTH, e->conf.name, "EAP: answering Request #%u with Response/%s",
		id, eap_type_name(a[0]));
	eap_send(e, EAP_RESPONSE, id, a, alen, b, blen);
	e->cid = id;
	e->canswered = true;
	/* After a Success a new Request is a re-authentication: answer and stay OK. */
	if (e->cstate != EAP_C_OK)
		e->cstate = EAP_C_WAIT;
}

static void client_nak(struct eap *e, uint8_t id, uint8_t type)
{
	uint8_t body[2] = { EAP_TYPE_NAK, e->conf.md5_accept ? EAP_TYPE_MD5 : 0 };

	log_msg(LG_AUTH, e->conf.name, "EAP: Request/%s(%u) not accepted", eap_type_name(type), type);
	client_respond(e, id, body, sizeof(body), NULL, 0);
}

/* A Request of an Expanded Type: answer with an Expanded Nak (RFC 3748 §5.3.2). */
static void client_expanded_nak(struct eap *e, uint8_t id, size_t len)
{
	uint8_t body[2 * EAP_EXP_LEN] = { EAP_TYPE_EXPANDED, 0, 0, 0, 0, 0, 0, EAP_EXP_NAK,
					  EAP_TYPE_EXPANDED, 0, 0, 0, 0, 0, 0, 0 };

	if (len < EAP_EXP_LEN) {
		log_msg(LG_AUTH, e->conf.name, "EAP: malformed Expanded Request dropped");
		return;
	}
	if (e->conf.md5_accept)
		body[2 * EAP_EXP_LEN - 1] = EAP_TYPE_MD5;
	log_msg(LG_AUTH, e->conf.name, "EAP: Expanded Request not accepted");
	client_respond(e, id, body, sizeof(body), NULL, 0);
}

static void client_md5(struct eap *e, uint8_t id, const uint8_t *d, size_t len)
{
	uint8_t body[2 + EAP_MD5_LEN];

	if (len < 2 || d[1] == 0 || 2u + d[1] > len) {
		log_msg(LG_AUTH, e->conf.name, "EAP: malformed MD5 Request dropped");
		return;
	}
	body[0] = EAP_TYPE_MD5;
	body[1] = EAP_MD5_LEN;
	chap_md5_response(id, e->secret, e->secret_len, d + 2, d[1], body + 2);
	client_respond(e, id, body, sizeof(body), e->cname, strlen(e->cname));
}

static void client_request(struct eap *e, uint8_t id, const uint8_t *d, size_t len)
{
	char text[EAP_MAXIDENT + 1];

	if (e->cstate == EAP_C_IDLE) {
		log_msg(LG_AUTH, e->conf.name, "EAP: Request while not authenticating, dropped");
		return;
	}
	switch (d[0]) {
	case EAP_TYPE_IDENTITY:
		client_respond(e, id, d, 1, e->cname, strlen(e->cname));
		break;
	case EAP_TYPE_NOTIFICATION:
		auth_printable(text, sizeof(text), d + 1, len - 1);
		log_msg(LG_AUTH, e->conf.name, "EAP: Notification \"%s\"", text);
		client_respond(e, id, d, 1, NULL, 0);
		break;
	case EAP_TYPE_NAK:
		log_msg(LG_AUTH, e->conf.name, "EAP: Request/Nak is not valid, dropped");
		break;
	case EAP_TYPE_MD5:
		if (e->conf.md5_accept)
			client_md5(e, id, d, len);
		else
			client_nak(e, id, d[0]);
		break;
	case EAP_TYPE_EXPANDED:
		client_expanded_nak(e, id, len);
		break;
	default:
		client_nak(e, id, d[0]);
		break;
	}
}

static void client_result(struct eap *e, uint8_t code, uint8_t id)
{
	bool ok = code == EAP_SUCCESS;
	const char *what = ok ? "Success" : "Failure";

	if (e->cstate == EAP_C_IDLE || e->cstate == EAP_C_FAIL || (ok && e->cstate == EAP_C_OK)) {
		log_msg(LG_AUTH, e->conf.name, "EAP: unexpected %s #%u dropped", what, id);
		return;
	}
	if (!e->canswered) {
		/* RFC 3748 §4.2: a peer may ignore a result that comes before any Request. */
		log_msg(LG_AUTH, e->conf.name, "EAP: %s before any Request ignored", what);
		return;
	}
	/* The result is not retransmitted, so a mismatching Identifier is logged, not fatal. */
	if (id != e->cid)
		log_msg(LG_AUTH, e->conf.name, "EAP: %s #%u for our Response #%u", what, id, e->cid);
	e->cstate = ok ? EAP_C_OK : EAP_C_FAIL;
	log_msg(LG_AUTH, e->conf.name, "EAP: peer says %s", what);
	e->owner.done(e->owner.arg, e, false, ok, ok ? "EAP Success" : "EAP Failure");
}

void eap_input(struct eap *e, const uint8_t *pkt, size_t len)
{
	long dlen = auth_check_header(pkt, len);

	if (dlen < 0) {
		log_msg(LG_AUTH, e->conf.name, "EAP: bad packet length, dropped");
		return;
	}
	const uint8_t *d = pkt + PPP_HDRLEN;
	uint8_t code = pkt[0];

	if ((code == EAP_REQUEST || code == EAP_RESPONSE) && dlen < 1) {
		log_msg(LG_AUTH, e->conf.name, "EAP: %s without Type dropped",
			code == EAP_REQUEST ? "Request" : "Response");
		return;
	}
	switch (code) {
	case EAP_REQUEST:
		client_request(e, pkt[1], d, (size_t)dlen);
		break;
	case EAP_RESPONSE:
		server_response(e, pkt[1], d, (size_t)dlen, pkt, PPP_HDRLEN + (size_t)dlen);
		break;
	case EAP_SUCCESS:
	case EAP_FAILURE:
		client_result(e, code, pkt[1]);
		break;
	default:
		log_msg(LG_AUTH, e->conf.name, "EAP: unknown code %u dropped", code);
		break;
	}
}

void eap_stop(struct eap *e)
{
	if (server_waiting(e))
		e->owner.timer(e->owner.arg, 0);
	e->sstate = EAP_S_IDLE;
	e->cstate = EAP_C_IDLE;
	e->canswered = false;
	explicit_bzero(e->secret, sizeof(e->secret));
	e->secret_len = 0;
}
