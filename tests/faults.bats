#!/usr/bin/env bats
# The fault matrix: a full hf-scraper scan (several pages of the main scan,
# then the canonical sweep) against a fake Hub that misbehaves as the Hub
# does ends with exactly the files of a clean run, fetching every page once
# (plus the failed attempts). Then a Hub that stalls mid-body, and pages
# and lines far larger than usual, under a memory limit.
bats_require_minimum_version 1.5.0

# the scan every test runs: 2,404 models in 13 pages of 200, 43 orgs
SCAN="--full-scan --min-downloads 0 --checkpoint-interval 200"

setup_file() {
	load helper
	fakehub_suite_setup --synthetic 3000 --seed 11
	export CLEAN="$BATS_FILE_TMPDIR/clean"
	fakehub_start --corpus "$CORPUS"
	# shellcheck disable=SC2086
	hf-scraper $SCAN -o "$CLEAN" 2>"$BATS_FILE_TMPDIR/clean.log"
	jq -r 'select(.status == 200) | .query' "$FAKEHUB_LOG" | LC_ALL=C sort \
	    >"$BATS_FILE_TMPDIR/clean.pages"
	fakehub_stop
}

setup() {
	load helper
	hf_setup
}

teardown() {
	fakehub_teardown
}

# the file without the two lines that legitimately differ between runs
stable() {
	grep -v -e '^  "generated_at": ' -e '^    "scan_duration_seconds": ' "$1"
}

# same_as_clean DIR: the files of the clean run, nothing else differing,
# and no checkpoint left
same_as_clean() {
	local f
	for f in supported_models.json architecture_gaps.json; do
		assert_equal "$(stable "$1/$f")" "$(stable "$CLEAN/$f")"
		# what may differ is only those two lines
		assert_equal "$(diff "$CLEAN/$f" "$1/$f" | grep '^[<>]' |
		    grep -v -e '"generated_at": ' -e '"scan_duration_seconds": ')" ""
	done
	cmp "$1/scrape_ledger.ndjson" "$CLEAN/scrape_ledger.ndjson"
	cmp "$1/verification_history.json" "$CLEAN/verification_history.json"
	# no checkpoint, no temporary file left: the same names as the clean run
	assert_file_not_exists "$1/scrape_checkpoint.json"
	assert_equal "$(ls -A "$1")" "$(ls -A "$CLEAN")"
}

# pages the Hub served in full: each exactly once, as in the clean run
pages_once() {
	assert_equal "$(jq -r 'select(.status == 200 and (.fault == null or
	    .fault == "latency")) | .query' "$FAKEHUB_LOG" | LC_ALL=C sort)" \
	    "$(cat "$BATS_FILE_TMPDIR/clean.pages")"
}

# faulted KIND: how many requests the Hub answered with that fault
faulted() {
	jq -r --arg k "$1" 'select(.fault == $k) | .n' "$FAKEHUB_LOG" | wc -l
}

# matrix HUB-ARGS...: the scan against a Hub with those faults (and the
# wrapper's --timeout $TIMEOUT, default 120)
matrix() {
	fakehub_start --corpus "$CORPUS" --fault-seed 6 "$@"
	# shellcheck disable=SC2086
	run -0 --separate-stderr hf-scraper $SCAN --timeout "${TIMEOUT:-120}" \
	    -o out
	same_as_clean out
	pages_once
}

@test "faults: the clean run has several pages and a canonical sweep" {
	run -0 grep -c '^filter=text-generation&' "$BATS_FILE_TMPDIR/clean.pages"
	assert_output 13
	run -0 grep -c '^author=' "$BATS_FILE_TMPDIR/clean.pages"
	assert_output 43
	[ "$(jq '.models | length' "$CLEAN/supported_models.json")" -gt 1000 ]
	[ "$(jq '.gaps | length' "$CLEAN/architecture_gaps.json")" -gt 20 ]
}

@test "faults: 429 storms (RateLimit r=0) and random 429s with Retry-After" {
	matrix --storm 2 --fault-t 1 --fault-429 0.2 --retry-after 1
	[ "$(faulted storm)" -ge 50 ]
	[ "$(faulted 429)" -ge 3 ]
	assert_regex "$stderr" 'hf-list: (main scan: |canonical sweep: )?page [0-9]+: HTTP 429: We had to rate limit your IP'
}

@test "faults: 500, 502, 503 and 504" {
	matrix --fault-5xx 0.3 --retry-after 1
	[ "$(faulted 5xx)" -ge 10 ]
	assert_equal "$(jq -r 'select(.fault == "5xx") | .status' "$FAKEHUB_LOG" |
	    sort -u | xargs)" "500 502 503 504"
}

@test "faults: truncated bodies" {
	matrix --fault-truncate 0.3
	[ "$(faulted truncate)" -ge 10 ]
	assert_regex "$stderr" 'hf-list: (main scan: |canonical sweep: )?page [0-9]+: transfer closed with [0-9]+ bytes remaining'
}

