/*
 * The `user` data path backend: one TUN device per bundle, read on the
 * event loop in batches so a busy interface does not starve the others.
 */
#include "dp/dp.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/pbuf.h"
#include "net/tun.h"

/* Packets read per wake-up: bounded so one bundle can't monopolise the loop. */
#define DP_READ_BATCH 32

struct dp_iface {
	int fd;
	char name[IFNAMSIZ];
	struct event *ev;
	const struct dp_iface_ops *ops;
	void *arg;
};

static void dp_iface_readable(evutil_socket_t fd, short what, void *arg)
{
	(void)what;
	struct dp_iface *di = arg;
	for (int i = 0; i < DP_READ_BATCH; i++) {
		struct pbuf *b = pbuf_new(PBUF_HEADROOM, PBUF_SIZE);
		if (b == NULL)
			return;
		ssize_t n = tun_read(fd, b);
		if (n <= 0) {
			if (n < 0 && n != -EAGAIN && n != -EINTR)
				log_msg(LG_ERR, di->name, "IFACE: read: %s", strerror((int)-n));
			pbuf_free(b);
			return;
		}
		di->ops->from_iface(di->arg, b);
	}
}

struct dp_iface *dp_iface_new(struct event_base *base, const char *name,
			      const struct dp_iface_ops *ops, void *arg, char *err, size_t errlen)
{
	struct dp_iface *di = calloc(1, sizeof(*di));
	if (di == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	di->fd = tun_open(name, 0, di->name);
	if (di->fd < 0) {
		snprintf(err, errlen, "can't create interface %s: %s", name, strerror(-di->fd));
		free(di);
		return NULL;
	}
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

int dp_iface_write(struct dp_iface *di, struct pbuf *b)
{
	int rc = tun_write(di->fd, b);
	pbuf_free(b);
	return rc < 0 ? -1 : 0;
}
