// Kernel results as JSON and their exit codes. runner/table.h, report/ and permuter/driver/
// (flags, json) only.
#include "permuter/driver/kernel_result.h"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace kt::driver {
namespace {

constexpr KernelStatus kAllStatuses[] = {
    KernelStatus::kOk,      KernelStatus::kWritten,   KernelStatus::kUnchanged,
    KernelStatus::kStale,   KernelStatus::kMissing,   KernelStatus::kMalformed,
    KernelStatus::kFinding, KernelStatus::kError,
};

// Reads members of one object, remembering whether any was missing or of the wrong type.
class MemberReader {
 public:
  explicit MemberReader(const JsonValue& object) : object_(object) {}
  bool ok() const { return ok_; }

  std::string String(std::string_view key) {
    const JsonValue* v = object_.Find(key);
    if (v == nullptr || v->type() != JsonValue::Type::kString) return Missing<std::string>();
    return v->text();
  }
  std::uint64_t Uint(std::string_view key) {
    const JsonValue* v = object_.Find(key);
    const std::optional<std::uint64_t> n = v ? v->AsUint64() : std::nullopt;
    return n ? *n : Missing<std::uint64_t>();
  }
  bool Bool(std::string_view key) {
    const JsonValue* v = object_.Find(key);
    if (v == nullptr || v->type() != JsonValue::Type::kBool) return Missing<bool>();
    return v->as_bool();
  }

 private:
  template <class T>
  T Missing() {
    ok_ = false;
    return T();
  }

  const JsonValue& object_;
  bool ok_ = true;
};

void WriteFigures(std::string_view key, const report::EdgeFigures& f, JsonWriter& w) {
  w.Key(key).BeginObject().Key("reached").Uint(f.reached).Key("reachable").Uint(f.reachable);
  w.EndObject();
}

std::optional<report::EdgeFigures> ReadFigures(const JsonValue* v) {
  if (v == nullptr || v->type() != JsonValue::Type::kObject) return std::nullopt;
  MemberReader m(*v);
  const report::EdgeFigures f{m.Uint("reached"), m.Uint("reachable")};
  if (!m.ok()) return std::nullopt;
  return f;
}

void WriteCoverage(const KernelResult& r, JsonWriter& w) {
  if (!r.coverage) return;
  w.Key("coverage").BeginObject();
  WriteFigures("now", r.coverage->now, w);
  WriteFigures("recorded", r.coverage->recorded, w);
  w.Key("dropped").Bool(CheckResultCoverage(r)->dropped).EndObject();
}

void WriteRowEdges(const KernelResult& r, JsonWriter& w) {
  if (r.row_edges.empty()) return;
  w.Key("row_edges").BeginArray();
  for (const report::RowEdges& row : r.row_edges) {
    w.BeginObject().Key("label").String(row.label).Key("edges").BeginArray();
    for (const std::uint32_t edge : row.edges) w.Uint(edge);
    w.EndArray().EndObject();
  }
  w.EndArray();
}

// The optional members; false when one is there but malformed.
bool ReadOptional(const JsonValue& v, KernelResult* r) {
  if (const JsonValue* c = v.Find("coverage")) {
    const std::optional<report::EdgeFigures> now = ReadFigures(c->Find("now"));
    const std::optional<report::EdgeFigures> recorded = ReadFigures(c->Find("recorded"));
    if (!now || !recorded) return false;
    r->coverage = CoverageFigures{*now, *recorded};
  }
  if (const JsonValue* rows = v.Find("row_edges")) {
    if (rows->type() != JsonValue::Type::kArray) return false;
    for (const JsonValue& row : rows->items()) {
      const JsonValue* label = row.Find("label");
      const JsonValue* edges = row.Find("edges");
      if (label == nullptr || label->type() != JsonValue::Type::kString || edges == nullptr ||
          edges->type() != JsonValue::Type::kArray) {
        return false;
      }
      report::RowEdges out{label->text(), {}};
      for (const JsonValue& edge : edges->items()) {
        const std::optional<std::uint64_t> e = edge.AsUint64();
        if (!e || *e > UINT32_MAX) return false;
        out.edges.push_back(static_cast<std::uint32_t>(*e));
      }
      r->row_edges.push_back(std::move(out));
    }
  }
  return true;
}

}  // namespace

