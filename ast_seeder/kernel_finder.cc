// Kernel discovery for the seeder. Clang AST and AST matchers only.
#include "ast_seeder/kernel_finder.h"

#include "ast_seeder/param_classifier.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Basic/SourceManager.h"

namespace ast_seeder {

// Spelled out: AST_MATCHER_P below declares a nested `internal` namespace of its own.
using ::ast_seeder::internal::PathMapper;
using ::ast_seeder::internal::QualifiedTypeName;

namespace {

using namespace clang::ast_matchers;  // NOLINT: matcher DSL

// The annotation KT_KERNEL puts on its registration variable.
constexpr llvm::StringLiteral kKernelAnnotation = "kt.kernel";

// Bind ids.
constexpr llvm::StringLiteral kRegistrationId = "registration";
constexpr llvm::StringLiteral kTargetId = "target";

// A declaration carrying [[clang::annotate(name, ...)]].
AST_MATCHER_P(clang::Decl, hasAnnotation, std::string, name) {
  for (const auto* attr : Node.specific_attrs<clang::AnnotateAttr>()) {
    if (attr->getAnnotation() == name) return true;
  }
  return false;
}

// The registration variable: annotated "kt.kernel", written by the user (not an instantiation
// of a templated variable, whose pattern is matched instead).
auto KernelRegistration() {
  return varDecl(hasAnnotation(kKernelAnnotation.str()), unless(isInstantiated()))
      .bind(kRegistrationId);
}

// `&X` in the initializer: the reference the seeder follows. X is bound whatever it declares,
// so a registration of a variable is diagnosed instead of silently ignored.
auto AddressOfDeclaration() {
  return unaryOperator(hasOperatorName("&"),
                       hasUnaryOperand(ignoringParenImpCasts(declRefExpr().bind(kTargetId))));
}

std::string KernelNameOf(const clang::VarDecl& var) {
  for (const auto* attr : var.specific_attrs<clang::AnnotateAttr>()) {
    if (attr->getAnnotation() != kKernelAnnotation || attr->args_size() != 1) continue;
    const clang::Expr* arg = attr->args_begin()[0]->IgnoreParenImpCasts();
    if (const auto* literal = llvm::dyn_cast<clang::StringLiteral>(arg)) {
      if (literal->isOrdinary() || literal->isUTF8()) return literal->getString().str();
    }
  }
  return "";
}

// The function the registration's initializer takes the address of, or nullptr after a
// diagnostic.
const clang::FunctionDecl* KernelTarget(const clang::VarDecl& var, clang::SourceLocation where,
                                        llvm::StringRef name, clang::ASTContext& ctx,
                                        Diagnoser& diagnoser) {
  const clang::Expr* init = var.getInit();
  const clang::DeclRefExpr* target = nullptr;
  if (init != nullptr) {
    const auto found = match(findAll(AddressOfDeclaration()), *init, ctx);
    if (!found.empty()) target = found.front().getNodeAs<clang::DeclRefExpr>(kTargetId);
  }
  if (target == nullptr) {
    diagnoser.KernelNotFunction(where, name);
    return nullptr;
  }
  const auto* fn = llvm::dyn_cast<clang::FunctionDecl>(target->getDecl());
  const auto* method = llvm::dyn_cast_or_null<clang::CXXMethodDecl>(fn);
  if (fn == nullptr || (method != nullptr && !method->isStatic())) {
    diagnoser.KernelNamesNonFunction(where, name, target->getDecl()->getQualifiedNameAsString());
    return nullptr;
  }
  if (fn->isVariadic()) {
    diagnoser.KernelVariadic(where, name);
    return nullptr;
  }
  return fn;
}

}  // namespace

bool IsValidKernelName(llvm::StringRef name) {
  if (name.empty() || name.front() == '.') return false;
  return llvm::all_of(name,
                      [](char c) { return llvm::isAlnum(c) || c == '.' || c == '_' || c == '-'; });
}

ReturnInfo ClassifyReturn(clang::QualType type, const clang::ASTContext& ctx) {
  ReturnInfo info;
  info.type = QualifiedTypeName(type, ctx);
  if (type->isVoidType()) return info;
  info.kind = ReturnKind::kValue;
  info.value_type = info.type;
  const auto* spec = llvm::dyn_cast_or_null<clang::ClassTemplateSpecializationDecl>(
      type.getCanonicalType()->getAsCXXRecordDecl());
  if (spec == nullptr) return info;
  const llvm::StringRef name = spec->getName();
  const bool outcome = name == "basic_result" || name == "basic_outcome";
  const bool expected = name == "expected" && spec->isInStdNamespace();
  const clang::TemplateArgumentList& args = spec->getTemplateArgs();
  if ((outcome || expected) && args.size() > 0 &&
      args[0].getKind() == clang::TemplateArgument::Type) {
    info.kind = ReturnKind::kResult;
    info.value_type = QualifiedTypeName(args[0].getAsType(), ctx);
  }
  return info;
}

std::vector<FoundKernel> FindKernels(clang::ASTContext& ctx, Diagnoser& diagnoser,
                                     const PathMapper& paths) {
  const llvm::DenseSet<const clang::EnumDecl*> or_enums = FindEnumsWithBitwiseOr(ctx);
  const ParamClassifier classifier(ctx, diagnoser, or_enums);
  const clang::SourceManager& sm = ctx.getSourceManager();
  std::vector<FoundKernel> kernels;
  for (const BoundNodes& nodes : match(KernelRegistration(), ctx)) {
    const auto* var = nodes.getNodeAs<clang::VarDecl>(kRegistrationId);
    // Where KT_KERNEL is written, not inside its expansion: one line, no macro backtrace.
    const clang::SourceLocation where = sm.getExpansionLoc(var->getLocation());
    const std::string name = KernelNameOf(*var);
    if (!IsValidKernelName(name)) {
      diagnoser.InvalidKernelName(where, name);
      continue;
    }
    const clang::FunctionDecl* fn = KernelTarget(*var, where, name, ctx, diagnoser);
    if (fn == nullptr) continue;
    // Attributes on parameters flow to later redeclarations, so the newest one has them all.
    const clang::FunctionDecl* latest = fn->getMostRecentDecl();
    const clang::FunctionDecl* located = fn->getDefinition() ? fn->getDefinition() : latest;
    FoundKernel found{{}, fn, where};
    KernelDomain& domain = found.domain;
    domain.name = name;
    domain.function = fn->getQualifiedNameAsString();
    domain.source = paths.FileOf(located->getLocation(), sm);
    domain.line = sm.getExpansionLineNumber(located->getLocation());
    domain.ret = ClassifyReturn(fn->getReturnType(), ctx);
    bool ok = true;
    for (unsigned i = 0; i < latest->getNumParams(); ++i) {
      std::optional<ParamDomain> param = classifier.Classify(*latest->getParamDecl(i), i, name);
      if (param) domain.params.push_back(std::move(*param));
      ok = ok && param.has_value();
    }
    if (ok) kernels.push_back(std::move(found));
  }
  return kernels;
}

}  // namespace ast_seeder
