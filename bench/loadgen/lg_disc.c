/*
 * PPPoE discovery of one generated session (RFC 2516 §5): PADI to
 * broadcast with our index as Host-Uniq, PADR to the first AC that offers,
 * PADS grants the session; PADT ends it. Resent every second, a few times.
 */
#include <string.h>

#include "loadgen.h"

#define LG_DISC_RESEND_MS 1000
#define LG_DISC_TRIES 5

static void disc_uniq(const struct lg_sess *s, uint8_t out[4])
{
	out[0] = (uint8_t)(s->idx >> 24);
	out[1] = (uint8_t)(s->idx >> 16);
	out[2] = (uint8_t)(s->idx >> 8);
	out[3] = (uint8_t)s->idx;
}

static void disc_send(struct lg_sess *s)
{
	uint8_t frame[PPPOE_ETH_HLEN + PPPOE_DISC_MAX], uniq[4];
	struct pppoe_disc d;
	size_t n;

	memset(&d, 0, sizeof(d));
	disc_uniq(s, uniq);
	d.service = (struct pppoe_blob){.p = (const uint8_t *)"", .len = 0, .set = true};
	d.host_uniq = (struct pppoe_blob){.p = uniq, .len = sizeof(uniq), .set = true};
	if (s->state == LG_PADI) {
		n = pppoe_build_padi(frame, sizeof(frame), s->mac, &d);
	} else {
		d.cookie = (struct pppoe_blob){.p = s->cookie, .len = s->cookie_len, .set = s->cookie_len > 0};
		d.relay_sid = (struct pppoe_blob){.p = s->relay, .len = s->relay_len, .set = s->relay_len > 0};
		n = pppoe_build_padr(frame, sizeof(frame), s->ac, s->mac, &d);
	}
	s->tries++;
	lg_wire_send(s->lg, frame, n);
	timer_start(&s->t_disc, LG_DISC_RESEND_MS);
}

void lg_disc_start(struct lg_sess *s)
{
	s->state = LG_PADI;
	s->tries = 0;
	s->sid = 0;
	s->cookie_len = s->relay_len = 0;
	disc_send(s);
}

static void disc_timeout(void *arg)
{
	struct lg_sess *s = arg;

	if (s->state != LG_PADI && s->state != LG_PADR)
		return;
	if (s->tries >= LG_DISC_TRIES) {
		lg_sess_end(s, false, s->state == LG_PADI ? "no PADO" : "no PADS");
		return;
	}
	disc_send(s);
}

static void keep(uint8_t *dst, size_t *dlen, const struct pppoe_blob *b)
{
	*dlen = b->set && b->len <= LG_COOKIE_MAX ? b->len : 0;
	if (*dlen > 0)
		memcpy(dst, b->p, *dlen);
}

static bool uniq_ours(const struct lg_sess *s, const struct pppoe_disc *d)
{
	uint8_t uniq[4];

	disc_uniq(s, uniq);
	return d->host_uniq.set && d->host_uniq.len == sizeof(uniq) && memcmp(d->host_uniq.p, uniq, 4) == 0;
}

void lg_disc_input(struct lg_sess *s, const struct pppoe_frame *f)
{
	struct pppoe_disc d;
	const char *why;

	if (f->code == PPPOE_PADT) {
		if ((s->state == LG_PPP || s->state == LG_UP || s->state == LG_CLOSING) && f->sid == s->sid &&
		    memcmp(f->src, s->ac, PPPOE_ETH_ALEN) == 0) {
			lg_ppp_reset(s);
			lg_sess_end(s, s->state == LG_CLOSING, "PADT");
		}
		return;
	}
	if (pppoe_disc_parse(f->payload, f->len, &d, &why) < 0 || !uniq_ours(s, &d))
		return;
	if (f->code == PPPOE_PADO && s->state == LG_PADI) {
		if (!d.acname.set || !d.cookie.set)
			return;
		memcpy(s->ac, f->src, PPPOE_ETH_ALEN);
		keep(s->cookie, &s->cookie_len, &d.cookie);
		keep(s->relay, &s->relay_len, &d.relay_sid);
		s->state = LG_PADR;
		s->tries = 0;
		disc_send(s);
	} else if (f->code == PPPOE_PADS && s->state == LG_PADR && memcmp(f->src, s->ac, PPPOE_ETH_ALEN) == 0) {
		timer_stop(&s->t_disc);
		if (f->sid == 0) {
			lg_sess_end(s, false, "PADS refused");
			return;
		}
		s->sid = f->sid;
		s->state = LG_PPP;
		lg_ppp_start(s);
	}
}

void lg_disc_padt(struct lg_sess *s)
{
	uint8_t frame[PPPOE_ETH_HLEN + PPPOE_HLEN];

	if (s->sid == 0)
		return;
	size_t n = pppoe_build_padt(frame, sizeof(frame), s->ac, s->mac, s->sid, NULL);
	lg_wire_send(s->lg, frame, n);
	s->sid = 0;
}

void lg_disc_init(struct lg_sess *s)
{
	timer_init(&s->t_disc, s->lg->base, disc_timeout, s);
}
