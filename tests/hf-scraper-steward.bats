#!/usr/bin/env bats
# hf-scraper for the registry's stewards (SPEC 9.3-9.5): --offline
# reclassification of the ledger, several tasks in one run, fields owned
# by verification kept byte for byte.
bats_require_minimum_version 1.5.0

setup_file() {
	load helper
	fakehub_suite_setup --synthetic 3000 --seed 5
	# registry A lacks JambaForCausalLM, B has it (no canonical orgs)
	jq 'del(.supported_architectures[] | select(. == "JambaForCausalLM"))' \
	    "$ROOT/data/registry.json" >"$BATS_FILE_TMPDIR/a.json"
	jq '.supported_architectures += ["JambaForCausalLM"]' \
	    "$BATS_FILE_TMPDIR/a.json" >"$BATS_FILE_TMPDIR/b.json"
}

setup() {
	load helper
	hf_setup
	A=$BATS_FILE_TMPDIR/a.json B=$BATS_FILE_TMPDIR/b.json
}

teardown() {
	fakehub_teardown
}

# the supported set: id, architecture and metadata of each entry, sorted
supported_set() {
	jq -S '[.models[] | {model_id, architecture_id, metadata}] | sort_by(.model_id)' "$1"
}

# the gaps: what each architecture's entry says, sorted
gaps_set() {
	jq -S '[.gaps[]] | sort_by(.architecture_id)' "$1"
}

@test "hf-scraper --offline: an adapter lands: its models move to supported, the gaps rescored, no request" {
	fakehub_start --corpus "$CORPUS"
	run -0 hf-scraper --full-scan --min-downloads 0 --registry "$A" -o out
	jq -e '.gaps[] | select(.architecture_id == "JambaForCausalLM")' out/architecture_gaps.json >/dev/null
	run -0 hf-scraper --full-scan --min-downloads 0 --registry "$B" -o fresh
	fakehub_stop
	cp "$FAKEHUB_LOG" log.before
	scan_info=$(jq -c .scan_info out/supported_models.json)
	run -0 --separate-stderr hf-scraper --offline --registry "$B" -o out
	assert_regex "$stderr" "offline: JambaForCausalLM is supported now: [0-9]+ models move to supported_models.json"
	cmp "$FAKEHUB_LOG" log.before
	assert_equal "$(supported_set out/supported_models.json)" "$(supported_set fresh/supported_models.json)"
	assert_equal "$(gaps_set out/architecture_gaps.json)" "$(gaps_set fresh/architecture_gaps.json)"
	# scan_info is kept as it was; the ledger holds no Jamba model now
	assert_equal "$(jq -c .scan_info out/supported_models.json)" "$scan_info"
	run -1 grep -c '"JambaForCausalLM"' out/scrape_ledger.ndjson
	# HF_HUB_OFFLINE=1 does the same; a second pass moves nothing
	HF_HUB_OFFLINE=1 run -0 --separate-stderr hf-scraper --registry "$B" -o out
	refute_regex "$stderr" "models move"
	assert_equal "$(supported_set out/supported_models.json)" "$(supported_set fresh/supported_models.json)"
	assert_equal "$(ls -A out)" "$(ls -A fresh)"
}

@test "hf-scraper --offline --architecture: only that architecture's models move" {
	fakehub_start --corpus "$CORPUS"
	jq 'del(.supported_architectures[] | select(. == "MistralForCausalLM"))' "$A" >a2.json
	jq '.supported_architectures += ["JambaForCausalLM", "MistralForCausalLM"]' a2.json >b2.json
	run -0 hf-scraper --full-scan --min-downloads 0 --no-canonical-sweep --registry a2.json -o out
	fakehub_stop
	run -0 --separate-stderr hf-scraper --offline --architecture JambaForCausalLM --registry b2.json -o out
	assert_regex "$stderr" "JambaForCausalLM is supported now"
	refute_regex "$stderr" "MistralForCausalLM is supported now"
	run -0 jq '[.models[] | select(.architecture_id == "MistralForCausalLM")] | length' out/supported_models.json
	assert_output 0
	grep -q '"MistralForCausalLM"' out/scrape_ledger.ndjson
}

@test "hf-scraper --offline without a ledger: the gaps file rescored, a warning that a scan adds the models" {
	mkdir out
	cp "$FIX/merge/tl-registry-2026-04-16/architecture_gaps.json" out/
	arch=$(jq -r '.gaps[0].architecture_id' out/architecture_gaps.json)
	jq --arg a "$arch" '.supported_architectures += [$a]' "$A" >b3.json
	HF_ENDPOINT=http://127.0.0.1:1 run -0 --separate-stderr hf-scraper --offline --registry b3.json -o out
	assert_regex "$stderr" "WARNING: offline: $arch is supported now, but its [0-9]+ models came from a gaps file"
	run -0 jq --arg a "$arch" '[.gaps[] | select(.architecture_id == $a)] | length' out/architecture_gaps.json
	assert_output 0
}

