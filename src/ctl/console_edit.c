/*
 * Console input decoder. Telnet (RFC 854) commands are recognised only
 * to be skipped: the daemon offers its options once at connect and never
 * renegotiates, so no reply is owed. Everything here is bounded by the
 * line buffer; an endless option or escape sequence costs no memory.
 */
#include "ctl/console_edit.h"

#include <string.h>

enum {
	TN_DATA,
	TN_IAC,    /* after IAC */
	TN_OPT,    /* after IAC WILL/WONT/DO/DONT: one option byte follows */
	TN_SB,     /* inside a subnegotiation */
	TN_SB_IAC, /* IAC inside a subnegotiation */
};

enum {
	TEL_SE = 240,
	TEL_SB = 250,
	TEL_WILL = 251,
	TEL_DONT = 254,
	TEL_IAC = 255,
};

enum { ESC_NONE, ESC_START, ESC_CSI };

#define ESC_MAXLEN 16 /* parameter bytes we wait for before giving up on a sequence */

#define CTRL(c) ((c) & 0x1f)

static void echo(struct con_edit *e, const char *s, size_t n)
{
	if (e->io.echo != NULL && n > 0)
		e->io.echo(e->io.arg, s, n);
}

static void bell(struct con_edit *e)
{
	echo(e, "\a", 1);
}

/* Erase n characters left of the cursor on a dumb terminal. */
static void erase(struct con_edit *e, size_t n)
{
	static const char bs[] = "\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b";
	static const char sp[] = "                ";
	size_t k;

	if (!e->echo)
		return;
	for (size_t left = n; left > 0; left -= k) {
		k = left < 16 ? left : 16;
		echo(e, bs, k);
	}
	for (size_t left = n; left > 0; left -= k) {
		k = left < 16 ? left : 16;
		echo(e, sp, k);
	}
	for (size_t left = n; left > 0; left -= k) {
		k = left < 16 ? left : 16;
		echo(e, bs, k);
	}
}

void con_edit_init(struct con_edit *e, bool telnet, const struct con_edit_io *io)
{
	memset(e, 0, sizeof(*e));
	if (io != NULL)
		e->io = *io;
	e->telnet = telnet;
	e->echo = true;
	e->hpos = -1;
}

const char *con_edit_line(const struct con_edit *e)
{
	return e->line;
}

void con_edit_clear(struct con_edit *e)
{
	e->len = 0;
	e->line[0] = '\0';
	e->hpos = -1;
}

void con_edit_redraw(struct con_edit *e)
{
	if (e->echo)
		echo(e, e->line, e->len);
}

void con_edit_replace(struct con_edit *e, const char *s)
{
	erase(e, e->len);
	size_t n = strnlen(s, CON_LINE_MAX);
	memcpy(e->line, s, n);
	e->line[n] = '\0';
	e->len = n;
	con_edit_redraw(e);
}

void con_edit_set_cmdmode(struct con_edit *e, bool on)
{
	e->cmdmode = on;
}

void con_edit_set_echo(struct con_edit *e, bool on)
{
	e->echo = on;
}

/* Remember a finished line unless it is blank or repeats the newest entry. */
static void hist_add(struct con_edit *e)
{
	if (strspn(e->line, " \t") == e->len)
		return;
	if (e->nhist > 0 && strcmp(e->hist[0], e->line) == 0)
		return;
	memmove(e->hist[1], e->hist[0], sizeof(e->hist[0]) * (CON_HIST_MAX - 1));
	memcpy(e->hist[0], e->line, e->len + 1);
	if (e->nhist < CON_HIST_MAX)
		e->nhist++;
}

static void hist_older(struct con_edit *e)
{
	if (e->hpos + 1 >= (int)e->nhist) {
		bell(e);
		return;
	}
	if (e->hpos == -1)
		memcpy(e->saved, e->line, e->len + 1);
	e->hpos++;
	con_edit_replace(e, e->hist[e->hpos]);
}

static void hist_newer(struct con_edit *e)
{
	if (e->hpos < 0) {
		bell(e);
		return;
	}
	e->hpos--;
	con_edit_replace(e, e->hpos < 0 ? e->saved : e->hist[e->hpos]);
}

