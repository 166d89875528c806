"""Protocol corrections against pppd: a peer that refuses IPCP. pppd with
`noip` answers our IPCP with LCP Protocol-Reject; `+ipv6` keeps one NCP of
its own running so it does not hang up before it has read our IPCP."""

import re

from case import case
import peers
import setups

RESTART = 2.0  # our default fsm-timeout: one restart interval
STAMP = r"^(\d\d):(\d\d):(\d\d\.\d+) "


def _stamp(log, pattern):
    m = re.search(STAMP + r".*" + pattern, log, re.M)
    return int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3)) if m else None


@case(mpd=True)
def ipcp_protocol_reject_pppd_noip(ctx):
    s = setups.pppoe_server(ctx, "pap", start_pppd=False)
    s.pppd = peers.pppd_client(ctx, s.g, setups.USER, setups.PASSWORD, ["noip", "+ipv6"])
    ctx.expect(peers.wait_log(ctx, s.g, r"sent \[LCP ProtRej id=0x[0-9a-f]+ 80 21"),
               "pppd sent no Protocol-Reject for our IPCP")
    ctx.expect(s.m.wait_log(r"IPCP: protocol rejected by peer", 10),
               "we did not take pppd's Protocol-Reject to IPCP")
    log = s.m.log()
    start = _stamp(log, r"IPCP: send Configure-Request")
    stop = _stamp(log, r"IPCP: state change \S+ --> Stopped")
    ctx.expect(start is not None and stop is not None and stop - start < RESTART,
               f"IPCP did not stop within one restart interval ({start}, {stop})")
    reqs = len(re.findall(r"IPCP: send Configure-Request", log))
    ctx.expect(reqs == 1, f"we sent {reqs} IPCP Configure-Requests")
    ctx.expect(s.m.wait_log(r"Bundle: closing \(Protocol error\)", 10),
               "the session did not end once no NCP was left")
    ctx.expect(setups.OUR_IP not in s.ns.ip("-4", "-o", "addr").stdout,
               f"{setups.OUR_IP} came up on an interface")
