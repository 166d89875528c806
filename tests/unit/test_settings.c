/*
 * No silently ignored settings (issue 11 item 4): every `set` entry and
 * every enable/disable option the command tables accept either acts or
 * answers "not supported yet".
 *
 * The walk starts at cmd_root()'s `set` menu and descends every sub-menu
 * (device menus included), so a new entry or option is covered without
 * touching this file.  Each one must be either
 *   - answered "not supported yet": a cmd_unsupported leaf, or an option in
 *     its menu's `later` list; both are run here and the answer checked; or
 *   - listed below in `acting`, with the test that shows it act (a file and
 *     a string that must occur in it, normally the test function's name).
 * An entry in neither place fails the test with its name; so does a row of
 * `acting` that the tables no longer have, so the list cannot rot.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/cmd.h"

#ifndef SRCDIR
#error "SRCDIR (the source tree) must be defined by the build"
#endif

/* A setting that acts and the test that shows it (file relative to the source tree). */
struct acting {
	const char *key;    /* "set link mtu", or "set link option pap" for an option */
	const char *file;
	const char *needle; /* occurs in file: the test (case) that proves it */
};

#define UNIT(f) "tests/unit/" f
#define NETNS(f) "tests/netns/" f
#define SETTINGS NETNS("test_settings.py")
#define PPPOE NETNS("test_pppoe.py")
#define COMPAT NETNS("test_compat.py")
#define AUTHPY NETNS("test_auth.py")
#define ACCTPY NETNS("test_acct.py")
#define BUNDLE NETNS("test_bundle.py")
#define RADSRV NETNS("test_radsrv.py")
#define EXTAUTH NETNS("test_extauth.py")

