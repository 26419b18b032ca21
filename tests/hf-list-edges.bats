#!/usr/bin/env bats
# hf-list at the operator's edges (issue 17, SPEC 9.7) and against hostile
# Hubs (issue 20): resume into a truncated output, an unreachable Hub,
# errors that name their URL, rate-limit waits, labels, items
# --min-downloads cannot read, Link loops, trickling servers, the token.
bats_require_minimum_version 1.5.0

setup_file() {
	load helper
	fakehub_suite_setup --synthetic 600 --seed 11
}

setup() {
	load helper
	hf_setup
}

teardown() {
	fakehub_teardown
}

# a state of a listing killed after its first page, and that page
half_done() {
	hf-list --page-size 100 --limit 300 --state st >first
	jq -c '.next = "'"$HF_ENDPOINT"'/api/models?sort=downloads&limit=100&cursor=x" | .done = false | .count = 100' st >st.tmp
	mv st.tmp st
}

@test "hf-list edges: a resume into a file a > emptied is refused (exit 2, use >>); >> goes on" {
	fakehub_start --corpus "$CORPUS"
	hf-list --page-size 100 --limit 300 --state st >out
	jq -c '.done = false | .next = "'"$HF_ENDPOINT"'/api/models?x=1"' st >st.tmp
	mv st.tmp st
	n=$(jq -s length "$FAKEHUB_LOG")
	run -2 --separate-stderr sh -c 'hf-list --page-size 100 --limit 300 --state st >out'
	assert_equal "$stderr" "hf-list: --state st: resuming, but standard output is not open for appending: use >> (a > redirection truncated what was printed)"
	assert_equal "$(jq -s length "$FAKEHUB_LOG")" "$n"
	assert_equal "$(jq -r .done st)" false
	# a pipe is fine, and so is >>
	run sh -c 'hf-list --page-size 100 --limit 300 --state st | cat'
	refute_output --partial "use >>"
}

@test "hf-list edges: a finished state says listing already complete (N models), exit 0, no request" {
	fakehub_start --corpus "$CORPUS"
	hf-list --page-size 100 --limit 250 --state st >out
	n=$(jq -s length "$FAKEHUB_LOG")
	run -0 --separate-stderr sh -c 'hf-list --page-size 100 --limit 250 --state st >out2'
	assert_equal "$stderr" "hf-list: st: listing already complete (250 models)"
	assert_equal "$(jq -s length "$FAKEHUB_LOG")" "$n"
	[ ! -s out2 ]
	# the same for lanes
	set -- $(jq -r '.id | split("/")[0]' "$CORPUS" | sort | uniq -c | sort -rn | head -n 2 | awk '{print $2}')
	hf-list --jobs 2 --state lst --author "$1" --author "$2" >lout
	run -0 --separate-stderr hf-list --jobs 2 --state lst --author "$1" --author "$2"
	assert_equal "$output" ""
	assert_equal "$stderr" "hf-list: lst: listing already complete ($(wc -l <lout) models)"
}

@test "hf-list edges: an unreachable Hub fails after 3 attempts within seconds, naming the URL and HF_ENDPOINT" {
	SECONDS=0
	HF_ENDPOINT=http://127.0.0.1:1 HF_TOKEN=hf_unreach_secret run -1 --separate-stderr hf-list --limit 3
	[ "$SECONDS" -lt 15 ]
	assert_equal "$output" ""
	assert_equal "${#stderr_lines[@]}" 3
	assert_regex "${stderr_lines[0]}" '^hf-list: page 1: .*; retry 1 of 2 in [0-9.]+ s$'
	assert_regex "${stderr_lines[1]}" '^hf-list: page 1: .*; retry 2 of 2 in [0-9.]+ s$'
	assert_regex "${stderr_lines[2]}" '^hf-list: page 1: cannot reach http://127\.0\.0\.1:1/api/models\?sort=downloads&limit=3&.*: .*(connect|Connect).* \(HF_ENDPOINT=http://127\.0\.0\.1:1\)$'
	refute_regex "$stderr" hf_unreach_secret
	# real waits (1 and 2 s, with jitter): still within seconds
	SECONDS=0
	HF_LIST_WAIT_SCALE=1 HF_ENDPOINT=http://127.0.0.1:1 run -1 --separate-stderr hf-list --limit 3
	[ "$SECONDS" -lt 15 ]
	assert_equal "${#stderr_lines[@]}" 3
	# no such host
	HF_ENDPOINT=http://no-such-host.invalid run -1 --separate-stderr hf-list --limit 3
	assert_regex "${stderr_lines[2]}" '^hf-list: page 1: cannot reach http://no-such-host\.invalid/api/models\?.*\(HF_ENDPOINT=http://no-such-host\.invalid\)$'
}

