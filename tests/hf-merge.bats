#!/usr/bin/env bats
# hf-merge: the registry files as Python's json.dump(indent=2) writes them,
# merged and replaced atomically; the real TransformerLens files as
# fixtures (issue 4 (a)-(d)).
bats_require_minimum_version 1.5.0

setup() {
	load helper
	hf_setup
	M="$FIX/merge"
	REAL="$FIX/merge/tl-registry-2026-04-16"
	REF="$ORACLES/merge_ref.py"
	cd "$BATS_TEST_TMPDIR" || exit 1
}

teardown() {
	if [ -n "${IMMUTABLE-}" ]; then
		chattr -i "$IMMUTABLE"
	fi
	chmod -R u+w "$BATS_TEST_TMPDIR" 2>/dev/null || true
}

# A copy of the fixture registry in ./data
data() {
	cp -r "$M/data" data
}

# make_readonly DIR: DIR refuses new files, to root too (chattr +i);
# skips the test where that cannot be done. make_writable undoes it.
make_readonly() {
	chmod a-w "$1"
	[ "$(id -u)" -ne 0 ] && return 0
	if chattr +i "$1" 2>/dev/null; then
		IMMUTABLE=$1
		return 0
	fi
	chmod u+w "$1"
	skip "cannot make a directory read-only for root here"
}

make_writable() {
	if [ -n "${IMMUTABLE-}" ]; then
		chattr -i "$IMMUTABLE"
		IMMUTABLE=
	fi
	chmod u+w "$1"
}

@test "hf-merge: usage errors exit 2, name the problem and write nothing" {
	run -2 --separate-stderr hf-merge -o d
	assert_equal "${stderr_lines[0]}" "hf-merge: supported, gaps, summary or ids expected"
	run -2 --separate-stderr hf-merge models -o d
	assert_equal "${stderr_lines[0]}" "hf-merge: not supported, gaps, summary or ids: models"
	run -2 --separate-stderr hf-merge supported
	assert_equal "${stderr_lines[0]}" "hf-merge: -o dir is required"
	run -2 --separate-stderr hf-merge supported -o d --date 2026-02-30
	assert_equal "${stderr_lines[0]}" "hf-merge: --date: not a date as YYYY-MM-DD: 2026-02-30"
	run -2 --separate-stderr hf-merge supported -o d --scan-info '[1]'
	assert_equal "${stderr_lines[0]}" "hf-merge: --scan-info: not a JSON object: [1]"
	run -2 --separate-stderr hf-merge gaps -o d --no-metadata
	assert_equal "${stderr_lines[0]}" "hf-merge: --no-metadata is for hf-merge supported"
	assert_equal "$output" ""
	assert_not_exist d
}

@test "hf-merge: a missing input file is fatal: nothing is written, exit 1" {
	data
	cp -r data before
	run -1 --separate-stderr hf-merge supported -o data "$M/records.ndjson" nope.ndjson
	assert_equal "$stderr" "hf-merge: nope.ndjson: No such file or directory
hf-merge: data/supported_models.json: not written"
	diff -r before data
	run -1 --separate-stderr hf-merge supported -o new nope.ndjson
	assert_not_exist new
}

@test "hf-merge: issue 4 (b): a no-input merge of the real supported_models.json is Python's json.dumps, duplicate collapsed" {
	mkdir d
	cp "$REAL/supported_models.json" d/
	run -0 --separate-stderr hf-merge supported -o d --date 2026-04-16 </dev/null
	assert_equal "${stderr_lines[0]}" 'hf-merge: d/supported_models.json: duplicate of model_id "hellohle/imlong" dropped (architecture_id "LlamaForCausalLM", status 0)'
	assert_equal "${stderr_lines[1]}" "hf-merge: d/supported_models.json: left out: 1 duplicate entry of the file"
	python3 "$REF" supported "$REAL/supported_models.json" 2026-04-16 </dev/null >want
	cmp want d/supported_models.json
	# the only differences from the file itself: the corrected header and
	# the later entry of hellohle/imlong (diff shows 11 lines of it)
	run -1 diff "$REAL/supported_models.json" d/supported_models.json
	assert_line --index 0 '10c10'
	assert_line --index 1 '<   "total_models": 9056,'
	assert_line --index 3 '>   "total_models": 9055,'
	assert_line --index 4 '121305,121315d121304'
	assert_line --index 15 '<       "model_id": "hellohle/imlong",'
	assert_equal "${#lines[@]}" 16
}

