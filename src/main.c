/*
 * mpd5 for Linux: startup, command-line flags, signals, the startup and
 * default labels (commands.md §1-2). This file owns the one struct daemon.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/event.h>

#include "aaa/acct.h"
#include "cmdtab.h"
#include "conf/cmd.h"
#include "conf/load.h"
#include "conf/cmd_global.h"
#include "conf/secret.h"
#include "core/log.h"
#include "core/rand.h"
#include "core/timer.h"
#include "ctl/console.h"
#include "aaa/rad_client.h"
#include "core/daemon.h"
#include "link/link.h"
#include "net/ippool.h"
#include "net/nl.h"

#define EX_OK_ 0
#define EX_USAGE_ 64
#define EX_UNAVAILABLE_ 69
#define EX_SOFTWARE_ 70
#define EX_CONFIG_ 78

static struct daemon daemon_state;
static struct timer shutdown_timer;
/* Longest wait for accounting Stops at shutdown; each request also ends on its own once its
 * servers' timeout x retries are used up, whichever comes first. */
#define ACCT_SHUTDOWN_WAIT_MS 5000
static struct event *sig_events[8];
static int nsig_events;
static int pid_fd = -1;
static char crash_pidfile[256]; /* copy for the crash handler: no pointer chasing there */

static const struct option long_opts[] = {
	{"background", no_argument, NULL, 'b'},
	{"directory", required_argument, NULL, 'd'},
	{"file", required_argument, NULL, 'f'},
	{"one-shot", no_argument, NULL, 'o'},
	{"pidfile", required_argument, NULL, 'p'},
	{"kill", no_argument, NULL, 'k'},
	{"syslog-ident", required_argument, NULL, 's'},
	{"pam-service", required_argument, NULL, 'm'},
	{"check", no_argument, NULL, 't'},
	{"version", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: mpd5 [options] [configuration]\n"
		   "  -b, --background          Run as a background daemon\n"
		   "  -d, --directory dir       Set config file directory (default /etc/mpd5)\n"
		   "  -f, --file name           Set main config file (default mpd.conf)\n"
		   "  -o, --one-shot            Terminate when no links remain\n"
		   "  -p, --pidfile path        Set PID file (default /run/mpd5.pid)\n"
		   "  -k, --kill                Kill a running mpd5 first\n"
		   "  -s, --syslog-ident ident  Identifier for syslog (default mpd5)\n"
		   "  -m, --pam-service name    PAM service name (accepted; PAM is not built yet)\n"
		   "  -t, --check               Check the configuration, open nothing, exit 0 or 78\n"
		   "  -v, --version             Show version and exit\n"
		   "  -h, --help                Show this help and exit\n");
}

struct opts {
	bool kill_running;
	bool one_shot;
	const char *label;
};

/* Name the option getopt refused (ch '?' unknown, ':' missing argument), then the usage. */
static int bad_option(int ch, char **argv)
{
	const char *word = argv[optind - 1];
	char shortopt[3] = {'-', (char)optopt, '\0'};
	if (strncmp(word, "--", 2) != 0) /* "-bx": name the letter, not the group */
		word = shortopt;
	fprintf(stderr, ch == ':' ? "mpd5: option '%s' requires an argument\n" : "mpd5: unknown option '%s'\n",
		word);
	usage(stderr);
	return EX_USAGE_;
}

/* Returns -1 to continue, otherwise the exit code. */
static int parse_args(struct daemon *d, struct opts *o, int argc, char **argv)
{
	int ch;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:bd:f:op:ks:m:tvh", long_opts, NULL)) != -1) {
		switch (ch) {
		case 'b': d->background = true; break;
		case 'd': snprintf(d->confdir, sizeof(d->confdir), "%s", optarg); break;
		case 'f': snprintf(d->conffile, sizeof(d->conffile), "%s", optarg); break;
		case 'o': o->one_shot = true; break;
		case 'p': snprintf(d->pidfile, sizeof(d->pidfile), "%s", optarg); break;
		case 'k': o->kill_running = true; break;
		case 's': snprintf(d->ident, sizeof(d->ident), "%s", optarg); break;
		case 'm': break; /* PAM lands with its own issue; accepted now */
		case 't': d->check_only = true; break;
		case 'v':
			printf("Version %s\n", MPD_VERSION);
			return EX_OK_;
		case 'h':
			usage(stdout);
			return EX_OK_;
		default:
			return bad_option(ch, argv);
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, "mpd5: more than one configuration name given\n");
		usage(stderr);
		return EX_USAGE_;
	}
	o->label = optind < argc ? argv[optind] : NULL;
	return -1;
}

