#!/usr/bin/env bats
# make install DESTDIR=... PREFIX=/usr: the installed tree works from its
# own paths (programs, man pages, registry, bash completion), and make
# uninstall removes every file it installed.
# shellcheck disable=SC2154 # $stderr is set by bats' run --separate-stderr
bats_require_minimum_version 1.5.0

setup_file() {
	load helper
	hf_setup
	DEST=$BATS_FILE_TMPDIR/root
	export DEST
	make -s -C "$ROOT" install DESTDIR="$DEST" PREFIX=/usr >/dev/null
}

setup() {
	load helper
	hf_setup
	# Only the installed programs: not the build tree's bin/.
	PATH=$DEST/usr/bin:/usr/local/bin:/usr/bin:/bin
	unset HF_SCRAPER_REGISTRY
}

teardown() {
	fakehub_stop
}

# complete WORD...: the completions of the last word, one a line.
complete_words() {
	bash -c '. "$1"; shift
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	_hf_scraper
	printf "%s\n" "${COMPREPLY[@]}"' complete \
	    "$DEST/usr/share/bash-completion/completions/hf-scraper" "$@"
}

@test "install: the files and their modes" {
	local f
	for f in hf-list hf-arch hf-filter-quant hf-classify hf-score \
	    hf-merge hf-registry hf-ledger hf-diff hf-scraper; do
		assert_file_executable "$DEST/usr/bin/$f"
		assert_file_exists "$DEST/usr/share/man/man1/$f.1"
	done
	assert_file_exists "$DEST/usr/share/man/man7/hf-scraper.7"
	assert_file_exists "$DEST/usr/share/hf-scraper/registry.json"
	assert_file_exists "$DEST/usr/share/hf-scraper/tl-registry.py"
	assert_file_exists "$DEST/usr/share/bash-completion/completions/hf-scraper"
	run -0 find "$DEST" -type f ! -perm 644 ! -perm 755
	assert_output ""
	run -0 cmp "$ROOT/data/registry.json" "$DEST/usr/share/hf-scraper/registry.json"
}

@test "install: every program answers --help on stdout and --version" {
	local f
	for f in hf-list hf-arch hf-filter-quant hf-classify hf-score \
	    hf-merge hf-registry hf-ledger hf-diff hf-scraper; do
		run -0 --separate-stderr "$f" --help
		assert_output --partial "usage: $f"
		assert_equal "$stderr" ""
		run -0 --separate-stderr "$f" --version
		assert_output --regexp "^$f [0-9]+\.[0-9]+\.[0-9]+"
		run -2 --separate-stderr "$f" --no-such-flag
		assert_output ""
	done
}

