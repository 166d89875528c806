/* `set pppoe ...` and the PPPoE part of `show device`. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf/cmd.h"
#include "conf/cmd_field.h"
#include "dev/dev.h"
#include "dev/pppoe/pppoe_match.h"
#include "dev/pppoe/pppoe_var.h"
#include "dev/link_dev.h"

static struct pppoe_link *cmd_pppoe(struct cmd_ctx *c)
{
	return c->link != NULL ? link_dev_priv(c->link) : NULL;
}

static bool iface_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= IFNAMSIZ || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (; *s != '\0'; s++)
		if (*s <= ' ' || *s >= 0x7f || *s == '/' || *s == ':')
			return false;
	return true;
}

static int set_iface(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	struct pppoe_link *ps = cmd_pppoe(c);
	(void)arg;

	if (ac < 1 || ac > 2)
		return CMD_USAGE;
	if (ps == NULL)
		return cmd_error(c, "no PPPoE link selected");
	if (!iface_name_ok(av[0]))
		return cmd_error(c, "bad interface name \"%s\" (1-%d printable characters, no '/' or ':')",
				 av[0], IFNAMSIZ - 1);
	if (ac == 2 && (av[1][0] == '\0' || strlen(av[1]) >= PPPOE_HOOK_MAX))
		return cmd_error(c, "bad hook name (1-%d characters)", PPPOE_HOOK_MAX - 1);
	strcpy(ps->conf.iface, av[0]);
	strcpy(ps->conf.hook, ac == 2 ? av[1] : "orphans");
	pppoe_listen_update(ps);
	return CMD_OK;
}

static int set_service(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	struct pppoe_link *ps = cmd_pppoe(c);
	char acn[PPPOE_NAME_MAX], svc[PPPOE_NAME_MAX];
	(void)arg;

	if (ac != 1)
		return CMD_USAGE;
	if (ps == NULL)
		return cmd_error(c, "no PPPoE link selected");
	if (strlen(av[0]) >= sizeof(ps->conf.service) ||
	    pppoe_service_split(av[0], acn, sizeof(acn), svc, sizeof(svc)) < 0)
		return cmd_error(c, "service and AC names are at most %d characters each", PPPOE_NAME_MAX - 1);
	strcpy(ps->conf.service, av[0]);
	return CMD_OK;
}

static int set_pado_delay(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	struct pppoe_link *ps = cmd_pppoe(c);
	struct pppoe_pado_delay d;
	char err[128];
	(void)arg;

	if (ac < 1)
		return CMD_USAGE;
	if (ps == NULL)
		return cmd_error(c, "no PPPoE link selected");
	if (pppoe_pado_delay_parse(&d, ac, av, err, sizeof(err)) < 0)
		return cmd_error(c, "%s", err);
	ps->conf.pado_delay = d;
	return CMD_OK;
}

static void *pppoe_conf_of(struct cmd_ctx *c)
{
	struct pppoe_link *ps = cmd_pppoe(c);
	if (ps == NULL)
		cmd_error(c, "no PPPoE link selected");
	return ps != NULL ? &ps->conf : NULL;
}

static const struct cmd_field f_acname = {CMD_FIELD_AT(struct pppoe_conf, acname), .type = CMD_F_STR,
					  .err = "AC-Name is at most %zu characters", .obj = pppoe_conf_of};
static const struct cmd_field f_max_payload = {CMD_FIELD_AT(struct pppoe_conf, max_payload), .type = CMD_F_INT,
					       .min = 1492, .max = PPPOE_MAX_PAYLOAD_SET,
					       .err = "max-payload must be a number from 1492 to 1510",
					       .obj = pppoe_conf_of};
static const struct cmd_field f_mac_format = {CMD_FIELD_AT(struct pppoe_conf, macfmt), .type = CMD_F_ENUM,
					      .names = pppoe_macfmt_names,
					      .err = "unknown MAC format \"%s\" (unformatted, unix-like, cisco-like, ietf)",
					      .obj = pppoe_conf_of};

/* mpd 4's PPPoE options: `incoming` is the link's own option (mpd5 moved it there),
 * `originate` (may this link place calls) is ours, default on as in mpd5. */
enum { PPPOE_OPT_ORIGINATE, PPPOE_OPT_INCOMING };

static const struct cmd_opt pppoe_opts[] = {
	{"originate", false, PPPOE_OPT_ORIGINATE},
	{"incoming", false, PPPOE_OPT_INCOMING},
	{NULL, false, 0},
};

