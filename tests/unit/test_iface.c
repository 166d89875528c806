/*
 * The interface object without a TUN (commands.md §11, §3.8): MTU policy,
 * template configuration for clones, and dial-on-demand talking to its
 * owner only through struct iface_ops.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <event2/event.h>

#include "core/daemon.h"
#include "core/pbuf.h"
#include "iface/iface.h"
#include "iface/iface_demand.h"

/* A stand-in owner that records what the interface asked of it. */
struct owner {
	bool busy;
	int opens, closes, outputs, sends;
	char reason[32];
	size_t sent_len;
};

static void o_output(void *arg, struct pbuf *bf)
{
	((struct owner *)arg)->outputs++;
	pbuf_free(bf);
}

static void o_send(void *arg, struct pbuf *bf)
{
	struct owner *o = arg;
	o->sends++;
	o->sent_len = bf->len;
	pbuf_free(bf);
}

static bool o_busy(void *arg)
{
	return ((struct owner *)arg)->busy;
}

static void o_open(void *arg, const char *reason)
{
	struct owner *o = arg;
	o->opens++;
	snprintf(o->reason, sizeof(o->reason), "%s", reason);
}

static void o_close(void *arg, const char *reason)
{
	(void)reason;
	((struct owner *)arg)->closes++;
}

static void o_peer(void *arg, struct iface_peer *p)
{
	(void)arg;
	p->authname[0] = p->addr[0] = '\0';
}

static void o_traffic(void *arg, struct iface_traffic *t)
{
	(void)arg;
	memset(t, 0, sizeof(*t));
}

static const struct iface_ops owner_ops = {o_output, o_send, o_busy, o_open, o_close, o_peer, o_traffic};

struct fixture {
	struct daemon d;
	struct owner o;
	struct iface ifp;
};

static int setup(void **state)
{
	static struct fixture f;
	memset(&f, 0, sizeof(f));
	f.d.base = event_base_new();
	if (f.d.base == NULL)
		return -1;
	iface_init(&f.ifp, &f.d, &owner_ops, &f.o, "B1");
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	iface_destroy(&f->ifp);
	event_base_free(f->d.base);
	return 0;
}

static void test_defaults(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(f->ifp.conf.mtu, 1500);
	assert_false(iface_exists(&f->ifp));
	assert_false(iface_ipv4_is_up(&f->ifp));
	assert_string_equal(iface_name(&f->ifp), "");
	assert_string_equal(iface_demand_status(&f->ifp), "DOWN");
}

static void test_mtu_policy(void **state)
{
	struct fixture *f = *state;
	f->ifp.conf.mtu = 1400;
	iface_mtu_set(&f->ifp, 1492); /* the configured value caps the link's */
	assert_int_equal(iface_mtu(&f->ifp), 1400);
	iface_mtu_set(&f->ifp, 1200);
	assert_int_equal(iface_mtu(&f->ifp), 1200);
	f->ifp.conf.mtu_override = true; /* override: exactly the configured value */
	iface_mtu_set(&f->ifp, 1200);
	assert_int_equal(iface_mtu(&f->ifp), 1400);
}

static void test_clone_names(void **state)
{
	struct fixture *f = *state;
	struct iface tmpl;
	memset(&tmpl, 0, sizeof(tmpl));
	iface_conf_defaults(&tmpl.conf);
	snprintf(tmpl.conf.name, sizeof(tmpl.conf.name), "vpn");
	tmpl.conf.idle = 30;
	iface_conf_inherit(&f->ifp, &tmpl, true, 7);
	assert_string_equal(f->ifp.conf.name, "vpn7");
	assert_int_equal(f->ifp.conf.idle, 30);
	iface_conf_inherit(&f->ifp, &tmpl, false, 7); /* `create bundle X T`: the name as is */
	assert_string_equal(f->ifp.conf.name, "vpn");
	snprintf(tmpl.conf.name, sizeof(tmpl.conf.name), "abcdefghijklmno");
	iface_conf_inherit(&f->ifp, &tmpl, true, 1234); /* 11 characters kept, then the index */
	assert_string_equal(f->ifp.conf.name, "abcdefghijk1234");
	tmpl.conf.name[0] = '\0';
	iface_conf_inherit(&f->ifp, &tmpl, true, 3); /* unnamed: stays pppN */
	assert_string_equal(f->ifp.conf.name, "");
}

/* An ICMP echo request (demand) or echo reply (not). */
static struct pbuf *icmp(uint8_t type)
{
	uint8_t p[28] = {0x45, 0, 0, 28, 0, 0, 0, 0, 64, 1};
	p[20] = type;
	return pbuf_from(p, sizeof(p));
}

static void test_demand_needs_config(void **state)
{
	struct fixture *f = *state;
	char err[128];
	assert_int_equal(iface_demand_open(&f->ifp, err, sizeof(err)), -1);
	assert_string_equal(err, "on-demand is not enabled (set iface enable on-demand)");
	f->ifp.conf.opts.enable |= 1u << IOPT_ON_DEMAND;
	assert_true(iface_enabled(&f->ifp, IOPT_ON_DEMAND));
	assert_int_equal(iface_demand_open(&f->ifp, err, sizeof(err)), -1);
	assert_string_equal(err, "demand mode needs 'set iface addrs'");
	assert_false(iface_demand_made(&f->ifp));
}

