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
#include <sys/uio.h>

#include "core/pbuf.h"

/*
 * tun_open flags. TUN_OPEN_OFFLOAD: every packet read or written starts
 * with a struct virtio_net_hdr (IFF_VNET_HDR) and the kernel may hand us
 * TCP super-packets with partial checksums (TUNSETOFFLOAD CSUM|TSO4|TSO6),
 * which the reader must segment and complete (dp/gso.h).
 */
#define TUN_OPEN_OFFLOAD 0x1u
#define TUN_OPEN_FLAGS_KNOWN TUN_OPEN_OFFLOAD

/*
 * Create TUN interface `name` (e.g. "ppp0"; a "%d" template lets the
 * kernel number it) and return its non-blocking, close-on-exec fd, or
 * -errno: -EEXIST when a persistent device of that name exists (we never
 * take over an interface that would outlive us), -EBUSY when another
 * process has it, -EINVAL for a bad name or unknown flags. The kernel's
 * name for it goes to ifname.
 */
int tun_open(const char *name, unsigned flags, char ifname[IFNAMSIZ]);
/* Also let the kernel exchange UDP super-packets (USO, Linux 6.2) on an offload fd; 0 or -errno. */
int tun_enable_uso(int fd);
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
/* Read one packet into buf; its length, -EAGAIN when none is queued, -EMSGSIZE when cut, or -errno. */
ssize_t tun_read_buf(int fd, void *buf, size_t len);
/* Send one packet gathered from iov (n entries, at most IOV_MAX); 0 or -errno. */
int tun_writev(int fd, const struct iovec *iov, int n);

#endif
