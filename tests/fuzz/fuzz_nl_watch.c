/* Arbitrary datagrams into the rtnetlink interface-event parser (net/nl_watch.h). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "net/nl_watch.h"

static void check(const struct nl_link_event *ev, void *arg)
{
	(void)arg;
	/* What the daemon reads of an event must always be within bounds and terminated. */
	if (ev->addr_len > sizeof(ev->addr) || memchr(ev->name, '\0', sizeof(ev->name)) == NULL)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nl_link_event ev;

	(void)nl_watch_parse(data, size, check, NULL);
	if (nl_link_event_parse(data, size, &ev) == 1)
		check(&ev, NULL);
	return 0;
}
