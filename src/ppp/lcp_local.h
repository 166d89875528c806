/* Internal to LCP: shared between its option code and its extra-codes code. */
#ifndef MPD_PPP_LCP_LOCAL_H
#define MPD_PPP_LCP_LOCAL_H

#include "ppp/fsm.h"

/* LCP codes 8-13 (Protocol-Reject, Echo, Discard, Identification, Time-Remaining). */
enum fsm_xcode lcp_extra(struct fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len);

#endif
