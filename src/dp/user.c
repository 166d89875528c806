/*
 * The `user` data path backend: one TUN device per bundle, read on the
 * event loop in batches so a busy interface does not starve the others.
 * With DP_FAST the device carries virtio-net headers and offloads; the
 * batch work is in fast.c.
 */
#include "dp/dp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/pbuf.h"
#include "dp/dp_var.h"
#include "net/tun.h"

static void plain_read(struct dp_iface *di)
{
	for (int i = 0; i < DP_READ_BATCH; i++) {
		struct pbuf *b = pbuf_new(PBUF_HEADROOM, PBUF_SIZE);
		if (b == NULL)
			return;
		ssize_t n = tun_read(di->fd, b);
		if (n <= 0) {
			if (n < 0 && n != -EAGAIN && n != -EINTR)
				log_msg(LG_ERR, di->name, "IFACE: read: %s", strerror((int)-n));
			pbuf_free(b);
			return;
		}
		di->ops->from_iface(di->arg, b);
	}
}

/* Offload mode without a binding: every packet takes the ops path. */
static void slow_read(struct dp_iface *di)
{
	uint8_t rd[DP_READ_MAX];

	for (int i = 0; i < DP_READ_BATCH && !di->bound; i++) {
		ssize_t n = tun_read_buf(di->fd, rd, DP_READ_MAX);
		if (n < 0) {
			if (n != -EAGAIN && n != -EINTR)
				log_msg(LG_ERR, di->name, "IFACE: read: %s", strerror((int)-n));
			break;
		}
		dp_slow_packet(di, rd, (size_t)n);
	}
}

static void dp_iface_readable(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct dp_iface *di = arg;
	if (!(di->flags & DP_FAST))
		plain_read(di);
	else if (di->bound)
		dp_fast_read(di);
	else
		slow_read(di);
}

/* MPD_FAST_PATH=0 in the environment turns the fast path off for A/B runs. */
static unsigned env_flags(unsigned flags)
{
	const char *e = getenv("MPD_FAST_PATH");
	if (e != NULL && strcmp(e, "0") == 0)
		flags &= ~DP_FAST;
	return flags;
}

struct dp_iface *dp_iface_new(struct event_base *base, const char *name, unsigned flags,
			      const struct dp_iface_ops *ops, void *arg, char *err, size_t errlen)
{
	struct dp_iface *di = calloc(1, sizeof(*di));
	if (di == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	di->flags = env_flags(flags);
	di->fd = tun_open(name, (di->flags & DP_FAST) ? TUN_OPEN_OFFLOAD : 0, di->name);
	if (di->fd < 0) {
		snprintf(err, errlen, "can't create interface %s: %s", name, strerror(-di->fd));
		free(di);
		return NULL;
	}
	/* Without USO (kernels before 6.2) UDP is written one datagram at a time. */
	if ((di->flags & DP_FAST) && tun_enable_uso(di->fd) == 0)
		di->gro_flags = GRO_UDP;
	di->ops = ops;
	di->arg = arg;
	di->ev = event_new(base, di->fd, EV_READ | EV_PERSIST, dp_iface_readable, di);
	if (di->ev == NULL || event_add(di->ev, NULL) < 0) {
		snprintf(err, errlen, "can't watch interface %s", name);
		dp_iface_free(di);
		return NULL;
	}
	return di;
}

void dp_iface_free(struct dp_iface *di)
{
	if (di == NULL)
		return;
	if (di->ev != NULL)
		event_free(di->ev);
	tun_close(di->fd);
	free(di);
}

const char *dp_iface_name(const struct dp_iface *di)
{
	return di->name;
}

void dp_iface_renamed(struct dp_iface *di, const char *name)
{
	snprintf(di->name, sizeof(di->name), "%s", name);
}

int dp_iface_write(struct dp_iface *di, struct pbuf *b)
{
	int rc;
	if (di->flags & DP_FAST) {
		struct virtio_net_hdr vh;
		memset(&vh, 0, sizeof(vh));
		struct iovec iov[2] = {{&vh, sizeof(vh)}, {b->data, b->len}};
		rc = tun_writev(di->fd, iov, 2);
	} else {
		rc = tun_write(di->fd, b);
	}
	pbuf_free(b);
	return rc < 0 ? -1 : 0;
}

int dp_iface_bind(struct dp_iface *di, const struct dp_bind *bind)
{
	if (!(di->flags & DP_FAST) || bind->hdr_len > DP_HDR_MAX || bind->len_off + 2 > bind->hdr_len ||
	    bind->ntx > DP_NCOUNT || bind->nrx > DP_NCOUNT || bind->mtu < 68 ||
	    bind->hdr_len + bind->mtu > TX_SLOT_SIZE)
		return -1;
	di->bind = *bind;
	di->bound = true;
	log_msg(LG_IFACE2, di->name, "IFACE: fast path on (MTU %u)", bind->mtu);
	return 0;
}

void dp_iface_unbind(struct dp_iface *di)
{
	if (di == NULL || !di->bound)
		return;
	di->bound = false;
	const struct dp_stats *s = &di->st;
	log_msg(LG_IFACE2, di->name,
		"IFACE: fast path off: %llu super-packets cut into %llu, %llu frames in %llu batches, "
		"%llu packets in %llu coalesced writes",
		(unsigned long long)s->gso_pkts, (unsigned long long)s->gso_segs,
		(unsigned long long)s->tx_frames, (unsigned long long)s->tx_batches,
		(unsigned long long)s->gro_segs, (unsigned long long)s->gro_writes);
}

bool dp_iface_bound(const struct dp_iface *di)
{
	return di->bound;
}

const struct dp_stats *dp_iface_stats(const struct dp_iface *di)
{
	return &di->st;
}
