/*
 * The RADIUS codec: building, parsing, verifying and printing packets.
 * Pure: no sockets, no event loop, no logging; only core/rand (Request
 * Authenticators of Access-Requests) and Nettle (MD5, HMAC-MD5).
 *
 * Covers RFC 2865 §3-5 (packet format, User-Password hiding), RFC 2866 §3
 * (Accounting Request Authenticator), RFC 2869 §5.13/5.14 (EAP-Message,
 * Message-Authenticator), RFC 2868 §3 (tagged tunnel attributes,
 * Tunnel-Password), RFC 2548 (Microsoft VSAs, §2.4.1 MS-CHAP-MPPE-Keys,
 * §2.4.2/2.4.3 salt-encrypted MS-MPPE-Send/Recv-Key), RFC 3162 (IPv6),
 * RFC 4679 (DSL Forum VSAs) and RFC 5176 (CoA/Disconnect, Error-Cause).
 *
 * Building: rad_begin()/rad_begin_reply() over a caller-owned buffer, then
 * rad_add_*(), then rad_finish(). Every add checks room and value length;
 * a failure is returned AND remembered in the builder, so rad_finish()
 * refuses a packet any add failed on (never a silently truncated packet).
 *
 * Parsing: rad_parse() checks the header and every attribute TLV; after it
 * succeeds, the iterator and the readers never read out of bounds.
 */
#ifndef MPD_AAA_RAD_PKT_H
#define MPD_AAA_RAD_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define RAD_HDR_LEN 20        /* code, id, length, authenticator (RFC 2865 §3) */
#define RAD_AUTH_LEN 16       /* authenticator and Message-Authenticator size */
#define RAD_MAX_PKT 4096      /* largest packet (RFC 2865 §3) */
#define RAD_MAX_ATTR 253      /* largest attribute value (length octet minus 2) */
#define RAD_MAX_VSA 247       /* largest vendor sub-attribute value (253 - 4 vendor - 2) */
#define RAD_MAX_PASS 128      /* longest User-Password (RFC 2865 §5.2) */
#define RAD_MA_ATTR_LEN 18    /* Message-Authenticator attribute, type+len+16 */

/* Packet codes (RFC 2865 §3, RFC 2866 §3, RFC 5176 §3). */
enum rad_code {
	RAD_ACCESS_REQUEST = 1, RAD_ACCESS_ACCEPT = 2, RAD_ACCESS_REJECT = 3,
	RAD_ACCOUNTING_REQUEST = 4, RAD_ACCOUNTING_RESPONSE = 5,
	RAD_ACCESS_CHALLENGE = 11, RAD_STATUS_SERVER = 12, RAD_STATUS_CLIENT = 13,
	RAD_DISCONNECT_REQUEST = 40, RAD_DISCONNECT_ACK = 41, RAD_DISCONNECT_NAK = 42,
	RAD_COA_REQUEST = 43, RAD_COA_ACK = 44, RAD_COA_NAK = 45,
};

