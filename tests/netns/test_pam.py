#!/usr/bin/python3
"""End-to-end PAM and system backends (issue 12, radius.md §6): our PPPoE
client against our server with `set auth enable pam-auth pam-acct` and a
test-only PAM service (/etc/pam.d/<unique name>, removed afterwards) whose
modules are pam_exec scripts: no system user is needed.

- pam-auth: the right password comes up, a wrong one is refused, an
  account the account-management step refuses gets "Login not allowed for
  this account"; PAM_RHOST and PAM_TTY (the link name) reach the modules;
- pam-acct: a session is opened at Start and closed at Stop.

Usage: test_pam.py --build-dir build [case ...]
Prints "PASS name" / "FAIL name" per case and "netns-pam: N passed, N failed".
"""

import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import test_pppoe as base  # noqa: E402
from test_pppoe import Topo, Mpd  # noqa: E402
from netns_common import run_cases, wait_for, expect, sessions  # noqa: E402
from test_extauth import CLIENT_LINK, session_of, up_with, write_script, nt_hash  # noqa: E402

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
    set auth disable internal
{auth}    set ippool add P 10.77.0.100 10.77.0.139
"""

# pam_exec hands the password on stdin (NUL-terminated) with expose_authtok
PAM_AUTH = r"""#!/bin/sh
pw=$(tr -d '\000')
echo "auth $PAM_USER rhost=$PAM_RHOST tty=$PAM_TTY" >> '{dir}/pam.log'
case "$PAM_USER" in
pamuser) [ "$pw" = "pampass" ] ;;
locked) [ "$pw" = "lockedpw" ] ;;
*) exit 1 ;;
esac
"""

PAM_ACCOUNT = r"""#!/bin/sh
echo "account $PAM_USER" >> '{dir}/pam.log'
[ "$PAM_USER" != "locked" ]
"""

PAM_SESSION = r"""#!/bin/sh
echo "$PAM_TYPE $PAM_USER rhost=$PAM_RHOST tty=$PAM_TTY" >> '{dir}/pam.log'
"""


class PamService:
    """A PAM service file of this test's own, removed by close()."""

    def __init__(self, t):
        self.name = f"mpdtest{os.getpid()}"
        self.path = os.path.join("/etc/pam.d", self.name)
        a = write_script(t, "pam_auth.sh", PAM_AUTH.format(dir=t.dir))
        acc = write_script(t, "pam_account.sh", PAM_ACCOUNT.format(dir=t.dir))
        s = write_script(t, "pam_session.sh", PAM_SESSION.format(dir=t.dir))
        with open(self.path, "w") as f:
            f.write(f"auth required pam_exec.so expose_authtok quiet {a}\n"
                    f"account required pam_exec.so quiet {acc}\n"
                    f"session required pam_exec.so quiet {s}\n")

    def close(self):
        try:
            os.unlink(self.path)
        except OSError:
            pass


def pam_log(t):
    try:
        with open(os.path.join(t.dir, "pam.log")) as f:
            return f.read()
    except OSError:
        return ""


def start(t, svc, auth, links, proto="pap", binary=None, secret=""):
    s = Mpd(binary or base.BINARY, t.srv, t.dir, SERVER.format(auth=auth, proto=proto), name="server",
            secret=secret, label=f"--pam-service={svc.name}" if svc else None)
    t._start(s)
    body = "default:\n" + "".join(CLIENT_LINK.format(n=n, user=u, password=p) for n, u, p in links)
    c = Mpd(base.BINARY, t.cli, t.dir, body, name="client")
    t._start(c)
    return s, c


