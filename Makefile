# The commands people run. Each target installs what it needs first (make deps), so each
# works alone on a fresh Debian 12 machine.
.PHONY: deps build release run stop test test-asan test-tsan bench format install clean fuzz soak

DATA ?= ./data
# make test's short libFuzzer pass per target; `make fuzz` runs FUZZ_SECONDS (60) per target.
FUZZ_QUICK_SECONDS ?= 10
JOBS ?= 2
PREFIX ?= $(CURDIR)/install

deps:
	@scripts/install-deps

build: deps
	cmake --preset dev
	cmake --build --preset dev -j $(JOBS)

release: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS)

# Starts ledgerd on $(LISTEN) over $(DATA) (created with `ledgerd init` when new), records
# the demo sample, prints how to connect, and leaves the server running; `make stop` stops it.
LISTEN ?= 127.0.0.1:7400
run: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS) --target ledgerd ledgerctl
	@scripts/run-ledgerd build/release $(DATA) $(LISTEN)

stop:
	@if [ -f $(DATA)/ledgerd.pid ] && kill -0 $$(cat $(DATA)/ledgerd.pid) 2>/dev/null; then \
	  kill -TERM $$(cat $(DATA)/ledgerd.pid); \
	  while kill -0 $$(cat $(DATA)/ledgerd.pid) 2>/dev/null; do sleep 0.1; done; \
	  echo "stop: ledgerd stopped"; rm -f $(DATA)/ledgerd.pid; \
	else echo "stop: no ledgerd running for $(DATA)"; fi

test: build
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_QUICK_SECONDS)
	ctest --preset dev -j $(JOBS)

# The long forms of the reliability suite (docs/reliability.md): fuzzing 60 s per target,
# power loss at SOAK_CRASH_POINTS points, SOAK_KILLS kill -9 of ledgerd under load, hostile
# clients ten times longer.
SOAK_CRASH_POINTS ?= 1000
SOAK_KILLS ?= 1000
soak: build
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=60
	LEDGER_CRASH_POINTS=$(SOAK_CRASH_POINTS) build/dev/tests/engine/log_crash_test \
	  --gtest_filter='PowerLossTest.EveryAcknowledgedEventSurvivesPowerLoss'
	build/dev/tests/reliability/kill_driver --kills $(SOAK_KILLS) --views-every 50
	LEDGER_SOAK=1 build/dev/tests/reliability/hostile_clients_test

test-asan: deps
	cmake --preset asan
	cmake --build --preset asan -j $(JOBS)
	ctest --preset asan -j $(JOBS)

test-tsan: deps
	cmake --preset tsan
	cmake --build --preset tsan -j $(JOBS)
	ctest --preset tsan -j $(JOBS)

bench: release
	@for program in build/release/bench/*_bench; do echo "== $$program"; $$program; done

format:
	git ls-files '*.h' '*.cc' | xargs clang-format -i

install: release
	cmake --install build/release --prefix $(PREFIX)

clean:
	rm -rf build install

# libFuzzer over every fuzz target, FUZZ_SECONDS each (60 by default; make test runs a short
# pass). New crashes land in build/fuzz/crashes; add them to tests/fuzz/corpus/<target>.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = $(notdir $(wildcard tests/fuzz/corpus/*))
fuzz: deps
	cmake --preset fuzz
	cmake --build --preset fuzz -j $(JOBS) --target $(FUZZ_TARGETS)
	@mkdir -p build/fuzz/crashes
	@for target in $$(ls tests/fuzz/corpus); do \
	  mkdir -p build/fuzz/corpus/$$target; \
	  build/fuzz/tests/fuzz/$$target -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	    -dict=tests/fuzz/dict/$$target.dict -artifact_prefix=build/fuzz/crashes/$$target- \
	    -print_final_stats=1 build/fuzz/corpus/$$target tests/fuzz/corpus/$$target \
	    > build/fuzz/$$target.log 2>&1 || { tail -40 build/fuzz/$$target.log; exit 1; }; \
	  echo "$$target: $(FUZZ_SECONDS) s, $$(grep -o 'number_of_executed_units: [0-9]*' build/fuzz/$$target.log), crashes 0"; \
	done
