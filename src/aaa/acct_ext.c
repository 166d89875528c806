/*
 * The ext-acct backend (radius.md §5.4): `set auth extacct-script` is run
 * through the shell as `<program> '<login>'` for every Start, Update and
 * Stop, the record written to its stdin as NAME:value lines, its reply
 * read until it exits (core/proc, on the loop). A program that can't be
 * run, crashes or exceeds its time counts as an accounting failure (what
 * acct-mandatory acts on); MPD_DROP_USER non-zero asks to close the link.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aaa/acct.h"
#include "aaa/ext_proto.h"
#include "core/daemon.h"
#include "core/log.h"
#include "core/proc.h"

/* mpd5 waits for the program without a limit; we bound it so a hung script cannot hold a Stop (and
 * a graceful shutdown) forever. A minute is far above what a logging script needs. */
#define EXT_ACCT_TIMEOUT_MS 60000u

struct acct_job {
	struct proc *proc;
	char link[ACCT_NAME_MAX]; /* for log lines */
	acct_job_done_fn done;
	void *arg;
};

static void ext_acct_exited(int status, const char *out, size_t len, void *arg)
{
	struct acct_job *j = arg;
	acct_job_done_fn done = j->done;
	void *darg = j->arg;
	struct ext_acct_reply rep = {0};
	if (status < 0)
		log_pmsg(LG_AUTH, LP_WARNING, j->link, "ext-acct: program failed or timed out");
	else
		ext_acct_reply_parse(out, len, j->link, &rep);
	free(j);
	done(status >= 0, rep.drop_user, darg);
}

/* The shell command line and the request; NULL (logged) when the program can't be asked. */
static struct acct_job *ext_acct_launch(struct daemon *d, const struct acct_record *rec, struct acct_job *j)
{
	struct ext_msg *m = malloc(sizeof(*m));
	size_t cmdlen = strlen(rec->ext_script) + strlen(rec->user) + 4;
	char *cmd = malloc(cmdlen);
	if (m == NULL || cmd == NULL || !ext_acct_request(m, rec)) {
		log_pmsg(LG_AUTH, LP_WARNING, rec->link, "ext-acct: can't build the request");
	} else {
		snprintf(cmd, cmdlen, "%s '%s'", rec->ext_script, rec->user);
		char *argv[] = {"/bin/sh", "-c", cmd, NULL};
		j->proc = proc_run_io(d->base, argv, m->buf, m->len, EXT_REPLY_MAX, EXT_ACCT_TIMEOUT_MS,
				      ext_acct_exited, j);
		if (j->proc == NULL)
			log_pmsg(LG_AUTH, LP_WARNING, rec->link, "ext-acct: can't start %s", rec->ext_script);
	}
	free(m);
	free(cmd);
	if (j->proc == NULL) {
		free(j);
		return NULL;
	}
	return j;
}

static struct acct_job *ext_acct_start(struct daemon *d, const struct acct_record *rec, acct_job_done_fn done,
				       void *arg)
{
	if (rec->ext_script[0] == '\0') {
		log_pmsg(LG_AUTH, LP_WARNING, rec->link, "ext-acct: no program set (set auth extacct-script)");
		return NULL;
	}
	/* the login goes to the shell inside single quotes: one that could leave them can't be sent */
	if (strpbrk(rec->user, "'\n\r") != NULL) {
		log_pmsg(LG_AUTH, LP_WARNING, rec->link, "ext-acct: login with a quote or newline not passed to the shell");
		return NULL;
	}
	struct acct_job *j = calloc(1, sizeof(*j));
	if (j == NULL)
		return NULL;
	snprintf(j->link, sizeof(j->link), "%s", rec->link);
	j->done = done;
	j->arg = arg;
	return ext_acct_launch(d, rec, j);
}

static void ext_acct_cancel(struct acct_job *j)
{
	proc_cancel(j->proc);
	free(j);
}

const struct acct_backend acct_backend_ext = {AOPT_EXT_ACCT, "ext-acct", ext_acct_start, ext_acct_cancel};
