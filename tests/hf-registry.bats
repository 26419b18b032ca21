#!/usr/bin/env bats
# hf-registry: every query against the installed registry and jq, the
# default registry, bad and unusual registries, usage errors.
# shellcheck disable=SC2154 # $stderr is set by bats' run --separate-stderr
bats_require_minimum_version 1.5.0

setup() {
	load helper
	hf_setup
	R="$ROOT/data/registry.json"
	BAD="$FIX/classify/bad-registry"
	cd "$BATS_TEST_TMPDIR" || exit 1
	unset HF_SCRAPER_REGISTRY
}

USAGE='usage: hf-registry [--registry file] count
       hf-registry [--registry file] list
       hf-registry [--registry file] orgs [arch]
       hf-registry [--registry file] check arch
       hf-registry [--registry file] path
       hf-registry [--registry file] plan [arch]'

@test "hf-registry: --help prints the SYNOPSIS to stdout, exit 0" {
	run -0 --separate-stderr hf-registry --help
	assert_equal "$stderr" ""
	assert_equal "$(sed '/^$/,$d' <<<"$output")" "$USAGE"
	assert_usage_is_synopsis hf-registry
}

@test "hf-registry: --version" {
	run -0 --separate-stderr hf-registry --version
	assert_output --regexp '^hf-registry [0-9a-z.-]+$'
	assert_equal "$stderr" ""
}

@test "hf-registry: usage errors exit 2 with the usage on stderr, nothing on stdout" {
	local args msg
	while IFS='|' read -r args msg; do
		# shellcheck disable=SC2086 # the arguments are words
		run -2 --separate-stderr hf-registry $args
		assert_equal "$output" ""
		assert_equal "${stderr_lines[0]}" "hf-registry: $msg"
		assert_equal "$(printf '%s\n' "${stderr_lines[@]:1}")" "$USAGE"
	done <<-'EOF'
	--bogus count|unrecognized option '--bogus'
	count --registry|option '--registry' requires an argument
	|a query expected: count, list, orgs, path, plan or check
	bogus|bogus: not a query (count, list, orgs, path, plan or check)
	Count|Count: not a query (count, list, orgs, path, plan or check)
	count extra|count: takes no operand
	list extra|list: takes no operand
	orgs a b|orgs: one architecture at most
	check|check: one architecture expected
	check a b|check: one architecture expected
	check -x|invalid option -- 'x'
	EOF
	# a usage error is found before the registry is read
	run -2 --separate-stderr hf-registry --registry /nonexistent bogus
	assert_equal "${stderr_lines[0]}" "hf-registry: bogus: not a query (count, list, orgs, path, plan or check)"
}

@test "hf-registry: count and list: the supported architectures" {
	run -0 --separate-stderr hf-registry --registry "$R" count
	assert_output "$(jq '.supported_architectures | unique | length' "$R")"
	assert_equal "$stderr" ""
	run -0 --separate-stderr hf-registry --registry "$R" list
	assert_output "$(jq -r '.supported_architectures[]' "$R" | LC_ALL=C sort -u)"
	assert_equal "$stderr" ""
}

@test "hf-registry: orgs: every canonical org once, or an architecture's" {
	run -0 --separate-stderr hf-registry --registry "$R" orgs
	assert_output "$(jq -r '.canonical_authors_by_arch[][]' "$R" | LC_ALL=C sort -u)"
	assert_equal "$stderr" ""
	run -0 hf-registry --registry "$R" orgs GPTNeoXForCausalLM
	assert_output "$(jq -r '.canonical_authors_by_arch.GPTNeoXForCausalLM[]' "$R" | LC_ALL=C sort -u)"
	# an architecture without canonical orgs, or unknown: nothing, exit 0
	run -0 --separate-stderr hf-registry --registry "$R" orgs NoSuchForCausalLM
	assert_output ""
	assert_equal "$stderr" ""
	# exact: another case is another architecture
	run -0 hf-registry --registry "$R" orgs gptneoxforcausallm
	assert_output ""
}

@test "hf-registry: check: supported, case, closest" {
	run -0 --separate-stderr hf-registry --registry "$R" check LlamaForCausalLM
	assert_output supported
	assert_equal "$stderr" ""
	run -0 hf-registry --registry "$R" check llamaforcausallm
	assert_output "case LlamaForCausalLM"
	run -0 hf-registry --registry "$R" check LLAMAFORCAUSALLM
	assert_output "case LlamaForCausalLM"
	run -0 hf-registry --registry "$R" check LlamaForCausalLN
	assert_output "closest LlamaForCausalLM"
	run -0 hf-registry --registry "$R" check 'LlamaForCausalL\M'
	assert_output "closest LlamaForCausalLM"
	# two supported names differ only in case: the first in byte order
	run -0 hf-registry --registry "$R" check baichuanforcausallm
	assert_output "case BaiChuanForCausalLM"
	run -0 hf-registry --registry "$R" check BaichuanForCausalLM
	assert_output supported
	# anything as the argument: after --, a leading dash, white space
	run -0 hf-registry --registry "$R" check -- '-x $(touch pwned) "q" a b'
	assert_line --index 0 --regexp '^closest [A-Za-z0-9_]+$'
	assert_file_not_exists pwned
	run -0 hf-registry --registry "$R" check "$(printf 'Llama\nForCausalLM')"
	assert_output "closest LlamaForCausalLM"
	run -0 hf-registry --registry "$R" check ''
	assert_output --regexp '^closest [A-Za-z0-9_]+$'
}

