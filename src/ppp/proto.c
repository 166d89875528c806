#include "ppp/proto.h"

#include <stddef.h>

struct proto_name {
	uint16_t proto;
	const char *name;
};

static const struct proto_name proto_names[] = {
	{ PROTO_IP, "IP" },
	{ PROTO_VJCOMP, "VJCOMP" },
	{ PROTO_VJUNCOMP, "VJUNCOMP" },
	{ PROTO_MP, "MP" },
	{ PROTO_CRYPT, "CRYPT" },
	{ PROTO_IPV6, "IPv6" },
	{ PROTO_COMPD, "COMPD" },
	{ PROTO_IPCP, "IPCP" },
	{ PROTO_ECP, "ECP" },
	{ PROTO_IPV6CP, "IPV6CP" },
	{ PROTO_CCP, "CCP" },
	{ PROTO_LCP, "LCP" },
	{ PROTO_PAP, "PAP" },
	{ PROTO_LQR, "LQR" },
	{ PROTO_CHAP, "CHAP" },
	{ PROTO_EAP, "EAP" },
};

static const char *const code_names[] = {
	[CODE_CONFREQ] = "Configure-Request",
	[CODE_CONFACK] = "Configure-Ack",
	[CODE_CONFNAK] = "Configure-Nak",
	[CODE_CONFREJ] = "Configure-Reject",
	[CODE_TERMREQ] = "Terminate-Request",
	[CODE_TERMACK] = "Terminate-Ack",
	[CODE_CODEREJ] = "Code-Reject",
	[CODE_PROTREJ] = "Protocol-Reject",
	[CODE_ECHOREQ] = "Echo-Request",
	[CODE_ECHOREP] = "Echo-Reply",
	[CODE_DISCREQ] = "Discard-Request",
	[CODE_IDENT] = "Identification",
	[CODE_TIMEREM] = "Time-Remaining",
	[CODE_RESETREQ] = "Reset-Request",
	[CODE_RESETACK] = "Reset-Ack",
};

const char *ppp_proto_name(uint16_t proto)
{
	for (size_t i = 0; i < sizeof(proto_names) / sizeof(proto_names[0]); i++)
		if (proto_names[i].proto == proto)
			return proto_names[i].name;
	return "unknown";
}

const char *ppp_code_name(uint8_t code)
{
	if (code < sizeof(code_names) / sizeof(code_names[0]) && code_names[code] != NULL)
		return code_names[code];
	return "unknown code";
}
