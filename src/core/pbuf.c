#include "core/pbuf.h"

#include <stdlib.h>
#include <string.h>

struct pbuf *pbuf_new(size_t headroom, size_t size)
{
	if (headroom > SIZE_MAX / 2 || size > SIZE_MAX / 2)
		return NULL;
	struct pbuf *b = malloc(sizeof(*b) + headroom + size);
	if (b == NULL)
		return NULL;
	b->cap = headroom + size;
	b->data = b->buf + headroom;
	b->len = 0;
	return b;
}

struct pbuf *pbuf_from(const void *p, size_t len)
{
	struct pbuf *b = pbuf_new(PBUF_HEADROOM, len > PBUF_SIZE ? len : PBUF_SIZE);
	if (b != NULL && len > 0) {
		memcpy(b->data, p, len);
		b->len = len;
	}
	return b;
}

void pbuf_free(struct pbuf *b)
{
	free(b);
}

size_t pbuf_headroom(const struct pbuf *b)
{
	return (size_t)(b->data - b->buf);
}

size_t pbuf_tailroom(const struct pbuf *b)
{
	return b->cap - pbuf_headroom(b) - b->len;
}

uint8_t *pbuf_push(struct pbuf *b, size_t n)
{
	if (pbuf_headroom(b) < n)
		return NULL;
	b->data -= n;
	b->len += n;
	return b->data;
}

uint8_t *pbuf_pull(struct pbuf *b, size_t n)
{
	if (b->len < n)
		return NULL;
	b->data += n;
	b->len -= n;
	return b->data;
}

uint8_t *pbuf_put(struct pbuf *b, size_t n)
{
	if (pbuf_tailroom(b) < n)
		return NULL;
	uint8_t *p = b->data + b->len;
	b->len += n;
	return p;
}

int pbuf_append(struct pbuf *b, const void *p, size_t n)
{
	uint8_t *dst = pbuf_put(b, n);
	if (dst == NULL)
		return -1;
	if (n > 0)
		memcpy(dst, p, n);
	return 0;
}
