#!/usr/bin/python3
"""End-to-end bundle-layer tests (issue 4): dial-on-demand, bandwidth on
demand and mpd 4 `new` configs, with our PPPoE server and client in two
network namespaces joined by a veth pair.

Usage: test_bundle.py --build-dir build [case ...]
Prints "PASS name" / "FAIL name" per case and "bundle: N passed, N failed".
Every namespace is named mpdb<pid>x...; each is deleted afterwards.
"""

import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "interop", "lib"))

from mpd import Mpd  # noqa: E402
from netns import Netns, sh  # noqa: E402
from netns_common import run_cases, wait_for, expect, sessions, ppp_addrs as addr_of  # noqa: E402

BINARY = None  # the mpd5 under test: set by run_cases from --build-dir

SERVER = """
default:
    create bundle template B
    set ipcp ranges 10.77.0.1/32 ippool P
    create link template L pppoe
    set link action bundle B
    set pppoe iface veth-s
    set pppoe service "*"
    set link enable pap
    set link enable multilink
    set link keep-alive 1 4
    set link enable incoming
    set ippool add P 10.77.0.100 10.77.0.140
"""

SECRETS = 'user1 "pass1"\n'

# A client link; {extra} goes after its settings.
LINK = """
    create link static {name} pppoe
    set pppoe iface veth-c
    set auth authname user1
    set auth password pass1
    set link keep-alive 1 4
{extra}
"""

SANITIZER = re.compile(r"ERROR: (Address|Leak)Sanitizer|runtime error:")


class Topo:
    """Two namespaces and a veth pair between them."""

    def __init__(self, tag):
        base = f"mpdb{os.getpid() % 100000}{tag}"
        self.srv = Netns(base + "s")
        self.cli = Netns(base + "c")
        sh(["ip", "link", "add", "veth-s", "netns", self.srv.name, "type", "veth",
            "peer", "name", "veth-c", "netns", self.cli.name])
        self.srv.ip("link", "set", "veth-s", "up")
        self.cli.ip("link", "set", "veth-c", "up")
        self.dir = tempfile.mkdtemp(prefix="mpdb-")
        self.daemons = []

    def start(self, name, ns, conf, secret="", files=None):
        m = Mpd(BINARY, ns, self.dir, conf, secret=secret, name=name)
        for fname, text in (files or {}).items():
            with open(os.path.join(m.dir, fname), "w") as f:
                f.write(text)
        self.daemons.append(m)
        m.start(settle=0.5)
        return m

    def server(self):
        return self.start("server", self.srv, SERVER, secret=SECRETS)

    def close(self):
        for m in self.daemons:
            m.stop()
        self.srv.delete()
        self.cli.delete()
        for m in self.daemons:
            rep = SANITIZER.search(m.log())
            if rep:
                raise AssertionError(f"sanitizer report in {m.dir}:\n" + m.log()[rep.start():][:3000])


def joined(m, bundle):
    out = m.console(f"show bundle {bundle}")
    line = re.search(r"^\s*Links\s*:(.*)$", out, re.M)
    return len(re.findall(r"\S+\[", line.group(1))) if line else 0


def ping_once(ns, addr, wait=20):
    """One echo request; True when it was answered."""
    r = ns.run(["ping", "-c", "1", "-W", str(wait), addr], timeout=wait + 5)
    return r.returncode == 0 and "icmp_seq=1 " in r.stdout, r.stdout + r.stderr


