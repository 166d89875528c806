/* `load`, the label index and the global commands of the real root table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "conf/cmd.h"
#include "conf/cmd_global.h"
#include "conf/load.h"
#include "core/log.h"
#include "core/daemon.h"
#include "dev/dev.h"

static char dir[64];
static struct daemon dmn;
static char out[16384];

static void out_fn(void *arg, const char *s)
{
	(void)arg;
	strncat(out, s, sizeof(out) - strlen(out) - 1);
}

static void write_file(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static bool has_user(const char *name)
{
	for (int i = 0; i < dmn.nusers; i++)
		if (strcmp(dmn.users[i].name, name) == 0)
			return true;
	return false;
}

static struct cmd_ctx admin(void)
{
	struct cmd_ctx c = {.d = &dmn, .priv = PRIV_ADMIN, .out = out_fn};
	out[0] = '\0';
	return c;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_conf_load.XXXXXX");
	assert_non_null(mkdtemp(dir));
	memset(&dmn, 0, sizeof(dmn));
	snprintf(dmn.confdir, sizeof(dmn.confdir), "%s", dir);
	snprintf(dmn.conffile, sizeof(dmn.conffile), "mpd.conf");
	global_conf_defaults(&dmn.g);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	conf_cache_free(&dmn);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_labels_and_entries(void **state)
{
	(void)state;
	write_file("mpd.conf",
		   "# sample\n"
		   "startup:\n"
		   "\tset user alice secret admin\n"
		   "\n"
		   "\t# comment inside the entry\n"
		   "\tset global \\\n"
		   "\t\tmax-children 77\n"
		   "default:\n"
		   "\tset user bob pw\n"
		   "other\n"
		   "\tset global max-children 20\n");
	struct cmd_ctx c = admin();
	struct conf_result r;
	assert_int_equal(conf_load_ex(&c, NULL, "startup", &r), 0);
	assert_true(r.found);
	assert_int_equal(r.errors, 0);
	assert_int_equal(dmn.nusers, 1); /* stops at the next label */
	assert_string_equal(dmn.users[0].name, "alice");
	assert_int_equal(dmn.users[0].priv, PRIV_ADMIN);
	assert_int_equal(dmn.g.max_children, 77); /* not 20: "other" did not run */

	assert_int_equal(conf_load(&c, "mpd.conf", "other"), 0);
	assert_int_equal(dmn.g.max_children, 20);
	assert_int_equal(dmn.nusers, 1);
	assert_null(c.file); /* restored */
	assert_int_equal(c.depth, 0);

	/* labels are case-sensitive and exact */
	assert_int_equal(conf_load_ex(&c, NULL, "Default", &r), 0);
	assert_false(r.found);
	assert_int_equal(conf_load_ex(&c, NULL, "def", &r), 0);
	assert_false(r.found);
	/* one index for all those lookups */
	assert_int_equal(conf_cache_indexings(dmn.confcache), 1);
	/* the first of two entries with the same label wins */
	write_file("dup.conf", "x:\n\tset global max-children 11\nx:\n\tset global max-children 12\n");
	assert_int_equal(conf_load(&c, "dup.conf", "x"), 0);
	assert_int_equal(dmn.g.max_children, 11);
	assert_int_equal(conf_cache_indexings(dmn.confcache), 2);
}

static void test_missing(void **state)
{
	(void)state;
	struct cmd_ctx c = admin();
	struct conf_result r;
	assert_int_equal(conf_load_ex(&c, "nofile.conf", "x", &r), CONF_LOAD_MISSING);
	assert_string_equal(out, ""); /* conf_load_ex is silent */
	assert_int_equal(conf_load(&c, "nofile.conf", "x"), CONF_LOAD_MISSING);
	char want[256];
	snprintf(want, sizeof(want), "can't read configuration for x from %s/nofile.conf\n", dir);
	assert_string_equal(out, want);

	/* the `load` command reports it without failing */
	write_file("mpd.conf", "a:\n\tset global max-children 3\n");
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "load nolabel"), CMD_OK);
	snprintf(want, sizeof(want), "can't read configuration for nolabel from %s/mpd.conf\n", dir);
	assert_string_equal(out, want);
	assert_int_equal(c.nerrors, 0);
	assert_int_equal(cmd_run_line(&c, "load a"), CMD_OK);
	assert_int_equal(dmn.g.max_children, 3);
	assert_int_equal(cmd_run_line(&c, "load"), CMD_USAGE);
	assert_int_equal(cmd_run_line(&c, "load a b c"), CMD_USAGE);

	/* URLs are refused with a clear error */
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "load http://example.com/mpd.conf x"), CMD_ERR);
	assert_non_null(strstr(out, "not supported"));
	assert_int_equal(conf_load_ex(&c, "FTP://h/f", "x", &r), CMD_ERR);
}

