#!/usr/bin/python3
"""End-to-end tests of what an Access-Accept does to a session (issue 12
item 3, radius.md §2.8), of MS-CHAP through RADIUS and of EAP radius-proxy:
our PPPoE server authenticates against FreeRADIUS (started by the test in
the server's namespace, on its loopback, from a generated configuration)
and our own PPPoE client is the peer in a second namespace.

Usage: test_radius_apply.py --build-dir build [case ...]
Prints "PASS name" / "FAIL name" per case and "netns-radius-apply: N passed, N failed".
Namespaces are named mpdn<pid>q...; each is deleted afterwards.
"""

import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import test_pppoe as base  # noqa: E402
from test_pppoe import Topo, Mpd, expect, wait_for, client_addr  # noqa: E402
from netns_common import run_cases  # noqa: E402
from radius_env import FreeRadius  # noqa: E402

SERVER = """
default:
    create bundle template B
    set ipcp ranges 10.77.0.1/32 ippool P
    set ipcp dns 10.77.0.53 10.77.0.54
{bundle}
    create link template L pppoe
    set link action bundle B
    set pppoe iface veth-s
    set pppoe service "*"
    set link no pap chap-md5 chap-msv1 chap-msv2 eap
    set link enable {method}
    set auth disable internal
    set auth enable radius-auth
    set radius server 127.0.0.1 testing123
    set radius timeout 2
{link}
    set link keep-alive 1 4
    set link enable incoming
    set ippool add P 10.77.0.100 10.77.0.139
    set ippool add Q 10.77.1.10 10.77.1.20
"""

CLIENT = """
default:
    create bundle static C1
    set ipcp ranges {ranges}
    set ipcp enable req-pri-dns req-sec-dns
    create link static P1 pppoe
    set link action bundle C1
    set pppoe iface veth-c
    set link no pap chap-md5 chap-msv1 chap-msv2 eap
    set link accept {accept}
    set auth authname "{user}"
    set auth password "{password}"
    set link max-redial {redial}
    set link redial-delay 1
    set link keep-alive 1 4
    open
"""

USERS = """\
alice Cleartext-Password := "pw"
\tFramed-IP-Address = 10.77.0.200,
\tFramed-IP-Netmask = 255.255.255.252,
\tFramed-Route = "192.168.50.0/24 0.0.0.0 1",
\tFramed-Route = "192.168.60.0/24",
\tFramed-MTU = 1400,
\tFilter-Id = "std",
\tMS-Primary-DNS-Server = 10.9.9.1,
\tMS-Secondary-DNS-Server = 10.9.9.2

bob Cleartext-Password := "pw"
\tFramed-Pool = "Q",
\tUser-Name = "bob-renamed"

carol Cleartext-Password := "pw"
\tFramed-Pool = "nosuchpool"

dave Cleartext-Password := "pw"
\tSession-Timeout = 3

erin Cleartext-Password := "pw"
\tIdle-Timeout = 2

frank Cleartext-Password := "pw"
\tmpd-limit = "in#1=all rate-limit 64000",
\tmpd-rule = "1=add deny ip from any to any"

grace Cleartext-Password := "pw"
\tFramed-MTU = 100,
\tFramed-IP-Address = 255.255.255.254

heidi Cleartext-Password := "pw"
\tFramed-IP-Address = 255.255.255.255
"""


class Session:
    """FreeRADIUS + our server in one namespace, our client in the other."""

    def __init__(self, tag, method="pap", accept="pap", user="alice", password="pw", link="",
                 bundle="", redial=0, users=USERS, ranges="0.0.0.0/0 0.0.0.0/0"):
        self.t = Topo(tag)
        self.rad = FreeRadius(self.t.srv, self.t.dir, users=users)
        try:
            self.rad.start()
            self.s = Mpd(base.BINARY, self.t.srv, self.t.dir,
                         SERVER.format(method=method, link=link, bundle=bundle), name="server")
            self.t._start(self.s)
            self.c = Mpd(base.BINARY, self.t.cli, self.t.dir,
                         CLIENT.format(accept=accept, user=user, password=password, redial=redial,
                                       ranges=ranges),
                         name="client")
            self.t._start(self.c)
        except BaseException:
            self.close()
            raise

    def expect(self, cond, what):
        if not cond:
            raise AssertionError(what + f"\n--- freeradius log ---\n{self.rad.log()[-3000:]}"
                                 + "".join(f"\n--- {d.dir} log ---\n{d.log()[-6000:]}"
                                           for d in (self.s, self.c)))

    def up(self, timeout=20):
        return wait_for(lambda: client_addr(self.t), timeout)

    def link(self):
        m = re.search(r"\[(L-\d+)\] Link: incoming call", self.s.log())
        return m.group(1) if m else None

    def srv_routes(self):
        return self.t.srv.ip("-4", "route", "show", check=False).stdout

    def srv_iface(self):
        m = re.search(r"IFACE: Up event, (\S+) ", self.s.log())
        return m.group(1) if m else None

    def close(self):
        try:
            self.rad.stop()
        finally:
            self.t.close()


