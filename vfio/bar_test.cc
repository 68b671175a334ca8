// Unit tests for vfio/bar.h: BAR index <-> offset and decoding of the sizing protocol.
// Depends on vfio/bar.h, the standard library and GoogleTest only.
#include "vfio/bar.h"

#include <cstdint>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <system_error>
#include <vector>

#include <gtest/gtest.h>

namespace vfio {
namespace {

constexpr std::optional<std::uint32_t> kNoHi = std::nullopt;

template <class T>
std::error_code ErrorOf(const Result<T>& r) {
  return r.has_error() ? r.error() : std::error_code();
}

TEST(BarTest, ErrorCodesPrintAsCategoryAndSnakeCaseName) {
  struct Case {
    BarError error;
    const char* name;
  };
  constexpr Case kCases[] = {
      {BarError::kInvalidIndex, "invalid_index"},
      {BarError::kUnalignedOffset, "unaligned_offset"},
      {BarError::kNotBarOffset, "not_bar_offset"},
      {BarError::kReservedType, "reserved_type"},
      {BarError::kMem64InLastSlot, "mem64_in_last_slot"},
      {BarError::kMissingUpperHalf, "missing_upper_half"},
      {BarError::kUnexpectedUpperHalf, "unexpected_upper_half"},
      {BarError::kNotImplemented, "not_implemented"},
      {BarError::kNotPowerOfTwo, "not_power_of_two"},
  };
  for (const Case& c : kCases) {
    const std::error_code ec = c.error;
    EXPECT_TRUE(ec.category() == BarCategory());
    EXPECT_STREQ(ec.category().name(), "vfio.bar");
    EXPECT_EQ(ec.message(), c.name);
    EXPECT_STREQ(ToString(c.error), c.name);
  }
}

TEST(BarTest, BarInfoPrintsKindFlagAndHexSize) {
  std::ostringstream os;
  os << BarInfo{BarKind::kMem64, true, 0x10'0000} << " " << 42;
  EXPECT_EQ(os.str(), "BarInfo{kind=mem64, prefetchable=true, size=0x100000} 42");
  EXPECT_STREQ(ToString(BarKind::kIo), "io");
  EXPECT_STREQ(ToString(BarKind::kMem32), "mem32");
  EXPECT_STREQ(ToString(BarKind::kMem64), "mem64");
}

TEST(BarTest, BarOffsetMapsSixBarsAndTheRomAndRejectsIndexSevenUp) {
  struct Case {
    unsigned index;
    std::uint16_t offset;  // 0 for kInvalidIndex
  };
  constexpr Case kCases[] = {
      {0, 0x10}, {1, 0x14}, {2, 0x18}, {3, 0x1c}, {4, 0x20}, {5, 0x24}, {kRomIndex, kRomOffset},
      {7, 0},    {8, 0},    {255, 0},  {UINT32_MAX, 0},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(testing::Message() << "index " << c.index);
    const Result<std::uint16_t> r = BarOffset(c.index);
    if (c.offset == 0) {
      EXPECT_EQ(ErrorOf(r), BarError::kInvalidIndex);
      continue;
    }
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r.value(), c.offset);
    EXPECT_EQ(r.value() % 4, 0);
    EXPECT_EQ(BarIndexFromOffset(r.value()).value(), c.index);
  }
  static_assert(kRomOffset == 0x30 && kRomIndex == 6 && kNumBars == 6);
}

TEST(BarTest, BarIndexFromOffsetRejectsUnalignedAndNonBarOffsets) {
  struct Case {
    std::uint16_t offset;
    BarError error;  // zero when it succeeds
    unsigned index;
  };
  constexpr BarError kOk{};
  constexpr Case kCases[] = {
      {0x10, kOk, 0},
      {0x24, kOk, 5},
      {0x30, kOk, kRomIndex},
      {0x11, BarError::kUnalignedOffset, 0},
      {0x12, BarError::kUnalignedOffset, 0},
      {0x27, BarError::kUnalignedOffset, 0},
      {0x31, BarError::kUnalignedOffset, 0},
      {0xffff, BarError::kUnalignedOffset, 0},
      {0x00, BarError::kNotBarOffset, 0},
      {0x0c, BarError::kNotBarOffset, 0},
      {0x28, BarError::kNotBarOffset, 0},  // CardBus CIS pointer
      {0x2c, BarError::kNotBarOffset, 0},
      {0x34, BarError::kNotBarOffset, 0},
      {0x38, BarError::kNotBarOffset, 0},  // a bridge's ROM: not in a type-0 header
      {0xfffc, BarError::kNotBarOffset, 0},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(testing::Message() << std::hex << "offset 0x" << c.offset);
    const Result<unsigned> r = BarIndexFromOffset(c.offset);
    if (c.error == kOk) {
      ASSERT_TRUE(r.has_value()) << r.error().message();
      EXPECT_EQ(r.value(), c.index);
    } else {
      EXPECT_EQ(ErrorOf(r), c.error);
    }
  }
}

// Every 16-bit offset: exactly the seven BarOffset values map back, and they map back to
// their own index.
TEST(BarTest, BarIndexFromOffsetInvertsBarOffsetOverEveryOffset) {
  std::set<std::uint16_t> bar_offsets;
  for (unsigned index = 0; index <= kRomIndex; ++index) bar_offsets.insert(BarOffset(index).value());
  ASSERT_EQ(bar_offsets.size(), 7u);
  for (unsigned offset = 0; offset <= 0xffff; ++offset) {
    const Result<unsigned> r = BarIndexFromOffset(static_cast<std::uint16_t>(offset));
    if (bar_offsets.count(static_cast<std::uint16_t>(offset)) != 0) {
      ASSERT_TRUE(r.has_value()) << offset;
      ASSERT_EQ(BarOffset(r.value()).value(), offset);
    } else {
      ASSERT_EQ(ErrorOf(r), offset % 4 != 0 ? BarError::kUnalignedOffset
                                            : BarError::kNotBarOffset)
          << offset;
    }
  }
}

TEST(BarTest, IsMem64OnlyForMemoryType10) {
  for (std::uint32_t low = 0; low < 256; ++low) {
    const bool memory = (low & 1) == 0;
    const std::uint32_t type = (low >> 1) & 3;
    EXPECT_EQ(IsMem64(0xffff'ff00 | low), memory && type == 2) << low;
    EXPECT_EQ(IsMem64(low), memory && type == 2) << low;
  }
}

struct DecodeCase {
  const char* what;
  unsigned index;
  std::uint32_t lo;
  std::optional<std::uint32_t> hi;
  BarKind kind;
  bool prefetchable;
  std::uint64_t size;
};

TEST(BarTest, DecodeBarSizesIoMem32AndMem64Readbacks) {
  const DecodeCase kCases[] = {
      {"edu BAR0 via VFIO", 0, 0xfff0'0000, kNoHi, BarKind::kMem32, false, 0x10'0000},
      {"e1000e BAR0", 0, 0xfffe'0000, kNoHi, BarKind::kMem32, false, 0x2'0000},
      {"e1000e I/O BAR2", 2, 0xffff'ffe1, kNoHi, BarKind::kIo, false, 0x20},
      {"e1000e MSI-X BAR3", 3, 0xffff'c000, kNoHi, BarKind::kMem32, false, 0x4000},
      {"all ones is a 4-byte I/O BAR", 0, 0xffff'ffff, kNoHi, BarKind::kIo, false, 4},
      {"smallest mem32", 1, 0xffff'fff0, kNoHi, BarKind::kMem32, false, 16},
      {"prefetchable mem32", 1, 0xffff'fff8, kNoHi, BarKind::kMem32, true, 16},
      {"largest mem32", 5, 0x8000'0000, kNoHi, BarKind::kMem32, false, 0x8000'0000},
      {"largest I/O", 5, 0x8000'0001, kNoHi, BarKind::kIo, false, 0x8000'0000},
      {"I/O reserved bit 1 ignored", 0, 0xffff'ffe3, kNoHi, BarKind::kIo, false, 0x20},
      {"16-bit I/O decoder", 0, 0x0000'ffe1, kNoHi, BarKind::kIo, false, 0x20},
      {"16-bit I/O, 4 bytes", 0, 0x0000'fffd, kNoHi, BarKind::kIo, false, 4},
      {"16-bit I/O, 32 KiB", 0, 0x0000'8001, kNoHi, BarKind::kIo, false, 0x8000},
      {"64 MiB prefetchable mem64", 0, 0xfc00'000c, 0xffff'ffff, BarKind::kMem64, true,
       0x400'0000},
      {"mem64 in slot 4", 4, 0xffff'fff4, 0xffff'ffff, BarKind::kMem64, false, 16},
      {"4 GiB mem64", 2, 0x0000'000c, 0xffff'ffff, BarKind::kMem64, true, 1ull << 32},
      {"16 GiB mem64", 2, 0x0000'0004, 0xffff'fffc, BarKind::kMem64, false, 1ull << 34},
      {"2^63 mem64", 0, 0x0000'0004, 0x8000'0000, BarKind::kMem64, false, 1ull << 63},
  };
  for (const DecodeCase& c : kCases) {
    SCOPED_TRACE(c.what);
    const Result<BarInfo> r = DecodeBar(c.index, c.lo, c.hi);
    ASSERT_TRUE(r.has_value()) << r.error().message();
    EXPECT_EQ(r.value(), (BarInfo{c.kind, c.prefetchable, c.size}));
  }
}

struct ErrorCase {
  const char* what;
  unsigned index;
  std::uint32_t lo;
  std::optional<std::uint32_t> hi;
  BarError error;
};

TEST(BarTest, DecodeBarReportsEveryWayAReadbackIsWrong) {
  const ErrorCase kCases[] = {
      {"the ROM index", kRomIndex, 0xfff0'0000, kNoHi, BarError::kInvalidIndex},
      {"index 7", 7, 0xfff0'0000, kNoHi, BarError::kInvalidIndex},
      {"index UINT32_MAX", UINT32_MAX, 0, kNoHi, BarError::kInvalidIndex},
      {"mem64 at the ROM", kRomIndex, 0xfff0'0004, 0xffff'ffff, BarError::kInvalidIndex},
      {"memory type 01", 0, 0xfff0'0002, kNoHi, BarError::kReservedType},
      {"memory type 11", 0, 0xfff0'0006, kNoHi, BarError::kReservedType},
      {"prefetchable type 01", 0, 0xfff0'000a, kNoHi, BarError::kReservedType},
      {"prefetchable type 11", 0, 0xfff0'000e, 0xffff'ffff, BarError::kReservedType},
      {"type 11, no address bits", 0, 0x0000'0006, kNoHi, BarError::kReservedType},
      {"mem64 in slot 5", 5, 0xfff0'000c, 0xffff'ffff, BarError::kMem64InLastSlot},
      {"mem64 in slot 5 without hi", 5, 0xfff0'0004, kNoHi, BarError::kMem64InLastSlot},
      {"mem64 without hi", 0, 0xfff0'0004, kNoHi, BarError::kMissingUpperHalf},
      {"unimplemented mem64 without hi", 4, 0x0000'000c, kNoHi, BarError::kMissingUpperHalf},
      {"I/O with hi", 0, 0xffff'ffe1, 0xffff'ffff, BarError::kUnexpectedUpperHalf},
      {"mem32 with hi", 0, 0xfff0'0000, 0, BarError::kUnexpectedUpperHalf},
      {"unimplemented with hi", 0, 0, 0, BarError::kUnexpectedUpperHalf},
      {"all zeros", 0, 0, kNoHi, BarError::kNotImplemented},
      {"only the prefetch bit", 0, 0x0000'0008, kNoHi, BarError::kNotImplemented},
      {"only the I/O bit", 0, 0x0000'0001, kNoHi, BarError::kNotImplemented},
      {"I/O bit and reserved bit", 0, 0x0000'0003, kNoHi, BarError::kNotImplemented},
      {"mem64, both halves zero", 0, 0x0000'0004, 0, BarError::kNotImplemented},
      {"mem64 prefetchable, both zero", 0, 0x0000'000c, 0, BarError::kNotImplemented},
      {"mem32 with a hole", 0, 0xfff0'f000, kNoHi, BarError::kNotPowerOfTwo},
      {"mem32 missing the top bit", 0, 0x7fff'fff0, kNoHi, BarError::kNotPowerOfTwo},
      {"mem32 single low bit", 0, 0x0000'0010, kNoHi, BarError::kNotPowerOfTwo},
      {"I/O with a partial upper half", 0, 0x00ff'ffe1, kNoHi, BarError::kNotPowerOfTwo},
      {"16-bit I/O with a hole", 0, 0x0000'f0f1, kNoHi, BarError::kNotPowerOfTwo},
      {"mem64 with a zero upper half", 0, 0xfff0'0004, 0, BarError::kNotPowerOfTwo},
      {"mem64 upper half missing bit 63", 0, 0x0000'0004, 0x7fff'ffff,
       BarError::kNotPowerOfTwo},
      {"mem64 with a hole in the upper half", 0, 0xffff'fff4, 0xffff'7fff,
       BarError::kNotPowerOfTwo},
  };
  std::set<BarError> seen;
  for (const ErrorCase& c : kCases) {
    SCOPED_TRACE(c.what);
    EXPECT_EQ(ErrorOf(DecodeBar(c.index, c.lo, c.hi)), c.error);
    seen.insert(c.error);
  }
  // Every decode error appears; the two offset errors belong to BarIndexFromOffset.
  EXPECT_EQ(seen.size(), 7u);
}

// A virtual BAR of size 2^k reads back SizeMask(2^k) plus its read-only flag bits; decoding
// that readback must give the BAR back, for every size each kind allows.
TEST(BarTest, DecodeBarOfSizeMaskRoundTripsEverySize) {
  for (bool prefetchable : {false, true}) {
    const std::uint32_t prefetch_bit = prefetchable ? 0x8 : 0x0;
    for (int k = 4; k < 32; ++k) {
      const std::uint64_t size = 1ull << k;
      const auto lo = static_cast<std::uint32_t>(SizeMask(size)) | prefetch_bit;
      EXPECT_EQ(DecodeBar(0, lo, kNoHi).value(),
                (BarInfo{BarKind::kMem32, prefetchable, size}))
          << k;
    }
    for (int k = 4; k < 64; ++k) {
      const std::uint64_t size = 1ull << k;
      const std::uint64_t mask = SizeMask(size);
      const auto lo = static_cast<std::uint32_t>(mask) | 0x4 | prefetch_bit;
      const auto hi = static_cast<std::uint32_t>(mask >> 32);
      EXPECT_EQ(DecodeBar(4, lo, hi).value(), (BarInfo{BarKind::kMem64, prefetchable, size}))
          << k;
    }
  }
  for (int k = 2; k < 32; ++k) {
    const std::uint64_t size = 1ull << k;
    const auto lo = static_cast<std::uint32_t>(SizeMask(size)) | 0x1;
    EXPECT_EQ(DecodeBar(5, lo, kNoHi).value(), (BarInfo{BarKind::kIo, false, size})) << k;
    if (k < 16) {  // the same BAR behind a 16-bit decoder
      EXPECT_EQ(DecodeBar(5, lo & 0xffff, kNoHi).value(), (BarInfo{BarKind::kIo, false, size}))
          << k;
    }
  }
}

// The decoding rules restated independently: the size is the lowest set address bit (as
// Linux's pci_size finds it), valid when every address bit above it reads back 1.
struct Expected {
  std::error_code error;
  BarInfo info;
};

Expected Oracle(unsigned index, std::uint32_t lo, std::optional<std::uint32_t> hi) {
  if (index > 5) return {BarError::kInvalidIndex, {}};
  BarInfo info;
  std::uint64_t address = 0;
  std::uint64_t all_ones = 0xffff'ffff;  // the address bits a decoder of this width has
  if ((lo & 1) == 1) {
    if (hi.has_value()) return {BarError::kUnexpectedUpperHalf, {}};
    info.kind = BarKind::kIo;
    address = lo & ~3u;
    if ((address >> 16) == 0) all_ones = 0xffff;
  } else {
    const unsigned type = (lo >> 1) & 3;
    if (type == 1 || type == 3) return {BarError::kReservedType, {}};
    info.prefetchable = (lo & 8) != 0;
    address = lo & ~15u;
    if (type == 0) {
      if (hi.has_value()) return {BarError::kUnexpectedUpperHalf, {}};
      info.kind = BarKind::kMem32;
    } else {
      if (index == 5) return {BarError::kMem64InLastSlot, {}};
      if (!hi.has_value()) return {BarError::kMissingUpperHalf, {}};
      info.kind = BarKind::kMem64;
      address |= std::uint64_t{*hi} << 32;
      all_ones = UINT64_MAX;
    }
  }
  if (address == 0) return {BarError::kNotImplemented, {}};
  const std::uint64_t lowest = address & (0 - address);
  if (address != (all_ones & ~(lowest - 1))) return {BarError::kNotPowerOfTwo, {}};
  info.size = lowest;
  return {std::error_code(), info};
}

// The address-bit shapes a probe can take: none, contiguous from every bit (32- and 16-bit
// decoders), the same with a hole, single bits, and random words from a fixed seed.
std::vector<std::uint32_t> AddressPatterns() {
  std::vector<std::uint32_t> out = {0, 0xffff'ffff};
  for (int k = 2; k < 32; ++k) {
    const std::uint32_t contiguous = ~((1u << k) - 1);
    out.push_back(contiguous);
    out.push_back(contiguous & 0xffff);
    out.push_back(contiguous & ~(1u << 31));
    if (k < 31) out.push_back(contiguous & ~(1u << (k + 1)));
    out.push_back(1u << k);
  }
  std::mt19937 rng(20240611);  // raw mt19937 output is fixed by the standard
  for (int i = 0; i < 2048; ++i) out.push_back(static_cast<std::uint32_t>(rng()));
  return out;
}

TEST(BarTest, DecodeBarMatchesTheRulesOnEveryProbePatternClass) {
  const std::vector<std::uint32_t> patterns = AddressPatterns();
  const std::optional<std::uint32_t> kHis[] = {kNoHi,       0u,          0xffff'ffffu,
                                               0x8000'0000u, 0xffff'7fffu, 0xffff'fff0u};
  constexpr unsigned kIndices[] = {0, 4, 5, kRomIndex, 7};
  std::set<int> outcomes;  // error values, and 100 + kind for successes
  for (std::uint32_t pattern : patterns) {
    for (std::uint32_t flags = 0; flags < 16; ++flags) {
      const std::uint32_t lo = (pattern & ~15u) | flags;
      for (const std::optional<std::uint32_t>& hi : kHis) {
        for (unsigned index : kIndices) {
          const Expected want = Oracle(index, lo, hi);
          const Result<BarInfo> got = DecodeBar(index, lo, hi);
          ASSERT_EQ(ErrorOf(got), want.error)
              << std::hex << "index " << index << " lo 0x" << lo << " hi 0x"
              << hi.value_or(0) << (hi ? "" : " (none)");
          if (got.has_value()) {
            ASSERT_EQ(got.value(), want.info) << std::hex << "lo 0x" << lo;
            outcomes.insert(100 + static_cast<int>(got.value().kind));
          } else {
            outcomes.insert(got.error().value());
          }
        }
      }
    }
  }
  // Three kinds decoded and all seven decode errors seen: the sweep reaches every outcome.
  EXPECT_EQ(outcomes.size(), 10u);
}

TEST(BarTest, SizeMaskIsComplementOfSizeMinusOne) {
  struct Case {
    std::uint64_t size;
    std::uint64_t mask;
  };
  constexpr Case kCases[] = {
      {1, UINT64_MAX},
      {16, 0xffff'ffff'ffff'fff0},
      {0x10'0000, 0xffff'ffff'fff0'0000},
      {1ull << 32, 0xffff'ffff'0000'0000},
      {1ull << 63, 1ull << 63},
      {0, 0},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(SizeMask(c.size), c.mask) << c.size;
  }
  static_assert(SizeMask(0x1000) == 0xffff'ffff'ffff'f000);
}

TEST(BarTest, DecodeRomBarIgnoresTheEnableAndReservedBits) {
  struct Case {
    std::uint32_t probe;
    BarError error;  // zero when it succeeds
    std::uint64_t size;
  };
  constexpr BarError kOk{};
  constexpr Case kCases[] = {
      {0xffff'f800, kOk, 0x800},
      {0xffff'f801, kOk, 0x800},  // enable bit
      {0xffff'fffe, kOk, 0x800},  // reserved bits 10:1
      {0xffff'ffff, kOk, 0x800},
      {0xfffe'0000, kOk, 0x2'0000},
      {0xfffe'0001, kOk, 0x2'0000},
      {0x8000'0000, kOk, 0x8000'0000},
      {0x0000'0000, BarError::kNotImplemented, 0},
      {0x0000'0001, BarError::kNotImplemented, 0},
      {0x0000'07ff, BarError::kNotImplemented, 0},
      {0xfff0'f800, BarError::kNotPowerOfTwo, 0},
      {0x7fff'f800, BarError::kNotPowerOfTwo, 0},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(testing::Message() << std::hex << "probe 0x" << c.probe);
    const Result<BarInfo> r = DecodeRomBar(c.probe);
    if (c.error == kOk) {
      ASSERT_TRUE(r.has_value()) << r.error().message();
      EXPECT_EQ(r.value(), (BarInfo{BarKind::kMem32, false, c.size}));
    } else {
      EXPECT_EQ(ErrorOf(r), c.error);
    }
  }
}

TEST(BarTest, RomEnabledReadsBitZero) {
  EXPECT_TRUE(RomEnabled(0x0000'0001));
  EXPECT_TRUE(RomEnabled(0xfeed'0001));
  EXPECT_FALSE(RomEnabled(0x0000'0000));
  EXPECT_FALSE(RomEnabled(0xffff'fffe));
}

}  // namespace
}  // namespace vfio
