/*
 * The dynamic authorization server (RFC 5176, `set radsrv`, radius.md §4,
 * commands.md §8.5): a UDP listener on the event loop that answers
 * Disconnect-Request and CoA-Request from the AAA servers declared with
 * `set radsrv peer`.
 *
 * For every datagram (radsrv_input, socket-free so it is unit-tested):
 *  - the source must be a declared peer, the Request Authenticator must
 *    match that peer's secret (RFC 5176 §2.3, RFC 2866 §3) and a
 *    Message-Authenticator, when present, must be right (RFC 5176 §3.1);
 *    anything else is dropped, logged and counted;
 *  - a duplicate (same source address and port, identifier and
 *    authenticator within RADSRV_DUP_SECS) gets the reply sent before,
 *    without acting twice (RFC 5176 §2.3);
 *  - the attributes become a struct radsrv_req (radsrv_parse, fuzzed);
 *    NAK with Error-Cause 402 (no session identifier), 403 (NAS-IP-Address
 *    not ours), 404 (an attribute of the wrong size), 405 (Service-Type),
 *    401 (mpd ACL/filter/limit VSAs: no such mechanism in this build),
 *    501 (the request type disabled);
 *  - the owner (struct radsrv_ops, the link layer) finds the sessions that
 *    match every identifier and acts on them; ACK if one matched, else NAK
 *    503, or 504 when only templates matched;
 *  - the reply echoes State and carries a Message-Authenticator when the
 *    request had one.
 *
 * aaa/ sees no link: matching and acting are the owner's (link_radsrv.c).
 */
#ifndef MPD_AAA_RADSRV_H
#define MPD_AAA_RADSRV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <netinet/in.h>

#include "aaa/rad_pkt.h"
#include "conf/cmd.h"
#include "core/optset.h"

struct daemon;
struct event;

#define RADSRV_PORT 3799
#define RADSRV_MAX_PEERS 16
#define RADSRV_SECRET_MAX 128   /* a secret is at most 127 characters (commands.md §8.5) */
#define RADSRV_DUP_SLOTS 64     /* replies remembered for duplicate detection */
#define RADSRV_DUP_SECS 5       /* how long a reply is replayed to a retransmission */
#define RADSRV_TEXT_MAX 254     /* an attribute's text, NUL-terminated */

/* `set radsrv enable|disable ...` bits. */
enum { RSOPT_COA, RSOPT_DISCONNECT };

/* Session identifiers a request gave (radius.md §4.1 step 2), bits of radsrv_req.have. */
enum {
	RSK_USER_NAME, RSK_NAS_PORT, RSK_FRAMED_IP, RSK_CALLED, RSK_CALLING, RSK_ACCT_SESSION_ID,
	RSK_ACCT_MULTI_SESSION_ID, RSK_MPD_LINK, RSK_MPD_BUNDLE, RSK_MPD_IFACE, RSK_MPD_IFACE_INDEX,
};

/* What one Disconnect- or CoA-Request asks (a copy: nothing points into the datagram). */
struct radsrv_req {
	uint8_t code;                 /* RAD_DISCONNECT_REQUEST or RAD_COA_REQUEST */
	unsigned have;                /* RSK_* bits */
	char user_name[RADSRV_TEXT_MAX];
	uint32_t nas_port;
	struct in_addr framed_ip;
	char called[RADSRV_TEXT_MAX], calling[RADSRV_TEXT_MAX];
	char acct_session_id[RADSRV_TEXT_MAX], acct_multi_session_id[RADSRV_TEXT_MAX];
	char mpd_link[RADSRV_TEXT_MAX], mpd_bundle[RADSRV_TEXT_MAX], mpd_iface[RADSRV_TEXT_MAX];
	uint32_t mpd_iface_index;
	bool nas_ip_set;
	struct in_addr nas_ip;        /* NAS-IP-Address (NAS identification) */
	bool service_type;            /* Service-Type present (refused: 405) */
	unsigned acl_attrs;           /* mpd-rule ... mpd-output-acct present (refused: 401) */
	/* CoA parameters (radius.md §4.1 step 4): replaced only when given. */
	bool session_timeout_set, idle_timeout_set, interim_set, class_set;
	uint32_t session_timeout, idle_timeout, interim; /* seconds */
	uint8_t class_attr[RAD_MAX_ATTR];
	size_t class_len;
	uint8_t state[RAD_MAX_ATTR];  /* echoed in the reply */
	size_t state_len;
	bool has_ma;                  /* the request carried a Message-Authenticator */
};

