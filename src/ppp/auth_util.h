/* Helpers shared by the authentication engines (PAP, CHAP). */
#ifndef MPD_PPP_AUTH_UTIL_H
#define MPD_PPP_AUTH_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pbuf;

/* A control packet with code, id and a two-part body, PBUF_HEADROOM in front; NULL on OOM. */
struct pbuf *auth_packet(uint8_t code, uint8_t id, const void *a, size_t alen,
			 const void *b, size_t blen);
/* Copy untrusted bytes into a C string; false when they hold a NUL or do not fit. */
bool auth_cstr(char *dst, size_t size, const uint8_t *src, size_t len);
/* Copy bytes into a C string for logs, turning unprintables into '?' and truncating. */
void auth_printable(char *dst, size_t size, const uint8_t *src, size_t len);
/* Validate a control packet header: length field sane; returns the body length or -1. */
long auth_check_header(const uint8_t *pkt, size_t len);

#endif
