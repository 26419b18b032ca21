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
#   .hf-scraper.tmp.PID.*          this run's temporary files
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
	                  [-o dir] [--registry file] [--report file]
	                  [--task task] [--timeout seconds]
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
	  --jobs N                  lanes of orgs swept in parallel (default 4)
	  --registry FILE           the architecture registry to use
	  --report FILE             write what the run changed in the registry to
	                            FILE, as a pull-request body (Markdown)
	  --timeout S               a Hub transfer silent for S seconds is retried
	                            (default 120)
	  --force                   discard a checkpoint of another scan; scan
	                            an --architecture spelt in another case
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
	stamp
	printf '%s: %s %s: %s\n' "$PROG" "$now" "$level" "$*" >&2
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

number() {	# number FLAG VALUE MIN: $num, a decimal integer >= MIN
	case $2 in
	''|*[!0-9]*) die_usage "$1: not a number: $2" ;;
	esac
	[ "${#2}" -le 15 ] || die_usage "$1: too large: $2"
	[ "$2" -ge "$3" ] || die_usage "$1: must be at least $3: $2"
	num=$2
	while :; do
		case $num in
		0?*) num=${num#0} ;;	# no leading zeros (not octal anywhere)
		*) break ;;
		esac
	done
}

parse_args() {
	arch='' arch_set=0 full=0 limit=10000 task=text-generation out=''
	min_dl=500 interval=5000 sweep=1 keep_quant=0 jobs=4 registry=
	force=0 metadata=1 quiet=0 timeout=120 report=
	while [ $# -gt 0 ]; do
		case $1 in
		--architecture)	need_value "$1" $#; arch=$2; arch_set=1; shift ;;
		--architecture=*) arch=${1#*=}; arch_set=1 ;;
		--checkpoint-interval) need_value "$1" $#
				number "$1" "$2" 1; interval=$num; shift ;;
		--checkpoint-interval=*)
				number "${1%%=*}" "${1#*=}" 1; interval=$num ;;
		--force)	force=1 ;;
		--full-scan)	full=1 ;;
		-h|--help)	usage; exit 0 ;;
		--jobs)		need_value "$1" $#; number "$1" "$2" 1; jobs=$num; shift ;;
		--jobs=*)	number "${1%%=*}" "${1#*=}" 1; jobs=$num ;;
		--keep-loadable-quant) keep_quant=1 ;;
		--limit)	need_value "$1" $#; number "$1" "$2" 1; limit=$num; shift ;;
		--limit=*)	number "${1%%=*}" "${1#*=}" 1; limit=$num ;;
		--min-downloads) need_value "$1" $#
				number "$1" "$2" 0; min_dl=$num; shift ;;
		--min-downloads=*) number "${1%%=*}" "${1#*=}" 0; min_dl=$num ;;
		--no-canonical-sweep) sweep=0 ;;
		--no-metadata)	metadata=0 ;;
		-o|--output)	need_value "$1" $#; out=$2; shift ;;
		--output=*)	out=${1#*=} ;;
		--quiet)	quiet=1 ;;
		--registry)	need_value "$1" $#; registry=$2; shift ;;
		--registry=*)	registry=${1#*=} ;;
		--report)	need_value "$1" $#; report=$2; shift ;;
		--report=*)	report=${1#*=} ;;
		--task)		need_value "$1" $#; task=$2; shift ;;
		--task=*)	task=${1#*=} ;;
		--timeout)	need_value "$1" $#
				number "$1" "$2" 1; timeout=$num; shift ;;
		--timeout=*)	number "${1%%=*}" "${1#*=}" 1; timeout=$num ;;
		--version)	printf '%s %s\n' "$PROG" "$VERSION"; exit 0 ;;
		*)		die_usage "unknown option: $1" ;;
		esac
		shift
	done
	[ "$arch_set" = 0 ] || [ -n "$arch" ] ||
	    die_usage "--architecture: empty value"
	[ -n "$task" ] || die_usage "--task: empty value"
	case $report in */) die_usage "--report: a file, not a directory: $report" ;; esac
	[ "$timeout" -le 86400 ] || die_usage "--timeout: at most 86400: $timeout"
	if [ -z "$out" ]; then
		[ -f "$TL_INIT" ] || die_usage "not in a TransformerLens checkout ($TL_INIT not found): pass -o DIR"
		out=$TL_DATA
	fi
	[ "$full" = 1 ] && limit=0
	return 0
}

