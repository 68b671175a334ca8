// The round loop. runner/ values and outcomes, permuter/ and the standard library only.
#include "permuter/search.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "permuter/bisect.h"
#include "permuter/domain.h"
#include "permuter/feedback.h"
#include "permuter/minimize.h"
#include "permuter/seeds.h"
#include "permuter/value_order.h"

namespace kt::permuter {
namespace {

// The probe key of a compare site an execution did not reach.
constexpr ProbeKey kAbsent = ~ProbeKey{0};

// FNV-1a over the edge ids: equal edge sets, equal hashes, on every build.
std::uint64_t HashEdges(std::span<const std::uint32_t> edges) {
  std::uint64_t h = 14695981039346656037ull;
  for (const std::uint32_t e : edges) {
    for (int shift = 0; shift < 32; shift += 8) {
      h = (h ^ ((e >> shift) & 0xff)) * 1099511628211ull;
    }
  }
  return h;
}

// What the search remembers of every execution: enough to answer a bisection probe
// without running the call set again.
struct ProbeRecord {
  std::uint64_t edge_hash = 0;
  // The first outcome of each compare site this execution reached that had not gone every
  // way yet. Completeness only ever grows, so a site bisected later, being incomplete
  // then, was incomplete here too and is listed if it was reached.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> sites;
};

// A cover candidate: the first (or simplest) call set of one (edges, outcome key) pair.
struct Entry {
  std::vector<Value> values;
  std::vector<std::uint32_t> edges;
  Outcome outcome;
  std::string key;
  bool pinned = false;
  bool previous = false;
};

// A call set that reached a new edge, waiting for its feedback in the next round.
struct Pending {
  std::vector<Value> values;
  std::vector<CompareEvent> log;
};

// One generation. Thread-compatible; used once.
class SearchRun {
 public:
  SearchRun(std::span<const ColumnSchema> columns, std::vector<std::vector<Value>> domains,
            Executor& executor, const SearchOptions& options)
      : columns_(columns), domains_(std::move(domains)), executor_(executor), options_(options) {}

  Expected<void> RunPrevious(std::span<const PreviousRow> previous) {
    for (const PreviousRow& row : previous) {
      // A generated row the kernel's parameters no longer admit is stale: regeneration
      // replaces it. A pinned one was written by hand and runs as written (or fails).
      if (!row.pinned && !FitsColumns(row.values)) continue;
      KT_TRY(Execute(row.values, &row));
      if (stopping_) break;
    }
    return outcome::success();
  }

  Expected<void> RunInitial() {
    std::vector<std::size_t> sizes;
    for (const std::vector<Value>& d : domains_) sizes.push_back(d.size());
    const std::uint64_t share = options_.budget / 100 * options_.initial_share_percent +
                                options_.budget % 100 * options_.initial_share_percent / 100;
    const CoveringArray array = BuildCoveringArray(sizes, share);
    stats_.initial = array.strength;
    for (const std::vector<std::uint32_t>& row : array.rows) {
      std::vector<Value> values;
      for (std::size_t c = 0; c < row.size(); ++c) values.push_back(domains_[c][row[c]]);
      KT_TRY(Execute(std::move(values), nullptr));
      if (stopping_) return outcome::success();
    }
    stats_.exhaustive = array.strength == Strength::kExhaustive;
    return outcome::success();
  }

  // Feedback rounds: each works through the call sets that reached new edges in the one
  // before, so a round that adds no edge leaves nothing to do.
  Expected<void> RunRounds() {
    while (!next_queue_.empty() && !stopping_) {
      ++stats_.rounds;
      const std::vector<Pending> queue = std::exchange(next_queue_, {});
      for (const Pending& pending : queue) {
        KT_TRY(FeedbackFor(pending));
        if (stopping_) break;
      }
    }
    return outcome::success();
  }

  Expected<SearchResult> Finish() {
    SearchResult result;
    std::vector<CoverCandidate> candidates;
    for (const Entry& e : entries_) {
      candidates.push_back({e.values, e.edges, e.key, e.pinned, e.previous});
    }
    for (const std::size_t i : SelectCover(candidates)) {
      Entry& e = entries_[i];
      result.rows.push_back({e.values, e.outcome, e.edges, e.pinned, e.previous});
    }
    result.edges.assign(reached_.begin(), reached_.end());
    stats_.executions = executions_;
    stats_.budget = options_.budget;
    result.stats = stats_;
    if (finding_) {
      auto shrunk = ShrinkFinding(columns_, executor_, *finding_, options_.shrink_attempts);
      if (!shrunk) return std::move(shrunk).assume_error();
      result.finding = std::move(shrunk).assume_value();
    }
    return result;
  }

