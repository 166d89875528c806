/* Peer MAC text forms of `set pppoe mac-format` (for Calling-Station-Id and show). */
#ifndef MPD_PPPOE_MAC_H
#define MPD_PPPOE_MAC_H

#include <stddef.h>
#include <stdint.h>

enum pppoe_macfmt { PPPOE_MAC_UNFORMATTED, PPPOE_MAC_UNIX, PPPOE_MAC_CISCO, PPPOE_MAC_IETF };

/* Format by its command name ("unix-like"); -1 when unknown. */
int pppoe_macfmt_parse(const char *name);
/* The format names, indexed by enum pppoe_macfmt, NULL-ended (`set pppoe mac-format`). */
extern const char *const pppoe_macfmt_names[];
/* Command name of a format. */
const char *pppoe_macfmt_name(enum pppoe_macfmt f);
/* Write mac in format f into buf (18 bytes are always enough); returns buf. */
char *pppoe_mac_format(const uint8_t mac[6], enum pppoe_macfmt f, char *buf, size_t len);

#endif
