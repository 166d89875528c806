/* The counters every codec keeps, in one place so no codec repeats them. */
#include "codec/codec.h"

ssize_t codec_encode(struct codec *c, const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	ssize_t n = c->ops->encode(c, in, len, out, cap);
	if (n >= 0) {
		c->frames++;
		c->in_octets += len;
		c->out_octets += (size_t)n;
	} else if (n == CODEC_DROP) {
		c->errors++;
	}
	return n;
}

ssize_t codec_decode(struct codec *c, const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	ssize_t n = c->ops->decode(c, in, len, out, cap);
	if (n >= 0) {
		c->frames++;
		c->in_octets += len;
		c->out_octets += (size_t)n;
	} else {
		c->errors++;
	}
	return n;
}

void codec_free(struct codec *c)
{
	if (c != NULL)
		c->ops->free(c);
}
