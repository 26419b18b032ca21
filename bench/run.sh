#!/bin/sh
# bench/run.sh: the benchmark suite (make bench; never part of make check).
#
#	make bench				(or: sh bench/run.sh)
#	BENCH_MODELS=5000 BENCH_RUNS=1 make bench	(a quick run)
#	HF_SCRAPER_REFERENCE= make bench	(without the reference)
#	BENCH_PARTS=scan make bench		(the whole scans only)
#
# On one synthetic Hub corpus (BENCH_MODELS, default 200000; BENCH_SEED, 1)
# served by the project's test Hub, tests/fakehub/fakehub.py, on loopback:
#   scan	the whole scan, hf-scraper beside TransformerLens's own
#		hf_scraper.py (the reference) on the same Hub in the same run,
#		twice: at full scale (--full-scan --min-downloads 0) and at the
#		default threshold (--full-scan: --min-downloads 500, canonical
#		sweep on). For each tool: CPU, wall, peak RSS, bytes written to
#		disk, requests; and the floor: the wall of curl fetching, one
#		after another on one connection, every page hf-scraper fetched
#		(the time the test Hub itself needs to serve them), with the raw
#		listing's size (the sum of those page bodies, uncompressed);
#   stages	each stage's throughput and peak RSS, beside the equivalent
#		jq program's where one exists (outputs compared);
#   list	hf-list against the official JS client @huggingface/hub
#		listing the same models from the same Hub;
#   latency	with BENCH_LATENCY (0.3) s added to every Hub answer: the
#		full scan's wall against its floor (pages x latency), a
#		targeted scrape of a 4-org architecture against the slowest of
#		its orgs listed alone, and the whole scan at full scale
#		(--full-scan --min-downloads 0) against curl fetching the same
#		pages one after another at that latency.
# BENCH_PARTS (default "scan stages list latency") picks parts.
#
# The corpus: BENCH_CORPUS=FILE (NDJSON, one Hub item a line) if set; else
# written by BENCH_GEN, by default ../shared/tools/gen-corpus when it exists
# (the generator the reference can read), else (or with BENCH_GEN=fakehub)
# by the test Hub's own synthesis (whose awkward safetensors records make
# the reference's huggingface_hub raise KeyError 'total').
#
# The reference: HF_SCRAPER_REFERENCE names a runner taking hf_scraper.py's
# arguments (-o DIR ...) with HF_ENDPOINT set, by default
# ../shared/tools/run-reference when it exists (it reads the mirrors named
# by TL_MIRROR and HFH_MIRROR; see its header). Set it empty to skip it.
# When it cannot run, the table says "reference: not run (why)"; no figure
# from elsewhere is ever printed in its place.
#
# What is measured, and its limits (GNU time, of the top process):
# - CPU: user+sys of the top process and every descendant it (or they)
#   waited for; the test Hub is not a descendant, so it is not counted.
# - peak RSS: %M, the largest single process of the tree, not the sum of
#   processes running at once.
# - disk: %O, file system outputs (512-byte blocks, charged when a page is
#   dirtied), of the tree: every file written, temporary ones included.
# - requests: lines of the test Hub's request log.
# BENCH_RUNS (3) runs of each measurement, interleaved; medians, and the
# largest peak RSS. Before the scans, one unmeasured full scan of each tool
# warms the test Hub's cache of serialised items. MB are 10^6 bytes. The
# table goes to standard output and to bench/out/table.md; BENCHMARKS.md is
# written from it by hand. Needs python3, curl, jq, GNU time, and for the
# list part node/npm (tests/js).
# shellcheck disable=SC2016 # backquotes in printf formats are Markdown
set -eu

cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/bin
OUT=$ROOT/bench/out
MODELS=${BENCH_MODELS:-200000}
SEED=${BENCH_SEED:-1}
RUNS=${BENCH_RUNS:-3}
LATENCY=${BENCH_LATENCY:-0.3}
TARGET_ARCH=${BENCH_ARCH:-GPTNeoXForCausalLM}
PARTS=${BENCH_PARTS:-scan stages list latency}
TIME=/usr/bin/time
TFMT='%e %U %S %M %O'	# wall user sys maxrss_kb fs_outputs
LC_ALL=C
export LC_ALL
unset HF_TOKEN HF_TOKEN_PATH HUGGING_FACE_HUB_TOKEN HF_HUB_OFFLINE
HF_HOME=$OUT/hf-home
export HF_HOME

