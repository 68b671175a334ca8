// Conformance checks of the vfio-pci device fd: device, region and IRQ info, BAR sizing and
// config reads and writes through the config region, BAR0 registers, reset. The expected
// values are what Linux 6.1 reported for QEMU 7.2's edu and e1000e (romfile=) in the guest.
#include <linux/vfio.h>

#include <cerrno>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "vfio/bar.h"
#include "vfio/vm/conformance_checks.h"

namespace vfio::vm::internal {
namespace {

constexpr std::uint32_t kRw = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
constexpr std::uint32_t kRwMmap = kRw | VFIO_REGION_INFO_FLAG_MMAP;
constexpr std::uint32_t kRwMmapCaps = kRwMmap | VFIO_REGION_INFO_FLAG_CAPS;
constexpr std::uint32_t kIntxFlags =
    VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED;
constexpr std::uint32_t kMsiFlags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE;

struct RegionCase {
  std::uint32_t index;
  int err;  // GET_REGION_INFO's errno, 0 on success
  std::uint64_t size;
  std::uint32_t flags;
  bool msix_mappable;
};

struct IrqCase {
  std::uint32_t index;
  int err;
  std::uint32_t flags;
  std::uint32_t count;
};

// One BAR register (BAR 0..5, or the ROM as kRomIndex): what reads back after all-ones
// (0xfffff800 for the ROM), and the size that decodes to (0: not implemented).
struct BarCase {
  unsigned index;
  std::uint32_t readback;
  BarKind kind;
  std::uint64_t size;
};

struct ConfigCase {
  std::uint32_t offset;
  unsigned len;
  std::uint32_t value;
};

// A capability in the walk: where, and its id.
struct CapAt {
  std::uint32_t offset = 0;
  std::uint32_t id = 0;

