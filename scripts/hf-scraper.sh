#!/bin/sh
# hf-scraper: compose the hf-* programs into the TransformerLens registry
# scrape, with the Python reference's flags and defaults, checkpoints that
# survive SIGKILL, and exact gap merging through a per-model ledger.
#
# Files in the output directory DIR:
#   supported_models.json, architecture_gaps.json, verification_history.json
#   scrape_ledger.ndjson           every unsupported model of the main scans
#   scrape_checkpoint.json         what the unfinished scan is (its identity)
#   scrape_checkpoint.*            its sidecars: hf-list states, raw pages
#   .hf-scraper.lock               one run at a time (flock)
#   .hf-scraper.tmp.XXXXXX/        this run's temporary files
set -eu

VERSION='@VERSION@'
PROG=hf-scraper
TL_INIT=transformer_lens/tools/model_registry/__init__.py
TL_DATA=transformer_lens/tools/model_registry/data/

usage() {
	cat <<-EOF
	usage: hf-scraper [--force] [--full-scan] [--keep-loadable-quant]
	                  [--no-canonical-sweep] [--no-metadata] [--quiet]
	                  [--architecture arch] [--checkpoint-interval n]
	                  [--jobs n] [--limit n] [--min-downloads n]
	                  [-o dir] [--registry file] [--task task]
	                  [--timeout seconds]
	       hf-scraper --help | --version

	Scrape the Hugging Face Hub for the TransformerLens model registry.

	  --architecture ARCH       only models whose config.architectures[0] is ARCH
	  --full-scan               scan every model matching --task (no --limit)
	  --limit N                 at most N models in the main scan (default 10000)
	  --task TASK               Hub tag filter (default text-generation)
	  -o, --output DIR          where the JSON files go
	                            (default $TL_DATA)
	  --min-downloads N         stop the main scan below N downloads (default 500)
	  --checkpoint-interval N   checkpoint at least every N models (default 5000)
	  --no-canonical-sweep      skip the sweep of canonical orgs
	  --keep-loadable-quant     keep AWQ, GPTQ, bnb, HQQ, int/bit forms
	  --jobs N                  orgs swept in parallel (default 4)
	  --registry FILE           the architecture registry to use
	  --timeout S               a Hub transfer silent for S seconds is retried
	                            (default 120)
	  --force                   discard a checkpoint of another scan
	  --no-metadata             write "metadata": null for new models
	  --quiet                   warnings and errors only

	Examples:
	    # Full scan of ALL text-generation models (recommended)
	    hf-scraper --full-scan

	    # Quick scan of top 10,000 models by downloads
	    hf-scraper --limit 10000

	    # Resume interrupted scan (checkpoints are saved automatically)
	    hf-scraper --full-scan

	    # Output to custom directory
	    hf-scraper --full-scan -o ./my_data/

	    # After adding an adapter: only that architecture's canonical orgs
	    hf-scraper --architecture Qwen3ForCausalLM
	EOF
}

# --- logging ---------------------------------------------------------------

log() {	# log LEVEL message...
	level=$1
	shift
	[ "$quiet" = 1 ] && [ "$level" = INFO ] && return 0
	printf '%s: %s %s: %s\n' "$PROG" "$(stamp)" \
	    "$level" "$*" >&2
}
info() { log INFO "$@"; }
warn() { log WARNING "$@"; }
fail() { log ERROR "$@"; exit 1; }
die_usage() {
	printf '%s: %s\n' "$PROG" "$1" >&2
	printf 'usage: hf-scraper [options]; see hf-scraper --help\n' >&2
	exit 2
}

# --- arguments -------------------------------------------------------------

need_value() {	# need_value FLAG ARGC
	[ "$2" -ge 2 ] || die_usage "$1 needs a value"
}

number() {	# number FLAG VALUE MIN: a decimal integer >= MIN
	case $2 in
	''|*[!0-9]*) die_usage "$1: not a number: $2" ;;
	esac
	[ "${#2}" -le 15 ] || die_usage "$1: too large: $2"
	[ "$2" -ge "$3" ] || die_usage "$1: must be at least $3: $2"
	printf '%s' "$2" | sed 's/^0*\([0-9]\)/\1/'
}

