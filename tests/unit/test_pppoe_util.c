/* PPPoE policy helpers: service matching, cookies, session ids, the session hash, MAC formats. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dev/pppoe/pppoe_cookie.h"
#include "dev/pppoe/pppoe_delay.h"
#include "core/hash.h"
#include "dev/pppoe/pppoe_mac.h"
#include "dev/pppoe/pppoe_match.h"
#include "core/idalloc.h"

static const uint8_t mac_a[6] = {0x00, 0x1b, 0x21, 0x3c, 0x4d, 0x5e};
static const uint8_t mac_b[6] = {0x00, 0x1b, 0x21, 0x3c, 0x4d, 0x5f};

static bool offered(const char *ours, const char *req)
{
	return pppoe_service_offered(ours, (const uint8_t *)req, strlen(req));
}

static void test_service_offered(void **state)
{
	(void)state;
	assert_true(offered("*", "anything"));
	assert_true(offered("*", ""));
	assert_true(offered("gold", ""));     /* empty request: any listener */
	assert_true(offered("gold", "gold"));
	assert_false(offered("gold", "silver"));
	assert_false(offered("gold", "gol"));
	assert_false(offered("gold", "golden"));
	assert_false(offered("", "gold"));
	assert_false(offered("Gold", "gold"));
}

static void test_service_split(void **state)
{
	(void)state;
	char ac[64], svc[64], tiny[4];

	assert_int_equal(pppoe_service_split("myac\\isp", ac, sizeof(ac), svc, sizeof(svc)), 0);
	assert_string_equal(ac, "myac");
	assert_string_equal(svc, "isp");
	assert_int_equal(pppoe_service_split("isp", ac, sizeof(ac), svc, sizeof(svc)), 0);
	assert_string_equal(ac, "");
	assert_string_equal(svc, "isp");
	assert_int_equal(pppoe_service_split("*", ac, sizeof(ac), svc, sizeof(svc)), 0);
	assert_string_equal(svc, "");
	assert_int_equal(pppoe_service_split("myac\\*", ac, sizeof(ac), svc, sizeof(svc)), 0);
	assert_string_equal(ac, "myac");
	assert_string_equal(svc, "");
	assert_int_equal(pppoe_service_split("myac\\", ac, sizeof(ac), svc, sizeof(svc)), 0);
	assert_string_equal(svc, "");
	assert_int_equal(pppoe_service_split("toolong", ac, sizeof(ac), tiny, sizeof(tiny)), -1);
	assert_int_equal(pppoe_service_split("toolong\\x", tiny, sizeof(tiny), svc, sizeof(svc)), -1);
}

static size_t pado(uint8_t *buf, size_t cap, const char *acname, const char *svc1, const char *svc2,
		   struct pppoe_frame *f, struct pppoe_disc *d)
{
	struct pppoe_disc o = {0};
	struct pppoe_blob more = {.p = (const uint8_t *)svc2, .len = svc2 ? strlen(svc2) : 0, .set = true};
	const char *why;

	o.acname = (struct pppoe_blob){.p = (const uint8_t *)acname, .len = strlen(acname), .set = true};
	o.service = (struct pppoe_blob){.p = (const uint8_t *)svc1, .len = strlen(svc1), .set = true};
	if (svc2 != NULL) {
		o.more_services = &more;
		o.nmore_services = 1;
	}
	size_t n = pppoe_build_pado(buf, cap, mac_a, mac_b, &o);
	assert_int_equal(pppoe_frame_parse(buf, n, f, &why), 0);
	assert_int_equal(pppoe_disc_parse(f->payload, f->len, d, &why), 0);
	return n;
}

static void test_pado_acceptable(void **state)
{
	(void)state;
	uint8_t buf[256];
	struct pppoe_frame f;
	struct pppoe_disc d;

	pado(buf, sizeof(buf), "ac1", "", "gold", &f, &d);
	assert_true(pppoe_pado_acceptable("", "", &d, f.payload, f.len));
	assert_true(pppoe_pado_acceptable("ac1", "", &d, f.payload, f.len));
	assert_true(pppoe_pado_acceptable("", "gold", &d, f.payload, f.len)); /* in a second tag */
	assert_false(pppoe_pado_acceptable("ac2", "", &d, f.payload, f.len));
	assert_false(pppoe_pado_acceptable("ac", "", &d, f.payload, f.len));
	assert_false(pppoe_pado_acceptable("", "silver", &d, f.payload, f.len));

	pado(buf, sizeof(buf), "ac1", "silver", NULL, &f, &d);
	assert_true(pppoe_pado_acceptable("ac1", "silver", &d, f.payload, f.len));
	assert_false(pppoe_pado_acceptable("ac1", "gold", &d, f.payload, f.len));

	/* A PADO without AC-Name is not valid. */
	d.acname.set = false;
	assert_false(pppoe_pado_acceptable("", "", &d, f.payload, f.len));
}