/* True when path still names the file open on fd: an exiting holder unlinks it. */
static bool pidfile_same(int fd, const char *path)
{
	struct stat a, b;
	return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Lock the PID file; with -k, TERM the holder and wait for it (commands.md §1.2). */
static int pidfile_lock(const char *path, bool kill_running)
{
	int fd = -1;
	for (int tries = 0;; tries++) {
		if (fd < 0)
			fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0) {
			log_msg(LG_ERR, NULL, "can't open PID file %s: %s", path, strerror(errno));
			return -1;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			if (pidfile_same(fd, path))
				break;
			close(fd); /* the old daemon removed it as we waited: lock the new one */
			fd = -1;
			continue;
		}
		if (errno != EWOULDBLOCK || !kill_running || tries >= 30) {
			log_msg(LG_ERR, NULL, "PID file %s is locked by a running mpd5", path);
			close(fd);
			return -1;
		}
		char buf[32] = "";
		ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
		long pid = n > 0 ? strtol(buf, NULL, 10) : 0;
		if (tries == 0 && pid > 1) {
			log_msg(LG_NOTICE, NULL, "killing running mpd5 (PID %ld)", pid);
			kill((pid_t)pid, SIGTERM);
		}
		sleep(1);
	}
	char buf[32];
	int len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)len, 0) != len) {
		log_msg(LG_ERR, NULL, "can't write PID file %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void pidfile_remove(struct daemon *d)
{
	if (pid_fd < 0)
		return;
	unlink(d->pidfile);
	close(pid_fd);
	pid_fd = -1;
}

static int daemonize(const char *dir)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0)
		_exit(0);
	if (setsid() < 0)
		return -1;
	int fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	if (chdir(dir) < 0)
		return chdir("/");
	return 0;
}

static void finish(struct daemon *d, int code)
{
	if (!d->check_only)
		log_msg(LG_NOTICE, NULL, "process %ld terminated", (long)getpid());
	console_stdin_stop(d);
	if (d->console != NULL)
		console_free(d->console);
	conf_cache_free(d);
	secret_free(d->secrets);
	nl_free(d->nl);
	ippool_destroy(d->pools);
	for (int i = 0; i < nsig_events; i++)
		event_free(sig_events[i]);
	if (d->base != NULL)
		event_base_free(d->base);
	pidfile_remove(d);
	log_close();
	exit(code);
}

static void shutdown_tick(void *arg)
{
	struct daemon *d = arg;
	event_base_loopbreak(d->base);
}

/* Graceful shutdown (commands.md §2): close everything, exit when all is down or after the grace time. */
static void shutdown_begin(struct daemon *d)
{
	if (d->shutting_down)
		return;
	d->shutting_down = true;
	unsigned up = links_count_up(d);
	log_msg(LG_NOTICE, NULL, "caught signal or shutdown: closing %u link(s)", up);
	links_shutdown(d);
	timer_init(&shutdown_timer, d->base, shutdown_tick, d);
	timer_start(&shutdown_timer, 2000 * (1 + up / 100));
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	struct daemon *d = arg;
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		shutdown_begin(d);
		break;
	case SIGHUP:
		log_msg(LG_NOTICE, NULL, "SIGHUP: re-reading mpd.secret");
		secret_reload(d->secrets);
		break;
	case SIGUSR1:
	case SIGUSR2:
		link_signal_first(d, sig == SIGUSR1);
		break;
	}
}

/* SIGSEGV/SIGBUS/SIGABRT: only async-signal-safe calls, then exit 70 (commands.md §2). */
static void on_fatal(int sig)
{
	static const char msg[] = "mpd5: fatal signal, exiting\n";
	(void)sig;
	if (crash_pidfile[0] != '\0')
		unlink(crash_pidfile);
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* nothing more can be done */
	}
	_exit(EX_SOFTWARE_);
}

static void signals_install(struct daemon *d)
{
	struct sigaction sa = {.sa_handler = on_fatal};
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
	static const int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2};
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sig_events[nsig_events] = evsignal_new(d->base, sigs[i], on_signal, d);
		evsignal_add(sig_events[nsig_events], NULL);
		nsig_events++;
	}
	signal(SIGPIPE, SIG_IGN);
}

