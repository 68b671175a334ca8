// Constant and string harvesting for the seeder: one RecursiveASTVisitor per function body
// and a breadth-first walk over calls. Clang AST only.
#include "ast_seeder/constant_harvester.h"

#include <deque>
#include <set>
#include <utility>

#include "ast_seeder/string_harvester.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"

namespace ast_seeder {
namespace {

// How an operator uses a constant operand, or nullopt for operators that carry none
// (assignment, comma, logical and/or, pointer-to-member).
std::optional<ConstantUse> UseOf(clang::BinaryOperatorKind op) {
  using BO = clang::BinaryOperatorKind;
  switch (op) {
    case BO::BO_EQ:
    case BO::BO_NE:
    case BO::BO_LT:
    case BO::BO_GT:
    case BO::BO_LE:
    case BO::BO_GE:
    case BO::BO_Cmp:
      return ConstantUse::kCompare;
    case BO::BO_And:
    case BO::BO_Or:
    case BO::BO_Xor:
    case BO::BO_AndAssign:
    case BO::BO_OrAssign:
    case BO::BO_XorAssign:
      return ConstantUse::kMask;
    case BO::BO_Add:
    case BO::BO_Sub:
    case BO::BO_Mul:
    case BO::BO_Div:
    case BO::BO_Rem:
    case BO::BO_Shl:
    case BO::BO_Shr:
    case BO::BO_AddAssign:
    case BO::BO_SubAssign:
    case BO::BO_MulAssign:
    case BO::BO_DivAssign:
    case BO::BO_RemAssign:
    case BO::BO_ShlAssign:
    case BO::BO_ShrAssign:
      return ConstantUse::kBound;
    default:
      return std::nullopt;
  }
}

// Collects one function's constants, strings and direct callees.
class BodyVisitor : public clang::RecursiveASTVisitor<BodyVisitor> {
 public:
  BodyVisitor(const clang::ASTContext& ctx, const internal::PathMapper& paths,
              std::vector<HarvestedConstant>& out, std::vector<HarvestedString>& strings)
      : ctx_(ctx), sm_(ctx.getSourceManager()), paths_(paths), out_(out), strings_(strings) {}

  const std::vector<const clang::FunctionDecl*>& callees() const { return callees_; }

  bool VisitBinaryOperator(clang::BinaryOperator* bo) {
    VisitOperands(bo->getOpcode(), bo->getLHS(), bo->getRHS());
    return true;
  }

  // A user-declared operator (`flags & Flag::kA` on a flag enum) uses its operands as the
  // built-in one would.
  bool VisitCXXOperatorCallExpr(clang::CXXOperatorCallExpr* call) {
    // isInfixBinaryOp: never a call, subscript or postfix ++/--, which have no binary opcode.
    if (call->isInfixBinaryOp()) {
      VisitOperands(clang::BinaryOperator::getOverloadedOpcode(call->getOperator()),
                    call->getArg(0), call->getArg(1));
    }
    return true;
  }

  bool VisitCaseStmt(clang::CaseStmt* cs) {
    Record(cs->getLHS(), ConstantUse::kSwitch);
    if (cs->getRHS() != nullptr) Record(cs->getRHS(), ConstantUse::kSwitch);  // GNU case a ... b
    return true;
  }

  bool VisitDeclRefExpr(clang::DeclRefExpr* ref) {
    if (llvm::isa<clang::EnumConstantDecl>(ref->getDecl()) && !claimed_.contains(ref)) {
      Record(ref, ConstantUse::kEnumerator);
    }
    return true;
  }

  bool VisitCallExpr(clang::CallExpr* call) {
    if (const clang::FunctionDecl* callee = call->getDirectCallee()) callees_.push_back(callee);
    if (const std::optional<std::string> via = TextCompareName(*call)) {
      for (const clang::Expr* arg : call->arguments()) RecordText(arg, *via);
      if (const auto* member = llvm::dyn_cast<clang::CXXMemberCallExpr>(call)) {
        RecordText(member->getImplicitObjectArgument(), *via);
      }
    }
    return true;
  }

  // `a != b` on strings, which C++20 rewrites as !(a == b): the visitor walks the operands
  // as written, not the operator== call inside.
  bool VisitCXXRewrittenBinaryOperator(clang::CXXRewrittenBinaryOperator* op) {
    const clang::CXXRewrittenBinaryOperator::DecomposedForm form = op->getDecomposedForm();
    if (!clang::BinaryOperator::isComparisonOp(form.Opcode)) return true;
    if (!IsTextClass(form.LHS->getType()) && !IsTextClass(form.RHS->getType())) return true;
    const std::string via = "operator" + clang::BinaryOperator::getOpcodeStr(form.Opcode).str();
    RecordText(form.LHS, via);
    RecordText(form.RHS, via);
    return true;
  }

  bool VisitCXXConstructExpr(clang::CXXConstructExpr* construct) {
    callees_.push_back(construct->getConstructor());
    return true;
  }

