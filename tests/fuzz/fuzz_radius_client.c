/* Fuzz what the RADIUS client side parses: a reply's attributes into an auth_result
 * (auth_radius.c) and radius.conf lines (`set radius config`, rad_conf.c). */
#include <stdint.h>
#include <string.h>

#include "aaa/auth_backend.h"
#include "aaa/rad_conf.h"
#include "aaa/rad_pkt.h"
#include "core/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rad_pkt p;
	if (rad_parse(&p, data, size) == 0) {
		struct auth_result r;
		memset(&r, 0, sizeof(r));
		auth_radius_take_reply(&r, &p, "fuzz");
	}
	char line[1100];
	size_t n = size < sizeof(line) - 1 ? size : sizeof(line) - 1;
	memcpy(line, data, n);
	line[n] = '\0';
	struct rad_server_conf s;
	char err[160];
	(void)rad_conf_line(line, &s, err, sizeof(err));
	return 0;
}
