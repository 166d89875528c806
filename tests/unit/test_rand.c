/*
 * core/rand: CHAP challenges must not repeat across daemon starts that see
 * the same pid and the same clock (RFC 1994 §2.3 wants them unpredictable).
 * Two children, each pid 1 of a PID namespace of its own and in the same
 * time() second, let the real CHAP engine pick a challenge with the owner
 * randomness hook the daemon uses. As a control, the same children also run
 * the engine with the generator the daemon had before (srandom(pid ^ time)
 * then random()): its challenges must come out equal, or the test would not
 * really be holding pid and clock equal.
 */
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/pbuf.h"
#include "core/rand.h"
#include "ppp/chap.h"

#define SKIP_RC 77   /* a child could not get its namespace */
#define TRIES 5      /* second boundaries crossed before giving up */

/* What one simulated daemon start reports back over its pipe. */
struct start_report {
	pid_t pid;
	time_t now;
	uint8_t chal_new[CHAP_CHAL_LEN];  /* through rand_owner_u32 (core/rand) */
	uint8_t chal_old[CHAP_CHAL_LEN];  /* through the old seeded random() */
};

/* The generator link_ppp.c and bund_ipcp.c used before core/rand; kept here only as the control. */
static uint32_t old_rand32(void *arg)
{
	(void)arg;
	return (uint32_t)random() << 16 ^ (uint32_t)random();
}

/* Copies the Value of the Challenge the engine sends (Code, Id, Length, Value-Size, Value, Name). */
static void grab_send(void *arg, uint16_t proto, struct pbuf *pkt)
{
	uint8_t *out = arg;

	(void)proto;
	if (pkt->len >= 5 + CHAP_CHAL_LEN && pkt->data[0] == CHAP_CHALLENGE && pkt->data[4] == CHAP_CHAL_LEN)
		memcpy(out, pkt->data + 5, CHAP_CHAL_LEN);
	pbuf_free(pkt);
}

static void no_timer(void *arg, unsigned ms)
{
	(void)arg;
	(void)ms;
}

/* The challenge the CHAP engine sends as authenticator when its owner draws from rand32. */
static void engine_challenge(uint32_t (*rand32)(void *), uint8_t out[CHAP_CHAL_LEN])
{
	struct chap c;
	struct chap_owner o = {out, grab_send, no_timer, rand32, NULL, NULL};
	struct chap_conf conf = {.name = "test", .timeout = 2, .max_tries = 5};

	memset(out, 0, CHAP_CHAL_LEN);
	chap_init(&c, &conf, &o);
	chap_server_start_alg(&c, "mpd", CHAP_ALG_MD5);
	chap_stop(&c);
}

/* Body of one "daemon start": pid 1 in a fresh PID namespace. */
static void start_body(int wfd)
{
	struct start_report r = {0};

	r.pid = getpid();
	r.now = time(NULL);
	srandom((unsigned)(r.pid ^ r.now)); /* the old main.c seed */
	engine_challenge(old_rand32, r.chal_old);
	engine_challenge(rand_owner_u32, r.chal_new);
	_exit(write(wfd, &r, sizeof(r)) == (ssize_t)sizeof(r) ? 0 : 1);
}

/* One start: an intermediate process unshares the PID namespace so its child is pid 1. */
static pid_t start_one(int wfd)
{
	pid_t mid = fork();

	if (mid != 0)
		return mid;
	if (unshare(CLONE_NEWPID) < 0)
		_exit(SKIP_RC);
	pid_t inner = fork();
	if (inner < 0)
		_exit(1);
	if (inner == 0)
		start_body(wfd);
	int st;
	if (waitpid(inner, &st, 0) < 0 || !WIFEXITED(st))
		_exit(1);
	_exit(WEXITSTATUS(st));
}

/* Runs two starts; 0 when both reported, SKIP_RC when namespaces are unavailable, -1 on failure. */
static int two_starts(struct start_report r[2])
{
	int fds[2][2];
	pid_t pids[2];
	int rc = 0;

	for (int i = 0; i < 2; i++)
		if (pipe(fds[i]) < 0)
			return -1;
	for (int i = 0; i < 2; i++)
		pids[i] = start_one(fds[i][1]);
	for (int i = 0; i < 2; i++) {
		close(fds[i][1]);
		int st;
		if (pids[i] < 0 || waitpid(pids[i], &st, 0) < 0 || !WIFEXITED(st))
			rc = -1;
		else if (WEXITSTATUS(st) == SKIP_RC && rc == 0)
			rc = SKIP_RC;
		else if (WEXITSTATUS(st) != 0)
			rc = -1;
		else if (read(fds[i][0], &r[i], sizeof(r[i])) != (ssize_t)sizeof(r[i]))
			rc = -1;
		close(fds[i][0]);
	}
	return rc;
}

static void test_same_pid_and_clock_differ(void **state)
{
	(void)state;
	struct start_report r[2];
	static const uint8_t zero[CHAP_CHAL_LEN];

	if (geteuid() != 0)
		skip();
	for (int t = 0; t < TRIES; t++) {
		int rc = two_starts(r);
		if (rc == SKIP_RC)
			skip();
		assert_int_equal(rc, 0);
		if (r[0].now == r[1].now)
			break;
	}
	/* The setting holds what a predictable seed would repeat: same pid, same second. */
	assert_int_equal(r[0].pid, 1);
	assert_int_equal(r[1].pid, 1);
	assert_true(r[0].now == r[1].now);
	/* Control: the old scheme repeats its challenge, so the setting is real. */
	assert_memory_not_equal(r[0].chal_old, zero, CHAP_CHAL_LEN);
	assert_memory_equal(r[0].chal_old, r[1].chal_old, CHAP_CHAL_LEN);
	/* The daemon's hook (core/rand over getrandom) does not. */
	assert_memory_not_equal(r[0].chal_new, zero, CHAP_CHAL_LEN);
	assert_memory_not_equal(r[1].chal_new, zero, CHAP_CHAL_LEN);
	assert_memory_not_equal(r[0].chal_new, r[1].chal_new, CHAP_CHAL_LEN);
}

/* rand_below stays in range and reaches every value of a small range. */
static void test_below_range(void **state)
{
	(void)state;
	int seen[7] = {0};

	for (int i = 0; i < 2000; i++) {
		uint32_t v = rand_below(7);
		assert_true(v < 7);
		seen[v]++;
	}
	for (int i = 0; i < 7; i++)
		assert_true(seen[i] > 0);
	assert_int_equal(rand_below(1), 0);
}

/* rand_bytes fills the whole buffer, also lengths that are not a multiple of a word. */
static void test_bytes_fill(void **state)
{
	(void)state;
	uint8_t a[37], b[37];

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	rand_bytes(a, sizeof(a));
	rand_bytes(b, sizeof(b));
	assert_memory_not_equal(a, b, sizeof(a));
	/* The last bytes were written too: 8 zero bytes in a row by chance is 2^-64. */
	static const uint8_t zero[8];
	assert_memory_not_equal(a + sizeof(a) - 8, zero, 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_pid_and_clock_differ),
		cmocka_unit_test(test_below_range),
		cmocka_unit_test(test_bytes_fill),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
