/*
 * The mpd.secret cache.  Parsing once per change and a hash of logins keep
 * a lookup O(1) at thousands of logins a second; first-match semantics are
 * kept by indexing only the first line of each login and comparing its
 * position with the first `*` line that runs a program.
 */
#include "conf/secret.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf/lexer.h"
#include "core/log.h"

#define NONE SIZE_MAX

struct secret_rec {
	char *login;
	char *pass;
	bool has_range;
	bool bad_range; /* range unparsable: the user is refused rather than unrestricted */
	struct in_addr addr;
	unsigned width;
};

struct secret_file {
	char *path;
	struct secret_rec *v;
	size_t n;
	size_t *hash;   /* open addressing: record index + 1, 0 = empty */
	size_t hsize;   /* power of two */
	size_t star;    /* first `*` line with a `!program` password, or NONE */
	bool loaded;
	bool missing;   /* the file could not be read at the last load */
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	unsigned timeout_ms;
	unsigned errors; /* lines the last load skipped or distrusted, each logged */
};

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void records_clear(struct secret_file *sf)
{
	for (size_t i = 0; i < sf->n; i++) {
		free(sf->v[i].login);
		free(sf->v[i].pass);
	}
	free(sf->v);
	free(sf->hash);
	sf->v = NULL;
	sf->hash = NULL;
	sf->n = sf->hsize = 0;
	sf->star = NONE;
}

struct secret_file *secret_open(const char *path)
{
	struct secret_file *sf = calloc(1, sizeof(*sf));
	if (sf == NULL || (sf->path = strdup(path)) == NULL) {
		free(sf);
		return NULL;
	}
	sf->star = NONE;
	sf->timeout_ms = SECRET_PROG_TIMEOUT_MS;
	return sf;
}

void secret_free(struct secret_file *sf)
{
	if (sf == NULL)
		return;
	records_clear(sf);
	free(sf->path);
	free(sf);
}

void secret_set_timeout(struct secret_file *sf, unsigned ms)
{
	if (sf != NULL)
		sf->timeout_ms = ms;
}

unsigned secret_timeout(const struct secret_file *sf)
{
	return sf != NULL ? sf->timeout_ms : SECRET_PROG_TIMEOUT_MS;
}

unsigned secret_count(const struct secret_file *sf)
{
	return sf != NULL ? (unsigned)sf->n : 0;
}

