#!/usr/bin/python3
"""End-to-end PPPoE tests: our server and our client in two network
namespaces joined by a veth pair (issue 2's netns acceptance).

Usage: test_pppoe.py --build-dir build [case ...]
Prints "PASS name" / "FAIL name" per case and "netns: N passed, N failed".
Every namespace is named mpdn<pid>x...; each is deleted afterwards.
"""

import os
import re
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "interop", "lib"))

from mpd import Mpd  # noqa: E402
from netns import Netns, sh  # noqa: E402
from netns_common import run_cases, wait_for, client_addr, expect, sessions  # noqa: E402

BINARY = None  # the mpd5 under test: set by run_cases from --build-dir

SERVER = """
default:
    create bundle template B
    set ipcp ranges 10.77.0.1/32 ippool P
    set ipcp dns 10.77.0.53 10.77.0.54
    create link template L pppoe
    set link action bundle B
    set pppoe iface {ifname}
    set pppoe service "*"
    set link {auth}
    set link keep-alive 1 4
    set link enable incoming
"""

SECRETS = 'user1 "pass1"\n"user 2" "p a s s"\n'

CLIENT_LINK = """
    create bundle static C{n}
    set ipcp ranges 0.0.0.0/0 0.0.0.0/0
    set ipcp enable req-pri-dns req-sec-dns
{extra}
    create link static P{n} pppoe
    set link action bundle C{n}
    set pppoe iface {ifname}
    set auth authname "{user}"
    set auth password "{password}"
    set link max-redial {redial}
    set link redial-delay 1
    set link keep-alive 1 4
    open
"""


SANITIZER = re.compile(r"ERROR: (Address|Leak)Sanitizer|runtime error:")


class Topo:
    """Two namespaces and a veth pair between them."""

    def __init__(self, tag):
        base = f"mpdn{os.getpid() % 100000}{tag}"
        self.srv = Netns(base + "s")
        self.cli = Netns(base + "c")
        sh(["ip", "link", "add", "veth-s", "netns", self.srv.name, "type", "veth",
            "peer", "name", "veth-c", "netns", self.cli.name])
        self.srv.ip("link", "set", "veth-s", "up")
        self.cli.ip("link", "set", "veth-c", "up")
        self.dir = tempfile.mkdtemp(prefix="mpdn-")
        self.daemons = []

    def server(self, auth="enable pap", extra="", pool_size=40):
        # extra lines go into the bundle template (they follow `create bundle template B`)
        conf = (SERVER.format(ifname="veth-s", auth=auth).replace(
            "    create link template L", extra + "    create link template L")
            + "    set ippool add P 10.77.0.100 10.77.0.%d\n" % (99 + pool_size))
        m = Mpd(BINARY, self.srv, self.dir, conf, secret=SECRETS, name="server")
        self._start(m)
        return m

    def client(self, links=((1, "user1", "pass1"),), redial=0, name="client", extra=""):
        body = "default:\n" + "".join(
            CLIENT_LINK.format(n=ln[0], user=ln[1], password=ln[2], ifname="veth-c", extra=extra,
                               redial=ln[3] if len(ln) > 3 else redial)
            for ln in links)
        m = Mpd(BINARY, self.cli, self.dir, body, name=name)
        self._start(m)
        return m

    def _start(self, m):
        self.daemons.append(m)
        m.start(settle=0.5)

    def close(self):
        for m in self.daemons:
            m.stop()
        self.srv.delete()
        self.cli.delete()
        for m in self.daemons:  # a sanitizer report fails the case even if all else passed
            rep = SANITIZER.search(m.log())
            if rep:
                raise AssertionError(f"sanitizer report in {m.dir}:\n" + m.log()[rep.start():][:3000])


