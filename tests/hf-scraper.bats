#!/usr/bin/env bats
# hf-scraper end to end against the project's fake Hub: the paths, the
# threshold, the sweep, resume after SIGINT and SIGKILL, the ledger.
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

# the file without the lines that differ from run to run
stable() {
	grep -v -e '"generated_at"' -e '"scan_duration_seconds"' "$1"
}

# the queries the fake Hub answered with 200
queries() {
	jq -r 'select(.status == 200) | .query' "$FAKEHUB_LOG"
}

# --help, --version, an unknown option: tests/cli.bats
@test "hf-scraper: --help goes on after the usage with the options and examples" {
	run -0 --separate-stderr hf-scraper --help
	assert_line --partial "  --checkpoint-interval N   checkpoint at least every N models"
	assert_output --partial "hf-scraper --full-scan -o ./my_data/"
}

@test "hf-scraper: usage errors exit 2 and name the offending word" {
	run -2 --separate-stderr hf-scraper --limit ten -o x
	assert_equal "${stderr_lines[0]}" "hf-scraper: --limit: not a number: ten"
	run -2 --separate-stderr hf-scraper --jobs=0 -o x
	assert_equal "${stderr_lines[0]}" "hf-scraper: --jobs: must be at least 1: 0"
	run -2 --separate-stderr hf-scraper --jobs 65 -o x
	assert_equal "${stderr_lines[0]}" "hf-scraper: --jobs: at most 64: 65"
	run -2 --separate-stderr hf-scraper --timeout 86401 -o x
	assert_equal "${stderr_lines[0]}" "hf-scraper: --timeout: at most 86400: 86401"
	run -2 --separate-stderr hf-scraper --checkpoint-interval
	assert_equal "${stderr_lines[0]}" "hf-scraper: --checkpoint-interval needs a value"
	run -2 --separate-stderr hf-scraper --min-downloads -5 -o x
	assert_equal "${stderr_lines[0]}" "hf-scraper: --min-downloads: not a number: -5"
	run -2 --separate-stderr hf-scraper
	assert_regex "${stderr_lines[0]}" "not in a TransformerLens checkout .*: pass -o DIR"
	# a task goes into the files' JSON: one that is not UTF-8 is refused
	# before anything starts (hf-merge would refuse it after the scan)
	bad=$(printf 'caf\351')
	run -2 --separate-stderr hf-scraper --task "$bad" -o x
	assert_equal "${stderr_lines[0]}" "hf-scraper: --task: not UTF-8: $bad"
	assert_file_not_exists x
}

@test "hf-scraper: a full scan writes the three files; main scan by threshold, then the sweep" {
	fakehub_start --corpus "$CORPUS"
	run -0 --separate-stderr hf-scraper --full-scan --min-downloads 50 -o out
	assert_file_exists out/supported_models.json
	assert_file_exists out/architecture_gaps.json
	assert_file_exists out/scrape_ledger.ndjson
	assert_equal "$(cat out/verification_history.json)" \
	    "$(printf '{\n  "last_updated": null,\n  "records": []\n}')"
	assert_file_not_exists out/scrape_checkpoint.json
	# the main scan: sorted by downloads, stopped at the threshold
	n=$(jq -s '[.[] | select((.tags | index("text-generation")) and ((.downloads|numbers) // 0) >= 50)] | length' "$CORPUS")
	assert_equal "$(jq .scan_info.total_scanned out/supported_models.json)" "$n"
	main=$(queries | grep -c '^filter=text-generation&sort=downloads&limit=1000&')
	assert_equal "$main" $((n / 1000 + 1))
	# then one listing per canonical org, in byte order, no filter
	orgs=$(jq -r '.canonical_authors_by_arch[][]' "$ROOT/data/registry.json" | LC_ALL=C sort -u | wc -l)
	assert_equal "$(queries | grep -c '^author=')" "$orgs"
	assert_equal "$(queries | grep '^author=' | grep -c 'filter=')" 0
	assert_regex "$stderr" "SCAN SUMMARY"
	assert_regex "$stderr" "TOP 20 UNSUPPORTED ARCHITECTURES by relevancy"
	# headers agree with the lists
	run -0 jq '(.models | length) == .total_models' out/supported_models.json
	assert_output true
	run -0 jq '(.gaps | length) == .total_unsupported_architectures and ([.gaps[].total_models] | add) == .total_unsupported_models' out/architecture_gaps.json
	assert_output true
}

