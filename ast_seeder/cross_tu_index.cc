// Lazy cross-translation-unit function index for the seeder. Clang Tooling and Index only.
#include "ast_seeder/cross_tu_index.h"

#include <algorithm>

#include "ast_seeder/internal/ast_util.h"
#include "clang/AST/DeclCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace ast_seeder {
namespace {

// Bind id of the function definitions IndexUnit collects.
constexpr llvm::StringLiteral kDefinitionId = "definition";

// The word a source must contain to possibly define `decl`: its identifier, the class name
// for a constructor, "operator" for operators and conversions.
std::string SearchWord(const clang::FunctionDecl& decl) {
  if (const auto* ctor = llvm::dyn_cast<clang::CXXConstructorDecl>(&decl)) {
    return ctor->getParent()->getNameAsString();
  }
  if (const clang::IdentifierInfo* id = decl.getIdentifier()) return id->getName().str();
  return "operator";
}

// "dir/stem" of a path: a header and the source defining what it declares share it
// (vfio/dma_map.h, vfio/dma_map.cc), whatever their extensions and however the path is
// spelled.
std::string StemKey(llvm::StringRef path) {
  return (llvm::sys::path::filename(llvm::sys::path::parent_path(path)) + "/" +
          llvm::sys::path::stem(path))
      .str();
}

// The StemKeys of the files declaring `decl`: the sources to try first.
std::set<std::string> DeclaringStems(const clang::FunctionDecl& decl) {
  std::set<std::string> stems;
  const clang::SourceManager& sm = decl.getASTContext().getSourceManager();
  for (const clang::FunctionDecl* redecl : decl.redecls()) {
    const clang::SourceLocation at = sm.getFileLoc(redecl->getLocation());
    if (at.isInvalid()) continue;
    const llvm::StringRef name = sm.getFilename(at);
    if (!name.empty()) stems.insert(StemKey(name));
  }
  return stems;
}

}  // namespace

std::string UsrOf(const clang::Decl& decl) {
  llvm::SmallString<128> usr;
  if (clang::index::generateUSRForDecl(&decl, usr)) return "";
  return std::string(usr);
}

CrossTuIndex::CrossTuIndex(const clang::tooling::CompilationDatabase& db,
                           std::vector<std::string> sources,
                           llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> fs,
                           clang::tooling::ArgumentsAdjuster adjuster, unsigned max_units)
    : db_(db),
      sources_(std::move(sources)),
      fs_(std::move(fs)),
      adjuster_(std::move(adjuster)),
      max_units_(max_units) {
  std::sort(sources_.begin(), sources_.end());  // load order must not depend on the database
  sources_.erase(std::unique(sources_.begin(), sources_.end()), sources_.end());
}

CrossTuIndex::~CrossTuIndex() = default;

const clang::FunctionDecl* CrossTuIndex::FindDefinition(const clang::FunctionDecl& decl,
                                                        const std::string& current_main_file) {
  const std::string usr = UsrOf(decl);
  if (usr.empty() || missing_.count(usr) != 0) return nullptr;
  if (auto it = by_usr_.find(usr); it != by_usr_.end()) return it->second;
  const std::string word = SearchWord(decl);
  // The source named like the declaring header first: it is where the definition usually is,
  // and every other candidate containing the name (tests, other modules) would be parsed
  // before it in path order, costing seconds and hundreds of MiB each.
  const std::set<std::string> stems = DeclaringStems(decl);
  std::vector<const std::string*> order;
  for (const std::string& file : sources_) {
    if (stems.count(StemKey(file)) != 0) order.push_back(&file);
  }
  for (const std::string& file : sources_) {
    if (stems.count(StemKey(file)) == 0) order.push_back(&file);
  }
  for (const std::string* candidate : order) {
    const std::string& file = *candidate;
    if (file == current_main_file || tried_.count(file) != 0) continue;
    if (TextOf(file).find(word) == llvm::StringRef::npos) continue;
    if (units_.size() >= max_units_) {
      if (!warned_limit_) {
        llvm::errs() << "WARNING: ast_seeder: cross-TU limit of " << max_units_
                     << " translation units reached; calls into further TUs are not followed\n";
        warned_limit_ = true;
      }
      return nullptr;
    }
    Load(file);
    if (auto it = by_usr_.find(usr); it != by_usr_.end()) return it->second;
  }
  missing_.insert(usr);
  return nullptr;
}

llvm::StringRef CrossTuIndex::TextOf(const std::string& file) {
  auto [it, inserted] = texts_.try_emplace(file);
  if (inserted) {
    if (auto buffer = fs_->getBufferForFile(file)) it->second = std::move(*buffer);
  }
  return it->second ? it->second->getBuffer() : llvm::StringRef();
}

void CrossTuIndex::Load(const std::string& file) {
  tried_.insert(file);
  clang::tooling::ClangTool tool(db_, {file}, std::make_shared<clang::PCHContainerOperations>(),
                                 fs_);
  tool.appendArgumentsAdjuster(adjuster_);
  // A helper TU's own errors are not the kernel's: it is skipped, never reported.
  clang::IgnoringDiagConsumer ignore;
  tool.setDiagnosticConsumer(&ignore);
  tool.setPrintErrorMessage(false);
  std::vector<std::unique_ptr<clang::ASTUnit>> asts;
  tool.buildASTs(asts);
  for (std::unique_ptr<clang::ASTUnit>& unit : asts) {
    if (unit == nullptr || unit->getDiagnostics().hasErrorOccurred()) continue;
    IndexUnit(*unit);
    units_.push_back(std::move(unit));
  }
}

void CrossTuIndex::IndexUnit(clang::ASTUnit& unit) {
  using namespace clang::ast_matchers;  // NOLINT: matcher DSL
  // Functions with a body written in this TU's main file: the ones no other TU has.
  const auto definition =
      functionDecl(isDefinition(), isExpansionInMainFile(), unless(isImplicit()))
          .bind(kDefinitionId);
  for (const BoundNodes& nodes : match(definition, unit.getASTContext())) {
    const auto* fn = nodes.getNodeAs<clang::FunctionDecl>(kDefinitionId);
    const std::string usr = UsrOf(*fn);
    if (!usr.empty()) by_usr_.emplace(usr, fn);
  }
}

std::vector<std::string> CrossTuIndex::LoadedFiles() const {
  std::vector<std::string> files;
  for (const std::unique_ptr<clang::ASTUnit>& unit : units_) {
    const clang::SourceManager& sm = unit->getSourceManager();
    for (auto it = sm.fileinfo_begin(); it != sm.fileinfo_end(); ++it) {
      const clang::FileID id = sm.translateFile(it->first);
      if (id.isInvalid() || sm.isInSystemHeader(sm.getLocForStartOfFile(id))) continue;
      files.push_back(internal::AbsoluteName(it->first, sm));
    }
  }
  return files;
}

}  // namespace ast_seeder
