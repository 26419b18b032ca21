#!/usr/bin/env bats
# hf-list against the project's fake Hub: pagination, query, token,
# faults, give-up, resume, thresholds.
bats_require_minimum_version 1.5.0

setup_file() {
	load helper
	fakehub_suite_setup --synthetic 2500 --seed 7
	jq -r .id "$CORPUS" | sort >"$BATS_FILE_TMPDIR/ids"
	export IDS="$BATS_FILE_TMPDIR/ids"
}

setup() {
	load helper
	hf_setup
}

teardown() {
	fakehub_teardown
}

# ids printed, sorted
ids_of() {
	jq -r .id "$1" | sort
}

# the requests answered with status $1, from the fake Hub's log
requests() {
	jq -c "select(.status == $1)" "$FAKEHUB_LOG"
}

@test "hf-list: usage errors exit 2 and name the offending word" {
	run -2 --separate-stderr hf-list --limit ten
	assert_equal "$output" ""
	assert_equal "${stderr_lines[0]}" "hf-list: --limit: not a number: ten"
	run -2 --separate-stderr hf-list --page-size 1001
	assert_equal "${stderr_lines[0]}" \
	    "hf-list: --page-size: too large (at most 1000): 1001"
	run -2 --separate-stderr hf-list --sort stars
	assert_equal "${stderr_lines[0]}" "hf-list: --sort: not one of downloads, likes, createdAt, lastModified, trendingScore: stars"
	run -2 --separate-stderr hf-list --sort likes --min-downloads 5
	assert_equal "${stderr_lines[0]}" \
	    "hf-list: --min-downloads needs --sort downloads (not likes)"
	run -2 --separate-stderr hf-list --param novalue
	assert_equal "${stderr_lines[0]}" "hf-list: --param: not KEY=VALUE: novalue"
	run -2 --separate-stderr hf-list extra
	assert_equal "${stderr_lines[0]}" "hf-list: unexpected operand: extra"
}

@test "hf-list: a multi-page listing is exact, one request per page" {
	fakehub_start --corpus "$CORPUS"
	run -0 --separate-stderr hf-list --page-size 1000
	assert_equal "$stderr" ""
	printf '%s\n' "$output" >out
	assert_equal "$(ids_of out)" "$(cat "$IDS")"
	assert_equal "$(wc -l <out)" 2500
	assert_equal "$(requests 200 | wc -l)" 3
	assert_equal "$(jq -s 'length' "$FAKEHUB_LOG")" 3
	# every page once: distinct cursors
	assert_equal "$(jq -r .cursor "$FAKEHUB_LOG" | sort | uniq -d)" ""
}

@test "hf-list: an output pipe is given room for a page (up to 1 MiB); small pages and files are left alone" {
	fakehub_start --corpus "$CORPUS"
	# the reader asks the pipe's size (F_GETPIPE_SZ, 1032) once all is in
	size='import fcntl, sys; n = len(sys.stdin.buffer.read()); print(fcntl.fcntl(0, 1032), n)'
	hf-list --page-size 200 --limit 600 | python3 -c "$size" >pipe
	read -r got bytes <pipe
	# pages of 200 of these items need more than the default 64 KiB, at
	# most 128
	[ "$got" -eq 131072 ] || fail "pipe of $got bytes after $bytes"
	hf-list --page-size 1000 | python3 -c "$size" >pipe
	read -r got _ <pipe
	assert_equal "$got" 1048576
	hf-list --page-size 2 --limit 4 | python3 -c "$size" >pipe
	read -r got _ <pipe
	assert_equal "$got" 65536
	run -0 hf-list --page-size 200 --limit 600 --output out
	assert_equal "$(wc -l <out)" 600
}

@test "hf-list: items are the Hub's bytes without white space" {
	fakehub_start --corpus "$CORPUS" --ensure-ascii
	run -0 hf-list --limit 300
	printf '%s\n' "$output" >out
	# the fake Hub serialises with json.dumps (", " and ": "); removing
	# the white space must give back exactly Python's compact form
	run -0 python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    want = json.dumps(json.loads(line), separators=(",", ":"))
    assert line == want, (line[:200], want[:200])
    n += 1
print(n)' out
	assert_output 300
}

