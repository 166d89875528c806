/*
 * The PPP side of one generated session: LCP with magic numbers and
 * optional keep-alives, CHAP-MD5 as the authenticated peer, IPCP asking
 * for an address. The engines are the daemon's own; this file is only
 * their owner (frames out through the socket, timers on the loop).
 */
#include <stdlib.h>
#include <string.h>

#include "core/pbuf.h"
#include "core/rand.h"
#include "loadgen.h"
#include "ppp/proto.h"

#define LG_FSM_TIMEOUT 3 /* seconds: a loaded server may answer slowly */

static void ppp_send(void *arg, uint16_t proto, struct pbuf *pkt)
{
	struct lg_sess *s = arg;
	uint8_t *p;

	if (s->sid == 0 || (p = pbuf_push(pkt, 2)) == NULL) {
		pbuf_free(pkt);
		return;
	}
	p[0] = (uint8_t)(proto >> 8);
	p[1] = (uint8_t)proto;
	size_t plen = pkt->len;
	if ((p = pbuf_push(pkt, PPPOE_ETH_HLEN + PPPOE_HLEN)) != NULL) {
		pppoe_session_hdr(p, s->ac, s->mac, s->sid, (uint16_t)plen);
		lg_wire_send(s->lg, pkt->data, pkt->len);
	}
	pbuf_free(pkt);
}

static void arm(struct timer *t, unsigned ms)
{
	if (ms == 0)
		timer_stop(t);
	else
		timer_start(t, ms);
}

static void lcp_timer_set(void *arg, unsigned ms) { arm(&((struct lg_sess *)arg)->t_lcp, ms); }
static void ipcp_timer_set(void *arg, unsigned ms) { arm(&((struct lg_sess *)arg)->t_ipcp, ms); }
static void chap_timer_set(void *arg, unsigned ms) { (void)arg; (void)ms; /* the client side has none */ }
static void lcp_timer_cb(void *arg) { fsm_timeout(&((struct lg_sess *)arg)->lcp.fsm); }
static void ipcp_timer_cb(void *arg) { fsm_timeout(&((struct lg_sess *)arg)->ipcp.fsm); }

static void ka_cb(void *arg)
{
	struct lg_sess *s = arg;
	bool seen = s->rx_seen;

	s->rx_seen = false;
	if (lcp_keepalive(&s->lcp, seen) < 0) {
		lg_ppp_reset(s);
		lg_disc_padt(s);
		lg_sess_end(s, false, "echo timeout");
		return;
	}
	timer_start(&s->t_ka, s->lg->conf.ka_sec * 1000);
}

static void hold_cb(void *arg)
{
	lg_ppp_close(arg);
}

static void ipcp_start(struct lg_sess *s)
{
	fsm_open(&s->ipcp.fsm);
	fsm_up(&s->ipcp.fsm);
}

static void lcp_event(void *arg, struct fsm *f, int ev, uint32_t val)
{
	(void)f;
	(void)val;
	struct lg_sess *s = arg;

	switch (ev) {
	case FSM_EV_UP:
		if (s->lg->conf.ka_sec > 0) {
			/* Spread the ticks: sessions set up in a burst must not echo in one. */
			unsigned ms = s->lg->conf.ka_sec * 1000;
			timer_start(&s->t_ka, ms / 2 + rand_below(ms));
		}
		if (s->lcp.neg.auth_self == LCP_AUTH_CHAPMD5) {
			const char *pw = s->lg->conf.pass;
			if (chap_client_start(&s->chap, s->lg->conf.user, pw, strlen(pw)) < 0)
				lg_ppp_close(s);
		} else if (s->lcp.neg.auth_self == LCP_AUTH_NONE) {
			ipcp_start(s);
		} else {
			lg_ppp_close(s);
		}
		break;
	case FSM_EV_DOWN:
		timer_stop(&s->t_ka);
		chap_stop(&s->chap);
		fsm_down(&s->ipcp.fsm);
		break;
	case FSM_EV_FINISHED:
		lg_ppp_reset(s);
		lg_disc_padt(s);
		lg_sess_end(s, s->state == LG_CLOSING, "LCP finished");
		break;
	default:
		break;
	}
}