# --- programs and registry -------------------------------------------------

stage() {	# stage VAR NAME: VAR is the path of stage NAME: beside this
	# script, else on PATH
	# shellcheck disable=SC2034 # found is read by the eval
	if [ -x "$here/$2" ]; then
		eval "$1=\$here/\$2"
	elif found=$(command -v "$2" 2>/dev/null); then
		eval "$1=\$found"
	else
		fail "$2: not found beside $0 nor on PATH"
	fi
}

find_stages() {
	case $0 in
	*/*) here=${0%/*} ;;
	*) here=. ;;
	esac
	case $here in	# absolute, without a process
	'') here=/ ;;
	/*) ;;
	.) here=$PWD ;;
	*) here=$PWD/${here#./} ;;
	esac
	hf_list='' hf_arch='' hf_filter_quant='' hf_classify='' hf_score='' hf_merge=''
	hf_registry=''
	hf_ledger=''
	stage hf_list hf-list
	stage hf_arch hf-arch
	stage hf_filter_quant hf-filter-quant
	stage hf_classify hf-classify
	stage hf_score hf-score
	stage hf_merge hf-merge
	stage hf_registry hf-registry
	stage hf_ledger hf-ledger
	hf_diff=
	[ -z "$report" ] || stage hf_diff hf-diff
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
		python3 "$reader" "$TL_INIT" >"$tmp.registry.json" ||
		    fail "$TL_INIT: cannot read the registry (see above)"
		registry=$tmp.registry.json
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
	case $registry in
	/*) ;;
	*) registry=$PWD/$registry ;;
	esac
	registry_read
	[ "$reg_archs" -gt 0 ] ||
	    fail "$registry: no supported_architectures in the registry"
	info "registry: $reg_src ($reg_archs supported architectures)"
}

# registry_read: what the wrapper needs of the registry, asked of
# hf-registry(1), which reads it as the stages do and refuses (naming the
# file and the reason) what they would refuse, before any request:
#   reg_archs      how many supported architectures
#   all_orgs       every canonical org, byte order, each once
#   arch_orgs      the canonical orgs of --architecture (same order)
#   arch_supported 1 when --architecture is a supported architecture
#   arch_closest   else the supported one nearest to it (edit distance)
#   arch_case      1 when it differs from arch_closest only in case
registry_read() {
	reg_archs=0 all_orgs='' arch_orgs='' arch_supported=0 arch_closest=''
	arch_case=0
	reg_archs=$("$hf_registry" --registry "$registry" count) ||
	    fail "$registry: cannot read the registry"
	[ "$sweep" = 0 ] || registry_orgs all_orgs
	[ "$arch_set" = 1 ] || return 0
	registry_orgs arch_orgs -- "$arch"
	answer=$("$hf_registry" --registry "$registry" check -- "$arch") ||
	    fail "$registry: cannot read the registry"
	case $answer in
	supported) arch_supported=1 ;;
	'case '*) arch_closest=${answer#case } arch_case=1 ;;
	*) arch_closest=${answer#closest } ;;
	esac
}

# registry_orgs VAR [-- ARCH]: VAR is hf-registry's orgs, one a line,
# joined by spaces: each is one word (the sweep's operands)
registry_orgs() {
	_var=$1
	shift
	_lines=$("$hf_registry" --registry "$registry" orgs "$@") ||
	    fail "$registry: cannot read the registry"
	_words=
	set -f
	_ifs=$IFS
	IFS='
'
	for _o in $_lines; do
		case $_o in
		*[[:space:]]*)
			IFS=$_ifs
			fail "$registry: canonical org \"$_o\": white space in an org name" ;;
		esac
		_words=${_words:+$_words }$_o
	done
	IFS=$_ifs
	set +f
	eval "$_var=\$_words"
}

# --- checkpoint ------------------------------------------------------------

json_str() {	# $js: a JSON string literal of $1
	case $1 in
	*[\"\\]* | *[[:cntrl:]]*) ;;
	*) js="\"$1\""; return ;;	# nothing to escape: no process
	esac
	js=$(printf '%s' "$1" | awk '
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
	}' | { printf '"'; cat; printf '"'; })
}

identity() {	# the scan's identity, one key a line
	json_str "$endpoint"
	printf '  "endpoint": %s,\n' "$js"
	json_str "$task"
	printf '  "task": %s,\n' "$js"
	printf '  "limit": %s,\n' "$limit"
	printf '  "min_downloads": %s,\n' "$min_dl"
	if [ "$arch_set" = 1 ]; then
		json_str "$arch"
		printf '  "architecture": %s,\n' "$js"
	else
		printf '  "architecture": null,\n'
	fi
	if [ "$sweep" = 1 ]; then
		printf '  "canonical_sweep": true,\n'
	else
		printf '  "canonical_sweep": false,\n'
	fi
	printf '  "quantisation": "%s",\n' "$quant_policy"
	json_str "$out_abs"
	printf '  "output": %s\n' "$js"
}

# Written in place, not renamed (no process): a checkpoint cut short by a
# kill lacks its last line, and the next run takes it for none.
write_checkpoint() {
	{
		printf '{\n  "hf_scraper_checkpoint": 1,\n'
		identity
		printf '}\n'
	} >"$ck"
}

ck_cut_short() {	# whether $ck is empty, or a checkpoint without its end
	_first='' _last=
	while IFS= read -r _l; do
		[ -n "$_first" ] || _first=$_l
		_last=$_l
	done <"$ck"
	[ -z "$_first" ] || { [ "$_first" = "{" ] && [ "$_last" != "}" ]; }
}

# Resume a checkpoint of the same scan, refuse one of another (naming the
# difference) unless --force, start a new one otherwise.
open_checkpoint() {
	ck=$out/scrape_checkpoint.json
	ck_new=0
	if [ ! -f "$ck" ] || ck_cut_short; then
		rm_glob "$out"/scrape_checkpoint.*	# leftovers of a finished run
		# written once the listings have started (see scrape): a run
		# killed before that leaves states without a checkpoint, which
		# the next run clears, as here
		ck_new=1
		return 0
	fi
	identity >"$tmp.identity"
	sed -n 's/^\(  "[a-z_]*": .*[^,]\),*$/\1/p' "$ck" |
	    grep -v '"hf_scraper_checkpoint"' >"$tmp.old" || true
	sed 's/,$//' "$tmp.identity" >"$tmp.new"
	if cmp -s "$tmp.old" "$tmp.new"; then
		info "resuming the checkpoint in $ck"
		return 0
	fi
	if [ "$force" = 1 ]; then
		warn "--force: discarding the checkpoint of another scan in $ck"
		rm -f "$out"/scrape_checkpoint.*
		write_checkpoint
		return 0
	fi
	diff "$tmp.old" "$tmp.new" | sed -n 's/^< *//p' | while IFS= read -r l; do
		log ERROR "checkpoint differs: $l (this run: $(grep -F "${l%%:*}:" "$tmp.new" | sed 's/^ *"[a-z_]*": //'))"
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
	# it stops when this shell is killed (its lanes with it): see setup
	HF_LIST_DIE_WITH_PARENT=1 exec "$hf_list" --no-progress \
	    --page-size "$page_size" --timeout "$timeout" \
	    --state "$out/scrape_checkpoint.$name.state" "$@" >>"$raw"
}

