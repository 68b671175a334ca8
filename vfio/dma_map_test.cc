// Tests for vfio/dma_map.h: every error case, Linux's check order, and randomized operation
// sequences against a brute-force model. Depends on the tracker and GoogleTest only.
#include "vfio/dma_map.h"

#include <cstdint>
#include <optional>
#include <random>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace vfio {
namespace {

constexpr std::uint64_t kPage = 4096;
constexpr std::uint64_t kTop = UINT64_MAX - kPage + 1;  // the last page of the 64-bit space

template <class T>
std::error_code ErrorOf(const Result<T>& r) {
  return r.has_error() ? r.error() : std::error_code();
}

// Mappings A and B are adjacent; C sits alone higher up.
constexpr DmaMapping kA{Iova(0x10000), Hva(0x7000'0000), 0x2000, Perm::kReadWrite};
constexpr DmaMapping kB{Iova(0x12000), Hva(0x9000'0000), 0x1000, Perm::kRead};
constexpr DmaMapping kC{Iova(0x20000), Hva(0x8000'0000), 0x4000, Perm::kWrite};

DmaMapTracker TrackerWithAbc(DmaMapTracker::Options options = {}) {
  DmaMapTracker t(std::move(options));
  for (const DmaMapping& m : {kA, kB, kC}) {
    EXPECT_TRUE(t.Map(m.iova, m.hva, m.size, m.perm)) << m.iova.value();
  }
  return t;
}

TEST(DmaMapTest, ErrorsPrintAsSnakeCaseInTheDmaCategory) {
  struct Case {
    DmaError error;
    const char* name;
  };
  constexpr Case kCases[] = {
      {DmaError::kZeroSize, "zero_size"},
      {DmaError::kUnaligned, "unaligned"},
      {DmaError::kIovaOverflow, "iova_overflow"},
      {DmaError::kHvaOverflow, "hva_overflow"},
      {DmaError::kNoPermission, "no_permission"},
      {DmaError::kOutsideIovaWindow, "outside_iova_window"},
      {DmaError::kOverlap, "overlap"},
      {DmaError::kLimitReached, "limit_reached"},
      {DmaError::kPartialUnmap, "partial_unmap"},
      {DmaError::kNotMapped, "not_mapped"},
  };
  for (const Case& c : kCases) {
    const std::error_code ec = c.error;  // through is_error_code_enum
    EXPECT_STREQ(ec.category().name(), "vfio.dma");
    EXPECT_EQ(ec.message(), c.name);
    EXPECT_STREQ(ToString(c.error), c.name);
  }
}

TEST(DmaMapTest, DefaultOptionsMatchLinuxType1) {
  const DmaMapTracker t;
  EXPECT_EQ(t.options().page_size, 4096u);
  EXPECT_EQ(t.options().max_entries, 65535u);
  EXPECT_TRUE(t.options().windows.empty());
  EXPECT_EQ(t.count(), 0u);
  EXPECT_EQ(t.total_bytes(), 0u);
}

// Each case maps onto A, B, C and must fail with `error`, leaving the tracker unchanged.
TEST(DmaMapTest, RejectsEveryInvalidMap) {
  struct Case {
    const char* what;
    std::uint64_t iova, hva, size;
    Perm perm;
    DmaError error;
  };
  constexpr Case kCases[] = {
      {"zero size", 0x40000, 0x1000, 0, Perm::kRead, DmaError::kZeroSize},
      {"unaligned iova", 0x40800, 0x1000, kPage, Perm::kRead, DmaError::kUnaligned},
      {"unaligned hva", 0x40000, 0x1001, kPage, Perm::kRead, DmaError::kUnaligned},
      {"unaligned size", 0x40000, 0x1000, kPage + 512, Perm::kRead, DmaError::kUnaligned},
      {"iova wraps", kTop, 0x1000, 2 * kPage, Perm::kRead, DmaError::kIovaOverflow},
      {"hva wraps", 0x40000, kTop, 2 * kPage, Perm::kRead, DmaError::kHvaOverflow},
      {"no permission", 0x40000, 0x1000, kPage, Perm::kNone, DmaError::kNoPermission},
      {"unknown permission bit", 0x40000, 0x1000, kPage, static_cast<Perm>(4),
       DmaError::kNoPermission},
      {"same range as A", 0x10000, 0x1000, 0x2000, Perm::kRead, DmaError::kOverlap},
      {"starts inside A", 0x11000, 0x1000, kPage, Perm::kRead, DmaError::kOverlap},
      {"ends inside C (next)", 0x1f000, 0x1000, 0x2000, Perm::kRead, DmaError::kOverlap},
      {"starts in gap, covers C", 0x1e000, 0x1000, 0x8000, Perm::kRead, DmaError::kOverlap},
      {"covers A and B", 0xf000, 0x1000, 0x5000, Perm::kRead, DmaError::kOverlap},
      {"last page of C", 0x23000, 0x1000, kPage, Perm::kRead, DmaError::kOverlap},
  };
  for (const Case& c : kCases) {
    DmaMapTracker t = TrackerWithAbc();
    const auto before = t.mappings();
    EXPECT_EQ(ErrorOf(t.CheckMap(Iova(c.iova), Hva(c.hva), c.size, c.perm)), c.error) << c.what;
    EXPECT_EQ(ErrorOf(t.Map(Iova(c.iova), Hva(c.hva), c.size, c.perm)), c.error) << c.what;
    EXPECT_EQ(t.mappings(), before) << c.what;
    EXPECT_EQ(t.total_bytes(), 0x7000u) << c.what;
  }
}

// The bug a property suite catches: only the mapping before the new start is checked, so a
// range starting in a gap and running into the next mapping is accepted.
TEST(DmaMapTest, RejectsOverlapWithNextMapping) {
  DmaMapTracker t;
  ASSERT_TRUE(t.Map(Iova(0x20000), Hva(0x1000'0000), 0x4000, Perm::kRead));
  EXPECT_EQ(ErrorOf(t.Map(Iova(0x1f000), Hva(0x2000'0000), 0x2000, Perm::kRead)),
            DmaError::kOverlap);
  // Also with no mapping before it at all, and with one before that does not reach it.
  ASSERT_TRUE(t.Map(Iova(0x10000), Hva(0x3000'0000), 0x1000, Perm::kRead));
  EXPECT_EQ(ErrorOf(t.Map(Iova(0x18000), Hva(0x2000'0000), 0x9000, Perm::kRead)),
            DmaError::kOverlap);
  EXPECT_EQ(t.count(), 2u);
}

TEST(DmaMapTest, RejectsOverlapWithPreviousMapping) {
  DmaMapTracker t;
  ASSERT_TRUE(t.Map(Iova(0x20000), Hva(0x1000'0000), 0x4000, Perm::kRead));
  EXPECT_EQ(ErrorOf(t.Map(Iova(0x23000), Hva(0x2000'0000), 0x4000, Perm::kRead)),
            DmaError::kOverlap);
}

TEST(DmaMapTest, AcceptsMappingsAdjacentOnBothSides) {
  DmaMapTracker t = TrackerWithAbc();
  // [0x13000, 0x20000) fills the gap between B and C exactly.
  ASSERT_TRUE(t.Map(Iova(0x13000), Hva(0x5000'0000), 0xd000, Perm::kRead));
  EXPECT_EQ(t.count(), 4u);
  EXPECT_EQ(t.total_bytes(), 0x7000u + 0xd000u);
}

TEST(DmaMapTest, AcceptsMappingsEndingAtTheTopOfTheAddressSpace) {
  DmaMapTracker t;
  ASSERT_TRUE(t.Map(Iova(kTop), Hva(kTop), kPage, Perm::kReadWrite));
  EXPECT_EQ(t.FindContaining(Iova(UINT64_MAX))->iova, Iova(kTop));
  EXPECT_EQ(ErrorOf(t.Map(Iova(kTop), Hva(0), kPage, Perm::kRead)), DmaError::kOverlap);
  EXPECT_EQ(t.Unmap(Iova(kTop), kPage).value(), kPage);
}

// Where several checks fail, the error is the one vfio_dma_do_map reports.
TEST(DmaMapTest, ReportsTheErrorLinuxChecksFirst) {
  struct Case {
    const char* what;
    std::size_t max_entries;
    std::uint64_t iova, hva, size;
    Perm perm;
    DmaError error;
  };
  constexpr Case kCases[] = {
      {"zero size before permission", 8, 0x40000, 0x1000, 0, Perm::kNone, DmaError::kZeroSize},
      {"alignment before wrap", 8, kTop + 1, 0x1000, kPage, Perm::kRead, DmaError::kUnaligned},
      {"iova wrap before hva wrap", 8, kTop, kTop, 2 * kPage, Perm::kRead,
       DmaError::kIovaOverflow},
      {"overlap before limit", 3, 0x10000, 0x1000, kPage, Perm::kRead, DmaError::kOverlap},
      {"limit before window", 3, 0x1'0000'0000, 0x1000, kPage, Perm::kRead,
       DmaError::kLimitReached},
      {"overlap before window", 8, 0x20000, 0x1000, 0x1'0000'0000, Perm::kRead,
       DmaError::kOverlap},
  };
  for (const Case& c : kCases) {
    DmaMapTracker::Options options;
    options.max_entries = c.max_entries;
    options.windows = {IovaRange::Make(Iova(0), 0x1'0000'0000).value()};
    DmaMapTracker t = TrackerWithAbc(options);
    EXPECT_EQ(ErrorOf(t.Map(Iova(c.iova), Hva(c.hva), c.size, c.perm)), c.error) << c.what;
  }
}

// The windows Linux 6.1 reported in the guest: a hole at the MSI window.
TEST(DmaMapTest, RequiresTheWholeRangeInsideOneIovaWindow) {
  struct Case {
    const char* what;
    std::uint64_t iova, size;
    bool ok;
  };
  constexpr Case kCases[] = {
      {"start of the first window", 0, kPage, true},
      {"end of the first window", 0xfedff000, kPage, true},
      {"inside the MSI hole", 0xfee00000, kPage, false},
      {"across the MSI hole", 0xfedff000, 0x102000, false},
      {"start of the second window", 0xfef00000, kPage, true},
      {"end of the second window", 0x7fffff000, kPage, true},
      {"past the second window", 0x7fffff000, 2 * kPage, false},
      {"across the adjacent third window", 0x800000000 - kPage, 2 * kPage, false},
      {"inside the third window", 0x800000000, kPage, true},
      {"above every window", 0x900000000, kPage, false},
  };
  DmaMapTracker::Options options;
  options.windows = {IovaRange::FromInclusive(Iova(0), Iova(0xfedfffff)).value(),
                     IovaRange::FromInclusive(Iova(0xfef00000), Iova(0x7ffffffff)).value(),
                     IovaRange::Make(Iova(0x800000000), 0x1000'0000).value()};
  for (const Case& c : kCases) {
    DmaMapTracker t(options);
    const auto r = t.Map(Iova(c.iova), Hva(0x1000), c.size, Perm::kRead);
    if (c.ok) {
      EXPECT_TRUE(r) << c.what << ": " << ErrorOf(r).message();
    } else {
      EXPECT_EQ(ErrorOf(r), DmaError::kOutsideIovaWindow) << c.what;
      EXPECT_EQ(t.count(), 0u) << c.what;
    }
  }
}

TEST(DmaMapTest, RejectsMappingBeyondTheDefaultLimitOf65535) {
  DmaMapTracker t;
  for (std::uint64_t i = 0; i < 65535; ++i) {
    ASSERT_TRUE(t.Map(Iova(i * 2 * kPage), Hva(i * kPage), kPage, Perm::kRead)) << i;
  }
  EXPECT_EQ(ErrorOf(t.Map(Iova(0x1'0000'0000'0000), Hva(0), kPage, Perm::kRead)),
            DmaError::kLimitReached);
  // Freeing one entry makes room again, as dma_avail does.
  ASSERT_EQ(t.Unmap(Iova(0), kPage).value(), kPage);
  EXPECT_TRUE(t.Map(Iova(0x1'0000'0000'0000), Hva(0), kPage, Perm::kRead));
  EXPECT_EQ(t.count(), 65535u);
}

TEST(DmaMapTest, HonoursALargerPageSize) {
  DmaMapTracker::Options options;
  options.page_size = 0x10000;
  DmaMapTracker t(options);
  EXPECT_EQ(ErrorOf(t.Map(Iova(0x1000), Hva(0), 0x10000, Perm::kRead)), DmaError::kUnaligned);
  EXPECT_EQ(ErrorOf(t.Map(Iova(0), Hva(0), 0x1000, Perm::kRead)), DmaError::kUnaligned);
  EXPECT_TRUE(t.Map(Iova(0x10000), Hva(0x20000), 0x10000, Perm::kRead));
  EXPECT_EQ(ErrorOf(t.Unmap(Iova(0x10000), 0x1000)), DmaError::kUnaligned);
}

TEST(DmaMapTest, RefusesEveryMapWhenThePageSizeIsNotAPowerOfTwo) {
  for (const std::uint64_t page : {std::uint64_t{0}, std::uint64_t{3}, std::uint64_t{0x3000}}) {
    DmaMapTracker::Options options;
    options.page_size = page;
    DmaMapTracker t(options);
    EXPECT_EQ(ErrorOf(t.Map(Iova(0), Hva(0), 0x3000, Perm::kRead)), DmaError::kUnaligned)
        << page;
    EXPECT_EQ(t.count(), 0u);
  }
}

// Unmaps against A, B (adjacent) and C.
TEST(DmaMapTest, UnmapRemovesWholeMappingsOrFailsWithoutChange) {
  struct Case {
    const char* what;
    std::uint64_t iova, size;
    DmaError error;  // {} when the unmap succeeds
    std::uint64_t removed;
    std::size_t count_after;
  };
  constexpr DmaError kOk{};
  constexpr Case kCases[] = {
      {"unaligned iova", 0x10800, kPage, DmaError::kUnaligned, 0, 3},
      {"zero size", 0x10000, 0, DmaError::kZeroSize, 0, 3},
      {"unaligned iova before zero size", 0x10800, 0, DmaError::kUnaligned, 0, 3},
      {"unaligned size", 0x10000, 0x1800, DmaError::kUnaligned, 0, 3},
      {"wraps", kTop, 2 * kPage, DmaError::kIovaOverflow, 0, 3},
      {"starts inside A", 0x11000, 0x2000, DmaError::kPartialUnmap, 0, 3},
      {"ends inside A", 0xf000, 0x2000, DmaError::kPartialUnmap, 0, 3},
      {"ends inside C", 0x13000, 0xe000, DmaError::kPartialUnmap, 0, 3},
      {"inside C", 0x21000, 0x1000, DmaError::kPartialUnmap, 0, 3},
      {"empty range", 0x30000, 0x1000, kOk, 0, 3},
      {"the gap between B and C", 0x13000, 0xd000, kOk, 0, 3},
      {"exactly A", 0x10000, 0x2000, kOk, 0x2000, 2},
      {"A and B", 0x10000, 0x3000, kOk, 0x3000, 1},
      {"gap and C", 0x18000, 0x10000, kOk, 0x4000, 2},
      {"everything", 0, 0x100000, kOk, 0x7000, 0},
      {"the top page", kTop, kPage, kOk, 0, 3},
  };
  for (const Case& c : kCases) {
    DmaMapTracker t = TrackerWithAbc();
    const auto before = t.mappings();
    const auto checked = t.CheckUnmap(Iova(c.iova), c.size);
    const auto r = t.Unmap(Iova(c.iova), c.size);
    if (c.error != kOk) {
      EXPECT_EQ(ErrorOf(checked), c.error) << c.what;
      EXPECT_EQ(ErrorOf(r), c.error) << c.what;
      EXPECT_EQ(t.mappings(), before) << c.what;
    } else {
      EXPECT_TRUE(checked) << c.what;
      ASSERT_TRUE(r) << c.what << ": " << ErrorOf(r).message();
      EXPECT_EQ(r.value(), c.removed) << c.what;
    }
    EXPECT_EQ(t.count(), c.count_after) << c.what;
    EXPECT_EQ(t.total_bytes(), 0x7000u - c.removed) << c.what;
  }
}

TEST(DmaMapTest, MapUnmapMapOfTheSameRangeSucceeds) {
  DmaMapTracker t;
  ASSERT_TRUE(t.Map(Iova(0x40000), Hva(0x1000), 0x3000, Perm::kRead));
  ASSERT_EQ(t.Unmap(Iova(0x40000), 0x3000).value(), 0x3000u);
  ASSERT_TRUE(t.Map(Iova(0x40000), Hva(0x9000), 0x3000, Perm::kWrite));
  EXPECT_EQ(t.mappings(),
            (std::vector<DmaMapping>{{Iova(0x40000), Hva(0x9000), 0x3000, Perm::kWrite}}));
}

TEST(DmaMapTest, UnmapAllReturnsEveryByteAndEmptiesTheTracker) {
  DmaMapTracker t = TrackerWithAbc();
  EXPECT_EQ(t.UnmapAll(), 0x7000u);
  EXPECT_EQ(t.count(), 0u);
  EXPECT_EQ(t.total_bytes(), 0u);
  EXPECT_EQ(t.UnmapAll(), 0u);
  EXPECT_TRUE(t.Map(kA.iova, kA.hva, kA.size, kA.perm));
}

TEST(DmaMapTest, FindContainingReturnsTheMappingHoldingTheAddress) {
  struct Case {
    std::uint64_t iova;
    std::uint64_t found;  // the mapping's iova, or 0 for none
  };
  constexpr Case kCases[] = {
      {0x0, 0},           {0xffff, 0},        {0x10000, 0x10000}, {0x11fff, 0x10000},
      {0x12000, 0x12000}, {0x12fff, 0x12000}, {0x13000, 0},       {0x1ffff, 0},
      {0x20000, 0x20000}, {0x23fff, 0x20000}, {0x24000, 0},       {UINT64_MAX, 0},
  };
  const DmaMapTracker t = TrackerWithAbc();
  for (const Case& c : kCases) {
    const auto m = t.FindContaining(Iova(c.iova));
    if (c.found == 0) {
      EXPECT_FALSE(m) << std::hex << c.iova;
    } else {
      ASSERT_TRUE(m) << std::hex << c.iova;
      EXPECT_EQ(m->iova, Iova(c.found)) << std::hex << c.iova;
    }
  }
}

TEST(DmaMapTest, TranslateNeedsTheWholeSpanInsideOneMapping) {
  struct Case {
    const char* what;
    std::uint64_t iova, len;
    DmaError error;  // {} when it translates
    std::uint64_t hva;
  };
  constexpr DmaError kOk{};
  constexpr Case kCases[] = {
      {"first byte of A", 0x10000, 1, kOk, 0x7000'0000},
      {"all of A", 0x10000, 0x2000, kOk, 0x7000'0000},
      {"inside A", 0x10123, 0x100, kOk, 0x7000'0123},
      {"last byte of B", 0x12fff, 1, kOk, 0x9000'0fff},
      {"A into adjacent B", 0x11fff, 2, DmaError::kNotMapped, 0},
      {"past the end of C", 0x23000, 0x1001, DmaError::kNotMapped, 0},
      {"in the gap", 0x13000, 1, DmaError::kNotMapped, 0},
      {"zero length", 0x10000, 0, DmaError::kZeroSize, 0},
      {"wraps", UINT64_MAX, 2, DmaError::kIovaOverflow, 0},
  };
  const DmaMapTracker t = TrackerWithAbc();
  for (const Case& c : kCases) {
    const auto r = t.Translate(Iova(c.iova), c.len);
    if (c.error != kOk) {
      EXPECT_EQ(ErrorOf(r), c.error) << c.what;
    } else {
      ASSERT_TRUE(r) << c.what << ": " << ErrorOf(r).message();
      EXPECT_EQ(r.value(), Hva(c.hva)) << c.what;
    }
  }
}

// A brute-force model: a list of mappings checked pairwise. It decides accept/reject
// independently of the tracker's std::map neighbour logic.
class Model {
 public:
  explicit Model(std::size_t max_entries) : max_entries_(max_entries) {}

  bool Map(std::uint64_t iova, std::uint64_t hva, std::uint64_t size) {
    if (size == 0 || (iova | hva | size) % kPage != 0) return false;
    if (size - 1 > UINT64_MAX - iova || size - 1 > UINT64_MAX - hva) return false;
    for (const DmaMapping& m : list_) {
      if (iova <= m.iova.value() + (m.size - 1) && m.iova.value() <= iova + (size - 1)) {
        return false;
      }
    }
    if (list_.size() >= max_entries_) return false;
    list_.push_back({Iova(iova), Hva(hva), size, Perm::kRead});
    return true;
  }

  // Bytes removed, or nullopt when the tracker must refuse.
  std::optional<std::uint64_t> Unmap(std::uint64_t iova, std::uint64_t size) {
    if (size == 0 || (iova | size) % kPage != 0 || size - 1 > UINT64_MAX - iova) {
      return std::nullopt;
    }
    const std::uint64_t last = iova + (size - 1);
    std::uint64_t removed = 0;
    std::vector<DmaMapping> kept;
    for (const DmaMapping& m : list_) {
      const std::uint64_t m_last = m.iova.value() + (m.size - 1);
      const bool inside = iova <= m.iova.value() && m_last <= last;
      const bool meets = m.iova.value() <= last && iova <= m_last;
      if (meets && !inside) return std::nullopt;
      if (inside) {
        removed += m.size;
      } else {
        kept.push_back(m);
      }
    }
    list_ = std::move(kept);
    return removed;
  }

  std::size_t size() const { return list_.size(); }

 private:
  std::size_t max_entries_;
  std::vector<DmaMapping> list_;
};

void ExpectInvariants(const DmaMapTracker& t, std::size_t model_count) {
  const std::vector<DmaMapping> all = t.mappings();
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < all.size(); ++i) {
    sum += all[i].size;
    if (i == 0) continue;
    // Sorted by iova and pairwise disjoint (adjacent allowed).
    const DmaMapping& prev = all[i - 1];
    ASSERT_LT(prev.iova, all[i].iova);
    ASSERT_LE(prev.iova.value() + (prev.size - 1), all[i].iova.value() - 1);
  }
  ASSERT_EQ(t.total_bytes(), sum);
  ASSERT_EQ(t.count(), all.size());
  ASSERT_EQ(t.count(), model_count);
  ASSERT_LE(t.count(), t.options().max_entries);
}

TEST(DmaMapTest, RandomSequencesKeepTheInvariantsAndAgreeWithAModel) {
  constexpr std::uint64_t kSeeds[] = {1, 2, 3, 42, 0x5eed};
  for (const std::uint64_t seed : kSeeds) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    std::mt19937_64 rng(seed);
    // A small space so ranges collide often; some offsets are unaligned on purpose.
    auto pick = [&rng](std::uint64_t n) { return rng() % n; };
    auto address = [&] { return pick(64) * kPage + (pick(8) == 0 ? 512 : 0); };
    DmaMapTracker::Options options;
    options.max_entries = 12;
    DmaMapTracker t(options);
    Model model(options.max_entries);
    for (int step = 0; step < 3000; ++step) {
      const std::uint64_t iova = address();
      const std::uint64_t size = pick(9) * kPage;  // 0 included
      const std::uint64_t op = pick(100);
      if (op < 55) {
        const bool ok = model.Map(iova, 0x1000'0000 + iova, size);
        ASSERT_EQ(static_cast<bool>(t.Map(Iova(iova), Hva(0x1000'0000 + iova), size,
                                          Perm::kRead)),
                  ok)
            << "map " << iova << "+" << size << " at step " << step;
      } else if (op < 98) {
        const auto expected = model.Unmap(iova, size * 2);
        const auto r = t.Unmap(Iova(iova), size * 2);
        ASSERT_EQ(r.has_value(), expected.has_value()) << "unmap at step " << step;
        if (expected) {
          ASSERT_EQ(r.value(), *expected) << "unmap at step " << step;
        }
      } else {
        model.Unmap(0, UINT64_MAX - kPage + 1);
        t.UnmapAll();
      }
      ExpectInvariants(t, model.size());
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

}  // namespace
}  // namespace vfio
