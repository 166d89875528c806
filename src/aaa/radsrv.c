/* The RFC 5176 dynamic authorization server; see radsrv.h. */
#include "aaa/radsrv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <event2/event.h>

#include "conf/cmd_global.h"
#include "core/daemon.h"
#include "core/log.h"

#define WHO "RADSRV"

void radsrv_conf_defaults(struct radsrv_conf *c)
{
	memset(c, 0, sizeof *c);
	c->port = RADSRV_PORT;
	c->opts.enable = 1u << RSOPT_COA | 1u << RSOPT_DISCONNECT;
}

struct radsrv *radsrv_get(struct daemon *d)
{
	if (d->radsrv != NULL)
		return d->radsrv;
	struct radsrv *s = calloc(1, sizeof *s);
	if (s == NULL) {
		log_msg(LG_ERR, NULL, WHO ": out of memory");
		return NULL;
	}
	s->d = d;
	s->ops = d->radsrv_ops;
	s->ops_arg = d;
	s->fd = -1;
	radsrv_conf_defaults(&s->conf);
	d->radsrv = s;
	return s;
}

static void dups_clear(struct radsrv *s)
{
	for (unsigned i = 0; i < RADSRV_DUP_SLOTS; i++) {
		free(s->dups[i].reply);
		memset(&s->dups[i], 0, sizeof s->dups[i]);
	}
}

void radsrv_free(struct daemon *d)
{
	struct radsrv *s = d->radsrv;
	if (s == NULL)
		return;
	radsrv_close(s);
	explicit_bzero(&s->conf, sizeof s->conf);
	free(s);
	d->radsrv = NULL;
}

bool radsrv_is_open(const struct radsrv *s)
{
	return s->fd >= 0;
}

int radsrv_peer_set(struct radsrv_conf *c, struct in_addr addr, const char *secret)
{
	if (strlen(secret) >= RADSRV_SECRET_MAX)
		return -1;
	unsigned i;
	for (i = 0; i < c->npeers; i++)
		if (c->peers[i].addr.s_addr == addr.s_addr)
			break;
	if (i == c->npeers) {
		if (c->npeers == RADSRV_MAX_PEERS)
			return -1;
		c->npeers++;
	}
	c->peers[i].addr = addr;
	snprintf(c->peers[i].secret, sizeof c->peers[i].secret, "%s", secret);
	return 0;
}

static const struct radsrv_peer *peer_find(const struct radsrv *s, struct in_addr a)
{
	for (unsigned i = 0; i < s->conf.npeers; i++)
		if (s->conf.peers[i].addr.s_addr == a.s_addr)
			return &s->conf.peers[i];
	return NULL;
}

/* ---- parsing (pure) ---- */

/* Text of a standard attribute into out, with its RSK bit; false (404) when unusable. */
static bool take_text(const struct rad_attr *a, char *out, size_t cap, unsigned *have, unsigned bit)
{
	if (!rad_attr_string(a, out, cap))
		return false;
	*have |= 1u << bit;
	return true;
}

static bool take_u32(const struct rad_attr *a, uint32_t *out, unsigned *have, unsigned bit)
{
	if (!rad_attr_u32(a, out))
		return false;
	*have |= 1u << bit;
	return true;
}

/* One mpd vendor attribute; false on a bad size. */
static bool parse_mpd(const struct rad_attr *a, struct radsrv_req *r)
{
	switch (a->vtype) {
	case RAD_MPD_LINK:
		return take_text(a, r->mpd_link, sizeof r->mpd_link, &r->have, RSK_MPD_LINK);
	case RAD_MPD_BUNDLE:
		return take_text(a, r->mpd_bundle, sizeof r->mpd_bundle, &r->have, RSK_MPD_BUNDLE);
	case RAD_MPD_IFACE:
		return take_text(a, r->mpd_iface, sizeof r->mpd_iface, &r->have, RSK_MPD_IFACE);
	case RAD_MPD_IFACE_INDEX:
		return take_u32(a, &r->mpd_iface_index, &r->have, RSK_MPD_IFACE_INDEX);
	case RAD_MPD_RULE: case RAD_MPD_PIPE: case RAD_MPD_QUEUE: case RAD_MPD_TABLE:
	case RAD_MPD_TABLE_STATIC: case RAD_MPD_FILTER: case RAD_MPD_LIMIT:
	case RAD_MPD_INPUT_ACCT: case RAD_MPD_OUTPUT_ACCT:
		r->acl_attrs++;
		return true;
	}
	return true; /* other mpd attributes mean nothing in a request: ignored like unknown ones */
}

