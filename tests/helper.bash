# tests/helper.bash: shared set-up for the bats suites.
#
# setup()      { load helper; hf_setup; }
# setup_file() { load helper; hf_setup; fakehub_start --synthetic 2500 --seed 7; }
# teardown_file() { load helper; fakehub_stop; }

hf_setup() {
	bats_load_library bats-support
	bats_load_library bats-assert
	bats_load_library bats-file
	ROOT=$(cd "$(dirname "$BATS_TEST_FILENAME")/.." && pwd)
	# make valgrind runs the suites with HF_TEST_BIN=tests/valgrind/bin.
	PATH="${HF_TEST_BIN:-$ROOT/bin}:$PATH"
	FIX="$ROOT/tests/fixtures"
	FAKEHUB="$ROOT/tests/fakehub/fakehub.py"
	export LC_ALL=C ROOT FIX FAKEHUB
	# Retry and rate-limit waits of hf-list, scaled down so tests are fast.
	export HF_LIST_WAIT_SCALE="${HF_LIST_WAIT_SCALE:-0.01}"
	# Never let a developer's own token or cache reach a test.
	unset HF_TOKEN HF_TOKEN_PATH HUGGING_FACE_HUB_TOKEN HF_HUB_OFFLINE
	export HF_HOME="${BATS_TEST_TMPDIR:-${BATS_FILE_TMPDIR:-/nonexistent}}/hf-home"
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
