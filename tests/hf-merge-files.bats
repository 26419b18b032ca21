#!/usr/bin/env bats
# hf-merge and the file system (issue 20 items 3, 7 and 8): a registry
# file that is a symbolic link, its mode, a read-only one, one that is not
# a regular file, one that does not parse (where, and why in words), and
# an exit status that says whether the file was replaced.
bats_require_minimum_version 1.5.0

setup() {
	load helper
	hf_setup
	M="$FIX/merge"
	cd "$BATS_TEST_TMPDIR" || exit 1
	printf '%s\n' '{"architecture_id":"X","total_models":1}' >gaps.ndjson
}

teardown() {
	chmod -R u+w "$BATS_TEST_TMPDIR" 2>/dev/null || true
}

# fixture DIR: a copy of the fixture registry in DIR
fixture() {
	cp -r "$M/data" "$1"
}

# both DIR: hf-merge supported, then gaps, into DIR (status 0)
both() {
	run -0 --separate-stderr hf-merge supported -o "$1" --date 2026-04-16 \
	    "$M/records.ndjson"
	run -0 --separate-stderr hf-merge gaps -o "$1" --date 2026-04-16 \
	    gaps.ndjson
}

# no_temporary DIR...: no .NAME.XXXXXX left in any DIR
no_temporary() {
	local d
	for d in "$@"; do
		assert_equal "$(find "$d" -name '.*.??????' -type f)" ""
	done
}

@test "hf-merge files: a symlinked registry file: its target is replaced in place, the link stays a link" {
	fixture plain
	both plain
	fixture data
	mkdir elsewhere other
	# a relative link, and a chain of two: relative, then absolute
	mv data/supported_models.json elsewhere/real.json
	ln -s ../elsewhere/real.json data/supported_models.json
	mv data/architecture_gaps.json elsewhere/gaps.json
	ln -s "$PWD/elsewhere/gaps.json" other/gaps-link.json
	ln -s ../other/gaps-link.json data/architecture_gaps.json
	both data
	assert_link_exists data/supported_models.json
	assert_equal "$(readlink data/supported_models.json)" ../elsewhere/real.json
	assert_link_exists data/architecture_gaps.json
	assert_equal "$(readlink data/architecture_gaps.json)" ../other/gaps-link.json
	assert_link_exists other/gaps-link.json
	cmp plain/supported_models.json elsewhere/real.json
	cmp plain/architecture_gaps.json elsewhere/gaps.json
	cmp plain/verification_history.json data/verification_history.json
	# the temporary was beside the target, and is gone
	assert_equal "$(ls -A elsewhere)" "gaps.json
real.json"
	no_temporary data elsewhere other
}

@test "hf-merge files: a dangling link: its target is written as a new file, the link stays" {
	mkdir plain data new
	both plain
	ln -s ../new/supported.json data/supported_models.json
	ln -s "$PWD/new/gaps.json" data/architecture_gaps.json
	both data
	assert_link_exists data/supported_models.json
	assert_link_exists data/architecture_gaps.json
	cmp plain/supported_models.json new/supported.json
	cmp plain/architecture_gaps.json new/gaps.json
	no_temporary data new
	# a loop of links is an error, and nothing is written
	mkdir loop
	ln -s supported_models.json loop/supported_models.json
	run -1 --separate-stderr hf-merge supported -o loop "$M/records.ndjson"
	assert_equal "$stderr" "hf-merge: loop/supported_models.json: Too many levels of symbolic links"
	assert_not_exist loop/verification_history.json
}

@test "hf-merge files: the replacement keeps the file's mode; a new file gets 0666 less the umask" {
	local mode
	for mode in 600 640 604 664; do
		rm -rf data
		fixture data
		chmod "$mode" data/supported_models.json data/architecture_gaps.json
		both data
		assert_equal "$(stat -c %a data/supported_models.json)" "$mode"
		assert_equal "$(stat -c %a data/architecture_gaps.json)" "$mode"
	done
	# through a link: the target's mode is kept, the link stays
	mkdir linked
	cp "$M/data/supported_models.json" real.json
	chmod 600 real.json
	ln -s ../real.json linked/supported_models.json
	run -0 --separate-stderr hf-merge supported -o linked "$M/records.ndjson"
	assert_equal "$(stat -c %a real.json)" 600
	assert_link_exists linked/supported_models.json
	# new files: as today, the umask decides
	run -0 --separate-stderr sh -c 'umask 022; hf-merge supported -o a "$1"' sh "$M/records.ndjson"
	assert_equal "$(stat -c %a a/supported_models.json a/verification_history.json)" "644
644"
	run -0 --separate-stderr sh -c 'umask 077; hf-merge gaps -o b gaps.ndjson'
	assert_equal "$(stat -c %a b/architecture_gaps.json b/verification_history.json)" "600
600"
}

