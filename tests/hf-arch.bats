#!/usr/bin/env bats
# hf-arch: raw Hub items in, model records out (SPEC 2.2).
bats_require_minimum_version 1.5.0

setup() {
	load helper
	hf_setup
	A="$FIX/arch"
	cd "$BATS_TEST_TMPDIR" || exit 1
}

# golden CASE: tests/fixtures/arch/CASE.in gives CASE.out, exit 0, quiet;
# the same through standard input.
golden() {
	run -0 --separate-stderr hf-arch "$A/$1.in"
	assert_equal "$stderr" ""
	assert_output "$(cat "$A/$1.out")"
	run -0 --separate-stderr hf-arch <"$A/$1.in"
	assert_equal "$stderr" ""
	assert_output "$(cat "$A/$1.out")"
}

@test "hf-arch: empty input gives empty output, exit 0" {
	run -0 --separate-stderr hf-arch </dev/null
	assert_equal "$output" ""
	assert_equal "$stderr" ""
	: >empty.ndjson
	run -0 --separate-stderr hf-arch empty.ndjson
	assert_equal "$output" ""
	assert_equal "$stderr" ""
}

@test "hf-arch: a missing file is fatal, exit 1, after what came before" {
	run -1 --separate-stderr hf-arch "$A/basic.in" missing.ndjson "$A/basic.in"
	assert_equal "$stderr" "hf-arch: missing.ndjson: No such file or directory"
	assert_output "$(cat "$A/basic.out")"
}

@test "hf-arch: files and - are read in order, line numbers per file" {
	printf '%s\n' '{"id":"stdin/one"}' 'x' >stdin.ndjson
	printf '%s\n' '{"id":"file/one"}' '{"id":7}' >file.ndjson
	run -3 --separate-stderr hf-arch file.ndjson - file.ndjson <stdin.ndjson
	assert_equal "${#lines[@]}" 3
	assert_line --index 0 --partial '"id":"file/one"'
	assert_line --index 1 --partial '"id":"stdin/one"'
	assert_line --index 2 --partial '"id":"file/one"'
	assert_equal "$stderr" "hf-arch: file.ndjson:2: id: not a string
hf-arch: <stdin>:2: not valid JSON (bad literal)
hf-arch: file.ndjson:2: id: not a string"
}

@test "hf-arch: a full Hub item; an id alone; no optional field" {
	golden basic
}

@test "hf-arch: architecture is config.architectures[0] only when a string" {
	golden architecture
}

@test "hf-arch: architecture ignores decoy architectures keys elsewhere" {
	run -0 hf-arch "$A/architecture.in"
	run -0 jq -r 'select(.id | startswith("a/decoy")) |
	    "\(.id) \(.architecture)"' <<<"$output"
	assert_output "a/decoy-first MistralForCausalLM
a/decoy-after MistralForCausalLM
a/decoy-only null
a/decoy-top-level null
a/decoy-text-config null"
}

@test "hf-arch: architecture escapes are decoded (Llama\\u0046orCausalLM)" {
	run -0 sh -c 'hf-arch "$1" | grep "a/escaped\"" | jq -r .architecture' \
	    sh "$A/architecture.in"
	assert_output LlamaForCausalLM
}

@test "hf-arch: parameter_count: total, else the sum, else config counts" {
	golden params
}

@test "hf-arch: parameter_count is not fooled by a total inside parameters" {
	run -0 sh -c 'hf-arch "$1" | jq -r "select(.id | startswith(\"p/decoy\")) |
	    .parameter_count"' sh "$A/params.in"
	assert_output "7000012345
7000000000"
}

@test "hf-arch: 64-bit counts; non-integers and out-of-range are null" {
	golden counts
	run -0 sh -c 'hf-arch "$1" | grep -F "c/int64-max"' sh "$A/counts.in"
	assert_output --partial '"downloads":9223372036854775807,"likes":-9223372036854775808,'
}

@test "hf-arch: author falls back to the id's part before /" {
	golden author
}

@test "hf-arch: strings are decoded and re-escaped minimally" {
	golden strings
	run -0 hf-arch "$A/strings.in"
	assert_line --index 2 --partial '"tags":["tab\there","nl\nx","cr\rx","bs\bx","ff\fx","nul\u0000x","us\u001fx","esc\u001bx","del'$'\x7f''x","sep'$'\xe2\x80\xa8''x"]'
}