  friend bool operator==(const CapAt&, const CapAt&) = default;
  friend std::ostream& operator<<(std::ostream& os, const CapAt& c) {
    return os << Show(c.offset) << ":" << Show(c.id);
  }
};

struct Profile {
  const char* name;  // the check names' prefix
  TestDevice Environment::*device;
  std::uint32_t device_flags;
  std::span<const RegionCase> regions;
  std::span<const IrqCase> irqs;
  std::span<const BarCase> bars;
  std::span<const ConfigCase> header;
  std::vector<CapAt> capabilities;
  std::vector<CapAt> extended_capabilities;
};

constexpr RegionCase kEduRegions[] = {
    {0, 0, 1 << 20, kRwMmap, false}, {1, 0, 0, 0, false},     {2, 0, 0, 0, false},
    {3, 0, 0, 0, false},             {4, 0, 0, 0, false},     {5, 0, 0, 0, false},
    {6, 0, 0, 0, false},             {7, 0, 0x100, kRw, false}, {8, EINVAL, 0, 0, false},
};
constexpr RegionCase kE1000eRegions[] = {
    {0, 0, 128 << 10, kRwMmap, false}, {1, 0, 128 << 10, kRwMmap, false},
    {2, 0, 0x20, kRw, false},          {3, 0, 16 << 10, kRwMmapCaps, true},
    {4, 0, 0, 0, false},               {5, 0, 0, 0, false},
    {6, 0, 0, 0, false},               {7, 0, 0x1000, kRw, false},
    {8, EINVAL, 0, 0, false},
};
constexpr IrqCase kEduIrqs[] = {
    {VFIO_PCI_INTX_IRQ_INDEX, 0, kIntxFlags, 1}, {VFIO_PCI_MSI_IRQ_INDEX, 0, kMsiFlags, 1},
    {VFIO_PCI_MSIX_IRQ_INDEX, 0, kMsiFlags, 0},  {VFIO_PCI_ERR_IRQ_INDEX, EINVAL, 0, 0},
    {VFIO_PCI_REQ_IRQ_INDEX, 0, kMsiFlags, 1},   {VFIO_PCI_NUM_IRQS, EINVAL, 0, 0},
};
constexpr IrqCase kE1000eIrqs[] = {
    {VFIO_PCI_INTX_IRQ_INDEX, 0, kIntxFlags, 1}, {VFIO_PCI_MSI_IRQ_INDEX, 0, kMsiFlags, 1},
    {VFIO_PCI_MSIX_IRQ_INDEX, 0, kMsiFlags, 5},  {VFIO_PCI_ERR_IRQ_INDEX, 0, kMsiFlags, 1},
    {VFIO_PCI_REQ_IRQ_INDEX, 0, kMsiFlags, 1},   {VFIO_PCI_NUM_IRQS, EINVAL, 0, 0},
};
constexpr BarCase kEduBars[] = {
    {0, 0xfff0'0000, BarKind::kMem32, 1 << 20}, {1, 0, BarKind::kMem32, 0},
    {2, 0, BarKind::kMem32, 0}, {3, 0, BarKind::kMem32, 0}, {4, 0, BarKind::kMem32, 0},
    {5, 0, BarKind::kMem32, 0}, {kRomIndex, 0, BarKind::kMem32, 0},
};
constexpr BarCase kE1000eBars[] = {
    {0, 0xfffe'0000, BarKind::kMem32, 128 << 10}, {1, 0xfffe'0000, BarKind::kMem32, 128 << 10},
    {2, 0xffff'ffe1, BarKind::kIo, 0x20},         {3, 0xffff'c000, BarKind::kMem32, 16 << 10},
    {4, 0, BarKind::kMem32, 0}, {5, 0, BarKind::kMem32, 0}, {kRomIndex, 0, BarKind::kMem32, 0},
};
// Identity, class/revision, header type, subsystem, capability pointer, interrupt pin.
constexpr ConfigCase kEduHeader[] = {
    {0x00, 4, 0x11e8'1234}, {0x08, 4, 0x00ff'0010}, {0x0e, 1, 0x00},
    {0x2c, 4, 0x1100'1af4}, {0x34, 1, 0x40},        {0x3d, 1, 0x01},
    {0x42, 2, 0x0080},  // MSI Message Control: 64-bit, one vector
};
constexpr ConfigCase kE1000eHeader[] = {
    {0x00, 4, 0x10d3'8086}, {0x08, 4, 0x0200'0000}, {0x0e, 1, 0x00},
    {0x2c, 4, 0x0000'8086}, {0x34, 1, 0xc8},        {0x3d, 1, 0x01},
    {0xa2, 2, 0x0004},  // MSI-X Message Control: 5 vectors, disabled
    {0xa4, 4, 0x0000'0003}, {0xa8, 4, 0x0000'2003},  // table BAR3 + 0, PBA BAR3 + 0x2000
};

const Profile& EduProfile() {
  static const Profile profile{"edu",      &Environment::edu, VFIO_DEVICE_FLAGS_PCI,
                               kEduRegions, kEduIrqs,         kEduBars,
                               kEduHeader,  {{0x40, 0x05}},   {}};
  return profile;
}

const Profile& E1000eProfile() {
  static const Profile profile{
      "e1000e", &Environment::e1000e, VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET,
      kE1000eRegions, kE1000eIrqs, kE1000eBars, kE1000eHeader,
      // PM -> MSI -> PCI Express -> MSI-X; AER -> Device Serial Number.
      {{0xc8, 0x01}, {0xd0, 0x05}, {0xe0, 0x10}, {0xa0, 0x11}}, {{0x100, 0x0001}, {0x140, 0x0003}}};
  return profile;
}

Outcome DeviceInfo(const Environment& env, const Profile& p) {
  Expect expect;
  auto session = expect.Ok("session", OpenSession(env, env.*p.device, Stage::kDeviceOpen));
  if (!session) return expect.outcome();
  const vfio::DeviceInfo& info = session->device->info();
  expect.Eq("flags", p.device_flags, info.flags);
  expect.Eq("num_regions", std::uint32_t{VFIO_PCI_NUM_REGIONS}, info.num_regions);
  expect.Eq("num_irqs", std::uint32_t{VFIO_PCI_NUM_IRQS}, info.num_irqs);
  return expect.outcome();
}

Outcome Regions(const Environment& env, const Profile& p) {
  Expect expect;
  auto session = expect.Ok("session", OpenSession(env, env.*p.device, Stage::kDeviceOpen));
  if (!session) return expect.outcome();
  for (const RegionCase& c : p.regions) {
    const std::string what = "region " + std::to_string(c.index);
    Result<RegionInfo> info = session->device->GetRegionInfo(c.index);
    if (c.err != 0) {
      expect.Fails(what, Sys(VfioError::kRegionInfo, c.err), info);
      continue;
    }
    if (!expect.Ok(what, info)) continue;
    expect.Eq(what + " size", c.size, info.value().size);
    expect.Eq(what + " flags", c.flags, info.value().flags);
    expect.Eq(what + " msix_mappable", c.msix_mappable, info.value().msix_mappable);
    expect.Eq(what + " sparse areas", std::size_t{0}, info.value().sparse_areas.size());
  }
  return expect.outcome();
}

Outcome Irqs(const Environment& env, const Profile& p) {
  Expect expect;
  auto session = expect.Ok("session", OpenSession(env, env.*p.device, Stage::kDeviceOpen));
  if (!session) return expect.outcome();
  for (const IrqCase& c : p.irqs) {
    const std::string what = "irq index " + std::to_string(c.index);
    Result<IrqInfo> info = session->device->GetIrqInfo(c.index);
    if (c.err != 0) {
      expect.Fails(what, Sys(VfioError::kIrqInfo, c.err), info);
      continue;
    }
    if (!expect.Ok(what, info)) continue;
    expect.Eq(what + " flags", c.flags, info.value().flags);
    expect.Eq(what + " count", c.count, info.value().count);
  }
  return expect.outcome();
}

// Save, write the probe, read back, restore, read again: the kernel's virtual BAR must give
// the size mask and then the original value, and DecodeBar must agree with the region size.
void SizeOneBar(Expect& expect, Device& device, const BarCase& c) {
  const std::string what = "BAR" + std::to_string(c.index);
  const std::uint32_t offset = BarOffset(c.index).value();
  const std::uint32_t probe = c.index == kRomIndex ? kRomAddressMask : 0xffff'ffff;
  auto original = expect.Ok(what + " read", device.ReadConfig(offset, 4));
  if (!original || !expect.Ok(what + " probe write", device.WriteConfig(offset, 4, probe))) return;
  auto readback = expect.Ok(what + " readback", device.ReadConfig(offset, 4));
  expect.Ok(what + " restore", device.WriteConfig(offset, 4, *original));
  expect.Eq(what + " after restore", *original, ValueOr(device.ReadConfig(offset, 4), ~*original));
  if (!readback || !expect.Eq(what + " readback", c.readback, *readback)) return;
  Result<BarInfo> info = c.index == kRomIndex ? DecodeRomBar(*readback)
                                              : DecodeBar(c.index, *readback, std::nullopt);
  if (c.size == 0) {
    expect.Fails(what + " decode", make_error_code(BarError::kNotImplemented), info);
    return;
  }
  if (!expect.Ok(what + " decode", info)) return;
  expect.Eq(what + " kind", std::string(ToString(c.kind)),
            std::string(ToString(info.value().kind)));
  expect.Eq(what + " size", c.size, info.value().size);
  auto region = device.GetRegionInfo(c.index);
  expect.Eq(what + " region size", c.size, region ? region.value().size : 0);
}

Outcome BarSizing(const Environment& env, const Profile& p) {
  Expect expect;
  auto session = expect.Ok("session", OpenSession(env, env.*p.device, Stage::kDeviceOpen));
  if (!session) return expect.outcome();
  for (const BarCase& c : p.bars) SizeOneBar(expect, *session->device, c);
  return expect.outcome();
}

// The legacy list from 0x34 (low bits masked, at most 48 steps) and, on PCIe, the extended
// list from 0x100 (at most 480 steps); a loop shows up as an over-long list.
std::vector<CapAt> WalkCapabilities(const Device& device, bool extended) {
  std::vector<CapAt> caps;
  if (!extended) {
    std::uint32_t pos = ValueOr(device.ReadConfig(0x34, 1), 0) & ~3u;
    for (int ttl = 48; ttl > 0 && pos >= 0x40; --ttl) {
      const std::uint32_t header = ValueOr(device.ReadConfig(pos, 2), 0);
      caps.push_back({pos, header & 0xff});
      pos = (header >> 8) & ~3u;
    }
    return caps;
  }
  std::uint32_t pos = 0x100;
  for (int ttl = 480; ttl > 0 && pos >= 0x100 && device.config_region().size > pos; --ttl) {
    const std::uint32_t header = ValueOr(device.ReadConfig(pos, 4), 0);
    if (header == 0 || header == 0xffff'ffff) break;
    caps.push_back({pos, header & 0xffff});
    pos = (header >> 20) & 0xffc;
  }
  return caps;
}

Outcome ConfigHeader(const Environment& env, const Profile& p) {
  Expect expect;
  auto session = expect.Ok("session", OpenSession(env, env.*p.device, Stage::kDeviceOpen));
  if (!session) return expect.outcome();
  const Device& device = *session->device;
  for (const ConfigCase& c : p.header) {
    const std::string what = "config[" + Show(c.offset) + "]/" + std::to_string(c.len);
    auto value = expect.Ok(what, device.ReadConfig(c.offset, c.len));
    if (value) expect.Eq(what, c.value, *value);
  }
  expect.Eq("status capability-list bit", 0x10u, ValueOr(device.ReadConfig(0x06, 2), 0) & 0x10u);
  expect.Eq("capabilities", p.capabilities, WalkCapabilities(device, false));
  expect.Eq("extended capabilities", p.extended_capabilities, WalkCapabilities(device, true));
  return expect.outcome();
}

}  // namespace

std::vector<Check> DeviceChecks() {
  std::vector<Check> checks;
  for (const Profile* p : {&EduProfile(), &E1000eProfile()}) {
    const std::string name = p->name;
    using Run = Outcome (*)(const Environment&, const Profile&);
    const std::pair<const char*, Run> kinds[] = {{".device_info", DeviceInfo},
                                                 {".region_info", Regions},
                                                 {".irq_info", Irqs},
                                                 {".bar_sizing", BarSizing},
                                                 {".config_header", ConfigHeader}};
    for (const auto& kind : kinds) {
      const Run run = kind.second;
      checks.push_back({name + kind.first, [p, run](const Environment& e) { return run(e, *p); }});
    }
  }
  for (Check& check : DeviceIoChecks()) checks.push_back(std::move(check));
  return checks;
}

}  // namespace vfio::vm::internal
