// FakeKernel: an fd table over containers, groups, devices and eventfds. Every ioctl copies
// its uapi struct in with memcpy (the caller's buffer may be shorter or unaligned) and answers
// in the order Linux 6.1 checks; each handler names the kernel function it follows. The
// device fd's ioctls are in fake_kernel_device.cc. No syscalls.
#include "vfio/fake_kernel.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <string_view>

#include "vfio/internal/fake_kernel_state.h"

namespace vfio {

using internal::Arg;
using internal::Bytes;
using internal::CapChain;
using internal::CapHeader;
using internal::ContainerObj;
using internal::DeviceSlot;
using internal::FdEntry;
using internal::GroupObj;
using internal::Kind;
using internal::Load;
using internal::Store;
using internal::Wraps;

namespace {

// type1's DIRTY_BITMAP_SIZE_MAX, reported in the migration capability.
constexpr std::uint64_t kDirtyBitmapSizeMax = 0x10000000;
// strndup_user(arg, PAGE_SIZE) limit on a device name.
constexpr std::size_t kMaxNameBytes = 4096;

}  // namespace

FakeKernel::FakeKernel() : FakeKernel(Options()) {}
FakeKernel::FakeKernel(Options options) : state_(std::make_unique<State>()) {
  state_->options = std::move(options);
}
FakeKernel::~FakeKernel() = default;

void FakeKernel::AddGroup(FakeGroup group) {
  GroupObj obj;
  obj.viable = group.viable;
  for (FakeDevice& device : group.devices) {
    obj.devices.push_back(internal::NewDeviceSlot(std::move(device)));
  }
  state_->groups[group.id] = std::move(obj);
}

int FakeKernel::Open(const std::string& path) {
  if (int err = state_->TakeFault(Call::kOpen, 0)) return -err;
  if (path == kContainerPath) {
    const int id = state_->next_container++;
    state_->containers[id] = ContainerObj{};
    return state_->NewFd({Kind::kContainer, id});
  }
  const std::string_view prefix(kGroupPathPrefix);
  if (path.compare(0, prefix.size(), prefix) != 0) return -ENOENT;
  // Only the canonical spelling names a node: "/dev/vfio/07" does not exist.
  const std::string_view number = std::string_view(path).substr(prefix.size());
  unsigned id = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), id);
  if (ec != std::errc() || end != number.data() + number.size() ||
      number != std::to_string(id)) {
    return -ENOENT;
  }
  const auto it = state_->groups.find(id);
  if (it == state_->groups.end()) return -ENOENT;
  // vfio_group_fops_open: one opened file per group; open device fds keep it alive.
  if (it->second.fd_open || it->second.device_users > 0) return -EBUSY;
  it->second.fd_open = true;
  return state_->NewFd({Kind::kGroup, static_cast<int>(it->first)});
}

int FakeKernel::Close(int fd) {
  if (int err = state_->TakeFault(Call::kClose, 0)) return -err;
  const auto it = state_->fds.find(fd);
  if (it == state_->fds.end()) return -EBADF;
  const FdEntry entry = it->second;
  state_->fds.erase(it);
  switch (entry.kind) {
    case Kind::kContainer: {
      ContainerObj& c = state_->containers.at(entry.id);
      c.fd_open = false;
      if (c.groups.empty()) state_->containers.erase(entry.id);
      break;
    }
    case Kind::kGroup:
      state_->groups.at(static_cast<unsigned>(entry.id)).fd_open = false;
      state_->MaybeReleaseGroup(static_cast<unsigned>(entry.id));
      break;
    case Kind::kDevice: {
      GroupObj& g = state_->groups.at(static_cast<unsigned>(entry.id));
      DeviceSlot& slot = g.devices[entry.device];
      // vfio_pci_core_close_device tears the interrupts down with the last fd.
      if (--slot.open_count == 0) slot.irq = {};
      --g.device_users;
      state_->MaybeReleaseGroup(static_cast<unsigned>(entry.id));
      break;
    }
    case Kind::kEventfd:
      break;
  }
  return 0;
}

