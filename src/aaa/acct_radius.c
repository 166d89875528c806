/*
 * The radius-acct backend: one Accounting-Request (RFC 2866 §4.1) per
 * accounting event, with the attributes of radius.md §2.1 and §2.3, sent
 * through the RADIUS client (aaa/rad_client.h: accounting ports, servers in
 * turn, retransmissions, failover).
 *
 * A Stop is the record of a whole session: when every server timed out it
 * is sent again a little later, for as long as the daemon runs (at shutdown
 * a round that times out ends it). Start and Update are not retried beyond
 * the client's own round: a lost Update is superseded by the next one.
 */
#include "aaa/acct.h"
#include "aaa/acct_radius.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <event2/event.h>

#include "aaa/rad_client.h"
#include "aaa/rad_pkt.h"
#include "core/daemon.h"
#include "core/log.h"

struct acct_job {
	struct daemon *d;
	struct acct_record rec;
	acct_job_done_fn done;
	void *arg;
	struct rad_req *req;       /* the round in progress, NULL between rounds */
	struct event *again;       /* a Stop waits for its next round */
	struct timespec created;   /* Acct-Delay-Time counts from here (RFC 2866 §5.2) */
	unsigned rounds;
};

static uint32_t delay_secs(const struct acct_job *j)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > j->created.tv_sec ? (uint32_t)(now.tv_sec - j->created.tv_sec) : 0;
}

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

static int build_cb(struct rad_builder *b, const char *secret, void *arg)
{
	(void)secret; /* nothing in an Accounting-Request is hidden */
	struct acct_job *j = arg;
	return acct_radius_build(&j->rec, delay_secs(j), b);
}

static void job_free(struct acct_job *j)
{
	if (j->again != NULL)
		event_free(j->again);
	free(j);
}

static void round_start(struct acct_job *j);

static void again_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	round_start(arg);
}

/* Every server timed out on a Stop: try again later, unless the daemon is going away. */
static bool stop_again(struct acct_job *j)
{
	if (j->rec.status != ACCT_STOP || j->d->shutting_down)
		return false;
	if (j->again == NULL && (j->again = evtimer_new(j->d->base, again_cb, j)) == NULL)
		return false;
	unsigned secs = j->rec.radius.timeout > 0 ? j->rec.radius.timeout : RAD_DEF_TIMEOUT;
	struct timeval tv = {(time_t)secs, 0};
	log_pmsg(LG_RADIUS, LP_WARNING, j->rec.link,
		 "RADIUS: Accounting-Request STOP session=%s: no server answered (round %u), again in %u s",
		 j->rec.session_id, j->rounds, secs);
	evtimer_add(j->again, &tv);
	return true;
}

static void answer_cb(const struct rad_response *resp, void *arg)
{
	struct acct_job *j = arg;
	j->req = NULL;
	bool ok = false, drop = false;
	switch (resp->outcome) {
	case RAD_ANSWERED:
		ok = resp->code == RAD_ACCOUNTING_RESPONSE;
		if (ok)
			drop = acct_radius_drop_user(resp->pkt);
		else
			log_pmsg(LG_RADIUS, LP_WARNING, j->rec.link, "RADIUS: %s answered an Accounting-Request with code %u",
				 resp->server ? resp->server : "server", resp->code);
		break;
	case RAD_TIMEOUT:
		if (stop_again(j))
			return;
		log_pmsg(LG_RADIUS, LP_WARNING, j->rec.link, "RADIUS: Accounting-Request %s session=%s: no server answered",
			 acct_status_name(j->rec.status), j->rec.session_id);
		break;
	case RAD_NOSERVER:
		log_pmsg(LG_RADIUS, LP_WARNING, j->rec.link, "RADIUS: no accounting server configured (set radius server)");
		break;
	}
	acct_job_done_fn done = j->done;
	void *darg = j->arg;
	job_free(j);
	done(ok, drop, darg);
}

static void round_start(struct acct_job *j)
{
	j->rounds++;
	j->req = rad_send(j->d, &j->rec.radius, RAD_KIND_ACCT, RAD_ACCOUNTING_REQUEST, build_cb, answer_cb, j,
			  j->rec.link);
	if (j->req == NULL && !stop_again(j)) {
		/* out of memory between rounds: give up, from the loop as always */
		acct_job_done_fn done = j->done;
		void *darg = j->arg;
		job_free(j);
		done(false, false, darg);
	}
}

static struct acct_job *radius_start(struct daemon *d, const struct acct_record *rec, acct_job_done_fn done,
				     void *arg)
{
	struct acct_job *j = calloc(1, sizeof(*j));
	if (j == NULL)
		return NULL;
	j->d = d;
	j->rec = *rec;
	j->done = done;
	j->arg = arg;
	clock_gettime(CLOCK_MONOTONIC, &j->created);
	j->rounds = 1;
	j->req = rad_send(d, &j->rec.radius, RAD_KIND_ACCT, RAD_ACCOUNTING_REQUEST, build_cb, answer_cb, j, j->rec.link);
	if (j->req == NULL) {
		free(j);
		return NULL;
	}
	return j;
}

static void radius_cancel(struct acct_job *j)
{
	if (j->req != NULL)
		rad_cancel(j->req);
	job_free(j);
}

const struct acct_backend acct_backend_radius = {
	.opt = AOPT_RADIUS_ACCT,
	.name = "radius-acct",
	.start = radius_start,
	.cancel = radius_cancel,
};
