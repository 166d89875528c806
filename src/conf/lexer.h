/*
 * The lexical layer shared by mpd.conf, mpd.secret, mpd.script, the
 * consoles and the web interface (commands.md §4.1): argument splitting
 * and a reader that turns a file into logical lines.
 */
#ifndef MPD_CONF_LEXER_H
#define MPD_CONF_LEXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "conf/cmd.h"

/* conf_split failures. */
enum { CONF_SPLIT_TOOMANY = -1, CONF_SPLIT_TOOLONG = -2 };

/* A split line: av[] points into buf; av[ac] is NULL. */
struct conf_args {
	int ac;
	char *av[CMD_MAX_ARGS + 1];
	char buf[CMD_MAX_LINE + 1];
};

/* Split line into at most maxav arguments decoded into buf (strlen(line)+1 bytes
 * always suffice); returns the count, CONF_SPLIT_TOOMANY or CONF_SPLIT_TOOLONG. */
int conf_split(const char *line, char *buf, size_t buflen, char **av, int maxav);
/* conf_split into a struct conf_args (at most CMD_MAX_ARGS arguments). */
int conf_args_split(struct conf_args *a, const char *line);
/* Message for a negative conf_split result. */
const char *conf_split_strerror(int rc);

/* Reads logical lines: comments and blank lines skipped, continuations joined. */
struct conf_reader {
	FILE *fp;
	const char *name; /* for warnings */
	int lineno;       /* physical lines consumed so far */
};

/* One logical line. */
struct conf_line {
	int lineno;   /* physical line it starts on */
	bool label;   /* starts in column 0: a label line */
	char text[CMD_MAX_LINE + 1];
};

/* Start reading fp; lineno is the number of lines already consumed before its position. */
void conf_reader_init(struct conf_reader *r, FILE *fp, const char *name, int lineno);
/* Next logical line into out: 1, or 0 at end of file. */
int conf_reader_next(struct conf_reader *r, struct conf_line *out);
/* The label of a label line: first token up to space, tab, form-feed or colon. */
void conf_label_name(const char *text, char *buf, size_t len);

#endif
