"""A FreeRADIUS server for the end-to-end tests, with a configuration the
test generates under its own temporary directory (never /etc/freeradius),
run in the test's network namespace in the foreground and ended by PID.

The generated configuration is minimal: modules pap, chap, mschap, eap
(md5, mschapv2), files (the users text the test gives), detail (accounting
requests written to a file the test reads back); one client entry per
address the daemon sends from; and post-auth adding Message-Authenticator
to every Access-Accept and Access-Reject, which Debian 12's FreeRADIUS
3.2.1 leaves out otherwise and which our client requires (BlastRADIUS).
The mpd vendor dictionary is our own conf/dictionary.mpd.

    rad = FreeRadius(ns, workdir, users='alice Cleartext-Password := "pw"\\n')
    rad.start()            # waits until both ports listen
    ... rad.detail() ...   # accounting records as a list of dicts
    rad.stop()

`ns` is a tests/interop/lib/netns.Netns (or anything with exec_argv()).
"""

import os
import re
import signal
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DICTIONARY_MPD = os.path.normpath(os.path.join(HERE, "..", "..", "conf", "dictionary.mpd"))
FREERADIUS = "/usr/sbin/freeradius"

RADIUSD_CONF = """\
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = {dir}
sbindir = /usr/sbin
logdir = {dir}/log
raddbdir = {dir}
radacctdir = {dir}/acct
name = freeradius
confdir = {dir}
modconfdir = {dir}
run_dir = {dir}/run
db_dir = {dir}
libdir = /usr/lib/freeradius
pidfile = {dir}/run/radiusd.pid
max_request_time = 30
cleanup_delay = 2
max_requests = 16384
hostname_lookups = no

log {{
    destination = files
    file = {dir}/log/radius.log
    colourise = no
    auth = yes
    auth_badpass = no
    auth_goodpass = no
}}

security {{
    allow_core_dumps = no
    max_attributes = 200
    reject_delay = 0
    status_server = yes
}}

thread pool {{
    start_servers = 2
    max_servers = 8
    min_spare_servers = 1
    max_spare_servers = 4
    max_requests_per_server = 0
}}

{clients}

modules {{
    pap {{
        normalise = yes
    }}
    chap {{
    }}
    mschap {{
        use_mppe = yes
        require_encryption = no
        require_strong = no
        with_ntdomain_hack = yes
    }}
    eap {{
        default_eap_type = md5
        timer_expire = 60
        ignore_unknown_eap_types = no
        max_sessions = 4096
        md5 {{
        }}
        mschapv2 {{
        }}
    }}
    files {{
        filename = {dir}/users
        acctusersfile = {dir}/acct_users
    }}
    detail {{
        filename = {dir}/acct/detail
        permissions = 0600
        header = "%t"
    }}
}}

server default {{
    listen {{
        type = auth
        ipaddr = {addr}
        port = {auth_port}
    }}
    listen {{
        type = acct
        ipaddr = {addr}
        port = {acct_port}
    }}
    authorize {{
        chap
        mschap
        eap {{
            ok = return
        }}
        files
        pap
    }}
    authenticate {{
        Auth-Type PAP {{
            pap
        }}
        Auth-Type CHAP {{
            chap
        }}
        Auth-Type MS-CHAP {{
            mschap
        }}
        eap
    }}
    preacct {{
        files
    }}
    accounting {{
        detail
    }}
    post-auth {{
{post_auth}
        Post-Auth-Type REJECT {{
{post_auth}
        }}
    }}
}}
"""

# FreeRADIUS computes a Message-Authenticator for any reply that holds one.
POST_AUTH_MA = """\
        update reply {
            Message-Authenticator := 0x00000000000000000000000000000000
        }
"""

CLIENT = """\
client c{n} {{
    ipaddr = {addr}
    secret = {secret}
    require_message_authenticator = no
    nas_type = other
}}
"""


class FreeRadius:
    """One FreeRADIUS instance. users: the files-module text (users file);
    acct_users: replies to accounting requests (mpd-drop-user tests);
    clients: source addresses (or CIDR) of the daemon, all with `secret`;
    message_authenticator: False leaves it out of replies (legacy server)."""

    def __init__(self, ns, workdir, users="", secret="testing123", clients=("127.0.0.0/8",),
                 addr="127.0.0.1", auth_port=1812, acct_port=1813, acct_users="",
                 message_authenticator=True, debug=True):
        self.ns = ns
        self.dir = os.path.join(workdir, f"raddb-{auth_port}")
        self.addr, self.auth_port, self.acct_port = addr, auth_port, acct_port
        self.secret = secret
        self.debug = debug
        self.proc = None
        for sub in ("log", "run", "acct"):
            os.makedirs(os.path.join(self.dir, sub), exist_ok=True)
        post = POST_AUTH_MA if message_authenticator else "        ok\n"
        cl = "".join(CLIENT.format(n=i, addr=a, secret=secret) for i, a in enumerate(clients))
        self._write("radiusd.conf", RADIUSD_CONF.format(
            dir=self.dir, clients=cl, addr=addr, auth_port=auth_port, acct_port=acct_port,
            post_auth=post))
        self._write("dictionary", f"$INCLUDE {DICTIONARY_MPD}\n")
        self._write("users", users)
        self._write("acct_users", acct_users)

    def _write(self, name, text):
        with open(os.path.join(self.dir, name), "w") as f:
            f.write(text)

    @property
    def logfile(self):
        return os.path.join(self.dir, "log", "radius.log")

    def log(self):
        try:
            with open(self.logfile, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def check(self):
        """Parse the configuration only (`-C`); returns (ok, output)."""
        r = subprocess.run(self.ns.exec_argv([FREERADIUS, "-C", "-d", self.dir, "-l", "stdout"]),
                           capture_output=True, text=True, timeout=60)
        return r.returncode == 0, r.stdout + r.stderr

    def start(self, timeout=30):
        """Start in the foreground (-f) and wait until both ports listen."""
        argv = [FREERADIUS, "-f", "-d", self.dir, "-l", self.logfile]
        if self.debug:
            argv.append("-xx")
        self.proc = subprocess.Popen(self.ns.exec_argv(argv), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"freeradius exited with {self.proc.returncode}:\n{self.log()[-4000:]}")
            if self._listening():
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"freeradius did not listen within {timeout}s:\n{self.log()[-4000:]}")

    def _listening(self):
        r = subprocess.run(self.ns.exec_argv(["ss", "-Hluna"]), capture_output=True, text=True)
        ports = set(int(m) for m in re.findall(r":(\d+)\s", r.stdout))
        return self.auth_port in ports and self.acct_port in ports

    def stop(self):
        """End the server by its PID (SIGTERM, then SIGKILL after 5 s)."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    def detail(self):
        """Accounting requests received, oldest first: one dict per record (attribute -> value, quotes removed)."""
        path = os.path.join(self.dir, "acct", "detail")
        try:
            with open(path, errors="replace") as f:
                text = f.read()
        except OSError:
            return []
        records = []
        for block in re.split(r"\n\s*\n", text):
            rec = {}
            for line in block.splitlines():
                m = re.match(r"\s+([\w-]+) = (.*)$", line)
                if m:
                    v = m.group(2).strip()
                    if len(v) >= 2 and v[0] == '"' and v[-1] == '"':
                        v = v[1:-1]
                    rec.setdefault(m.group(1), v)
            if rec:
                records.append(rec)
        return records
