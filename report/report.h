// The coverage report of a suite: per kernel the edges its table's rows reach against the
// edges it can reach, every unreached edge with its source line, source listings marked
// reached / unreached, and per reachable function its entry-to-exit paths, classified and
// matched against the rows. Built from the program map, the rows' edge sets and the
// symbolizer; rendered by report/html.h and report/json.h. Never runs kernels itself (the
// driver does), never depends on the permuter.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "report/paths.h"
#include "report/program_map.h"
#include "report/reachability.h"
#include "report/symbolizer.h"
#include "runner/error.h"
#include "runner/table.h"

namespace kt::report {

// One row of a kernel's table and the edges its execution hit.
struct RowEdges {
  std::string label;                 // how the report names it: "row_3", a call set
  std::vector<std::uint32_t> edges;  // any order
};

struct KernelInput {
  std::string name;
  std::uintptr_t entry = 0;  // the kernel function's address in this process
  std::string source;        // "kernels/dma_kernels.cc:57", shown as given
  std::vector<RowEdges> rows;
  std::optional<TableStats> recorded;  // the table header's figures, if there is a table
};

struct ReportOptions {
  std::string suite;
  PathLimits limits;
  // Files under this directory are shown relative to it and are the code under test: only
  // functions opening under it get path enumeration, a row in the function table and a
  // listing; the others (standard library headers) still count in the edge figures and list
  // their unreached edges. Empty: every function is code under test and paths are shown as
  // the debug information has them.
  std::string source_root;
  std::size_t max_paths_shown = 64;  // per function in the HTML; the JSON counts them all
};

// A source position with the line's text; empty file and line 0 when unknown.
struct SourceSite {
  std::string file;  // as shown: relative to ReportOptions::source_root when under it
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string function;
  std::optional<std::string> text;  // the source line; nullopt when the file is unreadable
};

struct EdgeReport {
  std::uint32_t edge = 0;
  ModuleAddress address;  // module-relative, as symbolised
  SourceSite site;
  bool reached = false;
  bool under_test = true;  // its line is under the source root (see ReportOptions)
};

struct PathReport {
  PathKind kind = PathKind::kNormal;
  std::vector<std::uint32_t> lines;  // its blocks' source lines, repeats in a row merged
  std::size_t rows_exercising = 0;   // rows whose edge set holds every edge of the path
  std::optional<std::size_t> first_row;  // the first of them, as an index into the rows
};

struct PathCounts {
  std::array<std::size_t, kNumPathKinds> total{};      // indexed by PathKind - 1
  std::array<std::size_t, kNumPathKinds> exercised{};
  std::size_t Total() const noexcept;
  std::size_t Exercised() const noexcept;
};

struct FunctionReport {
  SourceSite site;  // its entry: the function name and the line it opens at
  EdgeFigures figures;
  bool has_control_flow = false;
  bool observed_only = false;  // reached only through an observed indirect call
  PathCounts paths;
  bool hit_max_paths = false;
  bool hit_max_steps = false;
  std::size_t cut_by_length = 0;
  std::size_t cut_by_loop_bound = 0;
  std::vector<PathReport> path_list;  // every path enumerated, in discovery order
};

struct ListingLine {
  std::uint32_t number = 0;
  std::string text;
  std::uint32_t reached = 0;    // edges on this line the rows reach
  std::uint32_t unreached = 0;  // reachable edges on this line they miss
};

// Consecutive runs of one file's lines around the kernel's reachable functions.
struct Listing {
  std::string file;
  std::vector<ListingLine> lines;  // ascending; a gap between runs where numbers jump
};

struct KernelReport {
  std::string name;
  std::string source;
  EdgeFigures figures;
  std::optional<TableStats> recorded;
  std::vector<std::string> rows;      // the rows' labels
  std::vector<EdgeReport> unreached;  // under test first, then by file, line, column
  std::vector<FunctionReport> functions;  // under the source root, by file and line
  // Reachable functions opening outside the source root, and their edges (in `figures` too).
  std::size_t outside_functions = 0;
  EdgeFigures outside_figures;
  std::vector<Listing> listings;          // by file
  bool entry_instrumented = false;
  bool calls_indirect = false;
  std::size_t observed_functions = 0;
  std::size_t without_control_flow = 0;
};

struct SuiteReport {
  std::string suite;
  PathLimits limits;
  std::size_t max_paths_shown = 0;
  EdgeFigures total;  // distinct edges over all kernels
  std::vector<KernelReport> kernels;  // in input order
};

// The path counts of all of a kernel's functions.
PathCounts KernelPathCounts(const KernelReport& kernel);

// reached / reachable as a fraction; 1 when nothing is reachable (nothing to miss).
double Coverage(const EdgeFigures& figures) noexcept;
// "71.9%", one decimal, rounded down so that 99.95% never shows as 100.0%.
std::string FormatPercent(const EdgeFigures& figures);

// Builds the report. Errors: the symbolizer's (kt.symbolizer). Deterministic for a given
// binary and rows: no iteration over address-keyed containers reaches the output order.
//
// Example usage:
//   Expected<Symbolizer> symbolizer = Symbolizer::Start();
//   Expected<SuiteReport> report =
//       BuildReport(ProgramMap::FromRuntime(), kernels, symbolizer.value(), {.suite = "vfio"});
//   if (report) WriteFile("report.html", RenderHtml(report.value()));
Expected<SuiteReport> BuildReport(const ProgramMap& map, std::span<const KernelInput> kernels,
                                  Symbolizer& symbolizer, const ReportOptions& options);

}  // namespace kt::report
