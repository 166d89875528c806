#include "ppp/auth_util.h"

#include <string.h>

#include "core/pbuf.h"
#include "ppp/opt.h"
#include "ppp/proto.h"

struct pbuf *auth_packet(uint8_t code, uint8_t id, const void *a, size_t alen,
			 const void *b, size_t blen)
{
	size_t len = PPP_HDRLEN + alen + blen;

	if (len > 0xffff)
		return NULL;
	struct pbuf *pb = pbuf_new(PBUF_HEADROOM, len);
	if (pb == NULL)
		return NULL;
	uint8_t *p = pbuf_put(pb, len);
	p[0] = code;
	p[1] = id;
	put16(p + 2, (uint16_t)len);
	if (alen > 0)
		memcpy(p + PPP_HDRLEN, a, alen);
	if (blen > 0)
		memcpy(p + PPP_HDRLEN + alen, b, blen);
	return pb;
}

bool auth_cstr(char *dst, size_t size, const uint8_t *src, size_t len)
{
	if (len >= size || memchr(src, 0, len) != NULL)
		return false;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return true;
}

void auth_printable(char *dst, size_t size, const uint8_t *src, size_t len)
{
	size_t n = len < size - 1 ? len : size - 1;

	for (size_t i = 0; i < n; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? (char)src[i] : '?';
	dst[n] = '\0';
}

long auth_check_header(const uint8_t *pkt, size_t len)
{
	if (len < PPP_HDRLEN)
		return -1;
	size_t plen = get16(pkt + 2);

	if (plen < PPP_HDRLEN || plen > len)
		return -1;
	return (long)(plen - PPP_HDRLEN);
}