def session_up_and_ping(auth):
    t = Topo("a" if "pap" in auth else "h")
    try:
        s = t.server(auth=auth)
        c = t.client()
        addrs = wait_for(lambda: client_addr(t), 15)
        expect(addrs is not None, "client interface got no address", s, c)
        local, peer = addrs
        expect(peer == "10.77.0.1" and local == "10.77.0.100",
               f"negotiated addresses {addrs}", s, c)
        ok, out = t.cli.ping("10.77.0.1")
        expect(ok, "client -> server ping failed: " + out, s, c)
        ok, out = t.srv.ping(local)
        expect(ok, "server -> client ping failed: " + out, s, c)
        ipcp = c.console("bundle C1", "show ipcp")
        expect(re.search(r"peer gave us:\s*\n\s*DNS\s*:\s*10\.77\.0\.53 10\.77\.0\.54", ipcp),
               "DNS given to the client not in show ipcp:\n" + ipcp, s, c)
        ss = sessions(s)
        expect(len(ss) == 1 and "user1" in ss[0] and "10.77.0.100" in ss[0],
               f"server show sessions: {ss}", s, c)
        t_call = re.search(r"^(\d\d):(\d\d):(\d\d\.\d+) \[L-\d+\] Link: incoming call", s.log(), re.M)
        t_up = re.search(r"^(\d\d):(\d\d):(\d\d\.\d+) \[L-\d+\] LCP: LayerEvent Up", s.log(), re.M)
        secs = lambda m: int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
        expect(t_call and t_up and secs(t_up) - secs(t_call) < 1.0,
               "LCP took a restart-timer period to open: the caller's first Configure-Request was lost", s, c)
        method = "PAP" if "pap" in auth else "CHAP-MD5"
        expect(re.search(rf"Auth: {method} user \"user1\" accepted", s.log()),
               f"server did not log {method} acceptance", s, c)
    finally:
        t.close()


def case_pap():
    session_up_and_ping("enable pap")


def case_chap_md5():
    session_up_and_ping("enable chap-md5")


def case_twenty_clients():
    n = 20
    t = Topo("m")
    try:
        s = t.server(auth="enable chap-md5")
        c = t.client(links=[(i, "user1", "pass1") for i in range(1, n + 1)])
        up = wait_for(lambda: len(sessions(s)) == n and all(
            client_addr(t, f"ppp{i}") for i in range(n)), 40, step=1)
        expect(up, f"{len(sessions(s))} of {n} sessions up", s, c)
        peers = set()
        for i in range(n):
            local, peer = client_addr(t, f"ppp{i}")
            peers.add(local)
            r = t.cli.run(["ping", "-c", "1", "-W", "2", "-I", f"ppp{i}", peer])
            expect(r.returncode == 0, f"ping over ppp{i} failed: {r.stdout}", s, c)
        expect(len(peers) == n, f"addresses not distinct: {sorted(peers)}", s, c)
        used = s.console("show ippool")
        expect(re.search(r"P\D+%d\D+40" % n, used), "pool usage: " + used, s, c)
    finally:
        t.close()


def case_close_sends_padt():
    t = Topo("p")
    try:
        s = t.server()
        c = t.client(links=[(1, "user1", "pass1"), (2, '"user 2"'.strip('"'), "p a s s")])
        expect(wait_for(lambda: len(sessions(s)) == 2, 15), "two sessions did not come up", s, c)
        mark = len(s.log())
        c.console("link P1", "close")
        expect(s.wait_log(r"PADT", 10, since=mark), "server saw no PADT", s, c)
        gone = wait_for(lambda: len(sessions(s)) == 1, 10)
        expect(gone, "server still lists the closed session", s, c)
        links = s.console("link")
        expect(len(re.findall(r"\bL-\d+", links)) == 1, "server still has the link instance:\n" + links, s, c)
        ok, out = t.cli.ping("10.77.0.1")  # the other session keeps working
        expect(ok, "remaining session broken: " + out, s, c)
        summary = c.console("show summary")
        expect(re.search(r"P1\s+\S*\s*pppoe\s+DOWN|P1.*DOWN", summary) or "Initial" in summary,
               "client link P1 not down:\n" + summary, s, c)
    finally:
        t.close()