static void ipcp_event(void *arg, struct fsm *f, int ev, uint32_t val)
{
	(void)f;
	(void)val;
	struct lg_sess *s = arg;

	if (ev == FSM_EV_UP && s->state == LG_PPP) {
		s->state = LG_UP;
		lg_sess_up(s);
		if (s->lg->conf.hold_ms > 0)
			timer_start(&s->t_hold, s->lg->conf.hold_ms / 2 + rand_below(s->lg->conf.hold_ms));
	} else if (ev == FSM_EV_FINISHED && s->state != LG_CLOSING) {
		lg_ppp_close(s);
	}
}

static void chap_verify(void *arg, struct chap *c, const struct chap_verify *v)
{
	(void)arg;
	(void)v;
	chap_server_result(c, false, "we do not authenticate the server");
}

static void chap_done(void *arg, struct chap *c, bool server, bool ok, const char *msg)
{
	(void)c;
	(void)msg;
	struct lg_sess *s = arg;

	if (server)
		return;
	if (ok)
		ipcp_start(s);
	else
		lg_ppp_close(s);
}

void lg_ppp_init(struct lg_sess *s)
{
	struct event_base *base = s->lg->base;

	timer_init(&s->t_lcp, base, lcp_timer_cb, s);
	timer_init(&s->t_ipcp, base, ipcp_timer_cb, s);
	timer_init(&s->t_ka, base, ka_cb, s);
	timer_init(&s->t_hold, base, hold_cb, s);
}

void lg_ppp_start(struct lg_sess *s)
{
	struct lcp_conf lc = {
		.name = "loadgen",
		.mru = PPPOE_MRU_DEFAULT,
		.max_mru = PPPOE_MRU_DEFAULT,
		.mtu = PPPOE_MRU_DEFAULT,
		.originated = true,
		.timeout = LG_FSM_TIMEOUT,
		.ka_sec = s->lg->conf.ka_sec,
		.ka_max = s->lg->conf.ka_sec * 6,
		.opts = {.enable = 1u << LCP_O_MAGICNUM, .accept = 1u << LCP_O_CHAPMD5 | 1u << LCP_O_MAGICNUM},
	};
	struct fsm_owner lo = {s, ppp_send, lcp_timer_set, rand_owner_u32, lcp_event};
	lcp_init(&s->lcp, &lc, &lo);
	struct chap_conf cc = {.name = "loadgen", .timeout = LG_FSM_TIMEOUT, .max_tries = 5};
	struct chap_owner co = {s, ppp_send, chap_timer_set, rand_owner_u32, chap_verify, chap_done};
	chap_init(&s->chap, &cc, &co);
	struct ipcp_conf ic = {.name = "loadgen", .timeout = LG_FSM_TIMEOUT};
	struct fsm_owner io = {s, ppp_send, ipcp_timer_set, rand_owner_u32, ipcp_event};
	ipcp_init(&s->ipcp, &ic, &io);
	fsm_open(&s->lcp.fsm);
	fsm_up(&s->lcp.fsm);
}

void lg_ppp_input(struct lg_sess *s, const uint8_t *p, size_t len)
{
	if (len < 2)
		return;
	uint16_t proto = (uint16_t)(p[0] << 8 | p[1]);
	p += 2;
	len -= 2;
	switch (proto) {
	case PROTO_LCP:
		lcp_input(&s->lcp, p, len);
		break;
	case PROTO_CHAP:
		if (s->lcp.fsm.state == FSM_OPENED)
			chap_input(&s->chap, p, len);
		break;
	case PROTO_IPCP:
		if (s->lcp.fsm.state == FSM_OPENED)
			ipcp_input(&s->ipcp, p, len);
		break;
	case PROTO_IP:
		break;
	default:
		/* IPv6CP, CCP, ...: not ours to run. */
		if (s->lcp.fsm.state == FSM_OPENED)
			lcp_send_protrej(&s->lcp, p - 2, len + 2);
		break;
	}
}

void lg_ppp_close(struct lg_sess *s)
{
	if (s->state != LG_PPP && s->state != LG_UP)
		return;
	if (s->state == LG_UP)
		s->lg->st.up--;
	timer_stop(&s->t_hold);
	s->state = LG_CLOSING;
	fsm_close(&s->ipcp.fsm, NULL);
	fsm_close(&s->lcp.fsm, "loadgen close");
}

void lg_ppp_reset(struct lg_sess *s)
{
	timer_stop(&s->t_lcp);
	timer_stop(&s->t_ipcp);
	timer_stop(&s->t_ka);
	timer_stop(&s->t_hold);
	chap_stop(&s->chap);
}
