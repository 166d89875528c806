#!/usr/bin/python3
"""End-to-end authentication tests (issue 5): our PPPoE client and our
server in two namespaces authenticate each other with MS-CHAPv1,
MS-CHAPv2 and EAP-MD5 (both directions at once), refuse wrong passwords
with the right failure code, and pick the auth protocol in the order of
commands.md §9, falling back when one side refuses.

Usage: test_auth.py --build-dir build [case ...]
Prints "PASS name" / "FAIL name" per case and "netns-auth: N passed, N failed".
Reuses test_pppoe.py's namespace helpers; every namespace is deleted afterwards.
"""

import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import test_pppoe as base  # noqa: E402
from test_pppoe import Topo, Mpd, expect, wait_for, client_addr  # noqa: E402
from netns_common import run_cases  # noqa: E402

ALL = "pap chap-md5 chap-msv1 chap-msv2 eap"

SERVER = """
default:
    create bundle template B
    set ipcp ranges 10.77.0.1/32 ippool P
    create link template L pppoe
    set link action bundle B
    set pppoe iface veth-s
    set pppoe service "*"
    set link no {all}
{auth}
    set auth authname "srvname"
    set auth password "srvpass"
    set link keep-alive 1 4
    set link enable incoming
    set ippool add P 10.77.0.100 10.77.0.139
"""

CLIENT = """
default:
    create bundle static C1
    set ipcp ranges 0.0.0.0/0 0.0.0.0/0
    create link static P1 pppoe
    set link action bundle C1
    set pppoe iface veth-c
    set link no {all}
{auth}
    set auth authname "{user}"
    set auth password "{password}"
    set link max-redial -1
    set link keep-alive 1 4
    open
"""

SERVER_SECRETS = 'user1 "pass1"\n'
CLIENT_SECRETS = 'srvname "srvpass"\n'


def lines(text):
    """Auth lines of a case: bare option verbs are `set link` ones."""
    out = ""
    for l in text.strip().splitlines():
        l = l.strip()
        out += f"    {l}\n" if l.startswith("set ") else f"    set link {l}\n"
    return out


def start(t, srv_auth, cli_auth, user="user1", password="pass1"):
    s = Mpd(base.BINARY, t.srv, t.dir, SERVER.format(all=ALL, auth=lines(srv_auth)),
            secret=SERVER_SECRETS, name="server")
    t._start(s)
    c = Mpd(base.BINARY, t.cli, t.dir, CLIENT.format(all=ALL, auth=lines(cli_auth), user=user,
                                                      password=password),
            secret=CLIENT_SECRETS, name="client")
    t._start(c)
    return s, c


def show_auth(m, link):
    return m.console(f"link {link}", "show auth")


def server_link(s):
    m = re.search(r"\[(L-\d+)\] Link: incoming call", s.log())
    return m.group(1) if m else None


def methods(out):
    """(peer method, peer outcome, our method, our outcome) from show auth."""
    p = re.search(r"Peer auth method: (\S+) \((\w+)", out)
    o = re.search(r"Our auth method : (\S+) \((\w+)", out)
    return (p.group(1), p.group(2), o.group(1), o.group(2)) if p and o else None


def up_both_ways(srv_auth, cli_auth, method, log_method, keys):
    """Both sides require `method` of each other; the session comes up and passes traffic."""
    t = Topo("a")
    try:
        s, c = start(t, srv_auth, cli_auth)
        addrs = wait_for(lambda: client_addr(t), 20)
        expect(addrs is not None, "client interface got no address", s, c)
        ok, out = t.cli.ping("10.77.0.1")
        expect(ok, "client -> server ping failed: " + out, s, c)
        expect(re.search(rf'Auth: {log_method} user "user1" accepted', s.log()),
               f"server did not log {log_method} acceptance of user1", s, c)
        expect(re.search(rf'Auth: {log_method} user "srvname" accepted', c.log()),
               f"client did not log {log_method} acceptance of srvname", s, c)
        link = server_link(s)
        sa = show_auth(s, link)
        ca = show_auth(c, "P1")
        expect(methods(sa) == (method, "success", method, "success"), "server show auth:\n" + sa, s, c)
        expect(methods(ca) == (method, "success", method, "success"), "client show auth:\n" + ca, s, c)
        expect(re.search(r"Peer authname\s*: user1", sa), "server show auth peer name:\n" + sa, s, c)
        expect(re.search(r"Peer authname\s*: srvname", ca), "client show auth peer name:\n" + ca, s, c)
        for out in (sa, ca):
            expect(re.search(rf"MPPE keys\s*: {keys}", out), f"MPPE key state, wanted {keys}:\n" + out, s, c)
            expect(not re.search(r"[0-9a-fA-F]{32}", out), "show auth prints key material:\n" + out, s, c)
    finally:
        t.close()


