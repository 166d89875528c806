/* Fuzz the ext-auth and ext-acct reply parsers (radius.md §5.3, §5.4) and the request builder. */
#include <stdint.h>
#include <string.h>

#include "aaa/ext_proto.h"
#include "core/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool quiet;
	if (!quiet) {
		for (int f = 0; f < LG_NFLAGS; f++)
			log_set((enum log_flag)f, false);
		quiet = true;
	}
	if (size > EXT_REPLY_MAX)
		return 0;
	struct ext_auth_reply rep;
	struct auth_result res;
	auth_result_init(&res);
	ext_auth_reply_parse((const char *)data, size, "fuzz", &rep, &res);
	struct ext_acct_reply arep;
	ext_acct_reply_parse((const char *)data, size, "fuzz", &arep);

	/* whatever a peer sends as login and password, each value stays one line */
	struct auth_request q = {.method = (enum auth_method)(size % 5)};
	size_t half = size / 2 < sizeof(q.name) - 1 ? size / 2 : sizeof(q.name) - 1;
	memcpy(q.name, data, half);
	size_t rest = size - half < sizeof(q.password) - 1 ? size - half : sizeof(q.password) - 1;
	memcpy(q.password, data + half, rest);
	static struct ext_msg m;
	if (ext_auth_request(&m, &q)) {
		size_t lines = 0;
		for (size_t i = 0; i < m.len; i++)
			lines += m.buf[i] == '\n';
		if (lines != (q.method == AUTH_PAP ? 18u : 17u))
			__builtin_trap();
	}
	return 0;
}
