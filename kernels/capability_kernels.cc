// Kernels for vfio/capabilities.h: bounded walks of well-formed and hostile legacy and
// extended chains, MSI-X capability parsing under guest writes, and the capability builder.
// Depends on vfio/capabilities.h, the kernels' device model and the runner's kernel API only.
#include <cstdint>
#include <set>
#include <vector>

#include "kernels/internal/device_model.h"
#include "kernels/kernel_params.h"
#include "kernels/kernel_types.h"
#include "runner/kernel.h"
#include "vfio/capabilities.h"
#include "vfio/config_space.h"

namespace vfio_kernels {
namespace {

// Writes a read-only, emulated register: the device's own layout, not the guest's.
void Put(vfio::ConfigSpace& config, std::uint32_t offset, std::uint32_t len,
         std::uint32_t value) {
  KT_CHECK(config.InitField(offset, len, {.value = value}).has_value());
}

// A legacy capability header: id, then the next pointer.
void PutCap(vfio::ConfigSpace& config, std::uint32_t at, std::uint8_t id, std::uint32_t next) {
  Put(config, at, 2, id | (next & 0xff) << 8);
}

void LayLegacy(vfio::ConfigSpace& config, CapChain chain) {
  const bool status = chain != CapChain::kNoStatusBit;
  Put(config, vfio::config_reg::kStatus, 2, status ? vfio::config_reg::kStatusCapabilityList : 0);
  const std::uint32_t first = chain == CapChain::kEmptyPointer ? 0
                              : chain == CapChain::kLowBitsSet ? 0x43
                                                               : 0x40;
  Put(config, vfio::config_reg::kCapabilityList, 1, first);
  switch (chain) {
    case CapChain::kNoStatusBit:
    case CapChain::kSingle: PutCap(config, 0x40, 0x01, 0); break;
    case CapChain::kEmptyPointer:
    case CapChain::kBuilder: break;
    case CapChain::kTwo:
      PutCap(config, 0x40, 0x01, 0x50);
      PutCap(config, 0x50, vfio::kCapIdMsix, 0);
      break;
    case CapChain::kLowBitsSet:
      PutCap(config, 0x40, 0x01, 0x53);
      PutCap(config, 0x50, 0x05, 0);
      break;
    case CapChain::kSelfLoop: PutCap(config, 0x40, 0x01, 0x40); break;
    case CapChain::kTwoCycle:
      PutCap(config, 0x40, 0x01, 0x50);
      PutCap(config, 0x50, 0x05, 0x40);
      break;
    case CapChain::kPointsBelowHeader: PutCap(config, 0x40, 0x01, 0x3c); break;
    case CapChain::kAbsentId:
      PutCap(config, 0x40, 0x01, 0x50);
      PutCap(config, 0x50, 0xff, 0x60);
      break;
    case CapChain::kFull48:
    case CapChain::kFull48Loop:
      for (std::uint32_t at = 0x40; at < 0x100; at += 4) {
        const std::uint32_t next = at + 4 < 0x100 ? at + 4 : chain == CapChain::kFull48 ? 0 : 0x40;
        PutCap(config, at, static_cast<std::uint8_t>(1 + (at - 0x40) / 4 % 0x12), next);
      }
      break;
  }
}

// An extended header: id, version 1, next.
void PutExt(vfio::ConfigSpace& config, std::uint32_t at, std::uint16_t id, std::uint32_t next) {
  Put(config, at, 4, id | 1u << 16 | next << 20);
}

void LayExtended(vfio::ConfigSpace& config, ExtCapChain chain) {
  switch (chain) {
    case ExtCapChain::kConventionalSpace:
    case ExtCapChain::kZeroHeader: break;
    case ExtCapChain::kSingle: PutExt(config, 0x100, 0x0001, 0); break;
    case ExtCapChain::kTwo:
      PutExt(config, 0x100, 0x0001, 0x140);
      PutExt(config, 0x140, 0x000b, 0);
      break;
    case ExtCapChain::kSelfLoop: PutExt(config, 0x100, 0x0001, 0x100); break;
    case ExtCapChain::kCycle:
      PutExt(config, 0x100, 0x0001, 0x140);
      PutExt(config, 0x140, 0x000b, 0x100);
      break;
    case ExtCapChain::kAllOnes:
      PutExt(config, 0x100, 0x0001, 0x140);
      Put(config, 0x140, 4, 0xffff'ffff);
      break;
    case ExtCapChain::kPointsBelow100: PutExt(config, 0x100, 0x0001, 0xfc); break;
    case ExtCapChain::kMax480:
    case ExtCapChain::kOver480: {
      const std::uint32_t links = chain == ExtCapChain::kMax480 ? 480 : 481;
      for (std::uint32_t i = 0; i < links; ++i) {
        const std::uint32_t at = 0x100 + 4 * i;
        PutExt(config, at, static_cast<std::uint16_t>(1 + i % 0x20), i + 1 < links ? at + 4 : 0);
      }
      break;
    }
  }
}

template <class T>
bool Same(const vfio::Result<T>& a, const vfio::Result<T>& b) {
  if (a.has_value() != b.has_value()) return false;
  return a.has_value() ? a.value() == b.value() : a.error() == b.error();
}

// What every returned chain obeys: within the walk's bound, each offset dword-aligned,
// between floor and the end, and visited once.
CapWalk CheckChain(const std::vector<vfio::Capability>& caps, std::uint32_t floor,
                   std::uint32_t end, std::size_t bound) {
  KT_CHECK(caps.size() <= bound);
  std::set<std::uint16_t> seen;
  for (const vfio::Capability& cap : caps) {
    KT_CHECK(cap.offset % 4 == 0 && cap.offset >= floor && cap.offset < end);
    KT_CHECK(seen.insert(cap.offset).second);
  }
  if (caps.empty()) return {};
  return {caps.size(), caps.front().offset, caps.back().offset};
}

// FindCapability agrees with the list: the first capability of that id, or kNotFound.
template <class Id>
void CheckFind(const std::vector<vfio::Capability>& caps, Id id,
               const vfio::Result<std::uint16_t>& found) {
  const vfio::Capability* first = nullptr;
  for (const vfio::Capability& cap : caps) {
    if (cap.id == id && first == nullptr) first = &cap;
  }
  KT_CHECK(found.has_value() == (first != nullptr));
  if (found) {
    KT_CHECK(found.value() == first->offset);
  } else {
    KT_CHECK(found.error() == vfio::CapabilityError::kNotFound);
  }
  KT_OBSERVE("found", found ? kt::result<kt::Hex>(kt::Hex(found.value()))
                            : kt::result<kt::Hex>(found.error()));
}

// A raw MSI-X capability at `at`, as a device could present it: any BIR, the vector count in
// Message Control bits 10:0 (only bits 14 and 15 guest-writable), the PBA 32 KiB after the
// table.
void LayRawMsix(vfio::ConfigSpace& config, std::uint32_t at, std::uint32_t vectors,
                std::uint8_t bir, std::uint32_t table_offset) {
  Put(config, vfio::config_reg::kStatus, 2, vfio::config_reg::kStatusCapabilityList);
  Put(config, vfio::config_reg::kCapabilityList, 1, at);
  PutCap(config, at, vfio::kCapIdMsix, 0);
  if (at + 12 > vfio::kExtendedCapStart) return;  // no room for the body
  const vfio::FieldInit control{.value = (vectors - 1) & 0x7ff, .write_mask = 0xc000};
  KT_CHECK(config.InitField(at + 2, 2, control).has_value());
  Put(config, at + 4, 4, table_offset | bir);
  Put(config, at + 8, 4, ((table_offset + 0x8000) & ~7u) | bir);
}

// Lays out the capability as `setup` says and returns where to parse it (0: find it).
vfio::Result<std::uint32_t> SetUpMsix(vfio::ConfigSpace& config, MsixCapSetup setup,
                                      std::uint32_t vectors, std::uint8_t bir,
                                      std::uint32_t table_offset) {
  switch (setup) {
    case MsixCapSetup::kBuilder: {
      vfio::CapabilityBuilder builder(config);
      VFIO_TRY(builder.Add(0x01, 8));
      VFIO_TRY(builder.AddMsix(vectors, bir, table_offset, bir, table_offset + 0x8000));
      return 0u;
    }
    case MsixCapSetup::kRaw: LayRawMsix(config, 0x40, vectors, bir, table_offset); return 0u;
    case MsixCapSetup::kParseMisaligned:
      LayRawMsix(config, 0x40, vectors, bir, table_offset);
      return 0x42u;
    case MsixCapSetup::kParseBelowHeader:
      LayRawMsix(config, 0x40, vectors, bir, table_offset);
      return 0x30u;
    case MsixCapSetup::kParseTruncated:
      LayRawMsix(config, 0xf8, vectors, bir, table_offset);
      return 0xf8u;
    case MsixCapSetup::kParseOtherCapability: {
      vfio::CapabilityBuilder builder(config);
      VFIO_TRY(builder.Add(0x01, 8));
      VFIO_TRY(builder.AddMsix(1, 0, 0, 0, 0x800));
      return 0x40u;
    }
  }
  return 0u;
}

MsixCapView ViewOf(const vfio::MsixCapability& c) {
  return {c.offset,       c.vectors,    c.table_bir, c.table_offset,
          c.pba_bir,      c.pba_offset, c.enabled,   c.function_masked};
}

}  // namespace

// The legacy chain of a device laid out as `chain`. Walking twice gives the same answer and
// Find agrees with it; every walk ends; a loop of any length is kLoop; a returned chain has
// at most 48 capabilities at distinct dword offsets in 0x40..0xff; pointer bits 1:0 are
// ignored, and a chain is empty while Status bit 4 is clear.
kt::result<CapWalk> CapabilityWalk(CapChain chain, KT_RANGE(0, 0x12) std::uint8_t find_id) {
  internal::Device d = internal::MakeDevice(SpaceKind::kConventional);
  if (chain != CapChain::kBuilder) LayLegacy(d.config, chain);
  const auto caps = vfio::ListCapabilities(d.config);
  KT_CHECK(Same(caps, vfio::ListCapabilities(d.config)));
  const auto found = vfio::FindCapability(d.config, find_id);
  if (!caps) {
    KT_CHECK(!found.has_value() && found.error() == caps.error());
    return caps.error();
  }
  KT_CHECK(chain != CapChain::kNoStatusBit || caps.value().empty());
  CheckFind(caps.value(), find_id, found);
  return CheckChain(caps.value(), vfio::config_reg::kHeaderEnd, vfio::kExtendedCapStart,
                    vfio::kMaxLegacyCapabilities);
}
KT_KERNEL("config.capability_walk", CapabilityWalk);

// The extended chain laid out as `chain` (a 256-byte space has none). As for the legacy
// chain, with 0x100..0xfff, at most 480 links, and kTooLong for a longer loop-free chain.
kt::result<CapWalk> ExtCapabilityWalk(ExtCapChain chain, KT_RANGE(0, 0x20) std::uint16_t find_id) {
  const bool conventional = chain == ExtCapChain::kConventionalSpace;
  vfio::ConfigSpace config(conventional ? vfio::ConfigSpaceSize::kConventional
                                        : vfio::ConfigSpaceSize::kExpress);
  if (!conventional) {
    Put(config, vfio::kExtendedCapStart, 4, 0);
    LayExtended(config, chain);
  }
  const auto caps = vfio::ListExtendedCapabilities(config);
  KT_CHECK(Same(caps, vfio::ListExtendedCapabilities(config)));
  const auto found = vfio::FindExtendedCapability(config, find_id);
  if (!caps) {
    KT_CHECK(!found.has_value() && found.error() == caps.error());
    return caps.error();
  }
  CheckFind(caps.value(), find_id, found);
  return CheckChain(caps.value(), vfio::kExtendedCapStart, config.size(),
                    vfio::kMaxExtendedCapabilities);
}
KT_KERNEL("config.ext_capability_walk", ExtCapabilityWalk);

// An MSI-X capability laid out by the builder or raw, parsed (found, or at a given offset).
// Parsing twice gives the same answer; a parsed capability has 1..2048 vectors, BIRs 0..5
// and 8-byte aligned offsets; a guest write of Message Control changes exactly the enable
// and function-mask bits, and the capability parses the same afterwards.
kt::result<MsixCapView> MsixCapability(KT_RANGE(0, 2049) std::uint32_t vectors,
                                       KT_RANGE(0, 7) std::uint8_t table_bir,
                                       KT_RANGE(0, 0x1'0000) std::uint32_t table_offset,
                                       MsixCapSetup setup, std::uint16_t control) {
  vfio::ConfigSpace config;
  config.InitType0Header({.vendor_id = 0x8086, .device_id = 0x10d3});
  VFIO_TRY(at, SetUpMsix(config, setup, vectors, table_bir, table_offset));
  auto parse = [&config, at = at] {
    return at == 0 ? vfio::FindMsixCapability(config) : vfio::ParseMsixCapability(config, at);
  };
  const auto first = parse();
  KT_CHECK(Same(first, parse()));
  if (!first) return first.error();
  const vfio::MsixCapability& cap = first.value();
  KT_CHECK(cap.vectors >= 1 && cap.vectors <= 2048 && cap.table_bir <= 5 && cap.pba_bir <= 5);
  KT_CHECK(cap.table_offset % 8 == 0 && cap.pba_offset % 8 == 0);
  KT_CHECK(config.Write(cap.offset + 2, 2, control).has_value());
  const auto after = vfio::ParseMsixCapability(config, cap.offset);
  vfio::MsixCapability expected = cap;
  expected.enabled = (control & 0x8000) != 0;
  expected.function_masked = (control & 0x4000) != 0;
  KT_CHECK(after.has_value() && after.value() == expected);
  KT_CHECK(Same(after, vfio::ParseMsixCapability(config, cap.offset)));
  return ViewOf(after.value());
}
KT_KERNEL("config.msix_capability", MsixCapability);

// legacy_count legacy capabilities of legacy_size bytes, then one extended capability, laid
// out by CapabilityBuilder. Refused: a size below the header, a version above 15, a
// capability past the legacy area or the space. Whatever it lays out is exactly what the
// walks then find: dword-aligned, in order, with the ids and version given. The legacy walk
// runs before the extended capability is added, so that a refused extended one (most of its
// parameters' domain) does not hide the legacy chain from the search.
kt::result<BuilderView> CapabilityLayout(SpaceKind space, KT_RANGE(0, 3) unsigned legacy_count,
                                         KT_RANGE(0, 0x100) std::uint32_t legacy_size,
                                         KT_RANGE(0, 0x12) std::uint8_t ext_version,
                                         KT_RANGE(0, 0x1000) std::uint32_t ext_size) {
  vfio::ConfigSpace config(space == SpaceKind::kExpress ? vfio::ConfigSpaceSize::kExpress
                                                        : vfio::ConfigSpaceSize::kConventional);
  config.InitType0Header({.vendor_id = 0x8086, .device_id = 0x10d3});
  vfio::CapabilityBuilder builder(config);
  std::vector<vfio::Capability> legacy;
  for (unsigned i = 0; i < legacy_count; ++i) {
    const auto id = static_cast<std::uint8_t>(0x01 + i);
    VFIO_TRY(at, builder.Add(id, legacy_size));
    KT_CHECK(at % 4 == 0 && at >= 0x40 && at + legacy_size <= vfio::kExtendedCapStart);
    legacy.push_back({at, id, 0});
  }
  const auto listed = vfio::ListCapabilities(config);
  KT_CHECK(listed.has_value() && listed.value() == legacy);
  VFIO_TRY(ext, builder.AddExtended(0x0001, ext_version, ext_size));
  KT_CHECK(ext == vfio::kExtendedCapStart && ext + ext_size <= config.size());
  KT_CHECK(Same(vfio::ListCapabilities(config), listed));  // the extended one is apart
  const auto extended = vfio::ListExtendedCapabilities(config);
  const std::vector<vfio::Capability> expected = {{ext, 0x0001, ext_version}};
  KT_CHECK(extended.has_value() && extended.value() == expected);
  return BuilderView{legacy.size(), legacy.empty() ? std::uint16_t{0} : legacy.back().offset,
                     ext};
}
KT_KERNEL("config.capability_layout", CapabilityLayout);

}  // namespace vfio_kernels
