#!/usr/bin/env bats
# The README's commands, run as written, in order, in one bash session, in
# a copy of the source tree (as a new user's clone), against the test Hub;
# each output compared with the one the README shows.
#
# README markup: a fenced ```sh block preceded by <!-- test --> is run; by
# <!-- test: NAME --> it is run with a role (demo: `make demo`; hub-start,
# hub-stop: the commands that start and stop the test Hub, run by a test of
# their own, while the session uses fakehub_start with the same corpus;
# tl-checkout: run in a directory that looks like a TransformerLens
# checkout).
# A ```text block preceded by <!-- output --> right after it is the exact
# standard output of the block. Unmarked blocks are not run (the real Hub,
# a TransformerLens checkout).
# shellcheck disable=SC2154 # $output, $lines: set by bats' run
bats_require_minimum_version 1.5.0

setup_file() {
	load helper
	hf_setup
	WORK=$BATS_FILE_TMPDIR/clone
	BLOCKS=$BATS_FILE_TMPDIR/blocks
	mkdir -p "$WORK" "$BLOCKS" "$BATS_FILE_TMPDIR/home"
	# What the README's commands use of a clone, plus the build (bin/ and
	# the objects, mtimes kept, so make finds them up to date).
	tar -C "$ROOT" -cf - Makefile README.md bin cmd common data man \
	    scripts tests/fakehub | tar -C "$WORK" -xf -
	readme_blocks "$ROOT/README.md" "$BLOCKS"
	# A TransformerLens checkout, as far as hf-scraper looks at one: the
	# registry's Python literals, in the shape of TransformerLens's own.
	TL=$BATS_FILE_TMPDIR/TransformerLens
	mkdir -p "$TL/transformer_lens/tools/model_registry"
	jq -r '"HF_SUPPORTED_ARCHITECTURES: list = \(.supported_architectures | tojson)",
	    "CANONICAL_AUTHORS_BY_ARCH: dict = \(.canonical_authors_by_arch | tojson)"' \
	    "$ROOT/data/registry.json" >"$TL/transformer_lens/tools/model_registry/__init__.py"
	export WORK BLOCKS TL
}

setup() {
	load helper
	hf_setup
}

teardown() {
	fakehub_stop
}

