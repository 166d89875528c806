/*
 * Randomness from the kernel's CSPRNG (getrandom(2)) for everything a peer
 * must not predict: CHAP/MS-CHAP/EAP challenges (RFC 1994 §2.3), LCP magic
 * numbers, session ids, cookie secrets, hash seeds, RADIUS authenticators.
 * There is deliberately no seeded PRNG in the daemon: two starts with the
 * same pid and clock must not produce the same challenges. Engines take
 * their randomness through their owner interface, so their tests can still
 * supply a deterministic one.
 */
#ifndef MPD_CORE_RAND_H
#define MPD_CORE_RAND_H

#include <stddef.h>
#include <stdint.h>

/* Fill buf with len random bytes; aborts the process if the kernel cannot supply them. */
void rand_bytes(void *buf, size_t len);
/* A random 32-bit value. */
uint32_t rand_u32(void);
/* A random 64-bit value. */
uint64_t rand_u64(void);
/* A uniformly distributed value in [0, n) (n > 0); for jitter and start points. */
uint32_t rand_below(uint32_t n);
/* rand_u32 in the shape of the engines' owner rand32 hook (fsm, chap, eap); arg is unused. */
uint32_t rand_owner_u32(void *arg);

#endif
