#!/usr/bin/env bash
# Builds the VFIO test guest's initramfs from Debian packages: the kernel's vfio modules
# (the kernel package is unpacked, never installed), busybox-static and the statically linked
# test program. Usage: build_image.sh OUT_DIR GUEST_PROGRAM
# Leaves OUT_DIR/vmlinuz and OUT_DIR/initrd.gz. Downloads are cached in OUT_DIR/debs and the
# unpacked packages in OUT_DIR/unpacked, so only the first run needs the network.
set -euo pipefail
out=$1
guest=$2
here=$(cd "$(dirname "$0")" && pwd)

die() { echo "ERROR: $*" >&2; exit 2; }
[ -x "$guest" ] || die "guest program '$guest' is missing or not executable (build vfio_vm_guest)"
for tool in dpkg-deb apt-get apt-cache gzip; do
  command -v "$tool" >/dev/null || die "$tool not found: the VM test needs a Debian host"
done

mkdir -p "$out/debs"
resolve_kernel() {
  apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}'
}
kernel_pkg=$(resolve_kernel)
if [ -z "$kernel_pkg" ] && [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq >/dev/null 2>&1 || true
  kernel_pkg=$(resolve_kernel)
fi
[ -n "$kernel_pkg" ] || die "cannot resolve linux-image-amd64 to a kernel package (run apt-get update)"
for pkg in "$kernel_pkg" busybox-static; do
  ls "$out/debs/${pkg}_"*.deb >/dev/null 2>&1 && continue
  if ! (cd "$out/debs" && apt-get download "$pkg" >"$out/apt-download.log" 2>&1); then
    tail -n 5 "$out/apt-download.log" >&2
    die "apt-get download $pkg failed (network or apt sources?); full log: $out/apt-download.log"
  fi
done
debs=$(ls "$out/debs/${kernel_pkg}_"*.deb "$out/debs/busybox-static_"*.deb)

# Unpacking the 70 MB kernel package takes a while: redo it only when the packages changed.
if [ "$(cat "$out/unpacked/.debs" 2>/dev/null)" != "$debs" ]; then
  rm -rf "$out/unpacked"
  mkdir -p "$out/unpacked"
  for deb in $debs; do dpkg-deb -x "$deb" "$out/unpacked"; done
  echo "$debs" >"$out/unpacked/.debs"
fi

rm -rf "$out/initramfs"
mkdir -p "$out/initramfs"/{bin,modules,proc,sys,dev}
kver=${kernel_pkg#linux-image-}
moddir="$out/unpacked/lib/modules/$kver/kernel"
for m in virt/lib/irqbypass drivers/vfio/vfio drivers/vfio/vfio_iommu_type1 \
         drivers/vfio/vfio_virqfd drivers/vfio/pci/vfio-pci-core drivers/vfio/pci/vfio-pci; do
  name=$(basename "$m")
  if [ -f "$moddir/$m.ko" ]; then
    cp "$moddir/$m.ko" "$out/initramfs/modules/$name.ko"
  elif [ -f "$moddir/$m.ko.xz" ]; then
    command -v xz >/dev/null || die "xz not found (xz-utils): $kernel_pkg ships compressed modules"
    xz -dc "$moddir/$m.ko.xz" > "$out/initramfs/modules/$name.ko"
  else
    die "module $m not found in $kernel_pkg (the insmod list in vfio/vm/init is for 6.1)"
  fi
done

busybox="$out/unpacked/bin/busybox"
[ -x "$busybox" ] || die "busybox-static has no /bin/busybox"
cp "$busybox" "$out/initramfs/bin/busybox"
cp "$guest" "$out/initramfs/bin/vfio_vm_test"
cp "$here/init" "$out/initramfs/init"
chmod +x "$out/initramfs/init"
cp "$out/unpacked/boot/vmlinuz-$kver" "$out/vmlinuz"

(cd "$out/initramfs" && find . | sort | "$busybox" cpio -o -H newc 2>/dev/null) | gzip -1 > "$out/initrd.gz"
echo "INFO: built $out/initrd.gz for $kver"