int FakeKernel::Ioctl(int fd, unsigned long request, void* arg) {
  return state_->Dispatch(fd, request, Arg{reinterpret_cast<std::uintptr_t>(arg), true});
}

int FakeKernel::IoctlValue(int fd, unsigned long request, unsigned long value) {
  return state_->Dispatch(fd, request, Arg{value, false});
}

std::int64_t FakeKernel::Pread(int fd, std::span<std::byte> buf, std::uint64_t offset) {
  if (int err = state_->TakeFault(Call::kPread, 0)) return -err;
  internal::RegionBytes at;
  const std::int64_t n = state_->RegionAccess(fd, buf.size(), offset, &at);
  if (n <= 0) return n;
  const std::vector<std::uint8_t>& data = at.slot->def.regions[at.index].data;
  std::memcpy(buf.data(), data.data() + at.pos, static_cast<std::size_t>(n));
  return n;
}

std::int64_t FakeKernel::Pwrite(int fd, std::span<const std::byte> buf, std::uint64_t offset) {
  if (int err = state_->TakeFault(Call::kPwrite, 0)) return -err;
  internal::RegionBytes at;
  const std::int64_t n = state_->RegionAccess(fd, buf.size(), offset, &at);
  if (n <= 0) return n;
  const auto bytes = buf.first(static_cast<std::size_t>(n));
  if (at.index == VFIO_PCI_CONFIG_REGION_INDEX) {
    internal::WriteConfig(*at.slot, at.pos, bytes);
  } else {
    std::memcpy(at.slot->def.regions[at.index].data.data() + at.pos, bytes.data(), bytes.size());
  }
  return n;
}

int FakeKernel::CreateEventfd() {
  if (int err = state_->TakeFault(Call::kCreateEventfd, 0)) return -err;
  return state_->NewFd({Kind::kEventfd});
}

int FakeKernel::ReadEventfd(int fd, std::uint64_t* count) {
  if (int err = state_->TakeFault(Call::kReadEventfd, 0)) return -err;
  const auto it = state_->fds.find(fd);
  if (it == state_->fds.end()) return -EBADF;
  if (it->second.kind != Kind::kEventfd) return -EINVAL;
  *count = std::exchange(it->second.count, 0);
  return 0;
}

void FakeKernel::FailNext(Call call, int err, int times) {
  state_->faults.push_back({call, 0, true, err, times});
}

void FakeKernel::FailNextIoctl(unsigned long request, int err, int times) {
  state_->faults.push_back({Call::kIoctl, request, false, err, times});
}

void FakeKernel::SetRawIommuCaps(std::vector<std::byte> caps, std::uint32_t cap_offset) {
  state_->raw_iommu = internal::RawCaps{std::move(caps), cap_offset};
}

void FakeKernel::SetRawRegionCaps(const std::string& device, std::uint32_t index,
                                  std::vector<std::byte> caps, std::uint32_t cap_offset) {
  state_->raw_regions[{device, index}] = internal::RawCaps{std::move(caps), cap_offset};
}

std::size_t FakeKernel::ioctl_calls(unsigned long request) const {
  const auto it = state_->ioctl_calls.find(request);
  return it == state_->ioctl_calls.end() ? 0 : it->second;
}

std::size_t FakeKernel::open_fds() const { return state_->fds.size(); }

std::vector<FakeDmaMapping> FakeKernel::dma_mappings(int container_fd) const {
  std::vector<FakeDmaMapping> out;
  const auto it = state_->fds.find(container_fd);
  if (it == state_->fds.end() || it->second.kind != Kind::kContainer) return out;
  for (const auto& [iova, e] : state_->containers.at(it->second.id).dma) {
    out.push_back({iova, e.vaddr, e.size, e.flags});
  }
  return out;
}

std::vector<std::uint8_t> FakeKernel::config(const std::string& device) const {
  for (const auto& [id, group] : state_->groups) {
    for (const DeviceSlot& slot : group.devices) {
      if (slot.def.name == device) return slot.def.regions[VFIO_PCI_CONFIG_REGION_INDEX].data;
    }
  }
  return {};
}

