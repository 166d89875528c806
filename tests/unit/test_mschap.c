/*
 * MS-CHAP v1/v2 and MPPE keys: the RFC vectors byte for byte, the CHAP
 * engine in both roles with algorithms 0x80 and 0x81, and malformed input.
 *
 * Where the bytes come from: RFC 2759 §9.2, RFC 2433 Appendix B.2 and
 * RFC 3079 §2.5 and §3.5 print these values; each was recomputed
 * independently before being written here with /usr/bin/python3 and
 * pycryptodome (Debian python3-pycryptodome: Cryptodome.Hash.MD4,
 * Cryptodome.Cipher.DES in ECB mode with the 7-to-8-byte key spread) and
 * hashlib.sha1, following the RFC pseudo-code, not our C code.
 * RFC 3079 §2.5.3 prints "...AC CA D1..." in its step 3 but
 * "...AC C1 D1..." where step 4 reuses the value; the computation gives
 * AC C1 D1, which is what we test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ppp_harness.h"
#include "ppp/chap.h"
#include "ppp/mschap.h"
#include "ppp/proto.h"

/* RFC 2759 §9.2 */
static const uint8_t auth_chal[16] = {0x5B, 0x5D, 0x7C, 0x7D, 0x7B, 0x3F, 0x2F, 0x3E,
				      0x3C, 0x2C, 0x60, 0x21, 0x32, 0x26, 0x26, 0x28};
static const uint8_t peer_chal[16] = {0x21, 0x40, 0x23, 0x24, 0x25, 0x5E, 0x26, 0x2A,
				      0x28, 0x29, 0x5F, 0x2B, 0x3A, 0x33, 0x7C, 0x7E};
static const uint8_t v2_chal[8] = {0xD0, 0x2E, 0x43, 0x86, 0xBC, 0xE9, 0x12, 0x26};
static const uint8_t pw_hash[16] = {0x44, 0xEB, 0xBA, 0x8D, 0x53, 0x12, 0xB8, 0xD6,
				    0x11, 0x47, 0x44, 0x11, 0xF5, 0x69, 0x89, 0xAE};
static const uint8_t nt_resp[24] = {0x82, 0x30, 0x9E, 0xCD, 0x8D, 0x70, 0x8B, 0x5E, 0xA0, 0x8F, 0xAA, 0x39,
				    0x81, 0xCD, 0x83, 0x54, 0x42, 0x33, 0x11, 0x4A, 0x3D, 0x85, 0xD6, 0xDF};
static const uint8_t pw_hash_hash[16] = {0x41, 0xC0, 0x0C, 0x58, 0x4B, 0xD2, 0xD9, 0x1C,
					 0x40, 0x17, 0xA2, 0xA1, 0x2F, 0xA5, 0x9F, 0x3F};
/* RFC 3079 §3.5 */
static const uint8_t master_key[16] = {0xFD, 0xEC, 0xE3, 0x71, 0x7A, 0x8C, 0x83, 0x8C,
				       0xB3, 0x88, 0xE5, 0x27, 0xAE, 0x3C, 0xDD, 0x31};
static const uint8_t send_start128[16] = {0x8B, 0x7C, 0xDC, 0x14, 0x9B, 0x99, 0x3A, 0x1B,
					  0xA1, 0x18, 0xCB, 0x15, 0x3F, 0x56, 0xDC, 0xCB};

static void test_rfc2759(void **state)
{
	(void)state;
	uint8_t h[16], hh[16], ch[8], nt[24];
	char ar[MSCHAP_AUTHRESP_LEN + 1];

	mschap_nt_hash("clientPass", 10, h);
	assert_memory_equal(h, pw_hash, 16);
	mschap2_challenge_hash(peer_chal, auth_chal, "User", ch);
	assert_memory_equal(ch, v2_chal, 8);
	mschap2_nt_response(auth_chal, peer_chal, "User", h, nt);
	assert_memory_equal(nt, nt_resp, 24);
	mschap_hash_hash(h, hh);
	assert_memory_equal(hh, pw_hash_hash, 16);
	mschap2_auth_response(h, nt, peer_chal, auth_chal, "User", ar);
	assert_string_equal(ar, "S=407A5589115FD0D6209F510FE9C04566932CDA56");
	/* The domain never enters the hash (RFC 2759 §8.2). */
	mschap2_nt_response(auth_chal, peer_chal, "CORP\\User", h, nt);
	assert_memory_equal(nt, nt_resp, 24);
	assert_string_equal(mschap_strip_domain("A\\B\\c"), "c");
}

