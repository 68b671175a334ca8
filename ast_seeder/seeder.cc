// The seeder's frontend action and run loop. LLVM/Clang 19 libTooling only.
#include "ast_seeder/seeder.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "ast_seeder/cross_tu_index.h"
#include "ast_seeder/diagnostics.h"
#include "ast_seeder/kernel_finder.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Tooling/Tooling.h"

namespace ast_seeder {

const char* const kClangResourceDir = KT_CLANG_RESOURCE_DIR;

namespace {

// State shared by every TU of one run. Thread-compatible: ClangTool runs TUs one at a time.
struct RunState {
  const SeederOptions& options;
  internal::PathMapper paths;
  CrossTuIndex index;
  std::map<std::string, KernelDomain> kernels;  // by name
  std::set<std::string> dependencies;
};

void RecordDependencies(const clang::SourceManager& sm, std::set<std::string>& out) {
  for (auto it = sm.fileinfo_begin(); it != sm.fileinfo_end(); ++it) {
    const clang::FileID id = sm.translateFile(it->first);
    if (id.isInvalid() || sm.isInSystemHeader(sm.getLocForStartOfFile(id))) continue;
    out.insert(internal::AbsoluteName(it->first, sm));
  }
}

class SeedConsumer : public clang::ASTConsumer {
 public:
  explicit SeedConsumer(RunState& state) : state_(state) {}

  void HandleTranslationUnit(clang::ASTContext& ctx) override {
    clang::DiagnosticsEngine& engine = ctx.getDiagnostics();
    const clang::SourceManager& sm = ctx.getSourceManager();
    RecordDependencies(sm, state_.dependencies);
    // Clang's own errors make the AST partial: seeding it would report half a domain.
    if (engine.hasErrorOccurred()) return;
    Diagnoser diagnoser(engine);
    const std::string main_file =
        internal::AbsoluteName(*sm.getFileEntryRefForID(sm.getMainFileID()), sm);
    ConstantHarvester harvester(state_.paths, state_.options.call_depth, &state_.index);
    for (FoundKernel& found : FindKernels(ctx, diagnoser, state_.paths)) {
      KernelDomain& domain = found.domain;
      const std::string where = domain.source + ":" + std::to_string(domain.line);
      if (auto it = state_.kernels.find(domain.name); it != state_.kernels.end()) {
        // The same kernel seen again (a header included twice, a file in two targets).
        const std::string first = it->second.source + ":" + std::to_string(it->second.line);
        if (first != where) diagnoser.DuplicateKernel(found.registration, domain.name, first);
        continue;
      }
      domain.call_depth = state_.options.call_depth;
      ConstantHarvester::Harvested harvested = harvester.Harvest(*found.function, main_file);
      domain.constants = std::move(harvested.constants);
      domain.strings = std::move(harvested.strings);
      state_.kernels.emplace(domain.name, std::move(domain));
    }
  }

 private:
  RunState& state_;
};

class SeedAction : public clang::ASTFrontendAction {
 public:
  explicit SeedAction(RunState& state) : state_(state) {}

 protected:
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance&,
                                                        llvm::StringRef) override {
    return std::make_unique<SeedConsumer>(state_);
  }

 private:
  RunState& state_;
};

class SeedActionFactory : public clang::tooling::FrontendActionFactory {
 public:
  explicit SeedActionFactory(RunState& state) : state_(state) {}
  std::unique_ptr<clang::FrontendAction> create() override {
    return std::make_unique<SeedAction>(state_);
  }

 private:
  RunState& state_;
};

}  // namespace

clang::tooling::ArgumentsAdjuster ResourceDirAdjuster(std::string resource_dir) {
  return [dir = std::move(resource_dir)](const clang::tooling::CommandLineArguments& args,
                                         llvm::StringRef) {
    const bool named = std::any_of(args.begin(), args.end(), [](const std::string& a) {
      return llvm::StringRef(a).starts_with("-resource-dir");
    });
    if (named || args.empty()) return args;
    clang::tooling::CommandLineArguments adjusted(args);
    adjusted.insert(adjusted.begin() + 1, "-resource-dir=" + dir);
    return adjusted;
  };
}

bool RunSeeder(const clang::tooling::CompilationDatabase& db, llvm::ArrayRef<std::string> sources,
               const SeederOptions& options, SeederOutput& out,
               clang::DiagnosticConsumer* diagnostics,
               llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> fs) {
  const clang::tooling::ArgumentsAdjuster adjuster = ResourceDirAdjuster(options.resource_dir);
  std::vector<std::string> index_sources = options.index_sources;
  if (index_sources.empty()) index_sources = db.getAllFiles();
  RunState state{
      options,
      internal::PathMapper(options.root),
      CrossTuIndex(db, std::move(index_sources), fs, adjuster, options.max_cross_tu_units),
      {},
      {}};
  clang::tooling::ClangTool tool(db, sources, std::make_shared<clang::PCHContainerOperations>(),
                                 fs);
  tool.appendArgumentsAdjuster(adjuster);
  if (diagnostics != nullptr) tool.setDiagnosticConsumer(diagnostics);
  SeedActionFactory factory(state);
  const int status = tool.run(&factory);
  for (auto& [name, domain] : state.kernels) out.kernels.push_back(std::move(domain));
  for (const std::string& file : state.index.LoadedFiles()) state.dependencies.insert(file);
  out.dependencies.assign(state.dependencies.begin(), state.dependencies.end());
  return status == 0;
}

}  // namespace ast_seeder
