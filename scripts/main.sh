#!/usr/bin/env bash
# The main job: installs what is missing, builds the default (Clang) preset, checks the example
# suite's tables (regenerated in memory and compared with the checked-in ones; exit 1 with a
# diff when one is stale), prints their coverage, and runs the VFIO passthrough walkthrough.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install_deps.sh
cmake --preset default >/dev/null
cmake --build --preset default
build/default/examples/hello/hello_kt check
build/default/examples/hello/hello_kt report
build/default/examples/examples_vfio_passthrough
