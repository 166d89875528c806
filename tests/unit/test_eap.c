/* EAP: MD5 against an independent value, both roles back to back, Naks, retransmission, proxy seam, malformed input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ppp_harness.h"
#include "ppp/chap.h"
#include "ppp/eap.h"
#include "ppp/opt.h"
#include "ppp/proto.h"

struct side {
	struct rec r;
	struct eap e;
	/* identity() */
	int nidentity;
	char ident[300];
	enum eap_next next;
	/* verify(): judged at once against secret when judge is set */
	bool judge;
	const char *secret;
	int verifies;
	uint8_t vid, vresp[EAP_MD5_LEN], vchal[EAP_MD5_CHAL_LEN];
	size_t vresp_len;
	char vident[300];
	/* proxy() */
	int nproxy;
	uint8_t ppkt[2048];
	size_t plen;
	/* done() */
	int ndone;
	bool done_server, done_ok;
	char done_msg[300];
};

static enum eap_next identity(void *arg, struct eap *e, const char *id)
{
	struct side *s = arg;

	(void)e;
	s->nidentity++;
	snprintf(s->ident, sizeof(s->ident), "%s", id);
	return s->next;
}

static void verify(void *arg, struct eap *e, const struct eap_verify *v)
{
	struct side *s = arg;
	uint8_t want[EAP_MD5_LEN];

	s->verifies++;
	snprintf(s->vident, sizeof(s->vident), "%s", v->identity);
	s->vid = v->id;
	s->vresp_len = v->response_len;
	memcpy(s->vresp, v->response, v->response_len < 16 ? v->response_len : 16);
	memcpy(s->vchal, v->challenge, EAP_MD5_CHAL_LEN);
	if (!s->judge)
		return;
	chap_md5_response(v->id, s->secret, strlen(s->secret), v->challenge, v->challenge_len, want);
	eap_server_result(e, v->response_len == EAP_MD5_LEN && memcmp(want, v->response, 16) == 0);
}

static void proxy(void *arg, struct eap *e, const uint8_t *pkt, size_t len)
{
	struct side *s = arg;

	(void)e;
	s->nproxy++;
	s->plen = len;
	memcpy(s->ppkt, pkt, len < sizeof(s->ppkt) ? len : sizeof(s->ppkt));
}

static void done(void *arg, struct eap *e, bool server, bool ok, const char *msg)
{
	struct side *s = arg;

	(void)e;
	s->ndone++;
	s->done_server = server;
	s->done_ok = ok;
	snprintf(s->done_msg, sizeof(s->done_msg), "%s", msg);
}

static void in(void *eng, const uint8_t *p, size_t len)
{
	eap_input(eng, p, len);
}

static struct side *side_new(const char *name, uint32_t seed, bool md5)
{
	struct side *s = calloc(1, sizeof(*s));
	struct eap_owner o = { s, rec_send, rec_timer, rec_rand, identity, verify, proxy, done };
	struct eap_conf c = { .name = name, .timeout = 3, .md5_enable = md5, .md5_accept = md5 };

	s->r.seed = seed;
	s->next = EAP_NEXT_NATIVE;
	eap_init(&s->e, &c, &o);
	return s;
}

/* Server and client engines; the server judges against secret at once. */
static void pair(struct side **srv, struct side **cli, const char *secret, const char *client_secret)
{
	*srv = side_new("srv", 11, true);
	*cli = side_new("cli", 12, true);
	(*srv)->judge = true;
	(*srv)->secret = secret;
	assert_int_equal(eap_client_start(&(*cli)->e, "alice", client_secret, strlen(client_secret)), 0);
}

/*
 * The Response to Request/MD5-Challenge #0x11 with challenge a0..af and
 * secret "pa55word", computed independently with
 *   python3 -c 'import hashlib; print(hashlib.md5(bytes([0x11]) + b"pa55word"
 *               + bytes(range(0xa0, 0xb0))).hexdigest())'
 * = e0c9aefbe1a48c881023bcafb3359769
 */