static bool parse_attr(const struct rad_attr *a, struct radsrv_req *r)
{
	if (a->type == RAD_VENDOR_SPECIFIC)
		return a->vendor == RAD_VENDOR_MPD ? parse_mpd(a, r) : true;
	switch (a->type) {
	case RAD_USER_NAME:
		return take_text(a, r->user_name, sizeof r->user_name, &r->have, RSK_USER_NAME);
	case RAD_NAS_PORT:
		return take_u32(a, &r->nas_port, &r->have, RSK_NAS_PORT);
	case RAD_FRAMED_IP_ADDRESS:
		if (!rad_attr_ipv4(a, &r->framed_ip))
			return false;
		r->have |= 1u << RSK_FRAMED_IP;
		return true;
	case RAD_CALLED_STATION_ID:
		return take_text(a, r->called, sizeof r->called, &r->have, RSK_CALLED);
	case RAD_CALLING_STATION_ID:
		return take_text(a, r->calling, sizeof r->calling, &r->have, RSK_CALLING);
	case RAD_ACCT_SESSION_ID:
		return take_text(a, r->acct_session_id, sizeof r->acct_session_id, &r->have, RSK_ACCT_SESSION_ID);
	case RAD_ACCT_MULTI_SESSION_ID:
		return take_text(a, r->acct_multi_session_id, sizeof r->acct_multi_session_id, &r->have,
				 RSK_ACCT_MULTI_SESSION_ID);
	case RAD_NAS_IP_ADDRESS:
		r->nas_ip_set = rad_attr_ipv4(a, &r->nas_ip);
		return r->nas_ip_set;
	case RAD_SERVICE_TYPE:
		r->service_type = true;
		return true;
	case RAD_SESSION_TIMEOUT:
		r->session_timeout_set = rad_attr_u32(a, &r->session_timeout);
		return r->session_timeout_set;
	case RAD_IDLE_TIMEOUT:
		r->idle_timeout_set = rad_attr_u32(a, &r->idle_timeout);
		return r->idle_timeout_set;
	case RAD_ACCT_INTERIM_INTERVAL:
		r->interim_set = rad_attr_u32(a, &r->interim);
		return r->interim_set;
	case RAD_CLASS:
		memcpy(r->class_attr, a->data, a->len);
		r->class_len = a->len;
		r->class_set = true;
		return true;
	case RAD_STATE:
		memcpy(r->state, a->data, a->len);
		r->state_len = a->len;
		return true;
	case RAD_MESSAGE_AUTHENTICATOR:
		r->has_ma = true;
		return true;
	}
	return true;
}

uint32_t radsrv_parse(const struct rad_pkt *p, struct radsrv_req *r)
{
	memset(r, 0, sizeof *r);
	r->code = p->code;
	struct rad_iter it;
	struct rad_attr a;
	rad_iter_init(&it, p);
	while (rad_iter_next(&it, &a))
		if (!parse_attr(&a, r))
			return RAD_ERR_INVALID_REQUEST;
	return r->have ? 0 : RAD_ERR_MISSING_ATTRIBUTE;
}

/* ---- handling one datagram ---- */

static struct radsrv_dup *dup_find(struct radsrv *s, const struct sockaddr_in *from, const struct rad_pkt *p,
				   time_t now)
{
	for (unsigned i = 0; i < RADSRV_DUP_SLOTS; i++) {
		struct radsrv_dup *d = &s->dups[i];
		if (d->at == 0 || now - d->at > RADSRV_DUP_SECS)
			continue;
		if (d->id == p->id && d->from.sin_addr.s_addr == from->sin_addr.s_addr &&
		    d->from.sin_port == from->sin_port && memcmp(d->auth, p->auth, RAD_AUTH_LEN) == 0)
			return d;
	}
	return NULL;
}

