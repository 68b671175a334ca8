// Table files: the error category, reading and atomic writing. The standard library and runner/ only.
#include "runner/table.h"

#include <fstream>
#include <sstream>

#include "runner/internal/atomic_file.h"

namespace kt {

const char* ToString(TableError e) noexcept {
  switch (e) {
    case TableError::kSyntax: return "syntax";
    case TableError::kVersion: return "version";
    case TableError::kHeader: return "header";
    case TableError::kRow: return "row";
    case TableError::kIo: return "io";
    case TableError::kFormat: return "format";
  }
  return "unknown";
}

const std::error_category& TableCategory() noexcept {
  static const internal::EnumCategory<TableError> category("kt.table");
  return category;
}

std::error_code make_error_code(TableError e) noexcept {
  return {static_cast<int>(e), TableCategory()};
}

std::string TableFileName(std::string_view kernel_name) {
  return std::string(kernel_name) + std::string(kTableExtension);
}

Expected<Table> ReadTable(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in.is_open() || in.bad()) {
    return MakeError(TableError::kIo, path.string() + ": cannot read the table");
  }
  return ParseTable(text.str(), path.string());
}

Expected<void> WriteTable(const std::filesystem::path& path, const Table& table) {
  auto text = FormatTable(table);
  if (!text) return std::move(text).assume_error();
  return internal::WriteFileAtomically(path, text.value());
}

}  // namespace kt
