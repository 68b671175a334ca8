// Canonical printing of kernel results and observed values: one spelling per value, the same
// on every compiler, so replay compares text. The standard library and Boost.Outcome only.
//
// Print(os, v) picks the first of these that applies to T:
//   1. KtPrint(std::ostream&, const T&), found by argument-dependent lookup: the kernel
//      author's own canonical spelling wins over everything else;
//   2. built-in spellings: bool (true/false), char ('a'), every other integer type (decimal),
//      floating point (shortest round-trip), strings ("quoted\n"), byte spans (x"00ff"),
//      std::error_code and error-code enums (category:name, see ErrorCodeName), kt::Hex
//      (0x2000), kt::result<T> and every Boost.Outcome result (ok(v), ok(), error(e));
//   3. operator<<(std::ostream&, const T&); for an enum only a non-member one, since an
//      unscoped enum would otherwise print through the int overload;
//   4. structural fallbacks: an enum as Name(value), a strong integer wrapper (a class with
//      an integral value() it can be constructed from, e.g. vfio::Iova) in hex, std::optional
//      as nullopt or its value, std::pair as (a, b), any other range as [a, b, c].
// Anything else, and any pointer but const char*, is a compile error: addresses are not
// canonical.
#pragma once

#include <concepts>
#include <cstddef>
#include <locale>
#include <optional>
#include <ostream>
#include <ranges>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <typeinfo>
#include <utility>

#include <boost/outcome/basic_result.hpp>

#include "runner/internal/names.h"
#include "runner/value.h"

namespace kt {

// Prints an integer in hex: KT_OBSERVE("base", kt::Hex(iova)) -> base=0x2000.
struct Hex {
  template <std::integral T>
  explicit constexpr Hex(T v) noexcept : value(v) {}
  Integer value;
};

// "vfio.dma:overlap". For std::generic_category and std::system_category the name is the
// errno macro (generic:ENOENT); for every other category it is message() lowercased with
// each run of other characters than [a-z0-9] turned into one '_' and the ends trimmed, which
// leaves the vfio categories' snake_case enumerator names as they are. An empty result
// prints the value.
std::string ErrorCodeName(const std::error_code& ec);

// Lowercase, runs of non-alphanumerics -> '_', no leading or trailing '_'.
std::string NormaliseMessage(std::string_view message);

namespace internal {

void PrintInteger(std::ostream& os, const Integer& i, bool hex);
void PrintDouble(std::ostream& os, double d);
void PrintChar(std::ostream& os, char c);
void PrintQuoted(std::ostream& os, std::string_view s);
void PrintHexBytes(std::ostream& os, std::span<const std::byte> bytes);

// Only argument-dependent lookup may find KtPrint: this declaration hides any other.
void KtPrint() = delete;

template <class T>
concept HasKtPrint = requires(std::ostream& os, const T& v) {
  KtPrint(os, v);
};
template <class T>
concept HasFreeShift = requires(std::ostream& os, const T& v) {
  operator<<(os, v);
};
template <class T>
concept HasShift = requires(std::ostream& os, const T& v) {
  os << v;
};
template <class T>
concept HasMakeErrorCode = std::is_enum_v<T> && requires(const T& v) {
  { make_error_code(v) } -> std::same_as<std::error_code>;
};
template <class T>
concept StrongInteger = std::is_class_v<T> && requires(const T& v) {
  { v.value() } -> std::integral;
} && std::is_constructible_v<T, decltype(std::declval<const T&>().value())>;

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};
template <class T>
struct IsPair : std::false_type {};
template <class A, class B>
struct IsPair<std::pair<A, B>> : std::true_type {};

template <class T>
constexpr bool kAlwaysFalse = false;

}  // namespace internal

template <class T>
void Print(std::ostream& os, const T& v);

