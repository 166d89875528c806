/*
 * EAP (RFC 3748) for PPP with native EAP-MD5-Challenge, both roles on one
 * link at once. As authenticator ("server") we ask the peer's Identity,
 * tell the owner, then either go on natively with an MD5-Challenge judged
 * by the owner (eap_server_result(), possibly after RADIUS) or, when the
 * owner says so, become a pass-through: every later Response goes to the
 * owner raw and we send the Requests it gives back (the seam for `set eap
 * enable radius-proxy`). We retransmit our Requests on the owner's timer.
 * As peer ("client") we answer Identity, Notification and MD5-Challenge
 * Requests and Nak every other method. No I/O: everything goes through
 * struct eap_owner. The overall `set auth timeout` is the owner's.
 */
#ifndef MPD_PPP_EAP_H
#define MPD_PPP_EAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pbuf;

enum { EAP_REQUEST = 1, EAP_RESPONSE = 2, EAP_SUCCESS = 3, EAP_FAILURE = 4 };

/* Request/Response Types (RFC 3748 §5; 254 = Expanded Type). */
enum {
	EAP_TYPE_IDENTITY = 1,
	EAP_TYPE_NOTIFICATION = 2,
	EAP_TYPE_NAK = 3,
	EAP_TYPE_MD5 = 4,
	EAP_TYPE_EXPANDED = 254,
};

#define EAP_MAXIDENT 255	/* longest identity we keep or send */
#define EAP_MAXSECRET 256
#define EAP_MAXNAME 255		/* longest Name we put in an MD5-Challenge */
#define EAP_MD5_CHAL_LEN 16	/* bytes of MD5 challenge we send */
#define EAP_MD5_LEN 16
#define EAP_MAXPKT 4096		/* largest Request we keep for retransmission (proxy) */

struct eap;

/* What the server does once the peer's identity is known. */
enum eap_next {
	EAP_NEXT_NATIVE,	/* go on with our own method (MD5-Challenge) */
	EAP_NEXT_PROXY,		/* pass-through: Responses to owner.proxy(), Requests from eap_proxy_send() */
	EAP_NEXT_WAIT,		/* the owner decides later with eap_server_continue() */
};

/* An MD5-Challenge Response for the owner to judge (same inputs as CHAP-MD5). */
struct eap_verify {
	const char *identity;		/* from Response/Identity (NUL-free, terminated) */
	uint8_t id;			/* Identifier of our MD5-Challenge Request */
	const uint8_t *challenge;	/* what we sent */
	size_t challenge_len;
	const uint8_t *response;	/* the peer's Value field */
	size_t response_len;
};

struct eap_owner {
	void *arg;
	/* Transmit an EAP packet (Code first, PBUF_HEADROOM in front); the owner frees it. */
	void (*send)(void *arg, uint16_t proto, struct pbuf *pkt);
	/* (Re)arm the server's Request retransmit timer; 0 stops. Expiry: eap_timeout(). */
	void (*timer)(void *arg, unsigned ms);
	/* Random bits for challenges and identifiers. */
	uint32_t (*rand32)(void *arg);
	/* Server: the peer's identity is known; choose how to go on. NULL means native. */
	enum eap_next (*identity)(void *arg, struct eap *e, const char *identity);
	/* Server: judge an MD5 Response and answer with eap_server_result(); v lives only during the call. */
	void (*verify)(void *arg, struct eap *e, const struct eap_verify *v);
	/* Server in proxy mode: a whole Response from the peer (first the Identity one), to relay;
	 * answer with eap_proxy_send() or eap_proxy_result(). pkt lives only during the call. */
	void (*proxy)(void *arg, struct eap *e, const uint8_t *pkt, size_t len);
	/* A direction finished: server = we judged the peer, else the peer judged us. */
	void (*done)(void *arg, struct eap *e, bool server, bool ok, const char *msg);
};

struct eap_conf {
	const char *name;	/* link name for logs */
	unsigned timeout;	/* Request retransmit interval, seconds (default 2) */
	unsigned max_tries;	/* sends of one Request before giving up (default 5) */
	bool md5_enable;	/* server: ask EAP-MD5 of the peer (`set eap enable md5`) */
	bool md5_accept;	/* client: answer EAP-MD5 (`set eap accept md5`) */
	bool radius_proxy;	/* `set eap enable radius-proxy`: for the owner's identity() choice */
};

enum eap_cstate { EAP_C_IDLE, EAP_C_WAIT, EAP_C_OK, EAP_C_FAIL };
enum eap_sstate {
	EAP_S_IDLE,
	EAP_S_IDENTITY,		/* Request/Identity out */
	EAP_S_CHOOSE,		/* identity known, owner choosing (EAP_NEXT_WAIT) */
	EAP_S_MD5,		/* Request/MD5-Challenge out */
	EAP_S_VERIFY,		/* MD5 Response with the owner */
	EAP_S_PROXY,		/* relayed Request out */
	EAP_S_PROXY_WAIT,	/* relayed Response with the owner */
	EAP_S_OK,
	EAP_S_FAIL,
};

struct eap {
	struct eap_owner owner;
	struct eap_conf conf;
	/* client */
	enum eap_cstate cstate;
	bool canswered;			/* we answered a Request since start */
	uint8_t cid;			/* Identifier of our last Response */
	char cname[EAP_MAXIDENT + 1];	/* our identity */
	uint8_t secret[EAP_MAXSECRET];
	size_t secret_len;
	/* server */
	enum eap_sstate sstate;
	uint8_t sid;			/* Identifier of our current Request */
	uint8_t sreq_type;		/* its Type */
	unsigned stries;		/* sends of the current Request */
	unsigned srounds;		/* MD5-Challenges issued this authentication */
	char sname[EAP_MAXNAME + 1];	/* our name in MD5-Challenges */
	uint8_t chal[EAP_MD5_CHAL_LEN];
	char peer_name[EAP_MAXIDENT + 1];	/* the peer's identity */
	uint8_t sreq[EAP_MAXPKT];	/* current Request, for retransmission */
	size_t sreq_len;
};

/* Set up both roles idle. */
void eap_init(struct eap *e, const struct eap_conf *conf, const struct eap_owner *owner);
/* Server: ask the peer's identity, naming ourselves ourname in MD5-Challenges. */
void eap_server_start(struct eap *e, const char *ourname);
/* Server: the owner's choice after identity() returned EAP_NEXT_WAIT (NATIVE or PROXY). */
void eap_server_continue(struct eap *e, enum eap_next next);
/* Server: the owner's verdict on the Response passed to verify(). */
void eap_server_result(struct eap *e, bool ok);
/* Server, proxy mode: send this Request (whole EAP packet) to the peer; -1 when not a valid Request. */
int eap_proxy_send(struct eap *e, const uint8_t *pkt, size_t len);
/* Server, proxy mode: the verdict, with the Success/Failure to send (NULL: we make one). */
void eap_proxy_result(struct eap *e, bool ok, const uint8_t *pkt, size_t len);
/* Client: answer Requests as identity with this secret; -1 when too long. */
int eap_client_start(struct eap *e, const char *identity, const void *secret, size_t secret_len);
/* One EAP packet from the link; untrusted. */
void eap_input(struct eap *e, const uint8_t *pkt, size_t len);
/* The server's retransmit timer fired. */
void eap_timeout(struct eap *e);
/* Stop both roles (link down) and forget the secret. */
void eap_stop(struct eap *e);
/* Name of an EAP Type for logs ("MD5-Challenge", ...; "unknown" otherwise). */
const char *eap_type_name(uint8_t type);

#endif
