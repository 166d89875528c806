/* aaa/auth_radius_ms: MS-CHAP v1/v2 through RADIUS (RFC 2548 §2.3/§2.4) — the request attributes
 * built from the peer's Response, and Accept/Reject replies built here with the codec (MS-CHAP2-Success
 * with and without its Ident, salt-encrypted MPPE keys, MS-CHAP-MPPE-Keys, MS-CHAP-Error). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "aaa/auth_radius_ms.h"
#include "ppp/mschap.h"

static const char secret[] = "testing123";
static const char authresp[] = "S=0123456789ABCDEF0123456789ABCDEF01234567";

struct fixture {
	struct auth_request q;
	uint8_t req[RAD_MAX_PKT];
	int req_len;
};

static void make_request(struct fixture *f, enum auth_method m)
{
	memset(f, 0, sizeof(*f));
	f->q.method = m;
	f->q.id = 0x42;
	f->q.challenge_len = m == AUTH_MSCHAP_V2 ? 16 : 8;
	for (size_t i = 0; i < f->q.challenge_len; i++)
		f->q.challenge[i] = (uint8_t)(0xa0 + i);
	f->q.response_len = MSCHAP_RESP_LEN;
	for (size_t i = 0; i < MSCHAP_RESP_LEN; i++)
		f->q.response[i] = (uint8_t)i;
	f->q.response[48] = m == AUTH_MSCHAP_V1 ? 1 : 0;
	struct rad_builder b;
	assert_int_equal(rad_begin(&b, f->req, sizeof(f->req), RAD_ACCESS_REQUEST, 7), 0);
	assert_int_equal(rad_add_message_authenticator(&b), 0);
	assert_int_equal(auth_radius_ms_request(&b, &f->q), 0);
	f->req_len = rad_finish(&b, secret, strlen(secret));
	assert_true(f->req_len > 0);
}

static void result_unset(struct auth_result *r)
{
	memset(r, 0, sizeof(*r));
	r->session_timeout = r->idle_timeout = r->mtu = AUTH_UNSET_U32;
	r->ms_error = MSCHAP_E_AUTH_FAILURE;
}

static void test_request_v2(void **state)
{
	(void)state;
	struct fixture f;
	make_request(&f, AUTH_MSCHAP_V2);
	struct rad_pkt p;
	struct rad_attr a;
	assert_int_equal(rad_parse(&p, f.req, (size_t)f.req_len), 0);
	assert_true(rad_find(&p, RAD_VENDOR_SPECIFIC, RAD_VENDOR_MICROSOFT, RAD_MS_CHAP_CHALLENGE, &a));
	assert_int_equal(a.len, 16);
	assert_memory_equal(a.data, f.q.challenge, 16);
	assert_true(rad_find(&p, RAD_VENDOR_SPECIFIC, RAD_VENDOR_MICROSOFT, RAD_MS_CHAP2_RESPONSE, &a));
	assert_int_equal(a.len, 50);
	assert_int_equal(a.data[0], 0x42);                 /* Ident = the CHAP identifier */
	assert_int_equal(a.data[1], 0);                    /* Flags */
	assert_memory_equal(a.data + 2, f.q.response, 48); /* Peer-Challenge, Reserved, NT-Response */
	assert_false(rad_find(&p, RAD_VENDOR_SPECIFIC, RAD_VENDOR_MICROSOFT, RAD_MS_CHAP_RESPONSE, &a));
}

static void test_request_v1_and_bad_sizes(void **state)
{
	(void)state;
	struct fixture f;
	make_request(&f, AUTH_MSCHAP_V1);
	struct rad_pkt p;
	struct rad_attr a;
	assert_int_equal(rad_parse(&p, f.req, (size_t)f.req_len), 0);
	assert_true(rad_find(&p, RAD_VENDOR_SPECIFIC, RAD_VENDOR_MICROSOFT, RAD_MS_CHAP_CHALLENGE, &a));
	assert_int_equal(a.len, 8);
	assert_true(rad_find(&p, RAD_VENDOR_SPECIFIC, RAD_VENDOR_MICROSOFT, RAD_MS_CHAP_RESPONSE, &a));
	assert_int_equal(a.len, 50);
	assert_int_equal(a.data[1], 1);                    /* use the NT-Response */
	assert_memory_equal(a.data + 2, f.q.response, 48); /* LM-Response, NT-Response */

	uint8_t buf[RAD_MAX_PKT];
	struct rad_builder b;
	assert_int_equal(rad_begin(&b, buf, sizeof(buf), RAD_ACCESS_REQUEST, 1), 0);
	f.q.challenge_len = 16; /* a v1 exchange has an 8-byte challenge */
	assert_int_equal(auth_radius_ms_request(&b, &f.q), -1);
	f.q.method = AUTH_PAP;
	assert_int_equal(auth_radius_ms_request(&b, &f.q), -1);
	assert_true(auth_radius_ms_method(AUTH_MSCHAP_V1) && auth_radius_ms_method(AUTH_MSCHAP_V2));
	assert_false(auth_radius_ms_method(AUTH_CHAP_MD5));
}

