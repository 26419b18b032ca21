#!/usr/bin/env bats
# hf-ledger append: a scan's records committed page by page beside
# hf-list's state, so that a resumable scan keeps on disk only what its
# resume needs (SPEC 3, 9.6): the records first, the state naming their
# size second; records the state does not name are cut at the next start.
bats_require_minimum_version 1.5.0

setup() {
	load helper
	hf_setup
}

# mark N: the line hf-list --state-marks prints after page N
mark() {
	printf '{"hf_list_state":{"hf_list_state":1,"endpoint":"http://hub","query":"q","next":"http://hub/p%s","part":0,"count":%s,"done":false}}\n' "$(($1 + 1))" "$1"
}

# the state hf-ledger writes at mark N with the records file at L bytes
state() {
	printf '{"records_bytes":%s,"hf_list_state":1,"endpoint":"http://hub","query":"q","next":"http://hub/p%s","part":0,"count":%s,"done":false}\n' "$2" "$(($1 + 1))" "$1"
}

rec() {
	printf '{"id":"%s","architecture":"X"}\n' "$@"
}

@test "hf-ledger append: usage errors exit 2 and name the problem" {
	run -2 --separate-stderr hf-ledger append rec
	assert_equal "${stderr_lines[0]}" "hf-ledger: --state state is required"
	run -2 --separate-stderr hf-ledger append --state ''  rec
	assert_equal "${stderr_lines[0]}" "hf-ledger: --state state is required"
	run -2 --separate-stderr hf-ledger append --state st
	assert_equal "${stderr_lines[0]}" "hf-ledger: one records file expected"
	run -2 --separate-stderr hf-ledger append --state st a b
	assert_equal "${stderr_lines[0]}" "hf-ledger: one records file expected"
	run -2 --separate-stderr hf-ledger append --state st --stats -1 rec
	assert_equal "${stderr_lines[0]}" "hf-ledger: --stats: too small (at least 0): -1"
	run -2 --separate-stderr hf-ledger append --state st --stats x rec
	run -2 --separate-stderr hf-ledger append --state st --count n rec
	assert_equal "${stderr_lines[0]}" "hf-ledger: --count is for hf-ledger dedupe, import and update"
	run -2 --separate-stderr hf-ledger append --state st -l led rec
	assert_equal "${stderr_lines[0]}" "hf-ledger: -l and --supported are for hf-ledger update and reclassify"
	run -2 --separate-stderr hf-ledger dedupe --state st
	assert_equal "${stderr_lines[0]}" "hf-ledger: --state is for hf-ledger append"
	run -2 --separate-stderr hf-ledger update -l led --stats 1
	assert_equal "${stderr_lines[0]}" "hf-ledger: --stats is for hf-ledger append and reclassify"
	assert_equal "$(ls | grep -v "^separate-stderr-")" ""
	# a --stats descriptor that is not open: exit 1 before anything
	run -1 --separate-stderr hf-ledger append --state st --stats 9 rec </dev/null
	assert_equal "$stderr" "hf-ledger: --stats 9: Bad file descriptor"
	assert_equal "$(ls | grep -v "^separate-stderr-")" ""
}

@test "hf-ledger append: records go to the file at each mark, the state after them; the last page's records without a mark are discarded" {
	{
		rec a/1 a/2
		mark 1
		echo
		rec a/3
		mark 2
		mark 3		# a page of no records
		rec a/4 a/5	# hf-list failed: no mark
	} >stream
	umask 022
	run -0 --separate-stderr hf-ledger append --state st --stats 3 rec \
	    <stream 3>stats
	assert_equal "$stderr" ""
	assert_output ""
	assert_equal "$(cat rec)" "$(rec a/1 a/2 a/3)"
	assert_equal "$(cat st)" "$(state 3 96)"
	assert_equal "$(stat -c %a rec)" 644
	assert_equal "$(cat stats)" "$(printf '%s\n' 'records 3' 'appended 3' \
	    'marks 3' 'discarded 2')"
	# resumed: the state's records stay, the new pages follow them
	{ rec b/1; mark 4; } | hf-ledger append --state st --stats 3 rec 3>stats
	assert_equal "$(cat rec)" "$(rec a/1 a/2 a/3 b/1)"
	assert_equal "$(cat st)" "$(state 4 128)"
	assert_equal "$(cat stats)" "$(printf '%s\n' 'records 4' 'appended 1' \
	    'marks 1' 'discarded 0')"
	# a record line is kept as it is, whatever it holds
	{ printf '%s\n' 'not json' '{"hf_list_statex":1}' ' {"hf_list_state":{}}'
	  mark 5; } | hf-ledger append --state st rec
	assert_equal "$(tail -n 3 rec)" "$(printf '%s\n' 'not json' \
	    '{"hf_list_statex":1}' ' {"hf_list_state":{}}')"
}

