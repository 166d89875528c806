#!/usr/bin/python3
"""The PPPoE device follows its Ethernet interface (issue 11, item 6): a new
MAC address, a new MTU, the link going down and up, and the interface
disappearing and coming back with another index. Our server and our client
in two namespaces joined by a veth pair (test_pppoe.py's Topo).

Usage: test_pppoe_if.py --build-dir build [case ...]
Prints "PASS name" / "FAIL name" per case and "netns-if: N passed, N failed".
"""

import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import test_pppoe  # noqa: E402
from test_pppoe import Topo, sh  # noqa: E402
from netns_common import run_cases, wait_for, client_addr, expect, sessions  # noqa: E402

BINARY = None  # set by run_cases from --build-dir


def session_up(t, s, c):
    ok = wait_for(lambda: len(sessions(s)) == 1 and client_addr(t), 20)
    expect(ok, "session did not come up", s, c)


def session_ids(m):
    """The session ids in `show sessions` (the 7th field): a new session has a new one."""
    return [ln.split("\t")[6] for ln in sessions(m)]


def bare_mac(text):
    return re.sub(r"[^0-9a-f]", "", text.lower())


def ifindex(ns, dev):
    r = ns.ip("-o", "link", "show", dev)
    return int(r.stdout.split(":", 1)[0])


def set_mac(ns, dev, mac):
    # veth takes a new address while up; a device that refuses (EBUSY) gets it while down.
    if ns.ip("link", "set", dev, "address", mac, check=False).returncode != 0:
        ns.ip("link", "set", dev, "down")
        ns.ip("link", "set", dev, "address", mac)
        ns.ip("link", "set", dev, "up")


