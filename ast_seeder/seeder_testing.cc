// Test support for the seeder. LLVM/Clang only.
#include "ast_seeder/seeder_testing.h"

#include "clang/Basic/DiagnosticOptions.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace ast_seeder::testing {
namespace {

// No error limit: a table of rejected cases may have more than Clang's default 20.
std::vector<std::string> CompileFlags() {
  return {"-std=c++20", "-ferror-limit=0", "-I" + SourceRoot()};
}

SeedRun Run(const std::vector<std::string>& sources, SeederOptions options,
            llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> fs) {
  if (options.root == ".") options.root = SourceRoot();
  clang::tooling::FixedCompilationDatabase db(SourceRoot(), CompileFlags());
  llvm::IntrusiveRefCntPtr<clang::DiagnosticOptions> diag_options(new clang::DiagnosticOptions);
  diag_options->ShowCarets = false;
  diag_options->ShowColors = false;
  std::string text;
  llvm::raw_string_ostream os(text);
  clang::TextDiagnosticPrinter printer(os, diag_options.get());
  SeedRun run;
  run.ok = RunSeeder(db, sources, options, run.output, &printer, std::move(fs));
  os.flush();
  const std::string prefix = SourceRoot() + "/";
  for (std::size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at)) {
    text.erase(at, prefix.size());
  }
  run.diagnostics = std::move(text);
  return run;
}

}  // namespace

std::string SourceRoot() { return KT_SOURCE_ROOT; }

std::string TestdataPath(const std::string& name) {
  return SourceRoot() + "/ast_seeder/testdata/" + name;
}

SeedRun SeedInMemory(const std::map<std::string, std::string>& files,
                     const std::vector<std::string>& sources, SeederOptions options) {
  auto memory = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
  std::vector<std::string> all;
  for (const auto& [name, text] : files) {
    const std::string path = std::string(kInMemoryDir) + "/" + name;
    memory->addFile(path, 0, llvm::MemoryBuffer::getMemBufferCopy(text, path));
    all.push_back(path);
  }
  auto overlay =
      llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(llvm::vfs::getRealFileSystem());
  overlay->pushOverlay(memory);
  std::vector<std::string> paths;
  for (const std::string& source : sources)
    paths.push_back(std::string(kInMemoryDir) + "/" + source);
  if (options.index_sources.empty()) options.index_sources = all;
  return Run(paths, std::move(options), overlay);
}

SeedRun SeedFiles(const std::vector<std::string>& sources, SeederOptions options) {
  if (options.index_sources.empty()) options.index_sources = sources;
  return Run(sources, std::move(options), llvm::vfs::getRealFileSystem());
}

const KernelDomain* FindKernel(const SeedRun& run, const std::string& name) {
  for (const KernelDomain& kernel : run.output.kernels) {
    if (kernel.name == name) return &kernel;
  }
  return nullptr;
}

std::string ReadFile(const std::string& path) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  return buffer ? (*buffer)->getBuffer().str() : "";
}

}  // namespace ast_seeder::testing
