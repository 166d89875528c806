/*
 * The console input decoder (telnet IAC skipping, escape sequences, line
 * editor, history) on arbitrary bytes. The first byte picks telnet or
 * raw mode and the starting modes; completed lines switch modes and TAB
 * replaces the line, so every path of the editor is reachable.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/console_edit.h"

struct sink {
	size_t bytes;
};

static void sink_echo(void *arg, const char *s, size_t n)
{
	struct sink *k = arg;
	/* Touch every byte so ASan sees out-of-bounds echo pointers. */
	for (size_t i = 0; i < n; i++)
		k->bytes += (unsigned char)s[i] != 0;
}

static void check(const struct con_edit *e)
{
	const char *l = con_edit_line(e);
	if (e->len > CON_LINE_MAX || l[e->len] != '\0' || strlen(l) != e->len)
		abort();
	for (size_t i = 0; i < e->len; i++)
		if ((unsigned char)l[i] < 0x20 || (unsigned char)l[i] > 0x7e)
			abort();
	if (e->nhist > CON_HIST_MAX || e->hpos < -1 || e->hpos >= (int)CON_HIST_MAX)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct con_edit e; /* large; reinitialised every run */
	struct sink k = {0};
	struct con_edit_io io = {.echo = sink_echo, .arg = &k};
	char repl[CON_LINE_MAX + 8];

	if (size == 0)
		return 0;
	con_edit_init(&e, data[0] & 1, &io);
	con_edit_set_cmdmode(&e, data[0] & 2);
	con_edit_set_echo(&e, !(data[0] & 4));
	for (size_t i = 1; i < size; i++) {
		switch (con_edit_byte(&e, data[i])) {
		case CON_ED_LINE:
			/* Like a session: login lines turn on command mode, some turn echo off. */
			con_edit_set_cmdmode(&e, e.cmdmode || (e.len & 1));
			con_edit_set_echo(&e, !(e.len & 2));
			con_edit_clear(&e);
			break;
		case CON_ED_TAB:
			memcpy(repl, con_edit_line(&e), e.len);
			memset(repl + e.len, 'z', 7);
			repl[e.len + 7] = '\0';
			con_edit_replace(&e, repl);
			break;
		case CON_ED_HELP:
			con_edit_redraw(&e);
			break;
		case CON_ED_INTR:
			if (e.len != 0)
				abort();
			break;
		case CON_ED_NONE:
			break;
		}
		check(&e);
	}
	return 0;
}