// Prints a result: ok(value), ok() for void, error(category:name) for an error.
template <class R>
requires BOOST_OUTCOME_V2_NAMESPACE::is_basic_result_v<R>
void PrintResult(std::ostream& os, const R& r) {
  if (r.has_value()) {
    os << "ok(";
    if constexpr (!std::is_void_v<typename R::value_type>) Print(os, r.assume_value());
    os << ')';
  } else {
    os << "error(";
    Print(os, r.assume_error());
    os << ')';
  }
}

namespace internal {

// Step 4 of Print: the structural fallbacks, for types without a printer of their own.
template <class T>
void PrintStructurally(std::ostream& os, const T& v) {
  if constexpr (std::is_enum_v<T>) {
    os << ShortTypeName(typeid(T)) << '(';
    PrintInteger(os, Integer(static_cast<std::underlying_type_t<T>>(v)), /*hex=*/false);
    os << ')';
  } else if constexpr (StrongInteger<T>) {
    PrintInteger(os, Integer(v.value()), /*hex=*/true);
  } else if constexpr (IsOptional<T>::value) {
    if (v.has_value()) {
      Print(os, *v);
    } else {
      os << "nullopt";
    }
  } else if constexpr (IsPair<T>::value) {
    os << '(';
    Print(os, v.first);
    os << ", ";
    Print(os, v.second);
    os << ')';
  } else if constexpr (std::ranges::input_range<const T>) {
    os << '[';
    const char* sep = "";
    for (const auto& e : v) {
      os << sep;
      Print(os, e);
      sep = ", ";
    }
    os << ']';
  } else if constexpr (std::is_same_v<T, std::nullptr_t>) {
    os << "nullptr";
  } else {
    static_assert(kAlwaysFalse<T>,
                  "kt::Print: give T a KtPrint(std::ostream&, const T&) or an operator<<");
  }
}

}  // namespace internal

template <class T>
void Print(std::ostream& os, const T& v) {
  namespace ki = internal;
  static_assert(!std::is_pointer_v<T> || std::is_same_v<T, const char*> || std::is_same_v<T, char*>,
                "kt::Print: a pointer prints as an address, which is not canonical");
  if constexpr (ki::HasKtPrint<T>) {
    KtPrint(os, v);
  } else if constexpr (std::is_same_v<T, bool>) {
    os << (v ? "true" : "false");
  } else if constexpr (std::is_same_v<T, char>) {
    ki::PrintChar(os, v);
  } else if constexpr (std::is_integral_v<T>) {
    ki::PrintInteger(os, Integer(v), /*hex=*/false);
  } else if constexpr (std::is_floating_point_v<T>) {
    ki::PrintDouble(os, static_cast<double>(v));
  } else if constexpr (std::is_same_v<T, const char*> || std::is_same_v<T, char*>) {
    if (v == nullptr) {
      os << "nullptr";
    } else {
      ki::PrintQuoted(os, v);
    }
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    ki::PrintQuoted(os, std::string_view(v));
  } else if constexpr (std::is_convertible_v<const T&, std::span<const std::byte>>) {
    ki::PrintHexBytes(os, std::span<const std::byte>(v));
  } else if constexpr (std::is_same_v<T, std::error_code>) {
    os << ErrorCodeName(v);
  } else if constexpr (ki::HasMakeErrorCode<T>) {
    os << ErrorCodeName(make_error_code(v));
  } else if constexpr (std::is_same_v<T, Hex>) {
    ki::PrintInteger(os, v.value, /*hex=*/true);
  } else if constexpr (BOOST_OUTCOME_V2_NAMESPACE::is_basic_result_v<T>) {
    PrintResult(os, v);
  } else if constexpr (std::is_enum_v<T> && ki::HasFreeShift<T>) {
    operator<<(os, v);
  } else if constexpr (!std::is_enum_v<T> && ki::HasShift<T>) {
    os << v;
  } else {
    internal::PrintStructurally(os, v);
  }
}

// Print into a string, in the classic locale whatever the global one is.
template <class T>
std::string PrintToString(const T& v) {
  std::ostringstream os;
  os.imbue(std::locale::classic());
  Print(os, v);
  return os.str();
}

}  // namespace kt
