/*
 * Coalescing for the TUN device (IFF_VNET_HDR): consecutive in-order TCP
 * segments of one flow become one super-packet the kernel takes as if a
 * NIC had done GRO, so the stack pays per 64 KiB rather than per frame;
 * with GRO_UDP, consecutive equal-sized datagrams of one UDP flow become
 * one USO super-packet (GSO_UDP_L4) the kernel cuts back into the same
 * datagrams.
 * Pure: packets are rewritten in place and described by an iovec; no I/O.
 */
#ifndef MPD_DP_GRO_H
#define MPD_DP_GRO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>
#include <linux/virtio_net.h>

#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4 5  /* older uapi headers lack it (Linux 6.2) */
#endif

/* gro_run flags. GRO_UDP: merge UDP too (the TUN device takes USO). */
#define GRO_UDP 0x1u

/* Most packets merged into one write (the iovec holds one more for the header). */
#define GRO_MAX_SEGS 48

/* One received IP packet. */
struct gro_pkt {
	uint8_t *p;
	size_t len;
};

/* How many packets from pkts[0] (at least 1, at most n) can be merged into one. */
size_t gro_run(const struct gro_pkt *pkts, size_t n, unsigned flags);
/*
 * Merge the k packets gro_run counted: rewrites pkts[0]'s IP and TCP/UDP
 * headers for the whole, fills vh and iov (k entries: pkts[0] whole, then
 * each later payload). With k == 1 the packet is untouched and vh says
 * "no offload". Returns the number of iov entries used.
 */
size_t gro_merge(struct gro_pkt *pkts, size_t k, struct virtio_net_hdr *vh, struct iovec *iov);

#endif