const char* ToString(KernelStatus s) noexcept {
  switch (s) {
    case KernelStatus::kOk: return "ok";
    case KernelStatus::kWritten: return "written";
    case KernelStatus::kUnchanged: return "unchanged";
    case KernelStatus::kStale: return "stale";
    case KernelStatus::kMissing: return "missing";
    case KernelStatus::kMalformed: return "malformed";
    case KernelStatus::kFinding: return "finding";
    case KernelStatus::kError: return "error";
  }
  return "unknown";
}

std::optional<KernelStatus> KernelStatusFromString(std::string_view s) noexcept {
  for (const KernelStatus k : kAllStatuses) {
    if (s == ToString(k)) return k;
  }
  return std::nullopt;
}

int ExitCodeOf(KernelStatus s, bool generating) noexcept {
  switch (s) {
    case KernelStatus::kOk:
    case KernelStatus::kWritten:
    case KernelStatus::kUnchanged: return 0;
    case KernelStatus::kStale:
    case KernelStatus::kMissing:
    case KernelStatus::kFinding: return 1;
    case KernelStatus::kMalformed: return generating ? 2 : 1;
    case KernelStatus::kError: return 2;
  }
  return 2;
}

std::optional<report::CoverageCheck> CheckResultCoverage(const KernelResult& r) {
  if (!r.coverage) return std::nullopt;
  TableStats recorded;
  recorded.edges_reached = r.coverage->recorded.reached;
  recorded.edges_reachable = r.coverage->recorded.reachable;
  return report::CheckCoverage(r.kernel, r.coverage->now, recorded);
}

int ResultExitCode(const KernelResult& r, Command command) {
  const int status = ExitCodeOf(r.status, command == Command::kGenerate);
  if (command != Command::kCheck) return status;
  const std::optional<report::CoverageCheck> coverage = CheckResultCoverage(r);
  return std::max(status, coverage && coverage->dropped ? 1 : 0);
}

void WriteKernelResult(const KernelResult& r, JsonWriter& w) {
  w.BeginObject()
      .Key("kernel").String(r.kernel)
      .Key("status").String(ToString(r.status))
      .Key("table").String(r.table)
      .Key("executions").Uint(r.stats.executions)
      .Key("budget").Uint(r.stats.budget)
      .Key("exhaustive").Bool(r.stats.exhaustive)
      .Key("edges_reached").Uint(r.stats.edges_reached)
      .Key("edges_reachable").Uint(r.stats.edges_reachable)
      .Key("rows").Uint(r.rows)
      .Key("searches").Uint(r.searches)
      .Key("message").String(r.message)
      .Key("diff").String(r.diff);
  if (r.finding) {
    w.Key("finding")
        .BeginObject()
        .Key("outcome").String(r.finding->outcome)
        .Key("reproducer").String(r.finding->reproducer)
        .Key("found").String(r.finding->found)
        .Key("detail").String(r.finding->detail)
        .EndObject();
  }
  WriteCoverage(r, w);
  WriteRowEdges(r, w);
  w.EndObject();
}

std::optional<KernelResult> KernelResultFromJson(const JsonValue& v) {
  if (v.type() != JsonValue::Type::kObject) return std::nullopt;
  MemberReader m(v);
  KernelResult r;
  r.kernel = m.String("kernel");
  const std::optional<KernelStatus> status = KernelStatusFromString(m.String("status"));
  r.table = m.String("table");
  r.stats.executions = m.Uint("executions");
  r.stats.budget = m.Uint("budget");
  r.stats.exhaustive = m.Bool("exhaustive");
  r.stats.edges_reached = m.Uint("edges_reached");
  r.stats.edges_reachable = m.Uint("edges_reachable");
  r.rows = m.Uint("rows");
  r.searches = m.Uint("searches");
  r.message = m.String("message");
  r.diff = m.String("diff");
  if (const JsonValue* f = v.Find("finding")) {
    if (f->type() != JsonValue::Type::kObject) return std::nullopt;
    MemberReader fm(*f);
    r.finding = FindingReport{fm.String("outcome"), fm.String("reproducer"), fm.String("found"),
                              fm.String("detail")};
    if (!fm.ok()) return std::nullopt;
  }
  if (!m.ok() || !status || !ReadOptional(v, &r)) return std::nullopt;
  r.status = *status;
  return r;
}

}  // namespace kt::driver
