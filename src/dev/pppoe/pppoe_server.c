/*
 * PPPoE access concentrator (RFC 2516 §5): PADO for PADIs whose service a
 * listening link offers, sessions for PADRs that return our cookie. No
 * state is kept before a PADR proves the peer saw our PADO.
 */
#include <string.h>

#include "core/log.h"
#include "dev/pppoe/pppoe_match.h"
#include "dev/pppoe/pppoe_var.h"
#include "dev/link_dev.h"

#define PADO_MORE_SERVICES 8

static bool listener_ok(const struct pppoe_link *lp, const struct pppoe_blob *svc)
{
	/* A static link answers only while it has no call of its own. */
	if (!link_is_template(lp->l) && lp->role != PPPOE_ROLE_NONE)
		return false;
	if (!link_incoming_enabled(lp->l))
		return false;
	return pppoe_service_offered(lp->conf.service, svc->p, svc->len);
}

static struct pppoe_link *listener_find(struct pppoe_if *ifp, const struct pppoe_blob *svc)
{
	struct pppoe_link *lp;

	TAILQ_FOREACH(lp, &ifp->listeners, lentry)
		if (listener_ok(lp, svc))
			return lp;
	return NULL;
}

static struct pppoe_blob text_blob(const char *s)
{
	return (struct pppoe_blob){.p = (const uint8_t *)s, .len = strlen(s), .set = true};
}

static const struct pppoe_blob empty_service = {.p = (const uint8_t *)"", .len = 0, .set = true};

/* An empty request may take any service: list what the listeners offer. */
static unsigned more_services(struct pppoe_if *ifp, struct pppoe_blob *out, unsigned max)
{
	struct pppoe_link *lp;
	unsigned n = 0;

	TAILQ_FOREACH(lp, &ifp->listeners, lentry) {
		if (n == max || !listener_ok(lp, &empty_service) || strcmp(lp->conf.service, "*") == 0)
			continue;
		bool dup = false;
		for (unsigned i = 0; i < n && !dup; i++)
			dup = out[i].len == strlen(lp->conf.service) &&
			      memcmp(out[i].p, lp->conf.service, out[i].len) == 0;
		if (!dup)
			out[n++] = text_blob(lp->conf.service);
	}
	return n;
}

/* The PADO for a PADI that listener lp answers. */
static void pado_send(struct pppoe_if *ifp, const struct pppoe_frame *f, const struct pppoe_disc *d,
		      struct pppoe_link *lp)
{
	uint8_t frame[PPPOE_ETH_HLEN + PPPOE_DISC_MAX], cookie[PPPOE_COOKIE_LEN];
	struct pppoe_blob more[PADO_MORE_SERVICES];
	struct pppoe_reg *reg = ifp->reg;
	struct pppoe_disc o;

	memset(&o, 0, sizeof(o));
	o.acname = text_blob(lp->conf.acname);
	o.service = d->service;
	if (d->service.len == 0) {
		o.more_services = more;
		o.nmore_services = more_services(ifp, more, PADO_MORE_SERVICES);
	}
	o.host_uniq = d->host_uniq;
	o.relay_sid = d->relay_sid;
	/* Made now, not when the PADI came: a delayed PADO carries a cookie of full life. */
	pppoe_cookie_make(&reg->key, f->src, pppoe_now(), cookie);
	o.cookie = (struct pppoe_blob){.p = cookie, .len = sizeof(cookie), .set = true};
	if (d->has_max_payload) {
		o.max_payload = pppoe_max_payload_offer(d->max_payload, pppoe_if_mtu(ifp));
		o.has_max_payload = o.max_payload != 0;
	}
	size_t n = pppoe_build_pado(frame, sizeof(frame), f->src, ifp->mac, &o);
	pppoe_if_send_disc(ifp, frame, n, link_name(lp->l));
}

/* The listener that answers d, or NULL (logged). */
static struct pppoe_link *padi_listener(struct pppoe_if *ifp, const struct pppoe_disc *d)
{
	char svc[PPPOE_NAME_MAX];

	if (TAILQ_EMPTY(&ifp->listeners) || !ifp->reg->key_ok)
		return NULL;
	if (d->nservice == 0) {
		log_msg(LG_PHYS2, ifp->name, "PPPoE: PADI without Service-Name, ignored");
		return NULL;
	}
	struct pppoe_link *lp = listener_find(ifp, &d->service);
	if (lp == NULL) {
		pppoe_blob_text(&d->service, svc, sizeof(svc));
		log_msg(LG_PHYS2, ifp->name, "PPPoE: no listener offers service \"%s\", PADI ignored", svc);
	}
	return lp;
}

