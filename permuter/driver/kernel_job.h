// One kernel's share of generate, check or report, as one function the driver runs in a
// child process: read the seeds and the checked-in table, search through the forked worker,
// build, compare or write the table, and measure what its rows reach. runner/, permuter/,
// report/ (the program map) and permuter/driver/ only.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include "permuter/driver/flags.h"
#include "permuter/driver/jobs.h"
#include "permuter/driver/kernel_result.h"
#include "permuter/driver/output.h"
#include "report/program_map.h"
#include "runner/registry.h"

namespace kt::driver {

// Searches generate runs at most before it writes what it has: regeneration from a table's
// own rows normally reproduces it after one search (two for a new or changed kernel).
inline constexpr std::uint64_t kMaxSearches = 4;

struct JobSettings {
  Command command = Command::kCheck;  // kGenerate, kCheck or kReport
  std::filesystem::path tables_dir;
  std::filesystem::path seeds_dir;
  std::filesystem::path source_root;  // tables name the kernel's source relative to it
  // generate: per kernel. check: for a table that records none (each table's own otherwise).
  std::uint64_t budget = 0;
  std::chrono::milliseconds timeout{1'000};
};

// The kernel's source file as tables and reports name it: relative to `root` when under it,
// so that neither depends on where the repository is checked out.
std::string RelativeSource(const std::string& file, const std::filesystem::path& root);

// The table of `kernel` in `tables_dir`: <tables_dir>/<kernel name>.ktable.
std::filesystem::path TablePath(const JobSettings& settings, const KernelInfo& kernel);
// The seeder's document of `kernel`: <seeds_dir>/<kernel name>.json.
std::filesystem::path SeedsPath(const JobSettings& settings, const KernelInfo& kernel);

// Runs settings.command for `kernel`:
//   generate  seeds + the table's rows (pinned and previous) -> Search, repeated until the
//             rows settle (so that check reproduces the written table byte for byte); the
//             header's edges are MeasureRows of the settled rows; writes the table
//             atomically unless its bytes are unchanged; a finding writes nothing.
//   check     one Search from the checked-in rows with the table's budget, measured and
//             compared byte for byte with the file (stale results carry a unified diff); and
//             the checked-in rows' figures against the header's (KernelResult::coverage).
//   report    the checked-in rows measured: their figures and each row's edges.
// Every measurement runs the rows in a fresh worker (see MeasureRows) over `map`.
// Never throws; every failure is a status with a message. Call from a single-threaded
// process (the worker forks).
KernelResult RunKernelJob(const KernelInfo& kernel, const JobSettings& settings,
                          const report::ProgramMap& map, const ProgressSink& progress);

// RunKernelJob for every kernel, each in a forked child (jobs.h), `parallel` at a time; each
// result goes to `printer`, in kernel order, and a child that ended without one becomes an
// error result saying how it ended. Errors: the job runner's own (kt.driver_jobs). Call from
// a single-threaded process.
Expected<void> RunKernelJobs(std::span<const KernelInfo* const> kernels,
                             const JobSettings& settings, unsigned parallel,
                             const report::ProgramMap& map, RunPrinter& printer);

}  // namespace kt::driver
