# hf-scraper: small C programs that keep the TransformerLens model registry.
# make            build bin/*
# make check      install missing Debian packages, build, run every test
# make asan       the same tests under AddressSanitizer and UBSan
# make install    PREFIX=/usr/local DESTDIR=   (make uninstall: the same)
# make lint       shellcheck, mandoc -T lint, cppcheck

.POSIX:
.SUFFIXES:
.SUFFIXES: .c .o

VERSION = 0.1.0
PREFIX	= /usr/local
BINDIR	= $(PREFIX)/bin
MANDIR	= $(PREFIX)/share/man
DATADIR	= $(PREFIX)/share/hf-scraper
COMPDIR	= $(PREFIX)/share/bash-completion/completions

CC	= cc
CFLAGS	= -O2
# git describe in a checkout (.git is a directory, or a file in a worktree);
# in a tarball, VERSION, even when it is unpacked inside another repository.
HF_VERSION = `{ test -e .git && { git describe --tags --dirty 2>/dev/null || \
	{ h=$$(git rev-parse --short HEAD 2>/dev/null) && echo $(VERSION)-g$$h; }; }; } || \
	echo $(VERSION)`
HF_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -DJSMN_PARENT_LINKS \
	-DHF_VERSION=\"$(HF_VERSION)\" -Icommon \
	-Wall -Wextra -Wpedantic -Werror -Wshadow -Wmissing-prototypes \
	-Wstrict-prototypes
ALL_CFLAGS = $(HF_CFLAGS) $(CFLAGS)
CURL_LIBS = `pkg-config --libs libcurl 2>/dev/null || echo -lcurl`
LIBS	= common/libhf.a $(CURL_LIBS) -lm

PROGS	= bin/hf-list bin/hf-arch bin/hf-filter-quant bin/hf-classify \
	bin/hf-score bin/hf-merge
BIN	= $(PROGS) bin/hf-scraper bin/tl-registry.py
LIBOBJ	= common/atomic.o common/buf.o common/http.o common/hub.o \
	common/idset.o common/json.o common/jsonw.o common/ndjson.o common/pyjson.o \
	common/registry.o common/util.o
HDR	= common/atomic.h common/buf.h common/http.h common/hub.h \
	common/idset.h common/json.h common/jsonw.h common/ndjson.h common/pyjson.h \
	common/registry.h common/util.h
CMDOBJ	= cmd/hf-list.o cmd/hf-list-lanes.o cmd/hf-arch.o cmd/hf-filter-quant.o \
	cmd/hf-classify.o cmd/hf-score.o cmd/hf-merge.o
UNIT	= tests/unit/unit
ORACLE	= tests/unit/oracle

SAN	= -fsanitize=address,undefined -fno-sanitize-recover=all

all: $(BIN)

$(LIBOBJ) $(CMDOBJ) tests/unit/unit.o tests/unit/oracle.o: $(HDR)

common/libhf.a: $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $(LIBOBJ)

cmd/hf-list.o cmd/hf-list-lanes.o: cmd/hf-list.h

bin/hf-list: cmd/hf-list.o cmd/hf-list-lanes.o common/libhf.a
	@mkdir -p bin
	$(CC) $(LDFLAGS) -o $@ cmd/hf-list.o cmd/hf-list-lanes.o $(LIBS)
bin/hf-arch: cmd/hf-arch.o common/libhf.a
	@mkdir -p bin
	$(CC) $(LDFLAGS) -o $@ cmd/hf-arch.o $(LIBS)
bin/hf-filter-quant: cmd/hf-filter-quant.o common/libhf.a
	@mkdir -p bin
	$(CC) $(LDFLAGS) -o $@ cmd/hf-filter-quant.o $(LIBS)
bin/hf-classify: cmd/hf-classify.o common/libhf.a
	@mkdir -p bin
	$(CC) $(LDFLAGS) -o $@ cmd/hf-classify.o $(LIBS)
bin/hf-score: cmd/hf-score.o common/libhf.a
	@mkdir -p bin
	$(CC) $(LDFLAGS) -o $@ cmd/hf-score.o $(LIBS)
bin/hf-merge: cmd/hf-merge.o common/libhf.a
	@mkdir -p bin
	$(CC) $(LDFLAGS) -o $@ cmd/hf-merge.o $(LIBS)