parse_args() {
	arch='' arch_set=0 full=0 limit=10000 task=text-generation out=''
	min_dl=500 interval=5000 sweep=1 keep_quant=0 jobs=4 registry=
	force=0 metadata=1 quiet=0 timeout=120
	while [ $# -gt 0 ]; do
		case $1 in
		--architecture)	need_value "$1" $#; arch=$2; arch_set=1; shift ;;
		--architecture=*) arch=${1#*=}; arch_set=1 ;;
		--checkpoint-interval) need_value "$1" $#
				interval=$(number "$1" "$2" 1); shift ;;
		--checkpoint-interval=*)
				interval=$(number "${1%%=*}" "${1#*=}" 1) ;;
		--force)	force=1 ;;
		--full-scan)	full=1 ;;
		-h|--help)	usage; exit 0 ;;
		--jobs)		need_value "$1" $#; jobs=$(number "$1" "$2" 1); shift ;;
		--jobs=*)	jobs=$(number "${1%%=*}" "${1#*=}" 1) ;;
		--keep-loadable-quant) keep_quant=1 ;;
		--limit)	need_value "$1" $#; limit=$(number "$1" "$2" 1); shift ;;
		--limit=*)	limit=$(number "${1%%=*}" "${1#*=}" 1) ;;
		--min-downloads) need_value "$1" $#
				min_dl=$(number "$1" "$2" 0); shift ;;
		--min-downloads=*) min_dl=$(number "${1%%=*}" "${1#*=}" 0) ;;
		--no-canonical-sweep) sweep=0 ;;
		--no-metadata)	metadata=0 ;;
		-o|--output)	need_value "$1" $#; out=$2; shift ;;
		--output=*)	out=${1#*=} ;;
		--quiet)	quiet=1 ;;
		--registry)	need_value "$1" $#; registry=$2; shift ;;
		--registry=*)	registry=${1#*=} ;;
		--task)		need_value "$1" $#; task=$2; shift ;;
		--task=*)	task=${1#*=} ;;
		--timeout)	need_value "$1" $#
				timeout=$(number "$1" "$2" 1); shift ;;
		--timeout=*)	timeout=$(number "${1%%=*}" "${1#*=}" 1) ;;
		--version)	printf '%s %s\n' "$PROG" "$VERSION"; exit 0 ;;
		*)		die_usage "unknown option: $1" ;;
		esac
		shift
	done
	[ "$arch_set" = 0 ] || [ -n "$arch" ] ||
	    die_usage "--architecture: empty value"
	[ -n "$task" ] || die_usage "--task: empty value"
	[ "$timeout" -le 86400 ] || die_usage "--timeout: at most 86400: $timeout"
	if [ -z "$out" ]; then
		[ -f "$TL_INIT" ] || die_usage "not in a TransformerLens checkout ($TL_INIT not found): pass -o DIR"
		out=$TL_DATA
	fi
	[ "$full" = 1 ] && limit=0
	return 0
}

# --- programs and registry -------------------------------------------------

stage() {	# the path of a stage: beside this script, else on PATH
	if [ -x "$here/$1" ]; then
		printf '%s\n' "$here/$1"
	elif command -v "$1" 2>/dev/null; then
		:
	else
		fail "$1: not found beside $0 nor on PATH"
	fi
}

