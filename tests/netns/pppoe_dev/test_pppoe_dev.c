/*
 * The PPPoE device end to end over a veth between two network namespaces,
 * client and concentrator in one process on one libevent loop, with a
 * small stand-in for the link layer (the functions of dev/link_dev.h).
 * Needs root; exits 77 (skip) otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <event2/event.h>

#include "conf/cmd.h"
#include "core/pbuf.h"
#include "dev/pppoe/pppoe.h"
#include "dev/pppoe/pppoe_var.h"
#include "dev/link_dev.h"

#define CHECK(c)                                                                  \
	do {                                                                      \
		if (!(c)) {                                                       \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c); \
			exit(1);                                                  \
		}                                                                 \
	} while (0)

/* ---- the stand-in link layer ---- */

struct link {
	char name[32];
	void *priv;
	bool incoming, tmpl;
	int state;
	int ups, downs;
	char reason[160];
	struct link *from;     /* template a clone came from */
	int max_children, children;
	bool open_in_incoming; /* open the clone before link_dev_incoming returns */
	unsigned nin;
	uint8_t in[2048];
	size_t inlen;
};

#define MAX_LINKS 128
static struct test {
	struct event_base *base;
	struct link *clones[MAX_LINKS];
	int nclones;
	int ns_orig, ns_client, ns_server;
	char nsc[32], nss[32], va[IFNAMSIZ], vb[IFNAMSIZ];
	char out[4096];
	size_t outlen;
} T;

void link_dev_up(struct link *l)
{
	l->ups++;
}

void link_dev_down(struct link *l, const char *reason)
{
	l->downs++;
	snprintf(l->reason, sizeof(l->reason), "%s", reason);
}

void link_dev_input(struct link *l, struct pbuf *b)
{
	l->nin++;
	l->inlen = b->len < sizeof(l->in) ? b->len : sizeof(l->in);
	memcpy(l->in, b->data, l->inlen);
	pbuf_free(b);
}

static void clone_open_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	dev_pppoe.open(arg);
}

struct link *link_dev_incoming(struct link *t)
{
	if (!t->tmpl)
		return t;
	if (t->children >= t->max_children || T.nclones >= MAX_LINKS)
		return NULL;
	struct link *c = calloc(1, sizeof(*c));
	CHECK(c != NULL);
	snprintf(c->name, sizeof(c->name), "%.15s-%d", t->name, T.nclones % 1000);
	c->from = t;
	c->incoming = t->incoming;
	CHECK(dev_pppoe.create(c) == 0);
	CHECK(dev_pppoe.copy(c, t) == 0);
	c->state = DEV_READY;
	t->children++;
	T.clones[T.nclones++] = c;
	if (t->open_in_incoming)
		dev_pppoe.open(c);
	else
		event_base_once(T.base, -1, EV_TIMEOUT, clone_open_cb, c, &(struct timeval){0, 1000});
	return c;
}

void *link_dev_priv(const struct link *l) { return l->priv; }
void link_dev_set_priv(struct link *l, void *priv) { l->priv = priv; }
const char *link_name(const struct link *l) { return l->name; }
bool link_incoming_enabled(const struct link *l) { return l->incoming; }
void link_dev_set_incoming(struct link *l, bool on) { l->incoming = on; }
bool link_is_template(const struct link *l) { return l->tmpl; }
bool link_dev_check_only(const struct link *l) { (void)l; return false; }
struct event_base *link_evbase(const struct link *l) { (void)l; return T.base; }
void link_dev_set_state(struct link *l, int s) { l->state = s; }
const char *link_authname(const struct link *l) { (void)l; return ""; }

void cmd_printf(struct cmd_ctx *c, const char *fmt, ...)
{
	va_list ap;
	(void)c;
	va_start(ap, fmt);
	int n = vsnprintf(T.out + T.outlen, sizeof(T.out) - T.outlen, fmt, ap);
	va_end(ap);
	if (n > 0)
		T.outlen = T.outlen + (size_t)n < sizeof(T.out) ? T.outlen + (size_t)n : sizeof(T.out) - 1;
}

int cmd_error(struct cmd_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	return CMD_ERR;
}

