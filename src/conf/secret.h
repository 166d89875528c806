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
	char password[SECRET_MAX]; /* the password, or the command when program is set */
	bool program;          /* this entry's password comes from a program (`!command`) */
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
/* The limit set for `!program` passwords, in milliseconds. */
unsigned secret_timeout(const struct secret_file *sf);
/* Credentials of login: 0 and *out filled, or -1 for "no such user".  Never runs
 * anything: a `!program` entry comes back with program set and the command (without
 * the `!`) in password, for the caller to run without blocking (aaa/auth_prog.h). */
int secret_lookup(struct secret_file *sf, const char *login, struct secret_entry *out);
/* Lines of the last load that were skipped or distrust their entry (each was logged). */
unsigned secret_errors(const struct secret_file *sf);
/* Parsed entries currently cached; for tests and `show`. */
unsigned secret_count(const struct secret_file *sf);

#endif
