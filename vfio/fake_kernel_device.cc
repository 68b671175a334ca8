// FakeKernel's vfio-pci device: GET_INFO, GET_REGION_INFO with capability chains,
// GET_IRQ_INFO, SET_IRQS (validation, INTx, MSI/MSI-X, ERR/REQ), RESET and region reads and
// writes, following vfio_pci_core.c, vfio_pci_intrs.c and vfio_pci_rdwr.c of Linux 6.1; plus
// the edu and e1000e presets.
// Depends on vfio/internal/fake_kernel_state.h only; no syscalls.
#include <algorithm>
#include <cerrno>

#include "vfio/fake_kernel.h"
#include "vfio/internal/fake_kernel_state.h"

namespace vfio {

using internal::Arg;
using internal::Bytes;
using internal::CapChain;
using internal::CapHeader;
using internal::DeviceSlot;
using internal::IrqState;
using internal::Kind;
using internal::Load;
using internal::Store;

namespace {

void Put16(std::vector<std::uint8_t>& bytes, std::size_t offset, std::uint16_t value) {
  bytes[offset] = static_cast<std::uint8_t>(value);
  bytes[offset + 1] = static_cast<std::uint8_t>(value >> 8);
}

void Put32(std::vector<std::uint8_t>& bytes, std::size_t offset, std::uint32_t value) {
  Put16(bytes, offset, static_cast<std::uint16_t>(value));
  Put16(bytes, offset + 2, static_cast<std::uint16_t>(value >> 16));
}

FakeRegion Region(std::uint64_t size, std::uint32_t flags) { return {size, flags, {}, {}, false}; }

constexpr std::uint32_t kRw = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
constexpr std::uint32_t kRwMmap = kRw | VFIO_REGION_INFO_FLAG_MMAP;

constexpr std::uint64_t kRegionMask = (std::uint64_t{1} << internal::kRegionShift) - 1;

// vfio_pci_get_irq_count: ERR exists only on PCIe functions.
std::uint32_t IrqCount(const FakeDevice& device, std::uint32_t index) {
  if (index >= VFIO_PCI_NUM_IRQS) return 0;
  if (index == VFIO_PCI_ERR_IRQ_INDEX && !device.pcie) return 0;
  return device.irq_counts[index];
}

void DisableIndex(IrqState& irq) {
  irq.type = VFIO_PCI_NUM_IRQS;
  irq.triggers.clear();
}

std::int32_t FdAt(const std::byte* data, std::uint32_t i) {
  return Load<std::int32_t>(data + i * sizeof(std::int32_t), sizeof(std::int32_t));
}

}  // namespace

FakeDevice FakeDevice::Edu(std::string name) {
  FakeDevice d;
  d.name = std::move(name);
  std::vector<std::uint8_t> config(0x100);
  Put32(config, 0x00, 0x11e81234);  // vendor 0x1234 (QEMU), device 0x11e8 (edu)
  // Status: capability list. Command stays 0 although Linux's pci_enable_device leaves 0x0103
  // (I/O, memory, SERR) on the real device: the passthrough tests model a guest's view after
  // reset from it.
  Put16(config, 0x06, 0x0010);
  Put32(config, 0x08, 0x00ff0010);  // class 0xff (other), revision 0x10
  Put32(config, 0x10, 0xfea00000);  // BAR0, 32-bit memory
  Put32(config, 0x2c, 0x11001af4);  // subsystem 0x1af4:0x1100 (QEMU's default)
  config[0x34] = 0x40;              // capabilities
  config[0x3c] = 0x0b;              // interrupt line, as the guest's firmware set it
  config[0x3d] = 1;                 // interrupt pin A
  Put16(config, 0x40, 0x0005);      // MSI, last capability
  Put16(config, 0x42, 0x0080);      // 64-bit address capable
  FakeRegion& bar0 = d.regions[VFIO_PCI_BAR0_REGION_INDEX];
  bar0 = Region(1 << 20, kRwMmap);
  bar0.data.resize(1 << 20);
  Put32(bar0.data, 0, 0x010000ed);  // edu's identification register
  d.regions[VFIO_PCI_CONFIG_REGION_INDEX] = Region(config.size(), kRw);
  d.regions[VFIO_PCI_CONFIG_REGION_INDEX].data = std::move(config);
  d.irq_counts = {1, 1, 0, 0, 1};
  return d;
}

FakeDevice FakeDevice::E1000e(std::string name) {
  FakeDevice d;
  d.name = std::move(name);
  d.flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
  d.pcie = true;
  std::vector<std::uint8_t> config(0x1000);
  Put32(config, 0x00, 0x10d38086);  // Intel 82574L
  Put16(config, 0x06, 0x0010);
  Put32(config, 0x08, 0x02000000);  // Ethernet controller
  Put32(config, 0x10, 0xfeb80000);
  Put32(config, 0x14, 0xfeba0000);
  Put32(config, 0x18, 0x0000c001);  // I/O
  Put32(config, 0x1c, 0xfebc0000);
  Put32(config, 0x2c, 0x00008086);  // subsystem 0x8086:0x0000
  config[0x34] = 0xc8;
  config[0x3c] = 0x0b;
  config[0x3d] = 1;
  // Capabilities in QEMU's order: PM -> MSI -> PCI Express -> MSI-X.
  Put32(config, 0xc8, 0x0022d001);  // PM, next 0xd0
  Put32(config, 0xd0, 0x0080e005);  // MSI, 64-bit, next 0xe0
  Put32(config, 0xe0, 0x0091a010);  // PCI Express v1 endpoint, next 0xa0
  Put32(config, 0xe4, 0x00008000);  // device capabilities: role-based error reporting
  Put32(config, 0xec, 0x00000411);  // link capabilities: x1, 2.5 GT/s
  Put16(config, 0xf2, 0x0011);      // link status: x1, 2.5 GT/s
  Put32(config, 0xa0, 0x00040011);  // MSI-X, 5 vectors, last
  Put32(config, 0xa4, 0x00000003);  // table in BAR3 at 0
  Put32(config, 0xa8, 0x00002003);  // PBA in BAR3 at 0x2000
  // Extended capabilities: AER v2 -> Device Serial Number.
  Put32(config, 0x100, 0x14020001);
  Put32(config, 0x10c, 0x00462030);  // uncorrectable error severity
  Put32(config, 0x114, 0x0000e000);  // correctable error mask
  Put32(config, 0x118, 0x000000a0);  // ECRC generation and check capable
  Put32(config, 0x140, 0x00010003);
  Put32(config, 0x144, 0xff123456);  // serial number 52:54:00:ff:ff:12:34:56
  Put32(config, 0x148, 0x525400ff);
  d.regions[0] = Region(128 << 10, kRwMmap);
  d.regions[1] = Region(128 << 10, kRwMmap);
  d.regions[2] = Region(32, kRw);
  d.regions[3] = Region(16 << 10, kRwMmap);
  d.regions[3].msix_mappable = true;
  d.regions[VFIO_PCI_CONFIG_REGION_INDEX] = Region(config.size(), kRw);
  d.regions[VFIO_PCI_CONFIG_REGION_INDEX].data = std::move(config);
  d.irq_counts = {1, 1, 5, 1, 1};
  return d;
}

// vfio_pci_core_ioctl.
int FakeKernel::State::DeviceIoctl(DeviceSlot& slot, unsigned long request, Arg arg) {
  void* p = arg.ptr();
  switch (request) {
    case VFIO_DEVICE_GET_INFO: {
      if (p == nullptr) return -EFAULT;
      constexpr std::size_t kMinSize = offsetof(vfio_device_info, cap_offset);
      auto info = Load<vfio_device_info>(p, kMinSize);
      if (info.argsz < kMinSize) return -EINVAL;
      info.flags = slot.def.flags;
      info.num_regions = VFIO_PCI_NUM_REGIONS;
      info.num_irqs = VFIO_PCI_NUM_IRQS;
      Store(p, info, std::min<std::size_t>(info.argsz, sizeof(info)));
      return 0;
    }
    case VFIO_DEVICE_GET_REGION_INFO: return p != nullptr ? RegionGetInfo(slot, p) : -EFAULT;
    case VFIO_DEVICE_GET_IRQ_INFO: return p != nullptr ? IrqGetInfo(slot, p) : -EFAULT;
    case VFIO_DEVICE_SET_IRQS: return p != nullptr ? SetIrqs(slot, p) : -EFAULT;
    case VFIO_DEVICE_RESET: return (slot.def.flags & VFIO_DEVICE_FLAGS_RESET) ? 0 : -EINVAL;
  }
  return -ENOTTY;
}

// vfio_pci_ioctl_get_region_info: an unimplemented BAR has size 0 and no flags; VGA exists only
// on VGA devices; there are no device-specific regions past it.
int FakeKernel::State::RegionGetInfo(const DeviceSlot& slot, void* arg) {
  auto info = Load<vfio_region_info>(arg, sizeof(vfio_region_info));
  if (info.argsz < sizeof(info)) return -EINVAL;
  const std::uint32_t index = info.index;
  if (index >= VFIO_PCI_NUM_REGIONS) return -EINVAL;
  const FakeRegion& region = slot.def.regions[index];
  if (index == VFIO_PCI_VGA_REGION_INDEX && region.size == 0) return -EINVAL;
  info.offset = std::uint64_t{index} << internal::kRegionShift;
  info.size = region.size;
  info.flags = region.size == 0 ? 0 : region.flags;
  info.cap_offset = 0;
  std::vector<std::byte> caps;
  std::uint32_t first = sizeof(vfio_region_info);
  if (const auto raw = raw_regions.find({slot.def.name, index}); raw != raw_regions.end()) {
    caps = raw->second.bytes;
    first = raw->second.cap_offset;
  } else if (region.size != 0) {
    CapChain chain(sizeof(vfio_region_info));
    if (!region.sparse_areas.empty()) {
      vfio_region_info_cap_sparse_mmap sparse{};
      sparse.header = CapHeader(VFIO_REGION_INFO_CAP_SPARSE_MMAP);
      sparse.nr_areas = static_cast<std::uint32_t>(region.sparse_areas.size());
      std::vector<std::byte> cap = Bytes(sparse);
      for (const SparseArea& area : region.sparse_areas) {
        const auto bytes = Bytes(vfio_region_sparse_mmap_area{area.offset, area.size});
        cap.insert(cap.end(), bytes.begin(), bytes.end());
      }
      chain.Add(cap);
    }
    if (region.msix_mappable) chain.Add(Bytes(CapHeader(VFIO_REGION_INFO_CAP_MSIX_MAPPABLE)));
    caps = chain.Take();
  }
  internal::AttachCaps(info, arg, VFIO_REGION_INFO_FLAG_CAPS, caps, first);
  Store(arg, info, sizeof(info));
  return 0;
}

// vfio_pci_ioctl_get_irq_info (6.1: no dynamic MSI-X, so MSI-X is NORESIZE too).
int FakeKernel::State::IrqGetInfo(const DeviceSlot& slot, void* arg) {
  auto info = Load<vfio_irq_info>(arg, sizeof(vfio_irq_info));
  if (info.argsz < sizeof(info) || info.index >= VFIO_PCI_NUM_IRQS) return -EINVAL;
  if (info.index == VFIO_PCI_ERR_IRQ_INDEX && !slot.def.pcie) return -EINVAL;
  info.flags = VFIO_IRQ_INFO_EVENTFD;
  info.flags |= info.index == VFIO_PCI_INTX_IRQ_INDEX
                    ? VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED
                    : VFIO_IRQ_INFO_NORESIZE;
  info.count = IrqCount(slot.def, info.index);
  Store(arg, info, sizeof(info));
  return 0;
}

// vfio_pci_ioctl_set_irqs: vfio_set_irqs_validate_and_prepare (as fixed for
// CVE-2016-9083/9084), then vfio_pci_set_irqs_ioctl's dispatch on index and action; a
// combination with no handler is ENOTTY.
int FakeKernel::State::SetIrqs(DeviceSlot& slot, void* arg) {
  constexpr std::size_t kMinSize = sizeof(vfio_irq_set);
  const auto hdr = Load<vfio_irq_set>(arg, kMinSize);
  constexpr std::uint32_t kData = VFIO_IRQ_SET_DATA_TYPE_MASK;
  constexpr std::uint32_t kAction = VFIO_IRQ_SET_ACTION_TYPE_MASK;
  if (hdr.argsz < kMinSize || hdr.index >= VFIO_PCI_NUM_IRQS ||
      hdr.count >= UINT32_MAX - hdr.start || (hdr.flags & ~(kData | kAction))) {
    return -EINVAL;
  }
  const std::uint32_t max = IrqCount(slot.def, hdr.index);
  if (hdr.start >= max || hdr.start + hdr.count > max) return -EINVAL;
  std::uint64_t size = 0;
  switch (hdr.flags & kData) {
    case VFIO_IRQ_SET_DATA_NONE: size = 0; break;
    case VFIO_IRQ_SET_DATA_BOOL: size = sizeof(std::uint8_t); break;
    case VFIO_IRQ_SET_DATA_EVENTFD: size = sizeof(std::int32_t); break;
    default: return -EINVAL;
  }
  if (size != 0 && hdr.argsz - kMinSize < hdr.count * size) return -EINVAL;
  const std::byte* data = static_cast<const std::byte*>(arg) + kMinSize;
  const std::uint32_t action = hdr.flags & kAction;
  switch (hdr.index) {
    case VFIO_PCI_INTX_IRQ_INDEX:
      if (action == VFIO_IRQ_SET_ACTION_TRIGGER) {
        return IntxTrigger(slot, hdr.start, hdr.count, hdr.flags, data);
      }
      if (action == VFIO_IRQ_SET_ACTION_MASK || action == VFIO_IRQ_SET_ACTION_UNMASK) {
        return IntxMask(slot, action, hdr.start, hdr.count, hdr.flags, data);
      }
      break;
    case VFIO_PCI_MSI_IRQ_INDEX:
    case VFIO_PCI_MSIX_IRQ_INDEX:
      if (action == VFIO_IRQ_SET_ACTION_TRIGGER) {
        return MsiTrigger(slot, hdr.index, hdr.start, hdr.count, hdr.flags, data);
      }
      break;
    case VFIO_PCI_ERR_IRQ_INDEX:
    case VFIO_PCI_REQ_IRQ_INDEX:
      if (action == VFIO_IRQ_SET_ACTION_TRIGGER) {
        int& trigger = hdr.index == VFIO_PCI_ERR_IRQ_INDEX ? slot.irq.err_trigger
                                                           : slot.irq.req_trigger;
        return SingleTrigger(trigger, hdr.start, hdr.count, hdr.flags, data);
      }
      break;
  }
  return -ENOTTY;
}

// vfio_pci_set_intx_mask / _unmask: masking itself has nothing to model here; an unmask
// eventfd is checked like vfio_virqfd_enable does, a mask eventfd is unimplemented upstream.
int FakeKernel::State::IntxMask(DeviceSlot& slot, std::uint32_t action, std::uint32_t start,
                                std::uint32_t count, std::uint32_t flags,
                                const std::byte* data) {
  if (slot.irq.type != VFIO_PCI_INTX_IRQ_INDEX || start != 0 || count != 1) return -EINVAL;
  if (!(flags & VFIO_IRQ_SET_DATA_EVENTFD)) return 0;
  if (action == VFIO_IRQ_SET_ACTION_MASK) return -ENOTTY;
  const std::int32_t fd = FdAt(data, 0);
  return fd < 0 ? 0 : EventfdError(fd);
}

// vfio_pci_set_intx_trigger.
int FakeKernel::State::IntxTrigger(DeviceSlot& slot, std::uint32_t start, std::uint32_t count,
                                   std::uint32_t flags, const std::byte* data) {
  IrqState& irq = slot.irq;
  const bool enabled = irq.type == VFIO_PCI_INTX_IRQ_INDEX;
  if (enabled && count == 0 && (flags & VFIO_IRQ_SET_DATA_NONE)) {
    DisableIndex(irq);
    return 0;
  }
  if (!(enabled || irq.type == VFIO_PCI_NUM_IRQS) || start != 0 || count != 1) return -EINVAL;
  if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
    if (enabled) return SetVector(irq.triggers[0], FdAt(data, 0));
    irq.type = VFIO_PCI_INTX_IRQ_INDEX;
    irq.triggers.assign(1, -1);
    const int ret = SetVector(irq.triggers[0], FdAt(data, 0));
    if (ret != 0) DisableIndex(irq);
    return ret;
  }
  if (!enabled) return -EINVAL;
  if ((flags & VFIO_IRQ_SET_DATA_NONE) || std::to_integer<int>(data[0]) != 0) {
    Signal(irq.triggers[0]);
  }
  return 0;
}

