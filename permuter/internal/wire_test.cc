// Tests of permuter/internal/wire.h: round trips and refusal of damaged bytes.
#include "permuter/internal/wire.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace kt::permuter::internal {
namespace {

std::vector<Value> AllKinds() {
  return {Value::Bool(true),
          Value::Int(Integer(INT64_MIN)),
          Value::Int(Integer(UINT64_MAX)),
          Value::Enum(Integer(-3)),
          Value::String(std::string("a\0b", 3)),
          Value::Bytes(std::string("\xff\x00", 2))};
}

Execution SampleExecution() {
  Execution e;
  e.edges = {0, 7, 4'000'000'000u};
  e.compares = {{0x401000, CompareKind::kConstCmp, 4, 0xdeadbeef, 5, {}},
                {0x401010, CompareKind::kSwitch, 8, 42, 0, {1, 2, UINT64_MAX}},
                {0x401020, CompareKind::kGep, 8, static_cast<std::uint64_t>(-1), 0, {}}};
  e.outcome.kind = OutcomeKind::kError;
  e.outcome.text = "error(vfio.dma:overlap)";
  e.outcome.observations = {{"mappings", "2"}, {"bytes", "0x2000"}};
  e.outcome.workspace_after = "{a=\"x\"}";
  e.outcome.detail = "stderr text";
  return e;
}

TEST(WireTest, CallSetsRoundTrip) {
  const std::vector<Value> call_set = AllKinds();
  EXPECT_EQ(DecodeCallSet(EncodeCallSet(call_set)), call_set);
  EXPECT_EQ(DecodeCallSet(EncodeCallSet({})), std::vector<Value>{});
}

TEST(WireTest, ExecutionsAndErrorsRoundTrip) {
  const Execution e = SampleExecution();
  const std::optional<Reply> back = DecodeReply(EncodeReply(e));
  ASSERT_TRUE(back.has_value());
  const Execution& got = std::get<Execution>(*back);
  EXPECT_EQ(got.edges, e.edges);
  EXPECT_EQ(got.compares, e.compares);
  EXPECT_EQ(got.outcome.kind, e.outcome.kind);
  EXPECT_EQ(got.outcome.text, e.outcome.text);
  EXPECT_EQ(got.outcome.observations, e.outcome.observations);
  EXPECT_EQ(got.outcome.workspace_after, e.outcome.workspace_after);
  EXPECT_EQ(got.outcome.detail, e.outcome.detail);
  const std::optional<Reply> error = DecodeReply(EncodeReply(std::string("no workspace")));
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(std::get<std::string>(*error), "no workspace");
}

TEST(WireTest, DamagedBytesAreRefusedNotTrusted) {
  const std::string call_set = EncodeCallSet(AllKinds());
  for (std::size_t cut = 0; cut < call_set.size(); ++cut) {
    EXPECT_FALSE(DecodeCallSet(call_set.substr(0, cut)).has_value()) << "cut at " << cut;
  }
  EXPECT_FALSE(DecodeCallSet(call_set + "x").has_value()) << "trailing bytes";
  const std::string reply = EncodeReply(SampleExecution());
  for (std::size_t cut = 0; cut < reply.size(); ++cut) {
    EXPECT_FALSE(DecodeReply(reply.substr(0, cut)).has_value()) << "cut at " << cut;
  }
  std::string huge_count = EncodeCallSet({});
  huge_count[3] = '\x7f';  // claims ~2^30 values in 0 bytes
  EXPECT_FALSE(DecodeCallSet(huge_count).has_value());
}

TEST(WireTest, FramesSplitAStream) {
  const std::string stream = Frame("one") + Frame("") + Frame("three");
  std::string_view rest = stream;
  std::vector<std::string> payloads;
  std::size_t consumed = 0;
  while (const auto p = Unframe(rest, &consumed)) {
    payloads.emplace_back(*p);
    rest.remove_prefix(consumed);
  }
  EXPECT_EQ(payloads, (std::vector<std::string>{"one", "", "three"}));
  EXPECT_FALSE(Unframe(Frame("partial").substr(0, 6), &consumed).has_value());
}

}  // namespace
}  // namespace kt::permuter::internal