static const uint8_t md5_want[16] = {
	0xe0, 0xc9, 0xae, 0xfb, 0xe1, 0xa4, 0x8c, 0x88,
	0x10, 0x23, 0xbc, 0xaf, 0xb3, 0x35, 0x97, 0x69,
};

/* Request/MD5-Challenge #0x11, challenge a0..af, Name "srv". */
static void md5_request(uint8_t *p)
{
	const uint8_t hdr[] = { EAP_REQUEST, 0x11, 0, 25, EAP_TYPE_MD5, 16 };

	memcpy(p, hdr, sizeof(hdr));
	for (int i = 0; i < 16; i++)
		p[6 + i] = (uint8_t)(0xa0 + i);
	memcpy(p + 22, "srv", 3);
}

static void test_md5_vector(void **state)
{
	(void)state;
	struct side *cli = side_new("cli", 1, true);
	uint8_t req[25];

	eap_client_start(&cli->e, "alice", "pa55word", 8);
	md5_request(req);
	eap_input(&cli->e, req, sizeof(req));
	const struct rec_pkt *r = rec_last(&cli->r);
	assert_non_null(r);
	assert_int_equal(r->proto, PROTO_EAP);
	assert_int_equal(r->len, 4 + 2 + 16 + 5);
	const uint8_t hdr[] = { EAP_RESPONSE, 0x11, 0, 27, EAP_TYPE_MD5, 16 };
	assert_memory_equal(r->data, hdr, sizeof(hdr));
	assert_memory_equal(r->data + 6, md5_want, 16);
	assert_memory_equal(r->data + 22, "alice", 5);
	assert_true(cli->r.headroom_ok);
	free(cli);
}

static void test_success(void **state)
{
	(void)state;
	struct side *srv = side_new("srv", 11, true), *cli = side_new("cli", 12, true);

	eap_client_start(&cli->e, "alice", "s3cr3t", 6);
	eap_server_start(&srv->e, "mpd-server");
	const struct rec_pkt *r = rec_last(&srv->r);
	assert_non_null(r);
	assert_int_equal(r->proto, PROTO_EAP);
	assert_int_equal(r->len, 5);
	assert_int_equal(r->data[0], EAP_REQUEST);
	assert_int_equal(r->data[4], EAP_TYPE_IDENTITY);
	assert_int_equal(srv->r.timer_ms, 3000);
	uint8_t id0 = r->data[1];

	/* Identity out, Identity back, MD5-Challenge out, Response back. */
	pump(&srv->r, &srv->e, in, &cli->r, &cli->e, in);
	assert_int_equal(srv->nidentity, 1);
	assert_string_equal(srv->ident, "alice");
	assert_int_equal(srv->verifies, 1);
	assert_string_equal(srv->vident, "alice");
	assert_int_equal(srv->vid, (uint8_t)(id0 + 1));
	assert_int_equal(srv->vresp_len, 16);
	assert_int_equal(srv->r.timer_ms, 0);
	assert_int_equal(srv->e.sstate, EAP_S_VERIFY);
	uint8_t expect[16];
	chap_md5_response(srv->vid, "s3cr3t", 6, srv->vchal, EAP_MD5_CHAL_LEN, expect);
	assert_memory_equal(srv->vresp, expect, 16);
	assert_int_equal(cli->ndone, 0);

	/* The verdict may come later, outside the verify() call. */
	rec_reset(&srv->r);
	eap_server_result(&srv->e, true);
	assert_int_equal(srv->ndone, 1);
	assert_true(srv->done_server && srv->done_ok);
	r = rec_last(&srv->r);
	const uint8_t succ[] = { EAP_SUCCESS, srv->vid, 0, 4 };
	assert_int_equal(r->len, 4);
	assert_memory_equal(r->data, succ, 4);
	pump(&srv->r, &srv->e, in, &cli->r, &cli->e, in);
	assert_int_equal(cli->ndone, 1);
	assert_false(cli->done_server);
	assert_true(cli->done_ok);
	assert_int_equal(cli->e.cstate, EAP_C_OK);

	/* A repeated last Response gets the same Success again; no second verify. */
	uint8_t resp[4 + 2 + 16] = { EAP_RESPONSE, srv->vid, 0, sizeof(resp), EAP_TYPE_MD5, 16 };
	memcpy(resp + 6, expect, 16);
	rec_reset(&srv->r);
	eap_input(&srv->e, resp, sizeof(resp));
	assert_int_equal(srv->verifies, 1);
	assert_int_equal(srv->r.npkts, 1);
	assert_memory_equal(srv->r.pkts[0].data, succ, 4);
	/* One with another Identifier is discarded. */
	rec_reset(&srv->r);
	resp[1] = id0;
	eap_input(&srv->e, resp, sizeof(resp));
	assert_int_equal(srv->r.npkts, 0);
	assert_int_equal(srv->ndone, 1);
	free(srv);
	free(cli);
}