int cmd_later_error(struct cmd_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	c->err_later = true;
	return CMD_ERR;
}

/* ---- namespaces ---- */

static void sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0) {
		fprintf(stderr, "command failed: %s\n", cmd);
		exit(1);
	}
}

static void cleanup(void)
{
	char cmd[128];
	if (T.nsc[0] == '\0')
		return;
	if (T.ns_orig > 0)
		setns(T.ns_orig, CLONE_NEWNET);
	snprintf(cmd, sizeof(cmd), "ip netns del %s 2>/dev/null; ip netns del %s 2>/dev/null", T.nsc, T.nss);
	if (system(cmd) != 0)
		fprintf(stderr, "cleanup: %s failed\n", cmd);
	T.nsc[0] = '\0';
}

static void on_signal(int sig)
{
	cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int ns_fd(const char *name)
{
	char path[64];
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0);
	return fd;
}

static void setup_netns(void)
{
	int pid = (int)getpid();

	snprintf(T.nsc, sizeof(T.nsc), "mpdtpd%dc", pid);
	snprintf(T.nss, sizeof(T.nss), "mpdtpd%ds", pid);
	snprintf(T.va, sizeof(T.va), "mpdtpd%da", pid);
	snprintf(T.vb, sizeof(T.vb), "mpdtpd%db", pid);
	atexit(cleanup);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGSEGV, on_signal);
	signal(SIGABRT, on_signal);
	T.ns_orig = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	CHECK(T.ns_orig >= 0);
	sh("ip netns add %s && ip netns add %s", T.nsc, T.nss);
	sh("ip link add %s type veth peer name %s", T.va, T.vb);
	sh("ip link set %s netns %s && ip link set %s netns %s", T.va, T.nsc, T.vb, T.nss);
	/* Room for RFC 4638 payloads of 1500 (1508-byte Ethernet payload). */
	sh("ip -n %s link set %s mtu 1600 up && ip -n %s link set %s mtu 1600 up", T.nsc, T.va, T.nss, T.vb);
	T.ns_client = ns_fd(T.nsc);
	T.ns_server = ns_fd(T.nss);
}

static void in_ns(int fd)
{
	CHECK(setns(fd, CLONE_NEWNET) == 0);
}

/* ---- helpers ---- */

static struct link *mk_link(const char *name, bool tmpl, bool incoming)
{
	struct link *l = calloc(1, sizeof(*l));
	CHECK(l != NULL);
	snprintf(l->name, sizeof(l->name), "%s", name);
	l->tmpl = tmpl;
	l->incoming = incoming;
	l->max_children = 1000;
	CHECK(dev_pppoe.create(l) == 0);
	return l;
}

static void free_link(struct link *l)
{
	dev_pppoe.destroy(l);
	CHECK(l->priv == NULL);
	free(l);
}

static int set(struct link *l, const char *what, const char *value)
{
	struct cmd_ctx c;
	char *av[2] = {(char *)value, NULL};

	memset(&c, 0, sizeof(c));
	c.link = l;
	c.priv = PRIV_ADMIN;
	for (const struct cmd *e = dev_pppoe.cmds; e->name != NULL; e++)
		if (strcmp(e->name, what) == 0) {
			CHECK(e->ctx == CTX_LINK && e->priv == PRIV_ADMIN && strcmp(e->devtype, "pppoe") == 0);
			return e->fn(&c, 1, av, e->arg);
		}
	return CMD_UNKNOWN;
}

static struct pppoe_link *P(const struct link *l)
{
	return l->priv;
}

static void client_open(struct link *l)
{
	in_ns(T.ns_client);
	dev_pppoe.open(l);
}

static bool (*wait_cond)(void *);
static void *wait_arg;

static void poll_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	if (arg != NULL || wait_cond(wait_arg))
		event_base_loopbreak(T.base);
}

/* Run the loop until cond holds or ms pass; true when it held. */
static bool run_until(bool (*cond)(void *), void *arg, int ms)
{
	/* Own deadline event: a pending loopexit would end a later run early. */
	struct event *poll = event_new(T.base, -1, EV_PERSIST, poll_cb, NULL);
	struct event *limit = event_new(T.base, -1, 0, poll_cb, T.base);
	struct timeval tick = {0, 5000}, tv = {ms / 1000, (ms % 1000) * 1000};

	wait_cond = cond;
	wait_arg = arg;
	event_add(poll, &tick);
	event_add(limit, &tv);
	event_base_dispatch(T.base);
	event_free(poll);
	event_free(limit);
	return cond(arg);
}

