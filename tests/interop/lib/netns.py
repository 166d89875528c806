"""Network namespaces, TAPs and bridges a case creates, and their cleanup.

Every name starts with the case's unique prefix (mpdi + 6 hex digits), so
nothing outside what this run created is ever touched.
"""

import subprocess


def sh(argv, check=True, timeout=30):
    r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)}: {r.stderr.strip()}")
    return r


class Netns:
    def __init__(self, name):
        self.name = name
        sh(["ip", "netns", "add", name])
        self.ip("link", "set", "lo", "up")

    def ip(self, *args, check=True):
        return sh(["ip", "-n", self.name] + list(args), check=check)

    def exec_argv(self, argv):
        return ["ip", "netns", "exec", self.name] + list(argv)

    def run(self, argv, check=False, timeout=30):
        return sh(self.exec_argv(argv), check=check, timeout=timeout)

    def add_tap(self, tap, addr=None, bridge=None, mtu=None):
        """A TAP for a guest NIC; qemu attaches to it by name."""
        self.ip("tuntap", "add", "dev", tap, "mode", "tap")
        if mtu:
            self.ip("link", "set", tap, "mtu", str(mtu))
        if bridge:
            self.ip("link", "set", tap, "master", bridge)
        if addr:
            self.ip("addr", "add", addr, "dev", tap)
        self.ip("link", "set", tap, "up")

    def add_bridge(self, br, addr=None):
        self.ip("link", "add", br, "type", "bridge")
        if addr:
            self.ip("addr", "add", addr, "dev", br)
        self.ip("link", "set", br, "up")

    def mac(self, dev):
        r = self.ip("-o", "link", "show", dev)
        parts = r.stdout.split()
        return parts[parts.index("link/ether") + 1]

    def ping(self, addr, count=3, timeout=10):
        r = self.run(["ping", "-c", str(count), "-i", "0.3", "-W", "2",
                      "-w", str(timeout), addr], timeout=timeout + 5)
        return r.returncode == 0, r.stdout + r.stderr

    def delete(self):
        # Deleting the namespace deletes the TAPs and bridges inside it.
        sh(["ip", "netns", "delete", self.name], check=False)
