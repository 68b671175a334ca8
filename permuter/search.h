// The permuter's round loop (steps 1-6 of the permuter contract): seeds, the initial
// covering array, compare feedback and bisection in rounds until a round adds no edge or the
// execution budget is spent, then the minimal table; a finding stops it with a shrunk
// reproducer. Fully deterministic: no clock, no randomness, no iteration over unordered or
// address-keyed containers. runner/ values and outcomes and permuter/ only; executions go
// through the abstract Executor.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "permuter/covering_array.h"
#include "permuter/executor.h"
#include "runner/error.h"
#include "runner/outcome.h"
#include "runner/schema.h"
#include "runner/value.h"

namespace kt::permuter {

// The permuter's own hard branches (a 64-bit magic constant, a linear computed compare, a
// switch, ...) each take under 200 executions; this leaves room for kernels with several
// parameters and costs seconds, not minutes, of a forked worker.
inline constexpr std::uint64_t kDefaultBudget = 20'000;

struct SearchOptions {
  std::uint64_t budget = kDefaultBudget;  // executions, never seconds
  // The initial call sets may use this share of the budget; feedback gets the rest.
  std::uint32_t initial_share_percent = 50;
  // Boundaries FindBoundaries may report per compare site and per edge-set sweep.
  std::size_t max_boundaries = 8;
  // Executions the reproducer shrinker may spend after a finding, beyond the budget.
  std::size_t shrink_attempts = 1'000;
};

// A row of the table being regenerated. Its call set runs first and the cover considers it
// before new rows; a pinned row is kept whatever it covers. An unpinned row whose values the
// columns no longer admit (a changed parameter type) is stale and dropped.
struct PreviousRow {
  std::vector<Value> values;
  bool pinned = false;
};

struct GeneratedRow {
  std::vector<Value> values;
  Outcome outcome;
  std::vector<std::uint32_t> edges;  // ascending
  bool pinned = false;
  bool previous = false;
};

struct Finding {
  std::vector<Value> found;       // the call set that first showed it
  std::vector<Value> reproducer;  // after shrinking; still shows it
  Outcome outcome;                // the reproducer's
  std::size_t shrink_attempts = 0;
};

struct SearchStats {
  std::uint64_t executions = 0;  // budgeted executions, shrinking excluded
  std::uint64_t budget = 0;
  Strength initial = Strength::kExhaustive;  // how the initial call sets were built
  bool exhaustive = false;                   // every combination of the seeds ran
  std::size_t rounds = 0;                    // feedback rounds after the initial call sets
  bool budget_spent = false;
};

struct SearchResult {
  std::vector<GeneratedRow> rows;    // the minimal table (SelectCover's order)
  std::vector<std::uint32_t> edges;  // every edge reached, ascending
  SearchStats stats;
  std::optional<Finding> finding;  // set: generation must fail (exit 1)
};

// The outcome class one row per which a table keeps: "ok" for every value (the returned
// value follows the inputs, and a row per value would be a row per input), the full text
// for errors (error(vfio.dma:overlap)), and the text for findings.
std::string OutcomeKey(const Outcome& outcome);

// True when `b` shows the same finding as `a`: the same kind and text, except that
// exceptions match by type alone (their message often quotes the input).
bool SameFinding(const Outcome& a, const Outcome& b);

// Shrinks `finding.found` to `finding.reproducer` through `executor`: a candidate counts while
// it shows the SameFinding, a timeout only when it repeats (a slow machine is not a hang).
// The finding's outcome becomes the reproducer's own. Errors: the executor's.
Expected<Finding> ShrinkFinding(std::span<const ColumnSchema> columns, Executor& executor,
                                Finding finding, std::size_t max_attempts);

// Generates the table of one kernel. `columns` are its parameters (each must pass
// CheckColumn), `constants` the seeder's harvested constants, `previous` the rows of the
// table being regenerated (empty for a new kernel). Errors: a column the domain rejects
// (kt.domain), or the executor's own errors, passed through.
//
// Example usage:
//   WorkerExecutor executor(kernel);
//   Expected<SearchResult> r = Search(columns, constants, previous_rows, executor);
//   if (r && r->finding) PrintReproducer(r->finding->reproducer);
Expected<SearchResult> Search(std::span<const ColumnSchema> columns,
                              std::span<const Integer> constants,
                              std::span<const PreviousRow> previous, Executor& executor,
                              const SearchOptions& options = {});

}  // namespace kt::permuter
