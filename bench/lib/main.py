#!/usr/bin/python3
"""bench/run's driver: bench/run [throughput|sessions|churn|profile NAME|all] [--quick] [--json FILE] [--against REV] [--radius]"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

NAMES = ["throughput", "sessions", "churn"]


def load(name):
    return __import__(name)


def main():
    ap = argparse.ArgumentParser(prog="bench/run")
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("what", nargs="?", default="all", choices=NAMES + ["profile", "all"])
    ap.add_argument("target", nargs="?", help="the benchmark profile runs")
    ap.add_argument("--quick", action="store_true", help="shorter runs, smaller N")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("-n", "--sessions", type=int, action="append",
                    help="session counts for sessions/churn (repeatable)")
    ap.add_argument("--against", help="sessions: also run the server built from this git revision")
    ap.add_argument("--radius", action="store_true",
                    help="sessions: authenticate through FreeRADIUS on loopback (CHAP-MD5) instead of mpd.secret")
    ap.add_argument("--base-mpd5", help=argparse.SUPPRESS)  # set by bench/run from --against
    args = ap.parse_args()
    if args.what == "profile":
        if args.target not in NAMES:
            ap.error("profile needs a benchmark name: " + ", ".join(NAMES))
        doc = load("profile").main(args)
    elif args.what == "all":
        docs = {}
        path = args.json
        args.json = None
        for n in NAMES:
            print(f"== {n}", flush=True)
            docs[n] = load(n).main(args)
        doc = docs
        if path:
            with open(path, "w") as f:
                json.dump(docs, f, indent=2)
                f.write("\n")
    else:
        load(args.what).main(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