def case_pam_auth_and_session():
    t = Topo("pa")
    svc = PamService(t)
    try:
        s, c = start(t, svc, "    set auth enable pam-auth pam-acct\n",
                     [(1, "pamuser", "pampass"), (2, "pamuser", "wrong"), (3, "locked", "lockedpw")])
        c.console("link P1", "open")
        expect(wait_for(lambda: up_with(t, s, "pamuser"), 20), f"pamuser did not come up: {sessions(s)}", s, c)
        expect(re.search(r'Auth: pam-auth accepted user "pamuser"', s.log()), "no pam-auth acceptance", s, c)
        m = re.search(r'\[(L-\d+)\] PAP: peer name "pamuser"', s.log())
        link = m.group(1) if m else "?"
        log = pam_log(t)
        expect(re.search(rf"^auth pamuser rhost=[0-9a-f]{{12}} tty={link}$", log, re.M),
               f"PAM_RHOST/PAM_TTY of the login ({link}):\n" + log, s, c)
        expect(re.search(r"^account pamuser$", log, re.M), "account management not asked:\n" + log, s, c)
        expect(wait_for(lambda: re.search(rf"^open_session pamuser rhost=\S+ tty={link}$", pam_log(t), re.M), 10),
               "no PAM session opened at Start:\n" + pam_log(t), s, c)
        # a wrong password is refused by PAM
        c.console("link P2", "open")
        expect(s.wait_log(r'pam-auth refused user "pamuser" \(auth:', 20), "a wrong password was not refused", s, c)
        # the account step says no: the peer is told why
        c.console("link P3", "open")
        expect(s.wait_log(r'pam-auth refused user "locked" \(account:', 20), "account management did not refuse", s, c)
        expect(c.wait_log(r'PAP: peer says .*"Login not allowed for this account"', 10),
               "the account refusal's text did not reach the peer", s, c)
        expect(session_of(s, "locked") is None, "locked came up", s, c)
        # Stop closes the PAM session
        c.console("link P1", "close")
        expect(wait_for(lambda: re.search(rf"^close_session pamuser rhost=\S+ tty={link}$", pam_log(t), re.M), 15),
               "no PAM session closed at Stop:\n" + pam_log(t), s, c)
        expect(s.wait_log(r"Acct: STOP session=\S+ result=ok", 5), "the PAM Stop was not ok", s, c)
    finally:
        t.close()
        svc.close()


class SystemUser:
    """A throw-away system account (useradd, no home, no shell), deleted by close()."""

    def __init__(self, suffix, password=None, hash_=None):
        self.name = f"mpdt{os.getpid() % 100000}{suffix}"
        subprocess.run(["userdel", self.name], capture_output=True)  # a leftover of a killed run
        subprocess.run(["useradd", "-M", "-s", "/usr/sbin/nologin", self.name], check=True, capture_output=True)
        if password is not None:
            subprocess.run(["chpasswd"], input=f"{self.name}:{password}\n", text=True, check=True,
                           capture_output=True)
        if hash_ is not None:
            subprocess.run(["usermod", "-p", hash_, self.name], check=True, capture_output=True)

    def close(self):
        # another useradd/userdel on the machine may hold the password file lock for a moment
        for _ in range(20):
            r = subprocess.run(["userdel", self.name], capture_output=True)
            if r.returncode in (0, 6):  # 6: no such user
                return
            time.sleep(0.25)
        print(f"warning: could not remove test user {self.name}: {r.stderr.decode().strip()}")


def case_system_auth():
    # a crypt(3) password (Debian's default yescrypt) for PAP, an NT hash in FreeBSD's $3$ form for MS-CHAP
    u = SystemUser("a", password="Sys-pass1")
    n = SystemUser("n", hash_="$3$$" + nt_hash("nt-pass2"))
    try:
        system_auth_cases(u, n)
    finally:
        u.close()
        n.close()


