// Greedy set cover over edges and outcome keys, and the reproducer shrinker. runner/schema.h
// and the standard library only.
#include "permuter/minimize.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <optional>

#include "permuter/domain.h"
#include "permuter/internal/wide.h"
#include "permuter/value_order.h"

namespace kt::permuter {
namespace {

using internal::FromWide;
using internal::ToWide;
using internal::Wide;

// Every candidate's features as dense ids: edges first, then one id per outcome key.
std::vector<std::vector<std::uint32_t>> DenseFeatures(std::span<const CoverCandidate> cands,
                                                      std::size_t* num_features) {
  std::vector<std::uint32_t> all_edges;
  for (const CoverCandidate& c : cands) {
    all_edges.insert(all_edges.end(), c.edges.begin(), c.edges.end());
  }
  std::sort(all_edges.begin(), all_edges.end());
  all_edges.erase(std::unique(all_edges.begin(), all_edges.end()), all_edges.end());
  std::map<std::string, std::uint32_t> keys;  // lookup only: ids follow first appearance
  std::vector<std::vector<std::uint32_t>> out;
  for (const CoverCandidate& c : cands) {
    std::vector<std::uint32_t> f;
    for (const std::uint32_t e : c.edges) {
      f.push_back(static_cast<std::uint32_t>(
          std::lower_bound(all_edges.begin(), all_edges.end(), e) - all_edges.begin()));
    }
    const auto next = static_cast<std::uint32_t>(all_edges.size() + keys.size());
    f.push_back(keys.emplace(c.outcome_key, next).first->second);
    std::sort(f.begin(), f.end());
    f.erase(std::unique(f.begin(), f.end()), f.end());
    out.push_back(std::move(f));
  }
  *num_features = all_edges.size() + keys.size();
  return out;
}

// True when candidate a is preferred to b at equal gain.
bool Preferred(std::span<const CoverCandidate> cands, std::size_t a, std::size_t b) {
  const auto c = CompareSimplicity(cands[a].values, cands[b].values);
  if (c != 0) return c < 0;
  return a < b;
}

// One SelectCover run: which candidates are picked and how often each feature is covered.
// Thread-compatible; used once.
class Cover {
 public:
  explicit Cover(std::span<const CoverCandidate> candidates)
      : candidates_(candidates), is_picked_(candidates.size(), false) {
    std::size_t num_features = 0;
    features_ = DenseFeatures(candidates, &num_features);
    times_covered_.assign(num_features, 0);
  }

  void PickPinned() {
    for (std::size_t i = 0; i < candidates_.size(); ++i) {
      if (candidates_[i].pinned) Pick(i);
    }
  }

  // Repeatedly picks the candidate (among previous rows only, if asked) that covers the
  // most uncovered features, until none covers any.
  void PickGreedily(bool previous_only) {
    while (true) {
      std::optional<std::size_t> best;
      std::size_t best_gain = 0;
      for (std::size_t i = 0; i < candidates_.size(); ++i) {
        if (is_picked_[i] || (previous_only && !candidates_[i].previous)) continue;
        const std::size_t gain = Gain(i);
        if (gain == 0) continue;
        if (!best || gain > best_gain || (gain == best_gain && Preferred(candidates_, i, *best))) {
          best = i;
          best_gain = gain;
        }
      }
      if (!best) return;
      Pick(*best);
    }
  }

  // Greedy can pick a row early that later picks make redundant; the last picked are the
  // weakest, so they go first. Returns the rows kept.
  std::vector<std::size_t> DropRedundant() {
    std::vector<std::size_t> kept;
    for (std::size_t p = picked_.size(); p-- > 0;) {
      const std::size_t i = picked_[p];
      const std::vector<std::uint32_t>& f = features_[i];
      const bool redundant =
          !candidates_[i].pinned && std::all_of(f.begin(), f.end(), [&](std::uint32_t feature) {
            return times_covered_[feature] >= 2;
          });
      if (!redundant) {
        kept.push_back(i);
        continue;
      }
      for (const std::uint32_t feature : f) --times_covered_[feature];
    }
    return kept;
  }

 private:
  void Pick(std::size_t i) {
    picked_.push_back(i);
    is_picked_[i] = true;
    for (const std::uint32_t f : features_[i]) ++times_covered_[f];
  }
  std::size_t Gain(std::size_t i) const {
    std::size_t gain = 0;
    for (const std::uint32_t f : features_[i]) gain += times_covered_[f] == 0 ? 1 : 0;
    return gain;
  }

  std::span<const CoverCandidate> candidates_;
  std::vector<std::vector<std::uint32_t>> features_;
  std::vector<std::uint32_t> times_covered_;
  std::vector<std::size_t> picked_;
  std::vector<bool> is_picked_;
};

}  // namespace

std::vector<std::size_t> SelectCover(std::span<const CoverCandidate> candidates) {
  Cover cover(candidates);
  cover.PickPinned();
  cover.PickGreedily(/*previous_only=*/true);
  cover.PickGreedily(/*previous_only=*/false);
  std::vector<std::size_t> kept = cover.DropRedundant();
  std::sort(kept.begin(), kept.end(), [&](std::size_t a, std::size_t b) {
    const auto c = CompareCallSets(candidates[a].values, candidates[b].values);
    return c != 0 ? c < 0 : a < b;
  });
  return kept;
}

namespace {

// One shrinking run: the current call set and the predicate's budget.
class Shrinker {
 public:
  Shrinker(std::span<const ColumnSchema> columns, std::vector<Value> failing,
           const StillFails& still_fails, std::size_t max_attempts)
      : columns_(columns),
        current_(std::move(failing)),
        still_fails_(still_fails),
        max_attempts_(max_attempts) {}

