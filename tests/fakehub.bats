#!/usr/bin/env bats
# Tests of the fake Hub itself (tests/fakehub/fakehub.py), driven with curl
# and jq, and its fidelity check with the official JS client @huggingface/hub.

bats_require_minimum_version 1.5.0

setup_file() {
	load helper
	fakehub_suite_setup --synthetic 2500 --seed 7
	# the Hub makes the same corpus itself (not --corpus): that is tested
	fakehub_suite_start --synthetic 2500 --seed 7
}

teardown_file() {
	load helper
	fakehub_suite_teardown
}

setup() {
	load helper
	hf_setup
	H="$BATS_TEST_TMPDIR/headers"
	B="$BATS_TEST_TMPDIR/body"
}

teardown() {
	fakehub_teardown
}

# get QUERY [curl args...]: GET /api/models?QUERY into $B, headers into $H;
# prints the status.
get() {
	local q=$1
	shift
	curl -sS "$@" -D "$H" -o "$B" -w '%{http_code}' "$HF_ENDPOINT/api/models?$q"
}

# next_link HEADERS: the URL of the Link rel="next" header, if any.
next_link() {
	sed -n 's/^Link: <\(.*\)>; rel="next"\r$/\1/p' "$1"
}

# header NAME: the value of header NAME in $H.
header() {
	tr -d '\r' <"$H" | sed -n "s/^$1: //Ip"
}

# list_all QUERY OUT: follow the Link chain from /api/models?QUERY, write
# every item (compact JSON) to OUT; sets PAGES. The loop runs in a child
# bash, out of bats' per-command tracing, which is slow.
list_all() {
	PAGES=$(bash -c "$LIST_ALL" list_all "$HF_ENDPOINT/api/models?$1" "$2" "$H" "$B")
}
LIST_ALL='
set -e
url=$1 out=$2 h=$3 b=$4 pages=0
: >"$out"
while [ -n "$url" ]; do
	curl -sS --fail -D "$h" -o "$b" "$url"
	jq -c ".[]" "$b" >>"$out"
	pages=$((pages + 1))
	url=$(sed -n "s/^Link: <\(.*\)>; rel=\"next\"\r\$/\1/p" "$h")
done
echo "$pages"
'

# ---------------------------------------------------------------------------
# The synthetic corpus

@test "synthetic corpus: same seed gives the same bytes, whatever PYTHONHASHSEED" {
	PYTHONHASHSEED=1 python3 "$FAKEHUB" --synthetic 2500 --seed 7 --write-corpus "$BATS_TEST_TMPDIR/a"
	cmp "$CORPUS" "$BATS_TEST_TMPDIR/a"
	PYTHONHASHSEED=2 python3 "$FAKEHUB" --synthetic 300 --seed 7 --write-corpus "$BATS_TEST_TMPDIR/b"
	PYTHONHASHSEED=3 python3 "$FAKEHUB" --synthetic 300 --seed 7 --write-corpus "$BATS_TEST_TMPDIR/c"
	cmp "$BATS_TEST_TMPDIR/b" "$BATS_TEST_TMPDIR/c"
	python3 "$FAKEHUB" --synthetic 300 --seed 8 --write-corpus "$BATS_TEST_TMPDIR/c"
	run -1 cmp -s "$BATS_TEST_TMPDIR/b" "$BATS_TEST_TMPDIR/c"
}

