/*
 * What the interpreter needs from layers above conf/ (the link layer, the
 * device registry).  conf/cmd_hooks.c has weak fallbacks so conf/ links on
 * its own; the real definitions replace them.
 */
#ifndef MPD_CONF_CMD_HOOKS_H
#define MPD_CONF_CMD_HOOKS_H

#include "dev/dev.h"
#include "dev/link_dev.h"

struct bundle;
struct repeater;

/* Device type name of a link ("pppoe"), for entries with a devtype; NULL when unknown. */
const char *link_type_name(const struct link *l);
/* The bundle's name, for the prompt. */
const char *bund_name(const struct bundle *b);
/* The repeater's name, for the prompt. */
const char *rep_name(const struct repeater *r);

#endif