@test "hf-scraper: the sweep admits a canonical org's models below the threshold, not its other architectures" {
	fakehub_start --corpus "$CORPUS"
	run -0 --separate-stderr hf-scraper --full-scan -o out
	# EleutherAI is canonical for GPTNeoXForCausalLM (and others)
	canon=$(jq -r '.canonical_authors_by_arch | to_entries[] | select(.value | index("EleutherAI")) | .key' "$ROOT/data/registry.json")
	low=$(jq -r --arg c "$canon" 'select(.author == "EleutherAI" and .downloads < 500 and (.id | test("GGUF|AWQ|GPTQ|bnb|mlx|MLX|FP8|bit|int[48]|w4a16|W8A8|hqq") | not) and (.config.architectures[0]? as $a | ($c | split("\n") | index($a)))) | .id' "$CORPUS" | head -n 1)
	[ -n "$low" ]
	run -0 jq -r --arg id "$low" '[.models[] | select(.model_id == $id)] | length' out/supported_models.json
	assert_output 1
	other=$(jq -r --arg c "$canon" 'select(.author == "EleutherAI" and (.config.architectures[0]? as $a | ($a | type) == "string" and ($c | split("\n") | index($a) | not))) | .id' "$CORPUS" | head -n 1)
	[ -n "$other" ]
	run -0 jq -r --arg id "$other" '[.models[] | select(.model_id == $id)] | length' out/supported_models.json
	assert_output 0
}

@test "hf-scraper: a targeted scrape sends only the canonical orgs' queries" {
	fakehub_start --corpus "$CORPUS"
	run -0 --separate-stderr hf-scraper --architecture GPTNeoXForCausalLM -o out
	assert_regex "$stderr" "targeted scrape: GPTNeoXForCausalLM has canonical orgs"
	orgs=$(jq -r '.canonical_authors_by_arch.GPTNeoXForCausalLM[]' "$ROOT/data/registry.json" | LC_ALL=C sort -u)
	assert_equal "$(queries | sed -n 's/^author=\([^&]*\)&.*/\1/p' | LC_ALL=C sort)" "$orgs"
	assert_equal "$(queries | grep -vc '^author=')" 0
	run -0 jq -r '[.models[].architecture_id] | unique | join(",")' out/supported_models.json
	assert_output GPTNeoXForCausalLM
	assert_equal "$(jq .scan_info.total_scanned out/supported_models.json)" 0
}

@test "hf-scraper: --no-canonical-sweep with a targeted scrape warns that no query runs" {
	fakehub_start --corpus "$CORPUS"
	run -0 --separate-stderr hf-scraper --architecture GPTNeoXForCausalLM --no-canonical-sweep -o out
	assert_regex "$stderr" "WARNING: --no-canonical-sweep with a targeted scrape of GPTNeoXForCausalLM: no Hub queries will run"
	assert_equal "$(jq -s length "$FAKEHUB_LOG")" 0
}

@test "hf-scraper: an architecture without canonical orgs: global scan filtered exactly, with a warning for an unsupported one" {
	fakehub_start --corpus "$CORPUS"
	arch=$(jq -r 'select(.downloads >= 500 and (.tags | index("text-generation"))) | .config.architectures[0]? | strings' "$CORPUS" | grep -vxF -f <(jq -r '.supported_architectures[]' "$ROOT/data/registry.json") | sort | uniq -c | sort -rn | awk 'NR == 1 { print $2 }')
	run -0 --separate-stderr hf-scraper --architecture "$arch" --no-canonical-sweep -o out
	assert_regex "$stderr" "WARNING: $arch is not a supported architecture of the registry \(closest: [A-Za-z0-9_]+\)"
	assert_regex "$stderr" "$arch has no canonical orgs: global scan"
	run -0 jq -r '[.gaps[].architecture_id] | join(",")' out/architecture_gaps.json
	assert_output "$arch"
	# exact match: a prefix is not the architecture
	run -0 --separate-stderr hf-scraper --architecture "${arch%?}" --no-canonical-sweep -o out2
	assert_file_not_exists out2/architecture_gaps.json
	assert_equal "$(jq .total_models out2/supported_models.json)" 0
}