@test "hf-registry: check: ties go to the first name in byte order; none when nothing is supported" {
	printf '%s\n' '{"supported_architectures":["Bb","Ab","Ba"]}' >r.json
	run -0 hf-registry --registry r.json check Xb
	assert_output "closest Ab"
	run -0 hf-registry --registry r.json check bA
	assert_output "case Ba"
	printf '%s\n' '{"supported_architectures":[],"canonical_authors_by_arch":{"A":["o"]}}' >none.json
	run -0 hf-registry --registry none.json check A
	assert_output none
	run -0 hf-registry --registry none.json count
	assert_output 0
	run -0 hf-registry --registry none.json list
	assert_output ""
	run -0 hf-registry --registry none.json orgs A
	assert_output o
}

@test "hf-registry: the default registry: HF_SCRAPER_REGISTRY, else beside the program; --registry wins" {
	printf '%s\n' '{"supported_architectures":["EnvForCausalLM"]}' >env.json
	printf '%s\n' '{"supported_architectures":["OptForCausalLM","X"]}' >opt.json
	run -0 hf-registry list
	assert_output "$(jq -r '.supported_architectures[]' "$R" | LC_ALL=C sort -u)"
	HF_SCRAPER_REGISTRY=env.json run -0 hf-registry list
	assert_output EnvForCausalLM
	HF_SCRAPER_REGISTRY=env.json run -0 hf-registry --registry opt.json count
	assert_output 2
	HF_SCRAPER_REGISTRY=/nonexistent/r.json run -1 --separate-stderr hf-registry count
	assert_equal "$stderr" "hf-registry: /nonexistent/r.json: No such file or directory"
	assert_equal "$output" ""
	# a copy of the program finds the registry beside its own location
	mkdir -p tree/bin tree/share/hf-scraper
	cp "$(command -v hf-registry)" tree/bin/
	cp env.json tree/share/hf-scraper/registry.json
	run -0 tree/bin/hf-registry list
	assert_output EnvForCausalLM
}