/* Standard attribute types (RFC 2865 §5, 2866 §5, 2868 §3, 2869 §5, 3162, 5176 §3.5, 6911). */
enum rad_attr_type {
	RAD_USER_NAME = 1, RAD_USER_PASSWORD = 2, RAD_CHAP_PASSWORD = 3,
	RAD_NAS_IP_ADDRESS = 4, RAD_NAS_PORT = 5, RAD_SERVICE_TYPE = 6,
	RAD_FRAMED_PROTOCOL = 7, RAD_FRAMED_IP_ADDRESS = 8, RAD_FRAMED_IP_NETMASK = 9,
	RAD_FRAMED_ROUTING = 10, RAD_FILTER_ID = 11, RAD_FRAMED_MTU = 12,
	RAD_FRAMED_COMPRESSION = 13, RAD_LOGIN_IP_HOST = 14, RAD_REPLY_MESSAGE = 18,
	RAD_CALLBACK_NUMBER = 19, RAD_FRAMED_ROUTE = 22, RAD_STATE = 24, RAD_CLASS = 25,
	RAD_VENDOR_SPECIFIC = 26, RAD_SESSION_TIMEOUT = 27, RAD_IDLE_TIMEOUT = 28,
	RAD_TERMINATION_ACTION = 29, RAD_CALLED_STATION_ID = 30, RAD_CALLING_STATION_ID = 31,
	RAD_NAS_IDENTIFIER = 32, RAD_PROXY_STATE = 33,
	RAD_ACCT_STATUS_TYPE = 40, RAD_ACCT_DELAY_TIME = 41, RAD_ACCT_INPUT_OCTETS = 42,
	RAD_ACCT_OUTPUT_OCTETS = 43, RAD_ACCT_SESSION_ID = 44, RAD_ACCT_AUTHENTIC = 45,
	RAD_ACCT_SESSION_TIME = 46, RAD_ACCT_INPUT_PACKETS = 47, RAD_ACCT_OUTPUT_PACKETS = 48,
	RAD_ACCT_TERMINATE_CAUSE = 49, RAD_ACCT_MULTI_SESSION_ID = 50, RAD_ACCT_LINK_COUNT = 51,
	RAD_ACCT_INPUT_GIGAWORDS = 52, RAD_ACCT_OUTPUT_GIGAWORDS = 53, RAD_EVENT_TIMESTAMP = 55,
	RAD_CHAP_CHALLENGE = 60, RAD_NAS_PORT_TYPE = 61, RAD_PORT_LIMIT = 62,
	RAD_TUNNEL_TYPE = 64, RAD_TUNNEL_MEDIUM_TYPE = 65, RAD_TUNNEL_CLIENT_ENDPOINT = 66,
	RAD_TUNNEL_SERVER_ENDPOINT = 67, RAD_TUNNEL_PASSWORD = 69, RAD_CONNECT_INFO = 77,
	RAD_EAP_MESSAGE = 79, RAD_MESSAGE_AUTHENTICATOR = 80, RAD_TUNNEL_PRIVATE_GROUP_ID = 81,
	RAD_TUNNEL_ASSIGNMENT_ID = 82, RAD_TUNNEL_PREFERENCE = 83, RAD_ACCT_INTERIM_INTERVAL = 85,
	RAD_NAS_PORT_ID = 87, RAD_FRAMED_POOL = 88, RAD_TUNNEL_CLIENT_AUTH_ID = 90,
	RAD_TUNNEL_SERVER_AUTH_ID = 91, RAD_NAS_IPV6_ADDRESS = 95, RAD_FRAMED_INTERFACE_ID = 96,
	RAD_FRAMED_IPV6_PREFIX = 97, RAD_LOGIN_IPV6_HOST = 98, RAD_FRAMED_IPV6_ROUTE = 99,
	RAD_FRAMED_IPV6_POOL = 100, RAD_ERROR_CAUSE = 101, RAD_DELEGATED_IPV6_PREFIX = 123,
	RAD_FRAMED_IPV6_ADDRESS = 168, RAD_DNS_SERVER_IPV6_ADDRESS = 169,
};

/* Vendor ids (IANA private enterprise numbers). */
#define RAD_VENDOR_MICROSOFT 311
#define RAD_VENDOR_DSL_FORUM 3561
#define RAD_VENDOR_MPD 12341

/* Microsoft vendor types (RFC 2548 §2). */
enum rad_ms_type {
	RAD_MS_CHAP_RESPONSE = 1, RAD_MS_CHAP_ERROR = 2, RAD_MS_CHAP_CPW_1 = 3,
	RAD_MS_CHAP_CPW_2 = 4, RAD_MS_CHAP_LM_ENC_PW = 5, RAD_MS_CHAP_NT_ENC_PW = 6,
	RAD_MS_MPPE_ENCRYPTION_POLICY = 7, RAD_MS_MPPE_ENCRYPTION_TYPES = 8,
	RAD_MS_RAS_VENDOR = 9, RAD_MS_CHAP_DOMAIN = 10, RAD_MS_CHAP_CHALLENGE = 11,
	RAD_MS_CHAP_MPPE_KEYS = 12, RAD_MS_BAP_USAGE = 13, RAD_MS_LINK_UTILIZATION_THRESHOLD = 14,
	RAD_MS_LINK_DROP_TIME_LIMIT = 15, RAD_MS_MPPE_SEND_KEY = 16, RAD_MS_MPPE_RECV_KEY = 17,
	RAD_MS_RAS_VERSION = 18, RAD_MS_OLD_ARAP_PASSWORD = 19, RAD_MS_NEW_ARAP_PASSWORD = 20,
	RAD_MS_ARAP_PASSWORD_CHANGE_REASON = 21, RAD_MS_FILTER = 22, RAD_MS_ACCT_AUTH_TYPE = 23,
	RAD_MS_ACCT_EAP_TYPE = 24, RAD_MS_CHAP2_RESPONSE = 25, RAD_MS_CHAP2_SUCCESS = 26,
	RAD_MS_CHAP2_CPW = 27, RAD_MS_PRIMARY_DNS_SERVER = 28, RAD_MS_SECONDARY_DNS_SERVER = 29,
	RAD_MS_PRIMARY_NBNS_SERVER = 30, RAD_MS_SECONDARY_NBNS_SERVER = 31,
};

