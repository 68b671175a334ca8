// Finds the definitions of functions whose bodies live in other translation units of the same
// compilation database, so constant harvesting can follow calls across files. Clang Tooling
// only; never reports diagnostics (a helper TU that fails to parse is skipped).
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "clang/AST/Decl.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/IntrusiveRefCntPtr.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/VirtualFileSystem.h"

namespace ast_seeder {

// Loads helper TUs lazily: a lookup for function `f` parses (once) only the candidate sources
// whose text contains f's name, the one named like a header declaring f first (vfio/dma_map.h:
// vfio/dma_map.cc), then indexes every function defined in their main files by USR. A definition produced by a macro that pastes the name together is therefore missed;
// that is the price of not parsing the whole build for every kernel.
//
// Thread-compatible. The loaded ASTs live as long as the index, and so do the FunctionDecls it
// returns. Loading stops after `max_units` parsed TUs.
class CrossTuIndex {
 public:
  CrossTuIndex(const clang::tooling::CompilationDatabase& db, std::vector<std::string> sources,
               llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> fs,
               clang::tooling::ArgumentsAdjuster adjuster, unsigned max_units);
  ~CrossTuIndex();

  // The definition of the function `decl` declares, from a source other than
  // `current_main_file` (the TU `decl` comes from, which has no body for it); nullptr when no
  // candidate defines it.
  const clang::FunctionDecl* FindDefinition(const clang::FunctionDecl& decl,
                                            const std::string& current_main_file);

  // Every non-system file the loaded TUs read, absolute: they feed the kernel's depfile.
  std::vector<std::string> LoadedFiles() const;
  // How many helper TUs have been parsed so far.
  std::size_t num_loaded() const { return units_.size(); }

 private:
  void Load(const std::string& file);
  // The text of `file`, read once; empty when it cannot be read.
  llvm::StringRef TextOf(const std::string& file);
  void IndexUnit(clang::ASTUnit& unit);

  const clang::tooling::CompilationDatabase& db_;
  std::vector<std::string> sources_;
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> fs_;
  clang::tooling::ArgumentsAdjuster adjuster_;
  unsigned max_units_;
  bool warned_limit_ = false;

  std::set<std::string> tried_;    // sources parsed, or rejected, once
  std::set<std::string> missing_;  // USRs no candidate defines
  std::map<std::string, std::unique_ptr<llvm::MemoryBuffer>> texts_;  // for the name search
  std::vector<std::unique_ptr<clang::ASTUnit>> units_;
  std::map<std::string, const clang::FunctionDecl*> by_usr_;
};

// The Unified Symbol Resolution of `decl`, equal across TUs for one external function; empty
// when Clang cannot make one.
std::string UsrOf(const clang::Decl& decl);

}  // namespace ast_seeder
