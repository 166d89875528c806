/*
 * The radius-acct backend's pure parts, for the backend table (aaa/acct.h:
 * acct_backend_radius) and for tests: the Accounting-Request attributes
 * (RFC 2866 §4.1, §5; radius.md §2.1, §2.3) and the reading of the answer.
 */
#ifndef MPD_AAA_ACCT_RADIUS_H
#define MPD_AAA_ACCT_RADIUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aaa/acct.h"

struct rad_builder;
struct rad_pkt;

/* Add the attributes of an Accounting-Request for r to a begun builder; Acct-Delay-Time = delay. 0, or -1. */
int acct_radius_build(const struct acct_record *r, uint32_t delay, struct rad_builder *b);
/* True when an Accounting-Response carries mpd-drop-user (26/12341/154) non-zero (radius.md §2.6). */
bool acct_radius_drop_user(const struct rad_pkt *p);

#endif
