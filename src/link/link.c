/*
 * Link objects: the registry, templates and clones, the device upcalls,
 * phases, redial and the frame path between device and bundle.
 */
#include "link/link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/pbuf.h"
#include "core/rand.h"
#include "core/daemon.h"
#include "bund/bundle.h"
#include "dp/dp.h"
#include "dev/link_dev.h"
#include "link/link_ppp.h"
#include "ppp/proto.h"

static void link_free_cb(void *arg);
static void link_redial_cb(void *arg);

const char *link_phase_name(enum link_phase p)
{
	static const char *const names[] = {"DEAD", "ESTABLISH", "AUTHENTICATE", "NETWORK", "TERMINATE"};
	return p <= PHASE_TERMINATE ? names[p] : "?";
}

const char *link_dev_state_name(enum dev_state s)
{
	static const char *const names[] = {"DOWN", "CONNECTING", "READY", "UP"};
	return s <= DEV_UP ? names[s] : "?";
}

void link_conf_defaults(struct link_conf *lc, struct auth_conf *ac, const struct dev_type *dev)
{
	memset(lc, 0, sizeof(*lc));
	lc->bandwidth = 64000;
	lc->latency = 2000;
	lc->accmap = 0x000a0000;
	lc->mrru = 2048;
	lc->mru = 1500;
	lc->mtu = 1500;
	if (dev != NULL && dev->mtu_max < lc->mru)
		lc->mru = lc->mtu = dev->mtu_max;
	lc->fsm_timeout = 2;
	lc->max_redial = -1;
	lc->redial_delay = 1;
	lc->max_children = 10000;
	lc->ka_interval = 5;
	lc->ka_max = 40;
	lc->opts.enable = 1u << LOPT_ACFCOMP | 1u << LOPT_PROTOCOMP | 1u << LOPT_MAGICNUM |
			  1u << LOPT_CHECK_MAGIC | 1u << LOPT_SHORTSEQ;
	lc->opts.accept = 1u << LOPT_PAP | 1u << LOPT_CHAP_MD5 | 1u << LOPT_CHAP_MSV2 |
			  1u << LOPT_EAP | 1u << LOPT_ACFCOMP | 1u << LOPT_PROTOCOMP |
			  1u << LOPT_SHORTSEQ;
	memset(ac, 0, sizeof(*ac));
	ac->timeout = 40;
	radius_conf_defaults(&ac->radius);
	ac->opts.enable = 1u << AOPT_INTERNAL | 1u << AOPT_ACCT_MANDATORY;
	ac->eap_opts.accept = 1u << EOPT_MD5;
}

static const char *link_name_of(const void *obj)
{
	return ((const struct link *)obj)->name;
}

int links_init(struct daemon *d)
{
	if (reg_init(&d->links, link_name_of) < 0)
		return -1;
	if (bunds_init(d) < 0) {
		reg_free(&d->links);
		return -1;
	}
	return 0;
}

struct link *link_find(struct daemon *d, const char *name)
{
	unsigned idx;
	char tail;
	if (name[0] == '[' && sscanf(name, "[%x%c", &idx, &tail) == 2 && tail == ']')
		return reg_at(&d->links, idx);
	return reg_find(&d->links, name);
}

static int link_name_check(struct daemon *d, const char *name, enum link_kind kind, char *err, size_t errlen)
{
	size_t max = kind == LINK_TEMPLATE ? LINK_TMPL_NAME_MAX - 1 : LINK_NAME_MAX - 1;
	if (name[0] == '\0' || strlen(name) > max) {
		snprintf(err, errlen, "link name \"%s\" must be 1 to %zu characters", name, max);
		return -1;
	}
	if (dev_type_find(name) != NULL) {
		snprintf(err, errlen, "link name \"%s\" is a device type name", name);
		return -1;
	}
	if (link_find(d, name) != NULL) {
		snprintf(err, errlen, "link \"%s\" already exists", name);
		return -1;
	}
	return 0;
}

struct handle link_handle(const struct link *l)
{
	return reg_handle(&l->d->links, l->index);
}

struct link *link_by_handle(struct daemon *d, struct handle h)
{
	return reg_resolve(&d->links, h);
}

/* A new link in the lowest free slot, still unnamed: clones take the slot into their
 * name, so the caller names it and calls reg_renamed (or link_unalloc on failure). */
