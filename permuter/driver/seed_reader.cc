// The seeder document reader. runner/ schema and registry, permuter/driver/json.h and the
// standard library only.
#include "permuter/driver/seed_reader.h"

#include <algorithm>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <set>
#include <sstream>

#include "permuter/driver/json.h"

namespace kt::driver {
namespace {

using Type = JsonValue::Type;

const char* TypeName(Type t) {
  switch (t) {
    case Type::kNull: return "null";
    case Type::kBool: return "a boolean";
    case Type::kNumber: return "a number";
    case Type::kString: return "a string";
    case Type::kArray: return "an array";
    case Type::kObject: return "an object";
  }
  return "a value";
}

bool IsIdentifier(std::string_view s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// What follows the last "::" outside template brackets: kinds::Color::kRed -> kRed.
std::string_view LastComponent(std::string_view qualified) {
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < qualified.size(); ++i) {
    const char c = qualified[i];
    if (c == '<') ++depth;
    if (c == '>') --depth;
    if (depth == 0 && c == ':' && i + 1 < qualified.size() && qualified[i + 1] == ':') {
      start = i + 2;
    }
  }
  return qualified.substr(start);
}

// "const kinds::Lanes &" -> "kinds::Lanes": a const& parameter is classified as its type.
std::string_view StripConstRef(std::string_view type) {
  if (type.substr(0, 6) == "const ") type.remove_prefix(6);
  while (!type.empty() && (type.back() == '&' || type.back() == ' ')) type.remove_suffix(1);
  return type;
}

// Exact over [INT64_MIN, UINT64_MAX]: "-?(0|[1-9][0-9]*)", as the seeder writes every value.
std::optional<Integer> ParseDecimal(std::string_view s) {
  const bool negative = !s.empty() && s[0] == '-';
  if (negative) s.remove_prefix(1);
  if (s.empty() || s.size() > 20 || s.find_first_not_of("0123456789") != std::string_view::npos ||
      (s[0] == '0' && s.size() > 1) || (negative && s == "0")) {
    return std::nullopt;
  }
  std::uint64_t magnitude = 0;
  for (const char c : s) {
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (magnitude > (UINT64_MAX - digit) / 10) return std::nullopt;
    magnitude = magnitude * 10 + digit;
  }
  if (!negative) return Integer(magnitude);
  if (magnitude > std::uint64_t{1} << 63) return std::nullopt;
  return Integer::Negative(magnitude);
}

// Walks one document, keeping the first error; every accessor returns a harmless default
// once an error is set, so the caller checks error() once per step, not per member.
class DocumentReader {
 public:
  explicit DocumentReader(std::string_view path) : path_(path) {}

  const std::optional<Error>& error() const { return error_; }

  void Fail(const JsonValue& at, std::string_view member, const std::string& what) {
    if (error_) return;
    error_ = MakeError(SeedError::kSchema, path_ + ":" + std::to_string(at.line()) + ":" +
                                               std::to_string(at.column()) + ": " +
                                               std::string(member) + ": " + what);
  }

