"""sessions: setup rate, memory, descriptors and idle CPU of our server with
N sessions from our own load generator (bench/loadgen, mpd5-loadgen).

    g (mpd5-loadgen, N MACs on vg) --veth-- s (mpd5 server on vs)

Each repetition starts a fresh server, reads its RSS and descriptors idle,
lets the generator open N sessions (PPPoE discovery, LCP, CHAP-MD5 against
mpd.secret, IPCP from an ippool) with a window of concurrent setups, and
reads:
  rate      N / seconds from the first PADI to the N-th IPCP Opened;
  RSS/sess  (RSS with N sessions - RSS idle) / N, from /proc/PID/status;
  fds/sess  (descriptors with N - idle) / N, from /proc/PID/fd;
  idle CPU  share of one core the server used (/proc/PID/stat) over a
            window while the N sessions sit idle with keep-alive every 10 s
            on both sides.
Then the generator sends PADT for every session and the server is stopped.
The references are the issue's targets (>= 1000 sessions/s, <= 64 KiB per
session, < 5 % of one core idle at 10,000); each N is measured in its own
repetitions and medians are reported.
"""

import os
import re
import subprocess
import sys
import time

from common import (Mpd, Run, cpu_percent, fd_count, fmt, header, median, rss_kib,
                    sh, stop_pid, table, wait_for, write_json)

SERVER_CONF = """
default:
    set global max-children {maxc}
    create bundle template B
    set ipcp ranges 10.64.0.1/32 ippool P
    create link template L pppoe
    set link max-children {maxc}
    set link action bundle B
    set pppoe iface vs
    set pppoe service "*"
    set link enable chap-md5
    set link keep-alive 10 60
    set link enable incoming
{pool}
"""

SECRET = '"bench" "bench-pass"\n'

# --radius: the logins go to FreeRADIUS on the server's loopback (its `files`
# module, CHAP-MD5) instead of mpd.secret; FreeRADIUS runs without debug
# output and is started once per server.
RADIUS_SECRET = "bench-radius"
RADIUS_LINES = """
    set radius server 127.0.0.1 {secret} 1812 1813
    set radius timeout 3
    set radius retries 3
    set auth enable radius-auth
    set auth disable internal
""".format(secret=RADIUS_SECRET)
RADIUS_USERS = '"bench" Cleartext-Password := "bench-pass"\n'

TARGET_RATE = 1000.0
TARGET_RSS_KIB = 64.0
TARGET_CPU = 5.0


def pool_lines(n):
    """Enough addresses for n sessions, in ranges of at most 65,536."""
    lines, start = [], 10 << 24 | 64 << 16 | 0 << 8 | 10
    left = n + 16
    while left > 0:
        cnt = min(left, 60000)
        a, b = start, start + cnt - 1
        ip = lambda x: ".".join(str(x >> s & 255) for s in (24, 16, 8, 0))
        lines.append(f"    set ippool add P {ip(a)} {ip(b)}")
        start += cnt
        left -= cnt
    return "\n".join(lines)


class Topo:
    def __init__(self, run, tag=""):
        self.run = run
        self.g = run.netns("g" + tag)
        self.s = run.netns("s" + tag)
        sh(["ip", "link", "add", "vg", "netns", self.g.name, "type", "veth",
            "peer", "name", "vs", "netns", self.s.name])
        self.g.ip("link", "set", "vg", "up")
        self.s.ip("link", "set", "vs", "up")


def radius_start(run, topo, name):
    """FreeRADIUS (tests/netns/radius_env.py's configuration) on topo.s's loopback."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "netns"))
    from radius_env import FreeRadius
    rad = FreeRadius(topo.s, os.path.join(run.dir, name), users=RADIUS_USERS, secret=RADIUS_SECRET,
                     clients=("127.0.0.0/8",), debug=False)
    run.on_cleanup(rad.stop)
    rad.start()
    return rad


def server_start(run, topo, n, name, log_quiet=False, binary=None, radius=False):
    conf = SERVER_CONF.format(maxc=n + 100, pool=pool_lines(n))
    rad = None
    if radius:
        rad = radius_start(run, topo, name + "-radius")
        conf = conf.replace("    set link enable incoming\n", RADIUS_LINES + "    set link enable incoming\n")
    if log_quiet:
        conf = conf.replace("default:\n", "default:\n    log -bund -link -lcp -auth -ipcp -fsm -phys -iface\n", 1)
    m = Mpd(binary or run.binary("mpd5"), topo.s, run.dir, conf, secret=SECRET, name=name)
    m.radius = rad
    run.on_cleanup(m.stop)
    m.start(settle=0.5)
    run.server_started(m.proc.pid)
    return m


class Loadgen:
    """mpd5-loadgen in the generator namespace; its stdout lines parsed as they come."""

    def __init__(self, run, topo, n, window, ka=10, hold_ms=0, duration=0, name="loadgen"):
        argv = [run.binary("mpd5-loadgen"), "-i", "vg", "-n", str(n), "-w", str(window),
                "-k", str(ka)]
        if hold_ms:
            argv += ["-H", str(hold_ms)]
        if duration:
            argv += ["-d", str(duration)]
        self.log_path = os.path.join(run.dir, name + ".out")
        self.out = open(self.log_path, "wb")
        self.proc = subprocess.Popen(topo.g.exec_argv(argv), stdin=subprocess.DEVNULL,
                                     stdout=self.out, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        run.on_cleanup(lambda: stop_pid(self.proc))

    def text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def last(self, what):
        """Fields of the last `LG what ...` line as a dict, or None."""
        found = None
        for line in self.text().splitlines():
            if line.startswith("LG " + what + " "):
                found = line
        if found is None:
            return None
        return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", found)}

    def stop(self, timeout=10):
        """SIGTERM: the generator sends PADT for every session and exits."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                stop_pid(self.proc)
        self.out.close()


