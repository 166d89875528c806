/*
 * Internals of the PPPoE device shared by its files: per-link state,
 * the shared per-interface sockets and the registry that finds them.
 */
#ifndef MPD_PPPOE_VAR_H
#define MPD_PPPOE_VAR_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <linux/if_packet.h>

#include "dp/gro.h"

#include "conf/cmd.h"
#include "core/timer.h"
#include "dev/dev.h"
#include "dev/pppoe/pppoe_cookie.h"
#include "dev/pppoe/pppoe_delay.h"
#include "core/hash.h"
#include "dev/pppoe/pppoe_mac.h"
#include "dev/pppoe/pppoe_proto.h"
#include "net/pktring.h"
#include "core/idalloc.h"

struct link;
struct pbuf;
struct event;
struct event_base;
struct dp_iface;
struct gro_pkt;
struct nl_watch;

#define PPPOE_NAME_MAX 64    /* service and AC names, with the NUL */
#define PPPOE_HOOK_MAX 32
#define PPPOE_BLOB_MAX 256   /* AC-Cookie / Relay-Session-Id we keep to echo */
#define PPPOE_UNIQ_MAX 64    /* peer Host-Uniq we remember for repeated PADRs */
#define PPPOE_AGENT_MAX 64   /* Agent-Circuit-Id / Remote-Id (TR-101 allows 63) */
#define PPPOE_DISC_TIMEOUT 9000 /* ms: client discovery gives up */
#define PPPOE_PADR_REPEAT 10 /* s: a repeated PADR within this re-sends the PADS */

/* `set pppoe ...` values; copied into clones. */
struct pppoe_conf {
	char iface[IFNAMSIZ];
	char hook[PPPOE_HOOK_MAX];
	char service[PPPOE_NAME_MAX * 2];  /* may be "AC\Service" */
	char acname[PPPOE_NAME_MAX];
	uint16_t max_payload;              /* 0: not asked */
	enum pppoe_macfmt macfmt;
	bool no_originate;                 /* mpd 4 `set pppoe disable originate`: only answer */
	struct pppoe_pado_delay pado_delay; /* listeners: how long PADOs wait (pppoe_delay.h) */
};

/* Largest `set pppoe max-payload`, so also the largest `set link mtu|mru` a PPPoE link takes. */
#define PPPOE_MAX_PAYLOAD_SET 1510

enum pppoe_role { PPPOE_ROLE_NONE, PPPOE_ROLE_CLIENT, PPPOE_ROLE_SERVER };

enum pppoe_state { PPPOE_IDLE, PPPOE_PADI_SENT, PPPOE_PADR_SENT, PPPOE_READY, PPPOE_UP };

struct pppoe_if;

/* A bounded copy of a tag value. */
struct pppoe_keep {
	uint8_t v[PPPOE_BLOB_MAX];
	size_t len;
	bool set;
};

/* The device state of one link. */
struct pppoe_link {
	struct link *l;
	struct pppoe_conf conf;
	enum pppoe_role role;
	enum pppoe_state state;
	bool clone;            /* made for an incoming call: never listens */
	bool open_req;         /* open() came while the call was being accepted */
	bool close_req;        /* close() came while the call was being accepted */

	/* The session (or discovery) in progress. */
	struct pppoe_if *ifp;  /* holds a reference while role != NONE */
	uint8_t peer[PPPOE_ETH_ALEN];
	uint16_t sid;
	unsigned mtu;
	char peer_acname[PPPOE_NAME_MAX];
	char sess_service[PPPOE_NAME_MAX * 2];
	struct hnode sess_node;  /* in ifp->sessions by (peer, sid) */
	bool in_sess;
	TAILQ_ENTRY(pppoe_link) uentry;  /* in ifp->users while ifp is set */
	bool in_users;

	/* Client discovery. */
	uint64_t host_uniq;
	struct hnode uniq_node;  /* in ifp->uniqs by host_uniq */
	bool in_uniq;
	char want_ac[PPPOE_NAME_MAX];
	char want_svc[PPPOE_NAME_MAX];
	struct pppoe_keep cookie;
	struct pppoe_keep relay;
	struct timer resend;
	struct timer deadline;
	unsigned resend_ms;
	uint16_t asked_payload;        /* PPP-Max-Payload we requested, 0 = none */

