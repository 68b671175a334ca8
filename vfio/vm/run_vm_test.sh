#!/usr/bin/env bash
# Boots the VFIO test guest (q35 under TCG with an intel-iommu vIOMMU, the edu and e1000e
# devices) and turns its serial output into an exit code: 0 when the program printed
# "DONE fails=0" after at least one PASS and no FAIL, 1 on any FAIL, a missing DONE or a
# timeout, 2 on a setup error (a missing tool or package).
# Usage: run_vm_test.sh WORK_DIR GUEST_PROGRAM [TIMEOUT_SECONDS]
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 WORK_DIR GUEST_PROGRAM [TIMEOUT_SECONDS]" >&2; exit 2; }
work=$1
guest=$2
limit=${3:-240}
here=$(cd "$(dirname "$0")" && pwd)

command -v qemu-system-x86_64 >/dev/null ||
  { echo "ERROR: qemu-system-x86_64 not found (install qemu-system-x86: scripts/install_deps.sh)"; exit 2; }
command -v timeout >/dev/null || { echo "ERROR: timeout not found (coreutils)"; exit 2; }
mkdir -p "$work"
"$here/build_image.sh" "$work" "$guest" || exit 2

log="$work/serial.log"
# e1000e's option ROM (ipxe-qemu) is left out: the test and the fake kernel model the device
# without one, whatever ROM files the host has.
start=$(date +%s)
set +e
timeout --foreground -k 5 "$limit" qemu-system-x86_64 \
  -M q35 -accel tcg -cpu max -m 512 -smp 1 -nographic -no-reboot -nic none \
  -device intel-iommu,intremap=on,caching-mode=on \
  -device edu \
  -device e1000e,netdev=n0,romfile= -netdev user,id=n0,restrict=on \
  -kernel "$work/vmlinuz" -initrd "$work/initrd.gz" \
  -append "console=ttyS0 intel_iommu=on panic=-1 quiet loglevel=4" </dev/null >"$log" 2>&1
qemu_rc=$?
set -e
seconds=$(( $(date +%s) - start ))
# The console carries carriage returns and the firmware's terminal escapes.
clean="$work/serial.txt"
sed -e 's/\r//g' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1bc//g' "$log" >"$clean"
grep -E '^(PASS|FAIL|SKIP|INFO|DONE)' "$clean" || true

if [ "$qemu_rc" -eq 124 ] || [ "$qemu_rc" -eq 137 ]; then
  echo "ERROR: the guest did not power off within ${limit} s; serial log: $log"
  tail -n 20 "$clean"
  exit 1
fi
passes=$(grep -c '^PASS' "$clean" || true)
skips=$(grep -c '^SKIP' "$clean" || true)
if grep -q '^DONE fails=0$' "$clean" && [ "$passes" -gt 0 ] && ! grep -q '^FAIL' "$clean"; then
  echo "INFO: ${passes} checks passed and ${skips} skipped in the guest; boot and run took ${seconds} s"
  exit 0
fi
echo "ERROR: the guest test failed or did not finish (qemu exit ${qemu_rc}, ${seconds} s); serial log: $log"
tail -n 40 "$clean"
exit 1
