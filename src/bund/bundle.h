/*
 * A bundle: what authenticated links join. It owns the network side:
 * IPCP and the system interface (struct iface, iface/iface.h)
 * (commands.md §3.4, §10, §11, §12.1).
 */
#ifndef MPD_BUNDLE_H
#define MPD_BUNDLE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "conf/cmd.h"
#include "core/hash.h"
#include "core/registry.h"
#include "core/timer.h"
#include "iface/iface.h"

struct daemon;
struct link;
struct pbuf;
struct bund_ipcp;
struct bund_mp;
struct bund_bw;

#define BUND_NAME_MAX 16 /* user-given names: 15 chars + NUL */
#define BUND_NAME_BUF 32 /* clones add "-index" */
#define BUND_MAX_LINKS 16

enum bund_kind { BUND_PLAIN, BUND_STATIC, BUND_TEMPLATE };

/* `set bundle` options (commands.md §10). */
enum {
	BOPT_IPCP, BOPT_IPV6CP, BOPT_COMPRESSION, BOPT_ENCRYPTION, BOPT_CRYPT_REQD,
	BOPT_BW_MANAGE, BOPT_ROUND_ROBIN,
	/* bund: mpd 4 bundle-level options, applied to the bundle's links (docs/differences.md) */
	BOPT_MULTILINK, BOPT_SHORTSEQ, BOPT_NORETRY, BOPT_RADIUS_ACCT,
};

/* `set ipcp` options (commands.md §12.1). */
enum {
	IPOPT_VJCOMP, IPOPT_REQ_PRI_DNS, IPOPT_REQ_SEC_DNS, IPOPT_REQ_PRI_NBNS, IPOPT_REQ_SEC_NBNS,
	IPOPT_PRETEND_IP,
};

struct bund_conf {
	unsigned fsm_timeout;
	unsigned period, lowat, hiwat, min_con, min_dis;
	struct optset opts;
	/* bund: `set bundle links` slots, options given explicitly, mpd 4 `new` origin */
	char links[BUND_MAX_LINKS][32];
	int nlinks;
	uint32_t opts_set;  /* BOPT_* bits named by a verb (multilink/shortseq default otherwise) */
	bool mpd4;          /* made by `new`: reopen after the last link is lost unless noretry */
};

struct ipcp_settings {
	struct ip_range self, peer;
	bool ranges_set;                   /* `set ipcp ranges` given: 0.0.0.0/0 then means "peer assigns" */
	char self_pool[16], peer_pool[16]; /* `ranges ... ippool NAME`, empty = none */
	struct in_addr dns[2], nbns[2];
	struct optset opts;
};

struct bund_stats {
	uint64_t in_octets, out_octets, in_frames, out_frames, dropped;
};

struct bundle {
	struct daemon *d;
	char name[BUND_NAME_BUF];
	unsigned index;
	enum bund_kind kind;
	struct handle tmpl;       /* template this bundle was cloned from (bund_by_handle) */
	unsigned children;
	struct bund_conf conf;
	struct ipcp_settings ipconf;

	/* runtime */
	struct link *links[BUND_MAX_LINKS];
	int nlinks;
	bool open;                /* administratively open */
	bool die;
	char msession_id[40];
	char peer_authname[64];
	time_t up_since;
	struct bund_ipcp *ipcp;   /* IPCP engine glue, while links are joined */
	struct bund_mp *mp;       /* multilink glue (bund_mp.h), when the first link negotiated MRRU */
	bool owns_links;          /* opened links itself (bund_bw.c): closing looks for them */
	/* While links are joined: counted in d->logins, indexed in d->mp_peers (bundle.c). */
	const struct link *login_scope; /* a hash key only, never followed (bunds_tmpl_gone) */
	bool login_counted, mp_indexed;
	struct hnode mp_node;
	struct bund_stats stats;
	struct timer free_timer;
	struct bund_bw *bw;          /* bandwidth management and link slots (bund_bw.c), lazily made */
	/* By value: it lives and dies with the bundle, and templates carry its configuration. */
	struct iface iface;
};

/* Create a bundle (optionally copied from a template); registered, interface created. */
struct bundle *bund_create(struct daemon *d, const char *name, enum bund_kind kind,
			   const struct bundle *from, char *err, size_t errlen);
