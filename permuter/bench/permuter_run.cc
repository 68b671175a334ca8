// The permuter's side of the benchmark: an Executor that passes every call set through to
// the worker and notes when the kernel function's last edge first shows.
#include "permuter/bench/permuter_run.h"

#include <algorithm>
#include <chrono>
#include <utility>
#include <vector>

#include "permuter/search.h"
#include "permuter/worker_executor.h"

namespace kt::permuter::bench {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Counts executions and watches `own` edges. Thread-compatible, as the Executor it wraps.
class WatchingExecutor final : public Executor {
 public:
  WatchingExecutor(Executor& inner, std::vector<std::uint32_t> own, Clock::time_point start)
      : inner_(inner), own_(std::move(own)), seen_(own_.size(), false), start_(start) {}

  Expected<Execution> Run(std::span<const Value> call_set) override {
    Expected<Execution> e = inner_.Run(call_set);
    ++executions_;
    if (e && !full()) Note(e.value().edges);
    return e;
  }

  bool full() const { return num_seen_ == own_.size(); }
  std::uint64_t executions() const { return executions_; }
  std::uint64_t executions_to_full() const { return executions_to_full_; }
  double seconds_to_full() const { return seconds_to_full_; }

 private:
  void Note(const std::vector<std::uint32_t>& edges) {
    for (const std::uint32_t edge : edges) {
      const auto it = std::lower_bound(own_.begin(), own_.end(), edge);
      if (it == own_.end() || *it != edge) continue;
      const auto i = static_cast<std::size_t>(it - own_.begin());
      if (!seen_[i]) {
        seen_[i] = true;
        ++num_seen_;
      }
    }
    if (full()) {
      executions_to_full_ = executions_;
      seconds_to_full_ = SecondsSince(start_);
    }
  }

  Executor& inner_;
  const std::vector<std::uint32_t> own_;  // ascending
  std::vector<bool> seen_;
  std::size_t num_seen_ = 0;
  Clock::time_point start_;
  std::uint64_t executions_ = 0;
  std::uint64_t executions_to_full_ = 0;
  double seconds_to_full_ = 0;
};

}  // namespace

Expected<PermuterRun> RunPermuter(const internal::HardKernel& kernel) {
  PermuterRun run;
  std::vector<std::uint32_t> own = internal::EdgesOfFunction(kernel.info.fn);
  run.edges = own.size();
  const Clock::time_point start = Clock::now();
  WorkerExecutor worker(kernel.info);
  WatchingExecutor watching(worker, std::move(own), start);
  Expected<SearchResult> result = Search(kernel.columns, {}, {}, watching);
  if (!result) return result.error();
  run.seconds = SecondsSince(start);
  run.executions = watching.executions();
  run.reached = run.edges > 0 && watching.full();
  run.executions_to_full = watching.executions_to_full();
  run.seconds_to_full = watching.seconds_to_full();
  run.finding = result.value().finding.has_value();
  return run;
}

}  // namespace kt::permuter::bench
