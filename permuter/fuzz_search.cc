// The libFuzzer search's controller: previous rows, the seed corpus and dictionary in a
// temporary directory, the answer to each of libFuzzer's inputs, the cover and the shrunk
// finding. runner/ and permuter/ only; libFuzzer runs behind internal/libfuzzer_process.h.
#include "permuter/fuzz_search.h"

#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>

#include "permuter/domain.h"
#include "permuter/fuzz_codec.h"
#include "permuter/fuzz_inputs.h"
#include "permuter/internal/libfuzzer_process.h"
#include "permuter/minimize.h"
#include "permuter/seeds.h"
#include "permuter/value_order.h"

namespace kt::permuter {
namespace {

namespace fs = std::filesystem;

// A directory for libFuzzer's seed files, dictionary and any artifact it insists on writing,
// removed with its contents when destroyed. Thread-compatible.
class WorkDir {
 public:
  static Expected<std::unique_ptr<WorkDir>> Create() {
    std::error_code ec;
    const fs::path base = fs::temp_directory_path(ec);
    std::string pattern = ((ec ? fs::path("/tmp") : base) / "kerneltest-fuzz-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      return MakeError(FuzzError::kWorkDir, "cannot create a directory like " + pattern);
    }
    return std::unique_ptr<WorkDir>(new WorkDir(pattern));
  }
  ~WorkDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;

  Expected<fs::path> Write(const std::string& name, const std::string& bytes) const {
    const fs::path file = path_ / name;
    std::ofstream out(file, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) return MakeError(FuzzError::kWorkDir, "cannot write " + file.string());
    return file;
  }
  const fs::path& path() const { return path_; }

 private:
  explicit WorkDir(fs::path path) : path_(std::move(path)) {}
  fs::path path_;
};

// Seed files, the dictionary and the flags that make libFuzzer deterministic and quiet: no
// time limits, timeouts, RSS thread, leak checks, signal handlers or corpus reloads.
Expected<std::vector<std::string>> LibFuzzerFlags(const WorkDir& dir, const SeedCorpus& seeds,
                                                  const std::vector<std::string>& words,
                                                  std::size_t max_len, std::uint64_t runs,
                                                  std::uint32_t seed) {
  std::vector<std::string> flags = {
      "-seed=" + std::to_string(seed), "-runs=" + std::to_string(runs),
      "-max_len=" + std::to_string(max_len == 0 ? 1 : max_len), "-timeout=0", "-rss_limit_mb=0",
      "-malloc_limit_mb=0", "-detect_leaks=0", "-reload=0", "-verbosity=0",
      "-print_final_stats=0", "-artifact_prefix=" + dir.path().string() + "/"};
  for (const char* signal : {"segv", "bus", "abrt", "ill", "fpe", "int", "term", "xfsz", "usr1",
                             "usr2"}) {
    flags.push_back(std::string("-handle_") + signal + "=0");
  }
  std::string list;
  for (std::size_t i = 0; i < seeds.inputs.size(); ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "seed-%06zu", i);
    auto file = dir.Write(name, seeds.inputs[i]);
    if (!file) return std::move(file).assume_error();
    // libFuzzer splits the list at commas; mkdtemp's names have none.
    list += (list.empty() ? "" : ",") + file.assume_value().string();
  }
  if (!list.empty()) {
    auto file = dir.Write("seeds.list", list);
    if (!file) return std::move(file).assume_error();
    flags.push_back("-seed_inputs=@" + file.assume_value().string());
  }
  if (!words.empty()) {
    auto file = dir.Write("strings.dict", FormatDictionary(words));
    if (!file) return std::move(file).assume_error();
    flags.push_back("-dict=" + file.assume_value().string());
  }
  return flags;
}

bool FitsColumns(std::span<const ColumnSchema> columns, std::span<const Value> values) {
  if (values.size() != columns.size()) return false;
  for (std::size_t c = 0; c < values.size(); ++c) {
    if (CheckValue(columns[c], values[c])) return false;
  }
  return true;
}

// A cover candidate: the first (or simplest) call set of one (edges, outcome key) pair.
struct Entry {
  std::vector<Value> values;
  std::vector<std::uint32_t> edges;
  Outcome outcome;
  std::string key;
  bool pinned = false;
  bool previous = false;
};

// One generation's controller. Thread-compatible; used once.
class FuzzRun {
 public:
  FuzzRun(std::span<const ColumnSchema> columns, Executor& executor, const FuzzOptions& options)
      : columns_(columns), executor_(executor), options_(options) {}

