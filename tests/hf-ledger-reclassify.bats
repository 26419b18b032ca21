#!/usr/bin/env bats
# hf-ledger reclassify: the ledger against today's registry, for
# hf-scraper --offline (SPEC 9.3): the models of an architecture that has
# gained an adapter leave the ledger as the records hf-classify prints
# for supported models; imported gap entries of it are dropped. And the
# ledger's replacement through a symbolic link, with its mode, and the
# refusal of a read-only ledger, by update as by reclassify (issue 20,
# item 3).
bats_require_minimum_version 1.5.0

setup() {
	load helper
	hf_setup
	# today's registry: Llama has gained an adapter since the scans
	cat >r0.json <<-'EOF'
	{"supported_architectures":["OtherModel"],"canonical_authors_by_arch":{}}
	EOF
	cat >r1.json <<-'EOF'
	{"supported_architectures":["OtherModel","LlamaForCausalLM","Qwen2ForCausalLM"],
	 "canonical_authors_by_arch":{"LlamaForCausalLM":["meta-llama"]}}
	EOF
	# Hub items of three architectures, as hf-list prints them
	cat >items <<-'EOF'
	{"id":"meta-llama/L","author":"meta-llama","downloads":10,"likes":3,"lastModified":"2025-01-02T03:04:05.000Z","tags":["a"],"safetensors":{"total":8000},"config":{"architectures":["LlamaForCausalLM"]}}
	{"id":"x/gpt","downloads":5,"config":{"architectures":["GPT2LMHeadModel"]}}
	{"id":"y/llama-ft","downloads":7,"likes":1,"lastModified":"2024-05-06T07:08:09Z","config":{"architectures":["LlamaForCausalLM"]}}
	{"id":"z/qwen","author":"z","downloads":2,"config":{"architectures":["Qwen2ForCausalLM"]}}
	{"id":"x/gpt2","downloads":1,"config":{"architectures":["GPT2LMHeadModel"]}}
	EOF
	hf-arch items >records
	# the ledger the scans kept, with the registry of then
	hf-classify --registry r0.json records | hf-ledger update -l led
}

@test "hf-ledger reclassify: usage errors exit 2 and name the problem" {
	run -2 --separate-stderr hf-ledger reclassify --supported s
	assert_equal "${stderr_lines[0]}" "hf-ledger: -l ledger is required"
	run -2 --separate-stderr hf-ledger reclassify -l led
	assert_equal "${stderr_lines[0]}" "hf-ledger: --supported file is required"
	run -2 --separate-stderr hf-ledger reclassify -l led --supported ''
	assert_equal "${stderr_lines[0]}" "hf-ledger: --supported file is required"
	run -2 --separate-stderr hf-ledger reclassify -l led --supported s extra
	assert_equal "${stderr_lines[0]}" "hf-ledger: reclassify takes no file operand"
	run -2 --separate-stderr hf-ledger reclassify -l led --supported s --import g
	assert_equal "${stderr_lines[0]}" "hf-ledger: --import is for hf-ledger update"
	run -2 --separate-stderr hf-ledger update -l led --architecture X
	assert_equal "${stderr_lines[0]}" "hf-ledger: --architecture and --registry are for hf-ledger reclassify"
	run -2 --separate-stderr hf-ledger dedupe --registry r1.json
	assert_equal "${stderr_lines[0]}" "hf-ledger: --architecture and --registry are for hf-ledger reclassify"
	assert_file_not_exists s
}

