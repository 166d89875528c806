#!/usr/bin/python3
"""End-to-end tests of the spellings real configurations use (issue 11,
item 3): `set iface name` on a static bundle, mpd 4 console and PPPoE
options, device types this build does not have yet, mpd 4 option names,
and PPPoE `set link mtu|mru` given before `set pppoe max-payload`.

Usage: test_compat.py --build-dir build [case ...]
Prints "PASS name" / "FAIL name" per case and "compat: N passed, N failed".
Every namespace is named mpdk<pid>x...; each is deleted afterwards.
"""

import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "interop", "lib"))

from mpd import Mpd, _dedent_conf  # noqa: E402
from netns import Netns, sh  # noqa: E402
from netns_common import run_cases, wait_for, expect, sessions, ppp_addrs  # noqa: E402

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
    set link keep-alive 1 4
{extra}
    set ippool add P 10.77.0.100 10.77.0.140
"""

SECRETS = 'user1 "pass1"\n'

# A static client bundle C{n} on link P{n}; {bund} goes after the bundle's lines, {link} after the link's.
CLIENT = """
    create bundle static C{n}
    set ipcp ranges 0.0.0.0/0 0.0.0.0/0
{bund}
    create link static P{n} pppoe
    set link action bundle C{n}
{link}
    set pppoe iface veth-c
    set auth authname user1
    set auth password pass1
    set link max-redial -1
    set link keep-alive 1 4
    open
