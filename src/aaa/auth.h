/*
 * Authentication backends for a link (commands.md §9.1): checking the
 * peer's credentials and finding our own. The `internal` backend is
 * mpd.secret; RADIUS, ext-auth, PAM and system accounts come later.
 */
#ifndef MPD_AAA_AUTH_H
#define MPD_AAA_AUTH_H

#include <stddef.h>
#include <stdint.h>

struct link;

#define AUTH_MAXNAME 256
#define AUTH_MAXPASS 256

/* Judge a PAP login; 0 = accepted, -1 with a reason in msg. */
int auth_check_pap(struct link *l, const char *name, const char *password, char *msg, size_t msglen);
/* Judge a CHAP-MD5 response; 0 = accepted, -1 with a reason in msg. */
int auth_check_chap_md5(struct link *l, const char *name, uint8_t id, const uint8_t *chal, size_t clen,
			const uint8_t *resp, size_t rlen, char *msg, size_t msglen);
/* Our login and password for the peer: `set auth` or mpd.secret; -1 when none. */
int auth_own_credentials(struct link *l, char *name, size_t nlen, char *pw, size_t pwlen);

#endif
