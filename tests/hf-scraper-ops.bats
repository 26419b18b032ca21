#!/usr/bin/env bats
# hf-scraper as an operator meets it (SPEC 9.7, issue 17) and the
# wrapper's reliability items of issue 20: what DIR holds after any end,
# where it runs from, what the log says, who sees the token, the exit
# statuses, --limit counting only models not yet registered.
bats_require_minimum_version 1.5.0

setup_file() {
	load helper
	fakehub_suite_setup --synthetic 3000 --seed 5
}

setup() {
	load helper
	hf_setup
}

teardown() {
	fakehub_teardown
}

FILES='architecture_gaps.json
scrape_ledger.ndjson
supported_models.json
verification_history.json'

@test "hf-scraper: after a run DIR holds the registry files and the ledger, nothing else" {
	fakehub_start --corpus "$CORPUS"
	run -0 hf-scraper --limit 300 -o out
	assert_equal "$(ls -A out)" "$FILES"
	# interrupted: those and the checkpoint only
	fakehub_stop
	fakehub_start --corpus "$CORPUS" --latency 0.2
	hf-scraper --full-scan --min-downloads 0 --checkpoint-interval 100 -o out 2>log &
	pid=$!
	for _ in $(seq 200); do
		[ -s out/scrape_checkpoint.task1.state ] && break
		sleep 0.05
	done
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 143
	run -0 ls -A out
	refute_output --regexp '(^|[[:space:]])\.'
	assert_line scrape_checkpoint.json
	# the checkpoint's identity is JSON, its values as given
	run -0 jq -c '[.task, .canonical_sweep, .architecture, .output]' out/scrape_checkpoint.json
	assert_output "[\"text-generation\",true,null,\"$PWD/out\"]"
}

@test "hf-scraper: a Hub that cannot be reached: exit 1 within seconds, the URL and HF_ENDPOINT named, no checkpoint" {
	SECONDS=0
	HF_ENDPOINT=http://127.0.0.1:1 run -1 --separate-stderr hf-scraper --limit 10 --no-canonical-sweep -o out
	[ "$SECONDS" -lt 15 ]
	assert_regex "$stderr" "http://127\\.0\\.0\\.1:1/api/models"
	assert_regex "$stderr" "HF_ENDPOINT"
	assert_equal "$(ls -A out)" ""
}

@test "hf-scraper: the log names the Hub and the registry; a misspelt --task warns" {
	fakehub_start --corpus "$CORPUS"
	run -0 --separate-stderr hf-scraper --task text-genration --no-canonical-sweep -o out
	assert_regex "$stderr" "INFO: Hub: $HF_ENDPOINT \\(HF_ENDPOINT\\)"
	assert_regex "$stderr" "INFO: registry: .*registry.json \\([0-9]+ supported architectures\\)"
	assert_regex "$stderr" "WARNING: --task text-genration: the Hub has no model with this tag; is it misspelt\\?"
	# the files line names only files written
	run -0 grep 'files written:' <<<"$stderr"
	refute_output --partial architecture_gaps.json
}

@test "hf-scraper: the summary has the reference's content and what the sweep added" {
	fakehub_start --corpus "$CORPUS"
	run -0 --separate-stderr hf-scraper --limit 500 --min-downloads 0 -o out
	for l in "Scan complete in [0-9]+\\.[0-9]s" "Total models scanned: 500" \
	    "Existing models skipped: 0" \
	    "New supported models: [0-9]+ \\(canonical sweep added [0-9]+\\)" \
	    "Total supported models: $(jq .total_models out/supported_models.json)" \
	    "Unsupported architectures found: $(jq '.gaps | length' out/architecture_gaps.json)" \
	    "SUPPORTED ARCHITECTURES \\([0-9]+\\):" \
	    "TOP 20 UNSUPPORTED ARCHITECTURES by relevancy" \
	    "files written: .*supported_models.json, .*architecture_gaps.json"; do
		assert_regex "$stderr" "INFO: $l"
	done
	# each stage's line says which scan it belongs to
	assert_regex "$stderr" "hf-filter-quant: main scan: "
	assert_regex "$stderr" "hf-filter-quant: canonical sweep: "
	refute_regex "$stderr" "--canonical-only"
}

@test "hf-scraper --quiet: warnings and errors only, the stages' summaries too" {
	fakehub_start --corpus "$CORPUS"
	run -0 --separate-stderr hf-scraper --quiet --limit 300 -o out
	assert_equal "$stderr" ""
}

@test "hf-scraper --limit: a second run skips what the first registered and scans the next ones" {
	fakehub_start --corpus "$CORPUS"
	run -0 hf-scraper --limit 300 --min-downloads 0 --no-canonical-sweep -o out
	first=$(jq -r '.models[].model_id' out/supported_models.json | sort)
	n1=$(jq '.models | length' out/supported_models.json)
	run -0 --separate-stderr hf-scraper --limit 300 --min-downloads 0 --no-canonical-sweep -o out
	assert_regex "$stderr" "main scan listed 300 models \\($n1 already in supported_models.json skipped\\)"
	assert_equal "$(jq .scan_info.total_scanned out/supported_models.json)" 300
	# none of the first run's models was scanned again: none is in the ledger
	assert_equal "$(jq -r .id out/scrape_ledger.ndjson | grep -cxF -f <(printf '%s\n' "$first") || :)" 0
	assert_equal "$(jq -r '.models[].model_id' out/supported_models.json | sort | uniq -d)" ""
	[ "$(jq '.models | length' out/supported_models.json)" -gt "$n1" ]
	# the ledger holds each model once
	assert_equal "$(jq -r .id out/scrape_ledger.ndjson | sort | uniq -d)" ""
}