static void test_rfc2433(void **state)
{
	(void)state;
	/* RFC 2433 B.2: password "MyPw", challenge 10 2D B5 DF 08 5D 30 41 */
	static const uint8_t chal[8] = {0x10, 0x2D, 0xB5, 0xDF, 0x08, 0x5D, 0x30, 0x41};
	static const uint8_t hash[16] = {0xFC, 0x15, 0x6A, 0xF7, 0xED, 0xCD, 0x6C, 0x0E,
					 0xDD, 0xE3, 0x33, 0x7D, 0x42, 0x7F, 0x4E, 0xAC};
	static const uint8_t want[24] = {0x4E, 0x9D, 0x3C, 0x8F, 0x9C, 0xFD, 0x38, 0x5D, 0x5B, 0xF4, 0xD3, 0x24,
					 0x67, 0x91, 0x95, 0x6C, 0xA4, 0xC3, 0x51, 0xAB, 0x40, 0x9A, 0x3D, 0x61};
	uint8_t h[16], r[24];

	mschap_nt_hash("MyPw", 4, h);
	assert_memory_equal(h, hash, 16);
	mschap_challenge_response(chal, h, r);
	assert_memory_equal(r, want, 24);
}

static void test_rfc3079_v2(void **state)
{
	(void)state;
	uint8_t mk[16], k[16], s[16];

	mppe_master_key(pw_hash_hash, nt_resp, mk);
	assert_memory_equal(mk, master_key, 16);
	/* §3.5.3: the printed send key is the server's (magic 3) */
	mppe_asym_start_key(mk, k, 16, true, true);
	assert_memory_equal(k, send_start128, 16);
	static const uint8_t s128[16] = {0x40, 0x5C, 0xB2, 0x24, 0x7A, 0x79, 0x56, 0xE6,
					 0xE2, 0x11, 0x00, 0x7A, 0xE2, 0x7B, 0x22, 0xD4};
	mppe_new_key(k, k, 16, s);
	assert_memory_equal(s, s128, 16);
	/* §3.5.1 (40-bit) and §3.5.2 (56-bit): 8-byte start key, salted session key */
	mppe_asym_start_key(mk, k, 8, true, true);
	assert_memory_equal(k, send_start128, 8);
	mppe_new_key(k, k, 8, s);
	static const uint8_t s40[8] = {0xD1, 0x26, 0x9E, 0xC4, 0x9F, 0xA6, 0x2E, 0x3E};
	static const uint8_t s56[8] = {0xD1, 0x5C, 0x00, 0xC4, 0x9F, 0xA6, 0x2E, 0x3E};
	uint8_t t[8];
	memcpy(t, s, 8);
	t[0] = 0xD1, t[1] = 0x26, t[2] = 0x9E;
	assert_memory_equal(t, s40, 8);
	memcpy(t, s, 8);
	t[0] = 0xD1;
	assert_memory_equal(t, s56, 8);

	/* The two ends agree: the server's send key is the client's receive key. */
	struct mschap_keys ks, kc;
	mschap2_keys(pw_hash, nt_resp, true, &ks);
	mschap2_keys(pw_hash, nt_resp, false, &kc);
	assert_int_equal(ks.src, MSCHAP_KEYS_V2);
	assert_memory_equal(ks.send, send_start128, 16);
	assert_memory_equal(kc.recv, send_start128, 16);
	assert_memory_equal(ks.recv, kc.send, 16);
	assert_memory_not_equal(ks.send, ks.recv, 16);
}

