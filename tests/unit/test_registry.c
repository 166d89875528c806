/* core/registry: lowest-slot reuse, handles that stop resolving, the name index, walks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/registry.h"

struct obj {
	char name[16];
};

static const char *obj_name(const void *o) { return ((const struct obj *)o)->name; }

static void test_slots_and_handles(void **state)
{
	(void)state;
	struct registry r;
	struct obj o[3] = {{"a"}, {"b"}, {"c"}};
	struct handle h[3];

	assert_int_equal(reg_init(&r, obj_name), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(reg_add(&r, &o[i], &h[i]), i);
	assert_ptr_equal(reg_resolve(&r, h[1]), &o[1]);
	reg_remove(&r, 1);
	assert_null(reg_resolve(&r, h[1]));
	assert_null(reg_find(&r, "b"));
	/* The freed slot is reused, but the old handle still names the old registration. */
	struct obj d = {"d"};
	struct handle hd;
	assert_int_equal(reg_add(&r, &d, &hd), 1);
	assert_null(reg_resolve(&r, h[1]));
	assert_ptr_equal(reg_resolve(&r, hd), &d);
	assert_false(handle_eq(hd, h[1]));
	assert_null(reg_resolve(&r, HANDLE_NONE));
	assert_ptr_equal(reg_find(&r, "d"), &d);
	assert_int_equal(reg_count(&r), 3);
	reg_free(&r);
}

static void test_growth_names_walk(void **state)
{
	(void)state;
	enum { N = 5000 };
	static struct obj o[N];
	static struct handle h[N];
	struct registry r;

	assert_int_equal(reg_init(&r, obj_name), 0);
	for (int i = 0; i < N; i++) {
		snprintf(o[i].name, sizeof(o[i].name), "L%d", i);
		assert_int_equal(reg_add(&r, &o[i], &h[i]), i);
	}
	for (int i = 0; i < N; i += 7)
		assert_ptr_equal(reg_find(&r, o[i].name), &o[i]);
	/* Remove every odd one while walking: the walk still sees each object once. */
	unsigned cur = 0, seen = 0;
	for (struct obj *x; (x = reg_next(&r, &cur)) != NULL; seen++)
		if ((x - o) % 2)
			reg_remove(&r, (unsigned)(x - o));
	assert_int_equal(seen, N);
	assert_int_equal(reg_count(&r), N / 2);
	/* Lowest free slot first. */
	struct obj extra = {"x"};
	assert_int_equal(reg_add(&r, &extra, NULL), 1);
	/* Renaming keeps the index right. */
	strcpy(o[2].name, "renamed");
	reg_renamed(&r, 2);
	assert_ptr_equal(reg_find(&r, "renamed"), &o[2]);
	assert_null(reg_find(&r, "L2"));
	assert_ptr_equal(reg_resolve(&r, h[4998]), &o[4998]);
	assert_null(reg_resolve(&r, h[4999]));
	reg_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slots_and_handles),
		cmocka_unit_test(test_growth_names_walk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
