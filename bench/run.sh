#!/bin/sh
# bench/run.sh: the benchmark suite (make bench; never part of make check).
#
#	make bench			(or: sh bench/run.sh)
#	BENCH_MODELS=20000 make bench	(a quick run)
#
# On one synthetic Hub corpus from the test Hub (BENCH_MODELS, default
# 200000; BENCH_SEED, 1), served by tests/fakehub/fakehub.py on loopback:
#   1. each stage's throughput (MB/s, records/s) and peak RSS, beside the
#      equivalent jq program's where one exists (outputs compared);
#   2. hf-list against the official JS client @huggingface/hub listing the
#      same models from the same Hub: CPU, wall, RSS, requests;
#   3. hf-scraper --full-scan: CPU of all its processes, wall, requests;
#   4. with BENCH_LATENCY (0.3) s added to every Hub answer: the full
#      scan's wall against its floor (pages x latency), and a targeted
#      scrape of a 4-org architecture against the slowest of its orgs
#      listed alone.
# BENCH_RUNS (3) runs of each measurement, interleaved; medians, and the
# largest peak RSS. MB are 10^6 bytes. The table goes to standard output
# and to bench/out/table.md; BENCHMARKS.md is written from it by hand
# (see its top). Needs python3, jq, node/npm (tests/js) and GNU time.
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
TIME=/usr/bin/time
PY_REF_CPU=4.4	# s: issue 7's figure for the Python reference (3.9 user + 0.5 sys)
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

# --- measuring ---------------------------------------------------------------

# measure NAME COMMAND...: one run, stdout to $OUT/NAME.stdout; appends
# "wall user sys maxrss_kb" to $OUT/NAME.runs.
measure() {
	name=$1
	shift
	"$TIME" -f '%e %U %S %M' -o "$OUT/time.txt" "$@" >"$OUT/$name.stdout" \
	    2>>"$OUT/$name.stderr" || die "$name: exit status $? (see $OUT/$name.stderr)"
	tail -n 1 "$OUT/time.txt" >>"$OUT/$name.runs"
}

# stat NAME FIELD: the median of a column of NAME.runs (1 wall, 2 user,
# 3 sys, 5 user+sys), or with FIELD=rss the largest peak RSS in MiB.
stat() {
	awk -v f="$2" '
	{ v = f == "rss" ? $4 / 1024 : f == 5 ? $2 + $3 : $f; x[NR] = v }
	END {
		if (f == "rss") { m = 0; for (i in x) if (x[i] > m) m = x[i]; print m; exit }
		n = NR
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
			if (x[j] < x[i]) { t = x[i]; x[i] = x[j]; x[j] = t }
		print n % 2 ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2
	}' "$OUT/$1.runs"
}