// vfio_pci_set_msi_trigger: count 0 with DATA_NONE disables; eventfds enable start + count
// vectors (pci_alloc_irq_vectors refuses 0 with ERANGE) or rebind some of the enabled ones;
// DATA_NONE/DATA_BOOL fire the bound eventfds (loopback).
int FakeKernel::State::MsiTrigger(DeviceSlot& slot, std::uint32_t index, std::uint32_t start,
                                  std::uint32_t count, std::uint32_t flags,
                                  const std::byte* data) {
  IrqState& irq = slot.irq;
  const bool enabled = irq.type == index;
  if (enabled && count == 0 && (flags & VFIO_IRQ_SET_DATA_NONE)) {
    DisableIndex(irq);
    return 0;
  }
  if (!(enabled || irq.type == VFIO_PCI_NUM_IRQS)) return -EINVAL;
  if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
    if (enabled) return SetBlock(irq, start, count, data);
    if (start + count == 0) return -ERANGE;
    irq.type = index;
    irq.triggers.assign(start + count, -1);
    const int ret = SetBlock(irq, start, count, data);
    if (ret != 0) DisableIndex(irq);
    return ret;
  }
  if (!enabled || start + count > irq.triggers.size()) return -EINVAL;
  for (std::uint32_t i = start; i < start + count; ++i) {
    const bool fire = (flags & VFIO_IRQ_SET_DATA_NONE) || std::to_integer<int>(data[i - start]);
    if (fire) Signal(irq.triggers[i]);
  }
  return 0;
}

