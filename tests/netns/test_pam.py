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
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import test_pppoe as base  # noqa: E402
from test_pppoe import Topo, Mpd  # noqa: E402
from netns_common import run_cases, wait_for, expect, sessions  # noqa: E402
from test_extauth import CLIENT_LINK, session_of, up_with, write_script  # noqa: E402

SERVER = """
default:
    create bundle template B
    set ipcp ranges 10.77.0.1/32 ippool P
    create link template L pppoe
    set link action bundle B
    set pppoe iface veth-s
    set pppoe service "*"
    set link no pap chap-md5 chap-msv1 chap-msv2 eap
    set link enable pap
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


def start(t, svc, auth, links):
    s = Mpd(base.BINARY, t.srv, t.dir, SERVER.format(auth=auth), name="server",
            label=f"--pam-service={svc.name}")
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


if __name__ == "__main__":
    sys.exit(run_cases("netns-pam", sys.modules[__name__], base))
