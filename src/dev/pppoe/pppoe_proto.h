/*
 * PPPoE wire format (RFC 2516, RFC 4638, RFC 4937, TR-101 vendor tag):
 * Ethernet + PPPoE headers and discovery tags. Pure codec, no sockets.
 */
#ifndef MPD_PPPOE_PROTO_H
#define MPD_PPPOE_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PPPOE_ETH_ALEN 6
#define PPPOE_ETH_HLEN 14
#define PPPOE_HLEN 6
#define PPPOE_VERTYPE 0x11
#define PPPOE_ETHERTYPE_DISC 0x8863
#define PPPOE_ETHERTYPE_SESS 0x8864
/* Largest Ethernet payload a discovery packet may use (RFC 2516 §5). */
#define PPPOE_DISC_MAX 1500
/* Default PPP MRU over PPPoE: 1500 minus the 6-byte header and 2-byte protocol. */
#define PPPOE_MRU_DEFAULT 1492
/* DSL Forum enterprise number in the Vendor-Specific tag (TR-101). */
#define PPPOE_DSLF_VENDOR 3561
#define PPPOE_DSLF_CIRCUIT_ID 0x01
#define PPPOE_DSLF_REMOTE_ID 0x02

enum pppoe_code {
	PPPOE_SESSION = 0x00,
	PPPOE_PADO = 0x07,
	PPPOE_PADI = 0x09,
	PPPOE_PADR = 0x19,
	PPPOE_PADS = 0x65,
	PPPOE_PADT = 0xa7,
	PPPOE_PADM = 0xd3,
	PPPOE_PADN = 0xd4,
};

enum pppoe_tag_type {
	PPPOE_TAG_EOL = 0x0000,
	PPPOE_TAG_SERVICE = 0x0101,
	PPPOE_TAG_AC_NAME = 0x0102,
	PPPOE_TAG_HOST_UNIQ = 0x0103,
	PPPOE_TAG_AC_COOKIE = 0x0104,
	PPPOE_TAG_VENDOR = 0x0105,
	PPPOE_TAG_RELAY_SID = 0x0110,
	PPPOE_TAG_HURL = 0x0111,
	PPPOE_TAG_MOTM = 0x0112,
	PPPOE_TAG_MAX_PAYLOAD = 0x0120,
	PPPOE_TAG_SERVICE_ERR = 0x0201,
	PPPOE_TAG_AC_SYS_ERR = 0x0202,
	PPPOE_TAG_GENERIC_ERR = 0x0203,
};

/* A byte string inside a packet (parse) or supplied by the caller (build). */
struct pppoe_blob {
	const uint8_t *p;
	size_t len;
	bool set;
};

/* Ethernet and PPPoE headers of a received frame. */
struct pppoe_frame {
	uint8_t dst[PPPOE_ETH_ALEN];
	uint8_t src[PPPOE_ETH_ALEN];
	uint16_t ethertype;
	uint8_t code;
	uint16_t sid;
	const uint8_t *payload; /* PPPoE payload: tags or a PPP frame */
	size_t len;             /* from the PPPoE length field; Ethernet padding excluded */
};

/* The tags of a discovery packet we know about; unknown tags are skipped. */
struct pppoe_disc {
	struct pppoe_blob service; /* first Service-Name */
	unsigned nservice;         /* how many Service-Name tags */
	struct pppoe_blob acname;
	struct pppoe_blob host_uniq;
	struct pppoe_blob cookie;
	struct pppoe_blob relay_sid;
	struct pppoe_blob service_err;
	struct pppoe_blob ac_sys_err;
	struct pppoe_blob generic_err;
	struct pppoe_blob hurl;
	struct pppoe_blob motm;
	struct pppoe_blob circuit_id; /* DSL Forum Agent-Circuit-Id */
	struct pppoe_blob remote_id;  /* DSL Forum Agent-Remote-Id */
	bool has_max_payload;
	uint16_t max_payload;
	/* Build only: more Service-Name tags after the first (PADO offers). */
	const struct pppoe_blob *more_services;
	unsigned nmore_services;
};

/* Cursor over the tags of a discovery payload. */
struct pppoe_tag_iter {
	const uint8_t *p;
	size_t left;
};

/* One tag as found in a packet. */
struct pppoe_tag {
	uint16_t type;
	uint16_t len;
	const uint8_t *val;
};

/* A frame being built in a caller's buffer; overflow sticks until finish. */
struct pppoe_buf {
	uint8_t *p;
	size_t cap;
	size_t len;
	bool overflow;
};

