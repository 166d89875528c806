"""FreeRADIUS with a shared SQLite address pool (sqlippool) in a test's own
network namespace, built from the example configuration in
conf/scale-out/freeradius (so the recipe of docs/scale-out.md is what the
tests run). Started in the foreground (-f) and ended by its PID.

    env = SqlPool(ns, workdir, listen="192.0.2.10", clients="192.0.2.0/24",
                  secret="s3cret", users={"user1": "pass1"}, pool="main",
                  addresses=["10.90.0.%d" % i for i in range(1, 101)])
    env.start(); ...; env.leases() -> {address: (nas, port, user)}; env.stop()
"""

import os
import re
import shutil
import sqlite3
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "..", "..", "conf", "scale-out", "freeradius")
FREERADIUS = "/usr/sbin/freeradius"


class SqlPool:
    def __init__(self, ns, workdir, listen, clients, secret, users, pool, addresses, lease=3600):
        self.ns = ns
        self.dir = os.path.join(workdir, "freeradius")
        self.db = os.path.join(self.dir, "pool.sqlite")
        self.proc = None
        self.out = os.path.join(self.dir, "freeradius.out")
        shutil.copytree(SRC, self.dir)
        subst = {
            "@DIR@": self.dir, "@DB@": self.db, "@LISTEN@": listen, "@CLIENTS@": clients,
            "@SECRET@": secret, "@POOL@": pool, "@LEASE@": str(lease),
            "@USERS@": "".join(f'{u} Cleartext-Password := "{p}"\n\n' for u, p in users.items()),
        }
        for name in os.listdir(self.dir):
            path = os.path.join(self.dir, name)
            with open(path) as f:
                text = f.read()
            for k, v in subst.items():
                text = text.replace(k, v)
            with open(path, "w") as f:
                f.write(text)
        with open(os.path.join(self.dir, "schema.sql")) as f:
            schema = f.read()
        con = sqlite3.connect(self.db)
        con.executescript(schema)
        con.executemany("INSERT INTO radippool (pool_name, framedipaddress) VALUES (?, ?)",
                        [(pool, a) for a in addresses])
        con.commit()
        con.close()
        # FreeRADIUS may refuse a world-writable or foreign config; it runs as root here.
        os.chmod(self.dir, 0o755)

    def start(self, debug=False):
        argv = [FREERADIUS, "-f", "-d", self.dir, "-n", "radiusd", "-l", "stdout"]
        if debug or os.environ.get("SQLPOOL_DEBUG"):
            argv.append("-X")
        with open(self.out, "wb") as f:
            self.proc = subprocess.Popen(self.ns.exec_argv(argv), stdout=f, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("freeradius exited at startup:\n" + self.log()[-4000:])
            if re.search(r"Ready to process requests", self.log()):
                return
            time.sleep(0.2)
        raise RuntimeError("freeradius did not become ready:\n" + self.log()[-4000:])

    def log(self):
        text = ""
        for p in (self.out, os.path.join(self.dir, "radius.log")):
            try:
                with open(p, "rb") as f:
                    text += f.read().decode(errors="replace")
            except OSError:
                pass
        return text

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def _query(self, sql):
        con = sqlite3.connect(self.db, timeout=5)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def leases(self):
        """Addresses held now: {address: (nasipaddress, pool_key, username)}."""
        rows = self._query("SELECT framedipaddress, nasipaddress, pool_key, username FROM radippool "
                           "WHERE expiry_time > datetime('now')")
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def size(self):
        return self._query("SELECT COUNT(*) FROM radippool")[0][0]