@test "hf-ledger reclassify: the now supported models move, in ledger order, as hf-classify prints them; the rest stays" {
	cp led before
	run -0 --separate-stderr hf-ledger reclassify -l led --registry r1.json \
	    --supported new --stats 3 3>stats
	assert_equal "$stderr" ""
	assert_output ""
	# the records hf-classify prints for the supported models of a scan
	# made today, byte for byte
	hf-classify --registry r1.json records | grep '"supported":true' >fresh
	cmp new fresh
	assert_equal "$(jq -r .id new | tr '\n' ' ')" "meta-llama/L y/llama-ft z/qwen "
	assert_equal "$(jq -c '[.supported, .canonical]' new | tr '\n' ' ')" \
	    "[true,true] [true,false] [true,false] "
	assert_equal "$(cat led)" "$(grep -e '"x/gpt"' -e '"x/gpt2"' before)"
	assert_equal "$(cat stats)" "$(printf '%s\n' \
	    'moved LlamaForCausalLM 2' 'moved Qwen2ForCausalLM 1' \
	    'moved_total 3' 'dropped_total 0')"
	# hf-merge writes the same entries as after a fresh scan
	mkdir offline scan
	hf-merge supported -o offline --date 2026-12-04 new
	hf-merge supported -o scan --date 2026-12-04 fresh
	cmp offline/supported_models.json scan/supported_models.json
	assert_equal "$(jq -c '.models[0].metadata' offline/supported_models.json)" \
	    '{"downloads":10,"likes":3,"last_modified":"2025-01-02T03:04:05+00:00","tags":["a"],"parameter_count":8000}'
	# again: nothing left to move; the file empty, the ledger untouched
	ino=$(stat -c %i led)
	run -0 --separate-stderr hf-ledger reclassify -l led --registry r1.json \
	    --supported new --stats 1
	assert_output "$(printf '%s\n' 'moved_total 0' 'dropped_total 0')"
	assert_equal "$(stat -c %s new)" 0
	assert_equal "$(stat -c %i led)" "$ino"
}

@test "hf-ledger reclassify: --supported - prints the moved records on stdout; a failed write keeps the ledger" {
	cp led orig
	cp orig a
	run -0 --separate-stderr hf-ledger reclassify -l a --registry r1.json --supported file
	cp orig b
	run -0 --separate-stderr hf-ledger reclassify -l b --registry r1.json \
	    --supported - --stats 3 3>stats
	assert_output "$(cat file)"
	cmp a b
	assert_equal "$(tail -n 2 stats)" "$(printf '%s\n' 'moved_total 3' 'dropped_total 0')"
	# stdout full: the moved records are not out, so the ledger stays
	cp orig c
	run -1 --separate-stderr sh -c 'hf-ledger reclassify -l c --registry r1.json --supported - >/dev/full'
	assert_equal "${stderr_lines[0]}" "hf-ledger: stdout: No space left on device"
	cmp c orig
}

@test "hf-ledger reclassify: --architecture moves only that architecture's models" {
	run -0 --separate-stderr hf-ledger reclassify -l led --registry r1.json \
	    --architecture Qwen2ForCausalLM --supported new --stats 1
	assert_output "$(printf '%s\n' 'moved Qwen2ForCausalLM 1' \
	    'moved_total 1' 'dropped_total 0')"
	assert_equal "$(jq -r .id new)" "z/qwen"
	assert_equal "$(jq -r .id led | tr '\n' ' ')" "meta-llama/L x/gpt y/llama-ft x/gpt2 "
	# an architecture the registry does not support: nothing moves
	run -0 --separate-stderr hf-ledger reclassify -l led --registry r1.json \
	    --architecture GPT2LMHeadModel --supported new --stats 1
	assert_output "$(printf '%s\n' 'moved_total 0' 'dropped_total 0')"
	assert_equal "$(stat -c %s new)" 0
	# the default registry: HF_SCRAPER_REGISTRY, as hf-classify reads it
	HF_SCRAPER_REGISTRY=r1.json run -0 --separate-stderr \
	    hf-ledger reclassify -l led --architecture LlamaForCausalLM \
	    --supported new
	assert_equal "$(jq -r .id new | tr '\n' ' ')" "meta-llama/L y/llama-ft "
	run -1 --separate-stderr hf-ledger reclassify -l led --registry none.json \
	    --supported new
	assert_regex "$stderr" "^hf-ledger: none.json: "
}