@test "hf-merge: issue 4 (b): a registry with hundreds of duplicates and stale headers comes out as json.dumps of the de-duplicated one" {
	mkdir d
	python3 -c 'import json, random, sys
d = json.load(open(sys.argv[1]))
rnd = random.Random(4)
for m in rnd.sample(d["models"], 300):
    c = dict(m, status=rnd.choice([0, 1, 2]), note="dup \u00e9\U0001F600")
    d["models"].insert(rnd.randint(d["models"].index(m) + 1, len(d["models"])), c)
d["total_models"] = 1; d["total_architectures"] = 2; d["total_verified"] = 3
d["generated_at"] = "1999-01-01"
json.dump(d, open("d/supported_models.json", "w"), indent=2)' "$REAL/supported_models.json"
	cp d/supported_models.json before
	run -0 --separate-stderr hf-merge supported -o d --date 2026-04-16 </dev/null
	assert_equal "${#stderr_lines[@]}" 302
	assert_equal "${stderr_lines[301]}" "hf-merge: d/supported_models.json: left out: 301 duplicate entries of the file"
	python3 "$REF" supported before 2026-04-16 </dev/null >want
	cmp want d/supported_models.json
	run -0 jq -r '.total_models, (.models | length), ([.models[].model_id] | unique | length)' d/supported_models.json
	assert_equal "${lines[*]}" "9055 9055 9055"
}

@test "hf-merge: issue 4 (b): the real gaps, through hf-score, give back architecture_gaps.json byte for byte" {
	mkdir d
	cp "$REAL/architecture_gaps.json" d/
	jq -c '.gaps[]' "$REAL/architecture_gaps.json" >gaps.ndjson
	run -0 --separate-stderr sh -c 'hf-score gaps.ndjson | hf-merge gaps -o d --date 2026-04-16'
	assert_equal "$stderr" ""
	cmp "$REAL/architecture_gaps.json" d/architecture_gaps.json
	# no final newline, as the reference writes this file
	assert_equal "$(tail -c 1 d/architecture_gaps.json | od -An -c | tr -d ' ')" "}"
	# the history placeholder appears beside it
	assert_equal "$(cat d/verification_history.json)" '{
  "last_updated": null,
  "records": []
}'
}

@test "hf-merge: 60 random files as json.load reads them come out as json.dumps writes them" {
	# repeated keys, NaN and Infinity, numbers spelt any way, escapes of
	# every kind, lone surrogates, odd white space (random_docs.py)
	python3 "$ORACLES/random_docs.py" . 60
	local n
	for n in $(seq 1 60); do
		echo "== $n"
		hf-merge supported -o $n --date 2026-04-16 </dev/null 2>/dev/null
		cat $n/supported_models.json
	done >got
	cmp want got
}

