// Kernels for the VMM-side MSI-X vector state machine of vfio/msix_vectors.h: scripted
// lifecycles of one vector and free sequences over two. Depends on vfio/msix_vectors.h and
// the runner's kernel API only.
#include <cstdint>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

#include "kernels/kernel_params.h"
#include "kernels/kernel_types.h"
#include "runner/kernel.h"
#include "vfio/msix_vectors.h"

namespace vfio_kernels {
namespace {

using vfio::MsixVectorState;

enum class Transition : std::uint8_t { kConfigure, kEnable, kDisable, kMask };
// VectorOp is the four transitions on vector 0, then on vector 1.
static_assert(static_cast<int>(VectorOp::kMask0) == 3 &&
              static_cast<int>(VectorOp::kConfigure1) == 4 &&
              static_cast<int>(VectorOp::kMask1) == 7);

// The k-th configuration of a vector: each differs in message, eventfd and GSI.
vfio::MsixVectorConfig ConfigFor(std::uint32_t index, int eventfd, std::uint32_t k) {
  return {{0xfee0'0000 | std::uint64_t{index} << 12, index + k},
          eventfd < 0 ? eventfd : eventfd + static_cast<int>(k),
          32 + index + k};
}

template <class T>
bool Same(const vfio::Result<T>& a, const vfio::Result<T>& b) {
  if (a.has_value() != b.has_value()) return false;
  return a.has_value() ? a.value() == b.value() : a.error() == b.error();
}

// What a transition on one vector may change.
struct Snapshot {
  vfio::Result<MsixVectorState> state;
  vfio::Result<vfio::MsixVectorConfig> config;
  std::uint32_t configured;
  std::uint32_t enabled;
};

Snapshot SnapshotOf(const vfio::MsixVectors& vectors, std::uint32_t index) {
  return {vectors.State(index), vectors.Config(index), vectors.configured_count(),
          vectors.enabled_count()};
}

// A refused transition changed nothing, and was refused for the index exactly when the
// index is past the end.
void CheckRefused(const vfio::MsixVectors& vectors, std::uint32_t index,
                  const std::error_code& error, const Snapshot& before) {
  KT_CHECK((error == vfio::MsixVectorError::kIndexOutOfRange) == (index >= vectors.size()));
  const Snapshot after = SnapshotOf(vectors, index);
  KT_CHECK(Same(after.state, before.state) && Same(after.config, before.config));
  KT_CHECK(after.configured == before.configured && after.enabled == before.enabled);
}

// Applies one transition and checks the machine around it. An accepted transition starts
// from the only state that allows it (an Enabled vector is never reconfigured, a Masked one
// never enabled) and lands where the machine says; Disable returns the eventfd and GSI of the
// configuration it took down and Mask the configuration itself. A refused one changes
// nothing, and kIndexOutOfRange is the refusal exactly for an index >= N. Always
// enabled <= configured <= N.
vfio::Result<void> Apply(vfio::MsixVectors& vectors, Transition t, std::uint32_t index,
                         const vfio::MsixVectorConfig& config) {
  const Snapshot snapshot = SnapshotOf(vectors, index);
  const auto& before = snapshot.state;
  const auto& before_config = snapshot.config;
  vfio::Result<void> result = vfio::success();
  std::optional<MsixVectorState> expected;
  switch (t) {
    case Transition::kConfigure: {
      const auto replaced = vectors.Configure(index, config);
      if (!replaced) {
        result = replaced.error();
        break;
      }
      KT_CHECK(before.value() != MsixVectorState::kEnabled);
      const bool had = before.value() == MsixVectorState::kConfigured;
      KT_CHECK(replaced.value() == (had ? std::optional(before_config.value()) : std::nullopt));
      KT_CHECK(vectors.Config(index).value() == config);
      expected = MsixVectorState::kConfigured;
      break;
    }
    case Transition::kEnable: {
      result = vectors.Enable(index);
      if (result) KT_CHECK(before.value() == MsixVectorState::kConfigured);
      expected = MsixVectorState::kEnabled;
      break;
    }
    case Transition::kDisable: {
      const auto release = vectors.Disable(index);
      if (!release) {
        result = release.error();
        break;
      }
      KT_CHECK(before.value() == MsixVectorState::kEnabled);
      const vfio::MsixVectorConfig& held = before_config.value();
      KT_CHECK(release.value() == (vfio::MsixVectorRelease{held.eventfd, held.gsi}));
      expected = MsixVectorState::kConfigured;
      break;
    }
    case Transition::kMask: {
      const auto dropped = vectors.Mask(index);
      if (!dropped) {
        result = dropped.error();
        break;
      }
      KT_CHECK(before.value() == MsixVectorState::kConfigured);
      KT_CHECK(dropped.value() == before_config.value());
      expected = MsixVectorState::kMasked;
      break;
    }
  }
  KT_CHECK(vectors.enabled_count() <= vectors.configured_count());
  KT_CHECK(vectors.configured_count() <= vectors.size());
  if (result) {
    KT_CHECK(vectors.State(index).value() == expected);
  } else {
    CheckRefused(vectors, index, result.error(), snapshot);
  }
  return result;
}

std::vector<Transition> StepsOf(VectorScript script) {
  using T = Transition;
  switch (script) {
    case VectorScript::kConfigure: return {T::kConfigure};
    case VectorScript::kConfigureEnable: return {T::kConfigure, T::kEnable};
    case VectorScript::kConfigureEnableDisable: return {T::kConfigure, T::kEnable, T::kDisable};
    case VectorScript::kFullCycle: return {T::kConfigure, T::kEnable, T::kDisable, T::kMask};
    case VectorScript::kReconfigure: return {T::kConfigure, T::kConfigure};
    case VectorScript::kEnableUnconfigured: return {T::kEnable};
    case VectorScript::kReconfigureEnabled: return {T::kConfigure, T::kEnable, T::kConfigure};
    case VectorScript::kMaskEnabled: return {T::kConfigure, T::kEnable, T::kMask};
    case VectorScript::kDisableConfigured: return {T::kConfigure, T::kDisable};
    case VectorScript::kMaskUnconfigured: return {T::kMask};
    case VectorScript::kEnableTwice: return {T::kConfigure, T::kEnable, T::kEnable};
  }
  return {};
}

}  // namespace

// A function of N vectors, then a script of transitions on vector `index`; the first refusal
// is the outcome. Masked -> Configured -> Enabled -> Configured -> Masked is the valid cycle
// and ends where it began; every transition is checked as Apply describes.
kt::result<VectorView> VectorLifecycle(KT_RANGE(0, 2049) std::uint32_t vectors,
                                       KT_RANGE(0, 2049) std::uint32_t index,
                                       VectorScript script, KT_RANGE(-1, 3) int eventfd) {
  VFIO_TRY(machine, vfio::MsixVectors::Create(vectors));
  KT_CHECK(machine.size() == vectors && machine.configured_count() == 0 &&
           machine.enabled_count() == 0);
  std::uint32_t configures = 0;
  for (const Transition t : StepsOf(script)) {
    const vfio::MsixVectorConfig config = ConfigFor(index, eventfd, configures);
    if (t == Transition::kConfigure) ++configures;
    VFIO_TRY(Apply(machine, t, index, config));
  }
  const MsixVectorState state = machine.State(index).value();
  if (script == VectorScript::kFullCycle) {
    KT_CHECK(state == MsixVectorState::kMasked && machine.configured_count() == 0);
  }
  return VectorView{state, machine.configured_count(), machine.enabled_count()};
}
KT_KERNEL("msix.vector_lifecycle", VectorLifecycle);

// Four transitions on vectors 0 and 1 of a two-vector function, each observed; the machine
// is checked around every one as Apply describes, whatever the order.
VectorCounts VectorSteps(VectorOp op1, VectorOp op2, VectorOp op3, VectorOp op4) {
  auto created = vfio::MsixVectors::Create(2);
  KT_CHECK(created.has_value());
  vfio::MsixVectors machine = std::move(created).value();
  const char* const names[] = {"step1", "step2", "step3", "step4"};
  const VectorOp ops[] = {op1, op2, op3, op4};
  for (int i = 0; i < 4; ++i) {
    const auto op = static_cast<std::uint8_t>(ops[i]);
    const std::uint32_t index = op / 4;
    const auto t = static_cast<Transition>(op % 4);
    KT_OBSERVE(names[i], Apply(machine, t, index, ConfigFor(index, 10, 0)));
  }
  return VectorCounts{machine.configured_count(), machine.enabled_count()};
}
KT_KERNEL("msix.vector_steps", VectorSteps);

}  // namespace vfio_kernels
