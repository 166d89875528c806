#!/usr/bin/python3
"""Scale-out (issue 12 item 8): two of our concentrators on one Ethernet
segment (a bridge), clients on the same segment.

  pado_fixed: server B delays its PADOs by a fixed time; our client daemon
              takes the first PADO, so every session lands on A.
  pado_steps: A answers at once up to 5 sessions and is silent from then
              on; B always answers late: the first 5 sessions land on A,
              the next 5 on B through B's delayed PADOs (a PADI answered
              late is answered correctly).
  pado_flood: 300 PADIs at once against a 2 s delay: the wait queue stops
              at 256 and counts the rest as dropped; the waiting ones come up.
  sql_pool:   one FreeRADIUS with the SQLite address pool of
              conf/scale-out/freeradius (sqlippool); 50 sessions on each
              server (A silent from 50 on, B answering late: new sessions
              prefer A until it is full): 100 distinct addresses, each
              leased in SQL to the box that holds it, none twice, and all
              back in the pool once the sessions ended (Accounting-Stop).

Usage: test_scaleout.py --build-dir build [case ...]
Prints "PASS name" / "FAIL name" per case and "netns-scaleout: N passed, N failed".
Every namespace is named mpsc<pid><tag>...; each is deleted afterwards.
"""

import os
import re
import signal
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "interop", "lib"))
sys.path.insert(0, HERE)

from mpd import Mpd  # noqa: E402
from netns import Netns, sh  # noqa: E402
from netns_common import run_cases, wait_for, expect, sessions  # noqa: E402
from test_pppoe import SANITIZER  # noqa: E402
from sqlpool_env import SqlPool  # noqa: E402

BINARY = None  # the mpd5 under test: set by run_cases from --build-dir

SERVER = """
default:
    create bundle template B
    set ipcp ranges {gw}/32 ippool P
    create link template L pppoe
    set link action bundle B
    set pppoe iface eth0
    set pppoe service "*"
    set pppoe acname "{name}"
{pppoe}
    set link enable chap-md5
    set link keep-alive 10 60
    set link enable incoming
    set ippool add P {first} {last}
"""

SECRETS = 'user1 "pass1"\n'

CLIENT_LINK = """
    create bundle static C{n}
    set ipcp ranges 0.0.0.0/0 0.0.0.0/0
    create link static P{n} pppoe
    set link action bundle C{n}
    set pppoe iface eth0
    set auth authname user1
    set auth password pass1
    set link max-redial 0
    set link keep-alive 10 60
    open
"""


