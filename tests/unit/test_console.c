/*
 * The telnet and stdin consoles end to end on a real libevent loop: a
 * listener on 127.0.0.1 with an ephemeral port, clients on plain sockets,
 * and a tiny interpreter plugged in so the console is tested on its own.
 */
#include "test_console_client.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>

#include "core/log.h"
#include "link/link.h"

/* ---- a tiny interpreter ---- */

/* Stands for a link object: registered in the daemon's link registry by setup,
 * so the console can hold a handle on it. */
static struct link fake_link;

static void say(struct cmd_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct cmd_ctx *c, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (c->out != NULL)
		c->out(c->out_arg, buf);
}

static int t_run(struct cmd_ctx *c, const char *line)
{
	if (strncmp(line, "echo ", 5) == 0)
		say(c, "ECHO:%s\n", line + 5);
	else if (strcmp(line, "exit") == 0)
		c->exit_req = true;
	else if (strcmp(line, "priv") == 0)
		say(c, "PRIV:%d\n", c->priv);
	else if (strcmp(line, "logging on") == 0)
		c->logging = true;
	else if (strcmp(line, "ctx") == 0)
		c->link = &fake_link;
	else if (strcmp(line, "showctx") == 0)
		say(c, "CTX:%s\n", c->link != NULL ? "set" : "none");
	else if (strcmp(line, "esc") == 0)
		say(c, "A\x1b[2J\x07" "B\tC\n");
	else if (strcmp(line, "emit") == 0)
		log_msg(LG_ERR, NULL, "emitted-from-command");
	else if (strcmp(line, "flood") == 0) {
		char k[1024];
		memset(k, 'x', sizeof(k) - 2);
		k[sizeof(k) - 2] = '\n';
		k[sizeof(k) - 1] = '\0';
		for (int i = 0; i < 10 * 1024; i++)
			say(c, "%s", k);
	} else if (strcmp(line, "shutdown") == 0)
		console_free(c->d->console);
	else
		say(c, "UNKNOWN:%s\n", line);
	return CMD_OK;
}

static void t_help(struct cmd_ctx *c, const char *partial)
{
	say(c, "HELP:<%s>\n", partial);
}

static int t_complete(struct cmd_ctx *c, const char *partial, char *out, size_t outlen)
{
	(void)c;
	if (strcmp(partial, "ec") == 0) {
		snprintf(out, outlen, "echo ");
		return 1;
	}
	return 0;
}

static void t_prompt(const struct cmd_ctx *c, char *buf, size_t len)
{
	snprintf(buf, len, "[%s] ", c->link != NULL ? "L1" : "");
}

static const struct console_interp t_interp = {t_run, t_help, t_complete, t_prompt};

static int setup(void **state)
{
	int rc = fx_setup(state, &t_interp);
	struct fx *f = *state;

	memset(&fake_link, 0, sizeof(fake_link));
	fake_link.d = f->d;
	assert_int_equal(reg_init(&f->d->links, NULL), 0);
	fake_link.index = (unsigned)reg_add(&f->d->links, &fake_link, NULL);
	return rc;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	reg_free(&f->d->links);
	return fx_teardown(state);
}

/* ---- tests ---- */

static void test_banner_negotiation(void **state)
{
	struct fx *f = *state;
	struct client *cl = cl_connect(f);
	static const unsigned char neg[] = {255, 251, 3, 255, 253, 3, 255, 251, 1, 255, 253, 1};

	assert_true(expect(f, cl, "Username: "));
	assert_true(cl->len >= sizeof(neg));
	assert_memory_equal(cl->buf, neg, sizeof(neg));
	assert_non_null(strstr(cl->buf + sizeof(neg), "Multi-link PPP daemon"));
	assert_non_null(strstr(cl->buf, "\r\n\r\nUsername: "));
	cl_free(cl);
	assert_true(wait_sessions(f, 0));
}

