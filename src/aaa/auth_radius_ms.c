/*
 * MS-CHAP v1/v2 through a RADIUS server: we relay the peer's Response, the
 * server judges it and returns what only the password's holder can compute
 * (the v2 authenticator response, the MPPE keys), hidden with the shared
 * secret (RFC 2548 §2.4).
 */
#include "aaa/auth_radius_ms.h"

#include <stdio.h>
#include <string.h>

#include "aaa/auth_attr.h"
#include "core/log.h"
#include "ppp/mschap.h"

bool auth_radius_ms_method(enum auth_method m)
{
	return m == AUTH_MSCHAP_V1 || m == AUTH_MSCHAP_V2;
}

int auth_radius_ms_request(struct rad_builder *b, const struct auth_request *q)
{
	bool v2 = q->method == AUTH_MSCHAP_V2;
	size_t clen = v2 ? MSCHAP_V2_CHAL_LEN : MSCHAP_V1_CHAL_LEN;
	if (!auth_radius_ms_method(q->method) || q->challenge_len != clen || q->response_len != MSCHAP_RESP_LEN)
		return -1;
	/* RFC 2548 §2.3.2 / §2.3.4: Ident, Flags, then the 48 bytes of the peer's Value before its flag
	 * (v1: LM-Response, NT-Response; v2: Peer-Challenge, Reserved, NT-Response) */
	uint8_t resp[2 + MSCHAP_RESP_LEN - 1];
	resp[0] = q->id;
	resp[1] = v2 ? 0 : 1; /* v1: 1 = use the NT-Response (we refuse LM-only peers); v2: reserved */
	memcpy(resp + 2, q->response, MSCHAP_RESP_LEN - 1);
	if (rad_add_vsa(b, RAD_VENDOR_MICROSOFT, RAD_MS_CHAP_CHALLENGE, q->challenge, clen) < 0 ||
	    rad_add_vsa(b, RAD_VENDOR_MICROSOFT, v2 ? RAD_MS_CHAP2_RESPONSE : RAD_MS_CHAP_RESPONSE, resp,
			sizeof(resp)) < 0)
		return -1;
	return 0;
}

/* One salt-encrypted MPPE key into out (the first 16 bytes: MPPE's key); false when absent or bad. */
static bool mppe_key(const struct rad_response *resp, uint8_t vtype, uint8_t out[16], const char *log_name)
{
	struct rad_attr a;
	uint8_t key[64];
	if (!rad_find(resp->pkt, RAD_VENDOR_SPECIFIC, RAD_VENDOR_MICROSOFT, vtype, &a))
		return false;
	int n = rad_mppe_key_decrypt(a.data, a.len, resp->secret, strlen(resp->secret), resp->req_auth, key,
				     sizeof(key));
	if (n < 16) {
		log_pmsg(LG_RADIUS, LP_WARNING, log_name, "RADIUS: %s from %s can't be decrypted: ignored",
			 vtype == RAD_MS_MPPE_SEND_KEY ? "MS-MPPE-Send-Key" : "MS-MPPE-Recv-Key", resp->server);
		explicit_bzero(key, sizeof(key));
		return false;
	}
	memcpy(out, key, 16);
	explicit_bzero(key, sizeof(key));
	return true;
}

bool auth_radius_mppe_keys(const struct rad_response *resp, struct auth_result *r, const char *log_name)
{
	struct mschap_keys k = {.src = MSCHAP_KEYS_V2};
	bool ok = mppe_key(resp, RAD_MS_MPPE_SEND_KEY, k.send, log_name) &&
		  mppe_key(resp, RAD_MS_MPPE_RECV_KEY, k.recv, log_name);
	if (ok) {
		r->keys = k;
		r->keys_set = true;
	}
	explicit_bzero(&k, sizeof(k));
	return ok;
}

/* MS-CHAPv1: MS-CHAP-MPPE-Keys holds the LM key and the NT hash's hash; the keys come from those
 * and our challenge (RFC 3079 §2.1, §2.4). */
static bool mppe_v1_keys(const struct rad_response *resp, const struct auth_request *q, struct auth_result *r,
			 const char *log_name)
{
	struct rad_attr a;
	uint8_t lm[8], hh[16];
	if (!rad_find(resp->pkt, RAD_VENDOR_SPECIFIC, RAD_VENDOR_MICROSOFT, RAD_MS_CHAP_MPPE_KEYS, &a))
		return false;
	if (rad_mschap_mppe_keys_decrypt(a.data, a.len, resp->secret, strlen(resp->secret), resp->req_auth, lm,
					 hh) < 0) {
		log_pmsg(LG_RADIUS, LP_WARNING, log_name, "RADIUS: MS-CHAP-MPPE-Keys from %s malformed: ignored",
			 resp->server);
		return false;
	}
	memset(&r->keys, 0, sizeof(r->keys));
	mppe_v1_start_key(hh, q->challenge, r->keys.send);
	memcpy(r->keys.recv, r->keys.send, sizeof(r->keys.recv));
	memcpy(r->keys.key8, lm, sizeof(lm));
	r->keys.have_key8 = true;
	r->keys.src = MSCHAP_KEYS_V1;
	r->keys_set = true;
	explicit_bzero(lm, sizeof(lm));
	explicit_bzero(hh, sizeof(hh));
	return true;
}