def settle(topo, srv):
    """Wait until the stopped server is gone and the kernel has removed its
    interfaces, then drop this repetition's namespaces: tearing down
    thousands of interfaces holds the kernel's rtnl lock for a while, and
    the next repetition must not pay for it."""
    if srv.proc is not None:
        try:
            srv.proc.wait(timeout=600)
        except subprocess.TimeoutExpired:
            pass
    wait_for(lambda: not re.search(r"\d+: ppp", topo.s.ip("-o", "link", "show", check=False).stdout),
             600, step=1)
    if getattr(srv, "radius", None) is not None:
        srv.radius.stop()
    topo.g.delete()
    topo.s.delete()


def server_sessions(m):
    """How many sessions the server's `show sessions` lists."""
    out = m.console("show sessions", timeout=60)
    return len([ln for ln in out.splitlines() if ln.strip() and not ln.startswith("[")])


def one(run, n, window, cpu_secs, rep, binary=None, tag="", radius=False):
    topo = Topo(run, f"{n}r{rep}{tag}")
    srv = server_start(run, topo, n, f"server-{n}-{rep}{tag}", binary=binary, radius=radius)
    pid = srv.proc.pid
    time.sleep(0.5)
    rss0, fd0 = rss_kib(pid), fd_count(pid)
    lg = Loadgen(run, topo, n, window, name=f"loadgen-{n}-{rep}{tag}")
    # Generous: a slow server must still finish so the figure can say how slow.
    deadline = max(60, n / 50)
    wait_for(lambda: lg.last("all-up") is not None or lg.proc.poll() is not None, deadline, step=0.5)
    allup = lg.last("all-up")
    res = {"n": n, "rss0_kib": rss0, "fd0": fd0}
    if allup is None:
        tick = lg.last("tick") or {}
        res.update({"error": f"only {int(tick.get('up', 0))} of {n} sessions up after {deadline} s",
                    "loadgen": tick})
        lg.stop()
        run.server_stopping(pid)
        srv.stop()
        settle(topo, srv)
        return res
    time.sleep(1)  # the last IPCP Opened reaches the interface a moment later
    rssn, fdn = rss_kib(pid), fd_count(pid)
    cpu = cpu_percent(pid, cpu_secs)
    tick = lg.last("tick") or {}
    listed = server_sessions(srv)
    res.update({
        "secs": allup["secs"], "rate": allup["rate"], "failed": int(allup["failed"]),
        "mean_setup_ms": allup["mean_setup_ms"],
        "rssn_kib": rssn, "fdn": fdn,
        "rss_per_session_kib": (rssn - rss0) / n, "fds_per_session": (fdn - fd0) / n,
        "idle_cpu_pct": cpu, "cpu_window_s": cpu_secs,
        "up_after_idle": int(tick.get("up", 0)), "dropped": int(tick.get("dropped", 0)),
        "server_listed": listed,
    })
    lg.stop()
    alive = srv.alive()
    run.server_stopping(pid)
    srv.stop()
    settle(topo, srv)
    if not alive:
        res["error"] = "server died; log in " + srv.dir
    return res


def line(n, rep, r, who=""):
    if "error" in r:
        return f"  {who}N={n} rep {rep + 1}: {r['error']}"
    return (f"  {who}N={n} rep {rep + 1}: {r['rate']:.0f} sessions/s, "
            f"{r['rss_per_session_kib']:.1f} KiB/session, {r['fds_per_session']:.2f} fds/session, "
            f"idle CPU {r['idle_cpu_pct']:.2f} %, {r['server_listed']} listed, "
            f"{r['failed']} failed setups")