static void discriminator_init(struct daemon *d)
{
	uint8_t mac[6];
	struct in_addr a;
	if (nl_first_ether_mac(d->nl, mac) == 0) {
		d->self_disc_class = 3;
		memcpy(d->self_disc, mac, 6);
		d->self_disc_len = 6;
	} else if (nl_first_ipv4(d->nl, &a) == 0) {
		d->self_disc_class = 2;
		memcpy(d->self_disc, &a, 4);
		d->self_disc_len = 4;
	} else {
		d->self_disc_class = 1;
		rand_bytes(d->self_disc, 8);
		d->self_disc_len = 8;
	}
}

/* Missing files are errors (docs/differences.md): the config directory, the main
 * file, and an mpd.secret that exists but can't be read.  A missing mpd.secret is
 * fine (a client needs none).  Checked before daemonizing so the message reaches
 * the terminal.  Returns an exit code, or -1 when all is there. */
static int check_files(struct daemon *d, const char *secret)
{
	struct stat st;
	char path[512];
	if (stat(d->confdir, &st) < 0) {
		fprintf(stderr, "mpd5: configuration directory %s: %s\n", d->confdir, strerror(errno));
		return EX_CONFIG_;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "mpd5: configuration directory %s: not a directory\n", d->confdir);
		return EX_CONFIG_;
	}
	conf_path(d, NULL, path, sizeof(path));
	FILE *fp = fopen(path, "r");
	if (fp == NULL || fstat(fileno(fp), &st) < 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "mpd5: can't read configuration file %s: %s\n", path,
			fp == NULL ? strerror(errno) : "not a regular file");
		if (fp != NULL)
			fclose(fp);
		return EX_CONFIG_;
	}
	fclose(fp);
	if (stat(secret, &st) < 0 && errno == ENOENT)
		return -1;
	fp = fopen(secret, "r");
	if (fp == NULL || fstat(fileno(fp), &st) < 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "mpd5: can't read %s: %s\n", secret, fp == NULL ? strerror(errno) : "not a regular file");
		if (fp != NULL)
			fclose(fp);
		return EX_CONFIG_;
	}
	fclose(fp);
	return -1;
}

/* Run startup, then the named label or default (commands.md §1.3).  A failing line
 * is logged and counted and the rest still runs, as in mpd5: *errors lines failed,
 * *later of them for a feature not built yet.  Returns EX_CONFIG_ when the file or
 * the label can't be read, -1 otherwise. */
static int run_config(struct daemon *d, const char *label, unsigned *errors, unsigned *later)
{
	struct cmd_ctx c = {.d = d, .priv = PRIV_ADMIN, .out = console_stdout, .out_arg = NULL,
			     .names = d->cmd_names, .log_errors = true};
	const char *want = label != NULL ? label : "default";
	char path[512];
	struct conf_result r;

	conf_path(d, NULL, path, sizeof(path));
	/* an absent startup label is normal: nothing to say */
	if (conf_load_ex(&c, NULL, "startup", &r) == CONF_LOAD_MISSING ||
	    conf_load_ex(&c, NULL, want, &r) == CONF_LOAD_MISSING) {
		log_msg(LG_ERR, NULL, "can't read configuration file %s", path);
		return EX_CONFIG_;
	}
	if (!r.found) {
		log_msg(LG_ERR, NULL, "label \"%s\" not found in %s%s", want, path,
			label == NULL ? " (add a \"default:\" label or name one on the command line)" : "");
		return EX_CONFIG_;
	}
	*errors = c.nerrors;
	*later = c.nlater;
	return -1;
}

/* Lines that need a feature this build lacks stop startup: going on would
 * silently do less than mpd5 does with the same file.  An exit code, or -1. */
static int refuse_later(unsigned later)
{
	if (later == 0)
		return -1;
	log_msg(LG_ERR, NULL, "%u configuration line%s use%s features this build does not have yet "
		"(see above): not starting", later, later == 1 ? "" : "s", later == 1 ? "s" : "");
	return EX_CONFIG_;
}

/* mpd.secret now rather than at the first login, so its errors are in the startup summary. */
static unsigned load_secrets(struct daemon *d, const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return 0;
	secret_reload(d->secrets);
	return secret_errors(d->secrets);
}

