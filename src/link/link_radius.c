/*
 * `set radius`, `unset radius` and `show radius` (commands.md §9.3, §7,
 * §13): the link's RADIUS client settings (struct radius_conf inside its
 * auth_conf, so templates pass them to their clones), and the shared
 * per-server state the client keeps (aaa/rad_client.h).
 */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "aaa/rad_client.h"
#include "aaa/rad_conf.h"
#include "conf/cmd.h"
#include "conf/cmd_field.h"
#include "core/daemon.h"
#include "core/log.h"
#include "link/link.h"

static struct radius_conf *rconf(struct cmd_ctx *c)
{
	return &c->link->auth.radius;
}

static long port_arg(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	return s[0] < '0' || s[0] > '9' || *end != '\0' || v < 0 || v > 65535 ? -1 : v;
}

/* set radius server {host} {secret} [{auth-port} [{acct-port}]] */
static int set_server(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	struct radius_conf *rc = rconf(c);
	if (ac < 2 || ac > 4)
		return CMD_USAGE;
	struct rad_server_conf s = {.auth_port = RAD_AUTH_PORT, .acct_port = RAD_ACCT_PORT};
	if (strlen(av[0]) >= sizeof(s.host))
		return cmd_error(c, "host name \"%s\" too long", av[0]);
	if (av[1][0] == '\0' || strlen(av[1]) >= sizeof(s.secret))
		return cmd_error(c, "secret must be 1 to %zu characters", sizeof(s.secret) - 1);
	long ap = ac > 2 ? port_arg(av[2]) : RAD_AUTH_PORT, cp = ac > 3 ? port_arg(av[3]) : RAD_ACCT_PORT;
	if (ap < 0 || cp < 0)
		return cmd_error(c, "bad port \"%s\"", ap < 0 ? av[2] : av[3]);
	if (ap == 0 && cp == 0)
		return cmd_error(c, "at least one of auth-port and acct-port must be non-zero");
	if (rc->nservers >= RAD_MAX_SERVERS)
		return cmd_error(c, "at most %d RADIUS servers", RAD_MAX_SERVERS);
	if (rad_host_resolve(av[0], &s.addr) < 0)
		return cmd_error(c, "can't resolve \"%s\"", av[0]);
	snprintf(s.host, sizeof(s.host), "%s", av[0]);
	snprintf(s.secret, sizeof(s.secret), "%s", av[1]);
	s.auth_port = (uint16_t)ap;
	s.acct_port = (uint16_t)cp;
	rc->servers[rc->nservers++] = s;
	explicit_bzero(&s, sizeof(s));
	return CMD_OK;
}

/* unset radius server {host} [{auth-port} [{acct-port}]]: every matching entry goes. */
static int unset_server(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	struct radius_conf *rc = rconf(c);
	if (ac < 1 || ac > 3)
		return CMD_USAGE;
	long ap = ac > 1 ? port_arg(av[1]) : -2, cp = ac > 2 ? port_arg(av[2]) : -2;
	if (ap == -1 || cp == -1)
		return cmd_error(c, "bad port \"%s\"", ap == -1 ? av[1] : av[2]);
	unsigned kept = 0, removed = 0;
	for (unsigned i = 0; i < rc->nservers; i++) {
		const struct rad_server_conf *s = &rc->servers[i];
		bool match = strcmp(s->host, av[0]) == 0 && (ap == -2 || s->auth_port == ap) &&
			     (cp == -2 || s->acct_port == cp);
		if (match)
			removed++;
		else
			rc->servers[kept++] = *s;
	}
	for (unsigned i = kept; i < rc->nservers; i++)
		explicit_bzero(&rc->servers[i], sizeof(rc->servers[i]));
	rc->nservers = kept;
	if (removed == 0)
		return cmd_error(c, "no RADIUS server %s", av[0]);
	return CMD_OK;
}

