/*
 * The command language: one table per menu, shared by mpd.conf, the
 * consoles and the web interface (commands.md §5).
 */
#ifndef MPD_CMD_H
#define MPD_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/optset.h"

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

/* OR'ed into cmd.priv: the entry matches only when typed in full, never by
 * prefix (keeps `sh` meaning `show` while `shutdown` exists). */
#define CMD_FULLWORD 0x100
/* The privilege part of cmd.priv. */
#define CMD_PRIV(p) ((p) & 0xff)

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
	/* Added by conf/: */
	const struct cmd *root; /* menu commands start from; NULL = cmd_root() */
	unsigned nerrors;       /* commands that failed in this context (conf_load reports it) */
	const struct cmd_names *names; /* object names/types (the top supplies them); NULL = unknown */
	bool log_errors;    /* report failing file lines to the log (LG_ERR), not to out (startup) */
	bool err_later;     /* the last CMD_ERR came from cmd_later_error(): a feature not built yet */
	unsigned nlater;    /* failures of this context that were "not supported yet" (also in nerrors) */
};

/* How the interpreter names selected objects (prompt) and learns a link's
 * device type (entries with devtype): conf/ sees no layer above core/, so
 * whoever makes a cmd_ctx says it here (src/cmdtab.c for the daemon, tests
 * their own).  Without it a prompt shows "?" and devtype entries never match. */
