/*
 * The peer-authentication chain. Only `internal` (mpd.secret) exists yet;
 * the others are refused at configuration time, so here they never run.
 */
#include "aaa/auth.h"

#include <stdio.h>
#include <string.h>

#include "conf/secret.h"
#include "core/log.h"
#include "daemon.h"
#include "link/bundle.h"
#include "link/link.h"
#include "ppp/chap.h"

/* Constant-time comparison: the verdict must not leak how much matched. */
static bool bytes_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint8_t diff = 0;
	for (size_t i = 0; i < n; i++)
		diff |= a[i] ^ b[i];
	return diff == 0;
}

/* `set auth max-logins` counts per link template (linux.md), not globally. */
static bool auth_max_logins_reached(struct link *l, const char *name)
{
	unsigned max = l->auth.max_logins;
	return max > 0 && bunds_count_peer(l->d, l->tmpl, name, l->auth.max_logins_ci) >= max;
}

/* Common front of every method: name checks, the secret lookup, limits. */
static int auth_lookup(struct link *l, const char *name, struct secret_entry *e, char *msg, size_t msglen)
{
	snprintf(l->peer_authname, sizeof(l->peer_authname), "%s", name);
	if (name[0] == '\0') {
		snprintf(msg, msglen, "Empty login name");
		return -1;
	}
	if (link_action_drops(l, name)) {
		snprintf(msg, msglen, "Login dropped by action");
		return -1;
	}
	if (!opt_enabled(&l->auth.opts, AOPT_INTERNAL) || secret_lookup(l->d->secrets, name, e) < 0) {
		log_msg(LG_AUTH, l->name, "Auth: user \"%s\" not found in mpd.secret", name);
		snprintf(msg, msglen, "Login incorrect");
		return -1;
	}
	if (auth_max_logins_reached(l, name)) {
		log_msg(LG_AUTH, l->name, "Auth: user \"%s\" reached max-logins %u", name, l->auth.max_logins);
		snprintf(msg, msglen, "Login limit reached");
		return -1;
	}
	return 0;
}

static void auth_accepted(struct link *l, const struct secret_entry *e, const char *method)
{
	l->peer_range_set = e->has_range;
	l->peer_range = e->addr;
	l->peer_range_width = (int)e->width;
	log_msg(LG_AUTH, l->name, "Auth: %s user \"%s\" accepted", method, l->peer_authname);
}

int auth_check_pap(struct link *l, const char *name, const char *password, char *msg, size_t msglen)
{
	struct secret_entry e;
	if (auth_lookup(l, name, &e, msg, msglen) < 0)
		return -1;
	size_t n = strlen(e.password);
	bool ok = n == strlen(password) && bytes_equal((const uint8_t *)e.password, (const uint8_t *)password, n);
	explicit_bzero(e.password, sizeof(e.password));
	if (!ok) {
		log_msg(LG_AUTH, l->name, "Auth: PAP user \"%s\": wrong password", name);
		snprintf(msg, msglen, "Login incorrect");
		return -1;
	}
	auth_accepted(l, &e, "PAP");
	snprintf(msg, msglen, "Welcome");
	return 0;
}

int auth_check_chap_md5(struct link *l, const char *name, uint8_t id, const uint8_t *chal, size_t clen,
			const uint8_t *resp, size_t rlen, char *msg, size_t msglen)
{
	struct secret_entry e;
	if (auth_lookup(l, name, &e, msg, msglen) < 0)
		return -1;
	uint8_t want[CHAP_MD5_LEN];
	chap_md5_response(id, e.password, strlen(e.password), chal, clen, want);
	bool ok = rlen == CHAP_MD5_LEN && bytes_equal(want, resp, CHAP_MD5_LEN);
	explicit_bzero(e.password, sizeof(e.password));
	if (!ok) {
		log_msg(LG_AUTH, l->name, "Auth: CHAP-MD5 user \"%s\": invalid response (wrong password)", name);
		snprintf(msg, msglen, "Login incorrect");
		return -1;
	}
	auth_accepted(l, &e, "CHAP-MD5");
	snprintf(msg, msglen, "Welcome");
	return 0;
}

int auth_own_credentials(struct link *l, char *name, size_t nlen, char *pw, size_t pwlen)
{
	if (l->auth.authname[0] == '\0')
		return -1;
	snprintf(name, nlen, "%s", l->auth.authname);
	if (l->auth.password[0] != '\0') {
		snprintf(pw, pwlen, "%s", l->auth.password);
		return 0;
	}
	struct secret_entry e;
	if (secret_lookup(l->d->secrets, l->auth.authname, &e) < 0)
		return -1;
	snprintf(pw, pwlen, "%s", e.password);
	explicit_bzero(e.password, sizeof(e.password));
	return 0;
}
