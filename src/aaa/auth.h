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

#include "ppp/mschap.h"

struct daemon;

#define AUTH_MAXNAME 256
#define AUTH_MAXPASS 256
#define AUTH_MAXCHAL 64   /* challenge bytes kept (we send 8 or 16) */
#define AUTH_MAXRESP 64   /* response bytes kept (MD5: 16, MS-CHAP: 49) */
#define AUTH_MSG_MAX 254  /* a Reply-Message or ext-auth REPLY_MESSAGE fits whole */
#define AUTH_MAX_ROUTES 16
#define AUTH_MAX_VSA 16
#define AUTH_VSA_MAX 254

/* Auth backends (`set auth enable ...`), bit numbers in auth_conf.opts. */
enum {
	AOPT_INTERNAL, AOPT_RADIUS_AUTH, AOPT_RADIUS_ACCT, AOPT_EXT_AUTH, AOPT_EXT_ACCT,
	AOPT_PAM_AUTH, AOPT_PAM_ACCT, AOPT_SYSTEM_AUTH, AOPT_SYSTEM_ACCT, AOPT_OPIE,
	AOPT_ACCT_MANDATORY,
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
	/* Who asks, for log lines now and for RADIUS later. */
	char link_name[32];
	unsigned nas_port;
	char session_id[40];
	char calling[64], called[64];
	char nas_port_type[16];             /* the device type name (pppoe, ...) */
	char peer_ident[256];               /* the peer's LCP Identification text */
	/* ext-auth (radius.md §5): the program and how long it may take (`set auth timeout`). */
	char ext_script[256];
	unsigned timeout_s;
};

/* A route via the peer (FRAMED_ROUTE / Framed-Route). */
struct auth_route {
	struct in_addr dst;
	int width;
};

/* An IPv6 route via the peer (FRAMED_IPV6_ROUTE / Framed-IPv6-Route). */
struct auth_route6 {
	struct in6_addr dst;
	int width;
};

/* mpd's own authorization rules (radius.md §2.7), kept as their text bodies. */
enum auth_vsa_kind { AVSA_RULE, AVSA_PIPE, AVSA_QUEUE, AVSA_TABLE, AVSA_TABLE_STATIC, AVSA_FILTER, AVSA_LIMIT };
struct auth_vsa {
	enum auth_vsa_kind kind;
	char text[AUTH_VSA_MAX];
};

#define AUTH_UNSET_U32 UINT32_MAX

/* The verdict and what came with it. Unset values: AUTH_UNSET_U32, "" or false. */
struct auth_result {
	bool ok;
	char msg[AUTH_MSG_MAX];             /* text for the peer */
	unsigned ms_error;                  /* MS-CHAP E= on failure (691, 649, ...), 0 on success */
	char authresp[MSCHAP_AUTHRESP_LEN + 1]; /* MS-CHAPv2 success: "S=..." */
	struct mschap_keys keys;            /* MPPE keys after MS-CHAP success */
	bool peer_range_set;                /* an address or range for the peer */
	struct in_addr peer_range;
	int peer_range_width;
	/* What RADIUS will return; the internal backend leaves them unset. */
	uint32_t session_timeout, idle_timeout; /* seconds */
	uint32_t mtu;
	uint32_t limit_in, limit_out;       /* bits per second */
	char filter_in[64], filter_out[64];
	char pool[32];                      /* ippool name */
	uint8_t class_attr[253];            /* RADIUS Class, echoed in accounting */
	size_t class_len;
	/* More authorization (radius.md §5.3 for ext-auth; RADIUS fills the same). Unset: 0 / "". */
	char user_name[AUTH_MAXNAME];       /* login replaced by the backend */
	struct in_addr dns[2], nbns[2];     /* offered through IPCP */
	struct auth_route routes[AUTH_MAX_ROUTES];
	size_t nroutes;
	struct auth_route6 routes6[AUTH_MAX_ROUTES];
	size_t nroutes6;
	bool vj_compression;                /* Framed-Compression 1 */
	uint32_t acct_interim;              /* seconds; AUTH_UNSET_U32 */
	uint64_t interim_lim_recv, interim_lim_xmit; /* octets (`set auth update-limit-*` overridden) */
	char ms_error_text[AUTH_MSG_MAX];   /* a backend's whole MS-CHAP failure text "E=.. R=0 M=.." */
	char action[AUTH_MAXNAME + 8];      /* "bundle NAME", "forward LINK" or "drop" */
	char iface_name[16], iface_descr[64], iface_group[32];
	struct auth_vsa vsa[AUTH_MAX_VSA];
	size_t nvsa;
};

struct auth_pending;

/* A result with every value unset and the verdict "refused" (MS-CHAP error 691). */
void auth_result_init(struct auth_result *r);

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
