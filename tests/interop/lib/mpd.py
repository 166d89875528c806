"""Our daemon, build/mpd5, run in a case's namespace in the foreground.

The config is written as mpd.conf in a fresh directory. A `startup:` label
is always added that opens the telnet console (for `show` commands), so the
case's text holds only the label it is about.
"""

import os
import re
import signal
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))

CONSOLE_USER = "mpdi"
CONSOLE_PASS = "mpdi-pass"
CONSOLE_PORT = 5005

# Log lines meaning "the daemon does not have this yet" rather than "it is
# wrong": a case then skips, unless the runner is told --strict.
UNSUPPORTED = re.compile(r"not supported yet|unknown command|"
                         r"unknown device type|not implemented|"
                         r"usage: mpd5", re.I)


class MpdNotReady(Exception):
    """mpd5 is missing or lacks a command the case needs."""


class Mpd:
    def __init__(self, binary, netns, workdir, conf, secret="", label=None,
                 name="mpd5"):
        self.binary = binary
        self.netns = netns
        self.dir = os.path.join(workdir, name)
        self.label = label
        self.proc = None
        os.makedirs(self.dir, exist_ok=True)
        self.log_path = os.path.join(self.dir, "mpd5.log")
        self.pidfile = os.path.join(self.dir, "mpd5.pid")
        startup = ("startup:\n"
                   f"    set user {CONSOLE_USER} {CONSOLE_PASS} admin\n"
                   f"    set console self 127.0.0.1 {CONSOLE_PORT}\n"
                   "    set console open\n\n")
        with open(os.path.join(self.dir, "mpd.conf"), "w") as f:
            f.write(startup + _dedent_conf(conf))
        with open(os.path.join(self.dir, "mpd.secret"), "w") as f:
            f.write(secret)
        os.chmod(os.path.join(self.dir, "mpd.secret"), 0o600)

    def start(self, settle=1.5):
        argv = [self.binary, "-d", self.dir, "-p", self.pidfile]
        if self.label:
            argv.append(self.label)
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(self.netns.exec_argv(argv),
                                         stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT,
                                         start_new_session=True,
                                         cwd=self.dir)
        time.sleep(settle)
        bad = UNSUPPORTED.search(self.log())
        if bad:
            raise MpdNotReady(f"mpd5 lacks: {self._line_of(bad)}")
        rc = self.proc.poll()
        if rc is not None:
            # A crash is a bug; a clean early exit is a daemon that does not
            # run a config yet.
            if rc < 0 or rc == 70:
                raise RuntimeError(f"mpd5 died at startup (status {rc}):\n"
                                   + self.log())
            raise MpdNotReady(f"mpd5 exited at startup with status {rc}")
        try:
            self.console("show version", timeout=10)
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            raise MpdNotReady(f"mpd5 console not available ({e})")

    def _line_of(self, m):
        text = self.log()
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        return text[start:end if end >= 0 else None].strip()[:160]

    def log(self):
        # The daemon batches informational lines for up to 2 ms (core/log.c); a
        # short pause lets a line about what just happened reach the file.
        time.sleep(0.01)
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def wait_log(self, pattern, timeout=20, since=0):
        """Wait until the log (from offset `since`) matches; the match."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            m = rx.search(self.log(), since)
            if m or time.monotonic() > deadline:
                return m
            time.sleep(0.2)

    def console(self, *commands, timeout=20):
        """Output of console commands (one string for all)."""
        argv = self.netns.exec_argv(
            ["/usr/bin/python3", os.path.join(HERE, "console_client.py"),
             "127.0.0.1", str(CONSOLE_PORT), CONSOLE_USER, CONSOLE_PASS]
            + list(commands))
        r = subprocess.run(argv, capture_output=True, text=True,
                           timeout=timeout)
        if r.returncode != 0:
            raise RuntimeError(f"console {commands}: {r.stderr.strip()}")
        return r.stdout

    def stop(self):
        if self.proc is None:
            return
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if self.proc.poll() is not None:
                break
            try:
                os.kill(self.proc.pid, sig)
                self.proc.wait(timeout=5)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass


def _dedent_conf(text):
    """Case texts are indented Python strings: a line ending in ':' with no
    blank in it is a label and goes to column 0, the rest is indented."""
    out = []
    for line in text.strip("\n").splitlines():
        line = line.strip()
        if re.fullmatch(r"[^\s:]+:", line):
            out.append(line)
        elif line:
            out.append("    " + line)
        else:
            out.append("")
    return "\n".join(out) + "\n"


def find_binary(build_dir, explicit=None):
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    for cand in (os.path.join(build_dir, "mpd5"),
                 os.path.join(build_dir, "src", "mpd5")):
        if os.access(cand, os.X_OK):
            return cand
    return None

