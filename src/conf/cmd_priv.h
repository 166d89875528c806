/* Helpers shared by the interpreter's files (conf/ internal). */
#ifndef MPD_CONF_CMD_PRIV_H
#define MPD_CONF_CMD_PRIV_H

#include <stdbool.h>

#include "conf/cmd.h"

/* The menu commands start from. */
const struct cmd *cmd_menu_root(const struct cmd_ctx *c);
/* True when the caller's privilege lets it see e. */
bool cmd_visible(const struct cmd_ctx *c, const struct cmd *e);
/* True when the selected objects admit e. */
bool cmd_ctx_ok(const struct cmd_ctx *c, const struct cmd *e);
/* The visible entry of menu named word (exact name, else unique prefix); on
 * failure NULL and *rc = CMD_UNKNOWN or CMD_AMBIG. */
const struct cmd *cmd_lookup(const struct cmd_ctx *c, const struct cmd *menu, const char *word,
			     int *rc);
/* Print menu's visible entries, two per line. */
void cmd_list_menu(struct cmd_ctx *c, const struct cmd *menu);
/* Join words with spaces (quoting empty or blank-holding ones) into buf. */
void cmd_join(char *buf, size_t len, int ac, char *const *av);

#endif
