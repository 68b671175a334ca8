// Values of a call set. The standard library and runner/ only.
#include "runner/value.h"

#include "runner/internal/text.h"

namespace kt {

bool Integer::FitsIn(int bits, bool is_signed) const noexcept {
  switch (bits) {
    case 8: return is_signed ? To<std::int8_t>().has_value() : To<std::uint8_t>().has_value();
    case 16: return is_signed ? To<std::int16_t>().has_value() : To<std::uint16_t>().has_value();
    case 32: return is_signed ? To<std::int32_t>().has_value() : To<std::uint32_t>().has_value();
    case 64: return is_signed ? To<std::int64_t>().has_value() : To<std::uint64_t>().has_value();
    default: return false;
  }
}

std::string ToString(const Integer& i) { return internal::FormatInteger(i, /*hex=*/false); }

const char* ToString(ValueKind kind) noexcept {
  switch (kind) {
    case ValueKind::kBool: return "bool";
    case ValueKind::kInt: return "int";
    case ValueKind::kEnum: return "enum";
    case ValueKind::kString: return "string";
    case ValueKind::kBytes: return "bytes";
  }
  return "unknown";
}

Value Value::Bool(bool b) { return Value(ValueKind::kBool, Integer(b ? 1 : 0), {}); }
Value Value::Int(Integer i) { return Value(ValueKind::kInt, i, {}); }
Value Value::Enum(Integer i) { return Value(ValueKind::kEnum, i, {}); }
Value Value::String(std::string s) { return Value(ValueKind::kString, {}, std::move(s)); }
Value Value::Bytes(std::string bytes) { return Value(ValueKind::kBytes, {}, std::move(bytes)); }
Value Value::Bytes(std::span<const std::byte> bytes) {
  return Bytes(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string DebugString(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kBool: return v.as_bool() ? "true" : "false";
    case ValueKind::kInt: return ToString(v.as_integer());
    case ValueKind::kEnum: return "enum(" + ToString(v.as_integer()) + ")";
    case ValueKind::kString: return internal::Quote(v.as_string());
    case ValueKind::kBytes: return internal::HexBytes(v.as_string());
  }
  return "?";
}

}  // namespace kt
