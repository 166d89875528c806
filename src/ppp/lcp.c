/*
 * LCP option negotiation: what we ask for, how we judge the peer's
 * request, and what we make of its Acks, Naks and Rejects. Options are
 * described by one table, so multilink options can be added as rows.
 */
#include "ppp/lcp.h"

#include <string.h>

#include "core/pbuf.h"
#include "ppp/lcp_local.h"
#include "ppp/proto.h"

#define L(f) FSM_CONTAINER(f, struct lcp, fsm)

struct auth_method {
	uint16_t proto;
	uint8_t alg;		/* CHAP algorithm, 0 when none */
	bool impl;		/* engine available; the others count as disabled */
	unsigned bit;		/* LCP_O_* */
	const char *name;
};

/* Indexed by enum lcp_auth: the order is the preference order of commands.md §9. */
static const struct auth_method auth_methods[LCP_AUTH_N] = {
	[LCP_AUTH_CHAPMSV2] = { PROTO_CHAP, 0x81, true, LCP_O_CHAPMSV2, "CHAP-MSv2" },
	[LCP_AUTH_CHAPMSV1] = { PROTO_CHAP, 0x80, true, LCP_O_CHAPMSV1, "CHAP-MSv1" },
	[LCP_AUTH_CHAPMD5] = { PROTO_CHAP, 0x05, true, LCP_O_CHAPMD5, "CHAP-MD5" },
	[LCP_AUTH_PAP] = { PROTO_PAP, 0, true, LCP_O_PAP, "PAP" },
	[LCP_AUTH_EAP] = { PROTO_EAP, 0, true, LCP_O_EAP, "EAP" },
};

uint16_t lcp_auth_proto(enum lcp_auth a)
{
	return a > LCP_AUTH_NONE && a < LCP_AUTH_N ? auth_methods[a].proto : 0;
}

const char *lcp_auth_name(enum lcp_auth a)
{
	return a > LCP_AUTH_NONE && a < LCP_AUTH_N ? auth_methods[a].name : "none";
}

/* Which method an Auth-Protocol option names; NONE when we do not know it. */
static enum lcp_auth auth_parse(const struct ppp_opt *o)
{
	if (o->len < 2)
		return LCP_AUTH_NONE;
	uint16_t proto = get16(o->data);

	for (int a = 0; a < LCP_AUTH_N; a++) {
		const struct auth_method *m = &auth_methods[a];
		if (m->proto != proto)
			continue;
		if (m->alg == 0 && o->len == 2)
			return a;
		if (m->alg != 0 && o->len == 3 && o->data[2] == m->alg)
			return a;
	}
	return LCP_AUTH_NONE;
}

static int auth_put(struct pbuf *b, enum lcp_auth a)
{
	uint8_t d[3];
	const struct auth_method *m = &auth_methods[a];

	put16(d, m->proto);
	d[2] = m->alg;
	return opt_put(b, LCP_AUTHPROTO, d, m->alg != 0 ? 3 : 2);
}

static bool auth_enabled(const struct lcp *l, enum lcp_auth a)
{
	return a > LCP_AUTH_NONE && a < LCP_AUTH_N && auth_methods[a].impl &&
	       opt_enabled(&l->conf.opts, auth_methods[a].bit);
}

static bool auth_accepted(const struct lcp *l, enum lcp_auth a)
{
	return a > LCP_AUTH_NONE && a < LCP_AUTH_N && auth_methods[a].impl &&
	       opt_accepted(&l->conf.opts, auth_methods[a].bit);
}

/* First method from `from` on (in preference order) that we may require. */
static enum lcp_auth auth_next_enabled(const struct lcp *l, int from)
{
	for (int a = from < 0 ? 0 : from; a < LCP_AUTH_N; a++)
		if (auth_enabled(l, a))
			return a;
	return LCP_AUTH_NONE;
}

static enum lcp_auth auth_first_accepted(const struct lcp *l)
{
	for (int a = 0; a < LCP_AUTH_N; a++)
		if (auth_accepted(l, a))
			return a;
	return LCP_AUTH_NONE;
}

