/* The dispatcher, help, completion, prompt and option lists (commands.md §5). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "conf/cmd.h"
#include "core/log.h"

/* Fake objects: the dispatcher only compares pointers and asks names. */
static int fake_link, fake_bund, fake_rep;
static const char *fake_type = "pppoe";

static const char *fake_link_type(const struct link *l)
{
	return l == (const struct link *)&fake_link ? fake_type : NULL;
}

static const char *fake_link_name(const struct link *l)
{
	(void)l;
	return "L1";
}

static const char *fake_bund_name(const struct bundle *b)
{
	(void)b;
	return "B1";
}

static const char *fake_rep_name(const struct repeater *r)
{
	(void)r;
	return "R1";
}

static const struct cmd_names fake_names = {fake_link_type, fake_link_name, fake_bund_name,
					    fake_rep_name};

static char out[8192];
static void out_fn(void *arg, const char *s)
{
	(void)arg;
	strncat(out, s, sizeof(out) - strlen(out) - 1);
}

static char logbuf[4096];
static void log_fn(void *arg, const char *line)
{
	(void)arg;
	strncat(logbuf, line, sizeof(logbuf) - strlen(logbuf) - 2);
	strcat(logbuf, "\n");
}

static int ran;         /* which handler ran */
static int last_ac;
static char last_av0[64];

static int h_generic(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)c;
	ran = (int)(intptr_t)arg;
	last_ac = ac;
	snprintf(last_av0, sizeof(last_av0), "%s", ac > 0 ? av[0] : "");
	return CMD_OK;
}

static int h_needs_one(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)c;
	(void)av;
	ran = (int)(intptr_t)arg;
	return ac == 1 ? CMD_OK : CMD_USAGE;
}

static int h_fail(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)ac;
	(void)av;
	(void)arg;
	return cmd_error(c, "value out of range");
}

#define A(n) ((const void *)(intptr_t)(n))

static const struct cmd sub_set[] = {
	{"mru", "{bytes}", "Set MRU", h_needs_one, NULL, 0, PRIV_ADMIN, NULL, A(10)},
	{"mtu", "{bytes}", "Set MTU", h_needs_one, NULL, 0, PRIV_ADMIN, NULL, A(11)},
	{"linkonly", "", "Needs a link", h_generic, NULL, CTX_LINK, PRIV_ADMIN, NULL, A(12)},
	{"bundonly", "", "Needs a bundle", h_generic, NULL, CTX_BUNDLE, PRIV_ADMIN, NULL, A(13)},
	{"pppoeonly", "", "Needs a PPPoE link", h_generic, NULL, 0, PRIV_ADMIN, "pppoe", A(14)},
	{"fail", "", "Always fails", h_fail, NULL, 0, PRIV_ADMIN, NULL, A(15)},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
};

static const struct cmd menu_set[] = {
	{"link", NULL, "Link stuff", NULL, sub_set, 0, PRIV_USER, NULL, NULL},
	{"repeater", NULL, "Repeater stuff", NULL, sub_set, CTX_REPEATER, PRIV_USER, NULL, NULL},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
};

static const struct cmd root[] = {
	{"set", NULL, "Set things", NULL, menu_set, 0, PRIV_USER, NULL, NULL},
	{"settle", "", "Longer name sharing a prefix", h_generic, NULL, 0, PRIV_USER, NULL, A(2)},
	{"show", "[{what}]", "Show things", h_generic, NULL, 0, PRIV_USER, NULL, A(3)},
	{"shutdown", "", "Stop", h_generic, NULL, 0, PRIV_ADMIN | CMD_FULLWORD, NULL, A(4)},
	{"open", "", "Open", h_generic, NULL, 0, PRIV_OPERATOR, NULL, A(5)},
	{"opaque", "", "Admin only", h_generic, NULL, 0, PRIV_ADMIN, NULL, A(6)},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
};

static struct cmd_ctx ctx(int priv)
{
	struct cmd_ctx c = {.priv = priv, .out = out_fn, .root = root, .names = &fake_names};
	out[0] = '\0';
	ran = 0;
	return c;
}

