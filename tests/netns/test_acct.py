#!/usr/bin/python3
"""End-to-end accounting (issue 12, radius.md §2.3-§2.6): our PPPoE server
with `set auth enable radius-acct` against FreeRADIUS (its detail file is
the record of what arrived) or, where a server must misbehave on cue,
tests/netns/acct_responder.py.

Counters: the server's link counts every PPP frame it receives or sends
on the link after the device framing is removed: the protocol field
(1 byte when protocol-field compression is on, else 2) plus the payload,
control protocols included. So a ping of N echoes of S data bytes from
the client adds N * (28 + S + 1..2) input octets and as many output
octets (the replies), plus a few hundred octets of LCP/PAP/IPCP; the
checks allow exactly that and no more (keep-alives are off).

Usage: test_acct.py --build-dir build [case ...]
Prints "PASS name" / "FAIL name" per case and "netns-acct: N passed, N failed".
"""

import json
import os
import re
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import test_pppoe as base  # noqa: E402
from test_pppoe import Topo, Mpd  # noqa: E402
from netns_common import run_cases, wait_for, expect, sessions  # noqa: E402
from radius_env import FreeRadius  # noqa: E402

SECRET = "acctsecret"

SERVER = """
default:
    create bundle template B
    set ipcp ranges 10.77.0.1/32 ippool P
{iface}
    create link template L pppoe
    set link action bundle B
    set pppoe iface veth-s
    set pppoe service "*"
    set link enable pap
    set link keep-alive 0 0
    set link enable incoming
{acct_on}
    set radius server 127.0.0.1 {secret} 0 {port}
    set radius timeout 1
    set radius retries 2
{auth}
    set ippool add P 10.77.0.100 10.77.0.139
"""

CLIENT = """
default:
    create bundle static C1
    set ipcp ranges 0.0.0.0/0 0.0.0.0/0
    create link static P1 pppoe
    set link action bundle C1
    set pppoe iface veth-c
    set auth authname "user1"
    set auth password "pass1"
    set link max-redial -1
    set link keep-alive 0 0
"""

# Acct-Terminate-Cause names as FreeRADIUS's dictionary writes them (RFC 2866 §5.10).
CAUSE = {1: "User-Request", 4: "Idle-Timeout", 5: "Session-Timeout", 6: "Admin-Reset", 7: "Admin-Reboot"}


def start(t, port=1813, iface="", auth="", acct_on="    set auth enable radius-acct"):
    conf = SERVER.format(iface=iface, auth=auth, secret=SECRET, port=port, acct_on=acct_on)
    s = Mpd(base.BINARY, t.srv, t.dir, conf, secret='user1 "pass1"\n', name="server")
    t._start(s)
    c = Mpd(base.BINARY, t.cli, t.dir, CLIENT, name="client")
    t._start(c)
    return s, c


def radius(t):
    rad = FreeRadius(t.srv, t.dir, secret=SECRET, clients=("127.0.0.0/8",), addr="127.0.0.1")
    t.daemons.append(_Stopper(rad))
    return rad.start()


class _Stopper:
    """Lets Topo.close stop a helper with the daemons (and read its log on failure)."""

    def __init__(self, obj):
        self.obj = obj
        self.dir = getattr(obj, "dir", "helper")

    def stop(self):
        self.obj.stop()

    def log(self):
        return self.obj.log()


class Responder:
    """acct_responder.py in the server's namespace; records() reads what it received."""

    def __init__(self, t, port, *args):
        self.t, self.port, self.args = t, port, args
        self.dir = os.path.join(t.dir, f"responder-{port}")
        os.makedirs(self.dir, exist_ok=True)
        self.path = os.path.join(self.dir, "requests.jsonl")
        self.proc = None
        t.daemons.append(self)

    def start(self):
        argv = ["/usr/bin/python3", os.path.join(HERE, "acct_responder.py"), "--port", str(self.port),
                "--secret", SECRET, "--log", self.path, *self.args]
        self.proc = subprocess.Popen(self.t.srv.exec_argv(argv), stdout=subprocess.PIPE, text=True)
        expect(self.proc.stdout.readline().strip() == "ready", "the accounting responder did not start")
        return self

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(5)
        self.proc = None

    def log(self):
        try:
            with open(self.path) as f:
                return f.read()
        except OSError:
            return ""

    def records(self):
        return [json.loads(ln) for ln in self.log().splitlines() if ln.strip()]


