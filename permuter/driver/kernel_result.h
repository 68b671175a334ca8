// What one kernel's job (generate, check or report) found, as plain data, and its JSON
// spelling: the object a job sends back to the driver and the one --json prints per kernel.
// runner/table.h (stats), report/ (edge figures, the coverage check) and permuter/driver/
// (flags, json) only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <vector>

#include "permuter/driver/flags.h"
#include "permuter/driver/json.h"
#include "report/check.h"
#include "report/report.h"
#include "runner/table.h"

namespace kt::driver {

enum class KernelStatus {
  kOk = 1,     // check: the table is up to date; report, list: the table is readable
  kWritten,    // generate: the table was new or changed and has been written
  kUnchanged,  // generate: the regenerated table has the same bytes; the file is untouched
  kStale,      // check: the regenerated table differs (diff says how)
  kMissing,    // the kernel has no table
  kMalformed,  // the table cannot be read or does not fit the kernel (message says why)
  kFinding,    // generation stopped at a bug (finding says which)
  kError,      // seeds missing or older than the binary, a worker that cannot run, ...
};
// "ok", "written", "unchanged", "stale", "missing", "malformed", "finding", "error".
const char* ToString(KernelStatus s) noexcept;
std::optional<KernelStatus> KernelStatusFromString(std::string_view s) noexcept;

struct FindingReport {
  std::string outcome;     // check-failed(x <= 1000 at kernels.cc:12), crash(SIGSEGV), ...
  std::string reproducer;  // the minimised call set: "guests=7, mood=Mood::kHappy"
  std::string found;       // the call set that first showed it, before shrinking
  std::string detail;      // the worker's stderr, a sanitizer report
};

// What a table's checked-in rows reach now, against what its header records.
struct CoverageFigures {
  report::EdgeFigures now;       // the rows replayed in a fresh worker (MeasureRows)
  report::EdgeFigures recorded;  // the header's `edges` line
};

struct KernelResult {
  std::string kernel;
  KernelStatus status = KernelStatus::kError;
  std::string table;  // the table's path
  // The header of the table generated (generate, check: the regeneration) or read (report).
  TableStats stats;
  std::uint64_t rows = 0;
  std::uint64_t searches = 0;  // generate: searches run until the rows settled
  // check, report: set once the checked-in rows ran.
  std::optional<CoverageFigures> coverage;
  // report: each checked-in row that ran, labelled as the replay names it (row_1, ...), with
  // its edges; the driver builds the report from them.
  std::vector<report::RowEdges> row_edges;
  std::string diff;     // stale: checked-in table -> regeneration, unified
  std::string message;  // missing, malformed, error: why
  std::optional<FindingReport> finding;
};

// The status's contribution to the exit code: 0 fine, 1 a stale or missing table or a
// finding, 2 a setup error. For generate a malformed table is a setup error (2): writing
// over it could lose pinned rows.
int ExitCodeOf(KernelStatus s, bool generating) noexcept;

// report::CheckCoverage of r.coverage (the line check prints and whether coverage dropped),
// or nullopt when the rows did not run.
std::optional<report::CoverageCheck> CheckResultCoverage(const KernelResult& r);

// The result's contribution to the exit code of `command`: ExitCodeOf its status, and for
// check 1 when its coverage dropped below the table header's (report only shows it).
int ResultExitCode(const KernelResult& r, Command command);

// Appends `r` as one JSON object to `w`.
void WriteKernelResult(const KernelResult& r, JsonWriter& w);
// The inverse of WriteKernelResult, for results coming back from a job; nullopt when `v` is
// not such an object.
std::optional<KernelResult> KernelResultFromJson(const JsonValue& v);

}  // namespace kt::driver
