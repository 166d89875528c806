/* aaa/auth: verdicts arrive later, from the loop, exactly once, and never after a cancel. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/stat.h>
#include <time.h>

#include "aaa/auth.h"
#include "conf/secret.h"
#include "core/daemon.h"
#include "core/log.h"
#include "ppp/chap.h"

static char dir[64], path[128];
static struct daemon d;

struct seen {
	int calls;
	struct auth_result r;
};

static void on_done(const struct auth_result *r, void *arg)
{
	struct seen *s = arg;
	s->calls++;
	s->r = *r;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_auth.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/mpd.secret", dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("alice  secret1  10.0.0.5\n"
	      "slow   \"!sleep 0.3; echo slowpw #\"\n"
	      "hang   \"!sleep 10 #\"\n", fp);
	fclose(fp);
	memset(&d, 0, sizeof(d));
	d.base = event_base_new();
	d.secrets = secret_open(path);
	return d.base != NULL && d.secrets != NULL ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	event_base_dispatch(d.base); /* until every killed program has been reaped */
	secret_free(d.secrets);
	event_base_free(d.base);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct auth_request pap(const char *name, const char *password)
{
	struct auth_request q = {.method = AUTH_PAP, .backends = 1u << AOPT_INTERNAL};
	snprintf(q.name, sizeof(q.name), "%s", name);
	snprintf(q.peer_name, sizeof(q.peer_name), "%s", name);
	snprintf(q.password, sizeof(q.password), "%s", password);
	snprintf(q.link_name, sizeof(q.link_name), "L1");
	return q;
}

static void run_until(struct seen *s, int calls)
{
	for (int i = 0; i < 1000 && s->calls < calls; i++)
		event_base_loop(d.base, EVLOOP_ONCE);
}

static void test_internal_never_synchronous(void **state)
{
	(void)state;
	struct seen s = {0};
	struct auth_request q = pap("alice", "secret1");
	struct auth_pending *p = auth_start(&d, &q, on_done, &s);
	assert_non_null(p);
	assert_int_equal(s.calls, 0); /* not from inside auth_start */
	event_base_loop(d.base, EVLOOP_ONCE);
	assert_int_equal(s.calls, 1); /* once the loop runs */
	assert_true(s.r.ok);
	assert_string_equal(s.r.msg, "Welcome");
	assert_true(s.r.peer_range_set);
	assert_int_equal(s.r.peer_range_width, 32);
	assert_int_equal(s.r.session_timeout, AUTH_UNSET_U32);
	assert_int_equal(s.r.mtu, AUTH_UNSET_U32);
	assert_string_equal(s.r.pool, "");
	event_base_loop(d.base, EVLOOP_NONBLOCK);
	assert_int_equal(s.calls, 1); /* at most once */

	struct seen bad = {0};
	q = pap("alice", "wrong");
	assert_non_null(auth_start(&d, &q, on_done, &bad));
	assert_int_equal(bad.calls, 0);
	run_until(&bad, 1);
	assert_false(bad.r.ok);
	assert_string_equal(bad.r.msg, "Login incorrect");

	struct seen unknown = {0};
	q = pap("nobody", "x");
	assert_non_null(auth_start(&d, &q, on_done, &unknown));
	assert_int_equal(unknown.calls, 0);
	run_until(&unknown, 1);
	assert_false(unknown.r.ok);

	/* internal disabled: nobody is known */
	struct seen off = {0};
	q = pap("alice", "secret1");
	q.backends = 0;
	assert_non_null(auth_start(&d, &q, on_done, &off));
	run_until(&off, 1);
	assert_false(off.r.ok);
}

static void test_cancel_suppresses(void **state)
{
	(void)state;
	struct seen s = {0}, other = {0};
	struct auth_request q = pap("alice", "secret1");
	struct auth_pending *p = auth_start(&d, &q, on_done, &s);
	assert_non_null(auth_start(&d, &q, on_done, &other));
	auth_cancel(p);
	run_until(&other, 1);
	for (int i = 0; i < 5; i++)
		event_base_loop(d.base, EVLOOP_NONBLOCK);
	assert_int_equal(s.calls, 0);
	assert_int_equal(other.calls, 1);
	auth_cancel(NULL);
}