def attr_int(rec, key):
    v = rec["attrs"].get(key)
    return int(v[0], 16) if v else None


def attr_str(rec, key):
    v = rec["attrs"].get(key)
    return bytes.fromhex(v[0]).decode(errors="replace") if v else None


def of_status(records, status):
    return [r for r in records if r.get("Acct-Status-Type") == status]


def up(t, s, c):
    c.console("link P1", "open")
    ok = wait_for(lambda: any(len(f.split("\t")) > 7 and f.split("\t")[7] == "user1" for f in sessions(s)), 20)
    expect(ok, "the session did not come up", s, c)
    expect(wait_for(lambda: t.cli.ping("10.77.0.1", count=1)[0], 10), "no traffic through the session", s, c)


def stop_record(rad, s, c, cause=None, timeout=15):
    recs = wait_for(lambda: of_status(rad.detail(), "Stop"), timeout)
    expect(recs, "no Stop reached FreeRADIUS", s, c, rad)
    if cause is not None:
        got = recs[-1].get("Acct-Terminate-Cause")
        expect(got == cause, f"Acct-Terminate-Cause {got}, want {cause}: {recs[-1]}", s, c, rad)
    return recs[-1]


def case_start_interim_stop_counters():
    """Start, Interim-Update and Stop arrive with the session's ids; the Stop's counters match a
    ping of known size (see the module comment for what the counters include)."""
    t = Topo("ac")
    try:
        rad = radius(t)
        s, c = start(t, auth="    set auth acct-update 2")
        up(t, s, c)
        n, size = 20, 1000
        ok, out = t.cli.run(["ping", "-q", "-c", str(n), "-i", "0.05", "-s", str(size), "10.77.0.1"],
                            timeout=30).returncode == 0, ""
        expect(ok, "the ping of known size failed", s, c)
        expect(wait_for(lambda: of_status(rad.detail(), "Interim-Update"), 10), "no Interim-Update", s, c, rad)
        c.console("link P1", "close")
        stop = stop_record(rad, s, c, cause="User-Request")
        start_rec = of_status(rad.detail(), "Start")
        expect(len(start_rec) == 1, f"Start records: {start_rec}", s, c, rad)
        st = start_rec[0]
        for k in ("Acct-Session-Id", "Acct-Multi-Session-Id", "User-Name", "NAS-Port"):
            expect(st.get(k) and st.get(k) == stop.get(k), f"{k}: Start {st.get(k)} / Stop {stop.get(k)}", s, c, rad)
        expect(st.get("Framed-IP-Address") == "10.77.0.100", f"Start's Framed-IP-Address {st.get('Framed-IP-Address')}",
               s, c, rad)
        expect(stop.get("User-Name") == "user1", f"User-Name {stop.get('User-Name')}", s, c, rad)
        expect(stop.get("Framed-IP-Address") == "10.77.0.100", f"Framed-IP-Address {stop.get('Framed-IP-Address')}",
               s, c, rad)
        expect(stop.get("NAS-Port-Id") == "veth-s", f"NAS-Port-Id {stop.get('NAS-Port-Id')}", s, c, rad)
        mac = t.cli.mac("veth-c").replace(":", "").lower()
        expect(stop.get("Calling-Station-Id", "").replace(":", "").lower() == mac,
               f"Calling-Station-Id {stop.get('Calling-Station-Id')}, client MAC {mac}", s, c, rad)
        expect(stop.get("NAS-Port-Type") == "Ethernet", f"NAS-Port-Type {stop.get('NAS-Port-Type')}", s, c, rad)
        expect(stop.get("Acct-Authentic") == "Local", f"Acct-Authentic {stop.get('Acct-Authentic')}", s, c, rad)
        expect(stop.get("mpd-link", "").startswith("L-") and stop.get("mpd-bundle", "").startswith("B-"),
               f"mpd-link/-bundle {stop.get('mpd-link')} {stop.get('mpd-bundle')}", s, c, rad)
        ip_bytes = n * (28 + size) + 84  # + the one 56-byte ping of up()
        lo, hi = ip_bytes + n + 1, ip_bytes + 2 * (n + 1) + 300  # + protocol fields, + control frames
        for d in ("Input", "Output"):
            octets = int(stop.get(f"Acct-{d}-Octets", -1))
            pkts = int(stop.get(f"Acct-{d}-Packets", -1))
            giga = int(stop.get(f"Acct-{d}-Gigawords", -1))
            expect(lo <= octets <= hi, f"Acct-{d}-Octets {octets} not in [{lo}, {hi}]", s, c, rad)
            expect(n + 1 <= pkts <= n + 15, f"Acct-{d}-Packets {pkts} not in [{n}, {n + 15}]", s, c, rad)
            expect(giga == 0, f"Acct-{d}-Gigawords {giga}", s, c, rad)
        expect(int(stop.get("Acct-Session-Time", -1)) >= 1, f"Acct-Session-Time {stop.get('Acct-Session-Time')}",
               s, c, rad)
        out = s.console("show sessions")
        expect(not re.search(r"user1", out), "the session is still listed", s, c)
    finally:
        t.close()