static void test_errors_reported_and_counted(void **state)
{
	(void)state;
	write_file("bad.conf",
		   "lab:\n"
		   "\tset global max-children 5\n"
		   "\tset global max-children lots\n"
		   "\tbogus command\n"
		   "\tset user late pw\n");
	struct cmd_ctx c = admin();
	struct conf_result r;
	assert_int_equal(conf_load_ex(&c, "bad.conf", "lab", &r), 0);
	assert_true(r.found);
	assert_int_equal(r.errors, 2);
	/* execution continued after the errors */
	assert_true(has_user("late"));
	assert_int_equal(dmn.g.max_children, 5);
	char want[512];
	snprintf(want, sizeof(want),
		 "%s/bad.conf:3: set global max-children lots: 'lots' is not a number in 0..65536\n"
		 "%s/bad.conf:4: bogus command: Unknown command\n",
		 dir, dir);
	assert_string_equal(out, want);
	assert_int_equal(conf_load(&c, "bad.conf", "lab"), 2);
}

static void test_nesting(void **state)
{
	(void)state;
	write_file("mpd.conf",
		   "top:\n"
		   "\tload inc.conf first\n"
		   "\tset user nine pw\n"
		   "self:\n"
		   "\tset global max-children 1\n"
		   "\tload self\n");
	write_file("inc.conf",
		   "first:\n"
		   "\tset global max-children 33\n"
		   "\tload second\n"   /* relative to the main file, not inc.conf */
		   "\tset global nonsense\n");
	struct cmd_ctx c = admin();
	struct conf_result r;
	/* "second" is looked up in the main file: missing, not an error */
	assert_int_equal(conf_load_ex(&c, NULL, "top", &r), 0);
	assert_int_equal(dmn.g.max_children, 33);
	assert_true(has_user("nine"));
	assert_int_equal(r.errors, 1); /* the nested failure counts for the outer load */
	assert_non_null(strstr(out, "inc.conf:4: set global nonsense: Unknown command"));
	assert_non_null(strstr(out, "can't read configuration for second"));

	/* self-inclusion stops at depth 20 with "Recursion detected" */
	out[0] = '\0';
	assert_int_equal(conf_load_ex(&c, NULL, "self", &r), 0);
	assert_int_equal(r.errors, 1);
	char want[256];
	snprintf(want, sizeof(want), "%s/mpd.conf:6: load self: Recursion detected\n", dir);
	assert_string_equal(out, want);
	assert_int_equal(c.depth, 0);

	/* exactly CONF_MAX_DEPTH levels are allowed */
	char text[4096] = "";
	for (int i = 0; i < CONF_MAX_DEPTH; i++) {
		char l[64];
		snprintf(l, sizeof(l), "l%d:\n\tload l%d\n", i, i + 1);
		strcat(text, l);
	}
	strcat(text, "l20:\n\tset global max-children 99\n"); /* 21st level: refused */
	strcat(text, "l19b:\n\tset global max-children 55\n");
	write_file("deep.conf", text);
	char tmp[64];
	snprintf(tmp, sizeof(tmp), "deep.conf");
	snprintf(dmn.conffile, sizeof(dmn.conffile), "%s", tmp);
	assert_int_equal(conf_load_ex(&c, NULL, "l1", &r), 0); /* 20 levels: l1..l20 */
	assert_int_equal(r.errors, 0);
	assert_int_equal(dmn.g.max_children, 99);
	assert_int_equal(conf_load_ex(&c, NULL, "l0", &r), 0); /* 21 levels */
	assert_int_equal(r.errors, 1);
	assert_int_equal(conf_load(&c, NULL, "l0"), 1);
	snprintf(dmn.conffile, sizeof(dmn.conffile), "mpd.conf");
}

