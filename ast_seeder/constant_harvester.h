// Harvests the integer constants a kernel and the functions it calls compare with, switch on,
// or use as masks and bounds, and the strings and byte constants they compare texts with: the
// permuter's extra seeds. Clang AST only; follows calls into other translation units through a
// CrossTuIndex.
#pragma once

#include <string>
#include <vector>

#include "ast_seeder/cross_tu_index.h"
#include "ast_seeder/domain.h"
#include "ast_seeder/internal/ast_util.h"
#include "clang/AST/Decl.h"

namespace ast_seeder {

// The default number of call edges followed from a kernel: enough for kernel -> library entry
// point -> validation helper -> arithmetic helper, the shape of the vfio modules.
inline constexpr unsigned kDefaultCallDepth = 3;

// A constant is an integer-or-enum expression that Clang folds to a value of at most 64 bits
// (a literal, an enumerator, a constexpr or const-initialised variable, sizeof, or an
// expression of those), not of type bool, used as
//   compare     an operand of ==, !=, <, <=, >, >=, <=> whose other operand is not constant;
//   switch      a case label;
//   mask        an operand of &, |, ^ (or &=, |=, ^=) whose other operand is not constant;
//   bound       an operand of +, -, *, /, %, <<, >> (or their assignments) whose other operand
//               is not constant;
//   enumerator  an enumerator referenced anywhere else (an argument, a return value, ...).
// Its value is taken in the type the operation uses (after the usual conversions), which is
// the width and signedness the compare-tracing instrumentation sees at run time.
//
// Functions are walked breadth first, each once, from the kernel (depth 0) through direct
// calls and constructor calls up to `max_depth` edges; functions declared in system headers
// are not walked. A call whose body is not in the current TU is resolved through `index`
// (may be null: then the walk stays in the TU).
//
// Strings are harvested on the same walk: the operands of every text comparison
// (string_harvester.h: TextCompareName) that are constant texts (ConstantText).
//
// Thread-compatible; borrows `paths` and `index` for its lifetime.
class ConstantHarvester {
 public:
  ConstantHarvester(const internal::PathMapper& paths, unsigned max_depth, CrossTuIndex* index)
      : paths_(paths), max_depth_(max_depth), index_(index) {}

  struct Harvested {
    std::vector<HarvestedConstant> constants;  // sorted, no duplicates
    std::vector<HarvestedString> strings;      // sorted, no duplicates
  };

  // The constants and strings of `kernel` and its callees. `main_file` is the absolute path
  // of the TU `kernel` was parsed from.
  Harvested Harvest(const clang::FunctionDecl& kernel, const std::string& main_file);

 private:
  const internal::PathMapper& paths_;
  unsigned max_depth_;
  CrossTuIndex* index_;
};

}  // namespace ast_seeder
