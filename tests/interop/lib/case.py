"""What a case gets: its own namespace(s), guests, captures, our daemon, and
a report of both sides' logs when it fails.

A case is a function decorated with @case in a file of tests/interop/cases/:

    @case(mpd=True)
    def pppoe_server_pap(ctx):
        ns = ctx.netns()
        g = ctx.guest(ns)
        ...
        ctx.expect(ok, "what went wrong")
"""

import os
import threading
import time

from capture import Capture
from guest import Guest
from mpd import Mpd, MpdNotReady
from netns import Netns


class Skip(Exception):
    pass


class Fail(Exception):
    pass


def case(name=None, mpd=False, timeout=240):
    """Mark a function as an interop case. mpd=True: needs build/mpd5."""
    def mark(fn):
        fn.interop_case = {"name": name or fn.__name__, "mpd": mpd,
                           "timeout": timeout}
        return fn
    return mark


class Ctx:
    def __init__(self, name, uid, workdir, image_dir, mpd5, strict):
        self.name = name
        self.uid = uid
        self.workdir = workdir
        self.image_dir = image_dir
        self.mpd5 = mpd5
        self.strict = strict
        self.notes = []
        self.reports = []
        self.captures = []
        self.guest_macs = []
        self.ran_mpd = False
        self._cleanups = []
        self._closed = False
        self._lock = threading.Lock()
        self._ntap = 0
        self._nns = 0
        os.makedirs(workdir, exist_ok=True)

    # --- resources -------------------------------------------------------

    def defer(self, fn):
        """Run fn at cleanup; at once if the case was already cleaned up (an
        interrupted case's thread may still be creating things)."""
        with self._lock:
            if not self._closed:
                self._cleanups.append(fn)
                return
        fn()

    def cleanup(self):
        """Undo everything, newest first; safe from any thread, repeatable."""
        while True:
            with self._lock:
                self._closed = True
                if not self._cleanups:
                    return
                fn = self._cleanups.pop()
            try:
                fn()
            except Exception as e:  # cleanup must go on
                self.note(f"cleanup: {e}")

    def netns(self):
        name = f"mpdi{self.uid}n{self._nns}"
        self._nns += 1
        ns = Netns(name)
        self.defer(ns.delete)
        return ns

    def bridge(self, ns, addr=None):
        br = f"mpdi{self.uid}br"
        ns.add_bridge(br, addr)
        return br

    def guest(self, ns, ip="10.99.0.2/24", host_ip="10.99.0.1/24",
              bridge=None, wait=True):
        """Boot a guest on a new TAP in ns (on `bridge` if given, else with
        host_ip on the TAP). wait=False: call g.wait_ready() yourself, to
        boot several guests in parallel."""
        tap = f"mpdi{self.uid}t{self._ntap}"
        self._ntap += 1
        ns.add_tap(tap, None if bridge else host_ip, bridge)
        mac = "52:54:00:%s:%s:%02x" % (self.uid[0:2], self.uid[2:4],
                                       self._ntap)
        g = Guest(self.image_dir, self.workdir, f"g{self._ntap - 1}",
                  netns=ns.name, tap=tap, ip=ip, mac=mac)
        g.tap = tap
        self.guest_macs.append(mac)
        self.defer(g.stop)
        g.start()
        self.report(f"guest {g.name} kernel console", lambda: Guest.tail(
            g.console_log, 40))
        if wait:
            self.ready(g)
        return g

    def ready(self, g):
        secs = g.wait_ready()
        self.note(f"guest {g.name} booted in {secs:.1f} s")
        return g

    def capture(self, ns, iface):
        """Capture on iface for the whole case; checked by tshark at the end."""
        c = Capture(ns, iface, os.path.join(self.workdir,
                                            f"{iface}.pcap"))
        self.captures.append(c)
        self.defer(c.stop)
        self.report(f"capture on {iface} (tshark)", c.summary)
        return c

    def mpd(self, ns, conf, secret="", label=None):
        """Start our daemon; skips the case when mpd5 is not ready."""
        if not self.mpd5:
            raise Skip("mpd5 not built")
        m = Mpd(self.mpd5, ns, self.workdir, conf, secret, label)
        self.ran_mpd = True
        self.defer(m.stop)
        self.report("ours: mpd5 log", m.log)
        try:
            m.start()
        except MpdNotReady as e:
            if self.strict:
                raise Fail(str(e))
            raise Skip(str(e))
        except RuntimeError as e:
            raise Fail(str(e))
        return m

    # --- checks and reports --------------------------------------------

    def expect(self, cond, msg):
        if not cond:
            raise Fail(msg)

    def note(self, msg):
        self.notes.append(msg)

    def report(self, title, fetch):
        """On failure, print fetch() under this title."""
        self.reports.append((title, fetch))

    def peer_log(self, g, path, title=None):
        """The peer's own log in the guest, for the failure report."""
        self.report(title or f"peer: {path} on guest {g.name}",
                    lambda: g.read_file(path))

    def wait_for(self, fn, timeout=20, interval=0.5):
        """Poll fn() until it returns something true; that value or None."""
        deadline = time.monotonic() + timeout
        while True:
            v = fn()
            if v or time.monotonic() > deadline:
                return v
            time.sleep(interval)

    def check_captures(self):
        """No malformed or expert-error frames from anyone but the guests."""
        exclude = self.guest_macs if self.ran_mpd else []
        for c in self.captures:
            bad = c.problems(exclude)
            if bad:
                raise Fail(f"tshark flags frames in {c.path}:\n"
                           + "\n".join(bad[:20]))

    def failure_report(self):
        out = []
        for title, fetch in self.reports:
            try:
                text = fetch()
            except Exception as e:
                text = f"(could not fetch: {e})"
            out.append(f"---- {self.name}: {title} ----")
            out.append((text or "(empty)").rstrip())
        return "\n".join(out)
