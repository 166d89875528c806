/*
 * The rules for what an AAA answer means (radius.md §2.8), as pure
 * functions the link, bundle and interface apply: the special values of
 * Framed-IP-Address (RFC 2865 §5.8), the Framed-MTU bounds (§5.12), the
 * Framed-Route text (§5.22), the subnet route a netmask implies (§5.9),
 * mpd-action, and the MS-CHAP attributes of RFC 2548 §2.3 (MS-CHAP-Error,
 * MS-CHAP2-Success). No I/O, no daemon state: unit-tested on their own.
 */
#ifndef MPD_AAA_AUTH_ATTR_H
#define MPD_AAA_AUTH_ATTR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a Framed-IP-Address asks for (RFC 2865 §5.8). */
enum auth_addr_kind {
	AUTH_ADDR_EXACT,        /* exactly this address */
	AUTH_ADDR_NAS_CHOOSES,  /* 255.255.255.254: from our pool or ranges */
	AUTH_ADDR_PEER_CHOOSES, /* 255.255.255.255: whatever the peer asks for */
	AUTH_ADDR_INVALID,      /* 0.0.0.0 and other unusable values: refused */
};

/* Classify a Framed-IP-Address. */
enum auth_addr_kind auth_addr_kind(struct in_addr a);

#define AUTH_MTU_MIN 296u
#define AUTH_MTU_MAX 65536u

/* True when a Framed-MTU is usable as the interface MTU's upper bound (296..65536). */
bool auth_mtu_ok(uint32_t mtu);

/* The interface MTU under a Framed-MTU cap: min(mtu, cap); cap unusable = mtu unchanged. */
unsigned auth_mtu_cap(unsigned mtu, uint32_t cap);

/* A route via the peer (Framed-Route, or the subnet of Framed-IP-Netmask). */
struct auth_route4 {
	struct in_addr dest; /* network byte order, host bits cleared */
	int width;           /* 0..32 */
};

/* Parse a Framed-Route "dest/width [gateway [metric]]" (gateway and metric are checked
 * but unused: the route goes via the peer); 0, or -1 when malformed (a bare address too). */
int auth_route_parse(const char *s, struct auth_route4 *r);

/* The width of a contiguous netmask, or -1 when it is not one. */
int auth_mask_width(struct in_addr mask);

/* A fixed address with a netmask shorter than /32: the subnet route via the peer in *r and
 * 1; 0 when no route is implied; -1 when the mask is not contiguous. */
int auth_netmask_route(struct in_addr addr, struct in_addr mask, struct auth_route4 *r);

/* mpd-action (commands.md §3.3). */
enum auth_action { AUTH_ACTION_BUNDLE, AUTH_ACTION_FORWARD, AUTH_ACTION_DROP };

/* Parse "bundle NAME", "forward LINK" or "drop"; 0 with the target copied, or -1. */
int auth_action_parse(const char *s, enum auth_action *kind, char *target, size_t tlen);

/* The authenticator response of an MS-CHAP2-Success value (RFC 2548 §2.3.3: Ident, then
 * "S=" and 40 hex digits; the Ident is tolerated missing). 0 with out filled ("S=...", 42
 * characters and a NUL), -1 when the value carries none. */
int auth_ms_success(const uint8_t *v, size_t len, char out[43]);

/* MS-CHAP-Error (RFC 2548 §2.3.5): the text for the peer ("E=691 R=0 ..."), a leading Ident or
 * NUL byte skipped, non-printing bytes dropped; *code from E= (691 when absent). */
void auth_ms_error(const uint8_t *v, size_t len, char *text, size_t tlen, unsigned *code);

#endif