@test "hf-arch: tags keep their string elements only, else []" {
	golden tags
}

@test "hf-arch: gated is kept when a boolean or a string, else null" {
	golden gated
}

@test "hf-arch: fields of the wrong type are null, never an error" {
	golden types
}

@test "hf-arch: a repeated key: the last one counts" {
	golden duplicates
}

@test "hf-arch: white space and CRLF line ends" {
	golden whitespace
}

@test "hf-arch: record keys come in the documented order" {
	run -0 sh -c 'hf-arch "$1" | jq -c keys_unsorted | sort -u' sh "$A/basic.in"
	assert_output '["id","author","architecture","downloads","likes","last_modified","tags","pipeline_tag","gated","parameter_count"]'
}

@test "hf-arch: malformed lines are reported with FILE:LINE, skipped, exit 3" {
	run -3 --separate-stderr hf-arch "$A/malformed.in"
	assert_output "$(cat "$A/malformed.out")"
	assert_equal "$stderr" "$(sed "s|^|hf-arch: $A/malformed.in:|" "$A/malformed.err")"
	assert_equal "${#lines[@]}" 3
}

@test "hf-arch: malformed lines on standard input are <stdin>:LINE" {
	run -3 --separate-stderr hf-arch <"$A/malformed.in"
	assert_output "$(cat "$A/malformed.out")"
	assert_equal "$stderr" "$(sed 's|^|hf-arch: <stdin>:|' "$A/malformed.err")"
}

@test "hf-arch: a NUL byte makes its line malformed, not the next ones" {
	printf '{"id":"a/1"}\n{"id":"a/\0nul"}\n{"id":"a/3"}\0\n{"id":"a/4"}\n' >nul.ndjson
	run -3 --separate-stderr hf-arch nul.ndjson
	assert_equal "$stderr" "hf-arch: nul.ndjson:2: NUL byte
hf-arch: nul.ndjson:3: NUL byte"
	run -0 jq -r .id <<<"$output"
	assert_output "a/1
a/4"
}

@test "hf-arch: a last line without a newline is a line" {
	printf '{"id":"a/1"}\n{"id":"a/2"}' >nonl.ndjson
	run -0 hf-arch nonl.ndjson
	assert_equal "${#lines[@]}" 2
	assert_line --index 1 --partial '"id":"a/2"'
}

@test "hf-arch: a line of 3 MiB (a chat template) is processed whole" {
	python3 - <<-'EOF' >big.ndjson
	import json
	t = "{% for m in messages %}\u00e9\"\n\t" * 120000
	print(json.dumps({"id": "big/before"}))
	print(json.dumps({"id": "big/model", "config": {"tokenizer_config":
	    {"chat_template": t}, "architectures": ["LlamaForCausalLM"]},
	    "safetensors": {"total": 123}}, ensure_ascii=False))
	print(json.dumps({"id": "big/after"}))
	EOF
	[ "$(wc -c <big.ndjson)" -gt 3000000 ]
	run -0 --separate-stderr hf-arch big.ndjson
	assert_equal "$stderr" ""
	assert_equal "${#lines[@]}" 3
	assert_line --index 1 '{"id":"big/model","author":"big","architecture":"LlamaForCausalLM","downloads":null,"likes":null,"last_modified":null,"tags":[],"pipeline_tag":null,"gated":null,"parameter_count":123}'
}

@test "hf-arch: a bad byte at the end of a 3 MiB line skips that line only" {
	python3 - <<-'EOF' >bigbad.ndjson
	import json, sys
	t = "x" * 3145728
	sys.stdout.write(json.dumps({"id": "a/1"}) + "\n")
	sys.stdout.write(json.dumps({"id": "a/2", "t": t})[:-1] + "\n")
	sys.stdout.write(json.dumps({"id": "a/3", "t": t}) + "\n")
	EOF
	run -3 --separate-stderr hf-arch bigbad.ndjson
	assert_equal "$stderr" "hf-arch: bigbad.ndjson:2: truncated JSON"
	run -0 jq -r .id <<<"$output"
	assert_output "a/1
a/3"
}

