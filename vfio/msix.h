// The guest-visible MSI-X function: capability layout validation, the vector table, the
// Pending Bit Array and Message Control. Pure logic; depends on vfio/result.h only (no
// syscalls, no VFIO or KVM: the caller acts on the events it returns).
#pragma once

#include <cstdint>
#include <span>
#include <system_error>
#include <type_traits>
#include <vector>

#include "vfio/result.h"

namespace vfio {

inline constexpr std::uint32_t kMsixMaxVectors = 2048;  // Message Control bits 10:0 + 1
inline constexpr std::uint64_t kMsixEntryBytes = 16;
inline constexpr std::uint32_t kMsixBarCount = 6;  // a BIR names BAR 0..5

// Message Control: bits 10:0 hold N - 1 (read-only); only these two bits are writable.
inline constexpr std::uint16_t kMsixControlTableSizeMask = 0x07ff;
inline constexpr std::uint16_t kMsixControlFunctionMask = 1u << 14;
inline constexpr std::uint16_t kMsixControlEnable = 1u << 15;

// Bytes of the table and of the PBA for n vectors. The PBA is one bit per vector in whole
// 64-bit words; (n / 64 + 1) * 8 over-counts when n % 64 == 0 (Cloud Hypervisor's bug).
constexpr std::uint64_t MsixTableBytes(std::uint32_t n) noexcept { return n * kMsixEntryBytes; }
constexpr std::uint64_t MsixPbaBytes(std::uint32_t n) noexcept {
  return (std::uint64_t{n} + 63) / 64 * 8;
}
static_assert(MsixPbaBytes(1) == 8 && MsixPbaBytes(64) == 8 && MsixPbaBytes(65) == 16);
static_assert(MsixPbaBytes(kMsixMaxVectors) == 256);

enum class MsixError {
  kInvalidVectorCount = 1,  // N outside 1..2048
  kInvalidBir,              // a BIR above 5
  kMisalignedOffset,        // a table or PBA offset with any of its low 3 bits set
  kTableOutsideBar,         // table_offset + 16 * N passes the end of its BAR
  kPbaOutsideBar,           // pba_offset + PBA bytes passes the end of its BAR
  kTableOverlapsPba,        // table and PBA share a BAR and a byte
  kBadAccessSize,           // an access of other than 4 or 8 bytes
  kMisalignedAccess,        // an access not naturally aligned to its size
  kAccessOutOfRange,        // an access not wholly inside the table or the PBA
  kVectorOutOfRange,        // a vector index >= N
};
const char* ToString(MsixError e) noexcept;
const std::error_category& MsixCategory() noexcept;
std::error_code make_error_code(MsixError e) noexcept;

// Where the table and the PBA live, as the MSI-X capability describes them.
struct MsixLayout {
  std::uint32_t vectors = 1;
  std::uint8_t table_bir = 0;
  std::uint32_t table_offset = 0;
  std::uint8_t pba_bir = 0;
  std::uint32_t pba_offset = 0;

  // Decodes the capability's Message Control word and its Table and PBA dwords (bits 2:0 are
  // the BIR, bits 31:3 the offset). Never fails; ValidateMsixLayout judges the result.
  static MsixLayout FromCapability(std::uint16_t message_control, std::uint32_t table_dword,
                                   std::uint32_t pba_dword) noexcept;

  friend bool operator==(const MsixLayout&, const MsixLayout&) = default;
};

// Checks, in this order: 1 <= N <= 2048, both BIRs <= 5, both offsets 8-byte aligned, the
// table and then the PBA inside its BAR (bar_sizes[bir]; 0 is an unimplemented BAR), and no
// shared byte when both sit in one BAR. The arithmetic cannot wrap for any input.
Result<void> ValidateMsixLayout(const MsixLayout& layout,
                                std::span<const std::uint64_t, kMsixBarCount> bar_sizes) noexcept;

struct MsiMessage {
  std::uint64_t address = 0;
  std::uint32_t data = 0;

  friend bool operator==(const MsiMessage&, const MsiMessage&) = default;
};

// One 16-byte table entry as the guest sees it. Only bit 0 of vector_control (the mask) is
// implemented; the reserved bits read as 0.
struct MsixEntry {
  std::uint32_t address_lo = 0;
  std::uint32_t address_hi = 0;
  std::uint32_t data = 0;
  std::uint32_t vector_control = 1;  // masked at reset

  bool masked() const noexcept { return (vector_control & 1) != 0; }
  MsiMessage message() const noexcept {
    return {(std::uint64_t{address_hi} << 32) | address_lo, data};
  }
  friend bool operator==(const MsixEntry&, const MsixEntry&) = default;
};

// What the VMM must do after an operation, in the order given. A vector is "deliverable"
// when MSI-X is enabled, the function is not masked and its entry is not masked.
enum class MsixEventKind : std::uint8_t {
  kEnabled,      // MSI-X enable 0 -> 1: enable MSI-X on the device before routing vectors
  kDisabled,     // enable 1 -> 0, reported after the kMasked events it caused
  kUnmasked,     // the vector became deliverable: route it with `message`
  kMasked,       // the vector stopped being deliverable: unroute it; its fires come to Fire()
  kRouteUpdate,  // the message of a deliverable vector changed: reroute it with `message`
  kDeliver,      // inject `message` now (a fire, or a pending vector released by an unmask)
  kPending,      // a fire on an undeliverable vector set its pending bit
};
const char* ToString(MsixEventKind kind) noexcept;

struct MsixEvent {
  MsixEventKind kind = MsixEventKind::kDeliver;
  std::uint32_t vector = 0;  // 0 for kEnabled and kDisabled
  MsiMessage message;        // empty for kEnabled, kDisabled, kMasked and kPending

