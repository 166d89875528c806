/*
 * mpd.secret (commands.md §4.2, F-011, F-012): login, password and an
 * optional IPv4 range per line.  The parsed file is cached and re-read when
 * it changes on disk or on secret_reload() (SIGHUP).
 */
#ifndef MPD_CONF_SECRET_H
#define MPD_CONF_SECRET_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>

#define SECRET_MAX 256             /* login and password buffers, NUL included */
#define SECRET_PROG_TIMEOUT_MS 5000 /* default limit for `!program` passwords */

struct secret_file;

/* What a lookup found. */
struct secret_entry {
	char password[SECRET_MAX];
	bool has_range;        /* the line gave an address range */
	struct in_addr addr;   /* first address of the range (network order) */
	unsigned width;        /* prefix length, 32 when only an address was given */
};

/* A handle on the file at path; nothing is read until the first lookup. */
struct secret_file *secret_open(const char *path);
/* Free the handle and the cached entries. */
void secret_free(struct secret_file *sf);
/* Re-read the file now; 0, or -1 when it can't be read (then no user matches). */
int secret_reload(struct secret_file *sf);
/* Limit for `!program` passwords, in milliseconds. */
void secret_set_timeout(struct secret_file *sf, unsigned ms);
/* Credentials of login: 0 and *out filled, or -1 for "no such user".  Runs
 * `!program` passwords (blocking, bounded by the timeout). */
int secret_lookup(struct secret_file *sf, const char *login, struct secret_entry *out);
/* How `!program` passwords are run; secret_prog_run by default. */
typedef int (*secret_runner)(const char *cmd, const char *arg, unsigned timeout_ms, char *buf,
			     size_t len);
/* Replace the runner (tests and fuzzing must not start shells). */
void secret_set_runner(struct secret_file *sf, secret_runner run);
/* Parsed entries currently cached; for tests and `show`. */
unsigned secret_count(const struct secret_file *sf);

/* Run "<cmd> <arg>" through /bin/sh (arg passed as $1, never re-parsed) and put
 * the first line of its output in buf: 0, or -1 on error, empty output, non-zero
 * exit or timeout (the program's process group is killed then). */
int secret_prog_run(const char *cmd, const char *arg, unsigned timeout_ms, char *buf, size_t len);

#endif
