/*
 * A link: one PPP connection over one device, with its LCP, its
 * authentication in both directions, keep-alive and redial policy
 * (commands.md §3, §9). Links live in the daemon's link registry.
 */
#ifndef MPD_LINK_H
#define MPD_LINK_H

#include <netinet/in.h>
#include <regex.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "aaa/acct.h"
#include "aaa/auth.h" /* AOPT_* backend bits */
#include "conf/cmd.h"
#include "core/registry.h"
#include "core/timer.h"
#include "dev/dev.h"

struct daemon;
struct sid_stamp;
struct bundle;
struct pbuf;
struct dp_iface;
struct dp_bind;
struct link_ppp;

#define LINK_NAME_MAX 16      /* user-given names: 15 chars + NUL */
#define LINK_NAME_BUF 32      /* clones add "-index" to a template name */
#define LINK_TMPL_NAME_MAX 11 /* room for "-index" */
#define LINK_MAX_ACTIONS 16

enum link_kind { LINK_PLAIN, LINK_STATIC, LINK_TEMPLATE };

/* RFC 1661 phases as mpd reports them (commands.md §3.6). */
enum link_phase { PHASE_DEAD, PHASE_ESTABLISH, PHASE_AUTHENTICATE, PHASE_NETWORK, PHASE_TERMINATE };

/* Link options (`set link enable ...`), bit numbers in link_conf.opts. */
enum {
	LOPT_INCOMING, LOPT_PAP, LOPT_CHAP_MD5, LOPT_CHAP_MSV1, LOPT_CHAP_MSV2, LOPT_EAP,
	LOPT_ACFCOMP, LOPT_PROTOCOMP, LOPT_MAGICNUM, LOPT_CHECK_MAGIC, LOPT_PASSIVE,
	LOPT_CALLBACK, LOPT_NO_ORIG_AUTH, LOPT_KEEP_MS_DOMAIN, LOPT_MULTILINK, LOPT_SHORTSEQ,
	LOPT_TIME_REMAIN, LOPT_PEER_AS_CALLING, LOPT_REPORT_MAC, LOPT_REMOVE_TEE,
};

/* EAP options (`set eap enable ...`), bit numbers in auth_conf.eap_opts. */
enum { EOPT_MD5, EOPT_RADIUS_PROXY };

enum link_action_kind { ACT_BUNDLE, ACT_FORWARD, ACT_DROP };

struct link_action {
	enum link_action_kind kind;
	char target[LINK_NAME_BUF];
	char *pattern; /* source text, NULL = always */
	regex_t re;
};

/* `set auth` (commands.md §9.1). */
struct auth_conf {
	char authname[64];
	char password[64];
	unsigned max_logins;
	bool max_logins_ci;
	unsigned timeout;
	unsigned acct_update;
	uint64_t acct_limit_in, acct_limit_out; /* `update-limit-in/out`: interim suppression, octets */
	char extauth_script[256]; /* ext-auth program (radius.md §5) */
	char extacct_script[256]; /* ext-acct program (radius.md §5.4) */
	struct optset opts;
	struct optset eap_opts; /* `set eap` (commands.md §9.2) */
	struct radius_conf radius; /* `set radius` (commands.md §9.3), copied to clones with the rest */
};

/* `set link` (commands.md §9). */
struct link_conf {
	unsigned bandwidth, latency;
	uint32_t accmap;
	unsigned mrru, mru, mtu;
	unsigned fsm_timeout;
	int max_redial;
	unsigned redial_delay;
	unsigned max_children;
	unsigned ka_interval, ka_max;
	char ident[64];
	struct optset opts;
	struct link_action actions[LINK_MAX_ACTIONS];
	int nactions;
};

struct link_stats {
	uint64_t in_octets, out_octets, in_frames, out_frames;
	uint64_t bad_protos, runts, dropped;
};

/* A session's accounting (link_acct.c; radius.md §2.6). Reset when the link joins a bundle. */
struct acct_wait;
struct link_acct {
	struct acct_pending *req;   /* this link's latest request still in flight, NULL none */
	struct acct_wait *wait;     /* its callback argument (freed when the request is forgotten) */
	enum acct_status req_status;
	bool start_pending;         /* joined, waiting for the bundle's NCPs to send the Start */
	bool started;               /* a Start went out for this session: a Stop will follow */
	struct timer interim;
	uint64_t last_in, last_out; /* octets at the last Update sent (update-limit-in/out) */
	unsigned sent, failed, skipped; /* requests this session: sent, failed, Updates suppressed */
	char last[48];              /* the latest outcome, for `show auth` */
	/* What AAA said for this session (the authentication result). */
	uint32_t interim_interval;  /* Acct-Interim-Interval, 0 none */
	uint64_t limit_in, limit_out; /* AAA's interim suppression thresholds, 0 none */
	bool radius_authentic;
	bool framed_mask_set;
	struct in_addr framed_mask;
	uint8_t class_attr[ACCT_OCTETS_MAX];
	size_t class_len;
	uint8_t state[ACCT_OCTETS_MAX];
	size_t state_len;
	/* Calling-Station-Id as the Start had it: the Stop of a call the device has already forgotten
	 * (a PADT from the peer) says the same, so the server can match the two (sqlippool's release). */
	char calling[ACCT_STR_MAX];
};

