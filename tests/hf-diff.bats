#!/usr/bin/env bats
# hf-diff: what changed between two registries (SPEC 9.1), and
# hf-scraper --report (SPEC 9.2).
bats_require_minimum_version 1.5.0

setup() {
	load helper
	hf_setup
	D="$FIX/diff"
	cd "$BATS_TEST_TMPDIR" || exit 1
}

teardown() {
	fakehub_stop
}

# A python3 that has the markdown module (Debian's python3-markdown),
# which a python3 earlier on PATH may not see.
pymd() {
	local p
	for p in python3 /usr/bin/python3; do
		if "$p" -c 'import markdown' 2>/dev/null; then
			"$p" "$@"
			return
		fi
	done
	echo "no python3 with the markdown module (make deps)" >&2
	return 1
}

# golden CASE [DIR]: base -> DIR (default CASE) gives CASE.ndjson and
# CASE.md, exit 0, quiet.
golden() {
	run -0 --separate-stderr hf-diff "$D/base" "$D/${2:-$1}"
	assert_equal "$stderr" ""
	assert_output "$(cat "$D/$1.ndjson")"
	run -0 --separate-stderr hf-diff --markdown "$D/base" "$D/${2:-$1}"
	assert_equal "$stderr" ""
	assert_output "$(cat "$D/$1.md")"
}

@test "hf-diff: --help prints the usage to stdout, exit 0" {
	run -0 --separate-stderr hf-diff --help
	assert_line --index 0 "usage: hf-diff [--markdown | --summary] [--top n] old new"
	assert_equal "$stderr" ""
}

@test "hf-diff: the usage is the man page's SYNOPSIS" {
	assert_usage_is_synopsis hf-diff
}

@test "hf-diff: --version" {
	run -0 --separate-stderr hf-diff --version
	assert_output --regexp '^hf-diff [0-9A-Za-z.+-]+$'
	assert_equal "$stderr" ""
}

@test "hf-diff: usage errors exit 2" {
	run -2 --separate-stderr hf-diff --bogus "$D/base" "$D/base"
	assert_equal "$output" ""
	assert_equal "${stderr_lines[0]}" "hf-diff: unrecognized option '--bogus'"
	assert_equal "${stderr_lines[1]}" "usage: hf-diff [--markdown | --summary] [--top n] old new"
	run -2 --separate-stderr hf-diff "$D/base"
	assert_equal "${stderr_lines[0]}" "hf-diff: two directories expected: old new"
	run -2 --separate-stderr hf-diff "$D/base" "$D/base" "$D/base"
	run -2 --separate-stderr hf-diff --markdown --summary "$D/base" "$D/base"
	assert_equal "${stderr_lines[0]}" "hf-diff: --markdown and --summary exclude each other"
	run -2 --separate-stderr hf-diff --top ten "$D/base" "$D/base"
	assert_output ""
	run -2 --separate-stderr hf-diff --top -1 "$D/base" "$D/base"
}

@test "hf-diff: models added, and a new architecture" {
	golden added
}

@test "hf-diff: models removed, the verified one listed first" {
	golden removed
	run -0 grep -n -e 'Verified models missing' -e 'Other removed' \
	    "$D/removed.md"
	assert_line --index 0 --partial "Verified models missing"
}

@test "hf-diff: verification fields changed; 99 == 99.0; an unknown status passes through" {
	golden status
	run -0 jq -c 'select(.model_id == "TinyLlama/TinyLlama-1.1B") | .fields' "$D/status.ndjson"
	assert_output '{"status":[0,4]}'
	run -0 jq -r 'select(.model_id == "Qwen/Qwen2-0.5B") | .change' "$D/status.ndjson"
	assert_output ""
}

@test "hf-diff: gaps moved, added, removed and now supported" {
	golden gaps
	run -0 jq -c 'select(.change == "gap_removed") | [.architecture_id, .now_supported]' "$D/gaps.ndjson"
	assert_output '["Gap03ForCausalLM",true]
["Gap11ForCausalLM",false]'
}

