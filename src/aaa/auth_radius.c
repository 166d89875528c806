/*
 * The radius-auth backend: one Access-Request per login (RFC 2865 §4.1)
 * through the client transport (aaa/rad_client.h), and the Access-Accept or
 * Access-Reject turned into a struct auth_result (radius.md §2.8).
 *
 * Credentials: PAP as User-Password (RFC 2865 §5.2); CHAP-MD5 and native
 * EAP-MD5 as CHAP-Challenge + CHAP-Password (RFC 2865 §5.3, §5.40); MS-CHAP
 * v1/v2 by auth_radius_ms.c (RFC 2548 §2.3). The EAP proxy has its own
 * exchange (auth_eap_proxy.c).
 *
 * The reply is read by one function per attribute group (standard, IPv6,
 * Microsoft, mpd vendor), each storing every attribute it knows in the
 * result; what the link applies, and how, is the link's business.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aaa/auth_backend.h"
#include "aaa/auth_radius_ms.h"
#include "aaa/rad_client.h"
#include "aaa/rad_pkt.h"
#include "core/log.h"
#include "ppp/chap.h"

struct radius_auth {
	struct auth_pending *p;
	struct rad_req *req;
};

static const char *method_label(enum auth_method m)
{
	static const char *const names[] = {
		[AUTH_PAP] = "PAP", [AUTH_CHAP_MD5] = "CHAP-MD5", [AUTH_EAP_MD5] = "EAP-MD5",
		[AUTH_MSCHAP_V1] = "MS-CHAPv1", [AUTH_MSCHAP_V2] = "MS-CHAPv2",
	};
	return names[m];
}

/* NAS identification, shared by every request we send (radius.md §2.1). */
static int add_nas(struct rad_builder *b, const struct radius_conf *rc)
{
	char host[65];
	const char *id = rc->identifier;
	if (id[0] == '\0') {
		if (gethostname(host, sizeof(host) - 1) < 0)
			host[0] = '\0';
		host[sizeof(host) - 1] = '\0';
		id = host;
	}
	int rc_ = rad_add_string(b, RAD_NAS_IDENTIFIER, id);
	if (rc->me_set)
		rc_ |= rad_add_ipv4(b, RAD_NAS_IP_ADDRESS, rc->me);
	if (rc->v6me_set)
		rc_ |= rad_add_ipv6(b, RAD_NAS_IPV6_ADDRESS, &rc->v6me);
	return rc_;
}

/* Who is asking: the session and the line it came in on (radius.md §2.1). */
static int add_session(struct rad_builder *b, const struct auth_request *q)
{
	int rc = rad_add_string(b, RAD_ACCT_SESSION_ID, q->session_id);
	rc |= rad_add_u32(b, RAD_NAS_PORT, q->nas_port);
	if (q->nas_port_type >= 0)
		rc |= rad_add_u32(b, RAD_NAS_PORT_TYPE, (uint32_t)q->nas_port_type);
	rc |= rad_add_u32(b, RAD_SERVICE_TYPE, RAD_SERVICE_FRAMED);
	rc |= rad_add_u32(b, RAD_FRAMED_PROTOCOL, RAD_PROTO_PPP);
	/* an empty value is not sent: RFC 8044 §3.4 forbids zero-length strings */
	rc |= rad_add_string(b, RAD_CALLING_STATION_ID, q->calling);
	rc |= rad_add_string(b, RAD_CALLED_STATION_ID, q->called);
	rc |= rad_add_string(b, RAD_NAS_PORT_ID, q->nas_port_id);
	rc |= rad_add_vsa_string(b, RAD_VENDOR_MPD, RAD_MPD_LINK, q->link_name);
	rc |= rad_add_vsa_string(b, RAD_VENDOR_MPD, RAD_MPD_PEER_IDENT, q->peer_ident);
	rc |= rad_add_vsa_string(b, RAD_VENDOR_DSL_FORUM, RAD_DSL_AGENT_CIRCUIT_ID, q->agent_circuit_id);
	rc |= rad_add_vsa_string(b, RAD_VENDOR_DSL_FORUM, RAD_DSL_AGENT_REMOTE_ID, q->agent_remote_id);
	return rc;
}

