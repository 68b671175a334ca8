// MSI-X for a passed-through function: MsixState's events turned into SET_IRQS calls, eventfds
// and MsixVectors routes. Talks to the kernel only through vfio::Device and vfio::Backend.
#include "vfio/internal/passthrough_msix.h"

#include <linux/vfio.h>

#include <algorithm>
#include <utility>

namespace vfio::internal {
namespace {

constexpr std::uint32_t kMsixIndex = VFIO_PCI_MSIX_IRQ_INDEX;

// [start, start + length) meets [offset, offset + size). All operands are below 2^33 + 8 in
// practice, but the comparison is written so that no sum can wrap for any input.
bool Meets(std::uint64_t start, std::uint64_t length, std::uint64_t offset, std::uint32_t size) {
  return offset < start ? start - offset < size : offset - start < length;
}

}  // namespace

Result<PassthroughMsix> PassthroughMsix::Create(
    Device& device, Backend& backend, const MsixCapability& capability,
    std::span<const std::uint64_t, kMsixBarCount> bar_sizes,
    std::span<const bool, kMsixBarCount> io_bars, std::uint32_t gsi_base) {
  const MsixLayout layout{capability.vectors, capability.table_bir, capability.table_offset,
                          capability.pba_bir, capability.pba_offset};
  // The BIRs are <= 5 here: ParseMsixCapability refuses 6 and 7.
  if (io_bars[layout.table_bir] || io_bars[layout.pba_bir])
    return make_error_code(PassthroughError::kMsixInIoBar);
  VFIO_TRY(state, MsixState::Create(layout, bar_sizes));
  VFIO_TRY(vectors, MsixVectors::Create(layout.vectors));
  VFIO_TRY(kernel_vectors, device.IrqCount(kMsixIndex));
  if (kernel_vectors < layout.vectors)
    return make_error_code(PassthroughError::kMsixVectorsUnsupported);
  if (gsi_base > UINT32_MAX - (layout.vectors - 1))
    return make_error_code(PassthroughError::kGsiOverflow);
  return PassthroughMsix(device, backend, std::move(state), std::move(vectors), gsi_base);
}

PassthroughMsix::PassthroughMsix(Device& device, Backend& backend, MsixState state,
                                 MsixVectors vectors, std::uint32_t gsi_base)
    : device_(&device),
      backend_(&backend),
      state_(std::move(state)),
      vectors_(std::move(vectors)),
      gsi_base_(gsi_base),
      eventfds_(state_.size()),
      queued_(state_.size(), false) {}

bool PassthroughMsix::Claims(std::uint32_t bir, std::uint64_t offset,
                             std::uint32_t size) const noexcept {
  const MsixLayout& l = state_.layout();
  return (bir == l.table_bir && Meets(l.table_offset, MsixTableBytes(l.vectors), offset, size)) ||
         (bir == l.pba_bir && Meets(l.pba_offset, MsixPbaBytes(l.vectors), offset, size));
}

Result<std::uint64_t> PassthroughMsix::ReadBar(std::uint32_t bir, std::uint64_t offset,
                                               std::uint32_t size) const noexcept {
  return state_.ReadBar(bir, offset, size);
}

Result<void> PassthroughMsix::WriteBar(std::uint32_t bir, std::uint64_t offset,
                                       std::uint32_t size, std::uint64_t value) {
  // The value being replaced is what an undo writes back; reading it also checks the access.
  VFIO_TRY(old, state_.ReadBar(bir, offset, size));
  VFIO_TRY(events, state_.WriteBar(bir, offset, size, value));
  std::size_t applied = 0;
  if (Result<void> done = Apply(events, applied); !done) {
    Result<std::vector<MsixEvent>> undo = state_.WriteBar(bir, offset, size, old);
    Undo(events, applied, undo ? std::move(undo).value() : std::vector<MsixEvent>{});
    return done.error();
  }
  return success();
}

Result<void> PassthroughMsix::WriteControl(std::uint16_t value) {
  const std::uint16_t old = state_.ReadControl();
  const std::vector<MsixEvent> events = state_.WriteControl(value);
  std::size_t applied = 0;
  if (Result<void> done = Apply(events, applied); !done) {
    Undo(events, applied, state_.WriteControl(old));
    return done.error();
  }
  return success();
}

Result<std::uint32_t> PassthroughMsix::Poll() {
  std::uint32_t fired = 0;
  for (std::uint32_t v = 0; v < eventfds_.size(); ++v) {
    if (!eventfds_[v].valid()) continue;
    VFIO_TRY(count, ReadEventfd(*backend_, eventfds_[v].get()));
    if (count == 0) continue;
    ++fired;
    VFIO_TRY(event, state_.Fire(v));
    if (event.kind == MsixEventKind::kDeliver) Queue(v, event.message);
  }
  return fired;
}

std::vector<MsiDelivery> PassthroughMsix::TakeDeliveries() {
  for (const MsiDelivery& d : outbox_) queued_[d.vector] = false;
  return std::exchange(outbox_, {});
}

Result<void> PassthroughMsix::Apply(std::span<const MsixEvent> events, std::size_t& applied) {
  for (applied = 0; applied < events.size(); ++applied) {
    VFIO_TRY(ApplyOne(events[applied]));
  }
  return success();
}

Result<void> PassthroughMsix::ApplyOne(const MsixEvent& event) {
  switch (event.kind) {
    case MsixEventKind::kEnabled: return EnableInKernel();
    case MsixEventKind::kDisabled: return DisableInKernel();
    case MsixEventKind::kUnmasked:
    case MsixEventKind::kRouteUpdate: return Route(event.vector, event.message);
    case MsixEventKind::kMasked: Unroute(event.vector); return success();
    case MsixEventKind::kDeliver: Queue(event.vector, event.message); return success();
    case MsixEventKind::kPending: return success();  // the PBA holds it
  }
  return success();
}

Result<void> PassthroughMsix::EnableInKernel() {
  // An undo can re-enable what the kernel never stopped; SET_IRQS would then unbind every
  // vector instead.
  if (kernel_enabled_) return success();
  // vfio-pci (6.1, no dynamic MSI-X) sizes the vector block when MSI-X is enabled, so it is
  // enabled for all N at once; -1 leaves a vector without a trigger until it is unmasked.
  const std::vector<int> unbound(state_.size(), -1);
  VFIO_TRY(device_->SetIrqEventfds(kMsixIndex, 0, unbound));
  kernel_enabled_ = true;
  return success();
}

Result<void> PassthroughMsix::DisableInKernel() {
  if (kernel_enabled_) {
    VFIO_TRY(device_->DisableIrqs(kMsixIndex));
    kernel_enabled_ = false;
  }
  for (std::uint32_t v = 0; v < vectors_.size(); ++v) {
    Unroute(v);
    (void)vectors_.Mask(v);  // kNotConfigured for a vector never routed: nothing to drop
    eventfds_[v].Reset();
  }
  return success();
}

Result<void> PassthroughMsix::Route(std::uint32_t vector, const MsiMessage& message) {
  ScopedFd& eventfd = eventfds_[vector];
  if (!eventfd.valid()) {
    VFIO_TRY(created, CreateEventfd(*backend_));
    const int fd = created.get();
    VFIO_TRY(device_->SetIrqEventfds(kMsixIndex, vector, std::span<const int>(&fd, 1)));
    eventfd = std::move(created);
  }
  Unroute(vector);  // a route update replaces the message of an Enabled vector
  VFIO_TRY(vectors_.Configure(vector, {message, eventfd.get(), gsi_base_ + vector}));
  return vectors_.Enable(vector);
}

void PassthroughMsix::Unroute(std::uint32_t vector) {
  // kNotEnabled when the vector is not routed, which is the state wanted.
  (void)vectors_.Disable(vector);
}

void PassthroughMsix::Queue(std::uint32_t vector, const MsiMessage& message) {
  if (!queued_[vector]) {
    outbox_.push_back({vector, message});
    queued_[vector] = true;
    return;
  }
  const auto it = std::find_if(outbox_.begin(), outbox_.end(),
                               [&](const MsiDelivery& d) { return d.vector == vector; });
  if (it != outbox_.end()) it->message = message;
}

void PassthroughMsix::Undo(std::span<const MsixEvent> events, std::size_t applied,
                           std::vector<MsixEvent> undo_events) {
  for (const MsixEvent& event : undo_events) (void)ApplyOne(event);
  for (std::size_t i = applied; i < events.size(); ++i) {
    if (events[i].kind != MsixEventKind::kDeliver) continue;
    // The unmask that released this vector's pending bit did not happen after all.
    Result<MsixEvent> fired = state_.Fire(events[i].vector);
    if (fired && fired.value().kind == MsixEventKind::kDeliver)
      Queue(events[i].vector, fired.value().message);
  }
}

}  // namespace vfio::internal