@test "hf-scraper --task twice: the union of the two single-task runs, each model once; a rerun changes no count" {
	fakehub_start --corpus "$CORPUS"
	run -0 hf-scraper --full-scan --min-downloads 0 --no-canonical-sweep --registry "$A" -o tg
	run -0 hf-scraper --full-scan --min-downloads 0 --no-canonical-sweep --registry "$A" \
	    --task text2text-generation -o t2t
	run -0 --separate-stderr hf-scraper --full-scan --min-downloads 0 --no-canonical-sweep \
	    --registry "$A" --task text-generation --task text2text-generation -o both
	assert_regex "$stderr" "main scan \\(text2text-generation\\) listed"
	assert_equal "$(jq -r .scan_info.task_filter both/supported_models.json)" \
	    "text-generation,text2text-generation"
	# supported: the union
	assert_equal "$(jq -r '.models[].model_id' both/supported_models.json | sort)" \
	    "$(jq -r '.models[].model_id' tg/supported_models.json t2t/supported_models.json | sort -u)"
	# scanned: the distinct models listed by either task
	n=$(jq -r 'select((.tags | index("text-generation")) or (.tags | index("text2text-generation"))) | .id' "$CORPUS" | sort -u | wc -l)
	assert_equal "$(jq .scan_info.total_scanned both/supported_models.json)" "$n"
	# gaps: each model once
	m=$(jq -s '[.[] | select((.tags | index("text-generation")) or (.tags | index("text2text-generation")))
	    | select(.config.architectures[0]? == "T5ForConditionalGeneration")] | length' "$CORPUS")
	jq -e '.supported_architectures | index("T5ForConditionalGeneration")' "$A" >/dev/null ||
	    assert_equal "$(jq '.gaps[] | select(.architecture_id == "T5ForConditionalGeneration") | .total_models' both/architecture_gaps.json)" "$m"
	assert_equal "$(sort -u both/scrape_ledger.ndjson | wc -l)" "$(wc -l <both/scrape_ledger.ndjson)"
	counts=$(jq -c '[.gaps[] | [.architecture_id, .total_models]]' both/architecture_gaps.json)
	total=$(jq .total_models both/supported_models.json)
	run -0 hf-scraper --full-scan --min-downloads 0 --no-canonical-sweep \
	    --registry "$A" --task text-generation --task text2text-generation -o both
	assert_equal "$(jq -c '[.gaps[] | [.architecture_id, .total_models]]' both/architecture_gaps.json)" "$counts"
	assert_equal "$(jq .total_models both/supported_models.json)" "$total"
}

@test "hf-scraper: the tasks are part of the checkpoint's identity" {
	fakehub_start --corpus "$CORPUS" --latency 0.2
	hf-scraper --full-scan --min-downloads 0 --no-canonical-sweep --registry "$A" \
	    --checkpoint-interval 100 --task text-generation \
	    --task text2text-generation -o out 2>log &
	pid=$!
	for _ in $(seq 200); do
		[ -s out/scrape_checkpoint.task1.state ] && break
		sleep 0.05
	done
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 143
	grep -q '"task": "text-generation,text2text-generation"' out/scrape_checkpoint.json
	run -1 --separate-stderr hf-scraper --full-scan --min-downloads 0 --no-canonical-sweep \
	    --registry "$A" --task text-generation -o out
	assert_regex "$stderr" 'checkpoint differs: "task": "text-generation,text2text-generation"'
}

# An existing registry with everything verification owns, and keys this
# project does not know.
verified_registry() {
	jq -n '{
	  generated_at: "2026-01-01", scan_info: {total_scanned: 1},
	  total_architectures: 2, total_models: 5, total_verified: 1,
	  total_provisional: 1, future_key: {"a": [1, 2]},
	  models: [
	    {architecture_id: "LlamaForCausalLM", model_id: "v/one", status: 1, verified_date: "2026-01-02", metadata: null, note: "ok", phase1_score: 98.5, phase2_score: 91.0, phase3_score: null, phase4_score: 77.25},
	    {architecture_id: "LlamaForCausalLM", model_id: "v/two", status: 2, verified_date: "2026-01-03", metadata: null, note: "failed phase 2", phase1_score: 90.0, phase2_score: 12.5, phase3_score: null, phase4_score: null},
	    {architecture_id: "Qwen2ForCausalLM", model_id: "v/three", status: 3, verified_date: null, metadata: null, note: "skipped: too big", phase1_score: null, phase2_score: null, phase3_score: null, phase4_score: null},
	    {architecture_id: "Qwen2ForCausalLM", model_id: "v/four", status: 4, verified_date: "2026-01-04", metadata: null, note: "provisional", phase1_score: 99.0, phase2_score: null, phase3_score: null, phase4_score: null, provisional_reason: "pending TL change"},
	    {architecture_id: "Qwen2ForCausalLM", model_id: "v/five", status: 0, verified_date: null, metadata: {"downloads": 1}, note: null, phase1_score: null, phase2_score: null, phase3_score: null, phase4_score: null}
	  ]}' >"$1"
}

# every entry of file 1 is, byte for byte, an entry of file 2
entries_kept() {
	local e
	jq -c '.models[] | select(.model_id | startswith("v/"))' "$1" >entries.before
	jq -c '.models[] | select(.model_id | startswith("v/"))' "$2" >entries.after
	cmp entries.before entries.after
}

@test "hf-scraper: verification's fields, unknown statuses and keys survive a scan, --offline and two tasks" {
	fakehub_start --corpus "$CORPUS"
	mkdir out
	verified_registry out/supported_models.json
	cp out/supported_models.json before.json
	run -0 hf-scraper --full-scan --min-downloads 0 --registry "$A" -o out
	entries_kept before.json out/supported_models.json
	run -0 jq -c '[.total_provisional, .future_key, .total_verified]' out/supported_models.json
	assert_output '[1,{"a":[1,2]},1]'
	run -0 hf-scraper --offline --registry "$B" -o out
	entries_kept before.json out/supported_models.json
	run -0 hf-scraper --full-scan --min-downloads 0 --registry "$B" \
	    --task text-generation --task text2text-generation -o out
	entries_kept before.json out/supported_models.json
	run -0 jq -c '[.total_provisional, .future_key, .total_verified]' out/supported_models.json
	assert_output '[1,{"a":[1,2]},1]'
}