bin/hf-scraper: scripts/hf-scraper.sh
	@mkdir -p bin
	sed "s/@VERSION@/$(HF_VERSION)/" scripts/hf-scraper.sh >$@.tmp
	chmod +x $@.tmp
	mv -f $@.tmp $@
bin/tl-registry.py: scripts/tl-registry.py
	@mkdir -p bin
	sed "s/@VERSION@/$(HF_VERSION)/" scripts/tl-registry.py >$@.tmp
	chmod +x $@.tmp
	mv -f $@.tmp $@

$(UNIT): tests/unit/unit.o common/libhf.a
	$(CC) $(LDFLAGS) -o $@ tests/unit/unit.o $(LIBS)
$(ORACLE): tests/unit/oracle.o common/libhf.a
	$(CC) $(LDFLAGS) -o $@ tests/unit/oracle.o $(LIBS)

.c.o:
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Debian packages the build and the tests need; installed when missing.
DEBS	= gcc make pkg-config libcurl4-openssl-dev libjsmn-dev bats \
	bats-support bats-assert bats-file mandoc jq python3 curl time \
	openssl man-db
deps:
	@sh scripts/deps.sh $(DEBS)

check: deps all $(UNIT) $(ORACLE)
	$(UNIT)
	python3 tests/fakehub/fakehub.py --synthetic 3000 --seed 3 \
	    --write-corpus tests/unit/oracle.ndjson
	$(ORACLE) tests/unit/oracle.ndjson tests/fixtures/*/*.in
	$(MAKE) fuzz-regress
	bats tests
	mandoc -T lint -W warning man/*.1 man/*.7

asan: deps
	$(MAKE) clean
	$(MAKE) all $(UNIT) $(ORACLE) \
	    CFLAGS="-O1 -g -fno-omit-frame-pointer $(SAN)" LDFLAGS="$(SAN)"
	ASAN_OPTIONS=detect_leaks=1 $(UNIT)
	python3 tests/fakehub/fakehub.py --synthetic 3000 --seed 3 \
	    --write-corpus tests/unit/oracle.ndjson
	ASAN_OPTIONS=detect_leaks=1 $(ORACLE) tests/unit/oracle.ndjson \
	    tests/fixtures/*/*.in
	ASAN_OPTIONS=detect_leaks=1 $(MAKE) fuzz-regress CFLAGS="-O1 -g -fno-omit-frame-pointer $(SAN)" LDFLAGS="$(SAN)"
	ASAN_OPTIONS=detect_leaks=1 bats tests
	$(MAKE) clean

demo: deps all
	sh scripts/demo.sh

bench: all
	sh bench/run.sh

MAN1	= man/hf-list.1 man/hf-arch.1 man/hf-filter-quant.1 man/hf-classify.1 \
	man/hf-score.1 man/hf-merge.1 man/hf-scraper.1
MAN7	= man/hf-scraper.7

# The man pages name the installed registry under $(DATADIR).

# Fuzzing (tests/fuzz/README.md). fuzz-regress: every case of
# tests/fuzz/regress/ through each harness, linked with the standalone
# driver and built with $(CC) and $(CFLAGS) (sanitizers under make asan).
# fuzz: the same harnesses under libFuzzer (clang), each for FUZZ_SECONDS
# from the regression cases, new inputs kept in tests/fuzz/corpus/; fails
# if any finds a crash, a leak or a timeout (reproducer in
# tests/fuzz/artifacts/).
FUZZ	= arch filter-quant classify score merge list
FUZZ_BIN = tests/fuzz/bin/fuzz-arch tests/fuzz/bin/fuzz-filter-quant \
	tests/fuzz/bin/fuzz-classify tests/fuzz/bin/fuzz-score \
	tests/fuzz/bin/fuzz-merge tests/fuzz/bin/fuzz-list
FUZZ_DEP = tests/fuzz/fuzz.h tests/fuzz/fuzz.c tests/fuzz/driver.c \
	common/libhf.a $(HDR)