/* Set up the bundle registry and its indexes (from links_init); 0, or -1 when out of memory. */
int bunds_init(struct daemon *d);
/* Find a bundle by name. */
struct bundle *bund_find(struct daemon *d, const char *name);
/* A handle on b that stops resolving once b is destroyed (core/registry.h). */
struct handle bund_handle(const struct bundle *b);
/* The bundle a handle names, or NULL once it is gone. */
struct bundle *bund_by_handle(struct daemon *d, struct handle h);
/* Link template tmpl is going: bundles counted under it count with the orphans (NULL). */
void bunds_tmpl_gone(struct daemon *d, const struct link *tmpl);
/* True for templates. */
bool bund_is_template(const struct bundle *b);
/* Clone a template for a new session; NULL when it can't. */
struct bundle *bund_instantiate(struct bundle *tmpl);
/* Open bundles whose peer is `peer`, among sessions of link template tmpl (max-logins). */
unsigned bunds_count_peer(struct daemon *d, const struct link *tmpl, const char *peer, bool ci);
/* A non-template multilink bundle link l may join: same peer discriminator and auth name (§3.4). */
struct bundle *bunds_find_multilink(struct daemon *d, const struct link *l);
/* Free a dying bundle that no link joined (after a failed join). */
void bund_release_if_unused(struct bundle *b);
/* Destroy: templates at once, others once their last link left. */
void bund_destroy(struct bundle *b);
/* A link entered NETWORK phase and joins; -1 with a reason when refused. */
int bund_join(struct bundle *b, struct link *l, char *err, size_t errlen);
/* A link leaves (down or closing). */
void bund_leave(struct bundle *b, struct link *l);
/* A frame for the bundle from link l (protocol already removed); -1 = unknown protocol,
 * the caller rejects it and keeps b; otherwise b is consumed. */
int bund_input(struct bundle *b, struct link *l, uint16_t proto, struct pbuf *bf);
/* Close every link of the bundle. */
void bund_close(struct bundle *b, const char *reason);
/* Open the bundle (`open bund`): opens its links. */
void bund_open(struct bundle *b);
/* Bundle name for prompts and logs. */
const char *bund_name(const struct bundle *b);
/* Close all bundles for shutdown. */
void bunds_shutdown(struct daemon *d);
/* Free every bundle at exit. */
void bunds_destroy_all(struct daemon *d);
/* Default `set bundle/iface/ipcp` values. */
void bund_conf_defaults(struct bundle *b);

/* Upcalls from the IPCP glue; a: the negotiated addresses. */
void bund_ipcp_up(struct bundle *b, const struct iface_ipv4 *a);
void bund_ipcp_down(struct bundle *b);
void bund_ncp_finished(struct bundle *b);
/* The peer sent an LCP Protocol-Reject for proto on one of the bundle's links. */
void bund_protocol_rejected(struct bundle *b, uint16_t proto);
/* Send an NCP or data frame on the bundle: through multilink when active, else on its link. */
void bund_send(struct bundle *b, uint16_t proto, struct pbuf *bf);

/* For iface/ and the commands: the bundle's interface. */
struct iface *bund_iface(struct bundle *b);
/* True while the bundle is administratively open (`show iface` Admin status). */
bool bund_admin_open(const struct bundle *b);

/* Command handlers and menus (bund_cmds.c). */
extern const struct cmd bund_set_cmds[];
extern const struct cmd ipcp_set_cmds[];
int bund_cmd_create(struct cmd_ctx *c, int ac, char **av, const void *arg);
int bund_cmd_destroy(struct cmd_ctx *c, int ac, char **av, const void *arg);
int bund_cmd_select(struct cmd_ctx *c, int ac, char **av, const void *arg);
int bund_cmd_iface(struct cmd_ctx *c, int ac, char **av, const void *arg);
int bund_cmd_msession(struct cmd_ctx *c, int ac, char **av, const void *arg);
int bund_show_bundle(struct cmd_ctx *c, int ac, char **av, const void *arg);
int bund_show_ipcp(struct cmd_ctx *c, int ac, char **av, const void *arg);
int bund_show_customer(struct cmd_ctx *c, int ac, char **av, const void *arg);

#endif
