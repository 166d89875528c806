/*
 * MS-CHAP v1 (RFC 2433) and v2 (RFC 2759) algorithms, the MPPE key
 * derivations of RFC 3079, and the text of MS-CHAP Success and Failure
 * messages. Pure functions, no state: the CHAP engine and the
 * authentication backends both use them.
 */
#ifndef MPD_PPP_MSCHAP_H
#define MPD_PPP_MSCHAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MSCHAP_HASH_LEN 16	/* NT password hash, its hash, LM hash */
#define MSCHAP_V1_CHAL_LEN 8
#define MSCHAP_V2_CHAL_LEN 16
#define MSCHAP_NT_RESP_LEN 24
#define MSCHAP_RESP_LEN 49	/* Value-Size of every MS-CHAP Response */
#define MSCHAP_AUTHRESP_LEN 42	/* "S=" and 40 hex digits */
#define MSCHAP_MAXPW 256	/* Unicode characters of a password (RFC 2759 §8.1) */

/* Offsets in the 49-byte Response value. */
#define MSCHAP_V1_LM_OFF 0	/* LM response (we send zeros) */
#define MSCHAP_V1_NT_OFF 24
#define MSCHAP_V1_FLAG_OFF 48	/* 1 = use the NT response */
#define MSCHAP_V2_PEER_OFF 0	/* Peer-Challenge */
#define MSCHAP_V2_NT_OFF 24
#define MSCHAP_V2_FLAG_OFF 48	/* reserved, zero */

/* Failure codes of the "E=" field (RFC 2433 §6, RFC 2759 §6). */
enum mschap_error {
	MSCHAP_E_RESTRICTED_HOURS = 646,
	MSCHAP_E_ACCT_DISABLED = 647,
	MSCHAP_E_PASSWD_EXPIRED = 648,
	MSCHAP_E_NO_DIALIN = 649,
	MSCHAP_E_AUTH_FAILURE = 691,
	MSCHAP_E_CHANGING_PASSWORD = 709,
};

/* Which exchange produced a set of MPPE keys. */
enum mschap_keysrc { MSCHAP_KEYS_NONE, MSCHAP_KEYS_V1, MSCHAP_KEYS_V2 };

/*
 * MPPE start keys from one MS-CHAP exchange, from this side's point of
 * view. 128-bit MPPE uses send/recv; 40- and 56-bit use the first 8 bytes
 * of send/recv after v2 and key8 (from the LM hash, both directions)
 * after v1 (RFC 3079 §2.1, §3.1).
 */
struct mschap_keys {
	enum mschap_keysrc src;
	uint8_t send[16];
	uint8_t recv[16];
	uint8_t key8[8];
	bool have_key8;		/* v1 only: the password gave an LM hash */
};

/* A parsed Failure text "E=... R=... C=... V=... M=..." (RFC 2759 §6). */
struct mschap_failure {
	unsigned error;		/* E= */
	bool retry;		/* R=1 */
	size_t chal_len;	/* bytes in chal (0 when no C=) */
	uint8_t chal[MSCHAP_V2_CHAL_LEN];
	unsigned version;	/* V=, 0 when absent */
	char msg[128];		/* M=, printable, may be empty */
};

/* NtPasswordHash: MD4 of the password as UTF-16LE (UTF-8 input; bytes that are not UTF-8 taken as Latin-1). */
void mschap_nt_hash(const char *pw, size_t len, uint8_t out[MSCHAP_HASH_LEN]);
/* HashNtPasswordHash: MD4 of an NT hash. */
void mschap_hash_hash(const uint8_t hash[MSCHAP_HASH_LEN], uint8_t out[MSCHAP_HASH_LEN]);
/* LmPasswordHash (RFC 2433 A.8): DES of "KGS!@#$%" under the upper-cased, 14-byte password; -1 when longer than 14. */
int mschap_lm_hash(const char *pw, size_t len, uint8_t out[MSCHAP_HASH_LEN]);
/* ChallengeResponse: three DES encryptions of an 8-byte challenge under the zero-padded 21-byte hash. */
void mschap_challenge_response(const uint8_t chal[8], const uint8_t hash[MSCHAP_HASH_LEN],
			       uint8_t out[MSCHAP_NT_RESP_LEN]);
