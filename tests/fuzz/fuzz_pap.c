/* PAP in both roles under arbitrary packets, with verdicts arriving in between. */
#include <string.h>

#include "fuzz_common.h"
#include "ppp/pap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fz_verify(void *arg, struct pap *p, const char *name, const char *pw)
{
	(void)p;
	/* Touch every byte so ASan sees bad strings. */
	*(size_t *)arg += strlen(name) + strlen(pw);
}

static void fz_done(void *arg, struct pap *p, bool server, bool ok, const char *msg)
{
	(void)p;
	(void)server;
	(void)ok;
	*(size_t *)arg += strlen(msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pap p;
	size_t sink = 0;
	struct pap_owner o = { &sink, fz_send, fz_timer, fz_verify, fz_done };
	struct pap_conf c = { .name = "fz" };
	const uint8_t *chunk;
	size_t len;

	fz_quiet();
	if (size < 1)
		return 0;
	pap_init(&p, &c, &o);
	if (data[0] & 1)
		pap_server_start(&p);
	if (data[0] & 2)
		pap_client_start(&p, "user", "password");
	data++;
	size--;
	while (fz_next(&data, &size, &chunk, &len)) {
		pap_input(&p, chunk, len);
		if (len & 1)
			pap_timeout(&p);
		if (len % 5 == 0)
			pap_server_result(&p, len & 2, (len & 4) ? NULL : "msg");
	}
	pap_stop(&p);
	return 0;
}
