// Tests of the invoker: every parameter kind decodes into its C++ type, wrong kinds and
// out-of-range values are rejected with clear errors, every return form becomes an outcome. Depends
// on runner/invoker.h, runner/kernel.h and GoogleTest only.
#include "runner/invoker.h"

#include <gtest/gtest.h>

#include "runner/kernel.h"

namespace kt {
namespace {

enum class MapOrder : std::uint8_t { kAFirst, kBFirst };
enum KT_FLAGS Perm : unsigned { kPermNone = 0, kPermRead = 1, kPermWrite = 2 };

class Iova {
 public:
  explicit Iova(std::uint64_t v) : v_(v) {}
  std::uint64_t value() const { return v_; }

 private:
  std::uint64_t v_;
};

// Echoes every argument, so a test sees exactly what the invoker decoded.
std::string EveryKind(bool b, std::int8_t i8, std::uint16_t u16, std::int32_t i32,
                      std::uint64_t u64, MapOrder order, Perm perm, Iova iova,
                      std::string_view view, const std::string& str,
                      std::span<const std::byte> bytes) {
  std::string out = std::to_string(b) + "," + std::to_string(i8) + "," + std::to_string(u16) + "," +
                    std::to_string(i32) + "," + std::to_string(u64) + "," +
                    std::to_string(static_cast<int>(order)) + "," + std::to_string(perm) + "," +
                    std::to_string(iova.value()) + "," + std::string(view) + "," + str + ",";
  for (const std::byte x : bytes) out += std::to_string(static_cast<int>(x)) + ".";
  return out;
}

CallSet EveryKindArgs() {
  return {Value::Bool(true),
          Value::Int(-128),
          Value::Int(65535),
          Value::Int(-5),
          Value::Int(UINT64_MAX),
          Value::Enum(1),
          Value::Enum(3),
          Value::Int(0x1000),
          Value::String("view"),
          Value::String("str"),
          Value::Bytes(std::string("\x01\xff", 2))};
}

using EveryKindFn = decltype(&EveryKind);

Expected<Outcome> CallEveryKind(const CallSet& args) {
  return internal::Invoke<EveryKindFn>(reinterpret_cast<void (*)()>(&EveryKind), args);
}

TEST(InvokerTest, DecodesEveryParameterKind) {
  const Expected<Outcome> o = CallEveryKind(EveryKindArgs());
  ASSERT_TRUE(o.has_value()) << o.error().message;
  EXPECT_EQ(o.value().kind, OutcomeKind::kValue);
  EXPECT_EQ(o.value().text,
            R"(ok("1,-128,65535,-5,18446744073709551615,1,3,4096,view,str,1.255."))");
}

TEST(InvokerTest, SignatureDescribesEveryParameter) {
  const std::vector<ColumnSchema> sig = SignatureOf<EveryKindFn>();
  ASSERT_EQ(sig.size(), 11u);
  const ParamKind kinds[] = {ParamKind::kBool,   ParamKind::kInt,       ParamKind::kInt,
                             ParamKind::kInt,    ParamKind::kInt,       ParamKind::kEnum,
                             ParamKind::kEnum,   ParamKind::kStrongInt, ParamKind::kString,
                             ParamKind::kString, ParamKind::kBytes};
  for (std::size_t i = 0; i < sig.size(); ++i) EXPECT_EQ(sig[i].kind, kinds[i]) << i;
  EXPECT_EQ(sig[1].int_type, (IntType{8, true}));
  EXPECT_EQ(sig[2].int_type, (IntType{16, false}));
  EXPECT_EQ(sig[5].int_type, (IntType{8, false}));   // MapOrder's underlying type
  EXPECT_EQ(sig[6].int_type, (IntType{32, false}));  // Perm's
  EXPECT_EQ(sig[7].int_type, (IntType{64, false}));  // Iova::value()
  EXPECT_EQ(sig[7].cpp_type, "kt::(anonymous namespace)::Iova");
}

struct BadArgCase {
  std::size_t index;
  Value value;
  InvokeError error;
  std::string_view message;
};

TEST(InvokerTest, RejectsValuesOfTheWrongKindOrOutOfRange) {
  const BadArgCase cases[] = {
      {0, Value::Int(1), InvokeError::kWrongKind, "argument 1 (1): expected a bool value"},
      {1, Value::Int(128), InvokeError::kOutOfRange, "argument 2 (128): outside i8 (signed char)"},
      {2, Value::Int(-1), InvokeError::kOutOfRange,
       "argument 3 (-1): outside u16 (unsigned short)"},
      {4, Value::Enum(1), InvokeError::kWrongKind, "argument 5 (enum(1)): expected a int value"},
      {5, Value::Enum(256), InvokeError::kOutOfRange,
       "argument 6 (enum(256)): outside u8 (kt::(anonymous namespace)::MapOrder)"},
      {6, Value::Int(1), InvokeError::kWrongKind, "argument 7 (1): expected a enum value"},
      {7, Value::Int(-1), InvokeError::kOutOfRange,
       "argument 8 (-1): outside u64 (kt::(anonymous namespace)::Iova)"},
      {8, Value::Bytes(std::string("x")), InvokeError::kWrongKind,
       "argument 9 (x\"78\"): expected a string value"},
      {10, Value::String("x"), InvokeError::kWrongKind,
       "argument 11 (\"x\"): expected a bytes value"},
  };
  for (const BadArgCase& c : cases) {
    CallSet args = EveryKindArgs();
    args[c.index] = c.value;
    const Expected<Outcome> o = CallEveryKind(args);
    ASSERT_FALSE(o.has_value()) << c.message;
    EXPECT_EQ(o.error().code, make_error_code(c.error)) << c.message;
    EXPECT_EQ(o.error().message, c.message);
  }
}

TEST(InvokerTest, RejectsACallSetOfTheWrongLength) {
  CallSet args = EveryKindArgs();
  args.pop_back();
  const Expected<Outcome> o = CallEveryKind(args);
  ASSERT_FALSE(o.has_value());
  EXPECT_EQ(o.error().code, make_error_code(InvokeError::kArity));
  EXPECT_EQ(o.error().message, "the kernel takes 11 arguments, the call set has 10");
}

TEST(InvokerTest, ValidateDecodesWithoutCalling) {
  EXPECT_TRUE(internal::Validate<EveryKindFn>(EveryKindArgs()).has_value());
  CallSet args = EveryKindArgs();
  args[0] = Value::Int(0);
  EXPECT_FALSE(internal::Validate<EveryKindFn>(args).has_value());
}

kt::result<int> Half(int v) {
  if (v % 2 != 0) return std::make_error_code(std::errc::invalid_argument);
  return v / 2;
}
int Twice(int v) noexcept { return 2 * v; }
int calls = 0;
void Count() { ++calls; }

template <class F>
Outcome RunKernel(F fn, const CallSet& args) {
  return internal::Invoke<F>(reinterpret_cast<void (*)()>(fn), args).value();
}

TEST(InvokerTest, EveryReturnFormBecomesAnOutcome) {
  const Outcome half = RunKernel(&Half, {Value::Int(4)});
  EXPECT_EQ(half.kind, OutcomeKind::kValue);
  EXPECT_EQ(half.text, "ok(2)");
  const Outcome odd = RunKernel(&Half, {Value::Int(3)});
  EXPECT_EQ(odd.kind, OutcomeKind::kError);
  EXPECT_EQ(odd.text, "error(generic:EINVAL)");
  const Outcome twice = RunKernel(&Twice, {Value::Int(-4)});
  EXPECT_EQ(twice.text, "ok(-8)");
  const Outcome counted = RunKernel(&Count, {});
  EXPECT_EQ(counted.kind, OutcomeKind::kValue);
  EXPECT_EQ(counted.text, "ok()");
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace kt
