/* core/logins: counts per scope and name, exact and case-insensitive, that follow adds and removes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/logins.h"

static void test_scopes_and_case(void **state)
{
	(void)state;
	struct logins lc;
	int t1, t2; /* stand for two link templates */

	assert_int_equal(logins_init(&lc), 0);
	assert_int_equal(logins_count(&lc, &t1, "alice", false), 0);
	assert_int_equal(logins_add(&lc, &t1, "alice"), 0);
	assert_int_equal(logins_add(&lc, &t1, "Alice"), 0);
	assert_int_equal(logins_add(&lc, &t2, "alice"), 0);
	assert_int_equal(logins_add(&lc, NULL, "alice"), 0);
	assert_int_equal(logins_count(&lc, &t1, "alice", false), 1);
	assert_int_equal(logins_count(&lc, &t1, "ALICE", false), 0);
	assert_int_equal(logins_count(&lc, &t1, "ALICE", true), 2);
	assert_int_equal(logins_count(&lc, &t2, "alice", true), 1);
	assert_int_equal(logins_count(&lc, NULL, "alice", false), 1);
	assert_int_equal(logins_count(&lc, &t1, "bob", true), 0);
	/* Sessions going away lower the counts; a name never added is ignored. */
	logins_del(&lc, &t1, "alice");
	logins_del(&lc, &t1, "carol");
	assert_int_equal(logins_count(&lc, &t1, "alice", false), 0);
	assert_int_equal(logins_count(&lc, &t1, "alice", true), 1);
	assert_int_equal(logins_count(&lc, &t1, "Alice", false), 1);
	logins_del(&lc, &t1, "Alice");
	assert_int_equal(logins_count(&lc, &t1, "alice", true), 0);
	assert_int_equal(logins_count(&lc, &t2, "alice", false), 1);
	logins_free(&lc);
}

static void test_many(void **state)
{
	(void)state;
	enum { N = 20000 };
	struct logins lc;
	char name[32];
	int scope;

	assert_int_equal(logins_init(&lc), 0);
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "user%d", i % 1000);
		assert_int_equal(logins_add(&lc, &scope, name), 0);
	}
	assert_int_equal(logins_count(&lc, &scope, "user7", false), N / 1000);
	assert_int_equal(logins_count(&lc, &scope, "USER7", true), N / 1000);
	for (int i = 0; i < N / 2; i++) {
		snprintf(name, sizeof(name), "user%d", i % 1000);
		logins_del(&lc, &scope, name);
	}
	assert_int_equal(logins_count(&lc, &scope, "user7", false), N / 2000);
	logins_free(&lc); /* frees the counts still held */
}

static void test_zeroed_is_empty(void **state)
{
	(void)state;
	struct logins lc;

	memset(&lc, 0, sizeof(lc));
	assert_int_equal(logins_count(&lc, NULL, "x", true), 0);
	logins_del(&lc, NULL, "x");
	assert_int_equal(logins_add(&lc, NULL, "x"), -1);
	logins_free(&lc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scopes_and_case),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_zeroed_is_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
