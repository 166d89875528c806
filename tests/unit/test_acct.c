/* aaa/acct: the Acct-Terminate-Cause map (radius.md §2.4), the gigaword split (RFC 2869 §5.1,
 * divisor 2^32), and the dispatcher's promises: answers from the loop, never after a forget. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "aaa/acct.h"
#include "aaa/acct_radius.h"
#include "aaa/rad_pkt.h"
#include "core/daemon.h"
#include "link/link.h"

static void test_terminate_cause(void **state)
{
	(void)state;
	static const struct {
		const char *reason;
		unsigned cause;
	} rows[] = {
		{NULL, 10},                         /* none recorded: NAS-Request */
		{"", 10},
		{"Manual", 6},                      /* Admin-Reset */
		{"Peer disconnect", 1},             /* User-Request */
		{"Admin shutdown", 7},              /* Admin-Reboot */
		{"Fatal shutdown", 11},             /* NAS-Reboot */
		{"Idle timeout", 4},
		{"Session timeout", 5},
		{"Dropped", 2},                     /* Lost-Carrier */
		{"Dropped: carrier lost", 2},
		{"Echo timeout", 3},                /* Lost-Service */
		{"Protocol error", 15},             /* Service-Unavailable */
		{"Login failed", 17},               /* User-Error */
		{"Decreased demand", 12},           /* Port-Unneeded */
		{"PADT received", 8},               /* anything else: Port-Error */
		{"Accounting failed", 15},          /* ours: acct-mandatory, Service-Unavailable */
		{"Link destroyed", 6},              /* ours: `destroy link`, Admin-Reset */
		{"Bundle destroyed", 6},
		{"Interface configuration failed", 9}, /* ours: NAS-Error */
		{"Loopback detected", 8},
		{"Manually closed", 8},             /* the first word must match whole */
		{"manual", 6},                      /* mpd5 compares without case */
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		unsigned got = acct_terminate_cause(rows[i].reason);
		if (got != rows[i].cause)
			fail_msg("\"%s\": cause %u, want %u", rows[i].reason ? rows[i].reason : "(null)", got,
				 rows[i].cause);
	}
}

static void test_split64(void **state)
{
	(void)state;
	static const struct {
		uint64_t v;
		uint32_t low, giga;
	} rows[] = {
		{0, 0, 0},
		{4294967295u, 4294967295u, 0},
		{4294967296u, 0, 1},                /* mpd5's 2^32-1 divisor would say 1 gigaword + 1 */
		{4294967296u + 5, 5, 1},
		{5 * 4294967296ull + 7, 7, 5},
		{UINT64_MAX, 0xffffffffu, 0xffffffffu},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint32_t low = 1, giga = 1;
		acct_split64(rows[i].v, &low, &giga);
		assert_int_equal(low, rows[i].low);
		assert_int_equal(giga, rows[i].giga);
		assert_true(((uint64_t)giga << 32 | low) == rows[i].v);
	}
}

static void test_status_names(void **state)
{
	(void)state;
	assert_string_equal(acct_status_name(ACCT_START), "START");
	assert_string_equal(acct_status_name(ACCT_STOP), "STOP");
	assert_string_equal(acct_status_name(ACCT_UPDATE), "UPDATE");
	assert_int_equal(ACCT_START, 1); /* wire values of Acct-Status-Type */
	assert_int_equal(ACCT_STOP, 2);
	assert_int_equal(ACCT_UPDATE, 3);
}

struct seen {
	int calls;
	struct acct_reply r;
};

static void on_done(const struct acct_reply *r, void *arg)
{
	struct seen *s = arg;
	s->calls++;
	s->r = *r;
}

