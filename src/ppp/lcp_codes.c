/*
 * LCP codes beyond Configure/Terminate: Protocol-Reject, Echo,
 * Discard-Request (RFC 1661 §5.7-5.9), Identification and Time-Remaining
 * (RFC 1570 §2), and the keep-alive built on Echo.
 */
#include <stdio.h>
#include <string.h>

#include "ppp/lcp.h"
#include "ppp/lcp_local.h"
#include "ppp/proto.h"

#define L(f) FSM_CONTAINER(f, struct lcp, fsm)
#define MAGIC_LEN 4

/* Room for data after the header in a packet the peer can receive. */
static size_t room(const struct lcp *l)
{
	return l->fsm.peer_mru > PPP_HDRLEN ? l->fsm.peer_mru - PPP_HDRLEN : 0;
}

/* check-magic: drop packets carrying our own magic (a loop) or not the peer's. */
static bool magic_ok(struct lcp *l, const uint8_t *data, uint8_t code)
{
	uint32_t m = get32(data);

	if (!opt_enabled(&l->conf.opts, LCP_O_CHECKMAGIC))
		return true;
	if (l->neg.magic != 0 && m == l->neg.magic) {
		log_msg(LG_ECHO, l->conf.name, "LCP: %s with our own magic %08x: looped back?",
			ppp_code_name(code), m);
		return false;
	}
	if (m != l->neg.peer_magic) {
		log_msg(LG_ECHO, l->conf.name, "LCP: %s with magic %08x, peer's is %08x: dropped",
			ppp_code_name(code), m, l->neg.peer_magic);
		return false;
	}
	return true;
}

