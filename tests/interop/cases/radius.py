"""RADIUS-backed authentication against Linux pppd (issue 12).

pppoe_server_radius_mschapv2: pppd (PPPoE client in the guest) logs in with
MS-CHAPv2 to our server, which has no mpd.secret entry for it and asks
FreeRADIUS (started by the case in our namespace, on its loopback, from a
generated configuration: tests/netns/radius_env.py). pppd checks the
authenticator response FreeRADIUS computed (S=...), the Accept's
Framed-IP-Address becomes pppd's address, its MPPE keys are in our result
(shown as present, never their bytes), and traffic flows both ways. A
wrong password gets E=691 to pppd.
"""

import os
import re
import sys

from case import case
import peers
from setups import DNS, OUR_IP, PEER_IP, USER, PASSWORD, Setup
import setups

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "netns"))
from radius_env import FreeRadius  # noqa: E402

RADIUS_IP = "10.77.0.150"  # the address the Accept gives, not our configured range

USERS = f"""\
{USER} Cleartext-Password := "{PASSWORD}"
\tFramed-IP-Address = {RADIUS_IP}
"""


def _server(ctx, password):
    s = Setup(ctx)
    rad = FreeRadius(s.ns, ctx.workdir, users=USERS)
    rad.start()
    ctx.defer(rad.stop)
    ctx.report("freeradius log", lambda: rad.log()[-6000:])
    conf = f"""
        default:
            create bundle template B
            set ipcp ranges {OUR_IP}/32 {PEER_IP}/32
            set ipcp dns {DNS}
            create link template L pppoe
            set link action bundle B
            set pppoe iface {s.tap}
            set pppoe service "*"
            set link no pap chap-md5 chap-msv1 chap-msv2 eap
            set link yes chap-msv2
            set auth disable internal
            set auth enable radius-auth
            set radius server 127.0.0.1 testing123
            set radius timeout 2
            set link enable incoming
        """
    s.m = ctx.mpd(s.ns, conf, "")
    s.pppd = peers.pppd_client(ctx, s.g, USER, password, [])
    return s


@case(mpd=True)
def pppoe_server_radius_mschapv2(ctx):
    s = _server(ctx, PASSWORD)
    up = peers.wait_ppp_up(ctx, s.g)
    ctx.expect(up, "pppd never brought ppp0 up with MS-CHAPv2 through RADIUS")
    ctx.expect(up == (RADIUS_IP, OUR_IP), f"guest ppp0 addresses {up}, want the Accept's {RADIUS_IP}")
    setups.ping_both_ways(ctx, s, OUR_IP, RADIUS_IP)
    log = s.m.log()
    ctx.expect("RADIUS: MS-CHAPv2 accepted, MPPE keys: 16+16 bytes" in log, "no MPPE keys from the Accept")
    ctx.expect(re.search(rf'MS-CHAPv2 user "{USER}" accepted by RADIUS', log), "not accepted by RADIUS")
    line = s.session_line()
    ctx.expect(line, "no session line for " + USER)
    out = s.m.console(f"link {line.split()[4]}", "show auth")
    ctx.expect(re.search(r"MPPE keys\s*: yes \(MS-CHAPv2\)", out), "show auth: no MPPE keys:\n" + out)


@case(mpd=True)
def pppoe_server_radius_mschapv2_reject(ctx):
    s = _server(ctx, "wrong-password")
    ctx.expect(peers.wait_ppp_up(ctx, s.g, timeout=15) is None, "ppp0 came up with a wrong password")
    log = s.m.log()
    ctx.expect(re.search(rf'MS-CHAPv2: peer "{USER}" refused: E=691', log), "we did not refuse with E=691")
    ctx.expect("result=reject" in log, "FreeRADIUS did not reject")
