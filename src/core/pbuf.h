/* Packet buffers with headroom, so each layer prepends its header in place. */
#ifndef MPD_PBUF_H
#define MPD_PBUF_H

#include <stddef.h>
#include <stdint.h>

/* Room kept in front of data: Ethernet + PPPoE + PPP (+ MP) headers fit. */
#define PBUF_HEADROOM 64
/* Default payload room: largest frame any device carries, plus slack. */
#define PBUF_SIZE 4096

struct pbuf {
	uint8_t *data; /* first valid byte */
	size_t len;    /* valid bytes from data */
	size_t cap;    /* bytes in buf */
	uint8_t buf[]; /* storage: headroom, data, tailroom */
};

/* Allocate a buffer with `headroom` bytes before data and `size` after; NULL on OOM. */
struct pbuf *pbuf_new(size_t headroom, size_t size);
/* Allocate a default-sized buffer and copy `len` bytes of `p` into it. */
struct pbuf *pbuf_from(const void *p, size_t len);
/* Release a buffer; NULL is ignored. */
void pbuf_free(struct pbuf *b);
/* Prepend n bytes; returns the new data pointer or NULL when headroom is short. */
uint8_t *pbuf_push(struct pbuf *b, size_t n);
/* Strip n bytes from the front; NULL when fewer than n bytes are valid. */
uint8_t *pbuf_pull(struct pbuf *b, size_t n);
/* Append n bytes at the tail; returns where they go, or NULL when tailroom is short. */
uint8_t *pbuf_put(struct pbuf *b, size_t n);
/* Append a copy of n bytes; -1 when tailroom is short. */
int pbuf_append(struct pbuf *b, const void *p, size_t n);
/* Bytes free in front of data. */
size_t pbuf_headroom(const struct pbuf *b);
/* Bytes free after data. */
size_t pbuf_tailroom(const struct pbuf *b);

#endif