# shellcheck source=bench/jq.sh
. "$ROOT/bench/jq.sh"

die() {
	printf 'bench: %s\n' "$1" >&2
	exit 1
}

say() {
	printf 'bench: %s\n' "$*" >&2
}

part() {	# part NAME: whether BENCH_PARTS asks for it
	case " $PARTS " in *" $1 "*) return 0 ;; esac
	return 1
}

# --- measuring ---------------------------------------------------------------

# timed NAME COMMAND...: one run, stdout to $OUT/NAME.stdout, stderr
# appended to $OUT/NAME.stderr; on success appends "wall user sys maxrss_kb
# fs_outputs" to $OUT/NAME.runs. Returns the command's exit status. What
# the runs before wrote is on disk first (sync, not timed): the kernel
# writes dirty pages back some 30 s later, and the reference's 800 MB
# written back in the middle of the next run would be timed in that run.
timed() {
	name=$1
	shift
	st=0
	sync
	"$TIME" -f "$TFMT" -o "$OUT/time.txt" "$@" >"$OUT/$name.stdout" \
	    2>>"$OUT/$name.stderr" || st=$?
	[ "$st" -ne 0 ] || tail -n 1 "$OUT/time.txt" >>"$OUT/$name.runs"
	return "$st"
}

measure() {	# measure NAME COMMAND...: timed, and a failure ends the bench
	timed "$@" || die "$1: exit status $? (see $OUT/$1.stderr)"
}

# stat NAME FIELD: over the runs of NAME, the median of FIELD (wall, user,
# sys, cpu = user+sys, out = bytes written), or with rss the largest peak
# RSS in MiB.
stat() {
	awk -v f="$2" '
	{
		if (f == "wall") v = $1; else if (f == "user") v = $2
		else if (f == "sys") v = $3; else if (f == "cpu") v = $2 + $3
		else if (f == "rss") v = $4 / 1024; else if (f == "out") v = $5 * 512
		x[NR] = v
	}
	END {
		if (f == "rss") { m = 0; for (i in x) if (x[i] > m) m = x[i]; print m; exit }
		n = NR
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
			if (x[j] < x[i]) { t = x[i]; x[i] = x[j]; x[j] = t }
		print n % 2 ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2
	}' "$OUT/$1.runs"
}

calc() {	# calc EXPR: awk arithmetic
	awk "BEGIN { print $1 }"
}

largest() {	# largest FILE: the largest number in FILE, one a line
	sort -n "$1" | tail -n 1
}

# --- the test Hub --------------------------------------------------------------

hub_start() {	# hub_start [fakehub arguments...]
	rm -f "$OUT/hub.port" "$OUT/hub.log"
	python3 tests/fakehub/fakehub.py --corpus "$corpus" --quota 10000000 \
	    --port-file "$OUT/hub.port" --log "$OUT/hub.log" "$@" \
	    2>"$OUT/hub.err" &
	hub_pid=$!
	i=0
	until [ -s "$OUT/hub.port" ]; do
		i=$((i + 1))
		if [ "$i" -ge 1200 ] || ! kill -0 "$hub_pid" 2>/dev/null; then
			die "the test Hub did not start (see $OUT/hub.err)"
		fi
		sleep 0.1
	done
	HF_ENDPOINT=http://127.0.0.1:$(cat "$OUT/hub.port")
	export HF_ENDPOINT
}

hub_stop() {
	[ -z "${hub_pid:-}" ] || { kill "$hub_pid" 2>/dev/null || true; wait "$hub_pid" 2>/dev/null || true; }
	hub_pid=
}

requests() {	# requests answered since the log was last emptied
	wc -l <"$OUT/hub.log" | tr -d ' '
}

trap hub_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- setup -------------------------------------------------------------------

[ -x "$TIME" ] || die "$TIME not found (apt-get install time)"
command -v jq >/dev/null || die "jq not found"
command -v curl >/dev/null || die "curl not found"
for p in hf-list hf-arch hf-filter-quant hf-classify hf-score hf-merge hf-scraper; do
	[ -x "$BIN/$p" ] || die "$BIN/$p not built (make)"
