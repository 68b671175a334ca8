// Small AST helpers shared by the seeder's passes: exact integers from APSInt, integer type
// limits, type spelling, and file paths relative to --root. Clang AST and LLVM Support only.
#pragma once

#include <optional>
#include <string>

#include "ast_seeder/domain.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Type.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/APSInt.h"
#include "llvm/ADT/StringRef.h"

namespace ast_seeder::internal {

// `v` when it lies in [-2^63, 2^64 - 1] (any width, either signedness), else nullopt.
std::optional<ExactInt> ToExactInt(const llvm::APSInt& v);

// The representation of an integer-like type (integer, bool or enum's underlying type).
struct IntegerShape {
  unsigned bits = 0;
  bool is_signed = false;
  ExactInt lo;
  ExactInt hi;
};
// The shape of `type` when it is an integer, bool or enum type of at most 64 bits.
std::optional<IntegerShape> ShapeOf(clang::QualType type, const clang::ASTContext& ctx);

// `type` spelled with every scope written out and typedefs kept ("std::uint64_t",
// "vfio::Iova"), independent of the using-declarations around the kernel.
std::string QualifiedTypeName(clang::QualType type, const clang::ASTContext& ctx);

// Maps absolute file names to names relative to a root directory, so outputs carry no
// machine-specific prefix. Thread-compatible; immutable after construction.
class PathMapper {
 public:
  // `root` is made absolute against the process's working directory.
  explicit PathMapper(llvm::StringRef root);

  // `path` (absolute, or relative to `base_dir`) with "." and ".." removed, relative to the
  // root; "../" steps when it lies outside.
  std::string Relative(llvm::StringRef path, llvm::StringRef base_dir = "") const;
  // The file holding `loc`'s expansion, relative to the root; empty for no file.
  std::string FileOf(clang::SourceLocation loc, const clang::SourceManager& sm) const;

  const std::string& root() const { return root_; }

 private:
  std::string root_;
};

// The absolute, dot-free name of `file` as `sm`'s file manager resolves it.
std::string AbsoluteName(clang::FileEntryRef file, const clang::SourceManager& sm);

}  // namespace ast_seeder::internal
