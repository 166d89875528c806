#include "dev/pppoe/pppoe_match.h"

#include <string.h>

bool pppoe_service_offered(const char *ours, const uint8_t *req, size_t reqlen)
{
	if (strcmp(ours, "*") == 0 || reqlen == 0)
		return true;
	return strlen(ours) == reqlen && memcmp(ours, req, reqlen) == 0;
}

static int copy_part(char *dst, size_t dlen, const char *src, size_t n)
{
	if (n >= dlen)
		return -1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

int pppoe_service_split(const char *conf, char *ac, size_t aclen, char *svc, size_t svclen)
{
	const char *bs = strchr(conf, '\\');
	const char *s = conf;

	if (bs != NULL) {
		if (copy_part(ac, aclen, conf, (size_t)(bs - conf)) < 0)
			return -1;
		s = bs + 1;
	} else if (copy_part(ac, aclen, "", 0) < 0) {
		return -1;
	}
	/* "*" asks for any service: that is the empty Service-Name on the wire. */
	if (strcmp(s, "*") == 0)
		s = "";
	return copy_part(svc, svclen, s, strlen(s));
}

bool pppoe_pado_acceptable(const char *want_ac, const char *want_svc, const struct pppoe_disc *d,
			   const uint8_t *payload, size_t len)
{
	size_t aclen = strlen(want_ac), svclen = strlen(want_svc);

	if (!d->acname.set)
		return false; /* RFC 2516 §5.2: a PADO without AC-Name is not valid */
	if (aclen > 0 && (d->acname.len != aclen || memcmp(d->acname.p, want_ac, aclen) != 0))
		return false;
	if (d->nservice == 0)
		return false;
	if (svclen > 0 && !pppoe_disc_has_service(payload, len, (const uint8_t *)want_svc, svclen))
		return false;
	return true;
}

uint16_t pppoe_max_payload_offer(uint16_t asked, unsigned ifmtu)
{
	if (asked <= PPPOE_MRU_DEFAULT || asked > PPPOE_MAX_PAYLOAD_LIMIT)
		return 0;
	if ((unsigned)asked + 8 > ifmtu)
		return 0;
	return asked;
}

unsigned pppoe_max_payload_result(uint16_t asked, const struct pppoe_disc *d)
{
	if (asked <= PPPOE_MRU_DEFAULT || !d->has_max_payload || d->max_payload <= PPPOE_MRU_DEFAULT)
		return PPPOE_MRU_DEFAULT;
	return d->max_payload < asked ? d->max_payload : asked;
}
