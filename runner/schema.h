// The column schema: what each kernel parameter is, as plain data. Replay fills it from a
// table header, generation from the ast_seeder's per-kernel JSON, the invoker (the parts a
// C++ type tells) from the kernel's signature. The standard library and runner/value.h only.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runner/value.h"

namespace kt {

// The kind of a parameter, and so of its column and its values.
enum class ParamKind {
  kBool = 1,
  kInt,        // every integer type, 8..64 bits, signed or unsigned
  kStrongInt,  // a class constructible from exactly one integer (vfio::Iova), by its integer
  kEnum,       // one enumerator, by name
  kFlags,      // an OR of flag enumerators (KT_FLAGS or detected), by names joined with '|'
  kString,     // std::string_view, const std::string&
  kBytes,      // std::span<const std::byte>
};
// "bool", "int", "strong", "enum", "flags", "string", "bytes".
const char* ToString(ParamKind kind) noexcept;
std::optional<ParamKind> ParamKindFromString(std::string_view s) noexcept;
// The ValueKind a parameter of this kind takes (kEnum for kFlags, kInt for kStrongInt).
ValueKind ValueKindOf(ParamKind kind) noexcept;

// An integer type by width and signedness; spelled u8, i16, u32, i64, ...
struct IntType {
  int bits = 64;
  bool is_signed = false;
  friend bool operator==(const IntType&, const IntType&) = default;
};
std::string ToString(IntType t);
std::optional<IntType> IntTypeFromString(std::string_view s) noexcept;

// How a column spells its integers. The default (DefaultFormat) is hex for strong integer
// wrappers and 64-bit unsigned integers, where addresses, sizes and masks live, and decimal
// for everything else.
enum class IntFormat { kDecimal = 1, kHex };

struct Enumerator {
  std::string name;  // unqualified: kRead
  Integer value;
  friend bool operator==(const Enumerator&, const Enumerator&) = default;
};

// One parameter. Which fields matter depends on kind: int_type for kInt, kStrongInt, kEnum
// and kFlags (the underlying type); enum_name and enumerators for kEnum and kFlags; range for
// kInt and kStrongInt; max_len for kString and kBytes.
struct ColumnSchema {
  std::string name;  // the parameter's name: iova
  ParamKind kind = ParamKind::kInt;
  std::string cpp_type;  // as the source spells it: std::uint64_t, vfio::Perm
  IntType int_type;
  std::optional<Integer> range_lo;  // KT_RANGE(lo, hi), inclusive; a generation domain only:
  std::optional<Integer> range_hi;  // replay accepts pinned rows outside it
  std::string enum_name;            // how values are qualified in tables: Perm -> Perm::kRead
  std::vector<Enumerator> enumerators;
  std::size_t max_len = 0;          // KT_BYTES(max_len); 0 when not given
  std::optional<IntFormat> format;  // nullopt: DefaultFormat

  friend bool operator==(const ColumnSchema&, const ColumnSchema&) = default;
};

IntFormat DefaultFormat(const ColumnSchema& column) noexcept;
inline IntFormat FormatOf(const ColumnSchema& column) noexcept {
  return column.format.value_or(DefaultFormat(column));
}

// A kernel: its suite-unique name, where it is registered and its parameters in order.
struct KernelSchema {
  std::string name;         // dma.map_two
  std::string source_file;  // as registered (__FILE__ of KT_KERNEL)
  int source_line = 0;
  std::vector<ColumnSchema> columns;

  friend bool operator==(const KernelSchema&, const KernelSchema&) = default;
};

// Why `column` cannot hold the parameters `signature` describes (the invoker's view of a C++
// parameter: kind, int_type), or nullopt when it can. An enum parameter accepts kEnum and
// kFlags columns, since only the seeder sees KT_FLAGS.
std::optional<std::string> Incompatibility(const ColumnSchema& column,
                                           const ColumnSchema& signature);

// Why `v` does not fit `column` (wrong kind, outside the integer type), or nullopt.
std::optional<std::string> CheckValue(const ColumnSchema& column, const Value& v);

}  // namespace kt
