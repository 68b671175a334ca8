// The ast_seeder command: reads kernels through the build's compile_commands.json and writes
// one JSON permutation domain per kernel. Options and exit codes only; the logic is in
// ast_seeder/seeder.h and ast_seeder/output_writer.h.
#include <string>

#include "ast_seeder/output_writer.h"
#include "ast_seeder/seeder.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

namespace {

llvm::cl::OptionCategory seeder_category("ast_seeder options");

llvm::cl::opt<std::string> out_dir("out-dir", llvm::cl::Required,
                                   llvm::cl::desc("Directory that receives <kernel>.json"),
                                   llvm::cl::cat(seeder_category));
llvm::cl::opt<std::string> root("root", llvm::cl::init("."),
                                llvm::cl::desc("Paths in the JSON are relative to this directory"),
                                llvm::cl::cat(seeder_category));
llvm::cl::opt<unsigned> call_depth("call-depth", llvm::cl::init(ast_seeder::kDefaultCallDepth),
                                   llvm::cl::desc("Call edges followed when harvesting constants"),
                                   llvm::cl::cat(seeder_category));
llvm::cl::opt<unsigned> max_cross_tu("max-cross-tu",
                                     llvm::cl::init(ast_seeder::kDefaultMaxCrossTuUnits),
                                     llvm::cl::desc("Most helper translation units parsed"),
                                     llvm::cl::cat(seeder_category));
llvm::cl::opt<std::string> manifest("manifest", llvm::cl::desc("File listing the JSON written"),
                                    llvm::cl::cat(seeder_category));
llvm::cl::opt<std::string> depfile("depfile",
                                   llvm::cl::desc("Makefile-style depfile, target the manifest"),
                                   llvm::cl::cat(seeder_category));

}  // namespace

// Exit codes: 0 every kernel seeded, 1 a source or kernel in error, 2 usage or output error.
int main(int argc, const char** argv) {
  auto parser =
      clang::tooling::CommonOptionsParser::create(argc, argv, seeder_category, llvm::cl::OneOrMore);
  if (!parser) {
    llvm::errs() << "ERROR: " << llvm::toString(parser.takeError()) << "\n";
    return 2;
  }
  ast_seeder::SeederOptions options;
  options.root = root;
  options.call_depth = call_depth;
  options.max_cross_tu_units = max_cross_tu;
  ast_seeder::SeederOutput output;
  if (!ast_seeder::RunSeeder(parser->getCompilations(), parser->getSourcePathList(), options,
                             output)) {
    llvm::errs() << "ERROR: ast_seeder: errors above; no domain written\n";
    return 1;
  }
  if (llvm::Error e = ast_seeder::WriteOutputs(output, {out_dir, manifest, depfile})) {
    llvm::errs() << "ERROR: ast_seeder: " << llvm::toString(std::move(e)) << "\n";
    return 2;
  }
  llvm::outs() << "INFO: ast_seeder: " << output.kernels.size() << " kernel domain(s) in "
               << out_dir << "\n";
  return 0;
}