find_stages() {
	case $0 in
	*/*) here=${0%/*} ;;
	*) here=. ;;
	esac
	here=$(CDPATH='' cd -- "${here:-/}" && pwd)
	hf_list=$(stage hf-list)
	hf_arch=$(stage hf-arch)
	hf_filter_quant=$(stage hf-filter-quant)
	hf_classify=$(stage hf-classify)
	hf_score=$(stage hf-score)
	hf_merge=$(stage hf-merge)
}

# Registry: --registry, else a TransformerLens checkout's __init__.py read
# with ast, else the installed registry.json, found as the stages find it.
resolve_registry() {
	if [ -n "$registry" ]; then
		reg_src=$registry
	elif [ -f "$TL_INIT" ]; then
		command -v python3 >/dev/null 2>&1 ||
		    fail "$TL_INIT: python3 is needed to read it"
		reader=$here/tl-registry.py
		[ -f "$reader" ] || reader=$here/../share/hf-scraper/tl-registry.py
		python3 "$reader" "$TL_INIT" >"$tmp/registry.json" ||
		    fail "$TL_INIT: cannot read the registry (see above)"
		registry=$tmp/registry.json
		reg_src=$TL_INIT
	elif [ -n "${HF_SCRAPER_REGISTRY-}" ]; then
		registry=$HF_SCRAPER_REGISTRY
		reg_src="$registry (HF_SCRAPER_REGISTRY)"
	else
		registry=$here/../share/hf-scraper/registry.json
		[ -f "$registry" ] || registry=$here/../data/registry.json
		reg_src=$registry
	fi
	[ -r "$registry" ] || fail "$registry: cannot read the registry"
	registry=$(abspath "$registry")
	reg_archs=$(registry_list supported | awk 'END { print NR }')
	[ "$reg_archs" -gt 0 ] ||
	    fail "$registry: no supported_architectures in the registry"
	info "registry: $reg_src ($reg_archs supported architectures)"
}

abspath() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s/%s\n' "$(pwd)" "$1" ;;
	esac
}

# registry_list supported | orgs [ARCH]: names from registry.json, one a
# line (orgs sorted, each once). The names are plain identifiers, so the
# minified text is read with patterns; the stages parse the file properly.
registry_list() {
	awk -v what="$1" -v arch="${2-}" 'BEGIN { RS = "\001" }
	{
		out = ""; ins = 0; esc = 0; n = length($0)
		for (i = 1; i <= n; i++) {
			c = substr($0, i, 1)
			if (ins) {
				out = out c
				if (esc) esc = 0
				else if (c == "\\") esc = 1
				else if (c == "\"") ins = 0
			} else if (c == "\"") { ins = 1; out = out c }
			else if (c !~ /[ \t\r\n]/) out = out c
		}
		if (what == "supported") {
			if (!match(out, /"supported_architectures":\[[^]]*\]/)) exit
			list(substr(out, RSTART + 27, RLENGTH - 28))
			exit
		}
		if (!match(out, /"canonical_authors_by_arch":\{([^{}]*)\}/)) exit
		m = substr(out, RSTART + 29, RLENGTH - 30)
		while (match(m, /"[^"]*":\[[^]]*\]/)) {
			e = substr(m, RSTART, RLENGTH)
			m = substr(m, RSTART + RLENGTH)
			k = index(e, "\":[")
			a = substr(e, 2, k - 2)
			if (arch == "" || a == arch)
				list(substr(e, k + 3, length(e) - k - 3))
		}
	}
	function list(s,   p) {
		while (match(s, /"[^"]*"/)) {
			print substr(s, RSTART + 1, RLENGTH - 2)
			s = substr(s, RSTART + RLENGTH)
		}
	}' "$registry" | if [ "$1" = orgs ]; then LC_ALL=C sort -u; else cat; fi
}

# --- checkpoint ------------------------------------------------------------

json_str() {	# a JSON string literal of $1
	case $1 in
	*[\"\\]* | *[[:cntrl:]]*) ;;
	*) printf '"%s"' "$1"; return ;;	# nothing to escape: no process
	esac
	printf '%s' "$1" | awk '
	BEGIN {
		ORS = ""
		for (i = 1; i < 32; i++) esc[sprintf("%c", i)] = sprintf("\\u%04x", i)
		esc["\t"] = "\\t"; esc["\r"] = "\\r"
	}
	{
		if (NR > 1) print "\\n"
		n = length($0)
		for (i = 1; i <= n; i++) {
			c = substr($0, i, 1)
			if (c == "\\" || c == "\"") print "\\" c
			else if (c in esc) print esc[c]
			else print c
		}
	}' | { printf '"'; cat; printf '"'; }
}

identity() {	# the scan's identity, one key a line
	printf '  "endpoint": %s,\n' "$(json_str "$endpoint")"
	printf '  "task": %s,\n' "$(json_str "$task")"
	printf '  "limit": %s,\n' "$limit"
	printf '  "min_downloads": %s,\n' "$min_dl"
	if [ "$arch_set" = 1 ]; then
		printf '  "architecture": %s,\n' "$(json_str "$arch")"
	else
		printf '  "architecture": null,\n'
	fi
	printf '  "canonical_sweep": %s,\n' "$([ "$sweep" = 1 ] && echo true || echo false)"
	printf '  "quantisation": "%s",\n' "$quant_policy"
	printf '  "output": %s\n' "$(json_str "$out_abs")"
}

write_checkpoint() {
	{
		printf '{\n  "hf_scraper_checkpoint": 1,\n'
		identity
		printf '}\n'
	} >"$ck.tmp"
	mv -f "$ck.tmp" "$ck"
}

# Resume a checkpoint of the same scan, refuse one of another (naming the
# difference) unless --force, start a new one otherwise.
open_checkpoint() {
	ck=$out/scrape_checkpoint.json
	if [ ! -f "$ck" ]; then
		rm -f "$out"/scrape_checkpoint.*	# leftovers of a finished run
		write_checkpoint
		return 0
	fi
	identity >"$tmp/identity"
	sed -n 's/^\(  "[a-z_]*": .*[^,]\),*$/\1/p' "$ck" |
	    grep -v '"hf_scraper_checkpoint"' >"$tmp/old" || true
	sed 's/,$//' "$tmp/identity" >"$tmp/new"
	if cmp -s "$tmp/old" "$tmp/new"; then
		info "resuming the checkpoint in $ck"
		return 0
	fi
	if [ "$force" = 1 ]; then
		warn "--force: discarding the checkpoint of another scan in $ck"
		rm -f "$out"/scrape_checkpoint.*
		write_checkpoint
		return 0
	fi
	diff "$tmp/old" "$tmp/new" | sed -n 's/^< *//p' | while IFS= read -r l; do
		log ERROR "checkpoint differs: $l (this run: $(grep -F "${l%%:*}:" "$tmp/new" | sed 's/^ *"[a-z_]*": //'))"
	done
	fail "$ck belongs to another scan: rerun with its arguments, or pass --force to discard it"
}

# --- listing ---------------------------------------------------------------

# A raw file cut by a kill can end in half a line: drop it.
trim_partial() {
	[ -s "$1" ] || return 0
	[ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ] && return 0
	sed '$d' "$1" >"$1.trim" && mv -f "$1.trim" "$1"
}

# list NAME hf-list-args...: hf-list into DIR/scrape_checkpoint.NAME.raw,
# resumable through NAME.state. Run it in the background: the subshell
# becomes hf-list (exec), so its PID is the one to signal and wait for.
list() {
	name=$1
	shift
	raw=$out/scrape_checkpoint.$name.raw
	trim_partial "$raw"
	# it stops when this shell (or a sweep lane) is killed: see setup
	HF_LIST_DIE_WITH_PARENT=1 exec "$hf_list" --no-progress \
	    --page-size "$page_size" --timeout "$timeout" \
	    --state "$out/scrape_checkpoint.$name.state" "$@" >>"$raw"
}

