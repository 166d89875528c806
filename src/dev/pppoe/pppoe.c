/*
 * The PPPoE device: the dev_type hooks, the session table and the parts
 * of a session's life shared by client and server.
 */
#include "dev/pppoe/pppoe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/log.h"
#include "core/pbuf.h"
#include "dev/pppoe/pppoe_var.h"
#include "dp/dp.h"
#include "dev/link_dev.h"

void pppoe_blob_text(const struct pppoe_blob *b, char *buf, size_t len)
{
	size_t o = 0;

	/* Peer-supplied text goes to logs and consoles: no control bytes. */
	for (size_t i = 0; b->set && i < b->len && o + 1 < len; i++) {
		uint8_t ch = b->p[i];
		buf[o++] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
	}
	buf[o] = '\0';
}

struct pppoe_link *pppoe_session_find(struct pppoe_if *ifp, const uint8_t mac[PPPOE_ETH_ALEN], uint16_t sid)
{
	uint64_t key = hash_key_mac16(mac, sid);
	struct hnode *n = htab_find(&ifp->sessions, key, NULL);

	if (n == NULL)
		return NULL;
	return (struct pppoe_link *)((char *)n - offsetof(struct pppoe_link, sess_node));
}

void pppoe_session_add(struct pppoe_link *ps)
{
	htab_insert(&ps->ifp->sessions, &ps->sess_node, hash_key_mac16(ps->peer, ps->sid));
	ps->in_sess = true;
}

static void send_padt(struct pppoe_link *ps)
{
	uint8_t frame[PPPOE_ETH_HLEN + PPPOE_HLEN];
	size_t n = pppoe_build_padt(frame, sizeof(frame), ps->peer, ps->ifp->mac, ps->sid, NULL);

	pppoe_if_send_disc(ps->ifp, frame, n, link_name(ps->l));
}

/* The data path must not send on this session, nor get its frames, any more. */
static void fast_forget(struct pppoe_link *ps)
{
	if (ps->fast == NULL)
		return;
	dp_iface_unbind(ps->fast);
	ps->fast = NULL;
}

static void link_forget(struct pppoe_link *ps, bool padt)
{
	struct pppoe_if *ifp = ps->ifp;

	fast_forget(ps);

	timer_stop(&ps->resend);
	timer_stop(&ps->deadline);
	if (ifp != NULL) {
		pppoe_if_unuse(ps);
		if (ps->in_uniq)
			htab_remove(&ifp->uniqs, &ps->uniq_node);
		if (ps->in_sess)
			htab_remove(&ifp->sessions, &ps->sess_node);
		if (ps->in_dup)
			htab_remove(&ifp->dups, &ps->dup_node);
		if (padt && ps->sid != 0 && (ps->state == PPPOE_READY || ps->state == PPPOE_UP))
			send_padt(ps);
		if (ps->role == PPPOE_ROLE_SERVER)
			idmap16_free(&ifp->sids, ps->sid);
		pppoe_if_put(ifp);
	}
	ps->in_uniq = ps->in_sess = ps->in_dup = false;
	ps->ifp = NULL;
	ps->role = PPPOE_ROLE_NONE;
	ps->state = PPPOE_IDLE;
	ps->sid = 0;
	ps->mtu = PPPOE_MRU_DEFAULT;
	ps->open_req = ps->close_req = false;
}

void pppoe_link_end(struct pppoe_link *ps, bool send_padt_now, const char *reason)
{
	struct link *l = ps->l;

	link_forget(ps, send_padt_now);
	if (reason == NULL)
		return;
	log_msg(LG_PHYS, link_name(l), "PPPoE: down: %s", reason);
	link_dev_set_state(l, DEV_DOWN);
	/* Last: the link layer may destroy the link (and ps) from here. */
	link_dev_down(l, reason);
}

void pppoe_link_padt(struct pppoe_link *ps, const struct pppoe_disc *d)
{
	char text[128], reason[192];

	if (d->generic_err.set) {
		pppoe_blob_text(&d->generic_err, text, sizeof(text));
		snprintf(reason, sizeof(reason), "PADT received: %s", text);
	} else {
		snprintf(reason, sizeof(reason), "PADT received");
	}
	pppoe_link_end(ps, false, reason);
}