static bool is_up(void *arg)
{
	struct link *l = arg;
	return l->ups > 0 || l->downs > 0;
}

static bool is_down(void *arg)
{
	return ((struct link *)arg)->downs > 0;
}

static unsigned want_nin = 1;

static bool got_frame(void *arg)
{
	return ((struct link *)arg)->nin >= want_nin;
}

static struct link *clone_with_sid(uint16_t sid)
{
	for (int i = 0; i < T.nclones; i++)
		if (T.clones[i] != NULL && T.clones[i]->priv != NULL && P(T.clones[i])->sid == sid)
			return T.clones[i];
	return NULL;
}

static void send_frame(struct link *l, const uint8_t *p, size_t n)
{
	struct pbuf *b = pbuf_new(PBUF_HEADROOM, n);
	CHECK(b != NULL && pbuf_append(b, p, n) == 0);
	dev_pppoe.send(l, b);
}

static void drop_clones(void)
{
	for (int i = 0; i < T.nclones; i++) {
		if (T.clones[i] == NULL)
			continue;
		T.clones[i]->from->children--;
		free_link(T.clones[i]);
		T.clones[i] = NULL;
	}
	T.nclones = 0;
}

/* ---- scenarios ---- */

static struct link *tmpl_isp, *tmpl_gold, *tmpl_full, *tmpl_sync;

static void setup_server(void)
{
	in_ns(T.ns_server);
	tmpl_isp = mk_link("S", true, true);
	CHECK(set(tmpl_isp, "iface", T.vb) == CMD_OK);
	CHECK(set(tmpl_isp, "service", "isp") == CMD_OK);
	CHECK(set(tmpl_isp, "acname", "testac") == CMD_OK);
	dev_pppoe.update(tmpl_isp);
	tmpl_gold = mk_link("G", true, true);
	CHECK(set(tmpl_gold, "iface", T.vb) == CMD_OK);
	CHECK(set(tmpl_gold, "service", "gold") == CMD_OK);
	CHECK(set(tmpl_gold, "acname", "testac") == CMD_OK);
	dev_pppoe.update(tmpl_gold);
	tmpl_full = mk_link("F", true, true);
	tmpl_full->max_children = 0;
	CHECK(set(tmpl_full, "iface", T.vb) == CMD_OK);
	CHECK(set(tmpl_full, "service", "full") == CMD_OK);
	CHECK(set(tmpl_full, "acname", "testac") == CMD_OK);
	dev_pppoe.update(tmpl_full);
	tmpl_sync = mk_link("Y", true, true);
	tmpl_sync->open_in_incoming = true;
	CHECK(set(tmpl_sync, "iface", T.vb) == CMD_OK);
	CHECK(set(tmpl_sync, "service", "sync") == CMD_OK);
	CHECK(set(tmpl_sync, "acname", "testac") == CMD_OK);
	dev_pppoe.update(tmpl_sync);
	CHECK(P(tmpl_isp)->lifp != NULL && P(tmpl_isp)->lifp == P(tmpl_gold)->lifp);
}