size_t pppoe_sessions_held(const struct pppoe_reg *reg)
{
	const struct pppoe_if *ifp;
	size_t n = 0;

	LIST_FOREACH(ifp, &reg->ifs, entry)
		n += ifp->sessions.n;
	return n;
}

static void pado_wait_free(struct pppoe_pado_wait *w)
{
	timer_stop(&w->t);
	pppoe_padoq_remove(w);
}

/* A delayed PADO is due: answer the PADI as if it had just come (listeners may have changed). */
static void pado_due(void *arg)
{
	struct pppoe_pado_wait *w = arg;
	struct pppoe_if *ifp = w->owner;
	struct pppoe_frame f = {.code = PPPOE_PADI, .ethertype = PPPOE_ETHERTYPE_DISC};
	struct pppoe_disc d;
	const char *why = NULL;

	memcpy(f.src, w->mac, PPPOE_ETH_ALEN);
	f.payload = w->tags;
	f.len = w->len;
	/* Parsed again from our copy: d points into it, so it is freed only after the send. */
	if (pppoe_disc_parse(f.payload, f.len, &d, &why) == 0) {
		struct pppoe_link *lp = padi_listener(ifp, &d);
		if (lp != NULL) {
			ifp->padoq.delayed++;
			pado_send(ifp, &f, &d, lp);
		}
	}
	pado_wait_free(w);
}

void pppoe_server_pado_flush(struct pppoe_if *ifp)
{
	while (ifp->padoq.n > 0)
		pado_wait_free(ifp->padoq.w[0]);
}

/* Keep the PADI and answer it after ms; a repeated PADI keeps the first one's due time. */
static void pado_defer(struct pppoe_if *ifp, const struct pppoe_frame *f, const struct pppoe_disc *d, int ms,
		       const char *who)
{
	struct pppoe_pado_wait *w = pppoe_padoq_find(&ifp->padoq, f->src, &d->host_uniq);

	if (w != NULL) {
		/* Restarting the timer would starve a peer that resends faster than the delay. */
		pppoe_padoq_refresh(w, f->payload, f->len);
		return;
	}
	w = pppoe_padoq_add(&ifp->padoq, f->src, &d->host_uniq, f->payload, f->len);
	if (w == NULL) {
		log_msg(LG_PHYS2, who, "PPPoE: %u PADIs already wait for a delayed PADO, PADI dropped",
			ifp->padoq.n);
		return;
	}
	w->owner = ifp;
	timer_init(&w->t, ifp->base, pado_due, w);
	timer_start(&w->t, (unsigned)ms);
	log_msg(LG_PHYS3, who, "PPPoE: PADO delayed %d ms", ms);
}

void pppoe_server_padi(struct pppoe_if *ifp, const struct pppoe_frame *f, const struct pppoe_disc *d)
{
	struct pppoe_link *lp = padi_listener(ifp, d);

	if (lp == NULL)
		return;
	if (lp->conf.pado_delay.n == 0) {
		pado_send(ifp, f, d, lp);
		return;
	}
	size_t held = pppoe_sessions_held(ifp->reg);
	int ms = pppoe_pado_delay_ms(&lp->conf.pado_delay, held);
	if (ms == PPPOE_DELAY_SILENT) {
		ifp->padoq.silent++;
		log_msg(LG_PHYS2, link_name(lp->l), "PPPoE: %zu sessions held, pado-delay says silent: PADI not answered",
			held);
	} else if (ms == 0) {
		pado_send(ifp, f, d, lp);
	} else {
		pado_defer(ifp, f, d, ms, link_name(lp->l));
	}
}

/* PADS tags common to grants and refusals: the request's service, Host-Uniq and relay id. */
static void pads_echo(struct pppoe_disc *o, const struct pppoe_disc *d)
{
	memset(o, 0, sizeof(*o));
	o->service = d->nservice > 0 ? d->service : empty_service;
	o->host_uniq = d->host_uniq;
	o->relay_sid = d->relay_sid;
}

