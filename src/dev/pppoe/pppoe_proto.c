/*
 * PPPoE codec. Every length comes from the network, so each read is
 * checked against what is left of the frame before it happens.
 */
#include "core/byteorder.h"
#include "dev/pppoe/pppoe_proto.h"

#include <stdio.h>
#include <string.h>

static const uint8_t eth_bcast[PPPOE_ETH_ALEN] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

int pppoe_frame_parse(const uint8_t *p, size_t n, struct pppoe_frame *f, const char **why)
{
	if (n < PPPOE_ETH_HLEN + PPPOE_HLEN) {
		*why = "truncated header";
		return -1;
	}
	memcpy(f->dst, p, PPPOE_ETH_ALEN);
	memcpy(f->src, p + 6, PPPOE_ETH_ALEN);
	f->ethertype = get16(p + 12);
	if (f->ethertype != PPPOE_ETHERTYPE_DISC && f->ethertype != PPPOE_ETHERTYPE_SESS) {
		*why = "not a PPPoE ethertype";
		return -1;
	}
	const uint8_t *h = p + PPPOE_ETH_HLEN;
	if (h[0] != PPPOE_VERTYPE) {
		*why = "bad version/type";
		return -1;
	}
	f->code = h[1];
	f->sid = get16(h + 2);
	f->len = get16(h + 4);
	/* Ethernet pads short frames; the PPPoE length says where data ends. */
	if (f->len > n - PPPOE_ETH_HLEN - PPPOE_HLEN) {
		*why = "length beyond frame";
		return -1;
	}
	if (f->ethertype == PPPOE_ETHERTYPE_SESS && f->code != PPPOE_SESSION) {
		*why = "session frame with non-zero code";
		return -1;
	}
	if (f->ethertype == PPPOE_ETHERTYPE_DISC && f->code == PPPOE_SESSION) {
		*why = "discovery frame with code 0";
		return -1;
	}
	f->payload = h + PPPOE_HLEN;
	return 0;
}

void pppoe_tag_iter_init(struct pppoe_tag_iter *it, const uint8_t *payload, size_t len)
{
	it->p = payload;
	it->left = len;
}

int pppoe_tag_next(struct pppoe_tag_iter *it, struct pppoe_tag *t)
{
	if (it->left == 0)
		return 0;
	if (it->left < 4)
		return -1;
	t->type = get16(it->p);
	t->len = get16(it->p + 2);
	if (t->len > it->left - 4)
		return -1;
	t->val = it->p + 4;
	it->p += 4 + (size_t)t->len;
	it->left -= 4 + (size_t)t->len;
	if (t->type == PPPOE_TAG_EOL) {
		it->left = 0;
		return 0;
	}
	return 1;
}

static void blob_first(struct pppoe_blob *b, const struct pppoe_tag *t)
{
	if (b->set)
		return;
	b->p = t->val;
	b->len = t->len;
	b->set = true;
}

int pppoe_vendor_parse(const uint8_t *val, size_t len, struct pppoe_blob *cid, struct pppoe_blob *rid)
{
	if (len < 4)
		return -1;
	uint32_t vendor = (uint32_t)val[0] << 24 | (uint32_t)val[1] << 16 | (uint32_t)val[2] << 8 | val[3];
	if (vendor != PPPOE_DSLF_VENDOR)
		return 0;
	size_t off = 4;
	while (off < len) {
		if (len - off < 2)
			return -1;
		uint8_t type = val[off], sublen = val[off + 1];
		if (sublen > len - off - 2)
			return -1;
		struct pppoe_tag t = {.type = type, .len = sublen, .val = val + off + 2};
		if (type == PPPOE_DSLF_CIRCUIT_ID)
			blob_first(cid, &t);
		else if (type == PPPOE_DSLF_REMOTE_ID)
			blob_first(rid, &t);
		off += 2 + (size_t)sublen;
	}
	return 0;
}