  // Fails on members `object` has that `allowed` does not list.
  void OnlyMembers(const JsonValue& object, const std::string& where,
                   std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, value] : object.members()) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        Fail(value, Join(where, key), "unknown member");
      }
    }
  }

  const JsonValue* Get(const JsonValue& object, const std::string& where, std::string_view key,
                       Type type) {
    if (error_) return nullptr;
    const JsonValue* v = object.Find(key);
    if (v == nullptr) {
      Fail(object, where.empty() ? "document" : where,
           "missing member \"" + std::string(key) + "\"");
      return nullptr;
    }
    if (v->type() != type) {
      Fail(*v, Join(where, key), std::string("expected ") + TypeName(type) + ", found " +
                                     TypeName(v->type()));
      return nullptr;
    }
    return v;
  }

  std::string String(const JsonValue& object, const std::string& where, std::string_view key) {
    const JsonValue* v = Get(object, where, key, Type::kString);
    return v ? v->text() : std::string();
  }

  bool Bool(const JsonValue& object, const std::string& where, std::string_view key) {
    const JsonValue* v = Get(object, where, key, Type::kBool);
    return v && v->as_bool();
  }

  std::uint64_t Count(const JsonValue& object, const std::string& where, std::string_view key,
                      std::uint64_t max) {
    const JsonValue* v = Get(object, where, key, Type::kNumber);
    if (v == nullptr) return 0;
    const std::optional<std::uint64_t> n = v->AsUint64();
    if (!n || *n > max) {
      Fail(*v, Join(where, key),
           v->text() + " is not a whole number from 0 to " + std::to_string(max));
      return 0;
    }
    return *n;
  }

  // One of `choices`, else an error listing them.
  std::string Choice(const JsonValue& object, const std::string& where, std::string_view key,
                     std::initializer_list<std::string_view> choices) {
    const JsonValue* v = Get(object, where, key, Type::kString);
    if (v == nullptr) return {};
    if (std::find(choices.begin(), choices.end(), v->text()) != choices.end()) return v->text();
    std::string list;
    for (const std::string_view c : choices) list += (list.empty() ? "" : ", ") + std::string(c);
    Fail(*v, Join(where, key), "\"" + v->text() + "\" is not one of " + list);
    return {};
  }

  // A decimal string holding a value of `type`.
  Integer Decimal(const JsonValue& v, const std::string& where, IntType type) {
    if (error_) return Integer();
    if (v.type() != Type::kString) {
      Fail(v, where,
           std::string("expected a decimal string (64-bit values are strings), found ") +
               TypeName(v.type()));
      return Integer();
    }
    const std::optional<Integer> i = ParseDecimal(v.text());
    if (!i) {
      Fail(v, where, "\"" + v.text() + "\" is not a decimal integer of at most 64 bits");
      return Integer();
    }
    if (!i->FitsIn(type.bits, type.is_signed)) {
      Fail(v, where, v.text() + " does not fit " + ToString(type));
      return Integer();
    }
    return *i;
  }

  static std::string Join(const std::string& where, std::string_view key) {
    return where.empty() ? std::string(key) : where + "." + std::string(key);
  }
  static std::string Index(const std::string& where, std::size_t i) {
    return where + "[" + std::to_string(i) + "]";
  }

 private:
  std::string path_;
  std::optional<Error> error_;
};

// bits and signed of an integer-like parameter or constant.
IntType ReadIntType(DocumentReader& r, const JsonValue& object, const std::string& where) {
  const JsonValue* bits = r.Get(object, where, "bits", Type::kNumber);
  const bool is_signed = r.Bool(object, where, "signed");
  if (bits == nullptr) return {};
  const std::optional<std::uint64_t> n = bits->AsUint64();
  if (!n || (*n != 8 && *n != 16 && *n != 32 && *n != 64)) {
    r.Fail(*bits, DocumentReader::Join(where, "bits"), bits->text() + " is not 8, 16, 32 or 64");
    return {};
  }
  return IntType{static_cast<int>(*n), is_signed};
}

// range and range_source; KT_RANGE becomes the column's generation domain.
void ReadRange(DocumentReader& r, const JsonValue& param, const std::string& where,
               ColumnSchema* column) {
  const JsonValue* range = r.Get(param, where, "range", Type::kArray);
  const std::string source = r.Choice(param, where, "range_source", {"kt_range", "type"});
  if (range == nullptr || r.error()) return;
  const std::string at = DocumentReader::Join(where, "range");
  if (range->items().size() != 2) {
    r.Fail(*range, at, "expected [lo, hi], found " + std::to_string(range->items().size()) +
                           " items");
    return;
  }
  const IntType type = column->kind == ParamKind::kBool ? IntType{8, false} : column->int_type;
  const Integer lo = r.Decimal(range->items()[0], DocumentReader::Index(at, 0), type);
  const Integer hi = r.Decimal(range->items()[1], DocumentReader::Index(at, 1), type);
  if (r.error()) return;
  if (lo > hi) r.Fail(*range, at, "lo " + ToString(lo) + " is above hi " + ToString(hi));
  if (column->kind == ParamKind::kBool && (lo != Integer(0) || hi != Integer(1))) {
    r.Fail(*range, at, "a bool's range is [\"0\", \"1\"]");
  }
  if (source == "kt_range") {
    column->range_lo = lo;
    column->range_hi = hi;
  }
}

