// Value orders. runner/value.h and the standard library only.
#include "permuter/value_order.h"

#include <string>

namespace kt::permuter {
namespace {

std::strong_ordering CompareText(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() <=> b.size();
  const int c = a.compare(b);
  return c < 0 ? std::strong_ordering::less
               : (c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal);
}

}  // namespace

std::strong_ordering CompareValues(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return a.kind() <=> b.kind();
  switch (a.kind()) {
    case ValueKind::kBool:
    case ValueKind::kInt:
    case ValueKind::kEnum: return a.as_integer() <=> b.as_integer();
    case ValueKind::kString:
    case ValueKind::kBytes: return CompareText(a.as_string(), b.as_string());
  }
  return std::strong_ordering::equal;
}

std::strong_ordering CompareCallSets(std::span<const Value> a, std::span<const Value> b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (const auto c = CompareValues(a[i], b[i]); c != 0) return c;
  }
  return a.size() <=> b.size();
}

std::strong_ordering CompareSimplicity(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return a.kind() <=> b.kind();
  if (a.kind() == ValueKind::kString || a.kind() == ValueKind::kBytes) {
    return CompareText(a.as_string(), b.as_string());
  }
  const Integer& x = a.as_integer();
  const Integer& y = b.as_integer();
  if (x.magnitude() != y.magnitude()) return x.magnitude() <=> y.magnitude();
  return x.negative() <=> y.negative();
}

std::strong_ordering CompareSimplicity(std::span<const Value> a, std::span<const Value> b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (const auto c = CompareSimplicity(a[i], b[i]); c != 0) return c;
  }
  return a.size() <=> b.size();
}

}  // namespace kt::permuter
