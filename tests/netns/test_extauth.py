#!/usr/bin/python3
"""End-to-end ext-auth (issue 12, radius.md §5): our PPPoE client against
our server whose `set auth extauth-script` program answers per login.

- SUCCESS with FRAMED_IP_ADDRESS: the peer gets that address, and the
  program saw the request lines of §5.2;
- UNDEF with USER_PASSWORD (CHAP-MD5) and with USER_NT_HASH (MS-CHAPv2):
  we verify the peer's response ourselves, a wrong password is refused;
- FAIL with REPLY_MESSAGE: the text reaches the peer; FAIL falls through
  to mpd.secret (commands.md §9.1);
- a program that hangs is killed at `set auth timeout`, its session is
  refused, and another session comes up meanwhile.

Usage: test_extauth.py --build-dir build [case ...]
Prints "PASS name" / "FAIL name" per case and "netns-extauth: N passed, N failed".
"""

import os
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import test_pppoe as base  # noqa: E402
from test_pppoe import Topo, Mpd  # noqa: E402
from netns_common import run_cases, wait_for, expect, sessions  # noqa: E402

SERVER = """
default:
    create bundle template B
    set ipcp ranges 10.77.0.1/32 ippool P
    create link template L pppoe
    set link action bundle B
    set pppoe iface veth-s
    set pppoe service "*"
    set link no pap chap-md5 chap-msv1 chap-msv2 eap
    set link enable {proto}
    set link keep-alive 1 4
    set link enable incoming
    set auth extauth-script {script}
    set auth enable ext-auth
    set auth timeout {timeout}
{extra}    set ippool add P 10.77.0.100 10.77.0.139
"""

CLIENT_LINK = """
    create bundle static C{n}
    set ipcp ranges 0.0.0.0/0 0.0.0.0/0
    create link static P{n} pppoe
    set link action bundle C{n}
    set pppoe iface veth-c
    set auth authname "{user}"
    set auth password "{password}"
    set link max-redial -1
    set link keep-alive 1 4
"""

# only "fallthru" is in mpd.secret: everyone else is known to the program alone
SECRETS = 'fallthru "secret9"\n'

SCRIPT = r"""#!/bin/sh
d='{dir}'
while IFS= read -r l; do [ -z "$l" ] && break; printf '%s\n' "$l" >> "$d/req.$1"; done
case "$1" in
ok|dropme) printf 'RESULT:SUCCESS\nFRAMED_IP_ADDRESS:10.77.0.222\nSESSION_TIMEOUT:3600\nBOGUS_NAME:1\n\n' ;;
undef*) printf 'RESULT:UNDEF\nUSER_PASSWORD:good\n\n' ;;
nt*) printf 'RESULT:UNDEF\nUSER_NT_HASH:{nt}\n\n' ;;
bad) printf 'RESULT:FAIL\nREPLY_MESSAGE:Go away, bad\n\n' ;;
hang) echo $$ > "$d/hang.pid"; sleep 100 ;;
*) printf 'RESULT:FAIL\n\n' ;;
esac
"""


# ext-acct: every request appended to acct.<login>, blocks ended by "---"; dropme is dropped at Start
ACCT_SCRIPT = r"""#!/bin/sh
d='{dir}'
{{ while IFS= read -r l; do [ -z "$l" ] && break; printf '%s\n' "$l"; done; echo ---; }} >> "$d/acct.$1"
case "$1" in
dropme) printf 'MPD_DROP_USER:1\nSOMETHING_ELSE:2\n\n' ;;
*) printf '\n' ;;
esac
"""


