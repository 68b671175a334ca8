// ParseTable: the table format's reader. Every malformed input is an Error whose message
// starts with "file:line: ". The standard library and runner/ only.
#include <algorithm>
#include <map>
#include <set>

#include "runner/cell.h"
#include "runner/internal/text.h"
#include "runner/table.h"

namespace kt {
namespace {

using Cells = std::vector<std::string_view>;

struct EnumDecl {
  bool flags = false;
  IntType int_type;
  std::vector<Enumerator> enumerators;
};

class Parser {
 public:
  Parser(std::string_view text, std::string_view path) : text_(text), path_(path) {}
  Expected<Table> Run();

 private:
  Error Fail(TableError e, int line, const std::string& message) const {
    return MakeError(e, std::string(path_) + ":" + std::to_string(line) + ": " + message);
  }
  Expected<void> Line(std::string_view line, int number);
  Expected<void> Directive(const Cells& cells, int line);
  Expected<void> Stat(const Cells& cells, int line);
  Expected<void> EnumDirective(const Cells& cells, int line);
  Expected<void> ParamDirective(const Cells& cells, int line);
  Expected<void> ParamAttribute(ColumnSchema& c, std::string_view attr, int line);
  Expected<void> WorkspaceDirective(const Cells& cells, int line);
  Expected<void> Title(const Cells& cells, int line);
  Expected<void> ResolveEnums();
  Expected<void> RowLine(const Cells& cells, int line);
  Expected<void> RowOutputs(Row& row, const Cells& cells, std::size_t at, int line);
  Expected<std::string> AfterCell(std::string_view cell, int line) const;