@test "synthetic corpus: the awkward cases real data has" {
	run -0 jq -s 'length' "$CORPUS"
	assert_output 2500
	# unique ids and _ids
	run -0 jq -rs '[.[].id] | (length - (unique | length))' "$CORPUS"
	assert_output 0
	run -0 jq -rs '[.[]._id] | (length - (unique | length))' "$CORPUS"
	assert_output 0
	# JSON escapes in the text: \u0046 in an architecture, surrogate pairs, é
	grep -q '"architectures":\["[A-Za-z0-9_]*\\u0046or' "$CORPUS"
	grep -q '\\ud83[cdef]\\ud[c-f][0-9a-f][0-9a-f]' "$CORPUS"
	grep -q 'é' "$CORPUS"
	# a megabyte chat template (1 per 5000 models, at least 1)
	run -0 awk 'length($0) > 1200000 { n++ } END { print n + 0 }' "$CORPUS"
	assert_output 1
	jq -se '
		def arch: .config.architectures;
		def n(f): map(select(f)) | length;
		(n(has("config") | not) > 0) and
		(n(.config == {}) > 0) and
		(n(.config | objects | has("architectures") and .architectures == null) > 0) and
		(n(arch == []) > 0) and
		(n(arch | arrays | length > 0 and (.[0] | type) == "number") > 0) and
		(n(arch | arrays | length > 1) > 0) and
		(n(.config.tokenizer_config.architectures? != null) > 0) and
		(n(.safetensors | objects | has("total") | not) > 0) and
		(n(.safetensors.parameters.total? != null) > 0) and
		(n(.config.num_parameters? // .config.n_params? // .config.num_params? != null) > 0) and
		(n((.downloads | numbers) > 2147483647) > 0) and
		(n((.safetensors.total? | numbers) > 4294967296) > 0) and
		(n(.downloads | type != "number" or (. != floor)) > 0) and
		(n(.gated == "auto") > 0) and (n(.gated == "manual") > 0) and
		(n(.gated == false) > 2000) and
		(n(.id | test("-(GGUF|AWQ|GPTQ|bnb-4bit|4bit|int8|w4a16|FP8|NVFP4|mlx|hqq-4bit)$")) > 50) and
		(n(.author == "mlx-community") > 0) and
		(n(.pipeline_tag == "text2text-generation") > 0) and
		(n(.tags | index("text-generation") and index("text2text-generation")) > 0) and
		(n(.lastModified | test("\\.000Z$") | not) > 0) and
		(n(.lastModified | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$")) == 2500)
	' "$CORPUS"
	# heavy tail: about 3-5% at or above 500 downloads, many exact ties
	run -0 jq -s '[.[] | select((.downloads | numbers) >= 500)] | length' "$CORPUS"
	[ "$output" -ge 60 ] && [ "$output" -le 140 ]
	run -0 jq -s '[.[] | select(.downloads == 0)] | length' "$CORPUS"
	[ "$output" -ge 300 ]
	# ~60% supported architectures, Llama and Qwen2 most common
	run -0 jq -rs --slurpfile reg "$ROOT/data/registry.json" '
		($reg[0].supported_architectures) as $s
		| [.[] | .config.architectures?[0]? | strings | select(. as $a | $s | index($a))] | length' "$CORPUS"
	[ "$output" -ge 1500 ] && [ "$output" -le 1800 ]
	run -0 jq -rs '[.[] | .config.architectures?[0]? | strings] | group_by(.) | map([length, .[0]]) | sort | reverse | .[0:2] | map(.[1]) | join(",")' "$CORPUS"
	assert_output "LlamaForCausalLM,Qwen2ForCausalLM"
	# canonical orgs publish their own architectures, some below 500 downloads
	run -0 jq -rs --slurpfile reg "$ROOT/data/registry.json" '
		($reg[0].canonical_authors_by_arch) as $c
		| [.[] | select(. as $m | (.config.architectures?[0]? | strings) as $a | ($c[$a] // []) | index($m.author))
		  | select((.downloads | numbers) < 500)] | length' "$CORPUS"
	[ "$output" -gt 0 ]
}

# ---------------------------------------------------------------------------
# Listing and pagination

@test "pagination: pages cover the corpus exactly, Link absolute with every parameter" {
	list_all "sort=downloads&direction=-1&limit=1000&expand=downloads&foo=bar" "$BATS_TEST_TMPDIR/items"
	assert_equal "$PAGES" 3
	jq -r '.id' "$CORPUS" | sort >"$BATS_TEST_TMPDIR/want"
	jq -r '.id' "$BATS_TEST_TMPDIR/items" | sort >"$BATS_TEST_TMPDIR/got"
	run -0 uniq -d "$BATS_TEST_TMPDIR/got"
	assert_output ""
	cmp "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
	# descending downloads
	jq -se '[.[].downloads | tonumber] | . == (sort | reverse)' "$BATS_TEST_TMPDIR/items"
	# the first page's Link repeats every parameter and adds a cursor
	run -0 get "sort=downloads&direction=-1&limit=1000&expand=downloads&foo=bar"
	assert_output 200
	run -0 next_link "$H"
	assert_output --regexp "^$HF_ENDPOINT/api/models\?sort=downloads&direction=-1&limit=1000&expand=downloads&foo=bar&cursor=[A-Za-z0-9%]+$"
	# a Link from a page with a cursor replaces that cursor
	run -0 curl -sS -D "$H" -o "$B" "$output"
	run -0 next_link "$H"
	[ "$(grep -o 'cursor=' <<<"$output" | wc -l)" -eq 1 ]
	# no Link on the last page, and no total count anywhere
	run -0 curl -sS -D "$H" -o "$B" "$output"
	run -0 next_link "$H"
	assert_output ""
	run -1 grep -i 'total\|count' "$H"
}

@test "pagination: small pages across runs of equal download counts" {
	list_all "sort=downloads&limit=97&expand=downloads" "$BATS_TEST_TMPDIR/items"
	assert_equal "$PAGES" 26
	run -0 jq -rs 'map(.id) | [length, (unique | length)] | @tsv' "$BATS_TEST_TMPDIR/items"
	assert_output "$(printf '2500\t2500')"
	for s in likes createdAt lastModified trendingScore; do
		list_all "sort=$s&limit=1000&expand=$s" "$BATS_TEST_TMPDIR/items"
		run -0 jq -rs "[.[].id] | unique | length" "$BATS_TEST_TMPDIR/items"
		assert_output 2500
		jq -se "[.[].$s] | . == (sort | reverse)" "$BATS_TEST_TMPDIR/items"
	done
}

@test "limit: absent means 1000, above 1000 is capped at 1000" {
	run -0 get ""
	assert_output 200
	run -0 jq length "$B"
	assert_output 1000
	run -0 get "limit=5000"
	run -0 jq length "$B"
	assert_output 1000
	run -0 get "limit=3"
	run -0 jq length "$B"
	assert_output 3
	run -0 get "limit=abc"
	assert_output 400
}

@test "expand: only _id, id, the expanded fields and the sort field" {
	run -0 get "sort=downloads&expand=config&expand%5B%5D=gated&expand=safetensors&limit=50"
	assert_output 200
	jq -e 'all(.[]; (keys - ["_id", "id", "config", "gated", "safetensors", "downloads"]) == []
		and has("_id") and has("id") and has("gated") and has("downloads"))' "$B"
	# comma-separated expand values work too
	run -0 get "expand=author,likes&limit=5"
	jq -e 'all(.[]; keys == ["_id", "author", "id", "likes"])' "$B"
	# the values are the corpus's
	run -0 get "sort=likes&expand=config&expand=tags&expand=lastModified&limit=1000"
	jq -c '{_id, id, config, tags, lastModified, likes} | with_entries(select(.value != null))' "$CORPUS" | jq -cS . | sort >"$BATS_TEST_TMPDIR/want"
	jq -c '.[]' "$B" | jq -cS . | sort >"$BATS_TEST_TMPDIR/got"
	run -0 comm -13 "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
	assert_output ""
	# without expand: the Hub's default field set, no config
	run -0 get "limit=20"
	jq -e 'all(.[]; (keys - ["_id", "id", "likes", "trendingScore", "private", "downloads", "tags",
		"pipeline_tag", "library_name", "createdAt", "modelId"]) == [] and .modelId == .id)' "$B"
}

@test "400s: unknown expand field, bad sort, bad direction, all with an error message" {
	for q in "expand=nope" "expand%5B%5D=config&expand%5B%5D=bogus" "sort=trending" \
	    "sort=author" "direction=1" "gated=maybe" "num_parameters=min:lots" "cursor=%%%"; do
		run -0 get "$q"
		assert_output 400
		jq -e '.error | type == "string" and length > 0' "$B"
		[ -n "$(header RateLimit)" ]
	done
	run -0 get "sort=trending"
	run -0 jq -r .error "$B"
	assert_output "✖ Invalid sort parameter: trending"
	run -0 get "expand=nope"
	run -0 jq -r .error "$B"
	assert_output --partial "nope"
}

@test "filters: author, filter (ANDed), search, pipeline_tag, gated, num_parameters" {
	check() {	# check QUERY JQ-SELECT
		list_all "$1&limit=1000&expand=author" "$BATS_TEST_TMPDIR/items"
		jq -r "select($2) | .id" "$CORPUS" | sort >"$BATS_TEST_TMPDIR/want"
		jq -r '.id' "$BATS_TEST_TMPDIR/items" | sort >"$BATS_TEST_TMPDIR/got"
		[ -s "$BATS_TEST_TMPDIR/want" ] || { echo "empty selection: $1"; return 1; }
		diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
	}
	org=$(jq -rs 'map(.author) | group_by(.) | max_by(length) | .[0]' "$CORPUS")
	check "author=$org" ".id | startswith(\"$org/\")"
	check "filter=text-generation&filter=conversational" '.tags | index("text-generation") and index("conversational")'
	check "filter=gguf" '.tags | index("gguf")'
	check "search=LLAMA-3" '.id | ascii_downcase | contains("llama-3")'
	check "pipeline_tag=text2text-generation" '.pipeline_tag == "text2text-generation"'
	check "gated=true" '.gated != false'
	check "gated=false" '.gated == false'
	check "num_parameters=min:6B,max:128B" '(.safetensors.total? | numbers) as $t | $t >= 6e9 and $t <= 128e9'
	check "num_parameters=min:100B&sort=downloads" '(.safetensors.total? | numbers) >= 100e9'
	check "author=$org&filter=text-generation&search=b" \
	    "(.id | startswith(\"$org/\") and (ascii_downcase | contains(\"b\"))) and (.tags | index(\"text-generation\"))"
	# nothing matches: an empty array, no Link
	run -0 get "author=nobody-at-all"
	assert_output 200
	run -0 cat "$B"
	assert_output "[]"
	run -0 next_link "$H"
	assert_output ""
}

@test "gzip when asked, identical JSON" {
	run -0 get "limit=300&expand=config" --compressed
	assert_output 200
	run -0 header Content-Encoding
	assert_output gzip
	cp "$B" "$BATS_TEST_TMPDIR/gz"
	run -0 get "limit=300&expand=config"
	run -0 header Content-Encoding
	assert_output ""
	cmp "$B" "$BATS_TEST_TMPDIR/gz"
}

@test "several clients in parallel" {
	local i
	for i in 1 2 3 4; do
		(H=$H.$i B=$B.$i
		 list_all "author=$(jq -rs "map(.author) | unique | .[$i * 7]" "$CORPUS")&limit=2&expand=downloads" \
		    "$BATS_TEST_TMPDIR/p$i" && echo ok >"$BATS_TEST_TMPDIR/done$i") &
	done
	wait
	for i in 1 2 3 4; do
		[ -s "$BATS_TEST_TMPDIR/done$i" ]
	done
}

# ---------------------------------------------------------------------------
# Rate limits and auth

@test "RateLimit headers on 200, 401, 404 and 429; limiter 429 after Q requests, recovery" {
	# the window opens with the first request
	fakehub_start --synthetic 50 --seed 1 --quota 3 --window 1.5 --token hf_good
	run -0 get "limit=5"
	assert_output 200
	run -0 header RateLimit
	assert_output --regexp '^"api";r=2;t=[12]$'
	run -0 header RateLimit-Policy
	assert_output '"fixed window";"api";q=3;w=1.5'
	run -0 get "limit=5" -H "Authorization: Bearer hf_bad"
	assert_output 401
	run -0 header RateLimit
	assert_output --regexp '^"api";r=1;t=[12]$'
	run -0 curl -sS -D "$H" -o "$B" -w '%{http_code}' "$HF_ENDPOINT/api/nothing"
	assert_output 404
	run -0 header RateLimit
	assert_output --regexp '^"api";r=0;t=[12]$'
	run -0 get "limit=5"
	assert_output 429
	run -0 header RateLimit
	assert_output --regexp '^"api";r=0;t=[12]$'
	run -0 jq -r .error "$B"
	assert_output --partial "We had to rate limit"
	run -0 get "limit=5" -H "Authorization: Bearer hf_good"
	assert_output 429
	run -0 jq -r .error "$B"
	assert_output --partial "you hit the quota of 3 api requests per 1.5 seconds period"
	# t is the whole seconds until the window resets: after t, served again
	t=$(header RateLimit | sed 's/.*t=//')
	sleep "$t"
	run -0 get "limit=5"
	assert_output 200
	run -0 jq -c '[.status, .fault]' "$FAKEHUB_LOG"
	assert_line --index 3 '[429,"ratelimit"]'
}

@test "auth: a wrong token is a 401 even on a public listing; tokens never logged" {
	fakehub_start --synthetic 20 --seed 1 --token hf_sekrit
	run -0 get "limit=5"
	assert_output 200
	run -0 get "limit=5" -H "Authorization: Bearer hf_sekrit"
	assert_output 200
	run -0 get "limit=5" -H "Authorization: Bearer hf_wrong"
	assert_output 401
	run -0 jq -r .error "$B"
	assert_output "Invalid credentials in Authorization header"
	run -0 jq -r .auth "$FAKEHUB_LOG"
	assert_output "$(printf 'none\nvalid\ninvalid')"
	run -1 grep -e sekrit -e hf_wrong "$FAKEHUB_LOG"
	fakehub_stop
	fakehub_start --synthetic 20 --seed 1 --token hf_sekrit --require-token
	run -0 get "limit=5"
	assert_output 401
	run -0 get "limit=5" -H "Authorization: Bearer hf_sekrit"
	assert_output 200
	fakehub_stop
	# without --token any bearer token is accepted, logged as "present"
	fakehub_start --synthetic 20 --seed 1
	run -0 get "limit=5" -H "Authorization: Bearer whatever"
	assert_output 200
	run -0 jq -r .auth "$FAKEHUB_LOG"
	assert_output present
}

# ---------------------------------------------------------------------------
# Faults

@test "faults: 429, 5xx, truncated, non-JSON and dropped, each observable and seeded" {
	export H B
	fakehub_start --synthetic 300 --seed 1 --fault-seed 5 --fault-429 0.15 --fault-5xx 0.15 \
	    --fault-truncate 0.15 --fault-nonjson 0.15 --fault-drop 0.15 --retry-after 7 --no-gzip
	# one request a line in seen: ok, or the fault as the client saw it
	bash -c '
	header() { tr -d "\r" <"$H" | sed -n "s/^$1: //Ip"; }
	for i in $(seq 40); do
		rc=0
		code=$(curl -sS -D "$H" -o "$B" -w "%{http_code}" "$HF_ENDPOINT/api/models?limit=100&expand=config" 2>/dev/null) || rc=$?
		kind="curl$rc/$code"
		if [ "$rc" = 52 ]; then kind=drop
		elif [ "$rc" = 18 ]; then kind=truncate
		elif [ "$rc" != 0 ]; then :
		elif [ "$code" = 429 ]; then
			jq -e ".error | test(\"rate limit\")" "$B" >/dev/null && [ "$(header Retry-After)" = 7 ] &&
			    header RateLimit | grep -q ";r=0;" && kind=429
		elif [ "${code:0:1}" = 5 ]; then kind=5xx
		elif [ "$code" = 200 ] && ! jq -e "type == \"array\"" "$B" >/dev/null 2>&1; then kind=nonjson
		elif [ "$code" = 200 ]; then kind=ok
		fi
		echo "$kind"
	done' >"$BATS_TEST_TMPDIR/seen"
	# what the client saw is what the log says was injected
	jq -r '.fault // "ok"' "$FAKEHUB_LOG" >"$BATS_TEST_TMPDIR/logged"
	diff "$BATS_TEST_TMPDIR/logged" "$BATS_TEST_TMPDIR/seen"
	for k in ok 429 5xx truncate nonjson drop; do
		grep -qx "$k" "$BATS_TEST_TMPDIR/seen" || { echo "never saw $k"; return 1; }
	done
	# never more than 3 faults in a row (--fault-max-run default)
	run -0 awk '$0 == "ok" { r = 0; next } { if (++r > m) m = r } END { print m }' "$BATS_TEST_TMPDIR/seen"
	[ "$output" -le 3 ]
	# deterministic: the same seed and requests give the same faults
	cp "$FAKEHUB_LOG" "$BATS_TEST_TMPDIR/log1"
	fakehub_stop
	fakehub_start --synthetic 300 --seed 1 --fault-seed 5 --fault-429 0.15 --fault-5xx 0.15 \
	    --fault-truncate 0.15 --fault-nonjson 0.15 --fault-drop 0.15 --retry-after 7 --no-gzip
	bash -c 'for i in $(seq 40); do
		curl -sS -o /dev/null "$HF_ENDPOINT/api/models?limit=100&expand=config" 2>/dev/null || :
	done'
	diff <(jq -c '[.n, .status, .fault]' "$BATS_TEST_TMPDIR/log1") <(jq -c '[.n, .status, .fault]' "$FAKEHUB_LOG")
}

@test "faults: latency and latency spikes" {
	fakehub_start --synthetic 20 --seed 1 --latency 0.4
	run -0 curl -sS -o /dev/null -w '%{time_total}' "$HF_ENDPOINT/api/models?limit=5"
	awk -v t="$output" 'BEGIN { exit !(t >= 0.4) }'
	fakehub_stop
	fakehub_start --synthetic 20 --seed 1 --fault-seed 2 --latency-spike 0.5:0.2
	for i in 1 2 3 4 5 6; do
		curl -sS -o /dev/null "$HF_ENDPOINT/api/models?limit=5"
	done
	run -0 jq -r '.fault' "$FAKEHUB_LOG"
	assert_line latency
	assert_line null
}

@test "faults: --storm N answers 429 to the N requests after each page" {
	fakehub_start --synthetic 30 --seed 1 --storm 2 --fault-t 1
	local url="$HF_ENDPOINT/api/models?limit=10&sort=downloads" codes=""
	for i in $(seq 9); do
		code=$(curl -sS -D "$H" -o "$B" -w '%{http_code}' "$url")
		codes="$codes $code"
		if [ "$code" = 200 ]; then
			url=$(next_link "$H")
			[ -n "$url" ] || url="$HF_ENDPOINT/api/models?limit=10&sort=downloads"
		else
			header RateLimit | grep -qx '"api";r=0;t=1'
		fi
	done
	assert_equal "$codes" " 200 429 429 200 429 429 200 429 429"
	run -0 jq -r '.fault' "$FAKEHUB_LOG"
	assert_line --index 1 storm
}

@test "faults: --fail-always CODE answers every listing with CODE" {
	fakehub_start --synthetic 20 --seed 1 --fail-always 503
	for i in $(seq 10); do
		run -0 get "limit=5"
		assert_output 503
		[ -n "$(header RateLimit)" ]
	done
	run -0 jq -r '[.status, .fault] | @tsv' "$FAKEHUB_LOG"
	[ "${#lines[@]}" -eq 10 ]
	run -0 sort -u <<<"$output"
	assert_output "$(printf '503\talways')"
}

# ---------------------------------------------------------------------------
# Churn, Link base, log, lifecycle

@test "--churn K: download counts fall during a scan, ids repeat across pages" {
	fakehub_start --synthetic 600 --seed 7 --churn 5
	list_all "sort=downloads&limit=50&expand=downloads" "$BATS_TEST_TMPDIR/items"
	run -0 jq -rs 'map(.id) | [length > 600, (unique | length)] | @tsv' "$BATS_TEST_TMPDIR/items"
	assert_output "$(printf 'true\t600')"
	# deterministic: a second identical scan on a fresh Hub repeats the same ids
	cp "$BATS_TEST_TMPDIR/items" "$BATS_TEST_TMPDIR/items1"
	fakehub_stop
	fakehub_start --synthetic 600 --seed 7 --churn 5
	list_all "sort=downloads&limit=50&expand=downloads" "$BATS_TEST_TMPDIR/items"
	cmp "$BATS_TEST_TMPDIR/items1" "$BATS_TEST_TMPDIR/items"
}

@test "--link-base rewrites the origin of Link URLs" {
	fakehub_start --synthetic 30 --seed 1 --link-base file://evil.example
	run -0 get "limit=10&search=a"
	run -0 next_link "$H"
	assert_output --regexp '^file://evil\.example/api/models\?limit=10&search=a&cursor=[A-Za-z0-9%]+$'
}

@test "request log: one JSON object a line, fields as documented" {
	fakehub_start --synthetic 30 --seed 1
	get "limit=10&expand=config&unknownparam=1" >/dev/null
	next=$(next_link "$H")
	curl -sS -o /dev/null "$next" -H "Authorization: Bearer hf_x"
	curl -sS -o /dev/null "$HF_ENDPOINT/other"
	run -0 jq -c 'keys' "$FAKEHUB_LOG"
	assert_line --index 0 '["auth","cursor","fault","ignored","items","method","n","path","query","status"]'
	[ "${#lines[@]}" -eq 3 ]
	run -0 jq -c '[.n, .method, .path, .auth, .status, .fault, .items, .ignored]' "$FAKEHUB_LOG"
	assert_line --index 0 '[1,"GET","/api/models","none",200,null,10,["unknownparam"]]'
	assert_line --index 1 '[2,"GET","/api/models","present",200,null,10,["unknownparam"]]'
	assert_line --index 2 '[3,"GET","/other","none",404,null,0,[]]'
	run -0 jq -r '.query' "$FAKEHUB_LOG"
	assert_line --index 0 'limit=10&expand=config&unknownparam=1'
	run -0 jq -r '.cursor' "$FAKEHUB_LOG"
	assert_line --index 0 null
	[ "${lines[1]}" != null ]
}

@test "lifecycle: port file, listening line, clean exit on SIGTERM" {
	fakehub_start --synthetic 10 --seed 1
	run -0 cat "$FAKEHUB_DIR/out"
	assert_output "listening on $HF_ENDPOINT"
	run -0 ls "$FAKEHUB_DIR"
	refute_output --partial tmp
	kill -TERM "$FAKEHUB_PID"
	wait "$FAKEHUB_PID"
	unset FAKEHUB_PID
	run -2 python3 "$FAKEHUB" --synthetic 10 --fault-429 0.6 --fault-5xx 0.5
	run -0 python3 "$FAKEHUB" --help
	assert_output --partial 'fault-truncate P'
}

# ---------------------------------------------------------------------------
# Fidelity: the official JS client sees exactly the corpus

# need_js: install tests/js/node_modules on demand (npm ci: exactly the
# lock file's versions, and the lock file left as it is); skip only when
# the npm registry cannot be reached.
need_js() {
	command -v node >/dev/null || { echo "node is not installed"; return 1; }
	[ -d "$ROOT/tests/js/node_modules/@huggingface/hub" ] && return 0
	if ! npm ci --prefix "$ROOT/tests/js" --no-audit --no-fund >"$BATS_TEST_TMPDIR/npm.log" 2>&1; then
		if ! npm ping >/dev/null 2>&1; then
			skip "the npm registry cannot be reached: @huggingface/hub not installed"
		fi
		cat "$BATS_TEST_TMPDIR/npm.log"
		return 1
	fi
}

# normalise: the fields the client yields, in a comparable form.
NORM='{name, id, downloads, likes, gated, private, task, updatedAt, config,
	safetensors, tags, author, createdAt} | with_entries(select(.value != null))'
CORPUS_AS_CLIENT='{name: .id, id: ._id, downloads, likes, gated, private,
	task: .pipeline_tag, updatedAt: .lastModified, config, safetensors, tags,
	author, createdAt}'

