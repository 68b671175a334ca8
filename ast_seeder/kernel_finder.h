// Finds the KT_KERNEL registrations of one translation unit and turns each kernel's signature
// into a KernelDomain (everything but the harvested constants). Clang AST and AST matchers
// only; errors go through the Diagnoser.
#pragma once

#include <string>
#include <vector>

#include "ast_seeder/diagnostics.h"
#include "ast_seeder/domain.h"
#include "ast_seeder/internal/ast_util.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"

namespace ast_seeder {

struct FoundKernel {
  KernelDomain domain;                  // constants not yet harvested
  const clang::FunctionDecl* function;  // the declaration the registration names
  clang::SourceLocation registration;   // of the KT_KERNEL variable
};

// Every kernel registered in `ctx`, in source order. A kernel is a variable annotated
// "kt.kernel" (runner/annotations.h: KT_INTERNAL_KERNEL_ANNOTATION) whose initializer takes
// the address of a function: the first `&F` in it names the kernel. Registrations in error
// (not a function, a variadic function, an unusable name, an unsupported parameter or a bad
// annotation) are reported and left out.
std::vector<FoundKernel> FindKernels(clang::ASTContext& ctx, Diagnoser& diagnoser,
                                     const internal::PathMapper& paths);

// kResult for Boost.Outcome's basic_result/basic_outcome and std::expected (value_type is their
// T), kVoid for void, otherwise kValue.
ReturnInfo ClassifyReturn(clang::QualType type, const clang::ASTContext& ctx);

// True for a name usable as "<name>.json": [A-Za-z0-9._-]+, not starting with '.'.
bool IsValidKernelName(llvm::StringRef name);

}  // namespace ast_seeder