/* DSL Forum vendor types (RFC 4679 §4). */
enum rad_dsl_type {
	RAD_DSL_AGENT_CIRCUIT_ID = 1, RAD_DSL_AGENT_REMOTE_ID = 2,
	RAD_DSL_ACTUAL_DATA_RATE_UP = 129, RAD_DSL_ACTUAL_DATA_RATE_DOWN = 130,
	RAD_DSL_MIN_DATA_RATE_UP = 131, RAD_DSL_MIN_DATA_RATE_DOWN = 132,
	RAD_DSL_ATTAINABLE_DATA_RATE_UP = 133, RAD_DSL_ATTAINABLE_DATA_RATE_DOWN = 134,
	RAD_DSL_MAX_DATA_RATE_UP = 135, RAD_DSL_MAX_DATA_RATE_DOWN = 136,
	RAD_DSL_MIN_LOW_POWER_DATA_RATE_UP = 137, RAD_DSL_MIN_LOW_POWER_DATA_RATE_DOWN = 138,
	RAD_DSL_MAX_INTERLEAVING_DELAY_UP = 139, RAD_DSL_ACTUAL_INTERLEAVING_DELAY_UP = 140,
	RAD_DSL_MAX_INTERLEAVING_DELAY_DOWN = 141, RAD_DSL_ACTUAL_INTERLEAVING_DELAY_DOWN = 142,
	RAD_DSL_ACCESS_LOOP_ENCAPSULATION = 144, RAD_DSL_IWF_SESSION = 252,
};

/* mpd vendor types (radius.md §3). */
enum rad_mpd_type {
	RAD_MPD_RULE = 1, RAD_MPD_PIPE = 2, RAD_MPD_QUEUE = 3, RAD_MPD_TABLE = 4,
	RAD_MPD_TABLE_STATIC = 5, RAD_MPD_FILTER = 6, RAD_MPD_LIMIT = 7,
	RAD_MPD_INPUT_OCTETS = 8, RAD_MPD_INPUT_PACKETS = 9, RAD_MPD_OUTPUT_OCTETS = 10,
	RAD_MPD_OUTPUT_PACKETS = 11, RAD_MPD_LINK = 12, RAD_MPD_BUNDLE = 13, RAD_MPD_IFACE = 14,
	RAD_MPD_IFACE_INDEX = 15, RAD_MPD_INPUT_ACCT = 16, RAD_MPD_OUTPUT_ACCT = 17,
	RAD_MPD_ACTION = 18, RAD_MPD_PEER_IDENT = 19, RAD_MPD_IFACE_NAME = 20,
	RAD_MPD_IFACE_DESCR = 21, RAD_MPD_IFACE_GROUP = 22, RAD_MPD_DROP_USER = 154,
};

/* Values of integer attributes the daemon sends or reads. */
enum { RAD_SERVICE_FRAMED = 2 };                                  /* Service-Type */
enum { RAD_PROTO_PPP = 1 };                                       /* Framed-Protocol */
enum { RAD_COMP_VJ = 1 };                                         /* Framed-Compression */
enum { RAD_PORT_ASYNC = 0, RAD_PORT_SYNC = 1, RAD_PORT_VIRTUAL = 5, RAD_PORT_ETHERNET = 15 }; /* NAS-Port-Type */
enum { RAD_ACCT_START = 1, RAD_ACCT_STOP = 2, RAD_ACCT_UPDATE = 3,
       RAD_ACCT_ON = 7, RAD_ACCT_OFF = 8 };                       /* Acct-Status-Type */
