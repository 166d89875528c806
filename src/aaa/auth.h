/*
 * Authentication backends (commands.md §9.1): judging the peer's
 * credentials and finding our own. The `internal` backend is mpd.secret;
 * RADIUS, ext-auth, PAM and system accounts come later and plug in here.
 *
 * A check is asynchronous: auth_start() takes a copy of everything the
 * backends need (never a link pointer, the link may be gone before they
 * answer) and the verdict comes back later through the callback. aaa/
 * depends only on core/, ppp/ and conf/.
 */
#ifndef MPD_AAA_AUTH_H
#define MPD_AAA_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "aaa/rad_client.h"
#include "ppp/mschap.h"

struct daemon;

#define AUTH_MAXNAME 256
#define AUTH_MAXPASS 256
#define AUTH_MAXCHAL 64   /* challenge bytes kept (we send 8 or 16) */
#define AUTH_MAXRESP 64   /* response bytes kept (MD5: 16, MS-CHAP: 49) */
#define AUTH_MSG_MAX 64

/* Auth backends (`set auth enable ...`), bit numbers in auth_conf.opts. */
enum {
	AOPT_INTERNAL, AOPT_RADIUS_AUTH, AOPT_RADIUS_ACCT, AOPT_EXT_AUTH, AOPT_EXT_ACCT,
	AOPT_PAM_AUTH, AOPT_PAM_ACCT, AOPT_SYSTEM_AUTH, AOPT_SYSTEM_ACCT, AOPT_OPIE,
	AOPT_ACCT_MANDATORY,
	AOPT_STRICT_ATTRS,   /* refuse a session whose AAA answer has attributes we can't apply yet */
};

enum auth_method { AUTH_PAP, AUTH_CHAP_MD5, AUTH_EAP_MD5, AUTH_MSCHAP_V1, AUTH_MSCHAP_V2 };

/* A copy of what the backends need to judge one login. */
struct auth_request {
	enum auth_method method;
	uint32_t backends;                  /* AOPT_* bits enabled on the link */
	char name[AUTH_MAXNAME];            /* login to look up (keep-ms-domain already applied) */
	char peer_name[AUTH_MAXNAME];       /* the name as sent (MS-CHAPv2 hashes it unstripped) */
	char password[AUTH_MAXPASS];        /* PAP only */
	uint8_t id;                         /* CHAP/EAP identifier */
	uint8_t challenge[AUTH_MAXCHAL];
	size_t challenge_len;
	uint8_t response[AUTH_MAXRESP];
	size_t response_len;
	/* Who asks, for log lines and the common RADIUS attributes (radius.md §2.1). */
	char link_name[32];
	unsigned nas_port;
	int nas_port_type;                  /* RFC 2865 §5.41 value; -1: not sent */
	char session_id[40];
	char calling[64], called[64];       /* Calling-/Called-Station-Id (always sent, may be empty) */
	char nas_port_id[32];               /* NAS-Port-Id: local interface the peer came in on, "" = unknown */
	char peer_ident[64];                /* mpd-peer-ident: the peer's LCP Identification text */
	char agent_circuit_id[64];          /* PPPoE TR-101 (RFC 4679), "" = absent */
	char agent_remote_id[64];
	char dev_type[16];                  /* device type name ("pppoe"), for ext-auth NAS_PORT_TYPE */
	struct radius_conf radius;          /* the link's `set radius` (radius-auth) */
	unsigned timeout;                   /* `set auth timeout`: seconds for the whole check, 0 = none */
};

#define AUTH_UNSET_U32 UINT32_MAX
#define AUTH_MAX_ROUTES 16
#define AUTH_MAX_ACL 32
#define AUTH_ACL_TEXT 248

/* A Framed-Route / Framed-IPv6-Route prefix (RFC 2865 §5.22, RFC 3162 §2.5): only the prefix is used. */
struct auth_route {
	bool v6;
	struct in_addr dst;
	struct in6_addr dst6;
	int width;
};

/* The mpd vendor ACL/filter/limit VSAs (radius.md §2.7), kept in arrival order. */
enum auth_acl_kind {
	AUTH_ACL_RULE = 1, AUTH_ACL_PIPE, AUTH_ACL_QUEUE, AUTH_ACL_TABLE, AUTH_ACL_TABLE_STATIC,
	AUTH_ACL_FILTER, AUTH_ACL_LIMIT,
};
struct auth_acl {
	enum auth_acl_kind kind;            /* = the mpd VSA number */
	char text[AUTH_ACL_TEXT];           /* "<left>=<rule>" as received */
};

/* Which backend gave the verdict (Acct-Authentic, show). */
enum auth_source { AUTH_SRC_NONE, AUTH_SRC_INTERNAL, AUTH_SRC_RADIUS, AUTH_SRC_EXT, AUTH_SRC_PAM, AUTH_SRC_SYSTEM };

