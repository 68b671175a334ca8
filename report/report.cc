// Builds the suite report (report/report.h): reachable sets, symbols, unreached edges,
// listings and paths. report/, runner/table.h and the standard library only.
#include "report/report.h"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "report/error_callees.h"
#include "report/internal/listing.h"
#include "report/internal/symbol_table.h"

namespace kt::report {
namespace {

using internal::SymbolTable;

// Where `file`'s path below `root` starts, or npos when it is not under `root`.
std::size_t BelowRoot(const std::string& file, const std::string& root) {
  if (root.empty() || file.size() <= root.size() || file.compare(0, root.size(), root) != 0) {
    return std::string::npos;
  }
  if (root.back() == '/') return root.size();
  return file[root.size()] == '/' ? root.size() + 1 : std::string::npos;
}

// The shown name of a file: relative to `root` when under it.
std::string ShownPath(const std::string& file, const std::string& root) {
  const std::size_t start = BelowRoot(file, root);
  return start == std::string::npos ? file : file.substr(start);
}

// Code under test: every file without a root, the files under it with one.
bool UnderTest(const std::string& file, const std::string& root) {
  return root.empty() || BelowRoot(file, root) != std::string::npos;
}

SourceSite SiteOf(const Symbol& symbol, SourceFiles& sources, const std::string& root) {
  const Frame& where = symbol.location();
  SourceSite site;
  site.file = ShownPath(where.file, root);
  site.line = where.line;
  site.column = where.column;
  site.function = symbol.function();
  if (const std::string* text = sources.Line(where.file, where.line)) site.text = *text;
  return site;
}

// A function's paths with what the kernels need of them: each path's guard edges and lines.
// Enumerated once per function, whichever kernels reach it.
struct FunctionPaths {
  PathEnumeration enumeration;
  std::vector<std::vector<std::uint32_t>> edges;  // per path, ascending, distinct
  std::vector<std::vector<std::uint32_t>> lines;  // per path
};

// Block i is an error block when it calls an error callee, or when code of one was inlined
// at its start (the symbolizer's inlining chain), as an optimised make_error_code is.
std::vector<bool> ErrorBlocks(std::span<const coverage::ControlFlowBlock> blocks,
                              const SymbolTable& symbols) {
  std::vector<bool> error(blocks.size(), false);
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    for (const std::uintptr_t callee : blocks[i].callees) {
      if (callee != coverage::kIndirectCallee && IsErrorCallee(symbols.Get(callee).function())) {
        error[i] = true;
      }
    }
    const std::vector<Frame>& frames = symbols.Get(blocks[i].pc).frames;
    for (std::size_t f = 0; f + 1 < frames.size(); ++f) {
      if (IsErrorCallee(frames[f].function)) error[i] = true;
    }
  }
  return error;
}

FunctionPaths AnalyseFunction(const ProgramMap& map, const FunctionInfo& function,
                              const SymbolTable& symbols, const PathLimits& limits) {
  const std::span<const coverage::ControlFlowBlock> blocks = map.BlocksOf(function);
  FunctionPaths out;
  out.enumeration = EnumeratePaths(blocks, ErrorBlocks(blocks, symbols), limits);
  for (const Path& path : out.enumeration.paths) {
    std::vector<std::uint32_t> edges, lines;
    for (const std::uint32_t b : path.blocks) {
      if (const std::optional<std::uint32_t> edge = map.EdgeAtPc(blocks[b].pc)) {
        edges.push_back(*edge);
      }
      const std::uint32_t line = symbols.Get(blocks[b].pc).location().line;
      if (line != 0 && (lines.empty() || lines.back() != line)) lines.push_back(line);
    }
    std::sort(edges.begin(), edges.end());
    edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
    out.edges.push_back(std::move(edges));
    out.lines.push_back(std::move(lines));
  }
  return out;
}

// Which rows hit each edge, as a bit set per edge, so that a path's rows are the AND of its
// edges' sets. Thread-compatible.
class RowIndex {
 public:
  explicit RowIndex(std::span<const RowEdges> rows) : words_((rows.size() + 63) / 64) {
    for (std::size_t r = 0; r < rows.size(); ++r) {
      for (const std::uint32_t edge : rows[r].edges) {
        std::vector<std::uint64_t>& bits = by_edge_[edge];
        bits.resize(words_, 0);
        bits[r / 64] |= std::uint64_t{1} << (r % 64);
      }
    }
  }