@test "hf-merge files: a read-only registry file is refused by its mode bits (root too), nothing written" {
	local mode
	for mode in 444 400 500 540; do
		rm -rf data before
		fixture data
		cp -r data before
		chmod "$mode" data/supported_models.json
		run -1 --separate-stderr hf-merge supported -o data --date 2026-04-16 "$M/records.ndjson"
		assert_equal "$stderr" "hf-merge: data/supported_models.json: read-only: not replaced (chmod u+w to allow it)"
		assert_equal "$(stat -c %a data/supported_models.json)" "$mode"
		chmod u+rw data/supported_models.json
		diff -r before data
		assert_not_exist data/verification_history.json
		no_temporary data
	done
	# gaps, and a read-only target behind a link (named by the link)
	fixture g
	chmod 444 g/architecture_gaps.json
	run -1 --separate-stderr hf-merge gaps -o g gaps.ndjson
	assert_equal "$stderr" "hf-merge: g/architecture_gaps.json: read-only: not replaced (chmod u+w to allow it)"
	cmp "$M/data/architecture_gaps.json" g/architecture_gaps.json
	mkdir linked
	cp "$M/data/supported_models.json" real.json
	chmod 400 real.json
	ln -s ../real.json linked/supported_models.json
	run -1 --separate-stderr hf-merge supported -o linked "$M/records.ndjson"
	assert_equal "$stderr" "hf-merge: linked/supported_models.json: read-only: not replaced (chmod u+w to allow it)"
	cmp "$M/data/supported_models.json" real.json
	# the owner's write bit is what counts: 0200 alone is writable
	fixture w
	chmod 200 w/supported_models.json
	run -0 --separate-stderr hf-merge supported -o w "$M/records.ndjson"
	assert_equal "$(stat -c %a w/supported_models.json)" 200
}

@test "hf-merge files: a FIFO, a device or a directory in place of a registry file is refused at once" {
	mkdir d
	mkfifo d/supported_models.json
	run -1 --separate-stderr timeout 10 hf-merge supported -o d "$M/records.ndjson"
	assert_equal "$stderr" "hf-merge: d/supported_models.json: not a regular file (a FIFO); left as it is"
	assert [ -p d/supported_models.json ]
	mkfifo d/architecture_gaps.json
	run -1 --separate-stderr timeout 10 hf-merge gaps -o d gaps.ndjson
	assert_equal "$stderr" "hf-merge: d/architecture_gaps.json: not a regular file (a FIFO); left as it is"
	assert_not_exist d/verification_history.json
	mkdir e
	ln -s /dev/null e/supported_models.json
	run -1 --separate-stderr timeout 10 hf-merge supported -o e "$M/records.ndjson"
	assert_equal "$stderr" "hf-merge: e/supported_models.json: not a regular file (a character device); left as it is"
	assert_link_exists e/supported_models.json
	mkdir -p f/architecture_gaps.json
	run -1 --separate-stderr timeout 10 hf-merge gaps -o f gaps.ndjson
	assert_equal "$stderr" "hf-merge: f/architecture_gaps.json: not a regular file (a directory); left as it is"
	assert_dir_exists f/architecture_gaps.json
	no_temporary d e f
}

@test "hf-merge files: exit 1 when the history file cannot be created: supported_models.json left as it was" {
	local long='' i
	# a directory whose path leaves room for the temporary of
	# supported_models.json (DIR/.supported_models.json.XXXXXX) but not
	# for that of verification_history.json: PATH_MAX, root or not
	for i in $(seq 20); do
		long="$long$(printf 'a%.0s' $(seq 200))/"
	done
	long="$long$(printf 'b%.0s' $(seq 44))"
	assert_equal "${#long}" 4064
	mkdir -p "$long"
	cp "$M/data/supported_models.json" "$long/"
	run -1 --separate-stderr hf-merge supported -o "$long" --date 2026-04-16 "$M/records.ndjson"
	# after the fixture's duplicate entry
	assert_equal "${#stderr_lines[@]}" 3
	assert_equal "${stderr_lines[1]}" "hf-merge: $long/verification_history.json: File name too long"
	assert_equal "${stderr_lines[2]}" "hf-merge: $long/supported_models.json: not written"
	cmp "$M/data/supported_models.json" "$long/supported_models.json"
	assert_equal "$(ls -A "$long")" "supported_models.json"
}

@test "hf-merge files: a write that fails after the history file was created removes it again" {
	fixture data
	# the history placeholder fits in 1 KiB, supported_models.json does not
	run -1 --separate-stderr sh -c 'trap "" XFSZ; ulimit -f 1; exec hf-merge supported -o data "$1"' sh "$M/records.ndjson"
	assert_equal "${#stderr_lines[@]}" 2	# after the fixture's duplicate
	assert_equal "${stderr_lines[1]}" "hf-merge: data/supported_models.json: File too large"
	cmp "$M/data/supported_models.json" data/supported_models.json
	assert_not_exist data/verification_history.json
	no_temporary data
}

