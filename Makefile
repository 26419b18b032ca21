# hf-scraper: small C programs that keep the TransformerLens model registry.
# make            build bin/*
# make check      install missing Debian packages, build, run every test
# make asan       the same tests under AddressSanitizer and UBSan
# make install    PREFIX=/usr/local DESTDIR=   (make uninstall: the same)
# make lint       shellcheck, mandoc -T lint, cppcheck

# GNU make (Debian's make): pattern rules and $(wildcard) keep one rule
# per kind of file rather than one per program.
.SUFFIXES:

VERSION = 0.1.0
PREFIX	= /usr/local
BINDIR	= $(PREFIX)/bin
MANDIR	= $(PREFIX)/share/man
DATADIR	= $(PREFIX)/share/hf-scraper
COMPDIR	= $(PREFIX)/share/bash-completion/completions

CC	= cc
CFLAGS	= -O2
# Everything the build makes goes under $(B), but the programs (bin/).
B	= build
HF_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -Icommon -I$(B) -MMD -MP \
	-Wall -Wextra -Wpedantic -Werror -Wshadow -Wmissing-prototypes \
	-Wstrict-prototypes
ALL_CFLAGS = $(HF_CFLAGS) $(CFLAGS)
CURL_LIBS = `pkg-config --libs libcurl 2>/dev/null || echo -lcurl`
DEFLATE_LIBS = -ldeflate
LIB	= $(B)/libhf.a
LIBS	= $(LIB) $(CURL_LIBS) $(DEFLATE_LIBS) -lm

# A program is cmd/NAME/*.c: main.c holds main (and the option parsing
# of a program that is not a record stage); the other files are
# its units, which a fuzz harness links with in place of main.c.
PROGS	= hf-list hf-arch hf-filter-quant hf-classify hf-score hf-merge \
	hf-registry hf-ledger hf-diff
