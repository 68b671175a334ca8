// Tests for vfio/address_allocator.h: every error case, the three fits, pools ending at
// 2^64 - 1, and randomized sequences against a brute-force occupancy model.
#include "vfio/address_allocator.h"

#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace vfio {
namespace {

template <class T>
std::error_code ErrorOf(const Result<T>& r) {
  return r.has_error() ? r.error() : std::error_code();
}

constexpr AllocError kOk{};

TEST(AddressAllocatorTest, ErrorsPrintAsSnakeCaseInTheAllocCategory) {
  struct Case {
    AllocError error;
    const char* name;
  };
  constexpr Case kCases[] = {
      {AllocError::kZeroSize, "zero_size"},
      {AllocError::kInvalidAlignment, "invalid_alignment"},
      {AllocError::kSizeNotPowerOfTwo, "size_not_power_of_two"},
      {AllocError::kPoolOverflow, "pool_overflow"},
      {AllocError::kOutOfSpace, "out_of_space"},
      {AllocError::kOutOfRange, "out_of_range"},
      {AllocError::kOverlap, "overlap"},
      {AllocError::kNotAllocated, "not_allocated"},
      {AllocError::kSizeMismatch, "size_mismatch"},
      {AllocError::kWindowAbove4GiB, "window_above_4gib"},
  };
  for (const Case& c : kCases) {
    const std::error_code ec = c.error;
    EXPECT_STREQ(ec.category().name(), "vfio.alloc");
    EXPECT_EQ(ec.message(), c.name);
  }
}

TEST(AddressAllocatorTest, CreateRejectsEmptyAndWrappingPools) {
  struct Case {
    std::uint64_t base, size;
    AllocError error;
    std::uint64_t last;
  };
  constexpr Case kCases[] = {
      {0x1000, 0, AllocError::kZeroSize, 0},
      {UINT64_MAX, 2, AllocError::kPoolOverflow, 0},
      {1, UINT64_MAX, kOk, UINT64_MAX},                 // ends exactly at 2^64 - 1
      {0, UINT64_MAX, kOk, UINT64_MAX - 1},
      {UINT64_MAX, 1, kOk, UINT64_MAX},
      {0xc000'0000, 0x4000'0000, kOk, 0xffff'ffff},
  };
  for (const Case& c : kCases) {
    const auto pool = AddressAllocator::Create(c.base, c.size);
    if (c.error != kOk) {
      EXPECT_EQ(ErrorOf(pool), c.error) << std::hex << c.base << "+" << c.size;
    } else {
      ASSERT_TRUE(pool) << std::hex << c.base << "+" << c.size;
      EXPECT_EQ(pool.value().base(), c.base);
      EXPECT_EQ(pool.value().last(), c.last);
    }
  }
}

// Allocations into [0x1000, 0x10fff] already holding [0x1000, 0x1fff] and [0xc000, 0xcfff]:
// free gaps of 0xa000 bytes at 0x2000 and 0x4000 bytes at 0xd000.
TEST(AddressAllocatorTest, AllocateRejectsBadRequestsAndNeverWraps) {
  struct Case {
    const char* what;
    std::uint64_t size, align;
    Fit fit;
    AllocError error;
  };
  constexpr Case kCases[] = {
      {"zero size", 0, 0x1000, Fit::kFirst, AllocError::kZeroSize},
      {"zero alignment", 0x1000, 0, Fit::kFirst, AllocError::kInvalidAlignment},
      {"alignment 3", 0x1000, 3, Fit::kLast, AllocError::kInvalidAlignment},
      {"alignment 0x3000", 0x1000, 0x3000, Fit::kAboveHighest, AllocError::kInvalidAlignment},
      {"bigger than the pool", 0x10001, 1, Fit::kFirst, AllocError::kOutOfSpace},
      {"bigger than every gap", 0xa001, 1, Fit::kFirst, AllocError::kOutOfSpace},
      {"bigger than every gap, last fit", 0xa001, 1, Fit::kLast, AllocError::kOutOfSpace},
      {"no aligned fit", 0x1000, 0x20000, Fit::kFirst, AllocError::kOutOfSpace},
      {"no aligned fit, last fit", 0x1000, 0x20000, Fit::kLast, AllocError::kOutOfSpace},
      // kFirst would place it at 0x2000; only the gap above the highest counts.
      {"no room above the highest", 0x5000, 1, Fit::kAboveHighest, AllocError::kOutOfSpace},
  };
  for (const Case& c : kCases) {
    auto pool = AddressAllocator::Create(0x1000, 0x10000).value();
    ASSERT_TRUE(pool.AllocateAt(0x1000, 0x1000));
    ASSERT_TRUE(pool.AllocateAt(0xc000, 0x1000));
    EXPECT_EQ(ErrorOf(pool.Allocate(c.size, c.align, c.fit)), c.error) << c.what;
    EXPECT_EQ(pool.count(), 2u) << c.what;
    EXPECT_EQ(pool.allocated_bytes(), 0x2000u) << c.what;
  }
}

// The align-up of the first free address would pass 2^64: out of space, not address 0.
TEST(AddressAllocatorTest, AlignmentNearTheTopIsOutOfSpaceNotAWrap) {
  for (const Fit fit : {Fit::kFirst, Fit::kLast, Fit::kAboveHighest}) {
    auto pool = AddressAllocator::Create(UINT64_MAX - 0xfff, 0x1000).value();
    EXPECT_EQ(ErrorOf(pool.Allocate(0x10, 0x10000, fit)), AllocError::kOutOfSpace);
    const auto top = pool.Allocate(0x10, 0x10, fit);
    ASSERT_TRUE(top);
    EXPECT_GE(top.value(), UINT64_MAX - 0xfff);
  }
}

// One pool, [0x10000, 0x1ffff], filled step by step with no frees until it is full.
TEST(AddressAllocatorTest, PlacesEachFitWhereItsNameSays) {
  struct Step {
    const char* what;
    std::uint64_t size, align;
    Fit fit;
    AllocError error;
    std::uint64_t expected;
  };
  constexpr Step kSteps[] = {
      {"first, empty pool", 0x1000, 0x1000, Fit::kFirst, kOk, 0x10000},
      {"first, skips to 16 KiB", 0x1000, 0x4000, Fit::kFirst, kOk, 0x14000},
      {"first, backfills", 0x1000, 0x1000, Fit::kFirst, kOk, 0x11000},
      {"above highest, no backfill", 0x1000, 0x1000, Fit::kAboveHighest, kOk, 0x15000},
      {"above highest, aligned", 0x1000, 0x8000, Fit::kAboveHighest, kOk, 0x18000},
      {"last, top of the pool", 0x2000, 0x1000, Fit::kLast, kOk, 0x1e000},
      {"last, aligned below it", 0x1000, 0x4000, Fit::kLast, kOk, 0x1c000},
      {"above highest, pool end taken", 0x1000, 0x1000, Fit::kAboveHighest,
       AllocError::kOutOfSpace, 0},
      {"first, skips small gaps", 0x3000, 0x1000, Fit::kFirst, kOk, 0x19000},
      {"last, skips small gaps", 0x2000, 0x1000, Fit::kLast, kOk, 0x16000},
      {"first, exact gap", 0x2000, 0x1000, Fit::kFirst, kOk, 0x12000},
      {"first, last page", 0x1000, 0x1000, Fit::kFirst, kOk, 0x1d000},
      {"first, full", 1, 1, Fit::kFirst, AllocError::kOutOfSpace, 0},
      {"last, full", 1, 1, Fit::kLast, AllocError::kOutOfSpace, 0},
  };
  auto pool = AddressAllocator::Create(0x10000, 0x10000).value();
  for (const Step& s : kSteps) {
    const auto r = pool.Allocate(s.size, s.align, s.fit);
    if (s.error != kOk) {
      EXPECT_EQ(ErrorOf(r), s.error) << s.what;
    } else {
      ASSERT_TRUE(r) << s.what << ": " << ErrorOf(r).message();
      EXPECT_EQ(r.value(), s.expected) << s.what;
    }
  }
  EXPECT_EQ(pool.allocated_bytes(), 0x10000u);
}

// Cloud Hypervisor's top-down search computed `end - (size + align - 1)` and underflowed for a
// pool starting at 0; here the only fit is address 0 itself.
TEST(AddressAllocatorTest, LastFitFindsAddressZero) {
  auto pool = AddressAllocator::Create(0, 0x1000).value();
  const auto r = pool.Allocate(0x1000, 0x1000, Fit::kLast);
  ASSERT_TRUE(r) << ErrorOf(r).message();
  EXPECT_EQ(r.value(), 0u);
}

// Pool [0x1000, 0x4fff] holding [0x2000, 0x2fff].
TEST(AddressAllocatorTest, AllocateAtNeedsAFreeRangeInsideThePool) {
  struct Case {
    const char* what;
    std::uint64_t addr, size;
    AllocError error;
  };
  constexpr Case kCases[] = {
      {"zero size", 0x1000, 0, AllocError::kZeroSize},
      {"below the pool", 0xfff, 0x10, AllocError::kOutOfRange},
      {"runs past the pool", 0x4ff0, 0x11, AllocError::kOutOfRange},
      {"wraps", UINT64_MAX, 2, AllocError::kOutOfRange},
      {"ends inside the next allocation", 0x1800, 0x900, AllocError::kOverlap},
      {"starts inside the previous allocation", 0x2fff, 0x10, AllocError::kOverlap},
      {"encloses an allocation", 0x1000, 0x4000, AllocError::kOverlap},
      {"same range", 0x2000, 0x1000, AllocError::kOverlap},
      {"adjacent below", 0x1000, 0x1000, kOk},
      {"adjacent above", 0x3000, 0x1000, kOk},
      {"the last byte of the pool", 0x4fff, 1, kOk},
      {"up to the end of the pool", 0x3000, 0x2000, kOk},
  };
  for (const Case& c : kCases) {
    auto pool = AddressAllocator::Create(0x1000, 0x4000).value();
    ASSERT_TRUE(pool.AllocateAt(0x2000, 0x1000));
    const auto r = pool.AllocateAt(c.addr, c.size);
    if (c.error != kOk) {
      EXPECT_EQ(ErrorOf(r), c.error) << c.what;
      EXPECT_EQ(pool.count(), 1u) << c.what;
    } else {
      EXPECT_TRUE(r) << c.what << ": " << ErrorOf(r).message();
      EXPECT_EQ(pool.count(), 2u) << c.what;
    }
  }
}

TEST(AddressAllocatorTest, FreeNeedsAnExactMatch) {
  struct Case {
    const char* what;
    std::uint64_t addr, size;
    AllocError error;
  };
  constexpr Case kCases[] = {
      {"inside the allocation", 0x2800, 0x800, AllocError::kNotAllocated},
      {"never allocated", 0x4000, 0x1000, AllocError::kNotAllocated},
      {"smaller size", 0x2000, 0x800, AllocError::kSizeMismatch},
      {"larger size", 0x2000, 0x2000, AllocError::kSizeMismatch},
      {"zero size", 0x2000, 0, AllocError::kSizeMismatch},
      {"exact", 0x2000, 0x1000, kOk},
  };
  for (const Case& c : kCases) {
    auto pool = AddressAllocator::Create(0x1000, 0x4000).value();
    ASSERT_TRUE(pool.AllocateAt(0x2000, 0x1000));
    const auto r = pool.Free(c.addr, c.size);
    if (c.error != kOk) {
      EXPECT_EQ(ErrorOf(r), c.error) << c.what;
      EXPECT_EQ(pool.allocations(), (std::vector<Allocation>{{0x2000, 0x1000}})) << c.what;
    } else {
      EXPECT_TRUE(r) << c.what;
      EXPECT_EQ(pool.count(), 0u) << c.what;
      EXPECT_EQ(ErrorOf(pool.Free(c.addr, c.size)), AllocError::kNotAllocated) << "double free";
    }
  }
}

TEST(AddressAllocatorTest, FreedSpaceIsReusedByFirstFit) {
  auto pool = AddressAllocator::Create(0x1000, 0x3000).value();
  ASSERT_EQ(pool.Allocate(0x1000, 0x1000).value(), 0x1000u);
  ASSERT_EQ(pool.Allocate(0x1000, 0x1000).value(), 0x2000u);
  ASSERT_TRUE(pool.Free(0x1000, 0x1000));
  EXPECT_EQ(pool.Allocate(0x1000, 0x1000).value(), 0x1000u);
  // kAboveHighest reuses space only once the highest allocation is gone.
  ASSERT_TRUE(pool.Free(0x1000, 0x1000));
  EXPECT_EQ(pool.Allocate(0x1000, 0x1000, Fit::kAboveHighest).value(), 0x3000u);
  ASSERT_TRUE(pool.Free(0x3000, 0x1000));
  ASSERT_TRUE(pool.Free(0x2000, 0x1000));
  EXPECT_EQ(pool.Allocate(0x1000, 0x1000, Fit::kAboveHighest).value(), 0x1000u);
}

// Inclusive ends: an allocation touching 2^64 - 1 neither overflows nor hides free space.
TEST(AddressAllocatorTest, HandlesAPoolEndingAtTheTopOfTheAddressSpace) {
  const std::uint64_t base = UINT64_MAX - 0x3fff;  // [2^64 - 16 KiB, 2^64 - 1]
  auto pool = AddressAllocator::Create(base, 0x4000).value();
  EXPECT_EQ(pool.Allocate(0x1000, 0x1000, Fit::kLast).value(), UINT64_MAX - 0xfff);
  EXPECT_EQ(pool.Allocate(0x1000, 0x1000, Fit::kFirst).value(), base);
  EXPECT_EQ(ErrorOf(pool.Allocate(0x1000, 0x1000, Fit::kAboveHighest)),
            AllocError::kOutOfSpace);
  EXPECT_EQ(pool.Allocate(0x2000, 0x1000, Fit::kFirst).value(), base + 0x1000);
  EXPECT_EQ(ErrorOf(pool.Allocate(1, 1, Fit::kFirst)), AllocError::kOutOfSpace);
  EXPECT_EQ(ErrorOf(pool.AllocateAt(UINT64_MAX, 1)), AllocError::kOverlap);
  ASSERT_TRUE(pool.Free(UINT64_MAX - 0xfff, 0x1000));
  EXPECT_TRUE(pool.AllocateAt(UINT64_MAX, 1));
  EXPECT_EQ(pool.allocated_bytes(), 0x3001u);
}

// A brute-force model over a 256-byte pool: one flag per address, every fit found by
// scanning all aligned candidates.
class OccupancyModel {
 public:
  explicit OccupancyModel(std::uint64_t base) : base_(base), used_(kSize, false) {}

  std::optional<std::uint64_t> Find(std::uint64_t size, std::uint64_t align, Fit fit) const {
    std::uint64_t floor = 0;
    if (fit == Fit::kAboveHighest) {
      for (std::uint64_t i = 0; i < kSize; ++i) {
        if (used_[i]) floor = i + 1;
      }
    }
    std::optional<std::uint64_t> found;
    for (std::uint64_t off = floor; off + size <= kSize; ++off) {
      if ((base_ + off) % align != 0 || !IsFree(off, size)) continue;
      found = off;
      if (fit != Fit::kLast) break;
    }
    if (!found) return std::nullopt;
    return base_ + *found;
  }
  bool IsFree(std::uint64_t off, std::uint64_t size) const {
    for (std::uint64_t i = off; i < off + size; ++i) {
      if (used_[i]) return false;
    }
    return true;
  }
  void Set(std::uint64_t addr, std::uint64_t size, bool used) {
    for (std::uint64_t i = addr - base_; i < addr - base_ + size; ++i) used_[i] = used;
  }

  static constexpr std::uint64_t kSize = 256;

 private:
  std::uint64_t base_;
  std::vector<bool> used_;
};

void ExpectInvariants(const AddressAllocator& pool) {
  const std::vector<Allocation> all = pool.allocations();
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < all.size(); ++i) {
    sum += all[i].size;
    ASSERT_GE(all[i].start, pool.base());
    ASSERT_LE(all[i].size - 1, pool.last() - all[i].start);  // inside the pool
    if (i > 0) {
      ASSERT_LT(all[i - 1].start + (all[i - 1].size - 1), all[i].start);  // disjoint
    }
  }
  ASSERT_EQ(pool.allocated_bytes(), sum);
  ASSERT_EQ(pool.count(), all.size());
}

// Each seed runs once in a low pool and once in a pool ending at 2^64 - 1.
TEST(AddressAllocatorTest, RandomSequencesAgreeWithABruteForceModel) {
  constexpr std::uint64_t kSeeds[] = {1, 7, 99, 2024, 0xa110c};
  constexpr std::uint64_t kBases[] = {0x1000, UINT64_MAX - OccupancyModel::kSize + 1};
  constexpr Fit kFits[] = {Fit::kFirst, Fit::kLast, Fit::kAboveHighest};
  for (const std::uint64_t base : kBases) {
    for (const std::uint64_t seed : kSeeds) {
      SCOPED_TRACE(::testing::Message() << "seed " << seed << " base " << std::hex << base);
      std::mt19937_64 rng(seed);
      auto pool = AddressAllocator::Create(base, OccupancyModel::kSize).value();
      OccupancyModel model(base);
      std::vector<Allocation> live;
      for (int step = 0; step < 2000; ++step) {
        const std::uint64_t size = 1 + rng() % 40;
        const std::uint64_t align = std::uint64_t{1} << (rng() % 7);
        if (rng() % 3 != 0 || live.empty()) {
          const Fit fit = kFits[rng() % 3];
          const auto expected = model.Find(size, align, fit);
          const auto r = pool.Allocate(size, align, fit);
          ASSERT_EQ(r.has_value(), expected.has_value()) << "step " << step;
          if (!r) continue;
          ASSERT_EQ(r.value(), *expected) << "step " << step;
          model.Set(r.value(), size, true);
          live.push_back({r.value(), size});
        } else {
          const std::size_t victim = rng() % live.size();
          ASSERT_TRUE(pool.Free(live[victim].start, live[victim].size)) << "step " << step;
          model.Set(live[victim].start, live[victim].size, false);
          live.erase(live.begin() + static_cast<std::ptrdiff_t>(victim));
        }
        ExpectInvariants(pool);
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  }
}

}  // namespace
}  // namespace vfio