static void dup_remember(struct radsrv *s, const struct sockaddr_in *from, const struct rad_pkt *p, time_t now,
			 const uint8_t *reply, size_t len)
{
	uint8_t *copy = malloc(len);
	if (copy == NULL)
		return; /* a retransmission is then handled again: acting twice is harmless for these */
	struct radsrv_dup *d = &s->dups[s->dup_next];
	s->dup_next = (s->dup_next + 1) % RADSRV_DUP_SLOTS;
	free(d->reply);
	*d = (struct radsrv_dup){.from = *from, .id = p->id, .at = now ? now : 1, .len = (uint16_t)len, .reply = copy};
	memcpy(d->auth, p->auth, RAD_AUTH_LEN);
	memcpy(copy, reply, len);
}

/* ACK or NAK to req, State echoed, MA when the request had one, Error-Cause on a NAK. */
static size_t reply_build(const struct rad_pkt *p, const struct radsrv_req *r, uint32_t cause, const char *secret,
			  uint8_t *out, size_t cap)
{
	bool disc = p->code == RAD_DISCONNECT_REQUEST;
	uint8_t code = cause ? (disc ? RAD_DISCONNECT_NAK : RAD_COA_NAK) : (disc ? RAD_DISCONNECT_ACK : RAD_COA_ACK);
	struct rad_builder b;
	if (rad_begin_reply(&b, out, cap, code, p->data) < 0)
		return 0;
	if (r->has_ma)
		rad_add_message_authenticator(&b);
	if (r->state_len)
		rad_add_raw(&b, RAD_STATE, r->state, r->state_len);
	if (cause)
		rad_add_u32(&b, RAD_ERROR_CAUSE, cause);
	int n = rad_finish(&b, secret, strlen(secret));
	return n > 0 ? (size_t)n : 0;
}

static bool type_enabled(const struct radsrv *s, uint8_t code)
{
	return opt_enabled(&s->conf.opts, code == RAD_COA_REQUEST ? RSOPT_COA : RSOPT_DISCONNECT);
}

/* The verdict on a parsed, authenticated request: 0 (ACK) or an Error-Cause; acts through the owner. */
static uint32_t judge(struct radsrv *s, struct radsrv_req *r, uint32_t parse_cause, const char *from,
		      struct radsrv_result *res)
{
	if (!type_enabled(s, r->code))
		return RAD_ERR_ADMIN_PROHIBITED;
	if (parse_cause)
		return parse_cause;
	/* NAS identification: only when we listen on one address (radius.md §4.1) */
	if (r->nas_ip_set && s->bound.s_addr != INADDR_ANY && r->nas_ip.s_addr != s->bound.s_addr)
		return RAD_ERR_NAS_ID_MISMATCH;
	if (r->service_type)
		return RAD_ERR_UNSUPPORTED_SERVICE;
	if (r->code == RAD_COA_REQUEST && r->acl_attrs) {
		log_pmsg(LG_RADIUS, LP_WARNING, WHO, "%s: CoA with %u mpd ACL/filter/limit attribute(s) refused: "
			 "no filters or limits in this build", from, r->acl_attrs);
		return RAD_ERR_UNSUPPORTED_ATTRIBUTE;
	}
	if (s->ops == NULL || s->ops->act == NULL)
		return RAD_ERR_SESSION_NOT_FOUND;
	s->ops->act(s->ops_arg, r, res);
	if (res->matched)
		return 0;
	return res->templates ? RAD_ERR_SESSION_NOT_REMOVABLE : RAD_ERR_SESSION_NOT_FOUND;
}