def md4(data):
    """MD4 (RFC 1320): the NT hash's digest; Debian's OpenSSL 3 no longer offers it."""
    def f(x, y, z): return (x & y) | (~x & z)
    def g(x, y, z): return (x & y) | (x & z) | (y & z)
    def h(x, y, z): return x ^ y ^ z
    def rol(v, s): return ((v << s) | (v >> (32 - s))) & 0xffffffff
    msg = data + b"\x80" + b"\0" * ((55 - len(data)) % 64) + struct.pack("<Q", len(data) * 8)
    a0, b0, c0, d0 = 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476
    for off in range(0, len(msg), 64):
        x = struct.unpack("<16I", msg[off:off + 64])
        a, b, c, d = a0, b0, c0, d0
        for i in range(16):
            k, s = i, (3, 7, 11, 19)[i % 4]
            a, b, c, d = d, rol((a + f(b, c, d) + x[k]) & 0xffffffff, s), b, c
        for i in range(16):
            k, s = (i % 4) * 4 + i // 4, (3, 5, 9, 13)[i % 4]
            a, b, c, d = d, rol((a + g(b, c, d) + x[k] + 0x5a827999) & 0xffffffff, s), b, c
        for i in range(16):
            k, s = (0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15)[i], (3, 9, 11, 15)[i % 4]
            a, b, c, d = d, rol((a + h(b, c, d) + x[k] + 0x6ed9eba1) & 0xffffffff, s), b, c
        a0, b0, c0, d0 = [(v + w) & 0xffffffff for v, w in zip((a0, b0, c0, d0), (a, b, c, d))]
    return struct.pack("<4I", a0, b0, c0, d0)


def nt_hash(pw):
    return md4(pw.encode("utf-16le")).hex()


def write_script(t, name, text):
    path = os.path.join(t.dir, name)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o755)
    return path


def start(t, proto, links, timeout=40, extra=""):
    script = write_script(t, "extauth.sh", SCRIPT.format(dir=t.dir, nt=nt_hash("good")))
    s = Mpd(base.BINARY, t.srv, t.dir, SERVER.format(proto=proto, script=script, timeout=timeout, extra=extra),
            secret=SECRETS, name="server")
    t._start(s)
    body = "default:\n" + "".join(CLIENT_LINK.format(n=n, user=u, password=p) for n, u, p in links)
    c = Mpd(base.BINARY, t.cli, t.dir, body, name="client")
    t._start(c)
    return s, c


def session_of(s, user):
    for line in sessions(s):
        f = line.split("\t")
        if len(f) > 7 and f[7] == user:
            return f
    return None


def up_with(t, s, user, addr_prefix="10.77.0."):
    f = session_of(s, user)
    if f is None or not f[1].startswith(addr_prefix):
        return False
    return t.cli.run(["ping", "-c", "1", "-W", "2", "-I", f[1], "10.77.0.1"]).returncode == 0


def request_of(t, user):
    try:
        with open(os.path.join(t.dir, "req." + user)) as f:
            return f.read()
    except OSError:
        return ""


def case_success_framed_ip():
    t = Topo("xs")
    try:
        s, c = start(t, "pap", [(1, "ok", "anything")])
        c.console("link P1", "open")
        expect(wait_for(lambda: up_with(t, s, "ok", "10.77.0.222"), 20),
               f"session did not come up with the program's address: {sessions(s)}", s, c)
        req = request_of(t, "ok")
        for want in ("USER_NAME:ok\n", "AUTH_TYPE:PAP\n", "USER_PASSWORD:anything\n", "NAS_PORT_TYPE:pppoe\n",
                     "ACCT_SESSION_ID:"):
            expect(want in req, f"request lacks {want!r}:\n{req}", s, c)
        expect(re.search(r"^LINK:L-\d+$", req, re.M), "request lacks LINK:\n" + req, s, c)
        expect(re.search(r'unknown reply line "BOGUS_NAME" ignored', s.log()), "unknown name not logged", s, c)
        expect(re.search(r'Auth: ext-auth accepted user "ok"', s.log()), "no acceptance logged", s, c)
    finally:
        t.close()


def refused_and_up(t, s, c, good_user, bad_link, bad_user, method):
    c.console("link P1", "open")
    expect(wait_for(lambda: up_with(t, s, good_user), 20), f"{good_user} did not come up: {sessions(s)}", s, c)
    expect(re.search(rf'Auth: {method} user "{good_user}" accepted', s.log()), f"{good_user}: no acceptance", s, c)
    c.console(f"link {bad_link}", "open")
    expect(s.wait_log(rf'{method} user "{bad_user}": invalid response \(wrong password\)', 20),
           f"{bad_user}'s wrong password was not refused by our own check", s, c)
    expect(session_of(s, bad_user) is None, f"{bad_user} came up with a wrong password", s, c)


