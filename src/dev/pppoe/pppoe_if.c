/*
 * PPPoE interfaces: one discovery and one session AF_PACKET socket per
 * Ethernet interface, shared by every link on it, opened with the first
 * user and closed with the last.
 */
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <event2/event.h>

#include "core/log.h"
#include "core/pbuf.h"
#include "core/rand.h"
#include "dev/pppoe/pppoe_var.h"
#include "dp/dp.h"
#include "dev/link_dev.h"


/*
 * Device hooks receive only a struct link, and link_dev.h gives no way to
 * the daemon, yet links must find the one socket pair of their interface.
 * So the registry of interfaces (and the cookie key that goes with it) is
 * the module's single piece of process state.
 */
static struct pppoe_reg registry = {.ifs = LIST_HEAD_INITIALIZER(registry.ifs)};

struct pppoe_reg *pppoe_reg(void)
{
	if (!registry.key_ok) {
		if (pppoe_cookie_key_init(&registry.key) < 0)
			log_msg(LG_ERR, "PPPoE", "no random bytes for the cookie key: %s", strerror(errno));
		else
			registry.key_ok = true;
		registry.next_uniq = rand_u64();
	}
	return &registry;
}

uint32_t pppoe_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)ts.tv_sec;
}

void pppoe_log_disc(const char *who, const char *dir, const struct pppoe_if *ifp, uint8_t code,
		    uint16_t sid, const uint8_t m[PPPOE_ETH_ALEN])
{
	char cbuf[16];

	if (!log_enabled(LG_PHYS3))
		return;
	log_msg(LG_PHYS3, who, "PPPoE: %s %s %s session 0x%04x peer %02x:%02x:%02x:%02x:%02x:%02x",
		dir, pppoe_code_name(code, cbuf, sizeof(cbuf)), ifp->name, sid,
		m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void if_req(const struct pppoe_if *ifp, struct ifreq *ifr)
{
	memset(ifr, 0, sizeof(*ifr));
	memcpy(ifr->ifr_name, ifp->name, strlen(ifp->name)); /* shorter than IFNAMSIZ */
}

static int if_socket(struct pppoe_if *ifp, uint16_t proto, const char **err)
{
	struct ifreq ifr;
	struct sockaddr_ll sll;
	int one = 1;
	/* Protocol 0 until bound: no frames of other interfaces queue up meanwhile. */
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		goto fail;
	if_req(ifp, &ifr);
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0)
		goto fail;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(proto);
	sll.sll_ifindex = ifr.ifr_ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		goto fail;
	ifp->ifindex = ifr.ifr_ifindex;
	(void)setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	return fd;
fail:
	*err = strerror(errno);
	if (fd >= 0)
		close(fd);
	return -1;
}

static int if_hwinfo(struct pppoe_if *ifp, const char **err)
{
	struct ifreq ifr;

	if_req(ifp, &ifr);
	if (ioctl(ifp->disc_fd, SIOCGIFHWADDR, &ifr) < 0) {
		*err = strerror(errno);
		return -1;
	}
	if (ifr.ifr_hwaddr.sa_family != 1 /* ARPHRD_ETHER */) {
		*err = "not an Ethernet interface";
		return -1;
	}
	memcpy(ifp->mac, ifr.ifr_hwaddr.sa_data, PPPOE_ETH_ALEN);
	pppoe_if_mtu(ifp);
	return 0;
}

unsigned pppoe_if_mtu(struct pppoe_if *ifp)
{
	struct ifreq ifr;

	if_req(ifp, &ifr);
	if (ioctl(ifp->disc_fd, SIOCGIFMTU, &ifr) == 0 && ifr.ifr_mtu > 0)
		ifp->mtu = (unsigned)ifr.ifr_mtu;
	else if (ifp->mtu == 0)
		ifp->mtu = 1500;
	return ifp->mtu;
}

int pppoe_if_send_disc(struct pppoe_if *ifp, const uint8_t *frame, size_t len, const char *who)
{
	if (len < PPPOE_ETH_HLEN + PPPOE_HLEN) {
		log_msg(LG_PHYS2, who, "PPPoE: discovery packet did not fit, not sent");
		return -1;
	}
	pppoe_log_disc(who, "send", ifp, frame[15], (uint16_t)(frame[16] << 8 | frame[17]), frame);
	if (send(ifp->disc_fd, frame, len, MSG_DONTWAIT) < 0) {
		log_msg(LG_PHYS2, who, "PPPoE: send on %s: %s", ifp->name, strerror(errno));
		return -1;
	}
	return 0;
}

static void if_free(struct pppoe_if *ifp)
{
	if (ifp->disc_ev != NULL)
		event_free(ifp->disc_ev);
	if (ifp->sess_ev != NULL)
		event_free(ifp->sess_ev);
	if (ifp->disc_fd >= 0)
		close(ifp->disc_fd);
	if (ifp->sess_fd >= 0)
		close(ifp->sess_fd);
	htab_free(&ifp->sessions);
	htab_free(&ifp->uniqs);
	htab_free(&ifp->dups);
	if (ifp->rxq != NULL)
		pktring_close(&ifp->rxq->ring);
	free(ifp->rxq);
	free(ifp);
}

static bool rx_pkttype_ok(const struct sockaddr_ll *sll)
{
	return sll->sll_pkttype == PACKET_HOST || sll->sll_pkttype == PACKET_BROADCAST;
}

static void disc_padm(struct pppoe_if *ifp, const struct pppoe_frame *f, const struct pppoe_disc *d)
{
	struct pppoe_link *ps = pppoe_session_find(ifp, f->src, f->sid);
	const char *who = ps != NULL ? link_name(ps->l) : ifp->name;
	char text[256];

	if (ps == NULL) {
		log_msg(LG_PHYS2, who, "PPPoE: PADM for unknown session 0x%04x, ignored", f->sid);
		return;
	}
	if (d->hurl.set) {
		pppoe_blob_text(&d->hurl, text, sizeof(text));
		log_msg(LG_PHYS, who, "PPPoE: PADM HURL: %s", text);
	}
	if (d->motm.set) {
		pppoe_blob_text(&d->motm, text, sizeof(text));
		log_msg(LG_PHYS, who, "PPPoE: PADM MOTM: %s", text);
	}
}

static void disc_dispatch(struct pppoe_if *ifp, const struct pppoe_frame *f, const struct pppoe_disc *d)
{
	struct pppoe_link *ps;
	char cbuf[16];

	switch (f->code) {
	case PPPOE_PADI:
		pppoe_server_padi(ifp, f, d);
		break;
	case PPPOE_PADR:
		pppoe_server_padr(ifp, f, d);
		break;
	case PPPOE_PADO:
	case PPPOE_PADS:
		pppoe_client_input(ifp, f, d);
		break;
	case PPPOE_PADT:
		ps = pppoe_session_find(ifp, f->src, f->sid);
		if (ps != NULL)
			pppoe_link_padt(ps, d);
		else
			log_msg(LG_PHYS2, ifp->name, "PPPoE: PADT for unknown session 0x%04x, ignored", f->sid);
		break;
	case PPPOE_PADM:
		disc_padm(ifp, f, d);
		break;
	default:
		log_msg(LG_PHYS2, ifp->name, "PPPoE: discovery %s not handled, dropped",
			pppoe_code_name(f->code, cbuf, sizeof(cbuf)));
		break;
	}
}

static void disc_frame(struct pppoe_if *ifp, const uint8_t *p, size_t n)
{
	struct pppoe_frame f;
	struct pppoe_disc d;
	const char *why = NULL;

	if (pppoe_frame_parse(p, n, &f, &why) < 0 || f.ethertype != PPPOE_ETHERTYPE_DISC ||
	    pppoe_disc_parse(f.payload, f.len, &d, &why) < 0) {
		log_msg(LG_PHYS2, ifp->name, "PPPoE: malformed discovery packet dropped: %s",
			why != NULL ? why : "wrong ethertype");
		return;
	}
	/* A group source address is forged; answering it would reach every host. */
	if (f.src[0] & 0x01) {
		log_msg(LG_PHYS2, ifp->name, "PPPoE: discovery packet from a multicast address dropped");
		return;
	}
	pppoe_log_disc(ifp->name, "recv", ifp, f.code, f.sid, f.src);
	disc_dispatch(ifp, &f, &d);
}

static void disc_read(evutil_socket_t fd, short what, void *arg)
{
	struct pppoe_if *ifp = arg;
	uint8_t buf[2048];
	(void)what;

	ifp->busy++;
	for (int i = 0; i < RX_BURST && ifp->refs > 0; i++) {
		struct sockaddr_ll sll;
		socklen_t sl = sizeof(sll);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&sll, &sl);
		if (n < 0)
			break;
		if ((size_t)n > sizeof(buf) || !rx_pkttype_ok(&sll))
			continue;
		disc_frame(ifp, buf, (size_t)n);
	}
	if (--ifp->busy == 0 && ifp->refs == 0)
		if_free(ifp);
}

