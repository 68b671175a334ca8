// Replay planning and the per-row check. The standard library and runner/ only; GoogleTest
// is confined to replay_gtest.cc.
#include "runner/replay.h"

#include <algorithm>
#include <map>
#include <memory>

#include "runner/cell.h"
#include "runner/child.h"
#include "runner/execute.h"

namespace kt {
namespace {

namespace fs = std::filesystem;

// A table file as found: parsed, or the error that says why not.
struct Found {
  std::string path;
  std::shared_ptr<const Table> table;
  std::string error;
};

std::string ShellQuote(std::string_view s) {
  const bool plain = !s.empty() && s.find_first_not_of(
                                       "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"
                                       "QRSTUVWXYZ0123456789_-./=:,+@%") == std::string_view::npos;
  if (plain) return std::string(s);
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string RerunCommand(const ReplayOptions& o, std::string_view test) {
  std::string cmd = ShellQuote(o.program) + " --tables " + ShellQuote(o.tables_dir.string());
  if (o.timeout != ReplayOptions{}.timeout)
    cmd += " --timeout_ms " + std::to_string(o.timeout.count());
  if (o.fork_every_row) cmd += " --fork";
  if (!o.check_orphan_tables) cmd += " --allow_orphan_tables";
  return cmd + " --gtest_filter=" + ShellQuote(test);
}

RowVerdict Pass() { return {true, {}}; }
RowVerdict FailWith(std::string message) { return {false, std::move(message)}; }

// Every "*.ktable" in dir not starting with '.', by kernel name; a table whose header
// cannot be read is keyed by its file name without the extension.
std::map<std::string, std::vector<Found>> ScanTables(const fs::path& dir) {
  std::map<std::string, std::vector<Found>> found;
  std::vector<fs::path> paths;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.front() == '.' || it->path().extension() != kTableExtension) continue;
    paths.push_back(it->path());
  }
  std::sort(paths.begin(), paths.end());
  for (const fs::path& p : paths) {
    Expected<Table> t = ReadTable(p);
    if (t) {
      const std::string kernel = t.value().kernel.name;
      found[kernel].push_back(
          {p.string(), std::make_shared<const Table>(std::move(t).assume_value()), {}});
    } else {
      found[p.stem().string()].push_back({p.string(), nullptr, t.error().message});
    }
  }
  return found;
}

// The "table" test of a kernel, and whether its rows can be replayed.
RowVerdict TableVerdict(const KernelInfo* kernel, const Registry& registry,
                        const std::vector<Found>* tables, const std::string& name,
                        const ReplayOptions& options) {
  if (kernel == nullptr) {
    if (!options.check_orphan_tables) return Pass();
    return FailWith((*tables)[0].path + ": no kernel \"" + name +
                    "\" is registered in this binary");
  }
  if (auto unique = registry.Find(name); !unique) return FailWith(unique.error().message);
  if (tables == nullptr) {
    return FailWith("kernel \"" + name + "\" (" + kernel->Location() + ") has no table " +
                    (options.tables_dir / TableFileName(name)).string() + "; generate it");
  }
  if (tables->size() > 1) {
    return FailWith("kernel \"" + name + "\" has " + std::to_string(tables->size()) +
                    " tables: " + (*tables)[0].path + " and " + (*tables)[1].path);
  }
  const Found& f = (*tables)[0];
  if (!f.table) return FailWith(f.error);
  if (fs::path(f.path).filename() != TableFileName(name)) {
    return FailWith(f.path + ": the table of kernel \"" + name + "\" must be named " +
                    TableFileName(name));
  }
  if (std::optional<std::string> why = CheckTableAgainstKernel(*f.table, *kernel)) {
    return FailWith(f.path + ": does not fit kernel \"" + name + "\" (" + kernel->Location() +
                    "): " + *why);
  }
  return Pass();
}

void AddRows(const KernelInfo& kernel, const Found& f, const std::string& suite,
             const ReplayOptions& options, std::vector<ReplayTest>* tests) {
  for (std::size_t i = 0; i < f.table->rows.size(); ++i) {
    ReplayTest t{suite, "row_" + std::to_string(i + 1), f.path, f.table->rows[i].line, {}};
    std::shared_ptr<const Table> table = f.table;
    const std::string full = suite + "." + t.name;
    t.run = [&kernel, table, i, options, full] {
      return ReplayRow(kernel, *table, i, options, full);
    };
    tests->push_back(std::move(t));
  }
}

}  // namespace

const char* ToString(ReplayError e) noexcept {
  switch (e) {
    case ReplayError::kUsage: return "usage";
  }
  return "unknown";
}

const std::error_category& ReplayCategory() noexcept {
  static const internal::EnumCategory<ReplayError> category("kt.replay");
  return category;
}

std::error_code make_error_code(ReplayError e) noexcept {
  return {static_cast<int>(e), ReplayCategory()};
}

std::string TestSuiteName(std::string_view kernel_name) {
  std::string s(kernel_name);
  for (char& c : s) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '.';
    if (!keep) c = '_';
  }
  return s.empty() ? "_" : s;
}