enum { RAD_AUTHENTIC_RADIUS = 1, RAD_AUTHENTIC_LOCAL = 2 };       /* Acct-Authentic */
enum {                                                            /* Acct-Terminate-Cause (RFC 2866 §5.10) */
	RAD_TERM_USER_REQUEST = 1, RAD_TERM_LOST_CARRIER = 2, RAD_TERM_LOST_SERVICE = 3,
	RAD_TERM_IDLE_TIMEOUT = 4, RAD_TERM_SESSION_TIMEOUT = 5, RAD_TERM_ADMIN_RESET = 6,
	RAD_TERM_ADMIN_REBOOT = 7, RAD_TERM_PORT_ERROR = 8, RAD_TERM_NAS_ERROR = 9,
	RAD_TERM_NAS_REQUEST = 10, RAD_TERM_NAS_REBOOT = 11, RAD_TERM_PORT_UNNEEDED = 12,
	RAD_TERM_PORT_PREEMPTED = 13, RAD_TERM_PORT_SUSPENDED = 14,
	RAD_TERM_SERVICE_UNAVAILABLE = 15, RAD_TERM_CALLBACK = 16, RAD_TERM_USER_ERROR = 17,
	RAD_TERM_HOST_REQUEST = 18,
};
enum { RAD_TUNNEL_PPTP = 1, RAD_TUNNEL_L2TP = 3 };                /* Tunnel-Type */
enum { RAD_MEDIUM_IPV4 = 1, RAD_MEDIUM_IPV6 = 2, RAD_MEDIUM_802 = 6 }; /* Tunnel-Medium-Type */
enum {                                                            /* Error-Cause (RFC 5176 §3.5) */
	RAD_ERR_RESIDUAL_SESSION_REMOVED = 201, RAD_ERR_INVALID_EAP_PACKET = 202,
	RAD_ERR_UNSUPPORTED_ATTRIBUTE = 401, RAD_ERR_MISSING_ATTRIBUTE = 402,
	RAD_ERR_NAS_ID_MISMATCH = 403, RAD_ERR_INVALID_REQUEST = 404,
	RAD_ERR_UNSUPPORTED_SERVICE = 405, RAD_ERR_UNSUPPORTED_EXTENSION = 406,
	RAD_ERR_INVALID_ATTRIBUTE_VALUE = 407, RAD_ERR_ADMIN_PROHIBITED = 501,
	RAD_ERR_REQUEST_NOT_ROUTABLE = 502, RAD_ERR_SESSION_NOT_FOUND = 503,
	RAD_ERR_SESSION_NOT_REMOVABLE = 504, RAD_ERR_OTHER_PROXY_PROCESSING = 505,
	RAD_ERR_RESOURCES_UNAVAILABLE = 506, RAD_ERR_REQUEST_INITIATED = 507,
	RAD_ERR_MULTIPLE_SESSION_SELECTION = 508,
};

/* ---- building ---- */

/* A packet under construction in a caller-owned buffer (see rad_begin). */
struct rad_builder {
	uint8_t *buf;
	size_t cap;       /* min(buffer size, RAD_MAX_PKT) */
	size_t len;       /* bytes written so far, header included */
	size_t ma_off;    /* offset of the Message-Authenticator value, 0 = none */
	bool failed;      /* an add failed: rad_finish() refuses the packet */
};

/*
 * Start a request or unsolicited packet: code, id; the authenticator is
 * random (core/rand) for Access-Request and Status-Server (RFC 2865 §3,
 * so User-Password can be hidden at once), zeros for the others (computed
 * by rad_finish). cap >= RAD_HDR_LEN. Returns 0, or -1 (cap too small).
 */
int rad_begin(struct rad_builder *b, uint8_t *buf, size_t cap, uint8_t code, uint8_t id);
/* As rad_begin with a given Request Authenticator (tests, known vectors). */
int rad_begin_auth(struct rad_builder *b, uint8_t *buf, size_t cap, uint8_t code, uint8_t id,
		   const uint8_t auth[RAD_AUTH_LEN]);
/*
 * Start a response (Access-Accept/Reject/Challenge, Accounting-Response,
 * Disconnect/CoA-ACK/NAK) to the request `req` (at least RAD_HDR_LEN
 * bytes): same id, and the request's authenticator placed in the header
 * until rad_finish() replaces it by the Response Authenticator.
 */
int rad_begin_reply(struct rad_builder *b, uint8_t *buf, size_t cap, uint8_t code,
		    const uint8_t *req);

