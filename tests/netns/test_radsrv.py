#!/usr/bin/python3
"""End-to-end RFC 5176 dynamic authorization (`set radsrv`, radius.md §4):
PPPoE sessions authenticated from mpd.secret, FreeRADIUS's `radclient`
(Debian freeradius-utils) as the AAA server sending Disconnect- and
CoA-Requests to the daemon in the server namespace. radclient checks our
replies' Response Authenticator and Message-Authenticator itself.

Usage: test_radsrv.py --build-dir build [case ...]
Prints "PASS name" / "FAIL name" per case and "netns-radsrv: N passed, N failed".
Namespaces are named mpdn<pid>r...; each is deleted afterwards.
"""

import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import test_pppoe as base  # noqa: E402
from test_pppoe import Topo, Mpd  # noqa: E402
from netns_common import run_cases, wait_for, expect, sessions  # noqa: E402
from radius_env import FreeRadius  # noqa: E402

SECRET = "coa-secret"
STRANGER = "10.99.0.1"   # a local address of the server namespace that is not a peer

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
    set link enable incoming
    set ippool add P 10.77.0.100 10.77.0.139
    set radsrv self 0.0.0.0 3799
    set radsrv peer 127.0.0.1 {secret}
    set radsrv open
"""

CLIENT_LINK = """
    create bundle static C{n}
    set ipcp ranges 0.0.0.0/0 0.0.0.0/0
    create link static P{n} pppoe
    set link action bundle C{n}
    set pppoe iface veth-c
    set pppoe service "svc{n}"
    set auth authname "{user}"
    set auth password "pw{n}"
    set link max-redial -1
    set link keep-alive 1 4
    open
"""

USERS = ["ua", "ub", "uc", "ud"]


def start(t, users=USERS):
    text = "".join(f"{u} pw{n}\n" for n, u in enumerate(users, 1))
    s = Mpd(base.BINARY, t.srv, t.dir, SERVER.format(secret=SECRET), secret=text, name="server")
    t._start(s)
    body = "default:\n" + "".join(CLIENT_LINK.format(n=n, user=u) for n, u in enumerate(users, 1))
    c = Mpd(base.BINARY, t.cli, t.dir, body, name="client")
    t._start(c)
    t.srv.ip("addr", "add", STRANGER + "/32", "dev", "lo")
    return s, c


def session(s, user):
    """{ip, msession, link, index, session_id} of a user's server session, or None."""
    for line in sessions(s):
        f = line.split("\t")
        if len(f) > 7 and f[7] == user and f[1].startswith("10.77.0."):
            return {"ip": f[1], "link": f[4], "session_id": f[6]}
    return None


def pings(t, s, user):
    f = session(s, user)
    if f is None:
        return False
    r = t.cli.run(["ping", "-c", "1", "-W", "2", "-I", f["ip"], "10.77.0.1"])
    return r.returncode == 0


def radclient(t, kind, attrs, secret=SECRET, dest="127.0.0.1"):
    """Send one request with radclient from the server namespace; its output."""
    path = os.path.join(t.dir, "req.txt")
    with open(path, "w") as f:
        f.write("\n".join(attrs) + "\n")
    r = t.srv.run(["radclient", "-x", "-r", "1", "-t", "2", "-f", path, f"{dest}:3799", kind, secret],
                  timeout=20)
    return r.stdout + r.stderr


def acked(out, kind):
    return re.search(rf"Received {kind}-ACK Id \d+", out)


def naked(out, kind, cause):
    return re.search(rf"Received {kind}-NAK Id \d+", out) and re.search(rf"Error-Cause = {cause}", out)


def all_up(t, s, users):
    return all(pings(t, s, u) for u in users)


