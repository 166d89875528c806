#!/usr/bin/python3
"""Configuration errors, -t/--check and missing files (issue 11, items 1, 2
and 7): a line mpd5 would only log does not stop startup, a feature this
build lacks does (exit 78), -t lists every error and opens nothing, missing
files and labels stop startup with a clear message.

Usage: test_config.py --build-dir build [case ...]
Prints "PASS name" / "FAIL name" per case and "config: N passed, N failed".
Every namespace is named mpdn<pid>x...; each is deleted afterwards.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "interop", "lib"))

from netns import Netns  # noqa: E402
from netns_common import run_cases, wait_for, client_addr, expect  # noqa: E402
import test_pppoe  # noqa: E402

BINARY = None  # the mpd5 under test: set by run_cases from --build-dir
REPO = os.path.join(HERE, "..", "..")


class Topo(test_pppoe.Topo):
    """test_pppoe's two namespaces; the daemon may log errors and still run."""

    def _start(self, m):
        # Mpd.start treats "Unknown command" in the log as a daemon that lacks
        # a feature; here such lines are what is being tested.
        self.daemons.append(m)
        argv = [m.binary, "-d", m.dir, "-p", m.pidfile]
        with open(m.log_path, "wb") as log:
            m.proc = subprocess.Popen(m.netns.exec_argv(argv), stdin=subprocess.DEVNULL, stdout=log,
                                      stderr=subprocess.STDOUT, start_new_session=True, cwd=m.dir)
        time.sleep(0.5)


def write_dir(conf, secret=None):
    d = tempfile.mkdtemp(prefix="mpdn-cfg-")
    with open(os.path.join(d, "mpd.conf"), "w") as f:
        f.write(conf)
    if secret is not None:
        with open(os.path.join(d, "mpd.secret"), "w") as f:
            f.write(secret)
    return d


def run(d, *args, ns=None, timeout=20):
    """Run mpd5 on directory d (in namespace ns if given); the CompletedProcess, output joined."""
    argv = [BINARY, "-d", d, "-p", os.path.join(d, "pid")] + list(args)
    if ns is not None:
        argv = ns.exec_argv(argv)
    r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)
    r.out = r.stdout + r.stderr
    return r


def case_error_lines_logged_startup_goes_on():
    t = Topo("e")
    try:
        # errors mpd5 has too, in the bundle template before the link template and its
        # `set link enable incoming`: the server must still take calls
        s = t.server(extra="    set iface idle lots\n"
                           "    set iface mtu 1400 # the usual MTU\n"
                           "    log +nosuchflag\n"
                           "    bogus command here\n")
        c = t.client()
        addrs = wait_for(lambda: client_addr(t), 15)
        expect(addrs is not None, "no session: startup did not go on after the errors", s, c)
        expect(s.alive(), "server exited", s)
        log = s.log()
        for pat in (r"mpd\.conf:\d+: set iface idle lots: \S",
                    r"mpd\.conf:\d+: set iface mtu 1400 # the usual MTU: \S",
                    r"mpd\.conf:\d+: log \+nosuchflag: unknown log flag 'nosuchflag'",
                    r"mpd\.conf:\d+: bogus command here: Unknown command",
                    r"\b4 configuration errors\b"):
            expect(re.search(pat, log), f"not logged: {pat}", s)
        expect(log.index("4 configuration errors") > log.index("bogus command here"),
               "summary before the errors", s)
        # a clean config logs no summary
        expect("configuration error" not in c.log(), "summary for a clean config", c)
    finally:
        t.close()


def case_unbuilt_feature_stops_startup():
    ns = Netns(f"mpdn{os.getpid() % 100000}u")
    try:
        d = write_dir("default:\n"
                      "\tcreate bundle static B\n"
                      "\tset iface mtuu 1400\n"
                      "\tset web self 127.0.0.1 5006\n"
                      "\tcreate link template T l2tp\n"
                      "\tset global max-children 7\n")
        r = run(d, ns=ns)
        expect(r.returncode == 78, f"exit {r.returncode}\n{r.out}")
        for pat in (r"mpd\.conf:4: set web self 127\.0\.0\.1 5006: 'set web' is not supported yet",
                    r"mpd\.conf:5: create link template T l2tp: device type \"l2tp\" is not supported yet",
                    r"mpd\.conf:3: set iface mtuu 1400: Unknown command",
                    r"2 configuration lines use features this build does not have yet"):
            expect(re.search(pat, r.out), f"not in the output: {pat}\n{r.out}")
        expect(not os.path.exists(os.path.join(d, "pid")), "PID file left behind")
        # an option of a feature not built yet is refused the same way
        d = write_dir("default:\n\tcreate bundle template B\n\tset ipcp enable vjcomp\n")
        r = run(d, ns=ns)
        expect(r.returncode == 78 and re.search(r"mpd\.conf:3: .*not supported yet", r.out), r.out)
    finally:
        ns.delete()