static void test_wrong_secret(void **state)
{
	(void)state;
	struct side *srv, *cli;

	pair(&srv, &cli, "right", "wrong");
	eap_server_start(&srv->e, "srv");
	pump(&srv->r, &srv->e, in, &cli->r, &cli->e, in);
	assert_int_equal(srv->verifies, 1);
	assert_int_equal(srv->ndone, 1);
	assert_false(srv->done_ok);
	assert_string_equal(srv->done_msg, "Login incorrect");
	assert_int_equal(cli->ndone, 1);
	assert_false(cli->done_ok);
	assert_int_equal(cli->e.cstate, EAP_C_FAIL);
	free(srv);
	free(cli);

	/* And the right one passes through the same inline judge. */
	pair(&srv, &cli, "right", "right");
	eap_server_start(&srv->e, "srv");
	pump(&srv->r, &srv->e, in, &cli->r, &cli->e, in);
	assert_true(srv->done_ok);
	assert_true(cli->done_ok);
	free(srv);
	free(cli);
}

/* A Response/Nak the client sent, or NULL. */
static const struct rec_pkt *answer(struct side *cli, const uint8_t *req, size_t len)
{
	rec_reset(&cli->r);
	eap_input(&cli->e, req, len);
	return rec_last(&cli->r);
}

static void test_client_nak(void **state)
{
	(void)state;
	struct side *cli = side_new("cli", 2, true);

	eap_client_start(&cli->e, "alice", "x", 1);
	const uint8_t tls[] = { EAP_REQUEST, 7, 0, 6, 13, 0x20 };
	const struct rec_pkt *r = answer(cli, tls, sizeof(tls));
	const uint8_t nak4[] = { EAP_RESPONSE, 7, 0, 6, EAP_TYPE_NAK, EAP_TYPE_MD5 };
	assert_non_null(r);
	assert_int_equal(r->len, sizeof(nak4));
	assert_memory_equal(r->data, nak4, sizeof(nak4));

	/* An Expanded Request gets an Expanded Nak listing MD5. */
	const uint8_t exp[] = { EAP_REQUEST, 8, 0, 12, 254, 0, 0, 9, 0, 0, 0, 1 };
	r = answer(cli, exp, sizeof(exp));
	const uint8_t xnak[] = { EAP_RESPONSE, 8, 0, 20, 254, 0, 0, 0, 0, 0, 0, 3,
				 254, 0, 0, 0, 0, 0, 0, 4 };
	assert_non_null(r);
	assert_int_equal(r->len, sizeof(xnak));
	assert_memory_equal(r->data, xnak, sizeof(xnak));
	free(cli);

	/* Not accepting MD5: even MD5 is Naked, with "none". */
	cli = side_new("cli", 3, false);
	eap_client_start(&cli->e, "alice", "x", 1);
	uint8_t md5[25];
	md5_request(md5);
	r = answer(cli, md5, sizeof(md5));
	const uint8_t nak0[] = { EAP_RESPONSE, 0x11, 0, 6, EAP_TYPE_NAK, 0 };
	assert_non_null(r);
	assert_int_equal(r->len, sizeof(nak0));
	assert_memory_equal(r->data, nak0, sizeof(nak0));
	free(cli);
}