@test "hf-registry: a registry the stages refuse: exit 1, the file and the reason, as hf-classify says it" {
	local f
	for f in "$BAD"/*.json missing.json; do
		run -1 --separate-stderr hf-registry --registry "$f" count
		assert_equal "$output" ""
		run -1 --separate-stderr hf-classify --registry "$f" /dev/null
		assert_equal "${stderr/hf-classify:/hf-registry:}" "$(hf-registry --registry "$f" list 2>&1)"
	done
	run -1 --separate-stderr hf-registry --registry "$BAD/truncated.json" check X
	assert_equal "$stderr" "hf-registry: $BAD/truncated.json: truncated JSON"
	assert_equal "$output" ""
}

@test "hf-registry: unusual names: non-ASCII, spaces, quotes, a leading dash, repeats, orgs of an unsupported architecture" {
	cat >u.json <<-'EOF'
	{"unknown": [1, {"x": null}],
	 "supported_architectures": ["Caf\u00e9ForCausalLM", "A B", "-x",
	   "a\"q\\b", "FooLM", "FooLM", "\u00e9"],
	 "canonical_authors_by_arch": {
	   "FooLM": ["z-org", "a.org", "a.org", "B C"],
	   "-x": ["-dash", "a.org"],
	   "NotSupported": ["only-here"]}}
	EOF
	run -0 --separate-stderr hf-registry --registry u.json count
	assert_output 6
	run -0 hf-registry --registry u.json list
	assert_output "$(printf '%s\n' -x 'A B' 'CaféForCausalLM' FooLM 'a"q\b' é)"
	run -0 hf-registry --registry u.json orgs
	assert_output "$(printf '%s\n' -dash 'B C' a.org only-here z-org)"
	run -0 hf-registry --registry u.json orgs FooLM
	assert_output "$(printf '%s\n' 'B C' a.org z-org)"
	run -0 hf-registry --registry u.json orgs NotSupported
	assert_output only-here
	run -0 hf-registry --registry u.json orgs -- -x
	assert_output "$(printf '%s\n' -dash a.org)"
	run -0 hf-registry --registry u.json check -- -x
	assert_output supported
	run -0 hf-registry --registry u.json check 'a b'
	assert_output 'case A B'
	run -0 hf-registry --registry u.json check 'cafÉForCausalLM'
	assert_output 'closest CaféForCausalLM'
	run -0 hf-registry --registry u.json check 'CAFéFORCAUSALLM'
	assert_output 'case CaféForCausalLM'
}

@test "hf-registry: a name no line can show is refused, exit 1, quoted with \\xHH" {
	local reg msg
	while IFS='|' read -r reg msg; do
		printf '%s\n' "$reg" >bad.json
		run -1 --separate-stderr hf-registry --registry bad.json count
		assert_equal "$output" ""
		assert_equal "$stderr" "hf-registry: bad.json: $msg"
	done <<-'EOF'
	{"supported_architectures":["Llama\nForCausalLM"]}|architecture "Llama\x0aForCausalLM": a control byte in a name
	{"supported_architectures":["A"],"canonical_authors_by_arch":{"A":["o\trg"]}}|canonical_authors_by_arch.A: org "o\x09rg": a control byte in a name
	{"supported_architectures":["A"],"canonical_authors_by_arch":{"B\u007f":["o"]}}|architecture "B\x7f": a control byte in a name
	{"supported_architectures":["A\r"]}|architecture "A\x0d": a control byte in a name
	{"supported_architectures":[""]}|architecture "": an empty name
	{"supported_architectures":["A"],"canonical_authors_by_arch":{"A":[""]}}|canonical_authors_by_arch.A: org "": an empty name
	EOF
	# the stages read such a registry; only line output cannot show it
	printf '%s\n' '{"supported_architectures":["A\n"]}' >nl.json
	run -0 hf-classify --registry nl.json /dev/null
}

@test "hf-registry: a write error on stdout is fatal, exit 1" {
	[ -w /dev/full ] || skip "no /dev/full"
	run -1 --separate-stderr sh -c 'hf-registry --registry "$1" list >/dev/full' sh "$R"
	assert_regex "$stderr" '^hf-registry: stdout: No space left on device'
}

@test "hf-registry: the man page examples run" {
	local n=0 cmd
	while IFS= read -r -d '' cmd; do
		n=$((n + 1))
		run -0 --separate-stderr sh -c "$cmd"
		[ -n "$output" ]
		assert_equal "$stderr" ""
	done < <(man_examples "$ROOT/man/hf-registry.1")
	[ "$n" -ge 4 ]
	run -0 hf-registry check llamaforcausallm
	assert_output "case LlamaForCausalLM"
	run -0 hf-registry check LlamaForCausalLN
	assert_output "closest LlamaForCausalLM"
}

@test "hf-registry: path: the file read, named or found as the stages find it, once checked" {
	printf '%s\n' '{"supported_architectures":["EnvForCausalLM"]}' >env.json
	run -0 hf-registry --registry env.json path
	assert_output env.json
	HF_SCRAPER_REGISTRY=$PWD/env.json run -0 hf-registry path
	assert_output "$PWD/env.json"
	mkdir -p tree/bin tree/share/hf-scraper
	cp "$(command -v hf-registry)" tree/bin/
	cp env.json tree/share/hf-scraper/registry.json
	run -0 tree/bin/hf-registry path
	assert_output "$PWD/tree/bin/../share/hf-scraper/registry.json"
	printf '{"supported_architectures":' >cut.json
	run -1 --separate-stderr hf-registry --registry cut.json path
	assert_equal "$output" ""
	run -2 hf-registry path extra
}

@test "hf-registry: plan: path, count and orgs keyed, one program start; with arch its orgs and check" {
	run -0 hf-registry --registry "$R" plan
	{
		echo "path $R"
		echo "count $(hf-registry --registry "$R" count)"
		hf-registry --registry "$R" orgs | sed 's/^/org /'
	} >want
	assert_output "$(cat want)"
	run -0 hf-registry --registry "$R" plan GPTNeoXForCausalLM
	{
		cat want
		hf-registry --registry "$R" orgs GPTNeoXForCausalLM | sed 's/^/arch_org /'
		echo "check supported"
	} >want2
	assert_output "$(cat want2)"
	run -0 hf-registry --registry "$R" plan llamaforcausallm
	assert_equal "${lines[-1]}" "check case LlamaForCausalLM"
	printf '%s\n' '{"supported_architectures":["A B"],"canonical_authors_by_arch":{"A B":["my org"]}}' >sp.json
	run -0 hf-registry --registry sp.json plan "A B"
	assert_output "path sp.json
count 1
org my org
arch_org my org
check supported"
	run -2 --separate-stderr hf-registry plan a b
	assert_equal "$output" ""
	printf '{"supported_architectures":' >cut.json
	run -1 --separate-stderr hf-registry --registry cut.json plan
	assert_equal "$output" ""
}
