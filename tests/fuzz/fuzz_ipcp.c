/* IPCP engine under arbitrary packets, in any state and configuration. */
#include <arpa/inet.h>
#include <string.h>

#include "fuzz_common.h"
#include "ppp/ipcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ipcp p;
	uint32_t seed = 1;
	struct fsm_owner o = { &seed, fz_send, fz_timer, fz_rand, fz_event };
	struct ipcp_conf c = { .name = "fz", .timeout = 2 };
	const uint8_t *chunk;
	size_t len;

	fz_quiet();
	if (size < 3)
		return 0;
	c.opts.enable = data[0];
	if (data[1] & 1)
		c.local.s_addr = htonl(0x0a000001);
	c.local_width = data[1] >> 3;
	c.remote.s_addr = htonl(0x0a000000);
	c.remote_width = data[2] >> 3;
	if (data[1] & 2)
		c.assigned.s_addr = htonl(0x0a000005);
	if (data[1] & 4)
		c.dns[0].s_addr = htonl(0x08080808);
	if (data[2] & 1)
		c.nbns[1].s_addr = htonl(0x01010101);
	uint8_t start = data[2];
	data += 3;
	size -= 3;
	ipcp_init(&p, &c, &o);
	if (start & 2)
		fsm_open(&p.fsm);
	if (start & 4)
		fsm_up(&p.fsm);
	while (fz_next(&data, &size, &chunk, &len)) {
		ipcp_input(&p, chunk, len);
		if (len & 1)
			fsm_timeout(&p.fsm);
		if (len == 9)
			fsm_protocol_rejected(&p.fsm);
	}
	return 0;
}
