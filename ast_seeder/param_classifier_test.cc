// Tests of parameter classification on in-memory kernels: every kind, the flag-enum rule and
// the strong-integer rule, one kernel per case in one translation unit (one parse).
#include <cstdint>
#include <string>

#include "ast_seeder/seeder_testing.h"
#include "gtest/gtest.h"

namespace ast_seeder {
namespace {

using testing::FindKernel;
using testing::SeedInMemory;
using testing::SeedRun;

// Declarations the cases' parameter types refer to.
constexpr const char* kPrelude = R"code(
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ast_seeder/testdata/kt_testing.h"

enum class Scoped : std::int16_t { kLow = -300, kHigh = 300 };
namespace ns {
enum Unscoped : unsigned char { kA = 1, kB = 250 };
}
enum class KT_FLAGS Annotated : std::uint8_t { kNone = 0, kX = 1, kBoth = 3 };
enum class Detected : std::uint32_t { kNone = 0, kX = 1, kY = 0x80000000 };
constexpr Detected operator|(Detected a, Detected) { return a; }
enum class NoOperator : std::uint32_t { kX = 1, kY = 2 };
enum class NotPowers : std::uint32_t { kX = 1, kY = 6 };
constexpr NotPowers operator|(NotPowers a, NotPowers) { return a; }
enum class OnlyZero : int { kZero = 0 };
constexpr OnlyZero operator|(OnlyZero a, OnlyZero) { return a; }

struct Explicit {
  explicit Explicit(std::uint32_t);
  std::uint32_t value() const;
};
struct Implicit {
  Implicit(int);
  int value() const;
};
struct Defaulted {
  Defaulted(std::int16_t, int = 0);
  std::int16_t value() const;
};
struct ByConstRef {
  ByConstRef(const std::uint8_t&);
  const std::uint8_t& value() const;
};
template <class T>
struct Tagged {
  explicit Tagged(std::uint64_t);
  std::uint64_t value() const;
};
using TaggedInt = Tagged<struct TagX>;
struct OtherCtors {
  OtherCtors();
  OtherCtors(long);
  OtherCtors(const char*, int);
  long value() const;
};
struct WiderCtor {
  WiderCtor(std::uint64_t);
  std::uint16_t value() const;
};
struct CharValue {
  CharValue(char);
  char value() const;
};
struct NoValue {
  NoValue(int);
};
struct MutableValue {
  MutableValue(int);
  int value();
};
struct StaticValue {
  StaticValue(int);
  static int value();
};
class PrivateValue {
 public:
  PrivateValue(int);

 private:
  int value() const;
};
struct BoolValue {
  BoolValue(int);
  bool value() const;
};
struct DoubleValue {
  DoubleValue(double);
  double value() const;
};
struct NoIntCtor {
  NoIntCtor(const char*);
  int value() const;
};
class PrivateCtor {
  PrivateCtor(int);