static void test_commands(void)
{
	struct link *l = mk_link("cmd", false, false);

	CHECK(set(l, "iface", "eth0.100") == CMD_OK);
	CHECK(strcmp(P(l)->conf.iface, "eth0.100") == 0);
	CHECK(set(l, "iface", "") == CMD_ERR);
	CHECK(set(l, "iface", "a/b") == CMD_ERR);
	CHECK(set(l, "iface", "sixteen-chars-xx") == CMD_ERR);
	char why[160];
	CHECK(dev_pppoe.mtu_check(l, 1492, 1492, why, sizeof(why)) == 0);
	CHECK(dev_pppoe.mtu_check(l, 1500, 1492, why, sizeof(why)) < 0 && strstr(why, "needs set pppoe max-payload"));
	CHECK(set(l, "max-payload", "1491") == CMD_ERR);
	CHECK(set(l, "max-payload", "1511") == CMD_ERR);
	CHECK(set(l, "max-payload", "15x0") == CMD_ERR);
	CHECK(set(l, "max-payload", "1500") == CMD_OK && P(l)->conf.max_payload == 1500);
	/* mpd 4 options: incoming is the link's option, originate ours (default on) */
	CHECK(dev_pppoe.mtu_check(l, 1500, 1500, why, sizeof(why)) == 0);
	CHECK(dev_pppoe.mtu_check(l, 1500, 1501, why, sizeof(why)) < 0 && strstr(why, "MRU 1501") != NULL);
	CHECK(!l->incoming && set(l, "enable", "incoming") == CMD_OK && l->incoming && !P(l)->conf.no_originate);
	CHECK(set(l, "disable", "originate") == CMD_OK && P(l)->conf.no_originate && l->incoming);
	CHECK(set(l, "disable", "incoming") == CMD_OK && !l->incoming && P(l)->conf.no_originate);
	CHECK(set(l, "enable", "originate") == CMD_OK && !P(l)->conf.no_originate);
	CHECK(set(l, "mac-format", "cisco") == CMD_ERR);
	CHECK(set(l, "mac-format", "ietf") == CMD_OK && P(l)->conf.macfmt == PPPOE_MAC_IETF);
	CHECK(set(l, "service", "ac\\isp") == CMD_OK);
	char longname[80];
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	CHECK(set(l, "service", longname) == CMD_ERR);
	CHECK(set(l, "acname", longname) == CMD_ERR);
	/* Clones take the template's configuration. */
	struct link *c = mk_link("cmd2", false, false);
	CHECK(dev_pppoe.copy(c, l) == 0);
	CHECK(strcmp(P(c)->conf.service, "ac\\isp") == 0 && P(c)->conf.max_payload == 1500);
	free_link(c);
	/* No interface: the open fails at once with a reason. */
	CHECK(set(l, "iface", "mpdtnone0") == CMD_OK);
	client_open(l);
	CHECK(l->downs == 1 && strstr(l->reason, "mpdtnone0") != NULL);
	free_link(l);
	printf("ok commands\n");
}

static void test_basic_session(void)
{
	static const uint8_t lcp[] = {0xc0, 0x21, 0x01, 0x01, 0x00, 0x04};
	static const uint8_t ipf[] = {0x00, 0x21, 0x45, 0x00, 0x00, 0x14, 1, 2, 3, 4};
	struct link *c = mk_link("C", false, false);
	char mac[32];

	CHECK(set(c, "iface", T.va) == CMD_OK);
	CHECK(set(c, "service", "isp") == CMD_OK);
	CHECK(set(c, "mac-format", "unix-like") == CMD_OK);
	client_open(c);
	CHECK(c->state == DEV_CONNECTING);
	CHECK(run_until(is_up, c, 5000));
	CHECK(c->ups == 1 && c->downs == 0 && c->state == DEV_UP);
	uint16_t sid = P(c)->sid;
	struct link *s = clone_with_sid(sid);
	CHECK(s != NULL && s->from == tmpl_isp);
	CHECK(run_until(is_up, s, 2000) && s->ups == 1 && s->state == DEV_UP);
	CHECK(P(s)->sid == sid && sid != 0 && sid != 0xffff);
	CHECK(dev_pppoe.mtu(c) == 1492 && dev_pppoe.mtu(s) == 1492);
	/* Each side sees the other's MAC. */
	CHECK(memcmp(P(c)->peer, P(s)->ifp->mac, 6) == 0 && memcmp(P(s)->peer, P(c)->ifp->mac, 6) == 0);
	CHECK(dev_pppoe.peer_addr(c, mac, sizeof(mac)) != NULL && strlen(mac) == 17 && mac[2] == ':');
	CHECK(dev_pppoe.peer_addr(s, mac, sizeof(mac)) != NULL && strlen(mac) == 12);
	CHECK(strcmp(P(c)->peer_acname, "testac") == 0);

	/* Frames both ways, protocol field first, headers stripped. */
	send_frame(c, lcp, sizeof(lcp));
	CHECK(run_until(got_frame, s, 2000));
	CHECK(s->inlen == sizeof(lcp) && memcmp(s->in, lcp, sizeof(lcp)) == 0);
	send_frame(s, ipf, sizeof(ipf));
	CHECK(run_until(got_frame, c, 2000));
	CHECK(c->inlen == sizeof(ipf) && memcmp(c->in, ipf, sizeof(ipf)) == 0);
	/* Over the MTU: dropped, never sent. */
	uint8_t big[1495];
	memset(big, 0, sizeof(big));
	big[1] = 0x21;
	want_nin = s->nin + 1;
	send_frame(c, big, sizeof(big));
	CHECK(P(c)->out_drops == 1);
	send_frame(c, big, 1494);
	CHECK(run_until(got_frame, s, 2000) && s->nin == want_nin && s->inlen == 1494);
	want_nin = 1;

	T.outlen = 0;
	dev_pppoe.show(NULL, s);
	CHECK(strstr(T.out, "Session ID") != NULL && strstr(T.out, "UP") != NULL);

	/* Client hangs up: PADT reaches the concentrator. */
	dev_pppoe.close(c);
	CHECK(c->downs == 1 && c->state == DEV_DOWN);
	CHECK(run_until(is_down, s, 2000));
	CHECK(strstr(s->reason, "PADT") != NULL && s->state == DEV_DOWN);
	CHECK(dev_pppoe.peer_addr(s, mac, sizeof(mac)) == NULL);
	free_link(c);
	drop_clones();
	printf("ok basic session 0x%04x\n", sid);
}

