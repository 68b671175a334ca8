// Tests of constant harvesting on in-memory kernels: each use (compare, switch, mask, bound,
// enumerator), the value's type after conversions, and what is not a seed. One kernel per
// case in one translation unit.
#include <string>

#include "ast_seeder/seeder_testing.h"
#include "gtest/gtest.h"

namespace ast_seeder {
namespace {

using testing::FindKernel;
using testing::SeedInMemory;
using testing::SeedRun;

constexpr const char* kPrelude = R"code(
#include <compare>
#include <cstdint>

#include "ast_seeder/testdata/kt_testing.h"

enum class E : std::uint8_t { kA = 7, kB = 9 };
enum class Flag : unsigned { kX = 1, kY = 2 };
// No constant of its own: the cases below expect exactly one.
constexpr bool operator&(Flag a, Flag b) {
  return static_cast<bool>(static_cast<unsigned>(a) & static_cast<unsigned>(b));
}
constexpr int kLimit = 99;
)code";

struct Case {
  const char* body;   // of int K(int x, unsigned u, std::uint8_t b, E e, Flag f)
  const char* value;  // the one constant expected, or "" for none
  unsigned bits;
  bool is_signed;
  const char* use;
};

constexpr Case kCases[] = {
    {"return x == 5;", "5", 32, true, "compare"},
    {"return 5 != x;", "5", 32, true, "compare"},
    {"return u < 10u;", "10", 32, false, "compare"},
    {"return b == 200;", "200", 32, true, "compare"},  // b is promoted to int
    {"return x == -1;", "-1", 32, true, "compare"},
    {"return static_cast<std::uint64_t>(x) == UINT64_MAX;", "18446744073709551615", 64, false,
     "compare"},
    {"return u == -1;", "4294967295", 32, false, "compare"},  // -1 converted to unsigned
    {"return x > kLimit;", "99", 32, true, "compare"},
    {"return x < sizeof(long);", "8", 64, false, "compare"},
    {"return (x <=> 3) < 0;", "3", 32, true, "compare"},
    {"return e == E::kB;", "9", 8, false, "compare"},
    {"switch (e) { case E::kA: return 1; default: return 0; }", "7", 8, false, "switch"},
    {"switch (x) { case 1 + 2: return 1; default: return 0; }", "3", 32, true, "switch"},
    {"return x & 0xff;", "255", 32, true, "mask"},
    {"u |= 1u << 4; return u;", "16", 32, false, "mask"},
    {"return x ^ 0x55;", "85", 32, true, "mask"},
    {"return f & Flag::kY;", "2", 32, false, "mask"},  // user operator&
    {"return x % 7;", "7", 32, true, "bound"},
    {"return x >> 3;", "3", 32, true, "bound"},
    {"x -= 12; return x;", "12", 32, true, "bound"},
    {"return x * 1000;", "1000", 32, true, "bound"},
    {"return static_cast<int>(E::kB);", "9", 8, false, "enumerator"},
    {"E v = E::kA; return static_cast<int>(v);", "7", 8, false, "enumerator"},
    {"return 1 == 1;", "", 0, false, ""},                         // both sides constant
    {"return x == static_cast<int>(u);", "", 0, false, ""},       // neither side constant
    {"bool t = x != u; return t == true;", "", 0, false, ""},     // bools are not seeds
    {"int y = 42; return y;", "", 0, false, ""},                  // an initialiser is not a use
    {"return 17;", "", 0, false, ""},                             // nor is a return value
    {"const int four = 4; return x && four;", "", 0, false, ""},  // nor a logical operand
};

const SeedRun& RunAllCases() {
  static const SeedRun* run = [] {
    std::string code = kPrelude;
    for (std::size_t i = 0; i < std::size(kCases); ++i) {
      const std::string n = std::to_string(i);
      code += "int K" + n + "(int x, unsigned u, std::uint8_t b, E e, Flag f) {\n  " +
              kCases[i].body + "\n}\nKT_KERNEL(\"t.k" + n + "\", K" + n + ");\n";
    }
    return new SeedRun(SeedInMemory({{"cases.cc", code}}, {"cases.cc"}));
  }();
  return *run;
}

TEST(ConstantHarvesterTest, HarvestsEachUseInTheTypeTheOperationUses) {
  const SeedRun& run = RunAllCases();
  ASSERT_TRUE(run.ok) << run.diagnostics;
  for (std::size_t i = 0; i < std::size(kCases); ++i) {
    const Case& c = kCases[i];
    const KernelDomain* domain = FindKernel(run, "t.k" + std::to_string(i));
    ASSERT_NE(domain, nullptr) << c.body;
    if (std::string(c.value).empty()) {
      EXPECT_TRUE(domain->constants.empty())
          << c.body << ": harvested " << domain->constants.front().value.ToDecimal();
      continue;
    }
    ASSERT_EQ(domain->constants.size(), 1u) << c.body;
    const HarvestedConstant& k = domain->constants[0];
    EXPECT_EQ(k.value.ToDecimal(), c.value) << c.body;
    EXPECT_EQ(k.bits, c.bits) << c.body;
    EXPECT_EQ(k.is_signed, c.is_signed) << c.body;
    EXPECT_STREQ(ToString(k.use), c.use) << c.body;
  }
}

TEST(ConstantHarvesterTest, RecordsTheOriginLineOfEachConstant) {
  const SeedRun run = SeedInMemory({{"origin.cc",
                                     "#include \"ast_seeder/testdata/kt_testing.h\"\n"
                                     "int K(int x) {\n"
                                     "  if (x == 1) return 0;\n"
                                     "  return x == 2;\n"
                                     "}\n"
                                     "KT_KERNEL(\"t.origin\", K);\n"}},
                                   {"origin.cc"});
  const KernelDomain* domain = FindKernel(run, "t.origin");
  ASSERT_NE(domain, nullptr) << run.diagnostics;
  ASSERT_EQ(domain->constants.size(), 2u);
  EXPECT_EQ(domain->constants[0].origin_line, 3u);
  EXPECT_EQ(domain->constants[1].origin_line, 4u);
  // Outside --root (the repository), so the path climbs out of it.
  EXPECT_EQ(domain->constants[0].origin_file.rfind("../", 0), 0u)
      << domain->constants[0].origin_file;
  EXPECT_NE(domain->constants[0].origin_file.find("kt_in_memory/origin.cc"), std::string::npos);
}

TEST(ConstantHarvesterTest, WalksEachFunctionAtItsSmallestDepth) {
  // Twice is reached at depth 1 (from K) and at depth 2 (through Mid, which K calls first).
  // Walked at depth 1, its callee Deeper is at depth 2, inside the limit; a depth-first walk
  // that met Twice through Mid first would have cut Deeper off. The recursion ends.
  SeederOptions options;
  options.call_depth = 2;
  const SeedRun run =
      SeedInMemory({{"depth.cc",
                     "#include \"ast_seeder/testdata/kt_testing.h\"\n"
                     "int Deeper(int v) { return v == 77; }\n"
                     "int Twice(int v) { return v == 31 ? 1 : Twice(v - 1) + Deeper(v); }\n"
                     "int Mid(int v) { return Twice(v); }\n"
                     "int K(int x) { return Mid(x) + Twice(x); }\n"
                     "KT_KERNEL(\"t.depth\", K);\n"}},
                   {"depth.cc"}, options);
  const KernelDomain* domain = FindKernel(run, "t.depth");
  ASSERT_NE(domain, nullptr) << run.diagnostics;
  std::string values;
  for (const HarvestedConstant& k : domain->constants) {
    if (k.use == ConstantUse::kCompare) values += k.value.ToDecimal() + ",";
  }
  EXPECT_EQ(values, "31,77,");
}

}  // namespace
}  // namespace ast_seeder
