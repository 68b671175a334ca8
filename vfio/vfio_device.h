// Linux VFIO container, group and device objects over a kernel Backend (the real one in
// vfio_linux.h, a fake in fake_kernel.h). Depends on the uapi <linux/vfio.h>, vfio/dma_map.h,
// vfio/pci_address.h and vfio/result.h; never on a syscall or libc I/O directly.
#pragma once

#include <linux/vfio.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "vfio/address.h"
#include "vfio/dma_map.h"
#include "vfio/pci_address.h"
#include "vfio/result.h"

namespace vfio {

// What went wrong, category "vfio.linux". The first group are conditions the library finds
// itself (make_error_code). The second group name operations: a failed syscall becomes
// MakeSysError(operation, errno), which keeps both (see FromErrno for the errnos that map to
// a more specific error instead).
enum class VfioError {
  kApiVersion = 1,        // VFIO_GET_API_VERSION is not VFIO_API_VERSION
  kNoType1v2,             // VFIO_CHECK_EXTENSION(VFIO_TYPE1v2_IOMMU) is 0
  kGroupNotViable,        // the group's VIABLE bit is clear: a device is bound to a host driver
  kNoGroupAttached,       // SetIommuType1v2 before any group is attached (Linux: EINVAL)
  kIommuNotSet,           // DMA or IOMMU info before SetIommuType1v2 (Linux: EINVAL)
  kNoInterruptRemapping,  // SET_IOMMU said EPERM: type1 refuses groups without MSI isolation
  kCorruptInfo,           // an info reply whose argsz, capability chain or contents break bounds
  kNotPci,                // VFIO_DEVICE_GET_INFO lacks VFIO_DEVICE_FLAGS_PCI
  kTooFewRegions,         // num_regions does not reach the config region
  kTooFewIrqs,            // num_irqs does not reach the MSI-X index
  kBadConfigAccess,       // not 1, 2 or 4 bytes, not naturally aligned, or outside the region
  kShortTransfer,         // pread/pwrite moved fewer bytes than asked
  kUnmapSizeMismatch,     // the kernel unmapped another byte count than the tracker removed
  kNoEventfds,            // SetIrqEventfds with an empty list
  kTooManyEventfds,       // more eventfds than PCI allows vectors (2048)
  // Operations; these appear inside MakeSysError codes.
  kOpenContainer,
  kOpenGroup,
  kGetApiVersion,
  kCheckExtension,
  kSetIommu,
  kIommuInfo,
  kGroupStatus,
  kSetContainer,
  kUnsetContainer,
  kGetDeviceFd,
  kDeviceInfo,
  kRegionInfo,
  kIrqInfo,
  kSetIrqs,
  kMapDma,
  kUnmapDma,
  kConfigRead,
  kConfigWrite,
  kEventfd,
  kReadIommuGroup,
};
const char* ToString(VfioError e) noexcept;
const std::error_category& VfioCategory() noexcept;
std::error_code make_error_code(VfioError e) noexcept;

// A failed syscall: which operation, and the errno the kernel gave.
struct SysError {
  VfioError what = VfioError::kOpenContainer;
  int err = 0;

  friend bool operator==(const SysError&, const SysError&) = default;
};

// The error_code of a failed syscall, category "vfio.linux.errno"; it prints as
// "map_dma:EEXIST" and compares equal to the std::errc of its errno
// (ec == std::errc::file_exists). An err outside 1..4095 is recorded as EIO.
std::error_code MakeSysError(VfioError what, int err) noexcept;
const std::error_category& SysErrorCategory() noexcept;
// The operation and errno inside a MakeSysError code; nullopt for any other code.
std::optional<SysError> GetSysError(const std::error_code& ec) noexcept;

// The error a failed call gives callers, so the fake and the real kernel produce the same
// codes as the DMA tracker where the errno is unambiguous:
//   MAP_DMA  EEXIST -> DmaError::kOverlap, ENOSPC -> DmaError::kLimitReached
//   SET_IOMMU EPERM -> VfioError::kNoInterruptRemapping
// Everything else is MakeSysError(what, err).
std::error_code FromErrno(VfioError what, int err) noexcept;

// The kernel calls the classes below make. Every call returns >= 0 on success and -errno on
// failure (the kernel's own convention), never touches errno and never throws; an
// implementation retries EINTR itself. Implementations must outlive every object using them.
class Backend {
 public:
  virtual ~Backend() = default;