static void test_program_password(void **state)
{
	(void)state;
	struct seen s = {0}, plain = {0};
	struct auth_request q = pap("slow", "slowpw");
	assert_non_null(auth_start(&d, &q, on_done, &s));
	/* a plain login started after the program one is answered first: the loop is not blocked */
	struct auth_request q2 = pap("alice", "secret1");
	assert_non_null(auth_start(&d, &q2, on_done, &plain));
	run_until(&plain, 1);
	assert_int_equal(plain.calls, 1);
	assert_int_equal(s.calls, 0);
	run_until(&s, 1);
	assert_int_equal(s.calls, 1);
	assert_true(s.r.ok);

	/* a program past its limit fails the login */
	struct seen late = {0};
	secret_set_timeout(d.secrets, 200);
	q = pap("hang", "x");
	assert_non_null(auth_start(&d, &q, on_done, &late));
	run_until(&late, 1);
	assert_false(late.r.ok);
	secret_set_timeout(d.secrets, SECRET_PROG_TIMEOUT_MS);

	/* cancelled while the program runs: no callback, even after the program would have answered */
	struct seen gone = {0};
	q = pap("slow", "slowpw");
	struct auth_pending *p = auth_start(&d, &q, on_done, &gone);
	auth_cancel(p);
	struct timeval tv = {0, 500000};
	event_base_loopexit(d.base, &tv);
	event_base_dispatch(d.base);
	assert_int_equal(gone.calls, 0);
}

/* SIGHUP re-reads mpd.secret under a pending check: it finishes with the entry it started with. */
static void test_reload_while_pending(void **state)
{
	(void)state;
	struct seen s = {0};
	struct auth_request q = pap("slow", "slowpw");
	assert_non_null(auth_start(&d, &q, on_done, &s));
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("alice  other\n", fp);
	fclose(fp);
	assert_int_equal(secret_reload(d.secrets), 0);
	run_until(&s, 1);
	assert_int_equal(s.calls, 1);
	assert_true(s.r.ok);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("alice  secret1  10.0.0.5\n"
	      "slow   \"!sleep 0.3; echo slowpw #\"\n"
	      "hang   \"!sleep 10 #\"\n", fp);
	fclose(fp);
	assert_int_equal(secret_reload(d.secrets), 0);
}

static int own_calls;
static char own_pw[AUTH_MAXPASS];
static void on_own(const struct auth_own *own, void *arg)
{
	(void)arg;
	own_calls++;
	snprintf(own_pw, sizeof(own_pw), "%s", own != NULL ? own->password : "(none)");
}

static void test_own_credentials(void **state)
{
	(void)state;
	struct auth_own own;
	struct auth_pending *p;
	assert_int_equal(auth_own_credentials(&d, "", "", &own, on_own, NULL, &p), -1);
	assert_int_equal(auth_own_credentials(&d, "me", "given", &own, on_own, NULL, &p), 0);
	assert_string_equal(own.password, "given");
	assert_int_equal(auth_own_credentials(&d, "alice", "", &own, on_own, NULL, &p), 0);
	assert_string_equal(own.password, "secret1");
	assert_int_equal(auth_own_credentials(&d, "nobody", "", &own, on_own, NULL, &p), -1);
	/* from a program: later, through the callback */
	assert_int_equal(auth_own_credentials(&d, "slow", "", &own, on_own, NULL, &p), 1);
	assert_int_equal(own_calls, 0);
	for (int i = 0; i < 1000 && own_calls == 0; i++)
		event_base_loop(d.base, EVLOOP_ONCE);
	assert_int_equal(own_calls, 1);
	assert_string_equal(own_pw, "slowpw");
	/* and cancelled: never */
	assert_int_equal(auth_own_credentials(&d, "slow", "", &own, on_own, NULL, &p), 1);
	auth_cancel(p);
	struct timeval tv = {0, 500000};
	event_base_loopexit(d.base, &tv);
	event_base_dispatch(d.base);
	assert_int_equal(own_calls, 1);
}

