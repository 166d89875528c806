/* Child processes on the libevent loop (see proc.h for the contract). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/log.h"
#include "core/proc.h"

extern char **environ;

/* Output read after exit is bounded: a grandchild may hold the pipe and never stop. */
#define PROC_DRAIN_MAX 65536

struct proc {
	struct event_base *base;
	pid_t pid;               /* 0 when spawning failed */
	int pidfd;               /* -1 when reaping through SIGCHLD */
	struct event *exit_ev;   /* pidfd readable, or SIGCHLD */
	struct event *timer_ev;  /* timeout, or the deferred failure report */
	struct event *out_ev;    /* capture pipe */
	int out_fd;
	struct event *in_ev;     /* stdin socket writable (proc_run_io) */
	int in_fd;
	char *in_buf;            /* what is left to write */
	size_t in_len, in_off;
	char *all;               /* proc_run_io: every output byte up to all_max */
	size_t all_len, all_max;
	bool capture, timed_out, cancelled;
	int status;
	size_t line_len;
	bool line_done;          /* newline seen or buffer full */
	char line[PROC_LINE_MAX];
	proc_done_fn done;
	proc_line_fn done_line;
	proc_io_fn done_io;
	void *arg;
};

static void proc_on_input(evutil_socket_t fd, short what, void *arg);

/* The conversation's input is done (or the child stopped reading): the child sees EOF. */
static void proc_in_close(struct proc *p)
{
	if (p->in_ev != NULL)
		event_free(p->in_ev);
	p->in_ev = NULL;
	if (p->in_fd >= 0)
		close(p->in_fd);
	p->in_fd = -1;
	if (p->in_buf != NULL) {
		explicit_bzero(p->in_buf, p->in_len); /* it may carry a password */
		free(p->in_buf);
	}
	p->in_buf = NULL;
}

static void proc_free(struct proc *p)
{
	if (p->exit_ev != NULL)
		event_free(p->exit_ev);
	if (p->timer_ev != NULL)
		event_free(p->timer_ev);
	if (p->out_ev != NULL)
		event_free(p->out_ev);
	if (p->pidfd >= 0)
		close(p->pidfd);
	if (p->out_fd >= 0)
		close(p->out_fd);
	proc_in_close(p);
	free(p->all);
	free(p);
}

static void proc_finish(struct proc *p)
{
	if (!p->cancelled) {
		if (p->all != NULL)
			p->done_io(p->status, p->all, p->all_len, p->arg);
		else if (p->capture)
			p->done_line(p->status, p->line, p->arg);
		else
			p->done(p->status, p->arg);
	}
	proc_free(p);
}

/* Keep bytes up to the first newline; everything after it is read and dropped. */
static void proc_line_take(struct proc *p, const char *buf, size_t n)
{
	for (size_t i = 0; i < n && !p->line_done; i++) {
		if (buf[i] == '\n' || p->line_len == PROC_LINE_MAX - 1) {
			p->line_done = true;
			break;
		}
		p->line[p->line_len++] = buf[i];
	}
	p->line[p->line_len] = '\0';
	if (p->line_done && p->line_len > 0 && p->line[p->line_len - 1] == '\r')
		p->line[--p->line_len] = '\0';
}

/* One read: 1 when bytes came, 0 when none are ready, -1 once the pipe is closed. */
static int proc_out_read(struct proc *p)
{
	char buf[4096];
	ssize_t n = read(p->out_fd, buf, sizeof(buf));
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0) {
		event_del(p->out_ev);
		close(p->out_fd);
		p->out_fd = -1;
		return -1;
	}
	if (p->all != NULL) {
		size_t take = (size_t)n <= p->all_max - p->all_len ? (size_t)n : p->all_max - p->all_len;
		memcpy(p->all + p->all_len, buf, take);
		p->all_len += take;
		p->all[p->all_len] = '\0';
	} else {
		proc_line_take(p, buf, (size_t)n);
	}
	return 1;
}

static void proc_on_output(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	proc_out_read(arg);
}

/* What the child wrote before it exited is in the pipe now; take it without waiting for EOF. */
static void proc_out_drain(struct proc *p)
{
	for (int i = 0; i < PROC_DRAIN_MAX / 4096 && p->out_fd >= 0; i++)
		if (proc_out_read(p) <= 0)
			break;
}

/* Exit code, or -1 for a timeout or a death by signal. */
static int proc_status(const struct proc *p, int wstatus)
{
	if (p->timed_out || !WIFEXITED(wstatus))
		return -1;
	return WEXITSTATUS(wstatus);
}

