#!/usr/bin/python3
"""End-to-end RADIUS authentication (issue 12 items 1, 2 and 7): our PPPoE
server asks FreeRADIUS (started by the test in the server's namespace, on
its loopback, from a generated configuration, tests/netns/radius_env.py) or
a small Python stand-in, and our own PPPoE client is the peer in a second
namespace.

- PAP and CHAP-MD5 accepted and rejected, the Reply-Message reaching the peer;
- a forged Access-Accept (correct Response Authenticator, but no or a wrong
  Message-Authenticator) is dropped: no session, a log line saying why, and
  `show radius` counting it; relaxing the check lets the same answer in;
- the first server dead (nothing listening) -> the second answers;
- the first server swallowing requests -> retransmissions, then the second,
  while an existing session's LCP echoes are answered and a new session
  from mpd.secret on another link comes up;
- `show radius` state and counters; `set radius config` files.

Usage: test_radius.py --build-dir build [case ...]
Prints "PASS name" / "FAIL name" per case and "netns-radius: N passed, N failed".
Namespaces are named mpdn<pid>r...; each is deleted afterwards.
"""

import hashlib
import hmac
import os
import re
import socket
import struct
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import test_pppoe as base  # noqa: E402
from test_pppoe import Topo, Mpd, wait_for, client_addr  # noqa: E402
from netns_common import run_cases  # noqa: E402
from netns import sh  # noqa: E402
from radius_env import FreeRadius  # noqa: E402

SECRET = "testing123"

SERVER = """
default:
    create bundle template B
    set ipcp ranges 10.77.0.1/32 ippool P
    create link template L pppoe
    set link action bundle B
    set pppoe iface veth-s
    set pppoe service "*"
    set link no pap chap-md5 chap-msv1 chap-msv2 eap
    set link enable {method}
    set auth disable internal
    set auth enable radius-auth
{radius}
    set link keep-alive 1 4
    set link enable incoming
{extra}
    set ippool add P 10.77.0.100 10.77.0.139
"""

# A second template on its own interface, checked against mpd.secret only.
LOCAL_TEMPLATE = """
    create link template LL pppoe
    set link action bundle B
    set pppoe iface veth-s2
    set pppoe service "*"
    set link enable pap
    set link keep-alive 1 4
    set link enable incoming
"""

CLIENT_LINK = """
    create bundle static C{n}
    set ipcp ranges 0.0.0.0/0 0.0.0.0/0
    create link static P{n} pppoe
    set link action bundle C{n}
    set pppoe iface {ifname}
    set link no pap chap-md5 chap-msv1 chap-msv2 eap
    set link accept {accept}
    set auth authname "{user}"
    set auth password "{password}"
    set link max-redial 0
    set link keep-alive 1 2
{open}
"""

USERS = """\
alice Cleartext-Password := "alicepw"
\tReply-Message = "Hello alice",
\tClass = "gold-plan",
\tFilter-Id = "std"

bob Auth-Type := Reject
\tReply-Message = "Go away bob"
"""

SECRETS = 'local1 "l1pw"\nlocal2 "l2pw"\n'


def radius_lines(*servers, timeout=1, retries=2, more=""):
    s = "".join(f"    set radius server {h} {SECRET} {p} 0\n" for h, p in servers)
    return s + f"    set radius timeout {timeout}\n    set radius retries {retries}\n" + more


