"""What every netns end-to-end script shares: polling, failure reports
with the daemons' logs, addresses read back from the kernel, and the case
runner (`--build-dir DIR [case ...]`, a PASS/FAIL line per case and one
`label: N passed, N failed` line for tests/run to count)."""

import argparse
import os
import re
import time
import traceback


def wait_for(pred, timeout, step=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(step)
    return pred()


def expect(cond, what, *daemons):
    if not cond:
        logs = "".join(f"\n--- {d.dir} log ---\n{d.log()[-6000:]}" for d in daemons)
        raise AssertionError(what + logs)


def sessions(m):
    """`show sessions` lines, without the prompt's echo."""
    out = m.console("show sessions")
    return [ln for ln in out.splitlines() if ln.strip() and not ln.startswith("[")]


def ppp_addrs(ns, ifname="ppp0"):
    """(local, peer) IPv4 addresses of a point-to-point interface in ns, or None."""
    r = ns.ip("-o", "-4", "addr", "show", "dev", ifname, check=False)
    m = re.search(r"inet (\S+) peer (\S+?)/", r.stdout)
    return (m.group(1), m.group(2)) if m else None


def client_addr(topo, ifname="ppp0"):
    return ppp_addrs(topo.cli, ifname)


def run_cases(label, module, *binary_holders):
    """Run the module's case_* functions (all, or those named on the command
    line); the mpd5 path goes into BINARY of module and of each holder."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", default="build")
    ap.add_argument("cases", nargs="*")
    a = ap.parse_args()
    binary = os.path.abspath(os.path.join(a.build_dir, "mpd5"))
    for holder in (module,) + binary_holders:
        holder.BINARY = binary
    cases = {n[5:]: f for n, f in sorted(vars(module).items()) if n.startswith("case_")}
    passed = failed = 0
    for name in a.cases or cases:
        t0 = time.monotonic()
        try:
            cases[name]()
            print(f"PASS {name} ({time.monotonic() - t0:.1f}s)", flush=True)
            passed += 1
        except Exception:
            print(f"FAIL {name}\n{traceback.format_exc()}", flush=True)
            failed += 1
    print(f"{label}: {passed} passed, {failed} failed")
    return 1 if failed else 0
