// The seeder's output model: one kernel's permutation domain as plain data. Standard library
// only (no Clang or LLVM types), so the JSON writer and the permuter-side readers need no AST.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <vector>

namespace ast_seeder {

// An integer exact over [-2^63, 2^64 - 1], the union of what int64_t and uint64_t hold, so
// every enumerator, bound and constant of a 64-bit (or narrower) type is represented without
// loss. Zero is never negative. Ordered numerically.
class ExactInt {
 public:
  constexpr ExactInt() noexcept = default;
  static constexpr ExactInt FromUnsigned(std::uint64_t v) noexcept { return ExactInt(false, v); }
  static constexpr ExactInt FromSigned(std::int64_t v) noexcept {
    // 0 - uint64_t(v) is the magnitude even for INT64_MIN, where -v would overflow.
    return v < 0 ? ExactInt(true, 0 - static_cast<std::uint64_t>(v))
                 : ExactInt(false, static_cast<std::uint64_t>(v));
  }

  constexpr bool negative() const noexcept { return negative_; }
  constexpr std::uint64_t magnitude() const noexcept { return magnitude_; }
  // Decimal digits with a leading '-' when negative: "18446744073709551615", "-128".
  std::string ToDecimal() const;

  friend constexpr bool operator==(ExactInt, ExactInt) noexcept = default;
  friend constexpr std::strong_ordering operator<=>(ExactInt a, ExactInt b) noexcept {
    if (a.negative_ != b.negative_) {
      return a.negative_ ? std::strong_ordering::less : std::strong_ordering::greater;
    }
    // Among negatives the larger magnitude is the smaller number.
    return a.negative_ ? b.magnitude_ <=> a.magnitude_ : a.magnitude_ <=> b.magnitude_;
  }

 private:
  constexpr ExactInt(bool negative, std::uint64_t magnitude) noexcept
      : negative_(negative && magnitude != 0), magnitude_(magnitude) {}

  bool negative_ = false;
  std::uint64_t magnitude_ = 0;
};

// What the permuter does with a parameter; see docs/seeder-json.md for each kind's fields.
enum class ParamKind { kBool, kInt, kEnum, kFlags, kStrongInt, kString, kBytes };
// "bool", "int", "enum", "flags", "strong_int", "string", "bytes".
const char* ToString(ParamKind kind) noexcept;

// Where a parameter's range came from.
enum class RangeSource { kType, kAnnotation };
// "type", "kt_range".
const char* ToString(RangeSource source) noexcept;

// Why an enum parameter is a flag set.
enum class FlagsSource { kNone, kAnnotation, kDetected };
// "none", "kt_flags", "detected".
const char* ToString(FlagsSource source) noexcept;

enum class ReturnKind { kVoid, kValue, kResult };
// "void", "value", "result".
const char* ToString(ReturnKind kind) noexcept;

// How the harvested constant is used at its origin.
enum class ConstantUse { kCompare, kSwitch, kMask, kBound, kEnumerator };
// "compare", "switch", "mask", "bound", "enumerator".
const char* ToString(ConstantUse use) noexcept;

struct Enumerator {
  std::string name;  // qualified: "vfio::Perm::kRead", unscoped "ns::kRead"
  ExactInt value;
};

struct ParamDomain {
  std::string name;
  std::string type;  // fully qualified C++ spelling, typedefs kept: "std::uint64_t"
  ParamKind kind = ParamKind::kInt;

  // bool, int, enum, flags, strong_int: the integer representation and its inclusive range.
  unsigned bits = 0;
  bool is_signed = false;
  ExactInt lo;
  ExactInt hi;
  RangeSource range_source = RangeSource::kType;

  // enum, flags: the underlying integer type; strong_int: the constructor's parameter type.
  std::string underlying;
  // enum, flags: every enumerator in declaration order.
  std::vector<Enumerator> enumerators;
  FlagsSource flags_source = FlagsSource::kNone;

  // string, bytes: the longest value generation tries (KT_BYTES, else kDefaultMaxLen).
  std::uint64_t max_len = 0;
};

struct ReturnInfo {
  std::string type;
  ReturnKind kind = ReturnKind::kVoid;
  std::string value_type;  // kResult: T of result<T>; kValue: the type itself; kVoid: empty
};

struct HarvestedConstant {
  ExactInt value;
  unsigned bits = 0;
  bool is_signed = false;
  ConstantUse use = ConstantUse::kCompare;
  std::string origin_file;  // relative to the seeder's --root
  unsigned origin_line = 0;

  // Numeric order first, so the sorted list reads as the permuter's seed ladder.
  friend auto operator<=>(const HarvestedConstant&, const HarvestedConstant&) = default;
};

// A string literal or constant byte array that a kernel or a function it calls compares a
// text with: an operand of a string or string_view comparison (==, !=, <, <=, >, >=, <=>), of
// their compare / starts_with / ends_with / find / rfind / contains, or an argument of strcmp,
// strncmp, strcasecmp, strncasecmp, memcmp, bcmp, strstr, strcasestr or memmem. The permuter's
// libFuzzer search takes them as seeds and dictionary words.
struct HarvestedString {
  std::string bytes;  // exact; a string literal without its terminating NUL; never empty
  std::string via;    // the comparison: "operator==", "starts_with", "memcmp", ...
  std::string origin_file;  // relative to the seeder's --root
  unsigned origin_line = 0;

  friend auto operator<=>(const HarvestedString&, const HarvestedString&) = default;
};

struct KernelDomain {
  std::string name;      // the KT_KERNEL name, suite-unique
  std::string function;  // qualified function name
  std::string source;    // relative to --root
  unsigned line = 0;     // of the function's name
  ReturnInfo ret;
  std::vector<ParamDomain> params;
  std::vector<HarvestedConstant> constants;  // sorted, no duplicates
  std::vector<HarvestedString> strings;      // sorted by bytes, no duplicates
  unsigned call_depth = 0;                   // the limit the constants were harvested with
};

// Sorts constants and removes exact duplicates (one function reached twice, one macro
// expanded twice on a line).
void NormalizeConstants(std::vector<HarvestedConstant>& constants);
// The same for strings.
void NormalizeStrings(std::vector<HarvestedString>& strings);

}  // namespace ast_seeder