static void test_login_and_command(void **state)
{
	struct fx *f = *state;
	struct client *cl = cl_connect(f);

	assert_true(expect(f, cl, "Username: "));
	cl_puts(cl, "admin\r\n");
	assert_true(expect(f, cl, "admin\r\nPassword: ")); /* user name echoed */
	size_t mark = cl->pos;
	cl_puts(cl, "secret\r\n");
	assert_true(expect(f, cl, "[] "));
	assert_null(memmem(cl->buf + mark, cl->len - mark, "secret", 6)); /* password not echoed */
	cl_puts(cl, "echo hello world\r\n");
	assert_true(expect(f, cl, "ECHO:hello world\r\n[] "));
	cl_puts(cl, "priv\r\n");
	assert_true(expect(f, cl, "PRIV:2\r\n"));
	cl_free(cl);
	assert_true(wait_sessions(f, 0));
}

static void test_login_failed(void **state)
{
	struct fx *f = *state;
	struct client *cl = cl_connect(f);

	assert_true(expect(f, cl, "Username: "));
	cl_puts(cl, "admin\r\nwrong\r\n");
	assert_true(expect(f, cl, "Login failed\r\nUsername: "));
	cl_puts(cl, "nobody\r\nsecret\r\n");
	assert_true(expect(f, cl, "Login failed\r\nUsername: "));
	/* The right password of another user does not open this one. */
	cl_puts(cl, "bob\r\nsecret\r\n");
	assert_true(expect(f, cl, "Login failed\r\nUsername: "));
	cl_puts(cl, "bob\r\npw\r\n");
	assert_true(expect(f, cl, "[] "));
	cl_puts(cl, "priv\r\n");
	assert_true(expect(f, cl, "PRIV:0\r\n"));
	cl_free(cl);
}

static void test_login_attempts_bounded(void **state)
{
	struct fx *f = *state;
	struct client *cl = cl_connect(f);

	assert_true(expect(f, cl, "Username: "));
	for (int i = 0; i < CON_LOGIN_TRIES; i++)
		cl_puts(cl, "admin\r\nbad\r\n");
	assert_true(expect_eof(f, cl));
	assert_int_equal(console_nsessions(f->con), 0);
	cl_free(cl);
}

static void test_login_timeout(void **state)
{
	struct fx *f = *state;

	f->con->login_timeout_ms = 100;
	struct client *cl = cl_connect(f);
	assert_true(expect(f, cl, "Username: "));
	cl_puts(cl, "adm"); /* silent client with half a line */
	assert_true(expect(f, cl, "Login timeout"));
	assert_true(expect_eof(f, cl));
	assert_int_equal(console_nsessions(f->con), 0);
	cl_free(cl);
}

static void test_auth_disabled(void **state)
{
	struct fx *f = *state;

	f->con->opts.enable &= ~(1u << CONSOLE_OPT_AUTH);
	struct client *cl = cl_connect(f);
	assert_true(expect(f, cl, "[] "));
	assert_null(strstr(cl->buf, "Username"));
	cl_puts(cl, "priv\r\n");
	assert_true(expect(f, cl, "PRIV:2\r\n"));
	cl_free(cl);
}

static void test_two_sessions_and_exit(void **state)
{
	struct fx *f = *state;
	struct client *a = cl_login(f, "admin", "secret");
	struct client *b = cl_login(f, "bob", "pw");

	assert_int_equal(console_nsessions(f->con), 2);
	cl_puts(a, "echo from-a\r\n");
	cl_puts(b, "echo from-b\r\n");
	assert_true(expect(f, a, "ECHO:from-a"));
	assert_true(expect(f, b, "ECHO:from-b"));
	assert_null(strstr(a->buf, "from-b"));
	assert_null(strstr(b->buf, "from-a"));
	cl_puts(a, "exit\r\n");
	assert_true(expect_eof(f, a));
	assert_true(wait_sessions(f, 1));
	cl_puts(b, "priv\r\n");
	assert_true(expect(f, b, "PRIV:0"));
	cl_free(a);
	cl_free(b);
	assert_true(wait_sessions(f, 0));
}

