// The small structs VFIO kernels return or observe, each with one canonical spelling
// (KtPrint, see runner/print.h): Name{field=value, ...}, addresses and sizes in hex.
// Depends on runner/print.h and the plain enums of vfio/msix.h and vfio/msix_vectors.h;
// never on a kernel or on vfio/passthrough.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>

#include "vfio/msix.h"
#include "vfio/msix_vectors.h"

namespace vfio_kernels {

// A DMA tracker after a kernel: DmaStats{count=2, bytes=0x20000}.
struct DmaStats {
  std::size_t count = 0;
  std::uint64_t bytes = 0;
  friend bool operator==(const DmaStats&, const DmaStats&) = default;
};
void KtPrint(std::ostream& os, const DmaStats& s);

// Two BAR addresses: BarPair{a=0xc0000000, b=0xc0100000}.
struct BarPair {
  std::uint64_t a = 0;
  std::uint64_t b = 0;
};
void KtPrint(std::ostream& os, const BarPair& p);

// A run of BAR allocations: Placed{count=3, lowest=0xc0000000, highest=0xc0400000}.
struct Placed {
  std::size_t count = 0;
  std::uint64_t lowest = 0;
  std::uint64_t highest = 0;
};
void KtPrint(std::ostream& os, const Placed& p);

// An AddressAllocator: Pool{first=0x0, last=0xfffff, count=1, bytes=0x1000}.
struct PoolView {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  std::size_t count = 0;
  std::uint64_t bytes = 0;
};
void KtPrint(std::ostream& os, const PoolView& p);

// MSI-X structure sizes: MsixSizes{table=0x50, pba=0x8}.
struct MsixSizes {
  std::uint64_t table = 0;
  std::uint64_t pba = 0;
};
void KtPrint(std::ostream& os, const MsixSizes& s);

// Message Control after the guest's writes: Control{value=0x8004, events=3}.
struct ControlView {
  std::uint16_t value = 0;
  std::size_t events = 0;
};
void KtPrint(std::ostream& os, const ControlView& c);

// One vector's fire and what followed: Delivery{fire=pending, delivered=1, pending=false}.
struct DeliveryView {
  vfio::MsixEventKind fire = vfio::MsixEventKind::kDeliver;
  std::size_t delivered = 0;
  bool pending = false;
};
void KtPrint(std::ostream& os, const DeliveryView& d);

// A vector of the VMM-side state machine: Vector{state=enabled, configured=1, enabled=1}.
struct VectorView {
  vfio::MsixVectorState state = vfio::MsixVectorState::kMasked;
  std::uint32_t configured = 0;
  std::uint32_t enabled = 0;
};
void KtPrint(std::ostream& os, const VectorView& v);

// Counts of the state machine: Vectors{configured=2, enabled=1}.
struct VectorCounts {
  std::uint32_t configured = 0;
  std::uint32_t enabled = 0;
};
void KtPrint(std::ostream& os, const VectorCounts& v);

// A BAR as the guest reads it: Bar{address=0x80000000, low=0x80000008, high=0x0}.
struct BarView {
  std::uint64_t address = 0;
  std::uint32_t low = 0;
  std::uint32_t high = 0;  // the upper dword of a 64-bit BAR, else 0
};
void KtPrint(std::ostream& os, const BarView& b);

// A capability walk: Caps{count=2, first=0x40, last=0x50}; first and last 0 when empty.
struct CapWalk {
  std::size_t count = 0;
  std::uint16_t first = 0;
  std::uint16_t last = 0;
};
void KtPrint(std::ostream& os, const CapWalk& w);

// A parsed MSI-X capability:
// MsixCap{offset=0x48, vectors=5, table=3+0x0, pba=3+0x800, enabled=false, masked=false}.
struct MsixCapView {
  std::uint16_t offset = 0;
  std::uint32_t vectors = 0;
  std::uint8_t table_bir = 0;
  std::uint32_t table_offset = 0;
  std::uint8_t pba_bir = 0;
  std::uint32_t pba_offset = 0;
  bool enabled = false;
  bool function_masked = false;
};
void KtPrint(std::ostream& os, const MsixCapView& m);

// What CapabilityBuilder laid out: Layout{legacy=2, last=0x50, extended=0x100}.
struct BuilderView {
  std::size_t legacy = 0;
  std::uint16_t last_legacy = 0;
  std::uint16_t extended = 0;
};
void KtPrint(std::ostream& os, const BuilderView& b);

// Vectors in use at once: Coexist{vectors=5, active=5, delivered=5}.
struct CoexistView {
  std::uint32_t vectors = 0;
  std::uint32_t active = 0;
  std::size_t delivered = 0;
};
void KtPrint(std::ostream& os, const CoexistView& c);

}  // namespace vfio_kernels
