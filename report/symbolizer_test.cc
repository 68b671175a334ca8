// Tests of the llvm-symbolizer client and the source cache (report/symbolizer.h) on the
// instrumented fixtures of this binary (test_fixtures.h).
#include "report/symbolizer.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "report/internal/test_markers.h"
#include "report/program_map.h"
#include "report/test_fixtures.h"

namespace kt::report {
namespace {

using internal::MarkerLine;
using ::testing::EndsWith;
using ::testing::HasSubstr;

template <class F>
std::uintptr_t Pc(F* function) {
  return reinterpret_cast<std::uintptr_t>(function);
}

ModuleAddress Located(std::uintptr_t pc) { return LocateInProcess(pc).value_or(ModuleAddress{}); }

Symbolizer Start() {
  Expected<Symbolizer> s = Symbolizer::Start();
  if (!s) ADD_FAILURE() << s.error().message;
  return std::move(s).value();
}

TEST(SymbolizerTest, BlockPcsResolveToTheirSourceLines) {
  const ProgramMap map = ProgramMap::FromRuntime();
  const FunctionInfo* diamond = map.FindFunction(Pc(&fixtures::Diamond));
  ASSERT_NE(diamond, nullptr);
  const auto blocks = map.BlocksOf(*diamond);
  ASSERT_EQ(blocks.front().successors.size(), 2u);
  Symbolizer symbolizer = Start();
  const ModuleAddress addresses[] = {Located(blocks.front().successors[0]),
                                     Located(blocks.front().successors[1])};
  const Expected<std::vector<Symbol>> symbols = symbolizer.Symbolize(addresses);
  ASSERT_TRUE(symbols.has_value()) << symbols.error().message;
  ASSERT_EQ(symbols.value().size(), 2u);
  struct Case {
    const Symbol& symbol;
    const char* marker;
  };
  const Case kCases[] = {{symbols.value()[0], "diamond-then"}, {symbols.value()[1], "diamond-else"}};
  for (const Case& c : kCases) {
    EXPECT_THAT(c.symbol.location().file, EndsWith("report/test_fixtures.cc")) << c.marker;
    EXPECT_EQ(c.symbol.location().line, MarkerLine(c.marker)) << c.marker;
    EXPECT_NE(c.symbol.location().column, 0u) << c.marker;
    EXPECT_EQ(c.symbol.function(), "kt::report::fixtures::Diamond(bool)") << c.marker;
  }
}

TEST(SymbolizerTest, NamesLibcAndUnknownAddresses) {
  Symbolizer symbolizer = Start();
  const ModuleAddress addresses[] = {Located(Pc(&std::abort)), {"/nonexistent/module", 0x10},
                                     {"", 0x10}, {"bad\"name", 0x10}};
  const Expected<std::vector<Symbol>> symbols = symbolizer.Symbolize(addresses);
  ASSERT_TRUE(symbols.has_value()) << symbols.error().message;
  ASSERT_EQ(symbols.value().size(), 4u);
  EXPECT_THAT(symbols.value()[0].function(), HasSubstr("abort"));
  for (std::size_t i = 1; i < 4; ++i) {
    ASSERT_EQ(symbols.value()[i].frames.size(), 1u) << i;
    EXPECT_EQ(symbols.value()[i].location(), Frame{}) << i;
  }
}

// Far more than the socket buffers hold in either direction: writing and reading must
// interleave, or the batch deadlocks.
TEST(SymbolizerTest, LargeBatchAnswersEveryAddressInOrder) {
  Symbolizer symbolizer = Start();
  const ModuleAddress leaf = Located(Pc(&fixtures::Leaf));
  const ModuleAddress twice = Located(Pc(&fixtures::Twice));
  std::vector<ModuleAddress> addresses;
  for (int i = 0; i < 20'000; ++i) addresses.push_back(i % 2 == 0 ? leaf : twice);
  const Expected<std::vector<Symbol>> symbols = symbolizer.Symbolize(addresses);
  ASSERT_TRUE(symbols.has_value()) << symbols.error().message;
  ASSERT_EQ(symbols.value().size(), addresses.size());
  for (std::size_t i = 0; i < addresses.size(); i += 997) {
    EXPECT_EQ(symbols.value()[i].location().line, MarkerLine(i % 2 == 0 ? "leaf" : "twice")) << i;
  }
  // The process is still there for the next batch.
  const ModuleAddress one[] = {leaf};
  EXPECT_TRUE(symbolizer.Symbolize(one).has_value());
}

TEST(SymbolizerTest, MissingBinaryIsNotFound) {
  SymbolizerOptions options;
  options.path = "/nonexistent/llvm-symbolizer";
  const Expected<Symbolizer> s = Symbolizer::Start(options);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code, SymbolizerError::kNotFound);
  EXPECT_THAT(s.error().message, HasSubstr("/nonexistent/llvm-symbolizer"));
}

TEST(SymbolizerTest, ErrorsPrintAsSnakeCaseInTheirCategory) {
  const std::error_code code = SymbolizerError::kTimeout;
  EXPECT_STREQ(code.category().name(), "kt.symbolizer");
  EXPECT_EQ(code.message(), "timeout");
}

TEST(SymbolizerTest, SourceFilesReadLinesOnceAndBoundCheck) {
  SourceFiles sources;
  const std::uint32_t line = MarkerLine("diamond-else");
  const std::string* text = sources.Line(KT_REPORT_FIXTURES_CC, line);
  ASSERT_NE(text, nullptr);
  EXPECT_THAT(*text, HasSubstr("result = 2;"));
  EXPECT_EQ(sources.Line(KT_REPORT_FIXTURES_CC, 0), nullptr);
  EXPECT_EQ(sources.Line(KT_REPORT_FIXTURES_CC, 100'000), nullptr);
  EXPECT_EQ(sources.Line("/nonexistent/file.cc", 1), nullptr);
  EXPECT_EQ(sources.NumLines("/nonexistent/file.cc"), 0u);
}

}  // namespace
}  // namespace kt::report
