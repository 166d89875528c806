#!/usr/bin/python3
"""The layering check: src/'s folders may include only the folders
docs/architecture.md allows them (its ```layers block), and folders outside
one layer group (link, bund, iface) must not include each other in a cycle.

The allowed graph is read from the document, never written here, so the
design and the check cannot drift apart. Each folder of src/ is a layer;
files directly in src/ are the layer `top`; dev/pppoe/ belongs to dev.

Usage: check.py [--root DIR]   check DIR/src against DIR/docs/architecture.md
       check.py --self-test    run the check on synthetic trees, good and bad
Exit: 0 clean, 1 violations (each listed as file:line), 2 the document or
the tree could not be read.
"""
import argparse
import os
import re
import sys
import tempfile

TOP = "top"
DOC = os.path.join("docs", "architecture.md")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
BLOCK = re.compile(r"^```layers\s*$(.*?)^```\s*$", re.M | re.S)


class LayerError(Exception):
    """The document or the tree cannot be checked at all."""


def parse_layers(text):
    """{folder: set of folders it may include} from the one ```layers block."""
    blocks = BLOCK.findall(text)
    if len(blocks) != 1:
        raise LayerError("%s: expected one ```layers block, found %d" % (DOC, len(blocks)))
    allowed = {}
    for n, line in enumerate(blocks[0].splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, rest = line.partition(":")
        name = name.strip()
        if not sep or not re.fullmatch(r"[a-z0-9_]+", name):
            raise LayerError("%s: layers block line %d: want 'folder: allowed, folders'" % (DOC, n))
        if name in allowed:
            raise LayerError("%s: layers block: %s listed twice" % (DOC, name))
        deps = [d for d in re.split(r"[,\s]+", rest.strip()) if d and d != "-"]
        allowed[name] = set(deps) - {name}
    for name, deps in allowed.items():
        unknown = sorted(deps - set(allowed))
        if unknown:
            raise LayerError("%s: layers block: %s allows unknown %s" % (DOC, name, ", ".join(unknown)))
    return allowed


def folder_of(src, path):
    """The layer of a file under src: its first folder, or top."""
    rel = os.path.relpath(path, src)
    parts = rel.split(os.sep)
    return TOP if len(parts) == 1 else parts[0]


def resolve(src, including, target):
    """The file an #include "target" in `including` names, as the compiler looks for it
    (beside the including file, then under src/); None for headers outside src/."""
    for base in (os.path.dirname(including), src):
        cand = os.path.normpath(os.path.join(base, target))
        if os.path.isfile(cand) and os.path.commonpath([cand, src]) == src:
            return cand
    return None


def scan(src):
    """Every include between files of src: (from_folder, to_folder, file, line, target)."""
    edges = []
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames.sort()
        for fn in sorted(filenames):
            if not fn.endswith((".c", ".h")):
                continue
            path = os.path.join(dirpath, fn)
            with open(path, encoding="utf-8", errors="replace") as f:
                for n, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    hit = resolve(src, path, m.group(1))
                    if hit is not None:
                        edges.append((folder_of(src, path), folder_of(src, hit), path, n, m.group(1)))
    return edges


def sccs(nodes, succ):
    """Strongly connected components (Tarjan), each a frozenset."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(succ.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.discard(w)
                comp.add(w)
                if w == v:
                    break
            out.append(frozenset(comp))

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def check(root):
    """Problems found in root/src against root/docs/architecture.md, as printable lines."""
    root = os.path.realpath(root)
    doc = os.path.join(root, DOC)
    src = os.path.join(root, "src")
    try:
        with open(doc, encoding="utf-8") as f:
            allowed = parse_layers(f.read())
    except OSError as e:
        raise LayerError("%s: %s" % (doc, e.strerror))
    if not os.path.isdir(src):
        raise LayerError("%s: no such folder" % src)
    edges = scan(src)
    rel = lambda p: os.path.relpath(p, root)
    problems = []

    present = {TOP} | {d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d))}
    for d in sorted(present - set(allowed)):
        problems.append("src/%s: folder not in the layers block of %s" % (d, DOC))

    for frm, to, path, line, target in edges:
        if frm != to and frm in allowed and to not in allowed[frm]:
            may = ", ".join(sorted(allowed[frm])) or "nothing"
            problems.append('%s:%d: %s includes %s ("%s"); %s may include: %s'
                            % (rel(path), line, frm, to, target, frm, may))

    # A cycle is fine only inside a group the document lets include each other.
    groups = {v: g for g in sccs(allowed, allowed) for v in g}
    succ, where = {}, {}
    for frm, to, path, line, _ in edges:
        if frm != to:
            succ.setdefault(frm, set()).add(to)
            where.setdefault((frm, to), "%s:%d" % (rel(path), line))
    for comp in sccs(set(succ) | {t for s in succ.values() for t in s}, succ):
        if len(comp) < 2 or any(comp <= g for g in groups.values()):
            continue
        links = ["%s -> %s (%s)" % (a, b, where[(a, b)]) for (a, b) in sorted(where)
                 if a in comp and b in comp and groups.get(a) != groups.get(b)]
        problems.append("include cycle between %s: %s" % (", ".join(sorted(comp)), "; ".join(links)))
    return problems, len(edges)


# ---- self-test: synthetic trees with known answers ----

GOOD_DOC = """# x

```layers
core: -
ppp: core
conf: core
dev: core, ppp, conf
link: core ppp conf dev bund
bund: core ppp conf dev link
ctl: core ppp conf dev link bund
top: core ppp conf dev link bund ctl
```
"""


def make_tree(root, files, doc=GOOD_DOC):
    """Write docs/architecture.md and the files {path under src: text} into root."""
    os.makedirs(os.path.join(root, "docs"))
    with open(os.path.join(root, DOC), "w") as f:
        f.write(doc)
    base = {"core/log.h": "", "ppp/fsm.h": '#include "core/log.h"\n', "conf/cmd.h": "",
            "dev/dev.h": '#include "ppp/fsm.h"\n', "dev/pppoe/pppoe.c": '#include "dev/dev.h"\n#include "pppoe.h"\n',
            "dev/pppoe/pppoe.h": '#include "conf/cmd.h"\n', "link/link.h": '#include "bund/bundle.h"\n',
            "bund/bundle.h": '#include "link/link.h"\n', "ctl/console.c": '#include "link/link.h"\n',
            "main.c": '#include <stdio.h>\n#include "ctl/console.h"\n#include "cmdtab.h"\n#include "missing.h"\n',
            "cmdtab.h": "", "ctl/console.h": ""}
    base.update(files)
    for name, text in base.items():
        if text is None:
            continue
        path = os.path.join(root, "src", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)


def self_test():
    """Each case: files to add or replace, doc, and a piece every expected problem line holds."""
    cases = [
        ("a tree that keeps the DAG passes (link<->bund is one group)", {}, GOOD_DOC, []),
        ("core including ppp fails at file:line", {"core/bad.c": '\n\n#include "ppp/fsm.h"\n'}, GOOD_DOC,
         ["src/core/bad.c:3: core includes ppp", "include cycle between core, ppp: core -> ppp (src/core/bad.c:3)"]),
        ("a folder including a top-level header fails", {"ctl/x.c": '#include "cmdtab.h"\n'}, GOOD_DOC,
         ["src/ctl/x.c:1: ctl includes top", "include cycle between ctl, top: ctl -> top (src/ctl/x.c:1)"]),
        ("a relative include resolves to its real folder", {"dev/dev.h": '#include "../ppp/fsm.h"\n',
                                                            "ppp/x.c": '#include "../dev/dev.h"\n'}, GOOD_DOC,
         ["src/ppp/x.c:1: ppp includes dev", "include cycle between dev, ppp"]),
        ("a cycle outside the group fails (and its back edge is a violation)",
         {"conf/cmd.h": '#include "dev/dev.h"\n'}, GOOD_DOC,
         ["src/conf/cmd.h:1: conf includes dev", "include cycle between conf, dev: conf -> dev (src/conf/cmd.h:1)"]),
        ("a folder the document does not name fails", {"zzz/a.c": ""}, GOOD_DOC,
         ["src/zzz: folder not in the layers block"]),
        ("an indented, spaced include is still seen", {"ppp/y.c": '  #  include "conf/cmd.h"\n'}, GOOD_DOC,
         ["src/ppp/y.c:1: ppp includes conf"]),
    ]
    passed = failed = 0
    for title, files, doc, want in cases:
        with tempfile.TemporaryDirectory() as root:
            make_tree(root, files, doc)
            got, _ = check(root)
        ok = len(got) == len(want) and all(any(w in g for g in got) for w in want)
        print("%s %s" % ("PASS" if ok else "FAIL", title))
        if not ok:
            print("  expected %r\n  got      %r" % (want, got))
        passed += ok
        failed += not ok
    bad_docs = [
        ("no layers block is an error", "# nothing\n"),
        ("an allowed folder the block does not declare is an error", "```layers\ncore: ppp\n```\n"),
        ("a line without a colon is an error", "```layers\ncore -\n```\n"),
    ]
    for title, doc in bad_docs:
        with tempfile.TemporaryDirectory() as root:
            make_tree(root, {}, doc)
            try:
                check(root)
                ok = False
            except LayerError:
                ok = True
        print("%s %s" % ("PASS" if ok else "FAIL", title))
        passed += ok
        failed += not ok
    print("layering self-test: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description="Check src/'s includes against docs/architecture.md.")
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    ap.add_argument("--self-test", action="store_true", help="run on synthetic trees with known answers")
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    try:
        problems, n = check(os.path.realpath(args.root))
    except LayerError as e:
        print("layering: %s" % e)
        return 2
    for p in problems:
        print(p)
    print("layering: %d includes checked, %d problems" % (n, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