def case_cause_admin_reset():
    """`close` on the server's console: Admin-Reset (reason Manual)."""
    t = Topo("am")
    try:
        rad = radius(t)
        s, c = start(t)
        up(t, s, c)
        link = re.search(r"\b(L-\d+)\b", s.console("show sessions")).group(1)
        s.console(f"link {link}", "close")
        stop_record(rad, s, c, cause="Admin-Reset")
    finally:
        t.close()


def case_cause_lost_carrier():
    """The server's Ethernet interface goes away under the session: Lost-Carrier (reason Dropped)."""
    t = Topo("ak")
    try:
        rad = radius(t)
        s, c = start(t)
        up(t, s, c)
        t.srv.ip("link", "del", "veth-s")  # gone: its sessions end (down alone keeps them)
        stop_record(rad, s, c, cause="Lost-Carrier")
    finally:
        t.close()


def case_cause_session_timeout():
    t = Topo("as")
    try:
        rad = radius(t)
        s, c = start(t, iface="    set iface session 3")
        up(t, s, c)
        stop_record(rad, s, c, cause="Session-Timeout", timeout=20)
    finally:
        t.close()


def case_cause_idle_timeout():
    t = Topo("ai")
    try:
        rad = radius(t)
        s, c = start(t, iface="    set iface idle 3")
        up(t, s, c)
        stop_record(rad, s, c, cause="Idle-Timeout", timeout=20)
    finally:
        t.close()


def case_mandatory_dead_server():
    """acct-mandatory (default on) and nobody answers the Start: the session is closed."""
    t = Topo("ad")
    try:
        dead = Responder(t, 1813, "--silent").start()
        s, c = start(t)
        c.console("link P1", "open")
        expect(s.wait_log(r"Acct: START failed and acct-mandatory is on", 20), "the failed Start closed nothing", s, c)
        expect(wait_for(lambda: not sessions(s), 10), f"sessions left: {sessions(s)}", s, c)
        expect(any(r.get("status") == 1 for r in dead.records()), "the Start never reached the server", s, c, dead)
    finally:
        t.close()


def case_not_mandatory_dead_server():
    """The same dead server with acct-mandatory off: the session stays, and no Update goes out
    while the Start is still outstanding."""
    t = Topo("an")
    try:
        Responder(t, 1813, "--silent").start()
        s, c = start(t, auth="    set auth disable acct-mandatory\n    set auth acct-update 1")
        up(t, s, c)
        # the 1 s interim comes while the Start still waits for its 2 x 1 s: that Update is skipped
        expect(s.wait_log(r"UPDATE skipped: the START before it is still outstanding", 10),
               "an Update was sent while the Start was outstanding", s, c)
        expect(s.wait_log(r"Acct: START session=\S+ result=failed", 20), "the Start did not fail", s, c)
        time.sleep(1)
        expect(len(sessions(s)) == 1, "the session was closed although acct-mandatory is off", s, c)
    finally:
        t.close()


def case_stop_survives_server_restart():
    """The server is down when the session ends; the Stop is sent again until it is back."""
    t = Topo("ar")
    try:
        r = Responder(t, 1813).start()
        s, c = start(t)
        up(t, s, c)
        expect(wait_for(lambda: any(x["status"] == 1 for x in r.records()), 10), "no Start", s, c, r)
        r.stop()
        c.console("link P1", "close")
        expect(s.wait_log(r"Accounting-Request STOP session=\S+: no server answered \(round 1\)", 20),
               "the Stop was not retried after a full round", s, c)
        time.sleep(2)
        r.start()
        stops = wait_for(lambda: [x for x in r.records() if x["status"] == 2], 20)
        expect(stops, "the Stop never reached the restarted server", s, c, r)
        expect(s.wait_log(r"Acct: STOP session=\S+ result=ok", 20), "the Stop was not answered", s, c)
        expect(attr_int(stops[-1], "41") >= 3, f"Acct-Delay-Time {attr_int(stops[-1], '41')}", s, c, r)
    finally:
        t.close()