/* No backend enabled: ok, from the loop, once; a forgotten request never calls back. */
static void test_dispatch_no_backend(void **state)
{
	(void)state;
	struct daemon d;
	memset(&d, 0, sizeof(d));
	d.base = event_base_new();
	assert_non_null(d.base);
	struct acct_record rec;
	memset(&rec, 0, sizeof(rec));
	rec.status = ACCT_START;
	snprintf(rec.link, sizeof(rec.link), "L1");
	struct seen s1 = {0}, s2 = {0};
	struct acct_pending *p1 = acct_send(&d, &rec, on_done, &s1);
	struct acct_pending *p2 = acct_send(&d, &rec, on_done, &s2);
	assert_non_null(p1);
	assert_non_null(p2);
	assert_int_equal(s1.calls, 0); /* never from inside acct_send */
	assert_int_equal(acct_in_flight(&d), 2);
	acct_forget(p2);
	event_base_loop(d.base, EVLOOP_NONBLOCK);
	assert_int_equal(s1.calls, 1);
	assert_true(s1.r.ok);
	assert_false(s1.r.drop_user);
	assert_int_equal(s2.calls, 0);
	assert_int_equal(acct_in_flight(&d), 0);
	acct_shutdown_wait(&d, 1000); /* nothing in flight: returns at once */
	acct_abort_all(&d);
	event_base_free(d.base);
}

static uint32_t find_u32(const struct rad_pkt *p, uint8_t type, uint32_t vendor, uint8_t vtype)
{
	struct rad_attr a;
	uint32_t v = 0xdeadbeef;
	if (!rad_find(p, type, vendor, vtype, &a) || !rad_attr_u32(&a, &v))
		fail_msg("attribute %u/%u/%u missing or not an integer", type, vendor, vtype);
	return v;
}

static void find_str(const struct rad_pkt *p, uint8_t type, uint32_t vendor, uint8_t vtype, const char *want)
{
	struct rad_attr a;
	char buf[256];
	if (!rad_find(p, type, vendor, vtype, &a) || !rad_attr_string(&a, buf, sizeof(buf)))
		fail_msg("attribute %u/%u/%u missing", type, vendor, vtype);
	assert_string_equal(buf, want);
}

/* A whole Accounting-Request as the client would finish it: parsed back, every §2.3 attribute there. */
static int build_packet(const struct acct_record *r, uint8_t *buf, size_t cap, struct rad_pkt *p)
{
	struct rad_builder b;
	assert_int_equal(rad_begin(&b, buf, cap, RAD_ACCOUNTING_REQUEST, 7), 0);
	assert_int_equal(acct_radius_build(r, 3, &b), 0);
	int n = rad_finish(&b, "s3cret", 6);
	assert_true(n > RAD_HDR_LEN);
	assert_int_equal(rad_parse(p, buf, (size_t)n), 0);
	assert_int_equal(rad_verify_request(p, "s3cret", 6, 0), RAD_OK); /* RFC 2866 §3 */
	return n;
}

static void record_example(struct acct_record *r, enum acct_status st)
{
	memset(r, 0, sizeof(*r));
	r->status = st;
	snprintf(r->session_id, sizeof(r->session_id), "1234567-L-3");
	snprintf(r->multi_session_id, sizeof(r->multi_session_id), "1234567-B-1");
	snprintf(r->user, sizeof(r->user), "alice");
	snprintf(r->link, sizeof(r->link), "L-3");
	snprintf(r->bundle, sizeof(r->bundle), "B-1");
	snprintf(r->iface, sizeof(r->iface), "ppp1");
	r->iface_index = 42;
	r->nas_port = 3;
	r->nas_port_type_value = RAD_PORT_ETHERNET;
	snprintf(r->calling, sizeof(r->calling), "00:11:22:33:44:55");
	snprintf(r->peer_mac, sizeof(r->peer_mac), "00:11:22:33:44:55");
	inet_pton(AF_INET, "10.1.2.3", &r->framed_ip);
	r->link_count = 1;
	r->radius_authentic = true;
	memcpy(r->class_attr, "\x01\x02cls", 5);
	r->class_len = 5;
	r->in_octets = 5 * 4294967296ull + 7;
	r->out_octets = 4294967295u;
	r->in_packets = 10;
	r->out_packets = 4294967296ull + 9; /* sent modulo 2^32 */
	r->session_time = 61;
	snprintf(r->term_reason, sizeof(r->term_reason), "Idle timeout");
	snprintf(r->radius.identifier, sizeof(r->radius.identifier), "nas1");
}