@test "hf-list: every flag reaches the query string" {
	fakehub_start --corpus "$CORPUS"
	run -0 hf-list --filter text-generation --filter 'license:mit' \
	    --author 'meta llama' --search 'Llama&3' --pipeline-tag \
	    text-generation --gated --num-parameters min:6B,max:128B \
	    --param 'library=transformers' --param 'x y=a=b' --sort likes \
	    --limit 7 --page-size 500 --expand sha,config --expand createdAt
	q=$(jq -r .query "$FAKEHUB_LOG" | head -n 1)
	assert_equal "$q" "filter=text-generation&filter=license%3Amit&author=meta%20llama&search=Llama%263&pipeline_tag=text-generation&num_parameters=min%3A6B%2Cmax%3A128B&library=transformers&x%20y=a%3Db&gated=true&sort=likes&limit=7&expand=config&expand=safetensors&expand=downloads&expand=likes&expand=lastModified&expand=tags&expand=pipeline_tag&expand=gated&expand=author&expand=sha&expand=createdAt"
	run -0 hf-list --no-gated --limit 1
	run -0 jq -r .query "$FAKEHUB_LOG"
	assert_line --index 1 --partial "gated=false&sort=downloads&limit=1&"
}

@test "hf-list: --limit stops after N items and asks for no more" {
	fakehub_start --corpus "$CORPUS"
	run -0 hf-list --limit 1200 --page-size 500
	assert_equal "${#lines[@]}" 1200
	assert_equal "$(requests 200 | wc -l)" 3
	run -0 hf-list --limit 3
	assert_equal "${#lines[@]}" 3
	assert_equal "$(jq -r .query "$FAKEHUB_LOG" | tail -n 1 | grep -c 'limit=3&')" 1
}

@test "hf-list: --min-downloads stops at the first page holding a model below N" {
	fakehub_start --corpus "$CORPUS"
	n=$(jq -s 'map(select((.downloads|type)=="number" and .downloads >= 20)) | length' "$CORPUS")
	run -0 hf-list --min-downloads 20 --page-size 100
	assert_equal "${#lines[@]}" "$n"
	printf '%s\n' "$output" >out
	run -0 jq -s 'map(.downloads) | min >= 20' out
	assert_output true
	# pages: all the full ones above the threshold, plus the one that crossed it
	assert_equal "$(requests 200 | wc -l)" $((n / 100 + 1))
}

@test "hf-list: repeated ids across pages (download counts changing) are printed once" {
	fakehub_start --corpus "$CORPUS" --churn 20 --seed 3
	run -0 --separate-stderr hf-list --page-size 250
	printf '%s\n' "$output" >out
	assert_equal "$(ids_of out)" "$(cat "$IDS")"
	assert_equal "$(jq -r .id out | sort | uniq -d)" ""
	assert_equal "$(jq -s 'map(.items) | add' "$FAKEHUB_LOG")" \
	    "$((2500 + $(echo "$stderr" | sed -n 's/^hf-list: \([0-9]*\) repeated ids* left out$/\1/p')))"
	assert_regex "$stderr" '^hf-list: [0-9]+ repeated ids? left out$'
}

@test "hf-list: the token from HF_TOKEN is sent as a bearer token" {
	fakehub_start --corpus "$CORPUS" --token hf_secret_1234
	HF_TOKEN=' hf_secret_1234 ' run -0 --separate-stderr hf-list --limit 5 --state st
	assert_equal "$(jq -r .auth "$FAKEHUB_LOG")" "valid"
	refute_output --partial hf_secret_1234
	assert_equal "$stderr" ""
	run -1 grep -r hf_secret_1234 st "$FAKEHUB_LOG"
}

