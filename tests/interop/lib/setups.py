"""The usual arrangements of a case against our daemon, so a case file only
says what it checks. Addresses: the TAP is 10.99.0.1, the guest's eth0
10.99.0.2; PPP addresses are 10.77.0.0/24 when we serve, 10.88.0.0/24 when
pppoe-server in the guest does."""

import re

import peers

USER, PASSWORD = "user1", "pass1"
OUR_IP, PEER_IP, DNS = "10.77.0.1", "10.77.0.100", "10.77.0.53"
SRV_IP, CLI_IP = "10.88.0.1", "10.88.0.100"

AUTH_CONF = {
    "pap": "set link enable pap",
    "chap-md5": "set link disable pap\n    set link enable chap-md5",
}


class Setup:
    """What a case against mpd5 holds: ns, guest g, mpd m, capture cap."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.ns = ctx.netns()
        self.g = ctx.guest(self.ns)
        self.tap = self.g.tap
        self.our_mac = self.ns.mac(self.tap)
        self.cap = ctx.capture(self.ns, self.tap)
        self.m = None
        self.pppd = None

    def sessions(self):
        return self.m.console("show sessions")

    def session_line(self, user=USER):
        for line in self.sessions().splitlines():
            if re.search(rf"\b{re.escape(user)}\b", line):
                return line
        return None


def pppoe_server(ctx, auth="pap", link_conf="", pppd_options=(),
                 start_pppd=True):
    """mpd5 as PPPoE server on the TAP, pppd as client in the guest; waits
    for the guest's ppp0 when start_pppd."""
    s = Setup(ctx)
    conf = f"""
        default:
            create bundle template B
            set ipcp ranges {OUR_IP}/32 {PEER_IP}/32
            set ipcp dns {DNS}
            create link template L pppoe
            set link action bundle B
            set pppoe iface {s.tap}
            set pppoe service "*"
            {AUTH_CONF[auth]}
            {link_conf}
            set link enable incoming
        """
    s.m = ctx.mpd(s.ns, conf, f'{USER} "{PASSWORD}"\n')
    if start_pppd:
        opts = list(pppd_options)
        if auth == "chap-md5":
            opts.append("refuse-pap")
        s.pppd = peers.pppd_client(ctx, s.g, USER, PASSWORD, opts)
        up = peers.wait_ppp_up(ctx, s.g)
        ctx.expect(up, "pppd in the guest never brought ppp0 up")
        ctx.expect(up == (PEER_IP, OUR_IP),
                   f"guest ppp0 addresses {up}, want {(PEER_IP, OUR_IP)}")
    return s


def pppoe_client(ctx, auth="pap", service=None, acname=None, request=None,
                 link_conf=""):
    """pppoe-server + pppd in the guest, mpd5 as PPPoE client asking for
    `request` (mpd5's `set pppoe service` syntax, AC-Name\\Service-Name)."""
    s = Setup(ctx)
    require = {"pap": "require-pap", "chap-md5": "require-chap"}[auth]
    peers.pppoe_server(ctx, s.g, [require, "ms-dns 10.88.0.53"],
                       [(USER, PASSWORD)], local=SRV_IP, remote=CLI_IP,
                       service=service, acname=acname)
    first = service if isinstance(service, str) else (service or [""])[0]
    req = request if request is not None else first
    conf = f"""
        default:
            create bundle static B
            set ipcp ranges 0.0.0.0/0 0.0.0.0/0
            create link static L pppoe
            set link action bundle B
            set auth authname {USER}
            set auth password {PASSWORD}
            set link max-redial 0
            set link accept pap chap-md5
            set pppoe iface {s.tap}
            set pppoe service "{_conf_escape(req)}"
            {link_conf}
            open
        """
    s.m = ctx.mpd(s.ns, conf, "")
    return s


def _conf_escape(text):
    """mpd5's lexer takes backslash escapes even inside quotes."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def ping_both_ways(ctx, s, ours, theirs):
    """ours: our PPP address (pinged from the guest); theirs: the guest's
    (pinged from our namespace, through our TUN)."""
    rc, out = s.g.run(f"ping -c 3 -i 0.3 -W 2 {ours}")
    ctx.expect(rc == 0, f"guest cannot ping us at {ours}:\n{out}")
    ok, out = s.ns.ping(theirs)
    ctx.expect(ok, f"we cannot ping the guest at {theirs}:\n{out}")
