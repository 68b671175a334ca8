// PassthroughDevice's MSI-X: the emulated table, PBA and Message Control (MsixState), the
// vector routes (MsixVectors), the per-vector eventfds bound through SET_IRQS, and the MSIs
// waiting to be injected. Depends on vfio/msix.h, vfio/msix_vectors.h and vfio/vfio_device.h;
// included by the passthrough files only.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "vfio/capabilities.h"
#include "vfio/msix.h"
#include "vfio/msix_vectors.h"
#include "vfio/passthrough.h"
#include "vfio/result.h"
#include "vfio/vfio_device.h"

namespace vfio::internal {

// Applies MsixState's events to the kernel and to MsixVectors:
//   kEnabled     SET_IRQS(MSI-X, 0..N-1, all -1): MSI-X on in the device, no vector bound
//                (QEMU enables it as soon as the guest does, as some devices need that)
//   kUnmasked    an eventfd for the vector (created and bound with SET_IRQS the first time),
//                then Configure + Enable with GSI gsi_base + v
//   kRouteUpdate Disable, Configure with the new message, Enable
//   kMasked      Disable: the eventfd stays bound, so a fire while masked reaches Poll and
//                sets the pending bit
//   kDeliver     queued for TakeDeliveries
//   kDisabled    SET_IRQS(DATA_NONE, count 0), every route and eventfd dropped
// When the kernel refuses a step, the guest write is undone by writing back the value it
// replaced, the undo's events are applied without checking, and a pending bit consumed by an
// unapplied kDeliver is set again; then the error is returned. Thread-compatible; move-only.
// `device` and `backend` must outlive it.
class PassthroughMsix {
 public:
  // kMsixInIoBar, MsixState's layout errors, kMsixVectorsUnsupported when the kernel's MSI-X
  // count is below N, kGsiOverflow.
  static Result<PassthroughMsix> Create(Device& device, Backend& backend,
                                        const MsixCapability& capability,
                                        std::span<const std::uint64_t, kMsixBarCount> bar_sizes,
                                        std::span<const bool, kMsixBarCount> io_bars,
                                        std::uint32_t gsi_base);

  // Whether [offset, offset + size) of BAR `bir` meets the table or the PBA.
  bool Claims(std::uint32_t bir, std::uint64_t offset, std::uint32_t size) const noexcept;
  Result<std::uint64_t> ReadBar(std::uint32_t bir, std::uint64_t offset,
                                std::uint32_t size) const noexcept;
  Result<void> WriteBar(std::uint32_t bir, std::uint64_t offset, std::uint32_t size,
                        std::uint64_t value);
  std::uint16_t ReadControl() const noexcept { return state_.ReadControl(); }
  Result<void> WriteControl(std::uint16_t value);

  // See PassthroughDevice::PollInterrupts and TakeInterrupts.
  Result<std::uint32_t> Poll();
  std::vector<MsiDelivery> TakeDeliveries();

  const MsixState& state() const noexcept { return state_; }
  const MsixVectors& vectors() const noexcept { return vectors_; }

 private:
  PassthroughMsix(Device& device, Backend& backend, MsixState state, MsixVectors vectors,
                  std::uint32_t gsi_base);

  // Applies events in order; `applied` counts those that took effect.
  Result<void> Apply(std::span<const MsixEvent> events, std::size_t& applied);
  Result<void> ApplyOne(const MsixEvent& event);
  Result<void> EnableInKernel();
  Result<void> DisableInKernel();
  Result<void> Route(std::uint32_t vector, const MsiMessage& message);
  void Unroute(std::uint32_t vector);
  void Queue(std::uint32_t vector, const MsiMessage& message);
  // The recovery described above, after Apply stopped at events[applied].
  void Undo(std::span<const MsixEvent> events, std::size_t applied,
            std::vector<MsixEvent> undo_events);

  Device* device_;
  Backend* backend_;
  MsixState state_;
  MsixVectors vectors_;
  std::uint32_t gsi_base_;
  bool kernel_enabled_ = false;     // SET_IRQS has MSI-X on in the device
  std::vector<ScopedFd> eventfds_;  // by vector; invalid until first unmasked
  std::vector<MsiDelivery> outbox_;
  std::vector<bool> queued_;  // by vector: an entry of outbox_ holds it
};

}  // namespace vfio::internal