def case_on_demand():
    t = Topo("d")
    try:
        s = t.server()
        conf = """
default:
    log +iface2
    create bundle static C1
    set iface enable on-demand
    set iface addrs 10.77.0.100 10.77.0.1
    set iface idle 3
    set ipcp ranges 0.0.0.0/0 0.0.0.0/0
    set bundle links P1
""" + LINK.format(name="P1", extra="    set link max-redial -1") + """
    bundle C1
    open iface
"""
        c = t.start("client", t.cli, conf)
        expect(wait_for(lambda: addr_of(t.cli, "ppp0") == ("10.77.0.100", "10.77.0.1"), 5),
               "demand addresses not on ppp0", s, c)
        iface = c.console("bundle C1", "show iface")
        expect(re.search(r"Status\s*:\s*DoD", iface), "show iface does not say DoD:\n" + iface, s, c)
        # Non-demand traffic (NTP) is ignored: no call.
        code = ("import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); "
                "s.sendto(b'x' * 48, ('10.77.0.1', 123))")
        t.cli.run(["/usr/bin/python3", "-c", code])
        expect(c.wait_log(r"not a demand packet \(UDP to NTP\)", 5), "NTP packet not classified", s, c)
        time.sleep(1)
        expect(len(sessions(s)) == 0, "an NTP packet brought the bundle up", s, c)
        expect("opening the bundle" not in c.log(), "an NTP packet opened the bundle", s, c)
        # The first ping opens the bundle and is itself answered (the cached packet).
        ok, out = ping_once(t.cli, "10.77.0.1")
        expect(ok, "first ping through the demand interface not answered: " + out, s, c)
        # The daemon batches info lines for up to 2 ms, so the answer can beat its log line.
        expect(c.wait_log(r"demand packet \(ICMP\) on ppp0: opening the bundle", 5),
               "no demand open logged", s, c)
        expect(c.wait_log(r"sending the cached demand packet", 5), "cached packet not sent", s, c)
        expect(len(sessions(s)) == 1, "server has no session", s, c)
        # Idle: the bundle closes, the interface stays in demand mode.
        mark = len(c.log())
        expect(c.wait_log(r"idle timeout after 3 seconds", 20, since=mark), "idle timeout did not fire", s, c)
        expect(wait_for(lambda: len(sessions(s)) == 0, 15), "server kept the session after idle", s, c)
        expect(wait_for(lambda: addr_of(t.cli, "ppp0") == ("10.77.0.100", "10.77.0.1"), 10),
               "ppp0 lost its demand addresses after idle", s, c)
        iface = c.console("bundle C1", "show iface")
        expect(re.search(r"Status\s*:\s*DoD", iface), "not back in demand mode:\n" + iface, s, c)
        # A second ping brings it up again.
        ok, out = ping_once(t.cli, "10.77.0.1")
        expect(ok, "second ping not answered: " + out, s, c)
        expect(len(re.findall(r"opening the bundle", c.log())) == 2, "second demand open missing", s, c)
        # close iface leaves demand mode for good.
        c.console("bundle C1", "close", "close iface")
        expect(wait_for(lambda: len(sessions(s)) == 0, 15), "bundle not closed", s, c)
        expect(wait_for(lambda: addr_of(t.cli, "ppp0") is None, 10), "demand addresses left after close iface", s, c)
    finally:
        t.close()


MPD4_CONF = """
default:
    new -i ng0 B1 L1 L2
    set bundle retry 3
    set ipcp ranges 0.0.0.0/0 0.0.0.0/0
    link L1
    set auth authname user1
    set auth password pass1
    link L2
    set auth authname user1
    set auth password pass1
    bundle B1
    open bund
"""

MPD4_LINKS = """# mpd 4 style link definitions
L1:
\tset link type pppoe
\tset pppoe iface veth-c
\tset link keep-alive 1 4

L2:
\tset phys type pppoe
\tset pppoe iface veth-c
\tset link keep-alive 1 4
"""


def case_mpd4_new():
    t = Topo("4")
    try:
        s = t.server()
        c = t.start("client", t.cli, MPD4_CONF, files={"mpd.links": MPD4_LINKS})
        expect(wait_for(lambda: joined(c, "B1") == 2, 20), "two links did not join B1", s, c)
        expect(wait_for(lambda: addr_of(t.cli, "ppp0"), 10), "ppp0 (mpd 4 ng0) got no address", s, c)
        out = c.console("show bundle B1")
        expect(re.search(r"Retry timeout\s*:\s*3 seconds", out), "set bundle retry not applied:\n" + out, s, c)
        expect(len(sessions(s)) == 2, "server does not see two links", s, c)
        ok, out = t.cli.ping("10.77.0.1")
        expect(ok, "no traffic through the mpd 4 bundle: " + out, s, c)
        lk = c.console("show link L2")
        expect("pppoe" in lk, "L2 is not a pppoe link:\n" + lk, s, c)
    finally:
        t.close()


