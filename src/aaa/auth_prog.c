/*
 * `!program` passwords on the loop. Our own timer, not proc's, bounds the
 * program: it keeps mpd.secret's own log line for a timeout, and the
 * verdict is delivered the moment the limit passes even if a grandchild
 * still holds the output pipe.
 */
#include "aaa/auth_prog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/proc.h"

struct auth_prog {
	struct proc *proc;
	struct event *timer;
	char *cmd;             /* as written, for log lines */
	unsigned timeout_ms;
	size_t maxlen;         /* caller's buffer, NUL included */
	auth_prog_fn done;
	void *arg;
};

static void auth_prog_free(struct auth_prog *ap)
{
	if (ap->timer != NULL)
		event_free(ap->timer);
	free(ap->cmd);
	free(ap);
}

/* Hand the verdict over exactly once, then forget everything. */
static void auth_prog_finish(struct auth_prog *ap, const char *password)
{
	auth_prog_fn done = ap->done;
	void *arg = ap->arg;
	auth_prog_free(ap);
	done(password, arg);
}

static void auth_prog_exited(int status, const char *line, void *arg)
{
	struct auth_prog *ap = arg;
	if (status != 0 || line[0] == '\0') {
		auth_prog_finish(ap, NULL);
		return;
	}
	char *pw = malloc(ap->maxlen);
	if (pw == NULL) {
		auth_prog_finish(ap, NULL);
		return;
	}
	snprintf(pw, ap->maxlen, "%s", line);
	size_t n = strlen(pw);
	auth_prog_finish(ap, pw);
	explicit_bzero(pw, n);
	free(pw);
}

static void auth_prog_timeout(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct auth_prog *ap = arg;
	log_msg(LG_WARN, NULL, "mpd.secret: \"%s\" timed out after %u ms", ap->cmd, ap->timeout_ms);
	proc_cancel(ap->proc);
	auth_prog_finish(ap, NULL);
}

struct auth_prog *auth_prog_start(struct event_base *base, const char *cmd, const char *login,
				  unsigned timeout_ms, size_t maxlen, auth_prog_fn done, void *arg)
{
	struct auth_prog *ap = calloc(1, sizeof(*ap));
	size_t slen = strlen(cmd) + sizeof(" \"$1\"");
	char *script = malloc(slen);
	if (ap == NULL || script == NULL || maxlen == 0 || (ap->cmd = strdup(cmd)) == NULL ||
	    (ap->timer = evtimer_new(base, auth_prog_timeout, ap)) == NULL) {
		free(script);
		if (ap != NULL)
			auth_prog_free(ap);
		return NULL;
	}
	*ap = (struct auth_prog){.timer = ap->timer, .cmd = ap->cmd, .timeout_ms = timeout_ms, .maxlen = maxlen,
				 .done = done, .arg = arg};
	snprintf(script, slen, "%s \"$1\"", cmd);
	char *argv[] = {"/bin/sh", "-c", script, "sh", (char *)login, NULL};
	ap->proc = proc_run_line(base, argv, 0, auth_prog_exited, ap);
	free(script);
	struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
	if (ap->proc != NULL && event_add(ap->timer, &tv) < 0) {
		proc_cancel(ap->proc);
		ap->proc = NULL;
	}
	if (ap->proc == NULL) {
		log_msg(LG_ERR, NULL, "mpd.secret: can't run \"%s\"", cmd);
		auth_prog_free(ap);
		return NULL;
	}
	return ap;
}

void auth_prog_cancel(struct auth_prog *ap)
{
	proc_cancel(ap->proc);
	auth_prog_free(ap);
}
