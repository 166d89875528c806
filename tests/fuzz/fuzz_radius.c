/* Fuzz the RADIUS codec: parse, walk every attribute and VSA sub-attribute, read, verify, print. */
#include <stdint.h>
#include <string.h>

#include "aaa/rad_pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rad_pkt p;
	if (rad_parse(&p, data, size) < 0)
		return 0;
	struct rad_iter it;
	struct rad_attr a;
	rad_iter_init(&it, &p);
	while (rad_iter_next(&it, &a)) {
		uint32_t v;
		uint8_t tag, plen;
		struct in_addr a4;
		struct in6_addr a6;
		char s[RAD_MAX_ATTR + 1];
		uint8_t key[RAD_MAX_ATTR], lm[8], nt[16];
		(void)rad_attr_u32(&a, &v);
		(void)rad_attr_ipv4(&a, &a4);
		(void)rad_attr_ipv6(&a, &a6);
		(void)rad_attr_ipv6_prefix(&a, &a6, &plen);
		(void)rad_attr_tagged_u32(&a, &tag, &v);
		(void)rad_attr_string(&a, s, sizeof s);
		(void)rad_attr_name(a.vendor, a.type == RAD_VENDOR_SPECIFIC ? a.vtype : a.type);
		(void)rad_mppe_key_decrypt(a.data, a.len, "s", 1, p.auth, key, sizeof key);
		(void)rad_tunnel_password_decrypt(a.data, a.len, "s", 1, p.auth, &tag, key, sizeof key);
		(void)rad_mschap_mppe_keys_decrypt(a.data, a.len, "s", 1, p.auth, lm, nt);
		if (a.type == RAD_USER_PASSWORD && a.vendor == 0)
			(void)rad_password_unhide(a.data, a.len, "s", 1, p.auth, s, sizeof s);
	}
	uint8_t cat[RAD_MAX_PKT];
	(void)rad_concat(&p, RAD_EAP_MESSAGE, cat, sizeof cat);
	char line[8192], small[48];
	rad_print(&p, line, sizeof line);
	rad_print(&p, small, sizeof small);
	(void)rad_verify_request(&p, "s", 1, 0);
	(void)rad_verify_response(&p, data, size < RAD_HDR_LEN ? RAD_HDR_LEN : size, "s", 1, RAD_REQUIRE_MA);
	return 0;
}
