/*
 * mpd5-loadgen: opens N PPPoE sessions against a server, at most `window`
 * setups at a time, and keeps them (answering and optionally sending LCP
 * echoes) until told to stop; with --hold each session closes that long
 * after it came up and starts again (churn). One line per second and one
 * per milestone on stdout, for bench/ to read.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "loadgen.h"

static const uint32_t milestones[] = {100, 1000, 2000, 5000, 10000, 20000, 50000};

double lg_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void sess_begin(struct lg *g, struct lg_sess *s)
{
	g->st.started++;
	g->inflight++;
	s->in_flight = true;
	clock_gettime(CLOCK_MONOTONIC, &s->t0);
	lg_disc_start(s);
}

/* Start sessions while the window has room: ended ones first, then new ones. */
static void pump(struct lg *g)
{
	while (!g->stopping && g->inflight < g->conf.window) {
		if (g->again_len > 0) {
			uint32_t idx = g->again[g->again_head];
			g->again_head = (g->again_head + 1) % g->conf.n;
			g->again_len--;
			sess_begin(g, &g->sess[idx]);
		} else if (g->next < g->conf.n) {
			sess_begin(g, &g->sess[g->next++]);
		} else {
			return;
		}
	}
}

static void inflight_done(struct lg *g, struct lg_sess *s)
{
	if (s->in_flight) {
		s->in_flight = false;
		g->inflight--;
	}
}

void lg_sess_up(struct lg_sess *s)
{
	struct lg *g = s->lg;

	inflight_done(g, s);
	g->st.up++;
	g->st.up_events++;
	g->st.setup_sum += lg_since(&s->t0);
	for (size_t i = 0; i < sizeof(milestones) / sizeof(milestones[0]); i++)
		if (g->st.up_events == milestones[i])
			printf("LG reached n=%" PRIu64 " secs=%.3f\n", g->st.up_events, lg_since(&g->t_start));
	if (g->st.up == g->conf.n && !g->st.all_up_said) {
		double secs = lg_since(&g->t_start);
		g->st.all_up_said = true;
		printf("LG all-up n=%u secs=%.3f rate=%.1f failed=%" PRIu64 " mean_setup_ms=%.1f\n", g->conf.n, secs,
		       g->conf.n / secs, g->st.failed, 1000.0 * g->st.setup_sum / (double)g->st.up_events);
	}
	fflush(stdout);
	pump(g);
}

void lg_sess_end(struct lg_sess *s, bool ok, const char *why)
{
	struct lg *g = s->lg;

	if (s->state == LG_UP)
		g->st.up--;
	inflight_done(g, s);
	timer_stop(&s->t_disc);
	if (ok)
		g->st.closed++;
	else if (s->state == LG_UP)
		g->st.dropped++;
	else
		g->st.failed++;
	if (!ok && g->conf.verbose)
		fprintf(stderr, "loadgen: session %u: %s\n", s->idx, why);
	s->state = LG_IDLE;
	if (!g->stopping) {
		g->again[(g->again_head + g->again_len) % g->conf.n] = s->idx;
		g->again_len++;
	}
	pump(g);
}

static void print_tick(struct lg *g, const char *what)
{
	printf("LG %s t=%.1f up=%u started=%" PRIu64 " up_events=%" PRIu64 " failed=%" PRIu64 " dropped=%" PRIu64
	       " closed=%" PRIu64 " inflight=%u rx=%" PRIu64 " tx=%" PRIu64 " txerr=%" PRIu64 "\n",
	       what, lg_since(&g->t_start), g->st.up, g->st.started, g->st.up_events, g->st.failed, g->st.dropped,
	       g->st.closed, g->inflight, g->st.rx_frames, g->st.tx_frames, g->st.tx_errors);
	fflush(stdout);
}

static void lg_stop(struct lg *g)
{
	if (g->stopping)
		return;
	g->stopping = true;
	/* PADT for every session the server holds: it tears them down without waiting. */
	for (uint32_t i = 0; i < g->conf.n; i++) {
		struct lg_sess *s = &g->sess[i];
		if (s->state == LG_PPP || s->state == LG_UP || s->state == LG_CLOSING) {
			lg_ppp_reset(s);
			lg_disc_padt(s);
		}
		timer_stop(&s->t_disc);
	}
	print_tick(g, "stop");
	event_base_loopexit(g->base, NULL);
}

static void on_rx(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	lg_wire_read(arg);
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct lg *g = arg;

	print_tick(g, "tick");
	if (g->conf.duration > 0 && lg_since(&g->t_start) >= g->conf.duration)
		lg_stop(g);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	lg_stop(arg);
}

static void usage(void)
{
	fprintf(stderr, "usage: mpd5-loadgen -i IFACE -n SESSIONS [-w WINDOW] [-u USER] [-p PASS]\n"
			"         [-k KEEPALIVE_SEC] [-d DURATION_SEC] [-H HOLD_MS] [-m MAC_PREFIX] [-v]\n");
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v > max || s[0] == '-')
		return -1;
	*out = v;
	return 0;
}