@test "hf-merge: new records are appended with the reference's keys, existing entries kept field for field" {
	data
	run -0 --separate-stderr hf-merge supported -o data --date 2026-04-16 "$M/records.ndjson"
	assert_equal "${stderr_lines[0]}" 'hf-merge: data/supported_models.json: duplicate of model_id "dup/model" dropped (architecture_id "Qwen2ForCausalLM", status 3)'
	assert_equal "${stderr_lines[1]}" "hf-merge: data/supported_models.json: left out: 4 unsupported records, 1 repeated record, 1 model already in the file, 1 duplicate entry of the file"
	python3 "$REF" supported "$M/data/supported_models.json" 2026-04-16 <"$M/records.ndjson" >want
	cmp want data/supported_models.json
	# non-ASCII as Python escapes it, floats as written, empty containers
	grep -qF '"note": "Full verification completed \u2014 caf\u00e9 \ud83d\ude00",' data/supported_models.json
	grep -qF '"phase1_score": 100.0,' data/supported_models.json
	grep -qF '"phase2_score": 67.4,' data/supported_models.json
	grep -qF '"phase3_score": 1e-05,' data/supported_models.json
	grep -qF '"nan": NaN,' data/supported_models.json
	grep -qF '"big": 123456789012345678901234567890,' data/supported_models.json
	grep -qF '"nested": [],' data/supported_models.json
	grep -qF '"empty": {},' data/supported_models.json
	grep -qF '"note": "tab\there \"quoted\" back\\slash \u007f\u0001 /slash",' data/supported_models.json
	# the new entries
	run -0 jq -c '.models[-4:][] | [.model_id, .metadata.last_modified, .metadata.tags, .metadata.downloads]' data/supported_models.json
	assert_output '["new/llama-a","2025-01-02T03:04:05+00:00",["transformers","café","😀"],123456]
["new/llama-b","2025-06-30T23:59:59.123000+00:00",["transformers","text-generation"],100]
["new/gpt2","2024-02-29T10:00:00+00:00",["transformers","text-generation"],null]
["new/bad-date",null,[],100]'
	run -0 jq -c '[.total_architectures, .total_models, .total_verified, (keys_unsorted | .[6:])]' data/supported_models.json
	assert_output '[3,9,2,["schema_note","x_empty"]]'
	run -0 jq -c '.models[-1] | keys_unsorted' data/supported_models.json
	assert_output '["architecture_id","model_id","status","verified_date","metadata","note","phase1_score","phase2_score","phase3_score","phase4_score","phase7_score","phase8_score"]'
}

@test "hf-merge: thousands of new records, formatted in chunks on two threads, are the oracle's file byte for byte" {
	python3 -c '
import json
archs = ["LlamaForCausalLM", "Qwen2ForCausalLM", "GPT2LMHeadModel"]
for i in range(2600):
    tags = ["transformers", "caf\u00e9 %d" % i, "\U0001f600"] if i % 7 == 0 else ["a", "b"]
    print(json.dumps({"id": "org%d/m%d" % (i % 13, i), "architecture": archs[i % 3],
        "supported": True, "downloads": i, "likes": i % 5,
        "last_modified": "2025-01-02T03:04:05.000Z", "tags": tags,
        "parameter_count": i * 1000}, ensure_ascii=i % 2 == 0))
' >many
	# no file before: every entry new, in chunks of 512 from the first
	python3 "$REF" supported "" 2026-04-16 <many >want
	run -0 --separate-stderr hf-merge supported -o fresh --date 2026-04-16 many
	cmp want fresh/supported_models.json
	# the first 1,100 already in the file: the first two chunks keep none,
	# the third goes on after the file's entries
	head -n 1100 many >first
	hf-merge supported -o data --date 2026-04-16 first 2>/dev/null
	cp data/supported_models.json before
	python3 "$REF" supported before 2026-04-16 <many >want
	run -0 --separate-stderr hf-merge supported -o data --date 2026-04-16 many
	cmp want data/supported_models.json
	assert_equal "$(jq '.models | length' data/supported_models.json)" 2600
	# every third in the file already: chunks that keep one entry in three
	awk 'NR % 3 == 1' many >thirds
	hf-merge supported -o third --date 2026-04-16 thirds 2>/dev/null
	python3 "$REF" supported third/supported_models.json 2026-04-16 <many >want
	run -0 --separate-stderr hf-merge supported -o third --date 2026-04-16 many
	cmp want third/supported_models.json
	# all of them there already: no new entry at all
	cp data/supported_models.json before
	run -0 --separate-stderr hf-merge supported -o data --date 2026-04-16 many
	cmp before data/supported_models.json
}