static void set_mtime(const char *name, time_t when)
{
	char path[256];
	struct timespec ts[2] = {{when, 0}, {when, 0}};
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static void test_reindex(void **state)
{
	(void)state;
	struct cmd_ctx c = admin();
	struct conf_result r;
	write_file("re.conf", "a:\n\tset global max-children 100\n");
	set_mtime("re.conf", 1000000);
	unsigned before = conf_cache_indexings(dmn.confcache);
	assert_int_equal(conf_load_ex(&c, "re.conf", "a", &r), 0);
	assert_int_equal(dmn.g.max_children, 100);
	assert_int_equal(conf_load_ex(&c, "re.conf", "b", &r), 0);
	assert_false(r.found);
	assert_int_equal(conf_cache_indexings(dmn.confcache), before + 1);

	/* new label, different size */
	write_file("re.conf", "a:\n\tset global max-children 100\nb:\n\tset global max-children 200\n");
	assert_int_equal(conf_load_ex(&c, "re.conf", "b", &r), 0);
	assert_true(r.found);
	assert_int_equal(dmn.g.max_children, 200);
	assert_int_equal(conf_cache_indexings(dmn.confcache), before + 2);

	/* same size, labels moved, only the mtime tells */
	write_file("re.conf", "b:\n\tset global max-children 300\na:\n\tset global max-children 400\n");
	set_mtime("re.conf", 2000000);
	assert_int_equal(conf_load_ex(&c, "re.conf", "b", &r), 0);
	assert_int_equal(dmn.g.max_children, 300);
	assert_int_equal(conf_load_ex(&c, "re.conf", "a", &r), 0);
	assert_int_equal(dmn.g.max_children, 400);
	assert_int_equal(conf_cache_indexings(dmn.confcache), before + 3);
}

static void test_set_global(void **state)
{
	(void)state;
	struct cmd_ctx c = admin();
	struct global_conf g;
	global_conf_defaults(&g);
	assert_int_equal(g.max_children, 10000);
	assert_int_equal(g.qthresh_min, 64);
	assert_int_equal(g.qthresh_max, 256);
	assert_int_equal(g.pptp_timeout, 10);
	assert_int_equal(g.pptp_limit, 100);
	assert_int_equal(g.l2tp_timeout, 10);
	assert_int_equal(g.l2tp_limit, 100);
	assert_int_equal(g.startrule, 10000);
	assert_int_equal(g.starttable, 32);
	assert_int_equal(g.opts.enable, 1u << GOPT_FASTPATH); /* the fast path is on by default */

	global_conf_defaults(&dmn.g);
	assert_int_equal(cmd_run_line(&c, "set global enable one-shot session"), CMD_OK);
	assert_true(opt_enabled(&dmn.g.opts, GOPT_ONESHOT));
	assert_true(opt_enabled(&dmn.g.opts, GOPT_SESSTIME));
	assert_int_equal(cmd_run_line(&c, "set global disable one-shot"), CMD_OK);
	assert_false(opt_enabled(&dmn.g.opts, GOPT_ONESHOT));
	assert_int_equal(cmd_run_line(&c, "set global accept agent-cid"), CMD_UNKNOWN);
	/* options and values of features this build lacks are refused, not kept unused */
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "set global enable agent"), CMD_ERR);
	assert_non_null(strstr(out, "option 'agent-cid' is not supported yet"));
	assert_false(opt_enabled(&dmn.g.opts, GOPT_AGENTCID));
	assert_int_equal(cmd_run_line(&c, "set global enable tcp-wrapper"), CMD_ERR);
	assert_false(opt_enabled(&dmn.g.opts, GOPT_TCPWRAPPER));
	assert_int_equal(cmd_run_line(&c, "set global disable agent-cid tcp-wrapper"), CMD_OK);
	static const char *const unbuilt[] = {"starttable 127", "startrule 100", "startpipe 100", "startqueue 100",
					      "pptplimit 5", "pptptimeout 5", "l2tplimit 5", "l2tptimeout 5",
					      "qthreshold 100 200"};
	for (size_t i = 0; i < sizeof(unbuilt) / sizeof(unbuilt[0]); i++) {
		char line[64], want[64];
		snprintf(line, sizeof(line), "set global %s", unbuilt[i]);
		snprintf(want, sizeof(want), "'set global %.*s' is not supported yet",
			 (int)strcspn(unbuilt[i], " "), unbuilt[i]);
		out[0] = '\0';
		assert_int_equal(cmd_run_line(&c, line), CMD_ERR);
		assert_non_null(strstr(out, want));
	}
	assert_int_equal(dmn.g.starttable, 32);
	assert_int_equal(dmn.g.qthresh_max, 256);
	assert_int_equal(cmd_run_line(&c, "set global max-children"), CMD_USAGE);
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "set global filter 1 add 1 \"match tcp\""), CMD_ERR);
	assert_string_equal(out, "Error in 'set global filter 1 add 1 \"match tcp\"': "
				 "'set global filter' is not supported yet\n");

	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "show global"), CMD_OK);
	assert_non_null(strstr(out, "qthreshold   : 64 256"));
	assert_non_null(strstr(out, "l2tptimeout  : 10"));
	assert_non_null(strstr(out, "agent-cid            disable"));
	assert_non_null(strstr(out, "session-time         enable"));
	assert_non_null(strstr(out, "one-shot             disable"));
}

