/*
 * Fuzz the dynamic authorization server's request handling: parse into a
 * request and run the whole input path (peer check, authenticator, parse,
 * judgement, reply) with a stand-in owner. The input is taken as sent by
 * the declared peer; its authenticator rarely verifies, so radsrv_parse also
 * runs on every packet the codec accepts.
 */
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>

#include "aaa/radsrv.h"
#include "core/daemon.h"
#include "core/log.h"

static void act(void *arg, const struct radsrv_req *r, struct radsrv_result *res)
{
	(void)arg;
	res->matched = r->have & 1; /* "found" when a User-Name was given */
	res->templates = (r->have >> 1) & 1;
}

static const struct radsrv_ops ops = {act};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct daemon d;
	static struct sockaddr_in peer;
	if (d.radsrv == NULL) {
		for (int f = 0; f < LG_NFLAGS; f++)
			log_set((enum log_flag)f, false);
		d.radsrv_ops = &ops;
		struct radsrv *s = radsrv_get(&d);
		if (s == NULL)
			return 0;
		peer.sin_family = AF_INET;
		peer.sin_addr.s_addr = htonl(0x7f000001);
		radsrv_peer_set(&s->conf, peer.sin_addr, "s");
	}
	struct rad_pkt p;
	struct radsrv_req r;
	if (rad_parse(&p, data, size) == 0)
		(void)radsrv_parse(&p, &r);
	static uint8_t out[RAD_MAX_PKT];
	static time_t now;
	(void)radsrv_input(d.radsrv, &peer, data, size, ++now, out, sizeof out);
	return 0;
}