	/* Server session. */
	uint8_t peer_uniq[PPPOE_UNIQ_MAX];
	size_t peer_uniq_len;
	bool has_peer_uniq;
	struct hnode dup_node;   /* in ifp->dups by (peer, Host-Uniq) */
	bool in_dup;
	uint32_t pads_at;
	uint16_t max_payload_echo;
	uint8_t cid[PPPOE_AGENT_MAX], rid[PPPOE_AGENT_MAX];
	size_t cid_len, rid_len;

	/* Listening (templates and static links with `incoming`). */
	struct pppoe_if *lifp;
	TAILQ_ENTRY(pppoe_link) lentry;

	/* The data path's fast path carries this session's IP frames (dp/dp.h); NULL when not. */
	struct dp_iface *fast;
	unsigned fast_plen;    /* PPP protocol field length of the IP frames it takes: 1 or 2 */

	/* Counters for show. */
	uint64_t in_frames, in_octets, out_frames, out_octets, out_drops;
};

TAILQ_HEAD(pppoe_listeners, pppoe_link);
TAILQ_HEAD(pppoe_users, pppoe_link);

#define RX_BURST 64      /* session frames read per wakeup, so one busy interface cannot starve others */
#define RX_FRAME 4096    /* largest session frame received (PBUF_SIZE) */

/* One batch of session frames (recvmmsg or ring), and the fast-path packets among them. */
struct pppoe_rxq {
	struct mmsghdr msg[RX_BURST];
	struct iovec iov[RX_BURST];
	struct sockaddr_ll sll[RX_BURST];
	uint8_t buf[RX_BURST][RX_FRAME];
	struct gro_pkt pkts[RX_BURST];
	struct dp_iface *dst[RX_BURST];
	unsigned nfast;
	struct pktring ring;  /* used instead of recvmmsg when the kernel gave us one */
};

/*
 * One Ethernet interface: two shared sockets and the sessions on it. It is
 * found by name and follows the interface through rtnetlink: the current
 * MAC and MTU, and when the interface goes away its sockets are closed
 * (`gone`) until an interface of that name appears again.
 */
struct pppoe_if {
	LIST_ENTRY(pppoe_if) entry;
	struct pppoe_reg *reg;
	struct event_base *base;
	char name[IFNAMSIZ];
	int ifindex;            /* 0 while gone */
	bool gone;              /* the interface does not exist: no sockets */
	bool running;           /* administratively up with a carrier */
	bool checked;           /* seen by the current recheck of every interface */
	unsigned master;        /* ifindex of the bridge or bond it is a port of, 0 when none */
	uint8_t mac[PPPOE_ETH_ALEN];
	unsigned mtu;
	int disc_fd, sess_fd;
	struct event *disc_ev, *sess_ev;
	struct pppoe_rxq *rxq;
	unsigned refs;
	unsigned busy;          /* inside a read callback: free later */
	struct htab sessions;
	struct htab uniqs;
	struct htab dups;
	struct idmap16 sids;
	struct pppoe_listeners listeners;
	struct pppoe_users users;  /* links with a session or discovery on it */
	struct pppoe_padoq padoq;  /* PADIs whose PADO is delayed */
};

/* Everything PPPoE shares between links of the process. */
struct pppoe_reg {
	LIST_HEAD(, pppoe_if) ifs;
	struct pppoe_cookie_key key;
	bool key_ok;
	uint64_t next_uniq;
	bool accepting;         /* inside link_dev_incoming() */
	struct nl_watch *watch; /* interface changes, while any interface is open */
};

/* pppoe_if.c */
/* The process's PPPoE registry. */
struct pppoe_reg *pppoe_reg(void);
/* Find or open interface name (sockets on base); NULL with *err (errno text) on failure. */
struct pppoe_if *pppoe_if_get(struct pppoe_reg *reg, const char *name, struct event_base *base,
			      const char **err);
