# tests/torture/torture.mk - builds the tools of the torture campaigns into
# $(BUILD)/torture/ (the corruption engine, the CSV generator, the fault
# shim and its check) and runs both campaigns against $(FAI) through tests/torture/run.
# Called by `make torture`; see docs/torture.md.  The tools are plain C
# (libc only, the shim also libdl): they build whatever fai is tortured.

BUILD ?= build
FAI ?= $(BUILD)/fai
CC ?= cc
TORTURE_N ?= 10000
TORTURE_SEED ?= 1
TORTURE_JOBS ?= 2
TORTURE_TIMEOUT ?= 20
TORTURE_OPS ?=

WARN := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
	-Wmissing-prototypes -Wwrite-strings -Wpointer-arith -Wundef -Wcast-qual
ifneq ($(CI),)
WARN += -Werror
endif
TORTURE_CFLAGS := -std=c11 -O2 -g -D_GNU_SOURCE $(WARN)
T := $(BUILD)/torture

.PHONY: torture-run torture-tools
torture-run: torture-tools
	@FAI=$(FAI) BUILD=$(BUILD) TORTURE_N=$(TORTURE_N) \
	  TORTURE_SEED=$(TORTURE_SEED) TORTURE_JOBS=$(TORTURE_JOBS) \
	  TORTURE_TIMEOUT=$(TORTURE_TIMEOUT) \
	  TORTURE_FAULT_OPS="$(TORTURE_OPS)" sh tests/torture/run

torture-tools: $(T)/corrupt $(T)/gen $(T)/faultshim.so $(T)/shimcheck

$(T)/corrupt: tests/torture/corrupt.c tests/torture/lmdbmap.c \
		tests/torture/lmdbmap.h
	@mkdir -p $(dir $@)
	$(CC) $(TORTURE_CFLAGS) -o $@ tests/torture/corrupt.c \
	  tests/torture/lmdbmap.c

$(T)/shimcheck: tests/torture/shimcheck.c
	@mkdir -p $(dir $@)
	$(CC) $(TORTURE_CFLAGS) -o $@ $<

$(T)/gen: tests/torture/gen.c
	@mkdir -p $(dir $@)
	$(CC) $(TORTURE_CFLAGS) -o $@ $<

$(T)/faultshim.so: tests/torture/faultshim.c
	@mkdir -p $(dir $@)
	$(CC) $(TORTURE_CFLAGS) -shared -fPIC -o $@ $< -ldl
