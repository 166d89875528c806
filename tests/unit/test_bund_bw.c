/* Bandwidth management: the sampler ring and the §3.9 decision rule. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "bund/bund_bw.h"

#define BPS 200000 /* one link's `set link bandwidth` */
#define T0 1000000 /* a monotonic "now" well after boot, ms */

/* n one-second samples with the given octets each way and bw bit/s available. */
static void fill(struct bw_ring *r, int n, uint64_t in, uint64_t out, uint64_t bw)
{
	for (int i = 0; i < n; i++)
		bw_ring_add(r, in, out, bw, 1000);
}

static struct bw_input input(unsigned nlinks, uint64_t last_add, uint64_t last_remove)
{
	struct bw_input in = {
		.nlinks = nlinks, .lowat = 20, .hiwat = 80, .min_con = 5, .min_dis = 10,
		.now_ms = T0, .last_add_ms = last_add, .last_remove_ms = last_remove,
	};
	return in;
}

static void test_util_average(void **state)
{
	(void)state;
	struct bw_ring r;
	unsigned in, out;
	bw_ring_reset(&r);
	bw_ring_util(&r, &in, &out);
	assert_int_equal(in, 0);
	assert_int_equal(out, 0);
	/* 200 kbit/s link: 25000 octets/s is 100%; 5000 is 20% */
	bw_ring_add(&r, 25000, 5000, BPS, 1000);
	bw_ring_util(&r, &in, &out);
	assert_int_equal(in, 100);
	assert_int_equal(out, 20);
	bw_ring_add(&r, 0, 5000, BPS, 1000); /* the average covers both intervals */
	bw_ring_util(&r, &in, &out);
	assert_int_equal(in, 50);
	assert_int_equal(out, 20);
	assert_int_equal(r.count, 2);
}

static void test_ring_keeps_six(void **state)
{
	(void)state;
	struct bw_ring r;
	unsigned in, out;
	bw_ring_reset(&r);
	fill(&r, 6, 25000, 25000, BPS);
	fill(&r, 6, 0, 0, BPS); /* six idle samples push the busy ones out */
	bw_ring_util(&r, &in, &out);
	assert_int_equal(r.count, BW_RING_SLOTS);
	assert_int_equal(in, 0);
	assert_int_equal(out, 0);
	fill(&r, 3, 25000, 0, BPS); /* half the window busy */
	bw_ring_util(&r, &in, &out);
	assert_int_equal(in, 50);
}

static void test_capacity_weighs_bandwidth(void **state)
{
	(void)state;
	struct bw_ring r;
	unsigned in, out;
	bw_ring_reset(&r);
	bw_ring_add(&r, 25000, 0, 2 * BPS, 1000); /* two links: the same traffic is 50% */
	bw_ring_util(&r, &in, &out);
	assert_int_equal(in, 50);
	bw_ring_reset(&r);
	bw_ring_add(&r, 1200, 0, 0, 1000); /* no bandwidth known: counted as 9600 bit/s */
	bw_ring_util(&r, &in, &out);
	assert_int_equal(in, 100);
	bw_ring_reset(&r);
	bw_ring_add(&r, 25000, 0, BPS, 0); /* a zero-length interval divides by nothing */
	bw_ring_util(&r, &in, &out);
	assert_int_equal(in, 0);
	bw_ring_reset(&r);
	bw_ring_add(&r, UINT64_MAX, UINT64_MAX, UINT64_MAX, 1000); /* absurd counters don't wrap */
	bw_ring_util(&r, &in, &out);
	assert_true(in <= 100000);
}