/* Where only an engine's unit test proves it, the glue maps the option 1:1 onto the engine's. */
static const struct acting acting[] = {
	{"set auth authname", PPPOE, "def case_pap"},
	{"set auth password", AUTHPY, "def case_wrong_password_mschapv2"},
	{"set auth max-logins", PPPOE, "def case_max_logins"},
	{"set auth timeout", SETTINGS, "def case_auth_timeout"},
	{"set auth acct-update", ACCTPY, "def case_start_interim_stop_counters"},
	{"set auth update-limit-in", ACCTPY, "def case_update_limits_suppress"},
	{"set auth update-limit-out", ACCTPY, "def case_update_limits_suppress"},
	{"set auth option radius-acct", ACCTPY, "def case_start_interim_stop_counters"},
	{"set auth option acct-mandatory", ACCTPY, "def case_mandatory_dead_server"},
	{"set bundle option radius-acct", ACCTPY, "def case_mpd4_bundle_option"},
	{"set auth option internal", UNIT("test_auth.c"), "internal disabled: nobody is known"},
	{"set auth option radius-auth", NETNS("test_radius.py"), "def case_pap_accept"},
	{"set radius server", NETNS("test_radius.py"), "def case_first_server_dead"},
	{"set radius src-addr", NETNS("test_radius.py"), "def case_nas_attributes"},
	{"set radius me", NETNS("test_radius.py"), "def case_nas_attributes"},
	{"set radius v6me", NETNS("test_radius.py"), "def case_nas_attributes"},
	{"set radius identifier", NETNS("test_radius.py"), "def case_nas_attributes"},
	{"set radius timeout", NETNS("test_radius.py"), "def case_sink_failover_others_served"},
	{"set radius retries", NETNS("test_radius.py"), "def case_sink_failover_others_served"},
	{"set radius config", NETNS("test_radius.py"), "def case_radius_config_file"},
	/* we always send Message-Authenticator (docs/differences.md): the test disables it and finds it first */
	{"set radius option message-authentic", NETNS("test_radius.py"), "def case_nas_attributes"},
	{"set radius option require-message-authentic", NETNS("test_radius.py"), "def case_forged_accept_no_ma"},
	{"set auth option strict-attrs", NETNS("test_radius_apply.py"), "def case_strict_attrs"},
	{"set link option time-remain", NETNS("test_radius_apply.py"), "def case_session_timeout"},
	{"set auth extauth-script", EXTAUTH, "def case_success_framed_ip"},
	{"set auth option ext-auth", EXTAUTH, "def case_success_framed_ip"},
	{"set auth extacct-script", EXTAUTH, "def case_ext_acct_start_stop"},
	{"set auth option ext-acct", EXTAUTH, "def case_ext_acct_start_stop"},
	{"set auth option pam-auth", NETNS("test_pam.py"), "def case_pam_auth_and_session"},
	{"set auth option pam-acct", NETNS("test_pam.py"), "def case_pam_auth_and_session"},
	{"set auth option system-auth", NETNS("test_pam.py"), "def case_system_auth"},
	{"set auth option system-acct", NETNS("test_pam.py"), "def case_system_acct_wtmp"},
	{"set bundle period", BUNDLE, "def case_bod"},
	{"set bundle lowat", BUNDLE, "def case_bod"},
	{"set bundle hiwat", BUNDLE, "def case_bod"},
	{"set bundle min-con", BUNDLE, "def case_bod"},
	{"set bundle min-dis", BUNDLE, "def case_bod"},
	{"set bundle links", BUNDLE, "def case_bod"},
	{"set bundle fsm-timeout", BUNDLE, "Retry timeout"},
	{"set bundle retry", BUNDLE, "set bundle retry not applied"},
	{"set bundle option ipcp", SETTINGS, "def case_bundle_no_ipcp"},
	{"set bundle option crypt-reqd", SETTINGS, "def case_crypt_reqd"},
	{"set bundle option bw-manage", BUNDLE, "def case_bod"},
	{"set bundle option round-robin", NETNS("test_multilink.py"), "set bundle enable round-robin"},
	{"set bundle option multilink", SETTINGS, "def case_mpd4_bundle_options"},
	{"set bundle option shortseq", SETTINGS, "def case_mpd4_bundle_options"},
	{"set bundle option noretry", SETTINGS, "def case_mpd4_bundle_options"},
	{"set console ip", COMPAT, "def case_mpd4_console"},
	{"set console port", COMPAT, "def case_mpd4_console"},
	{"set console user", COMPAT, "def case_mpd4_console"},
	{"set console open", UNIT("test_console_cmds.c"), "test_sessionless"},
	{"set console close", UNIT("test_console_cmds.c"), "test_sessionless"},
	{"set console self", UNIT("test_console_cmds.c"), "test_sessionless"},
	{"set console option auth", UNIT("test_console_cmds.c"), "test_sessionless"},
	{"set console option logging", UNIT("test_console_cmds.c"), "test_global_logging_seeds_sessions"},
	{"set eap option md5", AUTHPY, "def case_eap_md5_both"},
	{"set eap option radius-proxy", NETNS("test_radius_apply.py"), "def case_eap_proxy_md5"},
	{"set global max-children", SETTINGS, "def case_max_children"},
	{"set global option one-shot", SETTINGS, "def case_one_shot"},
	{"set global option session-time", SETTINGS, "set global enable session-time"},
	{"set global option fast-path", NETNS("test_datapath.py"), "def case_switch_off"},
	{"set iface addrs", SETTINGS, "def case_iface_addrs_force"},
	{"set iface route", PPPOE, "def case_iface_routes_scripts_idle"},
	{"set iface mtu", NETNS("test_multilink.py"), "set iface mtu 1400"},
	{"set iface name", SETTINGS, "set iface name srv"},
	{"set iface description", SETTINGS, "def case_iface_description"},
	{"set iface up-script", PPPOE, "def case_iface_routes_scripts_idle"},
	{"set iface down-script", PPPOE, "def case_iface_routes_scripts_idle"},
	{"set iface idle", PPPOE, "def case_iface_routes_scripts_idle"},
	{"set iface session", SETTINGS, "set iface session 8"},
	{"set iface option on-demand", BUNDLE, "def case_on_demand"},
	{"set ipcp ranges", PPPOE, "negotiated addresses"},
	{"set ipcp dns", PPPOE, "DNS given to the client"},
	{"set ipcp nbns", SETTINGS, "NBNS servers not negotiated"},
	{"set ipcp option req-pri-dns", PPPOE, "DNS given to the client"},
	{"set ipcp option req-sec-dns", PPPOE, "DNS given to the client"},
	{"set ipcp option req-pri-nbns", SETTINGS, "NBNS servers not negotiated"},
	{"set ipcp option req-sec-nbns", SETTINGS, "NBNS servers not negotiated"},
	{"set ipcp option pretend-ip", UNIT("test_ipcp.c"), "test_pretend_ip"},
	{"set ippool add", PPPOE, "pool not released"},
	{"set link action", PPPOE, "set link action bundle B"},
	{"set link bandwidth", BUNDLE, "set link bandwidth 200000"},
	{"set link latency", UNIT("test_mp.c"), "test_plan_latency"},
	{"set link accmap", UNIT("test_lcp.c"), "test_async_accm"},
	{"set link mrru", "tests/interop/cases/multilink.py", "set link mrru 2000"},
	{"set link mru", SETTINGS, "wanted the client's MRU 1400"},
	{"set link mtu", SETTINGS, "client MTU not capped by set link mtu 1300"},
	{"set link fsm-timeout", UNIT("test_fsm.c"), "test_restart_exhaustion"},
	{"set link max-redial", PPPOE, "def case_wrong_password_redial"},
	{"set link redial-delay", PPPOE, "def case_wrong_password_redial"},
	{"set link max-children", SETTINGS, "def case_max_children"},
	{"set link keep-alive", PPPOE, "def case_kill9_keepalive"},
	{"set link ident", SETTINGS, "def case_ident"},
	{"set link type", BUNDLE, "set link type pppoe"},
	{"set link option incoming", PPPOE, "set link enable incoming"},
	{"set link option pap", PPPOE, "def case_pap"},
	{"set link option chap-md5", PPPOE, "def case_chap_md5"},
	{"set link option chap-msv1", AUTHPY, "def case_mschapv1_both"},
	{"set link option chap-msv2", AUTHPY, "def case_mschapv2_both"},
	{"set link option eap", AUTHPY, "def case_eap_md5_both"},
	{"set link option acfcomp", "tests/interop/cases/lcp.py", "def lcp_acfc_pfc_disabled_here"},
	{"set link option protocomp", "tests/interop/cases/lcp.py", "def lcp_acfc_pfc_disabled_here"},
	{"set link option magicnum", UNIT("test_lcp.c"), "LCP_O_MAGICNUM"},
	{"set link option check-magic", UNIT("test_lcp.c"), "LCP_O_CHECKMAGIC"},
	{"set link option passive", UNIT("test_lcp.c"), "test_callback_and_passive"},
	{"set link option no-orig-auth", UNIT("test_lcp.c"), "LCP_O_NOORIGAUTH"},
	{"set link option keep-ms-domain", AUTHPY, "def case_keep_ms_domain"},
	{"set link option multilink", NETNS("test_multilink.py"), "set link enable multilink"},
	{"set link option shortseq", UNIT("test_lcp.c"), "test_shortseq_one_way"},
	{"set ng", UNIT("test_conf_load.c"), "set ng"},                 /* refuses: no netgraph on Linux */
	{"set phys type", BUNDLE, "set phys type pppoe"},
	{"set pppoe option originate", COMPAT, "def case_mpd4_pppoe_options"},
	{"set pppoe option incoming", COMPAT, "def case_mpd4_pppoe_options"},
	{"set pppoe iface", PPPOE, "set pppoe iface {ifname}"},
	{"set pppoe service", PPPOE, "set pppoe service"},
	{"set pppoe acname", SETTINGS, "AC-Name not sent"},
	{"set pppoe max-payload", NETNS("pppoe_dev/test_pppoe_dev.c"), "max-payload"},
	{"set pppoe mac-format", NETNS("pppoe_dev/test_pppoe_dev.c"), "mac-format"},
	{"set radsrv open", RADSRV, "def case_disconnect"},
	{"set radsrv close", RADSRV, "a closed server answered"},
	{"set radsrv self", RADSRV, "the server still listens on every address"},
	{"set radsrv peer", RADSRV, "the unknown client was not logged"},
	{"set radsrv option coa", RADSRV, "no NAK 501 with coa disabled"},
	{"set radsrv option disconnect", RADSRV, "no NAK 501 with disconnect disabled"},
	{"set pppoe pado-delay", NETNS("test_scaleout.py"), "def case_pado_steps"},
	{"set user", NETNS("console/test_console_daemon.py"), "set user"},
};

