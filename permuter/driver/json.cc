// The strict JSON reader and the writer. The standard library and runner/error.h only.
#include "permuter/driver/json.h"

#include <charconv>
#include <cstdio>
#include <tuple>

namespace kt::driver {
namespace {

// The length of the UTF-8 sequence starting at s[pos], or 0 when it is malformed, overlong,
// a surrogate or past U+10FFFF (RFC 3629).
std::size_t Utf8Length(std::string_view s, std::size_t pos) {
  const auto b = [&](std::size_t i) {
    return pos + i < s.size() ? static_cast<unsigned char>(s[pos + i]) : 0u;
  };
  const unsigned c = b(0);
  const auto cont = [&](std::size_t i) { return (b(i) & 0xc0) == 0x80; };
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const bool ok =
        cont(1) && cont(2) && !(c == 0xe0 && b(1) < 0xa0) && !(c == 0xed && b(1) >= 0xa0);
    return ok ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const bool ok = cont(1) && cont(2) && cont(3) && !(c == 0xf0 && b(1) < 0x90) &&
                    !(c == 0xf4 && b(1) >= 0x90);
    return ok ? 4 : 0;
  }
  return 0;
}

}  // namespace

const char* ToString(JsonError e) noexcept {
  switch (e) {
    case JsonError::kSyntax: return "syntax";
    case JsonError::kEncoding: return "encoding";
    case JsonError::kDuplicate: return "duplicate";
    case JsonError::kDepth: return "depth";
  }
  return "unknown";
}

const std::error_category& JsonCategory() noexcept {
  static const kt::internal::EnumCategory<JsonError> category("kt.json");
  return category;
}

std::error_code make_error_code(JsonError e) noexcept {
  return {static_cast<int>(e), JsonCategory()};
}

const JsonValue* JsonValue::Find(std::string_view key) const noexcept {
  for (const Member& m : members_) {
    if (m.first == key) return &m.second;
  }
  return nullptr;
}

std::optional<std::uint64_t> JsonValue::AsUint64() const noexcept {
  if (type_ != Type::kNumber || text_.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text_.data(), text_.data() + text_.size(), v);
  if (ec != std::errc() || end != text_.data() + text_.size()) return std::nullopt;
  return v;
}

