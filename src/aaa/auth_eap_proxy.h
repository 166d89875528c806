/*
 * EAP relayed to a RADIUS server (`set eap enable radius-proxy`, RFC 3579
 * §3, commands.md §9.2, radius.md §2.2): every EAP Response of the peer
 * goes to the server in EAP-Message attributes (split at 253 bytes) with
 * the State of the last Access-Challenge and a Message-Authenticator; the
 * server answers with the next EAP Request (Access-Challenge), or its
 * verdict (Access-Accept with the EAP Success and the MPPE keys,
 * Access-Reject with the EAP Failure). Whatever method the server speaks
 * works: we never look inside the EAP packets.
 *
 * One relay per authentication; one request in flight at a time (the EAP
 * engine does not pass on a Response while the previous one is out).
 */
#ifndef MPD_AAA_AUTH_EAP_PROXY_H
#define MPD_AAA_AUTH_EAP_PROXY_H

#include <stddef.h>
#include <stdint.h>

#include "aaa/auth.h"

struct daemon;

#define EAP_RELAY_MAX 4096 /* largest EAP packet relayed either way (the engine keeps 4096) */

enum eap_relay_kind {
	EAP_RELAY_CHALLENGE, /* eap: the next Request for the peer */
	EAP_RELAY_ACCEPT,    /* eap: the Success (may be absent); res: what came with the Accept */
	EAP_RELAY_REJECT,    /* eap: the Failure (may be absent); res->msg: Reply-Message */
	EAP_RELAY_ERROR,     /* no server answered, or the answer was unusable */
};

/* What the server said; valid only during the callback. */
struct eap_relay_answer {
	enum eap_relay_kind kind;
	const uint8_t *eap;
	size_t eap_len;
	const struct auth_result *res;
};

typedef void (*eap_relay_fn)(const struct eap_relay_answer *a, void *arg);

struct eap_relay;

/* A relay for one EAP authentication; q gives the login (EAP identity), the common attributes and
 * the link's `set radius`. fn runs once per eap_relay_send, from the loop. NULL when out of memory. */
struct eap_relay *eap_relay_new(struct daemon *d, const struct auth_request *q, eap_relay_fn fn, void *arg);
/* Relay one EAP Response of the peer; -1 when one is still out or pkt is too long. */
int eap_relay_send(struct eap_relay *r, const uint8_t *pkt, size_t len);
/* Stop: a request in flight is cancelled (its callback never runs); State and secrets wiped. */
void eap_relay_free(struct eap_relay *r);

#endif
