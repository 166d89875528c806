/* The ext-auth / ext-acct line protocol (see ext_proto.h, radius.md §5). */
#include "aaa/ext_proto.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aaa/acct.h"
#include "core/log.h"

void ext_msg_init(struct ext_msg *m)
{
	m->len = 0;
	m->overflow = false;
	m->buf[0] = '\0';
}

void ext_msg_add(struct ext_msg *m, const char *name, const char *value)
{
	/* A newline would start a line of the value's choosing: the value ends before it. */
	size_t vlen = strcspn(value, "\r\n");
	size_t nlen = strlen(name);
	if (nlen + 1 > EXT_LINE_MAX) {
		m->overflow = true;
		return;
	}
	if (nlen + 1 + vlen > EXT_LINE_MAX)
		vlen = EXT_LINE_MAX - nlen - 1;
	if (m->len + nlen + 1 + vlen + 1 >= sizeof(m->buf)) {
		m->overflow = true;
		return;
	}
	memcpy(m->buf + m->len, name, nlen);
	m->len += nlen;
	m->buf[m->len++] = ':';
	memcpy(m->buf + m->len, value, vlen);
	m->len += vlen;
	m->buf[m->len++] = '\n';
	m->buf[m->len] = '\0';
}

void ext_msg_add_u64(struct ext_msg *m, const char *name, uint64_t v)
{
	char num[24];
	snprintf(num, sizeof(num), "%" PRIu64, v);
	ext_msg_add(m, name, num);
}

bool ext_msg_end(struct ext_msg *m)
{
	if (m->len + 2 > sizeof(m->buf))
		m->overflow = true;
	if (m->overflow)
		return false;
	m->buf[m->len++] = '\n';
	m->buf[m->len] = '\0';
	return true;
}

const char *ext_auth_type(enum auth_method m)
{
	switch (m) {
	case AUTH_PAP:
		return "PAP";
	case AUTH_CHAP_MD5:
		return "CHAP MD5";
	case AUTH_MSCHAP_V1:
		return "CHAP MSOFT";
	case AUTH_MSCHAP_V2:
		return "CHAP MSOFTv2";
	case AUTH_EAP_MD5:
		return "EAP";
	}
	return "";
}

bool ext_auth_request(struct ext_msg *m, const struct auth_request *q)
{
	ext_msg_init(m);
	ext_msg_add(m, "USER_NAME", q->name);
	ext_msg_add(m, "AUTH_TYPE", ext_auth_type(q->method));
	if (q->method == AUTH_PAP)
		ext_msg_add(m, "USER_PASSWORD", q->password);
	ext_msg_add(m, "ACCT_SESSION_ID", q->session_id);
	ext_msg_add(m, "LINK", q->link_name);
	ext_msg_add_u64(m, "NAS_PORT", q->nas_port);
	ext_msg_add(m, "NAS_PORT_TYPE", q->dev_type);
	ext_msg_add(m, "CALLING_STATION_ID", q->calling);
	ext_msg_add(m, "CALLED_STATION_ID", q->called);
	/* Tunnel host names and outer addresses come with the tunnel devices; sent empty (§5.1). */
	ext_msg_add(m, "SELF_NAME", "");
	ext_msg_add(m, "PEER_NAME", "");
	ext_msg_add(m, "SELF_ADDR", "");
	ext_msg_add(m, "PEER_ADDR", "");
	ext_msg_add(m, "PEER_PORT", "");
	ext_msg_add(m, "PEER_MAC_ADDR", "");
	ext_msg_add(m, "PEER_IFACE", "");
	ext_msg_add(m, "PEER_IDENT", q->peer_ident);
	return ext_msg_end(m);
}

