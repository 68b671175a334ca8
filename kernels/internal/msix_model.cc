// Many MSI-X vectors in use at once, guest side and VMM side. Depends on vfio/msix.h,
// vfio/msix_vectors.h and runner/kernel.h only.
#include "kernels/internal/msix_model.h"

#include <array>
#include <vector>

#include "runner/kernel.h"
#include "vfio/msix.h"
#include "vfio/msix_vectors.h"

namespace vfio_kernels::internal {
namespace {

constexpr std::uint8_t kBir = 3;
constexpr std::uint32_t kPbaOffset = 0x8000;
constexpr std::array<std::uint64_t, vfio::kMsixBarCount> kBars = {0, 0, 0, 0x1'0000, 0, 0};

// Distinct per vector: the data word alone tells vectors apart, the address spreads them
// over 256 APIC ids.
vfio::MsiMessage MessageOf(std::uint32_t vector) {
  return {0xfee0'0000 | std::uint64_t{vector % 256} << 12, 0x4000 + vector};
}

// Counts a delivery of `e`, which must carry the message the VMM configured for its vector.
void Count(const vfio::MsixEvent& e, const vfio::MsixVectors& machine,
           std::vector<std::size_t>& hits) {
  if (e.kind != vfio::MsixEventKind::kDeliver) return;
  KT_CHECK(e.vector < hits.size());
  const auto config = machine.Config(e.vector);
  KT_CHECK(config.has_value() && e.message == config.value().message);
  ++hits[e.vector];
}

}  // namespace

vfio::Result<CoexistView> DriveVectors(std::uint32_t vectors, std::uint32_t active,
                                       bool mask_function_first) {
  const vfio::MsixLayout layout{vectors, kBir, 0, kBir, kPbaOffset};
  VFIO_TRY(state, vfio::MsixState::Create(layout, kBars));
  VFIO_TRY(machine, vfio::MsixVectors::Create(vectors));
  for (std::uint32_t v = 0; v < active; ++v) {
    const vfio::MsiMessage m = MessageOf(v);
    const std::uint64_t entry = std::uint64_t{v} * vfio::kMsixEntryBytes;
    VFIO_TRY(state.WriteTable(entry, 8, m.address));
    VFIO_TRY(state.WriteTable(entry + 8, 8, m.data));  // vector control 0: unmasked
    VFIO_TRY(machine.Configure(v, {m, static_cast<int>(100 + v), 32 + v}));
    VFIO_TRY(machine.Enable(v));
  }
  KT_CHECK(machine.configured_count() == active && machine.enabled_count() == active);
  const std::uint16_t enable = vfio::kMsixControlEnable;
  state.WriteControl(mask_function_first ? enable | vfio::kMsixControlFunctionMask : enable);
  std::vector<std::size_t> hits(active, 0);
  for (std::uint32_t v = 0; v < active; ++v) {
    const auto fired = state.Fire(v);
    KT_CHECK(fired.has_value());
    KT_CHECK(fired.value().kind == (mask_function_first ? vfio::MsixEventKind::kPending
                                                        : vfio::MsixEventKind::kDeliver));
    Count(fired.value(), machine, hits);
  }
  if (mask_function_first) {
    for (const vfio::MsixEvent& e : state.WriteControl(enable)) Count(e, machine, hits);
  }
  std::size_t delivered = 0;
  for (std::uint32_t v = 0; v < active; ++v) {
    KT_CHECK(hits[v] == 1 && !state.IsPending(v).value());
    delivered += hits[v];
  }
  return CoexistView{vectors, active, delivered};
}

}  // namespace vfio_kernels::internal
