/*
 * Bundle objects: registry, templates, joining and leaving links, and the
 * frame path between links and the interface (iface/iface.h).
 */
#include "bund/bundle.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "core/pbuf.h"
#include "core/daemon.h"
#include "core/rand.h"
#include "dp/dp.h"
#include "bund/bund_bw.h"
#include "bund/bund_ipcp.h"
#include "bund/bund_mp.h"
#include "link/link.h"
#include "ppp/proto.h"

static void bund_free_cb(void *arg);
static void bund_fast_update(struct bundle *b);
static const struct iface_ops bund_iface_ops;

void bund_conf_defaults(struct bundle *b)
{
	b->conf.fsm_timeout = 2;
	b->conf.period = 60;
	b->conf.lowat = 20;
	b->conf.hiwat = 80;
	b->conf.min_con = 30;
	b->conf.min_dis = 90;
	b->conf.opts.enable = 1u << BOPT_IPCP;
	iface_conf_defaults(&b->iface.conf);
	b->ipconf.peer.width = 0;
	b->ipconf.self.width = 0;
	b->ipconf.opts.enable = 0;
	b->ipconf.opts.accept = 0;
}

const char *bund_name(const struct bundle *b)
{
	return b->name;
}

bool bund_is_template(const struct bundle *b)
{
	return b->kind == BUND_TEMPLATE;
}

struct iface *bund_iface(struct bundle *b)
{
	return &b->iface;
}

bool bund_admin_open(const struct bundle *b)
{
	return b->open;
}

static const char *bund_name_of(const void *obj)
{
	return ((const struct bundle *)obj)->name;
}

int bunds_init(struct daemon *d)
{
	if (reg_init(&d->bunds, bund_name_of) < 0)
		return -1;
	if (logins_init(&d->logins) < 0) {
		reg_free(&d->bunds);
		return -1;
	}
	if (htab_init(&d->mp_peers, rand_u64()) < 0) {
		logins_free(&d->logins);
		reg_free(&d->bunds);
		return -1;
	}
	return 0;
}

struct bundle *bund_find(struct daemon *d, const char *name)
{
	return reg_find(&d->bunds, name);
}

struct handle bund_handle(const struct bundle *b)
{
	return reg_handle(&b->d->bunds, b->index);
}

struct bundle *bund_by_handle(struct daemon *d, struct handle h)
{
	return reg_resolve(&d->bunds, h);
}

/* A new bundle in the lowest free slot, still unnamed: clones take the slot into their
 * name, so the caller names it and calls reg_renamed. */
static struct bundle *bund_alloc(struct daemon *d, enum bund_kind kind)
{
	struct bundle *b = calloc(1, sizeof(*b));
	if (b == NULL)
		return NULL;
	int slot = reg_add(&d->bunds, b, NULL);
	if (slot < 0) {
		free(b);
		return NULL;
	}
	b->d = d;
	b->index = (unsigned)slot;
	b->kind = kind;
	iface_init(&b->iface, d, &bund_iface_ops, b, b->name);
	timer_init(&b->free_timer, d->base, bund_free_cb, b);
	return b;
}

static struct bundle *bund_register(struct bundle *b, char *err, size_t errlen)
{
	bool v6 = opt_enabled(&b->conf.opts, BOPT_IPV6CP);
	if (b->kind != BUND_TEMPLATE && iface_create(&b->iface, b->index, v6, err, errlen) < 0) {
		reg_remove(&b->d->bunds, b->index);
		free(b);
		return NULL;
	}
	log_msg(LG_BUND, b->name, "Bundle: created%s", b->kind == BUND_TEMPLATE ? " (template)" :
		b->kind == BUND_STATIC ? " (static)" : "");
	return b;
}