size_t radsrv_input(struct radsrv *s, const struct sockaddr_in *from, const uint8_t *data, size_t len,
		    time_t now, uint8_t *out, size_t cap)
{
	char who[INET_ADDRSTRLEN + 8];
	char ip[INET_ADDRSTRLEN];
	snprintf(who, sizeof who, "%s:%u", inet_ntop(AF_INET, &from->sin_addr, ip, sizeof ip), ntohs(from->sin_port));
	s->stats.received++;
	const struct radsrv_peer *peer = peer_find(s, from->sin_addr);
	if (peer == NULL) {
		s->stats.unknown_peer++;
		log_pmsg(LG_RADIUS, LP_WARNING, WHO, "dropped request from %s: not a `set radsrv peer`", who);
		return 0;
	}
	struct rad_pkt p;
	if (rad_parse(&p, data, len) < 0) {
		s->stats.malformed++;
		log_pmsg(LG_RADIUS, LP_WARNING, WHO, "dropped malformed packet from %s (%zu bytes)", who, len);
		return 0;
	}
	if (p.code != RAD_DISCONNECT_REQUEST && p.code != RAD_COA_REQUEST) {
		s->stats.bad_code++;
		log_pmsg(LG_RADIUS, LP_WARNING, WHO, "dropped %s (code %u) from %s: not a Disconnect- or CoA-Request",
			 rad_code_name(p.code) ? rad_code_name(p.code) : "packet", p.code, who);
		return 0;
	}
	enum rad_verdict v = rad_verify_request(&p, peer->secret, strlen(peer->secret), 0);
	if (v != RAD_OK) {
		if (v == RAD_BAD_MA)
			s->stats.bad_ma++;
		else if (v == RAD_BAD_AUTH)
			s->stats.bad_auth++;
		else
			s->stats.malformed++;
		log_pmsg(LG_RADIUS, LP_WARNING, WHO, "dropped %s id=%u from %s: %s (wrong secret?)", rad_code_name(p.code),
			 p.id, who, rad_verdict_name(v));
		return 0;
	}
	if (log_enabled(LG_RADIUS2)) {
		char line[1024];
		log_msg(LG_RADIUS2, WHO, "rcvd from %s: %s", who, rad_print(&p, line, sizeof line));
	}
	struct radsrv_dup *dup = dup_find(s, from, &p, now);
	if (dup != NULL) {
		s->stats.duplicates++;
		log_msg(LG_RADIUS, WHO, "duplicate %s id=%u from %s: the same reply again", rad_code_name(p.code), p.id, who);
		if (dup->len > cap)
			return 0;
		memcpy(out, dup->reply, dup->len);
		return dup->len;
	}

	struct radsrv_req r;
	struct radsrv_result res = {0};
	uint32_t pcause = radsrv_parse(&p, &r);
	r.code = p.code;
	uint32_t cause = judge(s, &r, pcause, who, &res);
	size_t n = reply_build(&p, &r, cause, peer->secret, out, cap);
	if (n == 0)
		return 0;
	if (cause)
		s->stats.naks++;
	else
		s->stats.acks++;
	log_msg(LG_RADIUS, WHO, "request=%s id=%u from=%s matched=%u result=%s error_cause=%u",
		rad_code_name(p.code), p.id, who, res.matched, cause ? "NAK" : "ACK", cause);
	if (log_enabled(LG_RADIUS2)) {
		struct rad_pkt rp;
		char line[1024];
		if (rad_parse(&rp, out, n) == 0)
			log_msg(LG_RADIUS2, WHO, "sent to %s: %s", who, rad_print(&rp, line, sizeof line));
	}
	dup_remember(s, from, &p, now, out, n);
	return n;
}

/* ---- the socket ---- */

