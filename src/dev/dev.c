/* The compiled-in device types (ARCHITECTURE rule 3: adding one touches only this list). */
#include "dev/dev.h"

#include <string.h>

#include "dev/pppoe/pppoe.h"

static const struct dev_type *const types[] = {
	&dev_pppoe,
	NULL,
};

const struct dev_type *dev_type_find(const char *name)
{
	for (size_t i = 0; types[i] != NULL; i++)
		if (strcmp(types[i]->name, name) == 0)
			return types[i];
	return NULL;
}

const struct dev_type *const *dev_types(void)
{
	return types;
}
