// Tests of canonical printing: the lookup order, the built-in spellings and error names. Depends on
// runner/print.h, runner/error.h and GoogleTest only.
#include "runner/print.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <map>
#include <stdexcept>
#include <vector>

#include "runner/error.h"

namespace kt_print_test {

// KtPrint beats operator<<.
struct Both {
  int v = 1;
};
void KtPrint(std::ostream& os, const Both& b) { os << "Both{v=" << b.v << "}"; }
std::ostream& operator<<(std::ostream& os, const Both&) { return os << "wrong"; }

struct Streamed {
  int count = 2;
};
std::ostream& operator<<(std::ostream& os, const Streamed& s) {
  return os << "Streamed{count=" << s.count << "}";
}

enum class Scoped : std::uint8_t { kA = 1, kB = 2 };
enum Unscoped { kUnscopedX = 5 };
enum class Named { kOne = 1 };
std::ostream& operator<<(std::ostream& os, Named) { return os << "Named::kOne"; }

// A strong integer wrapper, like vfio::Iova.
class Address {
 public:
  explicit Address(std::uint64_t v) : v_(v) {}
  std::uint64_t value() const { return v_; }

 private:
  std::uint64_t v_;
};

// A module error enum with the vfio pattern: message() is the snake_case name.
enum class MapError { kOverlap = 1, kZeroSize };
const char* ToString(MapError e) noexcept {
  switch (e) {
    case MapError::kOverlap: return "overlap";
    case MapError::kZeroSize: return "zero_size";
  }
  return "unknown";
}
const std::error_category& MapCategory() noexcept {
  static const kt::internal::EnumCategory<MapError> category("vfio.dma");
  return category;
}
std::error_code make_error_code(MapError e) noexcept {
  return {static_cast<int>(e), MapCategory()};
}

// A category whose messages are prose.
class ProseCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "prose"; }
  std::string message(int v) const override { return v == 1 ? "  Device Busy (retry!) " : ""; }
};
const ProseCategory kProse;

}  // namespace kt_print_test

template <>
struct std::is_error_code_enum<kt_print_test::MapError> : std::true_type {};

namespace kt {
namespace {

using namespace kt_print_test;

TEST(PrintTest, BuiltInSpellingsOfFundamentalTypes) {
  EXPECT_EQ(PrintToString(true), "true");
  EXPECT_EQ(PrintToString('a'), "'a'");
  EXPECT_EQ(PrintToString('\n'), "'\\n'");
  EXPECT_EQ(PrintToString(std::int8_t{-3}), "-3");
  EXPECT_EQ(PrintToString(std::uint8_t{200}), "200");
  EXPECT_EQ(PrintToString(UINT64_MAX), "18446744073709551615");
  EXPECT_EQ(PrintToString(0.1), "0.1");
  EXPECT_EQ(PrintToString(1e300), "1e+300");
  EXPECT_EQ(PrintToString(std::string("a\"b")), R"("a\"b")");
  EXPECT_EQ(PrintToString(std::string_view("x y")), R"("x y")");
  EXPECT_EQ(PrintToString("lit"), R"("lit")");
  const char* null = nullptr;
  EXPECT_EQ(PrintToString(null), "nullptr");
  EXPECT_EQ(PrintToString(std::vector<std::byte>{std::byte{0}, std::byte{0xab}}), R"(x"00ab")");
  EXPECT_EQ(PrintToString(Hex(0x2000)), "0x2000");
}

TEST(PrintTest, KtPrintWinsOverOperatorShift) { EXPECT_EQ(PrintToString(Both{}), "Both{v=1}"); }

TEST(PrintTest, OperatorShiftPrintsTypesWithoutKtPrint) {
  EXPECT_EQ(PrintToString(Streamed{}), "Streamed{count=2}");
  EXPECT_EQ(PrintToString(Named::kOne), "Named::kOne");
}

TEST(PrintTest, EnumsWithoutPrintersPrintTheirNameAndValue) {
  EXPECT_EQ(PrintToString(Scoped::kB), "Scoped(2)");
  // Not through the int overload of operator<<, which would print "5".
  EXPECT_EQ(PrintToString(kUnscopedX), "Unscoped(5)");
}

TEST(PrintTest, StrongIntegersPrintTheirIntegerInHex) {
  EXPECT_EQ(PrintToString(Address(0xfffff000)), "0xfffff000");
}

TEST(PrintTest, ContainersPrintTheirElements) {
  EXPECT_EQ(PrintToString(std::vector<int>{1, 2, 3}), "[1, 2, 3]");
  EXPECT_EQ(PrintToString(std::vector<int>{}), "[]");
  EXPECT_EQ(PrintToString(std::optional<int>()), "nullopt");
  EXPECT_EQ(PrintToString(std::optional<int>(4)), "4");
  EXPECT_EQ(PrintToString(std::map<int, std::string>{{1, "a"}}), R"([(1, "a")])");
}

struct ErrorCase {
  std::error_code code;
  std::string_view printed;
};

TEST(PrintTest, ErrorsPrintAsCategoryAndName) {
  const ErrorCase cases[] = {
      {MapError::kOverlap, "vfio.dma:overlap"},
      {MapError::kZeroSize, "vfio.dma:zero_size"},
      {std::make_error_code(std::errc::no_such_file_or_directory), "generic:ENOENT"},
      {std::error_code(EAGAIN, std::generic_category()), "generic:EAGAIN"},
      {std::error_code(EBUSY, std::system_category()), "system:EBUSY"},
      {std::error_code(9999, std::generic_category()), "generic:errno_9999"},
      {std::error_code(1, kProse), "prose:device_busy_retry"},
      {std::error_code(2, kProse), "prose:2"},
  };
  for (const ErrorCase& c : cases) EXPECT_EQ(PrintToString(c.code), c.printed);
  EXPECT_EQ(PrintToString(MapError::kZeroSize), "vfio.dma:zero_size");
  EXPECT_EQ(PrintToString(std::errc::permission_denied), "generic:EACCES");
}

TEST(PrintTest, ResultsPrintAsOkOrError) {
  EXPECT_EQ(PrintToString(kt::result<int>(3)), "ok(3)");
  EXPECT_EQ(PrintToString(kt::result<void>(outcome::success())), "ok()");
  EXPECT_EQ(PrintToString(kt::result<Streamed>(Streamed{})), "ok(Streamed{count=2})");
  EXPECT_EQ(PrintToString(kt::result<int>(MapError::kOverlap)), "error(vfio.dma:overlap)");
}

TEST(PrintTest, NormaliseMessageMakesSnakeCase) {
  EXPECT_EQ(NormaliseMessage("No such file or directory"), "no_such_file_or_directory");
  EXPECT_EQ(NormaliseMessage("--a--B--"), "a_b");
  EXPECT_EQ(NormaliseMessage("snake_case_stays"), "snake_case_stays");
  EXPECT_EQ(NormaliseMessage("!!!"), "");
}

TEST(PrintTest, IgnoresTheGlobalLocale) {
  struct Grouping : std::numpunct<char> {
    char do_thousands_sep() const override { return ','; }
    std::string do_grouping() const override { return "\3"; }
  };
  const std::locale old = std::locale::global(std::locale(std::locale::classic(), new Grouping));
  const std::string printed = PrintToString(Streamed{1234567});
  std::locale::global(old);
  EXPECT_EQ(printed, "Streamed{count=1234567}");
}

}  // namespace
}  // namespace kt