class Setup:
    """Topology, optional FreeRADIUS, our server and our client."""

    def __init__(self, tag, radius, method="pap", accept="pap", links=(("alice", "alicepw"),),
                 freeradius=True, extra="", local=False, local_links=(), users=USERS, open_links=True,
                 responders=()):
        self.t = Topo(tag)
        self.rad = None
        self.s = self.c = None
        self.responders = []
        try:
            for port, mode in responders:
                self.responders.append(Responder(self.t.srv, port, mode))
            if local:
                sh(["ip", "link", "add", "veth-s2", "netns", self.t.srv.name, "type", "veth",
                    "peer", "name", "veth-c2", "netns", self.t.cli.name])
                self.t.srv.ip("link", "set", "veth-s2", "up")
                self.t.cli.ip("link", "set", "veth-c2", "up")
            if freeradius:
                self.rad = FreeRadius(self.t.srv, self.t.dir, users=users).start()
            self.s = Mpd(base.BINARY, self.t.srv, self.t.dir,
                         SERVER.format(method=method, radius=radius,
                                       extra=extra + (LOCAL_TEMPLATE if local else "")),
                         secret=SECRETS, name="server")
            self.t._start(self.s)
            body = "default:\n"
            for i, (user, pw) in enumerate(links, 1):
                body += CLIENT_LINK.format(n=i, ifname="veth-c", accept=accept, user=user, password=pw,
                                           open="    open" if open_links else "")
            for i, (user, pw, do_open) in enumerate(local_links, 1 + len(links)):
                body += CLIENT_LINK.format(n=i, ifname="veth-c2", accept="pap", user=user, password=pw,
                                           open="    open" if do_open else "")
            self.c = Mpd(base.BINARY, self.t.cli, self.t.dir, body, name="client")
            self.t._start(self.c)
        except BaseException:
            self.close()
            raise

    def expect(self, cond, what):
        if not cond:
            extra = f"\n--- freeradius log ---\n{self.rad.log()[-3000:]}" if self.rad else ""
            raise AssertionError(what + extra + "".join(
                f"\n--- {d.dir} log ---\n{d.log()[-6000:]}" for d in (self.s, self.c) if d))

    def show_radius(self):
        # the template: its clones may be gone, the servers' state is shared by all of them
        return self.s.console("link L", "show radius")

    def sessions_up(self):
        """Client interfaces with a peer address."""
        r = self.t.cli.ip("-o", "-4", "addr", "show", check=False)
        return len(re.findall(r" peer ", r.stdout))

    def close(self):
        try:
            for r in self.responders:
                r.stop()
            if self.rad:
                self.rad.stop()
        finally:
            self.t.close()


def counters(show, host_port):
    """The counters of one server's auth block in `show radius` as a dict."""
    i = show.find(host_port)
    if i < 0:
        return {}
    block = show[i:].split("\n\t", 1)[1] if "\n\t" in show[i:] else ""
    nxt = re.search(r"\n\t\S", block)
    block = block[:nxt.start()] if nxt else block
    d = {k.strip(): int(v) for v, k in
         ((m.group(2), m.group(1)) for m in re.finditer(r"([a-z -]+?) (\d+)", block))}
    d["state"] = (re.search(r"auth: (\w+)", block) or re.search(r"(x)", "x")).group(1)
    return d


def up_or_refused(x, user, want_up, client_pattern=None):
    if want_up:
        x.expect(wait_for(lambda: client_addr(x.t), 20), f"{user}: session did not come up")
    else:
        x.expect(wait_for(lambda: re.search(r"result=(reject|no-answer)", x.s.log()), 20),
                 f"{user}: no RADIUS verdict in the server log")
        time.sleep(1)
        x.expect(client_addr(x.t) is None, f"{user}: session came up although refused")
    if client_pattern:
        x.expect(wait_for(lambda: re.search(client_pattern, x.c.log()), 10),
                 f"client log lacks /{client_pattern}/")


def case_pap_accept():
    """PAP through FreeRADIUS: accepted, the accept logged key=value, counted in show radius."""
    x = Setup("ra", radius_lines(("127.0.0.1", 1812)))
    try:
        up_or_refused(x, "alice", True, r'PAP: peer says Ack: "Hello alice"')
        x.expect(re.search(r'rad-auth user="alice" method=PAP result=accept server=127\.0\.0\.1:1812', x.s.log()),
                 "no rad-auth accept line")
        c = counters(x.show_radius(), "127.0.0.1 (secret ***)")
        x.expect(c.get("accepts") == 1 and c.get("requests") == 1 and c.get("state") == "alive",
                 f"show radius counters {c}")
        link = re.search(r"\[(L-\d+)\] Link: incoming call", x.s.log()).group(1)
        show = x.s.console(f"link {link}", "show radius")
        for want in ("Authenticated: by RADIUS", 'Class        : "gold-plan"', "Filter-Id    : std"):
            x.expect(want in show, f"{want!r} not in the session's show radius:\n{show}")
    finally:
        x.close()


