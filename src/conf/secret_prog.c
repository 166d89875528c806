/*
 * `!program` passwords of mpd.secret.  mpd5 blocks until the program ends;
 * we bound it: after timeout_ms the program's whole process group is killed
 * and the login fails.  The login comes from the peer, so it reaches the
 * shell as "$1" and is never parsed as shell text.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conf/secret.h"
#include "core/log.h"

extern char **environ;

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static pid_t spawn_sh(const char *script, const char *arg, int outfd)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	pid_t pid = -1;
	char *argv[] = {"sh", "-c", (char *)script, "sh", (char *)arg, NULL};

	if (posix_spawn_file_actions_init(&fa) != 0)
		return -1;
	if (posix_spawnattr_init(&at) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, outfd, 1);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
					  POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setpgroup(&at, 0); /* own group: a timeout kills its children too */
	sigset_t none, all;
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &all);
	if (posix_spawn(&pid, "/bin/sh", &fa, &at, argv, environ) != 0)
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	return pid;
}

/* Keep the first output line in buf and drain the rest until end of output,
 * so the program is not killed by SIGPIPE; -1 when the deadline passes. */
static int read_line(int fd, long long deadline, char *buf, size_t len)
{
	size_t n = 0;
	bool eol = false;
	for (;;) {
		long long left = deadline - now_ms();
		if (left <= 0)
			return -1;
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int r = poll(&p, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		char tmp[256];
		ssize_t got = read(fd, tmp, sizeof(tmp));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		for (ssize_t i = 0; i < got && !eol; i++) {
			if (tmp[i] == '\n')
				eol = true;
			else if (n + 1 < len)
				buf[n++] = tmp[i];
		}
	}
	buf[n] = '\0';
	return 0;
}

/* Reap pid before the deadline; -1 (after killing its group) when it is late
 * or failed.  ECHILD means someone else reaped it: judge by the output. */
static int reap(pid_t pid, long long deadline)
{
	int st;
	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
		if (r < 0 && errno != EINTR)
			return 0;
		if (now_ms() >= deadline) {
			kill(-pid, SIGKILL);
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			return -1;
		}
		struct timespec ts = {0, 2 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

int secret_prog_run(const char *cmd, const char *arg, unsigned timeout_ms, char *buf, size_t len)
{
	int fds[2];
	size_t slen = strlen(cmd) + sizeof(" \"$1\"");
	char *script = malloc(slen);

	if (len == 0 || script == NULL) {
		free(script);
		return -1;
	}
	buf[0] = '\0';
	snprintf(script, slen, "%s \"$1\"", cmd);
	if (pipe2(fds, O_CLOEXEC) < 0) {
		free(script);
		return -1;
	}
	pid_t pid = spawn_sh(script, arg, fds[1]);
	close(fds[1]);
	free(script);
	if (pid < 0) {
		close(fds[0]);
		log_msg(LG_ERR, NULL, "mpd.secret: can't run \"%s\"", cmd);
		return -1;
	}
	long long deadline = now_ms() + timeout_ms;
	int rc = read_line(fds[0], deadline, buf, len);
	close(fds[0]);
	if (rc < 0) {
		kill(-pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		log_msg(LG_ERR, NULL, "mpd.secret: \"%s\" timed out after %u ms", cmd, timeout_ms);
		buf[0] = '\0';
		return -1;
	}
	if (reap(pid, deadline) < 0) {
		buf[0] = '\0';
		return -1;
	}
	size_t n = strlen(buf);
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return n > 0 ? 0 : -1;
}