struct cmd_names {
	const char *(*link_type)(const struct link *l);
	const char *(*link)(const struct link *l);
	const char *(*bund)(const struct bundle *b);
	const char *(*rep)(const struct repeater *r);
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
/* Record a "not supported yet" answer (a feature this build lacks) and return CMD_ERR;
 * counted in nlater so startup can refuse to run with less than the config asks for. */
int cmd_later_error(struct cmd_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print one line (newline added) to the session, prefixed "file:line: " while a
 * file runs; logged (LG_ERR) when the context has no output, or when a file runs
 * in a context with log_errors. */
void cmd_notice(struct cmd_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* An option of an enable/disable/accept/deny/yes/no list (commands.md §5.2). */
struct cmd_opt {
	const char *name;
	bool bidir;     /* has an accept half */
	unsigned bit;   /* bit number in optset */
};

/* Verbs of an option list. */
enum cmd_optverb { OPT_ENABLE, OPT_DISABLE, OPT_ACCEPT, OPT_DENY, OPT_YES, OPT_NO };

/* Print an option table with enable/disable and, for bidir, accept/deny. */
void cmd_opts_show(struct cmd_ctx *c, const struct cmd_opt *opts, const struct optset *set);

/*
 * Entry points of the interpreter (conf/cmd.c, conf/cmd_help.c).
 * Output goes to c->out as text that may contain '\n' (sinks that need
 * CRLF convert); with c->out NULL error reports go to the log instead.
 */

/* Execute an already split command; prints the error report and returns a CMD_* code. */
int cmd_run(struct cmd_ctx *c, int ac, char **av);
/* Split one line (commands.md §4.1) and execute it; blank lines are CMD_OK. */
int cmd_run_line(struct cmd_ctx *c, const char *line);
/* Console `?`: list what may follow a partial line, or the usage of the command it names. */
void cmd_help_line(struct cmd_ctx *c, const char *partial);
/* Console TAB: 1 and the completed line (with a trailing space) in out when the last
 * word completes uniquely, 0 otherwise. */
int cmd_complete(struct cmd_ctx *c, const char *partial, char *out, size_t outlen);
/* The daemon's root menu (src/cmdtab.c, linked in from the top). */
const struct cmd *cmd_root(void);
/* The console prompt for the context: "[L1] ", "[B1] ", "[R1] " or "[] ". */
void cmd_prompt(const struct cmd_ctx *c, char *buf, size_t len);
/* Leaf handler for menus that belong to later work: arg is the command's name
 * ("set radius"); answers "'set radius' is not supported yet" (CMD_ERR). */
int cmd_unsupported(struct cmd_ctx *c, int ac, char **av, const void *arg);

/*
 * Option-list menus (commands.md §5.2), the one mechanism behind every
 * `set X enable|disable|accept|deny|yes|no`.  A layer describes its options
 * once and gets the verb entries from a macro:
 *
 *	static const struct cmd_opt link_opts[] = {
 *		{"pap", true, LOPT_PAP}, {"incoming", false, LOPT_INCOMING}, {NULL, false, 0},
 *	};
 *	static struct optset *link_optset(struct cmd_ctx *c, struct optset *scratch) { return &...->opts; }
 *	static const struct cmd_optmenu link_optmenu = {link_opts, link_optset, link_opts_changed};
 *	const struct cmd link_set_cmds[] = {
 *		...,
 *		CMD_OPT_VERBS(link_optmenu, CTX_LINK),      (enable disable accept deny yes no)
 *		{NULL, ...},
 *	};
 *
 * CMD_OPT_VERBS_ED gives only enable/disable.  The opts table ends with a
 * NULL name; bits must be < 32.  The verbs need PRIV_ADMIN (CMD_OPT_VERBS_ED_PRIV
 * chooses another level and the usage text).
 */

/* A word standing for several options, matched whole and case-insensitively ("chap"). */
struct cmd_optalias {
	const char *name;
	const char *const *expands; /* option names, NULL-ended */
};

/* An option this port refuses for good (not a feature to come): its name and why. */
struct cmd_optnever {
	const char *name;
	const char *why;
};

struct cmd_optmenu {
	const struct cmd_opt *opts;
	/* The option set the verbs change, NULL when no object is selected (an error recorded
	 * with cmd_error() is reported as is).  A set that lives elsewhere may be copied
	 * into scratch and scratch returned; changed() then stores it back. */
	struct optset *(*get)(struct cmd_ctx *c, struct optset *scratch);
	/* Called after a verb ran: before/now the set's old and new value, named the bits of
	 * the options the command named (whether or not they changed).  May be NULL. */
	void (*changed)(struct cmd_ctx *c, const struct optset *before, const struct optset *now,
			uint32_t named);
	/* Options of features not built yet: enable/accept/yes naming one (a prefix of two
	 * letters or more) fails the whole command with "option 'x' is not supported yet".
	 * NULL-ended; may be NULL. */
	const char *const *later;
	/* Shorthands; NULL-name-ended; may be NULL. */
	const struct cmd_optalias *aliases;
	/* Options enable/accept/yes refuse with "option 'x' is not available: why" (linux.md);
	 * NULL-name-ended; may be NULL. */
	const struct cmd_optnever *never;
};

/* Verb handlers behind CMD_OPT_VERBS; arg is a const struct cmd_optmenu *. */
int cmd_opt_enable(struct cmd_ctx *c, int ac, char **av, const void *arg);
/* `disable` verb handler. */
int cmd_opt_disable(struct cmd_ctx *c, int ac, char **av, const void *arg);
/* `accept` verb handler. */
int cmd_opt_accept(struct cmd_ctx *c, int ac, char **av, const void *arg);
/* `deny` verb handler. */
int cmd_opt_deny(struct cmd_ctx *c, int ac, char **av, const void *arg);
/* `yes` verb handler. */
int cmd_opt_yes(struct cmd_ctx *c, int ac, char **av, const void *arg);
/* `no` verb handler. */
int cmd_opt_no(struct cmd_ctx *c, int ac, char **av, const void *arg);

#define CMD_OPT_VERB_(word, fn, text, menu, ctxbits, priv, usage) \
	{word, usage, text, fn, NULL, ctxbits, priv, NULL, &(menu)}
#define CMD_OPT_VERBS_ED_PRIV(menu, ctxbits, priv, usage) \
	CMD_OPT_VERB_("enable", cmd_opt_enable, "Enable options", menu, ctxbits, priv, usage), \
	CMD_OPT_VERB_("disable", cmd_opt_disable, "Disable options", menu, ctxbits, priv, usage)
#define CMD_OPT_VERBS_ED(menu, ctxbits) CMD_OPT_VERBS_ED_PRIV(menu, ctxbits, PRIV_ADMIN, "{option ...}")
#define CMD_OPT_VERBS(menu, ctxbits) \
	CMD_OPT_VERBS_ED(menu, ctxbits), \
	CMD_OPT_VERB_("accept", cmd_opt_accept, "Accept options", menu, ctxbits, PRIV_ADMIN, "{option ...}"), \
	CMD_OPT_VERB_("deny", cmd_opt_deny, "Deny options", menu, ctxbits, PRIV_ADMIN, "{option ...}"), \
	CMD_OPT_VERB_("yes", cmd_opt_yes, "Enable and accept options", menu, ctxbits, PRIV_ADMIN, "{option ...}"), \
	CMD_OPT_VERB_("no", cmd_opt_no, "Disable and deny options", menu, ctxbits, PRIV_ADMIN, "{option ...}")

#endif
