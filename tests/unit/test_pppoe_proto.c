/* PPPoE codec: round trips of every discovery packet, the session header, malformed input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dev/pppoe/pppoe_proto.h"

static const uint8_t mac_a[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x0a};
static const uint8_t mac_b[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x0b};
static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static struct pppoe_blob blob(const char *s)
{
	return (struct pppoe_blob){.p = (const uint8_t *)s, .len = strlen(s), .set = true};
}

static void assert_blob(const struct pppoe_blob *b, const char *s)
{
	assert_true(b->set);
	assert_int_equal(b->len, strlen(s));
	assert_memory_equal(b->p, s, b->len);
}

/* Parse a built frame: headers, then tags. */
static void parse_all(const uint8_t *buf, size_t n, struct pppoe_frame *f, struct pppoe_disc *d)
{
	const char *why = NULL;
	assert_int_equal(pppoe_frame_parse(buf, n, f, &why), 0);
	assert_int_equal(f->ethertype, PPPOE_ETHERTYPE_DISC);
	assert_int_equal(pppoe_disc_parse(f->payload, f->len, d, &why), 0);
}

static void test_padi_round_trip(void **state)
{
	(void)state;
	uint8_t buf[1514];
	struct pppoe_disc d = {0}, p;
	struct pppoe_frame f;
	d.service = blob("isp");
	d.host_uniq = blob("\x01\x02\x03\x04\x05\x06\x07\x08");
	d.has_max_payload = true;
	d.max_payload = 1500;

	size_t n = pppoe_build_padi(buf, sizeof(buf), mac_a, &d);
	/* 20 bytes of headers, Service-Name 4+3, Host-Uniq 4+8, Max-Payload 4+2 */
	assert_int_equal(n, 20 + 7 + 12 + 6);
	assert_int_equal(buf[12], 0x88);
	assert_int_equal(buf[13], 0x63);
	assert_int_equal(buf[14], 0x11);
	assert_int_equal(buf[15], PPPOE_PADI);
	parse_all(buf, n, &f, &p);
	assert_memory_equal(f.dst, bcast, 6);
	assert_memory_equal(f.src, mac_a, 6);
	assert_int_equal(f.code, PPPOE_PADI);
	assert_int_equal(f.sid, 0);
	assert_int_equal(f.len, 7 + 12 + 6);
	assert_blob(&p.service, "isp");
	assert_int_equal(p.nservice, 1);
	assert_blob(&p.host_uniq, "\x01\x02\x03\x04\x05\x06\x07\x08");
	assert_true(p.has_max_payload);
	assert_int_equal(p.max_payload, 1500);
	assert_false(p.acname.set);
	assert_false(p.cookie.set);
}

static void test_padi_always_has_service(void **state)
{
	(void)state;
	uint8_t buf[64];
	struct pppoe_disc d = {0}, p;
	struct pppoe_frame f;

	size_t n = pppoe_build_padi(buf, sizeof(buf), mac_a, &d);
	assert_int_equal(n, 24);
	parse_all(buf, n, &f, &p);
	assert_int_equal(p.nservice, 1);
	assert_true(p.service.set);
	assert_int_equal(p.service.len, 0); /* zero-length tag: "any service" */
}

static void test_pado_round_trip(void **state)
{
	(void)state;
	uint8_t buf[1514];
	struct pppoe_blob more[2] = {blob("gold"), blob("silver")};
	struct pppoe_disc d = {0}, p;
	struct pppoe_frame f;
	d.acname = blob("concentrator");
	d.service = blob("");
	d.more_services = more;
	d.nmore_services = 2;
	d.cookie = blob("cookie-bytes");
	d.relay_sid = blob("relay");
	d.host_uniq = blob("hu");

	size_t n = pppoe_build_pado(buf, sizeof(buf), mac_b, mac_a, &d);
	assert_true(n > 0);
	parse_all(buf, n, &f, &p);
	assert_int_equal(f.code, PPPOE_PADO);
	assert_memory_equal(f.dst, mac_b, 6);
	assert_blob(&p.acname, "concentrator");
	assert_int_equal(p.nservice, 3);
	assert_blob(&p.service, "");
	assert_true(pppoe_disc_has_service(f.payload, f.len, (const uint8_t *)"gold", 4));
	assert_true(pppoe_disc_has_service(f.payload, f.len, (const uint8_t *)"silver", 6));
	assert_true(pppoe_disc_has_service(f.payload, f.len, (const uint8_t *)"", 0));
	assert_false(pppoe_disc_has_service(f.payload, f.len, (const uint8_t *)"bronze", 6));
	assert_false(pppoe_disc_has_service(f.payload, f.len, (const uint8_t *)"gol", 3));
	assert_blob(&p.cookie, "cookie-bytes");
	assert_blob(&p.relay_sid, "relay");
	assert_blob(&p.host_uniq, "hu");
}