/* Add one attribute with a raw value of 0..253 bytes. 0, or -1 (too long / no room). */
int rad_add_raw(struct rad_builder *b, uint8_t type, const void *val, size_t len);
/* Add a text attribute; an empty string is not sent (RFC 8044 §3.4 forbids zero length) and returns 0. */
int rad_add_string(struct rad_builder *b, uint8_t type, const char *s);
/* Add a 32-bit integer attribute (RFC 2865 §5 "integer"). */
int rad_add_u32(struct rad_builder *b, uint8_t type, uint32_t v);
/* Add an IPv4 address attribute. */
int rad_add_ipv4(struct rad_builder *b, uint8_t type, struct in_addr a);
/* Add an IPv6 address attribute (RFC 3162 / RFC 6911: 16 bytes). */
int rad_add_ipv6(struct rad_builder *b, uint8_t type, const struct in6_addr *a);
/* Add an IPv6 prefix attribute (RFC 3162 §2.3: reserved 0, length, ceil(len/8) prefix bytes, bits past len zero); plen <= 128. */
int rad_add_ipv6_prefix(struct rad_builder *b, uint8_t type, const struct in6_addr *a, uint8_t plen);
/* Add a value split over as many attributes of `type` as needed, each <= 253 bytes (EAP-Message, RFC 3579 §3.1). */
int rad_add_split(struct rad_builder *b, uint8_t type, const void *val, size_t len);
/* Add a Vendor-Specific attribute holding one sub-attribute (RFC 2865 §5.26), value 0..247 bytes. */
int rad_add_vsa(struct rad_builder *b, uint32_t vendor, uint8_t vtype, const void *val, size_t len);
/* Add a Vendor-Specific text sub-attribute; an empty string is not sent and returns 0. */
int rad_add_vsa_string(struct rad_builder *b, uint32_t vendor, uint8_t vtype, const char *s);
/* Add a Vendor-Specific 32-bit integer sub-attribute. */
int rad_add_vsa_u32(struct rad_builder *b, uint32_t vendor, uint8_t vtype, uint32_t v);
/* Add a Vendor-Specific IPv4 address sub-attribute (MS DNS/NBNS servers). */
int rad_add_vsa_ipv4(struct rad_builder *b, uint32_t vendor, uint8_t vtype, struct in_addr a);
/* Add a tagged integer (RFC 2868 §3.1/3.2: tag octet 0..0x1F, then 24-bit value); v < 2^24. */
int rad_add_tagged_u32(struct rad_builder *b, uint8_t type, uint8_t tag, uint32_t v);
/* Add a tagged string (RFC 2868 §3.3...): tag 1..0x1F is prepended, tag 0 sends the text untagged. */
int rad_add_tagged_string(struct rad_builder *b, uint8_t type, uint8_t tag, const char *s);
/*
 * Reserve the Message-Authenticator (RFC 2869 §5.14) as the FIRST
 * attribute (BlastRADIUS mitigation: nothing before it for an attacker to
 * shape); fails if any attribute was added before. Filled in by rad_finish.
 */
int rad_add_message_authenticator(struct rad_builder *b);
/*
 * Add User-Password hidden per RFC 2865 §5.2 with the header's
 * authenticator (so call after rad_begin of an Access-Request); password
 * 0..128 bytes, padded to a multiple of 16 (an empty one becomes 16 NULs).
 */
int rad_add_user_password(struct rad_builder *b, const void *pw, size_t pwlen,
			  const void *secret, size_t secretlen);

/*
 * Complete the packet: write the length, fill the Message-Authenticator if
 * reserved, and set the authenticator by kind:
 *   Access-Request, Status-Server: kept (random from rad_begin); MA over it.
 *   Accounting-, Disconnect-, CoA-Request: MA over a zero authenticator,
 *     then Request Authenticator = MD5(packet with zero auth + secret)
 *     (RFC 2866 §3, RFC 5176 §2.3/§3.1).
 *   responses (from rad_begin_reply): MA over the request's authenticator,
 *     then Response Authenticator = MD5(packet with request auth + secret)
 *     (RFC 2865 §3, RFC 2869 §5.14, RFC 5176 §3.2).
 * Returns the packet length, or -1 if an add failed earlier.
 */
int rad_finish(struct rad_builder *b, const void *secret, size_t secretlen);

