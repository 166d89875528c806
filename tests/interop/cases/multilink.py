"""Multilink (RFC 1990) against Linux's pppd: two pppd processes in the guest
(rp-pppoe plugin, `multilink`) form one bundle with our PPPoE server. The
guest kernel's ppp_generic does the MP fragmenting and reassembly on its
side. Both PPPoE sessions run over the guest's one NIC (distinct session
ids), which is all RFC 1990 needs: the links are joined by endpoint
discriminator and auth name, not by wire."""

import re

from case import case
import peers
from setups import OUR_IP, PEER_IP, USER, PASSWORD
import setups

PPPD_LOG2 = "/tmp/pppd2.log"


def _bundle_text(s):
    out = s.m.console("show summary")
    names = re.findall(r"\b(B-\d+)\b", out)
    return s.m.console(f"bundle {names[0]}", "show bundle") if names else ""


def _member_links(text):
    m = re.search(r"Links\s*:\s*(.*)", text)
    return re.findall(r"(\S+?)\[", m.group(1)) if m else []


@case(mpd=True)
def multilink_pppd_two_links(ctx):
    s = setups.Setup(ctx)
    conf = f"""
        default:
            create bundle template B
            set ipcp ranges {OUR_IP}/32 {PEER_IP}/32
            set iface mtu 2000
            create link template L pppoe
            set link action bundle B
            set pppoe iface {s.tap}
            set pppoe service "*"
            set link enable pap
            set link enable multilink
            set link mrru 2000
            set link enable incoming
        """
    s.m = ctx.mpd(s.ns, conf, f'{USER} "{PASSWORD}"\n')
    # pppd keeps its bundle table (tdb) under /var/run
    s.g.run("mkdir -p /var/run")
    mp_opts = ["multilink", "mrru", "2000", "mru", "1492"]
    s.pppd = peers.pppd_client(ctx, s.g, USER, PASSWORD, mp_opts)
    up = peers.wait_ppp_up(ctx, s.g)
    ctx.expect(up == (PEER_IP, OUR_IP), f"guest ppp0 addresses {up}, want {(PEER_IP, OUR_IP)}")
    ctx.expect(peers.log_has(s.g, r"New bundle ppp0 created"), "pppd did not create a multilink bundle")
    pid2 = peers.pppd_client(ctx, s.g, USER, PASSWORD, mp_opts, log=PPPD_LOG2)
    joined = peers.wait_log(ctx, s.g, r"Link attached to ppp0", PPPD_LOG2, 40)
    ctx.expect(joined, "the second pppd did not join the first one's bundle")
    two = ctx.wait_for(lambda: len(_member_links(_bundle_text(s))) == 2, 20)
    text = _bundle_text(s)
    ctx.expect(two, "our bundle does not list 2 links:\n" + text)
    ctx.expect(re.search(r"Status\s*:\s*Active", text), "multilink not active in show bundle:\n" + text)
    ctx.expect(re.search(r"Peer MRRU\s*:\s*2000", text), "pppd's MRRU 2000 not in show bundle:\n" + text)
    rc, out = s.g.run("ip -o link show ppp1 2>&1")
    ctx.expect(rc != 0, "the second pppd made its own interface instead of joining:\n" + out)
    setups.ping_both_ways(ctx, s, OUR_IP, PEER_IP)
    # Larger than either PPPoE link carries (1492) but below both MRRUs: MP splits it both ways.
    r = s.ns.run(["ping", "-c", "3", "-i", "0.3", "-W", "2", "-s", "1700", "-M", "do", PEER_IP])
    ctx.expect(r.returncode == 0, "1728-byte ping from us over the bundle failed:\n" + r.stdout + r.stderr)
    rc, out = s.g.run(f"ping -c 3 -i 0.3 -W 2 -s 1700 {OUR_IP}")
    ctx.expect(rc == 0, f"1728-byte ping from the guest over the bundle failed:\n{out}")
    text = _bundle_text(s)
    m = re.search(r"Packets in\s*:\s*(\d+) in (\d+) fragments", text)
    ctx.expect(m and int(m.group(2)) > int(m.group(1)),
               "we reassembled nothing from pppd's fragments:\n" + text)
    per = re.findall(r"Slot \d+\s+(\S+)\s*: fragments out (\d+) .* in (\d+)", text)
    ctx.expect(len(per) == 2 and all(int(o) > 0 for _, o, _ in per),
               "a member link carried no fragments from us:\n" + text)
    # One pppd hangs up: its link leaves, the bundle stays and carries traffic.
    s.g.run(f"kill {pid2}")
    ctx.expect(peers.wait_guest_exit(ctx, s.g, pid2), "the second pppd did not exit")
    ctx.expect(ctx.wait_for(lambda: len(_member_links(_bundle_text(s))) == 1, 15),
               "our bundle still lists 2 links after one pppd hung up:\n" + _bundle_text(s))
    setups.ping_both_ways(ctx, s, OUR_IP, PEER_IP)


@case(mpd=True)
def multilink_pppd_shortseq(ctx):
    """pppd `mpshortseq` asks for 12-bit headers toward it; we do not ask for them toward us
    (`disable shortseq`, still accepted): each side must send the format the other asked for."""
    s = setups.Setup(ctx)
    conf = f"""
        default:
            create bundle template B
            set ipcp ranges {OUR_IP}/32 {PEER_IP}/32
            set iface mtu 2000
            create link template L pppoe
            set link action bundle B
            set pppoe iface {s.tap}
            set pppoe service "*"
            set link enable pap
            set link enable multilink
            set link disable shortseq
            set link mrru 2000
            set link enable incoming
        """
    s.m = ctx.mpd(s.ns, conf, f'{USER} "{PASSWORD}"\n')
    s.g.run("mkdir -p /var/run")
    s.pppd = peers.pppd_client(ctx, s.g, USER, PASSWORD, ["multilink", "mpshortseq", "mrru", "2000"])
    up = peers.wait_ppp_up(ctx, s.g)
    ctx.expect(up == (PEER_IP, OUR_IP), f"guest ppp0 addresses {up}, want {(PEER_IP, OUR_IP)}")
    text = _bundle_text(s)
    ctx.expect(re.search(r"Self SHORTSEQ\s*:\s*no", text) and re.search(r"Peer SHORTSEQ\s*:\s*yes", text),
               "want 24-bit headers toward us and 12-bit toward pppd:\n" + text)
    r = s.ns.run(["ping", "-c", "3", "-i", "0.3", "-W", "2", "-s", "1700", "-M", "do", PEER_IP])
    ctx.expect(r.returncode == 0, "1728-byte ping over the bundle failed:\n" + r.stdout + r.stderr)
    setups.ping_both_ways(ctx, s, OUR_IP, PEER_IP)
    text = _bundle_text(s)
    m = re.search(r"Packets in\s*:\s*(\d+) in (\d+) fragments", text)
    ctx.expect(m and int(m.group(1)) >= 3, "nothing reassembled from pppd:\n" + text)
