#!/usr/bin/env bats
# The build: --version follows the commit without make clean, and a new
# commit rebuilds only what the version is compiled into.

bats_require_minimum_version 1.5.0

setup() {
	load helper
	hf_setup
	command -v git >/dev/null || skip "no git"
	[ -e "$ROOT/.git" ] || skip "not a git checkout"
}

# A copy of the checkout with its history, without what was built.
copy_tree() {
	git clone -q "$ROOT" "$1"
	git -C "$1" -c user.name=t -c user.email=t@t commit -q --allow-empty \
	    -m base
}

@test "build: after a commit, make gives --version the new commit" {
	local d=$BATS_TEST_TMPDIR/tree head
	copy_tree "$d"
	run -0 make -s -C "$d" bin/hf-arch bin/hf-list
	head=$(git -C "$d" rev-parse --short HEAD)
	run -0 "$d/bin/hf-arch" --version
	assert_output --regexp "^hf-arch .*g$head\$"
	git -C "$d" -c user.name=t -c user.email=t@t commit -q --allow-empty \
	    -m next
	head=$(git -C "$d" rev-parse --short HEAD)
	run -0 make -C "$d" bin/hf-arch bin/hf-list
	# only the version's file is compiled again
	assert_line --partial "common/version.c"
	refute_line --partial "cmd/hf-arch/arch.c"
	refute_line --partial "common/json.c"
	run -0 "$d/bin/hf-arch" --version
	assert_output --regexp "^hf-arch .*g$head\$"
	run -0 "$d/bin/hf-list" --version
	assert_output --regexp "^hf-list .*g$head\$"
}

@test "build: make with nothing changed compiles nothing" {
	local d=$BATS_TEST_TMPDIR/tree
	copy_tree "$d"
	run -0 make -s -C "$d" all
	run -0 make -C "$d" all
	refute_output --partial "cc "
}

@test "build: everything built lies in bin/ and build/, ignored by git" {
	local d=$BATS_TEST_TMPDIR/tree
	copy_tree "$d"
	run -0 make -s -C "$d" all
	run -0 git -C "$d" status --porcelain --ignored
	refute_line --regexp '^!! (cmd|common|tests)/'
	run -0 git -C "$d" status --porcelain
	assert_output ""
}
