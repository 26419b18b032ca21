#!/usr/bin/env bats
# What every program's command line has in common: --help (and -h), the
# usage on stdout, exit 0; --version, "PROG VERSION" with the version the
# build recorded; an unknown option, exit 2 with the usage on stderr; the
# usage is its man page's SYNOPSIS. Each test loops over every program and
# names each one that fails.
#
# hf-scraper, the sh wrapper, differs from the C programs in three ways:
# - its --help goes on after the usage with the options and examples: the
#   usage is the first paragraph (up to the first empty line), which is
#   what usage_of in tests/helper.bash compares with the SYNOPSIS for every
#   program (the C programs print the usage alone);
# - an unknown option says "hf-scraper: unknown option: --x" where getopt
#   says "PROG: unrecognized option '--x'";
# - on an unknown option its usage on stderr is one line, "usage:
#   hf-scraper [options]; see hf-scraper --help", not the whole usage.
# shellcheck disable=SC2154 # $stderr, $stderr_lines: set by bats' run
bats_require_minimum_version 1.5.0

PROGS="hf-list hf-arch hf-filter-quant hf-classify hf-score hf-merge hf-registry
    hf-ledger hf-diff hf-scraper"

setup() {
	load helper
	hf_setup
	# nothing a program could reach by mistake
	HF_ENDPOINT=http://127.0.0.1:9
	export HF_ENDPOINT
}

# each CHECK: CHECK PROG for every program, on past a failure; fails
# naming every program that failed. A CHECK returns non-zero at its first
# failed assertion (errexit is off in it: each assertion ends in
# || return).
each() {
	local p failed=
	for p in $PROGS; do
		"$1" "$p" </dev/null || failed="$failed $p"
	done
	if [ -n "$failed" ]; then
		fail "$1 failed for:$failed"
	fi
}

# ran N PROG ARG...: run PROG ARG... (stdout and stderr apart); its exit
# status is N, else the command, its status and its stderr are shown.
ran() {
	local want=$1
	shift
	run --separate-stderr "$@"
	[ "$status" -eq "$want" ] && return
	printf '%s\n' "command: $*" "status : $status, not $want" \
	    "stderr : $stderr" | batslib_decorate "unexpected exit status" | fail
}

# The version make wrote into the programs (the Makefile's $(B)/version
# rule): git describe --tags --dirty in a checkout, else VERSION-gHASH;
# VERSION out of a checkout.
expected_version() {
	local v
	v=$(sed -n 's/^VERSION[[:space:]]*=[[:space:]]*//p' "$ROOT/Makefile")
	if [ -e "$ROOT/.git" ]; then
		git -C "$ROOT" describe --tags --dirty 2>/dev/null ||
		    echo "$v-g$(git -C "$ROOT" rev-parse --short HEAD)"
	else
		echo "$v"
	fi
}

help_check() {
	ran 0 "$1" --help || return
	assert_equal "$stderr" "" || return
	assert_regex "${lines[0]}" "^usage: $1( |\$)" || return
	local help=$output
	ran 0 "$1" -h || return
	assert_equal "$stderr" "" || return
	assert_equal "$output" "$help"
}

version_check() {
	ran 0 "$1" --version || return
	assert_equal "$stderr" "" || return
	assert_regex "$output" "^$1 [0-9]" || return
	assert_equal "$output" "$1 $VERSION" || {
		echo "# $1: built at another commit? (make rebuilds)"
		return 1
	}
}

unknown_option_check() {
	# a record on stdin: a stage that went on would print it
	ran 2 "$1" --no-such-option <<<'{"id":"org/model"}' || return
	assert_equal "$output" "" || return
	if [ "$1" = hf-scraper ]; then
		assert_equal "$stderr" "hf-scraper: unknown option: --no-such-option
usage: hf-scraper [options]; see hf-scraper --help"
		return
	fi
	assert_equal "${stderr_lines[0]}" "$1: unrecognized option '--no-such-option'" ||
	    return
	# then the usage, as --help prints it before its option lines
	assert_equal "$(sed 1d <<<"$stderr")" "$("$1" --help | sed '/^$/,$d')"
}

@test "cli: --help and -h print the usage to stdout, exit 0, nothing on stderr" {
	each help_check
}

@test "cli: --version prints PROG VERSION, the version of the build" {
	VERSION=$(expected_version)
	each version_check
}

@test "cli: an unknown option exits 2, stdout empty, the usage on stderr" {
	each unknown_option_check
}

@test "cli: the usage is the man page's SYNOPSIS" {
	each assert_usage_is_synopsis
}

# every long option of PROG's man page has a line in its --help
options_check() {
	local opt missing=
	[ "$1" = hf-scraper ] && return	# its --help is checked on its own
	for opt in $(mandoc -T ascii "$ROOT/man/$1.1" | col -b |
	    sed -n '/^SYNOPSIS$/,/^DESCRIPTION$/p' |
	    grep -o -- '--[a-z][a-z-]*' | sort -u); do
		"$1" --help | sed '1,/^$/d' | grep -q -- "$opt" ||
		    missing="$missing $opt"
	done
	[ -z "$missing" ] || { echo "$1 --help lacks:$missing"; return 1; }
}

@test "cli: --help has a line for every option of the SYNOPSIS" {
	each options_check
}