static int disc_take(struct pppoe_disc *d, const struct pppoe_tag *t, const char **why)
{
	switch (t->type) {
	case PPPOE_TAG_SERVICE:
		blob_first(&d->service, t);
		d->nservice++;
		break;
	case PPPOE_TAG_AC_NAME:
		blob_first(&d->acname, t);
		break;
	case PPPOE_TAG_HOST_UNIQ:
		blob_first(&d->host_uniq, t);
		break;
	case PPPOE_TAG_AC_COOKIE:
		blob_first(&d->cookie, t);
		break;
	case PPPOE_TAG_RELAY_SID:
		blob_first(&d->relay_sid, t);
		break;
	case PPPOE_TAG_SERVICE_ERR:
		blob_first(&d->service_err, t);
		break;
	case PPPOE_TAG_AC_SYS_ERR:
		blob_first(&d->ac_sys_err, t);
		break;
	case PPPOE_TAG_GENERIC_ERR:
		blob_first(&d->generic_err, t);
		break;
	case PPPOE_TAG_HURL:
		blob_first(&d->hurl, t);
		break;
	case PPPOE_TAG_MOTM:
		blob_first(&d->motm, t);
		break;
	case PPPOE_TAG_MAX_PAYLOAD:
		if (t->len != 2) {
			*why = "PPP-Max-Payload tag length is not 2";
			return -1;
		}
		if (!d->has_max_payload) {
			d->has_max_payload = true;
			d->max_payload = get16(t->val);
		}
		break;
	case PPPOE_TAG_VENDOR: {
		/* A broken relay tag must not cost the subscriber the call. */
		struct pppoe_blob cid = {0}, rid = {0};
		if (pppoe_vendor_parse(t->val, t->len, &cid, &rid) == 0) {
			if (!d->circuit_id.set)
				d->circuit_id = cid;
			if (!d->remote_id.set)
				d->remote_id = rid;
		}
		break;
	}
	default:
		break;
	}
	return 0;
}

int pppoe_disc_parse(const uint8_t *payload, size_t len, struct pppoe_disc *d, const char **why)
{
	struct pppoe_tag_iter it;
	struct pppoe_tag t;
	int r;

	memset(d, 0, sizeof(*d));
	pppoe_tag_iter_init(&it, payload, len);
	while ((r = pppoe_tag_next(&it, &t)) == 1)
		if (disc_take(d, &t, why) < 0)
			return -1;
	if (r < 0) {
		*why = "tag length beyond packet";
		return -1;
	}
	return 0;
}

bool pppoe_disc_has_service(const uint8_t *payload, size_t len, const uint8_t *name, size_t nlen)
{
	struct pppoe_tag_iter it;
	struct pppoe_tag t;

	pppoe_tag_iter_init(&it, payload, len);
	while (pppoe_tag_next(&it, &t) == 1)
		if (t.type == PPPOE_TAG_SERVICE && t.len == nlen && (nlen == 0 || memcmp(t.val, name, nlen) == 0))
			return true;
	return false;
}

const char *pppoe_code_name(uint8_t code, char *buf, size_t len)
{
	switch (code) {
	case PPPOE_SESSION: return "SESSION";
	case PPPOE_PADI: return "PADI";
	case PPPOE_PADO: return "PADO";
	case PPPOE_PADR: return "PADR";
	case PPPOE_PADS: return "PADS";
	case PPPOE_PADT: return "PADT";
	case PPPOE_PADM: return "PADM";
	case PPPOE_PADN: return "PADN";
	default:
		snprintf(buf, len, "code 0x%02x", code);
		return buf;
	}
}

static uint8_t *buf_room(struct pppoe_buf *b, size_t n)
{
	if (b->overflow || b->cap - b->len < n) {
		b->overflow = true;
		return NULL;
	}
	uint8_t *p = b->p + b->len;
	b->len += n;
	return p;
}

