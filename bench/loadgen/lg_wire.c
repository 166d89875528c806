/*
 * The generator's one AF_PACKET socket: a classic BPF filter keeps only the
 * two PPPoE ethertypes, the interface is promiscuous so frames to every
 * session MAC arrive, and a session is found from the destination MAC
 * itself (its low three bytes are the session index).
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/socket.h>

#include "loadgen.h"

#define LG_BATCH 64
#define LG_FRAME_MAX 2048

static int wire_filter(int fd)
{
	/* Accept ethertype 0x8863 or 0x8864, drop the rest in the kernel. */
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PPPOE_ETHERTYPE_DISC, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PPPOE_ETHERTYPE_SESS, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = {.len = sizeof(code) / sizeof(code[0]), .filter = code};
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

static int wire_setup(struct lg *g, int fd)
{
	int one = 1, big = 8 << 20;
	struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				  .sll_ifindex = g->ifindex};
	struct packet_mreq mr = {.mr_ifindex = g->ifindex, .mr_type = PACKET_MR_PROMISC};

	if (wire_filter(fd) < 0 || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0)
		return -1;
	/* Our own transmissions would otherwise come back to us. */
	(void)setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	/* Bursts of thousands of setups: a deep queue rather than drops. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big));
	return 0;
}

int lg_wire_open(struct lg *g)
{
	g->ifindex = (int)if_nametoindex(g->conf.ifname);
	if (g->ifindex == 0) {
		fprintf(stderr, "loadgen: interface %s: %s\n", g->conf.ifname, strerror(errno));
		return -1;
	}
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd < 0 || wire_setup(g, fd) < 0) {
		fprintf(stderr, "loadgen: packet socket on %s: %s\n", g->conf.ifname, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	g->fd = fd;
	return 0;
}

struct lg_sess *lg_sess_by_mac(struct lg *g, const uint8_t mac[PPPOE_ETH_ALEN])
{
	if (memcmp(mac, g->conf.mac_base, 3) != 0)
		return NULL;
	uint32_t idx = (uint32_t)mac[3] << 16 | (uint32_t)mac[4] << 8 | mac[5];
	return idx < g->conf.n ? &g->sess[idx] : NULL;
}

static void wire_frame(struct lg *g, const uint8_t *p, size_t n)
{
	struct pppoe_frame f;
	const char *why;

	if (pppoe_frame_parse(p, n, &f, &why) < 0)
		return;
	struct lg_sess *s = lg_sess_by_mac(g, f.dst);
	if (s == NULL)
		return;
	g->st.rx_frames++;
	s->rx_seen = true;
	if (f.ethertype == PPPOE_ETHERTYPE_DISC) {
		lg_disc_input(s, &f);
		return;
	}
	/* Session frames count only from the server and session we were given. */
	if ((s->state != LG_PPP && s->state != LG_UP && s->state != LG_CLOSING) || f.code != PPPOE_SESSION ||
	    f.sid != s->sid || memcmp(f.src, s->ac, PPPOE_ETH_ALEN) != 0)
		return;
	lg_ppp_input(s, f.payload, f.len);
}

void lg_wire_read(struct lg *g)
{
	static_assert(LG_BATCH * LG_FRAME_MAX <= 256 * 1024, "batch buffer on the stack stays small");
	uint8_t buf[LG_BATCH][LG_FRAME_MAX];
	struct iovec iov[LG_BATCH];
	struct mmsghdr msg[LG_BATCH];

	for (int i = 0; i < LG_BATCH; i++) {
		iov[i] = (struct iovec){.iov_base = buf[i], .iov_len = LG_FRAME_MAX};
		msg[i] = (struct mmsghdr){.msg_hdr = {.msg_iov = &iov[i], .msg_iovlen = 1}};
	}
	/* Bounded per call so timers run between bursts. */
	for (int round = 0; round < 16; round++) {
		int got = recvmmsg(g->fd, msg, LG_BATCH, MSG_DONTWAIT, NULL);
		if (got <= 0)
			return;
		for (int i = 0; i < got; i++)
			if (!(msg[i].msg_hdr.msg_flags & MSG_TRUNC))
				wire_frame(g, buf[i], msg[i].msg_len);
		if (got < LG_BATCH)
			return;
	}
}

int lg_wire_send(struct lg *g, const uint8_t *frame, size_t len)
{
	if (len == 0)
		return -1;
	ssize_t n = send(g->fd, frame, len, MSG_DONTWAIT);
	if (n != (ssize_t)len) {
		g->st.tx_errors++;
		return -1;
	}
	g->st.tx_frames++;
	return 0;
}
