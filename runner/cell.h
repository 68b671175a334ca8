// The table spelling of one parameter value, driven by its column schema: integers in the
// column's format, enumerators and flags by name, strings and bytes quoted. The standard
// library, runner/value.h and runner/schema.h only.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "runner/schema.h"
#include "runner/value.h"

namespace kt {

// The one canonical spelling of `v` in `column`:
//   bool      true | false
//   int       42, -7 (decimal) or 0x2000 (hex), per FormatOf(column)
//   strong    like int
//   enum      MapOrder::kAFirst; a value with no enumerator: MapOrder(7)
//   flags     Perm::kRead|Perm::kWrite in ascending bit order, unnamed bits as one hex term
//             (Perm::kRead|0x80); zero is the zero enumerator's name, or 0 when none
//   string    "a \"quoted\"\n string" (runner/internal/text.h escapes)
//   bytes     x"00ff10"
// nullopt (and *error) when v does not fit the column: wrong kind or outside its type.
std::optional<std::string> FormatCell(const ColumnSchema& column, const Value& v,
                                      std::string* error);

// The inverse of FormatCell. Lenient where it cannot be ambiguous: integers in either
// format, enumerators with or without the Enum:: qualifier, flags terms in any order.
std::optional<Value> ParseCell(const ColumnSchema& column, std::string_view cell,
                               std::string* error);

// "iova=0x1000, order=MapOrder::kAFirst" for messages; values that do not fit their column
// print schema-free (DebugString).
std::string FormatCallSet(std::span<const ColumnSchema> columns, std::span<const Value> values);

}  // namespace kt
