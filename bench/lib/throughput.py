"""throughput: iperf3 through one PPPoE session between our client and our
server, against kernel routing over the very same namespaces and veths.

    a (iperf3 client) --va/vac-- c (client mpd5) --vcs/vsc-- s (server mpd5) --vsb/vb-- b (iperf3 server)
    10.91.1.2        10.91.1.1                                10.91.2.1          10.91.2.2

The four namespaces and three veths stay up for the whole run; a mode only
changes the routes in c and s:
  kernel-on   c and s route between them over vcs/vsc (10.91.3.0/24), veth offloads on;
  kernel-off  the same with TSO, GSO and GRO off on every veth (the per-MTU-packet cost);
  ours        c routes 10.91.2.0/24 into the client's ppp interface, s routes
              10.91.1.0/24 into the server's session interface; veth offloads on.
So every figure crosses the same two forwarding hops and three veths; "ours"
adds the two daemons, each moving every packet between its TUN and its
AF_PACKET socket. The endpoints are outside the daemons' namespaces so the
daemons compete for the two CPUs exactly as forwarding would. The outer veths
have MTU 1492 in every mode, so TCP uses the same MSS over PPPoE and over
plain IP. Modes are interleaved within each repetition; medians are reported.
"""

import json
import os
import re
import time

from common import Mpd, Run, fmt, header, median, sh, table, wait_for, write_json

SERVER_CONF = """
default:
    create bundle template B
    set ipcp ranges 10.77.0.1/32 ippool P
    create link template L pppoe
    set link action bundle B
    set pppoe iface vsc
    set pppoe service "*"
    set link enable chap-md5
    set link keep-alive 10 60
    set link mtu 1492
    set link mru 1492
    set link enable incoming
    set ippool add P 10.77.0.100 10.77.0.199
"""

CLIENT_CONF = """
default:
    create bundle static C
    set ipcp ranges 0.0.0.0/0 0.0.0.0/0
    create link static P pppoe
    set link action bundle C
    set pppoe iface vcs
    set auth authname "bench"
    set auth password "bench-pass"
    set link keep-alive 10 60
    set link max-redial 0
    open
"""

SECRET = '"bench" "bench-pass"\n'

VETHS = {"a": ["va"], "c": ["vac", "vcs"], "s": ["vsc", "vsb"], "b": ["vb"]}

TESTS = [
    # name, iperf3 arguments, unit, how to read the result
    ("tcp1", ["-P", "1"], "Gbit/s"),
    ("tcp4", ["-P", "4"], "Gbit/s"),
    # 64-byte IP packets: 20 IP + 8 UDP + 36 payload.
    ("udp64", ["-u", "-b", "0", "-l", "36"], "kpps"),
]
MODES = ["kernel-on", "kernel-off", "ours"]


class Topo:
    def __init__(self, run):
        self.run = run
        self.ns = {t: run.netns(t) for t in "acsb"}
        for t in "cs":
            self.ns[t].run(["sysctl", "-qw", "net.ipv4.ip_forward=1"], check=True)
        for t in "acsb":
            for k in ("all", "default"):
                self.ns[t].run(["sysctl", "-qw", f"net.ipv4.conf.{k}.rp_filter=0"], check=True)
        self._veth("a", "va", "c", "vac")
        self._veth("c", "vcs", "s", "vsc")
        self._veth("s", "vsb", "b", "vb")
        n = self.ns
        for ns, dev, mtu in (("a", "va", 1492), ("c", "vac", 1492), ("s", "vsb", 1492), ("b", "vb", 1492)):
            n[ns].ip("link", "set", dev, "mtu", str(mtu))
        n["a"].ip("addr", "add", "10.91.1.2/24", "dev", "va")
        n["c"].ip("addr", "add", "10.91.1.1/24", "dev", "vac")
        n["c"].ip("addr", "add", "10.91.3.1/24", "dev", "vcs")
        n["s"].ip("addr", "add", "10.91.3.2/24", "dev", "vsc")
        n["s"].ip("addr", "add", "10.91.2.1/24", "dev", "vsb")
        n["b"].ip("addr", "add", "10.91.2.2/24", "dev", "vb")
        n["a"].ip("route", "add", "default", "via", "10.91.1.1")
        n["b"].ip("route", "add", "default", "via", "10.91.2.1")
        self.cli_if = self.srv_if = None

    def _veth(self, na, da, nb, db):
        sh(["ip", "link", "add", da, "netns", self.ns[na].name, "type", "veth",
            "peer", "name", db, "netns", self.ns[nb].name])
        self.ns[na].ip("link", "set", da, "up")
        self.ns[nb].ip("link", "set", db, "up")

    def offloads(self, on):
        v = "on" if on else "off"
        for t, devs in VETHS.items():
            for d in devs:
                self.ns[t].run(["ethtool", "-K", d, "tso", v, "gso", v, "gro", v], check=True)

    def mode(self, mode):
        c, s = self.ns["c"], self.ns["s"]
        if mode == "ours":
            c.ip("route", "replace", "10.91.2.0/24", "dev", self.cli_if)
            s.ip("route", "replace", "10.91.1.0/24", "dev", self.srv_if)
            self.offloads(True)
        else:
            c.ip("route", "replace", "10.91.2.0/24", "via", "10.91.3.2")
            s.ip("route", "replace", "10.91.1.0/24", "via", "10.91.3.1")
            self.offloads(mode == "kernel-on")


