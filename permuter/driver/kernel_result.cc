// Kernel results as JSON. runner/table.h and permuter/driver/json.h only.
#include "permuter/driver/kernel_result.h"

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
      .Key("reachable_from_control_flow").Bool(r.reachable_from_control_flow)
      .Key("indirect_calls").Bool(r.indirect_calls)
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
  r.reachable_from_control_flow = m.Bool("reachable_from_control_flow");
  r.indirect_calls = m.Bool("indirect_calls");
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
  if (!m.ok() || !status) return std::nullopt;
  r.status = *status;
  return r;
}

}  // namespace kt::driver