@test "hf-ledger append: records the state does not cover are cut at the next start, their page fetched again" {
	{ rec a/1 a/2; mark 1; } | hf-ledger append --state st rec
	cp st st.1
	# what a kill between the records' write and the state's leaves
	rec a/3 >>rec
	printf '{"id":"a/4","arch' >>rec
	{ rec a/3; mark 2; } | hf-ledger append --state st --stats 1 rec >stats
	assert_equal "$(cat rec)" "$(rec a/1 a/2 a/3)"
	assert_equal "$(cat st)" "$(state 2 96)"
	assert_equal "$(head -n 1 stats)" "records 3"
	# the same with no state yet: only a line cut short goes
	rm st
	printf '{"id":"a/4","arch' >>rec
	hf-ledger append --state st rec </dev/null
	assert_equal "$(cat rec)" "$(rec a/1 a/2 a/3)"
	assert_file_not_exists st
	# a state that names more than the file holds belongs to other records
	cp st.1 st
	: >rec
	run -1 --separate-stderr hf-ledger append --state st rec </dev/null
	assert_equal "$stderr" "hf-ledger: st: records_bytes 64, but rec holds 0 bytes: not the records of this state"
	cmp st st.1
}

@test "hf-ledger append: SIGKILL at any moment leaves the state and the records consistent" {
	mkfifo in
	hf-ledger append --state st rec <in 3>&- &
	pid=$!
	exec 4>in
	rec a/1 a/2 >&4
	mark 1 >&4
	rec a/3 >&4
	# wait for the first page's state, then kill mid-page
	i=0
	while [ ! -s st ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	kill -KILL "$pid"
	wait "$pid" || true
	exec 4>&-
	assert_equal "$(cat st)" "$(state 1 64)"
	[ "$(stat -c %s rec)" -ge 64 ]
	# the resumed run fetches page 2 again: each record once
	{ rec a/3; mark 2; } | hf-ledger append --state st rec
	assert_equal "$(cat rec)" "$(rec a/1 a/2 a/3)"
	assert_equal "$(cat st)" "$(state 2 96)"
}

@test "hf-ledger append: a state hf-list wrote alone, or that does not parse, is refused; nothing changes" {
	rec a/1 >rec
	echo '{"hf_list_state":1,"endpoint":"e","query":"q","next":null,"part":0,"count":0,"done":false}' >st
	cp st st.0
	run -1 --separate-stderr hf-ledger append --state st rec < <(rec b; mark 1)
	assert_equal "$stderr" "hf-ledger: st: no records_bytes: a state hf-list wrote without hf-ledger append, which cannot tell which records it covers; remove it and the records file to scan again"
	cmp st st.0
	assert_equal "$(cat rec)" "$(rec a/1)"
	echo '{"records_bytes":' >st
	run -1 --separate-stderr hf-ledger append --state st rec </dev/null
	assert_equal "$stderr" "hf-ledger: st: truncated JSON"
	echo '[]' >st
	run -1 --separate-stderr hf-ledger append --state st rec </dev/null
	assert_equal "$stderr" "hf-ledger: st: not a JSON object"
	echo '{"records_bytes":-1}' >st
	run -1 --separate-stderr hf-ledger append --state st rec </dev/null
	assert_equal "$stderr" "hf-ledger: st: records_bytes: not a non-negative integer"
	echo '{"records_bytes":"1"}' >st
	run -1 --separate-stderr hf-ledger append --state st rec </dev/null
	assert_equal "$stderr" "hf-ledger: st: records_bytes: not a non-negative integer"
	mkdir dir
	run -1 --separate-stderr hf-ledger append --state st dir </dev/null
	assert_equal "$(cat rec)" "$(rec a/1)"
}

@test "hf-ledger append: a malformed mark is reported and skipped, exit 3; its records wait for the next mark" {
	{
		rec a/1
		echo '{"hf_list_state":1}'
		rec a/2
		echo '{"hf_list_state":{"x":1}'
		echo '{"hf_list_state":{"records_bytes":7,"count":1}}'
		rec a/3
	} >stream
	run -3 --separate-stderr hf-ledger append --state st --stats 1 rec <stream
	assert_equal "$stderr" "hf-ledger: <stdin>:2: mark: hf_list_state: not an object
hf-ledger: <stdin>:4: truncated JSON"
	assert_equal "$(cat rec)" "$(rec a/1 a/2)"
	# a records_bytes the mark had is replaced
	assert_equal "$(cat st)" '{"records_bytes":64,"count":1}'
	assert_output "$(printf '%s\n' 'records 2' 'appended 2' 'marks 1' \
	    'discarded 1')"
	echo '{"hf_list_state":{}}' | hf-ledger append --state st rec
	assert_equal "$(cat st)" '{"records_bytes":64}'
}

@test "hf-ledger append: a state that is a symbolic link: its target is replaced, the link stays" {
	mkdir real
	{ rec a/1; mark 1; } | hf-ledger append --state real/st rec
	ln -s real/st st
	{ rec a/2; mark 2; } | hf-ledger append --state st rec
	[ -L st ]
	assert_equal "$(cat real/st)" "$(state 2 64)"
	assert_equal "$(cat rec)" "$(rec a/1 a/2)"
}

@test "hf-ledger append: a disk full: exit 1 naming the file, the state as it was, the page's part cut away" {
	{ rec a/1; mark 1; } | hf-ledger append --state st rec
	cp st st.1
	# the records cannot be written (the file size limit stands for a
	# full disk: the write fails the same way, with an error)
	big=$(printf '%01100d' 0)
	run -1 --separate-stderr sh -c 'trap "" XFSZ; ulimit -f 1
	    exec hf-ledger append --state st rec' sh \
	    < <(rec "$big"; mark 2)
	assert_equal "$stderr" "hf-ledger: rec: File too large"
	cmp st st.1
	# no counts after a failure
	run -1 --separate-stderr sh -c 'trap "" XFSZ; ulimit -f 1
	    exec hf-ledger append --state st --stats 1 rec' sh \
	    < <(rec "$big"; mark 2)
	assert_output ""
	assert_equal "$(cat rec)" "$(rec a/1)"
	# the state cannot be written
	run -1 --separate-stderr sh -c 'trap "" XFSZ; ulimit -f 1
	    exec hf-ledger append --state st rec' sh \
	    < <(rec a/2; printf '{"hf_list_state":{"pad":"%s"}}\n' "$big")
	assert_equal "$stderr" "hf-ledger: st: File too large"
	cmp st st.1
	assert_equal "$(ls -A | grep -v "^separate-stderr-")" "$(printf "%s\n" rec st st.1)"
	# the resume cuts what the state does not cover
	{ rec a/2; mark 2; } | hf-ledger append --state st rec
	assert_equal "$(cat rec)" "$(rec a/1 a/2)"
}

@test "hf-ledger append --tee: each marked page's records on stdout too, as stored; usage errors" {
	run -2 --separate-stderr hf-ledger update -l led --tee
	assert_equal "${stderr_lines[0]}" "hf-ledger: --tee is for hf-ledger append"
	{
		rec a/1 a/2
		mark 1
		rec a/3
		mark 2
		rec a/4
	} >in
	run -0 --separate-stderr hf-ledger append --tee --state st rec <in
	assert_equal "$output" "$(rec a/1 a/2 a/3)"
	assert_equal "$(cat rec)" "$(rec a/1 a/2 a/3)"
	assert_equal "$(cat st)" "$(state 2 "$(wc -c <rec)")"
	# without --tee nothing is printed
	rm rec st
	run -0 --separate-stderr hf-ledger append --state st rec <in
	assert_output ""
	# stdout that cannot be written: exit 1, named
	rm rec st
	run -1 --separate-stderr sh -c 'hf-ledger append --tee --state st rec <in >/dev/full'
	assert_regex "$stderr" "hf-ledger: stdout: No space left on device"
}

@test "hf-ledger append: a page's commit that fails stops it, exit 1; the state names only what is stored" {
	{
		rec a/1
		mark 1
		rec a/2
		mark 2
	} >in
	ln -s /dev/full rec
	run -1 --separate-stderr hf-ledger append --state st rec <in
	assert_regex "$stderr" "hf-ledger: rec: "
	assert_file_not_exists st
}
