"""MS-CHAP v1/v2 and EAP-MD5 against Linux pppd (issue 5), both roles.

pppoe_server_auth_*: pppd as PPPoE client in the guest and our server
authenticate each other with the same method at once: we require it of
pppd (pppd's user/password), pppd requires it of us (`require-mschap-v2`,
`require-mschap`, `require-eap`; our authname/password in pppd's
chap-secrets). pppoe_client_auth_*: pppoe-server with pppd behind it
requires the method of our client. Every case ends with traffic both ways.
"""

import re

from case import case
import peers
from setups import CLI_IP, DNS, OUR_IP, PEER_IP, SRV_IP, USER, PASSWORD, Setup
import setups

OUR_NAME, OUR_PASSWORD = "mpdsrv", "mpd-secret"

# link option, pppd require option, our method name in logs / show auth
METHODS = {
    "mschapv2": ("chap-msv2", "require-mschap-v2", "MS-CHAPv2", "CHAP-MSv2"),
    "mschapv1": ("chap-msv1", "require-mschap", "MS-CHAPv1", "CHAP-MSv1"),
    "eap": ("eap", "require-eap", "EAP-MD5", "EAP"),
}


def _pppd_secrets(g, entries):
    text = "".join(f'"{u}" * "{p}" *\n' for u, p in entries)
    g.write_file("/etc/ppp/chap-secrets", text)
    g.write_file("/etc/ppp/pap-secrets", text)


def _show_auth(s, link):
    out = s.m.console(f"link {link}", "show auth")
    p = re.search(r"Peer auth method: (\S+) \((\w+)", out)
    o = re.search(r"Our auth method : (\S+) \((\w+)", out)
    return out, (p.group(1), p.group(2)) if p else None, (o.group(1), o.group(2)) if o else None


def _server(ctx, method):
    opt, require, log_name, show_name = METHODS[method]
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
            set link no pap chap-md5 chap-msv1 chap-msv2 eap
            set link yes {opt}
            set eap yes md5
            set auth authname {OUR_NAME}
            set auth password {OUR_PASSWORD}
            set link enable incoming
        """
    s.m = ctx.mpd(s.ns, conf, f'{USER} "{PASSWORD}"\n')
    _pppd_secrets(s.g, [(OUR_NAME, OUR_PASSWORD)])
    s.pppd = peers.pppd_client(ctx, s.g, USER, PASSWORD, [require])
    up = peers.wait_ppp_up(ctx, s.g)
    ctx.expect(up, f"pppd ({require}) never brought ppp0 up")
    ctx.expect(up == (PEER_IP, OUR_IP), f"guest ppp0 addresses {up}")
    setups.ping_both_ways(ctx, s, OUR_IP, PEER_IP)
    log = s.m.log()
    ctx.expect(re.search(rf'Auth: {log_name} user "{USER}" accepted', log),
               f"we did not log {log_name} acceptance of pppd's {USER}")
    line = s.session_line()
    ctx.expect(line, "no session line for " + USER)
    out, peer, ours = _show_auth(s, line.split()[4])
    ctx.expect(peer == (show_name, "success") and ours == (show_name, "success"),
               f"show auth: want {show_name} success both ways:\n{out}")
    return s, out


def _client(ctx, method):
    opt, require, log_name, show_name = METHODS[method]
    s = Setup(ctx)
    peers.pppoe_server(ctx, s.g, [require, "ms-dns 10.88.0.53"], [(USER, PASSWORD)],
                       local=SRV_IP, remote=CLI_IP)
    conf = f"""
        default:
            create bundle static B
            set ipcp ranges 0.0.0.0/0 0.0.0.0/0
            create link static L pppoe
            set link action bundle B
            set auth authname {USER}
            set auth password {PASSWORD}
            set link max-redial 0
            set link no pap chap-md5 chap-msv1 chap-msv2 eap
            set link accept {opt}
            set eap accept md5
            set pppoe iface {s.tap}
            set pppoe service ""
            open
        """
    s.m = ctx.mpd(s.ns, conf, "")
    up = peers.wait_ppp_up(ctx, s.g, timeout=40)
    ctx.expect(up, f"pppd behind pppoe-server ({require}) never brought a ppp interface up")
    ctx.expect(up == (SRV_IP, CLI_IP), f"guest ppp addresses {up}")
    setups.ping_both_ways(ctx, s, CLI_IP, SRV_IP)
    out, peer, ours = _show_auth(s, "L")
    ctx.expect(ours == (show_name, "success"), f"show auth: want our {show_name} success:\n{out}")
    ctx.expect(peer == ("none", "none"), f"show auth: we required nothing of pppd:\n{out}")
    return s, out


@case(mpd=True)
def pppoe_server_auth_mschapv2(ctx):
    s, out = _server(ctx, "mschapv2")
    ctx.expect(re.search(r"MPPE keys\s*: yes \(MS-CHAPv2\)", out), "no MPPE keys after MS-CHAPv2:\n" + out)
    # pppd checked our S= authenticator response, we checked its one.
    ctx.expect(not re.search(r"authenticator response mismatch", s.m.log()), "authenticator response mismatch")


@case(mpd=True)
def pppoe_server_auth_mschapv1(ctx):
    s, out = _server(ctx, "mschapv1")
    ctx.expect(re.search(r"MPPE keys\s*: yes \(MS-CHAPv1\)", out), "no MPPE keys after MS-CHAPv1:\n" + out)


@case(mpd=True)
def pppoe_server_auth_eap(ctx):
    _server(ctx, "eap")


@case(mpd=True)
def pppoe_client_auth_mschapv2(ctx):
    s, out = _client(ctx, "mschapv2")
    ctx.expect(re.search(r"MPPE keys\s*: yes \(MS-CHAPv2\)", out), "no MPPE keys after MS-CHAPv2:\n" + out)
    ctx.expect(re.search(r"MS-CHAPv2: peer says Success", s.m.log()), "no MS-CHAPv2 Success from pppd in our log")


@case(mpd=True)
def pppoe_client_auth_mschapv1(ctx):
    s, out = _client(ctx, "mschapv1")
    ctx.expect(re.search(r"MPPE keys\s*: yes \(MS-CHAPv1\)", out), "no MPPE keys after MS-CHAPv1:\n" + out)


@case(mpd=True)
def pppoe_client_auth_eap(ctx):
    _client(ctx, "eap")


@case(mpd=True)
def pppoe_server_auth_mschapv2_wrong_password(ctx):
    # pppd's password is wrong: we refuse it with E=691 and pppd says so.
    s = Setup(ctx)
    conf = f"""
        default:
            create bundle template B
            set ipcp ranges {OUR_IP}/32 {PEER_IP}/32
            create link template L pppoe
            set link action bundle B
            set pppoe iface {s.tap}
            set pppoe service "*"
            set link no pap chap-md5 chap-msv1 chap-msv2 eap
            set link enable chap-msv2
            set link enable incoming
        """
    s.m = ctx.mpd(s.ns, conf, f'{USER} "{PASSWORD}"\n')
    s.pppd = peers.pppd_client(ctx, s.g, USER, "not-" + PASSWORD, [])
    ctx.expect(peers.wait_guest_exit(ctx, s.g, s.pppd, 40), "pppd kept running with a wrong password")
    ctx.expect(re.search(r'MS-CHAPv2: peer "user1" refused: E=691', s.m.log()), "we did not refuse with E=691")
    ctx.expect(peers.log_has(s.g, r"E=691"), "pppd did not see E=691 in our Failure")
