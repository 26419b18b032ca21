# tests/helper.bash: shared set-up for the bats suites.
#
# setup()         { load helper; hf_setup; }
#
# A suite against the fake Hub: one corpus for the file, a Hub per test
# (fakehub_start in the test), or one for the whole file as well:
# setup_file()    { load helper; fakehub_suite_setup --synthetic 2500 --seed 7
#                   fakehub_suite_start --corpus "$CORPUS"; }   # optional
# teardown_file() { load helper; fakehub_suite_teardown; }
# teardown()      { fakehub_teardown; }

hf_setup() {
	bats_load_library bats-support
	bats_load_library bats-assert
	bats_load_library bats-file
	ROOT=$(cd "$(dirname "$BATS_TEST_FILENAME")/.." && pwd)
	# make valgrind runs the suites with HF_TEST_BIN=tests/valgrind/bin.
	PATH="${HF_TEST_BIN:-$ROOT/bin}:$PATH"
	FIX="$ROOT/tests/fixtures"
	FAKEHUB="$ROOT/tests/fakehub/fakehub.py"
	# Python references of the specification the tests compare with.
	ORACLES="$ROOT/tests/oracles"
	export LC_ALL=C ROOT FIX FAKEHUB ORACLES
	# Retry and rate-limit waits of hf-list, scaled down so tests are fast.
	export HF_LIST_WAIT_SCALE="${HF_LIST_WAIT_SCALE:-0.01}"
	# Never let a developer's own token or cache reach a test.
	unset HF_TOKEN HF_TOKEN_PATH HUGGING_FACE_HUB_TOKEN HF_HUB_OFFLINE
	export HF_HOME="${BATS_TEST_TMPDIR:-${BATS_FILE_TMPDIR:-/nonexistent}}/hf-home"
	# Python run by a test (the fake Hub, the oracles) leaves no
	# __pycache__ in the source tree.
	export PYTHONDONTWRITEBYTECODE=1
	# Each test (setup_file: each file) starts in a directory of its own,
	# so that nothing written by a relative path lands in the source tree.
	cd "${BATS_TEST_TMPDIR:-${BATS_FILE_TMPDIR:?}}" || return 1
}

# fakehub_start [fakehub.py arguments...]: start the test Hub on a free
# loopback port; exports HF_ENDPOINT, FAKEHUB_PID, FAKEHUB_LOG, FAKEHUB_DIR.
fakehub_start() {
	local dir i=0
	dir=$(mktemp -d "${BATS_FILE_TMPDIR:-${BATS_TEST_TMPDIR:-/tmp}}/fakehub.XXXXXX")
	python3 "$FAKEHUB" --port 0 --port-file "$dir/port" \
	    --log "$dir/requests.log" "$@" >"$dir/out" 2>&1 3>&- &
	FAKEHUB_PID=$!
	until [ -s "$dir/port" ]; do
		i=$((i + 1))
		if [ "$i" -gt 300 ] || ! kill -0 "$FAKEHUB_PID" 2>/dev/null; then
			cat "$dir/out" >&2
			return 1
		fi
		sleep 0.1
	done
	HF_ENDPOINT="http://127.0.0.1:$(cat "$dir/port")"
	FAKEHUB_LOG="$dir/requests.log"
	FAKEHUB_DIR="$dir"
	export HF_ENDPOINT FAKEHUB_PID FAKEHUB_LOG FAKEHUB_DIR
}

fakehub_stop() {
	if [ -n "${FAKEHUB_PID-}" ]; then
		kill "$FAKEHUB_PID" 2>/dev/null || true
		wait "$FAKEHUB_PID" 2>/dev/null || true
		unset FAKEHUB_PID
	fi
}