@test "hf-list: the token from HF_TOKEN_PATH, HF_HOME/token, XDG_CACHE_HOME, the legacy variable" {
	fakehub_start --corpus "$CORPUS" --token hf_file_token
	printf 'hf_file_token\r\n' >tok
	HF_TOKEN_PATH=$PWD/tok run -0 hf-list --limit 1
	mkdir -p home && printf 'hf_file_token\n' >home/token
	HF_HOME=$PWD/home run -0 hf-list --limit 1
	mkdir -p xdg/huggingface && printf 'hf_file_token' >xdg/huggingface/token
	env -u HF_HOME XDG_CACHE_HOME=$PWD/xdg hf-list --limit 1 >/dev/null
	HUGGING_FACE_HUB_TOKEN=hf_file_token run -0 hf-list --limit 1
	# an empty HF_TOKEN counts as unset: the file is used
	HF_TOKEN='  ' HF_HOME=$PWD/home run -0 hf-list --limit 1
	assert_equal "$(jq -r .auth "$FAKEHUB_LOG" | sort -u)" "valid"
	assert_equal "$(jq -s length "$FAKEHUB_LOG")" 5
}

@test "hf-list: HF_HUB_DISABLE_IMPLICIT_TOKEN turns off the token file" {
	fakehub_start --corpus "$CORPUS" --token right
	mkdir -p home && printf 'right\n' >home/token
	HF_HOME=$PWD/home HF_HUB_DISABLE_IMPLICIT_TOKEN=yes run -0 hf-list --limit 1
	assert_equal "$(jq -r .auth "$FAKEHUB_LOG")" "none"
}

@test "hf-list: a wrong token gives the Hub's 401 message and exit 1" {
	fakehub_start --corpus "$CORPUS" --token right
	HF_TOKEN=hf_wrong_token run -1 --separate-stderr hf-list --state st
	assert_equal "$output" ""
	assert_equal "$stderr" \
	    "hf-list: page 1: HTTP 401: Invalid credentials in Authorization header"
	assert_equal "$(jq -s length "$FAKEHUB_LOG")" 1
	run -1 grep -r hf_wrong_token st "$FAKEHUB_LOG"
}

@test "hf-list: a Link to another origin is refused and gets no request" {
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	fakehub_start --corpus "$CORPUS" --link-base "http://127.0.0.1:$port"
	HF_TOKEN=tok run -1 --separate-stderr hf-list --page-size 1000
	assert_equal "$output" ""
	assert_regex "$stderr" "^hf-list: page 1: Link to another origin refused: http://127.0.0.1:$port/api/models\?"
	assert_equal "$(jq -s length "$FAKEHUB_LOG")" 1
}

@test "hf-list: a Link with another scheme is refused" {
	fakehub_start --corpus "$CORPUS" --link-base "file://"
	run -1 --separate-stderr hf-list
	assert_equal "$output" ""
	assert_regex "$stderr" "^hf-list: page 1: Link to another origin refused: file:"
}

@test "hf-list: HF_HUB_OFFLINE refuses before sending anything" {
	fakehub_start --corpus "$CORPUS"
	HF_HUB_OFFLINE=1 run -1 --separate-stderr hf-list
	assert_equal "$stderr" "hf-list: HF_HUB_OFFLINE is set: not contacting $HF_ENDPOINT"
	assert_file_not_exists "$FAKEHUB_LOG.nonexistent"
	[ ! -s "$FAKEHUB_LOG" ]
}

@test "hf-list: HF_ENDPOINT's trailing slash is dropped" {
	fakehub_start --corpus "$CORPUS"
	HF_ENDPOINT="$HF_ENDPOINT/" run -0 hf-list --limit 1
	assert_equal "$(jq -r .path "$FAKEHUB_LOG")" "/api/models"
}

# every fault kind, and all together: output identical to the clean run
@test "hf-list: faults are survived with output identical to a clean run" {
	fakehub_start --corpus "$CORPUS"
	hf-list --page-size 200 >clean
	fakehub_stop
	for f in "--fault-429 0.3" "--fault-5xx 0.3" "--fault-truncate 0.3" \
	    "--fault-nonjson 0.3" "--fault-drop 0.3" "--storm 3" \
	    "--latency-spike 0.3:0.2" \
	    "--fault-429 0.1 --fault-5xx 0.1 --fault-truncate 0.05 --fault-nonjson 0.03 --fault-drop 0.05"; do
		# shellcheck disable=SC2086
		fakehub_start --corpus "$CORPUS" --fault-seed 11 $f
		hf-list --page-size 200 >faulty 2>err || {
			echo "fault $f: exit $?" >&2
			cat err >&2
			return 1
		}
		cmp clean faulty || { echo "fault $f: output differs" >&2; return 1; }
		faults=$(jq -r 'select(.fault != null) | .fault' "$FAKEHUB_LOG" | wc -l)
		[ "$faults" -gt 0 ] || { echo "fault $f: none injected" >&2; return 1; }
		# each successful page once
		[ "$(jq -r 'select(.status == 200 and .fault == null) | .cursor' "$FAKEHUB_LOG" | sort | uniq -d)" = "" ]
		fakehub_stop
	done
}

