#!/usr/bin/env bats
# hf-classify: supported and canonical, from the registry (SPEC 2.4).
bats_require_minimum_version 1.5.0

setup() {
	load helper
	hf_setup
	unset HF_SCRAPER_REGISTRY
	C="$FIX/classify"
	R="$C/registry.json"
	cd "$BATS_TEST_TMPDIR" || exit 1
}

@test "hf-classify: usage errors exit 2" {
	run -2 --separate-stderr hf-classify --min-downloads ten
	assert_equal "$output" ""
	assert_equal "${stderr_lines[0]}" "hf-classify: --min-downloads: not a number: ten"
	run -2 --separate-stderr hf-classify --min-downloads -5
	assert_equal "${stderr_lines[0]}" "hf-classify: --min-downloads: too small (at least 0): -5"
	run -2 --separate-stderr hf-classify --architecture
	assert_equal "${stderr_lines[0]}" "hf-classify: option '--architecture' requires an argument"
}

@test "hf-classify: empty input, exit 0" {
	run -0 --separate-stderr hf-classify </dev/null
	assert_equal "$output" ""
	assert_equal "$stderr" ""
}

@test "hf-classify: a missing input file is fatal, exit 1" {
	run -1 --separate-stderr hf-classify --registry "$R" missing.ndjson
	assert_equal "$stderr" "hf-classify: missing.ndjson: No such file or directory"
}

@test "hf-classify: supported and canonical for every rule" {
	run -0 --separate-stderr hf-classify --registry "$R" "$C/records.in"
	assert_output "$(cat "$C/records.out")"
	assert_equal "$stderr" ""
}

@test "hf-classify: the record's bytes are kept, the two keys appended" {
	run -0 hf-classify --registry "$R" "$C/records.in"
	assert_line --index 20 '{ "id" : "meta-llama/spaces" , "architecture" : "LlamaForCausalLM" , "downloads" : 500 ,"supported":true,"canonical":true}'
	assert_line --index 15 '{"id":"huggyllama/escaped","author":"huggy\u006clama","architecture":"Llama\u0046orCausalLM","downloads":0,"supported":true,"canonical":true}'
}

@test "hf-classify: an architecture that is null, missing or not a string passes unsupported" {
	run -0 sh -c 'hf-classify --registry "$1" "$2" | grep -F "someone/" |
	    jq -c "select(.architecture | type != \"string\") | [.id, .supported, .canonical]"' \
	    sh "$R" "$C/records.in"
	assert_output '["someone/no-arch",false,false]
["someone/arch-missing",false,false]
["someone/arch-number",false,false]'
}

@test "hf-classify: canonical needs the org of that architecture (author, else the id's org)" {
	run -0 sh -c 'hf-classify --registry "$1" "$2" |
	    jq -r "select(.canonical) | .id"' sh "$R" "$C/records.in"
	assert_output "meta-llama/Llama-3.1-8B
mistralai/Mistral-7B-v0.1
x-org/unsupported-canonical
meta-llama/author-missing
meta-llama/author-null
huggyllama/escaped
openai-community/gpt2
meta-llama/spaces"
}

@test "hf-classify: an earlier supported or canonical is replaced, never duplicated" {
	run -0 hf-classify --registry "$R" "$C/records.in"
	assert_line --index 17 '{"id":"someone/replaced","architecture":"GPT2LMHeadModel","downloads":500,"supported":true,"canonical":false}'
	assert_line --index 18 '{"id":"openai-community/gpt2","author":"openai-community","architecture":"GPT2LMHeadModel","supported":true,"canonical":true}'
	# running it twice is running it once
	run -0 sh -c 'hf-classify --registry "$1" "$2" | hf-classify --registry "$1"' \
	    sh "$R" "$C/records.in"
	assert_output "$(cat "$C/records.out")"
}

@test "hf-classify: --architecture keeps exact matches only" {
	run -0 --separate-stderr hf-classify --registry "$R" \
	    --architecture LlamaForCausalLM "$C/records.in"
	assert_output "$(cat "$C/records-architecture.out")"
	assert_equal "$stderr" "hf-classify: 13 of 25 records left out (13 of other architectures)"
	run -0 --separate-stderr hf-classify --registry "$R" --architecture Llama "$C/records.in"
	run -0 jq -r .id <<<"$output"
	assert_output huggyllama/short
	run -0 --separate-stderr hf-classify --registry "$R" --architecture '' "$C/records.in"
	assert_output ""
}

@test "hf-classify: --min-downloads drops records below n unless canonical" {
	run -0 --separate-stderr hf-classify --registry "$R" --min-downloads 500 "$C/records.in"
	assert_output "$(cat "$C/records-min-downloads.out")"
	assert_equal "$stderr" "hf-classify: 10 of 25 records left out (10 under 500 downloads)"
	# 499 is dropped, 500 kept; a canonical model with 0 downloads kept;
	# a missing or non-integer count is 0
	run -0 jq -r .id <<<"$output"
	refute_line someone/llama-finetune
	assert_line someone/unsupported
	assert_line meta-llama/author-missing
	refute_line someone/downloads-string
	refute_line someone/downloads-float
}

@test "hf-classify: --canonical-only keeps supported canonical records (not mistralai's Llama)" {
	run -0 --separate-stderr hf-classify --registry "$R" --canonical-only "$C/records.in"
	assert_output "$(cat "$C/records-canonical-only.out")"
	assert_equal "$stderr" "hf-classify: 18 of 25 records left out (9 unsupported, 9 supported but not of a canonical org)"
	refute_output --partial mistralai/Llama-lookalike
	refute_output --partial x-org/unsupported-canonical
}