static void enter_demand(struct fixture *f)
{
	char err[128];
	f->ifp.conf.opts.enable |= 1u << IOPT_ON_DEMAND;
	inet_pton(AF_INET, "10.0.0.1", &f->ifp.conf.self.addr);
	inet_pton(AF_INET, "10.0.0.2", &f->ifp.conf.peer.addr);
	f->ifp.conf.have_addrs = true;
	assert_int_equal(iface_demand_open(&f->ifp, err, sizeof(err)), 0);
	assert_true(iface_demand_made(&f->ifp));
}

static void test_demand_opens_through_owner(void **state)
{
	struct fixture *f = *state;
	enter_demand(f);
	struct pbuf *reply = icmp(0);
	assert_true(iface_demand_intercept(&f->ifp, reply)); /* taken and dropped: no dial */
	assert_int_equal(f->o.opens, 0);
	assert_true(iface_demand_intercept(&f->ifp, icmp(8)));
	assert_int_equal(f->o.opens, 1);
	assert_string_equal(f->o.reason, "Demand");
	f->o.busy = true; /* links coming up: the newer packet replaces the cached one, no second open */
	assert_true(iface_demand_intercept(&f->ifp, icmp(8)));
	assert_int_equal(f->o.opens, 1);
	assert_int_equal(f->o.outputs, 0);
}

static void test_demand_flush_after_up(void **state)
{
	struct fixture *f = *state;
	enter_demand(f);
	assert_true(iface_demand_intercept(&f->ifp, icmp(8)));
	iface_addrs_applied(&f->ifp); /* IPv4 not up yet: kept */
	assert_int_equal(f->o.sends, 0);
	f->ifp.ip_up = true; /* as iface_ipv4_up leaves it, without netlink */
	iface_demand_ncp_up(&f->ifp);
	iface_addrs_applied(&f->ifp);
	assert_int_equal(f->o.sends, 1);
	assert_int_equal(f->o.sent_len, 28);
	iface_addrs_applied(&f->ifp); /* sent once */
	assert_int_equal(f->o.sends, 1);
	/* IPCP up: demand leaves the packet to the caller */
	struct pbuf *bf = icmp(8);
	assert_false(iface_demand_intercept(&f->ifp, bf));
	pbuf_free(bf);
	f->ifp.ip_up = false;
}

/* radius.md §2.8: Framed-MTU caps the MTU for the session only. */
static void test_authz_mtu_cap(void **state)
{
	struct fixture *f = *state;
	struct iface_authz a = {.mtu = 1300};
	iface_authz_set(&f->ifp, &a);
	iface_mtu_set(&f->ifp, 1492);
	assert_int_equal(iface_mtu(&f->ifp), 1300);
	iface_mtu_set(&f->ifp, 1200); /* a bound, never a raise */
	assert_int_equal(iface_mtu(&f->ifp), 1200);
	iface_authz_clear(&f->ifp);
	iface_mtu_set(&f->ifp, 1492);
	assert_int_equal(iface_mtu(&f->ifp), 1492);
}

static void loop_for(struct event_base *base, int ms)
{
	struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
}

/* Session-/Idle-Timeout override `set iface session|idle`; CoA changes them on a running session and
 * the new session deadline ends it (the owner is asked to close). */
static void test_authz_timeouts(void **state)
{
	struct fixture *f = *state;
	f->ifp.conf.session = 100;
	f->ifp.conf.idle = 50;
	struct iface_authz a = {.session_set = true, .session = 7};
	iface_authz_set(&f->ifp, &a);
	assert_int_equal(iface_session_timeout(&f->ifp), 7);
	assert_int_equal(iface_idle_timeout(&f->ifp), 50); /* not given: `set iface idle` */
	/* a running session (addresses faked up: no TUN here) */
	f->ifp.ip_up = true;
	clock_gettime(CLOCK_MONOTONIC, &f->ifp.up_at);
	iface_authz_timeouts(&f->ifp, true, 1, false, 0);
	assert_int_equal(iface_session_timeout(&f->ifp), 1);
	assert_int_equal(iface_idle_timeout(&f->ifp), 50);
	loop_for(f->d.base, 400);
	assert_int_equal(f->o.closes, 0);
	loop_for(f->d.base, 900);
	assert_int_equal(f->o.closes, 1);
	/* 0 turns a timeout off */
	iface_authz_timeouts(&f->ifp, false, 0, true, 0);
	assert_int_equal(iface_idle_timeout(&f->ifp), 0);
	f->ifp.ip_up = false;
	iface_authz_clear(&f->ifp);
	assert_int_equal(iface_session_timeout(&f->ifp), 100);
	assert_int_equal(iface_idle_timeout(&f->ifp), 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mtu_policy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clone_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_demand_needs_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_demand_opens_through_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_demand_flush_after_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_authz_mtu_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_authz_timeouts, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
