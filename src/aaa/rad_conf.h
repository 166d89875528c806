/*
 * `set radius` helpers that are not commands: resolving a server's host and
 * reading a libradius-style configuration file (`set radius config`), whose
 * lines are `auth|acct host[:port] secret [timeout [retries]]` (libradius's
 * radius.conf(5) format; "#" starts a comment, a secret may be "quoted").
 */
#ifndef MPD_AAA_RAD_CONF_H
#define MPD_AAA_RAD_CONF_H

#include <stddef.h>

#include "aaa/rad_client.h"

/* Resolve host (IPv4/IPv6 literal, else a name, first address) into a (v4-mapped) address; 0 or -1. */
int rad_host_resolve(const char *host, struct sockaddr_in6 *out);
/*
 * Parse one radius.conf line into *s (host, secret, ports, timeout, retries; the address is
 * not resolved). Returns 1 for a server, 0 for a blank or comment line, -1 with err filled.
 */
int rad_conf_line(const char *line, struct rad_server_conf *s, char *err, size_t errlen);
/*
 * Add the servers of file `path` to rc, resolved; all or nothing. 0, or -1 with err
 * ("FILE:LINE: why", or why the file can't be read).
 */
int rad_conf_file(struct radius_conf *rc, const char *path, char *err, size_t errlen);

#endif
