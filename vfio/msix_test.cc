// Tests of vfio/msix.h: layout validation, guest table/PBA/Message Control accesses, delivery.
// GoogleTest only; no VFIO, no hardware.
#include "vfio/msix.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <utility>
#include <vector>

namespace vfio {

// Readable event lists in failure messages.
void PrintTo(const MsixEvent& e, std::ostream* os) {
  *os << ToString(e.kind) << "(" << e.vector << ", addr=0x" << std::hex << e.message.address
      << ", data=0x" << e.message.data << std::dec << ")";
}

namespace {

using Bars = std::array<std::uint64_t, kMsixBarCount>;
using K = MsixEventKind;

constexpr std::uint64_t kAddress = 0xfee0'1000;

template <class T>
std::error_code ErrorOf(const Result<T>& r) {
  return r ? std::error_code{} : r.error();
}

// N vectors, the table at 0 and the PBA right after it, both in a 64 KiB BAR 0.
MsixState MakeState(std::uint32_t n) {
  const MsixLayout layout{.vectors = n, .table_offset = 0,
                          .pba_offset = static_cast<std::uint32_t>(MsixTableBytes(n))};
  return MsixState::Create(layout, Bars{0x10000, 0, 0, 0, 0, 0}).value();
}

// Writes vector v's message (kAddress + 16 v, data v) and its mask bit.
void Program(MsixState& msix, std::uint32_t v, bool masked) {
  ASSERT_TRUE(msix.WriteTable(16 * v, 8, kAddress + 16 * v));
  ASSERT_TRUE(msix.WriteTable(16 * v + 8, 8, (std::uint64_t{masked} << 32) | v));
}
MsiMessage MessageOf(std::uint32_t v) { return {kAddress + 16 * v, v}; }

TEST(MsixErrorTest, NamesEveryEnumeratorInTheVfioMsixCategory) {
  constexpr struct {
    MsixError error;
    const char* name;
  } kCases[] = {
      {MsixError::kInvalidVectorCount, "invalid_vector_count"},
      {MsixError::kInvalidBir, "invalid_bir"},
      {MsixError::kMisalignedOffset, "misaligned_offset"},
      {MsixError::kTableOutsideBar, "table_outside_bar"},
      {MsixError::kPbaOutsideBar, "pba_outside_bar"},
      {MsixError::kTableOverlapsPba, "table_overlaps_pba"},
      {MsixError::kBadAccessSize, "bad_access_size"},
      {MsixError::kMisalignedAccess, "misaligned_access"},
      {MsixError::kAccessOutOfRange, "access_out_of_range"},
      {MsixError::kVectorOutOfRange, "vector_out_of_range"},
  };
  for (const auto& c : kCases) {
    const std::error_code ec = c.error;  // via std::is_error_code_enum
    EXPECT_STREQ(ec.category().name(), "vfio.msix");
    EXPECT_EQ(ec.message(), c.name);
    EXPECT_STREQ(ToString(c.error), c.name);
  }
}

TEST(MsixLayoutTest, DecodesCapabilityWordsIgnoringMaskAndEnable) {
  EXPECT_EQ(MsixLayout::FromCapability(0xc7ff, 0x0000'2003, 0x0000'3005),
            (MsixLayout{.vectors = 2048, .table_bir = 3, .table_offset = 0x2000, .pba_bir = 5,
                        .pba_offset = 0x3000}));
  EXPECT_EQ(MsixLayout::FromCapability(0x0000, 0xffff'fff8, 0x0000'0007),
            (MsixLayout{.vectors = 1, .table_bir = 0, .table_offset = 0xffff'fff8,
                        .pba_bir = 7, .pba_offset = 0}));
}

TEST(MsixLayoutTest, ValidatesCountBirAlignmentBoundsAndOverlap) {
  constexpr Bars kBars = {0x1000, 0, 0x1000, 0x8000, UINT64_MAX, 0x1000};
  struct Case {
    const char* name;
    MsixLayout layout;
    std::optional<MsixError> error;
  };
  constexpr Case kCases[] = {
      {"one_vector", {1, 0, 0, 0, 0x800}, std::nullopt},
      {"max_vectors", {2048, 3, 0, 2, 0}, std::nullopt},
      {"zero_vectors", {0, 0, 0, 0, 0x800}, MsixError::kInvalidVectorCount},
      {"too_many_vectors", {2049, 3, 0, 2, 0}, MsixError::kInvalidVectorCount},
      {"count_checked_before_bir", {0, 6, 0, 0, 0}, MsixError::kInvalidVectorCount},
      {"table_bir_6", {1, 6, 0, 0, 0x800}, MsixError::kInvalidBir},
      {"pba_bir_7", {1, 0, 0, 7, 0x800}, MsixError::kInvalidBir},
      {"table_offset_4", {1, 0, 4, 0, 0x800}, MsixError::kMisalignedOffset},
      {"pba_offset_1", {1, 0, 0, 0, 0x801}, MsixError::kMisalignedOffset},
      {"table_ends_at_bar_end", {4, 0, 0xfc0, 0, 0}, std::nullopt},
      {"table_8_bytes_past_bar_end", {4, 0, 0xfc8, 0, 0}, MsixError::kTableOutsideBar},
      {"table_in_unimplemented_bar", {1, 1, 0, 0, 0x800}, MsixError::kTableOutsideBar},
      {"table_offset_far_beyond_bar", {1, 0, 0xffff'fff8, 2, 0}, MsixError::kTableOutsideBar},
      {"table_too_big_for_bar", {2048, 0, 0, 2, 0}, MsixError::kTableOutsideBar},
      {"table_at_top_of_huge_bar", {2048, 4, 0xffff'fff8, 2, 0}, std::nullopt},
      {"pba_ends_at_bar_end", {64, 0, 0, 0, 0xff8}, std::nullopt},
      {"pba_8_bytes_past_bar_end", {65, 0, 0, 0, 0xff8}, MsixError::kPbaOutsideBar},
      {"pba_in_unimplemented_bar", {1, 0, 0, 1, 0}, MsixError::kPbaOutsideBar},
      {"pba_inside_table", {4, 0, 0, 0, 0x20}, MsixError::kTableOverlapsPba},
      {"pba_at_table_start", {1, 0, 0x100, 0, 0x100}, MsixError::kTableOverlapsPba},
      {"pba_overlaps_table_start", {65, 0, 0x108, 0, 0x100}, MsixError::kTableOverlapsPba},
      {"pba_adjacent_after_table", {4, 0, 0, 0, 0x40}, std::nullopt},
      {"table_adjacent_after_pba", {65, 0, 0x10, 0, 0}, std::nullopt},
      {"same_offset_other_bars", {4, 0, 0, 2, 0}, std::nullopt},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    const std::error_code want = c.error ? make_error_code(*c.error) : std::error_code{};
    EXPECT_EQ(ErrorOf(ValidateMsixLayout(c.layout, kBars)), want);
    EXPECT_EQ(ErrorOf(MsixState::Create(c.layout, kBars)), want);
  }
}

TEST(MsixStateTest, ResetsToMaskedDisabledAndNothingPending) {
  const MsixState msix = MakeState(3);
  EXPECT_EQ(msix.ReadControl(), 0x0002);
  EXPECT_FALSE(msix.enabled());
  EXPECT_FALSE(msix.function_masked());
  for (std::uint32_t v = 0; v < 3; ++v) {
    EXPECT_EQ(msix.ReadTable(16 * v, 8).value(), 0u);
    EXPECT_EQ(msix.ReadTable(16 * v + 8, 8).value(), 1ull << 32) << "vector control = masked";
    EXPECT_FALSE(msix.IsPending(v).value());
  }
  EXPECT_EQ(msix.ReadPba(0, 8).value(), 0u);
}

enum class Op : std::uint8_t { kReadTable, kWriteTable, kReadPba, kWritePba };

std::error_code Apply(MsixState& msix, Op op, std::uint64_t offset, std::uint32_t size) {
  switch (op) {
    case Op::kReadTable: return ErrorOf(msix.ReadTable(offset, size));
    case Op::kWriteTable: return ErrorOf(msix.WriteTable(offset, size, ~0ull));
    case Op::kReadPba: return ErrorOf(msix.ReadPba(offset, size));
    case Op::kWritePba: return ErrorOf(msix.WritePba(offset, size, ~0ull));
  }
  return {};
}

TEST(MsixStateTest, RejectsMalformedAccessesWithoutChangingState) {
  // 4 vectors: a 64-byte table and an 8-byte PBA.
  struct Case {
    Op op;
    std::uint64_t offset;
    std::uint32_t size;
    MsixError error;
  };
  constexpr Case kCases[] = {
      {Op::kReadTable, 0, 0, MsixError::kBadAccessSize},
      {Op::kWriteTable, 0, 1, MsixError::kBadAccessSize},
      {Op::kReadTable, 0, 2, MsixError::kBadAccessSize},
      {Op::kWriteTable, 0, 3, MsixError::kBadAccessSize},
      {Op::kReadTable, 0, 16, MsixError::kBadAccessSize},
      {Op::kReadPba, 0, 2, MsixError::kBadAccessSize},
      {Op::kWritePba, 0, 5, MsixError::kBadAccessSize},
      {Op::kReadTable, 2, 4, MsixError::kMisalignedAccess},
      {Op::kWriteTable, 4, 8, MsixError::kMisalignedAccess},
      {Op::kWriteTable, 0xc, 8, MsixError::kMisalignedAccess},
      {Op::kReadPba, 4, 8, MsixError::kMisalignedAccess},
      {Op::kWritePba, 1, 4, MsixError::kMisalignedAccess},
      {Op::kReadTable, 64, 4, MsixError::kAccessOutOfRange},
      {Op::kWriteTable, 64, 8, MsixError::kAccessOutOfRange},
      {Op::kWriteTable, UINT64_MAX - 3, 4, MsixError::kAccessOutOfRange},
      {Op::kReadTable, UINT64_MAX - 7, 8, MsixError::kAccessOutOfRange},
      {Op::kReadPba, 8, 4, MsixError::kAccessOutOfRange},
      {Op::kWritePba, 8, 8, MsixError::kAccessOutOfRange},
      {Op::kWritePba, UINT64_MAX - 7, 8, MsixError::kAccessOutOfRange},
  };
  MsixState msix = MakeState(4);
  ASSERT_TRUE(msix.Fire(2)) << "a pending bit that must survive";
  const MsixState before = msix;
  for (const Case& c : kCases) {
    SCOPED_TRACE(testing::Message() << "op " << static_cast<int>(c.op) << " offset 0x"
                                    << std::hex << c.offset << " size " << c.size);
    EXPECT_EQ(Apply(msix, c.op, c.offset, c.size), make_error_code(c.error));
    EXPECT_TRUE(msix == before);
  }
}

TEST(MsixStateTest, RejectsBarAccessesOutsideTableAndPba) {
  // 4 vectors: the table at [0, 64) and the PBA at [64, 72) of BAR 0.
  constexpr struct {
    std::uint32_t bir;
    std::uint64_t offset;
    std::uint32_t size;
    MsixError error;
  } kCases[] = {
      {6, 0, 4, MsixError::kInvalidBir},
      {UINT32_MAX, 0, 4, MsixError::kInvalidBir},
      {1, 0, 4, MsixError::kAccessOutOfRange},
      {0, 72, 4, MsixError::kAccessOutOfRange},
      {0, UINT64_MAX - 7, 8, MsixError::kAccessOutOfRange},
      {0, 60, 8, MsixError::kMisalignedAccess},
      {0, 56, 16, MsixError::kBadAccessSize},
  };
  MsixState msix = MakeState(4);
  for (const auto& c : kCases) {
    SCOPED_TRACE(testing::Message() << "bir " << c.bir << " offset " << c.offset);
    EXPECT_EQ(ErrorOf(msix.ReadBar(c.bir, c.offset, c.size)), make_error_code(c.error));
    EXPECT_EQ(ErrorOf(msix.WriteBar(c.bir, c.offset, c.size, 0)), make_error_code(c.error));
  }
  EXPECT_TRUE(msix == MakeState(4));
}

TEST(MsixStateTest, RejectsVectorIndicesOutOfRange) {
  MsixState msix = MakeState(4);
  const std::error_code out = make_error_code(MsixError::kVectorOutOfRange);
  for (const std::uint32_t v : {4u, 5u, UINT32_MAX}) {
    EXPECT_EQ(ErrorOf(msix.Fire(v)), out);
    EXPECT_EQ(ErrorOf(msix.Entry(v)), out);
    EXPECT_EQ(ErrorOf(msix.IsPending(v)), out);
    EXPECT_EQ(ErrorOf(msix.IsDeliverable(v)), out);
  }
  EXPECT_TRUE(msix == MakeState(4));
}

TEST(MsixStateTest, TableRoundTripsFourAndEightByteAccesses) {
  MsixState msix = MakeState(3);
  ASSERT_TRUE(msix.WriteTable(0x20, 4, 0xfee0'0000));
  ASSERT_TRUE(msix.WriteTable(0x24, 4, 0xdead'0000'0000'0001)) << "uses the low half only";
  ASSERT_TRUE(msix.WriteTable(0x28, 4, 0x4041));
  EXPECT_EQ(msix.ReadTable(0x20, 8).value(), 0x0000'0001'fee0'0000u);
  EXPECT_EQ(msix.ReadTable(0x28, 4).value(), 0x4041u);
  EXPECT_EQ(msix.Entry(2).value(), (MsixEntry{0xfee0'0000, 1, 0x4041, 1}));

  ASSERT_TRUE(msix.WriteTable(0x2c, 4, 0xffff'fffe));
  EXPECT_EQ(msix.ReadTable(0x2c, 4).value(), 0u) << "reserved control bits read as 0";
  ASSERT_TRUE(msix.WriteTable(0x28, 8, 0xffff'ffff'1234'5678));
  EXPECT_EQ(msix.ReadTable(0x28, 4).value(), 0x1234'5678u);
  EXPECT_EQ(msix.ReadTable(0x2c, 4).value(), 1u) << "only the mask bit is kept";
  EXPECT_EQ(msix.Entry(1).value(), MsixEntry{}) << "neighbours untouched";
}

TEST(MsixStateTest, ControlExposesVectorCountAndOnlyMaskAndEnableAreWritable) {
  MsixState msix = MakeState(5);
  constexpr struct {
    std::uint16_t write;
    std::uint16_t read;
  } kCases[] = {{0xffff, 0xc004}, {0x3fff, 0x0004}, {0x7fff, 0x4004}, {0x0000, 0x0004},
                {0x8000, 0x8004}, {0xbfff, 0x8004}};
  for (const auto& c : kCases) {
    msix.WriteControl(c.write);
    EXPECT_EQ(msix.ReadControl(), c.read) << "after writing 0x" << std::hex << c.write;
  }
}

TEST(MsixStateTest, DeliversOnlyWhenEnabledFunctionUnmaskedAndVectorUnmasked) {
  struct Case {
    bool enabled, function_masked, entry_masked, delivers;
  };
  constexpr Case kCases[] = {
      {true, false, false, true},  {true, false, true, false}, {true, true, false, false},
      {true, true, true, false},   {false, false, false, false}, {false, false, true, false},
      {false, true, false, false}, {false, true, true, false},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(testing::Message() << "enabled " << c.enabled << " function_masked "
                                    << c.function_masked << " entry_masked " << c.entry_masked);
    MsixState msix = MakeState(2);
    Program(msix, 1, c.entry_masked);
    msix.WriteControl((c.enabled ? kMsixControlEnable : 0) |
                      (c.function_masked ? kMsixControlFunctionMask : 0));
    const MsixEvent expected = c.delivers ? MsixEvent{K::kDeliver, 1, MessageOf(1)}
                                          : MsixEvent{K::kPending, 1, {}};
    EXPECT_EQ(msix.Fire(1).value(), expected);
    EXPECT_EQ(msix.IsPending(1).value(), !c.delivers);
    EXPECT_EQ(msix.ReadPba(0, 8).value(), c.delivers ? 0u : 2u);
  }
}

TEST(MsixStateTest, UnmaskingTheEntryDeliversAndClearsItsPendingBit) {
  MsixState msix = MakeState(2);
  Program(msix, 0, /*masked=*/true);
  msix.WriteControl(kMsixControlEnable);
  ASSERT_EQ(msix.Fire(0).value().kind, K::kPending);
  const std::vector<MsixEvent> expected = {{K::kUnmasked, 0, MessageOf(0)},
                                           {K::kDeliver, 0, MessageOf(0)}};
  EXPECT_EQ(msix.WriteTable(0xc, 4, 0).value(), expected);
  EXPECT_FALSE(msix.IsPending(0).value());
  EXPECT_EQ(msix.ReadPba(0, 8).value(), 0u);
}

TEST(MsixStateTest, ClearingTheFunctionMaskDeliversEveryPendingUnmaskedVector) {
  MsixState msix = MakeState(3);
  Program(msix, 0, false);
  Program(msix, 1, true);
  Program(msix, 2, false);
  msix.WriteControl(kMsixControlEnable | kMsixControlFunctionMask);
  for (std::uint32_t v = 0; v < 3; ++v) ASSERT_EQ(msix.Fire(v).value().kind, K::kPending);
  const std::vector<MsixEvent> expected = {
      {K::kUnmasked, 0, MessageOf(0)}, {K::kDeliver, 0, MessageOf(0)},
      {K::kUnmasked, 2, MessageOf(2)}, {K::kDeliver, 2, MessageOf(2)}};
  EXPECT_EQ(msix.WriteControl(kMsixControlEnable), expected);
  EXPECT_EQ(msix.ReadPba(0, 8).value(), 0b010u) << "vector 1 is still masked and pending";
}

TEST(MsixStateTest, EnablingDeliversVectorsThatFiredWhileDisabled) {
  MsixState msix = MakeState(1);
  Program(msix, 0, false);
  ASSERT_EQ(msix.Fire(0).value().kind, K::kPending);
  const std::vector<MsixEvent> expected = {
      {K::kEnabled, 0, {}}, {K::kUnmasked, 0, MessageOf(0)}, {K::kDeliver, 0, MessageOf(0)}};
  EXPECT_EQ(msix.WriteControl(kMsixControlEnable), expected);
  EXPECT_FALSE(msix.IsPending(0).value());
}

TEST(MsixStateTest, StaysPendingWhileTheFunctionMaskRemains) {
  MsixState msix = MakeState(1);
  Program(msix, 0, true);
  msix.WriteControl(kMsixControlEnable | kMsixControlFunctionMask);
  ASSERT_TRUE(msix.Fire(0));
  EXPECT_TRUE(msix.WriteTable(0xc, 4, 0).value().empty());
  EXPECT_TRUE(msix.IsPending(0).value());
  EXPECT_FALSE(msix.IsDeliverable(0).value());
}

TEST(MsixStateTest, ReportsRouteChangesOfDeliverableVectorsOnly) {
  MsixState msix = MakeState(2);
  Program(msix, 1, false);
  msix.WriteControl(kMsixControlEnable);
  const std::vector<MsixEvent> reroute = {{K::kRouteUpdate, 1, {kAddress + 16, 7}}};
  EXPECT_EQ(msix.WriteTable(0x18, 4, 7).value(), reroute);
  EXPECT_TRUE(msix.WriteTable(0x18, 4, 7).value().empty()) << "same data, same route";
  const std::vector<MsixEvent> masked = {{K::kMasked, 1, {}}};
  EXPECT_EQ(msix.WriteTable(0x1c, 4, 1).value(), masked);
  EXPECT_TRUE(msix.WriteTable(0x18, 4, 8).value().empty()) << "masked: nothing routed";
  ASSERT_TRUE(msix.WriteTable(0x1c, 4, 0));
  const std::vector<MsixEvent> disabled = {{K::kMasked, 1, {}}, {K::kDisabled, 0, {}}};
  EXPECT_EQ(msix.WriteControl(0), disabled);
}

TEST(MsixStateTest, IgnoresPbaWrites) {
  MsixState msix = MakeState(65);
  ASSERT_TRUE(msix.Fire(64));
  const MsixState before = msix;
  EXPECT_TRUE(msix.WritePba(8, 8, 0));
  EXPECT_TRUE(msix.WritePba(0, 4, ~0ull));
  EXPECT_TRUE(msix.WriteBar(0, MsixTableBytes(65) + 8, 8, 0).value().empty());
  EXPECT_TRUE(msix == before);
  EXPECT_EQ(msix.ReadPba(8, 8).value(), 1u);
}

TEST(MsixStateTest, PacksOneBitPerVectorIn64BitWords) {
  MsixState msix = MakeState(130);
  for (const std::uint32_t v : {0u, 63u, 64u, 97u, 129u}) ASSERT_TRUE(msix.Fire(v));
  EXPECT_EQ(msix.ReadPba(0, 8).value(), 1u | 1ull << 63);
  EXPECT_EQ(msix.ReadPba(4, 4).value(), 1u << 31);
  EXPECT_EQ(msix.ReadPba(8, 4).value(), 1u);
  EXPECT_EQ(msix.ReadPba(12, 4).value(), 1u << 1);
  EXPECT_EQ(msix.ReadPba(16, 8).value(), 1u << 1);
  EXPECT_EQ(ErrorOf(msix.ReadPba(24, 4)), make_error_code(MsixError::kAccessOutOfRange));
}

TEST(MsixStateTest, ResetMasksEverythingAndReportsRoutesToTakeDown) {
  MsixState msix = MakeState(2);
  Program(msix, 0, true);
  Program(msix, 1, false);
  msix.WriteControl(kMsixControlEnable);
  ASSERT_TRUE(msix.Fire(0));
  const std::vector<MsixEvent> expected = {{K::kMasked, 1, {}}, {K::kDisabled, 0, {}}};
  EXPECT_EQ(msix.Reset(), expected);
  EXPECT_TRUE(msix == MakeState(2));
}

TEST(MsixStateTest, WorksWithOneAndMaxVectors) {
  for (const std::uint32_t n : {1u, kMsixMaxVectors}) {
    SCOPED_TRACE(n);
    const MsixLayout layout{.vectors = n, .table_bir = 0, .pba_bir = 4};
    auto created = MsixState::Create(layout, Bars{0x8000, 0, 0, 0, 0x1000, 0});
    ASSERT_TRUE(created);
    MsixState& msix = created.value();
    EXPECT_EQ(msix.ReadControl(), n - 1);
    for (std::uint32_t v = 0; v < n; ++v) {
      ASSERT_TRUE(msix.WriteBar(0, 16 * v, 8, kAddress + 16 * v));
      ASSERT_TRUE(msix.WriteBar(0, 16 * v + 8, 8, v));  // unmasked, but MSI-X is disabled
      ASSERT_EQ(msix.Fire(v).value().kind, K::kPending);
    }
    std::vector<MsixEvent> expected = {{K::kEnabled, 0, {}}};
    for (std::uint32_t v = 0; v < n; ++v) {
      expected.push_back({K::kUnmasked, v, MessageOf(v)});
      expected.push_back({K::kDeliver, v, MessageOf(v)});
    }
    EXPECT_EQ(msix.WriteControl(kMsixControlEnable), expected);
    for (std::uint64_t off = 0; off < MsixPbaBytes(n); off += 8)
      EXPECT_EQ(msix.ReadBar(4, off, 8).value(), 0u);
    EXPECT_EQ(msix.Fire(n - 1).value(), (MsixEvent{K::kDeliver, n - 1, MessageOf(n - 1)}));
  }
}

// Independent of the implementation: is this BAR access wholly inside the table or the PBA,
// 4 or 8 bytes and naturally aligned?
bool WellFormed(const MsixLayout& l, std::uint32_t bir, std::uint64_t off, std::uint32_t size) {
  if ((size != 4 && size != 8) || off % size != 0) return false;
  const auto inside = [&](std::uint32_t b, std::uint64_t start, std::uint64_t bytes) {
    return bir == b && off >= start && off + size <= start + bytes;
  };
  return inside(l.table_bir, l.table_offset, MsixTableBytes(l.vectors)) ||
         inside(l.pba_bir, l.pba_offset, MsixPbaBytes(l.vectors));
}

std::vector<std::uint64_t> PbaWords(const MsixState& msix) {
  std::vector<std::uint64_t> words;
  for (std::uint64_t off = 0; off < MsixPbaBytes(msix.size()); off += 8)
    words.push_back(msix.ReadPba(off, 8).value());
  return words;
}

// What a table read returns after writing `value` at `rel`: the dwords as written, except
// that vector control (dword 3 of an entry) keeps only its mask bit.
std::uint64_t ReadBackAfterWrite(std::uint64_t rel, std::uint32_t size, std::uint64_t value) {
  std::uint64_t out = 0;
  for (std::uint32_t k = 0; k < size / 4; ++k) {
    std::uint32_t dword = static_cast<std::uint32_t>(value >> (32 * k));
    if (rel % 16 / 4 + k == 3) dword &= 1;
    out |= std::uint64_t{dword} << (32 * k);
  }
  return out;
}

// One guest write at (bir, off): an error or an ignored write leaves the state alone; an
// accepted table write changes exactly the entry it covers, and nothing else.
void CheckHostileWrite(MsixState& msix, std::uint32_t bir, std::uint64_t off, std::uint32_t size) {
  const MsixLayout& l = msix.layout();
  const MsixState before = msix;
  const std::uint64_t value = 0xa5a5'5a5a'0f0f'f0f0 ^ off;
  const bool ok = msix.WriteBar(bir, off, size, value).has_value();
  ASSERT_EQ(ok, WellFormed(l, bir, off, size));
  const bool in_table = ok && bir == l.table_bir && off >= l.table_offset &&
                        off - l.table_offset < MsixTableBytes(l.vectors);
  if (!in_table) {
    ASSERT_TRUE(msix == before) << "errors and PBA writes change nothing";
    return;
  }
  const std::uint64_t rel = off - l.table_offset;
  ASSERT_EQ(msix.ReadTable(rel, size).value(), ReadBackAfterWrite(rel, size, value));
  for (std::uint32_t v = 0; v < l.vectors; ++v) {
    if (v != rel / 16) {
      ASSERT_EQ(msix.Entry(v).value(), before.Entry(v).value());
    }
  }
  ASSERT_EQ(msix.ReadControl(), before.ReadControl());
  // Disabled, nothing can deliver; enabled, an unmask may deliver and clear a pending bit.
  if (!msix.enabled()) {
    ASSERT_EQ(PbaWords(msix), PbaWords(before));
  }
  // The dwords of the same entry that the access did not cover are untouched too.
  MsixState expected = before;
  ASSERT_TRUE(expected.WriteTable(rel, size, value));
  ASSERT_TRUE(msix == expected);
}

TEST(MsixStateTest, SurvivesEveryOffsetAndSizeAHostileGuestChooses) {
  const Bars bars = {0x1000, 0, 0x1000, 0, 0, 0x1000};
  const MsixLayout kLayouts[] = {
      {.vectors = 3, .table_bir = 0, .table_offset = 0, .pba_bir = 0, .pba_offset = 48},
      {.vectors = 65, .table_bir = 2, .table_offset = 16, .pba_bir = 2, .pba_offset = 0},
      {.vectors = 2, .table_bir = 0, .table_offset = 8, .pba_bir = 5, .pba_offset = 0},
  };
  for (const auto& [layout, enable] : {std::pair{kLayouts[0], false}, {kLayouts[0], true},
                                       {kLayouts[1], false}, {kLayouts[2], true}}) {
    SCOPED_TRACE(testing::Message() << layout.vectors << " vectors, enabled " << enable);
    MsixState msix = MsixState::Create(layout, bars).value();
    for (std::uint32_t v = 0; v < layout.vectors; v += 2) ASSERT_TRUE(msix.Fire(v));
    msix.WriteControl(enable ? kMsixControlEnable : 0);
    const std::uint64_t end = MsixTableBytes(layout.vectors) + MsixPbaBytes(layout.vectors) + 64;
    for (std::uint32_t bir = 0; bir < 8; ++bir) {
      for (std::uint64_t off = 0; off <= end; ++off) {
        for (std::uint32_t size = 0; size <= 9; ++size) {
          SCOPED_TRACE(testing::Message() << "bir " << bir << " off " << off << " size " << size);
          const MsixState before = msix;
          ASSERT_EQ(msix.ReadBar(bir, off, size).has_value(), WellFormed(layout, bir, off, size));
          ASSERT_TRUE(msix == before) << "reads have no side effects";
          ASSERT_NO_FATAL_FAILURE(CheckHostileWrite(msix, bir, off, size));
        }
      }
    }
    for (std::uint64_t off = 0; off <= end; ++off) {
      for (std::uint32_t size = 0; size <= 9; ++size) {
        const bool aligned = (size == 4 || size == 8) && off % size == 0;
        const MsixState before = msix;
        ASSERT_EQ(msix.ReadTable(off, size).has_value(),
                  aligned && off + size <= MsixTableBytes(layout.vectors));
        ASSERT_EQ(msix.ReadPba(off, size).has_value(),
                  aligned && off + size <= MsixPbaBytes(layout.vectors));
        ASSERT_EQ(msix.WritePba(off, size, ~0ull).has_value(),
                  aligned && off + size <= MsixPbaBytes(layout.vectors));
        ASSERT_TRUE(msix == before);
      }
    }
    for (std::uint32_t v = 0; v < layout.vectors && !enable; ++v)
      EXPECT_EQ(msix.IsPending(v).value(), v % 2 == 0) << "pending bits survived the sweep";
    EXPECT_EQ(msix.ReadControl(), (layout.vectors - 1) | (enable ? kMsixControlEnable : 0));
  }
}

}  // namespace
}  // namespace vfio