MEDIANS = ("rate", "rss_per_session_kib", "fds_per_session", "idle_cpu_pct", "mean_setup_ms")


def medians(runs):
    ok = [r for r in runs if "error" not in r]
    return {k: median([r[k] for r in ok]) for k in MEDIANS}


def compare(args, run, ns, reps, window, cpu_secs):
    """Ours against the server built from args.against, same load generator,
    repetitions interleaved (the order alternates) so drift of the machine
    falls on both alike."""
    sides = {"base": args.base_mpd5, "ours": run.binary("mpd5")}
    per_n = {}
    for n in ns:
        runs = {"base": [], "ours": []}
        for rep in range(reps):
            order = ["base", "ours"] if rep % 2 == 0 else ["ours", "base"]
            for who in order:
                r = one(run, n, window, cpu_secs, rep, binary=sides[who], tag=who[0], radius=args.radius)
                runs[who].append(r)
                print(line(n, rep, r, f"{who:4} "), flush=True)
        per_n[n] = {w: {"runs": rs, "median": medians(rs)} for w, rs in runs.items()}
    rows = []
    for n, d in per_n.items():
        b, o = d["base"]["median"], d["ours"]["median"]
        ratio = lambda k: fmt(o[k] / b[k]) if b.get(k) and o.get(k) is not None else "-"
        rows.append([str(n), fmt(b["rate"]), fmt(o["rate"]), ratio("rate"),
                     fmt(b["rss_per_session_kib"]), fmt(o["rss_per_session_kib"]),
                     fmt(b["idle_cpu_pct"]), fmt(o["idle_cpu_pct"]),
                     fmt(b["mean_setup_ms"]), fmt(o["mean_setup_ms"])])
    print()
    auth = "CHAP-MD5 through FreeRADIUS on loopback" if args.radius else "CHAP-MD5 from mpd.secret"
    print(f"sessions against {args.against}: medians of {reps} interleaved runs per N, window {window}, "
          f"{auth}, idle CPU over {cpu_secs} s")
    print(table(rows, ["N", "base sess/s", "ours sess/s", "ours/base", "base KiB", "ours KiB",
                       "base CPU %", "ours CPU %", "base setup ms", "ours setup ms"]))
    doc = header("sessions")
    doc.update({"against": args.against, "repetitions": reps, "window": window,
                "cpu_window_s": cpu_secs, "results": {str(k): v for k, v in per_n.items()}})
    run.cleanup()
    write_json(args.json, doc)
    return doc


def main(args):
    run = Run(args.build_dir)
    ns = args.sessions or ([200, 1000] if args.quick else [1000, 10000])
    reps = 1 if args.quick else 3
    cpu_secs = 5 if args.quick else 30
    window = 100
    if getattr(args, "base_mpd5", None):
        return compare(args, run, ns, reps, window, cpu_secs)
    per_n = {}
    for n in ns:
        runs = []
        for rep in range(reps):
            r = one(run, n, window, cpu_secs, rep, radius=args.radius)
            runs.append(r)
            print(line(n, rep, r), flush=True)
        per_n[n] = {"runs": runs, "median": medians(runs)}
    rows = []
    for n, d in per_n.items():
        m = d["median"]
        rows.append([str(n), fmt(m["rate"]), f"{TARGET_RATE:.0f}",
                     fmt(m["rss_per_session_kib"]), f"{TARGET_RSS_KIB:.0f}",
                     fmt(m["fds_per_session"]), fmt(m["idle_cpu_pct"]), f"{TARGET_CPU:.0f}",
                     fmt(m["mean_setup_ms"])])
    print()
    auth = "CHAP-MD5 through FreeRADIUS on loopback" if args.radius else "CHAP-MD5 from mpd.secret"
    print(f"sessions: medians of {reps} runs per N, window {window} setups, {auth}, "
          f"idle CPU over {cpu_secs} s with keep-alive 10 s")
    print(table(rows, ["N", "sess/s", "target", "KiB/sess", "target", "fds/sess",
                       "idle CPU %", "target", "setup ms"]))
    doc = header("sessions")
    doc.update({"repetitions": reps, "window": window, "cpu_window_s": cpu_secs, "radius": bool(args.radius),
                "targets": {"rate": TARGET_RATE, "rss_per_session_kib": TARGET_RSS_KIB,
                            "idle_cpu_pct_at_10000": TARGET_CPU},
                "results": {str(k): v for k, v in per_n.items()}})
    run.cleanup()
    write_json(args.json, doc)
    return doc