/* ext-auth in the chain: its answers, the fall-through to mpd.secret, its time limit, a cancel. */
static void test_ext_chain(void **state)
{
	(void)state;
	char script[160];
	snprintf(script, sizeof(script), "%s/ext.sh", dir);
	FILE *fp = fopen(script, "w");
	assert_non_null(fp);
	fputs("#!/bin/sh\n"
	      "while IFS= read -r l; do [ -z \"$l\" ] && break; done\n"
	      "case \"$1\" in\n"
	      "extok) printf 'RESULT:SUCCESS\\nFRAMED_IP_ADDRESS:10.9.9.9\\nSESSION_TIMEOUT:77\\nREPLY_MESSAGE:hi\\n\\n' ;;\n"
	      "undef) printf 'RESULT:UNDEF\\nUSER_PASSWORD:pw2\\n\\n' ;;\n"
	      "hang) sleep 30 ;;\n"
	      "*) printf 'RESULT:FAIL\\nREPLY_MESSAGE:nope\\nFRAMED_IP_ADDRESS:10.6.6.6\\n\\n' ;;\n"
	      "esac\n", fp);
	fclose(fp);
	chmod(script, 0755);
	struct {
		const char *name, *pw;
		bool ok;
		const char *msg;
	} rows[] = {
		{"extok", "whatever", true, "hi"},
		{"undef", "pw2", true, "Welcome"},
		{"undef", "wrong", false, "Login incorrect"},
		{"alice", "secret1", true, "Welcome"}, /* FAIL falls through to mpd.secret */
		{"nobody", "x", false, "nope"},        /* refused by all: the program's text */
		{"o'brien", "x", false, "Login incorrect"}, /* never reaches the shell */
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct seen s = {0};
		struct auth_request q = pap(rows[i].name, rows[i].pw);
		q.backends |= 1u << AOPT_EXT_AUTH;
		snprintf(q.ext_script, sizeof(q.ext_script), "%s", script);
		q.timeout = 5;
		assert_non_null(auth_start(&d, &q, on_done, &s));
		assert_int_equal(s.calls, 0);
		run_until(&s, 1);
		assert_int_equal(s.calls, 1);
		assert_int_equal(s.r.ok, rows[i].ok);
		assert_string_equal(s.r.msg, rows[i].msg);
		if (i == 0) {
			assert_true(s.r.peer_range_set);
			assert_int_equal(s.r.peer_range.s_addr, htonl(0x0a090909));
			assert_int_equal(s.r.session_timeout, 77);
		}
		if (i == 3) /* mpd.secret's address, not the failing program's */
			assert_int_equal(s.r.peer_range.s_addr, htonl(0x0a000005));
	}
	/* a program that hangs is stopped at the request's timeout: refused */
	struct seen h = {0};
	struct auth_request q = pap("hang", "x");
	q.backends = 1u << AOPT_EXT_AUTH;
	snprintf(q.ext_script, sizeof(q.ext_script), "%s", script);
	q.timeout = 1;
	time_t t0 = time(NULL);
	assert_non_null(auth_start(&d, &q, on_done, &h));
	run_until(&h, 1);
	assert_int_equal(h.calls, 1);
	assert_false(h.r.ok);
	assert_true(time(NULL) - t0 <= 4);
	/* cancelled while the program runs: no callback, the program is killed (teardown reaps it) */
	struct seen c = {0};
	q.timeout = 30;
	struct auth_pending *p = auth_start(&d, &q, on_done, &c);
	assert_non_null(p);
	event_base_loop(d.base, EVLOOP_NONBLOCK);
	auth_cancel(p);
	struct timeval tv = {0, 300000};
	event_base_loopexit(d.base, &tv);
	event_base_dispatch(d.base);
	assert_int_equal(c.calls, 0);
	unlink(script);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_internal_never_synchronous),
		cmocka_unit_test(test_cancel_suppresses),
		cmocka_unit_test(test_program_password),
		cmocka_unit_test(test_reload_while_pending),
		cmocka_unit_test(test_own_credentials),
		cmocka_unit_test(test_ext_chain),
	};
	log_open("test", false);
	return cmocka_run_group_tests(tests, setup, teardown);
}
