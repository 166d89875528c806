#!/usr/bin/python3
"""Settings that act (issue 11 item 4), end to end with our PPPoE server and
client in two network namespaces: LCP Identification, crypt-reqd refusing
an unencrypted session, `set iface description` as the interface alias,
`set iface addrs` with `!`, and settings no other test shows acting.

The `set` enumeration in tests/unit/test_settings.c names these cases as the
proof that the settings act.

Usage: test_settings.py --build-dir build [case ...]
Prints "PASS name" / "FAIL name" per case and "settings: N passed, N failed".
"""

import os
import re
import signal
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "interop", "lib"))

from mpd import Mpd  # noqa: E402
from netns_common import run_cases, wait_for, client_addr, expect, sessions  # noqa: E402
import test_pppoe  # noqa: E402
from test_pppoe import Topo  # noqa: E402

BINARY = None  # set by run_cases from --build-dir

# A client whose bundle and link settings the case chooses.
CLIENT = """
default:
    create bundle static C1
    set ipcp ranges 0.0.0.0/0 0.0.0.0/0
{bund}
    create link static P1 pppoe
    set link action bundle C1
    set pppoe iface veth-c
    set auth authname "user1"
    set auth password "pass1"
    set link max-redial {redial}
    set link redial-delay 1
    set link keep-alive 1 4
{link}
    open
"""


def client(t, bund="", link="", redial=0):
    m = Mpd(BINARY, t.cli, t.dir, CLIENT.format(bund=bund, link=link, redial=redial), name="client")
    t._start(m)
    return m


def link_show(ns, ifname):
    return ns.ip("-d", "link", "show", "dev", ifname).stdout


def case_ident():
    # RFC 1570 §2.1: mpd5 sends its ident on entering NETWORK; the peer logs it.
    t = Topo("id")
    try:
        s = t.server()
        c = client(t, link='    set link ident "client ident 7"')
        expect(wait_for(lambda: client_addr(t), 15), "session did not come up", s, c)
        expect(s.wait_log(r'LCP: peer identifies as "client ident 7"', 5),
               "the server did not receive our LCP Identification", s, c)
        expect(not re.search(r"peer identifies as", c.log()),
               "the server sent an Identification although it has no ident set", s, c)
    finally:
        t.close()


def case_crypt_reqd():
    # No encryption in this build: a crypt-reqd bundle must never carry a session.
    t = Topo("cr")
    try:
        s = t.server(extra="    set bundle enable crypt-reqd\n")
        c = client(t, redial=-1)
        expect(s.wait_log(r"crypt-reqd is enabled but this build has no encryption", 15),
               "the server did not say why it refused the NCPs", s, c)
        expect(s.wait_log(r"failed to negotiate required encryption", 5),
               "the link was not closed with the reason", s, c)
        expect(wait_for(lambda: not sessions(s), 10), f"sessions left: {sessions(s)}", s, c)
        expect(client_addr(t) is None, "the client got an address through a crypt-reqd bundle", s, c)
        expect(not re.search(r"IPCP: (state change|LayerEvent)", s.log()), "IPCP was started", s, c)
    finally:
        t.close()


def case_iface_description():
    # The description, its specifiers expanded when the interface comes up, is the alias.
    t = Topo("ds")
    try:
        s = t.server()
        c = client(t, bund='    set iface description "WAN %I %a to %A %%"')
        expect(wait_for(lambda: client_addr(t), 15), "session did not come up", s, c)
        out = link_show(t.cli, "ppp0")
        expect(re.search(r"alias WAN ppp0 10\.77\.0\.100 to 10\.77\.0\.1 %", out),
               "ppp0 has no alias from set iface description:\n" + out, s, c)
        # changed while the interface exists: applied at once
        c.console("bundle C1", 'set iface description "backup"')
        out = link_show(t.cli, "ppp0")
        expect(re.search(r"alias backup", out), "description change not applied:\n" + out, s, c)
        out = c.console("bundle C1", 'set iface description "%t line"')
        expect("'%t' in 'set iface description' is not supported yet" in out,
               "a specifier this build can't expand was accepted:\n" + out, s, c)
    finally:
        t.close()


