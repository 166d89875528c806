/* The PPPoE device (RFC 2516) as seen by the rest of the daemon. */
#ifndef MPD_PPPOE_H
#define MPD_PPPOE_H

#include <stddef.h>
#include <stdint.h>

#include "conf/cmd.h"
#include "dev/dev.h"

struct link;


extern const struct dev_type dev_pppoe;

/* DSL Forum Agent-Circuit-Id of a pppoe link's session; sets *p, returns the length (0: none). */
size_t pppoe_agent_circuit_id(const struct link *l, const uint8_t **p);
/* DSL Forum Agent-Remote-Id of a pppoe link's session; sets *p, returns the length (0: none). */
size_t pppoe_agent_remote_id(const struct link *l, const uint8_t **p);
/* The Ethernet interface a pppoe link's session runs on (RADIUS NAS-Port-Id), "" when none. */
const char *pppoe_session_iface(const struct link *l);
/* Called-Station-Id of a pppoe session (radius.md §2.1): the service name the peer asked for
 * on an incoming session, the AC's MAC (in `set pppoe mac-format`) on one we dialled. */
const char *pppoe_called_id(const struct link *l, char *buf, size_t len);

#endif
