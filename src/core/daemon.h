/*
 * The daemon's one instance of process-wide state, owned by main.c and
 * passed down explicitly (cmd_ctx.d, link->d): settings of `set global`,
 * `set user`, `set console`, the object registries and the event loop.
 */
#ifndef MPD_DAEMON_H
#define MPD_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <event2/event.h>

#include "core/hash.h"
#include "core/logins.h"
#include "core/optset.h"
#include "core/registry.h"

struct link;
struct bundle;
struct console;
struct ippool;
struct conf_cache;
struct secret_file;
struct cmd_names;
struct nl;
struct acct_pending;
struct rad_client;

#define MAX_USERS 64

/* The second the last session id was made in, and how many more were made in it. */
struct sid_stamp {
	long last;
	unsigned seq;
};

struct console_user {
	char name[64];
	char password[64];
	int priv;
};

/* `set global` values (commands.md §8.1). */
struct global_conf {
	struct optset opts; /* GOPT_* bits */
	unsigned max_children;  /* template-spawned links, all templates */
	unsigned qthresh_min, qthresh_max;
	unsigned l2tp_timeout, l2tp_limit, pptp_timeout, pptp_limit;
	unsigned startrule, startpipe, startqueue, starttable;
};

enum { GOPT_ONESHOT, GOPT_TCPWRAPPER, GOPT_AGENTCID, GOPT_SESSTIME, GOPT_FASTPATH };

struct daemon {
	struct event_base *base;
	char confdir[256];
	char conffile[256];  /* main config file name, relative to confdir unless absolute */
	char pidfile[256];
	char ident[64];       /* syslog ident */
	bool background;
	bool check_only;      /* -t: read and resolve the configuration, open nothing (docs/differences.md) */
	bool shutting_down;
	struct global_conf g;
	struct console_user users[MAX_USERS];
	int nusers;
	struct console *console; /* the TCP console listener, NULL when never configured */
	struct nl *nl;            /* rtnetlink socket (net/nl.h) */
	struct secret_file *secrets; /* mpd.secret, cached */
	struct rad_client *radius; /* RADIUS servers' shared state (aaa/rad_client.c), NULL until first used */
	struct ippool *pools;    /* `set ippool add` pools */
	uint8_t self_disc[8];    /* multilink endpoint discriminator (commands.md §1.3) */
	unsigned self_disc_len;
	int self_disc_class;
	/* Registries: links and bundles by index (= NAS-Port) and name (link/link.h
	 * links_init); walked only through reg_next. */
	struct registry links;
	struct registry bunds;
	struct logins logins;     /* open bundles per link template and peer (max-logins) */
	struct htab mp_peers;     /* multilink bundles by peer discriminator and auth name */
	unsigned children;    /* live links spawned from templates */
	void (*shutdown)(struct daemon *d); /* begin graceful shutdown */
	struct conf_cache *confcache; /* label index of loaded files (conf/load.h) */
	struct acct_pending *acct_head; /* accounting requests in flight (aaa/acct.c) */
	unsigned acct_count;
	bool acct_draining;        /* shutdown waits for them: the last one ends the loop */
	struct sid_stamp sid_link, sid_bund; /* session ids of links and bundles (link_session_stamp) */
	int debug_level;      /* `set debug` (data-path debug verbosity) */
	const struct cmd_names *cmd_names; /* set by main.c (src/cmdtab.h); consoles copy it into cmd_ctx.names */
};

#endif