/* Where a session frame's parts are, after the checks every frame must pass. */
static struct pppoe_link *sess_frame(struct pppoe_if *ifp, const struct pktring_frame *rf,
				     struct pppoe_frame *f)
{
	const char *why;

	if (rf->truncated || rf->pkttype != PACKET_HOST)
		return NULL;
	if (pppoe_frame_parse(rf->p, rf->len, f, &why) < 0 || f->ethertype != PPPOE_ETHERTYPE_SESS) {
		log_msg(LG_PHYS2, ifp->name, "PPPoE: malformed session frame dropped: %s", why);
		return NULL;
	}
	struct pppoe_link *ps = pppoe_session_find(ifp, f->src, f->sid);
	if (ps == NULL || ps->state != PPPOE_UP)
		return NULL;
	return ps;
}

/* Hand the fast-path packets gathered so far to their interfaces, each in received order. */
static void fast_flush(struct pppoe_rxq *q)
{
	struct gro_pkt run[RX_BURST];

	for (unsigned i = 0; i < q->nfast; i++) {
		struct dp_iface *di = q->dst[i];
		size_t k = 0;
		if (di == NULL)
			continue;
		for (unsigned j = i; j < q->nfast; j++)
			if (q->dst[j] == di) {
				run[k++] = q->pkts[j];
				q->dst[j] = NULL;
			}
		dp_iface_deliver(di, run, k);
	}
	q->nfast = 0;
}

