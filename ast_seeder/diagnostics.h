// The seeder's own errors, reported through Clang's DiagnosticsEngine so they print in the
// compiler's "file:line:col: error: ..." form and count toward the tool's exit status.
// Clang Basic/AST only.
#pragma once

#include <string>

#include "clang/AST/Type.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/StringRef.h"

namespace ast_seeder {

// Reports seeder errors at AST locations. Thread-compatible; borrows the engine, which must
// outlive it. Every method emits exactly one error.
class Diagnoser {
 public:
  explicit Diagnoser(clang::DiagnosticsEngine& engine) : engine_(engine) {}

  // The registration's initializer does not take the address of a function.
  void KernelNotFunction(clang::SourceLocation loc, llvm::StringRef kernel);
  // The registration takes the address of `referenced`, a declaration of another kind.
  void KernelNamesNonFunction(clang::SourceLocation loc, llvm::StringRef kernel,
                              llvm::StringRef referenced);
  void KernelVariadic(clang::SourceLocation loc, llvm::StringRef kernel);
  void InvalidKernelName(clang::SourceLocation loc, llvm::StringRef kernel);
  void DuplicateKernel(clang::SourceLocation loc, llvm::StringRef kernel, llvm::StringRef first);

  void UnsupportedParamType(clang::SourceLocation loc, llvm::StringRef kernel,
                            llvm::StringRef param, clang::QualType type);
  void EnumWithoutEnumerators(clang::SourceLocation loc, llvm::StringRef kernel,
                              llvm::StringRef param, clang::QualType type);
  void RangeNotConstant(clang::SourceLocation loc, llvm::StringRef kernel, llvm::StringRef param);
  void RangeLoAboveHi(clang::SourceLocation loc, llvm::StringRef kernel, llvm::StringRef param,
                      llvm::StringRef lo, llvm::StringRef hi);
  void RangeOutsideType(clang::SourceLocation loc, llvm::StringRef kernel, llvm::StringRef param,
                        llvm::StringRef bound, clang::QualType type);
  void RangeOnNonInteger(clang::SourceLocation loc, llvm::StringRef kernel, llvm::StringRef param,
                         llvm::StringRef kind);
  void BytesOnNonString(clang::SourceLocation loc, llvm::StringRef kernel, llvm::StringRef param);
  void BytesInvalid(clang::SourceLocation loc, llvm::StringRef kernel, llvm::StringRef param,
                    llvm::StringRef limit);

 private:
  template <unsigned N>
  clang::DiagnosticBuilder Report(clang::SourceLocation loc, const char (&format)[N]) {
    return engine_.Report(loc, engine_.getCustomDiagID(clang::DiagnosticsEngine::Error, format));
  }

  clang::DiagnosticsEngine& engine_;
};

}  // namespace ast_seeder
