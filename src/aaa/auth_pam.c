/*
 * PAM (radius.md §6): pam-auth judges a PAP login through the service of
 * `-m` (default "mpd"), with PAM_RHOST = the peer's address and PAM_TTY =
 * the link name, and checks account management too; pam-acct opens a
 * session at Start and closes one at Stop.
 *
 * PAM calls block (a module may ask a network server or run a program),
 * so each runs in a forked helper (core/proc proc_fork_io) that writes one
 * line "<pam code> <step> <text>" back; the loop never waits. A helper that
 * exceeds its time is killed with its process group.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aaa/acct.h"
#include "aaa/auth_backend.h"
#include "core/daemon.h"
#include "core/log.h"
#include "core/proc.h"

#ifdef HAVE_PAM
#include <security/pam_appl.h>
#endif

/* A PAM session open/close is quick; a module that hangs longer is given up. */
#define PAM_ACCT_TIMEOUT_MS 30000u
#define PAM_REPLY_MAX 512

enum pam_op { PAMOP_AUTH, PAMOP_OPEN, PAMOP_CLOSE, PAMOP_NONE };

/* What the helper needs: copied into the child by fork, wiped in the parent right after. */
struct pam_call {
	enum pam_op op;
	char service[64];
	char user[AUTH_MAXNAME];
	char password[AUTH_MAXPASS];
	char rhost[64];
	char tty[32];
};

#ifdef HAVE_PAM
/* The conversation: every prompt gets the peer's password (PAP), messages are dropped. */
static int pam_conv_fn(int n, const struct pam_message **msg, struct pam_response **resp, void *appdata)
{
	const struct pam_call *c = appdata;
	if (n <= 0 || n > PAM_MAX_NUM_MSG)
		return PAM_CONV_ERR;
	struct pam_response *r = calloc((size_t)n, sizeof(*r));
	if (r == NULL)
		return PAM_BUF_ERR;
	for (int i = 0; i < n; i++) {
		int style = msg[i]->msg_style;
		if (style == PAM_PROMPT_ECHO_OFF || style == PAM_PROMPT_ECHO_ON) {
			r[i].resp = strdup(c->password);
			if (r[i].resp == NULL) {
				for (int k = 0; k < i; k++)
					free(r[k].resp);
				free(r);
				return PAM_BUF_ERR;
			}
		}
	}
	*resp = r;
	return PAM_SUCCESS;
}

/* In the helper: one PAM transaction; its line tells the parent the outcome. */
static int pam_child(int out_fd, void *arg)
{
	struct pam_call *c = arg;
	struct pam_conv conv = {pam_conv_fn, c};
	pam_handle_t *h = NULL;
	const char *step = "start";
	int rc = pam_start(c->service, c->user, &conv, &h);
	if (rc == PAM_SUCCESS && c->rhost[0] != '\0')
		rc = pam_set_item(h, PAM_RHOST, c->rhost);
	if (rc == PAM_SUCCESS)
		rc = pam_set_item(h, PAM_TTY, c->tty);
	if (rc == PAM_SUCCESS && c->op == PAMOP_AUTH) {
		step = "auth";
		rc = pam_authenticate(h, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);
		if (rc == PAM_SUCCESS) {
			step = "account";
			rc = pam_acct_mgmt(h, PAM_SILENT);
		}
	} else if (rc == PAM_SUCCESS && c->op == PAMOP_OPEN) {
		step = "session";
		rc = pam_open_session(h, PAM_SILENT);
	} else if (rc == PAM_SUCCESS && c->op == PAMOP_CLOSE) {
		step = "session";
		rc = pam_close_session(h, PAM_SILENT);
	}
	dprintf(out_fd, "%d %s %s\n", rc, step, h != NULL ? pam_strerror(h, rc) : "pam_start failed");
	if (h != NULL)
		pam_end(h, rc);
	explicit_bzero(c->password, sizeof(c->password));
	return rc == PAM_SUCCESS ? 0 : 1;
}
#else
static int pam_child(int out_fd, void *arg)
{
	(void)arg;
	dprintf(out_fd, "-1 start PAM is not in this build\n");
	return 1;
}
#endif

