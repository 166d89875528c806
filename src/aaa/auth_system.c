/*
 * The system backends (radius.md §6, commands.md §9.1). system-auth
 * judges a PAP password with crypt(3) against the password database
 * (getspnam, else getpwnam); MS-CHAP only when the stored hash is an NT
 * hash in FreeBSD's `$3$$<32 hex>` form (then we judge the response from
 * it). system-acct writes a utmp login record and a wtmp one at Start
 * (line = link name, user, host = peer address) and the logout records at
 * Stop.
 *
 * The database lookup can block (a large file, NSS over the network) and
 * so can a locked utmp: both run in a forked helper (core/proc
 * proc_fork_io) that writes one line back; the loop never waits.
 */
#include <arpa/inet.h>
#include <pwd.h>
#include <shadow.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include <utmp.h>

#ifdef HAVE_CRYPT
#include <crypt.h>
#endif

#include "aaa/acct.h"
#include "aaa/auth_backend.h"
#include "aaa/ext_proto.h"
#include "core/daemon.h"
#include "core/log.h"
#include "core/proc.h"
#include "ppp/mschap.h"

#define SYS_REPLY_MAX 256
/* Writing two small records: a helper still busy after this is stuck on a lock. */
#define SYS_ACCT_TIMEOUT_MS 30000u

/* ---- system-auth ---- */

struct sys_call {
	char user[AUTH_MAXNAME];
	char password[AUTH_MAXPASS]; /* PAP; "" for MS-CHAP */
	bool want_nt;                /* MS-CHAP: hand back the stored NT hash */
};

/* The stored hash of user ("" when unknown): shadow first, then the passwd entry itself. */
static void stored_hash(const char *user, char *out, size_t cap)
{
	struct spwd *sp = getspnam(user);
	const char *h = sp != NULL ? sp->sp_pwdp : NULL;
	if (h == NULL) {
		struct passwd *pw = getpwnam(user);
		h = pw != NULL ? pw->pw_passwd : NULL;
	}
	snprintf(out, cap, "%s", h != NULL ? h : "");
}

/* FreeBSD's NT-hash crypt format: "$3$$" and 32 hex digits. */
static bool nt_format(const char *h, uint8_t nt[16])
{
	return strncmp(h, "$3$$", 4) == 0 && ext_hex16(h + 4, nt);
}

static bool same_text(const char *a, const char *b)
{
	size_t n = strlen(a);
	uint8_t diff = n != strlen(b);
	for (size_t i = 0; i < n && diff == 0; i++)
		diff |= (uint8_t)(a[i] ^ b[i]);
	return diff == 0;
}

/* In the helper: "OK", "NT <hex>" or "NO <why>". */
static int sys_auth_child(int out_fd, void *arg)
{
	struct sys_call *c = arg;
	char hash[512];
	uint8_t nt[16];
	stored_hash(c->user, hash, sizeof(hash));
	int rc = 1;
	if (hash[0] == '\0') {
		dprintf(out_fd, "NO no such user\n");
	} else if (nt_format(hash, nt)) {
		if (c->want_nt) {
			dprintf(out_fd, "NT %s\n", hash + 4);
			rc = 0;
		} else {
			uint8_t mine[16];
			mschap_nt_hash(c->password, strlen(c->password), mine);
			rc = memcmp(mine, nt, 16) == 0 ? 0 : 1;
			dprintf(out_fd, rc == 0 ? "OK\n" : "NO wrong password\n");
		}
	} else if (c->want_nt) {
		dprintf(out_fd, "NO the stored hash is not an NT hash ($3$): MS-CHAP can't be judged\n");
	} else {
#ifdef HAVE_CRYPT
		struct crypt_data cd;
		memset(&cd, 0, sizeof(cd));
		/* crypt_rn: NULL on failure instead of a "*" string, and no sanitizer interceptor (GCC 12's
		 * ASan one for crypt_r calls a NULL function when libxcrypt is linked) */
		const char *got = crypt_rn(c->password, hash, &cd, (int)sizeof(cd));
		rc = got != NULL && got[0] != '*' && same_text(got, hash) ? 0 : 1;
		dprintf(out_fd, rc == 0 ? "OK\n" : "NO wrong password or locked account\n");
#else
		dprintf(out_fd, "NO crypt(3) is not in this build\n");
#endif
	}
	explicit_bzero(c->password, sizeof(c->password));
	explicit_bzero(hash, sizeof(hash));
	return rc;
}