listed() {	# models listed so far for NAME, from its state
	sed -n 's/.*"count":\([0-9]*\).*/\1/p' \
	    "$out/scrape_checkpoint.$1.state" 2>/dev/null || echo 0
}

# Progress of the main scan, read from hf-list --progress (one line a
# page) instead of polling: a line redrawn on a terminal, else a log line
# every 1,000 models. Other lines (hf-list's warnings) pass through.
progress_reader() {
	tty=0
	[ -t 2 ] && tty=1
	# shellcheck disable=SC2086 # empty or -W interactive
	awk $awk_unbuffered -v prog="$PROG" -v tty="$tty" -v quiet="$quiet" "$awk_now"'
	/^hf-list: [0-9]+ models, [0-9]+ pages, [0-9.]+ s$/ {
		n = $2; p = $4; s = $6; r = s > 0 ? int(n / s) : n
		if (quiet) next
		if (tty) {
			printf "\r%s: %d models, %d pages, %d/s, %ds ", prog, n, p, r, s
			drawn = 1
		} else if (n >= next_at) {
			printf "%s: %s INFO: scanned %d models (%d/s)\n", prog, now(), n, r
			next_at = (int(n / 1000) + 1) * 1000
		}
		fflush()
		next
	}
	{ if (drawn) { printf "\n"; drawn = 0 } print; fflush() }
	END { if (drawn) printf "\n" }'
}

main_scan() {
	set -- --filter "$task" --sort downloads --min-downloads "$min_dl"
	[ "$limit" -gt 0 ] && set -- "$@" --limit "$limit"
	if [ "$limit" -gt 0 ]; then
		info "main scan: the $limit most downloaded models tagged $task with at least $min_dl downloads"
	else
		info "main scan: every model tagged $task with at least $min_dl downloads"
	fi
	mkfifo "$tmp/main.progress"
	list main --progress "$@" 2>"$tmp/main.progress" &
	lpid=$!
	progress_reader <"$tmp/main.progress" >&2 &
	rpid=$!
	children="$children $lpid $rpid"
	set +e
	wait "$lpid"
	rc=$?
	wait "$rpid"
	set -e
	children=$sweep_pids
	[ "$rc" = 0 ] || fail "main scan failed (hf-list exit $rc); nothing written, the checkpoint is kept: rerun to resume"
	info "main scan listed $(listed main) models"
}

# The sweep's lanes: the orgs (in byte order) cut into --jobs runs of
# consecutive orgs, one hf-list --author ... each, so that the lanes'
# outputs put end to end keep the byte order. Kept in a sidecar so that a
# resume with another --jobs goes on with the same listings.
plan_lanes() {	# plan_lanes ORG...
	lanes_file=$out/scrape_checkpoint.lanes
	if [ -f "$lanes_file" ] &&
	    [ "$(tr ' ' '\n' <"$lanes_file")" = "$(printf '%s\n' "$@")" ]; then
		nlanes=$(count_lines "$lanes_file")
		return 0
	fi
	rm -f "$out"/scrape_checkpoint.sweep.*
	printf '%s\n' "$@" | awk -v jobs="$jobs" -v n="$#" '
	{
		lane = int((NR - 1) * jobs / n)
		line[lane] = k[lane]++ ? line[lane] " " $0 : $0
	}
	END { for (i = 0; i < jobs && i < n; i++) if (k[i]) print line[i] }
	' >"$lanes_file.tmp"
	mv -f "$lanes_file.tmp" "$lanes_file"
	nlanes=$(count_lines "$lanes_file")
}

count_lines() {	# without a process
	n=0
	while IFS= read -r _; do n=$((n + 1)); done <"$1"
	echo "$n"
}

lane_orgs() {	# the orgs of lane $1, one a line
	sed -n "$(($1 + 1))p" "$lanes_file" | tr ' ' '\n'
}