@test "hf-classify: the options together; each record counted once" {
	run -0 --separate-stderr hf-classify --registry "$R" --architecture LlamaForCausalLM \
	    --canonical-only --min-downloads 500 "$C/records.in"
	assert_output "$(cat "$C/records-all.out")"
	assert_equal "$stderr" "hf-classify: 20 of 25 records left out (13 of other architectures, 7 supported but not of a canonical org)"
}

@test "hf-classify: the shipped registry is the default" {
	printf '%s\n' '{"id":"meta-llama/Llama-3.1-8B","author":"meta-llama","architecture":"LlamaForCausalLM"}' \
	    '{"id":"someone/x","author":"someone","architecture":"Qwen2ForCausalLM"}' \
	    '{"id":"someone/y","author":"someone","architecture":"MambaForCausalLM"}' \
	    '{"id":"someone/z","author":"someone","architecture":"DbrxForCausalLM"}' >in
	run -0 sh -c 'hf-classify in | jq -c "[.supported, .canonical]"'
	assert_output '[true,true]
[true,false]
[true,false]
[false,false]'
	run -0 jq -r '.supported_architectures | length' "$ROOT/data/registry.json"
	assert_output 66
}

@test "hf-classify: HF_SCRAPER_REGISTRY names the default registry; --registry wins" {
	printf '%s\n' '{"id":"someone/cafe","architecture":"CaféForCausalLM"}' >in
	run -0 sh -c 'hf-classify in | jq .supported'
	assert_output false
	HF_SCRAPER_REGISTRY=$R run -0 sh -c 'hf-classify in | jq .supported'
	assert_output true
	HF_SCRAPER_REGISTRY=/nonexistent/r.json run -0 sh -c \
	    'hf-classify --registry "$1" in | jq .supported' sh "$R"
	assert_output true
	HF_SCRAPER_REGISTRY=/nonexistent/r.json run -1 --separate-stderr hf-classify in
	assert_equal "$stderr" "hf-classify: /nonexistent/r.json: No such file or directory"
}

@test "hf-classify: a missing registry is fatal, exit 1, before any output" {
	run -1 --separate-stderr hf-classify --registry missing.json "$C/records.in"
	assert_equal "$stderr" "hf-classify: missing.json: No such file or directory"
	assert_equal "$output" ""
}

@test "hf-classify: a malformed registry is fatal and names the file" {
	local b="$C/bad-registry"
	for f in empty:empty truncated:"truncated JSON" array:"not a JSON object" \
	    no-supported:"no supported_architectures" \
	    supported-string:"supported_architectures: not an array" \
	    supported-number:"supported_architectures: not a string" \
	    orgs-array:"canonical_authors_by_arch: not an object" \
	    orgs-string:"canonical_authors_by_arch.A: not an array" \
	    bad-utf8:"invalid UTF-8 in a string"; do
		run -1 --separate-stderr hf-classify --registry "$b/${f%%:*}.json" "$C/records.in"
		assert_equal "$stderr" "hf-classify: $b/${f%%:*}.json: ${f#*:}"
		assert_equal "$output" ""
	done
}

@test "hf-classify: unknown registry keys are ignored" {
	run -0 jq -r 'keys[]' "$R"
	assert_line unknown_key
	run -0 --separate-stderr hf-classify --registry "$R" "$C/records.in"
	assert_equal "$stderr" ""
}

@test "hf-classify: malformed lines are reported with FILE:LINE, skipped, exit 3" {
	run -3 --separate-stderr hf-classify --registry "$R" "$FIX/arch/malformed.in"
	assert_output '{"id":"ok/first","supported":false,"canonical":false}
{"id":"ok/middle","supported":false,"canonical":false}
{"id":"ok/last","supported":false,"canonical":false}'
	assert_equal "$stderr" "$(sed "s|^|hf-classify: $FIX/arch/malformed.in:|" "$FIX/arch/malformed.err")"
}

@test "hf-classify: a NUL byte makes its line malformed" {
	printf '{"id":"a/1"}\n{"id":"a/2","architecture":"Llama\0"}\n{"id":"a/3"}\n' >in
	run -3 --separate-stderr hf-classify --registry "$R" in
	assert_equal "$stderr" "hf-classify: in:2: NUL byte"
	assert_equal "${#lines[@]}" 2
}

@test "hf-classify: a line over 1 MiB is classified whole" {
	python3 -c 'import json
print(json.dumps({"id": "meta-llama/big", "architecture": "LlamaForCausalLM", "tags": ["t" * 1000] * 2000}))' >big
	[ "$(wc -c <big)" -gt 1048576 ]
	run -0 --separate-stderr sh -c 'hf-classify --registry "$1" big | jq -c "[.id, (.tags | length), .supported, .canonical]"' sh "$R"
	assert_output '["meta-llama/big",2000,true,true]'
}

@test "hf-classify: --line-buffered writes each record at once" {
	feed='{ echo "{\"id\":\"a/1\"}"; sleep 2; echo "{\"id\":\"a/2\"}"; }'
	run -0 sh -c "start=\$(date +%s); $feed | hf-classify --line-buffered |
	    { read -r l; echo \$(( \$(date +%s) - start )); cat >/dev/null; }"
	[ "$output" -lt 2 ]
}

@test "hf-classify: the man page examples run" {
	python3 "$FAKEHUB" --synthetic 600 --seed 9 --write-corpus raw.ndjson
	hf-arch raw.ndjson >records.ndjson
	local n=0 cmd
	while IFS= read -r -d '' cmd; do
		n=$((n + 1))
		run -0 --separate-stderr sh -c "$cmd"
		[ -n "$output" ]
		# only summary lines of records left out by design
		[ -z "$(printf '%s\n' "$stderr" | grep -v 'records left out')" ]
	done < <(man_examples "$ROOT/man/hf-classify.1")
	[ "$n" -ge 3 ]
}
