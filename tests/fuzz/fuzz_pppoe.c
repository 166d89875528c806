/* Arbitrary frames into the PPPoE frame, tag and vendor parsers, and the policy checks that read tags. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dev/pppoe/pppoe_match.h"
#include "dev/pppoe/pppoe_proto.h"

static void fuzz_disc(const struct pppoe_frame *f)
{
	struct pppoe_disc d;
	const char *why;
	uint8_t out[PPPOE_ETH_HLEN + PPPOE_DISC_MAX];

	if (pppoe_disc_parse(f->payload, f->len, &d, &why) < 0)
		return;
	(void)pppoe_disc_has_service(f->payload, f->len, (const uint8_t *)"isp", 3);
	(void)pppoe_pado_acceptable("ac", "isp", &d, f->payload, f->len);
	(void)pppoe_pado_acceptable("", "", &d, f->payload, f->len);
	(void)pppoe_max_payload_result(1500, &d);
	/* What the concentrator echoes must always build or be refused cleanly. */
	struct pppoe_disc o = {0};
	o.acname = (struct pppoe_blob){.p = (const uint8_t *)"ac", .len = 2, .set = true};
	o.service = d.service;
	o.host_uniq = d.host_uniq;
	o.relay_sid = d.relay_sid;
	o.circuit_id = d.circuit_id;
	o.remote_id = d.remote_id;
	size_t n = pppoe_build_pado(out, sizeof(out), f->src, f->dst, &o);
	if (n > 0) {
		struct pppoe_frame g;
		struct pppoe_disc e;
		if (pppoe_frame_parse(out, n, &g, &why) != 0 || pppoe_disc_parse(g.payload, g.len, &e, &why) != 0)
			__builtin_trap();
		if (e.host_uniq.set != d.host_uniq.set || e.host_uniq.len != d.host_uniq.len)
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pppoe_frame f;
	struct pppoe_blob cid = {0}, rid = {0};
	const char *why;

	(void)pppoe_vendor_parse(data, size, &cid, &rid);
	if (pppoe_frame_parse(data, size, &f, &why) < 0)
		return 0;
	if (f.ethertype == PPPOE_ETHERTYPE_DISC)
		fuzz_disc(&f);
	return 0;
}
