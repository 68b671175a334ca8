// The guest-visible MSI-X function of vfio/msix.h. Pure logic; no syscalls.
#include "vfio/msix.h"

namespace vfio {
namespace {

constexpr std::uint32_t kOffsetBirMask = 0x7;  // low bits of the Table and PBA dwords

// The whole of [offset, offset + bytes) lies in a BAR of bar_size bytes. Written as a
// subtraction so an offset near 2^64 cannot wrap past the check.
constexpr bool FitsInBar(std::uint64_t offset, std::uint64_t bytes, std::uint64_t bar_size) {
  return bytes <= bar_size && offset <= bar_size - bytes;
}

// A guest access to a structure of `limit` bytes (limit >= 8): 4 or 8 bytes, naturally
// aligned, wholly inside.
Result<void> CheckAccess(std::uint64_t offset, std::uint32_t size, std::uint64_t limit) noexcept {
  if (size != 4 && size != 8) return make_error_code(MsixError::kBadAccessSize);
  if (offset % size != 0) return make_error_code(MsixError::kMisalignedAccess);
  if (size > limit || offset > limit - size) return make_error_code(MsixError::kAccessOutOfRange);
  return success();
}

enum class Region : std::uint8_t { kTable, kPba };
struct BarHit {
  Region region;
  std::uint64_t offset;  // from the start of the region
};

// Which structure of BAR `bir` holds the byte at `offset`. Validation keeps table and PBA
// apart, so at most one does.
Result<BarHit> Locate(const MsixLayout& layout, std::uint32_t bir,
                      std::uint64_t offset) noexcept {
  if (bir >= kMsixBarCount) return make_error_code(MsixError::kInvalidBir);
  if (bir == layout.table_bir && offset >= layout.table_offset &&
      offset - layout.table_offset < MsixTableBytes(layout.vectors)) {
    return BarHit{Region::kTable, offset - layout.table_offset};
  }
  if (bir == layout.pba_bir && offset >= layout.pba_offset &&
      offset - layout.pba_offset < MsixPbaBytes(layout.vectors)) {
    return BarHit{Region::kPba, offset - layout.pba_offset};
  }
  return make_error_code(MsixError::kAccessOutOfRange);
}

}  // namespace

const char* ToString(MsixError e) noexcept {
  switch (e) {
    case MsixError::kInvalidVectorCount: return "invalid_vector_count";
    case MsixError::kInvalidBir: return "invalid_bir";
    case MsixError::kMisalignedOffset: return "misaligned_offset";
    case MsixError::kTableOutsideBar: return "table_outside_bar";
    case MsixError::kPbaOutsideBar: return "pba_outside_bar";
    case MsixError::kTableOverlapsPba: return "table_overlaps_pba";
    case MsixError::kBadAccessSize: return "bad_access_size";
    case MsixError::kMisalignedAccess: return "misaligned_access";
    case MsixError::kAccessOutOfRange: return "access_out_of_range";
    case MsixError::kVectorOutOfRange: return "vector_out_of_range";
  }
  return "unknown";
}

const std::error_category& MsixCategory() noexcept {
  static const internal::EnumCategory<MsixError> category("vfio.msix");
  return category;
}

std::error_code make_error_code(MsixError e) noexcept {
  return {static_cast<int>(e), MsixCategory()};
}

const char* ToString(MsixEventKind kind) noexcept {
  switch (kind) {
    case MsixEventKind::kEnabled: return "enabled";
    case MsixEventKind::kDisabled: return "disabled";
    case MsixEventKind::kUnmasked: return "unmasked";
    case MsixEventKind::kMasked: return "masked";
    case MsixEventKind::kRouteUpdate: return "route_update";
    case MsixEventKind::kDeliver: return "deliver";
    case MsixEventKind::kPending: return "pending";
  }
  return "unknown";
}

MsixLayout MsixLayout::FromCapability(std::uint16_t message_control, std::uint32_t table_dword,
                                      std::uint32_t pba_dword) noexcept {
  return {
      .vectors = (message_control & kMsixControlTableSizeMask) + 1u,
      .table_bir = static_cast<std::uint8_t>(table_dword & kOffsetBirMask),
      .table_offset = table_dword & ~kOffsetBirMask,
      .pba_bir = static_cast<std::uint8_t>(pba_dword & kOffsetBirMask),
      .pba_offset = pba_dword & ~kOffsetBirMask,
  };
}

Result<void> ValidateMsixLayout(const MsixLayout& layout,
                                std::span<const std::uint64_t, kMsixBarCount> bar_sizes) noexcept {
  const std::uint32_t n = layout.vectors;
  if (n < 1 || n > kMsixMaxVectors) return make_error_code(MsixError::kInvalidVectorCount);
  if (layout.table_bir >= kMsixBarCount || layout.pba_bir >= kMsixBarCount)
    return make_error_code(MsixError::kInvalidBir);
  if (((layout.table_offset | layout.pba_offset) & kOffsetBirMask) != 0)
    return make_error_code(MsixError::kMisalignedOffset);
  const std::uint64_t table_bytes = MsixTableBytes(n);
  const std::uint64_t pba_bytes = MsixPbaBytes(n);
  if (!FitsInBar(layout.table_offset, table_bytes, bar_sizes[layout.table_bir]))
    return make_error_code(MsixError::kTableOutsideBar);
  if (!FitsInBar(layout.pba_offset, pba_bytes, bar_sizes[layout.pba_bir]))
    return make_error_code(MsixError::kPbaOutsideBar);
  // Offsets are below 2^32 and sizes at most 2^15, so these sums cannot wrap.
  const std::uint64_t table_end = std::uint64_t{layout.table_offset} + table_bytes;
  const std::uint64_t pba_end = std::uint64_t{layout.pba_offset} + pba_bytes;
  if (layout.table_bir == layout.pba_bir && layout.table_offset < pba_end &&
      layout.pba_offset < table_end) {
    return make_error_code(MsixError::kTableOverlapsPba);
  }
  return success();
}

MsixState::MsixState(const MsixLayout& layout)
    : layout_(layout),
      entries_(layout.vectors),
      pba_(MsixPbaBytes(layout.vectors) / sizeof(std::uint64_t), 0) {}

Result<MsixState> MsixState::Create(const MsixLayout& layout,
                                    std::span<const std::uint64_t, kMsixBarCount> bar_sizes) {
  VFIO_TRY(ValidateMsixLayout(layout, bar_sizes));
  return MsixState(layout);
}

std::vector<MsixEvent> MsixState::Reset() {
  // Disabling first reports every vector that stops being deliverable.
  std::vector<MsixEvent> events = WriteControl(0);
  entries_.assign(entries_.size(), MsixEntry{});
  pba_.assign(pba_.size(), 0);
  return events;
}

bool MsixState::Deliverable(std::uint32_t vector) const noexcept {
  return enabled_ && !function_masked_ && !entries_[vector].masked();
}

void MsixState::Unmask(std::uint32_t vector, std::vector<MsixEvent>& events) {
  const MsiMessage message = entries_[vector].message();
  events.push_back({MsixEventKind::kUnmasked, vector, message});
  std::uint64_t& word = pba_[vector / 64];
  const std::uint64_t bit = std::uint64_t{1} << (vector % 64);
  if ((word & bit) != 0) {
    word &= ~bit;
    events.push_back({MsixEventKind::kDeliver, vector, message});
  }
}

void MsixState::ReportEntryChange(std::uint32_t vector, bool was_deliverable,
                                  const MsiMessage& old, std::vector<MsixEvent>& events) {
  const bool deliverable = Deliverable(vector);
  if (!was_deliverable && deliverable) {
    Unmask(vector, events);
  } else if (was_deliverable && !deliverable) {
    events.push_back({MsixEventKind::kMasked, vector, {}});
  } else if (deliverable && entries_[vector].message() != old) {
    // The spec leaves a message change on an unmasked vector undefined; rerouting is what
    // keeps the VMM's route equal to what the guest reads back.
    events.push_back({MsixEventKind::kRouteUpdate, vector, entries_[vector].message()});
  }
}

std::uint32_t MsixState::ReadDword(std::uint32_t vector, std::uint32_t dword) const noexcept {
  const MsixEntry& e = entries_[vector];
  switch (dword) {
    case 0: return e.address_lo;
    case 1: return e.address_hi;
    case 2: return e.data;
    default: return e.vector_control;
  }
}

void MsixState::WriteDword(std::uint32_t vector, std::uint32_t dword,
                           std::uint32_t value) noexcept {
  MsixEntry& e = entries_[vector];
  switch (dword) {
    case 0: e.address_lo = value; break;
    case 1: e.address_hi = value; break;
    case 2: e.data = value; break;
    default: e.vector_control = value & 1; break;  // bits 31:1 are reserved
  }
}

Result<std::uint64_t> MsixState::ReadTable(std::uint64_t offset,
                                           std::uint32_t size) const noexcept {
  VFIO_TRY(CheckAccess(offset, size, MsixTableBytes(layout_.vectors)));
  const auto vector = static_cast<std::uint32_t>(offset / kMsixEntryBytes);
  const auto dword = static_cast<std::uint32_t>(offset % kMsixEntryBytes / 4);
  std::uint64_t value = ReadDword(vector, dword);
  if (size == 8) value |= std::uint64_t{ReadDword(vector, dword + 1)} << 32;
  return value;
}

Result<std::vector<MsixEvent>> MsixState::WriteTable(std::uint64_t offset, std::uint32_t size,
                                                     std::uint64_t value) {
  VFIO_TRY(CheckAccess(offset, size, MsixTableBytes(layout_.vectors)));
  const auto vector = static_cast<std::uint32_t>(offset / kMsixEntryBytes);
  const auto dword = static_cast<std::uint32_t>(offset % kMsixEntryBytes / 4);
  const bool was_deliverable = Deliverable(vector);
  const MsiMessage old = entries_[vector].message();
  WriteDword(vector, dword, static_cast<std::uint32_t>(value));
  if (size == 8) WriteDword(vector, dword + 1, static_cast<std::uint32_t>(value >> 32));
  std::vector<MsixEvent> events;
  ReportEntryChange(vector, was_deliverable, old, events);
  return events;
}

Result<std::uint64_t> MsixState::ReadPba(std::uint64_t offset,
                                         std::uint32_t size) const noexcept {
  VFIO_TRY(CheckAccess(offset, size, MsixPbaBytes(layout_.vectors)));
  const std::uint64_t word = pba_[offset / 8];
  if (size == 8) return word;
  return (offset % 8 == 0) ? word & 0xffff'ffff : word >> 32;
}

Result<void> MsixState::WritePba(std::uint64_t offset, std::uint32_t size,
                                 std::uint64_t /*value*/) const noexcept {
  // Read-only, but still checked so a malformed write is reported like any other. QEMU
  // crashed on PBA writes when the region had no write handler (CVE-2015-7549).
  return CheckAccess(offset, size, MsixPbaBytes(layout_.vectors));
}

Result<std::uint64_t> MsixState::ReadBar(std::uint32_t bir, std::uint64_t offset,
                                         std::uint32_t size) const noexcept {
  VFIO_TRY(hit, Locate(layout_, bir, offset));
  return hit.region == Region::kTable ? ReadTable(hit.offset, size) : ReadPba(hit.offset, size);
}

Result<std::vector<MsixEvent>> MsixState::WriteBar(std::uint32_t bir, std::uint64_t offset,
                                                   std::uint32_t size, std::uint64_t value) {
  VFIO_TRY(hit, Locate(layout_, bir, offset));
  if (hit.region == Region::kTable) return WriteTable(hit.offset, size, value);
  VFIO_TRY(WritePba(hit.offset, size, value));
  return std::vector<MsixEvent>{};
}

std::uint16_t MsixState::ReadControl() const noexcept {
  std::uint16_t value = static_cast<std::uint16_t>(layout_.vectors - 1);
  if (function_masked_) value |= kMsixControlFunctionMask;
  if (enabled_) value |= kMsixControlEnable;
  return value;
}

std::vector<MsixEvent> MsixState::WriteControl(std::uint16_t value) {
  const bool was_enabled = enabled_;
  const bool was_open = enabled_ && !function_masked_;
  enabled_ = (value & kMsixControlEnable) != 0;
  function_masked_ = (value & kMsixControlFunctionMask) != 0;
  const bool open = enabled_ && !function_masked_;

  std::vector<MsixEvent> events;
  if (!was_enabled && enabled_) events.push_back({MsixEventKind::kEnabled, 0, {}});
  if (open != was_open) {
    // Only vectors whose own mask is clear change deliverability with the function.
    for (std::uint32_t v = 0; v < layout_.vectors; ++v) {
      if (entries_[v].masked()) continue;
      if (open) {
        Unmask(v, events);
      } else {
        events.push_back({MsixEventKind::kMasked, v, {}});
      }
    }
  }
  if (was_enabled && !enabled_) events.push_back({MsixEventKind::kDisabled, 0, {}});
  return events;
}

Result<MsixEvent> MsixState::Fire(std::uint32_t vector) {
  if (vector >= layout_.vectors) return make_error_code(MsixError::kVectorOutOfRange);
  if (Deliverable(vector))
    return MsixEvent{MsixEventKind::kDeliver, vector, entries_[vector].message()};
  pba_[vector / 64] |= std::uint64_t{1} << (vector % 64);
  return MsixEvent{MsixEventKind::kPending, vector, {}};
}

Result<MsixEntry> MsixState::Entry(std::uint32_t vector) const noexcept {
  if (vector >= layout_.vectors) return make_error_code(MsixError::kVectorOutOfRange);
  return entries_[vector];
}

Result<bool> MsixState::IsPending(std::uint32_t vector) const noexcept {
  if (vector >= layout_.vectors) return make_error_code(MsixError::kVectorOutOfRange);
  return (pba_[vector / 64] >> (vector % 64) & 1) != 0;
}

Result<bool> MsixState::IsDeliverable(std::uint32_t vector) const noexcept {
  if (vector >= layout_.vectors) return make_error_code(MsixError::kVectorOutOfRange);
  return Deliverable(vector);
}

}  // namespace vfio