void ReadEnumerators(DocumentReader& r, const JsonValue& param, const std::string& where,
                     ColumnSchema* column) {
  const std::string type = r.String(param, where, "type");
  const JsonValue* list = r.Get(param, where, "enumerators", Type::kArray);
  if (list == nullptr) return;
  column->enum_name = std::string(LastComponent(StripConstRef(type)));
  if (!IsIdentifier(column->enum_name)) {
    r.Fail(*param.Find("type"), DocumentReader::Join(where, "type"),
           "\"" + type + "\" does not end in an enum name");
  }
  const std::string at = DocumentReader::Join(where, "enumerators");
  for (std::size_t i = 0; i < list->items().size(); ++i) {
    const JsonValue& e = list->items()[i];
    const std::string item = DocumentReader::Index(at, i);
    if (e.type() != Type::kObject) {
      r.Fail(e, item, std::string("expected an object, found ") + TypeName(e.type()));
      return;
    }
    r.OnlyMembers(e, item, {"name", "value"});
    const std::string name = r.String(e, item, "name");
    const JsonValue* value = r.Get(e, item, "value", Type::kString);
    if (value == nullptr || r.error()) return;
    const std::string_view unqualified = LastComponent(name);
    if (!IsIdentifier(unqualified)) {
      r.Fail(*e.Find("name"), DocumentReader::Join(item, "name"),
             "\"" + name + "\" does not end in an identifier");
    }
    const Integer v = r.Decimal(*value, DocumentReader::Join(item, "value"), column->int_type);
    column->enumerators.push_back({std::string(unqualified), v});
  }
}

// A bool parameter: one bit, unsigned, range ["0", "1"].
void ReadBool(DocumentReader& r, const JsonValue& param, const std::string& where,
              ColumnSchema* column) {
  column->kind = ParamKind::kBool;
  r.OnlyMembers(param, where, {"name", "type", "kind", "bits", "signed", "range",
                               "range_source"});
  const JsonValue* bits = r.Get(param, where, "bits", Type::kNumber);
  if (bits != nullptr && bits->AsUint64() != std::optional<std::uint64_t>(1)) {
    r.Fail(*bits, DocumentReader::Join(where, "bits"), "a bool has 1 bit, not " + bits->text());
  }
  if (r.Bool(param, where, "signed")) {
    r.Fail(*param.Find("signed"), DocumentReader::Join(where, "signed"), "a bool is unsigned");
  }
  ReadRange(r, param, where, column);
}

// An int, strong_int, enum or flags parameter: an integer representation and its range, plus
// the enumerators of enums and flags.
void ReadInteger(DocumentReader& r, const JsonValue& param, const std::string& where,
                 const std::string& kind, ColumnSchema* column) {
  column->int_type = ReadIntType(r, param, where);
  if (kind == "int") {
    column->kind = ParamKind::kInt;
    r.OnlyMembers(param, where, {"name", "type", "kind", "bits", "signed", "range",
                                 "range_source"});
  } else if (kind == "strong_int") {
    column->kind = ParamKind::kStrongInt;
    r.OnlyMembers(param, where, {"name", "type", "kind", "bits", "signed", "range",
                                 "range_source", "underlying"});
    r.String(param, where, "underlying");
  } else {
    column->kind = kind == "enum" ? ParamKind::kEnum : ParamKind::kFlags;
    r.OnlyMembers(param, where, {"name", "type", "kind", "bits", "signed", "range",
                                 "range_source", "underlying", "flags", "enumerators"});
    r.String(param, where, "underlying");
    if (kind == "enum") {
      r.Choice(param, where, "flags", {"none"});
    } else {
      r.Choice(param, where, "flags", {"kt_flags", "detected"});
    }
    ReadEnumerators(r, param, where, column);
  }
  if (r.error()) return;
  ReadRange(r, param, where, column);
  if (column->kind == ParamKind::kEnum || column->kind == ParamKind::kFlags) {
    // The range only says what the representation holds; enumerators are the domain.
    column->range_lo.reset();
    column->range_hi.reset();
  }
}