/* Parse Ethernet + PPPoE headers of a frame of n bytes; 0, or -1 with *why set. */
int pppoe_frame_parse(const uint8_t *p, size_t n, struct pppoe_frame *f, const char **why);
/* Start iterating the tags of payload (len bytes). */
void pppoe_tag_iter_init(struct pppoe_tag_iter *it, const uint8_t *payload, size_t len);
/* Next tag: 1 when *t is set, 0 at the end (or End-Of-List), -1 when malformed. */
int pppoe_tag_next(struct pppoe_tag_iter *it, struct pppoe_tag *t);
/* Collect the known tags of a discovery payload; 0, or -1 with *why set when malformed. */
int pppoe_disc_parse(const uint8_t *payload, size_t len, struct pppoe_disc *d, const char **why);
/* True when some Service-Name tag of the payload equals name (already validated payload). */
bool pppoe_disc_has_service(const uint8_t *payload, size_t len, const uint8_t *name, size_t nlen);
/* Extract DSL Forum Agent-Circuit-Id/Remote-Id from one Vendor-Specific tag value; -1 malformed. */
int pppoe_vendor_parse(const uint8_t *val, size_t len, struct pppoe_blob *cid, struct pppoe_blob *rid);
/* Name of a discovery code for log lines ("PADI", ..., "code 0x42"). */
const char *pppoe_code_name(uint8_t code, char *buf, size_t len);

/* Begin a frame: Ethernet header with ethertype, PPPoE header with code and sid. */
void pppoe_buf_start(struct pppoe_buf *b, uint8_t *mem, size_t cap, const uint8_t dst[PPPOE_ETH_ALEN],
		     const uint8_t src[PPPOE_ETH_ALEN], uint16_t ethertype, uint8_t code, uint16_t sid);
/* Append one tag. */
void pppoe_buf_tag(struct pppoe_buf *b, uint16_t type, const void *val, size_t len);
/* Append a DSL Forum Vendor-Specific tag carrying the ids that are set. */
void pppoe_buf_vendor_dslf(struct pppoe_buf *b, const struct pppoe_blob *cid, const struct pppoe_blob *rid);
/* Fill in the PPPoE length; the frame length, or 0 on overflow or a discovery payload over 1500. */
size_t pppoe_buf_finish(struct pppoe_buf *b);
/* Build a whole discovery frame with the tags of d that are set; frame length or 0. */
size_t pppoe_disc_build(uint8_t *mem, size_t cap, const uint8_t dst[PPPOE_ETH_ALEN],
			const uint8_t src[PPPOE_ETH_ALEN], uint8_t code, uint16_t sid,
			const struct pppoe_disc *d);
/* PADI to broadcast: Service-Name (always), Host-Uniq, Max-Payload, Relay from d; frame length or 0. */
size_t pppoe_build_padi(uint8_t *mem, size_t cap, const uint8_t src[PPPOE_ETH_ALEN], const struct pppoe_disc *d);
/* PADO: needs acname and service in d; frame length or 0. */
size_t pppoe_build_pado(uint8_t *mem, size_t cap, const uint8_t dst[PPPOE_ETH_ALEN],
			const uint8_t src[PPPOE_ETH_ALEN], const struct pppoe_disc *d);
/* PADR: needs service in d; frame length or 0. */
size_t pppoe_build_padr(uint8_t *mem, size_t cap, const uint8_t dst[PPPOE_ETH_ALEN],
			const uint8_t src[PPPOE_ETH_ALEN], const struct pppoe_disc *d);
/* PADS with session id (0 with an error tag to refuse); frame length or 0. */
size_t pppoe_build_pads(uint8_t *mem, size_t cap, const uint8_t dst[PPPOE_ETH_ALEN],
			const uint8_t src[PPPOE_ETH_ALEN], uint16_t sid, const struct pppoe_disc *d);
/* PADT for session sid; d may be NULL; frame length or 0. */
size_t pppoe_build_padt(uint8_t *mem, size_t cap, const uint8_t dst[PPPOE_ETH_ALEN],
			const uint8_t src[PPPOE_ETH_ALEN], uint16_t sid, const struct pppoe_disc *d);
/* Write Ethernet + PPPoE session headers in front of a PPP frame of plen bytes at hdr+20. */
void pppoe_session_hdr(uint8_t *hdr, const uint8_t dst[PPPOE_ETH_ALEN], const uint8_t src[PPPOE_ETH_ALEN],
		       uint16_t sid, uint16_t plen);

#endif
