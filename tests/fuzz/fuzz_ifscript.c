/*
 * Shell quoting of script arguments: whatever bytes a peer sends, the
 * command line must split back into exactly the same words, and nothing
 * outside single quotes may be anything but a space or an escaped quote.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/ifscript.h"

#define MAX_ARGS 9

/* Split the POSIX sh way, for the only forms ifscript_cmdline may produce. */
static int unquote(const char *s, char **words, int max)
{
	int n = 0;
	while (*s != '\0') {
		if (*s++ != ' ' || n == max)
			abort();
		char *w = malloc(strlen(s) + 1), *o = w;
		while (*s != '\0' && *s != ' ') {
			if (*s == '\'') {
				const char *end = strchr(s + 1, '\'');
				if (end == NULL)
					abort(); /* unterminated quote */
				memcpy(o, s + 1, (size_t)(end - s - 1));
				o += end - s - 1;
				s = end + 1;
			} else if (s[0] == '\\' && s[1] == '\'') {
				*o++ = '\'';
				s += 2;
			} else {
				abort(); /* a bare character the shell would interpret */
			}
		}
		*o = '\0';
		words[n++] = w;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	char *args[MAX_ARGS + 1];
	int n = 0;
	/* NUL separates arguments, as C strings can carry no NUL anyway. */
	for (char *p = buf; n < MAX_ARGS && p <= buf + size; p += strlen(p) + 1)
		args[n++] = p;
	args[n] = NULL;
	char *cmd = ifscript_cmdline("prog", args);
	if (cmd == NULL || strncmp(cmd, "prog", 4) != 0)
		abort();
	char *words[MAX_ARGS];
	int m = unquote(cmd + 4, words, MAX_ARGS);
	if (m != n)
		abort();
	for (int i = 0; i < n; i++) {
		if (strcmp(words[i], args[i]) != 0)
			abort();
		free(words[i]);
	}
	free(cmd);
	free(buf);
	return 0;
}