def case_pap_reject():
    """A PAP reject: no session, the Reply-Message is the PAP Nak text the peer gets."""
    x = Setup("rb", radius_lines(("127.0.0.1", 1812)), links=(("bob", "whatever"),))
    try:
        up_or_refused(x, "bob", False, r'PAP: peer says Nak: "Go away bob"')
        c = counters(x.show_radius(), "127.0.0.1 (secret ***)")
        x.expect(c.get("rejects", 0) >= 1 and c.get("accepts") == 0, f"show radius counters {c}")
    finally:
        x.close()


def case_pap_wrong_password():
    """A wrong password is rejected by the server (FreeRADIUS checks the hidden User-Password)."""
    x = Setup("rc", radius_lines(("127.0.0.1", 1812)), links=(("alice", "wrong"),))
    try:
        up_or_refused(x, "alice", False)
    finally:
        x.close()


def case_reject_falls_through_to_internal():
    """radius.md §1: a RADIUS reject does not end the chain; with `internal` enabled mpd.secret
    is asked next (local1 is unknown to FreeRADIUS, known to mpd.secret)."""
    x = Setup("ro", radius_lines(("127.0.0.1", 1812)), links=(("local1", "l1pw"),),
              extra="    set auth enable internal\n")
    try:
        up_or_refused(x, "local1", True)
        log = x.s.log()
        i, j = log.find('rad-auth user="local1" method=PAP result=reject'), log.find('Auth: PAP user "local1" accepted')
        x.expect(0 <= i < j, "not a RADIUS reject followed by the mpd.secret accept")
    finally:
        x.close()


def case_chap_md5_accept():
    """CHAP-MD5 through FreeRADIUS (CHAP-Challenge + CHAP-Password)."""
    x = Setup("rd", radius_lines(("127.0.0.1", 1812)), method="chap-md5", accept="chap-md5")
    try:
        up_or_refused(x, "alice", True)
        x.expect(re.search(r'rad-auth user="alice" method=CHAP-MD5 result=accept', x.s.log()),
                 "no CHAP-MD5 accept line")
    finally:
        x.close()


def case_eap_md5_native():
    """Native EAP-MD5 (no radius-proxy) goes to RADIUS as CHAP-Challenge + CHAP-Password."""
    eap = "eap\n    set eap yes md5"
    x = Setup("rp", radius_lines(("127.0.0.1", 1812)), method=eap, accept=eap)
    try:
        up_or_refused(x, "alice", True)
        x.expect(re.search(r'rad-auth user="alice" method=EAP-MD5 result=accept', x.s.log()),
                 "no EAP-MD5 accept line")
        x.expect(re.search(r"CHAP-Password = 0x", x.rad.log()), "FreeRADIUS saw no CHAP-Password")
    finally:
        x.close()
    x = Setup("rq", radius_lines(("127.0.0.1", 1812)), method=eap, accept=eap, links=(("alice", "bad"),))
    try:
        up_or_refused(x, "alice", False)
    finally:
        x.close()


def case_chap_md5_reject():
    """CHAP-MD5 with a wrong password and a rejected user: refused, Reply-Message in the CHAP Failure."""
    x = Setup("re", radius_lines(("127.0.0.1", 1812)), method="chap-md5", accept="chap-md5",
              links=(("alice", "wrong"),))
    try:
        up_or_refused(x, "alice", False)
    finally:
        x.close()
    x = Setup("rf", radius_lines(("127.0.0.1", 1812)), method="chap-md5", accept="chap-md5",
              links=(("bob", "x"),))
    try:
        up_or_refused(x, "bob", False, r"Go away bob")
    finally:
        x.close()


