#!/usr/bin/env bats
# hf-list's "+": listings beside the first, each in a forked copy with an
# --output of its own (hf-scraper lists its canonical sweep so, beside the
# main scan, with one start of libcurl).
bats_require_minimum_version 1.5.0

setup_file() {
	load helper
	fakehub_suite_setup --synthetic 2500 --seed 7
}

setup() {
	load helper
	hf_setup
	SIDE=(--page-size 5 --author Qwen --author nvidia --author lazy-bytes --jobs 2)
}

teardown() {
	fakehub_teardown
}

# whether process $1 is gone (or a zombie nobody reaps: its parent died)
gone() {
	local st
	st=$(ps -o stat= -p "$1") || return 0
	[ "${st#Z}" != "$st" ]
}

@test "hf-list +: each listing prints what it prints alone, the second appended to its --output; both --stats" {
	fakehub_start --corpus "$CORPUS"
	hf-list --page-size 100 --limit 450 >first.alone
	hf-list "${SIDE[@]}" >side.alone
	assert_equal "$(wc -l <side.alone)" 85
	echo kept >side
	run -0 --separate-stderr hf-list --page-size 100 --limit 450 --stats 3 \
	    + "${SIDE[@]}" --output side --stats 4 3>s3 4>s4
	printf '%s\n' "$output" >first
	cmp first first.alone
	assert_equal "$(head -n 1 side)" kept
	tail -n +2 side | cmp - side.alone
	assert_equal "$(grep -E '^(listed|complete) ' s3 | tr '\n' ' ')" "listed 450 complete 1 "
	assert_equal "$(grep -E '^(listed|complete) ' s4 | tr '\n' ' ')" "listed 85 complete 1 "
	# --output alone appends too
	run -0 hf-list --limit 3 --output side
	assert_equal "$output" ""
	assert_equal "$(wc -l <side)" 89
}

@test "hf-list +: usage errors exit 2 before any request" {
	fakehub_start --corpus "$CORPUS"
	run -2 --separate-stderr hf-list --limit 3 +
	assert_equal "${stderr_lines[0]}" "hf-list: + ends the command line: another listing's options must follow it"
	run -2 --separate-stderr hf-list --limit 3 + --limit 4
	assert_equal "${stderr_lines[0]}" "hf-list: listing 2 (after a +) has no --output: its items would mix with the first's"
	run -2 --separate-stderr hf-list --limit 3 + --output a + --limit 2 --output a
	assert_equal "${stderr_lines[0]}" "hf-list: two listings with --output a"
	run -2 --separate-stderr hf-list --state s + --output a --state s
	assert_equal "${stderr_lines[0]}" "hf-list: two listings with --state s"
	run -2 --separate-stderr hf-list --limit 3 + --output a --bogus
	assert_regex "${stderr_lines[0]}" "^hf-list: unrecognized option '--bogus'"
	run -2 --separate-stderr hf-list --limit 3 + --output a stray
	assert_equal "${stderr_lines[0]}" "hf-list: unexpected operand: stray"
	assert_file_not_exists a
	assert_equal "$(wc -l <"$FAKEHUB_LOG")" 0
}

@test "hf-list +: a listing beside that fails lets the first finish; the exit status is its" {
	fakehub_start --corpus "$CORPUS"
	echo 'not a state' >bad
	run -1 --separate-stderr hf-list --page-size 100 --limit 250 --stats 3 \
	    + "${SIDE[@]}" --output side --state bad 3>s3
	assert_equal "${#lines[@]}" 250
	assert_equal "$(grep '^complete ' s3)" "complete 1"
	assert_regex "$stderr" "hf-list: bad: not an hf-list state file"
}

@test "hf-list +: when the first fails the others are stopped, and their --state resumes them" {
	fakehub_start --corpus "$CORPUS" --latency 0.05
	hf-list "${SIDE[@]}" >side.alone
	echo 'not a state' >bad
	: >side
	run -1 --separate-stderr hf-list --state bad \
	    + "${SIDE[@]}" --output side --state st
	assert_regex "$stderr" "hf-list: bad: not an hf-list state file"
	[ "$(wc -l <side)" -lt 85 ]
	run -0 hf-list "${SIDE[@]}" --output side --state st
	cmp side side.alone
}

@test "hf-list +: a listing beside dies with hf-list (SIGKILL); a SIGTERM stops it first" {
	fakehub_start --corpus "$CORPUS" --latency 0.2
	for sig in KILL TERM; do
		hf-list --page-size 5 --no-progress >/dev/null 2>&1 \
		    + "${SIDE[@]}" --output "side.$sig" 2>/dev/null &
		pid=$!
		until [ -s "side.$sig" ]; do sleep 0.1; done
		side=$(pgrep -P "$pid")
		[ -n "$side" ]
		kill -s "$sig" "$pid"
		wait "$pid" || :
		# the parent waited for it before it died of the SIGTERM
		[ "$sig" = KILL ] || gone "$side"
		for i in 1 2 3 4 5 6 7 8 9 10; do
			gone "$side" && break
			sleep 0.1
		done
		gone "$side"
	done
}