#define NACTING (sizeof(acting) / sizeof(acting[0]))

struct walk {
	bool seen[NACTING];
	const void *menus[64]; /* option menus already checked (each has up to six verbs) */
	size_t nmenus;
	unsigned checked, later;
	char failures[8192];
};

static void fail_with(struct walk *w, const char *fmt, const char *a, const char *b)
{
	size_t n = strlen(w->failures);
	snprintf(w->failures + n, sizeof(w->failures) - n, fmt, a, b);
}

static bool file_has(const char *rel, const char *needle)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", SRCDIR, rel);
	FILE *fp = fopen(path, "r");
	if (fp == NULL)
		return false;
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	char buf[4096];
	size_t n;
	while (mem != NULL && (n = fread(buf, 1, sizeof(buf), fp)) > 0)
		fwrite(buf, 1, n, mem);
	fclose(fp);
	if (mem != NULL)
		fclose(mem);
	bool found = text != NULL && strstr(text, needle) != NULL;
	free(text);
	return found;
}

/* A claimed-acting key: it must be listed with a proof that exists. */
static void check_acting(struct walk *w, const char *key)
{
	for (size_t i = 0; i < NACTING; i++) {
		if (strcmp(acting[i].key, key) != 0)
			continue;
		w->seen[i] = true;
		if (!file_has(acting[i].file, acting[i].needle))
			fail_with(w, "%s: its proof is not in %s\n", key, acting[i].file);
		w->checked++;
		return;
	}
	fail_with(w, "%s%s: accepted, but neither answers \"not supported yet\" nor is listed as acting\n", key, "");
}

