/* The console's default interpreter: the command language of conf/. */
#include "ctl/console_priv.h"

const struct console_interp console_interp_conf = {
	.run_line = cmd_run_line,
	.help_line = cmd_help_line,
	.complete = cmd_complete,
	.prompt = cmd_prompt,
};
