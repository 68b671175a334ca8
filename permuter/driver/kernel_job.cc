// One kernel's generate, check or report. runner/ (tables, cells, replay's table check),
// permuter/ (search, table builder, worker), report/ (the program map) and permuter/driver/
// only.
#include "permuter/driver/kernel_job.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include "permuter/driver/json.h"
#include "permuter/driver/kernel_search.h"
#include "permuter/driver/row_coverage.h"
#include "permuter/driver/seed_reader.h"
#include "permuter/driver/unified_diff.h"
#include "permuter/search.h"
#include "permuter/table_builder.h"
#include "permuter/worker_executor.h"
#include "runner/cell.h"
#include "runner/replay.h"
#include "runner/table.h"

namespace kt::driver {
namespace {

namespace fs = std::filesystem;
using permuter::PreviousRow;

// Forwards to the worker, counting executions and the edges they reached for the progress
// display. Reports at most every kProgressInterval: a pipe write per execution would cost
// more than many kernels do.
class ProgressExecutor final : public permuter::Executor {
 public:
  static constexpr std::chrono::milliseconds kProgressInterval{100};

  ProgressExecutor(permuter::Executor& inner, const ProgressSink& sink)
      : inner_(inner), sink_(sink) {}

  Expected<permuter::Execution> Run(std::span<const Value> call_set) override {
    Expected<permuter::Execution> e = inner_.Run(call_set);
    if (!e) return e;
    ++executions_;
    edges_.insert(e.value().edges.begin(), e.value().edges.end());
    const auto now = std::chrono::steady_clock::now();
    if (sink_ && now - last_report_ >= kProgressInterval) {
      last_report_ = now;
      sink_(executions_, edges_.size());
    }
    return e;
  }

 private:
  permuter::Executor& inner_;
  const ProgressSink& sink_;
  std::uint64_t executions_ = 0;
  std::set<std::uint32_t> edges_;
  std::chrono::steady_clock::time_point last_report_{};
};

std::optional<std::string> ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

KernelResult Fail(KernelResult r, KernelStatus status, std::string message) {
  r.status = status;
  r.message = std::move(message);
  return r;
}

// The call sets Search starts from: each row's values plus its workspace index. A row the
// kernel can no longer run is dropped if generated (regeneration replaces it) and an error
// if pinned (only its author knows what it should become). `numbers` gets each kept row's
// 1-based position in the table, as the replay numbers rows.
std::vector<PreviousRow> PreviousRowsOf(const Table& table, const KernelInfo& kernel,
                                        const fs::path& path, std::string* error,
                                        std::vector<std::size_t>* numbers) {
  const std::optional<std::string> misfit = CheckTableAgainstKernel(table, kernel);
  std::vector<PreviousRow> rows;
  for (std::size_t n = 0; n < table.rows.size(); ++n) {
    const Row& row = table.rows[n];
    std::optional<std::size_t> workspace;
    for (std::size_t i = 0; i < kernel.workspaces.size(); ++i) {
      if (row.workspace == kernel.workspaces[i].name) workspace = i;
    }
    const bool runs = !misfit && (kernel.workspaces.empty() || workspace.has_value());
    if (!runs && row.pinned) {
      *error = path.string() + ":" + std::to_string(row.line) + ": pinned row no longer fits " +
               "kernel \"" + kernel.name + "\" (" +
               (misfit ? *misfit : "unknown workspace " + row.workspace.value_or("-")) +
               "); edit or delete it";
      return {};
    }
    if (!runs) continue;
    PreviousRow previous{row.values, row.pinned};
    if (workspace) previous.values.push_back(Value::Enum(Integer(*workspace)));
    rows.push_back(std::move(previous));
    numbers->push_back(n + 1);
  }
  return rows;
}

bool SameRows(std::span<const PreviousRow> a, std::span<const PreviousRow> b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const PreviousRow& x, const PreviousRow& y) {
                      return x.pinned == y.pinned && x.values == y.values;
                    });
}

// One search and the table it gives, or its finding.
struct Generation {
  Table table;
  std::vector<PreviousRow> rows;  // the table's rows as the next search's previous rows
  std::optional<permuter::Finding> finding;
  std::vector<ColumnSchema> columns;  // the search's: parameters, then the workspace
};