class Responder:
    """A stand-in RADIUS server in a namespace: answers every Access-Request with an
    Access-Accept whose Response Authenticator is correct; ma = "none" (no
    Message-Authenticator), "wrong" (16 bad bytes) or "good"; or, with sink=True, never
    answers and only counts what it got."""

    CODE = r'''
import hashlib, hmac, socket, struct, sys
port, secret, mode = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", port))
print("ready", flush=True)
while True:
    req, peer = s.recvfrom(4096)
    print("got", req[0], req[1], flush=True)
    if mode == "sink" or len(req) < 20 or req[0] != 1:
        continue
    ident, rauth = req[1], req[4:20]
    attrs = bytes([18, 2 + 7]) + b"forged!"
    if mode != "none":
        attrs = bytes([80, 18]) + bytes(16) + attrs
    pkt = bytearray(struct.pack("!BBH", 2, ident, 20 + len(attrs)) + rauth + attrs)
    if mode == "good":
        pkt[22:38] = hmac.new(secret, bytes(pkt), hashlib.md5).digest()
    elif mode == "wrong":
        pkt[22:38] = b"\x55" * 16
    pkt[4:20] = hashlib.md5(bytes(pkt) + secret).digest()
    s.sendto(bytes(pkt), peer)
'''

    def __init__(self, ns, port, mode):
        self.proc = subprocess.Popen(ns.exec_argv(["/usr/bin/python3", "-c", self.CODE, str(port), SECRET, mode]),
                                     stdout=subprocess.PIPE, text=True)
        self.lines = []
        assert self.proc.stdout.readline().strip() == "ready"
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.split())

    def received(self):
        return len(self.lines)

    def stop(self):
        self.proc.kill()
        self.proc.wait(5)


def forged(tag, mode, relax):
    more = "    set radius disable require-message-authentic\n" if relax else ""
    return Setup(tag, radius_lines(("127.0.0.1", 1912), timeout=1, retries=2, more=more), freeradius=False,
                 responders=((1912, mode),))


def case_forged_accept_no_ma():
    """BlastRADIUS: an Access-Accept with a valid Response Authenticator but no
    Message-Authenticator is dropped (no session, logged, counted); with
    `disable require-message-authentic` the same answer is taken, and a warning logged."""
    x = forged("rg", "none", relax=False)
    try:
        x.expect(wait_for(lambda: "no Message-Authenticator (required, BlastRADIUS)" in x.s.log(), 15),
                 "no log line for the dropped answer")
        x.expect(wait_for(lambda: re.search(r"result=no-answer", x.s.log()), 15), "request did not end")
        x.expect(client_addr(x.t) is None, "session came up on a forged Access-Accept")
        c = counters(x.show_radius(), "127.0.0.1 (secret ***)")
        x.expect(c.get("bad message-authenticators", 0) >= 1 and c.get("accepts") == 0, f"show radius: {c}")
        x.expect("forged" not in x.s.log() or "rad-auth" not in x.s.log() or
                 "result=accept" not in x.s.log(), "accept logged")
    finally:
        x.close()
    x = forged("rh", "none", relax=True)
    try:
        x.expect("require-message-authentic disabled" in x.s.log() and "BlastRADIUS" in x.s.log(),
                 "no warning for the relaxed check")
        x.expect(wait_for(lambda: client_addr(x.t), 20), "legacy server's accept not taken with the check relaxed")
    finally:
        x.close()


def case_forged_accept_wrong_ma():
    """A wrong Message-Authenticator is dropped even with the requirement relaxed; a good one is taken."""
    x = forged("ri", "wrong", relax=True)
    try:
        x.expect(wait_for(lambda: "wrong Message-Authenticator" in x.s.log(), 15), "no log line for the wrong MA")
        x.expect(wait_for(lambda: re.search(r"result=no-answer", x.s.log()), 15), "request did not end")
        x.expect(client_addr(x.t) is None, "session came up on a wrong Message-Authenticator")
        c = counters(x.show_radius(), "127.0.0.1 (secret ***)")
        x.expect(c.get("bad message-authenticators", 0) >= 1, f"show radius: {c}")
    finally:
        x.close()
    x = forged("rj", "good", relax=False)
    try:
        x.expect(wait_for(lambda: client_addr(x.t), 20), "a correctly signed accept was not taken")
    finally:
        x.close()


