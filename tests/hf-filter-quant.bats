#!/usr/bin/env bats
# hf-filter-quant: drop quantized checkpoints (SPEC 2.3, cases of SPEC 7).
bats_require_minimum_version 1.5.0

setup() {
	load helper
	hf_setup
	Q="$FIX/filter-quant"
	cd "$BATS_TEST_TMPDIR" || exit 1
}

# golden CASE OUT [OPTION...]: CASE.in through hf-filter-quant OPTION...
# gives OUT.out, exit 0
golden() {
	local in=$1 out=$2
	shift 2
	run -0 --separate-stderr hf-filter-quant "$@" "$Q/$in.in"
	assert_output "$(cat "$Q/$out.out")"
}

# The ids of the SPEC 7 cases in the output.
ids() {
	jq -r .id <<<"$output"
}

@test "hf-filter-quant: empty input, exit 0, nothing on stderr" {
	run -0 --separate-stderr hf-filter-quant </dev/null
	assert_equal "$output" ""
	assert_equal "$stderr" ""
}

@test "hf-filter-quant: a missing file is fatal, exit 1" {
	run -1 --separate-stderr hf-filter-quant missing.ndjson
	assert_equal "$stderr" "hf-filter-quant: missing.ndjson: No such file or directory"
	assert_equal "$output" ""
}

@test "hf-filter-quant: SPEC 7 by default: only the never-quantized ids" {
	golden spec7 spec7
	assert_equal "$stderr" "hf-filter-quant: 13 of 18 records left out (quantized)"
	run -0 ids
	assert_output "meta-llama/Llama-3.1-8B-Instruct
Qwen/Qwen2.5-7B-Instruct
google/gemma-2-9b-it
SimpleStories/SimpleStories-30M
EleutherAI/pythia-2.8b"
}

@test "hf-filter-quant: SPEC 7 with --keep-loadable: loadable ids with their library" {
	golden spec7 spec7-keep-loadable --keep-loadable
	assert_equal "$stderr" "hf-filter-quant: 6 of 18 records left out (quantized, not loadable by transformers)"
	run -0 jq -r 'select(has("quant_library")) | "\(.id) \(.quant_library)"' <<<"$output"
	assert_output "TheBloke/Llama-2-7B-Chat-AWQ awq
casperhansen/llama-3-8b-instruct-awq awq
TheBloke/Llama-2-7B-Chat-GPTQ auto_gptq
unsloth/llama-3-8b-bnb-4bit bitsandbytes
RedHatAI/Llama-3.1-8B-Instruct-int8 bitsandbytes
neuralmagic/Llama-3-8B-Instruct-w4a16 auto_gptq
mobiuslabsgmbh/Llama-3-8B-instruct-hqq-4bit hqq"
}

@test "hf-filter-quant: SPEC 7: the always-dropped ids are dropped under both policies" {
	for opt in "" --keep-loadable; do
		run -0 --separate-stderr hf-filter-quant $opt "$Q/spec7.in"
		run -0 ids
		refute_output --partial GGUF
		refute_output --partial mlx
		refute_output --partial MLX
		refute_output --partial FP8
		refute_output --partial NVFP4
	done
}

@test "hf-filter-quant: SPEC 7: the never-quantized ids are kept under both policies, unchanged" {
	for opt in "" --keep-loadable; do
		run -0 --separate-stderr hf-filter-quant $opt "$Q/spec7.in"
		for id in meta-llama/Llama-3.1-8B-Instruct Qwen/Qwen2.5-7B-Instruct \
		    google/gemma-2-9b-it SimpleStories/SimpleStories-30M \
		    EleutherAI/pythia-2.8b; do
			assert_line "$(grep -F "\"$id\"" "$Q/spec7.in")"
		done
	done
}

@test "hf-filter-quant: --invert prints what the policy drops" {
	golden spec7 spec7-invert --invert
	assert_equal "$stderr" "hf-filter-quant: 5 of 18 records left out (kept by the policy: --invert)"
	golden spec7 spec7-invert-keep-loadable --invert --keep-loadable
	assert_equal "${#lines[@]}" 6
}

@test "hf-filter-quant: default and --invert split the input exactly" {
	run -0 sh -c 'cat "$1/spec7.out" "$1/spec7-invert.out" | sort' sh "$Q"
	assert_output "$(sort "$Q/spec7.in")"
	run -0 sh -c 'cat "$1/spec7-keep-loadable.out" "$1/spec7-invert-keep-loadable.out" |
	    jq -c "del(.quant_library)" | sort' sh "$Q"
	assert_output "$(sort "$Q/spec7.in")"
}

@test "hf-filter-quant: every pattern of the three lists, one id each" {
	golden patterns patterns
	assert_equal "$stderr" "hf-filter-quant: 65 of 65 records left out (quantized)"
	golden patterns patterns-invert --invert
	golden patterns patterns-keep-loadable --keep-loadable
	golden patterns patterns-invert-keep-loadable --invert --keep-loadable
	assert_equal "${#lines[@]}" 23
}

@test "hf-filter-quant: a loadable form in no library row gets quant_library null" {
	run -0 --separate-stderr hf-filter-quant --keep-loadable "$Q/patterns.in"
	run -0 jq -r 'select(.quant_library == null) | .id' <<<"$output"
	assert_output "org/Model-7B-3bitx
org/Model-7B_3bitx
org/Model-7B-2bitx
org/Model-7B_2bitx
org/Model-7B-5bitx
org/Model-7B-6bitx
org/Model-7B-oQx
org/Model-7B_oQx
org/Model-7B-quantized.x
org/Model-7B_Quantizedx
org/Model-7B-Quantizedx"
}

