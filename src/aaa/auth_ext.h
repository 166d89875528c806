/*
 * The ext-auth backend (radius.md §5.1-5.3), one row of the chain in
 * auth.c (auth_backend.h: auth_ext_start / auth_ext_cancel). The program
 * `set auth extauth-script` names is started through the shell as
 * `<program> '<login>'` (a login with a quote or newline is refused), the
 * request is written to its stdin and the reply read from its stdout until
 * it exits, all on the event loop (core/proc: its own process group, killed
 * at `set auth timeout`, reaped on the loop).
 *
 * RESULT SUCCESS accepts (with a password or NT hash for MS-CHAP, the
 * response is still judged: that yields the authenticator and MPPE keys);
 * UNDEF has us judge the peer's response from USER_PASSWORD or USER_NT_HASH;
 * anything else, or a program that fails, passes to the next backend with
 * REPLY_MESSAGE kept for the peer.
 */
#ifndef MPD_AAA_AUTH_EXT_H
#define MPD_AAA_AUTH_EXT_H

#include "aaa/auth_backend.h"

#endif
