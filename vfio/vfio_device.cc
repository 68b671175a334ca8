// Container, Group and Device over a Backend, and the VFIO error codes. Talks to the kernel
// only through vfio::Backend; kernel replies are bounds-checked before anything reads them.
#include "vfio/vfio_device.h"

#include <string.h>  // strerrorname_np (GNU)

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string>
#include <utility>

#include "vfio/internal/vfio_info.h"

namespace vfio {

const char* ToString(VfioError e) noexcept {
  switch (e) {
    case VfioError::kApiVersion: return "api_version";
    case VfioError::kNoType1v2: return "no_type1v2";
    case VfioError::kGroupNotViable: return "group_not_viable";
    case VfioError::kNoGroupAttached: return "no_group_attached";
    case VfioError::kIommuNotSet: return "iommu_not_set";
    case VfioError::kNoInterruptRemapping: return "no_interrupt_remapping";
    case VfioError::kCorruptInfo: return "corrupt_info";
    case VfioError::kNotPci: return "not_pci";
    case VfioError::kTooFewRegions: return "too_few_regions";
    case VfioError::kTooFewIrqs: return "too_few_irqs";
    case VfioError::kBadConfigAccess: return "bad_config_access";
    case VfioError::kShortTransfer: return "short_transfer";
    case VfioError::kUnmapSizeMismatch: return "unmap_size_mismatch";
    case VfioError::kNoEventfds: return "no_eventfds";
    case VfioError::kTooManyEventfds: return "too_many_eventfds";
    case VfioError::kOpenContainer: return "open_container";
    case VfioError::kOpenGroup: return "open_group";
    case VfioError::kGetApiVersion: return "get_api_version";
    case VfioError::kCheckExtension: return "check_extension";
    case VfioError::kSetIommu: return "set_iommu";
    case VfioError::kIommuInfo: return "iommu_info";
    case VfioError::kGroupStatus: return "group_status";
    case VfioError::kSetContainer: return "set_container";
    case VfioError::kUnsetContainer: return "unset_container";
    case VfioError::kGetDeviceFd: return "get_device_fd";
    case VfioError::kDeviceInfo: return "device_info";
    case VfioError::kRegionInfo: return "region_info";
    case VfioError::kIrqInfo: return "irq_info";
    case VfioError::kSetIrqs: return "set_irqs";
    case VfioError::kMapDma: return "map_dma";
    case VfioError::kUnmapDma: return "unmap_dma";
    case VfioError::kConfigRead: return "config_read";
    case VfioError::kConfigWrite: return "config_write";
    case VfioError::kEventfd: return "eventfd";
    case VfioError::kReadIommuGroup: return "read_iommu_group";
  }
  return "unknown";
}

const std::error_category& VfioCategory() noexcept {
  static const internal::EnumCategory<VfioError> category("vfio.linux");
  return category;
}

std::error_code make_error_code(VfioError e) noexcept {
  return {static_cast<int>(e), VfioCategory()};
}

namespace {

// A SysError packs into one int: the operation above bit 12, the errno below (Linux errnos
// stop at 4095, MAX_ERRNO).
constexpr int kErrnoBits = 12;
constexpr int kErrnoMask = (1 << kErrnoBits) - 1;

class SysErrorCategoryImpl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "vfio.linux.errno"; }
  std::string message(int value) const override {
    const int err = value & kErrnoMask;
    const char* errno_name = strerrorname_np(err);
    return std::string(ToString(static_cast<VfioError>(value >> kErrnoBits))) + ":" +
           (errno_name != nullptr ? errno_name : "errno_" + std::to_string(err));
  }
  // So that ec == std::errc::invalid_argument holds for an EINVAL from any operation.
  std::error_condition default_error_condition(int value) const noexcept override {
    return {value & kErrnoMask, std::generic_category()};
  }
};

}  // namespace

const std::error_category& SysErrorCategory() noexcept {
  static const SysErrorCategoryImpl category;
  return category;
}

std::error_code MakeSysError(VfioError what, int err) noexcept {
  if (err <= 0 || err > kErrnoMask) err = EIO;
  return {static_cast<int>(what) << kErrnoBits | err, SysErrorCategory()};
}

std::optional<SysError> GetSysError(const std::error_code& ec) noexcept {
  if (ec.category() != SysErrorCategory()) return std::nullopt;
  return SysError{static_cast<VfioError>(ec.value() >> kErrnoBits), ec.value() & kErrnoMask};
}