bool ext_acct_request(struct ext_msg *m, const struct acct_record *r)
{
	char ip[INET_ADDRSTRLEN];
	ext_msg_init(m);
	ext_msg_add(m, "ACCT_STATUS_TYPE", acct_status_name(r->status));
	ext_msg_add(m, "ACCT_SESSION_ID", r->session_id);
	ext_msg_add(m, "ACCT_MULTI_SESSION_ID", r->multi_session_id);
	ext_msg_add(m, "USER_NAME", r->user);
	ext_msg_add(m, "IFACE", r->iface);
	ext_msg_add_u64(m, "IFACE_INDEX", r->iface_index);
	ext_msg_add(m, "BUNDLE", r->bundle);
	ext_msg_add(m, "LINK", r->link);
	ext_msg_add_u64(m, "NAS_PORT", r->nas_port);
	ext_msg_add(m, "NAS_PORT_TYPE", r->nas_port_type);
	ext_msg_add_u64(m, "ACCT_LINK_COUNT", r->link_count);
	ext_msg_add(m, "CALLING_STATION_ID", r->calling);
	ext_msg_add(m, "CALLED_STATION_ID", r->called);
	ext_msg_add(m, "SELF_NAME", r->self_name);
	ext_msg_add(m, "PEER_NAME", r->peer_name);
	ext_msg_add(m, "SELF_ADDR", r->self_addr);
	ext_msg_add(m, "PEER_ADDR", r->peer_addr);
	if (r->peer_port != 0)
		ext_msg_add_u64(m, "PEER_PORT", r->peer_port);
	else
		ext_msg_add(m, "PEER_PORT", "");
	ext_msg_add(m, "PEER_MAC_ADDR", r->peer_mac);
	ext_msg_add(m, "PEER_IFACE", r->peer_iface);
	ext_msg_add(m, "PEER_IDENT", r->peer_ident);
	ext_msg_add(m, "FRAMED_IP_ADDRESS", inet_ntop(AF_INET, &r->framed_ip, ip, sizeof(ip)));
	if (r->status == ACCT_STOP)
		ext_msg_add(m, "ACCT_TERMINATE_CAUSE", r->term_reason);
	if (r->status != ACCT_START) {
		/* full 64-bit counters: no gigaword split here (radius.md §5.4) */
		ext_msg_add_u64(m, "ACCT_SESSION_TIME", r->session_time);
		ext_msg_add_u64(m, "ACCT_INPUT_OCTETS", r->in_octets);
		ext_msg_add_u64(m, "ACCT_INPUT_PACKETS", r->in_packets);
		ext_msg_add_u64(m, "ACCT_OUTPUT_OCTETS", r->out_octets);
		ext_msg_add_u64(m, "ACCT_OUTPUT_PACKETS", r->out_packets);
	}
	return ext_msg_end(m);
}

bool ext_login_ok(const char *login)
{
	return login[0] != '\0' && strpbrk(login, "'\n\r") == NULL;
}

/* One line of len bytes (no newline): hand NAME and value on; false to stop. */
static bool ext_line(const char *line, size_t len, const char *who, ext_line_fn fn, void *arg, size_t *count)
{
	char buf[EXT_LINE_MAX + 1];
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len > EXT_LINE_MAX) {
		log_msg(LG_AUTH, who, "ext: reply line longer than %d characters ignored", EXT_LINE_MAX);
		return true;
	}
	memcpy(buf, line, len);
	buf[len] = '\0';
	char *colon = strchr(buf, ':');
	if (colon == NULL || memchr(buf, '\0', len) != NULL) {
		log_msg(LG_AUTH, who, "ext: malformed reply line ignored");
		return true;
	}
	*colon = '\0';
	(*count)++;
	return fn(buf, colon + 1, arg);
}

size_t ext_split(const char *text, size_t len, const char *who, ext_line_fn fn, void *arg)
{
	size_t count = 0, pos = 0;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl != NULL ? (size_t)(nl - text) : len;
		size_t n = end - pos;
		if (n == 0 || (n == 1 && text[pos] == '\r'))
			break; /* the empty line ends the reply */
		if (!ext_line(text + pos, n, who, fn, arg, &count))
			break;
		pos = end + 1;
	}
	return count;
}

