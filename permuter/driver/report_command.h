// `<suite>_kt report`: every selected kernel's checked-in rows run in jobs, measured as check
// measures them, then the coverage report (report/) built from their edges in this process
// and printed as a summary table (--details: with each kernel's unreached edges and paths),
// as the report's JSON document (--json) and as one self-contained HTML page (--html FILE).
// runner/, report/ and permuter/driver/ only.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "permuter/driver/flags.h"
#include "permuter/driver/kernel_job.h"
#include "report/program_map.h"
#include "report/report.h"
#include "runner/registry.h"

namespace kt::driver {

// What the driver has decided by the time it reports.
struct ReportRun {
  const std::vector<const KernelInfo*>& kernels;  // sorted by name
  const JobSettings& settings;
  const DriverOptions& options;
  const SuiteDefaults& defaults;
  std::string program;               // the binary's name, for suggested commands
  std::vector<std::string> orphans;  // tables without a kernel: a warning here
};

// The report's input from the jobs' results (in the order of `kernels`): a kernel whose rows
// ran brings them and its table header's figures; one without a table comes with no rows,
// so the report shows what it could reach; one whose table is unreadable is left out (its
// job's ERROR line says why). Sources are named relative to `source_root`.
std::vector<report::KernelInput> ReportInputs(const std::vector<const KernelInfo*>& kernels,
                                              const std::vector<KernelResult>& results,
                                              const std::filesystem::path& source_root);

// Runs `report` and returns the exit code: that of the jobs' statuses (1 for a missing
// table, 2 for a setup error), or 2 when the report cannot be built (no llvm-symbolizer)
// or the page cannot be written. The text or JSON goes to `out`; per-kernel problems and
// the closing summary line go to `out` too, or to `err` with --json so that `out` holds
// only the document.
int RunReport(const ReportRun& run, const report::ProgramMap& map, std::FILE* out,
              std::FILE* err);

}  // namespace kt::driver