static uint32_t new_magic(struct lcp *l, uint32_t avoid)
{
	uint32_t m;
	int tries = 0;

	do {
		m = fsm_rand32(&l->fsm);
	} while ((m == 0 || m == avoid || m == l->want.magic_val) && ++tries < 16);
	if (m == 0 || m == avoid)
		m = (avoid ^ 0x5a5a5a5au) | 1;
	return m;
}

/* ---- the peer's Configure-Request ---- */

static void req_mru(struct lcp *l, const struct ppp_opt *o, struct fsm_cr *cr, struct lcp_neg *his)
{
	uint16_t v = get16(o->data);

	(void)l;
	if (v < LCP_MIN_MRU) {
		uint8_t d[2];
		put16(d, LCP_MIN_MRU);
		fsm_cr_nak(cr, o, LCP_MRU, d, sizeof(d));
		return;
	}
	his->peer_mru = v;
}

static void req_accm(struct lcp *l, const struct ppp_opt *o, struct fsm_cr *cr, struct lcp_neg *his)
{
	if (!l->conf.async) {
		fsm_cr_rej(cr, o);
		return;
	}
	his->accm_xmit = get32(o->data);
}

static void req_auth(struct lcp *l, const struct ppp_opt *o, struct fsm_cr *cr, struct lcp_neg *his)
{
	enum lcp_auth a = auth_parse(o);

	if (auth_accepted(l, a)) {
		his->auth_self = a;
		return;
	}
	enum lcp_auth alt = auth_first_accepted(l);
	if (alt == LCP_AUTH_NONE) {
		log_msg(LG_LCP, l->conf.name, "LCP: peer wants auth protocol 0x%04x, we accept none",
			get16(o->data));
		fsm_cr_rej(cr, o);
		return;
	}
	uint8_t d[3];
	put16(d, auth_methods[alt].proto);
	d[2] = auth_methods[alt].alg;
	fsm_cr_nak(cr, o, LCP_AUTHPROTO, d, auth_methods[alt].alg != 0 ? 3 : 2);
}

static void req_magic(struct lcp *l, const struct ppp_opt *o, struct fsm_cr *cr, struct lcp_neg *his)
{
	uint32_t v = get32(o->data);

	if (v == 0 || (l->want.magic && v == l->want.magic_val)) {
		if (v != 0 && ++l->loops >= LCP_LOOPBACK_MAX)
			l->loop_pending = true;
		/* Both sides pick anew (RFC 1661 §6.4); our next request carries the new one. */
		if (v != 0 && l->want.magic)
			l->want.magic_val = new_magic(l, v);
		uint8_t d[4];
		put32(d, new_magic(l, v));
		fsm_cr_nak(cr, o, LCP_MAGIC, d, sizeof(d));
		return;
	}
	his->peer_magic = v;
}

static void req_pfc(struct lcp *l, const struct ppp_opt *o, struct fsm_cr *cr, struct lcp_neg *his)
{
	if (!opt_accepted(&l->conf.opts, LCP_O_PROTOCOMP))
		fsm_cr_rej(cr, o);
	else
		his->pfc_xmit = true;
}

static void req_acfc(struct lcp *l, const struct ppp_opt *o, struct fsm_cr *cr, struct lcp_neg *his)
{
	if (!opt_accepted(&l->conf.opts, LCP_O_ACFCOMP))
		fsm_cr_rej(cr, o);
	else
		his->acfc_xmit = true;
}

static void req_mrru(struct lcp *l, const struct ppp_opt *o, struct fsm_cr *cr, struct lcp_neg *his)
{
	uint16_t v = get16(o->data);

	if (!opt_enabled(&l->conf.opts, LCP_O_MULTILINK)) {
		fsm_cr_rej(cr, o);
		return;
	}
	if (v < LCP_MIN_MRU) {
		uint8_t d[2];
		put16(d, LCP_MIN_MRU);
		fsm_cr_nak(cr, o, LCP_MRRU, d, sizeof(d));
		return;
	}
	his->mrru_xmit = true;
	his->peer_mrru = v;
}