@test "faults: bodies that are not JSON (a proxy's HTML page)" {
	matrix --fault-nonjson 0.3
	[ "$(faulted nonjson)" -ge 10 ]
	assert_regex "$stderr" 'hf-list: (main scan: |canonical sweep: )?page [0-9]+: response is not a JSON array; retry'
	# never printed: the ledger and files equal the clean run's (above)
}

@test "faults: dropped connections" {
	matrix --fault-drop 0.3
	[ "$(faulted drop)" -ge 10 ]
	assert_regex "$stderr" 'hf-list: (main scan: |canonical sweep: )?page [0-9]+: (Empty reply from server|Recv failure)'
}

@test "faults: 2 s latency spikes" {
	matrix --latency-spike 0.1:2
	[ "$(faulted latency)" -ge 3 ]
}

@test "faults: a Hub that stops sending mid-body: --timeout gives up on the transfer and the page is retried" {
	TIMEOUT=1 matrix --fault-stall 0.05 --stall-seconds 60
	[ "$(faulted stall)" -ge 2 ]
	assert_regex "$stderr" 'hf-list: (main scan: |canonical sweep: )?page [0-9]+: Operation too slow\. Less than 1 bytes/sec transferred the last 1 seconds; retry'
}

@test "faults: hf-scraper --timeout takes 1 to 86400 seconds" {
	run -2 --separate-stderr hf-scraper --timeout 0 -o out
	assert_equal "${stderr_lines[0]}" "hf-scraper: --timeout: must be at least 1: 0"
	run -2 --separate-stderr hf-scraper --timeout=86401 -o out
	assert_equal "${stderr_lines[0]}" "hf-scraper: --timeout: at most 86400: 86401"
	run -2 --separate-stderr hf-scraper --timeout
	assert_equal "${stderr_lines[0]}" "hf-scraper: --timeout needs a value"
	assert_file_not_exists out
}

@test "faults: all of them together" {
	# a stall costs --timeout, a latency spike 2 s: the first is retried,
	# the second waited for
	# seed 155: each kind among the first 12 draws, whatever order the
	# concurrent listings' requests come in
	TIMEOUT=3 matrix --fault-seed 155 \
	    --fault-429 0.06 --fault-t 1 --fault-5xx 0.06 --fault-truncate 0.06 \
	    --fault-nonjson 0.06 --fault-drop 0.06 --fault-stall 0.04 \
	    --stall-seconds 60 --latency-spike 0.03:2 --storm 1
	for k in 429 5xx truncate nonjson drop stall storm; do
		[ "$(faulted "$k")" -ge 1 ] || fail "no $k fault"
	done
}

@test "faults: a storm longer than hf-list's 10 attempts: exit 1, nothing written; once the Hub recovers, a rerun resumes" {
	fakehub_start --corpus "$CORPUS" --storm 10 --fault-t 1
	port=${HF_ENDPOINT##*:}
	# the main scan alone: the sweep's lanes, listing beside it, would
	# share the storm's 429s and move the page that gives up
	# shellcheck disable=SC2086
	run -1 --separate-stderr hf-scraper $SCAN --no-canonical-sweep -o out
	assert_regex "$stderr" 'hf-list: (main scan: |canonical sweep: )?page 2: giving up after 10 attempts: HTTP 429'
	assert_regex "$stderr" 'ERROR: main scan failed \(hf-list exit 1\); nothing written'
	assert_file_not_exists out/supported_models.json
	assert_file_not_exists out/scrape_ledger.ndjson
	assert_file_not_exists out/scrape_checkpoint.ledger
	assert_file_exists out/scrape_checkpoint.json
	fakehub_stop
	# the same Hub (same endpoint), well again
	fakehub_start --corpus "$CORPUS" --port "$port"
	# shellcheck disable=SC2086
	run -0 --separate-stderr hf-scraper $SCAN --no-canonical-sweep -o out
	assert_regex "$stderr" 'resuming the checkpoint'
	assert_equal "$(jq .scan_info.total_scanned out/supported_models.json)" \
	    "$(jq .scan_info.total_scanned "$CLEAN/supported_models.json")"
	assert_equal "$(jq .gaps "$CLEAN/architecture_gaps.json")" \
	    "$(jq .gaps out/architecture_gaps.json)"
	cmp out/scrape_ledger.ndjson "$CLEAN/scrape_ledger.ndjson"
	assert_file_not_exists out/scrape_checkpoint.json
	# page 1 was not asked for again
	assert_equal "$(jq -r 'select(.cursor == null) | .query' "$FAKEHUB_LOG" |
	    grep -c '^filter=')" 0
	assert_equal "$(jq -r 'select(.status == 200) | .query' "$FAKEHUB_LOG" |
	    grep -c '^filter=')" 12
}

