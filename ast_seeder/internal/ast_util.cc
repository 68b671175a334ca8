// AST helpers for the seeder. Clang AST and LLVM Support only.
#include "ast_seeder/internal/ast_util.h"

#include "clang/AST/QualTypeNames.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace ast_seeder::internal {
namespace {

std::string Normalize(llvm::StringRef path, llvm::StringRef base_dir) {
  llvm::SmallString<256> out(path);
  if (!llvm::sys::path::is_absolute(out)) {
    if (base_dir.empty()) {
      llvm::sys::fs::make_absolute(out);
    } else {
      llvm::SmallString<256> joined(base_dir);
      llvm::sys::path::append(joined, path);
      out = joined;
    }
  }
  llvm::sys::path::remove_dots(out, /*remove_dot_dot=*/true);
  return std::string(out);
}

}  // namespace

std::optional<ExactInt> ToExactInt(const llvm::APSInt& v) {
  if (v.isSigned() && v.isNegative()) {
    if (v.getSignificantBits() > 64) return std::nullopt;
    return ExactInt::FromSigned(v.getSExtValue());
  }
  if (v.getActiveBits() > 64) return std::nullopt;
  return ExactInt::FromUnsigned(v.getZExtValue());
}

std::optional<IntegerShape> ShapeOf(clang::QualType type, const clang::ASTContext& ctx) {
  type = type.getCanonicalType().getUnqualifiedType();
  if (const auto* et = type->getAs<clang::EnumType>()) {
    const clang::EnumDecl* decl = et->getDecl()->getDefinition();
    if (decl == nullptr) return std::nullopt;
    type = decl->getIntegerType();
    if (type.isNull()) return std::nullopt;
  }
  if (!type->isIntegerType()) return std::nullopt;
  IntegerShape shape;
  shape.bits = static_cast<unsigned>(ctx.getIntWidth(type));
  if (shape.bits == 0 || shape.bits > 64) return std::nullopt;
  shape.is_signed = type->isSignedIntegerType();
  const llvm::APSInt lo = llvm::APSInt::getMinValue(shape.bits, !shape.is_signed);
  const llvm::APSInt hi = llvm::APSInt::getMaxValue(shape.bits, !shape.is_signed);
  shape.lo = *ToExactInt(lo);
  shape.hi = *ToExactInt(hi);
  return shape;
}

std::string QualifiedTypeName(clang::QualType type, const clang::ASTContext& ctx) {
  clang::PrintingPolicy policy(ctx.getLangOpts());
  policy.SuppressUnwrittenScope = true;  // no "(anonymous namespace)::" or inline namespaces
  policy.FullyQualifiedName = true;
  return clang::TypeName::getFullyQualifiedName(type, ctx, policy);
}

PathMapper::PathMapper(llvm::StringRef root) : root_(Normalize(root, "")) {}

std::string PathMapper::Relative(llvm::StringRef path, llvm::StringRef base_dir) const {
  const std::string abs = Normalize(path, base_dir);
  llvm::SmallVector<llvm::StringRef, 16> from;
  llvm::SmallVector<llvm::StringRef, 16> to;
  for (auto it = llvm::sys::path::begin(root_), end = llvm::sys::path::end(root_); it != end;
       ++it) {
    from.push_back(*it);
  }
  for (auto it = llvm::sys::path::begin(abs), end = llvm::sys::path::end(abs); it != end; ++it) {
    to.push_back(*it);
  }
  std::size_t common = 0;
  while (common < from.size() && common < to.size() && from[common] == to[common]) ++common;
  llvm::SmallString<256> out;
  for (std::size_t i = common; i < from.size(); ++i) llvm::sys::path::append(out, "..");
  for (std::size_t i = common; i < to.size(); ++i) llvm::sys::path::append(out, to[i]);
  return std::string(out);
}

std::string PathMapper::FileOf(clang::SourceLocation loc, const clang::SourceManager& sm) const {
  const clang::SourceLocation expansion = sm.getExpansionLoc(loc);
  const clang::OptionalFileEntryRef file = sm.getFileEntryRefForID(sm.getFileID(expansion));
  if (!file) return "";
  return Relative(AbsoluteName(*file, sm));
}

std::string AbsoluteName(clang::FileEntryRef file, const clang::SourceManager& sm) {
  llvm::SmallString<256> name(file.getName());
  sm.getFileManager().makeAbsolutePath(name);
  llvm::sys::path::remove_dots(name, /*remove_dot_dot=*/true);
  return std::string(name);
}

}  // namespace ast_seeder::internal