static void req_ssn(struct lcp *l, const struct ppp_opt *o, struct fsm_cr *cr, struct lcp_neg *his)
{
	if (!opt_enabled(&l->conf.opts, LCP_O_MULTILINK) || !opt_accepted(&l->conf.opts, LCP_O_SHORTSEQ))
		fsm_cr_rej(cr, o);
	else
		his->ssn_xmit = true;
}

static void req_epdisc(struct lcp *l, const struct ppp_opt *o, struct fsm_cr *cr, struct lcp_neg *his)
{
	if (mp_epdisc_decode(o->data, o->len, &his->peer_disc) < 0) {
		log_msg(LG_LCP, l->conf.name, "LCP: invalid endpoint discriminator (class %u, %u bytes)",
			o->data[0], o->len - 1u);
		fsm_cr_rej(cr, o);
		return;
	}
	his->peer_disc_set = true;
}

/* ---- the peer's answers to our request ---- */

static void nak_mru(struct lcp *l, const struct ppp_opt *o)
{
	uint16_t v = get16(o->data);

	if (!l->want.mru)
		return;
	if (v == l->want.mru_val) {
		/* Some peers Nak our own value forever; leaving the option out ends it. */
		l->want.mru = false;
		return;
	}
	if (v >= LCP_MIN_MRU && v <= l->conf.max_mru)
		l->want.mru_val = v;
}

static void nak_accm(struct lcp *l, const struct ppp_opt *o)
{
	if (l->want.accm)
		l->want.accm_val |= get32(o->data);
}

static int nak_auth(struct lcp *l, const struct ppp_opt *o)
{
	if (!l->want.auth)
		return FSM_OK;
	enum lcp_auth a = auth_parse(o);

	if (auth_enabled(l, a) && a != l->want.auth_val) {
		l->want.auth_val = a;
		return FSM_OK;
	}
	enum lcp_auth next = auth_next_enabled(l, l->want.auth_val + 1);
	if (next != LCP_AUTH_NONE) {
		l->want.auth_val = next;
		return FSM_OK;
	}
	return FSM_FAIL;
}

static void nak_magic(struct lcp *l, const struct ppp_opt *o)
{
	(void)o;
	if (!l->want.magic)
		return;
	if (++l->loops >= LCP_LOOPBACK_MAX)
		l->loop_pending = true;
	l->want.magic_val = new_magic(l, l->want.magic_val);
}

static void nak_mrru(struct lcp *l, const struct ppp_opt *o)
{
	uint16_t v = get16(o->data);

	if (l->want.mrru && v >= LCP_MIN_MRU && v <= LCP_MAX_MRRU)
		l->want.mrru_val = v;
}

/* SSN carries no value; a Nak of it can only mean "not this". */
static void nak_ssn(struct lcp *l, const struct ppp_opt *o)
{
	(void)o;
	l->want.ssn = false;
}

static int rej_auth(struct lcp *l)
{
	if (l->conf.originated && opt_enabled(&l->conf.opts, LCP_O_NOORIGAUTH)) {
		log_msg(LG_LCP, l->conf.name, "LCP: peer refuses to authenticate; no-orig-auth drops our requirement");
		l->want.auth = false;
		return FSM_OK;
	}
	log_msg(LG_LCP, l->conf.name, "LCP: peer refuses to authenticate");
	return FSM_FAIL;
}

/* One LCP option: how long its data must be and what each message does to it. */
struct lcp_optdesc {
	uint8_t type;
	const char *name;
	uint8_t minlen, maxlen;	/* data bytes */
	void (*req)(struct lcp *, const struct ppp_opt *, struct fsm_cr *, struct lcp_neg *);
	void (*nak)(struct lcp *, const struct ppp_opt *);
	bool *(*flag)(struct lcp_want *);	/* the want flag a Reject clears */
};

static bool *want_mru(struct lcp_want *w) { return &w->mru; }
static bool *want_accm(struct lcp_want *w) { return &w->accm; }
static bool *want_magic(struct lcp_want *w) { return &w->magic; }
static bool *want_pfc(struct lcp_want *w) { return &w->pfc; }
static bool *want_acfc(struct lcp_want *w) { return &w->acfc; }
static bool *want_callback(struct lcp_want *w) { return &w->callback; }
static bool *want_mrru(struct lcp_want *w) { return &w->mrru; }
static bool *want_ssn(struct lcp_want *w) { return &w->ssn; }
static bool *want_disc(struct lcp_want *w) { return &w->disc; }

