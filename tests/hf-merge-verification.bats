#!/usr/bin/env bats
# SPEC 9.5: the fields owned by TransformerLens's verification tooling
# (status, verified_date, note, phase*_score) and what this project does
# not know (status 4, "provisional"; unknown keys of an entry or of the
# file) go through every merge exactly as they are; total_verified counts
# status 1 only.
# shellcheck disable=SC2154 # $stderr, $stderr_lines: set by bats' run
bats_require_minimum_version 1.5.0

setup() {
	load helper
	hf_setup
	cd "$BATS_TEST_TMPDIR" || exit 1
	mkdir data
	# as TransformerLens's tooling writes it: json.dump(indent=2)
	python3 - <<'EOF'
import json
def entry(arch, mid, status, date=None, note=None, scores=(None,) * 6, **extra):
    e = {"architecture_id": arch, "model_id": mid, "status": status,
         "verified_date": date, "metadata": {"downloads": 10, "likes": 1,
         "last_modified": "2025-01-02T03:04:05+00:00", "tags": ["t"],
         "parameter_count": 5},
         "note": note}
    for k, v in zip(["phase1_score", "phase2_score", "phase3_score",
                     "phase4_score", "phase7_score", "phase8_score"], scores):
        e[k] = v
    e.update(extra)
    return e
models = [
    entry("LlamaForCausalLM", "v/verified", 1, "2026-02-23",
          "Full verification completed \u2014 caf\u00e9",
          (100.0, 67.4, 1e-05, 0.0, None, 99.5)),
    entry("LlamaForCausalLM", "v/skipped", 2, None,
          "Estimated 708.8 GB exceeds 96.0 GB limit"),
    entry("GPT2LMHeadModel", "v/failed", 3, "2026-03-01", "P3=42.0 < 75.0",
          (98.0, 42.0, None, None, None, None),
          verifier={"host": "gpu-7", "runs": [1, 2], "empty": {}}),
    entry("GPT2LMHeadModel", "v/provisional", 4, "2026-04-01",
          "provisional: pending P4", (100.0, 100.0, 100.0, None, None, None),
          provisional_since="2026-04-01"),
    entry("Qwen2ForCausalLM", "v/unverified", 0),
    entry("Qwen2ForCausalLM", "v/verified-too", 1, "2026-01-05", None,
          (100.0, 100.0, 100.0, 100.0, 100.0, 100.0)),
    entry("Qwen2ForCausalLM", "v/string-one", "1", None, "a string is not 1"),
]
doc = {"generated_at": "2026-04-01",
       "scan_info": {"total_scanned": 4839, "task_filter": "text-generation",
                     "min_downloads": 500, "scan_duration_seconds": 4.9},
       "total_architectures": 3, "total_models": 7, "total_verified": 2,
       "total_provisional": 1, "models": models,
       "verification_tool": {"version": "2.1", "phases": [1, 2, 3, 4]}}
with open("data/supported_models.json", "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
gaps = {"generated_at": "2026-04-01", "scan_info": doc["scan_info"],
        "total_unsupported_architectures": 0, "total_unsupported_models": 0,
        "gaps": [], "total_provisional": 0}
with open("data/architecture_gaps.json", "w") as f:
    json.dump(gaps, f, indent=2)
# new records, and ones for models already in the file, with other
# architectures and counts: the entries there win
for mid, arch in [("n/one", "LlamaForCausalLM"), ("v/verified", "MistralForCausalLM"),
                  ("v/provisional", "LlamaForCausalLM"), ("n/two", "PhiForCausalLM"),
                  ("v/failed", "GPT2LMHeadModel")]:
    print(json.dumps({"id": mid, "architecture": arch, "supported": True,
                      "downloads": 7, "likes": 0, "tags": [],
                      "last_modified": "2026-01-01T00:00:00.000Z",
                      "parameter_count": None}), file=open("records.ndjson", "a"))
EOF
	cp data/supported_models.json before.json
	cp data/architecture_gaps.json before-gaps.json
}

# kept_prefix OLD NEW: NEW's model list begins with OLD's entries, byte
# for byte (both as json.dump(indent=2) writes them), and every
# top-level key of OLD but the recomputed ones is in NEW with its text.
kept_prefix() {
	python3 - "$1" "$2" <<'EOF'
import json, sys
old = open(sys.argv[1]).read()
new = open(sys.argv[2]).read()
head = '  "models": [\n'
o = old[old.index(head) + len(head):old.index('\n  ]')]
n = new[new.index(head) + len(head):]
assert n.startswith(o), "the old entries are not kept byte for byte"
d_old, d_new = json.loads(old), json.loads(new)
for k in d_old:
    if k in ("generated_at", "scan_info", "total_architectures",
             "total_models", "total_verified", "models"):
        continue
    text = json.dumps(d_old[k], indent=2).replace("\n", "\n  ")
    assert '\n  "%s": %s' % (k, text) in new, k
    assert d_new[k] == d_old[k], k
EOF
}

@test "hf-merge verification: supported adds new models and changes no field of an existing entry" {
	run -0 --separate-stderr hf-merge supported -o data --date 2026-04-16 \
	    --scanned 10 --task text-generation --min-downloads 500 \
	    --duration 1.5 records.ndjson
	assert_equal "$stderr" "hf-merge: data/supported_models.json: left out: 3 models already in the file"
	kept_prefix before.json data/supported_models.json
	run -0 jq -c '[.total_models, .total_architectures, .total_verified,
	    .total_provisional, ([.models[].status] | map(tostring) | join(" ")),
	    .models[-2:][].model_id, (keys_unsorted | join(" "))]' data/supported_models.json
	assert_output '[9,4,2,1,"1 2 3 4 0 1 1 0 0","n/one","n/two","generated_at scan_info total_architectures total_models total_verified models total_provisional verification_tool"]'
	# the verified entry's fields, as they were
	run -0 jq -c '.models[0] | [.status, .verified_date, .note, .phase1_score, .phase3_score, .phase8_score]' data/supported_models.json
	assert_output '[1,"2026-02-23","Full verification completed — café",100,1e-05,99.5]'
}