/* The peer's proof (radius.md §2.2). -1 for a method this backend cannot carry. */
static int add_credentials(struct rad_builder *b, const struct auth_request *q, const char *secret)
{
	int rc = rad_add_string(b, RAD_USER_NAME, q->name);
	switch (q->method) {
	case AUTH_PAP:
		return rc | rad_add_user_password(b, q->password, strlen(q->password), secret, strlen(secret));
	case AUTH_CHAP_MD5:
	case AUTH_EAP_MD5: {
		/* RFC 2865 §5.3: the CHAP identifier, then the 16-byte response */
		uint8_t chap[1 + CHAP_MD5_LEN];
		if (q->response_len != CHAP_MD5_LEN || q->challenge_len == 0)
			return -1;
		chap[0] = q->id;
		memcpy(chap + 1, q->response, CHAP_MD5_LEN);
		rc |= rad_add_raw(b, RAD_CHAP_CHALLENGE, q->challenge, q->challenge_len);
		return rc | rad_add_raw(b, RAD_CHAP_PASSWORD, chap, sizeof(chap));
	}
	case AUTH_MSCHAP_V1:
	case AUTH_MSCHAP_V2:
		return rc | auth_radius_ms_request(b, q);
	default:
		return -1;
	}
}

/* The client's per-server build callback. */
static int build_request(struct rad_builder *b, const char *secret, void *arg)
{
	struct radius_auth *ra = arg;
	const struct auth_request *q = auth_pending_req(ra->p);
	if (add_credentials(b, q, secret) < 0)
		return -1;
	return add_nas(b, &q->radius) | add_session(b, q) ? -1 : 0;
}

/* Copy a text attribute into a fixed field; a value too long is logged, not cut. */
static void take_string(const struct rad_attr *a, char *out, size_t cap, const char *what, const char *who)
{
	if (!rad_attr_string(a, out, cap))
		log_pmsg(LG_RADIUS, LP_WARNING, who, "RADIUS: %s too long or not text, ignored", what);
}

/* Framed-Route "dest/width [gateway [metric]]": only the prefix is used (radius.md §2.8). */
static void take_route(struct auth_result *r, const struct rad_attr *a, bool v6, const char *who)
{
	char text[RAD_MAX_ATTR + 1], *slash, *end;
	if (!rad_attr_string(a, text, sizeof(text)))
		return;
	text[strcspn(text, " ")] = '\0';
	struct auth_route rt = {.v6 = v6};
	if ((slash = strchr(text, '/')) == NULL)
		goto bad;
	*slash = '\0';
	long w = strtol(slash + 1, &end, 10);
	if (*end != '\0' || w < 0 || w > (v6 ? 128 : 32) ||
	    inet_pton(v6 ? AF_INET6 : AF_INET, text, v6 ? (void *)&rt.dst6 : (void *)&rt.dst) != 1)
		goto bad;
	rt.width = (int)w;
	for (unsigned i = 0; i < r->nroutes; i++)
		if (memcmp(&r->routes[i], &rt, sizeof(rt)) == 0)
			return; /* duplicates ignored */
	if (r->nroutes >= AUTH_MAX_ROUTES) {
		log_pmsg(LG_RADIUS, LP_WARNING, who, "RADIUS: more than %d routes, the rest ignored", AUTH_MAX_ROUTES);
		return;
	}
	r->routes[r->nroutes++] = rt;
	return;
bad:
	log_pmsg(LG_RADIUS, LP_WARNING, who, "RADIUS: Framed-%sRoute not in dest/width form, ignored", v6 ? "IPv6-" : "");
}

