# The commands people run. Each target installs what it needs first (make deps), so each
# works alone on a fresh Debian 12 machine.
.PHONY: deps build release run test test-asan test-tsan bench format install clean

DATA ?= ./data
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

# Until the server exists: records a few orders through the engine into $(DATA) and
# prints what it wrote.
run: release
	./build/release/examples/demo/ledger_demo --data $(DATA)

test: build
	ctest --preset dev -j $(JOBS)

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