static void test_radius_stop_packet(void **state)
{
	(void)state;
	struct acct_record r;
	record_example(&r, ACCT_STOP);
	uint8_t buf[RAD_MAX_PKT];
	struct rad_pkt p;
	build_packet(&r, buf, sizeof(buf), &p);
	assert_int_equal(p.code, RAD_ACCOUNTING_REQUEST);
	assert_int_equal(find_u32(&p, RAD_ACCT_STATUS_TYPE, 0, 0), 2);
	find_str(&p, RAD_ACCT_SESSION_ID, 0, 0, "1234567-L-3");
	find_str(&p, RAD_ACCT_MULTI_SESSION_ID, 0, 0, "1234567-B-1");
	find_str(&p, RAD_USER_NAME, 0, 0, "alice");
	find_str(&p, RAD_NAS_IDENTIFIER, 0, 0, "nas1");
	find_str(&p, RAD_CALLING_STATION_ID, 0, 0, "00:11:22:33:44:55");
	find_str(&p, RAD_VENDOR_SPECIFIC, RAD_VENDOR_MPD, RAD_MPD_LINK, "L-3");
	find_str(&p, RAD_VENDOR_SPECIFIC, RAD_VENDOR_MPD, RAD_MPD_BUNDLE, "B-1");
	find_str(&p, RAD_VENDOR_SPECIFIC, RAD_VENDOR_MPD, RAD_MPD_IFACE, "ppp1");
	assert_int_equal(find_u32(&p, RAD_VENDOR_SPECIFIC, RAD_VENDOR_MPD, RAD_MPD_IFACE_INDEX), 42);
	assert_int_equal(find_u32(&p, RAD_NAS_PORT, 0, 0), 3);
	assert_int_equal(find_u32(&p, RAD_NAS_PORT_TYPE, 0, 0), RAD_PORT_ETHERNET);
	assert_int_equal(find_u32(&p, RAD_SERVICE_TYPE, 0, 0), RAD_SERVICE_FRAMED);
	assert_int_equal(find_u32(&p, RAD_FRAMED_PROTOCOL, 0, 0), RAD_PROTO_PPP);
	assert_int_equal(find_u32(&p, RAD_FRAMED_IP_ADDRESS, 0, 0), ntohl(r.framed_ip.s_addr));
	assert_int_equal(find_u32(&p, RAD_ACCT_LINK_COUNT, 0, 0), 1);
	assert_int_equal(find_u32(&p, RAD_ACCT_AUTHENTIC, 0, 0), RAD_AUTHENTIC_RADIUS);
	assert_int_equal(find_u32(&p, RAD_ACCT_DELAY_TIME, 0, 0), 3);
	assert_int_equal(find_u32(&p, RAD_ACCT_TERMINATE_CAUSE, 0, 0), RAD_TERM_IDLE_TIMEOUT);
	assert_int_equal(find_u32(&p, RAD_ACCT_SESSION_TIME, 0, 0), 61);
	assert_int_equal(find_u32(&p, RAD_ACCT_INPUT_OCTETS, 0, 0), 7);
	assert_int_equal(find_u32(&p, RAD_ACCT_INPUT_GIGAWORDS, 0, 0), 5);
	assert_int_equal(find_u32(&p, RAD_ACCT_OUTPUT_OCTETS, 0, 0), 4294967295u);
	assert_int_equal(find_u32(&p, RAD_ACCT_OUTPUT_GIGAWORDS, 0, 0), 0);
	assert_int_equal(find_u32(&p, RAD_ACCT_INPUT_PACKETS, 0, 0), 10);
	assert_int_equal(find_u32(&p, RAD_ACCT_OUTPUT_PACKETS, 0, 0), 9);
	struct rad_attr a;
	assert_true(rad_find(&p, RAD_CLASS, 0, 0, &a));
	assert_int_equal(a.len, 5);
	assert_memory_equal(a.data, "\x01\x02cls", 5);
	assert_false(rad_find(&p, RAD_STATE, 0, 0, &a));               /* none kept */
	assert_false(rad_find(&p, RAD_MESSAGE_AUTHENTICATOR, 0, 0, &a)); /* none in accounting */
	assert_false(rad_find(&p, RAD_FRAMED_IP_NETMASK, 0, 0, &a));    /* AAA gave none */
	assert_true(rad_find(&p, RAD_TUNNEL_MEDIUM_TYPE, 0, 0, &a));    /* PPPoE: IEEE-802 */
}