def case_first_server_dead():
    """Nothing listens on the first server: its tries time out, the second (FreeRADIUS) answers,
    and show radius marks the first dead. The next login skips the dead server (back-off)."""
    x = Setup("rk", radius_lines(("127.0.0.1", 1911), ("127.0.0.1", 1812), timeout=1, retries=2),
              links=(("alice", "alicepw"), ("alice", "alicepw")), open_links=False)
    try:
        x.c.console("link P1", "open")
        x.expect(wait_for(lambda: x.sessions_up() == 1, 20), "first session did not come up")
        log = x.s.log()
        x.expect("server 127.0.0.1:1911 did not answer after 2 tries" in log, "no failover line")
        x.expect(re.search(r"result=accept server=127\.0\.0\.1:1812", log), "accept not from the second server")
        show = x.show_radius()
        dead = counters(show, "127.0.0.1 (secret ***) auth-port 1911")
        alive = counters(show, "127.0.0.1 (secret ***) auth-port 1812")
        x.expect(dead.get("state") == "dead" and dead.get("timeouts") == 1 and dead.get("retransmissions") == 1
                 and "nothing listening" in show, f"first server: {dead}\n{show}")
        x.expect(alive.get("accepts") == 1 and alive.get("state") == "alive", f"second server: {alive}\n{show}")
        t0 = time.monotonic()
        x.c.console("link P2", "open")
        x.expect(wait_for(lambda: x.sessions_up() == 2, 20), "second session did not come up")
        x.expect(time.monotonic() - t0 < 1.5, "the second login waited for the dead server")
        show = x.show_radius()
        dead = counters(show, "auth-port 1911")
        alive = counters(show, "auth-port 1812")
        x.expect(dead.get("requests") == 1 and alive.get("accepts") == 2,
                 f"dead server not skipped: {dead} / {alive}\n{show}")
    finally:
        x.close()


def case_sink_failover_others_served():
    """The first server swallows requests: the daemon retransmits (the sink sees every try), then
    asks the second. Meanwhile an existing session keeps its LCP echoes answered (client
    keep-alive 1 2) and a new session from mpd.secret on another link comes up."""
    x = Setup("rl", radius_lines(("127.0.0.1", 1912), ("127.0.0.1", 1812), timeout=2, retries=3),
              open_links=False, local=True, local_links=(("local1", "l1pw", True), ("local2", "l2pw", False)),
              responders=((1912, "sink"),))
    sink = x.responders[0]
    try:
        x.expect(wait_for(lambda: x.sessions_up() == 1, 20), "the local session did not come up")
        x.c.console("link P1", "open")
        x.expect(wait_for(lambda: sink.received() >= 1, 10), "the sink saw no request")
        t_pending = time.monotonic()
        x.c.console("link P3", "open")
        x.expect(wait_for(lambda: x.sessions_up() == 2, 10),
                 "a new local session did not come up while RADIUS was pending")
        x.expect('Auth: PAP user "local2" accepted' in x.s.log(), "local2 not authenticated from mpd.secret")
        x.expect("result=accept" not in x.s.log(), "RADIUS answered before the local session came up")
        x.expect(wait_for(lambda: re.search(r'rad-auth user="alice" method=PAP result=accept server=127\.0\.0\.1:1812',
                                            x.s.log()), 20), "no failover to the second server")
        x.expect(time.monotonic() - t_pending >= 3, "failover came too early for 3 tries of 2 s")
        x.expect(wait_for(lambda: x.sessions_up() == 3, 10), "alice's session did not come up after failover")
        x.expect(sink.received() == 3, f"sink got {sink.received()} requests, want 3 (1 + 2 retransmissions)")
        ids = {tuple(ln[1:3]) for ln in sink.lines}
        x.expect(len(ids) == 1, f"retransmissions changed the identifier: {sink.lines}")
        x.expect(not re.search(r"no reply to \d+ echo requests", x.c.log()), "an LCP echo went unanswered")
        show = x.show_radius()
        s1 = counters(show, "auth-port 1912")
        s2 = counters(show, "auth-port 1812")
        x.expect(s1.get("retransmissions") == 2 and s1.get("timeouts") == 1 and s1.get("state") == "dead",
                 f"sink server counters {s1}\n{show}")
        x.expect(s2.get("accepts") == 1, f"second server counters {s2}\n{show}")
    finally:
        x.close()