static void test_rfc3079_v1(void **state)
{
	(void)state;
	/* RFC 3079 §2.5: password "clientPass", challenge 10 2D B5 DF 08 5D 30 41 */
	static const uint8_t chal[8] = {0x10, 0x2D, 0xB5, 0xDF, 0x08, 0x5D, 0x30, 0x41};
	static const uint8_t lm[16] = {0x76, 0xA1, 0x52, 0x93, 0x60, 0x96, 0xD7, 0x83,
				       0x0E, 0x23, 0x90, 0x22, 0x74, 0x04, 0xAF, 0xD2};
	static const uint8_t key40[8] = {0xD8, 0x08, 0x01, 0x53, 0x8C, 0xEC, 0x4A, 0x08};
	static const uint8_t start128[16] = {0xA8, 0x94, 0x78, 0x50, 0xCF, 0xC0, 0xAC, 0xC1,
					     0xD1, 0x78, 0x9F, 0xB6, 0x2D, 0xDC, 0xDD, 0xB0};
	static const uint8_t sess128[16] = {0x59, 0xD1, 0x59, 0xBC, 0x09, 0xF7, 0x6F, 0x1D,
					    0xA2, 0xA8, 0x6A, 0x28, 0xFF, 0xEC, 0x0B, 0x1E};
	uint8_t h[16], hh[16], k[16];
	struct mschap_keys keys;

	assert_int_equal(mschap_lm_hash("clientPass", 10, h), 0);
	assert_memory_equal(h, lm, 16);
	assert_int_equal(mschap_lm_hash("fifteen chars!!", 15, h), -1);
	mppe_new_key(lm, lm, 8, k);
	assert_memory_equal(k, key40, 8);
	mschap_nt_hash("clientPass", 10, h);
	mschap_hash_hash(h, hh);
	mppe_v1_start_key(hh, chal, k);
	assert_memory_equal(k, start128, 16);
	mppe_new_key(start128, start128, 16, k);
	assert_memory_equal(k, sess128, 16);
	mschap1_keys("clientPass", 10, h, chal, &keys);
	assert_int_equal(keys.src, MSCHAP_KEYS_V1);
	assert_memory_equal(keys.send, start128, 16);
	assert_memory_equal(keys.recv, start128, 16);
	assert_true(keys.have_key8);
	assert_memory_equal(keys.key8, lm, 8);
}

static void test_nt_hash_unicode(void **state)
{
	(void)state;
	uint8_t a[16], b[16];

	/* "é" as UTF-8 and as a Latin-1 byte both mean U+00E9 */
	mschap_nt_hash("\xc3\xa9", 2, a);
	mschap_nt_hash("\xe9", 1, b);
	assert_memory_equal(a, b, 16);
	mschap_nt_hash("e", 1, b);
	assert_memory_not_equal(a, b, 16);
}

