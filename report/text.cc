// The plain-text renderer (report/text.h). report/ and the standard library only.
#include "report/text.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <vector>

#include "report/check.h"

namespace kt::report {
namespace {

constexpr std::size_t kNumColumns = 8;
using Cells = std::array<std::string, kNumColumns>;
// Text columns align left, figures right; the last column (notes) is never padded.
constexpr std::array<bool, kNumColumns> kAlignLeft = {true,  false, false, false,
                                                      false, false, false, true};

std::string Figures(const EdgeFigures& f) {
  return std::to_string(f.reached) + "/" + std::to_string(f.reachable);
}

std::string FiguresWithPercent(const EdgeFigures& f) {
  return Figures(f) + " (" + FormatPercent(f) + ")";
}

std::string Trimmed(const std::string& text) {
  const std::size_t start = text.find_first_not_of(" \t");
  return start == std::string::npos ? std::string() : text.substr(start);
}

std::string Location(const SourceSite& site) {
  if (site.file.empty()) return "(unknown)";
  return site.file + ":" + std::to_string(site.line) +
         (site.column != 0 ? ":" + std::to_string(site.column) : "");
}

EdgeFigures RecordedFigures(const KernelReport& k) {
  return k.recorded ? EdgeFigures{k.recorded->edges_reached, k.recorded->edges_reachable}
                    : EdgeFigures{};
}

bool Dropped(const KernelReport& k) {
  return k.recorded && CheckCoverage(k.name, k.figures, *k.recorded).dropped;
}

Cells KernelCells(const KernelReport& k) {
  const PathCounts paths = KernelPathCounts(k);
  const auto under_test = std::count_if(k.unreached.begin(), k.unreached.end(),
                                        [](const EdgeReport& e) { return e.under_test; });
  std::string notes;
  const auto note = [&](const char* text) { notes += (notes.empty() ? "" : ", ") + std::string(text); };
  if (!k.recorded) note("no table");
  if (Dropped(k)) note("dropped below the table's figures");
  if (!k.entry_instrumented) note("kernel not instrumented");
  return {k.name,
          Figures(k.figures),
          FormatPercent(k.figures),
          k.recorded ? Figures(RecordedFigures(k)) : std::string("-"),
          std::to_string(k.rows.size()),
          std::to_string(paths.Exercised()) + "/" + std::to_string(paths.Total()),
          std::to_string(under_test),
          notes};
}

// The rows padded to their columns' widths, without trailing blanks.
std::string Aligned(const std::vector<Cells>& rows) {
  std::array<std::size_t, kNumColumns> width{};
  for (const Cells& row : rows) {
    for (std::size_t c = 0; c < kNumColumns; ++c) width[c] = std::max(width[c], row[c].size());
  }
  std::string out;
  for (const Cells& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < kNumColumns; ++c) {
      if (c != 0) line += "  ";
      const std::string pad(width[c] - row[c].size(), ' ');
      if (c + 1 == kNumColumns) {
        line += row[c];
      } else {
        line += kAlignLeft[c] ? row[c] + pad : pad + row[c];
      }
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
  return out;
}

std::string SummaryTable(const SuiteReport& report) {
  std::vector<Cells> rows;
  rows.push_back({"kernel", "edges", "cover", "table", "rows", "paths", "unreached", ""});
  std::size_t dropped = 0;
  for (const KernelReport& k : report.kernels) {
    rows.push_back(KernelCells(k));
    dropped += Dropped(k) ? 1 : 0;
  }
  rows.push_back({"total", Figures(report.total), FormatPercent(report.total), "", "", "", "",
                  ""});
  return Aligned(rows) + "INFO: report total edges " + FiguresWithPercent(report.total) +
         " in " + std::to_string(report.kernels.size()) + " kernels, " +
         std::to_string(dropped) + " below their table's figures\n";
}

std::string PathLine(const PathReport& p, const KernelReport& k) {
  std::string lines;
  for (const std::uint32_t line : p.lines) {
    lines += (lines.empty() ? "" : " -> ") + std::to_string(line);
  }
  std::string out = std::string("  ") + ToString(p.kind) + ": lines " +
                    (lines.empty() ? "?" : lines) + "; ";
  if (p.rows_exercising == 0) return out + "no row\n";
  out += "exercised by " + k.rows[*p.first_row];
  if (p.rows_exercising > 1) out += " and " + std::to_string(p.rows_exercising - 1) + " more";
  return out + "\n";
}

std::string FunctionLines(const SuiteReport& report, const KernelReport& k,
                          const FunctionReport& f) {
  std::string out = "INFO: function " + k.name + " " +
                    (f.site.function.empty() ? std::string("?") : f.site.function) + " at " +
                    Location(f.site) + " edges " + Figures(f.figures) + ", paths";
  for (std::size_t i = 0; i < kNumPathKinds; ++i) {
    out += std::string(i == 0 ? " " : ", ") + ToString(static_cast<PathKind>(i + 1)) + " " +
           std::to_string(f.paths.exercised[i]) + "/" + std::to_string(f.paths.total[i]);
  }
  if (f.hit_max_paths || f.hit_max_steps || f.cut_by_length != 0) out += " (limit hit)";
  out += "\n";
  for (std::size_t p = 0; p < f.path_list.size() && p < report.max_paths_shown; ++p) {
    out += PathLine(f.path_list[p], k);
  }
  if (f.path_list.size() > report.max_paths_shown) {
    out += "  " + std::to_string(f.path_list.size() - report.max_paths_shown) +
           " more paths not shown\n";
  }
  return out;
}

std::string KernelDetails(const SuiteReport& report, const KernelReport& k) {
  std::string out = "INFO: kernel " + k.name + " edges " + FiguresWithPercent(k.figures) +
                    " by " + std::to_string(k.rows.size()) + " rows";
  if (k.recorded) out += "; table records " + FiguresWithPercent(RecordedFigures(k));
  if (!k.source.empty()) out += "; " + k.source;
  out += "\n";
  std::size_t outside = 0;
  for (const EdgeReport& e : k.unreached) {
    if (!e.under_test) {
      ++outside;
      continue;
    }
    out += "INFO: unreached " + k.name + " " + Location(e.site) + " in " +
           (e.site.function.empty() ? std::string("?") : e.site.function);
    if (e.site.text) out += ": " + Trimmed(*e.site.text);
    out += "\n";
  }
  if (outside != 0) {
    out += "INFO: unreached " + k.name + " " + std::to_string(outside) +
           " more outside the source root\n";
  }
  for (const FunctionReport& f : k.functions) out += FunctionLines(report, k, f);
  return out;
}

}  // namespace

std::string RenderText(const SuiteReport& report, const TextOptions& options) {
  std::string out = SummaryTable(report);
  if (!options.details) return out;
  for (const KernelReport& k : report.kernels) out += "\n" + KernelDetails(report, k);
  return out;
}

}  // namespace kt::report