void pppoe_link_input(struct pppoe_link *ps, struct pbuf *b)
{
	ps->in_frames++;
	ps->in_octets += b->len;
	link_dev_input(ps->l, b);
}

static void listen_stop(struct pppoe_link *ps)
{
	if (ps->lifp == NULL)
		return;
	TAILQ_REMOVE(&ps->lifp->listeners, ps, lentry);
	log_msg(LG_PHYS, link_name(ps->l), "PPPoE: stop listening on %s", ps->lifp->name);
	pppoe_if_put(ps->lifp);
	ps->lifp = NULL;
}

void pppoe_listen_update(struct pppoe_link *ps)
{
	bool want = !ps->clone && ps->conf.iface[0] != '\0' && link_incoming_enabled(ps->l) &&
		    !link_dev_check_only(ps->l);
	const char *err = NULL;

	if (ps->lifp != NULL && (!want || strcmp(ps->lifp->name, ps->conf.iface) != 0))
		listen_stop(ps);
	if (!want || ps->lifp != NULL)
		return;
	ps->lifp = pppoe_if_get(pppoe_reg(), ps->conf.iface, link_evbase(ps->l), &err);
	if (ps->lifp == NULL) {
		log_msg(LG_ERR, link_name(ps->l), "PPPoE: cannot listen on %s: %s", ps->conf.iface, err);
		return;
	}
	TAILQ_INSERT_TAIL(&ps->lifp->listeners, ps, lentry);
	log_msg(LG_PHYS, link_name(ps->l), "PPPoE: listening on %s for service \"%s\"", ps->conf.iface,
		ps->conf.service);
}

static int pppoe_create(struct link *l)
{
	struct pppoe_link *ps = calloc(1, sizeof(*ps));

	if (ps == NULL)
		return -1;
	ps->l = l;
	strcpy(ps->conf.service, "*");
	strcpy(ps->conf.hook, "orphans");
	if (gethostname(ps->conf.acname, sizeof(ps->conf.acname)) < 0)
		strcpy(ps->conf.acname, "mpd5");
	ps->conf.acname[sizeof(ps->conf.acname) - 1] = '\0';
	ps->conf.macfmt = PPPOE_MAC_UNFORMATTED;
	ps->mtu = PPPOE_MRU_DEFAULT;
	link_dev_set_priv(l, ps);
	return 0;
}

static void pppoe_destroy(struct link *l)
{
	struct pppoe_link *ps = link_dev_priv(l);

	if (ps == NULL)
		return;
	link_forget(ps, true);
	listen_stop(ps);
	link_dev_set_priv(l, NULL);
	free(ps);
}

static int pppoe_copy(struct link *dst, const struct link *src)
{
	struct pppoe_link *d = link_dev_priv(dst);
	const struct pppoe_link *s = link_dev_priv(src);

	if (d == NULL || s == NULL)
		return -1;
	d->conf = s->conf;
	/* A copy made while a call is being accepted is that call's clone. */
	if (pppoe_reg()->accepting)
		d->clone = true;
	return 0;
}

/* During link_dev_incoming() the clone is not bound to its session yet. */
static bool accepting_here(const struct pppoe_link *ps)
{
	return pppoe_reg()->accepting && ps->role == PPPOE_ROLE_NONE && (ps->clone || ps->lifp != NULL);
}

static void pppoe_open(struct link *l)
{
	struct pppoe_link *ps = link_dev_priv(l);

	if (ps == NULL)
		return;
	if (ps->role == PPPOE_ROLE_SERVER && ps->state == PPPOE_READY) {
		pppoe_server_open(ps);
		return;
	}
	if (ps->role != PPPOE_ROLE_NONE) {
		log_msg(LG_PHYS2, link_name(l), "PPPoE: open while already active, ignored");
		return;
	}
	if (accepting_here(ps)) {
		ps->open_req = true;
		return;
	}
	if (link_is_template(l)) {
		log_msg(LG_ERR, link_name(l), "PPPoE: a template cannot be opened");
		return;
	}
	if (ps->conf.no_originate) {
		log_msg(LG_ERR, link_name(l), "PPPoE: originate option is not enabled");
		pppoe_link_end(ps, false, "PPPoE originate option is not enabled");
		return;
	}
	pppoe_client_open(ps);
}

