// An in-memory Linux VFIO for unit tests: the container with the type1 v2 IOMMU, groups,
// vfio-pci devices and eventfds behind vfio::Backend, decoding the same <linux/vfio.h>
// structs with the errno rules of Linux 6.1 (research/vfio.md §3.2, §3.7, §6). Depends on
// vfio/vfio_device.h and the uapi headers only; never makes a syscall.
#pragma once

#include <linux/vfio.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "vfio/vfio_device.h"

namespace vfio {

// One region of a fake device. flags are what GET_REGION_INFO reports (READ/WRITE/MMAP); the
// CAPS flag is added when a capability is present.
struct FakeRegion {
  std::uint64_t size = 0;
  std::uint32_t flags = 0;
  // What pread/pwrite reach. Empty: the region is not backed and they fail with EINVAL.
  std::vector<std::uint8_t> data;
  std::vector<SparseArea> sparse_areas;  // reported as a SPARSE_MMAP capability
  bool msix_mappable = false;            // reported as an MSIX_MAPPABLE capability
};

// One vfio-pci function.
struct FakeDevice {
  std::string name;  // its sysfs name, what GET_DEVICE_FD takes
  std::uint32_t flags = VFIO_DEVICE_FLAGS_PCI;
  // The ERR interrupt index exists only on PCIe functions.
  bool pcie = false;
  // Indexed by VFIO_PCI_*_REGION_INDEX; the config region (7) is always backed by data. Its
  // BAR and ROM registers hold the device's own addresses and flag bits: the fake virtualises
  // them as vfio-pci does, so the sizing protocol reads back ~(size - 1) | flags.
  std::array<FakeRegion, VFIO_PCI_NUM_REGIONS> regions;
  // Indexed by VFIO_PCI_*_IRQ_INDEX: INTx, MSI, MSI-X, ERR, REQ.
  std::array<std::uint32_t, VFIO_PCI_NUM_IRQS> irq_counts{};

  // QEMU's edu device as the guest in research/vfio.md §6 saw it: conventional PCI, 256-byte
  // config space, BAR0 1 MiB (ident 0x010000ed at offset 0), INTx and one MSI vector.
  // vfio/vm/conformance_fake_test.cc holds it to what Linux 6.1 reported in the QEMU guest.
  static FakeDevice Edu(std::string name);
  // QEMU's e1000e without its option ROM (romfile=): PCIe with reset, 4 KiB config space with
  // the PM, MSI, PCI Express and MSI-X capabilities and AER and DSN extended ones, BAR0/1
  // 128 KiB, BAR2 32 bytes of I/O, BAR3 16 KiB holding the MSI-X table (MSIX_MAPPABLE), 5
  // MSI-X vectors. BAR contents are not backed (pread/pwrite fail with EINVAL).
  static FakeDevice E1000e(std::string name);
};

struct FakeGroup {
  unsigned id = 0;
  // False when a device of the group is bound to a host driver.
  bool viable = true;
  std::vector<FakeDevice> devices;
};

// One live type1 mapping, as the kernel's dma_list holds it.
struct FakeDmaMapping {
  std::uint64_t iova = 0;
  std::uint64_t vaddr = 0;
  std::uint64_t size = 0;
  std::uint32_t flags = 0;  // VFIO_DMA_MAP_FLAG_READ | _WRITE

  friend bool operator==(const FakeDmaMapping&, const FakeDmaMapping&) = default;
};

// Thread-compatible. Paths: "/dev/vfio/vfio" opens a new container, "/dev/vfio/<id>" a group
// added with AddGroup (once at a time: EBUSY while open), anything else is ENOENT.
class FakeKernel final : public Backend {
 public:
  struct Options {
    // What an Intel IOMMU reports: 4 KiB, 2 MiB and 1 GiB pages.
    std::uint64_t iova_pgsizes = 0x40201000;
    // type1's dma_entry_limit module parameter.
    std::uint32_t dma_entry_limit = 65535;
    // Inclusive [start, end] windows: below and above the x86 MSI doorbell, 39-bit width.
    std::vector<std::pair<std::uint64_t, std::uint64_t>> iova_ranges = {
        {0x0, 0xfedfffff}, {0xfef00000, 0x7fffffffff}};
    // False: type1 refuses to attach groups (SET_IOMMU fails with EPERM), as without
    // intremap=on and allow_unsafe_interrupts.
    bool interrupt_remapping = true;
    // What CHECK_EXTENSION(VFIO_DMA_CC_IOMMU) says once the IOMMU is set: whether it enforces
    // cache coherency (snoop control). QEMU's intel-iommu does not.
    bool enforce_cache_coherency = false;
  };

  // The Backend entry points, for fault injection.
  enum class Call { kOpen, kClose, kIoctl, kPread, kPwrite, kCreateEventfd, kReadEventfd };

  FakeKernel();
  explicit FakeKernel(Options options);
  ~FakeKernel() override;
  FakeKernel(const FakeKernel&) = delete;
  FakeKernel& operator=(const FakeKernel&) = delete;

  // Makes /dev/vfio/<group.id> exist; replaces a group of the same id, so call it before
  // opening that group.
  void AddGroup(FakeGroup group);

  int Open(const std::string& path) override;
  int Close(int fd) override;
  int Ioctl(int fd, unsigned long request, void* arg) override;
  int IoctlValue(int fd, unsigned long request, unsigned long value) override;
  std::int64_t Pread(int fd, std::span<std::byte> buf, std::uint64_t offset) override;
  std::int64_t Pwrite(int fd, std::span<const std::byte> buf, std::uint64_t offset) override;
  int CreateEventfd() override;
  int ReadEventfd(int fd, std::uint64_t* count) override;

  // Fault injection: the next `times` calls of `call` fail with -err before doing anything.
  void FailNext(Call call, int err, int times = 1);
  // The same for one ioctl request only.
  void FailNextIoctl(unsigned long request, int err, int times = 1);

  // Corrupt-reply injection: VFIO_IOMMU_GET_INFO (or GET_REGION_INFO of one region) reports
  // `caps` after its fixed struct and `cap_offset` as the first capability, with argsz and
  // the two-call protocol as usual. Offsets inside `caps` count from the start of the struct.
  void SetRawIommuCaps(std::vector<std::byte> caps, std::uint32_t cap_offset);
  void SetRawRegionCaps(const std::string& device, std::uint32_t index,
                        std::vector<std::byte> caps, std::uint32_t cap_offset);

  // How many times `request` reached the fake (faulted calls included).
  std::size_t ioctl_calls(unsigned long request) const;
  std::size_t open_fds() const;
  // The type1 mappings of the container behind container_fd, sorted by IOVA.
  std::vector<FakeDmaMapping> dma_mappings(int container_fd) const;
  // The config bytes of a device (what pwrite changed).
  std::vector<std::uint8_t> config(const std::string& device) const;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace vfio
