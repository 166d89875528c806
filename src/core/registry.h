/*
 * A registry of objects of one kind (links, bundles; later repeaters and
 * tunnels): numbered slots reused lowest first (the slot is mpd5's index,
 * the NAS-Port of a link), a name index, and handles.
 *
 * A handle is a slot and the generation the slot had when the object was
 * added. Anything that outlives the call it was given an object in (a
 * console's selected link, a timer armed for another object, a pending
 * AAA request) keeps a handle, never a pointer: once the object is removed
 * the slot's generation moves on and the handle simply fails to resolve,
 * so a late event finds nothing instead of freed memory.
 *
 * Nothing outside the registry walks its storage: lookups go through
 * reg_find/reg_at/reg_resolve and walks through reg_next.
 */
#ifndef MPD_CORE_REGISTRY_H
#define MPD_CORE_REGISTRY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/hash.h"

/* A reference that survives its object: resolves to NULL once the object is gone.
 * The all-zero handle (HANDLE_NONE) never resolves. */
struct handle {
	uint32_t slot;
	uint32_t gen; /* 0 only in HANDLE_NONE */
};

#define HANDLE_NONE ((struct handle){0, 0})

/* True when two handles name the same registration. */
static inline bool handle_eq(struct handle a, struct handle b) { return a.slot == b.slot && a.gen == b.gen; }
/* True for HANDLE_NONE. */
static inline bool handle_none(struct handle h) { return h.gen == 0; }

struct reg_slot;

struct registry {
	struct reg_slot *slots;
	unsigned nslots;     /* allocated */
	unsigned count;      /* occupied */
	unsigned lowest;     /* no free slot below this one */
	unsigned top;        /* no occupied slot at or above this one */
	struct htab names;   /* name -> slot */
	/* The object's current name, for the name index; NULL: no name index. */
	const char *(*name_of)(const void *obj);
};

/* An empty registry; name_of may be NULL. 0, or -1 when out of memory. */
int reg_init(struct registry *r, const char *(*name_of)(const void *obj));
/* Free the registry's own storage (objects belong to their owners). */
void reg_free(struct registry *r);
/* Add obj in the lowest free slot (indexed under its name if any); its handle in *h.
 * Returns the slot, or -1 when out of memory. */
int reg_add(struct registry *r, void *obj, struct handle *h);
/* Remove the object in slot: its handles stop resolving and the slot is free again. */
void reg_remove(struct registry *r, unsigned slot);
/* The object's name changed (call with the new name already in place). */
void reg_renamed(struct registry *r, unsigned slot);
/* The object in slot, or NULL. */
void *reg_at(const struct registry *r, unsigned slot);
/* The object a handle names, or NULL when it is gone (or h is HANDLE_NONE). */
void *reg_resolve(const struct registry *r, struct handle h);
/* The handle of the object now in slot, or HANDLE_NONE. */
struct handle reg_handle(const struct registry *r, unsigned slot);
/* The object registered under name (exact match), or NULL. */
void *reg_find(const struct registry *r, const char *name);
/* Walk: start with *cursor = 0; each call returns the next object in slot order and
 * advances *cursor, NULL at the end. Removing the returned object during the walk is safe. */
void *reg_next(const struct registry *r, unsigned *cursor);
/* Number of objects registered. */
static inline unsigned reg_count(const struct registry *r) { return r->count; }

#endif