static bool is_verb(cmd_fn fn)
{
	return fn == cmd_opt_enable || fn == cmd_opt_disable || fn == cmd_opt_accept || fn == cmd_opt_deny ||
	       fn == cmd_opt_yes || fn == cmd_opt_no;
}

static bool in_list(const char *const *list, const char *name)
{
	for (; list != NULL && *list != NULL; list++)
		if (strcmp(*list, name) == 0)
			return true;
	return false;
}

/* An option the port refuses for good (struct cmd_optnever, linux.md): not an ignored setting. */
static bool in_never(const struct cmd_optnever *nv, const char *name)
{
	for (; nv != NULL && nv->name != NULL; nv++)
		if (strcmp(nv->name, name) == 0)
			return true;
	return false;
}

/* Run handler as the interpreter would and check the answer names the feature as not built. */
static void check_refused(struct walk *w, const char *key, int rc, const struct cmd_ctx *c)
{
	if (rc != CMD_ERR || strstr(c->err, "not supported yet") == NULL)
		fail_with(w, "%s: should answer \"not supported yet\", said \"%s\"\n", key, c->err);
	w->later++;
}

static void walk_options(struct walk *w, const char *path, const struct cmd_optmenu *m)
{
	for (size_t i = 0; i < w->nmenus; i++)
		if (w->menus[i] == m)
			return;
	assert_true(w->nmenus < sizeof(w->menus) / sizeof(w->menus[0]));
	w->menus[w->nmenus++] = m;
	for (const struct cmd_opt *o = m->opts; o->name != NULL; o++) {
		char key[160];
		snprintf(key, sizeof(key), "%s option %s", path, o->name);
		if (in_never(m->never, o->name)) {
			struct cmd_ctx c = {.priv = PRIV_ADMIN};
			char *av[] = {(char *)o->name, NULL};
			if (cmd_opt_enable(&c, 1, av, m) != CMD_ERR || strstr(c.err, "is not available") == NULL)
				fail_with(w, "%s: should be refused as not available, said \"%s\"\n", key, c.err);
			continue;
		}
		if (!in_list(m->later, o->name)) {
			check_acting(w, key);
			continue;
		}
		struct cmd_ctx c = {.priv = PRIV_ADMIN};
		char *av[] = {(char *)o->name, NULL};
		check_refused(w, key, cmd_opt_enable(&c, 1, av, m), &c);
	}
}

