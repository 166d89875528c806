/* Syslog priorities by meaning: what would go to syslog, captured through the output hook. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <syslog.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <event2/event.h>

#include "ppp_harness.h"
#include "core/log.h"
#include "ppp/ipcp.h"

#define CAP_MAX 64

struct capture {
	int n;
	int prio[CAP_MAX];
	char line[CAP_MAX][200];
};

static void cap_write(void *arg, int prio, const char *line)
{
	struct capture *c = arg;

	if (c->n < CAP_MAX) {
		c->prio[c->n] = prio;
		snprintf(c->line[c->n], sizeof(c->line[0]), "%s", line);
		c->n++;
	}
}

static int setup(void **state)
{
	struct capture *c = calloc(1, sizeof(*c));
	struct log_output out = { cap_write, c };

	log_set_output(&out);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	log_set_output(NULL);
	free(*state);
	return 0;
}

/* The priority of the first captured line containing text, or -1. */
static int prio_of(const struct capture *c, const char *text)
{
	for (int i = 0; i < c->n; i++)
		if (strstr(c->line[i], text) != NULL)
			return c->prio[i];
	return -1;
}

static void test_classes(void **state)
{
	struct capture *c = *state;

	log_set(LG_LCP, true);
	log_msg(LG_LCP, "L1", "an event");
	log_msg(LG_ERR, NULL, "an error");
	log_msg(LG_WARN, "B1", "a refusal");
	log_msg(LG_NOTICE, NULL, "a start");
	assert_int_equal(c->n, 4);
	assert_string_equal(c->line[0], "[L1] an event");
	assert_int_equal(c->prio[0], LOG_INFO);
	assert_int_equal(c->prio[1], LOG_ERR);
	assert_int_equal(c->prio[2], LOG_WARNING);
	assert_int_equal(c->prio[3], LOG_NOTICE);
}

static void test_explicit_priority(void **state)
{
	struct capture *c = *state;

	log_set(LG_IPCP, true);
	log_pmsg(LG_IPCP, LP_WARNING, "B1", "failed");
	log_pmsg(LG_IPCP, LP_NOTICE, "B1", "noted");
	log_pmsg(LG_ERR, LP_DEFAULT, NULL, "still err");
	assert_int_equal(c->prio[0], LOG_WARNING);
	assert_int_equal(c->prio[1], LOG_NOTICE);
	assert_int_equal(c->prio[2], LOG_ERR);
	/* the flag still decides whether the line goes out at all */
	log_set(LG_IPCP, false);
	log_pmsg(LG_IPCP, LP_WARNING, "B1", "silent");
	assert_int_equal(c->n, 3);
	log_set(LG_IPCP, true);
}

/* A real engine: its normal events go at info, its failure at warning, none at err. */
static void test_engine_failure(void **state)
{
	struct capture *c = *state;
	struct rec *r = calloc(1, sizeof(*r));
	struct ipcp *p = calloc(1, sizeof(*p));
	struct fsm_owner o = rec_owner(r);
	struct ipcp_conf conf = { .name = "B9", .timeout = 2 };

	log_set(LG_FSM, true);
	ipcp_init(p, &conf, &o);
	fsm_open(&p->fsm);
	fsm_up(&p->fsm);
	for (int i = 0; i < 20 && p->fsm.state == FSM_REQSENT; i++)
		fsm_timeout(&p->fsm);
	assert_int_equal(p->fsm.state, FSM_STOPPED);
	assert_int_equal(prio_of(c, "state change Initial --> Starting"), LOG_INFO);
	assert_int_equal(prio_of(c, "send Configure-Request"), LOG_INFO);
	assert_int_equal(prio_of(c, "no reply to Configure-Request"), LOG_WARNING);
	for (int i = 0; i < c->n; i++)
		assert_int_not_equal(c->prio[i], LOG_ERR);

	/* rejected by the peer: a notice */
	fsm_protocol_rejected(&p->fsm);
	assert_int_equal(prio_of(c, "protocol rejected by peer"), LOG_NOTICE);
	free(p);
	free(r);
}

/* Everything readable from fd now, NUL-terminated. */
static size_t drain(int fd, char *buf, size_t size)
{
	size_t n = 0;
	ssize_t r;
	while (n + 1 < size && (r = read(fd, buf + n, size - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
	return n;
}

/*
 * Foreground lines attached to a loop: written together when the loop runs,
 * at once for an error (with what waited before it), unbatched in a child.
 */
static void test_batched_stderr(void **state)
{
	(void)state;
	char early[4096], late[4096], urgent[4096], child[4096];
	int pfd[2];
	assert_int_equal(pipe2(pfd, O_NONBLOCK), 0);
	int saved = dup(STDERR_FILENO);
	dup2(pfd[1], STDERR_FILENO);
	struct event_base *base = event_base_new();
	log_attach(base);
	log_msg(LG_LINK, "L1", "first line");
	log_msg(LG_LINK, "L1", "second line");
	drain(pfd[0], early, sizeof(early));
	usleep(10000);
	event_base_loop(base, EVLOOP_ONCE);
	drain(pfd[0], late, sizeof(late));
	log_msg(LG_LINK, "L2", "before the error");
	log_msg(LG_ERR, "L2", "an error");
	drain(pfd[0], urgent, sizeof(urgent));
	pid_t pid = fork();
	if (pid == 0) {
		log_msg(LG_LINK, "L3", "from a child");
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	drain(pfd[0], child, sizeof(child));
	log_detach();
	event_base_free(base);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(pfd[0]);
	close(pfd[1]);
	assert_string_equal(early, "");
	assert_non_null(strstr(late, "[L1] first line\n"));
	assert_non_null(strstr(late, "[L1] second line\n"));
	assert_true(strstr(late, "first line") < strstr(late, "second line"));
	assert_non_null(strstr(urgent, "[L2] before the error\n"));
	assert_true(strstr(urgent, "before the error") < strstr(urgent, "an error"));
	assert_non_null(strstr(child, "[L3] from a child\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_classes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_explicit_priority, setup, teardown),
		cmocka_unit_test_setup_teardown(test_engine_failure, setup, teardown),
		cmocka_unit_test(test_batched_stderr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
