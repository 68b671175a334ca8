// The table of one kernel: a self-describing header and one call set per line with its
// expected outcome and observations. Parsing (every malformed input is an error
// "file:line: message"), canonical writing and atomic file replacement. The format is
// specified in docs/table-format.md. The standard library and runner/ only; never GoogleTest.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

#include "runner/error.h"
#include "runner/outcome.h"
#include "runner/schema.h"
#include "runner/value.h"
#include "runner/workspace.h"

namespace kt {

inline constexpr int kTableFormatVersion = 1;
inline constexpr std::string_view kTableExtension = ".ktable";

enum class TableError {
  kSyntax = 1,  // a line that does not split into cells: unterminated string, unbalanced ')'
  kVersion,     // no "kerneltest-table 1" line first, or another version
  kHeader,      // a missing, repeated, unknown or malformed header directive
  kRow,         // a row that does not fit the header: cell count, value, template, outcome
  kIo,          // the file could not be read, or written and renamed into place
  kFormat,      // a Table that cannot be written: a value that does not fit its column, ...
};
const char* ToString(TableError e) noexcept;
const std::error_category& TableCategory() noexcept;
std::error_code make_error_code(TableError e) noexcept;

// What generation spent and reached; written for people and for CI, not used by replay.
struct TableStats {
  std::uint64_t edges_reached = 0;
  std::uint64_t edges_reachable = 0;
  std::uint64_t executions = 0;
  std::uint64_t budget = 0;  // in executions, never seconds
  bool exhaustive = false;   // every combination of the seeds ran
  friend bool operator==(const TableStats&, const TableStats&) = default;
};

struct Row {
  bool pinned = false;  // "pin" rows are added by hand and survive every regeneration
  std::vector<Value> values;
  std::optional<std::string> workspace;  // a template name, exactly when the table has any
  // text, observations (in column order) and workspace_after (a canonical manifest).
  Outcome expected;
  std::vector<std::string> comments;  // '#' lines just above the row, kept with it
  int line = 0;                       // where ParseTable found it; 0 for new rows
};

struct Table {
  KernelSchema kernel;
  TableStats stats;
  std::vector<WorkspaceTemplate> workspaces;
  // Observation columns in order. FormatTable appends names the rows observe that are
  // missing here, in the order rows first observe them.
  std::vector<std::string> observations;
  std::vector<Row> rows;  // written in this order; the permuter decides it
};

// Parses a table; `path` only names the file in messages ("path:line: message").
Expected<Table> ParseTable(std::string_view text, std::string_view path);
Expected<Table> ReadTable(const std::filesystem::path& path);

// The canonical text of a table: aligned columns, one spelling per value. kFormat when a
// value does not fit its column or a name cannot be written.
Expected<std::string> FormatTable(const Table& table);

// FormatTable, written atomically: a temporary file in the same directory, fsync, rename
// over `path`, fsync of the directory. A writer killed at any point leaves the old table
// whole (and at worst a stray ".<name>.tmp-XXXXXX" file, which readers ignore).
Expected<void> WriteTable(const std::filesystem::path& path, const Table& table);

// A table's file name: "<kernel name>.ktable".
std::string TableFileName(std::string_view kernel_name);

}  // namespace kt

template <>
struct std::is_error_code_enum<kt::TableError> : std::true_type {};
