// ListingBuilder (report/internal/listing.h). report/ and the standard library only.
#include "report/internal/listing.h"

#include <algorithm>

namespace kt::report::internal {
namespace {

// Runs closer than this merge into one, so that a listing is not cut into slivers.
constexpr std::uint32_t kMergeGap = 3;

}  // namespace

void ListingBuilder::AddSpan(const std::string& file, const std::string& shown,
                             std::uint32_t first, std::uint32_t last) {
  if (file.empty() || first == 0) return;
  FileMarks& marks = files_[file];
  marks.shown = shown;
  marks.spans.emplace_back(first, std::max(first, last));
}

void ListingBuilder::AddEdge(const std::string& file, const std::string& shown,
                             std::uint32_t line, bool reached) {
  if (file.empty() || line == 0) return;
  AddSpan(file, shown, line > 1 ? line - 1 : line, line + 1);
  auto& [hit, missed] = files_[file].marks[line];
  ++(reached ? hit : missed);
}

std::vector<Listing> ListingBuilder::Build(SourceFiles& sources) const {
  std::vector<Listing> listings;
  for (const auto& [file, marks] : files_) {
    const auto num_lines = static_cast<std::uint32_t>(sources.NumLines(file));
    if (num_lines == 0) continue;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> spans = marks.spans;
    std::sort(spans.begin(), spans.end());
    Listing listing;
    listing.file = marks.shown;
    std::uint32_t next = 1;  // the first line not yet listed
    for (const auto& [first, last] : spans) {
      std::uint32_t from = std::max(first, next);
      // Close a small gap to the previous run by listing the lines in between.
      if (!listing.lines.empty() && from > next && from - next < kMergeGap) from = next;
      for (std::uint32_t n = from; n <= std::min(last, num_lines); ++n) {
        ListingLine line{n, *sources.Line(file, n), 0, 0};
        if (const auto mark = marks.marks.find(n); mark != marks.marks.end()) {
          line.reached = mark->second.first;
          line.unreached = mark->second.second;
        }
        listing.lines.push_back(std::move(line));
      }
      next = std::max(next, last + 1);
    }
    if (!listing.lines.empty()) listings.push_back(std::move(listing));
  }
  std::sort(listings.begin(), listings.end(),
            [](const Listing& a, const Listing& b) { return a.file < b.file; });
  return listings;
}

}  // namespace kt::report::internal
