/*
 * Stateless AC-Cookies: the PADO carries a keyed MAC of the peer's
 * address and the time, so a PADI flood costs the concentrator no memory.
 */
#ifndef MPD_PPPOE_COOKIE_H
#define MPD_PPPOE_COOKIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PPPOE_COOKIE_LEN 20    /* 4-byte issue time + 16 bytes of HMAC-SHA256 */
#define PPPOE_COOKIE_LIFE 60   /* seconds a cookie stays valid */

struct pppoe_cookie_key {
	uint8_t secret[32];
};

/* Fill the key with fresh bytes from core/rand; returns 0 (rand_bytes aborts rather than fail). */
int pppoe_cookie_key_init(struct pppoe_cookie_key *k);
/* The cookie for peer at time now (seconds of any monotonic clock). */
void pppoe_cookie_make(const struct pppoe_cookie_key *k, const uint8_t peer[6], uint32_t now,
		       uint8_t out[PPPOE_COOKIE_LEN]);
/* True when c is a cookie we issued to peer less than PPPOE_COOKIE_LIFE seconds ago. */
bool pppoe_cookie_check(const struct pppoe_cookie_key *k, const uint8_t peer[6], uint32_t now,
			const uint8_t *c, size_t len);

#endif
