// Writes the seeder's results: one JSON document per kernel, a manifest naming them and a
// Makefile-style depfile for the build. LLVM Support only.
#pragma once

#include <string>
#include <vector>

#include "ast_seeder/seeder.h"
#include "llvm/Support/Error.h"

namespace ast_seeder {

struct OutputPaths {
  std::string out_dir;   // receives <kernel name>.json; created when missing
  std::string manifest;  // optional: the kernels' JSON file names, one a line
  std::string depfile;   // optional: "<manifest or first JSON>: <dependencies>"
};

// Writes every kernel's JSON into `paths.out_dir`, replacing a file only when its bytes change
// (so consumers are not rebuilt for nothing), each through a temporary file and a rename.
// With a manifest, JSON files the previous manifest listed and this run did not produce (a
// kernel renamed or removed) are deleted, then the manifest is rewritten. The depfile's target
// is the manifest. An error names the file that could not be written.
llvm::Error WriteOutputs(const SeederOutput& output, const OutputPaths& paths);

// "target: dep1 dep2 ..." with one dependency per continued line and spaces escaped, as Ninja
// and Make read it.
std::string DepfileText(const std::string& target, const std::vector<std::string>& deps);

}  // namespace ast_seeder
