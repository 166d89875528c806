/*
 * The AAA attribute rules (aaa/auth_attr) fed arbitrary values: Framed-Route
 * text, mpd-action text and the MS-CHAP-Error / MS-CHAP2-Success values a
 * server sends. Each must answer without reading or writing out of bounds,
 * and what it accepts must hold its promises.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aaa/auth_attr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the RADIUS attribute value is at most 253 bytes; a string gets a NUL */
	char s[254];
	size_t n = size < sizeof(s) - 1 ? size : sizeof(s) - 1;
	memcpy(s, data, n);
	s[n] = '\0';

	struct auth_route4 r;
	if (auth_route_parse(s, &r) == 0) {
		if (r.width < 0 || r.width > 32)
			abort();
		uint32_t host = r.width == 32 ? 0 : 0xffffffffu >> r.width;
		if ((ntohl(r.dest.s_addr) & host) != 0)
			abort();
	}
	enum auth_action k;
	char target[32];
	if (auth_action_parse(s, &k, target, sizeof(target)) == 0 && strlen(target) >= sizeof(target))
		abort();

	char text[80];
	unsigned code;
	auth_ms_error(data, n, text, sizeof(text), &code);
	if (strlen(text) >= sizeof(text) || code == 0)
		abort();
	char ok[43];
	if (auth_ms_success(data, n, ok) == 0 && (strlen(ok) != 42 || ok[0] != 'S'))
		abort();
	return 0;
}