/* The end of startup: how many lines failed; with -t the verdict. */
static void config_summary(const struct daemon *d, unsigned errors)
{
	if (errors > 0)
		log_msg(LG_ERR, NULL, "%u configuration error%s", errors, errors == 1 ? "" : "s");
	else if (d->check_only)
		log_msg(LG_ERR, NULL, "configuration OK");
}

/* -t: everything was read; free it and exit without having opened anything. */
static void check_finish(struct daemon *d, int code)
{
	links_destroy_all(d);
	rad_client_destroy(d);
	event_base_loop(d->base, EVLOOP_NONBLOCK);
	finish(d, code);
}

int main(int argc, char **argv)
{
	struct daemon *d = &daemon_state;
	struct opts o = {0};
	snprintf(d->confdir, sizeof(d->confdir), "/etc/mpd5");
	snprintf(d->conffile, sizeof(d->conffile), "mpd.conf");
	snprintf(d->pidfile, sizeof(d->pidfile), "/run/mpd5.pid");
	snprintf(d->ident, sizeof(d->ident), "mpd5");
	global_conf_defaults(&d->g);
	d->cmd_names = cmdtab_names();

	int rc = parse_args(d, &o, argc, argv);
	if (rc >= 0)
		return rc;
	/* -b chdirs to the directory: a relative -d must not be read from there again */
	char absdir[PATH_MAX];
	if (realpath(d->confdir, absdir) != NULL)
		snprintf(d->confdir, sizeof(d->confdir), "%.255s", absdir);
	char spath[sizeof(d->confdir) + 16];
	snprintf(spath, sizeof(spath), "%.255s/mpd.secret", d->confdir);
	if ((rc = check_files(d, spath)) >= 0)
		return rc;
	if (o.one_shot)
		d->g.opts.enable |= 1u << GOPT_ONESHOT;
	if (d->check_only)
		d->background = false; /* a check reports to the terminal that ran it */
	if (d->background && daemonize(d->confdir) < 0) {
		fprintf(stderr, "mpd5: can't daemonize: %s\n", strerror(errno));
		return EX_SOFTWARE_;
	}
	log_open(d->ident, d->background);
	if (!d->check_only) {
		log_msg(LG_NOTICE, NULL, "Multi-link PPP daemon for Linux");
		log_msg(LG_NOTICE, NULL, "process %ld started, version %s", (long)getpid(), MPD_VERSION);
		pid_fd = pidfile_lock(d->pidfile, o.kill_running);
		if (pid_fd < 0)
			return EX_UNAVAILABLE_;
		snprintf(crash_pidfile, sizeof(crash_pidfile), "%.255s", d->pidfile);
	}
	d->base = event_base_new();
	d->nl = d->check_only ? NULL : nl_open(); /* -t opens no socket, netlink included */
	if (links_init(d) < 0) {
		log_msg(LG_ERR, NULL, "can't allocate the link and bundle registries");
		finish(d, EX_UNAVAILABLE_);
	}
	if (d->base == NULL || (d->nl == NULL && !d->check_only)) {
		log_msg(LG_ERR, NULL, "can't initialise the event loop or netlink");
		finish(d, EX_UNAVAILABLE_);
	}
	d->shutdown = shutdown_begin;
	d->secrets = secret_open(spath);
	unsigned errors = load_secrets(d, spath), conf_errors = 0, later = 0;
	if (!d->check_only) {
		discriminator_init(d);
		signals_install(d);
	}

	rc = run_config(d, o.label, &conf_errors, &later);
	errors += conf_errors;
	if (rc < 0)
		config_summary(d, errors);
	if (d->check_only)
		check_finish(d, rc >= 0 ? rc : errors > 0 ? EX_CONFIG_ : EX_OK_);
	if (rc < 0)
		rc = refuse_later(later);
	if (rc >= 0)
		finish(d, rc);
	if (!d->background)
		console_stdin_start(d);
	links_check_oneshot(d);

	event_base_dispatch(d->base);
	/* Stops of the sessions just closed: a bounded wait, then whatever is left is given up
	 * (docs/differences.md) */
	timer_stop(&shutdown_timer);
	acct_shutdown_wait(d, ACCT_SHUTDOWN_WAIT_MS);
	links_destroy_all(d);
	acct_abort_all(d); /* after the links: they forget their requests first */
	rad_client_destroy(d);
	/* run the frees that teardown deferred to the loop (0 ms timers) */
	event_base_loop(d->base, EVLOOP_NONBLOCK);
	finish(d, EX_OK_);
	return 0;
}