def case_kill9_keepalive():
    t = Topo("k")
    try:
        s = t.server()
        c1 = t.client(name="client1")
        expect(wait_for(lambda: len(sessions(s)) == 1, 15), "session did not come up", s, c1)
        c1.proc.send_signal(signal.SIGKILL)
        c1.proc.wait()
        t0 = time.monotonic()
        gone = wait_for(lambda: len(sessions(s)) == 0, 15)
        took = time.monotonic() - t0
        expect(gone, "server kept the dead session", s)
        expect(took < 10, f"dead peer detected after {took:.1f}s (keep-alive 1 4)", s)
        expect(re.search(r"Echo timeout|no reply to", s.log()), "no keep-alive failure logged", s)
        # Our interface of that session is gone too: only the template-less state remains.
        r = t.srv.ip("-o", "link", "show", check=False)
        expect("ppp" not in r.stdout, "server interface left behind:\n" + r.stdout, s)
    finally:
        t.close()


def case_sigterm_graceful():
    t = Topo("g")
    try:
        s = t.server()
        c = t.client(links=[(1, "user1", "pass1"), (2, "user1", "pass1")])
        expect(wait_for(lambda: len(sessions(s)) == 2, 15), "sessions did not come up", s, c)
        mark = len(s.log())
        c.proc.send_signal(signal.SIGTERM)
        rc = c.proc.wait(timeout=10)
        expect(rc == 0, f"client exit status {rc} after SIGTERM", s, c)
        expect(s.wait_log(r"rec'd Terminate-Request", 5, since=mark), "server got no LCP Terminate-Request", s, c)
        expect(s.wait_log(r"PADT", 5, since=mark), "server got no PADT", s, c)
        expect(wait_for(lambda: len(sessions(s)) == 0, 5), "server kept the sessions", s, c)
        expect(not re.search(r"Echo timeout", s.log()[mark:]), "sessions ended by keep-alive, not by terminate", s, c)
    finally:
        t.close()


def case_max_logins():
    t = Topo("l")
    try:
        s = t.server(auth="enable pap\n    set auth max-logins 1")
        c = t.client(links=[(1, "user1", "pass1", -1), (2, "user1", "pass1", -1), (3, "user 2", "p a s s", -1)])
        expect(s.wait_log(r"reached max-logins 1", 15), "second login of user1 was not refused", s, c)
        time.sleep(1)
        users = sorted(l.split("\t")[7] for l in sessions(s))
        expect(users == ["user 2", "user1"], f"sessions: {users}", s, c)
    finally:
        t.close()


def case_wrong_password_redial():
    t = Topo("w")
    try:
        s = t.server()
        c = t.client(links=[(1, "user1", "pass1", 0), (7, "user1", "WRONG", 2)])
        fails = wait_for(lambda: len(re.findall(r"wrong password", s.log())) >= 3, 30, step=0.5)
        expect(fails, "server did not refuse 3 attempts (1 + max-redial 2)", s, c)
        time.sleep(5)
        n = len(re.findall(r"wrong password", s.log()))
        expect(n == 3, f"client tried {n} times, max-redial 2 allows 3", s, c)
        expect(re.search(r"\[P7\].*Authentication by peer failed", c.log()),
               "client did not log the refusal with its reason", s, c)
        expect(len(sessions(s)) == 1, "the good session is not the only one", s, c)
        ok, out = t.cli.ping("10.77.0.1")
        expect(ok, "the good session stopped working: " + out, s, c)
    finally:
        t.close()