  Expected<void> RunPrevious(std::span<const PreviousRow> previous) {
    for (const PreviousRow& row : previous) {
      // As in Search: a stale generated row is dropped, a pinned one runs as written.
      if (!row.pinned && !FitsColumns(columns_, row.values)) continue;
      auto ran = Execute(row.values, &row);
      if (!ran) return std::move(ran).assume_error();
      if (stopping_) break;
    }
    return outcome::success();
  }

  Expected<void> RunLibFuzzer(const FuzzCodec& codec, std::span<const std::string> flags,
                              std::uint64_t runs) {
    internal::LibFuzzerProcess fuzzer;
    KT_TRY(fuzzer.Start(flags));
    while (!stopping_) {
      auto input = fuzzer.Next();
      if (!input) return std::move(input).assume_error();
      if (!input.assume_value()) {
        if (fuzzer.callbacks() < runs) {
          return MakeError(FuzzError::kLibFuzzer,
                           "libFuzzer ended after " + std::to_string(fuzzer.callbacks()) + " of " +
                               std::to_string(runs) + " runs; its output ends:\n" +
                               fuzzer.OutputTail());
        }
        break;
      }
      const std::string& bytes = *input.assume_value();
      fresh_compares_.clear();
      auto record = Execute(codec.Decode({reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                          bytes.size()}),
                            nullptr);
      if (!record) return std::move(record).assume_error();
      if (record.assume_value() == nullptr) break;
      KT_TRY(fuzzer.Answer(*record.assume_value(), fresh_compares_));
    }
    stats_.callbacks = fuzzer.callbacks();
    return outcome::success();
  }

  bool stopping() const { return stopping_; }
  FuzzStats& stats() { return stats_; }
  SearchStats& search_stats() { return search_stats_; }

  Expected<FuzzResult> Finish() {
    FuzzResult result;
    std::vector<CoverCandidate> candidates;
    for (const Entry& e : entries_) {
      candidates.push_back({e.values, e.edges, e.key, e.pinned, e.previous});
    }
    for (const std::size_t i : SelectCover(candidates)) {
      const Entry& e = entries_[i];
      result.search.rows.push_back({e.values, e.outcome, e.edges, e.pinned, e.previous});
    }
    result.search.edges.assign(reached_.begin(), reached_.end());
    search_stats_.executions = executions_;
    search_stats_.budget = options_.search.budget;
    search_stats_.exhaustive = false;  // libFuzzer never enumerates a domain
    result.search.stats = search_stats_;
    result.fuzz = stats_;
    if (finding_) {
      auto shrunk = ShrinkFinding(columns_, executor_, std::move(*finding_),
                                  options_.search.shrink_attempts);
      if (!shrunk) return std::move(shrunk).assume_error();
      result.search.finding = std::move(shrunk).assume_value();
    }
    return result;
  }