static void test_max_payload(void **state)
{
	(void)state;
	struct pppoe_disc d = {0};

	assert_int_equal(pppoe_max_payload_offer(1500, 1508), 1500);
	assert_int_equal(pppoe_max_payload_offer(1500, 1507), 0);
	assert_int_equal(pppoe_max_payload_offer(1500, 1500), 0);
	assert_int_equal(pppoe_max_payload_offer(1492, 9000), 0);
	assert_int_equal(pppoe_max_payload_offer(1000, 9000), 0);
	assert_int_equal(pppoe_max_payload_offer(9000, 9100), 0); /* beyond what we buffer */

	assert_int_equal(pppoe_max_payload_result(0, &d), 1492);
	assert_int_equal(pppoe_max_payload_result(1500, &d), 1492); /* server did not echo */
	d.has_max_payload = true;
	d.max_payload = 1500;
	assert_int_equal(pppoe_max_payload_result(1500, &d), 1500);
	assert_int_equal(pppoe_max_payload_result(0, &d), 1492);
	assert_int_equal(pppoe_max_payload_result(1496, &d), 1496); /* never above what we asked */
	d.max_payload = 1400;
	assert_int_equal(pppoe_max_payload_result(1500, &d), 1492);
}

static void test_cookie(void **state)
{
	(void)state;
	struct pppoe_cookie_key k1, k2;
	uint8_t c[PPPOE_COOKIE_LEN], t[PPPOE_COOKIE_LEN];

	assert_int_equal(pppoe_cookie_key_init(&k1), 0);
	assert_int_equal(pppoe_cookie_key_init(&k2), 0);
	assert_memory_not_equal(k1.secret, k2.secret, sizeof(k1.secret));
	pppoe_cookie_make(&k1, mac_a, 1000, c);
	assert_true(pppoe_cookie_check(&k1, mac_a, 1000, c, sizeof(c)));
	assert_true(pppoe_cookie_check(&k1, mac_a, 1000 + PPPOE_COOKIE_LIFE, c, sizeof(c)));
	assert_false(pppoe_cookie_check(&k1, mac_a, 1001 + PPPOE_COOKIE_LIFE, c, sizeof(c)));
	assert_false(pppoe_cookie_check(&k1, mac_a, 999, c, sizeof(c)));   /* issued in the future */
	assert_false(pppoe_cookie_check(&k1, mac_b, 1000, c, sizeof(c)));  /* another peer */
	assert_false(pppoe_cookie_check(&k2, mac_a, 1000, c, sizeof(c)));  /* another process */
	assert_false(pppoe_cookie_check(&k1, mac_a, 1000, c, sizeof(c) - 1));
	assert_false(pppoe_cookie_check(&k1, mac_a, 1000, NULL, 0));
	for (size_t i = 0; i < sizeof(c); i++) {
		memcpy(t, c, sizeof(t));
		t[i] ^= 0x01;
		/* Changing the time stamp by one second keeps it fresh: only the MAC can catch it. */
		assert_false(pppoe_cookie_check(&k1, mac_a, 1010, t, sizeof(t)));
	}
	/* Clock wrap: issued just before 2^32, checked just after. */
	pppoe_cookie_make(&k1, mac_a, 0xfffffff0u, c);
	assert_true(pppoe_cookie_check(&k1, mac_a, 5, c, sizeof(c)));
}