"""

SANITIZER = re.compile(r"ERROR: (Address|Leak)Sanitizer|runtime error:")


class Topo:
    """Two namespaces and a veth pair between them (of MTU mtu)."""

    def __init__(self, tag, mtu=None):
        base = f"mpdk{os.getpid() % 100000}{tag}"
        self.srv = Netns(base + "s")
        self.cli = Netns(base + "c")
        sh(["ip", "link", "add", "veth-s", "netns", self.srv.name, "type", "veth",
            "peer", "name", "veth-c", "netns", self.cli.name])
        for ns, dev in ((self.srv, "veth-s"), (self.cli, "veth-c")):
            if mtu:
                ns.ip("link", "set", dev, "mtu", str(mtu))
            ns.ip("link", "set", dev, "up")
        self.dir = tempfile.mkdtemp(prefix="mpdk-")
        self.daemons = []

    def start(self, name, ns, conf, secret="", files=None):
        m = Mpd(BINARY, ns, self.dir, conf, secret=secret, name=name)
        for fname, text in (files or {}).items():
            with open(os.path.join(m.dir, fname), "w") as f:
                f.write(text)
        self.daemons.append(m)
        m.start(settle=0.5)
        return m

    def server(self, extra="    set link enable incoming"):
        return self.start("server", self.srv, SERVER.format(extra=extra), secret=SECRETS)

    def close(self):
        for m in self.daemons:
            m.stop()
        self.srv.delete()
        self.cli.delete()
        for m in self.daemons:
            rep = SANITIZER.search(m.log())
            if rep:
                raise AssertionError(f"sanitizer report in {m.dir}:\n" + m.log()[rep.start():][:3000])


def client_conf(n=1, bund="", link=""):
    return "default:\n" + CLIENT.format(n=n, bund=bund, link=link)


def link_exists(ns, name):
    return ns.ip("link", "show", "dev", name, check=False).returncode == 0


def link_mtu(ns, name):
    r = ns.ip("-o", "link", "show", "dev", name, check=False)
    m = re.search(r"\bmtu (\d+)", r.stdout)
    return int(m.group(1)) if m else None


def case_iface_name():
    """A static bundle's `set iface name` names its interface, across downs and ups."""
    t = Topo("n")
    try:
        s = t.server()
        c = t.start("client", t.cli, client_conf(bund="    set iface name wan0"))
        expect(wait_for(lambda: ppp_addrs(t.cli, "wan0"), 20), "wan0 got no addresses", s, c)
        expect(not link_exists(t.cli, "ppp0"), "ppp0 still exists beside wan0", s, c)
        out = c.console("iface")
        expect(re.search(r"^\s*wan0\s+C1\s*$", out, re.M), "`iface` does not list wan0:\n" + out, s, c)
        out = c.console("iface wan0", "show iface")
        expect(re.search(r"Name\s*:\s*wan0", out), "show iface after `iface wan0`:\n" + out, s, c)
        ok, out = t.cli.ping("10.77.0.1")
        expect(ok, "no traffic through wan0: " + out, s, c)
        out = c.console("bundle C1", "show iface")
        expect(re.search(r"Fast path:\s*\n\s*Status\s*:\s*on", out), "fast path not bound on wan0:\n" + out, s, c)

        # Down and up again: the interface keeps its name.
        c.console("link P1", "close")
        expect(wait_for(lambda: not ppp_addrs(t.cli, "wan0"), 10), "wan0 kept its addresses after close", s, c)
        expect(link_exists(t.cli, "wan0"), "wan0 disappeared while the bundle was down", s, c)
        c.console("link P1", "open")
        expect(wait_for(lambda: ppp_addrs(t.cli, "wan0"), 20), "wan0 got no addresses after re-open", s, c)
        ok, out = t.cli.ping("10.77.0.1")
        expect(ok, "no traffic through wan0 after re-open: " + out, s, c)

        # Renamed while up: the new name once it has gone down, and the bundle still works.
        c.console("bundle C1", "set iface name wan1")
        expect(c.wait_log(r"wan0 is up: renamed to wan1 when it goes down", 5), "deferred rename not logged", s, c)
        expect(link_exists(t.cli, "wan0"), "an up interface was renamed", s, c)
        c.console("link P1", "close")
        expect(wait_for(lambda: link_exists(t.cli, "wan1") and not link_exists(t.cli, "wan0"), 10),
               "wan0 not renamed to wan1 after going down", s, c)
        c.console("link P1", "open")
        expect(wait_for(lambda: ppp_addrs(t.cli, "wan1"), 20), "wan1 got no addresses", s, c)
        ok, out = t.cli.ping("10.77.0.1")
        expect(ok, "no traffic through wan1: " + out, s, c)
        out = c.console("bundle C1", "show iface")
        expect(re.search(r"Name\s*:\s*wan1", out) and re.search(r"Fast path:\s*\n\s*Status\s*:\s*on", out),
               "show iface after the rename:\n" + out, s, c)

        # No argument: back to the original pppN, at once while down.
        c.console("link P1", "close")
        expect(wait_for(lambda: not ppp_addrs(t.cli, "wan1"), 10), "wan1 kept its addresses", s, c)
        c.console("bundle C1", "set iface name")
        expect(wait_for(lambda: link_exists(t.cli, "ppp0") and not link_exists(t.cli, "wan1"), 5),
               "`set iface name` without a name did not restore ppp0", s, c)
        out = c.console("bundle C1", "set iface name ngx", "set iface name a/b")
        expect(out.count("interface name must be") == 2, "bad names accepted:\n" + out, s, c)
    finally:
        t.close()


def start_raw(ns, workdir, conf):
    """mpd5 on conf as it is (no console added), in the foreground; the Popen."""
    d = tempfile.mkdtemp(prefix="mpdk-raw-", dir=workdir)
    with open(os.path.join(d, "mpd.conf"), "w") as f:
        f.write(_dedent_conf(conf))
    with open(os.path.join(d, "mpd.secret"), "w") as f:
        f.write("")
    log = open(os.path.join(d, "mpd5.log"), "wb")
    p = subprocess.Popen(ns.exec_argv([BINARY, "-d", d, "-p", os.path.join(d, "pid")]),
                         stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                         start_new_session=True, cwd=d)
    return p, os.path.join(d, "mpd5.log")


