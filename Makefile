# fai - GNU make build.  `make run` opens the demo, `make test` runs every
# test (plain, then under ASan+UBSan).  See README.md.

PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build
CC ?= cc
VERSION := 0.1.0

DEBIAN_PKGS := build-essential pkg-config liblmdb-dev libcsv-dev \
	libncurses-dev libcmocka-dev gettext tmux locales python3 clang \
	lmdb-utils openssh-client sqlite3 libxlsxwriter-dev libzip-dev \
	libexpat1-dev libreoffice-calc-nogui python3-openpyxl
WARN := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
	-Wmissing-prototypes -Wwrite-strings -Wpointer-arith -Wundef -Wcast-qual
ifneq ($(CI),)
WARN += -Werror
endif
OPT ?= -O2 -g
SAN ?=
CPPFLAGS += -D_GNU_SOURCE -DFAI_VERSION='"$(VERSION)"' \
	-DFAI_LOCALEDIR='"$(PREFIX)/share/locale"'
CFLAGS += -std=c11 $(OPT) $(WARN) $(SAN) -MMD -MP
LDFLAGS += $(SAN)

PKGS := lmdb ncursesw
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LMDB_LIBS = $(shell pkg-config --libs lmdb 2>/dev/null || echo -llmdb)
CURSES_LIBS = $(shell pkg-config --libs ncursesw 2>/dev/null || echo -lncursesw)
CSV_LIBS = -lcsv $(XLSX_LIBS)
XLSX_LIBS = $(shell pkg-config --libs xlsxwriter libzip expat 2>/dev/null || echo -lxlsxwriter -lzip -lexpat)
CMOCKA_LIBS := -lcmocka