# state_field NAME KEY: $field, an integer of NAME's hf-list state (one
# line of JSON; 0 when absent), read without a process
state_field() {
	field=0
	_l=
	{ IFS= read -r _l || :; } <"$out/scrape_checkpoint.$1.state" 2>/dev/null || :
	case $_l in
	*"\"$2\":"[0-9]*)
		_l=${_l##*\""$2"\":}
		field=${_l%%[!0-9]*}
		;;
	esac
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
	# a listing from its first page, in one process: no id twice
	main_fresh=0
	[ -e "$out/scrape_checkpoint.main.state" ] ||
	    [ -s "$out/scrape_checkpoint.main.raw" ] || main_fresh=1
	if [ "$quiet" = 1 ]; then	# no progress to show: no reader
		list main "$@" &
		lpid=$!
		rpid=
	else
		awk_features
		mkfifo "$tmp.main.progress"
		list main --progress "$@" 2>"$tmp.main.progress" &
		lpid=$!
		progress_reader <"$tmp.main.progress" >&2 &
		rpid=$!
	fi
	children="$children $lpid $rpid"
	set +e
	wait "$lpid"
	rc=$?
	[ -z "$rpid" ] || wait "$rpid"
	set -e
	children=$sweep_pid
	case $rc in
	0) ;;
	3) skipped=1 ;;	# done; malformed items were reported and skipped
	*) fail "main scan failed (hf-list exit $rc); nothing written, the checkpoint is kept: rerun to resume" ;;
	esac
	state_field main count
	info "main scan listed $field models"
}