struct link {
	struct daemon *d;
	char name[LINK_NAME_BUF];
	unsigned index;            /* registry slot = NAS-Port */
	enum link_kind kind;
	struct link *tmpl;         /* template this link was cloned from, NULL if none/gone */
	unsigned children;         /* live clones (templates) */
	const struct dev_type *dev;
	void *dev_priv;
	enum dev_state dev_state;
	struct link_conf conf;
	struct auth_conf auth;

	/* runtime */
	enum link_phase phase;
	bool admin_open;           /* OPEN given (by operator, bundle or incoming call) */
	bool incoming_call;        /* this connection was answered, not dialled */
	bool die;                  /* remove once down */
	bool rx_seen;              /* any frame since the last keep-alive tick */
	unsigned redials;
	struct bundle *bund;       /* bundle joined (NETWORK phase) */
	struct handle owner;       /* bundle that opened this link for an outgoing call (bund_by_handle) */
	struct link_ppp *ppp;      /* LCP and auth engines, allocated while not DEAD */
	char session_id[40];
	char peer_authname[64];
	struct auth_result *authz; /* what AAA granted this session (link_authz.c; no key bytes), NULL = none */
	bool peer_range_set;       /* mpd.secret gave an address range for the peer */
	struct in_addr peer_range;
	int peer_range_width;
	char up_reason[64], down_reason[64];
	time_t up_since;
	struct link_stats stats;
	struct link_acct acct;
	struct timer redial_timer;
	struct timer ka_timer;
	struct timer free_timer;
};

/* A session id "<time mod 10^7>-<name>" (mpd5's form; Acct-Session-Id, Acct-Multi-Session-Id);
 * a later one in the same second gets ".<n>" after the time, so ids never repeat in a run. */
void link_session_stamp(struct sid_stamp *st, char *buf, size_t len, const char *name);
/* Create a link of a device type (or copied from template `from`); registered and named. */
struct link *link_create(struct daemon *d, const char *name, enum link_kind kind,
			 const struct dev_type *dev, const struct link *from, char *err, size_t errlen);
/* Destroy a link: templates at once, live links once fully down. */
void link_destroy(struct link *l);
/* A handle on l that stops resolving once l is destroyed (core/registry.h). */
struct handle link_handle(const struct link *l);
/* The link a handle names, or NULL once it is gone. */
struct link *link_by_handle(struct daemon *d, struct handle h);
/* Find a link by name or "[hex index]". */
struct link *link_find(struct daemon *d, const char *name);
/* OPEN the link (start a call); reason is recorded as the up reason. */
void link_open(struct link *l, const char *reason);
/* CLOSE the link (terminate LCP and hang up). */
void link_close(struct link *l, const char *reason);
/* Send a network-layer frame (protocol first) on this link; frees b. */
void link_send(struct link *l, uint16_t proto, struct pbuf *b);
/* Set default link/auth configuration for a device type. */
void link_conf_defaults(struct link_conf *lc, struct auth_conf *ac, const struct dev_type *dev);
/* Largest frame the peer accepts from us on this link (negotiated MRU, device cap). */
unsigned link_peer_mru(const struct link *l);
/* Name of the link's current LCP state, for show. */
const char *link_lcp_state_name(const struct link *l);
/* Name of a phase. */
const char *link_phase_name(enum link_phase p);
/* Name of a device state. */
const char *link_dev_state_name(enum dev_state s);
/* Stage 2 of the action list: true when the first entry matching login is `drop`. */
bool link_action_drops(const struct link *l, const char *login);
/* bund: a clone of link template t for a bundle's link slot; NULL when busy or out of memory. */
struct link *link_instantiate(struct link *t);
/* Accounting hooks, called as the link joins and leaves its bundle (commands.md §3.4, radius.md §2.6):
 * Start (once the bundle's NCPs are up) and the interim timer; Stop with the recorded down reason. */
void link_acct_start(struct link *l);
/* The bundle's NCPs came up: a link that joined before sends its Start now. */
void link_acct_ncp_up(struct link *l);
void link_acct_stop(struct link *l);
/* link_acct.c: set up / release a link's accounting state (the request in flight goes on alone). */
void link_acct_init(struct link *l);
void link_acct_free(struct link *l);
/* A new connection: forget what AAA said about the previous one. */
void link_acct_session_reset(struct link *l);
/* Take what AAA returned for accounting (Class, interim interval, ...) when the peer is accepted. */
void link_acct_auth_result(struct link *l, const struct auth_result *r);
/* CoA (RFC 5176): a new Acct-Interim-Interval (0: back to `set auth acct-update`), re-armed from now. */
void link_acct_set_interim(struct link *l, uint32_t secs);
/* CoA: a new Class to echo in the session's next accounting requests. */
void link_acct_set_class(struct link *l, const uint8_t *cls, size_t len);
/* `show auth`: accounting state lines. */
void link_acct_show(struct cmd_ctx *c, const struct link *l);
/* The bundle tells a link it left (bundle closing or link removed). */
void link_bundle_gone(struct link *l);

