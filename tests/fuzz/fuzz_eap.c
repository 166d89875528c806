/* EAP in both roles under arbitrary packets, with owner decisions (verdicts, relay replies) in between. */
#include <string.h>

#include "fuzz_common.h"
#include "ppp/chap.h"
#include "ppp/eap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz_state {
	uint32_t seed;
	uint8_t mode;		/* first input byte: roles and owner choices */
	size_t sink;
	const uint8_t *chunk;	/* the current chunk, replayed as a relay reply */
	size_t len;
};

static uint32_t fz_eap_rand(void *arg)
{
	return fz_rand(&((struct fz_state *)arg)->seed);
}

static enum eap_next fz_identity(void *arg, struct eap *e, const char *id)
{
	struct fz_state *s = arg;

	(void)e;
	s->sink += strlen(id);
	return (enum eap_next)((s->mode >> 2) % 3);
}

static void fz_verify(void *arg, struct eap *e, const struct eap_verify *v)
{
	struct fz_state *s = arg;
	uint8_t out[EAP_MD5_LEN];

	chap_md5_response(v->id, "secret", 6, v->challenge, v->challenge_len, out);
	s->sink += strlen(v->identity);
	/* Sometimes answer from within the call, as a local secrets file would. */
	if (s->mode & 0x10)
		eap_server_result(e, v->response_len == EAP_MD5_LEN && memcmp(out, v->response, 16) == 0);
}

static void fz_proxy(void *arg, struct eap *e, const uint8_t *pkt, size_t len)
{
	struct fz_state *s = arg;

	s->sink += len + pkt[0];
	if ((s->mode & 0x20) && s->chunk != NULL)
		eap_proxy_send(e, s->chunk, s->len);
}

static void fz_done(void *arg, struct eap *e, bool server, bool ok, const char *msg)
{
	(void)e;
	(void)server;
	(void)ok;
	((struct fz_state *)arg)->sink += strlen(msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct eap e;
	struct fz_state st = { .seed = 1 };
	struct eap_owner o = { &st, fz_send, fz_timer, fz_eap_rand, fz_identity, fz_verify, fz_proxy, fz_done };
	struct eap_conf cf = { .name = "fz" };
	const uint8_t *chunk;
	size_t len;

	fz_quiet();
	if (size < 1)
		return 0;
	st.mode = data[0];
	cf.md5_enable = data[0] & 0x40;
	cf.md5_accept = data[0] & 0x80;
	eap_init(&e, &cf, &o);
	if (data[0] & 1)
		eap_server_start(&e, "server");
	if (data[0] & 2)
		eap_client_start(&e, "user", "secret", 6);
	data++;
	size--;
	while (fz_next(&data, &size, &chunk, &len)) {
		st.chunk = chunk;
		st.len = len;
		eap_input(&e, chunk, len);
		if (len & 1)
			eap_timeout(&e);
		if (len % 5 == 0)
			eap_server_result(&e, len & 2);
		if (len % 7 == 0)
			eap_server_continue(&e, (enum eap_next)(len % 3));
		if (len % 11 == 0)
			eap_proxy_send(&e, chunk, len);
		if (len % 13 == 0)
			eap_proxy_result(&e, len & 2, (len & 4) ? chunk : NULL, len);
		if (len == 17)
			eap_server_start(&e, "again");
	}
	eap_stop(&e);
	return 0;
}
