/*
 * The command language: one table per menu, shared by mpd.conf, the
 * consoles and the web interface (commands.md §5).
 */
#ifndef MPD_CMD_H
#define MPD_CMD_H

#include <stdbool.h>
#include <stdint.h>

struct link;
struct bundle;
struct repeater;
struct daemon;

/* Result codes, as /bincmd reports them (commands.md §5.1). */
enum {
	CMD_OK = 0,
	CMD_USAGE = -1,
	CMD_UNKNOWN = -2,
	CMD_AMBIG = -3,
	CMD_RECURSE = -4,
	CMD_INCOMPLETE = -5,
	CMD_CTX = -6,
	CMD_ERR = -7,
};

/* Privilege levels. */
enum { PRIV_USER = 0, PRIV_OPERATOR = 1, PRIV_ADMIN = 2 };

/* Contexts a command needs selected. */
enum { CTX_GLOBAL = 0, CTX_LINK = 1, CTX_BUNDLE = 2, CTX_REPEATER = 4 };

#define CMD_MAX_ARGS 50
#define CMD_MAX_LINE 1024

/* Where a command runs: the selected objects, the caller's rights, its output. */
struct cmd_ctx {
	struct daemon *d;
	struct link *link;
	struct bundle *bund;
	struct repeater *rep;
	int priv;
	const char *file; /* config file being read, or NULL */
	int line;         /* its line number */
	int depth;        /* load nesting */
	void (*out)(void *arg, const char *s); /* output sink; NULL discards */
	void *out_arg;
	bool logging;       /* console session wants log lines */
	bool exit_req;      /* `exit` was run */
	void *session;      /* console session, NULL for files */
	char err[256];      /* message of the last CMD_ERR */
};

struct cmd;
/* A leaf handler: av[0] is the first argument after the command words. */
typedef int (*cmd_fn)(struct cmd_ctx *c, int ac, char **av, const void *arg);

/* One entry of a menu; a menu is an array ended by an entry with name NULL. */
struct cmd {
	const char *name;      /* keyword, matched by unique prefix */
	const char *usage;     /* arguments, e.g. "{ifname} [{hook}]" */
	const char *help;      /* one-line description */
	cmd_fn fn;             /* leaf handler; NULL for a menu */
	const struct cmd *sub; /* sub-menu when fn is NULL */
	unsigned ctx;          /* CTX_* bits that must be selected */
	int priv;              /* minimum PRIV_* */
	const char *devtype;   /* link must have this device type, or NULL */
	const void *arg;       /* passed to fn */
};

/* Print formatted output to the context's sink. */
void cmd_printf(struct cmd_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Record an error message and return CMD_ERR. */
int cmd_error(struct cmd_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* An option of an enable/disable/accept/deny/yes/no list (commands.md §5.2). */
struct cmd_opt {
	const char *name;
	bool bidir;     /* has an accept half */
	unsigned bit;   /* bit number in cmd_optset */
};

/* Enable and accept halves of a set of options, one bit per option. */
struct cmd_optset {
	uint32_t enable;
	uint32_t accept;
};

/* Verbs of an option list. */
enum cmd_optverb { OPT_ENABLE, OPT_DISABLE, OPT_ACCEPT, OPT_DENY, OPT_YES, OPT_NO };

/* Apply verb to the named options; unknown or ambiguous names are logged, not failed. */
void cmd_opts_apply(struct cmd_ctx *c, enum cmd_optverb verb, int ac, char **av,
		    const struct cmd_opt *opts, struct cmd_optset *set);
/* True when option bit b is enabled. */
static inline bool opt_enabled(const struct cmd_optset *s, unsigned b) { return (s->enable >> b) & 1; }
/* True when option bit b is accepted. */
static inline bool opt_accepted(const struct cmd_optset *s, unsigned b) { return (s->accept >> b) & 1; }
/* Print an option table with enable/disable and, for bidir, accept/deny. */
void cmd_opts_show(struct cmd_ctx *c, const struct cmd_opt *opts, const struct cmd_optset *set);

#endif