// vfio_msi_set_block: on a failure the vectors already bound by this call are unbound again.
int FakeKernel::State::SetBlock(IrqState& irq, std::uint32_t start, std::uint32_t count,
                                const std::byte* data) {
  const std::size_t n = irq.triggers.size();
  if (start >= n || start + count > n) return -EINVAL;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (const int ret = SetVector(irq.triggers[start + i], FdAt(data, i)); ret != 0) {
      for (std::uint32_t j = 0; j < i; ++j) irq.triggers[start + j] = -1;
      return ret;
    }
  }
  return 0;
}

// vfio_msi_set_vector_signal / vfio_intx_set_signal: the old eventfd is released first, so a
// bad fd leaves the vector unbound.
int FakeKernel::State::SetVector(int& trigger, std::int32_t fd) {
  trigger = -1;
  if (fd < 0) return 0;
  if (const int err = EventfdError(fd); err != 0) return err;
  trigger = fd;
  return 0;
}

// vfio_pci_set_err_trigger / _req_trigger and vfio_pci_set_ctx_trigger_single: here a bad fd
// keeps the old eventfd, and DATA_NONE without one is EINVAL.
int FakeKernel::State::SingleTrigger(int& trigger, std::uint32_t start, std::uint32_t count,
                                     std::uint32_t flags, const std::byte* data) {
  if (start != 0 || count > 1) return -EINVAL;
  if (flags & VFIO_IRQ_SET_DATA_NONE) {
    if (trigger < 0) return -EINVAL;
    if (count != 0) {
      Signal(trigger);
    } else {
      trigger = -1;
    }
    return 0;
  }
  if (count == 0) return -EINVAL;
  if (flags & VFIO_IRQ_SET_DATA_BOOL) {
    if (std::to_integer<int>(data[0]) != 0 && trigger >= 0) Signal(trigger);
    return 0;
  }
  const std::int32_t fd = FdAt(data, 0);
  if (fd == -1) {
    trigger = -1;
  } else if (fd >= 0) {
    if (const int err = EventfdError(fd); err != 0) return err;
    trigger = fd;
  }
  return 0;
}

