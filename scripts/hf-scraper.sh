#!/bin/sh
# hf-scraper: compose the hf-* programs into the TransformerLens registry
# scrape, with the Python reference's flags and defaults. The programs
# compute; this script plans, runs them, checks their statuses and logs
# the figures they declare. It parses no JSON. Files: hf-scraper(1).
# shellcheck disable=SC2086,SC2094,SC2119,SC2120,SC2317 # $qflag, pipes, sweep, traps
set -eu

VERSION='@VERSION@'
PROG=hf-scraper
TL_INIT=transformer_lens/tools/model_registry/__init__.py
TL_DATA=transformer_lens/tools/model_registry/data

usage() {
	cat <<-EOF
	usage: hf-scraper [--force] [--full-scan] [--keep-loadable-quant]
	                  [--no-canonical-sweep] [--no-metadata] [--offline]
	                  [--quiet] [--architecture arch]
	                  [--checkpoint-interval n] [--jobs n] [--limit n]
	                  [--min-downloads n] [-o dir] [--registry file]
	                  [--report file] [--task task ...] [--timeout seconds]
	       hf-scraper --help | --version

	Scrape the Hugging Face Hub for the TransformerLens model registry.

	  --architecture ARCH       only models whose config.architectures[0] is ARCH
	  --full-scan               scan every model matching --task (no --limit)
	  --limit N                 scan at most N models not yet in
	                            supported_models.json (default 10000)
	  --task TASK               Hub tag filter (default text-generation);
	                            repeat it to scan several tasks in one run
	  -o, --output DIR          where the JSON files go (default: the data/
	                            directory of the TransformerLens checkout)
	  --min-downloads N         stop the main scan below N downloads (default 500)
	  --checkpoint-interval N   checkpoint at least every N models (default 5000)
	  --no-canonical-sweep      skip the sweep of canonical orgs
	  --keep-loadable-quant     keep AWQ, GPTQ, bnb, HQQ, int/bit forms
	  --jobs N                  lanes of orgs swept in parallel (default 4)
	  --offline                 no Hub request: reclassify the ledger with the
	                            current registry (also HF_HUB_OFFLINE=1)
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

	    # After adding an adapter: its models out of the gaps, no request;
	    # then the models of its canonical orgs
	    hf-scraper --offline
	    hf-scraper --architecture Qwen3ForCausalLM
	EOF
}

# A log line never fails the run (stderr may be on a full disk).
log() {	# log LEVEL message...
	[ "$quiet" = 0 ] || [ "$1" != INFO ] || return 0
	stamp
	printf '%s: %s %s: %s\n' "$PROG" "$log_time" "$@" >&2 2>/dev/null || :
}

# $log_time: date(1), a process, once a second: the clock of now() says
# when the second it printed is over (a centisecond early, to be safe).
stamp() {
	now
	[ "$cs" -ge "${stamp_end:-0}" ] || return 0
	_d=$(date '+%F %T 1%N')
	log_time=${_d% *} stamp_end=$((cs + (2000000000 - ${_d##* }) / 10000000 - 2))
}

now() {	# $cs: centiseconds since boot (/proc/uptime), else since 1970
	{ read -r cs _ </proc/uptime && cs=${cs%.*}${cs#*.}; } 2>/dev/null ||
	    { cs=$(date +%s%N) && cs=${cs%???????}; }
	cs=${cs#"${cs%%[!0]*}"} && : "${cs:=0}"
}
info() { log INFO "$*"; }
warn() { log WARNING "$*"; }
fail() { log ERROR "$*"; exit 1; }
die_usage() {
	printf '%s: %s\nusage: hf-scraper [options]; see hf-scraper --help\n' \
	    "$PROG" "$1" >&2 || :
	exit 2
}

parse_args() {
	arch='' limit=10000 tasks='' out='' min_dl=500
	interval=5000 sweep=1 quant=drop-all jobs=4 registry='' force=0
	metadata=1 quiet=0 timeout=120 report='' offline=0 full=0
	case ${HF_HUB_OFFLINE-} in 1|[Tt][Rr][Uu][Ee]|[Yy][Ee][Ss]|[Oo][Nn]) offline=1 ;; esac
	while [ $# -gt 0 ]; do
		case $1 in	# --flag=value as --flag value
		--*=*) _f=${1%%=*} _v=${1#*=}; shift; set -- "$_f" "$_v" "$@" ;;
		esac
		_n=1
		case $1 in
		--architecture|--checkpoint-interval|--jobs|--limit|--min-downloads|-o|--output|--registry|--report|--task|--timeout)
			[ $# -ge 2 ] || die_usage "$1 needs a value"
			_n=2 ;;
		esac
		case $1 in
		--architecture) plain "$1" "$2"; arch=$2 ;;	# never empty
		--checkpoint-interval) number "$1" "$2" 1; interval=$num ;;
		--jobs) number "$1" "$2" 1 64; jobs=$num ;;	# hf-list's most
		--limit) number "$1" "$2" 1; limit=$num ;;
		--min-downloads) number "$1" "$2" 0; min_dl=$num ;;
		-o|--output) out=$2 ;;
		--registry) registry=$2 ;;
		--report) report=$2 ;;
		--task) plain "$1" "$2" utf8
			case $2 in *,*) die_usage "$1: a comma in a task: $2" ;; esac
			case ,$tasks, in *,"$2",*) ;; *) tasks=${tasks:+$tasks,}$2 ;; esac ;;
		--timeout) number "$1" "$2" 1 86400; timeout=$num ;;
		--force) force=1 ;;
		--full-scan) full=1 ;;
		-h|--help) usage; exit 0 ;;
		--keep-loadable-quant) quant=keep-loadable ;;
		--no-canonical-sweep) sweep=0 ;;
		--no-metadata) metadata=0 ;;
		--offline) offline=1 ;;
		--quiet) quiet=1 ;;
		--version) printf '%s %s\n' "$PROG" "$VERSION"; exit 0 ;;
		*) die_usage "unknown option: $1" ;;
		esac
		shift "$_n"
	done
	: "${tasks:=text-generation}"
	[ "$full" = 0 ] || limit=0
	case $report in */) die_usage "--report: a file, not a directory: $report" ;; esac
}

