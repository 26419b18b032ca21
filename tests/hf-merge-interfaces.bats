#!/usr/bin/env bats
# hf-merge's interfaces for the wrapper (SPEC 9.6, 9.7): the lock on the
# directory itself and --no-lock, --stats FD, scan_info from options,
# --keep-scan-info, hf-merge summary and hf-merge ids.
# shellcheck disable=SC2154 # $stderr, $stderr_lines: set by bats' run
bats_require_minimum_version 1.5.0

setup() {
	load helper
	hf_setup
	M="$FIX/merge"
	cd "$BATS_TEST_TMPDIR" || exit 1
}

# A copy of the fixture registry in ./data
data() {
	cp -r "$M/data" data
}

# supported records, one a line: records N PREFIX ARCH
records() {
	local i
	for i in $(seq 1 "$1"); do
		printf '{"id":"%s/m%d","architecture":"%s","supported":true,"downloads":%d,"likes":1,"last_modified":"2025-01-02T03:04:05.000Z","tags":["a"],"parameter_count":%d}\n' \
		    "$2" "$i" "$3" "$i" "$i"
	done
}

# 23 gap lines as hf-score prints them, the second architecture with a
# character that is escaped in the file
gaps23() {
	python3 -c '
import json
for i in range(23):
    print(json.dumps({"architecture_id": "Arch%02d" % i if i != 1 else "Caf\u00e9Model",
        "total_models": i + 1,
        "total_downloads": [1234567, 999, 1000, 0, 12345678901][i % 5],
        "min_param_count": None, "sample_models": [],
        "relevancy_score": 100.0 - i * 4.25}, separators=(",", ":")))'
}

@test "hf-merge interfaces: no lock file: the directory holds only the registry files" {
	run -0 --separate-stderr hf-merge supported -o new/dir --date 2026-04-16 "$M/records.ndjson"
	printf '%s\n' '{"architecture_id":"X","total_models":1}' >g
	run -0 --separate-stderr hf-merge gaps -o new/dir --date 2026-04-16 g
	run -0 ls -A new/dir
	assert_output 'architecture_gaps.json
supported_models.json
verification_history.json'
}

@test "hf-merge interfaces: the lock is on the directory: a holder of it makes hf-merge wait" {
	data
	flock data sh -c ': >held; i=0
	    until grep -q waiting err 2>/dev/null || [ $((i += 1)) -gt 1200 ]
	    do sleep 0.05; done' &
	local pid=$!
	until [ -e held ]; do sleep 0.05; done
	hf-merge gaps -o data --date 2026-04-16 <<<'{"architecture_id":"X"}' 2>err
	run -0 cat err
	assert_output "hf-merge: data: waiting for another hf-merge"
	run ! kill -0 "$pid"
	wait "$pid"
}

