// Exhaustive, pairwise (IPOG) and each-value arrays. The standard library only.
#include "permuter/covering_array.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <numeric>
#include <set>

namespace kt::permuter {
namespace {

constexpr std::int64_t kDontCare = -1;
using WorkRow = std::vector<std::int64_t>;

// The product of `sizes`, saturated just above `limit` so it never overflows.
std::uint64_t SaturatedProduct(std::span<const std::size_t> sizes, std::uint64_t limit) {
  const std::uint64_t cap = limit + 1;
  for (const std::size_t s : sizes) {
    if (s == 0) return 0;
  }
  std::uint64_t product = 1;
  for (const std::size_t s : sizes) {
    if (product > cap / s) return cap;
    product = std::min<std::uint64_t>(product * s, cap);
  }
  return product;
}

CoveringArray Exhaustive(std::span<const std::size_t> sizes, std::uint64_t count) {
  CoveringArray out{Strength::kExhaustive, {}};
  std::vector<std::uint32_t> row(sizes.size(), 0);
  for (std::uint64_t r = 0; r < count; ++r) {
    out.rows.push_back(row);
    for (std::size_t c = sizes.size(); c-- > 0;) {
      if (++row[c] < sizes[c]) break;
      row[c] = 0;
    }
  }
  return out;
}

CoveringArray EachValue(std::span<const std::size_t> sizes, std::uint64_t limit) {
  CoveringArray out{Strength::kEachValue, {}};
  const std::size_t longest = *std::max_element(sizes.begin(), sizes.end());
  for (std::uint64_t r = 0; r < longest && r < limit; ++r) {
    std::vector<std::uint32_t> row;
    for (const std::size_t s : sizes) row.push_back(static_cast<std::uint32_t>(r % s));
    out.rows.push_back(std::move(row));
  }
  return out;
}

// Which pairs (value a of an earlier column j, value v of the new column k) some row holds,
// while IPOG extends the array by column k. Thread-compatible; one per extension step.
class PairCoverage {
 public:
  PairCoverage(std::span<const std::size_t> earlier_sizes, std::size_t new_size)
      : new_size_(new_size) {
    for (const std::size_t s : earlier_sizes) covered_.emplace_back(s * new_size, false);
  }

  bool Covered(std::size_t j, std::int64_t a, std::int64_t v) const {
    return covered_[j][static_cast<std::size_t>(a) * new_size_ + static_cast<std::size_t>(v)];
  }
  // Marks every pair `row` holds between the earlier columns and column k = row.size() - 1.
  void MarkRow(const WorkRow& row) {
    const std::int64_t v = row.back();
    if (v == kDontCare) return;
    for (std::size_t j = 0; j + 1 < row.size(); ++j) {
      if (row[j] != kDontCare) Mark(j, row[j], v);
    }
  }
  void Mark(std::size_t j, std::int64_t a, std::int64_t v) {
    covered_[j][static_cast<std::size_t>(a) * new_size_ + static_cast<std::size_t>(v)] = true;
  }
  // The pairs `row` would add if column k took v.
  std::size_t Gain(const WorkRow& row, std::int64_t v) const {
    std::size_t gain = 0;
    for (std::size_t j = 0; j + 1 < row.size(); ++j) {
      if (row[j] != kDontCare && !Covered(j, row[j], v)) ++gain;
    }
    return gain;
  }