static void pppoe_close(struct link *l)
{
	struct pppoe_link *ps = link_dev_priv(l);

	if (ps == NULL)
		return;
	if (ps->role == PPPOE_ROLE_NONE) {
		if (accepting_here(ps))
			ps->close_req = true;
		return;
	}
	pppoe_link_end(ps, true, "Closed");
}

static void pppoe_send(struct link *l, struct pbuf *b)
{
	struct pppoe_link *ps = link_dev_priv(l);
	struct pbuf *out = b;

	if (ps == NULL || ps->state != PPPOE_UP || b->len > ps->mtu + 2 || b->len > 0xffff) {
		if (ps != NULL && ps->state == PPPOE_UP)
			log_msg(LG_PHYS2, link_name(l), "PPPoE: %zu-byte frame over MTU %u dropped", b->len, ps->mtu);
		if (ps != NULL)
			ps->out_drops++;
		pbuf_free(b);
		return;
	}
	/* Its interface went away: the session is being closed and has no socket. */
	if (ps->ifp->gone) {
		ps->out_drops++;
		pbuf_free(b);
		return;
	}
	if (pbuf_headroom(b) < PPPOE_ETH_HLEN + PPPOE_HLEN) {
		/* Only a caller that ignored PBUF_HEADROOM pays for this copy. */
		out = pbuf_new(PBUF_HEADROOM, b->len);
		if (out == NULL || pbuf_append(out, b->data, b->len) < 0) {
			pbuf_free(out);
			pbuf_free(b);
			ps->out_drops++;
			return;
		}
		pbuf_free(b);
	}
	uint16_t plen = (uint16_t)out->len;
	uint8_t *hdr = pbuf_push(out, PPPOE_ETH_HLEN + PPPOE_HLEN);
	pppoe_session_hdr(hdr, ps->peer, ps->ifp->mac, ps->sid, plen);
	if (send(ps->ifp->sess_fd, out->data, out->len, MSG_DONTWAIT) < 0) {
		ps->out_drops++;
		if (errno != EAGAIN && errno != ENOBUFS)
			log_msg(LG_PHYS2, link_name(l), "PPPoE: send on %s: %s", ps->ifp->name, strerror(errno));
	} else {
		ps->out_frames++;
		ps->out_octets += plen;
	}
	pbuf_free(out);
}

static int pppoe_fast_bind(struct link *l, struct dp_iface *di, struct dp_bind *bind)
{
	struct pppoe_link *ps = link_dev_priv(l);
	size_t dlen = PPPOE_ETH_HLEN + PPPOE_HLEN, ppp = bind->hdr_len;

	if (ps == NULL || ps->state != PPPOE_UP || ps->ifp == NULL || ps->ifp->gone || ps->fast != NULL ||
	    ppp + dlen > DP_HDR_MAX || ps->mtu < ppp)
		return -1;
	memmove(bind->hdr + dlen, bind->hdr, ppp);
	pppoe_session_hdr(bind->hdr, ps->peer, ps->ifp->mac, ps->sid, 0);
	bind->hdr_len = dlen + ppp;
	bind->len_off = PPPOE_ETH_HLEN + 4;
	bind->len_adj = (unsigned)ppp;
	bind->fd = ps->ifp->sess_fd;
	/* pppoe_send's limit: the PPP frame, protocol field aside, within the session MTU. */
	unsigned dmtu = ps->mtu + 2 - (unsigned)ppp;
	if (bind->mtu == 0 || bind->mtu > dmtu)
		bind->mtu = dmtu;
	bind->tx[bind->ntx++] = (struct dp_count){&ps->out_frames, &ps->out_octets, (unsigned)ppp};
	bind->tx_drops = &ps->out_drops;
	if (dp_iface_bind(di, bind) < 0)
		return -1;
	ps->fast = di;
	ps->fast_plen = bind->rx_proto_len;
	return 0;
}

static void pppoe_fast_unbind(struct link *l)
{
	struct pppoe_link *ps = link_dev_priv(l);

	if (ps != NULL)
		fast_forget(ps);
}

