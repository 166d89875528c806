/* The dispatcher, help, completion, prompt and option lists (commands.md §5). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>

#include "conf/cmd.h"
#include "conf/cmd_field.h"
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

static const struct cmd_optmenu optmenu = {opts, get_set, on_changed, NULL, NULL, NULL};
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

/* The same menu with shorthands, refused later-feature names and a copied view. */
static const char *const later_opts[] = {"acfcomp", NULL};
static const char *const both_auth[] = {"pap", "chap-md5", NULL};
static const struct cmd_optalias aliases[] = {{"auth", both_auth}, {NULL, NULL}};
static struct optset stored; /* where the view's value lives between commands */

static struct optset *get_view(struct cmd_ctx *c, struct optset *scratch)
{
	(void)c;
	*scratch = stored;
	return scratch;
}

static void store_view(struct cmd_ctx *c, const struct optset *before, const struct optset *now,
		       uint32_t named)
{
	(void)c;
	(void)before;
	stored = *now;
	changed_named = named;
}

/* an option the port refuses for good, with its reason (linux.md: OPIE) */
static const struct cmd_optnever never_opts[] = {{"incoming", "not on this system"}, {NULL, NULL}};
static const struct cmd_optmenu viewmenu = {opts, get_view, store_view, later_opts, aliases, NULL};
static const struct cmd_optmenu nevermenu = {opts, get_view, store_view, NULL, NULL, never_opts};
static const struct cmd never_cmds[] = {
	CMD_OPT_VERBS(nevermenu, 0),
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
};
static const struct cmd view_cmds[] = {
	CMD_OPT_VERBS(viewmenu, 0),
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
};
static const struct cmd view_root[] = {
	{"view", NULL, "", NULL, view_cmds, 0, PRIV_USER, NULL, NULL},
	{"nv", NULL, "", NULL, never_cmds, 0, PRIV_USER, NULL, NULL},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
};

static void test_opt_menu_features(void **state)
{
	(void)state;
	struct cmd_ctx c = {.priv = PRIV_ADMIN, .out = out_fn, .root = view_root, .names = &fake_names};
	memset(&stored, 0, sizeof(stored));

	/* a shorthand stands for its options, and the hook learns every bit named */
	assert_int_equal(cmd_run_line(&c, "view enable AUTH incoming"), CMD_OK);
	assert_int_equal(stored.enable, BIT(O_PAP) | BIT(O_CHAPMD5) | BIT(O_INCOMING));
	assert_int_equal(changed_named, BIT(O_PAP) | BIT(O_CHAPMD5) | BIT(O_INCOMING));
	/* named even when nothing changes */
	assert_int_equal(cmd_run_line(&c, "view enable pap"), CMD_OK);
	assert_int_equal(changed_named, BIT(O_PAP));
	/* a later feature refuses enable/accept/yes as a whole, by prefix of two letters or more */
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "view enable chap ac"), CMD_ERR);
	assert_non_null(strstr(out, "option 'acfcomp' is not supported yet"));
	assert_int_equal(stored.enable, BIT(O_PAP) | BIT(O_CHAPMD5) | BIT(O_INCOMING)); /* chap not applied */
	assert_int_equal(cmd_run_line(&c, "view yes acfcomp"), CMD_ERR);
	assert_int_equal(cmd_run_line(&c, "view accept acfcomp"), CMD_ERR);
	/* ...but disabling it is fine */
	assert_int_equal(cmd_run_line(&c, "view disable acfcomp auth"), CMD_OK);
	assert_int_equal(stored.enable, BIT(O_INCOMING));
	assert_int_equal(changed_named, BIT(O_ACFC) | BIT(O_PAP) | BIT(O_CHAPMD5));
	/* an option refused for good: the whole command fails with the reason, disabling is fine */
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "nv enable pap inc"), CMD_ERR);
	assert_non_null(strstr(out, "option 'incoming' is not available: not on this system"));
	assert_int_equal(stored.enable, BIT(O_INCOMING)); /* pap not applied either */
	assert_int_equal(cmd_run_line(&c, "nv yes incoming"), CMD_ERR);
	assert_int_equal(cmd_run_line(&c, "nv disable incoming"), CMD_OK);
	assert_int_equal(stored.enable, 0);
}

/* ---- typed setters (conf/cmd_field.h) ---- */

enum color { RED, GREEN, BLUE };
struct fconf {
	unsigned u;
	uint16_t u16;
	int i;
	uint32_t hex;
	bool b;
	char s[8];
	struct in_addr ip[2];
	enum color col;
};
static struct fconf fconf;
static bool no_object;
static int posts;

static void *fconf_of(struct cmd_ctx *c)
{
	if (no_object) {
		cmd_error(c, "nothing selected here");
		return NULL;
	}
	return &fconf;
}

