/*
 * Telnet login (commands.md §5.3): Username:/Password: against `set user`,
 * the password not echoed, "Login failed" and a new prompt, a bounded
 * number of tries and a login timeout.
 */
#include "ctl/console_priv.h"

#include <stdio.h>
#include <string.h>

#include "core/daemon.h"

/* Compare in time independent of where the first difference is. */
static bool secret_eq(const char *given, const char *want, size_t wantmax)
{
	size_t lg = strlen(given), lw = strnlen(want, wantmax);
	unsigned char diff = lg != lw;

	for (size_t i = 0; i < lw; i++)
		diff |= (unsigned char)(want[i] ^ (i < lg ? given[i] : 0));
	return diff == 0;
}

static const struct console_user *user_check(const struct daemon *d, const char *name, const char *pass)
{
	int n = d->nusers < MAX_USERS ? d->nusers : MAX_USERS;

	for (int i = 0; i < n; i++) {
		const struct console_user *u = &d->users[i];
		if (strncmp(u->name, name, sizeof(u->name)) == 0 && name[0] != '\0')
			return secret_eq(pass, u->password, sizeof(u->password)) ? u : NULL;
	}
	return NULL;
}

void con_login_done(struct console_session *s)
{
	s->state = SS_CMD;
	timer_stop(&s->login_timer);
	con_edit_set_echo(&s->ed, true);
	con_edit_set_cmdmode(&s->ed, true);
	log_msg(LG_CONSOLE, NULL, "CONSOLE: user \"%s\" logged in from %s", s->user, s->peer);
	con_sess_prompt(s);
}

void con_login_ask(struct console_session *s)
{
	s->state = SS_USER;
	con_edit_set_echo(&s->ed, true);
	con_sess_puts(s, "Username: ");
}

void con_login_user(struct console_session *s, const char *line)
{
	if (line[0] == '\0') {
		con_login_ask(s);
		return;
	}
	snprintf(s->user, sizeof(s->user), "%.*s", (int)sizeof(s->user) - 1, line);
	s->state = SS_PASS;
	con_edit_set_echo(&s->ed, false);
	con_sess_puts(s, "Password: ");
}

void con_login_pass(struct console_session *s, const char *line)
{
	const struct console_user *u = user_check(s->con->d, s->user, line);

	if (u != NULL) {
		s->ctx.priv = u->priv;
		con_login_done(s);
		return;
	}
	log_msg(LG_CONSOLE, NULL, "CONSOLE: login as \"%s\" from %s failed", s->user, s->peer);
	s->user[0] = '\0';
	con_sess_puts(s, "Login failed\n");
	if (++s->tries >= CON_LOGIN_TRIES) {
		con_sess_finish(s);
		return;
	}
	con_login_ask(s);
}

void con_login_timeout(void *arg)
{
	struct console_session *s = arg;

	log_msg(LG_CONSOLE, NULL, "CONSOLE: login timeout for %s", s->peer);
	con_sess_puts(s, "\nLogin timeout\n");
	con_sess_finish(s);
}
