#!/usr/bin/env bash
# Boots the VFIO test guest (q35 under TCG with an intel-iommu vIOMMU, the edu and e1000e
# devices) and turns its serial output into an exit code: 0 when the program printed
# "DONE fails=0" after at least one PASS, 1 on any FAIL or a missing DONE, 2 on a setup error.
# Usage: run_vm_test.sh WORK_DIR GUEST_PROGRAM [TIMEOUT_SECONDS]
set -euo pipefail
work=$1
guest=$2
limit=${3:-240}
here=$(cd "$(dirname "$0")" && pwd)

command -v qemu-system-x86_64 >/dev/null ||
  { echo "ERROR: qemu-system-x86_64 not found (install qemu-system-x86: scripts/install_deps.sh)"; exit 2; }
"$here/build_image.sh" "$work" "$guest"

log="$work/serial.log"
set +e
timeout --foreground -k 5 "$limit" qemu-system-x86_64 \
  -M q35 -accel tcg -cpu max -m 512 -smp 1 -nographic -no-reboot -nic none \
  -device intel-iommu,intremap=on,caching-mode=on \
  -device edu \
  -device e1000e,netdev=n0 -netdev user,id=n0,restrict=on \
  -kernel "$work/vmlinuz" -initrd "$work/initrd.gz" \
  -append "console=ttyS0 intel_iommu=on panic=-1 quiet loglevel=4" </dev/null >"$log" 2>&1
qemu_rc=$?
set -e
tr -d '\r' <"$log" | grep -E '^(PASS|FAIL|INFO|DONE)' || true

if [ "$qemu_rc" -eq 124 ] || [ "$qemu_rc" -eq 137 ]; then
  echo "ERROR: the guest did not power off within ${limit} s; serial log: $log"
  exit 1
fi
passes=$(tr -d '\r' <"$log" | grep -c '^PASS' || true)
if tr -d '\r' <"$log" | grep -q '^DONE fails=0$' && [ "$passes" -gt 0 ] &&
   ! tr -d '\r' <"$log" | grep -q '^FAIL'; then
  echo "INFO: ${passes} checks passed in the guest"
  exit 0
fi
echo "ERROR: the guest test failed or did not finish; serial log: $log"
tail -n 40 "$log"
exit 1