@test "hf-ledger reclassify: imported gap entries of a now supported architecture are dropped, not moved" {
	# a ledger started from the gaps file the Python tool wrote
	cat >gaps.json <<-'EOF'
	{"gaps": [{"architecture_id": "LlamaForCausalLM", "total_models": 40, "relevancy_score": NaN},
	  {"architecture_id": "GPT2LMHeadModel", "total_models": 9},
	  {"architecture_id": "Qwen2ForCausalLM", "total_models": 3}]}
	EOF
	rm led
	hf-classify --registry r0.json records |
	    hf-ledger update -l led --import gaps.json
	run -0 --separate-stderr hf-ledger reclassify -l led --registry r1.json \
	    --supported new --stats 1
	assert_output "$(printf '%s\n' 'moved LlamaForCausalLM 2' \
	    'dropped LlamaForCausalLM 1' 'moved Qwen2ForCausalLM 1' \
	    'dropped Qwen2ForCausalLM 1' 'moved_total 3' 'dropped_total 2')"
	assert_equal "$(jq -r .id new | tr '\n' ' ')" "meta-llama/L y/llama-ft z/qwen "
	run -0 head -n 1 led
	assert_output '{"architecture_id":"GPT2LMHeadModel","total_models":9}'
	assert_equal "$(wc -l <led)" 3
	# --architecture limits the dropped entries too
	printf '%s\n' '{"architecture_id":"LlamaForCausalLM","total_models":1}' \
	    '{"architecture_id":"Qwen2ForCausalLM","total_models":3}' >>led
	run -0 --separate-stderr hf-ledger reclassify -l led --registry r1.json \
	    --architecture Qwen2ForCausalLM --supported new --stats 1
	assert_output "$(printf '%s\n' 'dropped Qwen2ForCausalLM 1' \
	    'moved_total 0' 'dropped_total 1')"
	assert_equal "$(tail -n 1 led)" '{"architecture_id":"LlamaForCausalLM","total_models":1}'
}

@test "hf-ledger reclassify: malformed ledger lines are reported and left out, as update leaves them out, exit 3" {
	{ head -n 1 led; echo 'oops'; echo '{"no":"id"}'; echo '{"id":1}'
	  tail -n +2 led; } >led2
	mv led2 led
	run -3 --separate-stderr hf-ledger reclassify -l led --registry r1.json \
	    --supported new
	assert_equal "$stderr" "hf-ledger: led:2: not valid JSON (bad literal)
hf-ledger: led:3: id: missing
hf-ledger: led:4: id: not a string"
	assert_equal "$(jq -r .id led | tr '\n' ' ')" "x/gpt x/gpt2 "
	assert_equal "$(wc -l <new)" 3
	# a missing ledger is an error; the file is not written
	run -1 --separate-stderr hf-ledger reclassify -l missing --registry r1.json \
	    --supported new2
	assert_equal "$stderr" "hf-ledger: missing: No such file or directory"
	assert_file_not_exists new2
}

@test "hf-ledger reclassify and update: a symlinked ledger: its target replaced, the link kept, the mode kept" {
	mkdir real
	mv led real/led
	chmod 640 real/led
	ln -s real/led led
	run -0 --separate-stderr hf-ledger reclassify -l led --registry r1.json \
	    --architecture Qwen2ForCausalLM --supported new
	[ -L led ]
	assert_equal "$(stat -c %a real/led)" 640
	assert_equal "$(wc -l <real/led)" 4
	printf '%s\n' '{"id":"n/new","architecture":"Foo","supported":false}' >more
	run -0 --separate-stderr hf-ledger update -l led more
	[ -L led ]
	assert_equal "$(stat -c %a real/led)" 640
	assert_equal "$(tail -n 1 real/led)" '{"id":"n/new","architecture":"Foo","supported":false}'
	assert_equal "$(ls -A real)" led
	# the temporaries a killed update left beside the target are cleared
	touch real/.led.Ab12Cd
	run -0 --separate-stderr hf-ledger update -l led more
	assert_equal "$(ls -A real)" led
}

@test "hf-ledger reclassify and update: a read-only ledger is refused, exit 1, nothing changed" {
	chmod 444 led
	cp -p led before
	echo stale >new
	run -1 --separate-stderr hf-ledger reclassify -l led --registry r1.json \
	    --supported new
	assert_equal "$stderr" "hf-ledger: led: read-only (mode 444): not replaced; make it writable (chmod u+w) to change it"
	cmp led before
	assert_equal "$(cat new)" stale
	printf '%s\n' '{"id":"n/new","architecture":"Foo","supported":false}' >more
	run -1 --separate-stderr hf-ledger update -l led --supported new more
	assert_equal "$stderr" "hf-ledger: led: read-only (mode 444): not replaced; make it writable (chmod u+w) to change it"
	cmp led before
	assert_equal "$(cat new)" stale
	assert_equal "$(stat -c %a led)" 444
	# through a link, the target's mode counts
	mkdir real
	mv led real/led
	ln -s real/led led
	run -1 --separate-stderr hf-ledger update -l led more
	assert_equal "$stderr" "hf-ledger: led: read-only (mode 444): not replaced; make it writable (chmod u+w) to change it"
	cmp real/led before
}
