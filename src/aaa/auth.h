/*
 * Authentication backends for a link (commands.md §9.1): checking the
 * peer's credentials and finding our own. The `internal` backend is
 * mpd.secret; RADIUS, ext-auth, PAM and system accounts come later.
 */
#ifndef MPD_AAA_AUTH_H
#define MPD_AAA_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "ppp/mschap.h"

struct link;
struct chap_verify;

#define AUTH_MAXNAME 256
#define AUTH_MAXPASS 256

/* Judge a PAP login; 0 = accepted, -1 with a reason in msg. */
int auth_check_pap(struct link *l, const char *name, const char *password, char *msg, size_t msglen);
/* Judge a CHAP-MD5 response; 0 = accepted, -1 with a reason in msg. */
int auth_check_chap_md5(struct link *l, const char *name, uint8_t id, const uint8_t *chal, size_t clen,
			const uint8_t *resp, size_t rlen, char *msg, size_t msglen);
/* Judge an EAP-MD5 response (identity as name); 0 = accepted, -1 with a reason in msg. */
int auth_check_eap_md5(struct link *l, const char *name, uint8_t id, const uint8_t *chal, size_t clen,
		       const uint8_t *resp, size_t rlen, char *msg, size_t msglen);

/* What an MS-CHAP check yields besides the verdict. */
struct auth_mschap_out {
	unsigned ms_error;				/* E= code on failure (691, 649, ...) */
	char authresp[MSCHAP_AUTHRESP_LEN + 1];		/* v2 success: "S=..." */
	struct mschap_keys keys;			/* MPPE keys on success */
};

/* Judge an MS-CHAP v1/v2 response (keep-ms-domain applies); 0 = accepted, -1 with a reason in msg. */
int auth_check_mschap(struct link *l, const struct chap_verify *v, struct auth_mschap_out *out,
		      char *msg, size_t msglen);
/* Our login and password for the peer: `set auth` or mpd.secret; -1 when none. */
int auth_own_credentials(struct link *l, char *name, size_t nlen, char *pw, size_t pwlen);

#endif