# readme_blocks README DIR: DIR/N.sh (the block), DIR/N.role, DIR/N.line
# (its line in README) and DIR/N.expected (its output, when shown).
readme_blocks() {
	awk -v dir="$2" '
	function flush() { if (n > 0) close(dir "/" n ".sh") }
	/^<!-- test(: [a-z-]+)? -->$/ {
		role = $0; sub(/ -->$/, "", role); sub(/^<!-- test:? ?/, "", role)
		want = "sh"; next
	}
	/^<!-- output -->$/ { want = "text"; next }
	want == "sh" && /^```sh$/ {
		flush(); n++; inblk = "sh"; want = ""
		print (role == "" ? "run" : role) > (dir "/" n ".role")
		close(dir "/" n ".role")
		print NR + 1 > (dir "/" n ".line"); close(dir "/" n ".line")
		printf "" > (dir "/" n ".sh")
		next
	}
	want == "text" && /^```text$/ {
		inblk = "text"; want = ""
		printf "" > (dir "/" n ".expected")
		next
	}
	inblk != "" && /^```$/ {
		if (inblk == "text") close(dir "/" n ".expected")
		inblk = ""; next
	}
	inblk == "sh" { print > (dir "/" n ".sh"); next }
	inblk == "text" { print > (dir "/" n ".expected"); next }
	/^[^[:space:]]/ && want != "" { want = "" }
	END { flush(); print n > (dir "/count") }
	' "$1"
}

@test "README: the marked blocks are there" {
	run -0 cat "$BLOCKS/count"
	[ "$output" -ge 12 ]
	run -0 grep -l '^demo$' "$BLOCKS"/*.role
	run -0 grep -l '^hub-start$' "$BLOCKS"/*.role
	run -0 grep -l '^hub-stop$' "$BLOCKS"/*.role
	run -0 grep -c '^hf-' "$BLOCKS"/*.sh
}

@test "README: the test Hub starts and stops as the README says" {
	local start stop
	start=$(grep -l '^hub-start$' "$BLOCKS"/*.role)
	stop=$(grep -l '^hub-stop$' "$BLOCKS"/*.role)
	cd "$WORK"
	# shellcheck disable=SC2016 # expanded by the inner bash
	run -0 bash -c '
	unset HF_ENDPOINT
	trap "[ -z \"\${hub-}\" ] || kill \"\$hub\" 2>/dev/null" EXIT
	. "$1"
	printf "%s\n" "$HF_ENDPOINT"
	curl -sf "$HF_ENDPOINT/api/models?limit=1" >/dev/null
	pid=$hub
	. "$2"
	wait "$pid" 2>/dev/null
	! kill -0 "$pid" 2>/dev/null && [ ! -e "$hubdir" ] && echo stopped
	' hub "${start%.role}.sh" "${stop%.role}.sh"
	assert_line --index 0 --regexp '^http://127\.0\.0\.1:[0-9]+$'
	assert_line --index 1 stopped
}

@test "README: the session and the cookbook, run as written, print what it shows" {
	local b i n role fail=
	fakehub_start --synthetic 20000 --seed 1
	n=$(cat "$BLOCKS/count")
	{
		printf 'cd "%s" || exit 1\n' "$WORK"
		for ((i = 1; i <= n; i++)); do
			role=$(cat "$BLOCKS/$i.role")
			case $role in
			hub-start|hub-stop) continue ;;
			esac
			b=$BLOCKS/$i
			case $role in
			tl-checkout)
				printf '(cd "%s" && . "%s.sh") >"%s.out" 2>"%s.err"; echo $? >"%s.rc"\n' \
				    "$TL" "$b" "$b" "$b" "$b" ;;
			*)
				printf '. "%s.sh" >"%s.out" 2>"%s.err"; echo $? >"%s.rc"\n' \
				    "$b" "$b" "$b" "$b" ;;
			esac
		done
	} >"$BLOCKS/session"
	# A new user's shell: their HOME, the README's PATH changes only.
	HOME=$BATS_FILE_TMPDIR/home run -0 bash "$BLOCKS/session"
	for ((i = 1; i <= n; i++)); do
		role=$(cat "$BLOCKS/$i.role")
		case $role in
		hub-start|hub-stop) continue ;;
		esac
		if [ "$(cat "$BLOCKS/$i.rc")" != 0 ]; then
			fail="$fail
README.md:$(cat "$BLOCKS/$i.line"): exit $(cat "$BLOCKS/$i.rc"):
$(cat "$BLOCKS/$i.sh")
$(tail -5 "$BLOCKS/$i.err")"
		fi
		if grep -q 'command not found\|No such file or directory' "$BLOCKS/$i.err"; then
			fail="$fail
README.md:$(cat "$BLOCKS/$i.line"): stderr:
$(cat "$BLOCKS/$i.err")"
		fi
		if [ -f "$BLOCKS/$i.expected" ] &&
		    ! cmp -s "$BLOCKS/$i.expected" "$BLOCKS/$i.out"; then
			fail="$fail
README.md:$(cat "$BLOCKS/$i.line"): output differs:
$(diff "$BLOCKS/$i.expected" "$BLOCKS/$i.out" || :)"
		fi
	done
	if [ -n "$fail" ]; then
		printf '%s\n' "$fail" >&2
		return 1
	fi
	# What the README says the files are.
	assert_file_exists "$WORK/demo-output/supported_models.json"
	assert_file_exists "$WORK/demo-output/architecture_gaps.json"
	assert_file_exists "$WORK/demo-output/scrape_ledger.ndjson"
	assert_file_exists "$TL/transformer_lens/tools/model_registry/data/supported_models.json"
	assert_file_exists "$TL/transformer_lens/tools/model_registry/data/architecture_gaps.json"
	# shellcheck disable=SC2016 # expanded by the inner bash
	run -0 bash -c 'cat "$@" | grep -c "INFO: registry: $0/transformer_lens/tools/model_registry/__init__.py "' \
	    "$TL" "$BLOCKS"/*.err
	assert_output 4
	assert_file_exists "$BATS_FILE_TMPDIR/home/registry-scratch/supported_models.json"
}
