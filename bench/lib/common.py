"""What every benchmark shares: namespaces with one unique prefix per run,
processes ended by PID, cleanup on exit and interrupt, /proc readings,
medians and the results file.
"""

import atexit
import datetime
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(TOP, "tests", "interop", "lib"))

from mpd import Mpd  # noqa: E402,F401  (re-exported for the benchmarks)
from netns import Netns, sh  # noqa: E402,F401

CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


class Run:
    """One benchmark run: a unique namespace prefix, a work directory, and
    everything to undo, undone in reverse order whatever happens."""

    def __init__(self, build_dir):
        self.build_dir = os.path.abspath(build_dir)
        self.prefix = "mpdb" + secrets.token_hex(3)
        self.dir = tempfile.mkdtemp(prefix=self.prefix + "-")
        self._undo = []
        self._done = False
        self.profiler = None  # set by `profile NAME`: watches the first server started
        atexit.register(self.cleanup)
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, self._on_signal)

    def _on_signal(self, signum, frame):
        raise SystemExit(128 + signum)

    def netns(self, tag):
        ns = Netns(self.prefix + tag)
        self._undo.append(ns.delete)
        return ns

    def popen(self, argv, log_name, **kw):
        """Start a process (already wrapped for its namespace) logging to a file;
        it is ended by PID at cleanup."""
        log = open(os.path.join(self.dir, log_name), "wb")
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                             stderr=subprocess.STDOUT, start_new_session=True, **kw)
        self._undo.append(lambda: stop_pid(p))
        return p

    def server_started(self, pid):
        """Benchmarks call this when their server runs (profile mode attaches here)."""
        if self.profiler is not None:
            self.profiler.attach(pid)

    def server_stopping(self, pid):
        """Benchmarks call this before they stop their server."""
        if self.profiler is not None:
            self.profiler.detach(pid)

    def on_cleanup(self, fn):
        self._undo.append(fn)

    def cleanup(self):
        if self._done:
            return
        self._done = True
        while self._undo:
            fn = self._undo.pop()
            try:
                fn()
            except Exception as e:  # cleanup goes on whatever one step says
                print(f"cleanup: {e}", file=sys.stderr)

    def binary(self, name):
        for cand in (os.path.join(self.build_dir, name),
                     os.path.join(self.build_dir, "bench", "loadgen", name)):
            if os.access(cand, os.X_OK):
                return cand
        raise SystemExit(f"{name} not built in {self.build_dir}")


def stop_pid(p, timeout=5):
    """SIGTERM, then SIGKILL, to this one process."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if p.poll() is not None:
            return
        try:
            os.kill(p.pid, sig)
            p.wait(timeout=timeout)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass


def daemon_pid(m):
    """The daemon's own PID: Mpd starts it through `ip netns exec`, which execs."""
    return m.proc.pid


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def cpu_ticks(pid):
    """utime + stime of the process, in clock ticks."""
    with open(f"/proc/{pid}/stat") as f:
        rest = f.read().rsplit(")", 1)[1].split()
    return int(rest[11]) + int(rest[12])


def cpu_percent(pid, seconds):
    """Share of one core the process used over `seconds`."""
    t0, c0 = time.monotonic(), cpu_ticks(pid)
    time.sleep(seconds)
    t1, c1 = time.monotonic(), cpu_ticks(pid)
    return 100.0 * (c1 - c0) / CLK_TCK / (t1 - t0)


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def git_commit():
    r = subprocess.run(["git", "-C", TOP, "rev-parse", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", TOP, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return r.stdout.strip() + ("-dirty" if dirty else "")


def _user_args(argv):
    """The arguments as given to bench/run (without the --build-dir it adds)."""
    out, skip = [], False
    for a in argv:
        if skip:
            skip = False
        elif a == "--build-dir":
            skip = True
        else:
            out.append(a)
    return out


def header(name):
    return {
        "benchmark": name,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "command": " ".join(["bench/run"] + _user_args(sys.argv[1:])),
        "host": {"kernel": os.uname().release, "cpus": os.cpu_count()},
    }


def wait_for(pred, timeout, step=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(step)
    return pred()


def table(rows, head):
    """Plain text table, columns as wide as their widest cell."""
    cells = [head] + [[str(c) for c in r] for r in rows]
    w = [max(len(r[i]) for r in cells) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w[i]) if i == 0 else c.rjust(w[i]) for i, c in enumerate(r))
             for r in cells]
    lines.insert(1, "  ".join("-" * x for x in w))
    return "\n".join(lines)


def fmt(x, unit=""):
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.2f}{unit}"
    return f"{x}{unit}"


def write_json(path, doc):
    if path:
        with open(path, "w") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