static void test_prefix_match(void **state)
{
	(void)state;
	struct cmd_ctx c = ctx(PRIV_ADMIN);
	assert_int_equal(cmd_run_line(&c, "sh a b"), CMD_OK);
	assert_int_equal(ran, 3); /* sh = show: shutdown only matches typed in full */
	assert_int_equal(last_ac, 2);
	assert_string_equal(last_av0, "a");
	assert_int_equal(cmd_run_line(&c, "shutdown"), CMD_OK);
	assert_int_equal(ran, 4);
	assert_int_equal(cmd_run_line(&c, "shut"), CMD_UNKNOWN);
	assert_int_equal(cmd_run_line(&c, "s l mr 1500"), CMD_AMBIG);
	assert_int_equal(cmd_run_line(&c, "se l mr 1500"), CMD_AMBIG); /* set/settle */
	assert_int_equal(cmd_run_line(&c, "set l mr 1500"), CMD_OK);
	assert_int_equal(ran, 10);
	assert_int_equal(cmd_run_line(&c, "set l m 1500"), CMD_AMBIG);
	/* matching is case-sensitive */
	assert_int_equal(cmd_run_line(&c, "SHOW"), CMD_UNKNOWN);
	assert_int_equal(cmd_run_line(&c, ""), CMD_OK);
	assert_int_equal(cmd_run_line(&c, "   "), CMD_OK);
	assert_int_equal(c.nerrors, 5);
}

static void test_exact_beats_prefix(void **state)
{
	(void)state;
	struct cmd_ctx c = ctx(PRIV_ADMIN);
	/* "set" is a prefix of "settle" but matches "set" exactly */
	assert_int_equal(cmd_run_line(&c, "set link mtu 1"), CMD_OK);
	assert_int_equal(ran, 11);
	assert_int_equal(cmd_run_line(&c, "sett"), CMD_OK);
	assert_int_equal(ran, 2);
}

static void test_messages(void **state)
{
	(void)state;
	struct cmd_ctx c = ctx(PRIV_ADMIN);
	assert_int_equal(cmd_run_line(&c, "bogus 1"), CMD_UNKNOWN);
	assert_string_equal(out, "Unknown command: 'bogus 1'. Try \"help\".\n");
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "s x"), CMD_AMBIG);
	assert_string_equal(out, "Ambiguous command: 's x'. Try \"help\".\n");
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "set link"), CMD_INCOMPLETE);
	assert_string_equal(out, "Incomplete command: 'set link'. Try \"help\".\n");
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "set li mru"), CMD_USAGE);
	assert_string_equal(out, "Usage: set link mru {bytes}\n");
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "set link fail \"a b\""), CMD_ERR);
	assert_string_equal(out, "Error in 'set link fail \"a b\"': value out of range\n");
	assert_string_equal(c.err, "value out of range");
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "set link linkonly"), CMD_CTX);
	assert_string_equal(out, "Incorrect context for: set link linkonly\n");
}

static void test_file_prefix(void **state)
{
	(void)state;
	struct cmd_ctx c = ctx(PRIV_ADMIN);
	c.file = "/etc/mpd5/mpd.conf";
	c.line = 42;
	assert_int_equal(cmd_run_line(&c, "set link mru"), CMD_USAGE);
	assert_string_equal(out, "/etc/mpd5/mpd.conf:42: set link mru: Usage: set link mru {bytes}\n");
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "set link fail"), CMD_ERR);
	assert_string_equal(out, "/etc/mpd5/mpd.conf:42: set link fail: value out of range\n");
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "nope"), CMD_UNKNOWN);
	assert_string_equal(out, "/etc/mpd5/mpd.conf:42: nope: Unknown command\n");
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "set link linkonly"), CMD_CTX);
	assert_string_equal(out, "/etc/mpd5/mpd.conf:42: set link linkonly: Incorrect context\n");

	/* without an output sink the report goes to the log */
	struct log_sink sink = {log_fn, NULL, NULL};
	logbuf[0] = '\0';
	log_sink_add(&sink);
	c.out = NULL;
	assert_int_equal(cmd_run_line(&c, "nope"), CMD_UNKNOWN);
	log_sink_del(&sink);
	assert_non_null(strstr(logbuf, "/etc/mpd5/mpd.conf:42: nope: Unknown command"));
}