  friend bool operator==(const MsixEvent&, const MsixEvent&) = default;
};

// The emulated MSI-X function of one device. Every guest access is checked: a bad size,
// alignment, offset, BIR or vector index is an error that changes nothing, never a crash
// (QEMU CVE-2015-7549 and CVE-2020-13754, crosvm 002cd87a0, Cloud Hypervisor 78a30012f and
// 7fbc5a135 each crashed a VMM here). Thread-compatible; a value type.
//
// Example usage:
//   std::array<std::uint64_t, 6> bars = {0, 0, 0, 0x4000, 0, 0};
//   VFIO_TRY(msix, MsixState::Create(
//       MsixLayout::FromCapability(control, table_dword, pba_dword), bars));
//   VFIO_TRY(events, msix.WriteBar(3, offset, 4, value));  // a trapped guest write
//   for (const MsixEvent& e : events) Act(e);              // route, unroute, inject
class MsixState {
 public:
  // Validates the layout (ValidateMsixLayout) and returns the function in its reset state.
  static Result<MsixState> Create(const MsixLayout& layout,
                                  std::span<const std::uint64_t, kMsixBarCount> bar_sizes);

  // Reset: every entry zero and masked, no pending bit, function mask clear, MSI-X disabled.
  // Returns the kMasked and kDisabled events of the vectors that were deliverable.
  std::vector<MsixEvent> Reset();

  // Table and PBA accesses at an offset from the structure's start: 4 or 8 bytes, naturally
  // aligned, wholly inside. Values are little-endian; a 4-byte write uses value's low half.
  Result<std::uint64_t> ReadTable(std::uint64_t offset, std::uint32_t size) const noexcept;
  Result<std::vector<MsixEvent>> WriteTable(std::uint64_t offset, std::uint32_t size,
                                            std::uint64_t value);
  Result<std::uint64_t> ReadPba(std::uint64_t offset, std::uint32_t size) const noexcept;
  // The PBA is read-only: a well-formed write succeeds and changes nothing.
  Result<void> WritePba(std::uint64_t offset, std::uint32_t size,
                        std::uint64_t value) const noexcept;

  // The same, for an access trapped at an offset inside BAR `bir`, which must start inside
  // the table or the PBA of that BAR (else kAccessOutOfRange; kInvalidBir above 5).
  Result<std::uint64_t> ReadBar(std::uint32_t bir, std::uint64_t offset,
                                std::uint32_t size) const noexcept;
  Result<std::vector<MsixEvent>> WriteBar(std::uint32_t bir, std::uint64_t offset,
                                          std::uint32_t size, std::uint64_t value);

  // Message Control: (N - 1) | function mask << 14 | enable << 15. A write changes only
  // bits 14 and 15; a caller merging a 1-byte config write builds the word from ReadControl.
  std::uint16_t ReadControl() const noexcept;
  std::vector<MsixEvent> WriteControl(std::uint16_t value);

  // The device signalled `vector`: kDeliver with its message when deliverable, otherwise the
  // pending bit is set and the event is kPending.
  Result<MsixEvent> Fire(std::uint32_t vector);

  Result<MsixEntry> Entry(std::uint32_t vector) const noexcept;
  Result<bool> IsPending(std::uint32_t vector) const noexcept;
  Result<bool> IsDeliverable(std::uint32_t vector) const noexcept;

  const MsixLayout& layout() const noexcept { return layout_; }
  std::uint32_t size() const noexcept { return layout_.vectors; }
  bool enabled() const noexcept { return enabled_; }
  bool function_masked() const noexcept { return function_masked_; }

  friend bool operator==(const MsixState&, const MsixState&) = default;

 private:
  explicit MsixState(const MsixLayout& layout);

  bool Deliverable(std::uint32_t vector) const noexcept;
  // Appends kUnmasked and, if the vector was pending, kDeliver, clearing its bit.
  void Unmask(std::uint32_t vector, std::vector<MsixEvent>& events);
  // Appends the events for a change of one entry, given its state before the change.
  void ReportEntryChange(std::uint32_t vector, bool was_deliverable, const MsiMessage& old,
                         std::vector<MsixEvent>& events);
  std::uint32_t ReadDword(std::uint32_t vector, std::uint32_t dword) const noexcept;
  void WriteDword(std::uint32_t vector, std::uint32_t dword, std::uint32_t value) noexcept;

  MsixLayout layout_;
  std::vector<MsixEntry> entries_;
  std::vector<std::uint64_t> pba_;  // bit v % 64 of word v / 64 is vector v's pending bit
  bool enabled_ = false;
  bool function_masked_ = false;
};

}  // namespace vfio

template <>
struct std::is_error_code_enum<vfio::MsixError> : std::true_type {};
