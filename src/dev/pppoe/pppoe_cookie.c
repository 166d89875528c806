#include "dev/pppoe/pppoe_cookie.h"

#include <string.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>

#include "core/rand.h"

int pppoe_cookie_key_init(struct pppoe_cookie_key *k)
{
	rand_bytes(k->secret, sizeof(k->secret));
	return 0;
}

static void cookie_mac(const struct pppoe_cookie_key *k, const uint8_t peer[6], const uint8_t ts[4],
		       uint8_t out[PPPOE_COOKIE_LEN - 4])
{
	struct hmac_sha256_ctx ctx;
	uint8_t full[SHA256_DIGEST_SIZE];

	hmac_sha256_set_key(&ctx, sizeof(k->secret), k->secret);
	hmac_sha256_update(&ctx, 6, peer);
	hmac_sha256_update(&ctx, 4, ts);
	hmac_sha256_digest(&ctx, sizeof(full), full);
	memcpy(out, full, PPPOE_COOKIE_LEN - 4);
}

void pppoe_cookie_make(const struct pppoe_cookie_key *k, const uint8_t peer[6], uint32_t now,
		       uint8_t out[PPPOE_COOKIE_LEN])
{
	out[0] = now >> 24;
	out[1] = (now >> 16) & 0xff;
	out[2] = (now >> 8) & 0xff;
	out[3] = now & 0xff;
	cookie_mac(k, peer, out, out + 4);
}

bool pppoe_cookie_check(const struct pppoe_cookie_key *k, const uint8_t peer[6], uint32_t now,
			const uint8_t *c, size_t len)
{
	uint8_t want[PPPOE_COOKIE_LEN - 4];

	if (c == NULL || len != PPPOE_COOKIE_LEN)
		return false;
	uint32_t issued = (uint32_t)c[0] << 24 | (uint32_t)c[1] << 16 | (uint32_t)c[2] << 8 | c[3];
	/* Unsigned difference: a cookie "from the future" is as stale as an old one. */
	if (now - issued > PPPOE_COOKIE_LIFE)
		return false;
	cookie_mac(k, peer, c, want);
	return memeql_sec(want, c + 4, sizeof(want)) != 0;
}