@test "hf-scraper: --task reaches the Hub as the filter" {
	fakehub_start --corpus "$CORPUS"
	run -0 --separate-stderr hf-scraper --task text2text-generation --min-downloads 0 --no-canonical-sweep --limit 300 -o out
	run -0 queries
	assert_line --index 0 --partial "filter=text2text-generation&sort=downloads&limit=300&"
	assert_equal "$(jq -r .scan_info.task_filter out/supported_models.json)" text2text-generation
	# any UTF-8 text is a task (the Hub has no model with this one)
	run -0 --separate-stderr hf-scraper --task 'génération' --min-downloads 0 --no-canonical-sweep --limit 300 -o utf
	assert_equal "$(jq -r .scan_info.task_filter utf/supported_models.json)" 'génération'
}

@test "hf-scraper: a second run adds nothing and changes no count" {
	fakehub_start --corpus "$CORPUS"
	run -0 hf-scraper --full-scan --min-downloads 100 -o out
	cp out/supported_models.json s1
	cp out/architecture_gaps.json g1
	run -0 hf-scraper --full-scan --min-downloads 100 -o out
	assert_equal "$(stable out/supported_models.json)" "$(stable s1)"
	assert_equal "$(stable out/architecture_gaps.json)" "$(stable g1)"
}

@test "hf-scraper: text2text-generation after text-generation counts a model tagged with both once" {
	fakehub_start --corpus "$CORPUS"
	run -0 hf-scraper --min-downloads 0 --no-canonical-sweep --limit 100000 -o out
	run -0 hf-scraper --task text2text-generation --min-downloads 0 --no-canonical-sweep --limit 100000 -o out
	# every unsupported, non-quantized model with either tag, once
	ledger=$(jq -r .id out/scrape_ledger.ndjson | sort)
	assert_equal "$(printf '%s\n' "$ledger" | uniq -d)" ""
	total=$(jq -s '[.[] | select(.total_models) ] | length' out/scrape_ledger.ndjson)
	assert_equal "$(jq '.total_unsupported_models' out/architecture_gaps.json)" \
	    "$(jq -s '[.[] | select(.architecture != null and .supported == false)] | length' out/scrape_ledger.ndjson)"
	both=$(jq -r 'select((.tags | index("text-generation")) and (.tags | index("text2text-generation"))) | .id' "$CORPUS" | sort)
	[ -n "$both" ]
}

@test "hf-scraper: an adapter registered in a TransformerLens checkout is picked up" {
	fakehub_start --corpus "$CORPUS"
	mkdir -p tl/transformer_lens/tools/model_registry/data
	{
		echo 'from .x import y  # never imported'
		printf 'HF_SUPPORTED_ARCHITECTURES: set[str] = {%s}\n' "$(jq -r '.supported_architectures | map("\"" + . + "\"") | join(", ")' "$ROOT/data/registry.json")"
		printf 'CANONICAL_AUTHORS_BY_ARCH: dict[str, list[str]] = {"GPTNeoXForCausalLM": ["EleutherAI"]}\n'
	} >tl/transformer_lens/tools/model_registry/__init__.py
	cd tl
	data=transformer_lens/tools/model_registry/data
	run -0 --separate-stderr hf-scraper --min-downloads 0 --limit 100000 --no-canonical-sweep
	assert_regex "$stderr" "registry: .*transformer_lens/tools/model_registry/__init__.py \(66 supported architectures\)"
	# an unsupported architecture some org publishes: it is a gap
	arch=$(jq -r 'select(.architecture != null and .supported == false) | .architecture' $data/scrape_ledger.ndjson | sort | uniq -c | sort -rn | awk 'NR == 1 { print $2 }')
	org=$(jq -r --arg a "$arch" 'select(.architecture == $a) | .author' $data/scrape_ledger.ndjson | head -n 1)
	[ -n "$arch" ] && [ -n "$org" ]
	run -0 jq -r --arg a "$arch" '[.gaps[].architecture_id] | index($a) != null' $data/architecture_gaps.json
	assert_output true
	# the adapter lands: a targeted scrape finds it, and it leaves the gaps
	sed -i "s/^HF_SUPPORTED_ARCHITECTURES: set\[str\] = {/&\"$arch\", /; s/^CANONICAL_AUTHORS_BY_ARCH.*/CANONICAL_AUTHORS_BY_ARCH = {\"$arch\": [\"$org\"]}/" transformer_lens/tools/model_registry/__init__.py
	run -0 --separate-stderr hf-scraper --architecture "$arch"
	assert_regex "$stderr" "67 supported architectures"
	assert_regex "$stderr" "targeted scrape: $arch has canonical orgs \($org\)"
	run -0 jq -r --arg a "$arch" '[.gaps[].architecture_id] | index($a) == null' $data/architecture_gaps.json
	assert_output true
	run -0 jq -r --arg a "$arch" '[.models[] | select(.architecture_id == $a)] | length > 0' $data/supported_models.json
	assert_output true
	# a registry file that cannot be read with ast stops the run
	echo 'HF_SUPPORTED_ARCHITECTURES = set(x for x in y)' >transformer_lens/tools/model_registry/__init__.py
	run -1 --separate-stderr hf-scraper --architecture "$arch"
	assert_regex "$stderr" "cannot read the registry"
}

