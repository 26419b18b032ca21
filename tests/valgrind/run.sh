#!/bin/sh
# run.sh [file.bats ...]: the bats suites (default: the end-to-end and
# per-stage ones) with every hf-* program run under valgrind memcheck.
#
# tests/valgrind/bin/ gets one wrapper a program (wrapper.sh) and copies
# of hf-scraper and tl-registry.py, so the wrapper script finds the
# wrapped stages beside itself; tests/valgrind/data points to data/, so
# the registry is found as from bin/. tests/helper.bash puts $HF_TEST_BIN
# first on PATH instead of bin/. Fails if a test fails or if valgrind
# logged anything (an error or a definite leak) for any process.
set -eu
root=$(CDPATH='' cd -- "$(dirname -- "$0")/../.." && pwd)
vg=$root/tests/valgrind
rm -rf "${vg:?}/bin" "${vg:?}/log"
mkdir -p "$vg/bin" "$vg/log"
ln -sfn ../../data "$vg/data"
for f in "$root"/bin/hf-*; do
	p=${f##*/}
	[ "$p" = hf-scraper ] && continue	# a script: its stages are wrapped
	sed -e "s|@BIN@|$root/bin|" -e "s|@LOG@|$vg/log|" "$vg/wrapper.sh" \
	    >"$vg/bin/$p"
	chmod +x "$vg/bin/$p"
done
cp "$root/bin/hf-scraper" "$root/bin/tl-registry.py" "$vg/bin/"
[ $# -gt 0 ] || set -- "$root/tests/hf-scraper.bats" \
    "$root/tests/hf-arch.bats" "$root/tests/hf-filter-quant.bats" \
    "$root/tests/hf-classify.bats" "$root/tests/hf-score.bats" \
    "$root/tests/hf-merge.bats" "$root/tests/hf-list.bats" \
    "$root/tests/hf-ledger.bats" \
    "$root/tests/records.bats" "$root/tests/security.bats" \
    "$root/tests/cli.bats"
rc=0
HF_TEST_BIN=$vg/bin bats "$@" || rc=1
n=$(find "$vg/log" -type f | wc -l)
bad=$(find "$vg/log" -type f -size +0c)
if [ -n "$bad" ]; then
	echo "valgrind: errors or definite leaks in:" >&2
	for f in $bad; do
		echo "== $f" >&2
		cat "$f" >&2
	done
	rc=1
fi
echo "valgrind: $n processes checked, $(echo "$bad" | grep -c .) with errors" >&2
exit "$rc"
