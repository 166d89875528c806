/*
 * The EAP relay: one Access-Request per EAP Response of the peer, the
 * server's answer turned back into an EAP packet and a verdict.
 */
#include "aaa/auth_eap_proxy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aaa/auth_backend.h"
#include "aaa/auth_radius_ms.h"
#include "aaa/rad_client.h"
#include "aaa/rad_pkt.h"
#include "core/log.h"

struct eap_relay {
	struct daemon *d;
	struct auth_request q;
	eap_relay_fn fn;
	void *arg;
	struct rad_req *req;         /* in flight, NULL when idle */
	uint8_t pkt[EAP_RELAY_MAX];  /* the peer's Response being relayed */
	size_t pkt_len;
	uint8_t state[RAD_MAX_ATTR]; /* State of the last Access-Challenge (RFC 2865 §5.24) */
	size_t state_len;
	uint8_t eap[EAP_RELAY_MAX];  /* the server's EAP packet for the peer */
};

static int relay_build(struct rad_builder *b, const char *secret, void *arg)
{
	(void)secret;
	struct eap_relay *r = arg;
	if (rad_add_string(b, RAD_USER_NAME, r->q.name) < 0 || auth_radius_add_common(b, &r->q) < 0 ||
	    rad_add_split(b, RAD_EAP_MESSAGE, r->pkt, r->pkt_len) < 0)
		return -1;
	if (r->state_len > 0 && rad_add_raw(b, RAD_STATE, r->state, r->state_len) < 0)
		return -1;
	return 0;
}

/* What an Access-Accept grants, for the link to apply (radius.md §2.8), and its MPPE keys. */
static void relay_accept(struct eap_relay *r, const struct rad_response *resp, struct auth_result *res)
{
	auth_radius_take_reply(res, resp->pkt, r->q.link_name);
	res->ok = true;
	res->source = AUTH_SRC_RADIUS;
	res->ms_error = 0;
	if (res->msg[0] == '\0')
		snprintf(res->msg, sizeof(res->msg), "Welcome");
	auth_radius_mppe_keys(resp, res, r->q.link_name);
}

static void relay_done(const struct rad_response *resp, void *arg)
{
	struct eap_relay *r = arg;
	struct auth_result res;
	struct eap_relay_answer ans = {.kind = EAP_RELAY_ERROR, .res = &res};
	r->req = NULL;
	memset(&res, 0, sizeof(res));
	res.session_timeout = res.idle_timeout = res.mtu = AUTH_UNSET_U32;
	res.limit_in = res.limit_out = AUTH_UNSET_U32;
	res.ms_error = MSCHAP_E_AUTH_FAILURE;
	if (resp->outcome != RAD_ANSWERED) {
		log_pmsg(LG_RADIUS, LP_WARNING, r->q.link_name, "EAP: radius-proxy: no answer from the RADIUS servers");
		r->fn(&ans, r->arg);
		return;
	}
	int n = rad_concat(resp->pkt, RAD_EAP_MESSAGE, r->eap, sizeof(r->eap));
	if (n > 0) {
		ans.eap = r->eap;
		ans.eap_len = (size_t)n;
	}
	struct rad_attr a;
	switch (resp->code) {
	case RAD_ACCESS_CHALLENGE:
		r->state_len = 0;
		if (rad_find(resp->pkt, RAD_STATE, 0, 0, &a) && a.len <= sizeof(r->state)) {
			memcpy(r->state, a.data, a.len);
			r->state_len = a.len;
		}
		if (n <= 0) {
			log_pmsg(LG_RADIUS, LP_WARNING, r->q.link_name, "EAP: Access-Challenge from %s without EAP-Message",
				 resp->server);
			break;
		}
		ans.kind = EAP_RELAY_CHALLENGE;
		break;
	case RAD_ACCESS_ACCEPT:
		relay_accept(r, resp, &res);
		ans.kind = EAP_RELAY_ACCEPT;
		break;
	case RAD_ACCESS_REJECT:
		auth_radius_take_reply(&res, resp->pkt, r->q.link_name); /* Reply-Message: the text */
		if (res.msg[0] == '\0')
			snprintf(res.msg, sizeof(res.msg), "Login incorrect");
		ans.kind = EAP_RELAY_REJECT;
		break;
	default:
		break;
	}
	log_msg(LG_RADIUS, r->q.link_name, "EAP: radius-proxy: %s from %s (EAP %d bytes)",
		rad_code_name(resp->code) ? rad_code_name(resp->code) : "?", resp->server, n);
	r->fn(&ans, r->arg);
	explicit_bzero(&res, sizeof(res));
}

struct eap_relay *eap_relay_new(struct daemon *d, const struct auth_request *q, eap_relay_fn fn, void *arg)
{
	struct eap_relay *r = calloc(1, sizeof(*r));
	if (r == NULL)
		return NULL;
	r->d = d;
	r->q = *q;
	r->fn = fn;
	r->arg = arg;
	return r;
}

int eap_relay_send(struct eap_relay *r, const uint8_t *pkt, size_t len)
{
	if (r->req != NULL || len > sizeof(r->pkt))
		return -1;
	memcpy(r->pkt, pkt, len);
	r->pkt_len = len;
	r->req = rad_send(r->d, &r->q.radius, RAD_KIND_AUTH, RAD_ACCESS_REQUEST, relay_build, relay_done, r,
			  r->q.link_name);
	return r->req != NULL ? 0 : -1;
}

void eap_relay_free(struct eap_relay *r)
{
	if (r == NULL)
		return;
	if (r->req != NULL)
		rad_cancel(r->req);
	explicit_bzero(r, sizeof(*r));
	free(r);
}