static void test_pado_needs_acname(void **state)
{
	(void)state;
	uint8_t buf[128];
	struct pppoe_disc d = {0};
	d.service = blob("x");
	assert_int_equal(pppoe_build_pado(buf, sizeof(buf), mac_b, mac_a, &d), 0);
}

static void test_padr_pads_padt_round_trip(void **state)
{
	(void)state;
	uint8_t buf[1514];
	struct pppoe_disc d = {0}, p;
	struct pppoe_frame f;

	d.service = blob("isp");
	d.cookie = blob("c");
	size_t n = pppoe_build_padr(buf, sizeof(buf), mac_b, mac_a, &d);
	parse_all(buf, n, &f, &p);
	assert_int_equal(f.code, PPPOE_PADR);
	assert_int_equal(f.sid, 0);
	assert_blob(&p.cookie, "c");

	memset(&d, 0, sizeof(d));
	d.host_uniq = blob("hu");
	n = pppoe_build_pads(buf, sizeof(buf), mac_a, mac_b, 0x1234, &d);
	parse_all(buf, n, &f, &p);
	assert_int_equal(f.code, PPPOE_PADS);
	assert_int_equal(f.sid, 0x1234);
	assert_int_equal(p.nservice, 1);
	assert_blob(&p.host_uniq, "hu");

	memset(&d, 0, sizeof(d));
	d.service_err = blob("no such service");
	d.ac_sys_err = blob("busy");
	n = pppoe_build_pads(buf, sizeof(buf), mac_a, mac_b, 0, &d);
	parse_all(buf, n, &f, &p);
	assert_int_equal(f.sid, 0);
	assert_blob(&p.service_err, "no such service");
	assert_blob(&p.ac_sys_err, "busy");

	memset(&d, 0, sizeof(d));
	d.generic_err = blob("admin reset");
	n = pppoe_build_padt(buf, sizeof(buf), mac_a, mac_b, 0x4321, &d);
	parse_all(buf, n, &f, &p);
	assert_int_equal(f.code, PPPOE_PADT);
	assert_int_equal(f.sid, 0x4321);
	assert_int_equal(p.nservice, 0);
	assert_blob(&p.generic_err, "admin reset");

	n = pppoe_build_padt(buf, sizeof(buf), mac_a, mac_b, 7, NULL);
	assert_int_equal(n, 20);
	parse_all(buf, n, &f, &p);
	assert_int_equal(f.len, 0);
}

static void test_padm_tags(void **state)
{
	(void)state;
	uint8_t buf[512];
	struct pppoe_disc d = {0}, p;
	struct pppoe_frame f;
	d.hurl = blob("http://isp.example/");
	d.motm = blob("maintenance tonight");
	size_t n = pppoe_disc_build(buf, sizeof(buf), mac_a, mac_b, PPPOE_PADM, 9, &d);
	parse_all(buf, n, &f, &p);
	assert_int_equal(f.code, PPPOE_PADM);
	assert_blob(&p.hurl, "http://isp.example/");
	assert_blob(&p.motm, "maintenance tonight");
}

static void test_vendor_round_trip(void **state)
{
	(void)state;
	uint8_t buf[512];
	struct pppoe_disc d = {0}, p;
	struct pppoe_frame f;
	d.circuit_id = blob("dslam1 atm 1/1/1/5:8.35");
	d.remote_id = blob("customer-42");
	size_t n = pppoe_build_padi(buf, sizeof(buf), mac_a, &d);
	parse_all(buf, n, &f, &p);
	assert_blob(&p.circuit_id, "dslam1 atm 1/1/1/5:8.35");
	assert_blob(&p.remote_id, "customer-42");
}

/* Hand-made TR-101 tag: vendor 3561, Agent-Circuit-Id "ab", Agent-Remote-Id "xyz", a rate sub-option. */
static const uint8_t dslf_tag[] = {
	0x01, 0x05, 0x00, 0x13,
	0x00, 0x00, 0x0d, 0xe9,
	0x01, 0x02, 'a', 'b',
	0x02, 0x03, 'x', 'y', 'z',
	0x81, 0x04, 0x00, 0x00, 0x10, 0x00,
};