@test "hf-list edges: a resume's first request gets 3 attempts too; a Hub gone after a page gets the full 10" {
	fakehub_start --corpus "$CORPUS"
	hf-list --page-size 100 --limit 200 --state st >out
	port=${HF_ENDPOINT##*:}
	jq -c '.done = false | .count = 0 | .next = "'"$HF_ENDPOINT"'/api/models?x=1"' st >st.tmp && mv st.tmp st
	fakehub_stop
	run -1 --separate-stderr hf-list --page-size 100 --limit 200 --state st
	assert_regex "${stderr_lines[2]}" "^hf-list: page 1: cannot reach http://127.0.0.1:$port/api/models\\?x=1: "
	assert_equal "${#stderr_lines[@]}" 3
	# the Hub answers the first page, then is gone
	fakehub_start --corpus "$CORPUS" --latency 0.3
	hf-list --page-size 100 >out 2>err &
	pid=$!
	until [ -s "$FAKEHUB_LOG" ]; do sleep 0.05; done
	fakehub_stop
	wait "$pid" || rc=$?
	assert_equal "${rc-0}" 1
	run -0 grep -c 'retry [0-9] of 9' err
	assert_output 9
	run -0 grep -c '^hf-list: page 2: giving up after 10 attempts: ' err
	assert_equal "$(wc -l <out)" 100
}

@test "hf-list edges: HTTP errors name the URL; 404 suggests HF_ENDPOINT is not a Hub; 302 names its target" {
	fakehub_start --corpus "$CORPUS"
	HF_ENDPOINT=$HF_ENDPOINT/nothing-here run -1 --separate-stderr hf-list --limit 5
	assert_equal "$stderr" "hf-list: page 1: HTTP 404: Sorry, we can't find the page you are looking for.: $HF_ENDPOINT/nothing-here/api/models?sort=downloads&limit=5&expand=config&expand=safetensors&expand=downloads&expand=likes&expand=lastModified&expand=tags&expand=pipeline_tag&expand=gated&expand=author (HF_ENDPOINT=$HF_ENDPOINT/nothing-here may not point at a Hub)"
	fakehub_stop
	fakehub_start --corpus "$CORPUS" --fail-always 503
	run -1 --separate-stderr hf-list --limit 5
	assert_equal "${stderr_lines[9]}" "hf-list: page 1: giving up after 10 attempts: HTTP 503: Service Unavailable"
	assert_equal "${stderr_lines[10]}" "hf-list: page 1: its URL: $HF_ENDPOINT/api/models?sort=downloads&limit=5&expand=config&expand=safetensors&expand=downloads&expand=likes&expand=lastModified&expand=tags&expand=pipeline_tag&expand=gated&expand=author"
	fakehub_stop
	fakehub_start --corpus "$CORPUS" --redirect http://elsewhere.example
	run -1 --separate-stderr hf-list --limit 5
	assert_regex "$stderr" "^hf-list: page 1: HTTP 302: Found: $HF_ENDPOINT/api/models\?.* redirects to http://elsewhere\.example/api/models\?sort=downloads&limit=5&.* \(not followed\)$"
	# a user and password in HF_ENDPOINT stay out of the messages
	fakehub_stop
	fakehub_start --corpus "$CORPUS" --fail-always 403
	HF_ENDPOINT="http://me:pw_secret@${HF_ENDPOINT#http://}" run -1 --separate-stderr hf-list --limit 5
	assert_regex "$stderr" '^hf-list: page 1: HTTP 403: .*: http://127\.0\.0\.1:'
	refute_regex "$stderr" pw_secret
}

@test "hf-list edges: a 200 that is not a JSON array names its Content-Type and first bytes" {
	fakehub_start --corpus "$CORPUS" --fault-nonjson 0.9 --fault-max-run 2
	run -0 --separate-stderr hf-list --limit 5
	assert_equal "${stderr_lines[0]}" 'hf-list: page 1: response is not a JSON array; retry 1 of 9 in '"$(sed -n 's/.* in \([0-9.]*\) s .*/\1/p' <<<"${stderr_lines[0]}")"' s (Content-Type text/html; charset=utf-8, 183 bytes: "<!DOCTYPE html>\n<html><head><title>Service temporarily unava"...)'
}

@test "hf-list edges: a rate-limit wait is announced, with its real duration" {
	fakehub_start --corpus "$CORPUS" --quota 2 --window 2
	HF_LIST_WAIT_SCALE=1 run -0 --separate-stderr hf-list --page-size 100 --limit 300
	assert_equal "${#lines[@]}" 300
	assert_regex "$stderr" "^hf-list: waiting [12]s for the Hub's rate limit$"
	assert_equal "${#stderr_lines[@]}" 1
}

@test "hf-list edges: a RateLimit wait is capped at the policy's window, or 10 minutes, and says so" {
	fakehub_start --corpus "$CORPUS" --storm 1 --fault-t 1000000000 --window 3
	SECONDS=0
	HF_LIST_WAIT_SCALE=1 run -0 --separate-stderr hf-list --page-size 100 --limit 200
	[ "$SECONDS" -lt 20 ]
	assert_equal "${#lines[@]}" 200
	assert_regex "$stderr" "hf-list: page 2: the Hub's rate limit asks for a wait of 277777h46m41s: capped at 3s \(the window of its RateLimit-Policy\)"
	assert_regex "$stderr" 'HTTP 429: .*; retry 1 of 9 in 3\.0 s'
	# said once a wait
	assert_equal "$(grep -c 'capped at' <<<"$stderr")" 1
	fakehub_stop
	fakehub_start --corpus "$CORPUS" --storm 1 --fault-t 1000000000 --window 100000
	run -0 --separate-stderr hf-list --page-size 100 --limit 200
	assert_regex "$stderr" 'capped at 10m0s \(10 minutes\)'
	assert_regex "$stderr" 'retry 1 of 9 in 600\.0 s'
}

@test "hf-list edges: --label begins every message; a lane's messages name its orgs" {
	fakehub_start --corpus "$CORPUS" --fail-always 503
	run -1 --separate-stderr hf-list --label "main scan" --limit 5
	assert_equal "${#stderr_lines[@]}" 11
	for l in "${stderr_lines[@]}"; do
		assert_regex "$l" '^hf-list: main scan: page 1: '
	done
	fakehub_stop
	fakehub_start --corpus "$CORPUS"
	run -0 --separate-stderr hf-list --label sweep --page-size 100 --limit 250 --progress
	assert_regex "${stderr_lines[0]}" '^hf-list: sweep: 100 models, 1 pages, [0-9.]+ s$'
	fakehub_stop
	fakehub_start --corpus "$CORPUS" --fail-always 404
	run -1 --separate-stderr hf-list --jobs 2 --author org-a --author org-b --author org-c
	assert_regex "$stderr" "hf-list: page 1: HTTP 404: .* \(lane 1: org-a org-b\)"
	assert_regex "$stderr" "hf-list: page 1: HTTP 404: .* \(lane 2: org-c\)"
	run -1 --separate-stderr hf-list --label canon --jobs 2 --author org-a --author org-b
	assert_regex "$stderr" "hf-list: canon: page 1: HTTP 404: .* \(lane 2: org-b\)"
	assert_regex "$stderr" "hf-list: canon: not listed: the models of org-a org-b"
	run -2 --separate-stderr hf-list --label
	run -0 hf-list --help
	assert_output --partial "--label text"
}

@test "hf-list edges: with --min-downloads an item that is not an object, or whose downloads is a string, is skipped, exit 3" {
	# a string count high in the order: today it ended the listing
	jq -c 'if .id == "'"$(jq -r .id "$CORPUS" | sed -n 3p)"'" then .downloads = "99999999999" else . end' "$CORPUS" >corpus
	n=$(jq -s 'map(select((.downloads|type) == "number" and .downloads >= 5)) | length' corpus)
	fakehub_start --corpus corpus --prepend-item 42
	run -3 --separate-stderr hf-list --min-downloads 5 --page-size 100
	assert_equal "${#lines[@]}" "$n"
	assert_regex "${stderr_lines[0]}" '^hf-list: page 1: item 1: not an object: skipped$'
	assert_regex "$stderr" "hf-list: page 1: item 2 \\($(jq -r .id "$CORPUS" | sed -n 3p)\\): downloads is not a number: skipped"
	# without a threshold (0), every item passes, as before
	run -0 hf-list --min-downloads 0 --page-size 1000
	assert_equal "${#lines[@]}" 601
}

@test "hf-list edges: a Link back to a page already fetched is fatal, not a loop" {
	fakehub_start --corpus "$CORPUS" --link-loop
	SECONDS=0
	run -1 --separate-stderr hf-list --page-size 100
	[ "$SECONDS" -lt 10 ]
	# refused before the page is printed, as a Link to another origin
	assert_equal "$output" ""
	assert_regex "$stderr" '^hf-list: page 1: the Link points back to a page already fetched: http://'
	assert_equal "$(jq -s length "$FAKEHUB_LOG")" 1
}

@test "hf-list edges: a relative Link is resolved against the request URL" {
	fakehub_start --corpus "$CORPUS" --relative-link
	run -0 --separate-stderr hf-list --page-size 100
	assert_equal "${#lines[@]}" 600
	assert_equal "$stderr" ""
	assert_equal "$(jq -s length "$FAKEHUB_LOG")" 6
	fakehub_stop
	fakehub_start --corpus "$CORPUS" --relative-link --link-loop
	run -1 --separate-stderr hf-list --page-size 100
	assert_regex "$stderr" 'the Link points back to a page already fetched: /api/models\?'
}

@test "hf-list edges: --timeout is also a whole-request deadline (a trickling server)" {
	fakehub_start --corpus "$CORPUS" --trickle 1 --trickle-rate 4 --no-gzip
	SECONDS=0
	run -0 --separate-stderr hf-list --timeout 1 --limit 50
	[ "$SECONDS" -lt 15 ]
	assert_equal "${#lines[@]}" 50
	assert_regex "${stderr_lines[0]}" '^hf-list: page 1: Operation timed out after 5[0-9]{3} milliseconds.*; retry 1 of 9'
}

@test "hf-list edges: the token goes over http to a numeric loopback or localhost only" {
	fakehub_start --corpus "$CORPUS"
	port=${HF_ENDPOINT##*:}
	HF_TOKEN=hf_loop run -0 --separate-stderr hf-list --limit 1
	assert_equal "$stderr" ""
	assert_equal "$(jq -r .auth "$FAKEHUB_LOG")" present
	# a name that starts with 127. is anyone's name (it does not resolve
	# here: the warning is what matters)
	HF_ENDPOINT=http://127.0.0.1.example.invalid:$port HF_TOKEN=hf_loop run -1 --separate-stderr hf-list --limit 1
	assert_equal "${stderr_lines[0]}" "hf-list: http://127.0.0.1.example.invalid:$port: not https nor loopback: the token (from HF_TOKEN) is not sent"
}

@test "hf-list edges: a token with a CR, LF or other control byte is refused and never sent" {
	fakehub_start --corpus "$CORPUS"
	HF_TOKEN=$'hf_a\r\nX-Injected: 1' run -1 --separate-stderr hf-list --limit 1
	assert_equal "$output" ""
	assert_equal "$stderr" "hf-list: the token (from HF_TOKEN) holds a control character (CR, LF or another): refused, nothing sent"
	[ ! -s "$FAKEHUB_LOG" ]
	printf 'hf_b\001c\n' >tok
	HF_TOKEN_PATH=$PWD/tok run -1 --separate-stderr hf-list --limit 1
	assert_equal "$stderr" "hf-list: the token (from token file) holds a control character (CR, LF or another): refused, nothing sent"
	HF_TOKEN=$'hf_a\nb' run -1 --separate-stderr hf-list --jobs 2 --author a --author b
	assert_equal "$stderr" "hf-list: the token (from HF_TOKEN) holds a control character (CR, LF or another): refused, nothing sent"
	[ ! -s "$FAKEHUB_LOG" ]
}

@test "hf-list edges: a gzip page gives the items a plain one gives; one that does not inflate, or in a coding not asked for, is retried, then named" {
	fakehub_start --corpus "$CORPUS"
	run -0 hf-list --page-size 100 --limit 250
	printf '%s\n' "$output" >gzipped
	fakehub_teardown
	fakehub_start --corpus "$CORPUS" --no-gzip
	run -0 hf-list --page-size 100 --limit 250
	printf '%s\n' "$output" >plain
	assert_equal "$(wc -l <plain)" 250
	cmp gzipped plain
	fakehub_teardown
	fakehub_start --corpus "$CORPUS" --coding gzip-corrupt
	run -1 --separate-stderr hf-list --limit 5
	assert_equal "${stderr_lines[0]}" "hf-list: page 1: a gzip body that does not decode; retry 1 of 9 in $(sed -n 's/.* in \([0-9.]*\) s.*/\1/p' <<<"${stderr_lines[0]}") s"
	assert_equal "${stderr_lines[-2]}" 'hf-list: page 1: giving up after 10 attempts: a gzip body that does not decode'
	assert_equal "$(jq -s length "$FAKEHUB_LOG")" 10
	fakehub_teardown
	fakehub_start --corpus "$CORPUS" --coding br
	run -1 --separate-stderr hf-list --limit 5
	assert_equal "${stderr_lines[-2]}" 'hf-list: page 1: giving up after 10 attempts: a body in a coding not asked for (Content-Encoding: br)'
}