/* Reap our child if it has exited; false while it still runs. */
static bool proc_try_reap(struct proc *p)
{
	int wstatus = 0;
	pid_t r = waitpid(p->pid, &wstatus, WNOHANG);
	if (r == 0 || (r < 0 && errno == EINTR))
		return false;
	if (r < 0) {
		/* Someone else reaped it (SIGCHLD set to SIG_IGN?): the status is lost. */
		log_msg(LG_ERR, NULL, "process %ld: %s", (long)p->pid, strerror(errno));
		p->status = -1;
	} else {
		p->status = proc_status(p, wstatus);
		if (WIFSIGNALED(wstatus) && !p->timed_out && !p->cancelled)
			log_msg(LG_WARN, NULL, "process %ld killed by signal %d", (long)p->pid, WTERMSIG(wstatus));
	}
	if (p->out_fd >= 0)
		proc_out_drain(p);
	proc_finish(p);
	return true;
}

static void proc_on_exit(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct proc *p = arg;
	/* A pidfd event is one-shot; re-arm it if the exit was somehow not there yet. */
	if (!proc_try_reap(p) && p->pidfd >= 0)
		event_add(p->exit_ev, NULL);
}

static void proc_kill(struct proc *p)
{
	/* The child leads its own group: this also reaches what a shell script started. */
	kill(-p->pid, SIGKILL);
	kill(p->pid, SIGKILL);
}

static void proc_on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct proc *p = arg;
	if (p->pid == 0) {
		proc_finish(p); /* spawning failed: report it now, from the loop */
		return;
	}
	log_msg(LG_WARN, NULL, "process %ld timed out, killing it", (long)p->pid);
	p->timed_out = true;
	proc_kill(p);
}

static int proc_spawn_actions(posix_spawn_file_actions_t *fa, int in_fd, int out_fd)
{
	int rc = in_fd >= 0 ? posix_spawn_file_actions_adddup2(fa, in_fd, 0)
			    : posix_spawn_file_actions_addopen(fa, 0, "/dev/null", O_RDONLY, 0);
	if (rc == 0 && out_fd >= 0)
		rc = posix_spawn_file_actions_adddup2(fa, out_fd, 1);
	else if (rc == 0)
		rc = posix_spawn_file_actions_addopen(fa, 1, "/dev/null", O_WRONLY, 0);
	if (rc == 0)
		rc = posix_spawn_file_actions_addopen(fa, 2, "/dev/null", O_WRONLY, 0);
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 34)
	/* Our sockets are close-on-exec, but a library's might not be. */
	if (rc == 0)
		rc = posix_spawn_file_actions_addclosefrom_np(fa, 3);
#endif
	return rc;
}

static int proc_spawn_attrs(posix_spawnattr_t *at)
{
	sigset_t none, all;
	sigemptyset(&none);
	sigfillset(&all);
	/* The daemon ignores SIGPIPE; scripts expect the defaults. */
	int rc = posix_spawnattr_setsigmask(at, &none);
	if (rc == 0)
		rc = posix_spawnattr_setsigdefault(at, &all);
	if (rc == 0)
		rc = posix_spawnattr_setpgroup(at, 0);
	if (rc == 0)
		rc = posix_spawnattr_setflags(at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
						      POSIX_SPAWN_SETPGROUP);
	return rc;
}

/* Start the child; a positive errno on failure (exec failures included). */
static int proc_spawn(pid_t *pid, char *const argv[], int in_fd, int out_fd)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	int rc = posix_spawn_file_actions_init(&fa);
	if (rc != 0)
		return rc;
	rc = posix_spawnattr_init(&at);
	if (rc == 0) {
		rc = proc_spawn_actions(&fa, in_fd, out_fd);
		if (rc == 0)
			rc = proc_spawn_attrs(&at);
		if (rc == 0)
			rc = posix_spawnp(pid, argv[0], &fa, &at, argv, environ);
		posix_spawnattr_destroy(&at);
	}
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

/* Watch for the exit: a pidfd where the kernel has them, else SIGCHLD on the loop. */
static int proc_watch_exit(struct proc *p)
{
	p->pidfd = (int)syscall(SYS_pidfd_open, p->pid, 0);
	if (p->pidfd >= 0) {
		p->exit_ev = event_new(p->base, p->pidfd, EV_READ, proc_on_exit, p);
		return p->exit_ev != NULL && event_add(p->exit_ev, NULL) == 0 ? 0 : -1;
	}
	p->exit_ev = evsignal_new(p->base, SIGCHLD, proc_on_exit, p);
	if (p->exit_ev == NULL || event_add(p->exit_ev, NULL) < 0)
		return -1;
	/* The child may have exited before the handler was in place: look once now. */
	event_active(p->exit_ev, EV_SIGNAL, 1);
	return 0;
}

