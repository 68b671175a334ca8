// The bytes libFuzzer mutates for a kernel with string or bytes parameters, and the call set
// they stand for: a choice per other column (an index into its seed domain), then the texts.
// Decoding is total, so every input libFuzzer makes is a call set. runner/ values and schema
// only; never libFuzzer, a process or an executor.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "runner/schema.h"
#include "runner/value.h"

namespace kt::permuter {

// The longest text a string or bytes column without KT_BYTES takes: libFuzzer's own default
// -max_len, and what the seeder writes as max_len when the annotation is missing.
inline constexpr std::size_t kDefaultTextMaxLen = 4096;

// True for string and bytes columns: the ones libFuzzer's bytes fill.
bool IsText(const ColumnSchema& column) noexcept;
// True when some column is a string or bytes column: such kernels generate through
// FuzzSearch (permuter/fuzz_search.h), the others through Search.
bool HasTextColumn(std::span<const ColumnSchema> columns) noexcept;
// KT_BYTES(n) when given (ColumnSchema::max_len != 0), else kDefaultTextMaxLen.
std::size_t TextMaxLen(const ColumnSchema& column) noexcept;

// Maps libFuzzer inputs to call sets and back. The layout, in column order:
//
//   [choice of each non-text column] [length of each text column but the last] [texts]
//
//   choice   0 bytes for a domain of one value, 1 byte for up to 256 values, else 2 bytes
//            little-endian (a domain is used up to its first 65536 values); the index is the
//            byte value modulo the domain size
//   length   2 bytes little-endian, clamped to TextMaxLen and to the bytes left
//   texts    each text column its length's bytes in order; the last one takes the rest,
//            clamped to its TextMaxLen
//
// Bytes missing at the end read as zero and surplus bytes are ignored, so Decode is total and
// many inputs give one call set (the search runs each call set once). The fixed-size choices
// come first so that libFuzzer's insertions into a text never move another column's choice.
// Immutable after construction; thread-safe.
//
// Example usage:
//   // columns: Mode mode (3 enumerators), std::string_view name
//   FuzzCodec codec(columns, {{Value::Enum(0), Value::Enum(1), Value::Enum(2)}, {}});
//   codec.Decode(bytes("\x05vfio"))  // {Value::Enum(2), Value::String("vfio")}
//   codec.Encode({Value::Enum(1), Value::String("pci")})  // "\x01pci"
class FuzzCodec {
 public:
  // `domains` holds one entry per column: the values a non-text column may take (not empty;
  // permuter/seeds.h gives them), ignored for text columns.
  FuzzCodec(std::span<const ColumnSchema> columns, std::vector<std::vector<Value>> domains);

  std::vector<Value> Decode(std::span<const std::uint8_t> data) const;

  // The input that decodes to `call_set`, with two exceptions: a value not in its column's
  // domain encodes as the domain's first, and a text longer than its TextMaxLen is cut.
  // `call_set` has one value per column, of the column's kind.
  std::string Encode(std::span<const Value> call_set) const;

  // The longest input whose every byte Decode reads: libFuzzer's -max_len.
  std::size_t max_size() const noexcept { return max_size_; }

 private:
  struct Slot {
    bool text = false;
    std::size_t width = 0;    // choice bytes; 0 for a text column
    std::size_t max_len = 0;  // text columns
    bool bytes = false;       // a bytes column (else a string column)
  };

  std::vector<Slot> slots_;
  std::vector<std::vector<Value>> domains_;
  std::size_t last_text_ = 0;  // the index of the last text column, if any
  std::size_t max_size_ = 0;
};

}  // namespace kt::permuter
