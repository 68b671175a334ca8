// Kernels for vfio/pci_address.h and vfio/bar.h: BDF parsing and formatting, BAR index <->
// config offset, and decoding the BAR sizing protocol. Depends on those two headers and the
// runner's kernel API only.
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

#include "kernels/kernel_params.h"
#include "runner/kernel.h"
#include "vfio/address.h"
#include "vfio/bar.h"
#include "vfio/pci_address.h"

namespace vfio_kernels {
namespace {

// The BDF text a user could type, built from raw field values (device and function may
// exceed their limits: the spelling still has the right shape).
std::string Spell(BdfSpelling spelling, std::uint16_t domain, std::uint8_t bus,
                  std::uint8_t device, std::uint8_t function) {
  char buffer[32] = {};
  const unsigned d = domain, b = bus, dev = device, f = function;
  switch (spelling) {
    case BdfSpelling::kFull:
      std::snprintf(buffer, sizeof(buffer), "%04x:%02x:%02x.%x", d, b, dev, f);
      break;
    case BdfSpelling::kShort:
      std::snprintf(buffer, sizeof(buffer), "%02x:%02x.%x", b, dev, f);
      break;
    case BdfSpelling::kUppercase:
      std::snprintf(buffer, sizeof(buffer), "%04X:%02X:%02X.%X", d, b, dev, f);
      break;
    case BdfSpelling::kUnpadded:
      std::snprintf(buffer, sizeof(buffer), "%x:%x:%x.%x", d, b, dev, f);
      break;
  }
  return buffer;
}

// The canonical "0000:bb:dd.f" with one defect applied. Positions: domain 0-3, bus 5-6,
// device 8-9, function 11.
std::string Malform(BdfDefect defect, const std::string& s) {
  switch (defect) {
    case BdfDefect::kNone: return s;
    case BdfDefect::kEmpty: return "";
    case BdfDefect::kNoDot: return s.substr(0, 10);
    case BdfDefect::kNoColon: return s.substr(8);
    case BdfDefect::kTooManyColons: return "0:" + s;
    case BdfDefect::kEmptyBus: return s.substr(0, 5) + s.substr(7);
    case BdfDefect::kEmptyFunction: return s.substr(0, 11);
    case BdfDefect::kNonHexBus: return s.substr(0, 5) + "g" + s.substr(6);
    case BdfDefect::kNonHexFunction: return s.substr(0, 11) + "g";
    case BdfDefect::kSign: return "+" + s.substr(6);
    case BdfDefect::kHexPrefix: return s.substr(0, 5) + "0x" + s.substr(5);
    case BdfDefect::kLeadingSpace: return " " + s;
    case BdfDefect::kDomainTooLong: return "0" + s;
    case BdfDefect::kBusTooLong: return s.substr(0, 5) + "0" + s.substr(5);
    case BdfDefect::kDeviceTooLong: return s.substr(0, 8) + "0" + s.substr(8);
    case BdfDefect::kFunctionTooLong: return s.substr(0, 11) + "0" + s.substr(11);
    case BdfDefect::kTrailingNewline: return s + "\n";
  }
  return s;
}

// What a device's BAR register reads back after the all-ones write of the sizing protocol.
struct Probe {
  std::uint32_t low = 0;
  std::optional<std::uint32_t> high;
};

Probe DeviceReadback(ProbeType type, std::uint64_t size, bool prefetchable,
                     Readback readback) {
  // The address bits that read back 1: every bit from the size's up.
  std::uint64_t mask = ~(size - 1);
  if (readback == Readback::kHole) mask &= ~(size << 1);
  if (readback == Readback::kUnimplemented) mask = 0;
  const std::uint32_t pref = prefetchable ? 0x8 : 0x0;
  std::uint32_t flags = 0;
  std::uint32_t address_mask = vfio::kMemAddressMask;
  switch (type) {
    case ProbeType::kIo:
      flags = 0x1;  // bit 3 is an address bit for I/O
      address_mask = vfio::kIoAddressMask;
      break;
    case ProbeType::kMem32: flags = pref; break;
    case ProbeType::kMem64: flags = 0x4 | pref; break;
    case ProbeType::kReservedType1: flags = 0x2 | pref; break;
    case ProbeType::kReservedType3: flags = 0x6 | pref; break;
    case ProbeType::kRom:
      flags = vfio::kRomEnable;
      address_mask = vfio::kRomAddressMask;
      break;
  }
  Probe p{(static_cast<std::uint32_t>(mask) & address_mask) | flags, std::nullopt};
  if (type == ProbeType::kMem64) p.high = static_cast<std::uint32_t>(mask >> 32);
  switch (readback) {
    case Readback::kIo16Decoder: p.low &= 0xffff; break;
    case Readback::kUpperHalfMissing: p.high.reset(); break;
    case Readback::kUpperHalfExtra: p.high = static_cast<std::uint32_t>(mask >> 32); break;
    case Readback::kConforming:
    case Readback::kHole:
    case Readback::kUnimplemented: break;
  }
  return p;
}

// The BAR a conforming device of this type and size describes, and the sizes its register
// can express.
struct BarLimits {
  vfio::BarKind kind;
  std::uint64_t min_size;
  std::uint64_t max_size;
};

std::optional<BarLimits> ExpectedBar(ProbeType type) {
  constexpr std::uint64_t k2GiB = std::uint64_t{1} << 31;
  switch (type) {
    case ProbeType::kIo: return BarLimits{vfio::BarKind::kIo, 4, k2GiB};
    case ProbeType::kMem32: return BarLimits{vfio::BarKind::kMem32, 16, k2GiB};
    case ProbeType::kMem64: return BarLimits{vfio::BarKind::kMem64, 16, std::uint64_t{1} << 63};
    case ProbeType::kRom: return BarLimits{vfio::BarKind::kMem32, 2048, k2GiB};
    case ProbeType::kReservedType1:
    case ProbeType::kReservedType3: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

// A BDF spelled from field values parses to exactly what Bdf::Make builds from them (the same
// error when a field is out of range); the canonical text round-trips both ways.
kt::result<vfio::Bdf> BdfRoundTrip(std::uint16_t domain, std::uint8_t bus,
                                   KT_RANGE(0, 0x3f) std::uint8_t device,
                                   KT_RANGE(0, 0xf) std::uint8_t function,
                                   BdfSpelling spelling) {
  const std::string text = Spell(spelling, domain, bus, device, function);
  KT_OBSERVE("text", text);
  const auto parsed = vfio::ParseBdf(text);
  const std::uint16_t expected_domain = spelling == BdfSpelling::kShort ? 0 : domain;
  const auto made = vfio::Bdf::Make(expected_domain, bus, device, function);
  KT_CHECK(parsed.has_value() == made.has_value());
  if (!made) {
    KT_CHECK(parsed.error() == made.error());
    return parsed;
  }
  const vfio::Bdf& bdf = parsed.value();
  KT_CHECK(bdf == made.value());
  const std::string canonical = vfio::FormatBdf(bdf);
  KT_CHECK(canonical == Spell(BdfSpelling::kFull, expected_domain, bus, device, function));
  const auto reparsed = vfio::ParseBdf(canonical);
  KT_CHECK(reparsed.has_value() && reparsed.value() == bdf);
  KT_CHECK(vfio::FormatBdf(reparsed.value()) == canonical);
  KT_CHECK(bdf.Rid() == (bus << 8 | device << 3 | function));
  return parsed;
}
KT_KERNEL("pci.bdf_roundtrip", BdfRoundTrip);

// Every malformed spelling is refused (with the first defect ParseBdf finds), and the
// well-formed one parses.
kt::result<vfio::Bdf> BdfMalformed(BdfDefect defect, std::uint8_t bus,
                                   KT_RANGE(0, 0x1f) std::uint8_t device,
                                   KT_RANGE(0, 7) std::uint8_t function) {
  const std::string text = Malform(defect, Spell(BdfSpelling::kFull, 0, bus, device, function));
  KT_OBSERVE("text", text);
  const auto parsed = vfio::ParseBdf(text);
  KT_CHECK(parsed.has_value() == (defect == BdfDefect::kNone));
  if (parsed) {
    const auto made = vfio::Bdf::Make(0, bus, device, function);
    KT_CHECK(made.has_value() && parsed.value() == made.value());
  }
  return parsed;
}
KT_KERNEL("pci.bdf_malformed", BdfMalformed);

// BAR index -> config offset: 0x10 + 4i for 0..5 (within 0x10..0x24), 0x30 for the ROM (6),
// an error from 7 on; always DWORD-aligned, and BarIndexFromOffset inverts it.
kt::result<kt::Hex> BarOffset(KT_RANGE(0, 8) unsigned index) {
  const auto offset = vfio::BarOffset(index);
  KT_CHECK(offset.has_value() == (index <= vfio::kRomIndex));
  if (!offset) return offset.error();
  const std::uint16_t off = offset.value();
  KT_CHECK(off % 4 == 0);
  KT_CHECK(index == vfio::kRomIndex ? off == vfio::kRomOffset : off >= 0x10 && off <= 0x24);
  const auto back = vfio::BarIndexFromOffset(off);
  KT_CHECK(back.has_value() && back.value() == index);
  return kt::Hex(off);
}
KT_KERNEL("pci.bar_offset", BarOffset);

// Config offset -> BAR index: only the seven BAR registers map, and BarOffset inverts it.
kt::result<unsigned> BarIndex(KT_RANGE(0, 0x40) std::uint16_t offset) {
  const auto index = vfio::BarIndexFromOffset(offset);
  const bool bar_register = offset % 4 == 0 && ((offset >= 0x10 && offset <= 0x24) ||
                                                offset == vfio::kRomOffset);
  KT_CHECK(index.has_value() == bar_register);
  if (!index) return index;
  const auto back = vfio::BarOffset(index.value());
  KT_CHECK(back.has_value() && back.value() == offset);
  return index;
}
KT_KERNEL("pci.bar_index", BarIndex);

// Decodes the sizing readback of a device BAR of 2^size_log2 bytes. A conforming readback of
// a size the register can express decodes to exactly that BAR; whatever decodes is a power of
// two no smaller than its kind allows.
kt::result<vfio::BarInfo> BarSizing(KT_RANGE(0, 7) unsigned index, ProbeType type,
                                    KT_RANGE(0, 63) unsigned size_log2, bool prefetchable,
                                    Readback readback) {
  const std::uint64_t size = std::uint64_t{1} << size_log2;
  const Probe probe = DeviceReadback(type, size, prefetchable, readback);
  KT_OBSERVE("probe", kt::Hex(probe.low));
  const auto decoded = type == ProbeType::kRom
                           ? vfio::DecodeRomBar(probe.low)
                           : vfio::DecodeBar(index, probe.low, probe.high);
  const std::optional<BarLimits> expected = ExpectedBar(type);
  if (decoded) {
    KT_CHECK(vfio::IsPowerOfTwo(decoded.value().size));
    KT_CHECK(decoded.value().size >= (decoded.value().kind == vfio::BarKind::kIo ? 4u : 16u));
  }
  const bool slot_ok = type == ProbeType::kRom ||
                       (index < vfio::kNumBars &&
                        !(type == ProbeType::kMem64 && index == vfio::kNumBars - 1));
  if (expected && slot_ok && readback == Readback::kConforming && size >= expected->min_size &&
      size <= expected->max_size) {
    const bool pref = prefetchable && type != ProbeType::kIo && type != ProbeType::kRom;
    KT_CHECK(decoded.has_value() && decoded.value() == vfio::BarInfo{expected->kind, pref, size});
  }
  // A 16-bit I/O decoder is sized within 64 KiB (Linux IO_SPACE_LIMIT).
  if (type == ProbeType::kIo && slot_ok && readback == Readback::kIo16Decoder && size >= 4 &&
      size <= 0x8000) {
    KT_CHECK(decoded.has_value() && decoded.value().size == size);
  }
  return decoded;
}
KT_KERNEL("pci.bar_sizing", BarSizing);

}  // namespace vfio_kernels