BIN	= $(PROGS:%=bin/%) bin/hf-scraper bin/tl-registry.py
units	= $(patsubst %.c,$(B)/%.o,$(filter-out cmd/$(1)/main.c,\
	$(wildcard cmd/$(1)/*.c)))
LIBSRC	= $(wildcard common/*.c)
LIBOBJ	= $(LIBSRC:%.c=$(B)/%.o)
UNIT	= $(B)/tests/unit/unit
ORACLE	= $(B)/tests/unit/oracle

SAN	= -fsanitize=address,undefined -fno-sanitize-recover=all

# The programs are linked statically: a stage starts once or twice a run,
# and the dynamic loader's part of its start is measured in BENCHMARKS.md.
# Not hf-list (libcurl and its thirty libraries), nor hf-merge, whose
# tests inject a failing fsync(2) with LD_PRELOAD. STATIC= links them all
# dynamically, as the sanitizer and valgrind builds must.
STATIC	= -static-pie
DYNAMIC	= hf-list hf-merge

all: $(BIN)

-include $(wildcard $(B)/*/*.d $(B)/*/*/*.d $(B)/*/*/*/*.d)

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The version: git describe in a checkout (.git is a directory, or a file
# in a worktree); in a tarball, VERSION. $(B)/version is rewritten only
# when it changes, so a commit rebuilds version.o and relinks, nothing
# more.
$(B)/version: FORCE
	@mkdir -p $(B)
	@{ { test -e .git && { git describe --tags --dirty 2>/dev/null || \
	    { h=$$(git rev-parse --short HEAD 2>/dev/null) && \
	    echo $(VERSION)-g$$h; }; }; } || echo $(VERSION); } >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; fi
$(B)/version.h: $(B)/version
	printf '#define HF_VERSION "%s"\n' "$$(cat $(B)/version)" >$@
$(B)/common/version.o: $(B)/version.h
FORCE:

$(LIB): $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $(LIBOBJ)

$(foreach p,$(PROGS),$(eval bin/$(p): $(B)/cmd/$(p)/main.o \
	$(call units,$(p)) $(LIB)))
$(PROGS:%=bin/%):
	@mkdir -p bin
	$(CC) $(LDFLAGS) $(if $(filter $(DYNAMIC),$(@F)),,$(STATIC)) -o $@ \
	    $(filter %.o,$^) $(LIBS)
# hf-list's lanes, hf-ledger append's committer and hf-merge's second
# formatter are threads.
bin/hf-list bin/hf-ledger bin/hf-merge: LIBS += -pthread

bin/hf-scraper: scripts/hf-scraper.sh $(B)/version
bin/tl-registry.py: scripts/tl-registry.py $(B)/version
bin/hf-scraper bin/tl-registry.py:
	@mkdir -p bin
	sed "s/@VERSION@/$$(cat $(B)/version)/" $< >$@.tmp
	chmod +x $@.tmp
	mv -f $@.tmp $@

$(UNIT): $(B)/tests/unit/unit.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(B)/tests/unit/unit.o $(LIBS)
# The jsmn oracle test alone reads jsmn's parent links: it links its own
# json.o built with them, ahead of the library's.
$(ORACLE): $(B)/tests/unit/oracle.o $(B)/tests/unit/json-parents.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(B)/tests/unit/oracle.o \
	    $(B)/tests/unit/json-parents.o $(LIBS)
$(B)/tests/unit/oracle.o: tests/unit/oracle.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DJSMN_PARENT_LINKS -c -o $@ tests/unit/oracle.c
$(B)/tests/unit/json-parents.o: common/json.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DJSMN_PARENT_LINKS -c -o $@ common/json.c

# Debian packages the build and the tests need; installed when missing.
DEBS	= gcc libc6-dev make pkg-config libcurl4-openssl-dev libdeflate-dev \
	libjsmn-dev bats \
	bats-support bats-assert bats-file mandoc jq python3 curl time \
	openssl man-db python3-markdown
deps:
	@sh scripts/deps.sh $(DEBS)

check: deps all $(UNIT) $(ORACLE)
	$(UNIT)
	python3 tests/fakehub/fakehub.py --synthetic 3000 --seed 3 \
	    --write-corpus $(B)/oracle.ndjson
	$(ORACLE) $(B)/oracle.ndjson tests/fixtures/*/*.in
	$(MAKE) fuzz-regress
	bats tests
	mandoc -T lint -W warning man/*.1 man/*.7

asan: deps
	$(MAKE) clean
	$(MAKE) all $(UNIT) $(ORACLE) STATIC= \
	    CFLAGS="-O1 -g -fno-omit-frame-pointer $(SAN)" LDFLAGS="$(SAN)"
	ASAN_OPTIONS=detect_leaks=1 $(UNIT)
	python3 tests/fakehub/fakehub.py --synthetic 3000 --seed 3 \
	    --write-corpus $(B)/oracle.ndjson
	ASAN_OPTIONS=detect_leaks=1 $(ORACLE) $(B)/oracle.ndjson \
	    tests/fixtures/*/*.in
	ASAN_OPTIONS=detect_leaks=1 $(MAKE) fuzz-regress CFLAGS="-O1 -g -fno-omit-frame-pointer $(SAN)" LDFLAGS="$(SAN)"
	ASAN_OPTIONS=detect_leaks=1 bats tests
	$(MAKE) clean

demo: deps all
	sh scripts/demo.sh

bench: all
	sh bench/run.sh

MAN1	= $(wildcard man/*.1)
MAN7	= man/hf-scraper.7

# The man pages name the installed registry under $(DATADIR).

# Fuzzing (tests/fuzz/README.md). fuzz-regress: every case of
# tests/fuzz/regress/ through each harness, linked with the standalone
# driver and built with $(CC) and $(CFLAGS) (sanitizers under make asan).
# fuzz: the same harnesses under libFuzzer (clang), each for FUZZ_SECONDS
# from the regression cases, new inputs kept in tests/fuzz/corpus/; fails
# if any finds a crash, a leak or a timeout (reproducer in
# tests/fuzz/artifacts/).
FUZZ	= arch filter-quant classify score merge list registry ledger diff
FUZZ_BIN = $(FUZZ:%=$(B)/fuzz/fuzz-%)
FUZZ_CC	= clang
FUZZ_SAN = -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_SECONDS = 60
FUZZ_TIMEOUT = 10
FUZZ_RSS_MB = 2048
FUZZ_DEBS = clang libclang-rt-dev

# A harness fuzz-X links with the units of cmd/hf-X (every file but
# main.c), through their headers.
$(foreach h,$(FUZZ),$(eval $(B)/fuzz/fuzz-$(h): \
	$(B)/tests/fuzz/fuzz-$(h).o $(call units,hf-$(h))))
$(FUZZ_BIN): $(B)/tests/fuzz/fuzz.o $(B)/tests/fuzz/driver.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS)

fuzz-regress: $(FUZZ_BIN)
	@for h in $(FUZZ); do \
	    echo "$(B)/fuzz/fuzz-$$h tests/fuzz/regress/$$h"; \
	    $(B)/fuzz/fuzz-$$h tests/fuzz/regress/$$h || exit 1; \
	done

fuzz-deps:
	@sh scripts/deps.sh $(FUZZ_DEBS)

fuzz: fuzz-deps
	@mkdir -p tests/fuzz/lf
	@for h in $(FUZZ); do \
	    echo "$(FUZZ_CC) ... -o tests/fuzz/lf/fuzz-$$h"; \
	    $(FUZZ_CC) $(HF_CFLAGS) -O1 -g $(FUZZ_SAN) \
	        -o tests/fuzz/lf/fuzz-$$h tests/fuzz/fuzz-$$h.c \
	        tests/fuzz/fuzz.c $(LIBSRC) \
	        $$(ls cmd/hf-$$h/*.c | grep -v /main.c) \
	        $(CURL_LIBS) $(DEFLATE_LIBS) -lm || exit 1; \
	done
	@rc=0; for h in $(FUZZ); do \
	    mkdir -p tests/fuzz/corpus/$$h tests/fuzz/artifacts; \
	    echo "fuzz: $$h for $(FUZZ_SECONDS) s"; \
	    tests/fuzz/lf/fuzz-$$h -max_total_time=$(FUZZ_SECONDS) \
	        -timeout=$(FUZZ_TIMEOUT) -rss_limit_mb=$(FUZZ_RSS_MB) \
	        -dict=tests/fuzz/json.dict -close_fd_mask=3 \
	        -print_final_stats=1 \
	        -artifact_prefix=tests/fuzz/artifacts/$$h- \
	        tests/fuzz/corpus/$$h tests/fuzz/regress/$$h \
	        2>tests/fuzz/artifacts/$$h.log; \
	    s=$$?; grep -E '^(Done|stat::number_of_executed_units|stat::average_exec_per_sec)' \
	        tests/fuzz/artifacts/$$h.log; \
	    if [ $$s -ne 0 ]; then rc=1; \
	        echo "fuzz: $$h failed (exit $$s): see tests/fuzz/artifacts/$$h.log"; \
	    fi; \
	done; exit $$rc

# valgrind: the end-to-end and per-stage bats suites with every program
# under valgrind memcheck (tests/valgrind/run.sh); not part of check.
VALGRIND_DEBS = valgrind
valgrind: deps
	@sh scripts/deps.sh $(VALGRIND_DEBS)
	rm -f $(PROGS:%=bin/%)
	$(MAKE) all STATIC=
	sh tests/valgrind/run.sh
	rm -f $(PROGS:%=bin/%)

.PHONY: fuzz fuzz-deps fuzz-regress valgrind

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(DATADIR) $(DESTDIR)$(COMPDIR)
	for f in $(PROGS:%=bin/%) bin/hf-scraper; do \
	    rm -f $(DESTDIR)$(BINDIR)/$${f#bin/} && \
	    cp $$f $(DESTDIR)$(BINDIR)/ && \
	    chmod 755 $(DESTDIR)$(BINDIR)/$${f#bin/} || exit 1; \
	done
	for f in $(MAN1) $(MAN7); do \
	    d=$(DESTDIR)$(MANDIR)/man$${f##*.}/$${f#man/} && \
	    sed -e 's|/usr/local/share/hf-scraper|$(DATADIR)|g' \
	    -e 's|/usr/local/share/bash-completion/completions|$(COMPDIR)|g' \
	    $$f >$$d && \
	    chmod 644 $$d || exit 1; \
	done
	cp data/registry.json bin/tl-registry.py $(DESTDIR)$(DATADIR)/
	chmod 644 $(DESTDIR)$(DATADIR)/registry.json \
	    $(DESTDIR)$(DATADIR)/tl-registry.py
	cp scripts/hf-scraper.bash-completion $(DESTDIR)$(COMPDIR)/hf-scraper
	chmod 644 $(DESTDIR)$(COMPDIR)/hf-scraper

uninstall:
	for f in $(PROGS:%=bin/%) bin/hf-scraper; do \
	    rm -f $(DESTDIR)$(BINDIR)/$${f#bin/}; \
	done
	for f in $(MAN1) $(MAN7); do \
	    rm -f $(DESTDIR)$(MANDIR)/man$${f##*.}/$${f#man/}; \
	done
	rm -f $(DESTDIR)$(DATADIR)/registry.json \
	    $(DESTDIR)$(DATADIR)/tl-registry.py $(DESTDIR)$(COMPDIR)/hf-scraper
	rmdir $(DESTDIR)$(DATADIR) 2>/dev/null || true

# Lint: every shell script (POSIX sh, the bash helper and completion),
# every man page, the C sources. cppcheck: variableScope is off because
# style(9) declares locals at the top of a function; other findings are
# fixed or suppressed inline, each with its reason.
LINTDEBS = shellcheck cppcheck mandoc
lint:
	@sh scripts/deps.sh $(LINTDEBS)
	shellcheck .ci/run `find scripts bench tests -name '*.sh' \
	    ! -path '*/node_modules/*'`
	shellcheck -s bash tests/helper.bash tests/readme.bats tests/cli.bats \
	    tests/install.bats scripts/hf-scraper.bash-completion
	mandoc -T lint -W warning $(MAN1) $(MAN7)
	cppcheck --quiet --error-exitcode=1 --inline-suppr --std=c11 \
	    --enable=warning,style,performance,portability \
	    --suppress=variableScope -D_POSIX_C_SOURCE=200809L \
	    -Icommon -I$(B) cmd common tests/unit

clean:
	rm -f $(BIN)
	rm -rf $(B)

.PHONY: FORCE all deps check asan demo bench install uninstall lint clean
