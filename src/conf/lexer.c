/*
 * Argument splitting and logical-line reading (commands.md §4.1).  Both
 * take untrusted text: every write into a buffer is bounded, and an
 * over-long line is cut with a warning rather than rejected, as mpd5 does.
 */
#include "conf/lexer.h"

#include <string.h>

#include "core/log.h"

static bool is_blank(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\f' || ch == '\v';
}

static int hex_value(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Decode the escape after a backslash at *pp; advances *pp.  A trailing
 * backslash yields -1 (nothing). */
static int unescape(const char **pp)
{
	const char *p = *pp;
	int ch = (unsigned char)*p, v, d;

	if (ch == '\0')
		return -1;
	p++;
	switch (ch) {
	case 't': ch = '\t'; break;
	case 'n': ch = '\n'; break;
	case 'r': ch = '\r'; break;
	case 's': ch = ' '; break;
	case 'x':
		if ((v = hex_value((unsigned char)*p)) < 0)
			break; /* "\x" alone is an x */
		p++;
		if ((d = hex_value((unsigned char)*p)) >= 0) {
			v = v * 16 + d;
			p++;
		}
		ch = v;
		break;
	default:
		if (ch >= '0' && ch <= '7') {
			v = ch - '0';
			for (int i = 1; i < 3 && *p >= '0' && *p <= '7'; i++)
				v = v * 8 + (*p++ - '0');
			ch = v & 0xff; /* \777 wraps rather than overflowing */
		}
		break;
	}
	*pp = p;
	return ch;
}

int conf_split(const char *line, char *buf, size_t buflen, char **av, int maxav)
{
	const char *p = line;
	char *o = buf, *end = buf + buflen;
	int ac = 0;

	for (;;) {
		while (is_blank((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		if (ac >= maxav)
			return CONF_SPLIT_TOOMANY;
		av[ac++] = o;
		bool quoted = *p == '"';
		if (quoted)
			p++;
		while (*p != '\0') {
			int ch;
			if (quoted && *p == '"') {
				p++; /* what follows starts a new argument */
				break;
			}
			if (!quoted && is_blank((unsigned char)*p))
				break;
			if (*p == '\\') {
				p++;
				if ((ch = unescape(&p)) < 0)
					continue;
			} else {
				ch = (unsigned char)*p++;
			}
			if (o >= end)
				return CONF_SPLIT_TOOLONG;
			*o++ = (char)ch;
		}
		if (o >= end)
			return CONF_SPLIT_TOOLONG;
		*o++ = '\0';
	}
	if (ac < maxav)
		av[ac] = NULL;
	return ac;
}

int conf_args_split(struct conf_args *a, const char *line)
{
	int rc = conf_split(line, a->buf, sizeof(a->buf), a->av, CMD_MAX_ARGS);
	a->ac = rc < 0 ? 0 : rc;
	a->av[a->ac] = NULL;
	return rc;
}

const char *conf_split_strerror(int rc)
{
	switch (rc) {
	case CONF_SPLIT_TOOMANY:
		return "too many arguments (at most 50)";
	case CONF_SPLIT_TOOLONG:
		return "line too long";
	default:
		return "bad line";
	}
}

void conf_reader_init(struct conf_reader *r, FILE *fp, const char *name, int lineno)
{
	r->fp = fp;
	r->name = name != NULL ? name : "-";
	r->lineno = lineno;
}

/* Read one physical line into buf (NUL-terminated, newline removed); returns
 * its length or -1 at end of file.  Longer lines are cut with a warning. */
static int read_physical(struct conf_reader *r, char *buf, size_t size)
{
	size_t n = 0;
	bool cut = false;
	int ch;

	while ((ch = getc(r->fp)) != EOF && ch != '\n') {
		if (n + 1 >= size) {
			cut = true;
			continue;
		}
		buf[n++] = ch == '\0' ? ' ' : (char)ch; /* a NUL must not end the line early */
	}
	if (ch == EOF && n == 0 && !cut)
		return -1;
	buf[n] = '\0';
	r->lineno++;
	if (cut)
		log_msg(LG_ERR, NULL, "%s:%d: line too long, truncated", r->name, r->lineno);
	return (int)n;
}

static size_t strip_trailing(char *s, size_t n)
{
	while (n > 0 && is_blank((unsigned char)s[n - 1]))
		n--;
	s[n] = '\0';
	return n;
}

/* Append continuation lines while a physical line ends in a backslash; the
 * backslash becomes a space.  Past the buffer the text is dropped, but the
 * continuation lines are still consumed. */
static void join_continuations(struct conf_reader *r, struct conf_line *out, size_t n)
{
	char next[CMD_MAX_LINE + 1];
	bool warned = false;
	bool more = n > 0 && out->text[n - 1] == '\\';

	if (more)
		out->text[n - 1] = ' ';
	while (more) {
		int m = read_physical(r, next, sizeof(next));
		if (m < 0)
			break;
		m = (int)strip_trailing(next, (size_t)m);
		more = m > 0 && next[m - 1] == '\\';
		if (more)
			next[m - 1] = ' ';
		size_t room = sizeof(out->text) - 1 - n;
		if ((size_t)m > room) {
			m = (int)room;
			if (!warned)
				log_msg(LG_ERR, NULL, "%s:%d: line too long, truncated", r->name, r->lineno);
			warned = true;
		}
		memcpy(out->text + n, next, (size_t)m);
		n += (size_t)m;
		out->text[n] = '\0';
	}
	strip_trailing(out->text, n);
}

int conf_reader_next(struct conf_reader *r, struct conf_line *out)
{
	for (;;) {
		int n = read_physical(r, out->text, sizeof(out->text));
		if (n < 0)
			return 0;
		out->lineno = r->lineno;
		size_t len = strip_trailing(out->text, (size_t)n);
		const char *p = out->text;
		while (is_blank((unsigned char)*p))
			p++;
		if (*p == '\0' || *p == '#')
			continue;
		join_continuations(r, out, len);
		out->label = !is_blank((unsigned char)out->text[0]);
		return 1;
	}
}

void conf_label_name(const char *text, char *buf, size_t len)
{
	size_t n = strcspn(text, " \t\f:");
	if (len == 0)
		return;
	if (n >= len)
		n = len - 1;
	memcpy(buf, text, n);
	buf[n] = '\0';
}
