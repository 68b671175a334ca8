// The command line of a suite's _kt binary: a subcommand and its flags, over defaults that
// kerneltest_add_suite() bakes into the binary. The standard library and runner/error.h only.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

#include "runner/error.h"

namespace kt::driver {

enum class FlagError { kUsage = 1 };
const char* ToString(FlagError e) noexcept;
const std::error_category& FlagCategory() noexcept;
std::error_code make_error_code(FlagError e) noexcept;

enum class Command { kHelp = 1, kList, kGenerate, kCheck, kReport };

// What kerneltest_add_suite() knows at build time; every path is overridable by a flag.
struct SuiteDefaults {
  std::string suite;                  // hello
  std::filesystem::path tables_dir;   // in the source tree: examples/hello/tables
  std::filesystem::path seeds_dir;    // in the build tree, written by the seeder
  std::filesystem::path source_root;  // tables name kernel sources relative to it
  std::uint64_t budget = 0;           // executions per kernel for generate
};

inline constexpr unsigned kMaxJobs = 256;

struct DriverOptions {
  Command command = Command::kHelp;
  std::vector<std::string> kernels;  // --kernel, repeatable; empty means every kernel
  unsigned jobs = 1;
  std::optional<std::uint64_t> budget;  // --budget: generate only; check uses each table's
  bool json = false;
  std::filesystem::path html;  // --html: report writes its page there
  bool details = false;        // --details: report lists each kernel's unreached edges, paths
  std::filesystem::path tables_dir;
  std::filesystem::path seeds_dir;
  // Per execution. Configuration, never table content: a hang prints as timeout().
  std::chrono::milliseconds timeout{1'000};
};

// Parses args (args[0] is the program). kt.driver_flags:usage naming the bad flag: an
// unknown flag, a missing or malformed value, a flag the subcommand does not take (--budget
// is generate's, --html and --details report's), no or two subcommands.
Expected<DriverOptions> ParseDriverFlags(std::span<const char* const> args,
                                         const SuiteDefaults& defaults);

// The help text, naming `program` and the defaults.
std::string Usage(std::string_view program, const SuiteDefaults& defaults);

}  // namespace kt::driver

template <>
struct std::is_error_code_enum<kt::driver::FlagError> : std::true_type {};
