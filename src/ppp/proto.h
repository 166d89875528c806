/* PPP protocol numbers and control-packet codes, with names for log lines. */
#ifndef MPD_PPP_PROTO_H
#define MPD_PPP_PROTO_H

#include <stdint.h>

/* Protocol field values (RFC 1661 and the assigned-numbers registry). */
#define PROTO_IP	0x0021
#define PROTO_VJCOMP	0x002d
#define PROTO_VJUNCOMP	0x002f
#define PROTO_MP	0x003d
#define PROTO_CRYPT	0x0053
#define PROTO_IPV6	0x0057
#define PROTO_COMPD	0x00fd
#define PROTO_IPCP	0x8021
#define PROTO_ECP	0x8053
#define PROTO_IPV6CP	0x8057
#define PROTO_CCP	0x80fd
#define PROTO_LCP	0xc021
#define PROTO_PAP	0xc023
#define PROTO_LQR	0xc025
#define PROTO_CHAP	0xc223
#define PROTO_EAP	0xc227

/* Codes shared by every RFC 1661 control protocol. */
enum ppp_code {
	CODE_CONFREQ = 1,
	CODE_CONFACK = 2,
	CODE_CONFNAK = 3,
	CODE_CONFREJ = 4,
	CODE_TERMREQ = 5,
	CODE_TERMACK = 6,
	CODE_CODEREJ = 7,
	/* LCP only */
	CODE_PROTREJ = 8,
	CODE_ECHOREQ = 9,
	CODE_ECHOREP = 10,
	CODE_DISCREQ = 11,
	CODE_IDENT = 12,
	CODE_TIMEREM = 13,
	/* CCP/ECP */
	CODE_RESETREQ = 14,
	CODE_RESETACK = 15,
};

/* Length of the code, identifier and length fields of a control packet. */
#define PPP_HDRLEN 4

/* Short protocol name ("LCP", "IPCP", ...); "0x%04x"-style text is not produced, unknowns give "unknown". */
const char *ppp_proto_name(uint16_t proto);
/* Name of a control-packet code of an RFC 1661 protocol ("Configure-Request", ...). */
const char *ppp_code_name(uint8_t code);

#endif
