// Generates (or checks) the tables of the VFIO string kernels (string_kernels.cc) the way the
// suite driver will once it calls SearchKernel: the seeder's domain of each kernel, previous
// rows from the table already there, the libFuzzer search through the forked worker until the
// rows settle, the table written atomically. Until the kernels move to kernels/ and their
// suite, this is how their tables are made:
//
//   permuter_generate_string_tables --tables permuter/testdata/tables [--check]
//
// Prints "INFO: <kernel>: ..." per kernel with the executions to full coverage; exits 0, 1
// for a finding, a stale table (--check) or a BDF error kind without a row, 2 for a setup
// error. Links the seeder library, the instrumented kernels and the fuzz search.
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ast_seeder/seeder.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "permuter/fuzz_search.h"
#include "permuter/table_builder.h"
#include "permuter/worker_executor.h"
#include "runner/registry.h"
#include "runner/table.h"

namespace {

namespace fs = std::filesystem;
using kt::permuter::FuzzResult;

constexpr const char* kKernelsSource = "permuter/testdata/string_kernels.cc";
// As the driver (permuter/driver/kernel_job.h): regeneration from a table's own rows settles
// after one or two searches.
constexpr int kMaxSearches = 4;
// vfio::BdfError's names, as error rows print them.
constexpr const char* kBdfErrors[] = {
    "empty",          "missing_dot",         "missing_colon",         "too_many_components",
    "empty_field",    "invalid_hex",         "field_too_long",        "device_out_of_range",
    "function_out_of_range", "trailing_characters"};

std::string LastComponent(const std::string& qualified) {
  const std::size_t at = qualified.rfind("::");
  return at == std::string::npos ? qualified : qualified.substr(at + 2);
}

std::optional<kt::ParamKind> KindOf(ast_seeder::ParamKind kind) {
  switch (kind) {
    case ast_seeder::ParamKind::kBool: return kt::ParamKind::kBool;
    case ast_seeder::ParamKind::kInt: return kt::ParamKind::kInt;
    case ast_seeder::ParamKind::kEnum: return kt::ParamKind::kEnum;
    case ast_seeder::ParamKind::kFlags: return kt::ParamKind::kFlags;
    case ast_seeder::ParamKind::kStrongInt: return kt::ParamKind::kStrongInt;
    case ast_seeder::ParamKind::kString: return kt::ParamKind::kString;
    case ast_seeder::ParamKind::kBytes: return kt::ParamKind::kBytes;
  }
  return std::nullopt;
}

kt::Integer ToInteger(const ast_seeder::ExactInt& v) {
  return v.negative() ? kt::Integer::Negative(v.magnitude()) : kt::Integer(v.magnitude());
}

// The column schema the driver's seed reader makes of the seeder's parameter.
kt::ColumnSchema ColumnOf(const ast_seeder::ParamDomain& p) {
  kt::ColumnSchema c;
  c.name = p.name;
  c.kind = KindOf(p.kind).value_or(kt::ParamKind::kInt);
  c.cpp_type = p.type;
  c.int_type = {static_cast<int>(p.bits), p.is_signed};
  if (p.range_source == ast_seeder::RangeSource::kAnnotation) {
    c.range_lo = ToInteger(p.lo);
    c.range_hi = ToInteger(p.hi);
  }
  if (p.kind == ast_seeder::ParamKind::kEnum || p.kind == ast_seeder::ParamKind::kFlags) {
    c.enum_name = LastComponent(p.type);
    for (const ast_seeder::Enumerator& e : p.enumerators) {
      c.enumerators.push_back({LastComponent(e.name), ToInteger(e.value)});
    }
  }
  c.max_len = static_cast<std::size_t>(p.max_len);
  return c;
}

struct Seeds {
  std::vector<kt::ColumnSchema> columns;
  std::vector<kt::Integer> constants;
  std::vector<std::string> strings;
};

std::optional<std::map<std::string, Seeds>> SeedKernels(const std::string& root) {
  std::string error;
  const auto db = clang::tooling::CompilationDatabase::loadFromDirectory(KT_BINARY_DIR, error);
  if (!db) {
    std::fprintf(stderr, "ERROR: %s\n", error.c_str());
    return std::nullopt;
  }
  ast_seeder::SeederOutput out;
  const std::vector<std::string> sources = {root + "/" + kKernelsSource};
  ast_seeder::SeederOptions options;
  options.root = root;
  if (!ast_seeder::RunSeeder(*db, sources, options, out)) return std::nullopt;
  std::map<std::string, Seeds> seeds;
  for (const ast_seeder::KernelDomain& k : out.kernels) {
    Seeds& s = seeds[k.name];
    for (const ast_seeder::ParamDomain& p : k.params) s.columns.push_back(ColumnOf(p));
    std::set<kt::Integer> constants;
    for (const ast_seeder::HarvestedConstant& c : k.constants) constants.insert(ToInteger(c.value));
    s.constants.assign(constants.begin(), constants.end());
    for (const ast_seeder::HarvestedString& h : k.strings) s.strings.push_back(h.bytes);
  }
  return seeds;
}

std::vector<kt::permuter::PreviousRow> RowsOf(const kt::Table& table) {
  std::vector<kt::permuter::PreviousRow> rows;
  for (const kt::Row& row : table.rows) rows.push_back({row.values, row.pinned});
  return rows;
}

bool SameRows(const std::vector<kt::permuter::GeneratedRow>& rows,
              const std::vector<kt::permuter::PreviousRow>& previous) {
  if (rows.size() != previous.size()) return false;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].values != previous[i].values || rows[i].pinned != previous[i].pinned) return false;
  }
  return true;
}