int FakeKernel::State::EventfdError(int fd) const {
  const auto it = fds.find(fd);
  if (it == fds.end()) return -EBADF;
  return it->second.kind == Kind::kEventfd ? 0 : -EINVAL;
}

void FakeKernel::State::Signal(int eventfd) {
  const auto it = fds.find(eventfd);
  if (it != fds.end() && it->second.kind == Kind::kEventfd) ++it->second.count;
}

// vfio_pci_rw: the region index sits above bit 40. The config region refuses anything
// outside it with EFAULT (vfio_config_do_rw); other regions with EINVAL, and clip at the end.
std::int64_t FakeKernel::State::RegionAccess(int fd, std::size_t len, std::uint64_t offset,
                                             internal::RegionBytes* where) {
  const auto it = fds.find(fd);
  if (it == fds.end()) return -EBADF;
  if (it->second.kind != Kind::kDevice) return -EINVAL;
  DeviceSlot& slot = groups.at(static_cast<unsigned>(it->second.id)).devices[it->second.device];
  const std::uint64_t index = offset >> internal::kRegionShift;
  if (index >= VFIO_PCI_NUM_REGIONS) return -EINVAL;
  const std::vector<std::uint8_t>& data = slot.def.regions[index].data;
  const std::uint64_t pos = offset & kRegionMask;
  if (index == VFIO_PCI_CONFIG_REGION_INDEX) {
    if (pos >= data.size() || len > data.size() - pos) return -EFAULT;
  } else if (pos >= data.size()) {
    return -EINVAL;
  }
  *where = {&slot, static_cast<std::uint32_t>(index), pos};
  return static_cast<std::int64_t>(std::min<std::uint64_t>(len, data.size() - pos));
}

