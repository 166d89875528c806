/*
 * Matching and acting for RFC 5176 requests (link_radsrv.h). A request's
 * identifiers must all match; a session is a link that is not DEAD (a
 * Disconnect for a link with no call is "Session Context Not Found").
 * Disconnect closes the link with reason "Manual" (accounting: Admin-Reset,
 * radius.md §2.4). CoA replaces, when given, Session-Timeout and
 * Idle-Timeout on the bundle's interface (timers restart now), and the
 * session's Acct-Interim-Interval (the interim timer re-armed from now) and
 * Class for accounting (link_acct.c).
 */
#include "link/link_radsrv.h"

#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "bund/bundle.h"
#include "core/daemon.h"
#include "core/log.h"
#include "dev/pppoe/pppoe.h"
#include "iface/iface.h"
#include "link/link.h"

static bool has(const struct radsrv_req *r, unsigned bit)
{
	return (r->have >> bit) & 1;
}

/* The bundle-side identifiers: a link with no bundle matches none of them. */
static bool bund_match(const struct bundle *b, const struct radsrv_req *r)
{
	bool any = has(r, RSK_MPD_BUNDLE) || has(r, RSK_MPD_IFACE) || has(r, RSK_MPD_IFACE_INDEX) ||
		   has(r, RSK_FRAMED_IP) || has(r, RSK_ACCT_MULTI_SESSION_ID);
	if (!any)
		return true;
	if (b == NULL)
		return false;
	if (has(r, RSK_MPD_BUNDLE) && strcmp(bund_name(b), r->mpd_bundle) != 0)
		return false;
	if (has(r, RSK_ACCT_MULTI_SESSION_ID) && strcmp(b->msession_id, r->acct_multi_session_id) != 0)
		return false;
	const char *ifname = iface_name(&b->iface);
	if (has(r, RSK_MPD_IFACE) && strcmp(ifname, r->mpd_iface) != 0)
		return false;
	if (has(r, RSK_MPD_IFACE_INDEX) && (ifname[0] == '\0' || if_nametoindex(ifname) != r->mpd_iface_index))
		return false;
	if (has(r, RSK_FRAMED_IP) && (!iface_ipv4_is_up(&b->iface) ||
				      iface_ipv4_peer(&b->iface).s_addr != r->framed_ip.s_addr))
		return false;
	return true;
}

bool link_radsrv_match(const struct link *l, const struct radsrv_req *r)
{
	if (has(r, RSK_NAS_PORT) && l->index != r->nas_port)
		return false;
	if (has(r, RSK_ACCT_SESSION_ID) && strcmp(l->session_id, r->acct_session_id) != 0)
		return false;
	if (has(r, RSK_MPD_LINK) && strcmp(l->name, r->mpd_link) != 0)
		return false;
	if (has(r, RSK_USER_NAME) && strcmp(l->peer_authname, r->user_name) != 0)
		return false;
	/* The numbers are what authentication and accounting send (radius.md §2.1): calling =
	 * the device's peer address, called = PPPoE's requested service (or AC MAC); a device
	 * that can't report one is not compared, as in mpd5. */
	if (has(r, RSK_CALLED) && strcmp(l->dev->name, "pppoe") == 0 && l->dev_priv != NULL) {
		char buf[RADSRV_TEXT_MAX];
		if (strcmp(pppoe_called_id(l, buf, sizeof buf), r->called) != 0)
			return false;
	}
	if (has(r, RSK_CALLING) && l->dev->peer_addr != NULL) {
		char buf[RADSRV_TEXT_MAX];
		const char *s = l->dev->peer_addr(l, buf, sizeof buf);
		if (s == NULL || strcmp(s, r->calling) != 0)
			return false;
	}
	return bund_match(l->bund, r);
}

static void coa_apply(struct link *l, const struct radsrv_req *r)
{
	if (r->interim_set)
		link_acct_set_interim(l, r->interim);
	if (r->class_set)
		link_acct_set_class(l, r->class_attr, r->class_len);
	if (l->bund != NULL && (r->session_timeout_set || r->idle_timeout_set))
		iface_authz_timeouts(&l->bund->iface, r->session_timeout_set, r->session_timeout, r->idle_timeout_set,
				     r->idle_timeout);
	log_msg(LG_RADIUS, l->name, "event=coa link=%s user=%s session_timeout=%s%u idle_timeout=%s%u "
		"interim=%s%u class=%s", l->name, l->peer_authname, r->session_timeout_set ? "" : "unchanged:",
		r->session_timeout_set ? r->session_timeout : 0, r->idle_timeout_set ? "" : "unchanged:",
		r->idle_timeout_set ? r->idle_timeout : 0, r->interim_set ? "" : "unchanged:",
		r->interim_set ? r->interim : 0, r->class_set ? "replaced" : "unchanged");
}

static void act(void *arg, const struct radsrv_req *r, struct radsrv_result *res)
{
	struct daemon *d = arg;
	/* Handles first: closing a link may free it (and others) before the walk ends. */
	struct handle hs[256];
	size_t n = 0;
	unsigned cur = 0;
	for (struct link *l; (l = reg_next(&d->links, &cur)) != NULL;) {
		if (l->kind == LINK_TEMPLATE) {
			if (link_radsrv_match(l, r))
				res->templates++;
			continue;
		}
		if (l->phase == PHASE_DEAD || !link_radsrv_match(l, r))
			continue;
		if (n == sizeof hs / sizeof hs[0]) {
			log_msg(LG_ERR, "RADSRV", "more than %zu sessions match: the rest are left alone", n);
			break;
		}
		hs[n++] = link_handle(l);
	}
	for (size_t i = 0; i < n; i++) {
		struct link *l = link_by_handle(d, hs[i]);
		if (l == NULL)
			continue;
		res->matched++;
		if (r->code == RAD_DISCONNECT_REQUEST) {
			log_msg(LG_RADIUS, l->name, "event=disconnect link=%s user=%s reason=Manual", l->name,
				l->peer_authname);
			link_close(l, "Manual");
		} else {
			coa_apply(l, r);
		}
	}
}

const struct radsrv_ops link_radsrv_ops = {act};