/* Set up the link and bundle registries of a new daemon; 0, or -1 when out of memory. */
int links_init(struct daemon *d);
/* Number of links not DEAD. */
unsigned links_count_up(struct daemon *d);
/* Close every link for daemon shutdown (reason "Admin shutdown"). */
void links_shutdown(struct daemon *d);
/* Free every link and bundle at exit, and the registries. */
void links_destroy_all(struct daemon *d);
/* SIGUSR1/SIGUSR2: open or close the first non-template link. */
void link_signal_first(struct daemon *d, bool open);
/* One-shot mode: start shutdown when no non-template link exists. */
void links_check_oneshot(struct daemon *d);
/* During shutdown: exit the loop once nothing is up. */
void links_check_shutdown_done(struct daemon *d);

/* What AAA granted (link_authz.c, radius.md §2.8). Keep r for this session and check it can be
 * honoured (pool exists, mpd-action, strict-attrs); 0, or -1 with the refusal in why (logged).
 * A User-Name in r replaces the peer's login from here on. */
int link_authz_accept(struct link *l, const struct auth_result *r, char *why, size_t len);
/* Forget what AAA granted (new authentication, link freed). */
void link_authz_clear(struct link *l);
/* The bundle an mpd-action `bundle NAME` names: true with target filled. */
bool link_authz_bundle(const struct link *l, char *target, size_t len);
struct iface_authz;
/* The interface's part of the grant (timeouts, MTU cap, routes, Filter-Id, name, description). */
void link_authz_iface(const struct link *l, struct iface_authz *ia);
/* RADIUS CoA: new Session-Timeout / Idle-Timeout (AUTH_UNSET_U32 = keep) for a running session; their
 * timers restart now (keep-timeout: the session deadline still counts from the start). 0, or -1 when
 * the link has no bundle (then only stored). */
int link_authz_timeouts(struct link *l, uint32_t session_timeout, uint32_t idle_timeout);
/* `show auth`: the authorization data received from AAA. */
void link_authz_show(struct cmd_ctx *c, const struct link *l);

/* `create link`, `destroy link`, `link`, `session`, `authname` handlers and menus. */
/* Device type name of a link ("pppoe"), for the interpreter's entries with a devtype. */
const char *link_type_name(const struct link *l);
extern const struct cmd link_set_cmds[];
extern const struct cmd auth_set_cmds[];
extern const struct cmd eap_set_cmds[];
/* `set radius` and `unset radius` (link/link_radius.c, commands.md §9.3). */
extern const struct cmd radius_set_cmds[];
extern const struct cmd radius_unset_cmds[];
/* `show radius`: the link's settings and the servers' shared state and counters. */
int link_show_radius(struct cmd_ctx *c, int ac, char **av, const void *arg);
/* Handlers for top-level commands, wired by cmdtab.c. */
int link_cmd_create(struct cmd_ctx *c, int ac, char **av, const void *arg);
/* Why type names no compiled-in device: "not supported yet" for the device types still to
 * come (then true: a feature not built yet), the netgraph explanation for "ng", else
 * "unknown device type". */
bool link_type_refusal(const char *type, char *buf, size_t len);
/* `set link type` / mpd 4 `set phys type`: accepted only when it names the type the link has. */
int link_cmd_type(struct cmd_ctx *c, int ac, char **av, const void *arg);
int link_cmd_destroy(struct cmd_ctx *c, int ac, char **av, const void *arg);
int link_cmd_select(struct cmd_ctx *c, int ac, char **av, const void *arg);
int link_cmd_session(struct cmd_ctx *c, int ac, char **av, const void *arg);
int link_cmd_authname(struct cmd_ctx *c, int ac, char **av, const void *arg);
int link_cmd_open(struct cmd_ctx *c, int ac, char **av, const void *arg);
int link_cmd_close(struct cmd_ctx *c, int ac, char **av, const void *arg);
int link_show_link(struct cmd_ctx *c, int ac, char **av, const void *arg);
int link_show_lcp(struct cmd_ctx *c, int ac, char **av, const void *arg);
int link_show_auth(struct cmd_ctx *c, int ac, char **av, const void *arg);
int link_show_eap(struct cmd_ctx *c, int ac, char **av, const void *arg);
int link_show_device(struct cmd_ctx *c, int ac, char **av, const void *arg);
int link_show_sessions(struct cmd_ctx *c, int ac, char **av, const void *arg);
int link_show_summary(struct cmd_ctx *c, int ac, char **av, const void *arg);

/* Fast path (dp/dp.h): add the link's PPP header and counters to bind and let the device
 * install it in di; -1 when the device or the link state can't. */
int link_fast_bind(struct link *l, struct dp_iface *di, struct dp_bind *bind);
/* Remove the link's fast-path binding, if any. */
void link_fast_unbind(struct link *l);

#endif