/* Options without a req handler are rejected when the peer asks for them. */
static const struct lcp_optdesc lcp_opts[] = {
	{ LCP_MRU, "MRU", 2, 2, req_mru, nak_mru, want_mru },
	{ LCP_ACCM, "ACCM", 4, 4, req_accm, nak_accm, want_accm },
	{ LCP_AUTHPROTO, "AUTHPROTO", 2, 253, req_auth, NULL, NULL },
	{ LCP_QUALPROTO, "QUALPROTO", 2, 253, NULL, NULL, NULL },
	{ LCP_MAGIC, "MAGICNUM", 4, 4, req_magic, nak_magic, want_magic },
	{ LCP_PFC, "PROTOCOMP", 0, 0, req_pfc, NULL, want_pfc },
	{ LCP_ACFC, "ACFCOMP", 0, 0, req_acfc, NULL, want_acfc },
	{ LCP_CALLBACK, "CALLBACK", 1, 253, NULL, NULL, want_callback },
	{ LCP_MRRU, "MRRU", 2, 2, req_mrru, nak_mrru, want_mrru },
	{ LCP_SHORTSEQ, "SHORTSEQ", 0, 0, req_ssn, nak_ssn, want_ssn },
	{ LCP_EPDISC, "ENDPOINTDISC", 1, 21, req_epdisc, NULL, want_disc },
};

static const struct lcp_optdesc *optdesc(uint8_t type)
{
	for (size_t i = 0; i < sizeof(lcp_opts) / sizeof(lcp_opts[0]); i++)
		if (lcp_opts[i].type == type)
			return &lcp_opts[i];
	return NULL;
}

static bool len_ok(const struct lcp_optdesc *d, const struct ppp_opt *o)
{
	return o->len >= d->minlen && o->len <= d->maxlen;
}

/* ---- fsm hooks ---- */

static void lcp_reset(struct fsm *f)
{
	struct lcp *l = L(f);
	struct lcp_want *w = &l->want;
	const struct optset *o = &l->conf.opts;

	memset(w, 0, sizeof(*w));
	w->mru = l->conf.mru != 0;
	w->mru_val = l->conf.mru;
	w->accm = l->conf.async;
	w->accm_val = l->conf.accmap;
	w->auth_val = auth_next_enabled(l, 0);
	w->auth = w->auth_val != LCP_AUTH_NONE;
	w->magic = opt_enabled(o, LCP_O_MAGICNUM);
	if (w->magic)
		w->magic_val = new_magic(l, 0);
	w->pfc = opt_enabled(o, LCP_O_PROTOCOMP);
	w->acfc = opt_enabled(o, LCP_O_ACFCOMP);
	w->callback = l->conf.originated && opt_enabled(o, LCP_O_CALLBACK);
	w->mrru = opt_enabled(o, LCP_O_MULTILINK);
	w->mrru_val = l->conf.mrru;
	w->ssn = w->mrru && opt_enabled(o, LCP_O_SHORTSEQ);
	w->disc = w->mrru;
}

static int lcp_build_req(struct fsm *f, struct pbuf *b)
{
	struct lcp *l = L(f);
	const struct lcp_want *w = &l->want;
	int r = 0;

	if (w->mru)
		r |= opt_put16(b, LCP_MRU, w->mru_val);
	if (w->accm)
		r |= opt_put32(b, LCP_ACCM, w->accm_val);
	if (w->auth)
		r |= auth_put(b, w->auth_val);
	if (w->magic)
		r |= opt_put32(b, LCP_MAGIC, w->magic_val);
	if (w->pfc)
		r |= opt_put(b, LCP_PFC, NULL, 0);
	if (w->acfc)
		r |= opt_put(b, LCP_ACFC, NULL, 0);
	if (w->callback) {
		/* Operation 0: the location is decided by authentication (RFC 1570 §2.3). */
		uint8_t op = 0;
		r |= opt_put(b, LCP_CALLBACK, &op, 1);
	}
	if (w->mrru)
		r |= opt_put16(b, LCP_MRRU, w->mrru_val);
	if (w->ssn)
		r |= opt_put(b, LCP_SHORTSEQ, NULL, 0);
	if (w->disc) {
		uint8_t d[1 + sizeof(l->conf.disc.addr)];
		size_t n = mp_epdisc_encode(d, sizeof(d), &l->conf.disc);
		r |= n > 0 ? opt_put(b, LCP_EPDISC, d, n) : -1;
	}
	return r;
}