/* An IPv4 frame in the protocol-field form the fast path was bound for. */
static bool is_ip(const struct pppoe_frame *f, unsigned plen)
{
	if (plen == 1)
		return f->len > 1 && f->payload[0] == 0x21;
	return f->len > 2 && f->payload[0] == 0x00 && f->payload[1] == 0x21;
}

/* rf stays valid until the caller's fast_flush: fast-path packets point into it. */
static void sess_one(struct pppoe_if *ifp, struct pppoe_rxq *q, const struct pktring_frame *rf)
{
	struct pppoe_frame f;
	struct pppoe_link *ps = sess_frame(ifp, rf, &f);

	if (ps == NULL)
		return;
	/* IPv4 of a fast-path session stays in the receive buffer until the batch is written. */
	if (ps->fast != NULL && is_ip(&f, ps->fast_plen)) {
		if (q->nfast == RX_BURST)
			fast_flush(q);
		ps->in_frames++;
		ps->in_octets += f.len;
		q->pkts[q->nfast] = (struct gro_pkt){(uint8_t *)f.payload + ps->fast_plen, f.len - ps->fast_plen};
		q->dst[q->nfast++] = ps->fast;
		return;
	}
	/* Whatever the link does with this frame, the data before it goes first. */
	fast_flush(q);
	struct pbuf *b = pbuf_new(PBUF_HEADROOM, f.len > PBUF_SIZE ? f.len : PBUF_SIZE);
	if (b == NULL || pbuf_append(b, f.payload, f.len) < 0) {
		pbuf_free(b);
		return;
	}
	pppoe_link_input(ps, b);
}

/* recvmmsg calls per wakeup: enough to drain a burst without one epoll round each. */
#define RX_CALLS 4

static int sess_batch(struct pppoe_if *ifp, evutil_socket_t fd)
{
	struct pppoe_rxq *q = ifp->rxq;

	for (unsigned i = 0; i < RX_BURST; i++) {
		q->iov[i] = (struct iovec){q->buf[i], sizeof(q->buf[i])};
		q->msg[i].msg_hdr = (struct msghdr){.msg_name = &q->sll[i], .msg_namelen = sizeof(q->sll[i]),
						    .msg_iov = &q->iov[i], .msg_iovlen = 1};
	}
	int n = recvmmsg(fd, q->msg, RX_BURST, MSG_DONTWAIT, NULL);
	for (int i = 0; i < n && ifp->refs > 0; i++) {
		struct pktring_frame rf = {q->buf[i], q->msg[i].msg_len,
					      (q->msg[i].msg_hdr.msg_flags & MSG_TRUNC) != 0, q->sll[i].sll_pkttype};
		sess_one(ifp, q, &rf);
	}
	/* The buffers are reused by the next call: everything in them goes out now. */
	fast_flush(q);
	return n;
}

/* Blocks per wakeup: a block may hold over a thousand small frames. */
#define RX_BLOCKS 4

/* Every frame of up to RX_BLOCKS ring blocks; each block goes back once its packets are written. */
static void sess_ring(struct pppoe_if *ifp)
{
	struct pppoe_rxq *q = ifp->rxq;
	void *blk;

	for (int c = 0; c < RX_BLOCKS && ifp->refs > 0 && (blk = pktring_block(&q->ring)) != NULL; c++) {
		const void *cur = NULL;
		unsigned left = pktring_count(blk);
		struct pktring_frame rf;
		while (ifp->refs > 0 && pktring_next(&q->ring, blk, &cur, &left, &rf))
			sess_one(ifp, q, &rf);
		fast_flush(q);
		pktring_release(&q->ring, blk);
	}
}

