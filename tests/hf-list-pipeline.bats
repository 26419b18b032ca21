#!/usr/bin/env bats
# hf-list's side of the wrapper's pipeline, against the fake Hub: --stats,
# --skip-ids, --state-marks, the grammar of the --progress lines, and the
# cap on the memory of a page's JSON tokens.
bats_require_minimum_version 1.5.0

setup_file() {
	load helper
	fakehub_suite_setup --synthetic 2500 --seed 7
}

setup() {
	load helper
	hf_setup
}

teardown() {
	fakehub_teardown
}

# the orgs of the corpus with the most models, byte order
top_orgs() {
	jq -r .author "$CORPUS" | sort | uniq -c | sort -k1,1nr -k2 |
	    head -n "$1" | awk '{ print $2 }' | LC_ALL=C sort
}

# the value of one --stats line, read as the wrapper reads them
stat_of() {
	local name value
	while read -r name value; do
		if [ "$name" = "$1" ]; then
			echo "$value"
		fi
	done <"$2"
}

# the ids of the corpus in the Hub's order (downloads, descending)
listed_ids() {
	hf-list --page-size 1000 "$@" | jq -r .id
}

@test "hf-list --stats: six NAME VALUE lines, in order, in one write" {
	fakehub_start --corpus "$CORPUS"
	run -0 --separate-stderr hf-list --page-size 1000 --stats 3 3>stats
	assert_equal "${#lines[@]}" 2500
	assert_equal "$(cat stats)" "listed 2500
pages 3
hub_items 2500
registered 0
malformed 0
complete 1"
	assert_equal "$(stat_of pages stats)" 3
	# stopped by --limit: complete too, hub_items what the pages held
	run -0 --separate-stderr hf-list --page-size 4 --limit 10 --stats 3 3>stats
	assert_equal "$(cat stats)" "listed 10
pages 3
hub_items 12
registered 0
malformed 0
complete 1"
	# to a pipe, as the wrapper reads it
	run -0 --separate-stderr bash -c 'hf-list --page-size 1000 --limit 1 --stats 3 3>&1 >/dev/null | tr "\n" " "'
	assert_equal "$output" "listed 1 pages 1 hub_items 1 registered 0 malformed 0 complete 1 "
}

@test "hf-list --stats: written on exit 1 and 3, not after a usage error" {
	fakehub_start --corpus "$CORPUS" --fail-always 404
	run -1 --separate-stderr hf-list --stats 3 3>stats
	assert_equal "$(cat stats)" "listed 0
pages 0
hub_items 0
registered 0
malformed 0
complete 0"
	fakehub_stop
	fakehub_start --corpus "$CORPUS" --prepend-item '[1]'
	run -3 --separate-stderr hf-list --page-size 1000 --limit 5 --min-downloads 1 --stats 3 3>stats
	assert_equal "$(stat_of malformed stats)" 1
	assert_equal "$(stat_of hub_items stats)" 6
	assert_equal "$(stat_of listed stats)" 5
	: >stats
	run -2 --separate-stderr hf-list --limit ten --stats 3 3>stats
	assert_file_empty stats
}

@test "hf-list --stats: a file descriptor not open is a usage error, before any request" {
	fakehub_start --corpus "$CORPUS"
	run -2 --separate-stderr hf-list --stats 9
	assert_equal "$output" ""
	assert_equal "${stderr_lines[0]}" "hf-list: --stats: file descriptor 9 is not open"
	run -2 --separate-stderr hf-list --stats -1
	run -2 --separate-stderr hf-list --stats x
	assert_equal "${stderr_lines[0]}" "hf-list: --stats: not a number: x"
	assert_file_empty "$FAKEHUB_LOG"
}

@test "hf-list --stats: listed counts across resumes, pages only this process's" {
	fakehub_start --corpus "$CORPUS"
	hf-list --page-size 1000 --state st --state-marks >all
	grep -m 1 '^{"hf_list_state":' all | jq -c .hf_list_state >st
	assert_equal "$(jq .count st)" 1000
	run -0 --separate-stderr hf-list --page-size 1000 --state st --stats 3 3>stats
	assert_equal "${#lines[@]}" 1500
	assert_equal "$(stat_of listed stats)" 2500
	assert_equal "$(stat_of pages stats)" 2
	assert_equal "$(stat_of hub_items stats)" 1500
	assert_equal "$(stat_of complete stats)" 1
	# a listing complete already: nothing fetched, complete
	run -0 --separate-stderr hf-list --page-size 1000 --state st --stats 3 3>stats
	assert_equal "$(stat_of listed stats) $(stat_of pages stats) $(stat_of complete stats)" "2500 0 1"
}

