/* The bundle's IPCP engine glue: address choice, timers and events. Internal to link/. */
#ifndef MPD_BUND_IPCP_H
#define MPD_BUND_IPCP_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

struct bundle;
struct link;
struct cmd_ctx;

/* Choose addresses for the peer of first link l and open IPCP; -1 when no address is free. */
int bund_ipcp_start(struct bundle *b, struct link *l);
/* Stop IPCP, bring the IPv4 side down and return pool addresses. */
void bund_ipcp_free(struct bundle *b);
/* The peer's address (negotiated, or being offered while IPCP runs); 0.0.0.0 without IPCP. */
struct in_addr bund_ipcp_peer(const struct bundle *b);
/* The peer rejected IPCP (LCP Protocol-Reject): IPCP stops at once. */
void bund_ipcp_rejected(struct bundle *b);
/* One IPCP packet from a link. */
void bund_ipcp_input(struct bundle *b, const uint8_t *pkt, size_t len);
/* IPCP state name for show. */
const char *bund_ipcp_state_name(const struct bundle *b);
/* Negotiated values for `show ipcp`. */
void bund_ipcp_show(struct cmd_ctx *c, const struct bundle *b);

#endif
