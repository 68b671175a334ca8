// Unified diffs (diff -u) of two texts, for `check` to show how a checked-in table differs
// from its regeneration. The standard library only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kt::driver {

// Edits beyond this many lines are not minimised: the differing middle is shown as one
// replacement. The search keeps O(D^2) state, so this bounds it near 8 MB for any input.
inline constexpr std::size_t kMaxDiffEdits = 1024;

// The unified diff turning `before` into `after` with `context` lines around each change,
// headed "--- <before_label>" and "+++ <after_label>"; empty when the texts are equal.
// A last line without a newline is marked "\ No newline at end of file", as diff does.
//
// Example usage:
//   std::string d = UnifiedDiff(old_text, new_text, "tables/a.ktable",
//                               "tables/a.ktable (regenerated)");
std::string UnifiedDiff(std::string_view before, std::string_view after,
                        std::string_view before_label, std::string_view after_label,
                        std::size_t context = 3);

}  // namespace kt::driver