Expected<Generation> SearchOnce(const KernelInfo& kernel, const SeedDocument& seeds,
                                std::span<const PreviousRow> previous, permuter::Executor& executor,
                                std::uint64_t budget, const JobSettings& settings) {
  Generation g;
  g.columns = seeds.columns;
  if (std::optional<ColumnSchema> ws = permuter::WorkspaceColumn(kernel)) g.columns.push_back(*ws);
  permuter::SearchOptions options;
  if (budget != 0) options.budget = budget;
  Expected<permuter::SearchResult> result =
      SearchKernel(kernel, g.columns, seeds, previous, executor, options, stderr);
  if (!result) return std::move(result).assume_error();
  const permuter::SearchResult& r = result.value();
  g.finding = r.finding;
  const KernelSchema schema{kernel.name, RelativeSource(kernel.file, settings.source_root),
                            kernel.line, seeds.columns};
  g.table = permuter::BuildTable(schema, kernel.workspaces, r);
  for (const permuter::GeneratedRow& row : r.rows) g.rows.push_back({row.values, row.pinned});
  return g;
}

// MeasureRows of `rows` in a worker forked for it alone.
Expected<RowCoverage> Measure(const KernelInfo& kernel, std::span<const PreviousRow> rows,
                              const JobSettings& s, const report::ProgramMap& map,
                              const ProgressSink& progress) {
  permuter::WorkerExecutor fresh(kernel, permuter::WorkerOptions{s.timeout});
  ProgressExecutor executor(fresh, progress);
  return MeasureRows(executor, rows, map, reinterpret_cast<std::uintptr_t>(kernel.fn));
}

// The header's edges: what the generated rows reach, measured as check and report measure.
Expected<void> MeasureGeneration(const KernelInfo& kernel, const JobSettings& s,
                                 const report::ProgramMap& map, const ProgressSink& progress,
                                 Generation* g) {
  Expected<RowCoverage> measured = Measure(kernel, g->rows, s, map, progress);
  if (!measured) return std::move(measured).assume_error();
  g->table.stats.edges_reached = measured.value().figures.reached;
  g->table.stats.edges_reachable = measured.value().figures.reachable;
  return outcome::success();
}

// Comments belong to the row below them (a pinned row's explanation): they follow the call
// set into the regenerated table.
void KeepComments(const Table& old, Table* table) {
  for (Row& row : table->rows) {
    for (const Row& before : old.rows) {
      if (before.values == row.values && before.workspace == row.workspace) {
        row.comments = before.comments;
      }
    }
  }
}

void Summarise(const Generation& g, KernelResult* r) {
  r->stats = g.table.stats;
  r->rows = g.table.rows.size();
}

KernelResult WithFinding(KernelResult r, const Generation& g) {
  const permuter::Finding& f = *g.finding;
  r.status = KernelStatus::kFinding;
  r.finding = FindingReport{f.outcome.text, FormatCallSet(g.columns, f.reproducer),
                            FormatCallSet(g.columns, f.found), f.outcome.detail};
  Summarise(g, &r);
  return r;
}

// What every job needs before it searches: the seeds and the checked-in table, if any.
struct Inputs {
  SeedDocument seeds;
  std::optional<std::string> text;  // the table file's bytes
  std::optional<Table> table;
  std::vector<PreviousRow> previous;
  std::vector<std::size_t> numbers;  // each previous row's number in the table (row_N)
};

// Reads the inputs; on failure returns the finished result instead.
std::optional<KernelResult> ReadInputs(const KernelInfo& kernel, const JobSettings& s,
                                       const KernelResult& r, bool need_seeds, Inputs* in) {
  if (need_seeds) {
    const fs::path seeds_path = SeedsPath(s, kernel);
    Expected<SeedDocument> seeds = ReadSeedDocument(seeds_path);
    if (!seeds && seeds.error().code == make_error_code(SeedError::kIo)) {
      return Fail(r, KernelStatus::kError,
                  seeds.error().message + " (the build writes it: build the suite again)");
    }
    if (!seeds) return Fail(r, KernelStatus::kError, seeds.error().message);
    if (Expected<void> fits = CheckSeedsAgainstKernel(seeds.value(), kernel, seeds_path.string());
        !fits) {
      return Fail(r, KernelStatus::kError, fits.error().message);
    }
    in->seeds = std::move(seeds).assume_value();
  }
  const fs::path path = TablePath(s, kernel);
  in->text = ReadText(path);
  if (!in->text) return std::nullopt;
  Expected<Table> table = ParseTable(*in->text, path.string());
  if (!table) return Fail(r, KernelStatus::kMalformed, table.error().message);
  in->table = std::move(table).assume_value();
  std::string error;
  in->previous = PreviousRowsOf(*in->table, kernel, path, &error, &in->numbers);
  if (!error.empty()) return Fail(r, KernelStatus::kMalformed, error);
  return std::nullopt;
}