static struct optset *pppoe_optset(struct cmd_ctx *c, struct optset *scratch)
{
	struct pppoe_link *ps = cmd_pppoe(c);
	if (ps == NULL) {
		cmd_error(c, "no PPPoE link selected");
		return NULL;
	}
	scratch->enable = (ps->conf.no_originate ? 0 : 1u << PPPOE_OPT_ORIGINATE) |
			  (link_incoming_enabled(c->link) ? 1u << PPPOE_OPT_INCOMING : 0);
	return scratch;
}

static void pppoe_opts_changed(struct cmd_ctx *c, const struct optset *before, const struct optset *now,
			       uint32_t named)
{
	struct pppoe_link *ps = cmd_pppoe(c);
	(void)before;
	ps->conf.no_originate = !opt_enabled(now, PPPOE_OPT_ORIGINATE);
	if (named & 1u << PPPOE_OPT_INCOMING)
		link_dev_set_incoming(c->link, opt_enabled(now, PPPOE_OPT_INCOMING));
}

static const struct cmd_optmenu pppoe_optmenu = {pppoe_opts, pppoe_optset, pppoe_opts_changed, NULL, NULL, NULL};

#define PPPOE_SET(n, u, h, f) \
	{.name = n, .usage = u, .help = h, .fn = f, .ctx = CTX_LINK, .priv = PRIV_ADMIN, .devtype = "pppoe"}
#define PPPOE_FIELD(n, u, h, field) \
	{.name = n, .usage = u, .help = h, .fn = cmd_field_set, .ctx = CTX_LINK, .priv = PRIV_ADMIN, \
	 .devtype = "pppoe", .arg = &(field)}

const struct cmd pppoe_cmds[] = {
	PPPOE_SET("iface", "{ifname} [{hook}]", "Set Ethernet interface to use", set_iface),
	PPPOE_SET("service", "{name}", "Set PPPoE session name ([AC-Name\\]Service-Name)", set_service),
	PPPOE_FIELD("acname", "{name}", "Set PPPoE access concentrator name", f_acname),
	PPPOE_FIELD("max-payload", "{size}", "Set PPP-Max-Payload value (RFC 4638)", f_max_payload),
	PPPOE_SET("pado-delay", "{ms} [{ms}@{sessions} ...]",
		  "Delay PADOs by ms, more from a number of sessions held on (ms may be silent)", set_pado_delay),
	PPPOE_FIELD("mac-format", "{format}", "Set RADIUS attribute 31 MAC format", f_mac_format),
	{.name = "enable", .usage = "{option ...}", .help = "Enable options (mpd 4: originate, incoming)",
	 .fn = cmd_opt_enable, .ctx = CTX_LINK, .priv = PRIV_ADMIN, .devtype = "pppoe", .arg = &pppoe_optmenu},
	{.name = "disable", .usage = "{option ...}", .help = "Disable options (mpd 4: originate, incoming)",
	 .fn = cmd_opt_disable, .ctx = CTX_LINK, .priv = PRIV_ADMIN, .devtype = "pppoe", .arg = &pppoe_optmenu},
	{.name = NULL},
};

static const char *state_name(const struct pppoe_link *ps)
{
	switch (ps->state) {
	case PPPOE_PADI_SENT: return "CONNECTING (PADI sent)";
	case PPPOE_PADR_SENT: return "CONNECTING (PADR sent)";
	case PPPOE_READY: return "READY";
	case PPPOE_UP: return "UP";
	case PPPOE_IDLE:
	default: return ps->lifp != NULL ? "LISTENING" : "DOWN";
	}
}

static void show_agent(struct cmd_ctx *c, const char *label, const uint8_t *v, size_t len)
{
	char text[PPPOE_AGENT_MAX + 1];
	struct pppoe_blob b = {.p = v, .len = len, .set = true};

	if (len == 0)
		return;
	pppoe_blob_text(&b, text, sizeof(text));
	cmd_printf(c, "\t%-16s: %s\r\n", label, text);
}