static int parse_args(int argc, char **argv, struct lg_conf *c)
{
	unsigned long v;
	unsigned m[3];
	int ch;

	*c = (struct lg_conf){.window = 200, .user = "bench", .pass = "bench-pass", .mac_base = {0x02, 0x4c, 0x47}};
	while ((ch = getopt(argc, argv, "i:n:w:u:p:k:d:H:m:v")) != -1) {
		switch (ch) {
		case 'i': c->ifname = optarg; break;
		case 'u': c->user = optarg; break;
		case 'p': c->pass = optarg; break;
		case 'v': c->verbose = true; break;
		case 'n': if (parse_uint(optarg, LG_MAX_SESSIONS, &v) < 0 || v == 0) return -1; c->n = (uint32_t)v; break;
		case 'w': if (parse_uint(optarg, 100000, &v) < 0 || v == 0) return -1; c->window = (unsigned)v; break;
		case 'k': if (parse_uint(optarg, 3600, &v) < 0) return -1; c->ka_sec = (unsigned)v; break;
		case 'd': if (parse_uint(optarg, 86400, &v) < 0) return -1; c->duration = (unsigned)v; break;
		case 'H': if (parse_uint(optarg, 3600000, &v) < 0) return -1; c->hold_ms = (unsigned)v; break;
		case 'm':
			/* A locally administered unicast prefix: bit 1 set, bit 0 clear. */
			if (sscanf(optarg, "%2x:%2x:%2x", &m[0], &m[1], &m[2]) != 3 || (m[0] & 3) != 2)
				return -1;
			for (int i = 0; i < 3; i++)
				c->mac_base[i] = (uint8_t)m[i];
			break;
		default: return -1;
		}
	}
	return c->ifname != NULL && c->n > 0 && optind == argc ? 0 : -1;
}

static int lg_setup(struct lg *g)
{
	g->sess = calloc(g->conf.n, sizeof(*g->sess));
	g->again = calloc(g->conf.n, sizeof(*g->again));
	g->base = event_base_new();
	if (g->sess == NULL || g->again == NULL || g->base == NULL || lg_wire_open(g) < 0)
		return -1;
	for (uint32_t i = 0; i < g->conf.n; i++) {
		struct lg_sess *s = &g->sess[i];
		s->lg = g;
		s->idx = i;
		memcpy(s->mac, g->conf.mac_base, 3);
		s->mac[3] = (uint8_t)(i >> 16);
		s->mac[4] = (uint8_t)(i >> 8);
		s->mac[5] = (uint8_t)i;
		lg_disc_init(s);
		lg_ppp_init(s);
	}
	struct timeval sec = {1, 0};
	g->rx_ev = event_new(g->base, g->fd, EV_READ | EV_PERSIST, on_rx, g);
	g->tick_ev = event_new(g->base, -1, EV_PERSIST, on_tick, g);
	g->sig_ev[0] = evsignal_new(g->base, SIGTERM, on_signal, g);
	g->sig_ev[1] = evsignal_new(g->base, SIGINT, on_signal, g);
	if (g->rx_ev == NULL || g->tick_ev == NULL || g->sig_ev[0] == NULL || g->sig_ev[1] == NULL)
		return -1;
	event_add(g->rx_ev, NULL);
	event_add(g->tick_ev, &sec);
	event_add(g->sig_ev[0], NULL);
	event_add(g->sig_ev[1], NULL);
	return 0;
}

static void lg_free(struct lg *g)
{
	if (g->sess != NULL)
		for (uint32_t i = 0; i < g->conf.n; i++)
			lg_ppp_reset(&g->sess[i]);
	struct event *evs[] = {g->rx_ev, g->tick_ev, g->sig_ev[0], g->sig_ev[1]};
	for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++)
		if (evs[i] != NULL)
			event_free(evs[i]);
	if (g->fd > 0)
		close(g->fd);
	if (g->base != NULL)
		event_base_free(g->base);
	free(g->sess);
	free(g->again);
}

int main(int argc, char **argv)
{
	struct lg g;

	memset(&g, 0, sizeof(g));
	g.fd = -1;
	if (parse_args(argc, argv, &g.conf) < 0) {
		usage();
		return 2;
	}
	log_open("mpd5-loadgen", false);
	for (int f = 0; f < LG_NFLAGS; f++)
		log_set((enum log_flag)f, false);
	int rc = 1;
	if (lg_setup(&g) == 0) {
		clock_gettime(CLOCK_MONOTONIC, &g.t_start);
		pump(&g);
		event_base_dispatch(g.base);
		rc = 0;
	} else {
		fprintf(stderr, "loadgen: setup failed\n");
	}
	lg_free(&g);
	return rc;
}