@test "hf-merge: --no-metadata writes null metadata, as the reference" {
	data
	run -0 --separate-stderr hf-merge supported --no-metadata -o data --date 2026-04-16 "$M/records.ndjson"
	python3 "$REF" supported "$M/data/supported_models.json" 2026-04-16 --no-metadata <"$M/records.ndjson" >want
	cmp want data/supported_models.json
	run -0 jq -c '[.models[-4:][] | .metadata]' data/supported_models.json
	assert_output '[null,null,null,null]'
}

@test "hf-merge: last_modified as Python's isoformat of the UTC instant; anything else null" {
	local lm
	for lm in 2025-01-02T03:04:05.000Z 2025-01-02T03:04:05Z 2025-01-02T03:04:05.5Z \
	    2025-01-02T03:04:05.1234567Z 2025-01-02T03:04:05+00:00 \
	    2025-01-01T23:30:00-01:00 2024-03-01T00:30:00+01:00 \
	    2025-01-02T03:04:05 "2025-01-02 03:04:05.000001Z" \
	    2025-13-01T00:00:00Z 2025-02-29T00:00:00Z 2025-01-02T24:00:00Z \
	    2025-01-02T03:04:60Z 2025-01-02 2025-01-02T03:04:05.Z \
	    2025-01-02T03:04:05+0100 2025-01-02T03:04:05+01 0001-01-01T00:30:00+01:00 \
	    yesterday ""; do
		jq -cn --arg lm "$lm" '{id: ("m/" + $lm), architecture: "A", supported: true, last_modified: $lm}'
	done >in
	printf '%s\n' '{"id":"m/number","architecture":"A","supported":true,"last_modified":17}' >>in
	run -0 --separate-stderr hf-merge supported -o d --date 2026-04-16 in
	run -0 jq -r '.models[].metadata.last_modified' d/supported_models.json
	assert_output '2025-01-02T03:04:05+00:00
2025-01-02T03:04:05+00:00
2025-01-02T03:04:05.500000+00:00
2025-01-02T03:04:05.123456+00:00
2025-01-02T03:04:05+00:00
2025-01-02T00:30:00+00:00
2024-02-29T23:30:00+00:00
2025-01-02T03:04:05+00:00
2025-01-02T03:04:05.000001+00:00
null
null
null
null
null
null
2025-01-02T02:04:05+00:00
null
null
null
null
null'
}

@test "hf-merge: issue 4 (c): the same merge twice gives identical files; the same models under two task filters count once" {
	data
	hf-merge supported -o data --date 2026-04-16 "$M/records.ndjson" 2>/dev/null
	hf-score "$M/records.ndjson" 2>/dev/null | hf-merge gaps -o data --date 2026-04-16
	cp -r data once
	run -0 --separate-stderr hf-merge supported -o data --date 2026-04-16 "$M/records.ndjson"
	assert_equal "$stderr" "hf-merge: data/supported_models.json: left out: 4 unsupported records, 1 repeated record, 5 models already in the file"
	cat "$M/records.ndjson" "$M/records.ndjson" >twice
	hf-score twice 2>/dev/null | hf-merge gaps -o data --date 2026-04-16
	diff -r once data
}

@test "hf-merge: scan_info is kept, replaced by --scan-info, or null; generated_at is the local date" {
	data
	run -0 --separate-stderr hf-merge supported -o data "$M/records.ndjson"
	run -0 jq -c '[.generated_at, .scan_info]' data/supported_models.json
	assert_output "[\"$(date +%F)\",{\"total_scanned\":4839,\"task_filter\":\"text-generation\",\"min_downloads\":500,\"scan_duration_seconds\":4.9}]"
	TZ=Etc/GMT-14 hf-merge supported -o data </dev/null
	assert_equal "$(jq -r .generated_at data/supported_models.json)" "$(TZ=Etc/GMT-14 date +%F)"
	TZ=Etc/GMT+12 hf-merge supported -o data </dev/null
	assert_equal "$(jq -r .generated_at data/supported_models.json)" "$(TZ=Etc/GMT+12 date +%F)"
	hf-merge supported -o data --scan-info '{"total_scanned": 12, "task_filter": "text2text-generation", "min_downloads": 500, "scan_duration_seconds": 8.10}' </dev/null
	grep -qF '"scan_duration_seconds": 8.1' data/supported_models.json
	run -0 jq -c .scan_info data/supported_models.json
	assert_output '{"total_scanned":12,"task_filter":"text2text-generation","min_downloads":500,"scan_duration_seconds":8.1}'
	printf '%s\n' '{"architecture_id":"X","total_models":1}' | hf-merge gaps -o new --date 2026-04-16
	run -0 jq -c '[.scan_info, .total_unsupported_architectures, .total_unsupported_models]' new/architecture_gaps.json
	assert_output '[null,1,1]'
}