/* Bring srv to its MD5-Challenge with identity "alice"; returns its Identifier. */
static uint8_t to_md5(struct side *srv)
{
	eap_server_start(&srv->e, "srv");
	uint8_t id = srv->r.pkts[0].data[1];
	uint8_t ident[] = { EAP_RESPONSE, id, 0, 10, EAP_TYPE_IDENTITY, 'a', 'l', 'i', 'c', 'e' };
	rec_reset(&srv->r);
	eap_input(&srv->e, ident, sizeof(ident));
	assert_int_equal(srv->e.sstate, EAP_S_MD5);
	const struct rec_pkt *r = rec_last(&srv->r);
	assert_non_null(r);
	assert_int_equal(r->data[4], EAP_TYPE_MD5);
	assert_int_equal(r->data[5], EAP_MD5_CHAL_LEN);
	assert_memory_equal(r->data + 6 + EAP_MD5_CHAL_LEN, "srv", 3);
	rec_reset(&srv->r);
	return r->data[1];
}

static void test_server_nak(void **state)
{
	(void)state;
	struct side *srv = side_new("srv", 4, true);
	uint8_t id = to_md5(srv);

	const uint8_t nak[] = { EAP_RESPONSE, id, 0, 7, EAP_TYPE_NAK, 13, 25 };
	eap_input(&srv->e, nak, sizeof(nak));
	assert_int_equal(srv->ndone, 1);
	assert_false(srv->done_ok);
	assert_string_equal(srv->done_msg, "peer refuses EAP-MD5, wants: TLS(13) PEAP(25)");
	assert_int_equal(srv->r.timer_ms, 0);
	const uint8_t fail[] = { EAP_FAILURE, id, 0, 4 };
	assert_int_equal(srv->r.npkts, 1);
	assert_memory_equal(srv->r.pkts[0].data, fail, 4);
	assert_int_equal(srv->verifies, 0);
	free(srv);

	/* Back to back with a client that does not accept MD5. */
	srv = side_new("srv", 5, true);
	struct side *cli = side_new("cli", 6, false);
	eap_client_start(&cli->e, "bob", "x", 1);
	eap_server_start(&srv->e, "srv");
	pump(&srv->r, &srv->e, in, &cli->r, &cli->e, in);
	assert_int_equal(srv->ndone, 1);
	assert_false(srv->done_ok);
	assert_string_equal(srv->done_msg, "peer refuses EAP-MD5, wants: none");
	assert_int_equal(cli->ndone, 1);
	assert_false(cli->done_ok);
	free(srv);
	free(cli);

	/* A server with MD5 disabled has nothing to ask once the identity is known. */
	srv = side_new("srv", 7, false);
	eap_server_start(&srv->e, "srv");
	id = srv->r.pkts[0].data[1];
	const uint8_t ident[] = { EAP_RESPONSE, id, 0, 6, EAP_TYPE_IDENTITY, 'x' };
	eap_input(&srv->e, ident, sizeof(ident));
	assert_int_equal(srv->ndone, 1);
	assert_false(srv->done_ok);
	assert_int_equal(rec_last(&srv->r)->data[0], EAP_FAILURE);
	free(srv);
}