@test "hf-diff: identical inputs: the totals only; \"No changes.\"" {
	golden identical base
	assert_equal "$(wc -l <"$D/identical.ndjson")" 1
	grep -qx 'No changes.' "$D/identical.md"
	run -0 --separate-stderr hf-diff "$D/tl-registry-2026-04-16" \
	    "$D/tl-registry-2026-04-16"
	assert_equal "${#lines[@]}" 1
	run -0 hf-diff --summary "$D/base" "$D/base"
	assert_output "+0 supported models, 0 removed, 0 changed, +0 architectures, 0 gaps now supported; models 8 -> 8, verified 3 -> 3"
}

@test "hf-diff: a missing gaps file counts as empty, both ways; an empty list too" {
	golden nogaps
	golden emptygaps
	run -0 hf-diff "$D/nogaps" "$D/base"
	assert_equal "$(printf '%s\n' "$output" | grep -c '"gap_added"')" 25
	mkdir empty
	run -0 hf-diff empty empty
	assert_output '{"change":"totals","old":{"total_models":0,"total_architectures":0,"total_verified":0,"total_unsupported_architectures":0,"total_unsupported_models":0},"new":{"total_models":0,"total_architectures":0,"total_verified":0,"total_unsupported_architectures":0,"total_unsupported_models":0}}'
	run -0 hf-diff empty "$D/base"
	assert_equal "$(printf '%s\n' "$output" | grep -c '"model_added"')" 8
}

@test "hf-diff: the example report in docs/ is what the fixtures give" {
	run -0 hf-diff --markdown "$D/base" "$D/example"
	if [ "$output" != "$(cat "$ROOT/docs/example-report.md")" ]; then
		echo "docs/example-report.md is stale; refresh it with:" >&2
		echo "  bin/hf-diff --markdown tests/fixtures/diff/base tests/fixtures/diff/example >docs/example-report.md" >&2
		return 1
	fi
}

@test "hf-diff: an unparseable or unreadable file is an error naming it, exit 1" {
	mkdir -p bad1 bad2 bad3 ok
	cp "$D/base/"*.json ok/
	printf '{"models": [' >bad1/supported_models.json
	run -1 --separate-stderr hf-diff bad1 ok
	assert_output ""
	assert_regex "$stderr" "^hf-diff: bad1/supported_models.json: "
	cp "$D/base/supported_models.json" bad2/
	printf '[1, 2]' >bad2/architecture_gaps.json
	run -1 --separate-stderr hf-diff ok bad2
	assert_equal "$stderr" "hf-diff: bad2/architecture_gaps.json: not a JSON object"
	printf '{"models": {}}' >bad3/supported_models.json
	run -1 --separate-stderr hf-diff --markdown ok bad3
	assert_equal "$stderr" "hf-diff: bad3/supported_models.json: models: not a list"
	: >bad3/supported_models.json
	run -1 --separate-stderr hf-diff ok bad3
	assert_regex "$stderr" "^hf-diff: bad3/supported_models.json: "
	mkdir -p dir/supported_models.json
	run -1 --separate-stderr hf-diff ok dir
	assert_regex "$stderr" "^hf-diff: dir/supported_models.json: "
	# both files may be missing, not the directory
	run -1 --separate-stderr hf-diff ok no-such-dir
	assert_equal "$stderr" "hf-diff: no-such-dir: No such file or directory"
	run -1 --separate-stderr hf-diff ok/supported_models.json ok
	assert_equal "$stderr" "hf-diff: ok/supported_models.json: Not a directory"
}

@test "hf-diff: the same input twice gives the same bytes" {
	hf-diff "$D/base" "$D/example" >a1
	hf-diff "$D/base" "$D/example" >a2
	hf-diff --markdown "$D/base" "$D/example" >m1
	hf-diff --markdown "$D/base" "$D/example" >m2
	cmp a1 a2
	cmp m1 m2
}

