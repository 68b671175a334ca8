// The suite driver's command dispatch, kernel selection, orphan tables and `list`.
// runner/, report/'s program map and permuter/driver/ only.
#include "permuter/driver/driver.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "permuter/driver/json.h"
#include "permuter/driver/kernel_job.h"
#include "permuter/driver/output.h"
#include "permuter/driver/report_command.h"
#include "permuter/driver/seed_reader.h"
#include "report/program_map.h"
#include "runner/replay.h"
#include "runner/table.h"

namespace kt::driver {
namespace {

namespace fs = std::filesystem;

std::string ProgramName(std::span<const char* const> args, const SuiteDefaults& defaults) {
  if (!args.empty() && args[0] != nullptr && args[0][0] != '\0') {
    return fs::path(args[0]).filename().string();
  }
  return defaults.suite + "_kt";
}

// The kernels to run, by name; every --kernel must name one.
Expected<std::vector<const KernelInfo*>> SelectKernels(const Registry& registry,
                                                       const std::vector<std::string>& names) {
  std::vector<const KernelInfo*> all;
  for (const KernelInfo& k : registry.kernels()) all.push_back(&k);
  std::sort(all.begin(), all.end(),
            [](const KernelInfo* a, const KernelInfo* b) { return a->name < b->name; });
  if (names.empty()) return all;
  std::vector<const KernelInfo*> chosen;
  for (const KernelInfo* k : all) {
    if (std::find(names.begin(), names.end(), k->name) != names.end()) chosen.push_back(k);
  }
  for (const std::string& name : names) {
    const auto named = [&](const KernelInfo* k) { return k->name == name; };
    if (std::none_of(all.begin(), all.end(), named)) {
      std::string known;
      for (const KernelInfo* k : all) known += (known.empty() ? "" : ", ") + k->name;
      return MakeError(FlagError::kUsage, "--kernel: no kernel named '" + name +
                                              "' in this binary (kernels: " + known + ")");
    }
  }
  return chosen;
}

// Every "*.ktable" in `dir` (not starting with '.': interrupted writes) whose file name is
// no registered kernel's, sorted.
std::vector<std::string> FindOrphans(const fs::path& dir, const Registry& registry) {
  std::vector<std::string> orphans;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.' || it->path().extension() != kTableExtension) continue;
    const auto owns = [&](const KernelInfo& k) { return TableFileName(k.name) == name; };
    const bool owned = std::any_of(registry.kernels().begin(), registry.kernels().end(), owns);
    if (!owned) orphans.push_back(it->path().string());
  }
  std::sort(orphans.begin(), orphans.end());
  return orphans;
}

struct ListEntry {
  const KernelInfo* kernel;
  std::string table_status;  // ok, missing, malformed, mismatch
  std::size_t rows = 0;
  std::string seeds_status;  // ok, missing, error
  std::string message;
};

ListEntry Inspect(const KernelInfo& kernel, const JobSettings& settings) {
  ListEntry e{&kernel, "ok", 0, "ok", {}};
  const fs::path table_path = TablePath(settings, kernel);
  if (!fs::exists(table_path)) {
    e.table_status = "missing";
  } else if (Expected<Table> t = ReadTable(table_path); !t) {
    e.table_status = "malformed";
    e.message = t.error().message;
  } else if (std::optional<std::string> why = CheckTableAgainstKernel(t.value(), kernel)) {
    e.table_status = "mismatch";
    e.message = table_path.string() + ": " + *why;
  } else {
    e.rows = t.value().rows.size();
  }
  const fs::path seeds_path = SeedsPath(settings, kernel);
  if (!fs::exists(seeds_path)) {
    e.seeds_status = "missing";
  } else if (Expected<SeedDocument> s = ReadSeedDocument(seeds_path); !s) {
    e.seeds_status = "error";
    if (e.message.empty()) e.message = s.error().message;
  } else if (Expected<void> fits = CheckSeedsAgainstKernel(s.value(), kernel, seeds_path.string());
             !fits) {
    e.seeds_status = "error";
    if (e.message.empty()) e.message = fits.error().message;
  }
  return e;
}

int List(const std::vector<const KernelInfo*>& kernels, const JobSettings& settings,
         const DriverOptions& o, const SuiteDefaults& defaults,
         const std::vector<std::string>& orphans, std::FILE* out) {
  std::vector<ListEntry> entries;
  for (const KernelInfo* k : kernels) entries.push_back(Inspect(*k, settings));
  if (o.json) {
    JsonWriter w;
    w.BeginObject().Key("suite").String(defaults.suite).Key("command").String("list");
    w.Key("tables").String(o.tables_dir.string()).Key("kernels").BeginArray();
    for (const ListEntry& e : entries) {
      w.BeginObject().Key("kernel").String(e.kernel->name);
      w.Key("source").String(e.kernel->Location()).Key("table_status").String(e.table_status);
      w.Key("rows").Uint(e.rows).Key("seeds_status").String(e.seeds_status);
      w.Key("message").String(e.message).EndObject();
    }
    w.EndArray().Key("orphan_tables").BeginArray();
    for (const std::string& p : orphans) w.String(p);
    w.EndArray().Key("exit_code").Uint(0).EndObject();
    std::fputs(w.Take().c_str(), out);
    return 0;
  }
  std::size_t width = 0;
  for (const ListEntry& e : entries) width = std::max(width, e.kernel->name.size());
  for (const ListEntry& e : entries) {
    std::string table = e.table_status;
    if (e.table_status == "ok") table += " (" + std::to_string(e.rows) + " rows)";
    std::fprintf(out, "%-*s  table %-16s  seeds %-7s  %s\n", static_cast<int>(width),
                 e.kernel->name.c_str(), table.c_str(), e.seeds_status.c_str(),
                 e.kernel->Location().c_str());
    if (!e.message.empty()) std::fprintf(out, "  %s\n", e.message.c_str());
  }
  for (const std::string& p : orphans) std::fprintf(out, "orphan table %s\n", p.c_str());
  return 0;
}

}  // namespace

