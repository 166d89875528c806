/* aaa/auth_attr: what Access-Accept attributes mean (radius.md §2.8) — address semantics,
 * Framed-MTU bounds, Framed-Route parsing, netmask routes, mpd-action, MS-CHAP values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "aaa/auth_attr.h"

static struct in_addr ip(const char *s)
{
	struct in_addr a;
	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static void test_addr_kind(void **state)
{
	(void)state;
	assert_int_equal(auth_addr_kind(ip("10.0.0.7")), AUTH_ADDR_EXACT);
	assert_int_equal(auth_addr_kind(ip("255.255.255.254")), AUTH_ADDR_NAS_CHOOSES);
	assert_int_equal(auth_addr_kind(ip("255.255.255.255")), AUTH_ADDR_PEER_CHOOSES);
	assert_int_equal(auth_addr_kind(ip("0.0.0.0")), AUTH_ADDR_INVALID);
	assert_int_equal(auth_addr_kind(ip("127.0.0.1")), AUTH_ADDR_INVALID);
	assert_int_equal(auth_addr_kind(ip("224.0.0.1")), AUTH_ADDR_INVALID);
	assert_int_equal(auth_addr_kind(ip("255.255.255.253")), AUTH_ADDR_INVALID);
}

static void test_mtu_bounds(void **state)
{
	(void)state;
	assert_false(auth_mtu_ok(295));
	assert_true(auth_mtu_ok(296));
	assert_true(auth_mtu_ok(1400));
	assert_true(auth_mtu_ok(65536));
	assert_false(auth_mtu_ok(65537));
	assert_false(auth_mtu_ok(0));
	assert_false(auth_mtu_ok(UINT32_MAX));
	/* an upper bound: lowers, never raises; an unusable value changes nothing */
	assert_int_equal(auth_mtu_cap(1492, 1400), 1400);
	assert_int_equal(auth_mtu_cap(1492, 9000), 1492);
	assert_int_equal(auth_mtu_cap(1492, 100), 1492);
	assert_int_equal(auth_mtu_cap(1492, 296), 296);
}

static void test_route_parse(void **state)
{
	(void)state;
	struct auth_route4 r;
	char a[INET_ADDRSTRLEN];
	assert_int_equal(auth_route_parse("192.168.5.0/24", &r), 0);
	assert_string_equal(inet_ntop(AF_INET, &r.dest, a, sizeof(a)), "192.168.5.0");
	assert_int_equal(r.width, 24);
	/* gateway and metric are accepted (the route goes via the peer anyway) */
	assert_int_equal(auth_route_parse("10.1.2.3/16 0.0.0.0 1", &r), 0);
	assert_string_equal(inet_ntop(AF_INET, &r.dest, a, sizeof(a)), "10.1.0.0");
	assert_int_equal(r.width, 16);
	assert_int_equal(auth_route_parse("  172.16.0.0/12\t10.0.0.1 ", &r), 0);
	assert_int_equal(r.width, 12);
	assert_int_equal(auth_route_parse("0.0.0.0/0", &r), 0);
	assert_int_equal(r.width, 0);
	assert_int_equal(r.dest.s_addr, 0);
	/* malformed */
	assert_int_equal(auth_route_parse("192.168.5.0", &r), -1);      /* no slash */
	assert_int_equal(auth_route_parse("192.168.5.0/33", &r), -1);
	assert_int_equal(auth_route_parse("192.168.5.0/", &r), -1);
	assert_int_equal(auth_route_parse("192.168.5.0/2x", &r), -1);
	assert_int_equal(auth_route_parse("192.168.500.0/24", &r), -1);
	assert_int_equal(auth_route_parse("10.0.0.0/8 gw", &r), -1);
	assert_int_equal(auth_route_parse("10.0.0.0/8 10.0.0.1 -1", &r), -1);
	assert_int_equal(auth_route_parse("10.0.0.0/8 10.0.0.1 1 extra", &r), -1);
	assert_int_equal(auth_route_parse("", &r), -1);
	char longs[300];
	memset(longs, '1', sizeof(longs) - 1);
	longs[sizeof(longs) - 1] = '\0';
	assert_int_equal(auth_route_parse(longs, &r), -1);
}