@test "hf-scraper: a targeted scrape imports a gaps file without a ledger, once, and rescores it" {
	fakehub_start --corpus "$CORPUS"
	jq '.supported_architectures += ["FooForCausalLM"] | .canonical_authors_by_arch.FooForCausalLM = ["EleutherAI"]' \
	    "$ROOT/data/registry.json" >reg.json
	mkdir out
	# as the Python tool writes it: no ledger beside it
	jq -n '{generated_at: "2026-04-16",
	    scan_info: {total_scanned: 10, task_filter: "text-generation", min_downloads: 500, scan_duration_seconds: 1.5},
	    total_unsupported_architectures: 2, total_unsupported_models: 3,
	    gaps: [
	      {architecture_id: "FooForCausalLM", total_models: 2, total_downloads: 900, min_param_count: null,
	       sample_models: ["a/foo", "b/foo"], relevancy_score: 90.5},
	      {architecture_id: "BarModel", total_models: 1, total_downloads: 600, min_param_count: 1000,
	       sample_models: ["c/bar"], relevancy_score: 50.5}]}' >out/architecture_gaps.json
	run -0 --separate-stderr hf-scraper --architecture FooForCausalLM --registry reg.json -o out
	assert_regex "$stderr" "imported 2 gap entries of .*/out/architecture_gaps.json into a new ledger"
	assert_equal "$(wc -l <out/scrape_ledger.ndjson)" 2
	# the architecture that gained an adapter has left the gaps
	run -0 jq -c '[.gaps[].architecture_id], .total_unsupported_models' out/architecture_gaps.json
	assert_output $'["BarModel"]\n1'
	run -0 --separate-stderr hf-scraper --architecture FooForCausalLM --registry reg.json -o out
	refute_regex "$stderr" "imported"
	assert_equal "$(wc -l <out/scrape_ledger.ndjson)" 2
}

# Interrupt the scan once it has listed at least $1 models of the main scan.
interrupt_after() {	# interrupt_after MODELS SIGNAL hf-scraper-args...
	local n=$1 sig=$2 pid
	shift 2
	# bash starts background jobs with SIGINT ignored, and a shell cannot
	# trap a signal ignored at its start: restore the default, as a
	# terminal's Ctrl-C finds it
	python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' hf-scraper "$@" 2>>log &
	pid=$!
	for _ in $(seq 400); do
		c=$(sed -n 's/.*"count":\([0-9]*\).*/\1/p' out/scrape_checkpoint.task1.state 2>/dev/null || :)
		[ "${c:-0}" -ge "$n" ] && break
		sleep 0.05
	done
	kill -s "$sig" "$pid"
	wait "$pid" || echo "exit $?" >>log
}

@test "hf-scraper: SIGINT and SIGKILL mid-scan, then resume: the files of an uninterrupted run, no page twice" {
	fakehub_start --corpus "$CORPUS" --latency 0.3
	args="--full-scan --min-downloads 0 --checkpoint-interval 100 -o ref"
	# shellcheck disable=SC2086
	run -0 hf-scraper $args
	clean=$(queries | grep -c '^filter=')
	clean_sweep=$(queries | grep -c '^author=')
	: >"$FAKEHUB_LOG"
	# another --jobs on each resume: the sweep goes on with the same lanes
	interrupt_after 600 INT --full-scan --min-downloads 0 --checkpoint-interval 100 --jobs 2 -o out
	assert_file_exists out/scrape_checkpoint.json
	run -0 grep -c "exit 130" log
	# the listing stopped at the interrupt, not at its end
	got=$(queries | grep -c '^filter=')
	[ "$got" -lt $((clean / 2)) ]
	interrupt_after 1400 KILL --full-scan --min-downloads 0 --checkpoint-interval 100 --jobs 3 -o out
	assert_file_exists out/scrape_checkpoint.json
	run -0 hf-scraper --full-scan --min-downloads 0 --checkpoint-interval 100 -o out
	assert_file_not_exists out/scrape_checkpoint.json
	assert_equal "$(stable out/supported_models.json)" "$(stable ref/supported_models.json)"
	assert_equal "$(stable out/architecture_gaps.json)" "$(stable ref/architecture_gaps.json)"
	cmp out/scrape_ledger.ndjson ref/scrape_ledger.ndjson
	# pages of the main scan: as many as a clean run, plus at most the
	# two in flight at the interruptions
	got=$(queries | grep -c '^filter=')
	[ "$got" -ge "$clean" ] && [ "$got" -le $((clean + 2)) ]
	# the sweep's: at most one page in flight per lane (2) per interruption
	got=$(queries | grep -c '^author=')
	[ "$got" -ge "$clean_sweep" ] && [ "$got" -le $((clean_sweep + 4)) ]
}