void pppoe_buf_start(struct pppoe_buf *b, uint8_t *mem, size_t cap, const uint8_t dst[PPPOE_ETH_ALEN],
		     const uint8_t src[PPPOE_ETH_ALEN], uint16_t ethertype, uint8_t code, uint16_t sid)
{
	b->p = mem;
	b->cap = cap;
	b->len = 0;
	b->overflow = false;
	uint8_t *h = buf_room(b, PPPOE_ETH_HLEN + PPPOE_HLEN);
	if (h == NULL)
		return;
	memcpy(h, dst, PPPOE_ETH_ALEN);
	memcpy(h + 6, src, PPPOE_ETH_ALEN);
	put16(h + 12, ethertype);
	h[14] = PPPOE_VERTYPE;
	h[15] = code;
	put16(h + 16, sid);
	put16(h + 18, 0);
}

void pppoe_buf_tag(struct pppoe_buf *b, uint16_t type, const void *val, size_t len)
{
	if (len > 0xffff) {
		b->overflow = true;
		return;
	}
	uint8_t *p = buf_room(b, 4 + len);
	if (p == NULL)
		return;
	put16(p, type);
	put16(p + 2, (uint16_t)len);
	if (len > 0)
		memcpy(p + 4, val, len);
}

static void sub_put(uint8_t *p, size_t *off, uint8_t type, const struct pppoe_blob *v)
{
	p[(*off)++] = type;
	p[(*off)++] = (uint8_t)v->len;
	memcpy(p + *off, v->p, v->len);
	*off += v->len;
}

void pppoe_buf_vendor_dslf(struct pppoe_buf *b, const struct pppoe_blob *cid, const struct pppoe_blob *rid)
{
	uint8_t v[4 + 2 * (2 + 255)];
	size_t off = 0;

	if ((cid->set && cid->len > 255) || (rid->set && rid->len > 255)) {
		b->overflow = true;
		return;
	}
	v[off++] = 0;
	v[off++] = (PPPOE_DSLF_VENDOR >> 16) & 0xff;
	v[off++] = (PPPOE_DSLF_VENDOR >> 8) & 0xff;
	v[off++] = PPPOE_DSLF_VENDOR & 0xff;
	if (cid->set)
		sub_put(v, &off, PPPOE_DSLF_CIRCUIT_ID, cid);
	if (rid->set)
		sub_put(v, &off, PPPOE_DSLF_REMOTE_ID, rid);
	pppoe_buf_tag(b, PPPOE_TAG_VENDOR, v, off);
}

size_t pppoe_buf_finish(struct pppoe_buf *b)
{
	if (b->overflow || b->len < PPPOE_ETH_HLEN + PPPOE_HLEN)
		return 0;
	size_t plen = b->len - PPPOE_ETH_HLEN - PPPOE_HLEN;
	uint16_t et = get16(b->p + 12);
	if (plen > 0xffff || (et == PPPOE_ETHERTYPE_DISC && plen > PPPOE_DISC_MAX - PPPOE_HLEN))
		return 0;
	put16(b->p + 18, (uint16_t)plen);
	return b->len;
}

static void blob_tag(struct pppoe_buf *b, uint16_t type, const struct pppoe_blob *v)
{
	if (v->set)
		pppoe_buf_tag(b, type, v->p, v->len);
}

static void disc_tags(struct pppoe_buf *b, const struct pppoe_disc *d)
{
	blob_tag(b, PPPOE_TAG_SERVICE, &d->service);
	for (unsigned i = 0; i < d->nmore_services; i++)
		blob_tag(b, PPPOE_TAG_SERVICE, &d->more_services[i]);
	blob_tag(b, PPPOE_TAG_AC_NAME, &d->acname);
	blob_tag(b, PPPOE_TAG_HOST_UNIQ, &d->host_uniq);
	blob_tag(b, PPPOE_TAG_AC_COOKIE, &d->cookie);
	blob_tag(b, PPPOE_TAG_RELAY_SID, &d->relay_sid);
	if (d->has_max_payload) {
		uint8_t mp[2];
		put16(mp, d->max_payload);
		pppoe_buf_tag(b, PPPOE_TAG_MAX_PAYLOAD, mp, 2);
	}
	if (d->circuit_id.set || d->remote_id.set)
		pppoe_buf_vendor_dslf(b, &d->circuit_id, &d->remote_id);
	blob_tag(b, PPPOE_TAG_HURL, &d->hurl);
	blob_tag(b, PPPOE_TAG_MOTM, &d->motm);
	blob_tag(b, PPPOE_TAG_SERVICE_ERR, &d->service_err);
	blob_tag(b, PPPOE_TAG_AC_SYS_ERR, &d->ac_sys_err);
	blob_tag(b, PPPOE_TAG_GENERIC_ERR, &d->generic_err);
}

