/*
 * `!program` passwords of mpd.secret (commands.md §4.2), run on the event
 * loop through core/proc: the loop never waits for the program. The login
 * comes from the peer, so it reaches the shell as "$1" and is never parsed
 * as shell text. After the timeout the program's process group is killed
 * and the lookup fails.
 */
#ifndef MPD_AAA_AUTH_PROG_H
#define MPD_AAA_AUTH_PROG_H

#include <stddef.h>
#include <event2/event.h>

struct auth_prog;

/* The first output line (CR stripped, cut to the caller's size), or NULL on failure, empty
 * output, non-zero exit or timeout; the buffer is wiped after the call. */
typedef void (*auth_prog_fn)(const char *password, void *arg);

/* Run "<cmd> "$1"" with $1 = login; done runs once, later, unless cancelled; NULL when nothing could start. */
struct auth_prog *auth_prog_start(struct event_base *base, const char *cmd, const char *login,
				  unsigned timeout_ms, size_t maxlen, auth_prog_fn done, void *arg);
/* Kill the program and drop the callback (the child is still reaped on the loop). */
void auth_prog_cancel(struct auth_prog *ap);

#endif