struct sys_auth {
	struct proc *proc;
	struct auth_pending *p;
};

static void sys_auth_exited(int status, const char *out, size_t len, void *arg)
{
	(void)len;
	struct sys_auth *x = arg;
	struct auth_pending *p = x->p;
	*auth_pending_state(p) = NULL;
	free(x);
	const struct auth_request *q = auth_pending_req(p);
	uint8_t nt[16];
	char hex[33];
	if (status == 0 && strncmp(out, "OK", 2) == 0) {
		log_msg(LG_AUTH, q->link_name, "Auth: system-auth accepted user \"%s\"", q->name);
		auth_pending_result(p)->source = AUTH_SRC_SYSTEM;
		auth_backend_done(p, AUTH_V_SUCCESS, NULL);
		return;
	}
	if (status == 0 && sscanf(out, "NT %32s", hex) == 1 && ext_hex16(hex, nt)) {
		auth_pending_result(p)->source = AUTH_SRC_SYSTEM;
		auth_backend_undef_hash(p, nt); /* judged like ext-auth's USER_NT_HASH */
		explicit_bzero(nt, sizeof(nt));
		return;
	}
	const char *why = status < 0 ? "helper failed or timed out" : strncmp(out, "NO ", 3) == 0 ? out + 3 : out;
	log_pmsg(LG_AUTH, LP_NOTICE, q->link_name, "Auth: system-auth refused user \"%s\": %.*s", q->name,
		 (int)strcspn(why, "\n"), why);
	auth_backend_done(p, AUTH_V_FAIL, NULL);
}

void auth_system_start(struct auth_pending *p)
{
	const struct auth_request *q = auth_pending_req(p);
	bool ms = q->method == AUTH_MSCHAP_V1 || q->method == AUTH_MSCHAP_V2;
	if (q->method != AUTH_PAP && !ms) {
		log_msg(LG_AUTH, q->link_name, "Auth: system-auth judges PAP and (with $3$ NT hashes) MS-CHAP only");
		auth_backend_done(p, AUTH_V_FAIL, NULL);
		return;
	}
	struct sys_auth *x = calloc(1, sizeof(*x));
	struct sys_call *c = calloc(1, sizeof(*c));
	if (x != NULL && c != NULL) {
		snprintf(c->user, sizeof(c->user), "%s", q->name);
		if (!ms)
			snprintf(c->password, sizeof(c->password), "%s", q->password);
		c->want_nt = ms;
		x->p = p;
		x->proc = proc_fork_io(auth_pending_daemon(p)->base, sys_auth_child, c, SYS_REPLY_MAX,
				       q->timeout * 1000u, sys_auth_exited, x);
	}
	if (c != NULL) {
		explicit_bzero(c, sizeof(*c)); /* the child has its own copy */
		free(c);
	}
	if (x == NULL || x->proc == NULL) {
		log_pmsg(LG_AUTH, LP_WARNING, q->link_name, "Auth: system-auth: can't start the helper");
		free(x);
		auth_backend_done(p, AUTH_V_FAIL, NULL);
		return;
	}
	*auth_pending_state(p) = x;
}

void auth_system_cancel(struct auth_pending *p)
{
	struct sys_auth *x = *auth_pending_state(p);
	if (x == NULL)
		return;
	proc_cancel(x->proc);
	free(x);
	*auth_pending_state(p) = NULL;
}

/* ---- system-acct ---- */

struct sys_acct_call {
	bool login;
	pid_t pid; /* the daemon's, as the records' process */
	char line[ACCT_NAME_MAX];
	char user[AUTH_MAXNAME];
	char host[ACCT_STR_MAX];
};

/* Copy text into a fixed utmp field (not necessarily NUL-terminated there). */
static void ut_set(char *field, size_t cap, const char *text)
{
	size_t n = strlen(text);
	memset(field, 0, cap);
	memcpy(field, text, n < cap ? n : cap);
}