ColumnSchema ReadParam(DocumentReader& r, const JsonValue& param, const std::string& where) {
  ColumnSchema column;
  if (param.type() != Type::kObject) {
    r.Fail(param, where, std::string("expected an object, found ") + TypeName(param.type()));
    return column;
  }
  column.name = r.String(param, where, "name");
  column.cpp_type = r.String(param, where, "type");
  const std::string kind = r.Choice(param, where, "kind",
                                    {"bool", "int", "enum", "flags", "strong_int", "string",
                                     "bytes"});
  if (r.error()) return column;
  if (!IsIdentifier(column.name)) {
    r.Fail(*param.Find("name"), DocumentReader::Join(where, "name"),
           "\"" + column.name + "\" is not an identifier");
    return column;
  }
  if (kind == "string" || kind == "bytes") {
    column.kind = kind == "string" ? ParamKind::kString : ParamKind::kBytes;
    r.OnlyMembers(param, where, {"name", "type", "kind", "max_len"});
    column.max_len = r.Count(param, where, "max_len", 1u << 20);
  } else if (kind == "bool") {
    ReadBool(r, param, where, &column);
  } else {
    ReadInteger(r, param, where, kind, &column);
  }
  return column;
}

std::vector<Integer> ReadConstants(DocumentReader& r, const JsonValue& list) {
  std::vector<Integer> values;
  for (std::size_t i = 0; i < list.items().size() && !r.error(); ++i) {
    const JsonValue& c = list.items()[i];
    const std::string where = DocumentReader::Index("constants", i);
    if (c.type() != Type::kObject) {
      r.Fail(c, where, std::string("expected an object, found ") + TypeName(c.type()));
      break;
    }
    r.OnlyMembers(c, where, {"value", "bits", "signed", "kind", "origin"});
    const IntType type = ReadIntType(r, c, where);
    r.Choice(c, where, "kind", {"compare", "switch", "mask", "bound", "enumerator"});
    r.String(c, where, "origin");
    const JsonValue* value = r.Get(c, where, "value", Type::kString);
    if (value != nullptr) values.push_back(r.Decimal(*value, where + ".value", type));
  }
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

// The exact bytes of "hex" (two lower-case digits each, as the seeder writes them); "text"
// spells the same bytes for people and is only checked to be a string.
std::vector<std::string> ReadStrings(DocumentReader& r, const JsonValue& list) {
  std::set<std::string> strings;
  for (std::size_t i = 0; i < list.items().size() && !r.error(); ++i) {
    const JsonValue& s = list.items()[i];
    const std::string where = DocumentReader::Index("strings", i);
    if (s.type() != Type::kObject) {
      r.Fail(s, where, std::string("expected an object, found ") + TypeName(s.type()));
      break;
    }
    r.OnlyMembers(s, where, {"text", "hex", "via", "origin"});
    r.String(s, where, "text");
    r.String(s, where, "via");
    r.String(s, where, "origin");
    const JsonValue* hex = r.Get(s, where, "hex", Type::kString);
    if (hex == nullptr) break;
    const std::string& digits = hex->text();
    if (digits.empty() || digits.size() % 2 != 0 ||
        digits.find_first_not_of("0123456789abcdef") != std::string::npos) {
      r.Fail(*hex, where + ".hex", "\"" + digits + "\" is not an even, non-zero number of "
                                   "lower-case hex digits");
      break;
    }
    std::string bytes;
    for (std::size_t at = 0; at < digits.size(); at += 2) {
      bytes.push_back(static_cast<char>(std::stoi(digits.substr(at, 2), nullptr, 16)));
    }
    strings.insert(std::move(bytes));
  }
  return {strings.begin(), strings.end()};
}

// The members around the parameters: identity, location and the return type.
void ReadHeader(DocumentReader& r, const JsonValue& doc, SeedDocument* out) {
  r.OnlyMembers(doc, "", {"format", "kernel", "function", "source", "line", "return",
                          "call_depth", "params", "constants", "strings"});
  const JsonValue* format = r.Get(doc, "", "format", Type::kString);
  if (format != nullptr && format->text() != kSeedFormat) {
    r.Fail(*format, "format",
           "\"" + format->text() + "\" is not " + std::string(kSeedFormat) +
               "; rebuild so the seeder and this driver agree");
  }
  out->kernel = r.String(doc, "", "kernel");
  const JsonValue* kernel = doc.Find("kernel");
  const bool name_ok = !out->kernel.empty() && out->kernel[0] != '.' &&
                       out->kernel.find_first_not_of(
                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
                           std::string::npos;
  if (kernel != nullptr && !r.error() && !name_ok) {
    r.Fail(*kernel, "kernel", "\"" + out->kernel + "\" is not a kernel name ([A-Za-z0-9._-]+)");
  }
  out->function = r.String(doc, "", "function");
  out->source = r.String(doc, "", "source");
  out->line = static_cast<int>(r.Count(doc, "", "line", 1u << 30));
  r.Count(doc, "", "call_depth", 1u << 16);
  if (const JsonValue* ret = r.Get(doc, "", "return", Type::kObject)) {
    r.OnlyMembers(*ret, "return", {"type", "kind", "value_type"});
    r.String(*ret, "return", "type");
    r.Choice(*ret, "return", "kind", {"result", "value", "void"});
    r.String(*ret, "return", "value_type");
  }
}

}  // namespace

const char* ToString(SeedError e) noexcept {
  switch (e) {
    case SeedError::kIo: return "io";
    case SeedError::kJson: return "json";
    case SeedError::kSchema: return "schema";
    case SeedError::kSignature: return "signature";
  }
  return "unknown";
}

const std::error_category& SeedCategory() noexcept {
  static const kt::internal::EnumCategory<SeedError> category("kt.seed");
  return category;
}

std::error_code make_error_code(SeedError e) noexcept {
  return {static_cast<int>(e), SeedCategory()};
}

Expected<SeedDocument> ParseSeedDocument(std::string_view text, std::string_view path) {
  Expected<JsonValue> json = ParseJson(text);
  if (!json) {
    return MakeError(SeedError::kJson, std::string(path) + ":" + json.error().message);
  }
  const JsonValue& doc = json.value();
  DocumentReader r(path);
  SeedDocument out;
  if (doc.type() != Type::kObject) {
    r.Fail(doc, "document", std::string("expected an object, found ") + TypeName(doc.type()));
    return *r.error();
  }
  ReadHeader(r, doc, &out);
  const JsonValue* params = r.Get(doc, "", "params", Type::kArray);
  const JsonValue* constants = r.Get(doc, "", "constants", Type::kArray);
  if (r.error()) return *r.error();
  for (std::size_t i = 0; i < params->items().size() && !r.error(); ++i) {
    out.columns.push_back(
        ReadParam(r, params->items()[i], DocumentReader::Index("params", i)));
  }
  out.constants = ReadConstants(r, *constants);
  // Optional: the seeder writes it only for kernels that compare texts with constants.
  if (doc.Find("strings") != nullptr) {
    if (const JsonValue* strings = r.Get(doc, "", "strings", Type::kArray)) {
      out.strings = ReadStrings(r, *strings);
    }
  }
  if (r.error()) return *r.error();
  for (std::size_t i = 0; i < out.columns.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (out.columns[i].name == out.columns[j].name) {
        r.Fail(params->items()[i], DocumentReader::Index("params", i) + ".name",
               "\"" + out.columns[i].name + "\" names two parameters");
        return *r.error();
      }
    }
  }
  return out;
}