  // The rows holding every one of `edges` (none for an empty path: it proves nothing ran).
  void Exercising(std::span<const std::uint32_t> edges, PathReport* path) const {
    if (edges.empty() || words_ == 0) return;
    std::vector<std::uint64_t> rows(words_, ~std::uint64_t{0});
    for (const std::uint32_t edge : edges) {
      const auto it = by_edge_.find(edge);
      if (it == by_edge_.end()) return;
      for (std::size_t w = 0; w < words_; ++w) rows[w] &= it->second[w];
    }
    for (std::size_t w = 0; w < words_; ++w) {
      if (rows[w] == 0) continue;
      if (!path->first_row) path->first_row = w * 64 + std::countr_zero(rows[w]);
      path->rows_exercising += std::popcount(rows[w]);
    }
  }

 private:
  std::size_t words_;
  std::map<std::uint32_t, std::vector<std::uint64_t>> by_edge_;
};

// What one BuildReport call shares across kernels.
struct Context {
  const ProgramMap& map;
  const ReportOptions& options;
  SymbolTable symbols;
  SourceFiles sources;
  std::map<std::uintptr_t, FunctionPaths> paths;  // by function entry; filled on demand
};

const FunctionPaths& PathsOf(Context& c, const FunctionInfo& function) {
  auto it = c.paths.find(function.entry);
  if (it == c.paths.end()) {
    it = c.paths.emplace(function.entry,
                         AnalyseFunction(c.map, function, c.symbols, c.options.limits)).first;
  }
  return it->second;
}

// The largest line of `function`'s blocks in the file it opens in.
std::uint32_t LastLine(Context& c, const FunctionInfo& function, const std::string& file) {
  std::uint32_t last = c.symbols.Get(function.entry).location().line;
  for (const coverage::ControlFlowBlock& block : c.map.BlocksOf(function)) {
    const Frame& where = c.symbols.Get(block.pc).location();
    if (where.file == file) last = std::max(last, where.line);
  }
  return last;
}

FunctionReport ReportFunction(Context& c, const FunctionInfo& function,
                              std::span<const std::uint32_t> reached, const RowIndex& rows) {
  FunctionReport f;
  f.site = SiteOf(c.symbols.Get(function.entry), c.sources, c.options.source_root);
  f.figures.reachable = function.edges.size();
  for (const std::uint32_t edge : function.edges) {
    f.figures.reached += std::binary_search(reached.begin(), reached.end(), edge) ? 1 : 0;
  }
  f.has_control_flow = function.has_control_flow();
  const FunctionPaths& paths = PathsOf(c, function);
  const PathEnumeration& e = paths.enumeration;
  f.hit_max_paths = e.hit_max_paths;
  f.hit_max_steps = e.hit_max_steps;
  f.cut_by_length = e.cut_by_length;
  f.cut_by_loop_bound = e.cut_by_loop_bound;
  for (std::size_t p = 0; p < e.paths.size(); ++p) {
    PathReport path{e.paths[p].kind, paths.lines[p], 0, std::nullopt};
    rows.Exercising(paths.edges[p], &path);
    const auto kind = static_cast<std::size_t>(path.kind) - 1;
    ++f.paths.total[kind];
    if (path.rows_exercising != 0) ++f.paths.exercised[kind];
    f.path_list.push_back(std::move(path));
  }
  return f;
}

void AddListingSpans(Context& c, std::span<const std::uintptr_t> functions,
                     internal::ListingBuilder* listing) {
  for (const std::uintptr_t entry : functions) {
    const FunctionInfo& function = *c.map.FindFunction(entry);
    const Frame& opens = c.symbols.Get(entry).location();
    if (!UnderTest(opens.file, c.options.source_root)) continue;
    // One line past the last block: the closing brace, usually.
    listing->AddSpan(opens.file, ShownPath(opens.file, c.options.source_root), opens.line,
                     LastLine(c, function, opens.file) + 1);
  }
}

// The kernel's edge figures and unreached edges; every edge under test marks the listing.
void ReportEdges(Context& c, const ReachableSet& reachable, std::span<const std::uint32_t> reached,
                 KernelReport* k, internal::ListingBuilder* listing) {
  k->figures.reachable = reachable.edges.size();
  for (const std::uint32_t edge : reachable.edges) {
    const EdgeSite& site = *c.map.FindEdge(edge);
    const bool hit = std::binary_search(reached.begin(), reached.end(), edge);
    k->figures.reached += hit ? 1 : 0;
    const Symbol& symbol = c.symbols.Get(site.pc);
    const std::string& file = symbol.location().file;
    const bool under_test = UnderTest(file, c.options.source_root);
    if (under_test) {
      listing->AddEdge(file, ShownPath(file, c.options.source_root), symbol.location().line, hit);
    }
    if (!hit) {
      k->unreached.push_back({edge, c.symbols.AddressOf(site.pc),
                              SiteOf(symbol, c.sources, c.options.source_root), false,
                              under_test});
    }
  }
  std::sort(k->unreached.begin(), k->unreached.end(),
            [](const EdgeReport& a, const EdgeReport& b) {
              return std::tie(b.under_test, a.site.file, a.site.line, a.site.column, a.edge) <
                     std::tie(a.under_test, b.site.file, b.site.line, b.site.column, b.edge);
            });
}

// The functions under test with their paths; the others only counted.
void ReportFunctions(Context& c, const KernelInput& in, const ReachableSet& reachable,
                     std::span<const std::uint32_t> reached, KernelReport* k) {
  const RowIndex rows(in.rows);
  for (const std::uintptr_t entry : reachable.functions) {
    const FunctionInfo& function = *c.map.FindFunction(entry);
    if (!UnderTest(c.symbols.Get(entry).location().file, c.options.source_root)) {
      ++k->outside_functions;
      k->outside_figures.reachable += function.edges.size();
      for (const std::uint32_t edge : function.edges) {
        k->outside_figures.reached += std::binary_search(reached.begin(), reached.end(), edge);
      }
      continue;
    }
    FunctionReport f = ReportFunction(c, function, reached, rows);
    f.observed_only =
        std::binary_search(reachable.observed.begin(), reachable.observed.end(), entry);
    k->functions.push_back(std::move(f));
  }
  std::sort(k->functions.begin(), k->functions.end(),
            [](const FunctionReport& a, const FunctionReport& b) {
              return std::tie(a.site.file, a.site.line, a.site.function) <
                     std::tie(b.site.file, b.site.line, b.site.function);
            });
}

KernelReport ReportKernel(Context& c, const KernelInput& in, const ReachableSet& reachable) {
  KernelReport k;
  k.name = in.name;
  k.source = in.source;
  k.recorded = in.recorded;
  for (const RowEdges& row : in.rows) k.rows.push_back(row.label);
  k.entry_instrumented = reachable.entry_instrumented;
  k.calls_indirect = reachable.calls_indirect;
  k.observed_functions = reachable.observed.size();
  k.without_control_flow = reachable.without_control_flow;
  std::vector<std::vector<std::uint32_t>> row_edges;
  for (const RowEdges& row : in.rows) row_edges.push_back(row.edges);
  const std::vector<std::uint32_t> reached = UnionOfEdges(row_edges);
  internal::ListingBuilder listing;
  AddListingSpans(c, reachable.functions, &listing);
  ReportEdges(c, reachable, reached, &k, &listing);
  ReportFunctions(c, in, reachable, reached, &k);
  k.listings = listing.Build(c.sources);
  return k;
}

// Every address the report will ask about: the reachable functions' edges, blocks and
// direct callees.
void WantSymbols(const ProgramMap& map, const ReachableSet& reachable, SymbolTable* symbols) {
  for (const std::uintptr_t entry : reachable.functions) {
    const FunctionInfo& function = *map.FindFunction(entry);
    symbols->Want(entry);
    for (const std::uint32_t edge : function.edges) symbols->Want(map.FindEdge(edge)->pc);
    for (const coverage::ControlFlowBlock& block : map.BlocksOf(function)) symbols->Want(block.pc);
    for (const std::uintptr_t callee : function.callees) symbols->Want(callee);
  }
}

EdgeFigures SuiteTotal(std::span<const ReachableSet> reachable,
                       std::span<const KernelInput> kernels) {
  std::set<std::uint32_t> all, hit;
  for (std::size_t k = 0; k < kernels.size(); ++k) {
    all.insert(reachable[k].edges.begin(), reachable[k].edges.end());
    for (const RowEdges& row : kernels[k].rows) hit.insert(row.edges.begin(), row.edges.end());
  }
  EdgeFigures total;
  total.reachable = all.size();
  for (const std::uint32_t edge : hit) total.reached += all.count(edge);
  return total;
}

}  // namespace

