#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "core/proc.h"
#include "net/ifscript.h"

static char tmpdir[64];

/* What a callback saw. */
struct result {
	int calls;
	int status;
	char line[PROC_LINE_MAX];
};

static void on_done(int status, void *arg)
{
	struct result *r = arg;
	r->calls++;
	r->status = status;
}

static void on_line(int status, const char *line, void *arg)
{
	struct result *r = arg;
	r->calls++;
	r->status = status;
	snprintf(r->line, sizeof(r->line), "%s", line);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Run a shell snippet to completion; returns the callback's result. */
static struct result run_sh(const char *script, unsigned timeout_ms, bool capture)
{
	struct event_base *base = event_base_new();
	struct result r = {.status = -100};
	char *argv[] = {"/bin/sh", "-c", (char *)script, NULL};
	struct proc *p = capture ? proc_run_line(base, argv, timeout_ms, on_line, &r)
				 : proc_run(base, argv, timeout_ms, on_done, &r);
	assert_non_null(p);
	pid_t pid = proc_pid(p);
	assert_true(pid > 0);
	assert_int_equal(r.calls, 0); /* never from inside proc_run */
	event_base_dispatch(base);
	event_base_free(base);
	assert_int_equal(r.calls, 1);
	/* reaped: no zombie left behind */
	assert_int_equal(waitpid(pid, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
	return r;
}

/* What a conversation (proc_run_io) saw. */
struct io_result {
	int calls, status;
	size_t len;
	char out[8192];
};

static void on_io(int status, const char *out, size_t len, void *arg)
{
	struct io_result *r = arg;
	r->calls++;
	r->status = status;
	r->len = len;
	assert_int_equal(out[len], '\0');
	memcpy(r->out, out, len + 1 <= sizeof(r->out) ? len + 1 : sizeof(r->out));
}

static struct io_result *run_io(const char *script, const char *in, size_t in_len, size_t out_max, unsigned timeout_ms)
{
	static struct io_result r;
	memset(&r, 0, sizeof(r));
	r.status = -100;
	struct event_base *base = event_base_new();
	char *argv[] = {"/bin/sh", "-c", (char *)script, NULL};
	struct proc *p = proc_run_io(base, argv, in, in_len, out_max, timeout_ms, on_io, &r);
	assert_non_null(p);
	pid_t pid = proc_pid(p);
	assert_int_equal(r.calls, 0);
	event_base_dispatch(base);
	event_base_free(base);
	assert_int_equal(r.calls, 1);
	assert_int_equal(waitpid(pid, NULL, WNOHANG), -1);
	return &r;
}

/* The two-way variant: our input on stdin (then EOF), all of stdout back, bounded. */
static void test_io_conversation(void **state)
{
	(void)state;
	struct io_result *r = run_io("while read l; do [ -z \"$l\" ] && break; echo \"got:$l\"; done; echo; exit 3",
				     "A:1\nB:2\n\n", 8, 4096, 5000);
	assert_int_equal(r->status, 3);
	assert_string_equal(r->out, "got:A:1\ngot:B:2\n\n");
	/* stdin ends after the input: cat terminates */
	r = run_io("cat", "x\ny", 3, 4096, 5000);
	assert_string_equal(r->out, "x\ny");
	/* output is cut at out_max, the rest drained without blocking the child */
	r = run_io("head -c 300000 /dev/zero | tr '\\0' z", "", 0, 100, 10000);
	assert_int_equal(r->status, 0);
	assert_int_equal(r->len, 100);
	/* a program that never reads a large input neither blocks nor kills us (no SIGPIPE) */
	static char big[1 << 20];
	memset(big, 'q', sizeof(big));
	r = run_io("echo done", big, sizeof(big), 4096, 5000);
	assert_int_equal(r->status, 0);
	assert_string_equal(r->out, "done\n");
	/* a program that hangs is killed at the timeout; status -1 */
	double t0 = now();
	r = run_io("read x; echo early; sleep 30", "in\n", 3, 4096, 300);
	assert_int_equal(r->status, -1);
	assert_true(now() - t0 < 5.0);
	assert_string_equal(r->out, "early\n");
	/* a program that can't be run reports -1 from the loop */
	struct event_base *base = event_base_new();
	char *argv[] = {"/nonexistent/prog", NULL};
	memset(r, 0, sizeof(*r));
	struct proc *p = proc_run_io(base, argv, "x", 1, 16, 1000, on_io, r);
	assert_non_null(p);
	assert_int_equal(r->calls, 0);
	event_base_dispatch(base);
	event_base_free(base);
	assert_int_equal(r->calls, 1);
	assert_int_equal(r->status, -1);
	assert_int_equal(r->len, 0);
}

static int child_says(int out_fd, void *arg)
{
	const char *word = arg;
	if (strcmp(word, "hang") == 0)
		sleep(30);
	dprintf(out_fd, "child:%s\n", word);
	return 3;
}

/* The forked variant: the child's output and exit status, its timeout, never from inside the call. */
static void test_fork_io(void **state)
{
	(void)state;
	struct event_base *base = event_base_new();
	struct io_result r = {.status = -100};
	char word[] = "hello";
	struct proc *p = proc_fork_io(base, child_says, word, 4096, 5000, on_io, &r);
	assert_non_null(p);
	pid_t pid = proc_pid(p);
	assert_int_equal(r.calls, 0);
	event_base_dispatch(base);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.status, 3);
	assert_string_equal(r.out, "child:hello\n");
	assert_int_equal(waitpid(pid, NULL, WNOHANG), -1);
	/* a child that blocks is killed at the timeout */
	memset(&r, 0, sizeof(r));
	char hang[] = "hang";
	double t0 = now();
	assert_non_null(proc_fork_io(base, child_says, hang, 4096, 300, on_io, &r));
	event_base_dispatch(base);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.status, -1);
	assert_true(now() - t0 < 5.0);
	event_base_free(base);
}

static void test_exit_codes(void **state)
{
	(void)state;
	assert_int_equal(run_sh("exit 0", 0, false).status, 0);
	assert_int_equal(run_sh("exit 3", 0, false).status, 3);
	assert_int_equal(run_sh("exit 255", 5000, false).status, 255);
	/* death by a signal is a failure, not an exit code */
	assert_int_equal(run_sh("kill -TERM $$", 5000, false).status, -1);
}

static void test_exec_failure(void **state)
{
	(void)state;
	struct event_base *base = event_base_new();
	struct result r = {.status = -100};
	char *argv[] = {"/nonexistent/mpd-test-program", NULL};
	struct proc *p = proc_run(base, argv, 0, on_done, &r);
	assert_non_null(p);
	assert_int_equal(proc_pid(p), 0);
	assert_int_equal(r.calls, 0);
	event_base_dispatch(base);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.status, -1);
	event_base_free(base);
	char *none[] = {NULL};
	assert_null(proc_run(base, none, 0, on_done, &r));
}

