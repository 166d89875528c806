/*
 * PPPoE client discovery (RFC 2516 §5): PADI, the first fitting PADO,
 * PADR, PADS. Host-Uniq tells which of our links a reply is for.
 */
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "dev/pppoe/pppoe_match.h"
#include "dev/pppoe/pppoe_var.h"
#include "dev/link_dev.h"

#define RESEND_FIRST 1000
#define RESEND_MAX 4000

static void uniq_bytes(uint64_t v, uint8_t out[8])
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		out[i] = v & 0xff;
}

static uint64_t uniq_value(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static struct pppoe_blob keep_blob(const struct pppoe_keep *k)
{
	return (struct pppoe_blob){.p = k->v, .len = k->len, .set = k->set};
}

static int keep(struct pppoe_keep *k, const struct pppoe_blob *b)
{
	k->set = b->set;
	k->len = 0;
	if (!b->set)
		return 0;
	if (b->len > sizeof(k->v))
		return -1;
	memcpy(k->v, b->p, b->len);
	k->len = b->len;
	return 0;
}

static void client_send(struct pppoe_link *ps)
{
	uint8_t frame[PPPOE_ETH_HLEN + PPPOE_DISC_MAX], uniq[8];
	struct pppoe_disc d;
	size_t n;

	memset(&d, 0, sizeof(d));
	uniq_bytes(ps->host_uniq, uniq);
	d.service = (struct pppoe_blob){.p = (const uint8_t *)ps->want_svc, .len = strlen(ps->want_svc), .set = true};
	d.host_uniq = (struct pppoe_blob){.p = uniq, .len = sizeof(uniq), .set = true};
	if (ps->asked_payload != 0) {
		d.has_max_payload = true;
		d.max_payload = ps->asked_payload;
	}
	if (ps->state == PPPOE_PADI_SENT) {
		n = pppoe_build_padi(frame, sizeof(frame), ps->ifp->mac, &d);
	} else {
		d.cookie = keep_blob(&ps->cookie);
		d.relay_sid = keep_blob(&ps->relay);
		n = pppoe_build_padr(frame, sizeof(frame), ps->peer, ps->ifp->mac, &d);
	}
	pppoe_if_send_disc(ps->ifp, frame, n, link_name(ps->l));
}

static void client_resend(void *arg)
{
	struct pppoe_link *ps = arg;

	client_send(ps);
	ps->resend_ms = ps->resend_ms * 2 > RESEND_MAX ? RESEND_MAX : ps->resend_ms * 2;
	timer_start(&ps->resend, ps->resend_ms);
}

static void client_timeout(void *arg)
{
	struct pppoe_link *ps = arg;

	pppoe_link_end(ps, false, ps->state == PPPOE_PADI_SENT ? "PPPoE discovery timeout (no PADO)"
							      : "PPPoE discovery timeout (no PADS)");
}

static void client_restart_resend(struct pppoe_link *ps)
{
	ps->resend_ms = RESEND_FIRST;
	timer_start(&ps->resend, ps->resend_ms);
}

static uint16_t client_payload(struct pppoe_link *ps)
{
	uint16_t want = ps->conf.max_payload;

	if (want == 0)
		return 0;
	if ((unsigned)want + 8 > pppoe_if_mtu(ps->ifp)) {
		log_msg(LG_PHYS, link_name(ps->l), "PPPoE: %s MTU %u too small for max-payload %u, not asked",
			ps->ifp->name, ps->ifp->mtu, want);
		return 0;
	}
	return want;
}

void pppoe_client_open(struct pppoe_link *ps)
{
	struct pppoe_reg *reg = pppoe_reg();
	const char *err = NULL;
	char reason[128];

	if (ps->conf.iface[0] == '\0') {
		pppoe_link_end(ps, false, "PPPoE interface not set");
		return;
	}
	if (pppoe_service_split(ps->conf.service, ps->want_ac, sizeof(ps->want_ac), ps->want_svc,
				sizeof(ps->want_svc)) < 0) {
		pppoe_link_end(ps, false, "PPPoE service name too long");
		return;
	}
	ps->ifp = pppoe_if_get(reg, ps->conf.iface, link_evbase(ps->l), &err);
	if (ps->ifp == NULL) {
		snprintf(reason, sizeof(reason), "PPPoE interface %s: %s", ps->conf.iface, err);
		pppoe_link_end(ps, false, reason);
		return;
	}
	ps->role = PPPOE_ROLE_CLIENT;
	ps->state = PPPOE_PADI_SENT;
	pppoe_if_use(ps->ifp, ps);
	ps->host_uniq = reg->next_uniq++;
	htab_insert(&ps->ifp->uniqs, &ps->uniq_node, ps->host_uniq);
	ps->in_uniq = true;
	ps->asked_payload = client_payload(ps);
	ps->peer_acname[0] = '\0';
	if (!ps->resend.init) {
		timer_init(&ps->resend, link_evbase(ps->l), client_resend, ps);
		timer_init(&ps->deadline, link_evbase(ps->l), client_timeout, ps);
	}
	log_msg(LG_PHYS, link_name(ps->l), "PPPoE: connecting on %s to service \"%s\"%s%s", ps->ifp->name,
		ps->want_svc, ps->want_ac[0] ? " of AC " : "", ps->want_ac);
	link_dev_set_state(ps->l, DEV_CONNECTING);
	client_send(ps);
	client_restart_resend(ps);
	timer_start(&ps->deadline, PPPOE_DISC_TIMEOUT);
}

void pppoe_client_rediscover(struct pppoe_link *ps)
{
	log_msg(LG_PHYS, link_name(ps->l), "PPPoE: our MAC address changed, discovery starts again");
	ps->state = PPPOE_PADI_SENT;
	ps->cookie.set = ps->relay.set = false;
	ps->asked_payload = client_payload(ps);
	client_send(ps);
	client_restart_resend(ps);
}

static void client_pado(struct pppoe_link *ps, const struct pppoe_frame *f, const struct pppoe_disc *d)
{
	const char *who = link_name(ps->l);

	if (ps->state != PPPOE_PADI_SENT)
		return; /* a slower concentrator; we already chose */
	if (!pppoe_pado_acceptable(ps->want_ac, ps->want_svc, d, f->payload, f->len)) {
		log_msg(LG_PHYS2, who, "PPPoE: PADO does not offer the AC/service we want, ignored");
		return;
	}
	if (keep(&ps->cookie, &d->cookie) < 0 || keep(&ps->relay, &d->relay_sid) < 0) {
		log_msg(LG_PHYS2, who, "PPPoE: PADO with an oversized cookie or relay id, ignored");
		return;
	}
	memcpy(ps->peer, f->src, PPPOE_ETH_ALEN);
	pppoe_blob_text(&d->acname, ps->peer_acname, sizeof(ps->peer_acname));
	log_msg(LG_PHYS2, who, "PPPoE: PADO from AC \"%s\"", ps->peer_acname);
	ps->state = PPPOE_PADR_SENT;
	client_send(ps);
	client_restart_resend(ps);
}

/* The reason a PADS refuses the session, or NULL when it grants one. */
static const char *pads_refusal(const struct pppoe_disc *d, uint16_t sid, char *buf, size_t len)
{
	static const struct {
		const char *name;
		size_t off;
	} errs[] = {
		{"Service-Name-Error", offsetof(struct pppoe_disc, service_err)},
		{"AC-System-Error", offsetof(struct pppoe_disc, ac_sys_err)},
		{"Generic-Error", offsetof(struct pppoe_disc, generic_err)},
	};
	char text[128];

	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		const struct pppoe_blob *b = (const struct pppoe_blob *)((const char *)d + errs[i].off);
		if (b->set) {
			pppoe_blob_text(b, text, sizeof(text));
			snprintf(buf, len, "PADS %s%s%s", errs[i].name, text[0] ? ": " : "", text);
			return buf;
		}
	}
	if (sid == 0 || sid == 0xffff) {
		snprintf(buf, len, "PADS with invalid session id 0x%04x", sid);
		return buf;
	}
	return NULL;
}

