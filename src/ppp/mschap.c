/* MS-CHAP v1/v2 (RFC 2433, 2759) and MPPE key derivation (RFC 3079). */
#include "ppp/mschap.h"

#include <nettle/des.h>
#include <nettle/md4.h>
#include <nettle/sha1.h>
#include <stdio.h>
#include <string.h>

/* RFC 2759 §8.7 magic constants. */
static const char magic_auth1[] = "Magic server to client signing constant";
static const char magic_auth2[] = "Pad to make it do more than one iteration";
/* RFC 3079 §3.4 magic constants. */
static const char magic_master[] = "This is the MPPE Master Key";
static const char magic_key2[] =
	"On the client side, this is the send key; on the server side, it is the receive key.";
static const char magic_key3[] =
	"On the client side, this is the receive key; on the server side, it is the send key.";

/* One UTF-8 sequence at s (n bytes left); returns its length and the code point, or 0 when invalid. */
static size_t utf8_next(const uint8_t *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t c = s[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c < 0xe0) {
		len = 2;
		c &= 0x1f;
	} else if (c >= 0xe0 && c < 0xf0) {
		len = 3;
		c &= 0x0f;
	} else if (c >= 0xf0 && c < 0xf5) {
		len = 4;
		c &= 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and values past Unicode are not UTF-8 */
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c < 0xe000))
		return 0;
	*cp = c;
	return len;
}

static void md4_unit(struct md4_ctx *ctx, uint32_t u)
{
	uint8_t b[2] = {(uint8_t)u, (uint8_t)(u >> 8)};
	md4_update(ctx, 2, b);
}

void mschap_nt_hash(const char *pw, size_t len, uint8_t out[MSCHAP_HASH_LEN])
{
	const uint8_t *s = (const uint8_t *)pw;
	struct md4_ctx ctx;
	size_t units = 0;

	md4_init(&ctx);
	/* RFC 2759 caps passwords at 256 Unicode characters; longer input is cut there. */
	for (size_t i = 0; i < len && units < MSCHAP_MAXPW;) {
		uint32_t cp;
		size_t n = utf8_next(s + i, len - i, &cp);
		if (n == 0) {
			cp = s[i];
			n = 1;
		}
		i += n;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			md4_unit(&ctx, 0xd800 | cp >> 10);
			md4_unit(&ctx, 0xdc00 | (cp & 0x3ff));
			units += 2;
		} else {
			md4_unit(&ctx, cp);
			units++;
		}
	}
	md4_digest(&ctx, MSCHAP_HASH_LEN, out);
}

void mschap_hash_hash(const uint8_t hash[MSCHAP_HASH_LEN], uint8_t out[MSCHAP_HASH_LEN])
{
	struct md4_ctx ctx;

	md4_init(&ctx);
	md4_update(&ctx, MSCHAP_HASH_LEN, hash);
	md4_digest(&ctx, MSCHAP_HASH_LEN, out);
}

/* DES with a 7-byte key: spread 56 bits over 8 bytes, the low bit of each for parity. */
static void des7_encrypt(const uint8_t key7[7], const uint8_t clear[8], uint8_t cypher[8])
{
	uint8_t key[DES_KEY_SIZE];
	struct des_ctx ctx;

	key[0] = key7[0];
	for (int i = 1; i < 7; i++)
		key[i] = (uint8_t)(key7[i - 1] << (8 - i) | key7[i] >> i);
	key[7] = (uint8_t)(key7[6] << 1);
	for (int i = 0; i < 8; i++)
		key[i] &= 0xfe;
	des_fix_parity(DES_KEY_SIZE, key, key);
	/* des_set_key only refuses weak keys; a hash that yields one still encrypts correctly */
	(void)des_set_key(&ctx, key);
	des_encrypt(&ctx, 8, cypher, clear);
	explicit_bzero(&ctx, sizeof(ctx));
	explicit_bzero(key, sizeof(key));
}

