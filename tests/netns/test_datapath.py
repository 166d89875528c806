#!/usr/bin/python3
"""The fast user data path (src/dp/) end to end: our server and our client
in two namespaces joined by a veth pair, as in test_pppoe.py.

Usage: test_datapath.py --build-dir build [case ...]
Prints "PASS name" / "FAIL name" per case and "datapath: N passed, N failed".

- large_tcp: 256 MiB each way through one session arrive intact (SHA-256 at
  both ends), and both daemons' `show iface` say super-packets were cut
  (TSO from the kernel) and segments were coalesced (GRO to the kernel).
- small_udp_icmp: small UDP datagrams echoed back byte for byte, pings of
  several sizes, with the fast path on.
- switch_off: `set global disable fast-path` on the client: traffic still
  flows, its counters stay at zero, and the bundle's octet counters move.
- udp_burst: bursts of equal-sized UDP datagrams (each group ending in a
  shorter one) arrive with their sizes and contents intact, and the
  receiving daemon wrote some of them coalesced (USO super-packets).
- large_tcp_no_ring: large_tcp with MPD_PPPOE_RING=0 (recvmmsg instead of
  the TPACKET_V3 receive ring), the path kernels without rings take.
"""

import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "interop", "lib"))

import test_pppoe as tp  # noqa: E402
from test_pppoe import Topo, client_addr, expect, wait_for  # noqa: E402
from netns_common import run_cases  # noqa: E402

MIB = 1 << 20
TOTAL = 256 * MIB
PORT = 5201

# Receiver: accepts one connection, hashes everything, prints "<bytes> <sha256>".
RECV = r"""
import hashlib, socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(1); s.settimeout(60)
c, _ = s.accept(); c.settimeout(60)
h = hashlib.sha256(); n = 0
while True:
    b = c.recv(1 << 20)
    if not b:
        break
    h.update(b); n += len(b)
print(n, h.hexdigest())
"""

# Sender: a random 4 MiB block, each copy with its index stamped in, so a
# misplaced or repeated segment changes the hash.
SEND = r"""
import hashlib, os, socket, sys, time
blk = bytearray(os.urandom(4 << 20)); total = int(sys.argv[3])
for i in range(30):
    try:
        c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=60); break
    except OSError:
        time.sleep(0.2)
h = hashlib.sha256(); sent = 0; i = 0
while sent < total:
    blk[0:8] = i.to_bytes(8, "big"); i += 1
    c.sendall(blk); h.update(blk); sent += len(blk)
c.shutdown(socket.SHUT_WR); c.recv(1); c.close()
print(sent, h.hexdigest())
"""

# UDP echo for the small-packet case; exits after a quiet second.
ECHO = r"""
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((sys.argv[1], int(sys.argv[2])))
s.settimeout(10)
try:
    while True:
        d, a = s.recvfrom(2048); s.sendto(d, a); s.settimeout(1)
except socket.timeout:
    pass
"""

UDPC = r"""
import os, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(1)
ok = 0
for i in range(300):
    d = os.urandom(1 + i % 64)
    s.sendto(d, (sys.argv[1], int(sys.argv[2])))
    try:
        r = s.recv(2048)
        ok += r == d
    except socket.timeout:
        pass
print(ok)
"""

# UDP burst receiver: checks each datagram against its stamped sequence
# number, prints "<good> <bad>" after a quiet second.
UDPR = r"""
import hashlib, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
s.bind((sys.argv[1], int(sys.argv[2]))); s.settimeout(15)
good = bad = 0
try:
    while True:
        d = s.recv(4096); s.settimeout(1)
        i = int.from_bytes(d[:4], "big")
        size = 300 if i % 21 == 20 else 1000
        body = (hashlib.sha256(d[:4]).digest() * 40)[:size - 4]
        if len(d) == size and d[4:] == body:
            good += 1
        else:
            bad += 1
except socket.timeout:
    pass
print(good, bad)
"""