FUZZ_CC	= clang
FUZZ_SAN = -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_SECONDS = 60
FUZZ_TIMEOUT = 10
FUZZ_RSS_MB = 2048
FUZZ_DEBS = clang libclang-rt-dev
FUZZ_LINK = $(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ tests/fuzz/fuzz.c \
	tests/fuzz/driver.c

tests/fuzz/bin/fuzz-arch: tests/fuzz/fuzz-arch.c cmd/hf-arch.c $(FUZZ_DEP)
	@mkdir -p tests/fuzz/bin
	$(FUZZ_LINK) tests/fuzz/fuzz-arch.c $(LIBS)
tests/fuzz/bin/fuzz-filter-quant: tests/fuzz/fuzz-filter-quant.c \
    cmd/hf-filter-quant.c $(FUZZ_DEP)
	@mkdir -p tests/fuzz/bin
	$(FUZZ_LINK) tests/fuzz/fuzz-filter-quant.c $(LIBS)
tests/fuzz/bin/fuzz-classify: tests/fuzz/fuzz-classify.c cmd/hf-classify.c \
    $(FUZZ_DEP)
	@mkdir -p tests/fuzz/bin
	$(FUZZ_LINK) tests/fuzz/fuzz-classify.c $(LIBS)
tests/fuzz/bin/fuzz-score: tests/fuzz/fuzz-score.c cmd/hf-score.c $(FUZZ_DEP)
	@mkdir -p tests/fuzz/bin
	$(FUZZ_LINK) tests/fuzz/fuzz-score.c $(LIBS)
tests/fuzz/bin/fuzz-merge: tests/fuzz/fuzz-merge.c cmd/hf-merge.c $(FUZZ_DEP)
	@mkdir -p tests/fuzz/bin
	$(FUZZ_LINK) tests/fuzz/fuzz-merge.c $(LIBS)
tests/fuzz/bin/fuzz-list: tests/fuzz/fuzz-list.c cmd/hf-list.c \
    cmd/hf-list-lanes.c cmd/hf-list.h $(FUZZ_DEP)
	@mkdir -p tests/fuzz/bin
	$(FUZZ_LINK) tests/fuzz/fuzz-list.c $(LIBS)

fuzz-regress: $(FUZZ_BIN)
	@for h in $(FUZZ); do \
	    echo "tests/fuzz/bin/fuzz-$$h tests/fuzz/regress/$$h"; \
	    tests/fuzz/bin/fuzz-$$h tests/fuzz/regress/$$h || exit 1; \
	done

fuzz-deps:
	@sh scripts/deps.sh $(FUZZ_DEBS)

fuzz: fuzz-deps
	@mkdir -p tests/fuzz/lf
	@for h in $(FUZZ); do \
	    echo "$(FUZZ_CC) ... -o tests/fuzz/lf/fuzz-$$h"; \
	    $(FUZZ_CC) $(HF_CFLAGS) -O1 -g $(FUZZ_SAN) \
	        -o tests/fuzz/lf/fuzz-$$h tests/fuzz/fuzz-$$h.c \
	        tests/fuzz/fuzz.c $(LIBOBJ:.o=.c) $(CURL_LIBS) -lm || exit 1; \
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
valgrind: deps all
	@sh scripts/deps.sh $(VALGRIND_DEBS)
	sh tests/valgrind/run.sh

.PHONY: fuzz fuzz-deps fuzz-regress valgrind

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(DATADIR) $(DESTDIR)$(COMPDIR)
	for f in $(PROGS) bin/hf-scraper; do \
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
	for f in $(PROGS) bin/hf-scraper; do \
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
	shellcheck -s bash tests/helper.bash tests/readme.bats \
	    tests/install.bats scripts/hf-scraper.bash-completion
	mandoc -T lint -W warning $(MAN1) $(MAN7)
	cppcheck --quiet --error-exitcode=1 --inline-suppr --std=c11 \
	    --enable=warning,style,performance,portability \
	    --suppress=variableScope -D_POSIX_C_SOURCE=200809L \
	    -DJSMN_PARENT_LINKS -Icommon cmd common tests/unit

clean:
	rm -f $(BIN) $(LIBOBJ) cmd/*.o common/libhf.a tests/unit/*.o $(UNIT) \
	    $(ORACLE) tests/unit/oracle.ndjson
	rm -rf tests/fuzz/bin

.PHONY: all deps check asan demo bench install uninstall lint clean
