#include "ppp/opt.h"

#include <string.h>

#include "core/pbuf.h"

void opt_iter_init(struct opt_iter *it, const uint8_t *p, size_t len)
{
	it->p = p;
	it->len = len;
	it->off = 0;
}

int opt_next(struct opt_iter *it, struct ppp_opt *o)
{
	size_t left = it->len - it->off;

	if (left == 0)
		return 0;
	if (left < 2)
		return -1;
	const uint8_t *q = it->p + it->off;
	/* Length counts type and length bytes; 0 or 1 would loop or underflow. */
	if (q[1] < 2 || q[1] > left)
		return -1;
	o->type = q[0];
	o->len = (uint8_t)(q[1] - 2);
	o->data = q + 2;
	o->raw = q;
	it->off += q[1];
	return 1;
}

bool opt_list_valid(const uint8_t *p, size_t len)
{
	struct opt_iter it;
	struct ppp_opt o;
	int r;

	opt_iter_init(&it, p, len);
	while ((r = opt_next(&it, &o)) == 1)
		;
	return r == 0;
}

bool opt_list_has(const uint8_t *p, size_t len, const struct ppp_opt *o)
{
	struct opt_iter it;
	struct ppp_opt x;

	opt_iter_init(&it, p, len);
	while (opt_next(&it, &x) == 1)
		if (x.type == o->type && x.len == o->len && memcmp(x.data, o->data, o->len) == 0)
			return true;
	return false;
}

int opt_put(struct pbuf *b, uint8_t type, const void *data, size_t len)
{
	if (len > 253)
		return -1;
	uint8_t *p = pbuf_put(b, len + 2);
	if (p == NULL)
		return -1;
	p[0] = type;
	p[1] = (uint8_t)(len + 2);
	if (len > 0)
		memcpy(p + 2, data, len);
	return 0;
}

int opt_put16(struct pbuf *b, uint8_t type, uint16_t v)
{
	uint8_t d[2];

	put16(d, v);
	return opt_put(b, type, d, sizeof(d));
}

int opt_put32(struct pbuf *b, uint8_t type, uint32_t v)
{
	uint8_t d[4];

	put32(d, v);
	return opt_put(b, type, d, sizeof(d));
}

int opt_put_raw(struct pbuf *b, const struct ppp_opt *o)
{
	return opt_put(b, o->type, o->data, o->len);
}