@test "hf-scraper: a checkpoint of other arguments is refused, --force discards it" {
	fakehub_start --corpus "$CORPUS" --latency 0.2
	interrupt_after 200 KILL --full-scan --min-downloads 0 --checkpoint-interval 100 -o out
	run -1 --separate-stderr hf-scraper --full-scan --min-downloads 1 -o out
	assert_regex "$stderr" 'checkpoint differs: "min_downloads": 0 \(this run: 1\)'
	assert_regex "$stderr" "belongs to another scan"
	# the corpus has items whose downloads is a string: with a threshold
	# hf-list skips and reports them (issue 20 item 2), so exit 3
	run -3 --separate-stderr hf-scraper --full-scan --min-downloads 1 --force --no-canonical-sweep -o out
	assert_regex "$stderr" "discarding the checkpoint"
	assert_regex "$stderr" "hf-list: main scan: page [0-9]+: item [0-9]+"
}

@test "hf-scraper: a 429 storm is waited out" {
	fakehub_start --corpus "$CORPUS" --storm 2 --fault-t 1
	run -0 --separate-stderr hf-scraper --full-scan --min-downloads 0 --no-canonical-sweep --checkpoint-interval 500 -o out
	[ "$(jq -r 'select(.status == 429) | .n' "$FAKEHUB_LOG" | wc -l)" -ge 4 ]
	assert_equal "$(jq .scan_info.total_scanned out/supported_models.json)" \
	    "$(jq -s '[.[] | select(.tags | index("text-generation"))] | length' "$CORPUS")"
}

@test "hf-scraper: --quiet keeps the warnings only, hf-list's included" {
	fakehub_start --corpus "$CORPUS" --storm 1 --fault-t 1
	run -0 --separate-stderr hf-scraper --quiet --limit 300 --min-downloads 0 --checkpoint-interval 100 --no-canonical-sweep -o out
	refute_regex "$stderr" 'INFO'
	assert_regex "$stderr" 'hf-list: (main scan: )?page [0-9]+: .*429'
	assert_equal "$(jq .scan_info.total_scanned out/supported_models.json)" 300
	run -0 --separate-stderr hf-scraper --quiet --architecture NoSuchArchForCausalLM --limit 5 --no-canonical-sweep -o out2
	assert_regex "$stderr" 'WARNING: NoSuchArchForCausalLM is not a supported architecture'
	refute_regex "$stderr" 'INFO'
}

@test "hf-scraper: arguments with spaces, quotes, \$(...) and leading dashes are literal" {
	fakehub_start --corpus "$CORPUS"
	run -0 --separate-stderr hf-scraper --architecture '-x $(touch pwned) "q" a b' --no-canonical-sweep --limit 5 -o '-o dir $(touch pwned2)'
	assert_file_not_exists pwned
	assert_file_not_exists pwned2
	assert_file_exists '-o dir $(touch pwned2)/supported_models.json'
	run -0 queries
	assert_line --index 0 --partial "filter=text-generation&sort=downloads"
	run -0 --separate-stderr hf-scraper --task '$(touch pwned3) "t"' --no-canonical-sweep --limit 5 -o out
	assert_file_not_exists pwned3
	assert_equal "$(jq -r .scan_info.task_filter out/supported_models.json)" '$(touch pwned3) "t"'
	# backslashes too: no escape is read in an architecture or a path
	run -0 --separate-stderr hf-scraper --architecture 'LlamaForCausalL\M' --no-canonical-sweep --limit 5 -o 'b\n\\s'
	assert_regex "$stderr" 'LlamaForCausalL\\M is not a supported architecture of the registry \(closest: LlamaForCausalLM\)'
	assert_file_exists 'b\n\\s/supported_models.json'
	assert_file_exists 'b\n\\s/scrape_ledger.ndjson'
	run -0 find . -name 'supported' -o -name 'unsupported' -o -name '*.count'
	assert_output ''
}