def cpu_seconds(m):
    with open(f"/proc/{m.proc.pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def case_mac_change():
    """The server interface takes a new MAC while a session is up: the session
    is closed with a PADT from the old address (peers know a session by our
    MAC), and the client's next session is made with the new one."""
    t = Topo("x")
    try:
        s = t.server()
        c = t.client()
        session_up(t, s, c)
        old, new = t.srv.mac("veth-s"), "02:5e:11:22:33:44"
        first = session_ids(s)
        ms, mc = len(s.log()), len(c.log())
        set_mac(t.srv, "veth-s", new)
        expect(s.wait_log(r"veth-s MAC address changed from %s to %s: 1 session" % (old, new), 10, since=ms),
               "server did not log the MAC change", s, c)
        expect(s.wait_log(r"PPPoE: down: PPPoE interface MAC address changed", 5, since=ms),
               "server did not close the session on the old MAC", s, c)
        expect(c.wait_log(r"PPPoE: down: PADT received", 5, since=mc),
               "client got no PADT from the old MAC", s, c)
        again = wait_for(lambda: len(sessions(s)) == 1 and session_ids(s) != first and client_addr(t), 20)
        expect(again, "no new session after the MAC change", s, c)
        peer = sessions(c)[0].split("\t")[8]
        expect(bare_mac(peer) == bare_mac(new), f"client's session is with {peer}, not the new MAC {new}", s, c)
        ok, out = t.cli.ping("10.77.0.1")
        expect(ok, "ping over the new session failed: " + out, s, c)
    finally:
        t.close()


def case_iface_gone_and_back():
    """The veth pair is deleted under both daemons and made again (new
    ifindexes): sessions are closed with a log line, nothing crashes, and a
    session comes up again once the interfaces are back."""
    t = Topo("y")
    try:
        s = t.server()
        c = t.client()
        session_up(t, s, c)
        idx = ifindex(t.srv, "veth-s")
        ms, mc = len(s.log()), len(c.log())
        t.srv.ip("link", "del", "veth-s")
        expect(s.wait_log(r"interface veth-s went away: 1 session\(s\) and call\(s\) closed; "
                          r"listening resumes when it returns", 10, since=ms),
               "server did not log the interface going away", s, c)
        expect(s.wait_log(r"PPPoE: down: PPPoE interface veth-s went away", 5, since=ms),
               "server did not close the session", s, c)
        expect(c.wait_log(r"PPPoE: down: PPPoE interface veth-c went away", 5, since=mc),
               "client did not close its session", s, c)
        expect(wait_for(lambda: len(sessions(s)) == 0, 10), "server still lists the session", s, c)
        time.sleep(2)  # the client redials meanwhile and fails: the interface does not exist
        expect(s.alive() and c.alive(), "a daemon died", s, c)
        shown = s.console("show pppoe")
        expect(re.search(r"veth-s .*absent, waiting for it", shown), "show pppoe:\n" + shown, s, c)
        # A new ifindex: the old one's sockets are dead and must be reopened by name.
        sh(["ip", "link", "add", "veth-s", "netns", t.srv.name, "type", "veth",
            "peer", "name", "veth-c", "netns", t.cli.name])
        t.srv.ip("link", "set", "veth-s", "up")
        t.cli.ip("link", "set", "veth-c", "up")
        nidx = ifindex(t.srv, "veth-s")
        expect(nidx != idx, f"the kernel reused ifindex {idx}; the case proves nothing")
        expect(s.wait_log(r"interface veth-s is back \(index %d, MTU 1500\), listening again" % nidx, 10, since=ms),
               "server did not reopen the interface", s, c)
        session_up(t, s, c)
        ok, out = t.cli.ping("10.77.0.1")
        expect(ok, "ping over the new session failed: " + out, s, c)
    finally:
        t.close()


def case_mtu_change():
    """The Ethernet MTU changes while the daemons run: the next session's MTU
    fits the smaller interface (MTU - 8), and a larger interface lets a
    client's PPP-Max-Payload (RFC 4638) be granted."""
    t = Topo("z")
    try:
        s = t.server()
        c = t.client()
        session_up(t, s, c)
        expect(re.search(r"session 0x[0-9a-f]+ up, MTU 1492", s.log()), "first session MTU", s, c)
        ms = len(s.log())
        for ns, dev in ((t.srv, "veth-s"), (t.cli, "veth-c")):
            ns.ip("link", "set", dev, "mtu", "1400")
        expect(s.wait_log(r"veth-s MTU changed from 1500 to 1400", 10, since=ms), "MTU change not seen", s, c)
        c.console("link P1", "close")
        expect(wait_for(lambda: len(sessions(s)) == 0, 10), "session did not close", s, c)
        c.console("link P1", "open")
        session_up(t, s, c)
        expect(s.wait_log(r"session 0x[0-9a-f]+ up, MTU 1392", 5, since=ms), "server session MTU not 1392", s, c)
        mtu = int(re.search(r"mtu (\d+)", t.cli.ip("-o", "link", "show", "ppp0").stdout).group(1))
        expect(mtu <= 1392, f"client ppp0 MTU {mtu} does not fit a 1400-byte Ethernet", s, c)
        ok, out = t.cli.ping("10.77.0.1")
        expect(ok, "ping failed: " + out, s, c)
        # Larger: a client asking PPP-Max-Payload 1500 gets it once the interfaces carry 1508.
        ms = len(s.log())
        for ns, dev in ((t.srv, "veth-s"), (t.cli, "veth-c")):
            ns.ip("link", "set", dev, "mtu", "1600")
        expect(s.wait_log(r"veth-s MTU changed from 1400 to 1600", 10, since=ms), "MTU change not seen", s, c)
        c.console("link P1", "close")
        expect(wait_for(lambda: len(sessions(s)) == 0, 10), "session did not close", s, c)
        c.console("link P1", "set pppoe max-payload 1500", "open")
        session_up(t, s, c)
        expect(s.wait_log(r"session 0x[0-9a-f]+ up, MTU 1500", 5, since=ms), "max-payload 1500 not granted", s, c)
    finally:
        t.close()


def case_link_down_up():
    """The server's Ethernet goes down for a moment: the session is kept (as
    mpd5 keeps it; LCP keep-alives decide), the daemon neither crashes nor
    spins on the socket error the kernel leaves, and traffic resumes."""
    t = Topo("u")
    try:
        s = t.server()
        c = t.client()
        session_up(t, s, c)
        first = session_ids(s)
        ms = len(s.log())
        cpu0 = cpu_seconds(s), cpu_seconds(c)
        t.srv.ip("link", "set", "veth-s", "down")
        expect(s.wait_log(r"veth-s link down: 1 session\(s\) kept", 5, since=ms), "link down not seen", s, c)
        time.sleep(1.5)
        cpu1 = cpu_seconds(s), cpu_seconds(c)
        t.srv.ip("link", "set", "veth-s", "up")
        expect(s.wait_log(r"veth-s link up", 5, since=ms), "link up not seen", s, c)
        for who, a, b in (("server", cpu0[0], cpu1[0]), ("client", cpu0[1], cpu1[1])):
            expect(b - a < 0.5, f"{who} used {b - a:.2f}s of CPU while the link was down (spinning)", s, c)
        ok, out = t.cli.ping("10.77.0.1")
        expect(ok, "ping after the link came back failed: " + out, s, c)
        expect(session_ids(s) == first, f"session changed: {first} -> {session_ids(s)}", s, c)
        expect(s.alive() and c.alive(), "a daemon died", s, c)
    finally:
        t.close()


if __name__ == "__main__":
    sys.exit(run_cases("netns-if", sys.modules[__name__], test_pppoe))
