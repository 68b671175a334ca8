// PCI capability walks, MSI-X capability parsing and the capability builder. Pure logic over
// ConfigSpace reads and InitField; no syscalls.
#include "vfio/capabilities.h"

#include <bitset>
#include <optional>

namespace vfio {
namespace {

// One link of a chain as its header encodes it.
struct Link {
  std::uint16_t id = 0;
  std::uint8_t version = 0;
  std::uint32_t next = 0;
};

constexpr std::uint32_t kMaxSpaceBytes = static_cast<std::uint32_t>(ConfigSpaceSize::kExpress);
constexpr std::uint32_t kLegacyEnd = kExtendedCapStart;
// MSI-X capability: header, Message Control (bits 10:0 N - 1, 14 function mask, 15 enable),
// Table dword, PBA dword. The same bits as msix.h's, which this module does not depend on.
constexpr std::uint32_t kMsixCapBytes = 12;
constexpr std::uint32_t kControlTableSizeMask = 0x07ff;
constexpr std::uint32_t kControlFunctionMask = 1u << 14;
constexpr std::uint32_t kControlEnable = 1u << 15;
constexpr std::uint32_t kMaxVectors = kControlTableSizeMask + 1;
constexpr std::uint8_t kMaxBir = 5;
constexpr std::uint32_t kBirMask = 0x7;
constexpr std::uint8_t kAbsentId = 0xff;
constexpr std::uint32_t kAbsentHeader = 0xffff'ffff;

static_assert((kLegacyEnd - config_reg::kHeaderEnd) / 4 == kMaxLegacyCapabilities,
              "the legacy bound is the number of dword slots: a longer walk must loop");
static_assert((kMaxSpaceBytes - kExtendedCapStart) / 8 == kMaxExtendedCapabilities);

// Follows a chain from `pos` while pos >= floor. read_link(pos) returns the link at pos, or
// nullopt when the header marks the end. The visited set catches every cycle, not only
// self-loops (Cloud Hypervisor 009555684 broke only those); max_links bounds the rest.
template <class ReadLink>
Result<std::vector<Capability>> Walk(std::uint32_t pos, std::uint32_t floor,
                                     std::size_t max_links, ReadLink read_link) {
  std::vector<Capability> caps;
  std::bitset<kMaxSpaceBytes / 4> visited;
  while (pos >= floor) {
    if (visited[pos / 4]) return make_error_code(CapabilityError::kLoop);
    if (caps.size() == max_links) return make_error_code(CapabilityError::kTooLong);
    visited[pos / 4] = true;
    VFIO_TRY(link, read_link(pos));
    if (!link) break;
    caps.push_back({static_cast<std::uint16_t>(pos), link->id, link->version});
    pos = link->next;
  }
  return caps;
}

Result<std::uint16_t> FindIn(Result<std::vector<Capability>> caps, std::uint16_t id) {
  if (!caps) return caps.error();
  for (const Capability& cap : caps.value())
    if (cap.id == id) return cap.offset;
  return make_error_code(CapabilityError::kNotFound);
}

}  // namespace

const char* ToString(CapabilityError e) noexcept {
  switch (e) {
    case CapabilityError::kLoop: return "loop";
    case CapabilityError::kTooLong: return "too_long";
    case CapabilityError::kNotFound: return "not_found";
    case CapabilityError::kBadOffset: return "bad_offset";
    case CapabilityError::kNotMsix: return "not_msix";
    case CapabilityError::kTruncated: return "truncated";
    case CapabilityError::kInvalidBir: return "invalid_bir";
    case CapabilityError::kBadSize: return "bad_size";
    case CapabilityError::kNoSpace: return "no_space";
    case CapabilityError::kInvalidVersion: return "invalid_version";
    case CapabilityError::kInvalidVectorCount: return "invalid_vector_count";
    case CapabilityError::kMisalignedOffset: return "misaligned_offset";
  }
  return "unknown";
}

const std::error_category& CapabilityCategory() noexcept {
  static const internal::EnumCategory<CapabilityError> category("vfio.capabilities");
  return category;
}

std::error_code make_error_code(CapabilityError e) noexcept {
  return {static_cast<int>(e), CapabilityCategory()};
}

Result<std::vector<Capability>> ListCapabilities(const ConfigSpace& config) {
  VFIO_TRY(status, config.Read(config_reg::kStatus, 2));
  if ((status & config_reg::kStatusCapabilityList) == 0) return std::vector<Capability>{};
  VFIO_TRY(first, config.Read(config_reg::kCapabilityList, 1));
  auto read_link = [&config](std::uint32_t pos) -> Result<std::optional<Link>> {
    VFIO_TRY(header, config.Read(pos, 2));
    const auto id = static_cast<std::uint8_t>(header);
    if (id == kAbsentId) return std::optional<Link>();
    // Bits 1:0 of a pointer are reserved; a device may set them (Cloud Hypervisor a0065452d).
    return std::optional<Link>(Link{id, 0, (header >> 8) & 0xfc});
  };
  return Walk(first & 0xfc, config_reg::kHeaderEnd, kMaxLegacyCapabilities, read_link);
}

Result<std::vector<Capability>> ListExtendedCapabilities(const ConfigSpace& config) {
  if (config.size() <= kExtendedCapStart) return std::vector<Capability>{};
  VFIO_TRY(first, config.Read(kExtendedCapStart, 4));
  // Linux: an all-zero header at 0x100 means the device has no extended capabilities.
  if (first == 0) return std::vector<Capability>{};
  auto read_link = [&config](std::uint32_t pos) -> Result<std::optional<Link>> {
    VFIO_TRY(header, config.Read(pos, 4));
    if (header == kAbsentHeader) return std::optional<Link>();
    return std::optional<Link>(Link{static_cast<std::uint16_t>(header),
                                    static_cast<std::uint8_t>((header >> 16) & 0xf),
                                    (header >> 20) & 0xffc});
  };
  return Walk(kExtendedCapStart, kExtendedCapStart, kMaxExtendedCapabilities, read_link);
}

Result<std::uint16_t> FindCapability(const ConfigSpace& config, std::uint8_t id) {
  return FindIn(ListCapabilities(config), id);
}

Result<std::uint16_t> FindExtendedCapability(const ConfigSpace& config, std::uint16_t id) {
  return FindIn(ListExtendedCapabilities(config), id);
}

Result<MsixCapability> ParseMsixCapability(const ConfigSpace& config, std::uint32_t offset) {
  if (offset % 4 != 0 || offset < config_reg::kHeaderEnd || offset >= kLegacyEnd)
    return make_error_code(CapabilityError::kBadOffset);
  if (offset + kMsixCapBytes > kLegacyEnd) return make_error_code(CapabilityError::kTruncated);
  VFIO_TRY(header, config.Read(offset, 2));
  if ((header & 0xff) != kCapIdMsix) return make_error_code(CapabilityError::kNotMsix);
  VFIO_TRY(control, config.Read(offset + 2, 2));
  VFIO_TRY(table, config.Read(offset + 4, 4));
  VFIO_TRY(pba, config.Read(offset + 8, 4));
  MsixCapability cap;
  cap.offset = static_cast<std::uint16_t>(offset);
  cap.vectors = (control & kControlTableSizeMask) + 1;
  cap.function_masked = (control & kControlFunctionMask) != 0;
  cap.enabled = (control & kControlEnable) != 0;
  cap.table_bir = static_cast<std::uint8_t>(table & kBirMask);
  cap.table_offset = table & ~kBirMask;
  cap.pba_bir = static_cast<std::uint8_t>(pba & kBirMask);
  cap.pba_offset = pba & ~kBirMask;
  if (cap.table_bir > kMaxBir || cap.pba_bir > kMaxBir)
    return make_error_code(CapabilityError::kInvalidBir);
  return cap;
}

Result<MsixCapability> FindMsixCapability(const ConfigSpace& config) {
  VFIO_TRY(offset, FindCapability(config, kCapIdMsix));
  return ParseMsixCapability(config, offset);
}

Result<void> CapabilityBuilder::SetCapabilityListBit() {
  // Only bit 4 of the Status low byte changes hands; its other bits keep their masks, and a
  // passthrough Status stays passthrough.
  const std::uint32_t at = config_reg::kStatus;
  const std::uint32_t bit = config_reg::kStatusCapabilityList;
  return config_.InitField(at, 1, {.value = config_.shadow()[at] | bit,
                                   .write_mask = config_.write_mask()[at] & ~bit,
                                   .w1c_mask = config_.w1c_mask()[at] & ~bit,
                                   .emulated_mask = config_.emulated_mask()[at] | bit});
}

Result<std::uint16_t> CapabilityBuilder::Add(std::uint8_t id, std::uint32_t size) {
  if (size < 2) return make_error_code(CapabilityError::kBadSize);
  const std::uint32_t pos = next_legacy_;
  if (size > kLegacyEnd - pos) return make_error_code(CapabilityError::kNoSpace);
  VFIO_TRY(config_.InitField(pos, 1, {.value = id}));
  VFIO_TRY(config_.InitField(pos + 1, 1, {.value = 0}));  // next: the end, until linked
  for (std::uint32_t body = pos + 2; body < pos + size; ++body) {
    VFIO_TRY(config_.InitField(body, 1, {.value = 0}));
  }
  if (last_legacy_ == 0) {
    VFIO_TRY(SetCapabilityListBit());
    VFIO_TRY(config_.InitField(config_reg::kCapabilityList, 1, {.value = pos}));
  } else {
    VFIO_TRY(config_.InitField(last_legacy_ + 1, 1, {.value = pos}));
  }
  last_legacy_ = pos;
  next_legacy_ = (pos + size + 3) & ~3u;
  return static_cast<std::uint16_t>(pos);
}

Result<std::uint16_t> CapabilityBuilder::AddExtended(std::uint16_t id, std::uint8_t version,
                                                     std::uint32_t size) {
  if (size < 4) return make_error_code(CapabilityError::kBadSize);
  if (version > 0xf) return make_error_code(CapabilityError::kInvalidVersion);
  const std::uint32_t pos = next_extended_;
  if (config_.size() <= pos || size > config_.size() - pos)
    return make_error_code(CapabilityError::kNoSpace);
  const std::uint32_t header = id | std::uint32_t{version} << 16;
  VFIO_TRY(config_.InitField(pos, 4, {.value = header}));
  for (std::uint32_t body = pos + 4; body < pos + size; ++body) {
    VFIO_TRY(config_.InitField(body, 1, {.value = 0}));
  }
  if (last_extended_ != 0) {
    VFIO_TRY(config_.InitField(last_extended_, 4, {.value = last_extended_header_ | pos << 20}));
  }
  last_extended_ = pos;
  last_extended_header_ = header;
  next_extended_ = (pos + size + 3) & ~3u;
  return static_cast<std::uint16_t>(pos);
}

Result<std::uint16_t> CapabilityBuilder::AddMsix(std::uint32_t vectors, std::uint8_t table_bir,
                                                 std::uint32_t table_offset,
                                                 std::uint8_t pba_bir,
                                                 std::uint32_t pba_offset) {
  if (vectors < 1 || vectors > kMaxVectors)
    return make_error_code(CapabilityError::kInvalidVectorCount);
  if (table_bir > kMaxBir || pba_bir > kMaxBir)
    return make_error_code(CapabilityError::kInvalidBir);
  if (((table_offset | pba_offset) & kBirMask) != 0)
    return make_error_code(CapabilityError::kMisalignedOffset);
  VFIO_TRY(pos, Add(kCapIdMsix, kMsixCapBytes));
  VFIO_TRY(config_.InitField(
      pos + 2, 2,
      {.value = vectors - 1, .write_mask = kControlFunctionMask | kControlEnable}));
  VFIO_TRY(config_.InitField(pos + 4, 4, {.value = table_offset | table_bir}));
  VFIO_TRY(config_.InitField(pos + 8, 4, {.value = pba_offset | pba_bir}));
  return pos;
}

}  // namespace vfio