/* What the owner did with a request. */
struct radsrv_result {
	unsigned matched;             /* sessions acted on */
	unsigned templates;           /* templates that matched (not removable: 504) */
};

/* The owner of the sessions (the link layer); arg is radsrv_get's d. */
struct radsrv_ops {
	/* Find every session matching all identifiers in r (radius.md §4.1 step 3) and act on
	 * it (Disconnect: close; CoA: replace the given parameters); counts in *res. Called
	 * from radsrv_input, so the owner must not free what it is iterating while it acts. */
	void (*act)(void *arg, const struct radsrv_req *r, struct radsrv_result *res);
};

struct radsrv_peer {
	struct in_addr addr;
	char secret[RADSRV_SECRET_MAX];
};

/* `set radsrv` settings (commands.md §8.5). */
struct radsrv_conf {
	struct in_addr self;          /* listen address, 0.0.0.0 = any */
	uint16_t port;
	struct radsrv_peer peers[RADSRV_MAX_PEERS];
	unsigned npeers;
	struct optset opts;           /* RSOPT_* */
};

/* Counters for `show radsrv` and tests. */
struct radsrv_stats {
	unsigned long received, unknown_peer, malformed, bad_auth, bad_ma, bad_code, duplicates;
	unsigned long acks, naks;
};

/* A reply remembered for duplicate detection (RFC 5176 §2.3). */
struct radsrv_dup {
	struct sockaddr_in from;
	uint8_t id;
	uint8_t auth[RAD_AUTH_LEN];
	time_t at;                    /* 0 = free slot */
	uint16_t len;
	uint8_t *reply;               /* len bytes, owned */
};

struct radsrv {
	struct daemon *d;
	const struct radsrv_ops *ops;
	void *ops_arg;
	struct radsrv_conf conf;
	int fd;                       /* -1 while closed */
	struct event *ev;
	struct in_addr bound;         /* address and port in use while open */
	uint16_t bound_port;
	struct radsrv_stats stats;
	struct radsrv_dup dups[RADSRV_DUP_SLOTS];
	unsigned dup_next;
};

/* The daemon's server (d->radsrv), made with defaults on first use; NULL when out of memory.
 * It acts on sessions through d->radsrv_ops (set by main.c). */
struct radsrv *radsrv_get(struct daemon *d);
/* Free the server (closing it first); d->radsrv becomes NULL. */
void radsrv_free(struct daemon *d);
/* Default settings: 0.0.0.0:3799, no peers, coa and disconnect enabled. */
void radsrv_conf_defaults(struct radsrv_conf *c);
/* Start listening on conf.self:conf.port; 0, or -1 with the reason in err. */
int radsrv_open(struct radsrv *s, char *err, size_t errlen);
/* Stop listening (remembered replies are dropped). */
void radsrv_close(struct radsrv *s);
/* True while listening. */
bool radsrv_is_open(const struct radsrv *s);
/* Add a peer or replace its secret; -1 when the table is full or the secret too long. */
int radsrv_peer_set(struct radsrv_conf *c, struct in_addr addr, const char *secret);

/*
 * Read a request's attributes into r (cleared first). Returns 0, or the
 * Error-Cause to NAK with: 404 for an attribute of the wrong size or a text
 * with a NUL byte, 402 when no session identifier was given.
 */
uint32_t radsrv_parse(const struct rad_pkt *p, struct radsrv_req *r);
/*
 * Handle one datagram from `from` received at time `now`: checks, duplicate
 * detection, parsing, the owner's action, the reply. Returns the reply's
 * length written to out (cap >= RAD_MAX_PKT), or 0 when the datagram is
 * dropped (logged and counted).
 */
size_t radsrv_input(struct radsrv *s, const struct sockaddr_in *from, const uint8_t *data, size_t len,
		    time_t now, uint8_t *out, size_t cap);

/* `set radsrv ...` menu and `show radsrv` (global). */
extern const struct cmd radsrv_set_cmds[];
/* `show radsrv`: state, address, peers (secrets masked), options, counters. */
int radsrv_show(struct cmd_ctx *c, int ac, char **av, const void *arg);

#endif
