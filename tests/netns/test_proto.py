#!/usr/bin/python3
"""End-to-end protocol corrections (issue 11 item 5): a Protocol-Reject of
IPCP ends IPCP at once, and IPCP never comes up without an address, with
our PPPoE server and client in two network namespaces (test_pppoe's Topo).

Usage: test_proto.py --build-dir build [case ...]
Prints "PASS name" / "FAIL name" per case and "proto: N passed, N failed".
"""

import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "interop", "lib"))

import test_pppoe  # noqa: E402
from test_pppoe import Topo  # noqa: E402
from mpd import Mpd  # noqa: E402
from netns_common import run_cases, wait_for, expect, sessions  # noqa: E402

BINARY = None  # the mpd5 under test: set by run_cases from --build-dir

# `set link fsm-timeout` / `set bundle fsm-timeout` default: one restart interval.
RESTART = 2.0

STAMP = r"^(\d\d):(\d\d):(\d\d\.\d+) "


def stamp(log, pattern):
    """Seconds of day of the first log line matching pattern, or None."""
    m = re.search(STAMP + r".*" + pattern, log, re.M)
    return int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3)) if m else None


def ipv4_lines(ns):
    """`ip -o -4 addr` lines of the ppp interfaces in ns."""
    out = ns.ip("-o", "-4", "addr", "show", check=False).stdout
    return [ln for ln in out.splitlines() if " ppp" in ln]


def no_zero_address(t, *daemons):
    for ns in (t.srv, t.cli):
        lines = ipv4_lines(ns)
        expect(not any("0.0.0.0" in ln for ln in lines), f"0.0.0.0 on an interface in {ns.name}: {lines}",
               *daemons)


def case_ipcp_protocol_reject():
    """Our client with IPCP disabled answers the server's IPCP with LCP Protocol-Reject."""
    t = Topo("r")
    try:
        s = t.server()
        c = t.client(redial=-1, extra="    set bundle disable ipcp\n")
        expect(s.wait_log(r"IPCP: protocol rejected by peer", 15), "server saw no Protocol-Reject of IPCP", s, c)
        expect(s.wait_log(r"Bundle: closing \(Protocol error\)", 10), "server bundle did not close", s, c)
        log = s.log()
        start = stamp(log, r"IPCP: send Configure-Request")
        stop = stamp(log, r"IPCP: state change \S+ --> Stopped")
        expect(start is not None and stop is not None, "IPCP start/stop not logged", s, c)
        expect(stop - start < RESTART, f"IPCP took {stop - start:.1f}s to stop: not at once", s, c)
        reqs = len(re.findall(r"IPCP: send Configure-Request", log))
        expect(reqs == 1, f"server sent {reqs} IPCP Configure-Requests after the reject", s, c)
        expect(c.wait_log(r"Link: DOWN event", 10), "client link did not go down", s, c)
        no_zero_address(t, s, c)
    finally:
        t.close()


def case_pool_exhausted():
    """One address in the pool, two sessions: the second fails with a log line, nobody gets 0.0.0.0."""
    t = Topo("x")
    try:
        s = t.server(pool_size=1)
        c = t.client(links=[(1, "user1", "pass1", -1), (2, "user1", "pass1", -1)])
        expect(s.wait_log(r"IPCP: no address from pool \"P\": pool exhausted", 20),
               "server did not log the exhausted pool", s, c)
        expect(wait_for(lambda: len(ipv4_lines(t.cli)) == 1, 15), "first session did not come up", s, c)
        expect(s.wait_log(r"Link: can't join a bundle", 10), "refused link not logged", s, c)
        expect(wait_for(lambda: len(sessions(s)) == 1, 10), f"server sessions: {sessions(s)}", s, c)
        lines = ipv4_lines(t.cli)
        expect(len(lines) == 1 and "10.77.0.100" in lines[0], f"client addresses: {lines}", s, c)
        no_zero_address(t, s, c)
    finally:
        t.close()


SERVER_NO_RANGE = """
default:
    create bundle template B
    create link template L pppoe
    set link action bundle B
    set pppoe iface veth-s
    set pppoe service "*"
    set link enable pap
    set link enable incoming
"""


def case_no_address_to_give():
    """A server with neither range nor pool, a client asking for an address: IPCP fails at once."""
    t = Topo("n")
    try:
        t.srv.ip("addr", "add", "192.0.2.1/24", "dev", "veth-s")  # our own address: the host's first
        s = Mpd(BINARY, t.srv, t.dir, SERVER_NO_RANGE, secret=test_pppoe.SECRETS, name="server")
        t._start(s)
        c = t.client(redial=-1)
        expect(s.wait_log(r"IPCP: peer wants 0\.0\.0\.0, we have no address for it", 15),
               "server did not say it has no address", s, c)
        expect(s.wait_log(r"IPCP: No IP address for the peer", 5), "IPCP did not fail", s, c)
        expect(s.wait_log(r"Bundle: closing \(Protocol error\)", 2 * RESTART + 1), "server bundle did not close", s, c)
        log = s.log()
        start = stamp(log, r"IPCP: send Configure-Request")
        fail = stamp(log, r"IPCP: No IP address for the peer")
        expect(fail - start < RESTART, f"IPCP took {fail - start:.1f}s to fail", s, c)
        expect("IPCP: up" not in log and "IPCP: up" not in c.log(), "IPCP came up", s, c)
        no_zero_address(t, s, c)
        expect(not ipv4_lines(t.cli), f"client got addresses: {ipv4_lines(t.cli)}", s, c)
    finally:
        t.close()


if __name__ == "__main__":
    sys.exit(run_cases("proto", sys.modules[__name__], test_pppoe))