/* ---- parsing ---- */

/* A received packet that passed rad_parse(); points into the caller's datagram. */
struct rad_pkt {
	const uint8_t *data;  /* the datagram, header first */
	size_t len;           /* the Length field (octets past it are padding, ignored) */
	uint8_t code, id;
	const uint8_t *auth;  /* data + 4, RAD_AUTH_LEN bytes */
};

/*
 * Check a datagram (RFC 2865 §3): at least 20 bytes, Length field 20..4096
 * and not beyond the datagram (octets after it ignored), every attribute
 * length >= 2 and within Length. Returns 0 and fills p, or -1 (malformed).
 */
int rad_parse(struct rad_pkt *p, const uint8_t *dgram, size_t dlen);

/*
 * One attribute as the iterator yields it. A standard attribute has
 * vendor 0 and vtype 0. Each sub-attribute of a Vendor-Specific attribute
 * in the RFC 2865 §5.26 layout comes separately with type 26, its vendor
 * and vtype; a VSA whose contents do not follow that layout comes whole
 * with vtype 0 (vendor 0 if shorter than the vendor id) and data after
 * the vendor id.
 */
struct rad_attr {
	uint8_t type;
	uint32_t vendor;
	uint8_t vtype;
	const uint8_t *data;
	size_t len;
};

/* Iteration state; see rad_iter_init. */
struct rad_iter {
	const struct rad_pkt *p;
	size_t off;            /* next top-level attribute */
	size_t sub_off, sub_end; /* inside a VSA, else equal */
	uint32_t vendor;
};

/* Start walking the attributes of a parsed packet, in packet order. */
void rad_iter_init(struct rad_iter *it, const struct rad_pkt *p);
/* The next attribute or VSA sub-attribute into *a; false at the end. */
bool rad_iter_next(struct rad_iter *it, struct rad_attr *a);
/* The first attribute with this type (vendor 0) or vendor/vtype; false if none. */
bool rad_find(const struct rad_pkt *p, uint8_t type, uint32_t vendor, uint8_t vtype, struct rad_attr *a);
/* Concatenate every attribute `type` in order (EAP-Message); returns the length, or -1 if over cap. */
int rad_concat(const struct rad_pkt *p, uint8_t type, uint8_t *out, size_t cap);

/* Read a 4-byte integer value; false if the length is not 4. */
bool rad_attr_u32(const struct rad_attr *a, uint32_t *v);
/* Read an IPv4 address value; false if the length is not 4. */
bool rad_attr_ipv4(const struct rad_attr *a, struct in_addr *v);
/* Read an IPv6 address value; false if the length is not 16. */
bool rad_attr_ipv6(const struct rad_attr *a, struct in6_addr *v);
/* Read an IPv6 prefix (RFC 3162 §2.3); false unless 2..18 bytes, plen <= 128 and fitting. */
bool rad_attr_ipv6_prefix(const struct rad_attr *a, struct in6_addr *v, uint8_t *plen);
/* Read a tagged integer (RFC 2868): tag from the first octet, 24-bit value; false unless 4 bytes. */
bool rad_attr_tagged_u32(const struct rad_attr *a, uint8_t *tag, uint32_t *v);
/*
 * Copy a text value NUL-terminated into out (cap > 0); false (out = "")
 * if it does not fit or contains a NUL byte, so a name is never cut short.
 */
bool rad_attr_string(const struct rad_attr *a, char *out, size_t cap);

/* ---- verification ---- */

/* Why a received packet is (not) acceptable; distinct so callers can log and count. */
enum rad_verdict {
	RAD_OK = 0,
	RAD_MALFORMED,      /* bad lengths, wrong code for the request, two MAs, MA not 16 bytes */
	RAD_BAD_AUTH,       /* Request/Response Authenticator does not match the secret */
	RAD_MISSING_MA,     /* Message-Authenticator required but absent */
	RAD_BAD_MA,         /* Message-Authenticator present and wrong */
};

/* Verification flags. */
#define RAD_REQUIRE_MA 0x1        /* a Message-Authenticator must be present */

/*
 * Check a response against the request we sent (req, req_len: the finished
 * packet): id equal, code a valid answer to the request's code, Response
 * Authenticator (RFC 2865 §3), and the Message-Authenticator wherever it
 * sits, computed over the request's authenticator (RFC 2869 §5.14) when
 * present or required (flags).
 */