/* An IPv4 address, the first IPv4 address of a local interface, or a host name's. */
static int ipv4_of(const char *s, struct in_addr *out)
{
	if (inet_pton(AF_INET, s, out) == 1)
		return 0;
	struct ifaddrs *ifa, *i;
	int rc = -1;
	if (getifaddrs(&ifa) == 0) {
		for (i = ifa; i != NULL && rc < 0; i = i->ifa_next)
			if (i->ifa_addr != NULL && i->ifa_addr->sa_family == AF_INET && strcmp(i->ifa_name, s) == 0) {
				*out = ((struct sockaddr_in *)i->ifa_addr)->sin_addr;
				rc = 0;
			}
		freeifaddrs(ifa);
	}
	if (rc == 0)
		return 0;
	struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_DGRAM}, *res;
	if (getaddrinfo(s, NULL, &hints, &res) != 0)
		return -1;
	*out = ((struct sockaddr_in *)res->ai_addr)->sin_addr;
	freeaddrinfo(res);
	return 0;
}

static int set_src_addr(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	if (ac != 1)
		return CMD_USAGE;
	struct radius_conf *rc = rconf(c);
	if (inet_pton(AF_INET, av[0], &rc->src_addr) != 1)
		return cmd_error(c, "bad IPv4 address \"%s\"", av[0]);
	rc->src_set = rc->src_addr.s_addr != 0;
	return CMD_OK;
}

static int set_me(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	if (ac != 1)
		return CMD_USAGE;
	struct radius_conf *rc = rconf(c);
	if (ipv4_of(av[0], &rc->me) < 0)
		return cmd_error(c, "\"%s\" is no IPv4 address, interface or host name", av[0]);
	rc->me_set = true;
	return CMD_OK;
}

static int set_v6me(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	if (ac != 1)
		return CMD_USAGE;
	struct radius_conf *rc = rconf(c);
	if (inet_pton(AF_INET6, av[0], &rc->v6me) != 1)
		return cmd_error(c, "bad IPv6 address \"%s\"", av[0]);
	rc->v6me_set = true;
	return CMD_OK;
}

/* An empty identifier means the host name (commands.md §9.3). */
static int set_identifier(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	if (ac != 1)
		return CMD_USAGE;
	struct radius_conf *rc = rconf(c);
	if (strlen(av[0]) >= sizeof(rc->identifier))
		return cmd_error(c, "identifier longer than %zu characters", sizeof(rc->identifier) - 1);
	snprintf(rc->identifier, sizeof(rc->identifier), "%s", av[0]);
	return CMD_OK;
}

static int set_config(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)arg;
	if (ac != 1)
		return CMD_USAGE;
	char path[512], err[600];
	if (av[0][0] == '/' || c->d->confdir[0] == '\0')
		snprintf(path, sizeof(path), "%s", av[0]);
	else
		snprintf(path, sizeof(path), "%s/%s", c->d->confdir, av[0]);
	if (rad_conf_file(rconf(c), path, err, sizeof(err)) < 0)
		return cmd_error(c, "%s", err);
	return CMD_OK;
}

static void *radius_of(struct cmd_ctx *c)
{
	return rconf(c);
}

static const struct cmd_field f_timeout = {CMD_FIELD_AT(struct radius_conf, timeout), .type = CMD_F_UINT, .min = 1,
					   .max = 3600, .err = "timeout must be 1 to 3600 seconds", .obj = radius_of};
static const struct cmd_field f_retries = {CMD_FIELD_AT(struct radius_conf, retries), .type = CMD_F_UINT, .min = 1,
					   .max = 100, .err = "retries must be 1 to 100", .obj = radius_of};

static const struct cmd_opt radius_opts[] = {
	{"message-authentic", false, RADOPT_MESSAGE_AUTHENTIC},
	{"require-message-authentic", false, RADOPT_REQUIRE_MA},
	{NULL, false, 0},
};

static struct optset *radius_optset(struct cmd_ctx *c, struct optset *scratch)
{
	(void)scratch;
	return &rconf(c)->opts;
}

/* Relaxing the BlastRADIUS check is allowed, never quiet. */
static void radius_opts_changed(struct cmd_ctx *c, const struct optset *before, const struct optset *now,
				uint32_t named)
{
	(void)before;
	if ((named >> RADOPT_REQUIRE_MA & 1) && !opt_enabled(now, RADOPT_REQUIRE_MA))
		log_pmsg(LG_ERR, LP_WARNING, c->link->name,
			 "RADIUS: require-message-authentic disabled: responses without a Message-Authenticator are "
			 "accepted, so a forged Access-Accept can let anyone in (BlastRADIUS, CVE-2024-3596)");
}

static const struct cmd_optmenu radius_optmenu = {radius_opts, radius_optset, radius_opts_changed, NULL, NULL};

