/* What a device may ask of its link: state reports, frames, clones. */
#ifndef MPD_LINK_DEV_H
#define MPD_LINK_DEV_H

#include <stdbool.h>
#include <event2/event.h>

struct link;
struct pbuf;

/* The device finished connecting: LCP may start. */
void link_dev_up(struct link *l);
/* The device lost or refused the connection; reason is logged and kept. */
void link_dev_down(struct link *l, const char *reason);
/* A frame arrived (protocol field first, address/control already removed); the link owns b. */
void link_dev_input(struct link *l, struct pbuf *b);
/* An incoming call matched template or link l: returns the link that takes it (a new
 * clone for templates) with state DEV_READY, or NULL when busy/refused. */
struct link *link_dev_incoming(struct link *l);
/* The device's per-link state. */
void *link_dev_priv(const struct link *l);
/* Set the device's per-link state. */
void link_dev_set_priv(struct link *l, void *priv);
/* The link's name, for log lines. */
const char *link_name(const struct link *l);
/* True when the link (or template) accepts incoming calls (`set link enable incoming`). */
bool link_incoming_enabled(const struct link *l);
/* `set link enable|disable incoming` on behalf of a device's own spelling of it (mpd 4's
 * `set pppoe enable incoming`); the device is told through its update hook. */
void link_dev_set_incoming(struct link *l, bool on);
/* True for link templates. */
bool link_is_template(const struct link *l);
/* True while the daemon only checks its configuration (-t): devices open no socket. */
bool link_dev_check_only(const struct link *l);
/* The loop the daemon runs, for device sockets and timers. */
struct event_base *link_evbase(const struct link *l);
/* The device state the link layer shows; devices update it on transitions. */
void link_dev_set_state(struct link *l, int dev_state);

#endif