bool ext_hex16(const char *s, uint8_t out[16])
{
	if (strlen(s) != 32)
		return false;
	for (int i = 0; i < 16; i++) {
		unsigned v = 0;
		for (int k = 0; k < 2; k++) {
			char c = s[2 * i + k];
			unsigned d;
			if (c >= '0' && c <= '9')
				d = (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				d = (unsigned)(c - 'a' + 10);
			else if (c >= 'A' && c <= 'F')
				d = (unsigned)(c - 'A' + 10);
			else
				return false;
			v = v << 4 | d;
		}
		out[i] = (uint8_t)v;
	}
	return true;
}

/* Plain decimal, no sign, no spaces, at most max. */
static bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
		unsigned d = (unsigned)(*s - '0');
		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

static bool parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;
	if (!parse_u64(s, UINT32_MAX, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

/* "prefix/width" (or a bare address when bare_width >= 0: that width). */
static bool parse_prefix(const char *s, int af, void *addr, int *width, int bare_width)
{
	char buf[INET6_ADDRSTRLEN + 8];
	int maxw = af == AF_INET ? 32 : 128;
	if (strlen(s) >= sizeof(buf))
		return false;
	snprintf(buf, sizeof(buf), "%s", s);
	char *slash = strchr(buf, '/');
	uint64_t w = (uint64_t)bare_width;
	if (slash != NULL) {
		*slash = '\0';
		if (!parse_u64(slash + 1, (uint64_t)maxw, &w))
			return false;
	} else if (bare_width < 0) {
		return false;
	}
	if (inet_pton(af, buf, addr) != 1)
		return false;
	*width = (int)w;
	return true;
}

/* Copy a value into a field of its size; false when it does not fit. */
static bool copy_field(char *dst, size_t cap, const char *value)
{
	size_t n = strlen(value);
	if (n >= cap)
		return false;
	memcpy(dst, value, n + 1);
	return true;
}

/* "bundle NAME", "forward LINK" or "drop" (commands.md §7). */
static bool action_ok(const char *v)
{
	if (strcmp(v, "drop") == 0)
		return true;
	const char *arg = strncmp(v, "bundle ", 7) == 0 || strncmp(v, "forward ", 8) == 0 ? strchr(v, ' ') + 1 : NULL;
	return arg != NULL && arg[0] != '\0' && strpbrk(arg, " \t") == NULL;
}

struct auth_parse {
	const char *who;
	struct ext_auth_reply *rep;
	struct auth_result *res;
};

typedef bool (*field_fn)(struct auth_parse *ap, const char *name, const char *value);

static bool f_result(struct auth_parse *ap, const char *name, const char *v)
{
	(void)name;
	ap->rep->result = strcmp(v, "SUCCESS") == 0 ? EXT_SUCCESS : strcmp(v, "UNDEF") == 0 ? EXT_UNDEF : EXT_FAIL;
	return true;
}

static bool f_user_name(struct auth_parse *ap, const char *name, const char *v)
{
	(void)name;
	return v[0] != '\0' && copy_field(ap->rep->user_name, sizeof(ap->rep->user_name), v) &&
	       copy_field(ap->res->user_name, sizeof(ap->res->user_name), v);
}

static bool f_password(struct auth_parse *ap, const char *name, const char *v)
{
	(void)name;
	return ap->rep->has_password = copy_field(ap->rep->password, sizeof(ap->rep->password), v);
}

static bool f_hash(struct auth_parse *ap, const char *name, const char *v)
{
	if (strcmp(name, "USER_NT_HASH") == 0)
		return ap->rep->has_nt_hash = ext_hex16(v, ap->rep->nt_hash);
	return ap->rep->has_lm_hash = ext_hex16(v, ap->rep->lm_hash);
}

static bool f_framed_ip(struct auth_parse *ap, const char *name, const char *v)
{
	(void)name;
	struct in_addr a;
	int w;
	if (!parse_prefix(v, AF_INET, &a, &w, 32))
		return false;
	/* a range like mpd.secret's; a single address is also what RADIUS's Framed-IP-Address gives */
	ap->res->peer_range_set = true;
	ap->res->peer_range = a;
	ap->res->peer_range_width = w;
	ap->res->framed_ip_set = w == 32;
	ap->res->framed_ip = a;
	return true;
}

static bool f_server(struct auth_parse *ap, const char *name, const char *v)
{
	struct in_addr a;
	if (inet_pton(AF_INET, v, &a) != 1)
		return false;
	bool dns = strstr(name, "DNS") != NULL;
	int i = strncmp(name, "PRIMARY", 7) == 0 ? 0 : 1;
	(dns ? ap->res->dns : ap->res->nbns)[i] = a;
	return true;
}

/* FRAMED_ROUTE / FRAMED_IPV6_ROUTE: "prefix/width", one list as RADIUS's Framed-Route. */
static bool f_route(struct auth_parse *ap, const char *name, const char *v)
{
	struct auth_result *r = ap->res;
	if (r->nroutes >= AUTH_MAX_ROUTES)
		return false;
	struct auth_route *rt = &r->routes[r->nroutes];
	memset(rt, 0, sizeof(*rt));
	rt->v6 = strcmp(name, "FRAMED_IPV6_ROUTE") == 0;
	if (!parse_prefix(v, rt->v6 ? AF_INET6 : AF_INET, rt->v6 ? (void *)&rt->dst6 : (void *)&rt->dst, &rt->width,
			  -1))
		return false;
	r->nroutes++;
	return true;
}

static bool f_mtu(struct auth_parse *ap, const char *name, const char *v)
{
	(void)name;
	uint64_t mtu;
	/* the range the original never checked (radius.md §5.3) */
	if (!parse_u64(v, 65536, &mtu) || mtu < 296)
		return false;
	ap->res->mtu = (uint32_t)mtu;
	return true;
}

static bool f_compression(struct auth_parse *ap, const char *name, const char *v)
{
	(void)name;
	if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
		return false;
	ap->res->vj_compression = v[0] == '1';
	return true;
}

static bool f_pool(struct auth_parse *ap, const char *name, const char *v)
{
	(void)name;
	return v[0] != '\0' && copy_field(ap->res->pool, sizeof(ap->res->pool), v);
}

static bool f_seconds(struct auth_parse *ap, const char *name, const char *v)
{
	uint32_t *dst = strcmp(name, "SESSION_TIMEOUT") == 0 ? &ap->res->session_timeout
			: strcmp(name, "IDLE_TIMEOUT") == 0  ? &ap->res->idle_timeout
							     : &ap->res->acct_interim;
	return parse_u32(v, dst);
}

static bool f_limit(struct auth_parse *ap, const char *name, const char *v)
{
	return parse_u32(v, strstr(name, "RECV") != NULL ? &ap->res->acct_lim_recv : &ap->res->acct_lim_xmit);
}

static bool f_text(struct auth_parse *ap, const char *name, const char *v)
{
	struct auth_result *r = ap->res;
	if (strcmp(name, "REPLY_MESSAGE") == 0) {
		snprintf(r->msg, sizeof(r->msg), "%s", v); /* as much as a PAP/CHAP message carries */
		return true;
	}
	if (strcmp(name, "MS_CHAP_ERROR") == 0)
		return copy_field(r->mschap_error, sizeof(r->mschap_error), v);
	if (strcmp(name, "MPD_IFACE_NAME") == 0)
		return v[0] != '\0' && strpbrk(v, " \t/") == NULL && copy_field(r->iface_name, sizeof(r->iface_name), v);
	if (strcmp(name, "MPD_IFACE_DESCR") == 0)
		return copy_field(r->iface_descr, sizeof(r->iface_descr), v);
	return copy_field(r->iface_group, sizeof(r->iface_group), v);
}

static bool f_action(struct auth_parse *ap, const char *name, const char *v)
{
	(void)name;
	return action_ok(v) && copy_field(ap->res->action, sizeof(ap->res->action), v);
}

static bool f_vsa(struct auth_parse *ap, const char *name, const char *v)
{
	static const struct {
		const char *name;
		enum auth_acl_kind kind;
	} kinds[] = {
		{"MPD_RULE", AUTH_ACL_RULE},	 {"MPD_PIPE", AUTH_ACL_PIPE},
		{"MPD_QUEUE", AUTH_ACL_QUEUE},	 {"MPD_TABLE", AUTH_ACL_TABLE},
		{"MPD_TABLE_STATIC", AUTH_ACL_TABLE_STATIC}, {"MPD_FILTER", AUTH_ACL_FILTER},
		{"MPD_LIMIT", AUTH_ACL_LIMIT},
	};
	struct auth_result *r = ap->res;
	if (v[0] == '\0' || r->nacl >= AUTH_MAX_ACL)
		return false;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(name, kinds[i].name) == 0) {
			if (!copy_field(r->acl[r->nacl].text, sizeof(r->acl[r->nacl].text), v))
				return false;
			r->acl[r->nacl++].kind = kinds[i].kind;
			return true;
		}
	return false;
}

static const struct {
	const char *name;
	field_fn fn;
} auth_fields[] = {
	{"RESULT", f_result},
	{"USER_NAME", f_user_name},
	{"USER_PASSWORD", f_password},
	{"USER_NT_HASH", f_hash},
	{"USER_LM_HASH", f_hash},
	{"FRAMED_IP_ADDRESS", f_framed_ip},
	{"PRIMARY_DNS_SERVER", f_server},
	{"SECONDARY_DNS_SERVER", f_server},
	{"PRIMARY_NBNS_SERVER", f_server},
	{"SECONDARY_NBNS_SERVER", f_server},
	{"FRAMED_ROUTE", f_route},
	{"FRAMED_IPV6_ROUTE", f_route},
	{"FRAMED_MTU", f_mtu},
	{"FRAMED_COMPRESSION", f_compression},
	{"FRAMED_POOL", f_pool},
	{"SESSION_TIMEOUT", f_seconds},
	{"IDLE_TIMEOUT", f_seconds},
	{"ACCT_INTERIM_INTERVAL", f_seconds},
	{"ACCT_INTERIM_LIM_RECV", f_limit},
	{"ACCT_INTERIM_LIM_XMIT", f_limit},
	{"REPLY_MESSAGE", f_text},
	{"MS_CHAP_ERROR", f_text},
	{"MPD_ACTION", f_action},
	{"MPD_IFACE_NAME", f_text},
	{"MPD_IFACE_DESCR", f_text},
	{"MPD_IFACE_GROUP", f_text},
	{"MPD_RULE", f_vsa},
	{"MPD_PIPE", f_vsa},
	{"MPD_QUEUE", f_vsa},
	{"MPD_TABLE", f_vsa},
	{"MPD_TABLE_STATIC", f_vsa},
	{"MPD_FILTER", f_vsa},
	{"MPD_LIMIT", f_vsa},
};

static bool auth_line(const char *name, const char *value, void *arg)
{
	struct auth_parse *ap = arg;
	for (size_t i = 0; i < sizeof(auth_fields) / sizeof(auth_fields[0]); i++) {
		if (strcmp(name, auth_fields[i].name) != 0)
			continue;
		if (!auth_fields[i].fn(ap, name, value)) {
			ap->rep->invalid++;
			log_msg(LG_AUTH, ap->who, "ext-auth: invalid %s value ignored", name);
		}
		return true;
	}
	ap->rep->unknown++;
	/* MPD_INPUT_ACCT / MPD_OUTPUT_ACCT are RADIUS-only (radius.md §5.3): unknown here too. */
	log_msg(LG_AUTH, ap->who, "ext-auth: unknown reply line \"%s\" ignored", name);
	return true;
}

void ext_auth_reply_parse(const char *text, size_t len, const char *who, struct ext_auth_reply *rep,
			  struct auth_result *res)
{
	memset(rep, 0, sizeof(*rep));
	rep->result = EXT_FAIL;
	struct auth_parse ap = {who, rep, res};
	ext_split(text, len, who, auth_line, &ap);
}

struct acct_parse {
	const char *who;
	struct ext_acct_reply *rep;
};

static bool acct_line(const char *name, const char *value, void *arg)
{
	struct acct_parse *ap = arg;
	struct ext_acct_reply *rep = ap->rep;
	uint64_t v;
	if (strcmp(name, "MPD_DROP_USER") == 0) {
		if (parse_u64(value, UINT64_MAX, &v))
			rep->drop_user = v != 0;
		else {
			rep->invalid++;
			log_msg(LG_AUTH, ap->who, "ext-acct: invalid MPD_DROP_USER value ignored");
		}
		return true;
	}
	rep->unknown++;
	log_msg(LG_AUTH, ap->who, "ext-acct: reply line \"%s\" ignored", name);
	return true;
}

void ext_acct_reply_parse(const char *text, size_t len, const char *who, struct ext_acct_reply *rep)
{
	memset(rep, 0, sizeof(*rep));
	struct acct_parse ap = {who, rep};
	ext_split(text, len, who, acct_line, &ap);
}