@test "hf-list: the first page is retried too" {
	fakehub_start --corpus "$CORPUS" --fault-seed 1 --fault-5xx 0.99 --fault-max-run 2
	run -0 --separate-stderr hf-list --limit 10
	assert_equal "${#lines[@]}" 10
	assert_equal "$(jq -r .status "$FAKEHUB_LOG" | head -n 3 | tr '\n' ' ')" "$(jq -r .status "$FAKEHUB_LOG" | head -n 3 | tr '\n' ' ')"
	[ "$(jq -r .status "$FAKEHUB_LOG" | head -n 1)" -ge 500 ]
	assert_regex "${stderr_lines[0]}" '^hf-list: page 1: HTTP 50[0-4].*; retry 1 of 9 in [0-9.]+ s$'
}

@test "hf-list: gives up after 10 attempts on one page, exit 1, state kept" {
	fakehub_start --corpus "$CORPUS" --fail-always 503
	run -1 --separate-stderr hf-list --state st
	assert_equal "$output" ""
	assert_equal "$(jq -s length "$FAKEHUB_LOG")" 10
	assert_equal "${stderr_lines[9]}" \
	    "hf-list: page 1: giving up after 10 attempts: HTTP 503: Service Unavailable"
	run -0 jq -r '.next, .count, .done' st
	assert_line --index 0 --partial "$HF_ENDPOINT/api/models?sort=downloads"
	assert_line --index 1 0
	assert_line --index 2 false
}

@test "hf-list: a 4xx other than 429 is fatal at once with the Hub's message" {
	fakehub_start --corpus "$CORPUS" --fail-always 404
	run -1 --separate-stderr hf-list
	assert_equal "$(jq -s length "$FAKEHUB_LOG")" 1
	assert_regex "$stderr" '^hf-list: page 1: HTTP 404'
}

@test "hf-list: paces itself by RateLimit instead of provoking a 429" {
	fakehub_start --corpus "$CORPUS" --quota 2 --window 1
	HF_LIST_WAIT_SCALE=1 run -0 --separate-stderr hf-list --page-size 500
	assert_equal "${#lines[@]}" 2500
	assert_equal "$(jq -s length "$FAKEHUB_LOG")" 5
	assert_equal "$(requests 429 | wc -l)" 0
}

@test "hf-list: a write error stops the page being fetched meanwhile, even one waiting for the rate limit" {
	fakehub_start --corpus "$CORPUS" --quota 1 --window 600
	# page 1 goes to a full device while the next one waits 10 minutes
	# for the Hub's rate limit: the wait ends with the listing
	HF_LIST_WAIT_SCALE=1 run -1 --separate-stderr timeout 120 sh -c \
	    'exec hf-list --page-size 500 >/dev/full'
	assert_regex "$stderr" 'waiting 10m0s for the Hub.s rate limit'
	assert_regex "$stderr" 'stdout: No space left on device'
	assert_equal "$(jq -s length "$FAKEHUB_LOG")" 1
}

@test "hf-list: a 429 with r=0 waits for the window's reset" {
	fakehub_start --corpus "$CORPUS" --fault-seed 2 --fault-429 0.5 --fault-t 1
	HF_LIST_WAIT_SCALE=0.1 run -0 --separate-stderr hf-list --page-size 500
	assert_equal "${#lines[@]}" 2500
	assert_regex "$stderr" 'HTTP 429: .*; retry 1 of 9 in 2\.0 s'
}

