#!/usr/bin/env bats
# Crash safety: hf-scraper killed with SIGKILL at 20 seeded pseudo-random
# moments (across the main listing, the canonical sweep, the record stages
# and the merge), over a real TransformerLens registry, then rerun until it
# succeeds. Every JSON file in the output directory parses at every moment
# (sampled during the runs, and right after each kill), the registry files
# are the old ones or complete new ones, and the final files are the clean
# run's.
#
# Odd trials kill the wrapper alone, as `kill -9 PID` or an OOM kill would:
# its stages live on as orphans, holding the directory's lock, and the rerun
# waits for them. Even trials kill the whole process group, as a terminal
# hang-up or a service manager would: hf-list may die mid-page, hf-merge
# mid-write.
bats_require_minimum_version 1.5.0

TRIALS=${CRASH_TRIALS:-20}
SEED=20261128
# --quiet: no summary (its minutes would only dilute the kill points)
ARGS="--full-scan --min-downloads 0 --checkpoint-interval 100 --jobs 2 --quiet"

setup_file() {
	load helper
	fakehub_suite_setup --synthetic 1200 --seed 11
	export PRE="$ROOT/tests/fixtures/merge/tl-registry-2026-04-16"
	export REG="$BATS_FILE_TMPDIR/registry.json"
	export CLEAN="$BATS_FILE_TMPDIR/clean"
	export TMPDIR="$BATS_FILE_TMPDIR"
	# six canonical orgs, so the sweep is a phase, not the whole run
	jq '.canonical_authors_by_arch |= (map_values(map(select(
	    IN("Qwen", "meta-llama", "mistralai", "google", "microsoft",
	    "nvidia"))) | select(length > 0)))' "$ROOT/data/registry.json" >"$REG"
	# latency, so that the listing takes a good part of the run
	fakehub_suite_start --corpus "$CORPUS" --latency 0.1
	cp -R "$PRE" "$CLEAN"
	start=$(date +%s%N)
	# shellcheck disable=SC2086
	hf-scraper $ARGS --registry "$REG" -o "$CLEAN" 2>"$BATS_FILE_TMPDIR/clean.log"
	# the clean run's length in ms: the kills land within it
	echo $(( ($(date +%s%N) - start) / 1000000 )) >"$BATS_FILE_TMPDIR/clean.ms"
}

teardown_file() {
	load helper
	fakehub_suite_teardown
}

setup() {
	load helper
	hf_setup
}

teardown() {
	# nothing of a trial outlives it
	if [ -n "${PGID-}" ]; then
		kill -9 -- "-$PGID" 2>/dev/null || true
	fi
	if [ -n "${SAMPLER-}" ]; then
		kill "$SAMPLER" 2>/dev/null || true
		wait "$SAMPLER" 2>/dev/null || true
	fi
}

stable() {
	grep -v -e '^  "generated_at": ' -e '^    "scan_duration_seconds": ' "$1"
}

# check_json DIR: every JSON file of DIR parses, every ledger line too. A
# file is opened first, then parsed from that descriptor: a file replaced
# by rename in between is still read whole (old or new), and a file removed
# before it is opened is no failure. A file is parsed again only when its
# inode, size or modification time changed (the samples must not starve
# the run of CPU time).
declare -gA SEEN
check_json() {
	local f sig
	for f in "$1"/*.json "$1"/scrape_checkpoint.*.state \
	    "$1"/scrape_ledger.ndjson; do
		exec 4<"$f" 2>/dev/null || continue
		sig=$(stat -L -c '%i:%s:%y' /dev/fd/4)
		if [ "${SEEN[$f]-}" != "$sig" ]; then
			SEEN[$f]=$sig
			jq empty <&4 2>/dev/null ||
			    echo "$(date +%T.%N) $f" >>bad
		fi
		exec 4<&-
	done
}

# sample DIR: check_json until the file stop appears
sample() {
	while [ ! -e stop ]; do
		check_json "$1"
		sleep 0.05
	done
}

# old_or_new DIR: the registry files are the pre-existing ones or complete
# new ones, never anything between
old_or_new() {
	local f
	for f in supported_models.json architecture_gaps.json; do
		cp "$1/$f" snap
		cmp -s snap "$PRE/$f" ||
		    [ "$(stable snap)" = "$(stable "$CLEAN/$f")" ] ||
		    { echo "$f: neither old nor new" >>bad; cp snap "bad.$f"; }
	done
}

# phase PGID DIR: what the run was doing, from its processes, else from
# the files it had made
phase() {
	local procs
	procs=$(pgrep -a -g "$1" 2>/dev/null || true)
	case $procs in
	*hf-merge*|*hf-score*)	echo merge ;;
	*hf-list*--author*)	echo sweep ;;
	*hf-list*)		echo listing ;;
	*hf-arch*|*hf-filter-quant*|*hf-classify*) echo records ;;
	*)
		if [ ! -e "$2/scrape_checkpoint.json" ] &&
		    [ -e "$2/scrape_ledger.ndjson" ]; then echo done
		elif [ -e "$2/scrape_ledger.ndjson" ] ||
		    ls "$TMPDIR"/hf-scraper.*/imported >/dev/null 2>&1; then
			echo merge
		elif ls "$2"/scrape_checkpoint.sweep.* >/dev/null 2>&1; then
			echo sweep
		elif [ -e "$2/scrape_checkpoint.task1.state" ]; then
			echo listing
		else echo start
		fi ;;
	esac
}

