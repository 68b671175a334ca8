// Kernels for the map side of vfio/dma_map.h: one mapping against every type1 v2 rule, two
// mappings in every relative position, map -> unmap -> remap, and the entry limit. Depends on
// vfio/dma_map.h and the runner's kernel API only.
#include <cstdint>
#include <vector>

#include "kernels/internal/dma_invariants.h"
#include "kernels/kernel_params.h"
#include "kernels/kernel_types.h"
#include "runner/kernel.h"
#include "vfio/address.h"
#include "vfio/dma_map.h"

namespace vfio_kernels {
namespace {

using internal::CheckMapEffect;
using internal::CheckTracker;
using internal::kPage;
using internal::StatsOf;

// Host buffers far apart, so HVA ranges of different mappings never meet.
constexpr vfio::Hva kHvaA(0x7f00'0000'0000);
constexpr vfio::Hva kHvaB(0x7f80'0000'0000);
constexpr std::uint64_t kMapSize = 0x1'0000;  // 64 KiB

vfio::IovaRange Window(std::uint64_t first, std::uint64_t last) {
  const auto window = vfio::IovaRange::FromInclusive(vfio::Iova(first), vfio::Iova(last));
  KT_CHECK(window.has_value());
  return window.value();
}

vfio::DmaMapTracker::Options OptionsFor(IovaWindows windows) {
  vfio::DmaMapTracker::Options options;
  switch (windows) {
    case IovaWindows::kWholeSpace: break;
    case IovaWindows::kX86:
      // What Linux 6.1 reported under q35 + intel-iommu: the MSI doorbell page range is a
      // hole, and the address width is 39 bits.
      options.windows = {Window(0x0, 0xfedf'ffff), Window(0xfef0'0000, 0x7f'ffff'ffff)};
      break;
    case IovaWindows::kLow4GiB: options.windows = {Window(0x0, 0xffff'ffff)}; break;
  }
  return options;
}

bool InsideWindows(const vfio::DmaMapTracker::Options& options, vfio::Iova iova,
                   std::uint64_t size) {
  if (options.windows.empty()) return true;
  const std::uint64_t last = internal::LastOf(iova.value(), size);
  for (const vfio::IovaRange& w : options.windows) {
    if (iova >= w.start() && last <= w.last().value()) return true;
  }
  return false;
}

vfio::Iova IovaAt(IovaPlace place) {
  switch (place) {
    case IovaPlace::kZero: return vfio::Iova(0);
    case IovaPlace::kUnaligned: return vfio::Iova(0x10'0800);
    case IovaPlace::kFirstWindowEnd: return vfio::Iova(0xfedf'f000);
    case IovaPlace::kMsiHole: return vfio::Iova(0xfee0'0000);
    case IovaPlace::kSecondWindow: return vfio::Iova(0xfef0'0000);
    case IovaPlace::kBelow4GiB: return vfio::Iova(0xffff'f000);
    case IovaPlace::kAt4GiB: return vfio::Iova(0x1'0000'0000);
    case IovaPlace::kEnd39Bit: return vfio::Iova(0x7f'ffff'f000);
    case IovaPlace::kPast39Bit: return vfio::Iova(0x80'0000'0000);
    case IovaPlace::kTopPage: return vfio::Iova(0 - kPage);
  }
  return vfio::Iova(0);
}

struct HostSide {
  vfio::Hva hva;
  vfio::Perm perm;
};

HostSide HostSideOf(MapHost host) {
  switch (host) {
    case MapHost::kReadWrite: return {kHvaA, vfio::Perm::kReadWrite};
    case MapHost::kRead: return {kHvaA, vfio::Perm::kRead};
    case MapHost::kWrite: return {kHvaA, vfio::Perm::kWrite};
    case MapHost::kNoPermission: return {kHvaA, vfio::Perm::kNone};
    case MapHost::kUnknownPermBits: return {kHvaA, static_cast<vfio::Perm>(0x4)};
    case MapHost::kUnalignedHva: return {vfio::Hva(kHvaA.value() + 1), vfio::Perm::kReadWrite};
    case MapHost::kHvaTopPage: return {vfio::Hva(0 - kPage), vfio::Perm::kReadWrite};
  }
  return {kHvaA, vfio::Perm::kReadWrite};
}

// Where MapTwo puts B, relative to A = [a, a + a_size). The kernel's ranges keep every
// result inside [0, 2^33).
std::uint64_t PlaceSecond(std::uint64_t a, std::uint64_t a_size, MapOrder order,
                          std::uint64_t b_size) {
  switch (order) {
    case MapOrder::kGapAfter: return a + a_size + kPage;
    case MapOrder::kAdjacentAfter: return a + a_size;
    case MapOrder::kOverlapEnd: return a + a_size - kPage;
    case MapOrder::kSame: return a;
    case MapOrder::kInside: return a + kPage;
    case MapOrder::kCovering: return a - kPage;
    case MapOrder::kOverlapNext: return a - b_size + kPage;
    case MapOrder::kAdjacentBefore: return a - b_size;
    case MapOrder::kGapBefore: return a - b_size - kPage;
  }
  return a;
}

}  // namespace

// One mapping on an empty tracker. CheckMap predicts Map exactly; a refused map leaves the
// tracker empty; an accepted one obeys every type1 rule (size, alignment, no wrap, a
// permission, inside a window) and is found at both ends.
kt::result<DmaStats> MapOne(IovaPlace place, KT_RANGE(0, 0x40'0000) std::uint64_t size,
                            MapHost host, IovaWindows windows) {
  const vfio::DmaMapTracker::Options options = OptionsFor(windows);
  vfio::DmaMapTracker tracker(options);
  const vfio::Iova iova = IovaAt(place);
  const HostSide side = HostSideOf(host);
  const auto predicted = tracker.CheckMap(iova, side.hva, size, side.perm);
  const auto mapped = tracker.Map(iova, side.hva, size, side.perm);
  KT_CHECK(mapped.has_value() == predicted.has_value());
  CheckMapEffect({}, tracker, {iova, side.hva, size, side.perm}, mapped);
  if (!mapped) {
    KT_CHECK(mapped.error() == predicted.error());
    return mapped.error();
  }
  KT_CHECK(size != 0 && size % kPage == 0 && iova.IsAligned(kPage) && side.hva.IsAligned(kPage));
  KT_CHECK(size - 1 <= UINT64_MAX - iova.value() && size - 1 <= UINT64_MAX - side.hva.value());
  const auto bits = static_cast<std::uint8_t>(side.perm);
  KT_CHECK(bits >= 1 && bits <= 3);
  KT_CHECK(InsideWindows(options, iova, size));
  const auto last_hva = tracker.Translate(vfio::Iova(internal::LastOf(iova.value(), size)), 1);
  KT_CHECK(last_hva.has_value() && last_hva.value().value() == side.hva.value() + (size - 1));
  return StatsOf(tracker);
}
KT_KERNEL("dma.map_one", MapOne);

// A = a_pages pages from page a_page, then B placed by `order`. When B is well formed on its
// own, it is refused with kOverlap exactly when it shares a byte with A (before *or* after
// it) and accepted otherwise: adjacent mappings are allowed. A refusal changes nothing. A is
// counted in pages so that it is always well formed (map_one covers a malformed first
// mapping): every call set then reaches B, and the search spends itself on B's placement.
kt::result<DmaStats> MapTwo(KT_RANGE(0x800, 0xf'ffff) std::uint64_t a_page,
                            KT_RANGE(1, 0x400) std::uint64_t a_pages, MapOrder order,
                            KT_RANGE(0, 0x40'0000) std::uint64_t size_b, vfio::Perm perm) {
  vfio::DmaMapTracker tracker;
  const vfio::Iova iova_a(a_page * kPage);
  const std::uint64_t size_a = a_pages * kPage;
  KT_CHECK(tracker.Map(iova_a, kHvaA, size_a, vfio::Perm::kReadWrite).has_value());
  const vfio::Iova iova_b(PlaceSecond(iova_a.value(), size_a, order, size_b));
  KT_OBSERVE("iova_b", iova_b);
  const std::vector<vfio::DmaMapping> before = tracker.mappings();
  const bool well_formed = vfio::DmaMapTracker().CheckMap(iova_b, kHvaB, size_b, perm).has_value();
  const auto mapped = tracker.Map(iova_b, kHvaB, size_b, perm);
  CheckMapEffect(before, tracker, {iova_b, kHvaB, size_b, perm}, mapped);
  if (well_formed) {
    const bool overlap = internal::Intersect(iova_a.value(), size_a, iova_b.value(), size_b);
    KT_CHECK(overlap ? !mapped && mapped.error() == vfio::DmaError::kOverlap
                     : mapped.has_value());
  }
  if (!mapped) return mapped.error();
  return StatsOf(tracker);
}
KT_KERNEL("dma.map_two", MapTwo);

// Map, then `cycles` times unmap and map the same range again: every unmap removes exactly
// the mapping and every remap succeeds, leaving the tracker as after the first map.
kt::result<DmaStats> Remap(vfio::Iova iova, KT_RANGE(0, 0x40'0000) std::uint64_t size,
                           KT_RANGE(1, 3) unsigned cycles, vfio::Perm perm) {
  vfio::DmaMapTracker tracker;
  VFIO_TRY(tracker.Map(iova, kHvaA, size, perm));
  const std::vector<vfio::DmaMapping> mapped = tracker.mappings();
  for (unsigned i = 0; i < cycles; ++i) {
    const auto removed = tracker.Unmap(iova, size);
    KT_CHECK(removed.has_value() && removed.value() == size);
    KT_CHECK(tracker.count() == 0 && tracker.total_bytes() == 0);
    const auto again = tracker.Map(iova, kHvaA, size, perm);
    KT_CHECK(again.has_value());
    KT_CHECK(tracker.mappings() == mapped);
  }
  CheckTracker(tracker);
  return StatsOf(tracker);
}
KT_KERNEL("dma.remap", Remap);

// `maps` adjacent 64 KiB mappings against a limit of max_entries: the count never passes the
// limit, the limit is the only reason these maps fail, and with free_one an unmap makes room
// for the refused mapping.
kt::result<DmaStats> EntryLimit(KT_RANGE(0, 4) std::uint32_t max_entries,
                                KT_RANGE(0, 6) std::uint32_t maps, bool free_one) {
  vfio::DmaMapTracker::Options options;
  options.max_entries = max_entries;
  vfio::DmaMapTracker tracker(options);
  std::uint32_t refused = 0;
  for (std::uint32_t i = 0; i < maps; ++i) {
    const vfio::Iova iova((i + 1) * kMapSize);
    const vfio::Hva hva(kHvaA.value() + i * kMapSize);
    auto mapped = tracker.Map(iova, hva, kMapSize, vfio::Perm::kRead);
    KT_CHECK(tracker.count() <= max_entries);
    if (mapped) continue;
    KT_CHECK(mapped.error() == vfio::DmaError::kLimitReached && tracker.count() == max_entries);
    ++refused;
    if (!free_one || tracker.count() == 0) return mapped.error();
    const vfio::Iova lowest = tracker.mappings().front().iova;
    const auto removed = tracker.Unmap(lowest, kMapSize);
    KT_CHECK(removed.has_value() && removed.value() == kMapSize);
    mapped = tracker.Map(iova, hva, kMapSize, vfio::Perm::kRead);
    KT_CHECK(mapped.has_value());
  }
  KT_OBSERVE("refused", refused);
  CheckTracker(tracker);
  return StatsOf(tracker);
}
KT_KERNEL("dma.entry_limit", EntryLimit);

}  // namespace vfio_kernels