@test "hf-list: Retry-After is honoured" {
	fakehub_start --corpus "$CORPUS" --fault-seed 2 --fault-5xx 0.5 --retry-after 7
	HF_LIST_WAIT_SCALE=0.01 run -0 --separate-stderr hf-list --page-size 500
	assert_equal "${#lines[@]}" 2500
	assert_regex "$stderr" 'HTTP 50[0-9].*; retry 1 of 9 in 7\.0 s'
}

@test "hf-list: SIGKILL mid-listing, then the same --state resumes exactly" {
	fakehub_start --corpus "$CORPUS" --latency 0.15
	hf-list --page-size 100 --state st >part1 2>/dev/null &
	pid=$!
	for _ in $(seq 200); do
		c=$(jq -r .count st 2>/dev/null || echo 0)
		[ "${c:-0}" -ge 700 ] && break
		sleep 0.05
	done
	kill -9 "$pid"
	wait "$pid" || true
	run -0 jq -r .done st
	assert_output false
	run -0 hf-list --page-size 100 --state st
	printf '%s\n' "$output" >part2
	cat part1 part2 >all
	assert_equal "$(jq -r .id all | sort -u)" "$(cat "$IDS")"
	# only the page in flight at the kill may come twice
	assert [ "$(jq -r .id all | sort | uniq -d | wc -l)" -le 100 ]
	assert [ "$(requests 200 | jq -r .cursor | sort | uniq -d | wc -l)" -le 1 ]
	run -0 jq -r .done st
	assert_output true
	# a finished listing: nothing more to fetch
	n=$(jq -s length "$FAKEHUB_LOG")
	run -0 hf-list --page-size 100 --state st
	assert_output ""
	assert_equal "$(jq -s length "$FAKEHUB_LOG")" "$n"
}

@test "hf-list: a state file of another query is refused" {
	fakehub_start --corpus "$CORPUS"
	run -0 hf-list --limit 5 --state st
	run -1 --separate-stderr hf-list --limit 5 --author x --state st
	assert_equal "$stderr" "hf-list: st: the state of another listing (endpoint or query differ); use another file or remove it"
	printf 'garbage\n' >bad
	run -1 --separate-stderr hf-list --state bad
	assert_equal "$stderr" "hf-list: bad: not an hf-list state file: not valid JSON (bad literal)"
}

@test "hf-list: a page too large to hold is asked for again with half the limit" {
	awk 'length($0) < 100000' "$CORPUS" >small
	fakehub_start --corpus small
	HF_LIST_MAX_PAGE_BYTES=600000 run -0 --separate-stderr hf-list --page-size 1000
	assert_equal "$stderr" ""
	printf '%s\n' "$output" >out
	assert_equal "$(ids_of out)" "$(jq -r .id small | sort)"
	run -0 jq -r .query "$FAKEHUB_LOG"
	assert_line --index 0 --partial "limit=1000&"
	assert_line --index 1 --partial "limit=500&"
	fakehub_stop
	# one item above the cap cannot be helped: a clear error
	fakehub_start --corpus "$CORPUS"
	HF_LIST_MAX_PAGE_BYTES=600000 run -1 --separate-stderr hf-list --page-size 1000
	assert_regex "$stderr" "hf-list: page [0-9]+: a single item is larger than 600000 bytes$"
}

@test "hf-list: --progress on stderr; none by default when not a terminal" {
	fakehub_start --corpus "$CORPUS"
	run -0 --separate-stderr hf-list --limit 10
	assert_equal "$stderr" ""
	# not a terminal: one line a page, for a log or a wrapper to read
	run -0 --separate-stderr hf-list --page-size 4 --limit 10 --progress
	assert_equal "${#stderr_lines[@]}" 3
	assert_regex "${stderr_lines[0]}" '^hf-list: 4 models, 1 pages, [0-9]+\.[0-9] s$'
	assert_regex "${stderr_lines[2]}" '^hf-list: 10 models, 3 pages, [0-9]+\.[0-9] s$'
}

# the orgs of the corpus with the most models, byte order
top_orgs() {
	jq -r .author "$CORPUS" | sort | uniq -c | sort -k1,1nr -k2 |
	    head -n "$1" | awk '{ print $2 }' | LC_ALL=C sort
}

