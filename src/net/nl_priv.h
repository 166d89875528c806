/* Internals shared by the nl_*.c files; not for other layers. */
#ifndef MPD_NET_NL_PRIV_H
#define MPD_NET_NL_PRIV_H

#include <netlink/netlink.h>
#include <netlink/msg.h>

#include "net/nl.h"

struct nl {
	struct nl_sock *sk;
	int kerr;       /* -errno of the last kernel NLMSG_ERROR, 0 when none */
	char err[256];  /* text of the last failure */
};

/*
 * Send one request and wait for its ack; consumes msg. `what` names the
 * request in the error text. Batching later replaces this with a queue.
 */
int nl_exec(struct nl *n, struct nl_msg *msg, const char *what);
/* Record a failure text and return err (a -errno). */
int nl_fail(struct nl *n, int err, const char *what);
/* Map a libnl NLE_* code (negative) to a -errno. */
int nl_nle_errno(int nle);
/* Run one dump request; cb gets each parsed libnl object; consumes msg. */
int nl_request_dump(struct nl *n, struct nl_msg *msg, const char *what,
	    void (*cb)(struct nl_object *obj, void *arg), void *arg);

#endif