def case_iface_routes_scripts_idle():
    t = Topo("i")
    try:
        out = os.path.join(t.dir, "script.out")
        script = os.path.join(t.dir, "updown.sh")
        with open(script, "w") as f:
            f.write("#!/bin/sh\nfor a in \"$0\" \"$@\"; do printf '[%%s]' \"$a\"; done >> %s\necho >> %s\n" % (out, out))
        os.chmod(script, 0o755)
        s = t.server(extra=f"    set iface up-script {script}\n    set iface down-script {script}\n")
        c = t.client(extra="    set iface route 10.99.0.0/24\n    set iface route default\n    set iface idle 3\n")
        expect(wait_for(lambda: client_addr(t), 15), "session did not come up", s, c)
        routes = t.cli.ip("-4", "route", "show").stdout
        expect(re.search(r"default dev ppp0", routes) and re.search(r"10\.99\.0\.0/24 dev ppp0", routes),
               "routes missing:\n" + routes, s, c)
        up = wait_for(lambda: os.path.exists(out) and open(out).read(), 5)
        expect(up, "up-script did not run", s, c)
        first = open(out).read().splitlines()[0]
        want = f"[{script}][ppp1][inet][10.77.0.1/32][10.77.0.100][user1][][][" 
        expect(first.startswith(want) and first.endswith("][-]"),
               f"up-script arguments:\n{first}\nwanted {want}...[peer MAC][-]", s, c)
        mark = len(c.log())
        expect(c.wait_log(r"idle timeout after 3 seconds", 10, since=mark), "client idle timeout did not fire", s, c)
        down = wait_for(lambda: len(open(out).read().splitlines()) >= 2, 10)
        expect(down, "down-script did not run", s, c)
        second = open(out).read().splitlines()[1]
        expect(second.startswith(f"[{script}][ppp1][inet][10.77.0.1/32][10.77.0.100][user1][") and second.endswith("][-]"),
               "down-script arguments:\n" + second, s, c)
        gone = wait_for(lambda: "default" not in t.cli.ip("-4", "route", "show").stdout, 5)
        expect(gone, "routes not removed when the bundle closed", s, c)
    finally:
        t.close()


def run_conf(text, label=None, check=False):
    d = tempfile.mkdtemp(prefix="mpdn-conf-")
    with open(os.path.join(d, "mpd.conf"), "w") as f:
        f.write(text)
    argv = ([BINARY, "-d", d, "-p", os.path.join(d, "pid")] + (["-t"] if check else [])
            + ([label] if label else []))
    return subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=20)


def case_config_errors():
    # a typo no longer stops startup (issue 11, as in mpd5): -t still fails on it
    r = run_conf("default:\n\tcreate bundle B\n\tset iface mtuu 1400\n", check=True)
    out = r.stdout + r.stderr
    expect(r.returncode == 78, f"typo: exit {r.returncode}\n{out}")
    expect(re.search(r"mpd\.conf:3: set iface mtuu 1400: .*Unknown command", out), "typo error text:\n" + out)
    r = run_conf("default:\n\tcreate link template T l2tp\n")
    out = r.stdout + r.stderr
    expect(r.returncode == 78, f"later-issue device: exit {r.returncode}\n{out}")
    expect(re.search(r"mpd\.conf:2: .*not supported yet|mpd\.conf:2: .*l2tp", out), "l2tp error text:\n" + out)
    r = run_conf("default:\n\tset web open\n")
    out = r.stdout + r.stderr
    expect(r.returncode == 78 and "not supported yet" in out, "web:\n" + out)
    r = run_conf("default:\n\tcreate bundle B\n\tset bundle retry 4\n\tset bundle fsm-timeout 11\n", check=True)
    out = r.stdout + r.stderr
    expect(r.returncode == 78 and "mpd.conf:4:" in out and "mpd.conf:3:" not in out,
           "set bundle retry accepted, fsm-timeout 11 refused:\n" + out)
    r = run_conf("default:\n", label="nosuch")
    expect(r.returncode == 78, f"missing label: exit {r.returncode}")


