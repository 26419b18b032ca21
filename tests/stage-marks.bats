#!/usr/bin/env bats
# The state marks of hf-list --state-marks through the record stages (the
# driver, common/stage.c): a line that begins with exactly
# {"hf_list_state": is copied unchanged, in its place among the records, by
# hf-arch, hf-filter-quant and hf-classify, never parsed, counted,
# filtered or reported; hf-score ignores it. Exit statuses are those of the
# same input without the marks.
# shellcheck disable=SC2154 # $stderr: set by bats' run
bats_require_minimum_version 1.5.0

setup() {
	load helper
	hf_setup
	R="$FIX/classify/registry.json"
	M1='{"hf_list_state":{"cursor":"abc","page":1}}'
	M2='{"hf_list_state":{"cursor":null,"page":2,"done":true}}'
}

# Items for hf-arch: a supported model, a quantized one, a malformed line,
# and three marks (the last at the end of the input without a newline).
raw_with_marks() {
	printf '%s\n' "$M1" \
	    '{"id":"meta-llama/Llama-3.1-8B","config":{"architectures":["LlamaForCausalLM"]}}' \
	    'not json' \
	    "$M2" \
	    '{"id":"someone/Llama-3.1-8B-GGUF","config":{"architectures":["LlamaForCausalLM"]}}' \
	    '{"id":"x-org/other","config":{"architectures":["OtherForCausalLM"]}}'
	printf '%s' "$M1"
}

# The same lines without the marks.
raw_without_marks() {
	raw_with_marks | grep -v '^{"hf_list_state":'
}

@test "stage marks: hf-arch copies each mark unchanged, in place; exit status and reports as without them" {
	run -3 --separate-stderr hf-arch < <(raw_with_marks)
	assert_equal "${lines[0]}" "$M1"
	assert_regex "${lines[1]}" '^\{"id":"meta-llama/Llama-3.1-8B",'
	assert_equal "${lines[2]}" "$M2"
	assert_regex "${lines[3]}" '^\{"id":"someone/Llama-3.1-8B-GGUF",'
	assert_regex "${lines[4]}" '^\{"id":"x-org/other",'
	assert_equal "${lines[5]}" "$M1"
	assert_equal "${#lines[@]}" 6
	# the malformed line keeps its own line number; no mark is reported
	assert_equal "$stderr" "hf-arch: <stdin>:3: not valid JSON (bad literal)"
	local with=$output
	run -3 --separate-stderr hf-arch < <(raw_without_marks)
	assert_equal "$output" "$(grep -v '^{"hf_list_state":' <<<"$with")"
}

@test "stage marks: hf-filter-quant passes marks that sit among dropped records, with every policy" {
	local opts
	for opts in "" --keep-loadable --invert "--invert --keep-loadable"; do
		# shellcheck disable=SC2086 # $opts: words on purpose
		run -0 --separate-stderr sh -c 'hf-arch | hf-filter-quant "$@"' sh $opts \
		    < <(raw_with_marks)
		assert_equal "$(grep -c '^{"hf_list_state":' <<<"$output")" 3
		assert_equal "$(grep -n '^{"hf_list_state":' <<<"$output" | tail -1 | cut -d: -f1)" \
		    "$(wc -l <<<"$output")"
		# the marks are not records: M is 3, not 6
		assert_regex "$stderr" "hf-filter-quant: [0-9] of 3 records left out"
	done
	run -0 --separate-stderr hf-filter-quant < <(raw_with_marks | hf-arch 2>/dev/null)
	assert_output "$(printf '%s\n' "$M1" \
	    "$(raw_with_marks | hf-arch 2>/dev/null | sed -n 2p)" "$M2" \
	    "$(raw_with_marks | hf-arch 2>/dev/null | sed -n 5p)" "$M1")"
	assert_equal "$stderr" "hf-filter-quant: 1 of 3 records left out (quantized)"
}

@test "stage marks: hf-classify passes marks whatever its filters, and does not count them" {
	run -0 --separate-stderr hf-classify --registry "$R" --canonical-only \
	    --architecture LlamaForCausalLM --min-downloads 5 \
	    < <(raw_with_marks | hf-arch 2>/dev/null)
	assert_output "$(printf '%s\n' "$M1" \
	    '{"id":"meta-llama/Llama-3.1-8B","author":"meta-llama","architecture":"LlamaForCausalLM","downloads":null,"likes":null,"last_modified":null,"tags":[],"pipeline_tag":null,"gated":null,"parameter_count":null,"supported":true,"canonical":true}' \
	    "$M2" "$M1")"
	assert_equal "$stderr" "hf-classify: 2 of 3 records left out (1 of another architecture, 1 supported but not of a canonical org)"
}

