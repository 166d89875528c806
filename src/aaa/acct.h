/*
 * Accounting (radius.md §2.3-§2.6, §5.4, §6): telling every enabled
 * accounting backend (radius-acct, ext-acct, pam-acct, system-acct) that a
 * link's session started, is still going or ended.
 *
 * Like auth_start(), acct_send() takes a complete copy of what the
 * backends need (struct acct_record: never a link pointer, the link may be
 * gone long before a slow server answers) and reports later, from the
 * loop, through a callback. Unlike authentication, a request outlives its
 * link: acct_forget() detaches the callback but the backends carry on
 * until the request is answered or given up, so a Stop of a session that
 * ended is not lost while the daemon runs. aaa/ depends only on core/,
 * ppp/ and conf/.
 */
#ifndef MPD_AAA_ACCT_H
#define MPD_AAA_ACCT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "aaa/auth.h" /* AOPT_* backend bits, AUTH_MAXNAME */
#include "aaa/rad_client.h"

struct daemon;

/* Acct-Status-Type (RFC 2866 §5.1); the values are the wire values. */
enum acct_status { ACCT_START = 1, ACCT_STOP = 2, ACCT_UPDATE = 3 };

#define ACCT_NAME_MAX 32   /* link, bundle, interface names */
#define ACCT_STR_MAX 64    /* station ids, tunnel names, addresses, ident */
#define ACCT_OCTETS_MAX 253 /* one RADIUS attribute value */

/*
 * One accounting request: a copy of everything any backend sends.
 * Strings are NUL-terminated ("" = unknown/not applicable); counters are
 * the link's own (radius.md §2.5), 64-bit, split for RADIUS by the backend.
 */
struct acct_record {
	enum acct_status status;
	uint32_t backends;                     /* AOPT_* bits of the accounting backends to run */

	/* who (radius.md §2.1, §5.4) */
	char session_id[40];                   /* Acct-Session-Id: the link's */
	char multi_session_id[40];             /* Acct-Multi-Session-Id: the bundle's */
	char user[AUTH_MAXNAME];               /* User-Name: the peer's login */
	char link[ACCT_NAME_MAX];              /* mpd-link, LINK */
	char bundle[ACCT_NAME_MAX];            /* mpd-bundle, BUNDLE */
	char iface[ACCT_NAME_MAX];             /* mpd-iface, IFACE */
	unsigned iface_index;                  /* mpd-iface-index, IFACE_INDEX (kernel ifindex, 0 unknown) */
	unsigned nas_port;                     /* NAS-Port: link index */
	char nas_port_type[16];                /* device type name ("pppoe"): ext-acct NAS_PORT_TYPE */
	int nas_port_type_value;               /* RADIUS NAS-Port-Type (RFC 2865 §5.41), -1 not sent */
	char calling[ACCT_STR_MAX];            /* Calling-Station-Id */
	char called[ACCT_STR_MAX];             /* Called-Station-Id */
	char self_name[ACCT_STR_MAX];          /* SELF_NAME: tunnel/agent circuit id */
	char peer_name[ACCT_STR_MAX];          /* PEER_NAME: tunnel/agent remote id */
	char self_addr[ACCT_STR_MAX];          /* SELF_ADDR: outer address on our side */
	char peer_addr[ACCT_STR_MAX];          /* PEER_ADDR: outer address of the peer */
	unsigned peer_port;                    /* PEER_PORT, 0 unknown */
	char peer_mac[24];                     /* PEER_MAC_ADDR */
	char peer_iface[ACCT_NAME_MAX];        /* PEER_IFACE, NAS-Port-Id */
	char peer_ident[ACCT_STR_MAX];         /* mpd-peer-ident: LCP Identification text */

