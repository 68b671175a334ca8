#!/usr/bin/env bash
# The main job: installs what is missing, builds the default (Clang) preset and runs the VFIO
# passthrough walkthrough against the fake kernel.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install_deps.sh
cmake --preset default >/dev/null
cmake --build --preset default
build/default/examples/examples_vfio_passthrough