  // open(path, O_RDWR | O_CLOEXEC): a new fd.
  virtual int Open(const std::string& path) = 0;
  virtual int Close(int fd) = 0;
  // An ioctl whose argument is a pointer (a uapi struct, a device name, an int*).
  virtual int Ioctl(int fd, unsigned long request, void* arg) = 0;
  // An ioctl whose argument is a plain integer (GET_API_VERSION, CHECK_EXTENSION, SET_IOMMU).
  virtual int IoctlValue(int fd, unsigned long request, unsigned long value) = 0;
  // Bytes transferred, or -errno.
  virtual std::int64_t Pread(int fd, std::span<std::byte> buf, std::uint64_t offset) = 0;
  virtual std::int64_t Pwrite(int fd, std::span<const std::byte> buf, std::uint64_t offset) = 0;
  // A non-blocking eventfd with counter 0.
  virtual int CreateEventfd() = 0;
  // Reads and clears an eventfd's counter into *count; 0 when nothing was signalled.
  virtual int ReadEventfd(int fd, std::uint64_t* count) = 0;
};

// Where the container and group nodes live.
inline constexpr char kContainerPath[] = "/dev/vfio/vfio";
inline constexpr char kGroupPathPrefix[] = "/dev/vfio/";

// An fd closed through its Backend on destruction. Move-only.
class ScopedFd {
 public:
  ScopedFd() noexcept = default;
  ScopedFd(Backend& backend, int fd) noexcept : backend_(&backend), fd_(fd) {}
  ScopedFd(ScopedFd&& other) noexcept;
  ScopedFd& operator=(ScopedFd&& other) noexcept;
  ~ScopedFd() { Reset(); }

  int get() const noexcept { return fd_; }
  bool valid() const noexcept { return fd_ >= 0; }
  // Closes the fd now (errors from close are not actionable and are dropped).
  void Reset() noexcept;

 private:
  Backend* backend_ = nullptr;
  int fd_ = -1;
};

// A new eventfd, for SetIrqEventfds.
Result<ScopedFd> CreateEventfd(Backend& backend);
// How often the eventfd fired since the last read (0 if never); clears the counter.
Result<std::uint64_t> ReadEventfd(Backend& backend, int fd);

// VFIO_IOMMU_GET_INFO, decoded.
struct IommuInfo {
  std::uint64_t iova_pgsizes = 0;           // bitmap of IOMMU page sizes
  std::optional<std::uint32_t> dma_avail;   // DMA mappings still allowed, when reported
  std::vector<IovaRange> iova_ranges;       // usable IOVA windows; empty: no restriction
};

namespace internal {
struct ContainerState;
}  // namespace internal

// One VFIO container (/dev/vfio/vfio) with its type1 v2 IOMMU, and the DmaMapTracker that
// mirrors the kernel's mappings. Every MapDma/UnmapDma is checked by the tracker before the
// kernel sees it, and the tracker changes only after the kernel agreed, so a refusal on
// either side leaves both as they were. Thread-compatible. Move-only; a moved-from Container
// may only be destroyed or assigned. Groups attached to it keep its fd open (as the kernel
// does), so it may be destroyed before them.
//
// Example usage:
//   vfio::LinuxBackend backend;
//   VFIO_TRY(container, vfio::Container::Open(backend));
//   VFIO_TRY(group, vfio::Group::Open(backend, 7));
//   VFIO_TRY(group.Attach(container));
//   VFIO_TRY(container.SetIommuType1v2());
//   VFIO_TRY(container.MapDma(vfio::Iova(0x100000), hva, 0x200000, vfio::Perm::kReadWrite));
class Container {
 public:
  // Opens `path` and checks the API version and the TYPE1v2 extension.
  static Result<Container> Open(Backend& backend, const std::string& path = kContainerPath);

  Container(Container&&) noexcept;
  Container& operator=(Container&&) noexcept;
  ~Container();

  // VFIO_SET_IOMMU(TYPE1v2), then GET_INFO to configure the tracker with the kernel's smallest
  // page, IOVA windows and entry limit. kNoGroupAttached before a Group::Attach.
  Result<void> SetIommuType1v2();
  // VFIO_IOMMU_GET_INFO with its capability chain (two calls: size, then contents).
  Result<IommuInfo> GetIommuInfo() const;
  Result<std::vector<IovaRange>> IovaRanges() const;

  // Maps [iova, iova + size) to host memory at hva, tracker first, then MAP_DMA.
  Result<void> MapDma(Iova iova, Hva hva, std::uint64_t size, Perm perm);
  // Unmaps every mapping inside the range; returns the bytes removed (0 is not an error).
  Result<std::uint64_t> UnmapDma(Iova iova, std::uint64_t size);
  // VFIO_DMA_UNMAP_FLAG_ALL; returns the bytes removed.
  Result<std::uint64_t> UnmapAllDma();

  const DmaMapTracker& tracker() const noexcept;
  bool iommu_set() const noexcept;
  std::size_t num_groups() const noexcept;
  int fd() const noexcept;

 private:
  friend class Group;
  explicit Container(std::shared_ptr<internal::ContainerState> state) noexcept;

  std::shared_ptr<internal::ContainerState> state_;
};

// A device region (VFIO_DEVICE_GET_REGION_INFO). size 0 means the region (e.g. a BAR) is not
// implemented. offset is where pread/pwrite reach it on the device fd: use it, never index<<40.
struct SparseArea {
  std::uint64_t offset = 0;
  std::uint64_t size = 0;

  friend bool operator==(const SparseArea&, const SparseArea&) = default;
};

struct RegionInfo {
  std::uint32_t index = 0;
  std::uint32_t flags = 0;  // VFIO_REGION_INFO_FLAG_*
  std::uint64_t size = 0;
  std::uint64_t offset = 0;
  std::vector<SparseArea> sparse_areas;  // SPARSE_MMAP capability: the only mmap-able parts
  bool msix_mappable = false;            // MSIX_MAPPABLE capability

