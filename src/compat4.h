/*
 * mpd 4 configuration compatibility on the mpd5 model (docs/differences.md):
 * `new [-i iface] bundle link ...` makes a static bundle and static links whose
 * device settings come from the same-named labels of mpd.links, and
 * `set link type` / `set phys type` there name the device type.
 */
#ifndef MPD_COMPAT4_H
#define MPD_COMPAT4_H

#include <stddef.h>

struct cmd_ctx;

#define COMPAT4_LINKS_FILE "mpd.links"

/* `new [-i iface] bundle link1 [link2 ...]`: a static bundle on iface with these links. */
int compat4_cmd_new(struct cmd_ctx *c, int ac, char **av, const void *arg);
/* The device type named by the first `set link|phys type X` line of label in file;
 * 0 with X in type, -1 with a message in err. */
int compat4_label_type(const char *path, const char *label, char *type, size_t typelen,
		       char *err, size_t errlen);
/* Map an mpd 4 interface name to ours: "ngN" becomes "pppN", others are kept. */
void compat4_ifname(const char *in, char *out, size_t outlen);

#endif
