#!/usr/bin/python3
"""Run commands on mpd5's telnet console and print their output.

Usage: console_client.py HOST PORT USER PASSWORD COMMAND...
Run inside the daemon's namespace (ip netns exec). Telnet negotiation is
refused by ignoring it; output of each command is what arrives before the
next prompt ("[<ctx>] ").
"""

import re
import socket
import sys
import time

IAC = 255
PROMPT = re.compile(rb"\[[^\]\r\n]*\] $")


def strip_iac(data):
    out, i = bytearray(), 0
    while i < len(data):
        b = data[i]
        if b == IAC and i + 1 < len(data):
            cmd = data[i + 1]
            if cmd == IAC:
                out.append(IAC)
                i += 2
            elif cmd == 250:  # SB ... IAC SE
                end = data.find(bytes([IAC, 240]), i)
                i = len(data) if end < 0 else end + 2
            elif 251 <= cmd <= 254:
                i += 3
            else:
                i += 2
        else:
            out.append(b)
            i += 1
    return bytes(out)


class Console:
    def __init__(self, host, port, timeout=10):
        self.s = socket.create_connection((host, port), timeout=timeout)
        self.buf = b""
        self.timeout = timeout

    def until(self, pred):
        deadline = time.monotonic() + self.timeout
        while not pred(self.buf):
            if time.monotonic() > deadline:
                raise TimeoutError("console: no expected output; got "
                                   + repr(self.buf[-200:]))
            chunk = self.s.recv(4096)
            if not chunk:
                raise EOFError("console closed; got " + repr(self.buf[-200:]))
            self.buf += strip_iac(chunk)

    def login(self, user, password):
        self.until(lambda b: b"Username:" in b or PROMPT.search(b))
        if b"Username:" in self.buf:
            self.buf = b""
            self.s.sendall(user.encode() + b"\r\n")
            self.until(lambda b: b"Password:" in b)
            self.buf = b""
            self.s.sendall(password.encode() + b"\r\n")
            self.until(lambda b: PROMPT.search(b) or b"Login failed" in b)
            if b"Login failed" in self.buf:
                raise PermissionError("console login failed")
        self.buf = b""

    def command(self, line):
        self.s.sendall(line.encode() + b"\r\n")
        self.until(lambda b: PROMPT.search(b))
        out = PROMPT.sub(b"", self.buf).decode(errors="replace")
        self.buf = b""
        # The daemon echoes the line; drop that echo.
        lines = out.replace("\r", "").split("\n")
        if lines and lines[0].strip() == line.strip():
            lines = lines[1:]
        return "\n".join(lines)


def main():
    if len(sys.argv) < 6:
        print(__doc__, file=sys.stderr)
        return 2
    host, port, user, pw = sys.argv[1:5]
    try:
        c = Console(host, int(port))
        c.login(user, pw)
        for cmd in sys.argv[5:]:
            sys.stdout.write(c.command(cmd))
            sys.stdout.write("\n")
        c.s.sendall(b"exit\r\n")
    except (OSError, TimeoutError, EOFError, PermissionError) as e:
        print(f"console error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