/* A Start carries no counters, no session time and no terminate cause. */
static void test_radius_start_packet(void **state)
{
	(void)state;
	struct acct_record r;
	record_example(&r, ACCT_START);
	r.radius_authentic = false;
	uint8_t buf[RAD_MAX_PKT];
	struct rad_pkt p;
	build_packet(&r, buf, sizeof(buf), &p);
	struct rad_attr a;
	assert_int_equal(find_u32(&p, RAD_ACCT_STATUS_TYPE, 0, 0), 1);
	assert_int_equal(find_u32(&p, RAD_ACCT_AUTHENTIC, 0, 0), RAD_AUTHENTIC_LOCAL);
	assert_false(rad_find(&p, RAD_ACCT_TERMINATE_CAUSE, 0, 0, &a));
	assert_false(rad_find(&p, RAD_ACCT_SESSION_TIME, 0, 0, &a));
	assert_false(rad_find(&p, RAD_ACCT_INPUT_OCTETS, 0, 0, &a));
	assert_false(rad_find(&p, RAD_ACCT_OUTPUT_GIGAWORDS, 0, 0, &a));
}

/* mpd-drop-user in an Accounting-Response: non-zero drops, zero or absent does not. */
static void test_radius_drop_user(void **state)
{
	(void)state;
	uint8_t req[RAD_MAX_PKT], buf[RAD_MAX_PKT];
	struct rad_builder b;
	assert_int_equal(rad_begin(&b, req, sizeof(req), RAD_ACCOUNTING_REQUEST, 9), 0);
	assert_true(rad_finish(&b, "k", 1) > 0);
	for (uint32_t v = 0; v < 3; v++) {
		assert_int_equal(rad_begin_reply(&b, buf, sizeof(buf), RAD_ACCOUNTING_RESPONSE, req), 0);
		if (v < 2)
			assert_int_equal(rad_add_vsa_u32(&b, RAD_VENDOR_MPD, RAD_MPD_DROP_USER, v), 0);
		int n = rad_finish(&b, "k", 1);
		struct rad_pkt p;
		assert_int_equal(rad_parse(&p, buf, (size_t)n), 0);
		assert_true(acct_radius_drop_user(&p) == (v == 1));
	}
}

/* Acct-Session-Id: a burst of sessions on the same (reused) link name never repeats an id. */
static void test_session_ids_unique(void **state)
{
	(void)state;
	struct daemon d;
	memset(&d, 0, sizeof(d));
	enum { N = 500 };
	static char ids[N][40];
	for (int i = 0; i < N; i++) {
		link_session_stamp(&d.sid_link, ids[i], sizeof(ids[i]), "L-1");
		for (int j = 0; j < i; j++)
			if (strcmp(ids[i], ids[j]) == 0)
				fail_msg("session id %s repeated", ids[i]);
	}
	/* the first of a second keeps mpd5's form <time>-<name> */
	assert_non_null(strchr(ids[0], '-'));
	assert_null(strchr(ids[0], '.'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_terminate_cause),
		cmocka_unit_test(test_split64),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_dispatch_no_backend),
		cmocka_unit_test(test_radius_stop_packet),
		cmocka_unit_test(test_radius_start_packet),
		cmocka_unit_test(test_radius_drop_user),
		cmocka_unit_test(test_session_ids_unique),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
