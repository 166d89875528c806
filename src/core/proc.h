/*
 * Child processes on the event loop: up/down scripts, `!program`
 * passwords, external helpers. The program runs with stdin and stderr on
 * /dev/null, in its own process group (a timeout kills the whole group),
 * with default signal dispositions; its exit is reaped from the loop
 * without blocking (a pidfd, or SIGCHLD through libevent where pidfds are
 * missing: then every running child's handler looks at each SIGCHLD,
 * fine for scripts), so no zombie outlives it. No global state: each
 * child is one struct proc, owned by the loop until it is reaped; keep
 * the loop running (or alive) until then.
 */
#ifndef MPD_CORE_PROC_H
#define MPD_CORE_PROC_H

#include <stddef.h>
#include <sys/types.h>
#include <event2/event.h>

/* Longest first line kept by proc_run_line, with its terminating NUL. */
#define PROC_LINE_MAX 1024

struct proc;

/* status: the exit code (0..255), or -1 on timeout, death by a signal or exec failure. */
typedef void (*proc_done_fn)(int status, void *arg);
/* As proc_done_fn, plus the first output line without its newline ("" when none). */
typedef void (*proc_line_fn)(int status, const char *line, void *arg);

/*
 * Run argv[0] (searched in PATH) with stdout discarded. cb runs exactly
 * once, later, from the loop, unless proc_cancel is called first; the
 * handle is invalid once cb has started. timeout_ms 0 means no limit.
 * NULL (errno set) only when nothing could be set up; cb never runs then.
 */
struct proc *proc_run(struct event_base *base, char *const argv[], unsigned timeout_ms,
		      proc_done_fn cb, void *arg);
/* Like proc_run, but capture the first line the program prints (stdout). */
struct proc *proc_run_line(struct event_base *base, char *const argv[], unsigned timeout_ms,
			   proc_line_fn cb, void *arg);
/* As proc_done_fn, plus everything the program printed on stdout (out[len] is a NUL). */
typedef void (*proc_io_fn)(int status, const char *out, size_t len, void *arg);

/*
 * Like proc_run, but a conversation: input (copied) is written to the
 * program's stdin, which is then closed, and its stdout is collected up
 * to out_max bytes (the rest is read and dropped) until it exits. A
 * program that does not read its input does not block the loop (writes
 * are non-blocking and stop at the first error, without SIGPIPE).
 */
struct proc *proc_run_io(struct event_base *base, char *const argv[], const char *input, size_t in_len,
			 size_t out_max, unsigned timeout_ms, proc_io_fn cb, void *arg);
/* Code run in a forked child (proc_fork_io): write the answer to out_fd; returns the exit status. */
typedef int (*proc_child_fn)(int out_fd, void *arg);

/*
 * Like proc_run_io, but the child is a fork of this process running fn
 * (for blocking library calls such as PAM or a password database lookup
 * that must not stall the loop). fn sees a copy of our memory as it is at
 * the call, must not touch the event loop and its return value is the
 * exit status. Same guarantees: own process group, killed at the timeout,
 * reaped on the loop, cb once and later unless cancelled.
 */
struct proc *proc_fork_io(struct event_base *base, proc_child_fn fn, void *fnarg, size_t out_max,
			  unsigned timeout_ms, proc_io_fn cb, void *arg);
/* Kill the child's process group and drop the callback; reaping still happens on the loop. */
void proc_cancel(struct proc *p);
/* The child's PID, 0 when it could not be started. */
pid_t proc_pid(const struct proc *p);

#endif