 private:
  using SiteColumn = std::pair<std::uint64_t, std::size_t>;

  // Runs `values` unless it ran before, and returns its record; null once the search is
  // stopping (budget spent, finding).
  Expected<const ProbeRecord*> Execute(std::vector<Value> values, const PreviousRow* previous) {
    if (stopping_) return nullptr;
    if (const auto it = records_.find(values); it != records_.end()) return &it->second;
    if (executions_ >= options_.budget) {
      stats_.budget_spent = true;
      stopping_ = true;
      return nullptr;
    }
    auto ran = executor_.Run(values);
    if (!ran) return std::move(ran).assume_error();
    ++executions_;
    Execution execution = std::move(ran).assume_value();
    if (IsFinding(execution.outcome.kind)) {
      finding_ = Finding{values, values, std::move(execution.outcome), 0};
      stopping_ = true;
      return nullptr;
    }
    ProbeRecord record = Record(execution);
    bool novel = false;
    for (const std::uint32_t edge : execution.edges) novel = reached_.insert(edge).second || novel;
    if (novel) next_queue_.push_back({values, std::move(execution.compares)});
    AddCandidate(values, std::move(execution), previous);
    return &records_.emplace(std::move(values), std::move(record)).first->second;
  }

  bool FitsColumns(std::span<const Value> values) const {
    if (values.size() != columns_.size()) return false;
    for (std::size_t c = 0; c < values.size(); ++c) {
      if (CheckValue(columns_[c], values[c])) return false;
    }
    return true;
  }

  ProbeRecord Record(const Execution& execution) {
    for (const CompareEvent& e : execution.compares) site_outcomes_[e.site].Add(e);
    ProbeRecord record;
    record.edge_hash = HashEdges(execution.edges);
    std::set<std::uint64_t> seen;
    for (const CompareEvent& e : execution.compares) {
      if (!seen.insert(e.site).second || site_outcomes_[e.site].Complete()) continue;
      record.sites.emplace_back(e.site, CompareOutcome(e));
    }
    return record;
  }

  // Keeps one candidate per (edges, outcome key): a previous-table row over a new one, a
  // simpler call set over a more complex one; pinned rows always.
  void AddCandidate(const std::vector<Value>& values, Execution execution,
                    const PreviousRow* previous) {
    Entry entry{values,
                std::move(execution.edges),
                std::move(execution.outcome),
                {},
                previous != nullptr && previous->pinned,
                previous != nullptr};
    entry.key = OutcomeKey(entry.outcome);
    auto signature = std::make_pair(entry.edges, entry.key);
    const auto it = signatures_.find(signature);
    if (it == signatures_.end() || entry.pinned) {
      if (it == signatures_.end()) signatures_.emplace(std::move(signature), entries_.size());
      entries_.push_back(std::move(entry));
      return;
    }
    Entry& kept = entries_[it->second];
    if (kept.pinned || kept.previous) return;
    if (entry.previous || CompareSimplicity(entry.values, kept.values) < 0) kept = std::move(entry);
  }

  Expected<void> FeedbackFor(const Pending& pending) {
    for (const Mutation& m : ProposeMutations(columns_, pending.values, pending.log)) {
      std::vector<Value> values = pending.values;
      values[m.column] = MakeValue(columns_[m.column], m.value);
      KT_TRY(Execute(std::move(values), nullptr));
      if (stopping_) return outcome::success();
    }
    for (std::size_t c = 0; c < columns_.size() && !stopping_; ++c) {
      if (IsContiguous(columns_[c])) {
        KT_TRY(Sweep(pending, c));
      }
    }
    return outcome::success();
  }

