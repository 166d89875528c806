/*
 * What AAA attributes mean, decided without touching anything: the link,
 * bundle and interface call these and do the applying themselves.
 */
#include "aaa/auth_attr.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum auth_addr_kind auth_addr_kind(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);
	if (h == 0xfffffffeu)
		return AUTH_ADDR_NAS_CHOOSES;
	if (h == 0xffffffffu)
		return AUTH_ADDR_PEER_CHOOSES;
	/* 0.0.0.0, loopback and multicast/reserved can't be a peer's address: a broken answer */
	if (h == 0 || (h >> 24) == 127 || (h >> 28) >= 0xe)
		return AUTH_ADDR_INVALID;
	return AUTH_ADDR_EXACT;
}

bool auth_mtu_ok(uint32_t mtu)
{
	return mtu >= AUTH_MTU_MIN && mtu <= AUTH_MTU_MAX;
}

unsigned auth_mtu_cap(unsigned mtu, uint32_t cap)
{
	if (!auth_mtu_ok(cap))
		return mtu;
	return mtu < cap ? mtu : (unsigned)cap;
}

static uint32_t width_mask(int width)
{
	return width == 0 ? 0 : 0xffffffffu << (32 - width);
}

/* A decimal number in [lo, hi] that is the whole token; -1 otherwise. */
static long parse_num(const char *s, long lo, long hi)
{
	if (*s == '\0' || strlen(s) > 10)
		return -1;
	for (const char *p = s; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p))
			return -1;
	long v = strtol(s, NULL, 10);
	return v < lo || v > hi ? -1 : v;
}

int auth_route_parse(const char *s, struct auth_route4 *r)
{
	char buf[128];
	if (strlen(s) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s", s);
	char *save = NULL;
	char *prefix = strtok_r(buf, " \t", &save);
	char *gw = strtok_r(NULL, " \t", &save);
	char *metric = gw != NULL ? strtok_r(NULL, " \t", &save) : NULL;
	if (prefix == NULL || strtok_r(NULL, " \t", &save) != NULL)
		return -1;
	char *slash = strchr(prefix, '/');
	if (slash == NULL) /* as mpd5: the slash form is required */
		return -1;
	*slash = '\0';
	long width = parse_num(slash + 1, 0, 32);
	struct in_addr dest, g;
	if (width < 0 || inet_pton(AF_INET, prefix, &dest) != 1)
		return -1;
	if (gw != NULL && inet_pton(AF_INET, gw, &g) != 1)
		return -1;
	if (metric != NULL && parse_num(metric, 0, 0x7fffffff) < 0)
		return -1;
	r->width = (int)width;
	r->dest.s_addr = htonl(ntohl(dest.s_addr) & width_mask(r->width));
	return 0;
}

int auth_mask_width(struct in_addr mask)
{
	uint32_t m = ntohl(mask.s_addr);
	int w = 0;
	while (w < 32 && (m & (0x80000000u >> w)) != 0)
		w++;
	return m == width_mask(w) ? w : -1;
}

int auth_netmask_route(struct in_addr addr, struct in_addr mask, struct auth_route4 *r)
{
	int w = auth_mask_width(mask);
	if (w < 0)
		return -1;
	if (w == 32 || auth_addr_kind(addr) != AUTH_ADDR_EXACT)
		return 0;
	r->width = w;
	r->dest.s_addr = htonl(ntohl(addr.s_addr) & width_mask(w));
	return 1;
}

int auth_action_parse(const char *s, enum auth_action *kind, char *target, size_t tlen)
{
	char word[16], arg[64], extra[2];
	int n = sscanf(s, " %15s %63s %1s", word, arg, extra);
	if (n == 1 && strcmp(word, "drop") == 0) {
		*kind = AUTH_ACTION_DROP;
		if (tlen > 0)
			target[0] = '\0';
		return 0;
	}
	if (n != 2 || strlen(arg) >= tlen)
		return -1;
	if (strcmp(word, "bundle") == 0)
		*kind = AUTH_ACTION_BUNDLE;
	else if (strcmp(word, "forward") == 0)
		*kind = AUTH_ACTION_FORWARD;
	else
		return -1;
	snprintf(target, tlen, "%s", arg);
	return 0;
}

int auth_ms_success(const uint8_t *v, size_t len, char out[43])
{
	/* the Ident byte first (RFC 2548 §2.3.3); some servers leave it out */
	if (len == 43)
		v++, len--;
	if (len != 42 || v[0] != 'S' || v[1] != '=')
		return -1;
	for (size_t i = 2; i < 42; i++)
		if (!isxdigit(v[i]))
			return -1;
	memcpy(out, v, 42);
	out[42] = '\0';
	return 0;
}

void auth_ms_error(const uint8_t *v, size_t len, char *text, size_t tlen, unsigned *code)
{
	/* Ident (RFC 2548 §2.3.5), or the NUL some servers put there */
	if (len > 0 && v[0] != 'E')
		v++, len--;
	size_t o = 0;
	for (size_t i = 0; i < len && o + 1 < tlen; i++)
		if (isprint(v[i]))
			text[o++] = (char)v[i];
	if (tlen > 0)
		text[o] = '\0';
	*code = 691;
	if (o > 2 && text[0] == 'E' && text[1] == '=') {
		char *end;
		unsigned long c = strtoul(text + 2, &end, 10);
		if (end != text + 2 && c > 0 && c < 100000)
			*code = (unsigned)c;
	}
}
