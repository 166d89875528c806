"""A qemu guest running Debian's kernel and Linux's PPP tools.

The guest's NIC is a TAP device that must already exist in the network
namespace given (qemu is started inside it, so the TAP never leaves it).
Commands run through a virtio-serial agent (guest/agent); a second serial
port is a host pty kept open for serial-line cases.
"""

import base64
import os
import re
import signal
import socket
import subprocess
import threading
import time


class GuestError(Exception):
    pass


class Guest:
    def __init__(self, image_dir, workdir, name, netns=None, tap=None,
                 ip=None, mac=None, mem=256):
        self.image_dir = image_dir
        self.dir = os.path.join(workdir, "guest-" + name)
        self.name = name
        self.netns = netns
        self.tap = tap
        self.ip = ip
        self.mac = mac
        self.mem = mem
        self.proc = None
        self.sock = None
        self.rbuf = b""
        self.seq = 0
        self.lock = threading.Lock()
        self.pty_path = None
        self.pty_fd = None
        self.boot_seconds = None
        os.makedirs(self.dir, exist_ok=True)
        self.agent_path = os.path.join(self.dir, "agent.sock")
        self.console_log = os.path.join(self.dir, "console.log")
        self.qemu_log = os.path.join(self.dir, "qemu.log")

    def _argv(self):
        append = "console=ttyS0 panic=-1 loglevel=4 random.trust_cpu=on"
        append += f" mpdi.host={self.name}"
        if self.ip:
            append += f" mpdi.ip={self.ip}"
        argv = ["qemu-system-x86_64", "-accel", "tcg", "-cpu", "max",
                "-m", str(self.mem), "-nographic", "-no-reboot",
                "-monitor", "none", "-nodefaults",
                "-kernel", os.path.join(self.image_dir, "vmlinux"),
                "-initrd", os.path.join(self.image_dir, "initramfs.cpio"),
                "-append", append,
                "-serial", "file:" + self.console_log,
                "-serial", "pty",
                "-device", "virtio-serial-pci",
                "-chardev", "socket,id=agent,server=on,wait=off,path="
                + self.agent_path,
                "-device", "virtserialport,chardev=agent,name=agent",
                "-device", "virtio-rng-pci"]
        if self.tap:
            nic = "virtio-net-pci,netdev=n0,romfile="
            if self.mac:
                nic += ",mac=" + self.mac
            argv += ["-netdev", f"tap,id=n0,ifname={self.tap},"
                     "script=no,downscript=no,vhost=off", "-device", nic]
        if self.netns:
            argv = ["ip", "netns", "exec", self.netns] + argv
        return argv

    def start(self):
        """Start qemu; returns at once (see wait_ready)."""
        self.t0 = time.monotonic()
        log = open(self.qemu_log, "wb")
        # ip netns exec execs qemu, so this PID is qemu's own.
        self.proc = subprocess.Popen(self._argv(), stdin=subprocess.DEVNULL,
                                     stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        log.close()

    def _open_pty(self, deadline):
        while time.monotonic() < deadline:
            with open(self.qemu_log, "rb") as f:
                m = re.search(rb"char device redirected to (/dev/pts/\d+)",
                              f.read())
            if m:
                self.pty_path = m.group(1).decode()
                # qemu drops serial output while nobody holds the pty open.
                self.pty_fd = os.open(self.pty_path,
                                      os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
                return
            self._check_alive()
            time.sleep(0.05)
        raise GuestError("qemu did not report its pty")

    def _check_alive(self):
        if self.proc.poll() is not None:
            raise GuestError(f"qemu exited with {self.proc.returncode}: "
                             + self.tail(self.qemu_log))

    def wait_ready(self, timeout=90):
        """Wait for the agent to answer; returns the boot time in seconds."""
        deadline = time.monotonic() + timeout
        self._open_pty(deadline)
        while self.sock is None:
            self._check_alive()
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.agent_path)
                self.sock = s
            except OSError:
                s.close()
                if time.monotonic() > deadline:
                    raise GuestError("agent socket never appeared")
                time.sleep(0.1)
        while True:
            self._check_alive()
            # Requests sent before the agent opened its port may be lost or
            # answered late; stale answers are skipped by their id.
            try:
                rc, out = self.run("echo ready", timeout=2, poll=1.0)
                if rc == 0 and out.strip() == "ready":
                    break
            except GuestError:
                pass
            if time.monotonic() > deadline:
                raise GuestError("agent did not answer: "
                                 + self.tail(self.console_log))
        self.boot_seconds = time.monotonic() - self.t0
        return self.boot_seconds

    def run(self, script, timeout=30, poll=None, check=False):
        """Run a dash script in the guest; returns (status, output)."""
        with self.lock:
            self.seq += 1
            rid = f"{self.seq}"
            b64 = base64.b64encode(script.encode()).decode()
            self.sock.sendall(f"{rid} {int(timeout)} {b64}\n".encode())
            wait = poll if poll is not None else timeout + 10
            rc, out = self._read_reply(rid, time.monotonic() + wait)
        if check and rc != 0:
            raise GuestError(f"guest {self.name}: `{script}` exited {rc}:\n"
                             + out)
        return rc, out

    def _read_reply(self, rid, deadline):
        while True:
            m = re.search(rb"BEGIN (\S+)\n(.*?)END (\S+) (\d+)\n", self.rbuf,
                          re.S)
            if m:
                self.rbuf = self.rbuf[m.end():]
                if m.group(1).decode() == rid:
                    data = base64.b64decode(m.group(2).replace(b"\n", b""))
                    return int(m.group(4)), data.decode(errors="replace")
                continue
            left = deadline - time.monotonic()
            if left <= 0:
                raise GuestError(f"guest {self.name}: no answer to #{rid}")
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                raise GuestError(f"guest {self.name}: agent socket closed")
            self.rbuf += chunk

    def read_file(self, path):
        rc, out = self.run(f"cat '{path}'")
        return out if rc == 0 else ""

    def write_file(self, path, text, mode="600"):
        b64 = base64.b64encode(text.encode()).decode()
        self.run(f"echo '{b64}' | base64 -d > '{path}' && chmod {mode} "
                 f"'{path}'", check=True)

    def spawn(self, cmdline, log):
        """Start a long-running guest program in the background; its PID."""
        rc, out = self.run(f"{cmdline} >'{log}' 2>&1 </dev/null & echo $!",
                           check=True)
        return int(out.strip().splitlines()[-1])

    def stop(self):
        """Power off cleanly if the agent answers, else kill qemu by PID."""
        if self.proc is None:
            return
        if self.proc.poll() is None and self.sock is not None:
            try:
                self.sock.sendall(b"0 2 " + base64.b64encode(b"poweroff -f")
                                  + b"\n")
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                pass
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if self.proc.poll() is not None:
                break
            try:
                os.kill(self.proc.pid, sig)
                self.proc.wait(timeout=5)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        if self.sock:
            self.sock.close()
            self.sock = None
        if self.pty_fd is not None:
            os.close(self.pty_fd)
            self.pty_fd = None

    @staticmethod
    def tail(path, n=30):
        try:
            with open(path, "rb") as f:
                lines = f.read().decode(errors="replace").splitlines()
            return "\n".join(lines[-n:])
        except OSError:
            return ""
