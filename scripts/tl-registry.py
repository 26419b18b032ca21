#!/usr/bin/env python3
"""tl-registry: print a TransformerLens checkout's architecture registry as
registry.json, read with the ast module (never by importing the package,
which needs torch).

usage: tl-registry.py FILE
       tl-registry.py --help | --version

FILE is transformer_lens/tools/model_registry/__init__.py. The values of
HF_SUPPORTED_ARCHITECTURES (a set, list or tuple of strings, or a dict whose
keys are the architectures) and CANONICAL_AUTHORS_BY_ARCH (a dict of lists
of strings; optional) are taken with ast.literal_eval from their plain or
annotated assignments. Exit 1 with a message when they cannot be read so.
"""
import ast
import json
import sys

NAMES = ("HF_SUPPORTED_ARCHITECTURES", "CANONICAL_AUTHORS_BY_ARCH")
VERSION = "@VERSION@"
USAGE = "usage: tl-registry.py FILE\n       tl-registry.py --help | --version"


def assignments(tree):
    """The last literal assigned to each of NAMES at module level."""
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        for t in targets:
            if isinstance(t, ast.Name) and t.id in NAMES:
                found[t.id] = value
    return found


def strings(value, what):
    if isinstance(value, dict):
        value = list(value)
    if not isinstance(value, (set, frozenset, list, tuple)):
        raise ValueError("%s is not a set or list" % what)
    out = list(value)
    if not all(isinstance(s, str) for s in out):
        raise ValueError("%s holds a value that is not a string" % what)
    if isinstance(value, (set, frozenset)):
        out.sort()
    return out


def main():
    if sys.argv[1:] == ["--help"]:
        print(__doc__.strip())
        return
    if sys.argv[1:] == ["--version"]:
        print("tl-registry.py", VERSION)
        return
    if len(sys.argv) != 2 or sys.argv[1].startswith("--"):
        print(USAGE, file=sys.stderr)
        sys.exit(2)
    path = sys.argv[1]
    try:
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read(), path)
        found = assignments(tree)
        if NAMES[0] not in found:
            raise ValueError("no %s assignment" % NAMES[0])
        archs = strings(ast.literal_eval(found[NAMES[0]]), NAMES[0])
        canon = {}
        if NAMES[1] in found:
            raw = ast.literal_eval(found[NAMES[1]])
            if not isinstance(raw, dict):
                raise ValueError("%s is not a dict" % NAMES[1])
            for arch, orgs in raw.items():
                if not isinstance(arch, str):
                    raise ValueError("%s has a key that is not a string" % NAMES[1])
                canon[arch] = strings(orgs, "%s[%r]" % (NAMES[1], arch))
    except (OSError, SyntaxError, ValueError) as e:
        sys.exit("tl-registry: %s: %s" % (path, e))
    json.dump({"source": path, "supported_architectures": archs,
               "canonical_authors_by_arch": canon}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
