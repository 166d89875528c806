/* mpd.secret: matching rules, ranges, !program passwords, caching (commands.md §4.2). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "aaa/auth_prog.h"
#include "conf/secret.h"
#include "core/log.h"

static char dir[64], path[128];

static void write_secret(const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void set_mtime(time_t when)
{
	struct timespec ts[2] = {{when, 0}, {when, 0}};
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_secret.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/mpd.secret", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

struct prog_out {
	bool done;
	bool ok;
	char pw[SECRET_MAX];
};

static void prog_done(const char *password, void *arg)
{
	struct prog_out *o = arg;
	o->done = true;
	o->ok = password != NULL;
	snprintf(o->pw, sizeof(o->pw), "%s", password != NULL ? password : "");
}

/* Run a `!program` as the daemon does: on a loop, never blocking it; NULL when it fails. */
static const char *run_prog(const char *cmd, const char *login, unsigned timeout_ms, size_t maxlen)
{
	static struct prog_out o;
	struct event_base *base = event_base_new();
	memset(&o, 0, sizeof(o));
	struct auth_prog *ap = auth_prog_start(base, cmd, login, timeout_ms, maxlen, prog_done, &o);
	assert_non_null(ap);
	assert_false(o.done); /* never from inside the start */
	while (!o.done)
		event_base_loop(base, EVLOOP_ONCE);
	event_base_dispatch(base); /* returns once a killed program has been reaped too */
	event_base_free(base);
	return o.ok ? o.pw : NULL;
}

static const char *pw(struct secret_file *sf, const char *login)
{
	static struct secret_entry e;
	if (secret_lookup(sf, login, &e) < 0)
		return NULL;
	return e.program ? run_prog(e.password, login, secret_timeout(sf), sizeof(e.password)) : e.password;
}

static void test_first_match(void **state)
{
	(void)state;
	write_secret("# users\n"
		     "alice   first\n"
		     "bob     \"two words\"\n"
		     "alice   second\n"
		     "lonely\n"
		     "\"\"     emptyname\n"
		     "Carol   \\x41\\sB\n"
		     "\tdave  \"\"\n"
		     "*       literal-never-matches\n");
	struct secret_file *sf = secret_open(path);
	assert_non_null(sf);
	assert_string_equal(pw(sf, "alice"), "first");
	assert_string_equal(pw(sf, "bob"), "two words");
	assert_string_equal(pw(sf, "Carol"), "A B");
	assert_null(pw(sf, "carol")); /* case-sensitive */
	assert_string_equal(pw(sf, "dave"), "");
	assert_null(pw(sf, "lonely")); /* fewer than two fields */
	assert_null(pw(sf, ""));       /* empty names never match */
	assert_null(pw(sf, "nobody")); /* `*` with a literal password */
	assert_null(pw(sf, "*"));
	assert_int_equal(secret_count(sf), 6);
	secret_free(sf);
}

static void test_star_program(void **state)
{
	(void)state;
	write_secret("early  e1\n"
		     "*      \"!echo pw-for\"\n"
		     "late   l1\n");
	struct secret_file *sf = secret_open(path);
	assert_string_equal(pw(sf, "early"), "e1");
	/* the program gets the login as its argument */
	assert_string_equal(pw(sf, "someone"), "pw-for someone");
	/* the `*` line comes first, so it wins over the later exact line */
	assert_string_equal(pw(sf, "late"), "pw-for late");
	/* a hostile login reaches the program as one argument, never as shell text */
	char evil[256];
	snprintf(evil, sizeof(evil), "x;touch %s/pwned;$(touch %s/pwned2)`touch %s/pwned3`", dir,
		 dir, dir);
	char want[300];
	snprintf(want, sizeof(want), "pw-for %s", evil);
	assert_string_equal(pw(sf, evil), want);
	char p2[128];
	snprintf(p2, sizeof(p2), "%s/pwned", dir);
	assert_int_equal(access(p2, F_OK), -1);
	snprintf(p2, sizeof(p2), "%s/pwned2", dir);
	assert_int_equal(access(p2, F_OK), -1);
	snprintf(p2, sizeof(p2), "%s/pwned3", dir);
	assert_int_equal(access(p2, F_OK), -1);
	secret_free(sf);
}

static void test_program_outputs(void **state)
{
	(void)state;
	write_secret("multi   \"!printf 'one\\\\ntwo\\\\n' #\"\n"
		     "crlf    \"!printf 'pw\\\\r\\\\n' #\"\n"
		     "none    \"!true\"\n"
		     "emptyln \"!echo '' #\"\n"
		     "fails   \"!echo pw; exit 3 #\"\n"
		     "missing \"!/nonexistent/program\"\n"
		     "big     \"!yes | head -c 300000; echo #\"\n"
		     "slow    \"!sleep 10 #\"\n"
		     "hang    \"!echo fast; sleep 10 #\"\n");
	struct secret_file *sf = secret_open(path);
	secret_set_timeout(sf, 2000); /* room for 300 kB of output on a loaded machine */
	assert_string_equal(pw(sf, "multi"), "one");
	assert_string_equal(pw(sf, "crlf"), "pw");
	assert_null(pw(sf, "none"));
	assert_null(pw(sf, "emptyln"));
	assert_null(pw(sf, "fails"));
	assert_null(pw(sf, "missing"));
	assert_string_equal(pw(sf, "big"), "y");

	struct timespec t0, t1;
	secret_set_timeout(sf, 300);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_null(pw(sf, "slow"));
	assert_null(pw(sf, "hang")); /* printed, but never finished */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(secs < 2.0);
	assert_true(secs >= 0.5);
	secret_free(sf);

	/* the runner directly */
	assert_string_equal(run_prog("echo", "abcdefghijk", 1000, 8), "abcdefg"); /* cut to the buffer */
}