enum rad_verdict rad_verify_response(const struct rad_pkt *resp, const uint8_t *req, size_t req_len,
				     const void *secret, size_t secretlen, unsigned flags);
/*
 * Check a request received by a server: Accounting-, Disconnect- and
 * CoA-Request Request Authenticator (RFC 2866 §3, RFC 5176 §2.3), and the
 * Message-Authenticator when present or required (for Access-Request only
 * the MA can be checked).
 */
enum rad_verdict rad_verify_request(const struct rad_pkt *req, const void *secret, size_t secretlen,
				    unsigned flags);
/* Short text for a verdict ("ok", "malformed", ...), for log lines. */
const char *rad_verdict_name(enum rad_verdict v);

/* ---- hidden values ---- */

/* RFC 2865 §5.2 hiding of pw (0..128 bytes) into out (cap >= 128); returns the hidden length, or -1. */
int rad_password_hide(const void *pw, size_t pwlen, const void *secret, size_t secretlen,
		      const uint8_t auth[RAD_AUTH_LEN], uint8_t *out, size_t cap);
/* Reverse RFC 2865 §5.2 (len a multiple of 16, <= 128) into out NUL-terminated (cap > len); trailing NULs removed. Returns the length, or -1. */
int rad_password_unhide(const uint8_t *hidden, size_t len, const void *secret, size_t secretlen,
			const uint8_t auth[RAD_AUTH_LEN], char *out, size_t cap);
/*
 * Salt-encrypt a key as MS-MPPE-Send/Recv-Key (RFC 2548 §2.4.2): salt
 * (the high bit is forced on), key-length octet, key, zero padding to a
 * multiple of 16, with b(1) = MD5(secret + request auth + salt). Returns
 * the value length, or -1 (key > 252 or out too small).
 */
int rad_mppe_key_encrypt(const uint8_t *key, size_t keylen, uint16_t salt, const void *secret,
			 size_t secretlen, const uint8_t req_auth[RAD_AUTH_LEN], uint8_t *out, size_t cap);
/*
 * Decrypt an MS-MPPE-Send/Recv-Key value (salt, then ciphertext) sent in a
 * reply to the request whose authenticator is req_auth. Returns the key
 * length, or -1 (bad length, salt high bit clear, key length beyond data,
 * key larger than cap).
 */
int rad_mppe_key_decrypt(const uint8_t *val, size_t len, const void *secret, size_t secretlen,
			 const uint8_t req_auth[RAD_AUTH_LEN], uint8_t *key, size_t cap);
/*
 * Decrypt MS-CHAP-MPPE-Keys (RFC 2548 §2.4.1): 32 bytes hidden as a
 * User-Password with the request authenticator; gives the 8-byte LM key
 * and the 16-byte NT key. Returns 0, or -1 if len != 32.
 */
int rad_mschap_mppe_keys_decrypt(const uint8_t *val, size_t len, const void *secret, size_t secretlen,
				 const uint8_t req_auth[RAD_AUTH_LEN], uint8_t lm[8], uint8_t nt[16]);
/* Decrypt a Tunnel-Password value (RFC 2868 §3.5: tag, salt, then as MPPE keys); returns the length, or -1. */
int rad_tunnel_password_decrypt(const uint8_t *val, size_t len, const void *secret, size_t secretlen,
				const uint8_t req_auth[RAD_AUTH_LEN], uint8_t *tag, uint8_t *out, size_t cap);

/* ---- names and printing ---- */

/* Name of a packet code ("Access-Request"), or NULL if unknown. */
const char *rad_code_name(uint8_t code);
/* Name of an attribute (vendor 0: standard type; else vendor/vtype), or NULL if unknown. */
const char *rad_attr_name(uint32_t vendor, uint8_t type);
/*
 * One line describing a parsed packet, pppd style:
 *   Access-Request id=5 len=74 User-Name="nemo" User-Password=<hidden> NAS-Port=3
 * every attribute by name (unknown ones as Attr-N / Vendor-V-Attr-N) with
 * its value; secrets (User-Password, CHAP-Password, Tunnel-Password, MPPE
 * keys) masked. Always NUL-terminated (cap > 0); a line too long ends in
 * "...". Returns out.
 */
char *rad_print(const struct rad_pkt *p, char *out, size_t cap);

#endif
