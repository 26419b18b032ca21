#!/usr/bin/env bats
# Secrets and TLS: the token stays in the environment and the Authorization
# header; certificates are verified; only http and https are spoken.
bats_require_minimum_version 1.5.0

setup_file() {
	load helper
	hf_setup
	export CORPUS="$BATS_FILE_TMPDIR/corpus.ndjson"
	python3 "$FAKEHUB" --synthetic 1500 --seed 9 --write-corpus "$CORPUS"
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
	cd "$BATS_TEST_TMPDIR" || exit 1
	unset CURL_CA_BUNDLE SSL_CERT_FILE SSL_CERT_DIR
}

teardown() {
	fakehub_stop
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