static void test_second_service_and_server_close(void)
{
	struct link *c = mk_link("CG", false, false);

	CHECK(set(c, "iface", T.va) == CMD_OK);
	CHECK(set(c, "service", "testac\\gold") == CMD_OK);
	client_open(c);
	CHECK(run_until(is_up, c, 5000) && c->ups == 1);
	struct link *s = clone_with_sid(P(c)->sid);
	CHECK(s != NULL && s->from == tmpl_gold);
	CHECK(run_until(is_up, s, 2000) && s->ups == 1);
	/* The concentrator hangs up this time. */
	dev_pppoe.close(s);
	CHECK(s->downs == 1);
	CHECK(run_until(is_down, c, 2000) && strstr(c->reason, "PADT received") != NULL);
	free_link(c);
	drop_clones();
	printf("ok second service, AC-Name selection, server close\n");
}

static void test_open_inside_incoming(void)
{
	struct link *c = mk_link("CY", false, false);

	CHECK(set(c, "iface", T.va) == CMD_OK);
	CHECK(set(c, "service", "sync") == CMD_OK);
	client_open(c);
	CHECK(run_until(is_up, c, 5000) && c->ups == 1);
	struct link *s = clone_with_sid(P(c)->sid);
	CHECK(s != NULL && s->from == tmpl_sync && s->ups == 1 && s->state == DEV_UP);
	dev_pppoe.close(c);
	CHECK(run_until(is_down, s, 2000));
	free_link(c);
	drop_clones();
	printf("ok open during link_dev_incoming\n");
}

static void test_busy(void)
{
	struct link *c = mk_link("CF", false, false);

	CHECK(set(c, "iface", T.va) == CMD_OK);
	CHECK(set(c, "service", "full") == CMD_OK);
	client_open(c);
	CHECK(run_until(is_down, c, 5000));
	CHECK(c->ups == 0 && strstr(c->reason, "AC-System-Error") != NULL);
	CHECK(T.nclones == 0);
	printf("ok busy template refused: %s\n", c->reason);
	free_link(c);
}

static void test_max_payload(void)
{
	uint8_t big[1502];
	struct link *c = mk_link("CM", false, false);

	CHECK(set(c, "iface", T.va) == CMD_OK);
	CHECK(set(c, "service", "isp") == CMD_OK);
	CHECK(set(c, "max-payload", "1500") == CMD_OK);
	client_open(c);
	CHECK(run_until(is_up, c, 5000) && c->ups == 1);
	struct link *s = clone_with_sid(P(c)->sid);
	CHECK(s != NULL && run_until(is_up, s, 2000));
	CHECK(dev_pppoe.mtu(c) == 1500 && dev_pppoe.mtu(s) == 1500);
	memset(big, 0x5a, sizeof(big));
	send_frame(c, big, sizeof(big));
	CHECK(run_until(got_frame, s, 2000) && s->inlen == sizeof(big));
	dev_pppoe.close(c);
	CHECK(run_until(is_down, s, 2000));
	free_link(c);
	drop_clones();
	printf("ok PPP-Max-Payload 1500\n");
}

