/* CHAP-MD5: the response function against an independent value, both roles, duplicates, malformed input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ppp_harness.h"
#include "ppp/chap.h"
#include "ppp/proto.h"

struct side {
	struct rec r;
	struct chap c;
	char vname[300];
	uint8_t vid, vresp[CHAP_MD5_LEN], vchal[CHAP_CHAL_LEN];
	size_t vresp_len;
	int verifies;
	int ndone;
	bool done_server, done_ok;
	char done_msg[300];
};

static void verify(void *arg, struct chap *c, const struct chap_verify *v)
{
	struct side *s = arg;

	(void)c;
	s->verifies++;
	snprintf(s->vname, sizeof(s->vname), "%s", v->name);
	s->vid = v->id;
	s->vresp_len = v->response_len;
	memcpy(s->vresp, v->response, v->response_len < 16 ? v->response_len : 16);
	memcpy(s->vchal, v->challenge, CHAP_CHAL_LEN);
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

static struct side *side_new(const char *name, uint32_t seed)
{
	struct side *s = calloc(1, sizeof(*s));
	struct chap_owner o = { s, rec_send, rec_timer, rec_rand, verify, done };
	struct chap_conf c = { .name = name, .timeout = 3 };

	s->r.seed = seed;
	chap_init(&s->c, &c, &o);
	return s;
}

/*
 * Expected value computed independently with
 *   python3 -c 'import hashlib; print(hashlib.md5(bytes([0x2a]) + b"s3cr3t" + bytes(range(16))).hexdigest())'
 * = c26509fed6bab294085336fe900671f5
 */
static void test_md5_vector(void **state)
{
	(void)state;
	static const uint8_t want[16] = {
		0xc2, 0x65, 0x09, 0xfe, 0xd6, 0xba, 0xb2, 0x94,
		0x08, 0x53, 0x36, 0xfe, 0x90, 0x06, 0x71, 0xf5,
	};
	uint8_t chal[16], out[16];

	for (int i = 0; i < 16; i++)
		chal[i] = (uint8_t)i;
	chap_md5_response(0x2a, "s3cr3t", 6, chal, sizeof(chal), out);
	assert_memory_equal(out, want, 16);
}

static void test_success(void **state)
{
	(void)state;
	struct side *srv = side_new("srv", 11), *cli = side_new("cli", 12);

	assert_int_equal(chap_client_start(&cli->c, "alice", "s3cr3t", 6), 0);
	chap_server_start(&srv->c, "mpd-server");
	const struct rec_pkt *r = rec_last(&srv->r);
	assert_non_null(r);
	assert_int_equal(r->proto, PROTO_CHAP);
	assert_int_equal(r->data[0], CHAP_CHALLENGE);
	assert_int_equal(r->data[4], CHAP_CHAL_LEN);
	assert_memory_equal(r->data + 5 + CHAP_CHAL_LEN, "mpd-server", 10);
	assert_int_equal(r->len, 4 + 1 + 16 + 10);
	assert_int_equal(srv->r.timer_ms, 3000);
	uint8_t id = r->data[1];

	pump(&srv->r, &srv->c, in, &cli->r, &cli->c, in);
	assert_int_equal(srv->verifies, 1);
	assert_string_equal(srv->vname, "alice");
	assert_int_equal(srv->vid, id);
	assert_int_equal(srv->vresp_len, 16);
	assert_int_equal(srv->r.timer_ms, 0);	/* Response in: no more retransmissions */
	/* The owner checks with the same function the client used. */
	uint8_t expect[16];
	chap_md5_response(id, "s3cr3t", 6, srv->vchal, CHAP_CHAL_LEN, expect);
	assert_memory_equal(srv->vresp, expect, 16);
	chap_server_result(&srv->c, true, NULL);
	assert_true(srv->done_server && srv->done_ok);
	pump(&srv->r, &srv->c, in, &cli->r, &cli->c, in);
	assert_int_equal(cli->ndone, 1);
	assert_false(cli->done_server);
	assert_true(cli->done_ok);
	assert_string_equal(cli->done_msg, "Welcome");

	/* A duplicate Response after Success gets the same Success again (RFC 1994 §4.2). */
	uint8_t resp[4 + 1 + 16 + 5] = { CHAP_RESPONSE, id, 0, sizeof(resp), 16 };
	memcpy(resp + 5, expect, 16);
	memcpy(resp + 21, "alice", 5);
	rec_reset(&srv->r);
	chap_input(&srv->c, resp, sizeof(resp));
	assert_int_equal(srv->verifies, 1);
	r = rec_last(&srv->r);
	assert_non_null(r);
	assert_memory_equal(r->data, "\x03", 1);
	assert_int_equal(r->data[1], id);
	assert_memory_equal(r->data + 4, "Welcome", 7);
	/* A Response with another identifier is discarded. */
	rec_reset(&srv->r);
	resp[1] = (uint8_t)(id + 1);
	chap_input(&srv->c, resp, sizeof(resp));
	assert_int_equal(srv->r.npkts, 0);
	free(srv);
	free(cli);
}

