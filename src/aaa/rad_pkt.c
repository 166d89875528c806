#include "aaa/rad_pkt.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <nettle/hmac.h>
#include <nettle/md5.h>
#include <nettle/memops.h>

#include "core/byteorder.h"
#include "core/rand.h"

/* ---- building ---- */

static int begin(struct rad_builder *b, uint8_t *buf, size_t cap, uint8_t code, uint8_t id,
		 const uint8_t *auth)
{
	memset(b, 0, sizeof *b);
	if (cap < RAD_HDR_LEN) {
		b->failed = true;
		return -1;
	}
	b->buf = buf;
	b->cap = cap < RAD_MAX_PKT ? cap : RAD_MAX_PKT;
	b->len = RAD_HDR_LEN;
	buf[0] = code;
	buf[1] = id;
	put16(buf + 2, RAD_HDR_LEN);
	if (auth)
		memcpy(buf + 4, auth, RAD_AUTH_LEN);
	else
		memset(buf + 4, 0, RAD_AUTH_LEN);
	return 0;
}

int rad_begin(struct rad_builder *b, uint8_t *buf, size_t cap, uint8_t code, uint8_t id)
{
	if (begin(b, buf, cap, code, id, NULL) < 0)
		return -1;
	/* RFC 2865 §3: unpredictable and unique over the secret's lifetime. */
	if (code == RAD_ACCESS_REQUEST || code == RAD_STATUS_SERVER)
		rand_bytes(buf + 4, RAD_AUTH_LEN);
	return 0;
}

int rad_begin_auth(struct rad_builder *b, uint8_t *buf, size_t cap, uint8_t code, uint8_t id,
		   const uint8_t auth[RAD_AUTH_LEN])
{
	return begin(b, buf, cap, code, id, auth);
}

int rad_begin_reply(struct rad_builder *b, uint8_t *buf, size_t cap, uint8_t code,
		    const uint8_t *req)
{
	return begin(b, buf, cap, code, req[1], req + 4);
}

/* Room for n more bytes, else the builder is marked failed. */
static uint8_t *room(struct rad_builder *b, size_t n)
{
	if (b->failed || !b->buf || n > b->cap - b->len) {
		b->failed = true;
		return NULL;
	}
	uint8_t *p = b->buf + b->len;
	b->len += n;
	return p;
}

int rad_add_raw(struct rad_builder *b, uint8_t type, const void *val, size_t len)
{
	if (len > RAD_MAX_ATTR) {
		b->failed = true;
		return -1;
	}
	uint8_t *p = room(b, 2 + len);
	if (!p)
		return -1;
	p[0] = type;
	p[1] = (uint8_t)(2 + len);
	if (len)
		memcpy(p + 2, val, len);
	return 0;
}

int rad_add_string(struct rad_builder *b, uint8_t type, const char *s)
{
	size_t n = strlen(s);
	return n ? rad_add_raw(b, type, s, n) : (b->failed ? -1 : 0);
}

int rad_add_u32(struct rad_builder *b, uint8_t type, uint32_t v)
{
	uint8_t x[4];
	put32(x, v);
	return rad_add_raw(b, type, x, 4);
}

int rad_add_ipv4(struct rad_builder *b, uint8_t type, struct in_addr a)
{
	return rad_add_raw(b, type, &a.s_addr, 4);
}

int rad_add_ipv6(struct rad_builder *b, uint8_t type, const struct in6_addr *a)
{
	return rad_add_raw(b, type, a->s6_addr, 16);
}

int rad_add_ipv6_prefix(struct rad_builder *b, uint8_t type, const struct in6_addr *a, uint8_t plen)
{
	if (plen > 128) {
		b->failed = true;
		return -1;
	}
	uint8_t v[18] = {0, plen};
	size_t n = (plen + 7u) / 8;
	memcpy(v + 2, a->s6_addr, n);
	if (plen % 8)
		v[2 + n - 1] &= (uint8_t)(0xff00 >> (plen % 8));
	return rad_add_raw(b, type, v, 2 + n);
}