/* The helper's line: true when PAM said yes; step and text (for logs) filled. */
static bool pam_outcome(int status, const char *out, char *step, size_t steplen, const char **text)
{
	int rc = -1, off = 0;
	char fmt[16];
	snprintf(fmt, sizeof(fmt), "%%d %%%zus %%n", steplen - 1);
	step[0] = '\0';
	*text = "helper failed or timed out";
	if (status >= 0 && sscanf(out, fmt, &rc, step, &off) == 2 && off > 0) {
		*text = out + off;
		return status == 0 && rc == 0;
	}
	snprintf(step, steplen, "helper");
	return false;
}

/* Start a helper for c; the password is wiped from our copy as soon as the child has its own. */
static struct proc *pam_launch(struct daemon *d, struct pam_call *c, unsigned timeout_ms, proc_io_fn cb, void *arg)
{
	struct proc *p = proc_fork_io(d->base, pam_child, c, PAM_REPLY_MAX, timeout_ms, cb, arg);
	explicit_bzero(c->password, sizeof(c->password));
	return p;
}

/* ---- pam-auth ---- */

struct pam_auth {
	struct proc *proc;
	struct auth_pending *p;
};

static void pam_auth_exited(int status, const char *out, size_t len, void *arg)
{
	(void)len;
	struct pam_auth *x = arg;
	struct auth_pending *p = x->p;
	*auth_pending_state(p) = NULL;
	free(x);
	const struct auth_request *q = auth_pending_req(p);
	char step[16];
	const char *text;
	char line[PAM_REPLY_MAX + 1];
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(out, "\n"), out);
	if (pam_outcome(status, line, step, sizeof(step), &text)) {
		log_msg(LG_AUTH, q->link_name, "Auth: pam-auth accepted user \"%s\"", q->name);
		struct auth_result *r = auth_pending_result(p);
		r->source = AUTH_SRC_PAM;
		auth_backend_done(p, AUTH_V_SUCCESS, NULL);
		return;
	}
	log_pmsg(LG_AUTH, LP_NOTICE, q->link_name, "Auth: pam-auth refused user \"%s\" (%s: %s)", q->name, step, text);
	if (strcmp(step, "account") == 0) {
		/* the password was right, the account may not log in: say so (radius.md §6) */
		struct auth_result *r = auth_pending_result(p);
		snprintf(r->msg, sizeof(r->msg), "Login not allowed for this account");
		r->ms_error = 649;
	}
	auth_backend_done(p, AUTH_V_FAIL, NULL);
}

void auth_pam_start(struct auth_pending *p)
{
	const struct auth_request *q = auth_pending_req(p);
	struct daemon *d = auth_pending_daemon(p);
	if (q->method != AUTH_PAP) {
		/* PAM takes a clear-text password: a CHAP response can't be judged by it */
		log_msg(LG_AUTH, q->link_name, "Auth: pam-auth judges PAP only, not this login");
		auth_backend_done(p, AUTH_V_FAIL, NULL);
		return;
	}
	struct pam_auth *x = calloc(1, sizeof(*x));
	struct pam_call *c = calloc(1, sizeof(*c));
	if (x != NULL && c != NULL) {
		*c = (struct pam_call){.op = PAMOP_AUTH};
		snprintf(c->service, sizeof(c->service), "%s", d->pam_service);
		snprintf(c->user, sizeof(c->user), "%s", q->name);
		snprintf(c->password, sizeof(c->password), "%s", q->password);
		snprintf(c->rhost, sizeof(c->rhost), "%s", q->calling);
		snprintf(c->tty, sizeof(c->tty), "%s", q->link_name);
		x->p = p;
		/* the chain's own deadline (`set auth timeout`) ends it sooner if need be */
		x->proc = pam_launch(d, c, q->timeout * 1000u, pam_auth_exited, x);
	}
	free(c);
	if (x == NULL || x->proc == NULL) {
		log_pmsg(LG_AUTH, LP_WARNING, q->link_name, "Auth: pam-auth: can't start the PAM helper");
		free(x);
		auth_backend_done(p, AUTH_V_FAIL, NULL);
		return;
	}
	*auth_pending_state(p) = x;
}