 private:
  // Runs `values` unless it ran before; returns the features libFuzzer is told, or null once
  // the search is stopping (budget spent, finding).
  Expected<const std::vector<std::uint32_t>*> Execute(std::vector<Value> values,
                                                      const PreviousRow* previous) {
    if (stopping_) return nullptr;
    if (const auto it = features_.find(values); it != features_.end()) return &it->second;
    if (executions_ >= options_.search.budget) {
      search_stats_.budget_spent = true;
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
    std::vector<std::uint32_t> features;
    for (const std::uint32_t edge : execution.edges) {
      if (reached_.insert(edge).second) stats_.executions_to_last_new_edge = executions_;
      features.push_back(FeatureOf(edge_features_, edge));
    }
    const std::string key = OutcomeKey(execution.outcome);
    features.push_back(FeatureOf(outcome_features_, key));
    fresh_compares_ = std::move(execution.compares);
    AddCandidate(values, std::move(execution), key, previous);
    return &features_.emplace(std::move(values), std::move(features)).first->second;
  }

  // Dense feature ids in order of first sight, so that libFuzzer's counters are the same on
  // every run of the same build and collide only past kNumCounters features.
  template <class K>
  std::uint32_t FeatureOf(std::map<K, std::uint32_t>& ids, const K& key) {
    return ids.emplace(key, next_feature_).second ? next_feature_++ : ids.at(key);
  }

  // Keeps one candidate per (edges, outcome key) as Search does: a previous-table row over a
  // new one, a simpler call set over a more complex one; pinned rows always.
  void AddCandidate(const std::vector<Value>& values, Execution execution, const std::string& key,
                    const PreviousRow* previous) {
    Entry entry{values,
                std::move(execution.edges),
                std::move(execution.outcome),
                key,
                previous != nullptr && previous->pinned,
                previous != nullptr};
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


  std::span<const ColumnSchema> columns_;
  Executor& executor_;
  const FuzzOptions& options_;

  std::uint64_t executions_ = 0;
  bool stopping_ = false;
  SearchStats search_stats_;
  FuzzStats stats_;
  std::optional<Finding> finding_;
  std::set<std::uint32_t> reached_;
  std::map<std::vector<Value>, std::vector<std::uint32_t>, CallSetLess> features_;
  std::map<std::uint32_t, std::uint32_t> edge_features_;
  std::map<std::string, std::uint32_t> outcome_features_;
  std::uint32_t next_feature_ = 0;
  std::vector<CompareEvent> fresh_compares_;  // of the call set Execute ran last
  std::vector<Entry> entries_;
  std::map<std::pair<std::vector<std::uint32_t>, std::string>, std::size_t> signatures_;
};

}  // namespace

const char* ToString(FuzzError e) noexcept {
  switch (e) {
    case FuzzError::kNoTextColumn: return "no_text_column";
    case FuzzError::kSocket: return "socket";
    case FuzzError::kFork: return "fork";
    case FuzzError::kProtocol: return "protocol";
    case FuzzError::kLibFuzzer: return "libfuzzer";
    case FuzzError::kWorkDir: return "work_dir";
  }
  return "unknown";
}

const std::error_category& FuzzCategory() noexcept {
  static const kt::internal::EnumCategory<FuzzError> category("kt.fuzz");
  return category;
}

std::error_code make_error_code(FuzzError e) noexcept {
  return {static_cast<int>(e), FuzzCategory()};
}

Expected<FuzzResult> FuzzSearch(std::span<const ColumnSchema> columns,
                                std::span<const Integer> constants,
                                std::span<const std::string> strings,
                                std::span<const PreviousRow> previous, Executor& executor,
                                const FuzzOptions& options) {
  if (!HasTextColumn(columns)) {
    return MakeError(FuzzError::kNoTextColumn,
                     "FuzzSearch needs a string or bytes parameter; use Search");
  }
  std::vector<std::vector<Value>> domains;
  for (const ColumnSchema& column : columns) {
    auto seeds = SeedValues(column, constants);
    if (!seeds) return std::move(seeds).assume_error();
    domains.push_back(IsText(column) ? std::vector<Value>{} : std::move(seeds).assume_value());
  }
  const FuzzCodec codec(columns, domains);
  FuzzRun run(columns, executor, options);
  KT_TRY(run.RunPrevious(previous));
  if (run.stopping()) return run.Finish();

  const SearchOptions& search = options.search;
  const std::uint64_t share = search.budget / 100 * search.initial_share_percent +
                              search.budget % 100 * search.initial_share_percent / 100;
  const SeedCorpus seeds = SeedInputs(codec, columns, domains, strings, previous, share);
  const std::vector<std::string> words = DictionaryWords(strings, constants);
  run.stats().seed_inputs = seeds.inputs.size();
  run.stats().dictionary_words = words.size();
  run.search_stats().initial = seeds.strength;

  auto dir = WorkDir::Create();
  if (!dir) return std::move(dir).assume_error();
  // libFuzzer parses -runs into an int.
  const std::uint64_t runs = std::min<std::uint64_t>(
      search.budget * options.runs_per_execution, std::numeric_limits<std::int32_t>::max());
  auto flags = LibFuzzerFlags(*dir.assume_value(), seeds, words, codec.max_size(), runs,
                              options.seed);
  if (!flags) return std::move(flags).assume_error();
  KT_TRY(run.RunLibFuzzer(codec, flags.assume_value(), runs));
  return run.Finish();
}

Expected<SearchResult> SearchKernel(std::span<const ColumnSchema> columns,
                                    std::span<const Integer> constants,
                                    std::span<const std::string> strings,
                                    std::span<const PreviousRow> previous, Executor& executor,
                                    const SearchOptions& options, FuzzStats* fuzz_stats) {
  if (!HasTextColumn(columns)) return Search(columns, constants, previous, executor, options);
  FuzzOptions fuzz;
  fuzz.search = options;
  auto result = FuzzSearch(columns, constants, strings, previous, executor, fuzz);
  if (!result) return std::move(result).assume_error();
  if (fuzz_stats != nullptr) *fuzz_stats = result.assume_value().fuzz;
  return std::move(result.assume_value().search);
}

}  // namespace kt::permuter