// ---- State: fd table and the container, group and type1 handlers ----

int FakeKernel::State::TakeFault(Call call, unsigned long request) {
  for (auto it = faults.begin(); it != faults.end(); ++it) {
    if (it->call != call || (!it->any_request && it->request != request)) continue;
    const int err = it->err;
    if (--it->remaining <= 0) faults.erase(it);
    return err;
  }
  return 0;
}

int FakeKernel::State::NewFd(FdEntry entry) {
  const int fd = next_fd++;
  fds[fd] = entry;
  return fd;
}

int FakeKernel::State::Dispatch(int fd, unsigned long request, Arg arg) {
  ++ioctl_calls[request];
  if (int err = TakeFault(Call::kIoctl, request)) return -err;
  const auto it = fds.find(fd);
  if (it == fds.end()) return -EBADF;
  const FdEntry entry = it->second;
  switch (entry.kind) {
    case Kind::kContainer: return ContainerIoctl(containers.at(entry.id), request, arg);
    case Kind::kGroup: return GroupIoctl(static_cast<unsigned>(entry.id), request, arg);
    case Kind::kDevice:
      return DeviceIoctl(groups.at(static_cast<unsigned>(entry.id)).devices[entry.device],
                         request, arg);
    case Kind::kEventfd: return -ENOTTY;
  }
  return -ENOTTY;
}

// vfio_fops_unl_ioctl: three ioctls of its own; the rest go to the IOMMU driver, and without
// one the answer is EINVAL.
int FakeKernel::State::ContainerIoctl(ContainerObj& c, unsigned long request, Arg arg) {
  switch (request) {
    case VFIO_GET_API_VERSION: return VFIO_API_VERSION;
    case VFIO_CHECK_EXTENSION: return CheckExtension(c, arg.value);
    case VFIO_SET_IOMMU: return SetIommu(c, arg.value);
  }
  if (!c.iommu_set) return -EINVAL;
  void* p = arg.ptr();
  switch (request) {
    case VFIO_IOMMU_GET_INFO: return p != nullptr ? IommuGetInfo(c, p) : -EFAULT;
    case VFIO_IOMMU_MAP_DMA: return p != nullptr ? MapDma(c, p) : -EFAULT;
    case VFIO_IOMMU_UNMAP_DMA: return p != nullptr ? UnmapDma(c, p) : -EFAULT;
  }
  return -ENOTTY;
}

// vfio_iommu_type1_check_extension as 6.1.y has it: DMA_CC and UPDATE_VADDR need an IOMMU to
// ask (the container answers for every driver with a NULL one first), and DMA_CC is whether
// the IOMMU enforces cache coherency.
int FakeKernel::State::CheckExtension(const ContainerObj& c, std::uintptr_t extension) {
  switch (extension) {
    case VFIO_TYPE1_IOMMU:
    case VFIO_TYPE1v2_IOMMU:
    case VFIO_TYPE1_NESTING_IOMMU:
    case VFIO_UNMAP_ALL: return 1;
    case VFIO_UPDATE_VADDR: return c.iommu_set ? 1 : 0;
    case VFIO_DMA_CC_IOMMU: return c.iommu_set && options.enforce_cache_coherency ? 1 : 0;
  }
  return 0;
}

// vfio_ioctl_set_iommu: needs a group and no IOMMU yet; type1's open() takes only the three
// type1 values though check_extension says yes to more; attaching the groups fails with EPERM
// without interrupt remapping.
int FakeKernel::State::SetIommu(ContainerObj& c, std::uintptr_t type) {
  if (c.groups.empty() || c.iommu_set) return -EINVAL;
  switch (type) {
    case VFIO_TYPE1_IOMMU:
    case VFIO_TYPE1v2_IOMMU:
    case VFIO_TYPE1_NESTING_IOMMU: break;
    case VFIO_UNMAP_ALL:
    case VFIO_UPDATE_VADDR: return -EINVAL;
    default: return -ENODEV;
  }
  if (!options.interrupt_remapping) return -EPERM;
  c.iommu_set = true;
  c.v2 = type != VFIO_TYPE1_IOMMU;
  c.dma_avail = options.dma_entry_limit;
  return 0;
}

