// Compare-operand feedback. runner/schema.h and the standard library only.
#include "permuter/feedback.h"

#include <algorithm>
#include <cstdint>

#include "permuter/domain.h"
#include "permuter/internal/wide.h"

namespace kt::permuter {
namespace {

using internal::SignExtend;
using internal::Truncate;

// Indices tried when a parameter is used as an array index. An index selects a table entry,
// and a branch on that entry's value flips at one index that neither the index's compares
// nor bisection (entries are not ordered) can point to; tables in kernels are small.
constexpr std::uint64_t kIndexSweep = 64;

std::uint64_t WidthMask(int bytes) { return Truncate(~std::uint64_t{0}, bytes); }

// The ways an operand of `width` bytes can hold the column value x: truncated or
// sign-extended to the width (the two's complement pattern cut to size), or zero-extended
// from the column's own width when that is narrower (an unsigned cast first).
struct Encodings {
  std::uint64_t as_width;
  std::uint64_t zero_extended;

  Encodings(const Integer& x, int column_bytes, int width)
      : as_width(Truncate(x.bits(), width)),
        zero_extended(column_bytes < width ? Truncate(x.bits(), column_bytes) : as_width) {}
  bool Match(std::uint64_t operand, int width) const {
    const std::uint64_t v = Truncate(operand, width);
    return v == as_width || v == zero_extended;
  }
};

// Collects mutations of one column, each value once, in the order found.
class Collector {
 public:
  Collector(const ColumnSchema& column, std::size_t index, const Integer& x,
            std::vector<Mutation>* out, std::size_t max)
      : column_(column), index_(index), x_(x), out_(out), max_(max) {}

  bool full() const { return out_->size() >= max_; }

  // t, t - 1 and t + 1 at `width` bytes, each read three ways (see ProposeMutations).
  void AddTargetAndNeighbours(std::uint64_t t, int width) {
    const std::uint64_t mask = WidthMask(width);
    for (const std::uint64_t target : {t, t + 1, t - 1}) AddTarget(target & mask, width);
  }
  void AddTarget(std::uint64_t t, int width) {
    const std::uint64_t spliced = (x_.bits() & ~WidthMask(width)) | t;
    Add(FromPattern(column_.int_type, spliced));
    Add(Integer(t));
    Add(Integer(SignExtend(t, width)));
  }

 private:
  void Add(const Integer& v) {
    if (full() || v == x_ || !Admits(column_, v)) return;
    const Mutation m{index_, v};
    if (std::find(out_->begin(), out_->end(), m) == out_->end()) out_->push_back(m);
  }

  const ColumnSchema& column_;
  std::size_t index_;
  Integer x_;
  std::vector<Mutation>* out_;
  std::size_t max_;
};

void ProposeFromEvent(const CompareEvent& e, const Encodings& enc, Collector& collector) {
  const int width = e.width;
  switch (e.kind) {
    case CompareKind::kCmp:
    case CompareKind::kConstCmp:
      if (enc.Match(e.arg2, width)) collector.AddTargetAndNeighbours(e.arg1, width);
      if (enc.Match(e.arg1, width)) collector.AddTargetAndNeighbours(e.arg2, width);
      return;
    case CompareKind::kSwitch:
      if (!enc.Match(e.arg1, width)) return;
      for (const std::uint64_t c : e.cases) collector.AddTargetAndNeighbours(c, width);
      return;
    case CompareKind::kDiv:
      if (enc.Match(e.arg1, width)) collector.AddTargetAndNeighbours(0, width);
      return;
    case CompareKind::kGep:
      if (!enc.Match(e.arg1, width)) return;
      collector.AddTargetAndNeighbours(0, width);
      for (std::uint64_t i = 1; i < kIndexSweep; ++i) collector.AddTarget(i, width);
      return;
  }
}

bool ValidWidth(int width) { return width == 1 || width == 2 || width == 4 || width == 8; }

}  // namespace

std::vector<Mutation> ProposeMutations(std::span<const ColumnSchema> columns,
                                       std::span<const Value> call_set,
                                       std::span<const CompareEvent> log,
                                       std::size_t max_mutations) {
  std::vector<Mutation> out;
  for (std::size_t c = 0; c < columns.size() && c < call_set.size(); ++c) {
    if (!IsSteerable(columns[c])) continue;
    const Integer x = call_set[c].as_integer();
    Collector collector(columns[c], c, x, &out, max_mutations);
    const int column_bytes = columns[c].int_type.bits / 8;
    for (const CompareEvent& e : log) {
      if (collector.full()) return out;
      // A record from a runtime this code does not know is skipped, never trusted.
      if (!ValidWidth(e.width)) continue;
      ProposeFromEvent(e, Encodings(x, column_bytes, e.width), collector);
    }
  }
  return out;
}

}  // namespace kt::permuter
