// The seeder's entry point: runs Clang over kernel sources through a compilation database and
// returns each kernel's permutation domain and the files it was derived from. LLVM/Clang 19
// libTooling only; writes nothing (see output_writer.h).
#pragma once

#include <string>
#include <vector>

#include "ast_seeder/constant_harvester.h"
#include "ast_seeder/domain.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/IntrusiveRefCntPtr.h"
#include "llvm/Support/VirtualFileSystem.h"

namespace ast_seeder {

// Clang's builtin headers (stddef.h, ...) for the Clang the seeder links, fixed at build time:
// the driver would otherwise look for them beside the compiler named in each compile command
// (or beside argv[0] of a fixed database), which need not be Clang 19.
extern const char* const kClangResourceDir;

// Cross-TU loading stops after this many helper translation units per run, so a kernel that
// calls into a huge build still seeds in bounded time.
inline constexpr unsigned kDefaultMaxCrossTuUnits = 64;

struct SeederOptions {
  // Paths in the output are relative to this directory (made absolute against the working
  // directory at the start of the run).
  std::string root = ".";
  unsigned call_depth = kDefaultCallDepth;
  unsigned max_cross_tu_units = kDefaultMaxCrossTuUnits;
  // The TUs cross-TU harvesting may load; empty means every file of the database.
  std::vector<std::string> index_sources;
  std::string resource_dir = kClangResourceDir;
};

struct SeederOutput {
  std::vector<KernelDomain> kernels;      // sorted by name
  std::vector<std::string> dependencies;  // absolute, sorted, unique; system headers excluded
};

// Adds -resource-dir=`resource_dir` to a command line that names none.
clang::tooling::ArgumentsAdjuster ResourceDirAdjuster(std::string resource_dir);

// Seeds every kernel in `sources`. Clang's errors and the seeder's own go to `diagnostics`
// (nullptr: a printer on stderr), each as "file:line:col: error: ...". Returns true when every
// source parsed and every kernel seeded without error; `out` holds the kernels that did.
//
// Example usage:
//   auto db = clang::tooling::CompilationDatabase::loadFromDirectory("build", error);
//   SeederOutput out;
//   bool ok = RunSeeder(*db, {"kernels/dma_kernels.cc"}, SeederOptions{.root = "."}, out);
bool RunSeeder(const clang::tooling::CompilationDatabase& db, llvm::ArrayRef<std::string> sources,
               const SeederOptions& options, SeederOutput& out,
               clang::DiagnosticConsumer* diagnostics = nullptr,
               llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> fs = llvm::vfs::getRealFileSystem());

}  // namespace ast_seeder
