#!/usr/bin/env bats
# hf-score: aggregation, the relevancy score against Python and the real
# registry, ordering, --registry, malformed input.
bats_require_minimum_version 1.5.0

setup() {
	load helper
	hf_setup
	S="$FIX/score"
	REAL="$FIX/merge/tl-registry-2026-04-16"
	cd "$BATS_TEST_TMPDIR" || exit 1
}

# The gaps of a registry file as NDJSON lines, as Python writes them.
gap_lines() {
	python3 -c 'import json, sys
for g in json.load(open(sys.argv[1]))["gaps"]:
    print(json.dumps(g, ensure_ascii=False, separators=(",", ":")))' "$1"
}

@test "hf-score: --registry without a file is a usage error, exit 2" {
	run -2 --separate-stderr hf-score --registry
	assert_equal "$output" ""
	assert_equal "${stderr_lines[0]}" "hf-score: option '--registry' requires an argument"
}

@test "hf-score: a missing file is fatal, exit 1" {
	run -1 --separate-stderr hf-score nope.ndjson
	assert_equal "$stderr" "hf-score: nope.ndjson: No such file or directory"
	assert_equal "$output" ""
}

@test "hf-score: a bad registry is fatal, exit 1" {
	run -1 --separate-stderr hf-score --registry nope.json "$S/records.ndjson"
	assert_equal "$output" ""
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "${stderr_lines[0]%%:*}" "hf-score"
}

@test "hf-score: empty input prints nothing, exit 0" {
	run -0 --separate-stderr hf-score </dev/null
	assert_equal "$output" ""
	assert_equal "$stderr" ""
}

@test "hf-score: records are aggregated per architecture (golden file)" {
	run -0 --separate-stderr hf-score "$S/records.ndjson"
	assert_output "$(cat "$S/records.out")"
	assert_equal "$stderr" "hf-score: left out: 1 supported record, 1 record with no architecture, 1 repeated model"
}

@test "hf-score: stdin, - and several files; a model counts once however often it comes" {
	run -0 --separate-stderr hf-score - "$S/records.ndjson" <"$S/records.ndjson"
	# the gap entry in the file counts twice (summed), the records once
	assert_line --index 0 --partial '"total_models":152,'
	assert_line --index 1 --partial '"architecture_id":"MambaForCausalLM","total_models":12,"total_downloads":78000,'
	# the same models under two task filters: the same counts
	grep -v architecture_id "$S/records.ndjson" >records
	cat records records >twice
	run -0 --separate-stderr hf-score records
	printf '%s\n' "$output" >once.out
	run -0 --separate-stderr hf-score twice
	assert_output "$(cat once.out)"
	assert_equal "$stderr" "hf-score: left out: 2 supported records, 2 records with no architecture, 22 repeated models"
	run -0 --separate-stderr hf-score - records <records
	assert_output "$(cat once.out)"
}

@test "hf-score: a model under two architectures counts in each" {
	printf '%s\n' '{"id":"o/m","architecture":"A","downloads":5}' \
	    '{"id":"o/m","architecture":"B","downloads":5}' >in
	run -0 hf-score in
	assert_line --index 0 '{"architecture_id":"A","total_models":1,"total_downloads":5,"min_param_count":null,"sample_models":["o/m"],"relevancy_score":80.0}'
	assert_line --index 1 '{"architecture_id":"B","total_models":1,"total_downloads":5,"min_param_count":null,"sample_models":["o/m"],"relevancy_score":80.0}'
}

@test "hf-score: --registry drops adapted architectures before scoring (golden file)" {
	run -0 --separate-stderr hf-score --registry "$S/registry.json" "$S/records.ndjson"
	assert_output "$(cat "$S/records-registry.out")"
	assert_equal "$stderr" "hf-score: left out: 1 supported record, 1 record with no architecture, 1 repeated model, 1 record of 1 architecture supported by the registry"
}