def console_at(ns, host, port, user, password, *cmds):
    r = subprocess.run(ns.exec_argv(["/usr/bin/python3", os.path.join(HERE, "..", "interop", "lib",
                                                                      "console_client.py"),
                                     host, str(port), user, password] + list(cmds)),
                       capture_output=True, text=True, timeout=20)
    return r.returncode, r.stdout + r.stderr


def case_mpd4_console():
    """mpd 4's `set console ip|port|user|open` set up the console mpd5's way."""
    ns = Netns(f"mpdk{os.getpid() % 100000}k")
    workdir = tempfile.mkdtemp(prefix="mpdk-")
    p = None
    try:
        p, logpath = start_raw(ns, workdir, """
startup:
    set console ip 127.0.0.2
    set console port 5017
    set console user old4 secret4
    set console open
default:
""")
        rc, out = 1, ""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            rc, out = console_at(ns, "127.0.0.2", 5017, "old4", "secret4", "show console", "show user")
            if rc == 0:
                break
            time.sleep(0.3)
        with open(logpath, errors="replace") as f:
            log = f.read()
        expect(rc == 0, f"no console on 127.0.0.2:5017 for old4: {out}\n{log}")
        expect(re.search(r"IP-Address\s*:\s*127\.0\.0\.2", out) and re.search(r"Port\s*:\s*5017", out),
               "show console:\n" + out)
        expect(re.search(r"old4\s+admin", out), "mpd 4 console user is not admin:\n" + out)
        rc, out = console_at(ns, "127.0.0.1", 5005, "old4", "secret4", "show version")
        expect(rc != 0, "a console listens on the default address too:\n" + out)
        expect("secret4" not in log, "the console password reached the log:\n" + log)
    finally:
        if p is not None:
            p.terminate()
            p.wait(timeout=10)
        ns.delete()


def case_mpd4_pppoe_options():
    """`set pppoe enable incoming|originate` act as mpd 4 meant them."""
    t = Topo("p")
    try:
        s = t.server(extra="    set pppoe enable incoming")
        expect(s.wait_log(r"PPPoE: listening on veth-s", 5), "`set pppoe enable incoming` does not listen", s)
        conf = client_conf(n=1, link="    set pppoe enable originate") + CLIENT.format(
            n=2, bund="", link="    set pppoe disable originate")
        c = t.start("client", t.cli, conf)
        expect(wait_for(lambda: ppp_addrs(t.cli, "ppp0"), 20), "P1 (originate enabled) did not come up", s, c)
        expect(c.wait_log(r"\[P2\] PPPoE: originate option is not enabled", 5),
               "P2 (originate disabled) was not refused", s, c)
        expect(len(sessions(s)) == 1, "the server has a session from P2", s, c)
        out = c.console("link P2", "show device")
        expect(re.search(r"Originate\s*:\s*disabled", out), "show device of P2:\n" + out, s, c)
        # The server template's `incoming` is the link option: both spellings show the same.
        out = s.console("link L", "show link")
        expect(re.search(r"incoming\s+enable", out), "server template incoming not enabled:\n" + out, s, c)
        out = s.console("link L", "set pppoe disable incoming", "show link")
        expect(re.search(r"incoming\s+disable", out), "set pppoe disable incoming:\n" + out, s, c)
        expect(s.wait_log(r"PPPoE: stop listening on veth-s", 5), "the server still listens", s, c)
    finally:
        t.close()


MPD4_LINKS = """
L9:
\tset link type pptp
L8:
\tset phys type pppoe
\tset pppoe iface veth-c
"""