@test "hf-diff: a model id twice in a file: its first entry is compared, and it is said" {
	mkdir -p dup
	cp "$D/base/architecture_gaps.json" dup/
	jq '.models += [.models[0] | .status = 0 | .note = "second"]' \
	    "$D/base/supported_models.json" >dup/supported_models.json
	run -0 --separate-stderr hf-diff "$D/base" dup
	assert_equal "${#lines[@]}" 1
	assert_equal "$stderr" "hf-diff: dup/supported_models.json: 1 repeated model ids: the first entry of each is compared"
	# but it counts as an entry, as len(models) does
	assert_equal "$(printf '%s' "$output" | jq .new.total_models)" 9
}

# The hostile registry: ids and architectures that try to end a table
# cell, open code, links, HTML, or a new line; a 10,000-character name.
hostile() {
	mkdir -p old new
	python3 - <<-'EOF'
	import json
	bad = ["x|y", "a`b`c", "<script>alert(1)</script>", "[x](http://e.example)",
	       "line\nbreak\r\n# heading", "**bold** _em_ ~~s~~ $x$",
	       "<img src=x onerror=alert(1)>", "&lt;b&gt;", "\\|\\", "\x00\x07\x1b[31m",
	       "\u2028\ud800", "x" * 10000, "![i](j)", "<!-- c -->", "`" * 5]
	def e(a, m, s=0):
	    return {"architecture_id": a, "model_id": m, "status": s,
	            "verified_date": None, "metadata": {"downloads": 5},
	            "note": None}
	old = [e("A" + b, "o/" + b, 1) for b in bad]
	new = [e(b, "n/" + b) for b in bad] + [dict(x, status=2, note=b) for x, b in zip(old, bad)][:8]
	gaps = [{"architecture_id": "G" + b, "total_models": 1, "relevancy_score": 1.0} for b in bad]
	for d, m, g in (("old", old, gaps), ("new", new, gaps[::-1])):
	    json.dump({"models": m}, open(d + "/supported_models.json", "w"))
	    json.dump({"gaps": g}, open(d + "/architecture_gaps.json", "w"))
	EOF
}

# check_html FILE: the Markdown rendered as GitHub would (tables,
# <details> with Markdown inside): only the tags hf-diff writes itself,
# tables whose rows all have the header's number of cells.
check_html() {
	pymd - "$1" <<-'EOF'
	import sys, markdown
	from html.parser import HTMLParser
	text = open(sys.argv[1], encoding="utf-8").read()
	html = markdown.markdown(text, extensions=["tables", "md_in_html"])
	ours = {"h2", "h3", "p", "strong", "table", "thead", "tbody", "tr",
	        "th", "td", "details", "summary"}
	class P(HTMLParser):
	    def __init__(self):
	        super().__init__()
	        self.bad, self.rows, self.cells, self.tables = [], [], 0, 0
	    def handle_starttag(self, tag, attrs):
	        if tag not in ours:
	            self.bad.append(tag)
	        if tag == "table":
	            self.tables += 1
	            self.rows.append([])
	        if tag == "tr":
	            self.cells = 0
	        if tag in ("td", "th"):
	            self.cells += 1
	    def handle_endtag(self, tag):
	        if tag == "tr":
	            self.rows[-1].append(self.cells)
	    def handle_comment(self, data):
	        self.bad.append("<!--")
	p = P()
	p.feed(html)
	assert not p.bad, ("tags from the data", p.bad)
	assert p.tables > 0, "no table rendered"
	for r in p.rows:
	    assert len(set(r)) == 1, ("a row with other cells", r)
	assert "<script" not in html and "onerror" not in html.replace("onerror=alert", "")
	print(p.tables, "tables")
	EOF
}

