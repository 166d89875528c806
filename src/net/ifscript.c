/* Interface up/down script arguments and their shell command line. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/ifscript.h"

#define IFSCRIPT_ARGS_MAX 9

static const char *or_dash(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : "-";
}

static char *addr4_str(struct in_addr a, const char *prefix, unsigned width, bool with_width)
{
	char ip[INET_ADDRSTRLEN], *out = NULL;
	inet_ntop(AF_INET, &a, ip, sizeof(ip));
	if (with_width)
		return asprintf(&out, "%s%s/%u", prefix, ip, width) < 0 ? NULL : out;
	return asprintf(&out, "%s%s", prefix, ip) < 0 ? NULL : out;
}

/* "dns1 a.b.c.d", or "" when the peer got none. */
static char *dns_str(const char *name, struct in_addr a)
{
	if (a.s_addr == INADDR_ANY)
		return strdup("");
	char prefix[8];
	snprintf(prefix, sizeof(prefix), "%s ", name);
	return addr4_str(a, prefix, 0, false);
}

/* Link-local address scoped to the interface: fe80::1%ppp0. */
static char *addr6_str(const struct in6_addr *a, const char *ifname)
{
	char ip[INET6_ADDRSTRLEN], *out = NULL;
	inet_ntop(AF_INET6, a, ip, sizeof(ip));
	return asprintf(&out, "%s%%%s", ip, ifname) < 0 ? NULL : out;
}

static int ifscript_fill(const struct ifscript_info *s, char **v)
{
	const char *ifname = or_dash(s->ifname);
	int n = 0;
	v[n++] = strdup(ifname);
	if (s->family == AF_INET) {
		v[n++] = strdup("inet");
		v[n++] = addr4_str(s->local4, "", s->width4, true);
		v[n++] = addr4_str(s->peer4, "", 0, false);
		v[n++] = strdup(or_dash(s->authname));
		if (s->up) {
			v[n++] = dns_str("dns1", s->dns1);
			v[n++] = dns_str("dns2", s->dns2);
		}
	} else {
		v[n++] = strdup("inet6");
		v[n++] = addr6_str(&s->local6, ifname);
		v[n++] = addr6_str(&s->peer6, ifname);
		v[n++] = strdup(or_dash(s->authname));
	}
	v[n++] = strdup(or_dash(s->peeraddr));
	v[n++] = strdup(or_dash(s->filterid));
	return n;
}

char **ifscript_args(const struct ifscript_info *s)
{
	if (s->family != AF_INET && s->family != AF_INET6)
		return NULL;
	char **v = calloc(IFSCRIPT_ARGS_MAX + 1, sizeof(*v));
	if (v == NULL)
		return NULL;
	int n = ifscript_fill(s, v);
	for (int i = 0; i < n; i++) {
		if (v[i] == NULL) {
			for (int j = 0; j < n; j++)
				free(v[j]);
			free(v);
			return NULL;
		}
	}
	return v;
}

void ifscript_args_free(char **args)
{
	if (args == NULL)
		return;
	for (char **a = args; *a != NULL; a++)
		free(*a);
	free(args);
}

/* Room for s as a single-quoted word: each ' becomes '\'' (4 bytes). */
static size_t sh_quoted_len(const char *s)
{
	size_t n = 2;
	for (; *s != '\0'; s++)
		n += *s == '\'' ? 4 : 1;
	return n;
}

/* Inside single quotes the shell interprets nothing, so only ' itself needs care. */
static char *sh_quote_to(char *dst, const char *s)
{
	*dst++ = '\'';
	for (; *s != '\0'; s++) {
		if (*s == '\'') {
			memcpy(dst, "'\\''", 4);
			dst += 4;
		} else {
			*dst++ = *s;
		}
	}
	*dst++ = '\'';
	return dst;
}

char *ifscript_cmdline(const char *program, char *const args[])
{
	size_t len = strlen(program) + 1;
	for (char *const *a = args; *a != NULL; a++)
		len += 1 + sh_quoted_len(*a);
	char *cmd = malloc(len), *p = cmd;
	if (cmd == NULL)
		return NULL;
	memcpy(p, program, strlen(program));
	p += strlen(program);
	for (char *const *a = args; *a != NULL; a++) {
		*p++ = ' ';
		p = sh_quote_to(p, *a);
	}
	*p = '\0';
	return cmd;
}

struct proc *ifscript_run(struct event_base *base, const char *program,
			  const struct ifscript_info *s, unsigned timeout_ms,
			  proc_done_fn cb, void *arg)
{
	if (program == NULL || program[0] == '\0') {
		errno = EINVAL;
		return NULL;
	}
	char **args = ifscript_args(s);
	char *cmd = args != NULL ? ifscript_cmdline(program, args) : NULL;
	struct proc *p = NULL;
	if (cmd != NULL) {
		char *argv[] = {"/bin/sh", "-c", cmd, NULL};
		p = proc_run(base, argv, timeout_ms, cb, arg);
	}
	free(cmd);
	ifscript_args_free(args);
	return p;
}