static void test_vendor_extract(void **state)
{
	(void)state;
	struct pppoe_disc p;
	const char *why;

	assert_int_equal(pppoe_disc_parse(dslf_tag, sizeof(dslf_tag), &p, &why), 0);
	assert_blob(&p.circuit_id, "ab");
	assert_blob(&p.remote_id, "xyz");

	/* Another vendor's tag: parsed, no ids. */
	uint8_t other[sizeof(dslf_tag)];
	memcpy(other, dslf_tag, sizeof(other));
	other[7] = 0xea;
	assert_int_equal(pppoe_disc_parse(other, sizeof(other), &p, &why), 0);
	assert_false(p.circuit_id.set);
	assert_false(p.remote_id.set);

	/* A sub-option running past its tag: the packet stays valid, the ids are not trusted. */
	uint8_t bad[sizeof(dslf_tag)];
	memcpy(bad, dslf_tag, sizeof(bad));
	bad[18] = 0x40;
	assert_int_equal(pppoe_disc_parse(bad, sizeof(bad), &p, &why), 0);
	assert_false(p.circuit_id.set);
	struct pppoe_blob cid = {0}, rid = {0};
	assert_int_equal(pppoe_vendor_parse(bad + 4, sizeof(bad) - 4, &cid, &rid), -1);
	assert_int_equal(pppoe_vendor_parse(dslf_tag + 4, 3, &cid, &rid), -1);
}

static size_t padi_frame(uint8_t *buf, size_t cap)
{
	struct pppoe_disc d = {0};
	d.service = blob("svc");
	d.host_uniq = blob("12345678");
	return pppoe_build_padi(buf, cap, mac_a, &d);
}

static void test_malformed_headers(void **state)
{
	(void)state;
	uint8_t buf[128];
	struct pppoe_frame f;
	const char *why;
	size_t n = padi_frame(buf, sizeof(buf));

	/* Truncated header: every length below 20 bytes. */
	for (size_t i = 0; i < 20; i++)
		assert_int_equal(pppoe_frame_parse(buf, i, &f, &why), -1);
	/* Length field beyond the frame. */
	assert_int_equal(pppoe_frame_parse(buf, n - 1, &f, &why), -1);
	assert_string_equal(why, "length beyond frame");
	/* Bad version/type. */
	buf[14] = 0x21;
	assert_int_equal(pppoe_frame_parse(buf, n, &f, &why), -1);
	buf[14] = 0x11;
	/* Discovery with code 0, session with code != 0, other ethertypes. */
	buf[15] = 0;
	assert_int_equal(pppoe_frame_parse(buf, n, &f, &why), -1);
	buf[13] = 0x64;
	assert_int_equal(pppoe_frame_parse(buf, n, &f, &why), 0);
	buf[15] = PPPOE_PADI;
	assert_int_equal(pppoe_frame_parse(buf, n, &f, &why), -1);
	buf[12] = 0x08;
	buf[13] = 0x00;
	assert_int_equal(pppoe_frame_parse(buf, n, &f, &why), -1);
}

static void test_padding_ignored(void **state)
{
	(void)state;
	uint8_t buf[60];
	struct pppoe_frame f;
	struct pppoe_disc p;
	const char *why;

	memset(buf, 0xee, sizeof(buf));
	size_t n = padi_frame(buf, sizeof(buf));
	assert_true(n < 60);
	/* The frame arrives padded to 60 bytes: the PPPoE length decides. */
	assert_int_equal(pppoe_frame_parse(buf, 60, &f, &why), 0);
	assert_int_equal(f.len, n - 20);
	assert_int_equal(pppoe_disc_parse(f.payload, f.len, &p, &why), 0);
	assert_blob(&p.service, "svc");
}

