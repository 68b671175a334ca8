// Total orders on values and call sets: the numeric order tables are written in, and the
// simplicity order every tie-break and the shrinker prefer. runner/value.h only.
#pragma once

#include <compare>
#include <span>

#include "runner/value.h"

namespace kt::permuter {

// Kinds first (in ValueKind order), then false < true, integers numerically, strings and
// bytes by length and then bytewise.
std::strong_ordering CompareValues(const Value& a, const Value& b);
// Lexicographic by CompareValues; a shorter call set first when one is a prefix.
std::strong_ordering CompareCallSets(std::span<const Value> a, std::span<const Value> b);

// The order in which a value reads as simpler: integers by magnitude with a non-negative
// value before its negation (0, 1, -1, 2, -2, ...), false before true, shorter strings and
// bytes first. Kinds compare as in CompareValues.
std::strong_ordering CompareSimplicity(const Value& a, const Value& b);
// Lexicographic by CompareSimplicity, column by column.
std::strong_ordering CompareSimplicity(std::span<const Value> a, std::span<const Value> b);

// std::set / std::map comparator over call sets, by CompareCallSets.
struct CallSetLess {
  bool operator()(std::span<const Value> a, std::span<const Value> b) const {
    return CompareCallSets(a, b) < 0;
  }
};

}  // namespace kt::permuter