// A recursive-descent parser over the whole text; depth is bounded by kMaxJsonDepth.
class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : text_(text) {}

  Expected<JsonValue> Document() {
    SkipSpace();
    JsonValue v;
    if (!Value(&v, 0)) return std::move(*error_);
    SkipSpace();
    if (pos_ != text_.size()) return Fail(JsonError::kSyntax, "unexpected text after the document");
    return v;
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }

  void Advance() {
    if (text_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }

  void SkipSpace() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' || Peek() == '\r')) {
      Advance();
    }
  }

  Error Fail(JsonError e, const std::string& what) { return FailAt(line_, column_, e, what); }
  static Error FailAt(int line, int column, JsonError e, const std::string& what) {
    return MakeError(e, std::to_string(line) + ":" + std::to_string(column) + ": " + what);
  }
  bool SetError(JsonError e, const std::string& what) {
    if (!error_) error_ = Fail(e, what);
    return false;
  }

  bool Value(JsonValue* v, int depth) {
    v->line_ = line_;
    v->column_ = column_;
    if (AtEnd()) return SetError(JsonError::kSyntax, "expected a value, found the end");
    const char c = Peek();
    if (c == '{' || c == '[') {
      if (depth >= kMaxJsonDepth) {
        return SetError(JsonError::kDepth,
                        "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
      }
      return c == '{' ? Object(v, depth + 1) : Array(v, depth + 1);
    }
    if (c == '"') {
      v->type_ = JsonValue::Type::kString;
      return String(&v->text_);
    }
    if (c == '-' || (c >= '0' && c <= '9')) return Number(v);
    for (const auto& [word, type, boolean] :
         {std::tuple{std::string_view("true"), JsonValue::Type::kBool, true},
          std::tuple{std::string_view("false"), JsonValue::Type::kBool, false},
          std::tuple{std::string_view("null"), JsonValue::Type::kNull, false}}) {
      if (text_.substr(pos_, word.size()) == word) {
        for (std::size_t i = 0; i < word.size(); ++i) Advance();
        v->type_ = type;
        v->boolean_ = boolean;
        return true;
      }
    }
    return SetError(JsonError::kSyntax, "expected a value, found " + Describe(c));
  }

  static std::string Describe(char c) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned char>(c));
      return std::string("byte ") + hex;
    }
    return std::string("'") + c + "'";
  }

  bool Object(JsonValue* v, int depth) {
    v->type_ = JsonValue::Type::kObject;
    Advance();  // {
    SkipSpace();
    if (Peek() == '}') {
      Advance();
      return true;
    }
    while (true) {
      if (Peek() != '"') return SetError(JsonError::kSyntax, "expected a member name in quotes");
      const int key_line = line_, key_column = column_;
      std::string key;
      if (!String(&key)) return false;
      if (v->Find(key) != nullptr) {
        error_ = FailAt(key_line, key_column, JsonError::kDuplicate,
                        "duplicate member \"" + key + "\"");
        return false;
      }
      SkipSpace();
      if (Peek() != ':') return SetError(JsonError::kSyntax, "expected ':' after a member name");
      Advance();
      SkipSpace();
      JsonValue member;
      if (!Value(&member, depth)) return false;
      v->members_.emplace_back(std::move(key), std::move(member));
      SkipSpace();
      if (Peek() == '}') {
        Advance();
        return true;
      }
      if (Peek() != ',') return SetError(JsonError::kSyntax, "expected ',' or '}' after a member");
      Advance();
      SkipSpace();
    }
  }

  bool Array(JsonValue* v, int depth) {
    v->type_ = JsonValue::Type::kArray;
    Advance();  // [
    SkipSpace();
    if (Peek() == ']') {
      Advance();
      return true;
    }
    while (true) {
      JsonValue item;
      if (!Value(&item, depth)) return false;
      v->items_.push_back(std::move(item));
      SkipSpace();
      if (Peek() == ']') {
        Advance();
        return true;
      }
      if (Peek() != ',') return SetError(JsonError::kSyntax, "expected ',' or ']' after an item");
      Advance();
      SkipSpace();
    }
  }

  bool Digits() {
    if (!(Peek() >= '0' && Peek() <= '9')) return false;
    while (Peek() >= '0' && Peek() <= '9') Advance();
    return true;
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, kept as written.
  bool Number(JsonValue* v) {
    const std::size_t start = pos_;
    v->type_ = JsonValue::Type::kNumber;
    if (Peek() == '-') Advance();
    if (Peek() == '0') {
      Advance();
      if (Peek() >= '0' && Peek() <= '9') {
        return SetError(JsonError::kSyntax, "a number may not have leading zeros");
      }
    } else if (!Digits()) {
      return SetError(JsonError::kSyntax, "expected a digit");
    }
    if (Peek() == '.') {
      Advance();
      if (!Digits()) return SetError(JsonError::kSyntax, "expected a digit after '.'");
    }
    if (Peek() == 'e' || Peek() == 'E') {
      Advance();
      if (Peek() == '+' || Peek() == '-') Advance();
      if (!Digits()) return SetError(JsonError::kSyntax, "expected a digit in the exponent");
    }
    v->text_.assign(text_.substr(start, pos_ - start));
    return true;
  }

  std::optional<unsigned> Hex4() {
    unsigned u = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = Peek();
      unsigned d = 0;
      if (c >= '0' && c <= '9') {
        d = static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        d = static_cast<unsigned>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        d = static_cast<unsigned>(c - 'A' + 10);
      } else {
        return std::nullopt;
      }
      u = u * 16 + d;
      Advance();
    }
    return u;
  }

  static void AppendUtf8(unsigned cp, std::string* out) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else {
      out->push_back(static_cast<char>(0xf0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    }
  }

  // \uXXXX, or a surrogate pair \uD8xx\uDCxx; the backslash and 'u' are consumed.
  bool UnicodeEscape(std::string* out) {
    const std::optional<unsigned> hi = Hex4();
    if (!hi) return SetError(JsonError::kSyntax, "\\u takes four hex digits");
    unsigned cp = *hi;
    if (cp >= 0xdc00 && cp <= 0xdfff) {
      return SetError(JsonError::kEncoding, "\\u escape is a lone low surrogate");
    }
    if (cp >= 0xd800 && cp <= 0xdbff) {
      if (text_.substr(pos_, 2) != "\\u") {
        return SetError(JsonError::kEncoding, "\\u escape is a high surrogate without its pair");
      }
      Advance();
      Advance();
      const std::optional<unsigned> lo = Hex4();
      if (!lo) return SetError(JsonError::kSyntax, "\\u takes four hex digits");
      if (*lo < 0xdc00 || *lo > 0xdfff) {
        return SetError(JsonError::kEncoding, "\\u escape is a high surrogate without its pair");
      }
      cp = 0x10000 + ((cp - 0xd800) << 10) + (*lo - 0xdc00);
    }
    AppendUtf8(cp, out);
    return true;
  }

  bool String(std::string* out) {
    Advance();  // "
    while (true) {
      if (AtEnd()) return SetError(JsonError::kSyntax, "unterminated string");
      const auto c = static_cast<unsigned char>(Peek());
      if (c == '"') {
        Advance();
        return true;
      }
      if (c < 0x20) {
        return SetError(JsonError::kSyntax, "control character " + Describe(Peek()) +
                                                " in a string; escape it");
      }
      if (c >= 0x80) {
        const std::size_t n = Utf8Length(text_, pos_);
        if (n == 0) return SetError(JsonError::kEncoding, "a string is not valid UTF-8");
        out->append(text_.substr(pos_, n));
        for (std::size_t i = 0; i < n; ++i) Advance();
        continue;
      }
      if (c != '\\') {
        out->push_back(static_cast<char>(c));
        Advance();
        continue;
      }
      Advance();
      if (!Escape(out)) return false;
    }
  }

  bool Escape(std::string* out) {
    const char e = Peek();
    constexpr std::string_view kFrom = "\"\\/bfnrt";
    constexpr std::string_view kTo = "\"\\/\b\f\n\r\t";
    if (const std::size_t i = kFrom.find(e); e != '\0' && i != std::string_view::npos) {
      out->push_back(kTo[i]);
      Advance();
      return true;
    }
    if (e == 'u') {
      Advance();
      return UnicodeEscape(out);
    }
    return SetError(JsonError::kSyntax, "unknown escape \\" + std::string(1, e));
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
  std::optional<Error> error_;
};

Expected<JsonValue> ParseJson(std::string_view text) { return JsonParser(text).Document(); }

std::string JsonQuote(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    const std::size_t n = Utf8Length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD: a stray byte (a worker's stderr) keeps the JSON valid
      ++i;
      continue;
    }
    if (n > 1) {
      out.append(s.substr(i, n));
      i += n;
      continue;
    }
    ++i;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char u[8];
          std::snprintf(u, sizeof u, "\\u%04x", static_cast<unsigned>(c));
          out += u;
        } else {
          out.push_back(c);
        }
    }
  }
  return out + "\"";
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!has_items_.empty()) {
    out_ += has_items_.back() ? ",\n" : "\n";
    has_items_.back() = true;
    out_.append(2 * has_items_.size(), ' ');
  }
}

JsonWriter& JsonWriter::BeginObject() {
  BeforeValue();
  out_ += '{';
  has_items_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  BeforeValue();
  out_ += '[';
  has_items_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::Close(char c) {
  const bool had_items = has_items_.back();
  has_items_.pop_back();
  if (had_items) {
    out_ += '\n';
    out_.append(2 * has_items_.size(), ' ');
  }
  out_ += c;
  if (has_items_.empty()) out_ += '\n';
  return *this;
}

JsonWriter& JsonWriter::EndObject() { return Close('}'); }
JsonWriter& JsonWriter::EndArray() { return Close(']'); }

JsonWriter& JsonWriter::Key(std::string_view key) {
  BeforeValue();
  out_ += JsonQuote(key) + ": ";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view s) {
  BeforeValue();
  out_ += JsonQuote(s);
  return *this;
}

JsonWriter& JsonWriter::Uint(std::uint64_t v) {
  BeforeValue();
  out_ += std::to_string(v);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool b) {
  BeforeValue();
  out_ += b ? "true" : "false";
  return *this;
}

std::string JsonWriter::Take() { return std::move(out_); }

}  // namespace kt::driver