@test "hf-list: --author repeated lists each org in turn, in the order given" {
	fakehub_start --corpus "$CORPUS"
	set -- $(top_orgs 3)
	run -0 hf-list --page-size 20 --author "$3" --author "$1" --author "$2"
	printf '%s\n' "$output" >all
	# each org's models, all of them, in the Hub's order, orgs as given
	for o in "$3" "$1" "$2"; do
		hf-list --page-size 1000 --author "$o" >>want
	done
	assert_equal "$(jq -r .id all)" "$(jq -r .id want)"
	assert_equal "$(jq -r .author all | uniq)" "$(printf '%s\n' "$3" "$1" "$2")"
	# one query per org page, each with that org only
	assert_equal "$(jq -r .query "$FAKEHUB_LOG" | grep -c 'author=.*author=')" 0
	# --limit counts across the orgs
	run -0 hf-list --page-size 20 --limit 5 --author "$3" --author "$1"
	assert_equal "${#lines[@]}" 5
}

@test "hf-list: SIGKILL during a multi-org listing, then --state resumes at the same org and page" {
	fakehub_start --corpus "$CORPUS" --latency 0.1
	set -- $(top_orgs 4)
	hf-list --page-size 10 --state st --author "$1" --author "$2" \
	    --author "$3" --author "$4" >part1 2>/dev/null &
	pid=$!
	for _ in $(seq 300); do
		p=$(jq -r .part st 2>/dev/null || echo 0)
		[ "${p:-0}" -ge 2 ] && break
		sleep 0.05
	done
	kill -9 "$pid"
	wait "$pid" || true
	run -0 jq -r .part st
	assert [ "$output" -ge 2 ]
	run -0 hf-list --page-size 10 --state st --author "$1" --author "$2" \
	    --author "$3" --author "$4"
	printf '%s\n' "$output" >part2
	for o in "$1" "$2" "$3" "$4"; do
		jq -r --arg o "$o" 'select(.author == $o) | .id' "$CORPUS"
	done | sort >want
	cat part1 part2 | jq -r .id | sort -u >got
	assert_equal "$(cat got)" "$(cat want)"
	# the orgs finished before the kill are not asked for again
	assert [ "$(jq -r .query "$FAKEHUB_LOG" | grep -c "^author=$1&")" -gt 0 ]
	assert_equal "$(jq -r .query "$FAKEHUB_LOG" | grep "^author=$1&" | sort | uniq -d)" ""
	run -0 jq -r '.done, .part' st
	assert_equal "$output" "$(printf 'true\n3')"
	# the state belongs to that list of orgs, in that order
	run -1 --separate-stderr hf-list --state st --author "$2" --author "$1" \
	    --author "$3" --author "$4"
	assert_regex "$stderr" 'the state of another listing'
}

@test "hf-list: --jobs lists the orgs in lanes and prints what --jobs 1 prints" {
	fakehub_start --corpus "$CORPUS"
	set -- $(top_orgs 5)
	args="--page-size 20 --author $1 --author $2 --author $3 --author $4 --author $5"
	# shellcheck disable=SC2086
	hf-list $args >want
	: >"$FAKEHUB_LOG"
	# shellcheck disable=SC2086
	run -0 --separate-stderr hf-list --jobs 3 $args
	printf '%s\n' "$output" >got
	cmp want got
	# each page asked for once, each query of one org
	assert_equal "$(jq -r .query "$FAKEHUB_LOG" | sort | uniq -d)" ""
	assert_equal "$(jq -r .query "$FAKEHUB_LOG" | grep -c 'author=.*author=')" 0
	# with --state: the same, and only the state is left, done
	# shellcheck disable=SC2086
	run -0 --separate-stderr hf-list --jobs 3 --state st --progress $args
	printf '%s\n' "$output" >got
	cmp want got
	assert_equal "$(jq -c '[.lanes, .out, .done, .count]' st)" "[3,3,true,$(wc -l <want)]"
	assert_equal "$(ls st.lane* 2>/dev/null)" ""
	assert_equal "${#stderr_lines[@]}" 3
	assert_regex "${stderr_lines[2]}" "^hf-list: $(wc -l <want) models, 3 of 3 lanes, [0-9.]+ s$"
	# --limit counts across the orgs in turn: no lanes
	# shellcheck disable=SC2086
	run -0 hf-list --jobs 3 --limit 25 $args
	assert_equal "$output" "$(head -n 25 want)"
	run -2 --separate-stderr hf-list --jobs 0 --author "$1"
	assert_equal "${stderr_lines[0]}" "hf-list: --jobs: too small (at least 1): 0"
}