static void test_open_at_hiwat(void **state)
{
	(void)state;
	struct bw_ring r;
	struct bw_verdict v;
	bw_ring_reset(&r);
	fill(&r, 6, 20000, 0, BPS); /* 80% in, exactly hiwat */
	struct bw_input in = input(1, T0 - 6000, 0);
	assert_int_equal(bw_decide(&r, &in, &v), BW_OPEN);
	assert_int_equal(v.action, BW_OPEN);
	assert_int_equal(v.util_in, 80);
	assert_non_null(strstr(v.reason, "hiwat"));
	/* either direction triggers */
	bw_ring_reset(&r);
	fill(&r, 6, 0, 24000, BPS);
	assert_int_equal(bw_decide(&r, &in, &v), BW_OPEN);
	/* one below the mark does not */
	bw_ring_reset(&r);
	fill(&r, 6, 19750, 19750, BPS);
	assert_int_equal(bw_decide(&r, &in, &v), BW_NONE);
	assert_int_equal(v.util_in, 79);
}

static void test_min_con(void **state)
{
	(void)state;
	struct bw_ring r;
	struct bw_verdict v;
	bw_ring_reset(&r);
	fill(&r, 6, 25000, 25000, BPS);
	struct bw_input in = input(1, T0 - 2000, 0); /* a link was added 2 s ago, min-con 5 */
	assert_int_equal(bw_decide(&r, &in, &v), BW_NONE);
	assert_non_null(strstr(v.reason, "min-con: 3s"));
	in.last_add_ms = T0 - 5000; /* exactly min-con */
	assert_int_equal(bw_decide(&r, &in, &v), BW_OPEN);
	in.last_add_ms = 0; /* never added */
	assert_int_equal(bw_decide(&r, &in, &v), BW_OPEN);
	in.nconnecting = 1; /* one on its way up: wait for it */
	assert_int_equal(bw_decide(&r, &in, &v), BW_NONE);
	assert_non_null(strstr(v.reason, "connecting"));
}

static void test_close_at_lowat(void **state)
{
	(void)state;
	struct bw_ring r;
	struct bw_verdict v;
	bw_ring_reset(&r);
	fill(&r, 6, 9000, 9000, 2 * BPS); /* 18% of two links each way */
	struct bw_input in = input(2, T0 - 60000, 0);
	assert_int_equal(bw_decide(&r, &in, &v), BW_CLOSE);
	assert_non_null(strstr(v.reason, "lowat"));
	in.nlinks = 1; /* never the last link */
	assert_int_equal(bw_decide(&r, &in, &v), BW_NONE);
	in.nlinks = 2;
	in.last_remove_ms = T0 - 9000; /* min-dis 10 s not passed */
	assert_int_equal(bw_decide(&r, &in, &v), BW_NONE);
	assert_non_null(strstr(v.reason, "min-dis: 1s"));
	in.last_remove_ms = T0 - 10000;
	assert_int_equal(bw_decide(&r, &in, &v), BW_CLOSE);
	/* both directions must be low */
	bw_ring_reset(&r);
	fill(&r, 6, 0, 12000, 2 * BPS); /* out 24% */
	assert_int_equal(bw_decide(&r, &in, &v), BW_NONE);
	assert_non_null(strstr(v.reason, "within"));
}

static void test_no_samples(void **state)
{
	(void)state;
	struct bw_ring r;
	struct bw_verdict v;
	bw_ring_reset(&r);
	struct bw_input in = input(2, 0, 0);
	assert_int_equal(bw_decide(&r, &in, &v), BW_NONE);
	fill(&r, 1, 0, 0, BPS);
	in.nlinks = 0; /* nothing joined: nothing to decide */
	assert_int_equal(bw_decide(&r, &in, &v), BW_NONE);
	assert_string_equal(bw_action_name(BW_OPEN), "open");
	assert_string_equal(bw_action_name(BW_CLOSE), "close");
	assert_string_equal(bw_action_name(BW_NONE), "none");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_util_average),
		cmocka_unit_test(test_ring_keeps_six),
		cmocka_unit_test(test_capacity_weighs_bandwidth),
		cmocka_unit_test(test_open_at_hiwat),
		cmocka_unit_test(test_min_con),
		cmocka_unit_test(test_close_at_lowat),
		cmocka_unit_test(test_no_samples),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