void auth_pam_cancel(struct auth_pending *p)
{
	struct pam_auth *x = *auth_pending_state(p);
	if (x == NULL)
		return;
	proc_cancel(x->proc);
	free(x);
	*auth_pending_state(p) = NULL;
}

/* ---- pam-acct ---- */

struct acct_job {
	struct proc *proc;
	enum pam_op op;
	char link[ACCT_NAME_MAX];
	acct_job_done_fn done;
	void *arg;
};

static void pam_acct_exited(int status, const char *out, size_t len, void *arg)
{
	(void)len;
	struct acct_job *j = arg;
	acct_job_done_fn done = j->done;
	void *darg = j->arg;
	char step[16];
	const char *text;
	char line[PAM_REPLY_MAX + 1];
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(out, "\n"), out);
	bool ok = j->op == PAMOP_NONE ? status == 0 : pam_outcome(status, line, step, sizeof(step), &text);
	if (!ok && j->op != PAMOP_NONE)
		log_pmsg(LG_AUTH, LP_WARNING, j->link, "pam-acct: %s session: %s",
			 j->op == PAMOP_OPEN ? "opening" : "closing", text);
	free(j);
	done(ok, false, darg);
}

/* An Update has nothing to tell PAM; the helper still answers, so the answer comes from the loop. */
static int pam_nothing(int out_fd, void *arg)
{
	(void)out_fd;
	(void)arg;
	return 0;
}

static struct acct_job *pam_acct_start(struct daemon *d, const struct acct_record *rec, acct_job_done_fn done,
				       void *arg)
{
	struct acct_job *j = calloc(1, sizeof(*j));
	struct pam_call *c = calloc(1, sizeof(*c));
	if (j == NULL || c == NULL) {
		free(j);
		free(c);
		return NULL;
	}
	j->op = rec->status == ACCT_START ? PAMOP_OPEN : rec->status == ACCT_STOP ? PAMOP_CLOSE : PAMOP_NONE;
	snprintf(j->link, sizeof(j->link), "%s", rec->link);
	j->done = done;
	j->arg = arg;
	*c = (struct pam_call){.op = j->op};
	snprintf(c->service, sizeof(c->service), "%s", d->pam_service);
	snprintf(c->user, sizeof(c->user), "%s", rec->user);
	snprintf(c->rhost, sizeof(c->rhost), "%s", rec->peer_addr);
	snprintf(c->tty, sizeof(c->tty), "%s", rec->link);
	if (j->op == PAMOP_NONE)
		j->proc = proc_fork_io(d->base, pam_nothing, NULL, PAM_REPLY_MAX, PAM_ACCT_TIMEOUT_MS, pam_acct_exited, j);
	else
		j->proc = pam_launch(d, c, PAM_ACCT_TIMEOUT_MS, pam_acct_exited, j);
	free(c);
	if (j->proc == NULL) {
		log_pmsg(LG_AUTH, LP_WARNING, rec->link, "pam-acct: can't start the PAM helper");
		free(j);
		return NULL;
	}
	return j;
}

static void pam_acct_cancel(struct acct_job *j)
{
	proc_cancel(j->proc);
	free(j);
}

const struct acct_backend acct_backend_pam = {AOPT_PAM_ACCT, "pam-acct", pam_acct_start, pam_acct_cancel};
