#include "dev/pppoe/pppoe_mac.h"

#include <stdio.h>
#include <string.h>

const char *const pppoe_macfmt_names[] = {
	[PPPOE_MAC_UNFORMATTED] = "unformatted",
	[PPPOE_MAC_UNIX] = "unix-like",
	[PPPOE_MAC_CISCO] = "cisco-like",
	[PPPOE_MAC_IETF] = "ietf",
	[PPPOE_MAC_IETF + 1] = NULL,
};

int pppoe_macfmt_parse(const char *name)
{
	for (size_t i = 0; pppoe_macfmt_names[i] != NULL; i++)
		if (strcmp(name, pppoe_macfmt_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *pppoe_macfmt_name(enum pppoe_macfmt f)
{
	if ((unsigned)f > PPPOE_MAC_IETF)
		return "?";
	return pppoe_macfmt_names[f];
}

char *pppoe_mac_format(const uint8_t m[6], enum pppoe_macfmt f, char *buf, size_t len)
{
	switch (f) {
	case PPPOE_MAC_UNIX:
		snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
		break;
	case PPPOE_MAC_CISCO:
		snprintf(buf, len, "%02x%02x.%02x%02x.%02x%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
		break;
	case PPPOE_MAC_IETF:
		snprintf(buf, len, "%02x-%02x-%02x-%02x-%02x-%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
		break;
	case PPPOE_MAC_UNFORMATTED:
	default:
		snprintf(buf, len, "%02x%02x%02x%02x%02x%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
		break;
	}
	return buf;
}