static void sess_read(evutil_socket_t fd, short what, void *arg)
{
	struct pppoe_if *ifp = arg;
	(void)what;

	ifp->busy++;
	if (ifp->rxq->ring.mem != NULL)
		sess_ring(ifp);
	else
		for (int c = 0; c < RX_CALLS && ifp->refs > 0; c++)
			if (sess_batch(ifp, fd) < RX_BURST)
				break;
	if (--ifp->busy == 0 && ifp->refs == 0)
		if_free(ifp);
}

static int if_open(struct pppoe_if *ifp, struct event_base *base, const char **err)
{
	if ((ifp->disc_fd = if_socket(ifp, ETH_P_PPP_DISC, err)) < 0 ||
	    (ifp->sess_fd = if_socket(ifp, ETH_P_PPP_SES, err)) < 0 || if_hwinfo(ifp, err) < 0)
		return -1;
	int rcv = 4 << 20;
	(void)setsockopt(ifp->sess_fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	/* The fast path sends a whole 64 KiB super-packet's frames in one go. */
	(void)setsockopt(ifp->sess_fd, SOL_SOCKET, SO_SNDBUF, &rcv, sizeof(rcv));
	/* No PACKET_QDISC_BYPASS: it would hide our session frames from tcpdump. */
	if ((ifp->rxq = calloc(1, sizeof(*ifp->rxq))) == NULL) {
		*err = "out of memory";
		return -1;
	}
	ifp->rxq->nfast = 0;
	/* MPD_PPPOE_RING=0 in the environment keeps recvmmsg, for A/B runs. */
	const char *e = getenv("MPD_PPPOE_RING");
	if ((e == NULL || strcmp(e, "0") != 0) && pktring_open(&ifp->rxq->ring, ifp->sess_fd) < 0)
		log_msg(LG_PHYS2, ifp->name, "PPPoE: no receive ring (%s), frames read one call per batch",
			strerror(errno));
	if (htab_init(&ifp->sessions, rand_u64()) < 0 || htab_init(&ifp->uniqs, rand_u64()) < 0 ||
	    htab_init(&ifp->dups, rand_u64()) < 0) {
		*err = "out of memory";
		return -1;
	}
	idmap16_init(&ifp->sids, (uint16_t)rand_u32());
	ifp->disc_ev = event_new(base, ifp->disc_fd, EV_READ | EV_PERSIST, disc_read, ifp);
	ifp->sess_ev = event_new(base, ifp->sess_fd, EV_READ | EV_PERSIST, sess_read, ifp);
	if (ifp->disc_ev == NULL || ifp->sess_ev == NULL || event_add(ifp->disc_ev, NULL) < 0 ||
	    event_add(ifp->sess_ev, NULL) < 0) {
		*err = "cannot add socket events";
		return -1;
	}
	return 0;
}

struct pppoe_if *pppoe_if_get(struct pppoe_reg *reg, const char *name, struct event_base *base,
			      const char **err)
{
	struct pppoe_if *ifp;

	LIST_FOREACH(ifp, &reg->ifs, entry)
		if (strcmp(ifp->name, name) == 0) {
			ifp->refs++;
			return ifp;
		}
	if (strlen(name) == 0 || strlen(name) >= IFNAMSIZ) {
		*err = "bad interface name";
		return NULL;
	}
	if ((ifp = calloc(1, sizeof(*ifp))) == NULL) {
		*err = "out of memory";
		return NULL;
	}
	ifp->reg = reg;
	ifp->disc_fd = ifp->sess_fd = -1;
	strcpy(ifp->name, name);
	TAILQ_INIT(&ifp->listeners);
	if (if_open(ifp, base, err) < 0) {
		if_free(ifp);
		return NULL;
	}
	ifp->refs = 1;
	LIST_INSERT_HEAD(&reg->ifs, ifp, entry);
	log_msg(LG_PHYS2, ifp->name, "PPPoE: interface opened (index %d, MTU %u)", ifp->ifindex, ifp->mtu);
	return ifp;
}

void pppoe_if_put(struct pppoe_if *ifp)
{
	if (ifp == NULL || ifp->refs == 0 || --ifp->refs > 0)
		return;
	LIST_REMOVE(ifp, entry);
	log_msg(LG_PHYS2, ifp->name, "PPPoE: interface closed");
	/* Inside its own read callback the memory is still in use: that frees it. */
	if (ifp->busy == 0)
		if_free(ifp);
	else {
		event_del(ifp->disc_ev);
		event_del(ifp->sess_ev);
	}
}