// 0 ok, 1 finding / stale / missing error row, 2 setup error.
int Generate(const kt::KernelInfo& kernel, const Seeds& seeds, const fs::path& path, bool check) {
  std::optional<std::string> old_text;
  std::vector<kt::permuter::PreviousRow> previous;
  if (fs::exists(path)) {
    kt::Expected<kt::Table> old = kt::ReadTable(path);
    if (!old) {
      std::fprintf(stderr, "ERROR: %s\n", old.error().message.c_str());
      return 2;
    }
    previous = RowsOf(old.value());
    kt::Expected<std::string> text = kt::FormatTable(old.value());
    if (text) old_text = text.value();
  }
  FuzzResult result;
  int searches = 0;
  for (int search = 1; search <= (check ? 1 : kMaxSearches); ++search) {
    searches = search;
    // A fresh worker per search, as --check has: a worker that lived through an earlier
    // search has run the code under test's one-time initialisation (function-local statics)
    // already, and would not reach those edges again.
    kt::permuter::WorkerExecutor executor(kernel);
    kt::Expected<FuzzResult> r = kt::permuter::FuzzSearch(seeds.columns, seeds.constants,
                                                          seeds.strings, previous, executor);
    if (!r) {
      std::fprintf(stderr, "ERROR: %s: %s\n", kernel.name.c_str(), r.error().message.c_str());
      return 2;
    }
    result = std::move(r).value();
    if (search == 1) {
      // The first search is the one that explores (later ones start from its rows), so its
      // figures are the kernel's executions to full coverage.
      std::printf("INFO: %s: %s: %zu edges, the last new one after %llu of %llu executions "
                  "(%llu libFuzzer inputs, %llu seeds, %llu dictionary words)\n",
                  kernel.name.c_str(), previous.empty() ? "from scratch" : "from the table",
                  result.search.edges.size(),
                  static_cast<unsigned long long>(result.fuzz.executions_to_last_new_edge),
                  static_cast<unsigned long long>(result.search.stats.executions),
                  static_cast<unsigned long long>(result.fuzz.callbacks),
                  static_cast<unsigned long long>(result.fuzz.seed_inputs),
                  static_cast<unsigned long long>(result.fuzz.dictionary_words));
    }
    if (result.search.finding) {
      std::printf("FINDING: %s: %s\n", kernel.name.c_str(), result.search.finding->outcome.text.c_str());
      return 1;
    }
    if (SameRows(result.search.rows, previous)) break;
    previous.clear();
    for (const auto& row : result.search.rows) previous.push_back({row.values, row.pinned});
  }
  const kt::KernelSchema schema{kernel.name, kKernelsSource, kernel.line, seeds.columns};
  const kt::Table table = kt::permuter::BuildTable(schema, kernel.workspaces, result.search);
  kt::Expected<std::string> text = kt::FormatTable(table);
  if (!text) {
    std::fprintf(stderr, "ERROR: %s\n", text.error().message.c_str());
    return 2;
  }
  std::printf("INFO: %s: %zu rows, %zu edges after %d search(es)\n", kernel.name.c_str(),
              result.search.rows.size(), result.search.edges.size(), searches);
  if (check) {
    if (old_text != text.value()) {
      std::printf("STALE: %s: %s\n", kernel.name.c_str(), path.c_str());
      return 1;
    }
    return 0;
  }
  if (kt::Expected<void> w = kt::WriteTable(path, table); !w) {
    std::fprintf(stderr, "ERROR: %s\n", w.error().message.c_str());
    return 2;
  }
  return 0;
}

// Every BdfError kind is some row's outcome.
bool EveryBdfErrorHasARow(const fs::path& path) {
  kt::Expected<kt::Table> table = kt::ReadTable(path);
  if (!table) return false;
  bool all = true;
  for (const char* name : kBdfErrors) {
    const std::string want = std::string("error(vfio.bdf:") + name + ")";
    bool found = false;
    for (const kt::Row& row : table.value().rows) found = found || row.expected.text == want;
    if (!found) std::printf("MISSING: pci.bdf_round_trip has no row for %s\n", want.c_str());
    all = all && found;
  }
  return all;
}

}  // namespace

int main(int argc, char** argv) {
  fs::path tables;
  bool check = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--tables") == 0 && i + 1 < argc) {
      tables = argv[++i];
    } else if (std::strcmp(argv[i], "--check") == 0) {
      check = true;
    } else {
      std::fprintf(stderr, "usage: %s --tables <dir> [--check]\n", argv[0]);
      return 2;
    }
  }
  if (tables.empty()) {
    std::fprintf(stderr, "usage: %s --tables <dir> [--check]\n", argv[0]);
    return 2;
  }
  const std::optional<std::map<std::string, Seeds>> seeds = SeedKernels(KT_SOURCE_ROOT);
  if (!seeds) return 2;
  int status = 0;
  for (const kt::KernelInfo& kernel : kt::Registry::Global().kernels()) {
    const auto it = seeds->find(kernel.name);
    if (it == seeds->end()) {
      std::fprintf(stderr, "ERROR: the seeder found no kernel %s\n", kernel.name.c_str());
      return 2;
    }
    const int s = Generate(kernel, it->second, tables / (kernel.name + ".ktable"), check);
    if (s > status) status = s;
  }
  if (status == 0 && !EveryBdfErrorHasARow(tables / "pci.bdf_round_trip.ktable")) status = 1;
  return status;
}
