// Parameter classification for the seeder. Clang AST and AST matchers only.
#include "ast_seeder/param_classifier.h"

#include <string>

#include "ast_seeder/internal/ast_util.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"

namespace ast_seeder {
namespace {

using internal::ShapeOf;
using internal::ToExactInt;

// Annotation names written by runner/annotations.h.
constexpr llvm::StringLiteral kRangeAnnotation = "kt.range";
constexpr llvm::StringLiteral kBytesAnnotation = "kt.bytes";
constexpr llvm::StringLiteral kFlagsAnnotation = "kt.flags";

// Bind id of the operator| declarations FindEnumsWithBitwiseOr collects.
constexpr llvm::StringLiteral kBitwiseOrId = "bitwise_or";

const clang::AnnotateAttr* FindAnnotation(const clang::Decl& decl, llvm::StringRef name) {
  for (const auto* attr : decl.specific_attrs<clang::AnnotateAttr>()) {
    if (attr->getAnnotation() == name) return attr;
  }
  return nullptr;
}

bool EnumHasAnnotation(const clang::EnumDecl& decl, llvm::StringRef name) {
  for (const clang::TagDecl* redecl : decl.redecls()) {
    if (FindAnnotation(*redecl, name) != nullptr) return true;
  }
  return false;
}

std::optional<llvm::APSInt> EvaluateInt(const clang::Expr* e, const clang::ASTContext& ctx) {
  if (e == nullptr || e->isValueDependent() || !e->getType()->isIntegralOrEnumerationType()) {
    return std::nullopt;
  }
  clang::Expr::EvalResult result;
  if (!e->EvaluateAsInt(result, ctx)) return std::nullopt;
  return result.Val.getInt();
}

// T with one level of `const T&` removed: a kernel may take a string by const reference.
clang::QualType StripConstRef(clang::QualType type) {
  if (const auto* ref = type->getAs<clang::LValueReferenceType>()) {
    if (ref->getPointeeType().isConstQualified()) return ref->getPointeeType();
  }
  return type;
}

// char, wchar_t, char8_t, char16_t, char32_t; not signed/unsigned char, which are
// std::int8_t and std::uint8_t.
bool IsCharacter(clang::QualType canonical) {
  const auto* builtin = canonical->getAs<clang::BuiltinType>();
  if (builtin == nullptr) return false;
  switch (builtin->getKind()) {
    case clang::BuiltinType::Char_S:
    case clang::BuiltinType::Char_U:
    case clang::BuiltinType::WChar_S:
    case clang::BuiltinType::WChar_U:
    case clang::BuiltinType::Char8:
    case clang::BuiltinType::Char16:
    case clang::BuiltinType::Char32:
      return true;
    default:
      return false;
  }
}

// True for an integer type a strong integer may wrap: not bool, not an enum, at most 64 bits.
// Character types are allowed here (the runner's std::integral test admits them), unlike for
// a parameter itself.
bool IsPlainInteger(clang::QualType type, const clang::ASTContext& ctx) {
  const clang::QualType canonical = type.getCanonicalType().getUnqualifiedType();
  return canonical->isIntegerType() && !canonical->isBooleanType() &&
         !canonical->isEnumeralType() && ShapeOf(canonical, ctx).has_value();
}

bool IsStdByte(clang::QualType type) {
  const auto* et = type.getCanonicalType()->getAs<clang::EnumType>();
  return et != nullptr && et->getDecl()->isInStdNamespace() && et->getDecl()->getName() == "byte";
}

// std::string_view and std::string are strings, std::span<const std::byte> (dynamic extent)
// is bytes: exactly the types the runner decodes (runner/invoker.h).
bool IsStringOrBytes(const clang::CXXRecordDecl& decl, ParamKind& kind) {
  const auto* spec = llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(&decl);
  if (spec == nullptr || !spec->isInStdNamespace()) return false;
  const clang::TemplateArgumentList& args = spec->getTemplateArgs();
  if (args.size() == 0 || args[0].getKind() != clang::TemplateArgument::Type) return false;
  const clang::QualType element = args[0].getAsType();
  const llvm::StringRef name = spec->getName();
  if (name == "basic_string_view" || name == "basic_string") {
    kind = ParamKind::kString;
    return element.getCanonicalType()->isSpecificBuiltinType(clang::BuiltinType::Char_S) ||
           element.getCanonicalType()->isSpecificBuiltinType(clang::BuiltinType::Char_U);
  }
  kind = ParamKind::kBytes;
  if (name != "span" || !element.isConstQualified() || !IsStdByte(element)) return false;
  // Only std::dynamic_extent: a fixed extent is an array, not a length the fuzzer chooses.
  return args.size() == 2 && args[1].getKind() == clang::TemplateArgument::Integral &&
         args[1].getAsIntegral().isMaxValue();
}

// The type `decl.value()` returns, when `decl` has a public, non-static, const `value()`
// callable without arguments that returns (a reference to) a plain integer.
std::optional<clang::QualType> ValueAccessorType(const clang::CXXRecordDecl& decl,
                                                 const clang::ASTContext& ctx) {
  for (const clang::CXXMethodDecl* method : decl.methods()) {
    if (method->getIdentifier() == nullptr || method->getName() != "value" || method->isStatic() ||
        !method->isConst() || method->getAccess() != clang::AS_public ||
        method->getMinRequiredArguments() != 0 || method->isDeleted()) {
      continue;
    }
    const clang::QualType type = method->getReturnType().getNonReferenceType();
    if (IsPlainInteger(type, ctx)) return type.getUnqualifiedType();
  }
  return std::nullopt;
}

// True when a public, non-deleted constructor other than copy/move takes one integer: T(v)
// then compiles for the value() type, by an integral conversion where the two differ.
bool ConstructibleFromInteger(const clang::CXXRecordDecl& decl, const clang::ASTContext& ctx) {
  for (const clang::CXXConstructorDecl* ctor : decl.ctors()) {
    if (ctor->isCopyOrMoveConstructor() || ctor->isDeleted() ||
        ctor->getAccess() != clang::AS_public || ctor->getNumParams() == 0 ||
        ctor->getMinRequiredArguments() > 1) {
      continue;
    }
    const clang::QualType param = StripConstRef(ctor->getParamDecl(0)->getType());
    if (!param->isReferenceType() && IsPlainInteger(param, ctx)) {
      return true;
    }
  }
  return false;
}

void SetShape(const internal::IntegerShape& shape, ParamDomain& out) {
  out.bits = shape.bits;
  out.is_signed = shape.is_signed;
  out.lo = shape.lo;
  out.hi = shape.hi;
}

}  // namespace

llvm::DenseSet<const clang::EnumDecl*> FindEnumsWithBitwiseOr(clang::ASTContext& ctx) {
  using namespace clang::ast_matchers;  // NOLINT: matcher DSL
  // operator|(E, E) at any scope, user-declared (a friend or a namespace-scope function).
  const auto bitwise_or =
      functionDecl(hasOverloadedOperatorName("|"), parameterCountIs(2)).bind(kBitwiseOrId);
  llvm::DenseSet<const clang::EnumDecl*> enums;
  for (const BoundNodes& nodes : match(bitwise_or, ctx)) {
    const auto* fn = nodes.getNodeAs<clang::FunctionDecl>(kBitwiseOrId);
    const clang::QualType lhs = StripConstRef(fn->getParamDecl(0)->getType()).getCanonicalType();
    const clang::QualType rhs = StripConstRef(fn->getParamDecl(1)->getType()).getCanonicalType();
    const auto* et = lhs->getAs<clang::EnumType>();
    if (et == nullptr || lhs.getUnqualifiedType() != rhs.getUnqualifiedType()) continue;
    enums.insert(et->getDecl()->getCanonicalDecl());
  }
  return enums;
}

std::optional<ParamDomain> ParamClassifier::Classify(const clang::ParmVarDecl& param,
                                                     unsigned index, llvm::StringRef kernel) const {
  ParamDomain out;
  out.name = param.getName().empty() ? "arg" + std::to_string(index) : param.getNameAsString();
  out.type = internal::QualifiedTypeName(param.getType(), ctx_);
  const clang::SourceLocation loc = param.getLocation();
  const clang::QualType type = StripConstRef(param.getType());
  if (type->isReferenceType() || !ClassifyType(type, out)) {
    diagnoser_.UnsupportedParamType(loc, kernel, out.name, param.getType());
    return std::nullopt;
  }
  if ((out.kind == ParamKind::kEnum || out.kind == ParamKind::kFlags) && out.enumerators.empty()) {
    diagnoser_.EnumWithoutEnumerators(loc, kernel, out.name, param.getType());
    return std::nullopt;
  }
  if (const auto* range = FindAnnotation(param, kRangeAnnotation)) {
    if (!ApplyRange(param, *range, kernel, out)) return std::nullopt;
  }
  if (const auto* bytes = FindAnnotation(param, kBytesAnnotation)) {
    if (!ApplyBytes(param, *bytes, kernel, out)) return std::nullopt;
  }
  return out;
}

bool ParamClassifier::ClassifyType(clang::QualType type, ParamDomain& out) const {
  const clang::QualType canonical = type.getCanonicalType().getUnqualifiedType();
  if (const auto* et = canonical->getAs<clang::EnumType>()) {
    const clang::EnumDecl* def = et->getDecl()->getDefinition();
    if (def == nullptr) {
      out.kind = ParamKind::kEnum;  // opaque: reported as an enum without enumerators
      return true;
    }
    return ClassifyEnum(*def, out);
  }
  if (canonical->isIntegerType()) {
    const std::optional<internal::IntegerShape> shape = ShapeOf(canonical, ctx_);
    // Wider than 64 bits, or a character type: the runner takes neither.
    if (!shape || IsCharacter(canonical)) return false;
    out.kind = canonical->isBooleanType() ? ParamKind::kBool : ParamKind::kInt;
    SetShape(*shape, out);
    return true;
  }
  if (const clang::CXXRecordDecl* record = canonical->getAsCXXRecordDecl()) {
    // A std::vector behind a const& may never have been instantiated: the library types are
    // recognised by name alone, a strong integer needs its constructors.
    const clang::CXXRecordDecl* def = record->getDefinition();
    return ClassifyRecord(def != nullptr ? *def : *record, out);
  }
  return false;
}

bool ParamClassifier::ClassifyEnum(const clang::EnumDecl& decl, ParamDomain& out) const {
  const std::optional<internal::IntegerShape> shape = ShapeOf(ctx_.getEnumType(&decl), ctx_);
  if (!shape) return false;
  SetShape(*shape, out);
  out.underlying = internal::QualifiedTypeName(decl.getIntegerType(), ctx_);
  bool all_powers_of_two = true;
  bool any_nonzero = false;
  for (const clang::EnumConstantDecl* e : decl.enumerators()) {
    const std::optional<ExactInt> value = ToExactInt(e->getInitVal());
    if (!value) return false;
    out.enumerators.push_back({e->getQualifiedNameAsString(), *value});
    if (value->magnitude() == 0) continue;
    any_nonzero = true;
    const std::uint64_t m = value->magnitude();
    all_powers_of_two = all_powers_of_two && !value->negative() && (m & (m - 1)) == 0;
  }
  if (EnumHasAnnotation(decl, kFlagsAnnotation)) {
    out.flags_source = FlagsSource::kAnnotation;
  } else if (any_nonzero && all_powers_of_two &&
             bitwise_or_enums_.contains(decl.getCanonicalDecl())) {
    out.flags_source = FlagsSource::kDetected;
  }
  out.kind = out.flags_source == FlagsSource::kNone ? ParamKind::kEnum : ParamKind::kFlags;
  return true;
}

bool ParamClassifier::ClassifyRecord(const clang::CXXRecordDecl& decl, ParamDomain& out) const {
  ParamKind kind = ParamKind::kString;
  if (IsStringOrBytes(decl, kind)) {
    out.kind = kind;
    out.max_len = kDefaultMaxLen;
    return true;
  }
  if (decl.isUnion() || !decl.hasDefinition()) return false;
  const std::optional<clang::QualType> repr = ValueAccessorType(decl, ctx_);
  if (!repr || !ConstructibleFromInteger(decl, ctx_)) return false;
  const std::optional<internal::IntegerShape> shape = ShapeOf(*repr, ctx_);
  if (!shape) return false;
  out.kind = ParamKind::kStrongInt;
  out.underlying = internal::QualifiedTypeName(*repr, ctx_);
  SetShape(*shape, out);
  return true;
}

bool ParamClassifier::ApplyRange(const clang::ParmVarDecl& param, const clang::AnnotateAttr& range,
                                 llvm::StringRef kernel, ParamDomain& out) const {
  const clang::SourceLocation loc = param.getLocation();
  if (out.kind != ParamKind::kInt && out.kind != ParamKind::kStrongInt) {
    diagnoser_.RangeOnNonInteger(loc, kernel, out.name, ToString(out.kind));
    return false;
  }
  std::optional<ExactInt> bounds[2];
  std::string spelled[2];
  if (range.args_size() != 2) {
    diagnoser_.RangeNotConstant(loc, kernel, out.name);
    return false;
  }
  for (int i = 0; i < 2; ++i) {
    const std::optional<llvm::APSInt> v = EvaluateInt(range.args_begin()[i], ctx_);
    if (v) bounds[i] = ToExactInt(*v);
    if (!bounds[i]) {
      diagnoser_.RangeNotConstant(loc, kernel, out.name);
      return false;
    }
    spelled[i] = bounds[i]->ToDecimal();
  }
  if (*bounds[0] > *bounds[1]) {
    diagnoser_.RangeLoAboveHi(loc, kernel, out.name, spelled[0], spelled[1]);
    return false;
  }
  for (int i = 0; i < 2; ++i) {
    if (*bounds[i] < out.lo || *bounds[i] > out.hi) {
      diagnoser_.RangeOutsideType(loc, kernel, out.name, spelled[i], param.getType());
      return false;
    }
  }
  out.lo = *bounds[0];
  out.hi = *bounds[1];
  out.range_source = RangeSource::kAnnotation;
  return true;
}

bool ParamClassifier::ApplyBytes(const clang::ParmVarDecl& param, const clang::AnnotateAttr& bytes,
                                 llvm::StringRef kernel, ParamDomain& out) const {
  const clang::SourceLocation loc = param.getLocation();
  if (out.kind != ParamKind::kString && out.kind != ParamKind::kBytes) {
    diagnoser_.BytesOnNonString(loc, kernel, out.name);
    return false;
  }
  std::optional<ExactInt> limit;
  if (bytes.args_size() == 1) {
    if (const std::optional<llvm::APSInt> v = EvaluateInt(bytes.args_begin()[0], ctx_)) {
      limit = ToExactInt(*v);
    }
  }
  if (!limit || limit->negative() || limit->magnitude() > kMaxBytesLimit) {
    diagnoser_.BytesInvalid(loc, kernel, out.name, std::to_string(kMaxBytesLimit));
    return false;
  }
  out.max_len = limit->magnitude();
  return true;
}

}  // namespace ast_seeder