std::size_t PathCounts::Total() const noexcept {
  std::size_t n = 0;
  for (const std::size_t t : total) n += t;
  return n;
}

std::size_t PathCounts::Exercised() const noexcept {
  std::size_t n = 0;
  for (const std::size_t e : exercised) n += e;
  return n;
}

PathCounts KernelPathCounts(const KernelReport& kernel) {
  PathCounts sum;
  for (const FunctionReport& f : kernel.functions) {
    for (std::size_t i = 0; i < kNumPathKinds; ++i) {
      sum.total[i] += f.paths.total[i];
      sum.exercised[i] += f.paths.exercised[i];
    }
  }
  return sum;
}

double Coverage(const EdgeFigures& figures) noexcept {
  if (figures.reachable == 0) return 1.0;
  return static_cast<double>(figures.reached) / static_cast<double>(figures.reachable);
}

std::string FormatPercent(const EdgeFigures& figures) {
  const std::uint64_t permille =
      figures.reachable == 0 ? 1000 : figures.reached * 1000 / figures.reachable;
  char text[32];
  std::snprintf(text, sizeof text, "%llu.%llu%%", static_cast<unsigned long long>(permille / 10),
                static_cast<unsigned long long>(permille % 10));
  return text;
}

Expected<SuiteReport> BuildReport(const ProgramMap& map, std::span<const KernelInput> kernels,
                                  Symbolizer& symbolizer, const ReportOptions& options) {
  Context c{map, options, {}, {}, {}};
  std::vector<ReachableSet> reachable;
  for (const KernelInput& kernel : kernels) {
    std::vector<std::uint32_t> observed;
    for (const RowEdges& row : kernel.rows) {
      observed.insert(observed.end(), row.edges.begin(), row.edges.end());
    }
    reachable.push_back(ComputeReachable(map, kernel.entry, observed));
    WantSymbols(map, reachable.back(), &c.symbols);
  }
  KT_TRY(c.symbols.Resolve(symbolizer));
  SuiteReport report;
  report.suite = options.suite;
  report.limits = options.limits;
  report.max_paths_shown = options.max_paths_shown;
  report.total = SuiteTotal(reachable, kernels);
  for (std::size_t k = 0; k < kernels.size(); ++k) {
    report.kernels.push_back(ReportKernel(c, kernels[k], reachable[k]));
  }
  return report;
}

}  // namespace kt::report