static void test_notification(void **state)
{
	(void)state;
	struct side *cli = side_new("cli", 8, true);

	eap_client_start(&cli->e, "alice", "x", 1);
	const uint8_t note[] = { EAP_REQUEST, 33, 0, 10, EAP_TYPE_NOTIFICATION, 'h', 'e', 'l', 'l', 'o' };
	const struct rec_pkt *r = answer(cli, note, sizeof(note));
	const uint8_t want[] = { EAP_RESPONSE, 33, 0, 5, EAP_TYPE_NOTIFICATION };
	assert_non_null(r);
	assert_int_equal(r->len, sizeof(want));
	assert_memory_equal(r->data, want, sizeof(want));
	assert_int_equal(cli->ndone, 0);

	/* Identity is answered with the authname. */
	const uint8_t idreq[] = { EAP_REQUEST, 34, 0, 5, EAP_TYPE_IDENTITY };
	r = answer(cli, idreq, sizeof(idreq));
	const uint8_t idresp[] = { EAP_RESPONSE, 34, 0, 10, EAP_TYPE_IDENTITY, 'a', 'l', 'i', 'c', 'e' };
	assert_non_null(r);
	assert_int_equal(r->len, sizeof(idresp));
	assert_memory_equal(r->data, idresp, sizeof(idresp));
	free(cli);
}

static void test_retransmit(void **state)
{
	(void)state;
	struct side *srv = side_new("srv", 9, true);

	eap_server_start(&srv->e, "srv");
	for (int i = 0; i < 20 && srv->ndone == 0; i++)
		eap_timeout(&srv->e);
	assert_int_equal(srv->r.sent, 5);
	for (int i = 1; i < 5; i++) {
		assert_int_equal(srv->r.pkts[i].len, 5);
		assert_memory_equal(srv->r.pkts[0].data, srv->r.pkts[i].data, 5);
	}
	assert_int_equal(srv->ndone, 1);
	assert_false(srv->done_ok);
	assert_string_equal(srv->done_msg, "No response");
	free(srv);

	/* The MD5-Challenge is retransmitted unchanged too, then given up. */
	srv = side_new("srv", 10, true);
	to_md5(srv);
	eap_timeout(&srv->e);
	assert_int_equal(srv->r.npkts, 1);
	struct rec_pkt first = srv->r.pkts[0];
	assert_int_equal(first.data[4], EAP_TYPE_MD5);
	for (int i = 0; i < 20 && srv->ndone == 0; i++)
		eap_timeout(&srv->e);
	assert_int_equal(srv->r.sent, 4);	/* plus the original: 5 sends */
	assert_memory_equal(srv->r.pkts[3].data, first.data, first.len);
	assert_int_equal(srv->ndone, 1);
	assert_false(srv->done_ok);
	free(srv);
}

static void test_duplicates(void **state)
{
	(void)state;
	struct side *srv = side_new("srv", 13, true);
	uint8_t id = to_md5(srv);
	uint8_t resp[4 + 2 + 16] = { EAP_RESPONSE, id, 0, sizeof(resp), EAP_TYPE_MD5, 16 };

	eap_input(&srv->e, resp, sizeof(resp));
	eap_input(&srv->e, resp, sizeof(resp));
	assert_int_equal(srv->verifies, 1);
	assert_int_equal(srv->r.npkts, 0);
	/* A late duplicate of the Identity Response (old Identifier) is ignored. */
	const uint8_t ident[] = { EAP_RESPONSE, (uint8_t)(id - 1), 0, 6, EAP_TYPE_IDENTITY, 'a' };
	eap_input(&srv->e, ident, sizeof(ident));
	assert_int_equal(srv->nidentity, 1);
	assert_int_equal(srv->r.npkts, 0);
	/* A Response of the wrong type is dropped and the Challenge keeps going. */
	free(srv);
	srv = side_new("srv", 14, true);
	id = to_md5(srv);
	const uint8_t wrong[] = { EAP_RESPONSE, id, 0, 6, EAP_TYPE_IDENTITY, 'a' };
	eap_input(&srv->e, wrong, sizeof(wrong));
	assert_int_equal(srv->e.sstate, EAP_S_MD5);
	assert_int_equal(srv->r.npkts, 0);
	assert_int_equal(srv->r.timer_ms, 3000);
	/* A wrong-sized but well-formed value is a Failure. */
	const uint8_t shortv[] = { EAP_RESPONSE, id, 0, 8, EAP_TYPE_MD5, 2, 1, 2 };
	eap_input(&srv->e, shortv, sizeof(shortv));
	assert_int_equal(srv->verifies, 0);
	assert_int_equal(srv->ndone, 1);
	assert_false(srv->done_ok);
	free(srv);
}