def system_auth_cases(u, n):
    t = Topo("sa")
    try:
        s, c = start(t, None, "    set auth enable system-auth\n",
                     [(1, u.name, "Sys-pass1"), (2, u.name, "wrong"), (3, "nosuchuser", "x")])
        c.console("link P1", "open")
        expect(wait_for(lambda: up_with(t, s, u.name), 20), f"{u.name} did not come up: {sessions(s)}", s, c)
        expect(re.search(rf'Auth: system-auth accepted user "{u.name}"', s.log()), "no system-auth acceptance", s, c)
        c.console("link P2", "open")
        expect(s.wait_log(rf'system-auth refused user "{u.name}": wrong password', 20), "wrong password not refused", s, c)
        c.console("link P3", "open")
        expect(s.wait_log(r'system-auth refused user "nosuchuser": no such user', 20), "unknown user not refused", s, c)
        expect(len([x for x in sessions(s) if x.strip()]) == 1, f"sessions: {sessions(s)}", s, c)
    finally:
        t.close()
    t = Topo("sn")
    try:
        s, c = start(t, None, "    set auth enable system-auth\n",
                     [(1, n.name, "nt-pass2"), (2, n.name, "wrong"), (3, u.name, "Sys-pass1")], proto="chap-msv2")
        c.console("link P1", "open")
        expect(wait_for(lambda: up_with(t, s, n.name), 20), f"MS-CHAPv2 with a $3$ hash failed: {sessions(s)}", s, c)
        cli = c.console("link P1", "show auth")
        expect(re.search(r"MPPE keys\s*: yes \(MS-CHAPv2\)", cli), "no MS-CHAPv2 keys:\n" + cli, s, c)
        c.console("link P2", "open")
        expect(s.wait_log(rf'MS-CHAPv2 user "{n.name}": invalid response', 20), "wrong MS-CHAPv2 password", s, c)
        # an ordinary crypt hash can't judge MS-CHAP: refused with the reason
        c.console("link P3", "open")
        expect(s.wait_log(rf'system-auth refused user "{u.name}": the stored hash is not an NT hash', 20),
               "MS-CHAP against a crypt hash was not refused", s, c)
    finally:
        t.close()


# The server runs in a mount namespace of its own whose /var/log is the test's directory: the
# records go to a throw-away wtmp, never the system's.
WRAPPER = """#!/bin/sh
exec unshare -m /bin/sh -c 'mount --bind "$0" /var/log && exec "$@"' '{varlog}' '{binary}' "$@"
"""


def last_lines(path):
    r = subprocess.run(["last", "-w", "-f", path], capture_output=True, text=True)
    return r.stdout


def case_system_acct_wtmp():
    t = Topo("sw")
    try:
        varlog = os.path.join(t.dir, "varlog")
        os.makedirs(varlog)
        wtmp = os.path.join(varlog, "wtmp")
        open(wtmp, "wb").close()
        wrapper = write_script(t, "mpd5-wrap.sh", WRAPPER.format(varlog=varlog, binary=os.path.abspath(base.BINARY)))
        s, c = start(t, None, "    set auth enable internal system-acct\n", [(1, "acctuser", "acctpw")],
                     binary=wrapper, secret='acctuser "acctpw"\n')
        c.console("link P1", "open")
        expect(wait_for(lambda: up_with(t, s, "acctuser"), 20), f"session did not come up: {sessions(s)}", s, c)
        m = re.search(r'\[(L-\d+)\] PAP: peer name "acctuser"', s.log())
        link = m.group(1) if m else "?"
        # a login without its logout yet ("still logged in", or "gone - no logout" since last(1) finds no
        # system account acctuser owning our PID); the host
        # is the peer's address: IPv4 once IPCP gave one, else its MAC
        expect(wait_for(lambda: re.search(rf"^acctuser\s+{link}\s+(10\.77\.0\.\d+|[0-9a-f]{{12}})\s.*"
                                          r"(still logged in|gone - no logout)",
                                          last_lines(wtmp), re.M), 10),
               f"no login record for {link} in wtmp:\n" + last_lines(wtmp), s, c)
        c.console("link P1", "close")
        expect(wait_for(lambda: re.search(rf"^acctuser\s+{link}\s+\S+.* - \d\d:\d\d\s+\(", last_lines(wtmp), re.M), 15),
               "no logout record in wtmp:\n" + last_lines(wtmp), s, c)
        expect(os.path.getsize("/var/log/wtmp") == 0 or "acctuser" not in last_lines("/var/log/wtmp"),
               "the system's wtmp was written", s, c)
    finally:
        t.close()


if __name__ == "__main__":
    sys.exit(run_cases("netns-pam", sys.modules[__name__], base))