static void show_status(struct cmd_ctx *c, const struct pppoe_link *ps)
{
	char mac[24];

	cmd_printf(c, "PPPoE status:\r\n");
	cmd_printf(c, "\t%-16s: %s\r\n", "State", state_name(ps));
	if (ps->role == PPPOE_ROLE_NONE)
		return;
	cmd_printf(c, "\t%-16s: %s on %s\r\n", "Role", ps->role == PPPOE_ROLE_CLIENT ? "client" : "server",
		   ps->ifp != NULL ? ps->ifp->name : "-");
	if (ps->state >= PPPOE_PADR_SENT)
		cmd_printf(c, "\t%-16s: %s\r\n", "Peer MAC", pppoe_mac_format(ps->peer, ps->conf.macfmt, mac, sizeof(mac)));
	if (ps->role == PPPOE_ROLE_CLIENT && ps->peer_acname[0] != '\0')
		cmd_printf(c, "\t%-16s: %s\r\n", "Peer AC-Name", ps->peer_acname);
	if (ps->sid != 0) {
		cmd_printf(c, "\t%-16s: 0x%04x\r\n", "Session ID", ps->sid);
		cmd_printf(c, "\t%-16s: \"%s\"\r\n", "Service", ps->sess_service);
		cmd_printf(c, "\t%-16s: %u\r\n", "MTU", ps->mtu);
	}
	show_agent(c, "Agent-Circuit-Id", ps->cid, ps->cid_len);
	show_agent(c, "Agent-Remote-Id", ps->rid, ps->rid_len);
	cmd_printf(c, "\t%-16s: %llu/%llu frames, %llu/%llu octets, %llu dropped\r\n", "In/Out",
		   (unsigned long long)ps->in_frames, (unsigned long long)ps->out_frames,
		   (unsigned long long)ps->in_octets, (unsigned long long)ps->out_octets,
		   (unsigned long long)ps->out_drops);
}

void pppoe_show(struct cmd_ctx *c, const struct link *l)
{
	const struct pppoe_link *ps = link_dev_priv(l);

	if (ps == NULL)
		return;
	cmd_printf(c, "PPPoE configuration:\r\n");
	cmd_printf(c, "\t%-16s: %s\r\n", "Iface Name", ps->conf.iface[0] ? ps->conf.iface : "(none)");
	cmd_printf(c, "\t%-16s: %s\r\n", "Iface Hook", ps->conf.hook);
	cmd_printf(c, "\t%-16s: %s\r\n", "Session", ps->conf.service);
	cmd_printf(c, "\t%-16s: %s\r\n", "AC-Name", ps->conf.acname);
	if (ps->conf.max_payload != 0)
		cmd_printf(c, "\t%-16s: %u\r\n", "Max-Payload", ps->conf.max_payload);
	else
		cmd_printf(c, "\t%-16s: disabled\r\n", "Max-Payload");
	cmd_printf(c, "\t%-16s: %s\r\n", "MAC format", pppoe_macfmt_name(ps->conf.macfmt));
	cmd_printf(c, "\t%-16s: %s\r\n", "Originate", ps->conf.no_originate ? "disabled" : "enabled");
	char delay[160];
	pppoe_pado_delay_text(&ps->conf.pado_delay, delay, sizeof(delay));
	cmd_printf(c, "\t%-16s: %s\r\n", "PADO delay", delay);
	show_status(c, ps);
}

/* `show pppoe`: what every link shares, the open interfaces (per-link state is `show device`). */
static int show_pppoe(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	const struct pppoe_if *ifp;
	(void)av;
	(void)arg;

	if (ac != 0)
		return CMD_USAGE;
	cmd_printf(c, "PPPoE interfaces:\n");
	LIST_FOREACH(ifp, &pppoe_reg()->ifs, entry) {
		const struct pppoe_padoq *q = &ifp->padoq;
		cmd_printf(c, "\t%-16s mtu %-5u links %-5u sessions %zu%s\n", ifp->name, ifp->mtu, ifp->refs,
			   ifp->sessions.n, ifp->gone ? "  absent, waiting for it" : "");
		cmd_printf(c, "\t%-16s PADO delay: waiting %u, sent late %llu, not answered %llu, dropped (queue full) %llu\n",
			   "", q->n, (unsigned long long)q->delayed, (unsigned long long)q->silent,
			   (unsigned long long)q->full);
	}
	cmd_printf(c, "Sessions held: %zu\n", pppoe_sessions_held(pppoe_reg()));
	return CMD_OK;
}

const struct cmd pppoe_show_cmd = {.name = "pppoe", .usage = "", .help = "PPPoE interfaces",
				   .fn = show_pppoe, .ctx = CTX_GLOBAL, .priv = PRIV_USER};