@test "hf-merge verification: supported --keep-scan-info keeps scan_info and every entry" {
	run -0 --separate-stderr hf-merge supported -o data --date 2026-04-16 \
	    --keep-scan-info records.ndjson
	kept_prefix before.json data/supported_models.json
	sed -n 2,8p before.json >want
	sed -n 2,8p data/supported_models.json | sed 's/2026-04-16/2026-04-01/' >got
	cmp want got
	run -0 jq -c '[.total_verified, .total_provisional]' data/supported_models.json
	assert_output '[2,1]'
	# again with nothing new: the file as it was (the headers were
	# right), but that the keys this tool does not know follow the ones
	# it knows (SPEC 2.6), each with its text
	cp before.json data/supported_models.json
	run -0 --separate-stderr hf-merge supported -o data --date 2026-04-01 \
	    --keep-scan-info </dev/null
	python3 -c 'import json, sys
d = json.load(open("before.json"))
known = ["generated_at", "scan_info", "total_architectures", "total_models",
         "total_verified", "models"]
o = {k: d[k] for k in known}
o.update((k, v) for k, v in d.items() if k not in known)
sys.stdout.write(json.dumps(o, indent=2) + "\n")' >want
	cmp want data/supported_models.json
}

@test "hf-merge verification: gaps leaves supported_models.json alone and keeps unknown keys" {
	run -0 --separate-stderr hf-merge gaps -o data --date 2026-04-16 \
	    --keep-scan-info <<<'{"architecture_id":"X","total_models":2}'
	cmp before.json data/supported_models.json
	run -0 jq -c '[.total_unsupported_architectures, .total_unsupported_models, .total_provisional, .scan_info.total_scanned]' data/architecture_gaps.json
	assert_output '[1,2,0,4839]'
}

@test "hf-merge verification: total_verified counts status 1 only, as Python compares it" {
	python3 - <<'EOF'
import json
statuses = [1, 2, 3, 4, 0, "1", 1.0, True, None, -1, 11, [1], {"s": 1}]
doc = {"models": [{"architecture_id": "A", "model_id": "m%d" % i, "status": s}
                  for i, s in enumerate(statuses)]
       + [{"architecture_id": "A", "model_id": "no-status"}]}
json.dump(doc, open("data/supported_models.json", "w"), indent=2)
EOF
	run -0 --separate-stderr hf-merge supported -o data --date 2026-04-16 </dev/null
	run -0 jq -c '[.total_verified, .total_models, [.models[].status]]' data/supported_models.json
	assert_output '[3,14,[1,2,3,4,0,"1",1,true,null,-1,11,[1],{"s":1},null]]'
	grep -qx "      \"status\": 1.0" data/supported_models.json
}