static void neg_peer_defaults(struct lcp_neg *n)
{
	n->peer_mru = LCP_DEFAULT_MRU;
	n->accm_xmit = 0xffffffff;
	n->auth_self = LCP_AUTH_NONE;
	n->peer_magic = 0;
	n->pfc_xmit = false;
	n->acfc_xmit = false;
	n->mrru_xmit = false;
	n->peer_mrru = 0;
	n->ssn_xmit = false;
	n->peer_disc_set = false;
	memset(&n->peer_disc, 0, sizeof(n->peer_disc));
}

static int lcp_recv_req(struct fsm *f, const uint8_t *opts, size_t len, struct fsm_cr *cr)
{
	struct lcp *l = L(f);
	struct lcp_neg his = l->neg;
	struct opt_iter it;
	struct ppp_opt o;

	neg_peer_defaults(&his);
	opt_iter_init(&it, opts, len);
	while (opt_next(&it, &o) == 1) {
		const struct lcp_optdesc *d = optdesc(o.type);
		if (d == NULL || d->req == NULL || !len_ok(d, &o)) {
			log_msg(LG_LCP, l->conf.name, "LCP: rejecting option %u (%s, len %u)", o.type,
				d != NULL ? d->name : "unknown", o.len);
			fsm_cr_rej(cr, &o);
			continue;
		}
		d->req(l, &o, cr, &his);
	}
	if (cr->nak->len == 0 && cr->rej->len == 0)
		l->neg = his;
	return FSM_OK;
}

static void lcp_recv_ack(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct lcp *l = L(f);
	struct lcp_neg *n = &l->neg;
	struct opt_iter it;
	struct ppp_opt o;

	n->mru = LCP_DEFAULT_MRU;
	n->accm_recv = 0xffffffff;
	n->auth_peer = LCP_AUTH_NONE;
	n->magic = 0;
	n->pfc_recv = n->acfc_recv = n->callback = false;
	n->mrru_recv = n->ssn_recv = false;
	n->mrru = 0;
	opt_iter_init(&it, opts, len);
	while (opt_next(&it, &o) == 1) {
		switch (o.type) {
		case LCP_MRU: n->mru = get16(o.data); break;
		case LCP_ACCM: n->accm_recv = get32(o.data); break;
		case LCP_AUTHPROTO: n->auth_peer = auth_parse(&o); break;
		case LCP_MAGIC: n->magic = get32(o.data); break;
		case LCP_PFC: n->pfc_recv = true; break;
		case LCP_ACFC: n->acfc_recv = true; break;
		case LCP_CALLBACK: n->callback = true; break;
		case LCP_MRRU: n->mrru_recv = true; n->mrru = get16(o.data); break;
		case LCP_SHORTSEQ: n->ssn_recv = true; break;
		default: break;
		}
	}
}

static int lcp_recv_nak(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct lcp *l = L(f);
	struct opt_iter it;
	struct ppp_opt o;

	opt_iter_init(&it, opts, len);
	while (opt_next(&it, &o) == 1) {
		const struct lcp_optdesc *d = optdesc(o.type);
		if (d == NULL || !len_ok(d, &o))
			continue;
		log_msg(LG_LCP, l->conf.name, "LCP: peer naks %s", d->name);
		if (o.type == LCP_AUTHPROTO) {
			if (nak_auth(l, &o) == FSM_FAIL) {
				log_msg(LG_LCP, l->conf.name, "LCP: no auth protocol left the peer accepts");
				return FSM_FAIL;
			}
		} else if (o.type == LCP_CALLBACK) {
			l->want.callback = false;
		} else if (d->nak != NULL) {
			d->nak(l, &o);
		}
	}
	return FSM_OK;
}