static void test_editing(void **state)
{
	struct fx *f = *state;
	struct client *cl = cl_login(f, "admin", "secret");

	cl_puts(cl, "echo abX\x7f\b" "c\r\n"); /* DEL and BS each erase one */
	assert_true(expect(f, cl, "\b \b\b \b"));
	assert_true(expect(f, cl, "ECHO:ac\r\n"));
	cl_puts(cl, "echo junk\x03");
	assert_true(expect(f, cl, "^C\r\n[] "));
	cl_puts(cl, "echo ok\r\n");
	assert_true(expect(f, cl, "ECHO:ok\r\n"));
	assert_null(strstr(cl->buf, "ECHO:junk"));
	/* Left/Right are ignored, other sequences skipped. */
	cl_puts(cl, "echo x\x1b[D\x1b[C\x1b[1;5Hy\r\n");
	assert_true(expect(f, cl, "ECHO:xy\r\n"));
	/* A bare LF ends a line too, and CR NUL is one line end. */
	static const char ends[] = "echo lf\necho crnul\r\0echo next\r\n";
	cl_send(cl, ends, sizeof(ends) - 1);
	assert_true(expect(f, cl, "ECHO:lf\r\n"));
	assert_true(expect(f, cl, "ECHO:crnul\r\n[] "));
	assert_true(expect(f, cl, "ECHO:next\r\n[] "));
	assert_null(strstr(cl->buf + cl->pos, "[] [] "));
	cl_free(cl);
}

static void test_telnet_commands_skipped(void **state)
{
	struct fx *f = *state;
	struct client *cl = cl_login(f, "admin", "secret");

	/* DO TTYPE, a subnegotiation carrying text, IAC IAC and NOP inside the line. */
	static const char in[] = "ec\xff\xfd\x18ho\xff\xfa\x18\x00xterm\xff\xf0 \xff\xff\xff\xf1t\r\n";
	cl_send(cl, in, sizeof(in) - 1);
	assert_true(expect(f, cl, "ECHO:t\r\n"));
	cl_free(cl);
}

static void test_history(void **state)
{
	struct fx *f = *state;
	struct client *cl = cl_login(f, "admin", "secret");

	cl_puts(cl, "echo one\r\n");
	assert_true(expect(f, cl, "ECHO:one"));
	cl_puts(cl, "echo two\r\n");
	assert_true(expect(f, cl, "ECHO:two"));
	cl_puts(cl, "\x10\x10\r\n"); /* Ctrl-P twice */
	assert_true(expect(f, cl, "ECHO:one\r\n"));
	cl_puts(cl, "\x1b[A\x1b[A\x1b[B\r\n"); /* up to "echo two", then back down to "echo one" */
	assert_true(expect(f, cl, "ECHO:one\r\n"));
	cl_puts(cl, "echo par\x10\x0e" "t\r\n"); /* Ctrl-N restores the line being typed */
	assert_true(expect(f, cl, "ECHO:part\r\n"));
	/* Only 10 entries: the oldest falls out, and walking past the end rings. */
	for (int i = 0; i < 12; i++) {
		char l[32];
		snprintf(l, sizeof(l), "echo h%d\r\n", i);
		cl_puts(cl, l);
		snprintf(l, sizeof(l), "ECHO:h%d\r\n", i);
		assert_true(expect(f, cl, l));
	}
	for (int i = 0; i < 11; i++)
		cl_puts(cl, "\x10");
	cl_puts(cl, "\r\n");
	assert_true(expect(f, cl, "\a"));
	assert_true(expect(f, cl, "ECHO:h2\r\n"));
	cl_free(cl);
}

static void test_help_and_tab(void **state)
{
	struct fx *f = *state;
	struct client *cl = cl_login(f, "admin", "secret");

	cl_puts(cl, "ec?");
	assert_true(expect(f, cl, "HELP:<ec>\r\n[] ec"));
	cl_puts(cl, "ho z\r\n");
	assert_true(expect(f, cl, "ECHO:z\r\n"));
	cl_puts(cl, "ec\t");
	assert_true(expect(f, cl, "\b\b  \b\becho "));
	cl_puts(cl, "w\r\n");
	assert_true(expect(f, cl, "ECHO:w\r\n"));
	cl_puts(cl, "zz\t");
	assert_true(expect(f, cl, "zz\a"));
	cl_puts(cl, "\r\n");
	assert_true(expect(f, cl, "UNKNOWN:zz\r\n"));
	cl_free(cl);
}