def case_mpd4_errors():
    d = tempfile.mkdtemp(prefix="mpdb-conf-")
    with open(os.path.join(d, "mpd.conf"), "w") as f:
        f.write("default:\n\tnew -i ng3 B1 L1 NOPE\n")
    with open(os.path.join(d, "mpd.links"), "w") as f:
        f.write("L1:\n\tset link type pppoe\n")
    # a failing line no longer stops startup (issue 11, as in mpd5): -t still fails on it
    r = subprocess.run([BINARY, "-t", "-d", d, "-p", os.path.join(d, "pid")], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=20)
    out = r.stdout + r.stderr
    expect(r.returncode == 78 and re.search(r"mpd\.conf:2: .*no label \"NOPE\"", out),
           f"missing mpd.links label: exit {r.returncode}\n{out}")
    expect("Bundle: created" not in out, "a bundle was created despite the error:\n" + out)


BOD_CLIENT = """
default:
    create bundle static C1
    set ipcp ranges 0.0.0.0/0 0.0.0.0/0
    set bundle enable bw-manage
    set bundle period 6
    set bundle hiwat 50
    set bundle lowat 10
    set bundle min-con 2
    set bundle min-dis 4
    set bundle links P1 P2
""" + LINK.format(name="P1", extra="    set link bandwidth 200000") + \
    LINK.format(name="P2", extra="    set link bandwidth 200000") + """
    bundle C1
    open bund
"""


def case_bod():
    t = Topo("b")
    try:
        s = t.server()
        c = t.start("client", t.cli, BOD_CLIENT)
        expect(wait_for(lambda: joined(c, "C1") == 1 and addr_of(t.cli, "ppp0"), 20),
               "bundle did not come up on one link", s, c)
        time.sleep(3)  # idle: nothing to add
        expect(joined(c, "C1") == 1 and len(sessions(s)) == 1, "a second link came up without traffic", s, c)
        out = c.console("show bundle C1")
        expect(re.search(r"BW-manage\s*:\s*enabled", out) and re.search(r"P2\[free\]", out),
               "show bundle BoD state:\n" + out, s, c)
        # ~1 Mbit/s each way against 200 kbit/s: over hiwat.
        flood = subprocess.Popen(t.cli.exec_argv(["ping", "-q", "-s", "1200", "-i", "0.01", "-w", "60",
                                                  "10.77.0.1"]), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        try:
            expect(c.wait_log(r'BoD: opening link "P2": utilisation \d+% >= hiwat 50%', 30),
                   "BoD did not open P2 under load", s, c)
            expect(wait_for(lambda: joined(c, "C1") == 2, 20), "P2 did not join the bundle", s, c)
            out = c.console("show bundle C1")
            expect(re.search(r"Last action\s*:\s*open \(utilisation \d+% >= hiwat 50%\)", out),
                   "show bundle does not show the open:\n" + out, s, c)
        finally:
            flood.terminate()
            flood.wait()
        expect(c.wait_log(r'BoD: closing link "P2" \(Decreased demand\): utilisation \d+% < lowat 10%', 40),
               "BoD did not close P2 after the load stopped", s, c)
        expect(wait_for(lambda: joined(c, "C1") == 1, 20), "P2 still in the bundle", s, c)
        out = c.console("show bundle C1")
        expect(re.search(r"Last action\s*:\s*close \(utilisation \d+% < lowat 10%\)", out),
               "show bundle does not show the close:\n" + out, s, c)
        ok, out = t.cli.ping("10.77.0.1")
        expect(ok, "the remaining link does not carry traffic: " + out, s, c)
    finally:
        t.close()


if __name__ == "__main__":
    sys.exit(run_cases("bundle", sys.modules[__name__]))
