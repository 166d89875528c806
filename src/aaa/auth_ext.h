/*
 * The ext-auth backend's program (radius.md §5.1-5.3): started through the
 * shell as `<program> '<login>'`, the request written to its stdin, the
 * reply read from its stdout until it exits, all on the event loop
 * (core/proc: its own process group, killed at the timeout, reaped on the
 * loop). What the reply means for the verdict (SUCCESS, UNDEF, FAIL) is
 * decided by the chain in auth.c.
 */
#ifndef MPD_AAA_AUTH_EXT_H
#define MPD_AAA_AUTH_EXT_H

#include <event2/event.h>

#include "aaa/auth.h"
#include "aaa/ext_proto.h"

struct auth_ext;

/* The parsed reply (res holds its authorization), or rep NULL when the program failed or timed out. */
typedef void (*auth_ext_fn)(const struct ext_auth_reply *rep, const struct auth_result *res, void *arg);

/* Ask q->ext_script about q; done runs once, later, unless cancelled; NULL (logged) when it can't start. */
struct auth_ext *auth_ext_start(struct event_base *base, const struct auth_request *q, auth_ext_fn done, void *arg);
/* Kill the program and drop the callback (the child is still reaped on the loop). */
void auth_ext_cancel(struct auth_ext *x);

#endif