static void test_control_chars_filtered(void **state)
{
	struct fx *f = *state;
	struct client *cl = cl_login(f, "admin", "secret");

	cl_puts(cl, "esc\r\n");
	assert_true(expect(f, cl, "A?[2J?B\tC\r\n"));
	cl_puts(cl, "logging on\r\n");
	assert_true(expect(f, cl, "[] "));
	log_msg(LG_ERR, NULL, "peer \x1b]0;owned\x07 said \xff");
	assert_true(expect(f, cl, "peer ?]0;owned? said \xff\xff\r\n"));
	cl_free(cl);
}

static void test_redact(void **state)
{
	char out[CON_LINE_MAX + 8];
	static const char *const cases[][2] = {
		{"set user joe topsecret admin", "set user joe ***"},
		{"  se us joe topsecret", "  se us joe ***"},
		{"set auth password pw", "set auth password ***"},
		{"set radius server 10.0.0.1 sharedkey 1812 1813", "set radius server 10.0.0.1 ***"},
		{"set l2tp secret abc", "set l2tp secret ***"},
		{"set console user joe topsecret", "set console user joe ***"},
		{"set user joe", "set user joe"},
		{"set auth authname joe", "set auth authname joe"},
		{"set console enable logging", "set console enable logging"},
		{"show user", "show user"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		con_redact(cases[i][0], out, sizeof(out));
		assert_string_equal(out, cases[i][1]);
	}
}

static void test_secrets_not_logged_to_sessions(void **state)
{
	struct fx *f = *state;
	struct client *a = cl_login(f, "admin", "secret");
	struct client *b = cl_login(f, "bob", "pw");

	cl_puts(b, "logging on\r\n");
	assert_true(expect(f, b, "[] "));
	cl_puts(a, "set user eve hunter2 admin\r\n");
	assert_true(expect(f, b, "admin@127.0.0.1:"));
	assert_true(expect(f, b, ": set user eve ***\r\n"));
	assert_null(strstr(b->buf, "hunter2"));
	cl_free(a);
	cl_free(b);
}

static void test_long_line_truncated(void **state)
{
	struct fx *f = *state;
	struct client *cl = cl_login(f, "admin", "secret");
	char line[1100], want[CON_LINE_MAX + 16];

	memcpy(line, "echo ", 5);
	memset(line + 5, 'a', 1000);
	memcpy(line + 1005, "\r\n", 3);
	cl_puts(cl, line);
	snprintf(want, sizeof(want), "ECHO:%.*s\r\n", CON_LINE_MAX - 5, line + 5);
	assert_true(expect(f, cl, want));
	assert_non_null(strchr(cl->buf, '\a')); /* the overflow rang */
	cl_puts(cl, "echo after\r\n");
	assert_true(expect(f, cl, "ECHO:after\r\n"));
	cl_free(cl);
}

static void test_disconnect_mid_line(void **state)
{
	struct fx *f = *state;
	struct client *cl = cl_login(f, "admin", "secret");

	cl_puts(cl, "echo half a li");
	assert_true(expect(f, cl, "half a li"));
	cl_free(cl);
	assert_true(wait_sessions(f, 0));
	/* And one that leaves during login. */
	cl = cl_connect(f);
	assert_true(expect(f, cl, "Username: "));
	cl_puts(cl, "admin\r\nsec");
	assert_true(expect(f, cl, "Password: "));
	cl_free(cl);
	assert_true(wait_sessions(f, 0));
}

static void test_logging(void **state)
{
	struct fx *f = *state;
	struct client *a = cl_login(f, "admin", "secret");
	struct client *b = cl_login(f, "bob", "pw");
	struct client *c = cl_connect(f); /* not logged in: never gets log lines */

	assert_true(expect(f, c, "Username: "));
	cl_puts(a, "logging on\r\n");
	assert_true(expect(f, a, "[] "));
	log_msg(LG_ERR, "L1", "first-log-line");
	assert_true(expect(f, a, "[L1] first-log-line\r\n"));
	cl_puts(a, "emit\r\n"); /* a line logged while the session runs a command */
	assert_true(expect(f, a, "emitted-from-command\r\n"));
	cl_puts(b, "echo sync\r\n");
	assert_true(expect(f, b, "ECHO:sync"));
	pump(f, 20, b, c);
	assert_null(strstr(b->buf, "first-log-line"));
	assert_null(strstr(c->buf, "first-log-line"));
	/* Command lines are logged (console flag) and reach the logging session. */
	cl_puts(b, "echo logged-command\r\n");
	assert_true(expect(f, a, "bob@127.0.0.1:"));
	assert_true(expect(f, a, ": echo logged-command\r\n"));
	cl_free(a);
	cl_free(b);
	cl_free(c);
}

static void test_log_lines_dropped_when_lagging(void **state)
{
	struct fx *f = *state;
	struct client *a = cl_login(f, "admin", "secret");
	char pad[200];

	cl_puts(a, "logging on\r\n");
	assert_true(expect(f, a, "[] "));
	struct console_session *s = TAILQ_FIRST(&f->con->sessions);
	memset(pad, 'p', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	/* Nobody runs the loop, so nothing is sent: the buffer must stay bounded. */
	int saved = dup(2), nul = open("/dev/null", O_WRONLY);
	dup2(nul, 2); /* keep the copies core/log.c prints out of the test output */
	for (int i = 0; i < 20000; i++)
		log_msg(LG_ERR, NULL, "%d %s", i, pad);
	dup2(saved, 2);
	close(saved);
	close(nul);
	size_t pending = evbuffer_get_length(bufferevent_get_output(s->bev));
	assert_true(pending <= CON_OUT_LOG_MAX + sizeof(pad) + 16);
	assert_true(s->dropped > 0);
	cl_free(a);
	assert_true(wait_sessions(f, 0));
}

static void test_flood_disconnects(void **state)
{
	struct fx *f = *state;
	struct client *a = cl_login(f, "admin", "secret");

	cl_puts(a, "flood\r\n");
	/* The client never reads: 10 MiB of output exceeds the hard limit. */
	long end = now_ms() + WAIT_MS;
	while (console_nsessions(f->con) != 0 && now_ms() < end) {
		event_base_loop(f->d->base, EVLOOP_NONBLOCK);
		usleep(1000);
	}
	assert_int_equal(console_nsessions(f->con), 0);
	cl_free(a);
}

static void test_forget(void **state)
{
	struct fx *f = *state;
	struct client *a = cl_login(f, "admin", "secret");

	cl_puts(a, "ctx\r\n");
	assert_true(expect(f, a, "[L1] "));
	/* The link is destroyed and its slot taken by another: the session's handle does not
	 * resolve to either, without the link layer telling the console anything. */
	reg_remove(&f->d->links, fake_link.index);
	static struct link other;
	assert_int_equal(reg_add(&f->d->links, &other, NULL), (int)fake_link.index);
	cl_puts(a, "showctx\r\n");
	assert_true(expect(f, a, "CTX:none\r\n[] "));
	cl_free(a);
}

static void test_close_keeps_sessions(void **state)
{
	struct fx *f = *state;
	struct client *a = cl_login(f, "admin", "secret");
	char err[128];

	console_close(f->con);
	assert_false(console_is_open(f->con));
	cl_puts(a, "echo still-here\r\n");
	assert_true(expect(f, a, "ECHO:still-here"));
	assert_int_equal(console_open(f->con, err, sizeof(err)), 0);
	assert_int_not_equal(console_open(f->con, err, sizeof(err)), 0); /* already open */
	cl_free(a);
}

static void test_free_from_inside_session(void **state)
{
	struct fx *f = *state;
	struct client *a = cl_login(f, "admin", "secret");
	struct client *b = cl_login(f, "bob", "pw");

	cl_puts(a, "shutdown\r\n"); /* frees the console from a's own callback */
	assert_true(expect_eof(f, a));
	assert_true(expect_eof(f, b));
	assert_null(f->d->console);
	cl_free(a);
	cl_free(b);
}

static void test_ipv6_listener(void **state)
{
	struct fx *f = *state;
	char err[128];
	struct console *con = f->con;

	console_close(con);
	if (console_set_self(con, "::1", 0, err, sizeof(err)) != 0 || console_open(con, err, sizeof(err)) != 0) {
		fprintf(stderr, "no IPv6 loopback here: %s\n", err);
		return;
	}
	struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)console_port(con))};
	sin6.sin6_addr = in6addr_loopback;
	struct client *cl = calloc(1, sizeof(*cl));
	cl->fd = socket(AF_INET6, SOCK_STREAM, 0);
	assert_int_equal(connect(cl->fd, (struct sockaddr *)&sin6, sizeof(sin6)), 0);
	fcntl(cl->fd, F_SETFL, O_NONBLOCK);
	assert_true(expect(f, cl, "Username: "));
	struct console_session *s = TAILQ_FIRST(&con->sessions);
	assert_non_null(strstr(s->peer, "[::1]:"));
	cl_free(cl);
	assert_int_not_equal(console_set_self(con, "::1", 70000, err, sizeof(err)), 0);
}

