#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/pbuf.h"

static void test_push_pull(void **state)
{
	(void)state;
	struct pbuf *b = pbuf_new(8, 16);
	assert_non_null(b);
	assert_int_equal(pbuf_append(b, "abcd", 4), 0);
	assert_non_null(pbuf_push(b, 8));
	assert_null(pbuf_push(b, 1)); /* headroom exhausted */
	assert_int_equal(b->len, 12);
	assert_non_null(pbuf_pull(b, 8));
	assert_memory_equal(b->data, "abcd", 4);
	assert_null(pbuf_pull(b, 5));
	assert_null(pbuf_put(b, 13)); /* tailroom is 12 */
	assert_non_null(pbuf_put(b, 12));
	pbuf_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_push_pull),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