static void test_context(void **state)
{
	(void)state;
	struct cmd_ctx c = ctx(PRIV_ADMIN);
	assert_int_equal(cmd_run_line(&c, "set link bundonly"), CMD_CTX);
	assert_int_equal(ran, 0);
	c.bund = (struct bundle *)&fake_bund;
	assert_int_equal(cmd_run_line(&c, "set link bundonly"), CMD_OK);
	assert_int_equal(ran, 13);
	/* a menu entry's context is checked too */
	assert_int_equal(cmd_run_line(&c, "set repeater mru 1"), CMD_CTX);
	c.rep = (struct repeater *)&fake_rep;
	assert_int_equal(cmd_run_line(&c, "set repeater mru 1"), CMD_OK);
	/* device type comes from the link layer's link_type_name() */
	assert_int_equal(cmd_run_line(&c, "set link pppoeonly"), CMD_CTX);
	c.link = (struct link *)&fake_link;
	assert_int_equal(cmd_run_line(&c, "set link pppoeonly"), CMD_OK);
	assert_int_equal(ran, 14);
	fake_type = "tcp";
	assert_int_equal(cmd_run_line(&c, "set link pppoeonly"), CMD_CTX);
	fake_type = "pppoe";
	assert_int_equal(cmd_run_line(&c, "set link linkonly"), CMD_OK);
}

static void test_privilege(void **state)
{
	(void)state;
	struct cmd_ctx c = ctx(PRIV_USER);
	/* admin-only entries are invisible: unknown, not "permission denied" */
	assert_int_equal(cmd_run_line(&c, "opaque"), CMD_UNKNOWN);
	assert_int_equal(cmd_run_line(&c, "set link mru 1"), CMD_UNKNOWN);
	/* open needs operator and opaque admin: a user sees neither */
	assert_int_equal(cmd_run_line(&c, "op"), CMD_UNKNOWN);
	c.priv = PRIV_OPERATOR;
	assert_int_equal(cmd_run_line(&c, "op"), CMD_OK); /* opaque is hidden */
	assert_int_equal(ran, 5);
	c.priv = PRIV_ADMIN;
	assert_int_equal(cmd_run_line(&c, "op"), CMD_AMBIG);

	c = ctx(PRIV_USER);
	cmd_help_line(&c, "");
	assert_non_null(strstr(out, "show"));
	assert_null(strstr(out, "opaque"));
	assert_null(strstr(out, "shutdown"));
	assert_null(strstr(out, "open"));
}

static void test_too_many_args(void **state)
{
	(void)state;
	struct cmd_ctx c = ctx(PRIV_ADMIN);
	char line[300] = "show";
	for (int i = 0; i < 50; i++)
		strcat(line, " x");
	assert_int_equal(cmd_run_line(&c, line), CMD_ERR);
	assert_non_null(strstr(out, "too many arguments"));
	assert_int_equal(ran, 0);
}

