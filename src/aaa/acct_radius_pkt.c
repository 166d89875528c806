/*
 * The radius-acct backend's packet: the attributes of an Accounting-Request
 * (RFC 2866 §4.1, §5; RFC 2869 §5.1-5.2 gigawords; radius.md §2.1, §2.3)
 * and what we read from the Accounting-Response. Pure: no I/O.
 */
#include "aaa/acct_radius.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "aaa/rad_client.h"
#include "aaa/rad_pkt.h"

/* A string attribute; "" is left out (RFC 8044 §3.4: no empty text). */
static void add_str(struct rad_builder *b, uint8_t type, const char *s)
{
	(void)rad_add_string(b, type, s);
}

static void add_mpd(struct rad_builder *b, uint8_t vtype, const char *s)
{
	(void)rad_add_vsa_string(b, RAD_VENDOR_MPD, vtype, s);
}

/* radius.md §2.1: what every request of the link carries. */
static void add_common(struct rad_builder *b, const struct acct_record *r)
{
	const struct radius_conf *rc = &r->radius;
	char host[65] = "";
	if (rc->identifier[0] != '\0')
		snprintf(host, sizeof(host), "%s", rc->identifier);
	else if (gethostname(host, sizeof(host) - 1) < 0)
		host[0] = '\0';
	add_str(b, RAD_NAS_IDENTIFIER, host);
	if (rc->me_set)
		rad_add_ipv4(b, RAD_NAS_IP_ADDRESS, rc->me);
	if (rc->v6me_set)
		rad_add_ipv6(b, RAD_NAS_IPV6_ADDRESS, &rc->v6me);
	add_str(b, RAD_ACCT_SESSION_ID, r->session_id);
	rad_add_u32(b, RAD_NAS_PORT, r->nas_port);
	if (r->nas_port_type_value >= 0)
		rad_add_u32(b, RAD_NAS_PORT_TYPE, (uint32_t)r->nas_port_type_value);
	rad_add_u32(b, RAD_SERVICE_TYPE, RAD_SERVICE_FRAMED);
	rad_add_u32(b, RAD_FRAMED_PROTOCOL, RAD_PROTO_PPP);
	if (r->state_len > 0)
		rad_add_raw(b, RAD_STATE, r->state, r->state_len);
	if (r->class_len > 0)
		rad_add_raw(b, RAD_CLASS, r->class_attr, r->class_len);
	add_str(b, RAD_CALLING_STATION_ID, r->calling);
	add_str(b, RAD_CALLED_STATION_ID, r->called);
	add_str(b, RAD_NAS_PORT_ID, r->peer_iface);
	add_mpd(b, RAD_MPD_LINK, r->link);
	add_mpd(b, RAD_MPD_PEER_IDENT, r->peer_ident);
	if (r->nas_port_type_value == RAD_PORT_ETHERNET) {
		/* PPPoE: the medium is IEEE-802 and the client end is the peer's MAC */
		rad_add_tagged_u32(b, RAD_TUNNEL_MEDIUM_TYPE, 0, RAD_MEDIUM_802);
		add_str(b, RAD_TUNNEL_CLIENT_ENDPOINT, r->peer_mac[0] ? r->peer_mac : r->calling);
		add_str(b, RAD_TUNNEL_SERVER_AUTH_ID, r->self_name);
		add_str(b, RAD_TUNNEL_CLIENT_AUTH_ID, r->peer_name);
		(void)rad_add_vsa_string(b, RAD_VENDOR_DSL_FORUM, RAD_DSL_AGENT_CIRCUIT_ID, r->self_name);
		(void)rad_add_vsa_string(b, RAD_VENDOR_DSL_FORUM, RAD_DSL_AGENT_REMOTE_ID, r->peer_name);
	}
}

/* One direction's octets, packets and gigawords (RFC 2866 §5.3-5.8, RFC 2869 §5.1-5.2). */
static void add_counters(struct rad_builder *b, uint8_t t_oct, uint8_t t_pkt, uint8_t t_giga, uint64_t octets,
			 uint64_t packets)
{
	uint32_t low, giga;
	acct_split64(octets, &low, &giga);
	rad_add_u32(b, t_oct, low);
	rad_add_u32(b, t_giga, giga);
	rad_add_u32(b, t_pkt, packets > UINT32_MAX ? (uint32_t)(packets & 0xffffffffu) : (uint32_t)packets);
}

int acct_radius_build(const struct acct_record *r, uint32_t delay, struct rad_builder *b)
{
	rad_add_u32(b, RAD_ACCT_STATUS_TYPE, (uint32_t)r->status);
	add_common(b, r);
	rad_add_ipv4(b, RAD_FRAMED_IP_ADDRESS, r->framed_ip);
	if (r->framed_mask_set)
		rad_add_ipv4(b, RAD_FRAMED_IP_NETMASK, r->framed_mask);
	add_str(b, RAD_USER_NAME, r->user);
	add_str(b, RAD_ACCT_MULTI_SESSION_ID, r->multi_session_id);
	add_mpd(b, RAD_MPD_BUNDLE, r->bundle);
	add_mpd(b, RAD_MPD_IFACE, r->iface);
	rad_add_vsa_u32(b, RAD_VENDOR_MPD, RAD_MPD_IFACE_INDEX, r->iface_index);
	rad_add_u32(b, RAD_ACCT_LINK_COUNT, r->link_count);
	rad_add_u32(b, RAD_ACCT_AUTHENTIC, r->radius_authentic ? RAD_AUTHENTIC_RADIUS : RAD_AUTHENTIC_LOCAL);
	rad_add_u32(b, RAD_ACCT_DELAY_TIME, delay);
	if (r->status == ACCT_STOP)
		rad_add_u32(b, RAD_ACCT_TERMINATE_CAUSE, acct_terminate_cause(r->term_reason));
	if (r->status != ACCT_START) {
		rad_add_u32(b, RAD_ACCT_SESSION_TIME, r->session_time);
		add_counters(b, RAD_ACCT_INPUT_OCTETS, RAD_ACCT_INPUT_PACKETS, RAD_ACCT_INPUT_GIGAWORDS, r->in_octets,
			     r->in_packets);
		add_counters(b, RAD_ACCT_OUTPUT_OCTETS, RAD_ACCT_OUTPUT_PACKETS, RAD_ACCT_OUTPUT_GIGAWORDS,
			     r->out_octets, r->out_packets);
	}
	return b->failed ? -1 : 0;
}

bool acct_radius_drop_user(const struct rad_pkt *p)
{
	struct rad_attr a;
	uint32_t v;
	return rad_find(p, RAD_VENDOR_SPECIFIC, RAD_VENDOR_MPD, RAD_MPD_DROP_USER, &a) && rad_attr_u32(&a, &v) && v != 0;
}

