/* Dial-on-demand packet classifier (commands.md §3.8). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "iface/iface_demand.h"

/* An IPv4 header (20 octets, no options) for proto with room for l4len transport octets. */
static size_t ip4(uint8_t *p, uint8_t proto, size_t l4len)
{
	size_t total = 20 + l4len;
	memset(p, 0, total);
	p[0] = 0x45;
	p[2] = (uint8_t)(total >> 8);
	p[3] = (uint8_t)total;
	p[8] = 64;
	p[9] = proto;
	p[12] = 10, p[15] = 1;
	p[16] = 10, p[19] = 2;
	return total;
}

static enum demand_class classify(const uint8_t *p, size_t len, const char *want_why)
{
	const char *why = NULL;
	enum demand_class c = demand_classify(p, len, &why);
	assert_non_null(why);
	if (want_why != NULL)
		assert_string_equal(why, want_why);
	return c;
}

static void test_icmp(void **state)
{
	(void)state;
	uint8_t p[64];
	size_t n = ip4(p, 1, 8);
	p[20] = 8; /* echo request */
	assert_int_equal(classify(p, n, "ICMP"), DEMAND_YES);
	p[20] = 0;
	assert_int_equal(classify(p, n, "ICMP echo-reply"), DEMAND_NO);
	p[20] = 3;
	assert_int_equal(classify(p, n, "ICMP unreachable"), DEMAND_NO);
	p[20] = 5;
	assert_int_equal(classify(p, n, "ICMP redirect"), DEMAND_NO);
	p[20] = 11; /* time exceeded is not among the exceptions */
	assert_int_equal(classify(p, n, NULL), DEMAND_YES);
}

static void test_igmp(void **state)
{
	(void)state;
	uint8_t p[64];
	size_t n = ip4(p, 2, 8);
	assert_int_equal(classify(p, n, "IGMP"), DEMAND_NO);
	p[6] = 0x20; /* even a later fragment of IGMP is not demand */
	p[7] = 0x10;
	assert_int_equal(classify(p, n, "IGMP"), DEMAND_NO);
}

static void test_udp(void **state)
{
	(void)state;
	uint8_t p[64];
	size_t n = ip4(p, 17, 8);
	p[22] = 0, p[23] = 53;
	assert_int_equal(classify(p, n, "UDP"), DEMAND_YES);
	p[22] = 0, p[23] = 123;
	assert_int_equal(classify(p, n, "UDP to NTP"), DEMAND_NO);
	p[20] = 0, p[21] = 123, p[23] = 53; /* from the NTP port is fine */
	assert_int_equal(classify(p, n, "UDP"), DEMAND_YES);
}

static void test_tcp(void **state)
{
	(void)state;
	uint8_t p[64];
	size_t n = ip4(p, 6, 20);
	p[32] = 0x50;
	p[33] = 0x02; /* SYN */
	assert_int_equal(classify(p, n, "TCP"), DEMAND_YES);
	p[33] = 0x14; /* RST+ACK */
	assert_int_equal(classify(p, n, "TCP RST"), DEMAND_NO);
	p[33] = 0x04;
	assert_int_equal(classify(p, n, "TCP RST"), DEMAND_NO);
}

static void test_options_and_fragments(void **state)
{
	(void)state;
	uint8_t p[80];
	size_t n = ip4(p, 6, 20);
	/* the same RST behind 8 octets of IP options */
	memmove(p + 28, p + 20, 20);
	memset(p + 20, 1, 8); /* NOPs */
	p[0] = 0x47;
	n += 8;
	p[3] = (uint8_t)n;
	p[41] = 0x04;
	assert_int_equal(classify(p, n, "TCP RST"), DEMAND_NO);
	/* a later fragment carries no transport header: it qualifies */
	n = ip4(p, 6, 4);
	p[6] = 0x00, p[7] = 0x10;
	assert_int_equal(classify(p, n, "IPv4 fragment"), DEMAND_YES);
}

static void test_other_and_ipv6(void **state)
{
	(void)state;
	uint8_t p[64];
	size_t n = ip4(p, 47, 4); /* GRE */
	assert_int_equal(classify(p, n, "IPv4"), DEMAND_YES);
	uint8_t v6[48] = {0x60};
	v6[6] = 58; /* ICMPv6: IPv6 always qualifies */
	assert_int_equal(classify(v6, sizeof(v6), "IPv6"), DEMAND_YES);
	v6[24] = 0xff, v6[25] = 0x02, v6[39] = 0x16; /* MLD report to ff02::16 */
	assert_int_equal(classify(v6, sizeof(v6), "IPv6 link-local multicast"), DEMAND_NO);
	v6[25] = 0x01; /* interface-local */
	assert_int_equal(classify(v6, sizeof(v6), "IPv6 link-local multicast"), DEMAND_NO);
	v6[25] = 0x0e; /* global-scope multicast qualifies */
	assert_int_equal(classify(v6, sizeof(v6), "IPv6"), DEMAND_YES);
	assert_int_equal(classify(v6, 39, "truncated IPv6 header"), DEMAND_BAD);
}

static void test_malformed(void **state)
{
	(void)state;
	uint8_t p[64];
	assert_int_equal(demand_classify(NULL, 0, NULL), DEMAND_BAD);
	assert_int_equal(classify(p, 0, "empty packet"), DEMAND_BAD);
	size_t n = ip4(p, 1, 8);
	assert_int_equal(classify(p, 19, "truncated IPv4 header"), DEMAND_BAD);
	p[0] = 0x44; /* IHL 16 */
	assert_int_equal(classify(p, n, "truncated IPv4 header"), DEMAND_BAD);
	p[0] = 0x4f; /* IHL 60 > 28 octets */
	assert_int_equal(classify(p, n, "truncated IPv4 header"), DEMAND_BAD);
	p[0] = 0x45;
	p[2] = 0, p[3] = 10; /* total length below the header */
	assert_int_equal(classify(p, n, "bad IPv4 total length"), DEMAND_BAD);
	p[3] = 20; /* ICMP with no type octet within total length */
	assert_int_equal(classify(p, n, "truncated ICMP"), DEMAND_BAD);
	n = ip4(p, 17, 3);
	assert_int_equal(classify(p, n, "truncated UDP"), DEMAND_BAD);
	n = ip4(p, 6, 13);
	assert_int_equal(classify(p, n, "truncated TCP"), DEMAND_BAD);
	/* a total length beyond what was read: judged on the bytes there */
	n = ip4(p, 17, 8);
	p[2] = 0x05;
	p[23] = 123;
	assert_int_equal(classify(p, n, "UDP to NTP"), DEMAND_NO);
	p[0] = 0x20;
	assert_int_equal(classify(p, n, "not IP"), DEMAND_BAD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_icmp),
		cmocka_unit_test(test_igmp),
		cmocka_unit_test(test_udp),
		cmocka_unit_test(test_tcp),
		cmocka_unit_test(test_options_and_fragments),
		cmocka_unit_test(test_other_and_ipv6),
		cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
