/*
 * The console's input decoder: telnet IAC skipping, terminal escape
 * sequences and the line editor with its history (commands.md §5.3).
 * It does no I/O: bytes go in, echo goes out through a callback and
 * complete lines, help and completion requests come back as events.
 */
#ifndef MPD_CONSOLE_EDIT_H
#define MPD_CONSOLE_EDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CON_LINE_MAX 400 /* characters of one command line */
#define CON_HIST_MAX 10  /* remembered command lines */

/* What a byte completed. */
enum con_ed_ev {
	CON_ED_NONE,  /* nothing for the caller */
	CON_ED_LINE,  /* Enter: the line is in con_edit_line() until con_edit_clear() */
	CON_ED_HELP,  /* `?`: show help for con_edit_line(), then redraw */
	CON_ED_TAB,   /* TAB: try to complete con_edit_line() */
	CON_ED_INTR,  /* Ctrl-C: the line was discarded */
};

/* Where echo and bells go; echo text uses "\n" for a line end. */
struct con_edit_io {
	void (*echo)(void *arg, const char *s, size_t n);
	void *arg;
};

struct con_edit {
	struct con_edit_io io;
	bool telnet;   /* decode telnet IAC sequences */
	bool echo;     /* echo typed characters (off while reading a password) */
	bool cmdmode;  /* `?`, TAB and history active (off during login) */
	uint8_t tn;    /* telnet decoder state */
	uint8_t esc;   /* escape sequence state */
	uint8_t esclen;
	bool cr;       /* last byte was CR: a following LF or NUL belongs to it */
	size_t len;
	char line[CON_LINE_MAX + 1];
	int hpos;      /* history entry shown, -1 for the line being typed */
	unsigned nhist;
	char hist[CON_HIST_MAX][CON_LINE_MAX + 1]; /* [0] is the newest */
	char saved[CON_LINE_MAX + 1];              /* the typed line while walking history */
};

/* Reset e to an empty line, echo on, login mode, empty history. */
void con_edit_init(struct con_edit *e, bool telnet, const struct con_edit_io *io);
/* Feed one input byte; returns the event it completed. */
enum con_ed_ev con_edit_byte(struct con_edit *e, uint8_t ch);
/* The line being edited, NUL-terminated. */
const char *con_edit_line(const struct con_edit *e);
/* Start a new empty line (after a CON_ED_LINE was consumed). */
void con_edit_clear(struct con_edit *e);
/* Replace the shown line by s (TAB completion), truncated to CON_LINE_MAX. */
void con_edit_replace(struct con_edit *e, const char *s);
/* Echo the current line again, after the caller reprinted the prompt. */
void con_edit_redraw(struct con_edit *e);
/* Switch between login mode (plain lines) and command mode. */
void con_edit_set_cmdmode(struct con_edit *e, bool on);
/* Turn echo of typed characters on or off. */
void con_edit_set_echo(struct con_edit *e, bool on);

#endif
