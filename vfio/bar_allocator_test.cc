// Tests for vfio/bar_allocator.h: natural alignment, window routing, the 4 GiB limit, exact
// frees, and randomized sequences checking the placement invariants.
#include "vfio/bar_allocator.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace vfio {
namespace {

template <class T>
std::error_code ErrorOf(const Result<T>& r) {
  return r.has_error() ? r.error() : std::error_code();
}

constexpr AllocError kOk{};
constexpr std::uint64_t kKiB = 1024;
constexpr std::uint64_t kMiB = 1024 * kKiB;
constexpr std::uint64_t kGiB = 1024 * kMiB;

GpaRange Window(std::uint64_t start, std::uint64_t size) {
  return GpaRange::Make(Gpa(start), size).value();
}

// Window starts that are deliberately not aligned to large BAR sizes, so alignment is never
// satisfied by accident.
constexpr std::uint64_t kIoStart = 0x1000;
constexpr std::uint64_t kMmio32Start = 0xc100'0000;  // 16 MiB aligned, not 256 MiB
constexpr std::uint64_t kMmio64Start = 0x40'0010'0000;
constexpr std::uint64_t kPrefStart = 0x100'0000'0000;

BarWindows TestWindows(bool with_pref = true) {
  BarWindows w{.io = Window(kIoStart, 0xf000),
               .mmio32 = Window(kMmio32Start, BarAllocator::k4GiB - kMmio32Start),
               .mmio64 = Window(kMmio64Start, 64 * kGiB),
               .mmio64_pref = std::nullopt};
  if (with_pref) w.mmio64_pref = Window(kPrefStart, 1024 * kGiB);
  return w;
}

BarAllocator TestAllocator(bool with_pref = true) {
  return BarAllocator::Create(TestWindows(with_pref)).value();
}

TEST(BarAllocatorTest, CreateRequiresTheIoAndMmio32WindowsToEndBy4GiB) {
  struct Case {
    const char* what;
    std::uint64_t io_start, io_size, mmio32_start, mmio32_size;
    AllocError error;
  };
  constexpr std::uint64_t k4G = BarAllocator::k4GiB;
  constexpr Case kCases[] = {
      {"both low", 0x1000, 0xf000, 0xc000'0000, 0x4000'0000, kOk},
      {"mmio32 ends one byte above", 0x1000, 0xf000, 0xc000'0000, 0x4000'0001,
       AllocError::kWindowAbove4GiB},
      {"mmio32 entirely above", 0x1000, 0xf000, k4G, 0x1000, AllocError::kWindowAbove4GiB},
      {"io ends above", k4G - 0x1000, 0x2000, 0xc000'0000, 0x1000,
       AllocError::kWindowAbove4GiB},
  };
  for (const Case& c : kCases) {
    const BarWindows w{.io = Window(c.io_start, c.io_size),
                       .mmio32 = Window(c.mmio32_start, c.mmio32_size),
                       .mmio64 = Window(0x40'0000'0000, kGiB),
                       .mmio64_pref = std::nullopt};
    const auto bars = BarAllocator::Create(w);
    if (c.error != kOk) {
      EXPECT_EQ(ErrorOf(bars), c.error) << c.what;
    } else {
      EXPECT_TRUE(bars) << c.what << ": " << ErrorOf(bars).message();
    }
  }
}

TEST(BarAllocatorTest, RejectsZeroAndNonPowerOfTwoSizes) {
  struct Case {
    BarKind kind;
    std::uint64_t size;
    AllocError error;
  };
  constexpr Case kCases[] = {
      {BarKind::kIo, 0, AllocError::kZeroSize},
      {BarKind::kMem32, 0, AllocError::kZeroSize},
      {BarKind::kMem64, 0, AllocError::kZeroSize},
      {BarKind::kIo, 12, AllocError::kSizeNotPowerOfTwo},
      {BarKind::kMem32, 0x3000, AllocError::kSizeNotPowerOfTwo},
      {BarKind::kMem64, 0x1800'0000, AllocError::kSizeNotPowerOfTwo},
      {BarKind::kMem64, UINT64_MAX, AllocError::kSizeNotPowerOfTwo},
  };
  for (const Case& c : kCases) {
    BarAllocator bars = TestAllocator();
    const BarInfo bar{c.kind, /*prefetchable=*/false, c.size};
    EXPECT_EQ(ErrorOf(bars.Allocate(bar)), c.error) << c.size;
    EXPECT_EQ(ErrorOf(bars.Free(Gpa(kMmio32Start), bar)), c.error) << c.size;
    EXPECT_EQ(bars.PoolFor(bar).count(), 0u);
  }
}

// The property suite's example: a 256 MiB BAR satisfies addr & 0x0fff'ffff == 0 in every
// window. A 4 KiB BAR goes first, so the big one never lands on a boundary by luck.
TEST(BarAllocatorTest, PlacesA256MiBBarOnA256MiBBoundary) {
  struct Case {
    BarKind kind;
    bool prefetchable;
    std::uint64_t expected;  // the first 256 MiB boundary above the 4 KiB BAR
  };
  constexpr Case kCases[] = {
      {BarKind::kMem32, false, 0xd000'0000},
      {BarKind::kMem64, false, 0x40'1000'0000},
      {BarKind::kMem64, true, kPrefStart + 256 * kMiB},
  };
  for (const Case& c : kCases) {
    BarAllocator bars = TestAllocator();
    ASSERT_TRUE(bars.Allocate({c.kind, c.prefetchable, 4 * kKiB}));
    const auto addr = bars.Allocate({c.kind, c.prefetchable, 256 * kMiB});
    ASSERT_TRUE(addr) << ErrorOf(addr).message();
    EXPECT_EQ(addr.value().value() & 0x0fff'ffff, 0u) << std::hex << addr.value().value();
    EXPECT_EQ(addr.value(), Gpa(c.expected));
  }
}

// One allocator, BARs in the order a VMM would meet them; each address is exact.
TEST(BarAllocatorTest, AlignsEveryBarToItsSizeAndMmioToAtLeastAPage) {
  struct Step {
    const char* what;
    BarInfo bar;
    std::uint64_t expected;
  };
  const Step kSteps[] = {
      {"16-byte mmio32 takes a page", {BarKind::kMem32, false, 16}, kMmio32Start},
      {"next sub-page BAR on the next page", {BarKind::kMem32, false, 16}, kMmio32Start + 0x1000},
      {"1 MiB on a 1 MiB boundary", {BarKind::kMem32, false, kMiB}, kMmio32Start + kMiB},
      {"8 KiB above it", {BarKind::kMem32, false, 8 * kKiB}, kMmio32Start + 2 * kMiB},
      {"32-bit prefetchable stays low", {BarKind::kMem32, true, 4 * kKiB},
       kMmio32Start + 2 * kMiB + 8 * kKiB},
      {"4-byte I/O", {BarKind::kIo, false, 4}, kIoStart},
      {"32-byte I/O on 32", {BarKind::kIo, false, 0x20}, kIoStart + 0x20},
      {"4-byte I/O above it", {BarKind::kIo, false, 4}, kIoStart + 0x40},
      {"16 KiB mmio64", {BarKind::kMem64, false, 16 * kKiB}, kMmio64Start},
      {"2 MiB mmio64", {BarKind::kMem64, false, 2 * kMiB}, 0x40'0020'0000},
      {"64 KiB prefetchable", {BarKind::kMem64, true, 64 * kKiB}, kPrefStart},
      {"1 GiB prefetchable", {BarKind::kMem64, true, kGiB}, kPrefStart + kGiB},
  };
  BarAllocator bars = TestAllocator();
  for (const Step& s : kSteps) {
    const auto addr = bars.Allocate(s.bar);
    ASSERT_TRUE(addr) << s.what << ": " << ErrorOf(addr).message();
    EXPECT_EQ(addr.value(), Gpa(s.expected)) << s.what << std::hex << " got "
                                             << addr.value().value();
    EXPECT_TRUE(addr.value().IsAligned(s.bar.size)) << s.what;
    EXPECT_EQ(BarAlignment(s.bar).value(),
              s.bar.kind == BarKind::kIo ? s.bar.size : std::max<std::uint64_t>(s.bar.size, 4096))
        << s.what;
  }
}

TEST(BarAllocatorTest, RoutesEachKindToItsWindow) {
  struct Case {
    const char* what;
    BarKind kind;
    bool prefetchable;
    bool pref_window;
    std::uint64_t window_start;
  };
  constexpr Case kCases[] = {
      {"I/O", BarKind::kIo, false, true, kIoStart},
      {"32-bit", BarKind::kMem32, false, true, kMmio32Start},
      {"32-bit prefetchable", BarKind::kMem32, true, true, kMmio32Start},
      {"64-bit", BarKind::kMem64, false, true, kMmio64Start},
      {"64-bit prefetchable", BarKind::kMem64, true, true, kPrefStart},
      {"64-bit prefetchable, no pref window", BarKind::kMem64, true, false, kMmio64Start},
  };
  for (const Case& c : kCases) {
    BarAllocator bars = TestAllocator(c.pref_window);
    const BarInfo bar{c.kind, c.prefetchable, 4 * kKiB};
    const auto addr = bars.Allocate(bar);
    ASSERT_TRUE(addr) << c.what;
    EXPECT_EQ(bars.PoolFor(bar).base(), c.window_start) << c.what;
    EXPECT_EQ(bars.PoolFor(bar).allocations(),
              (std::vector<Allocation>{{addr.value().value(), bar.size}}))
        << c.what;
  }
}

TEST(BarAllocatorTest, OutOfSpaceIsAnErrorNotAWrap) {
  // A high window ending at 2^64 - 1 and a 32-bit window ending at 4 GiB.
  const BarWindows w{.io = Window(0x1000, 0x1000),
                     .mmio32 = Window(0xf000'0000, 256 * kMiB),
                     .mmio64 = Window(0 - kGiB, kGiB),
                     .mmio64_pref = std::nullopt};
  BarAllocator bars = BarAllocator::Create(w).value();
  EXPECT_EQ(bars.Allocate({BarKind::kMem64, false, 512 * kMiB}).value(), Gpa(0 - kGiB));
  EXPECT_EQ(bars.Allocate({BarKind::kMem64, false, 512 * kMiB}).value(),
            Gpa(0 - 512 * kMiB));
  EXPECT_EQ(ErrorOf(bars.Allocate({BarKind::kMem64, false, 4 * kKiB})),
            AllocError::kOutOfSpace);
  EXPECT_EQ(ErrorOf(bars.Allocate({BarKind::kMem64, false, 2 * kGiB})),
            AllocError::kOutOfSpace);
  EXPECT_EQ(bars.Allocate({BarKind::kMem32, false, 128 * kMiB}).value(), Gpa(0xf000'0000));
  EXPECT_EQ(bars.Allocate({BarKind::kMem32, false, 128 * kMiB}).value(), Gpa(0xf800'0000));
  EXPECT_EQ(ErrorOf(bars.Allocate({BarKind::kMem32, false, 16})), AllocError::kOutOfSpace);
  EXPECT_EQ(ErrorOf(bars.Allocate({BarKind::kIo, false, 0x2000})), AllocError::kOutOfSpace);
}

// Against one 1 MiB 32-bit BAR and one 16-byte 32-bit BAR.
TEST(BarAllocatorTest, FreeNeedsAnExactMatch) {
  struct Case {
    const char* what;
    std::uint64_t addr;
    BarInfo bar;
    AllocError error;
  };
  constexpr std::uint64_t kBig = 0xc110'0000;  // where the 1 MiB BAR lands
  constexpr std::uint64_t kSmall = 0xc120'0000;
  const Case kCases[] = {
      {"inside the BAR", kBig + 0x1000, {BarKind::kMem32, false, kMiB}, AllocError::kNotAllocated},
      {"never allocated", 0xd000'0000, {BarKind::kMem32, false, kMiB}, AllocError::kNotAllocated},
      {"other window", kBig, {BarKind::kMem64, false, kMiB}, AllocError::kNotAllocated},
      {"smaller size", kBig, {BarKind::kMem32, false, 4 * kKiB}, AllocError::kSizeMismatch},
      {"larger size", kBig, {BarKind::kMem32, false, 2 * kMiB}, AllocError::kSizeMismatch},
      {"sub-page size differs", kSmall, {BarKind::kMem32, false, 32}, AllocError::kSizeMismatch},
      {"zero size", kBig, {BarKind::kMem32, false, 0}, AllocError::kZeroSize},
      {"bad size", kBig, {BarKind::kMem32, false, 0x3000}, AllocError::kSizeNotPowerOfTwo},
      {"exact big", kBig, {BarKind::kMem32, false, kMiB}, kOk},
      {"exact small", kSmall, {BarKind::kMem32, false, 16}, kOk},
  };
  for (const Case& c : kCases) {
    BarAllocator bars = TestAllocator();
    ASSERT_EQ(bars.Allocate({BarKind::kMem32, false, 16}).value(), Gpa(kMmio32Start));
    ASSERT_EQ(bars.Allocate({BarKind::kMem32, false, kMiB}).value(), Gpa(kBig));
    ASSERT_EQ(bars.Allocate({BarKind::kMem32, false, 16}).value(), Gpa(kSmall));
    const auto r = bars.Free(Gpa(c.addr), c.bar);
    const std::size_t live = bars.PoolFor({BarKind::kMem32, false, 16}).count();
    if (c.error != kOk) {
      EXPECT_EQ(ErrorOf(r), c.error) << c.what;
      EXPECT_EQ(live, 3u) << c.what;
    } else {
      EXPECT_TRUE(r) << c.what << ": " << ErrorOf(r).message();
      EXPECT_EQ(live, 2u) << c.what;
      EXPECT_EQ(ErrorOf(bars.Free(Gpa(c.addr), c.bar)), AllocError::kNotAllocated) << c.what;
    }
  }
}

TEST(BarAllocatorTest, FreeingTheHighestBarLetsItsSpaceBeReused) {
  BarAllocator bars = TestAllocator();
  const BarInfo bar{BarKind::kMem64, false, 2 * kMiB};
  const Gpa first = bars.Allocate(bar).value();
  const Gpa second = bars.Allocate(bar).value();
  ASSERT_TRUE(bars.Free(second, bar));
  EXPECT_EQ(bars.Allocate(bar).value(), second);
  // Freeing a lower BAR does not move later allocations below the highest live one.
  ASSERT_TRUE(bars.Free(first, bar));
  EXPECT_GT(bars.Allocate(bar).value(), second);
}

// Random BAR mixes with frees, checking the placement invariants after every step.
TEST(BarAllocatorTest, RandomSequencesKeepAlignmentOrderAndNoOverlap) {
  constexpr std::uint64_t kSeeds[] = {3, 17, 256, 0xba5};
  constexpr BarKind kKinds[] = {BarKind::kIo, BarKind::kMem32, BarKind::kMem64};
  for (const std::uint64_t seed : kSeeds) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    std::mt19937_64 rng(seed);
    BarAllocator bars = TestAllocator(/*with_pref=*/seed % 2 == 1);
    std::vector<std::pair<Gpa, BarInfo>> live;
    for (int step = 0; step < 1500; ++step) {
      if (rng() % 4 == 0 && !live.empty()) {
        const std::size_t victim = rng() % live.size();
        ASSERT_TRUE(bars.Free(live[victim].first, live[victim].second)) << "step " << step;
        live.erase(live.begin() + static_cast<std::ptrdiff_t>(victim));
        continue;
      }
      const BarKind kind = kKinds[rng() % 3];
      const unsigned max_log = kind == BarKind::kIo ? 8 : 28;
      const BarInfo bar{kind, rng() % 2 == 0, std::uint64_t{1} << (2 + rng() % (max_log - 1))};
      const AddressAllocator& pool = bars.PoolFor(bar);
      const auto addr = bars.Allocate(bar);
      if (!addr) {
        ASSERT_EQ(ErrorOf(addr), AllocError::kOutOfSpace) << "step " << step;
        continue;
      }
      const std::uint64_t a = addr.value().value();
      // Computed here rather than through BarAlignment, so the oracle is independent.
      ASSERT_EQ(a % bar.size, 0u) << "natural alignment, step " << step;
      if (kind != BarKind::kIo) {
        ASSERT_EQ(a % 4096, 0u) << "page alignment, step " << step;
      }
      ASSERT_GE(a, pool.base());
      ASSERT_LE(bar.size - 1, pool.last() - a) << "inside the window, step " << step;
      if (kind != BarKind::kMem64) {
        ASSERT_LE(a + bar.size, BarAllocator::k4GiB) << "below 4 GiB, step " << step;
      }
      // Above every live BAR of this window (so above the previous one while it lives).
      for (const auto& [other, other_bar] : live) {
        if (&bars.PoolFor(other_bar) != &pool) continue;
        ASSERT_GT(a, other.value() + (other_bar.size - 1)) << "increase, step " << step;
      }
      live.emplace_back(addr.value(), bar);
    }
    // No two live BARs of one window overlap: the allocator's sorted list is disjoint.
    for (const BarKind kind : kKinds) {
      const std::vector<Allocation> all = bars.PoolFor({kind, false, 16}).allocations();
      for (std::size_t i = 1; i < all.size(); ++i) {
        ASSERT_LT(all[i - 1].start + (all[i - 1].size - 1), all[i].start);
      }
    }
  }
}

}  // namespace
}  // namespace vfio