static bool all_up(void *arg)
{
	struct link **cl = arg;
	for (int i = 0; i < 20; i++)
		if (!is_up(cl[i]))
			return false;
	return true;
}

static bool all_down(void *arg)
{
	struct link **cl = arg;
	for (int i = 0; i < 20; i++)
		if (cl[i]->downs == 0)
			return false;
	return true;
}

static void test_twenty_clients(void)
{
	struct link *cl[20];
	char name[16];

	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "M%d", i);
		cl[i] = mk_link(name, false, false);
		CHECK(set(cl[i], "iface", T.va) == CMD_OK);
		CHECK(set(cl[i], "service", "isp") == CMD_OK);
		client_open(cl[i]);
	}
	/* One socket pair for all of them. */
	for (int i = 1; i < 20; i++)
		CHECK(P(cl[i])->ifp == P(cl[0])->ifp);
	CHECK(run_until(all_up, cl, 8000));
	for (int i = 0; i < 20; i++) {
		CHECK(cl[i]->ups == 1);
		for (int j = 0; j < i; j++)
			CHECK(P(cl[i])->sid != P(cl[j])->sid);
		struct link *s = clone_with_sid(P(cl[i])->sid);
		CHECK(s != NULL && memcmp(P(s)->peer, P(cl[i])->ifp->mac, 6) == 0);
	}
	CHECK(T.nclones == 20);
	for (int i = 0; i < T.nclones; i++)
		dev_pppoe.close(T.clones[i]);
	CHECK(run_until(all_down, cl, 3000));
	for (int i = 0; i < 20; i++) {
		CHECK(strstr(cl[i]->reason, "PADT") != NULL);
		free_link(cl[i]);
	}
	drop_clones();
	printf("ok 20 clients, 20 distinct sessions\n");
}

static void test_no_offer(void)
{
	struct link *c = mk_link("CN", false, false), *w = mk_link("CW", false, false);

	CHECK(set(c, "iface", T.va) == CMD_OK);
	CHECK(set(c, "service", "silver") == CMD_OK);
	CHECK(set(w, "iface", T.va) == CMD_OK);
	CHECK(set(w, "service", "otherac\\isp") == CMD_OK);
	client_open(c);
	client_open(w);
	CHECK(run_until(is_down, c, 8000) == false); /* still trying before 9 s */
	CHECK(P(c)->state == PPPOE_PADI_SENT && P(w)->state == PPPOE_PADI_SENT);
	CHECK(run_until(is_down, c, 3000) && run_until(is_down, w, 500));
	CHECK(strstr(c->reason, "timeout") != NULL && strstr(w->reason, "timeout") != NULL);
	CHECK(c->ups == 0 && w->ups == 0 && T.nclones == 0);
	free_link(c);
	free_link(w);
	printf("ok no PADO for a service nobody offers or another AC-Name\n");
}

int main(void)
{
	if (geteuid() != 0) {
		printf("SKIP: needs root for network namespaces\n");
		return 77;
	}
	T.base = event_base_new();
	CHECK(T.base != NULL);
	setup_netns();
	test_commands();
	setup_server();
	test_basic_session();
	test_second_service_and_server_close();
	test_open_inside_incoming();
	test_busy();
	test_max_payload();
	test_twenty_clients();
	test_no_offer();
	free_link(tmpl_isp);
	free_link(tmpl_gold);
	free_link(tmpl_full);
	free_link(tmpl_sync);
	/* Every interface closed with its last user. */
	CHECK(LIST_EMPTY(&pppoe_reg()->ifs));
	event_base_free(T.base);
	in_ns(T.ns_orig);
	cleanup();
	printf("pppoe device: all passed\n");
	return 0;
}