KernelResult Generate(const KernelInfo& kernel, const JobSettings& s,
                      const report::ProgramMap& map, const ProgressSink& progress,
                      KernelResult r) {
  Inputs in;
  if (std::optional<KernelResult> failed = ReadInputs(kernel, s, r, true, &in)) {
    if (failed->status == KernelStatus::kMalformed) {
      failed->message += "; generate does not overwrite a table it cannot read: fix or delete it";
    }
    return *failed;
  }
  std::vector<PreviousRow> previous = in.previous;
  std::optional<Generation> settled;
  for (r.searches = 1;; ++r.searches) {
    // A fresh worker per search, as check has: one that lived through an earlier search has
    // run the code under test's one-time initialisation (function-local statics, error
    // categories) already and would not reach those edges again, so the written table would
    // count fewer edges than check regenerates.
    permuter::WorkerExecutor worker(kernel, permuter::WorkerOptions{s.timeout});
    ProgressExecutor executor(worker, progress);
    Expected<Generation> g = SearchOnce(kernel, in.seeds, previous, executor, s.budget, s);
    if (!g) return Fail(r, KernelStatus::kError, g.error().message);
    if (g.value().finding) return WithFinding(r, g.value());
    if (SameRows(g.value().rows, previous) || r.searches == kMaxSearches) {
      if (!SameRows(g.value().rows, previous)) {
        r.message = "the rows did not settle after " + std::to_string(kMaxSearches) +
                    " searches; check may report this table stale";
      }
      settled = std::move(g).assume_value();
      break;
    }
    previous = std::move(g.value().rows);
  }
  if (Expected<void> measured = MeasureGeneration(kernel, s, map, progress, &*settled); !measured) {
    return Fail(r, KernelStatus::kError, measured.error().message);
  }
  if (in.table) KeepComments(*in.table, &settled->table);
  Summarise(*settled, &r);
  Expected<std::string> text = FormatTable(settled->table);
  if (!text) return Fail(r, KernelStatus::kError, text.error().message);
  if (in.text == text.value()) {
    r.status = KernelStatus::kUnchanged;
    return r;
  }
  std::error_code ec;
  fs::create_directories(s.tables_dir, ec);
  if (Expected<void> written = WriteTable(TablePath(s, kernel), settled->table); !written) {
    return Fail(r, KernelStatus::kError, written.error().message);
  }
  r.status = KernelStatus::kWritten;
  return r;
}

// The checked-in rows' figures against the header's. When the regeneration kept exactly
// the checked-in rows, `regenerated` already is their measurement.
Expected<CoverageFigures> CheckedInCoverage(const KernelInfo& kernel, const JobSettings& s,
                                            const report::ProgramMap& map,
                                            const ProgressSink& progress, const Inputs& in,
                                            const Generation& regenerated) {
  const TableStats& header = in.table->stats;
  CoverageFigures c{{regenerated.table.stats.edges_reached,
                     regenerated.table.stats.edges_reachable},
                    {header.edges_reached, header.edges_reachable}};
  if (SameRows(regenerated.rows, in.previous)) return c;
  Expected<RowCoverage> measured = Measure(kernel, in.previous, s, map, progress);
  if (!measured) return std::move(measured).assume_error();
  c.now = measured.value().figures;
  return c;
}

KernelResult Check(const KernelInfo& kernel, const JobSettings& s, const report::ProgramMap& map,
                   const ProgressSink& progress, KernelResult r) {
  Inputs in;
  if (std::optional<KernelResult> failed = ReadInputs(kernel, s, r, true, &in)) return *failed;
  if (!in.table) {
    return Fail(r, KernelStatus::kMissing,
                "kernel \"" + kernel.name + "\" (" + kernel.Location() + ") has no table " +
                    r.table);
  }
  permuter::WorkerExecutor worker(kernel, permuter::WorkerOptions{s.timeout});
  ProgressExecutor executor(worker, progress);
  const std::uint64_t budget = in.table->stats.budget != 0 ? in.table->stats.budget : s.budget;
  Expected<Generation> g = SearchOnce(kernel, in.seeds, in.previous, executor, budget, s);
  if (!g) return Fail(r, KernelStatus::kError, g.error().message);
  if (g.value().finding) return WithFinding(r, g.value());
  r.searches = 1;
  if (Expected<void> m = MeasureGeneration(kernel, s, map, progress, &g.value()); !m) {
    return Fail(r, KernelStatus::kError, m.error().message);
  }
  Expected<CoverageFigures> coverage = CheckedInCoverage(kernel, s, map, progress, in, g.value());
  if (!coverage) return Fail(r, KernelStatus::kError, coverage.error().message);
  r.coverage = coverage.value();
  KeepComments(*in.table, &g.value().table);
  Summarise(g.value(), &r);
  Expected<std::string> text = FormatTable(g.value().table);
  if (!text) return Fail(r, KernelStatus::kError, text.error().message);
  r.diff = UnifiedDiff(*in.text, text.value(), r.table, r.table + " (regenerated)");
  r.status = r.diff.empty() ? KernelStatus::kOk : KernelStatus::kStale;
  return r;
}