std::optional<std::string> CheckTableAgainstKernel(const Table& table, const KernelInfo& kernel) {
  const std::vector<ColumnSchema>& cols = table.kernel.columns;
  if (cols.size() != kernel.signature.size()) {
    return "the table has " + std::to_string(cols.size()) + " parameters, the kernel " +
           std::to_string(kernel.signature.size());
  }
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (std::optional<std::string> why = Incompatibility(cols[i], kernel.signature[i])) {
      return "parameter " + std::to_string(i + 1) + " (" + cols[i].name + "): " + *why;
    }
  }
  if (table.workspaces.empty() != kernel.workspaces.empty()) {
    return table.workspaces.empty() ? "the kernel has workspace templates, the table none"
                                    : "the table has workspace templates, the kernel none";
  }
  return std::nullopt;
}

RowVerdict ReplayRow(const KernelInfo& kernel, const Table& table, std::size_t index,
                     const ReplayOptions& options, std::string_view test) {
  const Row& row = table.rows[index];
  const WorkspaceTemplate* ws = nullptr;
  for (const WorkspaceTemplate& w : table.workspaces) {
    if (row.workspace && w.name == *row.workspace) ws = &w;
  }
  const bool in_child = options.fork_every_row || NeedsChild(row.expected.kind);
  Expected<Outcome> actual =
      in_child ? ExecuteInChild(kernel, row.values, ws, ChildOptions{options.timeout})
               : Execute(kernel, row.values, ws);
  std::string call = FormatCallSet(table.kernel.columns, row.values);
  if (row.workspace) call += "  workspace=" + *row.workspace;
  const std::string where = "row " + std::to_string(index + 1) + " of " + kernel.name + " (line " +
                            std::to_string(row.line) + ")";
  const std::string rerun = "  rerun:    " + RerunCommand(options, test) + "\n";
  if (!actual) {
    return FailWith(where + " could not run\n  call:     " + call +
                    "\n  error:    " + actual.error().message + "\n" + rerun);
  }
  const std::vector<std::string> diffs = Differences(row.expected, actual.value());
  if (diffs.empty()) return Pass();
  std::string m = where + " differs\n  call:     " + call +
                  "\n  expected: " + Summary(row.expected) +
                  "\n  actual:   " + Summary(actual.value()) + "\n";
  for (const std::string& d : diffs) m += "  - " + d + "\n";
  if (!actual.value().detail.empty())
    m += "  stderr of the child:\n" + actual.value().detail + "\n";
  return FailWith(m + rerun);
}

std::vector<ReplayTest> PlanReplay(const Registry& registry, const ReplayOptions& options) {
  const std::map<std::string, std::vector<Found>> tables = ScanTables(options.tables_dir);
  std::map<std::string, const KernelInfo*> kernels;
  for (const KernelInfo& k : registry.kernels()) kernels.emplace(k.name, &k);
  std::vector<std::string> names;
  for (const auto& [name, k] : kernels) names.push_back(name);
  for (const auto& [name, found] : tables) {
    if (kernels.count(name) == 0) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  std::vector<ReplayTest> tests;
  for (const std::string& name : names) {
    const auto k = kernels.find(name);
    const auto t = tables.find(name);
    const KernelInfo* kernel = k == kernels.end() ? nullptr : k->second;
    const std::vector<Found>* found = t == tables.end() ? nullptr : &t->second;
    const std::string suite = TestSuiteName(name);
    RowVerdict verdict = TableVerdict(kernel, registry, found, name, options);
    const std::string file = found ? (*found)[0].path : kernel->file;
    tests.push_back(
        {suite, "table", file, found ? 1 : kernel->line, [verdict] { return verdict; }});
    if (verdict.passed && kernel != nullptr) AddRows(*kernel, (*found)[0], suite, options, &tests);
  }
  return tests;
}

Expected<ReplayOptions> ParseReplayFlags(int argc, const char* const* argv) {
  ReplayOptions o;
  if (argc > 0) o.program = argv[0];
  bool have_tables = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const bool has_next = i + 1 < argc;
    if (a == "--tables" && has_next) {
      o.tables_dir = argv[++i];
      have_tables = true;
    } else if (a.substr(0, 9) == "--tables=") {
      o.tables_dir = a.substr(9);
      have_tables = true;
    } else if (a == "--timeout_ms" && has_next) {
      const std::string_view v = argv[++i];
      if (v.empty() || v.find_first_not_of("0123456789") != std::string_view::npos ||
          v.size() > 9) {
        return MakeError(ReplayError::kUsage, "--timeout_ms takes a count of milliseconds");
      }
      o.timeout = std::chrono::milliseconds(std::stol(std::string(v)));
    } else if (a == "--fork") {
      o.fork_every_row = true;
    } else if (a == "--allow_orphan_tables") {
      o.check_orphan_tables = false;
    } else {
      return MakeError(ReplayError::kUsage, "unknown or incomplete flag '" + std::string(a) + "'");
    }
  }
  if (!have_tables) return MakeError(ReplayError::kUsage, "--tables DIR is required");
  return o;
}

}  // namespace kt
