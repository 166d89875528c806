/*
 * PPPoE interfaces: one discovery and one session AF_PACKET socket per
 * Ethernet interface, shared by every link on it, opened with the first
 * user and closed with the last. rtnetlink tells us when the interface
 * changes under us (net/nl_watch.h).
 */
#include <errno.h>
#include <stdio.h>
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
#include "net/nl_watch.h"


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

/*
 * The receive ring goes on before the bind. Set on a bound socket, the
 * kernel unhooks it for a moment and hooks it again only if it was
 * running: an interface coming up in that moment leaves the socket deaf
 * for good (seen when an interface returns and is brought up at once).
 */
static void if_ring(struct pppoe_if *ifp, int fd, struct pktring *ring)
{
	/* MPD_PPPOE_RING=0 in the environment keeps recvmmsg, for A/B runs. */
	const char *e = getenv("MPD_PPPOE_RING");

	if ((e == NULL || strcmp(e, "0") != 0) && pktring_open(ring, fd) < 0)
		log_msg(LG_PHYS2, ifp->name, "PPPoE: no receive ring (%s), frames read one call per batch",
			strerror(errno));
}

/* A packet socket for proto on ifp's interface (with a receive ring when ring is not NULL). */
static int if_socket(struct pppoe_if *ifp, uint16_t proto, struct pktring *ring, const char **err)
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
	if (ring != NULL)
		if_ring(ifp, fd, ring);
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

static bool flags_running(unsigned flags)
{
	return (flags & IFF_UP) && (flags & IFF_RUNNING);
}

static unsigned if_read_mtu(struct pppoe_if *ifp);

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
	if_req(ifp, &ifr);
	ifp->running = ioctl(ifp->disc_fd, SIOCGIFFLAGS, &ifr) == 0 &&
		       flags_running((unsigned)(unsigned short)ifr.ifr_flags);
	if_read_mtu(ifp);
	return 0;
}

/* Ask the kernel: at attach, and whenever interface changes are not followed. */
static unsigned if_read_mtu(struct pppoe_if *ifp)
{
	struct ifreq ifr;

	if_req(ifp, &ifr);
	if (ioctl(ifp->disc_fd, SIOCGIFMTU, &ifr) == 0 && ifr.ifr_mtu > 0)
		ifp->mtu = (unsigned)ifr.ifr_mtu;
	else if (ifp->mtu == 0)
		ifp->mtu = 1500;
	return ifp->mtu;
}

unsigned pppoe_if_mtu(struct pppoe_if *ifp)
{
	/* The rtnetlink watch keeps ifp->mtu current, so a PADR costs no ioctl. */
	if (ifp->reg->watch != NULL && ifp->mtu != 0)
		return ifp->mtu;
	return if_read_mtu(ifp);
}

/* The PPPoE header and the PPP protocol field: a PPP MTU is the Ethernet MTU less these (RFC 4638). */
#define PPPOE_OVERHEAD (PPPOE_HLEN + 2)

unsigned pppoe_if_session_mtu(struct pppoe_if *ifp, unsigned mtu)
{
	unsigned ifmtu = pppoe_if_mtu(ifp);

	/* A frame the Ethernet interface cannot carry would be dropped without a word. */
	if (ifmtu > PPPOE_OVERHEAD + 64 && mtu + PPPOE_OVERHEAD > ifmtu)
		return ifmtu - PPPOE_OVERHEAD;
	return mtu;
}

void pppoe_if_use(struct pppoe_if *ifp, struct pppoe_link *ps)
{
	if (ps->in_users)
		return;
	TAILQ_INSERT_TAIL(&ifp->users, ps, uentry);
	ps->in_users = true;
}

void pppoe_if_unuse(struct pppoe_link *ps)
{
	if (!ps->in_users || ps->ifp == NULL)
		return;
	TAILQ_REMOVE(&ps->ifp->users, ps, uentry);
	ps->in_users = false;
}

int pppoe_if_send_disc(struct pppoe_if *ifp, const uint8_t *frame, size_t len, const char *who)
{
	if (len < PPPOE_ETH_HLEN + PPPOE_HLEN) {
		log_msg(LG_PHYS2, who, "PPPoE: discovery packet did not fit, not sent");
		return -1;
	}
	if (ifp->gone) {
		log_msg(LG_PHYS2, who, "PPPoE: %s does not exist, discovery packet not sent", ifp->name);
		return -1;
	}
	pppoe_log_disc(who, "send", ifp, frame[15], (uint16_t)(frame[16] << 8 | frame[17]), frame);
	if (send(ifp->disc_fd, frame, len, MSG_DONTWAIT) < 0) {
		log_msg(LG_PHYS2, who, "PPPoE: send on %s: %s", ifp->name, strerror(errno));
		return -1;
	}
	return 0;
}

