/* Which offers and requests fit each other: service names, AC names, RFC 4638 payloads. */
#ifndef MPD_PPPOE_MATCH_H
#define MPD_PPPOE_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dev/pppoe/pppoe_proto.h"

/* Largest PPP-Max-Payload a server agrees to: a frame must fit a default pbuf. */
#define PPPOE_MAX_PAYLOAD_LIMIT 4000

/* Server: does a listener configured with `ours` ("*" = any) answer a request for req? */
bool pppoe_service_offered(const char *ours, const uint8_t *req, size_t reqlen);
/* Client: split `set pppoe service` ("AC\Service", "Service", "*") into AC-Name and service;
 * empty strings mean "any". -1 when a part does not fit its buffer. */
int pppoe_service_split(const char *conf, char *ac, size_t aclen, char *svc, size_t svclen);
/* Client: does a PADO (parsed d, raw tags payload/len) offer what we want? */
bool pppoe_pado_acceptable(const char *want_ac, const char *want_svc, const struct pppoe_disc *d,
			   const uint8_t *payload, size_t len);
/* Server: PPP-Max-Payload to echo for a request of `asked` on an interface of MTU ifmtu; 0 = none. */
uint16_t pppoe_max_payload_offer(uint16_t asked, unsigned ifmtu);
/* Client: the MRU we may use after asking `asked` (0 = did not ask) and the PADS said d. */
unsigned pppoe_max_payload_result(uint16_t asked, const struct pppoe_disc *d);

#endif
