#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf/cmd.h"
#include "core/daemon.h"
#include "net/ippool.h"

/*
 * The dispatcher's output helpers live in conf/; weak stand-ins let this
 * test link on its own, and the real ones win once they are in libmpd.
 */
__attribute__((weak)) void cmd_printf(struct cmd_ctx *c, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (c->out != NULL)
		c->out(c->out_arg, buf);
}

__attribute__((weak)) int cmd_error(struct cmd_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	return CMD_ERR;
}

static struct in_addr ip(const char *s)
{
	struct in_addr a;
	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static struct in_addr ipn(uint32_t host)
{
	return (struct in_addr){.s_addr = htonl(host)};
}

static void expect_alloc(struct ippool *ps, const char *pool, const char *want)
{
	struct in_addr a;
	char got[INET_ADDRSTRLEN];
	assert_int_equal(ippool_alloc(ps, pool, &a), 0);
	inet_ntop(AF_INET, &a, got, sizeof(got));
	assert_string_equal(got, want);
}

static void expect_counts(struct ippool *ps, const char *pool, unsigned used, unsigned total)
{
	unsigned u = 99, t = 99;
	assert_int_equal(ippool_stat(ps, pool, &u, &t), 0);
	assert_int_equal(u, used);
	assert_int_equal(t, total);
}

static void test_add_and_duplicates(void **state)
{
	(void)state;
	struct ippool *ps = ippool_new();
	assert_int_equal(ippool_add(ps, "p", ip("10.0.0.1"), ip("10.0.0.10")), 10);
	expect_counts(ps, "p", 0, 10);
	/* .5-.10 are there already: only .11-.15 are new */
	assert_int_equal(ippool_add(ps, "p", ip("10.0.0.5"), ip("10.0.0.15")), 5);
	assert_int_equal(ippool_add(ps, "p", ip("10.0.0.1"), ip("10.0.0.15")), 0);
	expect_counts(ps, "p", 0, 15);
	/* a single address range is fine */
	assert_int_equal(ippool_add(ps, "q", ip("192.168.1.1"), ip("192.168.1.1")), 1);
	expect_counts(ps, "q", 0, 1);
	unsigned u, t;
	assert_int_equal(ippool_stat(ps, "nope", &u, &t), -ENOENT);
	ippool_destroy(ps);
}

static void test_insertion_order(void **state)
{
	(void)state;
	struct ippool *ps = ippool_new();
	assert_int_equal(ippool_add(ps, "o", ip("10.1.0.10"), ip("10.1.0.12")), 3);
	assert_int_equal(ippool_add(ps, "o", ip("10.1.0.1"), ip("10.1.0.2")), 2);
	expect_alloc(ps, "o", "10.1.0.10");
	expect_alloc(ps, "o", "10.1.0.11");
	expect_alloc(ps, "o", "10.1.0.12");
	expect_alloc(ps, "o", "10.1.0.1");
	expect_alloc(ps, "o", "10.1.0.2");
	expect_counts(ps, "o", 5, 5);
	ippool_destroy(ps);
}

static void test_exhaustion_and_unknown(void **state)
{
	(void)state;
	struct ippool *ps = ippool_new();
	struct in_addr a;
	assert_int_equal(ippool_alloc(ps, "x", &a), -ENOENT);
	assert_int_equal(ippool_add(ps, "x", ip("10.2.0.1"), ip("10.2.0.2")), 2);
	expect_alloc(ps, "x", "10.2.0.1");
	expect_alloc(ps, "x", "10.2.0.2");
	assert_int_equal(ippool_alloc(ps, "x", &a), -EADDRNOTAVAIL);
	assert_int_equal(ippool_alloc(ps, "x", &a), -EADDRNOTAVAIL);
	/* growing an exhausted pool makes the new addresses available */
	assert_int_equal(ippool_add(ps, "x", ip("10.2.0.3"), ip("10.2.0.3")), 1);
	expect_alloc(ps, "x", "10.2.0.3");
	ippool_destroy(ps);
}

static void test_free_and_realloc(void **state)
{
	(void)state;
	struct ippool *ps = ippool_new();
	assert_int_equal(ippool_add(ps, "f", ip("10.3.0.20"), ip("10.3.0.22")), 3);
	assert_int_equal(ippool_add(ps, "f", ip("10.3.0.1"), ip("10.3.0.3")), 3);
	for (int i = 0; i < 6; i++) {
		struct in_addr a;
		assert_int_equal(ippool_alloc(ps, "f", &a), 0);
	}
	/* freed in the "wrong" order: allocation still follows insertion order */
	assert_int_equal(ippool_free(ps, "f", ip("10.3.0.2")), 0);
	assert_int_equal(ippool_free(ps, "f", ip("10.3.0.21")), 0);
	expect_counts(ps, "f", 4, 6);
	expect_alloc(ps, "f", "10.3.0.21");
	expect_alloc(ps, "f", "10.3.0.2");
	/* double free, foreign address, unknown pool */
	assert_int_equal(ippool_free(ps, "f", ip("10.3.0.2")), 0);
	assert_int_equal(ippool_free(ps, "f", ip("10.3.0.2")), -EALREADY);
	assert_int_equal(ippool_free(ps, "f", ip("10.3.0.99")), -ENOENT);
	assert_int_equal(ippool_free(ps, "g", ip("10.3.0.1")), -ENOENT);
	expect_counts(ps, "f", 5, 6);
	ippool_destroy(ps);
}

static void count_one(const char *name, unsigned used, unsigned total, void *arg)
{
	(void)name;
	(void)used;
	(void)total;
	++*(int *)arg;
}

static int count_pools(struct ippool *ps)
{
	int n = 0;
	ippool_foreach(ps, count_one, &n);
	return n;
}

static void test_bad_ranges(void **state)
{
	(void)state;
	struct ippool *ps = ippool_new();
	assert_int_equal(ippool_add(ps, "b", ip("10.0.0.9"), ip("10.0.0.1")), -EINVAL);
	assert_int_equal(ippool_add(ps, "", ip("10.0.0.1"), ip("10.0.0.1")), -ENAMETOOLONG);
	assert_int_equal(ippool_add(ps, "0123456789abcdef", ip("10.0.0.1"), ip("10.0.0.1")),
			 -ENAMETOOLONG);
	assert_int_equal(ippool_add(ps, "b", ip("0.0.0.0"), ip("0.0.0.3")), -EDOM);
	assert_int_equal(ippool_add(ps, "b", ip("223.255.255.250"), ip("224.0.0.1")), -EDOM);
	assert_int_equal(ippool_add(ps, "b", ip("255.255.255.255"), ip("255.255.255.255")), -EDOM);
	/* failed adds create no pool */
	assert_int_equal(count_pools(ps), 0);
	assert_int_equal(ippool_add(ps, "0123456789abcde", ip("10.0.0.1"), ip("10.0.0.1")), 1);
	assert_int_equal(count_pools(ps), 1);
	assert_string_equal(ippool_strerror(-EDOM),
			    "range contains 0.0.0.0 or a multicast/reserved address");
	ippool_destroy(ps);
}

static void test_range_limit(void **state)
{
	(void)state;
	struct ippool *ps = ippool_new();
	assert_int_equal(ippool_add(ps, "big", ip("10.1.0.0"), ip("10.2.0.0")), -E2BIG);
	assert_int_equal(count_pools(ps), 0);
	assert_int_equal(ippool_add(ps, "big", ip("10.1.0.0"), ip("10.1.255.255")), 65536);
	expect_counts(ps, "big", 0, 65536);
	expect_alloc(ps, "big", "10.1.0.0");
	/* the pool may grow past 65536 by further commands */
	assert_int_equal(ippool_add(ps, "big", ip("10.1.255.0"), ip("10.2.0.255")), 256);
	expect_counts(ps, "big", 1, 65792);
	ippool_destroy(ps);
}

/* Reference model: a used flag per position, first free by scanning. */
static void test_10k_pattern(void **state)
{
	(void)state;
	enum { N = 10000 };
	struct ippool *ps = ippool_new();
	static bool used[N];
	memset(used, 0, sizeof(used));
	uint32_t base = 0x64400000; /* 100.64.0.0 */
	assert_int_equal(ippool_add(ps, "cgn", ipn(base), ipn(base + N - 1)), N);
	for (int i = 0; i < N; i++) {
		struct in_addr a;
		assert_int_equal(ippool_alloc(ps, "cgn", &a), 0);
		assert_int_equal(ntohl(a.s_addr), base + (uint32_t)i);
		used[i] = true;
	}
	srand(42);
	for (int round = 0; round < 20000; round++) {
		int i = rand() % N;
		if (used[i]) {
			assert_int_equal(ippool_free(ps, "cgn", ipn(base + (uint32_t)i)), 0);
			used[i] = false;
			continue;
		}
		int first = 0;
		while (used[first])
			first++;
		struct in_addr a;
		assert_int_equal(ippool_alloc(ps, "cgn", &a), 0);
		assert_int_equal(ntohl(a.s_addr), base + (uint32_t)first);
		used[first] = true;
	}
	unsigned u, t, want = 0;
	for (int i = 0; i < N; i++)
		want += used[i];
	assert_int_equal(ippool_stat(ps, "cgn", &u, &t), 0);
	assert_int_equal(u, want);
	assert_int_equal(t, N);
	ippool_destroy(ps);
}

/* 262144 allocs and frees: a linear scan per allocation would take minutes. */
static void test_scale(void **state)
{
	(void)state;
	enum { N = 4 * 65536 };
	struct ippool *ps = ippool_new();
	for (uint32_t k = 0; k < 4; k++)
		assert_int_equal(ippool_add(ps, "s", ipn(0x0a000000 + k * 65536),
					    ipn(0x0a000000 + k * 65536 + 65535)), 65536);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t i = 0; i < N; i++) {
			struct in_addr a;
			assert_int_equal(ippool_alloc(ps, "s", &a), 0);
			assert_int_equal(ntohl(a.s_addr), 0x0a000000 + i);
		}
		/* free from the top down: each free is the new smallest */
		for (uint32_t i = N; i-- > 0;)
			assert_int_equal(ippool_free(ps, "s", ipn(0x0a000000 + i)), 0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(secs < 3.0);
	ippool_destroy(ps);
}

static char show_buf[1024];

static void show_out(void *arg, const char *s)
{
	(void)arg;
	strncat(show_buf, s, sizeof(show_buf) - strlen(show_buf) - 1);
}

static void test_commands(void **state)
{
	(void)state;
	struct daemon d;
	memset(&d, 0, sizeof(d));
	struct cmd_ctx c = {.d = &d, .priv = PRIV_ADMIN, .out = show_out};
	const struct cmd *add = &ippool_set_cmds[0];
	assert_string_equal(add->name, "add");
	assert_int_equal(add->ctx, CTX_GLOBAL);
	assert_int_equal(add->priv, PRIV_ADMIN);
	assert_null(ippool_set_cmds[1].name);

	char *ok[] = {"pool1", "10.9.0.1", "10.9.0.4"};
	assert_int_equal(add->fn(&c, 3, ok, add->arg), CMD_OK);
	assert_non_null(d.pools);
	char *ok2[] = {"pool2", "10.8.0.1", "10.8.0.1"};
	assert_int_equal(add->fn(&c, 3, ok2, add->arg), CMD_OK);
	char *bad_ip[] = {"pool1", "10.9.0.1", "10.9.0"};
	assert_int_equal(add->fn(&c, 3, bad_ip, add->arg), CMD_ERR);
	assert_string_equal(c.err, "bad IPv4 address \"10.9.0\"");
	char *bad_range[] = {"pool1", "10.9.0.9", "10.9.0.1"};
	assert_int_equal(add->fn(&c, 3, bad_range, add->arg), CMD_ERR);
	assert_string_equal(c.err, "first address is above the last");
	assert_int_equal(add->fn(&c, 2, ok, add->arg), CMD_USAGE);

	struct in_addr a;
	assert_int_equal(ippool_alloc(d.pools, "pool1", &a), 0);
	show_buf[0] = '\0';
	assert_int_equal(ippool_cmd_show(&c, 0, NULL, NULL), CMD_OK);
	assert_string_equal(show_buf, "Available IP pools:\n"
				      "\tpool1           used     1 of     4\n"
				      "\tpool2           used     0 of     1\n");
	ippool_destroy(d.pools);

	/* no pool configured yet: just the header */
	struct daemon empty;
	memset(&empty, 0, sizeof(empty));
	c.d = &empty;
	show_buf[0] = '\0';
	assert_int_equal(ippool_cmd_show(&c, 0, NULL, NULL), CMD_OK);
	assert_string_equal(show_buf, "Available IP pools:\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_duplicates),
		cmocka_unit_test(test_insertion_order),
		cmocka_unit_test(test_exhaustion_and_unknown),
		cmocka_unit_test(test_free_and_realloc),
		cmocka_unit_test(test_bad_ranges),
		cmocka_unit_test(test_range_limit),
		cmocka_unit_test(test_10k_pattern),
		cmocka_unit_test(test_scale),
		cmocka_unit_test(test_commands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