static int proc_watch_output(struct proc *p)
{
	if (p->out_fd < 0)
		return 0;
	p->out_ev = event_new(p->base, p->out_fd, EV_READ | EV_PERSIST, proc_on_output, p);
	return p->out_ev != NULL && event_add(p->out_ev, NULL) == 0 ? 0 : -1;
}

static int proc_arm_timer(struct proc *p, unsigned ms)
{
	struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};
	return event_add(p->timer_ev, &tv);
}

/* After a successful spawn: every watcher in place, or the child is killed. */
static int proc_watch(struct proc *p, unsigned timeout_ms)
{
	if (proc_watch_exit(p) < 0 || proc_watch_output(p) < 0 ||
	    (timeout_ms > 0 && proc_arm_timer(p, timeout_ms) < 0)) {
		log_msg(LG_ERR, NULL, "process %ld: can't watch it, killing it", (long)p->pid);
		proc_kill(p);
		waitpid(p->pid, NULL, 0); /* SIGKILLed: returns at once */
		return -1;
	}
	return 0;
}

/* Report a spawn failure from the loop, so callers see one path for every failure. */
static struct proc *proc_failed(struct proc *p, const char *prog, int err)
{
	log_msg(LG_ERR, NULL, "can't run %s: %s", prog, strerror(err));
	p->pid = 0;
	p->status = -1;
	if (proc_arm_timer(p, 0) < 0) {
		proc_free(p);
		errno = EIO;
		return NULL;
	}
	return p;
}

/* Write what the socket takes now; the rest when it is writable again. Closed when done or broken. */
static void proc_in_write(struct proc *p)
{
	while (p->in_off < p->in_len) {
		ssize_t n = send(p->in_fd, p->in_buf + p->in_off, p->in_len - p->in_off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			if (p->in_ev == NULL)
				p->in_ev = event_new(p->base, p->in_fd, EV_WRITE | EV_PERSIST, proc_on_input, p);
			if (p->in_ev != NULL && event_add(p->in_ev, NULL) == 0)
				return;
			break;
		}
		if (n <= 0)
			break; /* the program closed its stdin: what it says is still read */
		p->in_off += (size_t)n;
	}
	proc_in_close(p);
}

static void proc_on_input(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	proc_in_write(arg);
}

/* The conversation's buffers and the socket that becomes the child's stdin (*child_in). */
/* The buffer that collects all of stdout, for proc_run_io and proc_fork_io. */
static int proc_out_setup(struct proc *p, size_t out_max)
{
	p->all = malloc(out_max + 1);
	if (p->all == NULL)
		return -1;
	p->all[0] = '\0';
	p->all_max = out_max;
	return 0;
}

static int proc_io_setup(struct proc *p, const char *input, size_t in_len, size_t out_max, int *child_in)
{
	int sv[2];
	p->in_buf = malloc(in_len > 0 ? in_len : 1);
	if (proc_out_setup(p, out_max) < 0 || p->in_buf == NULL)
		return -1;
	memcpy(p->in_buf, input, in_len);
	p->in_len = in_len;
	/* A socket, not a pipe: send() can say MSG_NOSIGNAL when the program never reads. */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	p->in_fd = sv[0];
	*child_in = sv[1];
	return 0;
}

/*
 * The forked variant's child: its own process group, default signals, stdin and stderr on
 * /dev/null, stdout the capture pipe; it runs fn and leaves with _exit (no atexit handlers, no
 * stdio buffers of the parent flushed twice, nothing of the event loop touched).
 */
static void proc_child_run(proc_child_fn fn, void *arg, int out_fd)
{
	sigset_t none;
	setpgid(0, 0);
	/* the daemon's handlers write to its loop, and its crash handler removes its PID file */
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	int null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 2);
	}
	if (out_fd >= 0)
		dup2(out_fd, 1);
	/* the daemon's sockets (consoles, PPPoE, pidfds) are not the helper's to keep open */
	close_range(3, ~0U, 0);
	_exit(fn(1, arg) & 0xff);
}