@test "hf-list --stats with --jobs: the lanes' counts added up" {
	fakehub_start --corpus "$CORPUS"
	set -- $(top_orgs 3)
	listed_ids --author "$1" --author "$2" --author "$3" | head -n 4 >skip
	: >"$FAKEHUB_LOG"
	run -0 --separate-stderr hf-list --jobs 3 --page-size 5 --author "$1" \
	    --author "$2" --author "$3" --skip-ids skip --stats 3 3>stats
	n=$(jq -c "select(.author == \"$1\" or .author == \"$2\" or .author == \"$3\")" "$CORPUS" | wc -l)
	assert_equal "${#lines[@]}" $((n - 4))
	assert_equal "$(stat_of listed stats)" $((n - 4))
	assert_equal "$(stat_of hub_items stats)" "$n"
	assert_equal "$(stat_of registered stats)" 4
	assert_equal "$(stat_of pages stats)" "$(jq -s length "$FAKEHUB_LOG")"
	assert_equal "$(stat_of complete stats)" 1
	assert_equal "$(printf '%s\n' "${lines[@]}" | jq -r .id | grep -cxFf skip)" 0
}

@test "hf-list --skip-ids: the ids left out count neither toward --limit nor as printed" {
	fakehub_start --corpus "$CORPUS"
	listed_ids --limit 10 >first
	# a registry's ids, in any order, a CR and empty lines ignored
	{ sed -n '2p;5p' first; printf '\n%s\r\n' "$(sed -n 3p first)"; echo not/listed; } >skip
	: >"$FAKEHUB_LOG"
	run -0 --separate-stderr hf-list --limit 5 --skip-ids skip --stats 3 3>stats
	assert_equal "$stderr" ""
	assert_equal "$(printf '%s\n' "${lines[@]}" | jq -r .id)" "$(sed -n '1p;4p;6,8p' first)"
	# the Hub is asked for N + the ids of the file, as the reference does
	assert_equal "$(jq -r .query "$FAKEHUB_LOG" | grep -o '&limit=[0-9]*' | sort -u)" "&limit=9"
	assert_equal "$(jq -s length "$FAKEHUB_LOG")" 1
	assert_equal "$(stat_of registered stats) $(stat_of listed stats) $(stat_of hub_items stats)" "3 5 9"
	# no overshoot across pages: it stops right after the 5th model
	run -0 --separate-stderr hf-list --page-size 2 --limit 5 --skip-ids skip
	assert_equal "${#lines[@]}" 5
	assert_equal "$(jq -r .query "$FAKEHUB_LOG" | tail -n 1 | grep -o '&limit=[0-9]*')" "&limit=2"
	# the page size stays the most the Hub is asked for
	run -0 --separate-stderr hf-list --page-size 6 --limit 5 --skip-ids skip
	assert_equal "$(jq -r .query "$FAKEHUB_LOG" | tail -n 1 | grep -o '&limit=[0-9]*')" "&limit=6"
	# an empty file leaves out nothing
	: >empty
	run -0 --separate-stderr hf-list --limit 3 --skip-ids empty
	assert_equal "$(printf '%s\n' "${lines[@]}" | jq -r .id)" "$(head -n 3 first)"
}

@test "hf-list --skip-ids: without --limit, with --state, with --author" {
	fakehub_start --corpus "$CORPUS"
	jq -r .id "$CORPUS" | awk 'NR % 2' >skip
	run -0 --separate-stderr hf-list --skip-ids skip --state st
	assert_equal "$(printf '%s\n' "${lines[@]}" | jq -r .id | sort)" "$(jq -r .id "$CORPUS" | awk 'NR % 2 == 0' | sort)"
	assert_equal "$(jq .count st)" 1250
	set -- $(top_orgs 2)
	head -n 1 <(listed_ids --author "$2") >skip
	run -0 --separate-stderr hf-list --author "$1" --author "$2" --skip-ids skip
	assert_equal "$(printf '%s\n' "${lines[@]}" | jq -r .id | grep -cxFf skip)" 0
	assert_equal "${#lines[@]}" $(($(jq -c "select(.author == \"$1\" or .author == \"$2\")" "$CORPUS" | wc -l) - 1))
}

