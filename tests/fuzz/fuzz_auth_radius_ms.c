/*
 * The MS-CHAP part of RADIUS replies (aaa/auth_radius_ms) fed arbitrary
 * packets that pass the codec's parser: MS-CHAP2-Success, the salt-encrypted
 * MPPE keys, MS-CHAP-MPPE-Keys, MS-CHAP-Error and MS-CHAP-Domain of any
 * length must be read without going out of bounds, for both versions and
 * both verdicts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aaa/auth_radius_ms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rad_pkt p;
	if (rad_parse(&p, data, size) < 0)
		return 0;
	static const uint8_t req_auth[RAD_AUTH_LEN] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
	struct rad_response resp = {.outcome = RAD_ANSWERED, .code = p.code, .pkt = &p, .req_auth = req_auth,
				    .secret = "fuzz", .server = "fuzz"};
	for (int v = 0; v < 2; v++) {
		struct auth_request q = {.method = v ? AUTH_MSCHAP_V2 : AUTH_MSCHAP_V1};
		q.challenge_len = v ? 16 : 8;
		struct auth_result r;
		memset(&r, 0, sizeof(r));
		int rc = auth_radius_ms_reply(&resp, &q, &r, "fuzz");
		if (strlen(r.msg) >= sizeof(r.msg) || strlen(r.mschap_error) >= sizeof(r.mschap_error) ||
		    strlen(r.mschap_domain) >= sizeof(r.mschap_domain))
			abort();
		if (rc == 0 && v && p.code == RAD_ACCESS_ACCEPT && strlen(r.authresp) != 42)
			abort();
	}
	return 0;
}