static void test_sid_unique(void **state)
{
	(void)state;
	struct idmap16 *m = malloc(sizeof(*m));
	uint8_t *seen = calloc(65536, 1);

	idmap16_init(m, 0xfff0); /* start near the top: wrap-around skips 0xffff and 0 */
	for (unsigned i = 0; i < 65534; i++) {
		uint16_t s = idmap16_alloc(m);
		assert_int_not_equal(s, 0);
		assert_int_not_equal(s, 0xffff);
		assert_int_equal(seen[s], 0);
		seen[s] = 1;
		assert_true(idmap16_used(m, s));
	}
	assert_int_equal(m->used, 65534);
	assert_int_equal(idmap16_alloc(m), 0); /* all taken */
	idmap16_free(m, 0x1234);
	idmap16_free(m, 0x1234); /* twice: ignored */
	idmap16_free(m, 0);      /* reserved: ignored */
	idmap16_free(m, 0xffff);
	assert_int_equal(m->used, 65533);
	assert_false(idmap16_used(m, 0x1234));
	assert_int_equal(idmap16_alloc(m), 0x1234);
	assert_int_equal(idmap16_alloc(m), 0);
	free(seen);
	free(m);
}

static void test_sid_no_immediate_reuse(void **state)
{
	(void)state;
	struct idmap16 *m = malloc(sizeof(*m));

	idmap16_init(m, 100);
	uint16_t a = idmap16_alloc(m), b = idmap16_alloc(m);
	assert_int_equal(a, 100);
	assert_int_equal(b, 101);
	idmap16_free(m, a);
	/* A freed id is not handed out again at once: a late PADT must not hit a new session. */
	assert_int_equal(idmap16_alloc(m), 102);
	free(m);
}

struct item {
	struct hnode node;
	int v;
};

static void test_hash(void **state)
{
	(void)state;
	struct htab t;
	enum { N = 5000 };
	struct item *items = calloc(N, sizeof(*items));

	assert_int_equal(htab_init(&t, 0x1234567890abcdefULL), 0);
	for (int i = 0; i < N; i++) {
		items[i].v = i;
		uint8_t mac[6] = {0, 0, 0, 0, (uint8_t)(i >> 8), (uint8_t)i};
		htab_insert(&t, &items[i].node, hash_key_mac16(mac, (uint16_t)(i % 7 + 1)));
	}
	assert_int_equal(t.n, N);
	assert_true(t.nb >= N); /* grew */
	for (int i = 0; i < N; i++) {
		uint8_t mac[6] = {0, 0, 0, 0, (uint8_t)(i >> 8), (uint8_t)i};
		struct hnode *n = htab_find(&t, hash_key_mac16(mac, (uint16_t)(i % 7 + 1)), NULL);
		assert_ptr_equal(n, &items[i].node);
		assert_null(htab_find(&t, hash_key_mac16(mac, 0x7777), NULL));
	}
	for (int i = 0; i < N; i += 2)
		htab_remove(&t, &items[i].node);
	assert_int_equal(t.n, N / 2);
	uint8_t mac0[6] = {0};
	assert_null(htab_find(&t, hash_key_mac16(mac0, 1), NULL));
	/* Several nodes under one key are all reachable. */
	struct item same[3];
	for (int i = 0; i < 3; i++)
		htab_insert(&t, &same[i].node, 42);
	int found = 0;
	for (struct hnode *n = NULL; (n = htab_find(&t, 42, n)) != NULL;)
		found++;
	assert_int_equal(found, 3);
	htab_free(&t);
	free(items);
}

static void test_keys(void **state)
{
	(void)state;
	assert_true(hash_key_mac16(mac_a, 1) != hash_key_mac16(mac_a, 2));
	assert_true(hash_key_mac16(mac_a, 1) != hash_key_mac16(mac_b, 1));
	assert_true(hash_key_bytes((const uint8_t *)"ab", 2) != hash_key_bytes((const uint8_t *)"ba", 2));
	assert_true(hash_key_bytes((const uint8_t *)"", 0) != hash_key_bytes((const uint8_t *)"\0", 1));
}

