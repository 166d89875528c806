#!/usr/bin/env python3
"""The consoles of the real mpd5 binary: config-driven `set console`,
telnet login, privileges, log copying, the stdin console on a pipe and on
/dev/null, IPv6 and `disable auth` from a session-less config context.

Usage: test_console_daemon.py path/to/mpd5
Loopback only, so no namespace is needed; ports are picked free.
"""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

MPD = None
IAC_NEG = bytes([255, 251, 3, 255, 253, 3, 255, 251, 1, 255, 253, 1])


def free_port(family=socket.AF_INET, addr="127.0.0.1"):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.bind((addr, 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Telnet:
    def __init__(self, addr, port, family=socket.AF_INET):
        deadline = time.time() + 5
        while True:
            try:
                self.s = socket.socket(family, socket.SOCK_STREAM)
                self.s.connect((addr, port))
                break
            except OSError:
                self.s.close()
                if time.time() > deadline:
                    raise
                time.sleep(0.05)
        self.buf = b""

    def expect(self, needle, timeout=5):
        if isinstance(needle, str):
            needle = needle.encode()
        deadline = time.time() + timeout
        while needle not in self.buf:
            left = deadline - time.time()
            if left <= 0:
                raise AssertionError("expected %r, have %r" % (needle, self.buf[-400:]))
            self.s.settimeout(left)
            try:
                d = self.s.recv(4096)
            except socket.timeout:
                continue
            if not d:
                raise AssertionError("EOF while expecting %r, have %r" % (needle, self.buf[-400:]))
            self.buf += d
        i = self.buf.index(needle) + len(needle)
        seen, self.buf = self.buf[:i], self.buf[i:]
        return seen

    def expect_eof(self, timeout=5):
        self.s.settimeout(timeout)
        while True:
            d = self.s.recv(4096)
            if not d:
                return
            self.buf += d

    def send(self, text):
        self.s.sendall(text.encode() if isinstance(text, str) else text)

    def close(self):
        self.s.close()


def start(conf, stdin=subprocess.PIPE):
    d = tempfile.mkdtemp(prefix="mpd5-console-")
    with open(os.path.join(d, "mpd.conf"), "w") as f:
        # a missing "default" label stops startup (issue 11); these tests need only startup
        f.write(conf + "default:\n")
    p = subprocess.Popen([MPD, "-d", d, "-p", os.path.join(d, "mpd.pid")], stdin=stdin,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p


def stop(p):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
    try:
        out, err = p.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        raise AssertionError("mpd5 did not stop on SIGTERM")
    return p.returncode, out.decode(errors="replace"), err.decode(errors="replace")


def login(port, user, password):
    t = Telnet("127.0.0.1", port)
    t.expect("Username: ")
    t.send(user + "\r\n")
    t.expect("Password: ")
    t.send(password + "\r\n")
    t.expect("[] ")
    return t


def case_telnet_and_stdin():
    port = free_port()
    p = start("startup:\n"
              "\tset user admin secret admin\n"
              "\tset user joe j\n"
              "\tset console self 127.0.0.1 %d\n"
              "\tset console open\n" % port)
    try:
        t = Telnet("127.0.0.1", port)
        first = t.expect("Username: ")
        assert first.startswith(IAC_NEG), first[:20]
        t.send("admin\r\nwrong\r\n")
        t.expect("Login failed\r\nUsername: ")
        t.send("admin\r\nsecret\r\n")
        t.expect("[] ")
        t.send("set console enable logging\r\n")
        t.expect("[] ")
        t.send("show console\r\n")
        seen = t.expect("[] ").decode()
        assert "OPENED" in seen and "admin" in seen and "stdin" in seen, seen

        # A user-level session cannot close the listener but can log.
        j = login(port, "joe", "j")
        j.send("set console close\r\n")
        j.expect("Unknown command")
        j.send("show console\r\n")
        j.expect("OPENED")
        j.expect("[] ")

        # The stdin console: a command there is logged to the telnet session.
        p.stdin.write(b"show console\n")
        p.stdin.flush()
        t.expect("root@stdin: show console")
        # End of stdin stops that console only.
        p.stdin.close()
        p.stdin = None
        time.sleep(0.3)
        assert p.poll() is None, "daemon died at end of stdin"
        j.send("show console\r\n")
        seen = j.expect("[] ").decode()
        assert "stdin" not in seen, seen
        j.send("exit\r\n")
        j.expect_eof()
        t.send("set console close\r\n")
        t.expect("[] ")
        c = socket.socket()
        assert c.connect_ex(("127.0.0.1", port)) != 0, "listener still open"
        c.close()
        t.send("show console\r\n")  # the session survives the listener
        t.expect("CLOSED")
        t.expect("[] ")
        t.close()
    finally:
        rc, out, err = stop(p)
    assert rc == 0, (rc, err)
    assert "Console:" in out and "OPENED" in out, out
    assert 'user "admin" logged in' in err and "login as \"admin\"" in err, err


def case_ipv6_noauth_devnull():
    try:
        port = free_port(socket.AF_INET6, "::1")
    except OSError:
        print("no IPv6 loopback: skipped")
        return
    with open(os.devnull, "rb") as null:
        p = start("startup:\n"
                  "\tset console disable auth\n"
                  "\tset console self ::1 %d\n"
                  "\tset console open\n" % port, stdin=null)
        try:
            t = Telnet("::1", port, socket.AF_INET6)
            t.expect("[] ")
            assert b"Username" not in t.buf
            t.send("show console\r\n")
            seen = t.expect("[] ").decode()
            assert "root" in seen and "::1" in seen, seen
            assert p.poll() is None
            t.send("exit\r\n")
            t.expect_eof()
        finally:
            rc, out, err = stop(p)
    assert rc == 0, (rc, err)


def main():
    global MPD
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    MPD = os.path.abspath(sys.argv[1])
    for case in (case_telnet_and_stdin, case_ipv6_noauth_devnull):
        case()
        print("ok", case.__name__)
    return 0


if __name__ == "__main__":
    sys.exit(main())
