/* aaa/ext_proto: the ext-auth / ext-acct line protocol of radius.md §5, both directions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "aaa/acct.h"
#include "aaa/ext_proto.h"
#include "core/log.h"

static void parse(const char *text, struct ext_auth_reply *rep, struct auth_result *res)
{
	auth_result_init(res);
	ext_auth_reply_parse(text, strlen(text), "L1", rep, res);
}

static void test_request_lines(void **state)
{
	(void)state;
	struct auth_request q = {.method = AUTH_PAP, .nas_port = 7};
	snprintf(q.name, sizeof(q.name), "alice");
	snprintf(q.password, sizeof(q.password), "pw\nRESULT:SUCCESS");
	snprintf(q.link_name, sizeof(q.link_name), "L7");
	snprintf(q.session_id, sizeof(q.session_id), "abc");
	snprintf(q.dev_type, sizeof(q.dev_type), "pppoe");
	struct ext_msg m;
	assert_true(ext_auth_request(&m, &q));
	/* the newline in the password ends the value: no line of the peer's choosing */
	assert_non_null(strstr(m.buf, "USER_NAME:alice\nAUTH_TYPE:PAP\nUSER_PASSWORD:pw\nACCT_SESSION_ID:abc\n"
				      "LINK:L7\nNAS_PORT:7\nNAS_PORT_TYPE:pppoe\n"));
	assert_null(strstr(m.buf, "RESULT"));
	assert_int_equal(m.buf[m.len - 1], '\n');
	assert_int_equal(m.buf[m.len - 2], '\n');
	assert_int_equal(strlen(m.buf), m.len);
	/* no password for anything but PAP */
	q.method = AUTH_MSCHAP_V2;
	assert_true(ext_auth_request(&m, &q));
	assert_null(strstr(m.buf, "USER_PASSWORD"));
	assert_non_null(strstr(m.buf, "AUTH_TYPE:CHAP MSOFTv2\n"));
	assert_string_equal(ext_auth_type(AUTH_CHAP_MD5), "CHAP MD5");
	assert_string_equal(ext_auth_type(AUTH_MSCHAP_V1), "CHAP MSOFT");
	assert_string_equal(ext_auth_type(AUTH_EAP_MD5), "EAP");
}

static void test_line_limit(void **state)
{
	(void)state;
	char big[600];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	struct ext_msg m;
	ext_msg_init(&m);
	ext_msg_add(&m, "USER_NAME", big);
	assert_int_equal(m.len, EXT_LINE_MAX + 1); /* 255 characters and the newline */
	/* filling the buffer overflows instead of writing past it */
	for (int i = 0; i < 100; i++)
		ext_msg_add(&m, "USER_NAME", big);
	assert_true(m.overflow);
	assert_false(ext_msg_end(&m));
	assert_true(m.len < sizeof(m.buf));
}

static void test_login_ok(void **state)
{
	(void)state;
	assert_true(ext_login_ok("alice"));
	assert_true(ext_login_ok("DOM\\bob smith"));
	assert_false(ext_login_ok("o'brien"));
	assert_false(ext_login_ok("a\nb"));
	assert_false(ext_login_ok(""));
}

static void test_result_values(void **state)
{
	(void)state;
	struct ext_auth_reply rep;
	struct auth_result res;
	parse("RESULT:SUCCESS\n\n", &rep, &res);
	assert_int_equal(rep.result, EXT_SUCCESS);
	parse("RESULT:UNDEF\r\nUSER_PASSWORD:secret\r\n", &rep, &res);
	assert_int_equal(rep.result, EXT_UNDEF);
	assert_true(rep.has_password);
	assert_string_equal(rep.password, "secret");
	parse("RESULT:success\n", &rep, &res);
	assert_int_equal(rep.result, EXT_FAIL);
	parse("USER_NAME:x\n", &rep, &res); /* RESULT missing */
	assert_int_equal(rep.result, EXT_FAIL);
	/* lines after the empty line are not read */
	parse("RESULT:FAIL\n\nRESULT:SUCCESS\n", &rep, &res);
	assert_int_equal(rep.result, EXT_FAIL);
	parse("", &rep, &res);
	assert_int_equal(rep.result, EXT_FAIL);
}

