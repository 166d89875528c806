#!/usr/bin/python3
"""A minimal RADIUS accounting server for the accounting tests (RFC 2866):
what FreeRADIUS cannot easily be made to do on cue.

It checks each Accounting-Request's Request Authenticator with the shared
secret (RFC 2866 §3), writes one JSON line per valid request to --log
({"status": 1, "attrs": {"44": ["hex", ...], "26.12341.12": [...]}, ...}),
and answers with an Accounting-Response (Response Authenticator per
RFC 2866 §3 / RFC 2865 §3). With --drop-user STATUS[,STATUS] the answer to
requests of those Acct-Status-Type values carries mpd-drop-user = 1
(26/12341/154). With --silent it logs but never answers (a server that is
up but dead).

Usage: acct_responder.py --port 1813 --secret s --log FILE [--drop-user 1] [--silent]
Runs until killed; prints "ready" once the socket is bound.
"""

import argparse
import hashlib
import json
import socket
import struct
import sys

ACCOUNTING_REQUEST, ACCOUNTING_RESPONSE = 4, 5


def parse_attrs(data):
    """{key: [hex value, ...]}; a VSA's sub-attributes as "26.vendor.type"."""
    attrs = {}
    off = 0
    while off + 2 <= len(data):
        t, ln = data[off], data[off + 1]
        if ln < 2 or off + ln > len(data):
            raise ValueError("bad attribute length")
        val = data[off + 2:off + ln]
        if t == 26 and len(val) >= 6:
            vendor = struct.unpack("!I", val[:4])[0]
            sub = val[4:]
            so = 0
            while so + 2 <= len(sub):
                vt, vl = sub[so], sub[so + 1]
                if vl < 2 or so + vl > len(sub):
                    break
                attrs.setdefault(f"26.{vendor}.{vt}", []).append(sub[so + 2:so + vl].hex())
                so += vl
        else:
            attrs.setdefault(str(t), []).append(val.hex())
        off += ln
    return attrs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--addr", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=1813)
    ap.add_argument("--secret", default="testing123")
    ap.add_argument("--log", required=True)
    ap.add_argument("--drop-user", default="")
    ap.add_argument("--silent", action="store_true")
    a = ap.parse_args()
    secret = a.secret.encode()
    drop = {int(x) for x in a.drop_user.split(",") if x}
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a.addr, a.port))
    print("ready", flush=True)
    while True:
        pkt, peer = s.recvfrom(4096)
        if len(pkt) < 20:
            continue
        code, ident, length = struct.unpack("!BBH", pkt[:4])
        if code != ACCOUNTING_REQUEST or length < 20 or length > len(pkt):
            continue
        pkt = pkt[:length]
        want = hashlib.md5(pkt[:4] + b"\0" * 16 + pkt[20:] + secret).digest()
        if want != pkt[4:20]:
            with open(a.log, "a") as f:
                f.write(json.dumps({"bad_authenticator": True}) + "\n")
            continue
        try:
            attrs = parse_attrs(pkt[20:])
        except ValueError:
            continue
        status = int(attrs.get("40", ["00000000"])[0], 16)
        with open(a.log, "a") as f:
            f.write(json.dumps({"status": status, "id": ident, "attrs": attrs}) + "\n")
        if a.silent:
            continue
        body = b""
        if status in drop:
            sub = struct.pack("!BBI", 154, 6, 1)
            body = struct.pack("!BBI", 26, 6 + len(sub), 12341) + sub
        hdr = struct.pack("!BBH", ACCOUNTING_RESPONSE, ident, 20 + len(body))
        auth = hashlib.md5(hdr + pkt[4:20] + body + secret).digest()
        s.sendto(hdr + auth + body, peer)


if __name__ == "__main__":
    sys.exit(main())