 public:
  int value() const;
};
struct DeletedCtor {
  DeletedCtor(int) = delete;
  int value() const;
};
struct FromBool {
  FromBool(bool);
  int value() const;
};
struct FromEnum {
  FromEnum(Scoped);
  int value() const;
};
struct TwoRequired {
  TwoRequired(int, int);
  int value() const;
};
struct TemplateCtor {
  template <class T>
  TemplateCtor(T);
  int value() const;
};
union IntUnion {
  IntUnion(int);
  int i;
  int value() const;
};
)code";

struct Case {
  const char* param;  // one parameter declaration, named v
  const char* kind;   // "" when the type must be rejected
  unsigned bits;
  bool is_signed;
  const char* lo;
  const char* hi;
  const char* detail;  // flags source, strong_int underlying type, or max_len
};

constexpr Case kCases[] = {
    {"bool v", "bool", 1, false, "0", "1", ""},
    {"std::int8_t v", "int", 8, true, "-128", "127", ""},
    {"unsigned short v", "int", 16, false, "0", "65535", ""},
    {"unsigned char v", "int", 8, false, "0", "255", ""},
    {"std::uint64_t v", "int", 64, false, "0", "18446744073709551615", ""},
    {"long long v", "int", 64, true, "-9223372036854775808", "9223372036854775807", ""},
    {"const int v", "int", 32, true, "-2147483648", "2147483647", ""},
    {"KT_RANGE(-3, 3) long v", "int", 64, true, "-3", "3", ""},
    {"KT_RANGE(0x1000, 0xffff'f000) std::uint64_t v", "int", 64, false, "4096", "4294963200", ""},
    {"Scoped v", "enum", 16, true, "-32768", "32767", "none"},
    {"ns::Unscoped v", "enum", 8, false, "0", "255", "none"},
    {"const Scoped& v", "enum", 16, true, "-32768", "32767", "none"},
    {"Annotated v", "flags", 8, false, "0", "255", "kt_flags"},
    {"Detected v", "flags", 32, false, "0", "4294967295", "detected"},
    {"NoOperator v", "enum", 32, false, "0", "4294967295", "none"},
    {"NotPowers v", "enum", 32, false, "0", "4294967295", "none"},
    {"OnlyZero v", "enum", 32, true, "-2147483648", "2147483647", "none"},
    {"Explicit v", "strong_int", 32, false, "0", "4294967295", "uint32_t"},
    {"Implicit v", "strong_int", 32, true, "-2147483648", "2147483647", "int"},
    {"Defaulted v", "strong_int", 16, true, "-32768", "32767", "int16_t"},
    {"ByConstRef v", "strong_int", 8, false, "0", "255", "uint8_t"},
    {"TaggedInt v", "strong_int", 64, false, "0", "18446744073709551615", "uint64_t"},
    {"OtherCtors v", "strong_int", 64, true, "-9223372036854775808", "9223372036854775807", "long"},
    {"WiderCtor v", "strong_int", 16, false, "0", "65535", "uint16_t"},  // value() decides
    {"CharValue v", "strong_int", 8, true, "-128", "127", "char"},
    {"const Implicit& v", "strong_int", 32, true, "-2147483648", "2147483647", "int"},
    {"KT_RANGE(1, 9) Implicit v", "strong_int", 32, true, "1", "9", "int"},
    {"std::string_view v", "string", 0, false, "", "", "4096"},
    {"std::string v", "string", 0, false, "", "", "4096"},
    {"const std::string& v", "string", 0, false, "", "", "4096"},
    {"KT_BYTES(32) std::string v", "string", 0, false, "", "", "32"},
    {"std::span<const std::byte> v", "bytes", 0, false, "", "", "4096"},
    {"KT_BYTES(7) std::span<const std::byte> v", "bytes", 0, false, "", "", "7"},
    {"NoValue v", "", 0, false, "", "", ""},
    {"MutableValue v", "", 0, false, "", "", ""},
    {"StaticValue v", "", 0, false, "", "", ""},
    {"PrivateValue v", "", 0, false, "", "", ""},
    {"BoolValue v", "", 0, false, "", "", ""},
    {"DoubleValue v", "", 0, false, "", "", ""},
    {"NoIntCtor v", "", 0, false, "", "", ""},
    {"PrivateCtor v", "", 0, false, "", "", ""},
    {"DeletedCtor v", "", 0, false, "", "", ""},
    {"FromBool v", "", 0, false, "", "", ""},
    {"FromEnum v", "", 0, false, "", "", ""},
    {"TwoRequired v", "", 0, false, "", "", ""},
    {"TemplateCtor v", "", 0, false, "", "", ""},
    {"IntUnion v", "", 0, false, "", "", ""},
    {"char v", "", 0, false, "", "", ""},
    {"char32_t v", "", 0, false, "", "", ""},
    {"const char* v", "", 0, false, "", "", ""},
    {"float v", "", 0, false, "", "", ""},
    {"unsigned __int128 v", "", 0, false, "", "", ""},
    {"std::span<std::byte> v", "", 0, false, "", "", ""},
    {"std::span<const std::byte, 4> v", "", 0, false, "", "", ""},
    {"std::span<const unsigned char> v", "", 0, false, "", "", ""},
    {"std::vector<std::byte> v", "", 0, false, "", "", ""},
    {"std::wstring v", "", 0, false, "", "", ""},
    {"int& v", "", 0, false, "", "", ""},
};

// Runs every case as its own kernel "t.k<i>" in one translation unit.
const SeedRun& RunAllCases() {
  static const SeedRun* run = [] {
    std::string code = kPrelude;
    for (std::size_t i = 0; i < std::size(kCases); ++i) {
      const std::string n = std::to_string(i);
      code +=
          "void K" + n + "(" + kCases[i].param + ") {}\nKT_KERNEL(\"t.k" + n + "\", K" + n + ");\n";
    }
    return new SeedRun(SeedInMemory({{"cases.cc", code}}, {"cases.cc"}));
  }();
  return *run;
}

TEST(ParamClassifierTest, ClassifiesEveryKindAndRejectsEverythingElse) {
  const SeedRun& run = RunAllCases();
  for (std::size_t i = 0; i < std::size(kCases); ++i) {
    const Case& c = kCases[i];
    const std::string kernel = "t.k" + std::to_string(i);
    const KernelDomain* domain = FindKernel(run, kernel);
    if (std::string(c.kind).empty()) {
      EXPECT_EQ(domain, nullptr) << c.param;
      EXPECT_NE(run.diagnostics.find("error: kernel '" + kernel +
                                     "': parameter 'v' has unsupported type"),
                std::string::npos)
          << c.param << "\n"
          << run.diagnostics;
      continue;
    }
    ASSERT_NE(domain, nullptr) << c.param << "\n" << run.diagnostics;
    ASSERT_EQ(domain->params.size(), 1u);
    const ParamDomain& p = domain->params[0];
    EXPECT_STREQ(ToString(p.kind), c.kind) << c.param;
    if (p.kind == ParamKind::kString || p.kind == ParamKind::kBytes) {
      EXPECT_EQ(std::to_string(p.max_len), c.detail) << c.param;
      continue;
    }
    EXPECT_EQ(p.bits, c.bits) << c.param;
    EXPECT_EQ(p.is_signed, c.is_signed) << c.param;
    EXPECT_EQ(p.lo.ToDecimal(), c.lo) << c.param;
    EXPECT_EQ(p.hi.ToDecimal(), c.hi) << c.param;
    if (p.kind == ParamKind::kStrongInt) {
      EXPECT_EQ(p.underlying, c.detail) << c.param;
    }
    if (p.kind == ParamKind::kEnum || p.kind == ParamKind::kFlags) {
      EXPECT_STREQ(ToString(p.flags_source), c.detail) << c.param;
    }
  }
  EXPECT_FALSE(run.ok);  // the rejected cases are errors
}

TEST(ParamClassifierTest, ListsEnumeratorsByQualifiedNameWithExactValues) {
  const SeedRun& run = RunAllCases();
  struct EnumCase {
    const char* param;
    const char* enumerators;  // "name=value,..."
  };
  constexpr EnumCase kEnumCases[] = {
      {"Scoped v", "Scoped::kLow=-300,Scoped::kHigh=300,"},
      {"ns::Unscoped v", "ns::kA=1,ns::kB=250,"},
      {"Detected v", "Detected::kNone=0,Detected::kX=1,Detected::kY=2147483648,"},
  };
  for (const EnumCase& e : kEnumCases) {
    std::size_t i = 0;
    while (std::string(kCases[i].param) != e.param) ++i;
    const KernelDomain* domain = FindKernel(run, "t.k" + std::to_string(i));
    ASSERT_NE(domain, nullptr) << e.param;
    std::string listed;
    for (const Enumerator& en : domain->params[0].enumerators) {
      listed += en.name + "=" + en.value.ToDecimal() + ",";
    }
    EXPECT_EQ(listed, e.enumerators);
  }
}

TEST(ParamClassifierTest, NamesUnnamedParametersByPosition) {
  const SeedRun run = SeedInMemory({{"unnamed.cc",
                                     "#include \"ast_seeder/testdata/kt_testing.h\"\nvoid K(int, "
                                     "bool) {}\nKT_KERNEL(\"t.unnamed\", K);\n"}},
                                   {"unnamed.cc"});
  const KernelDomain* domain = FindKernel(run, "t.unnamed");
  ASSERT_NE(domain, nullptr) << run.diagnostics;
  ASSERT_EQ(domain->params.size(), 2u);
  EXPECT_EQ(domain->params[0].name, "arg0");
  EXPECT_EQ(domain->params[1].name, "arg1");
}

TEST(ParamClassifierTest, ReadsRangeFromAnEarlierDeclaration) {
  // KT_RANGE on the header's prototype reaches the definition's parameter.
  const SeedRun run = SeedInMemory(
      {{"proto.cc",
        "#include \"ast_seeder/testdata/kt_testing.h\"\n"
        "int K(KT_RANGE(2, 5) int v);\nint K(int v) { return v; }\nKT_KERNEL(\"t.proto\", K);\n"}},
      {"proto.cc"});
  const KernelDomain* domain = FindKernel(run, "t.proto");
  ASSERT_NE(domain, nullptr) << run.diagnostics;
  EXPECT_EQ(domain->params[0].lo.ToDecimal(), "2");
  EXPECT_EQ(domain->params[0].hi.ToDecimal(), "5");
  EXPECT_EQ(domain->params[0].range_source, RangeSource::kAnnotation);
}

}  // namespace
}  // namespace ast_seeder
