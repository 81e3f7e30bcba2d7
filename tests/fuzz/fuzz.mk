# tests/fuzz/fuzz.mk - builds the libFuzzer harnesses of tests/fuzz/ with
# clang (ASan + UBSan) into build-fuzz/ and runs each for FUZZ_SECONDS (or
# FUZZ_RUNS executions), starting from the seeds in
# tests/fuzz/corpus/<name>/ (new inputs go to build-fuzz/corpus/<name>/,
# crashes to build-fuzz/crashes/<name>/).
# Called by `make fuzz`; `make fuzz FUZZ_SECONDS=600 FUZZERS=codec` runs
# one harness longer, and `make fuzz FUZZERS=import FUZZ_RUNS=1000000` runs
# one for exactly that many executions (libFuzzer's -runs, seeds included)
# however long it takes: FUZZ_RUNS, when set, replaces FUZZ_SECONDS.  Needs
# no LMDB: core/*.c and store/codec.c are compiled here directly.  Except
# the CSV harnesses: fuzz_csv also links store/csvio.c and libcsv,
# fuzz_xlsx store/xlsxr*.c, libzip and expat,
# fuzz_import the whole store, LMDB and libcsv (its stores go to
# fai-fuzz-import-* under $TMPDIR when set, else /dev/shm, else /tmp, and
# are removed at a clean exit).

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_RUNS ?=
FUZZ_BUILD ?= build-fuzz
FUZZERS ?= utf8 template isotime validate idea_set codec csv import xlsx
# FUZZ_DEFS=-DFUZZ_KNOWN_BLANK_LINES tolerates a known template fault (see
# fuzz.h) to look for others; rebuild the harnesses after changing it.
FUZZ_DEFS ?=

WARN := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
	-Wmissing-prototypes -Wwrite-strings -Wpointer-arith -Wundef -Wcast-qual
ifneq ($(CI),)
WARN += -Werror
endif
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := -std=c11 -g -O1 -fno-omit-frame-pointer -D_GNU_SOURCE \
	-DFAI_VERSION='"fuzz"' $(WARN) $(FUZZ_SAN) -MMD -MP

FUZZ_SRC := $(wildcard core/*.c) store/codec.c
FUZZ_OBJ := $(FUZZ_SRC:%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_BIN := $(FUZZERS:%=$(FUZZ_BUILD)/fuzz_%)
ifneq ($(FUZZ_RUNS),)
FUZZ_LIMIT := -runs=$(FUZZ_RUNS)
FUZZ_LENGTH := $(FUZZ_RUNS) runs
else
FUZZ_LIMIT := -max_total_time=$(FUZZ_SECONDS)
FUZZ_LENGTH := $(FUZZ_SECONDS) s
endif

.PHONY: fuzz-run fuzz-build
fuzz-run: fuzz-build
	@fail=0; for n in $(FUZZERS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$n $(FUZZ_BUILD)/crashes/$$n \
	    $(FUZZ_BUILD)/logs; \
	  dict=; [ -f tests/fuzz/$$n.dict ] && dict=-dict=tests/fuzz/$$n.dict; \
	  echo "fuzz_$$n: $(FUZZ_LENGTH)"; \
	  if ./$(FUZZ_BUILD)/fuzz_$$n $(FUZZ_LIMIT) \
	      -print_final_stats=1 -timeout=10 $$dict \
	      -artifact_prefix=$(FUZZ_BUILD)/crashes/$$n/ \
	      $(FUZZ_BUILD)/corpus/$$n tests/fuzz/corpus/$$n \
	      > $(FUZZ_BUILD)/logs/$$n.log 2>&1; then \
	    runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' \
	      $(FUZZ_BUILD)/logs/$$n.log); \
	    rate=$$(sed -n 's/^stat::average_exec_per_sec: *//p' \
	      $(FUZZ_BUILD)/logs/$$n.log); \
	    [ "$$rate" = 0 ] && rate=; \
	    echo "  ok, $$runs runs$${rate:+, $$rate/s}"; \
	  else \
	    fail=1; echo "  FAILED: see $(FUZZ_BUILD)/logs/$$n.log and" \
	      "$(FUZZ_BUILD)/crashes/$$n/"; \
	    grep -m3 -E 'ERROR|fuzz check failed|runtime error' \
	      $(FUZZ_BUILD)/logs/$$n.log | sed 's/^/    /'; \
	  fi; \
	done; exit $$fail

fuzz-build: $(FUZZ_BIN)

# The CSV harnesses need more than core/ and codec.c.
FUZZ_CSV_OBJ := $(FUZZ_BUILD)/obj/store/csvio.o
FUZZ_STORE_OBJ := $(patsubst %.c,$(FUZZ_BUILD)/obj/%.o,\
	$(filter-out store/codec.c,$(wildcard store/*.c)))
FUZZ_LMDB_LIBS := $(shell pkg-config --libs lmdb 2>/dev/null || echo -llmdb)
.SECONDARY: $(FUZZ_STORE_OBJ)

$(FUZZ_BUILD)/fuzz_csv: tests/fuzz/fuzz_csv.c tests/fuzz/fuzz.h $(FUZZ_OBJ) \
		$(FUZZ_CSV_OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_DEFS) -fsanitize=fuzzer -o $@ $< \
	  $(FUZZ_OBJ) $(FUZZ_CSV_OBJ) -lcsv -lxlsxwriter -lzip -lexpat

# The XLSX reader: store/xlsxr*.c with libzip and expat.
FUZZ_XLSX_OBJ := $(patsubst %.c,$(FUZZ_BUILD)/obj/%.o,$(wildcard store/xlsxr*.c))
$(FUZZ_BUILD)/fuzz_xlsx: tests/fuzz/fuzz_xlsx.c tests/fuzz/fuzz.h $(FUZZ_OBJ) \
		$(FUZZ_XLSX_OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_DEFS) -fsanitize=fuzzer -o $@ $< \
	  $(FUZZ_OBJ) $(FUZZ_XLSX_OBJ) -lzip -lexpat

$(FUZZ_BUILD)/fuzz_import: tests/fuzz/fuzz_import.c tests/fuzz/fuzz.h \
		$(FUZZ_OBJ) $(FUZZ_STORE_OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_DEFS) -fsanitize=fuzzer -o $@ $< \
	  $(FUZZ_OBJ) $(FUZZ_STORE_OBJ) $(FUZZ_LMDB_LIBS) -lcsv -lxlsxwriter -lzip -lexpat

# The objects are shared by every harness: keep them between runs.
.SECONDARY: $(FUZZ_OBJ)

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_DEFS) -fsanitize=fuzzer -o $@ $< \
	  $(FUZZ_OBJ)

-include $(shell find $(FUZZ_BUILD) -name '*.d' 2>/dev/null)