@test "hf-arch: deep nesting is parsed, not a crash" {
	python3 -c 'print("{\"id\":\"deep/x\",\"config\":" + "[" * 100000 + "]" * 100000 + "}")' >deep.ndjson
	run -0 hf-arch deep.ndjson
	assert_output --partial '"id":"deep/x","author":"deep","architecture":null'
}

@test "hf-arch: --line-buffered writes each record at once" {
	feed='{ echo "{\"id\":\"a/1\"}"; sleep 2; echo "{\"id\":\"a/2\"}"; }'
	# with it, the first record is out before the second line comes in
	run -0 sh -c "start=\$(date +%s); $feed | hf-arch --line-buffered |
	    { read -r l; echo \$(( \$(date +%s) - start )); cat >/dev/null; }"
	[ "$output" -lt 2 ]
	# without it, output waits for the end (a pipe is block-buffered)
	run -0 sh -c "start=\$(date +%s); $feed | hf-arch |
	    { read -r l; echo \$(( \$(date +%s) - start )); cat >/dev/null; }"
	[ "$output" -ge 2 ]
}

@test "hf-arch: a closed pipe ends it quietly" {
	python3 "$FAKEHUB" --synthetic 2000 --seed 3 --write-corpus raw.ndjson
	run -0 --separate-stderr sh -c 'hf-arch raw.ndjson | head -n 1'
	assert_equal "${#lines[@]}" 1
	assert_equal "$stderr" ""
}

@test "hf-arch: the man page examples run" {
	python3 "$FAKEHUB" --synthetic 300 --seed 11 --write-corpus raw.ndjson
	local n=0 cmd
	while IFS= read -r -d '' cmd; do
		n=$((n + 1))
		run -0 --separate-stderr sh -c "$cmd"
		assert_equal "$stderr" ""
		[ -n "$output" ]
	done < <(man_examples "$ROOT/man/hf-arch.1")
	[ "$n" -ge 3 ]
}

@test "hf-arch: the smallest-models example gives the five smallest" {
	python3 "$FAKEHUB" --synthetic 300 --seed 11 --write-corpus raw.ndjson
	run -0 sh -c 'hf-arch raw.ndjson |
	    jq -s "map(select(.parameter_count)) | sort_by(.parameter_count) |
	    .[:5] | map({id, parameter_count})" | jq length'
	assert_output 5
}

@test "hf-arch: a pretty-printed JSON file is named once, with a jq -c hint; 20 lines reported, then a count" {
	printf '{\n  "models": [\n' >doc.json
	for i in $(seq 1 30); do printf '    {"id": "m/%s"},\n' "$i"; done >>doc.json
	printf '  ]\n}\n' >>doc.json
	run -3 --separate-stderr hf-arch doc.json
	assert_output ""
	assert_equal "${#stderr_lines[@]}" 22
	assert_equal "${stderr_lines[0]}" "hf-arch: doc.json: a JSON document, not NDJSON (one JSON object a line): try jq -c '.KEY[]' doc.json with KEY its array of objects"
	assert_equal "${stderr_lines[1]}" "hf-arch: doc.json:1: truncated JSON"
	assert_equal "${stderr_lines[21]}" "hf-arch: doc.json: ... and 14 more malformed lines"
}

@test "hf-arch: a JSON array on stdin is named, with jq -c '.[]'" {
	run -3 --separate-stderr hf-arch <<<'[{"id":"a/b"},{"id":"c/d"}]'
	assert_equal "${stderr_lines[0]}" "hf-arch: <stdin>: a JSON array, not NDJSON (one JSON object a line): try jq -c '.[]'"
	assert_equal "${stderr_lines[1]}" "hf-arch: <stdin>:1: not a JSON object"
	assert_equal "${#stderr_lines[@]}" 2
}

@test "hf-arch: NDJSON with many malformed lines reports every one (the cap is for documents only)" {
	for i in $(seq 1 30); do echo "x$i"; done >bad.ndjson
	run -3 --separate-stderr hf-arch bad.ndjson
	assert_equal "${#stderr_lines[@]}" 30
}
