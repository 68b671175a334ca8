// The medians, the ratios and the table's text.
#include "permuter/bench/bench_table.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace kt::permuter::bench {
namespace {

std::string Format(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

std::string Milliseconds(double seconds) { return Format("%.1f", seconds * 1000); }

// `cells` as Markdown rows, each column padded to its widest cell; the first column is
// left-aligned, the figures right-aligned.
std::string Align(const std::vector<std::vector<std::string>>& cells) {
  std::vector<std::size_t> width(cells.front().size(), 3);
  for (const auto& row : cells) {
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  std::string out;
  const auto emit = [&](const std::vector<std::string>& row) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      const std::string pad(width[c] - row[c].size(), ' ');
      out += c == 0 ? "| " + row[c] + pad + " " : "| " + pad + row[c] + " ";
    }
    out += "|\n";
  };
  emit(cells.front());
  for (std::size_t c = 0; c < width.size(); ++c) {
    out += "|" + (c == 0 ? std::string(width[c] + 2, '-') : std::string(width[c] + 1, '-') + ":");
  }
  out += "|\n";
  for (std::size_t r = 1; r < cells.size(); ++r) emit(cells[r]);
  return out;
}

// The `median`-th smallest `field` of the runs that reached full coverage when
// `median_reached`; otherwise the smallest of the unreached runs' (at most `median` runs
// reached, so the true median is at least that).
template <class Field>
auto MedianOf(std::span<const FuzzRun> runs, std::size_t median, bool median_reached,
              Field field) {
  std::vector<decltype(field(runs.front()))> values;
  for (const FuzzRun& r : runs) {
    if (r.reached == median_reached) values.push_back(field(r));
  }
  std::sort(values.begin(), values.end());
  return median_reached ? values[median] : values.front();
}

std::vector<std::string> RowCells(const BenchRow& row) {
  const PermuterRun& p = row.permuter;
  const FuzzSummary& f = row.libfuzzer;
  const std::string bound = f.median_reached ? "" : "> ";
  std::vector<std::string> cells = {
      row.kernel,
      std::to_string(p.edges),
      p.reached ? std::to_string(p.executions_to_full) : "not reached",
      p.reached ? Milliseconds(p.seconds_to_full) : "-",
      std::to_string(p.executions) + " / " + Milliseconds(p.seconds),
      std::to_string(f.reached) + "/" + std::to_string(f.runs),
      bound + std::to_string(f.executions),
      bound + Milliseconds(f.seconds),
      bound + Milliseconds(f.fuzzing_seconds),
  };
  const bool ratios = p.reached && f.runs > 0;
  const auto ratio = [&](double libfuzzer, double permuter) {
    return ratios ? FormatRatio(libfuzzer, permuter, !f.median_reached) : "n/a";
  };
  cells.push_back(
      ratio(static_cast<double>(f.executions), static_cast<double>(p.executions_to_full)));
  cells.push_back(ratio(f.seconds, p.seconds_to_full));
  cells.push_back(ratio(f.fuzzing_seconds, p.seconds_to_full));
  return cells;
}

}  // namespace

FuzzSummary Summarize(std::span<const FuzzRun> runs) {
  FuzzSummary s;
  s.runs = runs.size();
  for (const FuzzRun& r : runs) s.reached += r.reached ? 1 : 0;
  if (runs.empty()) return s;
  const std::size_t median = (runs.size() - 1) / 2;  // the lower median's index
  s.median_reached = s.reached > median;
  s.executions = MedianOf(runs, median, s.median_reached, [](const FuzzRun& r) {
    return r.executions;
  });
  s.seconds = MedianOf(runs, median, s.median_reached, [](const FuzzRun& r) {
    return r.seconds;
  });
  s.fuzzing_seconds = MedianOf(runs, median, s.median_reached, [](const FuzzRun& r) {
    return r.seconds - r.startup_seconds;
  });
  return s;
}

std::string FormatRatio(double numerator, double denominator, bool lower_bound) {
  if (denominator <= 0) return "n/a";
  const double ratio = numerator / denominator;
  return (lower_bound ? "> " : "") + Format(ratio < 10 ? "%.1fx" : "%.0fx", ratio);
}

std::string FormatTable(std::span<const BenchRow> rows) {
  std::vector<std::vector<std::string>> cells = {
      {"kernel", "edges", "permuter execs", "permuter ms", "permuter whole run (execs / ms)",
       "libFuzzer reached", "libFuzzer execs", "libFuzzer ms", "libFuzzer ms after INITED",
       "execs ratio", "time ratio", "time ratio after INITED"}};
  for (const BenchRow& row : rows) cells.push_back(RowCells(row));
  return Align(cells);
}

}  // namespace kt::permuter::bench