static void test_users_and_priv(void **state)
{
	(void)state;
	struct cmd_ctx c = admin();
	dmn.nusers = 0;
	assert_int_equal(cmd_run_line(&c, "set user joe pw1"), CMD_OK);
	assert_int_equal(dmn.users[0].priv, PRIV_USER);
	assert_int_equal(cmd_run_line(&c, "set user op pw2 operator"), CMD_OK);
	assert_int_equal(cmd_run_line(&c, "set user joe pw3 admin"), CMD_OK); /* replaces */
	assert_int_equal(dmn.nusers, 2);
	assert_string_equal(dmn.users[0].password, "pw3");
	assert_int_equal(dmn.users[0].priv, PRIV_ADMIN);
	assert_int_equal(cmd_run_line(&c, "set user x y Admin"), CMD_USAGE); /* case-sensitive */
	assert_int_equal(cmd_run_line(&c, "set user x"), CMD_USAGE);
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "show user"), CMD_OK);
	assert_non_null(strstr(out, "joe"));
	assert_non_null(strstr(out, "operator"));
	assert_null(strstr(out, "pw3"));

	/* a plain user sees show but not set or log */
	struct cmd_ctx u = {.d = &dmn, .priv = PRIV_USER, .out = out_fn};
	assert_int_equal(cmd_run_line(&u, "set user a b"), CMD_UNKNOWN);
	assert_int_equal(cmd_run_line(&u, "log +lcp2"), CMD_UNKNOWN);
	assert_int_equal(cmd_run_line(&u, "shutdown"), CMD_UNKNOWN);
	assert_int_equal(cmd_run_line(&u, "sh version"), CMD_OK);
	assert_int_equal(cmd_run_line(&u, "exit"), CMD_OK);
	assert_true(u.exit_req);
}

static void test_log_cmd(void **state)
{
	(void)state;
	struct cmd_ctx c = admin();
	log_set(LG_LCP2, false);
	log_set(LG_LCP, true);
	assert_int_equal(cmd_run_line(&c, "log +lcp2 -lcp"), CMD_OK);
	assert_true(log_enabled(LG_LCP2));
	assert_false(log_enabled(LG_LCP));
	assert_int_equal(cmd_run_line(&c, "log lcp"), CMD_OK);
	assert_true(log_enabled(LG_LCP));
	assert_int_equal(cmd_run_line(&c, "log -all"), CMD_OK);
	assert_false(log_enabled(LG_LCP));
	assert_false(log_enabled(LG_FRAME));
	assert_int_equal(cmd_run_line(&c, "log +all"), CMD_OK);
	assert_true(log_enabled(LG_FRAME));
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "log +nosuch"), CMD_OK);
	assert_non_null(strstr(out, "unknown log flag 'nosuch'"));
	assert_int_equal(cmd_run_line(&c, "log -frame"), CMD_OK);
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "log"), CMD_OK);
	assert_non_null(strstr(out, "+lcp"));
	assert_non_null(strstr(out, "-frame"));
	assert_non_null(strstr(out, "LCP negotiation"));
}

