// The real kernel behind vfio::Backend: open/ioctl/pread/pwrite/eventfd on /dev/vfio with
// EINTR retry, and the sysfs lookups a VMM needs to find a device's group. Linux only;
// depends on vfio/vfio_device.h and libc, never on a fake.
#pragma once

#include <cerrno>
#include <cstdint>
#include <string>

#include "vfio/result.h"
#include "vfio/vfio_device.h"

namespace vfio {

// Stateless and thread-safe: every call is one syscall (retried on EINTR).
class LinuxBackend final : public Backend {
 public:
  int Open(const std::string& path) override;
  int Close(int fd) override;
  int Ioctl(int fd, unsigned long request, void* arg) override;
  int IoctlValue(int fd, unsigned long request, unsigned long value) override;
  std::int64_t Pread(int fd, std::span<std::byte> buf, std::uint64_t offset) override;
  std::int64_t Pwrite(int fd, std::span<const std::byte> buf, std::uint64_t offset) override;
  int CreateEventfd() override;
  int ReadEventfd(int fd, std::uint64_t* count) override;
};

// True when the VFIO container node exists (the vfio module is loaded). Tests that need the
// real kernel skip without it.
bool VfioPresent(const std::string& container_path = kContainerPath);

// The IOMMU group number of a PCI device: the basename of
// <sysfs_devices>/<device_name>/iommu_group. Errors are MakeSysError(kReadIommuGroup, errno);
// a link whose basename is not a number is kCorruptInfo.
Result<unsigned> IommuGroupOf(const std::string& device_name,
                              const std::string& sysfs_devices = "/sys/bus/pci/devices");

namespace internal {

// Calls f() until it does not fail with EINTR; f follows the libc convention (-1 and errno).
// A signal arriving during a VFIO ioctl or a pread must not surface as an error.
template <class F>
auto RetryOnEintr(F&& f) -> decltype(f()) {
  for (;;) {
    auto result = f();
    if (result != -1 || errno != EINTR) return result;
  }
}

}  // namespace internal
}  // namespace vfio
