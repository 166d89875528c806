"""LCP details against pppd, with us as the PPPoE server."""

from case import case
import lcpcheck
import peers
from setups import OUR_IP, PEER_IP
import setups


def _none(ctx, problems):
    ctx.expect(not problems, "\n".join(problems))


@case(mpd=True)
def lcp_mru_1400(ctx):
    s = setups.pppoe_server(ctx, "pap", pppd_options=["mru", "1400"])
    ctx.expect(peers.log_has(s.g, r"rcvd \[LCP ConfAck [^\]]*<mru 1400>"),
               "we did not ack pppd's MRU 1400")
    ok, out = s.ns.ping(PEER_IP, count=2)
    ctx.expect(ok, f"small ping failed:\n{out}")
    # Larger than 1400: must reach the guest fragmented to fit its MRU.
    r = s.ns.run(["ping", "-c", "2", "-s", "1450", "-W", "3", PEER_IP])
    ctx.expect(r.returncode == 0, f"1450-byte ping failed:\n{r.stdout}")
    s.cap.stop()
    _none(ctx, lcpcheck.mru(s.cap.path, s.our_mac, 1400))


@case(mpd=True)
def lcp_acfc_pfc_off(ctx):
    # pppd refuses both; we must come up without them and not use them.
    s = setups.pppoe_server(ctx, "pap", link_conf="set link enable acfcomp "
                            "protocomp", pppd_options=["noaccomp", "nopcomp"])
    setups.ping_both_ways(ctx, s, OUR_IP, PEER_IP)
    s.cap.stop()
    _none(ctx, lcpcheck.compression(s.cap.path, s.our_mac))


@case(mpd=True)
def lcp_acfc_pfc_disabled_here(ctx):
    # We are told not to ask: no ACFC (8) or PFC (7) in our ConfReqs.
    s = setups.pppoe_server(ctx, "pap", link_conf="set link disable "
                            "acfcomp protocomp")
    setups.ping_both_ways(ctx, s, OUR_IP, PEER_IP)
    s.cap.stop()
    _none(ctx, lcpcheck.compression(s.cap.path, s.our_mac))
    reqs = lcpcheck.requested_options(s.cap.path, s.our_mac)
    ctx.expect(reqs, "no Configure-Request from us")
    ctx.expect(None not in reqs, "a Configure-Request of ours is garbled")
    bad = [r for r in reqs if 7 in r or 8 in r]
    ctx.expect(not bad, f"we asked for ACFC/PFC although disabled: {bad}")


@case(mpd=True)
def lcp_echo_both_ways(ctx):
    # Our keep-alive only speaks after `sec` quiet seconds (mpd5 semantics),
    # so pppd must leave gaps longer than ours: it echoes every 3 s.
    s = setups.pppoe_server(ctx, "pap", link_conf="set link keep-alive 1 10",
                            pppd_options=["lcp-echo-interval", "3",
                                          "lcp-echo-failure", "4"])
    ctx.wait_for(lambda: False, timeout=10)
    ctx.expect(peers.ppp_addr(s.g), "link fell during the echo exchange")
    s.cap.stop()
    _none(ctx, lcpcheck.echo(s.cap.path, s.our_mac))


@case(mpd=True)
def lcp_dead_peer(ctx):
    s = setups.pppoe_server(ctx, "pap", link_conf="set link keep-alive 1 5")
    ctx.expect(s.session_line(), "no session before cutting the link")
    # The guest's NIC goes down: pppd can no longer answer anything.
    s.g.run("ip link set eth0 down")
    gone = ctx.wait_for(lambda: s.session_line() is None, timeout=20)
    ctx.expect(gone, "we still list the session 20 s after the peer died "
               "(keep-alive 1 5)")
    ctx.expect(s.m.wait_log(r"(?i)echo", timeout=1),
               "our log does not say why the link went down (echo timeout)")


@case(mpd=True)
def lcp_ident(ctx):
    # `set link ident`: an LCP Identification (RFC 1570 §2.1, code 12) on
    # entering the network phase, as mpd5 sends it; pppd's debug log shows it.
    s = setups.pppoe_server(ctx, "pap", link_conf='set link ident "mpd5 interop ident"')
    ctx.expect(peers.wait_log(ctx, s.g, r'rcvd \[LCP Ident id=0x[0-9a-f]+ magic=0x[0-9a-f]+ '
                              r'"mpd5 interop ident"\]', timeout=5),
               "pppd did not log our LCP Identification")
