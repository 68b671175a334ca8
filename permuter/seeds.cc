// Seed values per column. runner/schema.h and the standard library only.
#include "permuter/seeds.h"

#include <algorithm>
#include <cstddef>
#include <string>

#include "permuter/domain.h"
#include "permuter/internal/wide.h"
#include "permuter/value_order.h"

namespace kt::permuter {
namespace {

using internal::FromWide;
using internal::ToWide;
using internal::Wide;

// The exponents of AFL's "interesting values": the edges of 8-, 16-, 32- and 64-bit types,
// where truncation and sign bugs live.
constexpr int kWidthExponents[] = {7, 8, 15, 16, 31, 32, 63};

constexpr Wide Pow2(int k) { return static_cast<Wide>(1) << k; }

// The largest power of two <= magnitude (magnitude > 0).
Wide FloorPow2(Wide magnitude) {
  int k = 0;
  while (k < 64 && Pow2(k + 1) <= magnitude) ++k;
  return Pow2(k);
}

class IntegerSeeds {
 public:
  IntegerSeeds(Wide lo, Wide hi) : lo_(lo), hi_(hi) {}

  // Adds v, v - 1 and v + 1 when inside [lo, hi].
  void AddWithNeighbours(Wide v) {
    for (const Wide d : {Wide{-1}, Wide{0}, Wide{1}}) Add(v + d);
  }
  void Add(Wide v) {
    if (v >= lo_ && v <= hi_) values_.push_back(v);
  }

  std::vector<Wide> Take() {
    std::sort(values_.begin(), values_.end());
    values_.erase(std::unique(values_.begin(), values_.end()), values_.end());
    return std::move(values_);
  }

 private:
  Wide lo_;
  Wide hi_;
  std::vector<Wide> values_;
};

std::vector<Value> IntSeeds(const ColumnSchema& column, std::span<const Integer> constants) {
  const Bounds bounds = *IntegerBounds(column);
  const Wide lo = ToWide(bounds.lo);
  const Wide hi = ToWide(bounds.hi);
  IntegerSeeds seeds(lo, hi);
  seeds.AddWithNeighbours(lo);
  seeds.AddWithNeighbours(hi);
  seeds.AddWithNeighbours(0);
  // The powers of two nearest each end: 0x80000000 below a 0xfffff000 bound, -2^31 above
  // a -3'000'000'000 bound.
  if (hi > 0) seeds.AddWithNeighbours(FloorPow2(hi));
  if (lo < 0) seeds.AddWithNeighbours(-FloorPow2(-lo));
  if (lo > 0) seeds.AddWithNeighbours(FloorPow2(lo) * 2);
  if (hi < 0) seeds.AddWithNeighbours(-FloorPow2(-hi) * 2);
  for (const int k : kWidthExponents) {
    for (const Wide v : {Pow2(k) - 1, Pow2(k), -Pow2(k), -Pow2(k) - 1}) seeds.Add(v);
  }
  for (const Integer& c : constants) seeds.AddWithNeighbours(ToWide(c));
  std::vector<Value> out;
  for (const Wide v : seeds.Take()) out.push_back(MakeValue(column, FromWide(v)));
  return out;
}

std::vector<Integer> FlagSeeds(const ColumnSchema& column) {
  std::vector<std::uint64_t> flags;
  std::uint64_t all = 0;
  for (const Enumerator& e : column.enumerators) {
    const std::uint64_t bits = internal::Truncate(e.value.bits(), column.int_type.bits / 8);
    if (bits != 0) flags.push_back(bits);
    all |= bits;
  }
  std::vector<std::uint64_t> patterns = {0, all};
  for (std::size_t i = 0; i < flags.size(); ++i) {
    patterns.push_back(flags[i]);
    for (std::size_t j = i + 1; j < flags.size(); ++j) patterns.push_back(flags[i] | flags[j]);
  }
  std::vector<Integer> out;
  for (const std::uint64_t p : patterns) out.push_back(FromPattern(column.int_type, p));
  return out;
}

std::vector<Value> TextSeeds(const ColumnSchema& column) {
  const bool bytes = column.kind == ParamKind::kBytes;
  const char fill = bytes ? '\xff' : 'a';
  std::vector<std::string> texts = {"", std::string(1, bytes ? '\0' : 'a')};
  if (column.max_len > 1) texts.push_back(std::string(column.max_len, fill));
  std::vector<Value> out;
  for (std::string& t : texts) {
    out.push_back(bytes ? Value::Bytes(std::move(t)) : Value::String(std::move(t)));
  }
  return out;
}

}  // namespace

Expected<std::vector<Value>> SeedValues(const ColumnSchema& column,
                                        std::span<const Integer> constants) {
  KT_TRY(CheckColumn(column));
  std::vector<Value> out;
  switch (column.kind) {
    case ParamKind::kBool: out = {Value::Bool(false), Value::Bool(true)}; break;
    case ParamKind::kInt:
    case ParamKind::kStrongInt: out = IntSeeds(column, constants); break;
    case ParamKind::kEnum:
      for (const Enumerator& e : column.enumerators) out.push_back(Value::Enum(e.value));
      break;
    case ParamKind::kFlags:
      for (const Integer& v : FlagSeeds(column)) out.push_back(Value::Enum(v));
      break;
    case ParamKind::kString:
    case ParamKind::kBytes: out = TextSeeds(column); break;
  }
  std::sort(out.begin(), out.end(),
            [](const Value& a, const Value& b) { return CompareValues(a, b) < 0; });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace kt::permuter