static void test_malformed_tags(void **state)
{
	(void)state;
	struct pppoe_disc p;
	const char *why;
	/* Service-Name claiming 5 bytes with 3 present. */
	static const uint8_t over[] = {0x01, 0x01, 0x00, 0x05, 'a', 'b', 'c'};
	assert_int_equal(pppoe_disc_parse(over, sizeof(over), &p, &why), -1);
	assert_string_equal(why, "tag length beyond packet");
	/* A tag header cut short. */
	static const uint8_t cut[] = {0x01, 0x01, 0x00, 0x00, 0x01, 0x02, 0x00};
	assert_int_equal(pppoe_disc_parse(cut, sizeof(cut), &p, &why), -1);
	/* PPP-Max-Payload must be two bytes. */
	static const uint8_t mp[] = {0x01, 0x20, 0x00, 0x01, 0x05};
	assert_int_equal(pppoe_disc_parse(mp, sizeof(mp), &p, &why), -1);
	/* Zero-length tags and unknown tags are fine; End-Of-List stops the walk. */
	static const uint8_t ok[] = {
		0x01, 0x01, 0x00, 0x00,             /* empty Service-Name */
		0x01, 0x03, 0x00, 0x00,             /* empty Host-Uniq */
		0x7f, 0x7f, 0x00, 0x01, 0x00,       /* unknown */
		0x00, 0x00, 0x00, 0x00,             /* End-Of-List */
		0x01, 0x02, 0x00, 0x09, 'x',        /* garbage after EOL */
	};
	assert_int_equal(pppoe_disc_parse(ok, sizeof(ok), &p, &why), 0);
	assert_true(p.service.set);
	assert_int_equal(p.service.len, 0);
	assert_true(p.host_uniq.set);
	assert_int_equal(p.host_uniq.len, 0);
	assert_false(p.acname.set);
	/* Duplicate tags: the first counts. */
	static const uint8_t dup[] = {0x01, 0x02, 0x00, 0x01, 'A', 0x01, 0x02, 0x00, 0x01, 'B'};
	assert_int_equal(pppoe_disc_parse(dup, sizeof(dup), &p, &why), 0);
	assert_blob(&p.acname, "A");
}

static void test_unknown_code(void **state)
{
	(void)state;
	uint8_t buf[64];
	struct pppoe_frame f;
	const char *why;
	char name[16];
	size_t n = pppoe_disc_build(buf, sizeof(buf), mac_a, mac_b, 0x42, 0, NULL);

	assert_int_equal(pppoe_frame_parse(buf, n, &f, &why), 0);
	assert_int_equal(f.code, 0x42);
	assert_string_equal(pppoe_code_name(f.code, name, sizeof(name)), "code 0x42");
	assert_string_equal(pppoe_code_name(PPPOE_PADS, name, sizeof(name)), "PADS");
}

static void test_build_limits(void **state)
{
	(void)state;
	static uint8_t big[1600], buf[2000];
	struct pppoe_disc d = {0};

	/* Buffer too small. */
	d.service = blob("svc");
	assert_int_equal(pppoe_build_padi(buf, 25, mac_a, &d), 0);
	/* A discovery payload over 1500 bytes is refused even when the buffer is large. */
	d.cookie = (struct pppoe_blob){.p = big, .len = 1490, .set = true};
	assert_int_equal(pppoe_build_pado(buf, sizeof(buf), mac_b, mac_a, &(struct pppoe_disc){
		.acname = blob("a"), .cookie = d.cookie}), 0);
	d.cookie.len = 1400;
	assert_true(pppoe_build_padr(buf, sizeof(buf), mac_b, mac_a, &d) > 0);
}

static void test_session_header(void **state)
{
	(void)state;
	uint8_t buf[64];
	struct pppoe_frame f;
	const char *why;

	memset(buf, 0, sizeof(buf));
	buf[20] = 0xc0;
	buf[21] = 0x21;
	pppoe_session_hdr(buf, mac_b, mac_a, 0xbeef, 10);
	/* 20 + 10 bytes, padded to 60 as on the wire */
	assert_int_equal(pppoe_frame_parse(buf, 60, &f, &why), 0);
	assert_int_equal(f.ethertype, PPPOE_ETHERTYPE_SESS);
	assert_int_equal(f.code, 0);
	assert_int_equal(f.sid, 0xbeef);
	assert_int_equal(f.len, 10);
	assert_memory_equal(f.dst, mac_b, 6);
	assert_memory_equal(f.src, mac_a, 6);
	assert_int_equal(f.payload[0], 0xc0);
	assert_int_equal(f.payload[1], 0x21);
	/* Payload length beyond the frame. */
	assert_int_equal(pppoe_frame_parse(buf, 29, &f, &why), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_padi_round_trip),
		cmocka_unit_test(test_padi_always_has_service),
		cmocka_unit_test(test_pado_round_trip),
		cmocka_unit_test(test_pado_needs_acname),
		cmocka_unit_test(test_padr_pads_padt_round_trip),
		cmocka_unit_test(test_padm_tags),
		cmocka_unit_test(test_vendor_round_trip),
		cmocka_unit_test(test_vendor_extract),
		cmocka_unit_test(test_malformed_headers),
		cmocka_unit_test(test_padding_ignored),
		cmocka_unit_test(test_malformed_tags),
		cmocka_unit_test(test_unknown_code),
		cmocka_unit_test(test_build_limits),
		cmocka_unit_test(test_session_header),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