@test "fidelity: @huggingface/hub listModels sees exactly the corpus" {
	need_js
	node "$ROOT/tests/js/list-models.mjs" >"$BATS_TEST_TMPDIR/js"
	jq -cS "$NORM" "$BATS_TEST_TMPDIR/js" | sort >"$BATS_TEST_TMPDIR/got"
	jq -cS "$CORPUS_AS_CLIENT | $NORM" "$CORPUS" | sort >"$BATS_TEST_TMPDIR/want"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/got")" -eq 2500 ]
	cmp "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
	# what it sent: limit=500 (so 5 pages), repeated expand=, no sort
	run -0 jq -r 'select(.query | contains("expand=private")) | .query' "$FAKEHUB_SUITE_LOG"
	[ "${#lines[@]}" -eq 5 ]
	assert_line --index 0 --regexp '^limit=500&expand=pipeline_tag&expand=private&expand=gated&expand=downloads&expand=likes&expand=lastModified&expand=config'
}

@test "fidelity: @huggingface/hub with owner, tags, task and sort on an ASCII-escaped, gzip Hub" {
	need_js
	fakehub_start --synthetic 2500 --seed 7 --ensure-ascii
	org=$(jq -rs '[.[] | select(.tags | index("text-generation")) | .author] | group_by(.) | max_by(length) | .[0]' "$CORPUS")
	node "$ROOT/tests/js/list-models.mjs" --owner "$org" \
	    --tag text-generation --task text-generation --sort downloads >"$BATS_TEST_TMPDIR/js"
	jq -cS "$NORM" "$BATS_TEST_TMPDIR/js" >"$BATS_TEST_TMPDIR/got"
	jq -cS "select(.author == \"$org\" and .pipeline_tag == \"text-generation\" and (.tags | index(\"text-generation\")))
		| $CORPUS_AS_CLIENT | $NORM" "$CORPUS" | sort >"$BATS_TEST_TMPDIR/want"
	[ -s "$BATS_TEST_TMPDIR/want" ]
	sort "$BATS_TEST_TMPDIR/got" | cmp "$BATS_TEST_TMPDIR/want" -
	# in descending download order
	jq -se '[.[].downloads | tonumber] | . == (sort | reverse)' "$BATS_TEST_TMPDIR/got"
	# the escapes really were on the wire
	curl -sS -o "$B" "$HF_ENDPOINT/api/models?limit=1000&expand=tags"
	run -1 grep -q 'é' "$B"
	grep -q '\\u00e9' "$B"
}
