/*
 * Enable/accept option sets: one bit per option in each half, the storage
 * behind every `set X enable|disable|accept|deny|yes|no` menu. Here in core/
 * because engines read them (LCP, IPCP) without knowing the command language.
 */
#ifndef MPD_CORE_OPTSET_H
#define MPD_CORE_OPTSET_H

#include <stdbool.h>
#include <stdint.h>

/* Enable and accept halves of a set of options, one bit per option. */
struct optset {
	uint32_t enable;
	uint32_t accept;
};

/* True when option bit b is enabled. */
static inline bool opt_enabled(const struct optset *s, unsigned b) { return (s->enable >> b) & 1; }
/* True when option bit b is accepted. */
static inline bool opt_accepted(const struct optset *s, unsigned b) { return (s->accept >> b) & 1; }

#endif
