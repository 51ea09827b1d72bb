#!/usr/bin/env bash
# Installs the engine and the projections from a build tree into a scratch prefix, then builds
# and runs the examples/embed application against it with find_package(Ledger).
# Usage: check_install.sh BUILD_DIR SOURCE_DIR [SANITIZER_FLAGS]
# (a sanitizer build's libraries need the application built with the same -fsanitize flags)
set -euo pipefail
build=$1
source=$2
sanitize=${3:-}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cmake --install "$build" --prefix "$scratch/prefix" > "$scratch/install.log"
cmake -S "$source/examples/embed" -B "$scratch/embed" -G Ninja \
  -DCMAKE_PREFIX_PATH="$scratch/prefix" -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS="$sanitize" -DCMAKE_EXE_LINKER_FLAGS="$sanitize" > "$scratch/configure.log"
cmake --build "$scratch/embed" > "$scratch/build.log"
output=$("$scratch/embed/embed_ledger" "$scratch/data")
echo "$output"
grep -q "verified 2 events" <<< "$output"
grep -Eq "^views digest [0-9a-f]{64} at sequence 2$" <<< "$output"
