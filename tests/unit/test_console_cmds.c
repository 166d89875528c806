/*
 * `set console ...` and `show console` through the real interpreter and
 * root table, from a session-less context (a config file) and from
 * telnet sessions of different privilege (commands.md §8.3, §5.4).
 */
#include "test_console_client.h"

#include "conf/cmd.h"
#include "core/log.h"

struct capture {
	char buf[8192];
	size_t len;
};

static void cap_out(void *arg, const char *s)
{
	struct capture *k = arg;
	size_t n = strlen(s);
	if (n > sizeof(k->buf) - 1 - k->len)
		n = sizeof(k->buf) - 1 - k->len;
	memcpy(k->buf + k->len, s, n);
	k->len += n;
	k->buf[k->len] = '\0';
}

static int setup(void **state)
{
	return fx_setup(state, NULL);
}

static int teardown(void **state)
{
	return fx_teardown(state);
}

/* A port nobody listens on right now. */
static unsigned free_port(void)
{
	struct sockaddr_in sin = {.sin_family = AF_INET};
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	close(fd);
	return ntohs(sin.sin_port);
}

static void test_sessionless(void **state)
{
	struct fx *f = *state;
	struct capture k = {0};
	struct cmd_ctx c = {.d = f->d, .priv = PRIV_ADMIN, .out = cap_out, .out_arg = &k};
	char line[128];
	unsigned port = free_port();

	console_close(f->con);
	snprintf(line, sizeof(line), "set console self 127.0.0.1 %u", port);
	assert_int_equal(cmd_run_line(&c, line), CMD_OK);
	assert_false(console_is_open(f->con)); /* takes effect at open */
	assert_int_equal(cmd_run_line(&c, "set console open"), CMD_OK);
	assert_true(console_is_open(f->con));
	assert_int_equal(console_port(f->con), port);
	assert_int_equal(cmd_run_line(&c, "set console open"), CMD_OK); /* only logged */
	assert_int_equal(cmd_run_line(&c, "set console self 127.0.0.1 0"), CMD_ERR);
	assert_int_equal(cmd_run_line(&c, "set console self 127.0.0.1 65536"), CMD_ERR);
	assert_int_equal(cmd_run_line(&c, "set console self"), CMD_USAGE);
	assert_int_equal(cmd_run_line(&c, "set console self 127.0.0.1 1 2"), CMD_USAGE);
	/* Without a session the options are the global ones: auth can change here. */
	assert_int_equal(cmd_run_line(&c, "set console disable auth"), CMD_OK);
	assert_false(opt_enabled(&f->con->opts, CONSOLE_OPT_AUTH));
	k.len = 0;
	assert_int_equal(cmd_run_line(&c, "show console"), CMD_OK);
	assert_non_null(strstr(k.buf, "OPENED"));
	assert_non_null(strstr(k.buf, "127.0.0.1"));
	snprintf(line, sizeof(line), "%u", port);
	assert_non_null(strstr(k.buf, line));
	assert_non_null(strstr(k.buf, "auth"));
	assert_null(strstr(k.buf, "Session options"));
	assert_int_equal(cmd_run_line(&c, "set console enable auth"), CMD_OK);
	assert_true(opt_enabled(&f->con->opts, CONSOLE_OPT_AUTH));
	assert_int_equal(cmd_run_line(&c, "set console close"), CMD_OK);
	assert_false(console_is_open(f->con));
	k.len = 0;
	assert_int_equal(cmd_run_line(&c, "show console"), CMD_OK);
	assert_non_null(strstr(k.buf, "CLOSED"));
}

static void test_global_logging_seeds_sessions(void **state)
{
	struct fx *f = *state;
	struct capture k = {0};
	struct cmd_ctx c = {.d = f->d, .priv = PRIV_ADMIN, .out = cap_out, .out_arg = &k};
	struct client *a = cl_login(f, "admin", "secret");

	assert_int_equal(cmd_run_line(&c, "set console enable logging"), CMD_OK);
	struct client *b = cl_login(f, "bob", "pw");
	log_msg(LG_ERR, NULL, "seeded-log-line");
	assert_true(expect(f, b, "seeded-log-line\r\n"));
	cl_puts(a, "show console\r\n"); /* a started before: still without logs */
	assert_true(expect(f, a, "Session options:"));
	assert_true(expect(f, a, "[] "));
	assert_null(strstr(a->buf, "seeded-log-line"));
	cl_free(a);
	cl_free(b);
}

static void test_show_without_console(void **state)
{
	struct fx *f = *state;
	struct capture k = {0};
	struct daemon d = {.base = f->d->base};
	struct cmd_ctx c = {.d = &d, .priv = PRIV_USER, .out = cap_out, .out_arg = &k};

	assert_int_equal(cmd_run_line(&c, "show console"), CMD_OK);
	assert_non_null(strstr(k.buf, "CLOSED"));
	assert_non_null(strstr(k.buf, "5005"));
	assert_null(d.console);
}

static void test_user_session(void **state)
{
	struct fx *f = *state;
	struct client *b = cl_login(f, "bob", "pw");

	/* Any user may switch logging for the own session. */
	cl_puts(b, "set console enable logging\r\n");
	assert_true(expect(f, b, "[] "));
	log_msg(LG_ERR, NULL, "to-logging-session");
	assert_true(expect(f, b, "to-logging-session\r\n"));
	/* auth is ignored inside a session. */
	cl_puts(b, "set console disable auth\r\n");
	assert_true(expect(f, b, "[] "));
	assert_true(opt_enabled(&f->con->opts, CONSOLE_OPT_AUTH));
	/* Admin entries are invisible to a user. */
	cl_puts(b, "set console close\r\n");
	assert_true(expect(f, b, "Unknown command"));
	assert_true(console_is_open(f->con));
	cl_puts(b, "show console\r\n");
	assert_true(expect(f, b, "Active sessions:"));
	assert_true(expect(f, b, "bob"));
	assert_true(expect(f, b, " *\r\n"));
	assert_true(expect(f, b, "Session options:"));
	assert_true(expect(f, b, "logging"));
	assert_true(expect(f, b, "enable"));
	cl_puts(b, "set console disable logging\r\n");
	assert_true(expect(f, b, "[] "));
	log_msg(LG_ERR, NULL, "not-any-more");
	cl_puts(b, "show console\r\n");
	assert_true(expect(f, b, "Session options:"));
	assert_true(expect(f, b, "[] "));
	assert_null(strstr(b->buf, "not-any-more"));
	cl_puts(b, "exit\r\n");
	assert_true(expect_eof(f, b));
	cl_free(b);
}

static void test_admin_session(void **state)
{
	struct fx *f = *state;
	struct client *a = cl_login(f, "admin", "secret");

	cl_puts(a, "set con?");
	assert_true(expect(f, a, "console"));
	assert_true(expect(f, a, "[] set con"));
	cl_puts(a, "\x03set con\t");
	assert_true(expect(f, a, "set console "));
	cl_puts(a, "close\r\n");
	assert_true(expect(f, a, "[] "));
	assert_false(console_is_open(f->con));
	cl_puts(a, "show console\r\n");
	assert_true(expect(f, a, "CLOSED"));
	assert_true(expect(f, a, "admin"));
	cl_puts(a, "sh con\r\n");
	assert_true(expect(f, a, "CLOSED"));
	cl_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sessionless, setup, teardown),
		cmocka_unit_test_setup_teardown(test_global_logging_seeds_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_show_without_console, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_session, setup, teardown),
		cmocka_unit_test_setup_teardown(test_admin_session, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
