/* The root command table and the object names the interpreter shows (the top of the tree). */
#ifndef MPD_CMDTAB_H
#define MPD_CMDTAB_H

#include "conf/cmd.h"

/* How the daemon's objects are named and typed, for cmd_ctx.names of every context. */
const struct cmd_names *cmdtab_names(void);

#endif