static void radsrv_read(evutil_socket_t fd, short what, void *arg)
{
	struct radsrv *s = arg;
	(void)what;
	/* A few datagrams per wake-up: fair to the rest of the loop under a burst. */
	for (int i = 0; i < 16; i++) {
		uint8_t in[RAD_MAX_PKT + 1], out[RAD_MAX_PKT];
		struct sockaddr_in from;
		socklen_t flen = sizeof from;
		ssize_t n = recvfrom(fd, in, sizeof in, 0, (struct sockaddr *)&from, &flen);
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				log_msg(LG_ERR, WHO, "recvfrom: %s", strerror(errno));
			return;
		}
		if (flen < sizeof from || from.sin_family != AF_INET)
			continue;
		size_t r = radsrv_input(s, &from, in, (size_t)n, time(NULL), out, sizeof out);
		if (r > 0 && sendto(fd, out, r, 0, (struct sockaddr *)&from, sizeof from) < 0)
			log_msg(LG_ERR, WHO, "sendto: %s", strerror(errno));
		if (s->fd != fd)
			return; /* closed while acting (a shutdown) */
	}
}

int radsrv_open(struct radsrv *s, char *err, size_t errlen)
{
	if (radsrv_is_open(s)) {
		snprintf(err, errlen, "RADIUS server already open");
		return -1;
	}
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	int one = 1;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr = s->conf.self, .sin_port = htons(s->conf.port)};
	char ip[INET_ADDRSTRLEN];
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		snprintf(err, errlen, "bind %s:%u: %s", inet_ntop(AF_INET, &sa.sin_addr, ip, sizeof ip), s->conf.port,
			 strerror(errno));
		close(fd);
		return -1;
	}
	s->ev = event_new(s->d->base, fd, EV_READ | EV_PERSIST, radsrv_read, s);
	if (s->ev == NULL || event_add(s->ev, NULL) < 0) {
		snprintf(err, errlen, "out of memory");
		if (s->ev != NULL)
			event_free(s->ev);
		s->ev = NULL;
		close(fd);
		return -1;
	}
	s->fd = fd;
	s->bound = s->conf.self;
	s->bound_port = s->conf.port;
	log_msg(LG_RADIUS, WHO, "listening on %s:%u, %u peer(s)", inet_ntop(AF_INET, &sa.sin_addr, ip, sizeof ip),
		s->conf.port, s->conf.npeers);
	return 0;
}

void radsrv_close(struct radsrv *s)
{
	if (s->ev != NULL)
		event_free(s->ev);
	s->ev = NULL;
	if (s->fd >= 0) {
		close(s->fd);
		log_msg(LG_RADIUS, WHO, "closed");
	}
	s->fd = -1;
	dups_clear(s);
}

/* ---- commands (commands.md §8.5) ---- */

static const struct cmd_opt radsrv_opts[] = {
	{"coa", false, RSOPT_COA},
	{"disconnect", false, RSOPT_DISCONNECT},
	{NULL, false, 0},
};

static int set_open(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)av;
	(void)arg;
	if (ac != 0)
		return CMD_USAGE;
	struct radsrv *s = radsrv_get(c->d);
	if (s == NULL)
		return cmd_error(c, "out of memory");
	if (c->d->check_only || c->d->base == NULL) /* -t: nothing is opened */
		return CMD_OK;
	if (radsrv_is_open(s)) {
		/* as `set console open`: a config that opens twice still loads */
		log_msg(LG_ERR, WHO, "RADIUS server already open");
		return CMD_OK;
	}
	char err[160];
	if (radsrv_open(s, err, sizeof err) != 0)
		return cmd_error(c, "%s", err);
	return CMD_OK;
}

static int set_close(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)av;
	(void)arg;
	if (ac != 0)
		return CMD_USAGE;
	if (c->d->radsrv != NULL)
		radsrv_close(c->d->radsrv);
	return CMD_OK;
}

static int set_self(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	if (ac < 1 || ac > 2)
		return CMD_USAGE;
	struct in_addr a;
	unsigned port = RADSRV_PORT;
	if (inet_pton(AF_INET, av[0], &a) != 1)
		return cmd_error(c, "invalid IPv4 address \"%s\"", av[0]);
	if (ac == 2 && cmd_parse_uint(av[1], 1, 65535, &port) != 0)
		return cmd_error(c, "invalid port \"%s\"", av[1]);
	struct radsrv *s = radsrv_get(c->d);
	if (s == NULL)
		return cmd_error(c, "out of memory");
	s->conf.self = a;
	s->conf.port = (uint16_t)port;
	return CMD_OK;
}