# UDP burst sender: groups of 20 datagrams of 1000 bytes and one of 300,
# sent back to back so the receiving daemon gets runs it can coalesce.
UDPB = r"""
import hashlib, socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(int(sys.argv[3])):
    size = 300 if i % 21 == 20 else 1000
    h = i.to_bytes(4, "big")
    s.sendto(h + (hashlib.sha256(h).digest() * 40)[:size - 4], (sys.argv[1], int(sys.argv[2])))
    if i % 210 == 209:
        time.sleep(0.002)
print(int(sys.argv[3]))
"""


def py(ns, code, *args):
    import subprocess
    return subprocess.Popen(ns.exec_argv(["/usr/bin/python3", "-c", code] + [str(a) for a in args]),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def transfer(src_ns, dst_ns, dst_addr, daemons):
    rx = py(dst_ns, RECV, dst_addr, PORT)
    time.sleep(0.5)
    tx = py(src_ns, SEND, dst_addr, PORT, TOTAL)
    out_tx, err_tx = tx.communicate(timeout=300)
    out_rx, err_rx = rx.communicate(timeout=60)
    expect(tx.returncode == 0 and rx.returncode == 0,
           f"transfer to {dst_addr} failed: sender {err_tx[-800:]} receiver {err_rx[-800:]}", *daemons)
    expect(out_tx.split() == out_rx.split() and int(out_rx.split()[0]) == TOTAL,
           f"transfer to {dst_addr} corrupt: sent {out_tx.strip()} received {out_rx.strip()}", *daemons)


def server_bundle(s):
    out = s.console("show sessions")
    m = re.search(r"\b(B-\d+)\b", out)
    return m.group(1) if m else None


def fast_stats(m, bundle):
    out = m.console(f"bundle {bundle}", "show iface")
    st = {}
    r = re.search(r"Status\s*:\s*(on|off)\s*\n\s*Segmented\s*:\s*(\d+) super-packets into (\d+)", out)
    if r:
        st["on"] = r.group(1) == "on"
        st["gso_pkts"], st["gso_segs"] = int(r.group(2)), int(r.group(3))
    r = re.search(r"Received\s*:\s*(\d+) packets, (\d+) in (\d+) coalesced writes", out)
    if r:
        st["rx"], st["gro_segs"], st["gro_writes"] = map(int, r.groups())
    r = re.search(r"Input octets\s*:\s*(\d+)\s*\n\s*Output octets\s*:\s*(\d+)", out)
    if r:
        st["in_octets"], st["out_octets"] = map(int, r.groups())
    return st, out


def up(t, client_extra=""):
    s = t.server(auth="enable chap-md5")
    c = t.client(extra=client_extra)
    addrs = wait_for(lambda: client_addr(t), 15)
    expect(addrs is not None, "client interface got no address", s, c)
    return s, c, addrs[0]


def case_large_tcp():
    t = Topo("d")
    try:
        s, c, local = up(t)
        transfer(t.cli, t.srv, "10.77.0.1", (s, c))   # client -> server
        transfer(t.srv, t.cli, local, (s, c))         # server -> client
        sb = server_bundle(s)
        expect(sb is not None, "no server bundle in show sessions", s, c)
        for m, b in ((c, "C1"), (s, sb)):
            st, out = fast_stats(m, b)
            expect(st.get("on") is True, f"{b}: fast path not on:\n{out}", s, c)
            # Our sender's stack hands the TUN 64 KiB super-packets: each must have been cut.
            expect(st.get("gso_pkts", 0) > 100 and st["gso_segs"] > 2 * st["gso_pkts"],
                   f"{b}: no TSO super-packets segmented:\n{out}", s, c)
            expect(st.get("gro_writes", 0) > 100 and st["gro_segs"] > 2 * st["gro_writes"],
                   f"{b}: no coalesced writes:\n{out}", s, c)
            expect(st.get("in_octets", 0) > TOTAL and st.get("out_octets", 0) > TOTAL,
                   f"{b}: bundle octet counters did not follow the fast path:\n{out}", s, c)
        link = c.console("link P1", "show link")
        m = re.search(r"Input octets\s*:\s*(\d+)", link) or re.search(r"In octets\s*:\s*(\d+)", link)
        if m:
            expect(int(m.group(1)) > TOTAL, "link input octets did not follow the fast path:\n" + link, s, c)
    finally:
        t.close()


def case_small_udp_icmp():
    t = Topo("u")
    try:
        s, c, local = up(t)
        for size in ("56", "1", "1400", "1464"):
            r = t.cli.run(["ping", "-c", "3", "-i", "0.2", "-W", "2", "-s", size, "10.77.0.1"], timeout=20)
            expect(r.returncode == 0, f"ping -s {size} failed: {r.stdout}", s, c)
        # 1465 bytes of ICMP payload make a 1493-byte packet: over the 1492 MTU, DF set -> refused locally.
        r = t.cli.run(["ping", "-c", "1", "-W", "1", "-M", "do", "-s", "1465", "10.77.0.1"], timeout=10)
        expect(r.returncode != 0, "a packet over the session MTU went through", s, c)
        echo = py(t.srv, ECHO, "10.77.0.1", PORT + 1)
        time.sleep(0.5)
        cl = py(t.cli, UDPC, "10.77.0.1", PORT + 1)
        out, err = cl.communicate(timeout=120)
        echo.communicate(timeout=30)
        expect(cl.returncode == 0 and int(out.strip() or 0) >= 290,
               f"UDP echo: {out.strip()} of 300 came back intact {err[-500:]}", s, c)
        st, o = fast_stats(c, "C1")
        expect(st.get("on") is True and st.get("rx", 0) >= 290, "UDP/ICMP did not take the fast path:\n" + o, s, c)
    finally:
        t.close()


def case_switch_off():
    t = Topo("o")
    try:
        s = t.server(auth="enable chap-md5")
        # Given after the bundle exists: its interface has offloads, but no session binds.
        c = t.client(extra="    set global disable fast-path\n")
        addrs = wait_for(lambda: client_addr(t), 15)
        expect(addrs is not None, "client interface got no address", s, c)
        ok, out = t.cli.ping("10.77.0.1")
        expect(ok, "ping with the fast path off failed: " + out, s, c)
        global TOTAL
        saved, TOTAL = TOTAL, 16 * MIB
        try:
            transfer(t.cli, t.srv, "10.77.0.1", (s, c))
            transfer(t.srv, t.cli, addrs[0], (s, c))
        finally:
            TOTAL = saved
        st, o = fast_stats(c, "C1")
        expect(st.get("on") is False and st.get("gso_pkts") == 0 and st.get("rx", -1) == 0,
               "client fast path not off:\n" + o, s, c)
        expect(st.get("in_octets", 0) > 16 * MIB and st.get("out_octets", 0) > 16 * MIB,
               "client bundle counters without the fast path:\n" + o, s, c)
    finally:
        t.close()


def case_udp_burst():
    t = Topo("b")
    try:
        s, c, local = up(t)
        n = 4200
        rx = py(t.srv, UDPR, "10.77.0.1", PORT + 2)
        time.sleep(0.5)
        tx = py(t.cli, UDPB, "10.77.0.1", PORT + 2, n)
        tx.communicate(timeout=60)
        out, err = rx.communicate(timeout=60)
        expect(rx.returncode == 0, "UDP burst receiver failed: " + err[-800:], s, c)
        good, bad = map(int, out.split())
        # Datagrams may be lost under load, never altered, merged or split.
        expect(bad == 0 and good >= n * 9 // 10, f"UDP burst: {good} intact, {bad} altered of {n}", s, c)
        sb = server_bundle(s)
        expect(sb is not None, "no server bundle in show sessions", s, c)
        st, o = fast_stats(s, sb)
        expect(st.get("gro_writes", 0) > 0 and st["gro_segs"] > st["gro_writes"],
               "no UDP datagrams were coalesced:\n" + o, s, c)
    finally:
        t.close()


def case_large_tcp_no_ring():
    os.environ["MPD_PPPOE_RING"] = "0"
    try:
        case_large_tcp()
    finally:
        del os.environ["MPD_PPPOE_RING"]


if __name__ == "__main__":
    sys.exit(run_cases("datapath", sys.modules[__name__], tp))