  std::string_view text_;
  std::string_view path_;
  Table table_;
  bool versioned_ = false;
  bool in_rows_ = false;
  std::set<std::string, std::less<>> seen_;  // single-valued directives
  std::map<std::string, EnumDecl, std::less<>> enums_;
  std::vector<std::string> param_enum_refs_;  // per column: the enum it names, or ""
  std::vector<int> param_lines_;
  std::vector<std::string> pending_comments_;
  std::map<std::string, int> call_sets_;  // canonical inputs -> line, to reject repeats
};

Expected<Table> Parser::Run() {
  int number = 0;
  std::size_t pos = 0;
  while (pos < text_.size()) {
    const std::size_t end = std::min(text_.find('\n', pos), text_.size());
    KT_TRY(Line(text_.substr(pos, end - pos), ++number));
    pos = end + 1;
  }
  if (!versioned_) {
    return Fail(TableError::kVersion, std::max(number, 1),
                "empty table: expected 'kerneltest-table 1'");
  }
  if (!in_rows_)
    return Fail(TableError::kHeader, number, "missing the 'rows' line that ends the header");
  return std::move(table_);
}

Expected<void> Parser::Line(std::string_view line, int number) {
  const std::size_t first = line.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return outcome::success();
  if (line[first] == '#') {
    if (in_rows_) pending_comments_.emplace_back(line.substr(first + 1));
    return outcome::success();
  }
  Cells cells;
  std::string error;
  if (!internal::SplitCells(line, &cells, &error)) return Fail(TableError::kSyntax, number, error);
  if (!versioned_) {
    if (cells.size() != 2 || cells[0] != "kerneltest-table") {
      return Fail(TableError::kVersion, number, "expected 'kerneltest-table 1' first");
    }
    if (cells[1] != std::to_string(kTableFormatVersion)) {
      return Fail(
          TableError::kVersion, number,
          "unsupported table format version '" + std::string(cells[1]) + "' (this runner reads 1)");
    }
    versioned_ = true;
    return outcome::success();
  }
  return in_rows_ ? RowLine(cells, number) : Directive(cells, number);
}

Expected<void> Parser::Directive(const Cells& cells, int line) {
  const std::string_view d = cells[0];
  if (d == "param") return ParamDirective(cells, line);
  if (d == "enum" || d == "flags") return EnumDirective(cells, line);
  if (d == "workspace") return WorkspaceDirective(cells, line);
  if (d == "rows") return Title(cells, line);
  if (d != "kernel" && d != "source" && d != "edges" && d != "executions" && d != "budget" &&
      d != "exhaustive") {
    return Fail(TableError::kHeader, line, "unknown directive '" + std::string(d) + "'");
  }
  if (!seen_.emplace(d).second)
    return Fail(TableError::kHeader, line, "repeated '" + std::string(d) + "'");
  if (cells.size() != 2)
    return Fail(TableError::kHeader, line, "'" + std::string(d) + "' takes one value");
  return Stat(cells, line);
}

Expected<void> Parser::Stat(const Cells& cells, int line) {
  const std::string_view d = cells[0];
  std::string error;
  const std::optional<std::string> text = internal::DecodeTextCell(cells[1], &error);
  if (!text) return Fail(TableError::kSyntax, line, error);
  if (d == "kernel") {
    table_.kernel.name = *text;
    return outcome::success();
  }
  if (d == "exhaustive") {
    if (*text != "yes" && *text != "no")
      return Fail(TableError::kHeader, line, "exhaustive is yes or no");
    table_.stats.exhaustive = *text == "yes";
    return outcome::success();
  }
  // source FILE:LINE, edges R/N and the plain counts.
  const char sep = d == "source" ? ':' : '/';
  const std::size_t at = d == "source" || d == "edges" ? text->rfind(sep) : std::string::npos;
  const std::string_view head = std::string_view(*text).substr(0, at);
  const std::string_view tail =
      at == std::string::npos ? "" : std::string_view(*text).substr(at + 1);
  const std::optional<Integer> first = internal::ParseInteger(d == "source" ? tail : head);
  const std::optional<Integer> second = internal::ParseInteger(tail);
  const bool pair = d == "source" || d == "edges";
  if (!first || first->negative() || (d == "edges" && (!second || second->negative())) ||
      (pair && at == std::string::npos)) {
    return Fail(TableError::kHeader, line,
                "bad value '" + *text + "' for '" + std::string(d) + "'");
  }
  if (d == "source") {
    table_.kernel.source_file = std::string(head);
    table_.kernel.source_line = static_cast<int>(first->To<int>().value_or(0));
  } else if (d == "edges") {
    table_.stats.edges_reached = first->bits();
    table_.stats.edges_reachable = second->bits();
  } else {
    (d == "executions" ? table_.stats.executions : table_.stats.budget) = first->bits();
  }
  return outcome::success();
}

Expected<void> Parser::EnumDirective(const Cells& cells, int line) {
  if (cells.size() < 4)
    return Fail(
        TableError::kHeader, line,
        "expected '" + std::string(cells[0]) + " <Name> <int type> <enumerator>=<value>...'");
  const std::string name(cells[1]);
  EnumDecl decl;
  decl.flags = cells[0] == "flags";
  const std::optional<IntType> t = IntTypeFromString(cells[2]);
  if (!t)
    return Fail(TableError::kHeader, line,
                "bad integer type '" + std::string(cells[2]) + "' (u8..u64, i8..i64)");
  decl.int_type = *t;
  std::set<std::string_view> names;
  for (std::size_t i = 3; i < cells.size(); ++i) {
    const std::size_t eq = cells[i].find('=');
    const std::string_view e = cells[i].substr(0, eq);
    const std::optional<Integer> v = eq == std::string_view::npos
                                         ? std::nullopt
                                         : internal::ParseInteger(cells[i].substr(eq + 1));
    if (!internal::IsIdentifier(e) || !v)
      return Fail(TableError::kHeader, line,
                  "expected <enumerator>=<value>, got '" + std::string(cells[i]) + "'");
    if (!v->FitsIn(t->bits, t->is_signed))
      return Fail(TableError::kHeader, line,
                  "value of " + std::string(e) + " is outside " + ToString(*t));
    if (!names.insert(e).second)
      return Fail(TableError::kHeader, line, "repeated enumerator '" + std::string(e) + "'");
    decl.enumerators.push_back({std::string(e), *v});
  }
  if (!enums_.emplace(name, std::move(decl)).second)
    return Fail(TableError::kHeader, line, "repeated enum '" + name + "'");
  return outcome::success();
}

Expected<void> Parser::ParamDirective(const Cells& cells, int line) {
  if (cells.size() < 3)
    return Fail(TableError::kHeader, line, "expected 'param <name> <kind> [attributes]'");
  ColumnSchema c;
  c.name = std::string(cells[1]);
  if (!internal::IsIdentifier(c.name))
    return Fail(TableError::kHeader, line, "bad parameter name '" + c.name + "'");
  for (const ColumnSchema& o : table_.kernel.columns) {
    if (o.name == c.name)
      return Fail(TableError::kHeader, line, "repeated parameter '" + c.name + "'");
  }
  const std::string_view kind = cells[2];
  const std::size_t colon = kind.find(':');
  const std::string_view head = kind.substr(0, colon);
  const std::string_view arg = colon == std::string_view::npos ? "" : kind.substr(colon + 1);
  std::string enum_ref;
  if (const std::optional<IntType> t = IntTypeFromString(kind)) {
    c.kind = ParamKind::kInt;
    c.int_type = *t;
  } else if (head == "strong" && IntTypeFromString(arg)) {
    c.kind = ParamKind::kStrongInt;
    c.int_type = *IntTypeFromString(arg);
  } else if ((head == "enum" || head == "flags") && !arg.empty()) {
    c.kind = head == "enum" ? ParamKind::kEnum : ParamKind::kFlags;
    enum_ref = std::string(arg);
  } else if (kind == "bool" || kind == "string" || kind == "bytes") {
    c.kind = *ParamKindFromString(kind);
  } else {
    return Fail(TableError::kHeader, line,
                "bad kind '" + std::string(kind) +
                    "' (bool, u8..i64, strong:<int>, enum:<Name>, flags:<Name>, string, bytes)");
  }
  for (std::size_t i = 3; i < cells.size(); ++i) {
    KT_TRY(ParamAttribute(c, cells[i], line));
  }
  table_.kernel.columns.push_back(std::move(c));
  param_enum_refs_.push_back(std::move(enum_ref));
  param_lines_.push_back(line);
  return outcome::success();
}

Expected<void> Parser::ParamAttribute(ColumnSchema& c, std::string_view attr, int line) {
  const std::size_t eq = attr.find('=');
  const std::string_view key = attr.substr(0, eq);
  const std::string_view value = eq == std::string_view::npos ? "" : attr.substr(eq + 1);
  std::string error;
  if (key == "type") {
    std::string_view rest = value;
    std::optional<std::string> type = internal::ParseQuoted(rest, &error);
    if (!type || !rest.empty())
      return Fail(TableError::kHeader, line, "type takes a quoted string");
    c.cpp_type = std::move(*type);
  } else if (key == "range") {
    const std::size_t dots = value.find("..");
    const auto lo = internal::ParseInteger(value.substr(0, dots));
    const auto hi = dots == std::string_view::npos ? std::nullopt
                                                   : internal::ParseInteger(value.substr(dots + 2));
    if (!lo || !hi || *hi < *lo)
      return Fail(TableError::kHeader, line, "range is <lo>..<hi> with lo <= hi");
    c.range_lo = lo;
    c.range_hi = hi;
  } else if (key == "max_len") {
    const auto n = internal::ParseInteger(value);
    if (!n || n->negative()) return Fail(TableError::kHeader, line, "max_len is a count");
    c.max_len = n->bits();
  } else if (key == "format" && (value == "hex" || value == "dec")) {
    c.format = value == "hex" ? IntFormat::kHex : IntFormat::kDecimal;
  } else {
    return Fail(TableError::kHeader, line,
                "unknown or malformed attribute '" + std::string(attr) + "'");
  }
  return outcome::success();
}

Expected<void> Parser::WorkspaceDirective(const Cells& cells, int line) {
  if (cells.size() != 3)
    return Fail(TableError::kHeader, line, "expected 'workspace <name> {<manifest>}'");
  WorkspaceTemplate w;
  w.name = std::string(cells[1]);
  if (std::optional<std::string> bad = CheckTemplateName(w.name))
    return Fail(TableError::kHeader, line, *bad);
  for (const WorkspaceTemplate& o : table_.workspaces) {
    if (o.name == w.name)
      return Fail(TableError::kHeader, line, "repeated workspace '" + w.name + "'");
  }
  std::string error;
  std::optional<std::string> text = internal::DecodeTextCell(cells[2], &error);
  std::optional<std::vector<WorkspaceEntry>> entries =
      text ? ParseManifest(*text, &error) : std::nullopt;
  if (!entries) return Fail(TableError::kHeader, line, "workspace " + w.name + ": " + error);
  for (const WorkspaceEntry& e : *entries) {
    if (e.type == WorkspaceEntry::Type::kOther)
      return Fail(TableError::kHeader, line, "a template cannot hold 'other'");
  }
  w.entries = std::move(*entries);
  table_.workspaces.push_back(std::move(w));
  return outcome::success();
}

Expected<void> Parser::ResolveEnums() {
  for (std::size_t i = 0; i < table_.kernel.columns.size(); ++i) {
    ColumnSchema& c = table_.kernel.columns[i];
    if (param_enum_refs_[i].empty()) continue;
    const auto it = enums_.find(param_enum_refs_[i]);
    if (it == enums_.end() || it->second.flags != (c.kind == ParamKind::kFlags)) {
      return Fail(TableError::kHeader, param_lines_[i],
                  "no '" + std::string(c.kind == ParamKind::kFlags ? "flags" : "enum") + " " +
                      param_enum_refs_[i] + "' line");
    }
    c.enum_name = it->first;
    c.int_type = it->second.int_type;
    c.enumerators = it->second.enumerators;
  }
  return outcome::success();
}

Expected<void> Parser::Title(const Cells& cells, int line) {
  if (table_.kernel.name.empty())
    return Fail(TableError::kHeader, line, "missing 'kernel' before 'rows'");
  KT_TRY(ResolveEnums());
  std::vector<std::string> want = {"rows"};
  for (const ColumnSchema& c : table_.kernel.columns) want.push_back(c.name);
  if (!table_.workspaces.empty()) want.push_back("workspace");
  want.push_back("|");
  want.push_back("outcome");
  if (!table_.workspaces.empty()) want.push_back("after");
  bool match = cells.size() >= want.size();
  for (std::size_t i = 0; match && i < want.size(); ++i) match = cells[i] == want[i];
  if (!match) {
    std::string w;
    for (const std::string& s : want) w += (w.empty() ? "" : " ") + s;
    return Fail(TableError::kHeader, line,
                "column titles do not match the header: expected '" + w + " [observations]'");
  }
  for (std::size_t i = want.size(); i < cells.size(); ++i) {
    const std::string name(cells[i]);
    if (!internal::IsIdentifier(name))
      return Fail(TableError::kHeader, line, "bad observation name '" + name + "'");
    for (const std::string& o : table_.observations) {
      if (o == name) return Fail(TableError::kHeader, line, "repeated observation '" + name + "'");
    }
    table_.observations.push_back(name);
  }
  in_rows_ = true;
  return outcome::success();
}

Expected<void> Parser::RowLine(const Cells& cells, int line) {
  if (cells[0] != "gen" && cells[0] != "pin") {
    return Fail(TableError::kRow, line,
                "a row starts with 'gen' or 'pin', got '" + std::string(cells[0]) + "'");
  }
  const std::vector<ColumnSchema>& columns = table_.kernel.columns;
  const bool has_ws = !table_.workspaces.empty();
  const std::size_t want = 1 + columns.size() + (has_ws ? 3 : 1) + 1 + table_.observations.size();
  if (cells.size() != want) {
    return Fail(TableError::kRow, line,
                "the row has " + std::to_string(cells.size()) + " cells, the header " +
                    std::to_string(want));
  }
  Row row;
  row.pinned = cells[0] == "pin";
  row.line = line;
  row.comments = std::move(pending_comments_);
  pending_comments_.clear();
  std::string key;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    std::string error;
    std::optional<Value> v = ParseCell(columns[i], cells[i + 1], &error);
    if (!v) return Fail(TableError::kRow, line, columns[i].name + ": " + error);
    key += FormatCell(columns[i], *v, &error).value_or("") + " ";
    row.values.push_back(std::move(*v));
  }
  std::size_t at = 1 + columns.size();
  if (has_ws) {
    const std::string name(cells[at++]);
    const bool known = std::any_of(table_.workspaces.begin(), table_.workspaces.end(),
                                   [&](const WorkspaceTemplate& w) { return w.name == name; });
    if (!known) return Fail(TableError::kRow, line, "unknown workspace '" + name + "'");
    key += name;
    row.workspace = name;
  }
  if (cells[at++] != "|")
    return Fail(TableError::kRow, line, "expected '|' between the call set and the outcome");
  const auto [it, added] = call_sets_.emplace(key, line);
  if (!added)
    return Fail(TableError::kRow, line,
                "the row repeats the call set of line " + std::to_string(it->second));
  KT_TRY(RowOutputs(row, cells, at, line));
  table_.rows.push_back(std::move(row));
  return outcome::success();
}

Expected<void> Parser::RowOutputs(Row& row, const Cells& cells, std::size_t at, int line) {
  std::string error;
  std::optional<std::string> text = internal::DecodeTextCell(cells[at++], &error);
  if (!text) return Fail(TableError::kRow, line, "outcome: " + error);
  const std::optional<OutcomeKind> kind = OutcomeKindOf(*text);
  if (!kind) {
    return Fail(TableError::kRow, line,
                "unknown outcome '" + *text +
                    "' (ok(...), error(...), check-failed(...), exception(...), crash(...), "
                    "timeout(), sanitizer(...), exit(...))");
  }
  row.expected.kind = *kind;
  row.expected.text = std::move(*text);
  if (!table_.workspaces.empty()) {
    auto after = AfterCell(cells[at++], line);
    if (!after) return std::move(after).assume_error();
    row.expected.workspace_after = std::move(after).assume_value();
  }
  for (const std::string& name : table_.observations) {
    const std::string_view cell = cells[at++];
    if (cell == "-") continue;
    std::optional<std::string> value = internal::DecodeTextCell(cell, &error);
    if (!value) return Fail(TableError::kRow, line, name + ": " + error);
    row.expected.observations.push_back({name, std::move(*value)});
  }
  return outcome::success();
}

// A template name or a manifest literal, as the canonical manifest.
Expected<std::string> Parser::AfterCell(std::string_view cell, int line) const {
  std::string error;
  std::optional<std::string> text = internal::DecodeTextCell(cell, &error);
  if (!text) return Fail(TableError::kRow, line, "after: " + error);
  if (!text->empty() && text->front() == '{') {
    std::optional<std::vector<WorkspaceEntry>> entries = ParseManifest(*text, &error);
    if (!entries) return Fail(TableError::kRow, line, "after: " + error);
    return FormatManifest(std::move(*entries));
  }
  for (const WorkspaceTemplate& w : table_.workspaces) {
    if (w.name == *text) return FormatManifest(w.entries);
  }
  return Fail(TableError::kRow, line, "after: unknown workspace '" + *text + "'");
}

}  // namespace

Expected<Table> ParseTable(std::string_view text, std::string_view path) {
  return Parser(text, path).Run();
}

}  // namespace kt