# fakehub_suite_setup [fakehub.py corpus arguments...]: hf_setup for
# setup_file, then the corpus the fake Hub makes of those arguments (e.g.
# --synthetic 3000 --seed 5) written once for the file to
# $BATS_FILE_TMPDIR/corpus.ndjson, exported as CORPUS: the tests start a
# Hub on it with fakehub_start --corpus "$CORPUS" [faults...].
fakehub_suite_setup() {
	hf_setup
	CORPUS="$BATS_FILE_TMPDIR/corpus.ndjson"
	export CORPUS
	python3 "$FAKEHUB" "$@" --write-corpus "$CORPUS"
}

# fakehub_suite_start [fakehub.py arguments...]: in setup_file, a Hub for
# the whole file (fakehub_start); its pid, endpoint and log are kept as
# FAKEHUB_SUITE_PID, FAKEHUB_SUITE_ENDPOINT, FAKEHUB_SUITE_LOG, for a test
# that starts a Hub of its own. fakehub_suite_teardown stops it.
fakehub_suite_start() {
	fakehub_start "$@" || return
	FAKEHUB_SUITE_PID=$FAKEHUB_PID
	FAKEHUB_SUITE_ENDPOINT=$HF_ENDPOINT
	FAKEHUB_SUITE_LOG=$FAKEHUB_LOG
	export FAKEHUB_SUITE_PID FAKEHUB_SUITE_ENDPOINT FAKEHUB_SUITE_LOG
}

# fakehub_teardown: for teardown: stop the Hub the test started, never
# the file's.
fakehub_teardown() {
	if [ "${FAKEHUB_PID-}" != "${FAKEHUB_SUITE_PID-}" ]; then
		fakehub_stop
	fi
}

# fakehub_suite_teardown: for teardown_file: stop the file's Hub.
fakehub_suite_teardown() {
	if [ -n "${FAKEHUB_SUITE_PID-}" ]; then
		FAKEHUB_PID=$FAKEHUB_SUITE_PID
		fakehub_stop
		unset FAKEHUB_SUITE_PID
	fi
}

# collapse: standard input on one line, runs of white space as one
# space, none at either end.
collapse() {
	tr -s ' \t\n' ' ' | sed 's/^ //; s/ $//'
}

# usage_of PROG: the usage PROG --help prints (its first paragraph:
# hf-scraper's --help goes on with the options and examples), "usage: "
# dropped, collapsed.
usage_of() {
	"$1" --help | sed '/^$/q' | sed '1s/^usage: //' | collapse
}

# synopsis_of PROG: the SYNOPSIS section of man/PROG.1 as mandoc renders
# it, collapsed.
synopsis_of() {
	mandoc -T ascii "$ROOT/man/$1.1" | col -b |
	    sed -n '/^SYNOPSIS$/,/^[A-Z]/{/^[A-Z]/!p;}' | collapse
}

# assert_usage_is_synopsis PROG: the usage of PROG --help is the SYNOPSIS
# of its man page, white space aside.
assert_usage_is_synopsis() {
	local usage synopsis
	usage=$(usage_of "$1")
	synopsis=$(synopsis_of "$1")
	if [ -z "$usage" ] || [ "$usage" != "$synopsis" ]; then
		batslib_print_kv_single_or_multi 8 \
		    program "$1" usage "$usage" synopsis "$synopsis" |
		    batslib_decorate "the usage is not the man page's SYNOPSIS" |
		    fail
	fi
}

# The shell commands of a man page's EXAMPLES ("$ " lines of .Bd -literal
# blocks, with their continuation lines, and of .Dl), NUL-terminated.
man_examples() {
	awk '
	/^\.Bd -literal/	{ bd = 1; next }
	/^\.Ed/			{ if (cmd != "") printf "%s%c", cmd, 0
				  bd = 0; cmd = ""; next }
	/^\.Dl \$ /		{ sub(/^\.Dl \$ /, ""); printf "%s%c", $0, 0; next }
	bd && /^\$ /		{ if (cmd != "") printf "%s%c", cmd, 0
				  cmd = substr($0, 3); next }
	bd && cmd != ""		{ cmd = cmd "\n" $0 }
	' "$1" | sed 's/\\e/\\/g'
}