/* In the helper: the utmp entry (where a utmp file exists) and the wtmp record. */
static int sys_acct_child(int out_fd, void *arg)
{
	const struct sys_acct_call *c = arg;
	struct utmp ut;
	struct timeval now;
	memset(&ut, 0, sizeof(ut));
	ut.ut_type = c->login ? USER_PROCESS : DEAD_PROCESS;
	ut.ut_pid = c->pid;
	ut_set(ut.ut_line, sizeof(ut.ut_line), c->line);
	size_t n = strlen(c->line);
	ut_set(ut.ut_id, sizeof(ut.ut_id), n > sizeof(ut.ut_id) ? c->line + n - sizeof(ut.ut_id) : c->line);
	if (c->login) {
		ut_set(ut.ut_user, sizeof(ut.ut_user), c->user);
		ut_set(ut.ut_host, sizeof(ut.ut_host), c->host);
	}
	gettimeofday(&now, NULL);
	ut.ut_tv.tv_sec = (int32_t)now.tv_sec;
	ut.ut_tv.tv_usec = (int32_t)now.tv_usec;
	setutent();
	bool utmp_ok = pututline(&ut) != NULL; /* no utmp file (containers): only wtmp */
	endutent();
	updwtmp(_PATH_WTMP, &ut);
	dprintf(out_fd, "OK utmp=%s\n", utmp_ok ? "yes" : "no");
	return 0;
}

struct acct_job {
	struct proc *proc;
	char link[ACCT_NAME_MAX];
	acct_job_done_fn done;
	void *arg;
};

static void sys_acct_exited(int status, const char *out, size_t len, void *arg)
{
	(void)out;
	(void)len;
	struct acct_job *j = arg;
	acct_job_done_fn done = j->done;
	void *darg = j->arg;
	if (status != 0)
		log_pmsg(LG_AUTH, LP_WARNING, j->link, "system-acct: the utmp/wtmp helper failed or timed out");
	free(j);
	done(status == 0, false, darg);
}

/* An Update has no utmp record; the helper still answers, so the answer comes from the loop. */
static int sys_nothing(int out_fd, void *arg)
{
	(void)out_fd;
	(void)arg;
	return 0;
}

static struct acct_job *sys_acct_start(struct daemon *d, const struct acct_record *rec, acct_job_done_fn done,
				       void *arg)
{
	struct acct_job *j = calloc(1, sizeof(*j));
	if (j == NULL)
		return NULL;
	snprintf(j->link, sizeof(j->link), "%s", rec->link);
	j->done = done;
	j->arg = arg;
	struct sys_acct_call c = {.login = rec->status == ACCT_START, .pid = getpid()};
	snprintf(c.line, sizeof(c.line), "%s", rec->link);
	snprintf(c.user, sizeof(c.user), "%s", rec->user);
	/* the peer's address: its IPv4 one once IPCP gave it, else the outer (MAC) address */
	char ip[INET_ADDRSTRLEN];
	if (rec->framed_ip.s_addr != 0 && inet_ntop(AF_INET, &rec->framed_ip, ip, sizeof(ip)) != NULL)
		snprintf(c.host, sizeof(c.host), "%s", ip);
	else
		snprintf(c.host, sizeof(c.host), "%s", rec->peer_addr);
	/* the child copies c when it forks: a stack copy is enough */
	if (rec->status == ACCT_UPDATE)
		j->proc = proc_fork_io(d->base, sys_nothing, NULL, SYS_REPLY_MAX, SYS_ACCT_TIMEOUT_MS, sys_acct_exited, j);
	else
		j->proc = proc_fork_io(d->base, sys_acct_child, &c, SYS_REPLY_MAX, SYS_ACCT_TIMEOUT_MS, sys_acct_exited,
				       j);
	if (j->proc == NULL) {
		log_pmsg(LG_AUTH, LP_WARNING, rec->link, "system-acct: can't start the helper");
		free(j);
		return NULL;
	}
	return j;
}

static void sys_acct_cancel(struct acct_job *j)
{
	proc_cancel(j->proc);
	free(j);
}

const struct acct_backend acct_backend_system = {AOPT_SYSTEM_ACCT, "system-acct", sys_acct_start, sys_acct_cancel};
