"""The real peers in a guest: pppd over the rp-pppoe plugin as a client,
rp-pppoe's pppoe-server (with pppd behind it) as a server."""

import re
import time

PPPD_LOG = "/tmp/pppd.log"
SERVER_LOG = "/tmp/pppoe-server.log"


def pppd_client(ctx, g, user, password, options=(), iface="eth0",
                log=PPPD_LOG):
    """Start pppd as a PPPoE client; its PID. Its debug log goes in the
    failure report."""
    opts = ["plugin", "rp-pppoe.so", iface, "user", user, "password",
            password, "noauth", "nodetach", "debug", "logfile", log,
            "noipdefault", "usepeerdns", "maxfail", "1",
            "lcp-echo-interval", "0"] + list(options)
    ctx.peer_log(g, log, f"peer: pppd client debug log (guest {g.name})")
    return g.spawn("pppd " + " ".join(_quote(o) for o in opts),
                   log + ".out")


def pppoe_server(ctx, g, pppd_options, secrets, local="10.88.0.1",
                 remote="10.88.0.100", service=None, acname=None,
                 iface="eth0"):
    """Start pppoe-server with pppd options; its PID. (Debian builds it
    without kernel-mode PPPoE: sessions run through a pty.)
    service: one Service-Name or a list of them."""
    g.write_file("/etc/ppp/pppoe-server-options",
                 "\n".join(["debug", f"logfile {PPPD_LOG}",
                            "lcp-echo-interval 0"] + list(pppd_options))
                 + "\n", "644")
    _write_secrets(g, secrets)
    argv = ["pppoe-server", "-F", "-I", iface, "-L", local,
            "-R", remote, "-N", "4"]
    for svc in ([service] if isinstance(service, str) else service or []):
        argv += ["-S", svc]
    if acname:
        argv += ["-C", acname]
    ctx.peer_log(g, PPPD_LOG, f"peer: pppd debug log behind pppoe-server "
                 f"(guest {g.name})")
    ctx.peer_log(g, SERVER_LOG, f"peer: pppoe-server output "
                 f"(guest {g.name})")
    return g.spawn(" ".join(_quote(a) for a in argv), SERVER_LOG)


def _write_secrets(g, secrets):
    """secrets: [(user, password)], for both PAP and CHAP."""
    text = "".join(f'"{u}" * "{p}" *\n' for u, p in secrets)
    g.write_file("/etc/ppp/pap-secrets", text)
    g.write_file("/etc/ppp/chap-secrets", text)


def _quote(s):
    if re.fullmatch(r"[A-Za-z0-9_./:=,@+-]+", s):
        return s
    return "'" + s.replace("'", "'\\''") + "'"


def ppp_addr(g, ifname="ppp0"):
    """(local, peer) IPv4 of a guest ppp interface once it is up, or None."""
    rc, out = g.run(f"ip -4 -o addr show dev {ifname} 2>/dev/null")
    m = re.search(r"inet (\S+) peer (\S+?)(/\d+)?\s", out)
    return (m.group(1), m.group(2)) if m else None


def wait_ppp_up(ctx, g, ifname="ppp0", timeout=40):
    return ctx.wait_for(lambda: ppp_addr(g, ifname), timeout=timeout)


def guest_alive(g, pid):
    rc, _ = g.run(f"kill -0 {pid}")
    return rc == 0


def wait_guest_exit(ctx, g, pid, timeout=20):
    return ctx.wait_for(lambda: not guest_alive(g, pid), timeout=timeout)


def log_has(g, pattern, path=PPPD_LOG):
    return re.search(pattern, g.read_file(path)) is not None


def wait_log(ctx, g, pattern, path=PPPD_LOG, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        m = re.search(pattern, g.read_file(path))
        if m:
            return m
        time.sleep(0.5)
    return None