@test "hf-scraper: a failed org is logged, the others kept, exit 1 with the checkpoint kept" {
	fakehub_start --corpus "$CORPUS" --token right
	# a wrong token fails every listing: the main scan fails, nothing written
	HF_TOKEN=wrong run -1 --separate-stderr hf-scraper --full-scan -o out
	assert_regex "$stderr" "main scan failed"
	assert_file_not_exists out/supported_models.json
}

@test "hf-scraper: --architecture differing from a supported one only in case is refused, exit 2, naming the spelling; --force scans" {
	fakehub_start --corpus "$CORPUS"
	run -2 --separate-stderr hf-scraper --architecture llamaforcausallm --no-canonical-sweep --limit 5 -o out
	assert_output ""
	assert_regex "$stderr" "ERROR: --architecture llamaforcausallm: not a supported architecture; the registry spells it LlamaForCausalLM \(pass --force"
	refute_regex "$stderr" "scanning anyway"
	assert_equal "$(jq -s length "$FAKEHUB_LOG")" 0
	assert_file_not_exists out/supported_models.json
	run -2 --separate-stderr hf-scraper --architecture=GPTNEOXFORCAUSALLM -o out
	assert_regex "$stderr" "the registry spells it GPTNeoXForCausalLM"
	assert_equal "$(jq -s length "$FAKEHUB_LOG")" 0
	# --force: the near miss is only warned about, as any other
	run -0 --separate-stderr hf-scraper --architecture llamaforcausallm --force --no-canonical-sweep --limit 5 -o out
	assert_regex "$stderr" "WARNING: llamaforcausallm is not a supported architecture of the registry \(closest: LlamaForCausalLM\): scanning anyway"
	[ "$(queries | wc -l)" -ge 1 ]
	# a near miss that is not only case still runs, with the warning
	run -0 --separate-stderr hf-scraper --architecture LlamaForCausalLN --no-canonical-sweep --limit 5 -o out2
	assert_regex "$stderr" "WARNING: LlamaForCausalLN is not a supported architecture of the registry \(closest: LlamaForCausalLM\)"
}

@test "hf-scraper: a registry the stages would refuse stops the run before any request, naming the file" {
	fakehub_start --corpus "$CORPUS"
	printf '%s\n' '{"supported_architectures":"LlamaForCausalLM"}' >bad.json
	run -1 --separate-stderr hf-scraper --registry bad.json --limit 5 -o out
	assert_regex "$stderr" "hf-registry: bad.json: supported_architectures: not an array"
	assert_regex "$stderr" "ERROR: bad.json: cannot read the registry"
	printf '%s\n' '{"supported_architectures":["A"],"canonical_authors_by_arch":{"A":["o\nrg"]}}' >nl.json
	run -1 --separate-stderr hf-scraper --registry nl.json --limit 5 -o out
	assert_regex "$stderr" 'org "o\\x0arg": a control byte in a name'
	assert_equal "$(jq -s length "$FAKEHUB_LOG")" 0
	assert_file_not_exists out/supported_models.json
}

@test "hf-scraper: the wrapper parses no JSON: registry questions to hf-registry, figures from --stats lines" {
	local w="$ROOT/scripts/hf-scraper.sh"
	# no JSON key of the registry or of the registry files read by pattern
	run -1 grep -n -e "\"supported_architectures" -e canonical_authors_by_arch \
	    -e '"total_models"' -e '"architecture_id"' "$w"
	run -0 sh -c 'sed -n "/^resolve_registry()/,/^}/p" "$1"' sh "$w"
	assert_output --partial 'hf-registry "$@" >"$tmp/plan"'
	# no awk (hf-list --progress-every draws the progress), no sed or grep
	assert_equal "$(grep -c '\bawk\b' "$w")" 0
	run -1 grep -n -w -e sed -e grep "$w"
	[ "$(wc -l <"$w")" -lt 700 ]
}
