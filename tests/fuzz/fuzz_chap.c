/* CHAP in both roles under arbitrary packets, with verdicts arriving in between. */
#include <string.h>

#include "fuzz_common.h"
#include "ppp/chap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz_state {
	uint32_t seed;
	size_t sink;
};

static uint32_t fz_chap_rand(void *arg)
{
	return fz_rand(&((struct fz_state *)arg)->seed);
}

static void fz_verify(void *arg, struct chap *c, const struct chap_verify *v)
{
	struct fz_state *s = arg;
	uint8_t out[CHAP_MD5_LEN];

	(void)c;
	chap_md5_response(v->id, "secret", 6, v->challenge, v->challenge_len, out);
	s->sink += strlen(v->name) + (memcmp(out, v->response, v->response_len < 16 ? v->response_len : 16) == 0);
}

static void fz_done(void *arg, struct chap *c, bool server, bool ok, const char *msg)
{
	(void)c;
	(void)server;
	(void)ok;
	((struct fz_state *)arg)->sink += strlen(msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct chap c;
	struct fz_state st = { 1, 0 };
	struct chap_owner o = { &st, fz_send, fz_timer, fz_chap_rand, fz_verify, fz_done };
	struct chap_conf cf = { .name = "fz" };
	const uint8_t *chunk;
	size_t len;

	fz_quiet();
	if (size < 1)
		return 0;
	chap_init(&c, &cf, &o);
	if (data[0] & 1)
		chap_server_start(&c, "server");
	if (data[0] & 2)
		chap_client_start(&c, "user", "secret", 6);
	data++;
	size--;
	while (fz_next(&data, &size, &chunk, &len)) {
		chap_input(&c, chunk, len);
		if (len & 1)
			chap_timeout(&c);
		if (len % 5 == 0)
			chap_server_result(&c, len & 2, (len & 4) ? NULL : "msg");
		if (len == 13)
			chap_server_start(&c, "again");
	}
	chap_stop(&c);
	return 0;
}