Expected<SeedDocument> ReadSeedDocument(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(SeedError::kIo, path.string() + ": cannot read the seeder's document");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return MakeError(SeedError::kIo, path.string() + ": read error");
  return ParseSeedDocument(text.str(), path.string());
}

Expected<void> CheckSeedsAgainstKernel(const SeedDocument& seeds, const KernelInfo& kernel,
                                       std::string_view path) {
  const std::string where = std::string(path) + ": kernel \"" + kernel.name + "\" (" +
                            kernel.Location() + ")";
  if (seeds.kernel != kernel.name) {
    return MakeError(SeedError::kSignature,
                     where + ": the document is for kernel \"" + seeds.kernel + "\"");
  }
  if (seeds.columns.size() != kernel.signature.size()) {
    return MakeError(SeedError::kSignature,
                     where + ": the seeds have " + std::to_string(seeds.columns.size()) +
                         " parameters, the kernel " + std::to_string(kernel.signature.size()) +
                         "; rebuild to reseed");
  }
  for (std::size_t i = 0; i < seeds.columns.size(); ++i) {
    if (std::optional<std::string> why = Incompatibility(seeds.columns[i], kernel.signature[i])) {
      return MakeError(SeedError::kSignature, where + ": parameter " + std::to_string(i + 1) +
                                                  " (" + seeds.columns[i].name + "): " + *why +
                                                  "; rebuild to reseed");
    }
  }
  return outcome::success();
}

}  // namespace kt::driver