  // One pass over the columns; true when some column changed.
  Expected<bool> Pass() {
    bool changed = false;
    for (std::size_t c = 0; c < columns_.size() && c < current_.size(); ++c) {
      auto r = ShrinkColumn(c);
      if (!r) return std::move(r).assume_error();
      changed = changed || r.assume_value();
    }
    return changed;
  }

  bool exhausted() const { return attempts_ >= max_attempts_; }
  ShrinkResult Take() { return {std::move(current_), attempts_}; }

 private:
  // Tries `v` in column c; keeps it when the finding persists.
  Expected<bool> Try(std::size_t c, const Value& v) {
    if (exhausted() || current_[c] == v) return false;
    std::vector<Value> candidate = current_;
    candidate[c] = v;
    ++attempts_;
    auto fails = still_fails_(candidate);
    if (!fails) return std::move(fails).assume_error();
    if (fails.assume_value()) current_ = std::move(candidate);
    return fails.assume_value();
  }

  Expected<bool> ShrinkColumn(std::size_t c) {
    const ColumnSchema& column = columns_[c];
    switch (column.kind) {
      case ParamKind::kBool: return Try(c, Value::Bool(false));
      case ParamKind::kInt:
      case ParamKind::kStrongInt: return ShrinkInteger(c);
      case ParamKind::kEnum:
        for (const Enumerator& e : column.enumerators) {
          if (e.value == current_[c].as_integer()) return false;
          auto r = Try(c, Value::Enum(e.value));
          if (!r || r.assume_value()) return r;
        }
        return false;
      case ParamKind::kFlags: return ShrinkFlags(c);
      case ParamKind::kString:
      case ParamKind::kBytes: return ShrinkText(c);
    }
    return false;
  }

  Expected<bool> ShrinkInteger(std::size_t c) {
    const ColumnSchema& column = columns_[c];
    const Bounds b = *IntegerBounds(column);
    const Wide target = std::clamp<Wide>(0, ToWide(b.lo), ToWide(b.hi));
    Wide failing = ToWide(current_[c].as_integer());
    if (failing == target) return false;
    auto r = Try(c, MakeValue(column, FromWide(target)));
    if (!r || r.assume_value()) return r;
    // target passes, `failing` fails: bisect for the failing value nearest the target.
    Wide passing = target;
    bool changed = false;
    while ((failing > passing ? failing - passing : passing - failing) > 1 && !exhausted()) {
      const Wide mid = passing + (failing - passing) / 2;
      auto m = Try(c, MakeValue(column, FromWide(mid)));
      if (!m) return std::move(m).assume_error();
      if (m.assume_value()) {
        failing = mid;
        changed = true;
      } else {
        passing = mid;
      }
    }
    return changed;
  }

  Expected<bool> ShrinkFlags(std::size_t c) {
    const ColumnSchema& column = columns_[c];
    auto none = Try(c, Value::Enum(FromPattern(column.int_type, 0)));
    if (!none || none.assume_value()) return none;
    bool changed = false;
    const int bytes = column.int_type.bits / 8;
    for (const Enumerator& e : column.enumerators) {
      const std::uint64_t flag = internal::Truncate(e.value.bits(), bytes);
      const std::uint64_t x = internal::Truncate(current_[c].as_integer().bits(), bytes);
      if (flag == 0 || (x & flag) != flag) continue;
      auto r = Try(c, Value::Enum(FromPattern(column.int_type, x & ~flag)));
      if (!r) return r;
      changed = changed || r.assume_value();
    }
    return changed;
  }

  // The shortest failing prefix among lengths 0, n/2, 3n/4, ... n - 1.
  Expected<bool> ShrinkText(std::size_t c) {
    const bool bytes = columns_[c].kind == ParamKind::kBytes;
    const std::string text = current_[c].as_string();
    std::vector<std::size_t> lengths = {0};
    for (std::size_t len = text.size() / 2; len > 0 && len < text.size();
         len += (text.size() - len + 1) / 2) {
      lengths.push_back(len);
    }
    for (const std::size_t len : lengths) {
      if (len >= text.size()) break;
      std::string prefix = text.substr(0, len);
      auto r = Try(c, bytes ? Value::Bytes(std::move(prefix)) : Value::String(std::move(prefix)));
      if (!r || r.assume_value()) return r;
    }
    return false;
  }

  std::span<const ColumnSchema> columns_;
  std::vector<Value> current_;
  const StillFails& still_fails_;
  std::size_t max_attempts_;
  std::size_t attempts_ = 0;
};

}  // namespace

Expected<ShrinkResult> Shrink(std::span<const ColumnSchema> columns, std::vector<Value> failing,
                              const StillFails& still_fails, std::size_t max_attempts) {
  Shrinker shrinker(columns, std::move(failing), still_fails, max_attempts);
  while (!shrinker.exhausted()) {
    auto changed = shrinker.Pass();
    if (!changed) return std::move(changed).assume_error();
    if (!changed.assume_value()) break;
  }
  return shrinker.Take();
}

}  // namespace kt::permuter