/* Policy/types and domain; RFC 2548 §2.4.4/2.4.5. */
static void ms_extras(const struct rad_response *resp, struct auth_result *r, const char *log_name)
{
	struct rad_attr a;
	uint32_t v;
	if (rad_find(resp->pkt, RAD_VENDOR_SPECIFIC, RAD_VENDOR_MICROSOFT, RAD_MS_MPPE_ENCRYPTION_POLICY, &a) &&
	    rad_attr_u32(&a, &v))
		r->mppe_policy = v;
	if (rad_find(resp->pkt, RAD_VENDOR_SPECIFIC, RAD_VENDOR_MICROSOFT, RAD_MS_MPPE_ENCRYPTION_TYPES, &a) &&
	    rad_attr_u32(&a, &v))
		r->mppe_types = v;
	if (rad_find(resp->pkt, RAD_VENDOR_SPECIFIC, RAD_VENDOR_MICROSOFT, RAD_MS_CHAP_DOMAIN, &a)) {
		/* an Ident byte may lead (RFC 2548 §2.3.6 has none, some servers add one) */
		size_t skip = a.len > 0 && a.data[0] < 0x20 ? 1 : 0;
		struct rad_attr d = a;
		d.data += skip;
		d.len -= skip;
		if (!rad_attr_string(&d, r->mschap_domain, sizeof(r->mschap_domain)))
			r->mschap_domain[0] = '\0';
	}
	/* radius.md §2.8: keys without a policy = allowed with every key length; a policy without keys
	 * can't work */
	if (r->keys_set && r->mppe_policy == 0) {
		r->mppe_policy = 1;
		r->mppe_types = 0x2 | 0x4 | 0x8;
	} else if (!r->keys_set && r->mppe_policy != 0) {
		log_pmsg(LG_RADIUS, LP_WARNING, log_name, "RADIUS: MPPE policy %u but no MPPE keys: MPPE will not work",
			 r->mppe_policy);
	}
}

/* The peer's failure from MS-CHAP-Error: code, the text verbatim, its M= part as the message. */
static void ms_error(const struct rad_response *resp, struct auth_result *r)
{
	struct rad_attr a;
	if (!rad_find(resp->pkt, RAD_VENDOR_SPECIFIC, RAD_VENDOR_MICROSOFT, RAD_MS_CHAP_ERROR, &a))
		return;
	unsigned code;
	auth_ms_error(a.data, a.len, r->mschap_error, sizeof(r->mschap_error), &code);
	r->ms_error = code;
	const char *m = strstr(r->mschap_error, "M=");
	if (m != NULL && m[2] != '\0')
		snprintf(r->msg, sizeof(r->msg), "%s", m + 2);
}

int auth_radius_ms_reply(const struct rad_response *resp, const struct auth_request *q, struct auth_result *r,
			 const char *log_name)
{
	if (resp->code != RAD_ACCESS_ACCEPT) {
		ms_error(resp, r);
		return 0;
	}
	if (q->method == AUTH_MSCHAP_V2) {
		struct rad_attr a;
		char s[43];
		if (!rad_find(resp->pkt, RAD_VENDOR_SPECIFIC, RAD_VENDOR_MICROSOFT, RAD_MS_CHAP2_SUCCESS, &a) ||
		    auth_ms_success(a.data, a.len, s) < 0) {
			log_pmsg(LG_RADIUS, LP_WARNING, log_name,
				 "RADIUS: MS-CHAPv2 Access-Accept from %s without a valid MS-CHAP2-Success: refused",
				 resp->server);
			return -1;
		}
		snprintf(r->authresp, sizeof(r->authresp), "%s", s);
		auth_radius_mppe_keys(resp, r, log_name);
	} else {
		mppe_v1_keys(resp, q, r, log_name);
	}
	ms_extras(resp, r, log_name);
	log_msg(LG_RADIUS, log_name, "RADIUS: %s accepted, MPPE keys: %s", q->method == AUTH_MSCHAP_V2 ? "MS-CHAPv2" :
		"MS-CHAPv1", r->keys_set ? "16+16 bytes" : "none");
	return 0;
}