static void test_mac_format(void **state)
{
	(void)state;
	static const uint8_t m[6] = {0x00, 0x1b, 0x21, 0xab, 0xcd, 0xef};
	char buf[24];

	assert_string_equal(pppoe_mac_format(m, PPPOE_MAC_UNFORMATTED, buf, sizeof(buf)), "001b21abcdef");
	assert_string_equal(pppoe_mac_format(m, PPPOE_MAC_UNIX, buf, sizeof(buf)), "00:1b:21:ab:cd:ef");
	assert_string_equal(pppoe_mac_format(m, PPPOE_MAC_CISCO, buf, sizeof(buf)), "001b.21ab.cdef");
	assert_string_equal(pppoe_mac_format(m, PPPOE_MAC_IETF, buf, sizeof(buf)), "00-1b-21-ab-cd-ef");
	assert_int_equal(pppoe_macfmt_parse("unformatted"), PPPOE_MAC_UNFORMATTED);
	assert_int_equal(pppoe_macfmt_parse("unix-like"), PPPOE_MAC_UNIX);
	assert_int_equal(pppoe_macfmt_parse("cisco-like"), PPPOE_MAC_CISCO);
	assert_int_equal(pppoe_macfmt_parse("ietf"), PPPOE_MAC_IETF);
	assert_int_equal(pppoe_macfmt_parse("unix"), -1);
	assert_string_equal(pppoe_macfmt_name(PPPOE_MAC_CISCO), "cisco-like");
	/* Short buffers are truncated, not overrun. */
	char small[5];
	assert_string_equal(pppoe_mac_format(m, PPPOE_MAC_UNIX, small, sizeof(small)), "00:1");
}

/* Parse a space-separated pado-delay line; 0 or -1 like the parser. */
static int delay_parse(struct pppoe_pado_delay *d, const char *line)
{
	char buf[256], *av[16], *save = NULL;
	int ac = 0;
	char err[128];

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *t = strtok_r(buf, " ", &save); t != NULL && ac < 16; t = strtok_r(NULL, " ", &save))
		av[ac++] = t;
	return pppoe_pado_delay_parse(d, ac, av, err, sizeof(err));
}

