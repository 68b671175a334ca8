// Kernels for the guest-visible MSI-X function of vfio/msix.h: layout validation, hostile
// table and PBA accesses, delivery and pending bits, and Message Control. Depends on
// vfio/msix.h and the runner's kernel API only.
#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "kernels/kernel_params.h"
#include "kernels/kernel_types.h"
#include "runner/kernel.h"
#include "vfio/msix.h"

namespace vfio_kernels {
namespace {

using BarSizes = std::array<std::uint64_t, vfio::kMsixBarCount>;

// The function the access and delivery kernels start from: table at 0 and PBA at 0x8000 of
// a 64 KiB BAR 3, room for 2048 vectors.
constexpr std::uint8_t kBir = 3;
constexpr std::uint32_t kPbaOffset = 0x8000;
constexpr BarSizes kBars = {0, 0, 0, 0x1'0000, 0, 0};

vfio::MsixState MakeState(std::uint32_t vectors) {
  const vfio::MsixLayout layout{vectors, kBir, 0, kBir, kPbaOffset};
  auto state = vfio::MsixState::Create(layout, kBars);
  KT_CHECK(state.has_value());
  return std::move(state).value();
}

vfio::MsiMessage MessageOf(std::uint32_t vector) {
  return {0xfee0'0000 | std::uint64_t{vector} << 12, vector};
}

// The guest programs vector's address and data, and its mask bit.
void Program(vfio::MsixState& state, std::uint32_t vector, bool masked) {
  const vfio::MsiMessage m = MessageOf(vector);
  const std::uint64_t entry = std::uint64_t{vector} * vfio::kMsixEntryBytes;
  KT_CHECK(state.WriteTable(entry, 8, m.address).has_value());
  KT_CHECK(state.WriteTable(entry + 8, 8, m.data | std::uint64_t{masked} << 32).has_value());
}

// Freshly created or reset: every entry zero and masked, nothing pending or deliverable,
// MSI-X disabled and the function unmasked.
void CheckReset(const vfio::MsixState& state) {
  KT_CHECK(!state.enabled() && !state.function_masked());
  KT_CHECK(state.ReadControl() == state.size() - 1);
  for (std::uint32_t v = 0; v < state.size(); ++v) {
    const auto entry = state.Entry(v);
    KT_CHECK(entry.has_value() && entry.value() == vfio::MsixEntry{});
    KT_CHECK(entry.value().masked() && !state.IsPending(v).value());
    KT_CHECK(!state.IsDeliverable(v).value());
  }
}

std::uint32_t PbaOffsetFor(PbaPlacement placement, std::uint32_t table_offset,
                           std::uint64_t table_bytes, std::uint64_t pba_bytes,
                           std::uint64_t bar_size) {
  const std::uint64_t after = (table_offset + table_bytes + 7) & ~std::uint64_t{7};
  switch (placement) {
    case PbaPlacement::kAfterTable:
    case PbaPlacement::kInvalidBir: return static_cast<std::uint32_t>(after);
    case PbaPlacement::kOtherBar: return 0;
    case PbaPlacement::kBeforeTable:
      return table_offset >= pba_bytes
                 ? static_cast<std::uint32_t>((table_offset - pba_bytes) & ~std::uint64_t{7})
                 : 0;
    case PbaPlacement::kOverlapTable: return table_offset + 8;
    case PbaPlacement::kMisaligned: return static_cast<std::uint32_t>(after + 4);
    case PbaPlacement::kAtBarEnd:
      return static_cast<std::uint32_t>(bar_size >= pba_bytes ? bar_size - pba_bytes : 0);
    case PbaPlacement::kPastBarEnd:
      return static_cast<std::uint32_t>(bar_size >= pba_bytes ? bar_size - pba_bytes + 8 : 8);
  }
  return static_cast<std::uint32_t>(after);
}

// What a table dword reads back after the guest wrote `value` to it: vector control keeps
// only its mask bit.
std::uint64_t ReadBackOf(std::uint64_t offset, std::uint32_t size, std::uint64_t value) {
  std::uint64_t expected = 0;
  for (std::uint32_t i = 0; i < size / 4; ++i) {
    std::uint64_t dword = (value >> (32 * i)) & 0xffff'ffff;
    if ((offset / 4 + i) % 4 == 3) dword &= 1;
    expected |= dword << (32 * i);
  }
  return expected;
}

}  // namespace

// A table of N vectors at table_offset in BAR table_bir (2^bar_log2 bytes; 0 for log2 0) and
// a PBA placed against it. Create accepts exactly what ValidateMsixLayout accepts, and then:
// 1 <= N <= 2048, both BIRs name BARs, offsets are 8-byte aligned, table and PBA lie inside
// their BARs without sharing a byte, the PBA is ceil(N / 64) 64-bit words, the capability
// dwords decode back to the layout, and the function is in its reset state.
kt::result<MsixSizes> Layout(KT_RANGE(0, 2049) std::uint32_t vectors,
                             KT_RANGE(0, 7) std::uint8_t table_bir,
                             KT_RANGE(0, 0x1'0000) std::uint32_t table_offset, PbaPlacement pba,
                             KT_RANGE(0, 20) unsigned bar_log2) {
  BarSizes bars = {0x1000, 0x1000, 0x1000, 0x1000, 0x1000, 0x1000};
  const std::uint64_t bar_size = bar_log2 == 0 ? 0 : std::uint64_t{1} << bar_log2;
  if (table_bir < vfio::kMsixBarCount) bars[table_bir] = bar_size;
  const std::uint8_t other = table_bir < vfio::kMsixBarCount ? (table_bir + 1) % 6 : 0;
  const std::uint64_t table_bytes = vfio::MsixTableBytes(vectors);
  const std::uint64_t pba_bytes = vfio::MsixPbaBytes(vectors);
  vfio::MsixLayout layout{vectors, table_bir, table_offset, table_bir,
                          PbaOffsetFor(pba, table_offset, table_bytes, pba_bytes, bar_size)};
  if (pba == PbaPlacement::kOtherBar) layout.pba_bir = other;
  if (pba == PbaPlacement::kInvalidBir) layout.pba_bir = 7;
  KT_OBSERVE("pba_offset", kt::Hex(layout.pba_offset));

  const auto valid = vfio::ValidateMsixLayout(layout, bars);
  const auto state = vfio::MsixState::Create(layout, bars);
  KT_CHECK(valid.has_value() == state.has_value());
  if (!state) return state.error();
  KT_CHECK(vectors >= 1 && vectors <= vfio::kMsixMaxVectors);
  KT_CHECK(layout.table_bir < vfio::kMsixBarCount && layout.pba_bir < vfio::kMsixBarCount);
  KT_CHECK(layout.table_offset % 8 == 0 && layout.pba_offset % 8 == 0);
  const std::uint64_t table_end = std::uint64_t{layout.table_offset} + table_bytes;
  const std::uint64_t pba_end = std::uint64_t{layout.pba_offset} + pba_bytes;
  KT_CHECK(table_end <= bars[layout.table_bir] && pba_end <= bars[layout.pba_bir]);
  KT_CHECK(layout.table_bir != layout.pba_bir || table_end <= layout.pba_offset ||
           pba_end <= layout.table_offset);
  KT_CHECK(table_bytes == 16ull * vectors);
  KT_CHECK(pba_bytes % 8 == 0 && pba_bytes * 8 >= vectors && pba_bytes * 8 < vectors + 64ull);
  const auto decoded = vfio::MsixLayout::FromCapability(
      static_cast<std::uint16_t>(vectors - 1), layout.table_offset | layout.table_bir,
      layout.pba_offset | layout.pba_bir);
  KT_CHECK(decoded == layout);
  CheckReset(state.value());
  return MsixSizes{table_bytes, pba_bytes};
}
KT_KERNEL("msix.layout", Layout);

// One guest access of any offset and size to the table, the PBA or their BAR, on an enabled
// function with vector 0 unmasked and the last vector pending. Nothing crashes; a refused
// access or any PBA write changes nothing; an accepted table write reads back as written
// (vector control keeps its mask bit only); a read changes nothing.
kt::result<kt::Hex> GuestAccess(KT_RANGE(1, 2048) std::uint32_t vectors, MsixRegion region,
                                AccessKind kind, std::uint64_t offset,
                                KT_RANGE(0, 16) std::uint32_t size) {
  vfio::MsixState state = MakeState(vectors);
  state.WriteControl(vfio::kMsixControlEnable);
  Program(state, 0, /*masked=*/false);
  KT_CHECK(state.Fire(vectors - 1).has_value());
  const vfio::MsixState before = state;
  const std::uint32_t bir = region == MsixRegion::kBarInvalidBir ? 6 : kBir;
  const bool bar = region == MsixRegion::kBar || region == MsixRegion::kBarInvalidBir;
  if (kind == AccessKind::kRead) {
    const auto value = region == MsixRegion::kTable ? state.ReadTable(offset, size)
                       : region == MsixRegion::kPba ? state.ReadPba(offset, size)
                                                    : state.ReadBar(bir, offset, size);
    KT_CHECK(state == before);
    if (!value) return value.error();
    return kt::Hex(value.value());
  }
  const std::uint64_t value = kind == AccessKind::kWriteUnmasking ? 0x0000'0040'fee0'1000
                                                                  : 0x0000'0041'fee0'1001;
  vfio::Result<std::vector<vfio::MsixEvent>> events = std::vector<vfio::MsixEvent>{};
  if (region == MsixRegion::kPba) {
    const auto written = state.WritePba(offset, size, value);
    if (!written) events = written.error();
  } else {
    events = region == MsixRegion::kTable ? state.WriteTable(offset, size, value)
                                          : state.WriteBar(bir, offset, size, value);
  }
  if (!events) {
    KT_CHECK(state == before);
    return events.error();
  }
  KT_OBSERVE("events", events.value().size());
  const bool pba = region == MsixRegion::kPba || (bar && offset >= kPbaOffset);
  if (pba) {
    KT_CHECK(state == before);
    return kt::Hex(0u);
  }
  const auto read = state.ReadTable(offset, size);
  KT_CHECK(read.has_value() && read.value() == ReadBackOf(offset, size, value));
  return kt::Hex(read.value());
}
KT_KERNEL("msix.guest_access", GuestAccess);

// Fire one vector under each combination of MSI-X enable, function mask and entry mask, then
// act. It is delivered (with its message) exactly when enabled, not function-masked and not
// entry-masked; otherwise its pending bit is set, and the action that makes it deliverable
// delivers it once and clears the bit; a reset clears it; nothing else does.
kt::result<DeliveryView> Delivery(KT_RANGE(1, 130) std::uint32_t vectors,
                                  KT_RANGE(0, 130) std::uint32_t vector, FunctionState function,
                                  bool entry_masked, FireScript script) {
  vfio::MsixState state = MakeState(vectors);
  if (vector < vectors) Program(state, vector, entry_masked);
  const bool enabled = function == FunctionState::kEnabled ||
                       function == FunctionState::kEnabledMasked;
  const bool fmask = function == FunctionState::kEnabledMasked ||
                     function == FunctionState::kDisabledMasked;
  state.WriteControl(static_cast<std::uint16_t>((enabled ? vfio::kMsixControlEnable : 0) |
                                                (fmask ? vfio::kMsixControlFunctionMask : 0)));
  const auto fire = state.Fire(vector);
  KT_CHECK(fire.has_value() == (vector < vectors));
  if (!fire) return fire.error();
  const bool deliverable = enabled && !fmask && !entry_masked;
  KT_CHECK(state.IsDeliverable(vector).value() == deliverable);
  KT_CHECK(fire.value().kind ==
           (deliverable ? vfio::MsixEventKind::kDeliver : vfio::MsixEventKind::kPending));
  KT_CHECK(!deliverable || fire.value().message == MessageOf(vector));
  KT_CHECK(state.IsPending(vector).value() == !deliverable);

  const std::uint64_t control = std::uint64_t{vector} * vfio::kMsixEntryBytes + 12;
  std::vector<vfio::MsixEvent> events;
  switch (script) {
    case FireScript::kFireOnly: break;
    case FireScript::kUnmaskEntry: events = state.WriteTable(control, 4, 0).value(); break;
    case FireScript::kMaskEntry: events = state.WriteTable(control, 4, 1).value(); break;
    case FireScript::kEnableFunction: events = state.WriteControl(vfio::kMsixControlEnable); break;
    case FireScript::kReset: events = state.Reset(); break;
    case FireScript::kFireAgain: events.push_back(state.Fire(vector).value()); break;
  }
  std::size_t delivered = deliverable ? 1 : 0;
  for (const vfio::MsixEvent& e : events) {
    if (e.kind != vfio::MsixEventKind::kDeliver || e.vector != vector) continue;
    KT_CHECK(e.message == MessageOf(vector));
    ++delivered;
  }
  const bool now_deliverable = state.IsDeliverable(vector).value();
  const bool pending = state.IsPending(vector).value();
  if (script == FireScript::kReset) {
    KT_CHECK(!pending && !now_deliverable);
    CheckReset(state);
  } else if (!deliverable) {
    KT_CHECK(pending == !now_deliverable);
    KT_CHECK(delivered == (now_deliverable ? 1u : 0u));
  } else {
    KT_CHECK(!pending);
  }
  return DeliveryView{fire.value().kind, delivered, pending};
}
KT_KERNEL("msix.delivery", Delivery);

// Two guest writes of Message Control. Only bits 14 (function mask) and 15 (enable) change;
// bits 10:0 keep reading N - 1; kEnabled and kDisabled are reported exactly on the enable
// bit's edges; an unmasked entry follows the function's state.
ControlView Control(KT_RANGE(1, 2048) std::uint32_t vectors, std::uint16_t first,
                    std::uint16_t second, bool unmask_entry0) {
  vfio::MsixState state = MakeState(vectors);
  if (unmask_entry0) KT_CHECK(state.WriteTable(12, 4, 0).has_value());
  std::size_t total = 0;
  for (const std::uint16_t value : {first, second}) {
    const bool was_enabled = state.enabled();
    const std::vector<vfio::MsixEvent> events = state.WriteControl(value);
    total += events.size();
    const std::uint16_t writable = vfio::kMsixControlEnable | vfio::kMsixControlFunctionMask;
    KT_CHECK(state.ReadControl() == ((vectors - 1) | (value & writable)));
    std::size_t enabled_events = 0;
    std::size_t disabled_events = 0;
    for (const vfio::MsixEvent& e : events) {
      enabled_events += e.kind == vfio::MsixEventKind::kEnabled;
      disabled_events += e.kind == vfio::MsixEventKind::kDisabled;
    }
    KT_CHECK(enabled_events == (!was_enabled && state.enabled() ? 1u : 0u));
    KT_CHECK(disabled_events == (was_enabled && !state.enabled() ? 1u : 0u));
    const bool open = state.enabled() && !state.function_masked();
    KT_CHECK(state.IsDeliverable(0).value() == (open && unmask_entry0));
  }
  return ControlView{state.ReadControl(), total};
}
KT_KERNEL("msix.control", Control);

}  // namespace vfio_kernels
