/*
 * net/ helpers against the real kernel, in a network namespace of our own
 * (mpdtnet<pid>, removed afterwards even when a test fails). Needs root;
 * exits 77 (skipped) otherwise.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event2/event.h>

#include "net/nl.h"
#include "net/nl_watch.h"
#include "net/tun.h"

static char ns_name[32];
static struct nl *nl;

/* Output of a shell command (ip ...), NUL-terminated. */
static const char *sh(const char *fmt, ...)
{
	static char out[8192];
	char cmd[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	size_t n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	pclose(f);
	return out;
}

static struct in_addr ip4(const char *s)
{
	struct in_addr a;
	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static const struct in_addr any4 = {0};

/* A TUN interface named name, up, with 10.0.0.1 peer 10.0.0.2. */
static int tun_ready(const char *name, int *ifindex)
{
	char ifname[IFNAMSIZ];
	int fd = tun_open(name, 0, ifname);
	assert_true(fd >= 0);
	assert_string_equal(ifname, name);
	*ifindex = nl_ifindex(nl, name);
	assert_true(*ifindex > 0);
	assert_int_equal(nl_link_updown(nl, *ifindex, true), 0);
	assert_int_equal(nl_ifaddr4_add(nl, *ifindex, ip4("10.0.0.1"), ip4("10.0.0.2"), 32), 0);
	return fd;
}

static void test_tun_mtu_updown(void **state)
{
	(void)state;
	char ifname[IFNAMSIZ];
	int fd = tun_open("mpdt0", 0, ifname);
	assert_true(fd >= 0);
	assert_true(fcntl(fd, F_GETFL) & O_NONBLOCK);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	int idx = nl_ifindex(nl, "mpdt0");
	assert_true(idx > 0);
	assert_int_equal(nl_link_mtu(nl, idx, 1400), 0);
	assert_non_null(strstr(sh("ip -o link show dev mpdt0"), " mtu 1400 "));
	assert_int_equal(nl_link_mtu(nl, idx, 10), -EINVAL);
	assert_non_null(strstr(nl_errmsg(nl), "set mtu 10"));
	assert_int_equal(nl_link_updown(nl, idx, true), 0);
	assert_non_null(strstr(sh("ip -o link show dev mpdt0"), ",UP"));
	assert_int_equal(nl_link_updown(nl, idx, false), 0);
	assert_null(strstr(sh("ip -o link show dev mpdt0"), ",UP"));
	/* the name is ours while the fd is open */
	assert_int_equal(tun_open("mpdt0", 0, ifname), -EBUSY);
	assert_int_equal(tun_open("mpdt0", 0x80, ifname), -EINVAL);
	assert_int_equal(tun_open("0123456789abcdef", 0, ifname), -EINVAL);
	tun_close(fd);
	assert_int_equal(nl_ifindex(nl, "mpdt0"), -ENODEV);
	assert_string_equal(sh("ip -o link show dev mpdt0 2>/dev/null"), "");
}

static void test_tun_kernel_names_it(void **state)
{
	(void)state;
	char ifname[IFNAMSIZ];
	int fd = tun_open("mpdk%d", 0, ifname);
	assert_true(fd >= 0);
	assert_string_equal(ifname, "mpdk0");
	assert_true(nl_ifindex(nl, "mpdk0") > 0);
	tun_close(fd);
}

static void test_tun_refuses_persistent(void **state)
{
	(void)state;
	char ifname[IFNAMSIZ];
	sh("ip tuntap add mode tun name mpdtp");
	assert_true(nl_ifindex(nl, "mpdtp") > 0);
	assert_int_equal(tun_open("mpdtp", 0, ifname), -EEXIST);
	assert_true(nl_ifindex(nl, "mpdtp") > 0); /* left alone */
	sh("ip tuntap del mode tun name mpdtp");
}

static void test_addr_routes(void **state)
{
	(void)state;
	int idx;
	int fd = tun_ready("mpdt1", &idx);
	assert_non_null(strstr(sh("ip -o -4 addr show dev mpdt1"), "inet 10.0.0.1 peer 10.0.0.2/32"));
	assert_int_equal(nl_ifaddr4_add(nl, idx, ip4("10.0.0.1"), ip4("10.0.0.2"), 32), -EEXIST);
	assert_non_null(strstr(nl_errmsg(nl), "add address 10.0.0.1 peer 10.0.0.2/32"));
	/* a second, plain (not point-to-point) address */
	assert_int_equal(nl_ifaddr4_add(nl, idx, ip4("10.9.0.1"), any4, 24), 0);
	assert_non_null(strstr(sh("ip -o -4 addr show dev mpdt1"), "inet 10.9.0.1/24"));

	assert_int_equal(nl_route4_add(nl, idx, ip4("192.0.2.0"), 24, any4), 0);
	assert_int_equal(nl_route4_add(nl, idx, ip4("198.51.100.0"), 24, ip4("10.0.0.2")), 0);
	assert_int_equal(nl_route4_add(nl, idx, any4, 0, any4), 0);
	const char *r = sh("ip -4 route show");
	assert_non_null(strstr(r, "default dev mpdt1 proto static scope link"));
	assert_non_null(strstr(r, "192.0.2.0/24 dev mpdt1 proto static scope link"));
	assert_non_null(strstr(r, "198.51.100.0/24 via 10.0.0.2 dev mpdt1 proto static"));
	assert_int_equal(nl_route4_add(nl, idx, any4, 0, any4), -EEXIST);
	assert_int_equal(nl_route4_add(nl, idx, ip4("192.0.2.1"), 24, any4), -EINVAL);
	assert_int_equal(nl_route4_add(nl, idx, ip4("192.0.2.1"), 33, any4), -EINVAL);

	assert_int_equal(nl_route4_del(nl, idx, ip4("192.0.2.0"), 24, any4), 0);
	assert_int_equal(nl_route4_del(nl, idx, ip4("198.51.100.0"), 24, ip4("10.0.0.2")), 0);
	assert_int_equal(nl_route4_del(nl, idx, any4, 0, any4), 0);
	assert_int_equal(nl_route4_del(nl, idx, any4, 0, any4), -ESRCH);
	r = sh("ip -4 route show");
	assert_null(strstr(r, "default"));
	assert_null(strstr(r, "192.0.2.0"));
	assert_null(strstr(r, "198.51.100.0"));

	assert_int_equal(nl_ifaddr4_del(nl, idx, ip4("10.9.0.1"), any4, 24), 0);
	assert_int_equal(nl_ifaddr4_del(nl, idx, ip4("10.0.0.1"), ip4("10.0.0.2"), 32), 0);
	assert_string_equal(sh("ip -o -4 addr show dev mpdt1"), "");
	assert_int_equal(nl_ifaddr4_del(nl, idx, ip4("10.0.0.1"), ip4("10.0.0.2"), 32),
			 -EADDRNOTAVAIL);
	tun_close(fd);
}

static void test_ipv6_and_flush(void **state)
{
	(void)state;
	int idx;
	int fd = tun_ready("mpdt2", &idx);
	struct in6_addr ll;
	inet_pton(AF_INET6, "fe80::1", &ll);
	assert_int_equal(nl_ifaddr6_add(nl, idx, &ll, 64), 0);
	assert_non_null(strstr(sh("ip -o -6 addr show dev mpdt2"), "inet6 fe80::1/64 scope link nodad"));
	assert_int_equal(nl_ifaddr6_add(nl, idx, &ll, 64), -EEXIST);
	assert_int_equal(nl_ifaddr6_del(nl, idx, &ll, 64), 0);
	assert_null(strstr(sh("ip -o -6 addr show dev mpdt2"), "fe80::1/64"));
	assert_int_equal(nl_ifaddr6_del(nl, idx, &ll, 64), -EADDRNOTAVAIL);
	assert_int_equal(nl_ifaddr6_add(nl, idx, &ll, 129), -EINVAL);
	assert_int_equal(nl_ifaddr6_add(nl, idx, &ll, 64), 0);

	/* flush one family, then everything */
	assert_int_equal(nl_ifaddr4_add(nl, idx, ip4("10.7.0.1"), any4, 24), 0);
	assert_int_equal(nl_ifaddr_flush(nl, idx, AF_INET), 0);
	assert_string_equal(sh("ip -o -4 addr show dev mpdt2"), "");
	assert_non_null(strstr(sh("ip -o -6 addr show dev mpdt2"), "fe80::1/64"));
	assert_int_equal(nl_ifaddr4_add(nl, idx, ip4("10.7.0.1"), any4, 24), 0);
	assert_int_equal(nl_ifaddr_flush(nl, idx, AF_UNSPEC), 0);
	assert_string_equal(sh("ip -o addr show dev mpdt2"), "");
	assert_int_equal(nl_ifaddr_flush(nl, idx, AF_UNIX), -EAFNOSUPPORT);
	tun_close(fd);
}

static void test_rename(void **state)
{
	(void)state;
	int idx;
	int fd = tun_ready("mpdt3", &idx);
	/* Linux renames only interfaces that are down (or reports EBUSY) */
	int rc = nl_link_rename(nl, idx, "mpdtx");
	if (rc == -EBUSY) {
		assert_int_equal(nl_link_updown(nl, idx, false), 0);
		rc = nl_link_rename(nl, idx, "mpdtx");
	}
	assert_int_equal(rc, 0);
	assert_int_equal(nl_ifindex(nl, "mpdtx"), idx);
	assert_int_equal(nl_ifindex(nl, "mpdt3"), -ENODEV);
	assert_int_equal(nl_link_rename(nl, idx, ""), -EINVAL);
	assert_int_equal(nl_link_rename(nl, idx, "0123456789abcdef"), -EINVAL);
	assert_int_equal(nl_link_rename(nl, idx, "lo"), -EEXIST);
	assert_int_equal(nl_link_rename(nl, idx, "mpdt3"), 0);
	assert_int_equal(nl_ifindex(nl, "mpdt3"), idx);
	assert_int_equal(nl_ifindex(nl, ""), -EINVAL);
	tun_close(fd);
	assert_int_equal(nl_ifindex(nl, "mpdt3"), -ENODEV);
}

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* ICMP echo request from the peer 10.0.0.2 to us, 10.0.0.1, checksums filled in. */
static struct pbuf *echo_request(void)
{
	static const uint8_t tmpl[] = {
		0x45, 0, 0, 32, 0x12, 0x34, 0, 0, 64, 1, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1,
		8, 0, 0, 0, 0xbe, 0xef, 0, 1, 'm', 'p', 'd', '5',
	};
	struct pbuf *b = pbuf_from(tmpl, sizeof(tmpl));
	assert_non_null(b);
	uint16_t c = csum(b->data, 20);
	b->data[10] = (uint8_t)(c >> 8);
	b->data[11] = (uint8_t)c;
	c = csum(b->data + 20, 12);
	b->data[22] = (uint8_t)(c >> 8);
	b->data[23] = (uint8_t)c;
	return b;
}

/* Wait for the next IPv4 packet; the kernel's own IPv6 chatter (MLD, RS) is skipped. */
static ssize_t read_ipv4(int fd, struct pbuf *in)
{
	for (int i = 0; i < 400; i++) {
		in->len = 0;
		ssize_t n = tun_read(fd, in);
		if (n == -EAGAIN) {
			usleep(5000);
			continue;
		}
		if (n < 0 || (in->data[0] >> 4) == 4)
			return n;
	}
	return -ETIMEDOUT;
}

/* An ICMP echo from the peer (10.0.0.2) to us: the kernel answers through the TUN. */
static void test_tun_io(void **state)
{
	(void)state;
	int idx;
	char ifname[IFNAMSIZ];
	int fd = tun_open("mpdt4", 0, ifname);
	assert_true(fd >= 0);
	/* No IPv6 chatter (MLD, RS) in the queue: the reads below see only our packets. */
	sh("echo 1 > /proc/sys/net/ipv6/conf/mpdt4/disable_ipv6");
	idx = nl_ifindex(nl, "mpdt4");
	assert_int_equal(nl_link_updown(nl, idx, true), 0);
	assert_int_equal(nl_ifaddr4_add(nl, idx, ip4("10.0.0.1"), ip4("10.0.0.2"), 32), 0);
	struct pbuf *b = echo_request();
	struct nl_link_stats st0, st1;
	assert_int_equal(nl_link_stats(nl, idx, &st0), 0);
	assert_int_equal(tun_write(fd, b), 0);
	pbuf_free(b);

	struct pbuf *in = pbuf_new(PBUF_HEADROOM, 2000);
	ssize_t n = read_ipv4(fd, in);
	assert_int_equal(n, 32);
	/* what we wrote is "received" by the interface, the reply "sent" */
	assert_int_equal(nl_link_stats(nl, idx, &st1), 0);
	assert_int_equal(st1.rx_packets - st0.rx_packets, 1);
	assert_int_equal(st1.rx_bytes - st0.rx_bytes, 32);
	assert_int_equal(st1.tx_packets - st0.tx_packets, 1);
	assert_int_equal(st1.tx_bytes - st0.tx_bytes, 32);
	assert_int_equal(nl_link_stats(nl, 99999, &st1), -ENODEV);
	assert_int_equal(in->len, 32);
	assert_int_equal(in->data[0], 0x45);
	assert_memory_equal(in->data + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	assert_int_equal(in->data[20], 0); /* echo reply */
	assert_memory_equal(in->data + 24, "\xbe\xef\x00\x01mpd5", 8);
	pbuf_free(in);

	/* a packet larger than the buffer's tailroom is reported, not passed on cut */
	b = echo_request();
	assert_int_equal(tun_write(fd, b), 0);
	pbuf_free(b);
	in = pbuf_new(0, 16);
	n = -EAGAIN;
	for (int i = 0; i < 400 && n == -EAGAIN; i++) {
		n = tun_read(fd, in);
		if (n == -EAGAIN)
			usleep(5000);
	}
	assert_int_equal(n, -EMSGSIZE);
	pbuf_free(in);
	tun_close(fd);
}

static void test_host_facts(void **state)
{
	(void)state;
	uint8_t mac[6];
	struct in_addr a;
	/* a fresh namespace: only lo */
	assert_int_equal(nl_first_ether_mac(nl, mac), -ENOENT);
	sh("ip link set lo up");
	assert_int_equal(nl_first_ipv4(nl, &a), -ENOENT); /* 127.0.0.1 does not count */

	sh("ip link add mpdtv0 address 02:00:5e:00:00:0a type veth peer name mpdtv1 "
	   "address 02:00:5e:00:00:0b");
	int i0 = nl_ifindex(nl, "mpdtv0"), i1 = nl_ifindex(nl, "mpdtv1");
	assert_true(i0 > 0 && i1 > 0);
	assert_int_equal(nl_first_ether_mac(nl, mac), 0);
	const uint8_t want0[6] = {2, 0, 0x5e, 0, 0, 0x0a}, want1[6] = {2, 0, 0x5e, 0, 0, 0x0b};
	assert_memory_equal(mac, i0 < i1 ? want0 : want1, 6);

	sh("ip addr add 192.0.2.77/24 dev mpdtv0");
	sh("ip addr add 198.51.100.5/24 dev mpdtv1");
	sh("ip addr add 198.51.100.6/24 dev mpdtv1");
	sh("ip addr add 203.0.113.1/32 dev lo");
	/* interfaces that are down do not count, nor does lo whatever its addresses */
	assert_int_equal(nl_first_ipv4(nl, &a), -ENOENT);
	sh("ip link set mpdtv0 up; ip link set mpdtv1 up");
	assert_int_equal(nl_first_ipv4(nl, &a), 0);
	char got[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &a, got, sizeof(got));
	assert_string_equal(got, i0 < i1 ? "192.0.2.77" : "198.51.100.5");
	sh("ip link set %s down", i0 < i1 ? "mpdtv0" : "mpdtv1");
	assert_int_equal(nl_first_ipv4(nl, &a), 0);
	inet_ntop(AF_INET, &a, got, sizeof(got));
	assert_string_equal(got, i0 < i1 ? "198.51.100.5" : "192.0.2.77");
}

static int host_facts_cleanup(void **state)
{
	(void)state;
	sh("ip link del mpdtv0 2>/dev/null; ip addr del 203.0.113.1/32 dev lo 2>/dev/null");
	return 0;
}

/* Nothing of ours is left: lo is the only interface. */
/* What a watch heard: names of the interfaces of its events. */
struct heard {
	char names[512];
};

static void heard_event(const struct nl_link_event *ev, void *arg)
{
	struct heard *h = arg;
	if (ev == NULL)
		return;
	size_t n = strlen(h->names);
	snprintf(h->names + n, sizeof(h->names) - n, "%s,", ev->name);
}

/* Run the loop until a pass finds nothing more to read. */
static void watch_drain(struct event_base *base)
{
	for (int i = 0; i < 20; i++) {
		usleep(20000);
		event_base_loop(base, EVLOOP_NONBLOCK);
	}
}

/* Session interfaces (TUN, no link layer) are filtered in the kernel; Ethernet ones (a veth here) reach us. */
static void test_watch_skips_tun(void **state)
{
	(void)state;
	struct event_base *base = event_base_new();
	struct heard h = {0};
	struct nl_watch *w = nl_watch_open(base, heard_event, &h);
	assert_non_null(w);
	int idx;
	int fd = tun_ready("mpdw0", &idx);
	assert_int_equal(nl_link_mtu(nl, idx, 1400), 0);
	sh("ip link add mpdwd0 type veth peer name mpdwd1 && ip link set mpdwd0 mtu 1400 up");
	watch_drain(base);
	assert_non_null(strstr(h.names, "mpdwd0,"));
	assert_null(strstr(h.names, "mpdw0,"));
	tun_close(fd);
	sh("ip link del mpdwd0");
	nl_watch_free(w);
	event_base_free(base);
}

static void test_nothing_left(void **state)
{
	(void)state;
	const char *links = sh("ip -o link show");
	assert_non_null(strstr(links, "1: lo:"));
	assert_null(strchr(strchr(links, '\n') + 1, ':'));
}

static int ns_run_tests(void)
{
	char path[64];
	snprintf(path, sizeof(path), "/run/netns/%s", ns_name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
		perror("setns");
		return 1;
	}
	close(fd);
	nl = nl_open();
	if (nl == NULL)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tun_mtu_updown),
		cmocka_unit_test(test_tun_kernel_names_it),
		cmocka_unit_test(test_tun_refuses_persistent),
		cmocka_unit_test(test_addr_routes),
		cmocka_unit_test(test_ipv6_and_flush),
		cmocka_unit_test(test_rename),
		cmocka_unit_test(test_tun_io),
		cmocka_unit_test_teardown(test_host_facts, host_facts_cleanup),
		cmocka_unit_test(test_watch_skips_tun),
		cmocka_unit_test(test_nothing_left),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	nl_free(nl);
	return rc == 0 ? 0 : 1;
}

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static int ns_cmd(const char *verb)
{
	char cmd[96];
	snprintf(cmd, sizeof(cmd), "ip netns %s %s", verb, ns_name);
	return system(cmd);
}

int main(void)
{
	if (geteuid() != 0) {
		fprintf(stderr, "skipped: needs root for network namespaces\n");
		return 77;
	}
	snprintf(ns_name, sizeof(ns_name), "mpdtnet%ld", (long)getpid());
	if (ns_cmd("add") != 0) {
		fprintf(stderr, "skipped: can't create network namespace %s\n", ns_name);
		return 77;
	}
	/* A meson timeout sends SIGTERM: stop the child and still remove the namespace. */
	struct sigaction sa = {.sa_handler = on_stop};
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	fflush(NULL);
	pid_t child = fork();
	if (child == 0)
		exit(ns_run_tests()); /* exit, not _exit: leak checks run */
	int status = 1;
	while (child > 0 && waitpid(child, &status, 0) < 0) {
		if (errno != EINTR || stop) {
			kill(child, SIGKILL);
			waitpid(child, &status, 0);
			status = 1;
			break;
		}
	}
	ns_cmd("del");
	char path[64];
	snprintf(path, sizeof(path), "/run/netns/%s", ns_name);
	if (access(path, F_OK) == 0) {
		fprintf(stderr, "namespace %s was not removed\n", ns_name);
		return 1;
	}
	return child > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