def case_radius_config_file():
    """`set radius config` reads libradius-style lines (servers in file order); a broken line
    is reported with file:line and stops startup like any configuration error."""
    t = Topo("rm")
    try:
        rad = FreeRadius(t.srv, t.dir, users=USERS).start()
        try:
            conf = os.path.join(t.dir, "radius.conf")
            with open(conf, "w") as f:
                f.write("# servers\n\nauth 127.0.0.1:1911 testing123 1 1\nauth 127.0.0.1 \"testing123\" 2\n"
                        "acct 127.0.0.1 testing123\n")
            s = Mpd(base.BINARY, t.srv, t.dir, SERVER.format(method="pap", radius=f"    set radius config {conf}\n",
                                                             extra=""), secret=SECRETS, name="server")
            t._start(s)
            c = Mpd(base.BINARY, t.cli, t.dir, "default:\n" + CLIENT_LINK.format(
                n=1, ifname="veth-c", accept="pap", user="alice", password="alicepw", open="    open"), name="client")
            t._start(c)
            ok = wait_for(lambda: client_addr(t), 20)
            assert ok, "no session through the servers of the config file\n" + s.log()[-4000:]
            assert "127.0.0.1:1911 did not answer after 1 tries" in s.log(), "file's timeout/retries unused\n" + s.log()
            show = s.console("link L", "show radius")
            assert f"Config-file  : {conf}" in show and show.count("(secret ***)") == 3, show
            # unset radius server HOST AUTH-PORT removes only the matching entry
            s.console("link L", "unset radius server 127.0.0.1 1911")
            show = s.console("link L", "show radius")
            assert show.count("(secret ***)") == 2 and "auth-port 1911" not in show, show
        finally:
            rad.stop()
        bad = os.path.join(t.dir, "bad.conf")
        with open(bad, "w") as f:
            f.write("auth 127.0.0.1 testing123\nauth 127.0.0.1:99999 x\n")
        r = base.run_conf(f"default:\n\tcreate link static X pppoe\n\tset radius config {bad}\n", check=True)
        out = r.stdout + r.stderr
        assert re.search(re.escape(bad) + r":2: bad port \"99999\"", out), "no file:line error:\n" + out
    finally:
        t.close()


