# Convenience wrapper over CMake presets; the real build is CMakeLists.txt.
#   make run    install missing Debian packages, build, show `embargo check` on the
#               examples, then run the seeded demo platform on 127.0.0.1:8080
#               (scripts/demo.sh; Ctrl-C stops it)
#   make test   install missing Debian packages, build and run every test,
#               then the same suite under AddressSanitizer + UBSan
#   make test-valgrind  unit, http and fuzz-replay tests under valgrind
#               (fails on invalid accesses and leaks; scripts/valgrind-tests.sh)
#   make fuzz   build the libFuzzer targets and run each for FUZZ_SECONDS
#   make bench  run the benchmarks in bench/ (results: docs/PERFORMANCE.md)
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60

.PHONY: all deps build run test lint test-ci test-asan test-valgrind fuzz bench clean

all: build

deps:
	@./scripts/install-deps.sh

build: deps
	cmake --preset release >/dev/null
	cmake --build build/release -j $(JOBS)

run: build
	./scripts/demo.sh build/release/embargo

test: deps lint test-ci test-asan

lint:
	./scripts/lint.sh

test-ci:
	cmake --preset ci >/dev/null
	cmake --build build/ci -j $(JOBS)
	ctest --preset ci -j $(JOBS)

test-asan:
	cmake --preset asan >/dev/null
	cmake --build build/asan -j $(JOBS)
	ctest --preset asan -j $(JOBS)

test-valgrind:
	cmake --preset dev >/dev/null
	cmake --build build/dev -j $(JOBS)
	./scripts/valgrind-tests.sh build/dev

fuzz: deps
	cmake --preset fuzz >/dev/null
	cmake --build build/fuzz -j $(JOBS)
	./scripts/fuzz-run.sh build/fuzz $(FUZZ_SECONDS)

bench: build
	./bench/run.sh build/release

clean:
	rm -rf build
