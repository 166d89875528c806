"""churn: N sessions from mpd5-loadgen connect, stay up for a random 0.5-1.5
x hold time, close (LCP Terminate, then PADT) and connect again, for a
bounded time. The server's RSS and descriptors are read idle before, every
second under load, and idle again after the generator has stopped and the
server has torn every session down. A leak shows as descriptors above the
starting count at the end, or RSS that keeps growing from the first half of
the run to the second at the same load.
"""

import time

from common import Run, fd_count, fmt, header, median, rss_kib, table, wait_for, write_json
from sessions import Loadgen, Topo, server_sessions, server_start


def main(args):
    run = Run(args.build_dir)
    n = (args.sessions or [200 if args.quick else 1000])[0]
    secs = 20 if args.quick else 60
    hold_ms = 2000
    topo = Topo(run)
    srv = server_start(run, topo, n, "server-churn")
    pid = srv.proc.pid
    time.sleep(0.5)
    rss0, fd0 = rss_kib(pid), fd_count(pid)
    lg = Loadgen(run, topo, n, window=100, ka=10, hold_ms=hold_ms, duration=secs, name="loadgen-churn")
    samples = []
    t0 = time.monotonic()
    while lg.proc.poll() is None and time.monotonic() - t0 < secs + 30:
        samples.append((time.monotonic() - t0, rss_kib(pid), fd_count(pid)))
        time.sleep(1)
    lg.stop()
    stop = lg.last("stop") or {}
    # The generator's PADTs tear the sessions down; give the server time to finish.
    wait_for(lambda: server_sessions(srv) == 0, 60, step=1)
    left = server_sessions(srv)
    time.sleep(1)
    rss1, fd1 = rss_kib(pid), fd_count(pid)
    alive = srv.alive()
    run.server_stopping(pid)
    srv.stop()
    half = len(samples) // 2
    q = max(1, len(samples) // 4)
    rss_early = median([s[1] for s in samples[q:half]]) if half > q else None
    rss_late = median([s[1] for s in samples[-q:]]) if samples else None
    res = {
        "n": n, "seconds": secs, "hold_ms": hold_ms,
        "cycles": int(stop.get("closed", 0)), "setups": int(stop.get("up_events", 0)),
        "failed": int(stop.get("failed", 0)), "dropped": int(stop.get("dropped", 0)),
        "rss_start_kib": rss0, "rss_end_kib": rss1, "fd_start": fd0, "fd_end": fd1,
        "rss_load_early_kib": rss_early, "rss_load_late_kib": rss_late,
        "rss_peak_kib": max((s[1] for s in samples), default=None),
        "sessions_left": left, "server_alive": alive, "samples": samples,
    }
    print()
    print(f"churn: {n} sessions, each up 1-3 s then closed and reopened, for {secs} s")
    rows = [["setups / closes", f"{res['setups']} / {res['cycles']}", f"{res['failed']} failed, "
             f"{res['dropped']} dropped by the server"],
            ["RSS KiB idle: start / end", f"{rss0} / {rss1}", f"{rss1 - rss0:+d}"],
            ["RSS KiB under load: early / late", f"{fmt(rss_early)} / {fmt(rss_late)}",
             fmt((rss_late - rss_early) if rss_early and rss_late else None)],
            ["fds idle: start / end", f"{fd0} / {fd1}", f"{fd1 - fd0:+d}"],
            ["sessions left on the server", str(left), "" if alive else "SERVER DIED"]]
    print(table(rows, ["measure", "value", "difference"]))
    doc = header("churn")
    doc.update({"results": res})
    run.cleanup()
    write_json(args.json, doc)
    return doc