/* ---- the stdin console, on pipes and files ---- */

static void test_stdin_pipe(void **state)
{
	struct fx *f = *state;
	int in[2], out[2];

	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	assert_int_equal(con_stdin_start_fds(f->d, in[0], out[1]), 0);
	assert_non_null(console_stdin_ctx(f->d));
	assert_int_equal(console_stdin_ctx(f->d)->priv, PRIV_ADMIN);
	assert_true(console_stdin_ctx(f->d)->logging);
	struct client o = {.fd = out[0]};
	assert_true(expect(f, &o, "[] "));
	assert_int_equal(write(in[1], "priv\n", 5), 5);
	assert_true(expect(f, &o, "PRIV:2\n[] "));
	assert_null(strstr(o.buf, "\r\n")); /* plain line ends, the tty adds CR */
	log_msg(LG_ERR, NULL, "stdin-log-line");
	assert_true(expect(f, &o, "stdin-log-line\n"));
	/* End of input ends the console, not the daemon. */
	close(in[1]);
	assert_true(wait_sessions(f, 0));
	assert_null(console_stdin_ctx(f->d));
	assert_true(console_is_open(f->con));
	close(in[0]);
	close(out[0]);
	close(out[1]);
}

static void test_stdin_exit(void **state)
{
	struct fx *f = *state;
	int in[2], out[2];

	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	assert_int_equal(con_stdin_start_fds(f->d, in[0], out[1]), 0);
	assert_int_equal(write(in[1], "exit\necho never\n", 16), 16);
	assert_true(wait_sessions(f, 0));
	struct client o = {.fd = out[0]};
	pump(f, 20, &o, NULL);
	assert_null(strstr(o.buf, "never"));
	close(in[0]);
	close(in[1]);
	close(out[0]);
	close(out[1]);
}

