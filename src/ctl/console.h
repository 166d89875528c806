/*
 * The consoles (commands.md §5.3, §8.3): the TCP telnet listener with
 * its sessions and the console on the daemon's stdin. All of it hangs
 * off d->console, created on first use with the defaults of §8.3.
 */
#ifndef MPD_CONSOLE_H
#define MPD_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/cmd.h"

struct daemon;
struct console;

/* The interpreter a console hands its lines to; tests plug in their own. */
struct console_interp {
	int (*run_line)(struct cmd_ctx *c, const char *line);
	void (*help_line)(struct cmd_ctx *c, const char *partial);
	int (*complete)(struct cmd_ctx *c, const char *partial, char *out, size_t outlen);
	void (*prompt)(const struct cmd_ctx *c, char *buf, size_t len);
};

/* Console options (`set console enable|disable`), bit numbers in a optset. */
enum { CONSOLE_OPT_AUTH, CONSOLE_OPT_LOGGING };

#define CONSOLE_DEFAULT_ADDR "127.0.0.1"
#define CONSOLE_DEFAULT_PORT 5005

/* d->console, created with the defaults when missing; NULL only when out of memory. */
struct console *console_get(struct daemon *d);
/* Use interp instead of the command interpreter of conf/ (NULL restores it). */
void console_set_interp(struct console *con, const struct console_interp *interp);
/* Start new sessions at menu root instead of cmd_root() (NULL restores it). */
void console_set_root(struct console *con, const struct cmd *root);
/* Set the listen address (IPv4, IPv6, interface name or host) and port (0: any);
 * used at the next console_open. Returns 0, or -1 with a message in err. */
int console_set_self(struct console *con, const char *addr, unsigned port, char *err, size_t errlen);
/* Start listening. Returns 0, or -1 with a message in err (already open, bind failure). */
int console_open(struct console *con, char *err, size_t errlen);
/* Stop listening; sessions stay. */
void console_close(struct console *con);
/* True while the listener is open. */
bool console_is_open(const struct console *con);
/* The bound port (useful after asking for port 0), 0 when closed. */
unsigned console_port(const struct console *con);
/* Number of live sessions, the stdin console included. */
unsigned console_nsessions(const struct console *con);
/* Close the listener and every session, restore the terminal, free con; d->console becomes NULL. */
void console_free(struct console *con);

/* Start the admin console on stdin/stdout (foreground mode). Returns 0 or -1. */
int console_stdin_start(struct daemon *d);
/* Stop the stdin console: stop reading, restore the terminal (at exit). */
void console_stdin_stop(struct daemon *d);
/* A cmd_ctx output sink writing to stdout, for session-less contexts in the foreground. */
void console_stdout(void *arg, const char *s);
/* The stdin console's command context (for running the startup config in it), or NULL. */
struct cmd_ctx *console_stdin_ctx(struct daemon *d);

/* `set console ...` entries, for the root `set` menu. */
extern const struct cmd console_set_cmds[];
/* `show console` handler, for the root `show` menu. */
int console_show(struct cmd_ctx *c, int ac, char **av, const void *arg);

#endif
