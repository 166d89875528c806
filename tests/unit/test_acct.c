/* aaa/acct: the Acct-Terminate-Cause map (radius.md §2.4), the gigaword split (RFC 2869 §5.1,
 * divisor 2^32), and the dispatcher's promises: answers from the loop, never after a forget. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aaa/acct.h"
#include "core/daemon.h"

static void test_terminate_cause(void **state)
{
	(void)state;
	static const struct {
		const char *reason;
		unsigned cause;
	} rows[] = {
		{NULL, 10},                         /* none recorded: NAS-Request */
		{"", 10},
		{"Manual", 6},                      /* Admin-Reset */
		{"Peer disconnect", 1},             /* User-Request */
		{"Admin shutdown", 7},              /* Admin-Reboot */
		{"Fatal shutdown", 11},             /* NAS-Reboot */
		{"Idle timeout", 4},
		{"Session timeout", 5},
		{"Dropped", 2},                     /* Lost-Carrier */
		{"Dropped: carrier lost", 2},
		{"Echo timeout", 3},                /* Lost-Service */
		{"Protocol error", 15},             /* Service-Unavailable */
		{"Login failed", 17},               /* User-Error */
		{"Decreased demand", 12},           /* Port-Unneeded */
		{"PADT received", 8},               /* anything else: Port-Error */
		{"Accounting failed", 8},
		{"Manually closed", 8},             /* the first word must match whole */
		{"manual", 6},                      /* mpd5 compares without case */
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		unsigned got = acct_terminate_cause(rows[i].reason);
		if (got != rows[i].cause)
			fail_msg("\"%s\": cause %u, want %u", rows[i].reason ? rows[i].reason : "(null)", got,
				 rows[i].cause);
	}
}

static void test_split64(void **state)
{
	(void)state;
	static const struct {
		uint64_t v;
		uint32_t low, giga;
	} rows[] = {
		{0, 0, 0},
		{4294967295u, 4294967295u, 0},
		{4294967296u, 0, 1},                /* mpd5's 2^32-1 divisor would say 1 gigaword + 1 */
		{4294967296u + 5, 5, 1},
		{5 * 4294967296ull + 7, 7, 5},
		{UINT64_MAX, 0xffffffffu, 0xffffffffu},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint32_t low = 1, giga = 1;
		acct_split64(rows[i].v, &low, &giga);
		assert_int_equal(low, rows[i].low);
		assert_int_equal(giga, rows[i].giga);
		assert_true(((uint64_t)giga << 32 | low) == rows[i].v);
	}
}

static void test_status_names(void **state)
{
	(void)state;
	assert_string_equal(acct_status_name(ACCT_START), "START");
	assert_string_equal(acct_status_name(ACCT_STOP), "STOP");
	assert_string_equal(acct_status_name(ACCT_UPDATE), "UPDATE");
	assert_int_equal(ACCT_START, 1); /* wire values of Acct-Status-Type */
	assert_int_equal(ACCT_STOP, 2);
	assert_int_equal(ACCT_UPDATE, 3);
}

struct seen {
	int calls;
	struct acct_reply r;
};

static void on_done(const struct acct_reply *r, void *arg)
{
	struct seen *s = arg;
	s->calls++;
	s->r = *r;
}

/* No backend enabled: ok, from the loop, once; a forgotten request never calls back. */
static void test_dispatch_no_backend(void **state)
{
	(void)state;
	struct daemon d;
	memset(&d, 0, sizeof(d));
	d.base = event_base_new();
	assert_non_null(d.base);
	struct acct_record rec;
	memset(&rec, 0, sizeof(rec));
	rec.status = ACCT_START;
	snprintf(rec.link, sizeof(rec.link), "L1");
	struct seen s1 = {0}, s2 = {0};
	struct acct_pending *p1 = acct_send(&d, &rec, on_done, &s1);
	struct acct_pending *p2 = acct_send(&d, &rec, on_done, &s2);
	assert_non_null(p1);
	assert_non_null(p2);
	assert_int_equal(s1.calls, 0); /* never from inside acct_send */
	assert_int_equal(acct_in_flight(&d), 2);
	acct_forget(p2);
	event_base_loop(d.base, EVLOOP_NONBLOCK);
	assert_int_equal(s1.calls, 1);
	assert_true(s1.r.ok);
	assert_false(s1.r.drop_user);
	assert_int_equal(s2.calls, 0);
	assert_int_equal(acct_in_flight(&d), 0);
	acct_shutdown_wait(&d, 1000); /* nothing in flight: returns at once */
	acct_abort_all(&d);
	event_base_free(d.base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_terminate_cause),
		cmocka_unit_test(test_split64),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_dispatch_no_backend),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
