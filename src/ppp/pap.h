/*
 * PAP (RFC 1334 §2), both roles on one link at once: as authenticator
 * ("server") we wait for an Authenticate-Request and let the owner judge
 * it, possibly later (RADIUS); as peer ("client") we send our name and
 * password until Ack/Nak. No I/O: packets, the client's retransmit timer
 * and results go through struct pap_owner. The overall `set auth timeout`
 * is the owner's.
 */
#ifndef MPD_PPP_PAP_H
#define MPD_PPP_PAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pbuf;

enum { PAP_REQ = 1, PAP_ACK = 2, PAP_NAK = 3 };

#define PAP_MAXSTR 255

struct pap;

struct pap_owner {
	void *arg;
	/* Transmit a PAP packet (Code first, PBUF_HEADROOM in front); the owner frees it. */
	void (*send)(void *arg, uint16_t proto, struct pbuf *pkt);
	/* (Re)arm the client's retransmit timer; 0 stops it. Expiry: pap_timeout(). */
	void (*timer)(void *arg, unsigned ms);
	/* Server: judge these credentials and answer with pap_server_result(). */
	void (*verify)(void *arg, struct pap *p, const char *name, const char *password);
	/* A direction finished: server = we judged the peer, else the peer judged us. */
	void (*done)(void *arg, struct pap *p, bool server, bool ok, const char *msg);
};

struct pap_conf {
	const char *name;	/* link name for logs */
	unsigned timeout;	/* client retransmit interval, seconds (default 2) */
	unsigned max_tries;	/* client requests before giving up (default 10) */
};

enum pap_cstate { PAP_C_IDLE, PAP_C_WAIT, PAP_C_DONE };
enum pap_sstate { PAP_S_IDLE, PAP_S_WAIT, PAP_S_VERIFY, PAP_S_OK, PAP_S_FAIL };

struct pap {
	struct pap_owner owner;
	struct pap_conf conf;
	/* client */
	enum pap_cstate cstate;
	uint8_t cid;
	unsigned ctries;
	uint8_t authname[PAP_MAXSTR], password[PAP_MAXSTR];
	uint8_t authname_len, password_len;
	/* server */
	enum pap_sstate sstate;
	uint8_t sid;			/* identifier to answer */
	char peer_name[PAP_MAXSTR + 1];	/* the name the peer gave */
	char smsg[PAP_MAXSTR + 1];	/* our verdict's message, re-sent on duplicates */
};

/* Set up both roles idle. */
void pap_init(struct pap *p, const struct pap_conf *conf, const struct pap_owner *owner);
/* Client: authenticate to the peer with name and password; -1 when too long. */
int pap_client_start(struct pap *p, const char *name, const char *password);
/* Server: start waiting for the peer's Authenticate-Request. */
void pap_server_start(struct pap *p);
/* Server: the owner's verdict on the credentials passed to verify(); msg may be NULL. */
void pap_server_result(struct pap *p, bool ok, const char *msg);
/* One PAP packet from the link; untrusted. */
void pap_input(struct pap *p, const uint8_t *pkt, size_t len);
/* The client's retransmit timer fired. */
void pap_timeout(struct pap *p);
/* Stop both roles (link down) and forget the password. */
void pap_stop(struct pap *p);

#endif