# The kill moments. Trials 1-14: one in each fourteenth of the clean run's
# length (ms), at a seeded pseudo-random place within it. Trials 15-17: a
# seeded 0-500 ms after the canonical sweep has started; 18-20: a seeded
# 0-50 ms after the merge has started (the gaps file being imported). The
# second kind does not depend on how fast this machine is.
TIMED=14
seeded() {	# seeded TRIAL: a pseudo-random number in [0, 1)
	awk -v seed="$SEED" -v i="$1" 'BEGIN {
		srand(seed)
		for (k = 1; k <= i; k++) u = rand()
		printf "%.6f\n", u
	}'
}

moment() {	# moment TRIAL: ms from the start
	awk -v i="$1" -v n="$TIMED" -v u="$(seeded "$1")" \
	    -v len="$(cat "$BATS_FILE_TMPDIR/clean.ms")" \
	    'BEGIN { printf "%d\n", len * (i - 1 + u) / n }'
}

# await N DIR: sleep until trial N's moment
await() {
	local u
	if [ "$1" -le "$TIMED" ]; then
		sleep "$(awk -v m="$(moment "$1")" 'BEGIN { printf "%.3f", m / 1000 }')"
		return
	fi
	for _ in $(seq 1500); do
		if [ "$1" -le $((TIMED + 3)) ]; then
			ls "$2"/scrape_checkpoint.sweep.state.lane* >/dev/null 2>&1 && break
		else
			ls "$TMPDIR"/hf-scraper.*/imported >/dev/null 2>&1 && break
		fi
		# the run over (or a zombie): no moment to wait for
		case $(ps -o stat= -p "$PGID" 2>/dev/null) in
		''|Z*)	return 0 ;;
		esac
		sleep 0.02
	done
	u=$(seeded "$1")
	# the sweep lasts a second or more, the merge a few tens of ms
	if [ "$1" -le $((TIMED + 3)) ]; then
		sleep "$(awk -v u="$u" 'BEGIN { printf "%.3f", u / 2 }')"
	else
		sleep "$(awk -v u="$u" 'BEGIN { printf "%.3f", u / 20 }')"
	fi
}

trial() {	# trial N
	local n=$1 pid rc kill_rc t t0 tries=0 what ms
	cp -R "$PRE" out
	sample out 3>&- &
	SAMPLER=$!
	# its own process group, so that the group can be killed
	# shellcheck disable=SC2086
	setsid hf-scraper $ARGS --registry "$REG" -o out 2>log 3>&- &
	pid=$!
	PGID=$pid
	t0=$(date +%s%N)
	await "$n" out
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	what=$(phase "$pid" out)
	if [ $((n % 2)) = 1 ]; then
		kill -9 "$pid" 2>/dev/null || what=done
	else
		kill -9 -- "-$pid" 2>/dev/null || what=done
	fi
	kill_rc=0
	wait "$pid" || kill_rc=$?
	SEEN=()
	check_json out
	old_or_new out
	t=$(date +%s%N)
	# rerun until it succeeds (it waits for orphans holding the lock)
	until [ "$tries" -ge 3 ]; do
		tries=$((tries + 1))
		rc=0
		# shellcheck disable=SC2086
		hf-scraper $ARGS --registry "$REG" -o out 2>>log 3>&- || rc=$?
		[ "$rc" = 0 ] && break
	done
	echo "trial $n: ${ms} ms, $what, $([ $((n % 2)) = 1 ] && echo wrapper || echo group), exit $kill_rc; rerun $(( ($(date +%s%N) - t) / 1000000 )) ms" >>"$BATS_FILE_TMPDIR/trials"
	touch stop
	wait "$SAMPLER"
	unset SAMPLER
	kill -9 -- "-$PGID" 2>/dev/null || true
	unset PGID
	check_json out
	echo "trial $n: rerun exit $rc after $tries run(s)" >>log
	assert_equal "$rc" 0
	assert_equal "$tries" 1
	assert_file_not_exists bad
	assert_equal "$(stable out/supported_models.json)" \
	    "$(stable "$CLEAN/supported_models.json")"
	assert_equal "$(stable out/architecture_gaps.json)" \
	    "$(stable "$CLEAN/architecture_gaps.json")"
	cmp out/scrape_ledger.ndjson "$CLEAN/scrape_ledger.ndjson"
	cmp out/verification_history.json "$CLEAN/verification_history.json"
	# no checkpoint, no temporary file left behind, here or in TMPDIR
	assert_equal "$(ls -A out)" "$(ls -A "$CLEAN")"
	assert_equal "$(find "$TMPDIR" -maxdepth 1 -name 'hf-scraper.*')" ""
}

