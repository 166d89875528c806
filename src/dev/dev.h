/*
 * The device interface (ARCHITECTURE rule 3): every device type is one
 * struct dev_type; the link layer knows nothing else about devices, and
 * devices reach the link only through the upcalls in dev/link_dev.h.
 */
#ifndef MPD_DEV_H
#define MPD_DEV_H

#include <stdbool.h>
#include <stddef.h>

struct link;
struct pbuf;
struct cmd;
struct cmd_ctx;
struct dp_iface;
struct dp_bind;

/* Device (physical) states shown by `show link` (commands.md §3.6). */
enum dev_state { DEV_DOWN, DEV_CONNECTING, DEV_READY, DEV_UP };

struct dev_type {
	const char *name;       /* "pppoe", "tcp", ... */
	const char *descr;      /* for `show types` */
	unsigned mtu_max;       /* device maximum MTU/MRU (commands.md §9) */
	unsigned mtu_set_max;   /* largest `set link mtu|mru` taken, checked again by mtu_check when
				 * a call is placed (0: mtu_max) */
	bool tmpl;              /* may be a link template (incoming calls clone it) */
	bool sync_ppp;          /* frames carry no address/control field (PPPoE) */
	/* Allocate the per-link device state with defaults; 0 or -1. */
	int (*create)(struct link *l);
	/* Free the per-link device state (after close). */
	void (*destroy)(struct link *l);
	/* Copy configuration from a template link's device into a new one. */
	int (*copy)(struct link *dst, const struct link *src);
	/* Start an outgoing call (or accept a READY incoming one); reports via upcalls. */
	void (*open)(struct link *l);
	/* Hang up; the device later reports link_dev_down() unless already down. */
	void (*close)(struct link *l);
	/* Send one PPP frame (protocol field first); the device owns b afterwards. */
	void (*send)(struct link *l, struct pbuf *b);
	/* Configuration that matters to the device changed (e.g. `incoming`). */
	void (*update)(struct link *l);
	/* Current MTU the device can carry (after e.g. PPP-Max-Payload). */
	unsigned (*mtu)(const struct link *l);
	/* Before placing a call: 0 when the device can carry frames of mtu and mru bytes with
	 * its present configuration, else -1 with the reason in why. May be NULL. */
	int (*mtu_check)(const struct link *l, unsigned mtu, unsigned mru, char *why, size_t len);
	/* Print device status for `show device` / `show link`. */
	void (*show)(struct cmd_ctx *c, const struct link *l);
	/* Peer's outer address ("aa:bb:..." MAC, IP...), for `show sessions`; may be NULL. */
	const char *(*peer_addr)(const struct link *l, char *buf, size_t len);
	/* Menu of `set <type> ...` commands, NULL-name terminated; may be NULL.  The root
	 * table (src/cmdtab.c) lists it as `set <name>`, for links of this type only. */
	const struct cmd *cmds;
	/* Help line of `set <name>` in `help set`. */
	const char *cmds_help;
	/* The `show <name>` entry (its name is the type's), or NULL when the device has none. */
	const struct cmd *show_cmd;
	/* Hand the session's IP frames to the data path's fast path (dp/dp.h): add the
	 * device's encapsulation and counters to bind and install it in di; 0 or -1. May be NULL. */
	int (*fast_bind)(struct link *l, struct dp_iface *di, struct dp_bind *bind);
	/* Undo fast_bind, if bound. May be NULL. */
	void (*fast_unbind)(struct link *l);
};

/* Find a device type by name; NULL when unknown. */
const struct dev_type *dev_type_find(const char *name);
/* The NULL-terminated array of compiled-in device types. */
const struct dev_type *const *dev_types(void);

#endif
