/* Top-level and global-scope commands (commands.md §6, §7, §8.1, §8.2, §8.8, §13a). */
#ifndef MPD_CONF_CMD_GLOBAL_H
#define MPD_CONF_CMD_GLOBAL_H

#include "conf/cmd.h"

struct global_conf;

/* `set global` defaults of commands.md §8.1. */
void global_conf_defaults(struct global_conf *g);

/* `set global ...` menu. */
extern const struct cmd global_set_cmds[];
/* Global options of `set global enable/disable`, indexed by GOPT_*. */
extern const struct cmd_opt global_opts[];

/* `help [words]`. */
int cmd_help(struct cmd_ctx *c, int ac, char **av, const void *arg);
/* `load [file] label`. */
int cmd_load(struct cmd_ctx *c, int ac, char **av, const void *arg);
/* `log [+flag|-flag|flag|all ...]`. */
int cmd_log(struct cmd_ctx *c, int ac, char **av, const void *arg);
/* `exit`: ends the console session. */
int cmd_exit(struct cmd_ctx *c, int ac, char **av, const void *arg);
/* `shutdown`: graceful daemon shutdown. */
int cmd_shutdown(struct cmd_ctx *c, int ac, char **av, const void *arg);
/* `set user name password [admin|operator|user]`. */
int cmd_set_user(struct cmd_ctx *c, int ac, char **av, const void *arg);

/* `show global`. */
int show_global(struct cmd_ctx *c, int ac, char **av, const void *arg);
/* `show user`. */
int show_user(struct cmd_ctx *c, int ac, char **av, const void *arg);
/* `show mem`. */
int show_mem(struct cmd_ctx *c, int ac, char **av, const void *arg);
/* `show events`. */
int show_events(struct cmd_ctx *c, int ac, char **av, const void *arg);
/* `show layers`. */
int show_layers(struct cmd_ctx *c, int ac, char **av, const void *arg);

/* Parse a decimal number in [min, max]; 0, or -1 when s is not one. */
int cmd_parse_uint(const char *s, unsigned min, unsigned max, unsigned *out);

#endif
