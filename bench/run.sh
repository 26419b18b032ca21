#!/bin/sh
# bench/run.sh: hf-arch against the equivalent jq extraction on the same
# synthetic Hub corpus, and the peak RSS of every streaming stage (SPEC 6).
#
#	make bench		(or: sh bench/run.sh)
#
# BENCH_MODELS (200000), BENCH_SEED (1): the fake Hub's corpus, made once
# into bench/out/ (git-ignored) and reused. BENCH_RUNS (3): runs of each
# measurement, interleaved; the median wall time is reported, and the
# largest peak RSS. MB are 10^6 bytes. Needs python3, jq and GNU time
# (/usr/bin/time, Debian package "time").
set -eu

cd "$(dirname "$0")/.."
BIN=$PWD/bin
OUT=bench/out
MODELS=${BENCH_MODELS:-200000}
SEED=${BENCH_SEED:-1}
RUNS=${BENCH_RUNS:-3}
TIME=/usr/bin/time
LC_ALL=C
export LC_ALL

# The jq program equivalent to hf-arch (SPEC 2.2; jq 1.6 cannot tell 1.0
# from 1, a difference the corpus does not exercise).
# shellcheck disable=SC2016 # a jq program: its $ are jq variables
JQ_ARCH='
def int: if type == "number" and . == floor then . else null end;
def str: if type == "string" then . else null end;
def obj: if type == "object" then . else {} end;
select(type == "object" and (.id | type) == "string")
| (.config | obj) as $c
| (.safetensors | obj) as $s
| {
    id,
    author: ((.author | str) // (.id | split("/")[0])),
    architecture: ($c.architectures
        | if type == "array" and length > 0 then .[0] | str else null end),
    downloads: (.downloads | int),
    likes: (.likes | int),
    last_modified: (.lastModified | str),
    tags: (.tags | if type == "array" then map(select(type == "string"))
        else [] end),
    pipeline_tag: (.pipeline_tag | str),
    gated: (.gated | if type == "boolean" or type == "string" then .
        else null end),
    parameter_count: (($s.total | int)
        // ($s.parameters | if type == "object" and length > 0 and
            all(.[]; type == "number" and . == floor) then add else null end)
        // ($c.num_parameters | int) // ($c.n_params | int)
        // ($c.num_params | int))
  }'

die() {
	printf 'bench: %s\n' "$1" >&2
	exit 1
}

# measure NAME COMMAND...: one run, standard output discarded; appends
# "seconds kilobytes" to $OUT/NAME.runs.
measure() {
	name=$1
	shift
	"$TIME" -v -o "$OUT/time.txt" "$@" >/dev/null ||
	    die "$name: exit status $? (see $OUT/time.txt)"
	awk -F': ' '
	/Elapsed \(wall clock\)/ {
		n = split($2, t, ":"); s = 0
		for (i = 1; i <= n; i++) s = s * 60 + t[i]
		e = s
	}
	/Maximum resident set size/ { m = $2 }
	END { print e, m }' "$OUT/time.txt" >>"$OUT/$name.runs"
}

# report NAME LABEL BYTES: median seconds, MB/s and the largest peak RSS.
report() {
	sort -n "$OUT/$1.runs" | awk -v label="$2" -v bytes="$3" '
	{ t[NR] = $1; if ($2 > m) m = $2 }
	END {
		s = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
		r = s > 0 ? bytes / 1e6 / s : 0
		printf "%-18s %9.1f %9.2f %9.1f %9.1f MiB\n", label,
		    bytes / 1e6, s, r, m / 1024
	}'
}

median() {
	sort -n "$OUT/$1.runs" | awk '{ t[NR] = $1 }
	END { print NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }'
}

[ -x "$TIME" ] || die "$TIME not found (apt-get install time)"
command -v jq >/dev/null || die "jq not found"
for p in hf-arch hf-filter-quant hf-classify; do
	[ -x "$BIN/$p" ] || die "$BIN/$p not built (make)"
done
mkdir -p "$OUT"

corpus=$OUT/corpus-$MODELS-$SEED.ndjson
if [ ! -s "$corpus" ]; then
	printf 'bench: writing %s with the fake Hub ...\n' "$corpus" >&2
	python3 tests/fakehub/fakehub.py --synthetic "$MODELS" --seed "$SEED" \
	    --write-corpus "$corpus.tmp"
	mv "$corpus.tmp" "$corpus"
fi

# The stages' inputs, and the two extractions compared.
"$BIN/hf-arch" "$corpus" >"$OUT/records.ndjson"
"$BIN/hf-filter-quant" "$OUT/records.ndjson" >"$OUT/filtered.ndjson" \
    2>/dev/null
jq -c "$JQ_ARCH" "$corpus" >"$OUT/jq.ndjson"
if cmp -s "$OUT/records.ndjson" "$OUT/jq.ndjson"; then
	same="identical"
else
	same="DIFFERENT: $(diff "$OUT/records.ndjson" "$OUT/jq.ndjson" |
	    grep -c '^<') lines (see $OUT/records.ndjson, $OUT/jq.ndjson)"
fi

bytes=$(wc -c <"$corpus")
rbytes=$(wc -c <"$OUT/records.ndjson")
fbytes=$(wc -c <"$OUT/filtered.ndjson")
longest=$(awk '{ if (length($0) > m) m = length($0) } END { print m }' \
    "$corpus")
load=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo unknown)

rm -f "$OUT"/*.runs
i=0
while [ "$i" -lt "$RUNS" ]; do
	measure hf-arch "$BIN/hf-arch" "$corpus"
	measure jq jq -c "$JQ_ARCH" "$corpus"
	measure hf-filter-quant "$BIN/hf-filter-quant" "$OUT/records.ndjson"
	measure hf-classify "$BIN/hf-classify" "$OUT/filtered.ndjson"
	i=$((i + 1))
done 2>/dev/null

printf 'corpus: %s: %s models, %.1f MB, longest line %.2f MB\n' "$corpus" \
    "$(wc -l <"$corpus")" "$(echo "$bytes" | awk '{ print $1 / 1e6 }')" \
    "$(echo "$longest" | awk '{ print $1 / 1e6 }')"
printf 'runs: %s each, interleaved; median wall time, largest peak RSS; ' "$RUNS"
printf 'load average before: %s\n\n' "$load"
printf '%-18s %9s %9s %9s %13s\n' stage "input MB" seconds "MB/s" "peak RSS"
report hf-arch "hf-arch" "$bytes"
report jq "jq (same records)" "$bytes"
report hf-filter-quant "hf-filter-quant" "$rbytes"
report hf-classify "hf-classify" "$fbytes"
printf '\nhf-arch is %s times as fast as jq (target: 10)\n' \
    "$(printf '%s %s\n' "$(median jq)" "$(median hf-arch)" |
    awk '{ r = $2 > 0 ? $1 / $2 : 0; printf "%.1f", r }')"
printf 'hf-arch and jq records: %s\n' "$same"