/* Drop a reference; the last one closes the sockets. */
void pppoe_if_put(struct pppoe_if *ifp);
/* ps (which holds a reference to ifp) now runs a session or discovery on ifp: it hears of its changes. */
void pppoe_if_use(struct pppoe_if *ifp, struct pppoe_link *ps);
/* ps no longer runs anything on its interface. */
void pppoe_if_unuse(struct pppoe_link *ps);
/* Re-read the interface MTU (it can change at any time). */
unsigned pppoe_if_mtu(struct pppoe_if *ifp);
/* A session MTU the interface can carry: mtu, lowered to the interface MTU less the PPPoE header. */
unsigned pppoe_if_session_mtu(struct pppoe_if *ifp, unsigned mtu);
/* Send a built frame on the discovery socket; -1 on error (logged). */
int pppoe_if_send_disc(struct pppoe_if *ifp, const uint8_t *frame, size_t len, const char *who);
/* Seconds of a monotonic clock, for cookies and PADR repeats. */
uint32_t pppoe_now(void);
/* Log a discovery packet at phys3. */
void pppoe_log_disc(const char *who, const char *dir, const struct pppoe_if *ifp, uint8_t code,
		    uint16_t sid, const uint8_t mac[PPPOE_ETH_ALEN]);

/* pppoe.c */
/* Forget the session or discovery: tables, timers, interface; report down when reason != NULL. */
void pppoe_link_end(struct pppoe_link *ps, bool send_padt, const char *reason);
/* Session found by peer MAC and id on ifp, or NULL. */
struct pppoe_link *pppoe_session_find(struct pppoe_if *ifp, const uint8_t mac[PPPOE_ETH_ALEN], uint16_t sid);
/* Enter the session table of ps->ifp under (peer, sid). */
void pppoe_session_add(struct pppoe_link *ps);
/* A frame for session ps arrived; b holds the PPPoE payload (PPP frame). */
void pppoe_link_input(struct pppoe_link *ps, struct pbuf *b);
/* A PADT (or PADS refusal) for an established session. */
void pppoe_link_padt(struct pppoe_link *ps, const struct pppoe_disc *d);
/* Start, keep or stop listening as the link's configuration says. */
void pppoe_listen_update(struct pppoe_link *ps);
/* Copy a tag value into a bounded buffer as printable text. */
void pppoe_blob_text(const struct pppoe_blob *b, char *buf, size_t len);

/* pppoe_client.c */
/* Begin discovery for an outgoing call. */
void pppoe_client_open(struct pppoe_link *ps);
/* A PADO or PADS arrived on ifp (payload/len are its validated tags). */
void pppoe_client_input(struct pppoe_if *ifp, const struct pppoe_frame *f, const struct pppoe_disc *d);
/* Our MAC address changed during discovery: start again with a PADI from the new one. */
void pppoe_client_rediscover(struct pppoe_link *ps);

/* pppoe_server.c */
/* A PADI arrived on ifp. */
void pppoe_server_padi(struct pppoe_if *ifp, const struct pppoe_frame *f, const struct pppoe_disc *d);
/* A PADR arrived on ifp. */
void pppoe_server_padr(struct pppoe_if *ifp, const struct pppoe_frame *f, const struct pppoe_disc *d);
/* The link layer opened a READY incoming session: it is up. */
void pppoe_server_open(struct pppoe_link *ps);
/* Forget every delayed PADO of ifp (its sockets close). */
void pppoe_server_pado_flush(struct pppoe_if *ifp);
/* PPPoE sessions this daemon holds on all its interfaces (what `set pppoe pado-delay` counts). */
size_t pppoe_sessions_held(const struct pppoe_reg *reg);

/* pppoe_cmd.c */
/* The `set pppoe` menu. */
extern const struct cmd pppoe_cmds[];
/* The `show pppoe` entry: the Ethernet interfaces PPPoE has open. */
extern const struct cmd pppoe_show_cmd;
/* `show device` part for PPPoE. */
void pppoe_show(struct cmd_ctx *c, const struct link *l);

#endif
