"""pppd (rp-pppoe plugin) as PPPoE client in the guest -> our PPPoE server."""

from case import case
import pcap
import peers
from setups import DNS, OUR_IP, PEER_IP, USER
import setups


TERM_REQ, TERM_ACK = 5, 6


def _lcp_from(s, code):
    s.cap.stop()  # tcpdump's last frames reach the file only when it ends
    return [p for p in pcap.lcp_packets(s.cap.path)
            if p[0].src == s.our_mac and p[1] == code]


def _common(ctx, s, auth_word):
    ctx.expect(peers.log_has(s.g, rf"{auth_word} authentication succeeded"),
               f"pppd did not log '{auth_word} authentication succeeded'")
    ctx.expect(peers.log_has(s.g, rf"primary\s+DNS address {DNS}"),
               f"pppd did not get DNS {DNS} from our IPCP")
    setups.ping_both_ways(ctx, s, OUR_IP, PEER_IP)
    line = s.session_line()
    ctx.expect(line and PEER_IP in line,
               f"`show sessions` has no line for {USER} at {PEER_IP}:\n"
               + s.sessions())
    return line


@case(mpd=True)
def pppoe_server_pap(ctx):
    s = setups.pppoe_server(ctx, "pap")
    _common(ctx, s, "PAP")
    # pppd hangs up (LCP Terminate-Request, then PADT): we free the session.
    s.g.run(f"kill {s.pppd}")
    ctx.expect(peers.wait_guest_exit(ctx, s.g, s.pppd), "pppd did not exit")
    ctx.expect(ctx.wait_for(lambda: s.session_line() is None, 15),
               "session still listed after pppd hung up:\n" + s.sessions())
    ctx.expect(ctx.wait_for(lambda: OUR_IP not in s.ns.ip(
        "-4", "-o", "addr").stdout, 10),
        f"{OUR_IP} still on an interface after the session ended")
    ctx.expect(_lcp_from(s, TERM_ACK),
               "we never answered pppd's Terminate-Request")


@case(mpd=True)
def pppoe_server_chap_md5(ctx):
    s = setups.pppoe_server(ctx, "chap-md5")
    line = _common(ctx, s, "CHAP")
    # We close: pppd must see LCP Terminate-Request and PADT from us.
    link = line.split()[4]
    s.m.console(f"link {link}", "close")
    ctx.expect(peers.wait_guest_exit(ctx, s.g, s.pppd, 20),
               f"pppd still running after `link {link}` + `close`")
    ctx.expect(peers.log_has(s.g, r"LCP terminated by peer|PADT"),
               "pppd's log shows neither LCP Terminate nor PADT from us")
    ctx.expect(_lcp_from(s, TERM_REQ),
               "no LCP Terminate-Request from us in the capture")
    padt = s.cap.frames(f"pppoe.code == 0xa7 && eth.src == {s.our_mac}",
                        ["frame.number"])
    ctx.expect(padt, "no PADT from us in the capture")
    ctx.expect(ctx.wait_for(lambda: s.session_line() is None, 10),
               "session still listed after we closed it")