def case_disconnect():
    t = Topo("r")
    try:
        s, c = start(t)
        expect(wait_for(lambda: all_up(t, s, USERS), 30), f"sessions did not come up: {sessions(s)}", s, c)

        # by User-Name, with a Message-Authenticator (radclient checks the one in our ACK)
        out = radclient(t, "disconnect", ['User-Name = "ua"', "Message-Authenticator = 0x00"])
        expect(acked(out, "Disconnect"), "no Disconnect-ACK by User-Name:\n" + out, s, c)
        expect(re.search(r"Message-Authenticator = 0x", out), "the ACK carried no Message-Authenticator:\n" + out, s, c)
        expect(wait_for(lambda: session(s, "ua") is None, 10), "ua's session is still there", s, c)
        expect(s.wait_log(r"event=disconnect link=\S+ user=ua reason=Manual", 5), "no disconnect log line", s, c)

        # by Acct-Session-Id
        sid = session(s, "ub")["session_id"]
        out = radclient(t, "disconnect", [f'Acct-Session-Id = "{sid}"'])
        expect(acked(out, "Disconnect"), "no Disconnect-ACK by Acct-Session-Id:\n" + out, s, c)
        expect(wait_for(lambda: session(s, "ub") is None, 10), "ub's session is still there", s, c)

        # by Framed-IP-Address
        ip = session(s, "uc")["ip"]
        out = radclient(t, "disconnect", [f"Framed-IP-Address = {ip}"])
        expect(acked(out, "Disconnect"), "no Disconnect-ACK by Framed-IP-Address:\n" + out, s, c)
        expect(wait_for(lambda: session(s, "uc") is None, 10), "uc's session is still there", s, c)

        # an unknown session: NAK 503
        out = radclient(t, "disconnect", ['User-Name = "nobody"'])
        expect(naked(out, "Disconnect", "Session-Context-Not-Found"), "no NAK 503 for an unknown user:\n" + out, s, c)
        # NAS-Port 0 is the link template's slot (the first link created; clones are L-<slot>): NAK 504
        expect(session(s, "ud")["link"] == "L-4", f"unexpected link names: {sessions(s)}", s, c)
        out = radclient(t, "disconnect", ["NAS-Port = 0"])
        expect(naked(out, "Disconnect", "Session-Context-Not-Removable"), "no NAK 504 for the template:\n" + out, s, c)
        # every identifier must match: ud's requested service is svc4 (Called-Station-Id)
        out = radclient(t, "disconnect", ['User-Name = "ud"', 'Called-Station-Id = "svc3"'])
        expect(naked(out, "Disconnect", "Session-Context-Not-Found"), "ud matched another Called-Station-Id:\n" + out,
               s, c)
        # Service-Type: NAK 405, ud untouched
        out = radclient(t, "disconnect", ['User-Name = "ud"', "Service-Type = Authorize-Only"])
        expect(naked(out, "Disconnect", "Unsupported-Service"), "no NAK 405 with Service-Type:\n" + out, s, c)
        # wrong secret and an unknown client: no answer at all, a log line each
        out = radclient(t, "disconnect", ['User-Name = "ud"'], secret="not-the-secret")
        expect(not re.search(r"Received Disconnect", out), "answered a request with a wrong secret:\n" + out, s, c)
        expect(s.wait_log(r"RADSRV.*dropped Disconnect-Request id=\d+ from 127\.0\.0\.1:\d+: bad-authenticator", 5),
               "the wrong secret was not logged", s, c)
        out = radclient(t, "disconnect", ['User-Name = "ud"'], dest=STRANGER)
        expect(not re.search(r"Received Disconnect", out), "answered an unknown client:\n" + out, s, c)
        expect(s.wait_log(rf"RADSRV.*dropped request from {re.escape(STRANGER)}:\d+: not a `set radsrv peer`", 5),
               "the unknown client was not logged", s, c)

        # ud survived all of it and still carries traffic
        expect(pings(t, s, "ud"), "ud's session broke: " + str(sessions(s)), s, c)
        expect(len(sessions(s)) == 1, f"server sessions: {sessions(s)}", s, c)
        show = s.console("show radsrv")
        expect(re.search(r"State\s*: OPENED", show) and re.search(r"ACK / NAK\s*: 3 / 4", show)
               and "coa-secret" not in show, "show radsrv:\n" + show, s, c)
        # and by Called-Station-Id alone
        out = radclient(t, "disconnect", ['Called-Station-Id = "svc4"'])
        expect(acked(out, "Disconnect"), "no Disconnect-ACK by Called-Station-Id:\n" + out, s, c)
        expect(wait_for(lambda: session(s, "ud") is None, 10), "ud's session is still there", s, c)
    finally:
        t.close()


def case_coa_session_timeout():
    t = Topo("t")
    try:
        s, c = start(t, ["ua", "ub"])
        expect(wait_for(lambda: all_up(t, s, ["ua", "ub"]), 30), f"sessions did not come up: {sessions(s)}", s, c)
        t0 = time.monotonic()
        out = radclient(t, "coa", ['User-Name = "ua"', "Session-Timeout = 3"])
        expect(acked(out, "CoA"), "no CoA-ACK:\n" + out, s, c)
        expect(s.wait_log(r"event=coa link=\S+ user=ua session_timeout=3 ", 5), "no CoA log line", s, c)
        gone = wait_for(lambda: session(s, "ua") is None, 15, step=0.1)
        dt = time.monotonic() - t0
        expect(gone, "ua's session did not end after Session-Timeout 3", s, c)
        expect(2.0 <= dt <= 6.0, f"ua's session ended {dt:.1f} s after the CoA, not about 3 s", s, c)
        expect(s.wait_log(r"Bundle: closing \(Session timeout\)", 5), "no Session timeout reason in the log", s, c)
        # the other session keeps its (unlimited) time and keeps being served
        time.sleep(1)
        expect(pings(t, s, "ub"), "ub's session broke", s, c)
    finally:
        t.close()