static enum con_ed_ev enter(struct con_edit *e)
{
	echo(e, "\n", 1);
	if (e->cmdmode)
		hist_add(e);
	return CON_ED_LINE;
}

static void rubout(struct con_edit *e)
{
	if (e->len == 0)
		return;
	e->line[--e->len] = '\0';
	if (e->echo)
		echo(e, "\b \b", 3);
}

static void insert(struct con_edit *e, uint8_t ch)
{
	if (e->len >= CON_LINE_MAX) {
		bell(e);
		return;
	}
	e->line[e->len++] = (char)ch;
	e->line[e->len] = '\0';
	if (e->echo)
		echo(e, (const char *)&ch, 1);
}

static enum con_ed_ev intr(struct con_edit *e)
{
	echo(e, "^C\n", 3);
	con_edit_clear(e);
	return CON_ED_INTR;
}

/* Inside ESC [ or ESC O: only Up and Down mean something; Left/Right are ignored. */
static void escape_byte(struct con_edit *e, uint8_t ch)
{
	if (ch >= 0x40 && ch <= 0x7e) {
		e->esc = ESC_NONE;
		if (!e->cmdmode)
			return;
		if (ch == 'A')
			hist_older(e);
		else if (ch == 'B')
			hist_newer(e);
		return;
	}
	if (ch < 0x20 || ch > 0x3f || ++e->esclen > ESC_MAXLEN)
		e->esc = ESC_NONE;
}

/* A byte of the user's text, after telnet decoding. */
static enum con_ed_ev key(struct con_edit *e, uint8_t ch)
{
	bool after_cr = e->cr;

	e->cr = false;
	if (e->esc == ESC_START) {
		if (ch == '[' || ch == 'O') {
			e->esc = ESC_CSI;
			e->esclen = 0;
			return CON_ED_NONE;
		}
		e->esc = ESC_NONE;
	} else if (e->esc == ESC_CSI) {
		escape_byte(e, ch);
		return CON_ED_NONE;
	}
	switch (ch) {
	case '\r':
		e->cr = true;
		return enter(e);
	case '\n':
	case '\0':
		if (after_cr)
			return CON_ED_NONE;
		return ch == '\n' ? enter(e) : CON_ED_NONE;
	case 0x7f:
	case '\b':
		rubout(e);
		return CON_ED_NONE;
	case CTRL('C'):
		return intr(e);
	case 0x1b:
		e->esc = ESC_START;
		return CON_ED_NONE;
	case '\t':
		return e->cmdmode ? CON_ED_TAB : CON_ED_NONE;
	case CTRL('P'):
		if (e->cmdmode)
			hist_older(e);
		return CON_ED_NONE;
	case CTRL('N'):
		if (e->cmdmode)
			hist_newer(e);
		return CON_ED_NONE;
	case '?':
		if (e->cmdmode) {
			echo(e, "?\n", 2);
			return CON_ED_HELP;
		}
		break;
	}
	if (ch >= 0x20 && ch < 0x7f)
		insert(e, ch);
	return CON_ED_NONE;
}

enum con_ed_ev con_edit_byte(struct con_edit *e, uint8_t ch)
{
	if (!e->telnet)
		return key(e, ch);
	switch (e->tn) {
	case TN_DATA:
		if (ch == TEL_IAC) {
			e->tn = TN_IAC;
			return CON_ED_NONE;
		}
		return key(e, ch);
	case TN_IAC:
		if (ch == TEL_IAC) { /* an escaped 0xff data byte: never printable */
			e->tn = TN_DATA;
			return CON_ED_NONE;
		}
		if (ch >= TEL_WILL && ch <= TEL_DONT)
			e->tn = TN_OPT;
		else if (ch == TEL_SB)
			e->tn = TN_SB;
		else
			e->tn = TN_DATA;
		return CON_ED_NONE;
	case TN_OPT:
		e->tn = TN_DATA;
		return CON_ED_NONE;
	case TN_SB:
		if (ch == TEL_IAC)
			e->tn = TN_SB_IAC;
		return CON_ED_NONE;
	case TN_SB_IAC:
		e->tn = ch == TEL_SE ? TN_DATA : TN_SB;
		return CON_ED_NONE;
	}
	e->tn = TN_DATA;
	return CON_ED_NONE;
}