/* The standard attributes of RFC 2865/2869 (radius.md §2.8). true when a has been taken. */
static bool take_standard(struct auth_result *r, const struct rad_attr *a, const char *who)
{
	uint32_t v;
	switch (a->type) {
	case RAD_USER_NAME:
		take_string(a, r->user_name, sizeof(r->user_name), "User-Name", who);
		return true;
	case RAD_FRAMED_IP_ADDRESS:
		r->framed_ip_set = rad_attr_ipv4(a, &r->framed_ip);
		return true;
	case RAD_FRAMED_IP_NETMASK:
		r->framed_netmask_set = rad_attr_ipv4(a, &r->framed_netmask);
		return true;
	case RAD_FRAMED_ROUTE:
		take_route(r, a, false, who);
		return true;
	case RAD_SESSION_TIMEOUT:
		if (rad_attr_u32(a, &v))
			r->session_timeout = v;
		return true;
	case RAD_IDLE_TIMEOUT:
		if (rad_attr_u32(a, &v))
			r->idle_timeout = v;
		return true;
	case RAD_ACCT_INTERIM_INTERVAL:
		if (rad_attr_u32(a, &v))
			r->acct_interim = v;
		return true;
	case RAD_FRAMED_MTU:
		if (rad_attr_u32(a, &v) && v >= 296 && v <= 65536)
			r->mtu = v;
		else
			log_pmsg(LG_RADIUS, LP_WARNING, who, "RADIUS: Framed-MTU outside 296..65536, ignored");
		return true;
	case RAD_FRAMED_COMPRESSION:
		r->vj_compression = rad_attr_u32(a, &v) && v == RAD_COMP_VJ;
		return true;
	case RAD_FILTER_ID:
		take_string(a, r->filter_id, sizeof(r->filter_id), "Filter-Id", who);
		return true;
	case RAD_REPLY_MESSAGE: {
		/* the text for the peer; several are joined as RFC 2865 §5.18 allows */
		char m[RAD_MAX_ATTR + 1];
		if (rad_attr_string(a, m, sizeof(m)))
			snprintf(r->msg + strlen(r->msg), sizeof(r->msg) - strlen(r->msg), "%s", m);
		return true;
	}
	case RAD_FRAMED_POOL:
		take_string(a, r->pool, sizeof(r->pool), "Framed-Pool", who);
		return true;
	case RAD_STATE:
		r->state_len = a->len <= sizeof(r->state) ? a->len : 0;
		memcpy(r->state, a->data, r->state_len);
		return true;
	case RAD_CLASS:
		r->class_len = a->len <= sizeof(r->class_attr) ? a->len : 0;
		memcpy(r->class_attr, a->data, r->class_len);
		return true;
	case RAD_SERVICE_TYPE:
	case RAD_FRAMED_PROTOCOL:
	case RAD_FRAMED_ROUTING:
		if (rad_attr_u32(a, &v))
			log_msg(LG_RADIUS2, who, "RADIUS: %s = %u (logged only)", rad_attr_name(0, a->type), v);
		return true;
	case RAD_MESSAGE_AUTHENTICATOR:
		return true; /* verified by the client */
	default:
		return false;
	}
}

/* The IPv6 attributes (RFC 3162, 4818, 6911), stored for the IPv6 work. */
static bool take_ipv6(struct auth_result *r, const struct rad_attr *a, const char *who)
{
	uint8_t plen;
	switch (a->type) {
	case RAD_FRAMED_IPV6_ADDRESS:
		r->framed_ipv6_set = rad_attr_ipv6(a, &r->framed_ipv6);
		return true;
	case RAD_FRAMED_IPV6_PREFIX:
		if (rad_attr_ipv6_prefix(a, &r->framed_ipv6_prefix, &plen))
			r->framed_ipv6_prefix_len = plen;
		return true;
	case RAD_DELEGATED_IPV6_PREFIX:
		if (rad_attr_ipv6_prefix(a, &r->delegated_prefix, &plen))
			r->delegated_prefix_len = plen;
		return true;
	case RAD_FRAMED_IPV6_ROUTE:
		take_route(r, a, true, who);
		return true;
	default:
		return false;
	}
}