struct bundle *bund_create(struct daemon *d, const char *name, enum bund_kind kind,
			   const struct bundle *from, char *err, size_t errlen)
{
	size_t max = kind == BUND_TEMPLATE ? 10 : BUND_NAME_MAX - 1;
	if (name[0] == '\0' || strlen(name) > max) {
		snprintf(err, errlen, "bundle name \"%s\" must be 1 to %zu characters", name, max);
		return NULL;
	}
	if (bund_find(d, name) != NULL) {
		snprintf(err, errlen, "bundle \"%s\" already exists", name);
		return NULL;
	}
	struct bundle *b = bund_alloc(d, kind);
	if (b == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(b->name, sizeof(b->name), "%s", name);
	reg_renamed(&d->bunds, b->index);
	if (from != NULL) {
		b->conf = from->conf;
		iface_conf_inherit(&b->iface, &from->iface, false, 0);
		b->ipconf = from->ipconf;
	} else {
		bund_conf_defaults(b);
	}
	return bund_register(b, err, errlen);
}

struct bundle *bund_instantiate(struct bundle *t)
{
	struct bundle *b = bund_alloc(t->d, BUND_PLAIN);
	if (b == NULL)
		return NULL;
	snprintf(b->name, sizeof(b->name), "%.15s-%u", t->name, b->index);
	reg_renamed(&t->d->bunds, b->index);
	b->conf = t->conf;
	iface_conf_inherit(&b->iface, &t->iface, true, b->index);
	b->ipconf = t->ipconf;
	b->tmpl = bund_handle(t);
	char err[128];
	if (bund_register(b, err, sizeof(err)) == NULL) {
		log_msg(LG_ERR, t->name, "Bundle: can't instantiate: %s", err);
		return NULL;
	}
	t->children++;
	b->die = true;
	return b;
}

/*
 * While a bundle has links it is counted under its first link's template and
 * peer name (max-logins) and, with multilink, indexed by its peer, so neither
 * question walks the bundles during session setup.
 */
static void bund_index(struct bundle *b, const struct link *first)
{
	struct daemon *d = b->d;
	b->login_scope = first->tmpl;
	b->login_counted = logins_add(&d->logins, b->login_scope, b->peer_authname) == 0;
	if (b->mp != NULL && d->mp_peers.b != NULL) {
		htab_insert(&d->mp_peers, &b->mp_node, bund_mp_key(b));
		b->mp_indexed = true;
	}
}

/* The last link left (or the bundle goes): out of the counts and the index. */
static void bund_unindex(struct bundle *b)
{
	if (b->login_counted)
		logins_del(&b->d->logins, b->login_scope, b->peer_authname);
	b->login_counted = false;
	if (b->mp_indexed)
		htab_remove(&b->d->mp_peers, &b->mp_node);
	b->mp_indexed = false;
}

void bunds_tmpl_gone(struct daemon *d, const struct link *tmpl)
{
	unsigned cur = 0;
	for (struct bundle *b; (b = reg_next(&d->bunds, &cur)) != NULL;)
		if (b->login_counted && b->login_scope == tmpl) {
			/* its links are orphans now (tmpl NULL): count them with those */
			logins_del(&d->logins, tmpl, b->peer_authname);
			b->login_scope = NULL;
			b->login_counted = logins_add(&d->logins, NULL, b->peer_authname) == 0;
		}
}

static void bund_really_free(struct bundle *b)
{
	struct daemon *d = b->d;
	timer_stop(&b->free_timer);
	if (b->ipcp != NULL)
		bund_ipcp_free(b);
	bund_bw_free(b); /* bund */
	bund_mp_stop(b);
	iface_destroy(&b->iface);
	bund_unindex(b);
	struct bundle *t = bund_by_handle(d, b->tmpl);
	if (t != NULL)
		t->children--;
	reg_remove(&d->bunds, b->index);
	log_msg(LG_BUND, b->name, "Bundle: destroyed");
	free(b);
}

static void bund_free_cb(void *arg)
{
	struct bundle *b = arg;
	if (b->nlinks == 0)
		bund_really_free(b);
}

unsigned bunds_count_peer(struct daemon *d, const struct link *tmpl, const char *peer, bool ci)
{
	return logins_count(&d->logins, tmpl, peer, ci);
}

struct bundle *bunds_find_multilink(struct daemon *d, const struct link *l)
{
	if (!bund_mp_link_ok(l) || d->mp_peers.b == NULL)
		return NULL;
	uint64_t key = bund_mp_link_key(l);
	for (struct hnode *n = htab_find(&d->mp_peers, key, NULL); n != NULL; n = htab_find(&d->mp_peers, key, n)) {
		struct bundle *b = (struct bundle *)(void *)((char *)n - offsetof(struct bundle, mp_node));
		if (b->kind != BUND_TEMPLATE && b->nlinks > 0 && b->mp != NULL && bund_mp_match(b, l))
			return b;
	}
	return NULL;
}

void bund_release_if_unused(struct bundle *b)
{
	if (b->die && b->nlinks == 0)
		timer_start(&b->free_timer, 0);
}

void bund_destroy(struct bundle *b)
{
	if (b->kind == BUND_TEMPLATE || b->nlinks == 0) {
		bund_really_free(b);
		return;
	}
	b->kind = BUND_PLAIN;
	b->die = true;
	bund_close(b, "Bundle destroyed");
}

static void bund_mtu_update(struct bundle *b)
{
	unsigned mtu = 1500;
	if (b->nlinks > 0)
		mtu = b->mp != NULL ? bund_mp_mtu(b) : link_peer_mru(b->links[0]);
	iface_mtu_set(&b->iface, mtu);
}

/* The first link to join (commands.md §3.4 step 5): session id, counters, NCPs. */
static int bund_first_link(struct bundle *b, struct link *l, char *err, size_t errlen)
{
	link_session_stamp(&b->d->sid_bund, b->msession_id, sizeof(b->msession_id), b->name);
	snprintf(b->peer_authname, sizeof(b->peer_authname), "%s", l->peer_authname);
	b->up_since = time(NULL);
	memset(&b->stats, 0, sizeof(b->stats));
	struct iface_authz ia; /* what AAA granted the first link is the session's (radius.md §2.8) */
	link_authz_iface(l, &ia);
	iface_authz_set(&b->iface, &ia);
	bund_mtu_update(b);
	if (opt_enabled(&b->conf.opts, BOPT_CRYPT_REQD)) {
		/* no ECP/MPPE yet: an NCP opened now would carry the session unencrypted */
		log_msg(LG_BUND, b->name, "Bundle: crypt-reqd is enabled but this build has no encryption "
			"(ECP/MPPE): not opening the network protocols");
		snprintf(err, errlen, "failed to negotiate required encryption");
		return -1;
	}
	if (opt_enabled(&b->conf.opts, BOPT_IPCP) && bund_ipcp_start(b, l) < 0) {
		snprintf(err, errlen, "IPCP could not start (no address for the peer?)");
		return -1;
	}
	return 0;
}

/* Undo a join that failed half way. */
static void bund_unjoin(struct bundle *b, struct link *l)
{
	bund_mp_leave(b, l);
	b->nlinks--;
	l->bund = NULL;
	if (b->nlinks == 0) {
		bund_mp_stop(b);
		iface_authz_clear(&b->iface);
		b->peer_authname[0] = '\0';
	}
}

int bund_join(struct bundle *b, struct link *l, char *err, size_t errlen)
{
	if (b->nlinks >= BUND_MAX_LINKS) {
		snprintf(err, errlen, "bundle %s is full", b->name);
		return -1;
	}
	if (b->nlinks > 0 && !bund_mp_match(b, l)) {
		/* §3.4 step 3: multilink on both, and the same peer */
		log_msg(LG_BUND, b->name, "Bundle: link \"%s\" refused: %s", l->name,
			b->mp == NULL ? "the bundle does not run multilink" :
			!bund_mp_link_ok(l) ? "the link did not negotiate multilink" :
			"peer discriminator, auth name or header format differ");
		snprintf(err, errlen, "Multi-link PPP negotiation failure");
		return -1;
	}
	bool first = b->nlinks == 0;
	if (first && bund_mp_link_ok(l) && bund_mp_start(b, l) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (b->mp != NULL && bund_mp_join(b, l) < 0) {
		if (first)
			bund_mp_stop(b);
		snprintf(err, errlen, "Multi-link PPP negotiation failure");
		return -1;
	}
	b->links[b->nlinks++] = l;
	l->bund = b;
	b->open = true;
	log_msg(LG_BUND, b->name, "Bundle: link \"%s\" joined (%d link%s)", l->name, b->nlinks,
		b->nlinks > 1 ? "s" : "");
	if (first && bund_first_link(b, l, err, errlen) < 0) {
		bund_unjoin(b, l);
		return -1;
	}
	if (first)
		bund_index(b, l);
	if (!first)
		bund_mtu_update(b);
	link_acct_start(l);
	bund_fast_update(b);
	bund_bw_link_joined(b, l); /* bund */
	return 0;
}

void bund_leave(struct bundle *b, struct link *l)
{
	int i;
	for (i = 0; i < b->nlinks && b->links[i] != l; i++)
		;
	if (i == b->nlinks)
		return;
	link_fast_unbind(l);
	memmove(&b->links[i], &b->links[i + 1], (size_t)(b->nlinks - i - 1) * sizeof(b->links[0]));
	b->nlinks--;
	bund_mp_leave(b, l);
	link_acct_stop(l);
	link_bundle_gone(l);
	log_msg(LG_BUND, b->name, "Bundle: link \"%s\" left (%d link%s)", l->name, b->nlinks,
		b->nlinks == 1 ? "" : "s");
	bund_bw_link_left(b, l); /* bund: BoD, re-open after the last link (§3.4) */
	if (b->nlinks > 0) {
		bund_mtu_update(b);
		bund_fast_update(b);
		return;
	}
	if (b->ipcp != NULL)
		bund_ipcp_free(b);
	iface_authz_clear(&b->iface); /* the session's routes went with IPv4; name and description back */
	bund_unindex(b);
	bund_mp_stop(b);
	b->open = false;
	b->peer_authname[0] = '\0';
	if (b->die)
		timer_start(&b->free_timer, 0);
}

void bund_close(struct bundle *b, const char *reason)
{
	log_msg(LG_BUND, b->name, "Bundle: closing (%s)", reason);
	b->open = false;
	bund_bw_closed(b); /* bund */
	struct link *ls[BUND_MAX_LINKS];
	int n = b->nlinks;
	memcpy(ls, b->links, sizeof(ls));
	for (int i = 0; i < n; i++)
		link_close(ls[i], reason);
	if (!b->owns_links)
		return; /* sessions of templates: no walk when they end */
	struct handle me = bund_handle(b);
	unsigned cur = 0;
	for (struct link *l; (l = reg_next(&b->d->links, &cur)) != NULL;)
		if (handle_eq(l->owner, me) && l->bund == NULL)
			link_close(l, reason);
}

void bund_open(struct bundle *b)
{
	bund_bw_open(b, "Bundle open"); /* bund: link slots, one link with bw-manage (§3.9) */
}

void bund_send(struct bundle *b, uint16_t proto, struct pbuf *bf)
{
	if (b->nlinks == 0) {
		pbuf_free(bf);
		return;
	}
	b->stats.out_frames++;
	b->stats.out_octets += bf->len;
	if (b->mp != NULL) {
		bund_mp_output(b, proto, bf);
		return;
	}
	link_send(b->links[0], proto, bf);
}

/* A packet from the system for the peer (iface_ops.output). */
static void bund_from_iface(void *arg, struct pbuf *bf)
{
	struct bundle *b = arg;
	if (!iface_ipv4_is_up(&b->iface) || b->nlinks == 0 || bf->len < 20 || (bf->data[0] >> 4) != 4) {
		b->stats.dropped++;
		pbuf_free(bf);
		return;
	}
	bund_send(b, PROTO_IP, bf);
}

int bund_input(struct bundle *b, struct link *l, uint16_t proto, struct pbuf *bf)
{
	if (proto == PROTO_MP) {
		/* fragments are counted by the engine; the packets they make come back here */
		if (b->mp == NULL)
			return -1;
		bund_mp_input(b, l, bf);
		return 0;
	}
	b->stats.in_frames++;
	b->stats.in_octets += bf->len;
	switch (proto) {
	case PROTO_IPCP:
		if (b->ipcp == NULL)
			return -1;
		bund_ipcp_input(b, bf->data, bf->len);
		pbuf_free(bf);
		return 0;
	case PROTO_IP:
		if (!iface_ipv4_is_up(&b->iface)) {
			b->stats.dropped++;
			pbuf_free(bf);
			return 0;
		}
		iface_write(&b->iface, bf);
		return 0;
	default:
		return -1;
	}
}

/*
 * The fast path (dp/dp.h) carries IP packets only while nothing needs to
 * see each one: IPv4 up on exactly one link, no multilink, compression or
 * encryption, and `set global enable fast-path` (the default). Everything
 * else, and every other protocol, takes bund_send and bund_input as before.
 */
static void bund_fast_update(struct bundle *b)
{
	struct dp_iface *dpi = iface_dp(&b->iface);
	bool want = iface_ipv4_is_up(&b->iface) && b->nlinks == 1 && b->mp == NULL && dpi != NULL &&
		    opt_enabled(&b->d->g.opts, GOPT_FASTPATH) &&
		    !opt_enabled(&b->conf.opts, BOPT_COMPRESSION) && !opt_enabled(&b->conf.opts, BOPT_ENCRYPTION);

	if (!want) {
		for (int i = 0; i < b->nlinks; i++)
			link_fast_unbind(b->links[i]);
		return;
	}
	if (dp_iface_bound(dpi))
		return;
	struct dp_bind bind;
	memset(&bind, 0, sizeof(bind));
	bind.mtu = iface_mtu(&b->iface);
	bind.tx[bind.ntx++] = (struct dp_count){&b->stats.out_frames, &b->stats.out_octets, 0};
	bind.rx[bind.nrx++] = (struct dp_count){&b->stats.in_frames, &b->stats.in_octets, 0};
	if (link_fast_bind(b->links[0], dpi, &bind) < 0)
		log_msg(LG_BUND2, b->name, "Bundle: no fast path for link \"%s\"", b->links[0]->name);
}

void bund_ipcp_up(struct bundle *b, const struct iface_ipv4 *a)
{
	if (iface_ipv4_up(&b->iface, a) < 0) {
		bund_close(b, "Interface configuration failed");
		return;
	}
	bund_fast_update(b);
	iface_addrs_applied(&b->iface); /* the cached demand packet goes now */
	for (int i = 0; i < b->nlinks; i++)
		link_acct_ncp_up(b->links[i]); /* Starts wait for the NCPs (radius.md §2.6) */
}

void bund_ipcp_down(struct bundle *b)
{
	for (int i = 0; i < b->nlinks; i++)
		link_fast_unbind(b->links[i]);
	iface_ipv4_down(&b->iface);
}

void bund_ncp_finished(struct bundle *b)
{
	/* IPCP is the only NCP so far: when it finishes none is left (mpd5: "No NCPs left") */
	if (b->nlinks > 0) {
		log_msg(LG_BUND, b->name, "Bundle: no NCPs left, closing links");
		bund_close(b, "Protocol error");
	}
}

void bund_protocol_rejected(struct bundle *b, uint16_t proto)
{
	if (proto == PROTO_IPCP)
		bund_ipcp_rejected(b);
}

void bunds_shutdown(struct daemon *d)
{
	unsigned cur = 0;
	for (struct bundle *b; (b = reg_next(&d->bunds, &cur)) != NULL;)
		if (b->nlinks > 0)
			bund_close(b, "Admin shutdown");
}

void bunds_destroy_all(struct daemon *d)
{
	unsigned cur = 0;
	for (struct bundle *b; (b = reg_next(&d->bunds, &cur)) != NULL;) {
		b->nlinks = 0;
		b->tmpl = HANDLE_NONE;
		bund_really_free(b);
	}
	reg_free(&d->bunds);
	logins_free(&d->logins);
	htab_free(&d->mp_peers);
}

/* ---- what the interface asks of its bundle (iface_ops) ---- */

static void bund_iface_send(void *arg, struct pbuf *bf)
{
	bund_send(arg, PROTO_IP, bf);
}

static bool bund_iface_busy(void *arg)
{
	struct bundle *b = arg;
	return b->nlinks > 0 || bund_bw_connecting(b);
}

static void bund_iface_open(void *arg, const char *reason)
{
	bund_bw_open(arg, reason);
}

static void bund_iface_close(void *arg, const char *reason)
{
	bund_close(arg, reason);
}

static void bund_iface_peer(void *arg, struct iface_peer *p)
{
	struct bundle *b = arg;
	snprintf(p->authname, sizeof(p->authname), "%s", b->peer_authname);
	p->addr[0] = '\0';
	if (b->nlinks > 0 && b->links[0]->dev->peer_addr != NULL)
		b->links[0]->dev->peer_addr(b->links[0], p->addr, sizeof(p->addr));
}

static void bund_iface_traffic(void *arg, struct iface_traffic *t)
{
	const struct bundle *b = arg;
	t->in_octets = b->stats.in_octets;
	t->out_octets = b->stats.out_octets;
	t->in_frames = b->stats.in_frames;
	t->out_frames = b->stats.out_frames;
}

static const struct iface_ops bund_iface_ops = {
	.output = bund_from_iface,
	.send = bund_iface_send,
	.busy = bund_iface_busy,
	.open = bund_iface_open,
	.close = bund_iface_close,
	.peer = bund_iface_peer,
	.traffic = bund_iface_traffic,
};
