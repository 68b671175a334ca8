// Test support: runs the seeder library on in-memory sources or on files under testdata/,
// capturing diagnostics as text. For the seeder's tests and benchmark only; LLVM/Clang only
// (no gtest, so the benchmark can link it).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ast_seeder/seeder.h"

namespace ast_seeder::testing {

// The repository root (the include root); fixed at build time.
std::string SourceRoot();
// An absolute path under the repository root: TestdataPath("kinds.cc") is
// "<root>/ast_seeder/testdata/kinds.cc".
std::string TestdataPath(const std::string& name);
// The directory in-memory sources live in; never on disk.
inline constexpr const char* kInMemoryDir = "/kt_in_memory";

struct SeedRun {
  bool ok = false;
  SeederOutput output;
  // Clang's and the seeder's diagnostics, "file:line:col: error: ..." one a line, without
  // source snippets; the repository root prefix is removed from file names.
  std::string diagnostics;
};

// Seeds `sources` (keys of `files`, relative to kInMemoryDir) with the compile flags
// -std=c++20 -ferror-limit=0 -I<root>. Every file of `files` is a cross-TU candidate unless
// options.index_sources names others. options.root defaults to the repository root.
SeedRun SeedInMemory(const std::map<std::string, std::string>& files,
                     const std::vector<std::string>& sources, SeederOptions options = {});

// The same for real files (absolute paths); the cross-TU candidates are options.index_sources.
SeedRun SeedFiles(const std::vector<std::string>& sources, SeederOptions options = {});

// One kernel of `run` by name, or nullptr.
const KernelDomain* FindKernel(const SeedRun& run, const std::string& name);

// The whole text of a file, or empty when it cannot be read.
std::string ReadFile(const std::string& path);

}  // namespace ast_seeder::testing
