"""Our PPPoE client -> rp-pppoe's pppoe-server with pppd behind it."""

from case import case
import peers
from setups import CLI_IP, SRV_IP, USER
import setups


# pppd behind pppoe-server logs PAP success by name, CHAP only as sent.
AUTH_OK = {"pap": rf"PAP peer authentication succeeded for {USER}",
           "chap-md5": r"sent \[CHAP Success"}


def _up(ctx, s, auth):
    up = peers.wait_ppp_up(ctx, s.g, timeout=40)
    ctx.expect(up, "no ppp interface came up in the guest")
    ctx.expect(up == (SRV_IP, CLI_IP),
               f"guest ppp0 addresses {up}, want {(SRV_IP, CLI_IP)}")
    ctx.expect(peers.log_has(s.g, AUTH_OK[auth]),
               f"pppd did not log {auth} success for {USER}")
    setups.ping_both_ways(ctx, s, CLI_IP, SRV_IP)


@case(mpd=True)
def pppoe_client_pap(ctx):
    s = setups.pppoe_client(ctx, "pap")
    _up(ctx, s, "pap")


@case(mpd=True)
def pppoe_client_chap_md5(ctx):
    s = setups.pppoe_client(ctx, "chap-md5")
    _up(ctx, s, "chap-md5")


@case(mpd=True)
def pppoe_client_service_acname(ctx):
    # Two services on one AC; we ask for the second by AC-Name\Service-Name.
    s = setups.pppoe_client(ctx, "pap", service=["svcA", "svcB"],
                            acname="acA", request="acA\\svcB")
    _up(ctx, s, "pap")
    padr = s.cap.frames(f"pppoe.code == 0x19 && eth.src == {s.our_mac}",
                        ["pppoed.tags.service_name"])
    ctx.expect(padr and all(r[0] == "svcB" for r in padr),
               f"our PADR Service-Name tags: {padr}, want svcB")


@case(mpd=True)
def pppoe_client_wrong_acname(ctx):
    # No AC of that name: we must not request a session from the one there.
    s = setups.pppoe_client(ctx, "pap", service="svcA", acname="acA",
                            request="acX\\svcA")
    ctx.wait_for(lambda: False, timeout=8)
    ctx.expect(peers.ppp_addr(s.g) is None,
               "a session came up with the wrong AC-Name")
    padi = s.cap.frames(f"pppoe.code == 0x09 && eth.src == {s.our_mac}",
                        ["frame.number"])
    ctx.expect(padi, "we sent no PADI")
    padr = s.cap.frames(f"pppoe.code == 0x19 && eth.src == {s.our_mac}",
                        ["frame.number"])
    ctx.expect(not padr, "we sent a PADR to an AC with another name")