/* A reply to f's request; add() puts the attributes in. Returns its length in out. */
static int reply(const struct fixture *f, uint8_t code, void (*add)(struct rad_builder *, const uint8_t *),
		 uint8_t *out, size_t cap)
{
	struct rad_builder b;
	assert_int_equal(rad_begin_reply(&b, out, cap, code, f->req), 0);
	assert_int_equal(rad_add_message_authenticator(&b), 0);
	add(&b, f->req + 4);
	int n = rad_finish(&b, secret, strlen(secret));
	assert_true(n > 0);
	return n;
}

static const uint8_t send_key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
static const uint8_t recv_key[16] = {0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
				     0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff};

static void add_keys(struct rad_builder *b, const uint8_t *req_auth)
{
	uint8_t v[64];
	int n = rad_mppe_key_encrypt(send_key, 16, 0x8123, secret, strlen(secret), req_auth, v, sizeof(v));
	assert_true(n > 0);
	assert_int_equal(rad_add_vsa(b, RAD_VENDOR_MICROSOFT, RAD_MS_MPPE_SEND_KEY, v, (size_t)n), 0);
	n = rad_mppe_key_encrypt(recv_key, 16, 0x8456, secret, strlen(secret), req_auth, v, sizeof(v));
	assert_int_equal(rad_add_vsa(b, RAD_VENDOR_MICROSOFT, RAD_MS_MPPE_RECV_KEY, v, (size_t)n), 0);
}

static void add_v2_success_ident(struct rad_builder *b, const uint8_t *req_auth)
{
	uint8_t v[43];
	v[0] = 0x42;
	memcpy(v + 1, authresp, 42);
	assert_int_equal(rad_add_vsa(b, RAD_VENDOR_MICROSOFT, RAD_MS_CHAP2_SUCCESS, v, sizeof(v)), 0);
	add_keys(b, req_auth);
	assert_int_equal(rad_add_vsa_string(b, RAD_VENDOR_MICROSOFT, RAD_MS_CHAP_DOMAIN, "\x01WORKGROUP"), 0);
}

static void add_v2_success_bare(struct rad_builder *b, const uint8_t *req_auth)
{
	(void)req_auth;
	assert_int_equal(rad_add_vsa(b, RAD_VENDOR_MICROSOFT, RAD_MS_CHAP2_SUCCESS, authresp, 42), 0);
	assert_int_equal(rad_add_vsa_u32(b, RAD_VENDOR_MICROSOFT, RAD_MS_MPPE_ENCRYPTION_POLICY, 2), 0);
}

static void add_nothing(struct rad_builder *b, const uint8_t *req_auth)
{
	(void)b;
	(void)req_auth;
}

static void add_error(struct rad_builder *b, const uint8_t *req_auth)
{
	(void)req_auth;
	const char e[] = "\x42" "E=691 R=1 C=00112233445566778899AABBCCDDEEFF V=3 M=bad password";
	assert_int_equal(rad_add_vsa(b, RAD_VENDOR_MICROSOFT, RAD_MS_CHAP_ERROR, e, sizeof(e) - 1), 0);
}

static void judge(const struct fixture *f, const uint8_t *pkt, int n, struct auth_result *r, int want)
{
	struct rad_pkt p;
	assert_int_equal(rad_parse(&p, pkt, (size_t)n), 0);
	struct rad_response resp = {.outcome = RAD_ANSWERED, .code = p.code, .pkt = &p, .req_auth = f->req + 4,
				    .secret = secret, .server = "127.0.0.1:1812"};
	result_unset(r);
	assert_int_equal(auth_radius_ms_reply(&resp, &f->q, r, "test"), want);
}

