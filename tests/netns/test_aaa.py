#!/usr/bin/python3
"""End-to-end asynchronous AAA (issue 10): a `!program` password that takes
3 s keeps only its own login waiting. Other sessions come up and keep their
LCP echoes answered meanwhile, and a peer that hangs up while its
authentication is pending leaves nothing behind (no session, no link
instance, no child process, no sanitizer report).

Every assertion is about the order of events (B up while A is still
pending, no keep-alive failure, A up later), never about how fast.

Usage: test_aaa.py --build-dir build [case ...]
Prints "PASS name" / "FAIL name" per case and "netns-aaa: N passed, N failed".
"""

import os
import re
import signal
import sys
import time

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
    set link enable chap-md5
    set link keep-alive {ka}
    set link enable incoming
    set ippool add P 10.77.0.100 10.77.0.139
"""

# keep-alive 1 2: two silent seconds end the link. A server whose loop waited
# for the 3 s program would leave A's (and C's) echoes unanswered that long.
CLIENT_LINK = """
    create bundle static C{n}
    set ipcp ranges 0.0.0.0/0 0.0.0.0/0
    create link static P{n} pppoe
    set link action bundle C{n}
    set pppoe iface veth-c
    set auth authname "{user}"
    set auth password "{password}"
    set link max-redial -1
    set link keep-alive 1 2
"""


def secrets(t, delay):
    """userA's password comes from a program that records its PID, then takes `delay` seconds."""
    pidfile = os.path.join(t.dir, "prog.pid")
    prog = f"echo $$ > {pidfile}; sleep {delay}; echo passA #"
    return f'userA "!{prog}"\nuserB passB\nuserC passC\n', pidfile


def start(t, delay, links, ka="1 4", client_secret=""):
    text, pidfile = secrets(t, delay)
    s = Mpd(base.BINARY, t.srv, t.dir, SERVER.format(ka=ka), secret=text, name="server")
    t._start(s)
    body = "default:\n" + "".join(CLIENT_LINK.format(n=n, user=u, password=p) for n, u, p in links)
    c = Mpd(base.BINARY, t.cli, t.dir, body, secret=client_secret, name="client")
    t._start(c)
    return s, c, pidfile


def session_of(s, user):
    """The server's `show sessions` line of a user, or None."""
    for line in sessions(s):
        f = line.split("\t")
        if len(f) > 7 and f[7] == user:
            return f
    return None


def up_and_pinging(t, s, user):
    """user's session is listed with an address and traffic passes over it (client -> server)."""
    f = session_of(s, user)
    if f is None or not f[1].startswith("10.77.0."):
        return False
    r = t.cli.run(["ping", "-c", "1", "-W", "2", "-I", f[1], "10.77.0.1"])
    return r.returncode == 0


def accepted(s, user):
    return re.search(rf'Auth: CHAP-MD5 user "{user}" accepted', s.log())


def case_slow_program_does_not_block():
    t = Topo("a")
    try:
        s, c, _ = start(t, 3, [(1, "userA", "passA"), (2, "userB", "passB"), (3, "userC", "passC")])
        # C first: a session that is up while A waits, its echoes must keep being answered
        c.console("link P3", "open")
        expect(wait_for(lambda: up_and_pinging(t, s, "userC"), 20), "session C did not come up", s, c)
        c.console("link P1", "open")
        expect(s.wait_log(r'CHAP: peer name "userA"', 20), "A's authentication never started", s, c)
        c.console("link P2", "open")
        b_up = wait_for(lambda: up_and_pinging(t, s, "userB"), 20)
        a_done_when_b_up = accepted(s, "userA") or session_of(s, "userA")
        expect(b_up, "session B did not come up", s, c)
        expect(not a_done_when_b_up,
               "A was authenticated before B came up: B's setup waited for A's program", s, c)
        # A comes up later, on its first attempt, and C never lost its echoes
        expect(wait_for(lambda: up_and_pinging(t, s, "userA"), 20), "session A did not come up later", s, c)
        expect(up_and_pinging(t, s, "userC") and up_and_pinging(t, s, "userB"), "B or C broke meanwhile", s, c)
        expect(not re.search(r"no reply to|Echo timeout", c.log() + s.log()),
               "LCP echoes went unanswered while A's program ran", s, c)
        log = s.log()
        pend = re.search(r'\[(L-\d+)\] CHAP: peer name "userA"', log)
        done = accepted(s, "userA")
        replies = re.findall(r"\[(L-\d+)\] LCP: send Echo-Reply", log[pend.end():done.start()])
        link_c = re.search(r'\[(L-\d+)\] CHAP: peer name "userC"', log).group(1)
        expect(set(replies) & {pend.group(1), link_c},
               f"no Echo-Reply to A ({pend.group(1)}) or C ({link_c}) while A was pending", s, c)
        expect(len(re.findall(r'CHAP: peer name "userA"', s.log())) == 1,
               "A needed more than one attempt", s, c)
        expect(len(sessions(s)) == 3, f"server sessions: {sessions(s)}", s, c)
    finally:
        t.close()