  // Bisects column c around `pending` for every incomplete compare site it reaches that c
  // was not swept for yet, then for changes of the edge set.
  Expected<void> Sweep(const Pending& pending, std::size_t c) {
    std::vector<std::uint64_t> sites;
    for (const CompareEvent& e : pending.log) {
      if (site_outcomes_[e.site].Complete()) continue;
      if (swept_.insert(SiteColumn(e.site, c)).second) sites.push_back(e.site);
    }
    if (sites.empty()) return outcome::success();
    std::vector<Integer> points;
    for (const Value& v : domains_[c]) points.push_back(v.as_integer());
    points.push_back(pending.values[c].as_integer());
    std::sort(points.begin(), points.end());
    points.erase(std::unique(points.begin(), points.end()), points.end());

    std::optional<Error> error;
    const auto probe_with = [&](auto key_of) {
      return [&, key_of](const Integer& x) -> std::optional<ProbeKey> {
        std::vector<Value> values = pending.values;
        values[c] = MakeValue(columns_[c], x);
        auto record = Execute(std::move(values), nullptr);
        if (!record) error = std::move(record).assume_error();
        if (!record || record.assume_value() == nullptr) return std::nullopt;
        return key_of(*record.assume_value());
      };
    };
    for (const std::uint64_t site : sites) {
      if (site_outcomes_[site].Complete()) continue;
      FindBoundaries(points, probe_with([site](const ProbeRecord& r) -> ProbeKey {
                       for (const auto& [s, code] : r.sites) {
                         if (s == site) return code;
                       }
                       return kAbsent;
                     }),
                     options_.max_boundaries);
      if (error) return std::move(*error);
      if (stopping_) return outcome::success();
    }
    FindBoundaries(points, probe_with([](const ProbeRecord& r) { return r.edge_hash; }),
                   options_.max_boundaries);
    if (error) return std::move(*error);
    return outcome::success();
  }


  std::span<const ColumnSchema> columns_;
  std::vector<std::vector<Value>> domains_;
  Executor& executor_;
  const SearchOptions& options_;

  std::uint64_t executions_ = 0;
  bool stopping_ = false;
  SearchStats stats_;
  std::optional<Finding> finding_;
  std::set<std::uint32_t> reached_;
  std::map<std::vector<Value>, ProbeRecord, CallSetLess> records_;
  std::map<std::uint64_t, OutcomeSet> site_outcomes_;  // looked up, never iterated
  std::set<SiteColumn> swept_;                         // looked up, never iterated
  std::vector<Entry> entries_;
  std::map<std::pair<std::vector<std::uint32_t>, std::string>, std::size_t> signatures_;
  std::vector<Pending> next_queue_;
};

}  // namespace

std::string OutcomeKey(const Outcome& outcome) {
  return outcome.kind == OutcomeKind::kValue ? std::string("ok") : outcome.text;
}

Expected<Finding> ShrinkFinding(std::span<const ColumnSchema> columns, Executor& executor,
                                Finding finding, std::size_t max_attempts) {
  const Outcome original = finding.outcome;
  Outcome last = original;
  // A timeout can be a slow machine rather than a hang; only one that repeats counts, or
  // a loaded machine would shrink the reproducer to a value that never hangs.
  const int runs_to_agree = original.kind == OutcomeKind::kTimeout ? 2 : 1;
  const StillFails still_fails = [&](std::span<const Value> values) -> Expected<bool> {
    for (int run = 0; run < runs_to_agree; ++run) {
      auto ran = executor.Run(values);
      if (!ran) return std::move(ran).assume_error();
      if (!SameFinding(original, ran.assume_value().outcome)) return false;
      last = std::move(ran).assume_value().outcome;
    }
    return true;
  };
  auto shrunk = Shrink(columns, finding.found, still_fails, max_attempts);
  if (!shrunk) return std::move(shrunk).assume_error();
  finding.reproducer = std::move(shrunk.assume_value().values);
  finding.shrink_attempts = shrunk.assume_value().attempts;
  // The outcome of the last accepted step, which is the reproducer's own.
  if (finding.reproducer != finding.found) finding.outcome = std::move(last);
  return finding;
}

bool SameFinding(const Outcome& a, const Outcome& b) {
  if (a.kind != b.kind) return false;
  if (a.kind != OutcomeKind::kException) return a.text == b.text;
  // exception(<type>: <what>)
  const auto type = [](const std::string& text) { return text.substr(0, text.find(": ")); };
  return type(a.text) == type(b.text);
}

Expected<SearchResult> Search(std::span<const ColumnSchema> columns,
                              std::span<const Integer> constants,
                              std::span<const PreviousRow> previous, Executor& executor,
                              const SearchOptions& options) {
  std::vector<std::vector<Value>> domains;
  for (const ColumnSchema& column : columns) {
    auto seeds = SeedValues(column, constants);
    if (!seeds) return std::move(seeds).assume_error();
    domains.push_back(std::move(seeds).assume_value());
  }
  SearchRun run(columns, std::move(domains), executor, options);
  KT_TRY(run.RunPrevious(previous));
  KT_TRY(run.RunInitial());
  KT_TRY(run.RunRounds());
  return run.Finish();
}

}  // namespace kt::permuter
