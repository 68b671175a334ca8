// The generation domain of one column: which integers a parameter may take while the
// permuter searches, and the checks that keep a malformed schema from reaching the search.
// runner/schema.h and runner/error.h only; never the runner's executor or the runtime.
#pragma once

#include <cstdint>
#include <optional>
#include <system_error>
#include <type_traits>

#include "runner/error.h"
#include "runner/schema.h"
#include "runner/value.h"

namespace kt::permuter {

enum class DomainError {
  kBadIntType = 1,         // an integer width other than 8, 16, 32 or 64
  kEmptyRange,             // KT_RANGE(lo, hi) with lo > hi
  kRangeOutsideType,       // a KT_RANGE end the parameter's type cannot hold
  kNoEnumerators,          // an enum or flags column without enumerators
  kEnumeratorOutsideType,  // an enumerator its underlying type cannot hold
};
const char* ToString(DomainError e) noexcept;
const std::error_category& DomainCategory() noexcept;
std::error_code make_error_code(DomainError e) noexcept;

// An inclusive integer interval.
struct Bounds {
  Integer lo;
  Integer hi;
  friend bool operator==(const Bounds&, const Bounds&) = default;
};

// Why the permuter cannot generate values for `column`, or success. Every other function
// here assumes a column that passed.
Expected<void> CheckColumn(const ColumnSchema& column);

// The interval generation draws from: [0, 1] for bool; KT_RANGE, else the type, for
// integers and strong integers; the underlying type for enums and flags. nullopt for
// strings and bytes.
std::optional<Bounds> IntegerBounds(const ColumnSchema& column);

// The bits any OR of a flags column's enumerators can set.
std::uint64_t FlagMask(const ColumnSchema& column) noexcept;

// True when generation may give `column` the integer `v`: inside IntegerBounds, one of the
// enumerators for an enum, an OR of enumerator bits for flags. Always false for strings and
// bytes.
bool Admits(const ColumnSchema& column, const Integer& v);

// True for the kinds compare feedback can steer: integers, strong integers and flags (whose
// values are any OR of their bits). Enums take only their enumerators, every one of which
// is a seed, and bools have nothing between false and true.
bool IsSteerable(const ColumnSchema& column) noexcept;

// True for integers and strong integers: kinds whose every value between two admitted ones
// is admitted too, so bisection may probe any midpoint.
bool IsContiguous(const ColumnSchema& column) noexcept;

// The integer an IntType reads from the low bits of `pattern`: zero-extended when unsigned,
// sign-extended when signed. How a flags OR or a spliced operand becomes a column value.
Integer FromPattern(IntType type, std::uint64_t pattern) noexcept;

// The Value of the kind `column` takes (bool, int or enum) holding `v`.
Value MakeValue(const ColumnSchema& column, const Integer& v);

}  // namespace kt::permuter

template <>
struct std::is_error_code_enum<kt::permuter::DomainError> : std::true_type {};