std::error_code FromErrno(VfioError what, int err) noexcept {
  if (what == VfioError::kMapDma && err == EEXIST) return make_error_code(DmaError::kOverlap);
  if (what == VfioError::kMapDma && err == ENOSPC) {
    return make_error_code(DmaError::kLimitReached);
  }
  if (what == VfioError::kSetIommu && err == EPERM) {
    return make_error_code(VfioError::kNoInterruptRemapping);
  }
  return MakeSysError(what, err);
}

ScopedFd::ScopedFd(ScopedFd&& other) noexcept
    : backend_(std::exchange(other.backend_, nullptr)), fd_(std::exchange(other.fd_, -1)) {}

ScopedFd& ScopedFd::operator=(ScopedFd&& other) noexcept {
  if (this != &other) {
    Reset();
    backend_ = std::exchange(other.backend_, nullptr);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

void ScopedFd::Reset() noexcept {
  if (backend_ != nullptr && fd_ >= 0) backend_->Close(fd_);
  fd_ = -1;
}

Result<ScopedFd> CreateEventfd(Backend& backend) {
  const int fd = backend.CreateEventfd();
  if (fd < 0) return FromErrno(VfioError::kEventfd, -fd);
  return ScopedFd(backend, fd);
}

Result<std::uint64_t> ReadEventfd(Backend& backend, int fd) {
  std::uint64_t count = 0;
  const int rc = backend.ReadEventfd(fd, &count);
  if (rc < 0) return FromErrno(VfioError::kEventfd, -rc);
  return count;
}

namespace {

std::error_code Corrupt() { return make_error_code(VfioError::kCorruptInfo); }

// An info ioctl's reply, fetched with the two-call protocol.
template <class Info>
Result<std::vector<std::byte>> Fetch(Backend& backend, int fd, unsigned long request,
                                     VfioError op, const Info& info) {
  return internal::FetchInfo(backend, fd, request, op,
                             std::as_bytes(std::span<const Info, 1>(&info, 1)));
}

}  // namespace

namespace internal {

// What a Container and its attached Groups share. The kernel keeps a container alive while a
// group references it, and drops its IOMMU (and every mapping) when the last group leaves;
// this mirrors both.
struct ContainerState {
  ContainerState(Backend& b, ScopedFd f) : backend(&b), fd(std::move(f)) {}

  void GroupLeft() noexcept {
    if (num_groups == 0 || --num_groups > 0) return;
    iommu_set = false;
    tracker = DmaMapTracker();
  }

  Backend* backend;
  ScopedFd fd;
  DmaMapTracker tracker;
  std::size_t num_groups = 0;
  bool iommu_set = false;
};

}  // namespace internal

Container::Container(std::shared_ptr<internal::ContainerState> state) noexcept
    : state_(std::move(state)) {}
Container::Container(Container&&) noexcept = default;
Container& Container::operator=(Container&&) noexcept = default;
Container::~Container() = default;

Result<Container> Container::Open(Backend& backend, const std::string& path) {
  const int fd = backend.Open(path);
  if (fd < 0) return FromErrno(VfioError::kOpenContainer, -fd);
  ScopedFd owned(backend, fd);
  const int version = backend.IoctlValue(fd, VFIO_GET_API_VERSION, 0);
  if (version < 0) return FromErrno(VfioError::kGetApiVersion, -version);
  if (version != VFIO_API_VERSION) return make_error_code(VfioError::kApiVersion);
  const int type1v2 = backend.IoctlValue(fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU);
  if (type1v2 < 0) return FromErrno(VfioError::kCheckExtension, -type1v2);
  if (type1v2 == 0) return make_error_code(VfioError::kNoType1v2);
  return Container(std::make_shared<internal::ContainerState>(backend, std::move(owned)));
}

// If GET_INFO fails after SET_IOMMU succeeded, the IOMMU stays set (the kernel has it) and the
// tracker keeps its defaults; the error says why.
Result<void> Container::SetIommuType1v2() {
  internal::ContainerState& s = *state_;
  if (s.num_groups == 0) return make_error_code(VfioError::kNoGroupAttached);
  const int rc = s.backend->IoctlValue(s.fd.get(), VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU);
  if (rc < 0) return FromErrno(VfioError::kSetIommu, -rc);
  s.iommu_set = true;
  VFIO_TRY(info, GetIommuInfo());
  DmaMapTracker::Options options;
  // The smallest IOMMU page is the lowest bit of the bitmap, as type1 computes it.
  options.page_size = info.iova_pgsizes & (~info.iova_pgsizes + 1);
  if (options.page_size == 0) return Corrupt();
  if (info.dma_avail) options.max_entries = *info.dma_avail;
  options.windows = std::move(info.iova_ranges);
  s.tracker = DmaMapTracker(std::move(options));
  return success();
}

Result<IommuInfo> Container::GetIommuInfo() const {
  const internal::ContainerState& s = *state_;
  if (!s.iommu_set) return make_error_code(VfioError::kIommuNotSet);
  VFIO_TRY(buf, Fetch(*s.backend, s.fd.get(), VFIO_IOMMU_GET_INFO, VfioError::kIommuInfo,
                      vfio_iommu_type1_info{}));
  return internal::ParseIommuInfo(buf);
}

Result<std::vector<IovaRange>> Container::IovaRanges() const {
  VFIO_TRY(info, GetIommuInfo());
  return std::move(info.iova_ranges);
}

Result<void> Container::MapDma(Iova iova, Hva hva, std::uint64_t size, Perm perm) {
  internal::ContainerState& s = *state_;
  if (!s.iommu_set) return make_error_code(VfioError::kIommuNotSet);
  VFIO_TRY(s.tracker.CheckMap(iova, hva, size, perm));
  vfio_iommu_type1_dma_map map{};
  map.argsz = sizeof(map);
  // Perm's values are VFIO_DMA_MAP_FLAG_READ and _WRITE.
  map.flags = static_cast<std::uint32_t>(perm);
  map.vaddr = hva.value();
  map.iova = iova.value();
  map.size = size;
  const int rc = s.backend->Ioctl(s.fd.get(), VFIO_IOMMU_MAP_DMA, &map);
  if (rc < 0) return FromErrno(VfioError::kMapDma, -rc);
  auto tracked = s.tracker.Map(iova, hva, size, perm);
  if (!tracked) {
    // CheckMap passed, so this cannot happen; should it, undo the kernel side to stay in step.
    vfio_iommu_type1_dma_unmap unmap{};
    unmap.argsz = sizeof(unmap);
    unmap.iova = iova.value();
    unmap.size = size;
    s.backend->Ioctl(s.fd.get(), VFIO_IOMMU_UNMAP_DMA, &unmap);
    return tracked.error();
  }
  return success();
}

Result<std::uint64_t> Container::UnmapDma(Iova iova, std::uint64_t size) {
  internal::ContainerState& s = *state_;
  if (!s.iommu_set) return make_error_code(VfioError::kIommuNotSet);
  VFIO_TRY(s.tracker.CheckUnmap(iova, size));
  vfio_iommu_type1_dma_unmap unmap{};
  unmap.argsz = sizeof(unmap);
  unmap.iova = iova.value();
  unmap.size = size;
  const int rc = s.backend->Ioctl(s.fd.get(), VFIO_IOMMU_UNMAP_DMA, &unmap);
  if (rc < 0) return FromErrno(VfioError::kUnmapDma, -rc);
  // Both sides have now dropped every mapping in the range; a different count means they
  // disagreed before, which the caller must hear about.
  VFIO_TRY(removed, s.tracker.Unmap(iova, size));
  if (removed != unmap.size) return make_error_code(VfioError::kUnmapSizeMismatch);
  return removed;
}

Result<std::uint64_t> Container::UnmapAllDma() {
  internal::ContainerState& s = *state_;
  if (!s.iommu_set) return make_error_code(VfioError::kIommuNotSet);
  vfio_iommu_type1_dma_unmap unmap{};
  unmap.argsz = sizeof(unmap);
  unmap.flags = VFIO_DMA_UNMAP_FLAG_ALL;
  const int rc = s.backend->Ioctl(s.fd.get(), VFIO_IOMMU_UNMAP_DMA, &unmap);
  if (rc < 0) return FromErrno(VfioError::kUnmapDma, -rc);
  const std::uint64_t removed = s.tracker.UnmapAll();
  if (removed != unmap.size) return make_error_code(VfioError::kUnmapSizeMismatch);
  return removed;
}

const DmaMapTracker& Container::tracker() const noexcept { return state_->tracker; }
bool Container::iommu_set() const noexcept { return state_->iommu_set; }
std::size_t Container::num_groups() const noexcept { return state_->num_groups; }
int Container::fd() const noexcept { return state_->fd.get(); }

Group& Group::operator=(Group&& other) noexcept {
  if (this != &other) {
    ForgetContainer();
    backend_ = other.backend_;
    fd_ = std::move(other.fd_);
    container_ = std::move(other.container_);
  }
  return *this;
}

Group::~Group() { ForgetContainer(); }

void Group::ForgetContainer() noexcept {
  if (container_ != nullptr) container_->GroupLeft();
  container_.reset();
}

Result<Group> Group::Open(Backend& backend, unsigned group_id) {
  return OpenPath(backend, kGroupPathPrefix + std::to_string(group_id));
}

Result<Group> Group::OpenPath(Backend& backend, const std::string& path) {
  const int fd = backend.Open(path);
  if (fd < 0) return FromErrno(VfioError::kOpenGroup, -fd);
  Group group(backend, ScopedFd(backend, fd));
  VFIO_TRY(flags, group.Status());
  if (!(flags & VFIO_GROUP_FLAGS_VIABLE)) return make_error_code(VfioError::kGroupNotViable);
  return group;
}

Result<std::uint32_t> Group::Status() const {
  vfio_group_status status{};
  status.argsz = sizeof(status);
  const int rc = backend_->Ioctl(fd_.get(), VFIO_GROUP_GET_STATUS, &status);
  if (rc < 0) return FromErrno(VfioError::kGroupStatus, -rc);
  return status.flags;
}

Result<void> Group::Attach(Container& container) {
  int container_fd = container.fd();
  const int rc = backend_->Ioctl(fd_.get(), VFIO_GROUP_SET_CONTAINER, &container_fd);
  if (rc < 0) return FromErrno(VfioError::kSetContainer, -rc);
  ForgetContainer();
  container_ = container.state_;
  ++container_->num_groups;
  return success();
}

Result<void> Group::Detach() {
  const int rc = backend_->IoctlValue(fd_.get(), VFIO_GROUP_UNSET_CONTAINER, 0);
  if (rc < 0) return FromErrno(VfioError::kUnsetContainer, -rc);
  ForgetContainer();
  return success();
}

Result<Device> Group::OpenDevice(const Bdf& bdf) { return OpenDevice(FormatBdf(bdf)); }

Result<Device> Group::OpenDevice(const std::string& name) {
  // The kernel reads the name with strndup_user and never writes it.
  const int fd =
      backend_->Ioctl(fd_.get(), VFIO_GROUP_GET_DEVICE_FD, const_cast<char*>(name.c_str()));
  if (fd < 0) return FromErrno(VfioError::kGetDeviceFd, -fd);
  return Device::FromFd(*backend_, ScopedFd(*backend_, fd));
}

Result<Device> Device::FromFd(Backend& backend, ScopedFd fd) {
  Device device(backend, std::move(fd));
  vfio_device_info info{};
  info.argsz = sizeof(info);
  const int rc = backend.Ioctl(device.fd(), VFIO_DEVICE_GET_INFO, &info);
  if (rc < 0) return FromErrno(VfioError::kDeviceInfo, -rc);
  if (!(info.flags & VFIO_DEVICE_FLAGS_PCI)) return make_error_code(VfioError::kNotPci);
  if (info.num_regions <= VFIO_PCI_CONFIG_REGION_INDEX) {
    return make_error_code(VfioError::kTooFewRegions);
  }
  if (info.num_irqs <= VFIO_PCI_MSIX_IRQ_INDEX) return make_error_code(VfioError::kTooFewIrqs);
  device.info_ = {info.flags, info.num_regions, info.num_irqs};
  VFIO_TRY(config, device.GetRegionInfo(VFIO_PCI_CONFIG_REGION_INDEX));
  // Config accesses add an offset below size to the region's offset: it must not wrap.
  if (config.offset > UINT64_MAX - config.size) return Corrupt();
  device.config_ = std::move(config);
  return device;
}

Result<RegionInfo> Device::GetRegionInfo(std::uint32_t index) const {
  vfio_region_info info{};
  info.index = index;
  VFIO_TRY(buf, Fetch(*backend_, fd_.get(), VFIO_DEVICE_GET_REGION_INFO, VfioError::kRegionInfo,
                      info));
  return internal::ParseRegionInfo(buf);
}

Result<IrqInfo> Device::GetIrqInfo(std::uint32_t index) const {
  vfio_irq_info info{};
  info.argsz = sizeof(info);
  info.index = index;
  const int rc = backend_->Ioctl(fd_.get(), VFIO_DEVICE_GET_IRQ_INFO, &info);
  if (rc < 0) return FromErrno(VfioError::kIrqInfo, -rc);
  return IrqInfo{info.index, info.flags, info.count};
}

Result<std::uint32_t> Device::IrqCount(std::uint32_t index) const {
  VFIO_TRY(info, GetIrqInfo(index));
  return info.count;
}

namespace {

// Natural alignment inside the region: what a PCI config cycle can be.
bool ConfigAccessOk(const RegionInfo& config, std::uint32_t offset, unsigned len) {
  if (len != 1 && len != 2 && len != 4) return false;
  if (offset % len != 0) return false;
  return offset < config.size && len <= config.size - offset;
}

}  // namespace

Result<std::uint32_t> Device::ReadConfig(std::uint32_t offset, unsigned len) const {
  if (!ConfigAccessOk(config_, offset, len)) return make_error_code(VfioError::kBadConfigAccess);
  std::array<std::byte, 4> bytes{};
  const std::int64_t n =
      backend_->Pread(fd_.get(), std::span(bytes.data(), len), config_.offset + offset);
  if (n < 0) return FromErrno(VfioError::kConfigRead, static_cast<int>(-n));
  if (n != static_cast<std::int64_t>(len)) return make_error_code(VfioError::kShortTransfer);
  // PCI config space is little-endian whatever the host is.
  std::uint32_t value = 0;
  for (unsigned i = 0; i < len; ++i) value |= std::to_integer<std::uint32_t>(bytes[i]) << (8 * i);
  return value;
}

Result<void> Device::WriteConfig(std::uint32_t offset, unsigned len, std::uint32_t value) {
  if (!ConfigAccessOk(config_, offset, len)) return make_error_code(VfioError::kBadConfigAccess);
  // Bits above the access width would be dropped silently; refuse them instead.
  if (len < 4 && (value >> (8 * len)) != 0) return make_error_code(VfioError::kBadConfigAccess);
  std::array<std::byte, 4> bytes{};
  for (unsigned i = 0; i < len; ++i) bytes[i] = static_cast<std::byte>(value >> (8 * i));
  const std::int64_t n =
      backend_->Pwrite(fd_.get(), std::span(bytes.data(), len), config_.offset + offset);
  if (n < 0) return FromErrno(VfioError::kConfigWrite, static_cast<int>(-n));
  if (n != static_cast<std::int64_t>(len)) return make_error_code(VfioError::kShortTransfer);
  return success();
}

Result<void> Device::SetIrqs(std::uint32_t flags, std::uint32_t index, std::uint32_t start,
                             std::uint32_t count, std::span<const int> fds) {
  // vfio_irq_set is 20 bytes followed by one s32 per vector; uint32 storage keeps it aligned.
  const std::size_t bytes = sizeof(vfio_irq_set) + fds.size() * sizeof(std::int32_t);
  std::vector<std::uint32_t> storage(bytes / sizeof(std::uint32_t));
  vfio_irq_set header{};
  header.argsz = static_cast<std::uint32_t>(bytes);
  header.flags = flags;
  header.index = index;
  header.start = start;
  header.count = count;
  std::memcpy(storage.data(), &header, sizeof(header));
  auto* data = reinterpret_cast<std::byte*>(storage.data()) + sizeof(header);
  for (std::size_t i = 0; i < fds.size(); ++i) {
    const std::int32_t fd = fds[i];
    std::memcpy(data + i * sizeof(fd), &fd, sizeof(fd));
  }
  const int rc = backend_->Ioctl(fd_.get(), VFIO_DEVICE_SET_IRQS, storage.data());
  if (rc < 0) return FromErrno(VfioError::kSetIrqs, -rc);
  return success();
}

Result<void> Device::SetIrqEventfds(std::uint32_t index, std::uint32_t start,
                                    std::span<const int> fds) {
  if (fds.empty()) return make_error_code(VfioError::kNoEventfds);
  if (fds.size() > kMaxIrqVectors) return make_error_code(VfioError::kTooManyEventfds);
  return SetIrqs(VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER, index, start,
                 static_cast<std::uint32_t>(fds.size()), fds);
}

Result<void> Device::DisableIrqs(std::uint32_t index) {
  return SetIrqs(VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER, index, 0, 0, {});
}

Result<void> Device::Trigger(std::uint32_t index, std::uint32_t vector) {
  return SetIrqs(VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER, index, vector, 1, {});
}

}  // namespace vfio