static bool pid_gone(pid_t pid)
{
	char path[64], buf[256] = "";
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return true;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* A zombie waiting for its new parent to reap it counts as dead. */
	char *rp = strrchr(buf, ')');
	return rp != NULL && rp[1] == ' ' && (rp[2] == 'Z' || rp[2] == 'X');
}

static void test_timeout_kills_group(void **state)
{
	(void)state;
	char pidfile[128], script[256];
	snprintf(pidfile, sizeof(pidfile), "%s/grandchild.pid", tmpdir);
	/* The script's own child must die too: the whole process group is killed. */
	snprintf(script, sizeof(script), "sleep 30 & echo $! > %s; wait", pidfile);
	double t0 = now();
	struct result r = run_sh(script, 300, false);
	double took = now() - t0;
	assert_int_equal(r.status, -1);
	assert_true(took >= 0.25 && took < 5.0);
	FILE *f = fopen(pidfile, "r");
	assert_non_null(f);
	long gc = 0;
	assert_int_equal(fscanf(f, "%ld", &gc), 1);
	fclose(f);
	for (int i = 0; i < 100 && !pid_gone((pid_t)gc); i++)
		usleep(10000);
	assert_true(pid_gone((pid_t)gc));
	unlink(pidfile);
}

static void test_capture_line(void **state)
{
	(void)state;
	struct result r = run_sh("printf 'secret\\nsecond line\\n'", 5000, true);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.line, "secret");
	r = run_sh("printf 'no newline'; exit 4", 5000, true);
	assert_int_equal(r.status, 4);
	assert_string_equal(r.line, "no newline");
	r = run_sh("printf 'dos\\r\\n'", 5000, true);
	assert_string_equal(r.line, "dos");
	r = run_sh("true", 5000, true);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.line, "");
	/* stderr is discarded, stdin is /dev/null (read gets EOF, no hang) */
	r = run_sh("echo err >&2; read x; echo \"[$x]\"", 5000, true);
	assert_string_equal(r.line, "[]");
	/* a long line is cut to the buffer; the rest is drained, the child not blocked */
	r = run_sh("i=0; while [ $i -lt 200 ]; do printf '0123456789'; i=$((i+1)); done;"
		   " head -c 200000 /dev/zero; echo; exit 7", 10000, true);
	assert_int_equal(r.status, 7);
	assert_int_equal(strlen(r.line), PROC_LINE_MAX - 1);
	assert_memory_equal(r.line, "0123456789012", 13);
	/* output beyond the pipe's size makes the child wait for us, never fail its writes */
	for (int i = 0; i < 5; i++) {
		r = run_sh("echo first; head -c 300000 /dev/zero", 10000, true);
		assert_int_equal(r.status, 0);
		assert_string_equal(r.line, "first");
	}
	/* a timeout still reports what was printed before it */
	r = run_sh("echo early; sleep 30", 200, true);
	assert_int_equal(r.status, -1);
	assert_string_equal(r.line, "early");
}