def case_undef_chap_md5():
    t = Topo("xu")
    try:
        s, c = start(t, "chap-md5", [(1, "undef1", "good"), (2, "undef2", "wrong")])
        refused_and_up(t, s, c, "undef1", "P2", "undef2", "CHAP-MD5")
        expect("AUTH_TYPE:CHAP MD5\n" in request_of(t, "undef1"), "AUTH_TYPE for CHAP-MD5", s, c)
        expect("USER_PASSWORD" not in request_of(t, "undef1"), "a CHAP request carried a password", s, c)
    finally:
        t.close()


def case_undef_mschapv2_nt_hash():
    t = Topo("xn")
    try:
        s, c = start(t, "chap-msv2", [(1, "nt1", "good"), (2, "nt2", "wrong")])
        refused_and_up(t, s, c, "nt1", "P2", "nt2", "MS-CHAPv2")
        expect("AUTH_TYPE:CHAP MSOFTv2\n" in request_of(t, "nt1"), "AUTH_TYPE for MS-CHAPv2", s, c)
        # the authenticator response and the keys came from the program's hash
        out = s.console(f"link {session_of(s, 'nt1')[3]}", "show auth") if session_of(s, "nt1") else ""
        cli = c.console("link P1", "show auth")
        expect(re.search(r"MPPE keys\s*: yes \(MS-CHAPv2\)", cli), "client has no MS-CHAPv2 keys:\n" + cli, s, c)
        expect(re.search(r'MS-CHAPv2 user "nt1" accepted', s.log()), "server show auth:\n" + out, s, c)
    finally:
        t.close()


def case_fail_reply_message():
    t = Topo("xf")
    try:
        s, c = start(t, "pap", [(1, "bad", "x"), (2, "fallthru", "secret9")])
        c.console("link P1", "open")
        expect(c.wait_log(r'PAP: peer says .*"Go away, bad"', 20), "REPLY_MESSAGE did not reach the peer", s, c)
        expect(session_of(s, "bad") is None, "a FAIL came up", s, c)
        # FAIL falls through: mpd.secret knows "fallthru"
        c.console("link P2", "open")
        expect(wait_for(lambda: up_with(t, s, "fallthru"), 20), "FAIL did not fall through to mpd.secret", s, c)
        expect(re.search(r'ext-auth refused user "fallthru"', s.log()), "the program was not asked first", s, c)
    finally:
        t.close()


def case_hang_timeout():
    t = Topo("xh")
    try:
        # CHAP: the client waits for the verdict (a PAP client gives up after 10 tries, 20 s)
        s, c = start(t, "chap-md5", [(1, "hang", "x"), (2, "ok", "y")], timeout=21)
        c.console("link P1", "open")
        pidfile = os.path.join(t.dir, "hang.pid")
        expect(wait_for(lambda: os.path.exists(pidfile), 20), "the program for hang did not start", s, c)
        with open(pidfile) as f:
            pid = int(f.read().strip())
        # meanwhile another login is served
        c.console("link P2", "open")
        expect(wait_for(lambda: up_with(t, s, "ok", "10.77.0.222"), 15), "ok did not come up meanwhile", s, c)
        expect(os.path.exists(f"/proc/{pid}"), "the hanging program ended early", s, c)
        # the program is killed at the auth timeout and hang never comes up
        expect(wait_for(lambda: not os.path.exists(f"/proc/{pid}"), 35), "the hanging program was not killed", s, c)
        # the program's own limit, the chain's deadline and the link's authentication phase are all
        # `set auth timeout`: whichever fires first (a few ms apart) ends it
        expect(s.wait_log(r'ext-auth: program failed or timed out|user "hang": no verdict within 21 s|'
                          r'\[L-\d+\] Auth: Authentication timeout', 5), "no timeout was logged", s, c)
        expect(session_of(s, "hang") is None, "hang came up", s, c)
        expect(not re.search(r'user "hang" accepted', s.log()), "hang was accepted", s, c)
        expect(up_with(t, s, "ok", "10.77.0.222"), "ok broke meanwhile", s, c)
        expect(s.alive(), "the server died", s, c)
    finally:
        t.close()


