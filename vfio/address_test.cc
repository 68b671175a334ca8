// Unit tests for vfio/address.h: typed addresses, checked arithmetic, ranges and the GPA<->IOVA
// mapping. Depends on vfio/address.h and GoogleTest only.
#include "vfio/address.h"

#include <compare>
#include <concepts>
#include <cstdint>
#include <iterator>
#include <system_error>
#include <type_traits>

#include <gtest/gtest.h>

namespace vfio {
namespace {

constexpr std::uint64_t kMax = UINT64_MAX;

// The type rules are the point of Addr; they are checked at compile time.
template <class A, class B>
concept Addable = requires(A a, B b) { a + b; };

static_assert(!std::is_convertible_v<Gpa, Iova>);
static_assert(!std::is_convertible_v<Iova, Gpa>);
static_assert(!std::is_convertible_v<Gpa, Hva>);
static_assert(!std::is_constructible_v<Iova, Gpa>);
static_assert(!std::is_convertible_v<std::uint64_t, Gpa>);
static_assert(!std::is_convertible_v<Gpa, std::uint64_t>);
static_assert(std::is_constructible_v<Gpa, std::uint64_t>);  // explicitly only
static_assert(!Addable<Gpa, Gpa>);
static_assert(!Addable<Gpa, Iova>);
static_assert(!Addable<Gpa, std::uint64_t>);
static_assert(!std::equality_comparable_with<Gpa, Iova>);
static_assert(!std::is_convertible_v<GpaRange, IovaRange>);
static_assert(std::is_trivially_copyable_v<Gpa> && sizeof(Gpa) == sizeof(std::uint64_t));

std::error_code ErrorOf(const auto& result) {
  return result.has_error() ? result.error() : std::error_code();
}

TEST(AddressTest, ErrorCodesPrintAsCategoryAndSnakeCaseName) {
  struct Case {
    AddressError error;
    const char* name;
  };
  constexpr Case kCases[] = {
      {AddressError::kOverflow, "overflow"},
      {AddressError::kUnderflow, "underflow"},
      {AddressError::kZeroSize, "zero_size"},
      {AddressError::kNotPowerOfTwo, "not_power_of_two"},
  };
  for (const Case& c : kCases) {
    const std::error_code ec = c.error;  // implicit: is_error_code_enum
    EXPECT_TRUE(ec.category() == AddressCategory());
    EXPECT_STREQ(ec.category().name(), "vfio.address");
    EXPECT_EQ(ec.message(), c.name);
    EXPECT_STREQ(ToString(c.error), c.name);
    EXPECT_EQ(ec, make_error_code(c.error));
  }
}

struct AddCase {
  std::uint64_t start;
  std::uint64_t n;
  bool ok;
  std::uint64_t sum;
};

TEST(AddressTest, CheckedAddReportsOverflowInsteadOfWrapping) {
  constexpr AddCase kCases[] = {
      {0, 0, true, 0},
      {0, kMax, true, kMax},
      {kMax, 0, true, kMax},
      {kMax - 1, 1, true, kMax},
      {0x1000, 0x2000, true, 0x3000},
      {kMax, 1, false, 0},
      {kMax - 1, 2, false, 0},
      {1, kMax, false, 0},
      {kMax, kMax, false, 0},
      {1ull << 63, 1ull << 63, false, 0},
  };
  for (const AddCase& c : kCases) {
    SCOPED_TRACE(testing::Message() << std::hex << c.start << " + " << c.n);
    const Result<Gpa> r = Gpa(c.start).CheckedAdd(c.n);
    ASSERT_EQ(r.has_value(), c.ok);
    if (c.ok) {
      EXPECT_EQ(r.value(), Gpa(c.sum));
    } else {
      EXPECT_EQ(r.error(), AddressError::kOverflow);
    }
  }
}

TEST(AddressTest, CheckedDiffReportsUnderflowWhenLowIsAbove) {
  struct Case {
    std::uint64_t hi;
    std::uint64_t lo;
    bool ok;
    std::uint64_t diff;
  };
  constexpr Case kCases[] = {
      {0, 0, true, 0},
      {kMax, 0, true, kMax},
      {kMax, kMax, true, 0},
      {0x3000, 0x1000, true, 0x2000},
      {0, 1, false, 0},
      {kMax - 1, kMax, false, 0},
      {0x1000, 0x1001, false, 0},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(testing::Message() << std::hex << c.hi << " - " << c.lo);
    const Result<std::uint64_t> r = Iova(c.hi).CheckedDiff(Iova(c.lo));
    ASSERT_EQ(r.has_value(), c.ok);
    if (c.ok) {
      EXPECT_EQ(r.value(), c.diff);
    } else {
      EXPECT_EQ(r.error(), AddressError::kUnderflow);
    }
  }
}

TEST(AddressTest, IsAlignedIsFalseForEveryAlignmentThatIsNotAPowerOfTwo) {
  struct Case {
    std::uint64_t value;
    std::uint64_t align;
    bool aligned;
  };
  constexpr Case kCases[] = {
      {0, 0, false},           {0x1000, 0, false},     {0x3000, 3, false},
      {0x3000, 0x3000, false}, {0, 1, true},           {kMax, 1, true},
      {0x1000, 0x1000, true},  {0x1800, 0x1000, false}, {0, 1ull << 63, true},
      {1ull << 63, 1ull << 63, true}, {kMax, 1ull << 63, false}, {kMax - 1, 2, true},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(testing::Message() << std::hex << c.value << " align " << c.align);
    EXPECT_EQ(Hva(c.value).IsAligned(c.align), c.aligned);
  }
}

TEST(AddressTest, AlignUpReportsOverflowAtTheTopOfTheSpace) {
  struct Case {
    std::uint64_t value;
    std::uint64_t align;
    AddressError error;  // kOverflow or kNotPowerOfTwo; 0 when it succeeds
    std::uint64_t aligned;
  };
  constexpr AddressError kOk{};
  constexpr Case kCases[] = {
      {0, 0x1000, kOk, 0},
      {1, 0x1000, kOk, 0x1000},
      {0x1000, 0x1000, kOk, 0x1000},
      {0x1001, 0x1000, kOk, 0x2000},
      {kMax, 1, kOk, kMax},
      {kMax - 0xfff, 0x1000, kOk, kMax - 0xfff},  // the last page starts here
      {kMax - 0xffe, 0x1000, AddressError::kOverflow, 0},
      {kMax, 2, AddressError::kOverflow, 0},
      {1, 1ull << 63, kOk, 1ull << 63},
      {(1ull << 63) + 1, 1ull << 63, AddressError::kOverflow, 0},
      {0x1000, 0, AddressError::kNotPowerOfTwo, 0},
      {0x1000, 0x1800, AddressError::kNotPowerOfTwo, 0},
      {kMax, 3, AddressError::kNotPowerOfTwo, 0},  // the alignment is checked first
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(testing::Message() << std::hex << c.value << " align " << c.align);
    const Result<Gpa> r = Gpa(c.value).AlignUp(c.align);
    if (c.error == kOk) {
      ASSERT_TRUE(r.has_value()) << r.error().message();
      EXPECT_EQ(r.value(), Gpa(c.aligned));
      EXPECT_TRUE(r.value().IsAligned(c.align));
      EXPECT_GE(r.value(), Gpa(c.value));
    } else {
      EXPECT_EQ(ErrorOf(r), c.error);
    }
  }
}

TEST(AddressTest, AlignDownClearsTheLowBits) {
  struct Case {
    std::uint64_t value;
    std::uint64_t align;
    std::uint64_t aligned;
  };
  constexpr Case kCases[] = {
      {0, 0x1000, 0},          {0xfff, 0x1000, 0},      {0x1000, 0x1000, 0x1000},
      {0x1fff, 0x1000, 0x1000}, {kMax, 1, kMax},        {kMax, 0x1000, kMax - 0xfff},
      {kMax, 1ull << 63, 1ull << 63},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(testing::Message() << std::hex << c.value << " align " << c.align);
    EXPECT_EQ(Iova(c.value).AlignDown(c.align), Iova(c.aligned));
  }
}

TEST(AddressTest, OrderingMatchesUint64) {
  constexpr std::uint64_t kValues[] = {0,          1,          0x7fff'ffff, 0x8000'0000,
                                       0xffff'ffff, 1ull << 32, (1ull << 63) - 1,
                                       1ull << 63, kMax - 1,   kMax};
  for (std::uint64_t a : kValues) {
    for (std::uint64_t b : kValues) {
      SCOPED_TRACE(testing::Message() << std::hex << a << " vs " << b);
      EXPECT_EQ(Gpa(a) <=> Gpa(b), a <=> b);
      EXPECT_EQ(Gpa(a) == Gpa(b), a == b);
      EXPECT_EQ(Iova(a) < Iova(b), a < b);
    }
  }
}

struct RangeCase {
  std::uint64_t start;
  std::uint64_t size;
  AddressError error;  // zero when Make succeeds
};

TEST(AddressTest, RangeMakeRejectsZeroSizeAndWrapAround) {
  constexpr AddressError kOk{};
  constexpr RangeCase kCases[] = {
      {0, 0, AddressError::kZeroSize},
      {kMax, 0, AddressError::kZeroSize},
      {0, 1, kOk},
      {0, kMax, kOk},
      {1, kMax, kOk},  // ends exactly at 2^64
      {2, kMax, AddressError::kOverflow},
      {kMax, 1, kOk},
      {kMax, 2, AddressError::kOverflow},
      {kMax - 0xfff, 0x1000, kOk},
      {kMax - 0xfff, 0x1001, AddressError::kOverflow},
      {1ull << 63, 1ull << 63, kOk},
      {(1ull << 63) + 1, 1ull << 63, AddressError::kOverflow},
  };
  for (const RangeCase& c : kCases) {
    SCOPED_TRACE(testing::Message() << std::hex << "[" << c.start << ", +" << c.size << ")");
    const Result<GpaRange> r = GpaRange::Make(Gpa(c.start), c.size);
    if (c.error == kOk) {
      ASSERT_TRUE(r.has_value()) << r.error().message();
      EXPECT_EQ(r.value().start(), Gpa(c.start));
      EXPECT_EQ(r.value().size(), c.size);
      EXPECT_EQ(r.value().last(), Gpa(c.start + (c.size - 1)));
      EXPECT_GE(r.value().last(), r.value().start());
    } else {
      EXPECT_EQ(ErrorOf(r), c.error);
    }
  }
}

TEST(AddressTest, RangeFromInclusiveRejectsReversedBoundsAndTheWholeSpace) {
  struct Case {
    std::uint64_t first;
    std::uint64_t last;
    AddressError error;
    std::uint64_t size;
  };
  constexpr AddressError kOk{};
  constexpr Case kCases[] = {
      {0, 0, kOk, 1},
      {kMax, kMax, kOk, 1},
      {0x1000, 0x1fff, kOk, 0x1000},
      {0, kMax - 1, kOk, kMax},
      {1, kMax, kOk, kMax},
      {0, kMax, AddressError::kOverflow, 0},  // 2^64 bytes: not representable
      {1, 0, AddressError::kUnderflow, 0},
      {kMax, 0, AddressError::kUnderflow, 0},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(testing::Message() << std::hex << "[" << c.first << ", " << c.last << "]");
    const Result<IovaRange> r = IovaRange::FromInclusive(Iova(c.first), Iova(c.last));
    if (c.error == kOk) {
      ASSERT_TRUE(r.has_value()) << r.error().message();
      EXPECT_EQ(r.value().start(), Iova(c.first));
      EXPECT_EQ(r.value().last(), Iova(c.last));
      EXPECT_EQ(r.value().size(), c.size);
      EXPECT_EQ(r.value(), IovaRange::Make(Iova(c.first), c.size).value());
    } else {
      EXPECT_EQ(ErrorOf(r), c.error);
    }
  }
}

GpaRange MakeRange(std::uint64_t start, std::uint64_t size) {
  return GpaRange::Make(Gpa(start), size).value();
}

TEST(AddressTest, ContainsAddressIncludesBothEndsAndNothingOutside) {
  struct Case {
    std::uint64_t start;
    std::uint64_t size;
    std::uint64_t address;
    bool contained;
  };
  constexpr Case kCases[] = {
      {0x1000, 0x1000, 0x1000, true},   {0x1000, 0x1000, 0x1fff, true},
      {0x1000, 0x1000, 0x0fff, false},  {0x1000, 0x1000, 0x2000, false},
      {0, 1, 0, true},                  {0, 1, 1, false},
      {kMax, 1, kMax, true},            {kMax, 1, kMax - 1, false},
      {1, kMax, kMax, true},            {1, kMax, 0, false},
      {0, kMax, kMax, false},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(testing::Message() << std::hex << "[" << c.start << ", +" << c.size << ") "
                                    << c.address);
    EXPECT_EQ(MakeRange(c.start, c.size).Contains(Gpa(c.address)), c.contained);
  }
}

struct PairCase {
  std::uint64_t a_start, a_size, b_start, b_size;
  bool a_contains_b;
  bool overlaps;
};

TEST(AddressTest, ContainsRangeAndOverlapsTreatAdjacentRangesAsDisjoint) {
  constexpr PairCase kCases[] = {
      {0x1000, 0x1000, 0x1000, 0x1000, true, true},    // equal
      {0x1000, 0x3000, 0x2000, 0x1000, true, true},    // strictly inside
      {0x1000, 0x1000, 0x2000, 0x1000, false, false},  // adjacent above
      {0x2000, 0x1000, 0x1000, 0x1000, false, false},  // adjacent below
      {0x1000, 0x1000, 0x1fff, 0x1000, false, true},   // one byte shared at the top
      {0x1000, 0x1000, 0x0001, 0x1000, false, true},   // one byte shared at the bottom
      {0x1000, 0x1000, 0x0fff, 0x1000, false, true},   // b starts before a
      {0x1000, 0x1000, 0x0000, 0x4000, false, true},   // b covers a
      {kMax, 1, kMax, 1, true, true},                  // the last byte
      {kMax - 0xfff, 0x1000, kMax, 1, true, true},
      {0, 1, kMax, 1, false, false},
      {1, kMax, 0, 1, false, false},
      {0, kMax, 1, kMax, false, true},
  };
  for (const PairCase& c : kCases) {
    SCOPED_TRACE(testing::Message() << std::hex << "[" << c.a_start << ", +" << c.a_size
                                    << ") vs [" << c.b_start << ", +" << c.b_size << ")");
    const GpaRange a = MakeRange(c.a_start, c.a_size);
    const GpaRange b = MakeRange(c.b_start, c.b_size);
    EXPECT_EQ(a.Contains(b), c.a_contains_b);
    EXPECT_EQ(a.Overlaps(b), c.overlaps);
    EXPECT_EQ(b.Overlaps(a), c.overlaps);  // symmetric
    if (c.a_contains_b) {
      EXPECT_TRUE(a.Overlaps(b));
    }
  }
}

TEST(AddressTest, GpaIovaMappingFailsWhenTheShiftLeavesTheSpace) {
  struct Case {
    std::int64_t offset;
    std::uint64_t gpa;
    AddressError error;
    std::uint64_t iova;
  };
  constexpr AddressError kOk{};
  constexpr Case kCases[] = {
      {0, 0, kOk, 0},
      {0, kMax, kOk, kMax},
      {0x1000, 0, kOk, 0x1000},
      {0x1000, kMax - 0xfff, AddressError::kOverflow, 0},
      {0x1000, kMax - 0x1000, kOk, kMax},
      {-0x1000, 0x1000, kOk, 0},
      {-0x1000, 0xfff, AddressError::kUnderflow, 0},
      {INT64_MAX, 1ull << 63, kOk, kMax},
      {INT64_MAX, (1ull << 63) + 1, AddressError::kOverflow, 0},
      {INT64_MIN, 1ull << 63, kOk, 0},
      {INT64_MIN, kMax, kOk, (1ull << 63) - 1},
      {INT64_MIN, (1ull << 63) - 1, AddressError::kUnderflow, 0},
      {INT64_MIN, 0, AddressError::kUnderflow, 0},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(testing::Message() << "offset " << c.offset << " gpa " << std::hex << c.gpa);
    const GpaIovaMapping mapping(c.offset);
    EXPECT_EQ(mapping.offset(), c.offset);
    const Result<Iova> r = mapping.ToIova(Gpa(c.gpa));
    if (c.error == kOk) {
      ASSERT_TRUE(r.has_value()) << r.error().message();
      EXPECT_EQ(r.value(), Iova(c.iova));
    } else {
      EXPECT_EQ(ErrorOf(r), c.error);
    }
  }
}

TEST(AddressTest, GpaIovaMappingRoundTripsInBothDirections) {
  constexpr std::int64_t kOffsets[] = {0,         1,         -1,        0x1000,   -0x1000,
                                       1ll << 32, -(1ll << 32), INT64_MAX, INT64_MIN,
                                       INT64_MIN + 1};
  constexpr std::uint64_t kAddresses[] = {0,          1,          0xfff,     0x1000,
                                          0xffff'ffff, 1ull << 32, (1ull << 63) - 1,
                                          1ull << 63, kMax - 1,   kMax};
  int successes = 0;
  for (std::int64_t offset : kOffsets) {
    const GpaIovaMapping mapping(offset);
    for (std::uint64_t a : kAddresses) {
      SCOPED_TRACE(testing::Message() << "offset " << offset << " address " << std::hex << a);
      if (const Result<Iova> iova = mapping.ToIova(Gpa(a)); iova.has_value()) {
        ++successes;
        const Result<Gpa> back = mapping.ToGpa(iova.value());
        ASSERT_TRUE(back.has_value()) << back.error().message();
        EXPECT_EQ(back.value(), Gpa(a));
      }
      if (const Result<Gpa> gpa = mapping.ToGpa(Iova(a)); gpa.has_value()) {
        const Result<Iova> back = mapping.ToIova(gpa.value());
        ASSERT_TRUE(back.has_value()) << back.error().message();
        EXPECT_EQ(back.value(), Iova(a));
      }
    }
  }
  // Each offset maps at least one sample address; the loop above is not vacuous.
  EXPECT_GE(successes, static_cast<int>(std::size(kOffsets)));
}

TEST(AddressTest, IdentityMappingIsOffsetZero) {
  constexpr GpaIovaMapping kIdentity = GpaIovaMapping::Identity();
  static_assert(kIdentity.offset() == 0);
  static_assert(GpaIovaMapping().offset() == 0);
  for (std::uint64_t a : {std::uint64_t{0}, std::uint64_t{0x1234'5000}, kMax}) {
    EXPECT_EQ(kIdentity.ToIova(Gpa(a)).value(), Iova(a));
    EXPECT_EQ(kIdentity.ToGpa(Iova(a)).value(), Gpa(a));
  }
}

TEST(AddressTest, IsPowerOfTwoRejectsZero) {
  EXPECT_FALSE(IsPowerOfTwo(0));
  EXPECT_FALSE(IsPowerOfTwo(3));
  EXPECT_FALSE(IsPowerOfTwo(kMax));
  for (int bit = 0; bit < 64; ++bit) {
    EXPECT_TRUE(IsPowerOfTwo(1ull << bit)) << bit;
    if (bit >= 2) {
      EXPECT_FALSE(IsPowerOfTwo((1ull << bit) + 1)) << bit;
    }
  }
}

}  // namespace
}  // namespace vfio
