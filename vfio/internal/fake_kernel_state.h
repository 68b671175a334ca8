// FakeKernel's private state, shared by fake_kernel.cc (fd table, container, type1, groups)
// and fake_kernel_device.cc (vfio-pci device ioctls). Included by those two files only;
// depends on vfio/fake_kernel.h.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "vfio/fake_kernel.h"

namespace vfio::internal {

// vfio-pci's VFIO_PCI_OFFSET_SHIFT: region index << 40 is the region's offset on the device fd.
inline constexpr std::uint64_t kRegionShift = 40;

// An ioctl argument: a pointer (Backend::Ioctl) or a plain integer (Backend::IoctlValue).
struct Arg {
  std::uintptr_t value = 0;
  bool pointer = false;
  // nullptr for an integer argument: where the kernel expects a struct it would fault.
  void* ptr() const { return pointer ? reinterpret_cast<void*>(value) : nullptr; }
};

// The first `size` bytes of a T from user memory, the rest zero: copy_from_user(minsz).
template <class T>
T Load(const void* src, std::size_t size) {
  T value{};
  std::memcpy(&value, src, size);
  return value;
}

// copy_to_user of the first `size` bytes.
template <class T>
void Store(void* dst, const T& value, std::size_t size) {
  std::memcpy(dst, &value, size);
}

enum class Kind { kContainer, kGroup, kDevice, kEventfd };

struct FdEntry {
  Kind kind = Kind::kEventfd;
  int id = 0;               // container id, or group id for group and device fds
  std::size_t device = 0;   // index into the group's devices
  std::uint64_t count = 0;  // eventfd counter
};

struct DmaEntry {
  std::uint64_t vaddr = 0;
  std::uint64_t size = 0;
  std::uint32_t flags = 0;
  bool vaddr_invalid = false;  // VFIO_DMA_UNMAP_FLAG_VADDR
};

struct ContainerObj {
  bool fd_open = true;
  std::vector<unsigned> groups;
  bool iommu_set = false;
  bool v2 = false;
  std::map<std::uint64_t, DmaEntry> dma;  // by IOVA, never overlapping
  std::uint32_t dma_avail = 0;
};

// vfio-pci's interrupt state of one device: irq_type, the per-vector triggers, and the
// ERR/REQ single triggers. An fd of -1 is "no eventfd".
struct IrqState {
  std::uint32_t type = VFIO_PCI_NUM_IRQS;  // none
  std::vector<int> triggers;
  int err_trigger = -1;
  int req_trigger = -1;
};

struct DeviceSlot {
  FakeDevice def;
  IrqState irq;
  int open_count = 0;
  // What vfio_generate_bar_flags reports for BAR 0..5: I/O, or memory with its prefetchable
  // and 64-bit bits, taken from the config bytes the device was added with.
  std::array<std::uint32_t, 6> bar_flags{};
};

// A device as vfio-pci presents it once opened: BAR flags captured and the BAR registers
// already through vfio_bar_fixup (vfio_config_init marks them dirty).
DeviceSlot NewDeviceSlot(FakeDevice device);

// A pwrite of the config region at `pos` (inside it), through vfio-pci's permissions for the
// type-0 header: read-only fields drop the write, BARs and the ROM register are virtual
// (vfio_bar_fixup), Command keeps what the hardware lets through. Past the header, bytes are
// stored as written.
void WriteConfig(DeviceSlot& slot, std::uint64_t pos, std::span<const std::byte> bytes);

// Where a pread/pwrite on a device fd lands.
struct RegionBytes {
  DeviceSlot* slot = nullptr;
  std::uint32_t index = 0;
  std::uint64_t pos = 0;  // offset inside the region
};

struct GroupObj {
  bool viable = true;
  std::vector<DeviceSlot> devices;
  bool fd_open = false;  // the group's one opened file
  int container = 0;     // 0: none
  int device_users = 0;  // open device fds, which keep the group's file alive
};

struct RawCaps {
  std::vector<std::byte> bytes;
  std::uint32_t cap_offset = 0;
};

// `iova + size - 1 < iova`: type1's wrap test, which allows a range ending at 2^64 - 1.
inline bool Wraps(std::uint64_t start, std::uint64_t size) { return start + (size - 1) < start; }

template <class T>
std::vector<std::byte> Bytes(const T& value) {
  std::vector<std::byte> out(sizeof(T));
  std::memcpy(out.data(), &value, sizeof(T));
  return out;
}

inline vfio_info_cap_header CapHeader(std::uint16_t id) { return {id, 1, 0}; }

// A capability chain as vfio_info_cap_add builds it: appended in order, each header's next the
// absolute offset (from the start of the info struct) of the one after it, the last 0.
class CapChain {
 public:
  explicit CapChain(std::uint32_t base) : base_(base) {}