@test "hf-scraper: from a subdirectory of a TransformerLens checkout, the checkout's data directory" {
	fakehub_start --corpus "$CORPUS"
	mkdir -p tl/transformer_lens/tools/model_registry/data tl/transformer_lens/utilities
	cat >tl/transformer_lens/tools/model_registry/__init__.py <<-'EOF'
	HF_SUPPORTED_ARCHITECTURES: set = {"LlamaForCausalLM", "Qwen2ForCausalLM"}
	CANONICAL_AUTHORS_BY_ARCH = {"LlamaForCausalLM": {"meta-llama"}}
	EOF
	cd tl/transformer_lens/utilities
	run -0 --separate-stderr hf-scraper --limit 100
	assert_regex "$stderr" "registry: .*tl/transformer_lens/tools/model_registry/__init__.py \\(2 supported architectures\\)"
	cd ../..
	assert_equal "$(ls -A transformer_lens/tools/model_registry/data)" "$FILES"
	assert_equal "$(jq -r '[.models[].architecture_id] | unique | join(" ")' \
	    transformer_lens/tools/model_registry/data/supported_models.json)" \
	    "LlamaForCausalLM Qwen2ForCausalLM"
}

@test "hf-scraper: a checkpoint of the Python tool is named as such; --force discards it" {
	fakehub_start --corpus "$CORPUS"
	mkdir out
	printf '{"supported_models": [], "seen_models": ["a/b"], "scanned": 1, "skipped": 0}' \
	    >out/scrape_checkpoint.json
	run -1 --separate-stderr hf-scraper --limit 10 -o out
	assert_regex "$stderr" "scrape_checkpoint.json: not a checkpoint of this hf-scraper \\(the Python hf_scraper.*pass --force"
	assert_equal "$(cat out/scrape_checkpoint.json)" '{"supported_models": [], "seen_models": ["a/b"], "scanned": 1, "skipped": 0}'
	run -0 hf-scraper --limit 10 --force -o out
	assert_file_not_exists out/scrape_checkpoint.json
}

@test "hf-scraper: an output directory that cannot be written: one line naming it, exit 1, no request" {
	command -v setpriv >/dev/null || skip "no setpriv"
	[ "$(id -u)" = 0 ] || skip "needs root to become nobody"
	fakehub_start --corpus "$CORPUS"
	d=$(mktemp -d /tmp/hfs-ro.XXXXXX)
	mkdir "$d/ro"
	chmod 755 "$d"
	chmod 555 "$d/ro"
	setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null || skip "setpriv cannot drop to nobody"
	run setpriv --reuid=65534 --regid=65534 --clear-groups \
	    env PATH="$PATH" HF_ENDPOINT="$HF_ENDPOINT" TMPDIR=/tmp \
	    "$(command -v hf-scraper)" --limit 10 -o "$d/ro" 2>&1
	rm -rf "$d"
	[ "$status" = 126 ] && skip "the build tree is not readable by nobody"
	assert_equal "$status" 1
	assert_equal "${#lines[@]}" 1
	assert_regex "${lines[0]}" "ERROR: $d/ro: the output directory cannot be written"
	assert_equal "$(wc -l <"$FAKEHUB_LOG")" 0
}

@test "hf-scraper: HF_TOKEN goes to hf-list alone" {
	fakehub_start --corpus "$CORPUS" --token sekrit
	mkdir bin
	for p in "$ROOT"/bin/*; do ln -s "$p" bin/; done
	for p in hf-arch hf-filter-quant hf-classify hf-score hf-merge hf-ledger hf-registry; do
		rm "bin/$p"
		printf '#!/bin/sh\nenv >>"%s/env.%s"\nexec "%s" "$@"\n' "$PWD" "$p" "$ROOT/bin/$p" >"bin/$p"
		chmod +x "bin/$p"
	done
	rm bin/hf-scraper
	cp "$ROOT/bin/hf-scraper" bin/
	HF_TOKEN=sekrit run -0 bin/hf-scraper --limit 100 -o out
	ls env.* >/dev/null
	run -1 grep -l sekrit env.*
	# hf-list did send it
	grep -q . "$FAKEHUB_LOG"
}

@test "hf-scraper: --architecture spelt in another case is refused, exit 2, before any request" {
	fakehub_start --corpus "$CORPUS"
	run -2 --separate-stderr hf-scraper --architecture LlamaForCausalLm -o out
	assert_regex "$stderr" "the registry spells it LlamaForCausalLM"
	assert_equal "$(wc -l <"$FAKEHUB_LOG")" 0
}

@test "hf-scraper: a closed or full stderr changes no exit status" {
	fakehub_start --corpus "$CORPUS"
	run -0 hf-scraper --limit 100 -o out 2>&-
	assert_equal "$(ls -A out)" "$FILES"
	[ -e /dev/full ] || skip "no /dev/full"
	run -0 hf-scraper --limit 100 -o out2 2>/dev/full
	assert_equal "$(ls -A out2)" "$FILES"
}
