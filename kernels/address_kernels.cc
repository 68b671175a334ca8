// Kernels for vfio/address.h: the GPA <-> IOVA mapping, checked arithmetic, alignment,
// ordering and half-open ranges. Depends on vfio/address.h and the runner's kernel API only.
#include <algorithm>
#include <compare>
#include <cstdint>
#include <type_traits>

#include "kernels/kernel_params.h"
#include "runner/kernel.h"
#include "vfio/address.h"

namespace vfio_kernels {
namespace {

constexpr std::uint64_t kPage = 0x1000;
// "Reasonable sizes": addresses and sizes below 2^48 (x86-64's widest physical and virtual
// spaces). Their sum stays below 2^49, so no checked operation on them may fail.
constexpr std::uint64_t kReasonable = std::uint64_t{1} << 48;

template <class A>
concept Addable = requires(A a) { a + a; };
template <class A, class B>
concept Comparable = requires(A a, B b) { a < b; };

// No address confusion, checked where it can only be checked: at compile time. GPA, HVA and
// IOVA are distinct types, none converts to another or to or from an integer, and no address
// can be added to another.
static_assert(!std::is_convertible_v<vfio::Gpa, vfio::Iova>);
static_assert(!std::is_convertible_v<vfio::Iova, vfio::Gpa>);
static_assert(!std::is_convertible_v<vfio::Gpa, vfio::Hva>);
static_assert(!std::is_convertible_v<vfio::Hva, vfio::Iova>);
static_assert(!std::is_convertible_v<std::uint64_t, vfio::Gpa>);
static_assert(!std::is_convertible_v<vfio::Iova, std::uint64_t>);
static_assert(!Addable<vfio::Gpa> && !Addable<vfio::Hva> && !Addable<vfio::Iova>);
static_assert(!Comparable<vfio::Gpa, vfio::Iova> && !Comparable<vfio::Hva, vfio::Gpa>);

// Whether v moved by |offset| (up or down) stays inside the 64-bit space, computed apart
// from the library's own Shift.
bool StaysInside(std::uint64_t v, std::int64_t offset, bool up) {
  const std::uint64_t magnitude = offset < 0 ? 0 - static_cast<std::uint64_t>(offset)
                                             : static_cast<std::uint64_t>(offset);
  return up ? magnitude <= UINT64_MAX - v : magnitude <= v;
}

}  // namespace

// GPA -> IOVA -> GPA (or the reverse) through an offset mapping: the round trip is exact, the
// identity mapping changes nothing, and a conversion fails only when it leaves the space.
kt::result<kt::Hex> GpaIovaRoundTrip(Direction direction, std::uint64_t address,
                                     std::int64_t offset) {
  const vfio::GpaIovaMapping mapping(offset);
  const bool to_iova = direction == Direction::kGpaToIova;
  // ToIova adds the offset, ToGpa subtracts it.
  const bool up = to_iova == (offset >= 0);
  if (to_iova) {
    const auto iova = mapping.ToIova(vfio::Gpa(address));
    KT_CHECK(iova.has_value() == StaysInside(address, offset, up));
    if (!iova) return iova.error();
    const auto back = mapping.ToGpa(iova.value());
    KT_CHECK(back.has_value() && back.value() == vfio::Gpa(address));
    KT_CHECK(offset != 0 || iova.value().value() == address);
    return kt::Hex(iova.value().value());
  }
  const auto gpa = mapping.ToGpa(vfio::Iova(address));
  KT_CHECK(gpa.has_value() == StaysInside(address, offset, up));
  if (!gpa) return gpa.error();
  const auto back = mapping.ToIova(gpa.value());
  KT_CHECK(back.has_value() && back.value() == vfio::Iova(address));
  KT_CHECK(offset != 0 || gpa.value().value() == address);
  return kt::Hex(gpa.value().value());
}
KT_KERNEL("address.gpa_iova_roundtrip", GpaIovaRoundTrip);

// base + n: fails exactly when the sum passes 2^64 - 1, never for reasonable sizes; the
// difference undoes it; page alignment survives adding a page multiple.
kt::result<vfio::Iova> CheckedAdd(vfio::Iova base, std::uint64_t n) {
  const auto sum = base.CheckedAdd(n);
  KT_CHECK(sum.has_value() == (n <= UINT64_MAX - base.value()));
  KT_CHECK(sum.has_value() || base.value() >= kReasonable || n >= kReasonable);
  if (!sum) return sum;
  KT_CHECK(sum.value() >= base);
  const auto diff = sum.value().CheckedDiff(base);
  KT_CHECK(diff.has_value() && diff.value() == n);
  KT_CHECK(!base.IsAligned(kPage) || n % kPage != 0 || sum.value().IsAligned(kPage));
  return sum;
}
KT_KERNEL("address.checked_add", CheckedAdd);

// hi - lo: fails exactly when lo > hi; lo + (hi - lo) == hi.
kt::result<kt::Hex> CheckedDiff(vfio::Gpa hi, vfio::Gpa lo) {
  const auto diff = hi.CheckedDiff(lo);
  KT_CHECK(diff.has_value() == (lo <= hi));
  if (!diff) return diff.error();
  const auto back = lo.CheckedAdd(diff.value());
  KT_CHECK(back.has_value() && back.value() == hi);
  return kt::Hex(diff.value());
}
KT_KERNEL("address.checked_diff", CheckedDiff);

// AlignUp and AlignDown bracket the address within one alignment step, both results are
// aligned, an aligned address is a fixed point of both, and AlignUp fails only for an
// alignment that is not a power of two or a result past 2^64 - 1.
kt::result<vfio::Hva> Align(vfio::Hva addr, KT_RANGE(0, 0x4000'0000) std::uint64_t align) {
  const auto up = addr.AlignUp(align);
  const bool power_of_two = align != 0 && (align & (align - 1)) == 0;
  KT_OBSERVE("aligned", addr.IsAligned(align));
  KT_CHECK(addr.IsAligned(align) == (power_of_two && addr.value() % align == 0));
  if (!power_of_two) {
    KT_CHECK(!up.has_value());
    return up;
  }
  const vfio::Hva down = addr.AlignDown(align);
  KT_CHECK(down.IsAligned(align) && down <= addr && addr.value() - down.value() < align);
  const bool aligned = down == addr;
  KT_CHECK(up.has_value() == (aligned || down.value() <= UINT64_MAX - align));
  if (!up) return up;
  KT_CHECK(up.value().IsAligned(align) && up.value() >= addr);
  KT_CHECK(up.value().value() - addr.value() < align);
  KT_CHECK(aligned == (up.value() == addr) && aligned == addr.IsAligned(align));
  return up;
}
KT_KERNEL("address.align", Align);

// Ordering of typed addresses is exactly the ordering of their values, in every space.
int Ordering(vfio::Gpa a, vfio::Gpa b) {
  const std::strong_ordering typed = a <=> b;
  KT_CHECK(typed == (a.value() <=> b.value()));
  KT_CHECK((a == b) == (a.value() == b.value()) && (a < b) == (a.value() < b.value()));
  const vfio::Iova ia(a.value()), ib(b.value());
  const vfio::Hva ha(a.value()), hb(b.value());
  KT_CHECK((ia <=> ib) == typed && (ha <=> hb) == typed);
  return typed < 0 ? -1 : typed > 0 ? 1 : 0;
}
KT_KERNEL("address.ordering", Ordering);

// Range::Make refuses zero size and wrap-around and nothing else; a made range round-trips
// through FromInclusive, contains both ends, and overlaps a probe range exactly when they
// share a byte, symmetrically.
kt::result<vfio::Iova> RangeMake(vfio::Iova start, std::uint64_t size, RangeProbe probe) {
  const auto range = vfio::IovaRange::Make(start, size);
  KT_CHECK(range.has_value() == (size != 0 && size - 1 <= UINT64_MAX - start.value()));
  if (!range) return range.error();
  const vfio::IovaRange& r = range.value();
  KT_CHECK(r.start() == start && r.size() == size);
  KT_CHECK(r.last().value() - start.value() == size - 1);
  const auto inclusive = vfio::IovaRange::FromInclusive(r.start(), r.last());
  KT_CHECK(inclusive.has_value() && inclusive.value() == r);
  KT_CHECK(r.Contains(r.start()) && r.Contains(r.last()) && r.Contains(r));

  std::uint64_t other_start = 0;
  std::uint64_t other_size = kPage;
  switch (probe) {
    case RangeProbe::kBeforeStart:
      if (start.value() == 0) return r.last();  // nothing lies before the space
      other_size = 1;
      other_start = start.value() - 1;
      break;
    case RangeProbe::kAtStart: other_start = start.value(); break;
    case RangeProbe::kAtLast: other_start = r.last().value(); break;
    case RangeProbe::kAdjacentAfter:
      if (r.last().value() == UINT64_MAX) return r.last();  // nothing lies after it
      other_start = r.last().value() + 1;
      break;
    case RangeProbe::kWholeRange:
      other_start = start.value();
      other_size = size;
      break;
  }
  // Clip the probe to the space: a range may end at 2^64 - 1 but not pass it.
  if (other_start != 0) other_size = std::min(other_size, UINT64_MAX - other_start + 1);
  const auto other = vfio::IovaRange::Make(vfio::Iova(other_start), other_size);
  KT_CHECK(other.has_value());
  const bool overlaps = r.Overlaps(other.value());
  KT_OBSERVE("overlaps", overlaps);
  KT_CHECK(overlaps == other.value().Overlaps(r));
  KT_CHECK(overlaps == (r.Contains(other.value().start()) || other.value().Contains(r.start())));
  KT_CHECK(!r.Contains(other.value()) || overlaps);
  return r.last();
}
KT_KERNEL("address.range_make", RangeMake);

// FromInclusive refuses last < first and the whole 2^64-byte space (its size does not fit)
// and nothing else; the result round-trips through Make.
kt::result<kt::Hex> RangeInclusive(vfio::Iova first, vfio::Iova last) {
  const auto range = vfio::IovaRange::FromInclusive(first, last);
  const bool whole_space = first.value() == 0 && last.value() == UINT64_MAX;
  KT_CHECK(range.has_value() == (first <= last && !whole_space));
  if (!range) return range.error();
  KT_CHECK(range.value().start() == first && range.value().last() == last);
  const auto made = vfio::IovaRange::Make(first, range.value().size());
  KT_CHECK(made.has_value() && made.value() == range.value());
  return kt::Hex(range.value().size());
}
KT_KERNEL("address.range_inclusive", RangeInclusive);

}  // namespace vfio_kernels