@test "hf-diff: hostile ids and names break no table and inject no markup" {
	hostile
	run -0 --separate-stderr hf-diff --markdown old new
	printf '%s\n' "$output" >r.md
	run -0 check_html r.md
	# no raw < from the data: every < opens a tag of hf-diff's own
	assert_equal "$(grep -v -e '^<details markdown="1">$' \
	    -e '^<summary>[a-z0-9 ]*</summary>$' -e '^</details>$' r.md |
	    grep -c '<')" 0
	# a long name is cut, with an ellipsis
	run -0 grep -c 'xxxxxxxxxx…' r.md
	run -1 grep 'x\{101\}' r.md
	# the records stay one valid JSON object a line
	run -0 sh -c 'hf-diff old new | jq -c .change | sort | uniq -c'
	run -0 sh -c 'hf-diff old new | wc -l'
}

@test "hf-diff: 10,000 new models keep the Markdown under 65,536 characters" {
	mkdir -p old new
	python3 - <<-'EOF'
	import json
	archs = ["Arch%dForCausalLM" % i for i in range(40)]
	new = [{"architecture_id": archs[i % 40], "model_id": "org%d/%s-%d" % (i % 97, "m" * 60, i),
	        "status": 0, "metadata": {"downloads": i * 37 % 100000}} for i in range(10000)]
	old = [{"architecture_id": "Old%d" % i, "model_id": "old/%d|<b>" % i, "status": 1,
	        "verified_date": "2026-01-01"} for i in range(3000)]
	gaps = [{"architecture_id": "Gap%d" % i, "total_models": 1, "relevancy_score": 1.0} for i in range(2000)]
	json.dump({"models": old}, open("old/supported_models.json", "w"))
	json.dump({"gaps": gaps}, open("old/architecture_gaps.json", "w"))
	json.dump({"models": new + [dict(m, status=2) for m in old[:1500]]}, open("new/supported_models.json", "w"))
	json.dump({"gaps": gaps[::-1]}, open("new/architecture_gaps.json", "w"))
	EOF
	hf-diff --markdown --top 1000 old new >r.md
	run -0 python3 -c 'import sys; print(len(open(sys.argv[1], encoding="utf-8").read()))' r.md
	[ "$output" -lt 65536 ]
	grep -q 'not listed here' r.md
	grep -q 'Verified models missing' r.md
	run -0 sh -c 'hf-diff old new | grep -c "\"model_added\""'
	assert_output 10000
	run -0 check_html r.md
}