static void pppoe_update(struct link *l)
{
	struct pppoe_link *ps = link_dev_priv(l);

	if (ps != NULL)
		pppoe_listen_update(ps);
}

static unsigned pppoe_mtu(const struct link *l)
{
	const struct pppoe_link *ps = link_dev_priv(l);

	return ps != NULL ? ps->mtu : PPPOE_MRU_DEFAULT;
}

/* A call we place carries more than 1492 bytes only with PPP-Max-Payload (RFC 4638) asked,
 * so `set link mtu|mru` above that waits for `set pppoe max-payload` (mpd5 order of lines). */
static int pppoe_mtu_check(const struct link *l, unsigned mtu, unsigned mru, char *why, size_t len)
{
	const struct pppoe_link *ps = link_dev_priv(l);
	unsigned limit = ps != NULL && ps->conf.max_payload > PPPOE_MRU_DEFAULT ? ps->conf.max_payload
									     : PPPOE_MRU_DEFAULT;
	if (mtu <= limit && mru <= limit)
		return 0;
	if (ps != NULL && ps->conf.max_payload > PPPOE_MRU_DEFAULT)
		snprintf(why, len, "link %s %u is more than set pppoe max-payload %u", mtu > limit ? "MTU" : "MRU",
			 mtu > limit ? mtu : mru, limit);
	else
		snprintf(why, len, "link %s %u needs set pppoe max-payload (PPPoE carries %u without it)",
			 mtu > limit ? "MTU" : "MRU", mtu > limit ? mtu : mru, limit);
	return -1;
}

static const char *pppoe_peer_addr(const struct link *l, char *buf, size_t len)
{
	const struct pppoe_link *ps = link_dev_priv(l);

	if (ps == NULL || ps->role == PPPOE_ROLE_NONE || ps->state < PPPOE_PADR_SENT)
		return NULL;
	return pppoe_mac_format(ps->peer, ps->conf.macfmt, buf, len);
}

size_t pppoe_agent_circuit_id(const struct link *l, const uint8_t **p)
{
	const struct pppoe_link *ps = link_dev_priv(l);

	*p = ps != NULL ? ps->cid : NULL;
	return ps != NULL ? ps->cid_len : 0;
}

const char *pppoe_session_iface(const struct link *l)
{
	const struct pppoe_link *ps = link_dev_priv(l);
	return ps != NULL && ps->ifp != NULL ? ps->conf.iface : "";
}

const char *pppoe_called_id(const struct link *l, char *buf, size_t len)
{
	const struct pppoe_link *ps = link_dev_priv(l);
	if (ps == NULL || ps->ifp == NULL) {
		snprintf(buf, len, "%s", "");
		return buf;
	}
	if (ps->role == PPPOE_ROLE_CLIENT)
		return pppoe_mac_format(ps->peer, ps->conf.macfmt, buf, len);
	snprintf(buf, len, "%s", ps->sess_service);
	return buf;
}

size_t pppoe_agent_remote_id(const struct link *l, const uint8_t **p)
{
	const struct pppoe_link *ps = link_dev_priv(l);

	*p = ps != NULL ? ps->rid : NULL;
	return ps != NULL ? ps->rid_len : 0;
}

const struct dev_type dev_pppoe = {
	.name = "pppoe",
	.descr = "PPP over Ethernet",
	.mtu_max = PPPOE_MRU_DEFAULT,
	.mtu_set_max = PPPOE_MAX_PAYLOAD_SET,
	.tmpl = true,
	.sync_ppp = true,
	.create = pppoe_create,
	.destroy = pppoe_destroy,
	.copy = pppoe_copy,
	.open = pppoe_open,
	.close = pppoe_close,
	.send = pppoe_send,
	.update = pppoe_update,
	.mtu = pppoe_mtu,
	.mtu_check = pppoe_mtu_check,
	.show = pppoe_show,
	.peer_addr = pppoe_peer_addr,
	.cmds = pppoe_cmds,
	.cmds_help = "PPPoE device configuration",
	.show_cmd = &pppoe_show_cmd,
	.fast_bind = pppoe_fast_bind,
	.fast_unbind = pppoe_fast_unbind,
};
