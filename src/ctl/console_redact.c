/*
 * Command lines typed at a console are logged (the `console` flag), and log
 * lines reach every session with logging on, whatever its privilege. The
 * few commands that carry passwords or shared secrets are logged with
 * those arguments replaced, so a `user` session cannot read what an admin
 * typed.
 */
#include "ctl/console_priv.h"

#include <stdio.h>
#include <string.h>

#define REDACT_MAXW 3

static const struct {
	const char *words[REDACT_MAXW]; /* command words, NULL-padded */
	int keep;                      /* arguments shown before the secret */
} secret_cmds[] = {
	{{"set", "user", NULL}, 1},
	{{"set", "console", "user"}, 1}, /* mpd 4 */
	{{"set", "auth", "password"}, 0},
	{{"set", "radius", "server"}, 1},
	{{"set", "radsrv", "peer"}, 1},
	{{"set", "l2tp", "secret"}, 0},
	{{"set", "pptp", "secret"}, 0},
};

struct word {
	const char *p;
	size_t len;
};

static int split(const char *line, struct word *w, int max)
{
	int n = 0;

	while (n < max) {
		line += strspn(line, " \t");
		if (*line == '\0')
			break;
		w[n].p = line;
		w[n].len = strcspn(line, " \t");
		line += w[n].len;
		n++;
	}
	return n;
}

/* A typed word selects a command word when it is a prefix of it, as the interpreter matches. */
static bool word_is(const struct word *w, const char *name)
{
	return w->len > 0 && w->len <= strlen(name) && strncmp(w->p, name, w->len) == 0;
}

static int secret_index(const struct word *w, int nw)
{
	for (size_t i = 0; i < sizeof(secret_cmds) / sizeof(secret_cmds[0]); i++) {
		int k = 0;
		while (k < REDACT_MAXW && secret_cmds[i].words[k] != NULL) {
			if (k >= nw || !word_is(&w[k], secret_cmds[i].words[k]))
				break;
			k++;
		}
		if (k < REDACT_MAXW && secret_cmds[i].words[k] != NULL)
			continue;
		k += secret_cmds[i].keep;
		if (k < nw)
			return k;
	}
	return -1;
}

void con_redact(const char *line, char *out, size_t outlen)
{
	struct word w[REDACT_MAXW + 2];
	int nw = split(line, w, REDACT_MAXW + 2);
	int cut = secret_index(w, nw);

	if (cut < 0) {
		snprintf(out, outlen, "%s", line);
		return;
	}
	/* cut > 0: a secret always follows at least one command word. */
	const char *end = w[cut - 1].p + w[cut - 1].len;
	snprintf(out, outlen, "%.*s ***", (int)(end - line), line);
}
