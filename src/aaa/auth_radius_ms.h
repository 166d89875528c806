/*
 * MS-CHAP v1/v2 over RADIUS (RFC 2548 §2.3, radius.md §2.2 and §2.8): the
 * attributes an Access-Request carries for them, and what an Access-Accept
 * or Access-Reject says back (the v2 authenticator response, MPPE keys,
 * policy, domain, the MS-CHAP-Error for the peer). The radius-auth backend
 * (auth_radius.c) calls these for the MS-CHAP methods; aaa/ internal.
 */
#ifndef MPD_AAA_AUTH_RADIUS_MS_H
#define MPD_AAA_AUTH_RADIUS_MS_H

#include <stdbool.h>

#include "aaa/auth.h"
#include "aaa/rad_client.h"
#include "aaa/rad_pkt.h"

/* True for the methods these functions handle (MS-CHAPv1, MS-CHAPv2). */
bool auth_radius_ms_method(enum auth_method m);

/* Add MS-CHAP-Challenge and MS-CHAP-Response (v1, 50 bytes) or MS-CHAP2-Response (v2, 50 bytes)
 * built from the peer's Response in q; 0, or -1 when q's challenge/response have the wrong size. */
int auth_radius_ms_request(struct rad_builder *b, const struct auth_request *q);

/*
 * The MS-CHAP part of a reply to that request, into r. Accept: MS-CHAP2-Success (v2: required,
 * its Ident byte stripped), MS-MPPE-Send/Recv-Key (RFC 2548 §2.4.2, decrypted with the answering
 * server's secret and our Request Authenticator) or MS-CHAP-MPPE-Keys (v1, §2.4.1), the MPPE
 * policy/types and MS-CHAP-Domain. Reject: MS-CHAP-Error gives r->ms_error, r->mschap_error and the
 * M= text as r->msg. Returns 0, or -1 when an Accept can't be honoured (v2 without a valid
 * MS-CHAP2-Success): the caller then treats it as a failure. Logs under log_name.
 */
int auth_radius_ms_reply(const struct rad_response *resp, const struct auth_request *q, struct auth_result *r,
			 const char *log_name);

/* The MPPE keys of an Accept of any method (EAP proxy too): MS-MPPE-Send/Recv-Key decrypted into
 * r->keys (src = v2 keys); true when both came. */
bool auth_radius_mppe_keys(const struct rad_response *resp, struct auth_result *r, const char *log_name);

#endif
