"""Checks on the LCP exchange in a capture, from the point of view of one
side ("ours", by MAC). Each returns a list of problems (empty = fine)."""

import pcap

CONF_REQ, CONF_ACK, ECHO_REQ, ECHO_REP = 1, 2, 9, 10


def _split(path, mac):
    lcp = pcap.lcp_packets(path)
    return ([p for p in lcp if p[0].src == mac],
            [p for p in lcp if p[0].src != mac])


def mru(path, mac, peer_mru):
    big = [f for f in pcap.ppp_frames(path)
           if f.src == mac and len(f.info) > peer_mru]
    if not big:
        return []
    return [f"{mac} sent {len(big)} PPP frames over the peer's MRU "
            f"{peer_mru} (largest {max(len(f.info) for f in big)})"]


def compression(path, mac):
    """PFC only after the peer acked it; never address/control on PPPoE
    (RFC 2516 section 7)."""
    ours, theirs = _split(path, mac)
    acked = [pcap.lcp_options(d) or [] for _, code, _, d in theirs
             if code == CONF_ACK]
    pfc_ok = any(t == 7 for opts in acked for t, _ in opts)
    frames = [f for f in pcap.ppp_frames(path) if f.src == mac]
    out = []
    if not all(f.acfc_absent for f in frames):
        out.append(f"{mac} sent PPP frames with address/control (ff 03)")
    if not pfc_ok and any(f.pfc for f in frames):
        out.append(f"{mac} compressed the protocol field without an ack")
    return out


def requested_options(path, mac):
    """Option types of each Configure-Request `mac` sent (None = garbled)."""
    ours, _ = _split(path, mac)
    return [None if pcap.lcp_options(d) is None else
            [t for t, _ in pcap.lcp_options(d)]
            for _, code, _, d in ours if code == CONF_REQ]


def magic_numbers(path):
    magic = {}
    for f, code, _, d in pcap.lcp_packets(path):
        if code == CONF_REQ:
            for t, v in pcap.lcp_options(d) or []:
                if t == 5 and len(v) == 4:
                    magic[f.src] = v
    return magic


def echo(path, mac, least=3):
    """Both sides answered >= least Echo-Requests of the other; echo data
    starts with the sender's negotiated magic number (RFC 1661 5.8)."""
    ours, theirs = _split(path, mac)
    magic = magic_numbers(path)
    out = []
    if mac not in magic:
        out.append(f"{mac} sent no magic number")
    elif len(set(magic.values())) != len(magic):
        out.append("both sides use the same magic number")

    def answered(reqs, reps):
        ids = {i for _, code, i, _ in reps if code == ECHO_REP}
        return [i for _, code, i, _ in reqs if code == ECHO_REQ and i in ids]

    n_peer = sum(1 for p in theirs if p[1] == ECHO_REQ)
    n_ours = sum(1 for p in ours if p[1] == ECHO_REQ)
    a = answered(theirs, ours)
    if len(a) < least:
        out.append(f"{mac} answered {len(a)} of {n_peer} Echo-Requests")
    b = answered(ours, theirs)
    if len(b) < least:
        out.append(f"the peer answered {len(b)} of {n_ours} Echo-Requests "
                   f"from {mac}")
    if mac in magic:
        wrong = [d[:4].hex() for _, code, _, d in ours
                 if code in (ECHO_REQ, ECHO_REP) and d[:4] != magic[mac]]
        if wrong:
            out.append(f"{mac}'s echo packets carry magic {wrong[:3]}, "
                       f"negotiated {magic[mac].hex()}")
    return out
