// Compare outcomes. The standard library only.
#include "permuter/compare_event.h"

#include <algorithm>

#include "permuter/internal/wide.h"

namespace kt::permuter {
namespace {

template <class T>
std::uint32_t Order(T a, T b) {
  return a < b ? 0 : (a == b ? 1 : 2);
}

}  // namespace

std::uint32_t CompareOutcome(const CompareEvent& event) noexcept {
  const int width = event.width;
  const std::uint64_t a = internal::Truncate(event.arg1, width);
  const std::uint64_t b = internal::Truncate(event.arg2, width);
  switch (event.kind) {
    case CompareKind::kCmp:
    case CompareKind::kConstCmp:
      return 3 * Order(a, b) +
             Order(internal::SignExtend(a, width), internal::SignExtend(b, width));
    case CompareKind::kSwitch: {
      // Cases equal to the value: 2i + 1; the gap below case i: 2i; above all: 2n.
      const auto it = std::lower_bound(event.cases.begin(), event.cases.end(), a);
      const auto i = static_cast<std::uint32_t>(it - event.cases.begin());
      return it != event.cases.end() && *it == a ? 2 * i + 1 : 2 * i;
    }
    case CompareKind::kDiv:
    case CompareKind::kGep: return Order(internal::SignExtend(a, width), std::int64_t{0});
  }
  return 0;
}

void OutcomeSet::Add(const CompareEvent& event) {
  kind_ = event.kind;
  num_cases_ = event.cases.size();
  const std::uint32_t code = CompareOutcome(event);
  const auto it = std::lower_bound(codes_.begin(), codes_.end(), code);
  if (it == codes_.end() || *it != code) codes_.insert(it, code);
}

bool OutcomeSet::Contains(std::uint32_t code) const noexcept {
  return std::binary_search(codes_.begin(), codes_.end(), code);
}

bool OutcomeSet::Complete() const noexcept {
  switch (kind_) {
    case CompareKind::kCmp:
    case CompareKind::kConstCmp: {
      bool unsigned_seen[3] = {};
      bool signed_seen[3] = {};
      for (const std::uint32_t code : codes_) {
        unsigned_seen[code / 3] = true;
        signed_seen[code % 3] = true;
      }
      return (unsigned_seen[0] && unsigned_seen[1] && unsigned_seen[2]) ||
             (signed_seen[0] && signed_seen[1] && signed_seen[2]);
    }
    case CompareKind::kSwitch: {
      std::size_t cases_seen = 0;
      bool other_seen = false;
      for (const std::uint32_t code : codes_) {
        if (code % 2 == 1) {
          ++cases_seen;
        } else {
          other_seen = true;
        }
      }
      return other_seen && cases_seen == num_cases_;
    }
    case CompareKind::kDiv:
    case CompareKind::kGep: return Contains(1) && (Contains(0) || Contains(2));
  }
  return false;
}

}  // namespace kt::permuter
