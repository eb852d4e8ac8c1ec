"""Builds core's module graph from `crate::` paths and fails on import circles.

A module is a file or folder directly under core/src (`client`, `config`, `transport`, ...);
`lib.rs` re-exports (`crate::Client`) are resolved to the module they come from.
Used by scripts/check-core-deps; no dependencies beyond Python 3.
"""

import os
import re
import sys

SRC = sys.argv[1]
VERBOSE = "-v" in sys.argv[2:]

PATH_RE = re.compile(r"\bcrate::((?:[A-Za-z_][A-Za-z0-9_]*::)*)\{?([A-Za-z_][A-Za-z0-9_]*)?")
GROUP_RE = re.compile(r"use\s+crate::\{([^;]*)\};", re.S)


def module_of(rel):
    parts = rel.replace(os.sep, "/").split("/")
    first = parts[0]
    return first[:-3] if first.endswith(".rs") else first


TEST_MOD = re.compile(r"\s*(?:pub(?:\(crate\))?\s+)?mod\s+([a-z_0-9]+)\s*([;{])")


def code_without_tests(text, path, test_files):
    """The file up to its first inline `#[cfg(test)] mod ... {`, comments removed; the
    files of test-only `#[cfg(test)] mod name;` declarations are added to `test_files`."""
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        if line.strip() == "#[cfg(test)]":
            nxt = next((l for l in lines[i + 1:] if l.strip()), "")
            m = TEST_MOD.match(nxt)
            if m and m.group(2) == "{":
                break
            if m:
                base = os.path.dirname(path)
                stem = os.path.basename(path)[:-3]
                if stem not in ("mod", "lib"):
                    base = os.path.join(base, stem)
                test_files.add(os.path.normpath(os.path.join(base, m.group(1) + ".rs")))
                test_files.add(os.path.normpath(os.path.join(base, m.group(1), "mod.rs")))
        out.append(re.sub(r"//.*", "", line))
    return out


def root_names(src):
    """Names `lib.rs` re-exports, mapped to the module that defines them."""
    names = {}
    text = open(os.path.join(src, "lib.rs"), encoding="utf-8").read()
    for m in re.finditer(r"pub use ([A-Za-z_][A-Za-z0-9_]*)((?:::[A-Za-z_][A-Za-z0-9_]*)*)::(\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)\s*;", text):
        first, items = m.group(1), m.group(3).strip("{}")
        for item in items.split(","):
            item = item.strip().split(" as ")[-1].strip()
            if item:
                names[item] = first
    for m in re.finditer(r"^\s*(?:pub(?:\([a-z]+\))?\s+)?mod\s+([a-z_]+)\s*;", text, re.M):
        names[m.group(1)] = m.group(1)
    return names


def edges(src):
    names = root_names(src)
    found = {}
    test_files = set()
    paths = []
    for dirpath, _, files in os.walk(src):
        paths += [os.path.normpath(os.path.join(dirpath, f)) for f in files if f.endswith(".rs")]
    texts = {}
    for path in sorted(paths):
        texts[path] = code_without_tests(open(path, encoding="utf-8").read(), path, test_files)
    for path in sorted(paths):
        if path in test_files:
            continue
        rel = os.path.relpath(path, src)
        if rel == "lib.rs":
            continue
        me = module_of(rel)
        lines = texts[path]
        text = "\n".join(lines)
        hits = []
        for m in GROUP_RE.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            for part in re.split(r",(?![^{]*\})", m.group(1)):
                head = part.strip().split("::")[0].strip("{} \n")
                if head:
                    hits.append((head, line))
        for n, line in enumerate(lines, 1):
            for m in PATH_RE.finditer(line):
                head = (m.group(1).split("::")[0] if m.group(1) else m.group(2)) or ""
                if head:
                    hits.append((head, n))
        for head, line in hits:
            target = names.get(head, head)
            if target == me or target not in names.values():
                continue
            found.setdefault((me, target), []).append(f"{rel}:{line}")
    return found


def circles(nodes, graph):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def simple_cycles(comp, graph):
    """For each edge inside a component, the shortest circle through it (no repeats)."""
    seen, out = set(), []
    for a in comp:
        for b in sorted(graph.get(a, ())):
            if b not in comp:
                continue
            prev, queue = {b: None}, [b]
            while queue and a not in prev:
                v = queue.pop(0)
                for w in sorted(graph.get(v, ())):
                    if w in comp and w not in prev:
                        prev[w] = v
                        queue.append(w)
            path, v = [], a
            while v is not None:
                path.append(v)
                v = prev[v]
            cycle = path[::-1]
            start = cycle.index(min(cycle))
            key = tuple(cycle[start:] + cycle[:start])
            if key not in seen:
                seen.add(key)
                out.append(list(key))
    return sorted(out, key=len)


def main():
    found = edges(SRC)
    graph = {}
    nodes = set()
    for (a, b) in found:
        graph.setdefault(a, set()).add(b)
        nodes.update((a, b))
    print("core module dependencies (module -> what it uses):")
    for a in sorted(nodes):
        print(f"  {a:12} -> {', '.join(sorted(graph.get(a, ()))) or '(nothing)'}")
        if VERBOSE:
            for b in sorted(graph.get(a, ())):
                print(f"      {b}: {', '.join(found[(a, b)])}")
    bad = circles(nodes, graph)
    if not bad:
        print("no import circle among core's modules")
        return 0
    for comp in bad:
        print(f"\nimport circle among: {', '.join(comp)}", file=sys.stderr)
        for cycle in simple_cycles(comp, graph):
            print("  circle: " + " -> ".join(cycle + [cycle[0]]), file=sys.stderr)
        for a in comp:
            for b in sorted(graph.get(a, ())):
                if b in comp:
                    print(f"  {a} -> {b}  ({', '.join(found[(a, b)][:3])})", file=sys.stderr)
    print(f"\n{len(bad)} import circle(s) in core/src: dependencies must run one way", file=sys.stderr)
    return 1


sys.exit(main())
