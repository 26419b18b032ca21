#!/usr/bin/env bats
# Secrets and TLS: the token stays in the environment and the Authorization
# header; certificates are verified; only http and https are spoken.
bats_require_minimum_version 1.5.0

setup_file() {
	load helper
	fakehub_suite_setup --synthetic 1500 --seed 9
	# a self-signed certificate for 127.0.0.1
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	    -addext subjectAltName=IP:127.0.0.1 \
	    -keyout "$BATS_FILE_TMPDIR/key.pem" -out "$BATS_FILE_TMPDIR/cert.pem" \
	    2>/dev/null
	export CERT="$BATS_FILE_TMPDIR/cert.pem" KEY="$BATS_FILE_TMPDIR/key.pem"
}

setup() {
	load helper
	hf_setup
	unset CURL_CA_BUNDLE SSL_CERT_FILE SSL_CERT_DIR
}

tls_start() {
	fakehub_start --corpus "$CORPUS" --tls-cert "$CERT" --tls-key "$KEY" "$@"
	HF_ENDPOINT="https://127.0.0.1:${HF_ENDPOINT##*:}"
	export HF_ENDPOINT
}

@test "security: a self-signed https endpoint is refused at once, not retried" {
	tls_start
	HF_TOKEN=hf_tls_secret run -1 --separate-stderr hf-list --limit 5
	assert_equal "$output" ""
	assert_regex "$stderr" '^hf-list: page 1: .*(certificate|SSL|verif)'
	assert_equal "${#stderr_lines[@]}" 1
	[ ! -s "$FAKEHUB_LOG" ]
}

@test "security: CURL_CA_BUNDLE or SSL_CERT_FILE pointed at the certificate makes it work" {
	tls_start --token hf_tls_secret
	HF_TOKEN=hf_tls_secret CURL_CA_BUNDLE=$CERT run -0 hf-list --page-size 500
	assert_equal "${#lines[@]}" 1500
	assert_equal "$(jq -r .auth "$FAKEHUB_LOG" | sort -u)" valid
	# the Link URLs are https too: every page was fetched over TLS
	assert_equal "$(jq -s length "$FAKEHUB_LOG")" 3
	HF_TOKEN=hf_tls_secret SSL_CERT_FILE=$CERT run -0 hf-list --limit 3
	assert_equal "${#lines[@]}" 3
}

@test "security: the token is in no argument, file, log line or message of a whole scrape" {
	secret=hf_Zq8vS3cr3tT0k3nValue
	fakehub_start --corpus "$CORPUS" --token "$secret" --latency 0.1
	printf 'HF_TOKEN=%s\n' "$secret" >.env
	set -a
	. ./.env
	set +a
	hf-scraper --full-scan --min-downloads 0 --checkpoint-interval 100 \
	    -o out >stdout 2>stderr &
	pid=$!
	# sample every process's command line while the scrape runs (but
	# the fake Hub's, which is given the token to check against)
	: >cmdlines
	while kill -0 "$pid" 2>/dev/null; do
		grep -a -H -v -F fakehub.py /proc/[0-9]*/cmdline 2>/dev/null |
		    tr '\0' ' ' >>cmdlines || true
		sleep 0.02
	done
	wait "$pid"
	unset HF_TOKEN
	grep -q 'hf-list' cmdlines
	run -1 grep -F "$secret" cmdlines
	run -1 grep -rF "$secret" out stdout stderr "$FAKEHUB_LOG"
	assert_equal "$(jq -r .auth "$FAKEHUB_LOG" | sort -u)" valid
	# the checkpoint of an interrupted run holds no token either
	HF_TOKEN=$secret hf-scraper --full-scan --min-downloads 0 --force -o out2 2>/dev/null &
	pid=$!
	sleep 1
	kill -9 "$pid"
	wait "$pid" || true
	run -1 grep -rF "$secret" out2
	# nothing echoes the .env file
	run -1 grep -F "HF_TOKEN=" stdout stderr
}

@test "security: a wrong token's 401 message does not repeat the token" {
	fakehub_start --corpus "$CORPUS" --token right
	HF_TOKEN=hf_wrong_value_123 run -1 --separate-stderr hf-scraper --limit 10 -o out
	refute_output --partial hf_wrong_value_123
	run -1 grep -F hf_wrong_value_123 <<<"$stderr"
}