@test "hf-merge interfaces: two hf-merge at once serialise: neither loses the other's models" {
	mkdir d
	records 20000 a LlamaForCausalLM >a.ndjson
	records 20000 b GPT2LMHeadModel >b.ndjson
	local i
	for i in 1 2 3; do
		rm -f d/*
		hf-merge supported -o d --date 2026-04-16 a.ndjson &
		hf-merge supported -o d --date 2026-04-16 b.ndjson
		wait $!
		run -0 jq '.total_models, (.models | length)' d/supported_models.json
		assert_output '40000
40000'
	done
	run -0 ls -A d
	assert_output 'supported_models.json
verification_history.json'
}

@test "hf-merge interfaces: --no-lock writes while the caller holds the directory's lock" {
	data
	run -0 --separate-stderr timeout 30 flock data hf-merge supported \
	    -o data --no-lock --date 2026-04-16 "$M/records.ndjson"
	run -0 jq .total_models data/supported_models.json
	assert_output 9
	# without it, hf-merge waits for the caller
	run -124 --separate-stderr timeout 2 flock data hf-merge gaps -o data \
	    --date 2026-04-16 <<<'{"architecture_id":"X"}'
	assert_equal "${stderr_lines[0]}" "hf-merge: data: waiting for another hf-merge"
	run -2 --separate-stderr hf-merge summary -o data --no-lock
	assert_equal "${stderr_lines[0]}" "hf-merge: hf-merge summary takes -o dir alone"
}

@test "hf-merge interfaces: --stats: supported's figures, one line each, per operand in order" {
	data
	records 2 s LlamaForCausalLM >s.ndjson
	run -0 --separate-stderr hf-merge supported -o data --date 2026-04-16 \
	    --stats 3 "$M/records.ndjson" - s.ndjson 3>stats <s.ndjson
	run -0 cat stats
	assert_output "models_before 6
new_models 6
new_from 4 $M/records.ndjson
new_from 2 -
new_from 0 s.ndjson
total_models 11
total_architectures 3
total_verified 2
written supported_models.json
written verification_history.json"
	# a second merge: the history file is there already
	run -0 --separate-stderr hf-merge supported -o data --stats 3 s.ndjson 3>stats
	run -0 tail -n 1 stats
	assert_output "written supported_models.json"
	# no operand: the standard input, named -; no file before
	run -0 --separate-stderr hf-merge supported -o new --stats 1 <s.ndjson
	assert_output "models_before 0
new_models 2
new_from 2 -
total_models 2
total_architectures 1
total_verified 0
written supported_models.json
written verification_history.json"
	# to a pipe, in one write
	run -0 --separate-stderr sh -c 'hf-merge supported -o new --stats 3 s.ndjson 3>&1 >/dev/null | cat'
	assert_output "models_before 2
new_models 0
new_from 0 s.ndjson
total_models 2
total_architectures 1
total_verified 0
written supported_models.json"
}

@test "hf-merge interfaces: --stats: gaps's figures" {
	data
	gaps23 >g
	run -0 --separate-stderr hf-merge gaps -o data --date 2026-04-16 --stats 4 g 4>stats
	run -0 cat stats
	assert_output "total_architectures 23
total_models 276
written architecture_gaps.json"
}

@test "hf-merge interfaces: --stats: a descriptor not open for writing is a usage error before any input" {
	data
	cp -r data before
	run -2 --separate-stderr hf-merge supported -o data --stats 7 nope.ndjson
	assert_equal "${stderr_lines[0]}" "hf-merge: --stats 7: Bad file descriptor"
	run -2 --separate-stderr hf-merge gaps -o data --stats 5 nope.ndjson 5<"$M/records.ndjson"
	assert_equal "${stderr_lines[0]}" "hf-merge: --stats 5: not open for writing"
	local bad
	for bad in '' x -1 3x 99999999999; do
		run -2 --separate-stderr hf-merge supported -o data --stats "$bad" nope.ndjson
		assert_equal "${stderr_lines[0]}" "hf-merge: --stats: not a file descriptor: $bad"
	done
	diff -r before data
	# exit 1, the file as it was: nothing on the descriptor
	run -1 --separate-stderr hf-merge gaps -o data --stats 3 /dev/null 3>stats
	assert_equal "$(wc -c <stats)" 0
	diff -r before data
}

@test "hf-merge interfaces: --scanned, --task, --min-downloads, --duration write what --scan-info wrote" {
	local t secs js
	for secs in 12.3 0 7 0.05 12.30 100.0 123456789012345678901234567890; do
		for t in text-generation 'a"b\c' 'café	tab'; do
			rm -rf x y
			cp -r "$M/data" x
			cp -r "$M/data" y
			js=$(jq -n --arg t "text-generation,$t" '$t')
			hf-merge supported -o x --date 2026-04-16 --scan-info \
			    "{\"total_scanned\":4839,\"task_filter\":$js,\"min_downloads\":500,\"scan_duration_seconds\":$secs}" \
			    "$M/records.ndjson" 2>/dev/null
			hf-merge supported -o y --date 2026-04-16 --scanned 4839 \
			    --task text-generation --task "$t" --min-downloads 500 \
			    --duration "$secs" "$M/records.ndjson" 2>/dev/null
			cmp x/supported_models.json y/supported_models.json
			hf-merge gaps -o x --date 2026-04-16 --scan-info \
			    "{\"total_scanned\":4839,\"task_filter\":$js,\"min_downloads\":500,\"scan_duration_seconds\":$secs}" <<<'{"architecture_id":"X"}'
			hf-merge gaps -o y --date 2026-04-16 --scanned 4839 \
			    --task text-generation --task "$t" --min-downloads 500 \
			    --duration "$secs" <<<'{"architecture_id":"X"}'
			cmp x/architecture_gaps.json y/architecture_gaps.json
		done
	done
	sed -n 3,8p y/supported_models.json >got
	run -0 cat got
	assert_output '  "scan_info": {
    "total_scanned": 4839,
    "task_filter": "text-generation,caf\u00e9\ttab",
    "min_downloads": 500,
    "scan_duration_seconds": 123456789012345678901234567890
  },'
}

@test "hf-merge interfaces: the scan_info options: strict values, all four together, one way at most" {
	local bad all='--scanned 1 --task t --min-downloads 2 --duration 3.5'
	for bad in '' 1e3 -1 .5 5. 01 1.2.3 nan ' 1' '1 ' +1 0x10 1,5; do
		run -2 --separate-stderr hf-merge supported -o d --duration "$bad"
		assert_equal "${stderr_lines[0]}" "hf-merge: --duration: not seconds as a decimal such as 12.3: $bad"
	done
	run -2 --separate-stderr hf-merge supported -o d --scanned -1
	assert_equal "${stderr_lines[0]}" "hf-merge: --scanned: too small (at least 0): -1"
	run -2 --separate-stderr hf-merge supported -o d --min-downloads x
	assert_equal "${stderr_lines[0]}" "hf-merge: --min-downloads: not a number: x"
	# shellcheck disable=SC2086 # $all: the options, split
	run -2 --separate-stderr hf-merge gaps -o d $all --scan-info '{}'
	assert_equal "${stderr_lines[0]}" "hf-merge: --scan-info, --keep-scan-info and --scanned ... exclude each other"
	run -2 --separate-stderr hf-merge gaps -o d --keep-scan-info --scan-info '{}'
	assert_equal "${stderr_lines[0]}" "hf-merge: --scan-info, --keep-scan-info and --scanned ... exclude each other"
	# shellcheck disable=SC2086
	run -2 --separate-stderr hf-merge supported -o d $all --keep-scan-info
	assert_equal "${stderr_lines[0]}" "hf-merge: --scan-info, --keep-scan-info and --scanned ... exclude each other"
	run -2 --separate-stderr hf-merge supported -o d --scanned 1 --task t --min-downloads 2
	assert_equal "${stderr_lines[0]}" "hf-merge: --scanned, --task, --min-downloads and --duration go together"
	run -2 --separate-stderr hf-merge supported -o d --task t
	assert_equal "${stderr_lines[0]}" "hf-merge: --scanned, --task, --min-downloads and --duration go together"
	run -2 --separate-stderr hf-merge supported -o d --scanned 1 --task "$(printf 'a\xff')" --min-downloads 2 --duration 1
	assert_equal "${stderr_lines[0]}" "hf-merge: --task: not UTF-8: $(printf 'a\xff')"
	assert_not_exist d
}

@test "hf-merge interfaces: --scan-from gives what --scanned and --duration give, read once the input has ended" {
	local secs mode in
	echo '{"architecture_id":"X"}' >gap
	for secs in 12.3 0 7 12.30; do
		for mode in supported gaps; do
			rm -rf x y
			cp -r "$M/data" x
			cp -r "$M/data" y
			in=$M/records.ndjson
			[ "$mode" = supported ] || in=gap
			printf '4839 %s\n' "$secs" >line
			hf-merge "$mode" -o x --date 2026-04-16 --scanned 4839 --task t \
			    --min-downloads 500 --duration "$secs" <"$in" 2>/dev/null
			hf-merge "$mode" -o y --date 2026-04-16 --task t \
			    --min-downloads 500 --scan-from line <"$in" 2>/dev/null
			diff -r x y
		done
	done
	# from a pipe: the file is written after the records, before the end
	rm -rf y && cp -r "$M/data" y && rm -f line && mkfifo pipe
	hf-merge supported -o y --date 2026-04-16 --task t --min-downloads 500 \
	    --scan-from line - "$M/records.ndjson" <pipe 2>/dev/null &
	exec 5>pipe
	cat "$M/records.ndjson" >&5
	printf '4839 12.3\n' >line
	exec 5>&-
	wait $!
	hf-merge supported -o x --date 2026-04-16 --task t --min-downloads 500 \
	    --scanned 4839 --duration 12.3 "$M/records.ndjson" "$M/records.ndjson" 2>/dev/null
	cmp x/supported_models.json y/supported_models.json
}

@test "hf-merge interfaces: --scan-from: a missing file or not one line \"scanned seconds\" writes nothing" {
	local bad
	data
	cp -r data before
	for bad in '' '1' '1 2 3' '-1 2' 'x 2' '1 x' '1 .5' '1 2\nmore' '1 2' '1 2\0'; do
		printf -- "$bad\n" >line
		[ "$bad" != '1 2' ] || printf '1 2' >line
		[ "$bad" != '' ] || : >line
		run -1 --separate-stderr hf-merge supported -o data --task t --min-downloads 0 \
		    --scan-from line "$M/records.ndjson"
		assert_equal "${stderr_lines[-1]}" "hf-merge: data/supported_models.json: not written"
		diff -r before data
	done
	: >line
	run -1 --separate-stderr hf-merge gaps -o data --task t --min-downloads 0 --scan-from line <<<'{"architecture_id":"X"}'
	assert_equal "${stderr_lines[0]}" "hf-merge: --scan-from line: empty"
	printf '1 x\n' >line
	run -1 --separate-stderr hf-merge gaps -o data --task t --min-downloads 0 --scan-from line <<<'{"architecture_id":"X"}'
	assert_equal "${stderr_lines[0]}" "hf-merge: --scan-from line: not seconds as a decimal such as 12.3: x"
	printf '1 2\nmore\n' >line
	run -1 --separate-stderr hf-merge gaps -o data --task t --min-downloads 0 --scan-from line <<<'{"architecture_id":"X"}'
	assert_equal "${stderr_lines[0]}" 'hf-merge: --scan-from line: not one line "scanned seconds": 1 2'
	run -1 --separate-stderr hf-merge gaps -o data --task t --min-downloads 0 --scan-from missing <<<'{"architecture_id":"X"}'
	assert_equal "${stderr_lines[0]}" "hf-merge: --scan-from missing: No such file or directory"
	diff -r before data
	# usage: with --task and --min-downloads, in place of --scanned and --duration
	run -2 --separate-stderr hf-merge supported -o d --task t --min-downloads 0 --scanned 1 --scan-from line
	assert_equal "${stderr_lines[0]}" "hf-merge: --scan-from reads what --scanned and --duration give"
	run -2 --separate-stderr hf-merge supported -o d --task t --min-downloads 0 --duration 1 --scan-from line
	assert_equal "${stderr_lines[0]}" "hf-merge: --scan-from reads what --scanned and --duration give"
	run -2 --separate-stderr hf-merge supported -o d --task t --scan-from line
	assert_equal "${stderr_lines[0]}" "hf-merge: --scanned, --task, --min-downloads and --duration go together"
	run -2 --separate-stderr hf-merge supported -o d --keep-scan-info --scan-from line
	assert_equal "${stderr_lines[0]}" "hf-merge: --scan-info, --keep-scan-info and --scanned ... exclude each other"
	run -2 --separate-stderr hf-merge supported -o d --task t --min-downloads 0 --scan-from ''
	assert_equal "${stderr_lines[0]}" "hf-merge: --scan-from: an empty file name"
	run -2 --separate-stderr hf-merge summary -o d --scan-from line
	assert_equal "${stderr_lines[0]}" "hf-merge: hf-merge summary takes -o dir alone"
	assert_not_exist d
}

@test "hf-merge interfaces: --keep-scan-info keeps the file's scan_info, in both modes" {
	data
	jq -c .scan_info data/supported_models.json >want
	run -0 --separate-stderr hf-merge supported -o data --keep-scan-info "$M/records.ndjson"
	jq -c .scan_info data/supported_models.json >got
	cmp want got
	jq -c .scan_info data/architecture_gaps.json >want
	run -0 --separate-stderr hf-merge gaps -o data --keep-scan-info <<<'{"architecture_id":"X"}'
	jq -c .scan_info data/architecture_gaps.json >got
	cmp want got
	run -0 --separate-stderr hf-merge gaps -o new --keep-scan-info <<<'{"architecture_id":"X"}'
	run -0 jq -c .scan_info new/architecture_gaps.json
	assert_output null
}

@test "hf-merge interfaces: summary prints the reference's summary body" {
	data
	{
		records 1 z Zeta
		records 1 a Alpha
		records 1 l alpha
		records 1 b BertLike
	} >z.ndjson
	hf-merge supported -o data --date 2026-04-16 "$M/records.ndjson" z.ndjson 2>/dev/null
	gaps23 | hf-merge gaps -o data --date 2026-04-16
	chmod 444 data/*.json	# read, not written
	run -0 --separate-stderr hf-merge summary -o data
	assert_equal "$stderr" ""
	assert_output 'SUPPORTED ARCHITECTURES (7):
  LlamaForCausalLM: 5 models
  GPT2LMHeadModel: 3 models
  Alpha: 1 models
  BertLike: 1 models
  Qwen2ForCausalLM: 1 models
  Zeta: 1 models
  alpha: 1 models

TOP 20 UNSUPPORTED ARCHITECTURES by relevancy (of 23):
  Arch00: score=100.0, 1 models, 1,234,567 downloads
  Caf\u00e9Model: score=95.8, 2 models, 999 downloads
  Arch02: score=91.5, 3 models, 1,000 downloads
  Arch03: score=87.2, 4 models, 0 downloads
  Arch04: score=83.0, 5 models, 12,345,678,901 downloads
  Arch05: score=78.8, 6 models, 1,234,567 downloads
  Arch06: score=74.5, 7 models, 999 downloads
  Arch07: score=70.2, 8 models, 1,000 downloads
  Arch08: score=66.0, 9 models, 0 downloads
  Arch09: score=61.8, 10 models, 12,345,678,901 downloads
  Arch10: score=57.5, 11 models, 1,234,567 downloads
  Arch11: score=53.2, 12 models, 999 downloads
  Arch12: score=49.0, 13 models, 1,000 downloads
  Arch13: score=44.8, 14 models, 0 downloads
  Arch14: score=40.5, 15 models, 12,345,678,901 downloads
  Arch15: score=36.2, 16 models, 1,234,567 downloads
  Arch16: score=32.0, 17 models, 999 downloads
  Arch17: score=27.8, 18 models, 1,000 downloads
  Arch18: score=23.5, 19 models, 0 downloads
  Arch19: score=19.2, 20 models, 12,345,678,901 downloads
  ... and 3 more architectures (66 models)'
	# 20 gaps or fewer: no "... and" line
	head -20 <(gaps23) | hf-merge gaps -o g20 --date 2026-04-16
	run -0 hf-merge summary -o g20
	assert_equal "${lines[-1]}" "  Arch19: score=19.2, 20 models, 12,345,678,901 downloads"
	assert_equal "${#lines[@]}" 22
}

@test "hf-merge interfaces: --summary: each mode's part of summary, made from the merge, after the write" {
	data
	{
		records 1 z Zeta
		records 1 a Alpha
		records 2 l LlamaForCausalLM
	} >z.ndjson
	# a first merge and a re-merge (the file's entries counted, repeats not)
	for pass in 1 2; do
		hf-merge supported -o data --date 2026-04-16 --summary 4 \
		    "$M/records.ndjson" z.ndjson 4>sup 2>/dev/null
		gaps23 | hf-merge gaps -o data --date 2026-04-16 --summary 4 4>gaps
		run -0 hf-merge summary -o data
		assert_equal "$(cat sup; echo; cat gaps)" "$output"
	done
	head -3 <(gaps23) | hf-merge gaps -o data --summary 4 4>gaps
	assert_equal "$(wc -l <gaps)" 4
	# a failed merge writes no summary
	: >sup
	run -1 --separate-stderr hf-merge supported -o data --summary 4 missing 4>sup
	[ ! -s sup ]
	run -2 --separate-stderr hf-merge supported -o data --summary 4 z.ndjson 4<z.ndjson
	assert_equal "${stderr_lines[0]}" "hf-merge: --summary 4: not open for writing"
	run -2 --separate-stderr hf-merge summary -o data --summary 1
	assert_equal "${stderr_lines[0]}" "hf-merge: hf-merge summary takes -o dir alone"
}

@test "hf-merge interfaces: summary without files, without the gaps file, with a broken one" {
	run -0 --separate-stderr hf-merge summary -o none
	assert_output 'SUPPORTED ARCHITECTURES (0):

TOP 20 UNSUPPORTED ARCHITECTURES by relevancy (of 0):'
	assert_not_exist none
	mkdir d
	records 2 s LlamaForCausalLM | hf-merge supported -o d 2>/dev/null
	run -0 --separate-stderr hf-merge summary -o d
	assert_output 'SUPPORTED ARCHITECTURES (1):
  LlamaForCausalLM: 2 models

TOP 20 UNSUPPORTED ARCHITECTURES by relevancy (of 0):'
	printf '{"gaps": [' >d/architecture_gaps.json
	run -1 --separate-stderr hf-merge summary -o d
	assert_output ""
	assert_equal "$stderr" "hf-merge: d/architecture_gaps.json: truncated JSON; left as it is"
	rm d/architecture_gaps.json
	printf '{"models": {}}' >d/supported_models.json
	run -1 --separate-stderr hf-merge summary -o d
	assert_equal "$stderr" "hf-merge: d/supported_models.json: models: not a list; left as it is"
	run -2 --separate-stderr hf-merge summary -o d extra
	assert_equal "${stderr_lines[0]}" "hf-merge: hf-merge summary reads no file: extra"
	run -2 --separate-stderr hf-merge summary -o d --date 2026-04-16
	assert_equal "${stderr_lines[0]}" "hf-merge: hf-merge summary takes -o dir alone"
}

@test "hf-merge interfaces: ids prints every model_id of the file, decoded, in file order" {
	data
	chmod 444 data/supported_models.json
	run -0 --separate-stderr hf-merge ids -o data
	assert_output 'meta-llama/Llama-3.1-8B
openai-community/gpt2
dup/model
dup/model
short/entry
ctrl/chars'
	mkdir e
	printf '%s' '{"models": [{"model_id": "caf\u00e9/\ud83d\ude00"}, {"model_id": 1}, {}, 3, {"model_id": "a\nb"}, {"model_id": ""}, {"model_id": "x/y"}]}' >e/supported_models.json
	run -0 --separate-stderr hf-merge ids -o e
	assert_output 'café/😀

x/y'
	# no file: nothing
	run -0 --separate-stderr hf-merge ids -o none
	assert_output ""
	assert_equal "$stderr" ""
	assert_not_exist none
	# a broken file: the error a merge gives
	printf '{"models": [1,]}' >e/supported_models.json
	run -1 --separate-stderr hf-merge supported -o e /dev/null
	local want=$stderr
	run -1 --separate-stderr hf-merge ids -o e
	assert_output ""
	assert_equal "$stderr" "${want%$'\n'*}"
	assert_equal "$stderr" "hf-merge: e/supported_models.json:1:15: not valid JSON; left as it is"
	run -2 --separate-stderr hf-merge ids -o e --stats 1
	assert_equal "${stderr_lines[0]}" "hf-merge: hf-merge ids takes -o dir alone"
}

@test "hf-merge interfaces: tags of any form are written as the reference writes them" {
	local t i=0
	: >r
	for t in '[]' '[ ]' '["a","b"]' '[ "a" , "b" ]' "$(printf '[\t"a",\t"b" ]')" \
	    '["a", 1]' '[["a"]]' '["a\"b"]' '["\u00e9"]' '["é"]' '["", "x"]' \
	    '["a\\"]' '["a", null, {"b": []}]' '["~ !#$%&()*+,-./:;<=>?@[]^_`{|}"]' \
	    '"notalist"' 'null' '{"a": 1}' '["\u007f"]' '["a","\ud83d\ude00"]'; do
		i=$((i + 1))
		printf '{"id":"t/%d","architecture":"A","supported":true,"tags":%s}\n' "$i" "$t" >>r
	done
	run -0 --separate-stderr hf-merge supported -o d --date 2026-04-16 r
	python3 "$ORACLES/merge_ref.py" supported "" 2026-04-16 <r >want
	cmp want d/supported_models.json
	run -0 jq -c '[.models[].metadata.tags]' d/supported_models.json
	assert_output '[[],[],["a","b"],["a","b"],["a","b"],["a",1],[["a"]],["a\"b"],["é"],["é"],["","x"],["a\\"],["a",null,{"b":[]}],["~ !#$%&()*+,-./:;<=>?@[]^_`{|}"],[],[],[],["\u007f"],["a","😀"]]'
}