static void test_malformed_client(void **state)
{
	(void)state;
	struct side *cli = side_new("cli", 15, true);
	uint8_t req[25], buf[25];

	eap_client_start(&cli->e, "alice", "pa55word", 8);
	md5_request(req);
	for (size_t n = 0; n < sizeof(req); n++) {
		/* Cut short with the original Length: longer than received. */
		rec_reset(&cli->r);
		memcpy(buf, req, sizeof(req));
		eap_input(&cli->e, buf, n);
		assert_int_equal(cli->r.sent, 0);
		/* Cut short with a matching Length: the MD5 body is incomplete below 22 bytes. */
		if (n >= 4)
			put16(buf + 2, (uint16_t)n);
		eap_input(&cli->e, buf, n);
		assert_int_equal(cli->r.sent, n >= 22 ? 1 : 0);
	}
	/* Zero Value-Size, Length below 4, unknown code, Request/Nak. */
	memcpy(buf, req, sizeof(req));
	buf[5] = 0;
	const uint8_t small[] = { EAP_REQUEST, 1, 0, 3, 4, 16 };
	const uint8_t code9[] = { 9, 1, 0, 4 };
	const uint8_t reqnak[] = { EAP_REQUEST, 1, 0, 6, EAP_TYPE_NAK, 4 };
	const uint8_t shortexp[] = { EAP_REQUEST, 1, 0, 8, 254, 0, 0, 0 };
	rec_reset(&cli->r);
	eap_input(&cli->e, buf, sizeof(buf));
	eap_input(&cli->e, small, sizeof(small));
	eap_input(&cli->e, code9, sizeof(code9));
	eap_input(&cli->e, reqnak, sizeof(reqnak));
	eap_input(&cli->e, shortexp, sizeof(shortexp));
	assert_int_equal(cli->r.sent, 0);
	free(cli);

	/* Success or Failure before any Request: ignored (RFC 3748 §4.2). */
	cli = side_new("cli", 16, true);
	eap_client_start(&cli->e, "alice", "x", 1);
	const uint8_t succ[] = { EAP_SUCCESS, 5, 0, 4 };
	const uint8_t fail[] = { EAP_FAILURE, 5, 0, 4 };
	eap_input(&cli->e, succ, sizeof(succ));
	eap_input(&cli->e, fail, sizeof(fail));
	assert_int_equal(cli->ndone, 0);
	assert_int_equal(cli->e.cstate, EAP_C_WAIT);
	/* A client never started answers nothing. */
	struct side *idle = side_new("idle", 17, true);
	eap_input(&idle->e, req, sizeof(req));
	assert_int_equal(idle->r.sent, 0);
	free(idle);
	free(cli);
}