def case_daemon_flags():
    d = tempfile.mkdtemp(prefix="mpdn-flags-")
    pid = os.path.join(d, "pid")

    def pid_in_file():
        try:
            with open(pid) as f:
                return f.read().strip()
        except OSError:
            return ""

    def run(*args):
        return subprocess.run([BINARY, "-d", d, "-p", pid] + list(args), stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=20)
    r = run("-v")
    expect(r.returncode == 0 and "0.1" in r.stdout, f"-v: {r.returncode} {r.stdout}")
    r = run("--help")
    expect(r.returncode == 0 and "--one-shot" in r.stdout, f"--help: {r.returncode}")
    r = run("-x")
    expect(r.returncode == 64 and "unknown option '-x'" in r.stderr, f"unknown option: exit {r.returncode} {r.stderr}")
    r = run("a", "b")
    expect(r.returncode == 64, f"two configurations: exit {r.returncode}")
    with open(os.path.join(d, "mpd.conf"), "w") as f:
        f.write("default:\n\tlog -console\n")
    first = subprocess.Popen([BINARY, "-d", d, "-p", pid], stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        expect(wait_for(lambda: pid_in_file() == str(first.pid), 5),
               "PID file not written")
        r = run()
        expect(r.returncode == 69, f"second daemon on a locked PID file: exit {r.returncode}")
        second = subprocess.Popen([BINARY, "-k", "-d", d, "-p", pid], stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        expect(first.wait(timeout=10) == 0, "first daemon did not exit cleanly on -k's SIGTERM")
        expect(wait_for(lambda: pid_in_file() == str(second.pid), 10), "-k did not take over")
        second.send_signal(signal.SIGTERM)
        expect(second.wait(timeout=10) == 0, "SIGTERM exit status")
        expect(not os.path.exists(pid), "PID file left after exit")
        crash = subprocess.Popen([BINARY, "-d", d, "-p", pid], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        expect(wait_for(lambda: os.path.exists(pid), 5), "PID file not written")
        crash.send_signal(signal.SIGSEGV)
        expect(crash.wait(timeout=10) == 70, "fatal signal exit status")
        expect(not os.path.exists(pid), "PID file left after a fatal signal")
    finally:
        for p in (first,):
            if p.poll() is None:
                p.kill()


def case_console_login():
    t = Topo("o")
    try:
        s = t.server()
        c = t.client()
        expect(wait_for(lambda: len(sessions(s)) == 1, 15), "session did not come up", s, c)
        out = s.console("show sessions")
        expect("user1" in out, "show sessions:\n" + out, s)
        code = ("import sys; sys.path.insert(0, %r)\n"
                "from console_client import Console\n"
                "c = Console('127.0.0.1', 5005)\n"
                "try:\n    c.login('mpdi', 'wrong')\n    print('LOGGED-IN')\n"
                "except PermissionError:\n    print('REFUSED')\n") % os.path.join(HERE, "..", "interop", "lib")
        r = t.srv.run(["/usr/bin/python3", "-c", code], timeout=20)
        expect("REFUSED" in r.stdout, "wrong console password: " + r.stdout + r.stderr, s)
    finally:
        t.close()


# A console session that keeps one link selected while the test ends the session behind it.
HOLD_CONSOLE = """
import sys
sys.path.insert(0, %r)
from console_client import Console, PROMPT
c = Console('127.0.0.1', 5005)
c.login('mpdi', 'mpdi-pass')
print('SELECT', c.command('link ' + sys.argv[1]).strip(), flush=True)
c.s.sendall(b'\\r\\n')
c.until(lambda b: PROMPT.search(b))
print('PROMPT', PROMPT.search(c.buf).group(0).decode().strip(), flush=True)
c.buf = b''
sys.stdin.readline()
c.s.sendall(b'show link\\r\\n')
c.until(lambda b: PROMPT.search(b))
print('SHOW', c.buf.decode(errors='replace').replace('\\r', ''), flush=True)
c.buf = b''
print('AFTER', c.command('show bundle').strip(), flush=True)
c.s.sendall(b'exit\\r\\n')
"""


def case_console_link_gone():
    """A console with a clone link selected: the session ends and the clone is
    destroyed; the console's next command finds no link (its handle no longer
    resolves) instead of touching freed memory, and its prompt is empty."""
    t = Topo("k")
    hold = None
    try:
        s = t.server()
        c = t.client()
        expect(wait_for(lambda: len(sessions(s)) == 1, 15), "session did not come up", s, c)
        name = sessions(s)[0].split("\t")[4]
        code = HOLD_CONSOLE % os.path.join(HERE, "..", "interop", "lib")
        hold = subprocess.Popen(t.srv.exec_argv(["/usr/bin/python3", "-c", code, name]),
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        line = hold.stdout.readline()
        expect(line.startswith("SELECT"), "console: " + line, s)
        line = hold.stdout.readline()
        expect(line.strip() == "PROMPT [%s]" % name, "prompt with the link selected: " + line, s)
        c.stop()
        gone = wait_for(lambda: name not in s.console("link"), 20)
        expect(gone, "clone link %s not destroyed: %s" % (name, s.console("link")), s)
        out, _ = hold.communicate("go\n", timeout=20)
        shown = out.split("SHOW", 1)[-1].split("AFTER", 1)[0]
        expect("Incorrect context for: show link" in shown, "show link after the link went:\n" + out, s)
        expect(name not in shown and shown.rstrip().endswith("[]"),
               "the console still names the destroyed link:\n" + out, s)
        after = out.split("AFTER", 1)[-1]
        expect("Incorrect context for: show bundle" in after, "its bundle is gone too:\n" + out, s)
        expect(s.alive(), "server died", s)
    finally:
        if hold is not None and hold.poll() is None:
            hold.kill()
            hold.wait()
        t.close()


def case_loadgen_sessions():
    """bench's load generator: 20 sessions (distinct MACs, CHAP-MD5, IPCP) from
    one process all come up on our server, and its PADTs end them all."""
    n = 20
    t = Topo("g")
    lg = None
    try:
        s = t.server(auth="enable chap-md5")
        loadgen = os.path.join(os.path.dirname(BINARY), "bench", "loadgen", "mpd5-loadgen")
        out = os.path.join(t.dir, "loadgen.out")
        with open(out, "wb") as f:
            lg = subprocess.Popen(t.cli.exec_argv([loadgen, "-i", "veth-c", "-n", str(n), "-w", "5",
                                                   "-u", "user1", "-p", "pass1", "-k", "1"]),
                                  stdout=f, stderr=subprocess.STDOUT, start_new_session=True)
        text = lambda: open(out).read()
        up = wait_for(lambda: "LG all-up n=%d " % n in text(), 40, step=0.5)
        expect(up, "loadgen output:\n" + text()[-2000:], s)
        ss = sessions(s)
        macs = {l.split("\t")[-1] for l in ss}  # the last field is the peer's MAC
        expect(len(ss) == n and len(macs) == n, f"server sessions ({len(macs)} MACs): {ss}", s)
        expect(all("user1" in l for l in ss), f"sessions not all user1: {ss}", s)
        # Bundle interfaces without IPv6CP keep IPv6 off (kernel cost per interface change).
        ifs = re.findall(r"\d+: (ppp\d+)[:@]", t.srv.ip("-o", "link", "show").stdout)
        expect(len(ifs) == n, f"server interfaces: {ifs}", s)
        v6 = [t.srv.run(["cat", f"/proc/sys/net/ipv6/conf/{i}/disable_ipv6"]).stdout.strip() for i in ifs]
        expect(all(v == "1" for v in v6), f"disable_ipv6 on {ifs}: {v6}", s)
        time.sleep(2.5)  # keep-alives every second from both sides: nothing may drop
        expect(len(sessions(s)) == n and "dropped=0" in text().splitlines()[-1],
               "sessions dropped during keep-alive:\n" + text()[-1000:], s)
        lg.send_signal(signal.SIGTERM)
        lg.wait(timeout=10)
        gone = wait_for(lambda: len(sessions(s)) == 0, 20)
        expect(gone, f"sessions left after the PADTs: {sessions(s)}", s)
        expect(re.search(r"P\D+0\D+40", s.console("show ippool")), "pool not released", s)
    finally:
        if lg is not None and lg.poll() is None:
            lg.kill()
            lg.wait()
        t.close()


if __name__ == "__main__":
    sys.exit(run_cases("netns", sys.modules[__name__]))
