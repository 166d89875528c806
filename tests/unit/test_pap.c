/* PAP: both roles, asynchronous verdicts, retransmission, duplicates and malformed packets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ppp_harness.h"
#include "ppp/pap.h"
#include "ppp/proto.h"

struct side {
	struct rec r;
	struct pap p;
	char vname[300], vpw[300];
	int verifies;
	int ndone;
	bool done_server, done_ok;
	char done_msg[300];
};

static void verify(void *arg, struct pap *p, const char *name, const char *pw)
{
	struct side *s = arg;

	(void)p;
	s->verifies++;
	snprintf(s->vname, sizeof(s->vname), "%s", name);
	snprintf(s->vpw, sizeof(s->vpw), "%s", pw);
}

static void done(void *arg, struct pap *p, bool server, bool ok, const char *msg)
{
	struct side *s = arg;

	(void)p;
	s->ndone++;
	s->done_server = server;
	s->done_ok = ok;
	snprintf(s->done_msg, sizeof(s->done_msg), "%s", msg);
}

static void in(void *eng, const uint8_t *p, size_t len)
{
	pap_input(eng, p, len);
}

static struct side *side_new(const char *name)
{
	struct side *s = calloc(1, sizeof(*s));
	struct pap_owner o = { s, rec_send, rec_timer, verify, done };
	struct pap_conf c = { .name = name, .timeout = 3 };

	pap_init(&s->p, &c, &o);
	return s;
}

static void test_success(void **state)
{
	(void)state;
	struct side *srv = side_new("srv"), *cli = side_new("cli");

	pap_server_start(&srv->p);
	assert_int_equal(pap_client_start(&cli->p, "alice", "secret"), 0);
	assert_int_equal(cli->r.timer_ms, 3000);
	const struct rec_pkt *r = rec_last(&cli->r);
	assert_non_null(r);
	assert_int_equal(r->proto, PROTO_PAP);
	/* Authenticate-Request: len 4+1+5+1+6 = 17 */
	assert_memory_equal(r->data, "\x01\x01\x00\x11\x05" "alice" "\x06" "secret", 17);
	pump(&cli->r, &cli->p, in, &srv->r, &srv->p, in);
	assert_int_equal(srv->verifies, 1);
	assert_string_equal(srv->vname, "alice");
	assert_string_equal(srv->vpw, "secret");
	assert_int_equal(srv->ndone, 0);	/* waiting for the owner's verdict */
	pap_server_result(&srv->p, true, NULL);
	assert_int_equal(srv->ndone, 1);
	assert_true(srv->done_server && srv->done_ok);
	pump(&cli->r, &cli->p, in, &srv->r, &srv->p, in);
	assert_int_equal(cli->ndone, 1);
	assert_false(cli->done_server);
	assert_true(cli->done_ok);
	assert_string_equal(cli->done_msg, "Welcome");
	assert_int_equal(cli->r.timer_ms, 0);

	/* The Ack got lost: a retransmitted request is acked again, without a new verify. */
	uint8_t again[] = { 1, 9, 0, 17, 5, 'a', 'l', 'i', 'c', 'e', 6, 's', 'e', 'c', 'r', 'e', 't' };
	rec_reset(&srv->r);
	pap_input(&srv->p, again, sizeof(again));
	assert_int_equal(srv->verifies, 1);
	r = rec_last(&srv->r);
	assert_non_null(r);
	assert_memory_equal(r->data, "\x02\x09\x00\x0c\x07" "Welcome", 12);
	free(srv);
	free(cli);
}

static void test_failure(void **state)
{
	(void)state;
	struct side *srv = side_new("srv"), *cli = side_new("cli");

	pap_server_start(&srv->p);
	pap_client_start(&cli->p, "bob", "wrong");
	pump(&cli->r, &cli->p, in, &srv->r, &srv->p, in);
	pap_server_result(&srv->p, false, "Bad password");
	pump(&cli->r, &cli->p, in, &srv->r, &srv->p, in);
	assert_false(srv->done_ok);
	assert_int_equal(cli->ndone, 1);
	assert_false(cli->done_ok);
	assert_string_equal(cli->done_msg, "Bad password");
	free(srv);
	free(cli);
}