static int count_post(struct cmd_ctx *c, void *obj)
{
	(void)c;
	assert_ptr_equal(obj, &fconf);
	posts++;
	return fconf.u == 13 ? cmd_error(c, "unlucky") : CMD_OK;
}

static const char *const colors[] = {"red", "green", "blue", NULL};
static const struct cmd_field f_u = {CMD_FIELD_AT(struct fconf, u), .type = CMD_F_UINT, .min = 5, .max = 100,
				     .obj = fconf_of, .post = count_post};
static const struct cmd_field f_u16 = {CMD_FIELD_AT(struct fconf, u16), .type = CMD_F_UINT, .min = 0,
				       .max = 65535, .err = "", .obj = fconf_of};
static const struct cmd_field f_i = {CMD_FIELD_AT(struct fconf, i), .type = CMD_F_INT, .min = -1, .max = 10,
				     .err = "want -1 to 10, not \"%s\"", .obj = fconf_of};
static const struct cmd_field f_hex = {CMD_FIELD_AT(struct fconf, hex), .type = CMD_F_HEX, .min = 0,
				       .max = 0xffffffff, .obj = fconf_of};
static const struct cmd_field f_b = {CMD_FIELD_AT(struct fconf, b), .type = CMD_F_BOOL, .obj = fconf_of};
static const struct cmd_field f_s = {CMD_FIELD_AT(struct fconf, s), .type = CMD_F_STR, .obj = fconf_of};
static const struct cmd_field f_s2 = {CMD_FIELD_AT(struct fconf, s), .type = CMD_F_STR,
				      .err = "at most %zu letters", .obj = fconf_of};
static const struct cmd_field f_ip = {CMD_FIELD_AT(struct fconf, ip), .type = CMD_F_IPV4, .obj = fconf_of};
static const struct cmd_field f_col = {CMD_FIELD_AT(struct fconf, col), .type = CMD_F_ENUM, .names = colors,
				       .obj = fconf_of};

static const struct cmd field_cmds[] = {
	CMD_FIELD("u", "{n}", "", 0, f_u),
	CMD_FIELD("u16", "{n}", "", 0, f_u16),
	CMD_FIELD("i", "{n}", "", 0, f_i),
	CMD_FIELD("hex", "{x}", "", 0, f_hex),
	CMD_FIELD("b", "yes|no", "", 0, f_b),
	CMD_FIELD("s", "{s}", "", 0, f_s),
	CMD_FIELD("s2", "{s}", "", 0, f_s2),
	CMD_FIELD("ip", "{ip} [{ip}]", "", 0, f_ip),
	CMD_FIELD("col", "{color}", "", 0, f_col),
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
};
static const struct cmd field_root[] = {
	{"set", NULL, "", NULL, field_cmds, 0, PRIV_USER, NULL, NULL},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
};

static int set_line(struct cmd_ctx *c, const char *line)
{
	out[0] = '\0';
	return cmd_run_line(c, line);
}