# The sweep: one hf-list --author ORG ... --jobs N, which lists the orgs
# (in byte order) in N lanes of forked copies of itself and prints them in
# that order; its state fixes the lanes, so that a resume with another
# --jobs goes on with the same listings.
start_sweep() {	# start_sweep ORG...: the sweep, in the background
	sweep_pid=
	[ $# -gt 0 ] || return 0
	njobs=$jobs
	_max=$("$hf_list" --max-jobs) || fail "$hf_list --max-jobs failed"
	[ "$njobs" -le "$_max" ] || njobs=$_max
	[ "$njobs" -le $# ] || njobs=$#
	info "canonical sweep: $# orgs in $njobs lanes"
	for o do
		shift
		set -- "$@" --author "$o"
	done
	list sweep --jobs "$njobs" "$@" &
	sweep_pid=$!
	children="$children $sweep_pid"
}

# Wait for the sweep; hf-list names the orgs it could not list.
wait_sweep() {
	sweep_failed=0
	[ -n "$sweep_pid" ] || return 0
	rc=0
	wait "$sweep_pid" || rc=$?
	[ "$rc" != 3 ] || { skipped=1; rc=0; }
	if [ "$rc" != 0 ]; then
		warn "canonical sweep failed (hf-list exit $rc): the models of the orgs named above are missing; rerun to resume"
		sweep_failed=1
	fi
	children=
}

# --- records ---------------------------------------------------------------

# Keep the first record of each id (a page fetched again after a kill, or a
# model listed by two orgs): hf-ledger dedupe. Their number goes to the
# file $1.
dedupe_ids() {	# dedupe_ids COUNT-FILE <RECORDS
	"$hf_ledger" dedupe --count "$1"
}

# records NAME NFILES RAW... CLASSIFY-ARGS...: raw Hub items → classified
# records in $tmp.NAME.records. One stage after the other through files,
# not a pipeline: each stage's exit status is its own, and a stage costs
# one process. The main scan's records are de-duplicated by id (a page
# fetched again after a kill) and counted into $tmp.main.count; the
# sweep's repeats are left to hf-merge, which keeps the first.
records() {
	name=$1
	nfiles=$2
	shift 2
	set +e
	arch_of "$nfiles" "$@" >"$tmp.$name.arch"
	stage_status $? "$name" hf-arch
	recs=$tmp.$name.arch
	if [ "$name" = main ] && [ "$main_fresh" = 1 ]; then
		# one hf-list from the first page: each id once already
		scanned=$(wc -l <"$recs")
		scanned=$((scanned))
	elif [ "$name" = main ]; then
		dedupe_ids "$tmp.main.count" <"$recs" >"$tmp.main.unique"
		stage_status $? "$name" hf-ledger
		recs=$tmp.main.unique
		read -r scanned <"$tmp.main.count"
	fi
	shift "$nfiles"
	# shellcheck disable=SC2086 # empty or one flag
	"$hf_filter_quant" $quant_flag "$recs" >"$tmp.$name.quant"
	stage_status $? "$name" hf-filter-quant
	"$hf_classify" --registry "$registry" "$@" "$tmp.$name.quant" \
	    >"$tmp.$name.records"
	stage_status $? "$name" hf-classify
	set -e
}

stage_status() {	# stage_status STATUS NAME STAGE: 3 is a warning
	case $1 in
	0) ;;
	3) skipped=1 ;;
	*) fail "$2: $3 stage failed (exit $1)" ;;
	esac
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