static void test_authorization(void **state)
{
	(void)state;
	struct ext_auth_reply rep;
	struct auth_result res;
	parse("RESULT:SUCCESS\nUSER_NAME:bob\nFRAMED_IP_ADDRESS:10.1.2.3\nPRIMARY_DNS_SERVER:10.0.0.53\n"
	      "SECONDARY_NBNS_SERVER:10.0.0.54\nFRAMED_ROUTE:192.168.5.0/24\nFRAMED_ROUTE:10.9.0.0/16\n"
	      "FRAMED_IPV6_ROUTE:2001:db8::/48\nFRAMED_MTU:1400\nFRAMED_COMPRESSION:1\nFRAMED_POOL:pool1\n"
	      "SESSION_TIMEOUT:3600\nIDLE_TIMEOUT:300\nACCT_INTERIM_INTERVAL:60\n"
	      "ACCT_INTERIM_LIM_RECV:4000000000\nACCT_INTERIM_LIM_XMIT:5\nREPLY_MESSAGE:hello there\n"
	      "MS_CHAP_ERROR:E=649 R=0 M=no\nMPD_ACTION:bundle B2\nMPD_IFACE_NAME:ppp9\n"
	      "MPD_IFACE_DESCR:a b\nMPD_IFACE_GROUP:grp\nMPD_LIMIT:in#2#Web=flt1 shape 64000 8000\n"
	      "MPD_FILTER:1#1=match dst net 10.0.0.0/8\n\n",
	      &rep, &res);
	assert_int_equal(rep.result, EXT_SUCCESS);
	assert_int_equal(rep.unknown + rep.invalid, 0);
	assert_string_equal(rep.user_name, "bob");
	assert_string_equal(res.user_name, "bob");
	assert_true(res.peer_range_set);
	assert_int_equal(res.peer_range.s_addr, inet_addr("10.1.2.3"));
	assert_int_equal(res.peer_range_width, 32);
	assert_int_equal(res.dns[0].s_addr, inet_addr("10.0.0.53"));
	assert_int_equal(res.dns[1].s_addr, 0);
	assert_int_equal(res.nbns[1].s_addr, inet_addr("10.0.0.54"));
	assert_int_equal(res.nroutes, 3);
	assert_int_equal(res.routes[0].dst.s_addr, inet_addr("192.168.5.0"));
	assert_int_equal(res.routes[0].width, 24);
	assert_false(res.routes[0].v6);
	assert_int_equal(res.routes[1].width, 16);
	assert_true(res.routes[2].v6);
	assert_int_equal(res.routes[2].width, 48);
	assert_int_equal(res.routes[2].dst6.s6_addr[1], 0x01);
	assert_true(res.framed_ip_set);
	assert_int_equal(res.framed_ip.s_addr, inet_addr("10.1.2.3"));
	assert_int_equal(res.mtu, 1400);
	assert_true(res.vj_compression);
	assert_string_equal(res.pool, "pool1");
	assert_int_equal(res.session_timeout, 3600);
	assert_int_equal(res.idle_timeout, 300);
	assert_int_equal(res.acct_interim, 60);
	assert_int_equal(res.acct_lim_recv, 4000000000u);
	assert_int_equal(res.acct_lim_xmit, 5);
	assert_string_equal(res.msg, "hello there");
	assert_string_equal(res.mschap_error, "E=649 R=0 M=no");
	assert_string_equal(res.action, "bundle B2");
	assert_string_equal(res.iface_name, "ppp9");
	assert_string_equal(res.iface_descr, "a b");
	assert_string_equal(res.iface_group, "grp");
	assert_int_equal(res.nacl, 2);
	assert_int_equal(res.acl[0].kind, AUTH_ACL_LIMIT);
	assert_string_equal(res.acl[0].text, "in#2#Web=flt1 shape 64000 8000");
	assert_int_equal(res.acl[1].kind, AUTH_ACL_FILTER);
}

static void test_validation(void **state)
{
	(void)state;
	struct ext_auth_reply rep;
	struct auth_result res;
	parse("RESULT:UNDEF\nFRAMED_IP_ADDRESS:10.1.2.300\nFRAMED_IP_ADDRESS:10.0.0.0/33\n"
	      "PRIMARY_DNS_SERVER:dns\nFRAMED_ROUTE:10.0.0.0\nFRAMED_MTU:100\nFRAMED_MTU:70000\n"
	      "SESSION_TIMEOUT:-1\nIDLE_TIMEOUT:4294967296\nACCT_INTERIM_LIM_RECV:1x\nFRAMED_COMPRESSION:2\n"
	      "USER_NT_HASH:0123456789abcdef0123456789abcdeg\nUSER_LM_HASH:0123\nMPD_ACTION:jump\n"
	      "MPD_ACTION:bundle \nMPD_INPUT_ACCT:x\nFOO:bar\nno colon here\n\n",
	      &rep, &res);
	assert_int_equal(rep.result, EXT_UNDEF);
	assert_int_equal(rep.invalid, 14);
	assert_int_equal(rep.unknown, 2); /* MPD_INPUT_ACCT is not taken from ext-auth */
	assert_false(res.peer_range_set);
	assert_int_equal(res.dns[0].s_addr, 0);
	assert_int_equal(res.nroutes, 0);
	assert_int_equal(res.mtu, AUTH_UNSET_U32);
	assert_int_equal(res.session_timeout, AUTH_UNSET_U32);
	assert_int_equal(res.idle_timeout, AUTH_UNSET_U32);
	assert_false(rep.has_nt_hash);
	assert_false(rep.has_lm_hash);
	assert_string_equal(res.action, "");
	/* a good hash, upper or lower case */
	parse("RESULT:UNDEF\nUSER_NT_HASH:8846F7EAEE8FB117AD06BDD830B7586c\nFRAMED_IP_ADDRESS:10.0.0.0/24\n", &rep,
	      &res);
	assert_true(rep.has_nt_hash);
	assert_int_equal(rep.nt_hash[0], 0x88);
	assert_int_equal(rep.nt_hash[15], 0x6c);
	assert_int_equal(res.peer_range_width, 24);
	assert_false(res.framed_ip_set); /* a range is not one address */
}