static void pads_refuse(struct pppoe_if *ifp, const struct pppoe_frame *f, const struct pppoe_disc *d,
			uint16_t tag, const char *text)
{
	uint8_t frame[PPPOE_ETH_HLEN + PPPOE_DISC_MAX];
	struct pppoe_disc o;

	pads_echo(&o, d);
	struct pppoe_blob t = text_blob(text);
	if (tag == PPPOE_TAG_SERVICE_ERR)
		o.service_err = t;
	else if (tag == PPPOE_TAG_AC_SYS_ERR)
		o.ac_sys_err = t;
	else
		o.generic_err = t;
	log_msg(LG_PHYS, ifp->name, "PPPoE: PADR refused: %s", text);
	size_t n = pppoe_build_pads(frame, sizeof(frame), f->src, ifp->mac, 0, &o);
	pppoe_if_send_disc(ifp, frame, n, ifp->name);
}

static void pads_grant(struct pppoe_link *ps, const struct pppoe_disc *d)
{
	uint8_t frame[PPPOE_ETH_HLEN + PPPOE_DISC_MAX];
	struct pppoe_disc o;

	pads_echo(&o, d);
	if (ps->max_payload_echo != 0) {
		o.has_max_payload = true;
		o.max_payload = ps->max_payload_echo;
	}
	size_t n = pppoe_build_pads(frame, sizeof(frame), ps->peer, ps->ifp->mac, ps->sid, &o);
	pppoe_if_send_disc(ps->ifp, frame, n, link_name(ps->l));
}

static uint64_t dup_key(const uint8_t mac[PPPOE_ETH_ALEN], const struct pppoe_blob *uniq)
{
	return hash_key_mac16(mac, 0) ^ hash_key_bytes(uniq->p, uniq->set ? uniq->len : 0);
}

/* A session of the same peer and Host-Uniq granted moments ago: the PADS was lost. */
static struct pppoe_link *dup_find(struct pppoe_if *ifp, const struct pppoe_frame *f, const struct pppoe_disc *d)
{
	uint64_t key = dup_key(f->src, &d->host_uniq);
	size_t ulen = d->host_uniq.set ? d->host_uniq.len : 0;
	struct hnode *n = NULL;

	while ((n = htab_find(&ifp->dups, key, n)) != NULL) {
		struct pppoe_link *ps = (struct pppoe_link *)((char *)n - offsetof(struct pppoe_link, dup_node));
		if (memcmp(ps->peer, f->src, PPPOE_ETH_ALEN) == 0 && ps->peer_uniq_len == ulen &&
		    (ulen == 0 || memcmp(ps->peer_uniq, d->host_uniq.p, ulen) == 0) &&
		    pppoe_now() - ps->pads_at <= PPPOE_PADR_REPEAT)
			return ps;
	}
	return NULL;
}

static void keep_agent(uint8_t *dst, size_t *dlen, const struct pppoe_blob *b)
{
	*dlen = 0;
	if (!b->set)
		return;
	*dlen = b->len < PPPOE_AGENT_MAX ? b->len : PPPOE_AGENT_MAX;
	memcpy(dst, b->p, *dlen);
}

static void session_bind(struct pppoe_link *ps, struct pppoe_if *ifp, const struct pppoe_frame *f,
			 const struct pppoe_disc *d, uint16_t sid, const char *service)
{
	ps->role = PPPOE_ROLE_SERVER;
	ps->ifp = ifp;
	ifp->refs++;
	pppoe_if_use(ifp, ps);
	memcpy(ps->peer, f->src, PPPOE_ETH_ALEN);
	ps->sid = sid;
	ps->max_payload_echo = d->has_max_payload ? pppoe_max_payload_offer(d->max_payload, pppoe_if_mtu(ifp)) : 0;
	ps->mtu = pppoe_if_session_mtu(ifp, ps->max_payload_echo != 0 ? ps->max_payload_echo : PPPOE_MRU_DEFAULT);
	if (d->nservice > 0 && d->service.len > 0)
		pppoe_blob_text(&d->service, ps->sess_service, sizeof(ps->sess_service));
	else
		snprintf(ps->sess_service, sizeof(ps->sess_service), "%s", service);
	keep_agent(ps->cid, &ps->cid_len, &d->circuit_id);
	keep_agent(ps->rid, &ps->rid_len, &d->remote_id);
	ps->pads_at = pppoe_now();
	pppoe_session_add(ps);
	size_t ulen = d->host_uniq.set ? d->host_uniq.len : 0;
	ps->has_peer_uniq = ulen <= PPPOE_UNIQ_MAX;
	if (ps->has_peer_uniq) {
		ps->peer_uniq_len = ulen;
		if (ulen > 0)
			memcpy(ps->peer_uniq, d->host_uniq.p, ulen);
		htab_insert(&ifp->dups, &ps->dup_node, dup_key(f->src, &d->host_uniq));
		ps->in_dup = true;
	}
}