def case_nas_attributes():
    """What the Access-Request carries (radius.md §2.1, as FreeRADIUS's debug log prints it):
    sent from `src-addr`, NAS-IP-Address = `me`, NAS-IPv6-Address = `v6me`, NAS-Identifier,
    NAS-Port-Type Ethernet, Service-Type, Framed-Protocol, Calling-Station-Id (the peer's MAC),
    mpd-link; and Message-Authenticator first even with `disable message-authentic`."""
    more = ("    set radius src-addr 127.0.0.2\n    set radius me 10.1.2.3\n    set radius v6me 2001:db8::1\n"
            "    set radius identifier nas-test\n    set radius disable message-authentic\n")
    x = Setup("rn", radius_lines(("127.0.0.1", 1812), more=more))
    try:
        up_or_refused(x, "alice", True)
        log = x.rad.log()
        m = re.search(r"Received Access-Request Id \d+ from (\S+):\d+ to 127\.0\.0\.1:1812 length \d+\n((?:\(\d+\)\s+.*\n)+)",
                      log)
        x.expect(m is not None, "no Access-Request in the FreeRADIUS log")
        x.expect(m.group(1) == "127.0.0.2", f"request came from {m.group(1)}, not src-addr 127.0.0.2")
        attrs = [re.sub(r"^\(\d+\)\s+", "", ln) for ln in m.group(2).splitlines()]
        x.expect(attrs[0].startswith("Message-Authenticator = 0x"), f"Message-Authenticator not first: {attrs}")
        mac = x.t.cli.mac("veth-c").replace(":", "")  # set pppoe mac-format: unformatted by default
        for want in ("NAS-IP-Address = 10.1.2.3", "NAS-IPv6-Address = 2001:db8::1", 'NAS-Identifier = "nas-test"',
                     "NAS-Port-Type = Ethernet", "Service-Type = Framed-User", "Framed-Protocol = PPP",
                     'NAS-Port-Id = "veth-s"',
                     'User-Name = "alice"', f'Calling-Station-Id = "{mac}"'):
            x.expect(want in attrs, f"{want!r} not in the request: {attrs}")
        x.expect(any(re.match(r'mpd-link = "L-\d+"', a) for a in attrs), f"no mpd-link: {attrs}")
        x.expect(any(a.startswith("Acct-Session-Id = ") for a in attrs), f"no Acct-Session-Id: {attrs}")
    finally:
        x.close()


def case_ipv6_server():
    """A server on an IPv6 address (the loopback ::1) is asked over IPv6."""
    t = Topo("rs")
    try:
        rad = FreeRadius(t.srv, t.dir, users=USERS, addr="::1", clients=("::1",)).start()
        try:
            s = Mpd(base.BINARY, t.srv, t.dir, SERVER.format(method="pap", radius=radius_lines(("::1", 1812)),
                                                             extra=""), secret=SECRETS, name="server")
            t._start(s)
            c = Mpd(base.BINARY, t.cli, t.dir, "default:\n" + CLIENT_LINK.format(
                n=1, ifname="veth-c", accept="pap", user="alice", password="alicepw", open="    open"), name="client")
            t._start(c)
            assert wait_for(lambda: client_addr(t), 20), "no session through the IPv6 server\n" + s.log()[-3000:]
            assert re.search(r"Received Access-Request Id \d+ from \[::1\]", rad.log()), rad.log()[-3000:]
            assert 'result=accept server=[::1]:1812' in s.log(), s.log()[-3000:]
        finally:
            rad.stop()
    finally:
        t.close()


def case_settings_checked():
    """set radius values are checked: ports, secret length, server count, timeout, retries."""
    cases = (("set radius server 127.0.0.1 x 0 0", "at least one of auth-port and acct-port"),
             ("set radius server 127.0.0.1 " + "s" * 128, "secret must be 1 to 127 characters"),
             ("set radius timeout 0", "timeout must be"),
             ("set radius retries 0", "retries must be"),
             ("set radius src-addr nonsense", "bad IPv4 address"),
             ("set radius v6me 1.2.3.4", "bad IPv6 address"),
             ("unset radius server 10.9.9.9", "no RADIUS server 10.9.9.9"))
    for line, msg in cases:
        r = base.run_conf(f"default:\n\tcreate link static X pppoe\n\t{line}\n", check=True)
        out = r.stdout + r.stderr
        assert msg in out and r.returncode != 0, f"{line}: wanted {msg!r}:\n{out}"
    many = "".join(f"\tset radius server 127.0.0.{i} x\n" for i in range(1, 12))
    r = base.run_conf("default:\n\tcreate link static X pppoe\n" + many, check=True)
    assert "at most 10 RADIUS servers" in r.stdout + r.stderr, r.stdout + r.stderr


if __name__ == "__main__":
    sys.exit(run_cases("netns-radius", sys.modules[__name__], base))