static void test_long_lines(void **state)
{
	(void)state;
	char text[1200];
	/* a 300-character line is dropped, the lines around it still count */
	int n = snprintf(text, sizeof(text), "RESULT:SUCCESS\nREPLY_MESSAGE:");
	memset(text + n, 'm', 300);
	snprintf(text + n + 300, sizeof(text) - (size_t)n - 300, "\nSESSION_TIMEOUT:5\n");
	struct ext_auth_reply rep;
	struct auth_result res;
	parse(text, &rep, &res);
	assert_int_equal(rep.result, EXT_SUCCESS);
	assert_string_equal(res.msg, "");
	assert_int_equal(res.session_timeout, 5);
	/* a NUL inside a line is malformed, not a shorter line */
	const char nul[] = "RESULT:SUCC\0ESS\nIDLE_TIMEOUT:7\n";
	auth_result_init(&res);
	ext_auth_reply_parse(nul, sizeof(nul) - 1, "L1", &rep, &res);
	assert_int_equal(rep.result, EXT_FAIL);
	assert_int_equal(res.idle_timeout, 7);
}

static void test_acct_reply(void **state)
{
	(void)state;
	struct ext_acct_reply rep;
	ext_acct_reply_parse("MPD_DROP_USER:1\n\n", 17, "L1", &rep);
	assert_true(rep.drop_user);
	ext_acct_reply_parse("MPD_DROP_USER:0\nOTHER:1\n", 24, "L1", &rep);
	assert_false(rep.drop_user);
	assert_int_equal(rep.unknown, 1);
	ext_acct_reply_parse("MPD_DROP_USER:yes\n", 18, "L1", &rep);
	assert_false(rep.drop_user);
	assert_int_equal(rep.invalid, 1);
}

static void test_acct_request(void **state)
{
	(void)state;
	static struct acct_record r;
	memset(&r, 0, sizeof(r));
	r.status = ACCT_START;
	snprintf(r.user, sizeof(r.user), "bob");
	snprintf(r.link, sizeof(r.link), "L-1");
	r.framed_ip.s_addr = inet_addr("10.1.1.9");
	struct ext_msg m;
	assert_true(ext_acct_request(&m, &r));
	assert_non_null(strstr(m.buf, "ACCT_STATUS_TYPE:START\n"));
	assert_non_null(strstr(m.buf, "USER_NAME:bob\n"));
	assert_non_null(strstr(m.buf, "FRAMED_IP_ADDRESS:10.1.1.9\n"));
	assert_null(strstr(m.buf, "ACCT_INPUT_OCTETS"));
	assert_null(strstr(m.buf, "ACCT_TERMINATE_CAUSE"));
	r.status = ACCT_STOP;
	r.in_octets = 5000000000ull; /* past 2^32: sent whole, no gigawords */
	r.out_packets = 7;
	snprintf(r.term_reason, sizeof(r.term_reason), "Idle timeout");
	assert_true(ext_acct_request(&m, &r));
	assert_non_null(strstr(m.buf, "ACCT_STATUS_TYPE:STOP\n"));
	assert_non_null(strstr(m.buf, "ACCT_INPUT_OCTETS:5000000000\n"));
	assert_non_null(strstr(m.buf, "ACCT_OUTPUT_PACKETS:7\n"));
	assert_non_null(strstr(m.buf, "ACCT_TERMINATE_CAUSE:Idle timeout\n"));
	assert_true(m.len >= 2 && m.buf[m.len - 1] == '\n' && m.buf[m.len - 2] == '\n');
	r.status = ACCT_UPDATE;
	assert_true(ext_acct_request(&m, &r));
	assert_non_null(strstr(m.buf, "ACCT_STATUS_TYPE:UPDATE\n"));
	assert_null(strstr(m.buf, "ACCT_TERMINATE_CAUSE"));
}

int main(void)
{
	for (int f = 0; f < LG_NFLAGS; f++)
		log_set((enum log_flag)f, false);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_lines), cmocka_unit_test(test_line_limit),
		cmocka_unit_test(test_login_ok),      cmocka_unit_test(test_result_values),
		cmocka_unit_test(test_authorization), cmocka_unit_test(test_validation),
		cmocka_unit_test(test_long_lines),    cmocka_unit_test(test_acct_reply),
		cmocka_unit_test(test_acct_request),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