@test "hf-score: --registry renormalises: the maxima are over the gaps printed" {
	printf '%s\n' '{"architecture_id":"Big","total_models":10,"total_downloads":1000000,"min_param_count":null,"sample_models":[]}' \
	    '{"architecture_id":"Small","total_models":5,"total_downloads":1000,"min_param_count":null,"sample_models":[]}' >in
	printf '{"supported_architectures":["Big"]}\n' >reg.json
	run -0 hf-score in
	assert_line --index 1 --partial '"architecture_id":"Small","total_models":5'
	assert_line --index 1 --partial '"relevancy_score":40.0}'
	run -0 --separate-stderr hf-score --registry reg.json in
	assert_output '{"architecture_id":"Small","total_models":5,"total_downloads":1000,"min_param_count":null,"sample_models":[],"relevancy_score":80.0}'
	assert_equal "$stderr" "hf-score: left out: 1 gap entry of 1 architecture supported by the registry"
	# a registry without them changes nothing
	printf '{"supported_architectures":["Other"]}\n' >none.json
	run -0 hf-score --registry none.json in
	assert_equal "${#lines[@]}" 2
}

@test "hf-score: issue 4 (a): every relevancy_score of the real architecture_gaps.json is reproduced" {
	gap_lines "$REAL/architecture_gaps.json" >gaps.ndjson
	run -0 --separate-stderr hf-score gaps.ndjson
	assert_equal "$stderr" ""
	printf '%s\n' "$output" >out.ndjson
	# the same 413 gaps, in the same order, byte for byte
	assert_equal "$(wc -l <out.ndjson)" 413
	cmp gaps.ndjson out.ndjson
	# and each score, compared as numbers
	run -0 python3 -c 'import json, sys
a = [json.loads(l) for l in open("gaps.ndjson")]
b = {g["architecture_id"]: g["relevancy_score"] for g in map(json.loads, open("out.ndjson"))}
print(sum(g["relevancy_score"] == b[g["architecture_id"]] for g in a))'
	assert_output 413
}

@test "hf-score: the real gaps in another order give the same scores, ties in input order" {
	gap_lines "$REAL/architecture_gaps.json" | tac >rev.ndjson
	run -0 hf-score rev.ndjson
	printf '%s\n' "$output" >out.ndjson
	python3 "$ORACLES/score_ref.py" rev.ndjson >want.ndjson
	cmp want.ndjson out.ndjson
}

@test "hf-score: 100 random inputs agree with an independent Python model, byte for byte" {
	python3 "$ORACLES/random_cases.py" . 100
	local s
	for s in $(seq 1 100); do
		echo "== $s"
		hf-score in.$s 2>/dev/null
		echo "== $s --registry"
		hf-score --registry reg.json in.$s 2>/dev/null
	done >got
	cmp want got
	[ "$(wc -l <got)" -gt 1000 ]
}

@test "hf-score: scores round half to even on the binary value, as Python's round" {
	# total_models k of max 200 gives demand k/2 exactly (0.45 * demand):
	# scores at every .x5 boundary Python rounds one way or the other
	python3 -c 'import json
print(json.dumps({"architecture_id": "Max", "total_models": 200, "total_downloads": 0, "min_param_count": None}))
for k in range(1, 200):
    print(json.dumps({"architecture_id": "A%d" % k, "total_models": k, "total_downloads": 0, "min_param_count": None}))' >in
	run -0 hf-score in
	printf '%s\n' "$output" >out
	python3 "$ORACLES/score_ref.py" in >want
	cmp want out
	assert_line --index 199 '{"architecture_id":"A1","total_models":1,"total_downloads":0,"min_param_count":null,"sample_models":[],"relevancy_score":0.2}'
}

@test "hf-score: gap entries mixed in are combined: counts summed, min taken, samples first" {
	printf '%s\n' \
	    '{"id":"r/1","architecture":"X","downloads":10,"parameter_count":5000000000}' \
	    '{"architecture_id":"X","total_models":3,"total_downloads":90,"min_param_count":7000000001,"sample_models":["g/1","r/1","g/2"],"relevancy_score":1.0}' \
	    '{"id":"r/2","architecture":"X","downloads":1,"parameter_count":900000000}' \
	    '{"architecture_id":"X","total_models":1,"total_downloads":0,"min_param_count":null,"sample_models":["g/3"]}' >in
	run -0 hf-score in
	assert_output '{"architecture_id":"X","total_models":6,"total_downloads":101,"min_param_count":900000000,"sample_models":["g/1","r/1","g/2","g/3","r/2"],"relevancy_score":100.0}'
}

