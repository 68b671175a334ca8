// Text comparisons and constant texts for the seeder. Clang AST only.
#include "ast_seeder/string_harvester.h"

#include <array>
#include <string_view>

#include "clang/AST/APValue.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/Basic/OperatorKinds.h"
#include "clang/Basic/SourceManager.h"

namespace ast_seeder {
namespace {

// Variables whose initialisers name further variables are followed this far: a constant
// defined through another, not a chain of any length.
constexpr int kMaxDepth = 4;

constexpr std::array<std::string_view, 9> kCFunctions = {
    "strcmp", "strncmp", "strcasecmp", "strncasecmp", "memcmp",
    "bcmp",   "strstr",  "strcasestr", "memmem"};
constexpr std::array<std::string_view, 6> kMembers = {"compare",  "starts_with", "ends_with",
                                                      "find",     "rfind",       "contains"};

template <std::size_t N>
bool OneOf(std::string_view name, const std::array<std::string_view, N>& names) {
  for (const std::string_view n : names) {
    if (n == name) return true;
  }
  return false;
}

bool IsStdRecord(const clang::CXXRecordDecl* record,
                 std::initializer_list<std::string_view> names) {
  if (record == nullptr || !record->isInStdNamespace() || record->getIdentifier() == nullptr) {
    return false;
  }
  for (const std::string_view n : names) {
    if (std::string_view(record->getName()) == n) return true;
  }
  return false;
}

bool IsComparison(clang::OverloadedOperatorKind op) {
  switch (op) {
    case clang::OO_EqualEqual:
    case clang::OO_ExclaimEqual:
    case clang::OO_Less:
    case clang::OO_Greater:
    case clang::OO_LessEqual:
    case clang::OO_GreaterEqual:
    case clang::OO_Spaceship:
      return true;
    default:
      return false;
  }
}

// Strips what changes an operand's type but not the bytes it points at.
const clang::Expr* Peel(const clang::Expr* e) {
  while (true) {
    e = e->IgnoreParenImpCasts();
    if (const auto* m = llvm::dyn_cast<clang::MaterializeTemporaryExpr>(e)) {
      e = m->getSubExpr();
    } else if (const auto* b = llvm::dyn_cast<clang::CXXBindTemporaryExpr>(e)) {
      e = b->getSubExpr();
    } else if (const auto* f = llvm::dyn_cast<clang::FullExpr>(e)) {
      e = f->getSubExpr();
    } else if (const auto* c = llvm::dyn_cast<clang::ExplicitCastExpr>(e)) {
      e = c->getSubExpr();
    } else {
      return e;
    }
  }
}

std::optional<std::string> Literal(const clang::StringLiteral& s) {
  if (s.getCharByteWidth() != 1) return std::nullopt;
  return s.getBytes().str();
}

bool IsByteElement(clang::QualType element, const clang::ASTContext& ctx) {
  return element->isIntegralOrEnumerationType() && ctx.getTypeSize(element) == 8;
}

// The bytes of a constant array of 1-byte elements, plain or wrapped in a one-field struct
// (std::array).
std::optional<std::string> ArrayBytes(const clang::APValue& v) {
  if (v.isStruct() && v.getStructNumFields() == 1 && v.getStructNumBases() == 0) {
    return ArrayBytes(v.getStructField(0));
  }
  if (!v.isArray()) return std::nullopt;
  std::string bytes;
  for (unsigned i = 0; i < v.getArraySize(); ++i) {
    const clang::APValue& element = i < v.getArrayInitializedElts() ? v.getArrayInitializedElt(i)
                                    : v.hasArrayFiller()              ? v.getArrayFiller()
                                                                      : clang::APValue();
    if (!element.isInt()) return std::nullopt;
    bytes.push_back(static_cast<char>(element.getInt().getZExtValue() & 0xff));
  }
  return bytes;
}

std::optional<std::string> Text(const clang::Expr& expr, const clang::ASTContext& ctx, int depth);

std::optional<std::string> VariableText(const clang::VarDecl& var, const clang::ASTContext& ctx,
                                        int depth) {
  const clang::VarDecl* def = var.getDefinition();
  const clang::VarDecl& v = def != nullptr ? *def : var;
  if (!v.getType().isConstQualified() && !v.isConstexpr()) return std::nullopt;
  const clang::Expr* init = v.getAnyInitializer();
  if (init == nullptr) return std::nullopt;
  if (const std::optional<std::string> text = Text(*init, ctx, depth + 1)) return text;
  const clang::QualType type = v.getType().getNonReferenceType();
  const clang::Type* element = type->getArrayElementTypeNoTypeQual();
  const auto* record = type->getAsCXXRecordDecl();
  const bool byte_array = element != nullptr && IsByteElement(clang::QualType(element, 0), ctx);
  if (!byte_array && !IsStdRecord(record, {"array"})) return std::nullopt;
  const clang::APValue* value = v.evaluateValue();
  if (value == nullptr) return std::nullopt;
  if (!byte_array) {
    // std::array<T, N>: its element type is the template argument.
    const auto* spec = llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(record);
    if (spec == nullptr || spec->getTemplateArgs().size() < 1 ||
        spec->getTemplateArgs()[0].getKind() != clang::TemplateArgument::Type ||
        !IsByteElement(spec->getTemplateArgs()[0].getAsType(), ctx)) {
      return std::nullopt;
    }
  }
  return ArrayBytes(*value);
}

std::optional<std::string> ConstructedText(const clang::CXXConstructExpr& construct,
                                           const clang::ASTContext& ctx, int depth) {
  if (construct.getNumArgs() == 0 || !IsTextClass(construct.getType())) return std::nullopt;
  std::optional<std::string> text = Text(*construct.getArg(0), ctx, depth);
  if (!text || construct.getNumArgs() < 2 ||
      llvm::isa<clang::CXXDefaultArgExpr>(construct.getArg(1))) {
    return text;
  }
  // (pointer, length): the constant length's prefix.
  clang::Expr::EvalResult length;
  if (!construct.getArg(1)->getType()->isIntegerType() ||
      !construct.getArg(1)->EvaluateAsInt(length, ctx)) {
    return std::nullopt;
  }
  const std::uint64_t n = length.Val.getInt().getZExtValue();
  if (n > text->size()) return std::nullopt;
  return text->substr(0, n);
}

std::optional<std::string> Text(const clang::Expr& expr, const clang::ASTContext& ctx, int depth) {
  if (depth > kMaxDepth || expr.isValueDependent() || expr.isTypeDependent()) return std::nullopt;
  const clang::Expr* e = Peel(&expr);
  if (const auto* s = llvm::dyn_cast<clang::StringLiteral>(e)) return Literal(*s);
  // find(':'), starts_with('/'): a text member's character argument is a 1-byte text.
  if (const auto* c = llvm::dyn_cast<clang::CharacterLiteral>(e)) {
    if (c->getKind() != clang::CharacterLiteralKind::Ascii &&
        c->getKind() != clang::CharacterLiteralKind::UTF8) {
      return std::nullopt;
    }
    return std::string(1, static_cast<char>(c->getValue() & 0xff));
  }
  if (const auto* udl = llvm::dyn_cast<clang::UserDefinedLiteral>(e)) {
    if (udl->getLiteralOperatorKind() != clang::UserDefinedLiteral::LOK_String) return std::nullopt;
    return Text(*udl->getArg(0), ctx, depth + 1);
  }
  if (const auto* construct = llvm::dyn_cast<clang::CXXConstructExpr>(e)) {
    return ConstructedText(*construct, ctx, depth + 1);
  }
  if (const auto* member = llvm::dyn_cast<clang::CXXMemberCallExpr>(e)) {
    // .data(), .c_str(), and a string's conversion to string_view.
    const clang::CXXMethodDecl* method = member->getMethodDecl();
    const bool conversion = llvm::isa_and_nonnull<clang::CXXConversionDecl>(method) &&
                            IsTextClass(member->getType());
    const bool accessor = method != nullptr && method->getIdentifier() != nullptr &&
                          (method->getName() == "data" || method->getName() == "c_str");
    if (!conversion && !accessor) return std::nullopt;
    return Text(*member->getImplicitObjectArgument(), ctx, depth + 1);
  }
  if (const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(e)) {
    if (const auto* var = llvm::dyn_cast<clang::VarDecl>(ref->getDecl())) {
      return VariableText(*var, ctx, depth);
    }
  }
  return std::nullopt;
}

}  // namespace

bool IsTextClass(clang::QualType type) {
  return IsStdRecord(type.getNonReferenceType()->getAsCXXRecordDecl(),
                     {"basic_string", "basic_string_view"});
}

std::optional<std::string> TextCompareName(const clang::CallExpr& call) {
  const clang::FunctionDecl* fn = call.getDirectCallee();
  if (fn == nullptr) return std::nullopt;
  if (const auto* op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(&call)) {
    if (!IsComparison(op->getOperator())) return std::nullopt;
    for (const clang::Expr* arg : op->arguments()) {
      if (IsTextClass(arg->getType())) {
        return std::string("operator") + clang::getOperatorSpelling(op->getOperator());
      }
    }
    return std::nullopt;
  }
  if (fn->getIdentifier() == nullptr) return std::nullopt;
  std::string_view name = fn->getName();
  if (const auto* method = llvm::dyn_cast<clang::CXXMethodDecl>(fn)) {
    const clang::CXXRecordDecl* record = method->getParent();
    const bool text_member = IsStdRecord(record, {"basic_string", "basic_string_view"}) &&
                             OneOf(name, kMembers);
    const bool traits_compare = IsStdRecord(record, {"char_traits"}) && name == "compare";
    if (text_member || traits_compare) return std::string(name);
    return std::nullopt;
  }
  const bool builtin = fn->getBuiltinID() != 0;
  if (builtin && name.starts_with("__builtin_")) name.remove_prefix(10);
  if (!OneOf(name, kCFunctions)) return std::nullopt;
  // glibc's <string.h> declares C++ overloads (extern "C++" const char* strstr(const char*,
  // const char*)) at global scope in a system header; a user's function of the same name is
  // neither there nor C.
  const bool system_global =
      fn->getDeclContext()->getRedeclContext()->isTranslationUnit() &&
      fn->getASTContext().getSourceManager().isInSystemHeader(fn->getLocation());
  if (!builtin && !fn->isExternC() && !fn->isInStdNamespace() && !system_global) {
    return std::nullopt;
  }
  return std::string(name);
}

std::optional<std::string> ConstantText(const clang::Expr& e, const clang::ASTContext& ctx) {
  std::optional<std::string> text = Text(e, ctx, 0);
  if (text && text->empty()) return std::nullopt;
  return text;
}

}  // namespace ast_seeder