def ppp_iface(ns, peer):
    """Name of the interface in ns whose point-to-point peer is `peer`."""
    r = ns.ip("-o", "-4", "addr", "show", check=False)
    for line in r.stdout.splitlines():
        m = re.match(r"\d+:\s+(\S+)\s+inet \S+ peer " + re.escape(peer) + r"/", line)
        if m:
            return m.group(1)
    return None


def session_up(run, topo):
    mpd5 = run.binary("mpd5")
    srv = Mpd(mpd5, topo.ns["s"], run.dir, SERVER_CONF, secret=SECRET, name="server")
    run.on_cleanup(srv.stop)
    srv.start(settle=0.5)
    run.server_started(srv.proc.pid)
    cli = Mpd(mpd5, topo.ns["c"], run.dir, CLIENT_CONF, name="client")
    run.on_cleanup(cli.stop)
    cli.start(settle=0.5)
    topo.cli_if = wait_for(lambda: ppp_iface(topo.ns["c"], "10.77.0.1"), 20)
    topo.srv_if = wait_for(lambda: ppp_iface(topo.ns["s"], "10.77.0.100"), 5)
    if not topo.cli_if or not topo.srv_if:
        raise SystemExit("throughput: the PPPoE session did not come up; logs in " + run.dir)
    return srv, cli


def iperf(topo, args, seconds):
    """One iperf3 run from a to b; the figure the receiver saw."""
    argv = ["iperf3", "-c", "10.91.2.2", "-J", "-t", str(seconds), "-O", "1"] + args
    r = topo.ns["a"].run(argv, timeout=seconds + 30)
    try:
        doc = json.loads(r.stdout)
    except ValueError:
        return None
    if "error" in doc:
        return None
    end = doc.get("end", {})
    if "-u" in args:
        s = end.get("sum", {})
        secs = s.get("seconds") or seconds
        got = s.get("packets", 0) - s.get("lost_packets", 0)
        return got / secs / 1000.0
    s = end.get("sum_received", {})
    return s.get("bits_per_second", 0) / 1e9


def run(args):
    run = Run(args.build_dir)
    reps = 3
    seconds = 2 if args.quick else 5
    topo = Topo(run)
    run.popen(topo.ns["b"].exec_argv(["iperf3", "-s"]), "iperf3-server.log")
    srv, cli = session_up(run, topo)
    time.sleep(0.5)
    res = {t[0]: {m: [] for m in MODES} for t in TESTS}
    for rep in range(reps):
        for name, iargs, unit in TESTS:
            # Rotate the order so no mode always runs first (or last) in a repetition.
            order = MODES[rep % 3:] + MODES[:rep % 3]
            for mode in order:
                topo.mode(mode)
                v = iperf(topo, iargs, seconds)
                res[name][mode].append(v)
                print(f"  rep {rep + 1} {name:6} {mode:10} {fmt(v)} {unit}", flush=True)
    run.server_stopping(srv.proc.pid)
    for d in (srv, cli):
        if not d.alive():
            print(f"warning: a daemon died during the run; log in {d.dir}")
    rows, out = [], {}
    for name, _, unit in TESTS:
        med = {m: median(res[name][m]) for m in MODES}
        r_off = med["ours"] / med["kernel-off"] if med["ours"] and med["kernel-off"] else None
        r_on = med["ours"] / med["kernel-on"] if med["ours"] and med["kernel-on"] else None
        rows.append([name, unit, fmt(med["kernel-on"]), fmt(med["kernel-off"]), fmt(med["ours"]),
                     fmt(r_off), fmt(r_on)])
        out[name] = {"unit": unit, "runs": res[name], "median": med,
                     "ours/kernel-off": r_off, "ours/kernel-on": r_on}
    print()
    print(f"throughput: medians of {reps} interleaved runs of {seconds} s, MTU 1492")
    print(table(rows, ["test", "unit", "kernel-on", "kernel-off", "ours", "ours/off", "ours/on"]))
    doc = header("throughput")
    doc.update({"repetitions": reps, "seconds": seconds, "results": out})
    run.cleanup()
    return doc


def main(args):
    doc = run(args)
    write_json(args.json, doc)
    return doc