static void test_messages(void **state)
{
	(void)state;
	struct mschap_failure f;
	char ar[41], msg[64], out[128];
	const char *fail = "E=691 R=1 C=00112233445566778899AABBCCDDEEFF V=3 M=Access denied";

	assert_int_equal(mschap_parse_failure((const uint8_t *)fail, strlen(fail), &f), 0);
	assert_int_equal(f.error, 691);
	assert_true(f.retry);
	assert_int_equal(f.chal_len, 16);
	assert_int_equal(f.chal[15], 0xff);
	assert_int_equal(f.version, 3);
	assert_string_equal(f.msg, "Access denied");
	const char *v1 = "E=648 R=0 V=2";
	assert_int_equal(mschap_parse_failure((const uint8_t *)v1, strlen(v1), &f), 0);
	assert_int_equal(f.error, 648);
	assert_false(f.retry);
	assert_int_equal(f.chal_len, 0);
	/* no E=, a non-number, a huge number, a key inside another word: rejected */
	static const char *const bad[] = {"", "R=1", "E=", "E=69x", "E=99999999999", "XE=691", "E= 691"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(mschap_parse_failure((const uint8_t *)bad[i], strlen(bad[i]), &f), -1);

	const char *ok = "S=407a5589115fd0d6209f510fe9c04566932cda56 M=Welcome home";
	assert_int_equal(mschap2_parse_success((const uint8_t *)ok, strlen(ok), ar, msg, sizeof(msg)), 0);
	assert_string_equal(ar, "407A5589115FD0D6209F510FE9C04566932CDA56");
	assert_string_equal(msg, "Welcome home");
	static const char *const badok[] = {"", "S=", "S=407A", "M=hi",
					    "S=407A5589115FD0D6209F510FE9C04566932CDA5G",
					    "S=407A5589115FD0D6209F510FE9C04566932CDA561"};
	for (size_t i = 0; i < sizeof(badok) / sizeof(badok[0]); i++)
		assert_int_equal(mschap2_parse_success((const uint8_t *)badok[i], strlen(badok[i]), ar, msg,
						       sizeof(msg)), -1);

	uint8_t c[16] = {0xab};
	assert_int_equal(mschap_format_failure(out, sizeof(out), 691, c, 16, "no"), 0);
	assert_string_equal(out, "E=691 R=0 C=AB000000000000000000000000000000 V=0 M=no");
	assert_int_equal(mschap_format_failure(out, sizeof(out), 649, NULL, 0, NULL), 0);
	assert_string_equal(out, "E=649 R=0 V=0");
	assert_int_equal(mschap_format_failure(out, 8, 649, NULL, 0, NULL), -1);
}

/* ---- the engine ---- */

struct side {
	struct rec r;
	struct chap c;
	const char *password;		/* what the owner checks against */
	unsigned ms_error;		/* error the owner answers with on a bad password */
	int verifies, ndone;
	bool done_server, done_ok;
	char done_msg[300];
	struct mschap_keys skeys;	/* keys the owner derived as authenticator */
};

/* The owner's check, as aaa/auth.c does it, written against the RFC functions. */
static void verify(void *arg, struct chap *c, const struct chap_verify *v)
{
	struct side *s = arg;
	uint8_t h[16], nt[24];
	char ar[MSCHAP_AUTHRESP_LEN + 1];
	struct chap_verdict vd = {0};

	s->verifies++;
	mschap_nt_hash(s->password, strlen(s->password), h);
	if (v->alg == CHAP_ALG_MSV2) {
		mschap2_nt_response(v->challenge, v->response + MSCHAP_V2_PEER_OFF, v->name, h, nt);
		vd.ok = memcmp(nt, v->response + MSCHAP_V2_NT_OFF, 24) == 0;
		mschap2_auth_response(h, nt, v->response + MSCHAP_V2_PEER_OFF, v->challenge, v->name, ar);
		vd.authresp = ar;
		if (vd.ok)
			mschap2_keys(h, nt, true, &s->skeys);
	} else {
		mschap_challenge_response(v->challenge, h, nt);
		vd.ok = memcmp(nt, v->response + MSCHAP_V1_NT_OFF, 24) == 0;
		if (vd.ok)
			mschap1_keys(s->password, strlen(s->password), h, v->challenge, &s->skeys);
	}
	vd.ms_error = s->ms_error;
	chap_server_verdict(c, &vd);
}

static void done(void *arg, struct chap *c, bool server, bool ok, const char *msg)
{
	struct side *s = arg;

	(void)c;
	s->ndone++;
	s->done_server = server;
	s->done_ok = ok;
	snprintf(s->done_msg, sizeof(s->done_msg), "%s", msg);
}

static void in(void *eng, const uint8_t *p, size_t len)
{
	chap_input(eng, p, len);
}

static struct side *side_new(const char *pw, uint32_t seed)
{
	struct side *s = calloc(1, sizeof(*s));
	struct chap_owner o = {s, rec_send, rec_timer, rec_rand, verify, done};
	struct chap_conf c = {.name = "t", .timeout = 2};

	s->r.seed = seed;
	s->password = pw;
	chap_init(&s->c, &c, &o);
	return s;
}

static void run_ok(uint8_t alg)
{
	struct side *srv = side_new("s3cr3t pw", 1), *cli = side_new("unused", 2);

	assert_int_equal(chap_client_start_alg(&cli->c, "DOM\\alice", "s3cr3t pw", 9, alg), 0);
	chap_server_start_alg(&srv->c, "mpd", alg);
	const struct rec_pkt *ch = rec_last(&srv->r);
	assert_int_equal(ch->data[4], alg == CHAP_ALG_MSV1 ? 8 : 16);
	pump(&srv->r, &srv->c, in, &cli->r, &cli->c, in);
	assert_int_equal(srv->verifies, 1);
	assert_true(srv->done_server && srv->done_ok);
	assert_int_equal(cli->ndone, 1);
	assert_false(cli->done_server);
	assert_true(cli->done_ok);
	/* both ends hold the same MPPE keys, crossed */
	const struct mschap_keys *ck = chap_client_keys(&cli->c);
	assert_non_null(ck);
	assert_int_equal(ck->src, alg == CHAP_ALG_MSV1 ? MSCHAP_KEYS_V1 : MSCHAP_KEYS_V2);
	assert_memory_equal(ck->send, srv->skeys.recv, 16);
	assert_memory_equal(ck->recv, srv->skeys.send, 16);
	free(srv);
	free(cli);
}

static void test_engine_v1_ok(void **state)
{
	(void)state;
	run_ok(CHAP_ALG_MSV1);
}

static void test_engine_v2_ok(void **state)
{
	(void)state;
	run_ok(CHAP_ALG_MSV2);
	/* the Success carries S= and M= */
	struct side *srv = side_new("pw", 3), *cli = side_new("x", 4);
	chap_client_start_alg(&cli->c, "bob", "pw", 2, CHAP_ALG_MSV2);
	chap_server_start_alg(&srv->c, "mpd", CHAP_ALG_MSV2);
	pump(&srv->r, &srv->c, in, &cli->r, &cli->c, in);
	assert_memory_equal(srv->c.smsg, "S=", 2);
	assert_int_equal(strlen(srv->c.smsg), MSCHAP_AUTHRESP_LEN + strlen(" M=Welcome"));
	assert_string_equal(srv->c.smsg + MSCHAP_AUTHRESP_LEN, " M=Welcome");
	assert_true(cli->done_ok);
	assert_string_equal(cli->done_msg, "Welcome");
	free(srv);
	free(cli);
}

static void run_fail(uint8_t alg, unsigned err, unsigned want)
{
	struct side *srv = side_new("right", 5), *cli = side_new("x", 6);

	srv->ms_error = err;
	chap_client_start_alg(&cli->c, "bob", "wrong", 5, alg);
	chap_server_start_alg(&srv->c, "mpd", alg);
	pump(&srv->r, &srv->c, in, &cli->r, &cli->c, in);
	assert_false(srv->done_ok);
	assert_int_equal(srv->c.serror, want);
	assert_int_equal(cli->ndone, 1);
	assert_false(cli->done_ok);
	assert_int_equal(cli->c.cerror, want);
	char e[16];
	snprintf(e, sizeof(e), "E=%u", want);
	assert_non_null(strstr(cli->done_msg, e));
	assert_null(chap_client_keys(&cli->c));
	free(srv);
	free(cli);
}

static void test_engine_fail(void **state)
{
	(void)state;
	run_fail(CHAP_ALG_MSV2, 0, 691);
	run_fail(CHAP_ALG_MSV1, 0, 691);
	run_fail(CHAP_ALG_MSV2, MSCHAP_E_NO_DIALIN, 649);
	run_fail(CHAP_ALG_MSV1, MSCHAP_E_ACCT_DISABLED, 647);
	run_fail(CHAP_ALG_MSV2, MSCHAP_E_RESTRICTED_HOURS, 646);
}

/* A server that answers with a wrong authenticator response is refused by the peer. */
static void test_engine_bad_authresp(void **state)
{
	(void)state;
	struct side *cli = side_new("x", 7);
	uint8_t chal[4 + 1 + 16 + 3] = {CHAP_CHALLENGE, 9, 0, sizeof(chal), 16};
	memcpy(chal + 21, "srv", 3);
	chap_client_start_alg(&cli->c, "bob", "pw", 2, CHAP_ALG_MSV2);
	chap_input(&cli->c, chal, sizeof(chal));
	assert_int_equal(cli->r.npkts, 1);
	assert_int_equal(cli->r.pkts[0].data[4], 49);
	const char *s = "S=0000000000000000000000000000000000000000 M=hi";
	uint8_t succ[128] = {CHAP_SUCCESS, 9, 0, (uint8_t)(4 + strlen(s))};
	memcpy(succ + 4, s, strlen(s));
	chap_input(&cli->c, succ, 4 + strlen(s));
	assert_int_equal(cli->ndone, 1);
	assert_false(cli->done_ok);
	assert_string_equal(cli->done_msg, "MS-CHAPv2 authenticator response mismatch");
	assert_null(chap_client_keys(&cli->c));
	/* and a Success without S= at all */
	cli->ndone = 0;
	chap_client_start_alg(&cli->c, "bob", "pw", 2, CHAP_ALG_MSV2);
	chap_input(&cli->c, chal, sizeof(chal));
	uint8_t bare[] = {CHAP_SUCCESS, 9, 0, 6, 'o', 'k'};
	chap_input(&cli->c, bare, sizeof(bare));
	assert_false(cli->done_ok);
	free(cli);
}

static void test_engine_malformed(void **state)
{
	(void)state;
	for (int alg = CHAP_ALG_MSV1; alg <= CHAP_ALG_MSV2; alg++) {
		struct side *srv = side_new("pw", 8);
		chap_server_start_alg(&srv->c, "mpd", (uint8_t)alg);
		uint8_t id = srv->r.pkts[0].data[1];
		/* Value-Size 48 instead of 49 */
		uint8_t r48[4 + 1 + 48 + 1] = {CHAP_RESPONSE, id, 0, sizeof(r48), 48};
		r48[sizeof(r48) - 1] = 'u';
		chap_input(&srv->c, r48, sizeof(r48));
		assert_int_equal(srv->verifies, 0);
		assert_int_equal(srv->ndone, 1);
		assert_false(srv->done_ok);
		const struct rec_pkt *f = rec_last(&srv->r);
		assert_int_equal(f->data[0], CHAP_FAILURE);
		assert_memory_equal(f->data + 4, "E=691 R=0", 9);
		free(srv);
		/* Value-Size larger than the packet */
		srv = side_new("pw", 9);
		chap_server_start_alg(&srv->c, "mpd", (uint8_t)alg);
		id = srv->r.pkts[0].data[1];
		uint8_t over[] = {CHAP_RESPONSE, id, 0, 9, 49, 1, 2, 3, 4};
		chap_input(&srv->c, over, sizeof(over));
		assert_int_equal(srv->verifies, 0);
		assert_false(srv->done_ok);
		free(srv);
	}
	/* v1 with the use-NT flag clear (LM only): refused without asking the owner */
	struct side *srv = side_new("pw", 10);
	chap_server_start_alg(&srv->c, "mpd", CHAP_ALG_MSV1);
	uint8_t id = srv->r.pkts[0].data[1];
	uint8_t lm[4 + 1 + 49 + 1] = {CHAP_RESPONSE, id, 0, sizeof(lm), 49};
	lm[sizeof(lm) - 1] = 'u';
	chap_input(&srv->c, lm, sizeof(lm));
	assert_int_equal(srv->verifies, 0);
	assert_false(srv->done_ok);
	/* change-password after our Failure: answered with E=709, nothing else changes */
	uint8_t cpw[4 + 10] = {MSCHAPV2_CHANGE_PW, id, 0, sizeof(cpw)};
	rec_reset(&srv->r);
	chap_input(&srv->c, cpw, sizeof(cpw));
	assert_int_equal(srv->r.npkts, 1);
	assert_memory_equal(srv->r.pkts[0].data + 4, "E=709", 5);
	assert_int_equal(srv->ndone, 1);
	free(srv);

	/* Client: a v1 Challenge of 16 bytes and a v2 Challenge of 8 are dropped */
	struct side *cli = side_new("x", 11);
	chap_client_start_alg(&cli->c, "u", "p", 1, CHAP_ALG_MSV1);
	uint8_t c16[4 + 1 + 16] = {CHAP_CHALLENGE, 1, 0, sizeof(c16), 16};
	chap_input(&cli->c, c16, sizeof(c16));
	assert_int_equal(cli->r.sent, 0);
	chap_client_start_alg(&cli->c, "u", "p", 1, CHAP_ALG_MSV2);
	uint8_t c8[4 + 1 + 8] = {CHAP_CHALLENGE, 1, 0, sizeof(c8), 8};
	chap_input(&cli->c, c8, sizeof(c8));
	assert_int_equal(cli->r.sent, 0);
	/* a Failure with no E= still fails, with the text for the log */
	chap_input(&cli->c, c16, sizeof(c16));
	assert_int_equal(cli->r.sent, 1);
	uint8_t junk[] = {CHAP_FAILURE, 1, 0, 7, 'x', '=', 0xff};
	chap_input(&cli->c, junk, sizeof(junk));
	assert_int_equal(cli->ndone, 1);
	assert_false(cli->done_ok);
	/* E=648 (password expired) is recognised and ends the attempt */
	cli->ndone = 0;
	chap_client_start_alg(&cli->c, "u", "p", 1, CHAP_ALG_MSV2);
	chap_input(&cli->c, c16, sizeof(c16));
	const char *exp = "E=648 R=0 C=00000000000000000000000000000000 V=3 M=expired";
	uint8_t fe[96] = {CHAP_FAILURE, 1, 0, (uint8_t)(4 + strlen(exp))};
	memcpy(fe + 4, exp, strlen(exp));
	chap_input(&cli->c, fe, 4 + strlen(exp));
	assert_int_equal(cli->ndone, 1);
	assert_int_equal(cli->c.cerror, 648);
	free(cli);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc2759),
		cmocka_unit_test(test_rfc2433),
		cmocka_unit_test(test_rfc3079_v2),
		cmocka_unit_test(test_rfc3079_v1),
		cmocka_unit_test(test_nt_hash_unicode),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_engine_v1_ok),
		cmocka_unit_test(test_engine_v2_ok),
		cmocka_unit_test(test_engine_fail),
		cmocka_unit_test(test_engine_bad_authresp),
		cmocka_unit_test(test_engine_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
