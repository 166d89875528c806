/* The rtnetlink interface-event parser (net/nl_watch.h) against hand-built kernel messages. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "net/nl_watch.h"

/* A message under construction; 4-byte aligned like the kernel's. */
struct msg {
	uint32_t words[256];
	size_t len;
};

static uint8_t *bytes(struct msg *m)
{
	return (uint8_t *)m->words;
}

static void msg_start(struct msg *m, uint16_t type, uint8_t family, int ifindex, unsigned flags)
{
	struct nlmsghdr h = {.nlmsg_type = type};
	struct ifinfomsg ifi = {.ifi_family = family, .ifi_index = ifindex, .ifi_flags = flags};

	memset(m, 0, sizeof(*m));
	memcpy(bytes(m) + NLMSG_HDRLEN, &ifi, sizeof(ifi));
	m->len = NLMSG_LENGTH(sizeof(ifi));
	h.nlmsg_len = (uint32_t)m->len;
	memcpy(bytes(m), &h, sizeof(h));
}

static void msg_attr(struct msg *m, uint16_t type, const void *v, size_t n)
{
	struct rtattr a = {.rta_len = (unsigned short)RTA_LENGTH(n), .rta_type = type};

	m->len = NLMSG_ALIGN(m->len);
	memcpy(bytes(m) + m->len, &a, sizeof(a));
	memcpy(bytes(m) + m->len + RTA_LENGTH(0), v, n);
	m->len += RTA_LENGTH(n);
	uint32_t l = (uint32_t)m->len;
	memcpy(bytes(m), &l, sizeof(l)); /* nlmsg_len is the header's first field */
}

static void msg_u32(struct msg *m, uint16_t type, uint32_t v)
{
	msg_attr(m, type, &v, sizeof(v));
}

static const uint8_t mac[6] = {0x02, 0x00, 0x5e, 0x10, 0x20, 0x30};

static void full_newlink(struct msg *m)
{
	msg_start(m, RTM_NEWLINK, AF_UNSPEC, 7, 0x1043 /* UP|BROADCAST|RUNNING|MULTICAST */);
	msg_attr(m, IFLA_IFNAME, "veth-s", 7);
	msg_u32(m, IFLA_MTU, 1400);
	msg_attr(m, IFLA_ADDRESS, mac, sizeof(mac));
	msg_u32(m, IFLA_MASTER, 9);
	msg_u32(m, IFLA_TXQLEN, 1000); /* ignored */
}

static void test_newlink(void **state)
{
	(void)state;
	struct msg m;
	struct nl_link_event ev;

	full_newlink(&m);
	assert_int_equal(nl_link_event_parse(bytes(&m), m.len, &ev), 1);
	assert_false(ev.gone);
	assert_int_equal(ev.ifindex, 7);
	assert_int_equal(ev.flags, 0x1043);
	assert_string_equal(ev.name, "veth-s");
	assert_int_equal(ev.mtu, 1400);
	assert_int_equal(ev.master, 9);
	assert_int_equal(ev.addr_len, 6);
	assert_memory_equal(ev.addr, mac, 6);
}

static void test_dellink_and_missing_attrs(void **state)
{
	(void)state;
	struct msg m;
	struct nl_link_event ev;

	msg_start(&m, RTM_DELLINK, AF_UNSPEC, 12, 0);
	assert_int_equal(nl_link_event_parse(bytes(&m), m.len, &ev), 1);
	assert_true(ev.gone);
	assert_int_equal(ev.ifindex, 12);
	assert_string_equal(ev.name, "");
	assert_int_equal(ev.mtu, 0);
	assert_int_equal(ev.master, 0);
	assert_int_equal(ev.addr_len, 0);
}

static void test_not_ours(void **state)
{
	(void)state;
	struct msg m;
	struct nl_link_event ev;

	/* A bridge's per-port message, even RTM_DELLINK, says nothing of the interface itself. */
	msg_start(&m, RTM_DELLINK, AF_BRIDGE, 7, 0);
	assert_int_equal(nl_link_event_parse(bytes(&m), m.len, &ev), 0);
	msg_start(&m, RTM_NEWADDR, AF_UNSPEC, 7, 0);
	assert_int_equal(nl_link_event_parse(bytes(&m), m.len, &ev), 0);
}

