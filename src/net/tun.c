/* TUN interface creation and packet I/O. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <linux/if_tun.h>

#include "net/tun.h"

static int tun_attach(int fd, const char *name, unsigned flags, char ifname[IFNAMSIZ])
{
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	if (flags & TUN_OPEN_OFFLOAD)
		ifr.ifr_flags |= IFF_VNET_HDR;
	memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(fd, TUNSETIFF, &ifr) < 0)
		return -errno;
	/* TUNSETIFF attaches to an existing persistent device: refuse to adopt it. */
	struct ifreq got;
	memset(&got, 0, sizeof(got));
	if (ioctl(fd, TUNGETIFF, &got) < 0)
		return -errno;
	if (got.ifr_flags & IFF_PERSIST)
		return -EEXIST;
	if ((flags & TUN_OPEN_OFFLOAD) &&
	    ioctl(fd, TUNSETOFFLOAD, (unsigned long)(TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6)) < 0)
		return -errno;
	memcpy(ifname, ifr.ifr_name, IFNAMSIZ);
	ifname[IFNAMSIZ - 1] = '\0';
	return 0;
}

int tun_open(const char *name, unsigned flags, char ifname[IFNAMSIZ])
{
	if ((flags & ~TUN_OPEN_FLAGS_KNOWN) != 0 || name == NULL || name[0] == '\0' ||
	    strlen(name) >= IFNAMSIZ)
		return -EINVAL;
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	int rc = tun_attach(fd, name, flags, ifname);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

#ifndef TUN_F_USO4
#define TUN_F_USO4 0x20  /* older uapi headers lack them */
#define TUN_F_USO6 0x40
#endif

int tun_enable_uso(int fd)
{
	unsigned long f = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_USO4 | TUN_F_USO6;

	if (ioctl(fd, TUNSETOFFLOAD, f) < 0)
		return -errno;
	return 0;
}

void tun_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

ssize_t tun_read(int fd, struct pbuf *b)
{
	size_t room = pbuf_tailroom(b);
	if (room == 0)
		return -EMSGSIZE;
	uint8_t *p = b->data + b->len;
	ssize_t n = read(fd, p, room);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	/* The driver reports the full length of a packet it had to cut. */
	if ((size_t)n >= room)
		return -EMSGSIZE;
	b->len += (size_t)n;
	return n;
}

int tun_write(int fd, const struct pbuf *b)
{
	ssize_t n = write(fd, b->data, b->len);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return (size_t)n == b->len ? 0 : -EIO;
}

ssize_t tun_read_buf(int fd, void *buf, size_t len)
{
	ssize_t n = read(fd, buf, len);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if ((size_t)n >= len)
		return -EMSGSIZE;
	return n;
}

int tun_writev(int fd, const struct iovec *iov, int n)
{
	size_t want = 0;
	for (int i = 0; i < n; i++)
		want += iov[i].iov_len;
	ssize_t got = writev(fd, iov, n);
	if (got < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return (size_t)got == want ? 0 : -EIO;
}
