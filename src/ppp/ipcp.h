/*
 * IPCP (RFC 1332) with the DNS/NBNS options of RFC 1877, on the shared
 * automaton. VJ compression is refused until the VJ engine exists.
 */
#ifndef MPD_PPP_IPCP_H
#define MPD_PPP_IPCP_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "core/optset.h"
#include "ppp/fsm.h"

enum ipcp_opt_type {
	IPCP_ADDRS = 1,		/* deprecated IP-Addresses */
	IPCP_COMP = 2,
	IPCP_ADDR = 3,
	IPCP_PRIDNS = 129,
	IPCP_PRINBNS = 130,
	IPCP_SECDNS = 131,
	IPCP_SECNBNS = 132,
};

/* Option bits in ipcp_conf.opts (commands.md §12.1). */
enum ipcp_optbit {
	IPCP_O_VJCOMP,
	IPCP_O_REQPRIDNS,
	IPCP_O_REQSECDNS,
	IPCP_O_REQPRINBNS,
	IPCP_O_REQSECNBNS,
	IPCP_O_PRETENDIP,
};

/* Settings the owner fills from `set ipcp` and AAA before opening. */
struct ipcp_conf {
	const char *name;		/* bundle name for logs */
	unsigned timeout;		/* restart timer, seconds */
	struct in_addr local;		/* our address; 0.0.0.0 asks the peer for one */
	unsigned local_width;		/* how far the peer may move ours (0: anywhere) */
	struct in_addr remote;		/* range the peer's own choice must fall in */
	unsigned remote_width;
	struct in_addr assigned;	/* the address we give the peer (Nak value) */
	struct in_addr dns[2];		/* servers we offer; 0.0.0.0 = none */
	struct in_addr nbns[2];
	struct optset opts;		/* IPCP_O_* bits */
};

/* Agreed values, valid once Opened. */
struct ipcp_neg {
	struct in_addr local;
	struct in_addr peer;
	struct in_addr dns[2];		/* what the peer gave us, 0.0.0.0 when none */
	struct in_addr nbns[2];
};

/* The four server options, indexed by type - IPCP_PRIDNS. */
#define IPCP_NSRV 4

struct ipcp_want {
	bool addr;
	struct in_addr addr_val;
	bool srv[IPCP_NSRV];
	struct in_addr srv_val[IPCP_NSRV];
};

struct ipcp {
	struct fsm fsm;
	struct ipcp_conf conf;
	struct ipcp_want want;
	struct ipcp_neg neg;
};

/* Set up IPCP in the Initial state. */
void ipcp_init(struct ipcp *p, const struct ipcp_conf *conf, const struct fsm_owner *owner);
/* One IPCP packet from the bundle. */
void ipcp_input(struct ipcp *p, const uint8_t *pkt, size_t len);
/* True when a lies within base/width (width 0 matches everything). */
bool ipcp_in_range(struct in_addr a, struct in_addr base, unsigned width);

#endif