KernelResult Report(const KernelInfo& kernel, const JobSettings& s, const report::ProgramMap& map,
                    const ProgressSink& progress, KernelResult r) {
  Inputs in;
  if (std::optional<KernelResult> failed = ReadInputs(kernel, s, r, false, &in)) return *failed;
  if (!in.table) {
    return Fail(r, KernelStatus::kMissing,
                "kernel \"" + kernel.name + "\" (" + kernel.Location() + ") has no table " +
                    r.table);
  }
  Expected<RowCoverage> measured = Measure(kernel, in.previous, s, map, progress);
  if (!measured) return Fail(r, KernelStatus::kError, measured.error().message);
  r.stats = in.table->stats;
  r.rows = in.table->rows.size();
  r.coverage = CoverageFigures{measured.value().figures,
                               {r.stats.edges_reached, r.stats.edges_reachable}};
  for (std::size_t i = 0; i < in.previous.size(); ++i) {
    r.row_edges.push_back({"row_" + std::to_string(in.numbers[i]),
                           std::move(measured.value().edges[i])});
  }
  r.status = KernelStatus::kOk;
  return r;
}

}  // namespace

std::string RelativeSource(const std::string& file, const fs::path& root) {
  if (root.empty()) return file;
  const fs::path rel =
      fs::path(file).lexically_normal().lexically_relative(root.lexically_normal());
  if (rel.empty() || *rel.begin() == "..") return file;
  return rel.generic_string();
}

fs::path TablePath(const JobSettings& settings, const KernelInfo& kernel) {
  return settings.tables_dir / TableFileName(kernel.name);
}

fs::path SeedsPath(const JobSettings& settings, const KernelInfo& kernel) {
  return settings.seeds_dir / (kernel.name + ".json");
}

KernelResult RunKernelJob(const KernelInfo& kernel, const JobSettings& settings,
                          const report::ProgramMap& map, const ProgressSink& progress) {
  KernelResult r;
  r.kernel = kernel.name;
  r.table = TablePath(settings, kernel).string();
  switch (settings.command) {
    case Command::kGenerate: return Generate(kernel, settings, map, progress, std::move(r));
    case Command::kCheck: return Check(kernel, settings, map, progress, std::move(r));
    case Command::kReport: return Report(kernel, settings, map, progress, std::move(r));
    case Command::kHelp:
    case Command::kList: break;
  }
  return Fail(std::move(r), KernelStatus::kError, "no job for this subcommand");
}

Expected<void> RunKernelJobs(std::span<const KernelInfo* const> kernels,
                             const JobSettings& settings, unsigned parallel,
                             const report::ProgramMap& map, RunPrinter& printer) {
  const JobFn job = [&](std::size_t i, const ProgressSink& progress) {
    JsonWriter w;
    WriteKernelResult(RunKernelJob(*kernels[i], settings, map, progress), w);
    return w.Take();
  };
  JobEvents events;
  events.on_progress = [&](std::size_t i, std::uint64_t executions, std::uint64_t edges) {
    printer.Progress(i, executions, edges);
  };
  events.on_done = [&](std::size_t i, std::optional<std::string> text, const std::string& ended) {
    std::optional<KernelResult> r;
    if (text) {
      if (Expected<JsonValue> json = ParseJson(*text)) r = KernelResultFromJson(json.value());
    }
    if (!r) {
      r = KernelResult{};
      r->kernel = kernels[i]->name;
      r->table = TablePath(settings, *kernels[i]).string();
      r->message = "its job ended without a result (" + ended + ")";
    }
    printer.Done(i, std::move(*r));
  };
  return RunJobs(kernels.size(), parallel, job, events);
}

}  // namespace kt::driver
