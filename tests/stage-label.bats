#!/usr/bin/env bats
# --label TEXT and --quiet, which the driver (common/stage.c) gives every
# record stage: with a label every message of the run begins
# "PROG: TEXT: " (per-line reports, the wrong-format hint, errors, the
# summary); --quiet drops the summary line alone. Exit statuses unchanged.
# shellcheck disable=SC2154 # $stderr, $stderr_lines: set by bats' run
bats_require_minimum_version 1.5.0

STAGES="hf-arch hf-filter-quant hf-classify hf-score"

setup() {
	load helper
	hf_setup
	R="$FIX/classify/registry.json"
	export HF_SCRAPER_REGISTRY="$R"
}

@test "stage label: a malformed line is reported with the label, by every stage" {
	local p
	for p in $STAGES; do
		run -3 --separate-stderr "$p" --label 'main scan' <<<'{"id":"o/m"
[1]'
		assert_equal "${stderr_lines[0]}" "$p: main scan: <stdin>:1: truncated JSON"
		assert_equal "${stderr_lines[1]}" "$p: main scan: <stdin>:2: not a JSON object"
	done
}

@test "stage label: --label=TEXT, any printable bytes, copied as they are" {
	run -3 --separate-stderr hf-arch --label='task: text-generation (caf'$'\303\251'')' <<<'x'
	assert_equal "$stderr" "hf-arch: task: text-generation (caf"$'\303\251'"): <stdin>:1: not valid JSON (bad literal)"
	run -3 --separate-stderr hf-arch --label='%s%n %d' <<<'x'
	assert_equal "$stderr" "hf-arch: %s%n %d: <stdin>:1: not valid JSON (bad literal)"
}

@test "stage label: the wrong-format hint and what follows it carry the label" {
	printf '[\n' >doc.json
	for i in $(seq 25); do printf '{"id":"o/m%d"},\n' "$i"; done >>doc.json
	printf ']\n' >>doc.json
	run -3 --separate-stderr hf-filter-quant --label canonical doc.json
	assert_equal "${stderr_lines[0]}" "hf-filter-quant: canonical: doc.json: a JSON array, not NDJSON (one JSON object a line): try jq -c '.[]' doc.json"
	assert_equal "${stderr_lines[1]}" "hf-filter-quant: canonical: doc.json:1: truncated JSON"
	assert_equal "${stderr_lines[21]}" "hf-filter-quant: canonical: doc.json: ... and 7 more malformed lines"
	assert_equal "${#stderr_lines[@]}" 22
	run -1 grep -v '^hf-filter-quant: canonical: ' <<<"$stderr"
}

@test "stage label: errors carry it: a missing file, an unreadable registry" {
	run -1 --separate-stderr hf-arch --label 'main scan' missing.ndjson
	assert_equal "$stderr" "hf-arch: main scan: missing.ndjson: No such file or directory"
	run -1 --separate-stderr hf-classify --label 'main scan' --registry missing.json </dev/null
	assert_equal "$stderr" "hf-classify: main scan: missing.json: No such file or directory"
	run -1 --separate-stderr hf-score --label gaps --registry missing.json </dev/null
	assert_equal "$stderr" "hf-score: gaps: missing.json: No such file or directory"
}

@test "stage label: the summary lines read with it" {
	run -0 --separate-stderr hf-filter-quant --label 'main scan' <<<'{"id":"o/m-GGUF"}
{"id":"o/m"}'
	assert_equal "$stderr" "hf-filter-quant: main scan: 1 of 2 records left out (quantized)"
	run -0 --separate-stderr hf-classify --label canonical --canonical-only <<<'{"id":"o/m","architecture":"LlamaForCausalLM"}
{"id":"o/n","architecture":"Nope"}
{"id":"meta-llama/x","architecture":"LlamaForCausalLM"}'
	assert_equal "$stderr" "hf-classify: canonical: 2 of 3 records left out (1 unsupported, 1 supported but not of a canonical org)"
	run -0 --separate-stderr hf-classify --label 'main scan' --architecture X --min-downloads 10 <<<'{"id":"o/m","architecture":"X","downloads":3}
{"id":"o/n","architecture":"Y"}'
	assert_equal "$stderr" "hf-classify: main scan: 2 of 2 records left out (1 of another architecture, 1 under 10 downloads)"
	run -0 --separate-stderr hf-score --label 'main scan' <<<'{"id":"o/m","architecture":"X","supported":true}
{"id":"o/n"}'
	assert_equal "$stderr" "hf-score: main scan: left out: 1 supported record, 1 record with no architecture"
}

@test "stage label: an empty label, or one with a control character, is a usage error (exit 2), nothing read" {
	local p
	for p in $STAGES; do
		run -2 --separate-stderr "$p" --label '' <<<'{"id":"o/m"}'
		assert_equal "$output" ""
		assert_equal "${stderr_lines[0]}" "$p: --label: empty"
		assert_equal "${stderr_lines[1]}" "$("$p" --help | sed -n 1p)"
		run -2 --separate-stderr "$p" --label= <<<'{"id":"o/m"}'
		assert_equal "${stderr_lines[0]}" "$p: --label: empty"
		run -2 --separate-stderr "$p" --label
		assert_equal "${stderr_lines[0]}" "$p: option '--label' requires an argument"
		run -2 --separate-stderr "$p" --label $'main\nscan' <<<'{"id":"o/m"}'
		assert_equal "$output" ""
		assert_equal "${stderr_lines[0]}" "$p: --label: a control character"
		run -2 --separate-stderr "$p" --label $'a\tb' </dev/null
		assert_equal "${stderr_lines[0]}" "$p: --label: a control character"
	done
}

@test "stage label: --version and usage errors of other options keep the plain name" {
	run -0 --separate-stderr hf-arch --label x --version
	assert_regex "$output" '^hf-arch [0-9]'
	run -2 --separate-stderr hf-classify --label x --min-downloads -1 </dev/null
	assert_regex "${stderr_lines[0]}" '^hf-classify: --min-downloads: '
}

@test "stage quiet: no summary line; per-line reports stay; exit statuses as without it" {
	run -3 --separate-stderr hf-filter-quant --quiet <<<'{"id":"o/m-GGUF"}
bad'
	assert_equal "$stderr" "hf-filter-quant: <stdin>:2: not valid JSON (bad literal)"
	run -0 --separate-stderr hf-filter-quant --quiet --invert <<<'{"id":"o/m"}'
	assert_equal "$stderr" ""
	run -0 --separate-stderr hf-classify --quiet --canonical-only <<<'{"id":"o/n","architecture":"Nope"}'
	assert_equal "$output" ""
	assert_equal "$stderr" ""
	run -0 --separate-stderr hf-score --quiet --label x <<<'{"id":"o/m","architecture":"X","supported":true}
{"id":"o/n","architecture":"Y"}'
	assert_equal "$stderr" ""
	assert_output --partial '"architecture_id":"Y"'
	run -3 --separate-stderr hf-score --quiet --label x <<<'{"id":"o/m","supported":true}
[]'
	assert_equal "$stderr" "hf-score: x: <stdin>:2: not a JSON object"
	run -1 --separate-stderr hf-arch --quiet missing.ndjson
	assert_equal "$stderr" "hf-arch: missing.ndjson: No such file or directory"
}

@test "stage label: every stage's --help has the shared lines" {
	local p
	for p in $STAGES; do
		run -0 "$p" --help
		assert_line --regexp '^  --label text +'
		assert_line --regexp '^  --quiet +'
		assert_line --regexp '^  --line-buffered +'
	done
}
