/* Configuration option lists (type, length, data) of RFC 1661 §6, bounds-checked. */
#ifndef MPD_PPP_OPT_H
#define MPD_PPP_OPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/byteorder.h"

struct pbuf;

/* One option as found in a packet; data points into the packet. */
struct ppp_opt {
	uint8_t type;
	uint8_t len;		/* length of data, i.e. the Length field minus 2 */
	const uint8_t *data;
	const uint8_t *raw;	/* the whole option, type byte first */
};

/* Walks an option list without copying. */
struct opt_iter {
	const uint8_t *p;
	size_t len;
	size_t off;
};

/* Start walking `len` bytes of options at p. */
void opt_iter_init(struct opt_iter *it, const uint8_t *p, size_t len);
/* Next option: 1 when one was stored in o, 0 at the end, -1 when the list is malformed. */
int opt_next(struct opt_iter *it, struct ppp_opt *o);
/* True when the list is well formed: every Length is >= 2 and fits. */
bool opt_list_valid(const uint8_t *p, size_t len);
/* True when the list holds an option with exactly these bytes. */
bool opt_list_has(const uint8_t *p, size_t len, const struct ppp_opt *o);
/* Append an option with len data bytes; -1 when it does not fit. */
int opt_put(struct pbuf *b, uint8_t type, const void *data, size_t len);
/* Append an option carrying a 16-bit value in network order. */
int opt_put16(struct pbuf *b, uint8_t type, uint16_t v);
/* Append an option carrying a 32-bit value in network order. */
int opt_put32(struct pbuf *b, uint8_t type, uint32_t v);
/* Append an option exactly as it was received. */
int opt_put_raw(struct pbuf *b, const struct ppp_opt *o);

#endif