/* Close the sockets; the tables and the links listening stay. */
static void if_detach(struct pppoe_if *ifp)
{
	pppoe_server_pado_flush(ifp);
	if (ifp->disc_ev != NULL)
		event_free(ifp->disc_ev);
	if (ifp->sess_ev != NULL)
		event_free(ifp->sess_ev);
	if (ifp->disc_fd >= 0)
		close(ifp->disc_fd);
	if (ifp->sess_fd >= 0)
		close(ifp->sess_fd);
	if (ifp->rxq != NULL)
		pktring_close(&ifp->rxq->ring);
	free(ifp->rxq);
	ifp->disc_ev = ifp->sess_ev = NULL;
	ifp->disc_fd = ifp->sess_fd = -1;
	ifp->rxq = NULL;
}

static void if_free(struct pppoe_if *ifp)
{
	if_detach(ifp);
	htab_free(&ifp->sessions);
	htab_free(&ifp->uniqs);
	htab_free(&ifp->dups);
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
static int sess_ring(struct pppoe_if *ifp)
{
	struct pppoe_rxq *q = ifp->rxq;
	void *blk;
	int c;

	for (c = 0; c < RX_BLOCKS && ifp->refs > 0 && (blk = pktring_block(&q->ring)) != NULL; c++) {
		const void *cur = NULL;
		unsigned left = pktring_count(blk);
		struct pktring_frame rf;
		while (ifp->refs > 0 && pktring_next(&q->ring, blk, &cur, &left, &rf))
			sess_one(ifp, q, &rf);
		fast_flush(q);
		pktring_release(&q->ring, blk);
	}
	return c;
}

/*
 * The kernel flags a packet socket with ENETDOWN when its interface goes
 * down. Only a receive call clears that, and with a ring we make none:
 * the socket would stay readable and the loop spin until the link returns.
 */
static void sess_clear_error(struct pppoe_if *ifp, evutil_socket_t fd)
{
	int e = 0;
	socklen_t el = sizeof(e);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) == 0 && e != 0)
		log_msg(LG_PHYS2, ifp->name, "PPPoE: session socket: %s", strerror(e));
}

static void sess_read(evutil_socket_t fd, short what, void *arg)
{
	struct pppoe_if *ifp = arg;
	(void)what;

	ifp->busy++;
	if (ifp->rxq->ring.mem != NULL) {
		if (sess_ring(ifp) == 0)
			sess_clear_error(ifp, fd);
	} else
		for (int c = 0; c < RX_CALLS && ifp->refs > 0; c++)
			if (sess_batch(ifp, fd) < RX_BURST)
				break;
	if (--ifp->busy == 0 && ifp->refs == 0)
		if_free(ifp);
}