int mschap_lm_hash(const char *pw, size_t len, uint8_t out[MSCHAP_HASH_LEN])
{
	static const uint8_t std[8] = {'K', 'G', 'S', '!', '@', '#', '$', '%'};
	uint8_t up[14] = {0};

	if (len > sizeof(up))
		return -1;
	for (size_t i = 0; i < len; i++) {
		uint8_t ch = (uint8_t)pw[i];
		up[i] = ch >= 'a' && ch <= 'z' ? (uint8_t)(ch - 'a' + 'A') : ch;
	}
	des7_encrypt(up, std, out);
	des7_encrypt(up + 7, std, out + 8);
	explicit_bzero(up, sizeof(up));
	return 0;
}

void mschap_challenge_response(const uint8_t chal[8], const uint8_t hash[MSCHAP_HASH_LEN],
			       uint8_t out[MSCHAP_NT_RESP_LEN])
{
	uint8_t z[21] = {0};

	memcpy(z, hash, MSCHAP_HASH_LEN);
	des7_encrypt(z, chal, out);
	des7_encrypt(z + 7, chal, out + 8);
	des7_encrypt(z + 14, chal, out + 16);
	explicit_bzero(z, sizeof(z));
}

const char *mschap_strip_domain(const char *name)
{
	const char *bs = strrchr(name, '\\');
	return bs != NULL ? bs + 1 : name;
}

void mschap2_challenge_hash(const uint8_t peer[MSCHAP_V2_CHAL_LEN], const uint8_t auth[MSCHAP_V2_CHAL_LEN],
			    const char *user, uint8_t out[8])
{
	struct sha1_ctx ctx;
	const char *u = mschap_strip_domain(user);

	sha1_init(&ctx);
	sha1_update(&ctx, MSCHAP_V2_CHAL_LEN, peer);
	sha1_update(&ctx, MSCHAP_V2_CHAL_LEN, auth);
	sha1_update(&ctx, strlen(u), (const uint8_t *)u);
	sha1_digest(&ctx, 8, out);
}

void mschap2_nt_response(const uint8_t auth[MSCHAP_V2_CHAL_LEN], const uint8_t peer[MSCHAP_V2_CHAL_LEN],
			 const char *user, const uint8_t hash[MSCHAP_HASH_LEN], uint8_t out[MSCHAP_NT_RESP_LEN])
{
	uint8_t chal[8];

	mschap2_challenge_hash(peer, auth, user, chal);
	mschap_challenge_response(chal, hash, out);
}

void mschap2_auth_response(const uint8_t hash[MSCHAP_HASH_LEN], const uint8_t nt[MSCHAP_NT_RESP_LEN],
			   const uint8_t peer[MSCHAP_V2_CHAL_LEN], const uint8_t auth[MSCHAP_V2_CHAL_LEN],
			   const char *user, char out[MSCHAP_AUTHRESP_LEN + 1])
{
	uint8_t hh[MSCHAP_HASH_LEN], digest[SHA1_DIGEST_SIZE], chal[8];
	struct sha1_ctx ctx;

	mschap_hash_hash(hash, hh);
	sha1_init(&ctx);
	sha1_update(&ctx, sizeof(hh), hh);
	sha1_update(&ctx, MSCHAP_NT_RESP_LEN, nt);
	sha1_update(&ctx, sizeof(magic_auth1) - 1, (const uint8_t *)magic_auth1);
	sha1_digest(&ctx, sizeof(digest), digest);
	mschap2_challenge_hash(peer, auth, user, chal);
	sha1_init(&ctx);
	sha1_update(&ctx, sizeof(digest), digest);
	sha1_update(&ctx, sizeof(chal), chal);
	sha1_update(&ctx, sizeof(magic_auth2) - 1, (const uint8_t *)magic_auth2);
	sha1_digest(&ctx, sizeof(digest), digest);
	out[0] = 'S';
	out[1] = '=';
	for (size_t i = 0; i < sizeof(digest); i++)
		snprintf(out + 2 + 2 * i, 3, "%02X", digest[i]);
	explicit_bzero(hh, sizeof(hh));
}

void mppe_master_key(const uint8_t hash_hash[MSCHAP_HASH_LEN], const uint8_t nt[MSCHAP_NT_RESP_LEN],
		     uint8_t out[16])
{
	struct sha1_ctx ctx;

	sha1_init(&ctx);
	sha1_update(&ctx, MSCHAP_HASH_LEN, hash_hash);
	sha1_update(&ctx, MSCHAP_NT_RESP_LEN, nt);
	sha1_update(&ctx, sizeof(magic_master) - 1, (const uint8_t *)magic_master);
	sha1_digest(&ctx, 16, out);
}

