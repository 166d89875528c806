/* The CHAP engine with MS-CHAP v1/v2 in both roles and every state, and the MS-CHAP text parsers. */
#include <string.h>

#include "fuzz_common.h"
#include "ppp/chap.h"
#include "ppp/mschap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz_state {
	uint32_t seed;
	size_t sink;
	bool defer;		/* leave the verdict for later, as RADIUS would */
};

static uint32_t fz_ms_rand(void *arg)
{
	return fz_rand(&((struct fz_state *)arg)->seed);
}

/* Judge like aaa/auth.c does, against the password "secret". */
static void fz_verify(void *arg, struct chap *c, const struct chap_verify *v)
{
	struct fz_state *s = arg;
	uint8_t h[MSCHAP_HASH_LEN], nt[MSCHAP_NT_RESP_LEN];
	char ar[MSCHAP_AUTHRESP_LEN + 1];
	struct chap_verdict vd = {.authresp = ar};

	s->sink += strlen(v->name);
	if (s->defer || v->response_len != MSCHAP_RESP_LEN)
		return;
	mschap_nt_hash("secret", 6, h);
	if (v->alg == CHAP_ALG_MSV2) {
		mschap2_nt_response(v->challenge, v->response, v->name, h, nt);
		mschap2_auth_response(h, nt, v->response, v->challenge, v->name, ar);
	} else {
		mschap_challenge_response(v->challenge, h, nt);
		ar[0] = '\0';
	}
	vd.ok = memcmp(nt, v->response + MSCHAP_V2_NT_OFF, sizeof(nt)) == 0;
	vd.ms_error = v->id & 1 ? MSCHAP_E_NO_DIALIN : 0;
	chap_server_verdict(c, &vd);
}

static void fz_done(void *arg, struct chap *c, bool server, bool ok, const char *msg)
{
	struct fz_state *s = arg;
	const struct mschap_keys *k = chap_client_keys(c);

	(void)server;
	(void)ok;
	s->sink += strlen(msg) + (k != NULL ? k->send[0] : 0);
}

static void fz_text(struct fz_state *s, const uint8_t *d, size_t len)
{
	struct mschap_failure f;
	char ar[41], msg[64];

	if (mschap_parse_failure(d, len, &f) == 0)
		s->sink += f.error + f.chal_len + strlen(f.msg);
	if (mschap2_parse_success(d, len, ar, msg, sizeof(msg)) == 0)
		s->sink += strlen(ar) + strlen(msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct chap c;
	struct fz_state st = {1, 0, false};
	struct chap_owner o = {&st, fz_send, fz_timer, fz_ms_rand, fz_verify, fz_done};
	struct chap_conf cf = {.name = "fz"};
	const uint8_t *chunk;
	size_t len;

	fz_quiet();
	if (size < 1)
		return 0;
	uint8_t salg = data[0] & 4 ? CHAP_ALG_MSV2 : CHAP_ALG_MSV1;
	uint8_t calg = data[0] & 8 ? CHAP_ALG_MSV2 : CHAP_ALG_MSV1;
	st.defer = data[0] & 16;
	chap_init(&c, &cf, &o);
	if (data[0] & 1)
		chap_server_start_alg(&c, "server", salg);
	if (data[0] & 2)
		chap_client_start_alg(&c, data[0] & 32 ? "DOM\\user" : "user", "secret", 6, calg);
	data++;
	size--;
	while (fz_next(&data, &size, &chunk, &len)) {
		chap_input(&c, chunk, len);
		fz_text(&st, chunk, len);
		if (len & 1)
			chap_timeout(&c);
		if (len % 5 == 0) {
			struct chap_verdict vd = {.ok = len & 2, .msg = (len & 4) ? NULL : "msg",
						  .ms_error = (unsigned)len, .authresp = (len & 8) ? "S=00" : NULL};
			chap_server_verdict(&c, &vd);
		}
		if (len == 13)
			chap_server_start_alg(&c, "again", salg ^ 1);
	}
	chap_stop(&c);
	return 0;
}
