/* Argument splitting and logical-line reading (commands.md §4.1). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "conf/lexer.h"
#include "core/log.h"

static int split(const char *line, struct conf_args *a)
{
	return conf_args_split(a, line);
}

static void test_whitespace(void **state)
{
	(void)state;
	struct conf_args a;
	assert_int_equal(split("  set \t link\fmru   1500  ", &a), 4);
	assert_string_equal(a.av[0], "set");
	assert_string_equal(a.av[1], "link");
	assert_string_equal(a.av[2], "mru");
	assert_string_equal(a.av[3], "1500");
	assert_null(a.av[4]);
	assert_int_equal(split("", &a), 0);
	assert_int_equal(split(" \t ", &a), 0);
}

static void test_quotes(void **state)
{
	(void)state;
	struct conf_args a;
	assert_int_equal(split("set iface description \"my  link\" x", &a), 5);
	assert_string_equal(a.av[3], "my  link");
	assert_string_equal(a.av[4], "x");
	/* "" is an empty argument */
	assert_int_equal(split("set auth password \"\"", &a), 4);
	assert_string_equal(a.av[3], "");
	assert_int_equal(split("\"\" \"\"", &a), 2);
	/* text right after the closing quote starts a new argument */
	assert_int_equal(split("\"ab\"cd", &a), 2);
	assert_string_equal(a.av[0], "ab");
	assert_string_equal(a.av[1], "cd");
	assert_int_equal(split("\"a b\"\"c d\"", &a), 2);
	assert_string_equal(a.av[0], "a b");
	assert_string_equal(a.av[1], "c d");
	/* unterminated quote runs to the end of the line */
	assert_int_equal(split("x \"open  end", &a), 2);
	assert_string_equal(a.av[1], "open  end");
	/* a quote inside a word is an ordinary character */
	assert_int_equal(split("ab\"cd", &a), 1);
	assert_string_equal(a.av[0], "ab\"cd");
	/* # is not a comment inside a line */
	assert_int_equal(split("set x #1", &a), 3);
	assert_string_equal(a.av[2], "#1");
}

static void test_escapes(void **state)
{
	(void)state;
	struct conf_args a;
	assert_int_equal(split("a\\tb a\\nb a\\rb a\\sb", &a), 4);
	assert_string_equal(a.av[0], "a\tb");
	assert_string_equal(a.av[1], "a\nb");
	assert_string_equal(a.av[2], "a\rb");
	assert_string_equal(a.av[3], "a b");
	/* \s keeps the argument together outside quotes */
	assert_int_equal(split("x\\sy z", &a), 2);
	assert_int_equal(split("\"say \\\"hi\\\"\"", &a), 1);
	assert_string_equal(a.av[0], "say \"hi\"");
	assert_int_equal(split("\\\" \\\\ \\$ \\q", &a), 4);
	assert_string_equal(a.av[0], "\"");
	assert_string_equal(a.av[1], "\\");
	assert_string_equal(a.av[2], "$");
	assert_string_equal(a.av[3], "q");
	/* octal: 1 to 3 digits */
	assert_int_equal(split("\\101 \\7x \\0101 \\12", &a), 4);
	assert_string_equal(a.av[0], "A");
	assert_string_equal(a.av[1], "\ax");
	assert_string_equal(a.av[2], "\0101"); /* three digits then a literal 1 */
	assert_string_equal(a.av[3], "\n");
	/* hex: 1 or 2 digits; \x without digits is an x */
	assert_int_equal(split("\\x41 \\x4 \\x414 \\xg \\x7e", &a), 5);
	assert_string_equal(a.av[0], "A");
	assert_string_equal(a.av[1], "\x04");
	assert_string_equal(a.av[2], "A4");
	assert_string_equal(a.av[3], "xg");
	assert_string_equal(a.av[4], "~");
	/* escapes inside quotes, trailing backslash dropped */
	assert_int_equal(split("\"\\x41\\s\\101\" end\\", &a), 2);
	assert_string_equal(a.av[0], "A A");
	assert_string_equal(a.av[1], "end");
}

static void test_arg_limit(void **state)
{
	(void)state;
	struct conf_args a;
	char line[400] = "";
	for (int i = 0; i < 50; i++)
		strcat(line, "w ");
	assert_int_equal(split(line, &a), 50);
	assert_null(a.av[50]);
	strcat(line, "extra");
	assert_int_equal(split(line, &a), CONF_SPLIT_TOOMANY);
	assert_int_equal(a.ac, 0);
	/* the raw splitter honours its own limit and buffer size */
	char buf[8], *av[3];
	assert_int_equal(conf_split("a b c d", buf, sizeof(buf), av, 3), CONF_SPLIT_TOOMANY);
	assert_int_equal(conf_split("abcdefgh", buf, sizeof(buf), av, 3), CONF_SPLIT_TOOLONG);
	assert_int_equal(conf_split("abcdefg", buf, sizeof(buf), av, 3), 1);
	char big[CMD_MAX_LINE + 10];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(split(big, &a), CONF_SPLIT_TOOLONG);
}

static char logbuf[4096];
static void log_capture(void *arg, const char *line)
{
	(void)arg;
	strncat(logbuf, line, sizeof(logbuf) - strlen(logbuf) - 2);
	strcat(logbuf, "\n");
}

static FILE *mem(const char *text)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(fp);
	return fp;
}

