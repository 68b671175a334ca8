// The worker's byte encoding. The standard library only.
#include "permuter/internal/wire.h"

#include <utility>

namespace kt::permuter::internal {
namespace {

class Writer {
 public:
  void U8(std::uint8_t v) { out_ += static_cast<char>(v); }
  void U32(std::uint32_t v) {
    for (int shift = 0; shift < 32; shift += 8) U8(static_cast<std::uint8_t>(v >> shift));
  }
  void U64(std::uint64_t v) {
    for (int shift = 0; shift < 64; shift += 8) U8(static_cast<std::uint8_t>(v >> shift));
  }
  void Str(std::string_view s) {
    U32(static_cast<std::uint32_t>(s.size()));
    out_ += s;
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads what Writer wrote; every getter fails (and keeps failing) once the input is short.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  bool U8(std::uint8_t* v) {
    if (in_.empty()) return false;
    *v = static_cast<std::uint8_t>(in_.front());
    in_.remove_prefix(1);
    return true;
  }
  bool U32(std::uint32_t* v) {
    std::uint64_t wide = 0;
    if (!Bytes(4, &wide)) return false;
    *v = static_cast<std::uint32_t>(wide);
    return true;
  }
  bool U64(std::uint64_t* v) { return Bytes(8, v); }
  bool Str(std::string* s) {
    std::uint32_t n = 0;
    if (!U32(&n) || in_.size() < n) return false;
    s->assign(in_.substr(0, n));
    in_.remove_prefix(n);
    return true;
  }
  // A count of items of at least `min_item_bytes` each, refused when the input cannot hold
  // them (so a corrupt count never reserves gigabytes).
  bool Count(std::size_t min_item_bytes, std::uint32_t* n) {
    return U32(n) && std::uint64_t{*n} * min_item_bytes <= in_.size();
  }
  bool done() const { return in_.empty(); }

 private:
  bool Bytes(int n, std::uint64_t* v) {
    if (in_.size() < static_cast<std::size_t>(n)) return false;
    *v = 0;
    for (int i = 0; i < n; ++i) {
      *v |= std::uint64_t{static_cast<unsigned char>(in_[static_cast<std::size_t>(i)])} << (8 * i);
    }
    in_.remove_prefix(static_cast<std::size_t>(n));
    return true;
  }

  std::string_view in_;
};

void PutValue(Writer& w, const Value& v) {
  w.U8(static_cast<std::uint8_t>(v.kind()));
  w.U8(v.as_integer().negative() ? 1 : 0);
  w.U64(v.as_integer().bits());
  w.Str(v.as_string());
}

std::optional<Value> GetValue(Reader& r) {
  std::uint8_t kind = 0;
  std::uint8_t negative = 0;
  std::uint64_t bits = 0;
  std::string text;
  if (!r.U8(&kind) || !r.U8(&negative) || !r.U64(&bits) || !r.Str(&text)) return std::nullopt;
  const Integer i = negative != 0 ? Integer::Negative(0 - bits) : Integer(bits);
  switch (static_cast<ValueKind>(kind)) {
    case ValueKind::kBool: return Value::Bool(bits != 0);
    case ValueKind::kInt: return Value::Int(i);
    case ValueKind::kEnum: return Value::Enum(i);
    case ValueKind::kString: return Value::String(std::move(text));
    case ValueKind::kBytes: return Value::Bytes(std::move(text));
  }
  return std::nullopt;
}

void PutExecution(Writer& w, const Execution& e) {
  w.U32(static_cast<std::uint32_t>(e.edges.size()));
  for (const std::uint32_t edge : e.edges) w.U32(edge);
  w.U32(static_cast<std::uint32_t>(e.compares.size()));
  for (const CompareEvent& c : e.compares) {
    w.U64(c.site);
    w.U8(static_cast<std::uint8_t>(c.kind));
    w.U8(c.width);
    w.U64(c.arg1);
    w.U64(c.arg2);
    w.U32(static_cast<std::uint32_t>(c.cases.size()));
    for (const std::uint64_t v : c.cases) w.U64(v);
  }
  const Outcome& o = e.outcome;
  w.U8(static_cast<std::uint8_t>(o.kind));
  w.Str(o.text);
  w.U32(static_cast<std::uint32_t>(o.observations.size()));
  for (const Observation& obs : o.observations) {
    w.Str(obs.name);
    w.Str(obs.value);
  }
  w.U8(o.workspace_after ? 1 : 0);
  w.Str(o.workspace_after.value_or(""));
  w.Str(o.detail);
}

bool GetCompares(Reader& r, std::vector<CompareEvent>* out) {
  std::uint32_t n = 0;
  if (!r.Count(30, &n)) return false;
  for (std::uint32_t i = 0; i < n; ++i) {
    CompareEvent c;
    std::uint8_t kind = 0;
    std::uint32_t cases = 0;
    if (!r.U64(&c.site) || !r.U8(&kind) || !r.U8(&c.width) || !r.U64(&c.arg1) || !r.U64(&c.arg2) ||
        !r.Count(8, &cases)) {
      return false;
    }
    if (kind < static_cast<std::uint8_t>(CompareKind::kCmp) ||
        kind > static_cast<std::uint8_t>(CompareKind::kGep)) {
      return false;
    }
    c.kind = static_cast<CompareKind>(kind);
    c.cases.resize(cases);
    for (std::uint64_t& v : c.cases) {
      if (!r.U64(&v)) return false;
    }
    out->push_back(std::move(c));
  }
  return true;
}

bool GetOutcome(Reader& r, Outcome* o) {
  std::uint8_t kind = 0;
  std::uint32_t n = 0;
  if (!r.U8(&kind) || !r.Str(&o->text) || !r.Count(8, &n)) return false;
  if (kind < static_cast<std::uint8_t>(OutcomeKind::kValue) ||
      kind > static_cast<std::uint8_t>(OutcomeKind::kExit)) {
    return false;
  }
  o->kind = static_cast<OutcomeKind>(kind);
  for (std::uint32_t i = 0; i < n; ++i) {
    Observation obs;
    if (!r.Str(&obs.name) || !r.Str(&obs.value)) return false;
    o->observations.push_back(std::move(obs));
  }
  std::uint8_t has_after = 0;
  std::string after;
  if (!r.U8(&has_after) || !r.Str(&after) || !r.Str(&o->detail)) return false;
  if (has_after != 0) o->workspace_after = std::move(after);
  return true;
}

}  // namespace

std::string EncodeCallSet(std::span<const Value> call_set) {
  Writer w;
  w.U32(static_cast<std::uint32_t>(call_set.size()));
  for (const Value& v : call_set) PutValue(w, v);
  return w.Take();
}

std::optional<std::vector<Value>> DecodeCallSet(std::string_view bytes) {
  Reader r(bytes);
  std::uint32_t n = 0;
  if (!r.Count(14, &n)) return std::nullopt;
  std::vector<Value> out;
  for (std::uint32_t i = 0; i < n; ++i) {
    std::optional<Value> v = GetValue(r);
    if (!v) return std::nullopt;
    out.push_back(std::move(*v));
  }
  if (!r.done()) return std::nullopt;
  return out;
}

std::string EncodeReply(const Reply& reply) {
  Writer w;
  if (const auto* message = std::get_if<std::string>(&reply)) {
    w.U8('E');
    w.Str(*message);
  } else {
    w.U8('X');
    PutExecution(w, std::get<Execution>(reply));
  }
  return w.Take();
}

std::optional<Reply> DecodeReply(std::string_view bytes) {
  Reader r(bytes);
  std::uint8_t tag = 0;
  if (!r.U8(&tag)) return std::nullopt;
  if (tag == 'E') {
    std::string message;
    if (!r.Str(&message) || !r.done()) return std::nullopt;
    return Reply(std::move(message));
  }
  Execution e;
  std::uint32_t n = 0;
  if (tag != 'X' || !r.Count(4, &n)) return std::nullopt;
  e.edges.resize(n);
  for (std::uint32_t& edge : e.edges) {
    if (!r.U32(&edge)) return std::nullopt;
  }
  if (!GetCompares(r, &e.compares) || !GetOutcome(r, &e.outcome) || !r.done()) {
    return std::nullopt;
  }
  return Reply(std::move(e));
}

std::string Frame(std::string_view payload) {
  Writer w;
  w.Str(payload);
  return w.Take();
}

std::optional<std::string_view> Unframe(std::string_view buffer, std::size_t* consumed) {
  if (buffer.size() < 4) return std::nullopt;
  std::uint32_t n = 0;
  for (int i = 0; i < 4; ++i) {
    n |= std::uint32_t{static_cast<unsigned char>(buffer[static_cast<std::size_t>(i)])} << (8 * i);
  }
  if (buffer.size() - 4 < n) return std::nullopt;
  *consumed = 4 + std::size_t{n};
  return buffer.substr(4, n);
}

}  // namespace kt::permuter::internal