static int lcp_recv_rej(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct lcp *l = L(f);
	struct opt_iter it;
	struct ppp_opt o;

	opt_iter_init(&it, opts, len);
	while (opt_next(&it, &o) == 1) {
		const struct lcp_optdesc *d = optdesc(o.type);
		if (d == NULL)
			continue;
		log_msg(LG_LCP, l->conf.name, "LCP: peer rejects %s", d->name);
		if (o.type == LCP_AUTHPROTO) {
			if (rej_auth(l) == FSM_FAIL)
				return FSM_FAIL;
		} else if (d->flag != NULL) {
			*d->flag(&l->want) = false;
		}
		if (o.type == LCP_MRRU) {
			/* no multilink on this link: short sequence numbers mean nothing */
			log_msg(LG_LCP, l->conf.name, "LCP: no multilink on this link");
			l->want.ssn = false;
		}
	}
	return FSM_OK;
}

static void lcp_up(struct fsm *f)
{
	struct lcp *l = L(f);
	struct lcp_neg *n = &l->neg;

	n->mtu = n->peer_mru < l->conf.mtu || l->conf.mtu == 0 ? n->peer_mru : l->conf.mtu;
	f->peer_mru = n->peer_mru;
	l->loops = 0;
	l->quiet = 0;
	l->echo_seen = false;
	log_msg(LG_LCP, l->conf.name, "LCP: up: mru %u peer-mru %u auth %s/%s magic %08x/%08x",
		n->mru, n->peer_mru, lcp_auth_name(n->auth_peer), lcp_auth_name(n->auth_self),
		n->magic, n->peer_magic);
	if (n->mrru_recv || n->mrru_xmit)
		log_msg(LG_LCP, l->conf.name, "LCP: multilink%s: mrru %u peer-mrru %u shortseq %s/%s",
			lcp_multilink(n) ? "" : " one way only, not used", n->mrru, n->peer_mrru,
			n->ssn_recv ? "in" : "-", n->ssn_xmit ? "out" : "-");
}

bool lcp_multilink(const struct lcp_neg *n)
{
	return n->mrru_recv && n->mrru_xmit;
}

static const struct fsm_proto lcp_proto = {
	.name = "LCP",
	.proto = PROTO_LCP,
	.logf = LG_LCP,
	.reset = lcp_reset,
	.build_req = lcp_build_req,
	.recv_req = lcp_recv_req,
	.recv_ack = lcp_recv_ack,
	.recv_nak = lcp_recv_nak,
	.recv_rej = lcp_recv_rej,
	.up = lcp_up,
	.extra = lcp_extra,
};

void lcp_init(struct lcp *l, const struct lcp_conf *conf, const struct fsm_owner *owner)
{
	struct fsm_conf fc = {
		.name = conf->name,
		.timeout = conf->timeout,
		.passive = opt_enabled(&conf->opts, LCP_O_PASSIVE),
	};

	memset(l, 0, sizeof(*l));
	l->conf = *conf;
	if (l->conf.max_mru == 0)
		l->conf.max_mru = l->conf.mru > 0 ? l->conf.mru : LCP_DEFAULT_MRU;
	if (l->conf.mrru == 0)
		l->conf.mrru = LCP_DEFAULT_MRU; /* RFC 1990 §11.3 */
	fsm_init(&l->fsm, &lcp_proto, owner, &fc);
	neg_peer_defaults(&l->neg);
	l->neg.mru = LCP_DEFAULT_MRU;
	l->neg.accm_recv = 0xffffffff;
	l->neg.auth_peer = LCP_AUTH_NONE;
}

void lcp_input(struct lcp *l, const uint8_t *pkt, size_t len)
{
	fsm_input(&l->fsm, pkt, len);
	/* Raised after the packet is handled, so the owner may close LCP in its callback. */
	if (l->loop_pending) {
		l->loop_pending = false;
		l->loops = 0;
		log_msg(LG_LCP, l->conf.name, "LCP: loopback detected");
		fsm_event(&l->fsm, LCP_EV_LOOPBACK, 0);
	}
}
