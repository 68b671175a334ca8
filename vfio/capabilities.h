// PCI capability lists: bounded walks of the legacy (0x34) and extended (0x100) chains, the
// MSI-X capability's registers, and a builder that lays capabilities out in a ConfigSpace.
// Pure logic over ConfigSpace reads; depends on vfio/config_space.h and vfio/result.h only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <system_error>
#include <type_traits>
#include <vector>

#include "vfio/config_space.h"
#include "vfio/result.h"

namespace vfio {

enum class CapabilityError {
  kLoop = 1,            // the chain comes back to an offset it has already visited
  kTooLong,             // more links than the walk's bound, without a loop
  kNotFound,            // no capability with the id asked for
  kBadOffset,           // ParseMsixCapability: not a dword offset in 0x40..0xfc
  kNotMsix,             // ParseMsixCapability: the capability's id is not 0x11
  kTruncated,           // the capability's registers run past the end of the legacy area
  kInvalidBir,          // an MSI-X table or PBA BIR above 5
  kBadSize,             // builder: smaller than the capability's own header
  kNoSpace,             // builder: past 0xff (legacy), or past the space or none (extended)
  kInvalidVersion,      // builder: an extended capability version above 15
  kInvalidVectorCount,  // builder: MSI-X vectors outside 1..2048
  kMisalignedOffset,    // builder: an MSI-X table or PBA offset with its low 3 bits set
};
const char* ToString(CapabilityError e) noexcept;
const std::error_category& CapabilityCategory() noexcept;
std::error_code make_error_code(CapabilityError e) noexcept;

inline constexpr std::uint8_t kCapIdMsix = 0x11;
inline constexpr std::uint32_t kExtendedCapStart = 0x100;
// Linux's PCI_FIND_CAP_TTL. With every 4-byte slot of 0x40..0xff visited at most once, a
// chain of 48 distinct capabilities fills the area, so a longer walk is always a loop.
inline constexpr std::size_t kMaxLegacyCapabilities = 48;
// Linux's bound for the extended chain: (4096 - 256) / 8, the smallest useful capability
// being a header and one register.
inline constexpr std::size_t kMaxExtendedCapabilities = 480;

struct Capability {
  std::uint16_t offset = 0;
  std::uint16_t id = 0;       // 8 bits in the legacy chain, 16 in the extended one
  std::uint8_t version = 0;   // extended capabilities only

  friend bool operator==(const Capability&, const Capability&) = default;
};

// The legacy chain as the guest sees it: empty unless Status bit 4 is set; starts at the
// byte at 0x34; each pointer has its low two bits masked; a pointer below 0x40 ends the
// chain, as does an id of 0xff (what an absent device reads).
//
// A chain that comes back to an offset it visited is kLoop (the 48 slots make any longer
// legacy chain a loop). The walk never returns a truncated list: a VMM that hides or
// relocates capabilities must not act on half a chain, and a corrupt chain means a broken
// device or a hostile writer.
Result<std::vector<Capability>> ListCapabilities(const ConfigSpace& config);
// The extended chain from 0x100: empty in a 256-byte space or when the first header is 0;
// next = (header >> 20) & 0xffc; a pointer below 0x100 ends the chain, as does an all-ones
// header. kLoop as above; a chain of more than kMaxExtendedCapabilities distinct links is
// kTooLong.
Result<std::vector<Capability>> ListExtendedCapabilities(const ConfigSpace& config);

// The offset of the first capability with `id`; kNotFound, or the walk's error.
Result<std::uint16_t> FindCapability(const ConfigSpace& config, std::uint8_t id);
Result<std::uint16_t> FindExtendedCapability(const ConfigSpace& config, std::uint16_t id);

// The MSI-X capability's registers. Decoding reads the space and nothing else, so parsing
// twice with no write in between gives equal results, and guest writes can change only
// `enabled` and `function_masked` (when the builder laid it out).
struct MsixCapability {
  std::uint16_t offset = 0;      // of the capability header
  std::uint32_t vectors = 1;     // Message Control bits 10:0, plus 1: 1..2048
  bool function_masked = false;  // Message Control bit 14
  bool enabled = false;          // Message Control bit 15
  std::uint8_t table_bir = 0;    // Table dword bits 2:0
  std::uint32_t table_offset = 0;  // Table dword bits 31:3, 8-byte aligned
  std::uint8_t pba_bir = 0;
  std::uint32_t pba_offset = 0;

  friend bool operator==(const MsixCapability&, const MsixCapability&) = default;
};

// Parses the MSI-X capability at `offset`. Errors in this order: kBadOffset, kTruncated (the
// 12 bytes pass 0x100), kNotMsix, kInvalidBir (6 and 7 are reserved), or a read error.
Result<MsixCapability> ParseMsixCapability(const ConfigSpace& config, std::uint32_t offset);
// FindCapability(kCapIdMsix), then ParseMsixCapability.
Result<MsixCapability> FindMsixCapability(const ConfigSpace& config);

// Lays capabilities out in a ConfigSpace: legacy ones dword-aligned from 0x40, extended ones
// from 0x100, each linked after the one before. Headers are read-only and emulated; bodies
// start zero, read-only and emulated, for the caller to shape with ConfigSpace::InitField.
// The first legacy capability also sets Status bit 4 and the pointer at 0x34.
//
// Example usage:
//   vfio::ConfigSpace config(vfio::ConfigSpaceSize::kExpress);
//   vfio::CapabilityBuilder caps(config);
//   VFIO_TRY(pm, caps.Add(0x01, 8));                     // power management
//   VFIO_TRY(msix, caps.AddMsix(16, 3, 0x0, 3, 0x800));  // table and PBA in BAR 3
//
// Thread-compatible. `config` must outlive the builder, and nothing else should lay out
// capabilities in it.
class CapabilityBuilder {
 public:
  explicit CapabilityBuilder(ConfigSpace& config) : config_(config) {}

  // A legacy capability of `size` bytes including its 2-byte header; returns its offset.
  // kBadSize below 2, kNoSpace past 0xff.
  Result<std::uint16_t> Add(std::uint8_t id, std::uint32_t size);
  // An extended capability of `size` bytes including its 4-byte header. kBadSize below 4,
  // kInvalidVersion above 15, kNoSpace in a 256-byte space or past its end.
  Result<std::uint16_t> AddExtended(std::uint16_t id, std::uint8_t version, std::uint32_t size);
  // A 12-byte MSI-X capability whose Message Control has only bits 14 (function mask) and
  // 15 (enable) writable, both 0. kInvalidVectorCount, kInvalidBir, kMisalignedOffset, or
  // Add's errors.
  Result<std::uint16_t> AddMsix(std::uint32_t vectors, std::uint8_t table_bir,
                                std::uint32_t table_offset, std::uint8_t pba_bir,
                                std::uint32_t pba_offset);

 private:
  Result<void> SetCapabilityListBit();

  ConfigSpace& config_;
  std::uint32_t next_legacy_ = config_reg::kHeaderEnd;
  std::uint32_t last_legacy_ = 0;  // 0: no legacy capability yet
  std::uint32_t next_extended_ = kExtendedCapStart;
  std::uint32_t last_extended_ = 0;  // 0: no extended capability yet
  std::uint32_t last_extended_header_ = 0;
};

}  // namespace vfio

template <>
struct std::is_error_code_enum<vfio::CapabilityError> : std::true_type {};