std::uint64_t FakeKernel::State::PageMask() const {
  return (options.iova_pgsizes & (~options.iova_pgsizes + 1)) - 1;
}

// vfio_iommu_type1_get_info: migration, DMA-avail and IOVA-range capabilities, in that order.
int FakeKernel::State::IommuGetInfo(const ContainerObj& c, void* arg) {
  constexpr std::size_t kMinSize = offsetof(vfio_iommu_type1_info, cap_offset);
  constexpr std::size_t kCapSize = kMinSize + sizeof(std::uint32_t);
  auto info = Load<vfio_iommu_type1_info>(arg, kMinSize);
  if (info.argsz < kMinSize) return -EINVAL;
  const std::size_t copy = info.argsz >= kCapSize ? kCapSize : kMinSize;
  info.flags = VFIO_IOMMU_INFO_PGSIZES;
  info.iova_pgsizes = options.iova_pgsizes;
  info.cap_offset = 0;
  std::vector<std::byte> caps;
  std::uint32_t first = sizeof(vfio_iommu_type1_info);
  if (raw_iommu) {
    caps = raw_iommu->bytes;
    first = raw_iommu->cap_offset;
  } else {
    CapChain chain(sizeof(vfio_iommu_type1_info));
    vfio_iommu_type1_info_cap_migration migration{};
    migration.header = CapHeader(VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION);
    migration.pgsize_bitmap = PageMask() + 1;
    migration.max_dirty_bitmap_size = kDirtyBitmapSizeMax;
    chain.Add(Bytes(migration));
    vfio_iommu_type1_info_dma_avail avail{CapHeader(VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL), c.dma_avail};
    chain.Add(Bytes(avail));
    // vfio_iommu_iova_build_caps adds nothing for an empty list.
    if (!options.iova_ranges.empty()) {
      vfio_iommu_type1_info_cap_iova_range ranges{};
      ranges.header = CapHeader(VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE);
      ranges.nr_iovas = static_cast<std::uint32_t>(options.iova_ranges.size());
      std::vector<std::byte> cap = Bytes(ranges);
      for (const auto& [start, end] : options.iova_ranges) {
        const auto range = Bytes(vfio_iova_range{start, end});
        cap.insert(cap.end(), range.begin(), range.end());
      }
      chain.Add(cap);
    }
    caps = chain.Take();
  }
  internal::AttachCaps(info, arg, VFIO_IOMMU_INFO_CAPS, caps, first);
  Store(arg, info, copy);
  return 0;
}

// The mapping overlapping [start, last], if any; mappings never overlap each other, so only
// the one with the greatest start <= last can.
std::map<std::uint64_t, internal::DmaEntry>::iterator FakeKernel::State::FindDma(
    ContainerObj& c, std::uint64_t start, std::uint64_t last) {
  auto it = c.dma.upper_bound(last);
  if (it == c.dma.begin()) return c.dma.end();
  --it;
  return it->first + (it->second.size - 1) >= start ? it : c.dma.end();
}

bool FakeKernel::State::InsideIovaRanges(std::uint64_t start, std::uint64_t last) const {
  if (options.iova_ranges.empty()) return true;
  return std::any_of(options.iova_ranges.begin(), options.iova_ranges.end(),
                     [&](const auto& r) { return start >= r.first && last <= r.second; });
}

