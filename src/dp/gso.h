/*
 * Segmentation of the TUN device's offloaded packets (IFF_VNET_HDR):
 * a TCP super-packet of up to 64 KiB becomes MTU-sized IP packets with
 * their own sequence numbers, IPv4 ids, lengths and checksums, as the
 * NIC would have made them, and a UDP one (USO) datagrams of gso_size; a packet left with a partial checksum
 * (VIRTIO_NET_HDR_F_NEEDS_CSUM) gets it completed. Pure: no I/O.
 */
#ifndef MPD_DP_GSO_H
#define MPD_DP_GSO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/virtio_net.h>

#include "dp/gro.h"  /* VIRTIO_NET_HDR_GSO_UDP_L4 on older headers */

/* Walks one packet read from the TUN device, one output packet at a time. */
struct gso_iter {
	const uint8_t *pkt;
	size_t len;
	bool seg;            /* segmenting; else one packet, maybe with a checksum to finish */
	bool udp;            /* segmenting UDP (else TCP) */
	bool v6;
	size_t l3, hlen;     /* IP header length; IP + TCP/UDP header length */
	size_t mss;          /* payload bytes per segment */
	size_t off;          /* payload offset of the next segment */
	unsigned idx, nsegs;
	uint32_t seq;
	uint16_t ipid;
	bool csum;           /* plain packet: complete the checksum at csum_start/csum_pos */
	size_t csum_start, csum_pos;
};

/*
 * Check the virtio-net header vh and packet pkt (len bytes, the IP
 * packet after the header) and prepare to cut it into packets of at most
 * mtu bytes. Returns how many packets gso_next will produce, or -1 when
 * the header or the packet is malformed (drop it).
 */
int gso_init(struct gso_iter *g, const struct virtio_net_hdr *vh, const uint8_t *pkt, size_t len,
	     size_t mtu);
/* Write the next packet into out (cap bytes); its length, or 0 when done or cap is short. */
size_t gso_next(struct gso_iter *g, uint8_t *out, size_t cap);

#endif