@test "security: only http and https: other schemes in HF_ENDPOINT are refused" {
	HF_ENDPOINT=file:///etc run -1 --separate-stderr hf-list --limit 1
	assert_regex "$stderr" '^hf-list: page 1: .*(Unsupported protocol|not supported|disabled)'
	HF_ENDPOINT=ftp://127.0.0.1:1 run -1 --separate-stderr hf-list --limit 1
	assert_equal "${#stderr_lines[@]}" 1
}

# hub_b: a second fake Hub (another origin) that must see nothing;
# exports B_ENDPOINT, B_LOG, B_PID. Stopped by teardown.
hub_b() {
	fakehub_start --corpus "$CORPUS" "$@"
	B_ENDPOINT=$HF_ENDPOINT B_LOG=$FAKEHUB_LOG B_PID=$FAKEHUB_PID
	unset FAKEHUB_PID
}

teardown() {
	fakehub_teardown
	if [ -n "${B_PID-}" ]; then
		kill "$B_PID" 2>/dev/null || true
		wait "$B_PID" 2>/dev/null || true
	fi
}

@test "security: a Link to another origin (a live Hub) gets no request and no token, from hf-list or hf-scraper" {
	secret=hf_LinkOtherOrigin0123456789
	hub_b
	fakehub_start --corpus "$CORPUS" --link-base "$B_ENDPOINT"
	HF_TOKEN=$secret run -1 --separate-stderr hf-list --page-size 100
	assert_equal "$output" ""
	assert_regex "$stderr" "^hf-list: page 1: Link to another origin refused: $B_ENDPOINT/api/models\?"
	refute_regex "$stderr" "$secret"
	HF_TOKEN=$secret run -1 --separate-stderr hf-scraper --limit 300 \
	    --checkpoint-interval 100 -o out
	assert_regex "$stderr" "Link to another origin refused"
	assert_regex "$stderr" "main scan failed"
	refute_regex "$stderr" "$secret"
	run -1 grep -rF "$secret" out
	# the other Hub saw nothing at all; this one saw the token each time
	[ ! -s "$B_LOG" ]
	assert_equal "$(jq -r .auth "$FAKEHUB_LOG" | sort -u)" present
}

@test "security: another origin is another scheme, host name or port, even on the same server" {
	fakehub_start --corpus "$CORPUS" --link-base "http://localhost:${HF_ENDPOINT##*:}"
	HF_TOKEN=hf_same_server_other_name run -1 --separate-stderr hf-list --page-size 100
	assert_regex "$stderr" "^hf-list: page 1: Link to another origin refused: http://localhost:"
	assert_equal "$(jq -s length "$FAKEHUB_LOG")" 1
	fakehub_stop
	fakehub_start --corpus "$CORPUS" --link-base "https://127.0.0.1:${HF_ENDPOINT##*:}"
	HF_TOKEN=hf_same_server_other_scheme run -1 --separate-stderr hf-list --page-size 100
	assert_regex "$stderr" "^hf-list: page 1: Link to another origin refused: https://127.0.0.1:"
	assert_equal "$(jq -s length "$FAKEHUB_LOG")" 1
}

@test "security: Links and endpoints of schemes other than http and https are refused" {
	for scheme in file:// ftp://127.0.0.1 gopher://127.0.0.1 dict://127.0.0.1 \
	    scp://127.0.0.1 ldap://127.0.0.1 telnet://127.0.0.1 smb://127.0.0.1; do
		fakehub_start --corpus "$CORPUS" --link-base "$scheme"
		HF_TOKEN=hf_scheme_secret run -1 --separate-stderr hf-list --page-size 100
		assert_equal "$output" ""
		assert_regex "$stderr" "^hf-list: page 1: Link to another origin refused: ${scheme%%:*}:"
		assert_equal "$(jq -s length "$FAKEHUB_LOG")" 1
		refute_regex "$stderr" hf_scheme_secret
		fakehub_stop
		HF_ENDPOINT=$scheme/x HF_TOKEN=hf_scheme_secret run -1 --separate-stderr hf-list --limit 1
		assert_equal "$output" ""
		assert_equal "${stderr_lines[0]}" "hf-list: $scheme/x: not https nor loopback: the token (from HF_TOKEN) is not sent"
		assert_regex "${stderr_lines[1]}" "^hf-list: page 1: Protocol \"${scheme%%:*}\" not supported or disabled"
		refute_regex "$stderr" hf_scheme_secret
	done
}