  // `cap` starts with its vfio_info_cap_header.
  void Add(const std::vector<std::byte>& cap) {
    if (!bytes_.empty()) {
      const std::uint32_t next = base_ + static_cast<std::uint32_t>(bytes_.size());
      std::memcpy(bytes_.data() + last_ + offsetof(vfio_info_cap_header, next), &next,
                  sizeof(next));
    }
    last_ = bytes_.size();
    bytes_.insert(bytes_.end(), cap.begin(), cap.end());
  }
  std::vector<std::byte> Take() { return std::move(bytes_); }

 private:
  std::uint32_t base_;
  std::size_t last_ = 0;
  std::vector<std::byte> bytes_;
};

// The tail every info ioctl shares (vfio_info_cap_shift and friends): copy the chain after the
// fixed struct if argsz leaves room, else report the argsz needed and no chain.
template <class Info>
void AttachCaps(Info& info, void* arg, std::uint32_t caps_flag,
                const std::vector<std::byte>& caps, std::uint32_t first) {
  if (caps.empty()) return;
  info.flags |= caps_flag;
  if (info.argsz < sizeof(Info) + caps.size()) {
    info.argsz = static_cast<std::uint32_t>(sizeof(Info) + caps.size());
    info.cap_offset = 0;
    return;
  }
  std::memcpy(static_cast<std::byte*>(arg) + sizeof(Info), caps.data(), caps.size());
  info.cap_offset = first;
}

struct Fault {
  FakeKernel::Call call;
  unsigned long request;
  bool any_request;
  int err;
  int remaining;
};

}  // namespace vfio::internal

namespace vfio {

struct FakeKernel::State {
  // fake_kernel.cc
  int TakeFault(Call call, unsigned long request);
  int NewFd(internal::FdEntry entry);
  int Dispatch(int fd, unsigned long request, internal::Arg arg);
  int ContainerIoctl(internal::ContainerObj& c, unsigned long request, internal::Arg arg);
  int CheckExtension(const internal::ContainerObj& c, std::uintptr_t extension);
  int SetIommu(internal::ContainerObj& c, std::uintptr_t type);
  std::uint64_t PageMask() const;
  int IommuGetInfo(const internal::ContainerObj& c, void* arg);
  std::map<std::uint64_t, internal::DmaEntry>::iterator FindDma(internal::ContainerObj& c,
                                                                std::uint64_t start,
                                                                std::uint64_t last);
  bool InsideIovaRanges(std::uint64_t start, std::uint64_t last) const;
  int MapDma(internal::ContainerObj& c, void* arg);
  int UnmapDma(internal::ContainerObj& c, void* arg);
  int GroupIoctl(unsigned id, unsigned long request, internal::Arg arg);
  int SetContainer(unsigned id, void* arg);
  void DetachGroup(unsigned id);
  void MaybeReleaseGroup(unsigned id);
  int GetDeviceFd(unsigned id, void* arg);

  // fake_kernel_device.cc
  // How many bytes a pread/pwrite of len at offset reaches (or -errno), and *where.
  std::int64_t RegionAccess(int fd, std::size_t len, std::uint64_t offset,
                            internal::RegionBytes* where);
  int DeviceIoctl(internal::DeviceSlot& slot, unsigned long request, internal::Arg arg);
  int RegionGetInfo(const internal::DeviceSlot& slot, void* arg);
  int IrqGetInfo(const internal::DeviceSlot& slot, void* arg);
  int SetIrqs(internal::DeviceSlot& slot, void* arg);
  int IntxMask(internal::DeviceSlot& slot, std::uint32_t action, std::uint32_t start,
               std::uint32_t count, std::uint32_t flags, const std::byte* data);
  int MsiTrigger(internal::DeviceSlot& slot, std::uint32_t index, std::uint32_t start,
                 std::uint32_t count, std::uint32_t flags, const std::byte* data);
  int IntxTrigger(internal::DeviceSlot& slot, std::uint32_t start, std::uint32_t count,
                  std::uint32_t flags, const std::byte* data);
  int SingleTrigger(int& trigger, std::uint32_t start, std::uint32_t count,
                    std::uint32_t flags, const std::byte* data);
  int SetBlock(internal::IrqState& irq, std::uint32_t start, std::uint32_t count,
               const std::byte* data);
  int SetVector(int& trigger, std::int32_t fd);
  // 0 for an eventfd; -EBADF for no fd, -EINVAL for another kind (eventfd_ctx_fdget).
  int EventfdError(int fd) const;
  void Signal(int eventfd);

  Options options;
  std::map<int, internal::FdEntry> fds;
  int next_fd = 3;  // 0-2 look like stdio; fds are never reused
  std::map<int, internal::ContainerObj> containers;
  int next_container = 1;
  std::map<unsigned, internal::GroupObj> groups;
  std::vector<internal::Fault> faults;
  std::map<unsigned long, std::size_t> ioctl_calls;
  std::optional<internal::RawCaps> raw_iommu;
  std::map<std::pair<std::string, std::uint32_t>, internal::RawCaps> raw_regions;
};

}  // namespace vfio