def case_unbuilt_spellings():
    """Devices and protocols this build lacks answer "not supported yet", never "unknown"."""
    t = Topo("u")
    try:
        s = t.server()
        c = t.start("client", t.cli, client_conf(), files={"mpd.links": MPD4_LINKS})
        expect(wait_for(lambda: ppp_addrs(t.cli, "ppp0"), 20), "client did not come up", s, c)
        answers = [
            (("link P1", "set link type l2tp"), r'device type "l2tp" is not supported yet'),
            (("link P1", "set phys type modem"), r'device type "modem" is not supported yet'),
            (("link P1", "set link type pppoe"), None),
            (("link P1", "set phys type pppoe"), None),
            (("link P1", "set link type ng"), r"netgraph\) does not exist on Linux"),
            (("new B9 L8 L9",), r'link "L9": device type "pptp" is not supported yet'),
            (("bundle C1", "set ccp yes mpp-e40"), r"'set ccp' is not supported yet"),
            (("bundle C1", "set ccp yes mppc"), r"'set ccp' is not supported yet"),
            (("bundle C1", "set mppc yes e128"), r"'set mppc' is not supported yet"),
            (("bundle C1", "set bundle enable radius-auth"), r"option 'radius-auth' is not supported yet"),
            (("bundle C1", "set bundle yes radius-acct"), None),  # acts: test_acct.py case_mpd4_bundle_option
            (("bundle C1", "set bundle enable tcp-wrapper"), r"option 'tcp-wrapper' is not supported yet"),
        ]
        for cmds, want in answers:
            out = c.console(*cmds)
            if want is None:
                expect(not re.search(r"unknown|not supported|error", out, re.I), f"{cmds}: {out}", s, c)
            else:
                expect(re.search(want, out), f"{cmds} answered:\n{out}", s, c)
                expect("unknown" not in out.lower(), f"{cmds} says unknown:\n{out}", s, c)
        out = c.console("show bundle B9")
        expect('bundle "B9" not found' in out, "`new` created B9 despite pptp:\n" + out, s, c)
        out = c.console("show link L8")
        expect('link "L8" not found' in out, "`new` created L8 despite L9's pptp:\n" + out, s, c)
    finally:
        t.close()


def case_mtu_before_max_payload():
    """`set link mtu|mru 1500` before `set pppoe max-payload 1500` comes up at MTU 1500."""
    t = Topo("m", mtu=1508)
    try:
        s = t.server(extra="    set link mtu 1500\n    set link mru 1500\n    set link enable incoming")
        sizes = "    set link mtu 1500\n    set link mru 1500"
        conf = (client_conf(n=1, link=sizes + "\n    set pppoe max-payload 1500") +
                CLIENT.format(n=2, bund="", link=sizes))
        c = t.start("client", t.cli, conf)
        expect(wait_for(lambda: ppp_addrs(t.cli, "ppp0"), 20), "P1 did not come up", s, c)
        expect(wait_for(lambda: link_mtu(t.cli, "ppp0") == 1500, 5),
               f"client ppp0 MTU {link_mtu(t.cli, 'ppp0')}, not 1500", s, c)
        r = t.cli.run(["ping", "-c", "2", "-W", "3", "-M", "do", "-s", "1472", "10.77.0.1"], timeout=20)
        expect(r.returncode == 0, "1500-byte packets do not pass: " + r.stdout + r.stderr, s, c)
        lcp = c.console("link P1", "show lcp")
        expect(re.search(r"MRU\s*:\s*1500", lcp), "LCP MRU is not 1500:\n" + lcp, s, c)
        # P2 has the sizes but no max-payload: its open is refused, saying why.
        expect(re.search(r"\[P2\].*link MTU 1500 needs set pppoe max-payload.*open refused", c.log()),
               "P2's open with MTU 1500 and no max-payload was not refused", s, c)
        expect(len(sessions(s)) == 1, "the server has a session from P2", s, c)
        out = c.console("link P2", "set link mtu 1511")
        expect("MTU must be 296 to 1510" in out, "set link mtu 1511 on PPPoE:\n" + out, s, c)
    finally:
        t.close()


if __name__ == "__main__":
    sys.exit(run_cases("compat", sys.modules[__name__]))