class Segment:
    """A bridge in a namespace of its own; every other namespace has an eth0 port on it."""

    def __init__(self, tag):
        self.base = f"mpsc{os.getpid() % 100000}{tag}"
        self.dir = tempfile.mkdtemp(prefix="mpsc-")
        self.nss, self.daemons, self.procs = [], [], []
        self.br = self._ns("w")
        self.br.add_bridge("br0")

    def _ns(self, suffix):
        ns = Netns(self.base + suffix)
        self.nss.append(ns)
        return ns

    def host(self, suffix):
        ns = self._ns(suffix)
        port = "p" + suffix
        sh(["ip", "link", "add", port, "netns", self.br.name, "type", "veth",
            "peer", "name", "eth0", "netns", ns.name])
        self.br.ip("link", "set", port, "master", "br0")
        self.br.ip("link", "set", port, "up")
        ns.ip("link", "set", "eth0", "up")
        return ns

    def server(self, name, net, pppoe="", conf=None, addr=None, last="0.199"):
        ns = self.host(name.lower())
        if addr:
            ns.ip("addr", "add", addr, "dev", "eth0")
        if conf is None:
            conf = SERVER.format(gw=f"{net}.0.1", first=f"{net}.0.100", last=f"{net}.{last}", name=name,
                                 pppoe=pppoe)
        m = Mpd(BINARY, ns, self.dir, conf, secret=SECRETS, name=name)
        self.daemons.append(m)
        m.start(settle=0.5)
        return m

    def client(self, links):
        ns = self.host("c")
        body = "default:\n" + "".join(CLIENT_LINK.format(n=i) for i in range(1, links + 1))
        m = Mpd(BINARY, ns, self.dir, body, name="client")
        self.daemons.append(m)
        m.start(settle=0.5)
        return m

    def loadgen(self, ns, n, window, name="loadgen", mac_prefix=None):
        exe = os.path.join(os.path.dirname(BINARY), "bench", "loadgen", "mpd5-loadgen")
        out = os.path.join(self.dir, name + ".out")
        argv = [exe, "-i", "eth0", "-n", str(n), "-w", str(window), "-u", "user1", "-p", "pass1", "-k", "10"]
        if mac_prefix:
            argv += ["-m", mac_prefix]
        with open(out, "wb") as f:
            p = subprocess.Popen(ns.exec_argv(argv), stdout=f, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(p)
        return p, lambda: open(out).read()

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        for m in self.daemons:
            m.stop()
        for ns in self.nss:
            ns.delete()
        for m in self.daemons:
            rep = SANITIZER.search(m.log())
            if rep:
                raise AssertionError(f"sanitizer report in {m.dir}:\n" + m.log()[rep.start():][:3000])


def pado_counts(m):
    """(waiting, sent late, not answered, dropped) from `show pppoe`."""
    out = m.console("show pppoe")
    r = re.search(r"PADO delay: waiting (\d+), sent late (\d+), not answered (\d+), dropped \(queue full\) (\d+)", out)
    expect(r, "show pppoe has no PADO delay line:\n" + out, m)
    return tuple(int(x) for x in r.groups())


def case_pado_fixed():
    n = 4
    seg = Segment("f")
    try:
        a = seg.server("A", "10.81")
        b = seg.server("B", "10.82", pppoe="    set pppoe pado-delay 800")
        shown = b.console("link L", "show device")
        expect(re.search(r"PADO delay\s*:\s*800\b", shown), "show device of B:\n" + shown, b)
        c = seg.client(n)
        up = wait_for(lambda: len(sessions(a)) == n, 30, step=0.5)
        expect(up, f"sessions on A: {sessions(a)}, on B: {sessions(b)}", a, b, c)
        # B's PADOs went out late (and were ignored): the delay ran, the client chose A.
        late = wait_for(lambda: pado_counts(b)[1] >= n, 5)
        expect(late, f"B sent no late PADOs: {pado_counts(b)}", b)
        expect(len(sessions(b)) == 0, f"sessions on B: {sessions(b)}", a, b, c)
        expect(pado_counts(a) == (0, 0, 0, 0), f"A delayed PADOs: {pado_counts(a)}", a)
        expect(all("10.81.0." in ln for ln in sessions(a)), f"A sessions: {sessions(a)}", a)
    finally:
        seg.close()


def case_pado_steps():
    n = 10
    seg = Segment("s")
    try:
        a = seg.server("A", "10.83", pppoe="    set pppoe pado-delay 0 silent@5")
        b = seg.server("B", "10.84", pppoe="    set pppoe pado-delay 300")
        shown = a.console("link L", "show device")
        expect(re.search(r"PADO delay\s*:\s*0 silent@5\b", shown), "show device of A:\n" + shown, a)
        # One setup at a time, so "sessions held" when each PADI comes is exact.
        lg, text = seg.loadgen(seg.host("c"), n, 1)
        up = wait_for(lambda: f"LG all-up n={n} " in text(), 60, step=0.5)
        expect(up, "loadgen:\n" + text()[-2000:], a, b)
        sa, sb = sessions(a), sessions(b)
        expect(len(sa) == 5 and len(sb) == 5, f"sessions on A {len(sa)}, on B {len(sb)}:\n{sa}\n{sb}", a, b)
        # A stopped answering at 5: the PADIs of the last 5 sessions (at least) went unanswered there.
        expect(pado_counts(a)[2] >= 5, f"A's counters: {pado_counts(a)}", a)
        # B's 5 sessions came through its delayed PADOs.
        expect(pado_counts(b)[1] >= 5, f"B's counters: {pado_counts(b)}", b)
        lg.send_signal(signal.SIGTERM)
        lg.wait(timeout=10)
        gone = wait_for(lambda: not sessions(a) and not sessions(b), 20)
        expect(gone, f"sessions left: {sessions(a)} {sessions(b)}", a, b)
        expect(pado_counts(b)[0] == 0, f"B still has waiting PADIs: {pado_counts(b)}", b)
    finally:
        seg.close()


def case_pado_flood():
    """300 PADIs at once against a 2 s delay: 256 wait (the bound), the rest
    are dropped and counted; the waiting ones are answered and come up."""
    n = 300
    seg = Segment("x")
    try:
        s = seg.server("S", "10.85", pppoe="    set pppoe pado-delay 2000", last="2.250")
        s.console("show version")
        lg, text = seg.loadgen(seg.host("c"), n, n)
        full = wait_for(lambda: pado_counts(s)[3] > 0, 10, step=0.2)
        c = pado_counts(s)
        expect(full and c[0] == 256, f"queue not bounded at 256: {c}", s)
        up = wait_for(lambda: len(sessions(s)) >= 256, 60, step=1)
        expect(up, f"{len(sessions(s))} sessions up; counters {pado_counts(s)}\n" + text()[-1500:], s)
        expect(pado_counts(s)[1] >= 256, f"counters {pado_counts(s)}", s)
        lg.send_signal(signal.SIGTERM)
        lg.wait(timeout=20)
    finally:
        seg.close()


RADIUS_SERVER = """
default:
    create bundle template B
    set ipcp ranges 10.90.255.254/32 0.0.0.0/0
    create link template L pppoe
    set link action bundle B
    set pppoe iface eth0
    set pppoe service "*"
    set pppoe acname "{name}"
    set pppoe pado-delay {delay}
    set link max-children 200
    set link enable chap-md5
    set link keep-alive 10 60
    set radius server 192.0.2.10 s3cret 1812 1813
    set radius me {me}
    set radius timeout 2
    set radius retries 3
    set auth enable radius-auth radius-acct
    set auth disable internal
    set link enable incoming
"""

POOL = ["10.90.0.%d" % i for i in range(1, 111)]


def session_addrs(m):
    """Peer IPv4 addresses in the server's `show sessions`."""
    return [a for ln in sessions(m) for a in re.findall(r"\b10\.90\.\d+\.\d+\b", ln)]


def case_sql_pool():
    n = 100
    seg = Segment("q")
    rad = None
    try:
        seg.br.ip("addr", "add", "192.0.2.10/24", "dev", "br0")
        rad = SqlPool(seg.br, seg.dir, listen="192.0.2.10", clients="192.0.2.0/24", secret="s3cret",
                      users={"user1": "pass1"}, pool="main", addresses=POOL)
        rad.start()
        # A takes sessions at once until it holds 50; B answers 150 ms late and also stops at 50.
        a = seg.server("A", None, addr="192.0.2.1/24",
                       conf=RADIUS_SERVER.format(name="A", me="192.0.2.1", delay="0 silent@50"))
        b = seg.server("B", None, addr="192.0.2.2/24",
                       conf=RADIUS_SERVER.format(name="B", me="192.0.2.2", delay="150 silent@50"))
        lg, text = seg.loadgen(seg.host("c"), n, 1)
        up = wait_for(lambda: f"LG all-up n={n} " in text() or lg.poll() is not None, 120, step=1)
        expect(up and f"LG all-up n={n} " in text(), "loadgen:\n" + text()[-2000:] + "\nradius:\n" + rad.log()[-3000:],
               a, b)
        sa, sb = session_addrs(a), session_addrs(b)
        expect(len(sessions(a)) == 50 and len(sessions(b)) == 50,
               f"sessions on A {len(sessions(a))}, on B {len(sessions(b))}", a, b)
        expect(len(sa) == 50 and len(sb) == 50, f"addresses in show sessions: A {sa}, B {sb}", a, b)
        both = sa + sb
        expect(len(set(both)) == n, f"an address was handed out twice: {sorted(both)}", a, b)
        leases = rad.leases()
        expect(len(leases) == n, f"{len(leases)} leases in SQL: {leases}", a, b)
        expect(all(leases.get(x, ("",))[0] == "192.0.2.1" for x in sa) and
               all(leases.get(x, ("",))[0] == "192.0.2.2" for x in sb),
               f"leases do not match the boxes holding the sessions: {leases}", a, b)
        expect("Allocation FAILED from main" not in rad.log(), "sqlippool:\n" + rad.log()[-3000:], a, b)
        lg.send_signal(signal.SIGTERM)
        lg.wait(timeout=20)
        gone = wait_for(lambda: not sessions(a) and not sessions(b), 30)
        expect(gone, f"sessions left: {sessions(a)} {sessions(b)}", a, b)
        # Every Accounting-Stop returned its address to the pool.
        freed = wait_for(lambda: not rad.leases(), 30, step=0.5)
        expect(freed, f"{len(rad.leases())} addresses still leased after the sessions ended: {rad.leases()}",
               a, b)
        expect(rad.size() == len(POOL), f"pool has {rad.size()} rows", a, b)
    finally:
        if rad is not None:
            rad.stop()
        seg.close()


if __name__ == "__main__":
    sys.exit(run_cases("netns-scaleout", sys.modules[__name__]))