namespace internal {
namespace {

constexpr std::size_t kHeaderBytes = 0x40;
constexpr std::uint32_t kBarIo = 0x1;
constexpr std::uint32_t kBarMemFlags = 0xc;  // prefetchable, 64-bit
constexpr std::uint32_t kBarMem64 = 0x4;

// Which bits of a header byte a write changes: vfio-pci's write permissions
// (init_pci_cap_basic_perm) ANDed with what QEMU's devices let through (pci_init_wmask):
// Command IO/MEM/MASTER/SERR/INTX_DISABLE, cache line size, interrupt line, and the virtual
// BAR and ROM registers. Every other header byte ignores writes.
constexpr std::array<std::uint8_t, kHeaderBytes> kHeaderWriteMask = [] {
  std::array<std::uint8_t, kHeaderBytes> mask{};
  mask[0x04] = 0x07;
  mask[0x05] = 0x05;
  mask[0x0c] = 0xff;
  for (std::size_t i = 0x10; i < 0x28; ++i) mask[i] = 0xff;
  for (std::size_t i = 0x30; i < 0x34; ++i) mask[i] = 0xff;
  mask[0x3c] = 0xff;
  return mask;
}();

std::uint32_t Get32(const std::vector<std::uint8_t>& bytes, std::size_t offset) {
  return std::uint32_t{bytes[offset]} | std::uint32_t{bytes[offset + 1]} << 8 |
         std::uint32_t{bytes[offset + 2]} << 16 | std::uint32_t{bytes[offset + 3]} << 24;
}

// vfio_bar_fixup: a BAR keeps its address bits above the size and reads back vfio's flags; a
// 64-bit BAR's upper half keeps the bits above the size; the ROM keeps its enable bit; a BAR
// without a region reads 0.
void BarFixup(DeviceSlot& slot) {
  std::vector<std::uint8_t>& config = slot.def.regions[VFIO_PCI_CONFIG_REGION_INDEX].data;
  for (unsigned i = 0; i < 6; ++i) {
    const std::size_t at = 0x10 + 4 * i;
    const std::uint64_t size = slot.def.regions[i].size;
    if (size == 0) {
      Put32(config, at, 0);
      continue;
    }
    const std::uint64_t mask = ~(size - 1);
    Put32(config, at, (Get32(config, at) & static_cast<std::uint32_t>(mask)) | slot.bar_flags[i]);
    if ((slot.bar_flags[i] & kBarIo) == 0 && (slot.bar_flags[i] & kBarMem64) != 0 && i < 5) {
      ++i;
      Put32(config, at + 4, Get32(config, at + 4) & static_cast<std::uint32_t>(mask >> 32));
    }
  }
  const std::uint64_t rom = slot.def.regions[VFIO_PCI_ROM_REGION_INDEX].size;
  const std::uint32_t rom_mask = rom == 0 ? 0 : static_cast<std::uint32_t>(~(rom - 1)) | 0x1;
  Put32(config, 0x30, Get32(config, 0x30) & rom_mask);
}

bool TouchesBars(std::uint64_t pos, std::size_t len) {
  const auto overlaps = [&](std::uint64_t start, std::uint64_t end) {
    return pos < end && start < pos + len;
  };
  return overlaps(0x10, 0x28) || overlaps(0x30, 0x34);
}

}  // namespace

DeviceSlot NewDeviceSlot(FakeDevice device) {
  DeviceSlot slot{std::move(device), {}, 0, {}};
  const std::vector<std::uint8_t>& config = slot.def.regions[VFIO_PCI_CONFIG_REGION_INDEX].data;
  if (config.size() < kHeaderBytes) return slot;
  for (unsigned i = 0; i < 6; ++i) {
    const std::uint32_t value = Get32(config, 0x10 + 4 * i);
    slot.bar_flags[i] = (value & kBarIo) != 0 ? kBarIo : value & kBarMemFlags;
  }
  BarFixup(slot);
  return slot;
}

void WriteConfig(DeviceSlot& slot, std::uint64_t pos, std::span<const std::byte> bytes) {
  std::vector<std::uint8_t>& config = slot.def.regions[VFIO_PCI_CONFIG_REGION_INDEX].data;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const std::uint64_t at = pos + i;
    const auto value = std::to_integer<std::uint8_t>(bytes[i]);
    const std::uint8_t mask = at < kHeaderBytes ? kHeaderWriteMask[at] : 0xff;
    config[at] = static_cast<std::uint8_t>((config[at] & ~mask) | (value & mask));
  }
  if (config.size() >= kHeaderBytes && TouchesBars(pos, bytes.size())) BarFixup(slot);
}

}  // namespace internal
}  // namespace vfio
