// Source listings of a kernel's report: the lines around its reachable functions, each
// marked with the reached and unreached edges on it. report/ only.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "report/report.h"
#include "report/symbolizer.h"

namespace kt::report::internal {

// Collects line spans and edge marks per file, then reads the lines. Thread-compatible.
class ListingBuilder {
 public:
  // Lines [first, last] of `file` (a readable path) belong in the listing, shown as `shown`.
  void AddSpan(const std::string& file, const std::string& shown, std::uint32_t first,
               std::uint32_t last);
  // An edge on `line` of `file`; its line (with one of context each side) joins the listing.
  void AddEdge(const std::string& file, const std::string& shown, std::uint32_t line,
               bool reached);
  // The listings by shown file name; files that cannot be read are left out.
  std::vector<Listing> Build(SourceFiles& sources) const;

 private:
  struct FileMarks {
    std::string shown;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> spans;
    std::map<std::uint32_t, std::pair<std::uint32_t, std::uint32_t>> marks;  // reached, not
  };
  std::map<std::string, FileMarks> files_;
};

}  // namespace kt::report::internal
