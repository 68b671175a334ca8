// The search for kernels with string or bytes parameters: libFuzzer (LLVMFuzzerRunDriver, in a
// forked child) mutates the texts and picks the other columns from their seed domains, every
// input runs through the same Executor as Search (the forked worker, its timeout), and the
// call sets it ran are reduced to a table by the same set cover. Deterministic for a given
// binary: a fixed -seed, a budget counted in executions, one libFuzzer process, no timeouts
// or time limits inside libFuzzer. Linux; runner/ and permuter/ only, plus the renamed
// libFuzzer runtime.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <system_error>
#include <type_traits>

#include "permuter/executor.h"
#include "permuter/search.h"
#include "runner/error.h"
#include "runner/schema.h"
#include "runner/value.h"

namespace kt::permuter {

enum class FuzzError {
  kNoTextColumn = 1,  // FuzzSearch on a kernel without a string or bytes column
  kSocket,            // socketpair() or memfd_create() failed
  kFork,              // fork() failed
  kProtocol,          // the libFuzzer child sent bytes that do not frame
  kLibFuzzer,         // the libFuzzer child died, hung, or ended before its runs
  kWorkDir,           // the seed inputs or the dictionary could not be written
};
const char* ToString(FuzzError e) noexcept;
const std::error_category& FuzzCategory() noexcept;
std::error_code make_error_code(FuzzError e) noexcept;

// libFuzzer's -seed. Any fixed value keeps generation reproducible; this one is the tables'.
inline constexpr std::uint32_t kFuzzSeed = 1;

struct FuzzOptions {
  // budget: executions, as for Search (a call set libFuzzer repeats is answered from memory
  // and costs nothing); initial_share_percent: the share of the budget the seed inputs'
  // covering array may take; shrink_attempts: as for Search.
  SearchOptions search;
  std::uint32_t seed = kFuzzSeed;
  // libFuzzer's -runs is budget * runs_per_execution: a bound on the inputs it makes when
  // most of them repeat call sets (a kernel with few distinct ones), which would otherwise
  // never spend the budget.
  std::uint64_t runs_per_execution = 8;
};

struct FuzzStats {
  std::uint64_t callbacks = 0;    // inputs libFuzzer ran, repeats included
  std::uint64_t seed_inputs = 0;  // seed corpus files
  std::uint64_t dictionary_words = 0;
  // Executions when the last new edge was reached: the executions to full coverage when the
  // table reaches every edge the kernel can.
  std::uint64_t executions_to_last_new_edge = 0;
};

struct FuzzResult {
  SearchResult search;  // rows, edges, stats (initial: the seeds' strength), finding
  FuzzStats fuzz;
};

// Generates the table of a kernel with at least one string or bytes column. `constants` and
// `strings` are the seeder's harvested integers and strings: the other columns' seeds, the
// text columns' seeds and libFuzzer's dictionary. `previous` runs first, as for Search, and
// seeds libFuzzer. A finding stops libFuzzer and is shrunk as for Search. Errors: a column
// the domain rejects (kt.domain), no text column (kt.fuzz no_text_column), libFuzzer's child
// failing (kt.fuzz), or the executor's own errors. Call from a single-threaded process.
//
// Example usage:
//   WorkerExecutor executor(kernel);
//   Expected<FuzzResult> r = FuzzSearch(columns, seeds.constants, seeds.strings, previous,
//                                       executor);
//   if (r && !r->search.finding) WriteTable(path, BuildTable(schema, {}, r->search));
Expected<FuzzResult> FuzzSearch(std::span<const ColumnSchema> columns,
                                std::span<const Integer> constants,
                                std::span<const std::string> strings,
                                std::span<const PreviousRow> previous, Executor& executor,
                                const FuzzOptions& options = {});

// The suite driver's entry point: FuzzSearch (with `options` as FuzzOptions::search) when a
// column is a string or bytes column, else Search, which does not use `strings`. When the
// kernel went to FuzzSearch and `fuzz_stats` is not null, *fuzz_stats gets its figures;
// otherwise *fuzz_stats is left as it was.
Expected<SearchResult> SearchKernel(std::span<const ColumnSchema> columns,
                                    std::span<const Integer> constants,
                                    std::span<const std::string> strings,
                                    std::span<const PreviousRow> previous, Executor& executor,
                                    const SearchOptions& options = {},
                                    FuzzStats* fuzz_stats = nullptr);

}  // namespace kt::permuter

template <>
struct std::is_error_code_enum<kt::permuter::FuzzError> : std::true_type {};
