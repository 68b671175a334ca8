// The suite driver: what `<suite>_kt list | generate | check | report` does, as a function
// of its arguments, a kernel registry and the suite's baked-in defaults, so tests run it
// in-process. runner/, report/ and permuter/driver/ only.
#pragma once

#include <cstdint>
#include <cstdio>
#include <span>

#include "permuter/driver/flags.h"
#include "runner/registry.h"

namespace kt::driver {

// Runs the command line `args` (args[0] is the program) over `registry`'s kernels and
// returns the exit code: 0 ok, 1 a stale or missing table, an orphan table or a coverage
// drop (check) or a finding, 2 a usage or setup error. Results and --json go to `out`; usage
// errors to `err` (and report's per-kernel lines, with --json).
// Kernels run in forked children (--jobs at a time), each forking its own worker: call from
// a single-threaded process.
//
// Example usage:
//   const char* args[] = {"hello_kt", "check", "--tables", dir.c_str()};
//   int exit_code = RunDriver(args, registry, defaults, stdout, stderr);
int RunDriver(std::span<const char* const> args, const Registry& registry,
              const SuiteDefaults& defaults, std::FILE* out, std::FILE* err);

// RunDriver over Registry::Global() with stdout and stderr: the main of a suite's _kt
// binary (suite_main.cc), taking the defaults as literals. A budget of 0 means the
// permuter's default.
int SuiteMain(int argc, char** argv, const char* suite, const char* tables_dir,
              const char* seeds_dir, const char* source_root, std::uint64_t budget);

}  // namespace kt::driver