// vfio_iommu_type1_map_dma and vfio_dma_do_map.
int FakeKernel::State::MapDma(ContainerObj& c, void* arg) {
  const auto map = Load<vfio_iommu_type1_dma_map>(arg, sizeof(vfio_iommu_type1_dma_map));
  constexpr std::uint32_t kProt = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
  if (map.argsz < sizeof(map) || (map.flags & ~(kProt | VFIO_DMA_MAP_FLAG_VADDR))) {
    return -EINVAL;
  }
  const bool set_vaddr = map.flags & VFIO_DMA_MAP_FLAG_VADDR;
  const std::uint32_t prot = map.flags & kProt;
  if ((prot != 0) == set_vaddr) return -EINVAL;
  if (map.size == 0 || ((map.size | map.iova | map.vaddr) & PageMask())) return -EINVAL;
  if (Wraps(map.iova, map.size) || Wraps(map.vaddr, map.size)) return -EINVAL;
  const std::uint64_t last = map.iova + (map.size - 1);
  const auto hit = FindDma(c, map.iova, last);
  if (set_vaddr) {
    if (hit == c.dma.end()) return -ENOENT;
    if (!hit->second.vaddr_invalid || hit->first != map.iova || hit->second.size != map.size) {
      return -EINVAL;
    }
    hit->second.vaddr = map.vaddr;
    hit->second.vaddr_invalid = false;
    return 0;
  }
  if (hit != c.dma.end()) return -EEXIST;
  if (c.dma_avail == 0) return -ENOSPC;
  if (!InsideIovaRanges(map.iova, last)) return -EINVAL;
  c.dma[map.iova] = {map.vaddr, map.size, prot, false};
  --c.dma_avail;
  return 0;
}

// vfio_iommu_type1_unmap_dma and vfio_dma_do_unmap (v2: an unmap may not bisect a mapping;
// v1: one starting inside a mapping stops, one covering its start removes it whole). Dirty
// tracking is never started here, so GET_DIRTY_BITMAP always ends in EINVAL.
int FakeKernel::State::UnmapDma(ContainerObj& c, void* arg) {
  auto unmap = Load<vfio_iommu_type1_dma_unmap>(arg, sizeof(vfio_iommu_type1_dma_unmap));
  constexpr std::uint32_t kKnown = VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP |
                                   VFIO_DMA_UNMAP_FLAG_VADDR | VFIO_DMA_UNMAP_FLAG_ALL;
  if (unmap.argsz < sizeof(unmap) || (unmap.flags & ~kKnown)) return -EINVAL;
  if (unmap.flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP) return -EINVAL;
  const bool all = unmap.flags & VFIO_DMA_UNMAP_FLAG_ALL;
  const bool invalidate_vaddr = unmap.flags & VFIO_DMA_UNMAP_FLAG_VADDR;
  if (unmap.iova & PageMask()) return -EINVAL;
  if (all && (unmap.iova != 0 || unmap.size != 0)) return -EINVAL;
  if (!all && (unmap.size == 0 || (unmap.size & PageMask()) || Wraps(unmap.iova, unmap.size))) {
    return -EINVAL;
  }
  const std::uint64_t last = all ? UINT64_MAX : unmap.iova + (unmap.size - 1);
  if (c.v2 && !all) {
    const auto head = FindDma(c, unmap.iova, unmap.iova);
    if (head != c.dma.end() && head->first != unmap.iova) return -EINVAL;
    const auto tail = FindDma(c, last, last);
    if (tail != c.dma.end() && tail->first + (tail->second.size - 1) != last) return -EINVAL;
  }
  auto it = FindDma(c, unmap.iova, unmap.iova);
  if (it == c.dma.end()) it = c.dma.lower_bound(unmap.iova);
  std::uint64_t unmapped = 0;
  std::vector<internal::DmaEntry*> invalidated;
  while (it != c.dma.end() && it->first <= last) {
    if (!c.v2 && unmap.iova > it->first) break;
    if (invalidate_vaddr) {
      if (it->second.vaddr_invalid) {
        for (internal::DmaEntry* e : invalidated) e->vaddr_invalid = false;
        return -EINVAL;
      }
      it->second.vaddr_invalid = true;
      invalidated.push_back(&it->second);
      unmapped += it++->second.size;
      continue;
    }
    unmapped += it->second.size;
    it = c.dma.erase(it);
    ++c.dma_avail;
  }
  unmap.size = unmapped;
  Store(arg, unmap, sizeof(unmap));
  return 0;
}

