// The table spelling of parameter values. The standard library and runner/ only.
#include "runner/cell.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "runner/internal/text.h"

namespace kt {
namespace {

// A width outside 1..63 (a malformed schema) counts as 64 bits; CheckValue rejects it.
std::uint64_t WidthMask(IntType t) noexcept {
  return t.bits <= 0 || t.bits >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << t.bits) - 1;
}

// The value of a bit pattern of type t: sign-extended when t is signed.
Integer FromBits(std::uint64_t bits, IntType t) noexcept {
  bits &= WidthMask(t);
  const std::uint64_t sign = (WidthMask(t) >> 1) + 1;
  if (t.is_signed && (bits & sign) != 0) {
    return Integer(static_cast<std::int64_t>(bits | ~WidthMask(t)));
  }
  return Integer(bits);
}

std::string Qualified(const ColumnSchema& column, const std::string& enumerator) {
  return column.enum_name.empty() ? enumerator : column.enum_name + "::" + enumerator;
}

const Enumerator* FindByValue(const ColumnSchema& column, const Integer& value) {
  for (const Enumerator& e : column.enumerators) {
    if (e.value == value) return &e;
  }
  return nullptr;
}

std::string FormatEnum(const ColumnSchema& column, const Integer& value) {
  if (const Enumerator* e = FindByValue(column, value)) return Qualified(column, e->name);
  return column.enum_name + "(" + internal::FormatInteger(value, /*hex=*/false) + ")";
}

// Single-bit enumerators in ascending bit order; the first of equal values wins.
std::vector<const Enumerator*> FlagBits(const ColumnSchema& column) {
  std::vector<const Enumerator*> bits;
  for (const Enumerator& e : column.enumerators) {
    const std::uint64_t b = e.value.bits() & WidthMask(column.int_type);
    if (b == 0 || (b & (b - 1)) != 0) continue;
    const bool seen = std::any_of(bits.begin(), bits.end(), [&](const Enumerator* o) {
      return (o->value.bits() & WidthMask(column.int_type)) == b;
    });
    if (!seen) bits.push_back(&e);
  }
  // Bits are distinct, so plain sort is deterministic (stable_sort's temporary buffer is
  // deprecated in libstdc++ 12 under clang).
  std::sort(bits.begin(), bits.end(), [&](const Enumerator* a, const Enumerator* b) {
    return (a->value.bits() & WidthMask(column.int_type)) <
           (b->value.bits() & WidthMask(column.int_type));
  });
  return bits;
}

std::string FormatFlags(const ColumnSchema& column, const Integer& value) {
  std::uint64_t rest = value.bits() & WidthMask(column.int_type);
  if (rest == 0) {
    const Enumerator* zero = FindByValue(column, Integer(0));
    return zero != nullptr ? Qualified(column, zero->name) : "0";
  }
  std::string out;
  for (const Enumerator* e : FlagBits(column)) {
    const std::uint64_t b = e->value.bits() & WidthMask(column.int_type);
    if ((rest & b) == 0) continue;
    out += (out.empty() ? "" : "|") + Qualified(column, e->name);
    rest &= ~b;
  }
  if (rest != 0) out += (out.empty() ? "" : "|") + internal::FormatInteger(Integer(rest), true);
  return out;
}

// One enumerator term: Enum::name or name; nullopt with *error when unknown.
std::optional<Integer> ParseEnumerator(const ColumnSchema& column, std::string_view term,
                                       std::string* error) {
  std::string_view name = term;
  if (const auto colons = term.rfind("::"); colons != std::string_view::npos) {
    if (term.substr(0, colons) != column.enum_name) {
      *error = "'" + std::string(term) + "' is not an enumerator of " + column.enum_name;
      return std::nullopt;
    }
    name = term.substr(colons + 2);
  }
  for (const Enumerator& e : column.enumerators) {
    if (e.name == name) return e.value;
  }
  *error = "unknown enumerator '" + std::string(name) + "' of " + column.enum_name;
  return std::nullopt;
}

std::optional<Integer> ParseEnumValue(const ColumnSchema& column, std::string_view cell,
                                      std::string* error) {
  const std::string prefix = column.enum_name + "(";
  if (cell.size() > prefix.size() && cell.substr(0, prefix.size()) == prefix &&
      cell.back() == ')') {
    const std::string_view digits = cell.substr(prefix.size(), cell.size() - prefix.size() - 1);
    if (std::optional<Integer> i = internal::ParseInteger(digits)) return i;
    *error = "bad integer in '" + std::string(cell) + "'";
    return std::nullopt;
  }
  return ParseEnumerator(column, cell, error);
}

std::optional<Integer> ParseFlagsValue(const ColumnSchema& column, std::string_view cell,
                                       std::string* error) {
  std::uint64_t bits = 0;
  while (true) {
    const std::size_t bar = cell.find('|');
    const std::string_view term = cell.substr(0, bar);
    if (term.empty()) {
      *error = "empty flags term";
      return std::nullopt;
    }
    if (std::optional<Integer> literal = internal::ParseInteger(term)) {
      bits |= literal->bits();
    } else if (std::optional<Integer> e = ParseEnumerator(column, term, error)) {
      bits |= e->bits();
    } else {
      return std::nullopt;
    }
    if (bar == std::string_view::npos) break;
    cell.remove_prefix(bar + 1);
  }
  return FromBits(bits, column.int_type);
}

std::optional<Integer> ParseIntCell(const ColumnSchema& column, std::string_view cell,
                                    std::string* error) {
  std::optional<Integer> i;
  switch (column.kind) {
    case ParamKind::kEnum: i = ParseEnumValue(column, cell, error); break;
    case ParamKind::kFlags: i = ParseFlagsValue(column, cell, error); break;
    default:
      i = internal::ParseInteger(cell);
      if (!i) *error = "bad integer '" + std::string(cell) + "'";
  }
  if (i && !i->FitsIn(column.int_type.bits, column.int_type.is_signed)) {
    *error = std::string(cell) + " is outside " + ToString(column.int_type);
    return std::nullopt;
  }
  return i;
}

}  // namespace

