#!/usr/bin/env bash
# Installs every Debian package kerneltest needs. Idempotent: when all are present it only
# checks (about a second) and touches nothing.
set -euo pipefail

packages=(
  # Toolchain: Clang/LLVM 19 for the instrumented build, the seeder and the sanitizers.
  clang-19 lld-19 llvm-19 llvm-19-dev libclang-19-dev libclang-cpp19-dev libclang-rt-19-dev
  # The g++ build of the replay path.
  g++-12
  # Libraries.
  libboost-dev libgtest-dev libgmock-dev libbenchmark-dev linux-libc-dev
  # Build.
  cmake ninja-build python3
  # The VFIO integration test: boots a guest under QEMU (the guest kernel and busybox are
  # downloaded and unpacked by vfio/vm/build_image.sh, never installed).
  qemu-system-x86 gzip
  # The coverage report's browser test renders the HTML report headless.
  chromium
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "INFO: all ${#packages[@]} packages present"
  exit 0
fi

echo "INFO: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