static void client_pads(struct pppoe_link *ps, const struct pppoe_frame *f, const struct pppoe_disc *d)
{
	char buf[192];
	const char *refused;

	if (ps->state != PPPOE_PADR_SENT || memcmp(f->src, ps->peer, PPPOE_ETH_ALEN) != 0)
		return;
	if ((refused = pads_refusal(d, f->sid, buf, sizeof(buf))) != NULL) {
		pppoe_link_end(ps, false, refused);
		return;
	}
	if (pppoe_session_find(ps->ifp, f->src, f->sid) != NULL) {
		pppoe_link_end(ps, false, "PADS repeats a session id already in use");
		return;
	}
	timer_stop(&ps->resend);
	timer_stop(&ps->deadline);
	htab_remove(&ps->ifp->uniqs, &ps->uniq_node);
	ps->in_uniq = false;
	ps->sid = f->sid;
	pppoe_session_add(ps);
	ps->mtu = pppoe_if_session_mtu(ps->ifp, pppoe_max_payload_result(ps->asked_payload, d));
	ps->state = PPPOE_UP;
	snprintf(ps->sess_service, sizeof(ps->sess_service), "%s", ps->want_svc);
	log_msg(LG_PHYS, link_name(ps->l), "PPPoE: session 0x%04x up on %s, MTU %u", ps->sid, ps->ifp->name,
		ps->mtu);
	link_dev_set_state(ps->l, DEV_UP);
	/* Last: the link layer may close or destroy the link from here. */
	link_dev_up(ps->l);
}

void pppoe_client_input(struct pppoe_if *ifp, const struct pppoe_frame *f, const struct pppoe_disc *d)
{
	struct hnode *n;

	if (!d->host_uniq.set || d->host_uniq.len != 8) {
		log_msg(LG_PHYS2, ifp->name, "PPPoE: PADO/PADS without our Host-Uniq, ignored");
		return;
	}
	n = htab_find(&ifp->uniqs, uniq_value(d->host_uniq.p), NULL);
	if (n == NULL)
		return;
	struct pppoe_link *ps = (struct pppoe_link *)((char *)n - offsetof(struct pppoe_link, uniq_node));
	if (f->code == PPPOE_PADO)
		client_pado(ps, f, d);
	else
		client_pads(ps, f, d);
}
