// End to end: instrumented kernels with known hard branches, generated through the forked
// worker with the default budget. Every edge of each kernel is reached, two generations
// write byte-identical tables, and findings stop with a shrunk reproducer.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "permuter/internal/hard_kernel_registry.h"
#include "permuter/search.h"
#include "permuter/table_builder.h"
#include "permuter/worker_executor.h"

namespace kt::permuter {
namespace {

using internal::Hard;
using internal::HardKernel;

SearchResult Generate(const HardKernel& k) {
  WorkerExecutor executor(k.info);
  Expected<SearchResult> r = Search(k.columns, {}, {}, executor);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? std::move(r).value() : SearchResult{};
}

std::string TableText(const HardKernel& k, const SearchResult& r) {
  const KernelSchema schema{k.info.name, "permuter/internal/hard_kernels.cc", 1, k.columns};
  Expected<std::string> text = FormatTable(BuildTable(schema, {}, r));
  EXPECT_TRUE(text.has_value()) << (text ? "" : text.error().message);
  return text ? std::move(text).value() : std::string();
}

std::uint64_t U(const Value& v) { return v.as_integer().bits(); }
std::int64_t S(const Value& v) { return static_cast<std::int64_t>(v.as_integer().bits()); }

struct HardCase {
  const char* name;
  bool (*hard)(const std::vector<Value>& row);
};

constexpr HardCase kHardCases[] = {
    {"hard.magic32", [](const std::vector<Value>& r) { return U(r[0]) == 0xdeadbeef; }},
    {"hard.magic64", [](const std::vector<Value>& r) { return U(r[0]) == 0x0123456789abcdef; }},
    {"hard.linear", [](const std::vector<Value>& r) { return U(r[0]) == 411520; }},
    {"hard.narrow_range",
     [](const std::vector<Value>& r) { return S(r[0]) > 1000000 && S(r[0]) < 1000010; }},
    {"hard.enum_flags",
     [](const std::vector<Value>& r) { return U(r[0]) == 2 && (U(r[1]) & 29) == 13; }},
    {"hard.switch", [](const std::vector<Value>& r) { return S(r[0]) == -5; }},
    {"hard.divide", [](const std::vector<Value>& r) { return U(r[0]) >= 1251 && U(r[0]) <= 1428; }},
    {"hard.array_index", [](const std::vector<Value>& r) { return S(r[0]) == 5; }},
};

TEST(EndToEndTest, EveryEdgeOfEachHardKernelWithinTheDefaultBudget) {
  for (const HardCase& c : kHardCases) {
    const HardKernel& k = Hard(c.name);
    const std::vector<std::uint32_t> own = internal::EdgesOfFunction(k.info.fn);
    ASSERT_FALSE(own.empty()) << c.name << " is instrumented";
    const SearchResult r = Generate(k);
    EXPECT_FALSE(r.finding.has_value()) << c.name;
    EXPECT_LE(r.stats.executions, kDefaultBudget) << c.name;
    EXPECT_TRUE(std::includes(r.edges.begin(), r.edges.end(), own.begin(), own.end()))
        << c.name << ": reached " << r.edges.size() << " edges, the function has " << own.size();
    EXPECT_TRUE(std::any_of(r.rows.begin(), r.rows.end(),
                            [&](const GeneratedRow& row) { return c.hard(row.values); }))
        << c.name << ": a table row takes the hard branch";
  }
}

TEST(EndToEndTest, TwoGenerationsWriteByteIdenticalTables) {
  for (const HardCase& c : kHardCases) {
    const HardKernel& k = Hard(c.name);
    const std::string first = TableText(k, Generate(k));
    const std::string second = TableText(k, Generate(k));
    EXPECT_FALSE(first.empty()) << c.name;
    EXPECT_EQ(first, second) << c.name;
  }
}

TEST(EndToEndTest, AFailedCheckStopsWithTheSmallestFailingValue) {
  const SearchResult r = Generate(Hard("hard.check_above_1000"));
  ASSERT_TRUE(r.finding.has_value());
  EXPECT_EQ(r.finding->reproducer, (std::vector<Value>{Value::Int(Integer(1001))}));
  EXPECT_EQ(r.finding->outcome.text.rfind("check-failed(x <= 1000 at hard_kernels.cc:", 0), 0u)
      << r.finding->outcome.text;
}

TEST(EndToEndTest, ACrashIsFoundAndReproduced) {
  const SearchResult r = Generate(Hard("hard.crash_on_magic"));
  ASSERT_TRUE(r.finding.has_value());
  EXPECT_EQ(r.finding->outcome.text, "crash(SIGSEGV)");
  EXPECT_EQ(r.finding->reproducer, (std::vector<Value>{Value::Int(Integer(0xabad1dea))}));
}

TEST(EndToEndTest, AHangIsFoundAsATimeout) {
  const SearchResult r = Generate(Hard("hard.hang_on_magic"));
  ASSERT_TRUE(r.finding.has_value());
  EXPECT_EQ(r.finding->outcome.text, "timeout()");
  EXPECT_EQ(r.finding->reproducer, (std::vector<Value>{Value::Int(Integer(0x5ca1ab1e))}));
}

}  // namespace
}  // namespace kt::permuter