def case_disable_close_self():
    t = Topo("d")
    try:
        s, c = start(t, ["ua"])
        expect(wait_for(lambda: all_up(t, s, ["ua"]), 30), f"session did not come up: {sessions(s)}", s, c)
        s.console("set radsrv disable coa")
        out = radclient(t, "coa", ['User-Name = "ua"', "Session-Timeout = 2"])
        expect(naked(out, "CoA", "Administratively-Prohibited"), "no NAK 501 with coa disabled:\n" + out, s, c)
        time.sleep(3)
        expect(pings(t, s, "ua"), "the refused CoA changed the session", s, c)

        # closed: nobody answers
        s.console("set radsrv close")
        out = radclient(t, "disconnect", ['User-Name = "ua"'])
        expect(not re.search(r"Received Disconnect", out), "a closed server answered:\n" + out, s, c)
        expect(pings(t, s, "ua"), "a request to the closed server changed the session", s, c)

        # re-opened on 127.0.0.1 only: NAS-IP-Address is now compared, the other address is deaf
        s.console("set radsrv self 127.0.0.1 3799", "set radsrv open")
        out = radclient(t, "disconnect", ['User-Name = "ua"', "NAS-IP-Address = 127.0.0.2"])
        expect(naked(out, "Disconnect", "NAS-Identification-Mismatch"), "no NAK 403:\n" + out, s, c)
        out = radclient(t, "disconnect", ['User-Name = "ua"'], dest=STRANGER)
        expect(not re.search(r"Received Disconnect", out) and "not a `set radsrv peer`" not in s.log(),
               "the server still listens on every address:\n" + out, s, c)
        expect(pings(t, s, "ua"), "refused requests changed the session", s, c)

        # Disconnect is still enabled, until it is disabled too
        out = radclient(t, "disconnect", ['User-Name = "ua"', "NAS-IP-Address = 127.0.0.1"])
        expect(acked(out, "Disconnect"), "no Disconnect-ACK:\n" + out, s, c)
        expect(wait_for(lambda: session(s, "ua") is None, 10), "ua's session is still there", s, c)
        s.console("set radsrv disable disconnect")
        out = radclient(t, "disconnect", ['User-Name = "ua"'])
        expect(naked(out, "Disconnect", "Administratively-Prohibited"), "no NAK 501 with disconnect disabled:\n" + out,
               s, c)
    finally:
        t.close()


ACCT_SECRET = "acctsecret"

ACCT_SERVER = SERVER + """
    set auth enable radius-acct
    set radius server 127.0.0.1 {acct_secret} 0 1813
    set radius timeout 1
"""


class _Stopper:
    """Lets Topo.close stop FreeRADIUS with the daemons."""

    def __init__(self, obj):
        self.obj, self.dir = obj, obj.dir

    def stop(self):
        self.obj.stop()

    def log(self):
        return self.obj.log()


def case_coa_accounting():
    """CoA's Acct-Interim-Interval and Class reach accounting (FreeRADIUS's detail file), and a
    Disconnect ends the session with Acct-Terminate-Cause Admin-Reset (reason Manual)."""
    t = Topo("q")
    try:
        rad = FreeRadius(t.srv, t.dir, secret=ACCT_SECRET, clients=("127.0.0.0/8",), addr="127.0.0.1")
        t.daemons.append(_Stopper(rad))
        rad.start()
        s = Mpd(base.BINARY, t.srv, t.dir, ACCT_SERVER.format(secret=SECRET, acct_secret=ACCT_SECRET),
                secret="ua pw1\n", name="server")
        t._start(s)
        c = Mpd(base.BINARY, t.cli, t.dir, "default:\n" + CLIENT_LINK.format(n=1, user="ua"), name="client")
        t._start(c)
        t.srv.ip("addr", "add", STRANGER + "/32", "dev", "lo")
        expect(wait_for(lambda: all_up(t, s, ["ua"]), 30), f"session did not come up: {sessions(s)}", s, c)

        def of(status):
            return [r for r in rad.detail() if r.get("Acct-Status-Type") == status]
        expect(wait_for(lambda: of("Start"), 10), "no accounting Start", s, c, rad)
        time.sleep(3)
        expect(not of("Interim-Update"), "Interim-Updates before any interval was given", s, c, rad)
        out = radclient(t, "coa", ['User-Name = "ua"', "Acct-Interim-Interval = 2", "Class = 0x636f61"])
        expect(acked(out, "CoA"), "no CoA-ACK:\n" + out, s, c)
        upd = wait_for(lambda: of("Interim-Update"), 6)
        expect(upd, "no Interim-Update within 6 s of a CoA with Acct-Interim-Interval 2", s, c, rad)
        expect(upd[0].get("Class") == "0x636f61", f"the Update's Class is {upd[0].get('Class')}, not the CoA's",
               s, c, rad)
        out = radclient(t, "disconnect", ['User-Name = "ua"'])
        expect(acked(out, "Disconnect"), "no Disconnect-ACK:\n" + out, s, c)
        stop = wait_for(lambda: of("Stop"), 10)
        expect(stop and stop[-1].get("Acct-Terminate-Cause") == "Admin-Reset",
               f"Stop after a Disconnect-Request: {stop}", s, c, rad)
    finally:
        t.close()


if __name__ == "__main__":
    sys.exit(run_cases("netns-radsrv", sys.modules[__name__], base))
