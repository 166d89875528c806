/*
 * `set radius config` files and server host resolution (aaa/rad_conf.h).
 * Resolution happens when the command runs, as mpd5 does: the event loop
 * never waits for DNS while sessions are up.
 */
#include "aaa/rad_conf.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int rad_host_resolve(const char *host, struct sockaddr_in6 *out)
{
	struct in_addr a4;
	memset(out, 0, sizeof(*out));
	out->sin6_family = AF_INET6;
	if (inet_pton(AF_INET, host, &a4) == 1)
		goto v4;
	if (inet_pton(AF_INET6, host, &out->sin6_addr) == 1)
		return 0;
	struct addrinfo hints = {.ai_socktype = SOCK_DGRAM}, *res;
	if (getaddrinfo(host, NULL, &hints, &res) != 0)
		return -1;
	int rc = 0;
	if (res->ai_family == AF_INET) {
		a4 = ((struct sockaddr_in *)res->ai_addr)->sin_addr;
		freeaddrinfo(res);
		goto v4;
	} else if (res->ai_family == AF_INET6) {
		out->sin6_addr = ((struct sockaddr_in6 *)res->ai_addr)->sin6_addr;
	} else {
		rc = -1;
	}
	freeaddrinfo(res);
	return rc;
v4:
	out->sin6_addr.s6_addr[10] = out->sin6_addr.s6_addr[11] = 0xff;
	memcpy(&out->sin6_addr.s6_addr[12], &a4, 4);
	return 0;
}

/* The next blank-separated word, or a "quoted" one (no escapes); NULL at the end of the line. */
static char *next_word(char **pp, bool *bad)
{
	char *p = *pp;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0' || *p == '#')
		return NULL;
	char *w = p;
	if (*p == '"') {
		w = ++p;
		while (*p != '\0' && *p != '"')
			p++;
		if (*p != '"') {
			*bad = true;
			return NULL;
		}
	} else {
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
	}
	if (*p != '\0')
		*p++ = '\0';
	*pp = p;
	return w;
}

/* A decimal number in [lo, hi]; -1 when it is not one. */
static long number(const char *s, long lo, long hi)
{
	char *end;
	if (s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	long v = strtol(s, &end, 10);
	return *end != '\0' || errno != 0 || v < lo || v > hi ? -1 : v;
}

/* host[:port] or [v6]:port into s; the port goes to the kind's slot. */
static int host_port(char *w, bool auth, struct rad_server_conf *s, char *err, size_t errlen)
{
	char *port = NULL;
	if (w[0] == '[') {
		char *close = strchr(w, ']');
		if (close == NULL || (close[1] != '\0' && close[1] != ':')) {
			snprintf(err, errlen, "bad address \"%s\"", w);
			return -1;
		}
		*close = '\0';
		port = close[1] == ':' ? close + 2 : NULL;
		w++;
	} else if (strchr(w, ':') == strrchr(w, ':') && strchr(w, ':') != NULL) {
		port = strchr(w, ':');
		*port++ = '\0';
	}
	if (w[0] == '\0' || strlen(w) >= sizeof(s->host)) {
		snprintf(err, errlen, "bad host \"%s\"", w);
		return -1;
	}
	snprintf(s->host, sizeof(s->host), "%s", w);
	long p = port != NULL ? number(port, 1, 65535) : (auth ? RAD_AUTH_PORT : RAD_ACCT_PORT);
	if (p < 0) {
		snprintf(err, errlen, "bad port \"%s\"", port);
		return -1;
	}
	s->auth_port = auth ? (uint16_t)p : 0;
	s->acct_port = auth ? 0 : (uint16_t)p;
	return 0;
}

int rad_conf_line(const char *line, struct rad_server_conf *s, char *err, size_t errlen)
{
	char buf[1024];
	bool bad = false;
	if (strlen(line) >= sizeof(buf)) {
		snprintf(err, errlen, "line too long");
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", line);
	buf[strcspn(buf, "\r\n")] = '\0';
	char *p = buf;
	char *kind = next_word(&p, &bad);
	if (kind == NULL && !bad)
		return 0;
	memset(s, 0, sizeof(*s));
	if (kind == NULL || (strcmp(kind, "auth") != 0 && strcmp(kind, "acct") != 0)) {
		snprintf(err, errlen, "expected \"auth\" or \"acct\"");
		return -1;
	}
	char *host = next_word(&p, &bad), *secret = next_word(&p, &bad);
	if (host == NULL || secret == NULL) {
		snprintf(err, errlen, bad ? "unterminated quote" : "expected: %s host[:port] secret [timeout [retries]]",
			 kind);
		return -1;
	}
	if (host_port(host, kind[1] == 'u', s, err, errlen) < 0)
		return -1;
	if (secret[0] == '\0' || strlen(secret) >= sizeof(s->secret)) {
		snprintf(err, errlen, "secret must be 1 to %zu characters", sizeof(s->secret) - 1);
		return -1;
	}
	snprintf(s->secret, sizeof(s->secret), "%s", secret);
	char *t = next_word(&p, &bad), *r = t != NULL ? next_word(&p, &bad) : NULL;
	long tv = t != NULL ? number(t, 1, 3600) : 0, rv = r != NULL ? number(r, 1, 100) : 0;
	if (tv < 0 || rv < 0 || bad || next_word(&p, &bad) != NULL) {
		snprintf(err, errlen, tv < 0 ? "bad timeout \"%s\"" : rv < 0 ? "bad retries \"%s\"" : "extra words after retries",
			 tv < 0 ? t : rv < 0 ? r : "");
		return -1;
	}
	s->timeout = (unsigned)tv;
	s->retries = (unsigned)rv;
	return 1;
}

int rad_conf_file(struct radius_conf *rc, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct radius_conf tmp = *rc;
	char line[1024], why[160];
	unsigned lineno = 0;
	int rc_ = 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		struct rad_server_conf s;
		int n = rad_conf_line(line, &s, why, sizeof(why));
		if (n == 0)
			continue;
		if (n > 0 && tmp.nservers >= RAD_MAX_SERVERS) {
			n = -1;
			snprintf(why, sizeof(why), "more than %d servers", RAD_MAX_SERVERS);
		} else if (n > 0 && rad_host_resolve(s.host, &s.addr) < 0) {
			n = -1;
			snprintf(why, sizeof(why), "can't resolve \"%s\"", s.host);
		}
		if (n < 0) {
			snprintf(err, errlen, "%s:%u: %s", path, lineno, why);
			rc_ = -1;
			break;
		}
		tmp.servers[tmp.nservers++] = s;
	}
	fclose(f);
	if (rc_ == 0) {
		snprintf(tmp.config_file, sizeof(tmp.config_file), "%s", path);
		*rc = tmp;
	}
	explicit_bzero(&tmp, sizeof(tmp));
	return rc_;
}