def case_iface_addrs_force():
    # mpd5: `!` keeps the configured address on the interface whatever IPCP agreed.
    t = Topo("fo")
    try:
        s = t.server()
        c = client(t, bund="    set iface addrs !10.77.0.222 10.77.0.1")
        addrs = wait_for(lambda: client_addr(t), 15)
        expect(addrs is not None, "session did not come up", s, c)
        expect(addrs[0] == "10.77.0.222", f"forced local address not used: {addrs}", s, c)
        ipcp = c.console("bundle C1", "show ipcp")
        expect("10.77.0.100" in ipcp, "IPCP did not negotiate the pool address:\n" + ipcp, s, c)
        out = c.console("bundle C1", "show iface")
        expect("!10.77.0.222/32 10.77.0.1/32" in out, "show iface lost the force marker:\n" + out, s, c)
    finally:
        t.close()


def case_settings_act():
    # Settings no other end-to-end test shows acting, checked together in one session.
    t = Topo("sa")
    try:
        s = t.server(auth="enable pap\n    set pppoe acname acme-ac",
                     extra="    set iface name srv\n    set ipcp nbns 10.77.0.137 10.77.0.138\n"
                           "    set global enable session-time\n")
        c = client(t, bund="    set ipcp enable req-pri-nbns req-sec-nbns\n    set iface session 8",
                   link="    set link mru 1400\n    set link mtu 1300")
        expect(wait_for(lambda: client_addr(t), 15), "session did not come up", s, c)
        ipcp = c.console("bundle C1", "show ipcp")
        expect(re.search(r"NBNS\s*:\s*10\.77\.0\.137 10\.77\.0\.138", ipcp),
               "NBNS servers not negotiated:\n" + ipcp, s, c)
        links = t.srv.ip("-o", "link", "show").stdout
        m = re.search(r"\d+: (srv\d+)[:@].*?mtu (\d+)", links)
        expect(m, "no server interface named after set iface name srv:\n" + links, s, c)
        expect(m.group(2) == "1400", f"server interface MTU {m.group(2)}, wanted the client's MRU 1400", s, c)
        cl = link_show(t.cli, "ppp0")
        expect(re.search(r"mtu 1300\b", cl), "client MTU not capped by set link mtu 1300:\n" + cl, s, c)
        dev = c.console("link P1", "show device")
        expect(re.search(r"Peer AC-Name\s*:\s*acme-ac", dev), "AC-Name not sent:\n" + dev, s, c)
        ss = sessions(s)
        expect(len(ss) == 1 and re.search(r"\t\d+$", ss[0]), f"no session-time column: {ss}", s, c)
        expect(c.wait_log(r"session timeout after 8 seconds", 15), "session timeout did not fire", s, c)
    finally:
        t.close()


def case_bundle_no_ipcp():
    t = Topo("ni")
    try:
        s = t.server(extra="    set bundle disable ipcp\n")
        c = client(t)
        expect(s.wait_log(r'Bundle: link "L-\d+" joined', 15), "the link did not join the bundle", s, c)
        expect(wait_for(lambda: client_addr(t), 5) is None, "the client got an address without IPCP", s, c)
        expect(not re.search(r"IPCP: (state change|LayerEvent)", s.log()), "the server ran IPCP", s, c)
    finally:
        t.close()


def case_max_children():
    # The template limit, then the global one, then neither: the second call comes up.
    t = Topo("mc")
    try:
        s = t.server(auth="enable pap\n    set link max-children 1")
        c = t.client(links=((1, "user1", "pass1"), (2, "user1", "pass1")))
        expect(wait_for(lambda: len(sessions(s)) == 1, 15), "first session did not come up", s, c)
        expect(s.wait_log(r"template busy \(1 children\), call refused", 15),
               "set link max-children 1 did not refuse the second call", s, c)
        s.console("set global max-children 1", "link L", "set link max-children 5")
        mark = len(s.log())
        expect(s.wait_log(r"call refused", 15, since=mark),
               "set global max-children 1 did not refuse the second call", s, c)
        expect(len(sessions(s)) == 1, f"sessions: {sessions(s)}", s, c)
        s.console("set global max-children 5")
        expect(wait_for(lambda: len(sessions(s)) == 2, 20), "second session did not come up after raising the limits",
               s, c)
    finally:
        t.close()