@test "hf-score: fields of the wrong type count as null or 0" {
	printf '%s\n' \
	    '{"id":"a/1","architecture":"X","downloads":"12","parameter_count":1.5}' \
	    '{"id":"a/2","architecture":"X","downloads":-4,"parameter_count":"7"}' \
	    '{"id":"a/3","architecture":"X","downloads":2.0}' \
	    '{"architecture_id":"X","total_models":"9","total_downloads":null,"sample_models":"no","min_param_count":[1]}' >in
	run -0 hf-score in
	assert_output '{"architecture_id":"X","total_models":3,"total_downloads":0,"min_param_count":null,"sample_models":["a/1","a/2","a/3"],"relevancy_score":45.0}'
}

@test "hf-score: malformed lines are reported with FILE:LINE and skipped, exit 3" {
	printf '%s\n' '{"id":"ok/1","architecture":"X","downloads":1}' '' \
	    '[1,2]' '{"id":' '{"architecture":"X"}' '{"id":7,"architecture":"X"}' \
	    '{"architecture_id":null}' '   ' '{"id":"ok/2","architecture":"X"}' >in
	printf '{"id":"bad\xff","architecture":"X"}\n' >>in
	printf '{"id":"nul\000","architecture":"X"}\n' >>in
	run -3 --separate-stderr hf-score in
	assert_output '{"architecture_id":"X","total_models":2,"total_downloads":1,"min_param_count":null,"sample_models":["ok/1","ok/2"],"relevancy_score":80.0}'
	assert_equal "${#stderr_lines[@]}" 9
	assert_equal "${stderr_lines[0]}" "hf-score: in:2: empty"
	assert_equal "${stderr_lines[1]}" "hf-score: in:3: not a JSON object"
	assert_equal "${stderr_lines[2]}" "hf-score: in:4: truncated JSON"
	assert_equal "${stderr_lines[3]}" "hf-score: in:5: id: missing"
	assert_equal "${stderr_lines[4]}" "hf-score: in:6: id: not a string"
	assert_equal "${stderr_lines[5]}" "hf-score: in:7: architecture_id: not a string"
	assert_equal "${stderr_lines[6]%%:*}" "hf-score"
	assert_equal "${stderr_lines[6]:0:14}" "hf-score: in:8"
	assert_equal "${stderr_lines[7]:0:15}" "hf-score: in:10"
	assert_equal "${stderr_lines[8]:0:15}" "hf-score: in:11"
}

@test "hf-score: a line over 1 MiB is read whole" {
	python3 -c 'import json
print(json.dumps({"id": "big/1", "architecture": "X", "downloads": 3, "tags": ["t" * 100] * 15000}))
print(json.dumps({"id": "big/2", "architecture": "X", "downloads": 4}))' >in
	[ "$(head -n 1 in | wc -c)" -gt 1048576 ]
	run -0 hf-score in
	assert_output '{"architecture_id":"X","total_models":2,"total_downloads":7,"min_param_count":null,"sample_models":["big/1","big/2"],"relevancy_score":80.0}'
}

@test "hf-score: --line-buffered gives the same output" {
	run -0 --separate-stderr hf-score --line-buffered "$S/records.ndjson"
	assert_output "$(cat "$S/records.out")"
}

@test "hf-score: the man page examples run" {
	cp "$S/records.ndjson" "$S/registry.json" "$S/architecture_gaps.json" .
	local ex n=0
	while IFS= read -r ex; do
		run -0 --separate-stderr sh -c "$ex"
		n=$((n + 1))
	done <<EOF
$(sed -n 's/^\.Dl \$ //p' "$ROOT/man/hf-score.1" | sed 's/\\(dq/"/g; s/\\e/\\/g')
EOF
	assert_equal "$n" 3
	assert_equal "$(wc -l <gaps.ndjson)" 6
	run -0 --separate-stderr sh -c "jq -c '.gaps[]' architecture_gaps.json | hf-score --registry registry.json"
	assert_equal "${#lines[@]}" 2
}
