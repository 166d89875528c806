"""Just enough of the pcap format to look at PPPoE frames byte by byte,
for what tshark's fields do not say plainly (compressed PPP headers)."""

import struct

ETH_PPPOE_DISC = 0x8863
ETH_PPPOE_SESS = 0x8864


def frames(path):
    """(timestamp, bytes) of every frame in a classic pcap file."""
    out = []
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return out
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    nano = magic in (0xa1b23c4d, 0x4d3cb2a1)
    off = 24
    while off + 16 <= len(data):
        sec, frac, caplen, _ = struct.unpack(endian + "IIII",
                                             data[off:off + 16])
        off += 16
        if off + caplen > len(data):
            break
        out.append((sec + frac / (1e9 if nano else 1e6),
                    data[off:off + caplen]))
        off += caplen
    return out


def mac_str(b):
    return ":".join(f"{x:02x}" for x in b)


class PppFrame:
    """A PPPoE session frame: who sent it and the PPP bytes it carries."""

    def __init__(self, ts, raw):
        self.ts = ts
        self.dst = mac_str(raw[0:6])
        self.src = mac_str(raw[6:12])
        self.session = struct.unpack("!H", raw[16:18])[0]
        length = struct.unpack("!H", raw[18:20])[0]
        self.ppp = raw[20:20 + length]
        self.acfc_absent = self.ppp[:2] != b"\xff\x03"
        p = self.ppp if self.acfc_absent else self.ppp[2:]
        # RFC 1661: a protocol field's first octet is even, the last odd.
        self.pfc = len(p) > 0 and (p[0] & 1) == 1
        if self.pfc:
            self.proto, self.info = p[0], p[1:]
        else:
            self.proto = struct.unpack("!H", p[:2])[0] if len(p) >= 2 else 0
            self.info = p[2:]


def ppp_frames(path):
    out = []
    for ts, raw in frames(path):
        if len(raw) >= 20 and struct.unpack("!H", raw[12:14])[0] == \
                ETH_PPPOE_SESS:
            out.append(PppFrame(ts, raw))
    return out


def lcp_packets(path):
    """(frame, code, id, data) of every LCP packet in PPPoE sessions."""
    out = []
    for fr in ppp_frames(path):
        if fr.proto == 0xc021 and len(fr.info) >= 4:
            out.append((fr, fr.info[0], fr.info[1], fr.info[4:]))
    return out


def lcp_options(data):
    """[(type, value)] of a Configure-* packet's options, None if garbled."""
    opts, i = [], 0
    while i < len(data):
        if i + 2 > len(data) or data[i + 1] < 2 or i + data[i + 1] > \
                len(data):
            return None
        opts.append((data[i], data[i + 2:i + data[i + 1]]))
        i += data[i + 1]
    return opts
