"""The peers against each other (pppd client -> pppoe-server, two guests on
a bridge). No mpd5 involved: this proves the harness, the peer settings the
other cases use, and that tshark passes Linux's own frames."""

from case import case
import peers


@case()
def peer_baseline_pppoe(ctx):
    ns = ctx.netns()
    br = ctx.bridge(ns, "10.99.0.1/24")
    srv = ctx.guest(ns, ip="10.99.0.2/24", bridge=br, wait=False)
    cli = ctx.guest(ns, ip="10.99.0.3/24", bridge=br, wait=False)
    ctx.ready(srv)
    ctx.ready(cli)
    ctx.capture(ns, br)

    peers.pppoe_server(ctx, srv, ["require-chap", "ms-dns 10.88.0.53"],
                       [("user1", "pass1")], service="svcA", acname="acA")
    peers.pppd_client(ctx, cli, "user1", "pass1",
                      ["rp_pppoe_service", "svcA", "rp_pppoe_ac", "acA"])
    up = peers.wait_ppp_up(ctx, cli)
    ctx.expect(up, "pppd client never got ppp0 up")
    ctx.expect(up == ("10.88.0.100", "10.88.0.1"), f"addresses {up}")
    ctx.expect(peers.log_has(cli, r"CHAP authentication succeeded"),
               "no CHAP success in the client log")
    ctx.expect(peers.log_has(cli, r"primary\s+DNS address 10\.88\.0\.53"),
               "client got no DNS address")
    rc, out = cli.run("ping -c 2 -W 2 10.88.0.1")
    ctx.expect(rc == 0, f"client cannot ping the server:\n{out}")