def case_framed_ip_routes_mtu_dns():
    """Framed-IP-Address is the peer's address; Framed-Route and the netmask's subnet are routes
    via the peer while up and gone after; Framed-MTU caps the MTU; MS DNS servers reach the peer."""
    x = Session("qa")
    try:
        addrs = x.up()
        x.expect(addrs is not None and addrs[0] == "10.77.0.200", f"client address {addrs}, wanted 10.77.0.200")
        ifn = x.srv_iface()
        routes = x.srv_routes()
        for r in ("192.168.50.0/24", "192.168.60.0/24", "10.77.0.200/30"):
            x.expect(re.search(rf"^{re.escape(r)} dev {ifn}", routes, re.M), f"route {r} via {ifn} missing:\n{routes}")
        mtu = x.t.srv.ip("-o", "link", "show", "dev", ifn, check=False).stdout
        x.expect(re.search(r"mtu 1400\b", mtu), "server interface MTU not capped at 1400:\n" + mtu)
        x.expect(re.search(r"Auth: granted user=alice addr=10\.77\.0\.200 .*mtu=1400 routes=2 .*filter-id=std",
                           x.s.log()), "no grant line with the Accept's values")
        ipcp = x.c.console("bundle C1", "show ipcp")
        x.expect(re.search(r"Server info peer gave us:\s*\n\s*DNS\s*:\s*10\.9\.9\.1 10\.9\.9\.2", ipcp),
                 "client did not get the RADIUS DNS servers:\n" + ipcp)
        sa = x.s.console(f"link {x.link()}", "show auth")
        x.expect(re.search(r"Filter-Id\s*: std", sa) and re.search(r"Route\s*: 192\.168\.50\.0/24", sa),
                 "show auth lacks the authorization data:\n" + sa)
        x.c.console("link P1", "close")
        x.expect(wait_for(lambda: "192.168.50.0/24" not in x.srv_routes(), 10),
                 "Framed-Route still installed after the session ended:\n" + x.srv_routes())
        x.expect("10.77.0.200/30" not in x.srv_routes(), "netmask route left behind")
    finally:
        x.close()


def case_framed_pool_user_name():
    """Framed-Pool names our `set ippool`; User-Name replaces the login (show, log)."""
    x = Session("qb", user="bob")
    try:
        addrs = x.up()
        x.expect(addrs is not None and addrs[0] == "10.77.1.10", f"client address {addrs}, wanted pool Q's first")
        x.expect('peer name "bob" replaced by User-Name "bob-renamed"' in x.s.log(), "no User-Name replacement line")
        sa = x.s.console(f"link {x.link()}", "show auth")
        x.expect(re.search(r"Peer authname\s*: bob-renamed", sa), "show auth still has the old name:\n" + sa)
    finally:
        x.close()


def case_unknown_pool_refused():
    """A Framed-Pool we don't have refuses the session, with a log line saying why."""
    x = Session("qc", user="carol")
    try:
        x.expect(wait_for(lambda: 'Framed-Pool "nosuchpool" is not a configured ippool' in x.s.log(), 15),
                 "no refusal line for the unknown pool")
        x.expect(client_addr(x.t) is None, "session came up despite the unknown pool")
    finally:
        x.close()


def case_session_timeout():
    """Session-Timeout overrides `set iface session` and ends the session."""
    x = Session("qd", user="dave")
    try:
        x.expect(x.up() is not None, "session did not come up")
        x.expect(wait_for(lambda: "session timeout after 3 seconds" in x.s.log(), 10),
                 "Session-Timeout 3 did not end the session")
        x.expect(re.search(r"Link: .*Session timeout|Bundle: closing \(Session timeout\)", x.s.log()),
                 "reason not logged")
    finally:
        x.close()


def case_idle_timeout():
    """Idle-Timeout overrides `set iface idle` and ends an idle session."""
    x = Session("qe", user="erin")
    try:
        x.expect(x.up() is not None, "session did not come up")
        x.expect(wait_for(lambda: "idle timeout after 2 seconds" in x.s.log(), 12),
                 "Idle-Timeout 2 did not end the idle session")
        x.expect("Bundle: closing (Idle timeout)" in x.s.log(), "reason not logged")
    finally:
        x.close()


def case_strict_attrs():
    """Filter/limit VSAs are logged as not applied yet; with strict-attrs the session is refused."""
    x = Session("qf", user="frank")
    try:
        x.expect(x.up() is not None, "session did not come up without strict-attrs")
        x.expect(re.search(r'mpd-limit "in#1=all rate-limit 64000" not applied yet', x.s.log()),
                 "mpd-limit not logged as not applied yet")
        x.expect(re.search(r'mpd-rule "1=add deny ip from any to any" not applied yet', x.s.log()),
                 "mpd-rule not logged as not applied yet")
    finally:
        x.close()
    x = Session("qg", user="frank", link="    set auth enable strict-attrs")
    try:
        x.expect(wait_for(lambda: "can't apply yet (strict-attrs)" in x.s.log(), 15), "strict-attrs did not refuse")
        x.expect(client_addr(x.t) is None, "session came up despite strict-attrs")
    finally:
        x.close()


def case_nas_chooses_mtu_ignored():
    """255.255.255.254: the address comes from our own pool; a Framed-MTU out of range is logged
    and ignored."""
    x = Session("qh", user="grace")
    try:
        addrs = x.up()
        x.expect(addrs is not None and addrs[0] == "10.77.0.100", f"client address {addrs}, wanted pool P's first")
        x.expect("Framed-MTU outside 296..65536, ignored" in x.s.log(), "out-of-range Framed-MTU not logged")
        ifn = x.srv_iface()
        mtu = x.t.srv.ip("-o", "link", "show", "dev", ifn, check=False).stdout
        x.expect(not re.search(r"mtu 100\b", mtu), "an out-of-range Framed-MTU was applied:\n" + mtu)
    finally:
        x.close()


def case_peer_chooses():
    """255.255.255.255: the peer's own address is accepted."""
    x = Session("qi", user="heidi", ranges="10.88.0.5/32 0.0.0.0/0")
    try:
        addrs = x.up()
        x.expect(addrs is not None and addrs[0] == "10.88.0.5", f"peer's own address not accepted: {addrs}")
    finally:
        x.close()


if __name__ == "__main__":
    sys.exit(run_cases("netns-radius-apply", sys.modules[__name__], base))
