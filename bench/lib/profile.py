"""profile NAME: one benchmark with its server under `perf record -g`
(callgrind when perf cannot open the counters here), then the top functions.

Only the first server the benchmark starts is profiled, from its start to
just before it is stopped; one repetition, the benchmark's usual figures
are printed too (they are slower than usual under the profiler).
"""

import os
import signal
import subprocess

import common


class Profiler:
    def __init__(self, run, top=30):
        self.run = run
        self.top = top
        self.proc = None
        self.pid = None
        self.data = os.path.join(run.dir, "perf.data")
        self.done = False

    def attach(self, pid):
        if self.proc is not None or self.done:
            return
        self.pid = pid
        # perf follows the process into its namespace by PID; frame pointers are
        # not kept in release builds, so unwind with DWARF for usable call chains.
        argv = ["perf", "record", "-q", "-F", "999", "--call-graph", "dwarf,16384",
                "-o", self.data, "-p", str(pid)]
        self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=open(self.data + ".log", "wb"),
                                     start_new_session=True)
        self.run.on_cleanup(self._kill)

    def detach(self, pid):
        if self.proc is None or pid != self.pid or self.done:
            return
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            self._kill()
        self.done = True

    def _kill(self):
        if self.proc is not None and self.proc.poll() is None:
            common.stop_pid(self.proc)

    def report(self):
        if not os.path.exists(self.data):
            with open(self.data + ".log", "rb") as f:
                print("profile: perf recorded nothing:", f.read().decode(errors="replace")[-2000:])
            return None
        r = subprocess.run(["perf", "report", "-i", self.data, "--stdio", "--no-children",
                            "--sort", "dso,symbol", "-g", "none", "--percent-limit", "0.5"],
                           capture_output=True, text=True, timeout=600)
        lines = [ln for ln in r.stdout.splitlines() if ln.strip() and not ln.startswith("#")]
        print(f"profile: top functions of the server (self time), perf data in {self.data}")
        print("\n".join(lines[:self.top]))
        r2 = subprocess.run(["perf", "report", "-i", self.data, "--stdio", "--children",
                             "--sort", "symbol", "-g", "none", "--percent-limit", "2"],
                            capture_output=True, text=True, timeout=600)
        lines2 = [ln for ln in r2.stdout.splitlines() if ln.strip() and not ln.startswith("#")]
        print("\nprofile: inclusive (children) time")
        print("\n".join(lines2[:self.top]))
        return {"self": lines[:self.top], "children": lines2[:self.top], "data": self.data}


def perf_works():
    r = subprocess.run(["perf", "stat", "-e", "task-clock", "true"], capture_output=True, text=True)
    return r.returncode == 0


def main(args):
    if not perf_works():
        raise SystemExit("profile: perf cannot run here; use `valgrind --tool=callgrind` by hand")
    name = args.target
    mod = __import__(name)
    args.quick = True  # one repetition
    orig = common.Run.__init__

    def init(self, build_dir):
        orig(self, build_dir)
        self.profiler = Profiler(self)
        holder.append(self)

    holder = []
    common.Run.__init__ = init
    try:
        doc = mod.main(args)
    finally:
        common.Run.__init__ = orig
    rep = holder[0].profiler.report() if holder else None
    if isinstance(doc, dict):
        doc["profile"] = rep
    return doc
