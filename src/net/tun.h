/*
 * TUN interfaces for the user data path: one fd per bundle interface,
 * raw IP packets (IFF_TUN | IFF_NO_PI). The interface exists while its fd
 * is open; closing the fd removes it. No per-interface thread or timer:
 * the owner puts the fd on its event loop.
 */
#ifndef MPD_NET_TUN_H
#define MPD_NET_TUN_H

#include <net/if.h>
#include <sys/types.h>

#include "core/pbuf.h"

/* tun_open flags; none defined yet (IFF_VNET_HDR offloads will be one). */
#define TUN_OPEN_FLAGS_KNOWN 0u

/*
 * Create TUN interface `name` (e.g. "ppp0"; a "%d" template lets the
 * kernel number it) and return its non-blocking, close-on-exec fd, or
 * -errno: -EEXIST when a persistent device of that name exists (we never
 * take over an interface that would outlive us), -EBUSY when another
 * process has it, -EINVAL for a bad name or unknown flags. The kernel's
 * name for it goes to ifname.
 */
int tun_open(const char *name, unsigned flags, char ifname[IFNAMSIZ]);
/* Close the fd, which deletes the interface with its addresses and routes. */
void tun_close(int fd);
/*
 * Read one packet into b's tailroom (appended after b->data + b->len).
 * Returns its length, -EAGAIN when none is queued, -EMSGSIZE when the
 * packet filled all the tailroom (it may have been cut; give one byte
 * more room than the MTU), or another -errno.
 */
ssize_t tun_read(int fd, struct pbuf *b);
/* Send b's valid bytes (one IP packet) to the kernel; 0 or -errno (-EAGAIN when full). */
int tun_write(int fd, const struct pbuf *b);

#endif
