// The VMM-side state machine of a device's MSI-X vectors: which message, eventfd and GSI
// each holds and whether it is routed. Pure bookkeeping; depends on vfio/msix.h and
// vfio/result.h only (the caller makes the VFIO and KVM calls it describes).
#pragma once

#include <cstdint>
#include <optional>
#include <system_error>
#include <type_traits>
#include <vector>

#include "vfio/msix.h"
#include "vfio/result.h"

namespace vfio {

enum class MsixVectorError {
  kInvalidVectorCount = 1,  // N outside 1..2048
  kIndexOutOfRange,         // an index >= N
  kInvalidEventfd,          // a configuration with a negative eventfd
  kNotConfigured,           // Enable or Mask of a Masked vector
  kAlreadyEnabled,          // Configure, Enable or Mask of an Enabled vector: disable it first
  kNotEnabled,              // Disable of a vector that is not Enabled
};
const char* ToString(MsixVectorError e) noexcept;
const std::error_category& MsixVectorCategory() noexcept;
std::error_code make_error_code(MsixVectorError e) noexcept;

// Masked -> Configured (Configure) -> Enabled (Enable) -> Configured (Disable) -> Masked
// (Mask). Configured may be configured again; Enabled may not.
enum class MsixVectorState : std::uint8_t { kMasked, kConfigured, kEnabled };
const char* ToString(MsixVectorState state) noexcept;

// What a vector needs to be routed: the guest's message, the eventfd VFIO signals and the
// GSI KVM injects it through.
struct MsixVectorConfig {
  MsiMessage message;
  int eventfd = -1;
  std::uint32_t gsi = 0;

  friend bool operator==(const MsixVectorConfig&, const MsixVectorConfig&) = default;
};

// The eventfd and GSI of a route that Disable took down: the caller deassigns the KVM irqfd
// and the VFIO trigger for them.
struct MsixVectorRelease {
  int eventfd = -1;
  std::uint32_t gsi = 0;

  friend bool operator==(const MsixVectorRelease&, const MsixVectorRelease&) = default;
};

// N vectors, each in one MsixVectorState. Every failed call leaves the state unchanged, and
// enabled_count() <= configured_count() <= size() always holds. Thread-compatible.
//
// Example usage:
//   VFIO_TRY(vectors, MsixVectors::Create(5));
//   VFIO_TRY(vectors.Configure(3, {message, eventfd, gsi}));
//   VFIO_TRY(vectors.Enable(3));                  // then KVM_IRQFD + VFIO_DEVICE_SET_IRQS
//   VFIO_TRY(release, vectors.Disable(3));        // undo both for release.eventfd/gsi
class MsixVectors {
 public:
  // All N vectors Masked; kInvalidVectorCount unless 1 <= N <= 2048.
  static Result<MsixVectors> Create(std::uint32_t vectors);

  // Masked or Configured -> Configured. Returns the configuration it replaced (nullopt from
  // Masked); the caller releases whatever of it the new one does not reuse. Configuring an
  // Enabled vector fails: its route would keep the old message (disable first).
  Result<std::optional<MsixVectorConfig>> Configure(std::uint32_t index,
                                                    const MsixVectorConfig& config);
  // Configured -> Enabled.
  Result<void> Enable(std::uint32_t index);
  // Enabled -> Configured; returns the eventfd and GSI whose route the caller takes down.
  Result<MsixVectorRelease> Disable(std::uint32_t index);
  // Configured -> Masked; returns the dropped configuration so the caller can close its
  // eventfd and free its GSI.
  Result<MsixVectorConfig> Mask(std::uint32_t index);

  Result<MsixVectorState> State(std::uint32_t index) const noexcept;
  // kNotConfigured for a Masked vector.
  Result<MsixVectorConfig> Config(std::uint32_t index) const noexcept;

  std::uint32_t size() const noexcept { return static_cast<std::uint32_t>(slots_.size()); }
  // Vectors holding a configuration: Configured or Enabled.
  std::uint32_t configured_count() const noexcept { return num_configured_; }
  std::uint32_t enabled_count() const noexcept { return num_enabled_; }

 private:
  struct Slot {
    MsixVectorState state = MsixVectorState::kMasked;
    MsixVectorConfig config;
  };

  explicit MsixVectors(std::uint32_t vectors) : slots_(vectors) {}

  Result<void> CheckIndex(std::uint32_t index) const noexcept;

  std::vector<Slot> slots_;
  std::uint32_t num_configured_ = 0;
  std::uint32_t num_enabled_ = 0;
};

}  // namespace vfio

template <>
struct std::is_error_code_enum<vfio::MsixVectorError> : std::true_type {};