@test "crash: the clean run over a real registry" {
	assert_file_not_exists "$CLEAN/scrape_checkpoint.json"
	# the pre-existing entries are kept, and new ones added
	[ "$(jq '.models | length' "$CLEAN/supported_models.json")" -gt \
	    "$(jq '.models | length' "$PRE/supported_models.json")" ]
	# the gaps file the Python tool wrote was imported into the ledger
	run -0 grep -c '^{"architecture_id":' "$CLEAN/scrape_ledger.ndjson"
	[ "$(cat "$BATS_FILE_TMPDIR/clean.ms")" -gt 1000 ]
}

@test "crash: the temporaries a killed run leaves behind are cleared by the next run" {
	cp -R "$CLEAN" out
	# the leftovers of runs killed at bad moments: temporary files (and
	# the temporary directory of earlier versions), an hf-list state, a
	# registry file half-replaced, a checkpoint cut short
	mkdir out/.hf-scraper.tmp.Ab12Cd
	echo '{"id":"x"}' >out/.hf-scraper.tmp.Ab12Cd/main.records
	echo '{"id":"x"}' >out/.hf-scraper.tmp.4242.main.records
	printf '{\n  "hf_scraper_checkpoint": 1,\n  "endpoint": "ht' >out/scrape_checkpoint.json
	echo '{"hf_list_state":1,"endpoint":"x"}' >out/scrape_checkpoint.task1.state
	echo '{"hf_list_st' >out/.scrape_checkpoint.task1.state.Xy34Zw
	# and a temporary directory in TMPDIR of a run no longer alive
	mkdir "$TMPDIR/hf-scraper.999999999.Gh78Ij"
	echo '{"generated_' >out/.supported_models.json.Qw56Er
	# shellcheck disable=SC2086
	run -0 --separate-stderr hf-scraper $ARGS --registry "$REG" -o out
	assert_equal "$(ls -A out)" "$(ls -A "$CLEAN")"
	assert_equal "$(stable out/supported_models.json)" \
	    "$(stable "$CLEAN/supported_models.json")"
	assert_equal "$(find "$TMPDIR" -maxdepth 1 -name 'hf-scraper.*')" ""
}

@test "crash: SIGKILL of the wrapper alone stops its listing too: the next run does not wait" {
	cp -R "$PRE" out
	before=$(wc -l <"$FAKEHUB_LOG")
	# shellcheck disable=SC2086
	setsid hf-scraper $ARGS --registry "$REG" -o out 2>log 3>&- &
	pid=$!
	PGID=$pid
	for _ in $(seq 300); do
		c=$(sed -n 's/.*"count":\([0-9]*\).*/\1/p' out/scrape_checkpoint.task1.state 2>/dev/null || :)
		[ "${c:-0}" -ge 200 ] && break
		sleep 0.02
	done
	[ "${c:-0}" -ge 200 ]
	kill -9 "$pid"
	wait "$pid" || true
	# its stages are gone at once (the loop only waits for the kernel)
	for _ in $(seq 100); do
		pgrep -g "$pid" >/dev/null || break
		sleep 0.1
	done
	run -1 pgrep -a -g "$pid"
	unset PGID
	# the orphaned listing did not live on: beyond the 2 pages stored, the
	# pages still in the pipeline (hf-list -> hf-arch -> hf-ledger append
	# holds two at most) and the one in flight
	main=$(tail -n +"$((before + 1))" "$FAKEHUB_LOG" |
	    jq -r 'select(.query | startswith("filter=")) | .n' | wc -l)
	[ "$main" -le 5 ] || fail "$main main-scan requests: the listing lived on"
	# shellcheck disable=SC2086
	run -0 --separate-stderr hf-scraper $ARGS --registry "$REG" -o out
	refute_regex "$stderr" "waiting"
	assert_equal "$(stable out/supported_models.json)" \
	    "$(stable "$CLEAN/supported_models.json")"
	assert_equal "$(ls -A out)" "$(ls -A "$CLEAN")"
}

@test "crash: SIGKILL at 20 moments, rerun: valid files throughout, the clean run's at the end" {
	for n in $(seq "$TRIALS"); do
		rm -rf out bad stop log
		trial "$n"
	done
	# where the kills landed (no assertion: it depends on the machine's
	# speed), shown in the test's output
	sed 's/^/# /' "$BATS_FILE_TMPDIR/trials" >&3
}