@test "hf-list --skip-ids: an unreadable file is exit 1 before any request" {
	fakehub_start --corpus "$CORPUS"
	run -1 --separate-stderr hf-list --skip-ids missing --stats 3 3>stats
	assert_equal "$output" ""
	assert_equal "$stderr" "hf-list: --skip-ids missing: No such file or directory"
	assert_equal "$(stat_of listed stats) $(stat_of complete stats)" "0 0"
	mkdir dir
	run -1 --separate-stderr hf-list --skip-ids dir
	assert_regex "$stderr" '^hf-list: --skip-ids dir: '
	assert_file_empty "$FAKEHUB_LOG"
}

@test "hf-list --state-marks: a mark after each page, the state never written" {
	fakehub_start --corpus "$CORPUS"
	run -0 --separate-stderr hf-list --page-size 1000 --state st --state-marks
	assert_equal "$stderr" ""
	assert_file_not_exists st
	assert_equal "${#lines[@]}" 2503
	# the marks: right after lines 1000, 2000 and 2500 of items
	assert_equal "$(printf '%s\n' "${lines[@]}" | grep -n '^{"hf_list_state":' | cut -d : -f 1 | tr '\n' ' ')" "1001 2002 2503 "
	printf '%s\n' "${lines[@]}" | grep '^{"hf_list_state":' >marks
	assert_equal "$(jq -c '.hf_list_state | [.count, .done, (.next | type), .part]' marks | tr '\n' ' ')" \
	    '[1000,false,"string",0] [2000,false,"string",0] [2500,true,"null",0] '
	# exactly what --state would have written: same keys, same order
	rm -f st2
	hf-list --page-size 1000 --limit 1000 --state st2 >/dev/null
	assert_equal "$(jq -c 'keys_unsorted' st2)" "$(head -n 1 marks | jq -c '.hf_list_state | keys_unsorted')"
	assert_equal "$(head -n 1 marks | jq -r '.hf_list_state | .endpoint + " " + .query')" "$(jq -r '.endpoint + " " + (.query | sub("limit=1000"; "limit=1000"))' st2)"
	# one object, one line, no white space
	run -0 jq -c . marks
	assert_equal "$output" "$(cat marks)"
}

@test "hf-list --state-marks: resumes from a state a consumer wrote, with records_bytes" {
	fakehub_start --corpus "$CORPUS"
	hf-list --page-size 1000 --state st --state-marks >all
	grep -m 1 '^{"hf_list_state":' all | jq -c .hf_list_state >mark
	# the consumer's file: records_bytes first, then the state as printed
	sed 's/^{/{"records_bytes":12345,/' mark >st
	cp st st.before
	: >"$FAKEHUB_LOG"
	run -0 --separate-stderr hf-list --page-size 1000 --state st --state-marks
	assert_equal "${#lines[@]}" 1502
	cmp st st.before
	assert_equal "$(jq -s length "$FAKEHUB_LOG")" 2
	grep -v '^{"hf_list_state":' all | sed -n '1001,$p' >want
	printf '%s\n' "${lines[@]}" | grep -v '^{"hf_list_state":' | cmp - want
	# records_bytes anywhere, of any value
	jq -c '. + {"records_bytes": 7}' mark >st
	run -0 --separate-stderr hf-list --page-size 1000 --state st
	assert_equal "${#lines[@]}" 1500
}

@test "hf-list --state-marks: any other key is refused" {
	fakehub_start --corpus "$CORPUS"
	hf-list --page-size 1000 --limit 1000 --state st >/dev/null
	jq -c '. + {"count": 5}' st >st.ok
	jq -c '. + {"records": 5}' st.ok >st.bad
	cp st.bad st
	: >"$FAKEHUB_LOG"
	run -1 --separate-stderr hf-list --page-size 1000 --limit 1000 --state st --state-marks
	assert_equal "$stderr" "hf-list: st: not an hf-list state file: unknown key records"
	run -1 --separate-stderr hf-list --page-size 1000 --limit 1000 --state st
	assert_equal "$stderr" "hf-list: st: not an hf-list state file: unknown key records"
	assert_equal "$output" ""
	assert_file_empty "$FAKEHUB_LOG"
}

