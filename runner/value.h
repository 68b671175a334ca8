// The values of a call set: one per kernel parameter, typed by kind, not by C++ type. The
// standard library only; never GoogleTest, the table format or the kernels.
#pragma once

#include <compare>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kt {

// Any value of any C++ integer type up to 64 bits. Negative values are kept as int64 and
// the rest as uint64, so both INT64_MIN and UINT64_MAX are exact and every value has one
// representation (equality is structural).
class Integer {
 public:
  constexpr Integer() noexcept = default;
  template <std::integral T>
  constexpr Integer(T v) noexcept  // NOLINT(google-explicit-constructor): integers are Integers.
      : negative_(v < 0), bits_(static_cast<std::uint64_t>(v)) {}

  static constexpr Integer Negative(std::uint64_t magnitude) noexcept {
    Integer i;
    i.negative_ = magnitude != 0;
    i.bits_ = 0 - magnitude;
    return i;
  }

  constexpr bool negative() const noexcept { return negative_; }
  // The two's complement bit pattern: the value itself when non-negative.
  constexpr std::uint64_t bits() const noexcept { return bits_; }
  // |value|; exact for INT64_MIN too.
  constexpr std::uint64_t magnitude() const noexcept { return negative_ ? 0 - bits_ : bits_; }

  // The value as T, or nullopt when T cannot represent it.
  template <std::integral T>
  constexpr std::optional<T> To() const noexcept {
    if (negative_) {
      const auto v = static_cast<std::int64_t>(bits_);
      if (!std::in_range<T>(v)) return std::nullopt;
      return static_cast<T>(v);
    }
    if (!std::in_range<T>(bits_)) return std::nullopt;
    return static_cast<T>(bits_);
  }

  // True when an integer of `bits` bits (8, 16, 32, 64) and that signedness holds the value.
  bool FitsIn(int bits, bool is_signed) const noexcept;

  friend constexpr bool operator==(const Integer&, const Integer&) noexcept = default;
  friend constexpr std::strong_ordering operator<=>(const Integer& a, const Integer& b) noexcept {
    if (a.negative_ != b.negative_) return b.negative_ <=> a.negative_;
    return a.negative_ ? static_cast<std::int64_t>(a.bits_) <=> static_cast<std::int64_t>(b.bits_)
                       : a.bits_ <=> b.bits_;
  }

 private:
  bool negative_ = false;
  std::uint64_t bits_ = 0;
};

// Decimal, with a leading '-' when negative.
std::string ToString(const Integer& i);

enum class ValueKind {
  kBool = 1,
  kInt,     // integers and strong integer wrappers (vfio::Iova)
  kEnum,    // an enumerator, or an OR of flags, by numeric value
  kString,  // std::string_view, const std::string&
  kBytes,   // std::span<const std::byte>
};
// "bool", "int", "enum", "string", "bytes".
const char* ToString(ValueKind kind) noexcept;

// One element of a call set. A value knows its kind and payload; which C++ type it becomes
// is the invoker's business (runner/invoker.h), its table spelling the column's
// (runner/cell.h). Strings and bytes own their storage, so a string_view or span parameter
// decoded from a Value is valid for as long as the Value lives.
class Value {
 public:
  Value() = default;  // false
  static Value Bool(bool b);
  static Value Int(Integer i);
  static Value Enum(Integer i);
  static Value String(std::string s);
  static Value Bytes(std::string bytes);
  static Value Bytes(std::span<const std::byte> bytes);

  ValueKind kind() const noexcept { return kind_; }
  // The payload of each kind; the others return their default (false, 0, "").
  bool as_bool() const noexcept { return kind_ == ValueKind::kBool && integer_ != Integer(0); }
  const Integer& as_integer() const noexcept { return integer_; }  // kInt and kEnum
  const std::string& as_string() const noexcept { return text_; }  // kString and kBytes
  std::span<const std::byte> as_bytes() const noexcept {
    return {reinterpret_cast<const std::byte*>(text_.data()), text_.size()};
  }

  friend bool operator==(const Value&, const Value&) = default;

 private:
  Value(ValueKind kind, Integer integer, std::string text)
      : kind_(kind), integer_(integer), text_(std::move(text)) {}

  ValueKind kind_ = ValueKind::kBool;
  Integer integer_;
  std::string text_;
};

// A schema-free spelling for messages: true, -3, enum(2), "a\n", x"00ff".
std::string DebugString(const Value& v);

using CallSet = std::vector<Value>;

}  // namespace kt