def case_mschapv2_both():
    a = "enable chap-msv2\naccept chap-msv2"
    up_both_ways(a, a, "CHAP-MSv2", "MS-CHAPv2", r"yes \(MS-CHAPv2\)")


def case_mschapv1_both():
    a = "enable chap-msv1\naccept chap-msv1"
    up_both_ways(a, a, "CHAP-MSv1", "MS-CHAPv1", r"yes \(MS-CHAPv1\)")


def case_eap_md5_both():
    a = "enable eap\naccept eap\nset eap yes md5"
    up_both_ways(a, a, "EAP", "EAP-MD5", "no")


def refused(srv_auth, cli_auth, server_line, client_line):
    """The client's password is wrong: the server refuses it and the client logs why."""
    t = Topo("w")
    try:
        s, c = start(t, srv_auth, cli_auth, password="WRONG")
        expect(s.wait_log(server_line, 20), f"server did not log /{server_line}/", s, c)
        expect(c.wait_log(client_line, 10), f"client did not log /{client_line}/", s, c)
        expect(c.wait_log(r"\[P1\].*Authentication by peer failed", 10),
               "client did not fail the link on the refusal", s, c)
        expect(client_addr(t) is None, "the session came up with a wrong password", s, c)
    finally:
        t.close()


def case_wrong_password_mschapv2():
    refused("enable chap-msv2", "accept chap-msv2",
            r'MS-CHAPv2 user "user1": invalid response \(wrong password\)[\s\S]*'
            r'MS-CHAPv2: peer "user1" refused: E=691 \(authentication failure\)',
            r"MS-CHAPv2: peer says Failure E=691 \(authentication failure\)")


def case_wrong_password_mschapv1():
    refused("enable chap-msv1", "accept chap-msv1",
            r'MS-CHAPv1 user "user1": invalid response \(wrong password\)[\s\S]*'
            r'MS-CHAPv1: peer "user1" refused: E=691',
            r"MS-CHAPv1: peer says Failure E=691")


def case_wrong_password_eap():
    refused("enable eap\nset eap enable md5", "accept eap",
            r'EAP-MD5 user "user1": invalid response \(wrong password\)',
            r"EAP: .*Failure")


def negotiated(srv_auth, cli_auth, want_peer, want_self):
    t = Topo("n")
    try:
        s, c = start(t, srv_auth, cli_auth)
        expect(wait_for(lambda: client_addr(t), 20), "session did not come up", s, c)
        sa = show_auth(s, server_link(s))
        m = methods(sa)
        expect(m and m[0] == want_peer and m[2] == want_self and m[1] == "success"
               and m[3] == ("none" if want_self == "none" else "success"),
               f"server show auth, wanted peer {want_peer} / ours {want_self}:\n" + sa, s, c)
        return s, c
    finally:
        t.close()


def case_preference_all():
    # Both sides enable and accept everything: MS-CHAPv2 both ways. `chap` is the
    # shorthand for chap-md5, chap-msv1 and chap-msv2.
    a = "yes pap chap eap\nset eap yes md5"
    negotiated(a, a, "CHAP-MSv2", "CHAP-MSv2")


def case_fallback_no_msv2():
    # The client refuses MS-CHAPv2: the server falls to the next one both allow (MS-CHAPv1).
    srv = f"yes {ALL}\nset eap yes md5"
    cli = "yes pap chap-md5 chap-msv1 eap\nset eap yes md5"
    negotiated(srv, cli, "CHAP-MSv1", "CHAP-MSv1")


def case_fallback_md5():
    # The client accepts only CHAP-MD5 and PAP: CHAP-MD5, the best of those.
    srv = f"yes {ALL}\nset eap yes md5"
    cli = "accept chap-md5 pap"
    negotiated(srv, cli, "CHAP-MD5", "none")


def case_keep_ms_domain():
    # DOMAIN\user: stripped for the lookup by default, kept with keep-ms-domain.
    t = Topo("d")
    try:
        s, c = start(t, "enable chap-msv2", "accept chap-msv2", user="CORP\\\\user1")
        expect(wait_for(lambda: client_addr(t), 20), "session with CORP\\user1 did not come up", s, c)
        expect(re.search(r'Auth: MS-CHAPv2 user "user1" accepted', s.log()), "domain not stripped", s, c)
    finally:
        t.close()
    t = Topo("e")
    try:
        s, c = start(t, "enable chap-msv2 keep-ms-domain", "accept chap-msv2", user="CORP\\\\user1")
        expect(s.wait_log(r'user "CORP\\user1" not found in mpd.secret', 20),
               "keep-ms-domain did not look up the full name", s, c)
    finally:
        t.close()


if __name__ == "__main__":
    sys.exit(run_cases("netns-auth", sys.modules[__name__], base))