MPD4_BUNDLE = """
default:
    create bundle static C1
    set ipcp ranges 0.0.0.0/0 0.0.0.0/0
    set bundle enable bw-manage noretry multilink
    set bundle disable shortseq
    set bundle links P1
    create link static P1 pppoe
    set pppoe iface veth-c
    set auth authname "user1"
    set auth password "pass1"
    set link keep-alive 1 4
    bundle C1
    open bund
"""


def case_mpd4_bundle_options():
    # mpd 4 bundle options go to the bundle's links; noretry stops the re-open.
    t = Topo("m4")
    try:
        s = t.server()
        c = Mpd(BINARY, t.cli, t.dir, MPD4_BUNDLE, name="client")
        t._start(c)
        expect(wait_for(lambda: client_addr(t), 15), "session did not come up", s, c)
        lk = c.console("show link P1")
        expect(re.search(r"multilink\s+enable", lk), "bundle multilink not applied to the link:\n" + lk, s, c)
        expect(re.search(r"shortseq\s+disable\s+deny", lk), "bundle shortseq not applied to the link:\n" + lk, s, c)
        mark = len(c.log())
        s.stop()  # PADTs: the only link goes down
        expect(c.wait_log(r"Bundle: link \"P1\" left|LCP: LayerEvent Down", 10, since=mark), "link did not go down",
               s, c)
        expect(not c.wait_log(r"re-opening", 6, since=mark), "noretry did not stop the bundle re-opening", s, c)
    finally:
        t.close()


def case_auth_timeout():
    # The client wants the server to authenticate itself too, and is frozen while its
    # check of the server's password runs: the server's own PAP goes unanswered (retried
    # every 10 s) until `set auth timeout 21` ends the login.
    t = Topo("at")
    c = None
    try:
        conf = (test_pppoe.SERVER.format(ifname="veth-s", auth="enable pap")
                .replace("set link keep-alive 1 4", "set link keep-alive 0 0")  # the client will be frozen
                + "    set auth authname srv\n    set auth password srvpw\n    set auth timeout 21\n"
                + "    set link fsm-timeout 10\n    set ippool add P 10.77.0.100 10.77.0.110\n")
        s = Mpd(BINARY, t.srv, t.dir, conf, secret=test_pppoe.SECRETS, name="server")
        t._start(s)
        conf = CLIENT.format(bund="", link="    set link enable pap", redial=-1)
        c = Mpd(BINARY, t.cli, t.dir, conf, secret='srv "!sleep 4; echo srvpw #"\n', name="client")
        t._start(c)
        expect(s.wait_log(r"LCP: LayerEvent Up", 15), "LCP did not come up", s, c)
        os.kill(c.proc.pid, signal.SIGSTOP)
        mark = len(s.log())
        expect(not s.wait_log(r"Auth: Authentication timeout", 16, since=mark), "auth timed out too early", s, c)
        expect(s.wait_log(r"Auth: Authentication timeout", 10, since=mark), "auth timeout 21 did not end the login",
               s, c)
    finally:
        if c is not None and c.alive():
            os.kill(c.proc.pid, signal.SIGCONT)
        t.close()


def case_one_shot():
    d = tempfile.mkdtemp(prefix="mpdn-oneshot-")
    with open(os.path.join(d, "mpd.conf"), "w") as f:
        f.write("default:\n\tset global enable one-shot\n")
    r = subprocess.run([BINARY, "-d", d, "-p", os.path.join(d, "pid")], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=20)
    out = r.stdout + r.stderr
    expect(r.returncode == 0 and "One-shot mode" in out, f"one-shot with no links: exit {r.returncode}\n{out}")


if __name__ == "__main__":
    sys.exit(run_cases("settings", sys.modules[__name__], test_pppoe))
