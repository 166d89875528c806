/*
 * CHAP (RFC 1994) with MD5 (algorithm 5), both roles on one link at once.
 * As authenticator ("server") we send a random Challenge, retransmit it on
 * the owner's timer and hand the Response to the owner, who answers with
 * chap_server_result() when it knows (possibly after RADIUS). As peer
 * ("client") we answer every Challenge with our name and MD5 response.
 * The overall `set auth timeout` is the owner's.
 */
#ifndef MPD_PPP_CHAP_H
#define MPD_PPP_CHAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pbuf;

enum { CHAP_CHALLENGE = 1, CHAP_RESPONSE = 2, CHAP_SUCCESS = 3, CHAP_FAILURE = 4 };

#define CHAP_ALG_MD5 5
#define CHAP_CHAL_LEN 16	/* bytes of challenge we send */
#define CHAP_MD5_LEN 16
#define CHAP_MAXNAME 255
#define CHAP_MAXSECRET 256

struct chap;

/* A Response for the owner to judge. */
struct chap_verify {
	const char *name;		/* the peer's name (NUL-free, terminated) */
	uint8_t id;
	uint8_t alg;			/* CHAP_ALG_MD5 */
	const uint8_t *challenge;	/* what we sent */
	size_t challenge_len;
	const uint8_t *response;	/* the peer's Value field */
	size_t response_len;
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
	uint8_t cid;			/* Identifier of our last Response */
	char cname[CHAP_MAXNAME + 1];
	uint8_t secret[CHAP_MAXSECRET];
	size_t secret_len;
	/* server */
	enum chap_sstate sstate;
	uint8_t sid;
	unsigned stries;
	char sname[CHAP_MAXNAME + 1];	/* our name in Challenges */
	uint8_t chal[CHAP_CHAL_LEN];
	char peer_name[CHAP_MAXNAME + 1];
	char smsg[CHAP_MAXNAME + 1];	/* verdict message, repeated on duplicate Responses */
};

/* Set up both roles idle. */
void chap_init(struct chap *c, const struct chap_conf *conf, const struct chap_owner *owner);
/* Server: challenge the peer, naming ourselves ourname. */
void chap_server_start(struct chap *c, const char *ourname);
/* Server: the owner's verdict on the Response passed to verify(); msg may be NULL. */
void chap_server_result(struct chap *c, bool ok, const char *msg);
/* Client: answer Challenges as name with this secret; -1 when too long. */
int chap_client_start(struct chap *c, const char *name, const void *secret, size_t secret_len);
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
