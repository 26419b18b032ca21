#!/bin/sh
# demo.sh: the project's main job on a bundled offline Hub. Starts the test
# Hub on a free loopback port with a deterministic synthetic corpus, runs
# hf-scraper --full-scan against it into ./demo-output, stops the Hub.
set -eu
root=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
models=${DEMO_MODELS:-20000}
out=${DEMO_OUTPUT:-./demo-output}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hf-demo.XXXXXX")
hub=
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	[ -z "$hub" ] || kill "$hub" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

printf 'demo: starting the test Hub with %s synthetic models (seed 1)\n' "$models" >&2
python3 "$root/tests/fakehub/fakehub.py" --synthetic "$models" --seed 1 \
    --port 0 --port-file "$tmp/port" --log "$tmp/requests.log" 2>"$tmp/hub.err" &
hub=$!
i=0
until [ -s "$tmp/port" ]; do
	i=$((i + 1))
	if [ "$i" -gt 600 ] || ! kill -0 "$hub" 2>/dev/null; then
		cat "$tmp/hub.err" >&2
		echo "demo: the test Hub did not start" >&2
		exit 1
	fi
	sleep 0.1
done
HF_ENDPOINT="http://127.0.0.1:$(cat "$tmp/port")"
export HF_ENDPOINT
unset HF_TOKEN HF_TOKEN_PATH HUGGING_FACE_HUB_TOKEN
printf 'demo: %s serves the Hub API; running hf-scraper --full-scan -o %s\n' \
    "$HF_ENDPOINT" "$out" >&2
rc=0
"$root/bin/hf-scraper" --full-scan --force -o "$out" || rc=$?
printf 'demo: hf-scraper exited %s after %s requests to the Hub\n' "$rc" \
    "$(wc -l <"$tmp/requests.log" | tr -d ' ')" >&2
printf 'demo: the registry files are in %s:\n' "$out" >&2
ls -l "$out" >&2
exit "$rc"