  bool implemented() const noexcept { return size != 0; }
};

struct IrqInfo {
  std::uint32_t index = 0;
  std::uint32_t flags = 0;  // VFIO_IRQ_INFO_*
  std::uint32_t count = 0;
};

struct DeviceInfo {
  std::uint32_t flags = 0;  // VFIO_DEVICE_FLAGS_*
  std::uint32_t num_regions = 0;
  std::uint32_t num_irqs = 0;
};

// A vfio-pci device fd. Config accesses are checked against the config region before any
// pread/pwrite, so a guest-chosen offset or size yields an error, never an out-of-bounds
// access. Thread-compatible; move-only.
class Device {
 public:
  // Most MSI-X vectors a PCI function can have.
  static constexpr std::size_t kMaxIrqVectors = 2048;

  // Takes a device fd: GET_INFO, requires a PCI device with the config region and the MSI-X
  // index, and reads the config region's info.
  static Result<Device> FromFd(Backend& backend, ScopedFd fd);

  const DeviceInfo& info() const noexcept { return info_; }
  const RegionInfo& config_region() const noexcept { return config_; }
  int fd() const noexcept { return fd_.get(); }

  Result<RegionInfo> GetRegionInfo(std::uint32_t index) const;
  Result<IrqInfo> GetIrqInfo(std::uint32_t index) const;
  Result<std::uint32_t> IrqCount(std::uint32_t index) const;

  // len is 1, 2 or 4 and offset a multiple of len inside the config region; little-endian.
  Result<std::uint32_t> ReadConfig(std::uint32_t offset, unsigned len) const;
  Result<void> WriteConfig(std::uint32_t offset, unsigned len, std::uint32_t value);

  // Binds fds[i] to vector start + i of `index` (VFIO_PCI_MSI_IRQ_INDEX or _MSIX_):
  // DATA_EVENTFD | ACTION_TRIGGER. An fd of -1 unbinds that vector. The first call enables
  // start + fds.size() vectors; later calls may only rebind those (the index is NORESIZE:
  // DisableIrqs, then enable more). The kernel answers EINVAL while another index is enabled.
  Result<void> SetIrqEventfds(std::uint32_t index, std::uint32_t start,
                              std::span<const int> fds);
  // Disables the whole index: DATA_NONE | ACTION_TRIGGER with count 0. EINVAL from the kernel
  // when the index is not enabled.
  Result<void> DisableIrqs(std::uint32_t index);
  // Kernel loopback: signals the eventfd bound to `vector` as if the device had fired it.
  Result<void> Trigger(std::uint32_t index, std::uint32_t vector);

 private:
  Device(Backend& backend, ScopedFd fd) noexcept : backend_(&backend), fd_(std::move(fd)) {}
  Result<void> SetIrqs(std::uint32_t flags, std::uint32_t index, std::uint32_t start,
                       std::uint32_t count, std::span<const int> fds);

  Backend* backend_;
  ScopedFd fd_;
  DeviceInfo info_;
  RegionInfo config_;
};

// One IOMMU group (/dev/vfio/<id>). Attaching it to a Container shares the container's state,
// so the container's group count stays right whichever is destroyed first; destroying an
// attached Group detaches it, as closing the fd does in the kernel. Destroy its Devices first:
// the kernel keeps a group with open device fds attached, this bookkeeping does not.
// Thread-compatible; move-only.
class Group {
 public:
  // Opens /dev/vfio/<group_id> and checks the VIABLE bit (not the whole flags word: the
  // CONTAINER_SET bit may be set too).
  static Result<Group> Open(Backend& backend, unsigned group_id);
  static Result<Group> OpenPath(Backend& backend, const std::string& path);

  Group(Group&&) noexcept = default;
  Group& operator=(Group&& other) noexcept;
  ~Group();

  // VFIO_GROUP_GET_STATUS flags (VFIO_GROUP_FLAGS_VIABLE, _CONTAINER_SET).
  Result<std::uint32_t> Status() const;
  // VFIO_GROUP_SET_CONTAINER.
  Result<void> Attach(Container& container);
  // VFIO_GROUP_UNSET_CONTAINER. The kernel refuses (EBUSY) while a device fd is open; when the
  // last group leaves, the container loses its IOMMU and every mapping, and so does the tracker.
  Result<void> Detach();
  // VFIO_GROUP_GET_DEVICE_FD with the sysfs name ("0000:00:03.0").
  Result<Device> OpenDevice(const Bdf& bdf);
  Result<Device> OpenDevice(const std::string& name);

  bool attached() const noexcept { return container_ != nullptr; }
  int fd() const noexcept { return fd_.get(); }

 private:
  Group(Backend& backend, ScopedFd fd) noexcept : backend_(&backend), fd_(std::move(fd)) {}
  void ForgetContainer() noexcept;

  Backend* backend_;
  ScopedFd fd_;
  std::shared_ptr<internal::ContainerState> container_;
};

}  // namespace vfio

template <>
struct std::is_error_code_enum<vfio::VfioError> : std::true_type {};