@test "hf-list --state-marks: usage errors, a state of lanes, a finished listing" {
	fakehub_start --corpus "$CORPUS"
	run -2 --separate-stderr hf-list --state-marks
	assert_equal "${stderr_lines[0]}" "hf-list: --state-marks needs --state"
	run -2 --separate-stderr hf-list --state st --state-marks --jobs 2
	assert_equal "${stderr_lines[0]}" "hf-list: --state-marks cannot be used with --jobs above 1"
	set -- $(top_orgs 2)
	hf-list --jobs 2 --author "$1" --author "$2" --state lanes >/dev/null
	run -1 --separate-stderr hf-list --author "$1" --author "$2" --state lanes --state-marks
	assert_equal "$stderr" "hf-list: --state lanes: a listing in lanes (--jobs) cannot go on with --state-marks"
	assert_equal "$output" ""
	# finished: no mark, nothing printed, the file untouched
	hf-list --page-size 1000 --limit 3 --state st >/dev/null
	cp st st.before
	run -0 --separate-stderr hf-list --page-size 1000 --limit 3 --state st --state-marks
	assert_equal "$output" ""
	cmp st st.before
}

@test "hf-list --state-marks: a failed page leaves no mark; an item like a mark is skipped" {
	fakehub_start --corpus "$CORPUS" --fail-always 404
	run -1 --separate-stderr hf-list --state st --state-marks
	assert_equal "$output" ""
	assert_file_not_exists st
	fakehub_stop
	fakehub_start --corpus "$CORPUS" --prepend-item '{"hf_list_state":1,"count":0}'
	run -3 --separate-stderr hf-list --page-size 1000 --limit 3 --state st --state-marks
	assert_equal "$stderr" "hf-list: page 1: item 1: looks like a state mark: skipped"
	assert_equal "${#lines[@]}" 4
	assert_equal "$(printf '%s\n' "${lines[@]}" | grep -c '^{"hf_list_state":')" 1
	# without --state-marks it is an item like any other
	run -0 --separate-stderr hf-list --page-size 1000 --limit 3
	assert_equal "${lines[0]}" '{"hf_list_state":1,"count":0}'
}

# the grammar of the progress lines, as hf-list(1) gives it
PROGRESS_RE='^hf-list: (.*: )?[0-9]+ models, ([0-9]+ pages|[0-9]+ of [0-9]+ lanes), [0-9]+\.[0-9] s$'

@test "hf-list --progress: the lines of a listing, with and without --label" {
	fakehub_start --corpus "$CORPUS"
	run -0 --separate-stderr hf-list --page-size 1000 --progress
	assert_equal "${#stderr_lines[@]}" 3
	for i in 0 1 2; do
		assert_regex "${stderr_lines[$i]}" "$PROGRESS_RE"
		assert_regex "${stderr_lines[$i]}" "^hf-list: $(((i + 1) * 1000 > 2500 ? 2500 : (i + 1) * 1000)) models, $((i + 1)) pages, [0-9]+\.[0-9] s\$"
	done
	run -0 --separate-stderr hf-list --page-size 1000 --limit 1000 --progress --label 'main: scan'
	assert_equal "${#stderr_lines[@]}" 1
	assert_regex "${stderr_lines[0]}" "$PROGRESS_RE"
	assert_regex "${stderr_lines[0]}" '^hf-list: main: scan: 1000 models, 1 pages, [0-9]+\.[0-9] s$'
	# an empty label is none
	run -0 --separate-stderr hf-list --page-size 1000 --limit 1 --progress --label ''
	assert_regex "${stderr_lines[0]}" '^hf-list: 1 models, 1 pages, [0-9]+\.[0-9] s$'
	# a resume counts the models printed before
	hf-list --page-size 1000 --limit 2000 --state st --state-marks >all
	grep -m 1 '^{"hf_list_state":' all | jq -c .hf_list_state >st
	run -0 --separate-stderr hf-list --page-size 1000 --limit 2000 --state st --progress
	assert_regex "${stderr_lines[0]}" '^hf-list: 2000 models, 1 pages, [0-9]+\.[0-9] s$'
}