static void never(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	fail();
}

static int shutdowns;
static void on_shutdown(struct daemon *d)
{
	(void)d;
	shutdowns++;
}

static void test_misc_commands(void **state)
{
	(void)state;
	struct cmd_ctx c = admin();
	assert_int_equal(cmd_run_line(&c, "shutdown"), CMD_ERR); /* no hook */
	dmn.shutdown = on_shutdown;
	assert_int_equal(cmd_run_line(&c, "shutdown"), CMD_OK);
	assert_int_equal(shutdowns, 1);
	dmn.shutdown = NULL;
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "set debug 5"), CMD_ERR); /* nothing to map the level to */
	assert_non_null(strstr(out, "'set debug' is not supported yet"));
	assert_int_equal(dmn.debug_level, 0);

	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "show version"), CMD_OK);
	assert_non_null(strstr(out, MPD_VERSION));
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "show layers"), CMD_OK);
	assert_non_null(strstr(out, "ipv6cp"));
	assert_non_null(strstr(out, "device"));
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "show mem"), CMD_OK);
	assert_non_null(strstr(out, "resident"));
	assert_int_equal(cmd_run_line(&c, "show types"), CMD_OK);
	assert_int_equal(cmd_run_line(&c, "show events"), CMD_ERR); /* no loop */
	dmn.base = event_base_new();
	struct event *ev = evtimer_new(dmn.base, never, NULL);
	struct timeval tv = {5, 0};
	evtimer_add(ev, &tv);
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "show events"), CMD_OK);
	assert_non_null(strstr(out, "Pending events: 1 timers"));
	assert_non_null(strstr(out, "fires in"));
	event_free(ev);
	event_base_free(dmn.base);
	dmn.base = NULL;

	/* later issues answer clearly */
	const char *later[] = {"set radsrv open", "set web open",
			       "set netflow export 1.2.3.4 9", "set nat enable", "set ipv6cp yes x",
			       "set ccp yes mppc", "set mppc yes e128", "set ecp yes dese",
			       "set modem device x", "set tcp self x",
			       "set udp self x", "set pptp self x", "set l2tp self x",
			       "show radsrv", "show web", "show netflow", "show ccp",
			       "show ecp", "show mppc", "show nat", "show pptp",
			       "show l2tp", "show repeater", "show routes",
			       "unset nat red-port", "repeater"};
	for (size_t i = 0; i < sizeof(later) / sizeof(later[0]); i++) {
		out[0] = '\0';
		assert_int_equal(cmd_run_line(&c, later[i]), CMD_ERR);
		assert_non_null(strstr(out, "is not supported yet"));
	}
	/* built now (issue 12): link commands, so they need a link */
	assert_int_equal(cmd_run_line(&c, "set radius server x y"), CMD_CTX);
	assert_int_equal(cmd_run_line(&c, "show radius"), CMD_CTX);
	assert_int_equal(cmd_run_line(&c, "unset radius server x"), CMD_CTX);
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "set ng x"), CMD_ERR);
	assert_non_null(strstr(out, "exec device"));
	/* help on the real tree */
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "help"), CMD_OK);
	assert_non_null(strstr(out, "shutdown"));
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "help set global"), CMD_OK);
	assert_non_null(strstr(out, "max-children"));
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "help set user"), CMD_OK);
	assert_non_null(strstr(out, "Usage: set user {name} {password} [admin|operator|user]"));
}

/* The menu of root word `word` (set, show, unset). */
static const struct cmd *root_menu(const char *word)
{
	for (const struct cmd *e = cmd_root(); e->name != NULL; e++)
		if (strcmp(e->name, word) == 0)
			return e->sub;
	fail();
	return NULL;
}

static const struct cmd *menu_entry(const struct cmd *menu, const char *name)
{
	for (const struct cmd *e = menu; e->name != NULL; e++)
		if (strcmp(e->name, name) == 0)
			return e;
	return NULL;
}