static void test_stdout_discarded(void **state)
{
	(void)state;
	/* stdout to /dev/null: writing a lot must not block or fail the child */
	struct result r = run_sh("head -c 1000000 /dev/zero; exit 0", 10000, false);
	assert_int_equal(r.status, 0);
}

static void test_cancel(void **state)
{
	(void)state;
	struct event_base *base = event_base_new();
	struct result r = {0};
	char *argv[] = {"sleep", "30", NULL};
	struct proc *p = proc_run(base, argv, 60000, on_done, &r);
	assert_non_null(p);
	pid_t pid = proc_pid(p);
	proc_cancel(p);
	double t0 = now();
	/* the loop still reaps it, then has nothing left to wait for */
	event_base_dispatch(base);
	assert_true(now() - t0 < 5.0);
	assert_int_equal(r.calls, 0);
	assert_int_equal(waitpid(pid, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
	event_base_free(base);
}

static void test_many_at_once(void **state)
{
	(void)state;
	enum { N = 40 };
	struct event_base *base = event_base_new();
	struct result r[N];
	memset(r, 0, sizeof(r));
	for (int i = 0; i < N; i++) {
		char cmd[32];
		snprintf(cmd, sizeof(cmd), "sleep 0.0%d; exit %d", i % 10, i);
		char *argv[] = {"/bin/sh", "-c", cmd, NULL};
		assert_non_null(proc_run(base, argv, 10000, on_done, &r[i]));
	}
	event_base_dispatch(base);
	for (int i = 0; i < N; i++) {
		assert_int_equal(r[i].calls, 1);
		assert_int_equal(r[i].status, i);
	}
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	event_base_free(base);
}

static void expect_args(char **got, const char *const want[])
{
	int i = 0;
	for (; want[i] != NULL; i++) {
		assert_non_null(got[i]);
		assert_string_equal(got[i], want[i]);
	}
	assert_null(got[i]);
}

static struct ifscript_info v4_info(bool up)
{
	struct ifscript_info s = {.ifname = "ppp0", .family = AF_INET, .up = up, .width4 = 32};
	inet_pton(AF_INET, "10.0.0.1", &s.local4);
	inet_pton(AF_INET, "10.0.0.2", &s.peer4);
	return s;
}

static void test_script_args_v4(void **state)
{
	(void)state;
	struct ifscript_info s = v4_info(true);
	s.authname = "alice";
	inet_pton(AF_INET, "192.0.2.53", &s.dns1);
	inet_pton(AF_INET, "192.0.2.54", &s.dns2);
	s.peeraddr = "00:11:22:33:44:55";
	s.filterid = "gold";
	char **a = ifscript_args(&s);
	expect_args(a, (const char *const[]){"ppp0", "inet", "10.0.0.1/32", "10.0.0.2", "alice",
					     "dns1 192.0.2.53", "dns2 192.0.2.54",
					     "00:11:22:33:44:55", "gold", NULL});
	ifscript_args_free(a);

	/* nothing known: dashes, and empty DNS arguments */
	s = v4_info(true);
	s.width4 = 24;
	s.authname = "";
	a = ifscript_args(&s);
	expect_args(a, (const char *const[]){"ppp0", "inet", "10.0.0.1/24", "10.0.0.2", "-", "",
					     "", "-", "-", NULL});
	ifscript_args_free(a);

	/* one DNS server only */
	s = v4_info(true);
	inet_pton(AF_INET, "192.0.2.53", &s.dns2);
	a = ifscript_args(&s);
	expect_args(a, (const char *const[]){"ppp0", "inet", "10.0.0.1/32", "10.0.0.2", "-", "",
					     "dns2 192.0.2.53", "-", "-", NULL});
	ifscript_args_free(a);

	/* down: no DNS arguments */
	s = v4_info(false);
	s.authname = "bob";
	s.peeraddr = "198.51.100.7";
	a = ifscript_args(&s);
	expect_args(a, (const char *const[]){"ppp0", "inet", "10.0.0.1/32", "10.0.0.2", "bob",
					     "198.51.100.7", "-", NULL});
	ifscript_args_free(a);
}

static void test_script_args_v6(void **state)
{
	(void)state;
	struct ifscript_info s = {.ifname = "ppp7", .family = AF_INET6, .up = true};
	inet_pton(AF_INET6, "fe80::1", &s.local6);
	inet_pton(AF_INET6, "fe80::a8bb:ccff:fedd:eeff", &s.peer6);
	s.authname = "carol";
	s.filterid = "f1";
	const char *const want[] = {"ppp7", "inet6", "fe80::1%ppp7", "fe80::a8bb:ccff:fedd:eeff%ppp7",
				    "carol", "-", "f1", NULL};
	char **a = ifscript_args(&s);
	expect_args(a, want);
	ifscript_args_free(a);
	s.up = false; /* down has the same arguments */
	a = ifscript_args(&s);
	expect_args(a, want);
	ifscript_args_free(a);
	s.family = AF_UNIX;
	assert_null(ifscript_args(&s));
}

static void test_cmdline_quoting(void **state)
{
	(void)state;
	char *args[] = {"ppp0", "it's", "", "$(x) `y` \"z\"", NULL};
	char *cmd = ifscript_cmdline("/etc/mpd5/up.sh extra", args);
	assert_string_equal(cmd, "/etc/mpd5/up.sh extra 'ppp0' 'it'\\''s' '' "
				 "'$(x) `y` \"z\"'");
	free(cmd);
}

static char *slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* A peer-chosen auth name reaches the script as one literal argument, never as shell code. */
static void test_script_injection(void **state)
{
	(void)state;
	char script[128], out[128], pwned[128], prog[300], authname[1024];
	snprintf(script, sizeof(script), "%s/up.sh", tmpdir);
	snprintf(out, sizeof(out), "%s/args", tmpdir);
	snprintf(pwned, sizeof(pwned), "%s/pwned", tmpdir);
	FILE *f = fopen(script, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\nfor a in \"$@\"; do printf '<%%s>\\n' \"$a\"; done > \"$OUT\"\n");
	fclose(f);
	chmod(script, 0755);
	snprintf(prog, sizeof(prog), "OUT=%s %s", out, script);
	snprintf(authname, sizeof(authname),
		 "a; touch %s; '$(touch %s)' `touch %s` \"; touch %s\" \n touch %s",
		 pwned, pwned, pwned, pwned, pwned);

	struct ifscript_info s = v4_info(true);
	s.authname = authname;
	s.filterid = "x'y";
	struct event_base *base = event_base_new();
	struct result r = {.status = -100};
	assert_non_null(ifscript_run(base, prog, &s, 5000, on_done, &r));
	event_base_dispatch(base);
	event_base_free(base);
	assert_int_equal(r.status, 0);
	assert_int_equal(access(pwned, F_OK), -1);
	char want[2048];
	snprintf(want, sizeof(want), "<ppp0>\n<inet>\n<10.0.0.1/32>\n<10.0.0.2>\n<%s>\n<>\n<>\n<->\n<x'y>\n",
		 authname);
	assert_string_equal(slurp(out), want);
	unlink(out);
	unlink(script);
}

static void test_script_exit_status(void **state)
{
	(void)state;
	struct ifscript_info s = v4_info(false);
	struct event_base *base = event_base_new();
	struct result r = {.status = -100};
	assert_non_null(ifscript_run(base, "exit 2;", &s, 5000, on_done, &r));
	event_base_dispatch(base);
	assert_int_equal(r.status, 2);
	assert_null(ifscript_run(base, "", &s, 5000, on_done, &r));
	event_base_free(base);
}

/* Make pidfd_open fail as on kernels before 5.3, so proc falls back to SIGCHLD. */
static void deny_pidfd_open(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_pidfd_open, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {.len = sizeof(f) / sizeof(f[0]), .filter = f};
	assert_int_equal(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
	assert_int_equal(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog), 0);
	assert_int_equal(syscall(SYS_pidfd_open, getpid(), 0), -1);
	assert_int_equal(errno, ENOSYS);
}

static void test_sigchld_fallback(void **state)
{
	(void)state;
	deny_pidfd_open();
	test_exit_codes(state);
	test_timeout_kills_group(state);
	test_capture_line(state);
	test_cancel(state);
	test_many_at_once(state);
}

int main(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/mpdtproc.XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_exec_failure),
		cmocka_unit_test(test_timeout_kills_group),
		cmocka_unit_test(test_capture_line),
		cmocka_unit_test(test_io_conversation),
		cmocka_unit_test(test_fork_io),
		cmocka_unit_test(test_stdout_discarded),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_many_at_once),
		cmocka_unit_test(test_script_args_v4),
		cmocka_unit_test(test_script_args_v6),
		cmocka_unit_test(test_cmdline_quoting),
		cmocka_unit_test(test_script_injection),
		cmocka_unit_test(test_script_exit_status),
		/* last: the seccomp filter stays for the rest of the process */
		cmocka_unit_test(test_sigchld_fallback),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(tmpdir);
	return rc;
}