/* Ask the link layer for the link that takes the call; NULL when busy. */
static struct pppoe_link *call_take(struct pppoe_if *ifp, struct pppoe_link *lp)
{
	struct pppoe_reg *reg = ifp->reg;

	reg->accepting = true;
	struct link *clone = link_dev_incoming(lp->l);
	reg->accepting = false;
	if (clone == NULL)
		return NULL;
	struct pppoe_link *cps = link_dev_priv(clone);
	if (cps == NULL || cps->role != PPPOE_ROLE_NONE) {
		/* A busy link keeps its call; a link without device state is dropped. */
		log_msg(LG_ERR, link_name(clone), "PPPoE: incoming call given to an unusable link");
		if (cps == NULL)
			link_dev_down(clone, "PPPoE: call could not be bound");
		return NULL;
	}
	return cps;
}

static void session_start(struct pppoe_if *ifp, const struct pppoe_frame *f, const struct pppoe_disc *d,
			  struct pppoe_link *lp)
{
	char service[PPPOE_NAME_MAX * 2];
	uint16_t sid = idmap16_alloc(&ifp->sids);

	if (sid == 0) {
		pads_refuse(ifp, f, d, PPPOE_TAG_AC_SYS_ERR, "No free session id");
		return;
	}
	snprintf(service, sizeof(service), "%s", strcmp(lp->conf.service, "*") == 0 ? "" : lp->conf.service);
	struct pppoe_link *ps = call_take(ifp, lp);
	if (ps == NULL) {
		idmap16_free(&ifp->sids, sid);
		pads_refuse(ifp, f, d, PPPOE_TAG_AC_SYS_ERR, "Too many sessions");
		return;
	}
	if (ps != lp)
		ps->clone = true;
	session_bind(ps, ifp, f, d, sid, service);
	pads_grant(ps, d);
	ps->state = PPPOE_READY;
	log_msg(LG_PHYS, link_name(ps->l), "PPPoE: incoming session 0x%04x on %s from %02x:%02x:%02x:%02x:%02x:%02x",
		sid, ifp->name, f->src[0], f->src[1], f->src[2], f->src[3], f->src[4], f->src[5]);
	link_dev_set_state(ps->l, DEV_READY);
	if (ps->close_req)
		pppoe_link_end(ps, true, "Closed");
	else if (ps->open_req)
		pppoe_server_open(ps);
}

void pppoe_server_padr(struct pppoe_if *ifp, const struct pppoe_frame *f, const struct pppoe_disc *d)
{
	struct pppoe_reg *reg = ifp->reg;
	struct pppoe_link *ps;

	if (!reg->key_ok || !pppoe_cookie_check(&reg->key, f->src, pppoe_now(), d->cookie.p, d->cookie.len)) {
		log_msg(LG_PHYS2, ifp->name, "PPPoE: PADR with a bad or missing AC-Cookie, dropped");
		return;
	}
	if ((ps = dup_find(ifp, f, d)) != NULL) {
		log_msg(LG_PHYS2, link_name(ps->l), "PPPoE: repeated PADR, PADS sent again");
		pads_grant(ps, d);
		return;
	}
	const struct pppoe_blob *svc = d->nservice > 0 ? &d->service : &empty_service;
	struct pppoe_link *lp = listener_find(ifp, svc);
	if (lp == NULL) {
		pads_refuse(ifp, f, d, PPPOE_TAG_SERVICE_ERR, "Service not available");
		return;
	}
	/* The listener may go away inside the link layer: keep the interface meanwhile. */
	ifp->refs++;
	session_start(ifp, f, d, lp);
	pppoe_if_put(ifp);
}

void pppoe_server_open(struct pppoe_link *ps)
{
	ps->state = PPPOE_UP;
	log_msg(LG_PHYS, link_name(ps->l), "PPPoE: session 0x%04x up, MTU %u", ps->sid, ps->mtu);
	link_dev_set_state(ps->l, DEV_UP);
	/* Last: the link layer may close or destroy the link from here. */
	link_dev_up(ps->l);
}
