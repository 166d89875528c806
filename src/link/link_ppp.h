/*
 * Glue between a link and its protocol engines (LCP, PAP, CHAP): the
 * owner callbacks the engines need, timers, keep-alive and the auth phase.
 * Internal to link/.
 */
#ifndef MPD_LINK_PPP_H
#define MPD_LINK_PPP_H

#include <stddef.h>
#include <stdint.h>

struct link;
struct mschap_keys;
struct lcp_neg;

/* Allocate the engines for a new connection; NULL on OOM. */
struct link_ppp *link_ppp_new(struct link *l);
/* Free the engines and stop their timers. */
void link_ppp_free(struct link_ppp *p);
/* The device is up: LCP Up (and Open). */
void link_ppp_lower_up(struct link *l);
/* The device went down: LCP Down. */
void link_ppp_lower_down(struct link *l);
/* Administrative OPEN of LCP. */
void link_ppp_open(struct link *l);
/* Administrative CLOSE of LCP. */
void link_ppp_close(struct link *l);
/* A control frame for LCP, PAP or CHAP (payload after the protocol field). */
void link_ppp_input(struct link *l, uint16_t proto, const uint8_t *p, size_t len);
/* Answer a frame of an unknown protocol with LCP Protocol-Reject. */
void link_ppp_protrej(struct link *l, const uint8_t *frame, size_t len);
/* LCP state name for show commands. */
const char *link_ppp_state_name(const struct link *l);
/* True once LCP is Opened. */
bool link_ppp_lcp_opened(const struct link *l);
/* The text of the peer's LCP Identification (RFC 1570), "" when none; NULL while no LCP. */
const char *link_ppp_peer_ident(const struct link *l);
/* Negotiated peer MRU (what we may send), 0 when not negotiated. */
unsigned link_ppp_peer_mru(const struct link *l);
/* LCP's negotiated values (multilink for joining), NULL unless LCP is Opened. */
const struct lcp_neg *link_ppp_neg(const struct link *l);
/* True when the peer accepted PFC (we may compress protocol fields). */
bool link_ppp_tx_pfc(const struct link *l);
/* True when we accepted the peer's PFC (it may send compressed protocol fields). */
bool link_ppp_rx_pfc(const struct link *l);
/* True when the peer accepted ACFC. */
bool link_ppp_tx_acfc(const struct link *l);
/* Print LCP negotiated values for `show lcp`. */
void link_ppp_show_lcp(struct cmd_ctx *c, const struct link *l);
/* Print authentication state for `show auth`. */
void link_ppp_show_auth(struct cmd_ctx *c, const struct link *l);
/* MPPE start keys from this connection's MS-CHAP (the peer's authentication wins over ours); NULL when none. */
const struct mschap_keys *link_ppp_mppe_keys(const struct link *l);

/* Upcalls from link_ppp.c into link.c. */
void link_phase_auth(struct link *l);
void link_phase_network(struct link *l);
void link_lcp_down(struct link *l);
void link_lcp_finished(struct link *l);
void link_auth_failed(struct link *l, const char *reason);

#endif
