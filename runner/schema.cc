// The column schema. The standard library and runner/ only.
#include "runner/schema.h"

#include "runner/internal/text.h"

namespace kt {

const char* ToString(ParamKind kind) noexcept {
  switch (kind) {
    case ParamKind::kBool: return "bool";
    case ParamKind::kInt: return "int";
    case ParamKind::kStrongInt: return "strong";
    case ParamKind::kEnum: return "enum";
    case ParamKind::kFlags: return "flags";
    case ParamKind::kString: return "string";
    case ParamKind::kBytes: return "bytes";
  }
  return "unknown";
}

std::optional<ParamKind> ParamKindFromString(std::string_view s) noexcept {
  for (const ParamKind k :
       {ParamKind::kBool, ParamKind::kInt, ParamKind::kStrongInt, ParamKind::kEnum,
        ParamKind::kFlags, ParamKind::kString, ParamKind::kBytes}) {
    if (s == ToString(k)) return k;
  }
  return std::nullopt;
}

ValueKind ValueKindOf(ParamKind kind) noexcept {
  switch (kind) {
    case ParamKind::kBool: return ValueKind::kBool;
    case ParamKind::kInt:
    case ParamKind::kStrongInt: return ValueKind::kInt;
    case ParamKind::kEnum:
    case ParamKind::kFlags: return ValueKind::kEnum;
    case ParamKind::kString: return ValueKind::kString;
    case ParamKind::kBytes: return ValueKind::kBytes;
  }
  return ValueKind::kInt;
}

std::string ToString(IntType t) { return (t.is_signed ? "i" : "u") + std::to_string(t.bits); }

std::optional<IntType> IntTypeFromString(std::string_view s) noexcept {
  for (const int bits : {8, 16, 32, 64}) {
    for (const bool is_signed : {false, true}) {
      const IntType t{bits, is_signed};
      if (s == ToString(t)) return t;
    }
  }
  return std::nullopt;
}

IntFormat DefaultFormat(const ColumnSchema& column) noexcept {
  if (column.kind == ParamKind::kStrongInt) return IntFormat::kHex;
  if (column.kind == ParamKind::kInt && column.int_type == IntType{64, false}) {
    return IntFormat::kHex;
  }
  return IntFormat::kDecimal;
}

std::optional<std::string> Incompatibility(const ColumnSchema& column,
                                           const ColumnSchema& signature) {
  const bool enum_like = column.kind == ParamKind::kEnum || column.kind == ParamKind::kFlags;
  const bool kinds_match =
      column.kind == signature.kind ||
      (enum_like && (signature.kind == ParamKind::kEnum || signature.kind == ParamKind::kFlags));
  if (!kinds_match) {
    return std::string("column is ") + ToString(column.kind) + " but the parameter is " +
           ToString(signature.kind) + " (" + signature.cpp_type + ")";
  }
  const bool has_int =
      column.kind == ParamKind::kInt || column.kind == ParamKind::kStrongInt || enum_like;
  if (has_int && column.int_type != signature.int_type) {
    return "column holds " + ToString(column.int_type) + " but the parameter is " +
           ToString(signature.int_type) + " (" + signature.cpp_type + ")";
  }
  return std::nullopt;
}

std::optional<std::string> CheckValue(const ColumnSchema& column, const Value& v) {
  const ValueKind want = ValueKindOf(column.kind);
  if (v.kind() != want) {
    return std::string("expected a ") + ToString(want) + " value, got " + DebugString(v);
  }
  if (want == ValueKind::kInt || want == ValueKind::kEnum) {
    if (!v.as_integer().FitsIn(column.int_type.bits, column.int_type.is_signed)) {
      return ToString(v.as_integer()) + " is outside " + ToString(column.int_type);
    }
  }
  return std::nullopt;
}

}  // namespace kt