static void walk_menu(struct walk *w, const char *path, const struct cmd *menu)
{
	for (const struct cmd *e = menu; e->name != NULL; e++) {
		char key[160];
		snprintf(key, sizeof(key), "%s %s", path, e->name);
		if (e->fn == NULL && e->sub != NULL) {
			walk_menu(w, key, e->sub);
		} else if (is_verb(e->fn)) {
			walk_options(w, path, e->arg);
		} else if (e->fn == cmd_unsupported) {
			struct cmd_ctx c = {.priv = PRIV_ADMIN};
			check_refused(w, key, cmd_unsupported(&c, 0, NULL, e->arg), &c);
		} else {
			check_acting(w, key);
		}
	}
}

static const struct cmd *set_menu(void)
{
	for (const struct cmd *e = cmd_root(); e->name != NULL; e++)
		if (strcmp(e->name, "set") == 0)
			return e->sub;
	return NULL;
}

static void test_every_setting_acts_or_is_refused(void **state)
{
	(void)state;
	static struct walk w;
	const struct cmd *set = set_menu();
	assert_non_null(set);
	walk_menu(&w, "set", set);
	for (size_t i = 0; i < NACTING; i++)
		if (!w.seen[i])
			fail_with(&w, "%s: listed as acting, but the tables no longer accept it%s\n", acting[i].key, "");
	if (w.failures[0] != '\0') {
		fprintf(stderr, "%s", w.failures); /* whole: cmocka's own message would cut the list */
		fail_msg("settings neither acting nor refused (listed above)");
	}
	/* the walk really went through the tables: option lists, device menus, unbuilt features */
	assert_true(w.checked == NACTING);
	assert_true(w.later >= 40);
}

static int some_handler(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)c;
	(void)ac;
	(void)av;
	(void)arg;
	return CMD_OK;
}

/* The walk catches what it claims to: an option and a value nobody listed, a row that went away. */
static void test_walk_catches_unhandled(void **state)
{
	(void)state;
	static const struct cmd_opt opts[] = {{"frobnicate", false, 0}, {"soon", false, 1}, {NULL, false, 0}};
	static const char *const later[] = {"soon", NULL};
	static const struct cmd_optmenu m = {opts, NULL, NULL, later, NULL, NULL};
	static const struct cmd sub[] = {
		{"knob", "{v}", "", some_handler, NULL, 0, PRIV_ADMIN, NULL, NULL},
		{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
	};
	static const struct cmd menu[] = {
		CMD_OPT_VERBS(m, 0),
		{"later", "", "", cmd_unsupported, NULL, 0, PRIV_ADMIN, NULL, "set x later"},
		{"menu", NULL, "", NULL, sub, 0, PRIV_ADMIN, NULL, NULL},
		{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
	};
	static struct walk w;
	walk_menu(&w, "set x", menu);
	assert_non_null(strstr(w.failures, "set x option frobnicate: accepted, but neither"));
	assert_non_null(strstr(w.failures, "set x menu knob: accepted, but neither"));
	assert_null(strstr(w.failures, "soon"));
	assert_null(strstr(w.failures, "set x later"));
	assert_int_equal(w.later, 2);
	/* a listed setting whose proof string is gone fails too */
	static const struct acting gone = {"set link ident", SETTINGS, "no such test anywhere 0x5f3759df"};
	assert_true(file_has(acting[0].file, acting[0].needle));
	assert_false(file_has(gone.file, gone.needle));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_setting_acts_or_is_refused),
		cmocka_unit_test(test_walk_catches_unhandled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