static void assert_sorted(const struct cmd *menu)
{
	for (const struct cmd *e = menu; e->name != NULL && e[1].name != NULL; e++)
		assert_true(strcmp(e->name, e[1].name) < 0);
}

static void test_menus_from_device_registry(void **state)
{
	(void)state;
	const struct cmd *set = root_menu("set"), *show = root_menu("show"), *unset = root_menu("unset");
	assert_sorted(set);
	assert_sorted(show);
	assert_sorted(unset);
	/* every registered device type with commands is `set <name>`, only for its own links */
	unsigned ndev = 0;
	for (const struct dev_type *const *t = dev_types(); *t != NULL; t++) {
		const struct cmd *e = menu_entry(set, (*t)->name);
		if ((*t)->cmds != NULL) {
			assert_non_null(e);
			assert_ptr_equal(e->sub, (*t)->cmds);
			assert_string_equal(e->devtype, (*t)->name);
			assert_true(e->ctx & CTX_LINK);
			assert_string_equal(e->help, (*t)->cmds_help);
			ndev++;
		}
		if ((*t)->show_cmd != NULL) {
			const struct cmd *s = menu_entry(show, (*t)->name);
			assert_non_null(s);
			assert_ptr_equal(s->fn, (*t)->show_cmd->fn);
		}
	}
	assert_true(ndev >= 1); /* pppoe */
	assert_non_null(menu_entry(show, "device")); /* kept as it was */
	/* the unbuilt features are generated entries with the one answer */
	const struct cmd *l2tp = menu_entry(set, "l2tp");
	assert_non_null(l2tp);
	assert_ptr_equal(l2tp->fn, cmd_unsupported);
	assert_string_equal(l2tp->help, "L2TP device configuration");
	assert_ptr_equal(menu_entry(show, "l2tp")->fn, cmd_unsupported);
	assert_null(menu_entry(set, "routes")); /* show-only */
	assert_non_null(menu_entry(show, "routes"));
	assert_non_null(menu_entry(unset, "nat"));
	assert_non_null(menu_entry(unset, "radius"));
	assert_int_equal(unset[2].name == NULL, true); /* nothing else under unset */

	struct cmd_ctx c = admin();
	assert_int_equal(cmd_run_line(&c, "help set"), CMD_OK);
	assert_non_null(strstr(out, "pppoe"));
	assert_non_null(strstr(out, "PPPoE device configuration"));
	assert_non_null(strstr(out, "radius"));
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "show pppoe"), CMD_OK);
	assert_non_null(strstr(out, "PPPoE interfaces:"));
	/* `set pppoe` needs a PPPoE link selected */
	assert_int_equal(cmd_run_line(&c, "set pppoe acname x"), CMD_CTX);
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "set pptp self 1.2.3.4"), CMD_ERR);
	assert_non_null(strstr(out, "'set pptp' is not supported yet"));
	/* device types of later issues are known, not unknown */
	const char *const later_devs[] = {"l2tp", "pptp", "tcp", "udp", "modem", "exec"};
	for (size_t i = 0; i < sizeof(later_devs) / sizeof(later_devs[0]); i++) {
		char line[64];
		snprintf(line, sizeof(line), "create link L%zu %s", i, later_devs[i]);
		out[0] = '\0';
		assert_int_equal(cmd_run_line(&c, line), CMD_ERR);
		assert_non_null(strstr(out, "is not supported yet"));
	}
	out[0] = '\0';
	assert_int_equal(cmd_run_line(&c, "create link L9 nosuch"), CMD_ERR);
	assert_non_null(strstr(out, "unknown device type or link template \"nosuch\""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_labels_and_entries),
		cmocka_unit_test(test_menus_from_device_registry),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_errors_reported_and_counted),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_reindex),
		cmocka_unit_test(test_set_global),
		cmocka_unit_test(test_users_and_priv),
		cmocka_unit_test(test_log_cmd),
		cmocka_unit_test(test_misc_commands),
	};
	log_open("test", false);
	return cmocka_run_group_tests(tests, setup, teardown);
}