/*
 * The verdict and what came with it (radius.md §2.8; ext-auth §5.3 fills the same fields).
 * Unset values: AUTH_UNSET_U32, "", 0 lengths or false. Stored here, applied by the link.
 */
struct auth_result {
	bool ok;
	enum auth_source source;
	char msg[AUTH_MSG_MAX];             /* text for the peer (Reply-Message on a reject) */
	unsigned ms_error;                  /* MS-CHAP E= on failure (691, 649, ...), 0 on success */
	char mschap_error[128];             /* MS-CHAP-Error (311/2) verbatim, "" = build from ms_error/msg */
	char authresp[MSCHAP_AUTHRESP_LEN + 1]; /* MS-CHAPv2 success: "S=..." */
	struct mschap_keys keys;            /* MPPE keys after MS-CHAP success */
	bool keys_set;                      /* keys came from a backend (RADIUS MPPE keys) */
	uint32_t mppe_policy, mppe_types;   /* MS-MPPE-Encryption-Policy/-Types (311/7, 311/8) */
	char mschap_domain[64];             /* MS-CHAP-Domain (311/10) */
	bool peer_range_set;                /* an address or range for the peer */
	struct in_addr peer_range;
	int peer_range_width;
	/* What RADIUS (or ext-auth) returns; the internal backend leaves them unset. */
	char user_name[AUTH_MAXNAME];       /* User-Name: replaces the peer's login from now on */
	bool framed_ip_set;                 /* Framed-IP-Address as received (255.255.255.254/255 kept) */
	struct in_addr framed_ip;
	bool framed_netmask_set;
	struct in_addr framed_netmask;
	bool framed_ipv6_set;               /* Framed-IPv6-Address (RFC 6911) */
	struct in6_addr framed_ipv6;
	int framed_ipv6_prefix_len;         /* Framed-IPv6-Prefix (RFC 3162), -1 = none */
	struct in6_addr framed_ipv6_prefix;
	int delegated_prefix_len;           /* Delegated-IPv6-Prefix (RFC 4818), -1 = none */
	struct in6_addr delegated_prefix;
	struct auth_route routes[AUTH_MAX_ROUTES]; /* Framed-Route and Framed-IPv6-Route */
	unsigned nroutes;
	uint32_t session_timeout, idle_timeout; /* seconds */
	uint32_t acct_interim;              /* Acct-Interim-Interval, seconds */
	uint32_t acct_lim_recv, acct_lim_xmit; /* ext-auth ACCT_INTERIM_LIM_RECV/XMIT, octets */
	uint32_t mtu;                       /* Framed-MTU (only 296..65536 stored) */
	bool vj_compression;                /* Framed-Compression = 1 */
	uint32_t limit_in, limit_out;       /* bits per second */
	char filter_in[64], filter_out[64];
	char filter_id[64];                 /* Filter-Id, last argument of up/down scripts */
	char pool[32];                      /* Framed-Pool: ippool name */
	uint8_t class_attr[253];            /* RADIUS Class, echoed in accounting */
	size_t class_len;
	uint8_t state[253];                 /* RADIUS State, returned in the next request */
	size_t state_len;
	struct in_addr dns[2], nbns[2];     /* MS-Primary/Secondary-DNS/NBNS-Server; 0 = none */
	char action[128];                   /* mpd-action: "bundle NAME" / "forward LINK" / "drop" */
	char iface_name[16], iface_descr[64], iface_group[16]; /* mpd-iface-name/-descr/-group */
	struct auth_acl acl[AUTH_MAX_ACL];  /* mpd-rule/-pipe/-queue/-table/-table-static/-filter/-limit */
	unsigned nacl;
	char input_acct[32], output_acct[32]; /* mpd-input-acct / mpd-output-acct class names */
};

struct auth_pending;

/* The verdict; r is only valid during the call (its secrets are wiped after it). */
typedef void (*auth_done_fn)(const struct auth_result *r, void *arg);

/* Start judging a copy of req; done runs once, from the loop after auth_start returned, unless cancelled; NULL on OOM. */
struct auth_pending *auth_start(struct daemon *d, const struct auth_request *req, auth_done_fn done, void *arg);
/* Forget a pending check: its callback never runs, a program it started is killed and reaped. */
void auth_cancel(struct auth_pending *p);

/* Our side (client): what we authenticate to the peer with. */
struct auth_own {
	char name[AUTH_MAXNAME];
	char password[AUTH_MAXPASS];
};

/* Our credentials once a `!program` answered; NULL when it failed (own is wiped after the call). */
typedef void (*auth_own_fn)(const struct auth_own *own, void *arg);

/*
 * Our credentials for the peer: `set auth password`, else mpd.secret for authname. 0 with *out
 * filled now; 1 when a `!program` runs (done later, *pending to cancel it); -1 when there are none.
 */
int auth_own_credentials(struct daemon *d, const char *authname, const char *password, struct auth_own *out,
			 auth_own_fn done, void *arg, struct auth_pending **pending);

#endif