@test "install: man -l renders every installed page" {
	local f
	for f in "$DEST"/usr/share/man/man1/*.1 "$DEST"/usr/share/man/man7/*.7; do
		run -0 env MANWIDTH=80 man -l "$f"
		assert_output --partial "SEE ALSO"
		assert_output --partial "ENVIRONMENT"
	done
	run -0 env MANWIDTH=80 man -l "$DEST/usr/share/man/man1/hf-classify.1"
	assert_output --partial "/usr/share/hf-scraper/registry.json"
	refute_output --partial "/usr/local"
}

@test "install: the stages read the installed registry by default" {
	local reg=$DEST/usr/share/hf-scraper/registry.json
	printf '%s\n' '{"id":"a/b","architecture":"LlamaForCausalLM"}' >"$BATS_TEST_TMPDIR/r"
	run -0 hf-classify "$BATS_TEST_TMPDIR/r"
	assert_output --partial '"supported":true'
	run -0 hf-registry count
	assert_output "$(jq '.supported_architectures | length' "$reg")"
	# The same binary, the installed registry edited: it is the one read.
	cp "$reg" "$BATS_TEST_TMPDIR/saved"
	printf '%s\n' '{"supported_architectures":["FooForCausalLM"],"canonical_authors_by_arch":{}}' >"$reg"
	run -0 hf-classify "$BATS_TEST_TMPDIR/r"
	assert_output --partial '"supported":false'
	run -0 hf-registry list
	assert_output FooForCausalLM
	cp "$BATS_TEST_TMPDIR/saved" "$reg"
}

@test "install: hf-scraper runs the installed stages with the installed registry" {
	fakehub_start --synthetic 300 --seed 5
	cd "$BATS_TEST_TMPDIR"
	run -0 --separate-stderr hf-scraper --limit 100 --min-downloads 0 -o out
	assert_output ""
	assert_equal "$(printf '%s\n' "$stderr" | grep -c "registry: $DEST/usr/bin/../share/hf-scraper/registry.json (")" 1
	assert_file_exists out/supported_models.json
	assert_file_exists out/architecture_gaps.json
}

@test "install: hf-scraper reads a TransformerLens checkout with the installed tl-registry.py" {
	fakehub_start --synthetic 300 --seed 5
	cd "$BATS_TEST_TMPDIR"
	mkdir -p transformer_lens/tools/model_registry
	cat >transformer_lens/tools/model_registry/__init__.py <<-'EOF'
	HF_SUPPORTED_ARCHITECTURES = ["LlamaForCausalLM", "BrandNewForCausalLM"]
	CANONICAL_AUTHORS_BY_ARCH: dict = {"LlamaForCausalLM": ["meta-llama"]}
	EOF
	run -0 --separate-stderr hf-scraper --limit 100 --min-downloads 0 \
	    --no-canonical-sweep -o out
	assert_equal "$(printf '%s\n' "$stderr" | grep -c "registry: $PWD/transformer_lens/tools/model_registry/__init__.py (2 supported")" 1
	# and the completion offers what that checkout registers
	run -0 complete_words hf-scraper --architecture Br
	assert_output BrandNewForCausalLM
}

@test "completion: --architecture completes the installed registry's names" {
	run -0 complete_words hf-scraper --architecture Qwen3
	assert_output "$(jq -r '.supported_architectures[] | select(startswith("Qwen3"))' \
	    "$DEST/usr/share/hf-scraper/registry.json")"
	run -0 complete_words hf-scraper --architecture=Qwen3
	assert_line Qwen3ForCausalLM
	run -0 complete_words hf-scraper --architecture = Qwen3
	assert_line Qwen3ForCausalLM
	run -0 complete_words "$DEST/usr/bin/hf-scraper" --architecture ''
	assert_equal "${#lines[@]}" "$(jq '.supported_architectures | length' \
	    "$DEST/usr/share/hf-scraper/registry.json")"
}

@test "completion: the names are listed by the installed hf-registry, JSON escapes decoded" {
	printf '%s\n' '{"supported_architectures":["Esc\u0041ped","Caf\u00e9LM"]}' >"$BATS_TEST_TMPDIR/esc.json"
	run -0 complete_words hf-scraper --registry "$BATS_TEST_TMPDIR/esc.json" --architecture Esc
	assert_output EscAped
	run -0 complete_words hf-scraper --registry "$BATS_TEST_TMPDIR/esc.json" --architecture Caf
	assert_output 'CaféLM'
	# a registry hf-registry refuses: nothing offered, nothing printed
	run -0 --separate-stderr complete_words hf-scraper --registry /nonexistent --architecture ''
	assert_output ""
	assert_equal "$stderr" ""
}

@test "completion: --registry FILE and HF_SCRAPER_REGISTRY choose the names" {
	printf '%s\n' '{ "supported_architectures" : [ "FooForCausalLM",
	  "FooModel" ], "canonical_authors_by_arch": {} }' >"$BATS_TEST_TMPDIR/reg.json"
	run -0 complete_words hf-scraper --registry "$BATS_TEST_TMPDIR/reg.json" \
	    --architecture Foo
	assert_output "$(printf 'FooForCausalLM\nFooModel')"
	HF_SCRAPER_REGISTRY=$BATS_TEST_TMPDIR/reg.json run -0 complete_words \
	    hf-scraper --architecture FooM
	assert_output FooModel
}

@test "completion: -o directories, --task tasks, flags" {
	cd "$BATS_TEST_TMPDIR"
	mkdir -p out-a out-b
	: >out-file
	run -0 complete_words hf-scraper -o out
	assert_equal "$(printf '%s\n' "${lines[@]}" | sort)" "$(printf 'out-a\nout-b')"
	run -0 complete_words hf-scraper --output out-
	assert_equal "$(printf '%s\n' "${lines[@]}" | sort)" "$(printf 'out-a\nout-b')"
	run -0 complete_words hf-scraper --task text2
	assert_output text2text-generation
	run -0 complete_words hf-scraper --task text-g
	assert_output text-generation
	run -0 complete_words hf-scraper --full-scan --no-c
	assert_output --no-canonical-sweep
	run -0 complete_words hf-scraper --limit ''
	assert_output ""
}

@test "completion: its flags are exactly hf-scraper's" {
	run -0 sh -c 'hf-scraper --help | grep -o -- "--[a-z-]*\|-o\b" | sort -u'
	local help=$output
	# shellcheck disable=SC2016 # expanded by the inner bash
	run -0 bash -c '. "$1"; printf "%s\n" $_hf_scraper_flags | sort -u' x \
	    "$DEST/usr/share/bash-completion/completions/hf-scraper"
	assert_equal "$output" "$help"
}

@test "uninstall: removes every installed file" {
	local d=$BATS_TEST_TMPDIR/root
	make -s -C "$ROOT" install DESTDIR="$d" PREFIX=/opt/hf >/dev/null
	run -0 find "$d" -type f
	# the programs (hf-scraper too), the pages, registry.json,
	# tl-registry.py and the completion
	local progs pages
	progs=("$ROOT"/bin/hf-*)
	pages=("$ROOT"/man/*.[17])
	local n=$((${#progs[@]} + ${#pages[@]} + 3))
	assert_equal "${#lines[@]}" "$n"
	make -s -C "$ROOT" uninstall DESTDIR="$d" PREFIX=/opt/hf >/dev/null
	run -0 find "$d" -type f
	assert_output ""
	assert_dir_not_exists "$d/opt/hf/share/hf-scraper"
}

@test "man: the EXAMPLES of hf-scraper(7) run with the installed programs" {
	local cmd n=0
	fakehub_start --synthetic 2000 --seed 2
	cd "$BATS_TEST_TMPDIR"
	while IFS= read -r -d '' cmd; do
		run -0 bash -c "$cmd"
		n=$((n + 1))
	done < <(man_examples "$DEST/usr/share/man/man7/hf-scraper.7")
	assert_equal "$n" 4
	run -0 jq -e '.total_models > 0' out/supported_models.json
	run -0 jq -e '.gaps | length > 0' out/architecture_gaps.json
	run -0 grep -c '"supported":' records.ndjson
}