number() {	# number FLAG VALUE MIN [MAX]: $num, a decimal integer in range
	case $2 in ''|*[!0-9]*) die_usage "$1: not a number: $2" ;; esac
	[ "${#2}" -le 15 ] || die_usage "$1: too large: $2"
	num=${2#"${2%%[!0]*}"}	# no leading zeros (not octal anywhere)
	: "${num:=0}"
	[ "$num" -ge "$3" ] || die_usage "$1: must be at least $3: $2"
	[ "$num" -le "${4:-$num}" ] || die_usage "$1: at most $4: $2"
}

plain() {	# plain WHAT VALUE [utf8]: a value the checkpoint holds
	case $2 in
	'') die_usage "$1: empty value" ;;
	*[[:cntrl:]]*) die_usage "$1: a control character: $2" ;;
	esac	# a task goes into the files' JSON too: UTF-8 (iconv checks it)
	[ -z "${3-}" ] || printf %s "$2" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1 || die_usage "$1: not UTF-8: $2"
}

# $js: $1 as a JSON string, for the checkpoint (the one JSON written
# here), whose values are plain: only " and \ take a backslash.
json_str() {
	_s=$1 js=''
	while :; do
		case $_s in
		*[\"\\]*)	# before the first " or \, it, and the rest
			_h=${_s%%[\"\\]*}
			_r=${_s#"$_h"}
			js=$js$_h\\${_r%"${_r#?}"} _s=${_r#?} ;;
		*) js=\"$js$_s\"; return ;;
		esac
	done
}

# $checkout: the root of the TransformerLens checkout holding the current
# directory, or empty. The programs: beside this script first, else PATH.
find_things() {
	checkout=$PWD
	while [ ! -f "$checkout/$TL_INIT" ]; do
		[ -n "$checkout" ] || break
		checkout=${checkout%/*}
	done
	if [ -f "$checkout/$TL_INIT" ]; then : "${checkout:=/}"; else checkout=''; fi
	case $0 in */*) here=${0%/*} ;; *) here=. ;; esac
	case $here in '') here=/ ;; /*) ;; *) here=$PWD/$here ;; esac
	PATH=$here:$PATH
	for _p in hf-list hf-arch hf-filter-quant hf-classify hf-score \
	    hf-merge hf-registry hf-ledger ${report:+hf-diff}; do
		command -v "$_p" >/dev/null 2>&1 ||
		    fail "$_p: not found beside $0 nor on PATH"
	done
}

# The registry: --registry, else a checkout's __init__.py (read with ast),
# else the stages' default (hf-registry path); every stage gets that file.
resolve_registry() {
	reg_src='' reg_archs=0 arch_check='' arch_orgs='' all_orgs=''
	if [ -z "$registry" ] && [ -n "$checkout" ]; then
		command -v python3 >/dev/null 2>&1 ||
		    fail "$checkout/$TL_INIT: python3 is needed to read it"
		_r=$here/tl-registry.py
		[ -f "$_r" ] || _r=$here/../share/hf-scraper/tl-registry.py
		python3 "$_r" "$checkout/$TL_INIT" >"$tmp/registry.json" ||
		    fail "$checkout/$TL_INIT: cannot read the registry (see above)"
		registry=$tmp/registry.json reg_src=$checkout/$TL_INIT
	fi
	set -- plan ${arch:+-- "$arch"}
	[ -z "$registry" ] || set -- --registry "$registry" "$@"
	hf-registry "$@" >"$tmp/plan" ||
	    fail "${registry:-the default registry}: cannot read the registry"
	_b=''	# org names are words: one holding white space is refused
	while IFS= read -r _l; do	# "KEY ANSWER" lines, hf-registry(1)
		_v=${_l#* }
		case ${_l%% *}:$_v in
		*org:*[[:blank:]]*) _b=$_b${_l%% *} ;;
		path:*) registry=$_v ;;
		count:*) reg_archs=$_v ;;
		org:*) all_orgs="$all_orgs $_v" ;;
		arch_org:*) arch_orgs="$arch_orgs $_v" ;;
		check:*) arch_check=$_v ;;
		esac
	done <"$tmp/plan"
	arch_orgs=${arch_orgs# }
	case $_b:$sweep$offline in *arch_org*|org*:10)
		fail "$registry: white space in a canonical org's name" ;;
	esac
	[ "$reg_archs" -gt 0 ] ||
	    fail "$registry: no supported_architectures in the registry"
	info "registry: ${reg_src:-$registry} ($reg_archs supported architectures)"
}

identity() {	# the scan's identity, one key a line
	_a=null _c=false
	[ -z "$arch" ] || { json_str "$arch"; _a=$js; }
	[ "$sweep" = 0 ] || _c=true
	json_str "$endpoint"; _e=$js
	json_str "$tasks"; _t=$js
	json_str "$out"
	printf '{\n  "hf_scraper_checkpoint": 2,\n  "endpoint": %s,\n  "task": %s,\n  "limit": %s,\n  "min_downloads": %s,\n  "architecture": %s,\n  "canonical_sweep": %s,\n  "quantisation": "%s",\n  "output": %s\n}\n' \
	    "$_e" "$_t" "$limit" "$min_dl" "$_a" "$_c" "$quant" "$js"
}

# Resume the checkpoint of the same scan; refuse another's (naming each
# line that differs) unless --force. It is this script's own text.
open_checkpoint() {
	ck=$out/scrape_checkpoint.json ck_new=1 _first='' _second=''
	identity >"$tmp/identity"
	[ ! -f "$ck" ] || { IFS= read -r _first; IFS= read -r _second; } <"$ck" || :
	# none, or ours cut short by a kill (the Python tool's is one line)
	if [ ! -s "$ck" ] || { [ "$_first" = "{" ] &&
	    [ "$(tail -n 1 "$ck")" != "}" ]; }; then
		rm_glob "$out"/scrape_checkpoint.*
	elif cmp -s "$ck" "$tmp/identity"; then
		ck_new=0
		info "resuming the checkpoint in $ck"
	elif [ "$force" = 1 ]; then
		warn "--force: discarding the checkpoint of another scan in $ck"
		rm -f -- "$out"/scrape_checkpoint.*
	elif [ "$_second" != '  "hf_scraper_checkpoint": 2,' ]; then
		fail "$ck: not a checkpoint of this hf-scraper (the Python hf_scraper, or an older hf-scraper, writes one of this name): pass --force to discard it"
	else
		exec 7<"$tmp/identity"
		while IFS= read -r _old; do
			IFS= read -r _new <&7 || _new=
			_old=${_old%,} _new=${_new%,}
			[ "$_old" = "$_new" ] ||
			    log ERROR "checkpoint differs: ${_old#  } (this run: ${_new#*: })"
		done <"$ck"
		fail "$ck belongs to another scan: rerun with its arguments, or pass --force to discard it"
	fi
}

drop_empty_checkpoint() {	# a run that stored no page leaves none
	[ "$ck_new" = 1 ] || return 0
	for _f in "$out"/scrape_checkpoint.*.state; do [ ! -e "$_f" ] || return 0; done
	rm_glob "$out"/scrape_checkpoint.*
}

ck_note() {	# what a failure message adds when a checkpoint stays
	[ -z "$ck" ] || [ ! -f "$ck" ] || printf '; the checkpoint is kept: rerun to resume'
}

# hf_list ARGS...: hf-list with the token (no other program sees it),
# stopping when this shell dies (no trap runs on SIGKILL).
hf_list() {
	[ -z "${token+set}" ] || export HF_TOKEN="$token"
	HF_LIST_DIE_WITH_PARENT=1 exec hf-list "$@"
}

# A pipeline: first, middle..., last, through fifos p1, p2... (fd 6 writes
# what fd 5 reads), which Linux opens read-write without waiting. Each program
# gets its ends alone; no subshell stands between this script and its status.
# The stages after the first yield the CPU to it (nice): only a listing waits.
fifo() { _n=$((_n + 1)); exec 4<>"$tmp/p$_n" 5<"$tmp/p$_n" 6>"$tmp/p$_n" 4>&-; }
first() { _n=0; fifo; "$@" >&6 5<&- 6>&- & spawned "$1"; exec 6>&-; }
middle() { exec 7<&5; fifo; nice -n 10 "$@" <&7 >&6 5<&- 6>&- 7<&- & spawned "$1"; exec 6>&- 7<&-; }
last() { nice -n 10 "$@" <&5 5<&- & spawned "$1"; exec 5<&-; }
spawned() { stages="$! $1 $stages" children="$children $!"; }

# reap: wait for the stages, the last first; $bad: "PROGRAM STATUS" of the last
# that failed (3, input skipped: a warning), else empty; failed LABEL fails.
reap() {
	exec 5<&- 6>&- 7<&-
	set -- $stages
	stages='' bad=''
	while [ $# -gt 1 ]; do
		wait "$1" && _rc=0 || _rc=$?
		case $_rc in 0) ;; 3) skipped=1 ;; *) : "${bad:=$2 $_rc}" ;; esac
		shift 2
	done
	children=$sweep_pid listers=$sweep_pid	# not before: interrupted kills them
}
failed() { [ -z "$bad" ] || fail "$1: ${bad% *} failed (exit ${bad#* })$(ck_note)"; }

run() { "$@" && _rc=0 || _rc=$?; status "$1"; }	# run PROGRAM ARGS...
status() {	# status PROGRAM: $_rc, its exit; 3 (done, input skipped) a warning
	case $_rc in 0) ;; 3) skipped=1 ;; *) fail "$1 failed (exit $_rc)$(ck_note)" ;; esac
}

# main_scan I TASK LABEL: hf-list | hf-arch | hf-ledger append, which stores
# each page's records, then hf-list's state: a kill resumes at the first
# page not stored. The first lists the sweep too, beside (hf-list's +).
# The ledger's stages follow (stream), else run once all tasks are listed.
main_scan() {
	_ck=$out/scrape_checkpoint.task$1 _name=task$1 _label=$3 _task=$2 _l=hf_list
	_p=--progress; [ "$quiet" = 0 ] || _p=--no-progress	# on a terminal a line redrawn, else each 1,000 models
	set -- --label "$_label" "$_p" --progress-every 1000 --filter "$2" \
	    --sort downloads --min-downloads "$min_dl" --page-size "$page_size" \
	    --timeout "$timeout" --state "$_ck.state" --state-marks --stats 3
	[ "$limit" = 0 ] || set -- "$@" --limit "$limit"
	[ ! -s "$tmp/registered" ] || set -- "$@" --skip-ids "$tmp/registered"
	[ "$beside" != 1 ] || { _l=sweep beside=2; set -- "$@" +; }
	first "$_l" "$@" 3>"$tmp/$_name.list"; listers="$listers $!"
	middle hf-arch --label "$_label" $qflag
	set -- --state "$_ck.state" "$_ck.records"
	if [ "$stream" = 1 ]; then middle hf-ledger append --tee "$@"; update_ledger
	else last hf-ledger append "$@"; fi
	reap
	list_listed=0 list_registered=0 list_hub_items=0 list_complete=0 _w=''
	stats "$tmp/$_name.list" list_
	case $bad:$list_complete in
	sweep*:1) sweep_rc=${bad#* } bad='' ;;	# the sweep failed, not this
	hf_list*|sweep*) drop_empty_checkpoint
		fail "$_label failed (hf-list exit ${bad#* }); nothing written$(ck_note)" ;;
	esac
	failed "$_label"
	[ "$stream" = 0 ] || mv -f -- "$out/scrape_checkpoint.ledger" "$ledger" || fail "$ledger: not replaced"
	[ "$list_listed" != 0 ] || [ "$list_hub_items" != 0 ] ||
	    [ -s "$_ck.records" ] ||
	    warn "--task $_task: the Hub has no model with this tag; is it misspelt?"
	scanned=$((scanned + list_listed)) skipped_ids=$((skipped_ids + list_registered))
	[ "$list_registered" = 0 ] || _w=" ($list_registered already in supported_models.json skipped)"
	info "$_label listed $list_listed models$_w"
}

# stats FILE PREFIX: each "NAME NUMBER" line of a program's --stats as
# the variable PREFIXNAME (their names are declared in its man page)
stats() {
	while read -r _k _v _; do
		case $_k:$_v in
		*[!a-z_:0-9]*|:*|*:) ;;
		*) eval "$2$_k=\$_v" ;;
		esac
	done <"$1"
}

# The sweep: hf-list --jobs N --author ORG..., beside the first main scan
# in its hf-list, else alone; its raw pages (a small listing) are its
# checkpoint, made records at its end.
start_sweep() {	# start_sweep ORG...
	sweep_pid='' sweep_rc=0 beside=0 authors=''
	[ $# -gt 0 ] || return 0
	sweep_jobs=$jobs && [ "$jobs" -le $# ] || sweep_jobs=$#
	info "canonical sweep: $# orgs in $sweep_jobs lanes"
	for _o do authors="$authors --author $_o"; done	# org names are words
	_raw=$out/scrape_checkpoint.sweep.raw
	[ ! -s "$_raw" ] || {	# a kill can leave half a line: only whole ones
		head -n "$(wc -l <"$_raw")" "$_raw" >"$tmp/raw" && cat "$tmp/raw" >"$_raw"; }
	[ "$targeted" = 1 ] || { beside=1; return 0; }
	sweep & sweep_pid=$! children=$! listers=$!
}

sweep() {	# sweep [MAIN-LISTING-OPTIONS +]: the sweep's hf-list
	set -f
	hf_list "$@" --label "canonical sweep" --no-progress --page-size "$page_size" \
	    --timeout "$timeout" --state "$out/scrape_checkpoint.sweep.state" \
	    --output "$out/scrape_checkpoint.sweep.raw" --jobs "$sweep_jobs" $authors
}

finish_sweep() {
	sweep_failed=0 _rc=$sweep_rc
	[ -n "$sweep_pid" ] || [ "$beside" = 2 ] || return 0
	[ -z "$sweep_pid" ] || { wait "$sweep_pid" || _rc=$?; sweep_pid='' children='' listers=''; }
	case $_rc in 0) ;; 3) skipped=1 ;; *) sweep_failed=1
		warn "canonical sweep failed (hf-list exit $_rc): the models of the orgs named above are missing; rerun to resume" ;;
	esac
	set -- --label "canonical sweep" $qflag
	first hf-arch "$@" "$out/scrape_checkpoint.sweep.raw"
	middle hf-filter-quant "$@" $quant_flag -- -
	last hf-classify "$@" --registry "$registry" --canonical-only \
	    ${arch:+--architecture "$arch"} >"$tmp/sweep.records"
	reap && failed "canonical sweep"
}

# Which path: targeted (ARCH with canonical orgs: only their sweep), or the
# main scans (with ARCH: filtered client-side), then the sweep.
plan() {
	orgs='' targeted=0
	[ "$sweep" = 0 ] || orgs=$all_orgs
	[ -n "$arch" ] || return 0
	case $arch_check in
	supported) ;;
	'case '*) [ "$force" = 1 ] || {
		log ERROR "--architecture $arch: not a supported architecture; the registry spells it ${arch_check#case } (pass --force to scan for $arch anyway)"
		exit 2; } ;;
	esac
	[ "$arch_check" = supported ] ||
	    warn "$arch is not a supported architecture of the registry (closest: ${arch_check#* }): scanning anyway"
	[ "$offline" = 0 ] || return 0
	if [ -z "$arch_orgs" ]; then
		info "$arch has no canonical orgs: global scan, keeping $arch models only (client-side filter)"
		return 0
	fi
	targeted=1 orgs=''
	info "targeted scrape: $arch has canonical orgs ($arch_orgs); only their sweep runs, no global scan"
	[ "$sweep" = 0 ] || { orgs=$arch_orgs; return 0; }
	warn "--no-canonical-sweep with a targeted scrape of $arch: no Hub queries will run; only the gaps are rescored"
}

scrape() {
	[ "$ck_new" = 0 ] || identity >"$ck"
	set -f
	start_sweep $orgs	# org names are words
	set +f
	set --
	if [ "$targeted" = 0 ]; then	# one task, new: its ledger update streams
		case $tasks in *,*) ;; *) [ -s "$out/scrape_checkpoint.task1.records" ] || stream=1 ;; esac
		_w="every model tagged $tasks"
		[ "$limit" = 0 ] || _w="the $limit most downloaded models not in supported_models.json, tagged $tasks,"
		info "main scan: $_w with at least $min_dl downloads"
		[ "$limit" = 0 ] || [ ! -f "$out/supported_models.json" ] ||	# N new
		    run hf-merge ids -o "$out" >"$tmp/registered"
		_i=0 _ifs=$IFS IFS=,
		for _t in $tasks; do
			IFS=$_ifs _i=$((_i + 1)) _l="main scan"
			[ "$tasks" = "$_t" ] || _l="main scan ($_t)"
			main_scan "$_i" "$_t" "$_l"
			set -- "$@" "$out/scrape_checkpoint.task$_i.records"
		done
		IFS=$_ifs
	fi
	finish_sweep
	[ $# -lt 2 ] || count_distinct "$@"
	# a targeted scrape still imports a gaps file the Python tool wrote
	[ "$targeted" = 0 ] || [ -f "$ledger" ] || set -- /dev/null
	[ "$stream" = 1 ] || [ $# = 0 ] || update_ledger "$@"
}

# Several tasks: a model listed by two is counted once (its hf-arch record
# is in both tasks' files; hf-ledger dedupe counts the distinct ones).
count_distinct() {
	run hf-ledger dedupe --count "$tmp/distinct" "$@" >/dev/null
	read -r _d <"$tmp/distinct"
	for _f do _d=$((_d - $(wc -l <"$_f"))); done
	scanned=$((scanned + _d))
}

# The ledger: the main scans' unsupported models (one seen again replaced);
# supported records to hf-merge (fd 8). The first update imports a gaps file
# of the Python tool. Streamed (no RECORD-FILES: main_scan's stages before),
# the new ledger is a checkpoint file until the scan has succeeded.
update_ledger() {	# update_ledger [RECORD-FILES...]
	_g=$out/architecture_gaps.json _to=$ledger
	[ -f "$_g" ] || _g=''
	set -- hf-filter-quant --label "main scan" $qflag $quant_flag -- "$@"
	if [ "$stream" = 1 ]; then _to=$out/scrape_checkpoint.ledger; middle "$@"; else first "$@"; fi
	middle hf-classify --label "main scan" $qflag --registry "$registry" \
	    ${arch:+--architecture "$arch"}
	last hf-ledger update --no-lock $qflag -l "$ledger" -o "$_to" \
	    --supported - ${_g:+--import "$_g"} - >&8
	[ "$stream" = 1 ] || { reap && failed "main scan"; }
}

# --offline: newly supported models move from the ledger to the registry.
# A copy is reclassified and scored first; the ledger lets them go after
# the merge, so a run killed in between only moves them again.
reclassify() {
	info "offline: no Hub request; reclassifying $ledger with the current registry"
	targeted=1
	[ -f "$ledger" ] || update_ledger /dev/null
	[ -f "$ledger" ] || { warn "no ledger and no gaps file in $out: nothing to reclassify; run a scan first"
		return 0; }
	cp -- "$ledger" "$tmp/ledger"
	reclassify_ledger "$tmp/ledger" - >&8
	scored=$tmp/ledger
	while read -r _k _a _n; do
		case $_k in
		moved) info "offline: $_a is supported now: $_n models move to supported_models.json" ;;
		dropped) warn "offline: $_a is supported now, but its $_n models came from a gaps file without their names: hf-scraper --architecture $_a adds them" ;;
		esac
	done <"$tmp/reclassify"
}

reclassify_ledger() {	# reclassify_ledger LEDGER SUPPORTED-FILE
	run hf-ledger reclassify --no-lock --registry "$registry" -l "$1" \
	    --supported "$2" ${arch:+--architecture "$arch"} --stats 3 3>"$tmp/reclassify"
}

# hf-merge supported runs from the start: fed on fd 8 until merge closes it.
merge_start() {
	exec 4<>"$tmp/m" 8>"$tmp/m" 4>&-
	set -- --keep-scan-info
	[ "$offline" = 1 ] || set -- --task "$tasks" --min-downloads "$min_dl" --scan-from "$tmp/scan"
	[ "$quiet" = 1 ] || set -- "$@" --summary 4	# its lines, for summary
	nice -n 10 hf-merge supported -o "$out" --no-lock $qflag $mflag "$@" --stats 3 - \
	    "$tmp/sweep.records" <"$tmp/m" 8>&- 3>"$tmp/supported.stats" 4>"$tmp/supported.summary" &
	merging=$!
}

merge() {	# the gaps scored while the supported models merge
	for _f in gaps gaps.stats gaps.summary; do : >"$tmp/$_f"; done
	set -- --keep-scan-info
	if [ "$offline" = 0 ]; then
		elapsed; printf '%s %s\n' "$scanned" "$secs" >"$tmp/scan" || fail "$tmp: cannot be written"
		set -- --scanned "$scanned" --task "$tasks" --min-downloads "$min_dl" --duration "$secs"
	fi
	exec 8>&- && fed=1	# hf-merge has its input: an interrupt waits for it
	[ ! -s "$scored" ] || { hf-score --registry "$registry" $qflag \
	    "$scored" >"$tmp/gaps" & spawned hf-score; }
	wait "$merging" && _rc=0 || _rc=$?; merging=''; status hf-merge
	[ "$quiet" = 1 ] || set -- "$@" --summary 4	# its lines, for summary
	reap && failed "scoring the gaps"
	if [ -s "$tmp/gaps" ]; then
		run hf-merge gaps -o "$out" --no-lock $qflag "$@" --stats 3 \
		    "$tmp/gaps" 3>"$tmp/gaps.stats" 4>"$tmp/gaps.summary"
	else
		warn "no unsupported architectures: architecture_gaps.json left as it is"
	fi
}

# $secs: seconds since the start, one decimal
elapsed() { now && _t=$(((cs - cs0 + 5) / 10)) && secs=$((_t / 10)).$((_t % 10)); }

# The reference's summary and what the sweep added, from hf-merge's figures.
summary() {
	[ "$quiet" = 0 ] || return 0
	elapsed
	_sweep=0 _w='' sup_new_models=0 sup_total_models=0
	stats "$tmp/supported.stats" sup_
	stats "$tmp/gaps.stats" gaps_
	while read -r _k _n _f; do	# "new_from N FILE", "written FILE"
		[ "$_k $_f" != "new_from $tmp/sweep.records" ] || _sweep=$_n
		[ "$_k" != written ] || _w="$_w, $out/$_n"
	done <"$tmp/supported.stats"
	[ ! -s "$tmp/gaps.stats" ] || _w="$_w, $out/architecture_gaps.json"
	[ "$targeted" = 1 ] || _w="$_w, $ledger"
	_bar='======================================================================'
	printf '%s\n' "$_bar" "SCAN SUMMARY" "$_bar" "Scan complete in ${secs}s" \
	    "Total models scanned: $scanned" \
	    "Existing models skipped: $skipped_ids" \
	    "New supported models: $sup_new_models (canonical sweep added $_sweep)" \
	    "Total supported models: $sup_total_models" \
	    "Unsupported architectures found: ${gaps_total_architectures:-0}" \
	    "" >"$tmp/summary"
	set -- "$tmp/supported.summary" "$tmp/gaps.summary"	# hf-merge's parts
	if [ -s "$tmp/gaps.summary" ]; then echo >>"$1"; else	# or the files'
		run hf-merge summary -o "$out" >"$1"; fi
	printf '%s\n' "$_bar" "files written: ${_w#, }" >"$tmp/tail"
	for _f in "$tmp/summary" "$@" "$tmp/tail"; do
		while IFS= read -r _l; do info "$_l"; done <"$_f"
	done
}

# The registry files before the merge, in $tmp/before/, for --report.
report_keep() {
	[ -n "$report" ] || return 0
	mkdir -- "$tmp/before"
	for _f in supported_models.json architecture_gaps.json; do
		[ ! -f "$out/$_f" ] || cp -p -- "$out/$_f" "$tmp/before/$_f"
	done
}

# hf-diff --markdown before -> after into FILE; its --summary in the log.
report_write() {
	[ -n "$report" ] || return 0
	_t=$report.tmp.$$
	if ! hf-diff --markdown "$tmp/before" "$out" >"$_t" ||
	    ! _s=$(hf-diff --summary "$tmp/before" "$out") ||
	    ! mv -f -- "$_t" "$report"; then
		rm -f -- "$_t"
		fail "hf-diff failed, or $report cannot be written: not written"
	fi
	info "report: $report ($_s)"
}

setup() {
	{ : >&2; } 2>/dev/null || exec 2>/dev/null	# a closed stderr
	unset token	# the token goes to hf-list alone (hf_list)
	[ -z "${HF_TOKEN+set}" ] || { token=$HF_TOKEN; unset HF_TOKEN; }
	find_things
	if [ -z "$out" ]; then
		[ -n "$checkout" ] || die_usage "not in a TransformerLens checkout ($TL_INIT not found here or above): pass -o DIR"
		out=$checkout/$TL_DATA
	fi
	now
	cs0=$cs endpoint=${HF_ENDPOINT:-https://huggingface.co}
	plain HF_ENDPOINT "$endpoint"
	plain "output directory" "$out"
	[ -d "$out" ] || mkdir -p -- "$out" 2>/dev/null ||
	    fail "$out: cannot create the output directory"
	case $out in [!/]*|*/.*|*//*|*/) out=$(CDPATH='' cd -- "$out" && pwd) ||	# else as pwd says it
		fail "$out: cannot enter the output directory" ;; esac
	children='' stages='' sweep_pid='' tmp='' ck='' ck_new=0 skipped=0 scanned=0 stream=0 merging='' fed='' listers=''
	skipped_ids=0 ledger=$out/scrape_ledger.ndjson scored=$out/scrape_ledger.ndjson
	trap 'interrupted 130' INT; trap 'interrupted 143' TERM
	trap cleanup EXIT
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/hf-scraper.$$.XXXXXX" 2>/dev/null) ||
	    fail "cannot make a temporary directory in ${TMPDIR:-/tmp}"
	mkfifo -- "$tmp/p1" "$tmp/p2" "$tmp/p3" "$tmp/p4" "$tmp/p5" "$tmp/m" || fail "$tmp: cannot make fifos"
	: >"$tmp/sweep.records"
	lock
	info "Hub: $endpoint${HF_ENDPOINT:+ (HF_ENDPOINT)}"
	quant_flag='' qflag='' mflag=''
	[ "$quiet" = 0 ] || qflag=--quiet
	[ "$metadata" = 1 ] || mflag=--no-metadata
	_q="every quantized format (GGUF, MLX, FP8, NVFP4, MXFP4, AWQ, GPTQ, bnb, HQQ, int/bit, w4a16/w8a8), unlike the reference, which admits AWQ, GPTQ, bnb and HQQ; --keep-loadable-quant keeps those"
	[ "$quant" = drop-all ] || quant_flag=--keep-loadable _q="GGUF, MLX, FP8, NVFP4, MXFP4; keeping formats transformers loads (AWQ, GPTQ, bnb, HQQ, int/bit, w4a16/w8a8)"
	info "quantisation: dropping $_q"
	page_size=$interval
	[ "$page_size" -le 1000 ] || page_size=1000
}

# One run per DIR: a lock on DIR itself, inherited by the stages (a run
# killed alone leaves orphans that drain). Under it, what killed runs left
# goes (temporaries, older versions' locks); then DIR must be writable.
lock() {
	exec 9<"$out"
	flock -n 9 || {
		warn "$out: another hf-scraper run (or its stages) is using this directory; waiting"
		flock 9; }
	rm_glob "$out"/.scrape_checkpoint.* "$out"/.scrape_ledger.ndjson.* \
	    "$out"/.hf-scraper.lock "$out"/.hf-merge.lock "$out"/.hf-scraper.tmp.* \
	    "$out"/.hf-scraper.probe.*
	for _d in "${TMPDIR:-/tmp}"/hf-scraper.*.*; do
		_p=${_d##*/hf-scraper.} && _p=${_p%%.*}
		case $_p in ''|*[!0-9]*) continue ;; esac
		[ ! -O "$_d" ] || kill -0 "$_p" 2>/dev/null || rm -rf -- "$_d"
	done
	{ [ -w "$out" ] && [ -x "$out" ]; } || fail "$out: the output directory cannot be written"
}

rm_glob() {	# rm_glob PATTERN...: no process when nothing matched
	for _f do [ -e "$_f" ] || [ -L "$_f" ] || continue; rm -rf -- "$@"; return; done
}

cleanup() {	# on every exit: no stage outlives a failed run
	for _p in $children $merging; do kill "$_p" 2>/dev/null || :; done
	set -- "$out/scrape_checkpoint.ledger"	# a failed scan's new ledger
	[ "${finished:-0}" = 0 ] || set -- "$out"/scrape_checkpoint.*
	[ -z "$tmp" ] || set -- "$@" "$tmp"
	rm -rf -- "$@"
}

interrupted() {	# the listings stop; the stages store what was listed
	trap '' INT TERM
	for _p in $listers; do kill "$_p" 2>/dev/null || :; done
	for _p in $children; do { wait "$_p"; } 2>/dev/null || :; done
	[ -n "$fed" ] || kill "$merging" 2>/dev/null || :
	wait; rm_glob "$out"/.scrape_checkpoint.*	# a file a stage was replacing
	drop_empty_checkpoint
	warn "interrupted$(ck_note)"
	exit "$1"
}

main() {
	parse_args "$@"
	setup
	resolve_registry
	plan
	merge_start
	if [ "$offline" = 1 ]; then reclassify; else open_checkpoint; scrape; fi
	report_keep
	merge
	[ "$offline" = 0 ] || [ ! -f "$tmp/ledger" ] ||
	    reclassify_ledger "$ledger" "$tmp/moved"
	summary
	[ "${sweep_failed:-0}" = 0 ] ||
	    fail "some canonical orgs failed: files written with what was found; the checkpoint is kept"
	report_write
	[ -z "$ck" ] || finished=1	# the checkpoint goes with $tmp
	[ "$skipped" = 0 ] || { warn "some Hub items were malformed and skipped (see above)"; exit 3; }
	exit 0
}

main "$@"
