/*
 * The RADIUS client transport (RFC 2865 §3-4, RFC 2866 §3, RFC 2869 §5.14,
 * RFC 3579 §3.2): sends one request to the servers of a link's `set radius`
 * configuration and hands back the first valid response, on the event loop,
 * never blocking it.
 *
 * - Servers are tried in the order configured (the first `set radius server`
 *   first; mpd5 tries the newest first, see docs/differences.md), each for
 *   `retries` sends `timeout` seconds apart, then the next one.
 * - State per server destination (address, port, secret, source address) is
 *   shared by every link and hangs off struct daemon: one connected UDP
 *   socket, an identifier space of 256 (RFC 2865 §3: unique among the
 *   requests outstanding to that destination; when all are in use the request
 *   waits in a queue), counters for `show radius` and a dead-server back-off
 *   (a server that let a request time out completely is skipped for
 *   RAD_DEAD_SECS while another server of the list is alive, then probed
 *   again).
 * - A response is accepted only when it comes from the destination, carries
 *   the identifier of an outstanding request and a valid Response
 *   Authenticator (RFC 2865 §3), carries no Proxy-State we did not send, and,
 *   for an Access-Request, a valid Message-Authenticator (RFC 3579 §3.2,
 *   BlastRADIUS / CVE-2024-3596); anything else is dropped, logged and counted.
 *   Turning RADOPT_REQUIRE_MA off relaxes only the last rule, for legacy servers.
 * - Every Access-Request carries a Message-Authenticator as its first
 *   attribute; Accounting-Requests get the RFC 2866 §3 Request Authenticator.
 *
 * aaa/ depends on core/, ppp/ and conf/ only: no link pointer here. The
 * caller's build callback writes the attributes once per server (User-Password
 * hiding depends on the secret and the Request Authenticator, RFC 2865 §5.2).
 */
#ifndef MPD_AAA_RAD_CLIENT_H
#define MPD_AAA_RAD_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "aaa/rad_pkt.h"
#include "core/optset.h"

struct daemon;
struct cmd_ctx;

#define RAD_MAX_SERVERS 10
#define RAD_SECRET_MAX 128      /* a secret is at most 127 characters (commands.md §9.3) */
#define RAD_HOST_MAX 128
#define RAD_AUTH_PORT 1812
#define RAD_ACCT_PORT 1813
#define RAD_DEF_TIMEOUT 5       /* seconds per try */
#define RAD_DEF_RETRIES 3       /* tries per server */
#define RAD_DEAD_SECS 30        /* a server that timed out completely is skipped this long */

/* `set radius enable|disable ...` bits in radius_conf.opts. */
enum {
	RADOPT_MESSAGE_AUTHENTIC, /* mpd5's switch; we send Message-Authenticator always (differences.md) */
	RADOPT_REQUIRE_MA,        /* on by default; `disable require-message-authentic`: legacy servers */
};

/* One `set radius server` (or a `set radius config` file line). */
struct rad_server_conf {
	char host[RAD_HOST_MAX];       /* as written, for show and logs */
	struct sockaddr_in6 addr;      /* resolved at `set` time; an IPv4 address is v4-mapped */
	char secret[RAD_SECRET_MAX];
	uint16_t auth_port, acct_port; /* 0: not used for that kind */
	unsigned timeout, retries;     /* 0: the link's `set radius timeout|retries` */
};

/* A link's `set radius` settings (commands.md §9.3); plain data, copied to clones and requests. */
struct radius_conf {
	struct rad_server_conf servers[RAD_MAX_SERVERS];
	unsigned nservers;
	unsigned timeout, retries;
	bool src_set, me_set, v6me_set;
	struct in_addr src_addr;       /* `src-addr`: our source address */
	struct in_addr me;             /* NAS-IP-Address */
	struct in6_addr v6me;          /* NAS-IPv6-Address */
	char identifier[64];           /* NAS-Identifier; "" = host name */
	char config_file[256];         /* `set radius config`, for show */
	struct optset opts;            /* RADOPT_* */
};

enum rad_kind { RAD_KIND_AUTH, RAD_KIND_ACCT };

/* How a request ended. */
enum rad_outcome {
	RAD_ANSWERED, /* a valid response: code and pkt set */
	RAD_TIMEOUT,  /* every usable server was tried and none answered validly */
	RAD_NOSERVER, /* no server configured for this kind (or none could be used) */
};

/* The end of a request; valid only during the callback (secret and packet are wiped after it). */
struct rad_response {
	enum rad_outcome outcome;
	uint8_t code;                        /* RFC 2865 §3 code of the response */
	const struct rad_pkt *pkt;           /* the response, parsed and authenticated; NULL unless answered */
	const uint8_t *req_auth;             /* the Request Authenticator it answers (MPPE key decryption) */
	const char *secret;                  /* the answering server's secret (RFC 2548 §2.4.2) */
	const char *server;                  /* "host:port" that answered or was tried last, for logs */
};

/*
 * Add the request's attributes for one server: b is begun (id and, for an
 * Access-Request, the random Request Authenticator in the header, then the
 * Message-Authenticator reserved first); the client calls rad_finish after.
 * secret is that server's (User-Password hiding: rad_add_user_password).
 * Returns 0, or -1 (this server is skipped).
 */
typedef int (*rad_build_fn)(struct rad_builder *b, const char *secret, void *arg);
/* The request ended; called once, from the loop, never from inside rad_send. */
typedef void (*rad_done_fn)(const struct rad_response *r, void *arg);

struct rad_req;

/* Defaults of `set radius` (timeout 5, retries 3, no servers, require-message-authentic on). */
void radius_conf_defaults(struct radius_conf *rc);
/*
 * Send a request of `code` (Access-Request, Accounting-Request) to rc's servers of `kind`.
 * build and done keep arg until done runs or rad_cancel; log_name names the asker (a link).
 * NULL when out of memory; otherwise done runs later even when no server exists.
 */
struct rad_req *rad_send(struct daemon *d, const struct radius_conf *rc, enum rad_kind kind, uint8_t code,
			 rad_build_fn build, rad_done_fn done, void *arg, const char *log_name);
/* Forget a request: its callback never runs, its identifier is freed (a late answer is dropped). */
void rad_cancel(struct rad_req *r);

/* `show radius` part: the shared state and counters of every server in rc. */
void rad_client_show(struct cmd_ctx *c, struct daemon *d, const struct radius_conf *rc);
/* Close every socket and free the shared server state at daemon exit (pending requests: cancelled). */
void rad_client_destroy(struct daemon *d);

#endif
