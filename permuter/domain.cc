// Column domains. runner/schema.h and the standard library only.
#include "permuter/domain.h"

#include <string>

#include "permuter/internal/wide.h"

namespace kt::permuter {
namespace {

using internal::FromWide;
using internal::ToWide;
using internal::Wide;

bool ValidBits(int bits) { return bits == 8 || bits == 16 || bits == 32 || bits == 64; }

Bounds TypeBounds(IntType t) {
  if (t.is_signed) {
    const Wide half = static_cast<Wide>(1) << (t.bits - 1);
    return {FromWide(-half), FromWide(half - 1)};
  }
  return {Integer(0), FromWide((static_cast<Wide>(1) << t.bits) - 1)};
}

bool Inside(const Bounds& b, const Integer& v) { return b.lo <= v && v <= b.hi; }

Error ColumnError(DomainError e, const ColumnSchema& column, const std::string& what) {
  return MakeError(e, "parameter '" + column.name + "' (" + column.cpp_type + "): " + what);
}

bool HasInteger(ParamKind kind) {
  return kind == ParamKind::kInt || kind == ParamKind::kStrongInt || kind == ParamKind::kEnum ||
         kind == ParamKind::kFlags;
}

}  // namespace

const char* ToString(DomainError e) noexcept {
  switch (e) {
    case DomainError::kBadIntType: return "bad_int_type";
    case DomainError::kEmptyRange: return "empty_range";
    case DomainError::kRangeOutsideType: return "range_outside_type";
    case DomainError::kNoEnumerators: return "no_enumerators";
    case DomainError::kEnumeratorOutsideType: return "enumerator_outside_type";
  }
  return "unknown";
}

const std::error_category& DomainCategory() noexcept {
  static const kt::internal::EnumCategory<DomainError> category("kt.domain");
  return category;
}

std::error_code make_error_code(DomainError e) noexcept {
  return {static_cast<int>(e), DomainCategory()};
}

Expected<void> CheckColumn(const ColumnSchema& column) {
  if (!HasInteger(column.kind)) return outcome::success();
  if (!ValidBits(column.int_type.bits)) {
    return ColumnError(DomainError::kBadIntType, column,
                       "integer width " + std::to_string(column.int_type.bits));
  }
  const Bounds type = TypeBounds(column.int_type);
  if (column.kind == ParamKind::kEnum || column.kind == ParamKind::kFlags) {
    if (column.enumerators.empty()) {
      return ColumnError(DomainError::kNoEnumerators, column, "no enumerators");
    }
    for (const Enumerator& e : column.enumerators) {
      if (!Inside(type, e.value)) {
        return ColumnError(
            DomainError::kEnumeratorOutsideType, column,
            e.name + " = " + ToString(e.value) + " is outside " + ToString(column.int_type));
      }
    }
    return outcome::success();
  }
  for (const std::optional<Integer>& end : {column.range_lo, column.range_hi}) {
    if (end && !Inside(type, *end)) {
      return ColumnError(
          DomainError::kRangeOutsideType, column,
          "KT_RANGE end " + ToString(*end) + " is outside " + ToString(column.int_type));
    }
  }
  if (column.range_lo && column.range_hi && *column.range_hi < *column.range_lo) {
    return ColumnError(DomainError::kEmptyRange, column,
                       "KT_RANGE(" + ToString(*column.range_lo) + ", " +
                           ToString(*column.range_hi) + ") is empty");
  }
  return outcome::success();
}

std::optional<Bounds> IntegerBounds(const ColumnSchema& column) {
  switch (column.kind) {
    case ParamKind::kBool: return Bounds{Integer(0), Integer(1)};
    case ParamKind::kInt:
    case ParamKind::kStrongInt: {
      const Bounds type = TypeBounds(column.int_type);
      return Bounds{column.range_lo.value_or(type.lo), column.range_hi.value_or(type.hi)};
    }
    case ParamKind::kEnum:
    case ParamKind::kFlags: return TypeBounds(column.int_type);
    case ParamKind::kString:
    case ParamKind::kBytes: return std::nullopt;
  }
  return std::nullopt;
}

std::uint64_t FlagMask(const ColumnSchema& column) noexcept {
  std::uint64_t mask = 0;
  for (const Enumerator& e : column.enumerators) mask |= e.value.bits();
  // A signed underlying type sign-extends its patterns; only its own width counts.
  return internal::Truncate(mask, column.int_type.bits / 8);
}

bool Admits(const ColumnSchema& column, const Integer& v) {
  const std::optional<Bounds> bounds = IntegerBounds(column);
  if (!bounds || !Inside(*bounds, v)) return false;
  if (column.kind == ParamKind::kEnum) {
    for (const Enumerator& e : column.enumerators) {
      if (e.value == v) return true;
    }
    return false;
  }
  if (column.kind == ParamKind::kFlags) {
    const std::uint64_t pattern = internal::Truncate(v.bits(), column.int_type.bits / 8);
    return (pattern & ~FlagMask(column)) == 0;
  }
  return true;
}

bool IsSteerable(const ColumnSchema& column) noexcept {
  return column.kind == ParamKind::kInt || column.kind == ParamKind::kStrongInt ||
         column.kind == ParamKind::kFlags;
}

bool IsContiguous(const ColumnSchema& column) noexcept {
  return column.kind == ParamKind::kInt || column.kind == ParamKind::kStrongInt;
}

Integer FromPattern(IntType type, std::uint64_t pattern) noexcept {
  const int bytes = type.bits / 8;
  if (type.is_signed) return Integer(internal::SignExtend(pattern, bytes));
  return Integer(internal::Truncate(pattern, bytes));
}

Value MakeValue(const ColumnSchema& column, const Integer& v) {
  switch (ValueKindOf(column.kind)) {
    case ValueKind::kBool: return Value::Bool(v != Integer(0));
    case ValueKind::kEnum: return Value::Enum(v);
    case ValueKind::kInt:
    case ValueKind::kString:
    case ValueKind::kBytes: break;
  }
  return Value::Int(v);
}

}  // namespace kt::permuter