/* Fork the child; a positive errno on failure. */
static int proc_fork_child(pid_t *pid, proc_child_fn fn, void *arg, int out_fd)
{
	pid_t c = fork();
	if (c < 0)
		return errno;
	if (c == 0)
		proc_child_run(fn, arg, out_fd);
	setpgid(c, c); /* both sides set it: a kill of the group can't come before it exists */
	*pid = c;
	return 0;
}

static struct proc *proc_start(struct event_base *base, char *const argv[], unsigned timeout_ms, bool capture,
			       const char *input, size_t in_len, size_t out_max, proc_child_fn fn, void *fnarg)
{
	int pipefd[2] = {-1, -1}, child_in = -1;
	if (fn == NULL && (argv == NULL || argv[0] == NULL)) {
		errno = EINVAL;
		return NULL;
	}
	struct proc *p = calloc(1, sizeof(*p));
	if (p == NULL)
		return NULL;
	*p = (struct proc){.base = base, .pidfd = -1, .out_fd = -1, .in_fd = -1, .capture = capture};
	p->timer_ev = evtimer_new(base, proc_on_timer, p);
	/* Only our end is non-blocking: a child writing to a full pipe must wait, not fail with EAGAIN. */
	if (p->timer_ev == NULL || (capture && (pipe2(pipefd, O_CLOEXEC) < 0 ||
						fcntl(pipefd[0], F_SETFL, O_NONBLOCK) < 0)) ||
	    (input != NULL && proc_io_setup(p, input, in_len, out_max, &child_in) < 0) ||
	    (fn != NULL && proc_out_setup(p, out_max) < 0)) {
		int err = p->timer_ev == NULL ? ENOMEM : errno;
		if (pipefd[0] >= 0) {
			close(pipefd[0]);
			close(pipefd[1]);
		}
		proc_free(p);
		errno = err;
		return NULL;
	}
	p->out_fd = pipefd[0];
	int rc = fn != NULL ? proc_fork_child(&p->pid, fn, fnarg, pipefd[1]) : proc_spawn(&p->pid, argv, child_in, pipefd[1]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	if (child_in >= 0)
		close(child_in);
	if (rc != 0) {
		proc_in_close(p);
		return proc_failed(p, fn != NULL ? "a helper process" : argv[0], rc);
	}
	if (proc_watch(p, timeout_ms) < 0) {
		proc_free(p);
		errno = EIO;
		return NULL;
	}
	if (p->in_fd >= 0)
		proc_in_write(p);
	return p;
}

struct proc *proc_run(struct event_base *base, char *const argv[], unsigned timeout_ms,
		      proc_done_fn cb, void *arg)
{
	struct proc *p = proc_start(base, argv, timeout_ms, false, NULL, 0, 0, NULL, NULL);
	if (p != NULL) {
		p->done = cb;
		p->arg = arg;
	}
	return p;
}

struct proc *proc_run_line(struct event_base *base, char *const argv[], unsigned timeout_ms,
			   proc_line_fn cb, void *arg)
{
	struct proc *p = proc_start(base, argv, timeout_ms, true, NULL, 0, 0, NULL, NULL);
	if (p != NULL) {
		p->done_line = cb;
		p->arg = arg;
	}
	return p;
}

struct proc *proc_run_io(struct event_base *base, char *const argv[], const char *input, size_t in_len,
			 size_t out_max, unsigned timeout_ms, proc_io_fn cb, void *arg)
{
	if (input == NULL) {
		errno = EINVAL;
		return NULL;
	}
	struct proc *p = proc_start(base, argv, timeout_ms, true, input, in_len, out_max, NULL, NULL);
	if (p != NULL) {
		p->done_io = cb;
		p->arg = arg;
	}
	return p;
}

struct proc *proc_fork_io(struct event_base *base, proc_child_fn fn, void *fnarg, size_t out_max,
			  unsigned timeout_ms, proc_io_fn cb, void *arg)
{
	if (fn == NULL) {
		errno = EINVAL;
		return NULL;
	}
	/* no input: a zero-length conversation whose stdin the child never sees */
	struct proc *p = proc_start(base, NULL, timeout_ms, true, NULL, 0, out_max, fn, fnarg);
	if (p != NULL) {
		p->done_io = cb;
		p->arg = arg;
	}
	return p;
}

void proc_cancel(struct proc *p)
{
	p->cancelled = true;
	if (p->pid > 0) {
		evtimer_del(p->timer_ev);
		proc_kill(p);
	}
}

pid_t proc_pid(const struct proc *p)
{
	return p->pid;
}