static void test_field_numbers(void **state)
{
	(void)state;
	struct cmd_ctx c = {.priv = PRIV_ADMIN, .out = out_fn, .root = field_root, .names = &fake_names};
	memset(&fconf, 0, sizeof(fconf));
	posts = 0;
	no_object = false;

	assert_int_equal(set_line(&c, "set u 42"), CMD_OK);
	assert_int_equal(fconf.u, 42);
	assert_int_equal(posts, 1);
	/* range ends are inclusive; outside them the generic message names the range */
	assert_int_equal(set_line(&c, "set u 5"), CMD_OK);
	assert_int_equal(set_line(&c, "set u 100"), CMD_OK);
	assert_int_equal(set_line(&c, "set u 101"), CMD_ERR);
	assert_non_null(strstr(out, "'101' is not a number in 5..100"));
	assert_int_equal(set_line(&c, "set u 4"), CMD_ERR);
	assert_int_equal(set_line(&c, "set u +50"), CMD_ERR); /* unsigned: digits only */
	assert_int_equal(set_line(&c, "set u 5x"), CMD_ERR);
	assert_int_equal(set_line(&c, "set u 99999999999999999999999"), CMD_ERR);
	assert_int_equal(fconf.u, 100);
	assert_int_equal(posts, 3); /* the hook runs after good values only */
	/* the hook's verdict is the command's, after the store */
	assert_int_equal(set_line(&c, "set u 13"), CMD_ERR);
	assert_non_null(strstr(out, "unlucky"));
	assert_int_equal(fconf.u, 13);
	/* arity and "" (usage) errors */
	assert_int_equal(set_line(&c, "set u"), CMD_USAGE);
	assert_int_equal(set_line(&c, "set u 1 2"), CMD_USAGE);
	assert_int_equal(set_line(&c, "set u16 65536"), CMD_USAGE);
	assert_non_null(strstr(out, "Usage: set u16 {n}"));
	/* the member's own width: a 16-bit store leaves its neighbours alone */
	fconf.i = 7;
	assert_int_equal(set_line(&c, "set u16 65535"), CMD_OK);
	assert_int_equal(fconf.u16, 65535);
	assert_int_equal(fconf.i, 7);
	/* signed: -1 and a leading '+' are numbers; the row's message gets the value */
	assert_int_equal(set_line(&c, "set i -1"), CMD_OK);
	assert_int_equal(fconf.i, -1);
	assert_int_equal(set_line(&c, "set i +10"), CMD_OK);
	assert_int_equal(fconf.i, 10);
	assert_int_equal(set_line(&c, "set i -2"), CMD_ERR);
	assert_non_null(strstr(out, "want -1 to 10, not \"-2\""));
	assert_int_equal(set_line(&c, "set i \"\""), CMD_ERR);
	/* hexadecimal, with or without 0x, within 32 bits */
	assert_int_equal(set_line(&c, "set hex 0xFFFFFFFF"), CMD_OK);
	assert_int_equal(fconf.hex, 0xffffffffu);
	assert_int_equal(set_line(&c, "set hex a0"), CMD_OK);
	assert_int_equal(fconf.hex, 0xa0);
	assert_int_equal(set_line(&c, "set hex 100000000"), CMD_ERR);
	assert_int_equal(set_line(&c, "set hex g"), CMD_ERR);
	assert_int_equal(fconf.hex, 0xa0);
	/* no object: the getter's own error, nothing parsed */
	no_object = true;
	assert_int_equal(set_line(&c, "set u bogus"), CMD_ERR);
	assert_non_null(strstr(out, "nothing selected here"));
	no_object = false;
}

static void test_field_other_types(void **state)
{
	(void)state;
	struct cmd_ctx c = {.priv = PRIV_ADMIN, .out = out_fn, .root = field_root, .names = &fake_names};
	memset(&fconf, 0, sizeof(fconf));
	no_object = false;

	assert_int_equal(set_line(&c, "set b yes"), CMD_OK);
	assert_true(fconf.b);
	assert_int_equal(set_line(&c, "set b Off"), CMD_OK);
	assert_false(fconf.b);
	assert_int_equal(set_line(&c, "set b maybe"), CMD_ERR);
	assert_non_null(strstr(out, "bad value \"maybe\""));
	/* strings: shorter than the buffer; the message gets the longest length */
	assert_int_equal(set_line(&c, "set s 1234567"), CMD_OK);
	assert_string_equal(fconf.s, "1234567");
	assert_int_equal(set_line(&c, "set s 12345678"), CMD_ERR);
	assert_non_null(strstr(out, "value too long (max 7)"));
	assert_int_equal(set_line(&c, "set s2 12345678"), CMD_ERR);
	assert_non_null(strstr(out, "at most 7 letters"));
	assert_string_equal(fconf.s, "1234567");
	assert_int_equal(set_line(&c, "set s \"\""), CMD_OK);
	assert_string_equal(fconf.s, "");
	/* IPv4 lists: 1 to n addresses, the missing ones cleared; a bad one changes nothing */
	assert_int_equal(set_line(&c, "set ip 10.0.0.1 10.0.0.2"), CMD_OK);
	assert_int_equal(fconf.ip[1].s_addr, htonl(0x0a000002));
	assert_int_equal(set_line(&c, "set ip 10.0.0.9"), CMD_OK);
	assert_int_equal(fconf.ip[0].s_addr, htonl(0x0a000009));
	assert_int_equal(fconf.ip[1].s_addr, 0);
	assert_int_equal(set_line(&c, "set ip 1.2.3.4 1.2.3"), CMD_ERR);
	assert_non_null(strstr(out, "bad value \"1.2.3\""));
	assert_int_equal(fconf.ip[0].s_addr, htonl(0x0a000009));
	assert_int_equal(set_line(&c, "set ip 1.1.1.1 2.2.2.2 3.3.3.3"), CMD_USAGE);
	/* enums: exact words, stored as their index */
	assert_int_equal(set_line(&c, "set col blue"), CMD_OK);
	assert_int_equal(fconf.col, BLUE);
	assert_int_equal(set_line(&c, "set col gre"), CMD_ERR);
	assert_int_equal(fconf.col, BLUE);
	assert_int_equal(set_line(&c, "set col green"), CMD_OK);
	assert_int_equal(fconf.col, GREEN);
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
		cmocka_unit_test(test_opt_menu_features),
		cmocka_unit_test(test_field_numbers),
		cmocka_unit_test(test_field_other_types),
	};
	log_open("test", false);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