def acct_blocks(t, user):
    """The ext-acct requests the program got for user, each as a dict."""
    try:
        with open(os.path.join(t.dir, "acct." + user)) as f:
            text = f.read()
    except OSError:
        return []
    out = []
    for block in text.split("---\n"):
        d = dict(l.split(":", 1) for l in block.splitlines() if ":" in l)
        if d:
            out.append(d)
    return out


def acct_extra(t):
    script = write_script(t, "extacct.sh", ACCT_SCRIPT.format(dir=t.dir))
    return f"    set auth extacct-script {script}\n    set auth enable ext-acct\n"


def case_ext_acct_start_stop():
    t = Topo("xa")
    try:
        s, c = start(t, "pap", [(1, "ok", "x")], extra=acct_extra(t))
        c.console("link P1", "open")
        expect(wait_for(lambda: up_with(t, s, "ok", "10.77.0.222"), 20), "session did not come up", s, c)
        expect(wait_for(lambda: len(acct_blocks(t, "ok")) >= 1, 10), "no ext-acct Start", s, c)
        st = acct_blocks(t, "ok")[0]
        # (the Start goes out as the link joins its bundle, before IPCP: its address may still be 0.0.0.0)
        expect(st.get("ACCT_STATUS_TYPE") == "START" and st.get("USER_NAME") == "ok"
               and "FRAMED_IP_ADDRESS" in st and st.get("NAS_PORT_TYPE") == "pppoe"
               and st.get("LINK", "").startswith("L-") and st.get("BUNDLE", "").startswith("B-")
               and st.get("ACCT_SESSION_ID") and st.get("ACCT_LINK_COUNT") == "1"
               and "ACCT_INPUT_OCTETS" not in st, f"Start record: {st}", s, c)
        for _ in range(5):
            t.cli.run(["ping", "-c", "1", "-W", "2", "-s", "1000", "10.77.0.1"])
        c.console("link P1", "close")
        expect(wait_for(lambda: len(acct_blocks(t, "ok")) >= 2, 15), "no ext-acct Stop", s, c)
        sp = acct_blocks(t, "ok")[-1]
        expect(sp.get("ACCT_STATUS_TYPE") == "STOP", f"last record: {sp}", s, c)
        expect(int(sp.get("ACCT_INPUT_OCTETS", "0")) > 5000 and int(sp.get("ACCT_OUTPUT_OCTETS", "0")) > 5000
               and int(sp.get("ACCT_INPUT_PACKETS", "0")) >= 5 and "ACCT_SESSION_TIME" in sp
               and sp.get("ACCT_TERMINATE_CAUSE"), f"Stop record lacks counters or cause: {sp}", s, c)
        expect(sp.get("ACCT_SESSION_ID") == st.get("ACCT_SESSION_ID"), "session ids differ", s, c)
        expect(sp.get("FRAMED_IP_ADDRESS") == "10.77.0.222", f"Stop record address: {sp}", s, c)
        expect(s.wait_log(r"Acct: STOP session=\S+ result=ok", 5), "the Stop was not reported ok", s, c)
    finally:
        t.close()


def case_ext_acct_drop_user():
    t = Topo("xd")
    try:
        s, c = start(t, "pap", [(1, "dropme", "x")], extra=acct_extra(t))
        c.console("link P1", "open")
        expect(s.wait_log(r"Acct: START session=\S+ result=ok drop-user=1", 20), "MPD_DROP_USER not seen", s, c)
        expect(s.wait_log(r"asks to drop the user", 5), "the drop was not acted on", s, c)
        expect(re.search(r'ext-acct: reply line "SOMETHING_ELSE" ignored', s.log()), "other names not logged", s, c)
        expect(wait_for(lambda: session_of(s, "dropme") is None, 10), "the session was not closed", s, c)
        expect(wait_for(lambda: any(b.get("ACCT_STATUS_TYPE") == "STOP" for b in acct_blocks(t, "dropme")), 10),
               "no Stop after the drop", s, c)
    finally:
        t.close()


if __name__ == "__main__":
    sys.exit(run_cases("netns-extauth", sys.modules[__name__], base))
