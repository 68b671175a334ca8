// Classifies one kernel parameter into its permutation domain (kind, representation, range,
// enumerators, length limit), reporting unsupported types and bad annotations as diagnostics.
// Clang AST only; never walks function bodies.
#pragma once

#include <cstdint>
#include <optional>

#include "ast_seeder/diagnostics.h"
#include "ast_seeder/domain.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringRef.h"

namespace ast_seeder {

// The length limit of a string or bytes parameter without KT_BYTES: libFuzzer's default
// -max_len, so a kernel driven by both sees the same inputs.
inline constexpr std::uint64_t kDefaultMaxLen = 4096;
// The largest KT_BYTES accepted: beyond 1 MiB one execution costs more than a row is worth.
inline constexpr std::uint64_t kMaxBytesLimit = std::uint64_t{1} << 20;

// The canonical declarations of the enums that have a user-declared `operator|(E, E)` in the
// translation unit: half of the flag-enum detection rule (see ParamClassifier).
llvm::DenseSet<const clang::EnumDecl*> FindEnumsWithBitwiseOr(clang::ASTContext& ctx);

// Thread-compatible; borrows everything it is given for its lifetime.
//
// Rules (docs/seeder-json.md has the full table). They accept exactly the parameter types the
// runner can decode (runner/invoker.h), so a kernel the seeder takes also compiles there:
// - `bool` is kind bool; any other integer type of at most 64 bits except the character
//   types (char, wchar_t, char8_t, char16_t, char32_t) is kind int.
// - An enum is kind flags when the enum carries KT_FLAGS, or when it has at least one
//   non-zero enumerator, every non-zero enumerator is a power of two, and an
//   `operator|(E, E)` is declared in the translation unit; otherwise kind enum.
// - A class (not a union) is kind strong_int when it has a public, non-static, const
//   `value()` callable without arguments returning (a reference to) an integer type I of at
//   most 64 bits, not bool, and a public, non-deleted constructor other than copy/move whose
//   first parameter is an integer type (not bool, not an enum), by value or const reference,
//   with every further parameter defaulted; `explicit` does not matter, other constructors
//   are allowed, constructor templates do not count. Its representation is I, so
//   vfio::Addr<Tag> (explicit Addr(uint64_t), uint64_t value() const) is a 64-bit unsigned.
// - std::string_view and std::string are kind string; std::span<const std::byte> with dynamic
//   extent is kind bytes.
// - `const T&` is classified as T; any other reference or pointer is unsupported.
// - KT_RANGE(lo, hi) applies to int and strong_int: lo <= hi, both inside the type.
// - KT_BYTES(n) applies to string and bytes: 0 <= n <= kMaxBytesLimit.
//
// Example usage:
//   ParamClassifier classifier(ctx, diagnoser, FindEnumsWithBitwiseOr(ctx));
//   std::optional<ParamDomain> domain = classifier.Classify(*param, 0, "dma.map_two");
class ParamClassifier {
 public:
  ParamClassifier(const clang::ASTContext& ctx, Diagnoser& diagnoser,
                  const llvm::DenseSet<const clang::EnumDecl*>& bitwise_or_enums)
      : ctx_(ctx), diagnoser_(diagnoser), bitwise_or_enums_(bitwise_or_enums) {}

  // The domain of `param`, the `index`th parameter of `kernel`; nullopt after a diagnostic.
  std::optional<ParamDomain> Classify(const clang::ParmVarDecl& param, unsigned index,
                                      llvm::StringRef kernel) const;

 private:
  bool ClassifyType(clang::QualType type, ParamDomain& out) const;
  bool ClassifyEnum(const clang::EnumDecl& decl, ParamDomain& out) const;
  bool ClassifyRecord(const clang::CXXRecordDecl& decl, ParamDomain& out) const;
  bool ApplyRange(const clang::ParmVarDecl& param, const clang::AnnotateAttr& range,
                  llvm::StringRef kernel, ParamDomain& out) const;
  bool ApplyBytes(const clang::ParmVarDecl& param, const clang::AnnotateAttr& bytes,
                  llvm::StringRef kernel, ParamDomain& out) const;

  const clang::ASTContext& ctx_;
  Diagnoser& diagnoser_;
  const llvm::DenseSet<const clang::EnumDecl*>& bitwise_or_enums_;
};

}  // namespace ast_seeder