/* "a.b.c.d" or "a.b.c.d/w"; -1 when it is neither. */
static int parse_range(const char *s, struct in_addr *addr, unsigned *width)
{
	char ip[INET_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	size_t n = slash != NULL ? (size_t)(slash - s) : strlen(s);
	unsigned long w = 32;

	if (n == 0 || n >= sizeof(ip))
		return -1;
	memcpy(ip, s, n);
	ip[n] = '\0';
	if (inet_pton(AF_INET, ip, addr) != 1)
		return -1;
	if (slash != NULL) {
		char *end;
		if (slash[1] < '0' || slash[1] > '9')
			return -1;
		errno = 0;
		w = strtoul(slash + 1, &end, 10);
		if (errno != 0 || *end != '\0' || w > 32)
			return -1;
	}
	*width = (unsigned)w;
	return 0;
}

static int rec_add(struct secret_file *sf, size_t *cap, const struct conf_args *a, int lineno)
{
	if (sf->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct secret_rec *v = realloc(sf->v, ncap * sizeof(*v));
		if (v == NULL)
			return -1;
		sf->v = v;
		*cap = ncap;
	}
	struct secret_rec *r = &sf->v[sf->n];
	memset(r, 0, sizeof(*r));
	if (a->ac >= 3) {
		r->has_range = true;
		if (parse_range(a->av[2], &r->addr, &r->width) < 0) {
			r->bad_range = true;
			sf->errors++;
			log_msg(LG_ERR, NULL, "%s:%d: bad address range \"%s\"; user %s refused", sf->path,
				lineno, a->av[2], a->av[0]);
		}
	}
	r->login = strdup(a->av[0]);
	r->pass = strdup(a->av[1]);
	if (r->login == NULL || r->pass == NULL) {
		free(r->login);
		free(r->pass);
		return -1;
	}
	sf->n++;
	return 0;
}

/* Check one split line; 1 to keep it, 0 to skip it. */
static int line_usable(struct secret_file *sf, int rc, const struct conf_args *a, int lineno)
{
	if (rc < 0) {
		sf->errors++;
		log_msg(LG_ERR, NULL, "%s:%d: %s; line skipped", sf->path, lineno, conf_split_strerror(rc));
		return 0;
	}
	if (a->ac < 2 || a->av[0][0] == '\0')
		return 0;
	if (strlen(a->av[0]) >= SECRET_MAX || strlen(a->av[1]) >= SECRET_MAX) {
		sf->errors++;
		log_msg(LG_ERR, NULL, "%s:%d: login or password too long; line skipped", sf->path, lineno);
		return 0;
	}
	return 1;
}

static int hash_build(struct secret_file *sf)
{
	size_t size = 16;
	while (size < sf->n * 2)
		size *= 2;
	if ((sf->hash = calloc(size, sizeof(*sf->hash))) == NULL)
		return -1;
	sf->hsize = size;
	for (size_t i = 0; i < sf->n; i++) {
		const char *login = sf->v[i].login;
		if (strcmp(login, "*") == 0) {
			if (sf->star == NONE && sf->v[i].pass[0] == '!')
				sf->star = i;
			continue; /* a `*` line never matches by name */
		}
		size_t h = hash_str(login) & (size - 1);
		while (sf->hash[h] != 0 && strcmp(sf->v[sf->hash[h] - 1].login, login) != 0)
			h = (h + 1) & (size - 1);
		if (sf->hash[h] == 0)
			sf->hash[h] = i + 1; /* only the first line of a login counts */
	}
	return 0;
}

static int parse_file(struct secret_file *sf, FILE *fp)
{
	struct conf_reader r;
	struct conf_line *line = malloc(sizeof(*line));
	struct conf_args *a = malloc(sizeof(*a));
	size_t cap = 0;
	int rc = 0;

	if (line == NULL || a == NULL)
		rc = -1;
	conf_reader_init(&r, fp, sf->path, 0);
	while (rc == 0 && conf_reader_next(&r, line)) {
		int src = conf_args_split(a, line->text);
		if (line_usable(sf, src, a, line->lineno))
			rc = rec_add(sf, &cap, a, line->lineno);
	}
	free(line);
	free(a);
	if (rc == 0)
		rc = hash_build(sf);
	return rc;
}

int secret_reload(struct secret_file *sf)
{
	struct stat st;
	if (sf == NULL)
		return -1;
	records_clear(sf);
	sf->loaded = true;
	sf->errors = 0;
	FILE *fp = fopen(sf->path, "r");
	if (fp == NULL || fstat(fileno(fp), &st) < 0) {
		if (!sf->missing)
			log_msg(LG_ERR, NULL, "%s: %s", sf->path, strerror(errno));
		sf->missing = true;
		memset(&sf->mtime, 0, sizeof(sf->mtime));
		sf->dev = 0;
		sf->ino = 0;
		sf->size = -1;
		if (fp != NULL)
			fclose(fp);
		return -1;
	}
	sf->missing = false;
	sf->dev = st.st_dev;
	sf->ino = st.st_ino;
	sf->size = st.st_size;
	sf->mtime = st.st_mtim;
	int rc = parse_file(sf, fp);
	fclose(fp);
	if (rc < 0) {
		log_msg(LG_ERR, NULL, "%s: out of memory; no users", sf->path);
		records_clear(sf);
	}
	return rc;
}

/* Re-read when the file on disk is not the one parsed. */
static void refresh(struct secret_file *sf)
{
	struct stat st;
	if (!sf->loaded) {
		secret_reload(sf);
		return;
	}
	if (stat(sf->path, &st) < 0) {
		if (!sf->missing)
			secret_reload(sf);
		return;
	}
	if (sf->missing || st.st_dev != sf->dev || st.st_ino != sf->ino || st.st_size != sf->size ||
	    st.st_mtim.tv_sec != sf->mtime.tv_sec || st.st_mtim.tv_nsec != sf->mtime.tv_nsec)
		secret_reload(sf);
}

static size_t find_login(const struct secret_file *sf, const char *login)
{
	if (sf->hsize == 0)
		return NONE;
	size_t h = hash_str(login) & (sf->hsize - 1);
	while (sf->hash[h] != 0) {
		size_t i = sf->hash[h] - 1;
		if (strcmp(sf->v[i].login, login) == 0)
			return i;
		h = (h + 1) & (sf->hsize - 1);
	}
	return NONE;
}

int secret_lookup(struct secret_file *sf, const char *login, struct secret_entry *out)
{
	if (sf == NULL || login == NULL || login[0] == '\0')
		return -1;
	refresh(sf);
	size_t i = find_login(sf, login);
	if (sf->star < i)
		i = sf->star;
	if (i == NONE)
		return -1;
	const struct secret_rec *r = &sf->v[i];
	if (r->bad_range)
		return -1;
	memset(out, 0, sizeof(*out));
	out->program = r->pass[0] == '!';
	snprintf(out->password, sizeof(out->password), "%s", r->pass + (out->program ? 1 : 0));
	out->has_range = r->has_range;
	out->addr = r->addr;
	out->width = r->has_range ? r->width : 0;
	return 0;
}

unsigned secret_errors(const struct secret_file *sf)
{
	return sf != NULL ? sf->errors : 0;
}