int RunDriver(std::span<const char* const> args, const Registry& registry,
              const SuiteDefaults& defaults, std::FILE* out, std::FILE* err) {
  const std::string program = ProgramName(args, defaults);
  const Expected<DriverOptions> parsed = ParseDriverFlags(args, defaults);
  if (!parsed) {
    std::fprintf(err, "ERROR: %s\n%s", parsed.error().message.c_str(),
                 Usage(program, defaults).c_str());
    return 2;
  }
  const DriverOptions& o = parsed.value();
  if (o.command == Command::kHelp) {
    std::fputs(Usage(program, defaults).c_str(), out);
    return 0;
  }
  if (const Expected<void> unique = registry.Validate(); !unique) {
    std::fprintf(err, "ERROR: %s\n", unique.error().message.c_str());
    return 2;
  }
  const Expected<std::vector<const KernelInfo*>> kernels = SelectKernels(registry, o.kernels);
  if (!kernels) {
    std::fprintf(err, "ERROR: %s\n", kernels.error().message.c_str());
    return 2;
  }
  // With --kernel only some tables are in question, so none is an orphan.
  const std::vector<std::string> orphans =
      o.kernels.empty() ? FindOrphans(o.tables_dir, registry) : std::vector<std::string>();
  JobSettings settings;
  settings.command = o.command;
  settings.tables_dir = o.tables_dir;
  settings.seeds_dir = o.seeds_dir;
  settings.source_root = defaults.source_root;
  settings.budget = o.budget.value_or(defaults.budget);
  settings.timeout = o.timeout;
  if (o.command == Command::kList) {
    return List(kernels.value(), settings, o, defaults, orphans, out);
  }

  // Built before any job forks, so that every job and the report share one map.
  const report::ProgramMap map = report::ProgramMap::FromRuntime();
  if (o.command == Command::kReport) {
    return RunReport({kernels.value(), settings, o, defaults, program, orphans}, map, out, err);
  }
  std::vector<std::string> names;
  for (const KernelInfo* k : kernels.value()) names.push_back(k->name);
  RunPrinter::Config config{o.command, defaults.suite, program, o.tables_dir.string(), o.json,
                            !o.json && ::isatty(::fileno(out)) == 1};
  RunPrinter printer(out, std::move(config), std::move(names));
  printer.SetOrphans(orphans);
  if (Expected<void> ran = RunKernelJobs(kernels.value(), settings, o.jobs, map, printer); !ran) {
    std::fprintf(err, "ERROR: %s\n", ran.error().message.c_str());
    printer.Finish();
    return 2;
  }
  return printer.Finish();
}

int SuiteMain(int argc, char** argv, const char* suite, const char* tables_dir,
              const char* seeds_dir, const char* source_root, std::uint64_t budget) {
  const SuiteDefaults defaults{suite, tables_dir, seeds_dir, source_root, budget};
  const std::vector<const char*> args(argv, argv + argc);
  return RunDriver(args, Registry::Global(), defaults, stdout, stderr);
}

}  // namespace kt::driver
