/* The ext-auth program on the loop (see auth_ext.h). */
#include "aaa/auth_ext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/proc.h"

struct auth_ext {
	struct proc *proc;
	char who[32];          /* link name, for log lines */
	auth_ext_fn done;
	void *arg;
};

static void auth_ext_exited(int status, const char *out, size_t len, void *arg)
{
	struct auth_ext *x = arg;
	auth_ext_fn done = x->done;
	void *darg = x->arg;
	if (status < 0) {
		/* a timeout or a crash: whatever it printed is not an answer */
		log_pmsg(LG_AUTH, LP_WARNING, x->who, "ext-auth: program failed or timed out");
		free(x);
		done(NULL, NULL, darg);
		return;
	}
	struct ext_auth_reply *rep = malloc(sizeof(*rep));
	struct auth_result *res = malloc(sizeof(*res));
	if (rep == NULL || res == NULL) {
		free(rep);
		free(res);
		free(x);
		done(NULL, NULL, darg);
		return;
	}
	auth_result_init(res);
	ext_auth_reply_parse(out, len, x->who, rep, res);
	free(x);
	done(rep, res, darg);
	explicit_bzero(rep, sizeof(*rep)); /* passwords and hashes */
	explicit_bzero(res, sizeof(*res));
	free(rep);
	free(res);
}

struct auth_ext *auth_ext_start(struct event_base *base, const struct auth_request *q, auth_ext_fn done, void *arg)
{
	if (q->ext_script[0] == '\0') {
		log_pmsg(LG_AUTH, LP_WARNING, q->link_name, "ext-auth: no program set (set auth extauth-script)");
		return NULL;
	}
	/* the login goes to the shell inside single quotes: one that could leave them is refused */
	if (!ext_login_ok(q->name)) {
		log_pmsg(LG_AUTH, LP_WARNING, q->link_name, "ext-auth: login with a quote or newline refused");
		return NULL;
	}
	struct ext_msg *m = malloc(sizeof(*m));
	struct auth_ext *x = calloc(1, sizeof(*x));
	size_t cmdlen = strlen(q->ext_script) + strlen(q->name) + 4;
	char *cmd = malloc(cmdlen);
	if (m == NULL || x == NULL || cmd == NULL || !ext_auth_request(m, q)) {
		log_pmsg(LG_AUTH, LP_WARNING, q->link_name, "ext-auth: can't build the request");
		goto fail;
	}
	snprintf(cmd, cmdlen, "%s '%s'", q->ext_script, q->name);
	snprintf(x->who, sizeof(x->who), "%s", q->link_name);
	x->done = done;
	x->arg = arg;
	char *argv[] = {"/bin/sh", "-c", cmd, NULL};
	x->proc = proc_run_io(base, argv, m->buf, m->len, EXT_REPLY_MAX, q->timeout_s * 1000u, auth_ext_exited, x);
	if (x->proc == NULL) {
		log_pmsg(LG_AUTH, LP_WARNING, q->link_name, "ext-auth: can't start %s", q->ext_script);
		goto fail;
	}
	log_msg(LG_AUTH2, q->link_name, "ext-auth: asking %s about \"%s\"", q->ext_script, q->name);
	explicit_bzero(m, sizeof(*m));
	free(m);
	free(cmd);
	return x;
fail:
	if (m != NULL)
		explicit_bzero(m, sizeof(*m));
	free(m);
	free(x);
	free(cmd);
	return NULL;
}

void auth_ext_cancel(struct auth_ext *x)
{
	if (x == NULL)
		return;
	proc_cancel(x->proc);
	free(x);
}