/* Keep the peer's text printable for logs and AAA. */
static void copy_text(char *dst, size_t size, const uint8_t *src, size_t len)
{
	size_t n = len < size - 1 ? len : size - 1;

	for (size_t i = 0; i < n; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? (char)src[i] : '?';
	dst[n] = '\0';
}

static enum fsm_xcode rcv_protrej(struct lcp *l, const uint8_t *data, size_t len)
{
	/* RFC 1661 §5.7: only meaningful while Opened. */
	if (l->fsm.state != FSM_OPENED || len < 2)
		return FSM_X_DONE;
	uint16_t proto = get16(data);

	log_msg(LG_LCP, l->conf.name, "LCP: peer rejected protocol 0x%04x (%s)", proto,
		ppp_proto_name(proto));
	if (proto == PROTO_LCP)
		return FSM_X_RXJM;
	fsm_event(&l->fsm, LCP_EV_PROTREJ, proto);
	return FSM_X_RXJP;
}

static void rcv_echoreq(struct lcp *l, uint8_t id, const uint8_t *data, size_t len)
{
	if (l->fsm.state != FSM_OPENED || len < MAGIC_LEN || !magic_ok(l, data, CODE_ECHOREQ))
		return;
	uint8_t reply[1500];
	size_t n = len < sizeof(reply) ? len : sizeof(reply);

	if (n > room(l))
		n = room(l);
	if (n < MAGIC_LEN)
		return;
	memcpy(reply, data, n);
	put32(reply, l->neg.magic);
	fsm_send(&l->fsm, CODE_ECHOREP, id, reply, n);
}

static void rcv_ident(struct lcp *l, const uint8_t *data, size_t len)
{
	if (len < MAGIC_LEN || !magic_ok(l, data, CODE_IDENT))
		return;
	copy_text(l->peer_ident, sizeof(l->peer_ident), data + MAGIC_LEN, len - MAGIC_LEN);
	log_msg(LG_LCP, l->conf.name, "LCP: peer identifies as \"%s\"", l->peer_ident);
	fsm_event(&l->fsm, LCP_EV_IDENT, 0);
}

static void rcv_timerem(struct lcp *l, const uint8_t *data, size_t len)
{
	char text[256];

	if (len < MAGIC_LEN + 4 || !magic_ok(l, data, CODE_TIMEREM))
		return;
	l->peer_time_remaining = get32(data + MAGIC_LEN);
	copy_text(text, sizeof(text), data + 8, len - 8);
	log_msg(LG_LCP, l->conf.name, "LCP: peer says %u seconds remain \"%s\"",
		l->peer_time_remaining, text);
	fsm_event(&l->fsm, LCP_EV_TIMEREMAIN, l->peer_time_remaining);
}

enum fsm_xcode lcp_extra(struct fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len)
{
	struct lcp *l = L(f);
	bool opened = f->state == FSM_OPENED;

	switch (code) {
	case CODE_PROTREJ:
		return rcv_protrej(l, data, len);
	case CODE_ECHOREQ:
		rcv_echoreq(l, id, data, len);
		return FSM_X_DONE;
	case CODE_ECHOREP:
		if (opened && len >= MAGIC_LEN && magic_ok(l, data, code))
			l->echo_seen = true;
		return FSM_X_DONE;
	case CODE_DISCREQ:
		if (opened && len >= MAGIC_LEN)
			(void)magic_ok(l, data, code);
		return FSM_X_DONE;
	case CODE_IDENT:
		rcv_ident(l, data, len);
		return FSM_X_DONE;
	case CODE_TIMEREM:
		rcv_timerem(l, data, len);
		return FSM_X_DONE;
	default:
		return FSM_X_UNKNOWN;
	}
}

int lcp_send_protrej(struct lcp *l, const uint8_t *frame, size_t len)
{
	if (l->fsm.state != FSM_OPENED || len < 2)
		return -1;
	if (len > room(l))
		len = room(l);
	log_msg(LG_LCP, l->conf.name, "LCP: rejecting protocol 0x%04x", get16(frame));
	return fsm_send(&l->fsm, CODE_PROTREJ, fsm_next_id(&l->fsm), frame, len);
}

/* Magic number, then text, truncated to what the peer can receive. */
static int send_text(struct lcp *l, uint8_t code, const uint8_t *head, size_t hlen, const char *text)
{
	uint8_t buf[1500];
	size_t n = hlen;
	size_t tlen = text != NULL ? strlen(text) : 0;
	size_t max = room(l) < sizeof(buf) ? room(l) : sizeof(buf);

	if (hlen > max)
		return -1;
	memcpy(buf, head, hlen);
	if (tlen > max - n)
		tlen = max - n;
	memcpy(buf + n, text, tlen);
	n += tlen;
	return fsm_send(&l->fsm, code, fsm_next_id(&l->fsm), buf, n);
}

int lcp_send_ident(struct lcp *l, const char *text)
{
	uint8_t head[MAGIC_LEN];

	if (l->fsm.state < FSM_REQSENT)
		return -1;
	put32(head, l->neg.magic);
	return send_text(l, CODE_IDENT, head, sizeof(head), text);
}

int lcp_send_time_remaining(struct lcp *l, uint32_t seconds, const char *text)
{
	uint8_t head[MAGIC_LEN + 4];

	if (l->fsm.state != FSM_OPENED)
		return -1;
	put32(head, l->neg.magic);
	put32(head + MAGIC_LEN, seconds);
	return send_text(l, CODE_TIMEREM, head, sizeof(head), text);
}

int lcp_keepalive(struct lcp *l, bool rx_seen)
{
	bool heard = rx_seen || l->echo_seen;

	l->echo_seen = false;
	if (l->fsm.state != FSM_OPENED || l->conf.ka_sec == 0 || heard) {
		l->quiet = 0;
		return 0;
	}
	l->quiet++;
	if ((unsigned long)l->quiet * l->conf.ka_sec >= l->conf.ka_max) {
		log_msg(LG_ECHO, l->conf.name, "LCP: no reply to %u echo requests", l->quiet - 1);
		l->fsm.reason = "Echo timeout";
		return -1;
	}
	uint8_t magic[MAGIC_LEN];
	put32(magic, l->neg.magic);
	fsm_send(&l->fsm, CODE_ECHOREQ, fsm_next_id(&l->fsm), magic, sizeof(magic));
	return 0;
}