/* Microsoft VSAs (RFC 2548) that are not MS-CHAP's own: MPPE policy, DNS/NBNS, domain, error text. */
static bool take_microsoft(struct auth_result *r, const struct rad_attr *a, const char *who)
{
	if (a->vendor != RAD_VENDOR_MICROSOFT)
		return false;
	switch (a->vtype) {
	case RAD_MS_MPPE_ENCRYPTION_POLICY:
		rad_attr_u32(a, &r->mppe_policy);
		return true;
	case RAD_MS_MPPE_ENCRYPTION_TYPES:
		rad_attr_u32(a, &r->mppe_types);
		return true;
	case RAD_MS_PRIMARY_DNS_SERVER:
		rad_attr_ipv4(a, &r->dns[0]);
		return true;
	case RAD_MS_SECONDARY_DNS_SERVER:
		rad_attr_ipv4(a, &r->dns[1]);
		return true;
	case RAD_MS_PRIMARY_NBNS_SERVER:
		rad_attr_ipv4(a, &r->nbns[0]);
		return true;
	case RAD_MS_SECONDARY_NBNS_SERVER:
		rad_attr_ipv4(a, &r->nbns[1]);
		return true;
	case RAD_MS_CHAP_DOMAIN:
		take_string(a, r->mschap_domain, sizeof(r->mschap_domain), "MS-CHAP-Domain", who);
		return true;
	case RAD_MS_CHAP_ERROR: {
		/* a leading identifier byte, when present, is not part of the text (radius.md §2.8) */
		struct rad_attr t = *a;
		if (t.len > 0 && (t.data[0] < 0x20))
			t.data++, t.len--;
		take_string(&t, r->mschap_error, sizeof(r->mschap_error), "MS-CHAP-Error", who);
		return true;
	}
	default:
		return false;
	}
}

/* The mpd vendor attributes (radius.md §3): ACLs kept in order, the rest in their fields. */
static bool take_mpd(struct auth_result *r, const struct rad_attr *a, const char *who)
{
	if (a->vendor != RAD_VENDOR_MPD)
		return false;
	switch (a->vtype) {
	case RAD_MPD_RULE:
	case RAD_MPD_PIPE:
	case RAD_MPD_QUEUE:
	case RAD_MPD_TABLE:
	case RAD_MPD_TABLE_STATIC:
	case RAD_MPD_FILTER:
	case RAD_MPD_LIMIT:
		if (r->nacl >= AUTH_MAX_ACL) {
			log_pmsg(LG_RADIUS, LP_WARNING, who, "RADIUS: more than %d mpd ACL attributes, the rest ignored",
				 AUTH_MAX_ACL);
			return true;
		}
		if (rad_attr_string(a, r->acl[r->nacl].text, sizeof(r->acl[r->nacl].text)))
			r->acl[r->nacl++].kind = (enum auth_acl_kind)a->vtype;
		return true;
	case RAD_MPD_INPUT_ACCT:
		take_string(a, r->input_acct, sizeof(r->input_acct), "mpd-input-acct", who);
		return true;
	case RAD_MPD_OUTPUT_ACCT:
		take_string(a, r->output_acct, sizeof(r->output_acct), "mpd-output-acct", who);
		return true;
	case RAD_MPD_ACTION:
		take_string(a, r->action, sizeof(r->action), "mpd-action", who);
		return true;
	case RAD_MPD_IFACE_NAME:
		take_string(a, r->iface_name, sizeof(r->iface_name), "mpd-iface-name", who);
		return true;
	case RAD_MPD_IFACE_DESCR:
		take_string(a, r->iface_descr, sizeof(r->iface_descr), "mpd-iface-descr", who);
		return true;
	case RAD_MPD_IFACE_GROUP:
		take_string(a, r->iface_group, sizeof(r->iface_group), "mpd-iface-group", who);
		return true;
	default:
		return false;
	}
}

void auth_radius_take_reply(struct auth_result *r, const struct rad_pkt *pkt, const char *who)
{
	struct rad_iter it;
	struct rad_attr a;
	rad_iter_init(&it, pkt);
	while (rad_iter_next(&it, &a)) {
		if (take_standard(r, &a, who) || take_ipv6(r, &a, who) || take_microsoft(r, &a, who) ||
		    take_mpd(r, &a, who))
			continue;
		const char *n = rad_attr_name(a.vendor, a.vendor ? a.vtype : a.type);
		log_msg(LG_RADIUS2, who, "RADIUS: attribute %s (%u/%u/%u) ignored", n != NULL ? n : "unknown",
			a.type, a.vendor, a.vtype);
	}
}