/* SHA1(a || 40 x 0x00 || b || 40 x 0xf2): the shape of both RFC 3079 key functions. */
static void sha_pad(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen, uint8_t *out, size_t len)
{
	static const uint8_t pad1[40] = {0};
	uint8_t pad2[40];
	struct sha1_ctx ctx;

	memset(pad2, 0xf2, sizeof(pad2));
	sha1_init(&ctx);
	sha1_update(&ctx, alen, a);
	sha1_update(&ctx, sizeof(pad1), pad1);
	sha1_update(&ctx, blen, b);
	sha1_update(&ctx, sizeof(pad2), pad2);
	sha1_digest(&ctx, len, out);
}

void mppe_asym_start_key(const uint8_t master[16], uint8_t *out, size_t len, bool send, bool server)
{
	/* the client sends with key 2, the server with key 3 */
	const char *m = send == server ? magic_key3 : magic_key2;
	sha_pad(master, 16, (const uint8_t *)m, strlen(m), out, len > 16 ? 16 : len);
}

void mppe_new_key(const uint8_t *start, const uint8_t *cur, size_t len, uint8_t *out)
{
	if (len > 16)
		len = 16;
	sha_pad(start, len, cur, len, out, len);
}

void mppe_v1_start_key(const uint8_t hash_hash[MSCHAP_HASH_LEN], const uint8_t chal[MSCHAP_V1_CHAL_LEN],
		       uint8_t out[16])
{
	struct sha1_ctx ctx;

	sha1_init(&ctx);
	sha1_update(&ctx, MSCHAP_HASH_LEN, hash_hash);
	sha1_update(&ctx, MSCHAP_HASH_LEN, hash_hash);
	sha1_update(&ctx, MSCHAP_V1_CHAL_LEN, chal);
	sha1_digest(&ctx, 16, out);
}

void mschap2_keys(const uint8_t hash[MSCHAP_HASH_LEN], const uint8_t nt[MSCHAP_NT_RESP_LEN], bool server,
		  struct mschap_keys *k)
{
	uint8_t hh[MSCHAP_HASH_LEN], master[16];

	memset(k, 0, sizeof(*k));
	mschap_hash_hash(hash, hh);
	mppe_master_key(hh, nt, master);
	mppe_asym_start_key(master, k->send, 16, true, server);
	mppe_asym_start_key(master, k->recv, 16, false, server);
	k->src = MSCHAP_KEYS_V2;
	explicit_bzero(hh, sizeof(hh));
	explicit_bzero(master, sizeof(master));
}

void mschap1_keys(const char *pw, size_t pwlen, const uint8_t hash[MSCHAP_HASH_LEN],
		  const uint8_t chal[MSCHAP_V1_CHAL_LEN], struct mschap_keys *k)
{
	uint8_t hh[MSCHAP_HASH_LEN], lm[MSCHAP_HASH_LEN];

	memset(k, 0, sizeof(*k));
	mschap_hash_hash(hash, hh);
	mppe_v1_start_key(hh, chal, k->send);
	memcpy(k->recv, k->send, sizeof(k->recv));
	if (pw != NULL && mschap_lm_hash(pw, pwlen, lm) == 0) {
		memcpy(k->key8, lm, sizeof(k->key8));
		k->have_key8 = true;
	}
	k->src = MSCHAP_KEYS_V1;
	explicit_bzero(hh, sizeof(hh));
	explicit_bzero(lm, sizeof(lm));
}

/* ---- message text ---- */

static int hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Where "key=" starts a field (at the start or after a space); NULL when absent. */
static const uint8_t *field(const uint8_t *d, size_t len, char key, size_t *vlen)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (d[i] != (uint8_t)key || d[i + 1] != '=' || (i > 0 && d[i - 1] != ' '))
			continue;
		size_t s = i + 2, e = s;
		/* M= runs to the end: its text may hold spaces */
		if (key == 'M')
			e = len;
		else
			while (e < len && d[e] != ' ')
				e++;
		*vlen = e - s;
		return d + s;
	}
	return NULL;
}

