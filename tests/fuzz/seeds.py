#!/usr/bin/env python3
"""seeds.py: (re)write the seed cases of tests/fuzz/regress/<harness>/.

Run from the top of the tree after `make`:  python3 tests/fuzz/seeds.py

The seeds are the fake Hub's awkward records (fakehub.py --synthetic 300
--seed 5), taken through the real stages so each harness gets the input
its program gets, in files of a few lines, plus the test fixtures. Only
files named seed-* are replaced; the cases fuzzing found (crash-*,
timeout-*, leak-*, oom-*, or any other name) are kept.
"""
import glob
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REGRESS = os.path.join(ROOT, "tests", "fuzz", "regress")
FIX = os.path.join(ROOT, "tests", "fixtures")
BIN = os.path.join(ROOT, "bin")
REGISTRY = os.path.join(ROOT, "data", "registry.json")
CHUNK = 10          # lines a seed
ENDPOINT = "https://huggingface.co"
QUERY = "filter=text-generation&sort=downloads&limit=1000"


def stage(args, data):
    return subprocess.run([os.path.join(BIN, args[0])] + args[1:], input=data,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout


def chunks(lines, n=CHUNK):
    return [b"".join(lines[i:i + n]) for i in range(0, len(lines), n)]


def read(path):
    with open(path, "rb") as f:
        return f.read()


class Seeds:
    def __init__(self, harness):
        self.dir = os.path.join(REGRESS, harness)
        os.makedirs(self.dir, exist_ok=True)
        for old in glob.glob(os.path.join(self.dir, "seed-*")):
            os.remove(old)
        self.n = 0

    def add(self, data, name=""):
        self.n += 1
        base = "seed-%03d%s" % (self.n, "-" + name if name else "")
        with open(os.path.join(self.dir, base), "wb") as f:
            f.write(data)


def main():
    corpus = subprocess.run(
        [sys.executable, os.path.join(ROOT, "tests", "fakehub", "fakehub.py"),
         "--synthetic", "300", "--seed", "5", "--write-corpus", "/dev/stdout"],
        stdout=subprocess.PIPE, check=True).stdout
    raw = corpus.splitlines(keepends=True)
    records = stage(["hf-arch"], corpus)
    classified = stage(["hf-classify", "--registry", REGISTRY], records)
    gaps = stage(["hf-score"], classified)
    rec_lines = records.splitlines(keepends=True)
    cls_lines = classified.splitlines(keepends=True)
    gap_lines = gaps.splitlines(keepends=True)

    s = Seeds("arch")
    for c in chunks(raw):
        s.add(c)
    for p in sorted(glob.glob(os.path.join(FIX, "arch", "*.in"))):
        s.add(read(p), os.path.basename(p))

    s = Seeds("filter-quant")
    for c in chunks(rec_lines):
        s.add(c)
    for p in sorted(glob.glob(os.path.join(FIX, "filter-quant", "*.in"))):
        s.add(read(p), os.path.basename(p))

    s = Seeds("classify")
    for c in chunks(rec_lines):
        s.add(c)
    s.add(read(os.path.join(FIX, "classify", "records.in")), "records.in")

    s = Seeds("score")
    for c in chunks(cls_lines, 30):
        s.add(c)
    s.add(b"".join(gap_lines[:10]) + b"".join(cls_lines[:20]), "gaps-and-records")
    s.add(read(os.path.join(FIX, "score", "records.ndjson")), "records.ndjson")
    old = json.loads(read(os.path.join(FIX, "score", "architecture_gaps.json")))
    s.add(b"".join(json.dumps(g).encode() + b"\n" for g in old["gaps"]),
          "architecture_gaps")

    s = Seeds("merge")
    sup = read(os.path.join(FIX, "merge", "data", "supported_models.json"))
    gap = read(os.path.join(FIX, "merge", "data", "architecture_gaps.json"))
    for i, c in enumerate(chunks(cls_lines, 20)):
        s.add(c if i % 2 else sup + b"\0" + c)
    for c in chunks(gap_lines, 5):
        s.add(gap + b"\0" + c)
    s.add(sup + b"\0" + read(os.path.join(FIX, "merge", "records.ndjson")),
          "records.ndjson")
    s.add(read(os.path.join(FIX, "score", "architecture_gaps.json")) + b"\0" +
          gaps, "score-gaps")

    s = Seeds("list")
    # 0: a page, pretty-printed as a server may; the next byte is the
    # options (bit 0: --min-downloads 500; bits 1-2: --limit 0, 1, 3, 1000)
    for i, c in enumerate(chunks(raw, 5)):
        items = [json.loads(l) for l in c.splitlines()]
        page = json.dumps(items, indent=1 if i % 2 else None,
                          ensure_ascii=bool(i % 3)).encode()
        s.add(b"0" + b"0167"[i % 4:i % 4 + 1] + page, "page")
    s.add(b"00[]", "page")
    s.add(b"01[{\"id\":\"a\"},{\"id\":\"a\"},{\"downloads\":501}]", "page")
    # 1: Link header values
    base = ENDPOINT + "/api/models?" + QUERY
    for v in ['<%s&cursor=eyJzIjoxfQ%%3D%%3D>; rel="next"' % base,
              '<%s&cursor=abc>; rel="prev", <%s&cursor=def>; rel="next"' % (base, base),
              '<%s>; rel="next last"; title="a,b"' % base,
              '<http://127.0.0.1:8080/api/models?cursor=x>; REL=NEXT',
              '<https://evil.example/api/models>; rel="next"',
              '<>; rel=next', '<%s>;rel=prev' % base]:
        s.add(b"1" + v.encode(), "link")
    # 2: RateLimit header values
    for v in ['"api";r=499;t=300', '"api";r=0;t=12', '"api";r=5',
              '"api";t=1;r=0', '"api";r=-1;t=3', '"api";r=99999999999999999999;t=1']:
        s.add(b"2" + v.encode(), "ratelimit")
    # 3: --state files
    for st in [{"hf_list_state": 1, "endpoint": ENDPOINT, "query": QUERY,
                "next": base + "&cursor=abc", "count": 1000, "done": False},
               {"hf_list_state": 1, "endpoint": ENDPOINT, "query": QUERY,
                "next": None, "count": 5, "done": True},
               {"hf_list_state": 1, "endpoint": ENDPOINT, "query": QUERY,
                "next": "https://evil.example/x", "count": 5, "done": False},
               {"hf_list_state": 1, "endpoint": "http://other", "query": QUERY,
                "next": None, "count": 0, "done": True}]:
        s.add(b"3" + json.dumps(st, separators=(",", ":")).encode() + b"\n",
              "state")


if __name__ == "__main__":
    main()