static void test_help_and_complete(void **state)
{
	(void)state;
	struct cmd_ctx c = ctx(PRIV_ADMIN);
	char buf[128];

	cmd_help_line(&c, "set link ");
	assert_non_null(strstr(out, "Available commands:"));
	assert_non_null(strstr(out, "mru"));
	assert_non_null(strstr(out, "Set MTU"));
	out[0] = '\0';
	cmd_help_line(&c, "set link m");
	assert_non_null(strstr(out, "mru"));
	assert_non_null(strstr(out, "mtu"));
	assert_null(strstr(out, "linkonly"));
	out[0] = '\0';
	cmd_help_line(&c, "set link mru ");
	assert_non_null(strstr(out, "Usage: set link mru {bytes}"));
	out[0] = '\0';
	cmd_help_line(&c, "bogus ");
	assert_non_null(strstr(out, "Unknown command"));

	assert_int_equal(cmd_complete(&c, "set li", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "set link ");
	assert_int_equal(cmd_complete(&c, "  set   link mr", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "  set   link mru ");
	assert_int_equal(cmd_complete(&c, "set link m", buf, sizeof(buf)), 0);
	assert_int_equal(cmd_complete(&c, "se", buf, sizeof(buf)), 0);
	assert_int_equal(cmd_complete(&c, "set", buf, sizeof(buf)), 1); /* exact wins */
	assert_string_equal(buf, "set ");
	assert_int_equal(cmd_complete(&c, "shu", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "shutdown ");
	assert_int_equal(cmd_complete(&c, "set ", buf, sizeof(buf)), 0);
	assert_int_equal(cmd_complete(&c, "", buf, sizeof(buf)), 0);
	assert_int_equal(cmd_complete(&c, "set li", buf, 5), 0); /* does not fit */
	c.priv = PRIV_USER;
	assert_int_equal(cmd_complete(&c, "shu", buf, sizeof(buf)), 0);
}

static void test_prompt(void **state)
{
	(void)state;
	struct cmd_ctx c = ctx(PRIV_ADMIN);
	char buf[32];
	cmd_prompt(&c, buf, sizeof(buf));
	assert_string_equal(buf, "[] ");
	c.bund = (struct bundle *)&fake_bund;
	cmd_prompt(&c, buf, sizeof(buf));
	assert_string_equal(buf, "[B1] ");
	c.link = (struct link *)&fake_link;
	cmd_prompt(&c, buf, sizeof(buf));
	assert_string_equal(buf, "[L1] ");
	c.link = NULL;
	c.bund = NULL;
	c.rep = (struct repeater *)&fake_rep;
	cmd_prompt(&c, buf, sizeof(buf));
	assert_string_equal(buf, "[R1] ");
}

/* Option lists */
enum { O_PAP, O_CHAP, O_CHAPMD5, O_INCOMING, O_ACFC };
static const struct cmd_opt opts[] = {
	{"pap", true, O_PAP},
	{"chap", true, O_CHAP},
	{"chap-md5", true, O_CHAPMD5},
	{"incoming", false, O_INCOMING},
	{"acfcomp", true, O_ACFC},
	{NULL, false, 0},
};
static struct optset the_set;
static int changed_calls;
static struct optset changed_before;

static uint32_t changed_named;

static struct optset *get_set(struct cmd_ctx *c, struct optset *scratch)
{
	(void)scratch;
	return c->link != NULL ? &the_set : NULL;
}

static void on_changed(struct cmd_ctx *c, const struct optset *before, const struct optset *now,
		       uint32_t named)
{
	(void)c;
	assert_ptr_equal(now, &the_set);
	changed_calls++;
	changed_before = *before;
	changed_named = named;
}

static const struct cmd_optmenu optmenu = {opts, get_set, on_changed, NULL, NULL};
static const struct cmd opt_cmds[] = {
	CMD_OPT_VERBS(optmenu, CTX_LINK),
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
};
static const struct cmd opt_cmds_ed[] = {
	CMD_OPT_VERBS_ED(optmenu, 0),
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
};
static const struct cmd opt_root[] = {
	{"set", NULL, "", NULL, opt_cmds, 0, PRIV_USER, NULL, NULL},
	{"glob", NULL, "", NULL, opt_cmds_ed, 0, PRIV_USER, NULL, NULL},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
};

#define BIT(b) (UINT32_C(1) << (b))

static void test_opt_verbs(void **state)
{
	(void)state;
	struct cmd_ctx c = {.priv = PRIV_ADMIN, .out = out_fn, .root = opt_root,
			    .link = (struct link *)&fake_link, .names = &fake_names};
	memset(&the_set, 0, sizeof(the_set));
	changed_calls = 0;

	assert_int_equal(cmd_run_line(&c, "set enable pap incoming"), CMD_OK);
	assert_int_equal(the_set.enable, BIT(O_PAP) | BIT(O_INCOMING));
	assert_int_equal(the_set.accept, 0);
	assert_int_equal(changed_calls, 1);
	assert_int_equal(changed_before.enable, 0);
	assert_int_equal(cmd_run_line(&c, "set accept PAP chap"), CMD_OK); /* chap exact beats chap-md5 */
	assert_int_equal(the_set.accept, BIT(O_PAP) | BIT(O_CHAP));
	assert_int_equal(cmd_run_line(&c, "set deny pap"), CMD_OK);
	assert_int_equal(the_set.accept, BIT(O_CHAP));
	assert_int_equal(cmd_run_line(&c, "set disable incoming"), CMD_OK);
	assert_int_equal(the_set.enable, BIT(O_PAP));
	assert_int_equal(cmd_run_line(&c, "set yes acf inc"), CMD_OK); /* prefixes */
	assert_int_equal(the_set.enable, BIT(O_PAP) | BIT(O_ACFC) | BIT(O_INCOMING));
	assert_int_equal(the_set.accept, BIT(O_CHAP) | BIT(O_ACFC)); /* yes on non-bidir: enable only */
	assert_int_equal(cmd_run_line(&c, "set no acfcomp incoming pap"), CMD_OK);
	assert_int_equal(the_set.enable, 0);
	assert_int_equal(the_set.accept, BIT(O_CHAP));
	/* verb without options is a usage error */
	assert_int_equal(cmd_run_line(&c, "set enable"), CMD_USAGE);
	/* no object selected */
	c.link = NULL;
	assert_int_equal(cmd_run_line(&c, "glob enable pap"), CMD_ERR);
}

static void test_opt_errors_logged(void **state)
{
	(void)state;
	struct cmd_ctx c = {.priv = PRIV_ADMIN, .out = out_fn, .root = opt_root,
			    .link = (struct link *)&fake_link, .names = &fake_names};
	struct log_sink sink = {log_fn, NULL, NULL};
	memset(&the_set, 0, sizeof(the_set));
	logbuf[0] = '\0';
	log_sink_add(&sink);

	/* unknown and ambiguous names are logged; the rest still applies */
	assert_int_equal(cmd_run_line(&c, "set enable bogus pap ch"), CMD_OK);
	assert_int_equal(the_set.enable, BIT(O_PAP));
	assert_non_null(strstr(logbuf, "\"bogus\": unknown option"));
	assert_non_null(strstr(logbuf, "\"ch\": ambiguous option"));
	/* accept on a non-bidir option: not applicable, nothing changes */
	logbuf[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "set accept incoming pap"), CMD_OK);
	assert_int_equal(the_set.accept, BIT(O_PAP));
	assert_non_null(strstr(logbuf, "\"incoming\": accept/deny not applicable"));
	/* yes/no on a non-bidir option: silent */
	logbuf[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "set yes incoming"), CMD_OK);
	assert_string_equal(logbuf, "");
	assert_int_equal(c.nerrors, 0);
	log_sink_del(&sink);

	/* enable/disable-only menus have no accept verb */
	assert_int_equal(cmd_run_line(&c, "glob accept pap"), CMD_UNKNOWN);
	assert_int_equal(cmd_run_line(&c, "glob disable pap"), CMD_OK);
	assert_int_equal(the_set.enable, BIT(O_INCOMING));

	out[0] = '\0';
	cmd_opts_show(&c, opts, &the_set);
	assert_non_null(strstr(out, "incoming             enable"));
	assert_non_null(strstr(out, "pap                  disable accept"));
	assert_non_null(strstr(out, "chap                 disable deny"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix_match),
		cmocka_unit_test(test_exact_beats_prefix),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_file_prefix),
		cmocka_unit_test(test_context),
		cmocka_unit_test(test_privilege),
		cmocka_unit_test(test_too_many_args),
		cmocka_unit_test(test_help_and_complete),
		cmocka_unit_test(test_prompt),
		cmocka_unit_test(test_opt_verbs),
		cmocka_unit_test(test_opt_errors_logged),
	};
	log_open("test", false);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