@test "hf-merge: the directory is created with its parents; the history placeholder only when absent" {
	run -0 --separate-stderr hf-merge supported -o a/b/c --date 2026-04-16 "$M/records.ndjson"
	assert_file_exist a/b/c/supported_models.json
	printf '{"kept": true}' >a/b/c/verification_history.json
	printf '%s\n' '{"architecture_id":"X","total_models":1}' | hf-merge gaps -o a/b/c/ --date 2026-04-16
	assert_equal "$(cat a/b/c/verification_history.json)" '{"kept": true}'
	run -0 python3 -c 'import json, sys
print(json.dumps(json.load(open(sys.argv[1])), indent=2) + "\n" == open(sys.argv[1]).read())' a/b/c/supported_models.json
	assert_output True
	touch file
	run -1 --separate-stderr hf-merge supported -o file/sub "$M/records.ndjson"
	assert_equal "$stderr" "hf-merge: file/sub: Not a directory"
	run -1 --separate-stderr hf-merge supported -o file "$M/records.ndjson"
	assert_equal "$stderr" "hf-merge: file: Not a directory"
}

@test "hf-merge: a read-only directory is a clear error, the old files untouched" {
	data
	cp -r data before
	make_readonly data
	# the lock is on the directory itself: the write is what fails
	run -1 --separate-stderr hf-merge supported -o data --date 2026-04-16 "$M/records.ndjson"
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "${stderr_lines[0]%:*}" "hf-merge: data/supported_models.json"
	diff -r before data
}

@test "hf-merge: an existing file that does not parse is refused and left as it is" {
	local bad
	mkdir d
	for bad in '{"models": [' '' '[]' '{"models": {}}' '{"models": [1,]}' \
	    '{"a": tru}' "$(printf '{"a": "\xff"}')" "$(printf '\xef\xbb\xbf{}')"; do
		printf '%s' "$bad" >d/supported_models.json
		run -1 --separate-stderr hf-merge supported -o d "$M/records.ndjson"
		assert_equal "${#stderr_lines[@]}" 1
		assert_equal "${stderr_lines[0]%%:*}" "hf-merge"
		assert_equal "${stderr_lines[0]##*; }" "left as it is"
		assert_equal "$(cat d/supported_models.json)" "$bad"
	done
	printf '{"models": {}}' >d/supported_models.json
	run -1 --separate-stderr hf-merge supported -o d "$M/records.ndjson"
	assert_equal "$stderr" "hf-merge: d/supported_models.json: models: not a list; left as it is"
	printf '{"gaps": ' >d/architecture_gaps.json
	printf '{"architecture_id":"X"}\n' >g
	run -1 --separate-stderr hf-merge gaps -o d g
	assert_equal "$stderr" "hf-merge: d/architecture_gaps.json: truncated JSON; left as it is"
	assert_equal "$(cat d/architecture_gaps.json)" '{"gaps": '
	assert_not_exist d/verification_history.json
}