static void test_malformed_server(void **state)
{
	(void)state;
	struct side *srv = side_new("srv", 18, true);
	uint8_t id = to_md5(srv);
	uint8_t resp[4 + 2 + 16 + 5] = { EAP_RESPONSE, id, 0, sizeof(resp), EAP_TYPE_MD5, 16 };
	uint8_t buf[sizeof(resp)];

	memcpy(resp + 22, "alice", 5);
	for (size_t n = 0; n < 22; n++) {
		memcpy(buf, resp, sizeof(resp));
		eap_input(&srv->e, buf, n);
		if (n >= 4)
			put16(buf + 2, (uint16_t)n);
		eap_input(&srv->e, buf, n);
	}
	assert_int_equal(srv->r.sent, 0);
	assert_int_equal(srv->verifies, 0);
	assert_int_equal(srv->ndone, 0);
	assert_int_equal(srv->e.sstate, EAP_S_MD5);
	/* Zero Value-Size and a Value-Size past the end are dropped too. */
	memcpy(buf, resp, sizeof(resp));
	buf[5] = 0;
	eap_input(&srv->e, buf, sizeof(buf));
	buf[5] = 200;
	eap_input(&srv->e, buf, sizeof(buf));
	const uint8_t emptynak[] = { EAP_RESPONSE, id, 0, 5, EAP_TYPE_NAK };
	eap_input(&srv->e, emptynak, sizeof(emptynak));
	assert_int_equal(srv->r.sent, 0);
	assert_int_equal(srv->ndone, 0);
	/* The intact packet still works afterwards. */
	eap_input(&srv->e, resp, sizeof(resp));
	assert_int_equal(srv->verifies, 1);
	free(srv);

	/* An identity holding a NUL fails the authentication. */
	srv = side_new("srv", 19, true);
	eap_server_start(&srv->e, "srv");
	id = srv->r.pkts[0].data[1];
	const uint8_t nul[] = { EAP_RESPONSE, id, 0, 7, EAP_TYPE_IDENTITY, 'a', 0 };
	eap_input(&srv->e, nul, sizeof(nul));
	assert_int_equal(srv->nidentity, 0);
	assert_int_equal(srv->ndone, 1);
	assert_false(srv->done_ok);
	free(srv);
}

static void test_proxy(void **state)
{
	(void)state;
	struct side *srv = side_new("srv", 20, false), *cli = side_new("cli", 21, true);

	srv->next = EAP_NEXT_PROXY;
	eap_client_start(&cli->e, "alice", "x", 1);
	eap_server_start(&srv->e, "srv");
	pump(&srv->r, &srv->e, in, &cli->r, &cli->e, in);
	/* The Identity Response reaches the relay whole. */
	assert_int_equal(srv->nproxy, 1);
	uint8_t id = srv->ppkt[1];
	const uint8_t ident[] = { EAP_RESPONSE, id, 0, 10, EAP_TYPE_IDENTITY, 'a', 'l', 'i', 'c', 'e' };
	assert_int_equal(srv->plen, sizeof(ident));
	assert_memory_equal(srv->ppkt, ident, sizeof(ident));
	assert_int_equal(srv->e.sstate, EAP_S_PROXY_WAIT);

	/* Only Requests are relayed to the peer. */
	const uint8_t notreq[] = { EAP_SUCCESS, 0x40, 0, 4 };
	assert_int_equal(eap_proxy_send(&srv->e, notreq, sizeof(notreq)), -1);
	const uint8_t tls[] = { EAP_REQUEST, 0x40, 0, 6, 13, 0x20 };
	assert_int_equal(eap_proxy_send(&srv->e, tls, sizeof(tls)), 0);
	assert_int_equal(srv->r.timer_ms, 3000);
	/* Retransmitted as is on timeout. */
	eap_timeout(&srv->e);
	assert_int_equal(srv->r.npkts, 2);
	assert_memory_equal(srv->r.pkts[1].data, tls, sizeof(tls));
	pump(&srv->r, &srv->e, in, &cli->r, &cli->e, in);
	/* The client's Nak goes to the relay, raw; the duplicate from the retransmission is not relayed again. */
	assert_int_equal(srv->nproxy, 2);
	const uint8_t nak[] = { EAP_RESPONSE, 0x40, 0, 6, EAP_TYPE_NAK, EAP_TYPE_MD5 };
	assert_int_equal(srv->plen, sizeof(nak));
	assert_memory_equal(srv->ppkt, nak, sizeof(nak));
	assert_int_equal(srv->verifies, 0);

	const uint8_t succ[] = { EAP_SUCCESS, 0x40, 0, 4 };
	eap_proxy_result(&srv->e, true, succ, sizeof(succ));
	assert_int_equal(srv->ndone, 1);
	assert_true(srv->done_ok);
	pump(&srv->r, &srv->e, in, &cli->r, &cli->e, in);
	assert_int_equal(cli->ndone, 1);
	assert_true(cli->done_ok);
	free(srv);
	free(cli);
}

