#!/usr/bin/env bash
# Runs every test of kerneltest: the Clang build (all components, every ctest label), the
# ASan+UBSan build and the g++ 12 build of the parts that must build with any compiler.
# Usage: scripts/test.sh [preset...]   (default: default asan gcc)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install_deps.sh

presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(default asan gcc)

failed=()
for preset in "${presets[@]}"; do
  start=$SECONDS
  echo "INFO: preset ${preset}: configure, build, test"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  if ! ctest --preset "$preset" -j2; then
    failed+=("$preset")
  fi
  echo "INFO: preset ${preset} took $((SECONDS - start)) s"
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "ERROR: tests failed in: ${failed[*]}"
  exit 1
fi
echo "INFO: all presets passed: ${presets[*]}"