std::optional<std::string> FormatCell(const ColumnSchema& column, const Value& v,
                                      std::string* error) {
  if (std::optional<std::string> why = CheckValue(column, v)) {
    *error = "column " + column.name + ": " + *why;
    return std::nullopt;
  }
  switch (column.kind) {
    case ParamKind::kBool: return v.as_bool() ? "true" : "false";
    case ParamKind::kInt:
    case ParamKind::kStrongInt:
      return internal::FormatInteger(v.as_integer(), FormatOf(column) == IntFormat::kHex);
    case ParamKind::kEnum: return FormatEnum(column, v.as_integer());
    case ParamKind::kFlags: return FormatFlags(column, v.as_integer());
    case ParamKind::kString: return internal::Quote(v.as_string());
    case ParamKind::kBytes: return internal::HexBytes(v.as_string());
  }
  *error = "unknown column kind";
  return std::nullopt;
}

std::optional<Value> ParseCell(const ColumnSchema& column, std::string_view cell,
                               std::string* error) {
  switch (column.kind) {
    case ParamKind::kBool:
      if (cell == "true" || cell == "false") return Value::Bool(cell == "true");
      *error = "expected true or false, got '" + std::string(cell) + "'";
      return std::nullopt;
    case ParamKind::kInt:
    case ParamKind::kStrongInt:
    case ParamKind::kEnum:
    case ParamKind::kFlags: {
      const std::optional<Integer> i = ParseIntCell(column, cell, error);
      if (!i) return std::nullopt;
      return ValueKindOf(column.kind) == ValueKind::kEnum ? Value::Enum(*i) : Value::Int(*i);
    }
    case ParamKind::kString: {
      std::string_view rest = cell;
      std::optional<std::string> s = internal::ParseQuoted(rest, error);
      if (!s) return std::nullopt;
      if (!rest.empty()) {
        *error = "text after the closing '\"' of a string";
        return std::nullopt;
      }
      return Value::String(std::move(*s));
    }
    case ParamKind::kBytes: {
      std::optional<std::string> b = internal::ParseHexBytes(cell, error);
      if (!b) return std::nullopt;
      return Value::Bytes(std::move(*b));
    }
  }
  *error = "unknown column kind";
  return std::nullopt;
}

std::string FormatCallSet(std::span<const ColumnSchema> columns, std::span<const Value> values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ", ";
    std::string error;
    std::optional<std::string> cell;
    if (i < columns.size()) {
      out += columns[i].name + "=";
      cell = FormatCell(columns[i], values[i], &error);
    }
    out += cell ? *cell : DebugString(values[i]);
  }
  return out;
}

}  // namespace kt