static void test_stdin_file(void **state)
{
	struct fx *f = *state;
	char path[] = "/tmp/test_console_XXXXXX";
	int out[2];
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	unlink(path);
	static const char cmds[] = "echo from-file\r\necho second\n";
	assert_int_equal(write(fd, cmds, sizeof(cmds) - 1), (ssize_t)sizeof(cmds) - 1);
	lseek(fd, 0, SEEK_SET);
	assert_int_equal(pipe(out), 0);
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	assert_int_equal(con_stdin_start_fds(f->d, fd, out[1]), 0);
	struct client o = {.fd = out[0]};
	assert_true(expect(f, &o, "ECHO:from-file\n"));
	assert_true(expect(f, &o, "ECHO:second\n"));
	assert_true(wait_sessions(f, 0));
	close(fd);
	/* /dev/null: nothing to read, the console just ends. */
	int nul = open("/dev/null", O_RDONLY);
	assert_int_equal(con_stdin_start_fds(f->d, nul, out[1]), 0);
	assert_true(wait_sessions(f, 0));
	close(nul);
	close(out[0]);
	close(out[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_banner_negotiation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_login_and_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_login_failed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_login_attempts_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_login_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auth_disabled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_sessions_and_exit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_editing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_telnet_commands_skipped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history, setup, teardown),
		cmocka_unit_test_setup_teardown(test_help_and_tab, setup, teardown),
		cmocka_unit_test_setup_teardown(test_control_chars_filtered, setup, teardown),
		cmocka_unit_test(test_redact),
		cmocka_unit_test_setup_teardown(test_secrets_not_logged_to_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_line_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disconnect_mid_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_logging, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_lines_dropped_when_lagging, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flood_disconnects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forget, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_keeps_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_from_inside_session, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv6_listener, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stdin_pipe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stdin_exit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stdin_file, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