@test "hf-list: SIGKILL while lanes list, then --state resumes them, each lane at its page" {
	fakehub_start --corpus "$CORPUS" --latency 0.1
	set -- $(top_orgs 4)
	args="--page-size 10 --author $1 --author $2 --author $3 --author $4"
	# shellcheck disable=SC2086
	hf-list $args >want
	clean=$(wc -l <"$FAKEHUB_LOG")
	: >"$FAKEHUB_LOG"
	# shellcheck disable=SC2086
	hf-list --jobs 2 --state st $args >part1 2>/dev/null &
	pid=$!
	for _ in $(seq 300); do
		c=$(jq -r .count st.lane1 2>/dev/null || echo 0)
		[ "${c:-0}" -ge 30 ] && break
		sleep 0.05
	done
	kill -9 "$pid"
	wait "$pid" || true
	# its lanes die with it
	sleep 0.3
	assert_equal "$(pgrep -f "hf-list --jobs 2 --state st" || true)" ""
	# another --jobs: the lanes of the state go on
	# shellcheck disable=SC2086
	run -0 hf-list --jobs 4 --state st $args
	printf '%s\n' "$output" >part2
	cat part1 part2 >got
	cmp want got
	assert_equal "$(jq -r .lanes st)" 2
	# pages again: at most the one in flight in each lane
	got=$(wc -l <"$FAKEHUB_LOG")
	[ "$got" -ge "$clean" ] && [ "$got" -le $((clean + 2)) ]
}

@test "hf-list: a lane that fails names the orgs not listed; the lanes done wait for the resume" {
	fakehub_start --corpus "$CORPUS" --huge-item 300000
	set -- $(top_orgs 3)
	args="--author $1 --author huge-org --author $2 --author $3"
	# shellcheck disable=SC2086
	HF_LIST_MAX_PAGE_BYTES=100000 run -1 --separate-stderr hf-list --jobs 4 --state st $args
	assert_equal "$(jq -r .author <<<"$output" | sort -u)" "$1"
	assert_regex "$stderr" "hf-list: page 1: a single item is larger than 100000 bytes"
	assert_regex "$stderr" "hf-list: not listed: the models of huge-org $2 $3 \(rerun with the same --state: the lanes that finished are not fetched again\)"
	printf '%s\n' "$output" >part1
	assert_equal "$(jq -c '[.lanes, .out, .done]' st)" "[4,1,false]"
	assert [ -s st.lane2.raw ] && assert [ -s st.lane3.raw ]
	: >"$FAKEHUB_LOG"
	# shellcheck disable=SC2086
	run -0 hf-list --jobs 4 --state st $args
	printf '%s\n' "$output" >part2
	assert_equal "$(jq -r .author part2 | uniq)" "$(printf 'huge-org\n%s\n%s' "$2" "$3")"
	# only the failed lane asks the Hub again
	assert_equal "$(jq -r .query "$FAKEHUB_LOG" | cut -d '&' -f 1 | sort -u)" "author=huge-org"
	# shellcheck disable=SC2086
	hf-list $args >want
	cat part1 part2 | cmp - want
}

@test "hf-list: a timeout on a silent Hub is a transport error, retried" {
	fakehub_start --corpus "$CORPUS" --fault-seed 4 --latency-spike 0.5:3
	run -0 --separate-stderr hf-list --timeout 1 --page-size 500
	assert_equal "${#lines[@]}" 2500
	assert_regex "$stderr" 'hf-list: page [0-9]+: .*(timed out|Timeout|too slow).*; retry 1 of 9'
}
