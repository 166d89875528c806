/* Endpoint Discriminator (RFC 1990 §5.1.3): option data codec, comparison, text. */
#include <stdio.h>
#include <string.h>

#include "ppp/mp.h"

/* Address lengths each class allows. */
static bool epdisc_len_ok(uint8_t class, size_t len)
{
	switch (class) {
	case MP_EPD_NULL:
		return len == 0;
	case MP_EPD_LOCAL:
		return len >= 1 && len <= MP_EPDISC_MAX;
	case MP_EPD_IP:
		return len == 4;
	case MP_EPD_MAC:
		return len == 6;
	case MP_EPD_MAGIC:
		return len >= 4 && len <= MP_EPDISC_MAX && len % 4 == 0;
	case MP_EPD_PSN:
		return len >= 1 && len <= 15;
	default:
		return false;
	}
}

int mp_epdisc_decode(const uint8_t *p, size_t len, struct mp_epdisc *e)
{
	if (len < 1 || !epdisc_len_ok(p[0], len - 1))
		return -1;
	memset(e, 0, sizeof(*e));
	e->class = p[0];
	e->len = (uint8_t)(len - 1);
	memcpy(e->addr, p + 1, e->len);
	return 0;
}

size_t mp_epdisc_encode(uint8_t *p, size_t room, const struct mp_epdisc *e)
{
	if (!epdisc_len_ok(e->class, e->len) || room < 1u + e->len)
		return 0;
	p[0] = e->class;
	memcpy(p + 1, e->addr, e->len);
	return 1u + e->len;
}

bool mp_epdisc_equal(const struct mp_epdisc *a, const struct mp_epdisc *b)
{
	return a->class == b->class && a->len == b->len && memcmp(a->addr, b->addr, a->len) == 0;
}

/* Bytes as hex with a separator; stops when buf is full. */
static void hex_text(const uint8_t *p, size_t n, char sep, char *buf, size_t len)
{
	size_t o = strlen(buf);

	for (size_t i = 0; i < n && o + 3 < len; i++) {
		if (i > 0 && sep != 0)
			buf[o++] = sep;
		snprintf(buf + o, len - o, "%02x", p[i]);
		o += 2;
	}
}

void mp_epdisc_text(const struct mp_epdisc *e, char *buf, size_t len)
{
	static const char *const names[] = { "null", "local", "ip", "mac", "magic", "psn" };
	size_t n = e->len <= MP_EPDISC_MAX ? e->len : MP_EPDISC_MAX;

	if (len == 0)
		return;
	if (e->class > MP_EPD_PSN) {
		snprintf(buf, len, "class%u", e->class);
		return;
	}
	snprintf(buf, len, "%s", names[e->class]);
	if (e->class == MP_EPD_NULL)
		return;
	size_t o = strlen(buf);
	if (o + 1 < len) {
		buf[o++] = ' ';
		buf[o] = '\0';
	}
	if (e->class == MP_EPD_IP && n == 4) {
		snprintf(buf + o, len - o, "%u.%u.%u.%u", e->addr[0], e->addr[1], e->addr[2], e->addr[3]);
	} else if (e->class == MP_EPD_MAC) {
		hex_text(e->addr, n, ':', buf, len);
	} else if (e->class == MP_EPD_PSN) {
		/* a directory number is digits; anything else shows as hex */
		bool digits = n > 0;
		for (size_t i = 0; i < n; i++)
			digits = digits && e->addr[i] >= '0' && e->addr[i] <= '9';
		if (digits)
			snprintf(buf + o, len - o, "%.*s", (int)n, (const char *)e->addr);
		else
			hex_text(e->addr, n, 0, buf, len);
	} else {
		hex_text(e->addr, n, 0, buf, len);
	}
}
