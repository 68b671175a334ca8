// Tests of string harvesting on in-memory kernels: each text comparison the seeder knows,
// each way an operand can be a constant text, and what is not a seed. One kernel per case in
// one translation unit.
#include <string>

#include "ast_seeder/json_writer.h"
#include "ast_seeder/seeder_testing.h"
#include "gtest/gtest.h"

namespace ast_seeder {
namespace {

using testing::FindKernel;
using testing::SeedInMemory;
using testing::SeedRun;

constexpr const char* kPrelude = R"code(
#include <array>
#include <cstddef>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "ast_seeder/testdata/kt_testing.h"

using namespace std::literals;

constexpr std::string_view kDriver = "vfio-pci";
constexpr char kArray[] = "array";
constexpr unsigned char kMagic[] = {0x7f, 'E', 'L', 'F'};
constexpr std::array<std::byte, 2> kMarker = {std::byte{0xca}, std::byte{0xfe}};
const std::string kNotConstexpr = "runtime";
std::string_view mutable_name = "mutable";
int strcmp_lookalike(const char*, const char*);
namespace user { int memcmp(const void*, const void*, unsigned long); }
)code";

struct Case {
  const char* body;  // of int K(std::string_view s, const std::string& str,
                     //          std::span<const std::byte> b)
  const char* hex;   // the one string expected, as HexBytes, or "" for none
  const char* via;
};

constexpr Case kCases[] = {
    {R"(return s == "vfio-pci";)", "7666696f2d706369", "operator=="},
    {R"(return "vfio-pci" == s;)", "7666696f2d706369", "operator=="},
    {R"(return s != "x";)", "78", "operator!="},  // C++20 rewrites != as !(==)
    {R"(return s < "m";)", "6d", "operator<"},
    {R"(return str == "path";)", "70617468", "operator=="},
    {R"(return s == kDriver;)", "7666696f2d706369", "operator=="},
    {R"(return s == kArray;)", "6172726179", "operator=="},
    {R"(return s == "pci"sv;)", "706369", "operator=="},
    {R"(return s == std::string_view("abcdef", 3);)", "616263", "operator=="},
    {R"(return s == std::string_view("a\0b", 3);)", "610062", "operator=="},
    {R"(return s.starts_with("0000:");)", "303030303a", "starts_with"},
    {R"(return s.ends_with(".7");)", "2e37", "ends_with"},
    {R"(return s.find("::") != s.npos;)", "3a3a", "find"},
    {R"(return s.find(':', 2) != s.npos;)", "3a", "find"},  // a character is a 1-byte text
    {R"(return str.compare("dev") == 0;)", "646576", "compare"},
    {R"(return std::strcmp(str.c_str(), "/dev/vfio");)", "2f6465762f7666696f", "strcmp"},
    {R"(return strncmp(str.c_str(), "ab", 2);)", "6162", "strncmp"},
    {R"(return std::memcmp(b.data(), kMagic, 4);)", "7f454c46", "memcmp"},
    {R"(return std::memcmp(b.data(), kMarker.data(), 2);)", "cafe", "memcmp"},
    {R"(return __builtin_memcmp(b.data(), "\xff\x01", 2);)", "ff01", "memcmp"},
    {R"(return std::strstr(str.c_str(), "pci") != nullptr;)", "706369", "strstr"},
    {R"(return s == "";)", "", ""},                                   // empty: seeds nothing
    {R"(return s == kNotConstexpr;)", "72756e74696d65", "operator=="},  // const is enough
    {R"(return s == mutable_name;)", "", ""},                         // not a constant
    {R"(return strcmp_lookalike(str.c_str(), "x");)", "", ""},        // an unknown function
    {R"(return user::memcmp(b.data(), "x", 1);)", "", ""},            // nor in std::
    {R"(std::string_view t = "init"; return s.size() == t.size();)", "", ""},  // no compare
    {R"(return s.size() == std::strlen("len");)", "", ""},            // strlen compares nothing
};

const SeedRun& RunAllCases() {
  static const SeedRun* run = [] {
    std::string code = kPrelude;
    for (std::size_t i = 0; i < std::size(kCases); ++i) {
      const std::string n = std::to_string(i);
      code += "int K" + n +
              "(std::string_view s, const std::string& str, std::span<const std::byte> b) {\n  " +
              kCases[i].body + "\n}\nKT_KERNEL(\"t.k" + n + "\", K" + n + ");\n";
    }
    return new SeedRun(SeedInMemory({{"cases.cc", code}}, {"cases.cc"}));
  }();
  return *run;
}

TEST(StringHarvesterTest, HarvestsEachComparisonsConstantText) {
  const SeedRun& run = RunAllCases();
  ASSERT_TRUE(run.ok) << run.diagnostics;
  for (std::size_t i = 0; i < std::size(kCases); ++i) {
    const Case& c = kCases[i];
    const KernelDomain* domain = FindKernel(run, "t.k" + std::to_string(i));
    ASSERT_NE(domain, nullptr) << c.body;
    if (std::string(c.hex).empty()) {
      EXPECT_TRUE(domain->strings.empty())
          << c.body << ": harvested " << HexBytes(domain->strings.front().bytes);
      continue;
    }
    ASSERT_EQ(domain->strings.size(), 1u) << c.body;
    EXPECT_EQ(HexBytes(domain->strings[0].bytes), c.hex) << c.body;
    EXPECT_EQ(domain->strings[0].via, c.via) << c.body;
  }
}

TEST(StringHarvesterTest, FollowsCallsAndRecordsWhereEachStringIsCompared) {
  const SeedRun run =
      SeedInMemory({{"calls.cc",
                     "#include <string_view>\n"
                     "#include \"ast_seeder/testdata/kt_testing.h\"\n"
                     "static bool IsPci(std::string_view d) { return d == \"pci\"; }\n"
                     "int K(std::string_view s) {\n"
                     "  if (s == \"vfio\") return 1;\n"
                     "  return IsPci(s);\n"
                     "}\n"
                     "KT_KERNEL(\"t.calls\", K);\n"}},
                   {"calls.cc"});
  const KernelDomain* domain = FindKernel(run, "t.calls");
  ASSERT_NE(domain, nullptr) << run.diagnostics;
  ASSERT_EQ(domain->strings.size(), 2u);
  // Sorted by bytes: "pci" < "vfio".
  EXPECT_EQ(domain->strings[0].bytes, "pci");
  EXPECT_EQ(domain->strings[0].origin_line, 3u);
  EXPECT_EQ(domain->strings[1].bytes, "vfio");
  EXPECT_EQ(domain->strings[1].origin_line, 5u);
}

}  // namespace
}  // namespace ast_seeder
