#!/usr/bin/env bash
# The main job: installs what is missing, builds the default (Clang) preset, checks the VFIO
# suite's tables (regenerated in memory and compared with the checked-in ones; exit 1 with a
# diff when one is stale, or when a kernel's coverage fell below its table's header), prints
# their coverage report (and writes it as HTML and JSON into the build tree), then checks the
# example suites and runs the VFIO passthrough walkthrough.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install_deps.sh
cmake --preset default >/dev/null
cmake --build --preset default
build=build/default
"$build"/kernels/vfio_kt check --jobs 2
"$build"/kernels/vfio_kt report --html "$build"/vfio_report.html
"$build"/kernels/vfio_kt report --json > "$build"/vfio_report.json
echo "INFO: the VFIO report: $build/vfio_report.html, $build/vfio_report.json"
"$build"/examples/hello/hello_kt check
"$build"/examples/file_create/file_create_kt check
"$build"/examples/examples_vfio_passthrough