static int parse_dec(const uint8_t *v, size_t n, unsigned max, unsigned *out)
{
	unsigned x = 0;

	if (n == 0 || n > 10)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		x = x * 10 + (unsigned)(v[i] - '0');
		if (x > max)
			return -1;
	}
	*out = x;
	return 0;
}

static void printable(char *dst, size_t size, const uint8_t *src, size_t len)
{
	size_t n = len < size - 1 ? len : size - 1;

	for (size_t i = 0; i < n; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? (char)src[i] : '?';
	dst[n] = '\0';
}

int mschap_parse_failure(const uint8_t *d, size_t len, struct mschap_failure *f)
{
	const uint8_t *v;
	size_t n;
	unsigned x;

	memset(f, 0, sizeof(*f));
	v = field(d, len, 'E', &n);
	if (v == NULL || parse_dec(v, n, 99999, &f->error) < 0)
		return -1;
	v = field(d, len, 'R', &n);
	if (v != NULL && parse_dec(v, n, 1, &x) == 0)
		f->retry = x == 1;
	v = field(d, len, 'C', &n);
	if (v != NULL && (n == 2 * MSCHAP_V1_CHAL_LEN || n == 2 * MSCHAP_V2_CHAL_LEN)) {
		size_t i;
		for (i = 0; i < n / 2; i++) {
			int hi = hexval(v[2 * i]), lo = hexval(v[2 * i + 1]);
			if (hi < 0 || lo < 0)
				break;
			f->chal[i] = (uint8_t)(hi << 4 | lo);
		}
		f->chal_len = i == n / 2 ? i : 0;
	}
	v = field(d, len, 'V', &n);
	if (v != NULL && parse_dec(v, n, 99999, &x) == 0)
		f->version = x;
	v = field(d, len, 'M', &n);
	if (v != NULL)
		printable(f->msg, sizeof(f->msg), v, n);
	return 0;
}

int mschap2_parse_success(const uint8_t *d, size_t len, char authresp[41], char *msg, size_t msglen)
{
	size_t n;
	const uint8_t *v = field(d, len, 'S', &n);

	if (msglen > 0)
		msg[0] = '\0';
	if (v == NULL || n != 40)
		return -1;
	for (size_t i = 0; i < 40; i++) {
		if (hexval(v[i]) < 0)
			return -1;
		authresp[i] = v[i] >= 'a' && v[i] <= 'f' ? (char)(v[i] - 'a' + 'A') : (char)v[i];
	}
	authresp[40] = '\0';
	const uint8_t *m = field(d, len, 'M', &n);
	if (m != NULL && msglen > 0)
		printable(msg, msglen, m, n);
	return 0;
}

int mschap_format_failure(char *out, size_t size, unsigned error, const uint8_t *chal, size_t chal_len,
			  const char *msg)
{
	char hex[2 * MSCHAP_V2_CHAL_LEN + 1] = "";

	if (chal != NULL) {
		if (chal_len > MSCHAP_V2_CHAL_LEN)
			chal_len = MSCHAP_V2_CHAL_LEN;
		for (size_t i = 0; i < chal_len; i++)
			snprintf(hex + 2 * i, 3, "%02X", chal[i]);
	}
	/* R=0: a retry with the same credentials cannot succeed; V=0: no change-password */
	int n = snprintf(out, size, "E=%u R=0%s%s V=0%s%s", error, chal != NULL ? " C=" : "", hex,
			 msg != NULL ? " M=" : "", msg != NULL ? msg : "");
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

const char *mschap_error_name(unsigned error)
{
	switch (error) {
	case MSCHAP_E_RESTRICTED_HOURS: return "restricted logon hours";
	case MSCHAP_E_ACCT_DISABLED: return "account disabled";
	case MSCHAP_E_PASSWD_EXPIRED: return "password expired";
	case MSCHAP_E_NO_DIALIN: return "no dial-in permission";
	case MSCHAP_E_AUTH_FAILURE: return "authentication failure";
	case MSCHAP_E_CHANGING_PASSWORD: return "error changing password";
	default: return "unknown error";
	}
}
