/*
 * Typed setters (conf/cmd_field.h): parse the words by the row's type,
 * check the range, store into the selected object and run the row's hook.
 */
#include "conf/cmd_field.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A parsed value before it is stored. */
union fval {
	long long i;
	bool b;
	struct in_addr a[4];
};

#define IPV4_MAX 4 /* most addresses one row takes (dns, nbns: 2) */

/* Report a bad value as the row says. */
static int bad_value(struct cmd_ctx *c, const struct cmd_field *f, const char *value)
{
	if (f->err != NULL && f->err[0] == '\0')
		return CMD_USAGE;
	if (f->type == CMD_F_STR)
		return cmd_error(c, f->err != NULL ? f->err : "value too long (max %zu)", f->size - 1);
	if (f->err != NULL)
		return cmd_error(c, f->err, value);
	if (f->type == CMD_F_ENUM || f->type == CMD_F_BOOL || f->type == CMD_F_IPV4)
		return cmd_error(c, "bad value \"%s\"", value);
	return cmd_error(c, "'%s' is not a number in %lld..%lld", value, f->min, f->max);
}

static bool parse_int(const struct cmd_field *f, const char *s, long long *out)
{
	char *end;
	errno = 0;
	switch (f->type) {
	case CMD_F_UINT: {
		if (!isdigit((unsigned char)s[0]))
			return false;
		unsigned long long v = strtoull(s, &end, 10);
		if (errno != 0 || *end != '\0' || v > (unsigned long long)LLONG_MAX)
			return false;
		*out = (long long)v;
		break;
	}
	case CMD_F_INT:
		*out = strtoll(s, &end, 10);
		if (s[0] == '\0' || *end != '\0' || errno != 0)
			return false;
		break;
	default: { /* CMD_F_HEX */
		unsigned long long v = strtoull(s, &end, 16);
		if (s[0] == '\0' || *end != '\0' || errno != 0 || v > (unsigned long long)LLONG_MAX)
			return false;
		*out = (long long)v;
		break;
	}
	}
	return *out >= f->min && *out <= f->max;
}

static bool parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"yes", "on", "true", "1"}, *const no[] = {"no", "off", "false", "0"};
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0 || strcasecmp(s, no[i]) == 0) {
			*out = strcasecmp(s, yes[i]) == 0;
			return true;
		}
	}
	return false;
}

static bool parse_enum(const struct cmd_field *f, const char *s, long long *out)
{
	for (long long i = 0; f->names != NULL && f->names[i] != NULL; i++)
		if (strcmp(f->names[i], s) == 0) {
			*out = i;
			return true;
		}
	return false;
}

/* How many words the row takes: IPv4 lists 1..n, everything else exactly one. */
static bool arity_ok(const struct cmd_field *f, int ac)
{
	if (f->type != CMD_F_IPV4)
		return ac == 1;
	size_t n = f->size / sizeof(struct in_addr);
	return ac >= 1 && (size_t)ac <= n && n <= IPV4_MAX;
}

/* Parse av into v; the bad word in *badp when it fails. */
static bool parse(const struct cmd_field *f, int ac, char **av, union fval *v, const char **badp)
{
	*badp = av[0];
	switch (f->type) {
	case CMD_F_UINT:
	case CMD_F_INT:
	case CMD_F_HEX: return parse_int(f, av[0], &v->i);
	case CMD_F_BOOL: return parse_bool(av[0], &v->b);
	case CMD_F_ENUM: return parse_enum(f, av[0], &v->i);
	case CMD_F_STR: return strlen(av[0]) < f->size;
	case CMD_F_IPV4:
		memset(v->a, 0, sizeof(v->a));
		for (int i = 0; i < ac; i++)
			if (inet_pton(AF_INET, av[i], &v->a[i]) != 1) {
				*badp = av[i];
				return false;
			}
		return true;
	}
	return false;
}

/* Store an integer in a member of f->size bytes (the range check made it fit). */
static void store_int(void *p, size_t size, long long v)
{
	switch (size) {
	case 1: { uint8_t x = (uint8_t)v; memcpy(p, &x, 1); break; }
	case 2: { uint16_t x = (uint16_t)v; memcpy(p, &x, 2); break; }
	case 4: { uint32_t x = (uint32_t)v; memcpy(p, &x, 4); break; }
	default: { uint64_t x = (uint64_t)v; memcpy(p, &x, 8); break; }
	}
}

static void store(const struct cmd_field *f, void *obj, const union fval *v, const char *word)
{
	char *p = (char *)obj + f->off;
	switch (f->type) {
	case CMD_F_BOOL: memcpy(p, &v->b, sizeof(bool)); break;
	case CMD_F_STR: memcpy(p, word, strlen(word) + 1); break;
	case CMD_F_IPV4: memcpy(p, v->a, f->size); break;
	default: store_int(p, f->size, v->i); break;
	}
}

int cmd_field_set(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	const struct cmd_field *f = arg;
	union fval v;
	const char *bad;

	if (!arity_ok(f, ac))
		return CMD_USAGE;
	void *obj = f->obj(c);
	if (obj == NULL)
		return c->err[0] ? CMD_ERR : cmd_error(c, "no object selected");
	if (!parse(f, ac, av, &v, &bad))
		return bad_value(c, f, bad);
	store(f, obj, &v, av[0]);
	return f->post != NULL ? f->post(c, obj) : CMD_OK;
}