CORE_SRC := $(wildcard core/*.c)
STORE_SRC := $(wildcard store/*.c)
TUI_SRC := $(wildcard tui/*.c)
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
STORE_OBJ := $(STORE_SRC:%.c=$(BUILD)/%.o)
TUI_OBJ := $(TUI_SRC:%.c=$(BUILD)/%.o) $(BUILD)/tui/demo_data.o

CORE_TESTS := $(patsubst tests/core/%.c,$(BUILD)/tests/core/%,$(wildcard tests/core/test_*.c))
STORE_TESTS := $(patsubst tests/store/%.c,$(BUILD)/tests/store/%,$(wildcard tests/store/test_*.c))
STORE_HELPERS := $(patsubst tests/store/%.c,$(BUILD)/tests/store/%,$(wildcard tests/store/helper_*.c))

FAI := $(BUILD)/fai
MO := $(BUILD)/locale/fr/LC_MESSAGES/fai.mo
DEPS_STAMP := build/.deps-ok
DEMO_DB ?= $(BUILD)/demo-store

.PHONY: format-check all deps run test test-unit asan bench fuzz torture clean install \
	format check-layers pot keys-doc
all: $(DEPS_STAMP) $(FAI) $(MO)

# Installs what is missing (as root, after apt-get update); otherwise says
# the exact command to run and stops.
$(DEPS_STAMP): Makefile
	@sh tests/deps.sh $(DEBIAN_PKGS)
	@mkdir -p $(dir $@) && touch $@
deps:
	@sh tests/deps.sh $(DEBIAN_PKGS)

$(BUILD)/core/%.o: core/%.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<
$(BUILD)/store/%.o: store/%.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<
$(BUILD)/tui/%.o: tui/%.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<
$(BUILD)/tui/demo_data.o: $(BUILD)/tui/demo_data.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<
# The demo pipeline is compiled into the binary, so `fai demo` works from
# anywhere once installed.
$(BUILD)/tui/demo_data.c: fixtures/demo.fai tests/embed.sh
	@mkdir -p $(dir $@)
	sh tests/embed.sh fai_demo_data $< > $@

$(BUILD)/libfaicore.a: $(CORE_OBJ)
	rm -f $@; $(AR) rcs $@ $^
$(BUILD)/libfaistore.a: $(STORE_OBJ)
	rm -f $@; $(AR) rcs $@ $^

$(FAI): $(TUI_OBJ) $(BUILD)/libfaistore.a $(BUILD)/libfaicore.a
	$(CC) $(LDFLAGS) -o $@ $(filter %.o %.a,$^) $(CURSES_LIBS) $(LMDB_LIBS) $(CSV_LIBS)

$(MO): po/fr.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

$(BUILD)/tests/core/%: tests/core/%.c $(BUILD)/libfaicore.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.c %.a,$^) $(CMOCKA_LIBS)
$(BUILD)/tests/store/%: tests/store/%.c $(BUILD)/libfaistore.a $(BUILD)/libfaicore.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.c %.a,$^) $(LMDB_LIBS) $(CSV_LIBS) $(CMOCKA_LIBS)

# The README's first command.
run: all
	@if [ ! -d "$(DEMO_DB)" ]; then ./$(FAI) --db "$(DEMO_DB)" demo; fi
	@if [ -t 0 ] && [ -t 1 ]; then ./$(FAI) --db "$(DEMO_DB)"; \
	else ./$(FAI) --db "$(DEMO_DB)" list; fi

# Everything under test, in this build; prints "N passed, N failed,
# N skipped".
# ONCE=0 (the ASan pass of `make test`) leaves out the scripts marked
# "# fai-test: once" (tests/run.sh): the LibreOffice test runs once.
ONCE ?= 1
test-unit: all $(CORE_TESTS) $(STORE_TESTS) $(STORE_HELPERS)
	@FAI_ONCE=$(ONCE) sh tests/run.sh $(BUILD)

# The README's second command: the plain build's tests, then the same tests
# built with AddressSanitizer and UndefinedBehaviorSanitizer.
test: $(DEPS_STAMP)
	@$(MAKE) --no-print-directory test-unit > build/test-plain.log 2>&1; \
	  s1=$$?; cat build/test-plain.log; \
	$(MAKE) --no-print-directory asan > build/test-asan.log 2>&1; \
	  s2=$$?; cat build/test-asan.log; \
	sh tests/total.sh build/test-plain.log build/test-asan.log; \
	test $$s1 -eq 0 && test $$s2 -eq 0

asan: $(DEPS_STAMP)
	@$(MAKE) --no-print-directory BUILD=build-asan OPT='-O1 -g -fno-omit-frame-pointer' \
	  SAN='-fsanitize=address,undefined -fno-sanitize-recover=all' ONCE=0 test-unit

bench: all $(BUILD)/bench/bench_board
	@$(MAKE) --no-print-directory -f bench/bench.mk BUILD=$(BUILD)
	./$(BUILD)/bench/bench_board $(FAI) $${BENCH_MAX:-1000000}

$(BUILD)/bench/bench_board: bench/bench_board.c $(BUILD)/libfaistore.a $(BUILD)/libfaicore.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.c %.a,$^) $(LMDB_LIBS) $(CSV_LIBS) -lutil

# libFuzzer harnesses (clang, ASan+UBSan) in build-fuzz/, FUZZ_SECONDS each, or
# FUZZ_RUNS executions each (`make fuzz FUZZERS=import FUZZ_RUNS=1000000`).
fuzz: $(DEPS_STAMP)
	@$(MAKE) --no-print-directory -f tests/fuzz/fuzz.mk

# The torture campaigns (docs/torture.md): damaged copies of a 10^4-idea
# store, then write-side calls failing one by one.  Figures, never a
# verdict, and not part of `make test`; fails only when the harness breaks.
# `make torture TORTURE_N=500 TORTURE_SEED=2 FAI=/path/to/fai`.
torture: $(DEPS_STAMP)
	@if [ "$(FAI)" = "$(BUILD)/fai" ]; then \
	  $(MAKE) --no-print-directory all || exit 1; fi
	@$(MAKE) --no-print-directory -f tests/torture/torture.mk \
	  BUILD=$(BUILD) FAI=$(FAI)

check-layers:
	@sh tests/check-layers.sh

# The README's key table and fai(1)'s key list, rewritten from the table the
# board's help shows (board_keys in tui/board.c); make test fails while
# they differ (tests/cli/test_small.sh).
keys-doc: $(FAI) $(MO)
	@sh tests/keys-doc.sh $(FAI)

pot:
	xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=ngettext:1,2 \
	  --keyword=C_:1c,2 --keyword=NC_:1c,2 \
	  --add-comments=TRANSLATORS -o po/fai.pot core/*.[ch] store/*.[ch] tui/*.[ch]

# One style for every layer (.clang-format); core/utf8_table.h and
# core/cog_table.h are generated (tests/gen-utf8-table.sh, tests/gen-cog.sh)
# and keep their own layout.
FORMAT_SRC = $(filter-out core/utf8_table.h core/cog_table.h,$(wildcard core/*.[ch] store/*.[ch] \
	tui/*.[ch] tests/*/*.[ch] bench/*.c))

format:
	clang-format -i $(FORMAT_SRC)

# Fails when a file strays from the style (`make format` mends it).
format-check:
	@clang-format --dry-run --Werror $(FORMAT_SRC) && echo "format: ok"

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/locale/fr/LC_MESSAGES
	install -m 755 $(FAI) $(DESTDIR)$(PREFIX)/bin/fai
	install -m 644 docs/fai.1 $(DESTDIR)$(PREFIX)/share/man/man1/fai.1
	install -m 644 $(MO) $(DESTDIR)$(PREFIX)/share/locale/fr/LC_MESSAGES/fai.mo

clean:
	rm -rf build build-asan

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