static void test_v2_accept(void **state)
{
	(void)state;
	struct fixture f;
	struct auth_result r;
	uint8_t buf[RAD_MAX_PKT];
	make_request(&f, AUTH_MSCHAP_V2);
	judge(&f, buf, reply(&f, RAD_ACCESS_ACCEPT, add_v2_success_ident, buf, sizeof(buf)), &r, 0);
	assert_string_equal(r.authresp, authresp);   /* the Ident byte stripped */
	assert_true(r.keys_set);
	assert_int_equal(r.keys.src, MSCHAP_KEYS_V2);
	assert_memory_equal(r.keys.send, send_key, 16);
	assert_memory_equal(r.keys.recv, recv_key, 16);
	assert_int_equal(r.mppe_policy, 1);         /* keys without a policy: allowed, every length */
	assert_int_equal(r.mppe_types, 0xe);
	assert_string_equal(r.mschap_domain, "WORKGROUP");

	/* a server that leaves the Ident out is tolerated; a policy without keys stays as sent */
	judge(&f, buf, reply(&f, RAD_ACCESS_ACCEPT, add_v2_success_bare, buf, sizeof(buf)), &r, 0);
	assert_string_equal(r.authresp, authresp);
	assert_false(r.keys_set);
	assert_int_equal(r.mppe_policy, 2);

	/* an MS-CHAPv2 Accept without MS-CHAP2-Success can't be honoured */
	judge(&f, buf, reply(&f, RAD_ACCESS_ACCEPT, add_nothing, buf, sizeof(buf)), &r, -1);
}

static void test_keys_with_wrong_secret(void **state)
{
	(void)state;
	struct fixture f;
	struct auth_result r;
	uint8_t buf[RAD_MAX_PKT];
	make_request(&f, AUTH_MSCHAP_V2);
	int n = reply(&f, RAD_ACCESS_ACCEPT, add_v2_success_ident, buf, sizeof(buf));
	struct rad_pkt p;
	assert_int_equal(rad_parse(&p, buf, (size_t)n), 0);
	struct rad_response resp = {.outcome = RAD_ANSWERED, .code = p.code, .pkt = &p, .req_auth = f.req + 4,
				    .secret = "other", .server = "x"};
	result_unset(&r);
	assert_int_equal(auth_radius_ms_reply(&resp, &f.q, &r, "test"), 0);
	/* decryption with another secret yields garbage or fails; never keys claimed from it by accident
	 * with the right values */
	assert_false(r.keys_set && memcmp(r.keys.send, send_key, 16) == 0);
}

static void test_reject_error(void **state)
{
	(void)state;
	struct fixture f;
	struct auth_result r;
	uint8_t buf[RAD_MAX_PKT];
	make_request(&f, AUTH_MSCHAP_V2);
	judge(&f, buf, reply(&f, RAD_ACCESS_REJECT, add_error, buf, sizeof(buf)), &r, 0);
	assert_int_equal(r.ms_error, 691);
	assert_string_equal(r.msg, "bad password");
	assert_true(strncmp(r.mschap_error, "E=691 R=1 C=", 12) == 0);
	/* a Reject without MS-CHAP-Error leaves the defaults */
	judge(&f, buf, reply(&f, RAD_ACCESS_REJECT, add_nothing, buf, sizeof(buf)), &r, 0);
	assert_int_equal(r.ms_error, 691);
	assert_string_equal(r.mschap_error, "");
}

static const uint8_t lm_key[8] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
static const uint8_t nt_hh[16] = {0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};

static void add_v1_keys(struct rad_builder *b, const uint8_t *req_auth)
{
	uint8_t plain[32] = {0}, hidden[64];
	memcpy(plain, lm_key, 8);
	memcpy(plain + 8, nt_hh, 16);
	int n = rad_password_hide(plain, sizeof(plain), secret, strlen(secret), req_auth, hidden, sizeof(hidden));
	assert_int_equal(n, 32);
	assert_int_equal(rad_add_vsa(b, RAD_VENDOR_MICROSOFT, RAD_MS_CHAP_MPPE_KEYS, hidden, 32), 0);
}

static void test_v1_accept(void **state)
{
	(void)state;
	struct fixture f;
	struct auth_result r;
	uint8_t buf[RAD_MAX_PKT], want[16];
	make_request(&f, AUTH_MSCHAP_V1);
	judge(&f, buf, reply(&f, RAD_ACCESS_ACCEPT, add_v1_keys, buf, sizeof(buf)), &r, 0);
	assert_true(r.keys_set);
	assert_int_equal(r.keys.src, MSCHAP_KEYS_V1);
	mppe_v1_start_key(nt_hh, f.q.challenge, want); /* RFC 3079 §2.4 from the NT hash's hash */
	assert_memory_equal(r.keys.send, want, 16);
	assert_memory_equal(r.keys.recv, want, 16);
	assert_true(r.keys.have_key8);
	assert_memory_equal(r.keys.key8, lm_key, 8);
	/* v1 needs no MS-CHAP2-Success: an Accept without keys is still an Accept */
	judge(&f, buf, reply(&f, RAD_ACCESS_ACCEPT, add_nothing, buf, sizeof(buf)), &r, 0);
	assert_false(r.keys_set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_v2),  cmocka_unit_test(test_request_v1_and_bad_sizes),
		cmocka_unit_test(test_v2_accept),   cmocka_unit_test(test_keys_with_wrong_secret),
		cmocka_unit_test(test_reject_error), cmocka_unit_test(test_v1_accept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
