/* Accounting-Responses as the radius-acct backend reads them: any datagram the codec
 * parses goes through the mpd-drop-user reader. */
#include <stdint.h>
#include <stddef.h>

#include "aaa/acct_radius.h"
#include "aaa/rad_pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rad_pkt p;
	if (rad_parse(&p, data, size) == 0)
		(void)acct_radius_drop_user(&p);
	return 0;
}