def reaped(pidfile):
    """The program's shell is gone: killed and reaped, not left as a zombie."""
    try:
        with open(pidfile) as f:
            pid = int(f.read().strip())
    except (OSError, ValueError):
        return False
    return not os.path.exists(f"/proc/{pid}")


def server_children(s):
    """PIDs whose parent is the server daemon (a zombie counts)."""
    kids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        if int(stat[stat.rfind(")") + 2:].split()[1]) == s.proc.pid:
            kids.append(int(d))
    return kids


def no_stale_state(t, s, c, pidfile, how):
    gone = wait_for(lambda: not session_of(s, "userA") and not re.findall(r"\bL-\d+", s.console("link")), 15)
    expect(gone, f"after {how}: server still has A's link:\n" + s.console("link"), s, c)
    expect(wait_for(lambda: reaped(pidfile), 10), f"after {how}: the program's shell was not reaped", s, c)
    expect(wait_for(lambda: not server_children(s), 10),
           f"after {how}: server children left: {server_children(s)}", s, c)
    time.sleep(5)  # past the program's 5 s limit: its timer went with it, nothing touches the dead link
    expect(s.alive(), f"after {how}: the server died", s, c)
    expect(not accepted(s, "userA"), f"after {how}: a verdict was applied to a gone link", s, c)
    expect(not re.search(r"timed out after", s.log()),
           f"after {how}: the program was not cancelled with its link", s, c)
    expect(sessions(s) == [], f"after {how}: server sessions: {sessions(s)}", s, c)
    summary = s.console("show summary")
    expect(not re.search(r"\bL-\d+", summary), f"after {how}: show summary:\n" + summary, s, c)


def case_hangup_while_pending():
    t = Topo("h")
    try:
        # the program would take 10 s (its 5 s limit would end it); keep-alive 1 2 notices a dead peer first
        s, c, pidfile = start(t, 10, [(1, "userA", "passA"), (2, "userB", "passB")], ka="1 2")
        c.console("link P1", "open")
        expect(s.wait_log(r'CHAP: peer name "userA"', 20), "A's authentication never started", s, c)
        expect(wait_for(lambda: os.path.exists(pidfile), 5), "A's program did not start", s, c)
        # the peer closes politely (LCP Terminate, PADT) while the program runs
        c.console("link P1", "close")
        no_stale_state(t, s, c, pidfile, "close")
        # the server still serves: B comes up
        c.console("link P2", "open")
        expect(wait_for(lambda: up_and_pinging(t, s, "userB"), 20), "session B did not come up", s, c)
        # and a peer that vanishes (kill -9: no PADT) while pending is cleaned up too
        os.unlink(pidfile)
        mark = len(s.log())
        c.console("link P1", "open")
        expect(s.wait_log(r'CHAP: peer name "userA"', 20, since=mark), "A's second try never started", s, c)
        expect(wait_for(lambda: os.path.exists(pidfile), 5), "A's program did not start again", s, c)
        c.proc.send_signal(signal.SIGKILL)
        c.proc.wait()
        no_stale_state(t, s, c, pidfile, "kill -9")
    finally:
        t.close()


def case_own_password_from_program():
    """Our side: no `set auth password`, mpd.secret gives a `!program` for our authname. The
    client's loop goes on meanwhile (its other session keeps its echoes) and the login then works."""
    t = Topo("o")
    try:
        # keep-alive 1 2 on the server too: a client loop stopped for 3 s would lose session C
        s, c, _ = start(t, 0, [(1, "userB", ""), (3, "userC", "passC")], ka="1 2",
                        client_secret='userB "!sleep 3; echo passB #"\n')
        c.console("link P3", "open")
        expect(wait_for(lambda: up_and_pinging(t, s, "userC"), 20), "session C did not come up", s, c)
        c.console("link P1", "open")
        expect(wait_for(lambda: up_and_pinging(t, s, "userB"), 30), "session B (program password) did not come up", s, c)
        expect(re.search(r'CHAP: answering Challenge #\d+ as "userB"', c.log()), "client never answered as userB", s, c)
        expect(not re.search(r"no reply to|Echo timeout", c.log() + s.log()),
               "LCP echoes went unanswered while our program ran", s, c)
        expect(up_and_pinging(t, s, "userC"), "session C broke meanwhile", s, c)
    finally:
        t.close()


def case_shutdown_while_pending():
    t = Topo("s")
    try:
        s, c, pidfile = start(t, 10, [(1, "userA", "passA")])
        c.console("link P1", "open")
        expect(s.wait_log(r'CHAP: peer name "userA"', 20), "A's authentication never started", s, c)
        expect(wait_for(lambda: os.path.exists(pidfile), 5), "A's program did not start", s, c)
        s.proc.send_signal(signal.SIGTERM)
        rc = s.proc.wait(timeout=15)
        expect(rc == 0, f"server exit status {rc} after SIGTERM with a check pending", s, c)
        expect(wait_for(lambda: reaped(pidfile), 10), "the program outlived the daemon", s, c)
    finally:
        t.close()  # also fails the case on a sanitizer report (leaks at exit)


if __name__ == "__main__":
    sys.exit(run_cases("netns-aaa", sys.modules[__name__], base))