static void test_malformed(void **state)
{
	(void)state;
	struct msg m;
	struct nl_link_event ev;

	full_newlink(&m);
	assert_int_equal(nl_link_event_parse(bytes(&m), 8, &ev), -1);          /* short header */
	assert_int_equal(nl_link_event_parse(bytes(&m), m.len - 1, &ev), -1);  /* nlmsg_len past the data */
	/* An attribute claiming more than the message holds. */
	msg_start(&m, RTM_NEWLINK, AF_UNSPEC, 3, 0);
	msg_u32(&m, IFLA_MTU, 1500);
	uint16_t big = 200;
	memcpy(bytes(&m) + NLMSG_LENGTH(sizeof(struct ifinfomsg)), &big, sizeof(big));
	assert_int_equal(nl_link_event_parse(bytes(&m), m.len, &ev), -1);
	/* An ifinfomsg cut short. */
	msg_start(&m, RTM_NEWLINK, AF_UNSPEC, 3, 0);
	uint32_t l = NLMSG_HDRLEN + 4;
	memcpy(bytes(&m), &l, sizeof(l));
	assert_int_equal(nl_link_event_parse(bytes(&m), l, &ev), -1);
	/* Attribute values of the wrong size are ignored, not read past. */
	msg_start(&m, RTM_NEWLINK, AF_UNSPEC, 3, 0);
	msg_attr(&m, IFLA_MTU, "\x01", 1);
	uint8_t huge[40] = {0};
	msg_attr(&m, IFLA_ADDRESS, huge, sizeof(huge));
	assert_int_equal(nl_link_event_parse(bytes(&m), m.len, &ev), 1);
	assert_int_equal(ev.mtu, 0);
	assert_int_equal(ev.addr_len, 0);
}

static void test_name_without_nul(void **state)
{
	(void)state;
	struct msg m;
	struct nl_link_event ev;

	msg_start(&m, RTM_NEWLINK, AF_UNSPEC, 3, 0);
	msg_attr(&m, IFLA_IFNAME, "abcdefghijklmnopqrstuvwxyz", 26);
	assert_int_equal(nl_link_event_parse(bytes(&m), m.len, &ev), 1);
	assert_int_equal(strlen(ev.name), IFNAMSIZ - 1);
	assert_memory_equal(ev.name, "abcdefghijklmno", IFNAMSIZ - 1);
}

struct seen {
	int n;
	int idx[4];
};

static void count_cb(const struct nl_link_event *ev, void *arg)
{
	struct seen *s = arg;
	if (s->n < 4)
		s->idx[s->n] = ev->ifindex;
	s->n++;
}

static void test_datagram_walk(void **state)
{
	(void)state;
	struct msg a, b, c;
	/* One byte in: the walk must not assume the buffer is aligned. */
	uint8_t *dg = calloc(1, 4096 + 1), *p = dg + 1;
	size_t n = 0;

	full_newlink(&a);
	msg_start(&b, RTM_NEWADDR, AF_UNSPEC, 5, 0);
	msg_start(&c, RTM_DELLINK, AF_UNSPEC, 8, 0);
	memcpy(p + n, bytes(&a), a.len);
	n += NLMSG_ALIGN(a.len);
	memcpy(p + n, bytes(&b), b.len);
	n += NLMSG_ALIGN(b.len);
	memcpy(p + n, bytes(&c), c.len);
	n += NLMSG_ALIGN(c.len);
	struct seen s = {0};
	assert_int_equal(nl_watch_parse(p, n, count_cb, &s), 2);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.idx[0], 7);
	assert_int_equal(s.idx[1], 8);
	/* Trailing bytes that cannot be a message end the walk. */
	memset(p + n, 0xff, 10);
	memset(&s, 0, sizeof(s));
	assert_int_equal(nl_watch_parse(p, n + 10, count_cb, &s), 2);
	/* A zero length must not loop forever. */
	memset(p, 0, 64);
	assert_int_equal(nl_watch_parse(p, 64, count_cb, &s), 0);
	free(dg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_newlink),
		cmocka_unit_test(test_dellink_and_missing_attrs),
		cmocka_unit_test(test_not_ours),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_name_without_nul),
		cmocka_unit_test(test_datagram_walk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
