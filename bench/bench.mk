# bench/bench.mk - builds and runs the store benchmark (bench_store.c):
# page and lookup times at 10^2, 10^4 and 10^6 ideas, insert throughput,
# file size, RSS and the cost of one fsync'd action (about 70 s on 2 cores).
# Called by `make bench` (which builds `all` first) as
# `$(MAKE) -f bench/bench.mk BUILD=...`.  BENCH_MAX=10000 stops at a smaller
# size; TMPDIR chooses where the temporary stores go (8 GiB free needed).

BUILD ?= build
CC ?= cc
BENCH_MAX ?= 1000000
WARN := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
	-Wmissing-prototypes -Wwrite-strings -Wpointer-arith -Wundef -Wcast-qual
ifneq ($(CI),)
WARN += -Werror
endif
BENCH_CFLAGS := -std=c11 -O2 -g $(WARN) -D_GNU_SOURCE \
	$(shell pkg-config --cflags lmdb 2>/dev/null)
LMDB_LIBS := $(shell pkg-config --libs lmdb 2>/dev/null || echo -llmdb)
LIBS := $(BUILD)/libfaistore.a $(BUILD)/libfaicore.a
BENCH := $(BUILD)/bench/bench_store

.PHONY: bench-run
bench-run: $(BENCH)
	./$(BENCH) $(BENCH_MAX)

$(BENCH): bench/bench_store.c $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -o $@ $< $(LIBS) $(LMDB_LIBS)

# When called on its own: let the main Makefile build the libraries.
$(LIBS):
	$(MAKE) -f Makefile BUILD=$(BUILD) $(LIBS)
