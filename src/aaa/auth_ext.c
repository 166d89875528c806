/* The ext-auth backend (see auth_ext.h). */
#include "aaa/auth_ext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aaa/ext_proto.h"
#include "core/daemon.h"
#include "core/log.h"
#include "core/proc.h"

struct auth_ext {
	struct proc *proc;
	struct auth_pending *p;
};

/* SUCCESS or UNDEF: which way the peer's response is judged, if at all. */
static void ext_verdict(struct auth_pending *p, const struct ext_auth_reply *rep)
{
	const struct auth_request *q = auth_pending_req(p);
	bool ms = q->method == AUTH_MSCHAP_V1 || q->method == AUTH_MSCHAP_V2;
	if (rep->has_password && (rep->result == EXT_UNDEF || ms)) {
		auth_backend_done(p, AUTH_V_UNDEF, rep->password);
	} else if (rep->has_nt_hash && ms) {
		auth_backend_undef_hash(p, rep->nt_hash);
	} else if (rep->result == EXT_SUCCESS) {
		/* without a password or hash there is no MS-CHAPv2 authenticator and no MPPE key */
		if (ms)
			log_msg(LG_AUTH, q->link_name, "Auth: ext-auth SUCCESS without USER_PASSWORD/USER_NT_HASH: "
				"no MS-CHAP keys");
		log_msg(LG_AUTH, q->link_name, "Auth: ext-auth accepted user \"%s\"", q->name);
		auth_backend_done(p, AUTH_V_SUCCESS, NULL);
	} else {
		/* an empty password would be judged as one: pass instead */
		log_pmsg(LG_AUTH, LP_WARNING, q->link_name, "Auth: ext-auth UNDEF without %s for user \"%s\"",
			 ms ? "USER_PASSWORD or USER_NT_HASH" : "USER_PASSWORD", q->name);
		auth_backend_done(p, AUTH_V_FAIL, NULL);
	}
}

/* What the program answered; its authorization lands in the pending result. */
static void ext_answer(struct auth_pending *p, const char *out, size_t len)
{
	const struct auth_request *q = auth_pending_req(p);
	struct auth_result *res = auth_pending_result(p);
	struct ext_auth_reply *rep = malloc(sizeof(*rep));
	if (rep == NULL) {
		auth_backend_done(p, AUTH_V_FAIL, NULL);
		return;
	}
	ext_auth_reply_parse(out, len, q->link_name, rep, res);
	if (rep->result == EXT_FAIL) {
		log_pmsg(LG_AUTH, LP_NOTICE, q->link_name, "Auth: ext-auth refused user \"%s\"", q->name);
		/* the chain keeps msg and mschap_error for the peer, and forgets the rest */
		auth_backend_done(p, AUTH_V_FAIL, NULL);
	} else {
		res->source = AUTH_SRC_EXT;
		if (res->user_name[0] != '\0')
			log_msg(LG_AUTH, q->link_name, "Auth: ext-auth renames user \"%s\" to \"%s\"", q->name,
				res->user_name);
		ext_verdict(p, rep);
	}
	explicit_bzero(rep, sizeof(*rep)); /* passwords and hashes */
	free(rep);
}

static void ext_exited(int status, const char *out, size_t len, void *arg)
{
	struct auth_ext *x = arg;
	struct auth_pending *p = x->p;
	*auth_pending_state(p) = NULL;
	free(x);
	if (status < 0) {
		/* a timeout or a crash: whatever it printed is not an answer */
		log_pmsg(LG_AUTH, LP_WARNING, auth_pending_req(p)->link_name, "ext-auth: program failed or timed out");
		auth_backend_done(p, AUTH_V_FAIL, NULL);
		return;
	}
	ext_answer(p, out, len);
}

/* The program and its request; false (logged) when it can't be asked. */
static bool ext_launch(struct auth_pending *p, struct auth_ext *x)
{
	const struct auth_request *q = auth_pending_req(p);
	struct ext_msg *m = malloc(sizeof(*m));
	size_t cmdlen = strlen(q->ext_script) + strlen(q->name) + 4;
	char *cmd = malloc(cmdlen);
	bool ok = false;
	if (m == NULL || cmd == NULL || !ext_auth_request(m, q)) {
		log_pmsg(LG_AUTH, LP_WARNING, q->link_name, "ext-auth: can't build the request");
	} else {
		snprintf(cmd, cmdlen, "%s '%s'", q->ext_script, q->name);
		char *argv[] = {"/bin/sh", "-c", cmd, NULL};
		x->proc = proc_run_io(auth_pending_daemon(p)->base, argv, m->buf, m->len, EXT_REPLY_MAX,
				      q->timeout * 1000u, ext_exited, x);
		ok = x->proc != NULL;
		if (!ok)
			log_pmsg(LG_AUTH, LP_WARNING, q->link_name, "ext-auth: can't start %s", q->ext_script);
	}
	if (m != NULL)
		explicit_bzero(m, sizeof(*m)); /* a PAP password */
	free(m);
	free(cmd);
	return ok;
}

void auth_ext_start(struct auth_pending *p)
{
	const struct auth_request *q = auth_pending_req(p);
	if (q->ext_script[0] == '\0') {
		log_pmsg(LG_AUTH, LP_WARNING, q->link_name, "ext-auth: no program set (set auth extauth-script)");
		auth_backend_done(p, AUTH_V_FAIL, NULL);
		return;
	}
	/* the login goes to the shell inside single quotes: one that could leave them is refused */
	if (!ext_login_ok(q->name)) {
		log_pmsg(LG_AUTH, LP_WARNING, q->link_name, "ext-auth: login with a quote or newline refused");
		auth_backend_done(p, AUTH_V_FAIL, NULL);
		return;
	}
	struct auth_ext *x = calloc(1, sizeof(*x));
	if (x == NULL || (x->p = p, !ext_launch(p, x))) {
		free(x);
		auth_backend_done(p, AUTH_V_FAIL, NULL);
		return;
	}
	*auth_pending_state(p) = x;
	log_msg(LG_AUTH2, q->link_name, "ext-auth: asking %s about \"%s\"", q->ext_script, q->name);
}

void auth_ext_cancel(struct auth_pending *p)
{
	struct auth_ext *x = *auth_pending_state(p);
	if (x == NULL)
		return;
	proc_cancel(x->proc);
	free(x);
	*auth_pending_state(p) = NULL;
}
