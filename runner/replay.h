// GoogleTest replay of tables: one test per table row (RegisterTest), so ctest lists rows
// and --gtest_filter picks one; plus a "table" test per kernel that fails for a missing,
// malformed or mismatched table and for a table without a kernel. The planning and the
// per-row check are plain functions; only RegisterReplayTests touches GoogleTest.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "runner/error.h"
#include "runner/registry.h"
#include "runner/table.h"

namespace kt {

struct ReplayOptions {
  std::filesystem::path tables_dir;
  std::string program = "replay";  // argv[0], for the command that reruns one row
  // For rows replayed in a child: those whose recorded outcome is a crash, timeout,
  // sanitizer report or exit, or every row with fork_every_row.
  std::chrono::milliseconds timeout{10'000};
  bool fork_every_row = false;
  // A table whose kernel is not in this binary fails its "table" test. Off when several
  // suites share one tables directory.
  bool check_orphan_tables = true;
};

// --tables DIR (required), --timeout_ms N, --fork, --allow_orphan_tables; GoogleTest's own
// flags must be gone already (testing::InitGoogleTest). kt.replay:usage on anything else.
Expected<ReplayOptions> ParseReplayFlags(int argc, const char* const* argv);

enum class ReplayError { kUsage = 1 };
const char* ToString(ReplayError e) noexcept;
const std::error_category& ReplayCategory() noexcept;
std::error_code make_error_code(ReplayError e) noexcept;

struct RowVerdict {
  bool passed = false;
  std::string message;  // why it failed: expected vs actual and the rerun command
};

// One test to register: GoogleTest's <suite>.<name>, where it points (the table's file and
// line) and what it checks.
struct ReplayTest {
  std::string suite;  // the kernel name with every character but [A-Za-z0-9_.] as '_'
  std::string name;   // "table" or "row_<N>", N counting rows from 1 in file order
  std::string file;
  int line = 0;
  std::function<RowVerdict()> run;
};

// The tests for every kernel in `registry` and every "*.ktable" in options.tables_dir
// (files starting with '.', such as interrupted writes, are ignored), sorted by suite.
// `registry` must outlive the tests.
std::vector<ReplayTest> PlanReplay(const Registry& registry, const ReplayOptions& options);

// Replays row `index` of `table` with `kernel` and compares outcome, observations and the
// workspace after. `test` names the test, for the rerun command.
RowVerdict ReplayRow(const KernelInfo& kernel, const Table& table, std::size_t index,
                     const ReplayOptions& options, std::string_view test);

// Why `table` cannot drive `kernel` (different parameter count or kinds, workspaces on one
// side only), or nullopt.
std::optional<std::string> CheckTableAgainstKernel(const Table& table, const KernelInfo& kernel);

// GoogleTest's suite name for a kernel.
std::string TestSuiteName(std::string_view kernel_name);

// Registers PlanReplay's tests with testing::RegisterTest; returns how many. Call between
// testing::InitGoogleTest and RUN_ALL_TESTS.
int RegisterReplayTests(const Registry& registry, const ReplayOptions& options);

}  // namespace kt

template <>
struct std::is_error_code_enum<kt::ReplayError> : std::true_type {};