static void on_response(const struct rad_response *resp, void *arg)
{
	struct radius_auth *ra = arg;
	struct auth_pending *p = ra->p;
	const struct auth_request *q = auth_pending_req(p);
	struct auth_result *r = auth_pending_result(p);
	*auth_pending_state(p) = NULL;
	free(ra);
	const char *m = method_label(q->method);
	if (resp->outcome != RAD_ANSWERED) {
		log_pmsg(LG_RADIUS, LP_WARNING, q->link_name, "RADIUS: rad-auth user=\"%s\" method=%s result=%s", q->name,
			 m, resp->outcome == RAD_TIMEOUT ? "no-answer" : "no-server");
		auth_backend_done(p, AUTH_V_FAIL, NULL);
		return;
	}
	r->msg[0] = '\0';
	auth_radius_take_reply(r, resp->pkt, q->link_name);
	/* MS-CHAP: the v2 authenticator response, MPPE keys, E= code (a v2 Accept without MS-CHAP2-Success
	 * is a failure) */
	bool ms_ok = !auth_radius_ms_method(q->method) || auth_radius_ms_reply(resp, q, r, q->link_name) == 0;
	if (resp->code == RAD_ACCESS_ACCEPT && ms_ok) {
		r->source = AUTH_SRC_RADIUS;
		r->peer_range_set = false;
		log_msg(LG_RADIUS, q->link_name, "RADIUS: rad-auth user=\"%s\" method=%s result=accept server=%s",
			q->name, m, resp->server);
		log_msg(LG_AUTH, q->link_name, "Auth: %s user \"%s\" accepted by RADIUS", m, q->name);
		auth_backend_done(p, AUTH_V_SUCCESS, NULL);
		return;
	}
	log_pmsg(LG_RADIUS, LP_NOTICE, q->link_name,
		 "RADIUS: rad-auth user=\"%s\" method=%s result=%s server=%s reply=\"%s\"", q->name, m,
		 resp->code == RAD_ACCESS_REJECT ? "reject" : resp->code == RAD_ACCESS_ACCEPT ? "accept-unusable" :
		 "challenge-unexpected", resp->server, r->msg);
	auth_backend_done(p, AUTH_V_FAIL, NULL);
}

void auth_radius_start(struct auth_pending *p)
{
	const struct auth_request *q = auth_pending_req(p);
	if (q->method != AUTH_PAP && q->method != AUTH_CHAP_MD5 && q->method != AUTH_EAP_MD5 &&
	    !auth_radius_ms_method(q->method)) {
		log_pmsg(LG_RADIUS, LP_WARNING, q->link_name, "RADIUS: %s is not carried to RADIUS yet, next backend",
			 method_label(q->method));
		auth_backend_done(p, AUTH_V_FAIL, NULL);
		return;
	}
	struct radius_auth *ra = calloc(1, sizeof(*ra));
	if (ra != NULL) {
		ra->p = p;
		ra->req = rad_send(auth_pending_daemon(p), &q->radius, RAD_KIND_AUTH, RAD_ACCESS_REQUEST, build_request,
				   on_response, ra, q->link_name);
	}
	if (ra == NULL || ra->req == NULL) {
		free(ra);
		log_pmsg(LG_RADIUS, LP_WARNING, q->link_name, "RADIUS: out of memory");
		auth_backend_done(p, AUTH_V_FAIL, NULL);
		return;
	}
	*auth_pending_state(p) = ra;
}

void auth_radius_cancel(struct auth_pending *p)
{
	struct radius_auth *ra = *auth_pending_state(p);
	if (ra == NULL)
		return;
	rad_cancel(ra->req);
	free(ra);
	*auth_pending_state(p) = NULL;
}