/* Open the sockets on the interface that now has ifp's name. */
static int if_attach(struct pppoe_if *ifp, const char **err)
{
	struct event_base *base = ifp->base;

	if ((ifp->rxq = calloc(1, sizeof(*ifp->rxq))) == NULL) {
		*err = "out of memory";
		return -1;
	}
	ifp->rxq->nfast = 0;
	if ((ifp->disc_fd = if_socket(ifp, ETH_P_PPP_DISC, NULL, err)) < 0 ||
	    (ifp->sess_fd = if_socket(ifp, ETH_P_PPP_SES, &ifp->rxq->ring, err)) < 0 || if_hwinfo(ifp, err) < 0)
		return -1;
	int rcv = 4 << 20;
	(void)setsockopt(ifp->sess_fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	/* The fast path sends a whole 64 KiB super-packet's frames in one go. */
	(void)setsockopt(ifp->sess_fd, SOL_SOCKET, SO_SNDBUF, &rcv, sizeof(rcv));
	/* No PACKET_QDISC_BYPASS: it would hide our session frames from tcpdump. */
	ifp->disc_ev = event_new(base, ifp->disc_fd, EV_READ | EV_PERSIST, disc_read, ifp);
	ifp->sess_ev = event_new(base, ifp->sess_fd, EV_READ | EV_PERSIST, sess_read, ifp);
	if (ifp->disc_ev == NULL || ifp->sess_ev == NULL || event_add(ifp->disc_ev, NULL) < 0 ||
	    event_add(ifp->sess_ev, NULL) < 0) {
		*err = "cannot add socket events";
		return -1;
	}
	return 0;
}

/* The session tables live as long as ifp: sessions ids stay unique across a re-attach. */
static int if_tables(struct pppoe_if *ifp, const char **err)
{
	if (htab_init(&ifp->sessions, rand_u64()) < 0 || htab_init(&ifp->uniqs, rand_u64()) < 0 ||
	    htab_init(&ifp->dups, rand_u64()) < 0) {
		*err = "out of memory";
		return -1;
	}
	idmap16_init(&ifp->sids, (uint16_t)rand_u32());
	return 0;
}

static void if_event(const struct nl_link_event *ev, void *arg);
static void if_recheck(struct pppoe_reg *reg);

/* Interface changes are followed from the first interface opened. */
static void watch_start(struct pppoe_reg *reg, struct event_base *base)
{
	if (reg->watch != NULL)
		return;
	reg->watch = nl_watch_open(base, if_event, reg);
	if (reg->watch == NULL)
		log_msg(LG_ERR, NULL, "PPPoE: cannot follow interface changes (rtnetlink): %s", strerror(errno));
}

/* A gone interface is opened again by name, when it exists again. */
static int if_reattach(struct pppoe_if *ifp, const char **err)
{
	if (if_attach(ifp, err) < 0) {
		if_detach(ifp);
		return -1;
	}
	ifp->gone = false;
	return 0;
}

struct pppoe_if *pppoe_if_get(struct pppoe_reg *reg, const char *name, struct event_base *base,
			      const char **err)
{
	struct pppoe_if *ifp;

	LIST_FOREACH(ifp, &reg->ifs, entry)
		if (strcmp(ifp->name, name) == 0) {
			if (ifp->gone && if_reattach(ifp, err) < 0)
				return NULL;
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
	ifp->base = base;
	ifp->disc_fd = ifp->sess_fd = -1;
	strcpy(ifp->name, name);
	TAILQ_INIT(&ifp->listeners);
	TAILQ_INIT(&ifp->users);
	/* Subscribed before the sockets open: no change after the open goes unseen. */
	watch_start(reg, base);
	if (if_tables(ifp, err) < 0 || if_attach(ifp, err) < 0) {
		if_free(ifp);
		if (LIST_EMPTY(&reg->ifs)) {
			nl_watch_free(reg->watch);
			reg->watch = NULL;
		}
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
	if (LIST_EMPTY(&ifp->reg->ifs)) {
		nl_watch_free(ifp->reg->watch);
		ifp->reg->watch = NULL;
	}
	/* Inside its own read callback the memory is still in use: that frees it. */
	if (ifp->busy == 0) {
		if_free(ifp);
	} else if (ifp->disc_ev != NULL) {
		event_del(ifp->disc_ev);
		event_del(ifp->sess_ev);
	}
}

/*
 * Following the interface. Each handler below may end sessions, and the
 * link layer may then close or destroy other links and drop references to
 * any interface: so no handler walks a list across such a call, and the
 * caller holds a reference to ifp meanwhile.
 */

static const char *mac_text(const uint8_t m[PPPOE_ETH_ALEN], char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

static unsigned count_users(const struct pppoe_if *ifp)
{
	const struct pppoe_link *ps;
	unsigned n = 0;

	TAILQ_FOREACH(ps, &ifp->users, uentry)
		n++;
	return n;
}

/* The interface went away (or was renamed): nothing can be sent or received on its sockets any more. */
static void if_lost(struct pppoe_if *ifp, const char *why)
{
	char reason[96];
	struct pppoe_link *ps;

	/* The data path must not write to the session socket's number once it is closed (and reused). */
	TAILQ_FOREACH(ps, &ifp->users, uentry)
		if (ps->fast != NULL) {
			dp_iface_unbind(ps->fast);
			ps->fast = NULL;
		}
	if_detach(ifp);
	ifp->gone = true;
	ifp->ifindex = 0;
	ifp->running = false;
	ifp->master = 0;
	log_msg(LG_ERR, ifp->name, "PPPoE: interface %s %s: %u session(s) and call(s) closed%s", ifp->name, why,
		count_users(ifp), TAILQ_EMPTY(&ifp->listeners) ? "" : "; listening resumes when it returns");
	snprintf(reason, sizeof(reason), "PPPoE interface %s %s", ifp->name, why);
	/* No PADT: there is no interface to send it on. */
	while ((ps = TAILQ_FIRST(&ifp->users)) != NULL)
		pppoe_link_end(ps, false, reason);
}

static void if_back(struct pppoe_if *ifp)
{
	const char *err = NULL;

	if (if_reattach(ifp, &err) < 0) {
		/* Another change of the interface (it coming up, say) will try again. */
		log_msg(LG_PHYS, ifp->name, "PPPoE: interface %s is back but cannot be opened yet: %s", ifp->name, err);
		return;
	}
	log_msg(LG_PHYS, ifp->name, "PPPoE: interface %s is back (index %d, MTU %u)%s", ifp->name, ifp->ifindex,
		ifp->mtu, TAILQ_EMPTY(&ifp->listeners) ? "" : ", listening again");
}

static struct pppoe_link *first_session(struct pppoe_if *ifp)
{
	struct pppoe_link *ps;

	TAILQ_FOREACH(ps, &ifp->users, uentry)
		if (ps->sid != 0 && (ps->state == PPPOE_READY || ps->state == PPPOE_UP))
			return ps;
	return NULL;
}

/*
 * Peers know a session by our MAC and its id (and a Linux client drops
 * session frames from any other source), so a session does not survive
 * our address changing. Each is told with a PADT from the address it
 * knows, so it can call again at once, and is closed.
 */
static void if_new_mac(struct pppoe_if *ifp, const uint8_t mac[PPPOE_ETH_ALEN])
{
	uint8_t old[PPPOE_ETH_ALEN], frame[PPPOE_ETH_HLEN + PPPOE_HLEN];
	char a[24], b[24];
	struct pppoe_link *ps;
	unsigned n = 0;

	memcpy(old, ifp->mac, PPPOE_ETH_ALEN);
	memcpy(ifp->mac, mac, PPPOE_ETH_ALEN);
	TAILQ_FOREACH(ps, &ifp->users, uentry)
		n += ps->sid != 0 && (ps->state == PPPOE_READY || ps->state == PPPOE_UP);
	log_msg(LG_PHYS, ifp->name, "PPPoE: %s MAC address changed from %s to %s: %u session(s) closed",
		ifp->name, mac_text(old, a, sizeof(a)), mac_text(mac, b, sizeof(b)), n);
	/* A PADR carries the cookie the concentrator made for our old address: begin again. */
	TAILQ_FOREACH(ps, &ifp->users, uentry)
		if (ps->state == PPPOE_PADR_SENT)
			pppoe_client_rediscover(ps);
	while ((ps = first_session(ifp)) != NULL) {
		size_t len = pppoe_build_padt(frame, sizeof(frame), ps->peer, old, ps->sid, NULL);
		pppoe_if_send_disc(ifp, frame, len, link_name(ps->l));
		pppoe_link_end(ps, false, "PPPoE interface MAC address changed");
	}
}

/* Sessions keep the MTU LCP agreed; the next ones are sized for the new one. */
static void if_new_mtu(struct pppoe_if *ifp, unsigned mtu)
{
	log_msg(LG_PHYS, ifp->name, "PPPoE: %s MTU changed from %u to %u", ifp->name, ifp->mtu, mtu);
	ifp->mtu = mtu;
}

/*
 * Carrier loss or an administrative down keeps the sessions, as mpd5 does:
 * LCP keep-alives decide whether one outlived the interruption.
 */
static void if_new_state(struct pppoe_if *ifp, bool running)
{
	if (running == ifp->running)
		return;
	ifp->running = running;
	if (running)
		log_msg(LG_PHYS, ifp->name, "PPPoE: %s link up", ifp->name);
	else
		log_msg(LG_PHYS, ifp->name, "PPPoE: %s link down: %u session(s) kept, keep-alives decide", ifp->name,
			count_users(ifp));
}

/* A port of a bridge or bond hands its frames to that interface: our sockets on the port hear nothing. */
static void if_new_master(struct pppoe_if *ifp, unsigned master)
{
	if (master == ifp->master)
		return;
	ifp->master = master;
	if (master != 0)
		log_msg(LG_ERR, ifp->name, "PPPoE: %s is now a port of interface index %u, which receives its "
			"frames: nothing reaches PPPoE on %s; set pppoe iface to that interface", ifp->name, master,
			ifp->name);
	else
		log_msg(LG_PHYS, ifp->name, "PPPoE: %s is no longer a bridge or bond port", ifp->name);
}

static void if_changed(struct pppoe_if *ifp, const struct nl_link_event *ev)
{
	if (ev->addr_len == PPPOE_ETH_ALEN && memcmp(ev->addr, ifp->mac, PPPOE_ETH_ALEN) != 0)
		if_new_mac(ifp, ev->addr);
	if (ev->mtu != 0 && ev->mtu != ifp->mtu)
		if_new_mtu(ifp, ev->mtu);
	if_new_state(ifp, flags_running(ev->flags));
	if_new_master(ifp, ev->master);
}

static struct pppoe_if *if_by_index(struct pppoe_reg *reg, int ifindex)
{
	struct pppoe_if *ifp;

	LIST_FOREACH(ifp, &reg->ifs, entry)
		if (!ifp->gone && ifp->ifindex == ifindex)
			return ifp;
	return NULL;
}

static struct pppoe_if *if_by_name(struct pppoe_reg *reg, const char *name)
{
	struct pppoe_if *ifp;

	LIST_FOREACH(ifp, &reg->ifs, entry)
		if (strcmp(ifp->name, name) == 0)
			return ifp;
	return NULL;
}

/* One event for the interface we know by its index (ifp, held by the caller). */
static void if_event_known(struct pppoe_if *ifp, const struct nl_link_event *ev)
{
	char why[IFNAMSIZ + 16];

	if (ev->gone) {
		if_lost(ifp, "went away");
	} else if (ev->name[0] != '\0' && strcmp(ev->name, ifp->name) != 0) {
		/* The configuration names the interface: a renamed one is not ours any more. */
		snprintf(why, sizeof(why), "renamed to %s", ev->name);
		if_lost(ifp, why);
	} else {
		if_changed(ifp, ev);
	}
}

static void if_event(const struct nl_link_event *ev, void *arg)
{
	struct pppoe_reg *reg = arg;
	struct pppoe_if *ifp;

	if (ev == NULL) {
		if_recheck(reg);
		return;
	}
	if ((ifp = if_by_index(reg, ev->ifindex)) != NULL) {
		ifp->refs++;
		if_event_known(ifp, ev);
		pppoe_if_put(ifp);
	}
	/*
	 * An interface with a name we use: one we wait for, or a new holder
	 * of the name whose old one we missed going (events lost).
	 */
	if (!ev->gone && ev->name[0] != '\0' && (ifp = if_by_name(reg, ev->name)) != NULL &&
	    (ifp->gone || ifp->ifindex != ev->ifindex)) {
		ifp->refs++;
		if (!ifp->gone)
			if_lost(ifp, "was replaced");
		if_back(ifp);
		pppoe_if_put(ifp);
	}
}

/* What the kernel says of the interface called ifp->name now, as an event would; -1 when it cannot tell. */
static int if_probe(const struct pppoe_if *ifp, struct nl_link_event *ev)
{
	struct ifreq ifr;
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	memset(ev, 0, sizeof(*ev));
	snprintf(ev->name, sizeof(ev->name), "%s", ifp->name);
	if (fd < 0)
		return -1;
	if_req(ifp, &ifr);
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0) {
		int e = errno;
		close(fd);
		/* Only "no such device" is news; any other failure must not close sessions on a guess. */
		ev->gone = true;
		return e == ENODEV ? 0 : -1;
	}
	ev->ifindex = ifr.ifr_ifindex;
	if_req(ifp, &ifr);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) == 0 && ifr.ifr_hwaddr.sa_family == 1 /* ARPHRD_ETHER */) {
		memcpy(ev->addr, ifr.ifr_hwaddr.sa_data, PPPOE_ETH_ALEN);
		ev->addr_len = PPPOE_ETH_ALEN;
	}
	if_req(ifp, &ifr);
	if (ioctl(fd, SIOCGIFMTU, &ifr) == 0 && ifr.ifr_mtu > 0)
		ev->mtu = (unsigned)ifr.ifr_mtu;
	if_req(ifp, &ifr);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0)
		ev->flags = (unsigned)(unsigned short)ifr.ifr_flags;
	ev->master = ifp->master; /* no ioctl tells it; the next event will */
	close(fd);
	return 0;
}

/* After lost events: compare every interface we use with what the kernel says now. */
static void if_recheck(struct pppoe_reg *reg)
{
	struct pppoe_if *ifp;
	struct nl_link_event ev;

	LIST_FOREACH(ifp, &reg->ifs, entry)
		ifp->checked = false;
	for (;;) {
		/* From the head each time: handling one interface may close others. */
		LIST_FOREACH(ifp, &reg->ifs, entry)
			if (!ifp->checked)
				break;
		if (ifp == NULL)
			return;
		ifp->checked = true;
		if (if_probe(ifp, &ev) < 0)
			continue;
		ifp->refs++;
		if (!ifp->gone && (ev.gone || ev.ifindex != ifp->ifindex))
			if_lost(ifp, ev.gone ? "went away" : "was replaced");
		else if (!ifp->gone)
			if_changed(ifp, &ev);
		if (ifp->gone && !ev.gone)
			if_back(ifp);
		pppoe_if_put(ifp);
	}
}