static void test_netmask(void **state)
{
	(void)state;
	struct auth_route4 r;
	char a[INET_ADDRSTRLEN];
	assert_int_equal(auth_mask_width(ip("255.255.255.0")), 24);
	assert_int_equal(auth_mask_width(ip("255.255.255.255")), 32);
	assert_int_equal(auth_mask_width(ip("0.0.0.0")), 0);
	assert_int_equal(auth_mask_width(ip("255.0.255.0")), -1);
	assert_int_equal(auth_netmask_route(ip("10.9.8.7"), ip("255.255.255.252"), &r), 1);
	assert_string_equal(inet_ntop(AF_INET, &r.dest, a, sizeof(a)), "10.9.8.4");
	assert_int_equal(r.width, 30);
	assert_int_equal(auth_netmask_route(ip("10.9.8.7"), ip("255.255.255.255"), &r), 0);
	/* no fixed address: nothing to route to */
	assert_int_equal(auth_netmask_route(ip("255.255.255.254"), ip("255.255.255.0"), &r), 0);
	assert_int_equal(auth_netmask_route(ip("10.9.8.7"), ip("255.0.255.0"), &r), -1);
}

static void test_action(void **state)
{
	(void)state;
	enum auth_action k;
	char t[32];
	assert_int_equal(auth_action_parse("bundle B2", &k, t, sizeof(t)), 0);
	assert_int_equal(k, AUTH_ACTION_BUNDLE);
	assert_string_equal(t, "B2");
	assert_int_equal(auth_action_parse("drop", &k, t, sizeof(t)), 0);
	assert_int_equal(k, AUTH_ACTION_DROP);
	assert_int_equal(auth_action_parse("forward L7", &k, t, sizeof(t)), 0);
	assert_int_equal(k, AUTH_ACTION_FORWARD);
	assert_string_equal(t, "L7");
	assert_int_equal(auth_action_parse("bundle", &k, t, sizeof(t)), -1);
	assert_int_equal(auth_action_parse("bundle a b", &k, t, sizeof(t)), -1);
	assert_int_equal(auth_action_parse("teleport x", &k, t, sizeof(t)), -1);
	assert_int_equal(auth_action_parse("bundle abcdefghij", &k, t, 5), -1);
}

static void test_ms_success(void **state)
{
	(void)state;
	const char *s = "S=0123456789ABCDEF0123456789abcdef01234567";
	uint8_t with_ident[43];
	char out[43];
	with_ident[0] = 7;
	memcpy(with_ident + 1, s, 42);
	assert_int_equal(auth_ms_success(with_ident, 43, out), 0);
	assert_string_equal(out, s);
	assert_int_equal(auth_ms_success((const uint8_t *)s, 42, out), 0);
	assert_string_equal(out, s);
	assert_int_equal(auth_ms_success((const uint8_t *)s, 41, out), -1);
	assert_int_equal(auth_ms_success((const uint8_t *)"E=691 R=0 C=00 V=3 M=xxxxxxxxxxxxxxxxxxxxxx", 42, out), -1);
	with_ident[20] = 'g';
	assert_int_equal(auth_ms_success(with_ident, 43, out), -1);
}

static void test_ms_error(void **state)
{
	(void)state;
	char t[64];
	unsigned code;
	const uint8_t nul[] = "\0E=691 R=0 C=0011 V=3 M=Authentication failed";
	auth_ms_error(nul, sizeof(nul) - 1, t, sizeof(t), &code);
	assert_string_equal(t, "E=691 R=0 C=0011 V=3 M=Authentication failed");
	assert_int_equal(code, 691);
	const uint8_t ident[] = "\x05" "E=649 R=0";
	auth_ms_error(ident, sizeof(ident) - 1, t, sizeof(t), &code);
	assert_string_equal(t, "E=649 R=0");
	assert_int_equal(code, 649);
	const uint8_t bare[] = "E=646 R=1";
	auth_ms_error(bare, sizeof(bare) - 1, t, sizeof(t), &code);
	assert_int_equal(code, 646);
	const uint8_t junk[] = "\x01garbage\x02";
	auth_ms_error(junk, sizeof(junk) - 1, t, sizeof(t), &code);
	assert_string_equal(t, "garbage");
	assert_int_equal(code, 691);
	auth_ms_error(NULL, 0, t, sizeof(t), &code);
	assert_string_equal(t, "");
	assert_int_equal(code, 691);
	/* truncated to the buffer, still terminated */
	char small[6];
	auth_ms_error(bare, sizeof(bare) - 1, small, sizeof(small), &code);
	assert_string_equal(small, "E=646");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr_kind),   cmocka_unit_test(test_mtu_bounds),
		cmocka_unit_test(test_route_parse), cmocka_unit_test(test_netmask),
		cmocka_unit_test(test_action),      cmocka_unit_test(test_ms_success),
		cmocka_unit_test(test_ms_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