@test "hf-merge: gaps refuses an input without gap entries: the file is left as it is" {
	data
	cp -r data before
	run -1 --separate-stderr hf-merge gaps -o data </dev/null
	assert_equal "$stderr" "hf-merge: no gap entries in the input: data/architecture_gaps.json left as it is"
	printf '\n[]\n' >bad
	run -1 --separate-stderr hf-merge gaps -o data bad
	assert_equal "${stderr_lines[2]}" "hf-merge: no gap entries in the input: data/architecture_gaps.json left as it is"
	diff -r before data
}

@test "hf-merge: gaps writes hf-score's list in the reference's key order, wrong types null, first of a repeated architecture" {
	data
	printf '%s\n' \
	    '{"relevancy_score":12.5,"architecture_id":"B","extra":{"x":[]},"total_models":2,"sample_models":["b/1",3,"b/2"]}' \
	    '{"architecture_id":"A","total_models":"7","total_downloads":1.5,"min_param_count":null,"sample_models":"no","relevancy_score":"high"}' \
	    '{"architecture_id":"B","total_models":99}' >in
	run -0 --separate-stderr hf-merge gaps -o data --date 2026-04-16 in
	assert_equal "$stderr" "hf-merge: data/architecture_gaps.json: left out: 1 repeated architecture"
	python3 "$REF" gaps "$M/data/architecture_gaps.json" 2026-04-16 <in >want
	cmp want data/architecture_gaps.json
	run -0 jq -c '.gaps[0] | keys_unsorted' data/architecture_gaps.json
	assert_output '["architecture_id","total_models","total_downloads","min_param_count","sample_models","relevancy_score","extra"]'
	run -0 jq -c '[.total_unsupported_architectures, .total_unsupported_models, .comment, .gaps[1]]' data/architecture_gaps.json
	assert_output '[2,2,"an unknown key",{"architecture_id":"A","total_models":null,"total_downloads":null,"min_param_count":null,"sample_models":[],"relevancy_score":null}]'
}

@test "hf-merge: malformed lines are reported with FILE:LINE and skipped, exit 3; the file is written" {
	{
		printf '%s\n' '{"id":"ok/1","architecture":"A","supported":true}' '' '[1]' \
		    '{"id":' '{"architecture":"A","supported":true}' '{"id":null}'
		printf '{"id":"x\377","architecture":"A","supported":true}\n'
		printf '{"id":"x\000","architecture":"A","supported":true}\n'
		python3 -c 'import json
print(json.dumps({"id": "ok/big", "architecture": "A", "supported": True, "tags": ["t" * 100] * 15000}))'
	} >in
	[ "$(tail -n 1 in | wc -c)" -gt 1048576 ]
	run -3 --separate-stderr hf-merge supported -o d --date 2026-04-16 in
	assert_equal "${stderr_lines[0]}" "hf-merge: in:2: empty"
	assert_equal "${stderr_lines[1]}" "hf-merge: in:3: not a JSON object"
	assert_equal "${stderr_lines[2]}" "hf-merge: in:4: truncated JSON"
	assert_equal "${stderr_lines[3]}" "hf-merge: in:5: id: missing"
	assert_equal "${stderr_lines[4]}" "hf-merge: in:6: id: not a string"
	assert_equal "${stderr_lines[5]:0:14}" "hf-merge: in:7"
	assert_equal "${stderr_lines[6]:0:14}" "hf-merge: in:8"
	assert_equal "${#stderr_lines[@]}" 7
	run -0 jq -r '[.models[].model_id, (.models[1].metadata.tags | length)] | @tsv' d/supported_models.json
	assert_output "$(printf 'ok/1\tok/big\t15000')"
	printf '%s\n' '{"architecture_id":"X"}' '{"architecture_id":1}' '{"total_models":1}' >g
	run -3 --separate-stderr hf-merge gaps -o d g
	assert_equal "$stderr" "hf-merge: g:2: architecture_id: not a string
hf-merge: g:3: architecture_id: missing"
}

