/*
 * Compressors and encryptors of one direction of one bundle: what CCP
 * (RFC 1962) and ECP (RFC 1968) negotiate and the bundle runs on its
 * packets. Each codec is an I/O-free module (no sockets, no clock, no
 * logging, no randomness of its own) with a constructor of its own typed
 * parameters in its header (mppe.h, deflate.h, pred1.h, dese.h) and these
 * common operations, so the bundle, the fast path, the unit tests and the
 * fuzz harnesses drive every codec the same way.
 *
 * Frames handed to encode and returned by decode always begin with the
 * two-byte PPP protocol field, uncompressed; a codec that sends the
 * protocol field compressed (RFC 1962 §2: PFC applies inside the
 * compressed datagram when negotiated, MPPE always) does so itself and
 * restores two bytes on decode. The output of encode is the information
 * field of a Compressed Datagram (protocol 0x00FD / 0x00FB per link) or an
 * Encrypted Datagram (0x0053 / 0x0055).
 *
 * Resets (RFC 1962 §5.5-5.6): when decode answers CODEC_RESET the bundle
 * sends a CCP/ECP Reset-Request; when the peer's Reset-Request arrives the
 * bundle calls reset_req on its transmit codec and sends a Reset-Ack only
 * if that returns true (MPPE answers none, RFC 3078 §8); a Reset-Ack
 * received is passed to the receive codec's reset_ack.
 */
#ifndef MPD_CODEC_H
#define MPD_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Which way a codec instance works. */
enum codec_dir { CODEC_TX, CODEC_RX };

/* decode results besides a length. */
#define CODEC_DROP  (-1)  /* discard the frame, nothing else to do */
#define CODEC_RESET (-2)  /* discard it and send a Reset-Request (history lost or frame corrupt) */
/* encode result: the codec declines this frame; send it as it is, uncompressed (never for encryptors). */
#define CODEC_PASS  (-3)

/* Largest frame (protocol field + information) a codec is handed or returns. */
#define CODEC_MAX_FRAME 4096

struct codec;

/* The operations every codec implements. */
struct codec_ops {
	const char *name;  /* for logs and `show ccp`: "mppc+mppe-128", "deflate", ... */
	/* Transform frame in (len bytes, protocol first) into out (cap bytes, at least
	 * len + overhead); the output length, CODEC_PASS, or CODEC_DROP on failure. */
	ssize_t (*encode)(struct codec *c, const uint8_t *in, size_t len, uint8_t *out, size_t cap);
	/* Undo encode on a received datagram; the frame's length (protocol first),
	 * CODEC_DROP or CODEC_RESET. Must be safe on any bytes at all. */
	ssize_t (*decode)(struct codec *c, const uint8_t *in, size_t len, uint8_t *out, size_t cap);
	/* Transmit side: the peer sent a Reset-Request; true when a Reset-Ack is to be sent. */
	bool (*reset_req)(struct codec *c);
	/* Receive side: the peer's Reset-Ack arrived (may be NULL: nothing to do). */
	void (*reset_ack)(struct codec *c);
	/* Bytes encode may add to a frame at most (the MTU is reduced by it, F-125). */
	size_t (*overhead)(const struct codec *c);
	/* Release the instance and wipe its keys. */
	void (*free)(struct codec *c);
};

/* Every instance starts with this; the codec's own state follows. */
struct codec {
	const struct codec_ops *ops;
	uint64_t in_octets, out_octets;  /* bytes given to and produced by encode/decode, for `show ccp` */
	uint64_t frames, errors, resets;  /* frames done, decode failures, resets seen */
};

/* Run encode and keep the counters; see codec_ops.encode. */
ssize_t codec_encode(struct codec *c, const uint8_t *in, size_t len, uint8_t *out, size_t cap);
/* Run decode and keep the counters; see codec_ops.decode. */
ssize_t codec_decode(struct codec *c, const uint8_t *in, size_t len, uint8_t *out, size_t cap);
/* Free c through its ops; NULL is ignored. */
void codec_free(struct codec *c);

#endif