/* The user name MS-CHAP hashes: the part after the last backslash (RFC 2759 §8.2). */
const char *mschap_strip_domain(const char *name);
/* ChallengeHash (RFC 2759 §8.2): SHA1(peer || auth || user without domain), first 8 bytes. */
void mschap2_challenge_hash(const uint8_t peer[MSCHAP_V2_CHAL_LEN], const uint8_t auth[MSCHAP_V2_CHAL_LEN],
			    const char *user, uint8_t out[8]);
/* GenerateNTResponse (RFC 2759 §8.1) from the NT hash. */
void mschap2_nt_response(const uint8_t auth[MSCHAP_V2_CHAL_LEN], const uint8_t peer[MSCHAP_V2_CHAL_LEN],
			 const char *user, const uint8_t hash[MSCHAP_HASH_LEN], uint8_t out[MSCHAP_NT_RESP_LEN]);
/* GenerateAuthenticatorResponse (RFC 2759 §8.7): "S=" and 40 upper-case hex digits, NUL-terminated. */
void mschap2_auth_response(const uint8_t hash[MSCHAP_HASH_LEN], const uint8_t nt[MSCHAP_NT_RESP_LEN],
			   const uint8_t peer[MSCHAP_V2_CHAL_LEN], const uint8_t auth[MSCHAP_V2_CHAL_LEN],
			   const char *user, char out[MSCHAP_AUTHRESP_LEN + 1]);
/* GetMasterKey (RFC 3079 §3.4) from the NT hash's hash and the NT-Response. */
void mppe_master_key(const uint8_t hash_hash[MSCHAP_HASH_LEN], const uint8_t nt[MSCHAP_NT_RESP_LEN],
		     uint8_t out[16]);
/* GetAsymmetricStartKey (RFC 3079 §3.4): len (8 or 16) bytes for the send or receive direction. */
void mppe_asym_start_key(const uint8_t master[16], uint8_t *out, size_t len, bool send, bool server);
/* GetNewKeyFromSHA (RFC 3079 §3.3 / RFC 3078 §7.3): the next key from the start key and the current one. */
void mppe_new_key(const uint8_t *start, const uint8_t *cur, size_t len, uint8_t *out);
/* MS-CHAPv1 128-bit start key (RFC 3079 §2.4): SHA1 over the NT hash's hash twice and the challenge. */
void mppe_v1_start_key(const uint8_t hash_hash[MSCHAP_HASH_LEN], const uint8_t chal[MSCHAP_V1_CHAL_LEN],
		       uint8_t out[16]);
/* Keys after MS-CHAPv2 for the authenticator (server) or the peer. */
void mschap2_keys(const uint8_t hash[MSCHAP_HASH_LEN], const uint8_t nt[MSCHAP_NT_RESP_LEN], bool server,
		  struct mschap_keys *k);
/* Keys after MS-CHAPv1; pw may be NULL when only the NT hash is known (no 40/56-bit key then). */
void mschap1_keys(const char *pw, size_t pwlen, const uint8_t hash[MSCHAP_HASH_LEN],
		  const uint8_t chal[MSCHAP_V1_CHAL_LEN], struct mschap_keys *k);
/* Parse an untrusted Failure message; -1 when it has no valid "E=" field. */
int mschap_parse_failure(const uint8_t *d, size_t len, struct mschap_failure *f);
/* Parse an untrusted MS-CHAPv2 Success message: the 40 hex digits after "S=" into authresp
 * (NUL-terminated, upper case), the "M=" text into msg; -1 when "S=" is missing or malformed. */
int mschap2_parse_success(const uint8_t *d, size_t len, char authresp[41], char *msg, size_t msglen);
/* Text of a Failure message we send; chal may be NULL (no C= field). */
int mschap_format_failure(char *out, size_t size, unsigned error, const uint8_t *chal, size_t chal_len,
			  const char *msg);
/* Name of an E= code for logs ("authentication failure", ...). */
const char *mschap_error_name(unsigned error);

#endif