 private:
  std::size_t new_size_;
  std::vector<std::vector<bool>> covered_;
};

// Horizontal growth: each row gets the value of column k that covers the most new pairs,
// the smallest on ties, or a don't-care when none covers anything new.
void GrowHorizontally(std::vector<WorkRow>& rows, std::size_t new_size, PairCoverage& pairs) {
  for (WorkRow& row : rows) {
    row.push_back(kDontCare);
    std::size_t best_gain = 0;
    for (std::size_t v = 0; v < new_size; ++v) {
      const std::size_t gain = pairs.Gain(row, static_cast<std::int64_t>(v));
      if (gain > best_gain) {
        best_gain = gain;
        row.back() = static_cast<std::int64_t>(v);
      }
    }
    pairs.MarkRow(row);
  }
}

// Places the pair (column j = a, column k = v) into an existing row through its
// don't-cares, or appends a row holding only that pair.
void PlacePair(std::vector<WorkRow>& rows, std::size_t j, std::int64_t a, std::size_t k,
               std::int64_t v, PairCoverage& pairs) {
  for (WorkRow& row : rows) {
    const bool j_fits = row[j] == kDontCare || row[j] == a;
    const bool k_fits = row[k] == kDontCare || row[k] == v;
    if (!j_fits || !k_fits) continue;
    row[j] = a;
    row[k] = v;
    pairs.MarkRow(row);
    return;
  }
  WorkRow row(k + 1, kDontCare);
  row[j] = a;
  row[k] = v;
  pairs.MarkRow(row);
  rows.push_back(std::move(row));
}

CoveringArray Pairwise(std::span<const std::size_t> sizes) {
  // Largest columns first: the array can be no smaller than their product, and IPOG then
  // fits the smaller columns into the rows those two need.
  std::vector<std::size_t> order(sizes.size());
  std::iota(order.begin(), order.end(), 0);
  // Index breaks ties (std::stable_sort's buffer API is deprecated under clang 19 +
  // libstdc++ 12).
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return sizes[a] != sizes[b] ? sizes[a] > sizes[b] : a < b;
  });
  std::vector<std::size_t> sorted;
  for (const std::size_t c : order) sorted.push_back(sizes[c]);

  std::vector<WorkRow> rows;
  for (std::size_t a = 0; a < sorted[0]; ++a) {
    for (std::size_t b = 0; b < sorted[1]; ++b) {
      rows.push_back({static_cast<std::int64_t>(a), static_cast<std::int64_t>(b)});
    }
  }
  for (std::size_t k = 2; k < sorted.size(); ++k) {
    PairCoverage pairs(std::span<const std::size_t>(sorted).first(k), sorted[k]);
    GrowHorizontally(rows, sorted[k], pairs);
    for (std::size_t j = 0; j < k; ++j) {
      for (std::size_t a = 0; a < sorted[j]; ++a) {
        for (std::size_t v = 0; v < sorted[k]; ++v) {
          const auto ai = static_cast<std::int64_t>(a);
          const auto vi = static_cast<std::int64_t>(v);
          if (!pairs.Covered(j, ai, vi)) PlacePair(rows, j, ai, k, vi, pairs);
        }
      }
    }
  }

  CoveringArray out{Strength::kPairwise, {}};
  std::set<std::vector<std::uint32_t>> seen;
  for (const WorkRow& row : rows) {
    std::vector<std::uint32_t> original(sizes.size());
    for (std::size_t p = 0; p < row.size(); ++p) {
      original[order[p]] = row[p] == kDontCare ? 0 : static_cast<std::uint32_t>(row[p]);
    }
    if (seen.insert(original).second) out.rows.push_back(std::move(original));
  }
  return out;
}

}  // namespace

const char* ToString(Strength s) noexcept {
  switch (s) {
    case Strength::kExhaustive: return "exhaustive";
    case Strength::kPairwise: return "pairwise";
    case Strength::kEachValue: return "each_value";
  }
  return "unknown";
}

CoveringArray BuildCoveringArray(std::span<const std::size_t> sizes, std::uint64_t limit) {
  // One below the maximum, so "just above the limit" always exists.
  limit = std::min<std::uint64_t>(limit, UINT64_MAX - 1);
  const std::uint64_t product = SaturatedProduct(sizes, limit);
  if (product <= limit) return Exhaustive(sizes, product);
  std::vector<std::size_t> sorted(sizes.begin(), sizes.end());
  std::sort(sorted.begin(), sorted.end(), std::greater<>());
  if (sorted.size() >= 2 && SaturatedProduct(std::span<const std::size_t>(sorted).first(2), limit) <= limit) {
    return Pairwise(sizes);
  }
  return EachValue(sizes, limit);
}

}  // namespace kt::permuter
