/*
 * The RADIUS client transport (aaa/rad_client.h).
 */
#include "aaa/rad_client.h"

#include <string.h>

void radius_conf_defaults(struct radius_conf *rc)
{
	memset(rc, 0, sizeof(*rc));
	rc->timeout = RAD_DEF_TIMEOUT;
	rc->retries = RAD_DEF_RETRIES;
}
