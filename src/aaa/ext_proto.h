/*
 * The line protocol of ext-auth and ext-acct programs (radius.md §5): the
 * daemon writes `NAME:value` lines ending with an empty line to the
 * program's stdin and reads the reply in the same form from its stdout,
 * until an empty line or end of file. Lines are at most 255 characters.
 *
 * Pure: building a request and parsing a reply touch no file or socket
 * (unknown or malformed reply lines are logged, which is all the I/O), so
 * both are unit-tested and fuzzed (tests/fuzz/fuzz_extauth.c).
 */
#ifndef MPD_AAA_EXT_PROTO_H
#define MPD_AAA_EXT_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aaa/auth.h"

#define EXT_LINE_MAX 255    /* characters in one line, without its newline (radius.md §5.1) */
#define EXT_MSG_MAX 8192    /* a whole request; ours are far below it */
#define EXT_REPLY_MAX 65536 /* reply bytes read from a program; the rest is dropped */

/* A request being built. */
struct ext_msg {
	char buf[EXT_MSG_MAX];
	size_t len;
	bool overflow; /* a line did not fit: the request is not sent */
};

/* Start an empty request. */
void ext_msg_init(struct ext_msg *m);
/* Append NAME:value; a newline in the value ends it there, a line over 255 characters is cut. */
void ext_msg_add(struct ext_msg *m, const char *name, const char *value);
/* Append NAME:<decimal>. */
void ext_msg_add_u64(struct ext_msg *m, const char *name, uint64_t v);
/* Append the empty line that ends a request; false when it overflowed. */
bool ext_msg_end(struct ext_msg *m);

/* The AUTH_TYPE text of a method (radius.md §5.2): "PAP", "CHAP MD5", "CHAP MSOFT", "CHAP MSOFTv2", "EAP". */
const char *ext_auth_type(enum auth_method m);
/* The request lines of §5.2 for one login, with the empty line that ends it; false on overflow. */
bool ext_auth_request(struct ext_msg *m, const struct auth_request *q);

/* A login the shell command can carry single-quoted: no ' and no newline (radius.md §5.1). */
bool ext_login_ok(const char *login);

/* Called for each reply line with its name and value (both NUL-terminated); return false to stop. */
typedef bool (*ext_line_fn)(const char *name, const char *value, void *arg);
/*
 * Split a reply into lines up to the first empty one (or the end): CR before a newline is dropped,
 * a line over 255 characters or without ':' is logged under who and skipped. Returns lines handed on.
 */
size_t ext_split(const char *text, size_t len, const char *who, ext_line_fn fn, void *arg);

enum ext_result { EXT_FAIL, EXT_SUCCESS, EXT_UNDEF };

/* What an ext-auth reply says beyond the authorization stored in struct auth_result. */
struct ext_auth_reply {
	enum ext_result result;             /* FAIL when RESULT is missing or anything else */
	char user_name[AUTH_MAXNAME];       /* replacement login, "" when none */
	char password[AUTH_MAXPASS];        /* for UNDEF */
	bool has_password;
	uint8_t nt_hash[16], lm_hash[16];   /* for UNDEF with MS-CHAP */
	bool has_nt_hash, has_lm_hash;
	unsigned unknown, invalid;          /* lines ignored (logged) */
};

/*
 * Parse an ext-auth reply (radius.md §5.3): the verdict and credentials into rep, the
 * authorization (addresses, routes, timeouts, limits, messages, mpd VSAs) into res, which
 * the caller has initialised. Values are validated; a bad one is logged under who and ignored.
 */
void ext_auth_reply_parse(const char *text, size_t len, const char *who, struct ext_auth_reply *rep,
			  struct auth_result *res);

struct acct_record;
/* The ext-acct request lines of radius.md §5.4 for one record, with the empty line; false on overflow. */
bool ext_acct_request(struct ext_msg *m, const struct acct_record *r);

/* What an ext-acct reply says (radius.md §5.4). */
struct ext_acct_reply {
	bool drop_user; /* MPD_DROP_USER with a non-zero value */
	unsigned unknown, invalid;
};

/* Parse an ext-acct reply; other names than MPD_DROP_USER are logged under who. */
void ext_acct_reply_parse(const char *text, size_t len, const char *who, struct ext_acct_reply *rep);

/* 32 hex digits into 16 bytes; false when it is anything else. */
bool ext_hex16(const char *s, uint8_t out[16]);

#endif