@test "faults: a new scan that fails after its first page leaves the ledger as it was (its update streams beside it)" {
	mkdir out
	printf '%s\n' '{"id":"zz/earlier","architecture":"EarlierForCausalLM","supported":false}' >out/scrape_ledger.ndjson
	cp out/scrape_ledger.ndjson before
	fakehub_start --corpus "$CORPUS" --storm 10 --fault-t 1
	# shellcheck disable=SC2086
	run -1 --separate-stderr hf-scraper $SCAN --no-canonical-sweep -o out
	assert_regex "$stderr" 'ERROR: main scan failed \(hf-list exit 1\); nothing written'
	cmp out/scrape_ledger.ndjson before
	assert_file_not_exists out/scrape_checkpoint.ledger
	assert_equal "$(ls -A out | grep '^\.' || :)" ""
}

@test "faults: hf-list --timeout 1 against a Hub that stalls retries and lists everything" {
	fakehub_start --corpus "$CORPUS" --fault-stall 0.3 --fault-seed 2 \
	    --stall-seconds 60
	run -0 --separate-stderr hf-list --timeout 1 --page-size 200 \
	    --filter text-generation
	assert_equal "${#lines[@]}" 2404
	assert_equal "$(printf '%s\n' "$output" | jq -r .id | sort | uniq -d)" ""
	[ "$(faulted stall)" -ge 3 ]
	assert_regex "$stderr" 'Operation too slow\. Less than 1 bytes/sec transferred the last 1 seconds; retry 1 of 9'
}

# No ulimit -v under AddressSanitizer (its shadow memory needs terabytes
# of address space: the sanitized build links libasan) nor when the
# programs on PATH are wrappers (valgrind runs: not an ELF binary).
sanitized() {
	local p
	p=$(command -v hf-list)
	[ -n "${ASAN_OPTIONS-}" ] || [ "$(head -c 4 "$p")" != "$(printf '\177ELF')" ] ||
	    ldd "$p" | grep -q libasan
}

@test "resources: a 150 MB page holding a 50 MB line, through hf-list | hf-arch | hf-filter-quant | hf-classify in 1 GiB of address space" {
	fakehub_start --synthetic 200 --seed 3 --huge-item 1000000:100 \
	    --huge-item 50000000 --no-gzip
	limit=
	sanitized || limit='ulimit -v 1048576;'
	run -0 bash -c "$limit"'
	    hf-list >raw 2>list.err || exit 11
	    hf-arch raw | hf-filter-quant 2>/dev/null | hf-classify >records ||
	    exit 12'
	# one page of 301 items, about 150 MB
	assert_equal "$(jq -s 'length' "$FAKEHUB_LOG")" 1
	assert_equal "$(wc -l <raw)" 301
	[ "$(wc -c <raw)" -gt 150000000 ]
	# every huge line is intact: its config is the one the Hub holds
	python3 - "$ROOT/tests/fakehub" <<-'EOF'
	import json, sys
	sys.path.insert(0, sys.argv[1])
	import fakehub
	want = {it["id"]: it["config"] for it in
	        fakehub.huge_items([(1000000, 100), (50000000, 1)])}
	got = {}
	with open("raw", encoding="utf-8") as f:
	    for line in f:
	        if line.startswith('{"_id":"000000000000ffff'):
	            it = json.loads(line)
	            got[it["id"]] = it["config"]
	assert len(want) == 101, len(want)
	assert got == want, "configs differ"
	t = want["huge-org/Huge-50000000-101"]["tokenizer_config"]["chat_template"]
	assert len(t.encode()) >= 49999990, len(t.encode())
	EOF
	# and its record comes out of the pipeline
	run -0 jq -c 'select(.id == "huge-org/Huge-50000000-101") |
	    [.architecture, .supported, .downloads]' records
	assert_output '["LlamaForCausalLM",true,9999999899]'
	assert_equal "$(grep -c '"id":"huge-org/' records)" 101
}

@test "resources: a page larger than HF_LIST_MAX_PAGE_BYTES is asked for again with half the limit; a single item larger is a clear error" {
	fakehub_start --synthetic 200 --seed 3 --huge-item 1000000:8
	HF_LIST_MAX_PAGE_BYTES=4000000 run -0 --separate-stderr hf-list --page-size 8 --limit 8
	assert_equal "$(printf '%s\n' "$output" | grep -c '"id":"huge-org/')" 8
	assert_equal "$(jq -r '.query | capture("limit=(?<n>[0-9]+)").n' "$FAKEHUB_LOG" |
	    head -n 3 | xargs)" "8 4 2"
	HF_LIST_MAX_PAGE_BYTES=500000 run -1 --separate-stderr hf-list --page-size 8 --limit 8
	assert_output ""
	assert_equal "$stderr" "hf-list: page 1: a single item is larger than 500000 bytes"
}