static void test_retransmit(void **state)
{
	(void)state;
	struct side *cli = side_new("cli");

	pap_client_start(&cli->p, "u", "p");
	for (int i = 0; i < 20 && cli->ndone == 0; i++)
		pap_timeout(&cli->p);
	assert_int_equal(cli->r.sent, 10);
	assert_int_equal(cli->ndone, 1);
	assert_false(cli->done_ok);
	/* Each retry got a fresh Identifier. */
	assert_int_not_equal(cli->r.pkts[0].data[1], cli->r.pkts[1].data[1]);
	/* A late Ack for an old identifier does nothing. */
	uint8_t ack[] = { 2, cli->r.pkts[0].data[1], 0, 5, 0 };
	pap_input(&cli->p, ack, sizeof(ack));
	assert_int_equal(cli->ndone, 1);
	free(cli);
}

static void test_wrong_id_ignored(void **state)
{
	(void)state;
	struct side *cli = side_new("cli");

	pap_client_start(&cli->p, "u", "p");
	uint8_t id = cli->r.pkts[0].data[1];
	uint8_t ack[] = { 2, (uint8_t)(id + 1), 0, 5, 0 };
	pap_input(&cli->p, ack, sizeof(ack));
	assert_int_equal(cli->ndone, 0);
	/* Missing message and a Msg-Length beyond the packet: result kept, text empty. */
	uint8_t ack2[] = { 2, id, 0, 5, 200 };
	pap_input(&cli->p, ack2, sizeof(ack2));
	assert_int_equal(cli->ndone, 1);
	assert_true(cli->done_ok);
	assert_string_equal(cli->done_msg, "");
	free(cli);
}

static void test_malformed_requests(void **state)
{
	(void)state;
	struct side *srv = side_new("srv");
	static const uint8_t runt[] = { 1, 1, 0 };
	static const uint8_t badlen[] = { 1, 1, 0, 40, 1, 'a', 0 };
	static const uint8_t lenlow[] = { 1, 1, 0, 2 };

	pap_server_start(&srv->p);
	pap_input(&srv->p, runt, sizeof(runt));
	pap_input(&srv->p, badlen, sizeof(badlen));
	pap_input(&srv->p, lenlow, sizeof(lenlow));
	assert_int_equal(srv->r.sent, 0);
	assert_int_equal(srv->ndone, 0);

	/* Peer-ID length past the end: Nak, failure, never a verify. */
	static const uint8_t over[] = { 1, 2, 0, 8, 9, 'a', 'b', 'c' };
	pap_input(&srv->p, over, sizeof(over));
	assert_int_equal(srv->verifies, 0);
	assert_int_equal(srv->ndone, 1);
	assert_false(srv->done_ok);
	assert_int_equal(rec_last(&srv->r)->data[0], PAP_NAK);
	free(srv);

	/* A NUL inside the name could fool a C-string lookup: refused. */
	srv = side_new("srv");
	pap_server_start(&srv->p);
	static const uint8_t nul[] = { 1, 3, 0, 11, 3, 'a', 0, 'b', 2, 'p', 'w' };
	pap_input(&srv->p, nul, sizeof(nul));
	assert_int_equal(srv->verifies, 0);
	assert_false(srv->done_ok);
	free(srv);

	/* Not authenticating: requests are ignored. */
	srv = side_new("srv");
	static const uint8_t ok[] = { 1, 3, 0, 8, 1, 'a', 1, 'b' };
	pap_input(&srv->p, ok, sizeof(ok));
	assert_int_equal(srv->verifies, 0);
	assert_int_equal(srv->r.sent, 0);
	free(srv);
}

static void test_both_directions(void **state)
{
	(void)state;
	struct side *a = side_new("a"), *b = side_new("b");

	pap_server_start(&a->p);
	pap_server_start(&b->p);
	pap_client_start(&a->p, "a-user", "a-pw");
	pap_client_start(&b->p, "b-user", "b-pw");
	pump(&a->r, &a->p, in, &b->r, &b->p, in);
	assert_string_equal(a->vname, "b-user");
	assert_string_equal(b->vname, "a-user");
	pap_server_result(&a->p, true, "hi b");
	pap_server_result(&b->p, true, "hi a");
	a->ndone = b->ndone = 0;
	pump(&a->r, &a->p, in, &b->r, &b->p, in);
	assert_int_equal(a->ndone, 1);
	assert_string_equal(a->done_msg, "hi a");
	assert_string_equal(b->done_msg, "hi b");
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_success),
		cmocka_unit_test(test_failure),
		cmocka_unit_test(test_retransmit),
		cmocka_unit_test(test_wrong_id_ignored),
		cmocka_unit_test(test_malformed_requests),
		cmocka_unit_test(test_both_directions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
