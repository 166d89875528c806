/*
 * Weak stand-ins for functions other layers define (conf/cmd_hooks.h), so
 * the interpreter and its tests link before those layers exist.  Only this
 * file holds them: the linker prefers any strong definition it also loads.
 */
#include "conf/cmd_hooks.h"

#include <stddef.h>

__attribute__((weak)) const char *link_type_name(const struct link *l)
{
	(void)l;
	return NULL;
}

__attribute__((weak)) const char *link_name(const struct link *l)
{
	(void)l;
	return "?";
}

__attribute__((weak)) const char *bund_name(const struct bundle *b)
{
	(void)b;
	return "?";
}

__attribute__((weak)) const char *rep_name(const struct repeater *r)
{
	(void)r;
	return "?";
}

__attribute__((weak)) const struct dev_type *const *dev_types(void)
{
	static const struct dev_type *const none[] = {NULL};
	return none;
}
