// Divide and conquer over an integer interval. The standard library only.
#include "permuter/bisect.h"

#include "permuter/internal/wide.h"

namespace kt::permuter {
namespace {

using internal::FromWide;
using internal::ToWide;
using internal::Wide;

struct Interval {
  Wide lo;
  Wide hi;
  ProbeKey lo_key;
  ProbeKey hi_key;
};

// Bisects [lo, hi] (keys differ at the ends) depth-first, left half first, so boundaries
// come out ascending. False when the probe asked to stop.
bool Bisect(Interval root, const Probe& probe, std::size_t max_boundaries,
            std::vector<Boundary>* out) {
  std::vector<Interval> stack = {root};
  while (!stack.empty() && out->size() < max_boundaries) {
    const Interval i = stack.back();
    stack.pop_back();
    if (i.hi - i.lo == 1) {
      out->push_back({FromWide(i.lo), FromWide(i.hi)});
      continue;
    }
    const Wide mid = i.lo + (i.hi - i.lo) / 2;
    const std::optional<ProbeKey> key = probe(FromWide(mid));
    if (!key) return false;
    // Right half pushed first so the left half is searched first.
    if (*key != i.hi_key) stack.push_back({mid, i.hi, *key, i.hi_key});
    if (*key != i.lo_key) stack.push_back({i.lo, mid, i.lo_key, *key});
  }
  return true;
}

}  // namespace

std::vector<Boundary> FindBoundaries(std::span<const Integer> points, const Probe& probe,
                                     std::size_t max_boundaries) {
  std::vector<Boundary> out;
  std::vector<ProbeKey> keys;
  for (const Integer& p : points) {
    const std::optional<ProbeKey> key = probe(p);
    if (!key) return out;
    keys.push_back(*key);
  }
  for (std::size_t i = 1; i < points.size() && out.size() < max_boundaries; ++i) {
    const Interval root{ToWide(points[i - 1]), ToWide(points[i]), keys[i - 1], keys[i]};
    // Out-of-order neighbours would never narrow down; they are skipped, not trusted.
    if (root.lo_key == root.hi_key || root.hi <= root.lo) continue;
    if (!Bisect(root, probe, max_boundaries, &out)) break;
  }
  return out;
}

}  // namespace kt::permuter