// vfio_group_fops_unl_ioctl (6.1 group.c).
int FakeKernel::State::GroupIoctl(unsigned id, unsigned long request, Arg arg) {
  GroupObj& g = groups.at(id);
  void* p = arg.ptr();
  switch (request) {
    case VFIO_GROUP_GET_STATUS: {
      if (p == nullptr) return -EFAULT;
      auto status = Load<vfio_group_status>(p, sizeof(vfio_group_status));
      if (status.argsz < sizeof(status)) return -EINVAL;
      // Attached: both bits. Otherwise VIABLE unless a host driver owns a device.
      status.flags = g.container != 0 ? VFIO_GROUP_FLAGS_CONTAINER_SET | VFIO_GROUP_FLAGS_VIABLE
                     : g.viable       ? VFIO_GROUP_FLAGS_VIABLE
                                      : 0;
      Store(p, status, sizeof(status));
      return 0;
    }
    case VFIO_GROUP_SET_CONTAINER: return p != nullptr ? SetContainer(id, p) : -EFAULT;
    case VFIO_GROUP_UNSET_CONTAINER:
      if (g.container == 0) return -EINVAL;
      if (g.device_users > 0) return -EBUSY;
      DetachGroup(id);
      return 0;
    case VFIO_GROUP_GET_DEVICE_FD: return p != nullptr ? GetDeviceFd(id, p) : -EFAULT;
  }
  return -ENOTTY;
}

// vfio_group_ioctl_set_container and vfio_container_attach_group: a non-viable group fails to
// claim DMA ownership (EPERM).
int FakeKernel::State::SetContainer(unsigned id, void* arg) {
  GroupObj& g = groups.at(id);
  const auto container_fd = Load<std::int32_t>(arg, sizeof(std::int32_t));
  const auto it = fds.find(container_fd);
  if (it == fds.end()) return -EBADF;
  if (g.container != 0) return -EINVAL;
  if (it->second.kind != Kind::kContainer) return -EBADFD;
  if (!g.viable) return -EPERM;
  ContainerObj& c = containers.at(it->second.id);
  if (c.iommu_set && !options.interrupt_remapping) return -EPERM;
  g.container = it->second.id;
  c.groups.push_back(id);
  return 0;
}

// vfio_group_detach_container: the last group takes the container's IOMMU and mappings along.
void FakeKernel::State::DetachGroup(unsigned id) {
  GroupObj& g = groups.at(id);
  ContainerObj& c = containers.at(g.container);
  std::erase(c.groups, id);
  if (c.groups.empty()) {
    c.iommu_set = false;
    c.dma.clear();
  }
  if (c.groups.empty() && !c.fd_open) containers.erase(g.container);
  g.container = 0;
}

void FakeKernel::State::MaybeReleaseGroup(unsigned id) {
  GroupObj& g = groups.at(id);
  if (g.fd_open || g.device_users > 0 || g.container == 0) return;
  DetachGroup(id);
}

// vfio_group_ioctl_get_device_fd: the name is looked up first (ENODEV), then the group must
// have a container with an IOMMU (EINVAL).
int FakeKernel::State::GetDeviceFd(unsigned id, void* arg) {
  GroupObj& g = groups.at(id);
  const char* name = static_cast<const char*>(arg);
  const std::size_t length = strnlen(name, kMaxNameBytes);
  if (length == kMaxNameBytes) return -EINVAL;
  const std::string_view wanted(name, length);
  const auto slot = std::find_if(g.devices.begin(), g.devices.end(),
                                 [&](const DeviceSlot& s) { return s.def.name == wanted; });
  if (slot == g.devices.end()) return -ENODEV;
  if (g.container == 0 || !containers.at(g.container).iommu_set) return -EINVAL;
  ++slot->open_count;
  ++g.device_users;
  return NewFd({Kind::kDevice, static_cast<int>(id),
                static_cast<std::size_t>(slot - g.devices.begin())});
}

}  // namespace vfio