#define RSET(n, u, h, fn) {n, u, h, fn, NULL, CTX_LINK, PRIV_ADMIN, NULL, NULL}

const struct cmd radius_set_cmds[] = {
	RSET("server", "{host} {secret} [{auth-port} [{acct-port}]]", "Add a RADIUS server", set_server),
	RSET("src-addr", "{ip}", "Source address of requests", set_src_addr),
	RSET("me", "{ip|ifname|host}", "NAS-IP-Address", set_me),
	RSET("v6me", "{ipv6}", "NAS-IPv6-Address", set_v6me),
	RSET("identifier", "{name}", "NAS-Identifier", set_identifier),
	CMD_FIELD("timeout", "{seconds}", "Timeout of one try", CTX_LINK, f_timeout),
	CMD_FIELD("retries", "{count}", "Tries per server", CTX_LINK, f_retries),
	RSET("config", "{file}", "Read servers from a radius.conf file", set_config),
	CMD_OPT_VERBS(radius_optmenu, CTX_LINK),
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
};

const struct cmd radius_unset_cmds[] = {
	RSET("server", "{host} [{auth-port} [{acct-port}]]", "Remove RADIUS servers", unset_server),
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL},
};

/* Printable bytes as text, anything else as hex: State and Class are opaque octets. */
static void show_octets(struct cmd_ctx *c, const char *label, const uint8_t *v, size_t len)
{
	bool text = len > 0;
	for (size_t i = 0; i < len; i++)
		text = text && v[i] >= 0x20 && v[i] < 0x7f;
	cmd_printf(c, "\t%-13s: ", label);
	if (text)
		cmd_printf(c, "\"%.*s\"", (int)len, (const char *)v);
	else
		for (size_t i = 0; i < len; i++)
			cmd_printf(c, "%s%02x", i == 0 ? "0x" : "", v[i]);
	cmd_printf(c, "\n");
}

/* The session's part: who authenticated it, and what RADIUS gave it to send back. */
static void show_session(struct cmd_ctx *c, const struct auth_result *r)
{
	cmd_printf(c, "Session:\n");
	cmd_printf(c, "\tAuthenticated: %s\n", r == NULL ? "no" : r->source == AUTH_SRC_RADIUS ? "by RADIUS" : "locally");
	if (r == NULL)
		return;
	show_octets(c, "State", r->state, r->state_len);
	show_octets(c, "Class", r->class_attr, r->class_len);
	cmd_printf(c, "\tFilter-Id    : %s\n", r->filter_id);
}

int link_show_radius(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)ac;
	(void)av;
	(void)arg;
	const struct radius_conf *rc = rconf(c);
	char a[INET6_ADDRSTRLEN];
	cmd_printf(c, "Configuration:\n");
	cmd_printf(c, "\tTimeout      : %u\n", rc->timeout);
	cmd_printf(c, "\tRetries      : %u\n", rc->retries);
	cmd_printf(c, "\tConfig-file  : %s\n", rc->config_file);
	cmd_printf(c, "\tSrc address  : %s\n", rc->src_set ? inet_ntop(AF_INET, &rc->src_addr, a, sizeof(a)) : "");
	cmd_printf(c, "\tMe (NAS-IP)  : %s\n", rc->me_set ? inet_ntop(AF_INET, &rc->me, a, sizeof(a)) : "");
	cmd_printf(c, "\tv6Me (NAS-IP): %s\n", rc->v6me_set ? inet_ntop(AF_INET6, &rc->v6me, a, sizeof(a)) : "");
	cmd_printf(c, "\tIdentifier   : %s\n", rc->identifier);
	cmd_printf(c, "RADIUS options\n");
	cmd_printf(c, "\tmessage-authentic          %s (always sent)\n",
		   opt_enabled(&rc->opts, RADOPT_MESSAGE_AUTHENTIC) ? "enable" : "disable");
	cmd_printf(c, "\trequire-message-authentic  %s\n",
		   opt_enabled(&rc->opts, RADOPT_REQUIRE_MA) ? "enable" : "disable (legacy servers: UNSAFE)");
	cmd_printf(c, "Servers:\n");
	rad_client_show(c, c->d, rc);
	show_session(c, c->link->authz);
	return CMD_OK;
}
