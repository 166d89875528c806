/*
 * CHAP (RFC 1994) with MD5 (algorithm 5), MS-CHAP v1 (0x80, RFC 2433) and
 * MS-CHAP v2 (0x81, RFC 2759), both roles on one link at once.
 * As authenticator ("server") we send a random Challenge, retransmit it on
 * the owner's timer and hand the Response to the owner, who answers with
 * chap_server_result() when it knows (possibly after RADIUS). As peer
 * ("client") we answer every Challenge with our name and MD5 response.
 * The overall `set auth timeout` is the owner's. MS-CHAP rides the same
 * packets with other Value sizes and structured Success/Failure texts; the
 * engine builds and checks those, the owner judges and supplies the v2
 * authenticator response. As peer we check the authenticator's v2
 * response and derive MPPE keys (chap_client_keys()).
 */
#ifndef MPD_PPP_CHAP_H
#define MPD_PPP_CHAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppp/mschap.h"

struct pbuf;

enum { CHAP_CHALLENGE = 1, CHAP_RESPONSE = 2, CHAP_SUCCESS = 3, CHAP_FAILURE = 4 };

#define CHAP_ALG_MD5 5
#define CHAP_ALG_MSV1 0x80
#define CHAP_ALG_MSV2 0x81
#define CHAP_CHAL_LEN 16	/* bytes of challenge we send (MD5, MS-CHAPv2; v1 sends 8) */

/* MS-CHAP change-password codes (RFC 2433 §9, RFC 2759 §7): recognised, refused. */
enum { MSCHAP_CHANGE_PW1 = 5, MSCHAP_CHANGE_PW2 = 6, MSCHAPV2_CHANGE_PW = 7 };
#define CHAP_MD5_LEN 16
#define CHAP_MAXNAME 255
#define CHAP_MAXSECRET 256

struct chap;

/* A Response for the owner to judge. */
struct chap_verify {
	const char *name;		/* the peer's name (NUL-free, terminated) */
	uint8_t id;
	uint8_t alg;			/* CHAP_ALG_MD5, _MSV1 or _MSV2 */
	const uint8_t *challenge;	/* what we sent */
	size_t challenge_len;
	const uint8_t *response;	/* the peer's Value field (MS-CHAP: 49 bytes, mschap.h offsets) */
	size_t response_len;
};

/* The owner's judgement of a Response. */
struct chap_verdict {
	bool ok;
	const char *msg;	/* text for the peer; NULL = default */
	unsigned ms_error;	/* MS-CHAP failure code (E=); 0 = 691 */
	const char *authresp;	/* MS-CHAPv2 success: "S=" and 40 hex digits */
};

struct chap_owner {
	void *arg;
	/* Transmit a CHAP packet (Code first, PBUF_HEADROOM in front); the owner frees it. */
	void (*send)(void *arg, uint16_t proto, struct pbuf *pkt);
	/* (Re)arm the server's Challenge retransmit timer; 0 stops. Expiry: chap_timeout(). */
	void (*timer)(void *arg, unsigned ms);
	/* Random bits for challenges and identifiers. */
	uint32_t (*rand32)(void *arg);
	/* Server: judge a Response and answer with chap_server_result(); v lives only during the call. */
	void (*verify)(void *arg, struct chap *c, const struct chap_verify *v);
	/* A direction finished: server = we judged the peer, else the peer judged us. */
	void (*done)(void *arg, struct chap *c, bool server, bool ok, const char *msg);
};

struct chap_conf {
	const char *name;	/* link name for logs */
	unsigned timeout;	/* Challenge retransmit interval, seconds (default 2) */
	unsigned max_tries;	/* Challenges sent before giving up (default 5) */
};

enum chap_cstate { CHAP_C_IDLE, CHAP_C_WAIT, CHAP_C_OK, CHAP_C_FAIL };
enum chap_sstate { CHAP_S_IDLE, CHAP_S_WAIT, CHAP_S_VERIFY, CHAP_S_OK, CHAP_S_FAIL };

struct chap {
	struct chap_owner owner;
	struct chap_conf conf;
	/* client */
	enum chap_cstate cstate;
	uint8_t calg;
	uint8_t cid;			/* Identifier of our last Response */
	uint8_t cchal[CHAP_CHAL_LEN];	/* MS-CHAP: the authenticator's challenge */
	uint8_t cpeer[CHAP_CHAL_LEN];	/* MS-CHAPv2: our Peer-Challenge */
	uint8_t cnt[MSCHAP_NT_RESP_LEN]; /* MS-CHAP: our NT-Response */
	unsigned cerror;		/* E= of the last MS-CHAP Failure we got */
	struct mschap_keys ckeys;	/* MPPE keys once the peer accepted us */
	char cname[CHAP_MAXNAME + 1];
	uint8_t secret[CHAP_MAXSECRET];
	size_t secret_len;
	/* server */
	enum chap_sstate sstate;
	uint8_t salg;
	uint8_t sid;
	unsigned stries;
	char sname[CHAP_MAXNAME + 1];	/* our name in Challenges */
	uint8_t chal[CHAP_CHAL_LEN];
	char peer_name[CHAP_MAXNAME + 1];
	char smsg[CHAP_MAXNAME + 1];	/* verdict message, repeated on duplicate Responses */
	unsigned serror;		/* E= we sent (MS-CHAP), 0 = none */
};

/* Set up both roles idle. */
void chap_init(struct chap *c, const struct chap_conf *conf, const struct chap_owner *owner);
/* Server: challenge the peer with CHAP-MD5, naming ourselves ourname. */
void chap_server_start(struct chap *c, const char *ourname);
/* Server: challenge the peer with algorithm alg (CHAP_ALG_*). */
void chap_server_start_alg(struct chap *c, const char *ourname, uint8_t alg);
/* Server: the owner's verdict on the Response passed to verify(); msg may be NULL. */
void chap_server_result(struct chap *c, bool ok, const char *msg);
/* Server: the owner's full verdict (MS-CHAP error code, v2 authenticator response). */
void chap_server_verdict(struct chap *c, const struct chap_verdict *v);
/* Client: answer CHAP-MD5 Challenges as name with this secret; -1 when too long. */
int chap_client_start(struct chap *c, const char *name, const void *secret, size_t secret_len);
/* Client: answer Challenges of algorithm alg; -1 when name or secret is too long. */
int chap_client_start_alg(struct chap *c, const char *name, const void *secret, size_t secret_len, uint8_t alg);
/* Client: MPPE keys from an accepted MS-CHAP exchange; NULL before that or after MD5. */
const struct mschap_keys *chap_client_keys(const struct chap *c);
/* One CHAP packet from the link; untrusted. */
void chap_input(struct chap *c, const uint8_t *pkt, size_t len);
/* The server's retransmit timer fired. */
void chap_timeout(struct chap *c);
/* Stop both roles (link down) and forget the secret. */
void chap_stop(struct chap *c);
/* MD5(id || secret || challenge) into out (RFC 1994 §2). */
void chap_md5_response(uint8_t id, const void *secret, size_t secret_len,
		       const uint8_t *challenge, size_t challenge_len, uint8_t out[CHAP_MD5_LEN]);

#endif