static int set_peer(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	if (ac != 2)
		return CMD_USAGE;
	struct in_addr a;
	if (inet_pton(AF_INET, av[0], &a) != 1)
		return cmd_error(c, "invalid IPv4 address \"%s\"", av[0]);
	if (strlen(av[1]) >= RADSRV_SECRET_MAX)
		return cmd_error(c, "secret longer than %d characters", RADSRV_SECRET_MAX - 1);
	if (av[1][0] == '\0')
		return cmd_error(c, "empty secret");
	struct radsrv *s = radsrv_get(c->d);
	if (s == NULL)
		return cmd_error(c, "out of memory");
	if (radsrv_peer_set(&s->conf, a, av[1]) != 0)
		return cmd_error(c, "too many peers (at most %d)", RADSRV_MAX_PEERS);
	return CMD_OK;
}

static struct optset *radsrv_optset(struct cmd_ctx *c, struct optset *scratch)
{
	(void)scratch;
	struct radsrv *s = radsrv_get(c->d);
	if (s == NULL)
		cmd_error(c, "out of memory");
	return s != NULL ? &s->conf.opts : NULL;
}

static const struct cmd_optmenu radsrv_optmenu = {radsrv_opts, radsrv_optset, NULL, NULL, NULL, NULL};

const struct cmd radsrv_set_cmds[] = {
	{"open", "", "Open the RADIUS server", set_open, NULL, CTX_GLOBAL, PRIV_ADMIN, NULL, NULL},
	{"close", "", "Close the RADIUS server", set_close, NULL, CTX_GLOBAL, PRIV_ADMIN, NULL, NULL},
	{"self", "{ip} [{port}]", "Set listen address and port (re-open to apply)", set_self, NULL, CTX_GLOBAL,
	 PRIV_ADMIN, NULL, NULL},
	{"peer", "{ip} {secret}", "Allow a RADIUS client with its secret", set_peer, NULL, CTX_GLOBAL, PRIV_ADMIN,
	 NULL, NULL},
	CMD_OPT_VERBS_ED(radsrv_optmenu, CTX_GLOBAL),
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
};

int radsrv_show(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)av;
	(void)arg;
	if (ac != 0)
		return CMD_USAGE;
	struct radsrv_conf def;
	const struct radsrv *s = c->d->radsrv;
	const struct radsrv_conf *conf = s != NULL ? &s->conf : &def;
	radsrv_conf_defaults(&def);
	char ip[INET_ADDRSTRLEN];
	cmd_printf(c, "RADIUS server:\n");
	cmd_printf(c, "\tState         : %s\n", s != NULL && radsrv_is_open(s) ? "OPENED" : "CLOSED");
	cmd_printf(c, "\tSelf          : %s %u\n", inet_ntop(AF_INET, &conf->self, ip, sizeof ip), conf->port);
	cmd_printf(c, "\tPeers         :\n");
	for (unsigned i = 0; i < conf->npeers; i++)
		cmd_printf(c, "\t  %s ********\n", inet_ntop(AF_INET, &conf->peers[i].addr, ip, sizeof ip));
	cmd_printf(c, "Server options:\n");
	cmd_opts_show(c, radsrv_opts, &conf->opts);
	if (s != NULL) {
		const struct radsrv_stats *st = &s->stats;
		cmd_printf(c, "Requests:\n");
		cmd_printf(c, "\tReceived      : %lu\n", st->received);
		cmd_printf(c, "\tACK / NAK     : %lu / %lu\n", st->acks, st->naks);
		cmd_printf(c, "\tDuplicates    : %lu\n", st->duplicates);
		cmd_printf(c, "\tDropped       : unknown peer %lu, malformed %lu, bad authenticator %lu, "
			   "bad Message-Authenticator %lu, other code %lu\n",
			   st->unknown_peer, st->malformed, st->bad_auth, st->bad_ma, st->bad_code);
	}
	return CMD_OK;
}
