"""The guest itself: boots, has its modules, and every peer program runs
(a missing shared library shows up here first)."""

from case import case


@case()
def guest_smoke(ctx):
    ns = ctx.netns()
    g = ctx.guest(ns)
    rc, out = g.run("cat /tmp/insmod.log 2>/dev/null; lsmod")
    for mod in ("ppp_generic", "pppoe", "pppox", "l2tp_ppp", "pptp",
                "ppp_mppe", "ppp_deflate", "ppp_async", "virtio_net"):
        ctx.expect(mod in out, f"module {mod} not loaded:\n{out}")
    ctx.expect("failed" not in out, f"insmod failures:\n{out}")

    rc, out = g.run("pppd --version 2>&1")
    ctx.expect("pppd version 2." in out, f"pppd --version: {out}")
    # Both exit non-zero after printing usage; a missing library would
    # print a loader error instead.
    for cmd, want in (("pppoe-server -h", "Usage"), ("xl2tpd -v", "xl2tpd"),
                      ("pptp --version", "pptp"), ("pptpd -v", "pptpd"),
                      ("pppoe-discovery -h", "Usage"),
                      ("tcpdump --version", "tcpdump"),
                      ("ip -V", "iproute2")):
        rc, out = g.run(cmd + " 2>&1")
        ctx.expect(want in out and "error while loading" not in out,
                   f"`{cmd}` in the guest: {out}")
    rc, out = g.run("ls /usr/lib/pppd/*/rp-pppoe.so /usr/lib/pppd/*/pppol2tp.so"
                    " /dev/ppp")
    ctx.expect(rc == 0, f"plugins or /dev/ppp missing: {out}")

    ok, out = ns.ping("10.99.0.2")
    ctx.expect(ok, f"host namespace cannot ping the guest:\n{out}")
    rc, out = g.run("ping -c 2 -W 2 10.99.0.1")
    ctx.expect(rc == 0, f"guest cannot ping the host namespace:\n{out}")