BROKEN = """startup:
\tlog +lcp +nosuch
\tset user admin pw admin
default:
\tcreate bundle template B
\tset ipcp ranges 10.1.0.1/32 ippool
\tset iface idel 30
\tcreate link template L pppoe
\tset link action bundle B
\tset link enable pap nosuchopt
\tset link keep-alive 10 60 # seconds
\tset web open
\tload extra.conf more
\tset link enable incoming
"""

EXTRA = """more:
\tset link mtu lots
"""


def case_check_lists_every_error():
    d = write_dir(BROKEN, secret='good "pw"\nbad "pw" 10.0.0.300/33\n')
    with open(os.path.join(d, "extra.conf"), "w") as f:
        f.write(EXTRA)
    for flag in ("-t", "--check"):
        r = run(d, flag)
        expect(r.returncode == 78, f"{flag}: exit {r.returncode}\n{r.out}")
        want = [r"mpd\.conf:2: log \+lcp \+nosuch: unknown log flag 'nosuch'",
                r"mpd\.conf:6: set ipcp ranges 10\.1\.0\.1/32 ippool: \S",
                r"mpd\.conf:7: set iface idel 30: Unknown command",
                r"mpd\.conf:10: option \"nosuchopt\": unknown option",
                r"mpd\.conf:11: set link keep-alive 10 60 # seconds: \S",
                r"mpd\.conf:12: set web open: 'set web' is not supported yet",
                r"extra\.conf:2: set link mtu lots: \S",
                r"mpd\.secret:2: bad address range",
                r"\b8 configuration errors\b"]
        for pat in want:
            expect(re.search(pat, r.out), f"{flag}: not listed: {pat}\n{r.out}")
        expect(not os.path.exists(os.path.join(d, "pid")), "-t wrote a PID file")
    # one error alone still fails the check
    d = write_dir("default:\n\tset global max-children lots\n")
    r = run(d, "-t")
    expect(r.returncode == 78 and "1 configuration error" in r.out, r.out)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def case_check_good_config_opens_nothing():
    ns = Netns(f"mpdn{os.getpid() % 100000}k")
    mon = None
    holder = None
    try:
        ns.ip("link", "add", "veth-k", "type", "veth", "peer", "name", "veth-kp")
        ns.ip("link", "set", "veth-k", "up")
        port = 5099
        # a listener on the console port: a daemon that really opened the console would fail
        holder = subprocess.Popen(ns.exec_argv(
            ["/usr/bin/python3", "-c",
             "import socket,time; s=socket.socket(); s.bind(('127.0.0.1', %d)); s.listen(); "
             "print('ready', flush=True); time.sleep(60)" % port]), stdout=subprocess.PIPE, text=True)
        expect(holder.stdout.readline().strip() == "ready", "port holder did not start")
        mon = subprocess.Popen(ns.exec_argv(["ip", "-o", "monitor", "link"]), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
        time.sleep(0.3)
        d = write_dir("startup:\n"
                      "\tset user admin pw admin\n"
                      f"\tset console self 127.0.0.1 {port}\n"
                      "\tset console open\n"
                      "default:\n"
                      "\tset ippool add P 10.9.0.10 10.9.0.20\n"
                      "\tcreate bundle template B\n"
                      "\tset ipcp ranges 10.9.0.1/32 ippool P\n"
                      "\tcreate link template L pppoe\n"
                      "\tset link action bundle B\n"
                      "\tset pppoe iface veth-k\n"
                      "\tset link enable pap incoming\n"
                      "\tcreate bundle static C\n"
                      "\tcreate link static D pppoe\n"
                      "\tset link action bundle C\n"
                      "\tset pppoe iface veth-k\n"
                      "\topen\n",
                      secret='user1 "pass1"\n')
        r = run(d, "-t", ns=ns)
        time.sleep(0.3)
        mon.send_signal(signal.SIGTERM)
        events = mon.communicate(timeout=5)[0]
        expect(r.returncode == 0, f"good config: exit {r.returncode}\n{r.out}")
        expect("configuration OK" in r.out and "error" not in r.out.lower(), r.out)
        expect(not re.search(r"ppp\d", events), "-t created an interface:\n" + events)
        expect(not os.path.exists(os.path.join(d, "pid")), "-t wrote a PID file")
        expect("listening on" not in r.out, "-t opened PPPoE:\n" + r.out)
        # the same file really starts: it makes the TUN and is refused the console port
        # (proof that the checks above would have seen an opened console and interface)
        p = subprocess.Popen(ns.exec_argv([BINARY, "-d", d, "-p", os.path.join(d, "pid")]),
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True)
        try:
            made = wait_for(lambda: re.search(r"ppp\d", ns.ip("-o", "link", "show").stdout), 5)
        finally:
            p.send_signal(signal.SIGTERM)
            out = p.communicate(timeout=10)[0]
        expect(made, "the real start made no ppp interface:\n" + out)
        expect(re.search(r"mpd\.conf:4: set console open: \S", out), "console port not in use?\n" + out)
    finally:
        for proc in (mon, holder):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
        ns.delete()


def case_startup_label_optional():
    d = write_dir("default:\n\tset global max-children 5\n")
    r = run(d, "-t")
    expect(r.returncode == 0 and "startup" not in r.out, f"exit {r.returncode}\n{r.out}")


def case_missing_files():
    d = write_dir("startup:\n\tset global max-children 5\n")
    r = run(os.path.join(d, "nosuch"))
    expect(r.returncode != 0 and re.search(r"configuration directory .*/nosuch: No such file or directory", r.out),
           f"-d: exit {r.returncode}\n{r.out}")
    r = run(d, "-f", "other.conf")
    expect(r.returncode != 0 and re.search(r"can't read configuration file .*/other\.conf: No such file", r.out),
           f"-f: exit {r.returncode}\n{r.out}")
    r = run(d, "nosuch")
    expect(r.returncode != 0 and re.search(r"label \"nosuch\" not found in .*/mpd\.conf", r.out),
           f"named label: exit {r.returncode}\n{r.out}")
    r = run(d)
    expect(r.returncode != 0 and re.search(r"label \"default\" not found in .*/mpd\.conf", r.out),
           f"default label: exit {r.returncode}\n{r.out}")
    os.mkdir(os.path.join(d, "mpd.secret"))  # exists, can't be read as a file (root reads anything else)
    with open(os.path.join(d, "mpd.conf"), "a") as f:
        f.write("default:\n")
    r = run(d)
    expect(r.returncode != 0 and re.search(r"can't read .*/mpd\.secret: not a regular file", r.out),
           f"mpd.secret: exit {r.returncode}\n{r.out}")
    for what in ("pid",):
        expect(not os.path.exists(os.path.join(d, what)), f"{what} left behind")


def case_small_things():
    d = write_dir("default:\n"
                  "\tcreate link static L1 pppoe\n"
                  "\tcreate link static L2 pppoe\n"
                  "\tset link max-redial 0\n"
                  "\tcreate link static L3 pppoe\n"
                  "\tset link max-redial 5\n")
    r = run(d, "-v")
    expect(r.returncode == 0 and r.stdout.startswith("Version ") and r.stderr == "", f"-v: {r.stdout!r} {r.stderr!r}")
    r = run(d, "--bogus")
    expect(r.returncode == 64 and "unknown option '--bogus'" in r.stderr and "Usage:" in r.stderr, r.stderr)
    r = run(d, "-f")
    expect(r.returncode == 64 and "option '-f' requires an argument" in r.stderr, r.stderr)
    ns = Netns(f"mpdn{os.getpid() % 100000}v")
    try:
        p = subprocess.Popen(ns.exec_argv([BINARY, "-d", d, "-p", os.path.join(d, "pid")]),
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            p.stdin.write("link L1\nshow link\nlink L2\nshow link\nlink L3\nshow link\n")
            p.stdin.flush()
            time.sleep(1.5)
        finally:
            p.send_signal(signal.SIGTERM)
            out = p.communicate(timeout=10)[0]
        got = re.findall(r"Max redial\s*: (.*)", out)
        expect(got == ["no redial", "unlimited", "5 connect attempts"], f"Max redial lines {got}:\n{out}")
    finally:
        ns.delete()


def case_sample_configs_check():
    """Every sample in conf/ passes -t (with the sample mpd.secret)."""
    conf = os.path.join(REPO, "conf")
    for name in sorted(os.listdir(conf)):
        if not name.startswith("mpd.conf."):
            continue
        d = tempfile.mkdtemp(prefix="mpdn-sample-")
        with open(os.path.join(conf, name)) as f, open(os.path.join(d, "mpd.conf"), "w") as g:
            g.write(f.read())
        with open(os.path.join(conf, "mpd.secret")) as f, open(os.path.join(d, "mpd.secret"), "w") as g:
            g.write(f.read())
        links = re.search(r"^# mpd\.links:\n((?:#\t.*\n)+)", open(os.path.join(conf, name)).read(), re.M)
        if links:  # the mpd 4 sample documents its mpd.links in its header
            with open(os.path.join(d, "mpd.links"), "w") as g:
                g.write(re.sub(r"^#\t", "", links.group(1), flags=re.M))
        r = run(d, "-t")
        expect(r.returncode == 0 and "configuration OK" in r.out, f"{name}: exit {r.returncode}\n{r.out}")


if __name__ == "__main__":
    sys.exit(run_cases("config", sys.modules[__name__], test_pppoe))