def case_drop_user():
    """An Accounting-Response to the Start carrying mpd-drop-user = 1 closes the session (Manual)."""
    t = Topo("au")
    try:
        r = Responder(t, 1813, "--drop-user", "1").start()
        s, c = start(t)
        c.console("link P1", "open")
        expect(s.wait_log(r"the accounting server asks to drop the user", 20), "mpd-drop-user was ignored", s, c, r)
        stops = wait_for(lambda: [x for x in r.records() if x["status"] == 2], 15)
        expect(stops, "no Stop after the drop", s, c, r)
        expect(attr_int(stops[-1], "49") == 6, f"Acct-Terminate-Cause {attr_int(stops[-1], '49')}, want 6", s, c, r)
        expect(wait_for(lambda: not sessions(s), 10), f"sessions left: {sessions(s)}", s, c)
    finally:
        t.close()


def case_shutdown_sends_stop():
    """SIGTERM with a session up: the Stop (Admin-Reboot) reaches the server before the daemon exits."""
    t = Topo("ag")
    try:
        rad = radius(t)
        s, c = start(t)
        up(t, s, c)
        s.proc.send_signal(signal.SIGTERM)
        rc = s.proc.wait(timeout=20)
        expect(rc == 0, f"exit status {rc}", s, c)
        stop_record(rad, s, c, cause="Admin-Reboot", timeout=2)
        # the daemon waited for the answer instead of exiting as soon as its links were down
        expect(re.search(r"Acct: STOP session=\S+ result=ok", s.log()), "exited before the Stop was answered", s, c)
    finally:
        t.close()


def case_update_limits_suppress():
    """update-limit-in/out both set and an idle session: the interim Updates are skipped."""
    t = Topo("al")
    try:
        r = Responder(t, 1813).start()
        s, c = start(t, auth="    set auth acct-update 1\n    set auth update-limit-in 1000000\n"
                             "    set auth update-limit-out 1000000")
        up(t, s, c)
        expect(s.wait_log(r"UPDATE skipped: below update-limit-in/out", 10), "no Update was suppressed", s, c)
        time.sleep(2)
        expect(not [x for x in r.records() if x["status"] == 3], "Updates were sent although suppressed", s, c, r)
        # traffic beyond the limit in both directions: the next Update goes out
        t.cli.run(["ping", "-q", "-c", "900", "-i", "0.002", "-s", "1400", "10.77.0.1"], timeout=30)
        expect(wait_for(lambda: [x for x in r.records() if x["status"] == 3], 10), "no Update after traffic", s, c, r)
        out = s.console("link " + re.search(r"\b(L-\d+)\b", s.console("show sessions")).group(1), "show auth")
        expect(re.search(r"updates skipped", out) and re.search(r"Limit In\s*: 1000000", out),
               "show auth lacks the accounting state:\n" + out, s, c)
    finally:
        t.close()


def case_radius_authenticated_session():
    """Authenticated by RADIUS: Acct-Authentic RADIUS, the Accept's Class echoed, and the
    Accept's Acct-Interim-Interval (1 s) drives the Updates although `acct-update` is 0."""
    t = Topo("aa")
    try:
        users = 'user1 Cleartext-Password := "pass1"\n    Class := "cls-77", Acct-Interim-Interval := 1\n'
        rad = FreeRadius(t.srv, t.dir, users=users, secret=SECRET, clients=("127.0.0.0/8",), addr="127.0.0.1")
        t.daemons.append(_Stopper(rad))
        rad.start()
        conf = SERVER.format(iface="", secret=SECRET, port=1813, acct_on="    set auth enable radius-acct",
                             auth="    set auth enable radius-auth\n    set auth disable internal")
        conf = conf.replace("{secret} 0 1813".format(secret=SECRET), "{secret} 1812 1813".format(secret=SECRET))
        s = Mpd(base.BINARY, t.srv, t.dir, conf, secret="", name="server")
        t._start(s)
        c = Mpd(base.BINARY, t.cli, t.dir, CLIENT, name="client")
        t._start(c)
        up(t, s, c)
        ups = wait_for(lambda: len(of_status(rad.detail(), "Interim-Update")) >= 2, 10)
        expect(ups, "no Interim-Updates at the Accept's interval", s, c, rad)
        st = of_status(rad.detail(), "Start")[0]
        expect(st.get("Acct-Authentic") == "RADIUS", f"Acct-Authentic {st.get('Acct-Authentic')}", s, c, rad)
        expect(st.get("Class") in ("cls-77", "0x636c732d3737"), f"Class {st.get('Class')}", s, c, rad)
    finally:
        t.close()