static void test_wait_then_native(void **state)
{
	(void)state;
	struct side *srv, *cli;

	pair(&srv, &cli, "pw", "pw");
	srv->next = EAP_NEXT_WAIT;
	eap_server_start(&srv->e, "srv");
	pump(&srv->r, &srv->e, in, &cli->r, &cli->e, in);
	assert_int_equal(srv->nidentity, 1);
	assert_int_equal(srv->e.sstate, EAP_S_CHOOSE);
	assert_int_equal(srv->verifies, 0);
	eap_server_continue(&srv->e, EAP_NEXT_NATIVE);
	pump(&srv->r, &srv->e, in, &cli->r, &cli->e, in);
	assert_int_equal(srv->verifies, 1);
	assert_true(srv->done_ok);
	assert_true(cli->done_ok);
	free(srv);
	free(cli);

	/* Later choosing the relay hands it the Identity Response. */
	srv = side_new("srv", 22, false);
	srv->next = EAP_NEXT_WAIT;
	eap_server_start(&srv->e, "srv");
	uint8_t id = srv->r.pkts[0].data[1];
	const uint8_t ident[] = { EAP_RESPONSE, id, 0, 7, EAP_TYPE_IDENTITY, 'b', 'o' };
	eap_input(&srv->e, ident, sizeof(ident));
	assert_int_equal(srv->nproxy, 0);
	eap_server_continue(&srv->e, EAP_NEXT_PROXY);
	assert_int_equal(srv->nproxy, 1);
	assert_int_equal(srv->plen, sizeof(ident));
	assert_memory_equal(srv->ppkt, ident, sizeof(ident));
	eap_proxy_result(&srv->e, false, NULL, 0);
	assert_int_equal(rec_last(&srv->r)->data[0], EAP_FAILURE);
	assert_int_equal(rec_last(&srv->r)->data[1], id);
	assert_false(srv->done_ok);
	free(srv);
}

static void test_both_directions(void **state)
{
	(void)state;
	struct side *a = side_new("a", 23, true), *b = side_new("b", 24, true);

	a->judge = b->judge = true;
	a->secret = "sb";
	b->secret = "wrong";
	eap_client_start(&a->e, "a", "sa", 2);
	eap_client_start(&b->e, "b", "sb", 2);
	eap_server_start(&a->e, "a");
	eap_server_start(&b->e, "b");
	pump(&a->r, &a->e, in, &b->r, &b->e, in);
	assert_string_equal(a->ident, "b");
	assert_string_equal(b->ident, "a");
	assert_int_equal(a->e.sstate, EAP_S_OK);	/* a accepted b */
	assert_int_equal(b->e.sstate, EAP_S_FAIL);	/* b refused a */
	assert_int_equal(a->e.cstate, EAP_C_FAIL);
	assert_int_equal(b->e.cstate, EAP_C_OK);
	eap_stop(&a->e);
	assert_int_equal(a->e.secret_len, 0);
	assert_int_equal(a->e.sstate, EAP_S_IDLE);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_md5_vector),
		cmocka_unit_test(test_success),
		cmocka_unit_test(test_wrong_secret),
		cmocka_unit_test(test_client_nak),
		cmocka_unit_test(test_server_nak),
		cmocka_unit_test(test_notification),
		cmocka_unit_test(test_retransmit),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_malformed_client),
		cmocka_unit_test(test_malformed_server),
		cmocka_unit_test(test_proxy),
		cmocka_unit_test(test_wait_then_native),
		cmocka_unit_test(test_both_directions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