# The ledger: one line per unsupported model of a main scan, first-seen
# order, a model seen again replaced in place by its newer record
# (hf-ledger update, which replaces it: on disk before it replaces the
# old one). The same pass puts the supported records of NEW-RECORDS (the
# main scan's, classified) in $tmp.supported; records without an
# architecture go to neither. A gaps file the Python tool wrote (no
# ledger beside it) is checked whole and imported in the same step, once:
# a file hf-merge would refuse leaves no ledger behind.
update_ledger() {	# update_ledger NEW-RECORDS
	ledger=$out/scrape_ledger.ndjson
	set -- --supported "$tmp.supported" "$1"
	if [ ! -f "$ledger" ] && [ -f "$out/architecture_gaps.json" ]; then
		run_stage "$hf_ledger" update -l "$ledger" \
		    --import "$out/architecture_gaps.json" \
		    --count "$tmp.imported" "$@"
		read -r n <"$tmp.imported"
		info "imported $n gap entries of $out/architecture_gaps.json into a new ledger (once)"
	else
		run_stage "$hf_ledger" update -l "$ledger" "$@"
	fi
}

# --- summary ---------------------------------------------------------------

# A count near the top of a registry file hf-merge wrote (indent 2), read
# without scanning the whole file.
top_number() {	# top_number KEY FILE: $field
	field=
	_i=0
	while [ "$_i" -lt 64 ] && IFS= read -r _l; do	# the shell reads, no process
		case $_l in
		"  \"$1\": "[0-9]*)
			_l=${_l#*: }
			field=${_l%%[!0-9]*}
			return 0
			;;
		'  "models": '*) break ;;
		esac
		_i=$((_i + 1))
	done <"$2"
	[ "$_i" -lt 64 ] ||
	    field=$(sed -n "/^  \"$1\": /{s/^  \"$1\": \([0-9]*\).*/\1/p;q;}" "$2")
}

summary() {
	[ "$quiet" = 1 ] && return 0
	stamp
	# the header's counts and one line per entry, then the gaps: one awk
	grep -e '^  "total_architectures": ' -e '^  "total_models": ' \
	    -e '^      "architecture_id": "' "$out/supported_models.json" |
	_hf_gaps=$tmp.gaps LC_ALL=C awk -v prog="$PROG" -v ts="$now" \
	    -v scanned="$scanned" -v before="$before" '
	BEGIN { gaps = ENVIRON["_hf_gaps"] }
	function say(s) { printf "%s: %s INFO: %s\n", prog, ts, s }
	function num(line, k,   v) {
		if (!match(line, "\"" k "\":[^,}]*")) return 0
		return substr(line, RSTART + length(k) + 3, RLENGTH - length(k) - 3)
	}
	function commas(n,   s) {
		s = ""
		while (length(n) > 3) { s = "," substr(n, length(n) - 2) s; n = substr(n, 1, length(n) - 3) }
		return n s
	}
	function before_in(i, j) {	# more models first, then byte order
		return cnt[name[i]] > cnt[name[j]] ||
		    (cnt[name[i]] == cnt[name[j]] && name[i] < name[j])
	}
	/^  "total_architectures": / { if (!na++) archs = $2 + 0; next }
	/^  "total_models": / { if (!nm++) models = $2 + 0; next }
	{
		a = substr($0, 27)
		sub(/",?$/, "", a)
		if (!(a in cnt)) name[++n] = a
		cnt[a]++
	}
	END {
		bar = "======================================================================"
		say(bar); say("SCAN SUMMARY"); say(bar)
		say("Total models scanned: " scanned)
		new = models - before
		say("New supported models: " (new > 0 ? new : 0))
		say("")
		say("SUPPORTED ARCHITECTURES (" archs + 0 "):")
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && before_in(j, j - 1); j--) {
				t = name[j]; name[j] = name[j - 1]; name[j - 1] = t
			}
		for (i = 1; i <= n; i++)
			say(sprintf("  %s: %d models", name[i], cnt[name[i]]))
		say("")
		g = 0
		while ((getline line <gaps) > 0) gap[++g] = line
		say("TOP 20 UNSUPPORTED ARCHITECTURES by relevancy (of " g "):")
		more = rest = 0
		for (i = 1; i <= g; i++) {
			if (i > 20) { more++; rest += num(gap[i], "total_models"); continue }
			match(gap[i], /"architecture_id":"[^"]*"/)
			a = substr(gap[i], RSTART + 19, RLENGTH - 20)
			say(sprintf("  %s: score=%.1f, %d models, %s downloads", a,
			    num(gap[i], "relevancy_score"), num(gap[i], "total_models"),
			    commas(num(gap[i], "total_downloads"))))
		}
		if (more) say(sprintf("  ... and %d more architectures (%d models)", more, rest))
		say(bar)
	}' >&2
	info "files: $out/supported_models.json, $out/architecture_gaps.json, $out/verification_history.json, $out/scrape_ledger.ndjson"
}