@test "hf-merge files: a directory that cannot be flushed after the rename: exit 1 saying the file was replaced" {
	command -v cc >/dev/null || skip "no C compiler for the fsync shim"
	cat >shim.c <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

/* fsync(2) of a directory fails with EIO; of a file, it works. */
int
fsync(int fd)
{
	int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		errno = EIO;
		return -1;
	}
	return real(fd);
}
EOF
	cc -shared -fPIC -o shim.so shim.c -ldl
	fixture plain
	run -0 --separate-stderr hf-merge supported -o plain --date 2026-04-16 "$M/records.ndjson"
	fixture data
	touch data/verification_history.json
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
	run -1 --separate-stderr env LD_PRELOAD="$PWD/shim.so" \
	    hf-merge supported -o data --date 2026-04-16 "$M/records.ndjson"
	assert_equal "${#stderr_lines[@]}" 2	# after the fixture's duplicate
	assert_equal "${stderr_lines[1]}" "hf-merge: data/supported_models.json: replaced, but its directory could not be flushed to disk: Input/output error"
	cmp plain/supported_models.json data/supported_models.json
	no_temporary data
}

@test "hf-merge files: an existing file that does not parse: line:column of the fault, as Python's json.load gives it" {
	mkdir d
	printf '{\n  "models": [\n    {"model_id": "a/b"},\n    tru\n  ]\n}\n' >d/supported_models.json
	run -1 --separate-stderr hf-merge supported -o d "$M/records.ndjson"
	assert_equal "$stderr" "hf-merge: d/supported_models.json:4:5: not valid JSON (bad literal); left as it is"
	# Python says the same place
	run -1 python3 -c 'import json, sys; json.load(open(sys.argv[1]))' d/supported_models.json
	assert_output --partial "line 4 column 5"
	# columns count characters, not bytes
	printf '{\n  "gaps": ["\303\251\360\237\230\200", 1 2]}' >d/architecture_gaps.json
	run -1 --separate-stderr hf-merge gaps -o d gaps.ndjson
	assert_equal "$stderr" "hf-merge: d/architecture_gaps.json:2:20: not valid JSON; left as it is"
	printf '{"models": [],\n "a": "\001"}' >d/supported_models.json
	run -1 --separate-stderr hf-merge supported -o d "$M/records.ndjson"
	assert_equal "$stderr" "hf-merge: d/supported_models.json:2:8: control byte in a string; left as it is"
	printf '{"models": []}\n\n{}' >d/supported_models.json
	run -1 --separate-stderr hf-merge supported -o d "$M/records.ndjson"
	assert_equal "$stderr" "hf-merge: d/supported_models.json:3:1: more than one JSON value; left as it is"
	printf '{"models": ["\377"]}' >d/supported_models.json
	run -1 --separate-stderr hf-merge supported -o d "$M/records.ndjson"
	assert_equal "$stderr" "hf-merge: d/supported_models.json:1:14: invalid UTF-8; left as it is"
	# at the very end, the reason says where
	printf '{"models": [' >d/supported_models.json
	run -1 --separate-stderr hf-merge supported -o d "$M/records.ndjson"
	assert_equal "$stderr" "hf-merge: d/supported_models.json: truncated JSON; left as it is"
	assert_not_exist d/verification_history.json
}

@test "hf-merge files: a byte order mark and git conflict markers are named as such" {
	mkdir d
	printf '\357\273\277{"models": []}\n' >d/supported_models.json
	run -1 --separate-stderr hf-merge supported -o d "$M/records.ndjson"
	assert_equal "$stderr" "hf-merge: d/supported_models.json: starts with a UTF-8 byte order mark (BOM): Python's json.load refuses it too; remove the first 3 bytes; left as it is"
	printf '{\n  "models": [\n<<<<<<< HEAD\n    {"model_id": "a/b"}\n=======\n    {"model_id": "c/d"}\n>>>>>>> scan\n  ]\n}\n' >d/supported_models.json
	run -1 --separate-stderr hf-merge supported -o d "$M/records.ndjson"
	assert_equal "$stderr" "hf-merge: d/supported_models.json:3:1: git conflict markers: resolve the merge first; left as it is"
	# half resolved: the first marker left is the one named
	printf '{\n  "gaps": [\n    {"architecture_id": "A"}\n=======\n  ]\n}' >d/architecture_gaps.json
	run -1 --separate-stderr hf-merge gaps -o d gaps.ndjson
	assert_equal "$stderr" "hf-merge: d/architecture_gaps.json:4:1: git conflict markers: resolve the merge first; left as it is"
	assert_not_exist d/verification_history.json
}