@test "security: a redirect is not followed (the token stays with the endpoint)" {
	secret=hf_RedirectSecret42
	hub_b
	fakehub_start --corpus "$CORPUS" --redirect "$B_ENDPOINT"
	HF_TOKEN=$secret run -1 --separate-stderr hf-list --limit 5
	assert_equal "$output" ""
	assert_regex "$stderr" "^hf-list: page 1: HTTP 302: Found: $HF_ENDPOINT/api/models\\?[^ ]* redirects to $B_ENDPOINT/api/models\\?[^ ]* \\(not followed\\)\$"
	[ ! -s "$B_LOG" ]
	assert_equal "$(jq -s length "$FAKEHUB_LOG")" 1
}

@test "security: the token is in no message of a TLS failure, a 401, a 404 or a give-up" {
	secret=hf_MessageSecret987
	tls_start
	HF_TOKEN=$secret run -1 --separate-stderr hf-list --limit 5
	refute_regex "$stderr" "$secret"
	HF_TOKEN=$secret run -1 --separate-stderr hf-scraper --limit 5 -o out
	assert_regex "$stderr" "certificate|SSL|verif"
	refute_regex "$stderr" "$secret"
	fakehub_stop
	fakehub_start --corpus "$CORPUS" --require-token --token other
	HF_TOKEN=$secret run -1 --separate-stderr hf-list --limit 5
	assert_equal "$stderr" "hf-list: page 1: HTTP 401: Invalid credentials in Authorization header"
	fakehub_stop
	fakehub_start --corpus "$CORPUS"
	HF_ENDPOINT=$HF_ENDPOINT/nothing-here HF_TOKEN=$secret run -1 --separate-stderr hf-list --limit 5
	assert_regex "$stderr" "HTTP 404"
	refute_regex "$stderr" "$secret"
	fakehub_stop
	fakehub_start --corpus "$CORPUS" --fail-always 503
	HF_TOKEN=$secret run -1 --separate-stderr hf-list --limit 5
	assert_regex "$stderr" "giving up after 10 attempts"
	refute_regex "$stderr" "$secret"
	run -1 grep -rF "$secret" out
}

@test "security: a token from HF_HOME/token or HF_TOKEN_PATH is sent, and found in no file or message" {
	secret=hf_FileTokenSecret555
	fakehub_start --corpus "$CORPUS" --token "$secret" --latency 0.05
	mkdir -p "$HF_HOME"
	printf '%s\r\n' "$secret" >"$HF_HOME/token"
	run -0 --separate-stderr hf-scraper --limit 300 --checkpoint-interval 100 -o out
	assert_equal "$(jq -r .auth "$FAKEHUB_LOG" | sort -u)" valid
	refute_regex "$stderr" "$secret"
	run -1 grep -rF "$secret" out
	rm "$HF_HOME/token"
	printf '%s\n' "$secret" >tokfile
	HF_TOKEN_PATH=$PWD/tokfile run -0 --separate-stderr hf-list --limit 3
	assert_equal "${#lines[@]}" 3
	assert_equal "$(jq -r .auth "$FAKEHUB_LOG" | sort -u)" valid
	run -1 grep -F "$secret" <<<"$output$stderr"
}

@test "security: a .env file in the current directory is neither read nor echoed" {
	secret=hf_DotEnvSecret314
	fakehub_start --corpus "$CORPUS" --token "$secret"
	printf 'HF_TOKEN=%s\nHF_ENDPOINT=http://127.0.0.1:1\n' "$secret" >.env
	run -0 --separate-stderr hf-scraper --limit 200 --checkpoint-interval 100 -o out
	# no token was sent: the .env was not read (nor its endpoint used)
	assert_equal "$(jq -r .auth "$FAKEHUB_LOG" | sort -u)" none
	run -1 grep -rF -e "$secret" -e 'HF_TOKEN=' out
	refute_regex "$stderr" "$secret|HF_TOKEN="
	run -0 --separate-stderr hf-list --limit 3
	assert_equal "$(jq -r .auth "$FAKEHUB_LOG" | sort -u)" none
}

@test "security: SSL_CERT_DIR pointed at a hashed directory holding the certificate makes TLS work" {
	tls_start
	mkdir certs
	cp "$CERT" "certs/$(openssl x509 -hash -noout -in "$CERT").0"
	SSL_CERT_DIR=$PWD/certs run -0 hf-list --limit 3
	assert_equal "${#lines[@]}" 3
	# a bundle without it is refused, even with the directory unset
	CURL_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt run -1 hf-list --limit 3
}
