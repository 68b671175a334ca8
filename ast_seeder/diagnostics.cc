// The seeder's error texts. Each names the kernel and, where there is one, the parameter, so a
// message read out of context still says what to fix. Clang Basic/AST only.
#include "ast_seeder/diagnostics.h"

namespace ast_seeder {

void Diagnoser::KernelNotFunction(clang::SourceLocation loc, llvm::StringRef kernel) {
  Report(loc, "kernel '%0' does not name a function: KT_KERNEL takes a function declared before it")
      << kernel;
}

void Diagnoser::KernelNamesNonFunction(clang::SourceLocation loc, llvm::StringRef kernel,
                                       llvm::StringRef referenced) {
  Report(loc, "kernel '%0' names '%1', which is not a function") << kernel << referenced;
}

void Diagnoser::KernelVariadic(clang::SourceLocation loc, llvm::StringRef kernel) {
  Report(loc,
         "kernel '%0' is variadic: a kernel's parameters are its permuted inputs, so the "
         "list must be fixed")
      << kernel;
}

void Diagnoser::InvalidKernelName(clang::SourceLocation loc, llvm::StringRef kernel) {
  Report(loc,
         "kernel name '%0' is not usable as a file name: use letters, digits, '.', '_' and "
         "'-', not starting with '.'")
      << kernel;
}

void Diagnoser::DuplicateKernel(clang::SourceLocation loc, llvm::StringRef kernel,
                                llvm::StringRef first) {
  Report(loc, "kernel name '%0' is already registered at %1") << kernel << first;
}

void Diagnoser::UnsupportedParamType(clang::SourceLocation loc, llvm::StringRef kernel,
                                     llvm::StringRef param, clang::QualType type) {
  Report(loc,
         "kernel '%0': parameter '%1' has unsupported type %2 (supported: bool, integers "
         "other than characters, enums, strong integer wrappers, std::string_view, "
         "std::string, std::span<const std::byte>)")
      << kernel << param << type;
}

void Diagnoser::EnumWithoutEnumerators(clang::SourceLocation loc, llvm::StringRef kernel,
                                       llvm::StringRef param, clang::QualType type) {
  Report(loc, "kernel '%0': parameter '%1' has enum type %2, which has no enumerators to permute")
      << kernel << param << type;
}

void Diagnoser::RangeNotConstant(clang::SourceLocation loc, llvm::StringRef kernel,
                                 llvm::StringRef param) {
  Report(loc, "kernel '%0': parameter '%1': KT_RANGE needs two integer constants")
      << kernel << param;
}

void Diagnoser::RangeLoAboveHi(clang::SourceLocation loc, llvm::StringRef kernel,
                               llvm::StringRef param, llvm::StringRef lo, llvm::StringRef hi) {
  Report(loc, "kernel '%0': parameter '%1': KT_RANGE(%2, %3) has lo > hi")
      << kernel << param << lo << hi;
}

void Diagnoser::RangeOutsideType(clang::SourceLocation loc, llvm::StringRef kernel,
                                 llvm::StringRef param, llvm::StringRef bound,
                                 clang::QualType type) {
  Report(loc, "kernel '%0': parameter '%1': KT_RANGE bound %2 does not fit its type %3")
      << kernel << param << bound << type;
}

void Diagnoser::RangeOnNonInteger(clang::SourceLocation loc, llvm::StringRef kernel,
                                  llvm::StringRef param, llvm::StringRef kind) {
  Report(loc,
         "kernel '%0': parameter '%1': KT_RANGE applies to integer and strong integer "
         "parameters, not to a parameter of kind '%2'")
      << kernel << param << kind;
}

void Diagnoser::BytesOnNonString(clang::SourceLocation loc, llvm::StringRef kernel,
                                 llvm::StringRef param) {
  Report(loc, "kernel '%0': parameter '%1': KT_BYTES applies to string and byte-span parameters")
      << kernel << param;
}

void Diagnoser::BytesInvalid(clang::SourceLocation loc, llvm::StringRef kernel,
                             llvm::StringRef param, llvm::StringRef limit) {
  Report(loc, "kernel '%0': parameter '%1': KT_BYTES needs one integer constant in [0, %2]")
      << kernel << param << limit;
}

}  // namespace ast_seeder