static struct link *link_alloc(struct daemon *d, const struct dev_type *dev, enum link_kind kind)
{
	struct link *l = calloc(1, sizeof(*l));
	if (l == NULL)
		return NULL;
	int slot = reg_add(&d->links, l, NULL);
	if (slot < 0) {
		free(l);
		return NULL;
	}
	l->d = d;
	l->index = (unsigned)slot;
	l->kind = kind;
	l->dev = dev;
	timer_init(&l->redial_timer, d->base, link_redial_cb, l);
	timer_init(&l->free_timer, d->base, link_free_cb, l);
	link_acct_init(l);
	return l;
}

static void link_regex_copy(struct link_conf *dst, const struct link_conf *src)
{
	for (int i = 0; i < src->nactions; i++) {
		dst->actions[i].pattern = NULL;
		if (src->actions[i].pattern == NULL)
			continue;
		dst->actions[i].pattern = strdup(src->actions[i].pattern);
		if (dst->actions[i].pattern == NULL ||
		    regcomp(&dst->actions[i].re, dst->actions[i].pattern, REG_EXTENDED | REG_NOSUB) != 0) {
			free(dst->actions[i].pattern);
			dst->actions[i].pattern = NULL; /* compiled once already, cannot fail but for OOM */
		}
	}
}

static void link_actions_free(struct link_conf *lc)
{
	for (int i = 0; i < lc->nactions; i++)
		if (lc->actions[i].pattern != NULL) {
			regfree(&lc->actions[i].re);
			free(lc->actions[i].pattern);
		}
	lc->nactions = 0;
}

/* Undo link_alloc for a link whose device could not be created. */
static void link_unalloc(struct link *l)
{
	link_actions_free(&l->conf);
	reg_remove(&l->d->links, l->index);
	free(l);
}