def case_failover():
    """The first accounting server never answers: the Start goes to the second one and the
    session (acct-mandatory on) stays up."""
    t = Topo("af")
    try:
        dead = Responder(t, 1813, "--silent").start()
        alive = Responder(t, 1814).start()
        s, c = start(t, auth=f"    set radius server 127.0.0.1 {SECRET} 0 1814")
        up(t, s, c)
        expect(wait_for(lambda: [x for x in alive.records() if x["status"] == 1], 15),
               "the Start never reached the second server", s, c, alive)
        expect([x for x in dead.records() if x["status"] == 1], "the first server was not tried first", s, c, dead)
        expect(s.wait_log(r"Acct: START session=\S+ result=ok", 10), "the Start was not answered", s, c)
        time.sleep(1)
        expect(len(sessions(s)) == 1, "the session did not stay up", s, c)
    finally:
        t.close()


CLIENT_ML = """
default:
    create bundle static C1
    set ipcp ranges 0.0.0.0/0 0.0.0.0/0
""" + "".join(f"""
    create link static P{n} pppoe
    set link action bundle C1
    set pppoe iface veth-c
    set auth authname "user1"
    set auth password "pass1"
    set link enable multilink
    set link max-redial -1
    set link keep-alive 0 0
""" for n in (1, 2))


def case_multilink():
    """Two links in one multilink bundle: a Start and a Stop per link, each with its own
    Acct-Session-Id and the bundle's Acct-Multi-Session-Id; Acct-Link-Count counts both."""
    t = Topo("ml")
    try:
        rad = radius(t)
        conf = SERVER.format(iface="", auth="    set link enable multilink", secret=SECRET, port=1813,
                             acct_on="    set auth enable radius-acct")
        s = Mpd(base.BINARY, t.srv, t.dir, conf, secret='user1 "pass1"\n', name="server")
        t._start(s)
        c = Mpd(base.BINARY, t.cli, t.dir, CLIENT_ML, name="client")
        t._start(c)
        c.console("link P1", "open")
        expect(wait_for(lambda: len(of_status(rad.detail(), "Start")) == 1, 20), "no Start for the first link", s, c, rad)
        c.console("link P2", "open")
        starts = wait_for(lambda: of_status(rad.detail(), "Start") if len(of_status(rad.detail(), "Start")) == 2
                          else None, 20)
        expect(starts, "no Start for the second link", s, c, rad)
        expect(starts[0]["Acct-Session-Id"] != starts[1]["Acct-Session-Id"], f"same session ids: {starts}", s, c, rad)
        expect(starts[0]["Acct-Multi-Session-Id"] == starts[1]["Acct-Multi-Session-Id"],
               f"multi-session ids differ: {starts}", s, c, rad)
        expect(starts[1].get("Acct-Link-Count") == "2", f"second Start's Acct-Link-Count {starts[1].get('Acct-Link-Count')}",
               s, c, rad)
        c.console("link P1", "close")
        c.console("link P2", "close")
        stops = wait_for(lambda: of_status(rad.detail(), "Stop") if len(of_status(rad.detail(), "Stop")) == 2
                         else None, 20)
        expect(stops, "not one Stop per link", s, c, rad)
        expect({x["Acct-Session-Id"] for x in stops} == {x["Acct-Session-Id"] for x in starts},
               f"Stops {stops} do not match the Starts", s, c, rad)
    finally:
        t.close()


def case_mpd4_bundle_option():
    """mpd 4's `set bundle enable radius-acct` (on the bundle template) turns RADIUS accounting on."""
    t = Topo("a4")
    try:
        r = Responder(t, 1813).start()
        s, c = start(t, acct_on="", iface="    set bundle enable radius-acct")
        up(t, s, c)
        expect(wait_for(lambda: [x for x in r.records() if x["status"] == 1], 10), "no Start", s, c, r)
        c.console("link P1", "close")
        expect(wait_for(lambda: [x for x in r.records() if x["status"] == 2], 10), "no Stop", s, c, r)
    finally:
        t.close()


if __name__ == "__main__":
    sys.exit(run_cases("netns-acct", sys.modules[__name__], base))