 private:
  void VisitOperands(clang::BinaryOperatorKind op, const clang::Expr* lhs, const clang::Expr* rhs) {
    const std::optional<ConstantUse> use = UseOf(op);
    if (!use) return;
    const bool lhs_constant = IsConstant(lhs);
    const bool rhs_constant = IsConstant(rhs);
    // Both constant: a constant subexpression, harvested (whole) by the operation using it.
    if (lhs_constant && !rhs_constant) Record(lhs, *use);
    if (rhs_constant && !lhs_constant) Record(rhs, *use);
  }

  bool IsConstant(const clang::Expr* e) const {
    if (e->isValueDependent() || e->isTypeDependent() ||
        !e->getType()->isIntegralOrEnumerationType()) {
      return false;
    }
    clang::Expr::EvalResult result;
    return e->EvaluateAsInt(result, ctx_);
  }

  void Record(const clang::Expr* e, ConstantUse use) {
    // `t == true` compares ints after promotion; the constant as written is still a bool.
    if (e->isValueDependent() || e->getType()->isBooleanType() ||
        e->IgnoreParenImpCasts()->getType()->isBooleanType()) {
      return;
    }
    clang::Expr::EvalResult result;
    if (!e->getType()->isIntegralOrEnumerationType() || !e->EvaluateAsInt(result, ctx_)) return;
    const std::optional<ExactInt> value = internal::ToExactInt(result.Val.getInt());
    const std::optional<internal::IntegerShape> shape = internal::ShapeOf(e->getType(), ctx_);
    if (!value || !shape) return;
    const clang::SourceLocation loc = e->getBeginLoc();
    out_.push_back({*value, shape->bits, shape->is_signed, use, paths_.FileOf(loc, sm_),
                    sm_.getExpansionLineNumber(loc)});
    Claim(e);
  }

  void RecordText(const clang::Expr* e, const std::string& via) {
    if (e == nullptr) return;
    std::optional<std::string> bytes = ConstantText(*e, ctx_);
    if (!bytes) return;
    const clang::SourceLocation loc = e->getBeginLoc();
    strings_.push_back(
        {std::move(*bytes), via, paths_.FileOf(loc, sm_), sm_.getExpansionLineNumber(loc)});
  }

  // The enumerators inside a recorded constant are part of it, not separate seeds.
  void Claim(const clang::Stmt* s) {
    if (s == nullptr) return;
    if (const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(s)) claimed_.insert(ref);
    for (const clang::Stmt* child : s->children()) Claim(child);
  }

  const clang::ASTContext& ctx_;
  const clang::SourceManager& sm_;
  const internal::PathMapper& paths_;
  std::vector<HarvestedConstant>& out_;
  std::vector<HarvestedString>& strings_;
  std::vector<const clang::FunctionDecl*> callees_;
  llvm::DenseSet<const clang::DeclRefExpr*> claimed_;
};

// A key that names one function across TUs (its USR), or within one AST when it has none.
std::string KeyOf(const clang::FunctionDecl& fn) {
  std::string usr = UsrOf(fn);
  if (!usr.empty()) return usr;
  return "ptr:" + std::to_string(reinterpret_cast<std::uintptr_t>(fn.getCanonicalDecl()));
}

bool InSystemHeader(const clang::FunctionDecl& fn) {
  return fn.getASTContext().getSourceManager().isInSystemHeader(fn.getLocation());
}

}  // namespace

ConstantHarvester::Harvested ConstantHarvester::Harvest(const clang::FunctionDecl& kernel,
                                                        const std::string& main_file) {
  Harvested out;
  std::set<std::string> visited;
  std::deque<std::pair<const clang::FunctionDecl*, unsigned>> queue;
  // Breadth first, so a function reached at several depths is walked at the smallest and
  // the depth limit cuts every path at the same distance.
  const auto enqueue = [&](const clang::FunctionDecl& fn, unsigned depth) {
    if (depth > max_depth_ || InSystemHeader(fn) || !visited.insert(KeyOf(fn)).second) return;
    const clang::FunctionDecl* def = nullptr;
    if (!fn.hasBody(def) && index_ != nullptr) def = index_->FindDefinition(fn, main_file);
    if (def != nullptr && def->getBody() != nullptr) queue.emplace_back(def, depth);
  };
  enqueue(kernel, 0);
  while (!queue.empty()) {
    const auto [fn, depth] = queue.front();
    queue.pop_front();
    BodyVisitor visitor(fn->getASTContext(), paths_, out.constants, out.strings);
    if (const auto* ctor = llvm::dyn_cast<clang::CXXConstructorDecl>(fn)) {
      for (const clang::CXXCtorInitializer* init : ctor->inits()) {
        if (init->isWritten()) visitor.TraverseStmt(init->getInit());
      }
    }
    visitor.TraverseStmt(fn->getBody());
    for (const clang::FunctionDecl* callee : visitor.callees()) enqueue(*callee, depth + 1);
  }
  NormalizeConstants(out.constants);
  NormalizeStrings(out.strings);
  return out;
}

}  // namespace ast_seeder
