/* Fuzz the mpd.secret parser and lookups (no shell: a lookup never runs `!program` passwords). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/lexer.h"
#include "conf/secret.h"
#include "core/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	if (path[0] == '\0') {
		for (int f = 0; f < LG_NFLAGS; f++)
			log_set((enum log_flag)f, false);
		snprintf(path, sizeof(path), "/tmp/fuzz_secret.%ld", (long)getpid());
	}
	if (size > 64 * 1024)
		return 0;
	FILE *fp = fopen(path, "w");
	if (fp == NULL)
		return 0;
	fwrite(data, 1, size, fp);
	fclose(fp);

	struct secret_file *sf = secret_open(path);
	if (sf == NULL)
		return 0;
	struct secret_entry e;
	secret_lookup(sf, "user", &e);
	secret_lookup(sf, "*", &e);
	secret_lookup(sf, "", &e);
	/* look up the first field of every line, as a peer that knows the file would */
	fp = fmemopen((void *)data, size, "r");
	if (fp != NULL) {
		struct conf_reader r;
		struct conf_line *l = malloc(sizeof(*l));
		struct conf_args *a = malloc(sizeof(*a));
		conf_reader_init(&r, fp, "fuzz", 0);
		for (int n = 0; l != NULL && a != NULL && n < 16 && conf_reader_next(&r, l); n++)
			if (conf_args_split(a, l->text) > 0)
				secret_lookup(sf, a->av[0], &e);
		free(l);
		free(a);
		fclose(fp);
	}
	secret_reload(sf);
	secret_lookup(sf, "user", &e);
	secret_free(sf);
	unlink(path);
	return 0;
}