done
mkdir -p "$OUT"
rm -f "$OUT"/*.runs "$OUT"/*.stderr "$OUT"/*.requests

if [ -n "${BENCH_CORPUS:-}" ]; then
	corpus=$BENCH_CORPUS
	[ -s "$corpus" ] || die "BENCH_CORPUS: $corpus: no such file, or empty"
	corpus_from="the file $corpus"
else
	gen=${BENCH_GEN:-}
	if [ -z "$gen" ]; then
		gen=fakehub
		[ ! -x ../shared/tools/gen-corpus ] || gen=$(cd ../shared/tools && pwd)/gen-corpus
	fi
	if [ "$gen" = fakehub ]; then
		corpus=$OUT/corpus-$MODELS-$SEED.ndjson
		corpus_from="the test Hub's synthesis (fakehub.py --synthetic $MODELS --seed $SEED)"
	else
		corpus=$OUT/corpus-gen-$MODELS-$SEED.ndjson
		corpus_from="\`$(basename "$gen") --models $MODELS --seed $SEED\`"
	fi
	if [ ! -s "$corpus" ]; then
		say "writing $corpus with $gen"
		if [ "$gen" = fakehub ]; then
			python3 tests/fakehub/fakehub.py --synthetic "$MODELS" \
			    --seed "$SEED" --write-corpus "$corpus.tmp"
		else
			"$gen" --models "$MODELS" --seed "$SEED" -o "$corpus.tmp"
		fi
		mv "$corpus.tmp" "$corpus"
	fi
fi
load=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo unknown)

# The reference: ref is the runner, ref_why why it does not run (empty
# while it may).
ref_why=
if [ "${HF_SCRAPER_REFERENCE+set}" ]; then
	ref=$HF_SCRAPER_REFERENCE
	[ -n "$ref" ] || ref_why="HF_SCRAPER_REFERENCE is empty"
elif [ -e ../shared/tools/run-reference ]; then
	ref=$(cd ../shared/tools && pwd)/run-reference
else
	ref=
	ref_why="no ../shared/tools/run-reference; set HF_SCRAPER_REFERENCE to a runner"
fi
if [ -z "$ref_why" ] && [ ! -x "$ref" ]; then
	ref_why="$ref is not an executable file"
fi
part scan || ref_why="BENCH_PARTS has no scan"

# --- scan: the whole scan, beside the reference ---------------------------------

# scan_run TOOL KIND ARGS...: one scan by TOOL (hs or ref) into a fresh
# directory, measured as TOOL-KIND; its requests appended to
# TOOL-KIND.requests. Returns the tool's exit status.
scan_run() {
	tool=$1
	kind=$2
	shift 2
	rm -rf "$OUT/$tool-$kind"
	: >"$OUT/hub.log"
	if [ "$tool" = hs ]; then
		measure "hs-$kind" "$BIN/hf-scraper" --quiet "$@" -o "$OUT/hs-$kind"
	else
		timed "ref-$kind" "$ref" -o "$OUT/ref-$kind" "$@" || return $?
	fi
	requests >>"$OUT/$tool-$kind.requests"
}

# ref_run KIND ARGS...: the reference's scan, unless it cannot run; a
# failure says why and stops its later runs.
ref_run() {
	[ -z "$ref_why" ] || return 0
	scan_run ref "$@" || {
		ref_why="$ref exited with status $? ($(tail -n 1 "$OUT/ref-$1.stderr" | cut -c 1-160))"
		say "reference: not run: $ref_why"
	}
}

# floor_config KIND [JQ-SELECT]: a curl config fetching every page of the
# log (or those JQ-SELECT keeps), in order.
floor_config() {
	jq -r --arg e "$HF_ENDPOINT" "${2:-.} | "'
	    "url = \"" + $e + .path + (if .query == "" then "" else "?" + .query end) + "\""
	' "$OUT/hub.log" >"$OUT/floor-$1.curl"
}

# floor_run KIND: curl fetches those pages one after another, asking for
# gzip as hf-list does, twice: as floor-KIND with a connection a page
# (Connection: close), the time the test Hub needs to serve them; and as
# keepalive-KIND on one kept-alive connection (the test Hub turns Nagle's
# algorithm off, so this one no longer waits 40 ms a page for a delayed
# ACK). The bodies' uncompressed size goes to floor-KIND.bytes.
floor_run() {
	floor_pass "floor-$1" "$1" -H 'Connection: close'
	floor_pass "keepalive-$1" "$1"
	wc -l <"$OUT/floor-$1.curl" | tr -d ' ' >"$OUT/floor-$1.requests"
}

floor_pass() {	# floor_pass NAME KIND [CURL-OPTIONS...]
	fname=$1
	fkind=$2
	shift 2
	"$TIME" -f "$TFMT" -o "$OUT/time.txt" curl -sS --compressed "$@" \
	    -K "$OUT/floor-$fkind.curl" 2>>"$OUT/$fname.stderr" |
	    wc -c | tr -d ' ' >"$OUT/$fname.bytes"
	if grep -q '^Command' "$OUT/time.txt"; then
		die "$fname: curl failed (see $OUT/$fname.stderr)"
	fi
	tail -n 1 "$OUT/time.txt" >>"$OUT/$fname.runs"
}

if part scan; then
	say "scan: on the test Hub ($corpus_from)"
	hub_start
	say "scan: warming the test Hub (one unmeasured full scan of each tool)"
	scan_run hs warm --full-scan --min-downloads 0
	ref_run warm --full-scan --min-downloads 0
	rm -f "$OUT"/*-warm.runs "$OUT"/*-warm.requests
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		say "scan: run $((i + 1)) of $RUNS"
		for kind in full default; do
			if [ "$kind" = full ]; then
				set -- --full-scan --min-downloads 0
			else
				set -- --full-scan
			fi
			scan_run hs "$kind" "$@"
			[ "$i" -gt 0 ] || floor_config "$kind"
			ref_run "$kind" "$@"
			floor_run "$kind"
		done
		i=$((i + 1))
	done
	hub_stop
fi

# --- stages ---------------------------------------------------------------------

# same FILE1 FILE2 JQ-PROJECTION: whether both outputs agree
same() {
	if [ "$(jq -c "$3" "$1" | cksum)" = "$(jq -c "$3" "$2" | cksum)" ]; then
		echo identical
	else
		echo DIFFERENT
	fi
}

registry=$ROOT/data/registry.json
if part stages; then
	say "stages: preparing inputs"
	"$BIN/hf-arch" "$corpus" >"$OUT/records.ndjson"
	"$BIN/hf-filter-quant" "$OUT/records.ndjson" >"$OUT/filtered.ndjson" 2>/dev/null
	"$BIN/hf-classify" "$OUT/filtered.ndjson" >"$OUT/classified.ndjson" 2>/dev/null
	grep '"supported":false' "$OUT/classified.ndjson" |
	    grep -v '"architecture":null' >"$OUT/unsupported.ndjson" || true
	grep '"supported":true' "$OUT/classified.ndjson" >"$OUT/supported.ndjson" || true

	say "stages: $RUNS interleaved runs"
	merge_dir=$OUT/merge
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		measure hf-arch "$BIN/hf-arch" "$corpus"
		measure jq-arch jq -c "$JQ_ARCH" "$corpus"
		measure hf-filter-quant "$BIN/hf-filter-quant" "$OUT/records.ndjson"
		measure jq-filter-quant jq -c "$JQ_FILTER_QUANT" "$OUT/records.ndjson"
		measure hf-classify "$BIN/hf-classify" "$OUT/filtered.ndjson"
		measure jq-classify jq -c --slurpfile reg "$registry" "$JQ_CLASSIFY" \
		    "$OUT/filtered.ndjson"
		measure hf-score "$BIN/hf-score" "$OUT/unsupported.ndjson"
		rm -rf "$merge_dir"
		mkdir -p "$merge_dir"
		measure hf-merge "$BIN/hf-merge" supported -o "$merge_dir" \
		    --scan-info '{"total_scanned":0}' "$OUT/supported.ndjson"
		i=$((i + 1))
	done
	# memory independent of the input's size: the streaming stages once
	# more on the first tenth of their input
	tenth() {	# tenth FILE: its first tenth of lines, in FILE.tenth
		n=$(wc -l <"$1")
		head -n $((n / 10)) "$1" >"$1.tenth"
	}
	tenth "$corpus"
	tenth "$OUT/records.ndjson"
	tenth "$OUT/filtered.ndjson"
	measure hf-arch-tenth "$BIN/hf-arch" "$corpus.tenth"
	measure hf-filter-quant-tenth "$BIN/hf-filter-quant" "$OUT/records.ndjson.tenth"
	measure hf-classify-tenth "$BIN/hf-classify" "$OUT/filtered.ndjson.tenth"
	rm -f "$corpus.tenth" "$OUT/records.ndjson.tenth" "$OUT/filtered.ndjson.tenth"
	cmp_arch=$(cmp -s "$OUT/hf-arch.stdout" "$OUT/jq-arch.stdout" && echo identical || echo DIFFERENT)
	cmp_quant=$(same "$OUT/hf-filter-quant.stdout" "$OUT/jq-filter-quant.stdout" .id)
	cmp_class=$(same "$OUT/hf-classify.stdout" "$OUT/jq-classify.stdout" \
	    '[.id, .supported, .canonical]')
fi

# --- list: hf-list and the JS client ----------------------------------------------

js_why=
if part list && [ ! -d tests/js/node_modules/@huggingface/hub ]; then
	say "installing the JS client (npm ci in tests/js)"
	(cd tests/js && npm ci --silent) >&2 || js_why="npm ci failed in tests/js"
fi
if part list && [ -z "$js_why" ]; then
	say "listing: hf-list and @huggingface/hub, $RUNS runs each"
	hub_start
	fields=config,safetensors,downloads,likes,lastModified,tags,pipeline_tag,gated,author
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		: >"$OUT/hub.log"
		measure hf-list "$BIN/hf-list" --pipeline-tag text-generation
		requests >>"$OUT/hf-list.requests"
		: >"$OUT/hub.log"
		measure js-list node tests/js/list-models.mjs --task text-generation \
		    --sort downloads --fields "$fields"
		requests >>"$OUT/js-list.requests"
		i=$((i + 1))
	done
	list_items=$(wc -l <"$OUT/hf-list.stdout" | tr -d ' ')
	js_items=$(wc -l <"$OUT/js-list.stdout" | tr -d ' ')
	# the same listing's tenth, for memory independent of its length
	measure hf-list-tenth "$BIN/hf-list" --pipeline-tag text-generation \
	    --limit $((list_items / 10))
	hub_stop
	jq -r .id "$OUT/hf-list.stdout" | sort >"$OUT/hf-list.ids"
	jq -r .name "$OUT/js-list.stdout" | sort >"$OUT/js-list.ids"	# the client calls the id name
	cmp_list=$(cmp -s "$OUT/hf-list.ids" "$OUT/js-list.ids" && echo identical || echo DIFFERENT)
fi

# --- latency: latency-bound ----------------------------------------------------------

if part latency; then
	say "latency $LATENCY s a page: full scan and a targeted scrape"
	hub_start --latency "$LATENCY"
	orgs=$(jq -r --arg a "$TARGET_ARCH" '.canonical_authors_by_arch[$a][]' "$registry" | sort)
	i=0
	while [ "$i" -lt "$RUNS" ]; do	# interleaved: each run of each beside the others
		rm -rf "$OUT/lscan"
		: >"$OUT/hub.log"
		measure lscan "$BIN/hf-scraper" --quiet --full-scan -o "$OUT/lscan"
		lscan_pages=$(requests)
		lscan_main=$(jq -r 'select(.query | test("(^|&)author=") | not) | .n' \
		    "$OUT/hub.log" | wc -l | tr -d ' ')
		for o in $orgs; do
			: >"$OUT/hub.log"
			measure "org-$o" "$BIN/hf-list" --author "$o"
			requests >"$OUT/org-$o.requests"
		done
		rm -rf "$OUT/tscan"
		: >"$OUT/hub.log"
		measure tscan "$BIN/hf-scraper" --quiet --architecture "$TARGET_ARCH" -o "$OUT/tscan"
		tscan_pages=$(requests)
		rm -rf "$OUT/lfull"
		: >"$OUT/hub.log"
		measure lfull "$BIN/hf-scraper" --quiet --full-scan --min-downloads 0 -o "$OUT/lfull"
		requests >>"$OUT/lfull.requests"
		floor_config lfull
		floor_config lmain 'select(.query | test("(^|&)author=") | not)'
		floor_pass floor-lfull lfull -H 'Connection: close'
		floor_pass floor-lmain lmain -H 'Connection: close'
		i=$((i + 1))
	done
	hub_stop
	slow_org=
	slow=0
	for o in $orgs; do
		w=$(stat "org-$o" wall)
		if [ "$(calc "($w > $slow)")" = 1 ]; then slow=$w; slow_org=$o; fi
	done
fi

# --- the table ---------------------------------------------------------------------

mb() {	# mb BYTES: in MB, one decimal
	calc "$1 / 1e6" | awk '{ printf "%.1f", $1 }'
}

# registry_figures DIR: "models scanned, models in the registry" of a scan
registry_figures() {
	jq -r '"\(.scan_info.total_scanned // "-") | \(.total_models // "-")"' \
	    "$1/supported_models.json" 2>/dev/null || echo '- | -'
}

# scan_row TOOL-KIND LABEL: a table row of the whole scan
scan_row() {
	printf '| %s | %.2f (%.2f+%.2f) | %.2f | %.1f MiB | %s | %s | %s |\n' \
	    "$2" "$(stat "$1" cpu)" "$(stat "$1" user)" "$(stat "$1" sys)" \
	    "$(stat "$1" wall)" "$(stat "$1" rss)" "$(mb "$(stat "$1" out)")" \
	    "$(largest "$OUT/$1.requests")" "$(registry_figures "$OUT/$1")"
}

verdict() {	# verdict EXPR: met or NOT met
	if [ "$(calc "($1)")" = 1 ]; then echo met; else echo 'NOT met'; fi
}

scan_table() {	# scan_table KIND ARGS-TEXT
	kind=$1
	printf '### Whole scan: `%s`\n\n' "$2"
	printf '| tool | CPU s (user+sys, all processes) | wall s | peak RSS (largest process) | disk writes MB | requests | models scanned | models in the registry |\n'
	printf '|---|---|---|---|---|---|---|---|\n'
	scan_row "hs-$kind" '`hf-scraper`'
	if [ -f "$OUT/ref-$kind.runs" ] && [ -z "$ref_why" ]; then
		scan_row "ref-$kind" "reference \`hf_scraper.py\` ($ref_version)"
	fi
	raw=$(cat "$OUT/floor-$kind.bytes")
	printf '| floor: `curl` fetching the same pages one after another, a connection each | %.2f (%.2f+%.2f) | %.2f | %.1f MiB | - | %s | - | - |\n' \
	    "$(stat "floor-$kind" cpu)" "$(stat "floor-$kind" user)" \
	    "$(stat "floor-$kind" sys)" "$(stat "floor-$kind" wall)" \
	    "$(stat "floor-$kind" rss)" "$(cat "$OUT/floor-$kind.requests")"
	printf '| the same on one kept-alive connection | %.2f (%.2f+%.2f) | %.2f | %.1f MiB | - | %s | - | - |\n\n' \
	    "$(stat "keepalive-$kind" cpu)" "$(stat "keepalive-$kind" user)" \
	    "$(stat "keepalive-$kind" sys)" "$(stat "keepalive-$kind" wall)" \
	    "$(stat "keepalive-$kind" rss)" "$(cat "$OUT/floor-$kind.requests")"
	hs_cpu=$(stat "hs-$kind" cpu)
	if [ -f "$OUT/ref-$kind.runs" ] && [ -z "$ref_why" ]; then
		ref_cpu=$(stat "ref-$kind" cpu)
		printf -- '- CPU: hf-scraper %.2f s, the reference %.2f s: %s of the reference'"'"'s (target: at most 1/5, %s).\n' \
		    "$hs_cpu" "$ref_cpu" \
		    "$(calc "$ref_cpu / $hs_cpu" | awk '{ printf "1/%.1f", $1 }')" \
		    "$(verdict "$hs_cpu * 5 <= $ref_cpu")"
	else
		printf -- '- CPU: hf-scraper %.2f s; reference: not run (%s).\n' "$hs_cpu" "$ref_why"
	fi
	hs_wall=$(stat "hs-$kind" wall)
	fl_wall=$(stat "floor-$kind" wall)
	target=
	[ "$kind" != full ] ||
	    target=" (target: at most 1.1x, $(verdict "$hs_wall <= 1.1 * $fl_wall"))"
	printf -- '- wall: hf-scraper %.2f s, %.2fx the floor'"'"'s %.2f s%s.\n' \
	    "$hs_wall" "$(calc "$hs_wall / $fl_wall")" "$fl_wall" "$target"
	hs_out=$(stat "hs-$kind" out)
	[ "$kind" != full ] ||
	    target=" (target: at most 1.3x, $(verdict "$hs_out <= 1.3 * $raw"))"
	printf -- '- disk: hf-scraper wrote %s MB, %.2fx the raw listing, %s MB (the sum of the %s page bodies, uncompressed)%s.\n\n' \
	    "$(mb "$hs_out")" "$(calc "$hs_out / $raw")" "$(mb "$raw")" \
	    "$(cat "$OUT/floor-$kind.requests")" "$target"
}

# run-reference names its trees after the commits it extracted (the last
# one found, if there are several)
ref_version=$(basename "${ref:-none}")
for d in "${PEER_ROOT:-/tmp/peer-tl}"/tl-* "${PEER_ROOT:-/tmp/peer-tl}"/hfh-*; do
	[ -f "$d/.done" ] || continue
	case $d in
	*/tl-*) ref_tl="TransformerLens $(cut -d ' ' -f 2 "$d/.done" | cut -c 1-12)" ;;
	*) ref_hfh="huggingface_hub $(cut -d ' ' -f 1 "$d/.done")" ;;
	esac