size_t pppoe_disc_build(uint8_t *mem, size_t cap, const uint8_t dst[PPPOE_ETH_ALEN],
			const uint8_t src[PPPOE_ETH_ALEN], uint8_t code, uint16_t sid,
			const struct pppoe_disc *d)
{
	struct pppoe_buf b;

	pppoe_buf_start(&b, mem, cap, dst, src, PPPOE_ETHERTYPE_DISC, code, sid);
	if (d != NULL)
		disc_tags(&b, d);
	return pppoe_buf_finish(&b);
}

/* PADI, PADO and PADR must carry a Service-Name tag even when it is empty. */
static size_t build_with_service(uint8_t *mem, size_t cap, const uint8_t dst[PPPOE_ETH_ALEN],
				 const uint8_t src[PPPOE_ETH_ALEN], uint8_t code, uint16_t sid,
				 const struct pppoe_disc *d)
{
	struct pppoe_disc c = *d;

	if (!c.service.set)
		c.service = (struct pppoe_blob){.p = (const uint8_t *)"", .len = 0, .set = true};
	return pppoe_disc_build(mem, cap, dst, src, code, sid, &c);
}

size_t pppoe_build_padi(uint8_t *mem, size_t cap, const uint8_t src[PPPOE_ETH_ALEN], const struct pppoe_disc *d)
{
	return build_with_service(mem, cap, eth_bcast, src, PPPOE_PADI, 0, d);
}

size_t pppoe_build_pado(uint8_t *mem, size_t cap, const uint8_t dst[PPPOE_ETH_ALEN],
			const uint8_t src[PPPOE_ETH_ALEN], const struct pppoe_disc *d)
{
	if (!d->acname.set)
		return 0;
	return build_with_service(mem, cap, dst, src, PPPOE_PADO, 0, d);
}

size_t pppoe_build_padr(uint8_t *mem, size_t cap, const uint8_t dst[PPPOE_ETH_ALEN],
			const uint8_t src[PPPOE_ETH_ALEN], const struct pppoe_disc *d)
{
	return build_with_service(mem, cap, dst, src, PPPOE_PADR, 0, d);
}

size_t pppoe_build_pads(uint8_t *mem, size_t cap, const uint8_t dst[PPPOE_ETH_ALEN],
			const uint8_t src[PPPOE_ETH_ALEN], uint16_t sid, const struct pppoe_disc *d)
{
	return build_with_service(mem, cap, dst, src, PPPOE_PADS, sid, d);
}

size_t pppoe_build_padt(uint8_t *mem, size_t cap, const uint8_t dst[PPPOE_ETH_ALEN],
			const uint8_t src[PPPOE_ETH_ALEN], uint16_t sid, const struct pppoe_disc *d)
{
	return pppoe_disc_build(mem, cap, dst, src, PPPOE_PADT, sid, d);
}

void pppoe_session_hdr(uint8_t *hdr, const uint8_t dst[PPPOE_ETH_ALEN], const uint8_t src[PPPOE_ETH_ALEN],
		       uint16_t sid, uint16_t plen)
{
	memcpy(hdr, dst, PPPOE_ETH_ALEN);
	memcpy(hdr + 6, src, PPPOE_ETH_ALEN);
	put16(hdr + 12, PPPOE_ETHERTYPE_SESS);
	hdr[14] = PPPOE_VERTYPE;
	hdr[15] = PPPOE_SESSION;
	put16(hdr + 16, sid);
	put16(hdr + 18, plen);
}
