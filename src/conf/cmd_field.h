/*
 * Typed setters: a `set X name value` entry described by a table row (where
 * the value lives in the selected object's configuration, its type and
 * range, what to say when it is wrong) instead of a handler of its own.
 *
 *	static void *bund_conf_of(struct cmd_ctx *c) { return &c->bund->conf; }
 *	static const struct cmd_field f_period = {
 *		CMD_FIELD_AT(struct bund_conf, period), .type = CMD_F_UINT, .min = 6, .max = 3600,
 *		.err = "period must be 6 to 3600 seconds", .obj = bund_conf_of};
 *	const struct cmd bund_set_cmds[] = {
 *		CMD_FIELD("period", "{seconds}", "BoD sampling period", CTX_BUNDLE, f_period),
 *		...
 *
 * Values that need parsing of their own keep a handler of their own beside the rows.
 */
#ifndef MPD_CONF_CMD_FIELD_H
#define MPD_CONF_CMD_FIELD_H

#include <stddef.h>

#include "conf/cmd.h"

/* How a value is written and stored. */
enum cmd_ftype {
	CMD_F_UINT, /* decimal digits, stored in an unsigned integer of .size bytes, in [min, max] */
	CMD_F_INT,  /* signed decimal (leading blanks or '+' allowed), integer of .size bytes, in [min, max] */
	CMD_F_HEX,  /* hexadecimal (optional 0x), unsigned integer of .size bytes, in [min, max] */
	CMD_F_BOOL, /* yes|no|on|off|true|false|1|0, stored in a bool */
	CMD_F_STR,  /* any word shorter than .size, stored NUL-terminated in a char[.size] */
	CMD_F_IPV4, /* 1 to .size / 4 dotted-quad addresses, struct in_addr[], missing ones 0.0.0.0 */
	CMD_F_ENUM, /* one of .names (exact), stored as its index in an integer of .size bytes */
};

struct cmd_field {
	size_t off;               /* where the value lives in the object .obj returns */
	size_t size;              /* its size in bytes */
	enum cmd_ftype type;
	long long min, max;       /* integer types: the accepted values */
	const char *const *names; /* CMD_F_ENUM: the words, NULL-ended */
	/* A bad value: "" makes it a usage error; otherwise a printf format given the
	 * value (%s), or for CMD_F_STR the longest length accepted (%zu).  NULL: a generic
	 * message. */
	const char *err;
	/* The selected object's configuration; NULL fails the command with the error it
	 * recorded (cmd_error), else "no object selected". */
	void *(*obj)(struct cmd_ctx *c);
	/* Side effects after the store (clamping, telling the device); a CMD_* code. May be NULL. */
	int (*post)(struct cmd_ctx *c, void *obj);
};

/* .off and .size of a struct member. */
#define CMD_FIELD_AT(type, member) .off = offsetof(type, member), .size = sizeof(((type *)0)->member)

/* Leaf handler of a typed setter; arg is a const struct cmd_field *. */
int cmd_field_set(struct cmd_ctx *c, int ac, char **av, const void *arg);

/* A menu entry for field (PRIV_ADMIN). */
#define CMD_FIELD(name, usage, help, ctxbits, field) \
	{name, usage, help, cmd_field_set, NULL, ctxbits, PRIV_ADMIN, NULL, &(field)}

#endif
