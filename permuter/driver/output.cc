// The driver's lines, progress bar and JSON document. permuter/driver/, report/'s
// percentages and the standard library only.
#include "permuter/driver/output.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "permuter/driver/json.h"
#include "report/report.h"

namespace kt::driver {
namespace {

constexpr std::size_t kBarWidth = 10;
constexpr std::size_t kBarKernelWidth = 32;

const char* CommandName(Command c) {
  switch (c) {
    case Command::kHelp: return "help";
    case Command::kList: return "list";
    case Command::kGenerate: return "generate";
    case Command::kCheck: return "check";
    case Command::kReport: return "report";
  }
  return "unknown";
}

// check leaves the edges to its coverage line (CoverageLine), which compares them with the
// header's.
std::string Figures(const KernelResult& r, Command command) {
  std::string s = std::to_string(r.stats.executions) + " executions, " + std::to_string(r.rows) +
                  " rows";
  if (command != Command::kCheck) {
    const report::EdgeFigures edges{r.stats.edges_reached, r.stats.edges_reachable};
    s += ", edges " + std::to_string(edges.reached) + "/" + std::to_string(edges.reachable) +
         " (" + report::FormatPercent(edges) + ")";
  }
  return s;
}

// report::CheckCoverage's line for a result whose checked-in rows ran.
std::string CoverageLine(const KernelResult& r) {
  const std::optional<report::CoverageCheck> c = CheckResultCoverage(r);
  return c ? c->line + "\n" : std::string();
}

std::string Indented(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    out += "  " + std::string(text.substr(0, end)) + "\n";
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return out;
}

std::string FindingLines(const KernelResult& r, Command command) {
  if (!r.finding) return "FINDING: kernel " + r.kernel + ": " + r.message + "\n";
  const FindingReport& f = *r.finding;
  std::string s = "FINDING: kernel " + r.kernel + ": " + f.outcome + "\n";
  s += "FINDING: reproducer: " + f.reproducer + "\n";
  if (f.found != f.reproducer) {
    s += "INFO: kernel " + r.kernel + ": first seen as " + f.found + "\n";
  }
  if (!f.detail.empty()) s += Indented(f.detail);
  if (command == Command::kGenerate) s += "INFO: kernel " + r.kernel + ": table not written\n";
  return s;
}

std::string Hint(std::string_view program, const KernelResult& r) {
  return "run `" + std::string(program) + " generate --kernel " + r.kernel + "`";
}

}  // namespace

std::string FormatResultLines(const KernelResult& r, Command command, std::string_view program) {
  const std::string head = "kernel " + r.kernel + ": ";
  std::string s;
  switch (r.status) {
    case KernelStatus::kOk:
      // report prints its figures as one table once every kernel is in.
      if (command == Command::kReport) break;
      s = "INFO: " + head + Figures(r, command) +
          (command == Command::kCheck ? "; table up to date\n" : "\n") + CoverageLine(r);
      break;
    case KernelStatus::kWritten:
      s = "INFO: " + head + Figures(r, command) + "; wrote " + r.table + "\n";
      break;
    case KernelStatus::kUnchanged:
      s = "INFO: " + head + Figures(r, command) + "; " + r.table + " unchanged\n";
      break;
    case KernelStatus::kStale:
      s = "INFO: " + head + Figures(r, command) + "\n" + CoverageLine(r);
      s += "ERROR: " + head + r.table + " is stale; " + Hint(program, r) +
           " and commit the diff:\n" + r.diff;
      break;
    case KernelStatus::kMissing:
      s = (command == Command::kReport ? "WARNING: " : "ERROR: ") + r.message + "; " +
          Hint(program, r) + "\n";
      break;
    case KernelStatus::kMalformed: s = "ERROR: " + r.message + "\n"; break;
    case KernelStatus::kFinding: s = FindingLines(r, command); break;
    case KernelStatus::kError: s = "ERROR: " + head + r.message + "\n"; break;
  }
  if (!r.message.empty() && (r.status == KernelStatus::kWritten ||
                             r.status == KernelStatus::kUnchanged)) {
    s += "WARNING: " + head + r.message + "\n";
  }
  return s;
}

std::string FormatProgressBar(std::size_t done, std::size_t total, std::string_view kernel,
                              std::uint64_t executions, std::uint64_t edges,
                              std::uint64_t rows_done) {
  const std::size_t filled = total == 0 ? kBarWidth : done * kBarWidth / total;
  std::string name(kernel.substr(0, kBarKernelWidth));
  return "[" + std::string(filled, '=') + std::string(kBarWidth - filled, ' ') + "] " +
         std::to_string(done) + "/" + std::to_string(total) + "  " + name + "  " +
         std::to_string(executions) + " executions  " + std::to_string(edges) + " edges  " +
         std::to_string(rows_done) + " rows done";
}

RunPrinter::RunPrinter(std::FILE* out, Config config, std::vector<std::string> kernels)
    : out_(out), config_(std::move(config)), kernels_(std::move(kernels)) {}

void RunPrinter::ClearBar() {
  if (!bar_shown_) return;
  std::fputs("\r\033[K", out_);
  bar_shown_ = false;
}

void RunPrinter::DrawBar() {
  if (!config_.progress_bar || printed_.size() == kernels_.size()) return;
  const std::string name = bar_kernel_ < kernels_.size() ? kernels_[bar_kernel_] : "";
  std::fputs(("\r\033[K" + FormatProgressBar(printed_.size() + arrived_.size(), kernels_.size(),
                                             name, bar_executions_, bar_edges_, rows_done_))
                 .c_str(),
             out_);
  std::fflush(out_);
  bar_shown_ = true;
}

void RunPrinter::Progress(std::size_t index, std::uint64_t executions, std::uint64_t edges) {
  bar_kernel_ = index;
  bar_executions_ = executions;
  bar_edges_ = edges;
  DrawBar();
}

void RunPrinter::Done(std::size_t index, KernelResult result) {
  rows_done_ += result.rows;
  arrived_.emplace(index, std::move(result));
  ClearBar();
  for (auto it = arrived_.find(printed_.size()); it != arrived_.end();
       it = arrived_.find(printed_.size())) {
    if (!config_.json) {
      std::fputs(FormatResultLines(it->second, config_.command, config_.program).c_str(), out_);
    }
    printed_.push_back(std::move(it->second));
    arrived_.erase(it);
  }
  DrawBar();
}

void RunPrinter::SetOrphans(std::vector<std::string> paths) { orphans_ = std::move(paths); }

int RunPrinter::Finish() {
  ClearBar();
  int exit_code = 0;
  std::map<KernelStatus, std::size_t> counts;
  std::size_t dropped = 0;
  for (const KernelResult& r : printed_) {
    exit_code = std::max(exit_code, ResultExitCode(r, config_.command));
    ++counts[r.status];
    const std::optional<report::CoverageCheck> coverage = CheckResultCoverage(r);
    dropped += coverage && coverage->dropped ? 1 : 0;
  }
  const bool orphans_fail = config_.command == Command::kCheck && !orphans_.empty();
  if (orphans_fail) exit_code = std::max(exit_code, 1);
  if (config_.json) {
    JsonWriter w;
    w.BeginObject().Key("suite").String(config_.suite);
    w.Key("command").String(CommandName(config_.command));
    w.Key("tables").String(config_.tables_dir).Key("kernels").BeginArray();
    for (const KernelResult& r : printed_) WriteKernelResult(r, w);
    w.EndArray().Key("orphan_tables").BeginArray();
    for (const std::string& p : orphans_) w.String(p);
    w.EndArray().Key("exit_code").Uint(static_cast<std::uint64_t>(exit_code)).EndObject();
    std::fputs(w.Take().c_str(), out_);
    return exit_code;
  }
  for (const std::string& p : orphans_) {
    std::fputs(((orphans_fail ? "ERROR: " : "WARNING: ") + p +
                " is a table without a kernel in this binary; delete it or restore the "
                "kernel\n")
                   .c_str(),
               out_);
  }
  std::string summary = std::string("INFO: ") + CommandName(config_.command) + ": " +
                        std::to_string(printed_.size()) + " kernels";
  std::string sep = ": ";
  for (const auto& [status, n] : counts) {
    summary += sep + std::to_string(n) + " " + ToString(status);
    sep = ", ";
  }
  if (config_.command == Command::kCheck) {
    summary += "; " + std::to_string(dropped) + " with coverage dropped";
  }
  summary += "; " + std::to_string(orphans_.size()) + " orphan tables\n";
  std::fputs(summary.c_str(), out_);
  std::fflush(out_);
  return exit_code;
}

}  // namespace kt::driver