static void test_pado_delay_parse(void **state)
{
	struct pppoe_pado_delay d;
	char text[160];
	(void)state;

	assert_int_equal(delay_parse(&d, "0"), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(pppoe_pado_delay_ms(&d, 0), 0);
	assert_int_equal(pppoe_pado_delay_ms(&d, 100000), 0);
	pppoe_pado_delay_text(&d, text, sizeof(text));
	assert_string_equal(text, "0");

	/* A fixed delay. */
	assert_int_equal(delay_parse(&d, "250"), 0);
	assert_int_equal(pppoe_pado_delay_ms(&d, 0), 250);
	assert_int_equal(pppoe_pado_delay_ms(&d, 5000), 250);

	/* A delay that grows with the sessions held, silent at the top. */
	assert_int_equal(delay_parse(&d, "0 100@500 200@1000 silent@3000"), 0);
	assert_int_equal(pppoe_pado_delay_ms(&d, 0), 0);
	assert_int_equal(pppoe_pado_delay_ms(&d, 499), 0);
	assert_int_equal(pppoe_pado_delay_ms(&d, 500), 100);
	assert_int_equal(pppoe_pado_delay_ms(&d, 999), 100);
	assert_int_equal(pppoe_pado_delay_ms(&d, 1000), 200);
	assert_int_equal(pppoe_pado_delay_ms(&d, 2999), 200);
	assert_int_equal(pppoe_pado_delay_ms(&d, 3000), PPPOE_DELAY_SILENT);
	assert_int_equal(pppoe_pado_delay_ms(&d, 1000000), PPPOE_DELAY_SILENT);
	pppoe_pado_delay_text(&d, text, sizeof(text));
	assert_string_equal(text, "0 100@500 200@1000 silent@3000");
	struct pppoe_pado_delay again;
	assert_int_equal(delay_parse(&again, text), 0);
	assert_memory_equal(&again, &d, sizeof(d));

	/* Bad lines leave the setting as it was. */
	struct pppoe_pado_delay keep = d;
	assert_int_equal(delay_parse(&d, "abc"), -1);
	assert_int_equal(delay_parse(&d, "-1"), -1);
	assert_int_equal(delay_parse(&d, "10001"), -1);
	assert_int_equal(delay_parse(&d, "0 100@0"), -1);
	assert_int_equal(delay_parse(&d, "0 100@500 50@400"), -1);
	assert_int_equal(delay_parse(&d, "0 100@500 50@500"), -1);
	assert_int_equal(delay_parse(&d, "0 100"), -1);
	assert_int_equal(delay_parse(&d, "0 100@x"), -1);
	assert_int_equal(delay_parse(&d, "0 @5"), -1);
	assert_int_equal(delay_parse(&d, "0 1@1 1@2 1@3 1@4 1@5 1@6 1@7 1@8 1@9"), -1);
	assert_int_equal(delay_parse(&d, "0 1@1 1@2 1@3 1@4 1@5 1@6 1@7 1@8"), 0);
	d = keep;
	assert_memory_equal(&keep, &d, sizeof(d));
}

static struct pppoe_blob uniq_blob(const uint8_t *p, size_t len)
{
	return (struct pppoe_blob){.p = p, .len = len, .set = true};
}

static void test_pado_queue_bounded(void **state)
{
	static struct pppoe_padoq q;
	uint8_t tags[8] = {1, 1, 0, 0}, mac[6] = {2, 0, 0, 0, 0, 0}, u[4];
	(void)state;

	/* A flood of distinct PADIs fills the queue to its bound, then is counted and dropped. */
	for (unsigned i = 0; i < PPPOE_PADO_WAIT_MAX; i++) {
		mac[5] = (uint8_t)i;
		mac[4] = (uint8_t)(i >> 8);
		struct pppoe_blob b = uniq_blob(u, 0);
		b.set = false;
		assert_non_null(pppoe_padoq_add(&q, mac, &b, tags, sizeof(tags)));
	}
	assert_int_equal(q.n, PPPOE_PADO_WAIT_MAX);
	struct pppoe_blob none = {0};
	mac[4] = 0xff;
	assert_null(pppoe_padoq_add(&q, mac, &none, tags, sizeof(tags)));
	assert_int_equal(q.full, 1);
	assert_int_equal(q.n, PPPOE_PADO_WAIT_MAX);

	/* Removing from the middle keeps every other entry findable. */
	mac[4] = 0;
	mac[5] = 7;
	struct pppoe_pado_wait *w = pppoe_padoq_find(&q, mac, &none);
	assert_non_null(w);
	pppoe_padoq_remove(w);
	assert_null(pppoe_padoq_find(&q, mac, &none));
	for (unsigned i = 0; i < PPPOE_PADO_WAIT_MAX; i++) {
		mac[5] = (uint8_t)i;
		mac[4] = (uint8_t)(i >> 8);
		assert_true((pppoe_padoq_find(&q, mac, &none) != NULL) == (i != 7));
	}
	while (q.n > 0)
		pppoe_padoq_remove(q.w[q.n - 1]);

	/* One MAC, several Host-Uniqs (a client daemon's links): one entry each; a repeat finds its own. */
	uint8_t u1[4] = {0, 0, 0, 1}, u2[4] = {0, 0, 0, 2};
	struct pppoe_blob b1 = uniq_blob(u1, 4), b2 = uniq_blob(u2, 4);
	struct pppoe_pado_wait *w1 = pppoe_padoq_add(&q, mac, &b1, tags, 4);
	struct pppoe_pado_wait *w2 = pppoe_padoq_add(&q, mac, &b2, tags, 4);
	assert_non_null(w1);
	assert_non_null(w2);
	assert_ptr_equal(pppoe_padoq_find(&q, mac, &b1), w1);
	assert_ptr_equal(pppoe_padoq_find(&q, mac, &b2), w2);
	assert_null(pppoe_padoq_find(&q, mac, &none));
	uint8_t newer[6] = {1, 1, 0, 0, 9, 9};
	pppoe_padoq_refresh(w1, newer, sizeof(newer));
	assert_int_equal(w1->len, 6);
	assert_memory_equal(w1->tags, newer, 6);
	/* Tags longer than a PADI can carry are not kept. */
	static uint8_t huge[PPPOE_DISC_MAX + 1];
	assert_null(pppoe_padoq_add(&q, mac, &none, huge, sizeof(huge)));
	while (q.n > 0)
		pppoe_padoq_remove(q.w[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_service_offered),
		cmocka_unit_test(test_service_split),
		cmocka_unit_test(test_pado_acceptable),
		cmocka_unit_test(test_max_payload),
		cmocka_unit_test(test_cookie),
		cmocka_unit_test(test_sid_unique),
		cmocka_unit_test(test_sid_no_immediate_reuse),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_mac_format),
		cmocka_unit_test(test_pado_delay_parse),
		cmocka_unit_test(test_pado_queue_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