static void test_failure(void **state)
{
	(void)state;
	struct side *srv = side_new("srv", 21), *cli = side_new("cli", 22);

	chap_client_start(&cli->c, "bob", "nope", 4);
	chap_server_start(&srv->c, "srv");
	pump(&srv->r, &srv->c, in, &cli->r, &cli->c, in);
	chap_server_result(&srv->c, false, NULL);
	pump(&srv->r, &srv->c, in, &cli->r, &cli->c, in);
	assert_false(srv->done_ok);
	assert_int_equal(cli->ndone, 1);
	assert_false(cli->done_ok);
	assert_string_equal(cli->done_msg, "Login incorrect");
	free(srv);
	free(cli);
}

static void test_retransmit(void **state)
{
	(void)state;
	struct side *srv = side_new("srv", 31);

	chap_server_start(&srv->c, "srv");
	for (int i = 0; i < 20 && srv->ndone == 0; i++)
		chap_timeout(&srv->c);
	assert_int_equal(srv->r.sent, 5);
	/* Retransmissions repeat the same Challenge and Identifier. */
	assert_int_equal(srv->r.pkts[0].len, srv->r.pkts[4].len);
	assert_memory_equal(srv->r.pkts[0].data, srv->r.pkts[4].data, srv->r.pkts[0].len);
	assert_int_equal(srv->ndone, 1);
	assert_false(srv->done_ok);
	free(srv);
}

static void test_malformed(void **state)
{
	(void)state;
	struct side *srv = side_new("srv", 41);

	chap_server_start(&srv->c, "srv");
	uint8_t id = srv->r.pkts[0].data[1];
	rec_reset(&srv->r);
	uint8_t runt[] = { 2, id, 0 };
	uint8_t badlen[] = { 2, id, 0, 99, 16 };
	chap_input(&srv->c, runt, sizeof(runt));
	chap_input(&srv->c, badlen, sizeof(badlen));
	assert_int_equal(srv->r.npkts, 0);
	assert_int_equal(srv->ndone, 0);
	/* Value-Size beyond the packet: Failure, no verify. */
	uint8_t over[] = { 2, id, 0, 8, 200, 1, 2, 3 };
	chap_input(&srv->c, over, sizeof(over));
	assert_int_equal(srv->verifies, 0);
	assert_int_equal(srv->ndone, 1);
	assert_int_equal(rec_last(&srv->r)->data[0], CHAP_FAILURE);
	free(srv);

	/* A 15-byte MD5 value is refused. */
	srv = side_new("srv", 42);
	chap_server_start(&srv->c, "srv");
	id = srv->r.pkts[0].data[1];
	uint8_t shortv[4 + 1 + 15 + 1] = { 2, id, 0, sizeof(shortv), 15 };
	shortv[20] = 'x';
	chap_input(&srv->c, shortv, sizeof(shortv));
	assert_int_equal(srv->verifies, 0);
	assert_false(srv->done_ok);
	free(srv);

	/* Client: empty or overlong challenges are dropped; unknown codes ignored. */
	struct side *cli = side_new("cli", 43);
	chap_client_start(&cli->c, "u", "s", 1);
	uint8_t empty[] = { 1, 5, 0, 5, 0 };
	uint8_t longc[] = { 1, 5, 0, 7, 9, 1, 2 };
	uint8_t code9[] = { 9, 5, 0, 4 };
	chap_input(&cli->c, empty, sizeof(empty));
	chap_input(&cli->c, longc, sizeof(longc));
	chap_input(&cli->c, code9, sizeof(code9));
	assert_int_equal(cli->r.sent, 0);
	/* Success for an identifier we never answered: ignored. */
	uint8_t succ[] = { 3, 77, 0, 4 };
	chap_input(&cli->c, succ, sizeof(succ));
	assert_int_equal(cli->ndone, 0);
	free(cli);
}

static void test_both_directions(void **state)
{
	(void)state;
	struct side *a = side_new("a", 51), *b = side_new("b", 52);

	chap_client_start(&a->c, "a", "sa", 2);
	chap_client_start(&b->c, "b", "sb", 2);
	chap_server_start(&a->c, "a");
	chap_server_start(&b->c, "b");
	pump(&a->r, &a->c, in, &b->r, &b->c, in);
	assert_string_equal(a->vname, "b");
	assert_string_equal(b->vname, "a");
	chap_server_result(&a->c, true, "ok b");
	chap_server_result(&b->c, false, "no a");
	a->ndone = b->ndone = 0;
	pump(&a->r, &a->c, in, &b->r, &b->c, in);
	assert_int_equal(a->ndone, 1);
	assert_false(a->done_ok);
	assert_string_equal(a->done_msg, "no a");
	assert_int_equal(b->ndone, 1);
	assert_true(b->done_ok);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_md5_vector),
		cmocka_unit_test(test_success),
		cmocka_unit_test(test_failure),
		cmocka_unit_test(test_retransmit),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_both_directions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