@test "hf-merge: one writer at a time: a second one waits for the lock" {
	data
	# the lock is held until the writer says it waits, however slow it
	# is to get there (under valgrind, say); 60 s at most, not forever
	flock data sh -c ': >held; i=0
	    until grep -q waiting err 2>/dev/null || [ $((i += 1)) -gt 1200 ]
	    do sleep 0.05; done' &
	local pid=$!
	until [ -e held ]; do sleep 0.05; done
	hf-merge supported -o data --date 2026-04-16 "$M/records.ndjson" 2>err
	run -0 cat err
	assert_line --index 0 "hf-merge: data: waiting for another hf-merge"
	run ! kill -0 "$pid"
	wait "$pid"
	python3 "$REF" supported "$M/data/supported_models.json" 2026-04-16 <"$M/records.ndjson" >want
	cmp want data/supported_models.json
}

@test "hf-merge: temporaries left by a killed writer are removed, others' are not" {
	data
	touch data/.supported_models.json.a1B2c3 data/.architecture_gaps.json.XXXXXX \
	    data/.verification_history.json.zzzzzz data/.scrape_ledger.ndjson.a1B2c3 \
	    data/.supported_models.json.toolong data/.supported_models.json.ab-cde
	run -0 --separate-stderr hf-merge supported -o data "$M/records.ndjson"
	run -0 sh -c 'ls -A data | sort'
	assert_output '.scrape_ledger.ndjson.a1B2c3
.supported_models.json.ab-cde
.supported_models.json.toolong
architecture_gaps.json
supported_models.json
verification_history.json'
}

@test "hf-merge: issue 4 (d): SIGKILL at any point leaves the old file or the new one, never a partial one" {
	mkdir d
	cp "$REAL/supported_models.json" d/
	cp d/supported_models.json old
	python3 -c 'import json
for i in range(20000):
    print(json.dumps({"id": "big/m%d" % i, "architecture": "LlamaForCausalLM", "supported": True, "downloads": i, "likes": 1, "last_modified": "2025-01-02T03:04:05.000Z", "tags": ["a", "b\u00e9"], "parameter_count": i}))' >big
	local t0 t1 dur i pid killed=0 old=0 new=0
	t0=$EPOCHREALTIME
	hf-merge supported -o d --date 2026-04-16 big 2>/dev/null
	t1=$EPOCHREALTIME
	cp d/supported_models.json new
	python3 -c 'import json, sys; json.load(open(sys.argv[1]))' new
	dur=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
	for i in $(seq 1 20); do
		cp old d/supported_models.json
		hf-merge supported -o d --date 2026-04-16 big 2>/dev/null &
		pid=$!
		sleep "$(awk -v d="$dur" -v i="$i" 'BEGIN { printf "%.4f", d * i / 18 }')"
		kill -KILL "$pid" 2>/dev/null && killed=$((killed + 1))
		wait "$pid" || true
		if cmp -s d/supported_models.json old; then
			old=$((old + 1))
		elif cmp -s d/supported_models.json new; then
			new=$((new + 1))
		else
			echo "kill $i: the file is neither the old nor the new one" >&2
			return 1
		fi
	done
	echo "# $killed killed; old $old, new $new" >&3
	[ "$killed" -gt 4 ]
	# the next run clears what the killed ones left
	hf-merge supported -o d --date 2026-04-16 big 2>/dev/null
	cmp new d/supported_models.json
	run -0 sh -c 'ls -A d | sort'
	assert_output 'supported_models.json
verification_history.json'
}

@test "hf-merge: the man page examples run" {
	cp -r "$M/data" "$M/records.ndjson" .
	local ex n=0
	while IFS= read -r ex; do
		run -0 --separate-stderr sh -c "$ex"
		n=$((n + 1))
	done <<EOF
$(sed -n 's/^\.Dl \$ //p' "$ROOT/man/hf-merge.1" | sed 's/\\(dq/"/g; s/\\e/\\/g')
EOF
	assert_equal "$n" 5
	assert_equal "$(jq -c .scan_info data/architecture_gaps.json)" '{"total_scanned":3}'
	run -0 jq '.total_models == (.models | length)' data/supported_models.json
	assert_output true
}