@test "hf-filter-quant: matching is case-sensitive and exact (near misses pass)" {
	run -0 --separate-stderr hf-filter-quant "$Q/near-misses.in"
	assert_output "$(cat "$Q/near-misses.in")"
	assert_equal "$stderr" ""
	run -0 --separate-stderr hf-filter-quant --keep-loadable "$Q/near-misses.in"
	assert_output "$(cat "$Q/near-misses.in")"
}

@test "hf-filter-quant: an explicit format wins over the bit width; incompatible wins over loadable" {
	printf '%s\n' '{"id":"a/M-hqq-4bit"}' '{"id":"a/M-GPTQ-4bit"}' \
	    '{"id":"a/M-AWQ-int8"}' '{"id":"a/M-mlx-AWQ"}' '{"id":"a/M-GGUF-GPTQ"}' >in
	run -0 --separate-stderr hf-filter-quant --keep-loadable in
	assert_output '{"id":"a/M-hqq-4bit","quant_library":"hqq"}
{"id":"a/M-GPTQ-4bit","quant_library":"auto_gptq"}
{"id":"a/M-AWQ-int8","quant_library":"awq"}'
}

@test "hf-filter-quant: lines are written byte for byte; the id is decoded first" {
	golden bytes bytes
	assert_equal "$stderr" "hf-filter-quant: 5 of 9 records left out (quantized)"
	golden bytes bytes-keep-loadable --keep-loadable
}

@test "hf-filter-quant: an earlier quant_library is replaced, never duplicated" {
	golden existing-key existing-key-keep-loadable --keep-loadable
	run -0 sh -c 'hf-filter-quant --keep-loadable "$1" | jq -c "[keys_unsorted[]]"' \
	    sh "$Q/existing-key.in"
	assert_output '["id","downloads","quant_library"]
["id","downloads","quant_library"]
["id","downloads","quant_library"]
["id","quant_library"]
["id","quant_library"]'
}

@test "hf-filter-quant: hf-arch records go through unchanged when not quantized" {
	run -0 sh -c 'hf-arch "$1" | hf-filter-quant' sh "$FIX/arch/basic.in"
	assert_output "$(cat "$FIX/arch/basic.out")"
}

@test "hf-filter-quant: malformed lines are reported with FILE:LINE, skipped, exit 3" {
	run -3 --separate-stderr hf-filter-quant "$FIX/arch/malformed.in"
	assert_output '{"id":"ok/first"}
{"id":"ok/middle"}
{"id":"ok/last"}'
	assert_equal "$stderr" "$(sed "s|^|hf-filter-quant: $FIX/arch/malformed.in:|" "$FIX/arch/malformed.err")"
}

@test "hf-filter-quant: a skipped line and the policy's summary both reach stderr" {
	printf '%s\n' '{"id":"a/M-GGUF"}' '{"id":' '{"id":"a/M"}' >in
	run -3 --separate-stderr hf-filter-quant in
	assert_output '{"id":"a/M"}'
	assert_equal "$stderr" "hf-filter-quant: in:2: truncated JSON
hf-filter-quant: 1 of 2 records left out (quantized)"
}

@test "hf-filter-quant: a NUL byte makes its line malformed" {
	printf '{"id":"a/1"}\n{"id":"a/2-GGUF\0"}\n{"id":"a/3"}\n' >in
	run -3 --separate-stderr hf-filter-quant in
	assert_equal "$stderr" "hf-filter-quant: in:2: NUL byte"
	assert_output '{"id":"a/1"}
{"id":"a/3"}'
}

@test "hf-filter-quant: a line over 1 MiB is kept whole" {
	python3 -c 'import json
print(json.dumps({"id": "a/before-GGUF"}))
print(json.dumps({"id": "a/big", "tags": ["t" * 1000] * 2000}))
print(json.dumps({"id": "a/big-AWQ", "tags": ["t" * 1000] * 2000}))' >big
	[ "$(sed -n 2p big | wc -c)" -gt 1048576 ]
	run -0 --separate-stderr hf-filter-quant big
	assert_equal "${#lines[@]}" 1
	assert_output "$(sed -n 2p big)"
	run -0 --separate-stderr sh -c 'hf-filter-quant --keep-loadable big | jq -r "[.id, (.tags | length), .quant_library] | @tsv"'
	assert_output "$(printf 'a/big\t2000\t\na/big-AWQ\t2000\tawq')"
}

@test "hf-filter-quant: --line-buffered writes each record at once" {
	feed='{ echo "{\"id\":\"a/1\"}"; sleep 2; echo "{\"id\":\"a/2\"}"; }'
	run -0 sh -c "start=\$(date +%s); $feed | hf-filter-quant --line-buffered |
	    { read -r l; echo \$(( \$(date +%s) - start )); cat >/dev/null; }"
	[ "$output" -lt 2 ]
}

@test "hf-filter-quant: the man page examples run" {
	python3 "$FAKEHUB" --synthetic 400 --seed 5 --write-corpus raw.ndjson
	hf-arch raw.ndjson >records.ndjson
	local n=0 cmd
	while IFS= read -r -d '' cmd; do
		n=$((n + 1))
		run -0 --separate-stderr sh -c "$cmd"
		[ -n "$output" ]
		# the only message is the policy's summary line
		assert_equal "${#stderr_lines[@]}" 1
		assert_equal "${stderr_lines[0]:0:17}" "hf-filter-quant: "
	done < <(man_examples "$ROOT/man/hf-filter-quant.1")
	[ "$n" -ge 2 ]
}