@test "hf-list --progress-every: not on a terminal, a line each time the count passes a multiple" {
	fakehub_start --corpus "$CORPUS"
	run -0 --separate-stderr hf-list --page-size 300 --progress --progress-every 1000 --label main
	# 2500 models in pages of 300: past 1000 at 1200, past 2000 at 2100
	assert_equal "${#stderr_lines[@]}" 2
	assert_regex "${stderr_lines[0]}" '^hf-list: main: 1200 models, 4 pages, [0-9]+\.[0-9] s$'
	assert_regex "${stderr_lines[1]}" '^hf-list: main: 2100 models, 7 pages, [0-9]+\.[0-9] s$'
	run -2 --separate-stderr hf-list --progress-every 0
}

@test "hf-list --progress: the lines of lanes; other messages never match" {
	fakehub_start --corpus "$CORPUS" --fault-seed 3 --fault-5xx 0.3
	set -- $(top_orgs 3)
	run -0 --separate-stderr hf-list --jobs 3 --page-size 5 --author "$1" \
	    --author "$2" --author "$3" --progress --label lbl
	printf '%s\n' "${stderr_lines[@]}" | grep -E "$PROGRESS_RE" >progress || true
	assert_equal "$(wc -l <progress)" 3
	assert_regex "$(sed -n 1p progress)" '^hf-list: lbl: [0-9]+ models, 1 of 3 lanes, [0-9]+\.[0-9] s$'
	assert_regex "$(sed -n 3p progress)" "^hf-list: lbl: ${#lines[@]} models, 3 of 3 lanes, [0-9]+\.[0-9] s\$"
	# the retries are other lines, which the grammar leaves out
	assert [ "${#stderr_lines[@]}" -gt 3 ]
	printf '%s\n' "${stderr_lines[@]}" | grep -v -E "$PROGRESS_RE" >other
	assert_equal "$(grep -c '; retry ' other)" "$(wc -l <other)"
}

@test "hf-list: the rate-limit wait is one line of its own" {
	fakehub_start --corpus "$CORPUS" --quota 2 --window 2
	HF_LIST_WAIT_SCALE=1 run -0 --separate-stderr hf-list --page-size 100 --limit 300 --progress --label run
	assert_equal "${#lines[@]}" 300
	assert_equal "${#stderr_lines[@]}" 4
	printf '%s\n' "${stderr_lines[@]}" | grep -v -E "$PROGRESS_RE" >other
	assert_regex "$(cat other)" "^hf-list: run: waiting [12]s for the Hub's rate limit\$"
}

@test "hf-list: a page of tiny tokens is bounded by the page cap, asked for again with half, or named" {
	# an item of 3000 members: 28 KB of text, 6001 tokens of 16 bytes
	big=$(jq -cn '[range(3000) | {key: "k\(.)", value: 0}] | from_entries')
	fakehub_start --corpus "$CORPUS" --prepend-item "$big"
	# 100 items fit in 112000 bytes of text, not their tokens: 25 do
	HF_LIST_MAX_PAGE_BYTES=112000 run -0 --separate-stderr hf-list --limit 100
	assert_equal "$stderr" ""
	assert_equal "${#lines[@]}" 100
	assert_equal "$(jq -r .query "$FAKEHUB_LOG" | head -n 3 | grep -o '&limit=[0-9]*' | tr '\n' ' ')" "&limit=100 &limit=50 &limit=25 "
	# one item whose tokens alone exceed the cap: an error naming the page
	: >"$FAKEHUB_LOG"
	HF_LIST_MAX_PAGE_BYTES=90000 run -1 --separate-stderr hf-list --page-size 8 --stats 3 3>stats
	assert_equal "$output" ""
	assert_equal "$stderr" "hf-list: page 1: a single item has more JSON tokens than 90000 bytes can hold"
	assert_equal "$(stat_of pages stats) $(stat_of complete stats)" "0 0"
	# an item of bare numbers: 2 bytes of text a token, 40 KB of text
	# whose tokens take 320 KB
	fakehub_stop
	fakehub_start --corpus "$CORPUS" --prepend-item "[$(seq -s , 20000 | sed 's/[0-9]*/0/g')]"
	HF_LIST_MAX_PAGE_BYTES=200000 run -1 --separate-stderr hf-list --page-size 8
	assert_equal "$stderr" "hf-list: page 1: a single item has more JSON tokens than 200000 bytes can hold"
	HF_LIST_MAX_PAGE_BYTES=400000 run -0 --separate-stderr hf-list --page-size 8 --limit 2
	assert_equal "${lines[0]:0:6}" "[0,0,0"
}
