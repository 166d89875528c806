/* LCP engine under arbitrary packets, in any state and configuration. */
#include <string.h>

#include "fuzz_common.h"
#include "ppp/lcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lcp l;
	uint32_t seed = 1;
	struct fsm_owner o = { &seed, fz_send, fz_timer, fz_rand, fz_event };
	struct lcp_conf c = { .name = "fz", .mru = 1500, .max_mru = 1600, .mtu = 1500,
			      .accmap = 0xa0000, .timeout = 2, .ka_sec = 5, .ka_max = 20 };
	const uint8_t *chunk;
	size_t len;

	fz_quiet();
	if (size < 3)
		return 0;
	/* Two bytes of configuration, one of starting point. */
	/* multilink and shortseq (bits 12 and 13) come from the second byte */
	c.opts.enable = data[0] | (uint32_t)(data[1] & 0x30) << 8;
	c.mrru = 1600;
	c.disc = (struct mp_epdisc){ .class = 3, .len = 6, .addr = { 2, 0, 0, 0, 0, 1 } };
	c.opts.accept = (uint32_t)data[0] << 8 | data[1];
	c.async = data[1] & 1;
	c.originated = data[1] & 2;
	uint8_t start = data[2];
	data += 3;
	size -= 3;
	lcp_init(&l, &c, &o);
	if (start & 1)
		fsm_open(&l.fsm);
	if (start & 2)
		fsm_up(&l.fsm);
	while (fz_next(&data, &size, &chunk, &len)) {
		lcp_input(&l, chunk, len);
		/* Chunks of odd length also poke the timer and keep-alive. */
		if (len & 1)
			fsm_timeout(&l.fsm);
		if (len % 3 == 0)
			lcp_keepalive(&l, len & 4);
		if (len == 7)
			lcp_send_protrej(&l, chunk, len);
		if (len == 11)
			fsm_close(&l.fsm, "fz");
	}
	return 0;
}