	/* the session (radius.md §2.3) */
	struct in_addr framed_ip;              /* Framed-IP-Address (0.0.0.0 none yet) */
	bool framed_mask_set;
	struct in_addr framed_mask;            /* Framed-IP-Netmask, if AAA gave one */
	unsigned link_count;                   /* Acct-Link-Count: links in the bundle */
	bool radius_authentic;                 /* Acct-Authentic RADIUS (1), else Local (2) */
	uint8_t class_attr[ACCT_OCTETS_MAX];   /* Class from the Access-Accept, echoed */
	size_t class_len;
	uint8_t state[ACCT_OCTETS_MAX];        /* State kept from the Accept, echoed */
	size_t state_len;

	/* Stop and Update only */
	uint64_t in_octets, out_octets;        /* link counters after compression/multilink */
	uint64_t in_packets, out_packets;
	uint32_t session_time;                 /* seconds since the link came up */
	char term_reason[64];                  /* Stop: the link's textual down reason ("" none) */

	/* RADIUS settings of the link (`set radius`), copied: servers, ports, NAS-Identifier... */
	struct radius_conf radius;
};

/* What came back for one request. */
struct acct_reply {
	bool ok;        /* every enabled backend that could be run succeeded */
	bool drop_user; /* some backend answered mpd-drop-user / MPD_DROP_USER non-zero */
};

struct acct_pending;

/* The outcome; r is only valid during the call. */
typedef void (*acct_done_fn)(const struct acct_reply *r, void *arg);

/*
 * Send a copy of rec to every backend enabled in rec->backends. done runs once, from the
 * loop after acct_send returned, unless acct_forget was called first. With no backend
 * enabled done still runs (ok). NULL on OOM (nothing sent, done never runs).
 */
struct acct_pending *acct_send(struct daemon *d, const struct acct_record *rec, acct_done_fn done, void *arg);
/* The asker is gone: done never runs, but the request goes on until answered or given up. */
void acct_forget(struct acct_pending *p);
/* Number of requests still in flight (forgotten ones included), for graceful shutdown. */
unsigned acct_in_flight(const struct daemon *d);
/* Graceful shutdown, links all down: run the loop until no request is in flight or max_ms passed. */
void acct_shutdown_wait(struct daemon *d, unsigned max_ms);
/* Exit: cancel every request still in flight (backend jobs killed, no callbacks). */
void acct_abort_all(struct daemon *d);

/* Textual down reason → Acct-Terminate-Cause (RFC 2866 §5.10) by its first word (radius.md §2.4). */
unsigned acct_terminate_cause(const char *reason);
/* Split a 64-bit octet counter: low 32 bits (Acct-*-Octets) and Gigawords = v / 2^32 (RFC 2869 §5.1, 5.2). */
void acct_split64(uint64_t v, uint32_t *low, uint32_t *giga);
/* "START", "STOP", "UPDATE" (ext-acct ACCT_STATUS_TYPE, log lines). */
const char *acct_status_name(enum acct_status s);

/* ---- accounting backends ---- */

struct acct_job;

/*
 * A backend's answer to one request: ok, and whether it asked to drop the user. Called
 * once from the loop, never from inside start(), unless cancel() was called first.
 */
typedef void (*acct_job_done_fn)(bool ok, bool drop_user, void *arg);

/*
 * One accounting backend (a row of the dispatcher's table in acct.c). start() takes its
 * own copy of what it needs from rec (rec is gone after the call) and returns a job, or
 * NULL when it cannot even begin (counts as a failure). cancel() forgets a job: its
 * callback never runs and its resources (program, socket, timers) are released.
 * The dispatcher never cancels a job because its asker went away (acct_forget); it
 * cancels only at exit (acct_abort_all).
 */
struct acct_backend {
	int opt;          /* AOPT_* bit that enables it */
	const char *name; /* "radius-acct", for log lines */
	struct acct_job *(*start)(struct daemon *d, const struct acct_record *rec, acct_job_done_fn done,
				  void *arg);
	void (*cancel)(struct acct_job *job);
};

/* Rows: acct_radius.c (r12acct); ext-acct, pam-acct, system-acct in their own files (r12ext),
 * each added to the table in acct.c. */
extern const struct acct_backend acct_backend_radius;

#endif
