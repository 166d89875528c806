"""The peers against each other (pppd client -> pppoe-server, two guests on
a bridge). No mpd5 involved: this proves the harness, the peer settings and
the LCP checks the other cases use, on Linux's own frames."""

from case import case
import lcpcheck
import peers


@case()
def peer_baseline_pppoe(ctx):
    ns = ctx.netns()
    br = ctx.bridge(ns, "10.99.0.1/24")
    srv = ctx.guest(ns, ip="10.99.0.2/24", bridge=br, wait=False)
    cli = ctx.guest(ns, ip="10.99.0.3/24", bridge=br, wait=False)
    ctx.ready(srv)
    ctx.ready(cli)
    cap = ctx.capture(ns, br)

    peers.pppoe_server(ctx, srv, ["require-chap", "ms-dns 10.88.0.53",
                                  "lcp-echo-interval 1"],
                       [("user1", "pass1")], service=["svcA", "svcB"],
                       acname="acA")
    peers.pppd_client(ctx, cli, "user1", "pass1",
                      ["rp_pppoe_service", "svcB", "rp_pppoe_ac", "acA",
                       "mru", "1400", "lcp-echo-interval", "1"])
    up = peers.wait_ppp_up(ctx, cli)
    ctx.expect(up, "pppd client never got ppp0 up")
    ctx.expect(up == ("10.88.0.100", "10.88.0.1"), f"addresses {up}")
    ctx.expect(peers.log_has(cli, r"CHAP authentication succeeded"),
               "no CHAP success in the client log")
    ctx.expect(peers.log_has(cli, r"primary\s+DNS address 10\.88\.0\.53"),
               "client got no DNS address")
    rc, out = cli.run("ping -c 2 -W 2 10.88.0.1 && "
                      "ping -c 2 -W 3 -s 1450 10.88.0.1")
    ctx.expect(rc == 0, f"client cannot ping the server:\n{out}")
    ctx.wait_for(lambda: False, timeout=4)
    cap.stop()
    srv_mac = ctx.guest_macs[0]
    problems = (lcpcheck.mru(cap.path, srv_mac, 1400)
                + lcpcheck.compression(cap.path, srv_mac)
                + lcpcheck.echo(cap.path, srv_mac))
    ctx.expect(not problems, "\n".join(problems))
    padr = cap.frames(f"pppoe.code == 0x19", ["pppoed.tags.service_name"])
    ctx.expect(padr and all(r[0] == "svcB" for r in padr),
               f"client PADR Service-Name tags: {padr}, want svcB")