static void test_ranges(void **state)
{
	(void)state;
	write_secret("a  pa  10.1.2.3\n"
		     "b  pb  10.1.0.0/16\n"
		     "c  pc  192.168.1.0/33\n"
		     "d  pd  some-host\n"
		     "e  pe  1.2.3.4/\n"
		     "f  pf  0.0.0.0/0 extra fields ignored\n");
	struct secret_file *sf = secret_open(path);
	struct secret_entry e;
	char ip[INET_ADDRSTRLEN];
	assert_int_equal(secret_lookup(sf, "a", &e), 0);
	assert_true(e.has_range);
	assert_string_equal(inet_ntop(AF_INET, &e.addr, ip, sizeof(ip)), "10.1.2.3");
	assert_int_equal(e.width, 32);
	assert_int_equal(secret_lookup(sf, "b", &e), 0);
	assert_string_equal(inet_ntop(AF_INET, &e.addr, ip, sizeof(ip)), "10.1.0.0");
	assert_int_equal(e.width, 16);
	assert_string_equal(e.password, "pb");
	/* unusable ranges refuse the user instead of leaving it unrestricted */
	assert_int_equal(secret_lookup(sf, "c", &e), -1);
	assert_int_equal(secret_lookup(sf, "d", &e), -1);
	assert_int_equal(secret_lookup(sf, "e", &e), -1);
	assert_int_equal(secret_lookup(sf, "f", &e), 0);
	assert_int_equal(e.width, 0);
	write_secret("g pg\n");
	assert_int_equal(secret_lookup(sf, "g", &e), 0);
	assert_false(e.has_range);
	secret_free(sf);
}

static void test_reload(void **state)
{
	(void)state;
	write_secret("u  old1\n");
	set_mtime(1000000);
	struct secret_file *sf = secret_open(path);
	assert_string_equal(pw(sf, "u"), "old1");

	/* same size and mtime: the cached copy is used (no re-parse per login) */
	write_secret("u  new1\n");
	set_mtime(1000000);
	assert_string_equal(pw(sf, "u"), "old1");
	/* explicit reload (SIGHUP) sees it */
	assert_int_equal(secret_reload(sf), 0);
	assert_string_equal(pw(sf, "u"), "new1");

	/* a changed mtime is noticed on the next lookup */
	write_secret("u  new2\n");
	set_mtime(2000000);
	assert_string_equal(pw(sf, "u"), "new2");

	/* the file disappears: nobody matches; it comes back: read again */
	assert_int_equal(unlink(path), 0);
	assert_null(pw(sf, "u"));
	assert_int_equal(secret_reload(sf), -1);
	write_secret("u  back\n");
	assert_string_equal(pw(sf, "u"), "back");
	secret_free(sf);

	assert_int_equal(secret_reload(NULL), -1);
	struct secret_entry e;
	assert_int_equal(secret_lookup(NULL, "u", &e), -1);
}

static void test_many_users(void **state)
{
	(void)state;
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	for (int i = 0; i < 20000; i++)
		fprintf(fp, "user%d pass%d 10.%d.%d.1\n", i, i, i / 256, i % 256);
	fprintf(fp, "user5 duplicate\n");
	fclose(fp);
	struct secret_file *sf = secret_open(path);
	struct secret_entry e;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int k = 0; k < 100000; k++) {
		char name[32];
		snprintf(name, sizeof(name), "user%d", (k * 7919) % 20000);
		assert_int_equal(secret_lookup(sf, name, &e), 0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(secs < 5.0); /* far below with the cache; a re-parse per login takes minutes */
	assert_int_equal(secret_lookup(sf, "user5", &e), 0);
	assert_string_equal(e.password, "pass5");
	assert_int_equal(secret_lookup(sf, "user20000", &e), -1);
	secret_free(sf);
}

/* The lookup never runs the program: it says the password comes from one, with the command. */
static void test_program_entry(void **state)
{
	(void)state;
	write_secret("x  \"!/usr/local/bin/getpw --db users\"\n"
		     "y  plain\n");
	struct secret_file *sf = secret_open(path);
	struct secret_entry e;
	secret_set_timeout(sf, 1234);
	assert_int_equal(secret_timeout(sf), 1234);
	assert_int_equal(secret_lookup(sf, "x", &e), 0);
	assert_true(e.program);
	assert_string_equal(e.password, "/usr/local/bin/getpw --db users"); /* without the ! */
	assert_int_equal(secret_lookup(sf, "y", &e), 0);
	assert_false(e.program);
	assert_string_equal(e.password, "plain");
	secret_free(sf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_match),
		cmocka_unit_test(test_star_program),
		cmocka_unit_test(test_program_outputs),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_reload),
		cmocka_unit_test(test_many_users),
		cmocka_unit_test(test_program_entry),
	};
	log_open("test", false);
	return cmocka_run_group_tests(tests, setup, teardown);
}