int rad_add_split(struct rad_builder *b, uint8_t type, const void *val, size_t len)
{
	const uint8_t *p = val;
	if (len == 0)
		return rad_add_raw(b, type, p, 0);
	while (len) {
		size_t n = len < RAD_MAX_ATTR ? len : RAD_MAX_ATTR;
		if (rad_add_raw(b, type, p, n) < 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

int rad_add_vsa(struct rad_builder *b, uint32_t vendor, uint8_t vtype, const void *val, size_t len)
{
	if (len > RAD_MAX_VSA) {
		b->failed = true;
		return -1;
	}
	uint8_t *p = room(b, 8 + len);
	if (!p)
		return -1;
	p[0] = RAD_VENDOR_SPECIFIC;
	p[1] = (uint8_t)(8 + len);
	put32(p + 2, vendor);
	p[6] = vtype;
	p[7] = (uint8_t)(2 + len);
	if (len)
		memcpy(p + 8, val, len);
	return 0;
}

int rad_add_vsa_string(struct rad_builder *b, uint32_t vendor, uint8_t vtype, const char *s)
{
	size_t n = strlen(s);
	return n ? rad_add_vsa(b, vendor, vtype, s, n) : (b->failed ? -1 : 0);
}

int rad_add_vsa_u32(struct rad_builder *b, uint32_t vendor, uint8_t vtype, uint32_t v)
{
	uint8_t x[4];
	put32(x, v);
	return rad_add_vsa(b, vendor, vtype, x, 4);
}

int rad_add_vsa_ipv4(struct rad_builder *b, uint32_t vendor, uint8_t vtype, struct in_addr a)
{
	return rad_add_vsa(b, vendor, vtype, &a.s_addr, 4);
}

int rad_add_tagged_u32(struct rad_builder *b, uint8_t type, uint8_t tag, uint32_t v)
{
	if (tag > 0x1f || v > 0xffffff) {
		b->failed = true;
		return -1;
	}
	uint8_t x[4];
	put32(x, v);
	x[0] = tag;
	return rad_add_raw(b, type, x, 4);
}

int rad_add_tagged_string(struct rad_builder *b, uint8_t type, uint8_t tag, const char *s)
{
	size_t n = strlen(s);
	if (tag > 0x1f || n > RAD_MAX_ATTR - 1) {
		b->failed = true;
		return -1;
	}
	if (tag == 0)
		return rad_add_string(b, type, s);
	uint8_t v[RAD_MAX_ATTR];
	v[0] = tag;
	memcpy(v + 1, s, n);
	return rad_add_raw(b, type, v, n + 1);
}

int rad_add_message_authenticator(struct rad_builder *b)
{
	if (b->failed || b->len != RAD_HDR_LEN) {
		b->failed = true;
		return -1;
	}
	static const uint8_t zero[RAD_AUTH_LEN];
	if (rad_add_raw(b, RAD_MESSAGE_AUTHENTICATOR, zero, sizeof zero) < 0)
		return -1;
	b->ma_off = RAD_HDR_LEN + 2;
	return 0;
}

/* The key stream block MD5(secret + d): d is an authenticator (+ salt) or the previous cipher block. */
static void md5_secret_block(const void *secret, size_t secretlen, const uint8_t *d, size_t dlen,
			     uint8_t out[16])
{
	struct md5_ctx c;
	md5_init(&c);
	md5_update(&c, secretlen, secret);
	md5_update(&c, dlen, d);
	md5_digest(&c, MD5_DIGEST_SIZE, out);
}

int rad_password_hide(const void *pw, size_t pwlen, const void *secret, size_t secretlen,
		      const uint8_t auth[RAD_AUTH_LEN], uint8_t *out, size_t cap)
{
	size_t n = pwlen ? (pwlen + 15) / 16 * 16 : 16;
	if (pwlen > RAD_MAX_PASS || n > cap)
		return -1;
	memset(out, 0, n);
	if (pwlen)
		memcpy(out, pw, pwlen);
	const uint8_t *prev = auth;
	for (size_t i = 0; i < n; i += 16) {
		uint8_t b[16];
		md5_secret_block(secret, secretlen, prev, 16, b);
		memxor(out + i, b, 16);
		prev = out + i;
	}
	return (int)n;
}

int rad_password_unhide(const uint8_t *hidden, size_t len, const void *secret, size_t secretlen,
			const uint8_t auth[RAD_AUTH_LEN], char *out, size_t cap)
{
	if (len == 0 || len % 16 || len > RAD_MAX_PASS || cap <= len)
		return -1;
	const uint8_t *prev = auth;
	for (size_t i = 0; i < len; i += 16) {
		uint8_t b[16];
		md5_secret_block(secret, secretlen, prev, 16, b);
		for (size_t j = 0; j < 16; j++)
			out[i + j] = (char)(hidden[i + j] ^ b[j]);
		prev = hidden + i;
	}
	size_t n = len;
	while (n && out[n - 1] == 0)
		n--;
	out[n] = 0;
	return (int)n;
}

int rad_add_user_password(struct rad_builder *b, const void *pw, size_t pwlen,
			  const void *secret, size_t secretlen)
{
	uint8_t v[RAD_MAX_PASS];
	if (b->failed || !b->buf) {
		b->failed = true;
		return -1;
	}
	int n = rad_password_hide(pw, pwlen, secret, secretlen, b->buf + 4, v, sizeof v);
	if (n < 0) {
		b->failed = true;
		return -1;
	}
	return rad_add_raw(b, RAD_USER_PASSWORD, v, (size_t)n);
}

/* HMAC-MD5 over the packet as it stands (RFC 2869 §5.14: MA value zeroed by the caller). */
static void hmac_packet(const uint8_t *pkt, size_t len, const void *secret, size_t secretlen,
			uint8_t out[RAD_AUTH_LEN])
{
	struct hmac_md5_ctx c;
	hmac_md5_set_key(&c, secretlen, secret);
	hmac_md5_update(&c, len, pkt);
	hmac_md5_digest(&c, MD5_DIGEST_SIZE, out);
}

/* MD5(packet + secret): Request (accounting, 5176) and Response Authenticators. */
static void md5_packet(const uint8_t *pkt, size_t len, const void *secret, size_t secretlen,
		       uint8_t out[RAD_AUTH_LEN])
{
	struct md5_ctx c;
	md5_init(&c);
	md5_update(&c, len, pkt);
	md5_update(&c, secretlen, secret);
	md5_digest(&c, MD5_DIGEST_SIZE, out);
}

static bool is_response(uint8_t code)
{
	switch (code) {
	case RAD_ACCESS_ACCEPT: case RAD_ACCESS_REJECT: case RAD_ACCESS_CHALLENGE:
	case RAD_ACCOUNTING_RESPONSE: case RAD_DISCONNECT_ACK: case RAD_DISCONNECT_NAK:
	case RAD_COA_ACK: case RAD_COA_NAK:
		return true;
	}
	return false;
}

/* Requests whose Request Authenticator is MD5 over the packet (RFC 2866 §3, RFC 5176 §2.3). */
static bool is_hashed_request(uint8_t code)
{
	return code == RAD_ACCOUNTING_REQUEST || code == RAD_DISCONNECT_REQUEST || code == RAD_COA_REQUEST;
}

int rad_finish(struct rad_builder *b, const void *secret, size_t secretlen)
{
	if (b->failed || !b->buf)
		return -1;
	uint8_t *pkt = b->buf;
	put16(pkt + 2, (uint16_t)b->len);
	bool hashed = is_hashed_request(pkt[0]);
	if (hashed)
		memset(pkt + 4, 0, RAD_AUTH_LEN);
	if (b->ma_off) {
		memset(pkt + b->ma_off, 0, RAD_AUTH_LEN);
		hmac_packet(pkt, b->len, secret, secretlen, pkt + b->ma_off);
	}
	if (hashed || is_response(pkt[0]))
		md5_packet(pkt, b->len, secret, secretlen, pkt + 4);
	return (int)b->len;
}

/* ---- parsing ---- */

int rad_parse(struct rad_pkt *p, const uint8_t *dgram, size_t dlen)
{
	memset(p, 0, sizeof *p);
	if (dlen < RAD_HDR_LEN)
		return -1;
	size_t len = get16(dgram + 2);
	/* RFC 2865 §3: shorter than the Length field → discard; longer → padding. */
	if (len < RAD_HDR_LEN || len > RAD_MAX_PKT || len > dlen)
		return -1;
	for (size_t off = RAD_HDR_LEN; off < len;) {
		if (len - off < 2 || dgram[off + 1] < 2 || dgram[off + 1] > len - off)
			return -1;
		off += dgram[off + 1];
	}
	p->data = dgram;
	p->len = len;
	p->code = dgram[0];
	p->id = dgram[1];
	p->auth = dgram + 4;
	return 0;
}

void rad_iter_init(struct rad_iter *it, const struct rad_pkt *p)
{
	memset(it, 0, sizeof *it);
	it->p = p;
	it->off = RAD_HDR_LEN;
}

/* Whether a VSA value (after the vendor id) is a clean run of sub-TLVs (RFC 2865 §5.26). */
static bool vsa_well_formed(const uint8_t *v, size_t len)
{
	if (len == 0)
		return false;
	for (size_t off = 0; off < len;) {
		if (len - off < 2 || v[off + 1] < 2 || v[off + 1] > len - off)
			return false;
		off += v[off + 1];
	}
	return true;
}

bool rad_iter_next(struct rad_iter *it, struct rad_attr *a)
{
	const uint8_t *d = it->p->data;
	if (it->sub_off < it->sub_end) {
		const uint8_t *s = d + it->sub_off;
		*a = (struct rad_attr){ .type = RAD_VENDOR_SPECIFIC, .vendor = it->vendor, .vtype = s[0],
					 .data = s + 2, .len = (size_t)s[1] - 2 };
		it->sub_off += s[1];
		return true;
	}
	if (it->off >= it->p->len)
		return false;
	const uint8_t *t = d + it->off;
	size_t vlen = (size_t)t[1] - 2;
	it->off += t[1];
	*a = (struct rad_attr){ .type = t[0], .data = t + 2, .len = vlen };
	if (t[0] != RAD_VENDOR_SPECIFIC)
		return true;
	if (vlen < 4)
		return true; /* no vendor id: vendor 0, vtype 0, whole value */
	a->vendor = get32(t + 2);
	a->data = t + 6;
	a->len = vlen - 4;
	if (!vsa_well_formed(t + 6, vlen - 4))
		return true;
	it->vendor = a->vendor;
	it->sub_off = (size_t)(t + 6 - d);
	it->sub_end = it->off;
	return rad_iter_next(it, a);
}

bool rad_find(const struct rad_pkt *p, uint8_t type, uint32_t vendor, uint8_t vtype, struct rad_attr *a)
{
	struct rad_iter it;
	rad_iter_init(&it, p);
	while (rad_iter_next(&it, a)) {
		if (vendor == 0 && a->type == type && a->vendor == 0)
			return true;
		if (vendor != 0 && a->type == RAD_VENDOR_SPECIFIC && a->vendor == vendor && a->vtype == vtype &&
		    vtype != 0)
			return true;
	}
	return false;
}

int rad_concat(const struct rad_pkt *p, uint8_t type, uint8_t *out, size_t cap)
{
	struct rad_iter it;
	struct rad_attr a;
	size_t n = 0;
	rad_iter_init(&it, p);
	while (rad_iter_next(&it, &a)) {
		if (a.type != type || a.vendor)
			continue;
		if (a.len > cap - n)
			return -1;
		memcpy(out + n, a.data, a.len);
		n += a.len;
	}
	return (int)n;
}

bool rad_attr_u32(const struct rad_attr *a, uint32_t *v)
{
	if (a->len != 4)
		return false;
	*v = get32(a->data);
	return true;
}

bool rad_attr_ipv4(const struct rad_attr *a, struct in_addr *v)
{
	if (a->len != 4)
		return false;
	memcpy(&v->s_addr, a->data, 4);
	return true;
}

bool rad_attr_ipv6(const struct rad_attr *a, struct in6_addr *v)
{
	if (a->len != 16)
		return false;
	memcpy(v->s6_addr, a->data, 16);
	return true;
}

bool rad_attr_ipv6_prefix(const struct rad_attr *a, struct in6_addr *v, uint8_t *plen)
{
	if (a->len < 2 || a->len > 18 || a->data[1] > 128)
		return false;
	size_t need = (a->data[1] + 7u) / 8;
	if (a->len - 2 < need)
		return false;
	memset(v, 0, sizeof *v);
	memcpy(v->s6_addr, a->data + 2, need);
	if (a->data[1] % 8)
		v->s6_addr[need - 1] &= (uint8_t)(0xff00 >> (a->data[1] % 8));
	*plen = a->data[1];
	return true;
}

bool rad_attr_tagged_u32(const struct rad_attr *a, uint8_t *tag, uint32_t *v)
{
	if (a->len != 4)
		return false;
	*tag = a->data[0];
	*v = get32(a->data) & 0xffffff;
	return true;
}

bool rad_attr_string(const struct rad_attr *a, char *out, size_t cap)
{
	if (cap == 0)
		return false;
	out[0] = 0;
	if (a->len >= cap || memchr(a->data, 0, a->len))
		return false;
	memcpy(out, a->data, a->len);
	out[a->len] = 0;
	return true;
}

/* ---- verification ---- */

/* Find the one Message-Authenticator: 0 none, >0 offset of its value, -1 two or bad length. */
static long find_ma(const struct rad_pkt *p)
{
	long at = 0;
	for (size_t off = RAD_HDR_LEN; off < p->len; off += p->data[off + 1]) {
		if (p->data[off] != RAD_MESSAGE_AUTHENTICATOR)
			continue;
		if (at || p->data[off + 1] != RAD_MA_ATTR_LEN)
			return -1;
		at = (long)off + 2;
	}
	return at;
}

/*
 * Check the MA at value offset `at` with the header authenticator replaced
 * by `auth` (the request's for responses, zeros for hashed requests).
 */
static bool ma_ok(const struct rad_pkt *p, long at, const uint8_t *auth, const void *secret,
		  size_t secretlen)
{
	uint8_t copy[RAD_MAX_PKT], mac[RAD_AUTH_LEN];
	memcpy(copy, p->data, p->len);
	memcpy(copy + 4, auth, RAD_AUTH_LEN);
	memset(copy + at, 0, RAD_AUTH_LEN);
	hmac_packet(copy, p->len, secret, secretlen, mac);
	return memeql_sec(mac, p->data + at, RAD_AUTH_LEN);
}

/* The packet's MD5 authenticator, computed with `auth` in the header. */
static bool md5_auth_ok(const struct rad_pkt *p, const uint8_t *auth, const void *secret, size_t secretlen)
{
	uint8_t copy[RAD_MAX_PKT], h[RAD_AUTH_LEN];
	memcpy(copy, p->data, p->len);
	memcpy(copy + 4, auth, RAD_AUTH_LEN);
	md5_packet(copy, p->len, secret, secretlen, h);
	return memeql_sec(h, p->auth, RAD_AUTH_LEN);
}

/* Whether `resp` is a code that answers `req` (RFC 2865 §3, 2866 §4, 5176 §3). */
static bool answers(uint8_t req, uint8_t resp)
{
	switch (req) {
	case RAD_ACCESS_REQUEST:
		return resp == RAD_ACCESS_ACCEPT || resp == RAD_ACCESS_REJECT || resp == RAD_ACCESS_CHALLENGE;
	case RAD_ACCOUNTING_REQUEST:
		return resp == RAD_ACCOUNTING_RESPONSE;
	case RAD_DISCONNECT_REQUEST:
		return resp == RAD_DISCONNECT_ACK || resp == RAD_DISCONNECT_NAK;
	case RAD_COA_REQUEST:
		return resp == RAD_COA_ACK || resp == RAD_COA_NAK;
	case RAD_STATUS_SERVER:
		return resp == RAD_ACCESS_ACCEPT || resp == RAD_ACCOUNTING_RESPONSE;
	}
	return false;
}

enum rad_verdict rad_verify_response(const struct rad_pkt *resp, const uint8_t *req, size_t req_len,
				     const void *secret, size_t secretlen, unsigned flags)
{
	if (!resp->data || req_len < RAD_HDR_LEN || resp->id != req[1] || !answers(req[0], resp->code))
		return RAD_MALFORMED;
	long ma = find_ma(resp);
	if (ma < 0)
		return RAD_MALFORMED;
	if (!md5_auth_ok(resp, req + 4, secret, secretlen))
		return RAD_BAD_AUTH;
	if (ma == 0)
		return (flags & RAD_REQUIRE_MA) ? RAD_MISSING_MA : RAD_OK;
	return ma_ok(resp, ma, req + 4, secret, secretlen) ? RAD_OK : RAD_BAD_MA;
}

enum rad_verdict rad_verify_request(const struct rad_pkt *req, const void *secret, size_t secretlen,
				    unsigned flags)
{
	static const uint8_t zero[RAD_AUTH_LEN];
	if (!req->data)
		return RAD_MALFORMED;
	bool hashed = is_hashed_request(req->code);
	if (!hashed && req->code != RAD_ACCESS_REQUEST && req->code != RAD_STATUS_SERVER)
		return RAD_MALFORMED;
	long ma = find_ma(req);
	if (ma < 0)
		return RAD_MALFORMED;
	if (hashed && !md5_auth_ok(req, zero, secret, secretlen))
		return RAD_BAD_AUTH;
	if (ma == 0)
		return (flags & RAD_REQUIRE_MA) ? RAD_MISSING_MA : RAD_OK;
	return ma_ok(req, ma, hashed ? zero : req->auth, secret, secretlen) ? RAD_OK : RAD_BAD_MA;
}

const char *rad_verdict_name(enum rad_verdict v)
{
	switch (v) {
	case RAD_OK: return "ok";
	case RAD_MALFORMED: return "malformed";
	case RAD_BAD_AUTH: return "bad-authenticator";
	case RAD_MISSING_MA: return "missing-message-authenticator";
	case RAD_BAD_MA: return "bad-message-authenticator";
	}
	return "?";
}

/* ---- salt encryption (RFC 2548 §2.4.2, RFC 2868 §3.5) ---- */

int rad_mppe_key_encrypt(const uint8_t *key, size_t keylen, uint16_t salt, const void *secret,
			 size_t secretlen, const uint8_t req_auth[RAD_AUTH_LEN], uint8_t *out, size_t cap)
{
	size_t plain = 1 + keylen;
	size_t n = (plain + 15) / 16 * 16;
	if (keylen > 252 || 2 + n > cap || 2 + n > RAD_MAX_VSA)
		return -1;
	put16(out, salt | 0x8000);
	uint8_t *c = out + 2;
	memset(c, 0, n);
	c[0] = (uint8_t)keylen;
	memcpy(c + 1, key, keylen);
	/* b(1) = MD5(S + R + A): request authenticator then salt; then MD5(S + c(i-1)). */
	uint8_t first[RAD_AUTH_LEN + 2];
	memcpy(first, req_auth, RAD_AUTH_LEN);
	memcpy(first + RAD_AUTH_LEN, out, 2);
	for (size_t i = 0; i < n; i += 16) {
		uint8_t b[16];
		if (i == 0)
			md5_secret_block(secret, secretlen, first, sizeof first, b);
		else
			md5_secret_block(secret, secretlen, c + i - 16, 16, b);
		memxor(c + i, b, 16);
	}
	return (int)(2 + n);
}

/* Undo the salt cipher of `len` bytes (multiple of 16) at c into plain. */
static void salt_decrypt(const uint8_t *salt, const uint8_t *c, size_t len, const void *secret,
			 size_t secretlen, const uint8_t req_auth[RAD_AUTH_LEN], uint8_t *plain)
{
	uint8_t first[RAD_AUTH_LEN + 2];
	memcpy(first, req_auth, RAD_AUTH_LEN);
	memcpy(first + RAD_AUTH_LEN, salt, 2);
	for (size_t i = 0; i < len; i += 16) {
		uint8_t b[16];
		if (i == 0)
			md5_secret_block(secret, secretlen, first, sizeof first, b);
		else
			md5_secret_block(secret, secretlen, c + i - 16, 16, b);
		for (size_t j = 0; j < 16; j++)
			plain[i + j] = c[i + j] ^ b[j];
	}
}

int rad_mppe_key_decrypt(const uint8_t *val, size_t len, const void *secret, size_t secretlen,
			 const uint8_t req_auth[RAD_AUTH_LEN], uint8_t *key, size_t cap)
{
	uint8_t plain[RAD_MAX_ATTR];
	if (len < 2 + 16 || (len - 2) % 16 || len > RAD_MAX_ATTR || !(val[0] & 0x80))
		return -1;
	salt_decrypt(val, val + 2, len - 2, secret, secretlen, req_auth, plain);
	size_t klen = plain[0];
	if (klen > len - 3 || klen > cap)
		return -1;
	memcpy(key, plain + 1, klen);
	return (int)klen;
}

int rad_tunnel_password_decrypt(const uint8_t *val, size_t len, const void *secret, size_t secretlen,
				const uint8_t req_auth[RAD_AUTH_LEN], uint8_t *tag, uint8_t *out, size_t cap)
{
	if (len < 1)
		return -1;
	*tag = val[0];
	return rad_mppe_key_decrypt(val + 1, len - 1, secret, secretlen, req_auth, out, cap);
}

int rad_mschap_mppe_keys_decrypt(const uint8_t *val, size_t len, const void *secret, size_t secretlen,
				 const uint8_t req_auth[RAD_AUTH_LEN], uint8_t lm[8], uint8_t nt[16])
{
	if (len != 32)
		return -1;
	uint8_t plain[32];
	const uint8_t *prev = req_auth;
	for (size_t i = 0; i < 32; i += 16) {
		uint8_t b[16];
		md5_secret_block(secret, secretlen, prev, 16, b);
		for (size_t j = 0; j < 16; j++)
			plain[i + j] = val[i + j] ^ b[j];
		prev = val + i;
	}
	memcpy(lm, plain, 8);
	memcpy(nt, plain + 8, 16);
	return 0;
}

/* ---- names and printing ---- */

const char *rad_code_name(uint8_t code)
{
	switch (code) {
	case RAD_ACCESS_REQUEST: return "Access-Request";
	case RAD_ACCESS_ACCEPT: return "Access-Accept";
	case RAD_ACCESS_REJECT: return "Access-Reject";
	case RAD_ACCOUNTING_REQUEST: return "Accounting-Request";
	case RAD_ACCOUNTING_RESPONSE: return "Accounting-Response";
	case RAD_ACCESS_CHALLENGE: return "Access-Challenge";
	case RAD_STATUS_SERVER: return "Status-Server";
	case RAD_STATUS_CLIENT: return "Status-Client";
	case RAD_DISCONNECT_REQUEST: return "Disconnect-Request";
	case RAD_DISCONNECT_ACK: return "Disconnect-ACK";
	case RAD_DISCONNECT_NAK: return "Disconnect-NAK";
	case RAD_COA_REQUEST: return "CoA-Request";
	case RAD_COA_ACK: return "CoA-ACK";
	case RAD_COA_NAK: return "CoA-NAK";
	}
	return NULL;
}

/* How a value is shown. */
enum vfmt { F_OCTETS, F_STRING, F_U32, F_IPV4, F_IPV6, F_PREFIX, F_TAG_U32, F_TAG_STRING, F_SECRET };

struct attr_def {
	uint32_t vendor;
	uint8_t type;
	enum vfmt fmt;
	const char *name;
};

static const struct attr_def attr_defs[] = {
	{0, RAD_USER_NAME, F_STRING, "User-Name"},
	{0, RAD_USER_PASSWORD, F_SECRET, "User-Password"},
	{0, RAD_CHAP_PASSWORD, F_SECRET, "CHAP-Password"},
	{0, RAD_NAS_IP_ADDRESS, F_IPV4, "NAS-IP-Address"},
	{0, RAD_NAS_PORT, F_U32, "NAS-Port"},
	{0, RAD_SERVICE_TYPE, F_U32, "Service-Type"},
	{0, RAD_FRAMED_PROTOCOL, F_U32, "Framed-Protocol"},
	{0, RAD_FRAMED_IP_ADDRESS, F_IPV4, "Framed-IP-Address"},
	{0, RAD_FRAMED_IP_NETMASK, F_IPV4, "Framed-IP-Netmask"},
	{0, RAD_FRAMED_ROUTING, F_U32, "Framed-Routing"},
	{0, RAD_FILTER_ID, F_STRING, "Filter-Id"},
	{0, RAD_FRAMED_MTU, F_U32, "Framed-MTU"},
	{0, RAD_FRAMED_COMPRESSION, F_U32, "Framed-Compression"},
	{0, RAD_LOGIN_IP_HOST, F_IPV4, "Login-IP-Host"},
	{0, RAD_REPLY_MESSAGE, F_STRING, "Reply-Message"},
	{0, RAD_CALLBACK_NUMBER, F_STRING, "Callback-Number"},
	{0, RAD_FRAMED_ROUTE, F_STRING, "Framed-Route"},
	{0, RAD_STATE, F_OCTETS, "State"},
	{0, RAD_CLASS, F_OCTETS, "Class"},
	{0, RAD_SESSION_TIMEOUT, F_U32, "Session-Timeout"},
	{0, RAD_IDLE_TIMEOUT, F_U32, "Idle-Timeout"},
	{0, RAD_TERMINATION_ACTION, F_U32, "Termination-Action"},
	{0, RAD_CALLED_STATION_ID, F_STRING, "Called-Station-Id"},
	{0, RAD_CALLING_STATION_ID, F_STRING, "Calling-Station-Id"},
	{0, RAD_NAS_IDENTIFIER, F_STRING, "NAS-Identifier"},
	{0, RAD_PROXY_STATE, F_OCTETS, "Proxy-State"},
	{0, RAD_ACCT_STATUS_TYPE, F_U32, "Acct-Status-Type"},
	{0, RAD_ACCT_DELAY_TIME, F_U32, "Acct-Delay-Time"},
	{0, RAD_ACCT_INPUT_OCTETS, F_U32, "Acct-Input-Octets"},
	{0, RAD_ACCT_OUTPUT_OCTETS, F_U32, "Acct-Output-Octets"},
	{0, RAD_ACCT_SESSION_ID, F_STRING, "Acct-Session-Id"},
	{0, RAD_ACCT_AUTHENTIC, F_U32, "Acct-Authentic"},
	{0, RAD_ACCT_SESSION_TIME, F_U32, "Acct-Session-Time"},
	{0, RAD_ACCT_INPUT_PACKETS, F_U32, "Acct-Input-Packets"},
	{0, RAD_ACCT_OUTPUT_PACKETS, F_U32, "Acct-Output-Packets"},
	{0, RAD_ACCT_TERMINATE_CAUSE, F_U32, "Acct-Terminate-Cause"},
	{0, RAD_ACCT_MULTI_SESSION_ID, F_STRING, "Acct-Multi-Session-Id"},
	{0, RAD_ACCT_LINK_COUNT, F_U32, "Acct-Link-Count"},
	{0, RAD_ACCT_INPUT_GIGAWORDS, F_U32, "Acct-Input-Gigawords"},
	{0, RAD_ACCT_OUTPUT_GIGAWORDS, F_U32, "Acct-Output-Gigawords"},
	{0, RAD_EVENT_TIMESTAMP, F_U32, "Event-Timestamp"},
	{0, RAD_CHAP_CHALLENGE, F_OCTETS, "CHAP-Challenge"},
	{0, RAD_NAS_PORT_TYPE, F_U32, "NAS-Port-Type"},
	{0, RAD_PORT_LIMIT, F_U32, "Port-Limit"},
	{0, RAD_TUNNEL_TYPE, F_TAG_U32, "Tunnel-Type"},
	{0, RAD_TUNNEL_MEDIUM_TYPE, F_TAG_U32, "Tunnel-Medium-Type"},
	{0, RAD_TUNNEL_CLIENT_ENDPOINT, F_TAG_STRING, "Tunnel-Client-Endpoint"},
	{0, RAD_TUNNEL_SERVER_ENDPOINT, F_TAG_STRING, "Tunnel-Server-Endpoint"},
	{0, RAD_TUNNEL_PASSWORD, F_SECRET, "Tunnel-Password"},
	{0, RAD_CONNECT_INFO, F_STRING, "Connect-Info"},
	{0, RAD_EAP_MESSAGE, F_OCTETS, "EAP-Message"},
	{0, RAD_MESSAGE_AUTHENTICATOR, F_OCTETS, "Message-Authenticator"},
	{0, RAD_TUNNEL_PRIVATE_GROUP_ID, F_TAG_STRING, "Tunnel-Private-Group-Id"},
	{0, RAD_TUNNEL_ASSIGNMENT_ID, F_TAG_STRING, "Tunnel-Assignment-Id"},
	{0, RAD_TUNNEL_PREFERENCE, F_TAG_U32, "Tunnel-Preference"},
	{0, RAD_ACCT_INTERIM_INTERVAL, F_U32, "Acct-Interim-Interval"},
	{0, RAD_NAS_PORT_ID, F_STRING, "NAS-Port-Id"},
	{0, RAD_FRAMED_POOL, F_STRING, "Framed-Pool"},
	{0, RAD_TUNNEL_CLIENT_AUTH_ID, F_TAG_STRING, "Tunnel-Client-Auth-Id"},
	{0, RAD_TUNNEL_SERVER_AUTH_ID, F_TAG_STRING, "Tunnel-Server-Auth-Id"},
	{0, RAD_NAS_IPV6_ADDRESS, F_IPV6, "NAS-IPv6-Address"},
	{0, RAD_FRAMED_INTERFACE_ID, F_OCTETS, "Framed-Interface-Id"},
	{0, RAD_FRAMED_IPV6_PREFIX, F_PREFIX, "Framed-IPv6-Prefix"},
	{0, RAD_LOGIN_IPV6_HOST, F_IPV6, "Login-IPv6-Host"},
	{0, RAD_FRAMED_IPV6_ROUTE, F_STRING, "Framed-IPv6-Route"},
	{0, RAD_FRAMED_IPV6_POOL, F_STRING, "Framed-IPv6-Pool"},
	{0, RAD_ERROR_CAUSE, F_U32, "Error-Cause"},
	{0, RAD_DELEGATED_IPV6_PREFIX, F_PREFIX, "Delegated-IPv6-Prefix"},
	{0, RAD_FRAMED_IPV6_ADDRESS, F_IPV6, "Framed-IPv6-Address"},
	{0, RAD_DNS_SERVER_IPV6_ADDRESS, F_IPV6, "DNS-Server-IPv6-Address"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_CHAP_RESPONSE, F_OCTETS, "MS-CHAP-Response"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_CHAP_ERROR, F_STRING, "MS-CHAP-Error"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_CHAP_CPW_1, F_SECRET, "MS-CHAP-CPW-1"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_CHAP_CPW_2, F_SECRET, "MS-CHAP-CPW-2"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_CHAP_LM_ENC_PW, F_SECRET, "MS-CHAP-LM-Enc-PW"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_CHAP_NT_ENC_PW, F_SECRET, "MS-CHAP-NT-Enc-PW"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_MPPE_ENCRYPTION_POLICY, F_U32, "MS-MPPE-Encryption-Policy"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_MPPE_ENCRYPTION_TYPES, F_U32, "MS-MPPE-Encryption-Types"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_RAS_VENDOR, F_U32, "MS-RAS-Vendor"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_CHAP_DOMAIN, F_STRING, "MS-CHAP-Domain"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_CHAP_CHALLENGE, F_OCTETS, "MS-CHAP-Challenge"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_CHAP_MPPE_KEYS, F_SECRET, "MS-CHAP-MPPE-Keys"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_BAP_USAGE, F_U32, "MS-BAP-Usage"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_LINK_UTILIZATION_THRESHOLD, F_U32, "MS-Link-Utilization-Threshold"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_LINK_DROP_TIME_LIMIT, F_U32, "MS-Link-Drop-Time-Limit"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_MPPE_SEND_KEY, F_SECRET, "MS-MPPE-Send-Key"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_MPPE_RECV_KEY, F_SECRET, "MS-MPPE-Recv-Key"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_RAS_VERSION, F_STRING, "MS-RAS-Version"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_OLD_ARAP_PASSWORD, F_SECRET, "MS-Old-ARAP-Password"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_NEW_ARAP_PASSWORD, F_SECRET, "MS-New-ARAP-Password"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_ARAP_PASSWORD_CHANGE_REASON, F_U32, "MS-ARAP-PW-Change-Reason"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_FILTER, F_OCTETS, "MS-Filter"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_ACCT_AUTH_TYPE, F_U32, "MS-Acct-Auth-Type"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_ACCT_EAP_TYPE, F_U32, "MS-Acct-EAP-Type"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_CHAP2_RESPONSE, F_OCTETS, "MS-CHAP2-Response"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_CHAP2_SUCCESS, F_STRING, "MS-CHAP2-Success"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_CHAP2_CPW, F_SECRET, "MS-CHAP2-CPW"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_PRIMARY_DNS_SERVER, F_IPV4, "MS-Primary-DNS-Server"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_SECONDARY_DNS_SERVER, F_IPV4, "MS-Secondary-DNS-Server"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_PRIMARY_NBNS_SERVER, F_IPV4, "MS-Primary-NBNS-Server"},
	{RAD_VENDOR_MICROSOFT, RAD_MS_SECONDARY_NBNS_SERVER, F_IPV4, "MS-Secondary-NBNS-Server"},
	{RAD_VENDOR_DSL_FORUM, RAD_DSL_AGENT_CIRCUIT_ID, F_STRING, "ADSL-Agent-Circuit-Id"},
	{RAD_VENDOR_DSL_FORUM, RAD_DSL_AGENT_REMOTE_ID, F_STRING, "ADSL-Agent-Remote-Id"},
	{RAD_VENDOR_DSL_FORUM, RAD_DSL_ACTUAL_DATA_RATE_UP, F_U32, "Actual-Data-Rate-Upstream"},
	{RAD_VENDOR_DSL_FORUM, RAD_DSL_ACTUAL_DATA_RATE_DOWN, F_U32, "Actual-Data-Rate-Downstream"},
	{RAD_VENDOR_DSL_FORUM, RAD_DSL_MIN_DATA_RATE_UP, F_U32, "Minimum-Data-Rate-Upstream"},
	{RAD_VENDOR_DSL_FORUM, RAD_DSL_MIN_DATA_RATE_DOWN, F_U32, "Minimum-Data-Rate-Downstream"},
	{RAD_VENDOR_DSL_FORUM, RAD_DSL_ATTAINABLE_DATA_RATE_UP, F_U32, "Attainable-Data-Rate-Upstream"},
	{RAD_VENDOR_DSL_FORUM, RAD_DSL_ATTAINABLE_DATA_RATE_DOWN, F_U32, "Attainable-Data-Rate-Downstream"},
	{RAD_VENDOR_DSL_FORUM, RAD_DSL_MAX_DATA_RATE_UP, F_U32, "Maximum-Data-Rate-Upstream"},
	{RAD_VENDOR_DSL_FORUM, RAD_DSL_MAX_DATA_RATE_DOWN, F_U32, "Maximum-Data-Rate-Downstream"},
	{RAD_VENDOR_DSL_FORUM, RAD_DSL_MIN_LOW_POWER_DATA_RATE_UP, F_U32, "Minimum-Data-Rate-Upstream-Low-Power"},
	{RAD_VENDOR_DSL_FORUM, RAD_DSL_MIN_LOW_POWER_DATA_RATE_DOWN, F_U32, "Minimum-Data-Rate-Downstream-Low-Power"},
	{RAD_VENDOR_DSL_FORUM, RAD_DSL_MAX_INTERLEAVING_DELAY_UP, F_U32, "Maximum-Interleaving-Delay-Upstream"},
	{RAD_VENDOR_DSL_FORUM, RAD_DSL_ACTUAL_INTERLEAVING_DELAY_UP, F_U32, "Actual-Interleaving-Delay-Upstream"},
	{RAD_VENDOR_DSL_FORUM, RAD_DSL_MAX_INTERLEAVING_DELAY_DOWN, F_U32, "Maximum-Interleaving-Delay-Downstream"},
	{RAD_VENDOR_DSL_FORUM, RAD_DSL_ACTUAL_INTERLEAVING_DELAY_DOWN, F_U32, "Actual-Interleaving-Delay-Downstream"},
	{RAD_VENDOR_DSL_FORUM, RAD_DSL_ACCESS_LOOP_ENCAPSULATION, F_OCTETS, "Access-Loop-Encapsulation"},
	{RAD_VENDOR_DSL_FORUM, RAD_DSL_IWF_SESSION, F_OCTETS, "IWF-Session"},
	{RAD_VENDOR_MPD, RAD_MPD_RULE, F_STRING, "mpd-rule"},
	{RAD_VENDOR_MPD, RAD_MPD_PIPE, F_STRING, "mpd-pipe"},
	{RAD_VENDOR_MPD, RAD_MPD_QUEUE, F_STRING, "mpd-queue"},
	{RAD_VENDOR_MPD, RAD_MPD_TABLE, F_STRING, "mpd-table"},
	{RAD_VENDOR_MPD, RAD_MPD_TABLE_STATIC, F_STRING, "mpd-table-static"},
	{RAD_VENDOR_MPD, RAD_MPD_FILTER, F_STRING, "mpd-filter"},
	{RAD_VENDOR_MPD, RAD_MPD_LIMIT, F_STRING, "mpd-limit"},
	{RAD_VENDOR_MPD, RAD_MPD_INPUT_OCTETS, F_STRING, "mpd-input-octets"},
	{RAD_VENDOR_MPD, RAD_MPD_INPUT_PACKETS, F_STRING, "mpd-input-packets"},
	{RAD_VENDOR_MPD, RAD_MPD_OUTPUT_OCTETS, F_STRING, "mpd-output-octets"},
	{RAD_VENDOR_MPD, RAD_MPD_OUTPUT_PACKETS, F_STRING, "mpd-output-packets"},
	{RAD_VENDOR_MPD, RAD_MPD_LINK, F_STRING, "mpd-link"},
	{RAD_VENDOR_MPD, RAD_MPD_BUNDLE, F_STRING, "mpd-bundle"},
	{RAD_VENDOR_MPD, RAD_MPD_IFACE, F_STRING, "mpd-iface"},
	{RAD_VENDOR_MPD, RAD_MPD_IFACE_INDEX, F_U32, "mpd-iface-index"},
	{RAD_VENDOR_MPD, RAD_MPD_INPUT_ACCT, F_STRING, "mpd-input-acct"},
	{RAD_VENDOR_MPD, RAD_MPD_OUTPUT_ACCT, F_STRING, "mpd-output-acct"},
	{RAD_VENDOR_MPD, RAD_MPD_ACTION, F_STRING, "mpd-action"},
	{RAD_VENDOR_MPD, RAD_MPD_PEER_IDENT, F_STRING, "mpd-peer-ident"},
	{RAD_VENDOR_MPD, RAD_MPD_IFACE_NAME, F_STRING, "mpd-iface-name"},
	{RAD_VENDOR_MPD, RAD_MPD_IFACE_DESCR, F_STRING, "mpd-iface-descr"},
	{RAD_VENDOR_MPD, RAD_MPD_IFACE_GROUP, F_STRING, "mpd-iface-group"},
	{RAD_VENDOR_MPD, RAD_MPD_DROP_USER, F_U32, "mpd-drop-user"},
};

static const struct attr_def *attr_def(uint32_t vendor, uint8_t type)
{
	for (size_t i = 0; i < sizeof attr_defs / sizeof attr_defs[0]; i++)
		if (attr_defs[i].vendor == vendor && attr_defs[i].type == type)
			return &attr_defs[i];
	return NULL;
}

const char *rad_attr_name(uint32_t vendor, uint8_t type)
{
	const struct attr_def *d = attr_def(vendor, type);
	return d ? d->name : NULL;
}

/* Appends to a fixed line; once full, further text is dropped and the line ends in "...". */
struct line {
	char *s;
	size_t cap, len;
	bool full;
};

static void addf(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void addf(struct line *l, const char *fmt, ...)
{
	if (l->full)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(l->s + l->len, l->cap - l->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= l->cap - l->len) {
		l->full = true;
		l->len = l->cap - 1;
		if (l->cap >= 4)
			memcpy(l->s + l->cap - 4, "...", 4);
		return;
	}
	l->len += (size_t)n;
}

static void add_hex(struct line *l, const uint8_t *d, size_t n)
{
	addf(l, "0x");
	for (size_t i = 0; i < n && !l->full; i++)
		addf(l, "%02x", d[i]);
}

/* Quoted text, with anything unprintable (and quote, backslash) escaped. */
static void add_text(struct line *l, const uint8_t *d, size_t n)
{
	addf(l, "\"");
	for (size_t i = 0; i < n && !l->full; i++) {
		if (d[i] >= 0x20 && d[i] < 0x7f && d[i] != '"' && d[i] != '\\')
			addf(l, "%c", d[i]);
		else
			addf(l, "\\x%02x", d[i]);
	}
	addf(l, "\"");
}

static void add_value(struct line *l, enum vfmt f, const struct rad_attr *a)
{
	char ip[INET6_ADDRSTRLEN];
	uint32_t v;
	uint8_t tag, plen;
	struct in_addr a4;
	struct in6_addr a6;
	switch (f) {
	case F_SECRET:
		addf(l, "<hidden>");
		return;
	case F_STRING:
		add_text(l, a->data, a->len);
		return;
	case F_U32:
		if (rad_attr_u32(a, &v)) {
			addf(l, "%u", v);
			return;
		}
		break;
	case F_IPV4:
		if (rad_attr_ipv4(a, &a4)) {
			addf(l, "%s", inet_ntop(AF_INET, &a4, ip, sizeof ip));
			return;
		}
		break;
	case F_IPV6:
		if (rad_attr_ipv6(a, &a6)) {
			addf(l, "%s", inet_ntop(AF_INET6, &a6, ip, sizeof ip));
			return;
		}
		break;
	case F_PREFIX:
		if (rad_attr_ipv6_prefix(a, &a6, &plen)) {
			addf(l, "%s/%u", inet_ntop(AF_INET6, &a6, ip, sizeof ip), plen);
			return;
		}
		break;
	case F_TAG_U32:
		if (rad_attr_tagged_u32(a, &tag, &v)) {
			if (tag)
				addf(l, "%u:", tag);
			addf(l, "%u", v);
			return;
		}
		break;
	case F_TAG_STRING:
		if (a->len && a->data[0] >= 1 && a->data[0] <= 0x1f) {
			addf(l, "%u:", a->data[0]);
			add_text(l, a->data + 1, a->len - 1);
		} else {
			add_text(l, a->data, a->len);
		}
		return;
	case F_OCTETS:
		break;
	}
	add_hex(l, a->data, a->len);
}

char *rad_print(const struct rad_pkt *p, char *out, size_t cap)
{
	struct line l = { out, cap, 0, false };
	if (cap == 0)
		return out;
	out[0] = 0;
	const char *cn = rad_code_name(p->code);
	if (cn)
		addf(&l, "%s", cn);
	else
		addf(&l, "Code-%u", p->code);
	addf(&l, " id=%u len=%zu", p->id, p->len);
	struct rad_iter it;
	struct rad_attr a;
	rad_iter_init(&it, p);
	while (!l.full && rad_iter_next(&it, &a)) {
		bool vsa = a.type == RAD_VENDOR_SPECIFIC;
		const struct attr_def *d = vsa ? attr_def(a.vendor, a.vtype) : attr_def(0, a.type);
		if (d)
			addf(&l, " %s=", d->name);
		else if (vsa)
			addf(&l, " Vendor-%u-Attr-%u=", a.vendor, a.vtype);
		else
			addf(&l, " Attr-%u=", a.type);
		add_value(&l, d ? d->fmt : F_OCTETS, &a);
	}
	return out;
}
