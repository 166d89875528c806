/* `show` commands of the global scope (commands.md §7). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "conf/cmd.h"
#include "conf/cmd_global.h"
#include "core/daemon.h"

int show_global(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)ac;
	(void)av;
	(void)arg;
	if (c->d == NULL)
		return cmd_error(c, "no daemon state");
	const struct global_conf *g = &c->d->g;
	cmd_printf(c, "Global configuration:\n");
	cmd_printf(c, "\tqthreshold   : %u %u\n", g->qthresh_min, g->qthresh_max);
	cmd_printf(c, "\tmax-children : %u\n", g->max_children);
	cmd_printf(c, "\tchildren     : %u\n", c->d->children);
	cmd_printf(c, "\tl2tptimeout  : %u\n", g->l2tp_timeout);
	cmd_printf(c, "\tl2tplimit    : %u\n", g->l2tp_limit);
	cmd_printf(c, "\tpptptimeout  : %u\n", g->pptp_timeout);
	cmd_printf(c, "\tpptplimit    : %u\n", g->pptp_limit);
	cmd_printf(c, "\tstartrule    : %u\n", g->startrule);
	cmd_printf(c, "\tstartpipe    : %u\n", g->startpipe);
	cmd_printf(c, "\tstartqueue   : %u\n", g->startqueue);
	cmd_printf(c, "\tstarttable   : %u\n", g->starttable);
	cmd_printf(c, "\tdebug level  : %d\n", c->d->debug_level);
	cmd_printf(c, "Global options:\n");
	cmd_opts_show(c, global_opts, &g->opts);
	cmd_printf(c, "Global filters: none (not supported yet)\n");
	return CMD_OK;
}

static const char *priv_name(int p)
{
	return p >= PRIV_ADMIN ? "admin" : p == PRIV_OPERATOR ? "operator" : "user";
}

int show_user(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	(void)ac;
	(void)av;
	(void)arg;
	if (c->d == NULL)
		return cmd_error(c, "no daemon state");
	cmd_printf(c, "Configured users:\n");
	for (int i = 0; i < c->d->nusers; i++)
		cmd_printf(c, "\t%-20s %s\n", c->d->users[i].name, priv_name(c->d->users[i].priv));
	return CMD_OK;
}

int show_mem(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	unsigned long vsz = 0, rss = 0;
	long page = sysconf(_SC_PAGESIZE);
	(void)ac;
	(void)av;
	(void)arg;
	FILE *fp = fopen("/proc/self/statm", "r");
	if (fp == NULL || fscanf(fp, "%lu %lu", &vsz, &rss) != 2) {
		if (fp != NULL)
			fclose(fp);
		return cmd_error(c, "can't read /proc/self/statm");
	}
	fclose(fp);
	unsigned long kb = page > 0 ? (unsigned long)page / 1024 : 4;
	cmd_printf(c, "Memory:\n\tresident : %lu KiB\n\tvirtual  : %lu KiB\n", rss * kb, vsz * kb);
	if (c->d != NULL) {
		cmd_printf(c, "Objects:\n");
		cmd_printf(c, "\tlinks    : %u (%u slots)\n",
			   reg_count(&c->d->links), c->d->links.nslots);
		cmd_printf(c, "\tbundles  : %u (%u slots)\n", reg_count(&c->d->bunds), c->d->bunds.nslots);
		cmd_printf(c, "\tchildren : %u\n", c->d->children);
		cmd_printf(c, "\tusers    : %d\n", c->d->nusers);
	}
	return CMD_OK;
}

/* Text collected during event_base_foreach_event: printing there could add
 * events to the base (a console write), which libevent forbids. */
struct ev_dump {
	char *buf;
	size_t len, cap;
	unsigned timers, io, shown;
};

static void ev_dump_add(struct ev_dump *e, const char *line)
{
	size_t n = strlen(line);
	if (e->len + n + 1 > e->cap) {
		size_t cap = (e->cap ? e->cap * 2 : 1024) + n;
		char *b = realloc(e->buf, cap);
		if (b == NULL)
			return;
		e->buf = b;
		e->cap = cap;
	}
	memcpy(e->buf + e->len, line, n + 1);
	e->len += n;
}

static int ev_visit(const struct event_base *base, const struct event *ev, void *arg)
{
	struct ev_dump *e = arg;
	struct timeval when, now;
	short what = event_get_events(ev);
	char line[128];
	(void)base;

	if (what & (EV_READ | EV_WRITE | EV_SIGNAL))
		e->io++;
	else
		e->timers++;
	if (e->shown >= 200)
		return 0; /* keep the listing bounded; counts stay exact */
	e->shown++;
	if (event_pending(ev, EV_TIMEOUT, &when)) {
		event_base_gettimeofday_cached(event_get_base(ev), &now);
		long long ms = (when.tv_sec - now.tv_sec) * 1000LL + (when.tv_usec - now.tv_usec) / 1000;
		snprintf(line, sizeof(line), "\t%-8s fd %-4d fires in %lld ms\n",
			 what & EV_SIGNAL ? "signal" : what & (EV_READ | EV_WRITE) ? "io" : "timer",
			 (int)event_get_fd(ev), ms);
	} else {
		snprintf(line, sizeof(line), "\t%-8s fd %-4d%s%s\n", what & EV_SIGNAL ? "signal" : "io",
			 (int)event_get_fd(ev), what & EV_READ ? " read" : "", what & EV_WRITE ? " write" : "");
	}
	ev_dump_add(e, line);
	return 0;
}

int show_events(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	struct ev_dump e = {0};
	(void)ac;
	(void)av;
	(void)arg;
	if (c->d == NULL || c->d->base == NULL)
		return cmd_error(c, "no event loop");
	event_base_foreach_event(c->d->base, ev_visit, &e);
	cmd_printf(c, "Pending events: %u timers, %u io/signal\n", e.timers, e.io);
	if (e.buf != NULL)
		cmd_printf(c, "%s", e.buf);
	free(e.buf);
	return CMD_OK;
}

int show_layers(struct cmd_ctx *c, int ac, char **av, const void *arg)
{
	static const struct {
		const char *name, *ctx, *descr;
	} layers[] = {
		{"iface", "bundle", "Dial-on-demand of the interface"},
		{"ipcp", "bundle", "IPCP: IP control protocol"},
		{"ipv6cp", "bundle", "IPV6CP: IPv6 control protocol"},
		{"ccp", "bundle", "CCP: compression control protocol"},
		{"ecp", "bundle", "ECP: encryption control protocol"},
		{"bund", "bundle", "Multilink bundle: all its links"},
		{"link", "link", "LCP: the link and its call"},
		{"device", "link", "The device alone"},
	};
	(void)ac;
	(void)av;
	(void)arg;
	cmd_printf(c, "Layers for open/close:\n");
	for (size_t i = 0; i < sizeof(layers) / sizeof(layers[0]); i++)
		cmd_printf(c, "\t%-8s %-7s %s\n", layers[i].name, layers[i].ctx, layers[i].descr);
	return CMD_OK;
}
