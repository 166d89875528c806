/* The daemon's rtnetlink socket: open, request/ack, dumps, error texts. */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/errno.h>
#include <netlink/handlers.h>
#include <netlink/socket.h>

#include "core/log.h"
#include "net/nl_priv.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* libnl folds kernel errnos into its own codes; keep the common ones distinct. */
static const struct {
	int nle;
	int err;
} nle_map[] = {
	{NLE_INTR, EINTR},         {NLE_BAD_SOCK, EBADF},
	{NLE_AGAIN, EAGAIN},       {NLE_NOMEM, ENOMEM},
	{NLE_EXIST, EEXIST},       {NLE_INVAL, EINVAL},
	{NLE_RANGE, ERANGE},       {NLE_MSGSIZE, EMSGSIZE},
	{NLE_OPNOTSUPP, EOPNOTSUPP}, {NLE_AF_NOSUPPORT, EAFNOSUPPORT},
	{NLE_OBJ_NOTFOUND, ENOENT}, {NLE_NOADDR, EADDRNOTAVAIL},
	{NLE_BUSY, EBUSY},         {NLE_NOACCESS, EACCES},
	{NLE_PERM, EPERM},         {NLE_NODEV, ENODEV},
	{NLE_DUMP_INTR, EINTR},
};

int nl_nle_errno(int nle)
{
	if (nle < 0)
		nle = -nle;
	for (size_t i = 0; i < sizeof(nle_map) / sizeof(nle_map[0]); i++)
		if (nle_map[i].nle == nle)
			return -nle_map[i].err;
	return -EIO;
}

int nl_fail(struct nl *n, int err, const char *what)
{
	snprintf(n->err, sizeof(n->err), "%s: %s", what, strerror(-err));
	return err;
}

/* Keep the kernel's own errno: libnl's mapping loses detail (EADDRNOTAVAIL, ...). */
static int nl_on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	(void)who;
	struct nl *n = arg;
	n->kerr = e->error < 0 ? e->error : -EIO;
	return NL_STOP;
}

struct nl *nl_open(void)
{
	struct nl *n = calloc(1, sizeof(*n));
	if (n == NULL) {
		log_msg(LG_ERR, NULL, "netlink: out of memory");
		return NULL;
	}
	n->sk = nl_socket_alloc();
	if (n->sk == NULL) {
		log_msg(LG_ERR, NULL, "netlink: can't allocate socket");
		free(n);
		return NULL;
	}
	int rc = nl_connect(n->sk, NETLINK_ROUTE);
	if (rc < 0) {
		log_msg(LG_ERR, NULL, "netlink: can't connect: %s", nl_geterror(rc));
		nl_socket_free(n->sk);
		free(n);
		return NULL;
	}
	struct nl_cb *cb = nl_socket_get_cb(n->sk);
	nl_cb_err(cb, NL_CB_CUSTOM, nl_on_error, n);
	nl_cb_put(cb);
	return n;
}

void nl_free(struct nl *n)
{
	if (n == NULL)
		return;
	nl_socket_free(n->sk);
	free(n);
}

const char *nl_errmsg(const struct nl *n)
{
	return n->err;
}

int nl_exec(struct nl *n, struct nl_msg *msg, const char *what)
{
	n->kerr = 0;
	int rc = nl_send_auto(n->sk, msg);
	nlmsg_free(msg);
	if (rc >= 0)
		rc = nl_wait_for_ack(n->sk);
	if (rc >= 0)
		return 0;
	return nl_fail(n, n->kerr != 0 ? n->kerr : nl_nle_errno(rc), what);
}

struct nl_request_dump_ctx {
	void (*cb)(struct nl_object *obj, void *arg);
	void *arg;
};

static void nl_dump_parsed(struct nl_object *obj, void *arg)
{
	struct nl_request_dump_ctx *dc = arg;
	dc->cb(obj, dc->arg);
}

static int nl_dump_valid(struct nl_msg *msg, void *arg)
{
	/* Unparseable entries are skipped, not fatal: the rest of the dump still counts. */
	nl_msg_parse(msg, nl_dump_parsed, arg);
	return NL_OK;
}

/*
 * Strict checking makes the kernel honour the filters in a dump request
 * (an ifindex), so a flush does not walk every address of the host. Only
 * around our own dumps: libnl's cache requests have the old short header
 * that strict mode rejects. Kernels without it ignore the option; callers
 * filter again anyway.
 */
static void nl_strict(struct nl *n, int on)
{
	setsockopt(nl_socket_get_fd(n->sk), SOL_NETLINK, NETLINK_GET_STRICT_CHK, &on, sizeof(on));
}

int nl_request_dump(struct nl *n, struct nl_msg *msg, const char *what,
	    void (*cb)(struct nl_object *obj, void *arg), void *arg)
{
	struct nl_request_dump_ctx dc = {.cb = cb, .arg = arg};
	n->kerr = 0;
	nl_strict(n, 1);
	int rc = nl_send_auto(n->sk, msg);
	nl_strict(n, 0);
	nlmsg_free(msg);
	if (rc < 0)
		return nl_fail(n, nl_nle_errno(rc), what);
	struct nl_cb *sc = nl_socket_get_cb(n->sk);
	struct nl_cb *c = nl_cb_clone(sc);
	nl_cb_put(sc);
	if (c == NULL)
		return nl_fail(n, -ENOMEM, what);
	nl_cb_set(c, NL_CB_VALID, NL_CB_CUSTOM, nl_dump_valid, &dc);
	rc = nl_recvmsgs(n->sk, c);
	nl_cb_put(c);
	if (rc < 0)
		return nl_fail(n, n->kerr != 0 ? n->kerr : nl_nle_errno(rc), what);
	return 0;
}

int nl_ifindex(struct nl *n, const char *name)
{
	char what[64];
	snprintf(what, sizeof(what), "find interface %.*s", IFNAMSIZ, name);
	if (name[0] == '\0' || strlen(name) >= IFNAMSIZ)
		return nl_fail(n, -EINVAL, what);
	unsigned idx = if_nametoindex(name);
	if (idx == 0)
		return nl_fail(n, errno != 0 ? -errno : -ENODEV, what);
	return (int)idx;
}