@test "stage marks: the whole record pipeline keeps every mark in its place" {
	run -0 --separate-stderr sh -c "hf-arch | hf-filter-quant --keep-loadable |
	    hf-classify --registry '$R'" < <(raw_with_marks)
	assert_equal "${lines[0]}" "$M1"
	assert_regex "${lines[1]}" '"id":"meta-llama/Llama-3.1-8B"'
	assert_equal "${lines[2]}" "$M2"
	assert_regex "${lines[3]}" '"id":"x-org/other"'
	assert_equal "${lines[4]}" "$M1"
	assert_equal "${#lines[@]}" 5
}

@test "stage marks: hf-score ignores them, without a message" {
	local recs
	recs=$(raw_with_marks | hf-arch 2>/dev/null | hf-classify --registry "$R")
	run -0 --separate-stderr hf-score <<<"$recs"
	local with=$output with_err=$stderr
	assert_equal "$(grep -c hf_list_state <<<"$with")" 0
	run -0 --separate-stderr hf-score < <(grep -v '^{"hf_list_state":' <<<"$recs")
	assert_equal "$output" "$with"
	assert_equal "$stderr" "$with_err"
	assert_output --partial '"architecture_id":"OtherForCausalLM"'
}

@test "stage marks: only the exact prefix is a mark; what follows it is never looked at" {
	local odd
	odd=$(printf '%s\n' '{"hf_list_state":' '{"hf_list_state":not json at all' \
	    '{"hf_list_state":{"x":"caf\303\251"}}	trailing')
	for p in hf-arch hf-filter-quant "hf-classify --registry $R"; do
		# shellcheck disable=SC2086 # $p: the program and its options
		run -0 --separate-stderr $p <<<"$odd"
		assert_equal "$output" "$odd"
		assert_equal "$stderr" ""
	done
	# a CR before the newline stays
	run -0 --separate-stderr hf-arch < <(printf '%s\r\n' "$M1")
	assert_equal "$output" "$(printf '%s\r' "$M1")"
	# anything else is a record, checked as one
	for line in ' {"hf_list_state":1}' '{"hf_list_state" :1}' '{ "hf_list_state":1}' \
	    '{"HF_list_state":1}' '{"hf_list_state"}' '{"hf_list_stat":1}'; do
		run -3 --separate-stderr hf-filter-quant <<<"$line"
		assert_equal "$output" ""
		assert_regex "$stderr" '^hf-filter-quant: <stdin>:1: '
	done
}

@test "stage marks: marks alone exit 0 and print nothing on stderr, from files and -" {
	printf '%s\n' "$M1" >a.ndjson
	printf '%s\n' "$M2" >b.ndjson
	run -0 --separate-stderr hf-arch a.ndjson - b.ndjson <<<"$M1"
	assert_output "$(printf '%s\n' "$M1" "$M1" "$M2")"
	assert_equal "$stderr" ""
	run -0 --separate-stderr hf-score a.ndjson b.ndjson
	assert_output ""
	assert_equal "$stderr" ""
}

@test "stage marks: with --line-buffered a mark comes out before the input ends" {
	local p line pid in
	for p in hf-arch hf-filter-quant "hf-classify --registry $R"; do
		# shellcheck disable=SC2086 # $p: the program and its options
		coproc STAGE { $p --line-buffered 2>/dev/null; }
		pid=$STAGE_PID in=${STAGE[1]}
		printf '%s\n' "$M2" >&"$in"
		read -r -t 10 line <&"${STAGE[0]}" || fail "$p: no mark within 10s"
		assert_equal "$line" "$M2"
		exec {in}>&-
		wait "$pid"
	done
}

@test "stage marks: a record that would come out looking like a mark is reported and skipped" {
	run -3 --separate-stderr hf-classify --registry "$R" <<<'{"supported":true,"hf_list_state":1,"id":"o/a"}
{"id":"o/b","hf_list_state":1}'
	assert_output '{"id":"o/b","hf_list_state":1,"supported":false,"canonical":false}'
	assert_equal "$stderr" "hf-classify: <stdin>:1: hf_list_state: the key of hf-list's state marks, not of a record"
	run -3 --separate-stderr hf-filter-quant --keep-loadable <<<'{"quant_library":"x","hf_list_state":1,"id":"o/m-AWQ"}
{"id":"o/n-GGUF"}'
	assert_output ""
	assert_equal "$stderr" "hf-filter-quant: <stdin>:1: hf_list_state: the key of hf-list's state marks, not of a record
hf-filter-quant: 1 of 1 record left out (quantized, not loadable by transformers)"
	# copied as it came, such a record cannot begin like a mark
	run -0 --separate-stderr hf-filter-quant <<<'{ "hf_list_state":1,"id":"o/m"}'
	assert_output '{ "hf_list_state":1,"id":"o/m"}'
}