# --- the scrape ------------------------------------------------------------

# --- the clock ---------------------------------------------------------------
# One date(1) at start; after that, times come from the boot clock in
# /proc/uptime, read by the shell itself: a log line costs no process.
# (Local time keeps the UTC offset of the start. Without /proc/uptime,
# date(1) is asked each time.)

clock_init() {
	# shellcheck disable=SC2046 # three words
	set -- $(date '+%s %N %z')
	epoch0=$1
	case $2 in	# centiseconds past the second, where %N works
	[0-9][0-9]*) epoch0_cs=$(( $1 * 100 + 1${2%???????} - 100 )) ;;
	*) epoch0_cs=$(( $1 * 100 )) ;;
	esac
	tz=${3#[+-]}
	tz=$(( (1${tz%??} - 100) * 3600 + (1${tz#??} - 100) * 60 ))
	case $3 in -*) tz=$((-tz)) ;; esac
	cs0=
	uptime_cs && cs0=$cs
	return 0
}

uptime_cs() {	# cs: centiseconds since boot; false without /proc/uptime
	read -r _up _ </proc/uptime 2>/dev/null || return 1
	cs=$(( ${_up%.*} * 100 + 1${_up#*.} - 100 ))
}

# stamp: $now, the local time, as YYYY-MM-DD HH:MM:SS. These helpers set
# variables rather than print: a command substitution costs a fork.
stamp() {
	if [ -z "${cs0:-}" ] || ! uptime_cs; then
		now=$(date '+%Y-%m-%d %H:%M:%S')
		return 0
	fi
	_t=$(( (epoch0_cs + cs - cs0) / 100 + tz ))
	# days to a civil date (H. Hinnant's algorithm)
	_z=$(( _t / 86400 + 719468 ))
	_era=$(( _z / 146097 ))
	_doe=$(( _z - _era * 146097 ))
	_yoe=$(( (_doe - _doe / 1460 + _doe / 36524 - _doe / 146096) / 365 ))
	_doy=$(( _doe - (365 * _yoe + _yoe / 4 - _yoe / 100) ))
	_mp=$(( (5 * _doy + 2) / 153 ))
	_d=$(( _doy - (153 * _mp + 2) / 5 + 1 ))
	_m=$(( _mp < 10 ? _mp + 3 : _mp - 9 ))
	_y=$(( _yoe + _era * 400 + (_m <= 2) ))
	_t=$(( _t % 86400 ))
	now=$_y-$(( _m / 10 ))$(( _m % 10 ))-$(( _d / 10 ))$(( _d % 10 ))
	_h=$(( _t / 3600 )) _mi=$(( _t % 3600 / 60 )) _s=$(( _t % 60 ))
	now="$now $(( _h / 10 ))$(( _h % 10 )):$(( _mi / 10 ))$(( _mi % 10 )):$(( _s / 10 ))$(( _s % 10 ))"
}

elapsed() {	# $secs: seconds since the start, with $1 (0 or 1) decimals
	if [ -n "${cs0:-}" ] && uptime_cs; then
		cs=$((cs - cs0))
		if [ "$1" = 0 ]; then
			secs=$((cs / 100))
		else
			cs=$(( (cs + 5) / 10 ))
			secs=$((cs / 10)).$((cs % 10))
		fi
		return 0
	fi
	secs=$(awk -v a="$epoch0" -v b="$(date +%s)" -v d="$1" 'BEGIN {
		s = b - a; if (s < 0) s = 0
		if (d == 0) printf "%d\n", s; else printf "%.1f\n", s }')
}

setup() {
	find_stages
	clock_init
	endpoint=${HF_ENDPOINT:-https://huggingface.co}
	while [ "${endpoint%/}" != "$endpoint" ]; do endpoint=${endpoint%/}; done
	[ -d "$out" ] || mkdir -p -- "$out" ||
	    fail "$out: cannot create the output directory"
	case $out in	# absolute, without . or .. or //: as it is
	/*/./* | /*/../* | */. | */.. | *//* | */) out_abs=$(CDPATH='' cd -- "$out" && pwd) ;;
	/*) out_abs=$out ;;
	*) out_abs=$(CDPATH='' cd -- "$out" && pwd) ;;
	esac
	out=$out_abs	# absolute: no path below can look like an option
	children=	# background stages to stop on SIGINT and SIGTERM
	sweep_pid=
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
	rm_glob -r "$out"/.hf-scraper.tmp.* "$out"/.scrape_checkpoint.*
	# this run's temporary files: $tmp.NAME (no directory: no process)
	tmp=$out/.hf-scraper.tmp.$$
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
}

# rm_glob [-r] PATTERN...: remove what the patterns matched, if anything
# (the common case, nothing, costs no process)
rm_glob() {
	_r=
	[ "$1" = -r ] && { _r=-r; shift; }
	for _f do
		[ -e "$_f" ] || [ -L "$_f" ] || continue
		# shellcheck disable=SC2086 # empty or -r
		rm -f $_r -- "$@"
		return
	done
}

# What the awk on PATH offers the progress reader (one process: asked
# only when a main scan runs).
awk_features() {
	# mawk reads a pipe in blocks unless told not to
	awk_unbuffered=
	# awk's now(): strftime where awk has it (mawk 1.3.4, gawk, busybox),
	# else date(1), which costs a process a call
	awk_now='function now() { return strftime("%Y-%m-%d %H:%M:%S") }'
	case $(awk -W version 2>&1 </dev/null) in
	'mawk 1.3.4'*) awk_unbuffered='-W interactive'; return ;;
	mawk*) awk_unbuffered='-W interactive' ;;
	'GNU Awk'*) return ;;
	esac
	awk 'BEGIN { if (strftime("%Y") !~ /^[0-9]+$/) exit 1 }' \
	    </dev/null 2>/dev/null ||
	    awk_now='function now(  t, c) { c = "date \"+%Y-%m-%d %H:%M:%S\""; c | getline t; close(c); return t }'
}

# shellcheck disable=SC2317 # called from the traps
cleanup() {	# on every exit: no stage outlives a failed run
	for p in $children; do
		kill "$p" 2>/dev/null || true
	done
	[ -z "$tmp" ] || rm_glob -r "$tmp".*
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
		if [ "$arch_case" = 1 ] && [ "$force" = 0 ]; then
			log ERROR "--architecture $arch: not a supported architecture; the registry spells it $arch_closest (pass --force to scan for $arch anyway)"
			exit 2
		fi
		if [ "$arch_supported" = 0 ]; then
			warn "$arch is not a supported architecture of the registry (closest: $arch_closest): scanning anyway"
		fi
		if [ -n "$arch_orgs" ]; then
			targeted=1
			info "targeted scrape: $arch has canonical orgs ($arch_orgs); only their sweep runs, no global scan"
			[ "$sweep" = 1 ] && orgs=$arch_orgs
			[ "$sweep" = 1 ] || warn "--no-canonical-sweep with a targeted scrape of $arch: no Hub queries will run; only the gaps are rescored"
			return 0
		fi
		info "$arch has no canonical orgs: global scan, keeping $arch models only (client-side filter)"
	fi
	targeted=0
	[ "$sweep" = 1 ] && orgs=$all_orgs
	return 0
}

# The sweep starts first and lists while the main scan lists and
# is processed: fetching and processing overlap.
scrape() {
	set -f	# org names are words; no globbing
	# shellcheck disable=SC2086
	set -- $orgs
	set +f
	scanned=0
	start_sweep "$@"
	[ "$ck_new" = 0 ] || write_checkpoint
	: >"$tmp.supported"
	: >"$tmp.main.records"
	: >"$tmp.sweep.records"
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
}

sweep_records() {
	[ -n "$sweep_pid" ] || return 0
	raw=$out/scrape_checkpoint.sweep.raw
	[ -f "$raw" ] || : >"$raw"
	set -- "$raw" --canonical-only
	[ "$arch_set" = 1 ] && set -- "$@" --architecture "$arch"
	records sweep 1 "$@"
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
		top_number total_models "$sup"
		before=${field:-0}
	fi
	json_str "$task"
	elapsed 1
	scan_info="{\"total_scanned\":$scanned,\"task_filter\":$js,\"min_downloads\":$min_dl,\"scan_duration_seconds\":$secs}"
	set -- --scan-info "$scan_info"
	[ "$metadata" = 1 ] || set -- "$@" --no-metadata
	ledger=$out/scrape_ledger.ndjson
	# A targeted scrape adds nothing to the ledger, but a gaps file the
	# Python tool wrote is still imported (once), so that it is rescored
	# with the current registry like any other.
	if [ "$targeted" = 0 ] ||
	    { [ ! -f "$ledger" ] && [ -f "$out/architecture_gaps.json" ]; }; then
		update_ledger "$tmp.main.records"	# none when targeted
	fi
	[ -f "$ledger" ] || : >"$ledger"
	if [ -s "$ledger" ]; then
		run_stage "$hf_score" --registry "$registry" "$ledger" >"$tmp.gaps"
	else
		: >"$tmp.gaps"	# nothing to score (a first targeted scrape)
	fi
	run_stage "$hf_merge" supported -o "$out" "$@" "$tmp.supported" \
	    "$tmp.sweep.records"
	if [ -s "$tmp.gaps" ]; then
		run_stage "$hf_merge" gaps -o "$out" --scan-info "$scan_info" \
		    "$tmp.gaps"
	else
		warn "no unsupported architectures: architecture_gaps.json left as it is"
	fi
}

# --- the report (--report FILE) -------------------------------------------

# The registry files as they are before the merge, in $tmp.before/:
# hard links (hf-merge replaces a file by renaming a new one over it),
# else copies.
report_keep() {
	[ -n "$report" ] || return 0
	mkdir -- "$tmp.before"
	for _f in supported_models.json architecture_gaps.json; do
		[ -f "$out/$_f" ] || continue
		ln -- "$out/$_f" "$tmp.before/$_f" 2>/dev/null ||
		    cp -p -- "$out/$_f" "$tmp.before/$_f"
	done
}

# After a successful merge: hf-diff --markdown of before -> after into
# FILE through a temporary file beside it, renamed over FILE; hf-diff's
# one-line summary in the log, as it is.
report_write() {
	[ -n "$report" ] || return 0
	case $report in
	/*/*|[!/]*/*) _d=${report%/*} ;;
	/*) _d=/ ;;
	*) _d=. ;;
	esac
	_t=$_d/.${report##*/}.tmp.$$
	if ! "$hf_diff" --markdown "$tmp.before" "$out" >"$_t" ||
	    ! _s=$("$hf_diff" --summary "$tmp.before" "$out"); then
		rm -f -- "$_t"
		fail "hf-diff failed: $report not written"
	fi
	mv -f -- "$_t" "$report" ||
	    { rm -f -- "$_t"; fail "$report: cannot be written"; }
	rm -rf -- "$tmp.before"
	info "report: $report ($_s)"
}

main() {
	parse_args "$@"
	setup
	resolve_registry
	plan
	open_checkpoint
	scrape
	report_keep
	merge
	if [ "$sweep_failed" = 1 ]; then
		summary
		fail "some canonical orgs failed: files written with what was found; the checkpoint is kept"
	fi
	summary
	report_write
	# the checkpoint and this run's temporaries, in one process
	rm -f -- "$ck" "$out"/scrape_checkpoint.* "$tmp".*
	tmp=
	[ "$skipped" = 0 ] || { warn "some Hub items were malformed and skipped (see above)"; exit 3; }
	exit 0
}

main "$@"