done
[ -z "${ref_tl:-}" ] || ref_version="$ref_tl, ${ref_hfh:-huggingface_hub ?}"

{
bytes=$(wc -c <"$corpus" | tr -d ' ')
nrec=$(wc -l <"$corpus" | tr -d ' ')
printf '## Benchmarks\n\n'
printf -- '- corpus: %s models, %.1f MB of raw Hub NDJSON, from %s\n' \
    "$nrec" "$(calc "$bytes / 1e6")" "$corpus_from"
printf -- '- machine: %s, %s cores, %s; load average before: %s\n' \
    "$(uname -sr)" "$(nproc)" "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)" "$load"
printf -- '- %s runs of each measurement, interleaved; medians; largest peak RSS\n' "$RUNS"
if [ -n "$ref_why" ]; then
	printf -- '- reference: not run (%s)\n\n' "$ref_why"
else
	printf -- '- reference: %s, run by %s, side by side on the same test Hub\n\n' \
	    "$ref_version" "$ref"
fi

if part scan; then
	scan_table full '--full-scan --min-downloads 0'
	scan_table default '--full-scan (--min-downloads 500, canonical sweep on)'
	printf 'CPU is user+sys of the top process and every descendant waited for (GNU time); peak RSS is the largest single process (GNU time'"'"'s %%M), not the sum of processes running at once; disk writes are GNU time'"'"'s file system outputs (%%O, 512-byte blocks) of the whole tree. The floor is the time the test Hub needs to serve the pages hf-scraper fetched, one after another, a connection each, with gzip as hf-list asks; the same on one kept-alive connection is shown beside it. Before these runs one unmeasured full scan of each tool warmed the test Hub'"'"'s cache.\n\n'
fi

if part stages; then
	printf '### Stages\n\n'
	printf '| stage | input | MB/s | records/s | peak RSS | on 1/10 of it | jq MB/s | ratio | outputs |\n'
	printf '|---|---|---|---|---|---|---|---|---|\n'
	row() {	# row STAGE INPUT-FILE JQ-NAME COMPARISON
		b=$(wc -c <"$2" | tr -d ' ')
		n=$(wc -l <"$2" | tr -d ' ')
		w=$(stat "$1" wall)
		w=$(calc "$w < 0.01 ? 0.01 : $w")	# GNU time's resolution
		if [ -n "$3" ]; then
			jw=$(stat "$3" wall)
			jcol=$(calc "$b / 1e6 / $jw" | awk '{ printf "%.0f", $1 }')
			ratio=$(calc "$jw / $w" | awk '{ printf "%.1fx", $1 }')
		else
			jcol=-; ratio=-
		fi
		if [ -f "$OUT/$1-tenth.runs" ]; then
			small=$(stat "$1-tenth" rss | awk '{ printf "%.1f MiB", $1 }')
		else
			small=-
		fi
		printf '| `%s` | %.1f MB, %s records | %.0f | %.0f | %.1f MiB | %s | %s | %s | %s |\n' \
		    "$1" "$(calc "$b / 1e6")" "$n" "$(calc "$b / 1e6 / $w")" \
		    "$(calc "$n / $w")" "$(stat "$1" rss)" "$small" "$jcol" "$ratio" "$4"
	}
	row hf-arch "$corpus" jq-arch "$cmp_arch"
	row hf-filter-quant "$OUT/records.ndjson" jq-filter-quant "$cmp_quant"
	row hf-classify "$OUT/filtered.ndjson" jq-classify "$cmp_class"
	row hf-score "$OUT/unsupported.ndjson" "" "-"
	row hf-merge "$OUT/supported.ndjson" "" "-"
	printf '\n(jq %s; "ratio" is jq'"'"'s time over the stage'"'"'s.)\n\n' "$(jq --version)"
fi

if part list && [ -n "$js_why" ]; then
	printf '### Listing\n\nnot run (%s)\n\n' "$js_why"
elif part list; then
	printf '### Listing the %s text-generation models\n\n' "$list_items"
	printf '| client | CPU s (user+sys) | wall s | peak RSS | on 1/10 of it | requests |\n'
	printf '|---|---|---|---|---|---|\n'
	printf '| `hf-list` | %.2f (%.2f+%.2f) | %.2f | %.1f MiB | %.1f MiB | %s |\n' \
	    "$(stat hf-list cpu)" "$(stat hf-list user)" "$(stat hf-list sys)" \
	    "$(stat hf-list wall)" "$(stat hf-list rss)" "$(stat hf-list-tenth rss)" \
	    "$(largest "$OUT/hf-list.requests")"
	printf '| `@huggingface/hub` %s | %.2f (%.2f+%.2f) | %.2f | %.1f MiB | - | %s |\n' \
	    "$(jq -r .version tests/js/node_modules/@huggingface/hub/package.json)" \
	    "$(stat js-list cpu)" "$(stat js-list user)" "$(stat js-list sys)" \
	    "$(stat js-list wall)" "$(stat js-list rss)" "$(largest "$OUT/js-list.requests")"
	printf '\nhf-list uses %s of the JS client'"'"'s CPU (target: at most 1/5); ' \
	    "$(calc "$(stat hf-list cpu) / $(stat js-list cpu)" | awk '{ printf "1/%.1f", 1 / $1 }')"
	printf 'items: %s and %s, ids %s.\n\n' "$list_items" "$js_items" "$cmp_list"
fi

if part latency; then
	printf '### Latency-bound (%s s added to every Hub answer)\n\n' "$LATENCY"
	printf '| run | wall s | requests | floor s | wall / floor |\n'
	printf '|---|---|---|---|---|\n'
	floor=$(calc "$lscan_pages * $LATENCY")
	printf '| `--full-scan` (main scan %s pages, sweep %s) | %.2f | %s | %.2f (all pages one after another) | %.2f |\n' \
	    "$lscan_main" "$((lscan_pages - lscan_main))" "$(stat lscan wall)" \
	    "$lscan_pages" "$floor" "$(calc "$(stat lscan wall) / $floor")"
	mfloor=$(calc "$lscan_main * $LATENCY")
	printf '| the same, against the main scan alone | %.2f | %s | %.2f (main scan pages) | %.2f |\n' \
	    "$(stat lscan wall)" "$lscan_main" "$mfloor" "$(calc "$(stat lscan wall) / $mfloor")"
	for o in $orgs; do
		printf '| `hf-list --author %s` | %.2f | %s | | |\n' "$o" \
		    "$(stat "org-$o" wall)" "$(cat "$OUT/org-$o.requests")"
	done
	printf '| targeted `--architecture %s` (%s orgs) | %.2f | %s | %.2f (slowest org, %s) | %.2f |\n' \
	    "$TARGET_ARCH" "$(echo "$orgs" | wc -w | tr -d ' ')" "$(stat tscan wall)" \
	    "$tscan_pages" "$slow" "$slow_org" "$(calc "$(stat tscan wall) / $slow")"
	lf=$(stat lfull wall)
	ff=$(stat floor-lfull wall)
	fm=$(stat floor-lmain wall)
	printf '| `--full-scan --min-downloads 0` | %.2f | %s | %.2f (`curl`: the same pages one after another, a connection each, at this latency) | %.2f (target: at most 1.1, %s) |\n' \
	    "$lf" "$(largest "$OUT/lfull.requests")" "$ff" "$(calc "$lf / $ff")" \
	    "$(verdict "$lf <= 1.1 * $ff")"
	printf '| the same, against its main scan'"'"'s pages alone (%s; the sweep runs beside them) | %.2f | | %.2f (`curl`, likewise) | %.2f |\n\n' \
	    "$(wc -l <"$OUT/floor-lmain.curl" | tr -d ' ')" "$lf" "$fm" "$(calc "$lf / $fm")"
fi

printf 'Command: `BENCH_MODELS=%s BENCH_SEED=%s BENCH_RUNS=%s BENCH_LATENCY=%s BENCH_PARTS="%s" make bench`\n' \
    "$MODELS" "$SEED" "$RUNS" "$LATENCY" "$PARTS"
} | tee "$OUT/table.md"