calc() {	# calc EXPR: awk arithmetic, printed with %.*g-like sense
	awk "BEGIN { print $1 }"
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
for p in hf-list hf-arch hf-filter-quant hf-classify hf-score hf-merge hf-scraper; do
	[ -x "$BIN/$p" ] || die "$BIN/$p not built (make)"
done
mkdir -p "$OUT"
rm -f "$OUT"/*.runs "$OUT"/*.stderr
if [ ! -d tests/js/node_modules/@huggingface/hub ]; then
	say "installing the JS client (npm ci in tests/js)"
	(cd tests/js && npm ci --silent) >&2 || die "npm ci failed in tests/js"
fi

corpus=$OUT/corpus-$MODELS-$SEED.ndjson
if [ ! -s "$corpus" ]; then
	say "writing $corpus with the test Hub"
	python3 tests/fakehub/fakehub.py --synthetic "$MODELS" --seed "$SEED" \
	    --write-corpus "$corpus.tmp"
	mv "$corpus.tmp" "$corpus"
fi
load=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo unknown)

# --- 1. stages -----------------------------------------------------------------

say "stages: preparing inputs"
"$BIN/hf-arch" "$corpus" >"$OUT/records.ndjson"
"$BIN/hf-filter-quant" "$OUT/records.ndjson" >"$OUT/filtered.ndjson" 2>/dev/null
"$BIN/hf-classify" "$OUT/filtered.ndjson" >"$OUT/classified.ndjson" 2>/dev/null
grep '"supported":false' "$OUT/classified.ndjson" |
    grep -v '"architecture":null' >"$OUT/unsupported.ndjson" || true
grep '"supported":true' "$OUT/classified.ndjson" >"$OUT/supported.ndjson" || true
registry=$ROOT/data/registry.json

# same NAME FILE1 FILE2 JQ-PROJECTION: whether both outputs agree
same() {
	if [ "$(jq -c "$4" "$2" | cksum)" = "$(jq -c "$4" "$3" | cksum)" ]; then
		echo identical
	else
		echo DIFFERENT
	fi
}

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
# memory independent of the input's size: the streaming stages once more
# on the first tenth of their input
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
cmp_quant=$(same quant "$OUT/hf-filter-quant.stdout" "$OUT/jq-filter-quant.stdout" .id)
cmp_class=$(same class "$OUT/hf-classify.stdout" "$OUT/jq-classify.stdout" \
    '[.id, .supported, .canonical]')

# --- 2. hf-list and the JS client ----------------------------------------------

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
measure hf-list-tenth "$BIN/hf-list" --pipeline-tag text-generation \
    --limit $((list_items / 10))
js_items=$(wc -l <"$OUT/js-list.stdout" | tr -d ' ')
jq -r .id "$OUT/hf-list.stdout" | sort >"$OUT/hf-list.ids"
jq -r .name "$OUT/js-list.stdout" | sort >"$OUT/js-list.ids"	# the client calls the id name
cmp_list=$(cmp -s "$OUT/hf-list.ids" "$OUT/js-list.ids" && echo identical || echo DIFFERENT)

# --- 3. the full scan ------------------------------------------------------------

say "full scan: $RUNS runs"
i=0
while [ "$i" -lt "$RUNS" ]; do
	rm -rf "$OUT/scan"
	: >"$OUT/hub.log"
	measure scan "$BIN/hf-scraper" --full-scan -o "$OUT/scan"
	requests >>"$OUT/scan.requests"
	i=$((i + 1))
done
scan_models=$(jq .scan_info.total_scanned "$OUT/scan/supported_models.json")
hub_stop

# --- 4. latency-bound ---------------------------------------------------------------

say "latency $LATENCY s a page: full scan and a targeted scrape"
hub_start --latency "$LATENCY"
orgs=$(jq -r --arg a "$TARGET_ARCH" '.canonical_authors_by_arch[$a][]' "$registry" | sort)
i=0
while [ "$i" -lt "$RUNS" ]; do	# interleaved: each run of each beside the others
	rm -rf "$OUT/lscan"
	: >"$OUT/hub.log"
	measure lscan "$BIN/hf-scraper" --full-scan -o "$OUT/lscan"
	lscan_pages=$(requests)
	lscan_main=$(grep -c '"query":"filter=' "$OUT/hub.log" || true)
	for o in $orgs; do
		: >"$OUT/hub.log"
		measure "org-$o" "$BIN/hf-list" --author "$o"
		requests >"$OUT/org-$o.requests"
	done
	rm -rf "$OUT/tscan"
	: >"$OUT/hub.log"
	measure tscan "$BIN/hf-scraper" --architecture "$TARGET_ARCH" -o "$OUT/tscan"
	tscan_pages=$(requests)
	i=$((i + 1))
done
hub_stop
slow_org=
slow=0
for o in $orgs; do
	w=$(stat "org-$o" 1)
	if [ "$(calc "($w > $slow)")" = 1 ]; then slow=$w; slow_org=$o; fi
done

# --- the table ---------------------------------------------------------------------

{
bytes=$(wc -c <"$corpus" | tr -d ' ')
nrec=$(wc -l <"$corpus" | tr -d ' ')
printf '## Benchmarks\n\n'
printf -- '- corpus: %s models, %.1f MB of raw Hub NDJSON (test Hub, seed %s)\n' \
    "$nrec" "$(calc "$bytes / 1e6")" "$SEED"
printf -- '- machine: %s, %s cores, %s; load average before: %s\n' \
    "$(uname -sr)" "$(nproc)" "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)" "$load"
printf -- '- %s runs of each measurement, interleaved; medians; largest peak RSS\n\n' "$RUNS"

printf '### Stages\n\n'
printf '| stage | input | MB/s | records/s | peak RSS | on 1/10 of it | jq MB/s | ratio | outputs |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
row() {	# row STAGE INPUT-FILE JQ-NAME COMPARISON
	b=$(wc -c <"$2" | tr -d ' ')
	n=$(wc -l <"$2" | tr -d ' ')
	w=$(stat "$1" 1)
	if [ -n "$3" ]; then
		jw=$(stat "$3" 1)
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

printf '### Listing the %s text-generation models\n\n' "$list_items"
printf '| client | CPU s (user+sys) | wall s | peak RSS | on 1/10 of it | requests |\n'
printf '|---|---|---|---|---|---|\n'
printf '| `hf-list` | %.2f (%.2f+%.2f) | %.2f | %.1f MiB | %.1f MiB | %s |\n' \
    "$(stat hf-list 5)" "$(stat hf-list 2)" "$(stat hf-list 3)" \
    "$(stat hf-list 1)" "$(stat hf-list rss)" "$(stat hf-list-tenth rss)" \
    "$(sort -n "$OUT/hf-list.requests" | tail -n 1)"
printf '| `@huggingface/hub` %s | %.2f (%.2f+%.2f) | %.2f | %.1f MiB | - | %s |\n' \
    "$(jq -r .version tests/js/node_modules/@huggingface/hub/package.json)" \
    "$(stat js-list 5)" "$(stat js-list 2)" "$(stat js-list 3)" \
    "$(stat js-list 1)" "$(stat js-list rss)" "$(sort -n "$OUT/js-list.requests" | tail -n 1)"
printf '\nhf-list uses %s of the JS client'"'"'s CPU (target: at most 1/5); ' \
    "$(calc "$(stat hf-list 5) / $(stat js-list 5)" | awk '{ printf "1/%.1f", 1 / $1 }')"
printf 'items: %s and %s, ids %s.\n\n' "$list_items" "$js_items" "$cmp_list"

printf '### hf-scraper --full-scan\n\n'
printf '| | CPU s (user+sys, all processes) | wall s | requests | models scanned |\n'
printf '|---|---|---|---|---|\n'
printf '| no latency | %.2f (%.2f+%.2f) | %.2f | %s | %s |\n' \
    "$(stat scan 5)" "$(stat scan 2)" "$(stat scan 3)" "$(stat scan 1)" \
    "$(sort -n "$OUT/scan.requests" | tail -n 1)" "$scan_models"
printf '\nThe whole scan uses %s of the JS client'"'"'s CPU for its listing alone (target: at most 1), ' \
    "$(calc "$(stat scan 5) / $(stat js-list 5)" | awk '{ printf "%.2f", $1 }')"
printf 'and %s of the %.1f s the issue quotes for the Python reference'"'"'s full scan (target: at most 1/5; the reference needs PyPI, not reachable here).\n\n' \
    "$(calc "$(stat scan 5) / $PY_REF_CPU" | awk '{ printf "1/%.1f", 1 / $1 }')" "$PY_REF_CPU"

printf '### Latency-bound (%s s added to every Hub answer)\n\n' "$LATENCY"
printf '| run | wall s | requests | floor s | wall / floor |\n'
printf '|---|---|---|---|---|\n'
floor=$(calc "$lscan_pages * $LATENCY")
printf '| full scan (main scan %s pages, sweep %s) | %.2f | %s | %.2f (all pages one after another) | %.2f |\n' \
    "$lscan_main" "$((lscan_pages - lscan_main))" "$(stat lscan 1)" \
    "$lscan_pages" "$floor" "$(calc "$(stat lscan 1) / $floor")"
mfloor=$(calc "$lscan_main * $LATENCY")
printf '| the same, against the main scan alone | %.2f | %s | %.2f (main scan pages) | %.2f |\n' \
    "$(stat lscan 1)" "$lscan_main" "$mfloor" "$(calc "$(stat lscan 1) / $mfloor")"
for o in $orgs; do
	printf '| `hf-list --author %s` | %.2f | %s | | |\n' "$o" \
	    "$(stat "org-$o" 1)" "$(cat "$OUT/org-$o.requests")"
done
printf '| targeted `--architecture %s` (%s orgs) | %.2f | %s | %.2f (slowest org, %s) | %.2f |\n' \
    "$TARGET_ARCH" "$(echo "$orgs" | wc -w | tr -d ' ')" "$(stat tscan 1)" \
    "$tscan_pages" "$slow" "$slow_org" "$(calc "$(stat tscan 1) / $slow")"
printf '\nCommand: `BENCH_MODELS=%s BENCH_SEED=%s BENCH_RUNS=%s BENCH_LATENCY=%s make bench`\n' \
    "$MODELS" "$SEED" "$RUNS" "$LATENCY"
} | tee "$OUT/table.md"
