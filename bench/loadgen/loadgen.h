/*
 * mpd5-loadgen: N PPPoE client sessions from one process over one
 * Ethernet interface, each with its own MAC, driven by the project's own
 * engines (PPPoE codec, LCP, CHAP, IPCP). It measures a server; it is not
 * a client for real use.
 */
#ifndef MPD_LOADGEN_H
#define MPD_LOADGEN_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <event2/event.h>

#include "core/timer.h"
#include "dev/pppoe/pppoe_proto.h"
#include "ppp/chap.h"
#include "ppp/ipcp.h"
#include "ppp/lcp.h"

#define LG_COOKIE_MAX 256
#define LG_MAX_SESSIONS (1u << 20)

enum lg_state {
	LG_IDLE,	/* not started, or ended and waiting to start again */
	LG_PADI,	/* PADI sent, waiting for a PADO */
	LG_PADR,	/* PADR sent, waiting for the PADS */
	LG_PPP,		/* session granted: LCP, CHAP, IPCP under way */
	LG_UP,		/* IPCP opened */
	LG_CLOSING,	/* LCP Terminate under way */
};

struct lg;

/* One client session. */
struct lg_sess {
	struct lg *lg;
	uint32_t idx;
	uint8_t mac[PPPOE_ETH_ALEN];
	enum lg_state state;
	uint8_t ac[PPPOE_ETH_ALEN];
	uint16_t sid;
	uint8_t cookie[LG_COOKIE_MAX];
	size_t cookie_len;
	uint8_t relay[LG_COOKIE_MAX];
	size_t relay_len;
	unsigned tries;		/* discovery packets sent for this attempt */
	bool rx_seen;		/* a frame came since the last keep-alive tick */
	bool in_flight;		/* counted in lg.inflight */
	struct timespec t0;	/* this attempt started */
	struct timer t_disc, t_lcp, t_ipcp, t_ka, t_hold;
	struct lcp lcp;
	struct chap chap;
	struct ipcp ipcp;
};

/* Command-line settings. */
struct lg_conf {
	const char *ifname;
	uint32_t n;		/* sessions */
	unsigned window;	/* concurrent setups */
	const char *user, *pass;
	unsigned ka_sec;	/* our own keep-alive; 0: only answer the server's */
	unsigned duration;	/* seconds to run; 0: until SIGTERM/SIGINT */
	unsigned hold_ms;	/* churn: close each session this long after it is up (0: keep) */
	uint8_t mac_base[3];	/* first three bytes of every session MAC */
	bool verbose;
};

/* Counters reported on stdout. */
struct lg_stats {
	uint64_t started, up_events, failed, dropped, closed;
	uint32_t up;		/* sessions up now */
	bool all_up_said;
	uint64_t rx_frames, tx_frames, tx_errors;
	double setup_sum;	/* seconds, for the mean setup time */
};

/* The whole generator, passed explicitly. */
struct lg {
	struct lg_conf conf;
	struct event_base *base;
	int fd;
	int ifindex;
	struct event *rx_ev, *tick_ev, *sig_ev[2];
	struct lg_sess *sess;
	uint32_t next;		/* next never-started session */
	uint32_t *again;	/* ring of ended sessions to start again (churn) */
	uint32_t again_head, again_len;
	unsigned inflight;
	bool stopping;
	struct timespec t_start;
	struct lg_stats st;
};

/* lg_wire.c */
/* Open the AF_PACKET socket on conf.ifname (PPPoE ethertypes only, promiscuous); -1 logged. */
int lg_wire_open(struct lg *g);
/* Read every frame waiting on the socket and hand each to its session. */
void lg_wire_read(struct lg *g);
/* Send one Ethernet frame; -1 when the kernel refused it. */
int lg_wire_send(struct lg *g, const uint8_t *frame, size_t len);
/* Session owning a destination MAC, or NULL. */
struct lg_sess *lg_sess_by_mac(struct lg *g, const uint8_t mac[PPPOE_ETH_ALEN]);

/* lg_disc.c */
/* Set up the discovery timer of s (once). */
void lg_disc_init(struct lg_sess *s);
/* Begin discovery (PADI) for s. */
void lg_disc_start(struct lg_sess *s);
/* A discovery frame for s (PADO, PADS, PADT). */
void lg_disc_input(struct lg_sess *s, const struct pppoe_frame *f);
/* Send PADT for s's session (when it has one). */
void lg_disc_padt(struct lg_sess *s);

/* lg_ppp.c */
/* Set up the engines and timers of s (once). */
void lg_ppp_init(struct lg_sess *s);
/* The session was granted: start LCP. */
void lg_ppp_start(struct lg_sess *s);
/* A session frame (PPP protocol field first) for s. */
void lg_ppp_input(struct lg_sess *s, const uint8_t *p, size_t len);
/* Close the session politely (LCP Terminate, then PADT). */
void lg_ppp_close(struct lg_sess *s);
/* Stop the engines and timers without sending anything. */
void lg_ppp_reset(struct lg_sess *s);

/* main.c */
/* s reached IPCP Opened. */
void lg_sess_up(struct lg_sess *s);
/* s ended (failure, PADT, or after a close); ok = it ended the way we asked. */
void lg_sess_end(struct lg_sess *s, bool ok, const char *why);
/* Seconds since t. */
double lg_since(const struct timespec *t);

#endif