@test "hf-diff: the snapshot of 2026-04-16 against a changed copy agrees with a computation in Python" {
	mkdir -p new
	cp "$D/tl-registry-2026-04-16/"*.json new/
	python3 - new <<-'EOF'
	import json, random, sys
	random.seed(18)
	d = sys.argv[1]
	s = json.load(open(d + "/supported_models.json"))
	g = json.load(open(d + "/architecture_gaps.json"))
	m = s["models"]
	for i in sorted(random.sample(range(len(m)), 40), reverse=True):
	    del m[i]
	for i in random.sample(range(len(m)), 60):
	    m[i]["status"] = random.choice([0, 1, 2, 3, 4])
	    m[i]["verified_date"] = "2026-05-0%d" % random.randint(1, 9)
	for i in random.sample(range(len(m)), 10):
	    m[i]["phase3_score"] = 55.5
	for i in range(120):
	    m.append({"architecture_id": random.choice(["LlamaForCausalLM", "NewArch%dForCausalLM" % (i % 3)]),
	              "model_id": "new-org/model-%d" % i, "status": 0, "verified_date": None,
	              "metadata": {"downloads": random.randint(0, 10**6)}, "note": None})
	gaps = g["gaps"]
	random.shuffle(gaps)
	del gaps[:5]
	json.dump(s, open(d + "/supported_models.json", "w"), indent=2)
	json.dump(g, open(d + "/architecture_gaps.json", "w"), indent=2)
	EOF
	hf-diff "$D/tl-registry-2026-04-16" new >got.ndjson 2>/dev/null
	python3 - "$D/tl-registry-2026-04-16" new got.ndjson <<-'EOF'
	import json, sys, fnmatch
	def load(d):
	    s = json.load(open(d + "/supported_models.json"))
	    g = json.load(open(d + "/architecture_gaps.json"))
	    first = {}
	    for e in s["models"]:
	        first.setdefault(e["model_id"], e)
	    t = {"total_models": len(s["models"]),
	         "total_architectures": len({e["architecture_id"] for e in s["models"]}),
	         "total_verified": sum(1 for e in s["models"] if e.get("status") == 1),
	         "total_unsupported_architectures": len(g["gaps"]),
	         "total_unsupported_models": sum(x["total_models"] for x in g["gaps"])}
	    return first, t
	(o, to), (n, tn) = load(sys.argv[1]), load(sys.argv[2])
	got = [json.loads(l) for l in open(sys.argv[3])]
	assert got[0] == {"change": "totals", "old": to, "new": tn}, got[0]
	key = lambda e: (e["architecture_id"].encode(), e["model_id"].encode())
	added = [{"change": "model_added", "model_id": e["model_id"], "architecture_id": e["architecture_id"],
	          "downloads": (e.get("metadata") or {}).get("downloads")}
	         for e in sorted((e for i, e in n.items() if i not in o), key=key)]
	removed = [{"change": "model_removed", "model_id": e["model_id"], "architecture_id": e["architecture_id"],
	            "status": e.get("status")} for e in sorted((e for i, e in o.items() if i not in n), key=key)]
	changed = []
	for e in sorted((e for i, e in n.items() if i in o), key=key):
	    a = o[e["model_id"]]
	    names = ["architecture_id", "status", "verified_date", "note"]
	    names += sorted({k for k in list(a) + list(e) if fnmatch.fnmatchcase(k, "phase*_score")})
	    f = {k: [a.get(k), e.get(k)] for k in names if a.get(k) != e.get(k)}
	    if f:
	        changed.append({"change": "model_changed", "model_id": e["model_id"], "fields": f})
	for kind, want in (("model_added", added), ("model_removed", removed), ("model_changed", changed)):
	    have = [r for r in got if r["change"] == kind]
	    assert have == want, (kind, len(have), len(want))
	    assert want, kind
	print(len(added), len(removed), len(changed))
	EOF
	# the Markdown's count of new models is the records'
	run -0 hf-diff --markdown "$D/tl-registry-2026-04-16" new
	assert_line "### New supported models (120)"
}

@test "hf-scraper --report: the report's new models are the summary's; a failed scan writes none" {
	python3 "$FAKEHUB" --synthetic 800 --seed 18 --write-corpus corpus.ndjson
	fakehub_start --corpus corpus.ndjson
	run -0 --separate-stderr hf-scraper --limit 100 --no-canonical-sweep -o out --report r1.md
	run -0 --separate-stderr hf-scraper --limit 300 -o out --report r.md
	new=$(printf '%s\n' "$stderr" | sed -n 's/.* INFO: New supported models: \([0-9]*\).*/\1/p')
	[ "$new" -gt 0 ]
	assert_regex "$stderr" "INFO: report: r.md \(\+$new supported models, "
	grep -qx "### New supported models ($new)" r.md
	run -0 check_html r.md
	# no temporary left beside the report or in the output directory
	assert_equal "$(ls -A . out | grep -c tmp)" 0
	# a failed scan: no report written, an existing one left as it is
	cp r.md before.md
	HF_ENDPOINT=http://127.0.0.1:1 run -1 --separate-stderr \
	    hf-scraper --limit 300 --no-canonical-sweep -o out --report r.md
	cmp r.md before.md
	HF_ENDPOINT=http://127.0.0.1:1 run -1 --separate-stderr \
	    hf-scraper --limit 300 --no-canonical-sweep -o out --report new.md
	assert_file_not_exists new.md
	assert_equal "$(ls -A . out | grep -c tmp)" 0
}
