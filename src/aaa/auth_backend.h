/*
 * What a peer-authentication backend sees (aaa/ internal; the link only
 * sees aaa/auth.h). auth.c keeps one table of backends, one row each, tried
 * in mpd5's order (commands.md §9.1): ext-auth, radius-auth, pam-auth,
 * system-auth, opie, internal. A row whose option bit is off on the link, or
 * whose start is NULL, is skipped.
 *
 * A backend's start() begins its work and returns; later (from the loop, or
 * even inside start) it calls auth_backend_done() exactly once, unless its
 * cancel() ran first. SUCCESS ends the chain with the result the backend
 * filled; UNDEF (a password to check the peer's response with) ends it too,
 * with our own judgement; FAIL and errors go on to the next backend, as a
 * RADIUS reject falls through to mpd.secret when `internal` is enabled.
 */
#ifndef MPD_AAA_AUTH_BACKEND_H
#define MPD_AAA_AUTH_BACKEND_H

#include <stdint.h>

#include "aaa/auth.h"
#include "aaa/rad_pkt.h"

enum auth_verdict { AUTH_V_SUCCESS, AUTH_V_UNDEF, AUTH_V_FAIL };

/* One row of the backend table. */
struct auth_backend {
	unsigned opt;                       /* AOPT_* bit in auth_request.backends */
	const char *name;                   /* for logs: "radius-auth" */
	void (*start)(struct auth_pending *p);
	/* Stop whatever start began (program, request); no auth_backend_done afterwards. May be NULL. */
	void (*cancel)(struct auth_pending *p);
};

/* The request being judged (a copy; valid until the pending check ends). */
const struct auth_request *auth_pending_req(const struct auth_pending *p);
/* The result the backend fills (reset to unset values before each backend runs). */
struct auth_result *auth_pending_result(struct auth_pending *p);
/* The daemon (event loop, shared state). */
struct daemon *auth_pending_daemon(const struct auth_pending *p);
/* The backend's private state slot, NULL when a backend starts; the backend frees it. */
void **auth_pending_state(struct auth_pending *p);
/* The backend's answer; password is used only with UNDEF (the peer's response is judged against it). */
void auth_backend_done(struct auth_pending *p, enum auth_verdict v, const char *password);

/* The radius-auth backend (aaa/auth_radius.c). */
void auth_radius_start(struct auth_pending *p);
/* Cancel a radius-auth request in flight. */
void auth_radius_cancel(struct auth_pending *p);
/* Every attribute of an Access-Accept/-Reject into r (radius.md §2.8); unknown ones logged. Fuzzed. */
void auth_radius_take_reply(struct auth_result *r, const struct rad_pkt *pkt, const char *who);

#endif
