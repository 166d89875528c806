/*
 * Names the command language knows but this build does not have yet
 * (commands.md features of later issues).  One list says which ones exist;
 * the root table generates their `set`, `show` and `unset` entries from it,
 * all answering "'set radius' is not supported yet".
 */
#ifndef MPD_CONF_CMD_LATER_H
#define MPD_CONF_CMD_LATER_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/cmd.h"

/* One known-but-unbuilt feature. */
struct cmd_later {
	const char *name;        /* "radius" */
	const char *set_help;    /* help of `set NAME`, NULL when there is no such menu */
	const char *show_help;   /* help of `show NAME`, NULL when there is no such command */
	const char *show_usage;  /* arguments of `show NAME` */
	bool unset;              /* has an `unset NAME` entry (same help as set) */
	bool device;             /* a device type: `create link X NAME` is "not supported yet" */
	const char *set_what, *show_what, *unset_what; /* full command names for the answer */
};

/* Which generated entries cmd_later_entries() returns. */
enum cmd_later_verb { LATER_SET, LATER_SHOW, LATER_UNSET };

/* The feature named name (exact), or NULL when it is not a known unbuilt one. */
const struct cmd_later *cmd_later_find(const char *name);
/* Write the entries of verb's menu for every listed feature to out (at most max);
 * returns how many the list has, which may exceed max. */
size_t cmd_later_entries(enum cmd_later_verb verb, struct cmd *out, size_t max);

#endif
