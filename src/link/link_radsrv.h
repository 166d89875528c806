/*
 * The link layer's side of the dynamic authorization server (aaa/radsrv.h,
 * radius.md §4.1 steps 3-4): which sessions a Disconnect- or CoA-Request
 * names, and what it does to them. main.c hands it to the server as
 * d->radsrv_ops.
 */
#ifndef MPD_LINK_RADSRV_H
#define MPD_LINK_RADSRV_H

#include <stdbool.h>

#include "aaa/radsrv.h"

struct link;

/* The owner interface the server calls (arg: the daemon). */
extern const struct radsrv_ops link_radsrv_ops;
/* True when live link l matches every identifier r gave (radius.md §4.1 step 3). */
bool link_radsrv_match(const struct link *l, const struct radsrv_req *r);

#endif
