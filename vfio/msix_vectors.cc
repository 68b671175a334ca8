// The MSI-X vector state machine of vfio/msix_vectors.h. Pure bookkeeping; no syscalls.
#include "vfio/msix_vectors.h"

namespace vfio {

const char* ToString(MsixVectorError e) noexcept {
  switch (e) {
    case MsixVectorError::kInvalidVectorCount: return "invalid_vector_count";
    case MsixVectorError::kIndexOutOfRange: return "index_out_of_range";
    case MsixVectorError::kInvalidEventfd: return "invalid_eventfd";
    case MsixVectorError::kNotConfigured: return "not_configured";
    case MsixVectorError::kAlreadyEnabled: return "already_enabled";
    case MsixVectorError::kNotEnabled: return "not_enabled";
  }
  return "unknown";
}

const std::error_category& MsixVectorCategory() noexcept {
  static const internal::EnumCategory<MsixVectorError> category("vfio.msix_vector");
  return category;
}

std::error_code make_error_code(MsixVectorError e) noexcept {
  return {static_cast<int>(e), MsixVectorCategory()};
}

const char* ToString(MsixVectorState state) noexcept {
  switch (state) {
    case MsixVectorState::kMasked: return "masked";
    case MsixVectorState::kConfigured: return "configured";
    case MsixVectorState::kEnabled: return "enabled";
  }
  return "unknown";
}

Result<MsixVectors> MsixVectors::Create(std::uint32_t vectors) {
  if (vectors < 1 || vectors > kMsixMaxVectors)
    return make_error_code(MsixVectorError::kInvalidVectorCount);
  return MsixVectors(vectors);
}

Result<void> MsixVectors::CheckIndex(std::uint32_t index) const noexcept {
  if (index >= slots_.size()) return make_error_code(MsixVectorError::kIndexOutOfRange);
  return success();
}

Result<std::optional<MsixVectorConfig>> MsixVectors::Configure(std::uint32_t index,
                                                               const MsixVectorConfig& config) {
  VFIO_TRY(CheckIndex(index));
  if (config.eventfd < 0) return make_error_code(MsixVectorError::kInvalidEventfd);
  Slot& slot = slots_[index];
  // The property suite's known bug: accepting this leaves KVM routing the old message.
  if (slot.state == MsixVectorState::kEnabled)
    return make_error_code(MsixVectorError::kAlreadyEnabled);
  std::optional<MsixVectorConfig> replaced;
  if (slot.state == MsixVectorState::kConfigured) {
    replaced = slot.config;
  } else {
    ++num_configured_;
  }
  slot.state = MsixVectorState::kConfigured;
  slot.config = config;
  return replaced;
}

Result<void> MsixVectors::Enable(std::uint32_t index) {
  VFIO_TRY(CheckIndex(index));
  Slot& slot = slots_[index];
  switch (slot.state) {
    case MsixVectorState::kMasked: return make_error_code(MsixVectorError::kNotConfigured);
    case MsixVectorState::kEnabled: return make_error_code(MsixVectorError::kAlreadyEnabled);
    case MsixVectorState::kConfigured: break;
  }
  slot.state = MsixVectorState::kEnabled;
  ++num_enabled_;
  return success();
}

Result<MsixVectorRelease> MsixVectors::Disable(std::uint32_t index) {
  VFIO_TRY(CheckIndex(index));
  Slot& slot = slots_[index];
  if (slot.state != MsixVectorState::kEnabled)
    return make_error_code(MsixVectorError::kNotEnabled);
  slot.state = MsixVectorState::kConfigured;
  --num_enabled_;
  return MsixVectorRelease{slot.config.eventfd, slot.config.gsi};
}

Result<MsixVectorConfig> MsixVectors::Mask(std::uint32_t index) {
  VFIO_TRY(CheckIndex(index));
  Slot& slot = slots_[index];
  switch (slot.state) {
    case MsixVectorState::kMasked: return make_error_code(MsixVectorError::kNotConfigured);
    case MsixVectorState::kEnabled: return make_error_code(MsixVectorError::kAlreadyEnabled);
    case MsixVectorState::kConfigured: break;
  }
  const MsixVectorConfig dropped = slot.config;
  slot = Slot{};
  --num_configured_;
  return dropped;
}

Result<MsixVectorState> MsixVectors::State(std::uint32_t index) const noexcept {
  VFIO_TRY(CheckIndex(index));
  return slots_[index].state;
}

Result<MsixVectorConfig> MsixVectors::Config(std::uint32_t index) const noexcept {
  VFIO_TRY(CheckIndex(index));
  const Slot& slot = slots_[index];
  if (slot.state == MsixVectorState::kMasked)
    return make_error_code(MsixVectorError::kNotConfigured);
  return slot.config;
}

}  // namespace vfio
