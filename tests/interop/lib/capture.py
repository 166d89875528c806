"""Host-side packet capture with tcpdump, checked afterwards with tshark."""

import os
import signal
import subprocess
import time

# Wireshark's PI_ERROR; anything at or above it is a protocol error.
EXPERT_ERROR = 0x00800000


class Capture:
    def __init__(self, netns, iface, path):
        self.netns = netns
        self.iface = iface
        self.path = path
        self.log = path + ".log"
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                # --immediate-mode: without it frames wait in the
                # kernel ring and those still there at SIGINT are lost.
                netns.exec_argv(["tcpdump", "--immediate-mode", "-i",
                                 iface, "-U", "-n", "-s",
                                 "0", "-w", path]),
                stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                start_new_session=True)
        # tcpdump prints "listening on" once the socket is bound.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and self.proc.poll() is None:
            with open(self.log, "rb") as f:
                if b"listening on" in f.read():
                    break
            time.sleep(0.05)

    def stop(self):
        if self.proc.poll() is None:
            time.sleep(0.3)  # frames just sent may still be on their way
            os.kill(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def frames(self, display_filter, fields):
        """Rows of the fields of frames matching a tshark display filter."""
        self.stop()
        argv = ["tshark", "-n", "-r", self.path, "-Y", display_filter,
                "-T", "fields", "-E", "separator=|"]
        for f in fields:
            argv += ["-e", f]
        r = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        # A typo in a field name must not read as "no such frames".
        if r.returncode != 0:
            raise RuntimeError(f"tshark -Y '{display_filter}': "
                               + r.stderr.strip()[-300:])
        return [line.split("|") for line in r.stdout.splitlines() if line]

    def problems(self, exclude_macs=()):
        """Malformed or expert-error frames, leaving out those sent from
        exclude_macs (the guests': we answer only for our own frames)."""
        flt = f"(_ws.malformed || _ws.expert.severity >= {EXPERT_ERROR})"
        for mac in exclude_macs:
            flt += f" && !(eth.src == {mac})"
        rows = self.frames(flt, ["frame.number", "eth.src", "_ws.col.Protocol",
                                 "_ws.expert.message", "_ws.col.Info"])
        return [" ".join(r) for r in rows]

    def summary(self, limit=80):
        """A one-line-per-frame text of the capture, for failure reports."""
        self.stop()
        r = subprocess.run(["tshark", "-n", "-r", self.path], capture_output=True,
                           text=True, timeout=60)
        lines = r.stdout.splitlines()
        if len(lines) > limit:
            lines = lines[:limit // 2] + ["..."] + lines[-limit // 2:]
        return "\n".join(lines)