struct link *link_create(struct daemon *d, const char *name, enum link_kind kind,
			 const struct dev_type *dev, const struct link *from, char *err, size_t errlen)
{
	if (link_name_check(d, name, kind, err, errlen) < 0)
		return NULL;
	if (from != NULL)
		dev = from->dev;
	if (kind == LINK_TEMPLATE && !dev->tmpl) {
		snprintf(err, errlen, "device type %s does not support templates", dev->name);
		return NULL;
	}
	struct link *l = link_alloc(d, dev, kind);
	if (l == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(l->name, sizeof(l->name), "%s", name);
	reg_renamed(&d->links, l->index);
	if (from != NULL) {
		l->conf = from->conf;
		l->auth = from->auth;
		link_regex_copy(&l->conf, &from->conf);
	} else {
		link_conf_defaults(&l->conf, &l->auth, dev);
	}
	if (dev->create(l) < 0 || (from != NULL && dev->copy(l, from) < 0)) {
		snprintf(err, errlen, "can't create %s device", dev->name);
		link_unalloc(l);
		return NULL;
	}
	log_msg(LG_LINK, l->name, "Link: created (%s%s)", dev->name,
		kind == LINK_TEMPLATE ? ", template" : kind == LINK_STATIC ? ", static" : "");
	return l;
}

/* A clone of template t for an incoming call; enforces the children limits. */
static struct link *link_clone(struct link *t)
{
	struct daemon *d = t->d;
	if (t->children >= t->conf.max_children || d->children >= d->g.max_children) {
		log_pmsg(LG_LINK, LP_WARNING, t->name, "Link: template busy (%u children), call refused", t->children);
		return NULL;
	}
	struct link *l = link_alloc(d, t->dev, LINK_PLAIN);
	if (l == NULL)
		return NULL;
	snprintf(l->name, sizeof(l->name), "%.15s-%u", t->name, l->index);
	reg_renamed(&d->links, l->index);
	l->conf = t->conf;
	l->auth = t->auth;
	link_regex_copy(&l->conf, &t->conf);
	l->tmpl = t;
	if (t->dev->create(l) < 0 || t->dev->copy(l, t) < 0) {
		link_unalloc(l);
		return NULL;
	}
	t->children++;
	d->children++;
	l->die = true;
	return l;
}

struct link *link_instantiate(struct link *t)
{
	return t->kind == LINK_TEMPLATE ? link_clone(t) : NULL;
}

/* A template goes: its clones keep running without it. Only templates pay this walk
 * (an operator's `destroy link`), never a session ending. */
static void link_orphan_clones(struct link *t)
{
	unsigned cur = 0;
	for (struct link *c; (c = reg_next(&t->d->links, &cur)) != NULL;)
		if (c->tmpl == t)
			c->tmpl = NULL;
	bunds_tmpl_gone(t->d, t);
}

static void link_really_free(struct link *l)
{
	struct daemon *d = l->d;
	timer_stop(&l->redial_timer);
	timer_stop(&l->ka_timer);
	timer_stop(&l->free_timer);
	link_acct_free(l);
	if (l->ppp != NULL)
		link_ppp_free(l->ppp);
	link_authz_clear(l);
	l->dev->destroy(l);
	if (l->tmpl != NULL) {
		l->tmpl->children--;
		d->children--;
	}
	if (l->kind == LINK_TEMPLATE)
		link_orphan_clones(l);
	reg_remove(&d->links, l->index);
	log_msg(LG_LINK, l->name, "Link: destroyed");
	link_actions_free(&l->conf);
	free(l);
	links_check_oneshot(d);
}

/* Runs from the loop: engines and links are never freed inside their own callbacks. */
static void link_free_cb(void *arg)
{
	struct link *l = arg;
	if (l->dev_state != DEV_DOWN || l->phase != PHASE_DEAD)
		return;
	if (!l->admin_open && l->ppp != NULL) {
		link_ppp_free(l->ppp);
		l->ppp = NULL;
	}
	if (l->die)
		link_really_free(l);
}

/* Free what a down link no longer needs (and the link itself when dying). */
static void link_maybe_free(struct link *l)
{
	if (l->dev_state == DEV_DOWN && l->phase == PHASE_DEAD)
		timer_start(&l->free_timer, 0);
}

void link_destroy(struct link *l)
{
	if (l->kind == LINK_TEMPLATE) {
		link_really_free(l);
		return;
	}
	l->kind = LINK_PLAIN;
	l->die = true;
	if (l->dev_state == DEV_DOWN && l->phase == PHASE_DEAD)
		link_maybe_free(l);
	else
		link_close(l, "Link destroyed");
}

void link_session_stamp(struct sid_stamp *st, char *buf, size_t len, const char *name)
{
	long now = (long)(time(NULL) % 10000000);
	if (now != st->last) {
		st->last = now;
		st->seq = 0;
		snprintf(buf, len, "%ld-%.20s", now, name);
		return;
	}
	/* a second id this second: names are reused (clone slots), so the id must differ anyway */
	snprintf(buf, len, "%ld.%u-%.20s", now, ++st->seq, name);
}

static void link_session_id(struct link *l)
{
	link_session_stamp(&l->d->sid_link, l->session_id, sizeof(l->session_id), l->name);
}

/* `set link mtu|mru` may name sizes that only a later line makes possible (PPPoE's before
 * `set pppoe max-payload`), so they are checked when we place a call, as in mpd5. */
static bool link_sizes_ok(struct link *l)
{
	char why[160];
	if (l->incoming_call || l->dev->mtu_check == NULL ||
	    l->dev->mtu_check(l, l->conf.mtu, l->conf.mru, why, sizeof(why)) == 0)
		return true;
	log_msg(LG_ERR, l->name, "Link: %s: open refused", why);
	snprintf(l->down_reason, sizeof(l->down_reason), "%.*s", (int)sizeof(l->down_reason) - 1, why);
	return false;
}

void link_open(struct link *l, const char *reason)
{
	if (l->kind == LINK_TEMPLATE || !link_sizes_ok(l))
		return;
	snprintf(l->up_reason, sizeof(l->up_reason), "%s", reason);
	l->admin_open = true;
	timer_stop(&l->redial_timer);
	if (l->ppp == NULL) {
		l->ppp = link_ppp_new(l);
		if (l->ppp == NULL) {
			log_msg(LG_ERR, l->name, "Link: out of memory");
			return;
		}
		l->phase = PHASE_ESTABLISH;
		link_session_id(l);
	}
	link_ppp_open(l);
	if (l->dev_state == DEV_DOWN || l->dev_state == DEV_READY) {
		if (l->dev_state == DEV_DOWN)
			l->dev_state = DEV_CONNECTING;
		log_msg(LG_LINK, l->name, "Link: OPEN event");
		l->dev->open(l);
	}
}

void link_close(struct link *l, const char *reason)
{
	if (l->kind == LINK_TEMPLATE)
		return;
	if (reason != NULL && l->admin_open)
		snprintf(l->down_reason, sizeof(l->down_reason), "%s", reason);
	l->admin_open = false;
	timer_stop(&l->redial_timer);
	log_msg(LG_LINK, l->name, "Link: CLOSE event");
	if (l->ppp != NULL && link_ppp_lcp_opened(l)) {
		link_ppp_close(l); /* Terminate-Request first; the device closes on LCP finished */
		return;
	}
	if (l->ppp != NULL)
		link_ppp_close(l);
	if (l->dev_state != DEV_DOWN)
		l->dev->close(l);
	else
		link_maybe_free(l);
}

static void link_redial_cb(void *arg)
{
	struct link *l = arg;
	if (!l->admin_open || l->d->shutting_down)
		return;
	log_msg(LG_LINK, l->name, "Link: redial attempt %u", l->redials);
	if (l->ppp == NULL) {
		l->ppp = link_ppp_new(l);
		if (l->ppp == NULL)
			return;
		l->phase = PHASE_ESTABLISH;
		link_session_id(l);
	}
	link_ppp_open(l);
	l->dev_state = DEV_CONNECTING;
	l->dev->open(l);
}

/* After the device went down: redial, or give up and maybe die (commands.md §3.7). */
static void link_after_down(struct link *l)
{
	int max = l->conf.max_redial;
	bool redial = l->admin_open && !l->incoming_call && !l->d->shutting_down && !l->die &&
		      (max == 0 || (max > 0 && l->redials < (unsigned)max));
	if (redial) {
		l->redials++;
		unsigned delay = (l->conf.redial_delay < 1 ? 1 : l->conf.redial_delay) * 1000 +
				 rand_below(3000);
		log_msg(LG_LINK, l->name, "Link: reconnect in %u ms", delay);
		timer_start(&l->redial_timer, delay);
		return;
	}
	l->admin_open = false;
	l->phase = PHASE_DEAD;
	if (l->kind == LINK_PLAIN && (l->incoming_call || l->tmpl != NULL))
		l->die = true;
	link_maybe_free(l);
	links_check_shutdown_done(l->d);
}

/* ---- device upcalls (dev/link_dev.h) ---- */

void link_dev_up(struct link *l)
{
	l->dev_state = DEV_UP;
	l->up_since = time(NULL);
	memset(&l->stats, 0, sizeof(l->stats));
	l->down_reason[0] = '\0'; /* a new connection: Acct-Terminate-Cause must not see the last one's */
	link_acct_session_reset(l);
	log_msg(LG_LINK, l->name, "Link: UP event");
	if (l->ppp == NULL) {
		l->ppp = link_ppp_new(l);
		if (l->ppp == NULL) {
			l->dev->close(l);
			return;
		}
		link_session_id(l);
	}
	l->phase = PHASE_ESTABLISH;
	link_ppp_lower_up(l);
}

void link_dev_down(struct link *l, const char *reason)
{
	l->dev_state = DEV_DOWN;
	/* the first reason of this connection is the real one ("Echo timeout", "Manual", "Peer
	 * disconnect"); the device's own word for the hang-up that followed only fills a gap */
	if (reason != NULL && reason[0] != '\0' && l->down_reason[0] == '\0') {
		/* nobody asked for this end of a session that was up: the call dropped (carrier
		 * lost, radius.md §2.4 "Dropped"); the device says how */
		if (l->bund != NULL)
			snprintf(l->down_reason, sizeof(l->down_reason), "Dropped: %.50s", reason);
		else
			snprintf(l->down_reason, sizeof(l->down_reason), "%s", reason);
	}
	log_msg(LG_LINK, l->name, "Link: DOWN event (%s)", reason ? reason : "");
	if (l->bund != NULL)
		bund_leave(l->bund, l);
	if (l->ppp != NULL)
		link_ppp_lower_down(l);
	timer_stop(&l->ka_timer);
	l->phase = PHASE_DEAD;
	link_after_down(l);
}

static uint16_t frame_proto(struct pbuf *b)
{
	if (b->len >= 1 && (b->data[0] & 1)) {
		uint16_t p = b->data[0];
		pbuf_pull(b, 1);
		return p;
	}
	if (b->len < 2)
		return 0;
	uint16_t p = (uint16_t)(b->data[0] << 8 | b->data[1]);
	pbuf_pull(b, 2);
	return p;
}

void link_dev_input(struct link *l, struct pbuf *b)
{
	l->rx_seen = true;
	l->stats.in_frames++;
	l->stats.in_octets += b->len;
	if (b->len >= 2 && b->data[0] == 0xff && b->data[1] == 0x03)
		pbuf_pull(b, 2);
	uint16_t proto = frame_proto(b);
	/* RFC 1661 §2: the low octet is odd and the high octet even; else a runt or garbage */
	if ((proto & 0x0101) != 0x0001) {
		l->stats.runts++;
		pbuf_free(b);
		return;
	}
	if (l->ppp == NULL) {
		pbuf_free(b);
		return;
	}
	switch (proto) {
	case PROTO_LCP:
	case PROTO_PAP:
	case PROTO_CHAP:
	case PROTO_EAP:
		link_ppp_input(l, proto, b->data, b->len);
		pbuf_free(b);
		return;
	}
	if (l->phase != PHASE_NETWORK || l->bund == NULL) {
		pbuf_free(b); /* RFC 1661 §3.4: NCP and data frames before NETWORK are discarded */
		return;
	}
	if (bund_input(l->bund, l, proto, b) < 0) {
		/* the bundle does not speak it: Protocol-Reject needs the protocol field back */
		uint8_t *p = pbuf_push(b, 2);
		if (p != NULL) {
			p[0] = (uint8_t)(proto >> 8);
			p[1] = (uint8_t)proto;
			l->stats.bad_protos++;
			link_ppp_protrej(l, b->data, b->len);
		}
		pbuf_free(b);
	}
}

void link_send(struct link *l, uint16_t proto, struct pbuf *b)
{
	if (l->dev_state != DEV_UP) {
		pbuf_free(b);
		return;
	}
	bool lcp = proto == PROTO_LCP;
	uint8_t *p;
	if (!lcp && proto < 0x100 && link_ppp_tx_pfc(l)) {
		p = pbuf_push(b, 1);
		if (p != NULL)
			p[0] = (uint8_t)proto;
	} else {
		p = pbuf_push(b, 2);
		if (p != NULL) {
			p[0] = (uint8_t)(proto >> 8);
			p[1] = (uint8_t)proto;
		}
	}
	if (p != NULL && !l->dev->sync_ppp && (lcp || !link_ppp_tx_acfc(l))) {
		p = pbuf_push(b, 2);
		if (p != NULL) {
			p[0] = 0xff;
			p[1] = 0x03;
		}
	}
	if (p == NULL) {
		log_msg(LG_ERR, l->name, "Link: no headroom for proto 0x%04x, frame dropped", proto);
		pbuf_free(b);
		return;
	}
	l->stats.out_frames++;
	l->stats.out_octets += b->len;
	l->dev->send(l, b);
}

int link_fast_bind(struct link *l, struct dp_iface *di, struct dp_bind *bind)
{
	if (l->dev->fast_bind == NULL || l->dev_state != DEV_UP || l->ppp == NULL)
		return -1;
	/* The frame link_send would build for PROTO_IP; device headers go in front later. */
	size_t n = 0;
	if (!l->dev->sync_ppp && !link_ppp_tx_acfc(l)) {
		bind->hdr[n++] = 0xff;
		bind->hdr[n++] = 0x03;
	}
	if (!link_ppp_tx_pfc(l))
		bind->hdr[n++] = (uint8_t)(PROTO_IP >> 8);
	bind->hdr[n++] = (uint8_t)PROTO_IP;
	bind->hdr_len = n;
	bind->tx[bind->ntx++] = (struct dp_count){&l->stats.out_frames, &l->stats.out_octets, (unsigned)n};
	/* A peer that may compress the protocol field does (RFC 1661 §6.5): devices hand over
	 * only frames of that form, the rest take link_dev_input. */
	bind->rx_proto_len = link_ppp_rx_pfc(l) ? 1 : 2;
	bind->rx[bind->nrx++] = (struct dp_count){&l->stats.in_frames, &l->stats.in_octets, bind->rx_proto_len};
	bind->rx_seen = &l->rx_seen;
	return l->dev->fast_bind(l, di, bind);
}

void link_fast_unbind(struct link *l)
{
	if (l->dev->fast_unbind != NULL)
		l->dev->fast_unbind(l);
}

struct link *link_dev_incoming(struct link *l)
{
	if (l->d->shutting_down || !link_incoming_enabled(l))
		return NULL;
	struct link *n = l;
	if (l->kind == LINK_TEMPLATE) {
		n = link_clone(l);
		if (n == NULL)
			return NULL;
	} else if (l->dev_state != DEV_DOWN || l->phase != PHASE_DEAD) {
		return NULL; /* a static link serves one call at a time */
	}
	/* stage 1 actions: a lone unconditional drop refuses the call (forward needs repeaters) */
	if (n->conf.nactions == 1 && n->conf.actions[0].pattern == NULL &&
	    n->conf.actions[0].kind == ACT_DROP) {
		log_msg(LG_LINK, n->name, "Link: incoming call dropped by action");
		if (n != l)
			link_really_free(n);
		return NULL;
	}
	n->incoming_call = true;
	n->dev_state = DEV_READY;
	log_msg(LG_LINK, n->name, "Link: incoming call%s%s", n != l ? " on template " : "",
		n != l ? l->name : "");
	/* opened at once: the device brings it up once its answer (e.g. PADS) is out,
	 * so the caller's first Configure-Request already finds LCP running */
	link_open(n, "Incoming call");
	return n;
}

void *link_dev_priv(const struct link *l)
{
	return l->dev_priv;
}

void link_dev_set_priv(struct link *l, void *priv)
{
	l->dev_priv = priv;
}

const char *link_name(const struct link *l)
{
	return l->name;
}

bool link_incoming_enabled(const struct link *l)
{
	return opt_enabled(&l->conf.opts, LOPT_INCOMING);
}

bool link_dev_check_only(const struct link *l)
{
	return l->d->check_only;
}

void link_dev_set_incoming(struct link *l, bool on)
{
	if (link_incoming_enabled(l) == on)
		return;
	if (on)
		l->conf.opts.enable |= 1u << LOPT_INCOMING;
	else
		l->conf.opts.enable &= ~(1u << LOPT_INCOMING);
	if (l->dev->update != NULL)
		l->dev->update(l);
}

bool link_is_template(const struct link *l)
{
	return l->kind == LINK_TEMPLATE;
}

struct event_base *link_evbase(const struct link *l)
{
	return l->d->base;
}

void link_dev_set_state(struct link *l, int dev_state)
{
	l->dev_state = (enum dev_state)dev_state;
}

const char *link_type_name(const struct link *l)
{
	return l->dev->name;
}

/* ---- phases, called from link_ppp.c ---- */

void link_phase_auth(struct link *l)
{
	l->phase = PHASE_AUTHENTICATE;
}

bool link_action_drops(const struct link *l, const char *login)
{
	for (int i = 0; i < l->conf.nactions; i++) {
		const struct link_action *a = &l->conf.actions[i];
		if (a->pattern != NULL && regexec(&a->re, login, 0, NULL, 0) != 0)
			continue;
		return a->kind == ACT_DROP; /* the first matching entry decides (commands.md §3.3) */
	}
	return false;
}

/* Stage 3 of the action list: the bundle this authenticated link goes to. */
static struct bundle *link_pick_bundle(struct link *l, char *err, size_t errlen)
{
	struct bundle *owner = bund_by_handle(l->d, l->owner);
	if (owner != NULL)
		return owner;
	char target[LINK_NAME_BUF];
	if (link_authz_bundle(l, target, sizeof(target))) { /* mpd-action from AAA wins over `set link action` */
		struct bundle *b = bund_find(l->d, target);
		if (b == NULL) {
			snprintf(err, errlen, "bundle \"%s\" (mpd-action) not found", target);
			return NULL;
		}
		return bund_is_template(b) ? bund_instantiate(b) : b;
	}
	for (int i = 0; i < l->conf.nactions; i++) {
		struct link_action *a = &l->conf.actions[i];
		if (a->pattern != NULL && regexec(&a->re, l->peer_authname, 0, NULL, 0) != 0)
			continue;
		if (a->kind == ACT_DROP) {
			snprintf(err, errlen, "Dropped by action");
			return NULL;
		}
		if (a->kind == ACT_FORWARD) {
			snprintf(err, errlen, "forward actions are not supported yet");
			return NULL;
		}
		struct bundle *b = bund_find(l->d, a->target);
		if (b == NULL) {
			snprintf(err, errlen, "bundle \"%s\" not found", a->target);
			return NULL;
		}
		return bund_is_template(b) ? bund_instantiate(b) : b;
	}
	snprintf(err, errlen, "No bundle specified");
	return NULL;
}

void link_phase_network(struct link *l)
{
	char err[128] = "";
	l->phase = PHASE_NETWORK;
	/* commands.md §3.4 step 1: the peer's existing multilink bundle wins over the actions */
	struct bundle *b = bunds_find_multilink(l->d, l);
	if (b != NULL)
		log_msg(LG_LINK, l->name, "Link: multilink peer already has bundle %s", b->name);
	else
		b = link_pick_bundle(l, err, sizeof(err));
	if (b == NULL || bund_join(b, l, err, sizeof(err)) < 0) {
		log_pmsg(LG_LINK, LP_WARNING, l->name, "Link: can't join a bundle: %s", err);
		if (b != NULL)
			bund_release_if_unused(b);
		link_close(l, err[0] ? err : "Bundle join failed");
		return;
	}
	l->redials = 0;
}

void link_lcp_down(struct link *l)
{
	if (l->bund != NULL)
		bund_leave(l->bund, l);
	if (l->phase != PHASE_DEAD)
		l->phase = PHASE_TERMINATE;
}

void link_lcp_finished(struct link *l)
{
	if (l->dev_state != DEV_DOWN)
		l->dev->close(l);
}

void link_auth_failed(struct link *l, const char *reason)
{
	log_pmsg(LG_AUTH, LP_NOTICE, l->name, "Auth: %s", reason);
	snprintf(l->down_reason, sizeof(l->down_reason), "%s", reason);
	if (l->ppp != NULL)
		link_ppp_close(l);
}

void link_bundle_gone(struct link *l)
{
	l->bund = NULL;
	if (bund_by_handle(l->d, l->owner) == NULL)
		l->owner = HANDLE_NONE;
}

unsigned link_peer_mru(const struct link *l)
{
	unsigned m = link_ppp_peer_mru(l);
	unsigned cap = l->dev->mtu ? l->dev->mtu(l) : l->dev->mtu_max;
	if (m == 0 || m > cap)
		m = cap;
	if (m > l->conf.mtu)
		m = l->conf.mtu;
	return m;
}

const char *link_lcp_state_name(const struct link *l)
{
	return l->ppp != NULL ? link_ppp_state_name(l) : "Initial";
}

/* ---- daemon-wide ---- */

unsigned links_count_up(struct daemon *d)
{
	unsigned n = 0, cur = 0;
	for (const struct link *l; (l = reg_next(&d->links, &cur)) != NULL;)
		if (l->dev_state != DEV_DOWN || l->phase != PHASE_DEAD)
			n++;
	return n;
}

void links_shutdown(struct daemon *d)
{
	unsigned cur = 0;
	for (struct link *l; (l = reg_next(&d->links, &cur)) != NULL;) {
		if (l->kind != LINK_TEMPLATE) {
			l->die = l->kind == LINK_PLAIN;
			link_close(l, "Admin shutdown");
		}
	}
	bunds_shutdown(d);
	links_check_shutdown_done(d);
}

void links_check_shutdown_done(struct daemon *d)
{
	if (d->shutting_down && links_count_up(d) == 0)
		event_base_loopbreak(d->base);
}

void links_destroy_all(struct daemon *d)
{
	unsigned cur = 0;
	for (struct link *l; (l = reg_next(&d->links, &cur)) != NULL;) {
		if (l->dev_state != DEV_DOWN)
			l->dev->close(l);
		l->dev_state = DEV_DOWN;
		l->phase = PHASE_DEAD;
		l->tmpl = NULL; /* templates go in any order; counters don't matter now */
		link_really_free(l);
	}
	bunds_destroy_all(d);
	reg_free(&d->links);
}

static struct link *link_first_plain(struct daemon *d)
{
	unsigned cur = 0;
	for (struct link *l; (l = reg_next(&d->links, &cur)) != NULL;)
		if (l->kind != LINK_TEMPLATE)
			return l;
	return NULL;
}

void link_signal_first(struct daemon *d, bool open)
{
	struct link *l = link_first_plain(d);
	if (l == NULL)
		return;
	if (open)
		link_open(l, "Manual");
	else
		link_close(l, "Manual");
}

void links_check_oneshot(struct daemon *d)
{
	if (opt_enabled(&d->g.opts, GOPT_ONESHOT) && !d->shutting_down && link_first_plain(d) == NULL) {
		log_msg(LG_NOTICE, NULL, "One-shot mode: no links remain, shutting down");
		if (d->shutdown != NULL)
			d->shutdown(d);
	}
}