start_sweep() {	# start_sweep ORG...: the lanes, in the background
	nlanes=0
	[ $# -gt 0 ] || return 0
	plan_lanes "$@"
	info "canonical sweep: $# orgs, $nlanes hf-list in parallel"
	lane=0
	sweep_pids=
	while IFS= read -r line; do
		set -f
		# shellcheck disable=SC2086 # org names are words
		set -- $line
		set +f
		for o do
			shift
			set -- "$@" --author "$o"
		done
		list "sweep.$lane" "$@" &
		sweep_pids="$sweep_pids $!"
		children="$children $!"
		lane=$((lane + 1))
	done <"$lanes_file"
}

# Wait for the lanes; a failed lane names the org it stopped at and the
# orgs after it that it did not list.
wait_sweep() {
	sweep_failed=0
	lane=0
	for p in $sweep_pids; do
		rc=0
		wait "$p" || rc=$?
		if [ "$rc" != 0 ]; then
			part=$(sed -n 's/.*"part":\([0-9]*\).*/\1/p' \
			    "$out/scrape_checkpoint.sweep.$lane.state" 2>/dev/null)
			missing=$(lane_orgs "$lane" | sed -n "$((${part:-0} + 1)),\$p" | tr '\n' ' ')
			warn "canonical sweep failed (hf-list exit $rc): the models of ${missing% } are missing; rerun to resume"
			sweep_failed=1
		fi
		lane=$((lane + 1))
	done
	children=
}

# --- records ---------------------------------------------------------------

# Keep the first record of each id (a page fetched again after a kill, or a
# model listed by two orgs). Records from hf-arch begin with {"id":"...".
dedupe_ids() {
	awk '{
		id = $0
		if (substr(id, 1, 7) == "{\"id\":\"") {
			id = substr(id, 8)
			s = ""
			while (match(id, /^[^"\\]*\\./)) {
				s = s substr(id, 1, RLENGTH); id = substr(id, RLENGTH + 1)
			}
			match(id, /^[^"]*/)
			id = s substr(id, 1, RLENGTH)
		}
		if (!(id in seen)) { seen[id] = 1; print }
	}'
}

# records NAME NFILES RAW... CLASSIFY-ARGS...: raw Hub items → classified
# records in $tmp/NAME.records, deduplicated by id
records() {
	name=$1
	nfiles=$2
	shift 2
	rc_dir=$tmp/$name.rc
	mkdir -p "$rc_dir"
	set +e
	# The files are the first NFILES arguments; hf-arch gets them, the
	# rest goes to hf-classify.
	{ arch_of "$nfiles" "$@" || echo "$?" >"$rc_dir/arch"; } |
	    dedupe_ids >"$tmp/$name.arch"
	shift "$nfiles"
	# shellcheck disable=SC2086 # empty or one flag
	{ "$hf_filter_quant" $quant_flag "$tmp/$name.arch" ||
	    echo "$?" >"$rc_dir/quant"; } |
	    { "$hf_classify" --registry "$registry" "$@" ||
	    echo "$?" >"$rc_dir/classify"; } >"$tmp/$name.records"
	set -e
	for rcf in "$rc_dir"/*; do
		[ -e "$rcf" ] || continue
		case $(cat "$rcf") in
		3) skipped=1 ;;
		*) fail "$name: ${rcf##*/} stage failed (exit $(cat "$rcf"))" ;;
		esac
	done
}

arch_of() {	# arch_of N FILE... : hf-arch over the first N files only
	n=$1
	shift
	i=0
	for f do
		shift
		[ "$i" -lt "$n" ] && set -- "$@" "$f"
		i=$((i + 1))
	done
	"$hf_arch" -- "$@"
}

# --- ledger and gaps -------------------------------------------------------

# Import a gaps file the Python tool wrote (no ledger beside it) as its
# aggregate entries, one per line, once.
import_gaps() {	# import_gaps architecture_gaps.json
	awk 'BEGIN { RS = "\001" } {
		# minify: drop white space outside strings
		out = ""; ins = 0; esc = 0; n = length($0)
		for (i = 1; i <= n; i++) {
			c = substr($0, i, 1)
			if (ins) {
				out = out c
				if (esc) esc = 0
				else if (c == "\\") esc = 1
				else if (c == "\"") ins = 0
			} else if (c == "\"") { ins = 1; out = out c }
			else if (c !~ /[ \t\r\n]/) out = out c
		}
		p = index(out, "\"gaps\":[")
		if (p == 0) exit
		s = substr(out, p + 8); depth = 0; ins = 0; esc = 0; start = 0
		n = length(s)
		for (i = 1; i <= n; i++) {
			c = substr(s, i, 1)
			if (ins) {
				if (esc) esc = 0
				else if (c == "\\") esc = 1
				else if (c == "\"") ins = 0
				continue
			}
			if (c == "\"") ins = 1
			else if (c == "{") { if (depth++ == 0) start = i }
			else if (c == "}") { if (--depth == 0) print substr(s, start, i - start + 1) }
			else if (c == "]" && depth == 0) exit
		}
	}' "$1"
}

# The ledger: one line per unsupported model of a main scan, first-seen
# order, a model seen again replaced in place by its newer record.
update_ledger() {	# update_ledger NEW-RECORDS
	ledger=$out/scrape_ledger.ndjson
	if [ ! -f "$ledger" ]; then
		if [ -f "$out/architecture_gaps.json" ]; then
			import_gaps "$out/architecture_gaps.json" >"$tmp/imported"
			info "imported $(wc -l <"$tmp/imported" | tr -d ' ') gap entries of $out/architecture_gaps.json into a new ledger (once)"
			cat "$tmp/imported" >"$tmp/ledger.old"
		else
			: >"$tmp/ledger.old"
		fi
	else
		cp "$ledger" "$tmp/ledger.old"
	fi
	awk -v new="$1" '
	function key(line,   id, s) {
		if (substr(line, 1, 7) != "{\"id\":\"")
			return "\001" line	# an imported gap entry: itself
		id = substr(line, 8); s = ""
		while (match(id, /^[^"\\]*\\./)) {
			s = s substr(id, 1, RLENGTH); id = substr(id, RLENGTH + 1)
		}
		match(id, /^[^"]*/)
		return s substr(id, 1, RLENGTH)
	}
	FILENAME != new { k = key($0); if (!(k in at)) { at[k] = ++n; line[n] = $0 } ; next }
	{ k = key($0); if (k in at) line[at[k]] = $0; else { at[k] = ++n; line[n] = $0 } }
	END { for (i = 1; i <= n; i++) print line[i] }
	' "$tmp/ledger.old" "$1" >"$tmp/ledger.new"
	# on disk before it replaces the old one (same file system: a rename)
	sync "$tmp/ledger.new" 2>/dev/null || true
	mv -f "$tmp/ledger.new" "$ledger"
}

# --- summary ---------------------------------------------------------------

# A count near the top of a registry file hf-merge wrote (indent 2), read
# without scanning the whole file.
top_number() {	# top_number KEY FILE
	sed -n "/^  \"$1\": /{s/^  \"$1\": \([0-9]*\).*/\1/p;q;}" "$2"
}

summary() {
	[ "$quiet" = 1 ] && return 0
	sup=$out/supported_models.json
	{
		echo "======================================================================"
		echo "SCAN SUMMARY"
		echo "======================================================================"
		echo "Total models scanned: $scanned"
		echo "New supported models: $new_supported"
		n=$(top_number total_architectures "$sup")
		echo
		echo "SUPPORTED ARCHITECTURES (${n:-0}):"
		grep '^      "architecture_id": "' "$sup" |
		    awk -F '"' '{ n[$4]++ } END { for (a in n) print n[a], a }' |
		    sort -k1,1nr -k2 |
		    awk '{ printf "  %s: %d models\n", $2, $1 }'
		echo
		g=$(count_lines "$tmp/gaps")
		echo "TOP 20 UNSUPPORTED ARCHITECTURES by relevancy (of $g):"
		awk '
		function num(k,   v) {
			if (!match($0, "\"" k "\":[^,}]*")) return 0
			v = substr($0, RSTART + length(k) + 3, RLENGTH - length(k) - 3)
			return v
		}
		function commas(n,   s) {
			s = ""
			while (length(n) > 3) { s = "," substr(n, length(n) - 2) s; n = substr(n, 1, length(n) - 3) }
			return n s
		}
		{
			match($0, /"architecture_id":"[^"]*"/)
			a = substr($0, RSTART + 19, RLENGTH - 20)
			if (NR <= 20)
				printf "  %s: score=%.1f, %d models, %s downloads\n", a, num("relevancy_score"), num("total_models"), commas(num("total_downloads"))
			else { more++; rest += num("total_models") }
		}
		END { if (more) printf "  ... and %d more architectures (%d models)\n", more, rest }
		' "$tmp/gaps"
		echo "======================================================================"
	} | {
		# one date(1) for the whole summary, not one a line
		ts=$(stamp)
		while IFS= read -r l; do
			printf '%s: %s INFO: %s\n' "$PROG" "$ts" "$l" >&2
		done
	}
	info "files: $out/supported_models.json, $out/architecture_gaps.json, $out/verification_history.json, $out/scrape_ledger.ndjson"
}

# --- the scrape ------------------------------------------------------------

# --- the clock ---------------------------------------------------------------
# One date(1) at start; after that, times come from the boot clock in
# /proc/uptime, read by the shell itself: a log line costs no process.
# (Local time keeps the UTC offset of the start. Without /proc/uptime,
# date(1) is asked each time.)

clock_init() {
	# shellcheck disable=SC2046 # two words
	set -- $(date '+%s %N %z')
	epoch0=$1
	case $2 in	# centiseconds past the second, where %N works
	[0-9][0-9]*) epoch0_cs=$(( $1 * 100 + 1${2%???????} - 100 )) ;;
	*) epoch0_cs=$(( $1 * 100 )) ;;
	esac
	tz=${3#[+-]}
	tz=$(( (1${tz%??} - 100) * 3600 + (1${tz#??} - 100) * 60 ))
	case $3 in -*) tz=$((-tz)) ;; esac
	cs0=$(uptime_cs) || cs0=
}

uptime_cs() {	# centiseconds since boot
	read -r up _ </proc/uptime 2>/dev/null || return 1
	echo $(( ${up%.*} * 100 + 1${up#*.} - 100 ))
}

# stamp: the local time now, as YYYY-MM-DD HH:MM:SS
stamp() {
	if [ -z "${cs0:-}" ] || ! cs=$(uptime_cs); then
		date '+%Y-%m-%d %H:%M:%S'
		return
	fi
	t=$(( (epoch0_cs + cs - cs0) / 100 + tz ))
	# days to a civil date (H. Hinnant's algorithm)
	z=$(( t / 86400 + 719468 ))
	era=$(( z / 146097 ))
	doe=$(( z - era * 146097 ))
	yoe=$(( (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365 ))
	doy=$(( doe - (365 * yoe + yoe / 4 - yoe / 100) ))
	mp=$(( (5 * doy + 2) / 153 ))
	d=$(( doy - (153 * mp + 2) / 5 + 1 ))
	m=$(( mp < 10 ? mp + 3 : mp - 9 ))
	y=$(( yoe + era * 400 + (m <= 2) ))
	s=$(( t % 86400 ))
	printf '%04d-%02d-%02d %02d:%02d:%02d\n' "$y" "$m" "$d" \
	    $((s / 3600)) $((s % 3600 / 60)) $((s % 60))
}

elapsed() {	# seconds since the start, with $1 (0 or 1) decimals
	if [ -n "${cs0:-}" ] && cs=$(uptime_cs); then
		cs=$((cs - cs0))
		if [ "$1" = 0 ]; then
			echo $((cs / 100))
		else
			cs=$(( (cs + 5) / 10 ))
			echo "$((cs / 10)).$((cs % 10))"
		fi
		return
	fi
	awk -v a="$epoch0" -v b="$(date +%s)" -v d="$1" 'BEGIN {
		s = b - a; if (s < 0) s = 0
		if (d == 0) printf "%d\n", s; else printf "%.1f\n", s }'
}

setup() {
	find_stages
	clock_init
	endpoint=${HF_ENDPOINT:-https://huggingface.co}
	while [ "${endpoint%/}" != "$endpoint" ]; do endpoint=${endpoint%/}; done
	mkdir -p -- "$out" || fail "$out: cannot create the output directory"
	out_abs=$(CDPATH='' cd -- "$out" && pwd)
	out=$out_abs	# absolute: no path below can look like an option
	children=	# background stages to stop on SIGINT and SIGTERM
	sweep_pids=
	tmp=
	trap 'interrupted 130' INT
	trap 'interrupted 143' TERM
	# One run per DIR. The stages inherit the lock: if this shell is
	# killed alone (SIGKILL: no trap runs), the next run waits for its
	# orphaned stages rather than writing beside them. They do not linger:
	# a listing (main or sweep) stops when its parent dies
	# (HF_LIST_DIE_WITH_PARENT), the progress reader then sees its end,
	# the record stages and hf-merge finish their short work.
	exec 9>>"$out/.hf-scraper.lock"
	if ! flock -n 9; then
		warn "$out: another hf-scraper run (or its stages) is using this directory; waiting"
		flock 9
	fi
	# Temporary files live beside the outputs and are made under the
	# lock: what a run killed with SIGKILL left (its directory, the
	# temporaries of an hf-list state being replaced) belongs to no live
	# process now, and goes.
	rm -rf -- "$out"/.hf-scraper.tmp.* "$out"/.scrape_checkpoint.*
	tmp=$(mktemp -d "$out/.hf-scraper.tmp.XXXXXX") ||
	    fail "cannot create a temporary directory in $out"
	trap cleanup EXIT
	if [ "$keep_quant" = 1 ]; then
		quant_flag=--keep-loadable
		quant_policy=keep-loadable
		info "quantisation: dropping GGUF, MLX, FP8, NVFP4, MXFP4; keeping formats transformers loads (AWQ, GPTQ, bnb, HQQ, int/bit, w4a16/w8a8)"
	else
		quant_flag=
		quant_policy=drop-all
		info "quantisation: dropping every quantized format (GGUF, MLX, FP8, NVFP4, MXFP4, AWQ, GPTQ, bnb, HQQ, int/bit, w4a16/w8a8), unlike the reference, which admits AWQ, GPTQ, bnb and HQQ; --keep-loadable-quant keeps those"
	fi
	page_size=$interval
	[ "$page_size" -le 1000 ] || page_size=1000
	skipped=0
	# mawk reads a pipe in blocks unless told not to
	awk_unbuffered=
	case $(awk -W version 2>&1 </dev/null) in
	mawk*) awk_unbuffered='-W interactive' ;;
	esac
	# awk's now(): strftime where awk has it (mawk 1.3.4, gawk, busybox),
	# else date(1), which costs a process a call
	awk_now='function now() { return strftime("%Y-%m-%d %H:%M:%S") }'
	awk 'BEGIN { if (strftime("%Y") !~ /^[0-9]+$/) exit 1 }' \
	    </dev/null 2>/dev/null ||
	    awk_now='function now(  t, c) { c = "date \"+%Y-%m-%d %H:%M:%S\""; c | getline t; close(c); return t }'
}

# shellcheck disable=SC2317 # called from the traps
cleanup() {	# on every exit: no stage outlives a failed run
	for p in $children; do
		kill "$p" 2>/dev/null || true
	done
	rm -rf "$tmp"
}

# shellcheck disable=SC2317 # called from the traps
interrupted() {
	trap '' INT TERM
	for p in $children; do
		kill "$p" 2>/dev/null || true
	done
	wait
	warn "interrupted: the checkpoint is in $out/scrape_checkpoint.json; rerun the same command to resume"
	exit "$1"
}

# Which path: targeted (ARCH with canonical orgs: only their sweep), or the
# global scan (with ARCH: filtered client-side), then the sweep.
plan() {
	orgs=
	if [ "$arch_set" = 1 ]; then
		arch_orgs=$(registry_list orgs "$arch")
		if ! registry_list supported | grep -qxF -- "$arch"; then
			warn "$arch is not a supported architecture of the registry (closest: $(closest "$arch")): scanning anyway"
		fi
		if [ -n "$arch_orgs" ]; then
			targeted=1
			info "targeted scrape: $arch has canonical orgs ($(printf '%s' "$arch_orgs" | tr '\n' ' ')); only their sweep runs, no global scan"
			[ "$sweep" = 1 ] && orgs=$arch_orgs
			[ "$sweep" = 1 ] || warn "--no-canonical-sweep with a targeted scrape of $arch: no Hub queries will run; only the gaps are rescored"
			return 0
		fi
		info "$arch has no canonical orgs: global scan, keeping $arch models only (client-side filter)"
	fi
	targeted=0
	[ "$sweep" = 1 ] && orgs=$(registry_list orgs)
	return 0
}

closest() {	# the supported architecture with the smallest edit distance
	registry_list supported | awk -v want="$1" '
	function dist(a, b,   i, j, la, lb, d, c, x) {
		la = length(a); lb = length(b)
		for (j = 0; j <= lb; j++) d[0, j] = j
		for (i = 1; i <= la; i++) {
			d[i, 0] = i
			for (j = 1; j <= lb; j++) {
				c = (tolower(substr(a, i, 1)) == tolower(substr(b, j, 1))) ? 0 : 1
				x = d[i - 1, j] + 1
				if (d[i, j - 1] + 1 < x) x = d[i, j - 1] + 1
				if (d[i - 1, j - 1] + c < x) x = d[i - 1, j - 1] + c
				d[i, j] = x
			}
		}
		return d[la, lb]
	}
	{ k = dist(want, $0); if (best == "" || k < bestk) { best = $0; bestk = k } }
	END { print best }'
}

# The sweep's lanes start first and list while the main scan lists and
# is processed: fetching and processing overlap.
scrape() {
	set -f	# org names are words; no globbing
	# shellcheck disable=SC2086
	set -- $orgs
	set +f
	: >"$tmp/supported"
	: >"$tmp/unsupported"
	scanned=0
	start_sweep "$@"
	if [ "$targeted" = 0 ]; then
		main_scan
		main_records
	fi
	wait_sweep
	sweep_records
}

main_records() {
	raw=$out/scrape_checkpoint.main.raw
	[ -f "$raw" ] || : >"$raw"
	if [ "$arch_set" = 1 ]; then
		records main 1 "$raw" --architecture "$arch"
	else
		records main 1 "$raw"
	fi
	scanned=$(wc -l <"$tmp/main.arch" | tr -d ' ')
	grep '"supported":true' "$tmp/main.records" >"$tmp/supported" || true
	grep -v '"supported":true' "$tmp/main.records" |
	    grep -v '"architecture":null' >"$tmp/unsupported" || true
}

sweep_records() {	# the lanes' raw files end to end, in lane order
	[ "$nlanes" -gt 0 ] || return 0
	set --
	lane=0
	while [ "$lane" -lt "$nlanes" ]; do
		raw=$out/scrape_checkpoint.sweep.$lane.raw
		[ -f "$raw" ] || : >"$raw"
		set -- "$@" "$raw"
		lane=$((lane + 1))
	done
	set -- "$@" --canonical-only
	[ "$arch_set" = 1 ] && set -- "$@" --architecture "$arch"
	records sweep "$nlanes" "$@"
	cat "$tmp/sweep.records" >>"$tmp/supported"
}

# run_stage PROGRAM ARGS...: exit 3 (done, input skipped) is a warning
# kept for the final status; anything else but 0 stops the run.
run_stage() {
	set +e
	"$@"
	rc=$?
	set -e
	case $rc in
	0) ;;
	3) skipped=1 ;;
	*) fail "${1##*/} failed (exit $rc)" ;;
	esac
}

merge() {
	sup=$out/supported_models.json
	before=0
	if [ -f "$sup" ]; then
		before=$(top_number total_models "$sup")
	fi
	scan_info=$(printf '{"total_scanned":%s,"task_filter":%s,"min_downloads":%s,"scan_duration_seconds":%s}' \
	    "$scanned" "$(json_str "$task")" "$min_dl" "$(elapsed 1)")
	set -- --scan-info "$scan_info"
	[ "$metadata" = 1 ] || set -- "$@" --no-metadata
	[ "$targeted" = 1 ] || update_ledger "$tmp/unsupported"
	ledger=$out/scrape_ledger.ndjson
	[ -f "$ledger" ] || : >"$ledger"
	run_stage "$hf_score" --registry "$registry" "$ledger" >"$tmp/gaps"
	run_stage "$hf_merge" supported -o "$out" "$@" "$tmp/supported"
	if [ -s "$tmp/gaps" ]; then
		run_stage "$hf_merge" gaps -o "$out" --scan-info "$scan_info" \
		    "$tmp/gaps"
	else
		warn "no unsupported architectures: architecture_gaps.json left as it is"
	fi
	after=$(top_number total_models "$sup")
	new_supported=$(( ${after:-0} - before ))
	[ "$new_supported" -ge 0 ] || new_supported=0
}

main() {
	parse_args "$@"
	setup
	resolve_registry
	plan
	open_checkpoint
	scrape
	merge
	if [ "$sweep_failed" = 1 ]; then
		summary
		fail "some canonical orgs failed: files written with what was found; the checkpoint is kept"
	fi
	rm -f -- "$ck" "$out"/scrape_checkpoint.*
	summary
	[ "$skipped" = 0 ] || { warn "some Hub items were malformed and skipped (see above)"; exit 3; }
	exit 0
}

main "$@"
