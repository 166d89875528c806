/*
 * The interface up/down scripts of `set iface up-script/down-script`
 * (commands.md §11): their exact arguments, and running them through
 * /bin/sh like mpd5 does, with every argument quoted so nothing a peer
 * sends (an auth name, a Filter-Id) is ever parsed by the shell.
 */
#ifndef MPD_NET_IFSCRIPT_H
#define MPD_NET_IFSCRIPT_H

#include <stdbool.h>
#include <netinet/in.h>

#include "core/proc.h"

/* What a script is told; NULL or "" strings are passed as "-". */
struct ifscript_info {
	const char *ifname;
	int family;                  /* AF_INET or AF_INET6 */
	bool up;
	struct in_addr local4, peer4;
	unsigned width4;             /* prefix width of local4 */
	struct in6_addr local6, peer6; /* link-local */
	struct in_addr dns1, dns2;   /* IPv4 up only; 0.0.0.0 = none (empty argument) */
	const char *authname;        /* peer's auth name */
	const char *peeraddr;        /* the link's outer peer address */
	const char *filterid;        /* RADIUS Filter-Id */
};

/*
 * The script's arguments after the program, NULL-terminated, in mpd5's
 * order (IPv4 up: IFACE inet LOCAL/WIDTH REMOTE AUTHNAME DNS1 DNS2
 * PEERADDR FILTERID). NULL on OOM or a bad family; free with ifscript_args_free.
 */
char **ifscript_args(const struct ifscript_info *s);
/* Free a vector from ifscript_args; NULL is ignored. */
void ifscript_args_free(char **args);
/*
 * The /bin/sh -c command line: the configured program text as is (it may
 * carry its own arguments, as in mpd5), then each argument as one
 * single-quoted word ('\'' for a quote inside).
 * Malloc'd; NULL on OOM.
 */
char *ifscript_cmdline(const char *program, char *const args[]);
/* Run program with s's arguments through /bin/sh; see proc_run for cb and the result. */
struct proc *ifscript_run(struct event_base *base, const char *program,
			  const struct ifscript_info *s, unsigned timeout_ms,
			  proc_done_fn cb, void *arg);

#endif