static void test_reader(void **state)
{
	(void)state;
	const char *text =
		"# a comment\n"
		"startup:\n"
		"\tset user a b\n"
		"\n"
		"   \t  \n"
		"  # indented comment\n"
		"\tset iface \\\n"
		"\t   description \"x#y\"   \\\n"
		"\t   more\t \n"
		"default: trailing words\n"
		"label2\n"
		"\tlast\\";
	FILE *fp = mem(text);
	struct conf_reader r;
	struct conf_line l;
	char name[64];
	conf_reader_init(&r, fp, "t.conf", 0);

	assert_int_equal(conf_reader_next(&r, &l), 1);
	assert_true(l.label);
	assert_int_equal(l.lineno, 2);
	conf_label_name(l.text, name, sizeof(name));
	assert_string_equal(name, "startup");

	assert_int_equal(conf_reader_next(&r, &l), 1);
	assert_false(l.label);
	assert_int_equal(l.lineno, 3);
	assert_string_equal(l.text, "\tset user a b");

	assert_int_equal(conf_reader_next(&r, &l), 1);
	assert_false(l.label);
	assert_int_equal(l.lineno, 7);
	struct conf_args a;
	assert_int_equal(conf_args_split(&a, l.text), 5);
	assert_string_equal(a.av[3], "x#y");
	assert_string_equal(a.av[4], "more");

	assert_int_equal(conf_reader_next(&r, &l), 1);
	assert_true(l.label);
	assert_int_equal(l.lineno, 10);
	conf_label_name(l.text, name, sizeof(name));
	assert_string_equal(name, "default");

	assert_int_equal(conf_reader_next(&r, &l), 1);
	conf_label_name(l.text, name, sizeof(name));
	assert_string_equal(name, "label2");

	/* continuation at end of file */
	assert_int_equal(conf_reader_next(&r, &l), 1);
	assert_int_equal(l.lineno, 12);
	assert_int_equal(conf_args_split(&a, l.text), 1);
	assert_string_equal(a.av[0], "last");
	assert_int_equal(conf_reader_next(&r, &l), 0);
	assert_int_equal(conf_reader_next(&r, &l), 0);
	fclose(fp);
}

static void test_label_names(void **state)
{
	(void)state;
	char name[8];
	conf_label_name("abc:def", name, sizeof(name));
	assert_string_equal(name, "abc");
	conf_label_name("abc\fdef", name, sizeof(name));
	assert_string_equal(name, "abc");
	conf_label_name("abc\tdef", name, sizeof(name));
	assert_string_equal(name, "abc");
	conf_label_name("verylonglabel", name, sizeof(name));
	assert_string_equal(name, "verylon");
	/* CRLF files: \r is white space, so it is stripped and never part of a label */
	FILE *fp = mem("lab:\r\n\tcmd x\r\n");
	struct conf_reader r;
	struct conf_line l;
	conf_reader_init(&r, fp, "crlf", 0);
	assert_int_equal(conf_reader_next(&r, &l), 1);
	assert_string_equal(l.text, "lab:");
	assert_int_equal(conf_reader_next(&r, &l), 1);
	assert_string_equal(l.text, "\tcmd x");
	fclose(fp);
}

static void test_long_lines(void **state)
{
	(void)state;
	static char text[5000];
	struct log_sink sink = {log_capture, NULL, NULL};
	size_t n = 0;
	n += (size_t)sprintf(text + n, "lab:\n\t");
	for (int i = 0; i < 3000; i++)
		text[n++] = 'a' + i % 26;
	n += (size_t)sprintf(text + n, "\n\tnext\n");
	text[n] = '\0';

	logbuf[0] = '\0';
	log_sink_add(&sink);
	FILE *fp = mem(text);
	struct conf_reader r;
	struct conf_line l;
	conf_reader_init(&r, fp, "long.conf", 0);
	assert_int_equal(conf_reader_next(&r, &l), 1);
	assert_int_equal(conf_reader_next(&r, &l), 1);
	assert_int_equal(l.lineno, 2);
	assert_int_equal(strlen(l.text), CMD_MAX_LINE);
	assert_memory_equal(l.text, "\tabc", 4);
	assert_non_null(strstr(logbuf, "long.conf:2: line too long, truncated"));
	/* the rest of the long line is dropped, not read as the next line */
	assert_int_equal(conf_reader_next(&r, &l), 1);
	assert_string_equal(l.text, "\tnext");
	assert_int_equal(l.lineno, 3);
	fclose(fp);

	/* continuation lines that together overflow are cut too */
	n = 0;
	for (int k = 0; k < 30; k++)
		n += (size_t)sprintf(text + n, "\taaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\\\n");
	n += (size_t)sprintf(text + n, "\tend\n");
	logbuf[0] = '\0';
	fp = mem(text);
	conf_reader_init(&r, fp, "cont.conf", 0);
	assert_int_equal(conf_reader_next(&r, &l), 1);
	assert_true(strlen(l.text) <= CMD_MAX_LINE);
	assert_non_null(strstr(logbuf, "cont.conf"));
	assert_int_equal(conf_reader_next(&r, &l), 0);
	fclose(fp);
	log_sink_del(&sink);
}

static void test_nul_bytes(void **state)
{
	(void)state;
	static const char text[] = "lab\0x:\n\tcmd\0arg\n";
	FILE *fp = fmemopen((void *)text, sizeof(text) - 1, "r");
	struct conf_reader r;
	struct conf_line l;
	char name[16];
	conf_reader_init(&r, fp, "nul", 0);
	assert_int_equal(conf_reader_next(&r, &l), 1);
	conf_label_name(l.text, name, sizeof(name));
	assert_string_equal(name, "lab");
	assert_int_equal(conf_reader_next(&r, &l), 1);
	assert_string_equal(l.text, "\tcmd arg");
	fclose(fp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whitespace),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_arg_limit),
		cmocka_unit_test(test_reader),
		cmocka_unit_test(test_label_names),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_nul_bytes),
	};
	log_open("test", false);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
