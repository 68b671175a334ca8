// The report command (permuter/driver/report_command.h). runner/, report/ and
// permuter/driver/ only.
#include "permuter/driver/report_command.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <utility>

#include "permuter/driver/output.h"
#include "report/html.h"
#include "report/json.h"
#include "report/symbolizer.h"
#include "report/text.h"

namespace kt::driver {
namespace {

namespace fs = std::filesystem;

// Writes `text` to `path` through a temporary file in the same directory and a rename, so a
// reader (a browser reloading it) never sees half a page. An error message, or "".
std::string WritePage(const fs::path& path, const std::string& text) {
  const fs::path temporary = path.parent_path() / ("." + path.filename().string() + ".tmp");
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file) {
      const std::string why = std::strerror(errno);
      std::error_code ignored;
      fs::remove(temporary, ignored);
      return "--html " + path.string() + ": cannot write " + temporary.string() + ": " + why;
    }
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) {
    fs::remove(temporary, ec);
    return "--html " + path.string() + ": cannot rename the page into place: " + ec.message();
  }
  return "";
}

Expected<report::SuiteReport> Build(const ReportRun& run, const report::ProgramMap& map,
                                    const std::vector<KernelResult>& results) {
  Expected<report::Symbolizer> symbolizer = report::Symbolizer::Start();
  if (!symbolizer) return std::move(symbolizer).assume_error();
  report::ReportOptions options;
  options.suite = run.defaults.suite;
  options.source_root = run.defaults.source_root.string();
  const std::vector<report::KernelInput> inputs =
      ReportInputs(run.kernels, results, run.defaults.source_root);
  return report::BuildReport(map, inputs, symbolizer.value(), options);
}

// The report itself, rendered as asked; 0, or 2 when it cannot be built or written.
int Render(const ReportRun& run, const report::ProgramMap& map,
           const std::vector<KernelResult>& results, std::FILE* out, std::FILE* lines) {
  const Expected<report::SuiteReport> built = Build(run, map, results);
  if (!built) {
    std::fprintf(lines, "ERROR: report: %s\n", built.error().message.c_str());
    return 2;
  }
  int exit_code = 0;
  if (!run.options.html.empty()) {
    const std::string failed = WritePage(run.options.html, report::RenderHtml(built.value()));
    if (failed.empty()) {
      std::fprintf(lines, "INFO: report: wrote %s\n", run.options.html.c_str());
    } else {
      std::fprintf(lines, "ERROR: %s\n", failed.c_str());
      exit_code = 2;
    }
  }
  if (run.options.json) {
    std::fputs(report::RenderJson(built.value()).c_str(), out);
    return exit_code;
  }
  std::fputs(report::RenderText(built.value(), {.details = run.options.details}).c_str(), out);
  if (!run.options.details) {
    std::fprintf(out,
                 "INFO: each kernel's unreached edges and paths: %s report --details [--kernel "
                 "K]; as a page: --html FILE\n",
                 run.program.c_str());
  }
  return exit_code;
}

}  // namespace

std::vector<report::KernelInput> ReportInputs(const std::vector<const KernelInfo*>& kernels,
                                              const std::vector<KernelResult>& results,
                                              const fs::path& source_root) {
  std::vector<report::KernelInput> inputs;
  for (std::size_t i = 0; i < kernels.size() && i < results.size(); ++i) {
    const KernelInfo& kernel = *kernels[i];
    const KernelResult& result = results[i];
    if (result.status != KernelStatus::kOk && result.status != KernelStatus::kMissing) continue;
    report::KernelInput in;
    in.name = kernel.name;
    in.entry = reinterpret_cast<std::uintptr_t>(kernel.fn);
    in.source = RelativeSource(kernel.file, source_root) + ":" + std::to_string(kernel.line);
    if (result.status == KernelStatus::kOk) {
      in.rows = result.row_edges;
      in.recorded = result.stats;
    }
    inputs.push_back(std::move(in));
  }
  return inputs;
}

int RunReport(const ReportRun& run, const report::ProgramMap& map, std::FILE* out,
              std::FILE* err) {
  const DriverOptions& o = run.options;
  std::FILE* lines = o.json ? err : out;
  std::vector<std::string> names;
  for (const KernelInfo* k : run.kernels) names.push_back(k->name);
  RunPrinter::Config config{Command::kReport, run.defaults.suite, run.program,
                            o.tables_dir.string(), /*json=*/false,
                            ::isatty(::fileno(lines)) == 1};
  RunPrinter printer(lines, std::move(config), std::move(names));
  printer.SetOrphans(run.orphans);
  if (Expected<void> ran = RunKernelJobs(run.kernels, run.settings, o.jobs, map, printer); !ran) {
    std::fprintf(err, "ERROR: %s\n", ran.error().message.c_str());
    printer.Finish();
    return 2;
  }
  const int rendered = Render(run, map, printer.results(), out, lines);
  return std::max(rendered, printer.Finish());
}

}  // namespace kt::driver
