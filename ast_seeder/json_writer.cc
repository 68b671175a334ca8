// The seeder's JSON writer. Hand-written rather than llvm::json so the layout (one enumerator
// or constant per line) stays diff-friendly; standard library only.
#include "ast_seeder/json_writer.h"

#include <cstdio>
#include <string>

namespace ast_seeder {
namespace {

std::string Num(std::uint64_t v) { return std::to_string(v); }
std::string Int(ExactInt v) { return JsonQuote(v.ToDecimal()); }
const char* Bool(bool b) { return b ? "true" : "false"; }

// `"key": value` for the members of one object, joined by `sep`.
class Members {
 public:
  explicit Members(std::string sep) : sep_(std::move(sep)) {}
  Members& Add(std::string_view key, std::string_view raw_value) {
    if (!out_.empty()) out_ += sep_;
    out_ += JsonQuote(key);
    out_ += ": ";
    out_ += raw_value;
    return *this;
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string sep_;
  std::string out_;
};

// A JSON array whose elements (already serialised) go one per line at `indent`.
std::string Lines(const std::vector<std::string>& items, const std::string& indent) {
  if (items.empty()) return "[]";
  std::string out = "[\n";
  for (std::size_t i = 0; i < items.size(); ++i) {
    out += indent + "  " + items[i];
    out += i + 1 < items.size() ? ",\n" : "\n";
  }
  return out + indent + "]";
}

std::string ParamToJson(const ParamDomain& p, const std::string& indent) {
  const std::string inner = indent + "  ";
  Members m(",\n" + inner);
  m.Add("name", JsonQuote(p.name))
      .Add("type", JsonQuote(p.type))
      .Add("kind", JsonQuote(ToString(p.kind)));
  const bool scalar = p.kind != ParamKind::kString && p.kind != ParamKind::kBytes;
  if (scalar) {
    m.Add("bits", Num(p.bits)).Add("signed", Bool(p.is_signed));
    m.Add("range", "[" + Int(p.lo) + ", " + Int(p.hi) + "]");
    m.Add("range_source", JsonQuote(ToString(p.range_source)));
  } else {
    m.Add("max_len", Num(p.max_len));
  }
  if (p.kind == ParamKind::kEnum || p.kind == ParamKind::kFlags ||
      p.kind == ParamKind::kStrongInt) {
    m.Add("underlying", JsonQuote(p.underlying));
  }
  if (p.kind == ParamKind::kEnum || p.kind == ParamKind::kFlags) {
    m.Add("flags", JsonQuote(ToString(p.flags_source)));
    std::vector<std::string> items;
    for (const Enumerator& e : p.enumerators) {
      items.push_back(
          "{" + Members(", ").Add("name", JsonQuote(e.name)).Add("value", Int(e.value)).Take() +
          "}");
    }
    m.Add("enumerators", Lines(items, inner));
  }
  return "{\n" + inner + m.Take() + "\n" + indent + "}";
}

std::string ConstantToJson(const HarvestedConstant& c) {
  Members m(", ");
  m.Add("value", Int(c.value)).Add("bits", Num(c.bits)).Add("signed", Bool(c.is_signed));
  m.Add("kind", JsonQuote(ToString(c.use)));
  m.Add("origin", JsonQuote(c.origin_file + ":" + std::to_string(c.origin_line)));
  return "{" + m.Take() + "}";
}

std::string StringToJson(const HarvestedString& s) {
  Members m(", ");
  m.Add("text", JsonBytes(s.bytes)).Add("hex", JsonQuote(HexBytes(s.bytes)));
  m.Add("via", JsonQuote(s.via));
  m.Add("origin", JsonQuote(s.origin_file + ":" + std::to_string(s.origin_line)));
  return "{" + m.Take() + "}";
}

}  // namespace

std::string JsonBytes(std::string_view bytes) {
  std::string out = "\"";
  for (const char ch : bytes) {
    const auto u = static_cast<unsigned char>(ch);
    if (u >= 0x20 && u < 0x7f && ch != '"' && ch != '\\') {
      out += ch;
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    }
  }
  return out + "\"";
}

std::string HexBytes(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (const char ch : bytes) {
    const auto u = static_cast<unsigned char>(ch);
    out += kDigits[u >> 4];
    out += kDigits[u & 0xf];
  }
  return out;
}

std::string JsonQuote(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto u = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

std::string KernelDomainToJson(const KernelDomain& kernel) {
  const std::string indent = "  ";
  Members m(",\n" + indent);
  m.Add("format", JsonQuote(kJsonFormat));
  m.Add("kernel", JsonQuote(kernel.name)).Add("function", JsonQuote(kernel.function));
  m.Add("source", JsonQuote(kernel.source)).Add("line", Num(kernel.line));
  m.Add("return", "{" +
                      Members(", ")
                          .Add("type", JsonQuote(kernel.ret.type))
                          .Add("kind", JsonQuote(ToString(kernel.ret.kind)))
                          .Add("value_type", JsonQuote(kernel.ret.value_type))
                          .Take() +
                      "}");
  m.Add("call_depth", Num(kernel.call_depth));
  std::vector<std::string> params;
  for (const ParamDomain& p : kernel.params) params.push_back(ParamToJson(p, indent + "  "));
  m.Add("params", Lines(params, indent));
  std::vector<std::string> constants;
  for (const HarvestedConstant& c : kernel.constants) constants.push_back(ConstantToJson(c));
  m.Add("constants", Lines(constants, indent));
  // Only when there are any, so that documents of kernels without text comparisons keep the
  // shape readers of the first version of this format accept.
  if (!kernel.strings.empty()) {
    std::vector<std::string> strings;
    for (const HarvestedString& s : kernel.strings) strings.push_back(StringToJson(s));
    m.Add("strings", Lines(strings, indent));
  }
  return "{\n" + indent + m.Take() + "\n}\n";
}

}  // namespace ast_seeder
